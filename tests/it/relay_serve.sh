#!/usr/bin/env bash
#  The relay end to end: `oneapi serve` (ledger + workers + gateway over
#  inproc) in front of oa-mock as an OpenAI channel, seeded with sqlite3:
#  chat non-stream and stream, embeddings, /v1/models, a bad key.
. "$(dirname "$0")/lib.bash"

#  The mock upstream, on an ephemeral port it prints once ready.
it_start_mock

#  A database with one user, one token and one OpenAI channel at the mock.
db="$IT_TMP/data/one-api.db"
mkdir -p "$(dirname "$db")"
it_migrate SQLITE_PATH="$db"
key="relaytest0000000000000000000000000000000000000000"
key="${key:0:48}"
{ it_seed_sql relayer 500000000 it "$key" 0 1
  it_channel_sql 5 mock gpt-4o-mini,text-embedding-3-small
} | sqlite3 "$db"

port="$(it_free_port)"
it_start serve PORT="$port" SQLITE_PATH="$db" ONEAPI_WORKERS=1 ONEAPI_GATEWAY_THREADS=2 -- serve
it_wait_ready "http://127.0.0.1:$port" 10 || true
it_check "readyz 200 (replicas loaded)" test "$(it_code "http://127.0.0.1:$port/readyz")" = 200

base="http://127.0.0.1:$port"
auth="Authorization: Bearer sk-$key"

#  Chat, non-stream
out="$IT_TMP/chat.json"
code="$(curl -s --max-time 10 -o "$out" -w '%{http_code}' -H "$auth" -H 'Content-Type: application/json' \
    -d '{"model":"gpt-4o-mini","messages":[{"role":"user","content":"hello there"}]}' \
    "$base/v1/chat/completions")"
it_check "chat 200" test "$code" = 200
it_check "chat answer" grep -q '"content":"The quick brown fox jumps"' "$out"
it_check "chat usage" grep -q '"usage":' "$out"

#  Chat, stream: SSE events, [DONE], the event-stream type
hdr="$IT_TMP/stream.head"
out="$IT_TMP/stream.txt"
curl -s --max-time 10 -N -D "$hdr" -o "$out" -H "$auth" -H 'Content-Type: application/json' \
    -d '{"model":"gpt-4o-mini","stream":true,"messages":[{"role":"user","content":"hi"}]}' \
    "$base/v1/chat/completions" || true
it_check "stream 200" grep -q '^HTTP/1.1 200' "$hdr"
it_check "stream content type" grep -qi '^content-type: text/event-stream' "$hdr"
it_check "stream request id" grep -qi '^x-oneapi-request-id: [0-9]' "$hdr"
it_check "stream has chunks" test "$(grep -c '^data: {' "$out")" -ge 5
it_check "stream ends with [DONE]" grep -q '^data: \[DONE\]' "$out"

#  The same stream over h2c (one h2o_send in flight on HTTP/2 too)
out="$IT_TMP/stream2.txt"
curl -s --max-time 10 -N --http2-prior-knowledge -o "$out" -w '%{http_version} %{http_code}\n' -H "$auth" \
    -H 'Content-Type: application/json' \
    -d '{"model":"gpt-4o-mini","stream":true,"messages":[{"role":"user","content":"hi"}]}' \
    "$base/v1/chat/completions" >"$IT_TMP/stream2.code" || true
it_check "h2c stream 200" grep -q '^2 200' "$IT_TMP/stream2.code"
it_check "h2c stream ends with [DONE]" grep -q '^data: \[DONE\]' "$out"

#  Parallel requests over both loops
curl_pids=()
for _ in $(seq 20); do
    curl -s --max-time 10 -o /dev/null -w '%{http_code}\n' -H "$auth" -H 'Content-Type: application/json' \
        -d '{"model":"gpt-4o-mini","messages":[{"role":"user","content":"hi"}]}' \
        "$base/v1/chat/completions" >>"$IT_TMP/parallel.codes" &
    curl_pids+=("$!")
done
wait "${curl_pids[@]}"
it_check "20 parallel chats all 200" test "$(grep -c '^200$' "$IT_TMP/parallel.codes")" = 20

#  Embeddings
out="$IT_TMP/embeddings.json"
code="$(curl -s --max-time 10 -o "$out" -w '%{http_code}' -H "$auth" -H 'Content-Type: application/json' \
    -d '{"model":"text-embedding-3-small","input":"hello"}' "$base/v1/embeddings")"
it_check "embeddings 200" test "$code" = 200
it_check "embeddings vector" grep -q '"embedding":\[' "$out"

#  Models of the group
out="$IT_TMP/models.json"
code="$(curl -s --max-time 10 -o "$out" -w '%{http_code}' -H "$auth" "$base/v1/models")"
it_check "models 200" test "$code" = 200
it_check "models list gpt-4o-mini" grep -q '"id":"gpt-4o-mini"' "$out"
it_check "models list embeddings" grep -q '"id":"text-embedding-3-small"' "$out"

#  A bad key
out="$IT_TMP/bad.json"
code="$(curl -s --max-time 10 -o "$out" -w '%{http_code}' -H 'Authorization: Bearer sk-nope' \
    -H 'Content-Type: application/json' -d '{"model":"gpt-4o-mini"}' "$base/v1/chat/completions")"
it_check "bad key 401" test "$code" = 401
it_check "bad key message" grep -q '"type":"one_api_error"' "$out"
it_check "bad key request id" grep -q '(request id: [0-9]*)' "$out"

kill -TERM "$IT_PID"
it_wait_exit "$IT_PID" 10
it_check "serve exits 0" test "$IT_STATUS" = 0
it_finish
