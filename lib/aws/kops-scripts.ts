// The shell scripts KopsDeployment runs. They are constant text: every value they need comes from
// the environment (KopsEnvironment), so nothing is interpolated into a command line, quoting cannot
// break, and the very same text runs under @pulumi/command and in the tests (against a stand-in kops).

/** The environment of every kops step; the stack's own (ambient) AWS credentials are inherited, never passed. */
export type KopsEnvironment = {
  /** `s3://<state bucket>`: where kops keeps the cluster's state. */
  readonly KOPS_STATE_STORE: string;
  /** The cluster's DNS name (`prod.k8s.example.com`). */
  readonly KOPS_CLUSTER_NAME: string;
  /** The region the cluster runs in. */
  readonly AWS_REGION: string;
  /** The Kubernetes version of the definition; a different version in the state store means an upgrade (reconcile). */
  readonly KUBERNETES_VERSION: string;
  /** How long `kops validate cluster --wait` waits for a healthy cluster (`20m`). */
  readonly KOPS_VALIDATE_WAIT: string;
};

/** The environment of the rolling-update step: the groups to roll, comma-separated. */
export type KopsRollingUpdateEnvironment = KopsEnvironment & { readonly KOPS_INSTANCE_GROUPS: string };

const PRELUDE = `set -eu
kops_run() { printf '+ kops %s\\n' "$*" >&2; kops "$@"; }
`;

/**
 * Applies the cluster manifests read from stdin: `kops replace --force -f`, then `kops update
 * cluster --yes` — or, when the state store holds another Kubernetes version than the definition,
 * `kops reconcile cluster --yes` instead (it updates and rolls the control plane, then the nodes,
 * in order) — then waits for `kops validate cluster --wait`. Never rolls nodes otherwise.
 */
export const KOPS_APPLY_SCRIPT = `${PRELUDE}work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cat > "$work/cluster.yaml"
current=$(kops get cluster --name "$KOPS_CLUSTER_NAME" -o yaml 2>/dev/null | sed -n 's/^  kubernetesVersion: *//p' | head -n 1) || current=''
kops_run replace --force -f "$work/cluster.yaml"
if [ -n "$current" ] && [ "$current" != "$KUBERNETES_VERSION" ]; then
  printf 'Kubernetes %s -> %s: reconciling (control plane first, then nodes)\\n' "$current" "$KUBERNETES_VERSION" >&2
  kops_run reconcile cluster --name "$KOPS_CLUSTER_NAME" --yes
else
  kops_run update cluster --name "$KOPS_CLUSTER_NAME" --yes
fi
kops_run validate cluster --name "$KOPS_CLUSTER_NAME" --wait "$KOPS_VALIDATE_WAIT"
`;

/** Rolls exactly the instance groups named in KOPS_INSTANCE_GROUPS (comma-separated), each as its own flag. */
export const KOPS_ROLLING_UPDATE_SCRIPT = `${PRELUDE}set --
saved_ifs=$IFS
IFS=,
for group in $KOPS_INSTANCE_GROUPS; do set -- "$@" --instance-group "$group"; done
IFS=$saved_ifs
if [ "$#" -eq 0 ]; then echo 'KOPS_INSTANCE_GROUPS names no instance group' >&2; exit 2; fi
kops_run rolling-update cluster --name "$KOPS_CLUSTER_NAME" --yes "$@"
`;

/**
 * Prints a kubeconfig that keeps working: its user runs kops's exec credential plugin
 * (`--auth-plugin`), which mints a short-lived credential on every use from the caller's own AWS
 * identity. It holds no credential itself, so exporting it only when the cluster changes is
 * enough; an `--admin` export would embed a client certificate that expires (18 h by default).
 */
export const KOPS_KUBECONFIG_SCRIPT = `${PRELUDE}work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
kops_run export kubeconfig --name "$KOPS_CLUSTER_NAME" --auth-plugin --kubeconfig "$work/kubeconfig" >&2
cat "$work/kubeconfig"
`;

/** Deletes the cluster's cloud resources and state (runs only when the deployment is not protected). */
export const KOPS_DELETE_SCRIPT = `${PRELUDE}kops_run delete cluster --name "$KOPS_CLUSTER_NAME" --yes
`;
