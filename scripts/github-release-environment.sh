#!/usr/bin/env bash
# Creates or updates the `release` GitHub environment the publish job of
# .github/workflows/release.yml runs in: required reviewers (a team, never the person who pushed
# the tag), and deployments only from tags matching v*. Its token subject
# (repo:<repo>:environment:release) is the only one platform-package-publisher trusts, so these
# rules are what stands between a pushed tag and a published package. Pulumi has no GitHub
# provider in this project, so this is run once by a repository admin, with `gh auth login`:
#
#   scripts/github-release-environment.sh example/platform platform-team
#
# Idempotent: re-running sets the same rules and adds the tag rule only if missing.
# GitHub REST API: "Create or update an environment" (PUT /repos/{owner}/{repo}/environments/{name})
# and "Create a deployment branch policy" (POST .../deployment-branch-policies, type tag).
set -euo pipefail

if [ "$#" -ne 2 ]; then
  echo "usage: $0 <owner>/<repo> <reviewer-team-slug>" >&2
  exit 2
fi
repo=$1
team=$2
case "$repo" in
  */*) ;;
  *) echo "error: repository must be <owner>/<repo> (got \"$repo\")" >&2; exit 2 ;;
esac
owner=${repo%%/*}
environment=release
tag_pattern='v*'

team_id=$(gh api "orgs/$owner/teams/$team" --jq .id)
case "$team_id" in
  '' | *[!0-9]*) echo "error: team $owner/$team has no numeric id (got \"$team_id\")" >&2; exit 1 ;;
esac

gh api --method PUT "repos/$repo/environments/$environment" --input - >/dev/null <<JSON
{"prevent_self_review":true,"reviewers":[{"type":"Team","id":$team_id}],"deployment_branch_policy":{"protected_branches":false,"custom_branch_policies":true}}
JSON

existing=$(gh api "repos/$repo/environments/$environment/deployment-branch-policies" --jq '.branch_policies[] | select(.type == "tag") | .name')
if printf '%s\n' "$existing" | grep -qxF -- "$tag_pattern"; then
  echo "environment $environment of $repo: reviewers $owner/$team, tag rule $tag_pattern kept"
else
  gh api --method POST "repos/$repo/environments/$environment/deployment-branch-policies" -f "name=$tag_pattern" -f type=tag >/dev/null
  echo "environment $environment of $repo: reviewers $owner/$team, tag rule $tag_pattern added"
fi
