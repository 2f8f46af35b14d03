#!/usr/bin/env bash
# FULLNAT: source rewritten to a local address from the pool, destination to the real server;
# replies come back to the local address (ulvsd answers its ARP/ND) and are rewritten back.
# The client address reaches the real server in TOA (TCP option 254), read there by ulvs-rs's
# sockops program; nginx itself sees the local address.  IPv4 and IPv6.  With Proxy Protocol
# (v1 and v2) instead, nginx's `listen ... proxy_protocol` reads the client from the header
# ulvsd puts before the first data byte, and sequence numbers stay right for the rest of the
# connection: keep-alive requests and a 100 MB download through FULLNAT+PP arrive intact.
source "$(dirname "$0")/lib.bash"
e2e_init "$@"
[ -n "$ULVS_RS" ] || fail "ULVS_RS: path of ulvs-rs"
topo_lan 3
toa_attach r1
toa_nginx r1
start_nginx r2
NGINX_LISTEN_OPTS=proxy_protocol start_nginx r3
big_file 100 r1 r2 r3
start_ulvsd "${DIR_IFS[@]}" --laddr "$LADDR" --laddr "$LADDR6"

adm -A -t "$VIP:80" -s rr --toa
adm -a -t "$VIP:80" -r 10.0.0.11:80 --fullnat
adm -a -t "$VIP:80" -r 10.0.0.12:80 --fullnat
adm -A -t "[$VIP6]:80" -s rr --toa
adm -a -t "[$VIP6]:80" -r "[fd00::11]:80" --fullnat
adm -a -t "[$VIP6]:80" -r "[fd00::12]:80" --fullnat

got=$(tally_fresh client "http://$VIP/" 10)
[ "$got" = $'r1 5\nr2 5' ] || fail "IPv4 FULLNAT rr: $got"
got=$(tally_fresh client "http://[$VIP6]/" 10)
[ "$got" = $'r1 5\nr2 5' ] || fail "IPv6 FULLNAT rr: $got"
ok "FULLNAT rr 5/5 over IPv4 and IPv6"

grep -q "^- $LADDR\$" "$WORK/nginx-r2/logs/access.log" || fail "r2 did not see the local address"
grep -q "^- $LADDR6\$" "$WORK/nginx-r2/logs/access.log" || fail "r2 did not see the IPv6 local address"
! grep -q "^- $CLIENT\$" "$WORK/nginx-r2/logs/access.log" || fail "the client address leaked past FULLNAT"
ok "real servers see the local addresses"

# Live connections: two from the client (rr: one reaches r1), whose TOA r1 decodes.
for vip in "$VIP" "$VIP6"; do
  in_ns client python3 "$E2E_ROOT/tests/e2e/hold_conn.py" "$vip" 80 2 3 >"$WORK/ports" &
  PIDS+=($!)
  for _ in $(seq 30); do [ "$(wc -l <"$WORK/ports")" = 2 ] && break; sleep 0.1; done
  sleep 0.3
  show=$(toa_show)
  client=$CLIENT; [ "$vip" = "$VIP6" ] && client="[$CLIENT6]"
  seen=0
  while read -r port; do
    [ -n "$(awk -v w="$client:$port" '$NF == w' <<<"$show")" ] && seen=1
  done <"$WORK/ports"
  ((seen)) || fail "r1's TOA reader did not see $client (ports $(paste -sd, "$WORK/ports")): $show"
  wait "${PIDS[-1]}"
done
ok "r1 reads the client address and port from TOA (IPv4 and IPv6)"

sleep 2.2
[ "$(stat_of TCP "$VIP:80" 3)" = 12 ] || fail "--stats Conns: $(stat_of TCP "$VIP:80" 3), expected 12"
out=$(stat_of TCP "$VIP:80" 5)
[ "$out" -gt 0 ] || fail "--stats OutPkts 0: replies must come back through the director"
ok "--stats: 12 connections, $out packets out"

# Proxy Protocol v1 and v2 to r3 (nginx listens with proxy_protocol).
adm -A -t "$VIP:8081" -s rr --proxy-protocol v1
adm -a -t "$VIP:8081" -r 10.0.0.13:80 --fullnat
adm -A -t "$VIP:8082" -s rr --proxy-protocol v2
adm -a -t "$VIP:8082" -r 10.0.0.13:80 --fullnat
adm -A -t "[$VIP6]:8082" -s rr --proxy-protocol v2
adm -a -t "[$VIP6]:8082" -r "[fd00::13]:80" --fullnat
for url in "http://$VIP:8081/" "http://$VIP:8082/" "http://[$VIP6]:8082/"; do
  # three requests on one keep-alive connection: the later ones ride on shifted sequence numbers
  got=$(in_ns client curl -s --max-time 10 "$url" "$url" "$url" | tr '\n' ' ')
  [ "$got" = "r3 r3 r3 " ] || fail "$url through Proxy Protocol: '$got'"
done
log=$WORK/nginx-r3/logs/access.log
[ "$(grep -c "^$CLIENT $LADDR\$" "$log")" = 6 ] || fail "r3 should log 6 x '$CLIENT $LADDR': $(cat "$log")"
[ "$(grep -c "^$CLIENT6 $LADDR6\$" "$log")" = 3 ] || fail "r3 should log 3 x '$CLIENT6 $LADDR6': $(cat "$log")"
ok "Proxy Protocol v1/v2 (IPv4, IPv6): nginx logs the client, keep-alive requests intact"

check_download client "http://$VIP:8082/big"
ok "100 MB through FULLNAT + Proxy Protocol v2 with the right digest"
check_download client "http://$VIP/big"
check_download client "http://$VIP/big"
ok "100 MB through FULLNAT (TOA service, both servers) with the right digest"
