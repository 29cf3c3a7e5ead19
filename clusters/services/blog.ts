import { ExternalService, Probe, WebService, type ServiceGroup } from '../../lib';

/**
 * A PHP application in the classic two-container shape: nginx serves HTTP and passes PHP to
 * php-fpm over localhost in the same pod. Its database is a managed one, known by DNS name: the
 * subnet the name resolves into is stated once, and the blog may reach it there.
 */
export const blog: ServiceGroup = {
  name: 'blog',
  namespace: 'content',
  define: (scope) => {
    const db = new ExternalService(scope, 'blog-db', {
      dnsName: 'blog-db.content.internal.example.com',
      addressRanges: ['10.10.210.0/24'],
      ports: [{ name: 'mysql', port: 3306 }],
      overrides: { stage: { addressRanges: ['10.20.210.0/24'] }, e2e: { addressRanges: ['10.40.210.0/24'] } },
    });
    const web = new WebService(scope, 'blog', {
      image: 'registry.example.com/content/blog-nginx:1.27.3',
      ports: [{ name: 'http', port: 8080 }],
      writablePaths: ['/tmp', '/var/cache/nginx', '/var/run'],
      readiness: Probe.http('/healthz'),
      ingress: { host: 'blog.example.com' },
      sidecars: [{
        name: 'php-fpm',
        image: 'registry.example.com/content/blog-php:8.3.14',
        ports: [{ name: 'fastcgi', port: 9000 }],
        readiness: Probe.tcp(),
        liveness: Probe.tcp({ period: '20s' }),
        resources: { requests: { cpu: '200m', memory: '256Mi' } },
        secretEnv: { DB_PASSWORD: { secret: 'blog-db', key: 'password' } },
      }],
      overrides: {
        stage: { ingress: { host: 'blog.stage.example.com' } },
        e2e: { ingress: { host: 'blog.e2e.example.com' } },
      },
    });
    web.allowTo(db);
  },
};
