import { createHash } from 'node:crypto';
import * as command from '@pulumi/command';
import * as pulumi from '@pulumi/pulumi';
import { PlatformError, checkDnsLabel } from '../core';
import {
  ETCD_SNAPSHOT_SCRIPT, KOPS_APPLY_SCRIPT, KOPS_DELETE_SCRIPT, KOPS_ENCRYPTION_CONFIG_CREATE_SCRIPT, KOPS_ENCRYPTION_CONFIG_ROTATE_SCRIPT,
  KOPS_KUBECONFIG_SCRIPT, KOPS_ROLLING_UPDATE_SCRIPT,
  type KopsApplyEnvironment, type KopsEncryptionEnvironment, type KopsEnvironment, type KopsRollingUpdateEnvironment, type KopsSnapshotEnvironment,
} from './kops-scripts';
import { checkEncryptionKeyNames } from './encryption-config';
import { checkArgs } from './args-check';

/** The API server's encryption at rest, as kops's `encryptionconfig` secret. */
export interface KopsEncryption {
  /** The key names, in the order of the config (the first encrypts); changing them is a rotation. */
  readonly keyNames: readonly string[];
  /** The EncryptionConfiguration document (encryptionConfiguration()), a secret. */
  readonly config: pulumi.Input<string>;
}

/** What the snapshot step before a risky change covers. */
export interface KopsEtcd {
  /** The Name tags of the etcd volumes (etcdVolumeNames()). */
  readonly volumeNames: readonly string[];
  /** A hash of the Cluster's etcdClusters: a change to it snapshots first. */
  readonly specHash: string;
}

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
  /** Every instance group of the definition, masters included; kops groups not listed are deleted by the apply step. */
  readonly instanceGroups: readonly string[];
  /** The kops release the steps run with; a new one re-runs the apply step. @default '1.36.0' */
  readonly kopsVersion?: string;
  /** Encryption at rest (the spec's `encryptionConfig: true` needs it before the first update). @default - none: the spec must not enable it */
  readonly encryption?: KopsEncryption;
  /** The etcd volumes to snapshot before a Kubernetes version or etcd change. */
  readonly etcd: KopsEtcd;
}

/** The content hash the kops steps re-run on: sha256 of the filled manifests. */
export function manifestHash(manifest: string): string {
  return createHash('sha256').update(manifest).digest('hex');
}

const VALIDATE_TIMEOUT = /^\d+[smh]$/;
const KOPS_VERSION = /^\d+\.\d+\.\d+$/;

/**
 * Runs kops on a cluster's rendered manifests, through @pulumi/command and the stack's own
 * (ambient) AWS credentials, in this order:
 * 1. **etcd-snapshot** — before a Kubernetes version or etcd change, EBS snapshots of the etcd
 *    volumes, waited for (re-runs only when the version or the etcd spec changes);
 * 2. **encryption-config** — kops's `encryptionconfig` secret, created when absent, replaced only
 *    when the key names change (explicit rotation); the key is on stdin, a secret;
 * 3. **apply** — `kops replace`, `kops update cluster` (or `reconcile` for an upgrade, resumed if it
 *    failed), `kops validate cluster --wait`, deletion of instance groups no longer defined;
 *    re-runs when the filled manifests, the kops release or the key names change;
 * 4. **rolling-update** of the listed groups, when any are listed;
 * 5. **kubeconfig** through kops's auth plugin (see KOPS_KUBECONFIG_SCRIPT), a secret output.
 */
export class KopsDeployment extends pulumi.ComponentResource {
  /** A kubeconfig for the cluster whose user runs `kops helpers kubectl-auth` (secret). */
  public readonly kubeconfig: pulumi.Output<string>;
  /** The hash of the manifests kops was given: what the steps re-run on. */
  public readonly manifestHash: pulumi.Output<string>;
  /** The step that applies the manifests and validates the cluster. */
  public readonly apply: command.local.Command;

  public constructor(name: string, args: KopsDeploymentArgs, opts?: pulumi.ComponentResourceOptions) {
    checkArgs('platform:aws:KopsDeployment', name, KopsDeployment, args);
    super('platform:aws:KopsDeployment', name, {}, opts);
    const validateTimeout = args.validateTimeout ?? '20m';
    const groups = args.rollingUpdate ?? [];
    const protect = args.protect ?? true;
    const kopsVersion = args.kopsVersion ?? '1.36.0';
    const path = `KopsDeployment ${name}`;
    if (!VALIDATE_TIMEOUT.test(validateTimeout)) {
      throw PlatformError.of({ path, field: 'validateTimeout', value: validateTimeout, rule: 'is not a kops duration', fix: "write a number and a unit, e.g. '20m'" });
    }
    if (!KOPS_VERSION.test(kopsVersion)) {
      throw PlatformError.of({ path, field: 'kopsVersion', value: kopsVersion, rule: 'is not a kops release version', fix: "pin a release such as '1.36.0'" });
    }
    for (const g of groups) checkDnsLabel(g, { path, field: 'rollingUpdate' });
    for (const g of args.instanceGroups) checkDnsLabel(g, { path, field: 'instanceGroups' });
    if (args.instanceGroups.length === 0) {
      throw PlatformError.of({ path, field: 'instanceGroups', rule: 'is empty', fix: 'list every instance group of the definition: groups kops has that are not listed are deleted' });
    }
    const unknown = groups.filter((g) => !args.instanceGroups.includes(g));
    if (unknown.length > 0) {
      throw PlatformError.of({ path, field: 'rollingUpdate', value: unknown.join(', '), rule: 'names groups the definition does not have', fix: `roll some of ${args.instanceGroups.join(', ')}` });
    }
    const keyNames = args.encryption === undefined ? [] : checkEncryptionKeyNames(path, args.encryption.keyNames);

    const hash = pulumi.output(args.manifest).apply(manifestHash);
    const env: pulumi.Output<KopsEnvironment> = pulumi.output(args.stateStoreUrl).apply((url) => ({
      KOPS_STATE_STORE: url,
      KOPS_CLUSTER_NAME: args.clusterName,
      AWS_REGION: args.region,
      KUBERNETES_VERSION: args.kubernetesVersion,
      KOPS_VALIDATE_WAIT: validateTimeout,
      KOPS_VERSION: kopsVersion,
    }));
    const child = { parent: this };

    const reason = `kubernetes-${args.kubernetesVersion}-etcd-${args.etcd.specHash.slice(0, 12)}`;
    const snapshot = new command.local.Command(`${name}-etcd-snapshot`, {
      create: ETCD_SNAPSHOT_SCRIPT,
      update: ETCD_SNAPSHOT_SCRIPT,
      environment: env.apply((e): KopsSnapshotEnvironment => ({ ...e, ETCD_VOLUME_NAMES: args.etcd.volumeNames.join(','), SNAPSHOT_REASON: reason })),
      triggers: [args.kubernetesVersion, args.etcd.specHash],
    }, child);
    const before: pulumi.Resource[] = [snapshot];
    if (args.encryption !== undefined) {
      before.push(new command.local.Command(`${name}-encryption-config`, {
        create: KOPS_ENCRYPTION_CONFIG_CREATE_SCRIPT,
        update: KOPS_ENCRYPTION_CONFIG_ROTATE_SCRIPT,
        stdin: pulumi.secret(args.encryption.config),
        environment: env.apply((e): KopsEncryptionEnvironment => ({ ...e, ENCRYPTION_KEY_NAMES: keyNames.join(',') })),
        triggers: [keyNames.join(',')],
      }, { parent: this, dependsOn: [snapshot] }));
    }
    this.apply = new command.local.Command(`${name}-apply`, {
      create: KOPS_APPLY_SCRIPT,
      update: KOPS_APPLY_SCRIPT,
      delete: KOPS_DELETE_SCRIPT,
      stdin: args.manifest,
      environment: env.apply((e): KopsApplyEnvironment => ({ ...e, KOPS_INSTANCE_GROUPS: args.instanceGroups.join(',') })),
      triggers: [hash, kopsVersion, keyNames.join(',')],
    }, { parent: this, protect, dependsOn: before });
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
