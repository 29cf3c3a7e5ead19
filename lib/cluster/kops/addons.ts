import type { IConstruct } from 'constructs';
import type { ClusterSpec, ClusterSpecClusterAutoscaler } from '../../../imports/kops.k8s.io';
import { Duration, type DurationLike, ImageRef, type ImageRefLike, PlatformError, parseAt } from '../../core';
import type { KubernetesVersion } from '../kubernetes-version';
import { goDuration } from './masters';

/** The link-local address NodeLocal DNSCache answers on, on every node; network policies allow DNS to it. */
export const NODE_LOCAL_DNS_ADDRESS = '169.254.20.10';

/** How the cluster autoscaler picks and removes nodes. */
export interface ClusterAutoscalerProps {
  /** Run the autoscaler. @default true */
  readonly enabled?: boolean;
  /** Which group grows when several could. @default 'least-waste' */
  readonly expander?: 'least-waste' | 'random' | 'most-pods' | 'price' | 'priority';
  /** Keep similar groups (one per zone) at similar sizes. @default true */
  readonly balanceSimilarNodeGroups?: boolean;
  /** A node below this utilisation (0-1) may be removed. @default 0.5 */
  readonly scaleDownUtilizationThreshold?: number;
  /** Wait after a scale-up before considering scale-down. @default '10m' */
  readonly scaleDownDelayAfterAdd?: DurationLike;
  /** How long a node must be unneeded before it is removed. @default '10m' */
  readonly scaleDownUnneededTime?: DurationLike;
  /** Never remove nodes whose pods use local storage (emptyDir). @default true */
  readonly skipNodesWithLocalStorage?: boolean;
  /** The autoscaler image, pinned. @default - the release kops 1.36 pairs with the cluster's Kubernetes minor */
  readonly image?: ImageRefLike;
}

/** The addons kops installs and upgrades with the cluster. */
export interface KopsAddonsProps {
  /** The cluster autoscaler. @default - enabled, least-waste, balanced */
  readonly clusterAutoscaler?: ClusterAutoscalerProps;
  /** AWS node termination handler in queue-processor mode (drains on spot interruptions, rebalance and ASG events). @default true */
  readonly nodeTerminationHandler?: boolean;
  /** metrics-server (with TLS, via cert-manager) for `kubectl top` and pod autoscaling. @default true */
  readonly metricsServer?: boolean;
  /** NodeLocal DNSCache on every node, at {@link NODE_LOCAL_DNS_ADDRESS}. @default true */
  readonly nodeLocalDns?: boolean;
  /** The EBS CSI driver for persistent volumes. @default true */
  readonly ebsCsiDriver?: boolean;
  /** kops-managed external-dns writing Route53 records (its IAM role is kops's own). @default true */
  readonly externalDns?: boolean;
}

/** The image kops 1.36 picks for each Kubernetes minor (pkg/model/components/clusterautoscaler.go). */
const AUTOSCALER_IMAGES: Readonly<Record<number, string>> = {
  31: 'registry.k8s.io/autoscaling/cluster-autoscaler:v1.31.5',
  32: 'registry.k8s.io/autoscaling/cluster-autoscaler:v1.32.7',
  33: 'registry.k8s.io/autoscaling/cluster-autoscaler:v1.33.5',
  34: 'registry.k8s.io/autoscaling/cluster-autoscaler:v1.34.4',
  35: 'registry.k8s.io/autoscaling/cluster-autoscaler:v1.35.1',
  36: 'registry.k8s.io/autoscaling/cluster-autoscaler:v1.36.0',
};

function clusterAutoscaler(scope: IConstruct, props: ClusterAutoscalerProps, version: KubernetesVersion): ClusterSpecClusterAutoscaler {
  const enabled = props.enabled ?? true;
  if (!enabled) return { enabled: false };
  const threshold = props.scaleDownUtilizationThreshold ?? 0.5;
  if (!(threshold > 0 && threshold <= 1)) {
    throw PlatformError.at(scope, { field: 'addons.clusterAutoscaler.scaleDownUtilizationThreshold', value: threshold, rule: 'must be above 0 and at most 1', fix: 'use a fraction such as 0.5' });
  }
  const image = parseAt(scope, 'addons.clusterAutoscaler.image', () => ImageRef.of(props.image ?? AUTOSCALER_IMAGES[version.minor] ?? ''));
  return {
    enabled: true,
    expander: props.expander ?? 'least-waste',
    balanceSimilarNodeGroups: props.balanceSimilarNodeGroups ?? true,
    scaleDownUtilizationThreshold: String(threshold),
    scaleDownDelayAfterAdd: goDuration(parseAt(scope, 'addons.clusterAutoscaler.scaleDownDelayAfterAdd', () => Duration.of(props.scaleDownDelayAfterAdd ?? '10m'))),
    scaleDownUnneededTime: goDuration(parseAt(scope, 'addons.clusterAutoscaler.scaleDownUnneededTime', () => Duration.of(props.scaleDownUnneededTime ?? '10m'))),
    skipNodesWithLocalStorage: props.skipNodesWithLocalStorage ?? true,
    skipNodesWithSystemPods: true,
    image: image.toString(),
  };
}

/** The addon part of the cluster spec. */
export function addonsSpec(scope: IConstruct, props: KopsAddonsProps, version: KubernetesVersion): Partial<ClusterSpec> {
  const nth = props.nodeTerminationHandler ?? true;
  const metrics = props.metricsServer ?? true;
  const nodeLocal = props.nodeLocalDns ?? true;
  const ebs = props.ebsCsiDriver ?? true;
  const externalDns = props.externalDns ?? true;
  return {
    clusterAutoscaler: clusterAutoscaler(scope, props.clusterAutoscaler ?? {}, version),
    nodeTerminationHandler: nth
      ? { enabled: true, enableSqsTerminationDraining: true, enableRebalanceDraining: true, enableSpotInterruptionDraining: true, managedAsgTag: 'aws-node-termination-handler/managed' }
      : { enabled: false },
    metricsServer: { enabled: metrics, insecure: false },
    kubeDns: { provider: 'CoreDNS', nodeLocalDns: nodeLocal ? { enabled: true, localIp: NODE_LOCAL_DNS_ADDRESS, forwardToKubeDns: true } : { enabled: false } },
    cloudConfig: { awsEbscsiDriver: { enabled: ebs, managed: true } },
    // No Ingress is written (the edge is on the Gateway API; route hosts are published through the
    // Envoy Service's hostname annotation): without watchIngress kops's ExternalDNSArgv drops
    // --source=ingress (kops upup/pkg/fi/cloudup/template_functions.go) and keeps pod and service.
    externalDns: externalDns ? { provider: 'external-dns', watchIngress: false } : { provider: 'dns-controller' },
  };
}
