import { ApiObject } from 'cdk8s';
import { buildCluster, buildClusterChecked, renderApp, type ClusterDefinition, type PodTemplateKind, type ServiceGroup } from '../../lib';
import { TenantAdmission } from '../../lib/tenancy/admission-policies';
import { prod } from '../../clusters/prod';
import { admit, requestFor } from '../support/admission';

const ROLLOUT: PodTemplateKind = { apiVersion: 'argoproj.io/v1alpha1', kind: 'Rollout', plural: 'rollouts', templatePath: 'spec.template' };
const labels = { 'app.kubernetes.io/name': 'canary' };

/** A pod that passes every rule, or one that runs privileged. */
function pod(privileged: boolean): Record<string, unknown> {
  return {
    securityContext: { runAsNonRoot: true, runAsUser: 10001, seccompProfile: { type: 'RuntimeDefault' } },
    containers: [{
      name: 'app', image: 'registry.example.com/shop/canary:1.0.0',
      resources: { requests: { cpu: '100m', memory: '128Mi' }, limits: { cpu: '200m', memory: '128Mi' } },
      securityContext: { allowPrivilegeEscalation: false, capabilities: { drop: ['ALL'] }, ...(privileged ? { privileged: true } : {}) },
    }],
  };
}

const canary = (privileged: boolean): ServiceGroup => ({
  name: 'canary',
  namespace: 'shop',
  define: (scope) => {
    new ApiObject(scope, 'rollout', {
      apiVersion: 'argoproj.io/v1alpha1', kind: 'Rollout', metadata: { name: 'canary' },
      spec: { replicas: 1, selector: { matchLabels: labels }, template: { metadata: { labels }, spec: pod(privileged) } },
    });
  },
});

const withCanary = (privileged: boolean, podTemplateKinds?: readonly PodTemplateKind[]): ClusterDefinition =>
  ({ ...prod, services: [...prod.services, canary(privileged)], ...(podTemplateKinds === undefined ? {} : { podTemplateKinds }) });

const problemsOf = (def: ClusterDefinition): readonly string[] => renderApp(buildCluster(def, ['prod', 'stage', 'e2e']).app).problems;

describe('custom pod-template kinds declared in the cluster definition', () => {
  test('a declared kind in a team namespace is admitted when its template passes', () => {
    expect(problemsOf(withCanary(false, [ROLLOUT]))).toEqual([]);
  });

  test('a declared kind whose template breaks a rule is refused at its template path', () => {
    expect(problemsOf(withCanary(true, [ROLLOUT]))).toEqual([
      'prod/canary/rollout: Rollout shop/canary [privileged] spec.template.spec.containers[0].securityContext.privileged must not be true; remove privileged: true',
    ]);
  });

  test('undeclared, the kind is refused in the team namespace', () => {
    expect(problemsOf(withCanary(false))).toEqual([expect.stringContaining('prod/canary/rollout: Rollout shop/canary [tenant-kind] kind is not a kind a team namespace holds (got "argoproj.io/Rollout")')]);
  });

  test('a bad declaration is a problem of the cluster, named by its field', () => {
    const { problems } = buildClusterChecked({ ...prod, podTemplateKinds: [{ ...ROLLOUT, templatePath: 'spec/template' }] }, ['prod', 'stage', 'e2e']);
    expect(problems).toEqual(['prod: podTemplateKinds[0].templatePath is not a dotted path of field names (got "spec/template"); write where the pod template is, e.g. \'spec.template\'']);
  });
});

describe("the cluster's EndpointSlice policing", () => {
  const { app } = buildCluster(prod, ['prod', 'stage', 'e2e']);
  const policies = app.node.findAll().filter((c): c is TenantAdmission => c instanceof TenantAdmission).flatMap((a) => a.policies);
  const slice = app.node.findAll().find((c): c is ApiObject => ApiObject.isApiObject(c) && c.kind === 'EndpointSlice');
  const json = slice?.toJson() as { kind: string; metadata: { namespace: string }; endpoints: { addresses: string[] }[] };

  test("the orders database's slice, written by an ExternalService, is admitted by the cluster's own policy", () => {
    expect(json.metadata.namespace).toBe('shop');
    expect(json.endpoints).toEqual([{ addresses: ['10.10.200.10'], conditions: { ready: true } }]);
    expect(admit(policies, requestFor(json)).refusals).toEqual([]);
  });

  test("the cluster's pod, Service and node networks are refused, by the cluster's own policy", () => {
    // prod's pod network 100.96.0.0/11, Service network 100.64.0.0/13, and its first node subnet
    for (const address of ['100.96.0.9', '100.64.0.10', '10.10.0.9']) {
      const moved = { ...json, endpoints: [{ addresses: [address] }] };
      expect([address, admit(policies, requestFor(moved)).refusals]).toEqual([address, [expect.stringContaining('an EndpointSlice of team shop may point only into')]]);
    }
    const message = policies.find((p) => p.policy.metadata.name === 'platform-tenant-shop')?.policy.spec.validations.find((v) => v.message.includes('EndpointSlice of team shop may point'))?.message;
    expect(message).toContain('100.96.0.0/11 (the pod network), 100.64.0.0/13 (the Service network), 100.64.0.0/10 (the cluster-internal range), 10.10.0.0/');
  });
});
