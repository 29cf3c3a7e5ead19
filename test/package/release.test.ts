import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';

// The release pipeline as GitHub Actions reads it (.github/workflows/release.yml). The rules it
// relies on are GitHub's and npm's, read from their documentation (nothing here runs GitHub):
// a job gets an OIDC token only with `id-token: write`, and one bound to an environment has the
// subject `repo:<owner>/<repo>:environment:<name>`; actions/attest-build-provenance needs
// `id-token: write` and `attestations: write` and signs the digest of the file at `subject-path`;
// `npm publish <tarball>` publishes that file's bytes, to the tarball's `publishConfig.registry`.

const ROOT = join(__dirname, '..', '..');
interface Step { readonly name?: string; readonly id?: string; readonly uses?: string; readonly run?: string; readonly with?: Record<string, unknown>; readonly env?: Record<string, string> }
interface Job { readonly needs?: string | string[]; readonly environment?: string; readonly permissions?: Record<string, string>; readonly steps: Step[] }
const text = readFileSync(join(ROOT, '.github', 'workflows', 'release.yml'), 'utf8');
const workflow = parse(text) as { on: { push: { tags: string[] } }; permissions: Record<string, string>; env: Record<string, string>; jobs: Record<string, Job> };
const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { name: string; publishConfig: { registry: string } };

const jobOf = (name: string): Job => {
  const job = workflow.jobs[name];
  if (job === undefined) throw new Error(`release.yml has no job ${name}`);
  return job;
};
const runs = (job: Job): string[] => job.steps.map((s) => s.run ?? '').filter((r) => r !== '');
const indexOf = (job: Job, pred: (s: Step) => boolean): number => job.steps.findIndex(pred);

describe('the release pipeline', () => {
  const test_ = jobOf('test');
  const publish = jobOf('publish');

  test('runs on a version tag only, with read-only repository access by default', () => {
    expect(Object.keys(workflow.on)).toEqual(['push']);
    expect(workflow.on.push.tags).toEqual(['v*']);
    expect(workflow.permissions).toEqual({ contents: 'read' });
  });

  test('refuses a tag that is not the package version, then runs the tests, the lint and verify', () => {
    const r = runs(test_);
    expect(r[0]).toContain('if [ "$GITHUB_REF_NAME" != "v$version" ]');
    expect(r.slice(-4)).toEqual(['npm ci --no-audit --no-fund', 'npm test -- --ci', 'npm run lint', 'npm run verify']);
    // the test job can mint no OIDC token: it runs every dependency's code
    expect(test_.permissions).toBeUndefined();
  });

  test('publishes only after the tests passed, from an environment, with exactly the permissions it needs', () => {
    expect([publish.needs].flat()).toEqual(['test']);
    expect(publish.environment).toBe('release');
    expect(publish.permissions).toEqual({ 'contents': 'read', 'id-token': 'write', 'attestations': 'write' });
  });

  test('installs without install scripts where the OIDC permission is, builds, and packs once', () => {
    const r = runs(publish);
    expect(r[0]).toBe('npm ci --no-audit --no-fund --ignore-scripts');
    expect(r[1]).toBe('npm run build');
    const pack = publish.steps.filter((s) => (s.run ?? '').includes('npm pack'));
    expect(pack).toHaveLength(1);
    expect(pack[0]?.id).toBe('pack');
    expect(pack[0]?.run).toContain('npm pack --ignore-scripts --pack-destination "$RUNNER_TEMP/release"');
    expect(pack[0]?.run).toContain('echo "tarball=$RUNNER_TEMP/release/$file" >> "$GITHUB_OUTPUT"');
  });

  test('attests the very tarball it publishes, before publishing it', () => {
    const attest = indexOf(publish, (s) => s.uses?.startsWith('actions/attest-build-provenance@') === true);
    const pub = indexOf(publish, (s) => (s.run ?? '').includes('npm publish'));
    expect(attest).toBeGreaterThan(indexOf(publish, (s) => s.id === 'pack'));
    expect(pub).toBeGreaterThan(attest);
    expect(publish.steps[attest]?.with).toEqual({ 'subject-path': '${{ steps.pack.outputs.tarball }}' });
    expect(publish.steps[pub]?.env).toEqual({ TARBALL: '${{ steps.pack.outputs.tarball }}' });
    expect(publish.steps[pub]?.run).toMatch(/\nnpm publish "\$TARBALL" --ignore-scripts\n?$/);
    // npm's --provenance is for public packages on npmjs: not used
    for (const job of Object.values(workflow.jobs)) for (const r of runs(job)) expect(r).not.toContain('--provenance');
  });

  test('authenticates with a role assumed from the OIDC token and a CodeArtifact token of this job, never a stored one', () => {
    const creds = publish.steps.find((s) => s.uses?.startsWith('aws-actions/configure-aws-credentials@'));
    expect(creds?.with).toEqual({ 'role-to-assume': 'arn:aws:iam::111122223333:role/platform-package-publisher', 'role-session-name': 'release-${{ github.run_id }}', 'aws-region': '${{ env.AWS_REGION }}' });
    expect(Object.keys(creds?.with ?? {})).not.toContain('aws-access-key-id');
    const pub = publish.steps.find((s) => (s.run ?? '').includes('npm publish'));
    expect(pub?.run).toContain('aws codeartifact get-authorization-token --domain "$CODEARTIFACT_DOMAIN" --domain-owner "$CODEARTIFACT_OWNER" --duration-seconds 900');
    expect(pub?.run).toContain('echo "::add-mask::$CODEARTIFACT_AUTH_TOKEN"');
    // the config holds the variable's name; npm reads the value from the environment
    expect(pub?.run).toContain(`'\${CODEARTIFACT_AUTH_TOKEN}'`);
    expect(text).not.toMatch(/secrets\.|NODE_AUTH_TOKEN|NPM_TOKEN|aws-secret-access-key|aws-access-key-id/);
  });

  test('publishes to the scope registry package.json names, never to the public registry', () => {
    expect(pkg.name).toBe('@example/platform-constructs');
    const url = new URL(pkg.publishConfig.registry);
    expect(url.host).toBe(`${workflow.env.CODEARTIFACT_DOMAIN}-${workflow.env.CODEARTIFACT_OWNER}.d.codeartifact.${workflow.env.AWS_REGION}.amazonaws.com`);
    expect(url.pathname).toBe('/npm/platform/');
    expect(text).not.toContain('registry.npmjs.org');
  });
});
