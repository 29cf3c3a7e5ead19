import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { clusters } from '../../clusters';
import { API_ACCESS } from '../../clusters/api-access';
import { deployerRoleName } from '../../lib/aws/deployer-policy';
import { readStackConfigFile } from '../../stacks/plan';
import { stackNames } from '../../stacks/program';

// The pipeline as GitHub Actions reads it (.github/workflows/platform.yml). The rules of GitHub's
// OIDC tokens it relies on (docs.github.com, "About security hardening with OpenID Connect"): a job
// bound to an environment gets the subject `repo:<owner>/<repo>:environment:<name>`, a pull
// request job without one `repo:<owner>/<repo>:pull_request`, and only a job with `id-token: write`
// gets a token at all. These are read from GitHub's documentation; no GitHub runs here.

const ROOT = join(__dirname, '..', '..');
interface Step { readonly uses?: string; readonly run?: string; readonly with?: Record<string, unknown> }
// The preview's Kubernetes rule, read from pulumi-kubernetes, not run (no cluster here):
// provider/pkg/provider/provider.go marks a cluster whose kubeconfig yields no client, or whose API
// cannot be read, `clusterUnreachable`; Check and Diff then work from the inputs and the state,
// and Create/Update refuse it unless the request is a preview.
interface Job {
  readonly if?: string; readonly needs?: string | string[]; readonly environment?: string; readonly env?: Record<string, string>;
  readonly 'runs-on'?: unknown; readonly permissions?: Record<string, string>; readonly strategy?: { matrix: { stack: string[] } }; readonly steps: Step[];
}
const workflow = parse(readFileSync(join(ROOT, '.github', 'workflows', 'platform.yml'), 'utf8')) as {
  on: Record<string, unknown>; env: Record<string, string>; permissions: Record<string, string>; jobs: Record<string, Job>;
};
const bootstrap = readStackConfigFile(ROOT, 'bootstrap');
const REPO = 'repo:example/platform';
/** The subjects each environment's deployer role trusts, by environment (Pulumi.bootstrap.yaml). */
const deployerSubjects = bootstrap['platform:ciSubjects'] as Record<string, string[]>;
const everyDeployerSubject = Object.values(deployerSubjects).flat();
const previewSubjects = bootstrap['platform:ciPreviewSubjects'] as string[];

const credentials = (job: Job): Record<string, unknown> => job.steps.find((s) => s.uses?.startsWith('aws-actions/configure-aws-credentials@'))?.with ?? {};
const pulumiStep = (job: Job): Record<string, unknown> => job.steps.find((s) => s.uses?.startsWith('pulumi/actions@'))?.with ?? {};
const stackOf = (job: Job): string => String(pulumiStep(job)['stack-name']).replace('${{ env.STACK }}', job.env?.STACK ?? '?');
/** The OIDC subject GitHub gives the job's token. */
const subjectOf = (job: Job): string => (job.environment === undefined ? `${REPO}:pull_request` : `${REPO}:environment:${job.environment}`);
const matches = (patterns: readonly string[], subject: string): boolean => patterns.some((p) => new RegExp(`^${p.split('*').map((x) => x.replace(/[.+?^${}()|[\]\\]/g, '\\$&')).join('.*')}$`).test(subject));

const deploys = Object.entries(workflow.jobs).filter(([name]) => name.startsWith('deploy-'));

describe('the platform pipeline', () => {
  test('runs on pull requests and on pushes to main, with read-only repository access by default', () => {
    expect(Object.keys(workflow.on).sort()).toEqual(['pull_request', 'push']);
    expect(workflow.permissions).toEqual({ contents: 'read' });
    expect(workflow.env.PULUMI_BACKEND_URL).toBe(`s3://${String(bootstrap['platform:stateBackendBucket'])}?region=eu-west-1&awssdk=v2`);
  });

  test('tests before anything else, with the tools the checks need', () => {
    const test = workflow.jobs.test;
    expect(test?.steps.map((s) => s.run).filter(Boolean)).toEqual([expect.stringContaining('shellcheck'), 'npm ci --no-audit --no-fund', 'npm test -- --ci', 'npm run lint']);
    for (const [name, job] of Object.entries(workflow.jobs)) if (name !== 'test') expect([job.needs].flat().length).toBeGreaterThan(0);
  });

  test('previews every stack on a pull request from this repository, as the read-only preview role', () => {
    const preview = workflow.jobs.preview as Job;
    expect(preview.if).toBe("github.event_name == 'pull_request' && github.event.pull_request.head.repo.full_name == github.repository");
    expect(preview.strategy?.matrix.stack).toEqual(stackNames(clusters));
    expect(pulumiStep(preview)).toMatchObject({ command: 'preview', 'stack-name': '${{ matrix.stack }}' });
    expect(credentials(preview)['role-to-assume']).toBe('arn:aws:iam::111122223333:role/platform-preview');
    // its token's subject is the preview role's, never the deployer's
    expect(matches(previewSubjects, subjectOf(preview))).toBe(true);
    expect(matches(everyDeployerSubject, subjectOf(preview))).toBe(false);
    expect(preview.environment).toBeUndefined();
  });

  test('previews without cluster reads: off the deploy runner group, with no kops to mint a cluster credential, as a role that cannot read the CA', () => {
    // GIVEN the API servers admit only the office VPN and the platform-deploy group (clusters/api-access.ts)
    const preview = workflow.jobs.preview as Job;
    // THEN a pull request's code never runs on the runners that reach the clusters
    expect(preview['runs-on']).toBe('ubuntu-24.04');
    expect(JSON.stringify(preview['runs-on'])).not.toContain('platform-deploy');
    // AND nothing installs kops, the only way this repository's kubeconfig gets a credential (kops helpers kubectl-auth)
    expect(preview.steps.filter((s) => /kops/i.test(`${s.run ?? ''} ${s.uses ?? ''}`))).toEqual([]);
    for (const [name, job] of deploys) expect([name, job.steps.some((s) => (s.run ?? '').includes('kops-linux-amd64'))]).toEqual([name, true]);
    // AND its preview neither refreshes from nor applies to anything
    expect(pulumiStep(preview).command).toBe('preview');
    expect(pulumiStep(preview).refresh).toBeUndefined();
    // AND fork pull requests, which get no OIDC token, do not run it at all
    expect(preview.if).toContain('github.event.pull_request.head.repo.full_name == github.repository');
    expect(preview.permissions).toEqual({ contents: 'read', 'id-token': 'write' });
  });

  test.each([['deploy-admin', 'admin', 'test'], ['deploy-stage', 'stage', 'deploy-admin'], ['deploy-prod', 'prod', 'deploy-stage']])(
    '%s runs `pulumi up` of stack %s, bound to its environment, after %s',
    (name, stack, after) => {
      const job = workflow.jobs[name] as Job;
      expect(pulumiStep(job).command).toBe('up');
      expect(stackOf(job)).toBe(stack);
      expect(job.environment).toBe(stack);
      expect(job.needs).toBe(after);
      expect(job.permissions).toEqual({ contents: 'read', 'id-token': 'write' });
      // its role is its own environment's, the one the stack runs as, and that role trusts exactly this job's subject
      expect(credentials(job)['role-to-assume']).toBe(`arn:aws:iam::111122223333:role/${deployerRoleName(stack)}`);
      expect(credentials(job)['role-to-assume']).toBe(readStackConfigFile(ROOT, stack)['platform:deployerRoleArn']);
      expect(deployerSubjects[stack]).toEqual([subjectOf(job)]);
      expect(previewSubjects).not.toContain(subjectOf(job));
    },
  );

  test('deploys only on a push to main; prod only behind its environment (the manual approval), never straight from a pull request', () => {
    expect(workflow.jobs['deploy-admin']?.if).toBe("github.event_name == 'push' && github.ref == 'refs/heads/main'");
    expect(deploys.map(([n]) => n)).toEqual(['deploy-admin', 'deploy-stage', 'deploy-prod']);
    expect(workflow.jobs['deploy-prod']?.environment).toBe('prod');
    // a job without an environment (a pull request) cannot get any deployer's trust, and no
    // environment's job gets another environment's role
    expect(everyDeployerSubject.every((s) => s.startsWith(`${REPO}:environment:`))).toBe(true);
    for (const [, job] of deploys) {
      const others = Object.entries(deployerSubjects).filter(([env]) => env !== job.environment).flatMap(([, subjects]) => subjects);
      expect(matches(others, subjectOf(job))).toBe(false);
    }
  });

  test('every job assumes its role from the OIDC token directly, for no longer than the role allows, and the deployer for longer than an hour', () => {
    for (const [, job] of deploys) {
      expect(Number(credentials(job)['role-duration-seconds'])).toBe(14400);
      expect(job.steps.filter((s) => s.uses?.startsWith('aws-actions/configure-aws-credentials@'))).toHaveLength(1);
      expect(credentials(job)['role-chaining']).toBeUndefined();
    }
    expect(Number(credentials(workflow.jobs.preview as Job)['role-duration-seconds'])).toBe(3600);
  });

  test('every environment stack runs as its own environment\'s deployer role, and bootstrap lists exactly those environments', () => {
    expect(Object.keys(deployerSubjects)).toEqual([...new Set(clusters.map((c) => c.environment))]);
    for (const c of clusters) {
      expect(readStackConfigFile(ROOT, c.name)['platform:deployerRoleArn']).toBe(`arn:aws:iam::111122223333:role/${deployerRoleName(c.environment)}`);
      expect(deployerSubjects[c.environment]).toEqual([`${REPO}:environment:${c.environment}`]);
    }
  });

  test('installs the kops release the stacks pin', () => {
    expect(workflow.env.KOPS_VERSION).toBe('1.36.0');
    for (const stack of ['admin', 'stage', 'prod']) expect(readStackConfigFile(ROOT, stack)['platform:kopsVersion']).toBe(workflow.env.KOPS_VERSION);
  });
  test('every deploy job runs on the runner group whose static egress the API servers admit', () => {
    // GIVEN the ranges every cluster's API load balancer admits (clusters/api-access.ts)
    const deploys = Object.entries(workflow.jobs).filter(([name]) => name.startsWith('deploy-'));
    expect(deploys.length).toBeGreaterThan(0);
    for (const [name, job] of deploys) expect([name, job['runs-on']]).toEqual([name, { group: 'platform-deploy' }]);
    for (const c of clusters) expect([c.name, c.kubernetes.api?.loadBalancer, c.kubernetes.api?.access]).toEqual([c.name, 'public', API_ACCESS]);
  });
});
