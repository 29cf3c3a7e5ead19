// Evaluates ValidatingAdmissionPolicies the way kube-apiserver does, with a conformance-tested
// CEL evaluator (@bufbuild/cel). What is emulated, from k8s.io/apiserver
// pkg/admission/plugin/policy/validating (dispatcher.go, validator.go) and
// pkg/admission/plugin/policy/matching/matching.go:
// - a binding applies when its namespaceSelector matches the request's namespace (by the
//   `kubernetes.io/metadata.name` label every Namespace carries; only `In` is used here);
// - a policy applies when one of its resourceRules matches the request's group, resource and
//   operation, and every matchCondition is true;
// - every validation must be true; one that errors is a refusal under failurePolicy: Fail.
// The CEL variables are `object`, `oldObject` (null when absent) and `request`. Kubernetes types
// integers as CEL `int`, so whole JSON numbers are handed to the evaluator as bigint. The CIDR
// functions of Kubernetes' CEL library the policies use are in ./k8s-cel-cidr.ts.
import { isCelError, run } from '@bufbuild/cel';
import type { BoundPolicy } from '../../lib/tenancy/admission-policies';
import { K8S_CIDR_FUNCTIONS } from './k8s-cel-cidr';

export interface AdmissionRequest {
  readonly operation: 'CREATE' | 'UPDATE' | 'DELETE';
  readonly resource: { readonly group: string; readonly version: string; readonly resource: string };
  readonly namespace: string;
  readonly userInfo: { readonly username: string; readonly groups?: readonly string[] };
  readonly object?: unknown;
  readonly oldObject?: unknown;
}

export interface AdmissionResult {
  readonly allowed: boolean;
  /** `policy: message` of each refusing validation. */
  readonly refusals: readonly string[];
}

/** JSON as Kubernetes hands it to CEL: whole numbers are ints. */
function celValue(v: unknown): unknown {
  if (typeof v === 'number' && Number.isInteger(v)) return BigInt(v);
  if (Array.isArray(v)) return v.map(celValue);
  if (v !== null && typeof v === 'object') return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, celValue(x)]));
  return v;
}

/** The result of one expression: true, false, or the evaluation error's text. */
export function evaluate(expression: string, vars: Record<string, unknown>): boolean | string {
  const result = run(expression, celValue(vars) as Parameters<typeof run>[1], { funcs: K8S_CIDR_FUNCTIONS });
  if (isCelError(result)) return `error: ${result.message}`;
  if (typeof result !== 'boolean') return `error: not a bool (${String(result)})`;
  return result;
}

function bindingMatches(p: BoundPolicy, namespace: string): boolean {
  const selector = p.binding.spec.matchResources.namespaceSelector as BoundPolicy['binding']['spec']['matchResources']['namespaceSelector'] | undefined;
  if (selector === undefined) return true;
  return selector.matchExpressions.every((e) => e.operator === 'In' && e.values.includes(namespace));
}

function ruleMatches(p: BoundPolicy, req: AdmissionRequest): boolean {
  return p.policy.spec.matchConstraints.resourceRules.some((r) =>
    (r.apiGroups.includes('*') || r.apiGroups.includes(req.resource.group))
    && (r.apiVersions.includes('*') || r.apiVersions.includes(req.resource.version))
    && (r.resources.includes('*') || r.resources.includes(req.resource.resource))
    && r.operations.includes(req.operation));
}

/** What the API server answers to `req` under `policies`. */
export function admit(policies: readonly BoundPolicy[], req: AdmissionRequest): AdmissionResult {
  const vars = {
    object: req.object ?? null,
    oldObject: req.oldObject ?? null,
    request: { operation: req.operation, resource: req.resource, namespace: req.namespace, userInfo: req.userInfo },
  };
  const refusals: string[] = [];
  for (const p of policies) {
    if (!bindingMatches(p, req.namespace) || !ruleMatches(p, req)) continue;
    const conditions = p.policy.spec.matchConditions.map((c) => evaluate(c.expression, vars));
    const failed = conditions.find((c) => typeof c === 'string');
    if (failed !== undefined) {
      refusals.push(`${p.policy.metadata.name}: matchCondition ${String(failed)}`);
      continue;
    }
    if (conditions.some((c) => c === false)) continue;
    for (const v of p.policy.spec.validations) {
      const r = evaluate(v.expression, vars);
      if (r !== true) refusals.push(`${p.policy.metadata.name}: ${v.message}${r === false ? '' : ` (${r})`}`);
    }
  }
  return { allowed: refusals.length === 0, refusals };
}

const RESOURCES: Record<string, { group: string; resource: string }> = {
  Service: { group: '', resource: 'services' },
  ResourceQuota: { group: '', resource: 'resourcequotas' },
  LimitRange: { group: '', resource: 'limitranges' },
  ConfigMap: { group: '', resource: 'configmaps' },
  ServiceAccount: { group: '', resource: 'serviceaccounts' },
  NetworkPolicy: { group: 'networking.k8s.io', resource: 'networkpolicies' },
  Ingress: { group: 'networking.k8s.io', resource: 'ingresses' },
  Role: { group: 'rbac.authorization.k8s.io', resource: 'roles' },
  RoleBinding: { group: 'rbac.authorization.k8s.io', resource: 'rolebindings' },
  HTTPRoute: { group: 'gateway.networking.k8s.io', resource: 'httproutes' },
  ListenerSet: { group: 'gateway.networking.k8s.io', resource: 'listenersets' },
  Gateway: { group: 'gateway.networking.k8s.io', resource: 'gateways' },
  ReferenceGrant: { group: 'gateway.networking.k8s.io', resource: 'referencegrants' },
  Backend: { group: 'gateway.envoyproxy.io', resource: 'backends' },
  EnvoyPatchPolicy: { group: 'gateway.envoyproxy.io', resource: 'envoypatchpolicies' },
  EnvoyExtensionPolicy: { group: 'gateway.envoyproxy.io', resource: 'envoyextensionpolicies' },
  BackendTrafficPolicy: { group: 'gateway.envoyproxy.io', resource: 'backendtrafficpolicies' },
  SecretStore: { group: 'external-secrets.io', resource: 'secretstores' },
  Certificate: { group: 'cert-manager.io', resource: 'certificates' },
  Deployment: { group: 'apps', resource: 'deployments' },
  StatefulSet: { group: 'apps', resource: 'statefulsets' },
  CronJob: { group: 'batch', resource: 'cronjobs' },
  Job: { group: 'batch', resource: 'jobs' },
  PodDisruptionBudget: { group: 'policy', resource: 'poddisruptionbudgets' },
  HorizontalPodAutoscaler: { group: 'autoscaling', resource: 'horizontalpodautoscalers' },
  EndpointSlice: { group: 'discovery.k8s.io', resource: 'endpointslices' },
  PersistentVolumeClaim: { group: '', resource: 'persistentvolumeclaims' },
  Secret: { group: '', resource: 'secrets' },
  ExternalSecret: { group: 'external-secrets.io', resource: 'externalsecrets' },
};

/** A team CI's identity, as the API server names an OIDC group member. */
export const TENANT_CI = { username: 'oidc:shop-ci-runner', groups: ['oidc:shop-ci', 'system:authenticated'] };

/** The request that writes `obj` (by its kind and namespace) as `userInfo`. */
export function requestFor(obj: { kind: string; metadata: { namespace?: string } }, options: { operation?: AdmissionRequest['operation']; userInfo?: AdmissionRequest['userInfo']; namespace?: string } = {}): AdmissionRequest {
  const r = RESOURCES[obj.kind];
  if (r === undefined) throw new Error(`no resource known for kind ${obj.kind}`);
  const operation = options.operation ?? 'CREATE';
  return {
    operation,
    resource: { ...r, version: 'v1' },
    namespace: options.namespace ?? obj.metadata.namespace ?? '',
    userInfo: options.userInfo ?? TENANT_CI,
    ...(operation === 'DELETE' ? { oldObject: obj } : { object: obj }),
  };
}
