import { Construct } from 'constructs';
import { k8s } from 'cdk8s-plus-27';
import { buildContainer } from '../../apps/container';
import { Probe } from '../../apps/probe';
import type { ResourcesProps } from '../../apps/resources';
import { ImageRef, parseAt, type ImageRefLike } from '../../core';
import { Exemption } from '../../policy/exemption';
import { addScrapedAgentPolicies, addServiceAccount, componentLabels, componentSelector, podSecurity } from './component';
import { MONITORING_IMAGES } from './images';
import type { ExporterService } from './prometheus-config';
import { checkProps } from '../../core/props-check';

/** Props of a {@link NodeExporter}. */
export interface NodeExporterProps {
  /** The namespace it runs in, its own (its Pod Security level must be `privileged`). */
  readonly namespace: string;
  /** The pods that scrape it: the only ones its network policy admits, on its port alone. */
  readonly scrapedBy: { readonly namespace: string; readonly name: string };
  /** The image. @default MONITORING_IMAGES.nodeExporter */
  readonly image?: ImageRefLike;
  /** Requests and limits. @default { requests: { cpu: '50m', memory: '64Mi' }, limits: { cpu: '250m', memory: '128Mi' } } */
  readonly resources?: ResourcesProps;
  /** The registry pull secret the ServiceAccount names. @default - none */
  readonly imagePullSecret?: string;
}

/** The port node-exporter serves on, on each node's network. */
export const NODE_EXPORTER_PORT = 9100;
/**
 * The namespace node-exporter runs in, alone: the one namespace of the addon whose Pod Security
 * level is `privileged`, so the rest of the addon runs under `restricted`.
 */
export const NODE_EXPORTER_NAMESPACE = 'platform-node-exporter';
const NAME = 'node-exporter';

/**
 * node-exporter on every node, tolerating every taint. It reads the node's network statistics,
 * process table and filesystems, so it shares the host network and PID namespace and mounts the
 * host's `/` and `/sys` read-only: three typed policy exemptions, each with its reason.
 *
 * Its namespace's network policies deny everything but Prometheus on its port. A host-network
 * pod is the node to most network plugins (the NetworkPolicy API leaves host-network pods to the
 * plugin; Calico applies no workload policy to them), so these policies hold only where the plugin
 * enforces them on host-network pods; what holds everywhere is the other side: Prometheus's egress
 * reaches nodes on its scrape ports only, and team namespaces deny egress by default.
 */
export class NodeExporter extends Construct {
  /** The Service Prometheus discovers it through. */
  public readonly service: ExporterService & { readonly namespace: string; readonly portNumber: number };

  public constructor(scope: Construct, id: string, props: NodeExporterProps) {
    super(scope, id);
    props = checkProps(this, NodeExporter, props);
    const image = parseAt(this, 'image', () => ImageRef.of(props.image ?? MONITORING_IMAGES.nodeExporter));
    const ns = props.namespace;
    this.service = { service: NAME, port: 'metrics', namespace: ns, portNumber: NODE_EXPORTER_PORT };
    const labels = componentLabels(NAME, 'exporter', image);
    addServiceAccount(this, NAME, ns, labels, props.imagePullSecret);
    const main = buildContainer(this, NAME, {
      image,
      args: [
        `--web.listen-address=:${NODE_EXPORTER_PORT}`,
        '--path.procfs=/host/proc',
        '--path.sysfs=/host/sys',
        '--path.rootfs=/host/root',
        '--path.udev.data=/host/root/run/udev/data',
        '--no-collector.wifi',
        '--no-collector.hwmon',
        '--collector.filesystem.mount-points-exclude=^/(dev|proc|sys|run/containerd/.+|var/lib/docker/.+|var/lib/kubelet/pods/.+)($|/)',
        '--collector.netclass.ignored-devices=^(veth.*|cali.*|[a-f0-9]{15})$',
        '--collector.netdev.device-exclude=^(veth.*|cali.*|[a-f0-9]{15})$',
      ],
      ports: [{ name: 'metrics', port: NODE_EXPORTER_PORT }],
      resources: props.resources ?? { requests: { cpu: '50m', memory: '64Mi' }, limits: { cpu: '250m', memory: '128Mi' } },
      readiness: Probe.http('/', { period: '15s' }),
      liveness: Probe.http('/', { period: '30s' }),
      writablePaths: [],
    }, {
      field: 'container', defaultReadiness: undefined, defaultLiveness: undefined,
      mounts: [
        { name: 'proc', mountPath: '/host/proc', readOnly: true },
        { name: 'sys', mountPath: '/host/sys', readOnly: true, mountPropagation: 'HostToContainer' },
        { name: 'root', mountPath: '/host/root', readOnly: true, mountPropagation: 'HostToContainer' },
      ],
    });
    new k8s.KubeService(this, 'service', {
      metadata: { name: NAME, namespace: ns, labels },
      spec: { clusterIp: 'None', selector: componentSelector(NAME), ports: [{ name: 'metrics', port: NODE_EXPORTER_PORT, targetPort: k8s.IntOrString.fromString('metrics') }] },
    });
    const daemonSet = new k8s.KubeDaemonSet(this, 'daemonset', {
      metadata: { name: NAME, namespace: ns, labels },
      spec: {
        selector: { matchLabels: componentSelector(NAME) },
        updateStrategy: { type: 'RollingUpdate', rollingUpdate: { maxUnavailable: k8s.IntOrString.fromString('10%') } },
        template: {
          metadata: { labels },
          spec: {
            serviceAccountName: NAME,
            automountServiceAccountToken: false,
            hostNetwork: true,
            hostPid: true,
            priorityClassName: 'system-node-critical',
            securityContext: podSecurity(65534),
            tolerations: [{ operator: 'Exists' }],
            containers: [main.container],
            volumes: [
              { name: 'proc', hostPath: { path: '/proc' } },
              { name: 'sys', hostPath: { path: '/sys' } },
              { name: 'root', hostPath: { path: '/' } },
            ],
          },
        },
      },
    });
    addScrapedAgentPolicies(this, NAME, ns, props.scrapedBy, [NODE_EXPORTER_PORT]);
    Exemption.add(daemonSet, { rule: 'host-network', reason: "node-exporter reports the node's own network interfaces and sockets" });
    Exemption.add(daemonSet, { rule: 'host-pid', reason: "node-exporter reads the node's process table for process and pressure statistics" });
    Exemption.add(daemonSet, { rule: 'host-path', reason: "node-exporter reads the node's /proc, /sys and filesystems read-only" });
  }
}
