import type { Construct } from 'constructs';
import { k8s } from 'cdk8s-plus-27';
import { PlatformError, type DurationLike } from '../core';
import { replicaPlan, resolveShutdown, type AutoscalingProps, type AvailabilityProps } from './availability';
import { addHashedConfigMap } from './config';
import type { PortProps } from './container';
import { addDeployments, type DeploymentVariant, type MemoryStaggerProps } from './deployment-set';
import { envoySidecar, renderEnvoyConfig, type EnvoySidecarProps } from './envoy';
import { GatewayRoute, type RouteRetryProps } from './gateway-route';
import { Probe } from './probe';
import { overrideFor, withContainerOverrides, type ContainerOverrides } from './overrides';
import { addScrapePolicy, resolveScrape, scrapeMetadata, type MetricsProps, type ScrapeDeclaration } from './scrape';
import { Workload, type ExtraContainer, type WorkloadProps } from './workload';
import { allowFromGateway } from './network-access';
import { checkProps } from '../core/props-check';

/** Exposes a WebService outside the cluster: an HTTPRoute on the platform's Gateway (see {@link GatewayRoute}). */
export interface IngressProps {
  /** The host name (`shop.example.com`). */
  readonly host: string;
  /** The path prefix routed to the service. @default '/' */
  readonly path?: string;
  /** The time a whole request may take at the edge, retries included. @default - Envoy Gateway's default (15s) */
  readonly timeout?: DurationLike;
  /** Retries at the edge. @default - Envoy Gateway's default */
  readonly retries?: RouteRetryProps;
}

/** What may differ per environment. */
export interface WebServiceOverrides extends ContainerOverrides {
  readonly replicas?: number;
  readonly autoscaling?: AutoscalingProps;
  readonly ingress?: IngressProps;
}

/** Props of a {@link WebService}. */
export interface WebServiceProps extends WorkloadProps, AvailabilityProps {
  /** Pod replicas (not with `autoscaling`). @default 2 */
  readonly replicas?: number;
  /** Ports; the first is the one probes and the ingress use. @default [{ name: 'http', port: 8080 }] */
  readonly ports?: readonly PortProps[];
  /** Readiness check. @default Probe.http('/healthz') on the first port */
  readonly readiness?: Probe | false;
  /** Liveness check: only whether the process answers, never its dependencies. @default Probe.tcp() on the first port, every 20s */
  readonly liveness?: Probe | false;
  /** Route a host name (and path) to the first port from outside the cluster. @default - not exposed */
  readonly ingress?: IngressProps;
  /** Prometheus scraping, declared on the Service as labels and annotations. @default - not scraped */
  readonly metrics?: MetricsProps;
  /** A headless Service (no cluster IP): clients resolve every ready pod, as an Envoy sidecar expects. @default false */
  readonly headless?: boolean;
  /** An Envoy sidecar proxying this service's calls to its upstreams, with retries and timeouts. @default - none */
  readonly envoy?: EnvoySidecarProps;
  /** Split into Deployments with stepped memory limits behind one Service. @default - one Deployment */
  readonly memoryStagger?: MemoryStaggerProps;
  /** Per-environment changes, keyed by environment name. @default {} */
  readonly overrides?: Readonly<Record<string, WebServiceOverrides>>;
}

/**
 * A service that answers requests: a Deployment (or one per memory variant), a Service over its
 * ports, a PodDisruptionBudget, optionally an HPA, an HTTPRoute on the platform Gateway with TLS, an Envoy sidecar.
 *
 * @example
 * new WebService(chart, 'api', {
 *   image: 'registry.example.com/shop/api:1.4.2',
 *   resources: { requests: { cpu: '250m', memory: '256Mi' } },
 *   overrides: { prod: { replicas: 4 } },
 * });
 */
export class WebService extends Workload {
  /** The Deployments: one, or one per memory variant. */
  public readonly deployments: readonly k8s.KubeDeployment[];
  /** The Service in front of the pods. */
  public readonly service: k8s.KubeService;
  /** The route from the platform Gateway, if the service has a host. */
  public readonly route: GatewayRoute | undefined;
  /** How Prometheus scrapes it, if declared. */
  public readonly scrape: ScrapeDeclaration | undefined;
  /** The memory limit of each Deployment, in the order of `deployments`. */
  public readonly memoryLimits: readonly string[];

  public constructor(scope: Construct, id: string, props: WebServiceProps) {
    super(scope, id, props.namespace, props.serviceAccountName);
    props = checkProps(this, WebService, props);
    const o = overrideFor(this, props.overrides);
    const ports = props.ports ?? [{ name: 'http', port: 8080 }];
    if (ports.length === 0) {
      throw PlatformError.at(this, { field: 'ports', value: [], rule: 'must list at least one port', fix: 'declare the port the service listens on, or use a Worker' });
    }
    const effective = withContainerOverrides({ ...props, ports }, o);
    const autoscaling = o.autoscaling ?? props.autoscaling;
    const plan = replicaPlan(this, o.replicas ?? (o.autoscaling === undefined ? props.replicas : undefined), autoscaling, 2);
    const shutdown = resolveShutdown(this, props.shutdown, '5s');
    this.scrape = resolveScrape(this, props.metrics, ports);
    const labels = { name: this.name, component: 'web' };
    const extraContainers: ExtraContainer[] = props.envoy === undefined ? [] : [this.envoy(props.envoy, labels)];

    const pod = this.buildPod(effective, {
      component: 'web',
      defaultReadiness: Probe.http('/healthz'),
      defaultLiveness: Probe.tcp({ period: '20s' }),
      ...(shutdown.lifecycle === undefined ? {} : { lifecycle: shutdown.lifecycle }),
      terminationGracePeriodSeconds: shutdown.gracePeriodSeconds,
      extraContainers,
    });
    const variants: DeploymentVariant[] = addDeployments(this, {
      ...props,
      name: this.name,
      metadata: this.metadata('web', pod.image, props.partOf),
      selector: this.selector,
      template: pod.template,
      mainResources: pod.mainResources,
      plan,
    });
    this.deployments = variants.map((v) => v.deployment);
    this.addControllers(...this.deployments);
    this.memoryLimits = variants.map((v) => v.memoryLimit.toString());

    const scrape = scrapeMetadata(this.scrape);
    const meta = this.metadata('web', pod.image, props.partOf);
    this.service = new k8s.KubeService(this, 'service', {
      metadata: { ...meta, labels: { ...meta.labels, ...scrape.labels }, ...(this.scrape === undefined ? {} : { annotations: scrape.annotations }) },
      spec: {
        type: 'ClusterIP',
        ...(props.headless === true ? { clusterIp: 'None', publishNotReadyAddresses: false } : {}),
        selector: this.selector,
        ports: ports.map((p) => ({ name: p.name, port: p.port, targetPort: k8s.IntOrString.fromString(p.name), protocol: p.protocol ?? 'TCP' })),
      },
    });
    if (this.scrape !== undefined) addScrapePolicy(this, this.name, this.namespace, this.selector, this.scrape);
    const ingress = o.ingress ?? props.ingress;
    const first = ports[0];
    this.route = ingress === undefined || first === undefined ? undefined : new GatewayRoute(this, 'route', {
      ...ingress, name: this.name, namespace: this.namespace, serviceName: this.name, port: first.port,
      labels: this.metadata('web', pod.image, undefined).labels ?? {},
    });
    // The Gateway reaches a team's pods only where a route sends it.
    if (this.route !== undefined && first !== undefined) allowFromGateway(this, this, first);
  }

  /** The Deployment, for a service that is not staggered. */
  public get deployment(): k8s.KubeDeployment {
    const [first] = this.deployments;
    if (first === undefined || this.deployments.length > 1) {
      throw PlatformError.at(this, { field: 'deployment', rule: 'is ambiguous for a staggered service', fix: 'use deployments' });
    }
    return first;
  }

  private envoy(envoy: EnvoySidecarProps, labels: { name: string; component: string }): ExtraContainer {
    const configMap = addHashedConfigMap(this, 'envoy-config', `${this.name}-envoy`, { 'app.kubernetes.io/name': labels.name, 'app.kubernetes.io/component': 'envoy' }, {
      'envoy.yaml': renderEnvoyConfig(this, envoy),
    });
    return {
      sidecar: envoySidecar(envoy),
      mounts: [{ name: 'envoy-config', mountPath: '/etc/envoy', readOnly: true }],
      volumes: [{ name: 'envoy-config', configMap: { name: configMap } }],
    };
  }
}
