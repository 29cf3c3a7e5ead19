// The Pulumi program: the stack's name picks what to build. Config is read here, once.
import * as aws from '@pulumi/aws';
import * as pulumi from '@pulumi/pulumi';
import { type ClusterDefinition, PlatformError } from '../lib';
import { bootstrapStack } from './bootstrap-stack';
import { readBootstrapConfig, readEncryptionKeys, readEnvironmentConfig, readSecrets } from './config';
import { environmentStack } from './environment-stack';

/** The name of the stack that creates the state backend and the deployer role. */
export const BOOTSTRAP_STACK = 'bootstrap';

/** Every stack name the program knows: bootstrap, then one per cluster. */
export function stackNames(clusters: readonly ClusterDefinition[]): string[] {
  return [BOOTSTRAP_STACK, ...clusters.map((c) => c.name)];
}

/** Runs the program for `stack`; the environment stacks are named after their clusters. */
export function runProgram(stack: string, clusters: readonly ClusterDefinition[], environments: readonly string[]): object {
  if (stack === BOOTSTRAP_STACK) return bootstrapStack(clusters, readBootstrapConfig(stack));
  const def = clusters.find((c) => c.name === stack);
  if (def === undefined) {
    throw PlatformError.of({
      path: `stack ${stack}`, field: 'name', value: stack, rule: `names no stack of this program [${stackNames(clusters).join(', ')}]`,
      fix: 'select a stack named after a cluster in clusters/, or bootstrap (pulumi stack select prod)',
    });
  }
  const config = readEnvironmentConfig(stack);
  const fromSecretsManager = (provider: aws.Provider) => (arn: string) =>
    pulumi.secret(aws.secretsmanager.getSecretVersionOutput({ secretId: arn }, { provider }).secretString);
  return environmentStack(def, environments, config, (provider, declared) => readSecrets(stack, fromSecretsManager(provider), config.registryPullSecretArn, declared), () => readEncryptionKeys(stack));
}
