// The bootstrap stack, run once per account by an infra engineer: Pulumi's state backend and
// secrets key, and the role every environment stack (and CI) runs as.
import type * as pulumi from '@pulumi/pulumi';
import type { ClusterDefinition } from '../lib';
import { DeployerRole, StateBackend, defaultTags } from '../lib/aws';
import type { BootstrapConfig } from './config';
import { awsProvider } from './environment-stack';

/** What the bootstrap stack exports. */
export interface BootstrapOutputs {
  readonly stateBackend: pulumi.Output<string>;
  readonly secretsProvider: pulumi.Output<string>;
  readonly deployerRoleArn: pulumi.Output<string>;
}

/** Builds the bootstrap stack; the deployer may touch the clusters listed. */
export function bootstrapStack(clusters: readonly ClusterDefinition[], config: BootstrapConfig): BootstrapOutputs {
  const provider = awsProvider('bootstrap-aws', { accountId: config.accountId, region: config.region, tags: defaultTags({ cluster: 'all', environment: 'bootstrap', owner: config.owner }) });
  const backend = new StateBackend('pulumi', { bucketName: config.stateBackendBucket }, { providers: [provider] });
  const deployer = new DeployerRole('deployer', {
    ci: { issuerUrl: config.ciIssuerUrl, subjects: config.ciSubjects },
    trustedRoleArns: config.trustedRoleArns,
    scope: {
      accountId: config.accountId,
      regions: [...new Set(clusters.map((c) => c.region))].sort(),
      clusterNames: clusters.map((c) => c.kubernetes.clusterName),
      stateBackendBucket: config.stateBackendBucket,
    },
    secretsKeyArn: backend.secretsKeyArn,
  }, { providers: [provider] });
  return {
    stateBackend: backend.bucketName.apply((b) => `s3://${b}`),
    secretsProvider: backend.secretsKeyAlias.apply((a) => `awskms://${a}?region=${config.region}`),
    deployerRoleArn: deployer.roleArn,
  };
}
