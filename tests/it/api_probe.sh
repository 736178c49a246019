#!/usr/bin/env bash
#  Channel tests as one-api runs them, through `oneapi serve` (SQLite) in
#  front of oa-mock:
#    - GET /api/channel/test/:id tests a disabled channel too (a real
#      request through a worker) and leaves its status alone, while a relay
#      key pinning that channel ("sk-<key>-<id>") is still refused;
#    - GET /api/channel/test answers at once and tests every channel in the
#      background: with AutomaticDisableChannelEnabled a failing channel and
#      one slower than ChannelDisableThreshold are disabled (status 3); with
#      AutomaticEnableChannelEnabled channels that pass are enabled again;
#      a second sweep meanwhile gets "Test is already running";
#    - a client that asks for a sweep and leaves does not stop it.
. "$(dirname "$0")/lib.bash"

it_start_mock

jar="$IT_TMP/root.jar"
api () { it_api "$1" "$base$2" "$jar" "${3:-}"; }   # api METHOD PATH [BODY]: as root
sql () { sqlite3 -cmd '.timeout 5000' "$db" "$1"; }
#  wait_logs N: waits until there are N test logs.
wait_logs () {
    for _ in $(seq 200); do
        [ "$(sql 'SELECT COUNT(*) FROM logs WHERE type = 5')" -ge "$1" ] && return 0
        sleep 0.1
    done
    return 1
}
status_of () { sql "SELECT status FROM channels WHERE name = '$1'"; }

port="$(it_free_port)"
base="http://127.0.0.1:$port"
db="$IT_TMP/serve.db"
it_start serve ENABLE_COOKIE_SECURE=false SESSION_SECRET=probe PORT="$port" \
    SQLITE_PATH="$db" ONEAPI_WORKERS=1 ONEAPI_GATEWAY_THREADS=2 -- serve
serve_pid=$IT_PID
it_check "serve answers" it_wait_http "$base/healthz" 30
out="$(it_root_login "$base" "$jar")"
it_check "root signs in" grep -q '"success":true' <<<"$out"

#  channel NAME MODELS BASE_URL [STATUS]
channel () {
    local out
    out="$(it_create_channel "$base" "$jar" "$1" "$2" "$3")"
    it_check "channel $1 created" grep -q '"success":true' <<<"$out"
    if [ -n "${4:-}" ]; then
        out="$(api PUT '/api/channel/?status_only=1' "{\"id\":$(sql "SELECT id FROM channels WHERE name = '$1'"),\"status\":$4}")"
        it_check "channel $1 set to status $4" grep -q '"success":true' <<<"$out"
    fi
}
mock="http://127.0.0.1:$IT_MOCK_PORT"
channel fast gpt-4o-mini "$mock"
channel slow 'gpt-4o-mini@delay=2000' "$mock"
channel dead dead-model "http://127.0.0.1:1"
channel automatic gpt-4o-mini "$mock" 3
channel manual gpt-4o-mini "$mock" 2
manual_id="$(sql "SELECT id FROM channels WHERE name = 'manual'")"

#  One channel, disabled by hand: tested all the same, status unchanged.
for _ in $(seq 50); do
    out="$(api GET "/api/channel/test/$manual_id")"
    grep -q 'Invalid Channel Id' <<<"$out" || break    # not yet on the gateway
    sleep 0.1
done
it_check "a disabled channel is tested ($(it_json message <<<"$out"))" \
    test "$(it_json success <<<"$out")" = true
it_check "its status stays 2" test "$(status_of manual)" = 2
it_check "its test time is recorded" test "$(sql "SELECT test_time FROM channels WHERE name = 'manual'")" -gt 0

#  A relay key of root pinned to that channel is still refused.
out="$(it_create_token "$base" "$jar" pin)"
it_check "root creates a relay key" grep -q '"success":true' <<<"$out"
key="$(api GET '/api/token/search?keyword=pin' | it_json data.0.key)"
code=""
for _ in $(seq 50); do
    code="$(curl -s --max-time 20 -o "$IT_TMP/pinned.json" -w '%{http_code}' \
        -H "Authorization: Bearer $key-$manual_id" -H 'Content-Type: application/json' \
        -d '{"model":"gpt-4o-mini","messages":[{"role":"user","content":"hi"}]}' \
        "$base/v1/chat/completions")"
    [ "$code" = 401 ] || break                          # the key not yet on the gateway
    sleep 0.1
done
it_check "a relay key pinning the disabled channel gets 403 (got $code)" test "$code" = 403
it_check "with one-api's message" grep -q 'The channel has been disabled' "$IT_TMP/pinned.json"

#  The sweep, with automatic disabling and enabling.
for option in AutomaticDisableChannelEnabled:true AutomaticEnableChannelEnabled:true \
              ChannelDisableThreshold:1; do
    out="$(api PUT /api/option/ "{\"key\":\"${option%%:*}\",\"value\":\"${option#*:}\"}")"
    it_check "option $option" grep -q '"success":true' <<<"$out"
done
before_logs="$(sql 'SELECT COUNT(*) FROM logs WHERE type = 5')"
started=$(date +%s%N)
out="$(api GET /api/channel/test)"
elapsed_ms=$((($(date +%s%N) - started) / 1000000))
it_check "the sweep answers success" grep -q '"success":true' <<<"$out"
it_check "at once, before the slow channel's 2 s (${elapsed_ms} ms)" test "$elapsed_ms" -lt 1500
out="$(api GET /api/channel/test)"
it_check "a second sweep meanwhile: already running" grep -q 'Test is already running' <<<"$out"
want="fast=1 slow=3 dead=3 automatic=1 manual=1"
got=""
for _ in $(seq 200); do
    got="fast=$(status_of fast) slow=$(status_of slow) dead=$(status_of dead) automatic=$(status_of automatic) manual=$(status_of manual)"
    [ "$got" = "$want" ] && break
    sleep 0.1
done
it_check "statuses after the sweep ($got)" test "$got" = "$want"
it_check "the slow channel's time is recorded though it was disabled" \
    test "$(sql "SELECT response_time FROM channels WHERE name = 'slow'")" -ge 2000
it_check "one test log per channel" wait_logs $((before_logs + 5))
out=""
for _ in $(seq 100); do
    out="$(api GET /api/channel/test?scope=disabled)"
    grep -q 'already running' <<<"$out" || break        # the last outcome frees the lock
    sleep 0.1
done
it_check "once done, another sweep may start" grep -q '"success":true' <<<"$out"
#  That one tests slow and dead only: slow passes (the threshold is for
#  enabled channels) and is enabled again, dead fails and stays disabled.
it_check "the sweep of disabled channels ends" wait_logs $((before_logs + 7))
sleep 0.5
it_check "slow enabled again" test "$(status_of slow)" = 1
it_check "dead stays disabled" test "$(status_of dead)" = 3

#  Threshold 0: never too slow.  The sweep's client leaves at once; the
#  sweep goes on.
api PUT /api/option/ '{"key":"ChannelDisableThreshold","value":"0"}' >/dev/null
sql "UPDATE channels SET test_time = 0" >/dev/null
timeout 0.3 curl -s --max-time 1 -b "$jar" "$base/api/channel/test" >/dev/null 2>&1 || true
times=""
for _ in $(seq 100); do
    times="$(sql 'SELECT COUNT(*) FROM channels WHERE test_time > 0')"
    [ "$times" = 5 ] && break
    sleep 0.1
done
it_check "a sweep whose client left tests every channel (got $times)" test "$times" = 5
it_check "slow stays enabled with threshold 0" test "$(status_of slow)" = 1
it_check "serve still running" kill -0 "$serve_pid"
it_stop_check serve "$serve_pid" 15
it_finish
