#!/usr/bin/env bash
# The table ulvsd builds from every sample Debian's keepalived ships
# (tests/config/samples/keepalived.conf.*) equals the real keepalived's when the health checks
# reach real hosts: reachable/hosts.sh builds one network namespace with every address of the
# samples and services that pass some checks and fail others; one ulvsd per sample runs in
# it, all at once, and after 75 s each `ulvsadm -Ln` is compared with
# samples/expected-reachable/NAME.expected (recorded in the same namespace with
# keepalived-oracle by reachable/generate.sh, which says why 75 s).  Everything it starts is
# gone when it exits, also on SIGTERM / SIGINT.
#
#   tests/config/oracle_compare_reachable.sh ULVSADM ULVSD
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
ULVSADM=${1:?usage: $0 ULVSADM ULVSD}
ULVSD=${2:?usage: $0 ULVSADM ULVSD}
ns=ulvs-reach-$$
child=""
cleanup() {
  if [ -n "$child" ]; then kill "$child" 2>/dev/null || true; wait "$child" 2>/dev/null || true; fi
  "$here/reachable/hosts.sh" down "$ns"
}
trap cleanup EXIT
trap 'exit 143' TERM
trap 'exit 130' INT
"$here/reachable/hosts.sh" up "$ns"
pairs=()
for c in "$here"/samples/keepalived.conf.*; do
  pairs+=("$c:$here/samples/expected-reachable/$(basename "$c").expected")
done
# In the background and waited for, so that a signal reaches us (and the cleanup) at once.
"$here/compare_tables.sh" --netns "$ns" "$ULVSADM" "$ULVSD" "${SECONDS_TO_SETTLE:-75}" keepalived "${pairs[@]}" &
child=$!
rc=0
wait "$child" || rc=$?
child=""
exit "$rc"
