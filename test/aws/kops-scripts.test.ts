import { spawnSync } from 'node:child_process';
import { chmodSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { KOPS_APPLY_SCRIPT, KOPS_KUBECONFIG_SCRIPT, KOPS_ROLLING_UPDATE_SCRIPT, type KopsEnvironment } from '../../lib/aws/kops-scripts';

// A stand-in `kops`, first on PATH: it records each call (one argument per line, calls separated by
// a line `--`), answers `get cluster` with STANDIN_CURRENT_VERSION (or "not found"), copies the file
// given to `replace -f` aside, writes a kubeconfig for `export kubeconfig`, and fails `validate`
// with kops's own message when STANDIN_VALIDATE_FAILS is set.
const STANDIN = `#!/bin/sh
log="$STANDIN_DIR/calls"
for a in "$@"; do printf '%s\\n' "$a" >> "$log"; done
printf -- '--\\n' >> "$log"
case "$1 $2" in
  "get cluster")
    if [ -n "\${STANDIN_CURRENT_VERSION:-}" ]; then printf 'apiVersion: kops.k8s.io/v1alpha2\\nkind: Cluster\\nspec:\\n  kubernetesVersion: %s\\n' "$STANDIN_CURRENT_VERSION"; exit 0; fi
    echo "cluster not found" >&2; exit 1 ;;
  "replace --force") cp "$4" "$STANDIN_DIR/replaced.yaml" ;;
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

const ENV: KopsEnvironment = {
  KOPS_STATE_STORE: 's3://111122223333-prod-kops-state',
  KOPS_CLUSTER_NAME: 'prod.k8s.example.com',
  AWS_REGION: 'eu-west-1',
  KUBERNETES_VERSION: '1.35.5',
  KOPS_VALIDATE_WAIT: '20m',
};

let dir: string;

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'kops-standin-'));
  writeFileSync(join(dir, 'kops'), STANDIN);
  chmodSync(join(dir, 'kops'), 0o755);
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

/** Runs a script the way @pulumi/command does (`/bin/sh -c <script>`), with the stand-in first on PATH. */
function run(script: string, env: Record<string, string>, stdin = '') {
  const result = spawnSync('/bin/sh', ['-c', script], {
    input: stdin, encoding: 'utf8',
    env: { PATH: `${dir}:${process.env.PATH ?? ''}`, STANDIN_DIR: dir, ...env },
  });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

/** The recorded kops calls, each as its argument list. */
function calls(): string[][] {
  const text = readFileSync(join(dir, 'calls'), 'utf8');
  return text.split('--\n').filter((c) => c !== '').map((c) => c.trimEnd().split('\n'));
}

describe('the kops apply script, against a stand-in kops', () => {
  test('creates a new cluster: replace with the manifest from stdin, update, then validate with the wait', () => {
    // GIVEN a manifest with characters a shell would interpret
    const manifest = "kind: Cluster\nmetadata:\n  name: prod.k8s.example.com\n  note: \"$(rm -rf /) `x` 'q'\"\n";
    // WHEN the script runs and the state store holds no cluster yet
    const result = run(KOPS_APPLY_SCRIPT, ENV, manifest);
    // THEN kops got exactly these calls, in order, and the manifest arrived byte for byte
    expect(result.status).toBe(0);
    const [get, replace, update, validate] = calls();
    expect(get).toEqual(['get', 'cluster', '--name', 'prod.k8s.example.com', '-o', 'yaml']);
    expect(replace?.slice(0, 3)).toEqual(['replace', '--force', '-f']);
    expect(update).toEqual(['update', 'cluster', '--name', 'prod.k8s.example.com', '--yes']);
    expect(validate).toEqual(['validate', 'cluster', '--name', 'prod.k8s.example.com', '--wait', '20m']);
    expect(calls()).toHaveLength(4);
    expect(readFileSync(join(dir, 'replaced.yaml'), 'utf8')).toBe(manifest);
    expect(result.stderr).toContain('+ kops update cluster --name prod.k8s.example.com --yes');
  });

  test('runs reconcile instead of update when the state store holds another Kubernetes version', () => {
    // GIVEN the running cluster is on 1.34.2 and the definition says 1.35.5
    const result = run(KOPS_APPLY_SCRIPT, { ...ENV, STANDIN_CURRENT_VERSION: '1.34.2' }, 'kind: Cluster\n');
    // THEN replace, then reconcile (never update), then validate
    expect(result.status).toBe(0);
    expect(calls().slice(1).map((c) => c.slice(0, 2).join(' '))).toEqual(['replace --force', 'reconcile cluster', 'validate cluster']);
    expect(calls()[2]).toEqual(['reconcile', 'cluster', '--name', 'prod.k8s.example.com', '--yes']);
    expect(result.stderr).toContain('Kubernetes 1.34.2 -> 1.35.5: reconciling');
  });

  test('runs update, not reconcile, when the version is unchanged, and never rolls nodes', () => {
    run(KOPS_APPLY_SCRIPT, { ...ENV, STANDIN_CURRENT_VERSION: '1.35.5' }, 'kind: Cluster\n');
    const verbs = calls().map((c) => c[0]);
    expect(verbs).toEqual(['get', 'replace', 'update', 'validate']);
    expect(verbs).not.toContain('rolling-update');
  });

  test('fails the step with kops\'s message when validate fails', () => {
    // WHEN validate reports an unhealthy cluster
    const result = run(KOPS_APPLY_SCRIPT, { ...ENV, STANDIN_VALIDATE_FAILS: '1' }, 'kind: Cluster\n');
    // THEN the script exits non-zero and its stderr carries kops's own error
    expect(result.status).not.toBe(0);
    expect(result.stderr).toContain('Error: validation failed: cluster not yet healthy: master-eu-west-1a not ready');
  });
});

describe('the kops rolling-update script', () => {
  test('rolls exactly the listed instance groups, each as its own flag', () => {
    const result = run(KOPS_ROLLING_UPDATE_SCRIPT, { ...ENV, KOPS_INSTANCE_GROUPS: 'nodes-on-demand,front' });
    expect(result.status).toBe(0);
    expect(calls()).toEqual([['rolling-update', 'cluster', '--name', 'prod.k8s.example.com', '--yes', '--instance-group', 'nodes-on-demand', '--instance-group', 'front']]);
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
    const [call] = calls();
    expect(call?.slice(0, 5)).toEqual(['export', 'kubeconfig', '--name', 'prod.k8s.example.com', '--auth-plugin']);
    expect(call).not.toContain('--admin');
    expect(result.stdout).toMatch(/^apiVersion: v1\nkind: Config\n/);
    expect(result.stdout).toContain('args: [helpers, kubectl-auth, --cluster=prod.k8s.example.com]');
    expect(result.stdout).not.toContain('kOps has set your kubectl context');
  });
});
