#!/bin/sh
# `npm run import`: regenerates imports/kops.k8s.io.ts from the two kops CRDs.
# cdk8s import names its module after the API group, so given the two files separately the
# second overwrites the first; one multi-document YAML (both files start with `---`) gives one
# module holding both kinds, Cluster and InstanceGroup. That file, kops.k8s.io.yaml, is derived
# from the two CRDs here (CI checks it is up to date) and is what cdk8s.yaml's `imports` lists,
# so a plain `cdk8s import` gives the same result.
set -eu
cd "$(dirname "$0")/../.."
cat schemas/kops/kops.k8s.io_clusters.yaml schemas/kops/kops.k8s.io_instancegroups.yaml > schemas/kops/kops.k8s.io.yaml
npx --no-install cdk8s --no-check-upgrade import --language typescript --output imports
