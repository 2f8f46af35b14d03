#!/usr/bin/env bash
# rs_tun.sh — ulvs-rs as a TUN real server on a kernel without ipip: tunnel packets from a
# "director" namespace (IPIP, IPv6-in-IP, GRE, GUE, and over an IPv6 outer header), built with
# scapy, reach a UDP server in the real-server namespace after the tc program strips the outer
# header; a tunnel packet to an address that is not a VIP is left alone (and dropped by the
# kernel); the answer to a TCP SYN goes straight back to the client from the VIP; `status`
# shows the counters; `down` leaves no VIP, filter or qdisc behind.
#
#   tests/e2e/rs_tun.sh [path/to/ulvs-rs]          (root; python3 with scapy)
set -euo pipefail

source "$(dirname "$0")/rs_pair.bash"
find_rs_bin rs_tun "${1:-}"
PY=/usr/bin/python3   # the system python has scapy

DIR=ulvsrs-dir-$$ RS=ulvsrs-rs-$$ VD=vd$$ VR=vr$$
VIP=10.99.9.9 VIP6=fd99::9 OTHER=10.99.9.10 PORT=7000 GUE=6080
TMP=$(mktemp -d)
SERVER_PID= LISTENER=

cleanup() {
  for pid in $SERVER_PID $LISTENER; do kill "$pid" 2>/dev/null || true; done
  ip netns del "$DIR" 2>/dev/null || true
  ip netns del "$RS" 2>/dev/null || true
  rm -rf "$TMP"
}
trap cleanup EXIT
fail() { echo "rs_tun: FAIL: $*" >&2; exit 1; }

# --- the two namespaces ---------------------------------------------------------------------
pair_up
# The client network 10.99.5.0/24 lives behind the director; the RS answers through it.
ip -n "$RS" route add 10.99.5.0/24 via 10.99.0.1
RS_MAC=$(in_rs cat "/sys/class/net/$VR/address")

# --- the real server ------------------------------------------------------------------------
in_rs "$RS_BIN" tun --vip "$VIP" --vip "$VIP6" --dev "$VR" --gue-port "$GUE" >"$TMP/tun1.out"
in_rs "$RS_BIN" tun --vip "$VIP" --vip "$VIP6" --dev "$VR" --gue-port "$GUE" >"$TMP/tun2.out" \
  || fail "tun is not idempotent"
grep -q "already on lo: $VIP/32" "$TMP/tun2.out" || fail "second tun: $(cat "$TMP/tun2.out")"
# An address on lo that is no VIP: if the program stripped tunnels to it, the server would see them.
ip -n "$RS" addr add "$OTHER/32" dev lo
[ "$(in_rs cat /proc/sys/net/ipv4/conf/all/arp_ignore)" = 1 ] || fail "arp_ignore not set"
[ "$(in_rs cat /proc/sys/net/ipv4/conf/all/arp_announce)" = 2 ] || fail "arp_announce not set"
[ "$(in_rs cat /proc/sys/net/ipv4/conf/$VR/rp_filter)" = 0 ] || fail "rp_filter not off"

# UDP server on every address (v4 and v6): one line per datagram, "<dst-family> <payload>".
cat >"$TMP/server.py" <<'PYEOF'
import select, socket, sys
out = open(sys.argv[1], "a", buffering=1)
s4 = socket.socket(socket.AF_INET, socket.SOCK_DGRAM); s4.bind(("0.0.0.0", int(sys.argv[2])))
s6 = socket.socket(socket.AF_INET6, socket.SOCK_DGRAM)
s6.setsockopt(socket.IPPROTO_IPV6, socket.IPV6_V6ONLY, 1); s6.bind(("::", int(sys.argv[2])))
while True:
    for s in select.select([s4, s6], [], [])[0]:
        data, peer = s.recvfrom(2048)
        out.write(("v4 " if s is s4 else "v6 ") + data.decode(errors="replace") + "\n")
PYEOF
ip netns exec "$RS" "$PY" "$TMP/server.py" "$TMP/received" "$PORT" &
SERVER_PID=$!
for _ in $(seq 50); do in_rs ss -uln | grep -q ":$PORT " && break; sleep 0.1; done

# --- the director: tunnelled packets --------------------------------------------------------
cat >"$TMP/send.py" <<'PYEOF'
import sys
from scapy.all import Ether, IP, IPv6, UDP, TCP, GRE, Raw, sendp, AsyncSniffer, conf
conf.verb = 0
iface, rs_mac, vip, vip6, other, port, gue = sys.argv[1:8]
port, gue = int(port), int(gue)
eth = Ether(dst=rs_mac)
out4 = IP(src="10.99.0.1", dst="10.99.0.2")
out6 = IPv6(src="fd98::1", dst="fd98::2")
def udp4(dst, text): return IP(src="10.99.5.5", dst=dst) / UDP(sport=5555, dport=port) / Raw(text.encode())
def udp6(text): return IPv6(src="fd99::5", dst=vip6) / UDP(sport=5555, dport=port) / Raw(text.encode())
def gue_hdr(proto): return Raw(bytes([0, proto, 0, 0]))   # GUE v0, C=0, hlen 0, proto
frames = [
    eth / out4 / udp4(vip, "ipip"),                                     # proto 4
    eth / out4 / udp6("ip6-in-ip4"),                                    # proto 41 (family change)
    eth / out4 / GRE(proto=0x0800) / udp4(vip, "gre"),                  # GRE
    eth / out4 / GRE(proto=0x86dd, key_present=1, key=7) / udp6("gre6-key"),
    eth / out4 / UDP(sport=50000, dport=gue) / gue_hdr(4) / udp4(vip, "gue"),
    eth / out4 / UDP(sport=50001, dport=gue) / gue_hdr(41) / udp6("gue6"),
    eth / out6 / udp4(vip, "ip4-in-ip6"),                               # outer IPv6 (nh 4)
    eth / out4 / udp4(other, "not-a-vip"),                              # must stay encapsulated
    eth / out4 / UDP(sport=50002, dport=gue + 1) / gue_hdr(4) / udp4(vip, "wrong-gue-port"),
]
for f in frames:
    sendp(f, iface=iface)
# A TCP SYN to the VIP from a client behind the director: the SYN-ACK comes back from the VIP,
# directly (not through a tunnel), as TUN real servers answer.
sniff = AsyncSniffer(iface=iface, filter="tcp and src host %s and tcp[13] & 18 == 18" % vip, count=1, timeout=5)
sniff.start()
import time; time.sleep(0.3)
sendp(eth / out4 / IP(src="10.99.5.5", dst=vip) / TCP(sport=40000, dport=8080, flags="S", seq=1000), iface=iface)
sniff.join()
print("synack" if sniff.results else "no-synack")
PYEOF
# Something listening for the SYN.
ip netns exec "$RS" "$PY" -c "import socket,time; s=socket.socket(); s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1); s.bind(('$VIP', 8080)); s.listen(); time.sleep(20)" &
LISTENER=$!
for _ in $(seq 50); do in_rs ss -tln | grep -q "$VIP:8080" && break; sleep 0.1; done
synack=$(in_dir "$PY" "$TMP/send.py" "$VD" "$RS_MAC" "$VIP" "$VIP6" "$OTHER" "$PORT" "$GUE")
kill "$LISTENER" 2>/dev/null || true

want="v4 gre
v4 gue
v4 ip4-in-ip6
v4 ipip
v6 gre6-key
v6 gue6
v6 ip6-in-ip4"
for _ in $(seq 50); do
  [ "$(sort "$TMP/received" 2>/dev/null)" = "$want" ] && break
  sleep 0.1
done
got=$(sort "$TMP/received" 2>/dev/null || true)
[ "$got" = "$want" ] || fail "server received:
$got
expected:
$want"
[ "$synack" = synack ] || fail "no SYN-ACK from the VIP back to the client ($synack)"

# --- status ---------------------------------------------------------------------------------
in_rs "$RS_BIN" status --dev "$VR" >"$TMP/status"
count() { sed -n "s/^$1: //p" "$TMP/status"; }
[ "$(count 'decap ipip')" = 4 ] || fail "decap ipip counter: $(cat "$TMP/status")"   # 3 UDP + the SYN
[ "$(count 'decap gre')" = 2 ] || fail "decap gre counter: $(cat "$TMP/status")"
[ "$(count 'decap gue')" = 2 ] || fail "decap gue counter: $(cat "$TMP/status")"
[ "$(count 'passed not-vip')" = 1 ] || fail "not-vip counter: $(cat "$TMP/status")"
[ "$(count 'passed error')" = 0 ] || fail "error counter: $(cat "$TMP/status")"
[ "$(count 'gue port')" = "$GUE" ] || fail "gue port: $(cat "$TMP/status")"
grep -q "^lo vips:.* $VIP/32" "$TMP/status" || fail "status lo vips: $(cat "$TMP/status")"
grep -q "^decap vips:.* $VIP6" "$TMP/status" || fail "status decap vips: $(cat "$TMP/status")"

# --- the program outlives ulvs-rs; down removes everything ----------------------------------
in_rs "$RS_BIN" down --vip "$VIP" --vip "$VIP6" --dev "$VR" >"$TMP/down"
[ -z "$(in_rs tc filter show dev "$VR" ingress)" ] || fail "tc filter left after down"
! in_rs tc qdisc show dev "$VR" | grep -q clsact || fail "clsact left after down"
! ip -n "$RS" addr show dev lo | grep -qE "$VIP/32|$VIP6/128" || fail "VIP left on lo after down"
in_rs "$RS_BIN" down --vip "$VIP" --dev "$VR" >"$TMP/down2" || fail "down is not idempotent"
in_rs "$RS_BIN" status --dev "$VR" | grep -q "^decap on $VR: none" || fail "status after down"
echo "rs_tun: ok"
