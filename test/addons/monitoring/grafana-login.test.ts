// Grafana's sign-in, checked against the rules of its generic OAuth connector
// (grafana pkg/login/social/connectors/generic_oauth.go: UserInfo, IsGroupMember, extractGroups,
// Validate; social_base.go: extractRoleAndAdminOptional, searchRole, getRoleFromSearch):
// - `allowed_groups` (split on spaces and commas) admits a login only when one of its groups, read
//   with `groups_attribute_path`, is listed; with no groups_attribute_path no login has groups, and
//   Validate refuses allowed groups without it;
// - `role_attribute_path` is a JMESPath over the claims; a result that is not a string is no role,
//   and with `role_attribute_strict` no role refuses the login; a string is title-cased into a role.
// No Grafana runs here, so the role path is evaluated by the small JMESPath subset below (the
// `contains(groups[*], '<g>') && '<Role>'` terms the path is made of, joined by `||`), which refuses
// any other expression.
import { PlatformError } from '../../../lib';
import { monitoring, PROPS } from './fixture';

type Value = string | boolean | null;

/** JMESPath's `a || b` / `a && b` over `contains(groups[*], 'g') && 'Role'` terms (JMESPath spec: or/and expressions, truthiness). */
function evaluateRolePath(path: string, claims: { groups: readonly string[] }): Value {
  const term = /^contains\(groups\[\*\], '([^']*)'\) && '([^']*)'$/;
  let result: Value = null;
  for (const part of path.split(' || ')) {
    const m = term.exec(part);
    if (m === null) throw new Error(`not in the evaluated subset: ${part}`);
    const contains = claims.groups.includes(m[1] as string);
    const value: Value = contains ? (m[2] as string) : false; // `false && x` is false
    if (value !== false && value !== null && value !== '') return value; // `||` returns its first truthy operand
    result = value;
  }
  return result;
}

/** What Grafana does with a login whose ID token carries `groups`: its role, or why it is refused. */
function signIn(ini: string, groups: readonly string[]): string {
  const setting = (key: string) => new RegExp(`^${key} = (.*)$`, 'm').exec(ini)?.[1];
  const role = evaluateRolePath(setting('role_attribute_path') ?? '', { groups });
  const strict = setting('role_attribute_strict') === 'true';
  if (typeof role !== 'string' || role === '') {
    if (strict) return 'refused: no role';
  }
  const allowed = (setting('allowed_groups') ?? '').split(/[ ,]+/).filter((g) => g !== '');
  const claimed = setting('groups_attribute_path') === 'groups' ? groups : [];
  if (allowed.length > 0 && !allowed.some((g) => claimed.includes(g))) return 'refused: not in an allowed group';
  return typeof role === 'string' ? role : 'Viewer';
}

describe('Grafana sign-in', () => {
  const oidc = { ...PROPS.grafana.oidc, adminGroups: ['platform-admins'], editorGroups: ['shop-owners'], viewerGroups: ['shop-developers', 'auditors'] };
  const ini = monitoring({ grafana: { ...PROPS.grafana, oidc } }).grafana.ini;

  test('is through OIDC alone: no anonymous access, no basic auth, no login form', () => {
    expect(ini).toMatch(/\[auth\]\ndisable_login_form = true\n/);
    expect(ini).toMatch(/\[auth\.basic\]\nenabled = false\n/);
    expect(ini).toMatch(/\[auth\.anonymous\]\nenabled = false\n/);
    expect(ini).toContain('groups_attribute_path = groups');
    expect(ini).toContain('allowed_groups = platform-admins shop-owners shop-developers auditors');
    expect(ini).toContain('role_attribute_strict = true');
  });

  test('maps the declared groups to their roles, the strongest first', () => {
    expect(signIn(ini, ['platform-admins'])).toBe('Admin');
    expect(signIn(ini, ['shop-developers', 'platform-admins'])).toBe('Admin');
    expect(signIn(ini, ['shop-owners'])).toBe('Editor');
    expect(signIn(ini, ['shop-owners', 'auditors'])).toBe('Editor');
    expect(signIn(ini, ['auditors'])).toBe('Viewer');
    expect(signIn(ini, ['shop-developers'])).toBe('Viewer');
  });

  test('refuses everyone in no declared group', () => {
    expect(signIn(ini, [])).toBe('refused: no role');
    expect(signIn(ini, ['content-owners'])).toBe('refused: no role');
    expect(signIn(ini, ['platform-admins-old'])).toBe('refused: no role');
  });

  test('an allowed-group list that is empty is refused, naming the fields and the fix', () => {
    const none = { ...PROPS.grafana.oidc, adminGroups: [], editorGroups: [] };
    expect(() => monitoring({ grafana: { ...PROPS.grafana, oidc: none } })).toThrow(new PlatformError([
      'prod/addon-monitoring/monitoring/grafana: oidc.viewerGroups is empty, as are oidc.adminGroups and oidc.editorGroups, so no one could sign in to Grafana (got []); name the directory groups that may sign in: adminGroups, editorGroups or viewerGroups',
    ]));
  });

  test('a group name that would break the group list or the role path is refused', () => {
    const quoted = { ...PROPS.grafana.oidc, editorGroups: ["shop' || 'Admin"] };
    expect(() => monitoring({ grafana: { ...PROPS.grafana, oidc: quoted } })).toThrow(new PlatformError([
      'prod/addon-monitoring/monitoring/grafana: oidc.editorGroups is not a plain group name (got "shop\' || \'Admin"); name the directory group with letters, digits and . _ @ : - only',
    ]));
  });
});
