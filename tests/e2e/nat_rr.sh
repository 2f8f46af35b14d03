#!/usr/bin/env bash
# NAT, round robin: answers alternate exactly between the real servers, one of them on a
# different port (8000), IPv4 and IPv6; the real servers' access logs show the real client
# address; -Ln --stats counts the connections.
source "$(dirname "$0")/lib.bash"
e2e_init "$@"
topo_nat 2
start_nginx r1 r2
start_ulvsd "${DIR_IFS[@]}"

adm -A -t "$VIP:80" -s rr
adm -a -t "$VIP:80" -r 10.0.2.11:80 -m
adm -a -t "$VIP:80" -r 10.0.2.12:8000 -m
adm -A -t "[$VIP6]:80" -s rr
adm -a -t "[$VIP6]:80" -r "[fd00:2::11]:80" -m
adm -a -t "[$VIP6]:80" -r "[fd00:2::12]:80" -m

got=$(tally client "http://$VIP/" 10)
[ "$got" = $'r1 5\nr2 5' ] || fail "IPv4 rr gave: $got"
ok "IPv4 NAT rr 5/5 (r2 on port 8000)"

got=$(tally client "http://[$VIP6]/" 10)
[ "$got" = $'r1 5\nr2 5' ] || fail "IPv6 rr gave: $got"
ok "IPv6 NAT rr 5/5"

# rr is exact: the sequence alternates.
seq=$(for _ in 1 2 3 4; do in_ns client curl -s "http://$VIP/"; done | tr '\n' ' ')
[ "$seq" = "r1 r2 r1 r2 " ] || [ "$seq" = "r2 r1 r2 r1 " ] || fail "not alternating: $seq"
ok "alternates: $seq"

grep -q "^- $CLIENT\$" "$WORK/nginx-r1/logs/access.log" || fail "r1 did not see the client address"
grep -q "^- $CLIENT6\$" "$WORK/nginx-r2/logs/access.log" || fail "r2 did not see the IPv6 client address"
ok "real servers see the client address"

sleep 2.2   # like the kernel, totals are folded in by the 2 s estimator
stats=$(adm -Ln --stats)
echo "$stats"
conns=$(echo "$stats" | awk -v v="$VIP:80" '$1 == "TCP" && $2 == v {print $3}')
[ "$conns" = 14 ] || fail "--stats shows $conns connections for $VIP:80, expected 14"
conns6=$(echo "$stats" | awk -v v="[$VIP6]:80" '$1 == "TCP" && $2 == v {print $3}')
[ "$conns6" = 10 ] || fail "--stats shows $conns6 connections for [$VIP6]:80, expected 10"
ok "--stats: 14 + 10 connections"
