// The one place the program reads Pulumi config: typed values, checked once, passed down.
import * as pulumi from '@pulumi/pulumi';
import { PlatformError, type SecretDeclaration, formatProblem, writtenByStack } from '../lib';

/** The config namespace of every key (`platform:region`). */
export const CONFIG_NAMESPACE = 'platform';

/**
 * The secret config every environment stack reads besides its addons' (`pulumi config set --secret
 * <key>`; the offline plan stands in a placeholder). Each addon Secret's key is derived from its
 * declaration (`SecretDeclaration.configKey`), so adding an addon adds no key here.
 */
export const SECRET_KEYS = ['registryPullSecret'] as const;

/** The secret values an environment stack deploys (secret Outputs; never written to dist/). */
export interface PlatformSecrets {
  /** The registry's `.dockerconfigjson`, from secret config or AWS Secrets Manager (`registryPullSecretArn`). */
  readonly registryPullSecret: pulumi.Output<string>;
  /** Each declared addon Secret's values (key -> value), by its config key. */
  readonly addonSecrets: ReadonlyMap<string, pulumi.Output<Readonly<Record<string, string>>>>;
}

/** The command that sets one key of a declared Secret. */
export function secretCommand(stack: string, configKey: string, key: string): string {
  return `pulumi config set --secret --path '${CONFIG_NAMESPACE}:${configKey}.${key}' '…' -s ${stack}`;
}

/** An environment stack's config (`Pulumi.<cluster>.yaml`). */
export interface EnvironmentConfig {
  readonly accountId: string;
  readonly region: string;
  readonly owner: string;
  readonly deployerRoleArn: string;
  /** An existing hosted zone for the cluster's DNS zone. @default - the stack creates the zone */
  readonly dnsZoneId?: string;
  /** Hosted zones the manifests name besides the cluster's own, by zone name. @default {} */
  readonly hostedZoneIds: Readonly<Record<string, string>>;
  readonly flowLogRetentionDays: number;
  readonly etcdSnapshotRetainCount: number;
  /** Days etcd-manager keeps its backups (`backupRetentionDays` of both etcd clusters); replaced objects are removed a day later. */
  readonly etcdBackupRetentionDays: number;
  readonly validateTimeout: string;
  /** The kops release the runner must have. @default '1.36.0' */
  readonly kopsVersion: string;
  /** The names of the API server's encryption keys, the first encrypts (their values: secret `encryptionKeys`). */
  readonly encryptionKeyNames: readonly string[];
  /** Instance groups kops rolls when the manifests change. @default [] */
  readonly rollingUpdate: readonly string[];
  /** Refuse to delete the kops cluster. @default true */
  readonly protectCluster: boolean;
  /** The Secrets Manager secret holding the pull secret, used when `registryPullSecret` is not set. @default - none */
  readonly registryPullSecretArn?: string;
}

/** The bootstrap stack's config (`Pulumi.bootstrap.yaml`). */
export interface BootstrapConfig {
  readonly accountId: string;
  readonly region: string;
  readonly owner: string;
  readonly stateBackendBucket: string;
  readonly ciIssuerUrl: string;
  /**
   * The token subjects of each environment's deploy jobs, by environment
   * (`prod: [repo:example/platform:environment:prod]`): `platform-deployer-<env>` trusts exactly these.
   */
  readonly ciSubjects: Readonly<Record<string, readonly string[]>>;
  /** @default [] */
  readonly trustedRoleArns: readonly string[];
  /** Token subjects of pull-request previews (`repo:example/platform:pull_request`). @default [] (no preview role) */
  readonly ciPreviewSubjects: readonly string[];
  /** Create AWSServiceRoleForAutoScaling (false when the account already has it). @default true */
  readonly createAutoScalingServiceLinkedRole: boolean;
  /** The package registry (CodeArtifact) and its publisher and reader roles. @default - none */
  readonly packages?: PackagesConfig;
}

/** The bootstrap stack's `packages` config: where the package is published, and who publishes and reads it. */
export interface PackagesConfig {
  /** The CodeArtifact domain (`example`). */
  readonly domain: string;
  /** The repository (`platform`). */
  readonly repository: string;
  /** The npm scope, without `@` (`example`). */
  readonly scope: string;
  /** The release job's token subject (`repo:example/platform:environment:release`). */
  readonly publisherSubject: string;
  /** The service repositories whose CI reads the packages (`example/shop-services`). */
  readonly readerRepositories: readonly string[];
}

function missing(stack: string, key: string, example: string): PlatformError {
  return PlatformError.of({
    path: `stack ${stack}`, field: `config ${CONFIG_NAMESPACE}:${key}`, rule: 'is not set',
    fix: `pulumi config set ${CONFIG_NAMESPACE}:${key} ${example} -s ${stack} (or add it to Pulumi.${stack}.yaml)`,
  });
}

class Reader {
  private readonly config = new pulumi.Config(CONFIG_NAMESPACE);
  public constructor(private readonly stack: string) {}

  public string(key: string, example: string): string {
    const value = this.config.get(key);
    if (value === undefined || value === '') throw missing(this.stack, key, example);
    return value;
  }

  public optional(key: string): string | undefined {
    return this.config.get(key);
  }

  public number(key: string, example: string): number {
    const text = this.string(key, example);
    const value = Number(text);
    if (!Number.isInteger(value) || value < 1) {
      throw PlatformError.of({ path: `stack ${this.stack}`, field: `config ${CONFIG_NAMESPACE}:${key}`, value: text, rule: 'must be a whole number >= 1', fix: `set it to a number such as ${example}` });
    }
    return value;
  }

  public list(key: string): string[] {
    const value = this.config.getObject<unknown>(key);
    if (value === undefined) return [];
    if (!Array.isArray(value) || value.some((v) => typeof v !== 'string')) {
      throw PlatformError.of({ path: `stack ${this.stack}`, field: `config ${CONFIG_NAMESPACE}:${key}`, value, rule: 'must be a list of strings', fix: 'write a YAML list of names' });
    }
    return value as string[];
  }

  /** A map of names to lists of strings (`ciSubjects`); undefined when the key is not set. */
  public listMap(key: string, example: string): Record<string, string[]> | undefined {
    const value = this.config.getObject<unknown>(key);
    if (value === undefined) return undefined;
    const isListMap = value !== null && typeof value === 'object' && !Array.isArray(value)
      && Object.values(value).every((v) => Array.isArray(v) && v.every((x) => typeof x === 'string'));
    if (!isListMap) {
      throw PlatformError.of({ path: `stack ${this.stack}`, field: `config ${CONFIG_NAMESPACE}:${key}`, value, rule: 'must be a map of names to lists of strings', fix: `write a YAML map, e.g. ${example}` });
    }
    return value as Record<string, string[]>;
  }

  /** A map of names to anything; undefined when the key is not set. */
  public object(key: string): Record<string, unknown> | undefined {
    const value = this.config.getObject<unknown>(key);
    if (value === undefined) return undefined;
    if (value === null || typeof value !== 'object' || Array.isArray(value)) {
      throw PlatformError.of({ path: `stack ${this.stack}`, field: `config ${CONFIG_NAMESPACE}:${key}`, value, rule: 'must be a map', fix: 'write a YAML map' });
    }
    return value as Record<string, unknown>;
  }

  public map(key: string): Record<string, string> {
    const value = this.config.getObject<unknown>(key);
    if (value === undefined) return {};
    if (value === null || typeof value !== 'object' || Array.isArray(value) || Object.values(value).some((v) => typeof v !== 'string')) {
      throw PlatformError.of({ path: `stack ${this.stack}`, field: `config ${CONFIG_NAMESPACE}:${key}`, value, rule: 'must be a map of names to strings', fix: 'write a YAML map, e.g. example.com: Z0123456789ABC' });
    }
    return value as Record<string, string>;
  }

  public secret(key: string): pulumi.Output<string> | undefined {
    return this.config.getSecret(key);
  }

  public secretMap(key: string): pulumi.Output<Readonly<Record<string, string>>> | undefined {
    return this.config.getSecretObject<Record<string, string>>(key);
  }

  public secretObject(key: string): pulumi.Output<Readonly<Record<string, string>>> | undefined {
    return this.config.getSecretObject<Record<string, string>>(key);
  }
}

const ACCOUNT = /^\d{12}$/;

function common(stack: string, r: Reader): { accountId: string; region: string; owner: string } {
  const accountId = r.string('accountId', '111122223333');
  if (!ACCOUNT.test(accountId)) {
    throw PlatformError.of({ path: `stack ${stack}`, field: `config ${CONFIG_NAMESPACE}:accountId`, value: accountId, rule: 'is not a 12-digit AWS account id', fix: 'write the account id the stack deploys to' });
  }
  return { accountId, region: r.string('region', 'eu-west-1'), owner: r.string('owner', 'platform-team') };
}

/** Reads an environment stack's config; a missing key fails with the command that sets it. */
export function readEnvironmentConfig(stack: string): EnvironmentConfig {
  const r = new Reader(stack);
  const dnsZoneId = r.optional('dnsZoneId');
  const pullArn = r.optional('registryPullSecretArn');
  return {
    ...common(stack, r),
    deployerRoleArn: r.string('deployerRoleArn', `arn:aws:iam::111122223333:role/platform-deployer-${stack}`),
    ...(dnsZoneId === undefined ? {} : { dnsZoneId }),
    hostedZoneIds: r.map('hostedZoneIds'),
    flowLogRetentionDays: r.number('flowLogRetentionDays', '90'),
    etcdSnapshotRetainCount: r.number('etcdSnapshotRetainCount', '14'),
    etcdBackupRetentionDays: r.number('etcdBackupRetentionDays', '90'),
    validateTimeout: r.string('validateTimeout', '20m'),
    kopsVersion: r.optional('kopsVersion') ?? '1.36.0',
    encryptionKeyNames: r.list('encryptionKeyNames'),
    rollingUpdate: r.list('rollingUpdate'),
    protectCluster: r.optional('protectCluster') !== 'false',
    ...(pullArn === undefined ? {} : { registryPullSecretArn: pullArn }),
  };
}

/**
 * Reads the secret config of an environment stack: the pull secret (from config or, failing that,
 * Secrets Manager) and one map per declared addon Secret; a declared Secret with no config fails,
 * naming the command for every key.
 */
export function readSecrets(stack: string, fromSecretsManager: (arn: string) => pulumi.Output<string>, pullSecretArn: string | undefined, declared: readonly SecretDeclaration[]): PlatformSecrets {
  const r = new Reader(stack);
  const pull = r.secret('registryPullSecret') ?? (pullSecretArn === undefined ? undefined : fromSecretsManager(pullSecretArn));
  if (pull === undefined) {
    throw PlatformError.of({
      path: `stack ${stack}`, field: `config ${CONFIG_NAMESPACE}:registryPullSecret`, rule: 'is not set (nor registryPullSecretArn)',
      fix: `pulumi config set --secret ${CONFIG_NAMESPACE}:registryPullSecret "$(cat dockerconfig.json)" -s ${stack}`,
    });
  }
  const byKey = new Map<string, SecretDeclaration[]>();
  for (const d of writtenByStack(declared)) byKey.set(d.configKey, [...(byKey.get(d.configKey) ?? []), d]);
  const missing = [...byKey].filter(([key]) => r.secretObject(key) === undefined);
  if (missing.length > 0) {
    throw PlatformError.of({
      path: `stack ${stack}`, field: 'secret config', value: missing.map(([key]) => `${CONFIG_NAMESPACE}:${key}`).join(', '),
      rule: "is not set, and the cluster's addons read these Secrets",
      fix: missing.map(([key, ds]) => `${[...new Set(ds.flatMap((d) => d.keys))].map((k) => secretCommand(stack, key, k)).join('; ')} (${ds[0]?.description ?? ''})`).join('; '),
    });
  }
  return {
    registryPullSecret: pull,
    addonSecrets: new Map([...byKey.keys()].flatMap((key) => {
      const value = r.secretObject(key);
      return value === undefined ? [] : [[key, value] as const];
    })),
  };
}

/** Reads the API server's encryption keys (secret `encryptionKeys`, name -> base64 key); the names come from `encryptionKeyNames`. */
export function readEncryptionKeys(stack: string): pulumi.Output<Readonly<Record<string, string>>> {
  const keys = new Reader(stack).secretMap('encryptionKeys');
  if (keys === undefined) {
    throw PlatformError.of({
      path: `stack ${stack}`, field: `config ${CONFIG_NAMESPACE}:encryptionKeys`, rule: 'is not set, and the cluster encrypts Secrets at rest',
      fix: `pulumi config set --secret --path '${CONFIG_NAMESPACE}:encryptionKeys.key-1' "$(head -c 32 /dev/urandom | base64)" -s ${stack}`,
    });
  }
  return keys;
}

/** Reads the bootstrap stack's config. */
export function readBootstrapConfig(stack: string): BootstrapConfig {
  const r = new Reader(stack);
  const ciSubjects = r.listMap('ciSubjects', 'prod: [repo:example/platform:environment:prod]');
  if (ciSubjects === undefined) {
    throw PlatformError.of({
      path: `stack ${stack}`, field: `config ${CONFIG_NAMESPACE}:ciSubjects`, rule: 'is not set',
      fix: `pulumi config set --path '${CONFIG_NAMESPACE}:ciSubjects.prod[0]' 'repo:example/platform:environment:prod' -s ${stack}, one list per environment (or add it to Pulumi.${stack}.yaml)`,
    });
  }
  return {
    ...common(stack, r),
    stateBackendBucket: r.string('stateBackendBucket', 'example-pulumi-state'),
    ciIssuerUrl: r.string('ciIssuerUrl', 'https://token.actions.githubusercontent.com'),
    ciSubjects,
    trustedRoleArns: r.list('trustedRoleArns'),
    ciPreviewSubjects: r.list('ciPreviewSubjects'),
    createAutoScalingServiceLinkedRole: r.optional('createAutoScalingServiceLinkedRole') !== 'false',
    ...packagesConfig(stack, r),
  };
}

const PACKAGES_EXAMPLE = '{domain: example, repository: platform, scope: example, publisherSubject: repo:example/platform:environment:release, readerRepositories: [example/shop-services]}';

/** The optional `packages` map: every field a string but `readerRepositories`, a list. */
function packagesConfig(stack: string, r: Reader): { packages?: PackagesConfig } {
  const value = r.object('packages');
  if (value === undefined) return {};
  const field = `config ${CONFIG_NAMESPACE}:packages`;
  const problems: string[] = [];
  const text = (key: string): string => {
    const v = value[key];
    if (typeof v === 'string' && v !== '') return v;
    problems.push(formatProblem({ path: `stack ${stack}`, field: `${field}.${key}`, value: v, rule: 'must be a non-empty string', fix: `write packages as ${PACKAGES_EXAMPLE}` }));
    return '';
  };
  const packages = { domain: text('domain'), repository: text('repository'), scope: text('scope'), publisherSubject: text('publisherSubject') };
  const readers = value.readerRepositories ?? [];
  if (!Array.isArray(readers) || readers.some((x) => typeof x !== 'string')) {
    problems.push(formatProblem({ path: `stack ${stack}`, field: `${field}.readerRepositories`, value: readers, rule: 'must be a list of repositories', fix: 'write a YAML list such as [example/shop-services]' }));
  }
  for (const key of Object.keys(value)) {
    if (!['domain', 'repository', 'scope', 'publisherSubject', 'readerRepositories'].includes(key)) {
      problems.push(formatProblem({ path: `stack ${stack}`, field: `${field}.${key}`, value: key, rule: 'is not a packages setting', fix: `remove it; packages takes ${PACKAGES_EXAMPLE}` }));
    }
  }
  if (problems.length > 0) throw new PlatformError(problems);
  return { packages: { ...packages, readerRepositories: readers as string[] } };
}

/** A GitHub Actions token subject of a job bound to an environment: `repo:<owner>/<repo>:environment:<env>`, no wildcard. */
const ENVIRONMENT_SUBJECT = /^repo:[^:*?]+\/[^:*?]+:environment:([^:*?]+)$/;

/**
 * Checks `ciSubjects` against the environments of the clusters: every environment has subjects,
 * none is unknown, and each subject is exactly a job of that environment (no wildcard, no other
 * environment's name), so a role trusts only its own environment's jobs. All problems at once.
 */
export function checkCiSubjects(stack: string, ciSubjects: Readonly<Record<string, readonly string[]>>, environments: readonly string[]): void {
  const field = `config ${CONFIG_NAMESPACE}:ciSubjects`;
  const problems: string[] = [];
  for (const env of environments) {
    if ((ciSubjects[env] ?? []).length === 0) {
      problems.push(formatProblem({
        path: `stack ${stack}`, field: `${field}.${env}`, rule: 'is not set, and every environment has its own deployer role',
        fix: `pulumi config set --path '${CONFIG_NAMESPACE}:ciSubjects.${env}[0]' 'repo:<owner>/<repo>:environment:${env}' -s ${stack}`,
      }));
    }
  }
  for (const [env, subjects] of Object.entries(ciSubjects)) {
    if (!environments.includes(env)) {
      problems.push(formatProblem({ path: `stack ${stack}`, field: `${field}.${env}`, value: env, rule: `names no environment of the clusters [${environments.join(', ')}]`, fix: 'remove it, or name an environment of a cluster in clusters/' }));
      continue;
    }
    for (const subject of subjects) {
      if (ENVIRONMENT_SUBJECT.exec(subject)?.[1] !== env) {
        problems.push(formatProblem({
          path: `stack ${stack}`, field: `${field}.${env}`, value: subject,
          rule: `is not the subject of a job bound to environment ${env} (repo:<owner>/<repo>:environment:${env}, no wildcard)`,
          fix: `write exactly repo:<owner>/<repo>:environment:${env}: the ${env} deployer must trust no other environment's jobs`,
        }));
      }
    }
  }
  if (problems.length > 0) throw new PlatformError(problems);
}
