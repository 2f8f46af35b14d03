# rs_pair.bash — shared by the ulvs-rs tests (rs_toa.sh, rs_tun.sh): the ulvs-rs binary and
# a "director" and a "real server" namespace joined by one veth.  Sourced, not run.
#
#   source "$(dirname "$0")/rs_pair.bash"
#   find_rs_bin rs_tun "${1:-}"          # sets RS_BIN (argument, $ULVS_RS or build*/ulvs-rs)
#   DIR=... RS=... VD=... VR=...          # namespace and veth names (unique per test run)
#   pair_up                               # 10.99.0.1|fd98::1 (DIR) <-> 10.99.0.2|fd98::2 (RS)
#
# The caller's cleanup deletes the namespaces (which removes the veth).

# find_rs_bin TEST [PATH] — sets RS_BIN to an absolute path or exits.
find_rs_bin() {
  RS_BIN=${2:-${ULVS_RS:-}}
  if [ -z "$RS_BIN" ]; then
    for b in build/ulvs-rs build-*/ulvs-rs; do [ -x "$b" ] && RS_BIN=$b && break; done
  fi
  [ -x "${RS_BIN:-}" ] || { echo "$1: no ulvs-rs binary (pass its path)" >&2; exit 1; }
  RS_BIN=$(realpath "$RS_BIN")
}

in_dir() { ip netns exec "$DIR" "$@"; }
in_rs() { ip netns exec "$RS" "$@"; }

pair_up() {
  ip netns add "$DIR"
  ip netns add "$RS"
  ip link add "$VD" netns "$DIR" type veth peer name "$VR" netns "$RS"
  for ns in "$DIR" "$RS"; do ip -n "$ns" link set lo up; done
  # Checksums complete on the wire, as a real NIC delivers them.
  in_dir ethtool -K "$VD" tx off >/dev/null
  in_rs ethtool -K "$VR" tx off >/dev/null
  ip -n "$DIR" addr add 10.99.0.1/24 dev "$VD"
  ip -n "$RS" addr add 10.99.0.2/24 dev "$VR"
  ip -n "$DIR" addr add fd98::1/64 dev "$VD" nodad
  ip -n "$RS" addr add fd98::2/64 dev "$VR" nodad
  ip -n "$DIR" link set "$VD" up
  ip -n "$RS" link set "$VR" up
}
