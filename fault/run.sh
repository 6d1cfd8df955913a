#!/usr/bin/env bash
# npm run faults: a fresh build, then the suite (see harness/runBuilt.sh).
exec bash "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")/../harness/runBuilt.sh" fault "$@"
