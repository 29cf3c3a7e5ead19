import { ServiceReference, WebService, type ServiceGroup } from '../../lib';

/** The orders API, defined in the orders group. */
const ordersApi = ServiceReference.of('shop', 'orders-api', [{ name: 'http', port: 8080 }]);

const image = 'registry.example.com/shop/storefront:5.0.4';

/**
 * The public web front end, and its admin variant: the same image with one replica on its own
 * host. The front end calls the orders API through an Envoy sidecar (retries, background DNS of
 * the headless orders Service); in prod it runs as three memory variants, so an OOM storm takes
 * one variant, not every replica.
 */
export const storefront: ServiceGroup = {
  name: 'storefront',
  namespace: 'shop',
  define: (scope) => {
    const storefront = new WebService(scope, 'storefront', {
      image,
      partOf: 'storefront',
      ports: [{ name: 'http', port: 3000 }],
      config: { data: { API_URL: 'http://127.0.0.1:9001' }, as: 'env' },
      resources: { requests: { memory: '384Mi' }, limits: { memory: '640Mi' } },
      memoryStagger: { variants: 3, step: '64Mi' },
      envoy: { upstreams: [{ name: 'orders-api', host: 'orders-api.shop.svc.cluster.local', port: 8080, localPort: 9001 }] },
      ingress: { host: 'shop.example.com' },
      replicas: 3,
      overrides: {
        prod: { replicas: 6 },
        stage: { ingress: { host: 'shop.stage.example.com' } },
        e2e: { ingress: { host: 'shop.e2e.example.com' } },
      },
    });
    const admin = new WebService(scope, 'storefront-admin', {
      image,
      partOf: 'storefront',
      replicas: 1,
      ports: [{ name: 'http', port: 3000 }],
      env: { ADMIN_MODE: 'true', API_URL: 'http://orders-api.shop.svc:8080' },
      ingress: { host: 'shop-admin.example.com' },
      overrides: {
        stage: { ingress: { host: 'shop-admin.stage.example.com' } },
        e2e: { ingress: { host: 'shop-admin.e2e.example.com' } },
      },
    });
    storefront.allowTo(ordersApi);
    admin.allowTo(ordersApi);
  },
};
