#!/usr/bin/env bash
# keepalived_mail.sh — mail alerts end to end: ulvsd (control plane only) loads a
# keepalived.conf whose real server's TCP_CHECK fails (nothing listens), and the DOWN mail
# keepalived would send reaches an SMTP sink with keepalived's dialogue, From, To and Subject.
# All of it runs in a private network namespace (its own 127.0.0.1); root needed.
source "$(dirname "$0")/lib.bash"

NS=ulvs-mail-$$
SINK_PID=
mail_cleanup() {
  if [ -n "$SINK_PID" ]; then kill "$SINK_PID" 2>/dev/null || true; wait "$SINK_PID" 2>/dev/null || true; fi
  cleanup  # lib.bash: ulvsd and $TMP
  ip netns del "$NS" 2>/dev/null || true
}
trap mail_cleanup EXIT

[ "$(id -u)" = 0 ] || fail "needs root (network namespace)"
ip netns add "$NS"
ip -n "$NS" link set lo up

# A minimal SMTP server: answers like Postfix would, writes one JSON line per mail with the
# client's whole side of the dialogue.
cat >"$TMP/sink.py" <<'PY'
import json, socket, sys, threading

def serve(conn, out):
    f = conn.makefile("rb")
    said = []
    conn.sendall(b"220 sink.example ESMTP\r\n")
    while True:
        line = f.readline()
        if not line:
            break
        said.append(line.decode())
        cmd = line[:4].upper()
        if cmd == b"DATA":
            conn.sendall(b"354 End data with <CR><LF>.<CR><LF>\r\n")
            data = b""
            while not data.endswith(b"\r\n.\r\n"):
                chunk = f.readline()
                if not chunk:
                    break
                data += chunk
            said.append(data.decode())
            conn.sendall(b"250 2.0.0 Ok: queued\r\n")
        elif cmd == b"QUIT":
            conn.sendall(b"221 2.0.0 Bye\r\n")
            break
        elif cmd in (b"HELO", b"MAIL", b"RCPT"):
            conn.sendall(b"250 Ok\r\n")
        else:
            conn.sendall(b"500 what?\r\n")
    with open(out, "a") as o:
        o.write(json.dumps(said) + "\n")
    conn.close()

s = socket.socket()
s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
s.bind(("127.0.0.1", int(sys.argv[1])))
s.listen(16)
open(sys.argv[3], "w").close()  # ready
while True:
    c, _ = s.accept()
    threading.Thread(target=serve, args=(c, sys.argv[2]), daemon=True).start()
PY
ip netns exec "$NS" "$PY" "$TMP/sink.py" 2525 "$TMP/mail.jsonl" "$TMP/sink.ready" &
SINK_PID=$!
for _ in $(seq 100); do [ -f "$TMP/sink.ready" ] && break; sleep 0.05; done
[ -f "$TMP/sink.ready" ] || fail "SMTP sink did not start"

cat >"$TMP/keepalived.conf" <<'CONF'
global_defs {
  router_id ULVS_MAIL_TEST
  notification_email {
    ops@example.com
    noc@example.com
  }
  notification_email_from lvs@example.com
  smtp_server 127.0.0.1 2525
  smtp_helo_name director.example.com
  smtp_connect_timeout 5
}
virtual_server 10.0.0.1 80 {
  delay_loop 1
  lb_algo rr
  lb_kind NAT
  protocol TCP
  real_server 127.0.0.1 8080 {
    TCP_CHECK {
      connect_timeout 1
      retry 0
    }
  }
}
CONF

ip netns exec "$NS" "$ULVSD" --socket "$SOCK" --config "$TMP/keepalived.conf" 2>>"$TMP/ulvsd.log" &
ULVSD_PID=$!

# The first check runs within 1 s + warmup (delay_loop): the mail follows at once.
for _ in $(seq 150); do
  [ -s "$TMP/mail.jsonl" ] && break
  kill -0 "$ULVSD_PID" 2>/dev/null || fail "ulvsd exited"
  sleep 0.1
done
[ -s "$TMP/mail.jsonl" ] || fail "no mail reached the sink"

said=$(head -1 "$TMP/mail.jsonl")
step() { jq -r ".[$1]" <<<"$said"; }
[ "$(step 0)" = $'HELO director.example.com\r' ] || fail "HELO: $(step 0)"
[ "$(step 1)" = $'MAIL FROM:<lvs@example.com>\r' ] || fail "MAIL: $(step 1)"
[ "$(step 2)" = $'RCPT TO:<ops@example.com>\r' ] || fail "RCPT 1: $(step 2)"
[ "$(step 3)" = $'RCPT TO:<noc@example.com>\r' ] || fail "RCPT 2: $(step 3)"
[ "$(step 4)" = $'DATA\r' ] || fail "DATA: $(step 4)"
[ "$(step 6)" = $'QUIT\r' ] || fail "QUIT: $(step 6)"

data=$(step 5 | tr -d '\r')
header() { sed -n "s/^$1: //p" <<<"$data" | head -1; }
[ "$(header Subject)" = "[ULVS_MAIL_TEST] Realserver [127.0.0.1]:tcp:8080 of virtual server [10.0.0.1]:tcp:80 - DOWN" ] \
  || fail "Subject: $(header Subject)"
[ "$(header From)" = "lvs@example.com" ] || fail "From: $(header From)"
[ "$(header To)" = "ops@example.com, noc@example.com" ] || fail "To: $(header To)"
[ "$(header X-Mailer)" = "Keepalived" ] || fail "X-Mailer: $(header X-Mailer)"
header Date | grep -Eq '^[A-Z][a-z]{2}, [0-9]{2} [A-Z][a-z]{2} [0-9]{4} [0-9:]{8} [+-][0-9]{4}$' \
  || fail "Date: $(header Date)"
# The body after the blank line, then an empty line and the final dot.
[ "$(sed '1,/^$/d' <<<"$data")" = $'=> TCP CHECK failed on service <=\n\n.' ] \
  || fail "body: $(sed '1,/^$/d' <<<"$data")"

# ulvsd logs the mail once the sink's 221 is read, which may come after the sink saved it.
for _ in $(seq 50); do
  grep -q "SMTP alert '\[ULVS_MAIL_TEST\] Realserver .* - DOWN' sent through 127.0.0.1:2525" "$TMP/ulvsd.log" && break
  sleep 0.1
done
grep -q "SMTP alert '\[ULVS_MAIL_TEST\] Realserver .* - DOWN' sent through 127.0.0.1:2525" "$TMP/ulvsd.log" \
  || fail "the sent mail is not logged"
# One failure, one mail: the check keeps failing without news.
sleep 2
[ "$(wc -l <"$TMP/mail.jsonl")" = 1 ] || fail "$(wc -l <"$TMP/mail.jsonl") mails for one failure"
echo "keepalived_mail: ok"
