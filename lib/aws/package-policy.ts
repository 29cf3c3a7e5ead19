import { type PolicyDocument, type PolicyStatement, policyDocument } from './policies';

/** The role the release workflow publishes the package as (.github/workflows/release.yml). */
export const PACKAGE_PUBLISHER_ROLE_NAME = 'platform-package-publisher';

/** The role service repositories' CI reads `@<scope>/*` packages as. */
export const PACKAGE_READER_ROLE_NAME = 'platform-packages-read';

/** The permissions boundary of both package roles. */
export const PACKAGE_BOUNDARY_NAME = 'platform-package-boundary';

/** Where the packages live: a CodeArtifact domain and repository, and the npm scope published there. */
export interface PackageRegistryScope {
  readonly accountId: string;
  readonly region: string;
  /** The CodeArtifact domain (`example`). */
  readonly domain: string;
  /** The repository (`platform`). */
  readonly repository: string;
  /** The npm scope, without `@` (`example`): CodeArtifact's namespace of `@example/platform-constructs`. */
  readonly scope: string;
}

/**
 * The ARNs the CodeArtifact actions are authorized on (CodeArtifact User Guide,
 * auth-and-access-control-permissions-reference.html): the domain, the repository, and a package
 * `package/<domain>/<repository>/<format>/<namespace>/<name>` — for npm the namespace is the scope
 * without its `@`.
 */
export function codeArtifactArns(s: PackageRegistryScope): { domain: string; repository: string; scopePackages: string } {
  const base = `arn:aws:codeartifact:${s.region}:${s.accountId}`;
  return {
    domain: `${base}:domain/${s.domain}`,
    repository: `${base}:repository/${s.domain}/${s.repository}`,
    scopePackages: `${base}:package/${s.domain}/${s.repository}/npm/${s.scope}/*`,
  };
}

/**
 * A CodeArtifact token: `codeartifact:GetAuthorizationToken` on the domain, which also needs
 * `sts:GetServiceBearerToken` for the CodeArtifact service (CodeArtifact User Guide, tokens-authentication.html);
 * `aws codeartifact login` also asks for the repository's endpoint.
 */
function tokenStatements(s: PackageRegistryScope): PolicyStatement[] {
  const arns = codeArtifactArns(s);
  return [
    { Sid: 'AuthorizationToken', Effect: 'Allow', Action: 'codeartifact:GetAuthorizationToken', Resource: arns.domain },
    { Sid: 'BearerTokenForCodeArtifact', Effect: 'Allow', Action: 'sts:GetServiceBearerToken', Resource: '*', Condition: { StringEquals: { 'sts:AWSServiceName': 'codeartifact.amazonaws.com' } } },
    { Sid: 'RepositoryEndpoint', Effect: 'Allow', Action: 'codeartifact:GetRepositoryEndpoint', Resource: arns.repository },
  ];
}

/**
 * What the publisher may do: get a token, and publish versions of the scope's packages to the one
 * repository (`npm publish` needs `codeartifact:PublishPackageVersion` on the package — CodeArtifact
 * User Guide, packages-overview.html, "Publishing permissions"). It cannot read, delete, dispose
 * of or change the status of any version, nor touch another repository or scope.
 */
export function packagePublisherPolicy(s: PackageRegistryScope): PolicyDocument {
  return policyDocument([
    ...tokenStatements(s),
    { Sid: 'PublishTheScope', Effect: 'Allow', Action: 'codeartifact:PublishPackageVersion', Resource: codeArtifactArns(s).scopePackages },
  ]);
}

/** What a service repository's CI may do: get a token and read from the one repository (`npm install`: `codeartifact:ReadFromRepository`). */
export function packageReaderPolicy(s: PackageRegistryScope): PolicyDocument {
  return policyDocument([
    ...tokenStatements(s),
    { Sid: 'ReadTheRepository', Effect: 'Allow', Action: 'codeartifact:ReadFromRepository', Resource: codeArtifactArns(s).repository },
  ]);
}

/** The boundary of both package roles: CodeArtifact tokens and this one repository, whatever their policies say. */
export function packageBoundaryPolicy(s: PackageRegistryScope): PolicyDocument {
  const arns = codeArtifactArns(s);
  return policyDocument([
    ...tokenStatements(s).map((t) => ({ ...t, Sid: `Boundary${t.Sid ?? ''}` })),
    { Sid: 'BoundaryTheRepository', Effect: 'Allow', Action: ['codeartifact:ReadFromRepository', 'codeartifact:PublishPackageVersion'], Resource: [arns.repository, arns.scopePackages] },
  ]);
}

/** Who may assume a package role: GitHub Actions jobs whose token subject matches, through the OIDC provider. */
export interface PackageTrustScope {
  readonly providerArn: string;
  /** The issuer's host (`token.actions.githubusercontent.com`). */
  readonly issuerHost: string;
  readonly audience: string;
  /** Exact subjects (StringEquals): the release job's `repo:example/platform:environment:release`. */
  readonly subjects?: readonly string[];
  /** Repositories (`example/shop-services`) any of whose workflows may assume it: subject `repo:<repo>:*` (StringLike). */
  readonly repositories?: readonly string[];
}

/** The trust policy of a package role; an empty scope trusts nobody (the statement is left out). */
export function packageTrustPolicy(t: PackageTrustScope): PolicyDocument {
  const sub = `${t.issuerHost}:sub`;
  const aud = { [`${t.issuerHost}:aud`]: t.audience };
  const statements: PolicyStatement[] = [];
  if ((t.subjects ?? []).length > 0) {
    statements.push({ Sid: 'ReleaseJob', Effect: 'Allow', Principal: { Federated: t.providerArn }, Action: 'sts:AssumeRoleWithWebIdentity', Condition: { StringEquals: { ...aud, [sub]: [...(t.subjects ?? [])] } } });
  }
  if ((t.repositories ?? []).length > 0) {
    statements.push({
      Sid: 'ServiceRepositories', Effect: 'Allow', Principal: { Federated: t.providerArn }, Action: 'sts:AssumeRoleWithWebIdentity',
      Condition: { StringEquals: aud, StringLike: { [sub]: (t.repositories ?? []).map((r) => `repo:${r}:*`) } },
    });
  }
  return policyDocument(statements);
}
