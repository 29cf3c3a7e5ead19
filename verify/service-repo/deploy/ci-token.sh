#!/usr/bin/env bash
# A kubectl exec credential plugin for a GitHub Actions job: prints an ExecCredential holding a
# fresh GitHub OIDC token whose audience is the cluster's ($1, from the cluster descriptor). kubectl
# runs it again when the API server answers 401, so a deploy longer than the token's few minutes
# of life still authenticates. The job needs `permissions: id-token: write`; nothing is stored.
set -euo pipefail
audience=${1:?usage: ci-token.sh <audience>}
if [ -z "${ACTIONS_ID_TOKEN_REQUEST_URL:-}" ] || [ -z "${ACTIONS_ID_TOKEN_REQUEST_TOKEN:-}" ]; then
  echo "ci-token: no GitHub OIDC token available: give the job 'permissions: id-token: write'" >&2
  exit 1
fi
token=$(curl -fsS -H "Authorization: bearer $ACTIONS_ID_TOKEN_REQUEST_TOKEN" \
  "$ACTIONS_ID_TOKEN_REQUEST_URL&audience=$(jq -rn --arg a "$audience" '$a|@uri')" | jq -er .value)
jq -cn --arg token "$token" '{apiVersion: "client.authentication.k8s.io/v1", kind: "ExecCredential", status: {token: $token}}'
