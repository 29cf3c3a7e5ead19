// Every error the identity addon raises, with its exact text.
import { PlatformError } from '../../../lib/core';
import { identityAddon } from '../../../lib/addons/identity/identity';
import { openLdapDirectory } from '../../../lib/addons/identity/ldap-directory';
import { buildIdentity, identityProps, oidcFacts } from './fixture';

const dir = (o: object = {}) => ({ ...openLdapDirectory({ host: 'ldap.example.com', baseDN: 'dc=example,dc=com', bindDN: 'cn=dex,ou=services,dc=example,dc=com' }), ...o });

describe('identity errors', () => {
  test("refuses an issuer that is not https", () => {
    expect(() => buildIdentity(identityProps({ issuerUrl: 'http://dex.example.com' }), { oidc: oidcFacts({ issuerUrl: 'http://dex.example.com' }) })).toThrow(new PlatformError(["addon-identity: issuerUrl must be https://<host> with no port, path, query, fragment or trailing slash (got \"http://dex.example.com\"); write the issuer as 'https://dex.example.com'"]).message);
  });

  test("refuses an issuer with a path (the route serves Dex at the root of its host)", () => {
    expect(() => buildIdentity(identityProps({ issuerUrl: 'https://dex.example.com/dex' }), { oidc: oidcFacts({ issuerUrl: 'https://dex.example.com/dex' }) })).toThrow(new PlatformError(["addon-identity: issuerUrl must be https://<host> with no port, path, query, fragment or trailing slash (got \"https://dex.example.com/dex\"); write the issuer as 'https://dex.example.com'"]).message);
  });

  test("refuses an issuer outside the Gateway's zone", () => {
    expect(() => buildIdentity(identityProps({ issuerUrl: 'https://dex.other.org' }), { oidc: oidcFacts({ issuerUrl: 'https://dex.other.org' }) })).toThrow(new PlatformError(["addon-identity/dex: issuerUrl has a host outside the Gateway's zone example.com (got \"https://dex.other.org\"); serve the issuer on a host under example.com (e.g. 'https://dex.example.com')"]).message);
  });

  test("refuses a redirect URI not under the host the client declares", () => {
    expect(() => buildIdentity(identityProps({ clients: [{ id: 'grafana', name: 'G', host: 'grafana.example.com', redirectPaths: ['https://evil.example.com/cb'] }] }))).toThrow(new PlatformError(["addon-identity/dex: clients.grafana.redirectPaths is not a path under the declared host grafana.example.com (got \"https://evil.example.com/cb\"); write only the path, starting with '/' (e.g. '/login/generic_oauth'); the URI is https://<host><path>"]).message);
  });

  test("refuses LDAP without TLS unless insecure mode is explicitly allowed", () => {
    expect(() => buildIdentity(identityProps({ directory: dir({ security: 'plaintext' }) }))).toThrow(new PlatformError(["addon-identity/dex: directory.security sends passwords unencrypted and is refused unless allowInsecure is true (got \"plaintext\"); use 'ldaps' or 'starttls' (with rootCA for a private CA); plain LDAP only for a throwaway e2e directory with allowInsecure: true"]).message);
  });

  test("refuses an unverified directory certificate unless insecure mode is explicitly allowed", () => {
    expect(() => buildIdentity(identityProps({ directory: dir({ insecureSkipVerify: true }) }))).toThrow(new PlatformError(["addon-identity/dex: directory.insecureSkipVerify accepts any certificate and is refused unless allowInsecure is true (got true); give the directory's CA as rootCA instead"]).message);
  });

  test("refuses a bind password given as a literal, without echoing it", () => {
    expect(() => buildIdentity(identityProps({ directory: dir({ bindPassword: 'hunter2' as never }) }))).toThrow(new PlatformError(["addon-identity/dex: directory.bindPassword is a literal value; the bind password must come from a Secret; give a Secret key reference, { secret: 'dex', key: 'ldap-bind-password' }, and provide the value through the deploy step"]).message);
  });

  test("refuses a '$' in the connector config, which Dex's env expansion would eat", () => {
    expect(() => buildIdentity(identityProps({ directory: dir({ bindDN: 'cn=$svc,dc=example,dc=com' }) }))).toThrow(new PlatformError(["addon-identity/dex: directory.bindDN contains '$', which Dex's environment expansion would replace (got \"cn=$svc,dc=example,dc=com\"); remove the '$' (escape it in a filter as \\24)"]).message);
  });

  test("refuses a filter without parentheses", () => {
    expect(() => buildIdentity(identityProps({ directory: dir({ userSearch: { ...dir().userSearch, filter: 'objectClass=person' } }) }))).toThrow(new PlatformError(["addon-identity/dex: directory.userSearch.filter is not a parenthesized LDAP filter (got \"objectClass=person\"); write a filter such as '(objectClass=person)'"]).message);
  });

  test("refuses an attribute name with a space", () => {
    expect(() => buildIdentity(identityProps({ directory: dir({ userSearch: { ...dir().userSearch, idAttr: 'u id' } }) }))).toThrow(new PlatformError(["addon-identity/dex: directory.userSearch.idAttr is not an attribute name (got \"u id\"); write an attribute such as 'uid', 'mail' or 'DN' (the entry's DN)"]).message);
  });

  test("refuses a group bound to cluster-admin without being a platform-admin group", () => {
    expect(() => buildIdentity(identityProps({ access: { platformAdmins: ['platform-admins'], grants: [{ clusterRole: 'cluster-admin', groups: ['team-orders'] }] } }))).toThrow(new PlatformError(["addon-identity/access: grants[0].groups is bound to cluster-admin without being a platform-admin group (got \"team-orders\"); add it to platformAdmins if its members administer the platform, or grant it a narrower ClusterRole"]).message);
  });

  test("refuses directory groups in bindings while no groups prefix is set", () => {
    expect(() => buildIdentity(identityProps(), { oidc: oidcFacts({ groupsPrefix: '' }) })).toThrow(new PlatformError(["addon-identity/access: cluster.oidc.groupsPrefix is empty while directory groups are bound, so a directory group could pose as a system group (got \"\"); set the API server's OIDC groupsPrefix (the default is 'oidc:')"]).message);
  });

  test("refuses an OIDC prefix that starts with 'system:'", () => {
    expect(() => buildIdentity(identityProps(), { oidc: oidcFacts({ usernamePrefix: 'system:' }) })).toThrow(new PlatformError(["addon-identity/access: cluster.oidc has a prefix that is empty or starts with 'system:', so OIDC names could collide with Kubernetes' own (got {\"usernamePrefix\":\"system:\",\"groupsPrefix\":\"oidc:\"}); use prefixes such as 'oidc:'"]).message);
  });

  test("refuses a directory group named like a system group", () => {
    expect(() => buildIdentity(identityProps({ access: { platformAdmins: ['system:masters'] } }))).toThrow(new PlatformError(["addon-identity/access: platformAdmins is not a directory group name (or starts with 'system:') (got \"system:masters\"); write the group as the directory names it (its cn)"]).message);
  });

  test("refuses two clusters sharing a client id", () => {
    expect(() => buildIdentity(identityProps({ clusters: [{ cluster: 'prod', clientId: 'kubernetes' }, { cluster: 'admin', clientId: 'kubernetes' }] }), { oidc: oidcFacts({}, 'kubernetes') })).toThrow(new PlatformError(["addon-identity/dex: clusters.admin.clientId is also the client id of cluster prod, so a token for one would be accepted by both (got \"kubernetes\"); give every cluster its own client id (the default is kubernetes-<cluster>)"]).message);
  });

  test("refuses a cluster listed twice", () => {
    expect(() => buildIdentity(identityProps({ clusters: [{ cluster: 'admin' }, { cluster: 'admin' }] }))).toThrow(new PlatformError(["addon-identity/dex: clusters lists a cluster twice (got \"admin\"); list each cluster once"]).message);
  });

  test("refuses to contribute OIDC settings to a cluster it has no client for", () => {
    expect(() => identityAddon.contributes?.(identityProps(), { name: 'qa' })).toThrow(new PlatformError(["addons.identity: clusters does not list cluster qa, which runs the addon (got [\"prod\",\"stage\",\"admin\"]); add { cluster: 'qa' } to clusters, so Dex has a client for its API server"]).message);
  });

  test("refuses a cluster whose API server trusts another issuer", () => {
    expect(() => buildIdentity(identityProps(), { oidc: oidcFacts({ issuerUrl: 'https://other.example.com' }) })).toThrow(new PlatformError(["addon-identity: cluster.oidc.issuerUrl is not the identity addon's issuer https://dex.example.com (got \"https://other.example.com\"); remove the hand-written OIDC settings from the cluster definition"]).message);
  });

  test("refuses a cluster whose API server expects another cluster's audience", () => {
    expect(() => buildIdentity(identityProps(), { oidc: oidcFacts({}, 'kubernetes') })).toThrow(new PlatformError(["addon-identity: cluster.oidc.clientId is not this cluster's client kubernetes-admin (got \"kubernetes\"); remove the hand-written OIDC settings from the cluster definition"]).message);
  });

  test("refuses a cluster whose API server has no OIDC settings", () => {
    expect(() => buildIdentity(identityProps(), { oidc: undefined })).toThrow(new PlatformError(["addon-identity: cluster.oidc.issuerUrl is not set, so the API server trusts no issuer; leave the cluster OIDC settings to the identity addon (its contribution)"]).message);
  });

  test("refuses a groups claim other than Dex's", () => {
    expect(() => buildIdentity(identityProps(), { oidc: oidcFacts({ groupsClaim: 'roles' }) })).toThrow(new PlatformError(["addon-identity: cluster.oidc.groupsClaim is not 'groups', the claim Dex puts the directory groups in (got \"roles\"); set groupsClaim to 'groups'"]).message);
  });

  test("refuses a username claim Dex does not issue", () => {
    expect(() => buildIdentity(identityProps(), { oidc: oidcFacts({ usernameClaim: 'upn' }) })).toThrow(new PlatformError(["addon-identity: cluster.oidc.usernameClaim is not a claim Dex issues (sub, email, name, preferred_username) (got \"upn\"); use 'email'"]).message);
  });

  test("refuses to serve Dex from a cluster without the edge", () => {
    expect(() => buildIdentity(identityProps(), {}, {})).toThrow(new PlatformError(["addon-identity: addons.gateway is missing: Dex is served through the edge; run the edge addon in cluster admin, or serve Dex from a cluster that has it"]).message);
  });

  test("refuses fewer than two replicas", () => {
    expect(() => buildIdentity(identityProps({ dex: { replicas: 1 } }))).toThrow(new PlatformError(["addon-identity/dex: replicas must be a whole number >= 2 (got 1); run at least 2 replicas: every login of every cluster goes through Dex"]).message);
  });

  test("refuses a web client that takes a cluster's client id", () => {
    expect(() => buildIdentity(identityProps({ clients: [{ id: 'kubernetes-prod', name: 'x', host: 'x.example.com', redirectPaths: ['/cb'] }] }))).toThrow(new PlatformError(["addon-identity/dex: clients.kubernetes-prod is already the id of another client (got \"kubernetes-prod\"); give every client its own id"]).message);
  });

  test("refuses a group search without user matchers", () => {
    expect(() => buildIdentity(identityProps({ directory: dir({ groupSearch: { ...dir().groupSearch, userMatchers: [] } }) }))).toThrow(new PlatformError(["addon-identity/dex: directory.groupSearch.userMatchers must not be empty (got []); add how groups list members, e.g. { userAttr: 'DN', groupAttr: 'member' }"]).message);
  });

  test("refuses a URL where a host is expected", () => {
    expect(() => buildIdentity(identityProps({ directory: dir({ host: 'ldaps://ldap.example.com' }) }))).toThrow(new PlatformError(["addon-identity/dex: directory.host is not a host name or host:port (got \"ldaps://ldap.example.com\"); write the server as 'ldap.example.com' or 'ldap.example.com:636'"]).message);
  });

  test("refuses a token lifetime that is not a duration", () => {
    expect(() => buildIdentity(identityProps({ dex: { idTokenLifetime: 'forever' } }))).toThrow(new PlatformError(["addon-identity/dex: idTokenLifetime: Duration: value is not a duration (got \"forever\"); write whole numbers with units ms, s, m, h, d or w, largest first (e.g. '30s', '1h30m')"]).message);
  });

  test('the literal bind password never appears in the error', () => {
    let message = '';
    try {
      buildIdentity(identityProps({ directory: dir({ bindPassword: 'hunter2' as never }) }));
    } catch (e) {
      message = (e as Error).message;
    }
    expect(message).toMatch(/bindPassword is a literal value/);
    expect(message).not.toContain('hunter2');
  });
});
