import { App, Chart } from 'cdk8s';
import { checkPolicy } from '../../../lib/policy/check';
import { EXTERNAL_SECRETS_CLUSTER_RULES, secretsAddon } from '../../../lib/addons/external-secrets';
import { PlatformError } from '../../../lib';
import { buildCluster } from '../../../lib/platform/cluster-app';
import { admin, environments, prod } from '../../../clusters';
import { testAddonContext } from '../../support/cluster-facts';
import { validateKubernetesObject } from '../../support/k8s-schema';
import { externalSecretsErrors, isExternalSecretsKind } from './eso-schema';

function addonChart(props = {}): Chart {
  const chart = new Chart(new App(), 'addon-secrets');
  secretsAddon.build(chart, props, testAddonContext());
  return chart;
}

describe('the secrets addon (External Secrets Operator)', () => {
  const chart = addonChart();
  const all = chart.toJson();
  const byKey = Object.fromEntries(all.map((o: any) => [`${o.kind}/${o.metadata.namespace ?? ''}/${o.metadata.name}`, o]));

  test('every object is a valid Kubernetes object and the whole addon passes the policy check with no exemption', () => {
    for (const o of all) expect(() => validateKubernetesObject(o)).not.toThrow();
    const report = checkPolicy(chart);
    expect(report.violations.map((v) => v.message)).toEqual([]);
    expect(report.exemptions).toEqual([]);
  });

  test('the controller runs leader-elected in a restricted namespace, with the cluster-wide and push reconcilers off', () => {
    const ns = byKey['Namespace//external-secrets'];
    expect(ns.metadata.labels['pod-security.kubernetes.io/enforce']).toBe('restricted');
    const deployment = byKey['Deployment/external-secrets/external-secrets'];
    expect(deployment.spec.replicas).toBe(2);
    const args: string[] = deployment.spec.template.spec.containers[0].args;
    expect(args).toEqual(expect.arrayContaining([
      '--enable-leader-election=true', '--enable-cluster-store-reconciler=false', '--enable-cluster-external-secret-reconciler=false',
      '--enable-push-secret-reconciler=false', '--enable-cluster-push-secret-reconciler=false',
    ]));
    expect(deployment.spec.template.spec.containers[0].image).toBe('ghcr.io/external-secrets/external-secrets:v2.9.0');
    expect(byKey['PodDisruptionBudget/external-secrets/external-secrets']).toBeDefined();
  });

  test('its rights name only the namespaced kinds: no ClusterSecretStore, ClusterExternalSecret or PushSecret, nothing with a wildcard', () => {
    const resources = EXTERNAL_SECRETS_CLUSTER_RULES.flatMap((r) => r.resources ?? []);
    expect(resources.filter((r) => /cluster|push|\*/.test(r))).toEqual([]);
    expect(byKey['ClusterRole//external-secrets:controller'].rules).toEqual(EXTERNAL_SECRETS_CLUSTER_RULES);
  });

  test('network: default deny, then DNS, HTTPS to the VPC only (API servers, STS and Secrets Manager endpoints), scrapes from Prometheus', () => {
    const policies = all.filter((o: any) => o.kind === 'NetworkPolicy').map((o: any) => o.metadata.name).sort();
    expect(policies).toEqual(['allow-dns', 'controller-to-api-and-aws', 'default-deny', 'external-secrets-allow-scrape']);
    expect(byKey['NetworkPolicy/external-secrets/controller-to-api-and-aws'].spec.egress).toEqual([
      { to: [{ ipBlock: { cidr: '10.30.0.0/16' } }], ports: [{ protocol: 'TCP', port: 443 }] },
    ]);
  });

  test('its CRDs are v2.9.0\'s ExternalSecret and SecretStore, in a chart of their own', () => {
    const crds = new Chart(new App(), 'addon-secrets-crds');
    secretsAddon.crds?.(crds, {}, testAddonContext());
    expect(crds.toJson().map((o: any) => `${o.kind}/${o.metadata.name}`)).toEqual([
      'CustomResourceDefinition/externalsecrets.external-secrets.io', 'CustomResourceDefinition/secretstores.external-secrets.io',
    ]);
  });

  test('a replica count below one is refused', () => {
    expect(() => addonChart({ replicas: 0 })).toThrow(PlatformError);
    expect(() => addonChart({ replicas: 0 })).toThrow('addon-secrets/external-secrets: replicas must be a whole number >= 1 (got 0); use 2 (one leads, one waits), or 1');
  });
});

describe('the platform\'s own Secrets through Secrets Manager', () => {
  const built = buildCluster(prod, environments);
  const objects = built.app.charts.filter((c) => !c.node.id.endsWith('-crds')).flatMap((c) => c.toJson());

  test('with the addon, every Secret the other addons declare is synced by an ExternalSecret; none is left for the stack', () => {
    expect(built.secrets.length).toBeGreaterThan(0);
    expect(built.secrets.map((d) => d.source)).toEqual(built.secrets.map(() => 'secretsManager'));
    const synced = objects.filter((o: any) => o.kind === 'ExternalSecret').map((o: any) => `${o.metadata.namespace}/${o.metadata.name}`);
    expect(synced).toEqual(expect.arrayContaining(built.secrets.map((d) => `${d.namespace}/${d.name}`)));
    for (const d of built.secrets) {
      const es = objects.find((o: any) => o.kind === 'ExternalSecret' && o.metadata.namespace === d.namespace && o.metadata.name === d.name);
      expect(es.spec.data.map((x: any) => x.secretKey)).toEqual([...d.keys]);
    }
    expect(objects.filter((o: any) => o.kind === 'Secret')).toEqual([]);
  });

  test('each namespace holding one reads only platform/<cluster>/<namespace>/, and every ExternalSecret and SecretStore of prod and admin is valid against its CRD', () => {
    const stores = objects.filter((o: any) => o.kind === 'SecretStore' && !o.metadata.namespace.startsWith('shop') && o.metadata.namespace !== 'content');
    expect(stores.map((s: any) => [s.metadata.namespace, s.spec.provider.aws.prefix]).sort()).toEqual(
      [...new Set(built.secrets.map((d) => d.namespace))].sort().map((ns) => [ns, `platform/prod/${ns}/`]),
    );
    // prod and admin: stage and e2e are derived from prod and build the same kinds.
    for (const def of [prod, admin]) {
      const all = (def === prod ? built : buildCluster(def, environments)).app.charts.filter((c) => !c.node.id.endsWith('-crds')).flatMap((c) => c.toJson()).filter(isExternalSecretsKind);
      expect(all.length).toBeGreaterThan(0);
      for (const o of all) expect(externalSecretsErrors(o)).toEqual([]);
    }
  });

  test('kops creates a role for every store\'s ServiceAccount', () => {
    const cluster = built.kops.cluster.toJson() as any;
    const sas = cluster.spec.iam.serviceAccountExternalPermissions.map((p: any) => `${p.namespace}/${p.name}`);
    const storeSas = objects.filter((o: any) => o.kind === 'SecretStore').map((s: any) => `${s.metadata.namespace}/${s.spec.provider.aws.auth.jwt.serviceAccountRef.name}`);
    expect(storeSas.length).toBeGreaterThan(0);
    expect(sas).toEqual(expect.arrayContaining(storeSas));
  });
});
