import { Construct } from 'constructs';
import { k8s } from 'cdk8s-plus-27';
import { addHashedConfigMap } from '../../apps/config';
import { buildContainer } from '../../apps/container';
import { Probe } from '../../apps/probe';
import { addScrapePolicy, scrapeMetadata, type ScrapeDeclaration } from '../../apps/scrape';
import { nonRootPodSecurity } from '../../apps/workload';
import { ImageRef, Quantity, parseAt, type ImageRefLike } from '../../core';
import { renderFluentBitConfig } from './fluent-bit-config';
import { FLUENT_BIT_HTTP_PORT, eventPipeline } from './fluent-bit-pipelines';
import type { FluentBitAgentProps } from './fluent-bit-agent';
import { addReaderIdentity } from './fluent-bit-rbac';
import { LOGGING_IMAGES } from './images';
import { componentLabels, componentSelector } from './logging-component';
import type { LossBudget } from './loss-budget';

/** Props of an {@link EventShipper}. */
export interface EventShipperProps {
  readonly namespace: string;
  readonly target: FluentBitAgentProps['target'];
  readonly events: LossBudget;
  /** The StorageClass of its state volume. */
  readonly storageClassName: string;
  /** The image. @default LOGGING_IMAGES.fluentBit */
  readonly image?: ImageRefLike;
  readonly imagePullSecret?: string;
}

/** The shipper's name. */
export const EVENT_SHIPPER_NAME = 'event-shipper';
const STATE = '/var/fluent-bit/state';

/**
 * Every Kubernetes event to Elasticsearch, once: Fluent Bit's `kubernetes_events` input in ONE
 * pod (in the node agent every node would ship every event). A one-replica StatefulSet, so its
 * position database and buffer live on a volume of their own and survive a restart or a move.
 */
export class EventShipper extends Construct {
  /** Its metrics endpoint, as the node agent's. */
  public readonly scrape: ScrapeDeclaration = { portName: 'http', port: FLUENT_BIT_HTTP_PORT, path: '/api/v2/metrics/prometheus', interval: undefined };

  public constructor(scope: Construct, id: string, props: EventShipperProps) {
    super(scope, id);
    const ns = props.namespace;
    const image = parseAt(this, 'image', () => ImageRef.of(props.image ?? LOGGING_IMAGES.fluentBit));
    const labels = componentLabels(EVENT_SHIPPER_NAME, 'events', image);
    // The input lists and watches /api/v1/events (plugins/in_kubernetes_events/kubernetes_events_conf.h, K8S_EVENTS_KUBE_API_URI).
    addReaderIdentity(this, EVENT_SHIPPER_NAME, ns, labels, [{ apiGroups: [''], resources: ['events'], verbs: ['get', 'list', 'watch'] }], props.imagePullSecret);
    const config = renderFluentBitConfig(eventPipeline({
      target: { host: props.target.host, port: props.target.port, user: props.target.user, caFile: '/etc/elasticsearch-ca/ca.crt', passwordEnv: 'ES_PASSWORD' },
      statePath: STATE,
      events: props.events,
    }));
    const configMap = addHashedConfigMap(this, 'config', EVENT_SHIPPER_NAME, labels, { 'fluent-bit.yaml': config }, ns);
    const main = buildContainer(this, EVENT_SHIPPER_NAME, {
      image,
      command: ['/fluent-bit/bin/fluent-bit', '-c', '/fluent-bit/etc/platform/fluent-bit.yaml'],
      secretEnv: { ES_PASSWORD: props.target.passwordSecret },
      ports: [{ name: 'http', port: FLUENT_BIT_HTTP_PORT }],
      resources: { requests: { cpu: '50m', memory: '64Mi' }, limits: { cpu: '250m', memory: '128Mi' } },
      readiness: Probe.http('/api/v1/health', { period: '15s' }),
      liveness: Probe.http('/api/v1/health', { period: '30s', failureThreshold: 4 }),
      writablePaths: [],
    }, {
      field: 'events', defaultReadiness: undefined, defaultLiveness: undefined,
      mounts: [
        { name: 'config', mountPath: '/fluent-bit/etc/platform', readOnly: true },
        { name: 'state', mountPath: STATE },
        { name: 'elasticsearch-ca', mountPath: '/etc/elasticsearch-ca', readOnly: true },
      ],
    });
    const scrapeMeta = scrapeMetadata(this.scrape);
    new k8s.KubeService(this, 'service', {
      metadata: { name: EVENT_SHIPPER_NAME, namespace: ns, labels: { ...labels, ...scrapeMeta.labels }, annotations: scrapeMeta.annotations },
      spec: { clusterIp: 'None', selector: componentSelector(EVENT_SHIPPER_NAME), ports: [{ name: 'http', port: FLUENT_BIT_HTTP_PORT, targetPort: k8s.IntOrString.fromString('http') }] },
    });
    addScrapePolicy(this, EVENT_SHIPPER_NAME, ns, componentSelector(EVENT_SHIPPER_NAME), this.scrape);
    // The volume holds the buffer limit twice over (chunks being written and the position database beside it), at least 1Gi.
    const volume = Quantity.of(`${Math.max(1, Math.ceil((props.events.limitMegabytes * 2) / 1000))}Gi`);
    new k8s.KubeStatefulSet(this, 'statefulset', {
      metadata: { name: EVENT_SHIPPER_NAME, namespace: ns, labels },
      spec: {
        serviceName: EVENT_SHIPPER_NAME,
        replicas: 1,
        selector: { matchLabels: componentSelector(EVENT_SHIPPER_NAME) },
        template: {
          metadata: { labels },
          spec: {
            serviceAccountName: EVENT_SHIPPER_NAME,
            automountServiceAccountToken: true,
            securityContext: nonRootPodSecurity(65534),
            containers: [main.container],
            volumes: [
              { name: 'config', configMap: { name: configMap } },
              { name: 'elasticsearch-ca', secret: { secretName: props.target.caSecret } },
            ],
          },
        },
        volumeClaimTemplates: [{
          metadata: { name: 'state' },
          spec: { accessModes: ['ReadWriteOnce'], storageClassName: props.storageClassName, resources: { requests: { storage: k8s.Quantity.fromString(String(volume)) } } },
        }],
      },
    });
  }
}
