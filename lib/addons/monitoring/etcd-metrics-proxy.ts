import { Construct } from 'constructs';
import { k8s } from 'cdk8s-plus-27';
import { buildContainer } from '../../apps/container';
import { Probe } from '../../apps/probe';
import type { ResourcesProps } from '../../apps/resources';
import { Cidr, ImageRef, Platform, parseAt, type EtcdMetricsPorts, type ImageRefLike } from '../../core';
import { Exemption } from '../../policy/exemption';
import {
  Certificate, CertificateSpecPrivateKeyAlgorithm, CertificateSpecPrivateKeyRotationPolicy, CertificateSpecUsages, ClusterIssuer,
} from '../../../imports/cert-manager.io';
import { addClusterRole, addScrapedAgentPolicies, addServiceAccount, componentLabels, componentSelector, podSecurity } from './component';
import { MONITORING_IMAGES } from './images';
import { checkProps } from '../../core/props-check';

/**
 * The namespace the proxies run in, alone: they share the masters' network, so its Pod Security
 * level is `privileged`, and nothing else of the addon runs there.
 */
export const ETCD_METRICS_NAMESPACE = 'platform-etcd-metrics';
/** The ports the proxies serve etcd's metrics on, over TLS, on each master's own address. */
export const ETCD_PROXY_PORTS: EtcdMetricsPorts = { main: 9081, events: 9082 };
/**
 * The audience of the token Prometheus shows the proxies: a projected ServiceAccount token for
 * this audience only, which the API server itself does not accept (its audience is the issuer's).
 */
export const ETCD_METRICS_AUDIENCE = 'platform-etcd-metrics';
/** The name on the proxies' serving certificate, which Prometheus verifies. */
export const ETCD_METRICS_SERVER_NAME = `etcd-metrics.${ETCD_METRICS_NAMESPACE}.svc`;
/**
 * The Secret in Prometheus's namespace that holds the CA the proxies' certificate is issued by:
 * cert-manager writes the issuing CA beside every certificate it issues (the Secret's `ca.crt`),
 * so Prometheus's own certificate from the same issuer is how that CA reaches its namespace.
 */
export const ETCD_METRICS_TRUST_SECRET = 'etcd-metrics-trust';
/** Where Prometheus mounts the token it shows the proxies (`token`). */
export const ETCD_METRICS_TOKEN_DIR = '/var/run/secrets/etcd-metrics';
/** Where Prometheus mounts the proxies' CA (`ca.crt`, from {@link ETCD_METRICS_TRUST_SECRET}). */
export const ETCD_METRICS_CA_DIR = '/etc/prometheus/etcd-metrics';

/** The volumes and mounts Prometheus scrapes the proxies with: the audience token, refreshed by the kubelet, and the CA. */
export function etcdMetricsScraperVolumes(): { volumes: k8s.Volume[]; mounts: k8s.VolumeMount[] } {
  return {
    volumes: [
      { name: 'etcd-metrics-token', projected: { sources: [{ serviceAccountToken: { audience: ETCD_METRICS_AUDIENCE, expirationSeconds: 3600, path: 'token' } }] } },
      { name: 'etcd-metrics-ca', secret: { secretName: ETCD_METRICS_TRUST_SECRET, items: [{ key: 'ca.crt', path: 'ca.crt' }] } },
    ],
    mounts: [
      { name: 'etcd-metrics-token', mountPath: ETCD_METRICS_TOKEN_DIR, readOnly: true },
      { name: 'etcd-metrics-ca', mountPath: ETCD_METRICS_CA_DIR, readOnly: true },
    ],
  };
}

const NAME = 'etcd-metrics-proxy';
const TLS_SECRET = `${NAME}-tls`;
const TLS_DIR = '/etc/etcd-metrics-proxy/tls';
/**
 * cert-manager's cluster resource namespace, where a ClusterIssuer's CA key must be: kops runs
 * cert-manager in kube-system with `--cluster-resource-namespace=$(POD_NAMESPACE)`
 * (kops upup/models/cloudup/resources/addons/certmanager.io/k8s-1.16.yaml.template).
 */
const CERT_MANAGER_RESOURCE_NAMESPACE = 'kube-system';
const ROOT_ISSUER = 'platform-etcd-metrics-root';
const CA_ISSUER = 'platform-etcd-metrics-ca';
const CA_SECRET = 'platform-etcd-metrics-ca';
/** The label kops puts on every control-plane node, and the taint that keeps other pods off them. */
const CONTROL_PLANE = 'node-role.kubernetes.io/control-plane';

/** Props of an {@link EtcdMetricsProxy}. */
export interface EtcdMetricsProxyProps {
  /** The ports etcd-manager serves etcd's metrics on, on each master's loopback address only (the cluster model's `etcdMetricsPorts`). */
  readonly upstreams: EtcdMetricsPorts;
  /** Where the API servers are (the VPC's block, their port), which the proxies call for TokenReviews and SubjectAccessReviews. */
  readonly apiServer: { readonly cidr: string; readonly port: number };
  /** The pods that scrape the proxies: the only ones their network policy admits, and where the CA they verify with is issued. */
  readonly scrapedBy: { readonly namespace: string; readonly name: string };
  /** The image. @default MONITORING_IMAGES.kubeRbacProxy */
  readonly image?: ImageRefLike;
  /** Requests and limits of each proxy container. @default { requests: { cpu: '10m', memory: '32Mi' }, limits: { cpu: '100m', memory: '64Mi' } } */
  readonly resources?: ResourcesProps;
  /** The registry pull secret the ServiceAccount names. @default - none */
  readonly imagePullSecret?: string;
}

/**
 * etcd's metrics, served only to Prometheus. etcd-manager serves them in plain HTTP on each
 * master's loopback address (the cluster model's `etcdMetricsPorts`); on every master a
 * kube-rbac-proxy per etcd cluster listens on the master's own address only, over TLS, and passes
 * on a request for `/metrics` alone, from a token of {@link ETCD_METRICS_AUDIENCE} whose
 * ServiceAccount may `get /metrics` (TokenReview, then SubjectAccessReview: kube-rbac-proxy
 * cmd/kube-rbac-proxy/app/options/options.go, `--auth-token-audiences`, `--allow-paths`).
 *
 * Its serving certificate comes from a private CA of cert-manager's (a self-signed root, then a
 * CA ClusterIssuer); Prometheus verifies it by that CA and the name {@link ETCD_METRICS_SERVER_NAME}.
 * A client certificate of etcd itself is not used: one would be a full etcd client.
 */
export class EtcdMetricsProxy extends Construct {
  /** The namespace the proxies run in. */
  public readonly namespace = ETCD_METRICS_NAMESPACE;

  public constructor(scope: Construct, id: string, props: EtcdMetricsProxyProps) {
    super(scope, id);
    props = checkProps(this, EtcdMetricsProxy, props);
    const image = parseAt(this, 'image', () => ImageRef.of(props.image ?? MONITORING_IMAGES.kubeRbacProxy));
    const ns = ETCD_METRICS_NAMESPACE;
    const labels = componentLabels(NAME, 'proxy', image);
    const managed = { 'app.kubernetes.io/managed-by': Platform.managedBy, 'app.kubernetes.io/part-of': 'monitoring' };
    addServiceAccount(this, NAME, ns, labels, props.imagePullSecret);
    addClusterRole(this, NAME, ns, labels, [
      { apiGroups: ['authentication.k8s.io'], resources: ['tokenreviews'], verbs: ['create'] },
      { apiGroups: ['authorization.k8s.io'], resources: ['subjectaccessreviews'], verbs: ['create'] },
    ]);

    // The private CA: a self-signed root issues the CA certificate, which the CA issuer signs with.
    new ClusterIssuer(this, 'root-issuer', { metadata: { name: ROOT_ISSUER, labels: managed }, spec: { selfSigned: {} } });
    new Certificate(this, 'ca', {
      metadata: { name: CA_SECRET, namespace: CERT_MANAGER_RESOURCE_NAMESPACE, labels: managed },
      spec: {
        isCa: true, commonName: 'platform etcd metrics CA', secretName: CA_SECRET,
        // Ten years, and the same key on renewal: a new CA key would fail every certificate it issued until each is renewed.
        duration: '87600h',
        privateKey: { algorithm: CertificateSpecPrivateKeyAlgorithm.ECDSA, size: 256, rotationPolicy: CertificateSpecPrivateKeyRotationPolicy.NEVER },
        issuerRef: { name: ROOT_ISSUER, kind: 'ClusterIssuer', group: 'cert-manager.io' },
      },
    });
    new ClusterIssuer(this, 'ca-issuer', { metadata: { name: CA_ISSUER, labels: managed }, spec: { ca: { secretName: CA_SECRET } } });
    const issued = (id: string, namespace: string, secretName: string, spec: { dnsNames?: string[]; commonName?: string; usages: CertificateSpecUsages[] }) =>
      new Certificate(this, id, {
        metadata: { name: secretName, namespace, labels: managed },
        spec: {
          secretName, ...spec,
          privateKey: { algorithm: CertificateSpecPrivateKeyAlgorithm.ECDSA, size: 256, rotationPolicy: CertificateSpecPrivateKeyRotationPolicy.ALWAYS },
          issuerRef: { name: CA_ISSUER, kind: 'ClusterIssuer', group: 'cert-manager.io' },
        },
      });
    issued('serving-certificate', ns, TLS_SECRET, { dnsNames: [ETCD_METRICS_SERVER_NAME], usages: [CertificateSpecUsages.DIGITAL_SIGNATURE, CertificateSpecUsages.SERVER_AUTH] });
    issued('trust-certificate', props.scrapedBy.namespace, ETCD_METRICS_TRUST_SECRET, { commonName: props.scrapedBy.name, usages: [CertificateSpecUsages.DIGITAL_SIGNATURE, CertificateSpecUsages.CLIENT_AUTH] });

    const resources = props.resources ?? { requests: { cpu: '10m', memory: '32Mi' }, limits: { cpu: '100m', memory: '64Mi' } };
    const containers = (['main', 'events'] as const).map((cluster) => buildContainer(this, `proxy-${cluster}`, {
      image,
      args: [
        // The master's own address: the Downward API's status.hostIP, the node's, as the pod shares its network.
        `--secure-listen-address=$(NODE_IP):${ETCD_PROXY_PORTS[cluster]}`,
        `--upstream=http://127.0.0.1:${props.upstreams[cluster]}/`,
        '--allow-paths=/metrics',
        `--auth-token-audiences=${ETCD_METRICS_AUDIENCE}`,
        `--tls-cert-file=${TLS_DIR}/tls.crt`,
        `--tls-private-key-file=${TLS_DIR}/tls.key`,
        '--tls-min-version=VersionTLS13',
      ],
      ports: [{ name: `etcd-${cluster}`, port: ETCD_PROXY_PORTS[cluster] }],
      resources,
      readiness: Probe.tcp({ period: '10s' }),
      liveness: Probe.tcp({ period: '30s' }),
      writablePaths: [],
    }, {
      field: `proxy-${cluster}`, defaultReadiness: undefined, defaultLiveness: undefined,
      env: [{ name: 'NODE_IP', valueFrom: { fieldRef: { fieldPath: 'status.hostIP' } } }],
      mounts: [{ name: 'tls', mountPath: TLS_DIR, readOnly: true }],
    }).container);
    const daemonSet = new k8s.KubeDaemonSet(this, 'daemonset', {
      metadata: { name: NAME, namespace: ns, labels },
      spec: {
        selector: { matchLabels: componentSelector(NAME) },
        updateStrategy: { type: 'RollingUpdate', rollingUpdate: { maxUnavailable: k8s.IntOrString.fromNumber(1) } },
        template: {
          metadata: { labels },
          spec: {
            serviceAccountName: NAME,
            // TokenReviews and SubjectAccessReviews are API calls.
            automountServiceAccountToken: true,
            hostNetwork: true,
            dnsPolicy: 'ClusterFirstWithHostNet',
            priorityClassName: 'system-node-critical',
            securityContext: podSecurity(65532),
            nodeSelector: { [CONTROL_PLANE]: '' },
            tolerations: [{ key: CONTROL_PLANE, operator: 'Exists', effect: 'NoSchedule' }],
            containers,
            volumes: [{ name: 'tls', secret: { secretName: TLS_SECRET, defaultMode: 0o440 } }],
          },
        },
      },
    });
    const policy = addScrapedAgentPolicies(this, NAME, ns, props.scrapedBy, Object.values(ETCD_PROXY_PORTS));
    // Host-network pods are the node to most network plugins (Calico applies no workload policy to
    // them); where a plugin does, the proxies still reach the API servers, and etcd on loopback.
    policy(`${NAME}-allow-api-server`, {
      podSelector: { matchLabels: componentSelector(NAME) }, policyTypes: ['Egress'],
      egress: [{ to: [{ ipBlock: { cidr: parseAt(this, 'apiServer.cidr', () => Cidr.of(props.apiServer.cidr)).toString() } }], ports: [{ protocol: 'TCP', port: k8s.IntOrString.fromNumber(props.apiServer.port) }] }],
    });
    Exemption.add(daemonSet, { rule: 'host-network', reason: "the proxies listen on each master's own address, and reach etcd's metrics on the master's loopback address" });
  }
}
