#!/usr/bin/env bash
# UDP through a VIP (NAT): a DNS-like echo behind rr.  Without one-packet scheduling every
# datagram of one client socket goes to the same server (one connection entry); servers see
# the client.  One-packet scheduling is tested with DR (dr.sh): as in the kernel, a
# one-packet entry is never hashed, so NAT replies to it are not translated back.
source "$(dirname "$0")/lib.bash"
e2e_init "$@"
topo_nat 2
for r in r1 r2; do
  in_ns "$r" python3 "$E2E_ROOT/tests/e2e/udp_echo.py" serve "$r" 53 &
  PIDS+=($!)
done
start_ulvsd "${DIR_IFS[@]}"
for r in r1 r2; do
  for _ in $(seq 50); do in_ns "$r" ss -lun | grep -q ':53 ' && break; sleep 0.1; done
done

adm -A -u "$VIP:53" -s rr
adm -a -u "$VIP:53" -r 10.0.2.11 -m
adm -a -u "$VIP:53" -r 10.0.2.12 -m

ask() { in_ns client python3 "$E2E_ROOT/tests/e2e/udp_echo.py" ask "$@"; }

got=$(ask "$VIP" 53 10 | sort | uniq -c | awk '{print $2, $3, $1}')
[ "$got" = $'r1 10.0.1.2 5\nr2 10.0.1.2 5' ] || fail "new sockets, rr: $got"
ok "UDP rr over 10 client sockets: 5/5, servers see 10.0.1.2"

got=$(ask "$VIP" 53 6 --same-port | sort -u | wc -l)
[ "$got" = 1 ] || fail "one socket reached $got servers without --ops"
ok "one client socket sticks to one server"

sleep 2.2
in=$(adm -Ln --stats | awk -v v="$VIP:53" '$1 == "UDP" && $2 == v {print $4}')
[ "$in" = 16 ] || fail "--stats InPkts $in, expected 16"
ok "--stats: 16 datagrams in"
