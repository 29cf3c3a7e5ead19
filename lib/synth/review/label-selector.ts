// Kubernetes label selectors, as the API server reads them. The rules follow upstream
// k8s.io/apimachinery pkg/labels/selector.go (Requirement.Matches) and
// pkg/apis/meta/v1/helpers.go (LabelSelectorAsSelector): matchLabels and matchExpressions are
// ANDed; an empty selector matches everything; `In` needs the key with one of the values,
// `NotIn` matches when the key is absent or has none of them, `Exists`/`DoesNotExist` test the key.

/** The parts of a `metav1.LabelSelector` (and a Service's plain selector map) the graph reads. */
export interface LabelSelector {
  readonly matchLabels?: Readonly<Record<string, string>>;
  readonly matchExpressions?: readonly { readonly key: string; readonly operator: string; readonly values?: readonly string[] }[];
}

type Labels = Readonly<Record<string, string>>;

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** A selector read from a manifest field; anything that is not one reads as undefined. */
export function selectorOf(v: unknown): LabelSelector | undefined {
  if (!isRecord(v)) return undefined;
  const labels = isRecord(v.matchLabels) ? Object.fromEntries(Object.entries(v.matchLabels).filter((e): e is [string, string] => typeof e[1] === 'string')) : undefined;
  const expressions = Array.isArray(v.matchExpressions)
    ? v.matchExpressions.filter(isRecord).map((e) => ({
      key: String(e.key),
      operator: String(e.operator),
      values: Array.isArray(e.values) ? e.values.map(String) : [],
    }))
    : undefined;
  return { ...(labels === undefined ? {} : { matchLabels: labels }), ...(expressions === undefined ? {} : { matchExpressions: expressions }) };
}

/** Whether a selector selects everything (`{}`). */
export function isEmptySelector(s: LabelSelector): boolean {
  return Object.keys(s.matchLabels ?? {}).length === 0 && (s.matchExpressions ?? []).length === 0;
}

/** Whether `labels` satisfy the selector. An operator Kubernetes does not know matches nothing (the API server refuses it). */
export function matches(s: LabelSelector, labels: Labels): boolean {
  for (const [k, v] of Object.entries(s.matchLabels ?? {})) if (labels[k] !== v) return false;
  for (const e of s.matchExpressions ?? []) {
    const has = Object.prototype.hasOwnProperty.call(labels, e.key);
    const value = labels[e.key];
    const values = e.values ?? [];
    const ok = e.operator === 'In' ? has && value !== undefined && values.includes(value)
      : e.operator === 'NotIn' ? !has || value === undefined || !values.includes(value)
        : e.operator === 'Exists' ? has
          : e.operator === 'DoesNotExist' ? !has
            : false;
    if (!ok) return false;
  }
  return true;
}

/** The selector as `kubectl` prints one: `app=web, tier in (a,b), !legacy`, in a stable order. */
export function selectorText(s: LabelSelector): string {
  const parts = [
    ...Object.entries(s.matchLabels ?? {}).map(([k, v]) => `${k}=${v}`),
    ...(s.matchExpressions ?? []).map((e) => {
      const values = [...(e.values ?? [])].sort();
      if (e.operator === 'In') return `${e.key} in (${values.join(',')})`;
      if (e.operator === 'NotIn') return `${e.key} notin (${values.join(',')})`;
      if (e.operator === 'Exists') return e.key;
      if (e.operator === 'DoesNotExist') return `!${e.key}`;
      return `${e.key} ${e.operator} (${values.join(',')})`;
    }),
  ].sort();
  return parts.length === 0 ? 'all' : parts.join(', ');
}
