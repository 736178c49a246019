#!/usr/bin/env bash
#  The cluster as separate processes over tcp with CURVE: one ledger, two
#  gateways (one server key pair, an allow-list of worker keys) and two
#  workers connected to both, in front of oa-mock; a third worker whose key
#  is not allowed.  Checks that traffic through both gateways reaches both
#  workers and never the refused one; a full queue answers 503 at once; a
#  client that leaves closes the upstream stream; a worker killed (-9) in
#  the middle of a stream ends that stream with an error event within a few
#  seconds and the next requests succeed on the other worker; and each
#  worker's and the ledger's own /metrics, /healthz and /readyz.
. "$(dirname "$0")/lib.bash"

#  metric_sum TEXT NAME [FILTER]: sum of the samples of NAME (lines matching FILTER).
metric_sum () {
    awk -v name="$2" -v filter="${3:-}" '
        $1 ~ ("^" name "({|$)") && (filter == "" || index($1, filter)) { s += $NF }
        END { printf "%d\n", s }' <<<"$1"
}
metrics_of () {  #  metrics_of PORT: the /metrics text of a process
    curl -s --max-time 10 -H "Authorization: Bearer $metrics_token" "http://127.0.0.1:$1/metrics"
}
worker_served () {  #  worker_served PORT: requests the worker finished with 200
    metric_sum "$(metrics_of "$1")" oneapi_worker_requests_total 'status="200"'
}
worker_inflight () {
    metric_sum "$(metrics_of "$1")" oneapi_worker_inflight
}
mock_stat () {  #  mock_stat KEY: one counter of oa-mock's /_mock/stats
    curl -s --max-time 5 "http://127.0.0.1:$IT_MOCK_PORT/_mock/stats" \
        | python3 -c "import json,sys; print(json.load(sys.stdin)['$1'])"
}
#  wait_for SECONDS COMMAND...: polls COMMAND every 50 ms until it succeeds.
wait_for () {
    local deadline=$(($(date +%s%N) / 1000000 + $1 * 1000))
    shift
    until "$@"; do
        [ $(($(date +%s%N) / 1000000)) -ge $deadline ] && return 1
        sleep 0.05
    done
}
now_ms () { echo $(($(date +%s%N) / 1000000)); }
#  chat_both ROUNDS FILE: a chat through gateway A and one through B per
#  round; FILE gets one status code a line.
chat_both () {
    local base
    : >"$2"
    for _ in $(seq "$1"); do
        for base in "$base_a" "$base_b"; do
            it_code "$base/v1/chat/completions" -H "$auth" -H 'Content-Type: application/json' \
                -d "$chat" >>"$2"
            echo >>"$2"
        done
    done
}

#  --------------------------------------------------------------------------
#  Mock upstream, database, keys, ports

it_start_mock

db="$IT_TMP/data/one-api.db"
mkdir -p "$(dirname "$db")"
it_migrate SQLITE_PATH="$db"
key="clustercurve000000000000000000000000000000000000"
key="${key:0:48}"
now="$(date +%s)"
#  "slow" maps to a mock stream of 60 chunks, 100 ms apart (6 s); "flaky"
#  is served first by channel 6 (higher priority), whose upstream answers
#  500, then by channel 5 on the retry (RetryTimes 1).
{ it_seed_sql curver 500000000 curve "$key" 0 1
  cat <<SQL
INSERT INTO channels (id, type, key, status, name, weight, created_time, base_url, models,
                      "group", priority, model_mapping)
    VALUES (5, 1, 'sk-upstream', 1, 'mock', 1, $now, 'http://127.0.0.1:$IT_MOCK_PORT',
            'gpt-4o-mini,slow,flaky', 'default', 0, '{"slow":"gpt-4o-mini@chunks=60,chunk_delay=100"}');
INSERT INTO channels (id, type, key, status, name, weight, created_time, base_url, models,
                      "group", priority, model_mapping)
    VALUES (6, 1, 'sk-upstream', 1, 'mock-500', 1, $now, 'http://127.0.0.1:$IT_MOCK_PORT',
            'flaky', 'default', 10, '{"flaky":"gpt-4o-mini@status=500"}');
INSERT INTO options (key, value) VALUES ('RetryTimes', '1');
SQL
} | sqlite3 "$db"

#  keygen prints ONEAPI_CURVE_PUBLIC_KEY=... then ONEAPI_CURVE_SECRET_KEY=...
keypair () {
    local lines
    mapfile -t lines < <("$ONEAPI_BIN" keygen)
    printf '%s\n%s\n' "${lines[0]#ONEAPI_CURVE_PUBLIC_KEY=}" "${lines[1]#ONEAPI_CURVE_SECRET_KEY=}"
}
{ read -r srv_pub; read -r srv_sec; } < <(keypair)
{ read -r w1_pub; read -r w1_sec; } < <(keypair)
{ read -r w2_pub; read -r w2_sec; } < <(keypair)
{ read -r w3_pub; read -r w3_sec; } < <(keypair)
it_check "oneapi keygen prints 40-character Z85 keys" \
    test "${#srv_pub}" = 40 -a "${#srv_sec}" = 40 -a "$srv_pub" != "$w1_pub"

metrics_token="cluster-metrics-secret"
led="$(it_free_port)"; pub="$(it_free_port)"
ga="$(it_free_port)"; gb="$(it_free_port)"
port_a="$(it_free_port)"; port_b="$(it_free_port)"
led_http="$(it_free_port)"
w1_http="$(it_free_port)"; w2_http="$(it_free_port)"; w3_http="$(it_free_port)"
common=(SQLITE_PATH="$db" RATE_LIMIT_DISABLED=true ONEAPI_GATEWAY_THREADS=2
        METRICS_TOKEN="$metrics_token" ONEAPI_HOST=127.0.0.1
        ONEAPI_LEDGER_BIND="tcp://127.0.0.1:$led" ONEAPI_LEDGER_ENDPOINT="tcp://127.0.0.1:$led"
        ONEAPI_LEDGER_PUB_BIND="tcp://127.0.0.1:$pub" ONEAPI_LEDGER_PUB_ENDPOINT="tcp://127.0.0.1:$pub"
        ONEAPI_GATEWAY_ENDPOINTS="tcp://127.0.0.1:$ga,tcp://127.0.0.1:$gb"
        ONEAPI_WORKER_CONCURRENCY=1)
gateway_env=(ONEAPI_CURVE_PUBLIC_KEY="$srv_pub" ONEAPI_CURVE_SECRET_KEY="$srv_sec"
             ONEAPI_CURVE_ALLOWED_KEYS="$w1_pub,$w2_pub")

#  --------------------------------------------------------------------------
#  Start: workers first (start order does not matter), then gateways, ledger

it_start worker-1 "${common[@]}" ONEAPI_SPOOL_DIR="$IT_TMP/spool-1" ONEAPI_WORKER_HTTP_PORT="$w1_http" \
    ONEAPI_CURVE_SERVER_KEY="$srv_pub" ONEAPI_CURVE_PUBLIC_KEY="$w1_pub" ONEAPI_CURVE_SECRET_KEY="$w1_sec" -- worker
w1_pid=$IT_PID
it_start worker-2 "${common[@]}" ONEAPI_SPOOL_DIR="$IT_TMP/spool-2" ONEAPI_WORKER_HTTP_PORT="$w2_http" \
    ONEAPI_CURVE_SERVER_KEY="$srv_pub" ONEAPI_CURVE_PUBLIC_KEY="$w2_pub" ONEAPI_CURVE_SECRET_KEY="$w2_sec" -- worker
w2_pid=$IT_PID
#  The rogue worker has a valid key pair that no gateway allows, and no METRICS_TOKEN.
it_start worker-3 "${common[@]}" METRICS_TOKEN= ONEAPI_SPOOL_DIR="$IT_TMP/spool-3" \
    ONEAPI_WORKER_HTTP_PORT="$w3_http" ONEAPI_CURVE_SERVER_KEY="$srv_pub" \
    ONEAPI_CURVE_PUBLIC_KEY="$w3_pub" ONEAPI_CURVE_SECRET_KEY="$w3_sec" -- worker
w3_pid=$IT_PID
it_start gateway-a "${common[@]}" "${gateway_env[@]}" PORT="$port_a" \
    ONEAPI_GATEWAY_BIND="tcp://127.0.0.1:$ga" -- gateway
gwa_pid=$IT_PID
it_start gateway-b "${common[@]}" "${gateway_env[@]}" PORT="$port_b" \
    ONEAPI_GATEWAY_BIND="tcp://127.0.0.1:$gb" -- gateway
gwb_pid=$IT_PID
it_start ledger "${common[@]}" ONEAPI_LEDGER_HTTP_PORT="$led_http" -- ledger
ledger_pid=$IT_PID

base_a="http://127.0.0.1:$port_a"
base_b="http://127.0.0.1:$port_b"
ready () { [ "$(it_code "$1/readyz")" = 200 ]; }
it_check "gateway A ready" wait_for 30 ready "$base_a"
it_check "gateway B ready" wait_for 30 ready "$base_b"
live_workers () { metric_sum "$(metrics_of "$1")" oneapi_workers_live; }
two_live () { [ "$(live_workers "$port_a")" = 2 ] && [ "$(live_workers "$port_b")" = 2 ]; }
it_check "each gateway sees exactly the 2 allowed workers" wait_for 10 two_live

#  --------------------------------------------------------------------------
#  The admin ports of the worker and ledger processes

for name in w1 w2 w3 led; do
    eval "hp=\$${name}_http"
    it_check "$name /healthz 200" test "$(it_code "http://127.0.0.1:$hp/healthz")" = 200
done
it_check "ledger /readyz 200 (store ready)" wait_for 10 ready "http://127.0.0.1:$led_http"
it_check "worker /readyz 200" ready "http://127.0.0.1:$w1_http"
#  Ready once it has heard from a gateway (degraded before: no gateway yet)
worker_ready () {
    curl -s --max-time 10 "http://127.0.0.1:$w1_http/readyz" | grep -q '"worker":{"status":"ready"'
}
it_check "worker /readyz names its relay actor" wait_for 10 worker_ready
it_check "worker /metrics without token 401" test "$(it_code "http://127.0.0.1:$w1_http/metrics")" = 401
it_check "worker /metrics wrong token 401" \
    test "$(it_code "http://127.0.0.1:$w1_http/metrics" -H 'Authorization: Bearer nope')" = 401
it_check "worker /metrics, METRICS_TOKEN unset: 403" \
    test "$(it_code "http://127.0.0.1:$w3_http/metrics" -H "Authorization: Bearer $metrics_token")" = 403
it_check "ledger /metrics without token 401" test "$(it_code "http://127.0.0.1:$led_http/metrics")" = 401
out="$(metrics_of "$led_http")"
it_check "ledger /metrics has process metrics" grep -q '^process_resident_memory_bytes ' <<<"$out"
it_check "ledger /metrics has the ledger's families" grep -q '^# TYPE oneapi_ledger_' <<<"$out"
it_check "admin port: unknown path 404" test "$(it_code "http://127.0.0.1:$w1_http/nope")" = 404
it_check "admin port: POST 405" test "$(it_code "http://127.0.0.1:$w1_http/healthz" -X POST)" = 405
#  Garbage on the admin port: 400 and a closed connection, the process lives on.
garbage="$(python3 - "$w1_http" <<'PY'
import os, random, socket, sys
port = int(sys.argv[1])
random.seed(7)
answers = []
for i in range(60):
    s = socket.create_connection(("127.0.0.1", port), timeout=5)
    if i == 0:
        s.sendall(b"\x16\x03\x01\x00\xa5\x01\x00\x00\xa1\x03\x03" + os.urandom(64))
    else:
        s.sendall(bytes(random.getrandbits(8) for _ in range(random.randint(1, 3000))))
    data = b""
    try:
        while True:
            chunk = s.recv(65536)
            if not chunk:
                break
            data += chunk
    except OSError:
        pass
    s.close()
    answers.append(data[:12])
print("first=%s closed=%d" % (answers[0].decode("latin-1"), len(answers)))
PY
)" || true
it_check "garbage on the admin port gets 400 ($garbage)" grep -q '^first=HTTP/1.1 400 closed=60$' <<<"$garbage"
it_check "worker alive after garbage" kill -0 "$w1_pid"
it_check "worker /healthz after garbage" test "$(it_code "http://127.0.0.1:$w1_http/healthz")" = 200

#  A port set explicitly must be served: taken, the process does not start.
it_start worker-dup "${common[@]}" ONEAPI_SPOOL_DIR="$IT_TMP/spool-dup" ONEAPI_WORKER_HTTP_PORT="$w1_http" \
    ONEAPI_CURVE_SERVER_KEY="$srv_pub" ONEAPI_CURVE_PUBLIC_KEY="$w3_pub" ONEAPI_CURVE_SECRET_KEY="$w3_sec" -- worker
it_wait_exit "$IT_PID" 10
it_check "a worker whose explicit ONEAPI_WORKER_HTTP_PORT is taken exits 1 (got $IT_STATUS)" \
    test "$IT_STATUS" = 1
it_check "its log names the variable" grep -q "ONEAPI_WORKER_HTTP_PORT=$w1_http" "$IT_TMP/worker-dup.log"

#  --------------------------------------------------------------------------
#  Traffic through both gateways reaches both allowed workers, never the third

auth="Authorization: Bearer sk-$key"
chat='{"model":"gpt-4o-mini","messages":[{"role":"user","content":"hello there"}]}'
chat_both 10 "$IT_TMP/codes"
it_check "20 chats through A and B all 200" test "$(grep -c '^200$' "$IT_TMP/codes")" = 20
w1_served="$(worker_served "$w1_http")"
w2_served="$(worker_served "$w2_http")"
w3_served="$(worker_served "$w3_http")"
echo "served: worker-1 $w1_served, worker-2 $w2_served, worker-3 $w3_served"
it_check "worker 1 served traffic ($w1_served)" test "$w1_served" -gt 0
it_check "worker 2 served traffic ($w2_served)" test "$w2_served" -gt 0
it_check "workers 1+2 served all 20" test "$((w1_served + w2_served))" = 20
it_check "the worker with an unknown key served nothing" test "$w3_served" = 0
it_check "the refused worker is still running (it keeps retrying)" kill -0 "$w3_pid"
out="$IT_TMP/stream.txt"
curl -s --max-time 10 -N -o "$out" -H "$auth" -H 'Content-Type: application/json' \
    -d '{"model":"gpt-4o-mini","stream":true,"messages":[{"role":"user","content":"hi"}]}' \
    "$base_b/v1/chat/completions" || true
it_check "a stream through B ends with [DONE]" grep -q '^data: \[DONE\]' "$out"
#  Usage of the workers reaches the ledger (billing over the cluster links).
billed () { [ "$(sqlite3 "$db" "select count(*) from logs where type = 2")" -ge 21 ]; }
it_check "the ledger logged the 21 requests" wait_for 10 billed
#  A retry: channel 6 answers 500, channel 5 serves; the worker counts it.
code="$(it_code "$base_a/v1/chat/completions" -H "$auth" -H 'Content-Type: application/json' \
    -d '{"model":"flaky","messages":[{"role":"user","content":"hi"}]}')"
it_check "a request retried on the next channel gets 200 ($code)" test "$code" = 200
retries="$(( $(metric_sum "$(metrics_of "$w1_http")" oneapi_worker_retries_total 'channel="6"') \
           + $(metric_sum "$(metrics_of "$w2_http")" oneapi_worker_retries_total 'channel="6"') ))"
it_check "the workers counted the retry ($retries)" test "$retries" = 1
all="$(metrics_of "$w1_http")$(metrics_of "$w2_http")"
for family in oneapi_worker_requests_total oneapi_worker_upstream_seconds oneapi_worker_ttft_seconds \
              oneapi_worker_retries_total oneapi_worker_inflight process_resident_memory_bytes; do
    it_check "worker /metrics has $family" grep -q "^# TYPE $family " <<<"$all"
done

#  --------------------------------------------------------------------------
#  A client that leaves closes the upstream stream

slow_stream='{"model":"slow","stream":true,"messages":[{"role":"user","content":"hi"}]}'
curl -s --max-time 5 -X POST "http://127.0.0.1:$IT_MOCK_PORT/_mock/reset" >/dev/null
curl -s -N --max-time 1 -o "$IT_TMP/left.txt" -H "$auth" -H 'Content-Type: application/json' \
    -d "$slow_stream" "$base_a/v1/chat/completions" || true
it_check "the leaving client got part of the stream" grep -q '^data: {' "$IT_TMP/left.txt"
upstream_closed () { [ "$(mock_stat streams_cancelled)" = 1 ] && [ "$(mock_stat streams_active)" = 0 ]; }
start="$(now_ms)"
it_check "its upstream stream is closed" wait_for 3 upstream_closed
echo "upstream closed $(($(now_ms) - start)) ms after the client left"

#  --------------------------------------------------------------------------
#  A full queue answers 503 at once (ONEAPI_WORKER_CONCURRENCY=1, 2 workers)

bg=()
for i in 1 2; do
    curl -s -N --max-time 15 -o "$IT_TMP/hold-$i.txt" -H "$auth" -H 'Content-Type: application/json' \
        -d "$slow_stream" "$base_a/v1/chat/completions" &
    bg+=("$!")
done
both_busy () { [ "$(worker_inflight "$w1_http")" = 1 ] && [ "$(worker_inflight "$w2_http")" = 1 ]; }
it_check "two held streams occupy both workers" wait_for 5 both_busy
start="$(now_ms)"
code="$(curl -s --max-time 10 -o "$IT_TMP/full.json" -w '%{http_code}' -H "$auth" \
    -H 'Content-Type: application/json' -d "$chat" "$base_a/v1/chat/completions")" || true
took=$(($(now_ms) - start))
it_check "a third request gets 503 ($code, $took ms)" test "$code" = 503
it_check "at once (< 1000 ms: $took)" test "$took" -lt 1000
it_check "the 503 is an OpenAI error object" grep -q '"error":{' "$IT_TMP/full.json"
kill "${bg[@]}" 2>/dev/null || true
wait "${bg[@]}" 2>/dev/null || true
idle () { [ "$(worker_inflight "$w1_http")" = 0 ] && [ "$(worker_inflight "$w2_http")" = 0 ]; }
it_check "both workers idle after the clients left" wait_for 5 idle

#  --------------------------------------------------------------------------
#  A worker killed mid-stream

curl -s -N --max-time 30 -o "$IT_TMP/killed.txt" -H "$auth" -H 'Content-Type: application/json' \
    -d "$slow_stream" "$base_a/v1/chat/completions" &
client=$!
streaming () { [ -f "$IT_TMP/killed.txt" ] && [ "$(grep -c '^data: {' "$IT_TMP/killed.txt")" -ge 3 ]; }
it_check "the stream started" wait_for 5 streaming
if [ "$(worker_inflight "$w1_http")" = 1 ]; then
    victim=w1; victim_pid=$w1_pid; survivor_http=$w2_http
else
    victim=w2; victim_pid=$w2_pid; survivor_http=$w1_http
fi
echo "killing $victim (pid $victim_pid) mid-stream"
survivor_before="$(worker_served "$survivor_http")"
kill -KILL "$victim_pid"
start="$(now_ms)"
client_done () { ! kill -0 "$client" 2>/dev/null; }
wait_for 10 client_done || true
took=$(($(now_ms) - start))
it_check "the client's stream ended within 6 s of the kill ($took ms)" test "$took" -lt 6000
client_status=0
wait "$client" 2>/dev/null || client_status=$?
echo "the client's curl exited with status $client_status"
it_check "it ends with an error event" grep -q '^data: {"error":' "$IT_TMP/killed.txt"
it_check "it did not get the whole answer" test "$(grep -c '^data: {"id"' "$IT_TMP/killed.txt")" -lt 60
tail -3 "$IT_TMP/killed.txt"
chat_both 4 "$IT_TMP/after"
it_check "the next 8 requests succeed" test "$(grep -c '^200$' "$IT_TMP/after")" = 8
survivor_after="$(worker_served "$survivor_http")"
it_check "on the surviving worker ($survivor_before -> $survivor_after)" \
    test "$((survivor_after - survivor_before))" = 8

#  --------------------------------------------------------------------------
#  Clean stop

for name in gwa gwb ledger w1 w2 w3; do
    [ "$name" = "$victim" ] && continue
    eval "pid=\$${name}_pid"
    it_stop_check "$name" "$pid" 15
done
if [ "$IT_FAILS" -gt 0 ]; then
    for log in "$IT_TMP"/*.log; do
        echo "--- $(basename "$log") (last 15 lines)"
        tail -15 "$log"
    done
fi
it_finish
