import { Construct } from 'constructs';
import { k8s } from 'cdk8s-plus-27';
import { stringify } from 'yaml';
import { addPdb } from '../../apps/availability';
import { addHashedConfigMap } from '../../apps/config';
import { buildContainer } from '../../apps/container';
import type { ResourcesProps } from '../../apps/resources';
import { nonRootPodSecurity } from '../../apps/workload';
import { ImageRef, parseAt, type ImageRefLike } from '../../core';
import { ECK_OPERATOR_CLUSTER_RULES, ECK_OPERATOR_NAMESPACED_RULES } from './eck-operator-rbac';
import { LOGGING_IMAGES } from './images';
import { componentLabels, componentSelector } from './logging-component';

/** Props of an {@link EckOperator}. */
export interface EckOperatorProps {
  /** The namespace it runs in and the only one it manages. */
  readonly namespace: string;
  /** The image. @default LOGGING_IMAGES.eckOperator */
  readonly image?: ImageRefLike;
  /** Requests and limits. @default { requests: { cpu: '100m', memory: '150Mi' }, limits: { cpu: '1', memory: '1Gi' } } (upstream's chart) */
  readonly resources?: ResourcesProps;
  /** The registry pull secret its ServiceAccount names. @default - none */
  readonly imagePullSecret?: string;
}

/** The operator's name, as upstream's chart names it (its leader-election lease is named after it). */
export const ECK_OPERATOR_NAME = 'elastic-operator';

/**
 * ECK's operator as upstream's chart installs it (schemas/eck/reference/eck-operator-chart),
 * narrowed: it manages one namespace (`namespaces`), so its write rights are a Role there and its
 * cluster-wide rights are reads; its validating webhook is off (`enable-webhook: false`: the
 * constructs validate Elasticsearch and Kibana at synth, and the webhook would need its own
 * certificate, Service and a cluster-wide ValidatingWebhookConfiguration right); telemetry is
 * off. One replica (leader election on, as upstream), a PodDisruptionBudget, non-root with a
 * read-only root filesystem.
 */
export class EckOperator extends Construct {
  public constructor(scope: Construct, id: string, props: EckOperatorProps) {
    super(scope, id);
    const ns = props.namespace;
    const image = parseAt(this, 'image', () => ImageRef.of(props.image ?? LOGGING_IMAGES.eckOperator));
    const labels = componentLabels(ECK_OPERATOR_NAME, 'operator', image);
    const name = ECK_OPERATOR_NAME;

    new k8s.KubeServiceAccount(this, 'service-account', {
      metadata: { name, namespace: ns, labels },
      ...(props.imagePullSecret === undefined ? {} : { imagePullSecrets: [{ name: props.imagePullSecret }] }),
    });
    new k8s.KubeRole(this, 'role', { metadata: { name, namespace: ns, labels }, rules: [...ECK_OPERATOR_NAMESPACED_RULES] });
    new k8s.KubeRoleBinding(this, 'role-binding', {
      metadata: { name, namespace: ns, labels },
      roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'Role', name },
      subjects: [{ kind: 'ServiceAccount', name, namespace: ns }],
    });
    new k8s.KubeClusterRole(this, 'cluster-role', { metadata: { name: `logging:${name}`, labels }, rules: [...ECK_OPERATOR_CLUSTER_RULES] });
    new k8s.KubeClusterRoleBinding(this, 'cluster-role-binding', {
      metadata: { name: `logging:${name}`, labels },
      roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: `logging:${name}` },
      subjects: [{ kind: 'ServiceAccount', name, namespace: ns }],
    });

    // The keys are upstream's (templates/configmap.yaml), with upstream's defaults where not said otherwise.
    const config = {
      'log-verbosity': 0,
      'metrics-port': 0,
      'container-registry': 'docker.elastic.co',
      'max-concurrent-reconciles': 3,
      'ca-cert-validity': '8760h',
      'ca-cert-rotate-before': '24h',
      'cert-validity': '8760h',
      'cert-rotate-before': '24h',
      'exposed-node-labels': ['topology.kubernetes.io/.*'],
      'set-default-security-context': 'auto-detect',
      'kube-client-timeout': '60s',
      'elasticsearch-client-timeout': '180s',
      'disable-telemetry': true,
      'validate-storage-class': true,
      'enable-webhook': false,
      namespaces: [ns],
      'operator-namespace': ns,
      'enable-leader-election': true,
      'elasticsearch-observation-interval': '10s',
    };
    const configMap = addHashedConfigMap(this, 'config', name, labels, { 'eck.yaml': stringify(config, { lineWidth: 0 }) }, ns);

    const manager = buildContainer(this, 'manager', {
      image,
      args: ['manager', '--config=/conf/eck.yaml'],
      resources: props.resources ?? { requests: { cpu: '100m', memory: '150Mi' }, limits: { cpu: '1', memory: '1Gi' } },
      writablePaths: ['/tmp'],
    }, {
      field: 'operator', defaultReadiness: undefined, defaultLiveness: undefined,
      env: [
        { name: 'OPERATOR_NAMESPACE', valueFrom: { fieldRef: { fieldPath: 'metadata.namespace' } } },
        { name: 'POD_IP', valueFrom: { fieldRef: { fieldPath: 'status.podIP' } } },
      ],
      mounts: [{ name: 'conf', mountPath: '/conf', readOnly: true }],
    });
    new k8s.KubeStatefulSet(this, 'statefulset', {
      metadata: { name, namespace: ns, labels },
      spec: {
        serviceName: name,
        replicas: 1,
        selector: { matchLabels: componentSelector(name) },
        template: {
          metadata: { labels },
          spec: {
            serviceAccountName: name,
            // The operator calls the API server: it needs its token.
            automountServiceAccountToken: true,
            terminationGracePeriodSeconds: 10,
            securityContext: nonRootPodSecurity(65532),
            containers: [manager.container],
            volumes: [...manager.volumes, { name: 'conf', configMap: { name: configMap } }],
          },
        },
      },
    });
    addPdb(this, { name, namespace: ns, labels }, componentSelector(name));
  }
}
