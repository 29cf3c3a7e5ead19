/**
 * Kinds that have no namespace (the API server's cluster-scoped resources the platform writes or
 * reads): a namespace in their metadata is an error, and identities ignore it.
 */
export const CLUSTER_SCOPED_KINDS: ReadonlySet<string> = new Set([
  'Namespace', 'Node', 'PersistentVolume', 'StorageClass', 'ClusterRole', 'ClusterRoleBinding', 'CustomResourceDefinition',
  'PriorityClass', 'IngressClass', 'RuntimeClass', 'CSIDriver', 'APIService', 'ValidatingWebhookConfiguration', 'MutatingWebhookConfiguration',
  'ValidatingAdmissionPolicy', 'ValidatingAdmissionPolicyBinding', 'ClusterIssuer', 'GatewayClass',
]);

/** The identity of a Kubernetes object: API group, kind, namespace and name. */
export interface ObjectIdentity {
  /** The API group (`apps`; '' for the core group). */
  readonly group: string;
  readonly kind: string;
  /** The namespace; '' for cluster-scoped objects. */
  readonly namespace: string;
  readonly name: string;
}

/** What an identity is read from: an object in its JSON form (or a cdk8s ApiObject). */
export interface IdentifiableObject {
  readonly apiVersion?: unknown;
  readonly kind?: unknown;
  readonly metadata?: unknown;
}

const text = (v: unknown): string => (typeof v === 'string' ? v : '');

/** The identity of an object; a cluster-scoped kind has namespace '' whatever its metadata says. */
export function objectIdentity(o: IdentifiableObject): ObjectIdentity {
  const apiVersion = text(o.apiVersion);
  const kind = text(o.kind);
  const meta = (o.metadata !== null && typeof o.metadata === 'object' ? o.metadata : {}) as { readonly name?: unknown; readonly namespace?: unknown };
  return {
    group: apiVersion.includes('/') ? apiVersion.slice(0, apiVersion.indexOf('/')) : '',
    kind,
    namespace: CLUSTER_SCOPED_KINDS.has(kind) ? '' : text(meta.namespace),
    name: text(meta.name),
  };
}

/** The stable key of an object, as the deployer names its resource: `<Kind>/<namespace>/<name>`, or `<Kind>/<name>` when cluster-scoped. */
export function objectKey(id: ObjectIdentity): string {
  return id.namespace === '' ? `${id.kind}/${id.name}` : `${id.kind}/${id.namespace}/${id.name}`;
}

/** `Kind namespace/name`, or `Kind name` for cluster-scoped objects: how messages name an object. */
export function describeObject(id: ObjectIdentity): string {
  return id.namespace === '' ? `${id.kind} ${id.name}` : `${id.kind} ${id.namespace}/${id.name}`;
}
