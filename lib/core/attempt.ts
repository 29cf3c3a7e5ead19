import type { IConstruct } from 'constructs';
import { PlatformError, formatProblem, pathOf } from './errors';

/** The error `constructs` raises for a second child of one id, as its source words it (constructs/src/construct.ts, addChild). */
const DUPLICATE_ID = /^There is already a Construct with name '([^']*)' in (\S+)(?: \[([^\]]*)\])?/;

/** The problems recorded during each running {@link attempt}, by the scope it runs under. */
const collectors = new WeakMap<IConstruct, string[]>();

/**
 * Records problems found while constructing under `scope` with the nearest {@link attempt} running
 * above it, so that construction goes on and the next construct is checked too; returns false when
 * no attempt is running there (the caller throws them instead).
 */
export function recordProblems(scope: IConstruct, problems: readonly string[]): boolean {
  const scopes = scope.node.scopes;
  for (let i = scopes.length - 1; i >= 0; i--) {
    const collector = collectors.get(scopes[i] as IConstruct);
    if (collector !== undefined) {
      collector.push(...problems);
      return true;
    }
  }
  return false;
}

/**
 * Runs one part of a build (a team, an addon, a service group) under `scope`, so that a mistake in
 * it does not stop the others: a PlatformError's problems are added to `problems`, and whatever
 * the part had added under `scope` is taken out again, so that no half-built object reaches the
 * whole-tree checks or the output. A construct whose props are wrong records its problems
 * ({@link recordProblems}) and the part goes on with the construct's defaults for the bad fields,
 * so that one run lists every construct's problems; the part fails at its end. An error thrown
 * after such a record is taken for its consequence (a constructor going on without a required
 * value): what it says of a construct already reported is not repeated, and it stops the part. A second construct
 * of one id is reported as a problem naming both; any other error is a bug and goes on.
 */
export function attempt<T>(scope: IConstruct, problems: string[], part: () => T): T | undefined {
  const before = new Set(scope.node.children);
  const outer = collectors.get(scope);
  const recorded: string[] = [];
  collectors.set(scope, recorded);
  let result: T | undefined;
  try {
    result = part();
  } catch (e) {
    const found = problemsOf(e, scope);
    if (found === undefined && recorded.length === 0) throw e;
    // A construct that went on without its bad fields may refuse what is left: that repeats its recorded problem.
    const at = new Set(recorded.map(pathPart));
    recorded.push(...(found ?? []).filter((p) => !at.has(pathPart(p))));
  } finally {
    if (outer === undefined) collectors.delete(scope);
    else collectors.set(scope, outer);
  }
  if (recorded.length === 0) return result;
  problems.push(...recorded);
  for (const child of scope.node.children) if (!before.has(child)) scope.node.tryRemoveChild(child.node.id);
  return undefined;
}

/** The construct path a problem line starts with (`prod/orders/api: ...`). */
const pathPart = (problem: string) => problem.slice(0, Math.max(0, problem.indexOf(': ')));

/** The problems an error stands for, or undefined when it is not a user's mistake. */
export function problemsOf(e: unknown, scope?: IConstruct): readonly string[] | undefined {
  if (e instanceof PlatformError) return e.problems;
  if (!(e instanceof Error)) return undefined;
  const m = DUPLICATE_ID.exec(e.message);
  if (m === null) return undefined;
  const [, id = '', type = '', parentId] = m;
  const first = scope?.node.findAll().find((c) => c.node.id === id && (parentId === undefined || c.node.scope?.node.id === parentId));
  const parent = first?.node.scope;
  return [formatProblem({
    path: parent === undefined ? `${type}${parentId === undefined ? '' : ` ${parentId}`}` : pathOf(parent), field: 'id', value: id,
    rule: `is given to two constructs in one scope (the first is ${first === undefined ? 'already there' : `${pathOf(first)}, a ${first.constructor.name}`})`,
    fix: 'give each construct of a group its own id: ids name the objects they create',
  })];
}
