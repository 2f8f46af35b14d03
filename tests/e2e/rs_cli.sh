#!/usr/bin/env bash
# rs_cli.sh — ulvs-rs's command line: --help, usage errors (exit 2, a message naming the
# problem, nothing changed), failures (exit 1), and `down` leaving a clsact qdisc that carries
# someone else's filter.  Everything that could change the system runs in a throw-away namespace.
#
#   tests/e2e/rs_cli.sh [path/to/ulvs-rs]          (root)
set -euo pipefail

RS_BIN=${1:-${ULVS_RS:-}}
if [ -z "$RS_BIN" ]; then
  for b in build/ulvs-rs build-*/ulvs-rs; do [ -x "$b" ] && RS_BIN=$b && break; done
fi
[ -x "${RS_BIN:-}" ] || { echo "rs_cli: no ulvs-rs binary (pass its path)" >&2; exit 1; }
RS_BIN=$(realpath "$RS_BIN")

NS=ulvsrs-cli-$$
TMP=$(mktemp -d)
cleanup() {
  ip netns del "$NS" 2>/dev/null || true
  rm -rf "$TMP"
}
trap cleanup EXIT
fail() { echo "rs_cli: FAIL: $*" >&2; exit 1; }
ip netns add "$NS"
ip -n "$NS" link set lo up
ip -n "$NS" link add e0 type veth peer name e1
ip -n "$NS" link set e0 up

# expect STATUS 'TEXT' ARGS...: exit status and a piece of stderr (or stdout for status 0).
expect() {
  local want=$1 text=$2 rc=0
  shift 2
  ip netns exec "$NS" "$RS_BIN" "$@" >"$TMP/out" 2>"$TMP/err" || rc=$?
  [ "$rc" = "$want" ] || fail "ulvs-rs $*: exit $rc, expected $want ($(cat "$TMP/err"))"
  local where=$TMP/err
  [ "$want" = 0 ] && where=$TMP/out
  grep -qF -- "$text" "$where" || fail "ulvs-rs $*: no '$text' in: $(cat "$where")"
}

expect 0 "usage: ulvs-rs dr" --help
expect 0 "usage: ulvs-rs dr" tun --help
expect 2 "no command given"
expect 2 "unknown command 'up'" up --vip 10.0.0.1
expect 2 "bad VIP address '10.0.0.256'" dr --vip 10.0.0.256
expect 2 "bad VIP address '10.0.0.1/32'" dr --vip 10.0.0.1/32
expect 2 "bad VIP address '0.0.0.0'" dr --vip 0.0.0.0
expect 2 "bad VIP address 'fe80::1::2'" dr --vip fe80::1::2
expect 2 "--vip needs a value" dr --vip
expect 2 "at least one --vip is needed" dr
expect 2 "at least one --vip is needed" down --dev e0
expect 2 "tun needs --dev IFACE" tun --vip 10.0.0.1
expect 2 "dr takes no --dev" dr --vip 10.0.0.1 --dev e0
expect 2 "status takes no --vip" status --vip 10.0.0.1
expect 2 "bad GUE port '0'" tun --vip 10.0.0.1 --dev e0 --gue-port 0
expect 2 "bad GUE port '65536'" tun --vip 10.0.0.1 --dev e0 --gue-port 65536
expect 2 "bad GUE port '80x'" tun --vip 10.0.0.1 --dev e0 --gue-port=80x
expect 2 "--gue-port is for tun only" dr --vip 10.0.0.1 --gue-port 6080
expect 2 "unknown argument '--vips'" dr --vips 10.0.0.1
expect 2 "bad interface name" tun --vip 10.0.0.1 --dev "a-very-long-interface-name"
# A missing interface is a failure (exit 1), found before anything is changed.
expect 1 "interface nosuch0: No such device" tun --vip 10.0.0.1 --dev nosuch0
expect 1 "interface nosuch0: No such device" status --dev nosuch0
! ip -n "$NS" addr show dev lo | grep -q 10.0.0.1 || fail "a failed tun left the VIP on lo"
[ "$(ip netns exec "$NS" cat /proc/sys/net/ipv4/conf/all/arp_ignore)" = 0 ] \
  || fail "a failed tun changed arp_ignore"

# The --opt=VALUE form, and dr/down round trip.
expect 0 "added 10.0.0.1/32 dev lo" dr --vip=10.0.0.1 --vip 2001:db8::1
expect 0 "already on lo: 10.0.0.1/32" dr --vip 10.0.0.1
expect 0 "lo vips: 10.0.0.1/32 2001:db8::1/128" status
expect 0 "net.ipv4.conf.all.arp_ignore = 1" status
expect 0 "decap on e0: none" status --dev e0
expect 0 "removed 2001:db8::1/128" down --vip 2001:db8::1 --vip 10.0.0.1
expect 0 "not on lo: 10.0.0.1/32" down --vip 10.0.0.1

# down keeps the clsact qdisc when another filter uses it.
expect 0 "decap attached to e0" tun --vip 10.0.0.1 --dev e0
ip netns exec "$NS" tc filter add dev e0 egress bpf bytecode "1,6 0 0 0,"
expect 0 "decap detached from e0" down --vip 10.0.0.1 --dev e0
ip netns exec "$NS" tc qdisc show dev e0 | grep -q clsact || fail "down removed a clsact still in use"
ip netns exec "$NS" tc filter show dev e0 egress | grep -q bytecode || fail "down removed a foreign filter"
echo "rs_cli: ok"
