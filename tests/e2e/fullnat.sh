#!/usr/bin/env bash
# FULLNAT: source rewritten to a local address from the pool, destination to the real server;
# replies come back to the local address (ulvsd answers its ARP/ND) and are rewritten back.
# The client address reaches the real server in TOA (TCP option 254), read there by ulvs-rs's
# sockops program; nginx itself sees the local address.  IPv4 and IPv6.
source "$(dirname "$0")/lib.bash"
e2e_init "$@"
[ -n "$ULVS_RS" ] || fail "ULVS_RS: path of ulvs-rs"
topo_lan 2
toa_attach r1
toa_nginx r1
start_nginx r2
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
