// Validates ECK objects against the CRDs in schemas/eck/ (see its README), the way the API
// server reads them: `required` lists enforced, and a field the schema does not list is an error
// (the API server would prune it silently, which hides a typo). The trimmed CRDs leave pod
// templates open (x-kubernetes-preserve-unknown-fields), so each podTemplate is validated on its
// own against the Kubernetes PodTemplateSpec schema.
import { crdValidator } from '../../support/crd-schema';
import { validateKubernetesObject } from '../../support/k8s-schema';

const elasticsearch = crdValidator({
  folder: 'eck', version: 'v1', files: { Elasticsearch: 'elasticsearches.elasticsearch.k8s.elastic.co.yaml' },
  enforceRequired: true, topLevelRequired: ['apiVersion', 'kind', 'metadata', 'spec'],
});
const kibana = crdValidator({
  folder: 'eck', version: 'v1', files: { Kibana: 'kibanas.kibana.k8s.elastic.co.yaml' },
  enforceRequired: true, topLevelRequired: ['apiVersion', 'kind', 'metadata', 'spec'],
});
const httpRoute = crdValidator({
  folder: 'gateway-api', version: 'v1', files: { HTTPRoute: 'gateway.networking.k8s.io_httproutes.yaml' },
  enforceRequired: true, topLevelRequired: ['apiVersion', 'kind', 'metadata', 'spec'],
});
const securityPolicy = crdValidator({
  folder: 'envoy-gateway', version: 'v1alpha1', files: { SecurityPolicy: 'gateway.envoyproxy.io_securitypolicies.yaml' },
  enforceRequired: true, topLevelRequired: ['apiVersion', 'kind', 'metadata', 'spec'],
});

function podTemplateErrors(label: string, template: unknown): string[] {
  if (template === undefined) return [];
  try {
    validateKubernetesObject({ apiVersion: 'v1', kind: 'PodTemplate', metadata: { name: label }, template } as never);
    return [];
  } catch (e) {
    return [`${label} podTemplate: ${(e as Error).message}`];
  }
}

const VALIDATORS: Record<string, { apiVersion: string; validate: (o: object) => string[] }> = {
  Elasticsearch: { apiVersion: 'elasticsearch.k8s.elastic.co/v1', validate: elasticsearch },
  Kibana: { apiVersion: 'kibana.k8s.elastic.co/v1', validate: kibana },
  HTTPRoute: { apiVersion: 'gateway.networking.k8s.io/v1', validate: httpRoute },
  SecurityPolicy: { apiVersion: 'gateway.envoyproxy.io/v1alpha1', validate: securityPolicy },
};

/** Whether the kind is one this file validates (the rest go to the Kubernetes schema). */
export function isCustomKind(kind: string): boolean {
  return kind in VALIDATORS;
}

/** The schema violations of one Elasticsearch, Kibana, HTTPRoute or SecurityPolicy object; empty when valid. */
export function customResourceErrors(obj: { apiVersion: string; kind: string; metadata: { name: string }; spec?: any }): string[] {
  const v = VALIDATORS[obj.kind];
  if (v === undefined) return [`${obj.kind}/${obj.metadata.name}: no validator`];
  if (obj.apiVersion !== v.apiVersion) return [`${obj.kind}/${obj.metadata.name} has apiVersion ${obj.apiVersion}, not ${v.apiVersion}`];
  const errors = v.validate(obj);
  if (obj.kind === 'Elasticsearch') {
    for (const set of obj.spec?.nodeSets ?? []) errors.push(...podTemplateErrors(`Elasticsearch/${obj.metadata.name} nodeSet ${set.name}`, set.podTemplate));
  }
  if (obj.kind === 'Kibana') errors.push(...podTemplateErrors(`Kibana/${obj.metadata.name}`, obj.spec?.podTemplate));
  return errors;
}
