#!/usr/bin/env bash
# compare_tables.sh — runs ulvsd on each configuration and compares its `ulvsadm -Ln` with a
# table the real tool (keepalived, ldirectord) built from the same file.
#
#   compare_tables.sh [--netns NS] ULVSADM ULVSD SETTLE_SECONDS TOOL CONF:EXPECTED...
#
# Each configuration gets its own ulvsd (control plane only) in its own empty network
# namespace, all at once, so every health check fails as it did for the oracle.  With
# --netns NS they all run in NS instead (the caller built it, with hosts the checks reach,
# and deletes it).  After SETTLE_SECONDS (as long as the oracle ran) every table is compared,
# each retried for up to 10 s more while it differs.  Exit 0 when all match.
set -euo pipefail
shared_ns=""
if [ "${1:-}" = --netns ]; then shared_ns=$2; shift 2; fi
ULVSADM=$(readlink -f "$1")
ULVSD=$(readlink -f "$2")
settle=$3 tool=$4
shift 4
work=$(mktemp -d /tmp/ulvs-cmp.XXXX)
pids=()
nss=()
cleanup() {
  for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done
  wait 2>/dev/null || true
  for n in "${nss[@]}"; do ip netns del "$n" 2>/dev/null || true; done
  rm -rf "$work"
}
trap cleanup EXIT
# A plain SIGTERM would kill bash without the EXIT trap (daemons and namespaces left behind).
trap 'exit 143' TERM
trap 'exit 130' INT

names=()
declare -A expected
for pair in "$@"; do
  conf=${pair%%:*}
  name=$(basename "$conf")
  expected[$name]=${pair#*:}
  if [ -n "$shared_ns" ]; then
    ns=$shared_ns
  else
    ns="ulvs-cmp-$$-${#names[@]}"
    ip netns add "$ns"; nss+=("$ns")
    ip -n "$ns" link set lo up
  fi
  ip netns exec "$ns" "$ULVSD" --socket "$work/$name.sock" --config "$conf" >"$work/$name.log" 2>&1 &
  pids+=($!)
  names+=("$name")
done

failed=0
# In the background, so that a signal is handled now, not after the whole settle time.
sleep "$settle" & pids+=($!)
wait $!
deadline=$((SECONDS + 10))
for name in "${names[@]}"; do
  while :; do
    if ULVS_SOCKET="$work/$name.sock" "$ULVSADM" -Ln >"$work/$name.out" 2>/dev/null &&
        cmp -s "$work/$name.out" "${expected[$name]}"; then
      echo "ok: $name"
      break
    fi
    if ((SECONDS > deadline)); then
      echo "FAIL: $name: ulvsd's table differs from $tool's:"
      diff "${expected[$name]}" "$work/$name.out" || true
      sed 's/^/    ulvsd: /' "$work/$name.log" | tail -5
      failed=1
      break
    fi
    sleep 0.2
  done
done
exit $failed
