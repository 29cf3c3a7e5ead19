import type { k8s } from 'cdk8s-plus-27';

// The permissions ingress-nginx needs, as upstream grants them (deploy/static/provider/aws of
// controller-v1.12): read what routes traffic cluster-wide, write only Ingress status, events and
// its own leader-election Lease. The admission webhook is not deployed, so nothing here patches
// ValidatingWebhookConfigurations.

const CORE = '';
const NETWORKING = 'networking.k8s.io';
const DISCOVERY = 'discovery.k8s.io';
const COORDINATION = 'coordination.k8s.io';

/** The name of the Lease the controller replicas elect their leader with (`--election-id`). */
export const ELECTION_ID = 'ingress-nginx-leader';

/** Cluster-wide: watch Ingresses, their backends and Secrets (TLS certificates), write Ingress status. */
export const CLUSTER_RULES: readonly k8s.PolicyRule[] = [
  { apiGroups: [CORE], resources: ['configmaps', 'endpoints', 'nodes', 'pods', 'secrets', 'namespaces'], verbs: ['list', 'watch'] },
  { apiGroups: [COORDINATION], resources: ['leases'], verbs: ['list', 'watch'] },
  { apiGroups: [CORE], resources: ['nodes'], verbs: ['get'] },
  { apiGroups: [CORE], resources: ['services'], verbs: ['get', 'list', 'watch'] },
  { apiGroups: [NETWORKING], resources: ['ingresses'], verbs: ['get', 'list', 'watch'] },
  { apiGroups: [CORE], resources: ['events'], verbs: ['create', 'patch'] },
  { apiGroups: [NETWORKING], resources: ['ingresses/status'], verbs: ['update'] },
  { apiGroups: [NETWORKING], resources: ['ingressclasses'], verbs: ['get', 'list', 'watch'] },
  { apiGroups: [DISCOVERY], resources: ['endpointslices'], verbs: ['list', 'watch', 'get'] },
];

/** In its own namespace: read its config and pods, and hold the leader Lease. */
export const NAMESPACE_RULES: readonly k8s.PolicyRule[] = [
  { apiGroups: [CORE], resources: ['namespaces'], verbs: ['get'] },
  { apiGroups: [CORE], resources: ['configmaps', 'pods', 'secrets', 'endpoints'], verbs: ['get', 'list', 'watch'] },
  { apiGroups: [CORE], resources: ['services'], verbs: ['get', 'list', 'watch'] },
  { apiGroups: [NETWORKING], resources: ['ingresses'], verbs: ['get', 'list', 'watch'] },
  { apiGroups: [NETWORKING], resources: ['ingresses/status'], verbs: ['update'] },
  { apiGroups: [NETWORKING], resources: ['ingressclasses'], verbs: ['get', 'list', 'watch'] },
  { apiGroups: [COORDINATION], resources: ['leases'], resourceNames: [ELECTION_ID], verbs: ['get', 'update'] },
  { apiGroups: [COORDINATION], resources: ['leases'], verbs: ['create'] },
  { apiGroups: [CORE], resources: ['events'], verbs: ['create', 'patch'] },
  { apiGroups: [DISCOVERY], resources: ['endpointslices'], verbs: ['list', 'watch', 'get'] },
];
