#!/usr/bin/env bash
# ulvsd --config keepalived.conf with real health checks against nginx real servers (NAT):
#  - a dead server (nginx stopped) leaves the pool within delay_loop x (retry + 1) + timeouts,
#    after which no request fails; it comes back when nginx does;
#  - all servers down: the sorry server answers;
#  - inhibit_on_failure (MISC_CHECK): the failed server stays with weight 0;
#  - quorum 2 with hysteresis 1 over three MISC_CHECKed servers: quorum is lost only at
#    weight 0 (< 2 - 1) and regained only at 3 (>= 2 + 1); the sorry server stands in and
#    answers meanwhile; quorum_down / quorum_up run;
#  - SIGHUP with one weight changed: a download through another server survives, the new
#    weight shows; a broken file on SIGHUP is reported with file:line and changes nothing.
source "$(dirname "$0")/lib.bash"
e2e_init "$@"
topo_nat 3
start_nginx r1 r2 r3
big_file 20 r1 r2
touch "$WORK/r1-up" "$WORK/r2-up" "$WORK/q1" "$WORK/q2" "$WORK/q3"

write_conf() {  # write_conf WEIGHT_OF_R2_ON_8000
  cat >"$WORK/keepalived.conf" <<CONF
global_defs {
    router_id ulvs_e2e
}
$(ka_vs80 rr 1 1)
virtual_server $VIP 8000 {
    delay_loop 1
    lb_algo wrr
    lb_kind NAT
    protocol TCP
    real_server 10.0.2.11 8000 {
        weight 2
        inhibit_on_failure
        MISC_CHECK {
            misc_path "test -e $WORK/r1-up"
            retry 0
        }
    }
    real_server 10.0.2.12 8000 {
        weight $1
        MISC_CHECK {
            misc_path "test -e $WORK/r2-up"
            retry 0
        }
    }
}
virtual_server $VIP 8080 {
    delay_loop 1
    lb_algo rr
    lb_kind NAT
    protocol TCP
    quorum 2
    hysteresis 1
    quorum_up "touch $WORK/quorum-up"
    quorum_down "touch $WORK/quorum-down"
    sorry_server 10.0.2.13 80
$(for i in 1 2 3; do cat <<RS
    real_server 10.0.2.1$i 8000 {
        weight 1
        MISC_CHECK {
            misc_path "test -e $WORK/q$i"
            retry 0
        }
    }
RS
done)
}
CONF
}
write_conf 1
start_ulvsd "${DIR_IFS[@]}" --config "$WORK/keepalived.conf"

# service PORT — "RS WEIGHT" for each real server of $VIP:PORT.
service() { adm -Ln | awk -v v="$VIP:$1" '$1 == "TCP" {on = ($2 == v)} on && $1 == "->" && $2 ~ /^10/ {print $2, $4}'; }
listed() { service "${1##*:}" | grep -c "^$1 " || true; }    # listed RS:PORT (in $VIP:PORT)
weight_of() { service "${1##*:}" | awk -v rs="$1" '$1 == rs {print $2}'; }
wait_for() {  # wait_for SECONDS 'CONDITION' (a shell expression, evaluated every 0.1 s)
  local t=$1; shift
  for _ in $(seq $((t * 10))); do eval "$1" && return 0; sleep 0.1; done
  return 1
}
adm -Ln
[ "$(listed 10.0.2.11:80)" = 1 ] && [ "$(listed 10.0.2.12:80)" = 1 ] || fail "the pool is not as configured"
got=$(tally_fresh client "http://$VIP/" 10)
[ "$got" = $'r1 5\nr2 5' ] || fail "both up: $got"
ok "keepalived.conf loaded: both real servers serve (5/5)"

kill_in_ns r1 nginx
t0=$(date +%s.%N)
wait_for 8 '[ "$(listed 10.0.2.11:80)" = 0 ]' || fail "r1 still in the pool: $(adm -Ln)"
took=$(echo "$(date +%s.%N) - $t0" | bc)
got=$(tally_fresh client "http://$VIP/" 20)
[ "$got" = "r2 20" ] || fail "after r1 left: $got"
ok "nginx on r1 stopped: out of the pool after ${took%???????} s; 20 requests, none failed"

start_nginx r1
wait_for 8 '[ "$(listed 10.0.2.11:80)" = 1 ]' || fail "r1 did not come back"
ok "nginx on r1 back: back in the pool"

kill_in_ns r1 nginx; kill_in_ns r2 nginx
wait_for 8 '[ "$(listed 10.0.2.13:80)" = 1 ]' || fail "no sorry server: $(adm -Ln)"
got=$(tally_fresh client "http://$VIP/" 4)
[ "$got" = "r3 4" ] || fail "sorry server: $got"
ok "all down: the sorry server answers"
start_nginx r1 r2
wait_for 8 '[ "$(listed 10.0.2.13:80)" = 0 ]' || fail "the sorry server stayed"
ok "servers back: the sorry server left"

rm "$WORK/r1-up"
wait_for 6 '[ "$(weight_of 10.0.2.11:8000)" = 0 ]' || fail "inhibit_on_failure: $(adm -Ln)"
ok "inhibit_on_failure: failed r1 kept with weight 0"
touch "$WORK/r1-up"
wait_for 6 '[ "$(weight_of 10.0.2.11:8000)" = 2 ]' || fail "r1 weight not restored: $(adm -Ln)"

# Quorum with hysteresis on $VIP:8080 (three servers of weight 1, quorum 2, hysteresis 1).
quorum_servers() { service 8080 | cut -d' ' -f1 | sort | tr '\n' ' '; }
all3="10.0.2.11:8000 10.0.2.12:8000 10.0.2.13:8000 "
wait_for 6 '[ -e "$WORK/quorum-up" ] && [ "$(quorum_servers)" = "$all3" ]' ||
  fail "quorum at start: [$(quorum_servers)], quorum_up run: $(ls "$WORK" | grep -c quorum-up)"
rm "$WORK/quorum-up"
rm "$WORK/q1" "$WORK/q2"
wait_for 6 '[ "$(quorum_servers)" = "10.0.2.13:8000 " ]' || fail "two down: [$(quorum_servers)]"
sleep 1.5  # a check round more: weight 1 is below quorum 2 but not below 2 - 1
[ "$(quorum_servers)" = "10.0.2.13:8000 " ] && [ ! -e "$WORK/quorum-down" ] ||
  fail "quorum lost at weight 1 despite hysteresis: [$(quorum_servers)]"
ok "quorum 2, hysteresis 1: weight 1 keeps quorum"
rm "$WORK/q3"
wait_for 6 '[ -e "$WORK/quorum-down" ] && [ "$(quorum_servers)" = "10.0.2.13:80 " ]' ||
  fail "weight 0: [$(quorum_servers)], quorum_down run: $(ls "$WORK" | grep -c quorum-down)"
got=$(tally_fresh client "http://$VIP:8080/" 4)
[ "$got" = "r3 4" ] || fail "quorum lost: the sorry server should answer: $got"
ok "weight 0: quorum lost, quorum_down ran, the sorry server answers"
# Weight 2 is quorum but not quorum + hysteresis: once both checks have reported UP (the
# 8080 virtual server's lines in ulvsd's log), quorum must still be lost.
vs8080=$(grep -n "virtual_server $VIP 8080" "$WORK/keepalived.conf" | cut -d: -f1)
ups() { grep -c "keepalived.conf:$vs8080 10.0.2.1[12]:8000: UP" "$WORK/ulvsd.log" || true; }
ups_before=$(ups)
touch "$WORK/q1" "$WORK/q2"
wait_for 6 '[ "$(ups)" -ge $((ups_before + 2)) ]' || fail "q1/q2 checks did not report UP: $(tail -5 "$WORK/ulvsd.log")"
sleep 0.5
[ "$(quorum_servers)" = "10.0.2.13:80 " ] && [ ! -e "$WORK/quorum-up" ] ||
  fail "quorum regained at weight 2 despite hysteresis: [$(quorum_servers)]"
ok "weight 2: still no quorum (needs 3)"
touch "$WORK/q3"
wait_for 6 '[ -e "$WORK/quorum-up" ] && [ "$(quorum_servers)" = "$all3" ]' ||
  fail "weight 3: [$(quorum_servers)], quorum_up run: $(ls "$WORK" | grep -c quorum-up)"
got=$(tally_fresh client "http://$VIP:8080/" 6)
[ "$got" = $'r1 2\nr2 2\nr3 2' ] || fail "quorum back: $got"
ok "weight 3: quorum back, quorum_up ran, the sorry server left, all three serve"

# Reload with r2's weight on 8000 changed, while a download runs through r1 on 8000.
in_ns client curl -s --max-time 30 --limit-rate 5M "http://$VIP:8000/big" | sha256sum | cut -d' ' -f1 >"$WORK/dl.sha" &
DL=$!
sleep 0.5
dl_to=$(adm -Lnc | awk -v v="$VIP:8000" '$3 == "ESTABLISHED" && $5 == v {print $6}')
write_conf 5
kill -HUP "$ULVSD_PID"
wait_for 5 '[ "$(weight_of 10.0.2.12:8000)" = 5 ]' || fail "reload: weight not 5: $(adm -Ln)"
wait "$DL" || true
[ "$(cat "$WORK/dl.sha")" = "$BIG_SHA" ] || fail "the download via $dl_to broke across the reload"
ok "SIGHUP: r2's weight now 5; the download through $dl_to survived"

cp "$WORK/keepalived.conf" "$WORK/good.conf"
sed -i '0,/real_server 10.0.2.12 80 {/s//real_server 10.0.2.12 80/' "$WORK/keepalived.conf"
before=$(adm -Ln)
kill -HUP "$ULVSD_PID"
wait_for 5 'grep -q "keepalived.conf:[0-9]*: error" "$WORK/ulvsd.log"' || fail "no file:line error logged"
grep "keepalived.conf:[0-9]*: error" "$WORK/ulvsd.log" | head -2
sleep 1
[ "$(adm -Ln)" = "$before" ] || fail "a broken file changed the table"
ok "broken file on SIGHUP: file:line error, table unchanged"
