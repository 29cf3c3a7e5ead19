import { Chart } from 'cdk8s';
import type { Construct } from 'constructs';
import { Probe, WebService } from '../../lib';
import { chartIn, objectsOf, only } from '../support/trees';

const image = 'registry.example.com/shop/api:1.4.2';

describe('WebService', () => {
  test('makes a Deployment and a ClusterIP Service that selects its pods', () => {
    // GIVEN
    const chart = chartIn();
    // WHEN
    new WebService(chart, 'api', { image });
    // THEN
    const objects = objectsOf(chart);
    expect(Object.keys(objects).sort()).toEqual(['Deployment/api', 'PodDisruptionBudget/api', 'Service/api']);
    const deployment = objects['Deployment/api'];
    const service = objects['Service/api'];
    expect(deployment.metadata.namespace).toBe('shop');
    expect(deployment.spec.replicas).toBe(2);
    expect(service.spec.type).toBe('ClusterIP');
    expect(service.spec.selector).toEqual(deployment.spec.selector.matchLabels);
    expect(deployment.spec.template.metadata.labels).toMatchObject(service.spec.selector);
    expect(service.spec.ports).toEqual([{ name: 'http', port: 8080, targetPort: 'http', protocol: 'TCP' }]);
  });

  test('runs non-root on a read-only root filesystem with every capability dropped and no token', () => {
    // GIVEN
    const chart = chartIn();
    // WHEN
    new WebService(chart, 'api', { image });
    // THEN
    const pod = only(chart, 'Deployment').spec.template.spec;
    const container = pod.containers[0];
    expect(pod.automountServiceAccountToken).toBe(false);
    expect(pod.securityContext).toEqual({ runAsNonRoot: true, runAsUser: 10001, runAsGroup: 10001, fsGroup: 10001, seccompProfile: { type: 'RuntimeDefault' } });
    expect(container.securityContext).toEqual({
      allowPrivilegeEscalation: false, privileged: false, readOnlyRootFilesystem: true, runAsNonRoot: true, capabilities: { drop: ['ALL'] },
    });
    expect(container.volumeMounts).toEqual([{ name: 'api-rw0', mountPath: '/tmp' }]);
    expect(pod.volumes).toEqual([{ name: 'api-rw0', emptyDir: {} }]);
  });

  test('defaults: requests 100m/128Mi, CPU limit twice the request, memory limit equal to it, and health probes on the first port', () => {
    // GIVEN
    const chart = chartIn();
    // WHEN
    new WebService(chart, 'api', { image });
    // THEN
    const container = only(chart, 'Deployment').spec.template.spec.containers[0];
    expect(container.resources).toEqual({ requests: { cpu: '100m', memory: '128Mi' }, limits: { cpu: '200m', memory: '128Mi' } });
    expect(container.readinessProbe.httpGet).toEqual({ path: '/healthz', port: 'http' });
    expect(container.livenessProbe.tcpSocket).toEqual({ port: 'http' });
    expect(container.livenessProbe.periodSeconds).toBe(20);
    expect(container.startupProbe).toBeUndefined();
  });

  test('probes can be given, timed, or turned off', () => {
    // GIVEN
    const chart = chartIn();
    // WHEN
    new WebService(chart, 'api', {
      image,
      readiness: Probe.http('/ready', { period: '5s', failureThreshold: 2 }),
      liveness: false,
      startup: Probe.exec(['/bin/check'], { period: '2s', failureThreshold: 60 }),
    });
    // THEN
    const container = only(chart, 'Deployment').spec.template.spec.containers[0];
    expect(container.readinessProbe).toEqual({ httpGet: { path: '/ready', port: 'http' }, initialDelaySeconds: 0, periodSeconds: 5, timeoutSeconds: 1, failureThreshold: 2 });
    expect(container.livenessProbe).toBeUndefined();
    expect(container.startupProbe.exec).toEqual({ command: ['/bin/check'] });
  });

  test('an http probe on a container without ports is refused', () => {
    const chart = chartIn();
    expect(() => new WebService(chart, 'api', { image, sidecars: [{ name: 'proxy', image, readiness: Probe.http('/') }] })).toThrow(
      'prod/services/api: sidecars[0].readiness.port is not set and the container has no port; declare a port on the container or give the probe a port',
    );
  });

  test('per-environment overrides change only their environment', () => {
    // GIVEN
    const props = {
      image,
      replicas: 2,
      env: { LOG_LEVEL: 'info', REGION: 'eu' },
      resources: { requests: { cpu: '250m', memory: '256Mi' } },
      overrides: { prod: { replicas: 5, env: { LOG_LEVEL: 'warn' }, resources: { requests: { memory: '1Gi' } } } },
    };
    const prod = chartIn('prod');
    const stage = chartIn('stage');
    // WHEN
    new WebService(prod, 'api', props);
    new WebService(stage, 'api', props);
    // THEN
    const prodDeployment = only(prod, 'Deployment');
    const stageDeployment = only(stage, 'Deployment');
    expect(prodDeployment.spec.replicas).toBe(5);
    expect(stageDeployment.spec.replicas).toBe(2);
    expect(prodDeployment.spec.template.spec.containers[0].env).toEqual([{ name: 'LOG_LEVEL', value: 'warn' }, { name: 'REGION', value: 'eu' }]);
    expect(prodDeployment.spec.template.spec.containers[0].resources.requests).toEqual({ cpu: '250m', memory: '1Gi' });
    expect(prodDeployment.spec.template.spec.containers[0].resources.limits).toEqual({ cpu: '500m', memory: '1Gi' });
    expect(stageDeployment.spec.template.spec.containers[0].resources.requests).toEqual({ cpu: '250m', memory: '256Mi' });
  });

  test('an override for an environment the definition does not have is refused', () => {
    const chart = chartIn();
    expect(() => new WebService(chart, 'api', { image, overrides: { production: { replicas: 3 } } })).toThrow(
      'prod/services/api: overrides names an environment the definition does not have [prod, stage, e2e] (got "production"); fix the environment name or add the environment to the definition',
    );
  });

  test('an ingress becomes an HTTPRoute on the platform Gateway to the first port, with the host\'s listener and certificate', () => {
    // GIVEN
    const chart = chartIn('stage');
    // WHEN
    new WebService(chart, 'web', {
      image, ingress: { host: 'shop.example.com' }, overrides: { stage: { ingress: { host: 'shop.stage.example.com', path: '/app' } } },
    });
    // THEN the route attaches to the host's ListenerSet and sends /app to port 8080
    const route = only(chart, 'HTTPRoute');
    expect(route.spec).toEqual({
      parentRefs: [{ group: 'gateway.networking.k8s.io', kind: 'ListenerSet', name: 'shop-stage-example-com', sectionName: 'https' }],
      hostnames: ['shop.stage.example.com'],
      rules: [{ matches: [{ path: { type: 'PathPrefix', value: '/app' } }], backendRefs: [{ group: '', kind: 'Service', name: 'web', port: 8080 }] }],
    });
    // AND the ListenerSet listens for the host on the platform Gateway, with the Secret the Certificate fills
    expect(only(chart, 'ListenerSet').spec.parentRef).toEqual({ group: 'gateway.networking.k8s.io', kind: 'Gateway', name: 'platform', namespace: 'envoy-gateway-system' });
    expect(only(chart, 'Certificate').spec).toEqual({
      secretName: 'shop-stage-example-com-tls', dnsNames: ['shop.stage.example.com'], issuerRef: { group: 'cert-manager.io', kind: 'ClusterIssuer', name: 'letsencrypt' },
    });
    expect(chart.toJson().filter((o: any) => o.kind === 'Ingress')).toEqual([]);
  });

  test('a routed service admits the Gateway\'s Envoy pods to its routed port, and a service without a route admits no Gateway', () => {
    // GIVEN
    const chart = chartIn();
    // WHEN
    new WebService(chart, 'web', { image, ports: [{ name: 'http', port: 8080 }, { name: 'admin', port: 9000 }], ingress: { host: 'shop.example.com' } });
    new WebService(chart, 'internal', { image });
    // THEN
    const policies = chart.toJson().filter((o: any) => o.kind === 'NetworkPolicy').map((o: any) => o.metadata.name);
    expect(policies).toEqual(['web-from-gateway']);
    expect(objectsOf(chart)['NetworkPolicy/web-from-gateway'].spec).toEqual({
      podSelector: { matchLabels: { 'app.kubernetes.io/name': 'web' } },
      policyTypes: ['Ingress'],
      ingress: [{
        from: [{
          namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'envoy-gateway-system' } },
          podSelector: { matchLabels: { 'app.kubernetes.io/name': 'envoy', 'app.kubernetes.io/component': 'proxy', 'app.kubernetes.io/managed-by': 'envoy-gateway' } },
        }],
        ports: [{ port: 8080, protocol: 'TCP' }],
      }],
    });
  });

  test('a host that is not a DNS name is refused', () => {
    expect(() => new WebService(chartIn(), 'web', { image, ingress: { host: 'Shop' } })).toThrow(
      `prod/services/web/route: ingress.host is not a fully qualified lowercase DNS name (got "Shop"); write a host such as 'shop.example.com'`,
    );
  });

  test('a port out of range is refused', () => {
    expect(() => new WebService(chartIn(), 'api', { image, ports: [{ name: 'http', port: 70000 }] })).toThrow(
      'prod/services/api: container.ports.http must be a port number from 1 to 65535 (got 70000); use the port the process listens on',
    );
  });

  test("an image tagged 'latest' is refused with the construct path", () => {
    expect(() => new WebService(chartIn(), 'api', { image: 'registry.example.com/shop/api:latest' })).toThrow(
      `prod/services/api: container.image: ImageRef: image uses the tag 'latest' (got "registry.example.com/shop/api:latest"); pin a version tag (:1.4.2) or a digest (@sha256:...) so every node runs the same image`,
    );
  });

  test('an untagged image is refused with the construct path', () => {
    expect(() => new WebService(chartIn(), 'api', { image: 'registry.example.com/shop/api' })).toThrow(
      'prod/services/api: container.image: ImageRef: image is not pinned (got "registry.example.com/shop/api"); add a version tag (:1.4.2) or a digest (@sha256:...)',
    );
  });

  test('a limit below its request is refused', () => {
    expect(() => new WebService(chartIn(), 'api', { image, resources: { requests: { memory: '512Mi' }, limits: { memory: '256Mi' } } })).toThrow(
      'prod/services/api: container.resources.limits.memory must be >= requests.memory (512Mi) (got "256Mi"); raise limits.memory to at least 512Mi or lower requests.memory',
    );
  });

  test('a malformed quantity is refused with the field it was written in', () => {
    expect(() => new WebService(chartIn(), 'api', { image, resources: { requests: { cpu: 'two' } } })).toThrow(
      `prod/services/api: container.resources.requests.cpu: Quantity: value is not a Kubernetes quantity (got "two"); write a non-negative number with an optional suffix: m, k, M, G, T, P, E, Ki, Mi, Gi, Ti, Pi, Ei (e.g. '250m', '512Mi')`,
    );
  });

  test('a literal value under a credential-like name is refused', () => {
    expect(() => new WebService(chartIn(), 'api', { image, env: { DB_PASSWORD: 'hunter2' } })).toThrow(
      'prod/services/api: container.env.DB_PASSWORD looks like a credential and is given as a literal value; store it in a Secret and reference it through secretEnv or secretVolumes',
    );
  });

  test('secrets are referenced by name and key, never by value', () => {
    // GIVEN
    const chart = chartIn();
    // WHEN
    new WebService(chart, 'api', {
      image,
      secretEnv: { DB_PASSWORD: { secret: 'api-db', key: 'password' } },
      secretVolumes: [{ secret: 'api-tls', mountPath: '/etc/tls' }],
    });
    // THEN
    const pod = only(chart, 'Deployment').spec.template.spec;
    expect(pod.containers[0].env).toEqual([{ name: 'DB_PASSWORD', valueFrom: { secretKeyRef: { name: 'api-db', key: 'password' } } }]);
    expect(pod.containers[0].volumeMounts).toContainEqual({ name: 'secret0', mountPath: '/etc/tls', readOnly: true });
    expect(pod.volumes).toContainEqual({ name: 'secret0', secret: { secretName: 'api-tls' } });
    expect(chart.toJson().some((o: any) => o.kind === 'Secret')).toBe(false);
  });

  test('a sidecar runs in the same pod with the same security settings', () => {
    // GIVEN
    const chart = chartIn();
    // WHEN
    new WebService(chart, 'blog', {
      image: 'registry.example.com/blog-nginx:1.27.3',
      writablePaths: ['/tmp', '/var/cache/nginx'],
      sidecars: [{ name: 'php-fpm', image: 'registry.example.com/blog-php:8.3.14', ports: [{ name: 'fastcgi', port: 9000 }], readiness: Probe.tcp() }],
    });
    // THEN
    const pod = only(chart, 'Deployment').spec.template.spec;
    expect(pod.containers.map((c: any) => c.name)).toEqual(['blog', 'php-fpm']);
    expect(pod.containers[1].securityContext.readOnlyRootFilesystem).toBe(true);
    expect(pod.containers[1].readinessProbe.tcpSocket).toEqual({ port: 'fastcgi' });
    expect(pod.volumes.map((v: any) => v.name)).toEqual(['blog-rw0', 'blog-rw1', 'php-fpm-rw0']);
  });

  test('a sidecar with the main container\'s name is refused', () => {
    expect(() => new WebService(chartIn(), 'api', { image, sidecars: [{ name: 'api', image }] })).toThrow(
      'prod/services/api: sidecars repeats a container name (got "api"); give every container of the pod its own name',
    );
  });

  test('runs as the named ServiceAccount, with a pull secret, when asked', () => {
    const chart = chartIn();
    new WebService(chart, 'api', { image, serviceAccountName: 'orders-api', imagePullSecret: 'registry' });
    const pod = only(chart, 'Deployment').spec.template.spec;
    expect(pod.serviceAccountName).toBe('orders-api');
    expect(pod.imagePullSecrets).toEqual([{ name: 'registry' }]);
  });

  test('a name that is too long for its suffixes is refused', () => {
    expect(() => new WebService(chartIn(), 'a'.repeat(46), { image })).toThrow(
      `prod/services/${'a'.repeat(46)}: id must be at most 45 characters (is 46) (got "${'a'.repeat(46)}"); choose a shorter name`,
    );
  });

  test('a service outside any namespace is refused', () => {
    // GIVEN a chart without a namespace beside the usual one
    const bare = new Chart(chartIn().node.scope as Construct, 'bare', {});
    // THEN
    expect(() => new WebService(bare, 'api', { image })).toThrow('prod/bare/api: namespace is not set; set namespace, or create the service in a Chart that has one');
  });
});
