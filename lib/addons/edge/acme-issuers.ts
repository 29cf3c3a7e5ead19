import { Construct } from 'constructs';
import { ClusterIssuer } from '../../../imports/cert-manager.io';
import { Platform, PlatformError } from '../../core';
import { checkProps } from '../../core/props-check';

/** Let's Encrypt's two ACME directories: production (trusted, tight rate limits) and staging (untrusted, for tests). */
export const ACME_SERVERS = {
  production: 'https://acme-v02.api.letsencrypt.org/directory',
  staging: 'https://acme-staging-v02.api.letsencrypt.org/directory',
} as const;

/** Which ACME directory an issuer uses. */
export type AcmeServer = keyof typeof ACME_SERVERS;

/** Props of {@link AcmeIssuers}. */
export interface AcmeIssuersProps {
  /** The ACME account's contact address (expiry and revocation notices). */
  readonly email: string;
  /** The DNS zone the issuers solve DNS-01 challenges in. */
  readonly dnsZone: string;
  /** The Route53 hosted zone ID of `dnsZone` (a cloud value placeholder offline). */
  readonly hostedZoneId: string;
  /** The AWS region cert-manager's Route53 client uses. */
  readonly region: string;
  /** The directory of the platform issuer ({@link Platform.clusterIssuer}, the one every route's Certificate names). @default 'production' */
  readonly platformIssuer?: AcmeServer;
}

const EMAIL = /^[^@\s]+@[^@\s]+\.[^@\s]+$/;

/**
 * The cluster's cert-manager ClusterIssuers: {@link Platform.clusterIssuer}, which every route's
 * Certificate names, and {@link Platform.stagingClusterIssuer} on Let's Encrypt staging. Both solve DNS-01 in
 * Route53 with cert-manager's ambient credentials: the IAM role kops creates for
 * `kube-system/cert-manager`, scoped to the hosted zones of `spec.certManager.hostedZoneIDs`.
 */
export class AcmeIssuers extends Construct {
  /** The issuer every route's Certificate names. */
  public readonly platform: ClusterIssuer;
  /** The issuer on Let's Encrypt staging. */
  public readonly staging: ClusterIssuer;
  /** The names of both issuers. */
  public readonly names: readonly string[];

  public constructor(scope: Construct, id: string, props: AcmeIssuersProps) {
    super(scope, id);
    props = checkProps(this, AcmeIssuers, props);
    const platformIssuer = props.platformIssuer ?? 'production';
    if (!EMAIL.test(props.email)) {
      throw PlatformError.at(this, { field: 'acmeEmail', value: props.email, rule: 'is not an email address', fix: "give the team address Let's Encrypt sends expiry notices to, e.g. 'platform@example.com'" });
    }
    this.platform = this.issuer('platform', Platform.clusterIssuer, ACME_SERVERS[platformIssuer], props);
    this.staging = this.issuer('staging', Platform.stagingClusterIssuer, ACME_SERVERS.staging, props);
    this.names = [Platform.clusterIssuer, Platform.stagingClusterIssuer];
  }

  private issuer(id: string, name: string, server: string, props: AcmeIssuersProps): ClusterIssuer {
    return new ClusterIssuer(this, id, {
      metadata: { name, labels: { 'app.kubernetes.io/name': 'cert-manager', 'app.kubernetes.io/component': 'issuer', 'app.kubernetes.io/managed-by': Platform.managedBy } },
      spec: {
        acme: {
          email: props.email,
          server,
          privateKeySecretRef: { name: `${name}-account-key` },
          solvers: [{
            selector: { dnsZones: [props.dnsZone] },
            dns01: { route53: { region: props.region, hostedZoneId: props.hostedZoneId } },
          }],
        },
      },
    });
  }
}
