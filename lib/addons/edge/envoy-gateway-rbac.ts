import type { k8s } from 'cdk8s-plus-27';

// The permissions Envoy Gateway v1.9.0 needs, as upstream's chart grants them
// (envoyproxy/gateway v1.9.0 charts/gateway-helm/templates/_rbac.tpl and
// infra-manager-rbac.yaml, leader-election-rbac.yaml, certgen-rbac.yaml; rendered for the default
// values in test/helm/gateway-helm/default-config.out.yaml, copied to
// schemas/envoy-gateway/reference/). What is left out, and why:
// - `pods`, `pods/binding` (get/list/watch/patch/update, cluster-wide): only the topology
//   injector webhook uses them (_rbac.tpl renders them under `topologyInjector.enabled`), and it
//   is switched off here (`proxyTopologyInjector.disable`, certgen `--disable-topology-injector`).
// - `multicluster.x-k8s.io/serviceimports`: read only when that CRD exists
//   (internal/provider/kubernetes/controller.go checks it first); no MCS API runs here.
// - `certificates.k8s.io/clustertrustbundles` in the namespaced infra Role: a cluster-scoped
//   kind, which a Role cannot grant; the rule is inert upstream.
// - certgen's ClusterRole on MutatingWebhookConfigurations: it patches the topology injector's
//   caBundle, and there is no injector.

const CORE = '';
const APPS = 'apps';
const GATEWAY = 'gateway.networking.k8s.io';
const ENVOY = 'gateway.envoyproxy.io';
const READ = ['get', 'list', 'watch'];

/** Cluster-wide: read what the Gateway API and Envoy Gateway's policies describe, write their status. */
export const CONTROLLER_CLUSTER_RULES: readonly k8s.PolicyRule[] = [
  { apiGroups: [CORE], resources: ['nodes', 'namespaces'], verbs: READ },
  { apiGroups: [GATEWAY], resources: ['gatewayclasses'], verbs: ['get', 'list', 'patch', 'update', 'watch'] },
  { apiGroups: [GATEWAY], resources: ['gatewayclasses/status'], verbs: ['update'] },
  { apiGroups: [CORE], resources: ['configmaps', 'secrets', 'services'], verbs: READ },
  { apiGroups: [APPS], resources: ['deployments', 'daemonsets'], verbs: READ },
  { apiGroups: ['discovery.k8s.io'], resources: ['endpointslices'], verbs: READ },
  {
    apiGroups: [ENVOY],
    resources: ['envoyproxies', 'envoypatchpolicies', 'clienttrafficpolicies', 'backendtrafficpolicies', 'securitypolicies', 'envoyextensionpolicies', 'backends', 'httproutefilters'],
    verbs: READ,
  },
  {
    apiGroups: [ENVOY],
    resources: ['envoyproxies/status', 'envoypatchpolicies/status', 'clienttrafficpolicies/status', 'backendtrafficpolicies/status', 'securitypolicies/status', 'envoyextensionpolicies/status', 'backends/status'],
    verbs: ['update'],
  },
  {
    apiGroups: [GATEWAY],
    resources: ['gateways', 'listenersets', 'grpcroutes', 'httproutes', 'referencegrants', 'tcproutes', 'tlsroutes', 'udproutes', 'backendtlspolicies'],
    verbs: READ,
  },
  {
    apiGroups: [GATEWAY],
    resources: ['gateways/status', 'listenersets/status', 'grpcroutes/status', 'httproutes/status', 'tcproutes/status', 'tlsroutes/status', 'udproutes/status', 'backendtlspolicies/status'],
    verbs: ['update'],
  },
];

const MANAGE = ['create', 'get', 'list', 'delete', 'deletecollection', 'patch', 'watch'];

/** In its own namespace: run the Envoy fleet of each Gateway (its Deployment, Service, HPA and PDB). */
export const CONTROLLER_INFRA_RULES: readonly k8s.PolicyRule[] = [
  { apiGroups: [CORE], resources: ['serviceaccounts', 'services', 'configmaps'], verbs: MANAGE },
  { apiGroups: [APPS], resources: ['deployments', 'daemonsets'], verbs: MANAGE },
  { apiGroups: ['autoscaling'], resources: ['horizontalpodautoscalers'], verbs: MANAGE },
  { apiGroups: ['policy'], resources: ['poddisruptionbudgets'], verbs: MANAGE },
];

/** In its own namespace: elect a leader among the replicas and record events. */
export const CONTROLLER_LEADER_RULES: readonly k8s.PolicyRule[] = [
  { apiGroups: [CORE], resources: ['configmaps'], verbs: ['get', 'list', 'watch', 'create', 'update', 'patch', 'delete'] },
  { apiGroups: ['coordination.k8s.io'], resources: ['leases'], verbs: ['get', 'list', 'watch', 'create', 'update', 'patch', 'delete'] },
  { apiGroups: [CORE], resources: ['events'], verbs: ['create', 'patch'] },
];

/** The certgen Job, in the controller's namespace: write the Secrets holding the control plane's certificates. */
export const CERTGEN_RULES: readonly k8s.PolicyRule[] = [
  { apiGroups: [CORE], resources: ['secrets'], verbs: ['get', 'create', 'update'] },
];
