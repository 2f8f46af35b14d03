#!/usr/bin/env bash
# generate.sh [CASE...] — write tests/golden/expected/<case>.out from the REAL ipvsadm.
#
# Runs Debian's ipvsadm 1:1.31 through ../shared/oracle/ipvsadm-oracle (an emulated kernel),
# each case on a fresh emulated kernel.  The expected files are its bytes: regenerate them,
# never edit them by hand.  Needs the ipvsadm package (apt-get install ipvsadm).
set -eu
here=$(cd "$(dirname "$0")" && pwd)
oracle=${IPVSADM_ORACLE:-$(cd "$here/../../.." && pwd)/shared/oracle/ipvsadm-oracle}
[[ -x $oracle ]] || { echo "generate.sh: no oracle at $oracle" >&2; exit 1; }

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
mkdir "$work/bin"
# A wrapper, not a link: the oracle finds its shim next to itself.  It sets argv[0] to
# "ipvsadm" for the real binary.
printf '#!/bin/sh\nexec "%s" "$@"\n' "$oracle" >"$work/bin/ipvsadm"
chmod +x "$work/bin/ipvsadm"

# The interfaces --start-daemon may name (ulvsd checks the host's real ones: lo and eth0).
export IPVS_SHIM_IFACES="lo:65536 eth0:1500"
export IPVS_SHIM_MODE=genl  # what ipvsadm uses on a real kernel

cases=("$@")
[[ ${#cases[@]} -gt 0 ]] || cases=("$here"/cases/*.cmds)
for c in "${cases[@]}"; do
  name=$(basename "$c" .cmds)
  export IPVS_SHIM_STATE=$work/$name.state
  rm -f "$IPVS_SHIM_STATE"
  PATH=$work/bin:$PATH "$here/transcript.sh" "$here/cases/$name.cmds" >"$here/expected/$name.out"
  echo "generated $name"
done
