import { Construct } from 'constructs';
import { k8s } from 'cdk8s-plus-27';
import { buildContainer } from '../../apps/container';
import { Probe } from '../../apps/probe';
import type { ResourcesProps } from '../../apps/resources';
import { ImageRef, parseAt, type ImageRefLike } from '../../core';
import { addClusterRole, addServiceAccount, componentLabels, componentSelector, addSingleDeployment } from './component';
import { MONITORING_IMAGES } from './images';
import type { MonitoringExporters } from './prometheus-config';
import { checkProps } from '../../core/props-check';

/** Props of a {@link KubeStateMetrics}. */
export interface KubeStateMetricsProps {
  /** The namespace it runs in. */
  readonly namespace: string;
  /** The image. @default MONITORING_IMAGES.kubeStateMetrics */
  readonly image?: ImageRefLike;
  /** Requests and limits. @default { requests: { cpu: '100m', memory: '256Mi' }, limits: { cpu: '500m', memory: '512Mi' } } */
  readonly resources?: ResourcesProps;
  /** The registry pull secret the ServiceAccount names. @default - none */
  readonly imagePullSecret?: string;
}

/** The name of the component's objects and the `app.kubernetes.io/name` of its pods. */
export const KUBE_STATE_METRICS_NAME = 'kube-state-metrics';
const NAME = KUBE_STATE_METRICS_NAME;
const PORT = 8080;
const TELEMETRY_PORT = 8081;

/**
 * The kinds kube-state-metrics reports on, and the API groups they are in: its ClusterRole
 * lists and watches exactly these, and its `--resources` flag names the same.
 */
const WATCHED: ReadonlyArray<readonly [string, readonly string[]]> = [
  ['', ['namespaces', 'nodes', 'persistentvolumeclaims', 'persistentvolumes', 'pods', 'resourcequotas']],
  ['apps', ['daemonsets', 'deployments', 'replicasets', 'statefulsets']],
  ['autoscaling', ['horizontalpodautoscalers']],
  ['batch', ['cronjobs', 'jobs']],
  ['policy', ['poddisruptionbudgets']],
];

/**
 * kube-state-metrics: the state of Kubernetes objects (node conditions, pod restarts, Job
 * results, CronJob schedules, replicas) as metrics, with a ClusterRole that lists and watches
 * only the kinds it is told to report on.
 */
export class KubeStateMetrics extends Construct {
  /** The Service Prometheus discovers it through. */
  public readonly service: MonitoringExporters['kubeStateMetrics'] = { service: NAME, port: 'http-metrics', telemetryPort: 'telemetry' };

  public constructor(scope: Construct, id: string, props: KubeStateMetricsProps) {
    super(scope, id);
    props = checkProps(this, KubeStateMetrics, props);
    const image = parseAt(this, 'image', () => ImageRef.of(props.image ?? MONITORING_IMAGES.kubeStateMetrics));
    const ns = props.namespace;
    const labels = componentLabels(NAME, 'exporter', image);
    addServiceAccount(this, NAME, ns, labels, props.imagePullSecret);
    addClusterRole(this, NAME, ns, labels, WATCHED.map(([group, resources]) => ({ apiGroups: [group], resources: [...resources], verbs: ['list', 'watch'] })));
    const main = buildContainer(this, NAME, {
      image,
      args: [
        `--port=${PORT}`,
        `--telemetry-port=${TELEMETRY_PORT}`,
        `--resources=${WATCHED.flatMap(([, r]) => r).sort().join(',')}`,
        // The one object label the mixin's volume alerts read: a claim labelled excluded_from_alerts=true does not alert.
        '--metric-labels-allowlist=persistentvolumeclaims=[excluded_from_alerts]',
      ],
      ports: [{ name: 'http-metrics', port: PORT }, { name: 'telemetry', port: TELEMETRY_PORT }],
      resources: props.resources ?? { requests: { cpu: '100m', memory: '256Mi' }, limits: { cpu: '500m', memory: '512Mi' } },
      readiness: Probe.http('/readyz', { port: 'telemetry', period: '10s' }),
      liveness: Probe.http('/livez', { port: 'http-metrics', period: '20s' }),
      writablePaths: [],
    }, { field: 'container', defaultReadiness: undefined, defaultLiveness: undefined });
    new k8s.KubeService(this, 'service', {
      metadata: { name: NAME, namespace: ns, labels },
      spec: {
        clusterIp: 'None',
        selector: componentSelector(NAME),
        ports: [
          { name: 'http-metrics', port: PORT, targetPort: k8s.IntOrString.fromString('http-metrics') },
          { name: 'telemetry', port: TELEMETRY_PORT, targetPort: k8s.IntOrString.fromString('telemetry') },
        ],
      },
    });
    addSingleDeployment(this, {
      name: NAME, namespace: ns, labels, user: 65534, automountToken: true,
      containers: [main.container], volumes: [...main.volumes],
    });
  }
}
