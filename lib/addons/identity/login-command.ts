#!/usr/bin/env node
// `platform-constructs login`: writes or merges a kubeconfig context for one cluster, signing in
// through kubelogin against the cluster's OIDC client. Reads the cluster's published descriptor
// (`--descriptor <file|url>`) or, inside the platform repo, `--cluster <name>`
// (dist/<name>/cluster-descriptor.json, written by synth).
import { existsSync, mkdirSync, readFileSync, readdirSync, renameSync, writeFileSync } from 'node:fs';
import { delimiter, dirname, join } from 'node:path';
import { PlatformError } from '../../core';
import { CLUSTER_DESCRIPTOR_FILE, mergeKubeconfig, parseDescriptor, type ClusterDescriptor, type TokenCache } from './kubeconfig';

/** The file `--cluster <name>` reads, under the repo's synth output. */
export function descriptorPath(outdir: string, cluster: string): string {
  return join(outdir, cluster, CLUSTER_DESCRIPTOR_FILE);
}

/** What the command reads from its surroundings, passed in once so tests can set it. */
export interface LoginEnvironment {
  /** `KUBECONFIG`, when set. */
  readonly kubeconfigEnv: string | undefined;
  readonly home: string;
  readonly cwd: string;
  /** The default token cache for this OS (the keyring where one is commonly available). */
  readonly defaultTokenCache: TokenCache;
  readonly fetchText: (url: string) => Promise<string>;
  readonly out: (line: string) => void;
}

interface Args {
  readonly descriptor?: string;
  readonly cluster?: string;
  readonly kubeconfig?: string;
  readonly tokenCache?: TokenCache;
  readonly useContext: boolean;
}

const USAGE = 'usage: platform-constructs login (--descriptor <file|https-url> | --cluster <name>) [--kubeconfig <file>] [--token-cache keyring|disk] [--no-use-context]';

function usage(rule: string, value?: unknown): PlatformError {
  return PlatformError.of({ path: 'login', field: 'arguments', rule, ...(value === undefined ? {} : { value }), fix: USAGE });
}

function parseArgs(argv: readonly string[]): Args {
  const rest = argv[0] === 'login' ? argv.slice(1) : [...argv];
  const out: Record<string, string | boolean> = { useContext: true };
  for (let i = 0; i < rest.length; i += 1) {
    const a = rest[i] as string;
    const flag = { '--descriptor': 'descriptor', '--cluster': 'cluster', '--kubeconfig': 'kubeconfig', '--token-cache': 'tokenCache' }[a];
    if (a === '--no-use-context') out.useContext = false;
    else if (flag !== undefined && rest[i + 1] !== undefined) out[flag] = rest[(i += 1)] as string;
    else throw usage('has an unknown or incomplete option', a);
  }
  if ((out.descriptor === undefined) === (out.cluster === undefined)) throw usage('must give exactly one of --descriptor and --cluster');
  if (out.tokenCache !== undefined && out.tokenCache !== 'keyring' && out.tokenCache !== 'disk') throw usage('has a --token-cache that is not keyring or disk', out.tokenCache);
  return out as unknown as Args;
}

function parseJson(text: string, source: string): unknown {
  try {
    return JSON.parse(text);
  } catch (e) {
    throw PlatformError.of({ path: `descriptor ${source}`, field: '(file)', rule: `is not JSON (${(e as Error).message})`, fix: 'use the descriptor the platform publishes for the cluster' });
  }
}

async function readDescriptor(args: Args, env: LoginEnvironment): Promise<ClusterDescriptor> {
  if (args.cluster !== undefined) {
    const outdir = join(env.cwd, 'dist');
    const file = descriptorPath(outdir, args.cluster);
    if (!existsSync(file)) {
      const known = existsSync(outdir) ? readdirSync(outdir).filter((d) => existsSync(descriptorPath(outdir, d))).sort() : [];
      throw PlatformError.of({
        path: 'login', field: '--cluster', value: args.cluster, rule: `is not a cluster with a descriptor under ${outdir} (known: ${known.length === 0 ? 'none' : known.join(', ')})`,
        fix: 'run `npm run synth` first, or pass --descriptor with the file or URL the platform publishes',
      });
    }
    const d = parseDescriptor(parseJson(readFileSync(file, 'utf8'), file), file);
    if (d.cluster !== args.cluster) {
      throw PlatformError.of({ path: `descriptor ${file}`, field: 'cluster', value: d.cluster, rule: `is not ${args.cluster}`, fix: 'run `npm run synth` again' });
    }
    return d;
  }
  const source = args.descriptor as string;
  if (/^[a-z]+:\/\//.test(source)) {
    if (!source.startsWith('https://')) throw usage('has a --descriptor URL that is not https', source);
    return parseDescriptor(parseJson(await env.fetchText(source), source), source);
  }
  if (!existsSync(source)) throw usage('names a --descriptor file that does not exist', source);
  return parseDescriptor(parseJson(readFileSync(source, 'utf8'), source), source);
}

/** The kubeconfig file written: `--kubeconfig`, else the first file of `KUBECONFIG` (as kubectl writes), else ~/.kube/config. */
export function kubeconfigPath(explicit: string | undefined, env: Pick<LoginEnvironment, 'kubeconfigEnv' | 'home'>): string {
  if (explicit !== undefined) return explicit;
  const first = (env.kubeconfigEnv ?? '').split(delimiter).find((p) => p !== '');
  return first ?? join(env.home, '.kube', 'config');
}

/**
 * Runs the command. Everything is checked (arguments, descriptor, the existing file) before the
 * file is touched; the file is replaced atomically with mode 0600, and not at all when its
 * content would not change.
 */
export async function runLogin(argv: readonly string[], env: LoginEnvironment): Promise<void> {
  const args = parseArgs(argv);
  const descriptor = await readDescriptor(args, env);
  const path = kubeconfigPath(args.kubeconfig, env);
  const before = existsSync(path) ? readFileSync(path, 'utf8') : undefined;
  const after = mergeKubeconfig(before, descriptor, { tokenCache: args.tokenCache ?? env.defaultTokenCache, useContext: args.useContext });
  if (after === before) {
    env.out(`${path}: context ${descriptor.cluster} is up to date`);
    return;
  }
  mkdirSync(dirname(path), { recursive: true, mode: 0o700 });
  const temp = `${path}.${process.pid}.tmp`;
  writeFileSync(temp, after, { mode: 0o600 });
  renameSync(temp, path);
  env.out(`${path}: context ${descriptor.cluster} written (sign-in through ${descriptor.oidc.issuerUrl} on first use)`);
}

/** The login command as a process runs it: this machine's environment; a failure is one line and exit code 1. */
export async function loginMain(argv: readonly string[]): Promise<number> {
  const env: LoginEnvironment = {
    kubeconfigEnv: process.env.KUBECONFIG,
    home: process.env.HOME ?? process.env.USERPROFILE ?? '.',
    cwd: process.cwd(),
    defaultTokenCache: process.platform === 'darwin' || process.platform === 'win32' ? 'keyring' : 'disk',
    fetchText: async (url) => {
      const res = await fetch(url);
      if (!res.ok) throw PlatformError.of({ path: 'login', field: '--descriptor', value: url, rule: `answered HTTP ${res.status}`, fix: 'check the descriptor URL' });
      return res.text();
    },
    out: (line) => process.stdout.write(`${line}\n`),
  };
  try {
    await runLogin(argv, env);
    return 0;
  } catch (e: unknown) {
    process.stderr.write(`${e instanceof Error ? e.message : String(e)}\n`);
    return 1;
  }
}

if (require.main === module) {
  void loginMain(process.argv.slice(2)).then((code) => { process.exitCode = code; });
}
