import { ApiObject } from 'cdk8s';
import type { Construct } from 'constructs';

/** Where Kibana's route attaches and what it serves. */
export interface KibanaRouteProps {
  /** The shared Gateway (the edge's fact `ctx.addons.gateway`). */
  readonly gateway: { readonly name: string; readonly namespace: string };
  readonly namespace: string;
  /** The host name users open (`kibana.prod.example.com`). */
  readonly host: string;
  /** Kibana's Service and port. */
  readonly service: string;
  readonly port: number;
  readonly labels: Record<string, string>;
}

/** The route's name; the edge's sign-in policy targets it by this name. */
export const KIBANA_ROUTE_NAME = 'kibana';

/**
 * Kibana's HTTPRoute on the shared Gateway, as a plain Gateway API v1 object (the edge that
 * owns the Gateway API types is built separately; this is the one place the route is written).
 */
export function addKibanaRoute(scope: Construct, props: KibanaRouteProps): ApiObject {
  return new ApiObject(scope, 'route', {
    apiVersion: 'gateway.networking.k8s.io/v1',
    kind: 'HTTPRoute',
    metadata: { name: KIBANA_ROUTE_NAME, namespace: props.namespace, labels: props.labels },
    spec: {
      parentRefs: [{ group: 'gateway.networking.k8s.io', kind: 'Gateway', name: props.gateway.name, namespace: props.gateway.namespace }],
      hostnames: [props.host],
      rules: [{
        matches: [{ path: { type: 'PathPrefix', value: '/' } }],
        backendRefs: [{ kind: 'Service', name: props.service, port: props.port }],
      }],
    },
  });
}
