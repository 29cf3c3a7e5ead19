// What a stack's config file says, read without the Pulumi runtime: `npm run synth` (clusters/synth.ts)
// reads here the stack settings that shape the synthesized files, so dist/ is what the stack
// deploys; the Pulumi program (stacks/) reads its config files through here too.
import { existsSync, readFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { parseDocument } from 'yaml';
import { type ClusterDefinition, PlatformError, formatProblem } from '../lib';

/**
 * Parses a stack's config file (`Pulumi.<stack>.yaml`), or fails with one problem per YAML error,
 * each naming the file, its line and column, and what the parser saw there.
 */
export function parseConfigYaml(text: string, file: string, stack: string): { config?: Record<string, unknown> } | null {
  const doc = parseDocument(text);
  if (doc.errors.length > 0) {
    throw new PlatformError(doc.errors.map((e) => {
      const at = e.linePos?.[0];
      return formatProblem({
        path: `stack ${stack}`, field: `${basename(file)}${at === undefined ? '' : ` line ${at.line}, column ${at.col}`}`,
        rule: `is not valid YAML: ${(e.message.split('\n')[0] ?? '').replace(/ at line \d+, column \d+:?$/, '')}`,
        fix: `correct ${file} there (indentation, a missing ':' or an unclosed quote), or restore it from git`,
      });
    }));
  }
  const value: unknown = doc.toJS();
  if (value !== null && (typeof value !== 'object' || Array.isArray(value))) {
    throw PlatformError.of({ path: `stack ${stack}`, field: basename(file), value: Array.isArray(value) ? 'a list' : value, rule: 'is not a YAML mapping', fix: 'write the config as a mapping: config: { platform:region: eu-west-1, ... }' });
  }
  return value as { config?: Record<string, unknown> } | null;
}

/** Reads the `config:` map of Pulumi.<stack>.yaml, or fails naming the file. */
export function readStackConfigFile(root: string, stack: string): Record<string, unknown> {
  const file = join(root, `Pulumi.${stack}.yaml`);
  if (!existsSync(file)) {
    throw PlatformError.of({ path: `stack ${stack}`, field: 'config file', value: file, rule: 'does not exist', fix: `create Pulumi.${stack}.yaml with the stack's config` });
  }
  const doc = parseConfigYaml(readFileSync(file, 'utf8'), file, stack);
  return doc?.config ?? {};
}

/** The definition with the stack's etcd backup retention (etcd-manager's `backupRetentionDays`); a definition that sets another value is refused. */
export function withStackEtcdRetention(def: ClusterDefinition, days: number): ClusterDefinition {
  const own = def.kubernetes.etcd?.backupRetentionDays;
  if (own !== undefined && own !== days) {
    throw PlatformError.of({
      path: `stack ${def.name}`, field: 'kubernetes.etcd.backupRetentionDays', value: own, rule: `differs from the stack's platform:etcdBackupRetentionDays ${days}`,
      fix: `drop it from clusters/${def.name}.ts: the stack's setting is the one place retention is set`,
    });
  }
  return { ...def, kubernetes: { ...def.kubernetes, etcd: { ...def.kubernetes.etcd, backupRetentionDays: days } } };
}

/**
 * The definition as its stack deploys it, from the stack's file in `root`: today the etcd backup
 * retention (`platform:etcdBackupRetentionDays`), which is in the kops manifest. `npm run synth`
 * builds from this, the program from the same setting read through Pulumi config.
 */
export function definitionAsDeployed(def: ClusterDefinition, root: string): ClusterDefinition {
  const written = readStackConfigFile(root, def.name)['platform:etcdBackupRetentionDays'];
  const days = typeof written === 'number' ? written : Number(written);
  if (written === undefined || !Number.isInteger(days) || days < 1) {
    throw PlatformError.of({
      path: `stack ${def.name}`, field: 'config platform:etcdBackupRetentionDays', value: written ?? '(not set)', rule: 'must be a whole number >= 1',
      fix: `set it in Pulumi.${def.name}.yaml: the days etcd-manager keeps backups (pulumi config set platform:etcdBackupRetentionDays 90 -s ${def.name})`,
    });
  }
  return withStackEtcdRetention(def, days);
}
