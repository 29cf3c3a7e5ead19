import { PlatformError } from '../core';

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

/**
 * The resolved OIDC settings: the one place the user and group prefixes are defined. RBAC
 * bindings elsewhere name subjects through {@link OidcSettings.group} and {@link OidcSettings.user}.
 */
export class OidcSettings {
  public static of(props: OidcProps): OidcSettings {
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
    return new OidcSettings(
      props.issuerUrl, props.clientId, props.usernameClaim ?? 'email', props.groupsClaim ?? 'groups',
      props.usernamePrefix ?? 'oidc:', props.groupsPrefix ?? 'oidc:',
    );
  }

  private constructor(
    public readonly issuerUrl: string,
    public readonly clientId: string,
    public readonly usernameClaim: string,
    public readonly groupsClaim: string,
    public readonly usernamePrefix: string,
    public readonly groupsPrefix: string,
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
