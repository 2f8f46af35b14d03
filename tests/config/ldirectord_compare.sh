#!/usr/bin/env bash
# The table ulvsd builds from each tests/config/ldirectord/*.cf equals the one the real
# ldirectord built (NAME.expected, recorded by ldirectord/generate.sh with ldirectord-oracle
# in an empty network namespace, where every health check fails, after 10 s).
#
#   tests/config/ldirectord_compare.sh ULVSADM ULVSD
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
pairs=()
for c in "$here"/ldirectord/*.cf; do pairs+=("$c:${c%.cf}.expected"); done
exec "$here/compare_tables.sh" "${1:?usage: $0 ULVSADM ULVSD}" "${2:?}" "${SECONDS_TO_SETTLE:-10}" ldirectord "${pairs[@]}"
