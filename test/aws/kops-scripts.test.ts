import { spawnSync } from 'node:child_process';
import { chmodSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as scripts from '../../lib/aws/kops-scripts';
import {
  APPLIED_MARKER, ETCD_SNAPSHOT_SCRIPT, KOPS_APPLY_SCRIPT, KOPS_ENCRYPTION_CONFIG_CREATE_SCRIPT, KOPS_ENCRYPTION_CONFIG_ROTATE_SCRIPT,
  KOPS_KUBECONFIG_SCRIPT, KOPS_ROLLING_UPDATE_SCRIPT, type KopsEnvironment,
} from '../../lib/aws/kops-scripts';

// A stand-in `kops`, first on PATH: it records each call (one argument per line, calls separated by
// a line `--`) and answers like kops 1.36 does: `version --short`, `get cluster` with
// STANDIN_CURRENT_VERSION (or "not found"), `get instancegroups -o yaml` with STANDIN_GROUPS,
// `get secrets encryptionconfig` (exit 1 "no secrets found" unless STANDIN_HAS_SECRET), copies the
// files given to `replace -f` and `create secret ... -f` aside, writes a kubeconfig for `export
// kubeconfig`, writes $KUBECONFIG on update/reconcile (as kops does unless told not to), and fails
// `validate` or `reconcile` with kops's message when asked to.
const STANDIN = `#!/bin/sh
log="$STANDIN_DIR/calls"
for a in "$@"; do printf '%s\\n' "$a" >> "$log"; done
printf -- '--\\n' >> "$log"
case "$1 $2" in
  "version --short") echo "\${STANDIN_KOPS_VERSION:-1.36.0}" ;;
  "get cluster")
    if [ -n "\${STANDIN_CURRENT_VERSION:-}" ]; then printf 'apiVersion: kops.k8s.io/v1alpha2\\nkind: Cluster\\nspec:\\n  kubernetesVersion: %s\\n' "$STANDIN_CURRENT_VERSION"; exit 0; fi
    echo "cluster not found" >&2; exit 1 ;;
  "get instancegroups")
    for g in \${STANDIN_GROUPS:-}; do printf -- '---\\napiVersion: kops.k8s.io/v1alpha2\\nkind: InstanceGroup\\nmetadata:\\n  name: %s\\nspec:\\n  role: Node\\n' "$g"; done ;;
  "get secrets")
    if [ -n "\${STANDIN_HAS_SECRET:-}" ]; then printf 'TYPE\\t\\tNAME\\nSecret\\t\\tencryptionconfig\\n'; exit 0; fi
    echo "Error: no secrets found" >&2; exit 1 ;;
  "create secret") while [ "$#" -gt 0 ]; do if [ "$1" = "-f" ]; then cp "$2" "$STANDIN_DIR/secret.yaml"; fi; shift; done ;;
  "replace --force") cp "$4" "$STANDIN_DIR/replaced.yaml" ;;
  "update cluster") echo 'kubeconfig written by update' > "\${KUBECONFIG:-$HOME/.kube/config}" ;;
  "reconcile cluster")
    echo 'kubeconfig written by reconcile' > "\${KUBECONFIG:-$HOME/.kube/config}"
    if [ -n "\${STANDIN_RECONCILE_FAILS:-}" ]; then echo "Error: waiting for kubernetes API to be served: timed out" >&2; exit 1; fi ;;
  "validate cluster")
    if [ -n "\${STANDIN_VALIDATE_FAILS:-}" ]; then echo "Error: validation failed: cluster not yet healthy: master-eu-west-1a not ready" >&2; exit 1; fi
    echo "Your cluster $KOPS_CLUSTER_NAME is ready" ;;
  "export kubeconfig")
    while [ "$#" -gt 0 ]; do if [ "$1" = "--kubeconfig" ]; then out="$2"; fi; shift; done
    printf 'apiVersion: v1\\nkind: Config\\nusers:\\n- name: prod.k8s.example.com\\n  user:\\n    exec:\\n      command: kops\\n      args: [helpers, kubectl-auth, --cluster=prod.k8s.example.com]\\n' > "$out"
    echo "kOps has set your kubectl context to prod.k8s.example.com" ;;
esac
exit 0
`;

// A stand-in `aws` for the snapshot step: describe-volumes answers STANDIN_VOLUMES (lines "vol-id name"),
// create-snapshot answers snap-<volume id>, wait succeeds; every call is recorded like kops's.
const AWS_STANDIN = `#!/bin/sh
log="$STANDIN_DIR/aws-calls"
for a in "$@"; do printf '%s\\n' "$a" >> "$log"; done
printf -- '--\\n' >> "$log"
case "$1 $2" in
  "ec2 describe-volumes") printf '%s' "\${STANDIN_VOLUMES:-}" | tr ';' '\\n' ;;
  "ec2 create-snapshot") while [ "$#" -gt 0 ]; do if [ "$1" = "--volume-id" ]; then echo "snap-$2"; fi; shift; done ;;
esac
exit 0
`;

const ENV: KopsEnvironment & { KOPS_INSTANCE_GROUPS: string } = {
  KOPS_STATE_STORE: 's3://111122223333-prod-kops-state',
  KOPS_CLUSTER_NAME: 'prod.k8s.example.com',
  AWS_REGION: 'eu-west-1',
  KUBERNETES_VERSION: '1.35.5',
  KOPS_VALIDATE_WAIT: '20m',
  KOPS_VERSION: '1.36.0',
  KOPS_INSTANCE_GROUPS: 'master-eu-west-1a,nodes',
};

let dir: string;

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'kops-standin-'));
  writeFileSync(join(dir, 'kops'), STANDIN);
  writeFileSync(join(dir, 'aws'), AWS_STANDIN);
  chmodSync(join(dir, 'kops'), 0o755);
  chmodSync(join(dir, 'aws'), 0o755);
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

/** Runs a script the way @pulumi/command does (`/bin/sh -c <script>`), with the stand-ins first on PATH and HOME in the scratch folder. */
function run(script: string, env: Record<string, string>, stdin = '') {
  const result = spawnSync('/bin/sh', ['-c', script], {
    input: stdin, encoding: 'utf8',
    env: { PATH: `${dir}:${process.env.PATH ?? ''}`, HOME: dir, STANDIN_DIR: dir, ...env },
  });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

/** The recorded calls, each as its argument list. */
function calls(file = 'calls'): string[][] {
  if (!existsSync(join(dir, file))) return [];
  const text = readFileSync(join(dir, file), 'utf8');
  return text.split('--\n').filter((c) => c !== '').map((c) => c.trimEnd().split('\n'));
}
const verbs = (): string[] => calls().map((c) => c.slice(0, 2).join(' '));

describe('the kops apply script, against a stand-in kops', () => {
  test('creates a new cluster: replace with the manifest from stdin, update without touching ~/.kube/config, then validate with the wait', () => {
    // GIVEN a manifest with characters a shell would interpret
    const manifest = "kind: Cluster\nmetadata:\n  name: prod.k8s.example.com\n  note: \"$(rm -rf /) `x` 'q'\"\n";
    // WHEN the script runs and the state store holds no cluster yet
    const result = run(KOPS_APPLY_SCRIPT, ENV, manifest);
    // THEN kops got exactly these calls, in order, and the manifest arrived byte for byte
    expect(result.status).toBe(0);
    expect(verbs()).toEqual(['version --short', 'get cluster', 'replace --force', 'update cluster', 'validate cluster', 'get instancegroups']);
    expect(calls()[3]).toEqual(['update', 'cluster', '--name', 'prod.k8s.example.com', '--yes', '--create-kube-config=false']);
    expect(calls()[4]).toEqual(['validate', 'cluster', '--name', 'prod.k8s.example.com', '--wait', '20m']);
    expect(readFileSync(join(dir, 'replaced.yaml'), 'utf8')).toBe(manifest);
    expect(existsSync(join(dir, '.kube', 'config'))).toBe(false);
    // and it reports the version it applied, for the next run
    expect(result.stdout).toBe(`${APPLIED_MARKER}1.35.5\n`);
  });

  test('runs reconcile instead of update when the version last applied differs', () => {
    // GIVEN the running cluster is on 1.34.2 and the definition says 1.35.5
    const result = run(KOPS_APPLY_SCRIPT, { ...ENV, STANDIN_CURRENT_VERSION: '1.34.2' }, 'kind: Cluster\n');
    // THEN replace, then reconcile (never update), then validate; ~/.kube/config stays untouched
    expect(result.status).toBe(0);
    expect(verbs().slice(2, 5)).toEqual(['replace --force', 'reconcile cluster', 'validate cluster']);
    expect(calls()[3]).toEqual(['reconcile', 'cluster', '--name', 'prod.k8s.example.com', '--yes']);
    expect(result.stderr).toContain('Kubernetes 1.34.2 -> 1.35.5: reconciling');
    expect(existsSync(join(dir, '.kube', 'config'))).toBe(false);
  });

  test('resumes an upgrade whose reconcile failed: the spec already says the new version, the last successful run did not', () => {
    // GIVEN a first run replaced the spec with 1.35.5 and failed in reconcile, so @pulumi/command
    // still holds the stdout of the run before it (1.34.2)
    const failed = run(KOPS_APPLY_SCRIPT, { ...ENV, STANDIN_CURRENT_VERSION: '1.34.2', STANDIN_RECONCILE_FAILS: '1' }, 'kind: Cluster\n');
    expect(failed.status).not.toBe(0);
    expect(failed.stdout).not.toContain(APPLIED_MARKER);
    // WHEN the next run finds 1.35.5 in the state store
    rmSync(join(dir, 'calls'));
    const again = run(KOPS_APPLY_SCRIPT, { ...ENV, STANDIN_CURRENT_VERSION: '1.35.5', PULUMI_COMMAND_STDOUT: `${APPLIED_MARKER}1.34.2\n` }, 'kind: Cluster\n');
    // THEN it reconciles again, rather than a plain update
    expect(again.status).toBe(0);
    expect(verbs()).toContain('reconcile cluster');
    expect(verbs()).not.toContain('update cluster');
    expect(again.stdout).toBe(`${APPLIED_MARKER}1.35.5\n`);
  });

  test('runs update, not reconcile, when the version is unchanged, and never rolls nodes', () => {
    run(KOPS_APPLY_SCRIPT, { ...ENV, STANDIN_CURRENT_VERSION: '1.35.5', PULUMI_COMMAND_STDOUT: `${APPLIED_MARKER}1.35.5\n` }, 'kind: Cluster\n');
    expect(verbs()).toContain('update cluster');
    expect(verbs()).not.toContain('reconcile cluster');
    expect(calls().map((c) => c[0])).not.toContain('rolling-update');
  });

  test('deletes the instance groups kops has that the definition no longer lists, then validates again', () => {
    // GIVEN kops holds a group `old-spot` the definition dropped
    const result = run(KOPS_APPLY_SCRIPT, { ...ENV, STANDIN_GROUPS: 'master-eu-west-1a nodes old-spot' }, 'kind: Cluster\n');
    // THEN exactly that group is deleted, after the first validate, and the cluster is validated again
    expect(result.status).toBe(0);
    expect(verbs().slice(4)).toEqual(['validate cluster', 'get instancegroups', 'delete instancegroup', 'validate cluster']);
    expect(calls()[6]).toEqual(['delete', 'instancegroup', 'old-spot', '--name', 'prod.k8s.example.com', '--yes']);
    expect(result.stderr).toContain('instance group old-spot is not in the definition: deleting it');
  });

  test('refuses to run with no instance group listed, rather than deleting every group', () => {
    const result = run(KOPS_APPLY_SCRIPT, { ...ENV, KOPS_INSTANCE_GROUPS: '', STANDIN_GROUPS: 'nodes' }, 'kind: Cluster\n');
    expect(result.status).toBe(2);
    expect(verbs()).not.toContain('delete instancegroup');
  });

  test('fails with the pinned version named when kops on PATH is another release', () => {
    const result = run(KOPS_APPLY_SCRIPT, { ...ENV, STANDIN_KOPS_VERSION: '1.35.2' }, 'kind: Cluster\n');
    expect(result.status).toBe(3);
    expect(result.stderr).toContain('kops on PATH is 1.35.2; this stack pins kops 1.36.0 (install it, or change kopsVersion)');
    expect(verbs()).toEqual(['version --short']);
  });

  test('fails the step with kops\'s message when validate fails', () => {
    const result = run(KOPS_APPLY_SCRIPT, { ...ENV, STANDIN_VALIDATE_FAILS: '1' }, 'kind: Cluster\n');
    expect(result.status).not.toBe(0);
    expect(result.stderr).toContain('Error: validation failed: cluster not yet healthy: master-eu-west-1a not ready');
  });
});

describe('the encryptionconfig steps (kops upup/pkg/fi/cloudup/apply_cluster.go needs the secret before the first update)', () => {
  const CONFIG = 'apiVersion: apiserver.config.k8s.io/v1\nkind: EncryptionConfiguration\nresources: []\n';
  const SECRET_LOOKING = 'c2VjcmV0LWtleS1tYXRlcmlhbC0xMjM0NTY3ODkwMTI=';
  const env = { ...ENV, ENCRYPTION_KEY_NAMES: 'key-1' };

  test('creates the secret from stdin when kops has none, and prints no key material', () => {
    const result = run(KOPS_ENCRYPTION_CONFIG_CREATE_SCRIPT, env, `${CONFIG}# ${SECRET_LOOKING}\n`);
    expect(result.status).toBe(0);
    expect(calls()[2]).toEqual(['create', 'secret', 'encryptionconfig', '--name', 'prod.k8s.example.com', '-f', expect.stringMatching(/encryptionconfig\.yaml$/)]);
    expect(readFileSync(join(dir, 'secret.yaml'), 'utf8')).toContain(SECRET_LOOKING);
    expect(`${result.stdout}${result.stderr}`).not.toContain(SECRET_LOOKING);
    expect(result.stdout).toBe('encryption keys: key-1\n');
  });

  test('keeps an existing secret on create: never overwrites it', () => {
    const result = run(KOPS_ENCRYPTION_CONFIG_CREATE_SCRIPT, { ...env, STANDIN_HAS_SECRET: '1' }, CONFIG);
    expect(result.status).toBe(0);
    expect(verbs()).toEqual(['version --short', 'get secrets']);
    expect(result.stderr).toContain('kops already holds an encryptionconfig secret: kept');
  });

  test('rotates with --force only on update, which runs when the key names change', () => {
    const result = run(KOPS_ENCRYPTION_CONFIG_ROTATE_SCRIPT, { ...env, ENCRYPTION_KEY_NAMES: 'key-2,key-1', STANDIN_HAS_SECRET: '1' }, CONFIG);
    expect(result.status).toBe(0);
    expect(calls()[1]).toEqual(['create', 'secret', 'encryptionconfig', '--name', 'prod.k8s.example.com', '-f', expect.stringMatching(/encryptionconfig\.yaml$/), '--force']);
  });
});

describe('the etcd snapshot step', () => {
  const env = { ...ENV, ETCD_VOLUME_NAMES: 'a.etcd-main.prod.k8s.example.com,a.etcd-events.prod.k8s.example.com', SNAPSHOT_REASON: 'kubernetes-1.35.5-etcd-0123456789ab' };

  test('snapshots every etcd volume by its Name tag, tags each snapshot for a restore, and waits for them all', () => {
    const result = run(ETCD_SNAPSHOT_SCRIPT, { ...env, STANDIN_VOLUMES: 'vol-1 a.etcd-main.prod.k8s.example.com;vol-2 a.etcd-events.prod.k8s.example.com' });
    expect(result.status).toBe(0);
    const aws = calls('aws-calls');
    expect(aws.map((c) => c.slice(0, 2).join(' '))).toEqual(['ec2 describe-volumes', 'ec2 create-snapshot', 'ec2 create-snapshot', 'ec2 wait']);
    expect(aws[0]).toContain('Name=tag:Name,Values=a.etcd-main.prod.k8s.example.com,a.etcd-events.prod.k8s.example.com');
    expect(aws[1]).toContain('vol-1');
    const tags = aws[1]?.[aws[1].indexOf('--tag-specifications') + 1];
    expect(tags).toBe('ResourceType=snapshot,Tags=[{Key=platform.example.com/snapshot,Value=before-change},{Key=KubernetesCluster,Value=prod.k8s.example.com},{Key=Name,Value=a.etcd-main.prod.k8s.example.com},{Key=platform.example.com/reason,Value=kubernetes-1.35.5-etcd-0123456789ab}]');
    expect(aws[3]).toEqual(['ec2', 'wait', 'snapshot-completed', '--region', 'eu-west-1', '--snapshot-ids', 'snap-vol-1', 'snap-vol-2']);
    expect(result.stdout).toBe('etcd snapshots: snap-vol-1 snap-vol-2\n');
  });

  test('has nothing to do on a cluster whose etcd volumes do not exist yet', () => {
    const result = run(ETCD_SNAPSHOT_SCRIPT, env);
    expect(result.status).toBe(0);
    expect(calls('aws-calls').map((c) => c[1])).toEqual(['describe-volumes']);
    expect(result.stderr).toContain('no etcd volume of prod.k8s.example.com exists yet: nothing to snapshot');
  });
});

describe('the kops rolling-update script', () => {
  test('rolls exactly the listed instance groups, each as its own flag', () => {
    const result = run(KOPS_ROLLING_UPDATE_SCRIPT, { ...ENV, KOPS_INSTANCE_GROUPS: 'nodes-on-demand,front' });
    expect(result.status).toBe(0);
    expect(calls().slice(1)).toEqual([['rolling-update', 'cluster', '--name', 'prod.k8s.example.com', '--yes', '--instance-group', 'nodes-on-demand', '--instance-group', 'front']]);
  });

  test('refuses to run with no group, rather than rolling the whole cluster', () => {
    const result = run(KOPS_ROLLING_UPDATE_SCRIPT, { ...ENV, KOPS_INSTANCE_GROUPS: '' });
    expect(result.status).toBe(2);
    expect(result.stderr).toContain('KOPS_INSTANCE_GROUPS names no instance group');
  });
});

describe('the kubeconfig script', () => {
  test('exports a kubeconfig through the auth plugin (no embedded admin credential) and prints only the kubeconfig', () => {
    const result = run(KOPS_KUBECONFIG_SCRIPT, ENV);
    expect(result.status).toBe(0);
    const call = calls()[1];
    expect(call?.slice(0, 5)).toEqual(['export', 'kubeconfig', '--name', 'prod.k8s.example.com', '--auth-plugin']);
    expect(call).not.toContain('--admin');
    expect(result.stdout).toMatch(/^apiVersion: v1\nkind: Config\n/);
    expect(result.stdout).toContain('args: [helpers, kubectl-auth, --cluster=prod.k8s.example.com]');
    expect(result.stdout).not.toContain('kOps has set your kubectl context');
  });
});

describe('shellcheck over every script the kops driver generates', () => {
  const generated = Object.entries(scripts as Record<string, unknown>).filter((e): e is [string, string] => e[0].endsWith('_SCRIPT') && typeof e[1] === 'string');

  test('the driver generates the scripts checked here', () => {
    expect(generated.map(([name]) => name).sort()).toEqual([
      'ETCD_SNAPSHOT_SCRIPT', 'KOPS_APPLY_SCRIPT', 'KOPS_DELETE_SCRIPT', 'KOPS_ENCRYPTION_CONFIG_CREATE_SCRIPT', 'KOPS_ENCRYPTION_CONFIG_ROTATE_SCRIPT',
      'KOPS_KUBECONFIG_SCRIPT', 'KOPS_ROLLING_UPDATE_SCRIPT',
    ]);
  });

  // @pulumi/command runs them with /bin/sh -c: checked as POSIX sh, every severity.
  test.each(generated)('%s passes shellcheck -s sh', (_name, script) => {
    const result = spawnSync('shellcheck', ['--shell=sh', '--severity=style', '-'], { input: script, encoding: 'utf8' });
    expect(result.error).toBeUndefined();
    expect(result.stdout).toBe('');
    expect(result.status).toBe(0);
  });

  test('shellcheck finds a defect when there is one', () => {
    const result = spawnSync('shellcheck', ['--shell=sh', '-'], { input: 'rm -rf $work/cluster\n', encoding: 'utf8' });
    expect(result.status).not.toBe(0);
    expect(result.stdout).toContain('SC2086');
  });
});
