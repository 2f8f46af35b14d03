#!/usr/bin/env bash
# keepalived_oracle.sh — ulvsd and the real keepalived run the same keepalived.conf side by
# side in the director's namespace, their health checks (HTTP_GET, TCP_CHECK) reaching
# the same nginx real servers: keepalived 2.2.7 through ../shared/oracle/keepalived-oracle
# (its IPVS is emulated, read with ipvsadm-oracle), ulvsd for real.  At start, after nginx on
# r1 stops, after r2's stops too (sorry server, inhibit), and after both come back, ulvsd's
# `ulvsadm -Ln` equals keepalived's `ipvsadm -Ln`.  Skipped (status 77) without the oracle.
source "$(dirname "$0")/lib.bash"
# The oracle lives beside the project (../shared/oracle); a clone elsewhere finds it at
# /work/shared/oracle, or through $ORACLE_DIR.
for d in "${ORACLE_DIR:-}" "$(cd "$(dirname "$0")/../../.." && pwd)/shared/oracle" /work/shared/oracle; do
  [ -n "$d" ] && [ -x "$d/keepalived-oracle" ] && { ORACLE_DIR=$d; break; }
done
if [ ! -x "${ORACLE_DIR:-}/keepalived-oracle" ] || ! command -v keepalived >/dev/null; then
  echo "SKIP: no keepalived-oracle (../shared/oracle, /work/shared/oracle, \$ORACLE_DIR) or no keepalived"
  exit 77
fi
e2e_init "$@"
topo_nat 3
start_nginx r1 r2 r3

cat >"$WORK/keepalived.conf" <<CONF
global_defs {
    router_id ulvs_oracle_e2e
}
$(ka_vs80 wrr 3 2)
virtual_server $VIP 8000 {
    delay_loop 1
    lb_algo rr
    lb_kind NAT
    protocol TCP
    real_server 10.0.2.11 8000 {
        weight 1
        inhibit_on_failure
        TCP_CHECK {
            connect_timeout 1
            retry 0
        }
    }
    real_server 10.0.2.12 8000 {
        weight 1
        TCP_CHECK {
            connect_timeout 1
            retry 0
        }
    }
}
CONF

start_ulvsd "${DIR_IFS[@]}" --config "$WORK/keepalived.conf"
export IPVS_SHIM_STATE=$WORK/shim.state
"$ORACLE_DIR/keepalived-oracle" --netns "$(ns_name dir)" --seconds 300 "$WORK/keepalived.conf" \
  >"$WORK/oracle.out" 2>"$WORK/oracle.log" &
PIDS+=($!)  # stopped by e2e_cleanup (keepalived itself runs in the director's namespace)

# Both tables, without the counters (keepalived's IPVS is emulated: no traffic reaches it).
tables_equal() {
  "$ORACLE_DIR/ipvsadm-oracle" -Ln >"$WORK/keepalived.table" 2>/dev/null || return 1
  adm -Ln | awk '{ if ($1 == "->" && $2 ~ /^[0-9]/) print $1, $2, $3, $4; else print }' >"$WORK/ulvsd.table"
  awk '{ if ($1 == "->" && $2 ~ /^[0-9]/) print $1, $2, $3, $4; else print }' "$WORK/keepalived.table" |
    cmp -s - "$WORK/ulvsd.table"
}
# settled WHAT 'CONDITION' — once ulvsd's table meets CONDITION (a shell expression over
# $WORK/ulvsd.table, so the step has happened), keepalived's table equals it within 10 s
# (the two run their checks independently).
settled() {
  local what=$1 cond=$2
  for _ in $(seq 50); do tables_equal || true; eval "$cond" && break; sleep 0.2; done
  eval "$cond" || fail "$what: ulvsd's table never got there: $(cat "$WORK/ulvsd.table")"
  for _ in $(seq 50); do
    tables_equal && { ok "$what: ulvsd's table is keepalived's"; return 0; }
    sleep 0.2
  done
  echo "--- keepalived:"; cat "$WORK/keepalived.table"; echo "--- ulvsd:"; cat "$WORK/ulvsd.table"
  tail -20 "$WORK/oracle.log"
  fail "$what: the tables differ"
}
has() { grep -q -- "-> $1 " "$WORK/ulvsd.table"; }
weight() { awk -v rs="$1" '$2 == rs {print $4}' "$WORK/ulvsd.table" | head -1; }

settled "start, all up" 'has 10.0.2.11:80 && has 10.0.2.12:80 && has 10.0.2.12:8000'
kill_in_ns r1 nginx
settled "nginx on r1 stopped" '! has 10.0.2.11:80 && [ "$(weight 10.0.2.11:8000)" = 0 ]'
kill_in_ns r2 nginx
settled "nginx on r1 and r2 stopped (sorry server)" 'has 10.0.2.13:80 && ! has 10.0.2.12:8000'
start_nginx r1 r2
settled "both back" '! has 10.0.2.13:80 && has 10.0.2.11:80 && has 10.0.2.12:8000'
cat "$WORK/ulvsd.table"
