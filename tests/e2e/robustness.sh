#!/usr/bin/env bash
# Bad input on the wire: malformed frames and a few thousand fuzzed ones at the VIP.  ulvsd
# keeps running, counts them as drops by cause in /metrics, and traffic still flows.
source "$(dirname "$0")/lib.bash"
e2e_init "$@"
topo_nat 2
start_nginx r1 r2
start_ulvsd "${DIR_IFS[@]}" --http 127.0.0.1:9180
adm -A -t "$VIP:80" -s rr
adm -a -t "$VIP:80" -r 10.0.2.11:80 -m
adm -a -t "$VIP:80" -r 10.0.2.12:80 -m
adm -A -u "$VIP:53" -s rr
adm -a -u "$VIP:53" -r 10.0.2.11:53 -m
adm -A -u "[$VIP6]:53" -s rr
adm -a -u "[$VIP6]:53" -r "[fd00:2::11]:53" -m

mac=$(in_ns dir cat /sys/class/net/eth0/address)
sent=$(in_ns client /usr/bin/python3 "$E2E_ROOT/tests/e2e/malformed.py" eth0 "$mac" "$VIP" 3000)
sleep 0.5
kill -0 "$ULVSD_PID" 2>/dev/null || fail "ulvsd died"
malformed=$(metric 'ulvs_dataplane_drops_total{cause="malformed"}')
((malformed >= sent)) || fail "only $malformed malformed drops counted for $sent broken frames"
ok "ulvsd alive; $malformed frames counted as malformed ($sent broken ones steered to it, 3000 fuzzed)"

got=$(tally_fresh client "http://$VIP/" 10)
[ "$got" = $'r1 5\nr2 5' ] || fail "after the garbage: $got"
ok "traffic still flows: $got" | tr '\n' ' '; echo
in_ns dir curl -s http://127.0.0.1:9180/metrics | grep -E '^ulvs_(dataplane|port)_' | grep -v ' 0$' || true
