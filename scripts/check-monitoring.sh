#!/usr/bin/env bash
# Checks every cluster's monitoring configuration with the real tools: promtool (config, rules and
# rule unit tests), amtool and the blackbox exporter. Needs Debian's prometheus,
# prometheus-alertmanager and prometheus-blackbox-exporter packages.
#   scripts/check-monitoring.sh              render in-process (stub wiring where a cluster has none)
#   scripts/check-monitoring.sh --from-dist  read dist/<cluster>/manifests/ after `npm run synth`
# VERBOSE=1 prints every tool's output. The files checked stay in build/monitoring-check/.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
for tool in promtool amtool prometheus-blackbox-exporter; do
  command -v "$tool" >/dev/null || { echo "check-monitoring: $tool is not installed (apt-get install prometheus prometheus-alertmanager prometheus-blackbox-exporter)" >&2; exit 1; }
done
work="$root/build/monitoring-check"
rm -rf "$work"
mkdir -p "$work"
cd "$root"
npx tsx scripts/monitoring/check.ts "$work" "$@"
