import { CloudValues, KubernetesVersion, OidcSettings, WorkloadIdentity, cloudValue, fillCloudValues, listCloudValues } from '../../lib';
import { errorOf } from './helpers';
import { kopsSchemaErrors } from './kops-schema';

describe('cloud values', () => {
  test('placeholders have one fixed form and are listed and filled in place', () => {
    // GIVEN an object holding two placeholders
    const obj = { spec: { networkID: CloudValues.vpcId(), subnets: [{ id: CloudValues.subnetId('private', 'eu-west-1a') }], configBase: `s3://${CloudValues.stateStoreBucket()}/prod` } };
    // WHEN they are listed and filled
    const filled = fillCloudValues(obj, { '${cloud:vpcId}': 'vpc-0abc', '${cloud:subnetId:private:eu-west-1a}': 'subnet-0def', '${cloud:stateStoreBucket}': 'state' });
    // THEN the list is sorted and the copy has the real values, the original untouched
    expect(listCloudValues(obj)).toEqual(['${cloud:stateStoreBucket}', '${cloud:subnetId:private:eu-west-1a}', '${cloud:vpcId}']);
    expect(filled).toEqual({ spec: { networkID: 'vpc-0abc', subnets: [{ id: 'subnet-0def' }], configBase: 's3://state/prod' } });
    expect(obj.spec.networkID).toBe('${cloud:vpcId}');
  });

  test('filling refuses to leave a placeholder unfilled', () => {
    expect(errorOf(() => fillCloudValues({ a: CloudValues.vpcId() }, {}))).toBe(
      'CloudValues: values lack a value for these placeholders (got "${cloud:vpcId}"); supply every placeholder listCloudValues() reports');
  });

  test('a malformed placeholder name is refused', () => {
    expect(errorOf(() => cloudValue('Vpc Id'))).toBe(
      `CloudValue: name is not a valid cloud value name (got "Vpc Id"); use a lowerCamelCase name and qualifiers of lowercase letters, digits and '-'`);
  });
});

describe('KubernetesVersion', () => {
  test.each(['1.31.0', 'v1.35.5', '1.36.0'])('%s is accepted', (v) => {
    expect(KubernetesVersion.parse(v).toString()).toBe(v.replace(/^v/, ''));
  });

  test('a version newer than kops 1.36 supports is refused', () => {
    expect(errorOf(() => KubernetesVersion.parse('1.37.0'))).toBe(
      'KubernetesVersion: version is not supported by kops 1.36 (1.31 to 1.36) (got "1.37.0"); choose a 1.31.x to 1.36.x release');
  });
});

describe('WorkloadIdentity', () => {
  test('statements compile to a kops inline policy, conditions included', () => {
    const id = WorkloadIdentity.of({
      serviceAccount: 'exporter', namespace: 'shop',
      statements: [{ actions: ['s3:PutObject'], resources: ['arn:aws:s3:::b/*'], conditions: { StringEquals: { 's3:x-amz-acl': 'private' } } }],
    });
    expect(JSON.parse(id.toInlinePolicy())).toEqual([
      { Effect: 'Allow', Action: ['s3:PutObject'], Resource: ['arn:aws:s3:::b/*'], Condition: { StringEquals: { 's3:x-amz-acl': 'private' } } },
    ]);
    expect(id.key).toBe('shop/exporter');
  });

  test('a wildcard action is refused unless explicitly allowed', () => {
    const props = { serviceAccount: 'exporter', namespace: 'shop', statements: [{ actions: ['s3:*'], resources: ['arn:aws:s3:::b/*'] }] };
    expect(errorOf(() => WorkloadIdentity.of(props))).toBe(
      'WorkloadIdentity shop/exporter: statements[0].actions is a wildcard action (got "s3:*"); list the actions the workload needs, or set allowWildcardActions: true');
    expect(WorkloadIdentity.of({ ...props, allowWildcardActions: true }).statements[0]?.actions).toEqual(['s3:*']);
  });

  test('an identity without statements is refused', () => {
    expect(errorOf(() => WorkloadIdentity.of({ serviceAccount: 'exporter', namespace: 'shop', statements: [] }))).toBe(
      'WorkloadIdentity shop/exporter: statements must not be empty; grant at least one statement, or drop the identity');
  });
});

describe('OidcSettings', () => {
  test('a non-https issuer is refused', () => {
    expect(errorOf(() => OidcSettings.of({ issuerUrl: 'http://dex.example.com', clientId: 'kubernetes' }))).toBe(
      `OidcSettings: issuerUrl must be an https URL without query or fragment (got "http://dex.example.com"); write the issuer as https://host[/path], e.g. 'https://dex.example.com'`);
  });
});

describe('the kops schema check', () => {
  test('reports unknown fields and accepts numbers for int-or-string fields', () => {
    // GIVEN a minimal group with a misspelt field and a numeric maxSurge
    const ig = { apiVersion: 'kops.k8s.io/v1alpha2', kind: 'InstanceGroup', metadata: { name: 'nodes' }, spec: { role: 'Node', machineTyp: 'm6i.large', rollingUpdate: { maxSurge: 1 } } };
    // THEN only the unknown field is an error
    expect(kopsSchemaErrors(ig)).toEqual(['InstanceGroup/nodes/spec must NOT have additional properties {"additionalProperty":"machineTyp"}']);
    expect(kopsSchemaErrors({ ...ig, spec: { role: 'Node', rollingUpdate: { maxSurge: '25%' } } })).toEqual([]);
  });
});
