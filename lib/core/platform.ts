/**
 * Names the whole platform agrees on, written once. App constructs, tenancy, policies and addons
 * all read them from here, so a rename happens in one place.
 */
export const Platform = {
  /** The value of `app.kubernetes.io/managed-by` on everything the library writes. */
  managedBy: 'platform-constructs',
  /** The prefix of the platform's own label and annotation keys (`<prefix>/team`). */
  labelPrefix: 'platform.example.com',
  /** The GatewayClass of the platform's Gateway: Envoy Gateway serves it. */
  gatewayClassName: 'platform',
  /** The Gateway every exposed service's route attaches to (through its ListenerSet), created by the edge addon. */
  gatewayName: 'platform',
  /** The namespace the Gateway, the Envoy Gateway controller and its Envoy pods run in; network policies admit traffic from those pods. */
  gatewayNamespace: 'envoy-gateway-system',
  /** The `spec.controllerName` of the platform's GatewayClass: Envoy Gateway's default controller name. */
  gatewayController: 'gateway.envoyproxy.io/gatewayclass-controller',
  /** The cert-manager ClusterIssuer that signs the certificates of route hosts. */
  clusterIssuer: 'letsencrypt',
  /** The ClusterIssuer on Let's Encrypt's staging directory (untrusted certificates, generous rate limits), for e2e. */
  stagingClusterIssuer: 'letsencrypt-staging',
  /** The namespace Prometheus runs in; network policies admit scrapes from it. */
  monitoringNamespace: 'monitoring',
  /** The registry pull secret every platform ServiceAccount names; its value is put in place by the deploy step. */
  imagePullSecret: 'registry-pull',
  /**
   * The SecretStore every namespace that syncs Secrets from AWS Secrets Manager has, and the
   * ServiceAccount (workload identity) it authenticates as; `ExternalSecret` names it by default.
   */
  secretStore: 'platform-secrets',
  /** The namespace the External Secrets Operator runs in. */
  externalSecretsNamespace: 'external-secrets',
  /** The namespace cluster DNS (CoreDNS, labelled `k8s-app: kube-dns`) runs in; network policies allow DNS to it. */
  dnsNamespace: 'kube-system',
} as const;

/** The platform's own label and annotation keys, built on {@link Platform.labelPrefix}. */
export const PlatformLabels = {
  /** On a Namespace: the team that owns it. Network policies select team namespaces by it. */
  team: `${Platform.labelPrefix}/team`,
  /** On a team Namespace: the directory groups that own it, comma-separated (an annotation). */
  owners: `${Platform.labelPrefix}/owners`,
  /**
   * On a Namespace (value `allowed`): its ListenerSets may attach listeners to the platform
   * Gateway. Team namespaces and platform namespaces that serve a host carry it.
   */
  gatewayListeners: `${Platform.labelPrefix}/gateway-listeners`,
  /** On a Namespace whose Pod Security level is below `restricted`: why (an annotation). */
  podSecurityReason: `${Platform.labelPrefix}/pod-security-reason`,
} as const;

/**
 * The labels Envoy Gateway puts on the Envoy pods it runs for a Gateway
 * (envoyproxy/gateway v1.9.0 internal/infrastructure/kubernetes/proxy/resource.go, envoyLabels):
 * network policies select the data plane by them.
 */
export const GATEWAY_PROXY_LABELS: Readonly<Record<string, string>> = {
  'app.kubernetes.io/name': 'envoy',
  'app.kubernetes.io/component': 'proxy',
  'app.kubernetes.io/managed-by': 'envoy-gateway',
};

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
