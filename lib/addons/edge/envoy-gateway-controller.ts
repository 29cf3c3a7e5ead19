import { Construct } from 'constructs';
import { k8s } from 'cdk8s-plus-27';
import { stringify } from 'yaml';
import { addPdb } from '../../apps/availability';
import { addHashedConfigMap } from '../../apps/config';
import { renderResources, resolveResources, type ResourcesProps } from '../../apps/resources';
import { scrapeMetadata, type ScrapeDeclaration } from '../../apps/scrape';
import { ImageRef, type ImageRefLike, Platform, PlatformError, parseAt, selectorLabels, standardLabels } from '../../core';
import { CERTGEN_RULES, CONTROLLER_CLUSTER_RULES, CONTROLLER_INFRA_RULES, CONTROLLER_LEADER_RULES } from './envoy-gateway-rbac';
import { CONTROLLER_PORTS, EDGE_IMAGES } from './images';
import { checkProps } from '../../core/props-check';

/** The Envoy Gateway controller's own settings. */
export interface EdgeControllerProps {
  /** The controller image (also the certgen Job's and the Envoy pods' shutdown manager). @default EDGE_IMAGES.controller */
  readonly image?: ImageRefLike;
  /** Replicas; they elect a leader, the others stand by. @default 2 */
  readonly replicas?: number;
  /** Requests and limits. @default { requests: { cpu: '100m', memory: '256Mi' }, limits: { cpu: '1', memory: '1Gi' } } (upstream's requests and memory limit) */
  readonly resources?: ResourcesProps;
  /** The controller's log level. @default 'info' */
  readonly logLevel?: 'debug' | 'info' | 'warn' | 'error';
}

/** Props of an {@link EnvoyGatewayController}. */
export interface EnvoyGatewayControllerProps extends EdgeControllerProps {
  /** The namespace it runs in (its Envoy pods run there too). */
  readonly namespace: string;
}

/** The name upstream gives the controller's ServiceAccount, Deployment and Service: the Envoy pods' bootstrap dials `envoy-gateway.<namespace>.svc`. */
export const CONTROLLER_NAME = 'envoy-gateway';
/** The Secret certgen writes the controller's serving certificate to, which its Deployment mounts. */
export const CONTROLLER_CERT_SECRET = 'envoy-gateway';

/**
 * Envoy Gateway's control plane, written from what upstream's chart renders
 * (schemas/envoy-gateway/reference/install-rendered-by-upstream-chart.yaml): its ServiceAccount,
 * least-privilege RBAC (see envoy-gateway-rbac.ts for what is left out), the EnvoyGateway
 * configuration in a ConfigMap whose name carries its hash, a Deployment of leader-electing
 * replicas with a PodDisruptionBudget, the `envoy-gateway` Service the Envoy pods fetch their
 * configuration from (xDS over mutual TLS), a metrics Service declared for scraping, and the
 * certgen Job that writes the mutual-TLS certificates (the topology injector webhook is off, so
 * certgen patches no webhook).
 */
export class EnvoyGatewayController extends Construct {
  /** The controller's Deployment. */
  public readonly deployment: k8s.KubeDeployment;
  /** The certgen Job. */
  public readonly certgen: k8s.KubeJob;
  /** The labels that select the controller's pods. */
  public readonly selectorLabels: Record<string, string>;
  /** The labels that select the certgen Job's pod. */
  public readonly certgenLabels: Record<string, string>;
  /** How Prometheus scrapes the controller. */
  public readonly scrape: ScrapeDeclaration;
  /** The controller image, as pinned. */
  public readonly image: ImageRef;

  public constructor(scope: Construct, id: string, props: EnvoyGatewayControllerProps) {
    super(scope, id);
    props = checkProps(this, EnvoyGatewayController, props);
    const replicas = props.replicas ?? 2;
    const logLevel = props.logLevel ?? 'info';
    const image = parseAt(this, 'controller.image', () => ImageRef.of(props.image ?? EDGE_IMAGES.controller));
    const resources = renderResources(resolveResources(this, 'controller.resources', props.resources ?? { requests: { cpu: '100m', memory: '256Mi' }, limits: { cpu: '1', memory: '1Gi' } }));
    if (!Number.isInteger(replicas) || replicas < 1) {
      throw PlatformError.at(this, { field: 'controller.replicas', value: replicas, rule: 'must be a whole number >= 1', fix: 'run 2 replicas (one leads, one stands by)' });
    }
    this.image = image;
    const ns = props.namespace;
    const labels = standardLabels({ name: CONTROLLER_NAME, component: 'controller', partOf: 'edge', version: image.tag ?? image.version });
    const selector = { ...selectorLabels(CONTROLLER_NAME), 'app.kubernetes.io/component': 'controller' };
    this.selectorLabels = selector;
    const meta = (name: string): k8s.ObjectMeta => ({ name, namespace: ns, labels });
    const roleRef = (kind: 'Role' | 'ClusterRole', name: string) => ({ apiGroup: 'rbac.authorization.k8s.io', kind, name });

    const sa = new k8s.KubeServiceAccount(this, 'service-account', {
      metadata: meta(CONTROLLER_NAME), automountServiceAccountToken: false, imagePullSecrets: [{ name: Platform.imagePullSecret }],
    });
    const subject = { kind: 'ServiceAccount', name: sa.name, namespace: ns };
    const clusterRole = new k8s.KubeClusterRole(this, 'cluster-role', { metadata: { name: CONTROLLER_NAME, labels }, rules: [...CONTROLLER_CLUSTER_RULES] });
    new k8s.KubeClusterRoleBinding(this, 'cluster-role-binding', { metadata: { name: CONTROLLER_NAME, labels }, roleRef: roleRef('ClusterRole', clusterRole.name), subjects: [subject] });
    for (const [suffix, rules] of [['infra-manager', CONTROLLER_INFRA_RULES], ['leader-election', CONTROLLER_LEADER_RULES]] as const) {
      const role = new k8s.KubeRole(this, `role-${suffix}`, { metadata: meta(`${CONTROLLER_NAME}-${suffix}`), rules: [...rules] });
      new k8s.KubeRoleBinding(this, `role-binding-${suffix}`, { metadata: meta(`${CONTROLLER_NAME}-${suffix}`), roleRef: roleRef('Role', role.name), subjects: [subject] });
    }

    const config = {
      apiVersion: 'gateway.envoyproxy.io/v1alpha1',
      kind: 'EnvoyGateway',
      gateway: { controllerName: Platform.gatewayController },
      logging: { level: { default: logLevel } },
      provider: {
        type: 'Kubernetes',
        kubernetes: {
          // Upstream's default is a development tag; the release's own image instead.
          shutdownManager: { image: image.toString() },
          // The webhook only labels Envoy pods with their zone (topology-aware routing); off, it
          // needs no pods/binding rights and certgen no webhook rights.
          proxyTopologyInjector: { disabled: true },
        },
      },
    };
    const configMap = addHashedConfigMap(this, 'config', `${CONTROLLER_NAME}-config`, labels, { 'envoy-gateway.yaml': stringify(config) }, ns);

    const nonRoot = { runAsNonRoot: true, runAsUser: 65532, runAsGroup: 65532 };
    const containerSecurity: k8s.SecurityContext = {
      ...nonRoot, allowPrivilegeEscalation: false, privileged: false, readOnlyRootFilesystem: true,
      capabilities: { drop: ['ALL'] }, seccompProfile: { type: 'RuntimeDefault' },
    };
    const podSecurity: k8s.PodSecurityContext = { ...nonRoot, fsGroup: 65532, seccompProfile: { type: 'RuntimeDefault' } };
    const env: k8s.EnvVar[] = [
      { name: 'ENVOY_GATEWAY_NAMESPACE', valueFrom: { fieldRef: { apiVersion: 'v1', fieldPath: 'metadata.namespace' } } },
      { name: 'KUBERNETES_CLUSTER_DOMAIN', value: 'cluster.local' },
    ];
    const probe = (path: string, periodSeconds: number, failureThreshold: number): k8s.Probe => ({
      httpGet: { path, port: k8s.IntOrString.fromNumber(CONTROLLER_PORTS.health) }, periodSeconds, timeoutSeconds: 1, successThreshold: 1, failureThreshold,
    });

    this.deployment = new k8s.KubeDeployment(this, 'deployment', {
      metadata: meta(CONTROLLER_NAME),
      spec: {
        replicas,
        selector: { matchLabels: selector },
        template: {
          metadata: { labels },
          spec: {
            serviceAccountName: sa.name,
            // It watches the API server: the token is mounted for this container only.
            automountServiceAccountToken: true,
            securityContext: podSecurity,
            terminationGracePeriodSeconds: 10,
            nodeSelector: { 'kubernetes.io/os': 'linux' },
            topologySpreadConstraints: [
              { topologyKey: 'topology.kubernetes.io/zone', maxSkew: 1, whenUnsatisfiable: 'ScheduleAnyway', labelSelector: { matchLabels: selector } },
            ],
            containers: [{
              name: CONTROLLER_NAME,
              image: image.toString(),
              imagePullPolicy: 'IfNotPresent',
              args: ['server', '--config-path=/config/envoy-gateway.yaml'],
              env,
              ports: [
                { name: 'grpc', containerPort: CONTROLLER_PORTS.xds, protocol: 'TCP' },
                { name: 'metrics', containerPort: CONTROLLER_PORTS.metrics, protocol: 'TCP' },
              ],
              startupProbe: probe('/healthz', 1, 30),
              livenessProbe: probe('/healthz', 20, 3),
              readinessProbe: probe('/readyz', 10, 3),
              resources,
              securityContext: containerSecurity,
              volumeMounts: [
                { name: 'config', mountPath: '/config', readOnly: true },
                { name: 'certs', mountPath: '/certs', readOnly: true },
                { name: 'wasm-cache', mountPath: '/var/lib/eg/wasm' },
              ],
            }],
            volumes: [
              { name: 'config', configMap: { name: configMap } },
              { name: 'certs', secret: { secretName: CONTROLLER_CERT_SECRET } },
              { name: 'wasm-cache', emptyDir: { sizeLimit: k8s.Quantity.fromString('256Mi') } },
            ],
          },
        },
      },
    });
    if (replicas >= 2) addPdb(this, meta(CONTROLLER_NAME), selector);

    new k8s.KubeService(this, 'service', {
      metadata: meta(CONTROLLER_NAME),
      spec: {
        type: 'ClusterIP', selector,
        ports: [{ name: 'grpc', port: CONTROLLER_PORTS.xds, targetPort: k8s.IntOrString.fromString('grpc'), protocol: 'TCP' }],
      },
    });
    this.scrape = { portName: 'metrics', port: CONTROLLER_PORTS.metrics, path: '/metrics', interval: undefined };
    const scrape = scrapeMetadata(this.scrape);
    new k8s.KubeService(this, 'metrics-service', {
      metadata: { name: `${CONTROLLER_NAME}-metrics`, namespace: ns, labels: { ...labels, ...scrape.labels }, annotations: scrape.annotations },
      spec: { type: 'ClusterIP', selector, ports: [{ name: 'metrics', port: CONTROLLER_PORTS.metrics, targetPort: k8s.IntOrString.fromString('metrics'), protocol: 'TCP' }] },
    });

    // certgen: the CA and the controller's and Envoy's certificates for xDS over mutual TLS, as
    // Secrets in this namespace (envoy-gateway, envoy, envoy-rate-limit, envoy-oidc-hmac). It
    // leaves Secrets that exist alone, so re-applying the Job rotates nothing by surprise.
    const certgenName = `${CONTROLLER_NAME}-certgen`;
    const certgenLabels = standardLabels({ name: certgenName, component: 'certgen', partOf: 'edge', version: image.tag ?? image.version });
    this.certgenLabels = { ...selectorLabels(certgenName), 'app.kubernetes.io/component': 'certgen' };
    const certgenMeta = { name: certgenName, namespace: ns, labels: certgenLabels };
    const certgenSa = new k8s.KubeServiceAccount(this, 'certgen-service-account', {
      metadata: certgenMeta, automountServiceAccountToken: false, imagePullSecrets: [{ name: Platform.imagePullSecret }],
    });
    const certgenRole = new k8s.KubeRole(this, 'certgen-role', { metadata: certgenMeta, rules: [...CERTGEN_RULES] });
    new k8s.KubeRoleBinding(this, 'certgen-role-binding', {
      metadata: certgenMeta, roleRef: roleRef('Role', certgenRole.name), subjects: [{ kind: 'ServiceAccount', name: certgenSa.name, namespace: ns }],
    });
    this.certgen = new k8s.KubeJob(this, 'certgen', {
      metadata: certgenMeta,
      spec: {
        backoffLimit: 3,
        activeDeadlineSeconds: 600,
        template: {
          metadata: { labels: certgenLabels },
          spec: {
            serviceAccountName: certgenSa.name,
            automountServiceAccountToken: true,
            restartPolicy: 'Never',
            securityContext: podSecurity,
            containers: [{
              name: 'certgen',
              image: image.toString(),
              imagePullPolicy: 'IfNotPresent',
              command: ['envoy-gateway', 'certgen', '--disable-topology-injector'],
              env,
              resources: renderResources(resolveResources(this, 'certgen.resources', { requests: { cpu: '50m', memory: '64Mi' }, limits: { cpu: '200m', memory: '128Mi' } })),
              securityContext: containerSecurity,
            }],
          },
        },
      },
    });
  }
}
