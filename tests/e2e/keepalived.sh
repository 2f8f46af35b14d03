#!/usr/bin/env bash
# ulvsd --config keepalived.conf with real health checks against nginx real servers (NAT):
#  - a dead server (nginx stopped) leaves the pool within delay_loop x (retry + 1) + timeouts,
#    after which no request fails; it comes back when nginx does;
#  - all servers down: the sorry server answers;
#  - inhibit_on_failure (MISC_CHECK): the failed server stays with weight 0;
#  - SIGHUP with one weight changed: a download through another server survives, the new
#    weight shows; a broken file on SIGHUP is reported with file:line and changes nothing.
source "$(dirname "$0")/lib.bash"
e2e_init "$@"
topo_nat 3
start_nginx r1 r2 r3
big_file 20 r1 r2
touch "$WORK/r1-up" "$WORK/r2-up"

write_conf() {  # write_conf WEIGHT_OF_R2_ON_8000
  cat >"$WORK/keepalived.conf" <<CONF
global_defs {
    router_id ulvs_e2e
}
virtual_server $VIP 80 {
    delay_loop 1
    lb_algo rr
    lb_kind NAT
    protocol TCP
    sorry_server 10.0.2.13 80
    real_server 10.0.2.11 80 {
        weight 1
        HTTP_GET {
            url {
                path /
                status_code 200
            }
            connect_timeout 1
            retry 1
            delay_before_retry 1
        }
    }
    real_server 10.0.2.12 80 {
        weight 1
        TCP_CHECK {
            connect_timeout 1
            retry 1
            delay_before_retry 1
        }
    }
}
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
CONF
}
write_conf 1
start_ulvsd "${DIR_IFS[@]}" --config "$WORK/keepalived.conf"

listed() { adm -Ln | grep -c -- "-> $1 " || true; }
weight_of() { adm -Ln | awk -v rs="$1" '$1 == "->" && $2 == rs {print $4}'; }
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
