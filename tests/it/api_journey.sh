#!/usr/bin/env bash
#  The management API journey, end to end through the gateway, in front of
#  oa-mock: root signs in, creates a channel at the mock and a user, tops
#  the user up; the user signs in, creates a token, calls the relay with
#  it, reads its logs, its balance and the legacy billing views, charges
#  external usage (/api/token/consume); root tests the channel (a real
#  request through a worker) and turns LogConsumeEnabled off, and the next
#  relay call is billed without a log row.
#  Twice: `oneapi serve` with SQLite, then split processes (ledger,
#  gateway, worker over tcp) with PostgreSQL (ONEAPI_TEST_PG_DSN) and
#  Redis (ONEAPI_TEST_REDIS).
. "$(dirname "$0")/lib.bash"

: "${ONEAPI_TEST_PG_DSN:?ONEAPI_TEST_PG_DSN is required (ops/scripts/test.sh)}"
: "${ONEAPI_TEST_REDIS:?ONEAPI_TEST_REDIS is required (ops/scripts/test.sh)}"

it_start_mock

key_call () {   # key_call METHOD URL KEY [BODY]
    local method="$1" url="$2" key="$3" body="${4:-}"
    if [ -n "$body" ]; then
        curl -s --max-time 20 -X "$method" -H "Authorization: Bearer $key" \
            -H 'Content-Type: application/json' -d "$body" "$url"
    else
        curl -s --max-time 20 -X "$method" -H "Authorization: Bearer $key" "$url"
    fi
}

chat='{"model":"gpt-4o-mini","messages":[{"role":"user","content":"Hi"}]}'

#  journey BASE LABEL: the whole scenario against one deployment.
journey () {
    local base="$1" label="$2"
    local root="$IT_TMP/$label-root.jar" user="$IT_TMP/$label-user.jar" out

    #  Root signs in (the API actor may still be opening its store).
    out="$(it_root_login "$base" "$root")"
    it_check "$label: root signs in" grep -q '"success":true' <<<"$out"

    #  A channel at the mock, and a user with quota.
    out="$(it_create_channel "$base" "$root" mock gpt-4o-mini "http://127.0.0.1:$IT_MOCK_PORT")"
    it_check "$label: root creates a channel" grep -q '"success":true' <<<"$out"
    local channel
    channel="$(it_api GET "$base/api/channel/?p=0&size=10" "$root" | it_json data.0.uuid)"
    it_check "$label: the channel is listed ($channel)" test -n "$channel"
    out="$(it_api POST "$base/api/user/" "$root" '{"username":"journey","password":"journey-pass1"}')"
    it_check "$label: root creates a user" grep -q '"success":true' <<<"$out"
    local user_uuid
    user_uuid="$(it_api GET "$base/api/user/search?keyword=journey" "$root" | it_json data.0.uuid)"
    out="$(it_api POST "$base/api/topup" "$root" "{\"user_uuid\":\"$user_uuid\",\"quota\":5000000}")"
    it_check "$label: root tops the user up" grep -q '"success":true' <<<"$out"

    #  The user signs in and creates a token.
    out="$(it_api POST "$base/api/user/login" "$user" '{"username":"journey","password":"journey-pass1"}')"
    it_check "$label: the user signs in" grep -q '"success":true' <<<"$out"
    out="$(it_create_token "$base" "$user" journey-key '"remain_quota":1000000')"
    it_check "$label: the user creates a token" grep -q '"success":true' <<<"$out"
    local key
    key="$(it_api GET "$base/api/token/search?keyword=journey-key" "$user" | it_json data.0.key)"
    it_check "$label: the token's key is shown to its owner" grep -q '^sk-' <<<"$key"
    out="$(it_api GET "$base/api/token/search?keyword=journey-key" "$root")"
    it_check "$label: root does not see the user's token among its own" \
        test "$(it_json data <<<"$out")" = "[]"

    #  The relay, with the new key (its row reaches the gateway first).
    local code=""
    for _ in $(seq 100); do
        code="$(curl -s --max-time 20 -o "$IT_TMP/$label-chat.json" -w '%{http_code}' \
            -H "Authorization: Bearer $key" -H 'Content-Type: application/json' \
            -d "$chat" "$base/v1/chat/completions")"
        [ "$code" = 200 ] && break
        sleep 0.1
    done
    it_check "$label: the relay answers the user's key (got $code)" test "$code" = 200
    it_check "$label: with a completion" grep -q '"choices"' "$IT_TMP/$label-chat.json"

    #  Logs and balance (settlement is asynchronous: poll).
    local total="" used=""
    for _ in $(seq 100); do
        total="$(it_api GET "$base/api/log/self?type=2" "$user" | it_json total)"
        [ "${total:-0}" -ge 1 ] 2>/dev/null && break
        sleep 0.1
    done
    it_check "$label: the user reads the consume log ($total)" test "${total:-0}" -ge 1
    used="$(key_call GET "$base/api/token/balance" "$key" | it_json data.used_quota)"
    it_check "$label: the token's balance moved (used $used)" test "${used:-0}" -gt 0
    out="$(key_call GET "$base/dashboard/billing/usage" "$key")"
    it_check "$label: legacy /dashboard/billing/usage" grep -q '"object":"list"' <<<"$out"
    out="$(key_call GET "$base/v1/dashboard/billing/subscription" "$key")"
    it_check "$label: legacy /v1/dashboard/billing/subscription" \
        grep -q '"object":"billing_subscription"' <<<"$out"
    out="$(it_api GET "$base/api/user/dashboard" "$user")"
    it_check "$label: the dashboard counts the request" \
        test "$(it_json data.logs.0.RequestCount <<<"$out")" -ge 1

    #  External usage goes to the same balance.
    out="$(key_call POST "$base/api/token/consume" "$key" '{"add_reason":"ocr","add_used_quota":1000}')"
    it_check "$label: external consume accepted" \
        test "$(it_json transaction.status <<<"$out")" = confirmed
    local used2
    used2="$(key_call GET "$base/api/token/balance" "$key" | it_json data.used_quota)"
    it_check "$label: external usage charged ($used -> $used2)" test "$used2" -eq $((used + 1000))
    out="$(key_call GET "$base/api/token/transactions" "$key")"
    it_check "$label: the transaction is listed" test "$(it_json total <<<"$out")" = 1
    out="$(key_call GET "$base/api/token/logs?type=7" "$key")"
    it_check "$label: and logged for the token" test "$(it_json total <<<"$out")" = 1
    code="$(curl -s --max-time 20 -o /dev/null -w '%{http_code}' -b "$user" "$base/api/token/balance")"
    it_check "$label: a session is not a relay key (got $code)" test "$code" = 401

    #  Root tests the channel: a real request through a worker.
    out="$(it_api GET "$base/api/channel/test/$channel" "$root")"
    it_check "$label: channel test succeeds ($(it_json message <<<"$out"))" \
        test "$(it_json success <<<"$out")" = true
    it_check "$label: channel test names its model" test "$(it_json modelName <<<"$out")" = gpt-4o-mini
    out="$(it_api GET "$base/api/channel/$channel" "$root")"
    it_check "$label: test_time recorded" test "$(it_json data.test_time <<<"$out")" -gt 0
    #  A channel whose upstream is down: the test fails, with time 0.
    it_create_channel "$base" "$root" dead dead-model "http://127.0.0.1:1" >/dev/null
    local dead
    dead="$(it_api GET "$base/api/channel/search?keyword=dead" "$root" | it_json data.0.uuid)"
    for _ in $(seq 50); do
        out="$(it_api GET "$base/api/channel/test/$dead" "$root")"
        grep -q 'Invalid Channel Id' <<<"$out" || break   # not yet on the gateway
        sleep 0.1
    done
    it_check "$label: a dead channel's test fails ($(it_json message <<<"$out"))" \
        test "$(it_json success <<<"$out")" = false
    it_check "$label: with time 0" test "$(it_json time <<<"$out")" = 0
    out="$(it_api GET "$base/api/channel/test/$channel?model=nope" "$root")"
    it_check "$label: an unknown test model is refused" grep -q 'is not supported by channel' <<<"$out"
    out="$(it_api GET "$base/api/channel/test" "$root")"
    it_check "$label: the sweep of all channels answers" grep -q '"success":true' <<<"$out"
    out="$(it_api GET "$base/api/channel/test/$channel" "$user")"
    it_check "$label: a common user cannot test channels" grep -q '"success":false' <<<"$out"

    #  Root turns consume logs off: the next call is billed, not logged.
    out="$(it_api PUT "$base/api/option/" "$root" '{"key":"LogConsumeEnabled","value":"false"}')"
    it_check "$label: root changes an option" grep -q '"success":true' <<<"$out"
    local before after used3=""
    before="$(it_api GET "$base/api/log/self?type=2" "$user" | it_json total)"
    code="$(curl -s --max-time 20 -o /dev/null -w '%{http_code}' -H "Authorization: Bearer $key" \
        -H 'Content-Type: application/json' -d "$chat" "$base/v1/chat/completions")"
    it_check "$label: relay after the change (got $code)" test "$code" = 200
    for _ in $(seq 100); do
        used3="$(key_call GET "$base/api/token/balance" "$key" | it_json data.used_quota)"
        [ "${used3:-0}" -gt "$used2" ] && break
        sleep 0.1
    done
    it_check "$label: still billed ($used2 -> $used3)" test "${used3:-0}" -gt "$used2"
    after="$(it_api GET "$base/api/log/self?type=2" "$user" | it_json total)"
    it_check "$label: no consume log with LogConsumeEnabled=false ($before -> $after)" \
        test "$after" = "$before"

    #  Malformed input gets one-api's answers, never a 500.
    code="$(curl -s --max-time 20 -o "$IT_TMP/$label-bad.json" -w '%{http_code}' -b "$root" \
        -H 'Content-Type: application/json' -d '{"name":' "$base/api/token/")"
    it_check "$label: malformed JSON is a 200 failure (got $code)" test "$code" = 200
    it_check "$label: with Go's message" grep -q 'unexpected EOF' "$IT_TMP/$label-bad.json"
    code="$(curl -s --max-time 20 -o /dev/null -w '%{http_code}' -b "$root" "$base/api/nothing")"
    it_check "$label: unknown route 404 (got $code)" test "$code" = 404
}

#  --------------------------------------------------------------------------
#  serve, SQLite
port="$(it_free_port)"
it_start serve ENABLE_COOKIE_SECURE=false SESSION_SECRET=journey PORT="$port" \
    SQLITE_PATH="$IT_TMP/serve.db" ONEAPI_WORKERS=1 ONEAPI_GATEWAY_THREADS=2 -- serve
serve_pid=$IT_PID
it_check "serve ready" it_wait_ready "http://127.0.0.1:$port" 30
journey "http://127.0.0.1:$port" serve
it_stop_check serve "$serve_pid" 15

#  --------------------------------------------------------------------------
#  split processes, PostgreSQL and Redis
it_pg_database oa_journey
it_cluster_env
port="$IT_PORT"
split=("${IT_CLUSTER_ENV[@]}" ENABLE_COOKIE_SECURE=false SESSION_SECRET=journey SQL_DSN="$IT_PG_DSN"
       REDIS_CONN_STRING="$ONEAPI_TEST_REDIS")
it_start ledger "${split[@]}" -- ledger
ledger_pid=$IT_PID
it_start gateway "${split[@]}" -- gateway
gateway_pid=$IT_PID
it_start worker "${split[@]}" -- worker
worker_pid=$IT_PID
it_check "split gateway ready" it_wait_ready "http://127.0.0.1:$port" 30
journey "http://127.0.0.1:$port" split
it_stop_check gateway "$gateway_pid" 15
it_stop_check worker "$worker_pid" 15
it_stop_check ledger "$ledger_pid" 15
it_finish
