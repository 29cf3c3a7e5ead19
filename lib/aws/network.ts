import * as aws from '@pulumi/aws';
import * as pulumi from '@pulumi/pulumi';
import type { NetworkPlan } from '../cluster/network-plan';
import { policyDocument } from './policies';
import { CLUSTER_TAG } from './deployer-policy';
import { sharedClusterTag, subnetTags } from './tags';
import { checkArgs } from './args-check';

/** Inputs of {@link Network}. */
export interface NetworkArgs {
  /** The cluster's DNS name (`prod.k8s.example.com`): kops and the cloud provider find shared resources by it. */
  readonly clusterName: string;
  /** The cluster model's network plan (`KopsCluster.networkPlan`): the one source of every CIDR and the NAT choice. */
  readonly plan: NetworkPlan;
  /** Days VPC flow logs are kept. @default 90 */
  readonly flowLogRetentionDays?: number;
  /** The workload permissions boundary: the flow-log role carries it and the cluster tag, like every role a deployer creates. */
  readonly permissionsBoundaryArn: string;
}

/**
 * The cluster's network, built from the cluster model's plan (kops runs in shared-VPC mode on
 * it): the VPC, a private and a utility subnet per zone with the tags kops and Kubernetes expect,
 * an internet gateway, NAT gateways (one per zone, or one shared, as the plan says), route tables,
 * and VPC flow logs to CloudWatch Logs.
 */
export class Network extends pulumi.ComponentResource {
  /** The VPC's ID. */
  public readonly vpcId: pulumi.Output<string>;
  /** Subnet IDs by `<private|utility>:<zone>`. */
  public readonly subnetIds: Readonly<Record<string, pulumi.Output<string>>>;
  /** NAT gateway IDs by zone. */
  public readonly natGatewayIds: Readonly<Record<string, pulumi.Output<string>>>;
  /** The private route tables' IDs, one per zone (gateway endpoints attach to them). */
  public readonly privateRouteTableIds: readonly pulumi.Output<string>[];
  /** The private subnets' IDs (interface endpoints live in them). */
  public readonly privateSubnetIds: readonly pulumi.Output<string>[];

  public constructor(name: string, args: NetworkArgs, opts?: pulumi.ComponentResourceOptions) {
    checkArgs('platform:aws:Network', name, Network, args);
    super('platform:aws:Network', name, {}, opts);
    const retention = args.flowLogRetentionDays ?? 90;
    const { clusterName, plan } = args;
    const child = { parent: this };
    const vpc = new aws.ec2.Vpc(name, {
      cidrBlock: plan.vpcCidr.toString(), enableDnsHostnames: true, enableDnsSupport: true,
      tags: { Name: clusterName, ...sharedClusterTag(clusterName) },
    }, child);
    const igw = new aws.ec2.InternetGateway(name, { vpcId: vpc.id, tags: { Name: clusterName, ...sharedClusterTag(clusterName) } }, child);

    const subnetIds: Record<string, pulumi.Output<string>> = {};
    const subnets = new Map<string, aws.ec2.Subnet>();
    for (const s of plan.subnets) {
      const kind = s.type === 'Private' ? 'private' : 'utility';
      const subnet = new aws.ec2.Subnet(`${name}-${kind}-${s.zone}`, {
        vpcId: vpc.id, cidrBlock: s.cidr.toString(), availabilityZone: s.zone, mapPublicIpOnLaunch: false,
        tags: subnetTags(clusterName, s.type, s.name),
      }, child);
      subnets.set(`${kind}:${s.zone}`, subnet);
      subnetIds[`${kind}:${s.zone}`] = subnet.id;
    }

    const utilityRoutes = new aws.ec2.RouteTable(`${name}-utility`, {
      vpcId: vpc.id, routes: [{ cidrBlock: '0.0.0.0/0', gatewayId: igw.id }],
      tags: { Name: `utility.${clusterName}`, ...sharedClusterTag(clusterName) },
    }, child);
    const natGatewayIds: Record<string, pulumi.Output<string>> = {};
    for (const zone of plan.natZones) {
      const utility = subnets.get(`utility:${zone}`);
      if (utility === undefined) continue;
      const eip = new aws.ec2.Eip(`${name}-nat-${zone}`, { domain: 'vpc', tags: { Name: `nat-${zone}.${clusterName}` } }, child);
      const nat = new aws.ec2.NatGateway(`${name}-${zone}`, {
        allocationId: eip.id, subnetId: utility.id, tags: { Name: `${zone}.${clusterName}`, ...sharedClusterTag(clusterName) },
      }, { parent: this, dependsOn: [igw] });
      natGatewayIds[zone] = nat.id;
    }
    const privateRouteTableIds: pulumi.Output<string>[] = [];
    const privateSubnetIds: pulumi.Output<string>[] = [];
    for (const s of plan.subnets) {
      const kind = s.type === 'Private' ? 'private' : 'utility';
      const subnet = subnets.get(`${kind}:${s.zone}`);
      if (subnet === undefined) continue;
      if (s.type === 'Utility') {
        new aws.ec2.RouteTableAssociation(`${name}-utility-${s.zone}`, { subnetId: subnet.id, routeTableId: utilityRoutes.id }, child);
        continue;
      }
      const nat = natGatewayIds[s.natZone ?? s.zone];
      const table = new aws.ec2.RouteTable(`${name}-private-${s.zone}`, {
        vpcId: vpc.id,
        routes: nat === undefined ? [] : [{ cidrBlock: '0.0.0.0/0', natGatewayId: nat }],
        tags: { Name: `private-${s.zone}.${clusterName}`, ...sharedClusterTag(clusterName) },
      }, child);
      new aws.ec2.RouteTableAssociation(`${name}-private-${s.zone}`, { subnetId: subnet.id, routeTableId: table.id }, child);
      privateRouteTableIds.push(table.id);
      privateSubnetIds.push(subnet.id);
    }

    const logs = new aws.cloudwatch.LogGroup(`${name}-flow-logs`, { name: `/platform/${clusterName}/vpc-flow-logs`, retentionInDays: retention }, child);
    const flowRole = new aws.iam.Role(`${name}-flow-logs`, {
      name: `platform-${clusterName.split('.')[0] ?? name}-flow-logs`,
      permissionsBoundary: args.permissionsBoundaryArn,
      tags: { [CLUSTER_TAG]: clusterName },
      assumeRolePolicy: JSON.stringify(policyDocument([{ Effect: 'Allow', Principal: { Service: 'vpc-flow-logs.amazonaws.com' }, Action: 'sts:AssumeRole' }])),
    }, child);
    new aws.iam.RolePolicy(`${name}-flow-logs`, {
      role: flowRole.id,
      policy: logs.arn.apply((arn) => JSON.stringify(policyDocument([{
        Effect: 'Allow', Action: ['logs:CreateLogStream', 'logs:PutLogEvents', 'logs:DescribeLogStreams'], Resource: [arn, `${arn}:*`],
      }]))),
    }, child);
    new aws.ec2.FlowLog(name, { vpcId: vpc.id, trafficType: 'ALL', logDestinationType: 'cloud-watch-logs', logDestination: logs.arn, iamRoleArn: flowRole.arn }, child);

    this.vpcId = vpc.id;
    this.subnetIds = subnetIds;
    this.natGatewayIds = natGatewayIds;
    this.privateRouteTableIds = privateRouteTableIds;
    this.privateSubnetIds = privateSubnetIds;
    this.registerOutputs({ vpcId: this.vpcId, subnetIds: this.subnetIds, natGatewayIds: this.natGatewayIds });
  }
}
