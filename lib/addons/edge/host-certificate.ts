import { Construct } from 'constructs';
import { Certificate } from '../../../imports/cert-manager.io';
import { DnsName, Platform, PlatformError, checkDnsLabel, pathOf } from '../../core';
import { checkProps } from '../../core/props-check';

/** Props of a {@link HostCertificate}. */
export interface HostCertificateProps {
  /** The host names it covers (`api.example.com`, `*.shop.example.com`). */
  readonly hosts: readonly string[];
  /** The Secret cert-manager writes the key pair to, in the chart's namespace. */
  readonly secretName: string;
  /** The ClusterIssuer that signs it. @default Platform.clusterIssuer */
  readonly issuer?: string;
}


/**
 * A cert-manager Certificate for host names no GatewayRoute covers (a wildcard for a ListenerSet
 * written by hand). Routes of WebServices need none: GatewayRoute writes the Certificate of its
 * host. The edge's checks accept an HTTPS listener whose Secret a HostCertificate fills.
 */
export class HostCertificate extends Construct {
  /** The Certificate object. */
  public readonly certificate: Certificate;

  public constructor(scope: Construct, id: string, props: HostCertificateProps) {
    super(scope, id);
    props = checkProps(this, HostCertificate, props);
    const issuer = props.issuer ?? Platform.clusterIssuer;
    if (props.hosts.length === 0) {
      throw PlatformError.at(this, { field: 'hosts', value: [], rule: 'must name at least one host', fix: "list the host names, e.g. ['api.example.com']" });
    }
    for (const host of props.hosts) {
      if (!DnsName.isValid(host, { wildcard: true })) {
        throw PlatformError.at(this, { field: 'hosts', value: host, rule: 'is not a fully qualified lowercase DNS name', fix: "write a host such as 'api.example.com' or '*.example.com'" });
      }
    }
    checkDnsLabel(props.secretName, { path: pathOf(this), field: 'secretName' });
    this.certificate = new Certificate(this, 'certificate', {
      metadata: { name: props.secretName, labels: { 'app.kubernetes.io/managed-by': Platform.managedBy } },
      spec: {
        secretName: props.secretName,
        dnsNames: [...props.hosts],
        issuerRef: { name: issuer, kind: 'ClusterIssuer', group: 'cert-manager.io' },
      },
    });
  }
}
