import type { Construct } from 'constructs';
import { PlatformSecrets, platformSecretStores } from '../addons/external-secrets/platform-secrets';
import type { SecretDeclaration, WorkloadIdentity } from '../core';
import { checkSecretsPrefix, teamSecretStores, type SecretsManagerTarget } from '../tenancy/secret-store';
import type { ClusterDefinition } from './cluster-definition';

/**
 * Where a cluster's Secrets come from, decided once for the whole cluster: with the secrets addon
 * (the External Secrets Operator), every addon-declared Secret is synced from Secrets Manager and
 * teams may declare their folder there; without it, the stack writes each from its config.
 */
export function secretsManagerTarget(def: ClusterDefinition): SecretsManagerTarget | undefined {
  return def.secrets === undefined ? undefined : { cluster: def.name, clusterName: def.kubernetes.clusterName, region: def.region };
}

/** The declarations with the source the cluster gives them. */
export function withSecretSource(declared: readonly SecretDeclaration[], target: SecretsManagerTarget | undefined): SecretDeclaration[] {
  return declared.map((d) => ({ ...d, source: target === undefined ? 'stack' : 'secretsManager' }));
}

/** The workload identities of every store of the cluster, for kops to create their roles: each team's, and the platform's per addon namespace. */
export function secretStoreIdentities(def: ClusterDefinition, target: SecretsManagerTarget | undefined, declared: readonly SecretDeclaration[]): WorkloadIdentity[] {
  if (target === undefined) return [];
  const teams = def.teams.flatMap((t) => (t.secretsPrefix === undefined ? [] : teamSecretStores(
    target, checkSecretsPrefix(`cluster ${def.name} team ${t.name}`, 'secretsPrefix', t.secretsPrefix), (t.namespaces ?? [{ name: t.name }]).map((n) => n.name),
  )));
  return [...teams, ...platformSecretStores(target, declared)].map((p) => p.identity);
}

/** An addon's declared Secrets synced into its own chart, when the cluster runs the operator. */
export function syncAddonSecrets(chart: Construct, target: SecretsManagerTarget | undefined, declared: readonly SecretDeclaration[]): void {
  if (target === undefined || declared.length === 0) return;
  new PlatformSecrets(chart, 'platform-secrets', { target, declared });
}
