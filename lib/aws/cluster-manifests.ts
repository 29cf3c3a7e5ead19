import * as k8s from '@pulumi/kubernetes';
import * as pulumi from '@pulumi/pulumi';
import type { App } from 'cdk8s';
import { parseAllDocuments } from 'yaml';
import { renderAll } from '../synth';

/** Inputs of {@link ClusterManifests}. */
export interface ClusterManifestsArgs {
  /** The cluster's App, from `buildClusterApp`: the same charts `npm run synth` writes. */
  readonly app: App;
  /** The Kubernetes provider of the cluster. @default - the ambient kubeconfig */
  readonly provider?: k8s.Provider;
}

/**
 * Applies a cluster's synthesized manifests: one client-side ConfigGroup per chart, so every
 * Kubernetes object is its own resource in previews and tests. The objects are rendered in
 * process by the same function `npm run synth` uses, and validated the same way first.
 */
export class ClusterManifests extends pulumi.ComponentResource {
  /** The charts applied, by the file they are written to under dist/. */
  public readonly charts: Readonly<Record<string, k8s.yaml.ConfigGroup>>;

  public constructor(name: string, args: ClusterManifestsArgs, opts?: pulumi.ComponentResourceOptions) {
    super('platform:k8s:ClusterManifests', name, {}, opts);
    const files = renderAll([args.app]).filter((f) => f.path.includes('/manifests/'));
    const charts: Record<string, k8s.yaml.ConfigGroup> = {};
    for (const file of files) {
      const chart = file.path.split('/').pop()?.replace(/\.k8s\.yaml$/, '') ?? file.path;
      const objs = parseAllDocuments(file.content).map((d) => d.toJSON() as Record<string, unknown>);
      charts[file.path] = new k8s.yaml.ConfigGroup(`${name}-${chart}`, { objs }, {
        parent: this,
        ...(args.provider === undefined ? {} : { provider: args.provider }),
      });
    }
    this.charts = charts;
    this.registerOutputs({});
  }
}
