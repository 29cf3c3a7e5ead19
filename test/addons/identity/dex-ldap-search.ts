// The searches Dex's LDAP connector makes, rebuilt step by step from Dex v2.45.1
// connector/ldap/ldap.go (userEntry, identityFromEntry, groups, queryGroups, getAttrs) and run
// against a real slapd with ldapsearch. Dex itself is not in Debian, so this is the closest the
// tests get to it: the same base DNs, filters, scopes, requested attributes and user matchers,
// taken from the connector config the addon writes into Dex's ConfigMap.
import type { LdapConnectorConfig } from '../../../lib/addons/identity/ldap-directory';
import { LdapSearchError, ldapsearch, type LdapEntry } from './slapd';

/** go-ldap's EscapeFilter (v3/ldap.go, mustEscape): NUL, '(', ')', '*', '\\' and bytes >= 0x80 as \xx. */
export function escapeFilter(value: string): string {
  return [...Buffer.from(value, 'utf8')].map((b) => (b === 0 || b === 0x28 || b === 0x29 || b === 0x2a || b === 0x5c || b >= 0x80 ? `\\${b.toString(16).padStart(2, '0')}` : String.fromCharCode(b))).join('');
}

/** getAttrs: the attribute's values; `DN` (any case) is the entry's DN when no such attribute exists. */
function getAttrs(e: LdapEntry, name: string): readonly string[] {
  const values = e.attributes[name];
  if (values !== undefined) return values;
  return name.toLowerCase() === 'dn' ? [e.dn] : [];
}

/** What the login of one user yields: the identity's claims and the groups claim. */
export interface DexLogin {
  readonly dn: string;
  readonly userId: string;
  readonly email: string;
  readonly name: string | undefined;
  readonly preferredUsername: string | undefined;
  readonly groups: readonly string[];
}

/** Every search the connector makes for one login, with the requests it sent. */
export interface DexSearchTrace {
  readonly requests: { baseDN: string; scope: string; filter: string; attributes: readonly string[] }[];
}

/**
 * Runs Dex's login searches for `username` (without the password bind, which the test does
 * with ldapwhoami). Returns undefined when the user search finds no entry, throws when it finds
 * several or an attribute is missing, as Dex does.
 */
export function dexLogin(url: string, bind: { dn: string; password: string }, c: LdapConnectorConfig, username: string, trace: DexSearchTrace = { requests: [] }): DexLogin | undefined {
  const us = c.userSearch;
  const gs = c.groupSearch;
  const search = (req: { baseDN: string; scope: string; filter: string; attributes: readonly string[] }) => {
    trace.requests.push(req);
    return ldapsearch(url, bind, req);
  };
  // userEntry: "(<username>=<escaped>)", ANDed with the filter when one is set.
  let filter = `(${us.username}=${escapeFilter(username)})`;
  if (us.filter !== undefined) filter = `(&${us.filter}${filter})`;
  const attributes = [us.idAttr, us.emailAttr, ...gs.userMatchers.map((m) => m.userAttr)]
    .concat(us.nameAttr === undefined ? [] : [us.nameAttr], us.preferredUsernameAttr === undefined ? [] : [us.preferredUsernameAttr])
    .filter((a): a is string => a !== undefined);
  let found: LdapEntry[];
  try {
    found = search({ baseDN: us.baseDN as string, scope: us.scope ?? 'sub', filter, attributes });
  } catch (e) {
    throw new Error(`ldap: search with filter "${filter}" failed: ${(e as Error).message}`);
  }
  if (found.length === 0) return undefined;
  if (found.length > 1) throw new Error(`ldap: filter returned multiple (${found.length}) results: "${filter}"`);
  const user = found[0] as LdapEntry;

  // identityFromEntry: id and email are required; name and preferred username when configured.
  const first = (name: string | undefined) => (name === undefined ? undefined : getAttrs(user, name)[0]);
  const missing = [us.idAttr, us.emailAttr, us.nameAttr, us.preferredUsernameAttr].filter((a) => a !== undefined && first(a) === undefined);
  if (missing.length > 0) throw new Error(`ldap: entry "${user.dn}" missing following required attribute(s): ${JSON.stringify(missing)}`);

  // groups: per matcher, per value of the user's userAttr; then, with recursionGroupAttr, parents
  // of every group found by its DN, level by level, skipping names already seen.
  const queryGroups = (memberAttr: string, value: string): LdapEntry[] => {
    let f = `(${memberAttr}=${escapeFilter(value)})`;
    if (gs.filter !== undefined) f = `(&${gs.filter}${f})`;
    try {
      return search({ baseDN: gs.baseDN, scope: gs.scope, filter: f, attributes: [gs.nameAttr] });
    } catch (e) {
      // queryGroups: a missing base (noSuchObject) is "no groups"; anything else fails the login.
      if (e instanceof LdapSearchError && e.resultCode === 32) return [];
      throw new Error(`ldap: search failed: ${(e as Error).message}`);
    }
  };
  const nameOf = (g: LdapEntry): string => {
    const n = getAttrs(g, gs.nameAttr)[0];
    if (n === undefined) throw new Error(`ldap: group entity "${g.dn}" missing required attribute "${gs.nameAttr}"`);
    return n;
  };
  const groupNames: string[] = [];
  for (const m of gs.userMatchers) {
    let groups: LdapEntry[] = getAttrs(user, m.userAttr as string).flatMap((v) => queryGroups(m.groupAttr as string, v));
    if (m.recursionGroupAttr === undefined) {
      groupNames.push(...groups.map(nameOf));
      continue;
    }
    for (;;) {
      const next: LdapEntry[] = [];
      for (const g of groups) {
        const name = nameOf(g);
        if (groupNames.includes(name)) continue;
        groupNames.push(name);
        next.push(...queryGroups(m.recursionGroupAttr, g.dn));
      }
      if (next.length === 0) break;
      groups = next;
    }
  }
  return { dn: user.dn, userId: first(us.idAttr) as string, email: first(us.emailAttr) as string, name: first(us.nameAttr), preferredUsername: first(us.preferredUsernameAttr), groups: groupNames };
}
