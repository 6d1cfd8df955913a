#!/usr/bin/env bash
# npm run bench: Node 24 on PATH (scripts/node-env.sh), a fresh build, then the runner.
set -euo pipefail
cd "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")/.."
# shellcheck source=../scripts/node-env.sh
source scripts/node-env.sh
if [ ! -d node_modules ]; then
  echo "bench: node_modules is missing: run \`npm ci\` first (after \`source scripts/node-env.sh\`)" >&2
  exit 2
fi
npm run --silent build >&2
exec node dist/bench/main.js "$@"
