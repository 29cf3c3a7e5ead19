import { parser } from '@prometheus-io/lezer-promql';
import type { IConstruct } from 'constructs';
import { PlatformError } from '../../core';

/** Where a PromQL expression fails to parse: the offset of the first error, or undefined when it parses. */
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

/**
 * Checks that `expr` parses as PromQL with the Prometheus project's own grammar
 * (`@prometheus-io/lezer-promql`) and returns it; a syntax error fails at construction.
 */
export function checkPromQL(scope: IConstruct, field: string, expr: string): string {
  const at = promqlErrorAt(expr);
  if (at !== undefined) {
    throw PlatformError.at(scope, {
      field, value: expr, rule: `is not valid PromQL (error ${at >= expr.length ? 'at the end' : `at character ${at + 1}`})`,
      fix: 'fix the expression so it parses as PromQL (try it in the Prometheus UI or with promtool)',
    });
  }
  return expr;
}
