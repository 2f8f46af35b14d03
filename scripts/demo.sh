#!/usr/bin/env bash
# make demo: ulvs in miniature, with real packets.
#   a client, a director running ulvsd (AF_XDP data plane) and three nginx real servers, each
#   in its own network namespace; a VIP configured with ulvsadm exactly as with ipvsadm;
#   real HTTP traffic (ab, curl) through it; then ulvsadm's listings.  Everything it creates
#   is removed at the end, also when interrupted.
#
#   scripts/demo.sh build/ulvsadm build/ulvsd          (root)
source "$(dirname "$0")/../tests/e2e/lib.bash"
e2e_init "$@"

say() { printf '\n\033[1m== %s\033[0m\n' "$*"; }
run() { printf '$ %s\n' "$*"; "$@"; }

say "topology: client 10.0.1.2 -> director (VIP 10.0.1.100) -> r1 r2 r3 (10.0.2.11-13, NAT)"
topo_nat 3
start_nginx r1 r2 r3
start_ulvsd "${DIR_IFS[@]}"
grep "data plane:" "$WORK/ulvsd.log"

say "configure the virtual service (ipvsadm syntax)"
run adm -A -t 10.0.1.100:80 -s wrr
run adm -a -t 10.0.1.100:80 -r 10.0.2.11:80 -m -w 3
run adm -a -t 10.0.1.100:80 -r 10.0.2.12:80 -m -w 2
run adm -a -t 10.0.1.100:80 -r 10.0.2.13:8000 -m -w 1
run adm -Ln

say "six requests from the client: wrr 3:2:1"
for _ in 1 2 3 4 5 6; do in_ns client curl -s http://10.0.1.100/; done | tr '\n' ' '; echo

say "load: ab -n 6000 -c 50 (no keep-alive) through the VIP"
in_ns client ab -q -n 6000 -c 50 http://10.0.1.100/ 2>&1 |
  grep -E "Complete requests|Failed requests|Requests per second|Time per request.*mean\)"

say "a 20 MB download through the VIP"
big_file 20 r1 r2 r3
in_ns client curl -s -o /dev/null -w 'downloaded %{size_download} bytes at %{speed_download} B/s\n' \
  http://10.0.1.100/big

sleep 2.1   # the estimator folds the counters every 2 s, as the kernel's does
say "ulvsadm -Ln --stats"
adm -Ln --stats
say "ulvsadm -Ln --rate"
adm -Ln --rate
say "ulvsadm -Lnc (first lines)"
adm -Lnc | sed -n 1,6p
say "cleaning up (namespaces, ulvsd, nginx)"
