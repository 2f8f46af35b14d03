#!/usr/bin/env bash
# DR: only the MAC changes; real servers carry the VIP on lo (ulvs-rs dr: arp_ignore=1,
# arp_announce=2) and answer the client directly.  wrr 3:2:1 is exact over 600 fresh
# connections; access logs show the client's address; one-packet UDP scheduling alternates
# the datagrams of one socket; -Ln --stats counts what went in (replies bypass us: 0 out).
source "$(dirname "$0")/lib.bash"
e2e_init "$@"
RS_BIN=${ULVS_RS:?ULVS_RS: path of ulvs-rs}
topo_lan 3
for r in r1 r2 r3; do in_ns "$r" "$RS_BIN" dr --vip "$VIP" >/dev/null; done
start_nginx r1 r2 r3
start_ulvsd "${DIR_IFS[@]}"

adm -A -t "$VIP:80" -s wrr
adm -a -t "$VIP:80" -r 10.0.0.11 -g -w 3
adm -a -t "$VIP:80" -r 10.0.0.12 -g -w 2
adm -a -t "$VIP:80" -r 10.0.0.13 -g -w 1

got=$(tally_fresh client "http://$VIP/" 600)
[ "$got" = $'r1 300\nr2 200\nr3 100' ] || fail "wrr 3:2:1 over 600: $got"
ok "DR wrr 3:2:1 over 600 connections: 300/200/100"

grep -q "^- $CLIENT\$" "$WORK/nginx-r3/logs/access.log" || fail "r3 did not log the client address"
ok "real servers see the client address"

sleep 2.2
conns=$(stat_of TCP "$VIP:80" 3); out=$(stat_of TCP "$VIP:80" 5)
[ "$conns" = 600 ] || fail "--stats Conns $conns, expected 600"
[ "$out" = 0 ] || fail "--stats OutPkts $out: DR replies must bypass the director"
ok "--stats: 600 connections, 0 packets out"

# One-packet scheduling (UDP): each datagram of one client socket is scheduled by itself.
udp_servers 53 "$VIP" r1 r2
adm -A -u "$VIP:53" -s rr --ops
adm -a -u "$VIP:53" -r 10.0.0.11 -g
adm -a -u "$VIP:53" -r 10.0.0.12 -g
got=$(udp_ask client "$VIP" 53 6 --same-port | awk '{print $1}' | tr '\n' ' ')
[ "$got" = "r1 r2 r1 r2 r1 r2 " ] || [ "$got" = "r2 r1 r2 r1 r2 r1 " ] || fail "--ops: $got"
ok "--ops: datagrams of one socket alternate: $got"
listed=$(adm -Lnc | awk '$1 == "UDP"')
[ -z "$listed" ] || fail "one-packet entries must not be listed: $listed"
adm -E -u "$VIP:53" -s rr
got=$(udp_ask client "$VIP" 53 6 --same-port | sort -u | wc -l)
[ "$got" = 1 ] || fail "without --ops one socket reached $got servers"
ok "without --ops one socket sticks to one server"

big_file 100 r1 r2 r3
check_download client "http://$VIP/big"
ok "100 MB through DR with the right digest"
