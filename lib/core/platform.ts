/**
 * Names the whole platform agrees on, written once. App constructs, tenancy, policies and addons
 * all read them from here, so a rename happens in one place.
 */
export const Platform = {
  /** The value of `app.kubernetes.io/managed-by` on everything the library writes. */
  managedBy: 'platform-constructs',
  /** The prefix of the platform's own label and annotation keys (`<prefix>/team`). */
  labelPrefix: 'platform.example.com',
  /** The IngressClass every WebService ingress uses, created by the edge addon. */
  ingressClassName: 'nginx',
  /** The namespace the ingress controller runs in; network policies admit traffic from it. */
  ingressNamespace: 'ingress-nginx',
  /** The cert-manager ClusterIssuer that signs the certificates of ingress hosts. */
  clusterIssuer: 'letsencrypt',
  /** The ClusterIssuer on Let's Encrypt's staging directory (untrusted certificates, generous rate limits), for e2e. */
  stagingClusterIssuer: 'letsencrypt-staging',
  /** The `spec.controller` of the platform's IngressClass: the ingress controller that serves it. */
  ingressController: 'k8s.io/ingress-nginx',
  /** The namespace Prometheus runs in; network policies admit scrapes from it. */
  monitoringNamespace: 'monitoring',
  /** The registry pull secret every platform ServiceAccount names; its value is put in place by the deploy step. */
  imagePullSecret: 'registry-pull',
  /** The namespace cluster DNS (CoreDNS, labelled `k8s-app: kube-dns`) runs in; network policies allow DNS to it. */
  dnsNamespace: 'kube-system',
} as const;

/** The platform's own label and annotation keys, built on {@link Platform.labelPrefix}. */
export const PlatformLabels = {
  /** On a Namespace: the team that owns it. Network policies select team namespaces by it. */
  team: `${Platform.labelPrefix}/team`,
  /** On a team Namespace: the directory groups that own it, comma-separated (an annotation). */
  owners: `${Platform.labelPrefix}/owners`,
  /** On a Namespace whose Pod Security level is below `restricted`: why (an annotation). */
  podSecurityReason: `${Platform.labelPrefix}/pod-security-reason`,
} as const;

/** The standard `app.kubernetes.io/*` labels for one component of an application. */
export interface StandardLabelsInput {
  /** `app.kubernetes.io/name`: the service's name. */
  readonly name: string;
  /** `app.kubernetes.io/component`: its role (`web`, `worker`, `cron`). */
  readonly component: string;
  /** `app.kubernetes.io/part-of`: the application it belongs to. */
  readonly partOf?: string;
  /** `app.kubernetes.io/version`: the version it runs. */
  readonly version?: string;
}

/** The labels that select the pods of one service: stable across releases. */
export function selectorLabels(name: string): Record<string, string> {
  return { 'app.kubernetes.io/name': name };
}

/** The full `app.kubernetes.io/*` label set, with `managed-by` always set. */
export function standardLabels(input: StandardLabelsInput): Record<string, string> {
  return {
    ...selectorLabels(input.name),
    'app.kubernetes.io/component': input.component,
    ...(input.partOf === undefined ? {} : { 'app.kubernetes.io/part-of': input.partOf }),
    ...(input.version === undefined ? {} : { 'app.kubernetes.io/version': labelValue(input.version) }),
    'app.kubernetes.io/managed-by': Platform.managedBy,
  };
}

/** Makes any text a valid label value: at most 63 of [A-Za-z0-9._-], alphanumeric at both ends. */
export function labelValue(text: string): string {
  return text.replace(/[^A-Za-z0-9._-]/g, '_').slice(0, 63).replace(/^[^A-Za-z0-9]+|[^A-Za-z0-9]+$/g, '');
}
