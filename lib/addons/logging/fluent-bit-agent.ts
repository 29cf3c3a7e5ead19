import { Construct } from 'constructs';
import { k8s } from 'cdk8s-plus-27';
import { addHashedConfigMap } from '../../apps/config';
import { buildContainer } from '../../apps/container';
import { Probe } from '../../apps/probe';
import type { ResourcesProps } from '../../apps/resources';
import { addScrapePolicy, scrapeMetadata, type ScrapeDeclaration } from '../../apps/scrape';
import { ImageRef, parseAt, type ImageRefLike, type NodeTaint } from '../../core';
import { Exemption } from '../../policy/exemption';
import { renderFluentBitConfig } from './fluent-bit-config';
import { FLUENT_BIT_HTTP_PORT, nodePipeline, type ContainerIndexMode, type ElasticsearchTarget } from './fluent-bit-pipelines';
import { addReaderIdentity } from './fluent-bit-rbac';
import { LOGGING_IMAGES } from './images';
import { componentLabels, componentSelector } from './logging-component';
import type { LossBudget } from './loss-budget';

/** Props of a {@link FluentBitAgent}. */
export interface FluentBitAgentProps {
  readonly namespace: string;
  /** Elasticsearch, with the password's Secret and the CA's Secret in `namespace`. */
  readonly target: Omit<ElasticsearchTarget, 'caFile' | 'passwordEnv'> & { readonly passwordSecret: { readonly secret: string; readonly key: string }; readonly caSecret: string };
  /** Container logs' budget. */
  readonly containers: LossBudget;
  /** How container logs are indexed. @default 'daily' */
  readonly containerIndex?: ContainerIndexMode;
  /** The API server audit log (on masters) and its budget. */
  readonly audit: { readonly path: string; readonly budget: LossBudget } | undefined;
  /** The taints of every node group and of the control plane: the agent tolerates each, so it runs on every node. */
  readonly taints: readonly NodeTaint[];
  /** The image. @default LOGGING_IMAGES.fluentBit */
  readonly image?: ImageRefLike;
  /** Requests and limits. @default { requests: { cpu: '100m', memory: '128Mi' }, limits: { cpu: '500m', memory: '256Mi' } } */
  readonly resources?: ResourcesProps;
  readonly imagePullSecret?: string;
}

/** The agent's name. */
export const FLUENT_BIT_NAME = 'fluent-bit';
/** The host folder the agent keeps its buffer and tail positions in: it outlives the pod, so a restart resumes where it stopped. */
export const AGENT_STATE_PATH = '/var/fluent-bit/state';
const CA_DIR = '/etc/elasticsearch-ca';

/**
 * Fluent Bit on every node (masters included): container logs and the API server's audit log to
 * Elasticsearch, buffered on the host's disk. It reads the host's `/var/log` (root-owned files,
 * so it runs as uid 0 with every capability dropped and a read-only root filesystem) and keeps
 * its state in a host folder: two typed policy exemptions, in a namespace of its own.
 */
export class FluentBitAgent extends Construct {
  /** Its metrics endpoint (`/api/v2/metrics/prometheus`). */
  public readonly scrape: ScrapeDeclaration = { portName: 'http', port: FLUENT_BIT_HTTP_PORT, path: '/api/v2/metrics/prometheus', interval: undefined };

  public constructor(scope: Construct, id: string, props: FluentBitAgentProps) {
    super(scope, id);
    const ns = props.namespace;
    const image = parseAt(this, 'image', () => ImageRef.of(props.image ?? LOGGING_IMAGES.fluentBit));
    const labels = componentLabels(FLUENT_BIT_NAME, 'agent', image);
    // Upstream's chart (fluent/helm-charts, charts/fluent-bit) grants the Kubernetes filter these reads, for pod metadata.
    addReaderIdentity(this, FLUENT_BIT_NAME, ns, labels, [{ apiGroups: [''], resources: ['pods', 'namespaces'], verbs: ['get', 'list', 'watch'] }], props.imagePullSecret);
    const config = renderFluentBitConfig(nodePipeline({
      target: { host: props.target.host, port: props.target.port, user: props.target.user, caFile: `${CA_DIR}/ca.crt`, passwordEnv: 'ES_PASSWORD' },
      statePath: AGENT_STATE_PATH,
      containerIndex: props.containerIndex ?? 'daily',
      containers: props.containers,
      audit: props.audit,
    }));
    const configMap = addHashedConfigMap(this, 'config', FLUENT_BIT_NAME, labels, { 'fluent-bit.yaml': config }, ns);
    const main = buildContainer(this, FLUENT_BIT_NAME, {
      image,
      command: ['/fluent-bit/bin/fluent-bit', '-c', '/fluent-bit/etc/platform/fluent-bit.yaml'],
      secretEnv: { ES_PASSWORD: props.target.passwordSecret },
      ports: [{ name: 'http', port: FLUENT_BIT_HTTP_PORT }],
      resources: props.resources ?? { requests: { cpu: '100m', memory: '128Mi' }, limits: { cpu: '500m', memory: '256Mi' } },
      readiness: Probe.http('/api/v1/health', { period: '15s' }),
      liveness: Probe.http('/api/v1/health', { period: '30s', failureThreshold: 4 }),
      writablePaths: [],
    }, {
      field: 'agent', defaultReadiness: undefined, defaultLiveness: undefined,
      mounts: [
        { name: 'config', mountPath: '/fluent-bit/etc/platform', readOnly: true },
        { name: 'varlog', mountPath: '/var/log', readOnly: true },
        { name: 'state', mountPath: AGENT_STATE_PATH },
        { name: 'elasticsearch-ca', mountPath: CA_DIR, readOnly: true },
      ],
    });
    const scrapeMeta = scrapeMetadata(this.scrape);
    new k8s.KubeService(this, 'service', {
      metadata: { name: FLUENT_BIT_NAME, namespace: ns, labels: { ...labels, ...scrapeMeta.labels }, annotations: scrapeMeta.annotations },
      spec: { clusterIp: 'None', selector: componentSelector(FLUENT_BIT_NAME), ports: [{ name: 'http', port: FLUENT_BIT_HTTP_PORT, targetPort: k8s.IntOrString.fromString('http') }] },
    });
    addScrapePolicy(this, FLUENT_BIT_NAME, ns, componentSelector(FLUENT_BIT_NAME), this.scrape);
    const daemonSet = new k8s.KubeDaemonSet(this, 'daemonset', {
      metadata: { name: FLUENT_BIT_NAME, namespace: ns, labels },
      spec: {
        selector: { matchLabels: componentSelector(FLUENT_BIT_NAME) },
        updateStrategy: { type: 'RollingUpdate', rollingUpdate: { maxUnavailable: k8s.IntOrString.fromString('10%') } },
        template: {
          metadata: { labels },
          spec: {
            serviceAccountName: FLUENT_BIT_NAME,
            automountServiceAccountToken: true,
            priorityClassName: 'system-node-critical',
            // Long enough to flush what is in memory; what is on disk is kept for the next pod.
            terminationGracePeriodSeconds: 30,
            securityContext: { runAsNonRoot: false, runAsUser: 0, runAsGroup: 0, seccompProfile: { type: 'RuntimeDefault' } },
            tolerations: tolerationsOf(props.taints),
            containers: [{ ...main.container, securityContext: { ...main.container.securityContext, runAsNonRoot: false, runAsUser: 0 } }],
            volumes: [
              { name: 'config', configMap: { name: configMap } },
              { name: 'varlog', hostPath: { path: '/var/log', type: 'Directory' } },
              { name: 'state', hostPath: { path: AGENT_STATE_PATH, type: 'DirectoryOrCreate' } },
              { name: 'elasticsearch-ca', secret: { secretName: props.target.caSecret } },
            ],
          },
        },
      },
    });
    Exemption.add(daemonSet, { rule: 'host-path', reason: "Fluent Bit reads the node's /var/log (container logs, the API server's audit log) read-only and keeps its buffer and tail positions in /var/fluent-bit/state, so a restarted pod resumes" });
    Exemption.add(daemonSet, { rule: 'run-as-non-root', reason: 'the kubelet and the API server write their logs root-owned (0640/0600); Fluent Bit reads them as uid 0 with every capability dropped, no privilege escalation and a read-only root filesystem' });
  }
}

/** One toleration per distinct taint (key and effect), so the agent lands on every node and on nothing unknown. */
export function tolerationsOf(taints: readonly NodeTaint[]): k8s.Toleration[] {
  const seen = new Map<string, k8s.Toleration>();
  for (const t of taints) seen.set(`${t.key}|${t.effect}`, { key: t.key, operator: 'Exists', effect: t.effect });
  return [...seen.values()].sort((a, b) => `${a.key}|${a.effect}`.localeCompare(`${b.key}|${b.effect}`));
}
