import { PlatformError } from './errors';
import { checkDnsLabel, stableStringify } from './names';

/** One statement of an IAM policy. */
export interface IamStatement {
  /** Allow or deny. @default 'Allow' */
  readonly effect?: 'Allow' | 'Deny';
  /** The actions, `service:Action` (`s3:GetObject`). */
  readonly actions: readonly string[];
  /** The resource ARNs (`arn:aws:s3:::orders-exports/*`). */
  readonly resources: readonly string[];
  /**
   * IAM conditions: operator -> key -> value(s) (`{ StringEquals: { 'aws:RequestedRegion': 'eu-west-1' } }`).
   * @default - none
   */
  readonly conditions?: Readonly<Record<string, Readonly<Record<string, string | readonly string[]>>>>;
}

/** What a pod running as one ServiceAccount may do in AWS. */
export interface WorkloadIdentityProps {
  /** The ServiceAccount's name. */
  readonly serviceAccount: string;
  /** The ServiceAccount's namespace. */
  readonly namespace: string;
  /** The IAM statements of its inline policy. */
  readonly statements: readonly IamStatement[];
  /** Permit actions with a wildcard (`s3:*`); reviewed, explicit and visible. @default false */
  readonly allowWildcardActions?: boolean;
}

const ACTION = /^[a-z0-9-]+:[A-Za-z0-9*]+$/;

/**
 * An AWS identity for a ServiceAccount: kops creates an IAM role with these statements as its
 * inline policy and lets pods of that ServiceAccount assume it (IRSA via the pod identity webhook).
 */
export class WorkloadIdentity {
  public static of(props: WorkloadIdentityProps): WorkloadIdentity {
    const path = `WorkloadIdentity ${props.namespace}/${props.serviceAccount}`;
    checkDnsLabel(props.namespace, { path, field: 'namespace' });
    checkDnsLabel(props.serviceAccount, { path, field: 'serviceAccount' });
    if (props.statements.length === 0) {
      throw PlatformError.of({ path, field: 'statements', rule: 'must not be empty', fix: 'grant at least one statement, or drop the identity' });
    }
    for (const [i, st] of props.statements.entries()) {
      if (st.actions.length === 0 || st.resources.length === 0) {
        throw PlatformError.of({ path, field: `statements[${i}]`, rule: 'must name at least one action and one resource', fix: 'list the actions and the resource ARNs' });
      }
      for (const action of st.actions) {
        if (!ACTION.test(action)) {
          throw PlatformError.of({ path, field: `statements[${i}].actions`, value: action, rule: 'is not an IAM action', fix: "write service:Action, e.g. 's3:GetObject'" });
        }
        if (action.includes('*') && props.allowWildcardActions !== true) {
          throw PlatformError.of({
            path, field: `statements[${i}].actions`, value: action, rule: 'is a wildcard action',
            fix: 'list the actions the workload needs, or set allowWildcardActions: true',
          });
        }
      }
    }
    return new WorkloadIdentity(props.serviceAccount, props.namespace, props.statements);
  }

  private constructor(
    /** The ServiceAccount's name. */
    public readonly serviceAccount: string,
    /** The ServiceAccount's namespace. */
    public readonly namespace: string,
    /** The IAM statements. */
    public readonly statements: readonly IamStatement[],
  ) {}

  /** `namespace/serviceAccount`: unique per cluster. */
  public get key(): string {
    return `${this.namespace}/${this.serviceAccount}`;
  }

  /** The inline policy as kops reads it: a JSON array of IAM statements, keys in stable order. */
  public toInlinePolicy(): string {
    const statements = this.statements.map((st) => ({
      Effect: st.effect ?? 'Allow',
      Action: [...st.actions],
      Resource: [...st.resources],
      ...(st.conditions === undefined ? {} : { Condition: st.conditions }),
    }));
    return JSON.stringify(JSON.parse(stableStringify(statements)), null, 2);
  }
}

/** The ServiceAccounts whose roles kops creates itself for the addons it manages; declaring them again would clash. */
export const KOPS_MANAGED_IDENTITIES: readonly string[] = [
  'kube-system/aws-node-termination-handler',
  'kube-system/cert-manager',
  'kube-system/cluster-autoscaler',
  'kube-system/dns-controller',
  'kube-system/ebs-csi-controller-sa',
  'kube-system/external-dns',
];
