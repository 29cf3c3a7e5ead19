/**
 * One leaf that differs between two versions of an object. `before` is absent for an added
 * field, `after` for a removed one; both are scalars, empty objects or empty arrays, since an
 * added or removed subtree is spelled out leaf by leaf.
 */
export interface FieldChange {
  /** The field's path as a reader writes it: `spec.template.spec.containers[name=api].image`. */
  readonly path: string;
  readonly before?: unknown;
  readonly after?: unknown;
}

type Json = unknown;

function isObject(v: Json): v is Record<string, Json> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

const PLAIN_KEY = /^[A-Za-z_][A-Za-z0-9_-]*$/;

/** `spec`, `["app.kubernetes.io/name"]`: a key joined to its parent's path. */
function keyStep(parent: string, key: string): string {
  if (PLAIN_KEY.test(key)) return parent === '' ? key : `${parent}.${key}`;
  return `${parent}[${JSON.stringify(key)}]`;
}

/** An array whose items are objects with distinct string names is matched by name, not position. */
function namesOf(items: readonly Json[]): string[] | undefined {
  const names = items.map((i) => (isObject(i) && typeof i.name === 'string' ? i.name : undefined));
  if (names.some((n) => n === undefined)) return undefined;
  const defined = names as string[];
  return new Set(defined).size === defined.length ? defined : undefined;
}

function byCodePoint(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** Every leaf of a value, with its path; an empty object or array is a leaf of its own. */
export function leaves(value: Json, path: string): { path: string; value: Json }[] {
  if (isObject(value)) {
    const keys = Object.keys(value).sort(byCodePoint);
    return keys.length === 0 ? [{ path, value }] : keys.flatMap((k) => leaves(value[k], keyStep(path, k)));
  }
  if (Array.isArray(value)) {
    if (value.length === 0) return [{ path, value }];
    const names = namesOf(value);
    return value.flatMap((item, i) => leaves(item, names === undefined ? `${path}[${i}]` : `${path}[name=${names[i]}]`));
  }
  return [{ path, value }];
}

function equal(a: Json, b: Json): boolean {
  if (a === b) return true;
  if (Array.isArray(a) && Array.isArray(b)) return a.length === b.length && a.every((x, i) => equal(x, b[i]));
  if (isObject(a) && isObject(b)) {
    const ka = Object.keys(a);
    return ka.length === Object.keys(b).length && ka.every((k) => k in b && equal(a[k], b[k]));
  }
  return false;
}

/**
 * The leaves that differ between two JSON values, in a stable order (keys in code-point order,
 * items by name or position). Objects are compared key by key; arrays of named items by name
 * (a container, an env var, a port), other arrays by position.
 */
export function fieldChanges(before: Json, after: Json, path = ''): FieldChange[] {
  if (equal(before, after)) return [];
  if (isObject(before) && isObject(after) && Object.keys(before).length > 0 && Object.keys(after).length > 0) {
    const keys = [...new Set([...Object.keys(before), ...Object.keys(after)])].sort(byCodePoint);
    return keys.flatMap((k) => {
      const p = keyStep(path, k);
      if (!(k in after)) return removed(before[k], p);
      if (!(k in before)) return added(after[k], p);
      return fieldChanges(before[k], after[k], p);
    });
  }
  if (Array.isArray(before) && Array.isArray(after) && before.length > 0 && after.length > 0) {
    const nb = namesOf(before);
    const na = namesOf(after);
    if (nb !== undefined && na !== undefined) {
      // Named items: those of before in their order, then the new ones in theirs.
      const order = [...nb, ...na.filter((n) => !nb.includes(n))];
      return order.flatMap((n) => {
        const p = `${path}[name=${n}]`;
        const ib = nb.indexOf(n);
        const ia = na.indexOf(n);
        // The item's name is in its path: its other fields are what was added or removed.
        if (ia < 0) return removed(withoutName(before[ib]), p);
        if (ib < 0) return added(withoutName(after[ia]), p);
        return fieldChanges(before[ib], after[ia], p);
      });
    }
    const n = Math.max(before.length, after.length);
    return Array.from({ length: n }, (_, i) => {
      const p = `${path}[${i}]`;
      if (i >= after.length) return removed(before[i], p);
      if (i >= before.length) return added(after[i], p);
      return fieldChanges(before[i], after[i], p);
    }).flat();
  }
  if (!isObject(before) && !Array.isArray(before) && !isObject(after) && !Array.isArray(after)) return [{ path, before, after }];
  // A value that changed shape (a scalar became an object, an object emptied): the old leaves go, the new ones come.
  return [...removed(before, path), ...added(after, path)];
}

function withoutName(item: Json): Json {
  if (!isObject(item)) return item;
  const { name: _name, ...rest } = item;
  return rest;
}

function added(value: Json, path: string): FieldChange[] {
  return leaves(value, path).map((l) => ({ path: l.path, after: l.value }));
}

function removed(value: Json, path: string): FieldChange[] {
  return leaves(value, path).map((l) => ({ path: l.path, before: l.value }));
}
