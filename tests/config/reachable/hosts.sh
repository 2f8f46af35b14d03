#!/usr/bin/env bash
# hosts.sh — one network namespace holding every real server, sorry server and connect_ip of
# Debian's keepalived samples (tests/config/samples/keepalived.conf.*), with real services
# answering their health checks, so keepalived and ulvsd run in it see the same hosts.
#
#   tests/config/reachable/hosts.sh up NS     # create NS and start the services (exit 0 = ready)
#   tests/config/reachable/hosts.sh down NS   # stop them and delete NS (safe to repeat)
#
# Callers run `down` from their EXIT trap; `up` cleans up after itself when it fails.
# Nothing leaves the machine: NS has only lo, no route out.
#
# The picture (deterministic: which server passes depends only on what listens here):
#   address            services                  who checks it              outcome
#   192.168.201.100    http 80, https 443 444    SSL_GET, HTTP_GET(.port),  TCP_CHECK passes (fwmark,
#                                                virtualhost, status_code,  vrrp.lvs_syncd); every
#                                                fwmark, vrrp.lvs_syncd     HTTP/SSL url has a digest
#                                                                           that BODY never matches:
#                                                                           those fail after a 200
#                                                                           (virtualhost: TLS on the
#                                                                           plain port 80 fails too)
#   192.168.201.101    -                         fwmark TCP_CHECK :80       refused: removed
#   192.168.200.1/.2   http 1358                 sample, inhibit, vsg       digest mismatch: removed,
#                                                                           inhibited, sorry server in
#   192.168.200.200    tcp 1358                  nobody (sorry server)      -
#   (192.168.200.1:25, the samples' smtp_server: no listener, so mail alerts fail alike)
#   192.168.200.6      udp 1358, ping            UDP_CHECK, PING_CHECK,     UDP and ping pass; the
#                                                MISC_CHECK                 MISC script does not exist:
#                                                                           checker disabled, kept
#   10.0.0.1 - .8      tcp 80                    quorum (alpha,             8 up and added, below
#   10.0.0.9, .10      -                         connect_port 80)           quorum 7 + hysteresis 2
#   172.16.1.10-.12    smtp 25                   SMTP_CHECK                 .10 passes; .11 and .12
#   192.168.155.10/.11 smtp 25                   SMTP_CHECK host blocks     each have a host block on
#   172.16.1.2, 192.168.155.2  (bindto sources)                             64.233.167.99/100: a public
#                                                                           address, deliberately absent
#                                                                           (unreachable): removed
#   ae00::10           smtp 25                   IPv6 SMTP_CHECK            passes
# keepalived 2.2.7 makes each SMTP_CHECK `host` block a checker of its own, with a connect
# timeout of 0 unless the block sets one, so those checkers usually time out even against
# the listeners here; the unreachable 64.233.167.x host fails whatever that race does, which
# keeps .11 and .12's outcome deterministic.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
cmd=${1:?usage: hosts.sh up|down NS}
ns=${2:?usage: hosts.sh up|down NS}
state=${TMPDIR:-/tmp}/ulvs-hosts-$ns

addrs4=(192.168.201.100 192.168.201.101 192.168.200.1 192.168.200.2 192.168.200.6
        192.168.200.200 10.0.0.1 10.0.0.2 10.0.0.3 10.0.0.4 10.0.0.5 10.0.0.6 10.0.0.7
        10.0.0.8 10.0.0.9 10.0.0.10 172.16.1.2 172.16.1.10 172.16.1.11 172.16.1.12
        192.168.155.2 192.168.155.10 192.168.155.11)
addrs6=(ae00::10)
services=(http:192.168.201.100:80 https:192.168.201.100:443 https:192.168.201.100:444
          http:192.168.200.1:1358 http:192.168.200.2:1358 tcp:192.168.200.200:1358
          udp:192.168.200.6:1358
          tcp:10.0.0.1:80 tcp:10.0.0.2:80 tcp:10.0.0.3:80 tcp:10.0.0.4:80
          tcp:10.0.0.5:80 tcp:10.0.0.6:80 tcp:10.0.0.7:80 tcp:10.0.0.8:80
          smtp:172.16.1.10:25 smtp:172.16.1.11:25 smtp:172.16.1.12:25
          smtp:192.168.155.10:25 smtp:192.168.155.11:25 'smtp:[ae00::10]:25')

down() {
  if [ -f "$state/serve.pid" ]; then
    kill "$(cat "$state/serve.pid")" 2>/dev/null || true
  fi
  # Anything else still in NS was started in it by our caller (a checker, a daemon): NS is
  # private to this test, so ending its processes ends only ours.
  if ip netns list | grep -qw "^$ns"; then
    for p in $(ip netns pids "$ns" 2>/dev/null); do kill "$p" 2>/dev/null || true; done
    ip netns del "$ns" 2>/dev/null || true
  fi
  rm -rf "$state"
}

up() {
  trap 'down' ERR
  ip netns add "$ns"
  mkdir -p "$state"
  ip -n "$ns" link set lo up
  # The addresses live on lo (/32, /128: no subnet, no broadcast address for the IPVS unicast
  # check to object to), so every connect() reaches the listeners below and a missing
  # listener is refused at once; an address not listed (64.233.167.x) has no route at all.
  for a in "${addrs4[@]}"; do ip -n "$ns" addr add "$a/32" dev lo; done
  # nodad: a tentative address could not be bound or reached for the first second or two.
  for a in "${addrs6[@]}"; do ip -n "$ns" addr add "$a/128" dev lo nodad; done
  openssl req -x509 -newkey rsa:2048 -nodes -days 2 -subj /CN=rs.ulvs.test \
    -keyout "$state/key.pem" -out "$state/cert.pem" 2>/dev/null
  ip netns exec "$ns" /usr/bin/python3 "$here/serve.py" --ready "$state/ready" \
    --cert "$state/cert.pem" --key "$state/key.pem" "${services[@]}" >"$state/serve.log" 2>&1 &
  echo $! >"$state/serve.pid"
  for _ in $(seq 50); do
    [ -f "$state/ready" ] && { trap - ERR; return 0; }
    kill -0 "$(cat "$state/serve.pid")" 2>/dev/null || break
    sleep 0.1
  done
  echo "hosts.sh: the services did not start:" >&2
  cat "$state/serve.log" >&2
  down
  return 1
}

case $cmd in
  up) up ;;
  down) down ;;
  *) echo "usage: hosts.sh up|down NS" >&2; exit 2 ;;
esac
