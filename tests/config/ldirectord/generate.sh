#!/bin/sh
# generate.sh — record what the real ldirectord builds from each tests/config/ldirectord/*.cf.
#
# Runs ../shared/oracle/ldirectord-oracle (Debian's ldirectord 4.12 driving the real ipvsadm
# against an emulated kernel IPVS) in its private, empty network namespace, so every health
# check fails, and stores the `ipvsadm -Ln` table it prints as NAME.expected.  Run by hand when
# a case is added or changed; tests/config/ldirectord_compare.sh compares ulvsd's table with
# these files after the same settle time (SECONDS_TO_SETTLE, 10 s).
#
#   tests/config/ldirectord/generate.sh               # every case
#   tests/config/ldirectord/generate.sh fallback udp  # just these
set -eu
here=$(cd "$(dirname "$0")" && pwd)
oracle=${LDIRECTORD_ORACLE:-$here/../../../../shared/oracle/ldirectord-oracle}
seconds=${SECONDS_TO_SETTLE:-10}
[ -x "$oracle" ] || { echo "generate.sh: no ldirectord-oracle at $oracle" >&2; exit 2; }
dpkg -s ldirectord >/dev/null 2>&1 || { echo "generate.sh: ldirectord is not installed" >&2; exit 2; }

if [ $# -eq 0 ]; then
  set -- $(cd "$here" && ls *.cf | sed 's/\.cf$//')
fi
log=$(mktemp /tmp/ulvs-ld-log.XXXXXX)
trap 'rm -f "$log"' EXIT
for name in "$@"; do
  # Without IPVS_SHIM_STATE every run starts on a fresh emulated kernel.
  if ! env -u IPVS_SHIM_STATE "$oracle" --seconds "$seconds" "$here/$name.cf" \
      >"$here/$name.expected" 2>"$log"; then
    cat "$log" >&2
    echo "generate.sh: $name: ldirectord-oracle failed" >&2
    exit 1
  fi
  echo "== $name: $(grep -c '^  ->' "$here/$name.expected") real server entries"
  grep -E 'Running system\(/sbin/ipvsadm|[Ee]rror' "$log" | grep -v '^DEBUG' | sed 's/^/   /' || true
done
