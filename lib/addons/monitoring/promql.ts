import { parser } from '@prometheus-io/lezer-promql';
import type { IConstruct } from 'constructs';
import { PlatformError, promqlErrorAt, promqlErrorPlace } from '../../core';

/**
 * Checks that `expr` parses as PromQL with the Prometheus project's own grammar
 * (`@prometheus-io/lezer-promql`) and returns it; a syntax error fails at construction.
 */
export function checkPromQL(scope: IConstruct, field: string, expr: string): string {
  const at = promqlErrorAt(expr);
  if (at !== undefined) {
    throw PlatformError.at(scope, {
      field, value: expr, rule: `is not valid PromQL (error ${promqlErrorPlace(expr, at)})`,
      fix: 'fix the expression so it parses as PromQL (try it in the Prometheus UI or with promtool)',
    });
  }
  return expr;
}

/** One vector selector of an expression: its metric name and label matchers. */
export interface VectorSelectorRef {
  readonly metric: string | undefined;
  readonly matchers: readonly { readonly label: string; readonly op: string; readonly value: string }[];
}

/** Every vector selector of a PromQL expression (parsed with the Prometheus project's grammar). */
export function vectorSelectors(expr: string): VectorSelectorRef[] {
  const found: VectorSelectorRef[] = [];
  const tree = parser.parse(expr);
  tree.iterate({
    enter: (node) => {
      if (node.type.name !== 'VectorSelector') return undefined;
      let metric: string | undefined;
      const matchers: { label: string; op: string; value: string }[] = [];
      const cursor = node.node.cursor();
      cursor.iterate((n) => {
        const text = expr.slice(n.from, n.to);
        if (n.type.name === 'Identifier' && metric === undefined) metric = text;
        if (n.type.name === 'UnquotedLabelMatcher') {
          const m = /^([a-zA-Z_][a-zA-Z0-9_]*)\s*(=~|!~|!=|=)\s*(["'`])(.*)\3$/s.exec(text);
          if (m !== null) matchers.push({ label: m[1] ?? '', op: m[2] ?? '', value: (m[4] ?? '').replace(/\\\\/g, '\\') });
        }
      });
      found.push({ metric, matchers });
      return false;
    },
  });
  return found;
}
