#!/usr/bin/env bash
# A burst of new connections to a real server whose MAC the director does not know yet is
# held until the neighbour resolves, as the kernel's queue (unres_qlen 101) would hold it:
# 60 clients connect at once while r1 answers no ARP; once r1 speaks again, every SYN leaves
# from the hold, and the client retransmits none.  With a queue of 3 per next hop, 27 of
# r1's 30 SYNs were dropped and each connection waited a 1 s retransmit.
source "$(dirname "$0")/lib.bash"
e2e_init "$@"
topo_nat 2
start_nginx r1 r2
start_ulvsd "${DIR_IFS[@]}" --http 127.0.0.1:9180
adm -A -t "$VIP:80" -s rr
adm -a -t "$VIP:80" -r 10.0.2.11:80 -m
adm -a -t "$VIP:80" -r 10.0.2.12:80 -m

in_ns r1 ip link set eth0 arp off   # the director's ARP requests for r1 go unanswered
in_ns client nstat -n >/dev/null
in_ns client ab -q -c 60 -n 60 "http://$VIP/" >"$WORK/ab.out" 2>&1 &
AB=$!
# Wait until the burst sits in the hold (r2's SYNs resolve at once, r1's cannot).
for _ in $(seq 100); do (($(metric 'ulvs_dataplane_frames_total{action="held"}') + 0 >= 30)) && break; sleep 0.02; done
in_ns r1 ip link set eth0 arp on
in_ns r1 bash -c 'echo >/dev/udp/10.0.2.1/9'  # r1's ARP request teaches the director its MAC
wait "$AB" || { cat "$WORK/ab.out"; fail "ab failed"; }
grep -q "^Failed requests: *0$" "$WORK/ab.out" || { cat "$WORK/ab.out"; fail "ab saw failures"; }

# The workers publish their counters every 100 ms.
for _ in $(seq 50); do
  held=$(metric 'ulvs_dataplane_frames_total{action="held"}')
  sent=$(metric 'ulvs_dataplane_frames_total{action="held_sent"}')
  ((sent + 0 == held)) && break; sleep 0.05
done
dropped=$(metric 'ulvs_dataplane_drops_total{cause="neighbour_unresolved"}')
retrans=$(in_ns client nstat -az TcpRetransSegs | awk '$1 == "TcpRetransSegs" {print $2}')
in_ns dir curl -s http://127.0.0.1:9180/metrics | grep -E '^ulvs_dataplane_(frames|drops)' | grep -v ' 0$' || true
((${dropped:-0} == 0)) || fail "$dropped frames dropped waiting for r1's MAC"
((held >= 30 && sent == held)) || fail "held $held, sent $sent: r1's 30 SYNs should all wait and leave"
((retrans == 0)) || fail "the client retransmitted $retrans segments"
ok "60 connections at once to an unresolved real server: $held frames held, all sent, no retransmit"
