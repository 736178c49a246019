#!/usr/bin/env bash
#  A process out of file descriptors is not a failing channel: `oneapi serve`
#  with a low RLIMIT_NOFILE (prlimit) and more concurrent streams than it
#  can hold (each is two sockets: the client's and its upstream connection).
#  The streams that cannot open an upstream socket get a retryable 503 "out
#  of connections"; the channel is not suspended, so once the load is gone
#  the next request succeeds (before, one such failure suspended the
#  channel for 30 s and every request got 503 "No available channels").
. "$(dirname "$0")/lib.bash"

#  Streams of 6 chunks, 0.5 s apart: held about 3 s
it_start_mock --chunks 6 --chunk-delay-ms 500

db="$IT_TMP/data/one-api.db"
mkdir -p "$(dirname "$db")"
it_migrate SQLITE_PATH="$db"
key="fdlimittest00000000000000000000000000000000000000"
key="${key:0:48}"
{ it_seed_sql fdlimit 500000000 it "$key" 0 1
  it_channel_sql 5 mock gpt-4o-mini
} | sqlite3 "$db"

port="$(it_free_port)"
it_start serve PORT="$port" SQLITE_PATH="$db" ONEAPI_WORKERS=1 ONEAPI_GATEWAY_THREADS=1 -- serve
serve_pid="$IT_PID"
it_wait_ready "http://127.0.0.1:$port" 10 || true
base="http://127.0.0.1:$port"
auth="Authorization: Bearer sk-$key"
it_check "readyz 200" test "$(it_code "$base/readyz")" = 200

#  Room for what the process has open now and about 60 more sockets
open_now="$(ls "/proc/$serve_pid/fd" | wc -l)"
limit=$((open_now + 60))
prlimit --nofile="$limit:$limit" --pid "$serve_pid"
it_check "descriptor limit lowered to $limit" \
    grep -q "^Max open files *$limit *$limit" "/proc/$serve_pid/limits"

#  60 concurrent streams: about 30 fit (two sockets each)
clients=()
for n in $(seq 60); do
    curl -s --max-time 20 -N -o "$IT_TMP/s$n.out" -w '%{http_code}\n' -H "$auth" \
        -H 'Content-Type: application/json' \
        -d '{"model":"gpt-4o-mini","stream":true,"messages":[{"role":"user","content":"hi"}]}' \
        "$base/v1/chat/completions" >"$IT_TMP/s$n.code" 2>/dev/null &
    clients+=($!)
done
wait "${clients[@]}"
ok="$(cat "$IT_TMP"/s*.code | grep -c '^200$' || true)"
busy="$(cat "$IT_TMP"/s*.code | grep -c '^503$' || true)"
echo "streams: $ok answered, $busy refused"
it_check "some streams served" test "$ok" -gt 0
it_check "some streams refused with 503" test "$busy" -gt 0
it_check "every stream answered 200 or 503" test "$((ok + busy))" = 60
it_check "refusals say the gateway is out of connections" \
    grep -l "out of connections" "$IT_TMP"/s*.out
it_check "served streams end with [DONE]" \
    test "$(grep -l '^data: \[DONE\]' "$IT_TMP"/s*.out | wc -l)" = "$ok"
it_check "the channel was not suspended" bash -c "! grep -q suspended '$IT_TMP/serve.log'"

#  Load gone: the channel serves again at once
code="$(curl -s --max-time 10 -o "$IT_TMP/after.json" -w '%{http_code}' -H "$auth" \
    -H 'Content-Type: application/json' \
    -d '{"model":"gpt-4o-mini","messages":[{"role":"user","content":"again"}]}' \
    "$base/v1/chat/completions")"
it_check "next request 200" test "$code" = 200

it_stop_check serve "$serve_pid" 10
it_finish
