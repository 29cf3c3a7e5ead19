// Validates custom resources against the CustomResourceDefinitions in schemas/, with ajv. Both
// rule sets treat a field the schema does not list as an error (additionalProperties: false
// wherever `properties` is given and x-kubernetes-preserve-unknown-fields is not); they differ in
// whether `required` lists are enforced and whether int-or-string fields take any number.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import Ajv, { type ValidateFunction } from 'ajv';
import { parse } from 'yaml';

type Schema = Record<string, unknown>;

/** How a CRD is read. */
export interface CrdRules {
  /** The folder under schemas/. */
  readonly folder: string;
  /** The CRD version to validate against (`v1alpha2`). */
  readonly version: string;
  /** The CRD file of each kind. */
  readonly files: Readonly<Record<string, string>>;
  /** Enforce the schemas' `required` lists (the API server does; kops does not). */
  readonly enforceRequired: boolean;
  /** Extra required top-level fields (metadata, which a CRD leaves to the API server). @default [] */
  readonly topLevelRequired?: readonly string[];
}

function adjust(node: unknown, rules: CrdRules): unknown {
  if (Array.isArray(node)) return node.map((n) => adjust(n, rules));
  if (node === null || typeof node !== 'object') return node;
  const src = node as Schema;
  const out: Schema = {};
  for (const [k, v] of Object.entries(src)) {
    if (k === 'required' && Array.isArray(v) && !rules.enforceRequired) continue;
    if (k.startsWith('x-kubernetes-')) continue;
    out[k] = adjust(v, rules);
  }
  if (src['x-kubernetes-int-or-string'] === true) {
    delete out.type;
    out.type = rules.enforceRequired ? ['integer', 'string'] : ['integer', 'number', 'string'];
  }
  if (out.properties !== undefined && out.additionalProperties === undefined && src['x-kubernetes-preserve-unknown-fields'] !== true) {
    out.additionalProperties = false;
  }
  return out;
}

function loadSchema(rules: CrdRules, file: string): Schema {
  const path = join(__dirname, '../../schemas', rules.folder, file);
  const crd = parse(readFileSync(path, 'utf8')) as { spec: { versions: Array<{ name: string; schema: { openAPIV3Schema: Schema } }> } };
  const version = crd.spec.versions.find((v) => v.name === rules.version);
  if (version === undefined) throw new Error(`${path} has no ${rules.version} version`);
  const schema = adjust(version.schema.openAPIV3Schema, rules) as Schema;
  return rules.topLevelRequired === undefined ? schema : { ...schema, required: [...rules.topLevelRequired] };
}

/**
 * A validator for the kinds of one CRD group, compiled on first use: it returns the violations
 * of an object as `<kind>/<name><path> <message>` lines, empty when the object is valid.
 */
export function crdValidator(rules: CrdRules): (obj: object) => string[] {
  let validators: Record<string, ValidateFunction> | undefined;
  return (obj) => {
    validators ??= Object.fromEntries(Object.entries(rules.files).map(([kind, file]) => {
      const ajv = new Ajv({ allErrors: true, strict: false, validateFormats: false });
      return [kind, ajv.compile(loadSchema(rules, file))];
    }));
    const { kind, metadata } = obj as { kind?: unknown; metadata?: { name?: unknown } };
    const label = `${String(kind)}/${String(metadata?.name)}`;
    const validate = validators[String(kind)];
    if (validate === undefined) return [`unknown kind ${String(kind)}`];
    if (validate(obj) === true) return [];
    return (validate.errors ?? []).map((e) => `${label}${e.instancePath} ${e.message ?? ''} ${JSON.stringify(e.params)}`);
  };
}
