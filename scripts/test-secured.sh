#!/usr/bin/env bash
# The secured suite (test/secured/, jest project `secured`): a STACK_SECURITY=on stack of its
# own (Kafka: SASL_SSL, SCRAM-SHA-512 users, ACLs; OpenSearch: the nginx TLS + basic-auth
# front), the suite against it, and the
# stack stopped and its data deleted on exit, whatever happened.
#
#   bash scripts/test-secured.sh [jest args...]
#
# SECURED_STACK_HOME   the instance's folder (default <repo>/.stack-secured, git-ignored)
# SECURED_KAFKA_PORT, SECURED_KAFKA_CONTROLLER_PORT, SECURED_OPENSEARCH_PORT,
# SECURED_OPENSEARCH_TRANSPORT_PORT, SECURED_OPENSEARCH_TLS_PORT   its ports (default 9492,
#                      9493, 9590, 9690, 9543): apart from
#                      the test stack's 9092/9200 and the fault suite's 19xxx
# SECURED_KEEP=1       leave the stack running and its data in place (to look at it)
set -euo pipefail

cd "$(dirname "${BASH_SOURCE[0]}")/.."

# shellcheck source-path=SCRIPTDIR source=node-env.sh
source scripts/node-env.sh

export STACK_SECURITY=on
export STACK_HOME="${SECURED_STACK_HOME:-$PWD/.stack-secured}"
export KAFKA_PORT="${SECURED_KAFKA_PORT:-9492}"
export KAFKA_CONTROLLER_PORT="${SECURED_KAFKA_CONTROLLER_PORT:-9493}"
export OPENSEARCH_PORT="${SECURED_OPENSEARCH_PORT:-9590}"
export OPENSEARCH_TRANSPORT_PORT="${SECURED_OPENSEARCH_TRANSPORT_PORT:-9690}"
export OPENSEARCH_TLS_PORT="${SECURED_OPENSEARCH_TLS_PORT:-9543}"
# The tests read the servers' addresses from `stack/stack env`, not from these.
unset KAFKA_BROKERS OPENSEARCH_URL

t0=$SECONDS
on_exit() {
  local rc=$?
  if [ "${SECURED_KEEP:-}" = 1 ]; then
    echo "test-secured: stack left running (STACK_HOME=$STACK_HOME; stack/stack down with the same settings stops it)" >&2
  else
    # reset = down, then delete the instance's data, certificates and passwords.
    stack/stack reset >&2 || { echo "test-secured: stack/stack reset failed" >&2; [ "$rc" -ne 0 ] || rc=1; }
  fi
  echo "test-secured: exit $rc after $((SECONDS - t0)) s" >&2
  exit "$rc"
}
trap on_exit EXIT

# The stack derives the ACLs from the built chains, and the suite runs the built services.
npm run --silent build
stack/stack up
echo "test-secured: stack up after $((SECONDS - t0)) s" >&2
npx jest --selectProjects secured --runInBand "$@"
