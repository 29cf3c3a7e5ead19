// IAM and bucket policy documents as typed values: pure, so tests read them without Pulumi.

/** One IAM policy statement. */
export interface PolicyStatement {
  readonly Sid?: string;
  readonly Effect: 'Allow' | 'Deny';
  readonly Principal?: '*' | Readonly<Record<string, string | readonly string[]>>;
  /** The actions (or, with NotAction, every action but these). */
  readonly Action?: string | readonly string[];
  readonly NotAction?: string | readonly string[];
  readonly Resource?: string | readonly string[];
  /** Every resource but these (instead of Resource). */
  readonly NotResource?: string | readonly string[];
  readonly Condition?: Readonly<Record<string, Readonly<Record<string, string | boolean | readonly string[]>>>>;
}

/** An IAM policy document. */
export interface PolicyDocument {
  readonly Version: '2012-10-17';
  readonly Statement: readonly PolicyStatement[];
}

/** Wraps statements into a policy document. */
export function policyDocument(statements: readonly PolicyStatement[]): PolicyDocument {
  return { Version: '2012-10-17', Statement: statements };
}

/** Refuses every request to the bucket that does not use TLS. */
export function tlsOnlyStatement(bucketArn: string): PolicyStatement {
  return {
    Sid: 'DenyInsecureTransport',
    Effect: 'Deny',
    Principal: '*',
    Action: 's3:*',
    Resource: [bucketArn, `${bucketArn}/*`],
    Condition: { Bool: { 'aws:SecureTransport': false } },
  };
}

/** The two documents AWS fetches anonymously to trust a service-account issuer under `prefix`. */
export function discoveryDocumentKeys(prefix: string): readonly string[] {
  return [`${prefix}/.well-known/openid-configuration`, `${prefix}/openid/v1/jwks`];
}

/**
 * The discovery bucket's policy: anyone may read exactly the issuer's two discovery documents
 * (AWS STS fetches them without credentials); nothing else is public; TLS only.
 */
export function discoveryBucketPolicy(bucketArn: string, prefix: string): PolicyDocument {
  return policyDocument([
    {
      Sid: 'PublicReadOfDiscoveryDocuments',
      Effect: 'Allow',
      Principal: '*',
      Action: 's3:GetObject',
      Resource: discoveryDocumentKeys(prefix).map((k) => `${bucketArn}/${k}`),
    },
    tlsOnlyStatement(bucketArn),
  ]);
}
