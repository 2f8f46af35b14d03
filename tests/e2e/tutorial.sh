#!/usr/bin/env bash
# The classic LVS-NAT tutorial, typed as the tutorials type it (with the `ipvsadm` name):
#   ipvsadm -A -t VIP:80 -s rr; two NAT real servers, one of them on port 8000;
#   ab -c 100 -n 10000: no failures, rr alternates the connections (--stats per real server)
#   and the servers' logs split the requests evenly, --stats consistent with ab.
# Then a 100 MB download through the same VIP arrives intact.
source "$(dirname "$0")/lib.bash"
e2e_init "$@"
IPVSADM="$(dirname "$ULVSADM")/ipvsadm"
[ -x "$IPVSADM" ] || fail "no ipvsadm next to ulvsadm"
topo_nat 2
start_nginx r1 r2
start_ulvsd "${DIR_IFS[@]}"

"$IPVSADM" -A -t "$VIP:80" -s rr
"$IPVSADM" -a -t "$VIP:80" -r 10.0.2.11:80 -m
"$IPVSADM" -a -t "$VIP:80" -r 10.0.2.12:8000 -m

in_ns client nstat -n >/dev/null  # reset the client's counters
in_ns client ab -q -c 100 -n 10000 "http://$VIP/" >"$WORK/ab.out" 2>&1 || { cat "$WORK/ab.out"; fail "ab failed"; }
grep -E "Complete requests|Failed requests|Requests per second" "$WORK/ab.out"
grep -q "^Complete requests: *10000$" "$WORK/ab.out" || fail "ab did not complete 10000 requests"
grep -q "^Failed requests: *0$" "$WORK/ab.out" || fail "ab saw failures"
ok "ab -c 100 -n 10000 through the VIP: no failures"

n1=$(wc -l <"$WORK/nginx-r1/logs/access.log"); n2=$(wc -l <"$WORK/nginx-r2/logs/access.log")
opens=$(in_ns client nstat -az TcpActiveOpens | awk '$1 == "TcpActiveOpens" {print $2}')
sleep 2.2
"$IPVSADM" -Ln --stats
conns=$(stat_of TCP "$VIP:80" 3); inpkts=$(stat_of TCP "$VIP:80" 4); outpkts=$(stat_of TCP "$VIP:80" 5)
rs_conns() { "$IPVSADM" -Ln --stats | awk -v r="$1" '$1 == "->" && $2 == r {print $3}'; }
c1=$(rs_conns 10.0.2.11:80); c2=$(rs_conns 10.0.2.12:8000)
# ab opens a few connections more than it needs and closes them unused when the last answer
# is in: compare with the connections the client's kernel actually opened.
((opens >= 10000)) || fail "the client opened $opens connections"
[ "$conns" = "$opens" ] || fail "--stats Conns $conns, the client opened $opens connections"
((c1 - c2 <= 1 && c2 - c1 <= 1)) || fail "rr scheduled $c1/$c2 connections"
((n1 + n2 == 10000)) || fail "the servers logged $n1 + $n2 requests, ab completed 10000"
# All requests are on scheduled connections, so only the unused ones can tilt the split.
spare=$((opens - 10000))
((n1 - n2 <= spare + 1 && n2 - n1 <= spare + 1)) ||
  fail "split $n1/$n2 (rr scheduled $c1/$c2, $spare connections unused)"
ok "rr scheduled $c1/$c2 connections; r1 served $n1, r2 (port 8000) served $n2 ($spare unused)"
# Each request is at least SYN, request, ACK of the answer, FIN: 4 packets in per connection.
((inpkts >= 40000)) || fail "--stats InPkts $inpkts < 4 per connection"
((outpkts >= 30000)) || fail "--stats OutPkts $outpkts < 3 per connection"
ok "--stats: $conns connections, $inpkts packets in, $outpkts out"

big_file 100 r1 r2
check_download client "http://$VIP/big"
check_download client "http://$VIP/big"
ok "100 MB downloaded twice (both servers) with the right digest"
