#!/usr/bin/env bash
# The table ulvsd builds from each tests/config/cases/*.conf and from every sample Debian's
# keepalived ships (tests/config/samples/keepalived.conf.*) equals the one the real
# keepalived built (cases/NAME.expected, samples/expected/NAME.expected, recorded with
# keepalived-oracle in an empty network namespace, where every health check fails, after
# 75 s, long enough for the slowest sample, SMTP_CHECK: see reachable/generate.sh).
#
#   tests/config/oracle_compare.sh ULVSADM ULVSD
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
pairs=()
for c in "$here"/cases/*.conf; do pairs+=("$c:${c%.conf}.expected"); done
for c in "$here"/samples/keepalived.conf.*; do pairs+=("$c:$here/samples/expected/$(basename "$c").expected"); done
exec "$here/compare_tables.sh" "${1:?usage: $0 ULVSADM ULVSD}" "${2:?}" 75 keepalived "${pairs[@]}"
