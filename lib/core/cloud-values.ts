import { PlatformError } from './errors';

/**
 * Values only the cloud knows (VPC, subnet and NAT gateway IDs, bucket names, key ARNs) appear in
 * synthesized objects as placeholders of one fixed form:
 *
 *   `${cloud:<name>}` or `${cloud:<name>:<qualifier>[:<qualifier>...]}`
 *
 * `<name>` is a lowerCamelCase word and each qualifier is lowercase letters, digits and '-'
 * (`${cloud:vpcId}`, `${cloud:subnetId:private:eu-west-1a}`). No real AWS ID, ARN or bucket name
 * contains `${`, so a placeholder can never be mistaken for a value. The offline synth writes them;
 * the Pulumi stack fills the real values into the same objects with {@link fillCloudValues}.
 * Which objects exist, and their names, never depend on these values.
 */
export type CloudValue = string;

const NAME = /^[a-z][a-zA-Z0-9]*$/;
const QUALIFIER = /^[a-z0-9][a-z0-9-]*$/;
/** Matches one placeholder anywhere in a string. */
export const CLOUD_VALUE_PATTERN = /\$\{cloud:[a-z][a-zA-Z0-9]*(?::[a-z0-9][a-z0-9-]*)*\}/g;

/** Builds the placeholder for a cloud value: `cloudValue('subnetId', 'private', 'eu-west-1a')`. */
export function cloudValue(name: string, ...qualifiers: readonly string[]): CloudValue {
  if (!NAME.test(name) || qualifiers.some((q) => !QUALIFIER.test(q))) {
    throw PlatformError.of({
      path: 'CloudValue', field: 'name', value: [name, ...qualifiers].join(':'), rule: 'is not a valid cloud value name',
      fix: "use a lowerCamelCase name and qualifiers of lowercase letters, digits and '-'",
    });
  }
  return `\${cloud:${[name, ...qualifiers].join(':')}}`;
}

/** The cloud values the kops objects refer to, one function per kind, so every placeholder is spelled once. */
export const CloudValues = {
  /** The ID of the VPC the stack creates from the network plan. */
  vpcId: (): CloudValue => cloudValue('vpcId'),
  /** The ID of the subnet of `type` in `zone`. */
  subnetId: (type: 'private' | 'utility', zone: string): CloudValue => cloudValue('subnetId', type, zone),
  /**
   * The Route53 hosted zone ID of a DNS zone: `${cloud:hostedZoneId:example-com}` for
   * `example.com` (dots become '-', the qualifier alphabet). kops's cert-manager and the ACME
   * issuers' DNS-01 solver both name it.
   */
  hostedZoneId: (dnsZone: string): CloudValue => cloudValue('hostedZoneId', dnsZone.toLowerCase().replace(/\./g, '-')),
  /** The ID of the NAT gateway that lives in `zone`. */
  natGatewayId: (zone: string): CloudValue => cloudValue('natGatewayId', zone),
  /** The name of the kops state store bucket. */
  stateStoreBucket: (): CloudValue => cloudValue('stateStoreBucket'),
  /** The name of the publicly readable bucket holding the service-account issuer discovery documents. */
  discoveryBucket: (): CloudValue => cloudValue('discoveryBucket'),
  /** The name of the cluster's etcd-backup bucket (versioned, with lifecycle expiry), apart from the state store. */
  etcdBackupBucket: (): CloudValue => cloudValue('etcdBackupBucket'),
  /** The ARN of the cluster's KMS key (etcd and root volumes). */
  kmsKeyArn: (): CloudValue => cloudValue('kmsKeyArn'),
  /** The AWS account the cluster runs in (the ARNs of the roles kops creates for ServiceAccounts). */
  accountId: (): CloudValue => cloudValue('accountId'),
  /** The ARN of the permissions boundary every role kops creates carries (`spec.iam.permissionsBoundary`). */
  permissionsBoundaryArn: (): CloudValue => cloudValue('permissionsBoundaryArn'),
} as const;

function walk(value: unknown, onString: (s: string) => string): unknown {
  if (typeof value === 'string') return onString(value);
  if (Array.isArray(value)) return value.map((v) => walk(v, onString));
  if (value !== null && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) out[k] = walk(v, onString);
    return out;
  }
  return value;
}

/** Every placeholder in a (JSON-like) value, sorted and without repeats: what the stack must supply. */
export function listCloudValues(value: unknown): string[] {
  const found = new Set<string>();
  walk(value, (s) => {
    for (const m of s.matchAll(CLOUD_VALUE_PATTERN)) found.add(m[0]);
    return s;
  });
  return [...found].sort();
}

/**
 * A copy of `value` with every placeholder replaced by its real value. `values` is keyed by the
 * placeholder text (`'${cloud:vpcId}'`); a placeholder without a value is an error, so a
 * half-filled object never reaches kops.
 */
export function fillCloudValues<T>(value: T, values: Readonly<Record<string, string>>): T {
  const missing = listCloudValues(value).filter((p) => values[p] === undefined);
  if (missing.length > 0) {
    throw PlatformError.of({
      path: 'CloudValues', field: 'values', value: missing.join(', '), rule: 'lack a value for these placeholders',
      fix: 'supply every placeholder listCloudValues() reports',
    });
  }
  return walk(value, (s) => s.replace(CLOUD_VALUE_PATTERN, (p) => values[p] ?? p)) as T;
}
