#!/usr/bin/env bash
# permissions.sh — the control socket is root-only: mode 0600, and even with the file mode
# loosened a non-root peer (SO_PEERCRED) gets EPERM and changes nothing.
source "$(dirname "$0")/lib.bash"
[ "$(id -u)" = 0 ] || { echo "SKIP: needs root to switch to another user"; exit 0; }
command -v setpriv >/dev/null || fail "setpriv (util-linux) is needed"

start_ulvsd
mode=$(stat -c %a "$SOCK")
[ "$mode" = 600 ] || fail "socket mode is $mode, expected 600"
[ "$(stat -c %u "$SOCK")" = 0 ] || fail "socket not owned by root"

# The nobody user must be able to reach the directory and the client script.
chmod 755 "$TMP"
cp "$HERE/ulvsctl.py" "$TMP/ulvsctl.py"
chmod 755 "$TMP/ulvsctl.py"
as_nobody() { setpriv --reuid=65534 --regid=65534 --clear-groups "$PY" "$TMP/ulvsctl.py" "$SOCK" "$@"; }

# 1. The file mode refuses the connection.
set +e
out=$(as_nobody '{"version":1,"op":"flush"}' 2>&1)
rc=$?
set -e
[ $rc = 3 ] || fail "non-root client was not refused by the socket (rc $rc: $out)"
grep -q "Permission denied" <<<"$out" || fail "unexpected refusal text: $out"

# 2. Loosened mode: the daemon itself checks the peer's uid.
expect_error 0 "{\"op\":\"add_service\",\"service\":{\"key\":$KEY}}"
chmod 666 "$SOCK"
set +e
out=$(as_nobody "{\"version\":1,\"op\":\"del_service\",\"key\":$KEY}" '{"version":1,"op":"get_services"}')
set -e
[ "$(jq -s 'map(.error) | unique' <<<"$out" | jq -c .)" = "[-1]" ] || fail "non-root peer not refused with EPERM: $out"
jq -e -s '.[0].message | test("root")' <<<"$out" >/dev/null || fail "EPERM without an explanation: $out"
n=$(req '{"op":"get_services"}' | jq '.services | length')
[ "$n" = 1 ] || fail "a refused request changed the table ($n services)"

echo "PASS: permissions"
