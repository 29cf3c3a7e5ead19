// The offline plan: runs the program for one stack under Pulumi's mock runtime, with the stack's
// config from Pulumi.<stack>.yaml, and records every resource (type, name, parent, inputs,
// explicit dependencies) and the stack outputs. No credentials, no CLI, no cloud.
import { join } from 'node:path';
import * as pulumi from '@pulumi/pulumi';
import { type ClusterDefinition, PlatformError, type SecretDeclaration, clusterSecrets, writtenByStack } from '../lib';
import { CONFIG_NAMESPACE, SECRET_KEYS } from './config';
import { awsLikeMocks } from './mocks';
import { runProgram, stackNames } from './program';
import { readStackConfigFile } from '../clusters/stack-file';

export { readStackConfigFile } from '../clusters/stack-file';

/** One resource of a plan. */
export interface PlannedResource {
  /** `<type>::<name>`: unique within a stack. */
  readonly id: string;
  readonly type: string;
  readonly name: string;
  /** The id of the parent, or undefined for the stack itself. */
  readonly parent: string | undefined;
  /** The ids of the resources it explicitly depends on. */
  readonly dependsOn: readonly string[];
  /** The id of its explicit provider, if any. */
  readonly provider: string | undefined;
  /** Its inputs as the engine would receive them. */
  readonly inputs: Readonly<Record<string, unknown>>;
  /** Whether the resource is protected from deletion. */
  readonly protect: boolean;
}

/** The result of planning one stack. */
export interface StackPlan {
  readonly stack: string;
  readonly resources: readonly PlannedResource[];
  /** The stack outputs; unknown values are `<unknown>`, secrets `[secret]`. */
  readonly outputs: Readonly<Record<string, unknown>>;
  /** Config keys whose secret values were stood in by placeholders. */
  readonly secretPlaceholders: readonly string[];
}

/** Options of {@link planStack}. */
export interface PlanOptions {
  /** The stack to plan (`prod`). */
  readonly stack: string;
  /** The clusters the program knows. */
  readonly clusters: readonly ClusterDefinition[];
  /** Every environment overrides may name. */
  readonly environments: readonly string[];
  /** The folder holding Pulumi.<stack>.yaml. @default the repository root */
  readonly root?: string;
  /** The stack's config (as in the `config:` map of Pulumi.<stack>.yaml) instead of the file. @default - read from the file */
  readonly config?: Readonly<Record<string, unknown>>;
  /**
   * Keep secret values in the recorded inputs, for a test that proves a secret reaches its one
   * consumer; the CLI never sets it. @default false: every secret input is recorded as `[secret]`
   */
  readonly keepSecretValues?: boolean;
}

/** The unknown marker of plan output. */
export const UNKNOWN = '<unknown>';

/**
 * The Secrets a stack's cluster declares (none for bootstrap): their config keys are the stack's
 * addon secrets. Read from the addons' declarations, without building the cluster: the program
 * builds it once.
 */
export function declaredSecrets(stack: string, clusters: readonly ClusterDefinition[]): readonly SecretDeclaration[] {
  const def = clusters.find((c) => c.name === stack);
  return def === undefined ? [] : clusterSecrets(def);
}

/**
 * Turns config as written in YAML into what the runtime receives: every value a string; secure
 * values, and every declared addon Secret the file does not set, become placeholders
 * (`<secret platform:<configKey>.<key>>` for each declared key).
 */
export function runtimeConfig(stack: string, written: Readonly<Record<string, unknown>>, declared: readonly SecretDeclaration[] = []): { config: Record<string, string>; secretKeys: string[]; placeholders: string[] } {
  const config: Record<string, string> = {};
  const secretKeys: string[] = [];
  const placeholders: string[] = [];
  for (const [key, value] of Object.entries(written)) {
    if (value !== null && typeof value === 'object' && 'secure' in value) {
      placeholders.push(key);
      continue;
    }
    config[key] = typeof value === 'string' ? value : JSON.stringify(value);
  }
  // The API server's encryption keys: a secret map, stood in offline by a key of the right form
  // (32 zero bytes) under every name the stack lists, so the plan builds the config without a secret.
  const encryptionKey = `${CONFIG_NAMESPACE}:encryptionKeys`;
  const names = config[`${CONFIG_NAMESPACE}:encryptionKeyNames`];
  if (config[encryptionKey] === undefined && names !== undefined) {
    const standIn = Buffer.alloc(32).toString('base64');
    config[encryptionKey] = JSON.stringify(Object.fromEntries((JSON.parse(names) as string[]).map((n) => [n, standIn])));
    if (!placeholders.includes(encryptionKey)) placeholders.push(encryptionKey);
  }
  if (config[encryptionKey] !== undefined) secretKeys.push(encryptionKey);
  for (const name of SECRET_KEYS) {
    const key = `${CONFIG_NAMESPACE}:${name}`;
    if (config[key] !== undefined) {
      secretKeys.push(key);
      continue;
    }
    const required = name === 'registryPullSecret' && config[`${CONFIG_NAMESPACE}:registryPullSecretArn`] === undefined && stack !== 'bootstrap';
    if (!placeholders.includes(key) && !required) continue;
    config[key] = name === 'registryPullSecret' || name === 'ldapBindPassword' ? `<secret ${key}>` : JSON.stringify({ placeholder: `<secret ${key}>` });
    secretKeys.push(key);
    if (!placeholders.includes(key)) placeholders.push(key);
  }
  const keysOf = new Map<string, Set<string>>();
  for (const d of writtenByStack(declared)) keysOf.set(d.configKey, new Set([...(keysOf.get(d.configKey) ?? []), ...d.keys]));
  for (const [name, keys] of [...keysOf].sort(([a], [b]) => a.localeCompare(b))) {
    const key = `${CONFIG_NAMESPACE}:${name}`;
    secretKeys.push(key);
    if (config[key] !== undefined && !placeholders.includes(key)) continue;
    config[key] = JSON.stringify(Object.fromEntries([...keys].sort().map((k) => [k, `<secret ${key}.${k}>`])));
    if (!placeholders.includes(key)) placeholders.push(key);
  }
  return { config, secretKeys, placeholders: placeholders.sort() };
}

interface Recorded {
  type: string;
  name: string;
  parent: string | undefined;
  dependsOn: string[];
  provider: string | undefined;
  protect: boolean;
}

/**
 * The inputs as the plan records them: every secret value (the engine's wire form, an object
 * tagged with Pulumi's secret signature, pulumi `sdk/nodejs/runtime/rpc.ts`) replaced by
 * `[secret]`, so no plan, test or printout holds a secret's value.
 */
export function redactSecrets(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(redactSecrets);
  if (value === null || typeof value !== 'object') return value;
  const record = value as Record<string, unknown>;
  if (record[pulumi.runtime.specialSigKey] === pulumi.runtime.specialSecretSig) return '[secret]';
  return Object.fromEntries(Object.entries(record).map(([k, v]) => [k, redactSecrets(v)]));
}

async function resolve(value: unknown): Promise<unknown> {
  if (pulumi.Output.isInstance(value)) {
    const o = value as unknown as { isKnown: Promise<boolean>; isSecret: Promise<boolean>; promise(): Promise<unknown> };
    if (!(await o.isKnown)) return UNKNOWN;
    if (await o.isSecret) return '[secret]';
    return resolve(await o.promise());
  }
  if (Array.isArray(value)) return Promise.all(value.map(resolve));
  if (value !== null && typeof value === 'object' && !pulumi.Resource.isInstance(value)) {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) out[k] = await resolve(v);
    return out;
  }
  return value;
}

function asList<T>(value: unknown): T[] {
  if (value === undefined) return [];
  return (Array.isArray(value) ? value : [value]) as T[];
}

/** Plans one stack under mocks. Stacks may be planned one after another in the same process. */
export async function planStack(options: PlanOptions): Promise<StackPlan> {
  const { stack, clusters, environments } = options;
  const known = stackNames(clusters);
  if (!known.includes(stack)) {
    throw PlatformError.of({
      path: `stack ${stack}`, field: 'name', value: stack, rule: `names no stack of this program [${known.join(', ')}]`,
      fix: `plan one of them: npm run plan -- --stack ${known[1] ?? 'prod'}`,
    });
  }
  const written = options.config ?? readStackConfigFile(options.root ?? join(__dirname, '..'), stack);
  const { config, secretKeys, placeholders } = runtimeConfig(stack, written, declaredSecrets(stack, clusters));
  const accountId = config[`${CONFIG_NAMESPACE}:accountId`] ?? '111122223333';
  const region = config[`${CONFIG_NAMESPACE}:region`] ?? 'eu-west-1';

  const inputs = new Map<string, Record<string, unknown>>();
  await pulumi.runtime.setMocks({
    ...awsLikeMocks(accountId, region),
    newResource: (args) => {
      inputs.set(`${args.type}::${args.name}`, (options.keepSecretValues === true ? args.inputs : redactSecrets(args.inputs)) as Record<string, unknown>);
      return awsLikeMocks(accountId, region).newResource(args);
    },
  }, 'platform', stack, true);
  pulumi.runtime.setAllConfig(config, secretKeys);

  const ids = new Map<pulumi.Resource, string>();
  const recorded: Recorded[] = [];
  const stackId = `pulumi:pulumi:Stack::platform-${stack}`;
  const idOf = (r: unknown): string | undefined => (pulumi.Resource.isInstance(r) ? ids.get(r) ?? stackId : undefined);
  let outputs: object = {};
  let failure: unknown;
  await pulumi.runtime.runInPulumiStack(async () => {
    pulumi.runtime.registerStackTransformation((args) => {
      const id = `${args.type}::${args.name}`;
      ids.set(args.resource, id);
      const opts = args.opts as pulumi.CustomResourceOptions & pulumi.ComponentResourceOptions;
      const providers = opts.provider === undefined ? [] : [opts.provider];
      recorded.push({
        type: args.type,
        name: args.name,
        parent: idOf(opts.parent) ?? stackId,
        dependsOn: asList<pulumi.Resource>(opts.dependsOn).flatMap((d) => idOf(d) ?? []),
        provider: providers.map(idOf)[0],
        protect: opts.protect === true,
      });
      return undefined;
    });
    try {
      outputs = runProgram(stack, clusters, environments);
    } catch (e) {
      failure = e;
    }
    return outputs;
  });
  await pulumi.runtime.disconnect();
  if (failure !== undefined) throw failure;
  const resolvedOutputs = (await resolve(outputs)) as Record<string, unknown>;
  const resources: PlannedResource[] = [
    { id: stackId, type: 'pulumi:pulumi:Stack', name: `platform-${stack}`, parent: undefined, dependsOn: [], provider: undefined, inputs: {}, protect: false },
    ...recorded.map((r) => {
      const id = `${r.type}::${r.name}`;
      return { id, ...r, inputs: inputs.get(id) ?? {} };
    }),
  ];
  return { stack, resources, outputs: resolvedOutputs, secretPlaceholders: placeholders };
}

/** Renders a plan for people: the resource tree, the kops commands, counts per type and the outputs. */
export function formatPlan(plan: StackPlan): string {
  const children = new Map<string | undefined, PlannedResource[]>();
  for (const r of plan.resources) children.set(r.parent, [...(children.get(r.parent) ?? []), r]);
  const lines: string[] = [`Plan of stack ${plan.stack} (offline, Pulumi mocks): ${plan.resources.length} resources`, ''];
  const walk = (parent: string | undefined, depth: number): void => {
    for (const r of children.get(parent) ?? []) {
      const deps = r.dependsOn.length === 0 ? '' : `  after: ${r.dependsOn.map((d) => d.split('::')[1]).join(', ')}`;
      lines.push(`${'  '.repeat(depth)}${r.type}  ${r.name}${r.protect ? '  [protected]' : ''}${deps}`);
      walk(r.id, depth + 1);
    }
  };
  walk(undefined, 0);

  const commands = plan.resources.filter((r) => r.type === 'command:local:Command');
  if (commands.length > 0) {
    lines.push('', 'kops commands (run by @pulumi/command, in this order):');
    for (const c of commands) {
      const env = (c.inputs.environment ?? {}) as Record<string, unknown>;
      lines.push('', `# ${c.name}  (re-runs when triggers change: ${JSON.stringify(c.inputs.triggers ?? UNKNOWN)})`);
      for (const [k, v] of Object.entries(env)) lines.push(`export ${k}=${typeof v === 'string' ? v : UNKNOWN}`);
      // stdin carries the filled kops manifest (its size is shown), or a secret (the encryption config), which is not.
      if (typeof c.inputs.stdin === 'string') lines.push(`# stdin: the filled kops manifest (${c.inputs.stdin.length} bytes)`);
      else if (c.inputs.stdin !== undefined) lines.push('# stdin: a secret (not shown)');
      lines.push(String(c.inputs.create ?? UNKNOWN).trimEnd());
    }
  }

  const counts = new Map<string, number>();
  for (const r of plan.resources) counts.set(r.type, (counts.get(r.type) ?? 0) + 1);
  lines.push('', 'Resources per type:');
  for (const [type, n] of [...counts].sort((a, b) => a[0].localeCompare(b[0]))) lines.push(`  ${String(n).padStart(4)}  ${type}`);
  lines.push('', 'Outputs:');
  for (const [k, v] of Object.entries(plan.outputs)) lines.push(`  ${k}: ${JSON.stringify(v)}`);
  if (plan.secretPlaceholders.length > 0) lines.push('', `Secret config stood in by placeholders: ${plan.secretPlaceholders.join(', ')}`);
  return lines.join('\n');
}
