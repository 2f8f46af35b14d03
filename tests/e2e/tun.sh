#!/usr/bin/env bash
# TUN: IPIP and GUE (and IPv6 in IPv6) to real servers that decapsulate with ulvs-rs (this kernel has no ipip
# module); they answer the client directly from the VIP.  A client segment that no longer
# fits the egress MTU once encapsulated is answered with ICMP fragmentation-needed, and the
# client's path-MTU discovery takes it from there (uploads arrive intact).
source "$(dirname "$0")/lib.bash"
e2e_init "$@"
[ -n "$ULVS_RS" ] || fail "ULVS_RS: path of ulvs-rs"
topo_lan 2
in_ns r1 "$ULVS_RS" tun --vip "$VIP" --vip "$VIP6" --dev eth0 >/dev/null
in_ns r2 "$ULVS_RS" tun --vip "$VIP" --dev eth0 --gue-port 6080 >/dev/null
start_nginx r1 r2
start_ulvsd "${DIR_IFS[@]}"

adm -A -t "$VIP:80" -s rr
adm -a -t "$VIP:80" -r 10.0.0.11 -i
adm -a -t "$VIP:80" -r 10.0.0.12 -i --tun-type gue --tun-port 6080

got=$(tally_fresh client "http://$VIP/" 10)
[ "$got" = $'r1 5\nr2 5' ] || fail "TUN rr (ipip + gue): $got"
ok "TUN rr 5/5: r1 over IPIP, r2 over GUE"
grep -q "^- $CLIENT\$" "$WORK/nginx-r2/logs/access.log" || fail "r2 did not see the client address"
ok "real servers see the client address"

# IPv6 in IPv6 (next header 41) to r1.
adm -A -t "[$VIP6]:80" -s rr
adm -a -t "[$VIP6]:80" -r "[fd00::11]:80" -i
got=$(tally_fresh client "http://[$VIP6]/" 4)
[ "$got" = "r1 4" ] || fail "IPv6 TUN: $got"
grep -q "^- $CLIENT6\$" "$WORK/nginx-r1/logs/access.log" || fail "r1 did not see the IPv6 client"
ok "IPv6 TUN (6in6): 4/4 from r1, which sees $CLIENT6"

in_ns r1 "$ULVS_RS" status --dev eth0 | grep -q "ipip" || fail "r1's decapsulator shows nothing"

# A 2 MB upload: full-sized segments + the tunnel header exceed 1500, so the director says
# "fragmentation needed" and the client's kernel lowers its path MTU; every byte arrives.
start_sinks r1 r2
adm -A -t "$VIP:9000" -s rr
adm -a -t "$VIP:9000" -r 10.0.0.11 -i
adm -a -t "$VIP:9000" -r 10.0.0.12 -i --tun-type gue --tun-port 6080
for _ in 1 2; do
  got=$(upload client "$VIP" 9000 2000000)
  [ "$got" = "ok 2000000" ] || fail "upload through TUN: $got"
done
mtu=$(in_ns client ip route get "$VIP" | grep -o "mtu [0-9]*" || true)
[ -n "$mtu" ] || fail "the client learnt no path MTU: $(in_ns client ip route get "$VIP")"
ok "2 MB uploads over IPIP and GUE arrive intact; the client learnt $mtu from the director"

big_file 100 r1 r2
check_download client "http://$VIP/big"
check_download client "http://$VIP/big"
ok "100 MB through TUN (IPIP and GUE servers) with the right digest"
