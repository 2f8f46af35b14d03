#!/usr/bin/env bash
# roundtrip.sh — `ulvsadm -S | ulvsadm -R` against a real ulvsd on a table of 1000 services ×
# 10 real servers: the restored table saves to exactly the same text, and a flush + restore
# rebuilds it.
source "$(dirname "$0")/lib.bash"


start_ulvsd
# 1000 services: TCP and UDP, IPv4 and IPv6, mixed schedulers, persistence and methods.
"$PY" - >"$TMP/table" <<'PY'
scheds = ["rr", "wrr", "wlc", "lc", "sh", "mh", "dh", "sed"]
methods = ["-m", "-g", "-i"]
for s in range(1000):
    v6 = s % 5 == 4
    vip = f"[2001:db8::{s // 256:x}:{s % 256:x}]:80" if v6 else f"10.{s // 256}.{s % 256}.1:80"
    proto = "-u" if s % 3 == 2 else "-t"
    extra = f" -p {60 + s}" if s % 7 == 0 else ""
    print(f"-A {proto} {vip} -s {scheds[s % len(scheds)]}{extra}")
    for r in range(10):
        rs = f"[2001:db8:1::{s:x}:{r + 1:x}]:8080" if v6 else f"192.168.{s % 250}.{r + 1}:8080"
        print(f"-a {proto} {vip} -r {rs} {methods[(s + r) % 3]} -w {r % 4}")
PY
adm -R <"$TMP/table" || fail "restoring the generated table"
adm -S -n >"$TMP/save1" || fail "-S -n"
[ "$(grep -c '^-A' "$TMP/save1")" = 1000 ] || fail "expected 1000 services in -S"
[ "$(grep -c '^-a' "$TMP/save1")" = 10000 ] || fail "expected 10000 real servers in -S"

adm -S -n | adm -R 2>"$TMP/dup.err" && fail "restoring onto itself must report existing entries"
grep -q "Service already exists" "$TMP/dup.err" || fail "no 'Service already exists' on re-restore"

adm -C
[ -z "$(adm -S -n)" ] || fail "-C left services"
adm -R <"$TMP/save1" || fail "restoring the saved table"
adm -S -n >"$TMP/save2"
diff -u "$TMP/save1" "$TMP/save2" >&2 || fail "-S | -R round trip changed the table"
echo "roundtrip: 1000 services x 10 real servers saved and restored identically"
