#!/usr/bin/env bash
# npm run bench / npm run faults: Node 24 on PATH (scripts/node-env.sh), a fresh build,
# then dist/<name>/main.js. Without node-env.sh an older system node would run it and
# fail to load the Kafka addon.
set -euo pipefail
name="$1"
shift
cd "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")/.."
# shellcheck source=../scripts/node-env.sh
source scripts/node-env.sh
if [ ! -d node_modules ]; then
  echo "$name: node_modules is missing: run \`npm ci\` first (after \`source scripts/node-env.sh\`)" >&2
  exit 2
fi
npm run --silent build >&2
exec node "dist/$name/main.js" "$@"
