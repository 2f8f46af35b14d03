#!/usr/bin/env bash
# generate.sh — record what real keepalived builds from each sample Debian ships
# (tests/config/samples/keepalived.conf.*) when its health checks reach real hosts.
#
# Builds the hosts of hosts.sh in one network namespace, runs
# ../shared/oracle/keepalived-oracle --netns NS (Debian's keepalived 2.2.7 against an emulated
# kernel IPVS) on every sample at once, and stores the `ipvsadm -Ln` table each printed after
# SECONDS_TO_SETTLE (default 75) as samples/expected-reachable/NAME.expected.  Run by hand
# when a sample or hosts.sh changes; tests/config/oracle_compare_reachable.sh compares
# ulvsd's tables with these files in CI.
#
#   tests/config/reachable/generate.sh                          # every sample
#   tests/config/reachable/generate.sh keepalived.conf.fwmark   # just these
#
# 75 s: a checker's first run starts after 1 s + a random warmup of up to delay_loop, and a
# failing one gives up after `retry` more tries delay_before_retry apart.  The longest is
# SMTP_CHECK's (delay_loop 60, retry 2, delay_before_retry 5): 1 + 60 + 2 x 5 = 71 s.
#
# Running the samples side by side is safe: each keepalived-oracle run has its own temporary
# directory (pid files, emulated IPVS state: IPVS_SHIM_STATE is unset), the checkers only
# connect out, and serve.py answers any number of them.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
samples=$here/../samples
oracle_dir=${ORACLE_DIR:-$here/../../../../shared/oracle}
oracle=$oracle_dir/keepalived-oracle
seconds=${SECONDS_TO_SETTLE:-75}
[ -x "$oracle" ] || { echo "generate.sh: no keepalived-oracle at $oracle" >&2; exit 2; }
dpkg -s keepalived >/dev/null 2>&1 || { echo "generate.sh: keepalived is not installed" >&2; exit 2; }
# Build the shim once here, not in N oracle runs racing to build it.
"$oracle_dir/ipvsadm-oracle" -v >/dev/null

if [ $# -eq 0 ]; then
  mapfile -t all < <(cd "$samples" && ls keepalived.conf.*)
  set -- "${all[@]}"
fi
ns=ulvs-gen-$$
logs=$(mktemp -d /tmp/ulvs-ka-reach.XXXXXX)
pids=()
cleanup() {
  for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done
  wait 2>/dev/null || true
  "$here/hosts.sh" down "$ns"
  rm -rf "$logs"
}
trap cleanup EXIT
"$here/hosts.sh" up "$ns"
mkdir -p "$samples/expected-reachable"

for name in "$@"; do
  env -u IPVS_SHIM_STATE "$oracle" --netns "$ns" --seconds "$seconds" "$samples/$name" \
    >"$logs/$name.out" 2>"$logs/$name.log" &
  pids+=($!)
done
failed=0
i=0
for name in "$@"; do
  if ! wait "${pids[$i]}"; then
    cat "$logs/$name.log" >&2
    echo "generate.sh: $name: keepalived-oracle failed" >&2
    failed=1
  else
    cp "$logs/$name.out" "$samples/expected-reachable/$name.expected"
    echo "== $name: $(grep -c '^  -> [0-9[]' "$logs/$name.out" || true) real server entries"
    # What keepalived did with the pool, for the human reading along.
    sed 's/^[A-Z][a-z][a-z] [A-Z][a-z][a-z] [ 0-9][0-9] [0-9:]* [0-9]*: //' "$logs/$name.log" |
      grep -vE '^( |Command line|Opening file|Configuration file|Shutting down)' |
      grep -iE 'warning|error|fail|succe|timeout|unreachable|quorum|sorry|removing|disabling|adding|enabling' || true
  fi
  i=$((i + 1))
done
pids=()
exit $failed
