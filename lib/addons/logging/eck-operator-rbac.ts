import type { k8s } from 'cdk8s-plus-27';

const ALL = ['get', 'list', 'watch', 'create', 'update', 'patch', 'delete'];
const OWN = ['get', 'list', 'watch', 'create', 'update', 'patch'];

/** The ECK kinds the operator reconciles: it starts a controller (a watch) for each, whichever ones exist. */
const ECK_KINDS: ReadonlyArray<readonly [string, string]> = [
  ['elasticsearch.k8s.elastic.co', 'elasticsearches'],
  ['autoscaling.k8s.elastic.co', 'elasticsearchautoscalers'],
  ['kibana.k8s.elastic.co', 'kibanas'],
  ['apm.k8s.elastic.co', 'apmservers'],
  ['enterprisesearch.k8s.elastic.co', 'enterprisesearches'],
  ['beat.k8s.elastic.co', 'beats'],
  ['agent.k8s.elastic.co', 'agents'],
  ['maps.k8s.elastic.co', 'elasticmapsservers'],
  ['stackconfigpolicy.k8s.elastic.co', 'stackconfigpolicies'],
  ['logstash.k8s.elastic.co', 'logstashes'],
  ['autoops.k8s.elastic.co', 'autoopsagentpolicies'],
];

/**
 * The operator's rules in the namespace it manages: upstream's `eck-operator.rbacRules`
 * (schemas/eck/reference/eck-operator-chart/templates/_helpers.tpl) unchanged, which the chart
 * itself puts in a namespaced Role when the operator manages a list of namespaces. Here they are
 * granted in the addon's one namespace only, where the chart's default grants them cluster-wide.
 */
export const ECK_OPERATOR_NAMESPACED_RULES: readonly k8s.PolicyRule[] = [
  // Kibana and other associations check the user's rights on referenced objects (enforce-rbac-on-refs).
  { apiGroups: ['authorization.k8s.io'], resources: ['subjectaccessreviews'], verbs: ['create'] },
  // Leader election: create the lease, then touch only its own.
  { apiGroups: ['coordination.k8s.io'], resources: ['leases'], verbs: ['create'] },
  { apiGroups: ['coordination.k8s.io'], resources: ['leases'], resourceNames: ['elastic-operator-leader'], verbs: ['get', 'watch', 'update'] },
  { apiGroups: [''], resources: ['endpoints'], verbs: ['get', 'list', 'watch'] },
  // What it builds an Elasticsearch or Kibana from: pods, volumes, certificates and users (Secrets), Services, configuration.
  { apiGroups: [''], resources: ['pods', 'events', 'persistentvolumeclaims', 'secrets', 'services', 'configmaps'], verbs: ALL },
  { apiGroups: ['events.k8s.io'], resources: ['events'], verbs: ALL },
  { apiGroups: ['apps'], resources: ['deployments', 'statefulsets', 'daemonsets'], verbs: ALL },
  { apiGroups: ['policy'], resources: ['poddisruptionbudgets'], verbs: ALL },
  ...ECK_KINDS.map(([group, plural]) => ({ apiGroups: [group], resources: [plural, `${plural}/status`, `${plural}/finalizers`], verbs: OWN })),
  { apiGroups: ['packageregistry.k8s.elastic.co'], resources: ['packageregistries', 'packageregistries/status', 'packageregistries/finalizers'], verbs: [...ALL, 'deletecollection'] },
];

/**
 * The operator's cluster-wide rules: read-only, from upstream's `clusterWideRbacRules` and
 * `readNodeLabelsRbacRule` less the webhook's. Namespaces (to find the managed ones), storage
 * classes (`validate-storage-class`: whether a volume claim may grow) and nodes (their
 * `topology.kubernetes.io/*` labels, `exposed-node-labels`, which zone awareness reads). The
 * chart's `validatingwebhookconfigurations` rule is left out: the webhook is off.
 */
export const ECK_OPERATOR_CLUSTER_RULES: readonly k8s.PolicyRule[] = [
  { apiGroups: [''], resources: ['namespaces'], verbs: ['get', 'list', 'watch'] },
  { apiGroups: ['storage.k8s.io'], resources: ['storageclasses'], verbs: ['get', 'list', 'watch'] },
  { apiGroups: [''], resources: ['nodes'], verbs: ['get', 'list', 'watch'] },
];
