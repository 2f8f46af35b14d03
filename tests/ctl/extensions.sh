#!/usr/bin/env bash
# extensions.sh — ulvsadm's ulvs extensions against a real ulvsd: --toa / --proxy-protocol in
# the listings and through -S | -C | -R, the FULLNAT local addresses (--add-laddr,
# --del-laddr, --list-laddr) and ulvsd --laddr.  (-EBUSY needs live FULLNAT connections:
# tests/unit/ctl/executor_test.cc covers it.)
source "$(dirname "$0")/lib.bash"

# has_line LINE ARGS... — one line of ulvsadm ARGS's output is exactly LINE.
has_line() {
  local line=$1
  shift
  adm "$@" | grep -xF -- "$line" >/dev/null || fail "ulvsadm $*: no line [$line] in: $(adm "$@")"
}

# --- ulvsd --laddr: the pool at start, in order ---
start_ulvsd --laddr 10.0.1.1 --laddr 2001:db8::1
check $'10.0.1.1\n2001:db8::1' --list-laddr
[ "$(req '{"op":"get_local_addrs"}' | jq -c .local_addrs)" = '["10.0.1.1","2001:db8::1"]' ] ||
  fail "get_local_addrs over the socket"

# --- --add-laddr / --del-laddr / --list-laddr ---
adm --add-laddr 10.0.1.2 || fail "--add-laddr"
check $'10.0.1.1\n2001:db8::1\n10.0.1.2' --list-laddr
refused 255 "Local address already exists" --add-laddr 10.0.1.2
refused 255 "Invalid operation.  Possibly wrong module version, address not unicast, ..." \
  --add-laddr 224.0.0.1
refused 2 "illegal local address \`host.example' specified" --add-laddr host.example
refused 255 "No such local address" --del-laddr 10.0.9.9
adm --del-laddr 2001:db8::1 || fail "--del-laddr"
check $'10.0.1.1\n10.0.1.2' --list-laddr

# --- --toa / --proxy-protocol on -A/-E, shown only when set ---
adm -A -t 10.0.0.1:80 -s rr --toa
adm -A -t 10.0.0.2:80 --proxy-protocol v2
adm -A -u 10.0.0.3:53 -o --proxy-protocol v1
adm -A -t 10.0.0.4:80
adm -a -t 10.0.0.1:80 -r 192.168.1.1:80 --fullnat -w 2
has_line "TCP  10.0.0.1:80 rr toa" -L -n
has_line "TCP  10.0.0.2:80 wlc proxy-protocol v2" -L -n
has_line "UDP  10.0.0.3:53 wlc ops proxy-protocol v1" -L -n
has_line "TCP  10.0.0.4:80 wlc" -L -n
adm -L | grep " rr toa$" >/dev/null || fail "-L (names) lacks toa: $(adm -L)"
has_line "TCP  10.0.0.2:80 wlc proxy-protocol v2" -L -n -t 10.0.0.2:80
has_line "-A -t 10.0.0.1:80 -s rr --toa" -S -n
has_line "-A -u 10.0.0.3:53 -s wlc -o --proxy-protocol v1" -S -n
has_line "-A -t 10.0.0.4:80 -s wlc" -S -n

refused 2 "illegal proxy-protocol version \`v3' specified (v1 or v2)" \
  -A -t 10.0.0.5:80 --proxy-protocol v3
refused 2 "The option 'proxy-protocol' conflicts with the 'toa' option in the 'add-service' command" \
  -A -t 10.0.0.5:80 --toa --proxy-protocol v1
refused 2 "Illegal 'toa' option with the 'add-server' command" \
  -a -t 10.0.0.1:80 -r 192.168.1.2 --toa

# -E replaces every setting: without the option, conservation is off again.
adm -E -t 10.0.0.2:80
has_line "TCP  10.0.0.2:80 wlc" -L -n
adm -E -t 10.0.0.2:80 --toa
has_line "TCP  10.0.0.2:80 wlc toa" -L -n

# --- -S | -C | -R keeps the settings; -C leaves the local addresses alone ---
saved=$(adm -S -n)
adm -C
[ -z "$(adm -S -n)" ] || fail "-C left services"
check $'10.0.1.1\n10.0.1.2' --list-laddr
adm -R <<<"$saved" || fail "-R"
[ "$(adm -S -n)" = "$saved" ] || fail "-S | -C | -R changed the table: $(adm -S -n)"

# --- help texts ---
adm -h | grep -F -- "--proxy-protocol v1|v2" >/dev/null || fail "ulvsadm -h lacks the extensions"
"$ULVSD" --help | grep -F -- "--laddr ADDR" >/dev/null || fail "ulvsd --help lacks --laddr"

# --- ulvsd refuses bad --laddr values at start ---
set +e
"$ULVSD" --socket "$TMP/bad.sock" --laddr nope 2>"$TMP/bad.log"
rc1=$?
"$ULVSD" --socket "$TMP/bad.sock" --laddr 10.0.1.1 --laddr 10.0.1.1 2>"$TMP/dup.log"
rc2=$?
set -e
[ $rc1 = 2 ] && grep -q "bad --laddr value 'nope'" "$TMP/bad.log" ||
  fail "ulvsd --laddr nope: status $rc1, $(cat "$TMP/bad.log")"
[ $rc2 = 2 ] && grep -q -- "--laddr 10.0.1.1: File exists" "$TMP/dup.log" ||
  fail "ulvsd --laddr twice: status $rc2, $(cat "$TMP/dup.log")"
[ ! -e "$TMP/bad.sock" ] || fail "a refused ulvsd left a socket"
echo "extensions: ok"
