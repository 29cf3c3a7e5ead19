/**
 * The shape of a public input, as scripts/props-schema.ts records it from the TypeScript types:
 * - `'s'` string, `'n'` number, `'b'` boolean, `'f'` function, `'a'` anything, `'o'` any object
 *   (an interface implemented by objects with more keys than it declares: a construct, a Probe);
 * - `{ e, d? }` one of these literal values (`d`: the documented default); `{ l }` a list of; `{ r }` a record of (string keys);
 * - `{ p, x? }` an object with exactly these fields (`[shape, 1]` when optional), and with `x`
 *   any other key; `{ u }` any one of; `{ t }` the named type; `{ c }` an instance of the class;
 * - `{ i }` a Pulumi input (`pulumi.Input<T>`, which is `T | Promise<T> | Output<T>`): an Output or
 *   a Promise is accepted as it is, since its value is known only when Pulumi resolves it at
 *   deployment; any other value is checked as `i`.
 */
export type Shape =
  | 's' | 'n' | 'b' | 'f' | 'a' | 'o'
  | { readonly e: readonly (string | number | boolean | null)[]; readonly d?: string }
  | { readonly l: Shape }
  | { readonly r: Shape }
  | { readonly p: Readonly<Record<string, readonly [Shape, 0 | 1]>>; readonly x?: Shape }
  | { readonly u: readonly Shape[] }
  | { readonly t: string }
  | { readonly c: string }
  | { readonly i: Shape };

/** The generated schema: every named type, and each construct class's props type. */
export interface PropsSchema {
  readonly defs: Readonly<Record<string, Shape>>;
  readonly classes: Readonly<Record<string, string>>;
}
