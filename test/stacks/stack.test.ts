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
    expect(deployments).toEqual(['blog', 'orders-api', 'orders-worker', 'storefront', 'storefront-admin']);
    expect(created.filter((c) => c.type === 'kubernetes:batch/v1:CronJob').map((c) => c.inputs.metadata.name)).toEqual(['orders-cleanup']);
    expect(created.find((c) => c.type === 'platform:k8s:ClusterManifests')?.name).toBe('prod');
  });

  test('applies prod overrides, as npm run synth does', () => {
    const storefront = created.find((c) => c.type === 'kubernetes:apps/v1:Deployment' && c.inputs.metadata.name === 'storefront');
    expect(storefront?.inputs.spec.replicas).toBe(6);
  });
});
