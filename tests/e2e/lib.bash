# lib.bash — topologies for the end-to-end tests: network namespaces joined by veth pairs
# and a bridge, nginx real servers, ulvsd on the director.  Everything carries a per-run
# prefix and is removed by `e2e_cleanup` (installed as an EXIT trap by e2e_init), also when a
# test fails half-way.
#
#   source tests/e2e/lib.bash
#   e2e_init "$@"                 # ULVSADM, ULVSD from the arguments; trap; prefix
#   topo_nat                      # client | director | switch + real servers r1..r3
#   start_nginx r1 r2             # each answers "r1\n" etc. on port 80 (and 8000)
#   start_ulvsd --interface "$DIR_IN" --interface "$DIR_OUT"
#   adm -A -t 10.0.1.100:80 -s rr ...
#   in_ns client curl -s http://10.0.1.100/
#
# Names: namespaces "<prefix>-client", "<prefix>-dir", "<prefix>-sw", "<prefix>-r1"...;
# `in_ns client CMD` runs CMD in one.  Offloads are off on every veth: a local stack would
# otherwise hand frames with partial checksums to the director (no real NIC does).

set -euo pipefail

E2E_ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)

e2e_init() {
  ULVSADM=${1:?usage: $0 ULVSADM ULVSD}
  ULVSD=${2:?usage: $0 ULVSADM ULVSD}
  ULVSADM=$(readlink -f "$ULVSADM")
  ULVSD=$(readlink -f "$ULVSD")
  BACKEND=${ULVS_BACKEND:-afxdp}
  ULVS_RS=${ULVS_RS:-}
  TOA_CG=""
  # ip netns exec remounts /sys: the BPF programs' pins (ulvs-rs toa) need the host's bpffs.
  P="u$$"                       # short: interface names are at most 15 bytes
  WORK=$(mktemp -d "/tmp/ulvs-e2e.$P.XXXX")
  chmod 755 "$WORK"            # nginx workers run unprivileged
  export ULVS_SOCKET="$WORK/ulvsd.sock"
  NAMESPACES=()
  PIDS=()
  trap e2e_cleanup EXIT
  trap 'exit 130' INT TERM
}

e2e_cleanup() {
  local rc=$?
  set +e
  if ((rc != 0)) && [ -f "$WORK/ulvsd.log" ]; then
    echo "--- ulvsd.log (last 30 lines)"; tail -30 "$WORK/ulvsd.log"
  fi
  toa_cleanup
  for pid in "${PIDS[@]}"; do kill "$pid" 2>/dev/null; done
  for pid in "${PIDS[@]}"; do
    for _ in $(seq 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
    kill -9 "$pid" 2>/dev/null
  done
  # nginx forks workers: kill whatever still runs inside our namespaces.
  for ns in "${NAMESPACES[@]}"; do
    local pids; pids=$(ip netns pids "$ns" 2>/dev/null)
    [ -n "$pids" ] && kill -9 $pids 2>/dev/null
  done
  for ns in "${NAMESPACES[@]}"; do ip netns del "$ns" 2>/dev/null; done
  rm -rf "$WORK"
  return $rc
}

fail() { echo "FAIL: $*" >&2; exit 1; }
ok() { echo "ok: $*"; }

ns_name() { echo "$P-$1"; }
in_ns() { local ns; ns=$(ns_name "$1"); shift; ip netns exec "$ns" "$@"; }

add_ns() {
  local ns; ns=$(ns_name "$1")
  ip netns add "$ns"
  NAMESPACES+=("$ns")
  ip -n "$ns" link set lo up
}

# veth between two namespaces: link_ns A ifA B ifB  ($LINK_QUEUES queues each way, default 1)
link_ns() {
  local a b q=${LINK_QUEUES:-1}; a=$(ns_name "$1"); b=$(ns_name "$3")
  ip link add "$2" netns "$a" numtxqueues "$q" numrxqueues "$q" type veth \
    peer name "$4" netns "$b" numtxqueues "$q" numrxqueues "$q"
  ip -n "$a" link set "$2" up
  ip -n "$b" link set "$4" up
  for side in "$a $2" "$b $4"; do
    set -- $side
    ip netns exec "$1" ethtool -K "$2" tx off rx off tso off gso off gro off >/dev/null 2>&1 || true
  done
}

# A host on the switch: switch_port NAME IFNAME (NAME's end is IFNAME; the other joins br0)
switch_port() {
  local host=$1 ifname=$2
  SWITCH_PORTS=$((${SWITCH_PORTS:-0} + 1))
  link_ns "$host" "$ifname" sw "p$SWITCH_PORTS"
  ip -n "$(ns_name sw)" link set "p$SWITCH_PORTS" master br0
}

make_switch() {
  add_ns sw
  ip -n "$(ns_name sw)" link add br0 type bridge
  ip -n "$(ns_name sw)" link set br0 up
}

# The NAT topology (two-armed director, real servers route back through it):
#   client 10.0.1.2/24 fd00:1::2 ── eth0 director eth1 ── switch ── r1..rN 10.0.2.1N/24 fd00:2::1N
#   director: 10.0.1.1/24 fd00:1::1 on eth0, 10.0.2.1/24 fd00:2::1 on eth1
#   VIP 10.0.1.100 / fd00:1::100 (owned by ulvsd, on no interface)
topo_nat() {
  local n=${1:-3}
  add_ns client; add_ns dir; make_switch
  link_ns client eth0 dir eth0
  switch_port dir eth1
  in_ns client ip addr add 10.0.1.2/24 dev eth0
  in_ns client ip addr add fd00:1::2/64 dev eth0 nodad
  in_ns client ip route add default via 10.0.1.1
  in_ns client ip -6 route add default via fd00:1::1
  in_ns dir ip addr add 10.0.1.1/24 dev eth0
  in_ns dir ip addr add fd00:1::1/64 dev eth0 nodad
  in_ns dir ip addr add 10.0.2.1/24 dev eth1
  in_ns dir ip addr add fd00:2::1/64 dev eth1 nodad
  director_sysctls
  for i in $(seq "$n"); do
    add_ns "r$i"
    switch_port "r$i" eth0
    in_ns "r$i" ip addr add "10.0.2.1$i/24" dev eth0
    in_ns "r$i" ip addr add "fd00:2::1$i/64" dev eth0 nodad
    in_ns "r$i" ip route add default via 10.0.2.1
    in_ns "r$i" ip -6 route add default via fd00:2::1
  done
  DIR_IFS=(--interface eth0 --interface eth1)
  VIP=10.0.1.100; VIP6=fd00:1::100; CLIENT=10.0.1.2; CLIENT6=fd00:1::2
}

# One L2 segment for DR, TUN and FULLNAT: client, director and real servers on the switch.
#   client 10.0.0.2, director 10.0.0.1 (eth0), r1..rN 10.0.0.1N; fd00::/64 likewise.
#   VIP 10.0.0.100 / fd00::100; FULLNAT local address 10.0.0.200 / fd00::200.
topo_lan() {
  local n=${1:-3}
  make_switch; add_ns client; add_ns dir
  switch_port client eth0
  switch_port dir eth0
  in_ns client ip addr add 10.0.0.2/24 dev eth0
  in_ns client ip addr add fd00::2/64 dev eth0 nodad
  in_ns dir ip addr add 10.0.0.1/24 dev eth0
  in_ns dir ip addr add fd00::1/64 dev eth0 nodad
  director_sysctls
  for i in $(seq "$n"); do
    add_ns "r$i"
    switch_port "r$i" eth0
    in_ns "r$i" ip addr add "10.0.0.1$i/24" dev eth0
    in_ns "r$i" ip addr add "fd00::1$i/64" dev eth0 nodad
  done
  DIR_IFS=(--interface eth0)
  VIP=10.0.0.100; VIP6=fd00::100; CLIENT=10.0.0.2; CLIENT6=fd00::2; LADDR=10.0.0.200; LADDR6=fd00::200
}

director_sysctls() {
  # The kernel must not forward what ulvsd forwards (AF_PACKET sees frames as a tap).
  in_ns dir sysctl -qw net.ipv4.ip_forward=0 net.ipv6.conf.all.forwarding=0
  in_ns dir sysctl -qw net.ipv4.conf.all.rp_filter=0 net.ipv4.conf.default.rp_filter=0
}

# nginx on each named real server: "GET /" answers its name, /big a file of $BIG_MB MB;
# the access log records the client address ($remote_addr) and, with proxy_protocol, the
# address nginx read from the header.  Listens on 80 and 8000.
start_nginx() {
  for r in "$@"; do
    local d="$WORK/nginx-$r"
    mkdir -p "$d/logs" "$d/html"
    echo "$r" > "$d/html/index.html"
    cat > "$d/nginx.conf" <<CONF
worker_processes 1;
daemon off;
error_log $d/logs/error.log;
pid $d/nginx.pid;
events { worker_connections 4096; }
http {
  access_log $d/logs/access.log;
  log_format pp '\$proxy_protocol_addr \$remote_addr';
  keepalive_requests 100000;
  client_max_body_size 0;
  server {
    listen 80 ${NGINX_LISTEN_OPTS:-};
    listen [::]:80 ${NGINX_LISTEN_OPTS:-};
    listen 8000;
    root $d/html;
    access_log $d/logs/access.log pp;
    location / { default_type text/plain; }
  }
}
CONF
    if [ -n "${NGINX_CGROUP:-}" ]; then
      (echo "$BASHPID" >"$NGINX_CGROUP/cgroup.procs" &&
        exec ip netns exec "$(ns_name "$r")" nginx -c "$d/nginx.conf" -p "$d") >"$d/logs/stdout" 2>&1 &
      disown  # killed with its cgroup at cleanup: no job notice
    else
      in_ns "$r" nginx -c "$d/nginx.conf" -p "$d" >"$d/logs/stdout" 2>&1 &
    fi
    PIDS+=($!)
  done
  for r in "$@"; do wait_port "$r" 80; done
}

wait_port() {  # wait_port NS PORT
  for _ in $(seq 100); do
    in_ns "$1" ss -ltn "sport = :$2" | grep -q LISTEN && return 0
    sleep 0.05
  done
  fail "nothing listens on port $2 in $1"
}

start_ulvsd() {
  # ip netns exec execs ulvsd: $! is its pid (for signals)
  ip netns exec "$(ns_name dir)" "$ULVSD" --socket "$ULVS_SOCKET" --backend "$BACKEND" "$@" \
    >"$WORK/ulvsd.log" 2>&1 &
  ULVSD_PID=$!
  PIDS+=($!)
  for _ in $(seq 100); do
    [ -S "$ULVS_SOCKET" ] && return 0
    kill -0 "${PIDS[-1]}" 2>/dev/null || { cat "$WORK/ulvsd.log"; fail "ulvsd exited"; }
    sleep 0.05
  done
  fail "ulvsd did not start"
}

adm() { "$ULVSADM" "$@"; }

# One /metrics sample of ulvsd started with --http 127.0.0.1:9180: metric 'NAME{LABELS}'.
metric() { in_ns dir curl -s http://127.0.0.1:9180/metrics | awk -v m="$1" '$1 == m {print $2}'; }

# Counts answers of N sequential requests: prints "r1 N1\nr2 N2" sorted by name.
tally() {  # tally NS URL N [curl options]
  local ns=$1 url=$2 n=$3; shift 3
  for _ in $(seq "$n"); do in_ns "$ns" curl -s --max-time 5 "$@" "$url" || echo FAIL; done |
    sort | uniq -c | awk '{print $2, $1}'
}

# N requests on fresh connections from one curl process: prints "r1 N1\nr2 N2..." by name.
tally_fresh() {  # tally_fresh NS URL N
  local urls=() i
  for ((i = 0; i < $3; i++)); do urls+=("$2"); done
  in_ns "$1" curl -s --max-time 60 -H 'Connection: close' "${urls[@]}" | sort | uniq -c | awk '{print $2, $1}'
}

udp_servers() {  # udp_servers PORT BIND_ADDR|"" r1 r2 ...
  local port=$1 addr=$2; shift 2
  for r in "$@"; do
    in_ns "$r" python3 "$E2E_ROOT/tests/e2e/udp_echo.py" serve "$r" "$port" $addr &
    PIDS+=($!)
  done
  for r in "$@"; do
    for _ in $(seq 50); do in_ns "$r" ss -lun | grep -q ":$port " && break; sleep 0.1; done
  done
}

udp_ask() { local ns=$1; shift; in_ns "$ns" python3 "$E2E_ROOT/tests/e2e/udp_echo.py" ask "$@"; }

# The folded totals of -Ln --stats (the estimator folds them every 2 s, as the kernel does).
stat_of() {  # stat_of PROTO VIP:PORT COLUMN(3=Conns 4=InPkts 5=OutPkts ...)
  adm -Ln --stats | awk -v p="$1" -v v="$2" -v c="$3" '$1 == p && $2 == v {print $c}'
}

# TOA on a real server (ulvs-rs toa: a sockops reader of TCP option 254).  The program and its
# pins are global to the host; the real server's nginx must run inside the cgroup it watches,
# so use toa_nginx instead of start_nginx for that server.  Removed by e2e_cleanup.
toa_attach() {  # toa_attach RS
  local cg2; cg2=$(awk '$3 == "cgroup2" { print $2; exit }' /proc/mounts)
  [ -n "$cg2" ] || fail "no cgroup v2 mount"
  TOA_CG="$cg2/ulvs-e2e-$P"
  mkdir -p "$TOA_CG"
  TOA_RS=$1
  nsenter --net="/run/netns/$(ns_name "$1")" "$ULVS_RS" toa attach --cgroup "$TOA_CG" >/dev/null
}
toa_show() { nsenter --net="/run/netns/$(ns_name "$TOA_RS")" "$ULVS_RS" toa show; }
toa_cleanup() {
  [ -n "${TOA_CG:-}" ] || return 0
  "$ULVS_RS" toa detach >/dev/null 2>&1
  for pid in $(cat "$TOA_CG/cgroup.procs" 2>/dev/null); do kill -9 "$pid" 2>/dev/null; done
  for _ in $(seq 20); do rmdir "$TOA_CG" 2>/dev/null && break; sleep 0.1; done
}
# nginx started from inside the TOA cgroup (sockets belong to their creator's cgroup).
toa_nginx() {  # toa_nginx RS
  NGINX_CGROUP="$TOA_CG" start_nginx "$1"
}

# TCP upload sinks (sink.py) on port 9000 of each named real server.
start_sinks() {
  for r in "$@"; do
    in_ns "$r" python3 "$E2E_ROOT/tests/e2e/sink.py" serve 9000 &
    PIDS+=($!)
  done
  for r in "$@"; do wait_port "$r" 9000; done
}
upload() { local ns=$1; shift; in_ns "$ns" python3 "$E2E_ROOT/tests/e2e/sink.py" send "$@"; }

# A file of MB megabytes served by every named real server's nginx as /big.
big_file() {  # big_file MB r1 r2 ...
  local mb=$1; shift
  head -c "${mb}M" /dev/urandom >"$WORK/big"
  BIG_SHA=$(sha256sum <"$WORK/big" | cut -d' ' -f1)
  for r in "$@"; do ln -f "$WORK/big" "$WORK/nginx-$r/html/big"; done
}
# Downloads /big through URL's host and checks its digest.
check_download() {  # check_download NS URL
  local got
  got=$(in_ns "$1" curl -s --max-time 120 "$2" | sha256sum | cut -d' ' -f1)
  [ "$got" = "$BIG_SHA" ] || fail "download of $2: digest $got, want $BIG_SHA"
}

# keepalived.conf's virtual_server $VIP 80 of the NAT topology: r1 checked by HTTP_GET, r2 by
# TCP_CHECK (each retried once after 1 s), r3 the sorry server.  Printed, for a heredoc's $(...).
ka_vs80() {  # ka_vs80 LB_ALGO R1_WEIGHT R2_WEIGHT
  cat <<CONF
virtual_server $VIP 80 {
    delay_loop 1
    lb_algo $1
    lb_kind NAT
    protocol TCP
    sorry_server 10.0.2.13 80
    real_server 10.0.2.11 80 {
        weight $2
        HTTP_GET {
            url {
                path /
                status_code 200
            }
            connect_timeout 1
            retry 1
            delay_before_retry 1
        }
    }
    real_server 10.0.2.12 80 {
        weight $3
        TCP_CHECK {
            connect_timeout 1
            retry 1
            delay_before_retry 1
        }
    }
}
CONF
}

# Kills the processes named NAME running in namespace NS (and only there).
kill_in_ns() {  # kill_in_ns NS NAME
  local pid
  for pid in $(ip netns pids "$(ns_name "$1")"); do
    [ "$(cat "/proc/$pid/comm" 2>/dev/null)" = "$2" ] && { kill "$pid" 2>/dev/null || true; }  # may be gone already (a worker of a killed master)
  done
  return 0
}
