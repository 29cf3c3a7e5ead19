import { App, Chart } from 'cdk8s';
import { Environment, WorkloadIdentity, renderApp } from '../../lib';
import { addTeam, teamSecretStores, type TeamProps } from '../../lib/tenancy';
import { externalSecretsErrors } from '../addons/external-secrets/eso-schema';
import { errorOf } from '../cluster/helpers';
import { validateKubernetesObject } from '../support/k8s-schema';

const oidc = { groupsPrefix: 'oidc:', usernamePrefix: 'oidc:' };
const secretsManager = { cluster: 'prod', clusterName: 'prod.k8s.example.com', region: 'eu-west-1' };

function build(teams: ReadonlyArray<Partial<TeamProps> & { name: string }>): { app: App; objects: (team: string) => Record<string, any> } {
  const app = new App({ outdir: 'dist' });
  const env = new Environment(app, 'prod', { name: 'prod', environments: ['prod'] });
  for (const t of teams) addTeam(env, { owners: [`${t.name}-owners`], oidc, secretsManager, ...t });
  const objects = (team: string) => Object.fromEntries((env.node.findChild(`team-${team}`) as Chart).toJson().map((o: any) => [`${o.kind}/${o.metadata.namespace ?? ''}/${o.metadata.name}`, o]));
  return { app, objects };
}

describe('a team\'s SecretStore', () => {
  test('each namespace of a team with a secretsPrefix gets a store reading <prefix><cluster>/ as a ServiceAccount whose role kops creates', () => {
    // GIVEN / WHEN
    const { objects } = build([{ name: 'shop', secretsPrefix: 'teams/shop/', namespaces: [{ name: 'shop' }, { name: 'shop-jobs' }] }]);
    const o = objects('shop');
    // THEN
    for (const ns of ['shop', 'shop-jobs']) {
      const store = o[`SecretStore/${ns}/platform-secrets`];
      expect(store.spec.provider.aws).toEqual({
        service: 'SecretsManager', region: 'eu-west-1', prefix: 'teams/shop/prod/', auth: { jwt: { serviceAccountRef: { name: 'platform-secrets' } } },
      });
      expect(externalSecretsErrors(store)).toEqual([]);
      const sa = o[`ServiceAccount/${ns}/platform-secrets`];
      expect(sa.metadata.annotations).toEqual({
        'eks.amazonaws.com/role-arn': `arn:aws:iam::\${cloud:accountId}:role/platform-secrets.${ns}.sa.prod.k8s.example.com`,
        'eks.amazonaws.com/audience': 'amazonaws.com',
      });
      expect(sa.automountServiceAccountToken).toBe(false);
      expect(() => validateKubernetesObject(sa)).not.toThrow();
    }
  });

  test('the store\'s identity may get and describe only the secrets below its prefix, in its region and account', () => {
    const [plan] = teamSecretStores(secretsManager, 'teams/shop/', ['shop']);
    expect(JSON.parse(plan?.identity.toInlinePolicy() ?? '[]')).toEqual([{
      Action: ['secretsmanager:DescribeSecret', 'secretsmanager:GetSecretValue'], Effect: 'Allow',
      Resource: ['arn:aws:secretsmanager:eu-west-1:${cloud:accountId}:secret:teams/shop/prod/*'],
    }]);
    expect(plan?.identity.key).toBe('shop/platform-secrets');
  });

  test('a team without a secretsPrefix gets no store', () => {
    const { objects } = build([{ name: 'content' }]);
    expect(Object.keys(objects('content')).filter((k) => k.includes('platform-secrets'))).toEqual([]);
  });

  test('the validator refuses a store field the CRD does not know', () => {
    const store = structuredClone(build([{ name: 'shop', secretsPrefix: 'teams/shop/' }]).objects('shop')['SecretStore/shop/platform-secrets']);
    store.spec.provider.aws.roleArn = 'arn:aws:iam::111122223333:role/x';
    expect(externalSecretsErrors(store).some((e) => e.includes('/spec/provider/aws must NOT have additional properties') && e.includes('roleArn'))).toBe(true);
  });

  test.each([
    ['teams/shop', 'prod/team-shop/shop: secretsPrefix is not a Secrets Manager prefix (letters, digits and /_+=.@-, ending with \'/\') (got "teams/shop"); write the team\'s folder in Secrets Manager, e.g. \'teams/shop/\''],
    ['/teams/shop/', 'prod/team-shop/shop: secretsPrefix is not a Secrets Manager prefix (letters, digits and /_+=.@-, ending with \'/\') (got "/teams/shop/"); write the team\'s folder in Secrets Manager, e.g. \'teams/shop/\''],
    ['platform/shop/', 'prod/team-shop/shop: secretsPrefix is inside platform/, where the platform\'s own secrets live (got "platform/shop/"); choose a folder of the team\'s own, e.g. \'teams/shop/\''],
  ])('refuses the prefix %s', (prefix, message) => {
    expect(errorOf(() => build([{ name: 'shop', secretsPrefix: prefix }]))).toBe(message);
  });

  test('a prefix on a cluster without the External Secrets Operator is refused', () => {
    const app = new App({ outdir: 'dist' });
    const env = new Environment(app, 'prod', { name: 'prod', environments: ['prod'] });
    expect(errorOf(() => addTeam(env, { name: 'shop', owners: ['o'], oidc, secretsPrefix: 'teams/shop/' }))).toBe(
      'prod/team-shop/shop: secretsPrefix is set but the cluster runs no External Secrets Operator (got "teams/shop/"); enable the secrets addon in the cluster definition (secrets: {}), or drop secretsPrefix',
    );
  });

  test('a team identity may not take the store\'s ServiceAccount name', () => {
    const identity = WorkloadIdentity.of({ serviceAccount: 'platform-secrets', namespace: 'shop', statements: [{ actions: ['s3:GetObject'], resources: ['arn:aws:s3:::x/*'] }] });
    expect(errorOf(() => build([{ name: 'shop', identities: [identity] }]))).toBe(
      'prod/team-shop/shop: identities uses the name of the platform\'s secret-store ServiceAccount (platform-secrets) (got "shop/platform-secrets"); give the workload identity another name; secretsPrefix gives the store its identity',
    );
  });

  test('two teams whose prefixes nest are reported at synth, since each could read the other\'s secrets', () => {
    const { app } = build([{ name: 'shop', secretsPrefix: 'teams/shop/' }, { name: 'shopfront', secretsPrefix: 'teams/shop/front/' }]);
    expect(renderApp(app).problems).toEqual([
      'prod/team-shopfront/shopfront: secretsPrefix overlaps team shop\'s teams/shop/, so each store could read the other team\'s secrets (got "teams/shop/front/"); give each team a folder that is not inside another\'s',
    ]);
  });
});
