#!/usr/bin/env bash
#  GLOBAL_RELAY_RATE_LIMIT held exactly across two gateways through Redis
#  (issue 5, Done-when): a ledger, gateways A and B sharing one Redis
#  (ONEAPI_TEST_REDIS, its database 9, emptied first; the test fails without
#  it), a worker and the mock upstream, over tcp.  A burst of 3 x LIMIT chat
#  requests for one token, half through each gateway at once: exactly
#  LIMIT are relayed, the rest get one-api's 429.
. "$(dirname "$0")/lib.bash"

: "${ONEAPI_TEST_REDIS:?ONEAPI_TEST_REDIS is required (ops/scripts/test.sh)}"
limit=10
#  Its own database: other tests use the same keys (rateLimit:GR:<token id>)
redis_url="${ONEAPI_TEST_REDIS%/*}/9"
redis_port="$(sed -n 's|^redis://[^:]*:\([0-9]*\).*|\1|p' <<<"$ONEAPI_TEST_REDIS")"
redis-cli -p "$redis_port" -n 9 FLUSHDB >/dev/null

it_start_mock
it_two_gateways ONEAPI_WORKER_HTTP_PORT=0 ONEAPI_LEDGER_HTTP_PORT=0 \
    REDIS_CONN_STRING="$redis_url" GLOBAL_RELAY_RATE_LIMIT="$limit"
ledger_pid=$IT_LEDGER_PID gwa_pid=$IT_GWA_PID gwb_pid=$IT_GWB_PID worker_pid=$IT_WORKER_PID
base_a="$IT_BASE_A"
base_b="$IT_BASE_B"
it_check "gateway A ready" it_wait_ready "$base_a" 30
it_check "gateway B ready" it_wait_ready "$base_b" 30

jar="$IT_TMP/root.jar"
it_check "root signs in" grep -q '"success":true' <<<"$(it_root_login "$base_a" "$jar")"
it_check "channel created" grep -q '"success":true' \
    <<<"$(it_create_channel "$base_a" "$jar" mock gpt-4o-mini "http://127.0.0.1:$IT_MOCK_PORT")"
it_check "token created" grep -q '"success":true' <<<"$(it_create_token "$base_a" "$jar" burst)"
key="$(it_api GET "$base_a/api/token/?p=0&size=10" "$jar" | it_json data.0.key)"
key="sk-${key#sk-}"
it_check "token key listed" test "$key" != "sk-"
#  Both gateways can relay before the burst: they know the token and the
#  channel, and the worker has announced itself to each (the requests
#  this takes are forgotten with the window below)
body='{"model":"gpt-4o-mini","messages":[{"role":"user","content":"hi"}]}'
chat_code () {
    it_code "$1/v1/chat/completions" -H "Authorization: Bearer $key" \
        -H 'Content-Type: application/json' -d "$body"
}
relays () { [ "$(chat_code "$base_a")" = 200 ] && [ "$(chat_code "$base_b")" = 200 ]; }
for _ in $(seq 50); do relays && break; sleep 0.2; done
it_check "both gateways relay" relays
redis-cli -p "$redis_port" -n 9 FLUSHDB >/dev/null   #  the burst starts from an empty window

burst=()
for index in $(seq $((3 * limit))); do
    if [ $((index % 2)) = 0 ]; then base="$base_a"; else base="$base_b"; fi
    curl -s --max-time 20 -o "$IT_TMP/burst-$index.json" -w '%{http_code}\n' \
        -H "Authorization: Bearer $key" -H 'Content-Type: application/json' \
        -d "$body" "$base/v1/chat/completions" >"$IT_TMP/burst-$index.code" &
    burst+=("$!")
done
for pid in "${burst[@]}"; do wait "$pid" || true; done
ok="$(cat "$IT_TMP"/burst-*.code | grep -c '^200$' || true)"
limited="$(cat "$IT_TMP"/burst-*.code | grep -c '^429$' || true)"
it_check "exactly $limit of $((3 * limit)) relayed across both gateways (got $ok)" test "$ok" = "$limit"
it_check "the other $((2 * limit)) refused with 429 (got $limited)" test "$limited" = $((2 * limit))
refused="$(grep -l '^429$' "$IT_TMP"/burst-*.code | head -1)"
it_check "429 in one-api's shape" grep -q '"error"' "${refused%.code}.json"
from_a=0; from_b=0
for index in $(seq $((3 * limit))); do
    grep -q '^200$' "$IT_TMP/burst-$index.code" || continue
    if [ $((index % 2)) = 0 ]; then from_a=$((from_a + 1)); else from_b=$((from_b + 1)); fi
done
echo "relayed: $from_a through A, $from_b through B"

it_stop_check gateway-a "$gwa_pid" 10
it_stop_check gateway-b "$gwb_pid" 10
it_stop_check worker "$worker_pid" 10
it_stop_check ledger "$ledger_pid" 10
redis-cli -p "$redis_port" -n 9 FLUSHDB >/dev/null
echo "answers: $(sort "$IT_TMP"/burst-*.code | uniq -c | tr -s ' \n' ' ')"
it_finish
