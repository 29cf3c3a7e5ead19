import type { IConstruct } from 'constructs';

/** What went wrong, where, and how to fix it. */
export interface ProblemDetail {
  /** The construct path (`prod/orders/api`) or the value type (`Quantity`) that refused the input. */
  readonly path: string;
  /** The field that holds the bad value (`resources.limits.memory`). */
  readonly field: string;
  /** The rule that was broken, phrased to follow the field (`must be >= 1`). */
  readonly rule: string;
  /** The bad value; omitted from the message when undefined. */
  readonly value?: unknown;
  /** What to do instead. */
  readonly fix: string;
}

/** Renders a problem as one line: `path: field rule (got value); fix`. */
export function formatProblem(detail: ProblemDetail): string {
  const got = detail.value === undefined ? '' : ` (got ${formatValue(detail.value)})`;
  return `${detail.path}: ${detail.field} ${detail.rule}${got}; ${detail.fix}`;
}

function formatValue(value: unknown): string {
  if (typeof value === 'string') return JSON.stringify(value);
  if (typeof value === 'object' && value !== null && !Array.isArray(value) && value.toString !== Object.prototype.toString) {
    return JSON.stringify(String(value));
  }
  return JSON.stringify(value) ?? String(value);
}

/** The construct path as users read it in errors (`prod/orders/api`). */
export function pathOf(scope: IConstruct): string {
  return scope.node.path === '' ? '<root>' : scope.node.path;
}

/**
 * The one error type of the library. It always carries the construct path (or the value type)
 * and every problem found; a single problem reads `path: field rule (got value); fix`.
 */
export class PlatformError extends Error {
  /** Builds the error for one bad field of a construct. */
  public static at(scope: IConstruct, detail: Omit<ProblemDetail, 'path'>): PlatformError {
    return new PlatformError([formatProblem({ ...detail, path: pathOf(scope) })]);
  }

  /** Builds the error for one bad value outside any construct (a value type's factory). */
  public static of(detail: ProblemDetail): PlatformError {
    return new PlatformError([formatProblem(detail)]);
  }

  /** Every problem, one line each. */
  public readonly problems: readonly string[];

  public constructor(problems: readonly string[]) {
    super(problems.length === 1 ? (problems[0] ?? '') : `${problems.length} problems:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'PlatformError';
    this.problems = problems;
  }

  /** The same error with its problems re-rooted under a construct path. */
  public withPath(scope: IConstruct, field: string): PlatformError {
    return new PlatformError(this.problems.map((p) => `${pathOf(scope)}: ${field}: ${p}`));
  }
}

/**
 * Runs a value type's factory on user input and re-throws its error under the construct path and
 * field, so every message names where the bad value was written.
 */
export function parseAt<T>(scope: IConstruct, field: string, parse: () => T): T {
  try {
    return parse();
  } catch (e) {
    if (e instanceof PlatformError) throw e.withPath(scope, field);
    throw e;
  }
}
