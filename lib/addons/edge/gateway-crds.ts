import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { ApiObject } from 'cdk8s';
import { Construct } from 'constructs';
import { parseAllDocuments } from 'yaml';
import { PlatformError } from '../../core';

/** The folders under `schemas/` whose upstream files are applied, and which files of each. */
const SOURCES: readonly { readonly folder: string; readonly file: RegExp }[] = [
  // Gateway API v1.6.1, standard channel: every CRD and the safe-upgrades admission policy.
  { folder: 'gateway-api', file: /^gateway\.networking\.k8s\.io_[a-z_]+\.yaml$/ },
  // Envoy Gateway v1.9.0's own CRDs: the controller watches every one of them.
  { folder: 'envoy-gateway', file: /^gateway\.envoyproxy\.io_[a-z]+\.yaml$/ },
];

/** The project's `schemas/` folder, found upward from this file (lib/ in the repository, build/lib/ in the package). */
function schemasFolder(): string {
  let dir = __dirname;
  for (;;) {
    const candidate = join(dir, 'schemas', 'gateway-api');
    if (existsSync(candidate)) return join(dir, 'schemas');
    const parent = dirname(dir);
    if (parent === dir) {
      throw PlatformError.of({ path: 'GatewayCrds', field: 'schemas', value: __dirname, rule: 'has no schemas/gateway-api folder above it', fix: 'install the package with its schemas/ folder (package.json "files")' });
    }
    dir = parent;
  }
}

let parsed: readonly Record<string, unknown>[] | undefined;

/** The upstream objects, in file order, as they are published (unchanged; parsed once per process, a fresh copy per call). */
export function gatewayCrdObjects(): Record<string, unknown>[] {
  parsed ??= readCrdFiles();
  return parsed.map((o) => structuredClone(o));
}

function readCrdFiles(): Record<string, unknown>[] {
  const root = schemasFolder();
  return SOURCES.flatMap(({ folder, file }) => readdirSync(join(root, folder)).filter((f) => file.test(f)).sort()
    .flatMap((f) => parseAllDocuments(readFileSync(join(root, folder, f), 'utf8')).map((d) => d.toJSON() as Record<string, unknown>).filter((o) => o !== null)));
}

/**
 * The CustomResourceDefinitions the edge needs, applied unchanged from upstream (see
 * schemas/gateway-api/README.md and schemas/envoy-gateway/README.md): the Gateway API's standard
 * channel with its safe-upgrades ValidatingAdmissionPolicy, and Envoy Gateway's own CRDs. They
 * belong in a chart of the `crds` phase, so every Gateway, route and policy is applied after them.
 * The EnvoyProxy CRD alone is 1.4 MB: it must be applied server-side (the annotation client-side
 * apply writes is capped at 256 KiB).
 */
export class GatewayCrds extends Construct {
  /** The names of the objects, `<kind>/<name>`. */
  public readonly names: readonly string[];

  public constructor(scope: Construct, id: string) {
    super(scope, id);
    const names: string[] = [];
    for (const o of gatewayCrdObjects()) {
      const { apiVersion, kind, metadata, ...rest } = o as { apiVersion: string; kind: string; metadata: { name: string } };
      new ApiObject(this, `${kind}-${metadata.name}`, { apiVersion, kind, metadata, ...rest });
      names.push(`${kind}/${metadata.name}`);
    }
    this.names = names;
  }
}
