import { ApiObject } from 'cdk8s';
import { Construct } from 'constructs';
import { k8s } from 'cdk8s-plus-27';
import {
  CloudValues, PLATFORM_SECRETS_PREFIX, Platform, PlatformError, WorkloadIdentity, checkDnsLabel, kopsServiceAccountRoleName, pathOf,
} from '../core';
import { EXTERNAL_SECRETS_API_VERSION } from '../apps/external-secret';
import { checkProps } from '../core/props-check';

/** The cluster an External Secrets store is for: what its role and its prefix are derived from. */
export interface SecretsManagerTarget {
  /** The cluster's short name (`prod`): every store's prefix ends with it, so clusters of one account read only their own. */
  readonly cluster: string;
  /** The cluster's DNS name (`prod.k8s.example.com`): part of the name kops gives each ServiceAccount's role. */
  readonly clusterName: string;
  /** The region of the cluster and of its secrets. */
  readonly region: string;
}

/** One namespace's store: where it reads and the identity it reads as. */
export interface SecretStorePlan {
  readonly namespace: string;
  /** The Secrets Manager prefix it reads below (`teams/shop/prod/`). */
  readonly prefix: string;
  /** The workload identity kops creates a role for (ServiceAccount {@link Platform.secretStore}). */
  readonly identity: WorkloadIdentity;
}

// Secrets Manager's name alphabet, not starting with '/', ending with '/'.
const PREFIX = /^[A-Za-z0-9_+=.@-][A-Za-z0-9/_+=.@-]*\/$/;

/** Checks a team's Secrets Manager prefix: its alphabet, the trailing '/', and that it is not the platform's. */
export function checkSecretsPrefix(path: string, field: string, prefix: string): string {
  if (!PREFIX.test(prefix) || prefix.length > 256) {
    throw PlatformError.of({
      path, field, value: prefix, rule: "is not a Secrets Manager prefix (letters, digits and /_+=.@-, ending with '/')",
      fix: "write the team's folder in Secrets Manager, e.g. 'teams/shop/'",
    });
  }
  if (prefix.startsWith(PLATFORM_SECRETS_PREFIX)) {
    throw PlatformError.of({ path, field, value: prefix, rule: `is inside ${PLATFORM_SECRETS_PREFIX}, where the platform's own secrets live`, fix: "choose a folder of the team's own, e.g. 'teams/shop/'" });
  }
  return prefix;
}

/**
 * The store of one namespace reading below `prefix`: the identity may get and describe exactly
 * the secrets under it, in the cluster's region and account, and nothing else (no ListSecrets:
 * ExternalSecrets name their key, they never search).
 */
export function planSecretStore(target: SecretsManagerTarget, namespace: string, prefix: string): SecretStorePlan {
  const resource = `arn:aws:secretsmanager:${target.region}:${CloudValues.accountId()}:secret:${prefix}*`;
  return {
    namespace, prefix,
    identity: WorkloadIdentity.of({
      serviceAccount: Platform.secretStore, namespace,
      statements: [{ actions: ['secretsmanager:DescribeSecret', 'secretsmanager:GetSecretValue'], resources: [resource] }],
    }),
  };
}

/** The stores of a team: one per namespace, all reading `<team prefix><cluster>/`. */
export function teamSecretStores(target: SecretsManagerTarget, prefix: string, namespaces: readonly string[]): SecretStorePlan[] {
  return namespaces.map((ns) => planSecretStore(target, ns, `${prefix}${target.cluster}/`));
}

/** The audience of the tokens kops's AWS OIDC provider accepts (kops pkg/model/awsmodel/oidc_provider.go, defaultAudience). */
export const KOPS_IRSA_AUDIENCE = 'amazonaws.com';

/** Props of a {@link SecretStore}. */
export interface SecretStoreProps {
  /** What it reads, as {@link planSecretStore} gives it. */
  readonly plan: SecretStorePlan;
  /** The cluster. */
  readonly target: SecretsManagerTarget;
}

/**
 * A namespace's SecretStore for the External Secrets Operator: AWS Secrets Manager in the
 * cluster's region, below the plan's prefix (the store's `prefix`, so an ExternalSecret names
 * only the rest), authenticated as the ServiceAccount {@link Platform.secretStore}, whose role
 * kops creates from the plan's identity. The operator asks the API server for a token of that
 * ServiceAccount and trades it with STS (upstream providers/v1/aws/auth/auth.go reads the role
 * from the `eks.amazonaws.com/role-arn` annotation and the audience from
 * `eks.amazonaws.com/audience`, which must be the audience kops's OIDC provider accepts). No pod
 * runs as the ServiceAccount and none mounts its token.
 */
export class SecretStore extends Construct {
  /** The store's name. */
  public readonly name: string = Platform.secretStore;

  public constructor(scope: Construct, id: string, props: SecretStoreProps) {
    super(scope, id);
    props = checkProps(this, SecretStore, props);
    const { plan, target } = props;
    const ns = checkDnsLabel(plan.namespace, { path: pathOf(this), field: 'namespace' });
    const labels = { 'app.kubernetes.io/managed-by': Platform.managedBy, 'app.kubernetes.io/component': 'secret-store' };
    const role = kopsServiceAccountRoleName(plan.identity.serviceAccount, ns, target.clusterName);
    new k8s.KubeServiceAccount(this, 'service-account', {
      metadata: {
        name: plan.identity.serviceAccount, namespace: ns, labels,
        annotations: { 'eks.amazonaws.com/role-arn': `arn:aws:iam::${CloudValues.accountId()}:role/${role}`, 'eks.amazonaws.com/audience': KOPS_IRSA_AUDIENCE },
      },
      automountServiceAccountToken: false,
    });
    new ApiObject(this, 'store', {
      apiVersion: EXTERNAL_SECRETS_API_VERSION,
      kind: 'SecretStore',
      metadata: { name: this.name, namespace: ns, labels },
      spec: {
        provider: {
          aws: {
            service: 'SecretsManager',
            region: target.region,
            prefix: plan.prefix,
            auth: { jwt: { serviceAccountRef: { name: plan.identity.serviceAccount } } },
          },
        },
      },
    });
  }
}
