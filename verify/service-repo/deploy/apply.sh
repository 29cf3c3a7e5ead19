#!/usr/bin/env bash
# Applies one environment's synthesized output as the team's deploy identity, in the order of
# dist/<environment>/manifests/ (its folders are numbered in apply order): a CRD folder on its own,
# waited for until established and never pruned (deleting a CRD deletes every object of it);
# every other folder in one server-side apply, pruned by an ApplySet whose parent is the ConfigMap
# <applyset> in <namespace> (the deploy Role may write ConfigMaps, never Secrets); then a wait
# for every Deployment and StatefulSet it applied.
# usage: deploy/apply.sh <dist/environment> <applyset parent name> <namespace>
# Set DRY_RUN=server to have the API server check everything and change nothing.
set -euo pipefail
usage='usage: apply.sh <dist/environment> <applyset parent name> <namespace>'
out=${1:?$usage}
parent=${2:?$usage}
namespace=${3:?$usage}
manifests=$out/manifests
manager=${FIELD_MANAGER:-service-repo-deploy}
dry=()
[ -z "${DRY_RUN:-}" ] || dry=(--dry-run="$DRY_RUN")
if [ ! -d "$manifests" ]; then
  echo "apply: $manifests does not exist: run the synth first (npm run synth)" >&2
  exit 2
fi
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
stream=$work/objects.yaml
: >"$stream"
for step in "$manifests"/*/; do # the shell sorts the glob: 1-crds, 2-namespaces, ..., 5-services
  step=${step%/}
  case "${step##*/}" in
    *-crds)
      kubectl apply --server-side --field-manager="$manager" "${dry[@]}" -k "$step"
      # kubectl wait takes no -k: it is given the folder's objects (the CRDs) on stdin
      [ -n "${DRY_RUN:-}" ] || kubectl kustomize "$step" | kubectl wait --for condition=established --timeout=5m -f -
      ;;
    *)
      kubectl kustomize "$step" >>"$stream"
      echo '---' >>"$stream"
      ;;
  esac
done
if ! grep -q '^kind:' "$stream"; then
  echo "apply: $manifests holds no objects; refusing to prune the whole ApplySet" >&2
  exit 2
fi
# ApplySet pruning is alpha in kubectl 1.32 and gated: KUBECTL_APPLYSET=true. kubectl takes the
# parent's namespace from -n only (kubernetes/kubectl pkg/cmd/apply/apply.go), so it is given.
KUBECTL_APPLYSET=true kubectl apply --server-side --field-manager="$manager" "${dry[@]}" \
  --prune --applyset="configmaps/$parent" -n "$namespace" -f "$stream"
[ -z "${DRY_RUN:-}" ] || exit 0
# custom-columns prints one line per object whether the file holds one object or many.
kubectl get -f "$stream" --no-headers -o custom-columns='KIND:.kind,NAMESPACE:.metadata.namespace,NAME:.metadata.name' \
  | while read -r kind ns name; do
      case "$kind" in
        Deployment | StatefulSet) kubectl rollout status "${kind,,}/$name" -n "$ns" --timeout=10m ;;
      esac
    done
