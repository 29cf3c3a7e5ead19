import type { Construct } from 'constructs';
import { k8s } from 'cdk8s-plus-27';
import { Platform, PlatformError, type ImageRef } from '../core';
import type { PortProps } from './container';
import { Probe } from './probe';
import { mergeResources, type ResourcesProps } from './resources';
import { Workload, type WorkloadProps } from './workload';

/** Exposes a WebService outside the cluster through the platform's ingress controller. */
export interface IngressProps {
  /** The host name (`shop.example.com`). */
  readonly host: string;
  /** The path prefix routed to the service. @default '/' */
  readonly path?: string;
}

/** What may differ per environment. */
export interface WebServiceOverrides {
  readonly replicas?: number;
  /** Merged over the base field by field. */
  readonly resources?: ResourcesProps;
  /** Merged over the base key by key. */
  readonly env?: Readonly<Record<string, string>>;
  readonly ingress?: IngressProps;
}

/** Props of a {@link WebService}. */
export interface WebServiceProps extends WorkloadProps {
  /** Pod replicas. @default 2 */
  readonly replicas?: number;
  /** Ports; the first is the one probes and the ingress use. @default [{ name: 'http', port: 8080 }] */
  readonly ports?: readonly PortProps[];
  /** Readiness check. @default Probe.http('/healthz') on the first port */
  readonly readiness?: Probe | false;
  /** Liveness check: only whether the process answers, never its dependencies. @default Probe.tcp() on the first port, every 20s */
  readonly liveness?: Probe | false;
  /** Route a host name (and path) to the first port from outside the cluster. @default - not exposed */
  readonly ingress?: IngressProps;
  /** Per-environment changes, keyed by environment name. @default {} */
  readonly overrides?: Readonly<Record<string, WebServiceOverrides>>;
}

const HOST = /^(?=.{1,253}$)[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)+$/;

/** Checks a replica count. */
export function checkReplicas(scope: Construct, replicas: number): number {
  if (!Number.isInteger(replicas) || replicas < 0) {
    throw PlatformError.at(scope, { field: 'replicas', value: replicas, rule: 'must be a whole number >= 0', fix: 'set the number of pods to run' });
  }
  return replicas;
}

/**
 * A service that answers requests: a Deployment and a ClusterIP Service over its ports, and an
 * Ingress with TLS when given a host.
 *
 * @example
 * new WebService(chart, 'api', {
 *   image: 'registry.example.com/shop/api:1.4.2',
 *   resources: { requests: { cpu: '250m', memory: '256Mi' } },
 *   overrides: { prod: { replicas: 4 } },
 * });
 */
export class WebService extends Workload {
  /** The Deployment. */
  public readonly deployment: k8s.KubeDeployment;
  /** The Service in front of the pods. */
  public readonly service: k8s.KubeService;
  /** The Ingress, if the service has a host. */
  public readonly ingress: k8s.KubeIngress | undefined;
  /** The ports, as declared. */
  public readonly ports: readonly PortProps[];

  public constructor(scope: Construct, id: string, props: WebServiceProps) {
    super(scope, id, props.namespace);
    const o = this.environment.overrideFor(this, 'overrides', props.overrides) ?? {};
    const ports = props.ports ?? [{ name: 'http', port: 8080 }];
    const resources = mergeResources(props.resources, o.resources);
    const effective: WebServiceProps = { ...props, ports, env: { ...props.env, ...o.env }, ...(resources === undefined ? {} : { resources }) };
    if (ports.length === 0) {
      throw PlatformError.at(this, { field: 'ports', value: [], rule: 'must list at least one port', fix: 'declare the port the service listens on, or use a Worker' });
    }
    const replicas = checkReplicas(this, o.replicas ?? props.replicas ?? 2);
    const { template, image } = this.buildPod(effective, {
      component: 'web',
      defaultReadiness: Probe.http('/healthz'),
      defaultLiveness: Probe.tcp({ period: '20s' }),
    });
    this.ports = ports;

    this.deployment = new k8s.KubeDeployment(this, 'deployment', {
      metadata: this.metadata('web', image, props.partOf),
      spec: { replicas, selector: { matchLabels: this.selector }, template },
    });
    this.service = new k8s.KubeService(this, 'service', {
      metadata: this.metadata('web', image, props.partOf),
      spec: {
        type: 'ClusterIP',
        selector: this.selector,
        ports: ports.map((p) => ({ name: p.name, port: p.port, targetPort: k8s.IntOrString.fromString(p.name), protocol: p.protocol ?? 'TCP' })),
      },
    });
    const ingress = o.ingress ?? props.ingress;
    this.ingress = ingress === undefined ? undefined : this.addIngress(ingress, ports[0]?.name ?? 'http', image);
  }

  private addIngress(ingress: IngressProps, portName: string, image: ImageRef): k8s.KubeIngress {
    if (!HOST.test(ingress.host)) {
      throw PlatformError.at(this, { field: 'ingress.host', value: ingress.host, rule: 'is not a fully qualified lowercase DNS name', fix: "write a host such as 'shop.example.com'" });
    }
    const path = ingress.path ?? '/';
    if (!path.startsWith('/')) {
      throw PlatformError.at(this, { field: 'ingress.path', value: path, rule: "must start with '/'", fix: "write an absolute path prefix such as '/api'" });
    }
    const meta = this.metadata('web', image, undefined);
    return new k8s.KubeIngress(this, 'ingress', {
      metadata: { ...meta, annotations: { 'cert-manager.io/cluster-issuer': Platform.clusterIssuer } },
      spec: {
        ingressClassName: Platform.ingressClassName,
        tls: [{ hosts: [ingress.host], secretName: `${this.name}-tls` }],
        rules: [{
          host: ingress.host,
          http: { paths: [{ path, pathType: 'Prefix', backend: { service: { name: this.name, port: { name: portName } } } }] },
        }],
      },
    });
  }
}
