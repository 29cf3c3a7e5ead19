import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { PlatformError } from '../../core';
import { GATE_DESCRIPTOR_FILE, parseGateDescriptor } from './gate-descriptor';
import { runGate, type GateOverride } from './gate';

/** Where `--cluster <name>` finds its descriptor: next to the cluster's manifests. */
export function clusterDescriptorPath(cluster: string): string {
  return join('dist', cluster, GATE_DESCRIPTOR_FILE);
}

export const GATE_USAGE = `usage: platform-constructs gate (--descriptor <file> | --cluster <name>) --service <name>
         [--prometheus <url>] [--timeout-seconds <n>]
         [--override-by <who> --override-reason <why>]
exit codes: 0 release, 1 fix-only (budget spent or page-level burn), 2 cannot tell`;

/** Parsed arguments of the gate command. */
interface GateArgs {
  readonly descriptor: string;
  readonly service: string;
  readonly prometheus?: string;
  readonly timeoutMs?: number;
  readonly override?: GateOverride;
}

function usageError(message: string): PlatformError {
  return PlatformError.of({ path: 'gate', field: 'arguments', rule: message, fix: GATE_USAGE });
}

function parseArgs(argv: readonly string[]): GateArgs {
  const flags = new Map<string, string>();
  for (let i = 0; i < argv.length; i += 2) {
    const flag = argv[i] ?? '';
    const value = argv[i + 1];
    if (!flag.startsWith('--') || value === undefined || value.startsWith('--')) throw usageError(`expects --flag value pairs (got ${JSON.stringify(flag)})`);
    flags.set(flag.slice(2), value);
  }
  const known = ['descriptor', 'cluster', 'service', 'prometheus', 'timeout-seconds', 'override-by', 'override-reason'];
  const unknown = [...flags.keys()].filter((k) => !known.includes(k));
  if (unknown.length > 0) throw usageError(`knows no flag --${unknown.join(', --')}`);
  const descriptor = flags.get('descriptor') ?? (flags.has('cluster') ? clusterDescriptorPath(flags.get('cluster') ?? '') : undefined);
  if (descriptor === undefined || (flags.has('descriptor') && flags.has('cluster'))) throw usageError('needs exactly one of --descriptor and --cluster');
  const service = flags.get('service');
  if (service === undefined) throw usageError('needs --service');
  const by = flags.get('override-by');
  const reason = flags.get('override-reason');
  if ((by === undefined) !== (reason === undefined)) throw usageError('an override needs both --override-by and --override-reason');
  if (reason !== undefined && reason.trim().length < 10) throw usageError('--override-reason must say why in a sentence (10 characters or more)');
  const timeout = flags.get('timeout-seconds');
  const timeoutMs = timeout === undefined ? undefined : Number(timeout) * 1000;
  if (timeoutMs !== undefined && !(Number.isFinite(timeoutMs) && timeoutMs > 0 && timeoutMs <= 120_000)) throw usageError('--timeout-seconds must be a number of seconds from 1 to 120');
  return {
    descriptor, service,
    ...(flags.has('prometheus') ? { prometheus: flags.get('prometheus') ?? '' } : {}),
    ...(timeoutMs === undefined ? {} : { timeoutMs }),
    ...(by === undefined || reason === undefined ? {} : { override: { by, reason } }),
  };
}

/**
 * The `gate` command: prints the verdict and the numbers, and returns the exit code. Bad
 * arguments or an unreadable descriptor are "cannot tell" (2), never a pass.
 */
export async function gateMain(argv: readonly string[], env: Readonly<Record<string, string | undefined>>, print: (line: string) => void): Promise<number> {
  let args: GateArgs;
  let text: string;
  try {
    args = parseArgs(argv);
    try {
      text = readFileSync(args.descriptor, 'utf8');
    } catch (e) {
      throw PlatformError.of({ path: 'gate', field: 'descriptor', value: args.descriptor, rule: `cannot be read (${(e as NodeJS.ErrnoException).code ?? 'error'})`, fix: 'run npm run synth first, or pass --descriptor <file>' });
    }
    const descriptor = parseGateDescriptor(args.descriptor, text);
    const result = await runGate({
      descriptor, service: args.service, env,
      ...(args.prometheus === undefined ? {} : { prometheusUrl: args.prometheus }),
      ...(args.timeoutMs === undefined ? {} : { timeoutMs: args.timeoutMs }),
      ...(args.override === undefined ? {} : { override: args.override }),
    });
    for (const line of result.lines) print(line);
    if (result.overridden && args.override !== undefined) {
      print(`gate-audit ${JSON.stringify({ cluster: descriptor.cluster, service: args.service, verdict: result.verdict, overriddenBy: args.override.by, reason: args.override.reason })}`);
    }
    return result.exitCode;
  } catch (e) {
    if (!(e instanceof PlatformError)) throw e;
    print(`UNKNOWN: cannot tell — ${e.message}`);
    return 2;
  }
}
