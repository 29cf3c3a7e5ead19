import { type ApiObject, Chart } from 'cdk8s';
import { Construct } from 'constructs';
import { k8s } from 'cdk8s-plus-27';
import { PlatformError, checkDnsLabel, pathOf, selectorLabels, standardLabels, type ImageRef } from '../core';
import { renderConfig, type ConfigProps } from './config';
import { buildContainer, type ContainerOptions, type PortProps, type SidecarProps } from './container';
import { ServiceReference, allowEgress, allowIngress, danglingReferences, externalBlocks, type ExternalEndpoint } from './network-access';
import { Environment } from '../core/environment';
import type { Probe } from './probe';
import type { Resources } from './resources';
import type { SecretVolume } from './secrets';

/** The longest service name: leaves room for the `-config-<hash>` suffix within 63 characters. */
export const SERVICE_NAME_MAX = 45;

/** The pod-level security settings of every platform pod: a fixed non-root user and group, seccomp RuntimeDefault. */
export function nonRootPodSecurity(user: number): k8s.PodSecurityContext {
  return { runAsNonRoot: true, runAsUser: user, runAsGroup: user, fsGroup: user, seccompProfile: { type: 'RuntimeDefault' } };
}

/** What every workload (WebService, Worker, CronTask) takes beyond its main container. */
export interface WorkloadProps extends ContainerOptions {
  /** The namespace to run in (a team namespace). @default - the enclosing Chart's namespace */
  readonly namespace?: string;
  /** `app.kubernetes.io/part-of`: the application this service belongs to. @default - not set */
  readonly partOf?: string;
  /** Configuration, immutable per release. @default - none */
  readonly config?: ConfigProps;
  /** Secrets mounted as files. @default [] */
  readonly secretVolumes?: readonly SecretVolume[];
  /** More containers in the same pod. @default [] */
  readonly sidecars?: readonly SidecarProps[];
  /** The registry pull secret's name (its value is put in place by the deploy step). @default - none */
  readonly imagePullSecret?: string;
  /**
   * The ServiceAccount to run as: a workload identity declared with the team (inside a cluster
   * definition, naming an undeclared one is an error). @default - the namespace's default ServiceAccount
   */
  readonly serviceAccountName?: string;
  /** Mount the ServiceAccount token into the pod; only for services that call the Kubernetes API. @default false */
  readonly automountServiceAccountToken?: boolean;
  /** The non-root user and group id the containers run as. @default 10001 */
  readonly runAsUser?: number;
}

/** A container the construct adds to the pod itself (an Envoy proxy), with what it mounts. */
export interface ExtraContainer {
  readonly sidecar: SidecarProps;
  readonly mounts: readonly k8s.VolumeMount[];
  readonly volumes: readonly k8s.Volume[];
}

/** What a subclass decides about the pod. */
export interface PodOptions {
  readonly component: string;
  readonly restartPolicy?: 'Always' | 'Never' | 'OnFailure';
  readonly defaultReadiness?: Probe;
  readonly defaultLiveness?: Probe;
  /** The main container's lifecycle hooks (graceful shutdown). */
  readonly lifecycle?: k8s.Lifecycle;
  readonly terminationGracePeriodSeconds?: number;
  readonly extraContainers?: readonly ExtraContainer[];
}

/** A built pod template and what the construct needs to know about it. */
export interface BuiltPod {
  readonly template: k8s.PodTemplateSpec;
  readonly image: ImageRef;
  readonly mainResources: Resources;
}

/**
 * The shared part of every workload construct: the name, namespace and labels, the pod with
 * its containers, config, secrets and security settings. Subclasses add the controller object.
 */
export abstract class Workload extends Construct {
  /** The service's name, used for every object it creates. */
  public readonly name: string;
  /** The namespace it runs in. */
  public readonly namespace: string;
  /** The environment it is synthesized for. */
  public readonly environment: Environment;
  /** The ServiceAccount (workload identity) it runs as, if it names one. */
  public readonly serviceAccountName: string | undefined;

  private declaredPorts: readonly PortProps[] = [];
  private readonly references: ServiceReference[] = [];
  private readonly controllerObjects: ApiObject[] = [];

  protected constructor(scope: Construct, id: string, namespace: string | undefined, serviceAccountName?: string) {
    super(scope, id);
    this.node.addValidation({ validate: () => this.checkReferences() });
    this.serviceAccountName = serviceAccountName;
    this.environment = Environment.of(this);
    this.name = checkDnsLabel(id, { path: pathOf(this), field: 'id' }, SERVICE_NAME_MAX);
    const ns = namespace ?? Chart.of(this).namespace;
    if (ns === undefined) {
      throw PlatformError.at(this, { field: 'namespace', rule: 'is not set', fix: 'set namespace, or create the service in a Chart that has one' });
    }
    this.namespace = checkDnsLabel(ns, { path: pathOf(this), field: 'namespace' });
  }

  /** The ports its main container listens on: what `allowFrom` lets traffic in to. */
  public get ports(): readonly PortProps[] {
    return this.declaredPorts;
  }

  /**
   * Lets the pods of `sources` reach this service's ports: an ingress NetworkPolicy here and, for
   * a source built in the same tree, the matching egress policy on its side (team namespaces
   * deny both directions by default). `api.allowFrom(web)`.
   */
  public allowFrom(...sources: ReadonlyArray<Workload | ServiceReference>): this {
    if (this.ports.length === 0) {
      throw PlatformError.at(this, { field: 'allowFrom', rule: 'needs the service to declare ports', fix: 'declare the ports traffic may reach' });
    }
    for (const source of sources) {
      allowIngress(this, `allow-from-${source.namespace}-${source.name}`, this, source);
      if (source instanceof Workload) allowEgress(source, `allow-to-${this.namespace}-${this.name}`, source, this);
      else this.references.push(source);
    }
    return this;
  }

  /**
   * Lets this service's pods reach `targets`: services (by construct or reference) or an
   * ExternalService's addresses, or the blocks its DNS name resolves into (`addressRanges`). For a target built in the same tree, the matching ingress
   * policy is added on its side too. `web.allowTo(api, ordersDb)`.
   */
  public allowTo(...targets: ReadonlyArray<Workload | ServiceReference | ExternalEndpoint>): this {
    for (const target of targets) {
      if (target.ports.length === 0) {
        throw PlatformError.at(this, { field: 'allowTo', value: `${target.namespace}/${target.name}`, rule: 'names a service without ports', fix: 'declare the ports on the target' });
      }
      if ('addresses' in target && externalBlocks(target).length === 0) {
        throw PlatformError.at(this, {
          field: 'allowTo', value: `${target.namespace}/${target.name}`, rule: 'names an external service known only by DNS name, which a NetworkPolicy cannot select',
          fix: "state the blocks its name resolves into in the ExternalService's addressRanges (inside the team's externalAddresses)",
        });
      }
      allowEgress(this, `allow-to-${target.namespace}-${target.name}`, this, target);
      if (target instanceof Workload) allowIngress(target, `allow-from-${this.namespace}-${this.name}`, target, this);
      else if (target instanceof ServiceReference) this.references.push(target);
    }
    return this;
  }

  /**
   * The objects that run this workload's pods (its Deployments, one per memory variant, its
   * StatefulSet, CronJob or Job), as `<Kind>/<namespace>/<name>`: what an ordering that must
   * come before the workload rolls names.
   */
  public get controllers(): readonly string[] {
    return this.controllerObjects.map((o) => `${o.kind}/${this.namespace}/${o.name}`);
  }

  /** Records the objects that run the pods, in the order they were created (see {@link controllers}). */
  protected addControllers(...objects: readonly ApiObject[]): void {
    this.controllerObjects.push(...objects);
  }

  /** The labels that select this service's pods. */
  public get selector(): Record<string, string> {
    return selectorLabels(this.name);
  }

  /** Object metadata with the standard labels. */
  protected metadata(component: string, image: ImageRef, partOf: string | undefined, name = this.name): k8s.ObjectMeta {
    return { name, namespace: this.namespace, labels: this.labels(component, image, partOf) };
  }

  protected labels(component: string, image: ImageRef, partOf: string | undefined): Record<string, string> {
    return standardLabels({ name: this.name, component, version: image.version, ...(partOf === undefined ? {} : { partOf }) });
  }

  /** Inside a cluster definition, every referenced service must be one the cluster runs. */
  private checkReferences(): string[] {
    if (this.references.length === 0 || this.environment.cluster === undefined) return [];
    const known = new Set(this.environment.node.findAll().filter((c): c is Workload => c instanceof Workload).map((w) => `${w.namespace}/${w.name}`));
    return danglingReferences(this, 'allowFrom/allowTo', this.references, known);
  }

  /** Builds the pod template; also creates the hashed ConfigMap when the config asks for one. */
  protected buildPod(props: WorkloadProps, pod: PodOptions): BuiltPod {
    this.declaredPorts = props.ports ?? [];
    const config = renderConfig(this, this.name, standardLabels({ name: this.name, component: pod.component }), props.config);
    const secretVolumes = props.secretVolumes ?? [];
    const secretMounts = secretVolumes.map((s, i) => ({ name: `secret${i}`, mountPath: s.mountPath, readOnly: true }));
    const main = buildContainer(this, this.name, props, {
      field: 'container',
      defaultReadiness: pod.defaultReadiness,
      defaultLiveness: pod.defaultLiveness,
      env: config.env,
      envFrom: config.envFrom,
      mounts: [...config.mounts, ...secretMounts],
      ...(pod.lifecycle === undefined ? {} : { lifecycle: pod.lifecycle }),
    });
    const sidecars = (props.sidecars ?? []).map((s, i) =>
      buildContainer(this, s.name, s, { field: `sidecars[${i}]`, defaultReadiness: undefined, defaultLiveness: undefined }));
    const extras = (pod.extraContainers ?? []).map((e) =>
      buildContainer(this, e.sidecar.name, e.sidecar, { field: e.sidecar.name, defaultReadiness: undefined, defaultLiveness: undefined, mounts: e.mounts }));
    const containers = [main, ...sidecars, ...extras];
    const names = containers.map((c) => c.container.name);
    const duplicate = names.find((n, i) => names.indexOf(n) !== i);
    if (duplicate !== undefined) {
      throw PlatformError.at(this, { field: 'sidecars', value: duplicate, rule: 'repeats a container name', fix: 'give every container of the pod its own name' });
    }
    const user = props.runAsUser ?? 10001;
    if (!Number.isInteger(user) || user < 1) {
      throw PlatformError.at(this, { field: 'runAsUser', value: user, rule: 'must be a non-root user id (a whole number >= 1)', fix: 'use the image\'s unprivileged user id, or 10001' });
    }
    const template: k8s.PodTemplateSpec = {
      metadata: { labels: this.labels(pod.component, main.image, props.partOf) },
      spec: {
        ...(pod.restartPolicy === undefined ? {} : { restartPolicy: pod.restartPolicy }),
        ...(props.serviceAccountName === undefined ? {} : { serviceAccountName: props.serviceAccountName }),
        automountServiceAccountToken: props.automountServiceAccountToken ?? false,
        ...(pod.terminationGracePeriodSeconds === undefined ? {} : { terminationGracePeriodSeconds: pod.terminationGracePeriodSeconds }),
        ...(props.imagePullSecret === undefined ? {} : { imagePullSecrets: [{ name: props.imagePullSecret }] }),
        securityContext: nonRootPodSecurity(user),
        containers: containers.map((c) => c.container),
        volumes: [
          ...containers.flatMap((c) => c.volumes),
          ...config.volumes,
          ...secretVolumes.map((s, i) => ({ name: `secret${i}`, secret: { secretName: s.secret } })),
          ...(pod.extraContainers ?? []).flatMap((e) => e.volumes),
        ],
      },
    };
    return { template, image: main.image, mainResources: main.resources };
  }
}
