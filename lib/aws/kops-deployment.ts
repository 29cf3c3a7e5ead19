import { createHash } from 'node:crypto';
import * as command from '@pulumi/command';
import * as pulumi from '@pulumi/pulumi';
import { PlatformError, checkDnsLabel } from '../core';
import {
  KOPS_APPLY_SCRIPT, KOPS_DELETE_SCRIPT, KOPS_KUBECONFIG_SCRIPT, KOPS_ROLLING_UPDATE_SCRIPT,
  type KopsEnvironment, type KopsRollingUpdateEnvironment,
} from './kops-scripts';

/** Inputs of {@link KopsDeployment}. */
export interface KopsDeploymentArgs {
  /** The cluster's DNS name (`prod.k8s.example.com`). */
  readonly clusterName: string;
  /** The definition's Kubernetes version; a different one in the state store makes the step reconcile (upgrade) instead of update. */
  readonly kubernetesVersion: string;
  /** The kops manifests (Cluster and InstanceGroups) with the real cloud values filled in. */
  readonly manifest: pulumi.Input<string>;
  /** `s3://<state bucket>` (StateStore.stateStoreUrl). */
  readonly stateStoreUrl: pulumi.Input<string>;
  /** The region. */
  readonly region: string;
  /** How long `kops validate cluster --wait` waits. @default '20m' */
  readonly validateTimeout?: string;
  /** Instance groups to roll (`kops rolling-update cluster --yes --instance-group …`) when the manifests change; nodes are never rolled implicitly. @default [] */
  readonly rollingUpdate?: readonly string[];
  /** Refuse to delete the cluster (Pulumi `protect`); set false and `pulumi up` before a destroy that should run `kops delete cluster`. @default true */
  readonly protect?: boolean;
}

/** The content hash the kops steps re-run on: sha256 of the filled manifests. */
export function manifestHash(manifest: string): string {
  return createHash('sha256').update(manifest).digest('hex');
}

const VALIDATE_TIMEOUT = /^\d+[smh]$/;

/**
 * Runs kops on a cluster's rendered manifests, through @pulumi/command and the stack's own
 * (ambient) AWS credentials: `kops replace --force -f`, `kops update cluster --yes` (or `kops
 * reconcile cluster --yes` for a Kubernetes version change), `kops validate cluster --wait`. The
 * steps re-run when the manifests' content hash changes, and only then. The kubeconfig uses kops's
 * auth plugin (see KOPS_KUBECONFIG_SCRIPT), so it does not expire; it is a secret output.
 */
export class KopsDeployment extends pulumi.ComponentResource {
  /** A kubeconfig for the cluster whose user runs `kops helpers kubectl-auth` (secret). */
  public readonly kubeconfig: pulumi.Output<string>;
  /** The hash of the manifests kops was given: what the steps re-run on. */
  public readonly manifestHash: pulumi.Output<string>;
  /** The step that applies the manifests and validates the cluster. */
  public readonly apply: command.local.Command;

  public constructor(name: string, args: KopsDeploymentArgs, opts?: pulumi.ComponentResourceOptions) {
    super('platform:aws:KopsDeployment', name, {}, opts);
    const validateTimeout = args.validateTimeout ?? '20m';
    const groups = args.rollingUpdate ?? [];
    const protect = args.protect ?? true;
    if (!VALIDATE_TIMEOUT.test(validateTimeout)) {
      throw PlatformError.of({
        path: `KopsDeployment ${name}`, field: 'validateTimeout', value: validateTimeout, rule: 'is not a kops duration',
        fix: "write a number and a unit, e.g. '20m'",
      });
    }
    for (const g of groups) checkDnsLabel(g, { path: `KopsDeployment ${name}`, field: 'rollingUpdate' });

    const hash = pulumi.output(args.manifest).apply(manifestHash);
    const env: pulumi.Output<KopsEnvironment> = pulumi.output(args.stateStoreUrl).apply((url) => ({
      KOPS_STATE_STORE: url,
      KOPS_CLUSTER_NAME: args.clusterName,
      AWS_REGION: args.region,
      KUBERNETES_VERSION: args.kubernetesVersion,
      KOPS_VALIDATE_WAIT: validateTimeout,
    }));
    this.apply = new command.local.Command(`${name}-apply`, {
      create: KOPS_APPLY_SCRIPT,
      update: KOPS_APPLY_SCRIPT,
      delete: KOPS_DELETE_SCRIPT,
      stdin: args.manifest,
      environment: env,
      triggers: [hash],
    }, { parent: this, protect });
    let last: pulumi.Resource = this.apply;
    if (groups.length > 0) {
      const rollingEnv: pulumi.Output<KopsRollingUpdateEnvironment> = env.apply((e) => ({ ...e, KOPS_INSTANCE_GROUPS: groups.join(',') }));
      last = new command.local.Command(`${name}-rolling-update`, {
        create: KOPS_ROLLING_UPDATE_SCRIPT,
        update: KOPS_ROLLING_UPDATE_SCRIPT,
        environment: rollingEnv,
        triggers: [hash, groups.join(',')],
      }, { parent: this, dependsOn: [this.apply] });
    }
    const kubeconfig = new command.local.Command(`${name}-kubeconfig`, {
      create: KOPS_KUBECONFIG_SCRIPT,
      update: KOPS_KUBECONFIG_SCRIPT,
      environment: env,
      triggers: [hash],
      logging: command.types.enums.local.Logging.Stderr,
    }, { parent: this, dependsOn: [last], additionalSecretOutputs: ['stdout'] });
    this.kubeconfig = pulumi.secret(kubeconfig.stdout);
    this.manifestHash = hash;
    this.registerOutputs({ kubeconfig: this.kubeconfig, manifestHash: this.manifestHash });
  }
}
