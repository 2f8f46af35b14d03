#!/usr/bin/env bash
# keepalived_omega.sh — ulvsd stopping runs what keepalived runs when it stops: with `omega`,
# the notify_down of every alive real server and the virtual server's quorum_down; without
# omega, nothing.  Real servers are TCP ports on 127.0.0.1; ulvsd runs control plane only.
source "$(dirname "$0")/lib.bash"

PORT=$(free_port)
listen "$PORT"

# run_and_stop OMEGA_LINE — ulvsd with the config until the check passed once, then SIGTERM.
run_and_stop() {
  rm -f "$TMP"/down-* "$TMP"/quorum-*
  ka_conf <<CONF
  $1
  quorum_up "touch $TMP/quorum-up"
  quorum_down "touch $TMP/quorum-down"
  real_server 127.0.0.1 $PORT {
    weight 1
    notify_down "touch $TMP/down-alive"
    TCP_CHECK { connect_timeout 1 }
  }
CONF
  rm -f "$SOCK"
  start_ulvsd --config "$TMP/keepalived.conf"
  for _ in $(seq 50); do [ -e "$TMP/quorum-up" ] && break; sleep 0.1; done
  [ -e "$TMP/quorum-up" ] || fail "quorum_up did not run at start"
  sleep 1.5  # one check passed
  kill -TERM "$ULVSD_PID"
  wait "$ULVSD_PID" || true
  ULVSD_PID=
}
# appear FILE... — the (detached) scripts created every FILE within 5 s.
appear() {
  for _ in $(seq 50); do
    local all=1
    for f in "$@"; do [ -e "$f" ] || all=0; done
    ((all)) && return 0
    sleep 0.1
  done
  return 1
}

run_and_stop omega
appear "$TMP/down-alive" || fail "omega: notify_down of the alive server did not run at stop"
appear "$TMP/quorum-down" || fail "omega: quorum_down did not run at stop"
echo "ok: omega: notify_down and quorum_down at stop"

run_and_stop ""
sleep 1  # what would have been spawned at stop has had the time the omega case needed
[ ! -e "$TMP/down-alive" ] && [ ! -e "$TMP/quorum-down" ] || fail "without omega a stop must run no script"
echo "ok: without omega: no script at stop"
