import { App, Chart } from 'cdk8s';
import { Environment, ExternalSecret, WebService, renderApp } from '../../lib';
import { externalSecretsErrors } from '../addons/external-secrets/eso-schema';
import { errorOf } from '../cluster/helpers';

function chart(): { app: App; scope: Chart } {
  const app = new App({ outdir: 'dist' });
  const env = new Environment(app, 'prod', { name: 'prod', environments: ['prod'] });
  return { app, scope: new Chart(env, 'checkout', { namespace: 'shop' }) };
}

describe('ExternalSecret', () => {
  test('a service reads a synced Secret by name next to its secretEnv: the manifest holds the reference, never a value', () => {
    // GIVEN
    const { app, scope } = chart();
    const payment = new ExternalSecret(scope, 'checkout-payment', { remoteKey: 'checkout/payment', keys: ['api-key', 'webhook-secret'] });
    // WHEN
    new WebService(scope, 'checkout', { image: 'registry.example.com/shop/checkout:1.0.0', secretEnv: { PAYMENT_API_KEY: payment.ref('api-key') } });
    const objects = scope.toJson();
    // THEN
    const es = objects.find((o: any) => o.kind === 'ExternalSecret');
    expect(es.spec).toEqual({
      refreshInterval: '1h',
      secretStoreRef: { kind: 'SecretStore', name: 'platform-secrets' },
      target: { name: 'checkout-payment', creationPolicy: 'Owner', deletionPolicy: 'Retain' },
      data: [
        { secretKey: 'api-key', remoteRef: { key: 'checkout/payment', property: 'api-key' } },
        { secretKey: 'webhook-secret', remoteRef: { key: 'checkout/payment', property: 'webhook-secret' } },
      ],
    });
    const env = objects.find((o: any) => o.kind === 'Deployment').spec.template.spec.containers[0].env;
    expect(env).toContainEqual({ name: 'PAYMENT_API_KEY', valueFrom: { secretKeyRef: { name: 'checkout-payment', key: 'api-key' } } });
    expect(objects.some((o: any) => o.kind === 'Secret')).toBe(false);
    expect(renderApp(app).problems).toEqual([]);
  });

  test('is valid against the v2.9.0 ExternalSecret CRD, unknown fields as errors', () => {
    const { scope } = chart();
    new ExternalSecret(scope, 'db', { remoteKey: 'orders/database', keys: ['password'], refreshInterval: '15m', store: 'other-store' });
    const es = scope.toJson()[0];
    expect(externalSecretsErrors(es)).toEqual([]);
    // The validator is not a rubber stamp: a misspelt field and a missing required one are caught.
    const typo = structuredClone(es);
    typo.spec.data[0].remoteRef.propery = 'password';
    delete typo.spec.data[0].secretKey;
    const errors = externalSecretsErrors(typo);
    expect(errors.some((e) => e.includes('/spec/data/0/remoteRef must NOT have additional properties') && e.includes('propery'))).toBe(true);
    expect(errors.some((e) => e.includes('/spec/data/0 must have required property') && e.includes('secretKey'))).toBe(true);
  });

  test('a key it does not hold cannot be referenced', () => {
    const { scope } = chart();
    const s = new ExternalSecret(scope, 'db', { remoteKey: 'orders/database', keys: ['password'] });
    expect(errorOf(() => s.ref('pasword'))).toBe(
      'prod/checkout/db: ref is not one of its keys [password] (got "pasword"); add the key to keys, or fix its spelling',
    );
  });

  test.each([
    [{ remoteKey: '/orders/db', keys: ['password'] }, 'prod/checkout/db: remoteKey is not a Secrets Manager name (letters, digits and /_+=.@-, at most 512, not starting with /) (got "/orders/db"); write the name below the store\'s prefix, e.g. \'checkout/payment\''],
    [{ remoteKey: 'orders/db', keys: [] }, 'prod/checkout/db: keys must list at least one key (got []); list the JSON properties of the secret the pods read'],
    [{ remoteKey: 'orders/db', keys: ['password', 'password'] }, 'prod/checkout/db: keys[1] is not a distinct Secret key (letters, digits, -._) (got "password"); list each key once, spelled as the JSON property'],
    [{ remoteKey: 'orders/db', keys: ['pass word'] }, 'prod/checkout/db: keys[0] is not a distinct Secret key (letters, digits, -._) (got "pass word"); list each key once, spelled as the JSON property'],
    [{ remoteKey: 'orders/db', keys: ['password'], refreshInterval: '10s' }, 'prod/checkout/db: refreshInterval is below 1m (each read is a paid Secrets Manager call per Secret) (got "10s"); use \'1h\', or at least \'1m\''],
  ])('refuses %j with a message naming field, value and fix', (props, message) => {
    const { scope } = chart();
    expect(errorOf(() => new ExternalSecret(scope, 'db', props))).toBe(message);
  });
});
