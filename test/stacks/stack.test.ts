import * as pulumi from '@pulumi/pulumi';

interface Created {
  type: string;
  name: string;
  inputs: Record<string, any>;
}

const created: Created[] = [];

beforeAll(async () => {
  // GIVEN the Pulumi runtime mocked for the prod stack; it must be set before the program loads.
  await pulumi.runtime.setMocks({
    newResource: (args) => {
      created.push({ type: args.type, name: args.name, inputs: args.inputs });
      return { id: `${args.name}-id`, state: args.inputs };
    },
    call: (args) => args.inputs,
  }, 'platform', 'prod', false);
  // WHEN the program runs
  const program = await import('../../stacks');
  await new Promise<void>((resolve) => program.manifests.urn.apply(() => resolve()));
  await new Promise((resolve) => setTimeout(resolve, 100));
});

describe('the prod stack', () => {
  test('applies every object of the prod manifests as its own resource', () => {
    // THEN
    const deployments = created.filter((c) => c.type === 'kubernetes:apps/v1:Deployment').map((c) => c.inputs.metadata.name).sort();
    expect(deployments).toEqual(['blog', 'ingress-nginx-controller', 'orders-api', 'orders-worker', 'storefront-admin', 'storefront-m0', 'storefront-m1', 'storefront-m2']);
    expect(created.filter((c) => c.type === 'kubernetes:batch/v1:CronJob').map((c) => c.inputs.metadata.name)).toEqual(['orders-export']);
    expect(created.find((c) => c.type === 'platform:k8s:ClusterManifests')?.name).toBe('prod');
  });

  test('applies prod overrides, as npm run synth does', () => {
    const storefront = created.filter((c) => c.type === 'kubernetes:apps/v1:Deployment' && c.inputs.metadata.name.startsWith('storefront-m'));
    expect(storefront.map((d) => d.inputs.spec.replicas)).toEqual([2, 2, 2]);
    const hpa = created.find((c) => c.type === 'kubernetes:autoscaling/v2:HorizontalPodAutoscaler' && c.inputs.metadata.name === 'orders-api');
    expect(hpa?.inputs.spec.minReplicas).toBe(4);
  });
});
