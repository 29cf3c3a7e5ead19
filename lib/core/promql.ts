import { parser } from '@prometheus-io/lezer-promql';

/**
 * Where a PromQL expression fails to parse with the Prometheus project's own grammar
 * (`@prometheus-io/lezer-promql`): the offset of the first error, or undefined when it parses.
 * An empty expression fails at 0.
 */
export function promqlErrorAt(expr: string): number | undefined {
  if (expr.trim() === '') return 0;
  let at: number | undefined;
  parser.parse(expr).iterate({
    enter: (node) => {
      if (at !== undefined) return false;
      if (node.type.isError) at = node.from;
      return undefined;
    },
  });
  return at;
}

/** Where an error offset of {@link promqlErrorAt} is, in words: `at the end` or `at character 12`. */
export function promqlErrorPlace(expr: string, at: number): string {
  return at >= expr.length ? 'at the end' : `at character ${at + 1}`;
}
