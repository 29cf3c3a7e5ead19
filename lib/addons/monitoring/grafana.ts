import { Construct } from 'constructs';
import { k8s } from 'cdk8s-plus-27';
import { buildContainer } from '../../apps/container';
import { GatewayRoute } from '../../apps/gateway-route';
import { Probe } from '../../apps/probe';
import type { ResourcesProps } from '../../apps/resources';
import type { SecretKeyRef } from '../../apps/secrets';
import { Cidr, DnsName, ImageRef, PlatformError, parseAt, type CidrLike, type ImageRefLike } from '../../core';
import { urlPort } from './monitoring-network-policies';
import { componentLabels, componentSelector, addServiceAccount, hashedConfigMap, toYaml, addSingleDeployment } from './component';
import { DEFAULT_DASHBOARDS, PROMETHEUS_DATASOURCE_UID, renderDashboard, type DashboardSpec } from './dashboards';
import { MONITORING_IMAGES } from './images';
import { checkProps } from '../../core/props-check';

/** Login to Grafana through the company's OIDC provider. */
export interface GrafanaOidcProps {
  /** The issuer URL (`https://dex.example.com`). */
  readonly issuerUrl: string;
  /** The OAuth client id registered for Grafana. */
  readonly clientId: string;
  /** The client secret: a key of a Secret in the monitoring namespace, never a value. */
  readonly clientSecret: SecretKeyRef;
  /** Groups whose members sign in as Grafana admins. @default [] */
  readonly adminGroups?: readonly string[];
  /** Groups whose members sign in as editors. @default [] */
  readonly editorGroups?: readonly string[];
  /**
   * Groups whose members sign in as viewers. Only members of the admin, editor and viewer groups
   * may sign in at all (`allowed_groups`, and `role_attribute_strict`: no role, no login); the
   * three together must name at least one group. @default []
   */
  readonly viewerGroups?: readonly string[];
  /**
   * The address blocks the provider's token and userinfo endpoints are at: Grafana's egress to
   * them, on their ports (a NetworkPolicy matches addresses, not host names). Declare them when
   * the provider is inside the VPC (an internal load balancer), which the default leaves out.
   * @default - the public internet on the endpoints' ports (PUBLIC_INTERNET_EXCEPT says what that leaves out)
   */
  readonly egressTo?: readonly CidrLike[];
  /** The authorization endpoint. @default `${issuerUrl}/auth` (Dex) */
  readonly authUrl?: string;
  /** The token endpoint. @default `${issuerUrl}/token` (Dex) */
  readonly tokenUrl?: string;
  /** The userinfo endpoint. @default `${issuerUrl}/userinfo` (Dex) */
  readonly userInfoUrl?: string;
}

/** Props of a {@link Grafana}. */
export interface GrafanaProps {
  /** The namespace it runs in. */
  readonly namespace: string;
  /** The host name it is served on (`grafana.prod.example.com`), through the platform Gateway with TLS. */
  readonly host: string;
  /** OIDC login; the login form and basic auth are off. */
  readonly oidc: GrafanaOidcProps;
  /** The built-in admin's password: a key of a Secret in the monitoring namespace, never a value. */
  readonly adminPassword: SecretKeyRef;
  /** The Prometheus URL of the provisioned datasource. */
  readonly prometheusUrl: string;
  /** The provisioned dashboards. @default DEFAULT_DASHBOARDS (cluster, namespace, service) */
  readonly dashboards?: readonly DashboardSpec[];
  /** The image. @default MONITORING_IMAGES.grafana */
  readonly image?: ImageRefLike;
  /** Requests and limits. @default { requests: { cpu: '100m', memory: '256Mi' }, limits: { cpu: '500m', memory: '512Mi' } } */
  readonly resources?: ResourcesProps;
  /** The registry pull secret the ServiceAccount names. @default - none */
  readonly imagePullSecret?: string;
}

/** The name of the component's objects and the `app.kubernetes.io/name` of its pods. */
export const GRAFANA_NAME = 'grafana';
const NAME = GRAFANA_NAME;
/** The port Grafana serves on. */
export const GRAFANA_PORT = 3000;
const PORT = GRAFANA_PORT;
const HTTPS_URL = /^https:\/\/[a-z0-9.-]+(:\d+)?(\/\S*)?$/;

/**
 * Grafana with the Prometheus datasource and the dashboards provisioned as code, OIDC login
 * mapped from groups to roles, and no password in the output: the admin password and the OIDC
 * client secret are read from Secret references.
 */
export class Grafana extends Construct {
  /** The generated `grafana.ini`. */
  public readonly ini: string;
  /** The ways out Grafana needs: the OIDC provider's token and userinfo endpoints (Grafana calls them; the browser calls the authorization endpoint). */
  public readonly egress: readonly { readonly to: readonly Cidr[] | undefined; readonly port: number }[];

  public constructor(scope: Construct, id: string, props: GrafanaProps) {
    super(scope, id);
    props = checkProps(this, Grafana, props);
    const image = parseAt(this, 'image', () => ImageRef.of(props.image ?? MONITORING_IMAGES.grafana));
    const ns = props.namespace;
    const labels = componentLabels(NAME, 'dashboards', image);
    if (!DnsName.isValid(props.host)) {
      throw PlatformError.at(this, { field: 'host', value: props.host, rule: 'is not a fully qualified lowercase DNS name', fix: "write a host such as 'grafana.example.com'" });
    }
    const oidc = props.oidc;
    const issuer = oidc.issuerUrl.replace(/\/$/, '');
    for (const [field, url] of [['oidc.issuerUrl', issuer], ['oidc.authUrl', oidc.authUrl], ['oidc.tokenUrl', oidc.tokenUrl], ['oidc.userInfoUrl', oidc.userInfoUrl]] as const) {
      if (url !== undefined && !HTTPS_URL.test(url)) throw PlatformError.at(this, { field, value: url, rule: 'is not an https URL', fix: 'write the https URL of the OIDC provider' });
    }
    const groups = checkGroups(this, oidc);
    const tokenUrl = oidc.tokenUrl ?? `${issuer}/token`;
    const userInfoUrl = oidc.userInfoUrl ?? `${issuer}/userinfo`;
    const egressTo = oidc.egressTo?.map((c, j) => parseAt(this, `oidc.egressTo[${j}]`, () => Cidr.of(c)));
    this.egress = [...new Set([urlPort(this, 'oidc.tokenUrl', tokenUrl), urlPort(this, 'oidc.userInfoUrl', userInfoUrl)])].map((port) => ({ to: egressTo, port }));
    this.ini = renderIni({
      root_url: `https://${props.host}/`,
      client_id: oidc.clientId,
      auth_url: oidc.authUrl ?? `${issuer}/auth`,
      token_url: tokenUrl,
      api_url: userInfoUrl,
      allowed_groups: groups.all.join(' '),
      role_attribute_path: rolePath(groups.admin, groups.editor, groups.viewer),
    });
    const dashboards = props.dashboards ?? DEFAULT_DASHBOARDS;
    const iniMap = hashedConfigMap(this, 'config', `${NAME}-config`, ns, labels, {
      'grafana.ini': this.ini,
      'datasources.yaml': toYaml({
        apiVersion: 1,
        datasources: [{ name: 'Prometheus', uid: PROMETHEUS_DATASOURCE_UID, type: 'prometheus', access: 'proxy', url: props.prometheusUrl, isDefault: true, editable: false }],
      }),
      'dashboards.yaml': toYaml({
        apiVersion: 1,
        providers: [{ name: 'platform', folder: 'Platform', type: 'file', disableDeletion: true, allowUiUpdates: false, options: { path: '/var/lib/grafana/dashboards' } }],
      }),
    });
    const dashboardMap = hashedConfigMap(this, 'dashboards', `${NAME}-dashboards`, ns, labels,
      Object.fromEntries(dashboards.map((d) => [`${d.uid}.json`, JSON.stringify(renderDashboard(this, d), null, 2)])));
    addServiceAccount(this, NAME, ns, labels, props.imagePullSecret);
    const main = buildContainer(this, NAME, {
      image,
      ports: [{ name: 'http', port: PORT }],
      secretEnv: {
        GF_SECURITY_ADMIN_PASSWORD: props.adminPassword,
        GF_AUTH_GENERIC_OAUTH_CLIENT_SECRET: oidc.clientSecret,
      },
      resources: props.resources ?? { requests: { cpu: '100m', memory: '256Mi' }, limits: { cpu: '500m', memory: '512Mi' } },
      readiness: Probe.http('/api/health', { period: '10s' }),
      liveness: Probe.tcp({ period: '20s' }),
      writablePaths: ['/tmp', '/var/lib/grafana'],
    }, {
      field: 'container', defaultReadiness: undefined, defaultLiveness: undefined,
      mounts: [
        { name: 'config', mountPath: '/etc/grafana/grafana.ini', subPath: 'grafana.ini', readOnly: true },
        { name: 'config', mountPath: '/etc/grafana/provisioning/datasources/datasources.yaml', subPath: 'datasources.yaml', readOnly: true },
        { name: 'config', mountPath: '/etc/grafana/provisioning/dashboards/dashboards.yaml', subPath: 'dashboards.yaml', readOnly: true },
        { name: 'dashboards', mountPath: '/var/lib/grafana/dashboards', readOnly: true },
      ],
    });
    new k8s.KubeService(this, 'service', {
      metadata: { name: NAME, namespace: ns, labels },
      spec: { selector: componentSelector(NAME), ports: [{ name: 'http', port: PORT, targetPort: k8s.IntOrString.fromString('http') }] },
    });
    addSingleDeployment(this, {
      name: NAME, namespace: ns, labels, user: 472, automountToken: false,
      containers: [main.container], volumes: [...main.volumes, { name: 'config', configMap: { name: iniMap } }, { name: 'dashboards', configMap: { name: dashboardMap } }],
    });
    new GatewayRoute(this, 'route', { name: NAME, namespace: ns, host: props.host, serviceName: NAME, port: PORT, labels });
  }
}

const GROUP = /^[A-Za-z0-9][A-Za-z0-9._@:-]*$/;

/** The declared groups, checked: at least one in all, each a plain name (no space or quote: `allowed_groups` splits on spaces and commas, the role path quotes them). */
function checkGroups(scope: Construct, oidc: GrafanaOidcProps): { admin: readonly string[]; editor: readonly string[]; viewer: readonly string[]; all: readonly string[] } {
  const admin = oidc.adminGroups ?? [];
  const editor = oidc.editorGroups ?? [];
  const viewer = oidc.viewerGroups ?? [];
  for (const [field, list] of [['oidc.adminGroups', admin], ['oidc.editorGroups', editor], ['oidc.viewerGroups', viewer]] as const) {
    const bad = list.find((g) => !GROUP.test(g));
    if (bad !== undefined) {
      throw PlatformError.at(scope, { field, value: bad, rule: 'is not a plain group name', fix: 'name the directory group with letters, digits and . _ @ : - only' });
    }
  }
  const all = [...new Set([...admin, ...editor, ...viewer])];
  if (all.length === 0) {
    throw PlatformError.at(scope, {
      field: 'oidc.viewerGroups', value: [], rule: 'is empty, as are oidc.adminGroups and oidc.editorGroups, so no one could sign in to Grafana',
      fix: 'name the directory groups that may sign in: adminGroups, editorGroups or viewerGroups',
    });
  }
  return { admin, editor, viewer, all };
}

/**
 * The JMESPath Grafana maps a login's `groups` claim to a role with: Admin, else Editor, else
 * Viewer, else nothing, which `role_attribute_strict` turns into a refused login (grafana
 * pkg/login/social/connectors/social_base.go, extractRoleAndAdminOptional).
 */
export function rolePath(adminGroups: readonly string[], editorGroups: readonly string[], viewerGroups: readonly string[]): string {
  const member = (groups: readonly string[], role: string) => groups.map((g) => `contains(groups[*], '${g}') && '${role}'`);
  return [...member(adminGroups, 'Admin'), ...member(editorGroups, 'Editor'), ...member(viewerGroups, 'Viewer')].join(' || ');
}

function renderIni(v: Record<'root_url' | 'client_id' | 'auth_url' | 'token_url' | 'api_url' | 'allowed_groups' | 'role_attribute_path', string>): string {
  return [
    '[server]', `root_url = ${v.root_url}`, '',
    '[analytics]', 'reporting_enabled = false', 'check_for_updates = false', '',
    '[users]', 'allow_sign_up = false', '',
    '[auth]', 'disable_login_form = true', '',
    '[auth.basic]', 'enabled = false', '',
    '[auth.anonymous]', 'enabled = false', '',
    '[auth.generic_oauth]', 'enabled = true', 'name = OIDC', `client_id = ${v.client_id}`, 'scopes = openid profile email groups',
    `auth_url = ${v.auth_url}`, `token_url = ${v.token_url}`, `api_url = ${v.api_url}`,
    'use_pkce = true', 'allow_sign_up = true',
    // allowed_groups needs groups_attribute_path: without it no login has groups (generic_oauth.go, Validate and extractGroups).
    'groups_attribute_path = groups', `allowed_groups = ${v.allowed_groups}`,
    `role_attribute_path = ${v.role_attribute_path}`, 'role_attribute_strict = true', '',
  ].join('\n');
}
