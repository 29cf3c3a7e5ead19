#!/usr/bin/env bash
# Writes a kubeconfig for one cluster from the descriptor the platform publishes (its API server,
# how its certificate is verified, its audience), authenticating with ci-token.sh: the job's own
# GitHub OIDC token, never a stored credential. The cluster's audience is its OIDC client id: the
# API server's GitHub Actions issuer accepts that audience and no other cluster's.
# usage: deploy/kubeconfig.sh <descriptor file or URL> <kubeconfig to write>
set -euo pipefail
source=${1:?usage: kubeconfig.sh <descriptor file|url> <kubeconfig>}
out=${2:?usage: kubeconfig.sh <descriptor file|url> <kubeconfig>}
here=$(cd "$(dirname "$0")" && pwd)
case "$source" in
  https://*) descriptor=$(curl -fsS --proto '=https' "$source") ;;
  *) descriptor=$(cat "$source") ;;
esac
cluster=$(jq -er '.cluster' <<<"$descriptor")
server=$(jq -er '.server' <<<"$descriptor")
audience=$(jq -er '.oidc.clientId' <<<"$descriptor")
ca=$(jq -r '.certificateAuthorityData // empty' <<<"$descriptor")
case "$server" in https://*) ;; *) echo "kubeconfig: the descriptor's server '$server' is not https" >&2; exit 1 ;; esac
rm -f "$out"
export KUBECONFIG=$out
kubectl config set-cluster "$cluster" --server="$server" >/dev/null
[ -z "$ca" ] || kubectl config set "clusters.$cluster.certificate-authority-data" "$ca" >/dev/null
kubectl config set-credentials "ci-$cluster" --exec-api-version=client.authentication.k8s.io/v1 \
  --exec-command="$here/ci-token.sh" --exec-arg="$audience" --exec-interactive-mode=Never >/dev/null
kubectl config set-context "$cluster" --cluster="$cluster" --user="ci-$cluster" >/dev/null
kubectl config use-context "$cluster" >/dev/null
echo "kubeconfig: $out for cluster $cluster at $server (audience $audience)"
