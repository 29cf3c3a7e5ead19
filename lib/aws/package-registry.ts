import * as aws from '@pulumi/aws';
import * as pulumi from '@pulumi/pulumi';
import { PlatformError, formatProblem } from '../core/errors';
import {
  PACKAGE_BOUNDARY_NAME, PACKAGE_PUBLISHER_ROLE_NAME, PACKAGE_READER_ROLE_NAME, packageBoundaryPolicy, packagePublisherPolicy, packageReaderPolicy, packageTrustPolicy,
} from './package-policy';
import { checkArgs } from './args-check';

/** Inputs of {@link PackageRegistry}. */
export interface PackageRegistryArgs {
  /** The AWS account (the domain owner). */
  readonly accountId: string;
  /** The region of the domain. */
  readonly region: string;
  /** The CodeArtifact domain (`example`): the registry host is `<domain>-<account>.d.codeartifact.<region>.amazonaws.com`. */
  readonly domain: string;
  /** The repository (`platform`), package.json `publishConfig.registry`'s last segment. */
  readonly repository: string;
  /** The npm scope published there, without `@` (`example`). */
  readonly scope: string;
  /** The ARN of GitHub's OIDC provider in the account. */
  readonly oidcProviderArn: pulumi.Input<string>;
  /** The issuer's host (`token.actions.githubusercontent.com`). */
  readonly issuerHost: string;
  /** The audience of the tokens. @default 'sts.amazonaws.com' */
  readonly audience?: string;
  /** The token subject of the release job, exactly (`repo:example/platform:environment:release`). */
  readonly publisherSubject: string;
  /** The service repositories (`example/shop-services`) whose workflows read the packages. @default [] (no reader role) */
  readonly readerRepositories?: readonly string[];
}

/** A job bound to a GitHub environment: the only subject a publisher may trust (a reviewed, protected environment). */
const ENVIRONMENT_SUBJECT = /^repo:[A-Za-z0-9_.-]+\/[A-Za-z0-9_.-]+:environment:[A-Za-z0-9_.-]+$/;
/** `owner/name`, as GitHub spells a repository: no wildcard, which would let any repository in. */
const REPOSITORY = /^[A-Za-z0-9_.-]+\/[A-Za-z0-9_.-]+$/;

/** Refuses a publisher subject that is not exactly an environment's job, and a reader repository that is not `owner/name`: all at once. */
function checkTrust(path: string, args: PackageRegistryArgs): void {
  const problems: string[] = [];
  if (!ENVIRONMENT_SUBJECT.test(args.publisherSubject)) {
    problems.push(formatProblem({
      path, field: 'args.publisherSubject', value: args.publisherSubject, rule: 'is not the subject of a job bound to a GitHub environment (repo:<owner>/<repo>:environment:<name>, no wildcard)',
      fix: 'write exactly the release job\'s subject, e.g. repo:example/platform:environment:release',
    }));
  }
  for (const r of args.readerRepositories ?? []) {
    if (!REPOSITORY.test(r)) problems.push(formatProblem({ path, field: 'args.readerRepositories', value: r, rule: 'is not a repository owner/name (no wildcard, no repo: prefix)', fix: 'write the repository as GitHub spells it, e.g. example/shop-services' }));
  }
  if (problems.length > 0) throw new PlatformError(problems);
}

/**
 * The company's npm registry: a CodeArtifact domain and repository, the role the release job
 * publishes as (`platform-package-publisher`, trusted only by the release environment's job, may
 * only publish the scope's packages) and the role service repositories read as
 * (`platform-packages-read`, trusted by the declared repositories' workflows, read only). Both
 * carry `platform-package-boundary`. No upstream to npmjs: the repos send only `@<scope>/*` here
 * (their `.npmrc`), so nothing public is ever served under the company's name from this
 * repository — a scoped name missing here fails instead of being fetched from the public
 * registry. The domain is encrypted with the AWS-managed CodeArtifact key.
 */
export class PackageRegistry extends pulumi.ComponentResource {
  /** The repository's npm endpoint (package.json `publishConfig.registry`). */
  public readonly registryUrl: string;
  /** The publisher role's ARN. */
  public readonly publisherRoleArn: pulumi.Output<string>;
  /** The reader role's ARN, when reader repositories are given. */
  public readonly readerRoleArn: pulumi.Output<string> | undefined;

  public constructor(name: string, args: PackageRegistryArgs, opts?: pulumi.ComponentResourceOptions) {
    checkTrust(`platform:aws:PackageRegistry ${name}`, args);
    checkArgs('platform:aws:PackageRegistry', name, PackageRegistry, args);
    super('platform:aws:PackageRegistry', name, {}, opts);
    const readers = args.readerRepositories ?? [];
    const scope = { accountId: args.accountId, region: args.region, domain: args.domain, repository: args.repository, scope: args.scope };
    const trust = { issuerHost: args.issuerHost, audience: args.audience ?? 'sts.amazonaws.com' };

    const domain = new aws.codeartifact.Domain(name, { domain: args.domain }, { parent: this });
    const repository = new aws.codeartifact.Repository(name, {
      domain: domain.domain, domainOwner: args.accountId, repository: args.repository, description: `The @${args.scope} packages`,
    }, { parent: this });
    const boundary = new aws.iam.Policy(`${name}-boundary`, {
      name: PACKAGE_BOUNDARY_NAME,
      description: `The most a package role may do: CodeArtifact tokens, and ${args.domain}/${args.repository} only`,
      policy: JSON.stringify(packageBoundaryPolicy(scope)),
    }, { parent: this });

    const publisher = new aws.iam.Role(`${name}-publisher`, {
      name: PACKAGE_PUBLISHER_ROLE_NAME,
      description: `Publishes @${args.scope}/* to ${args.domain}/${args.repository} (the release job)`,
      assumeRolePolicy: pulumi.output(args.oidcProviderArn).apply((providerArn) => JSON.stringify(packageTrustPolicy({ ...trust, providerArn, subjects: [args.publisherSubject] }))),
      permissionsBoundary: boundary.arn,
      maxSessionDuration: 3600,
    }, { parent: this });
    new aws.iam.RolePolicy(`${name}-publisher`, { role: publisher.id, policy: JSON.stringify(packagePublisherPolicy(scope)) }, { parent: this, dependsOn: [repository] });
    this.publisherRoleArn = publisher.arn;

    if (readers.length > 0) {
      const reader = new aws.iam.Role(`${name}-reader`, {
        name: PACKAGE_READER_ROLE_NAME,
        description: `Reads ${args.domain}/${args.repository} (service repositories' CI)`,
        assumeRolePolicy: pulumi.output(args.oidcProviderArn).apply((providerArn) => JSON.stringify(packageTrustPolicy({ ...trust, providerArn, repositories: readers }))),
        permissionsBoundary: boundary.arn,
        maxSessionDuration: 3600,
      }, { parent: this });
      new aws.iam.RolePolicy(`${name}-reader`, { role: reader.id, policy: JSON.stringify(packageReaderPolicy(scope)) }, { parent: this, dependsOn: [repository] });
      this.readerRoleArn = reader.arn;
    } else {
      this.readerRoleArn = undefined;
    }
    this.registryUrl = `https://${args.domain}-${args.accountId}.d.codeartifact.${args.region}.amazonaws.com/npm/${args.repository}/`;
    this.registerOutputs({ publisherRoleArn: this.publisherRoleArn, readerRoleArn: this.readerRoleArn, registryUrl: this.registryUrl });
  }
}
