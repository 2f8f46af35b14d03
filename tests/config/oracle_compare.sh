#!/usr/bin/env bash
# The table ulvsd builds from each tests/config/cases/*.conf and from every sample Debian's
# keepalived ships (tests/config/samples/keepalived.conf.*) equals the one the real
# keepalived built (cases/NAME.expected, samples/expected/NAME.expected, recorded with
# keepalived-oracle in an empty network namespace, where every health check fails: see
# generate.sh, which gives keepalived 15 s).  Each config runs its own ulvsd (control plane
# only) in its own empty namespace, all at once; after the same 15 s every table is compared,
# each retried for up to 10 s more while it differs.
#
#   tests/config/oracle_compare.sh ULVSADM ULVSD
set -euo pipefail
ULVSADM=$(readlink -f "${1:?usage: $0 ULVSADM ULVSD}")
ULVSD=$(readlink -f "${2:?usage: $0 ULVSADM ULVSD}")
here=$(cd "$(dirname "$0")" && pwd)
work=$(mktemp -d /tmp/ulvs-oracle-cmp.XXXX)
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
declare -A expected
for conf in "$here"/cases/*.conf "$here"/samples/keepalived.conf.*; do
  name=$(basename "$conf" .conf)
  if [[ $conf == */samples/* ]]; then expected[$name]=$here/samples/expected/$name.expected
  else expected[$name]=$here/cases/$name.expected; fi
  ns="ulvs-ka-$$-$name"
  ip netns add "$ns"; nss+=("$ns")
  ip -n "$ns" link set lo up
  ip netns exec "$ns" "$ULVSD" --socket "$work/$name.sock" --config "$conf" >"$work/$name.log" 2>&1 &
  pids+=($!)
  cases+=("$name")
done

failed=0
sleep 15   # as long as keepalived-oracle ran: the checks have failed and settled
deadline=$((SECONDS + 10))
for name in "${cases[@]}"; do
  while :; do
    if ULVS_SOCKET="$work/$name.sock" "$ULVSADM" -Ln >"$work/$name.out" 2>/dev/null &&
        cmp -s "$work/$name.out" "${expected[$name]}"; then
      echo "ok: $name"
      break
    fi
    if ((SECONDS > deadline)); then
      echo "FAIL: $name: ulvsd's table differs from keepalived's:"
      diff "${expected[$name]}" "$work/$name.out" || true
      sed 's/^/    ulvsd: /' "$work/$name.log" | tail -5
      failed=1
      break
    fi
    sleep 0.2
  done
done
exit $failed
