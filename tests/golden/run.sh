#!/usr/bin/env bash
# run.sh ULVSADM ULVSD [CASE...] — the golden tests: every case under tests/golden/cases runs
# against a fresh ulvsd (its own socket, so a flushed table and default timeouts/daemons),
# with ulvsadm invoked as `ipvsadm`, and must reproduce expected/<case>.out byte for byte
# (stdout, stderr and exit status of every step, as the real ipvsadm produced them).
# Prints a unified diff for each failing case; exits 1 if any failed.
set -u
ulvsadm=$(realpath "$1")
ulvsd=$(realpath "$2")
shift 2
here=$(cd "$(dirname "$0")" && pwd)

work=$(mktemp -d)
daemon_pid=
stop_daemon() {
  if [[ -n $daemon_pid ]]; then
    kill "$daemon_pid" 2>/dev/null
    wait "$daemon_pid" 2>/dev/null
    daemon_pid=
  fi
}
trap 'stop_daemon; rm -rf "$work"' EXIT
mkdir "$work/bin"
ln -s "$ulvsadm" "$work/bin/ipvsadm"  # argv[0] "ipvsadm", as in the real tool's messages
export ULVS_SOCKET=$work/ulvsd.sock

start_daemon() {
  rm -f "$ULVS_SOCKET"
  "$ulvsd" --socket "$ULVS_SOCKET" 2>>"$work/ulvsd.log" &
  daemon_pid=$!
  for _ in $(seq 100); do
    [[ -S $ULVS_SOCKET ]] && return 0
    sleep 0.05
  done
  echo "run.sh: ulvsd did not create $ULVS_SOCKET" >&2
  cat "$work/ulvsd.log" >&2
  exit 1
}

cases=("$@")
[[ ${#cases[@]} -gt 0 ]] || cases=("$here"/cases/*.cmds)
pass=0
fail=0
for c in "${cases[@]}"; do
  name=$(basename "$c" .cmds)
  start_daemon
  PATH=$work/bin:$PATH "$here/transcript.sh" "$here/cases/$name.cmds" >"$work/$name.out"
  stop_daemon
  if diff -u --label "expected/$name.out" --label "ulvsadm" "$here/expected/$name.out" \
       "$work/$name.out"; then
    pass=$((pass + 1))
  else
    echo "FAIL: $name"
    fail=$((fail + 1))
  fi
done
echo "golden: $pass passed, $fail failed"
[[ $fail -eq 0 ]]
