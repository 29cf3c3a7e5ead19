import { Construct } from 'constructs';
import { k8s } from 'cdk8s-plus-27';
import { addPdb } from '../../apps/availability';
import { addHashedConfigMap } from '../../apps/config';
import { renderResources, resolveResources, type ResourcesProps } from '../../apps/resources';
import { scrapeMetadata, type ScrapeDeclaration } from '../../apps/scrape';
import { Cidr, type CidrLike, ImageRef, type ImageRefLike, Platform, PlatformError, parseAt, selectorLabels, standardLabels } from '../../core';
import { Exemption } from '../../policy/exemption';
import type { Placement } from './front-nodes';
import { CLUSTER_RULES, ELECTION_ID, NAMESPACE_RULES } from './ingress-nginx-rbac';

/** The ingress-nginx release the platform runs: the v1.12 line, pinned by tag and digest. */
export const INGRESS_NGINX_IMAGE = 'registry.k8s.io/ingress-nginx/controller:v1.12.6@sha256:c371fbf42b4f23584ce879d99303463131f4f31612f0875482b983354eeca7e6';

/** The controller's container ports: unprivileged, mapped to 80 and 443 by the Service. */
export const CONTROLLER_PORTS = { http: 8080, https: 8443, metrics: 10254 } as const;

/** Whether the NLB gets a public address or only one inside the VPC. */
export type LoadBalancerScheme = 'internet-facing' | 'internal';

/** The AWS Network Load Balancer in front of the controller. */
export interface LoadBalancerProps {
  /** Public, or reachable only from inside the VPC (and what is peered with it). @default 'internet-facing' */
  readonly scheme?: LoadBalancerScheme;
  /** The client addresses the NLB and the controller's network policy accept. @default ['0.0.0.0/0'] */
  readonly clientCidrs?: readonly CidrLike[];
}

/** The ingress-nginx controller's own settings. */
export interface IngressControllerProps {
  /** The controller image. @default INGRESS_NGINX_IMAGE */
  readonly image?: ImageRefLike;
  /** Replicas, spread across zones (at least 2: a PodDisruptionBudget keeps all but one up). @default 3 */
  readonly replicas?: number;
  /** Requests and limits. @default { requests: { cpu: '100m', memory: '256Mi' }, limits: { cpu: '1', memory: '512Mi' } } */
  readonly resources?: ResourcesProps;
}

/** Props of an {@link IngressNginx}. */
export interface IngressNginxProps extends IngressControllerProps {
  /** The namespace it runs in. */
  readonly namespace: string;
  /** Where its pods run. */
  readonly placement: Placement;
  /** The load balancer. @default - internet-facing, open to every client */
  readonly loadBalancer?: LoadBalancerProps;
}

const NAME = 'ingress-nginx';
const CONTROLLER = 'ingress-nginx-controller';
const INTERNET = Cidr.parse('0.0.0.0/0');

/**
 * ingress-nginx as the platform's ingress controller: a Deployment spread across zones on the
 * front nodes, a PodDisruptionBudget, least-privilege RBAC, a config map whose name rolls the pods,
 * the default IngressClass, a LoadBalancer Service (an AWS NLB, cross-zone) and a metrics Service
 * declared for scraping. The admission webhook is not deployed (see the README).
 */
export class IngressNginx extends Construct {
  /** The Deployment. */
  public readonly deployment: k8s.KubeDeployment;
  /** The LoadBalancer Service: the NLB clients connect to. */
  public readonly service: k8s.KubeService;
  /** The metrics Service, labelled and annotated for scraping. */
  public readonly metricsService: k8s.KubeService;
  /** The IngressClass every WebService ingress names. */
  public readonly ingressClass: k8s.KubeIngressClass;
  /** How Prometheus scrapes the controller. */
  public readonly scrape: ScrapeDeclaration;
  /** The client blocks the load balancer admits. */
  public readonly clientCidrs: readonly Cidr[];
  /** The labels that select the controller's pods (stable across releases). */
  public readonly selectorLabels: Record<string, string>;

  public constructor(scope: Construct, id: string, props: IngressNginxProps) {
    super(scope, id);
    const replicas = props.replicas ?? 3;
    const scheme = props.loadBalancer?.scheme ?? 'internet-facing';
    const clientCidrs = props.loadBalancer?.clientCidrs ?? ['0.0.0.0/0'];
    const resourcesProps = props.resources ?? { requests: { cpu: '100m', memory: '256Mi' }, limits: { cpu: '1', memory: '512Mi' } };
    const image = parseAt(this, 'controller.image', () => ImageRef.of(props.image ?? INGRESS_NGINX_IMAGE));

    if (!Number.isInteger(replicas) || replicas < 2) {
      throw PlatformError.at(this, {
        field: 'controller.replicas', value: replicas, rule: 'must be a whole number >= 2',
        fix: 'run at least 2 replicas (3 spreads over three zones): the edge is every service\'s way in',
      });
    }
    if (clientCidrs.length === 0) {
      throw PlatformError.at(this, { field: 'loadBalancer.clientCidrs', value: [], rule: 'must not be empty', fix: "list the client blocks, or ['0.0.0.0/0'] for everyone" });
    }
    this.clientCidrs = clientCidrs.map((c, i) => parseAt(this, `loadBalancer.clientCidrs[${i}]`, () => Cidr.of(c)));
    const resources = renderResources(resolveResources(this, 'controller.resources', resourcesProps));
    const ns = props.namespace;
    const labels = standardLabels({ name: NAME, component: 'controller', partOf: 'edge', version: image.tag ?? image.version });
    const selector = { ...selectorLabels(NAME), 'app.kubernetes.io/component': 'controller' };
    this.selectorLabels = selector;
    const meta = (name: string) => ({ name, namespace: ns, labels });

    const sa = new k8s.KubeServiceAccount(this, 'service-account', {
      metadata: meta(NAME), automountServiceAccountToken: true, imagePullSecrets: [{ name: Platform.imagePullSecret }],
    });
    const subject = { kind: 'ServiceAccount', name: sa.name, namespace: ns };
    const clusterRole = new k8s.KubeClusterRole(this, 'cluster-role', { metadata: { name: NAME, labels }, rules: [...CLUSTER_RULES] });
    new k8s.KubeClusterRoleBinding(this, 'cluster-role-binding', {
      metadata: { name: NAME, labels }, roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: clusterRole.name }, subjects: [subject],
    });
    const role = new k8s.KubeRole(this, 'role', { metadata: meta(NAME), rules: [...NAMESPACE_RULES] });
    new k8s.KubeRoleBinding(this, 'role-binding', {
      metadata: meta(NAME), roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'Role', name: role.name }, subjects: [subject],
    });

    // Hardening over upstream defaults; a change gives the ConfigMap a new name and rolls the pods.
    const configMap = addHashedConfigMap(this, 'config', CONTROLLER, labels, {
      'allow-snippet-annotations': 'false',
      'annotations-risk-level': 'High',
      'server-tokens': 'false',
      'ssl-redirect': 'true',
      'hsts': 'true',
      'use-forwarded-headers': 'false',
    });

    this.ingressClass = new k8s.KubeIngressClass(this, 'ingress-class', {
      metadata: { name: Platform.ingressClassName, labels, annotations: { 'ingressclass.kubernetes.io/is-default-class': 'true' } },
      spec: { controller: Platform.ingressController },
    });

    const port = (name: string, containerPort: number): k8s.ContainerPort => ({ name, containerPort, protocol: 'TCP' });
    const health = (initialDelaySeconds: number, failureThreshold: number): k8s.Probe => ({
      httpGet: { path: '/healthz', port: k8s.IntOrString.fromNumber(CONTROLLER_PORTS.metrics), scheme: 'HTTP' },
      initialDelaySeconds, periodSeconds: 10, timeoutSeconds: 1, successThreshold: 1, failureThreshold,
    });
    const fieldEnv = (name: string, fieldPath: string): k8s.EnvVar => ({ name, valueFrom: { fieldRef: { fieldPath } } });
    const p = props.placement;

    this.deployment = new k8s.KubeDeployment(this, 'deployment', {
      metadata: meta(CONTROLLER),
      spec: {
        replicas,
        revisionHistoryLimit: 10,
        selector: { matchLabels: selector },
        strategy: { type: 'RollingUpdate', rollingUpdate: { maxSurge: k8s.IntOrString.fromNumber(1), maxUnavailable: k8s.IntOrString.fromNumber(0) } },
        template: {
          metadata: { labels },
          spec: {
            serviceAccountName: sa.name,
            automountServiceAccountToken: true,
            terminationGracePeriodSeconds: 300,
            nodeSelector: p.nodeSelector,
            ...(p.tolerations.length === 0 ? {} : { tolerations: p.tolerations }),
            topologySpreadConstraints: [
              { topologyKey: 'topology.kubernetes.io/zone', maxSkew: 1, whenUnsatisfiable: 'DoNotSchedule', labelSelector: { matchLabels: selector } },
              { topologyKey: 'kubernetes.io/hostname', maxSkew: 1, whenUnsatisfiable: 'ScheduleAnyway', labelSelector: { matchLabels: selector } },
            ],
            securityContext: { runAsNonRoot: true, runAsUser: 101, runAsGroup: 82, seccompProfile: { type: 'RuntimeDefault' } },
            containers: [{
              name: 'controller',
              image: image.toString(),
              imagePullPolicy: 'IfNotPresent',
              args: [
                '/nginx-ingress-controller',
                `--publish-service=$(POD_NAMESPACE)/${CONTROLLER}`,
                `--election-id=${ELECTION_ID}`,
                `--controller-class=${Platform.ingressController}`,
                `--ingress-class=${Platform.ingressClassName}`,
                `--configmap=$(POD_NAMESPACE)/${configMap}`,
                `--http-port=${CONTROLLER_PORTS.http}`,
                `--https-port=${CONTROLLER_PORTS.https}`,
                '--enable-metrics=true',
              ],
              env: [fieldEnv('POD_NAME', 'metadata.name'), fieldEnv('POD_NAMESPACE', 'metadata.namespace'), { name: 'LD_PRELOAD', value: '/usr/local/lib/libmimalloc.so' }],
              lifecycle: { preStop: { exec: { command: ['/wait-shutdown'] } } },
              ports: [port('http', CONTROLLER_PORTS.http), port('https', CONTROLLER_PORTS.https), port('metrics', CONTROLLER_PORTS.metrics)],
              readinessProbe: health(10, 3),
              livenessProbe: health(10, 5),
              resources,
              // The image's binaries carry the file capability cap_net_bind_service=+ep, so the
              // kernel refuses to exec them unless NET_BIND_SERVICE stays in the bounding set, even
              // on unprivileged ports (kubernetes/ingress-nginx#10002). Pod Security `restricted`
              // allows adding exactly this capability, so no exemption is needed.
              securityContext: {
                runAsNonRoot: true, runAsUser: 101, runAsGroup: 82, allowPrivilegeEscalation: false,
                capabilities: { drop: ['ALL'], add: ['NET_BIND_SERVICE'] },
                // nginx writes its generated config under /etc/nginx, next to files the image ships.
                readOnlyRootFilesystem: false,
              },
            }],
          },
        },
      },
    });

    addPdb(this, meta(CONTROLLER), selector);

    const open = this.clientCidrs.some((c) => c.equals(INTERNET));
    this.service = new k8s.KubeService(this, 'service', {
      metadata: { ...meta(CONTROLLER), annotations: nlbAnnotations(scheme, p.targetNodeLabels) },
      spec: {
        type: 'LoadBalancer',
        // Local: the client address reaches nginx, and only nodes running a controller pod pass the NLB's health check.
        externalTrafficPolicy: 'Local',
        ...(open ? {} : { loadBalancerSourceRanges: this.clientCidrs.map(String) }),
        selector,
        ports: [
          { name: 'http', port: 80, targetPort: k8s.IntOrString.fromString('http'), protocol: 'TCP' },
          { name: 'https', port: 443, targetPort: k8s.IntOrString.fromString('https'), protocol: 'TCP' },
        ],
      },
    });
    Exemption.add(this, { rule: 'load-balancer', reason: 'the edge NLB is the cluster\'s one entry point from outside; every service is reached through its Ingress' });

    this.scrape = { portName: 'metrics', port: CONTROLLER_PORTS.metrics, path: '/metrics', interval: undefined };
    const scrapeMeta = scrapeMetadata(this.scrape);
    this.metricsService = new k8s.KubeService(this, 'metrics-service', {
      metadata: { name: `${CONTROLLER}-metrics`, namespace: ns, labels: { ...labels, ...scrapeMeta.labels }, annotations: scrapeMeta.annotations },
      spec: {
        type: 'ClusterIP', selector,
        ports: [{ name: 'metrics', port: CONTROLLER_PORTS.metrics, targetPort: k8s.IntOrString.fromString('metrics'), protocol: 'TCP' }],
      },
    });
  }
}

/**
 * The annotations the AWS cloud controller manager (kops's default; no AWS Load Balancer
 * Controller runs) reads: a Network Load Balancer, internal or not, balancing across zones, with
 * only the front nodes registered as targets.
 */
export function nlbAnnotations(scheme: LoadBalancerScheme, targetNodeLabels: string | undefined): Record<string, string> {
  const aws = 'service.beta.kubernetes.io/aws-load-balancer';
  return {
    [`${aws}-type`]: 'nlb',
    [`${aws}-cross-zone-load-balancing-enabled`]: 'true',
    ...(scheme === 'internal' ? { [`${aws}-internal`]: 'true' } : {}),
    ...(targetNodeLabels === undefined ? {} : { [`${aws}-target-node-labels`]: targetNodeLabels }),
  };
}
