import * as k8s from '@pulumi/kubernetes';
import * as pulumi from '@pulumi/pulumi';
import { fillCloudValues, listCloudValues } from '../core/cloud-values';
import { PlatformError } from '../core';
import type { RenderedFile } from '../synth/render';
import { kubernetesResource } from './kubernetes-objects';
import { type KubeObject, type ManifestPlan, planManifests } from './manifest-plan';
import { checkArgs } from './args-check';

/** A Kubernetes Secret whose values come from the stack's secret config, never from the synthesized files. */
export interface KubernetesSecretArgs {
  /** The namespace, one the manifests create. */
  readonly namespace: string;
  /** The Secret's name, as the manifests refer to it (`registry-pull`). */
  readonly name: string;
  /** The Secret's type. @default 'Opaque' */
  readonly type?: string;
  /** The values, by key (secret Outputs). */
  readonly stringData: Readonly<Record<string, pulumi.Input<string>>>;
}

/** Inputs of {@link ManifestDeployment}. */
export interface ManifestDeploymentArgs {
  /** The cluster's rendered files, from `renderAll` — the function `npm run synth` writes `dist/` with. */
  readonly files: readonly RenderedFile[];
  /** The kubeconfig the Kubernetes provider uses (KopsDeployment.kubeconfig). */
  readonly kubeconfig: pulumi.Input<string>;
  /**
   * The provider's `clusterIdentifier`: a constant per cluster (its DNS name). A kops change makes
   * the kubeconfig unknown in preview, and pulumi-kubernetes replaces a provider whose kubeconfig
   * is unknown — and with it every object — unless `clusterIdentifier` is set and unchanged
   * (pulumi-kubernetes provider/pkg/provider/provider.go, DiffConfig).
   */
  readonly clusterIdentifier: string;
  /** The real values of the placeholders in the objects, keyed by placeholder text. @default {} */
  readonly cloudValues?: pulumi.Input<Readonly<Record<string, string>>>;
  /** Secrets to create from secret config (pull secrets, addon credentials). @default [] */
  readonly secrets?: readonly KubernetesSecretArgs[];
}

/** The component that groups one chart's resources. */
export class ManifestChart extends pulumi.ComponentResource {
  public constructor(name: string, opts?: pulumi.ComponentResourceOptions) {
    super('platform:k8s:ManifestChart', name, {}, opts);
    this.registerOutputs({});
  }
}

/**
 * Applies a cluster's synthesized charts through @pulumi/kubernetes, server-side, with a provider
 * built from the kubeconfig: one resource per Kubernetes object, named `<Kind>/<namespace>/<name>`
 * under a component per chart. Order: addon-* charts, then team-*, then the rest (the kops chart is
 * not applied); CRDs before custom resources, Namespaces before the objects in them, a
 * MigrationJob before the Deployment it runs before. Cloud-value placeholders are filled into the
 * objects' fields as Outputs; the set of resources and their names never depend on them.
 */
export class ManifestDeployment extends pulumi.ComponentResource {
  /** The plan applied: charts, objects and their dependencies. */
  public readonly plan: ManifestPlan;
  /** Every object's resource, by key (`Deployment/shop/orders-api`). */
  public readonly resources: ReadonlyMap<string, pulumi.CustomResource>;
  /** The secrets created from config, by key (`Secret/shop/registry-pull`). */
  public readonly secrets: ReadonlyMap<string, k8s.core.v1.Secret>;
  /** The Kubernetes provider. */
  public readonly provider: k8s.Provider;

  public constructor(name: string, args: ManifestDeploymentArgs, opts?: pulumi.ComponentResourceOptions) {
    checkArgs('platform:k8s:ManifestDeployment', name, ManifestDeployment, args);
    super('platform:k8s:ManifestDeployment', name, {}, opts);
    const cloudValues = pulumi.output(args.cloudValues ?? {});
    const secretArgs = args.secrets ?? [];
    this.plan = planManifests(args.files);
    this.provider = new k8s.Provider(name, { kubeconfig: args.kubeconfig, clusterIdentifier: args.clusterIdentifier, enableServerSideApply: true }, { parent: this });

    const charts = new Map<string, ManifestChart>();
    const resources = new Map<string, pulumi.CustomResource>();
    const chartOf = new Map<string, string>();
    for (const chart of this.plan.charts) {
      const after = chart.after.flatMap((c) => charts.get(c) ?? []);
      const component = new ManifestChart(`${name}/${chart.name}`, { parent: this, ...(after.length > 0 ? { dependsOn: after } : {}) });
      charts.set(chart.name, component);
      for (const planned of chart.objects) {
        const deps = planned.dependsOn.flatMap((k) => resources.get(k) ?? []);
        const resource = kubernetesResource(planned.key, this.argsOf(planned.object, cloudValues), {
          parent: component, provider: this.provider, ...(deps.length > 0 ? { dependsOn: deps } : {}),
        });
        resources.set(planned.key, resource);
        chartOf.set(planned.key, chart.name);
      }
    }

    const secrets = new Map<string, k8s.core.v1.Secret>();
    for (const s of secretArgs) {
      const nsKey = `Namespace/${s.namespace}`;
      const namespace = resources.get(nsKey);
      const chart = charts.get(chartOf.get(nsKey) ?? '');
      if (namespace === undefined || chart === undefined) {
        throw PlatformError.of({
          path: `ManifestDeployment ${name}`, field: `secrets.${s.name}.namespace`, value: s.namespace,
          rule: 'is created by no chart of the cluster', fix: 'put the Secret in a namespace the manifests create',
        });
      }
      const key = `Secret/${s.namespace}/${s.name}`;
      if (resources.has(key) || secrets.has(key)) {
        throw PlatformError.of({
          path: `ManifestDeployment ${name}`, field: 'secrets', value: key, rule: 'is defined twice', fix: 'define each Secret once, in config or in the manifests',
        });
      }
      secrets.set(key, new k8s.core.v1.Secret(key, {
        metadata: { name: s.name, namespace: s.namespace },
        type: s.type ?? 'Opaque',
        stringData: pulumi.secret(pulumi.output(s.stringData)),
      }, { parent: chart, provider: this.provider, dependsOn: [namespace] }));
    }
    this.resources = resources;
    this.secrets = secrets;
    this.registerOutputs({});
  }

  private argsOf(object: KubeObject, cloudValues: pulumi.Output<Readonly<Record<string, string>>>): { apiVersion: string; kind: string } & Record<string, unknown> {
    if (listCloudValues(object).length === 0) return object;
    const filled = cloudValues.apply((values) => fillCloudValues(object, values));
    const fields: Record<string, unknown> = {};
    for (const key of Object.keys(object)) {
      if (key !== 'apiVersion' && key !== 'kind') fields[key] = filled.apply((o) => o[key]);
    }
    return { apiVersion: object.apiVersion, kind: object.kind, ...fields };
  }
}
