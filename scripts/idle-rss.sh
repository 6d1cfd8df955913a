#!/usr/bin/env bash
# Resident memory of an idle processor and indexer: both started from dist/ against a running
# stack (KAFKA_BROKERS, OPENSEARCH_URL; the local stack's by default), left idle, then read
# from /proc. What loading the modules and connecting costs, before any record arrives.
#
#   bash scripts/idle-rss.sh [seconds idle, default 20]     (after npm run build)
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
# shellcheck source=node-env.sh
source scripts/node-env.sh >/dev/null
idle=${1:-20}
ns="idle-rss-$$-"
logs="$(mktemp -d)"
pids=()
trap 'kill -TERM "${pids[@]}" 2>/dev/null || true; wait 2>/dev/null || true; rm -rf "$logs"' EXIT
for s in processor indexer; do
  [ -f "dist/consumer-$s/src/main.js" ] || { echo "idle-rss: dist/consumer-$s/src/main.js is missing: run npm run build first" >&2; exit 2; }
  STREAMDEX_NAMESPACE="$ns" METRICS_PORT=0 LOG_LEVEL=warn node "dist/consumer-$s/src/main.js" >"$logs/$s.log" 2>&1 &
  pids+=($!)
done
sleep "$idle"
i=0
for s in processor indexer; do
  pid=${pids[$i]}; i=$((i + 1))
  kill -0 "$pid" 2>/dev/null || { echo "idle-rss: the $s exited early:" >&2; tail -5 "$logs/$s.log" >&2; exit 1; }
  awk -v s="$s" '/^VmRSS/{r=$2} /^VmHWM/{h=$2} END{printf "%-9s RSS %4d MiB  peak %4d MiB\n", s, r/1024, h/1024}' "/proc/$pid/status"
done
