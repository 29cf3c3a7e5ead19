import { ExternalSecret, WebService, type ServiceGroup } from '@example/platform-constructs';

/** The environments this repo deploys to: one folder of `dist/` and one deploy job each. */
export const environments = ['stage', 'prod'];

/** The team namespace the services run in: one the platform declares for the team (README.md). */
export const namespace = 'shop';

/** The repo's one service: copy, rename, and change the image. */
export function checkout(logLevel = 'info'): ServiceGroup {
  return {
    name: 'checkout',
    namespace,
    define: (scope) => {
      // The payment key lives in AWS Secrets Manager under the team's prefix; the operator syncs
      // it into the Secret `checkout-payment`. Only this reference is in the manifests.
      const payment = new ExternalSecret(scope, 'checkout-payment', { remoteKey: 'checkout/payment', keys: ['api-key'] });
      new WebService(scope, 'checkout', {
        image: 'registry.example.com/shop/checkout:1.0.3',
        config: { data: { LOG_LEVEL: logLevel } },
        secretEnv: { PAYMENT_API_KEY: payment.ref('api-key') },
        resources: { requests: { cpu: '200m', memory: '256Mi' } },
        overrides: { prod: { replicas: 3 } },
      });
    },
  };
}
