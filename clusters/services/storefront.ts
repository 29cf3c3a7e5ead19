import { WebService, type ServiceGroup } from '../../lib';

const image = 'registry.example.com/shop/storefront:5.0.4';

/** The public web front end, and its admin variant: the same image with one replica on its own host. */
export const storefront: ServiceGroup = {
  name: 'storefront',
  namespace: 'shop',
  define: (scope) => {
    new WebService(scope, 'storefront', {
      image,
      partOf: 'storefront',
      imagePullSecret: 'registry',
      ports: [{ name: 'http', port: 3000 }],
      config: { data: { API_URL: 'http://orders-api.shop.svc:8080' }, as: 'env' },
      ingress: { host: 'shop.example.com' },
      overrides: {
        prod: { replicas: 6 },
        stage: { ingress: { host: 'shop.stage.example.com' } },
        e2e: { replicas: 1, ingress: { host: 'shop.e2e.example.com' } },
      },
    });
    new WebService(scope, 'storefront-admin', {
      image,
      partOf: 'storefront',
      imagePullSecret: 'registry',
      replicas: 1,
      ports: [{ name: 'http', port: 3000 }],
      env: { ADMIN_MODE: 'true', API_URL: 'http://orders-api.shop.svc:8080' },
      ingress: { host: 'shop-admin.example.com' },
      overrides: {
        stage: { ingress: { host: 'shop-admin.stage.example.com' } },
        e2e: { ingress: { host: 'shop-admin.e2e.example.com' } },
      },
    });
  },
};
