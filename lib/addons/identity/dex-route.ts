import type { Construct } from 'constructs';
import { GatewayRoute } from '../../apps/gateway-route';

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
 * Dex's route on the shared Gateway, which ends TLS: every path of the issuer's host to Dex's
 * Service, with the host's listener and certificate, as every service is routed (GatewayRoute).
 */
export function addDexRoute(scope: Construct, props: DexRouteProps): GatewayRoute {
  return new GatewayRoute(scope, 'route', {
    name: props.service.name, namespace: props.namespace, host: props.host, labels: props.labels,
    serviceName: props.service.name, port: props.service.port, gateway: { name: props.gateway.name, namespace: props.gateway.namespace },
  });
}
