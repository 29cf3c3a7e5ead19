import type { k8s } from 'cdk8s-plus-27';
import { PlatformError } from '../core';
import type { PodTemplateKind } from '../policy/tenancy-facts';

/**
 * The prefixes kube-apiserver puts before OIDC user and group names. The cluster model's
 * `OidcSettings` has this shape and is passed as is: the prefixes are written in one place.
 */
export interface OidcPrefixes {
  /** Put before every group name (`oidc:`). */
  readonly groupsPrefix: string;
  /** Put before every user name (`oidc:`). */
  readonly usernamePrefix: string;
  /** The CI issuer (GitHub Actions), when the API server trusts it. @default - none: no deployer may be a GitHub repository */
  readonly ci?: CiPrefixes | undefined;
}

/** What the API server makes of a GitHub Actions token: the prefix of its user and the one environment it admits. */
export interface CiPrefixes {
  /** Put before the token's `sub` (`github:`). */
  readonly usernamePrefix: string;
  /** The GitHub environment whose jobs the cluster admits (`prod`). */
  readonly environment: string;
  /** The repositories whose jobs the cluster admits. */
  readonly repositories: readonly string[];
}

const REPOSITORY = /^[A-Za-z0-9][A-Za-z0-9-]{0,38}\/[A-Za-z0-9._-]{1,100}$/;

/** Whether `text` is a GitHub repository as `owner/name` (GitHub's character rules: no wildcard, no quote, no `.` or `..` as the name). */
export function isGithubRepository(text: string): boolean {
  return REPOSITORY.test(text) && !text.endsWith('/.') && !text.endsWith('/..');
}

/**
 * The identity the team's CI deploys as, authenticated through OIDC, never a ServiceAccount (its
 * token would be a long-lived credential): the deploy jobs of a GitHub repository
 * (`{ githubRepository: 'example/shop-services' }`: in each cluster, exactly the job of that
 * repository bound to the cluster's GitHub environment), or a user or group of the login provider.
 */
export type DeployIdentity = { readonly githubRepository: string } | { readonly user: string } | { readonly group: string };

/**
 * The `sub` of a GitHub Actions token from a job bound to an environment:
 * `repo:<owner>/<repo>:environment:<env>` — the shape the AWS deployer roles trust too.
 */
export function githubEnvironmentSubject(repository: string, environment: string): string {
  return `repo:${repository}:environment:${environment}`;
}

/** What a team's owners may do in its namespaces beyond reading. */
export type OwnerAccess = 'operate' | 'edit';

/**
 * What the deploy step (the generated dist/<environment>/apply.sh a service repo's deploy job
 * runs) does to each kind it applies, read from kubectl and the API server:
 * - `kubectl apply --server-side` sends a PATCH per object (kubernetes/kubectl
 *   pkg/cmd/apply/apply.go); an apply that creates the object is authorized as `create`
 *   (Kubernetes API concepts, "Patch and apply"), so both are needed;
 * - ApplySet pruning lists each kind of the set by the label `applyset.kubernetes.io/part-of` in
 *   the parent's namespace and deletes what is no longer applied (pkg/cmd/apply/applyset_pruner.go);
 * - `kubectl get -f` reads every object applied.
 * No `update` (apply never PUTs) and no `watch` but where a rollout is followed.
 */
const APPLY = ['get', 'list', 'create', 'patch', 'delete'];
/** `kubectl rollout status` gets the workload, then lists and watches it (pkg/cmd/rollout/rollout_status.go). */
const ROLLOUT = [...APPLY, 'watch'];

/**
 * Exactly what applying a team's manifests needs: the kinds the app constructs write (each
 * with {@link APPLY}), rollout waits on Deployments and StatefulSets, and the ApplySet parent, a
 * ConfigMap, which kubectl reads (`fetchParent`) and applies (`updateParent`, a server-side
 * apply) in pkg/cmd/apply/applyset.go — ConfigMaps are applied kinds already. No Secrets (values
 * come from Secrets Manager through an ExternalSecret), no SecretStores (the platform's, one per
 * namespace), no ServiceAccounts (the team definition writes them, with their workload
 * identities), no Roles or RoleBindings (no escalation), no pods, pods/exec or events. A test
 * derives the set from synthesized service output and holds the Role to it.
 */
export const DEPLOY_RULES: readonly k8s.PolicyRule[] = [
  { apiGroups: [''], resources: ['configmaps', 'services'], verbs: APPLY },
  { apiGroups: ['apps'], resources: ['deployments', 'statefulsets'], verbs: ROLLOUT },
  { apiGroups: ['batch'], resources: ['cronjobs', 'jobs'], verbs: APPLY },
  { apiGroups: ['networking.k8s.io'], resources: ['networkpolicies'], verbs: APPLY },
  // A WebService's exposure (GatewayRoute): its HTTPRoute, the ListenerSet of its host, the
  // host's Certificate and the route's retries and timeouts.
  { apiGroups: ['gateway.networking.k8s.io'], resources: ['httproutes', 'listenersets'], verbs: APPLY },
  { apiGroups: ['cert-manager.io'], resources: ['certificates'], verbs: APPLY },
  { apiGroups: ['gateway.envoyproxy.io'], resources: ['backendtrafficpolicies'], verbs: APPLY },
  { apiGroups: ['policy'], resources: ['poddisruptionbudgets'], verbs: APPLY },
  // An ExternalService by address writes an EndpointSlice next to its selector-less Service.
  // Kubernetes took this right out of the `edit` role for CVE-2021-25740: an EndpointSlice may
  // name pod IPs of another namespace, and the Gateway would then proxy a route there. What keeps
  // it safe here is the team admission policy's EndpointSlice rule (addresses only inside the
  // team's externalAddresses, never in the pod, Service, node, loopback or link-local ranges).
  // Endpoints (the core kind) stay out: nothing the constructs write needs them.
  { apiGroups: ['discovery.k8s.io'], resources: ['endpointslices'], verbs: APPLY },
  // An ExternalSecret: the reference to a Secrets Manager value, never the value (the operator
  // writes the Secret; the deploy identity still cannot read or write Secrets).
  { apiGroups: ['external-secrets.io'], resources: ['externalsecrets'], verbs: APPLY },
  { apiGroups: ['autoscaling'], resources: ['horizontalpodautoscalers'], verbs: APPLY },
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

/**
 * The RBAC subject of the CI identity: for a GitHub repository, the user the API server makes of
 * its deploy job's token in this cluster (`github:repo:example/shop-services:environment:prod`).
 */
export function deploySubject(oidc: OidcPrefixes, identity: DeployIdentity): k8s.Subject {
  if ('githubRepository' in identity) {
    const ci = oidc.ci;
    if (ci === undefined) {
      throw PlatformError.of({
        path: 'deploySubject', field: 'deployer.githubRepository', value: identity.githubRepository, rule: 'names a GitHub repository, but the API server trusts no CI issuer',
        fix: "give the cluster a ciIssuer listing the repository (a cluster definition derives it from its teams' deployers)",
      });
    }
    return { kind: 'User', apiGroup: 'rbac.authorization.k8s.io', name: `${ci.usernamePrefix}${githubEnvironmentSubject(identity.githubRepository, ci.environment)}` };
  }
  return 'user' in identity
    ? { kind: 'User', apiGroup: 'rbac.authorization.k8s.io', name: `${oidc.usernamePrefix}${identity.user}` }
    : groupSubject(oidc, identity.group);
}

/**
 * The deploy Role's rules: {@link DEPLOY_RULES}, and applying each custom pod-bearing kind the
 * platform declares (a team namespace may hold those; `kubectl rollout status` knows none of them,
 * so no watch).
 */
export function deployRules(kinds: readonly PodTemplateKind[]): k8s.PolicyRule[] {
  const groups = [...new Set(kinds.map((k) => k.apiVersion.split('/')[0] ?? ''))].sort();
  return [
    ...DEPLOY_RULES,
    ...groups.map((g) => ({ apiGroups: [g], resources: [...new Set(kinds.filter((k) => k.apiVersion.startsWith(`${g}/`)).map((k) => k.plural))].sort(), verbs: APPLY })),
  ];
}
