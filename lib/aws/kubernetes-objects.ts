import * as k8s from '@pulumi/kubernetes';
import type * as pulumi from '@pulumi/pulumi';

type ResourceClass = new (name: string, args: Record<string, unknown>, opts?: pulumi.CustomResourceOptions) => pulumi.CustomResource;

function typed<T>(cls: T): ResourceClass {
  return cls as unknown as ResourceClass;
}

/**
 * The typed @pulumi/kubernetes class of each built-in kind the platform writes, by
 * `<apiVersion>/<kind>`; their type tokens (`kubernetes:core/v1:Namespace`) are the provider's own.
 */
const CLASSES: Readonly<Record<string, ResourceClass>> = {
  'v1/Namespace': typed(k8s.core.v1.Namespace),
  'v1/ConfigMap': typed(k8s.core.v1.ConfigMap),
  'v1/Secret': typed(k8s.core.v1.Secret),
  'v1/Service': typed(k8s.core.v1.Service),
  'v1/ServiceAccount': typed(k8s.core.v1.ServiceAccount),
  'v1/ResourceQuota': typed(k8s.core.v1.ResourceQuota),
  'v1/LimitRange': typed(k8s.core.v1.LimitRange),
  'v1/PersistentVolumeClaim': typed(k8s.core.v1.PersistentVolumeClaim),
  'v1/Endpoints': typed(k8s.core.v1.Endpoints),
  'apps/v1/Deployment': typed(k8s.apps.v1.Deployment),
  'apps/v1/StatefulSet': typed(k8s.apps.v1.StatefulSet),
  'apps/v1/DaemonSet': typed(k8s.apps.v1.DaemonSet),
  'batch/v1/Job': typed(k8s.batch.v1.Job),
  'batch/v1/CronJob': typed(k8s.batch.v1.CronJob),
  'networking.k8s.io/v1/NetworkPolicy': typed(k8s.networking.v1.NetworkPolicy),
  'networking.k8s.io/v1/Ingress': typed(k8s.networking.v1.Ingress),
  'networking.k8s.io/v1/IngressClass': typed(k8s.networking.v1.IngressClass),
  'policy/v1/PodDisruptionBudget': typed(k8s.policy.v1.PodDisruptionBudget),
  'autoscaling/v2/HorizontalPodAutoscaler': typed(k8s.autoscaling.v2.HorizontalPodAutoscaler),
  'rbac.authorization.k8s.io/v1/Role': typed(k8s.rbac.v1.Role),
  'rbac.authorization.k8s.io/v1/RoleBinding': typed(k8s.rbac.v1.RoleBinding),
  'rbac.authorization.k8s.io/v1/ClusterRole': typed(k8s.rbac.v1.ClusterRole),
  'rbac.authorization.k8s.io/v1/ClusterRoleBinding': typed(k8s.rbac.v1.ClusterRoleBinding),
  'discovery.k8s.io/v1/EndpointSlice': typed(k8s.discovery.v1.EndpointSlice),
  'apiextensions.k8s.io/v1/CustomResourceDefinition': typed(k8s.apiextensions.v1.CustomResourceDefinition),
  'scheduling.k8s.io/v1/PriorityClass': typed(k8s.scheduling.v1.PriorityClass),
  'storage.k8s.io/v1/StorageClass': typed(k8s.storage.v1.StorageClass),
  'admissionregistration.k8s.io/v1/ValidatingWebhookConfiguration': typed(k8s.admissionregistration.v1.ValidatingWebhookConfiguration),
  'admissionregistration.k8s.io/v1/MutatingWebhookConfiguration': typed(k8s.admissionregistration.v1.MutatingWebhookConfiguration),
};

/**
 * Creates the one Pulumi resource of a Kubernetes object: the typed class for a built-in kind,
 * `apiextensions.CustomResource` for any other apiVersion/kind. `args` holds apiVersion, kind and
 * the object's top-level fields, each a value or an Output.
 */
export function kubernetesResource(name: string, args: { readonly apiVersion: string; readonly kind: string } & Record<string, unknown>, opts: pulumi.CustomResourceOptions): pulumi.CustomResource {
  const cls = CLASSES[`${args.apiVersion}/${args.kind}`];
  if (cls !== undefined) return new cls(name, args, opts);
  return new k8s.apiextensions.CustomResource(name, args as k8s.apiextensions.CustomResourceArgs, opts);
}
