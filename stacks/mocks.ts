// Pulumi mocks that answer like AWS would: realistic IDs and ARNs, derived from the resource's
// name so every run gives the same values. Outputs the cloud would only know after creation (a
// command's stdout) are left out, so they stay unknown, as in a real preview.
import { createHash } from 'node:crypto';
import type * as pulumi from '@pulumi/pulumi';

function hex(seed: string, length: number): string {
  return createHash('sha256').update(seed).digest('hex').slice(0, length);
}

function uuid(seed: string): string {
  const h = hex(seed, 32);
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-a${h.slice(17, 20)}-${h.slice(20, 32)}`;
}

const EC2_PREFIX: Readonly<Record<string, string>> = {
  'aws:ec2/vpc:Vpc': 'vpc',
  'aws:ec2/subnet:Subnet': 'subnet',
  'aws:ec2/internetGateway:InternetGateway': 'igw',
  'aws:ec2/natGateway:NatGateway': 'nat',
  'aws:ec2/routeTable:RouteTable': 'rtb',
  'aws:ec2/routeTableAssociation:RouteTableAssociation': 'rtbassoc',
  'aws:ec2/eip:Eip': 'eipalloc',
  'aws:ec2/securityGroup:SecurityGroup': 'sg',
  'aws:ec2/vpcEndpoint:VpcEndpoint': 'vpce',
  'aws:ec2/flowLog:FlowLog': 'fl',
  'aws:dlm/lifecyclePolicy:LifecyclePolicy': 'policy',
};

/** Mocks for one account and region. */
export function awsLikeMocks(accountId: string, region: string): pulumi.runtime.Mocks {
  return {
    newResource: (args) => {
      const { type, name, inputs } = args;
      const seed = `${type}::${name}`;
      const prefix = EC2_PREFIX[type];
      if (prefix !== undefined) return { id: `${prefix}-0${hex(seed, 16)}`, state: { ...inputs, arn: `arn:aws:ec2:${region}:${accountId}:${prefix}/${prefix}-0${hex(seed, 16)}` } };
      switch (type) {
        case 'aws:s3/bucket:Bucket': {
          const bucket = String(inputs.bucket ?? `${name}-${hex(seed, 7)}`);
          return { id: bucket, state: { ...inputs, bucket, arn: `arn:aws:s3:::${bucket}`, bucketDomainName: `${bucket}.s3.amazonaws.com` } };
        }
        case 'aws:kms/key:Key': {
          const keyId = uuid(seed);
          return { id: keyId, state: { ...inputs, keyId, arn: `arn:aws:kms:${region}:${accountId}:key/${keyId}` } };
        }
        case 'aws:kms/alias:Alias':
          return { id: String(inputs.name), state: { ...inputs, arn: `arn:aws:kms:${region}:${accountId}:${String(inputs.name)}` } };
        case 'aws:iam/role:Role': {
          const roleName = String(inputs.name ?? `${name}-${hex(seed, 7)}`);
          return { id: roleName, state: { ...inputs, name: roleName, arn: `arn:aws:iam::${accountId}:role/${roleName}`, uniqueId: `AROA${hex(seed, 17).toUpperCase()}` } };
        }
        case 'aws:iam/openIdConnectProvider:OpenIdConnectProvider': {
          const arn = `arn:aws:iam::${accountId}:oidc-provider/${String(inputs.url).replace(/^https:\/\//, '')}`;
          return { id: arn, state: { ...inputs, arn } };
        }
        case 'aws:route53/zone:Zone': {
          const zoneId = `Z${hex(seed, 20).toUpperCase()}`;
          return { id: zoneId, state: { ...inputs, zoneId, arn: `arn:aws:route53:::hostedzone/${zoneId}`, nameServers: ['ns-1.awsdns-01.org', 'ns-2.awsdns-02.co.uk', 'ns-3.awsdns-03.com', 'ns-4.awsdns-04.net'] } };
        }
        case 'aws:cloudwatch/logGroup:LogGroup':
          return { id: String(inputs.name ?? name), state: { ...inputs, arn: `arn:aws:logs:${region}:${accountId}:log-group:${String(inputs.name ?? name)}` } };
        default:
          return { id: `${name}-id`, state: inputs };
      }
    },
    call: (args) => {
      if (args.token === 'aws:secretsmanager/getSecretVersion:getSecretVersion') {
        return { ...args.inputs, arn: String(args.inputs.secretId), secretString: '{"auths":{}}', versionId: uuid(String(args.inputs.secretId)) };
      }
      if (args.token === 'aws:index/getCallerIdentity:getCallerIdentity') {
        return { accountId, arn: `arn:aws:sts::${accountId}:assumed-role/platform-deployer/plan`, userId: `AROA${hex(accountId, 17).toUpperCase()}:plan` };
      }
      return args.inputs;
    },
  };
}
