import { Construct } from 'constructs';
import { k8s } from 'cdk8s-plus-27';
import { addPdb, rolloutStrategy, spreadConstraints } from '../../apps/availability';
import { buildContainer } from '../../apps/container';
import { Probe } from '../../apps/probe';
import type { ResourcesProps } from '../../apps/resources';
import { addScrapePolicy, resolveScrape, scrapeMetadata } from '../../apps/scrape';
import { nonRootPodSecurity } from '../../apps/workload';
import { ImageRef, Platform, PlatformError, parseAt, selectorLabels, standardLabels, type Cidr, type ImageRefLike } from '../../core';
import { dnsEgressRule } from '../../tenancy/network-policies';
import { PlatformNamespace } from '../../tenancy/platform-namespace';
import { EXTERNAL_SECRETS_CLUSTER_RULES, EXTERNAL_SECRETS_LEADER_RULES } from './external-secrets-rbac';
import { EXTERNAL_SECRETS_IMAGE } from './images';
import { checkProps } from '../../core/props-check';

/** Props of an {@link ExternalSecretsOperator}. */
export interface ExternalSecretsOperatorProps {
  /** The VPC's block: the API servers and the STS and Secrets Manager endpoints are in it. */
  readonly vpcCidr: Cidr;
  /** The NodeLocal DNSCache address, when the cluster runs it. @default - DNS goes to kube-dns only */
  readonly nodeLocalDnsAddress?: string;
  /** Controller replicas; one leads, the others wait. @default 2 */
  readonly replicas?: number;
  /** The image. @default EXTERNAL_SECRETS_IMAGE */
  readonly image?: ImageRefLike;
  /** Requests and limits. @default { requests: { cpu: '50m', memory: '96Mi' }, limits: { cpu: '500m', memory: '256Mi' } } */
  readonly resources?: ResourcesProps;
  /** The registry pull secret its ServiceAccount names. @default Platform.imagePullSecret */
  readonly imagePullSecret?: string;
}

/** The controller's name (its ServiceAccount, Deployment and leader-election Lease). */
export const EXTERNAL_SECRETS_NAME = 'external-secrets';
/** The controller's metrics and health ports (upstream's --metrics-addr and --live-addr defaults). */
export const EXTERNAL_SECRETS_PORTS = { metrics: 8080, live: 8082 } as const;

/**
 * The controller's flags. The reconcilers of the cluster-wide kinds (ClusterSecretStore,
 * ClusterExternalSecret) and of PushSecret are off: a store reads for its own namespace only, and
 * nothing in the cluster writes to Secrets Manager. The flags are upstream's cmd/controller/root.go.
 */
const CONTROLLER_ARGS: readonly string[] = [
  '--concurrent=1',
  `--metrics-addr=:${EXTERNAL_SECRETS_PORTS.metrics}`,
  `--live-addr=:${EXTERNAL_SECRETS_PORTS.live}`,
  '--loglevel=info',
  '--zap-time-encoding=iso8601',
  '--enable-leader-election=true',
  `--leader-election-id=${EXTERNAL_SECRETS_NAME}-controller`,
  '--enable-cluster-store-reconciler=false',
  '--enable-cluster-external-secret-reconciler=false',
  '--enable-cluster-push-secret-reconciler=false',
  '--enable-push-secret-reconciler=false',
];

const tcp = (port: number): k8s.NetworkPolicyPort => ({ protocol: 'TCP', port: k8s.IntOrString.fromNumber(port) });

/**
 * The External Secrets Operator's controller in its own restricted namespace: leader-elected
 * replicas spread over zones, a PodDisruptionBudget, non-root with a read-only root filesystem.
 * Its validating webhook and the certificate controller that feeds it are not run: the
 * constructs validate ExternalSecrets and SecretStores at synth, and the webhook would need its
 * own certificate, Service and ValidatingWebhookConfiguration. Network: DNS, HTTPS to the VPC
 * (the API servers, and STS and Secrets Manager through the stack's interface endpoints), scrapes
 * of its metrics port from Prometheus; nothing else in or out.
 */
export class ExternalSecretsOperator extends Construct {
  /** Its namespace. */
  public readonly namespace: string = Platform.externalSecretsNamespace;

  public constructor(scope: Construct, id: string, props: ExternalSecretsOperatorProps) {
    super(scope, id);
    props = checkProps(this, ExternalSecretsOperator, props);
    const replicas = props.replicas ?? 2;
    const image = parseAt(this, 'image', () => ImageRef.of(props.image ?? EXTERNAL_SECRETS_IMAGE));
    const pullSecret = props.imagePullSecret ?? Platform.imagePullSecret;
    if (!Number.isInteger(replicas) || replicas < 1) {
      throw PlatformError.at(this, { field: 'replicas', value: replicas, rule: 'must be a whole number >= 1', fix: 'use 2 (one leads, one waits), or 1' });
    }
    const ns = new PlatformNamespace(this, 'namespace', { name: this.namespace }).name;
    const name = EXTERNAL_SECRETS_NAME;
    const labels = standardLabels({ name, component: 'controller', version: image.version, partOf: 'external-secrets' });
    const selector = selectorLabels(name);
    const meta = { name, namespace: ns, labels };

    new k8s.KubeServiceAccount(this, 'service-account', { metadata: meta, imagePullSecrets: [{ name: pullSecret }] });
    new k8s.KubeClusterRole(this, 'cluster-role', { metadata: { name: `${name}:controller`, labels }, rules: [...EXTERNAL_SECRETS_CLUSTER_RULES] });
    new k8s.KubeClusterRoleBinding(this, 'cluster-role-binding', {
      metadata: { name: `${name}:controller`, labels },
      roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: `${name}:controller` },
      subjects: [{ kind: 'ServiceAccount', name, namespace: ns }],
    });
    new k8s.KubeRole(this, 'leader-role', { metadata: { ...meta, name: `${name}-leader-election` }, rules: [...EXTERNAL_SECRETS_LEADER_RULES] });
    new k8s.KubeRoleBinding(this, 'leader-role-binding', {
      metadata: { ...meta, name: `${name}-leader-election` },
      roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'Role', name: `${name}-leader-election` },
      subjects: [{ kind: 'ServiceAccount', name, namespace: ns }],
    });

    const ports = [{ name: 'metrics', port: EXTERNAL_SECRETS_PORTS.metrics }, { name: 'live', port: EXTERNAL_SECRETS_PORTS.live }];
    const controller = buildContainer(this, name, {
      image,
      args: [...CONTROLLER_ARGS],
      ports,
      resources: props.resources ?? { requests: { cpu: '50m', memory: '96Mi' }, limits: { cpu: '500m', memory: '256Mi' } },
      // controller-runtime's /readyz and /healthz on the live address.
      readiness: Probe.http('/readyz', { port: 'live', period: '10s' }),
      liveness: Probe.http('/healthz', { port: 'live', period: '20s' }),
      writablePaths: [],
    }, { field: 'controller', defaultReadiness: undefined, defaultLiveness: undefined });
    new k8s.KubeDeployment(this, 'deployment', {
      metadata: meta,
      spec: {
        replicas,
        selector: { matchLabels: selector },
        strategy: rolloutStrategy(undefined),
        template: {
          metadata: { labels },
          spec: {
            serviceAccountName: name,
            // The controller watches its kinds and writes Secrets: it calls the API server with its token.
            automountServiceAccountToken: true,
            securityContext: nonRootPodSecurity(1000),
            topologySpreadConstraints: spreadConstraints(selector),
            containers: [controller.container],
            volumes: [...controller.volumes],
          },
        },
      },
    });
    if (replicas > 1) addPdb(this, meta, selector);

    const scrape = resolveScrape(this, { port: 'metrics' }, ports);
    const scrapeMeta = scrapeMetadata(scrape);
    new k8s.KubeService(this, 'metrics-service', {
      metadata: { ...meta, name: `${name}-metrics`, labels: { ...labels, ...scrapeMeta.labels }, annotations: scrapeMeta.annotations },
      spec: { selector, ports: [{ name: 'metrics', port: EXTERNAL_SECRETS_PORTS.metrics, targetPort: k8s.IntOrString.fromString('metrics'), protocol: 'TCP' }] },
    });
    if (scrape !== undefined) addScrapePolicy(this, name, ns, selector, scrape);

    const policy = (cid: string, policyName: string, spec: k8s.NetworkPolicySpec) =>
      new k8s.KubeNetworkPolicy(this, cid, { metadata: { name: policyName, namespace: ns, labels: { 'app.kubernetes.io/managed-by': Platform.managedBy } }, spec });
    policy('default-deny', 'default-deny', { podSelector: {}, policyTypes: ['Ingress', 'Egress'] });
    policy('allow-dns', 'allow-dns', { podSelector: {}, policyTypes: ['Egress'], egress: [dnsEgressRule(props.nodeLocalDnsAddress)] });
    policy('allow-aws-and-api', 'controller-to-api-and-aws', {
      podSelector: { matchLabels: selector }, policyTypes: ['Egress'],
      egress: [{ to: [{ ipBlock: { cidr: props.vpcCidr.toString() } }], ports: [tcp(443)] }],
    });
  }
}
