import type { IConstruct } from 'constructs';
import { recordProblems } from './attempt';
import { PlatformError, formatProblem, pathOf } from './errors';
import { CLASSES, DEFS as LIB_DEFS } from './generated/props-schema';
import type { Shape } from './props-shape';

/**
 * Runtime checks of public inputs against the shapes scripts/props-schema.ts records from the
 * TypeScript types (lib/core/generated/props-schema.ts). They catch, for callers that `tsc` never
 * checked (`tsx` runs, plain JavaScript), what the compiler would have refused: a key no type
 * declares (with the closest declared one), a missing required field, a wrong primitive, a value
 * outside a string-literal union, a plain value where a value type (`Duration`, `Probe`) is
 * expected. Every problem of one value is reported at once.
 */

let enabled = true;

/** The named shapes values are checked against: the library's, and those another entry point adds ({@link addShapes}). */
const DEFS: Record<string, Shape> = { ...LIB_DEFS };

/** Adds the named shapes of another entry point's schema (`platform-constructs/aws`'s args) to those values are checked against. */
export function addShapes(defs: Readonly<Record<string, Shape>>): void {
  Object.assign(DEFS, defs);
}

/** Runs `fn` with the checks off. Only for `npm run bench`, which measures what the checks cost. */
export function withoutPropsChecks<T>(fn: () => T): T {
  const before = enabled;
  enabled = false;
  try {
    return fn();
  } finally {
    enabled = before;
  }
}

let timed: { ms: number } | undefined;
/** Whether a timed check is running (a check inside it is not counted again). */
let timing = false;

/** Runs `fn` and returns the time spent in the props checks during it. Only for `npm run bench`. */
export function timePropsChecks(fn: () => void): number {
  const before = timed;
  timed = { ms: 0 };
  try {
    fn();
    return timed.ms;
  } finally {
    timed = before;
  }
}

/** The problems of `value` against the named type, each a line `path: field rule (got value); fix`. */
export function propsProblems(typeName: string, value: unknown, path: string, field = ''): string[] {
  if (!enabled) return [];
  return timedCheck(() => problemsOf(typeName, value, path, field));
}

/** `fn`'s result, its time added to the bench's count when the bench counts (nested checks count once). */
function timedCheck<T>(fn: () => T): T {
  if (timed === undefined || timing) return fn();
  timing = true;
  const start = performance.now();
  try {
    return fn();
  } finally {
    timed.ms += performance.now() - start;
    timing = false;
  }
}

function problemsOf(typeName: string, value: unknown, path: string, field: string): string[] {
  // Most props are right: a check that builds no message decides that, and only a failing value is walked for its messages.
  if (passes({ t: typeName }, value)) return [];
  const problems: string[] = [];
  walk({ t: typeName }, value, field, path, problems, typeName);
  return problems;
}

/** Throws one PlatformError listing every problem of `value` against the named type. */
export function checkValue(typeName: string, value: unknown, path: string, field = ''): void {
  const problems = propsProblems(typeName, value, path, field);
  if (problems.length > 0) throw new PlatformError(problems);
}

/**
 * Checks a construct's props against its class's props type; a construct constructor calls it
 * with its own class, as `props = checkProps(this, Cls, props)`. The check runs once, for the most
 * derived class of the library that `scope` is an instance of (a subclass's constructor sees the
 * props its caller wrote). Returns the props to build from: those given, or, when the problems are
 * recorded for the part of the build the construct belongs to (see `attempt`), a copy without
 * the fields in error, so that the construct goes on with their defaults and the constructs after
 * it are checked too.
 */
export function checkProps<P>(scope: IConstruct, cls: abstract new (...args: never[]) => unknown, props: P): P {
  if (!enabled) return props;
  // Timed whole (finding the class, the construct's path), so that the bench counts all the check costs.
  return timedCheck(() => checkedProps(scope, cls, props));
}

function checkedProps<P>(scope: IConstruct, cls: abstract new (...args: never[]) => unknown, props: P): P {
  if (nearestCheckedClass(scope) !== cls.name) return props;
  const typeName = CLASSES[cls.name];
  if (typeName === undefined) return props;
  const problems = propsProblems(typeName, props, pathOf(scope));
  if (problems.length === 0) return props;
  // A key no type declares changes nothing the construct does: it is reported at synth, with every
  // other problem of the tree, and construction goes on. Any other problem fails the part of the
  // build the construct belongs to: recorded when the part runs under `attempt`, thrown otherwise.
  if (problems.every((p) => p.includes(UNKNOWN_KEY))) {
    scope.node.addValidation({ validate: () => problems });
    return props;
  }
  if (!recordProblems(scope, problems)) throw new PlatformError(problems);
  return withoutBadFields(DEFS[typeName], props);
}

/** A plain object's copy without the fields its shape refuses (the construct then applies their defaults). */
function withoutBadFields<P>(shape: Shape | undefined, props: P): P {
  if (shape === undefined || typeof shape !== 'object' || !('p' in shape) || !isRecord(props) || !isPlainObject(props)) return props;
  const fields = shape.p;
  return Object.fromEntries(Object.entries(props).filter(([k, v]) => {
    const entry = fields[k];
    return v === undefined || (entry === undefined ? shape.x !== undefined && passes(shape.x, v) : passes(entry[0], v));
  })) as P;
}

const UNKNOWN_KEY = ' is not a field of ';

function nearestCheckedClass(scope: object): string | undefined {
  for (let proto: unknown = Object.getPrototypeOf(scope); proto !== null && proto !== Object.prototype; proto = Object.getPrototypeOf(proto)) {
    const name = (proto as { constructor?: { name?: unknown } }).constructor?.name;
    if (typeof name === 'string' && CLASSES[name] !== undefined) return name;
  }
  return undefined;
}

const join = (field: string, key: string) => (field === '' ? key : `${field}.${key}`);

function walk(shape: Shape, value: unknown, field: string, path: string, out: string[], owner: string): void {
  if (shape === 'a') return;
  if (typeof shape === 'object' && 'i' in shape) {
    if (!isDeferred(value)) walk(shape.i, value, field, path, out, owner);
    return;
  }
  if (typeof shape === 'string' || 'e' in shape || 'c' in shape || 'l' in shape || 'r' in shape) {
    if (!matchesKind(shape, value)) {
      out.push(problem(path, field, value, `must be ${describe(shape)}`, fixFor(shape, value, field)));
      return;
    }
  }
  if (typeof shape === 'string' || 'e' in shape || 'c' in shape) return;
  if ('l' in shape) {
    (value as unknown[]).forEach((v, i) => walk(shape.l, v, `${field}[${elementKey(v, i)}]`, path, out, owner));
    return;
  }
  if ('r' in shape) {
    for (const [k, v] of Object.entries(value as object)) if (v !== undefined) walk(shape.r, v, join(field, k), path, out, owner);
    return;
  }
  if ('t' in shape) {
    const def = DEFS[shape.t];
    if (def !== undefined) walk(def, value, field, path, out, shape.t);
    return;
  }
  if ('p' in shape) {
    if (!isRecord(value)) {
      out.push(problem(path, field, value, `must be an object (${owner})`, `write the fields of ${owner} between braces`));
      return;
    }
    const declared = Object.keys(shape.p);
    // As with tsc's excess-property check, only a literal object is held to the declared keys: an
    // instance of a class (`OidcSettings` handed on as `OidcPrefixes`) has more by design.
    const literal = isPlainObject(value);
    for (const [k, v] of literal ? Object.entries(value) : []) {
      if (shape.p[k] !== undefined) continue;
      if (shape.x !== undefined) {
        if (v !== undefined) walk(shape.x, v, join(field, k), path, out, owner);
        continue;
      }
      const near = closest(k, declared);
      out.push(problem(path, join(field, k), v, `${UNKNOWN_KEY.trim()} ${owner}`, near === undefined ? `remove it (${owner} declares ${listOf(declared)})` : `did you mean ${near}?`));
    }
    for (const [k, [s, optional]] of Object.entries(shape.p)) {
      const v = value[k];
      if (v === undefined) {
        if (optional === 0) out.push(problem(path, join(field, k), undefined, `is required (${owner})`, `set ${k} to ${describe(s)}`));
        continue;
      }
      walk(s, v, join(field, k), path, out, owner);
    }
    return;
  }
  // A union: the value passes if one member accepts it; otherwise the objects' closest member speaks.
  // A member of another kind (a string for a list) is passed over without a walk: the common case costs one typeof.
  const candidates = shape.u.filter((m) => kindMayMatch(m, value));
  for (const m of candidates) if (passes(m, value)) return;
  const tries = candidates.map((m) => {
    const found: string[] = [];
    walk(m, value, field, path, found, owner);
    return { m, found };
  });
  // The member that declares (or nearly declares) most of the value's keys, then the one with fewest problems.
  const keys = isRecord(value) ? Object.keys(value) : [];
  const near = (m: Shape) => {
    const declared = declaredKeys(m);
    return keys.filter((k) => declared.includes(k) || closest(k, declared) !== undefined).length;
  };
  const objects = tries.filter((t) => isRecord(value) && isObjectShape(t.m));
  const best = objects.sort((a, b) => near(b.m) - near(a.m) || a.found.length - b.found.length)[0];
  if (best !== undefined) {
    out.push(...best.found);
    return;
  }
  out.push(problem(path, field, value, `must be ${describe(shape)}`, fixFor(shape, value, field)));
}

/** Whether a value may be of a member's kind (so that the member is worth a walk). */
function kindMayMatch(m: Shape, value: unknown): boolean {
  if (typeof m === 'object' && 'i' in m) return isDeferred(value) || kindMayMatch(m.i, value);
  if (typeof m === 'string' || 'e' in m || 'c' in m || 'l' in m || 'r' in m) return matchesKind(m, value);
  if ('u' in m) return m.u.some((x) => kindMayMatch(x, value));
  return isRecord(value);
}

/** Whether the value passes the shape, found without building any message. */
function passes(m: Shape, value: unknown): boolean {
  if (m === 'a') return true;
  if (typeof m === 'object' && 'i' in m) return isDeferred(value) || passes(m.i, value);
  if (typeof m === 'string' || 'e' in m || 'c' in m) return matchesKind(m, value);
  if ('l' in m) return Array.isArray(value) && value.every((v) => passes(m.l, v));
  if ('r' in m) return isRecord(value) && Object.values(value).every((v) => v === undefined || passes(m.r, v));
  if ('t' in m) {
    const def = DEFS[m.t];
    return def === undefined || passes(def, value);
  }
  if ('u' in m) return m.u.some((x) => passes(x, value));
  if (!isRecord(value)) return false;
  if (isPlainObject(value)) {
    for (const k in value) if (m.p[k] === undefined && (m.x === undefined || (value[k] !== undefined && !passes(m.x, value[k])))) return false;
  }
  for (const k in m.p) {
    const entry = m.p[k];
    const v = value[k];
    if (entry === undefined) continue;
    if (v === undefined ? entry[1] === 0 : !passes(entry[0], v)) return false;
  }
  return true;
}

function problem(path: string, field: string, value: unknown, rule: string, fix: string): string {
  return formatProblem({ path, field: field === '' ? 'props' : field, rule, fix, ...(value === undefined || typeof value === 'function' ? {} : { value: printable(value) }) });
}

/** What a message shows of a bad value: primitives as they are, objects by their kind. */
function printable(value: unknown): unknown {
  if (value === null || typeof value !== 'object') return value;
  if (Array.isArray(value)) return value.length <= 4 && value.every((v) => v === null || typeof v !== 'object') ? value : `a list of ${value.length}`;
  const ctor = (value as { constructor?: { name?: string } }).constructor?.name;
  return ctor !== undefined && ctor !== 'Object' ? `${/^[AEIOU]/.test(ctor) ? 'an' : 'a'} ${ctor}` : 'an object';
}

function elementKey(v: unknown, i: number): string {
  const name = isRecord(v) ? v.name : undefined;
  return typeof name === 'string' && name !== '' ? name : String(i);
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function isPlainObject(v: object): boolean {
  const proto: unknown = Object.getPrototypeOf(v);
  return proto === Object.prototype || proto === null;
}

function declaredKeys(s: Shape): string[] {
  if (typeof s === 'string') return [];
  if ('i' in s) return declaredKeys(s.i);
  if ('t' in s) {
    const def = DEFS[s.t];
    return def === undefined ? [] : declaredKeys(def);
  }
  return 'p' in s ? Object.keys(s.p) : [];
}

function isObjectShape(s: Shape): boolean {
  if (typeof s === 'string') return false;
  if ('i' in s) return isObjectShape(s.i);
  if ('t' in s) {
    const def = DEFS[s.t];
    return def !== undefined && isObjectShape(def);
  }
  return 'p' in s;
}

function matchesKind(shape: Shape, value: unknown): boolean {
  if (typeof shape === 'string') {
    switch (shape) {
      case 's': return typeof value === 'string';
      case 'n': return typeof value === 'number' && !Number.isNaN(value);
      case 'b': return typeof value === 'boolean';
      case 'f': return typeof value === 'function';
      case 'o': return (typeof value === 'object' && value !== null) || typeof value === 'function';
      default: return true;
    }
  }
  if ('e' in shape) return shape.e.includes(value as never);
  if ('c' in shape) return isInstanceOf(value, shape.c);
  if ('l' in shape) return Array.isArray(value);
  if ('r' in shape) return isRecord(value);
  return true;
}

/**
 * Whether a value is known only once resolved: a Promise (any thenable), or a Pulumi Output, which
 * carries `__pulumiOutput: true` (@pulumi/pulumi output.ts, `Output.isInstance`; this module does
 * not load Pulumi).
 */
function isDeferred(value: unknown): boolean {
  if ((typeof value !== 'object' && typeof value !== 'function') || value === null) return false;
  const v = value as { then?: unknown; __pulumiOutput?: unknown };
  return typeof v.then === 'function' || v.__pulumiOutput === true;
}

function isInstanceOf(value: unknown, className: string): boolean {
  if (typeof value !== 'object' || value === null) return false;
  for (let proto: unknown = Object.getPrototypeOf(value); proto !== null; proto = Object.getPrototypeOf(proto)) {
    if ((proto as { constructor?: { name?: unknown } }).constructor?.name === className) return true;
  }
  return false;
}

function describe(shape: Shape): string {
  if (typeof shape === 'string') {
    return { s: 'a string', n: 'a number', b: 'a boolean (true or false)', f: 'a function', o: 'an object', a: 'any value' }[shape];
  }
  if ('e' in shape) return shape.e.length === 1 ? JSON.stringify(shape.e[0]) : `one of ${shape.e.map((v) => JSON.stringify(v)).join(', ')}`;
  if ('c' in shape) return `${/^[AEIOU]/.test(shape.c) ? 'an' : 'a'} ${shape.c}`;
  if ('l' in shape) return 'a list';
  if ('r' in shape || 'p' in shape) return 'an object';
  if ('t' in shape) return `an object (${shape.t})`;
  if ('i' in shape) return `${describe(shape.i)} (or an Output or a Promise of one)`;
  const parts = shape.u.map(describe);
  return parts.length <= 2 ? parts.join(' or ') : `${parts.slice(0, -1).join(', ')} or ${parts.at(-1) ?? ''}`;
}

function fixFor(shape: Shape, value: unknown, field: string): string {
  const wants = (k: Shape) => shape === k || (typeof shape === 'object' && 'u' in shape && shape.u.includes(k));
  const literals = typeof shape === 'object' && 'e' in shape ? shape.e : typeof shape === 'object' && 'u' in shape ? shape.u.flatMap((m) => (typeof m === 'object' && 'e' in m ? m.e : [])) : [];
  if (typeof value === 'string' && literals.length > 0) {
    const near = closest(value, literals.filter((l): l is string => typeof l === 'string'));
    if (near !== undefined) return `did you mean ${JSON.stringify(near)}?`;
  }
  const classes = typeof shape === 'object' && 'c' in shape ? [shape.c] : typeof shape === 'object' && 'u' in shape ? shape.u.flatMap((m) => (typeof m === 'object' && 'c' in m ? [m.c] : [])) : [];
  if (classes.length > 0) return `give ${describe(shape)} (made by ${classes.map((c) => `${c}'s`).join(' or ')} static factories)`;
  if (wants('s') && (typeof value === 'number' || typeof value === 'boolean')) return `quote it: ${JSON.stringify(String(value))}`;
  if (typeof shape === 'object' && 'l' in shape && value !== null && typeof value !== 'object') return `write a list: [${JSON.stringify(value)}]`;
  const documented = typeof shape === 'object' && 'e' in shape && shape.d !== undefined ? ` (or leave it out: the default is ${shape.d})` : '';
  if (literals.length > 0) return `write one of ${literals.map((v) => JSON.stringify(v)).join(', ')}${documented}`;
  return `give ${field === '' ? 'it' : field.split('.').at(-1) ?? field} ${describe(shape)}`;
}

/** The declared name closest to `word` (case aside, or within a small edit distance), if any is close. */
function closest(word: string, names: readonly string[]): string | undefined {
  const lower = word.toLowerCase();
  const same = names.find((n) => n.toLowerCase() === lower);
  if (same !== undefined) return same;
  let best: string | undefined;
  let bestDistance = Math.max(1, Math.min(3, Math.floor(word.length / 3)));
  for (const n of names) {
    const d = editDistance(lower, n.toLowerCase());
    if (d <= bestDistance) {
      if (d < bestDistance || best === undefined) best = n;
      bestDistance = d;
    }
  }
  return best;
}

/** Levenshtein distance, with adjacent transpositions counted as one edit. */
export function editDistance(a: string, b: string): number {
  const rows: number[][] = Array.from({ length: a.length + 1 }, (_, i) => Array.from({ length: b.length + 1 }, (_, j) => (i === 0 ? j : j === 0 ? i : 0)));
  const at = (i: number, j: number) => rows[i]?.[j] ?? 0;
  for (let i = 1; i <= a.length; i++) {
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let d = Math.min(at(i - 1, j) + 1, at(i, j - 1) + 1, at(i - 1, j - 1) + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) d = Math.min(d, at(i - 2, j - 2) + 1);
      const row = rows[i];
      if (row !== undefined) row[j] = d;
    }
  }
  return at(a.length, b.length);
}

function listOf(names: readonly string[]): string {
  return names.length <= 8 ? names.join(', ') : `${names.slice(0, 8).join(', ')}, ...`;
}
