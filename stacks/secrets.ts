// Which Kubernetes Secrets the stack's secret config becomes. The manifests refer to them by name;
// their values exist only as Pulumi secrets.
import { Platform } from '../lib';
import type { KubernetesSecretArgs, ManifestPlan } from '../lib/aws';
import type { PlatformSecrets } from './config';

/**
 * Where each addon credential goes: the addon's namespace and Secret name. An addon engineer adds
 * a row when the addon's chart (addon-*) exists; a row whose namespace no chart creates is skipped.
 */
export const ADDON_SECRETS: ReadonlyArray<{ readonly config: Exclude<keyof PlatformSecrets, 'registryPullSecret'>; readonly namespace: string; readonly name: string }> = [
  { config: 'ldapBindPassword', namespace: 'dex', name: 'dex-ldap-bind' },
  { config: 'oidcClientSecrets', namespace: 'dex', name: 'dex-client-secrets' },
  { config: 'alertmanagerKeys', namespace: Platform.monitoringNamespace, name: 'alerting' },
  { config: 'grafanaSecrets', namespace: Platform.monitoringNamespace, name: 'grafana' },
];

/** Secrets whose config value is a map written key for key (the keys the manifests reference); the others hold one JSON document. */
const KEYED: ReadonlySet<string> = new Set(['alertmanagerKeys', 'grafanaSecrets']);

/** The Secrets to create: the registry pull secret in every team namespace, and each configured addon credential. */
export function kubernetesSecrets(plan: ManifestPlan, secrets: PlatformSecrets): KubernetesSecretArgs[] {
  const namespaces = new Set(plan.objects.filter((o) => o.object.kind === 'Namespace').map((o) => o.object.metadata.name));
  const teamNamespaces = plan.objects.filter((o) => o.object.kind === 'Namespace' && o.chart.startsWith('team-')).map((o) => o.object.metadata.name);
  const out: KubernetesSecretArgs[] = teamNamespaces.map((namespace) => ({
    namespace, name: Platform.imagePullSecret, type: 'kubernetes.io/dockerconfigjson', stringData: { '.dockerconfigjson': secrets.registryPullSecret },
  }));
  for (const row of ADDON_SECRETS) {
    if (!namespaces.has(row.namespace)) continue;
    if (row.config === 'ldapBindPassword') {
      if (secrets.ldapBindPassword !== undefined) out.push({ namespace: row.namespace, name: row.name, stringData: { password: secrets.ldapBindPassword } });
      continue;
    }
    const value = secrets[row.config];
    if (value === undefined) continue;
    out.push({ namespace: row.namespace, name: row.name, stringData: KEYED.has(row.config) ? value : { 'values.json': value.apply((v) => JSON.stringify(v)) } });
  }
  return out;
}
