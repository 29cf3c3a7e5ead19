import * as aws from '@pulumi/aws';
import * as pulumi from '@pulumi/pulumi';
import { checkArgs } from './args-check';

/** Inputs of {@link VpcEndpoints}. */
export interface VpcEndpointsArgs {
  /** The VPC. */
  readonly vpcId: pulumi.Input<string>;
  /** The VPC's CIDR: the only source the STS endpoint admits. */
  readonly vpcCidr: string;
  /** The region (endpoint service names are per region). */
  readonly region: string;
  /** The private subnets the STS interface endpoint gets an address in. */
  readonly privateSubnetIds: readonly pulumi.Input<string>[];
  /** The private route tables the S3 gateway endpoint is added to. */
  readonly privateRouteTableIds: readonly pulumi.Input<string>[];
}

/**
 * Endpoints so pods with workload identities reach STS (AssumeRoleWithWebIdentity, an interface
 * endpoint with private DNS), Secrets Manager (the External Secrets Operator's reads, an interface
 * endpoint with private DNS, so its egress is HTTPS to the VPC only) and S3 (a gateway endpoint)
 * without leaving the VPC.
 */
export class VpcEndpoints extends pulumi.ComponentResource {
  /** The STS interface endpoint's ID. */
  public readonly stsEndpointId: pulumi.Output<string>;
  /** The Secrets Manager interface endpoint's ID. */
  public readonly secretsManagerEndpointId: pulumi.Output<string>;
  /** The S3 gateway endpoint's ID. */
  public readonly s3EndpointId: pulumi.Output<string>;

  public constructor(name: string, args: VpcEndpointsArgs, opts?: pulumi.ComponentResourceOptions) {
    checkArgs('platform:aws:VpcEndpoints', name, VpcEndpoints, args);
    super('platform:aws:VpcEndpoints', name, {}, opts);
    const child = { parent: this };
    const sg = new aws.ec2.SecurityGroup(`${name}-sts`, {
      vpcId: args.vpcId,
      description: 'HTTPS from the VPC to the STS and Secrets Manager endpoints',
      ingress: [{ protocol: 'tcp', fromPort: 443, toPort: 443, cidrBlocks: [args.vpcCidr], description: 'HTTPS from the VPC' }],
    }, child);
    const sts = new aws.ec2.VpcEndpoint(`${name}-sts`, {
      vpcId: args.vpcId, serviceName: `com.amazonaws.${args.region}.sts`, vpcEndpointType: 'Interface',
      privateDnsEnabled: true, subnetIds: [...args.privateSubnetIds], securityGroupIds: [sg.id],
    }, child);
    const secretsManager = new aws.ec2.VpcEndpoint(`${name}-secretsmanager`, {
      vpcId: args.vpcId, serviceName: `com.amazonaws.${args.region}.secretsmanager`, vpcEndpointType: 'Interface',
      privateDnsEnabled: true, subnetIds: [...args.privateSubnetIds], securityGroupIds: [sg.id],
    }, child);
    const s3 = new aws.ec2.VpcEndpoint(`${name}-s3`, {
      vpcId: args.vpcId, serviceName: `com.amazonaws.${args.region}.s3`, vpcEndpointType: 'Gateway', routeTableIds: [...args.privateRouteTableIds],
    }, child);
    this.stsEndpointId = sts.id;
    this.secretsManagerEndpointId = secretsManager.id;
    this.s3EndpointId = s3.id;
    this.registerOutputs({ stsEndpointId: this.stsEndpointId, secretsManagerEndpointId: this.secretsManagerEndpointId, s3EndpointId: this.s3EndpointId });
  }
}
