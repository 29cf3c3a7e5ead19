// The presets' searches against a real directory. Dex is not in Debian, so its LDAP connector
// cannot run here; instead the test takes the connector config the addon writes into Dex's
// ConfigMap and makes the searches Dex v2.45.1 would make with it (connector/ldap/ldap.go,
// rebuilt in ./dex-ldap-search.ts) with ldapsearch, against Debian's slapd on loopback.
import { parse } from 'yaml';
import { activeDirectory, openLdapDirectory, type DirectoryPresetProps, type LdapConnectorConfig } from '../../../lib/addons/identity/ldap-directory';
import { AD_TREE, OPENLDAP_TREE } from './directory-trees';
import { dexLogin, type DexSearchTrace } from './dex-ldap-search';
import { buildIdentity, byName, identityProps } from './fixture';
import { AD_BIND, BIND, canBind, startSlapd, type Slapd } from './slapd';

/** The connector config as it lands in Dex's ConfigMap, for a preset pointed at the test server. */
function connectorFor(preset: typeof openLdapDirectory, p: DirectoryPresetProps): LdapConnectorConfig {
  const objects = byName(buildIdentity(identityProps({ directory: preset(p) })));
  const configMap = Object.entries(objects).find(([k]) => k.startsWith('ConfigMap/dex-config-'))?.[1];
  return parse(configMap.data['config.yaml']).connectors[0].config as LdapConnectorConfig;
}

describe('the directory presets against a real slapd', () => {
  let slapd: Slapd;
  let host: string;
  beforeAll(async () => {
    slapd = await startSlapd(OPENLDAP_TREE, AD_TREE);
    host = slapd.url.replace('ldap://', '');
  }, 30000);
  afterAll(async () => slapd?.stop());

  const openLdap = (over: Partial<DirectoryPresetProps> = {}) => connectorFor(openLdapDirectory, {
    host, baseDN: 'dc=example,dc=com', bindDN: BIND.dn, security: 'plaintext', allowInsecure: true, ...over,
  });
  const ad = (over: Partial<DirectoryPresetProps> = {}) => connectorFor(activeDirectory, {
    host, baseDN: 'DC=corp,DC=example', bindDN: AD_BIND.dn, security: 'plaintext', allowInsecure: true, ...over,
  });

  describe('OpenLDAP preset', () => {
    test('finds exactly the one person entry for a uid, with the claims Dex would issue', () => {
      const login = dexLogin(slapd.url, BIND, openLdap(), 'jane');
      expect(login).toMatchObject({ dn: 'uid=jane,ou=people,dc=example,dc=com', userId: 'jane', email: 'jane@example.com', name: 'Jane Doe', preferredUsername: 'jane' });
    });

    test('returns the direct group and every group above it, once, through a membership cycle', () => {
      const login = dexLogin(slapd.url, BIND, openLdap(), 'jane');
      expect(login?.groups).toEqual(['team-orders', 'developers', 'engineering']);
    });

    test('leaves out the posixGroup naming the user by uid and the group outside the groups base', () => {
      const groups = dexLogin(slapd.url, BIND, openLdap(), 'jane')?.groups ?? [];
      expect(groups).not.toContain('legacy');
      expect(groups).not.toContain('old-team');
      expect(dexLogin(slapd.url, BIND, openLdap(), 'john')?.groups).toEqual(['platform-admins']);
    });

    test('without nested groups, returns only the groups that list the user', () => {
      expect(dexLogin(slapd.url, BIND, openLdap({ nestedGroups: false }), 'jane')?.groups).toEqual(['team-orders']);
    });

    test('makes the searches ldap.go builds: user filter ANDed with the uid, group filter with member=<DN>', () => {
      const trace: DexSearchTrace = { requests: [] };
      dexLogin(slapd.url, BIND, openLdap({ nestedGroups: false }), 'jane', trace);
      expect(trace.requests).toEqual([
        { baseDN: 'ou=people,dc=example,dc=com', scope: 'sub', filter: '(&(objectClass=inetOrgPerson)(uid=jane))', attributes: ['uid', 'mail', 'DN', 'cn', 'uid'] },
        { baseDN: 'ou=groups,dc=example,dc=com', scope: 'sub', filter: '(&(objectClass=groupOfNames)(member=uid=jane,ou=people,dc=example,dc=com))', attributes: ['cn'] },
      ]);
    });

    test('the user can bind with their password and not with another (the check Dex makes after the search)', () => {
      expect(canBind(slapd.url, 'uid=jane,ou=people,dc=example,dc=com', 'jane-password')).toBe(true);
      expect(canBind(slapd.url, 'uid=jane,ou=people,dc=example,dc=com', 'john-password')).toBe(false);
    });

    test('finds no one for an unknown name or a wildcard, which is escaped', () => {
      expect(dexLogin(slapd.url, BIND, openLdap(), 'nobody')).toBeUndefined();
      expect(dexLogin(slapd.url, BIND, openLdap(), '*')).toBeUndefined();
    });

    test('an entry without the email attribute fails the login as Dex does', () => {
      expect(() => dexLogin(slapd.url, BIND, openLdap(), 'nomail')).toThrow('ldap: entry "uid=nomail,ou=people,dc=example,dc=com" missing following required attribute(s): ["mail"]');
    });

    test('a users base that does not exist fails the login, as in Dex: a layout mistake shows here, not at the first login', () => {
      expect(() => dexLogin(slapd.url, BIND, openLdap({ usersDN: 'ou=staff,dc=example,dc=com' }), 'jane')).toThrow(/^ldap: search with filter "\(&\(objectClass=inetOrgPerson\)\(uid=jane\)\)" failed: No such object \(32\)/);
    });

    test('a groups base that does not exist gives no groups, as in Dex (queryGroups treats noSuchObject as none)', () => {
      expect(dexLogin(slapd.url, BIND, openLdap({ groupsDN: 'ou=teams,dc=example,dc=com' }), 'jane')?.groups).toEqual([]);
    });

    test('the bind account cannot read the tree with a wrong password: the search fails', () => {
      expect(() => dexLogin(slapd.url, { dn: BIND.dn, password: 'wrong' }, openLdap(), 'jane')).toThrow(/Invalid credentials \(49\)/);
    });
  });

  describe('Active Directory preset', () => {
    test('finds the enabled user by sAMAccountName with the UPN as email and the nested groups', () => {
      const login = dexLogin(slapd.url, AD_BIND, ad(), 'alee');
      expect(login).toMatchObject({ userId: 'alee', email: 'alee@corp.example', name: 'Ann Lee', preferredUsername: 'alee' });
      expect(login?.groups).toEqual(['Team Payments', 'Engineering']);
    });

    test('refuses a disabled account (userAccountControl bit 2) and a computer account', () => {
      expect(dexLogin(slapd.url, AD_BIND, ad(), 'otimer')).toBeUndefined();
      expect(dexLogin(slapd.url, AD_BIND, ad(), 'WS01$')).toBeUndefined();
    });

    test('without nested groups, returns only the direct group', () => {
      expect(dexLogin(slapd.url, AD_BIND, ad({ nestedGroups: false }), 'alee')?.groups).toEqual(['Team Payments']);
    });
  });
});
