import * as pulumi from '@pulumi/pulumi';
import { clusters, environments, prod } from '../../clusters';
import { definitionAsDeployed } from '../../clusters/stack-file';
import { ADDONS, type ClusterDefinition, KopsChart, type RenderedFile, buildCluster, buildClusterApp, checkClusters, fillCloudValues, renderAll, writtenByStack } from '../../lib';
import { KopsDeployment, manifestHash, planManifests } from '../../lib/aws';
import { parseObjects } from '../../lib/aws/manifest-plan';
import { readFileSync } from 'node:fs';
import { parse } from 'yaml';
import { join } from 'node:path';
import { type PlannedResource, type StackPlan, declaredSecrets, formatPlan, planStack, readStackConfigFile, runtimeConfig } from '../../stacks/plan';
import { checkCiSubjects, readSecrets } from '../../stacks/config';

// All stacks are planned in this one file, in-process, one after another: loading @pulumi costs
// about a second per test file.
const plans = new Map<string, StackPlan>();
const CLUSTER_STACKS = ['prod', 'stage', 'admin', 'e2e'];

/** The smallest valid KopsDeployment args, for the component's own tests. */
const KOPS_ARGS = {
  clusterName: 'prod.k8s.example.com', kubernetesVersion: '1.35.5', manifest: '', stateStoreUrl: 's3://b', region: 'eu-west-1',
  instanceGroups: ['master-eu-west-1a', 'nodes'], etcd: { volumeNames: ['eu-west-1a.etcd-main.prod.k8s.example.com'], specHash: 'h' },
};

/** prod with one change, for the trigger tests. */
function prodWith(change: (def: ClusterDefinition) => ClusterDefinition): ClusterDefinition[] {
  return clusters.map((c) => (c.name === 'prod' ? change(c) : c));
}

beforeAll(async () => {
  // GIVEN each stack's config from its Pulumi.<stack>.yaml; WHEN the program runs under mocks
  for (const stack of ['bootstrap', ...CLUSTER_STACKS]) plans.set(stack, await planStack({ stack, clusters, environments }));
  const run = checkClusters(clusters.map((c) => definitionAsDeployed(c, join(__dirname, '..', '..'))), environments);
  for (const name of CLUSTER_STACKS) rendered.set(name, run.files.filter((f) => f.path.startsWith(`${name}/`)));
}, 40_000);

/** The files `npm run synth` writes for each cluster. */
const rendered = new Map<string, readonly RenderedFile[]>();
const filesOf = (stack: string): readonly RenderedFile[] => rendered.get(stack) ?? [];

function plan(stack: string): StackPlan {
  const p = plans.get(stack);
  if (p === undefined) throw new Error(`no plan for ${stack}`);
  return p;
}
const ofType = (p: StackPlan, type: string): PlannedResource[] => p.resources.filter((r) => r.type === type);
const one = (p: StackPlan, type: string, name: string): PlannedResource => {
  const r = p.resources.find((x) => x.type === type && x.name === name);
  if (r === undefined) throw new Error(`${type} ${name} not planned`);
  return r;
};

describe('every stack', () => {
  test.each(['bootstrap', ...CLUSTER_STACKS])('%s constructs under mocks', (stack) => {
    expect(plan(stack).resources.length).toBeGreaterThan(10);
  });

  test.each(['bootstrap', ...CLUSTER_STACKS])('%s creates no IAM user and no access key', (stack) => {
    expect(plan(stack).resources.filter((r) => r.type === 'aws:iam/user:User' || r.type === 'aws:iam/accessKey:AccessKey')).toEqual([]);
  });

  test.each(CLUSTER_STACKS)('%s puts every AWS resource on its explicit provider, whose default tags are cluster, environment, owner and managed-by', (stack) => {
    const p = plan(stack);
    const [provider] = ofType(p, 'pulumi:providers:aws');
    expect(ofType(p, 'pulumi:providers:aws')).toHaveLength(1);
    const tags = provider?.inputs.defaultTags;
    expect(typeof tags === 'string' ? JSON.parse(tags) : tags).toEqual({ tags: { cluster: stack, environment: stack, owner: 'platform-team', 'managed-by': 'pulumi/platform-constructs' } });
    expect(JSON.parse(String(provider?.inputs.allowedAccountIds))).toEqual(['111122223333']);
    // Components pass their provider down: every AWS resource's nearest provider is that one.
    const byId = new Map(p.resources.map((r) => [r.id, r]));
    const providerOf = (r: PlannedResource | undefined): string | undefined => {
      for (let cur = r; cur !== undefined; cur = cur.parent === undefined ? undefined : byId.get(cur.parent)) {
        if (cur.provider !== undefined) return cur.provider;
        if (cur.type.startsWith('platform:aws:') && cur.parent === p.resources[0]?.id) return provider?.id;
      }
      return undefined;
    };
    const aws = p.resources.filter((r) => r.type.startsWith('aws:'));
    expect(aws.length).toBeGreaterThan(40);
    expect(aws.filter((r) => providerOf(r) !== provider?.id).map((r) => r.id)).toEqual([]);
  });
});

describe('the AWS foundation', () => {
  test.each([['prod', 3], ['stage', 1], ['admin', 3], ['e2e', 1]])('%s has %i NAT gateway(s), as its NAT choice says', (stack, count) => {
    expect(ofType(plan(stack), 'aws:ec2/natGateway:NatGateway')).toHaveLength(count as number);
  });

  test.each(CLUSTER_STACKS)('%s creates exactly the subnets of the cluster model\'s plan, tagged for kops and load balancers', (stack) => {
    const def = clusters.find((c) => c.name === stack) as ClusterDefinition;
    const kops = buildClusterApp(def, environments).node.findAll().find((c): c is KopsChart => c instanceof KopsChart)?.kops;
    const planned = (kops?.networkPlan.subnets ?? []).map((s) => [s.zone, s.cidr.toString(), s.type]).sort();
    const subnets = ofType(plan(stack), 'aws:ec2/subnet:Subnet');
    expect(subnets.map((s) => [s.inputs.availabilityZone, s.inputs.cidrBlock, (s.inputs.tags as Record<string, string>).SubnetType]).sort()).toEqual(planned);
    const utility = subnets.find((s) => (s.inputs.tags as Record<string, string>).SubnetType === 'Utility');
    expect(utility?.inputs.tags).toMatchObject({ [`kubernetes.io/cluster/${def.kubernetes.clusterName}`]: 'shared', 'kubernetes.io/role/elb': '1' });
    expect(subnets.find((s) => (s.inputs.tags as Record<string, string>).SubnetType === 'Private')?.inputs.tags).toMatchObject({ 'kubernetes.io/role/internal-elb': '1' });
  });

  test('locks the kops state and etcd-backup buckets: versioning, SSE-KMS with the rotating cluster key, four public-access blocks, TLS only', () => {
    const p = plan('prod');
    const key = ofType(p, 'aws:kms/key:Key')[0];
    expect(key?.inputs.enableKeyRotation).toBe(true);
    for (const name of ['prod-state-kops-state', 'prod-state-etcd-backups']) {
      expect(one(p, 'aws:s3/bucketVersioning:BucketVersioning', name).inputs.versioningConfiguration).toEqual({ status: 'Enabled' });
      const sse = one(p, 'aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration', name).inputs.rules as any[];
      expect(sse[0].applyServerSideEncryptionByDefault).toEqual({ sseAlgorithm: 'aws:kms', kmsMasterKeyId: expect.stringMatching(/^arn:aws:kms:eu-west-1:111122223333:key\/[0-9a-f-]{36}$/) });
      expect(one(p, 'aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock', name).inputs).toMatchObject({ blockPublicAcls: true, blockPublicPolicy: true, ignorePublicAcls: true, restrictPublicBuckets: true });
      const policy = JSON.parse(String(one(p, 'aws:s3/bucketPolicy:BucketPolicy', name).inputs.policy));
      expect(policy.Statement).toEqual([expect.objectContaining({ Effect: 'Deny', Principal: '*', Action: 's3:*', Condition: { Bool: { 'aws:SecureTransport': false } } })]);
    }
    // Never expire a current object there: etcd-manager's control files (etcd-cluster-spec,
    // etcd-cluster-created) live next to the backups (kopeio/etcd-manager#299); it expires backups itself.
    expect(one(p, 'aws:s3/bucketLifecycleConfiguration:BucketLifecycleConfiguration', 'prod-state-etcd-backups').inputs.rules).toEqual([
      { id: 'remove-deleted-etcd-backups', status: 'Enabled', filter: { prefix: '' }, expiration: { expiredObjectDeleteMarker: true }, noncurrentVersionExpiration: { noncurrentDays: 1 } },
    ]);
  });

  test('the discovery bucket exposes only the two discovery documents, and is not public otherwise', () => {
    const p = plan('prod');
    const policy = JSON.parse(String(one(p, 'aws:s3/bucketPolicy:BucketPolicy', 'prod-discovery').inputs.policy));
    const allows = policy.Statement.filter((s: any) => s.Effect === 'Allow');
    expect(allows).toEqual([expect.objectContaining({
      Principal: '*', Action: 's3:GetObject',
      Resource: [
        'arn:aws:s3:::111122223333-prod-oidc-discovery/prod.k8s.example.com/.well-known/openid-configuration',
        'arn:aws:s3:::111122223333-prod-oidc-discovery/prod.k8s.example.com/openid/v1/jwks',
      ],
    })]);
    expect(one(p, 'aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock', 'prod-discovery').inputs).toMatchObject({ blockPublicAcls: true, ignorePublicAcls: true });
    expect(one(p, 'aws:s3/bucketOwnershipControls:BucketOwnershipControls', 'prod-discovery').inputs.rule).toEqual({ objectOwnership: 'BucketOwnerEnforced' });
  });

  test('VPC endpoints for STS and Secrets Manager (interface) and S3 (gateway), and daily snapshots of every etcd volume', () => {
    const p = plan('prod');
    expect(ofType(p, 'aws:ec2/vpcEndpoint:VpcEndpoint').map((e) => [e.inputs.serviceName, e.inputs.vpcEndpointType])).toEqual([
      ['com.amazonaws.eu-west-1.sts', 'Interface'], ['com.amazonaws.eu-west-1.secretsmanager', 'Interface'], ['com.amazonaws.eu-west-1.s3', 'Gateway'],
    ]);
    const dlm = ofType(p, 'aws:dlm/lifecyclePolicy:LifecyclePolicy');
    expect(dlm.map((d) => (d.inputs.policyDetails as any).targetTags.Name)).toContain('eu-west-1a.etcd-main.prod.k8s.example.com');
    expect(dlm).toHaveLength(6);
    expect((dlm[0]?.inputs.policyDetails as any).schedules[0].retainRule).toEqual({ count: 14 });
  });

  test('the bootstrap stack creates the state backend and a deployer role per environment CI assumes through OIDC', () => {
    const p = plan('bootstrap');
    const role = one(p, 'aws:iam/role:Role', 'deployer-prod');
    const trust = JSON.parse(String(role.inputs.assumeRolePolicy));
    expect(trust.Statement[0]).toMatchObject({ Action: 'sts:AssumeRoleWithWebIdentity', Condition: { StringEquals: { 'token.actions.githubusercontent.com:aud': 'sts.amazonaws.com' } } });
    expect(ofType(p, 'aws:s3/bucket:Bucket').map((b) => b.inputs.bucket)).toEqual(['example-platform-pulumi-state']);
    expect(plan('bootstrap').outputs.secretsProvider).toBe('awskms://alias/pulumi-platform-secrets?region=eu-west-1');
  });
});

describe('the kops deployment', () => {
  test('runs kops with the state store and cluster name in its environment, the filled manifest on stdin, and is protected', () => {
    const apply = one(plan('prod'), 'command:local:Command', 'prod-kops-apply');
    expect(apply.inputs.environment).toEqual({
      KOPS_STATE_STORE: 's3://111122223333-prod-kops-state', KOPS_CLUSTER_NAME: 'prod.k8s.example.com', AWS_REGION: 'eu-west-1',
      KUBERNETES_VERSION: '1.35.5', KOPS_VALIDATE_WAIT: '30m', KOPS_VERSION: '1.36.0',
      KOPS_INSTANCE_GROUPS: 'master-eu-west-1a,master-eu-west-1b,master-eu-west-1c,nodes-on-demand,nodes-spot,front',
    });
    expect(apply.inputs.create).toContain('kops_run replace --force -f "$work/cluster.yaml"');
    expect(apply.inputs.update).toBe(apply.inputs.create);
    expect(apply.protect).toBe(true);
    const stdin = String(apply.inputs.stdin);
    expect(stdin).not.toContain('${cloud:');
    expect(stdin).toContain(`networkID: ${String(plan('prod').outputs.vpcId)}`);
    // no step rolls nodes unless rollingUpdate lists groups
    expect(plan('prod').resources.filter((r) => r.name.endsWith('rolling-update'))).toEqual([]);
  });

  test('its triggers change when the kops manifests change, and only then', () => {
    // GIVEN the trigger is the hash of the filled kops manifest
    const values = plan('prod').outputs.cloudValues as Record<string, string>;
    const kopsFile = (defs: readonly ClusterDefinition[]) => renderAll([buildClusterApp(defs.find((c) => c.name === 'prod') as ClusterDefinition, environments)]).find((f) => f.path.includes('/kops/'))?.content ?? '';
    const trigger = (defs: readonly ClusterDefinition[]) => [manifestHash(fillCloudValues(kopsFile(defs), values))];
    const applyTrigger = (defs: readonly ClusterDefinition[]) => [...trigger(defs), '1.36.0', 'key-1'];
    expect(one(plan('prod'), 'command:local:Command', 'prod-kops-apply').inputs.triggers).toEqual(applyTrigger(clusters));
    // WHEN a service changes, THEN the trigger does not; WHEN a node group changes, THEN it does
    expect(trigger(prodWith((c) => ({ ...c, services: c.services.filter((s) => s.name !== 'blog') })))).toEqual(trigger(clusters));
    expect(trigger(prodWith((c) => ({ ...c, kubernetes: { ...c.kubernetes, nodeGroups: c.kubernetes.nodeGroups.map((g) => ({ ...g, maxSize: g.maxSize + 1 })) } })))).not.toEqual(trigger(clusters));
    expect(one(plan('prod'), 'command:local:Command', 'prod-kops-kubeconfig').inputs.triggers).toEqual(trigger(clusters));
  });

  test('its kubeconfig output is a secret', async () => {
    // GIVEN mocks that answer the kubeconfig command with a kubeconfig
    await pulumi.runtime.setMocks({
      newResource: (args) => ({ id: `${args.name}-id`, state: { ...args.inputs, ...(args.name.endsWith('kubeconfig') ? { stdout: 'apiVersion: v1\nkind: Config\n' } : {}) } }),
      call: (args) => args.inputs,
    }, 'platform', 'kubeconfig-test', false);
    // WHEN
    const kops = new KopsDeployment('k', { ...KOPS_ARGS, manifest: 'kind: Cluster\n' });
    // THEN
    expect(await (kops.kubeconfig as any).isSecret).toBe(true);
    expect(await (kops.kubeconfig as any).promise()).toBe('apiVersion: v1\nkind: Config\n');
  });

  test('refuses a kops release that is not a version, an empty group list, and rolling a group the definition lacks', () => {
    expect(() => new KopsDeployment('k', { ...KOPS_ARGS, kopsVersion: 'latest' }))
      .toThrow("KopsDeployment k: kopsVersion is not a kops release version (got \"latest\"); pin a release such as '1.36.0'");
    expect(() => new KopsDeployment('k', { ...KOPS_ARGS, instanceGroups: [] }))
      .toThrow('KopsDeployment k: instanceGroups is empty; list every instance group of the definition: groups kops has that are not listed are deleted');
    expect(() => new KopsDeployment('k', { ...KOPS_ARGS, rollingUpdate: ['front'] }))
      .toThrow('KopsDeployment k: rollingUpdate names groups the definition does not have (got "front"); roll some of master-eu-west-1a, nodes');
  });

  test('refuses a validate timeout kops cannot read', () => {
    expect(() => new KopsDeployment('k', { ...KOPS_ARGS, validateTimeout: '20 minutes' }))
      .toThrow("KopsDeployment k: validateTimeout is not a kops duration (got \"20 minutes\"); write a number and a unit, e.g. '20m'");
  });
});

describe('the manifest deployment', () => {
  const mask = (v: unknown, values: readonly string[] = []): unknown => {
    let text = JSON.stringify(v).replace(/\$\{cloud:[^}]*\}/g, '<cloud>');
    for (const value of values) text = text.split(JSON.stringify(value).slice(1, -1)).join('<cloud>');
    return JSON.parse(text);
  };

  test.each(CLUSTER_STACKS)('%s turns every synthesized object into exactly one Kubernetes resource with the same content as dist/', (stack) => {
    // GIVEN the objects npm run synth writes
    const files = filesOf(stack).filter((f) => f.path.includes('/manifests/'));
    const values = Object.values(plan(stack).outputs.cloudValues as Record<string, string>);
    const synthesized = files.flatMap((f) => parseObjects(f.content));
    // THEN the stack has one resource per object, named by it, with the same content
    // (besides the Secrets the stack writes from secret config: the pull secret and the addons' declared ones)
    const fromConfig = new Set(declaredSecrets(stack, clusters).map((d) => `Secret/${d.namespace}/${d.name}`));
    const k8s = plan(stack).resources.filter((r) => r.type.startsWith('kubernetes:') && !(r.type === 'kubernetes:core/v1:Secret' && (fromConfig.has(r.name) || r.name.endsWith('/registry-pull'))));
    expect(k8s.map((r) => r.name).sort()).toEqual(planManifests(files).objects.map((o) => o.key).sort());
    expect(k8s).toHaveLength(synthesized.length);
    for (const object of synthesized) {
      const key = object.metadata.namespace === undefined ? `${object.kind}/${object.metadata.name}` : `${object.kind}/${object.metadata.namespace}/${object.metadata.name}`;
      expect(mask(k8s.find((r) => r.name === key)?.inputs, values)).toEqual(mask(object));
    }
  });

  test('orders the objects: teams after addons, services after teams, namespaced objects after their Namespace, the Deployment after its migration Job', () => {
    const p = plan('prod');
    expect(one(p, 'platform:k8s:ManifestChart', 'prod/orders').dependsOn).toEqual(['platform:k8s:ManifestChart::prod/team-content', 'platform:k8s:ManifestChart::prod/team-shop', 'platform:k8s:ManifestChart::prod/tenant-admission']);
    const api = one(p, 'kubernetes:apps/v1:Deployment', 'Deployment/shop/orders-api');
    expect(api.dependsOn).toEqual(['kubernetes:core/v1:Namespace::Namespace/shop', expect.stringMatching(/^kubernetes:batch\/v1:Job::Job\/shop\/orders-migrate-[0-9a-f]{10}$/)]);
    expect(one(p, 'kubernetes:core/v1:Service', 'Service/shop/orders-api').parent).toBe('platform:k8s:ManifestChart::prod/orders');
    expect(one(p, 'platform:k8s:ManifestDeployment', 'prod').dependsOn).toEqual(['platform:aws:KopsDeployment::prod-kops']);
  });

  test('applies server-side through a provider built from the kops kubeconfig', () => {
    const provider = ofType(plan('prod'), 'pulumi:providers:kubernetes');
    expect(provider).toHaveLength(1);
    expect(provider[0]?.inputs.enableServerSideApply).toBe('true');
    expect(plan('prod').resources.filter((r) => r.type.startsWith('kubernetes:') && r.provider !== provider[0]?.id)).toEqual([]);
  });

  test('creates the registry pull secret from secret config in every team namespace', () => {
    const secrets = ofType(plan('prod'), 'kubernetes:core/v1:Secret').filter((s) => s.name.endsWith('/registry-pull'));
    expect(secrets.map((s) => s.name)).toEqual(['Secret/content/registry-pull', 'Secret/shop/registry-pull']);
    expect(secrets[0]?.inputs.type).toBe('kubernetes.io/dockerconfigjson');
    expect(secrets[0]?.dependsOn).toEqual(['kubernetes:core/v1:Namespace::Namespace/content']);
  });
});

describe('dist/ and the stack agree', () => {
  test.each(CLUSTER_STACKS)("%s: the kops manifest npm run synth writes, filled with the stack's cloud values, is exactly what kops is handed", (stack) => {
    // GIVEN the kops file of dist/ (built with the stack's settings, as npm run synth builds it)
    const kopsFile = filesOf(stack).find((f) => f.path.startsWith(`${stack}/kops/`));
    const values = plan(stack).outputs.cloudValues as Record<string, string>;
    // THEN the apply step's stdin is that file with the cloud values in
    expect(kopsFile).toBeDefined();
    expect(one(plan(stack), 'command:local:Command', `${stack}-kops-apply`).inputs.stdin).toBe(fillCloudValues(kopsFile?.content ?? '', values));
  });

  test.each([['prod', 90], ['stage', 30], ['admin', 30], ['e2e', 7]])("%s: dist/ keeps etcd backups the stack's %i days, not a default", (stack, days) => {
    const kops = parseObjects(filesOf(stack as string).find((f) => f.path.startsWith(`${stack}/kops/`))?.content ?? '');
    const etcd = (kops.find((o) => o.kind === 'Cluster')?.spec as { etcdClusters: { manager: { backupRetentionDays: number } }[] }).etcdClusters;
    expect(etcd.map((e) => e.manager.backupRetentionDays)).toEqual([days, days]);
    expect(readStackConfigFile(join(__dirname, '..', '..'), stack as string)['platform:etcdBackupRetentionDays']).toBe(days);
  });
});

describe('every addon Secret configured', () => {
  const ROOT = join(__dirname, '..', '..');
  /** A distinct, recognisable value per key, to look for in everything the plan shows. */
  const valueOf = (configKey: string, key: string) => `value-of-${configKey}-${key}-5e1f0c`;

  test('the test covers every addon that declares Secrets: each declares some in at least one stack', () => {
    const declaring = ADDONS.filter((spec) => spec.secrets !== undefined).map((spec) => spec.key);
    const covered = declaring.filter((key) => clusters.some((def) => {
      const spec = ADDONS.find((s) => s.key === key);
      const props: unknown = def[key];
      return props !== undefined && ((spec?.secrets as ((p: unknown, c: { name: string }) => readonly unknown[]) | undefined)?.(props, { name: def.name }).length ?? 0) > 0;
    }));
    expect(declaring.length).toBeGreaterThan(0);
    expect(covered).toEqual(declaring);
  });

  test.each(CLUSTER_STACKS)('%s: with every key of every declared Secret set, the plan succeeds, writes or syncs each Secret in its namespace, and shows no value', async (stack) => {
    // GIVEN the stack's config with a value for every key its addons declare (derived from the declarations)
    const declared = declaredSecrets(stack, clusters);
    expect(declared.length).toBeGreaterThan(0);
    const config: Record<string, unknown> = { ...readStackConfigFile(ROOT, stack) };
    for (const d of declared) {
      const key = `platform:${d.configKey}`;
      config[key] = { ...(config[key] as Record<string, string> | undefined), ...Object.fromEntries(d.keys.map((k) => [k, valueOf(d.configKey, k)])) };
    }
    // WHEN
    const configured = await planStack({ stack, clusters, environments, config });
    // THEN every Secret the stack provides is written, where it is declared, its data a secret
    const secrets = ofType(configured, 'kubernetes:core/v1:Secret');
    for (const d of writtenByStack(declared)) {
      const secret = secrets.find((s) => s.name === `Secret/${d.namespace}/${d.name}`);
      expect(secret?.inputs.stringData).toBe('[secret]');
      expect(secret?.dependsOn).toContain(`kubernetes:core/v1:Namespace::Namespace/${d.namespace}`);
    }
    // AND every one synced from Secrets Manager is an ExternalSecret there, never a Secret the stack writes
    const synced = ofType(configured, 'kubernetes:external-secrets.io/v1:ExternalSecret').map((e) => e.name);
    for (const d of declared.filter((x) => x.source === 'secretsManager')) {
      expect(synced).toContain(`ExternalSecret/${d.namespace}/${d.name}`);
      expect(secrets.map((x) => x.name)).not.toContain(`Secret/${d.namespace}/${d.name}`);
    }
    // AND no value is in the plan: not its resources, not its outputs, not its printed form
    const shown = JSON.stringify(configured.resources) + JSON.stringify(configured.outputs) + formatPlan(configured);
    for (const d of declared) for (const k of d.keys) expect(shown).not.toContain(valueOf(d.configKey, k));
    expect(configured.secretPlaceholders.filter((p) => declared.some((d) => p === `platform:${d.configKey}`))).toEqual([]);
  }, 60_000);
});

describe('the plan', () => {
  test('fails clearly for an unknown stack', async () => {
    await expect(planStack({ stack: 'qa', clusters, environments })).rejects.toThrow(
      'stack qa: name names no stack of this program [bootstrap, prod, stage, admin, e2e] (got "qa"); plan one of them: npm run plan -- --stack prod',
    );
  });

  test('fails clearly for a missing config key', async () => {
    await expect(planStack({ stack: 'prod', clusters, environments, config: { 'platform:accountId': '111122223333', 'platform:owner': 'platform-team' } })).rejects.toThrow(
      'stack prod: config platform:region is not set; pulumi config set platform:region eu-west-1 -s prod (or add it to Pulumi.prod.yaml)',
    );
  });

  test('refuses a region that differs from the cluster definition', async () => {
    const config = { 'platform:accountId': '111122223333', 'platform:region': 'us-east-1', 'platform:owner': 'o', 'platform:deployerRoleArn': 'arn:aws:iam::111122223333:role/d', 'platform:flowLogRetentionDays': 1, 'platform:etcdSnapshotRetainCount': 1, 'platform:etcdBackupRetentionDays': 1, 'platform:validateTimeout': '5m' };
    await expect(planStack({ stack: 'prod', clusters: [prod], environments, config })).rejects.toThrow(
      "stack prod: config platform:region differs from the cluster definition's region eu-west-1 (got \"us-east-1\"); set platform:region to eu-west-1: the definition in clusters/prod.ts is the source of truth",
    );
  });

  test('fails clearly when the encryption keys are not set', async () => {
    const { 'platform:encryptionKeyNames': _names, ...config } = readStackConfigFile(join(__dirname, '..', '..'), 'prod');
    await expect(planStack({ stack: 'prod', clusters, environments, config })).rejects.toThrow(
      `stack prod: config platform:encryptionKeys is not set, and the cluster encrypts Secrets at rest; pulumi config set --secret --path 'platform:encryptionKeys.key-1' "$(head -c 32 /dev/urandom | base64)" -s prod`,
    );
  });

  test('stands in placeholders for secure config values and for every declared addon Secret, key for key', () => {
    const declared = [
      { name: 'alerting', namespace: 'monitoring', keys: ['slack-url', 'heartbeat-token'], configKey: 'monitoringAlerting', description: 'receivers' },
      { name: 'writer', namespace: 'logging', keys: ['password'], configKey: 'loggingWriter', description: 'writer' },
      { name: 'writer', namespace: 'logging-agent', keys: ['password'], configKey: 'loggingWriter', description: 'writer' },
    ];
    const { config, secretKeys, placeholders } = runtimeConfig('prod', { 'platform:region': 'eu-west-1', 'platform:monitoringAlerting': { secure: 'AAAB...' } }, declared);
    expect(JSON.parse(config['platform:monitoringAlerting'] ?? '')).toEqual({ 'heartbeat-token': '<secret platform:monitoringAlerting.heartbeat-token>', 'slack-url': '<secret platform:monitoringAlerting.slack-url>' });
    expect(JSON.parse(config['platform:loggingWriter'] ?? '')).toEqual({ password: '<secret platform:loggingWriter.password>' });
    expect(secretKeys).toEqual(['platform:registryPullSecret', 'platform:loggingWriter', 'platform:monitoringAlerting']);
    expect(placeholders).toEqual(['platform:loggingWriter', 'platform:monitoringAlerting', 'platform:registryPullSecret']);
  });

  test('a declared addon Secret with no config fails before anything is created, naming the command for each key', () => {
    pulumi.runtime.setAllConfig({ 'platform:registryPullSecret': '{}' }, ['platform:registryPullSecret']);
    const declared = [{ name: 'alerting', namespace: 'monitoring', keys: ['slack-url'], configKey: 'monitoringAlerting', description: 'the monitoring receivers' }];
    expect(() => readSecrets('prod', () => pulumi.output(''), undefined, declared)).toThrow(
      "stack prod: secret config is not set, and the cluster's addons read these Secrets (got \"platform:monitoringAlerting\"); pulumi config set --secret --path 'platform:monitoringAlerting.slack-url' '…' -s prod (the monitoring receivers)",
    );
  });

  test("prod runs the External Secrets Operator, so its plan writes no addon Secret: each is an ExternalSecret, and the only Secrets from config are the pull secrets", () => {
    const secrets = ofType(plan('prod'), 'kubernetes:core/v1:Secret').map((s) => s.name);
    expect(secrets).toEqual(['Secret/content/registry-pull', 'Secret/shop/registry-pull']);
    const synced = ofType(plan('prod'), 'kubernetes:external-secrets.io/v1:ExternalSecret').map((s) => s.name);
    expect(synced).toEqual(expect.arrayContaining(['ExternalSecret/monitoring/alerting', 'ExternalSecret/monitoring/grafana']));
    expect(declaredSecrets('prod', clusters).every((d) => d.source === 'secretsManager')).toBe(true);
  });

  test('a cluster without the External Secrets Operator has the stack write each declared Secret from its derived config key', () => {
    const { secrets: _operator, ...withoutOperator } = prod;
    const declared = buildCluster({ ...withoutOperator, teams: prod.teams.map(({ secretsPrefix: _p, ...t }) => t), services: [] }, environments).secrets;
    expect(declared.length).toBeGreaterThan(0);
    expect(writtenByStack(declared)).toEqual(declared);
    expect(declared.map((d) => d.source)).toEqual(declared.map(() => 'stack'));
  });

  test('the stack reads no config for, and writes no Secret of, a declaration synced from Secrets Manager', () => {
    pulumi.runtime.setAllConfig({ 'platform:registryPullSecret': '{}' }, ['platform:registryPullSecret']);
    const declared = [{ name: 'alerting', namespace: 'monitoring', keys: ['slack-url'], configKey: 'monitoringAlerting', description: 'receivers', source: 'secretsManager' as const }];
    const read = readSecrets('prod', () => pulumi.output(''), undefined, declared);
    expect([...read.addonSecrets.keys()]).toEqual([]);
    expect(runtimeConfig('prod', { 'platform:region': 'eu-west-1' }, declared).placeholders).toEqual(['platform:registryPullSecret']);
  });
});

describe('what kops, external-dns and AWS are handed', () => {
  const stdinOf = (stack: string): string => String(one(plan(stack), 'command:local:Command', `${stack}-kops-apply`).inputs.stdin);
  const clusterSpec = (stack: string): any => parseObjects(stdinOf(stack)).find((o) => o.kind === 'Cluster')?.spec;

  test.each(CLUSTER_STACKS)('%s gives kops the hosted zone ID as spec.dnsZone, which external-dns receives as --zone-id-filter', (stack) => {
    // kops upup/pkg/fi/cloudup/template_functions.go (ExternalDNSArgv) passes spec.dnsZone verbatim
    // as --zone-id-filter; external-dns provider/zone_id_filter.go matches a zone when its ID ends
    // with the filter (strings.HasSuffix); kops pkg/model/awsmodel/dns.go reads a dnsZone without a
    // '.' as a hosted zone ID. So: the ID, never the name.
    const zoneId = String(plan(stack).outputs.dnsZoneId);
    const spec = clusterSpec(stack);
    expect(spec.dnsZone).toBe(zoneId);
    expect(spec.dnsZone).not.toContain('.');
    expect(`/hostedzone/${zoneId}`.endsWith(spec.dnsZone)).toBe(true);
    expect('/hostedzone/example.com'.endsWith(`/hostedzone/${zoneId}`)).toBe(false);
    // where a name is meant, the name stays
    expect(spec.certManager.hostedZoneIDs).toEqual([zoneId]);
  });

  test.each(CLUSTER_STACKS)('%s gives kops the permissions boundary every role it creates carries', (stack) => {
    expect(clusterSpec(stack).iam.permissionsBoundary).toBe('arn:aws:iam::111122223333:policy/platform-workload-boundary');
  });

  test.each([['prod', 90], ['stage', 30], ['admin', 30], ['e2e', 7]])('%s feeds etcd-manager its backupRetentionDays (%i) from the stack\'s setting', (stack, days) => {
    for (const etcd of clusterSpec(stack as string).etcdClusters) expect(etcd.manager.backupRetentionDays).toBe(days);
  });

  test('refuses a definition that sets another etcd retention than the stack', async () => {
    const config = { ...readStackConfigFile(join(__dirname, '..', '..'), 'prod') };
    const defs = prodWith((c) => ({ ...c, kubernetes: { ...c.kubernetes, etcd: { ...c.kubernetes.etcd, backupRetentionDays: 7 } } }));
    await expect(planStack({ stack: 'prod', clusters: defs, environments, config })).rejects.toThrow(
      "stack prod: kubernetes.etcd.backupRetentionDays differs from the stack's platform:etcdBackupRetentionDays 90 (got 7); drop it from clusters/prod.ts: the stack's setting is the one place retention is set",
    );
  });

  test('snapshots etcd, then creates the encryptionconfig secret, then applies: the plan shows the order and what re-runs each step', () => {
    const p = plan('prod');
    const snapshot = one(p, 'command:local:Command', 'prod-kops-etcd-snapshot');
    const encryption = one(p, 'command:local:Command', 'prod-kops-encryption-config');
    const apply = one(p, 'command:local:Command', 'prod-kops-apply');
    expect(encryption.dependsOn).toEqual([snapshot.id]);
    expect(apply.dependsOn).toEqual([snapshot.id, encryption.id]);
    expect(snapshot.inputs.triggers).toEqual(['1.35.5', expect.stringMatching(/^[0-9a-f]{64}$/)]);
    expect(((snapshot.inputs.environment as Record<string, string>).ETCD_VOLUME_NAMES ?? '').split(',')).toHaveLength(6);
    expect(encryption.inputs.triggers).toEqual(['key-1']);
    const text = formatPlan(p);
    expect(text).toContain('# prod-kops-etcd-snapshot  (re-runs when triggers change: ["1.35.5"');
    expect(text).toContain('aws_run ec2 wait snapshot-completed');
    expect(text).toContain('kops_run delete instancegroup "$group"');
  });

  test('an etcd change re-runs the snapshot step; a service change does not', async () => {
    const changed = await planStack({ stack: 'prod', clusters: prodWith((c) => ({ ...c, kubernetes: { ...c.kubernetes, etcd: { ...c.kubernetes.etcd, volumeSize: 40 } } })), environments });
    const unchanged = await planStack({ stack: 'prod', clusters: prodWith((c) => ({ ...c, services: c.services.filter((s) => s.name !== 'blog') })), environments });
    const trigger = (p: StackPlan) => one(p, 'command:local:Command', 'prod-kops-etcd-snapshot').inputs.triggers;
    expect(trigger(changed)).not.toEqual(trigger(plan('prod')));
    expect(trigger(unchanged)).toEqual(trigger(plan('prod')));
  }, 60_000);

  test('the encryption key reaches kops only on the encryption step\'s stdin: never in the plan output, a trigger, an environment or an output', async () => {
    // GIVEN a real-looking key in the stack's (secret) config
    const key = Buffer.from('0123456789abcdef0123456789abcdef').toString('base64');
    const config = { ...readStackConfigFile(join(__dirname, '..', '..'), 'prod'), 'platform:encryptionKeys': { 'key-1': key } };
    const p = await planStack({ stack: 'prod', clusters, environments, config, keepSecretValues: true });
    // THEN it is where kops reads it, and nowhere else
    const encryption = one(p, 'command:local:Command', 'prod-kops-encryption-config');
    expect(JSON.stringify(encryption.inputs.stdin)).toContain(`secret: ${key}`);
    // AND a plan as the CLI makes it records even that input as a secret, without its value
    const redacted = await planStack({ stack: 'prod', clusters, environments, config });
    expect(one(redacted, 'command:local:Command', 'prod-kops-encryption-config').inputs.stdin).toBe('[secret]');
    expect(JSON.stringify(redacted.resources)).not.toContain(key);
    expect(formatPlan(p)).toContain('# stdin: a secret (not shown)');
    expect(formatPlan(p)).not.toContain(key);
    const elsewhere = p.resources.map((r) => JSON.stringify({ triggers: r.inputs.triggers, environment: r.inputs.environment, create: r.inputs.create, update: r.inputs.update }));
    expect(elsewhere.filter((t) => t.includes(key))).toEqual([]);
    expect(JSON.stringify(p.outputs)).not.toContain(key);
    expect(p.resources.filter((r) => r.id !== encryption.id && JSON.stringify(r.inputs).includes(key)).map((r) => r.id)).toEqual([]);
  }, 60_000);

  test('the Kubernetes provider has a constant, known clusterIdentifier while the kubeconfig is unknown', () => {
    // pulumi-kubernetes provider/pkg/provider/provider.go (DiffConfig): an unknown kubeconfig makes
    // the provider, and every object on it, be replaced — unless clusterIdentifier is set and the
    // same as before. Mocks never diff; so: set, known, and the cluster's constant name.
    for (const stack of CLUSTER_STACKS) {
      const [provider] = ofType(plan(stack), 'pulumi:providers:kubernetes');
      expect(provider?.inputs.clusterIdentifier).toBe(clusters.find((c) => c.name === stack)?.kubernetes.clusterName);
      expect(provider?.inputs.kubeconfig).toEqual({ __pulumiUnknown: true }); // unknown in preview: the mock has no kops stdout
    }
  });

  test('the etcd snapshot role is a cluster role: tagged for its cluster and under the workload boundary', () => {
    const role = one(plan('prod'), 'aws:iam/role:Role', 'prod-etcd-snapshots-dlm');
    expect(role.inputs.permissionsBoundary).toBe('arn:aws:iam::111122223333:policy/platform-workload-boundary');
    expect(role.inputs.tags).toEqual({ KubernetesCluster: 'prod.k8s.example.com' });
  });
});

describe('the bootstrap stack', () => {
  test('creates the auto-scaling service-linked role the cluster keys name, before any environment stack runs', () => {
    expect(ofType(plan('bootstrap'), 'aws:iam/serviceLinkedRole:ServiceLinkedRole').map((r) => r.inputs.awsServiceName)).toEqual(['autoscaling.amazonaws.com']);
    // the cluster keys name it (a key policy may only name principals that exist)
    const key = JSON.parse(String(one(plan('prod'), 'aws:kms/key:Key', 'prod-state-key').inputs.policy));
    expect(key.Statement.map((s: any) => s.Principal.AWS)).toContain('arn:aws:iam::111122223333:role/aws-service-role/autoscaling.amazonaws.com/AWSServiceRoleForAutoScaling');
  });

  test('plans four deployer roles, one per environment, each trusted only by its environment\'s deploy jobs and the infra engineers, under the deployer boundary', () => {
    const p = plan('bootstrap');
    const roles = ofType(p, 'aws:iam/role:Role').filter((r) => r.name.startsWith('deployer-') && r.name !== 'deployer-preview');
    expect(roles.map((r) => r.inputs.name)).toEqual(['platform-deployer-prod', 'platform-deployer-stage', 'platform-deployer-admin', 'platform-deployer-e2e']);
    for (const r of roles) {
      const env = String(r.inputs.name).replace('platform-deployer-', '');
      const trust = JSON.parse(String(r.inputs.assumeRolePolicy));
      expect(trust.Statement[0].Condition.StringEquals['token.actions.githubusercontent.com:sub']).toEqual([`repo:example/platform:environment:${env}`]);
      expect(trust.Statement[0].Condition.StringLike).toBeUndefined();
      expect(trust.Statement[1].Principal.AWS).toEqual(['arn:aws:iam::111122223333:role/aws-reserved/sso.amazonaws.com/eu-west-1/AWSReservedSSO_PlatformAdmin_0123456789abcdef']);
      expect(r.inputs.maxSessionDuration).toBe(14400);
      expect(r.inputs.permissionsBoundary).toEqual({ __pulumiUnknown: true }); // the deployer boundary's ARN, known once it exists
    }
    expect(plan('bootstrap').outputs.deployerRoleArns).toEqual(Object.fromEntries(['prod', 'stage', 'admin', 'e2e'].map((e) => [e, `arn:aws:iam::111122223333:role/platform-deployer-${e}`])));
    expect(one(p, 'aws:iam/policy:Policy', 'deployer-workload-boundary').inputs.name).toBe('platform-workload-boundary');
    expect(one(p, 'aws:iam/policy:Policy', 'deployer-boundary').inputs.name).toBe('platform-deployer-boundary');
  });

  test('each deployer\'s policy, in three managed policies attached to its role, is scoped to its own cluster', () => {
    const p = plan('bootstrap');
    for (const c of clusters) {
      const parts = ['compute', 'iam', 'data'].map((part) => one(p, 'aws:iam/policy:Policy', `deployer-${c.environment}-${part}`));
      expect(parts.map((x) => x.inputs.name)).toEqual(['compute', 'iam', 'data'].map((part) => `platform-deployer-${c.environment}-${part}`));
      expect(ofType(p, 'aws:iam/rolePolicyAttachment:RolePolicyAttachment').filter((a) => a.name.startsWith(`deployer-${c.environment}-`))).toHaveLength(3);
      const statements = parts.flatMap((x) => JSON.parse(String(x.inputs.policy)).Statement);
      const create = statements.find((s: any) => s.Sid === 'CreateClusterRolesWithTagAndBoundary');
      expect(create.Condition.StringEquals['aws:RequestTag/KubernetesCluster']).toEqual([c.kubernetes.clusterName]);
      expect(statements.find((s: any) => s.Sid === 'EnvironmentBuckets').Resource).toEqual(['kops-state', 'etcd-backups', 'oidc-discovery'].flatMap((k) => [`arn:aws:s3:::111122223333-${c.name}-${k}`, `arn:aws:s3:::111122223333-${c.name}-${k}/*`]));
      expect(statements.find((s: any) => s.Sid === 'OwnStacksState').Resource).toContain(`arn:aws:s3:::example-platform-pulumi-state/.pulumi/stacks/platform/${c.name}.json*`);
    }
  });

  test('pull requests get a read-only preview role of their own, which no deployer may change', () => {
    const p = plan('bootstrap');
    const preview = one(p, 'aws:iam/role:Role', 'deployer-preview');
    const trust = JSON.parse(String(preview.inputs.assumeRolePolicy));
    expect(trust.Statement[0].Condition.StringEquals['token.actions.githubusercontent.com:sub']).toEqual(['repo:example/platform:pull_request']);
    expect(one(p, 'aws:iam/rolePolicyAttachment:RolePolicyAttachment', 'deployer-preview').inputs.policyArn).toBe('arn:aws:iam::aws:policy/ReadOnlyAccess');
    const statements = JSON.parse(String(one(p, 'aws:iam/policy:Policy', 'deployer-stage-data').inputs.policy)).Statement;
    expect(statements.find((s: any) => s.Sid === 'NeverChangeTheDeployerRoles').Resource).toEqual([
      'platform-deployer-prod', 'platform-deployer-stage', 'platform-deployer-admin', 'platform-deployer-e2e', 'platform-preview', 'platform-package-publisher', 'platform-packages-read',
    ].map((n) => `arn:aws:iam::111122223333:role/${n}`));
  });

  test('refuses CI subjects that miss an environment, name an unknown one, or would let another environment\'s jobs in, all at once', () => {
    const subjects = {
      prod: ['repo:example/platform:environment:*'],
      stage: ['repo:example/platform:environment:stage', 'repo:example/platform:environment:prod'],
      qa: ['repo:example/platform:environment:qa'],
      e2e: [],
    };
    expect(() => checkCiSubjects('bootstrap', subjects, ['prod', 'stage', 'admin', 'e2e'])).toThrow([
      '5 problems:',
      "  - stack bootstrap: config platform:ciSubjects.admin is not set, and every environment has its own deployer role; pulumi config set --path 'platform:ciSubjects.admin[0]' 'repo:<owner>/<repo>:environment:admin' -s bootstrap",
      "  - stack bootstrap: config platform:ciSubjects.e2e is not set, and every environment has its own deployer role; pulumi config set --path 'platform:ciSubjects.e2e[0]' 'repo:<owner>/<repo>:environment:e2e' -s bootstrap",
      '  - stack bootstrap: config platform:ciSubjects.prod is not the subject of a job bound to environment prod (repo:<owner>/<repo>:environment:prod, no wildcard) (got "repo:example/platform:environment:*"); write exactly repo:<owner>/<repo>:environment:prod: the prod deployer must trust no other environment\'s jobs',
      '  - stack bootstrap: config platform:ciSubjects.stage is not the subject of a job bound to environment stage (repo:<owner>/<repo>:environment:stage, no wildcard) (got "repo:example/platform:environment:prod"); write exactly repo:<owner>/<repo>:environment:stage: the stage deployer must trust no other environment\'s jobs',
      '  - stack bootstrap: config platform:ciSubjects.qa names no environment of the clusters [prod, stage, admin, e2e] (got "qa"); remove it, or name an environment of a cluster in clusters/',
    ].join('\n'));
  });

  test('refuses ciSubjects written as a plain list, and plans nothing without them', async () => {
    const base = readStackConfigFile(join(__dirname, '..', '..'), 'bootstrap');
    await expect(planStack({ stack: 'bootstrap', clusters, environments, config: { ...base, 'platform:ciSubjects': ['repo:example/platform:environment:prod'] } })).rejects.toThrow(
      'stack bootstrap: config platform:ciSubjects must be a map of names to lists of strings (got ["repo:example/platform:environment:prod"]); write a YAML map, e.g. prod: [repo:example/platform:environment:prod]',
    );
    const { 'platform:ciSubjects': _subjects, ...without } = base;
    await expect(planStack({ stack: 'bootstrap', clusters, environments, config: without })).rejects.toThrow(
      "stack bootstrap: config platform:ciSubjects is not set; pulumi config set --path 'platform:ciSubjects.prod[0]' 'repo:example/platform:environment:prod' -s bootstrap, one list per environment (or add it to Pulumi.bootstrap.yaml)",
    );
  });
});

describe('the secrets keys and the package registry the bootstrap stack makes', () => {
  test('one secrets key per environment, each the secretsprovider of that environment\'s stacks; the bootstrap stack keeps its own', () => {
    // GIVEN the bootstrap plan; THEN four keys with their aliases, rotation on, each policy naming only its deployer to encrypt
    const p = plan('bootstrap');
    const aliases = ofType(p, 'aws:kms/alias:Alias').map((a) => a.inputs.name);
    expect(aliases).toEqual(['alias/pulumi-platform-secrets', 'alias/pulumi-prod-secrets', 'alias/pulumi-stage-secrets', 'alias/pulumi-admin-secrets', 'alias/pulumi-e2e-secrets']);
    for (const env of ['prod', 'stage', 'admin', 'e2e']) {
      const key = one(p, 'aws:kms/key:Key', `deployer-${env}-secrets`);
      expect(key.inputs.enableKeyRotation).toBe(true);
      const statements = JSON.parse(String(key.inputs.policy)).Statement;
      expect(statements.find((s: any) => s.Sid === 'StacksEncryptAndDecrypt').Principal.AWS).toEqual([
        `arn:aws:iam::111122223333:role/platform-deployer-${env}`, 'arn:aws:iam::111122223333:role/aws-reserved/sso.amazonaws.com/eu-west-1/AWSReservedSSO_PlatformAdmin_0123456789abcdef',
      ]);
      expect(statements.find((s: any) => s.Sid === 'PreviewsDecrypt')).toMatchObject({ Principal: { AWS: ['arn:aws:iam::111122223333:role/platform-preview'] }, Action: 'kms:Decrypt' });
    }
    expect(p.outputs.secretsProvider).toBe('awskms://alias/pulumi-platform-secrets?region=eu-west-1');
    const providers = p.outputs.secretsProviders as Record<string, string>;
    for (const c of clusters) {
      const file = parse(readFileSync(join(__dirname, '..', '..', `Pulumi.${c.name}.yaml`), 'utf8')) as { secretsprovider: string };
      expect([c.name, file.secretsprovider]).toEqual([c.name, providers[c.environment]]);
    }
  });

  test('each deployer\'s policy names its own secrets key, and the preview role decrypts every stack\'s config and nothing more', () => {
    const p = plan('bootstrap');
    for (const env of ['prod', 'stage', 'admin', 'e2e']) {
      const data = JSON.parse(String(one(p, 'aws:iam/policy:Policy', `deployer-${env}-data`).inputs.policy)).Statement;
      const ownKey = data.find((s: any) => s.Sid === 'OwnSecretsKey');
      expect(ownKey).toMatchObject({ Action: ['kms:Encrypt', 'kms:Decrypt'] });
      expect(ownKey.Resource).toMatch(/^arn:aws:kms:eu-west-1:111122223333:key\//);
      expect(String(one(p, 'aws:kms/key:Key', `deployer-${env}-secrets`).inputs.policy)).toContain(`platform-deployer-${env}"`);
    }
    const preview = JSON.parse(String(one(p, 'aws:iam/rolePolicy:RolePolicy', 'deployer-preview').inputs.policy)).Statement;
    expect(preview.flatMap((s: any) => [s.Action].flat()).sort()).toEqual(['kms:Decrypt', 'kms:Decrypt', 's3:GetObject', 's3:ListBucket']);
    expect(preview.find((s: any) => s.Sid === 'DecryptStackConfig').Resource).toHaveLength(5);
  });

  test('the CodeArtifact domain and repository package.json publishes to, with the publisher and reader roles under their boundary', () => {
    const p = plan('bootstrap');
    expect(ofType(p, 'aws:codeartifact/domain:Domain').map((d) => d.inputs.domain)).toEqual(['example']);
    const repo = ofType(p, 'aws:codeartifact/repository:Repository');
    expect(repo.map((r) => [r.inputs.repository, r.inputs.domainOwner, r.inputs.upstreams, r.inputs.externalConnections])).toEqual([['platform', '111122223333', undefined, undefined]]);
    const pkg = JSON.parse(readFileSync(join(__dirname, '..', '..', 'package.json'), 'utf8')) as { name: string; publishConfig: { registry: string } };
    expect((p.outputs.packages as { registryUrl: string }).registryUrl).toBe(pkg.publishConfig.registry);
    expect(pkg.name.startsWith('@example/')).toBe(true);
    const roles = ofType(p, 'aws:iam/role:Role').filter((r) => r.name.startsWith('packages-'));
    expect(roles.map((r) => [r.inputs.name, r.inputs.permissionsBoundary])).toEqual([['platform-package-publisher', { __pulumiUnknown: true }], ['platform-packages-read', { __pulumiUnknown: true }]]);
    expect(one(p, 'aws:iam/policy:Policy', 'packages-boundary').inputs.name).toBe('platform-package-boundary');
    const publisherTrust = JSON.parse(String(roles[0]?.inputs.assumeRolePolicy));
    expect(publisherTrust.Statement).toEqual([expect.objectContaining({ Condition: { StringEquals: { 'token.actions.githubusercontent.com:aud': 'sts.amazonaws.com', 'token.actions.githubusercontent.com:sub': ['repo:example/platform:environment:release'] } } })]);
    expect(publisherTrust.Statement[0].Principal.Federated).toBe('arn:aws:iam::111122223333:oidc-provider/token.actions.githubusercontent.com');
    // no deployer may change them
    const denied = JSON.parse(String(one(p, 'aws:iam/policy:Policy', 'deployer-prod-data').inputs.policy)).Statement.find((s: any) => s.Sid === 'NeverChangeTheDeployerRoles').Resource;
    expect(denied).toEqual(expect.arrayContaining(['arn:aws:iam::111122223333:role/platform-package-publisher', 'arn:aws:iam::111122223333:role/platform-packages-read']));
  });

  test('refuses a packages config that misses a field or names a setting it does not have, all at once', async () => {
    const base = readStackConfigFile(join(__dirname, '..', '..'), 'bootstrap');
    await expect(planStack({ stack: 'bootstrap', clusters, environments, config: { ...base, 'platform:packages': { domain: 'example', repository: 'platform', scope: '', publisherSubject: 'repo:example/platform:environment:release', upstream: 'npmjs' } } })).rejects.toThrow([
      '2 problems:',
      '  - stack bootstrap: config platform:packages.scope must be a non-empty string (got ""); write packages as {domain: example, repository: platform, scope: example, publisherSubject: repo:example/platform:environment:release, readerRepositories: [example/shop-services]}',
      '  - stack bootstrap: config platform:packages.upstream is not a packages setting (got "upstream"); remove it; packages takes {domain: example, repository: platform, scope: example, publisherSubject: repo:example/platform:environment:release, readerRepositories: [example/shop-services]}',
    ].join('\n'));
  });

  test('refuses a publisher trusted by anything but one environment\'s job, and a reader repository with a wildcard', async () => {
    const base = readStackConfigFile(join(__dirname, '..', '..'), 'bootstrap');
    const packages = { domain: 'example', repository: 'platform', scope: 'example', publisherSubject: 'repo:example/platform:*', readerRepositories: ['example/*', 'repo:example/shop-services'] };
    await expect(planStack({ stack: 'bootstrap', clusters, environments, config: { ...base, 'platform:packages': packages } })).rejects.toThrow([
      '3 problems:',
      '  - platform:aws:PackageRegistry packages: args.publisherSubject is not the subject of a job bound to a GitHub environment (repo:<owner>/<repo>:environment:<name>, no wildcard) (got "repo:example/platform:*"); write exactly the release job\'s subject, e.g. repo:example/platform:environment:release',
      '  - platform:aws:PackageRegistry packages: args.readerRepositories is not a repository owner/name (no wildcard, no repo: prefix) (got "example/*"); write the repository as GitHub spells it, e.g. example/shop-services',
      '  - platform:aws:PackageRegistry packages: args.readerRepositories is not a repository owner/name (no wildcard, no repo: prefix) (got "repo:example/shop-services"); write the repository as GitHub spells it, e.g. example/shop-services',
    ].join('\n'));
  });
});

describe('every role a deployer creates', () => {
  test.each(CLUSTER_STACKS)('%s: each IAM role of the stack carries the workload boundary and its cluster\'s tag, and the cluster key names the environment\'s deployer', (stack) => {
    const p = plan(stack);
    const clusterName = clusters.find((c) => c.name === stack)?.kubernetes.clusterName;
    const roles = ofType(p, 'aws:iam/role:Role');
    expect(roles.map((r) => r.name).sort()).toEqual([`${stack}-etcd-snapshots-dlm`, `${stack}-network-flow-logs`]);
    for (const r of roles) {
      expect([r.name, r.inputs.permissionsBoundary, r.inputs.tags]).toEqual([r.name, 'arn:aws:iam::111122223333:policy/platform-workload-boundary', { KubernetesCluster: clusterName }]);
    }
    const key = JSON.parse(String(one(p, 'aws:kms/key:Key', `${stack}-state-key`).inputs.policy));
    const env = clusters.find((c) => c.name === stack)?.environment;
    expect(key.Statement.find((s: any) => s.Sid === 'DeployerAdministers').Principal.AWS).toBe(`arn:aws:iam::111122223333:role/platform-deployer-${env}`);
  });
});
