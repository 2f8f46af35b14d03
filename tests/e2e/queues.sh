#!/usr/bin/env bash
# Two queues per interface, two workers pinned to the two CPUs (--queues 2 --cpus 0,1): the
# veths spread the flows over both queues, both workers forward, and ab sees no failure.
source "$(dirname "$0")/lib.bash"
e2e_init "$@"
LINK_QUEUES=2 topo_nat 2
start_nginx r1 r2
start_ulvsd "${DIR_IFS[@]}" --queues 2 --cpus 0,1 --http 127.0.0.1:9180
adm -A -t "$VIP:80" -s rr
adm -a -t "$VIP:80" -r 10.0.2.11:80 -m
adm -a -t "$VIP:80" -r 10.0.2.12:80 -m

in_ns client ab -q -c 50 -n 4000 "http://$VIP/" >"$WORK/ab.out" 2>&1 || { cat "$WORK/ab.out"; fail "ab failed"; }
grep -q "^Failed requests: *0$" "$WORK/ab.out" || fail "ab saw failures: $(grep Failed "$WORK/ab.out")"
grep -q "^Complete requests: *4000$" "$WORK/ab.out" || fail "ab did not complete"
sleep 0.3
rx() { in_ns dir curl -s http://127.0.0.1:9180/metrics |
  awk -v l="ulvs_port_rx_frames_total{interface=\"$1\",queue=\"$2\"}" '$1 == l {print $2}'; }
for q in 0 1; do
  n=$(rx eth0 "$q")
  ((n > 100)) || fail "queue $q of eth0 received only $n frames: the flows did not spread"
  echo "eth0 queue $q: $n frames"
done
ok "4000 requests over two workers, no failures"
