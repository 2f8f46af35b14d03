#!/usr/bin/env bash
# http.sh — the HTTP/JSON API and /metrics, driven with curl: add/edit/delete services and
# real servers, error answers, the socket and HTTP seeing the same tables, the metrics text.
source "$(dirname "$0")/lib.bash"
command -v curl >/dev/null || fail "curl is needed"

PORT=$("$PY" -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
start_ulvsd --http "$PORT"
URL=http://127.0.0.1:$PORT
for _ in $(seq 50); do curl -s "$URL/api/v1/services" >/dev/null && break; sleep 0.1; done
grep -q "HTTP API and /metrics on 127.0.0.1:$PORT" "$TMP/ulvsd.log" || fail "HTTP not on loopback"

# http METHOD PATH [BODY] — prints "STATUS BODY".
http() {
  local args=(-s -g -o "$TMP/body" -w '%{http_code}' -X "$1" "$URL$2")
  [ $# -ge 3 ] && args+=(-H 'Content-Type: application/json' -d "$3")
  local code; code=$(curl "${args[@]}")
  echo "$code $(cat "$TMP/body")"
}
expect() {  # expect STATUS METHOD PATH [BODY]
  local want=$1; shift
  local got; got=$(http "$@")
  [ "${got%% *}" = "$want" ] || fail "$* answered $got, expected $want"
  echo "${got#* }"
}

expect 201 POST /api/v1/services '{"key":{"protocol":"tcp","addr":"10.0.0.1","port":80},"scheduler":"rr"}' >/dev/null
expect 201 POST /api/v1/services '{"key":{"fwmark":7},"scheduler":"sh","flags":["persistent"]}' >/dev/null
body=$(expect 409 POST /api/v1/services '{"key":{"protocol":"tcp","addr":"10.0.0.1","port":80}}')
[ "$(jq -c . <<<"$body")" = '{"error":-17,"message":"Service already exists"}' ] || fail "EEXIST body: $body"
body=$(expect 400 POST /api/v1/services '{"key":{"addr":"10.0.0.2","port":80},"scheduler":"foo"}')
jq -e '.error == -2 and (.message | test("Scheduler"))' <<<"$body" >/dev/null || fail "ENOENT body: $body"
body=$(expect 400 POST /api/v1/services '{"key":{"addr":"10.0.0.2"},"weight":1}')
jq -e '.error == -22 and (.message | test("unknown field \"weight\""))' <<<"$body" >/dev/null || fail "bad body: $body"
expect 400 POST /api/v1/services 'not json' >/dev/null

S=/api/v1/services/tcp/10.0.0.1:80
expect 201 POST $S/dests '{"server":"192.168.1.1:8080","fwd":"masq","weight":3}' >/dev/null
expect 201 POST $S/dests '{"server":"192.168.1.2:8080","fwd":"masq"}' >/dev/null
expect 201 POST /api/v1/services/fwm/7/dests '{"server":"192.168.1.9","fwd":"route"}' >/dev/null
body=$(expect 409 POST $S/dests '{"server":"192.168.1.2:8080"}')
jq -e '.message == "Destination already exists"' <<<"$body" >/dev/null || fail "dest EEXIST: $body"
expect 404 POST /api/v1/services/tcp/10.0.0.9:80/dests '{"server":"192.168.1.2:8080"}' >/dev/null
expect 400 POST $S/dests '{"server":"192.168.1.3:8080","weight":-1}' >/dev/null
expect 200 PUT $S/dests '{"server":"192.168.1.2:8080","fwd":"masq","weight":0}' >/dev/null
expect 404 PUT $S/dests '{"server":"192.168.1.7:8080"}' >/dev/null
expect 200 PUT $S '{"scheduler":"wlc"}' >/dev/null
expect 400 PUT $S '{"key":{"addr":"10.0.0.5","port":80},"scheduler":"wlc"}' >/dev/null
expect 404 PUT /api/v1/services/udp/10.0.0.1:80 '{"scheduler":"wlc"}' >/dev/null
expect 400 GET /api/v1/services/tcp/10.0.0.300:80 >/dev/null

list=$(expect 200 GET /api/v1/services)
[ "$(jq -r '[.services[].config.scheduler] | join(" ")' <<<"$list")" = "wlc sh" ] || fail "schedulers: $list"
[ "$(jq -r '[.services[0].dests[] | "\(.config.server)/\(.config.weight)"] | join(" ")' <<<"$list")" \
  = "192.168.1.2:8080/0 192.168.1.1:8080/3" ] || fail "dests: $(jq -c .services[0].dests <<<"$list")"
one=$(expect 200 GET /api/v1/services/fwm/7)
jq -e '.services | length == 1 and .[0].config.key.fwmark == 7' <<<"$one" >/dev/null || fail "GET fwm/7: $one"
# The socket sees what HTTP did.
[ "$(req '{"op":"get_services"}' | jq '.services | length')" = 2 ] || fail "socket disagrees"

# Generic requests.
body=$(expect 200 POST /api/v1/request '{"op":"get_timeouts"}')
jq -e '.timeouts == {"tcp":900,"tcpfin":120,"udp":300}' <<<"$body" >/dev/null || fail "timeouts: $body"
expect 400 POST /api/v1/request '{"op":"set_timeouts","timeouts":{"tcp":9999999}}' >/dev/null

# Metrics.
m=$(expect 200 GET /metrics)
grep -qx 'ulvs_service_info{protocol="tcp",vip="10.0.0.1",port="80",fwmark="0",scheduler="wlc",persistent="false"} 1' <<<"$m" || fail "service info metric: $m"
grep -qx 'ulvs_service_info{protocol="fwm",vip="",port="0",fwmark="7",scheduler="sh",persistent="true"} 1' <<<"$m" || fail "fwm info metric"
grep -qx 'ulvs_server_weight{protocol="tcp",vip="10.0.0.1",port="80",fwmark="0",server="192.168.1.1:8080"} 3' <<<"$m" || fail "weight metric"
grep -qx 'ulvs_server_info{protocol="fwm",vip="",port="0",fwmark="7",server="192.168.1.9:0",forward="route"} 1' <<<"$m" || fail "server info metric"
grep -qx 'ulvs_service_connections_total{protocol="tcp",vip="10.0.0.1",port="80",fwmark="0"} 0' <<<"$m" || fail "connections metric"
grep -qx 'ulvs_server_active_connections{protocol="tcp",vip="10.0.0.1",port="80",fwmark="0",server="192.168.1.2:8080"} 0' <<<"$m" || fail "active metric"
grep -qx 'ulvs_drops_total{reason="table_full"} 0' <<<"$m" || fail "drop metric"
grep -qx '# TYPE ulvs_server_in_bytes_total counter' <<<"$m" || fail "TYPE line"
# Every sample line is well-formed exposition text.
bad=$(grep -v '^#' <<<"$m" | grep -Ev '^[a-z_]+(\{[a-z_]+="[^"]*"(,[a-z_]+="[^"]*")*\})? [0-9]+$' || true)
[ -z "$bad" ] || fail "malformed metric lines: $bad"

# Deletes.
expect 200 DELETE $S/dests/192.168.1.2:8080 >/dev/null
expect 404 DELETE $S/dests/192.168.1.2:8080 >/dev/null
expect 200 DELETE /api/v1/services/fwm/7 >/dev/null
expect 404 DELETE /api/v1/services/fwm/7 >/dev/null
[ "$(expect 200 GET /api/v1/services | jq '[.services[].dests[]] | length')" = 1 ] || fail "after deletes"
expect 404 GET /api/v1/nothing >/dev/null

echo "PASS: http"
