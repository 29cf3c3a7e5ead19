import { PlatformError } from '../../core';
import type { KubernetesVersion } from '../kubernetes-version';
import type { OidcSettings } from '../oidc';

/** A claim mapped to a user attribute, with its prefix (`claim` and `prefix` are both required together). */
export interface PrefixedClaim {
  readonly claim: string;
  readonly prefix: string;
}

/** One CEL rule over the token's claims; the token is refused when it is false. */
export interface ClaimValidationRule {
  readonly expression: string;
  readonly message: string;
}

/** One JWT issuer the API server trusts (apiserver.config.k8s.io `JWTAuthenticator`). */
export interface JwtAuthenticator {
  readonly issuer: { readonly url: string; readonly audiences: readonly string[] };
  readonly claimValidationRules?: readonly ClaimValidationRule[];
  readonly claimMappings: { readonly username: PrefixedClaim; readonly groups?: PrefixedClaim };
}

/** kube-apiserver's structured authentication configuration, as far as the platform writes it. */
export interface AuthenticationConfiguration {
  readonly apiVersion: string;
  readonly kind: 'AuthenticationConfiguration';
  readonly jwt: readonly JwtAuthenticator[];
}

/**
 * The API version of `AuthenticationConfiguration` a Kubernetes minor reads: `v1` from 1.34 (the
 * structured authentication configuration is stable there, KEP-3331), `v1beta1` from 1.30 (beta,
 * on by default) — so for every minor kops 1.36 runs (1.31 and later) one of the two.
 */
export function authenticationApiVersion(version: KubernetesVersion): string {
  return version.atLeast(34) ? 'apiserver.config.k8s.io/v1' : 'apiserver.config.k8s.io/v1beta1';
}

/** A CEL string literal of a value the platform has already checked to hold no quote or backslash. */
function celString(value: string): string {
  if (/['"\\\n]/.test(value)) {
    throw PlatformError.of({ path: 'AuthenticationConfiguration', field: 'claimValidationRules', value, rule: 'would put a quote, backslash or newline in a CEL string', fix: 'use names of letters, digits, dots, dashes and slashes' });
  }
  return `'${value}'`;
}

function celList(values: readonly string[]): string {
  return `[${values.map(celString).join(', ')}]`;
}

/**
 * The API server's JWT issuers: the login provider (Dex) as the `--oidc-*` flags had it — its
 * client id as the audience, the same username and groups claims and prefixes — and, when a team
 * deploys from GitHub Actions, GitHub's issuer for the cluster's audience. A CI token is admitted
 * only from a job of a declared repository (and its owner), in the cluster's GitHub environment;
 * its user is `<prefix><sub>` (`github:repo:example/shop-services:environment:prod`), the subject
 * the team's deploy RoleBinding names. A CI token carries no groups.
 */
export function authenticationConfiguration(oidc: OidcSettings, version: KubernetesVersion): AuthenticationConfiguration {
  const dex: JwtAuthenticator = {
    issuer: { url: oidc.issuerUrl, audiences: [oidc.clientId] },
    claimMappings: {
      username: { claim: oidc.usernameClaim, prefix: oidc.usernamePrefix },
      groups: { claim: oidc.groupsClaim, prefix: oidc.groupsPrefix },
    },
  };
  const ci = oidc.ci;
  const github: JwtAuthenticator[] = ci === undefined ? [] : [{
    issuer: { url: ci.issuerUrl, audiences: [ci.audience] },
    claimValidationRules: [
      { expression: `claims.repository_owner in ${celList(ci.owners)}`, message: 'the token is not from a repository owner this cluster admits' },
      { expression: `claims.repository in ${celList(ci.repositories)}`, message: 'the token is not from a repository a team of this cluster deploys from' },
      { expression: `has(claims.environment) && claims.environment == ${celString(ci.environment)}`, message: `the token is not from a job in the ${ci.environment} environment` },
    ],
    claimMappings: { username: { claim: 'sub', prefix: ci.usernamePrefix } },
  }];
  const config: AuthenticationConfiguration = { apiVersion: authenticationApiVersion(version), kind: 'AuthenticationConfiguration', jwt: [dex, ...github] };
  const problems = authenticationConfigurationProblems(config);
  if (problems.length > 0) throw new PlatformError(problems.map((p) => `AuthenticationConfiguration: ${p}`));
  return config;
}

function httpsProblem(url: string): string | undefined {
  let u: URL;
  try {
    u = new URL(url);
  } catch {
    return 'is not a URL';
  }
  if (u.protocol !== 'https:') return 'URL scheme must be https';
  if (u.username !== '' || u.password !== '') return 'URL must not contain a username or password';
  if (u.search !== '') return 'URL must not contain a query';
  if (u.hash !== '') return 'URL must not contain a fragment';
  return undefined;
}

/**
 * What kube-apiserver would refuse in a configuration, by the rules of
 * k8s.io/apiserver pkg/apis/apiserver/validation/validation.go (ValidateAuthenticationConfiguration,
 * validateIssuerURL, validateAudiences, validateClaimValidationRules, validatePrefixClaimOrExpression),
 * one line each: at most 64 issuers; each issuer URL https, without user, query or fragment, and
 * unique; audiences non-empty, each non-empty and unique (several only with `MatchAny`, which the
 * platform never writes); a validation rule has a claim or an expression, not both, and no
 * expression twice; a username claim and, when given, a groups claim each with a prefix (an
 * expression takes none). Whether each CEL expression compiles and what it admits is tested by
 * evaluating it (test/cluster/authentication.test.ts).
 */
export function authenticationConfigurationProblems(config: AuthenticationConfiguration): string[] {
  const problems: string[] = [];
  if (config.jwt.length > 64) problems.push(`jwt: must have at most 64 items (got ${config.jwt.length})`);
  const seen = new Set<string>();
  config.jwt.forEach((a, i) => {
    const at = `jwt[${i}]`;
    const bad = httpsProblem(a.issuer.url);
    if (bad !== undefined) problems.push(`${at}.issuer.url: ${bad} (got ${JSON.stringify(a.issuer.url)})`);
    if (seen.has(a.issuer.url)) problems.push(`${at}.issuer.url: Duplicate value ${JSON.stringify(a.issuer.url)}`);
    seen.add(a.issuer.url);
    if (a.issuer.audiences.length === 0) problems.push(`${at}.issuer.audiences: at least one ${at}.issuer.audiences is required`);
    if (a.issuer.audiences.length > 1) problems.push(`${at}.issuer.audienceMatchPolicy: audienceMatchPolicy must be MatchAny for multiple audiences`);
    a.issuer.audiences.forEach((aud, j) => {
      if (aud === '') problems.push(`${at}.issuer.audiences[${j}]: Required value`);
      if (a.issuer.audiences.indexOf(aud) !== j) problems.push(`${at}.issuer.audiences[${j}]: Duplicate value ${JSON.stringify(aud)}`);
    });
    const expressions = (a.claimValidationRules ?? []).map((r) => r.expression);
    expressions.forEach((e, j) => {
      if (e.trim() === '') problems.push(`${at}.claimValidationRules[${j}]: claim or expression is required`);
      if (expressions.indexOf(e) !== j) problems.push(`${at}.claimValidationRules[${j}].expression: Duplicate value ${JSON.stringify(e)}`);
    });
    const mappings: [string, PrefixedClaim | undefined][] = [['username', a.claimMappings.username], ['groups', a.claimMappings.groups]];
    for (const [name, m] of mappings) {
      if (m === undefined) continue;
      if (m.claim === '') problems.push(`${at}.claimMappings.${name}: claim or expression is required`);
      if (typeof m.prefix !== 'string') problems.push(`${at}.claimMappings.${name}.prefix: prefix is required when claim is set`);
    }
  });
  return problems;
}
