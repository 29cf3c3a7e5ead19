// Validates Gateway API and Envoy Gateway objects against the CRDs in schemas/gateway-api/ and
// schemas/envoy-gateway/ (see their READMEs): `required` lists are enforced as the API server
// does, and a field the schema does not list is an error (the API server would prune it silently,
// which hides a typo). CEL rules (x-kubernetes-validations) are not evaluated: ajv cannot run CEL.
import { crdValidator } from '../../support/crd-schema';

const gatewayApi = crdValidator({
  folder: 'gateway-api',
  version: 'v1',
  files: {
    GatewayClass: 'gateway.networking.k8s.io_gatewayclasses.yaml',
    Gateway: 'gateway.networking.k8s.io_gateways.yaml',
    HTTPRoute: 'gateway.networking.k8s.io_httproutes.yaml',
    ListenerSet: 'gateway.networking.k8s.io_listenersets.yaml',
  },
  enforceRequired: true,
  topLevelRequired: ['apiVersion', 'kind', 'metadata', 'spec'],
});

const envoyGateway = crdValidator({
  folder: 'envoy-gateway',
  version: 'v1alpha1',
  files: {
    EnvoyProxy: 'gateway.envoyproxy.io_envoyproxies.yaml',
    BackendTrafficPolicy: 'gateway.envoyproxy.io_backendtrafficpolicies.yaml',
  },
  enforceRequired: true,
  topLevelRequired: ['apiVersion', 'kind', 'metadata', 'spec'],
});

/** Whether an object is of a kind these validators own. */
export function isGatewayObject(obj: { apiVersion: string }): boolean {
  return obj.apiVersion.startsWith('gateway.networking.k8s.io/') || obj.apiVersion.startsWith('gateway.envoyproxy.io/');
}

/** The schema violations of one Gateway API or Envoy Gateway object, as `<kind>/<name><path> <message>` lines; empty when valid. */
export function gatewaySchemaErrors(obj: object): string[] {
  const { apiVersion, kind, metadata } = obj as { apiVersion?: unknown; kind?: unknown; metadata?: { name?: unknown } };
  if (apiVersion === 'gateway.networking.k8s.io/v1') return gatewayApi(obj);
  if (apiVersion === 'gateway.envoyproxy.io/v1alpha1') return envoyGateway(obj);
  return [`${String(kind)}/${String(metadata?.name)} has apiVersion ${String(apiVersion)}, not gateway.networking.k8s.io/v1 or gateway.envoyproxy.io/v1alpha1`];
}
