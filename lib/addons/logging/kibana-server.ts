import { Construct } from 'constructs';
import { Kibana, KibanaSpecResourcesLimitsCpu, KibanaSpecResourcesLimitsMemory, KibanaSpecResourcesRequestsCpu, KibanaSpecResourcesRequestsMemory } from '../../../imports/kibana.k8s.elastic.co';
import { Quantity, parseAt, type QuantityLike } from '../../core';
import { ELASTIC_STACK_VERSION } from './images';
import { componentLabels } from './logging-component';

/** Props of a {@link KibanaServer}. */
export interface KibanaServerProps {
  readonly namespace: string;
  /** The resource's name; ECK names its Service `<name>-kb-http`. */
  readonly name: string;
  /** The Elasticsearch resource it reads (same namespace). */
  readonly elasticsearch: string;
  /** The public URL users reach it at, through the edge (`https://kibana.prod.example.com`). */
  readonly publicUrl: string;
  /** Instances. @default 1 */
  readonly count?: number;
  /** Memory request and limit. @default '1Gi' */
  readonly memory?: QuantityLike;
  /** The Elastic Stack version. @default ELASTIC_STACK_VERSION */
  readonly version?: string;
}

/** The port Kibana serves on. */
export const KIBANA_PORT = 5601;

/**
 * Kibana through ECK, connected to the Elasticsearch (ECK provisions its service user), served
 * in plain HTTP inside the cluster (`http.tls.selfSignedCertificate.disabled`): the edge
 * terminates TLS and checks the sign-in, and only the edge may reach Kibana's port (the addon's
 * network policy). Users then sign in with Kibana's own login page (the Basic licence's native
 * realm); see the README.
 */
export class KibanaServer extends Construct {
  /** The Service the edge routes to. */
  public readonly serviceName: string;

  public constructor(scope: Construct, id: string, props: KibanaServerProps) {
    super(scope, id);
    const memory = parseAt(this, 'memory', () => Quantity.of(props.memory ?? '1Gi'));
    this.serviceName = `${props.name}-kb-http`;
    new Kibana(this, 'kibana', {
      metadata: { name: props.name, namespace: props.namespace, labels: componentLabels(props.name, 'kibana') },
      spec: {
        version: props.version ?? ELASTIC_STACK_VERSION,
        count: props.count ?? 1,
        elasticsearchRef: { name: props.elasticsearch },
        http: { tls: { selfSignedCertificate: { disabled: true } } },
        // No telemetry: the network policies give Kibana no way out of the cluster.
        config: { 'server.publicBaseUrl': props.publicUrl, 'telemetry.optIn': false, 'telemetry.allowChangingOptInStatus': false },
        resources: {
          requests: { memory: KibanaSpecResourcesRequestsMemory.fromString(String(memory)), cpu: KibanaSpecResourcesRequestsCpu.fromString('200m') },
          limits: { memory: KibanaSpecResourcesLimitsMemory.fromString(String(memory)), cpu: KibanaSpecResourcesLimitsCpu.fromString('1') },
        },
        podTemplate: {
          spec: {
            securityContext: { runAsNonRoot: true, runAsUser: 1000, runAsGroup: 1000, fsGroup: 1000, seccompProfile: { type: 'RuntimeDefault' } },
            containers: [{
              name: 'kibana',
              securityContext: { allowPrivilegeEscalation: false, privileged: false, readOnlyRootFilesystem: true, runAsNonRoot: true, capabilities: { drop: ['ALL'] } },
            }],
          },
        },
      },
    });
  }
}
