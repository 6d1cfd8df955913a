#!/usr/bin/env bash
# npm run bench: a fresh build, then the runner (see harness/runBuilt.sh).
exec bash "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")/../harness/runBuilt.sh" bench "$@"
