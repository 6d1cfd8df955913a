#!/usr/bin/env bash
# The project's test command (`npm test`): type-checked build, then the unit and integration
# tests, the latter against the local Kafka and OpenSearch of stack/stack.
#
#   bash scripts/test.sh [jest args...]      e.g. test/stack, -t 'some test name'
#
# STREAMDEX_TEST_NO_STACK=1   unit tests only; no servers are started
# KAFKA_BROKERS, OPENSEARCH_URL   where integration tests find the servers; default to the
#                             local stack (127.0.0.1:$KAFKA_PORT, http://127.0.0.1:$OPENSEARCH_PORT)
#
# The stack is left running when this started it: a second run (or a developer's next one)
# would otherwise pay its 30 s start again. `stack/stack down` stops it; CI always does.
set -euo pipefail

cd "$(dirname "${BASH_SOURCE[0]}")/.."

# shellcheck source-path=SCRIPTDIR source=node-env.sh
source scripts/node-env.sh

# npm ci wipes node_modules, so only when the lock file moved on since the last install.
# .ci/npm-ci is npm ci plus a workaround for this project's npm registry (see there).
if [ ! -d node_modules ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  echo "test.sh: installing dependencies (npm ci)" >&2
  .ci/npm-ci
fi

# A broken build fails the run, but only at the end: the test results are still worth
# seeing, and jest compiles the sources on its own.
build_failed=0
if ! npm run build; then
  build_failed=1
  echo "test.sh: error: npm run build failed (see above); running the tests anyway" >&2
fi

jest_args=()
if [ "${STREAMDEX_TEST_NO_STACK:-}" = 1 ]; then
  jest_args=(--selectProjects unit)
else
  stack/stack up
  export KAFKA_BROKERS="${KAFKA_BROKERS:-127.0.0.1:${KAFKA_PORT:-9092}}"
  export OPENSEARCH_URL="${OPENSEARCH_URL:-http://127.0.0.1:${OPENSEARCH_PORT:-9200}}"
  # Integration tests share one broker and one node, and two cores: in parallel they would
  # mostly measure each other. The secured project needs a secured stack of its own
  # (scripts/test-secured.sh).
  jest_args=(--runInBand --selectProjects unit integration)
fi

jest_status=0
npx jest "${jest_args[@]}" "$@" || jest_status=$?

if [ "$build_failed" -eq 1 ]; then
  echo "test.sh: failing because npm run build failed" >&2
  [ "$jest_status" -ne 0 ] || jest_status=1
fi
exit "$jest_status"
