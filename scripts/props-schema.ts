// `npm run props-schema` (part of `npm run build`): writes lib/core/generated/props-schema.ts, the
// shape of every public input, read from the TypeScript types themselves — the props of every
// construct class lib/index.ts exports, plus the entry points that take plain values (the cluster
// definition, team definitions, service groups, the service-repo entry point) — and, into
// lib/core/generated/aws-args-schema.ts, the args of every Pulumi component lib/aws/index.ts
// exports (lib/aws/args-check.ts). The declared `XxxProps`/`XxxArgs` interfaces stay the one source of truth; this file only records what they say, so
// that `tsx` runs and plain-JavaScript callers get the checks `tsc` would have made
// (lib/core/props-check.ts walks values against it). CI fails when the checked-in file differs.
import { writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import * as ts from 'typescript';
import { PlatformError } from '../lib/core/errors';

const refuse = (field: string, rule: string, fix: string) => PlatformError.of({ path: 'scripts/props-schema.ts', field, rule, fix });

/** A shape, compact: see lib/core/props-check.ts for the meaning of each form. */
type Shape =
  | 's' | 'n' | 'b' | 'f' | 'a' | 'o'
  | { readonly e: readonly (string | number | boolean | null)[]; readonly d?: string }
  | { readonly l: Shape }
  | { readonly r: Shape }
  | { readonly p: Record<string, readonly [Shape, 0 | 1]>; readonly x?: Shape }
  | { readonly u: readonly Shape[] }
  | { readonly t: string }
  | { readonly c: string }
  | { readonly i: Shape };

/** The entry points that take plain values, by the exported type name. */
const VALUE_ENTRY_POINTS = ['ClusterDefinition', 'TeamDefinition', 'ServiceGroup', 'ServiceRepoProps'];

const root = join(__dirname, '..');
const libDir = join(root, 'lib');
const out = join(libDir, 'core', 'generated', 'props-schema.ts');
const awsOut = join(libDir, 'core', 'generated', 'aws-args-schema.ts');

/** What one entry module's exports say: the named types, and each exported class's input type by class. */
interface Schema {
  readonly defs: Record<string, Shape>;
  readonly classes: Record<string, string>;
}

/**
 * The shapes of an entry module's exports: each exported class whose public constructor takes
 * `param` (`props` for constructs, `args` for Pulumi components), and the named value entry points.
 */
function schemaOf(entry: string, param: string, valueEntryPoints: readonly string[]): Schema {
  const configPath = join(root, 'tsconfig.build.json');
  const config = ts.getParsedCommandLineOfConfigFile(configPath, {}, { ...ts.sys, onUnRecoverableConfigFileDiagnostic: () => undefined });
  if (config === undefined) throw refuse('tsconfig.build.json', 'cannot be read', 'restore it: the generator compiles lib/ with its options');
  const program = ts.createProgram({ rootNames: [join(libDir, entry)], options: config.options });
  const checker = program.getTypeChecker();
  const index = program.getSourceFile(join(libDir, entry));
  if (index === undefined) throw refuse(`lib/${entry}`, 'is not in the program', `restore lib/${entry}, the public API the schema is read from`);
  const moduleSymbol = checker.getSymbolAtLocation(index);
  if (moduleSymbol === undefined) throw refuse(`lib/${entry}`, 'is not a module', `export the public API from lib/${entry}`);

  const defs = new Map<string, Shape>();
  const inProgress = new Set<string>();
  const ours = (d: ts.Declaration) => {
    const file = d.getSourceFile().fileName;
    return file.startsWith(libDir) && !file.includes('node_modules');
  };

  function nameOf(type: ts.Type): string | undefined {
    const alias = type.aliasSymbol;
    if (alias !== undefined && (alias.declarations ?? []).every(ours) && (type.aliasTypeArguments ?? []).length === 0) return alias.getName();
    const sym = type.getSymbol();
    if (sym !== undefined && (sym.flags & (ts.SymbolFlags.Interface)) && (sym.declarations ?? []).every(ours)) {
      const args = (type as ts.TypeReference).typeArguments ?? [];
      return args.length === 0 ? sym.getName() : checker.typeToString(type);
    }
    return undefined;
  }

  function shape(type: ts.Type): Shape {
    const f = type.flags;
    if (f & (ts.TypeFlags.Any | ts.TypeFlags.Unknown | ts.TypeFlags.TypeParameter | ts.TypeFlags.Never)) return 'a';
    if (f & ts.TypeFlags.StringLike && !(f & ts.TypeFlags.StringLiteral)) return 's';
    if (f & ts.TypeFlags.NumberLike && !(f & ts.TypeFlags.NumberLiteral)) return 'n';
    if (f & ts.TypeFlags.Boolean) return 'b';
    if (f & ts.TypeFlags.StringLiteral) return { e: [(type as ts.StringLiteralType).value] };
    if (f & ts.TypeFlags.NumberLiteral) return { e: [(type as ts.NumberLiteralType).value] };
    if (f & ts.TypeFlags.BooleanLiteral) return { e: [checker.typeToString(type) === 'true'] };
    if (f & ts.TypeFlags.Null) return { e: [null] };
    if (f & (ts.TypeFlags.Undefined | ts.TypeFlags.Void)) return 'a';
    if (f & ts.TypeFlags.ESSymbolLike || f & ts.TypeFlags.BigIntLike) return 'a';
    if (type.isUnion()) {
      const members = type.types.filter((t) => !(t.flags & (ts.TypeFlags.Undefined | ts.TypeFlags.Void)));
      // pulumi.Input<T> is T | Promise<T> | Output<T>: an Output or a Promise is taken as it is (its
      // value is known only when Pulumi resolves it), any other value is checked as T.
      const known = members.filter((t) => !isDeferred(t));
      return known.length < members.length && known.length > 0 ? { i: union(known) } : union(members);
    }
    if (checker.isArrayType(type) || checker.isTupleType(type)) {
      const args = checker.getTypeArguments(type as ts.TypeReference);
      return { l: args.length === 1 && args[0] !== undefined ? shape(args[0]) : (args.length === 0 ? 'a' : union([...args])) };
    }
    if (f & ts.TypeFlags.Object || type.isIntersection()) return objectShape(type);
    return 'a';
  }

  /** Promise<T> (TypeScript's lib) or a Pulumi Output<T>: a value known only once resolved. */
  function isDeferred(t: ts.Type): boolean {
    if (t.isIntersection()) return t.types.some(isDeferred);
    const sym = t.getSymbol();
    const file = sym?.declarations?.[0]?.getSourceFile().fileName ?? '';
    if (sym === undefined) return false;
    return (sym.getName() === 'Promise' && /[\\/]typescript[\\/]lib[\\/]/.test(file))
      || (['Output', 'OutputInstance'].includes(sym.getName()) && /[\\/]@pulumi[\\/]pulumi[\\/]/.test(file));
  }

  function union(members: readonly ts.Type[]): Shape {
    const shapes: Shape[] = [];
    const literals: (string | number | boolean | null)[] = [];
    let hasTrue = false;
    let hasFalse = false;
    for (const m of members) {
      const s = shape(m);
      if (typeof s === 'object' && 'e' in s) {
        for (const v of s.e) {
          if (v === true) hasTrue = true;
          else if (v === false) hasFalse = true;
          else literals.push(v);
        }
      } else if (!shapes.some((x) => JSON.stringify(x) === JSON.stringify(s))) shapes.push(s);
    }
    if (hasTrue && hasFalse) shapes.push('b');
    else if (hasTrue || hasFalse) literals.push(hasTrue);
    // A literal next to its own primitive (`'auto' | string`) adds nothing to check.
    const kept = literals.filter((v) => !(typeof v === 'string' && shapes.includes('s')) && !(typeof v === 'number' && shapes.includes('n')));
    if (shapes.includes('a')) return 'a';
    const all: Shape[] = kept.length > 0 ? [{ e: kept }, ...shapes] : shapes;
    return all.length === 1 && all[0] !== undefined ? all[0] : { u: all };
  }

  function objectShape(type: ts.Type): Shape {
    const props = checker.getPropertiesOfType(type);
    const decls = props.flatMap((p) => p.declarations ?? []);
    const sym = type.getSymbol();
    const isClass = sym !== undefined && (sym.flags & ts.SymbolFlags.Class) !== 0;
    // A class of the library is checked by instance (its factory validated the value); one from
    // elsewhere (a construct, a cdk8s object) as an object.
    if (isClass) return (sym.declarations ?? []).every(ours) ? { c: sym.getName() } : 'o';
    if (type.getCallSignatures().length > 0 || type.getConstructSignatures().length > 0) return props.length === 0 ? 'f' : 'o';
    // Interfaces with methods, or with members declared outside the library (constructs, cdk8s,
    // Pulumi), are implemented by objects with more than their declared keys: checked as objects only.
    if (decls.some((d) => ts.isMethodSignature(d) || ts.isMethodDeclaration(d) || !ours(d))) return 'o';
    const named = nameOf(type);
    if (named !== undefined) {
      if (!defs.has(named) && !inProgress.has(named)) {
        inProgress.add(named);
        defs.set(named, literalObject(type, props));
        inProgress.delete(named);
      }
      return { t: named };
    }
    return literalObject(type, props);
  }

  function literalObject(type: ts.Type, props: readonly ts.Symbol[]): Shape {
    const p: Record<string, readonly [Shape, 0 | 1]> = {};
    for (const prop of [...props].sort((a, b) => a.getName().localeCompare(b.getName()))) {
      const decl = prop.valueDeclaration ?? prop.declarations?.[0];
      const t = decl === undefined ? checker.getTypeOfSymbol(prop) : checker.getTypeOfSymbolAtLocation(prop, decl);
      // A required key whose type admits undefined (`x: string | undefined`) may be left out at run time.
      const mayBeUndefined = t.isUnion() && t.types.some((m) => (m.flags & ts.TypeFlags.Undefined) !== 0);
      const s = shape(t);
      // A literal union's documented default goes with it, so that the refusal can name it.
      const def = decl === undefined ? undefined : ts.getJSDocTags(decl).find((tag) => tag.tagName.text === 'default');
      const defText = def === undefined ? undefined : ts.getTextOfJSDocComment(def.comment)?.trim();
      const withDefault = typeof s === 'object' && 'e' in s && defText !== undefined && defText !== '' && !defText.startsWith('-') ? { ...s, d: defText } : s;
      p[prop.getName()] = [withDefault, prop.flags & ts.SymbolFlags.Optional || mayBeUndefined ? 1 : 0];
    }
    const index = checker.getIndexInfosOfType(type).find((i) => i.keyType.flags & ts.TypeFlags.String);
    if (props.length === 0 && index !== undefined) return { r: shape(index.type) };
    return index === undefined ? { p } : { p, x: shape(index.type) };
  }

  const classes: Record<string, string> = {};
  const entries: Record<string, Shape> = {};
  for (const exported of checker.getExportsOfModule(moduleSymbol)) {
    const sym = exported.flags & ts.SymbolFlags.Alias ? checker.getAliasedSymbol(exported) : exported;
    const decl = sym.declarations?.find(ts.isClassDeclaration);
    if (decl !== undefined) {
      const ctor = decl.members.find(ts.isConstructorDeclaration);
      const input = ctor?.parameters.find((p) => p.name.getText() === param);
      if (ctor === undefined || input === undefined || input.type === undefined) continue;
      if (ctor.modifiers?.some((m) => m.kind === ts.SyntaxKind.PrivateKeyword || m.kind === ts.SyntaxKind.ProtectedKeyword)) continue;
      const s = shape(checker.getTypeFromTypeNode(input.type));
      const key = typeof s === 'object' && 't' in s ? s.t : `${sym.getName()}${param === 'props' ? 'Props' : 'Args'}`;
      if (!(typeof s === 'object' && 't' in s)) defs.set(key, s);
      classes[sym.getName()] = key;
    } else if (valueEntryPoints.includes(sym.getName())) {
      const type = checker.getDeclaredTypeOfSymbol(sym);
      entries[sym.getName()] = shape(type);
    }
  }
  for (const name of valueEntryPoints) if (entries[name] === undefined) throw refuse(name, `is not exported by lib/${entry}`, `export type ${name} from lib/${entry}, or drop it from VALUE_ENTRY_POINTS`);
  return { defs: Object.fromEntries(defs.entries()), classes };
}

const sorted = <T>(record: Record<string, T>) => Object.fromEntries(Object.entries(record).sort(([a], [b]) => a.localeCompare(b)));

/** lib/core/generated/props-schema.ts: the props of every construct class lib/index.ts exports, and its value entry points. */
export function generate(): string {
  const { defs, classes } = schemaOf('index.ts', 'props', VALUE_ENTRY_POINTS);
  return [
    `// Generated by scripts/props-schema.ts from the types lib/index.ts exports: do not edit.`,
    `// \`npm run build\` rewrites it; CI fails when the checked-in copy differs.`,
    `import type { PropsSchema } from '../props-shape';`,
    ``,
    `/** Every named props type, by name. */`,
    `export const DEFS: PropsSchema['defs'] = ${JSON.stringify(sorted(defs))};`,
    ``,
    `/** Each exported construct class, by name, with the name of its props type. */`,
    `export const CLASSES: PropsSchema['classes'] = ${JSON.stringify(sorted(classes))};`,
    ``,
  ].join('\n');
}

/**
 * lib/core/generated/aws-args-schema.ts: the args of every Pulumi component lib/aws/index.ts
 * exports (a file of its own, read only by lib/aws, so that the package's main entry stays as it is).
 */
export function generateAws(): string {
  const { defs, classes } = schemaOf(join('aws', 'index.ts'), 'args', []);
  return [
    `// Generated by scripts/props-schema.ts from the types lib/aws/index.ts exports: do not edit.`,
    `// \`npm run build\` rewrites it; CI fails when the checked-in copy differs.`,
    `import type { PropsSchema } from '../props-shape';`,
    ``,
    `/** Every named type the components' args use, by name. */`,
    `export const AWS_DEFS: PropsSchema['defs'] = ${JSON.stringify(sorted(defs))};`,
    ``,
    `/** Each exported Pulumi component, by class name, with the name of its args type. */`,
    `export const COMPONENTS: PropsSchema['classes'] = ${JSON.stringify(sorted(classes))};`,
    ``,
  ].join('\n');
}

if (require.main === module) {
  writeFileSync(out, generate());
  writeFileSync(awsOut, generateAws());
  console.log(`wrote ${relative(root, out)} and ${relative(root, awsOut)}`);
}
