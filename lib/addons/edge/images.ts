/**
 * The images of Envoy Gateway v1.9.0, pinned by release tag (one place per fact): the controller
 * (which is also the certgen Job and the Envoy pods' shutdown manager), and the Envoy build that
 * release defaults to (envoyproxy/gateway v1.9.0 api/v1alpha1/shared_types.go,
 * DefaultEnvoyProxyImage). Upstream's own default for the shutdown manager is a development tag
 * (`gateway-dev:latest`, DefaultShutdownManagerImage), so it is always set explicitly.
 */
export const EDGE_IMAGES = {
  controller: 'docker.io/envoyproxy/gateway:v1.9.0',
  envoy: 'docker.io/envoyproxy/envoy:distroless-v1.39.0',
} as const;

/** The ports of the Envoy Gateway controller (internal/xds/bootstrap/bootstrap.go and the chart's Deployment). */
export const CONTROLLER_PORTS = { xds: 18000, metrics: 19001, health: 8081 } as const;

/**
 * The ports of the Envoy pods. A listener on a port below 1024 listens on that port + 10000 in
 * the container (internal/gatewayapi/translator.go, wellKnownPortShift; listener.go,
 * servicePortToContainerPort), so the pods stay unprivileged; the Service maps 80 and 443 to them.
 */
export const PROXY_PORTS = { http: 10080, https: 10443, metrics: 19001, readiness: 19003 } as const;
