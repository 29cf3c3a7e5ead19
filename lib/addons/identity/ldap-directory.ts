import type { IConstruct } from 'constructs';
import type { SecretKeyRef } from '../../apps/secrets';
import { PlatformError } from '../../core';

/**
 * How Dex reaches the directory: LDAPS (TLS from the first byte), StartTLS on the plain port, or
 * plain LDAP. Plain LDAP sends the bind password and every user's password in clear text, so it
 * is refused unless `allowInsecure` says otherwise (a throwaway e2e directory).
 */
export type LdapSecurity = 'ldaps' | 'starttls' | 'plaintext';

/** The search scope (Dex's `parseScope`: `sub` or `one`; `base` is refused by Dex). */
export type LdapScope = 'sub' | 'one';

/** How a user entry is found and mapped to the ID token's claims (Dex `userSearch`). */
export interface LdapUserSearch {
  /** Where the search starts (`ou=people,dc=example,dc=com`). */
  readonly baseDN: string;
  /** Extra conditions every user entry must meet (`(objectClass=inetOrgPerson)`). @default - none */
  readonly filter?: string;
  /** The attribute the typed-in user name is compared with (`uid`, `sAMAccountName`). */
  readonly username: string;
  /** @default 'sub' */
  readonly scope?: LdapScope;
  /** The attribute that becomes the user's id (`sub`). Dex v2.45 has no default for it: it must be set. */
  readonly idAttr: string;
  /** The attribute that becomes the `email` claim. Dex v2.45 has no default for it: it must be set. */
  readonly emailAttr: string;
  /** The attribute that becomes the `name` claim. @default - none */
  readonly nameAttr?: string;
  /** The attribute that becomes `preferred_username`. @default - none */
  readonly preferredUsernameAttr?: string;
}

/**
 * One way a group names its members (Dex `userMatchers[]`): a group is the user's when its
 * `groupAttr` holds the user's `userAttr` (`DN` is the entry's DN). With `recursionGroupAttr`,
 * Dex also walks up: every group whose `recursionGroupAttr` holds a found group's DN is the
 * user's too, level by level, until no new group appears (nested groups).
 */
export interface LdapUserMatcher {
  readonly userAttr: string;
  readonly groupAttr: string;
  /** The attribute of a parent group that lists its member groups by DN (`member`). @default - no nesting */
  readonly recursionGroupAttr?: string;
}

/** How the user's groups are found (Dex `groupSearch`). */
export interface LdapGroupSearch {
  /** Where the search starts (`ou=groups,dc=example,dc=com`). */
  readonly baseDN: string;
  /** Extra conditions every group entry must meet (`(objectClass=groupOfNames)`). @default - none */
  readonly filter?: string;
  /** @default 'sub' */
  readonly scope?: LdapScope;
  /** How groups name their members; Dex runs one search per matcher and joins the results. */
  readonly userMatchers: readonly LdapUserMatcher[];
  /** The attribute whose value is the group's name in the `groups` claim (`cn`). */
  readonly nameAttr: string;
}

/** The directory Dex's LDAP connector signs people in against. */
export interface LdapDirectoryProps {
  /** The server, `host` or `host:port` (`ldap.example.com:636`). */
  readonly host: string;
  /** @default 'ldaps' */
  readonly security?: LdapSecurity;
  /** The CA that signed the directory's certificate, a key of a Secret (mounted as a file). @default - the image's system roots */
  readonly rootCA?: SecretKeyRef;
  /**
   * Allows plain LDAP or an unverified certificate. Only for a throwaway directory (e2e): with
   * it, passwords cross the network readable by anyone on the path.
   * @default false
   */
  readonly allowInsecure?: boolean;
  /** Accept any certificate; needs `allowInsecure`. @default false */
  readonly insecureSkipVerify?: boolean;
  /** The service account Dex binds as to search (`cn=dex,ou=services,dc=example,dc=com`). */
  readonly bindDN: string;
  /**
   * Its password: a key of a Secret, never a value (Dex reads it from an environment variable).
   * @default { secret: 'dex', key: 'ldap-bind-password' }
   */
  readonly bindPassword?: SecretKeyRef;
  readonly userSearch: LdapUserSearch;
  readonly groupSearch: LdapGroupSearch;
  /** The label of the user name field on the login page. @default 'Username' */
  readonly usernamePrompt?: string;
  /** The connector's name on the login page. @default 'Directory' */
  readonly displayName?: string;
}

/** What both presets take. */
export interface DirectoryPresetProps {
  /** The server, `host` or `host:port`. */
  readonly host: string;
  /** The directory's root (`dc=example,dc=com`). */
  readonly baseDN: string;
  /** The service account Dex binds as. */
  readonly bindDN: string;
  /** @default 'ldaps' */
  readonly security?: LdapSecurity;
  /** @default - the image's system roots */
  readonly rootCA?: SecretKeyRef;
  /** @default false */
  readonly allowInsecure?: boolean;
  /** @default { secret: 'dex', key: 'ldap-bind-password' } */
  readonly bindPassword?: SecretKeyRef;
  /** Where users are. @default OpenLDAP: `ou=people,<baseDN>`; Active Directory: `<baseDN>` */
  readonly usersDN?: string;
  /** Where groups are. @default OpenLDAP: `ou=groups,<baseDN>`; Active Directory: `<baseDN>` */
  readonly groupsDN?: string;
  /** Count the groups a user's groups are members of (nested groups) as the user's. @default true */
  readonly nestedGroups?: boolean;
}

function common(p: DirectoryPresetProps): Omit<LdapDirectoryProps, 'userSearch' | 'groupSearch'> {
  return {
    host: p.host,
    bindDN: p.bindDN,
    ...(p.security === undefined ? {} : { security: p.security }),
    ...(p.rootCA === undefined ? {} : { rootCA: p.rootCA }),
    ...(p.allowInsecure === undefined ? {} : { allowInsecure: p.allowInsecure }),
    ...(p.bindPassword === undefined ? {} : { bindPassword: p.bindPassword }),
  };
}

function memberOf(nested: boolean): LdapUserMatcher {
  return { userAttr: 'DN', groupAttr: 'member', ...(nested ? { recursionGroupAttr: 'member' } : {}) };
}

/**
 * An OpenLDAP directory laid out the usual way: `inetOrgPerson` users under `ou=people` who sign
 * in with their `uid`, `groupOfNames` groups under `ou=groups` that list members by DN in
 * `member` (groups may be members of groups). The id is the `uid`, the email `mail`.
 */
export function openLdapDirectory(p: DirectoryPresetProps): LdapDirectoryProps {
  return {
    ...common(p),
    userSearch: {
      baseDN: p.usersDN ?? `ou=people,${p.baseDN}`, filter: '(objectClass=inetOrgPerson)', username: 'uid', scope: 'sub',
      idAttr: 'uid', emailAttr: 'mail', nameAttr: 'cn', preferredUsernameAttr: 'uid',
    },
    groupSearch: {
      baseDN: p.groupsDN ?? `ou=groups,${p.baseDN}`, filter: '(objectClass=groupOfNames)', scope: 'sub',
      userMatchers: [memberOf(p.nestedGroups ?? true)], nameAttr: 'cn',
    },
  };
}

/**
 * The user filter of the Active Directory preset: user objects that are not computers (a
 * computer is also a `user`) and whose account is not disabled (bit 2 of `userAccountControl`,
 * tested with the bitwise-AND matching rule 1.2.840.113556.1.4.803).
 */
export const AD_USER_FILTER = '(&(objectClass=user)(!(objectClass=computer))(!(userAccountControl:1.2.840.113556.1.4.803:=2)))';

/**
 * An Active Directory domain: people sign in with their `sAMAccountName`; the email claim is the
 * `userPrincipalName` (unique in the forest); groups are `group` objects that list members by DN
 * in `member`, walked up level by level for nested groups.
 */
export function activeDirectory(p: DirectoryPresetProps): LdapDirectoryProps {
  return {
    ...common(p),
    usernamePrompt: 'Windows account',
    userSearch: {
      baseDN: p.usersDN ?? p.baseDN, filter: AD_USER_FILTER, username: 'sAMAccountName', scope: 'sub',
      idAttr: 'sAMAccountName', emailAttr: 'userPrincipalName', nameAttr: 'displayName', preferredUsernameAttr: 'sAMAccountName',
    },
    groupSearch: {
      baseDN: p.groupsDN ?? p.baseDN, filter: '(objectClass=group)', scope: 'sub',
      userMatchers: [memberOf(p.nestedGroups ?? true)], nameAttr: 'cn',
    },
  };
}

/** The Secret and key the bind password is read from, unless the directory names another. */
export const DEFAULT_BIND_PASSWORD: SecretKeyRef = { secret: 'dex', key: 'ldap-bind-password' };

/** The environment variable Dex's config refers to for the bind password (expanded by Dex at start). */
export const BIND_PASSWORD_ENV = 'DEX_LDAP_BIND_PASSWORD';

/** Where the directory's CA is mounted in the Dex container. */
export const LDAP_CA_DIR = '/etc/dex/ldap-ca';

/** The connector's part of Dex's configuration, as `connector/ldap/ldap.go` (v2.45) reads it. */
export interface LdapConnectorConfig {
  readonly host: string;
  readonly insecureNoSSL?: boolean;
  readonly startTLS?: boolean;
  readonly insecureSkipVerify?: boolean;
  readonly rootCA?: string;
  readonly bindDN: string;
  readonly bindPW: string;
  readonly usernamePrompt: string;
  readonly userSearch: Record<string, string>;
  readonly groupSearch: {
    readonly baseDN: string; readonly filter?: string; readonly scope: LdapScope; readonly nameAttr: string;
    readonly userMatchers: readonly Record<string, string>[];
  };
}

const ATTRIBUTE = /^([A-Za-z][A-Za-z0-9-]*|\d+(\.\d+)+)$/;
// An extensible match as a group attribute (`member:1.2.840.113556.1.4.1941:`, AD's in-chain rule).
const MATCH_ATTRIBUTE = /^([A-Za-z][A-Za-z0-9-]*)(:\d+(\.\d+)+:)?$/;
const HOST = /^[a-z0-9]([-a-z0-9.]*[a-z0-9])?(:\d{1,5})?$/;

function balanced(filter: string): boolean {
  let depth = 0;
  for (const c of filter) {
    if (c === '(') depth += 1;
    if (c === ')') depth -= 1;
    if (depth < 0) return false;
  }
  return depth === 0;
}

/**
 * Checks a directory and renders the connector's config. Every rule here is one Dex would only
 * report at start (or never, with a wrong login as the symptom); see connector/ldap/ldap.go and
 * cmd/dex/config.go of Dex v2.45.1.
 */
export function renderLdapConnector(scope: IConstruct, d: LdapDirectoryProps, field = 'directory'): LdapConnectorConfig {
  const bad = (f: string, value: unknown, rule: string, fix: string): never => {
    throw PlatformError.at(scope, { field: `${field}.${f}`, value, rule, fix });
  };
  const security = d.security ?? 'ldaps';
  const allowInsecure = d.allowInsecure ?? false;
  if (security === 'plaintext' && !allowInsecure) {
    bad('security', security, 'sends passwords unencrypted and is refused unless allowInsecure is true', "use 'ldaps' or 'starttls' (with rootCA for a private CA); plain LDAP only for a throwaway e2e directory with allowInsecure: true");
  }
  if ((d.insecureSkipVerify ?? false) && !allowInsecure) {
    bad('insecureSkipVerify', true, 'accepts any certificate and is refused unless allowInsecure is true', "give the directory's CA as rootCA instead");
  }
  if (security === 'plaintext' && d.rootCA !== undefined) {
    bad('rootCA', d.rootCA, 'is unused with plain LDAP', "drop rootCA, or use 'ldaps' or 'starttls'");
  }
  const bindPassword: unknown = d.bindPassword ?? DEFAULT_BIND_PASSWORD;
  if (typeof bindPassword !== 'object' || bindPassword === null) {
    // The value is not echoed: it may be the password itself.
    bad('bindPassword', undefined, 'is a literal value; the bind password must come from a Secret', "give a Secret key reference, { secret: 'dex', key: 'ldap-bind-password' }, and provide the value through the deploy step");
  }
  if (!HOST.test(d.host)) bad('host', d.host, 'is not a host name or host:port', "write the server as 'ldap.example.com' or 'ldap.example.com:636'");
  // The port is always written out: without one Dex picks 636 for anything but plain LDAP
  // (openConnector in ldap.go), StartTLS included, which is the wrong port for StartTLS.
  const port = security === 'ldaps' ? 636 : 389;
  const host = /:\d+$/.test(d.host) ? d.host : `${d.host}:${port}`;

  // Dex expands $VAR and ${VAR} in every string of a connector's config (cmd/dex/config.go,
  // expandEnvInMap, on by default: featureflags.ExpandEnv), so a '$' in a DN or filter would be
  // silently replaced. Only the bind password reference may use it.
  const text = (f: string, value: string): string => {
    if (value.includes('$')) bad(f, value, "contains '$', which Dex's environment expansion would replace", "remove the '$' (escape it in a filter as \\24)");
    if (value.trim() === '' || value !== value.trim()) bad(f, value, 'must be non-empty without surrounding spaces', 'write the value as the directory has it');
    return value;
  };
  const dn = (f: string, value: string): string => {
    text(f, value);
    if (!value.includes('=')) bad(f, value, 'is not a distinguished name', "write a DN such as 'ou=people,dc=example,dc=com'");
    return value;
  };
  const filter = (f: string, value: string | undefined): string | undefined => {
    if (value === undefined) return undefined;
    text(f, value);
    if (!value.startsWith('(') || !value.endsWith(')') || !balanced(value)) bad(f, value, 'is not a parenthesized LDAP filter', "write a filter such as '(objectClass=person)'");
    return value;
  };
  const attr = (f: string, value: string, pattern = ATTRIBUTE): string => {
    if (!pattern.test(value)) bad(f, value, 'is not an attribute name', "write an attribute such as 'uid', 'mail' or 'DN' (the entry's DN)");
    return value;
  };

  const u = d.userSearch;
  const g = d.groupSearch;
  if (g.userMatchers.length === 0) bad('groupSearch.userMatchers', [], 'must not be empty', "add how groups list members, e.g. { userAttr: 'DN', groupAttr: 'member' }");
  const userSearch: Record<string, string> = {
    baseDN: dn('userSearch.baseDN', u.baseDN),
    ...(u.filter === undefined ? {} : { filter: filter('userSearch.filter', u.filter) as string }),
    username: attr('userSearch.username', u.username),
    scope: u.scope ?? 'sub',
    idAttr: attr('userSearch.idAttr', u.idAttr),
    emailAttr: attr('userSearch.emailAttr', u.emailAttr),
    ...(u.nameAttr === undefined ? {} : { nameAttr: attr('userSearch.nameAttr', u.nameAttr) }),
    ...(u.preferredUsernameAttr === undefined ? {} : { preferredUsernameAttr: attr('userSearch.preferredUsernameAttr', u.preferredUsernameAttr) }),
  };
  const userMatchers = g.userMatchers.map((m, i) => ({
    userAttr: attr(`groupSearch.userMatchers[${i}].userAttr`, m.userAttr),
    groupAttr: attr(`groupSearch.userMatchers[${i}].groupAttr`, m.groupAttr, MATCH_ATTRIBUTE),
    ...(m.recursionGroupAttr === undefined ? {} : { recursionGroupAttr: attr(`groupSearch.userMatchers[${i}].recursionGroupAttr`, m.recursionGroupAttr) }),
  }));
  const groupFilter = filter('groupSearch.filter', g.filter);
  return {
    host,
    ...(security === 'plaintext' ? { insecureNoSSL: true } : {}),
    ...(security === 'starttls' ? { startTLS: true } : {}),
    ...(d.insecureSkipVerify === true ? { insecureSkipVerify: true } : {}),
    ...(d.rootCA === undefined ? {} : { rootCA: `${LDAP_CA_DIR}/${d.rootCA.key}` }),
    bindDN: dn('bindDN', d.bindDN),
    bindPW: `$${BIND_PASSWORD_ENV}`,
    usernamePrompt: text('usernamePrompt', d.usernamePrompt ?? 'Username'),
    userSearch,
    groupSearch: {
      baseDN: dn('groupSearch.baseDN', g.baseDN),
      ...(groupFilter === undefined ? {} : { filter: groupFilter }),
      scope: g.scope ?? 'sub',
      userMatchers,
      nameAttr: attr('groupSearch.nameAttr', g.nameAttr),
    },
  };
}
