import type { k8s } from 'cdk8s-plus-27';

const READ = ['get', 'list', 'watch'];

/**
 * The controller's cluster-wide rules: upstream's chart's controller ClusterRole
 * (deploy/charts/external-secrets/templates/rbac.yaml), narrowed to the namespaced kinds the
 * platform uses (no ClusterSecretStore, ClusterExternalSecret or PushSecret: those reconcilers are
 * off). Writing Secrets everywhere and asking for ServiceAccount tokens are what the operator is
 * for: it writes the Secret of each ExternalSecret, and it authenticates to AWS as each store's
 * ServiceAccount (a TokenRequest), never as itself.
 */
export const EXTERNAL_SECRETS_CLUSTER_RULES: readonly k8s.PolicyRule[] = [
  { apiGroups: ['external-secrets.io'], resources: ['secretstores', 'externalsecrets'], verbs: READ },
  {
    apiGroups: ['external-secrets.io'],
    resources: ['externalsecrets', 'externalsecrets/status', 'externalsecrets/finalizers', 'secretstores', 'secretstores/status', 'secretstores/finalizers'],
    verbs: ['update', 'patch'],
  },
  { apiGroups: [''], resources: ['serviceaccounts', 'namespaces'], verbs: READ },
  { apiGroups: [''], resources: ['configmaps'], verbs: READ },
  { apiGroups: [''], resources: ['secrets'], verbs: ['get', 'list', 'watch', 'create', 'update', 'delete', 'patch'] },
  { apiGroups: [''], resources: ['serviceaccounts/token'], verbs: ['create'] },
  { apiGroups: ['', 'events.k8s.io'], resources: ['events'], verbs: ['create', 'patch'] },
];

/** Leader election in its own namespace (upstream's leaderelection Role: a Lease). */
export const EXTERNAL_SECRETS_LEADER_RULES: readonly k8s.PolicyRule[] = [
  { apiGroups: ['coordination.k8s.io'], resources: ['leases'], verbs: ['get', 'create', 'update', 'patch'] },
];
