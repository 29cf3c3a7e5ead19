// A small evaluator of IAM identity policies, enough to test the deployer's policy against the
// requests kops makes. It follows AWS's documented evaluation logic for one identity policy
// (docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_evaluation-logic.html): an explicit
// Deny wins, else any Allow, else the implicit deny; Action/NotAction and Resource match with `*`
// and `?` (actions case-insensitively); within a Condition every operator and key must hold, and
// a key holds when the request's value matches any listed value; a key absent from the request
// fails, except under `...IfExists`.
import type { PolicyDocument, PolicyStatement } from '../../../lib/aws/policies';

/** One request: the action, the resource ARN and the condition keys the request carries. */
export interface IamRequest {
  readonly action: string;
  readonly resource: string;
  readonly context?: Readonly<Record<string, string>>;
}

export type Decision = 'Allow' | 'ExplicitDeny' | 'ImplicitDeny';

function glob(pattern: string, value: string, ignoreCase: boolean): boolean {
  const re = new RegExp(`^${pattern.split('').map((c) => (c === '*' ? '.*' : c === '?' ? '.' : c.replace(/[.+^${}()|[\]\\/]/g, '\\$&'))).join('')}$`, ignoreCase ? 'i' : '');
  return re.test(value);
}

const list = (v: string | readonly string[] | undefined): readonly string[] => (v === undefined ? [] : typeof v === 'string' ? [v] : v);

function conditionHolds(condition: PolicyStatement['Condition'], context: Readonly<Record<string, string>>): boolean {
  for (const [operator, keys] of Object.entries(condition ?? {})) {
    const ifExists = operator.endsWith('IfExists');
    const base = ifExists ? operator.slice(0, -'IfExists'.length) : operator;
    for (const [key, expected] of Object.entries(keys)) {
      const actual = context[key];
      if (actual === undefined) {
        if (ifExists) continue;
        return false;
      }
      const values = typeof expected === 'boolean' ? [String(expected)] : list(expected);
      const match = (v: string): boolean => {
        switch (base) {
          case 'StringEquals': return v === actual;
          case 'StringLike': return glob(v, actual, false);
          case 'Bool': return v === actual;
          default: throw new Error(`condition operator ${operator} is not modelled`);
        }
      };
      if (!values.some(match)) return false;
    }
  }
  return true;
}

function applies(s: PolicyStatement, req: IamRequest): boolean {
  const actionMatches = s.Action !== undefined
    ? list(s.Action).some((a) => glob(a, req.action, true))
    : !list(s.NotAction).some((a) => glob(a, req.action, true));
  if (!actionMatches) return false;
  if (!list(s.Resource ?? '*').some((r) => glob(r, req.resource, false))) return false;
  return conditionHolds(s.Condition, req.context ?? {});
}

/** The decision of `doc` on `req`. */
export function evaluate(doc: PolicyDocument, req: IamRequest): Decision {
  const matching = doc.Statement.filter((s) => applies(s, req));
  if (matching.some((s) => s.Effect === 'Deny')) return 'ExplicitDeny';
  return matching.some((s) => s.Effect === 'Allow') ? 'Allow' : 'ImplicitDeny';
}
