# lib.bash — shared by tests/ctl/*.sh: a private temp dir and socket, ulvsd start/stop,
# a JSON client and assertions.  Sourced, not run (so CMake does not register it as a test).
#
#   source "$(dirname "$0")/lib.bash"      # $1 = ulvsadm, $2 = ulvsd
#   start_ulvsd --http 127.0.0.1:0
#   req '{"op":"get_info"}' | jq -e '.error == 0' >/dev/null || fail "get_info"
#   check "$(printf ...)" -Ln            # ulvsadm (through adm) prints exactly this
#   refused 255 "No such service" -D -t 10.0.0.1:80
#   listen "$(free_port)"                 # a TCP port that accepts, until the test ends
#   ka_conf <<<"  real_server ..."        # $TMP/keepalived.conf: 10.0.0.1:80 with these lines
set -euo pipefail

ULVSADM=${1:?usage: $0 ULVSADM ULVSD}
ULVSD=${2:?usage: $0 ULVSADM ULVSD}
HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
PY=/usr/bin/python3; [ -x "$PY" ] || PY=$(command -v python3)
TMP=$(mktemp -d /tmp/ulvs-ctl-test.XXXXXX)
SOCK=$TMP/ulvsd.sock
ULVSD_PID=
LISTENERS=()

cleanup() {
  for p in "${LISTENERS[@]}"; do kill "$p" 2>/dev/null || true; done
  if [ -n "$ULVSD_PID" ] && kill -0 "$ULVSD_PID" 2>/dev/null; then
    kill "$ULVSD_PID" 2>/dev/null || true
    wait "$ULVSD_PID" 2>/dev/null || true
  fi
  rm -rf "$TMP"
}
trap cleanup EXIT

fail() {
  echo "FAIL: $*" >&2
  if [ -f "$TMP/ulvsd.log" ]; then echo "--- ulvsd log:" >&2; cat "$TMP/ulvsd.log" >&2; fi
  exit 1
}

# Starts ulvsd in the foreground (background job) on $SOCK and waits for the socket.
start_ulvsd() {
  "$ULVSD" --socket "$SOCK" "$@" 2>>"$TMP/ulvsd.log" &
  ULVSD_PID=$!
  for _ in $(seq 100); do
    [ -S "$SOCK" ] && return 0
    kill -0 "$ULVSD_PID" 2>/dev/null || fail "ulvsd exited at start"
    sleep 0.05
  done
  fail "ulvsd did not create $SOCK"
}

# req JSON... — sends requests (version added if missing), prints one reply line each.
req() {
  local lines=()
  for r in "$@"; do lines+=("$(jq -c '{version: 1} + .' <<<"$r")"); done
  "$PY" "$HERE/ulvsctl.py" "$SOCK" "${lines[@]}" || true
}

# expect_error ERRNO JSON — one request must answer that error (0 for success).
expect_error() {
  local want=$1 got
  got=$(req "$2" | jq '.error')
  [ "$got" = "$want" ] || fail "request $2: error $got, expected $want"
}

KEY='{"protocol":"tcp","addr":"10.0.0.1","port":80}'

# ulvsadm against this test's ulvsd.
adm() { ULVS_SOCKET=$SOCK "$ULVSADM" "$@"; }

# check WANT ARGS... — ulvsadm ARGS must succeed and print exactly WANT.
check() {
  local want=$1 got
  shift
  got=$(adm "$@") || fail "ulvsadm $*: exit status $?"
  [ "$got" = "$want" ] || fail "ulvsadm $*: printed [$got], expected [$want]"
}

# refused STATUS TEXT ARGS... — ulvsadm ARGS must exit with STATUS, printing TEXT on stderr.
refused() {
  local want_rc=$1 want=$2 got rc
  shift 2
  set +e
  got=$(adm "$@" 2>&1 >/dev/null)
  rc=$?
  set -e
  [ "$rc" = "$want_rc" ] && [ "$got" = "$want" ] ||
    fail "ulvsadm $*: status $rc [$got], expected $want_rc [$want]"
}

# A free TCP port on 127.0.0.1.
free_port() { "$PY" -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }

# listen PORT — a TCP listener on 127.0.0.1:PORT (accepts and closes) until the test ends.
listen() {
  "$PY" -c 'import socket,sys; s=socket.socket(); s.setsockopt(socket.SOL_SOCKET,socket.SO_REUSEADDR,1)
s.bind(("127.0.0.1",int(sys.argv[1]))); s.listen(64)
while True: c,_=s.accept(); c.close()' "$1" &
  LISTENERS+=($!)
}

# ka_conf — writes $TMP/keepalived.conf: virtual server 10.0.0.1:80 (NAT, rr, checked every
# second) whose remaining lines come from stdin.
ka_conf() {
  { printf '%s\n' 'virtual_server 10.0.0.1 80 {' '  delay_loop 1' '  lb_algo rr' '  lb_kind NAT' '  protocol TCP'
    cat
    echo '}'
  } >"$TMP/keepalived.conf"
}
