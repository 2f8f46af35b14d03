#!/usr/bin/env bash
# keepalived_reload.sh — a SIGHUP reload keeps what the health checks found out: a real
# server that failed its check is not put back in the table by the reload (nor given its
# configured weight back under inhibit_on_failure), a live one keeps serving with its new
# weight, a server without checkers keeps its weight, and a carried-over failed checker
# still sees its server come back.
# Real servers are TCP ports on 127.0.0.1; ulvsd runs control plane only.
source "$(dirname "$0")/lib.bash"

ALIVE=$(free_port) DEAD=$(free_port) INHIBITED=$(free_port) UNCHECKED=$(free_port)
listen "$ALIVE"

# write_conf WEIGHT — the live server's weight is the only thing a reload changes.
write_conf() {
  ka_conf <<CONF
  real_server 127.0.0.1 $ALIVE {
    weight $1
    TCP_CHECK { connect_timeout 1 retry 0 }
  }
  real_server 127.0.0.1 $DEAD {
    weight 2
    notify_down "/bin/sh -c 'echo down >>$TMP/dead-notified'"
    TCP_CHECK { connect_timeout 1 retry 0 }
  }
  real_server 127.0.0.1 $UNCHECKED {
    weight 5
  }
  real_server 127.0.0.1 $INHIBITED {
    weight 4
    inhibit_on_failure
    TCP_CHECK { connect_timeout 1 retry 0 }
  }
CONF
}

# The table's real server lines as "PORT WEIGHT", sorted.
servers() { adm -Ln | awk '$1 == "->" && $2 ~ /^127/ { split($2, a, ":"); print a[2], $4 }' | sort -n | tr '\n' ' '; }

# wait_for WANT — the table reaches WANT within 10 s.
wait_for() {
  local got
  for _ in $(seq 100); do
    got=$(servers)
    [ "$got" = "$1" ] && return 0
    sleep 0.1
  done
  fail "table [$got], expected [$1]"
}

write_conf 1
start_ulvsd --config "$TMP/keepalived.conf"
# The dead server leaves, the inhibited one stays with weight 0 (ports sort in free_port order
# only by chance, so build the expectation sorted).
want() { printf '%s\n' "$@" | sort -n | tr '\n' ' '; }
wait_for "$(want "$ALIVE 1" "$INHIBITED 0" "$UNCHECKED 5")"

# Reload with the live server's weight changed.  From the moment of the SIGHUP the table may
# only ever show the dead server absent and the inhibited one at weight 0.
write_conf 3
kill -HUP "$ULVSD_PID"
for _ in $(seq 30); do
  got=$(servers)
  case " $got" in *" $DEAD "*) fail "the reload put the failed server $DEAD back: [$got]" ;; esac
  case " $got" in *" $INHIBITED 4 "*) fail "the reload gave the failed inhibited server its weight back: [$got]" ;; esac
  case " $got " in *" $UNCHECKED 5 "*) ;; *) fail "the reload changed the server without checkers: [$got]" ;; esac
  sleep 0.1
done
wait_for "$(want "$ALIVE 3" "$INHIBITED 0" "$UNCHECKED 5")"
grep -q "virtual servers" "$TMP/ulvsd.log" || fail "no reload in the log"
# The dead server's notify_down ran when it failed, and the reload did not announce it again.
[ "$(cat "$TMP/dead-notified" 2>/dev/null | wc -l)" = 1 ] ||
  fail "notify_down of the dead server ran $(cat "$TMP/dead-notified" 2>/dev/null | wc -l) times, expected once"

# The carried-over failed checkers still work: both servers come back when they answer.
listen "$DEAD"
listen "$INHIBITED"
wait_for "$(want "$ALIVE 3" "$DEAD 2" "$INHIBITED 4" "$UNCHECKED 5")"
echo "ok: keepalived reload keeps health"
