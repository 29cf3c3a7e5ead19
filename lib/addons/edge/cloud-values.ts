import { CloudValues, type CloudValue } from '../../core/cloud-values';

/** The cloud values the edge addon refers to; each is spelled once, in `lib/core/cloud-values.ts`. */
export const EdgeCloudValues = {
  /** The Route53 hosted zone ID of a DNS zone (`${cloud:hostedZoneId:example-com}`). */
  hostedZoneId: (dnsZone: string): CloudValue => CloudValues.hostedZoneId(dnsZone),
} as const;
