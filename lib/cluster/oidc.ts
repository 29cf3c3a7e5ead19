import { PlatformError } from '../core';
import { isGithubRepository } from '../tenancy/rbac';

/** How kube-apiserver trusts an OpenID Connect provider (Dex in front of the directory) for user logins. */
export interface OidcProps {
  /** The issuer URL (https). */
  readonly issuerUrl: string;
  /** The client id the tokens are issued for. */
  readonly clientId: string;
  /** The claim that names the user. @default 'email' */
  readonly usernameClaim?: string;
  /** The claim that lists the user's groups. @default 'groups' */
  readonly groupsClaim?: string;
  /** Put before every user name, so OIDC users cannot pose as system users. @default 'oidc:' */
  readonly usernamePrefix?: string;
  /** Put before every group name. @default 'oidc:' */
  readonly groupsPrefix?: string;
}

/** The issuer of GitHub Actions' OIDC tokens (a job with `permissions: id-token: write` asks it for one). */
export const GITHUB_ACTIONS_ISSUER = 'https://token.actions.githubusercontent.com';

/**
 * How kube-apiserver trusts GitHub Actions' OIDC tokens for the deploy jobs of the repositories
 * the cluster's teams deploy from: a second JWT issuer next to the login provider's.
 */
export interface CiIssuerProps {
  /** The repositories (`owner/name`) whose deploy jobs may authenticate: the teams' `deployer.githubRepository`. */
  readonly repositories: readonly string[];
  /** The GitHub environment the jobs must run in (their token's `environment` claim): the cluster's environment (`prod`). */
  readonly environment: string;
  /** The audience the jobs ask their token for. @default - the cluster's OIDC client id (one audience per cluster, published in its descriptor) */
  readonly audience?: string;
  /** Put before the token's `sub`, so a CI identity can never be a directory user or a system user. @default 'github:' */
  readonly usernamePrefix?: string;
}

const ENVIRONMENT = /^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$/;

/** The resolved CI issuer: what the API server's configuration and the teams' deploy bindings both read. */
export class CiIssuerSettings {
  public static of(props: CiIssuerProps, clientId: string | undefined): CiIssuerSettings {
    const path = 'CiIssuerSettings';
    if (props.repositories.length === 0) {
      throw PlatformError.of({ path, field: 'repositories', value: [], rule: 'must list at least one repository', fix: 'leave the CI issuer out when no team deploys from GitHub Actions' });
    }
    for (const [i, repo] of props.repositories.entries()) {
      if (!isGithubRepository(repo)) {
        throw PlatformError.of({ path, field: `repositories[${i}]`, value: repo, rule: 'is not a GitHub repository as owner/name', fix: "write it as GitHub shows it, e.g. 'example/shop-services'" });
      }
    }
    if (!ENVIRONMENT.test(props.environment)) {
      throw PlatformError.of({ path, field: 'environment', value: props.environment, rule: 'is not an environment name (a DNS label)', fix: "use the cluster's environment, e.g. 'prod'" });
    }
    const audience = props.audience ?? clientId;
    if (audience === undefined || audience.trim() === '' || audience !== audience.trim()) {
      throw PlatformError.of({
        path, field: 'audience', value: audience, rule: 'must be a non-empty audience without surrounding spaces',
        fix: "set oidc (its client id is the cluster's audience) or give the CI issuer an audience of its own",
      });
    }
    const prefix = props.usernamePrefix ?? 'github:';
    if (prefix === '' || prefix.startsWith('system:')) {
      throw PlatformError.of({ path, field: 'usernamePrefix', value: prefix, rule: "must be non-empty and must not start with 'system:'", fix: "keep the default 'github:'" });
    }
    const repositories = [...new Set(props.repositories)].sort();
    const owners = [...new Set(repositories.map((r) => r.slice(0, r.indexOf('/'))))].sort();
    return new CiIssuerSettings(audience, prefix, props.environment, repositories, owners);
  }

  /** The issuer URL: GitHub Actions'. */
  public readonly issuerUrl = GITHUB_ACTIONS_ISSUER;

  private constructor(
    /** The audience the deploy jobs ask for. */
    public readonly audience: string,
    /** Put before every CI user name (the token's `sub`). */
    public readonly usernamePrefix: string,
    /** The GitHub environment whose jobs the cluster admits. */
    public readonly environment: string,
    /** The repositories whose jobs the cluster admits, sorted. */
    public readonly repositories: readonly string[],
    /** Their owners, sorted. */
    public readonly owners: readonly string[],
  ) {}
}

/**
 * The resolved OIDC settings: the one place the user and group prefixes are defined. RBAC
 * bindings elsewhere name subjects through {@link OidcSettings.group} and {@link OidcSettings.user},
 * and a CI deployer's through {@link OidcSettings.ci}.
 */
export class OidcSettings {
  public static of(props: OidcProps, ci?: CiIssuerSettings): OidcSettings {
    const path = 'OidcSettings';
    let url: URL | undefined;
    try {
      url = new URL(props.issuerUrl);
    } catch {
      url = undefined;
    }
    if (url === undefined || url.protocol !== 'https:' || url.search !== '' || url.hash !== '') {
      throw PlatformError.of({ path, field: 'issuerUrl', value: props.issuerUrl, rule: 'must be an https URL without query or fragment', fix: "write the issuer as https://host[/path], e.g. 'https://dex.example.com'" });
    }
    if (props.clientId.trim() === '') {
      throw PlatformError.of({ path, field: 'clientId', value: props.clientId, rule: 'must not be empty', fix: 'give the client id registered at the provider' });
    }
    const usernamePrefix = props.usernamePrefix ?? 'oidc:';
    const ciSettings = ci;
    if (ciSettings !== undefined && (ciSettings.usernamePrefix.startsWith(usernamePrefix) || usernamePrefix.startsWith(ciSettings.usernamePrefix))) {
      throw PlatformError.of({
        path: 'CiIssuerSettings', field: 'usernamePrefix', value: ciSettings.usernamePrefix, rule: `overlaps the login users' prefix ${JSON.stringify(usernamePrefix)}, so one issuer's user could be named as the other's`,
        fix: "give the two issuers prefixes neither of which starts the other ('oidc:' and 'github:')",
      });
    }
    return new OidcSettings(
      props.issuerUrl, props.clientId, props.usernameClaim ?? 'email', props.groupsClaim ?? 'groups',
      usernamePrefix, props.groupsPrefix ?? 'oidc:', ciSettings,
    );
  }

  private constructor(
    public readonly issuerUrl: string,
    public readonly clientId: string,
    public readonly usernameClaim: string,
    public readonly groupsClaim: string,
    public readonly usernamePrefix: string,
    public readonly groupsPrefix: string,
    /** The CI issuer (GitHub Actions), when a team of the cluster deploys from it. */
    public readonly ci: CiIssuerSettings | undefined,
  ) {}

  /** The RBAC subject name of a directory group (`oidc:team-orders`). */
  public group(name: string): string {
    return `${this.groupsPrefix}${name}`;
  }

  /** The RBAC subject name of a user (`oidc:jane@example.com`). */
  public user(name: string): string {
    return `${this.usernamePrefix}${name}`;
  }
}
