import { formatProblem } from './errors';

/** One entry of a list that must not repeat: the key that must be unique and where it was written. */
export interface Keyed {
  readonly key: string;
  /** Where the entry is written, as a reader finds it (`cluster prod`, `services[1]`). */
  readonly where: string;
}

/**
 * One line per repeated key, naming both places: `path: what "x" is given twice (at A and at B); fix`.
 * The first place is the one kept; the line is reported once, however often the key repeats.
 */
export function duplicates(path: string, what: string, entries: readonly Keyed[], fix: string): string[] {
  const first = new Map<string, string>();
  const problems: string[] = [];
  const reported = new Set<string>();
  for (const { key, where } of entries) {
    const seen = first.get(key);
    if (seen === undefined) {
      first.set(key, where);
    } else if (!reported.has(key)) {
      reported.add(key);
      problems.push(formatProblem({ path, field: what, value: key, rule: `is given twice (at ${seen} and at ${where})`, fix }));
    }
  }
  return problems;
}

/** The keys among `entries` that repeat an earlier one: the entries to leave out once the duplicate is reported. */
export function repeatedIndexes(entries: readonly Keyed[]): Set<number> {
  const seen = new Set<string>();
  const repeated = new Set<number>();
  entries.forEach(({ key }, i) => {
    if (seen.has(key)) repeated.add(i);
    seen.add(key);
  });
  return repeated;
}
