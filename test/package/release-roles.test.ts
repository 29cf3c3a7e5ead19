import { execFileSync, spawnSync } from 'node:child_process';
import { chmodSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse } from 'yaml';
import {
  PACKAGE_PUBLISHER_ROLE_NAME, PACKAGE_READER_ROLE_NAME, codeArtifactArns, packageBoundaryPolicy, packagePublisherPolicy, packageReaderPolicy, packageTrustPolicy,
} from '../../lib/aws/package-policy';
import { type IamRequest, evaluate, evaluateWithBoundary } from '../aws/support/iam-evaluation';

// The package roles, tested by evaluating their documents (the evaluator of test/aws/support) on
// the calls `aws codeartifact get-authorization-token` / `login` and `npm publish` / `npm install`
// make. CodeArtifact's rules are read, not run (there is no AWS here), from the CodeArtifact User
// Guide: auth-and-access-control-permissions-reference.html (the actions, and the resource of each:
// GetAuthorizationToken on the domain, GetRepositoryEndpoint and ReadFromRepository on the
// repository, PublishPackageVersion on the package, `package/<domain>/<repo>/npm/<scope without @>/<name>`),
// tokens-authentication.html (GetAuthorizationToken also needs sts:GetServiceBearerToken, with
// sts:AWSServiceName codeartifact.amazonaws.com) and packages-overview.html ("Publishing
// permissions": npm needs PublishPackageVersion). GitHub's token subjects are docs.github.com's.

const ROOT = join(__dirname, '..', '..');
const bootstrap = parse(readFileSync(join(ROOT, 'Pulumi.bootstrap.yaml'), 'utf8')) as { config: Record<string, unknown> };
const packages = bootstrap.config['platform:packages'] as { domain: string; repository: string; scope: string; publisherSubject: string; readerRepositories: string[] };
const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { name: string; publishConfig: { registry: string } };
const release = parse(readFileSync(join(ROOT, '.github', 'workflows', 'release.yml'), 'utf8')) as { env: Record<string, string>; jobs: Record<string, { environment?: string; steps: { uses?: string; with?: Record<string, string> }[] }> };
const serviceDeploy = parse(readFileSync(join(ROOT, 'verify', 'service-repo', '.github', 'workflows', 'deploy.yml'), 'utf8')) as { env: Record<string, string> };

const ACCOUNT = '111122223333';
const PROVIDER = `arn:aws:iam::${ACCOUNT}:oidc-provider/token.actions.githubusercontent.com`;
const HOST = 'token.actions.githubusercontent.com';
const scope = { accountId: ACCOUNT, region: 'eu-west-1', domain: packages.domain, repository: packages.repository, scope: packages.scope };
const arns = codeArtifactArns(scope);
const boundary = packageBoundaryPolicy(scope);
const publisherTrust = packageTrustPolicy({ providerArn: PROVIDER, issuerHost: HOST, audience: 'sts.amazonaws.com', subjects: [packages.publisherSubject] });
const readerTrust = packageTrustPolicy({ providerArn: PROVIDER, issuerHost: HOST, audience: 'sts.amazonaws.com', repositories: packages.readerRepositories });

/** A GitHub token presented to AssumeRoleWithWebIdentity. */
const token = (sub: string, aud = 'sts.amazonaws.com'): IamRequest => ({
  action: 'sts:AssumeRoleWithWebIdentity', resource: '*', principal: { Federated: PROVIDER }, context: { [`${HOST}:sub`]: sub, [`${HOST}:aud`]: aud },
});
const pkgArn = (namespace: string, name: string, repository = packages.repository): string => `arn:aws:codeartifact:eu-west-1:${ACCOUNT}:package/${packages.domain}/${repository}/npm/${namespace}/${name}`;
const [ownNamespace, ownName] = pkg.name.replace(/^@/, '').split('/') as [string, string];

const login: IamRequest[] = [
  { action: 'codeartifact:GetAuthorizationToken', resource: arns.domain },
  { action: 'sts:GetServiceBearerToken', resource: '*', context: { 'sts:AWSServiceName': 'codeartifact.amazonaws.com' } },
  { action: 'codeartifact:GetRepositoryEndpoint', resource: arns.repository },
];
const show = (req: IamRequest, d: string): string => `${d} ${req.action} ${req.resource}`;

describe('the package registry and its roles', () => {
  test('are the ones the release workflow, package.json and the service repositories name', () => {
    const publish = release.jobs.publish;
    expect(publish?.environment).toBe('release');
    expect(publish?.steps.find((s) => s.uses?.startsWith('aws-actions/configure-aws-credentials@'))?.with?.['role-to-assume']).toBe(`arn:aws:iam::${ACCOUNT}:role/${PACKAGE_PUBLISHER_ROLE_NAME}`);
    expect(packages.publisherSubject).toBe('repo:example/platform:environment:release');
    expect(serviceDeploy.env.PACKAGES_ROLE).toBe(`arn:aws:iam::${ACCOUNT}:role/${PACKAGE_READER_ROLE_NAME}`);
    expect([release.env.CODEARTIFACT_DOMAIN, release.env.CODEARTIFACT_OWNER]).toEqual([packages.domain, ACCOUNT]);
    expect(pkg.publishConfig.registry).toBe(`https://${packages.domain}-${ACCOUNT}.d.codeartifact.eu-west-1.amazonaws.com/npm/${packages.repository}/`);
    expect(`@${packages.scope}`).toBe(`@${ownNamespace}`);
  });

  test('the publisher is assumed only by the release environment\'s job of this repository, with the STS audience', () => {
    expect(evaluate(publisherTrust, token('repo:example/platform:environment:release'))).toBe('Allow');
    for (const sub of [
      'repo:example/platform:environment:prod', 'repo:example/platform:pull_request', 'repo:example/platform:ref:refs/tags/v0.1.0',
      'repo:example/platform:ref:refs/heads/main', 'repo:example/shop-services:environment:release', 'repo:example/platform-fork:environment:release',
    ]) expect([sub, evaluate(publisherTrust, token(sub))]).toEqual([sub, 'ImplicitDeny']);
    expect(evaluate(publisherTrust, token('repo:example/platform:environment:release', 'https://github.com/example'))).toBe('ImplicitDeny');
    // a role's own credentials, or a person, cannot assume it either
    expect(evaluate(publisherTrust, { action: 'sts:AssumeRole', resource: '*', principal: { AWS: `arn:aws:iam::${ACCOUNT}:root` } })).toBe('ImplicitDeny');
  });

  test('the publisher may get a token and publish the scope\'s packages, under its boundary', () => {
    const publish = [pkgArn(ownNamespace, ownName), pkgArn(ownNamespace, 'another-package')].map((resource) => ({ action: 'codeartifact:PublishPackageVersion', resource }));
    const refused = [...login, ...publish].map((r) => [r, evaluateWithBoundary(packagePublisherPolicy(scope), boundary, r)] as const).filter(([, d]) => d !== 'Allow').map(([r, d]) => show(r, d));
    expect(refused).toEqual([]);
  });

  test('the publisher is refused everything else: another scope, an unscoped name, another repository, deletes, status changes, reads, other services\' bearer tokens', () => {
    const requests: IamRequest[] = [
      { action: 'codeartifact:PublishPackageVersion', resource: pkgArn('types', 'node') },
      { action: 'codeartifact:PublishPackageVersion', resource: pkgArn('', 'lodash') },
      { action: 'codeartifact:PublishPackageVersion', resource: pkgArn(ownNamespace, ownName, 'other') },
      { action: 'codeartifact:DeletePackageVersions', resource: pkgArn(ownNamespace, ownName) },
      { action: 'codeartifact:DisposePackageVersions', resource: pkgArn(ownNamespace, ownName) },
      { action: 'codeartifact:UpdatePackageVersionsStatus', resource: pkgArn(ownNamespace, ownName) },
      { action: 'codeartifact:PutPackageOriginConfiguration', resource: pkgArn(ownNamespace, ownName) },
      { action: 'codeartifact:ReadFromRepository', resource: arns.repository },
      { action: 'codeartifact:AssociateExternalConnection', resource: arns.repository },
      { action: 'codeartifact:PutRepositoryPermissionsPolicy', resource: arns.repository },
      { action: 'codeartifact:GetAuthorizationToken', resource: `arn:aws:codeartifact:eu-west-1:${ACCOUNT}:domain/other` },
      { action: 'sts:GetServiceBearerToken', resource: '*', context: { 'sts:AWSServiceName': 'other.amazonaws.com' } },
      { action: 'sts:GetServiceBearerToken', resource: '*' },
      { action: 's3:GetObject', resource: 'arn:aws:s3:::example-platform-pulumi-state/.pulumi/stacks/platform/prod.json' },
      { action: 'iam:PassRole', resource: `arn:aws:iam::${ACCOUNT}:role/platform-deployer-prod` },
    ];
    const allowed = requests.map((r) => [r, evaluateWithBoundary(packagePublisherPolicy(scope), boundary, r)] as const).filter(([, d]) => d === 'Allow').map(([r, d]) => show(r, d));
    expect(allowed).toEqual([]);
  });

  test('the reader is assumed by any workflow of a declared service repository, and by no other repository', () => {
    expect(packages.readerRepositories).toEqual(['example/shop-services']);
    for (const sub of ['repo:example/shop-services:pull_request', 'repo:example/shop-services:ref:refs/heads/main', 'repo:example/shop-services:environment:prod']) {
      expect([sub, evaluate(readerTrust, token(sub))]).toEqual([sub, 'Allow']);
    }
    for (const sub of ['repo:example/shop-services-fork:pull_request', 'repo:evil/shop-services:pull_request', 'repo:example/other:ref:refs/heads/main', 'repo:example/shop:services:x']) {
      expect([sub, evaluate(readerTrust, token(sub))]).toEqual([sub, 'ImplicitDeny']);
    }
    expect(evaluate(readerTrust, token('repo:example/shop-services:pull_request', 'other'))).toBe('ImplicitDeny');
  });

  test('the reader may get a token and read the repository, nothing more: never publish', () => {
    const reader = packageReaderPolicy(scope);
    for (const r of [...login, { action: 'codeartifact:ReadFromRepository', resource: arns.repository }]) expect(show(r, evaluateWithBoundary(reader, boundary, r))).toBe(show(r, 'Allow'));
    for (const r of [
      { action: 'codeartifact:PublishPackageVersion', resource: pkgArn(ownNamespace, ownName) },
      { action: 'codeartifact:DeletePackageVersions', resource: pkgArn(ownNamespace, ownName) },
      { action: 'codeartifact:ReadFromRepository', resource: `arn:aws:codeartifact:eu-west-1:${ACCOUNT}:repository/${packages.domain}/other` },
      { action: 'sts:GetServiceBearerToken', resource: '*', context: { 'sts:AWSServiceName': 'lambda.amazonaws.com' } },
    ]) expect(show(r, evaluateWithBoundary(reader, boundary, r))).toBe(show(r, 'ImplicitDeny'));
  });

  test('the boundary caps both roles even if their policies were widened to everything', () => {
    const everything = { Version: '2012-10-17' as const, Statement: [{ Effect: 'Allow' as const, Action: '*', Resource: '*' }] };
    expect(evaluateWithBoundary(everything, boundary, { action: 'codeartifact:PublishPackageVersion', resource: pkgArn(ownNamespace, ownName) })).toBe('Allow');
    for (const r of [
      { action: 'codeartifact:DeletePackageVersions', resource: pkgArn(ownNamespace, ownName) },
      { action: 'codeartifact:PublishPackageVersion', resource: pkgArn('types', 'node') },
      { action: 'iam:CreateRole', resource: `arn:aws:iam::${ACCOUNT}:role/x` },
      { action: 'sts:AssumeRole', resource: `arn:aws:iam::${ACCOUNT}:role/platform-deployer-prod` },
    ]) expect(show(r, evaluateWithBoundary(everything, boundary, r))).toBe(show(r, 'ImplicitDeny'));
  });
});

// The `release` environment is GitHub's, which Pulumi here cannot create: a script sets it with
// `gh api`. Checked with shellcheck, and run against a stand-in `gh` first on PATH that records
// every call (arguments and body) and answers as GitHub's REST API does.
describe('scripts/github-release-environment.sh', () => {
  const SCRIPT = join(ROOT, 'scripts', 'github-release-environment.sh');
  let work = '';
  beforeEach(() => { work = mkdtempSync(join(tmpdir(), 'gh-env-')); });
  afterEach(() => rmSync(work, { recursive: true, force: true }));

  /** A fake gh: logs `args` and stdin per call; answers the team id and the existing tag rules given. */
  function runWith(existingTagRules: string, args: string[], teamId = '4242'): { status: number | null; stdout: string; stderr: string; calls: { args: string; body: string }[] } {
    const fake = join(work, 'gh');
    writeFileSync(fake, [
      '#!/usr/bin/env bash',
      'set -eu',
      `log=${JSON.stringify(join(work, 'calls'))}`,
      'body=""',
      'if [[ " $* " == *" --input - "* ]]; then body=$(cat); fi',
      'printf \'%s\\t%s\\n\' "$*" "$body" >> "$log"',
      'case "$*" in',
      `  "api orgs/"*"/teams/"*" --jq .id") echo ${JSON.stringify(teamId)} ;;`,
      `  *"deployment-branch-policies --jq"*) printf '%b' ${JSON.stringify(existingTagRules)} ;;`,
      'esac',
    ].join('\n'));
    chmodSync(fake, 0o755);
    const r = spawnSync('bash', [SCRIPT, ...args], { encoding: 'utf8', env: { PATH: `${work}:/usr/bin:/bin` } });
    let log = '';
    try { log = readFileSync(join(work, 'calls'), 'utf8'); } catch { log = ''; }
    const calls = log.split('\n').filter((l) => l !== '').map((l) => { const [a, b] = l.split('\t'); return { args: a ?? '', body: b ?? '' }; });
    return { status: r.status, stdout: r.stdout, stderr: r.stderr, calls };
  }

  test('passes shellcheck', () => {
    expect(() => execFileSync('shellcheck', [SCRIPT], { encoding: 'utf8' })).not.toThrow();
  });

  test('requires the team as reviewers, no self-review, and deployments only from v* tags — the environment the publisher trusts', () => {
    const r = runWith('', ['example/platform', 'platform-team']);
    expect(r.status).toBe(0);
    expect(r.calls.map((c) => c.args)).toEqual([
      'api orgs/example/teams/platform-team --jq .id',
      'api --method PUT repos/example/platform/environments/release --input -',
      'api repos/example/platform/environments/release/deployment-branch-policies --jq .branch_policies[] | select(.type == "tag") | .name',
      'api --method POST repos/example/platform/environments/release/deployment-branch-policies -f name=v* -f type=tag',
    ]);
    expect(JSON.parse(r.calls[1]?.body ?? '')).toEqual({
      prevent_self_review: true, reviewers: [{ type: 'Team', id: 4242 }], deployment_branch_policy: { protected_branches: false, custom_branch_policies: true },
    });
    // the environment's name is the one in the publisher's trusted subject and in release.yml
    expect(packages.publisherSubject.endsWith(':environment:release')).toBe(true);
    expect(release.jobs.publish?.environment).toBe('release');
    expect(r.stdout).toBe('environment release of example/platform: reviewers example/platform-team, tag rule v* added\n');
  });

  test('re-running keeps an existing tag rule instead of adding a second', () => {
    const r = runWith('v*\n', ['example/platform', 'platform-team']);
    expect(r.status).toBe(0);
    expect(r.calls.filter((c) => c.args.includes('--method POST'))).toEqual([]);
    expect(r.stdout).toContain('tag rule v* kept');
  });

  test('refuses a bad repository, a missing argument, and a team without an id, before changing anything', () => {
    const bad = runWith('', ['platform', 'platform-team']);
    expect([bad.status, bad.stderr, bad.calls]).toEqual([2, 'error: repository must be <owner>/<repo> (got "platform")\n', []]);
    const missing = runWith('', ['example/platform']);
    expect([missing.status, missing.calls]).toEqual([2, []]);
    expect(missing.stderr).toContain('usage:');
    const noTeam = runWith('', ['example/platform', 'nobody'], 'null');
    expect([noTeam.status, noTeam.stderr]).toEqual([1, 'error: team example/nobody has no numeric id (got "null")\n']);
    expect(noTeam.calls.filter((c) => c.args.includes('--method'))).toEqual([]);
  });
});
