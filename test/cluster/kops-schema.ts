// Validates kops objects against the kops CRDs in schemas/kops/ the way kops reads them
// (schemas/kops/README.md): unknown fields are errors, `required` lists are not enforced, and
// int-or-string fields also take plain numbers. The CRDs are loaded and compiled once per process.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import Ajv, { type ValidateFunction } from 'ajv';
import { parse } from 'yaml';

type Schema = Record<string, unknown>;

function adjust(node: unknown): unknown {
  if (Array.isArray(node)) return node.map(adjust);
  if (node === null || typeof node !== 'object') return node;
  const src = node as Schema;
  const out: Schema = {};
  for (const [k, v] of Object.entries(src)) {
    if (k === 'required' && Array.isArray(v)) continue;
    if (k.startsWith('x-kubernetes-')) continue;
    out[k] = adjust(v);
  }
  if (src['x-kubernetes-int-or-string'] === true) {
    delete out.type;
    out.type = ['integer', 'number', 'string'];
  }
  if (out.properties !== undefined && out.additionalProperties === undefined && src['x-kubernetes-preserve-unknown-fields'] !== true) {
    out.additionalProperties = false;
  }
  return out;
}

function loadSchema(file: string): Schema {
  const crd = parse(readFileSync(join(__dirname, '../../schemas/kops', file), 'utf8')) as {
    spec: { versions: Array<{ name: string; schema: { openAPIV3Schema: Schema } }> };
  };
  const version = crd.spec.versions.find((v) => v.name === 'v1alpha2');
  if (version === undefined) throw new Error(`${file} has no v1alpha2 version`);
  return adjust(version.schema.openAPIV3Schema) as Schema;
}

let validators: Record<string, ValidateFunction> | undefined;

function compiled(): Record<string, ValidateFunction> {
  if (validators === undefined) {
    const ajv = new Ajv({ allErrors: true, strict: false, validateFormats: false });
    validators = {
      Cluster: ajv.compile(loadSchema('kops.k8s.io_clusters.yaml')),
      InstanceGroup: ajv.compile(loadSchema('kops.k8s.io_instancegroups.yaml')),
    };
  }
  return validators;
}

/** The schema violations of one kops object, as `<kind>/<name><path> <message>` lines; empty when valid. */
export function kopsSchemaErrors(obj: object): string[] {
  const { kind, metadata } = obj as { kind?: unknown; metadata?: { name?: unknown } };
  const label = `${String(kind)}/${String(metadata?.name)}`;
  const validate = compiled()[String(kind)];
  if (validate === undefined) return [`unknown kind ${String(kind)}`];
  if (validate(obj) === true) return [];
  return (validate.errors ?? []).map((e) => `${label}${e.instancePath} ${e.message ?? ''} ${JSON.stringify(e.params)}`);
}
