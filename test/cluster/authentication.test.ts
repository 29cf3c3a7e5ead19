// The API server's JWT issuers (Dex and GitHub Actions) as kops hands them to it: the file, where
// nodeup mounts it, the rules kube-apiserver validates it by, and what its CEL rules admit,
// evaluated on sample tokens. Upstream rules encoded (read, not run — no API server runs here):
// k8s.io/apiserver pkg/apis/apiserver/validation/validation.go (ValidateAuthenticationConfiguration),
// k8s.io/kubernetes pkg/kubeapiserver/options/authentication.go ("authentication-config file and
// oidc-* flags are mutually exclusive"), kubernetes/kops nodeup/pkg/model/kube_apiserver.go (which
// directories the static pod mounts) and pkg/apis/kops/validation/validation.go (validateKubeAPIServer).
import { Testing } from 'cdk8s';
import { parse } from 'yaml';
import { type KopsCluster, type KopsClusterProps, type PlatformCluster, Team, buildCluster } from '../../lib';
import { AUDIT_POLICY_PATH, AUTHENTICATION_CONFIG_PATH } from '../../lib/cluster/kops/api-server';
import { type AuthenticationConfiguration, authenticationConfigurationProblems } from '../../lib/cluster/kops/authentication';
import { clusters, environments } from '../../clusters';
import { baseProps, errorOf, synthKops } from './helpers';
import { kopsSchemaErrors } from './kops-schema';
import { type Claims, authenticate, evaluateClaims } from './jwt-authenticator';

type Obj = Record<string, any>;
const built = new Map<string, PlatformCluster>(clusters.filter((c) => c.name === 'prod' || c.name === 'stage').map((c) => [c.name, buildCluster(c, environments)]));
const cluster = (name: string): PlatformCluster => {
  const c = built.get(name);
  if (c === undefined) throw new Error(`no cluster ${name}`);
  return c;
};
const specOf = (kops: KopsCluster): Obj => (kops.cluster.toJson() as Obj).spec;
const configOf = (spec: Obj): AuthenticationConfiguration => parse(spec.fileAssets.find((f: Obj) => f.name === 'authentication-config').content) as AuthenticationConfiguration;
const DEX = { issuerUrl: 'https://dex.example.com', clientId: 'kubernetes-test' };
const withCi = (over: Partial<KopsClusterProps> = {}): KopsClusterProps => ({ ...baseProps(), oidc: DEX, ciIssuer: { repositories: ['example/shop-services'], environment: 'prod' }, ...over });

/** The subject of the `platform-team-deploy` RoleBinding in a namespace of a built cluster. */
function deploySubjects(c: PlatformCluster, namespace: string): Obj[] {
  const objects = c.app.charts.flatMap((ch) => ch.toJson() as Obj[]);
  const binding = objects.find((o) => o.kind === 'RoleBinding' && o.metadata.name === 'platform-team-deploy' && o.metadata.namespace === namespace);
  return binding?.subjects ?? [];
}

/** A GitHub Actions token's claims for a job of `repository` (GitHub's documented claim set, the parts the rules read). */
function githubToken(repository: string, audience: string, environment: string | undefined): Claims {
  const owner = repository.split('/')[0];
  return {
    iss: 'https://token.actions.githubusercontent.com', aud: audience,
    sub: environment === undefined ? `repo:${repository}:ref:refs/heads/main` : `repo:${repository}:environment:${environment}`,
    repository, repository_owner: owner, ref: 'refs/heads/main', event_name: 'push',
    ...(environment === undefined ? {} : { environment }),
  };
}

describe('the API server authentication configuration', () => {
  test('kops gets a file, not oidc flags: kube-apiserver refuses --authentication-config with any --oidc-* flag', () => {
    // GIVEN prod's kops Cluster
    const spec = specOf(cluster('prod').kops);
    // WHEN its API server settings are read
    const api = spec.kubeAPIServer as Obj;
    // THEN the configuration file is named and no OIDC flag field (nor kops's spec.authentication.oidc) is set
    expect(api.authenticationConfigFile).toBe(AUTHENTICATION_CONFIG_PATH);
    expect(Object.keys(api).filter((k) => k.startsWith('oidc'))).toEqual([]);
    expect(spec.authentication?.oidc).toBeUndefined();
    expect(kopsSchemaErrors(cluster('prod').kops.cluster.toJson() as Obj)).toEqual([]);
  });

  test('the file is a control-plane file asset in the audit policy directory, the one kops mounts into the API server pod', () => {
    const asset = (specOf(cluster('prod').kops).fileAssets as Obj[]).find((f) => f.name === 'authentication-config');
    expect(asset?.path).toBe(AUTHENTICATION_CONFIG_PATH);
    expect(asset?.roles).toEqual(['ControlPlane']);
    const dir = (p: string): string => p.slice(0, p.lastIndexOf('/'));
    expect(dir(AUTHENTICATION_CONFIG_PATH)).toBe(dir(specOf(cluster('prod').kops).kubeAPIServer.auditPolicyFile));
    expect(dir(AUDIT_POLICY_PATH)).toBe('/etc/kubernetes/audit');
  });

  test('the API version follows the Kubernetes minor: v1 from 1.34, v1beta1 before', () => {
    expect(configOf(specOf(cluster('prod').kops)).apiVersion).toBe('apiserver.config.k8s.io/v1');
    const old = synthKops(withCi({ kubernetesVersion: '1.33.4' })).find((o) => o.kind === 'Cluster')?.spec;
    expect(configOf(old).apiVersion).toBe('apiserver.config.k8s.io/v1beta1');
  });

  test("prod trusts Dex as the flags did and GitHub Actions for its own audience, pinned to the teams' repositories and the prod environment", () => {
    const config = configOf(specOf(cluster('prod').kops));
    expect(config).toEqual({
      apiVersion: 'apiserver.config.k8s.io/v1',
      kind: 'AuthenticationConfiguration',
      jwt: [
        {
          issuer: { url: 'https://dex.example.com', audiences: ['kubernetes-prod'] },
          claimMappings: { username: { claim: 'email', prefix: 'oidc:' }, groups: { claim: 'groups', prefix: 'oidc:' } },
        },
        {
          issuer: { url: 'https://token.actions.githubusercontent.com', audiences: ['kubernetes-prod'] },
          claimValidationRules: [
            { expression: "claims.repository_owner in ['example']", message: 'the token is not from a repository owner this cluster admits' },
            { expression: "claims.repository in ['example/content-services', 'example/shop-services']", message: 'the token is not from a repository a team of this cluster deploys from' },
            { expression: "has(claims.environment) && claims.environment == 'prod'", message: 'the token is not from a job in the prod environment' },
          ],
          claimMappings: { username: { claim: 'sub', prefix: 'github:' } },
        },
      ],
    });
    expect(authenticationConfigurationProblems(config)).toEqual([]);
  });

  test("the deploy job of the shop team's repository, in prod, is exactly the subject of shop's deploy RoleBinding", () => {
    // GIVEN the token GitHub gives shop-services' prod deploy job for prod's audience
    const config = configOf(specOf(cluster('prod').kops));
    const result = authenticate(config, githubToken('example/shop-services', 'kubernetes-prod', 'prod'));
    // THEN the API server's user is the one RoleBinding subject of shop's deploy Role, with no group
    expect(result).toEqual({ username: 'github:repo:example/shop-services:environment:prod', groups: [] });
    expect(deploySubjects(cluster('prod'), 'shop')).toEqual([{ kind: 'User', apiGroup: 'rbac.authorization.k8s.io', name: 'github:repo:example/shop-services:environment:prod' }]);
    expect(deploySubjects(cluster('stage'), 'shop')).toEqual([{ kind: 'User', apiGroup: 'rbac.authorization.k8s.io', name: 'github:repo:example/shop-services:environment:stage' }]);
  });

  test.each([
    ['a repository of the owner no team deploys from', githubToken('example/scratch', 'kubernetes-prod', 'prod'), 'the token is not from a repository a team of this cluster deploys from (false)'],
    ['a fork under another owner', githubToken('evil/shop-services', 'kubernetes-prod', 'prod'), 'the token is not from a repository owner this cluster admits (false)'],
    ['a job bound to no environment (a pull request build)', githubToken('example/shop-services', 'kubernetes-prod', undefined), 'the token is not from a job in the prod environment (false)'],
    ["the stage job's token, replayed against prod", githubToken('example/shop-services', 'kubernetes-prod', 'stage'), 'the token is not from a job in the prod environment (false)'],
    ["a token asked for stage's audience", githubToken('example/shop-services', 'kubernetes-stage', 'prod'), 'audience "kubernetes-stage" is not kubernetes-prod'],
    ['a token with no repository claim', { ...githubToken('example/shop-services', 'kubernetes-prod', 'prod'), repository: undefined, repository_owner: undefined }, 'the token is not from a repository owner this cluster admits'],
  ])('prod refuses %s', (_what, claims, reason) => {
    const result = authenticate(configOf(specOf(cluster('prod').kops)), Object.fromEntries(Object.entries(claims).filter(([, v]) => v !== undefined)));
    expect('refused' in result ? result.refused : result).toEqual(expect.stringContaining(reason));
  });

  test('a Dex login keeps the user and groups it had under the --oidc-* flags', () => {
    const config = configOf(specOf(cluster('prod').kops));
    const claims = { iss: 'https://dex.example.com', aud: 'kubernetes-prod', sub: 'Cg1qYW5l', email: 'jane@example.com', email_verified: true, groups: ['shop-owners', 'engineering'] };
    expect(authenticate(config, claims)).toEqual({ username: 'oidc:jane@example.com', groups: ['oidc:shop-owners', 'oidc:engineering'] });
    expect(authenticate(config, { ...claims, aud: 'kubernetes-stage' })).toEqual({ refused: 'audience "kubernetes-stage" is not kubernetes-prod' });
  });

  test('every CEL rule compiles and yields a bool on a token that lacks nothing', () => {
    const config = configOf(specOf(cluster('prod').kops));
    for (const rule of config.jwt.flatMap((j) => j.claimValidationRules ?? [])) {
      expect(typeof evaluateClaims(rule.expression, githubToken('example/shop-services', 'kubernetes-prod', 'prod'))).toBe('boolean');
    }
  });

  test("kube-apiserver's validation rules refuse what they refuse", () => {
    const dex = { issuer: { url: 'https://dex.example.com', audiences: ['a'] }, claimMappings: { username: { claim: 'email', prefix: 'oidc:' } } };
    const problems = authenticationConfigurationProblems({
      apiVersion: 'apiserver.config.k8s.io/v1', kind: 'AuthenticationConfiguration',
      jwt: [
        dex, dex,
        { issuer: { url: 'http://plain.example.com?x=1', audiences: [] }, claimMappings: { username: { claim: 'sub', prefix: undefined as unknown as string } } },
        { issuer: { url: 'https://two.example.com', audiences: ['a', 'a'] }, claimValidationRules: [{ expression: 'true', message: '' }, { expression: 'true', message: '' }], claimMappings: { username: { claim: '', prefix: '' } } },
      ],
    });
    expect(problems).toEqual([
      'jwt[1].issuer.url: Duplicate value "https://dex.example.com"',
      'jwt[2].issuer.url: URL scheme must be https (got "http://plain.example.com?x=1")',
      'jwt[2].issuer.audiences: at least one jwt[2].issuer.audiences is required',
      'jwt[2].claimMappings.username.prefix: prefix is required when claim is set',
      'jwt[3].issuer.audienceMatchPolicy: audienceMatchPolicy must be MatchAny for multiple audiences',
      'jwt[3].issuer.audiences[1]: Duplicate value "a"',
      'jwt[3].claimValidationRules[1].expression: Duplicate value "true"',
      'jwt[3].claimMappings.username: claim or expression is required',
    ]);
  });

  test('without oidc there is no configuration and no issuer', () => {
    const spec = synthKops(baseProps()).find((o) => o.kind === 'Cluster')?.spec;
    expect(spec.kubeAPIServer.authenticationConfigFile).toBeUndefined();
    expect((spec.fileAssets as Obj[]).map((f) => f.name)).toEqual(['audit-policy-config']);
  });
});

describe('CI issuer errors', () => {
  const teamWith = (githubRepository: string, ci: { usernamePrefix: string; environment: string; repositories: string[] } | undefined) =>
    new Team(Testing.chart(), 'shop', { name: 'shop', owners: ['shop-owners'], deployer: { githubRepository }, oidc: { groupsPrefix: 'oidc:', usernamePrefix: 'oidc:', ci } });

  test("a team deploying from a repository the cluster's API server does not admit is refused", () => {
    expect(errorOf(() => teamWith('example/other', { usernamePrefix: 'github:', environment: 'prod', repositories: ['example/shop-services'] }))).toBe(
      "test/shop: deployer.githubRepository is not among the repositories the cluster's API server admits CI tokens from [example/shop-services] (got \"example/other\"); add it to the cluster's ciIssuer.repositories (a cluster definition derives them from its teams' deployers)");
    expect(errorOf(() => teamWith('example/shop-services', undefined))).toBe(
      "test/shop: deployer.githubRepository is not among the repositories the cluster's API server admits CI tokens from [] (got \"example/shop-services\"); add it to the cluster's ciIssuer.repositories (a cluster definition derives them from its teams' deployers)");
  });

  test('a team deployer that is not owner/name is refused', () => {
    expect(errorOf(() => teamWith('shop-services', { usernamePrefix: 'github:', environment: 'prod', repositories: ['example/shop-services'] }))).toBe(
      "test/shop: deployer.githubRepository is not a GitHub repository as owner/name (got \"shop-services\"); write it as GitHub shows it, e.g. 'example/shop-services'");
  });

  const P = 'cluster/kops';
  test('a CI issuer without oidc is refused', () => {
    expect(errorOf(() => synthKops({ ...baseProps(), ciIssuer: { repositories: ['example/shop-services'], environment: 'prod' } }))).toBe(
      `${P}: ciIssuer is set without oidc (got ["example/shop-services"]); set oidc as well: the CI issuer's audience and the deploy bindings' prefixes come from it`);
  });

  test('a repository that is not owner/name is refused', () => {
    expect(errorOf(() => synthKops(withCi({ ciIssuer: { repositories: ["example/*'"], environment: 'prod' } })))).toBe(
      `${P}: ciIssuer: CiIssuerSettings: repositories[0] is not a GitHub repository as owner/name (got "example/*'"); write it as GitHub shows it, e.g. 'example/shop-services'`);
  });

  test('a CI prefix that overlaps the login prefix is refused', () => {
    expect(errorOf(() => synthKops(withCi({ ciIssuer: { repositories: ['example/shop-services'], environment: 'prod', usernamePrefix: 'oidc:ci:' } })))).toBe(
      `${P}: oidc: CiIssuerSettings: usernamePrefix overlaps the login users' prefix "oidc:", so one issuer's user could be named as the other's (got "oidc:ci:"); give the two issuers prefixes neither of which starts the other ('oidc:' and 'github:')`);
  });

  test('an environment that is not a DNS label is refused', () => {
    expect(errorOf(() => synthKops(withCi({ ciIssuer: { repositories: ['example/shop-services'], environment: "prod' || true" } })))).toBe(
      `${P}: ciIssuer: CiIssuerSettings: environment is not an environment name (a DNS label) (got "prod' || true"); use the cluster's environment, e.g. 'prod'`);
  });
});
