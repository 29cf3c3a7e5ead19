// A small evaluator of IAM policies, enough to test the deployer's policies, its permissions
// boundary and the roles' trust policies against the requests kops and the stacks make. It follows
// AWS's documented evaluation logic (IAM User Guide):
// - reference_policies_evaluation-logic.html: an explicit Deny in any policy wins; else the request
//   is allowed only when every policy type that applies allows it — for an identity with a
//   permissions boundary, both the identity policy and the boundary (evaluateWithBoundary);
//   otherwise the implicit deny.
// - reference_policies_elements_action.html, _notaction.html, _resource.html, _notresource.html:
//   Action/NotAction and Resource/NotResource match with `*` and `?` (actions case-insensitively,
//   resources case-sensitively); Not* matches everything the list does not.
// - reference_policies_elements_principal.html: a statement with a Principal applies only to the
//   principals it names (`*` is everyone); a role's trust policy is such a resource policy.
// - reference_policies_elements_condition_operators.html and
//   reference_policies_condition-single-vs-multi-valued-context-keys.html, for the operators
//   modelled here: within a Condition every operator and every key must hold (AND); a key holds
//   when the request's value matches any of the listed values (OR). A key absent from the request
//   fails a positive operator (StringEquals, StringLike, Bool) and holds for a negated one
//   (StringNotEquals, StringNotLike); `...IfExists` holds when the key is absent. `Null: true`
//   holds when the key is absent, `Null: false` when present. For multivalued keys (aws:TagKeys,
//   the Route53 record names): `ForAnyValue:` holds when at least one request value matches (an
//   absent or empty key fails), `ForAllValues:` when every request value matches (an absent or
//   empty key holds — which is why a policy pairs it with a Null check). A single-valued
//   operator on a multivalued key is refused here: the policies must not rely on it.
// Any other operator throws, so a policy that starts using one fails its tests until it is modelled.
import type { PolicyDocument, PolicyStatement } from '../../../lib/aws/policies';

/** Who makes the request: only for resource policies (trust policies), whose statements name principals. */
export interface IamPrincipal {
  readonly AWS?: string;
  readonly Federated?: string;
  readonly Service?: string;
}

/** One request: the action, the resource ARN and the condition keys the request carries. */
export interface IamRequest {
  readonly action: string;
  readonly resource: string;
  readonly context?: Readonly<Record<string, string | readonly string[]>>;
  readonly principal?: IamPrincipal;
}

export type Decision = 'Allow' | 'ExplicitDeny' | 'ImplicitDeny';

function glob(pattern: string, value: string, ignoreCase: boolean): boolean {
  const re = new RegExp(`^${pattern.split('').map((c) => (c === '*' ? '.*' : c === '?' ? '.' : c.replace(/[.+^${}()|[\]\\/]/g, '\\$&'))).join('')}$`, ignoreCase ? 'i' : '');
  return re.test(value);
}

const list = (v: string | readonly string[] | undefined): readonly string[] => (v === undefined ? [] : typeof v === 'string' ? [v] : v);

type Matcher = (policyValue: string, requestValue: string) => boolean;
const MATCHERS: Readonly<Record<string, { match: Matcher; negated: boolean }>> = {
  StringEquals: { match: (p, r) => p === r, negated: false },
  StringNotEquals: { match: (p, r) => p === r, negated: true },
  StringLike: { match: (p, r) => glob(p, r, false), negated: false },
  StringNotLike: { match: (p, r) => glob(p, r, false), negated: true },
  Bool: { match: (p, r) => p === r, negated: false },
};

function keyHolds(operator: string, expected: readonly string[], actual: string | readonly string[] | undefined): boolean {
  if (operator === 'Null') {
    if (expected.length !== 1 || (expected[0] !== 'true' && expected[0] !== 'false')) throw new Error(`Null takes true or false, got ${expected.join(',')}`);
    return (actual === undefined) === (expected[0] === 'true');
  }
  const [qualifier, rest] = operator.includes(':') ? operator.split(':', 2) as [string, string] : [undefined, operator];
  const ifExists = rest.endsWith('IfExists');
  const base = ifExists ? rest.slice(0, -'IfExists'.length) : rest;
  const m = MATCHERS[base];
  if (m === undefined || (qualifier !== undefined && qualifier !== 'ForAnyValue' && qualifier !== 'ForAllValues')) throw new Error(`condition operator ${operator} is not modelled`);
  // one request value against the policy's values: positive = matches any; negated = matches none
  const one = (r: string): boolean => (m.negated ? !expected.some((p) => m.match(p, r)) : expected.some((p) => m.match(p, r)));
  if (qualifier === 'ForAnyValue') return actual !== undefined && list(actual).some(one);
  if (qualifier === 'ForAllValues') return actual === undefined || list(actual).every(one);
  if (actual === undefined) return ifExists || m.negated;
  if (typeof actual !== 'string') throw new Error(`${operator} on a multivalued key: use ForAnyValue or ForAllValues`);
  return one(actual);
}

function conditionHolds(condition: PolicyStatement['Condition'], context: Readonly<Record<string, string | readonly string[]>>): boolean {
  return Object.entries(condition ?? {}).every(([operator, keys]) => Object.entries(keys).every(([key, expected]) =>
    keyHolds(operator, typeof expected === 'boolean' ? [String(expected)] : list(expected), context[key])));
}

function principalMatches(s: PolicyStatement, principal: IamPrincipal | undefined): boolean {
  if (s.Principal === undefined) return true;
  if (principal === undefined) return false;
  if (s.Principal === '*') return true;
  return Object.entries(s.Principal).some(([type, ids]) => {
    const who = principal[type as keyof IamPrincipal];
    return who !== undefined && list(ids).some((id) => id === '*' || id === who);
  });
}

function applies(s: PolicyStatement, req: IamRequest): boolean {
  const actionMatches = s.Action !== undefined
    ? list(s.Action).some((a) => glob(a, req.action, true))
    : !list(s.NotAction).some((a) => glob(a, req.action, true));
  if (!actionMatches || !principalMatches(s, req.principal)) return false;
  const resourceMatches = s.NotResource !== undefined
    ? !list(s.NotResource).some((r) => glob(r, req.resource, false))
    : list(s.Resource ?? '*').some((r) => glob(r, req.resource, false));
  if (!resourceMatches) return false;
  return conditionHolds(s.Condition, req.context ?? {});
}

/** The decision of one policy `doc` on `req`. */
export function evaluate(doc: PolicyDocument, req: IamRequest): Decision {
  const matching = doc.Statement.filter((s) => applies(s, req));
  if (matching.some((s) => s.Effect === 'Deny')) return 'ExplicitDeny';
  return matching.some((s) => s.Effect === 'Allow') ? 'Allow' : 'ImplicitDeny';
}

/** The decision for an identity whose policy is `identity` and whose permissions boundary is `boundary`: both must allow, a Deny in either wins. */
export function evaluateWithBoundary(identity: PolicyDocument, boundary: PolicyDocument, req: IamRequest): Decision {
  const decisions = [evaluate(identity, req), evaluate(boundary, req)];
  if (decisions.includes('ExplicitDeny')) return 'ExplicitDeny';
  return decisions.every((d) => d === 'Allow') ? 'Allow' : 'ImplicitDeny';
}
