import { Construct } from 'constructs';
import { k8s } from 'cdk8s-plus-27';
import { Platform, PlatformLabels, checkDnsLabel, pathOf } from '../core';
import { podSecurityMetadata, type PodSecurityProps } from '../policy/pod-security';
import { checkProps } from '../core/props-check';

/** Props of a {@link PlatformNamespace}. */
export interface PlatformNamespaceProps {
  /** The namespace's name (`monitoring`). */
  readonly name: string;
  /** The Pod Security level enforced; anything below restricted states its reason. @default { level: 'restricted' } */
  readonly podSecurity?: PodSecurityProps;
  /** Serves hosts through the platform Gateway: its ListenerSets may attach listeners (Grafana's namespace). @default false */
  readonly gatewayListeners?: boolean;
}

/**
 * A namespace the platform itself runs in (an addon's), with its Pod Security level set
 * visibly: `enforce` at the level, `warn` and `audit` at restricted, and the reason for a
 * weaker level as an annotation. Pair it with the addon's {@link Exemption}s: the policy check
 * refuses an exemption from a Pod Security rule that the namespace's level does not admit.
 */
export class PlatformNamespace extends Construct {
  /** The namespace's name. */
  public readonly name: string;
  /** The Namespace object. */
  public readonly namespace: k8s.KubeNamespace;

  public constructor(scope: Construct, id: string, props: PlatformNamespaceProps) {
    super(scope, id);
    props = checkProps(this, PlatformNamespace, props);
    const podSecurity = props.podSecurity ?? { level: 'restricted' };
    this.name = checkDnsLabel(props.name, { path: pathOf(this), field: 'name' });
    const pss = podSecurityMetadata(this, 'podSecurity', podSecurity);
    this.namespace = new k8s.KubeNamespace(this, 'namespace', {
      metadata: {
        name: this.name,
        labels: {
          'app.kubernetes.io/managed-by': Platform.managedBy,
          ...(props.gatewayListeners === true ? { [PlatformLabels.gatewayListeners]: 'allowed' } : {}),
          ...pss.labels,
        },
        ...(Object.keys(pss.annotations).length === 0 ? {} : { annotations: pss.annotations }),
      },
    });
  }
}
