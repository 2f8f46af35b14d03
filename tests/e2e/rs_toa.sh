#!/usr/bin/env bash
# rs_toa.sh — ulvs-rs toa: a FULLNAT real server sees the client address that the director
# carries in TCP option 254 (TOA), without the toa kernel module.  A "director" namespace
# (scapy) opens TCP connections by hand to a server in the real-server namespace, from a
# FULLNAT local address (10.99.0.50 / fd98::50) that no namespace owns, so no kernel there
# answers the SYN-ACK with a RST; the final ACK carries TOA (len 8: 198.51.100.7:4242; len 20:
# [2001:db8::7]:4243).  The server runs in a cgroup of its own, to which `toa attach` puts the
# sock_ops program.  Checked:
#   - the kernel accepts the connections (the server logs them) and `toa show` lists exactly
#     the two TOA connections, as the server sees them, with their clients;
#   - not listed: a connection whose ACK has no TOA, one whose option 254 is no TOA (len 6),
#     and a TOA connection to a server outside the cgroup;
#   - a connection reset by the client disappears from the map;
#   - attach is idempotent; detach removes the cgroup attachment and the pins (and is too).
#
#   tests/e2e/rs_toa.sh [path/to/ulvs-rs]          (root; cgroup v2; python3 with scapy)
#
# The bpf pins live in /sys/fs/bpf of the host's mount namespace: the toa commands run under
# `nsenter --net` (the RS's network namespace, the host's mounts), not `ip netns exec`, which
# remounts /sys privately.
set -euo pipefail

source "$(dirname "$0")/rs_pair.bash"
find_rs_bin rs_toa "${1:-}"
PY=/usr/bin/python3   # the system python has scapy

DIR=ulvstoa-dir-$$ RS=ulvstoa-rs-$$ VD=td$$ VR=tr$$
LIP=10.99.0.50 LIP6=fd98::50     # the director's FULLNAT local addresses
PORT=8080 OUTSIDE_PORT=8081
PINS=/sys/fs/bpf/ulvs-rs
CG2=$(awk '$3 == "cgroup2" { print $2; exit }' /proc/mounts)
[ -n "$CG2" ] || { echo "rs_toa: no cgroup v2 mount" >&2; exit 1; }
CG=$CG2/ulvs-rs-toa-$$
TMP=$(mktemp -d)
BPFFS_BEFORE=$(awk '$2 == "/sys/fs/bpf" && $3 == "bpf"' /proc/mounts)
ATTACHED= SERVER_PID= OUTSIDE_PID=

cleanup() {
  set +e
  [ -n "$ATTACHED" ] && "$RS_BIN" toa detach >/dev/null 2>&1
  for pid in $SERVER_PID $OUTSIDE_PID $(cat "$CG/cgroup.procs" 2>/dev/null); do kill "$pid" 2>/dev/null; done
  if [ -d "$CG" ]; then
    for _ in $(seq 50); do rmdir "$CG" 2>/dev/null && break; sleep 0.1; done
  fi
  ip netns del "$DIR" 2>/dev/null
  ip netns del "$RS" 2>/dev/null
  # bpffs was mounted by ulvs-rs for this test: leave the machine as it was if nothing is
  # pinned in it (the kernel's own maps.debug, progs.debug aside).
  if [ -z "$BPFFS_BEFORE" ] && [ -z "$(ls -A /sys/fs/bpf 2>/dev/null | grep -v '\.debug$')" ]; then
    umount /sys/fs/bpf 2>/dev/null
  fi
  rm -rf "$TMP"
}
trap cleanup EXIT
fail() { echo "rs_toa: FAIL: $*" >&2; exit 1; }
rs_toa() { nsenter --net="/run/netns/$RS" "$RS_BIN" toa "$@"; }

# --- the two namespaces ---------------------------------------------------------------------
pair_up
DIR_MAC=$(in_dir cat "/sys/class/net/$VD/address")
RS_MAC=$(in_rs cat "/sys/class/net/$VR/address")
# The local addresses are nobody's: the RS reaches them at the director's MAC, where the
# kernel drops the SYN-ACKs (not for it, no forwarding) and scapy reads them.
ip -n "$RS" neigh add "$LIP" lladdr "$DIR_MAC" dev "$VR" nud permanent
ip -n "$RS" neigh add "$LIP6" lladdr "$DIR_MAC" dev "$VR" nud permanent

# --- the program, on a cgroup of the test's own ---------------------------------------------
mkdir "$CG"
rs_toa attach --cgroup "$CG" >"$TMP/attach1"
ATTACHED=1
grep -q "^toa attached to cgroup $CG" "$TMP/attach1" || fail "attach: $(cat "$TMP/attach1")"
rs_toa attach --cgroup "$CG" >"$TMP/attach2" || fail "attach is not idempotent"
grep -q "^toa already attached to cgroup $CG" "$TMP/attach2" || fail "second attach: $(cat "$TMP/attach2")"
for p in link prog map; do [ -e "$PINS/$p" ] || fail "no pin $PINS/$p"; done
bpftool cgroup show "$CG" | grep -q "sock_ops.*ulvs_toa" || fail "not attached: $(bpftool cgroup show "$CG")"

# TCP server on every address (v4 and v6): logs "<family> <peer ip> <peer port>" per accepted
# connection and keeps the connections open.
cat >"$TMP/server.py" <<'PYEOF'
import select, socket, sys
out = open(sys.argv[1], "a", buffering=1)
port = int(sys.argv[2])
s4 = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
s6 = socket.socket(socket.AF_INET6, socket.SOCK_STREAM)
s6.setsockopt(socket.IPPROTO_IPV6, socket.IPV6_V6ONLY, 1)
for s, a in ((s4, "0.0.0.0"), (s6, "::")):
    s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1); s.bind((a, port)); s.listen()
conns = []
while True:
    for s in select.select([s4, s6], [], [])[0]:
        c, peer = s.accept()
        conns.append(c)
        out.write(("v4 " if s is s4 else "v6 ") + "%s %d\n" % peer[:2])
PYEOF
# In the cgroup: the subshell moves itself there, then becomes the server (sockets belong
# to the cgroup of the process that creates them).
(echo "$BASHPID" >"$CG/cgroup.procs" && exec ip netns exec "$RS" "$PY" "$TMP/server.py" "$TMP/accepted" "$PORT") &
SERVER_PID=$!
# The same server outside the cgroup: the program must not see its connections.
ip netns exec "$RS" "$PY" "$TMP/server.py" "$TMP/accepted-outside" "$OUTSIDE_PORT" &
OUTSIDE_PID=$!
for _ in $(seq 50); do
  [ "$(in_rs ss -tlnH "( sport = :$PORT or sport = :$OUTSIDE_PORT )" | wc -l)" = 4 ] && break
  sleep 0.1
done

# --- the director: handshakes by hand -------------------------------------------------------
cat >"$TMP/handshake.py" <<'PYEOF'
# handshake.py IFACE RS_MAC MODE [SRC DST SPORT DPORT OPTION]...
# MODE open: SYN, wait for the SYN-ACK, final ACK with OPTION ("none", "toa4:IP:PORT",
# "toa6:IP:PORT", "exp6": option 254 of length 6, i.e. no TOA).  Prints "ok SPORT" per
# connection.  MODE rst: a RST (seq 1001) for each.
import ipaddress, struct, sys, time
from scapy.all import Ether, IP, IPv6, TCP, sendp, AsyncSniffer, conf
conf.verb = 0
iface, rs_mac, mode = sys.argv[1:4]
args = sys.argv[4:]
ISN = 1000

def ip(src, dst):
    return IPv6(src=src, dst=dst) if ":" in src else IP(src=src, dst=dst)

def option(spec):
    if spec == "none": return []
    if spec == "exp6": return [(254, b"\xeb\x9f\x00\x01")]   # RFC 6994 style, 2-byte magic
    kind, addr, port = spec.split(":", 1)[0], *spec.split(":", 1)[1].rsplit(":", 1)
    value = struct.pack("!H", int(port)) + ipaddress.ip_address(addr).packed
    # len 8 after two NOPs (4-byte aligned, as ulvs sends it); len 20 on its own
    return [("NOP", None), ("NOP", None), (254, value)] if kind == "toa4" else [(254, value)]

for i in range(0, len(args), 5):
    src, dst, sport, dport, spec = args[i:i + 5]
    sport, dport = int(sport), int(dport)
    l3 = Ether(dst=rs_mac) / ip(src, dst)
    if mode == "rst":
        sendp(l3 / TCP(sport=sport, dport=dport, flags="R", seq=ISN + 1), iface=iface)
        print("ok", sport)
        continue
    sniff = AsyncSniffer(iface=iface, count=1, timeout=5,
                         lfilter=lambda p: TCP in p and p[TCP].dport == sport and p[TCP].flags & 0x12 == 0x12)
    sniff.start()
    time.sleep(0.3)
    sendp(l3 / TCP(sport=sport, dport=dport, flags="S", seq=ISN, window=64240), iface=iface)
    sniff.join()
    if not sniff.results:
        print("no-synack", sport)
        continue
    synack = sniff.results[0][TCP]
    sendp(l3 / TCP(sport=sport, dport=dport, flags="A", seq=ISN + 1, ack=synack.seq + 1, window=64240,
                   options=option(spec)), iface=iface)
    print("ok", sport)
PYEOF
# sport 40001: TOA v4; 40002: TOA v6; 40003: no option; 40004: option 254 that is no TOA;
# 40005: TOA v4 to the server outside the cgroup.
in_dir "$PY" "$TMP/handshake.py" "$VD" "$RS_MAC" open \
  "$LIP" 10.99.0.2 40001 "$PORT" "toa4:198.51.100.7:4242" \
  "$LIP6" fd98::2 40002 "$PORT" "toa6:2001:db8::7:4243" \
  "$LIP" 10.99.0.2 40003 "$PORT" none \
  "$LIP" 10.99.0.2 40004 "$PORT" exp6 \
  "$LIP" 10.99.0.2 40005 "$OUTSIDE_PORT" "toa4:198.51.100.9:4244" >"$TMP/handshakes"
[ "$(grep -c '^ok' "$TMP/handshakes")" = 5 ] || fail "handshakes: $(cat "$TMP/handshakes")"

want="v4 $LIP 40001
v4 $LIP 40003
v4 $LIP 40004
v6 $LIP6 40002"
for _ in $(seq 50); do
  [ "$(sort "$TMP/accepted" 2>/dev/null)" = "$want" ] && [ -s "$TMP/accepted-outside" ] && break
  sleep 0.1
done
got=$(sort "$TMP/accepted" 2>/dev/null || true)
[ "$got" = "$want" ] || fail "the server accepted:
$got
expected:
$want"
grep -q "^v4 $LIP 40005$" "$TMP/accepted-outside" || fail "the outside server accepted nothing"

# --- what the real server sees --------------------------------------------------------------
rs_toa show >"$TMP/show"
want="10.99.0.2:$PORT $LIP:40001 -> 198.51.100.7:4242
[fd98::2]:$PORT [$LIP6]:40002 -> [2001:db8::7]:4243"
[ "$(sort "$TMP/show")" = "$want" ] || fail "toa show:
$(cat "$TMP/show")
expected:
$want"

# A connection that closes leaves the map.
in_dir "$PY" "$TMP/handshake.py" "$VD" "$RS_MAC" rst "$LIP" 10.99.0.2 40001 "$PORT" none >/dev/null
for _ in $(seq 50); do
  [ "$(rs_toa show)" = "[fd98::2]:$PORT [$LIP6]:40002 -> [2001:db8::7]:4243" ] && break
  sleep 0.1
done
[ "$(rs_toa show)" = "[fd98::2]:$PORT [$LIP6]:40002 -> [2001:db8::7]:4243" ] \
  || fail "after the reset: $(rs_toa show)"

# --- detach ---------------------------------------------------------------------------------
rs_toa detach >"$TMP/detach1"
ATTACHED=
grep -q "^toa detached" "$TMP/detach1" || fail "detach: $(cat "$TMP/detach1")"
[ ! -e "$PINS" ] || fail "pins left after detach: $(ls "$PINS")"
[ -z "$(bpftool cgroup show "$CG")" ] || fail "still attached after detach: $(bpftool cgroup show "$CG")"
rs_toa detach | grep -q "^toa not attached" || fail "detach is not idempotent"
if rs_toa show >/dev/null 2>"$TMP/show.err"; then fail "show succeeds after detach"; fi
grep -q "not attached" "$TMP/show.err" || fail "show after detach: $(cat "$TMP/show.err")"
echo "rs_toa: ok"
