import type { Construct } from 'constructs';
import { ApiObject } from 'cdk8s';

/** Where the route attaches and what it sends there. */
export interface DexRouteProps {
  readonly namespace: string;
  readonly labels: Record<string, string>;
  /** The issuer's host (`dex.example.com`). */
  readonly host: string;
  /** The shared Gateway (`AddonFacts.gateway`). */
  readonly gateway: { readonly name: string; readonly namespace: string };
  /** Dex's Service and its HTTP port. */
  readonly service: { readonly name: string; readonly port: number };
}

/**
 * Dex's HTTPRoute (Gateway API v1): every path of the issuer's host to Dex's Service, attached to
 * the shared Gateway, which ends TLS. A plain ApiObject, validated in the tests against the
 * Gateway API CRD (schemas/gateway-api).
 */
export function addDexRoute(scope: Construct, props: DexRouteProps): ApiObject {
  return new ApiObject(scope, 'route', {
    apiVersion: 'gateway.networking.k8s.io/v1',
    kind: 'HTTPRoute',
    metadata: { name: props.service.name, namespace: props.namespace, labels: props.labels },
    spec: {
      parentRefs: [{ group: 'gateway.networking.k8s.io', kind: 'Gateway', name: props.gateway.name, namespace: props.gateway.namespace }],
      hostnames: [props.host],
      rules: [{
        matches: [{ path: { type: 'PathPrefix', value: '/' } }],
        backendRefs: [{ group: '', kind: 'Service', name: props.service.name, port: props.service.port }],
      }],
    },
  });
}
