import { Chart } from 'cdk8s';
import { Construct } from 'constructs';
import { Certificate } from '../../imports/cert-manager.io';
import { BackendTrafficPolicy, BackendTrafficPolicySpecRetryRetryOnTriggers } from '../../imports/gateway.envoyproxy.io';
import { HttpRoute, HttpRouteSpecRulesMatchesPathType, ListenerSet, ListenerSetSpecListenersAllowedRoutesNamespacesFrom, ListenerSetSpecListenersTlsMode } from '../../imports/gateway.networking.k8s.io';
import { DnsName, Duration, type DurationLike, Platform, PlatformError, parseAt } from '../core';
import { checkProps } from '../core/props-check';

/** The Gateway a route attaches to. */
export interface GatewayRef {
  readonly name: string;
  readonly namespace: string;
}

/** The platform's Gateway (the edge addon creates it): what every route attaches to unless told otherwise. */
export const PLATFORM_GATEWAY: GatewayRef = { name: Platform.gatewayName, namespace: Platform.gatewayNamespace };

/** What Envoy retries, as Envoy Gateway's BackendTrafficPolicy names the triggers. */
export type RetryTrigger = '5xx' | 'gateway-error' | 'reset' | 'reset-before-request' | 'connect-failure' | 'retriable-4xx' | 'refused-stream';

/** Retries of a route's requests at the edge. */
export interface RouteRetryProps {
  /** Retries after the first attempt. */
  readonly attempts: number;
  /** The time each attempt may take. @default - Envoy Gateway's default (none beyond the request timeout) */
  readonly perTryTimeout?: DurationLike;
  /** What is retried. @default ['connect-failure', 'refused-stream', 'reset-before-request'] (safe for any method) */
  readonly on?: readonly RetryTrigger[];
}

/** Props of a {@link GatewayRoute}. */
export interface GatewayRouteProps {
  /** The route's name (the service's name); its objects are named after it or its host. */
  readonly name: string;
  /** The namespace of the route and its Service. @default - the chart's namespace */
  readonly namespace?: string;
  /** The host name (`shop.example.com`). */
  readonly host: string;
  /** The path prefix routed to the service. @default '/' */
  readonly path?: string;
  /** The Service requests go to. */
  readonly serviceName: string;
  /** Its port number. */
  readonly port: number;
  /** Labels on every object. @default {} */
  readonly labels?: Readonly<Record<string, string>>;
  /** The time a whole request may take, retries included. @default - Envoy Gateway's default (15s) */
  readonly timeout?: DurationLike;
  /** Retries at the edge. @default - Envoy Gateway's default (2 retries on connect-failure, refused-stream, unavailable, cancelled, retriable-status-codes 503) */
  readonly retries?: RouteRetryProps;
  /** The Gateway it attaches to. @default PLATFORM_GATEWAY */
  readonly gateway?: GatewayRef;
  /** The cert-manager ClusterIssuer of the host's certificate. @default Platform.clusterIssuer */
  readonly issuer?: string;
}

const GROUP = 'gateway.networking.k8s.io';
/** The name of the HTTPS listener in every host's ListenerSet. */
export const HOST_LISTENER = 'https';

/** The name of a host's ListenerSet and Certificate (`shop.example.com` -> `shop-example-com`). */
export function hostObjectName(host: string): string {
  const slug = host.replace(/\./g, '-');
  return slug.length <= 57 ? slug : slug.slice(0, 57).replace(/-+$/, '');
}

/** The host's listener: one per host and namespace, shared by every route of the chart on that host. */
class HostListener extends Construct {
  public readonly name: string;

  public constructor(scope: Construct, id: string, host: string, namespace: string | undefined, gateway: GatewayRef, issuer: string, labels: Record<string, string>) {
    super(scope, id);
    this.name = hostObjectName(host);
    const secretName = `${this.name}-tls`;
    const ns = namespace === undefined ? {} : { namespace };
    new ListenerSet(this, 'listener-set', {
      metadata: { name: this.name, ...ns, labels },
      spec: {
        parentRef: { group: GROUP, kind: 'Gateway', name: gateway.name, namespace: gateway.namespace },
        listeners: [{
          name: HOST_LISTENER,
          hostname: host,
          port: 443,
          protocol: 'HTTPS',
          tls: { mode: ListenerSetSpecListenersTlsMode.TERMINATE, certificateRefs: [{ group: '', kind: 'Secret', name: secretName }] },
          // Only routes of this namespace (the team's) may use the host.
          allowedRoutes: { namespaces: { from: ListenerSetSpecListenersAllowedRoutesNamespacesFrom.SAME }, kinds: [{ group: GROUP, kind: 'HTTPRoute' }] },
        }],
      },
    });
    // cert-manager's Gateway support needs a flag kops's cert-manager does not pass: the
    // certificate is an explicit Certificate, solved by DNS-01 through the platform issuer.
    new Certificate(this, 'certificate', {
      metadata: { name: secretName, ...ns, labels },
      spec: { secretName, dnsNames: [host], issuerRef: { group: 'cert-manager.io', kind: 'ClusterIssuer', name: issuer } },
    });
  }
}

/**
 * A host and path of the cluster's Gateway routed to a Service port: an HTTPRoute, and, once per
 * host in a chart, the ListenerSet that gives the host its HTTPS listener on the Gateway (routes
 * of its own namespace only) with the Certificate it serves. Retries and timeouts become an Envoy
 * Gateway BackendTrafficPolicy on the route. The edge addon publishes the host in DNS and checks
 * that every route host has a listener and a certificate.
 *
 * @example
 * new GatewayRoute(chart, 'route', { name: 'api', host: 'api.example.com', serviceName: 'api', port: 8080 });
 */
export class GatewayRoute extends Construct {
  /** The HTTPRoute. */
  public readonly route: HttpRoute;
  /** The name of the ListenerSet (and of the Certificate's Secret, with `-tls`). */
  public readonly listenerSetName: string;
  /** The retries and timeout, when any was given. */
  public readonly trafficPolicy: BackendTrafficPolicy | undefined;

  public constructor(scope: Construct, id: string, props: GatewayRouteProps) {
    super(scope, id);
    props = checkProps(this, GatewayRoute, props);
    const path = props.path ?? '/';
    const gateway = props.gateway ?? PLATFORM_GATEWAY;
    const issuer = props.issuer ?? Platform.clusterIssuer;
    const labels = { ...props.labels };
    if (!DnsName.isValid(props.host)) {
      throw PlatformError.at(this, { field: 'ingress.host', value: props.host, rule: 'is not a fully qualified lowercase DNS name', fix: "write a host such as 'shop.example.com'" });
    }
    if (!path.startsWith('/')) {
      throw PlatformError.at(this, { field: 'ingress.path', value: path, rule: "must start with '/'", fix: "write an absolute path prefix such as '/api'" });
    }
    const timeout = props.timeout === undefined ? undefined : parseAt(this, 'ingress.timeout', () => Duration.of(props.timeout as DurationLike));
    const retries = props.retries;
    if (retries !== undefined && (!Number.isInteger(retries.attempts) || retries.attempts < 1 || retries.attempts > 10)) {
      throw PlatformError.at(this, { field: 'ingress.retries.attempts', value: retries.attempts, rule: 'must be a whole number from 1 to 10', fix: 'retry a few times (2 or 3), or drop retries' });
    }
    const perTry = retries?.perTryTimeout === undefined ? undefined : parseAt(this, 'ingress.retries.perTryTimeout', () => Duration.of(retries.perTryTimeout as DurationLike));

    const chart = Chart.of(this);
    const listenerId = `gateway-listener-${hostObjectName(props.host)}`;
    const existing = chart.node.tryFindChild(listenerId);
    const listener = existing instanceof HostListener ? existing : new HostListener(chart, listenerId, props.host, props.namespace, gateway, issuer, labels);
    this.listenerSetName = listener.name;
    const ns = props.namespace === undefined ? {} : { namespace: props.namespace };

    this.route = new HttpRoute(this, 'route', {
      metadata: { name: props.name, ...ns, labels },
      spec: {
        parentRefs: [{ group: GROUP, kind: 'ListenerSet', name: listener.name, sectionName: HOST_LISTENER }],
        hostnames: [props.host],
        rules: [{
          matches: [{ path: { type: HttpRouteSpecRulesMatchesPathType.PATH_PREFIX, value: path } }],
          backendRefs: [{ group: '', kind: 'Service', name: props.serviceName, port: props.port }],
        }],
      },
    });
    this.trafficPolicy = timeout === undefined && retries === undefined ? undefined : new BackendTrafficPolicy(this, 'traffic-policy', {
      metadata: { name: props.name, ...ns, labels },
      spec: {
        targetRefs: [{ group: GROUP, kind: 'HTTPRoute', name: props.name }],
        ...(timeout === undefined ? {} : { timeout: { http: { requestTimeout: timeout.toString() } } }),
        ...(retries === undefined ? {} : {
          retry: {
            numRetries: retries.attempts,
            ...(perTry === undefined ? {} : { perRetry: { timeout: perTry.toString() } }),
            retryOn: { triggers: (retries.on ?? ['connect-failure', 'refused-stream', 'reset-before-request']).map((t) => t as BackendTrafficPolicySpecRetryRetryOnTriggers) },
          },
        }),
      },
    });
  }
}
