import { ApiObject } from 'cdk8s';
import { buildCluster } from '../../lib';
import { POLICY_RULES, type PolicyRule } from '../../lib/policy/rules';
import { POD_SECURITY_VERSION } from '../../lib/policy/pod-security';
import { TenantAdmission } from '../../lib/tenancy/admission-policies';
import { Team } from '../../lib/tenancy/team';
import { prod } from '../../clusters/prod';
import { admit, requestFor } from '../support/admission';

/**
 * Every rule of the synth-time check and what holds it in the cluster. The synth check is the
 * early warning; the cluster is the guarantee, whatever a repo exempted itself from.
 * - `pod-security`: Pod Security Admission at the namespace's level, pinned to a version;
 * - `admission`: a tenant admission policy, with an object it must refuse;
 * - `kubernetes`: another in-cluster mechanism, named;
 * - `none`: nothing in the cluster holds it yet (said, not hidden).
 */
type Counterpart =
  | { readonly by: 'pod-security' }
  | { readonly by: 'admission'; readonly policy: string; readonly refuses: { kind: string; metadata: { name: string; namespace: string } } & Record<string, unknown>; readonly operation?: 'CREATE' | 'DELETE' }
  | { readonly by: 'kubernetes'; readonly what: string }
  | { readonly by: 'none'; readonly why: string };

const PSA: Counterpart = { by: 'pod-security' };
const PARITY: Record<PolicyRule, Counterpart> = {
  'run-as-non-root': PSA, 'privilege-escalation': PSA, 'drop-capabilities': PSA, seccomp: PSA,
  'host-network': PSA, 'host-pid': PSA, 'host-ipc': PSA, 'host-path': PSA, 'host-ports': PSA, privileged: PSA,
  'proc-mount': PSA, selinux: PSA, apparmor: PSA, sysctls: PSA, 'host-process': PSA, 'volume-types': PSA,
  resources: { by: 'kubernetes', what: 'the platform-limits LimitRange gives every container requests and limits' },
  'readiness-probe': { by: 'none', why: 'admission sees one object at a time: a Service and the pods it selects are written apart' },
  'image-pinned': { by: 'none', why: 'no admission policy for image references yet' },
  'secret-data': { by: 'kubernetes', what: 'RBAC: the deploy Role (DEPLOY_RULES) grants no Secrets; values come from the deploy step' },
  'credential-env': { by: 'none', why: 'a literal credential is a name-based guess the cluster does not make' },
  'default-deny': {
    by: 'admission', policy: 'platform-tenant-platform-objects', operation: 'DELETE',
    refuses: { apiVersion: 'networking.k8s.io/v1', kind: 'NetworkPolicy', metadata: { name: 'platform-default-deny', namespace: 'shop' }, spec: { podSelector: {}, policyTypes: ['Ingress', 'Egress'] } },
  },
  pdb: { by: 'none', why: 'a whole-tree rule: a Deployment and its PodDisruptionBudget are written apart' },
  'cronjob-concurrency': { by: 'none', why: 'no admission policy for CronJob concurrency yet' },
  'load-balancer': {
    by: 'admission', policy: 'platform-tenant-services',
    refuses: { apiVersion: 'v1', kind: 'Service', metadata: { name: 'edge', namespace: 'shop' }, spec: { type: 'LoadBalancer', ports: [{ port: 443 }] } },
  },
  'tenant-kind': {
    by: 'admission', policy: 'platform-tenant-forbidden-kinds',
    refuses: { apiVersion: 'gateway.networking.k8s.io/v1', kind: 'Gateway', metadata: { name: 'mine', namespace: 'shop' }, spec: {} },
  },
  'endpoint-addresses': {
    by: 'admission', policy: 'platform-tenant-shop',
    refuses: { apiVersion: 'discovery.k8s.io/v1', kind: 'EndpointSlice', metadata: { name: 'orders-db', namespace: 'shop' }, addressType: 'IPv4', endpoints: [{ addresses: ['100.96.3.7'] }], ports: [{ port: 5432 }] },
  },
  'pod-template': { by: 'kubernetes', what: "Pod Security Admission checks every pod a custom kind's controller creates, at its namespace's level" },
};

/** The checks that need the whole tree, which admission (one object at a time) cannot see. */
const WHOLE_TREE_ONLY = [
  'one host+path per cluster (lib/synth/tree-checks.ts duplicateRoutes)',
  'quota against the sum of requests at max replicas (lib/tenancy/quota-check.ts)',
  'a namespace or a host claimed by two teams (Team, hostsClaimedTwice)',
  'a readiness probe behind every Service, a PodDisruptionBudget for every replicated Deployment',
];

describe('synth rules and their in-cluster counterparts', () => {
  const { app } = buildCluster(prod, ['prod', 'stage', 'e2e']);
  const teams = app.node.findAll().filter((c): c is Team => c instanceof Team);
  // The policies the cluster writes, with its reserved networks.
  const policies = app.node.findAll().filter((c): c is TenantAdmission => c instanceof TenantAdmission).flatMap((a) => a.policies);

  test('every rule of the policy check is listed, once', () => {
    expect(Object.keys(PARITY).sort()).toEqual([...POLICY_RULES].sort());
    expect(WHOLE_TREE_ONLY.length).toBeGreaterThan(0);
  });

  test('each admission counterpart refuses what the rule forbids, to a tenant', () => {
    for (const [rule, c] of Object.entries(PARITY)) {
      if (c.by !== 'admission') continue;
      const result = admit(policies, requestFor(c.refuses, { operation: c.operation ?? 'CREATE' }));
      expect([rule, result.refusals.some((r) => r.startsWith(`${c.policy}:`))]).toEqual([rule, true]);
    }
  });

  test('each Pod Security counterpart holds: every team namespace enforces a level, pinned to the version the clusters run', () => {
    const namespaces = app.node.findAll().filter((c): c is ApiObject => ApiObject.isApiObject(c) && c.kind === 'Namespace').map((n) => n.toJson() as { metadata: { name: string; labels: Record<string, string> } });
    const teamNamespaces = teams.flatMap((t) => t.namespaceNames);
    expect(teamNamespaces.length).toBeGreaterThan(0);
    for (const name of teamNamespaces) {
      const labels = namespaces.find((n) => n.metadata.name === name)?.metadata.labels ?? {};
      expect([name, labels['pod-security.kubernetes.io/enforce'], labels['pod-security.kubernetes.io/enforce-version']]).toEqual([name, 'restricted', POD_SECURITY_VERSION]);
    }
    for (const ns of namespaces) expect([ns.metadata.name, ns.metadata.labels['pod-security.kubernetes.io/enforce-version']]).toEqual([ns.metadata.name, POD_SECURITY_VERSION]);
    expect(`v${prod.kubernetes.kubernetesVersion.split('.').slice(0, 2).join('.')}`).toBe(POD_SECURITY_VERSION);
  });
});
