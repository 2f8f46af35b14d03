#!/usr/bin/env bash
# sysctl.sh — the /proc/sys/net/ipv4/vs knobs on a running ulvsd: ulvsd --sysctl at start,
# ulvsadm --sysctl NAME=VALUE / --sysctl NAME / --list-sysctl, their errors, the
# set_sysctl / get_sysctls socket ops, and the HTTP API's generic request.
source "$(dirname "$0")/lib.bash"

# --- ulvsd --sysctl: applied at start, listed in the kernel's order ---
PORT=$(free_port)
start_ulvsd --sysctl sloppy_tcp=1 --sysctl lblc_expiration=600 --sysctl conn_reuse_mode=0 \
  --http "$PORT"
check "conn_reuse_mode = 0
expire_nodest_conn = 0
expire_quiescent_template = 0
lblc_expiration = 600
lblcr_expiration = 86400
secure_tcp = 0
sloppy_tcp = 1" --list-sysctl

# --- --sysctl NAME prints the value alone; NAME=VALUE sets ---
check 1 --sysctl sloppy_tcp
check 600 --sysctl lblc_expiration
adm --sysctl sloppy_tcp=0 || fail "--sysctl sloppy_tcp=0"
check 0 --sysctl sloppy_tcp
adm --sysctl=expire_nodest_conn=1 || fail "--sysctl=expire_nodest_conn=1"
check 1 --sysctl expire_nodest_conn
adm --sysctl secure_tcp=3 || fail "--sysctl secure_tcp=3"
check 3 --sysctl secure_tcp
adm --sysctl secure_tcp=2 || fail "--sysctl secure_tcp=2"
check 1 --sysctl secure_tcp  # no memory pressure: the kernel drops 2 to 1 at once
adm --sysctl lblcr_expiration=0x3c || fail "--sysctl lblcr_expiration=0x3c"
check 60 --sysctl lblcr_expiration
adm --sysctl "conn_reuse_mode= 3 " || fail "--sysctl conn_reuse_mode with white space"
check 3 --sysctl conn_reuse_mode

# --- errors ---
refused 255 "No such sysctl" --sysctl drop_entry=1
refused 1 "No such sysctl" --sysctl drop_entry
refused 255 "Invalid argument" --sysctl secure_tcp=4
refused 255 "Invalid argument" --sysctl sloppy_tcp=on
refused 255 "Invalid argument" --sysctl sloppy_tcp=
refused 255 "Invalid argument" --sysctl lblc_expiration=2147484
refused 2 "illegal sysctl \`=1' specified" --sysctl =1
refused 2 "Illegal 'numeric' option with the 'list-sysctl' command" --list-sysctl -n
check 3 --sysctl conn_reuse_mode  # refused writes changed nothing
check 1 --sysctl secure_tcp

# -R takes the commands too; -C leaves the sysctls alone.
printf -- '--sysctl sloppy_tcp=1\n--sysctl expire_quiescent_template=1\n' | adm -R ||
  fail "--sysctl through -R"
adm -C
check 1 --sysctl sloppy_tcp
check 1 --sysctl expire_quiescent_template

# --- the socket ops ---
[ "$(req '{"op":"get_sysctls","sysctl":{"name":"lblc_expiration"}}' | jq -c .sysctls)" = \
  '[{"name":"lblc_expiration","value":"600"}]' ] || fail "get_sysctls with a name"
[ "$(req '{"op":"get_sysctls"}' | jq -r '[.sysctls[].name] | join(",")')" = \
  "conn_reuse_mode,expire_nodest_conn,expire_quiescent_template,lblc_expiration,lblcr_expiration,secure_tcp,sloppy_tcp" ] ||
  fail "get_sysctls order"
expect_error 0 '{"op":"set_sysctl","sysctl":{"name":"lblc_expiration","value":1200}}'
check 1200 --sysctl lblc_expiration
expect_error -2 '{"op":"set_sysctl","sysctl":{"name":"nope","value":"1"}}'
expect_error -22 '{"op":"set_sysctl","sysctl":{"name":"secure_tcp","value":"-1"}}'
expect_error -2 '{"op":"get_sysctls","sysctl":{"name":"nope"}}'

# --- HTTP: POST /api/v1/request ---
if command -v curl >/dev/null; then
  for _ in $(seq 50); do curl -s "127.0.0.1:$PORT/api/v1/services" >/dev/null && break; sleep 0.1; done
  out=$(curl -s -XPOST "127.0.0.1:$PORT/api/v1/request" \
    -d '{"op":"set_sysctl","sysctl":{"name":"sloppy_tcp","value":"0"}}')
  [ "$(jq .error <<<"$out")" = 0 ] || fail "HTTP set_sysctl: $out"
  check 0 --sysctl sloppy_tcp
  out=$(curl -s -XPOST "127.0.0.1:$PORT/api/v1/request" -d '{"op":"get_sysctls"}')
  [ "$(jq -r '.sysctls[] | select(.name == "sloppy_tcp") | .value' <<<"$out")" = 0 ] ||
    fail "HTTP get_sysctls: $out"
fi

# --- help texts ---
adm -h | grep -F -- "--sysctl name=value" >/dev/null || fail "ulvsadm -h lacks --sysctl"
adm -h | grep -F -- "--list-sysctl" >/dev/null || fail "ulvsadm -h lacks --list-sysctl"
"$ULVSD" --help | grep -F -- "--sysctl NAME=VALUE" >/dev/null || fail "ulvsd --help lacks --sysctl"

# --- ulvsd refuses bad --sysctl values at start ---
bad_start() {  # WANT_LOG ARGS...
  local want=$1 rc
  shift
  set +e
  "$ULVSD" --socket "$TMP/bad.sock" "$@" 2>"$TMP/bad.log"
  rc=$?
  set -e
  [ $rc = 2 ] && grep -qF -- "$want" "$TMP/bad.log" ||
    fail "ulvsd $*: status $rc, $(cat "$TMP/bad.log")"
  [ ! -e "$TMP/bad.sock" ] || fail "a refused ulvsd left a socket"
}
bad_start "bad --sysctl value 'sloppy_tcp' (expected NAME=VALUE)" --sysctl sloppy_tcp
bad_start "--sysctl drop_entry=1: No such file or directory" --sysctl drop_entry=1
bad_start "--sysctl secure_tcp=9: Invalid argument" --sysctl secure_tcp=9
echo "sysctl: ok"
