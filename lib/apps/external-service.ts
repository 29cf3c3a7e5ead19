import { Chart } from 'cdk8s';
import { Construct } from 'constructs';
import { k8s } from 'cdk8s-plus-27';
import { Cidr, type CidrLike, DnsName, Environment, PlatformError, checkDnsLabel, isIpv4, parseAt, pathOf, standardLabels } from '../core';
import type { PortProps } from './container';
import { overrideFor } from './overrides';
import { checkProps } from '../core/props-check';

/**
 * What may differ per environment: where the service is. Setting any field replaces all of the
 * base's (an environment may reach by DNS name what another reaches by address).
 */
export interface ExternalServiceOverrides {
  /** The DNS name in this environment. @default - the base's */
  readonly dnsName?: string;
  /** The address blocks the DNS name resolves into in this environment. @default - the base's, when dnsName is not overridden either */
  readonly addressRanges?: readonly CidrLike[];
  /** The addresses in this environment (its own database, inside its own VPC). @default - the base's */
  readonly addresses?: readonly string[];
}

/** Props of an {@link ExternalService}: exactly one of `dnsName` and `addresses`. */
export interface ExternalServiceProps {
  /** A DNS name outside the cluster: an ExternalName Service aliases it (`db.internal.example.com`). @default - not a DNS alias */
  readonly dnsName?: string;
  /**
   * With `dnsName`: the address blocks the name resolves into (a managed database's subnets), so
   * services may `allowTo` it — a NetworkPolicy selects addresses, never names. Stated once here,
   * for every service that reaches it; inside a cluster definition each block must lie within the
   * team's `externalAddresses` or the namespace's `egressTo`. @default [] - no service may allowTo it
   */
  readonly addressRanges?: readonly CidrLike[];
  /** IPv4 addresses outside the cluster: a selector-less Service plus an EndpointSlice point at them. @default - not by address */
  readonly addresses?: readonly string[];
  /** The ports the external service listens on; required with `addresses`. @default [] */
  readonly ports?: readonly PortProps[];
  /** The namespace. @default - the enclosing Chart's namespace */
  readonly namespace?: string;
  /** Per-environment changes, keyed by environment name. @default {} */
  readonly overrides?: Readonly<Record<string, ExternalServiceOverrides>>;
}


/**
 * A database or another service outside the cluster, reachable from pods by a Service name
 * (`orders-db.shop.svc`) as if it were inside: Postgres, Redis or Elasticsearch on their own hosts.
 * Each environment has its own: give the others' addresses in `overrides`.
 *
 * @example
 * new ExternalService(chart, 'orders-db', {
 *   addresses: ['10.10.200.10'],
 *   ports: [{ name: 'postgres', port: 5432 }],
 *   overrides: { stage: { addresses: ['10.20.200.10'] } },
 * });
 * // Known by DNS name: state the blocks the name resolves into, and services may allowTo it.
 * new ExternalService(chart, 'search', {
 *   dnsName: 'search.internal.example.com',
 *   addressRanges: ['10.10.210.0/24'],
 *   ports: [{ name: 'https', port: 443 }],
 * });
 */
export class ExternalService extends Construct {
  /** The Service's name. */
  public readonly name: string;
  /** The namespace. */
  public readonly namespace: string;
  /** The addresses, when given by address (network policies allow egress to exactly these). */
  public readonly addresses: readonly string[];
  /** The blocks its DNS name resolves into, when known by name (network policies allow egress to these). */
  public readonly addressRanges: readonly string[];
  /** The ports. */
  public readonly ports: readonly PortProps[];

  public constructor(scope: Construct, id: string, props: ExternalServiceProps) {
    super(scope, id);
    props = checkProps(this, ExternalService, props);
    const path = pathOf(this);
    this.name = checkDnsLabel(id, { path, field: 'id' });
    const ns = props.namespace ?? Chart.of(this).namespace;
    if (ns === undefined) throw PlatformError.at(this, { field: 'namespace', rule: 'is not set', fix: 'set namespace, or create the service in a Chart that has one' });
    this.namespace = checkDnsLabel(ns, { path, field: 'namespace' });
    const o = props.overrides === undefined ? {} : overrideFor(this, props.overrides);
    // dnsName or addresses in an override replace the base's whereabouts (and its ranges); addressRanges alone changes only the ranges.
    const located = o.dnsName !== undefined || o.addresses !== undefined;
    const here = props.overrides === undefined ? '' : `overrides.${Environment.of(this).name}.`;
    const where = located ? here : '';
    const { dnsName, addresses } = located ? o : props;
    const addressRanges = o.addressRanges ?? (located ? undefined : props.addressRanges);
    const rangesAt = o.addressRanges === undefined ? where : here;
    this.addresses = addresses ?? [];
    this.addressRanges = (addressRanges ?? []).map((c, i) => parseAt(this, `${rangesAt}addressRanges[${i}]`, () => Cidr.of(c)).toString());
    this.ports = props.ports ?? [];
    if ((dnsName === undefined) === (addresses === undefined)) {
      throw PlatformError.at(this, { field: `${where}dnsName`, rule: 'and addresses are both set or both missing', fix: 'give exactly one: dnsName for a DNS alias, addresses for IPs' });
    }
    const metadata = { name: this.name, namespace: this.namespace, labels: standardLabels({ name: this.name, component: 'external' }) };
    const ports = this.ports.map((p) => ({ name: p.name, port: p.port, protocol: p.protocol ?? 'TCP' }));
    if (addresses !== undefined && this.addressRanges.length > 0) {
      throw PlatformError.at(this, {
        field: `${rangesAt}addressRanges`, value: this.addressRanges, rule: 'is for a service known by DNS name; one given by addresses is reached at exactly those',
        fix: 'drop addressRanges, or give dnsName instead of addresses',
      });
    }
    if (dnsName !== undefined) {
      if (!DnsName.isValid(dnsName)) {
        throw PlatformError.at(this, { field: `${where}dnsName`, value: dnsName, rule: 'is not a fully qualified lowercase DNS name', fix: "write a name such as 'db.internal.example.com'" });
      }
      new k8s.KubeService(this, 'service', { metadata, spec: { type: 'ExternalName', externalName: dnsName, ...(ports.length === 0 ? {} : { ports }) } });
      return;
    }
    if (this.addresses.length === 0) throw PlatformError.at(this, { field: `${where}addresses`, value: [], rule: 'must list at least one address', fix: 'give the IPs of the external service' });
    for (const address of this.addresses) {
      if (!isIpv4(address)) {
        throw PlatformError.at(this, { field: `${where}addresses`, value: address, rule: 'is not an IPv4 address (an EndpointSlice of type IPv4 holds only IPs)', fix: 'write the dotted-quad address, or use dnsName for a host name' });
      }
    }
    if (ports.length === 0) throw PlatformError.at(this, { field: 'ports', value: [], rule: 'must list at least one port with addresses', fix: 'give the port the external service listens on' });
    new k8s.KubeService(this, 'service', { metadata, spec: { type: 'ClusterIP', ports } });
    new k8s.KubeEndpointSlice(this, 'endpoints', {
      metadata: { ...metadata, labels: { ...metadata.labels, 'kubernetes.io/service-name': this.name } },
      addressType: 'IPv4',
      endpoints: [{ addresses: [...this.addresses], conditions: { ready: true } }],
      ports: ports.map((p) => ({ name: p.name, port: p.port, protocol: p.protocol })),
    });
  }
}
