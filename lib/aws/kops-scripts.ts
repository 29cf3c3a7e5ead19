// The shell scripts KopsDeployment runs. They are constant text: every value they need comes from
// the environment (KopsEnvironment), secrets only on stdin, so nothing is interpolated into a
// command line, quoting cannot break, and the very same text runs under @pulumi/command, in the
// tests (against stand-in `kops` and `aws` executables) and through shellcheck.

/** The environment of every kops step; the stack's own (ambient) AWS credentials are inherited, never passed. */
export type KopsEnvironment = {
  /** `s3://<state bucket>`: where kops keeps the cluster's state. */
  readonly KOPS_STATE_STORE: string;
  /** The cluster's DNS name (`prod.k8s.example.com`). */
  readonly KOPS_CLUSTER_NAME: string;
  /** The region the cluster runs in. */
  readonly AWS_REGION: string;
  /** The Kubernetes version of the definition; a different version than the one last applied means an upgrade (reconcile). */
  readonly KUBERNETES_VERSION: string;
  /** How long `kops validate cluster --wait` waits for a healthy cluster (`20m`). */
  readonly KOPS_VALIDATE_WAIT: string;
  /** The kops release the steps must run with (`1.36.0`); another `kops` on PATH fails the step. */
  readonly KOPS_VERSION: string;
};

/** The environment of the apply step: also every instance group of the definition, comma-separated; kops groups not listed are deleted. */
export type KopsApplyEnvironment = KopsEnvironment & { readonly KOPS_INSTANCE_GROUPS: string };

/** The environment of the rolling-update step: the groups to roll, comma-separated. */
export type KopsRollingUpdateEnvironment = KopsEnvironment & { readonly KOPS_INSTANCE_GROUPS: string };

/** The environment of the snapshot step: the Name tags of the etcd volumes and why the snapshot is taken. */
export type KopsSnapshotEnvironment = KopsEnvironment & {
  /** The etcd volumes' Name tags (`a.etcd-main.prod.k8s.example.com`), comma-separated. */
  readonly ETCD_VOLUME_NAMES: string;
  /** Why, without spaces or commas (`kubernetes-1.35.5-etcd-0123456789ab`); written into each snapshot's tags. */
  readonly SNAPSHOT_REASON: string;
};

/** The environment of the encryption-config step: the key names in the order of the config (the first encrypts). */
export type KopsEncryptionEnvironment = KopsEnvironment & { readonly ENCRYPTION_KEY_NAMES: string };

/** The tag every snapshot taken before a risky change carries (value `before-change`), so a restore can find them. */
export const SNAPSHOT_TAG = 'platform.example.com/snapshot';

/** The line the apply step prints on stdout when it succeeded; the next run reads it back from PULUMI_COMMAND_STDOUT. */
export const APPLIED_MARKER = 'applied kubernetesVersion=';

const PRELUDE = `set -eu
kops_run() { printf '+ kops %s\\n' "$*" >&2; kops "$@" >&2; }
kops_release=$(kops version --short 2>/dev/null || kops version)
case "$kops_release" in
  *"$KOPS_VERSION"*) ;;
  *) printf 'kops on PATH is %s; this stack pins kops %s (install it, or change kopsVersion)\\n' "$kops_release" "$KOPS_VERSION" >&2; exit 3 ;;
esac
`;

/**
 * Applies the cluster manifests read from stdin:
 * 1. `kops replace --force -f`;
 * 2. `kops update cluster --yes --create-kube-config=false` — or, when the Kubernetes version last
 *    applied differs from the definition's, `kops reconcile cluster --yes` (control plane first,
 *    then nodes). "Last applied" is what the previous successful run printed (`@pulumi/command`
 *    hands it back as PULUMI_COMMAND_STDOUT; a failed run records nothing), so an upgrade that
 *    replaced the spec but failed in reconcile is reconciled again on the next run. Without a
 *    previous run it is the version in the state store;
 * 3. `kops validate cluster --wait`;
 * 4. every instance group kops has that KOPS_INSTANCE_GROUPS does not list is deleted (`kops replace`
 *    only creates and updates), then the cluster is validated again.
 * KUBECONFIG points into a scratch folder, so no kops call rewrites the runner's ~/.kube/config.
 */
export const KOPS_APPLY_SCRIPT = `${PRELUDE}work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
export KUBECONFIG="$work/kubeconfig"
cat > "$work/cluster.yaml"
applied=$(printf '%s\\n' "\${PULUMI_COMMAND_STDOUT:-}" | sed -n 's/^${APPLIED_MARKER}//p' | tail -n 1)
if [ -z "$applied" ]; then
  applied=$(kops get cluster --name "$KOPS_CLUSTER_NAME" -o yaml 2>/dev/null | sed -n 's/^  kubernetesVersion: *//p' | head -n 1) || applied=''
fi
kops_run replace --force -f "$work/cluster.yaml"
if [ -n "$applied" ] && [ "$applied" != "$KUBERNETES_VERSION" ]; then
  printf 'Kubernetes %s -> %s: reconciling (control plane first, then nodes)\\n' "$applied" "$KUBERNETES_VERSION" >&2
  kops_run reconcile cluster --name "$KOPS_CLUSTER_NAME" --yes
else
  kops_run update cluster --name "$KOPS_CLUSTER_NAME" --yes --create-kube-config=false
fi
kops_run validate cluster --name "$KOPS_CLUSTER_NAME" --wait "$KOPS_VALIDATE_WAIT"
if [ -z "$KOPS_INSTANCE_GROUPS" ]; then echo 'KOPS_INSTANCE_GROUPS names no instance group' >&2; exit 2; fi
removed=''
for group in $(kops get instancegroups --name "$KOPS_CLUSTER_NAME" -o yaml | sed -n 's/^  name: *//p'); do
  case ",$KOPS_INSTANCE_GROUPS," in
    *",$group,"*) ;;
    *) removed="$removed $group" ;;
  esac
done
for group in $removed; do
  printf 'instance group %s is not in the definition: deleting it\\n' "$group" >&2
  kops_run delete instancegroup "$group" --name "$KOPS_CLUSTER_NAME" --yes
done
if [ -n "$removed" ]; then kops_run validate cluster --name "$KOPS_CLUSTER_NAME" --wait "$KOPS_VALIDATE_WAIT"; fi
printf '${APPLIED_MARKER}%s\\n' "$KUBERNETES_VERSION"
`;

/** Rolls exactly the instance groups named in KOPS_INSTANCE_GROUPS (comma-separated), each as its own flag. */
export const KOPS_ROLLING_UPDATE_SCRIPT = `${PRELUDE}set --
saved_ifs=$IFS
IFS=,
for group in $KOPS_INSTANCE_GROUPS; do set -- "$@" --instance-group "$group"; done
IFS=$saved_ifs
if [ "$#" -eq 0 ]; then echo 'KOPS_INSTANCE_GROUPS names no instance group' >&2; exit 2; fi
export KUBECONFIG="\${TMPDIR:-/tmp}/kops-rolling-update-kubeconfig-$$"
trap 'rm -f "$KUBECONFIG"' EXIT
kops_run rolling-update cluster --name "$KOPS_CLUSTER_NAME" --yes "$@"
`;

/**
 * Prints a kubeconfig whose user runs kops's exec credential plugin (`--auth-plugin`,
 * `kops helpers kubectl-auth`). That plugin does not derive a credential from the caller's AWS
 * identity: it reads the cluster CA's private key from the state store and signs a client
 * certificate in `system:masters` valid for one hour, on every use (kops
 * pkg/commands/helpers/kubectl_auth.go). So whoever can read the state store (S3 and its KMS key)
 * is cluster-admin; the file itself holds no credential and does not expire.
 */
export const KOPS_KUBECONFIG_SCRIPT = `${PRELUDE}work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
kops_run export kubeconfig --name "$KOPS_CLUSTER_NAME" --auth-plugin --kubeconfig "$work/kubeconfig"
cat "$work/kubeconfig"
`;

/**
 * Gives kops the EncryptionConfiguration read from stdin as its `encryptionconfig` secret, which
 * `kops update cluster` needs when `encryptionConfig: true` (kops upup/pkg/fi/cloudup/apply_cluster.go:
 * "could not find encryptionconfig secret"). On create it writes the secret only when kops has none
 * (an existing one is kept, never overwritten); on update — which runs only when the key names
 * change, an explicit rotation — it replaces it with `--force`. The config lists every key, so
 * data written with an older key stays readable. The key material is on stdin only.
 */
export const KOPS_ENCRYPTION_CONFIG_CREATE_SCRIPT = `${PRELUDE}work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
umask 077
cat > "$work/encryptionconfig.yaml"
if kops get secrets encryptionconfig --name "$KOPS_CLUSTER_NAME" >/dev/null 2>&1; then
  echo 'kops already holds an encryptionconfig secret: kept (rotate by changing the key names)' >&2
else
  kops_run create secret encryptionconfig --name "$KOPS_CLUSTER_NAME" -f "$work/encryptionconfig.yaml"
fi
printf 'encryption keys: %s\\n' "$ENCRYPTION_KEY_NAMES"
`;

/** The rotation: replaces kops's encryptionconfig secret with the config on stdin (every key listed, the first encrypts). */
export const KOPS_ENCRYPTION_CONFIG_ROTATE_SCRIPT = `${PRELUDE}work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
umask 077
cat > "$work/encryptionconfig.yaml"
printf 'rotating the encryptionconfig secret to keys %s\\n' "$ENCRYPTION_KEY_NAMES" >&2
kops_run create secret encryptionconfig --name "$KOPS_CLUSTER_NAME" -f "$work/encryptionconfig.yaml" --force
printf 'encryption keys: %s\\n' "$ENCRYPTION_KEY_NAMES"
`;

/**
 * Before a Kubernetes version change or an etcd change (field notes §2): snapshots every etcd
 * volume (by its Name tag) and waits until each snapshot has completed. Each snapshot is tagged
 * `platform.example.com/snapshot=before-change`, `KubernetesCluster=<cluster>`, the volume's Name
 * and the reason, so a restore finds them (lib/aws/README.md, "Restoring etcd"). A cluster that
 * has no etcd volume yet (the first run) has nothing to snapshot.
 */
export const ETCD_SNAPSHOT_SCRIPT = `set -eu
aws_run() { printf '+ aws %s\\n' "$*" >&2; aws "$@"; }
names=$(printf '%s' "$ETCD_VOLUME_NAMES" | tr ',' ' ')
set --
for name in $names; do set -- "$@" "$name"; done
if [ "$#" -eq 0 ]; then echo 'ETCD_VOLUME_NAMES names no volume' >&2; exit 2; fi
filter="Name=tag:Name,Values=$(printf '%s' "$ETCD_VOLUME_NAMES")"
volumes=$(aws_run ec2 describe-volumes --region "$AWS_REGION" --filters "$filter" --query "Volumes[].[VolumeId,Tags[?Key=='Name']|[0].Value]" --output text)
if [ -z "$volumes" ]; then
  echo "no etcd volume of $KOPS_CLUSTER_NAME exists yet: nothing to snapshot" >&2
  exit 0
fi
snapshots=''
while read -r volume name; do
  [ -n "$volume" ] || continue
  tags="ResourceType=snapshot,Tags=[{Key=${SNAPSHOT_TAG},Value=before-change},{Key=KubernetesCluster,Value=$KOPS_CLUSTER_NAME},{Key=Name,Value=$name},{Key=platform.example.com/reason,Value=$SNAPSHOT_REASON}]"
  id=$(aws_run ec2 create-snapshot --region "$AWS_REGION" --volume-id "$volume" --description "before change: $name ($SNAPSHOT_REASON)" --tag-specifications "$tags" --query SnapshotId --output text)
  snapshots="$snapshots $id"
done <<EOF_VOLUMES
$volumes
EOF_VOLUMES
printf 'waiting for etcd snapshots:%s\\n' "$snapshots" >&2
# shellcheck disable=SC2086 # one argument per snapshot id
aws_run ec2 wait snapshot-completed --region "$AWS_REGION" --snapshot-ids $snapshots
printf 'etcd snapshots:%s\\n' "$snapshots"
`;

/** Deletes the cluster's cloud resources and state (runs only when the deployment is not protected). */
export const KOPS_DELETE_SCRIPT = `${PRELUDE}kops_run delete cluster --name "$KOPS_CLUSTER_NAME" --yes
`;
