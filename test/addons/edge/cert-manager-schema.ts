// Validates cert-manager objects against the CRDs in schemas/cert-manager/ (see its README): the
// `required` lists are enforced as the API server does, and a field the schema does not list is an
// error (the API server would prune it silently, which hides a typo). Compiled once per process.
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
    if (k.startsWith('x-kubernetes-')) continue;
    out[k] = adjust(v);
  }
  if (src['x-kubernetes-int-or-string'] === true) {
    delete out.type;
    out.type = ['integer', 'string'];
  }
  if (out.properties !== undefined && out.additionalProperties === undefined && src['x-kubernetes-preserve-unknown-fields'] !== true) {
    out.additionalProperties = false;
  }
  return out;
}

function loadSchema(file: string): Schema {
  const crd = parse(readFileSync(join(__dirname, '../../../schemas/cert-manager', file), 'utf8')) as {
    spec: { versions: Array<{ name: string; schema: { openAPIV3Schema: Schema } }> };
  };
  const version = crd.spec.versions.find((v) => v.name === 'v1');
  if (version === undefined) throw new Error(`${file} has no v1 version`);
  const schema = adjust(version.schema.openAPIV3Schema) as Schema;
  // Every object carries metadata; the CRD leaves it to the API server.
  return { ...schema, required: ['apiVersion', 'kind', 'metadata', 'spec'] };
}

let validators: Record<string, ValidateFunction> | undefined;

function compiled(): Record<string, ValidateFunction> {
  if (validators === undefined) {
    const ajv = new Ajv({ allErrors: true, strict: false, validateFormats: false });
    validators = {
      Certificate: ajv.compile(loadSchema('cert-manager.io_certificates.yaml')),
      ClusterIssuer: ajv.compile(loadSchema('cert-manager.io_clusterissuers.yaml')),
    };
  }
  return validators;
}

/** The schema violations of one cert-manager object, as `<kind>/<name><path> <message>` lines; empty when valid. */
export function certManagerSchemaErrors(obj: object): string[] {
  const { apiVersion, kind, metadata } = obj as { apiVersion?: unknown; kind?: unknown; metadata?: { name?: unknown } };
  const label = `${String(kind)}/${String(metadata?.name)}`;
  if (apiVersion !== 'cert-manager.io/v1') return [`${label} has apiVersion ${String(apiVersion)}, not cert-manager.io/v1`];
  const validate = compiled()[String(kind)];
  if (validate === undefined) return [`unknown kind ${String(kind)}`];
  if (validate(obj) === true) return [];
  return (validate.errors ?? []).map((e) => `${label}${e.instancePath} ${e.message ?? ''} ${JSON.stringify(e.params)}`);
}
