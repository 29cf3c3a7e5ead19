// Which Kubernetes Secrets the stack's secret config becomes. The manifests refer to them by name;
// their values exist only as Pulumi secrets.
import { Platform, PlatformError, type SecretDeclaration, writtenByStack } from '../lib';
import type { KubernetesSecretArgs, ManifestPlan } from '../lib/aws';
import type { PlatformSecrets } from './config';

/**
 * The Secrets to create: the registry pull secret in every team namespace, and every Secret the
 * cluster's addons declare with source `stack`, from the config key each declaration names (the
 * External Secrets Operator syncs the others; the stack never sees their values). A value whose keys are
 * not the declared ones fails the deployment, naming the keys (never a value).
 */
export function kubernetesSecrets(plan: ManifestPlan, secrets: PlatformSecrets, declared: readonly SecretDeclaration[]): KubernetesSecretArgs[] {
  const teamCharts = new Set(plan.charts.filter((c) => c.phase === 'teams').map((c) => c.name));
  const teamNamespaces = plan.objects.filter((o) => o.object.kind === 'Namespace' && teamCharts.has(o.chart)).map((o) => o.object.metadata.name);
  const out: KubernetesSecretArgs[] = teamNamespaces.map((namespace) => ({
    namespace, name: Platform.imagePullSecret, type: 'kubernetes.io/dockerconfigjson', stringData: { '.dockerconfigjson': secrets.registryPullSecret },
  }));
  for (const d of writtenByStack(declared)) {
    const value = secrets.addonSecrets.get(d.configKey);
    if (value === undefined) continue;
    out.push({ namespace: d.namespace, name: d.name, stringData: value.apply((v) => declaredKeys(d, v)) });
  }
  return out;
}

function declaredKeys(d: SecretDeclaration, value: Readonly<Record<string, string>>): Record<string, string> {
  const given = Object.keys(value).sort();
  const wanted = [...d.keys].sort();
  if (given.join(',') !== wanted.join(',')) {
    throw PlatformError.of({
      path: `Secret ${d.namespace}/${d.name}`, field: `config platform:${d.configKey}`, value: given.join(', '),
      rule: `must hold exactly the keys [${wanted.join(', ')}]`, fix: `set each of them with pulumi config set --secret --path 'platform:${d.configKey}.<key>' and remove the others`,
    });
  }
  return Object.fromEntries(wanted.map((k) => [k, value[k] ?? '']));
}
