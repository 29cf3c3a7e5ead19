import { WebService, type ServiceGroup } from 'platform-constructs';

/** The environments this repo deploys to. */
export const environments = ['stage', 'prod'];

/** The repo's one service: copy, rename, and change the image. */
export function checkout(logLevel = 'info'): ServiceGroup {
  return {
    name: 'checkout',
    namespace: 'shop',
    define: (scope) => {
      new WebService(scope, 'checkout', {
        image: 'registry.example.com/shop/checkout:1.0.3',
        config: { data: { LOG_LEVEL: logLevel } },
        secretEnv: { PAYMENT_API_KEY: { secret: 'checkout-payment', key: 'api-key' } },
        resources: { requests: { cpu: '200m', memory: '256Mi' } },
        overrides: { prod: { replicas: 3 } },
      });
    },
  };
}
