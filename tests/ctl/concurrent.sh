#!/usr/bin/env bash
# concurrent.sh — 100 clients at once add, edit and delete real servers; the table must end
# exactly as the sum of their requests, and a race for the same server has one winner.
source "$(dirname "$0")/lib.bash"
start_ulvsd

expect_error 0 "{\"op\":\"add_service\",\"service\":{\"key\":$KEY,\"scheduler\":\"wrr\"}}"

# Phase 1: client i adds 10.1.i.1/.2/.3, re-weights .1, deletes .2, and lists meanwhile.
for i in $(seq 100); do
  dest() { echo "{\"op\":\"$1\",\"key\":$KEY,\"dest\":{\"server\":\"10.1.$i.$2:80\",\"weight\":$3}}"; }
  req "$(dest add_dest 1 1)" "$(dest add_dest 2 1)" "$(dest add_dest 3 1)" \
      '{"op":"get_services"}' "$(dest edit_dest 1 5)" "$(dest del_dest 2 1)" \
      >"$TMP/client$i.out" &
done
wait $(jobs -p | grep -v "^$ULVSD_PID\$")

for i in $(seq 100); do
  [ "$(wc -l <"$TMP/client$i.out")" = 6 ] || fail "client $i got $(wc -l <"$TMP/client$i.out") replies"
  bad=$(jq -c 'select(.error != 0)' "$TMP/client$i.out")
  [ -z "$bad" ] || fail "client $i: $bad"
done

list=$(req '{"op":"get_services"}')
n=$(jq '.services[0].dests | length' <<<"$list")
[ "$n" = 200 ] || fail "expected 200 real servers, found $n"
want=$(for i in $(seq 100); do echo "10.1.$i.1:80 5"; echo "10.1.$i.3:80 1"; done | sort)
got=$(jq -r '.services[0].dests[] | "\(.config.server) \(.config.weight)"' <<<"$list" | sort)
[ "$want" = "$got" ] || fail "table differs from the requests: $(diff <(echo "$want") <(echo "$got") | head)"

# Phase 2: 100 clients race to add the same server: exactly one wins, the rest get EEXIST.
for i in $(seq 100); do
  req "{\"op\":\"add_dest\",\"key\":$KEY,\"dest\":{\"server\":\"10.9.9.9:80\"}}" >"$TMP/race$i.out" &
done
wait $(jobs -p | grep -v "^$ULVSD_PID\$")
wins=$(cat "$TMP"/race*.out | jq -s 'map(select(.error == 0)) | length')
eexist=$(cat "$TMP"/race*.out | jq -s 'map(select(.error == -17)) | length')
[ "$wins" = 1 ] && [ "$eexist" = 99 ] || fail "race: $wins successes, $eexist EEXIST"

kill -0 "$ULVSD_PID" || fail "ulvsd died"
echo "PASS: concurrent"
