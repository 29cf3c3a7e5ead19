// The evaluator's own rules, each on a policy it must admit and refuse under (see network-policy-eval.ts).
import { admits, refusal, type Endpoint } from './network-policy-eval';

const meta = (name: string, namespace = 'a') => ({ name, namespace });
const web: Endpoint = { namespace: 'a', labels: { app: 'web', tier: 'front' }, ip: '100.96.0.2', namedPorts: { http: 8080 } };
const db: Endpoint = { namespace: 'b', labels: { app: 'db' }, ip: '100.96.0.3', namedPorts: { pg: 5432 } };
const outside: Endpoint = { ip: '203.0.113.5' };

describe('the NetworkPolicy evaluator', () => {
  test('with no policy selecting either end, everything is admitted', () => {
    expect(admits([], { from: web, to: db, port: 5432 })).toBe(true);
  });

  test('absent policyTypes mean Ingress, plus Egress when egress rules exist', () => {
    const ingressOnly = [{ metadata: meta('p'), spec: { podSelector: {} } }];
    expect(refusal(ingressOnly, { from: db, to: web, port: 8080 })).toBe('ingress');
    expect(refusal(ingressOnly, { from: web, to: outside, port: 443 })).toBeUndefined();
    const withEgress = [{ metadata: meta('p'), spec: { podSelector: {}, egress: [{ ports: [{ port: 53, protocol: 'UDP' }] }] } }];
    expect(refusal(withEgress, { from: web, to: outside, port: 443 })).toBe('egress');
    expect(refusal(withEgress, { from: web, to: outside, port: 53, protocol: 'UDP' })).toBeUndefined();
  });

  test('a podSelector peer is the policy\'s namespace; with a namespaceSelector, the selected namespaces', () => {
    const samens = [{ metadata: meta('p', 'b'), spec: { podSelector: {}, ingress: [{ from: [{ podSelector: { matchLabels: { app: 'web' } } }] }] } }];
    expect(refusal(samens, { from: web, to: db, port: 5432 })).toBe('ingress');
    const cross = [{ metadata: meta('p', 'b'), spec: { podSelector: {}, ingress: [{ from: [{ namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'a' } }, podSelector: { matchExpressions: [{ key: 'tier', operator: 'In', values: ['front'] }] } }] }] } }];
    expect(refusal(cross, { from: web, to: db, port: 5432 })).toBeUndefined();
    expect(refusal(cross, { from: { ...web, labels: { app: 'web' } }, to: db, port: 5432 })).toBe('ingress');
  });

  test('an ipBlock admits its block less its except; a host-network pod is neither selected nor isolated', () => {
    const out = [{ metadata: meta('p'), spec: { podSelector: {}, policyTypes: ['Egress'], egress: [{ to: [{ ipBlock: { cidr: '203.0.113.0/24', except: ['203.0.113.4/30'] } }] }] } }];
    expect(refusal(out, { from: web, to: { ip: '203.0.113.9' }, port: 443 })).toBeUndefined();
    expect(refusal(out, { from: web, to: outside, port: 443 })).toBe('egress');
    expect(refusal(out, { from: { ...web, hostNetwork: true }, to: { ip: '198.51.100.1' }, port: 443 })).toBeUndefined();
  });

  test('ports: numbers, names of the destination\'s container ports, ranges with endPort, TCP by default', () => {
    const ports = [{ metadata: meta('p', 'b'), spec: { podSelector: {}, ingress: [{ ports: [{ port: 'pg' }, { port: 9000, endPort: 9010 }] }] } }];
    expect(refusal(ports, { from: web, to: db, port: 5432 })).toBeUndefined();
    expect(refusal(ports, { from: web, to: db, port: 5432, protocol: 'UDP' })).toBe('ingress');
    expect(refusal(ports, { from: web, to: db, port: 9010 })).toBeUndefined();
    expect(refusal(ports, { from: web, to: db, port: 9011 })).toBe('ingress');
    expect(refusal(ports, { from: web, to: { ...db, namedPorts: {} }, port: 5432 })).toBe('ingress');
  });

  test('allows are a union over the policies that select a pod', () => {
    const two = [
      { metadata: meta('deny', 'b'), spec: { podSelector: {}, policyTypes: ['Ingress'] } },
      { metadata: meta('allow', 'b'), spec: { podSelector: { matchLabels: { app: 'db' } }, ingress: [{ from: [{ namespaceSelector: {} }] }] } },
    ];
    expect(refusal(two, { from: web, to: db, port: 5432 })).toBeUndefined();
    expect(refusal(two, { from: outside, to: db, port: 5432 })).toBe('ingress');
  });
});
