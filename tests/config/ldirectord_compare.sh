#!/usr/bin/env bash
# The table ulvsd builds from each tests/config/ldirectord/*.cf equals the one the real
# ldirectord built (NAME.expected, recorded by ldirectord/generate.sh with ldirectord-oracle in
# an empty network namespace, where every health check fails, after 10 s).  Each config runs
# its own ulvsd (control plane only) in its own empty namespace, all at once; after the same
# 10 s every table is compared, each retried for up to 10 s more while it differs.
#
#   tests/config/ldirectord_compare.sh ULVSADM ULVSD
set -euo pipefail
ULVSADM=$(readlink -f "${1:?usage: $0 ULVSADM ULVSD}")
ULVSD=$(readlink -f "${2:?usage: $0 ULVSADM ULVSD}")
here=$(cd "$(dirname "$0")" && pwd)/ldirectord
work=$(mktemp -d /tmp/ulvs-ld-cmp.XXXX)
pids=()
nss=()
cleanup() {
  for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done
  wait 2>/dev/null || true
  for n in "${nss[@]}"; do ip netns del "$n" 2>/dev/null || true; done
  rm -rf "$work"
}
trap cleanup EXIT

cases=()
for conf in "$here"/*.cf; do
  name=$(basename "$conf" .cf)
  ns="ulvs-ld-$$-$name"
  ip netns add "$ns"; nss+=("$ns")
  ip -n "$ns" link set lo up
  ip netns exec "$ns" "$ULVSD" --socket "$work/$name.sock" --config "$conf" >"$work/$name.log" 2>&1 &
  pids+=($!)
  cases+=("$name")
done

failed=0
sleep "${SECONDS_TO_SETTLE:-10}"   # as long as ldirectord-oracle ran
deadline=$((SECONDS + 10))
for name in "${cases[@]}"; do
  while :; do
    if ULVS_SOCKET="$work/$name.sock" "$ULVSADM" -Ln >"$work/$name.out" 2>/dev/null &&
        cmp -s "$work/$name.out" "$here/$name.expected"; then
      echo "ok: $name"
      break
    fi
    if ((SECONDS > deadline)); then
      echo "FAIL: $name: ulvsd's table differs from ldirectord's:"
      diff "$here/$name.expected" "$work/$name.out" || true
      sed 's/^/    ulvsd: /' "$work/$name.log" | tail -5
      failed=1
      break
    fi
    sleep 0.2
  done
done
exit $failed
