import { Construct } from 'constructs';
import { k8s } from 'cdk8s-plus-27';
import { stringify } from 'yaml';
import { addPdb as addOnePodPdb } from '../../apps/availability';
import { addHashedConfigMap } from '../../apps/config';
import { nonRootPodSecurity } from '../../apps/workload';
import { Platform, PlatformError, selectorLabels, standardLabels, type ImageRef } from '../../core';
import { namespaceNamed } from '../../tenancy/network-policies';

/** The `app.kubernetes.io/part-of` value of every object of the addon. */
export const PART_OF = 'monitoring';

/** The standard labels of one component of the addon. */
export function componentLabels(name: string, component: string, image?: ImageRef): Record<string, string> {
  return standardLabels({ name, component, partOf: PART_OF, ...(image === undefined ? {} : { version: image.version }) });
}

/** The labels that select a component's pods. */
export function componentSelector(name: string): Record<string, string> {
  return selectorLabels(name);
}

/** The pod-level security settings of an unprivileged component (the apps' own). */
export const podSecurity = nonRootPodSecurity;

/** YAML as the tools read it: no folded lines, so the content (and its hash) is stable. */
export function toYaml(value: unknown): string {
  return stringify(value, { lineWidth: 0 });
}

/** An immutable ConfigMap named `<base>-<hash of data>`, so a change of content rolls the pods that mount it. */
export function hashedConfigMap(scope: Construct, id: string, base: string, namespace: string, labels: Record<string, string>, data: Record<string, string>): string {
  return addHashedConfigMap(scope, id, base, labels, data, namespace);
}

/** A ServiceAccount, with the platform's pull secret. */
export function addServiceAccount(scope: Construct, name: string, namespace: string, labels: Record<string, string>, pullSecret: string | undefined): void {
  new k8s.KubeServiceAccount(scope, 'service-account', {
    metadata: { name, namespace, labels },
    automountServiceAccountToken: false,
    ...(pullSecret === undefined ? {} : { imagePullSecrets: [{ name: pullSecret }] }),
  });
}

/** A ClusterRole with exactly `rules`, bound to the component's ServiceAccount. */
export function addClusterRole(scope: Construct, name: string, namespace: string, labels: Record<string, string>, rules: k8s.PolicyRule[]): void {
  new k8s.KubeClusterRole(scope, 'cluster-role', { metadata: { name: `${PART_OF}:${name}`, labels }, rules });
  new k8s.KubeClusterRoleBinding(scope, 'cluster-role-binding', {
    metadata: { name: `${PART_OF}:${name}`, labels },
    roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: `${PART_OF}:${name}` },
    subjects: [{ kind: 'ServiceAccount', name, namespace }],
  });
}

/**
 * The network policies of a host-network agent's own namespace: deny everything, then admit the
 * pods that scrape it on its ports alone. Returns a writer for the namespace's further policies.
 */
export function addScrapedAgentPolicies(
  scope: Construct, name: string, namespace: string, scrapedBy: { readonly namespace: string; readonly name: string }, ports: readonly number[],
): (policyName: string, spec: k8s.NetworkPolicySpec) => k8s.KubeNetworkPolicy {
  const policy = (policyName: string, spec: k8s.NetworkPolicySpec) =>
    new k8s.KubeNetworkPolicy(scope, policyName, { metadata: { name: policyName, namespace, labels: { 'app.kubernetes.io/managed-by': Platform.managedBy } }, spec });
  policy(`${name}-default-deny`, { podSelector: {}, policyTypes: ['Ingress', 'Egress'] });
  policy(`${name}-allow-scrapes`, {
    podSelector: { matchLabels: componentSelector(name) }, policyTypes: ['Ingress'],
    ingress: [{
      from: [{ ...namespaceNamed(scrapedBy.namespace), podSelector: { matchLabels: componentSelector(scrapedBy.name) } }],
      ports: ports.map((port) => ({ protocol: 'TCP', port: k8s.IntOrString.fromNumber(port) })),
    }],
  });
  return policy;
}

/** A PodDisruptionBudget letting one pod of the component go at a time. */
export function addPdb(scope: Construct, name: string, namespace: string, labels: Record<string, string>): void {
  addOnePodPdb(scope, { name, namespace, labels }, componentSelector(name));
}

/** Checks a replica count and returns it. */
export function checkCount(scope: Construct, field: string, value: number, min: number): number {
  if (!Number.isInteger(value) || value < min) {
    throw PlatformError.at(scope, { field, value, rule: `must be a whole number >= ${min}`, fix: `set ${field} to ${min} or more` });
  }
  return value;
}

/** What a single-replica component Deployment runs. */
export interface SingleDeploymentProps {
  readonly name: string;
  readonly namespace: string;
  readonly labels: Record<string, string>;
  /** The non-root user and group the pod runs as. */
  readonly user: number;
  /** Mount the ServiceAccount token (only components that call the API server). */
  readonly automountToken: boolean;
  readonly containers: k8s.Container[];
  readonly volumes: k8s.Volume[];
}

/** One replica of a stateless component, as its ServiceAccount, non-root. */
export function addSingleDeployment(scope: Construct, props: SingleDeploymentProps): k8s.KubeDeployment {
  return new k8s.KubeDeployment(scope, 'deployment', {
    metadata: { name: props.name, namespace: props.namespace, labels: props.labels },
    spec: {
      replicas: 1,
      selector: { matchLabels: componentSelector(props.name) },
      template: {
        metadata: { labels: props.labels },
        spec: {
          serviceAccountName: props.name,
          automountServiceAccountToken: props.automountToken,
          securityContext: podSecurity(props.user),
          containers: props.containers,
          volumes: props.volumes,
        },
      },
    },
  });
}
