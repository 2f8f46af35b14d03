#!/usr/bin/env bash
# lifecycle.sh — ulvsd's life: --config at start, SIGHUP reload (good and broken files),
# bad input on the socket, clients hanging up mid-line, a second daemon on the same socket,
# SIGTERM removing the socket, --daemon with --pidfile, ULVS_SOCKET.
source "$(dirname "$0")/lib.bash"

svc() { echo "{\"op\":\"add_service\",\"service\":{\"key\":{\"protocol\":\"tcp\",\"addr\":\"$1\",\"port\":80},\"scheduler\":\"rr\"}}"; }
vips() { req '{"op":"get_services"}' | jq -r '[.services[].config.key.addr] | join(" ")'; }

# --- config at start ---
cat >"$TMP/ulvs.json" <<JSON
[ $(svc 10.0.0.1),
  {"op":"add_dest","key":$KEY,"dest":{"server":"192.168.0.1:80","fwd":"route","weight":4}} ]
JSON
start_ulvsd --config "$TMP/ulvs.json"
[ "$(vips)" = "10.0.0.1" ] || fail "config not applied at start: $(vips)"
w=$(req '{"op":"get_services"}' | jq '.services[0].dests[0].config.weight')
[ "$w" = 4 ] || fail "config dest weight $w"

# --- SIGHUP: flush and re-apply the edited file ---
expect_error 0 "$(svc 10.0.0.99)"   # made by hand: a reload drops it
echo "[ $(svc 10.0.0.2), $(svc 10.0.0.3) ]" >"$TMP/ulvs.json"
kill -HUP "$ULVSD_PID"
for _ in $(seq 50); do [ "$(vips)" = "10.0.0.2 10.0.0.3" ] && break; sleep 0.1; done
[ "$(vips)" = "10.0.0.2 10.0.0.3" ] || fail "SIGHUP did not reload: $(vips)"
grep -q "reload of $TMP/ulvs.json: 2 requests applied" "$TMP/ulvsd.log" || fail "reload not logged"

# A broken file leaves the tables alone and says why.
echo '[ {"op":"add_service","service":{"key":{"addr":"10.0.0.300"}}} ]' >"$TMP/ulvs.json"
kill -HUP "$ULVSD_PID"
for _ in $(seq 50); do grep -q "tables unchanged" "$TMP/ulvsd.log" && break; sleep 0.1; done
grep -q "tables unchanged.*request 1.*key.addr" "$TMP/ulvsd.log" || fail "broken reload not logged"
[ "$(vips)" = "10.0.0.2 10.0.0.3" ] || fail "broken reload changed the tables: $(vips)"

# --- bad input never kills the daemon ---
out=$("$PY" - "$SOCK" <<'PY'
import socket, sys, json
s = socket.socket(socket.AF_UNIX); s.connect(sys.argv[1]); f = s.makefile("rwb")
for line in [b"garbage", b"{}", b'{"version":1,"op":"nope"}', b'{"version":7,"op":"flush"}',
             b"\xff\xfe", b'{"version":1,"op":"get_info"}']:
    f.write(line + b"\n"); f.flush()
    print(json.loads(f.readline())["error"])
PY
)
[ "$(echo $out)" = "-22 -22 -22 -22 -22 0" ] || fail "bad input answers: $(echo $out)"
# Hang up mid-line, and send an over-long line.
"$PY" - "$SOCK" <<'PY'
import socket, sys
s = socket.socket(socket.AF_UNIX); s.connect(sys.argv[1])
s.sendall(b'{"version":1,"op":"flu'); s.close()
s = socket.socket(socket.AF_UNIX); s.connect(sys.argv[1])
try:
    s.sendall(b"x" * (3 << 20)); s.recv(100)
except OSError:
    pass
s.close()
PY
[ "$(req '{"op":"get_info"}' | jq .info.version)" = '"1.2.1"' ] || fail "daemon unhealthy after bad clients"

# --- one daemon per socket ---
set +e
"$ULVSD" --socket "$SOCK" 2>"$TMP/second.log"
rc=$?
set -e
[ $rc != 0 ] && grep -q "another ulvsd" "$TMP/second.log" || fail "second ulvsd on the same socket: rc $rc, $(cat "$TMP/second.log")"

# --- SIGTERM: clean exit, socket removed ---
kill -TERM "$ULVSD_PID"
wait "$ULVSD_PID" || fail "ulvsd exited non-zero on SIGTERM"
ULVSD_PID=
[ ! -e "$SOCK" ] || fail "socket file left behind after SIGTERM"
grep -q "exiting" "$TMP/ulvsd.log" || fail "no exit log line"

# --- --daemon with --pidfile, socket from ULVS_SOCKET, a stale socket file replaced ---
SOCK=$TMP/run/sub/ulvsd.sock
mkdir -p "$TMP/run/sub"
"$PY" -c "import socket,sys; socket.socket(socket.AF_UNIX).bind(sys.argv[1])" "$SOCK"  # stale
ULVS_SOCKET=$SOCK "$ULVSD" --daemon --pidfile "$TMP/ulvsd.pid" || fail "--daemon parent failed"
for _ in $(seq 100); do [ -s "$TMP/ulvsd.pid" ] && req '{"op":"get_info"}' | grep -q '"error":0' && break; sleep 0.05; done
ULVSD_PID=$(cat "$TMP/ulvsd.pid")
kill -0 "$ULVSD_PID" || fail "detached ulvsd not running"
[ "$(ps -o sid= -p "$ULVSD_PID" | tr -d ' ')" = "$ULVSD_PID" ] || fail "detached ulvsd is not a session leader"
expect_error 0 '{"op":"get_info"}'
kill -TERM "$ULVSD_PID"
for _ in $(seq 50); do kill -0 "$ULVSD_PID" 2>/dev/null || break; sleep 0.1; done
kill -0 "$ULVSD_PID" 2>/dev/null && fail "detached ulvsd ignored SIGTERM"
ULVSD_PID=
[ ! -e "$SOCK" ] || fail "detached ulvsd left its socket"
[ ! -e "$TMP/ulvsd.pid" ] || fail "detached ulvsd left its pidfile"

# --- options ---
"$ULVSD" --help | grep -q -- "--socket PATH" || fail "--help"
"$ULVSD" --version | grep -q "^ulvsd " || fail "--version"
set +e
"$ULVSD" --bogus 2>/dev/null; rc=$?
set -e
[ $rc = 2 ] || fail "unknown option exit code $rc"

echo "PASS: lifecycle"
