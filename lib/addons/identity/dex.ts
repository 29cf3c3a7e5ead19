import { Construct } from 'constructs';
import { k8s } from 'cdk8s-plus-27';
import { addPdb, rolloutStrategy, spreadConstraints } from '../../apps/availability';
import { addHashedConfigMap } from '../../apps/config';
import { buildContainer } from '../../apps/container';
import { Probe } from '../../apps/probe';
import type { ResourcesProps } from '../../apps/resources';
import { resolveScrape, scrapeMetadata } from '../../apps/scrape';
import type { SecretKeyRef } from '../../apps/secrets';
import { nonRootPodSecurity } from '../../apps/workload';
import { Duration, ImageRef, PlatformError, parseAt, selectorLabels, standardLabels, type Cidr, type DurationLike, type ImageRefLike } from '../../core';
import { PlatformNamespace } from '../../tenancy/platform-namespace';
import { DEX_API_GROUP, DEX_RESOURCES, DexCrds } from './dex-crds';
import { DEX_HTTP_PORT, DEX_TELEMETRY_PORT, renderDexConfig } from './dex-config';
import { DexNetworkPolicies } from './dex-network-policies';
import { addDexRoute } from './dex-route';
import { BIND_PASSWORD_ENV, DEFAULT_BIND_PASSWORD, LDAP_CA_DIR, renderLdapConnector, type LdapDirectoryProps } from './ldap-directory';
import { kubernetesClients, webClients, type ClusterAudienceProps, type WebClientProps } from './static-clients';
import { toYaml } from './yaml';

/** The Dex release the addon runs: the project's own image, v2.45 line. */
export const DEX_IMAGE = 'ghcr.io/dexidp/dex:v2.45.1';
/** The user the Dex image runs as (`USER dex:dex`, uid 1001, in Dex's Dockerfile). */
export const DEX_USER = 1001;
/** The name of Dex's objects and the `app.kubernetes.io/name` of its pods. */
export const DEX_NAME = 'dex';
const CONFIG_DIR = '/etc/dex/config';

/** Props of {@link Dex}. */
export interface DexProps {
  /** The namespace Dex runs in, created here. */
  readonly namespace: string;
  /** The issuer URL (`https://dex.example.com`): https, a host and no path, query or fragment. */
  readonly issuerUrl: string;
  /** The directory people sign in against. */
  readonly directory: LdapDirectoryProps;
  /** One public client per cluster, the API server's audience. */
  readonly clusters: readonly ClusterAudienceProps[];
  /** Web applications that sign in through Dex. @default [] */
  readonly clients?: readonly WebClientProps[];
  /** The shared Gateway the issuer's host is served through, and the zone its listeners cover. */
  readonly gateway: { readonly name: string; readonly namespace: string; readonly dnsZone: string };
  /** The VPC's block (the API servers, which hold Dex's storage). */
  readonly vpcCidr: Cidr;
  /** @default - kube-dns only */
  readonly nodeLocalDnsAddress?: string;
  /** At least 2, with a PodDisruptionBudget letting one go at a time. @default 2 */
  readonly replicas?: number;
  /** @default DEX_IMAGE */
  readonly image?: ImageRefLike;
  /** @default { requests: { cpu: '50m', memory: '64Mi' }, limits: { cpu: '500m', memory: '256Mi' } } */
  readonly resources?: ResourcesProps;
  /** How long an ID token (what kubectl sends) is valid. @default '1h' */
  readonly idTokenLifetime?: DurationLike;
  /** How long a refresh token may go unused before the user must sign in again. @default '7d' */
  readonly refreshTokenIdle?: DurationLike;
  /** The registry pull secret the ServiceAccount names. @default - none */
  readonly imagePullSecret?: string;
}

/**
 * Dex, the OpenID Connect provider in front of the directory: two replicas spread over zones
 * with a PDB, non-root with a read-only root filesystem, probes on its telemetry port's health
 * endpoints, state in Kubernetes custom resources (its CRDs and a Role on them), served through
 * the shared Gateway. Its configuration is generated from typed values and holds no secret.
 */
export class Dex extends Construct {
  /** The generated configuration (what the ConfigMap holds, parsed). */
  public readonly config: Record<string, unknown>;
  /** The issuer's host. */
  public readonly host: string;

  public constructor(scope: Construct, id: string, props: DexProps) {
    super(scope, id);
    const ns = props.namespace;
    const image = parseAt(this, 'image', () => ImageRef.of(props.image ?? DEX_IMAGE));
    const replicas = props.replicas ?? 2;
    if (!Number.isInteger(replicas) || replicas < 2) {
      throw PlatformError.at(this, { field: 'replicas', value: replicas, rule: 'must be a whole number >= 2', fix: 'run at least 2 replicas: every login of every cluster goes through Dex' });
    }
    this.host = issuerHost(this, props.issuerUrl);
    const zone = props.gateway.dnsZone;
    if (this.host !== zone && !this.host.endsWith(`.${zone}`)) {
      throw PlatformError.at(this, { field: 'issuerUrl', value: props.issuerUrl, rule: `has a host outside the Gateway's zone ${zone}`, fix: `serve the issuer on a host under ${zone} (e.g. 'https://dex.${zone}')` });
    }
    const connector = renderLdapConnector(this, props.directory);
    const kube = kubernetesClients(this, props.clusters);
    const web = webClients(this, props.clients ?? [], kube.map((c) => c.id));
    const goDuration = (field: string, value: DurationLike) => `${parseAt(this, field, () => Duration.of(value)).toSeconds()}s`;
    this.config = renderDexConfig({
      issuerUrl: props.issuerUrl,
      connector,
      connectorName: props.directory.displayName ?? 'Directory',
      clients: [...kube, ...web.map((w) => w.client)],
      idTokenLifetime: goDuration('idTokenLifetime', props.idTokenLifetime ?? '1h'),
      refreshTokenIdle: goDuration('refreshTokenIdle', props.refreshTokenIdle ?? '7d'),
    });

    const labels = standardLabels({ name: DEX_NAME, component: 'identity-provider', partOf: 'identity', version: image.version });
    new PlatformNamespace(this, 'namespace', { name: ns, gatewayListeners: true });
    new DexCrds(this, 'crds', labels);
    new k8s.KubeServiceAccount(this, 'service-account', {
      metadata: { name: DEX_NAME, namespace: ns, labels },
      ...(props.imagePullSecret === undefined ? {} : { imagePullSecrets: [{ name: props.imagePullSecret }] }),
    });
    // What Dex's Kubernetes storage calls (storage/kubernetes/client.go: get, list, post, put,
    // delete; no watch, no patch) on its own kinds, in its own namespace only. Upstream's
    // example grants every verb on every resource of the group cluster-wide, plus creating CRDs.
    new k8s.KubeRole(this, 'role', {
      metadata: { name: DEX_NAME, namespace: ns, labels },
      rules: [{ apiGroups: [DEX_API_GROUP], resources: DEX_RESOURCES.map((r) => r.plural), verbs: ['get', 'list', 'create', 'update', 'delete'] }],
    });
    new k8s.KubeRoleBinding(this, 'role-binding', {
      metadata: { name: DEX_NAME, namespace: ns, labels },
      roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'Role', name: DEX_NAME },
      subjects: [{ kind: 'ServiceAccount', name: DEX_NAME, namespace: ns }],
    });

    const configMap = addHashedConfigMap(this, 'config', `${DEX_NAME}-config`, labels, { 'config.yaml': toYaml(this.config) }, ns);
    const bindPassword = props.directory.bindPassword ?? DEFAULT_BIND_PASSWORD;
    const secretEnv: Record<string, SecretKeyRef> = {
      [BIND_PASSWORD_ENV]: bindPassword,
      ...Object.fromEntries(web.map((w) => [w.env, w.secret])),
    };
    const caMount = props.directory.rootCA === undefined ? [] : [{ name: 'ldap-ca', mountPath: LDAP_CA_DIR, readOnly: true }];
    const main = buildContainer(this, DEX_NAME, {
      image,
      // Dex itself, not the image's entrypoint: that one renders the config with gomplate into
      // /tmp first, which this config does not need (Dex expands $VARs itself).
      command: ['/usr/local/bin/dex', 'serve', `${CONFIG_DIR}/config.yaml`],
      // Pinned on: Dex's default today, and what the $DEX_LDAP_BIND_PASSWORD reference relies on.
      env: { DEX_EXPAND_ENV: 'true' },
      secretEnv,
      ports: [{ name: 'http', port: DEX_HTTP_PORT }, { name: 'telemetry', port: DEX_TELEMETRY_PORT }],
      resources: props.resources ?? { requests: { cpu: '50m', memory: '64Mi' }, limits: { cpu: '500m', memory: '256Mi' } },
      // /healthz/ready runs Dex's health checks (storage reachable); /healthz/live only says the
      // process serves (cmd/dex/serve.go), so a slow API server does not restart Dex.
      readiness: Probe.http('/healthz/ready', { port: 'telemetry', period: '10s' }),
      liveness: Probe.http('/healthz/live', { port: 'telemetry', period: '20s' }),
      writablePaths: [],
    }, {
      field: 'container', defaultReadiness: undefined, defaultLiveness: undefined,
      mounts: [{ name: 'config', mountPath: CONFIG_DIR, readOnly: true }, ...caMount],
    });
    const selector = selectorLabels(DEX_NAME);
    new k8s.KubeDeployment(this, 'deployment', {
      metadata: { name: DEX_NAME, namespace: ns, labels },
      spec: {
        replicas,
        selector: { matchLabels: selector },
        strategy: rolloutStrategy(undefined),
        template: {
          metadata: { labels },
          spec: {
            serviceAccountName: DEX_NAME,
            // Dex keeps its state in custom resources: it calls the API server with its token.
            automountServiceAccountToken: true,
            securityContext: nonRootPodSecurity(DEX_USER),
            topologySpreadConstraints: spreadConstraints(selector),
            containers: [main.container],
            volumes: [
              ...main.volumes,
              { name: 'config', configMap: { name: configMap } },
              ...(props.directory.rootCA === undefined ? [] : [{ name: 'ldap-ca', secret: { secretName: props.directory.rootCA.secret, items: [{ key: props.directory.rootCA.key, path: props.directory.rootCA.key }] } }]),
            ],
          },
        },
      },
    });
    addPdb(this, { name: DEX_NAME, namespace: ns, labels }, selector);
    // Prometheus finds Dex's metrics (`/metrics` on the telemetry port) by the scrape label.
    const scrape = scrapeMetadata(resolveScrape(this, { port: 'telemetry' }, [{ name: 'telemetry', port: DEX_TELEMETRY_PORT }]));
    new k8s.KubeService(this, 'service', {
      metadata: { name: DEX_NAME, namespace: ns, labels: { ...labels, ...scrape.labels }, annotations: scrape.annotations },
      spec: {
        selector,
        ports: [
          { name: 'http', port: DEX_HTTP_PORT, targetPort: k8s.IntOrString.fromString('http') },
          { name: 'telemetry', port: DEX_TELEMETRY_PORT, targetPort: k8s.IntOrString.fromString('telemetry') },
        ],
      },
    });
    addDexRoute(this, { namespace: ns, labels, host: this.host, gateway: props.gateway, service: { name: DEX_NAME, port: DEX_HTTP_PORT } });
    new DexNetworkPolicies(this, 'network-policies', {
      namespace: ns, name: DEX_NAME, gatewayNamespace: props.gateway.namespace,
      httpPort: DEX_HTTP_PORT, telemetryPort: DEX_TELEMETRY_PORT, vpcCidr: props.vpcCidr.toString(),
      ldapPort: Number(connector.host.slice(connector.host.lastIndexOf(':') + 1)),
      ...(props.nodeLocalDnsAddress === undefined ? {} : { nodeLocalDnsAddress: props.nodeLocalDnsAddress }),
    });
  }
}

/**
 * The host of an issuer URL. Dex's issuer is served at the root of its own host here (the
 * HTTPRoute sends every path to Dex), so a path is refused as well as anything but https.
 */
export function issuerHost(scope: Construct, issuerUrl: string): string {
  let url: URL | undefined;
  try {
    url = new URL(issuerUrl);
  } catch {
    url = undefined;
  }
  if (url === undefined || url.protocol !== 'https:' || url.port !== '' || !['', '/'].includes(url.pathname) || issuerUrl.endsWith('/') || url.search !== '' || url.hash !== '' || url.username !== '') {
    throw PlatformError.at(scope, { field: 'issuerUrl', value: issuerUrl, rule: 'must be https://<host> with no port, path, query, fragment or trailing slash', fix: "write the issuer as 'https://dex.example.com'" });
  }
  return url.hostname;
}
