#!/bin/sh
# generate.sh — record what real keepalived builds from each tests/config/cases/*.conf.
#
# Runs ../shared/oracle/keepalived-oracle (Debian's keepalived 2.2.7 against an emulated
# kernel IPVS) in its private, empty network namespace, so every health check fails, and
# stores the `ipvsadm -Ln` table it prints as cases/NAME.expected.  Run once, by hand, when a
# case is added or changed; the unit tests (tests/unit/config/pool_test.cc) and, once the
# parser lands, the config loader compare ulvs's table with these files.
#
#   tests/config/generate.sh              # every case
#   tests/config/generate.sh sorry quorum # just these
set -eu
here=$(cd "$(dirname "$0")" && pwd)
oracle=${KEEPALIVED_ORACLE:-$here/../../../shared/oracle/keepalived-oracle}
seconds=${SECONDS_TO_SETTLE:-15}
[ -x "$oracle" ] || { echo "generate.sh: no keepalived-oracle at $oracle" >&2; exit 2; }
dpkg -s keepalived >/dev/null 2>&1 || { echo "generate.sh: keepalived is not installed" >&2; exit 2; }

if [ $# -eq 0 ]; then
  set -- $(cd "$here/cases" && ls *.conf | sed 's/\.conf$//')
fi
log=$(mktemp /tmp/ulvs-ka-log.XXXXXX)
trap 'rm -f "$log"' EXIT
for name in "$@"; do
  conf=$here/cases/$name.conf
  # keepalived-oracle starts every run on a fresh emulated kernel (a temporary state file).
  if ! env -u IPVS_SHIM_STATE "$oracle" --seconds "$seconds" "$conf" \
      >"$here/cases/$name.expected" 2>"$log"; then
    cat "$log" >&2
    echo "generate.sh: $name: keepalived-oracle failed" >&2
    exit 1
  fi
  echo "== $name: $(grep -c '^  ->' "$here/cases/$name.expected") real server entries"
  # What keepalived said about the configuration and the pool, for the human reading along.
  sed 's/^[A-Z][a-z][a-z] [A-Z][a-z][a-z] [ 0-9][0-9] [0-9:]* [0-9]*: //' "$log" |
    grep -vE '^(Command line|Opening file|Configuration file)' | grep -iE 'warning|error|reset|quorum|sorry|removing|disabling|adding|enabling' || true
done
