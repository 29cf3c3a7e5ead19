import { Construct } from 'constructs';
import { Exemption, checkPolicy, type PolicyRule } from '../../lib/policy';
import { PlatformNamespace } from '../../lib/tenancy';
import { validateKubernetesObject } from '../support/k8s-schema';
import { deployment, tree } from './fixtures';

describe('Exemption', () => {
  test('an exemption without a reason is refused where it is added', () => {
    // GIVEN
    const { chart } = tree();
    const { owner } = deployment(chart, 'agent');
    // WHEN / THEN
    expect(() => Exemption.add(owner, { rule: 'host-network', reason: '  ' })).toThrow(
      'prod/services/agent: exemption.reason must say why rule host-network does not apply; state the reason a reviewer should accept, or fix the object so the rule passes',
    );
  });

  test('an exemption naming no rule of the policy is refused', () => {
    const { chart } = tree();
    expect(() => Exemption.add(chart, { rule: 'no-such-rule' as PolicyRule, reason: 'x' })).toThrow(
      'prod/services: exemption.rule is not a policy rule (got "no-such-rule"); use one of run-as-non-root, privilege-escalation, drop-capabilities, seccomp, host-network, host-pid, host-ipc, host-path, host-ports, privileged, proc-mount, selinux, apparmor, sysctls, host-process, volume-types, resources, readiness-probe, image-pinned, secret-data, credential-env, default-deny, pdb, cronjob-concurrency, load-balancer, tenant-kind',
    );
  });

  test('a rule is exempted once per construct', () => {
    const { chart } = tree();
    Exemption.add(chart, { rule: 'pdb', reason: 'singleton by design' });
    expect(() => Exemption.add(chart, { rule: 'pdb', reason: 'again' })).toThrow(
      'prod/services: exemption.rule is already exempted on this construct (got "pdb"); give each rule one exemption per construct',
    );
  });

  test('an exemption is stored on the construct node and applies to every object under it', () => {
    // GIVEN
    const { app, chart } = tree();
    const group = new Construct(chart, 'agents');
    deployment(group, 'a', (p) => { p.hostNetwork = true; });
    deployment(group, 'b', (p) => { p.hostNetwork = true; });
    // WHEN
    Exemption.add(group, { rule: 'host-network', reason: 'node agents read host interfaces' });
    const report = checkPolicy(app);
    // THEN
    expect(group.node.metadata.map((m) => m.data)).toEqual([{ rule: 'host-network', reason: 'node agents read host interfaces' }]);
    expect(report.violations).toEqual([]);
    expect(report.exemptions).toEqual([{
      rule: 'host-network', reason: 'node agents read host interfaces', path: 'prod/services/agents',
      objects: ['Deployment shop/a', 'Deployment shop/b'],
      message: 'prod/services/agents: host-network exempted for Deployment shop/a, Deployment shop/b (node agents read host interfaces)',
    }]);
  });

  test('an exemption that exempts nothing is a violation, so stale exemptions do not linger', () => {
    const { app, chart } = tree();
    const { owner } = deployment(chart, 'api');
    Exemption.add(owner, { rule: 'load-balancer', reason: 'was exposed directly once' });
    expect(checkPolicy(app).violations.map((v) => v.message)).toEqual([
      'prod/services/api: exemption from rule load-balancer exempts no object at or under this construct; remove the exemption, or move it to the construct whose objects break the rule',
    ]);
  });
});

describe('Pod Security level of exempted pods', () => {
  test('an exemption beyond restricted in a namespace that enforces restricted is a violation', () => {
    // GIVEN
    const { app, chart } = tree();
    new PlatformNamespace(chart, 'ns', { name: 'shop' });
    const { owner } = deployment(chart, 'agent', (p) => { p.hostNetwork = true; });
    // WHEN
    Exemption.add(owner, { rule: 'host-network', reason: 'reads host interfaces' });
    // THEN
    expect(checkPolicy(app).violations.map((v) => v.message)).toEqual([
      "prod/services/agent/deployment: Deployment shop/agent [pod-security-level] metadata.namespace is exempted from host-network, which needs Pod Security level privileged, but Namespace shop enforces restricted; set the namespace's podSecurity to { level: 'privileged', reason } (a PlatformNamespace, or the team namespace with a stated reason)",
    ]);
  });

  test('the exemption passes once its namespace enforces a level that admits it, with the reason written on it', () => {
    // GIVEN
    const { app, chart } = tree();
    const ns = new PlatformNamespace(chart, 'ns', { name: 'shop', podSecurity: { level: 'privileged', reason: 'node agents' } });
    const { owner } = deployment(chart, 'agent', (p) => { p.hostNetwork = true; });
    // WHEN
    Exemption.add(owner, { rule: 'host-network', reason: 'reads host interfaces' });
    // THEN
    expect(checkPolicy(app).violations).toEqual([]);
    const json = ns.namespace.toJson();
    expect(json.metadata.labels).toEqual({
      'app.kubernetes.io/managed-by': 'platform-constructs',
      'pod-security.kubernetes.io/enforce': 'privileged',
      'pod-security.kubernetes.io/enforce-version': 'v1.35',
      'pod-security.kubernetes.io/warn': 'restricted',
      'pod-security.kubernetes.io/warn-version': 'v1.35',
      'pod-security.kubernetes.io/audit': 'restricted',
      'pod-security.kubernetes.io/audit-version': 'v1.35',
    });
    expect(json.metadata.annotations).toEqual({ 'platform.example.com/pod-security-reason': 'node agents' });
    validateKubernetesObject(json);
  });

  test('baseline admits what only restricted forbids, but not host namespaces', () => {
    // GIVEN
    const { app, chart } = tree();
    new PlatformNamespace(chart, 'ns', { name: 'shop', podSecurity: { level: 'baseline', reason: 'legacy image runs as root' } });
    const root = deployment(chart, 'root', (p) => { delete p.securityContext.runAsNonRoot; });
    const host = deployment(chart, 'host', (p) => { p.hostPid = true; });
    // WHEN
    Exemption.add(root.owner, { rule: 'run-as-non-root', reason: 'legacy image' });
    Exemption.add(host.owner, { rule: 'host-pid', reason: 'debugging' });
    // THEN
    expect(checkPolicy(app).violations.map((v) => [v.object, v.rule])).toEqual([['Deployment shop/host', 'pod-security-level']]);
  });

  test('a weaker level without a reason is refused', () => {
    const { chart } = tree();
    expect(() => new PlatformNamespace(chart, 'ns', { name: 'logging', podSecurity: { level: 'privileged', reason: '' } })).toThrow(
      "prod/services/ns: podSecurity.reason must say why the namespace needs Pod Security level privileged; state the reason (e.g. 'node-exporter reads the host network and /proc'), or keep level 'restricted'",
    );
  });
});
