import { Lazy } from 'cdk8s';
import { Construct } from 'constructs';
import { k8s } from 'cdk8s-plus-27';
import {
  EnvoyProxy, EnvoyProxySpecProviderKubernetesEnvoyDeploymentContainerResourcesLimits as Limits,
  EnvoyProxySpecProviderKubernetesEnvoyDeploymentContainerResourcesRequests as Requests,
  EnvoyProxySpecProviderKubernetesEnvoyPdbMaxUnavailable, EnvoyProxySpecProviderKubernetesEnvoyServiceExternalTrafficPolicy,
  EnvoyProxySpecProviderKubernetesEnvoyServiceType, EnvoyProxySpecProviderType, EnvoyProxySpecTelemetryAccessLogSettingsFormatType,
  EnvoyProxySpecTelemetryAccessLogSettingsSinksType, type EnvoyProxySpecProviderKubernetesEnvoyHpa,
} from '../../../imports/gateway.envoyproxy.io';
import { GatewayClass } from '../../../imports/gateway.networking.k8s.io';
import { resolveResources, type ResourcesProps } from '../../apps/resources';
import { scrapeMetadata, type ScrapeDeclaration } from '../../apps/scrape';
import { Cidr, type CidrLike, GATEWAY_PROXY_LABELS, ImageRef, type ImageRefLike, Platform, PlatformError, parseAt } from '../../core';
import type { Placement } from './front-nodes';
import { EDGE_IMAGES, PROXY_PORTS } from './images';
import { checkProps } from '../../core/props-check';

/** Whether the NLB gets a public address or only one inside the VPC. */
export type LoadBalancerScheme = 'internet-facing' | 'internal';

/** The AWS Network Load Balancer in front of the Envoy pods. */
export interface LoadBalancerProps {
  /** Public, or reachable only from inside the VPC (and what is peered with it). @default 'internet-facing' */
  readonly scheme?: LoadBalancerScheme;
  /** The client addresses the NLB and the Envoy pods' network policy accept. @default ['0.0.0.0/0'] */
  readonly clientCidrs?: readonly CidrLike[];
}

/** How many Envoy pods run: a fixed count, or an autoscaler's range. */
export type ProxyScale = { readonly replicas: number } | { readonly minReplicas: number; readonly maxReplicas: number; readonly cpuUtilization?: number };

/** The Envoy pods of the platform Gateway. */
export interface EdgeProxyProps {
  /** The Envoy image. @default EDGE_IMAGES.envoy */
  readonly image?: ImageRefLike;
  /** Replicas, or an HPA's range (at least 2 either way: a PodDisruptionBudget keeps all but one up). @default { replicas: 3 } */
  readonly scale?: ProxyScale;
  /** Requests and limits of the Envoy container. @default { requests: { cpu: '200m', memory: '256Mi' }, limits: { cpu: '1', memory: '512Mi' } } */
  readonly resources?: ResourcesProps;
}

/** Props of an {@link EdgeProxy}. */
export interface EdgeProxyResolvedProps extends EdgeProxyProps {
  /** The namespace of the EnvoyProxy (the Gateway's and the controller's). */
  readonly namespace: string;
  /** Where the Envoy pods run. */
  readonly placement: Placement;
  /** The load balancer. @default - internet-facing, open to every client */
  readonly loadBalancer?: LoadBalancerProps;
  /** The host names the Envoy Service carries for kops's external-dns, computed at synth. */
  readonly hosts: () => readonly string[];
}

const INTERNET = Cidr.parse('0.0.0.0/0');
/** The annotation kops's external-dns (`--source=service`) reads the record names of a LoadBalancer Service from. */
export const EXTERNAL_DNS_HOSTNAME = 'external-dns.alpha.kubernetes.io/hostname';
/** The name of the platform's EnvoyProxy. */
export const ENVOY_PROXY_NAME = 'platform';

/**
 * The data plane: an EnvoyProxy that tells Envoy Gateway how to run the Envoy pods of the
 * platform Gateway — on the front nodes (their labels, their taints tolerated), spread across
 * zones, replicas or an HPA, a PodDisruptionBudget, requests and limits, non-root on a read-only
 * root filesystem, JSON access logs on stdout — and the AWS NLB Service in front of them (typed
 * annotations, `externalTrafficPolicy: Local` so the client address reaches Envoy, the route
 * hosts for external-dns). The GatewayClass points at it; a metrics Service declares Envoy's
 * Prometheus endpoint for scraping. The controller creates the Deployment and Service itself.
 */
export class EdgeProxy extends Construct {
  /** The EnvoyProxy. */
  public readonly envoyProxy: EnvoyProxy;
  /** The GatewayClass served by Envoy Gateway with this EnvoyProxy. */
  public readonly gatewayClass: GatewayClass;
  /** The client blocks the load balancer admits. */
  public readonly clientCidrs: readonly Cidr[];
  /** How Prometheus scrapes Envoy. */
  public readonly scrape: ScrapeDeclaration;

  public constructor(scope: Construct, id: string, props: EdgeProxyResolvedProps) {
    super(scope, id);
    props = checkProps(this, EdgeProxy, props);
    const scale = props.scale ?? { replicas: 3 };
    const scheme = props.loadBalancer?.scheme ?? 'internet-facing';
    const clientCidrs = props.loadBalancer?.clientCidrs ?? ['0.0.0.0/0'];
    const image = parseAt(this, 'proxy.image', () => ImageRef.of(props.image ?? EDGE_IMAGES.envoy));
    const resources = resolveResources(this, 'proxy.resources', props.resources ?? { requests: { cpu: '200m', memory: '256Mi' }, limits: { cpu: '1', memory: '512Mi' } });
    const least = 'replicas' in scale ? scale.replicas : scale.minReplicas;
    if (!Number.isInteger(least) || least < 2) {
      throw PlatformError.at(this, {
        field: 'proxy.scale', value: scale, rule: 'must keep at least 2 Envoy pods (replicas, or minReplicas)',
        fix: 'run at least 2 (3 spreads over three zones): the edge is every service\'s way in',
      });
    }
    if (!('replicas' in scale) && (!Number.isInteger(scale.maxReplicas) || scale.maxReplicas < scale.minReplicas)) {
      throw PlatformError.at(this, { field: 'proxy.scale.maxReplicas', value: scale.maxReplicas, rule: `must be a whole number >= minReplicas (${scale.minReplicas})`, fix: 'raise maxReplicas' });
    }
    if (clientCidrs.length === 0) {
      throw PlatformError.at(this, { field: 'loadBalancer.clientCidrs', value: [], rule: 'must not be empty', fix: "list the client blocks, or ['0.0.0.0/0'] for everyone" });
    }
    this.clientCidrs = clientCidrs.map((c, i) => parseAt(this, `loadBalancer.clientCidrs[${i}]`, () => Cidr.of(c)));
    const open = this.clientCidrs.some((c) => c.equals(INTERNET));
    const labels = { 'app.kubernetes.io/name': 'envoy', 'app.kubernetes.io/part-of': 'edge', 'app.kubernetes.io/managed-by': Platform.managedBy };
    const p = props.placement;
    const proxyPods = { matchLabels: { ...GATEWAY_PROXY_LABELS } };
    const nonRoot = { runAsNonRoot: true, runAsUser: 65532, runAsGroup: 65532 };
    const hpa: EnvoyProxySpecProviderKubernetesEnvoyHpa | undefined = 'replicas' in scale ? undefined : {
      minReplicas: scale.minReplicas, maxReplicas: scale.maxReplicas,
      metrics: [{ type: 'Resource', resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: scale.cpuUtilization ?? 70 } } }],
    };

    this.envoyProxy = new EnvoyProxy(this, 'envoy-proxy', {
      metadata: { name: ENVOY_PROXY_NAME, namespace: props.namespace, labels },
      spec: {
        provider: {
          type: EnvoyProxySpecProviderType.KUBERNETES,
          kubernetes: {
            envoyDeployment: {
              ...('replicas' in scale ? { replicas: scale.replicas } : {}),
              pod: {
                nodeSelector: { ...p.nodeSelector },
                ...(p.tolerations.length === 0 ? {} : { tolerations: p.tolerations.map((t) => ({ ...t })) }),
                topologySpreadConstraints: [
                  { topologyKey: 'topology.kubernetes.io/zone', maxSkew: 1, whenUnsatisfiable: 'DoNotSchedule', labelSelector: proxyPods },
                  { topologyKey: 'kubernetes.io/hostname', maxSkew: 1, whenUnsatisfiable: 'ScheduleAnyway', labelSelector: proxyPods },
                ],
                securityContext: { ...nonRoot, fsGroup: 65532, seccompProfile: { type: 'RuntimeDefault' } },
                imagePullSecrets: [{ name: Platform.imagePullSecret }],
              },
              container: {
                image: image.toString(),
                resources: {
                  requests: { cpu: Requests.fromString(resources.requests.cpu.toString()), memory: Requests.fromString(resources.requests.memory.toString()) },
                  limits: { cpu: Limits.fromString(resources.limits.cpu.toString()), memory: Limits.fromString(resources.limits.memory.toString()) },
                },
                securityContext: {
                  ...nonRoot, allowPrivilegeEscalation: false, privileged: false, readOnlyRootFilesystem: true,
                  capabilities: { drop: ['ALL'] }, seccompProfile: { type: 'RuntimeDefault' },
                },
              },
            },
            ...(hpa === undefined ? {} : { envoyHpa: hpa }),
            envoyPdb: { maxUnavailable: EnvoyProxySpecProviderKubernetesEnvoyPdbMaxUnavailable.fromNumber(1) },
            envoyService: {
              type: EnvoyProxySpecProviderKubernetesEnvoyServiceType.LOAD_BALANCER,
              // Local: the client address reaches Envoy, and only nodes running an Envoy pod pass the NLB's health check.
              externalTrafficPolicy: EnvoyProxySpecProviderKubernetesEnvoyServiceExternalTrafficPolicy.LOCAL,
              ...(open ? {} : { loadBalancerSourceRanges: this.clientCidrs.map(String) }),
              annotations: Lazy.any({ produce: () => ({ ...nlbAnnotations(scheme, p.targetNodeLabels), ...hostnameAnnotation(props.hosts()) }) }) as unknown as Record<string, string>,
            },
          },
        },
        telemetry: {
          accessLog: {
            settings: [{
              format: { type: EnvoyProxySpecTelemetryAccessLogSettingsFormatType.JSON, json: ACCESS_LOG_FIELDS },
              sinks: [{ type: EnvoyProxySpecTelemetryAccessLogSettingsSinksType.FILE, file: { path: '/dev/stdout' } }],
            }],
          },
        },
      },
    });

    this.gatewayClass = new GatewayClass(this, 'gateway-class', {
      metadata: { name: Platform.gatewayClassName, labels },
      spec: {
        controllerName: Platform.gatewayController,
        parametersRef: { group: 'gateway.envoyproxy.io', kind: 'EnvoyProxy', name: ENVOY_PROXY_NAME, namespace: props.namespace },
      },
    });

    this.scrape = { portName: 'metrics', port: PROXY_PORTS.metrics, path: '/stats/prometheus', interval: undefined };
    const scrape = scrapeMetadata(this.scrape);
    new k8s.KubeService(this, 'metrics-service', {
      metadata: { name: 'envoy-metrics', namespace: props.namespace, labels: { ...labels, ...scrape.labels }, annotations: scrape.annotations },
      spec: {
        type: 'ClusterIP', selector: { ...GATEWAY_PROXY_LABELS },
        ports: [{ name: 'metrics', port: PROXY_PORTS.metrics, targetPort: k8s.IntOrString.fromNumber(PROXY_PORTS.metrics), protocol: 'TCP' }],
      },
    });
  }
}

/** Envoy's access log fields (Envoy command operators), one JSON object per request on stdout. */
export const ACCESS_LOG_FIELDS: Readonly<Record<string, string>> = {
  start_time: '%START_TIME%',
  method: '%REQ(:METHOD)%',
  authority: '%REQ(:AUTHORITY)%',
  path: '%REQ(X-ENVOY-ORIGINAL-PATH?:PATH)%',
  protocol: '%PROTOCOL%',
  response_code: '%RESPONSE_CODE%',
  response_flags: '%RESPONSE_FLAGS%',
  bytes_received: '%BYTES_RECEIVED%',
  bytes_sent: '%BYTES_SENT%',
  duration_ms: '%DURATION%',
  upstream_host: '%UPSTREAM_HOST%',
  client_address: '%DOWNSTREAM_REMOTE_ADDRESS_WITHOUT_PORT%',
  user_agent: '%REQ(USER-AGENT)%',
  request_id: '%REQ(X-REQUEST-ID)%',
  route_name: '%ROUTE_NAME%',
};

/**
 * The annotations the AWS cloud controller manager (kops's default; no AWS Load Balancer
 * Controller runs) reads: a Network Load Balancer, internal or not, balancing across zones, with
 * only the front nodes registered as targets.
 */
export function nlbAnnotations(scheme: LoadBalancerScheme, targetNodeLabels: string | undefined): Record<string, string> {
  const aws = 'service.beta.kubernetes.io/aws-load-balancer';
  return {
    [`${aws}-type`]: 'nlb',
    [`${aws}-cross-zone-load-balancing-enabled`]: 'true',
    ...(scheme === 'internal' ? { [`${aws}-internal`]: 'true' } : {}),
    ...(targetNodeLabels === undefined ? {} : { [`${aws}-target-node-labels`]: targetNodeLabels }),
  };
}

/** The external-dns hostname annotation for the hosts (sorted, without repeats), or nothing when there are none. */
export function hostnameAnnotation(hosts: readonly string[]): Record<string, string> {
  const sorted = [...new Set(hosts)].sort();
  return sorted.length === 0 ? {} : { [EXTERNAL_DNS_HOSTNAME]: sorted.join(',') };
}
