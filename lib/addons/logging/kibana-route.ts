import type { Construct } from 'constructs';
import { GatewayRoute } from '../../apps/gateway-route';

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

/** Kibana's route on the shared Gateway, with the host's listener and certificate, as every service is routed (GatewayRoute). */
export function addKibanaRoute(scope: Construct, props: KibanaRouteProps): GatewayRoute {
  return new GatewayRoute(scope, 'route', {
    name: KIBANA_ROUTE_NAME, namespace: props.namespace, host: props.host, labels: props.labels,
    serviceName: props.service, port: props.port, gateway: { name: props.gateway.name, namespace: props.gateway.namespace },
  });
}
