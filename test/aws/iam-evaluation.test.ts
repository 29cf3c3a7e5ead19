import { policyDocument } from '../../lib/aws/policies';
import { type IamRequest, evaluate, evaluateWithBoundary } from './support/iam-evaluation';

// The evaluator's rules, each as the AWS IAM User Guide states it (pages named in
// support/iam-evaluation.ts): these pin the semantics the deployer tests rely on.

const allowIf = (Condition: Record<string, Record<string, string | readonly string[]>>) => policyDocument([{ Effect: 'Allow', Action: 's3:GetObject', Resource: '*', Condition }]);
const get = (context: IamRequest['context'] = {}): IamRequest => ({ action: 's3:GetObject', resource: 'arn:aws:s3:::b/k', context });

describe('the in-house IAM evaluator', () => {
  test('an explicit Deny wins over any Allow; nothing matching is the implicit deny', () => {
    const doc = policyDocument([
      { Effect: 'Allow', Action: 's3:*', Resource: '*' },
      { Effect: 'Deny', Action: 's3:DeleteObject', Resource: 'arn:aws:s3:::b/*' },
    ]);
    expect(evaluate(doc, { action: 's3:GetObject', resource: 'arn:aws:s3:::b/k' })).toBe('Allow');
    expect(evaluate(doc, { action: 's3:DeleteObject', resource: 'arn:aws:s3:::b/k' })).toBe('ExplicitDeny');
    expect(evaluate(doc, { action: 'ec2:RunInstances', resource: '*' })).toBe('ImplicitDeny');
  });

  test('actions match case-insensitively, resources case-sensitively; NotAction and NotResource match the rest', () => {
    const doc = policyDocument([{ Effect: 'Allow', NotAction: 'iam:*', NotResource: 'arn:aws:s3:::secret/*' }]);
    expect(evaluate(doc, { action: 'S3:getobject', resource: 'arn:aws:s3:::b/k' })).toBe('Allow');
    expect(evaluate(doc, { action: 'iam:CreateRole', resource: 'arn:aws:s3:::b/k' })).toBe('ImplicitDeny');
    expect(evaluate(doc, { action: 's3:GetObject', resource: 'arn:aws:s3:::secret/k' })).toBe('ImplicitDeny');
    expect(evaluate(doc, { action: 's3:GetObject', resource: 'arn:aws:s3:::Secret/k' })).toBe('Allow');
  });

  test('keys AND, values OR; a missing key fails a positive operator, holds for a negated one and for IfExists', () => {
    const both = allowIf({ StringEquals: { a: ['1', '2'], b: '3' } });
    expect(evaluate(both, get({ a: '2', b: '3' }))).toBe('Allow');
    expect(evaluate(both, get({ a: '2' }))).toBe('ImplicitDeny');
    expect(evaluate(allowIf({ StringNotEquals: { a: ['1', '2'] } }), get({}))).toBe('Allow');
    expect(evaluate(allowIf({ StringNotEquals: { a: ['1', '2'] } }), get({ a: '2' }))).toBe('ImplicitDeny');
    expect(evaluate(allowIf({ StringNotEquals: { a: ['1', '2'] } }), get({ a: '3' }))).toBe('Allow');
    expect(evaluate(allowIf({ StringEqualsIfExists: { a: '1' } }), get({}))).toBe('Allow');
    expect(evaluate(allowIf({ StringEqualsIfExists: { a: '1' } }), get({ a: '2' }))).toBe('ImplicitDeny');
    expect(evaluate(allowIf({ StringLike: { a: 'x*' } }), get({ a: 'xyz' }))).toBe('Allow');
    expect(evaluate(allowIf({ StringNotLike: { a: 'x*' } }), get({ a: 'xyz' }))).toBe('ImplicitDeny');
  });

  test('Null: true holds when the key is absent, false when present', () => {
    expect(evaluate(allowIf({ Null: { a: 'true' } }), get({}))).toBe('Allow');
    expect(evaluate(allowIf({ Null: { a: 'true' } }), get({ a: 'x' }))).toBe('ImplicitDeny');
    expect(evaluate(allowIf({ Null: { a: 'false' } }), get({ a: 'x' }))).toBe('Allow');
    expect(evaluate(allowIf({ Null: { a: 'false' } }), get({}))).toBe('ImplicitDeny');
  });

  test('ForAnyValue needs one matching value of a present key; ForAllValues holds for every value, and for an absent key', () => {
    expect(evaluate(allowIf({ 'ForAnyValue:StringLike': { k: 'x*' } }), get({ k: ['a', 'xb'] }))).toBe('Allow');
    expect(evaluate(allowIf({ 'ForAnyValue:StringLike': { k: 'x*' } }), get({ k: ['a'] }))).toBe('ImplicitDeny');
    expect(evaluate(allowIf({ 'ForAnyValue:StringLike': { k: 'x*' } }), get({}))).toBe('ImplicitDeny');
    expect(evaluate(allowIf({ 'ForAllValues:StringLike': { k: ['x*', 'y'] } }), get({ k: ['xa', 'y'] }))).toBe('Allow');
    expect(evaluate(allowIf({ 'ForAllValues:StringLike': { k: ['x*', 'y'] } }), get({ k: ['xa', 'z'] }))).toBe('ImplicitDeny');
    expect(evaluate(allowIf({ 'ForAllValues:StringLike': { k: 'x*' } }), get({}))).toBe('Allow');
  });

  test('refuses what it does not model: an unknown operator, a single-valued operator on a multivalued key', () => {
    expect(() => evaluate(allowIf({ IpAddress: { 'aws:SourceIp': '10.0.0.0/8' } }), get({ 'aws:SourceIp': '10.0.0.1' }))).toThrow('condition operator IpAddress is not modelled');
    expect(() => evaluate(allowIf({ StringEquals: { k: 'a' } }), get({ k: ['a'] }))).toThrow('StringEquals on a multivalued key: use ForAnyValue or ForAllValues');
  });

  test('a statement with a Principal applies only to the principals it names', () => {
    const trust = policyDocument([{ Effect: 'Allow', Principal: { AWS: ['arn:aws:iam::1:role/a'] }, Action: 'sts:AssumeRole' }]);
    expect(evaluate(trust, { action: 'sts:AssumeRole', resource: '*', principal: { AWS: 'arn:aws:iam::1:role/a' } })).toBe('Allow');
    expect(evaluate(trust, { action: 'sts:AssumeRole', resource: '*', principal: { AWS: 'arn:aws:iam::1:role/b' } })).toBe('ImplicitDeny');
    expect(evaluate(trust, { action: 'sts:AssumeRole', resource: '*' })).toBe('ImplicitDeny');
  });

  test('with a permissions boundary, both must allow, and a Deny in either wins', () => {
    const identity = policyDocument([{ Effect: 'Allow', Action: ['s3:*', 'iam:CreateUser'], Resource: '*' }]);
    const boundary = policyDocument([{ Effect: 'Allow', Action: ['s3:*', 'ec2:*'], Resource: '*' }, { Effect: 'Deny', Action: 's3:DeleteBucket', Resource: '*' }]);
    expect(evaluateWithBoundary(identity, boundary, { action: 's3:GetObject', resource: '*' })).toBe('Allow');
    expect(evaluateWithBoundary(identity, boundary, { action: 'iam:CreateUser', resource: '*' })).toBe('ImplicitDeny');
    expect(evaluateWithBoundary(identity, boundary, { action: 'ec2:RunInstances', resource: '*' })).toBe('ImplicitDeny');
    expect(evaluateWithBoundary(identity, boundary, { action: 's3:DeleteBucket', resource: '*' })).toBe('ExplicitDeny');
  });
});
