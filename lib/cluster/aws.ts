/**
 * The EC2 instance types the platform allows: a small, real list of current general-purpose,
 * compute-, memory- and burstable types. A type outside it is refused, which catches typos
 * (`m6i.larg`) before kops or the EC2 API would.
 */
export const KNOWN_INSTANCE_TYPES: ReadonlySet<string> = new Set([
  't3.medium', 't3.large', 't3.xlarge', 't3.2xlarge',
  'm5.large', 'm5.xlarge', 'm5.2xlarge', 'm5.4xlarge',
  'm5a.large', 'm5a.xlarge', 'm5a.2xlarge',
  'm6a.large', 'm6a.xlarge', 'm6a.2xlarge', 'm6a.4xlarge',
  'm6i.large', 'm6i.xlarge', 'm6i.2xlarge', 'm6i.4xlarge', 'm6i.8xlarge',
  'm7i.large', 'm7i.xlarge', 'm7i.2xlarge', 'm7i.4xlarge',
  'c5.large', 'c5.xlarge', 'c5.2xlarge',
  'c6i.large', 'c6i.xlarge', 'c6i.2xlarge', 'c6i.4xlarge',
  'c7i.large', 'c7i.xlarge', 'c7i.2xlarge',
  'r5.large', 'r5.xlarge', 'r5.2xlarge',
  'r6i.large', 'r6i.xlarge', 'r6i.2xlarge', 'r6i.4xlarge',
]);

/** Whether `zone` is an availability zone of `region` (`eu-west-1a` of `eu-west-1`). */
export function isZoneOf(zone: string, region: string): boolean {
  return zone.length === region.length + 1 && zone.startsWith(region) && /[a-z]$/.test(zone);
}
