// The bootstrap stack, run once per account by an infra engineer: Pulumi's state backend and
// secrets key, and the role every environment stack (and CI) runs as.
import * as aws from '@pulumi/aws';
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
  readonly previewRoleArn: pulumi.Output<string> | undefined;
  readonly permissionsBoundaryArn: pulumi.Output<string>;
}

/** Builds the bootstrap stack; the deployer may touch the clusters listed. */
export function bootstrapStack(clusters: readonly ClusterDefinition[], config: BootstrapConfig): BootstrapOutputs {
  const provider = awsProvider('bootstrap-aws', { accountId: config.accountId, region: config.region, tags: defaultTags({ cluster: 'all', environment: 'bootstrap', owner: config.owner }) });
  // The cluster keys' policies name AWSServiceRoleForAutoScaling (it encrypts node volumes), and a
  // key policy may only name principals that exist; a fresh account has that role only once an
  // auto-scaling group exists. So the bootstrap, which runs first, creates it (unless it exists).
  if (config.createAutoScalingServiceLinkedRole) {
    new aws.iam.ServiceLinkedRole('autoscaling', { awsServiceName: 'autoscaling.amazonaws.com', description: 'Auto Scaling for the kops clusters; named by the cluster keys' }, { provider });
  }
  const backend = new StateBackend('pulumi', { bucketName: config.stateBackendBucket }, { providers: [provider] });
  const deployer = new DeployerRole('deployer', {
    ci: { issuerUrl: config.ciIssuerUrl, subjects: config.ciSubjects, previewSubjects: config.ciPreviewSubjects },
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
    previewRoleArn: deployer.previewRoleArn,
    permissionsBoundaryArn: deployer.permissionsBoundaryArn,
  };
}
