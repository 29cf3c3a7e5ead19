#!/usr/bin/env bash
# Checks that need packing or outside tools: every cluster's monitoring configuration passes the
# real Prometheus tools, and the packed library works in a service repo of its own, without
# @pulumi installed.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

cd "$root"
echo "== monitoring configuration, checked by promtool, amtool and the blackbox exporter"
npm run synth --silent >/dev/null
bash scripts/check-monitoring.sh --from-dist

echo "== build and pack"
npm run build --silent
tarball=$(npm pack --silent --pack-destination "$work" | tail -n 1)
echo "packed $tarball"

echo "== the service repo the package ships, installing the tarball"
# The example as a team gets it: taken out of the tarball, not from this repo's tree.
mkdir "$work/unpacked"
tar -xzf "$work/$tarball" -C "$work/unpacked" package/verify/service-repo
mv "$work/unpacked/package/verify/service-repo" "$work/repo"
cd "$work/repo"
# Its .npmrc sends @example/* to CodeArtifact; the tarball given here stands in for it.
npm install --no-audit --no-fund --loglevel=error "$work/$tarball" >/dev/null
if [ -e node_modules/@pulumi ]; then
  echo "FAIL: installing platform-constructs brought in @pulumi packages:" >&2
  ls node_modules/@pulumi >&2
  exit 1
fi
npm run build --silent
npm run synth --silent
# The package's command answers "cannot tell" (2), never a pass, when it has no descriptor.
gate_status=0
npx --no-install platform-constructs gate --descriptor missing.json --service checkout || gate_status=$?
[ "$gate_status" -eq 2 ] || { echo "FAIL: platform-constructs gate exited $gate_status without a descriptor, not 2" >&2; exit 1; }
test -f dist/stage/manifests/5-services/checkout.k8s.yaml
test -f dist/prod/manifests/5-services/checkout.k8s.yaml
# What deploy/apply.sh hands kubectl: each folder built by kustomize (no API server needed).
if command -v kubectl >/dev/null; then
  for env in stage prod; do kubectl kustomize "dist/$env/manifests/5-services" >/dev/null; done
else
  echo "kubectl is not installed: the kustomize check of the output is skipped"
fi
# The snapshot is committed next to the fixture: jest --ci fails when it is missing or differs.
# `UPDATE_SNAPSHOT=1 npm run verify` rewrites it (read its diff before committing).
snap=test/__snapshots__/services.test.js.snap
mkdir -p build/test/__snapshots__
if [ "${UPDATE_SNAPSHOT:-}" = 1 ]; then
  npx jest --ci=false -u
  mkdir -p "$root/verify/service-repo/test/__snapshots__"
  cp "build/$snap" "$root/verify/service-repo/$snap"
else
  cp "$root/verify/service-repo/$snap" "build/$snap"
  npx jest --ci
fi
echo "verify: ok"
