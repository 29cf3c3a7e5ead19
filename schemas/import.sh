#!/bin/sh
# `npm run import`: regenerates imports/ from the third-party CRDs in schemas/ (kops, cert-manager, the
# Gateway API and Envoy Gateway, ECK's Elasticsearch and Kibana: only the kinds the library writes).
# cdk8s import names its module after the API group, so given the CRDs of one group as separate
# files the last overwrites the others; one multi-document YAML per group (every CRD file starts
# with `---`) gives one module holding all of the group's kinds. Those concatenations are derived
# from the CRDs here (CI checks they are up to date) and are what cdk8s.yaml's `imports` lists, so
# `cdk8s import` with no arguments, run here, does the same. ECK's two kinds are in two API groups
# (elasticsearch.k8s.elastic.co, kibana.k8s.elastic.co), one kind each, so each CRD file is
# already its group's one document and is listed as it is.
set -eu
cd "$(dirname "$0")/.."
cat schemas/kops/kops.k8s.io_clusters.yaml schemas/kops/kops.k8s.io_instancegroups.yaml > schemas/kops/kops.k8s.io.yaml
cat schemas/cert-manager/cert-manager.io_certificates.yaml schemas/cert-manager/cert-manager.io_clusterissuers.yaml > schemas/cert-manager/cert-manager.io.yaml
# The Gateway API's files do not start with `---`: each document is preceded by one here.
gw=schemas/gateway-api/gateway.networking.k8s.io
for kind in gatewayclasses gateways httproutes listenersets; do printf -- '---\n'; cat "${gw}_${kind}.yaml"; done > "$gw.yaml"
eg=schemas/envoy-gateway/gateway.envoyproxy.io
cat "${eg}_envoyproxies.yaml" "${eg}_backendtrafficpolicies.yaml" > "$eg.yaml"
npx --no-install cdk8s --no-check-upgrade import --language typescript --output imports
