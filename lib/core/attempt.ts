import type { IConstruct } from 'constructs';
import { PlatformError, formatProblem, pathOf } from './errors';

/** The error `constructs` raises for a second child of one id, as its source words it (constructs/src/construct.ts, addChild). */
const DUPLICATE_ID = /^There is already a Construct with name '([^']*)' in (\S+)(?: \[([^\]]*)\])?/;

/**
 * Runs one part of a build (a team, an addon, a service group) under `scope`, so that a mistake in
 * it does not stop the others: a PlatformError's problems are added to `problems`, and whatever
 * the part had added under `scope` is taken out again, so that no half-built object reaches the
 * whole-tree checks or the output. A second construct of one id is reported as a problem naming
 * both; any other error is a bug and goes on.
 */
export function attempt<T>(scope: IConstruct, problems: string[], part: () => T): T | undefined {
  const before = new Set(scope.node.children);
  try {
    return part();
  } catch (e) {
    const found = problemsOf(e, scope);
    if (found === undefined) throw e;
    problems.push(...found);
    for (const child of scope.node.children) if (!before.has(child)) scope.node.tryRemoveChild(child.node.id);
    return undefined;
  }
}

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
