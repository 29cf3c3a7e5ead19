import type { k8s } from 'cdk8s-plus-27';

/**
 * The prefixes kube-apiserver puts before OIDC user and group names. The cluster model's
 * `OidcSettings` has this shape and is passed as is: the prefixes are written in one place.
 */
export interface OidcPrefixes {
  /** Put before every group name (`oidc:`). */
  readonly groupsPrefix: string;
  /** Put before every user name (`oidc:`). */
  readonly usernamePrefix: string;
}

/**
 * The identity the team's CI deploys as, authenticated through OIDC: a user (the CI's
 * subject) or a group. Never a ServiceAccount: its token would be a long-lived credential.
 */
export type DeployIdentity = { readonly user: string } | { readonly group: string };

/** What a team's owners may do in its namespaces beyond reading. */
export type OwnerAccess = 'operate' | 'edit';

const WRITE = ['get', 'list', 'watch', 'create', 'update', 'patch', 'delete'];
const READ = ['get', 'list', 'watch'];

/**
 * What applying a team's manifests needs: the kinds the app constructs write, and reads to
 * follow a rollout. No Secrets (values come from the deploy step's own store or Secrets Manager
 * through an ExternalSecret), no SecretStores (the platform's, one per namespace), no Roles or
 * RoleBindings (no escalation), no pods/exec.
 */
export const DEPLOY_RULES: readonly k8s.PolicyRule[] = [
  { apiGroups: [''], resources: ['services', 'configmaps', 'serviceaccounts'], verbs: WRITE },
  { apiGroups: ['apps'], resources: ['deployments', 'statefulsets'], verbs: WRITE },
  { apiGroups: ['batch'], resources: ['cronjobs', 'jobs'], verbs: WRITE },
  { apiGroups: ['networking.k8s.io'], resources: ['networkpolicies'], verbs: WRITE },
  // A WebService's exposure (GatewayRoute): its HTTPRoute, the ListenerSet of its host, the
  // host's Certificate and the route's retries and timeouts.
  { apiGroups: ['gateway.networking.k8s.io'], resources: ['httproutes', 'listenersets'], verbs: WRITE },
  { apiGroups: ['cert-manager.io'], resources: ['certificates'], verbs: WRITE },
  { apiGroups: ['gateway.envoyproxy.io'], resources: ['backendtrafficpolicies'], verbs: WRITE },
  { apiGroups: ['policy'], resources: ['poddisruptionbudgets'], verbs: WRITE },
  // An ExternalService by address writes an EndpointSlice next to its selector-less Service.
  // Kubernetes took this right out of the `edit` role for CVE-2021-25740: an EndpointSlice may
  // name pod IPs of another namespace, and the Gateway would then proxy a route there. What keeps
  // it safe here is an admission rule refusing addresses inside the pod and service ranges
  // (the admission policies' part), not this Role.
  { apiGroups: ['discovery.k8s.io'], resources: ['endpointslices'], verbs: WRITE },
  // An ExternalSecret: the reference to a Secrets Manager value, never the value (the operator
  // writes the Secret; the deploy identity still cannot read or write Secrets).
  { apiGroups: ['external-secrets.io'], resources: ['externalsecrets'], verbs: WRITE },
  { apiGroups: ['autoscaling'], resources: ['horizontalpodautoscalers'], verbs: WRITE },
  { apiGroups: [''], resources: ['pods', 'events'], verbs: READ },
  { apiGroups: ['apps'], resources: ['replicasets'], verbs: READ },
];

/**
 * What owners need in an incident on top of `view`: evict or delete a stuck pod (the controller
 * replaces it), scale a workload, stop a stuck Job. None of it can change a pod spec, so what
 * runs stays what the repository says and CI applied; Secrets and pods/exec stay out of reach.
 */
export const OPERATE_RULES: readonly k8s.PolicyRule[] = [
  { apiGroups: [''], resources: ['pods'], verbs: ['delete'] },
  { apiGroups: [''], resources: ['pods/eviction'], verbs: ['create'] },
  { apiGroups: ['apps'], resources: ['deployments/scale', 'statefulsets/scale'], verbs: ['get', 'update', 'patch'] },
  { apiGroups: ['batch'], resources: ['jobs'], verbs: ['delete'] },
];

/** The RBAC subject of a directory group, with the API server's prefix. */
export function groupSubject(oidc: OidcPrefixes, group: string): k8s.Subject {
  return { kind: 'Group', apiGroup: 'rbac.authorization.k8s.io', name: `${oidc.groupsPrefix}${group}` };
}

/** The RBAC subject of the CI identity. */
export function deploySubject(oidc: OidcPrefixes, identity: DeployIdentity): k8s.Subject {
  return 'user' in identity
    ? { kind: 'User', apiGroup: 'rbac.authorization.k8s.io', name: `${oidc.usernamePrefix}${identity.user}` }
    : groupSubject(oidc, identity.group);
}
