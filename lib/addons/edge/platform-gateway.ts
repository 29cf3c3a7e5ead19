import { Construct } from 'constructs';
import {
  Gateway, GatewaySpecAllowedListenersNamespacesFrom, GatewaySpecListenersAllowedRoutesNamespacesFrom, HttpRoute,
  HttpRouteSpecRulesFiltersRequestRedirectScheme, HttpRouteSpecRulesFiltersRequestRedirectStatusCode, HttpRouteSpecRulesFiltersType,
} from '../../../imports/gateway.networking.k8s.io';
import { Platform, PlatformLabels } from '../../core';
import { checkProps } from '../../core/props-check';

/** Props of a {@link PlatformGateway}. */
export interface PlatformGatewayProps {
  /** The namespace the Gateway lives in (the controller's). */
  readonly namespace: string;
  /** The GatewayClass it is of. */
  readonly gatewayClassName: string;
}

/** The name of the Gateway's own listener: plain HTTP on port 80, redirected to HTTPS. */
export const HTTP_LISTENER = 'http';

/**
 * The cluster's one Gateway ({@link Platform.gatewayName}). It holds a single listener of its
 * own, HTTP on port 80, whose only route (in this namespace) redirects every request to HTTPS.
 * The HTTPS listeners come from ListenerSets, one per host, in the namespaces that serve hosts
 * (labelled {@link PlatformLabels.gatewayListeners}: team namespaces, and platform namespaces that
 * opt in): a team declares its own hosts and certificates, no Gateway edit is needed per host, and
 * the 64-listener limit of one Gateway does not cap the fleet. Each such listener admits routes of
 * its own namespace only.
 */
export class PlatformGateway extends Construct {
  /** The Gateway. */
  public readonly gateway: Gateway;
  /** The HTTP-to-HTTPS redirect. */
  public readonly redirect: HttpRoute;

  public constructor(scope: Construct, id: string, props: PlatformGatewayProps) {
    super(scope, id);
    props = checkProps(this, PlatformGateway, props);
    const labels = { 'app.kubernetes.io/name': Platform.gatewayName, 'app.kubernetes.io/part-of': 'edge', 'app.kubernetes.io/managed-by': Platform.managedBy };
    this.gateway = new Gateway(this, 'gateway', {
      metadata: { name: Platform.gatewayName, namespace: props.namespace, labels },
      spec: {
        gatewayClassName: props.gatewayClassName,
        allowedListeners: {
          namespaces: {
            from: GatewaySpecAllowedListenersNamespacesFrom.SELECTOR,
            selector: { matchLabels: { [PlatformLabels.gatewayListeners]: 'allowed' } },
          },
        },
        listeners: [{
          name: HTTP_LISTENER, port: 80, protocol: 'HTTP',
          allowedRoutes: { namespaces: { from: GatewaySpecListenersAllowedRoutesNamespacesFrom.SAME } },
        }],
      },
    });
    this.redirect = new HttpRoute(this, 'https-redirect', {
      metadata: { name: 'https-redirect', namespace: props.namespace, labels },
      spec: {
        parentRefs: [{ group: 'gateway.networking.k8s.io', kind: 'Gateway', name: Platform.gatewayName, sectionName: HTTP_LISTENER }],
        rules: [{
          filters: [{
            type: HttpRouteSpecRulesFiltersType.REQUEST_REDIRECT,
            requestRedirect: { scheme: HttpRouteSpecRulesFiltersRequestRedirectScheme.HTTPS, statusCode: HttpRouteSpecRulesFiltersRequestRedirectStatusCode.VALUE_301 },
          }],
        }],
      },
    });
  }
}
