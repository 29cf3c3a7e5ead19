// kube-apiserver's JWT authentication with a structured AuthenticationConfiguration, emulated
// for tests, with a conformance-tested CEL evaluator (@bufbuild/cel). What is emulated, from
// k8s.io/apiserver plugin/pkg/authenticator/token/oidc/oidc.go (New, AuthenticateToken) and
// pkg/authentication/cel (compile.go: the one variable `claims`, a map of string to dyn):
// - a token goes to the authenticator whose issuer URL is exactly its `iss` (the union of
//   authenticators tries each; only the one for its issuer can verify it);
// - its `aud` (a string or a list) must hold one of the issuer's audiences;
// - every claim validation rule must evaluate to true (a rule that errors, such as one reading a
//   claim the token lacks, refuses the token; so does a non-bool result);
// - the username is the prefix and the string value of the username claim (for `email`,
//   `email_verified`, when present, must be true); groups are the prefix and each value of the
//   groups claim (a string or a list of strings).
// Not emulated: the signature and expiry (the verifier checks them against the issuer's JWKS
// before any of this), `expression` mappings and user validation rules (the platform writes none).
import { isCelError, run } from '@bufbuild/cel';
import type { AuthenticationConfiguration } from '../../lib/cluster/kops/authentication';

export type Claims = Record<string, unknown>;

export type Authenticated = { readonly username: string; readonly groups: readonly string[] } | { readonly refused: string };

/** The result of one CEL expression over `claims`: true, false, or the evaluation error's text. */
export function evaluateClaims(expression: string, claims: Claims): boolean | string {
  const result = run(expression, { claims } as Parameters<typeof run>[1]);
  if (isCelError(result)) return `error: ${result.message}`;
  if (typeof result !== 'boolean') return `error: not a bool (${String(result)})`;
  return result;
}

/** What the API server makes of a token carrying `claims` under `config`. */
export function authenticate(config: AuthenticationConfiguration, claims: Claims): Authenticated {
  const a = config.jwt.find((j) => j.issuer.url === claims.iss);
  if (a === undefined) return { refused: `no authenticator for issuer ${String(claims.iss)}` };
  const aud = Array.isArray(claims.aud) ? claims.aud : [claims.aud];
  if (!a.issuer.audiences.some((x) => aud.includes(x))) return { refused: `audience ${JSON.stringify(claims.aud)} is not ${a.issuer.audiences.join(', ')}` };
  for (const rule of a.claimValidationRules ?? []) {
    const r = evaluateClaims(rule.expression, claims);
    if (r !== true) return { refused: `${rule.message} (${String(r)})` };
  }
  const { claim, prefix } = a.claimMappings.username;
  const name = claims[claim];
  if (typeof name !== 'string') return { refused: `claim ${claim} is not a string` };
  if (claim === 'email' && claims.email_verified !== undefined && claims.email_verified !== true) return { refused: 'email not verified' };
  const g = a.claimMappings.groups;
  const values = g === undefined ? [] : claims[g.claim] ?? [];
  const groups = (Array.isArray(values) ? values : [values]).map((v) => `${g?.prefix ?? ''}${String(v)}`);
  return { username: `${prefix}${name}`, groups };
}
