#!/usr/bin/env bash
# Real servers coming and going under load (NAT):
#  - weight 0 mid-download: no new connections to that server, the running one finishes;
#  - a deleted real server: new connections go elsewhere; as in the kernel, packets of its
#    running connections are dropped and the entry ages out (expire_nodest_conn=0), or the
#    entry goes at its next packet (expire_nodest_conn=1);
#  - persistence -p 300: every connection of one client lands on one server, through a
#    template that -Lnc shows.
source "$(dirname "$0")/lib.bash"
e2e_init "$@"
topo_nat 2
start_nginx r1 r2
big_file 12 r1 r2
start_ulvsd "${DIR_IFS[@]}"
adm -A -t "$VIP:80" -s rr
adm -a -t "$VIP:80" -r 10.0.2.11:80 -m
adm -a -t "$VIP:80" -r 10.0.2.12:80 -m

# A slow download (4 s); which server has it?
slow_download() {
  in_ns client curl -s --max-time 60 --limit-rate 3M "http://$VIP/big" | sha256sum | cut -d' ' -f1 \
    >"$WORK/slow.sha" &
  SLOW=$!
  for _ in $(seq 50); do
    busy=$(adm -Lnc | awk '$3 == "ESTABLISHED" {print $6}' | cut -d: -f1)
    [ -n "$busy" ] && return 0
    sleep 0.1
  done
  fail "the download did not start"
}
other_of() { [ "$1" = 10.0.2.11 ] && echo r2 || echo r1; }

slow_download
adm -e -t "$VIP:80" -r "$busy:80" -m -w 0
got=$(tally_fresh client "http://$VIP/" 10)
[ "$got" = "$(other_of "$busy") 10" ] || fail "weight 0 on $busy: new requests went to: $got"
wait "$SLOW" || true
[ "$(cat "$WORK/slow.sha")" = "$BIG_SHA" ] || fail "the download from the weight-0 server broke"
ok "weight 0 on $busy: 10 new requests elsewhere, the running download finished intact"
adm -e -t "$VIP:80" -r "$busy:80" -m -w 1

# Deleting the server a download runs on: the client's packets are dropped from then on.
conn_of() { adm -Lnc | awk -v p=":$1" '$4 ~ p"$"'; }
slow_download
port=$(adm -Lnc | awk '$3 == "ESTABLISHED" {print $4}' | cut -d: -f2)
adm -d -t "$VIP:80" -r "$busy:80"
got=$(tally_fresh client "http://$VIP/" 6)
[ "$got" = "$(other_of "$busy") 6" ] || fail "after deleting $busy: $got"
sleep 1
[ -n "$(conn_of "$port")" ] || fail "expire_nodest_conn=0: the entry must stay until it ages out"
kill_in_ns client curl; wait "$SLOW" 2>/dev/null || true
ok "deleted $busy: new requests elsewhere; its connection's packets dropped, entry ageing"
adm -a -t "$VIP:80" -r "$busy:80" -m

adm --sysctl expire_nodest_conn=1
slow_download
port=$(adm -Lnc | awk '$3 == "ESTABLISHED" {print $4}' | cut -d: -f2)
adm -d -t "$VIP:80" -r "$busy:80"
for _ in $(seq 30); do [ -z "$(conn_of "$port")" ] && break; sleep 0.1; done
[ -z "$(conn_of "$port")" ] || fail "expire_nodest_conn=1: the entry is still there: $(conn_of "$port")"
kill_in_ns client curl; wait "$SLOW" 2>/dev/null || true
ok "expire_nodest_conn=1: the deleted server's entry went at the client's next packet"
adm -a -t "$VIP:80" -r "$busy:80" -m

adm -A -t "$VIP:8000" -s rr -p 300
adm -a -t "$VIP:8000" -r 10.0.2.11:8000 -m
adm -a -t "$VIP:8000" -r 10.0.2.12:8000 -m
got=$(tally_fresh client "http://$VIP:8000/" 10)
[ "$(echo "$got" | wc -l)" = 1 ] && [ "$(echo "$got" | awk '{print $2}')" = 10 ] ||
  fail "persistence: one client spread over: $got"
tmpl=$(adm -Lnc | awk -v c="$CLIENT:0" -v v="$VIP:8000" '($3 == "NONE" || $3 == "ASSURED") && $4 == c && $5 == v')
[ -n "$tmpl" ] || fail "no persistence template: $(adm -Lnc | grep -v TIME_WAIT)"
ok "persistence -p 300: 10 connections on one server ($got), template listed"

