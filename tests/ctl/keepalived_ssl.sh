#!/usr/bin/env bash
# keepalived_ssl.sh — with an SSL_GET configured, an SSL { } block whose key or certificate
# does not load stops the configuration, as keepalived's init_ssl_ctx does: at start nothing
# is applied; once the files exist a SIGHUP applies it; a reload naming a missing key keeps
# the running table (a weight changed in that file is not applied) and says why.
source "$(dirname "$0")/lib.bash"

openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes -days 1 -subj /CN=client \
  -keyout "$TMP/client.key" -out "$TMP/client.pem" 2>/dev/null

# write_conf KEY WEIGHT — KEY is the SSL block's key file; WEIGHT the unchecked server's.
write_conf() {
  cat >"$TMP/keepalived.conf" <<CONF
SSL {
  certificate $TMP/client.pem
  key $1
}
virtual_server 10.0.0.1 443 {
  delay_loop 1
  lb_algo rr
  lb_kind NAT
  protocol TCP
  real_server 127.0.0.1 8443 {
    weight 1
    inhibit_on_failure
    SSL_GET {
      url {
        path /
      }
      connect_timeout 1
    }
  }
  real_server 127.0.0.2 8443 {
    weight $2
  }
}
CONF
}

unchecked_weight() { adm -Ln | awk '$1 == "->" && $2 == "127.0.0.2:8443" {print $4}'; }
wait_log() {  # wait_log COUNT PATTERN — the log holds COUNT lines matching PATTERN within 5 s
  for _ in $(seq 50); do
    (($(grep -c -- "$2" "$TMP/ulvsd.log" || true) >= $1)) && return 0
    sleep 0.1
  done
  fail "the log has no $1 line(s) matching: $2"
}

write_conf "$TMP/missing.key" 2
start_ulvsd --config "$TMP/keepalived.conf"
wait_log 1 "error: SSL: cannot load key $TMP/missing.key"
[ -z "$(adm -Ln | awk '$1 == "TCP"')" ] || fail "a configuration with an unloadable SSL key was applied"

write_conf "$TMP/client.key" 2
kill -HUP "$ULVSD_PID"
for _ in $(seq 50); do [ "$(unchecked_weight)" = 2 ] && break; sleep 0.1; done
[ "$(unchecked_weight)" = 2 ] || fail "the fixed SSL block was not applied: $(adm -Ln)"

write_conf "$TMP/missing.key" 7
kill -HUP "$ULVSD_PID"
wait_log 2 "error: SSL: cannot load key $TMP/missing.key"
wait_log 2 "not applied, the running configuration stays"
[ "$(unchecked_weight)" = 2 ] || fail "a reload with an unloadable SSL key changed the table: $(adm -Ln)"
echo "ok: an SSL block that does not load stops the configuration, and a reload keeps the last good one"
