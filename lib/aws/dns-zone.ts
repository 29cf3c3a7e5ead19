import * as aws from '@pulumi/aws';
import * as pulumi from '@pulumi/pulumi';
import { checkArgs } from './args-check';

/** Inputs of {@link DnsZone}. */
export interface DnsZoneArgs {
  /** The zone's name (`k8s.example.com`): the cluster model's dnsZone. */
  readonly zoneName: string;
  /** An existing hosted zone to use instead of creating one. @default - a new public hosted zone named zoneName */
  readonly existingZoneId?: string;
}

/** The cluster's Route53 hosted zone: created for the cluster, or an existing one by ID. */
export class DnsZone extends pulumi.ComponentResource {
  /** The hosted zone's ID. */
  public readonly zoneId: pulumi.Output<string>;
  /** The name servers to delegate to, for a zone created here. */
  public readonly nameServers: pulumi.Output<readonly string[]>;

  public constructor(name: string, args: DnsZoneArgs, opts?: pulumi.ComponentResourceOptions) {
    checkArgs('platform:aws:DnsZone', name, DnsZone, args);
    super('platform:aws:DnsZone', name, {}, opts);
    if (args.existingZoneId === undefined) {
      const zone = new aws.route53.Zone(name, { name: args.zoneName, comment: `kops cluster records (${args.zoneName})`, forceDestroy: false }, { parent: this });
      this.zoneId = zone.zoneId;
      this.nameServers = zone.nameServers;
    } else {
      this.zoneId = pulumi.output(args.existingZoneId);
      this.nameServers = pulumi.output<readonly string[]>([]);
    }
    this.registerOutputs({ zoneId: this.zoneId, nameServers: this.nameServers });
  }
}
