#!/usr/bin/env bash
#  The management API end to end through the gateway's /api forwarding:
#  `oneapi serve` (inproc): login as root/123456 -> session cookie ->
#  /api/user/self -> create a token -> it works on /v1/models once the
#  change reaches the gateway (2 s) -> disable it -> the relay refuses it
#  within 1 s.  Then the cluster over tcp (a ledger, two gateways, a
#  worker): a token disabled through gateway A is refused by gateway B
#  within 1 s.
. "$(dirname "$0")/lib.bash"

now_ms () { echo $(($(date +%s%N) / 1000000)); }

#  poll_code LIMIT_MS WANT CURL-ARGS...: polls until curl's status is WANT;
#  prints the milliseconds it took, returns 1 at the limit.
poll_code () {
    local limit="$1" want="$2"
    shift 2
    local start code
    start="$(now_ms)"
    while :; do
        code="$(curl -s --max-time 10 -o /dev/null -w '%{http_code}' "$@")"
        if [ "$code" = "$want" ]; then
            echo $(($(now_ms) - start))
            return 0
        fi
        [ $(($(now_ms) - start)) -ge "$limit" ] && { echo "last $code"; return 1; }
        sleep 0.02
    done
}

#  create_token BASE JAR NAME: prints the new token's uuid and key.
create_token () {
    it_create_token "$1" "$2" "$3" >"$IT_TMP/token-$3.json"
    python3 -c 'import json,sys; d=json.load(open(sys.argv[1]))["data"]; print(d["uuid"], d["key"])' \
        "$IT_TMP/token-$3.json"
}

#  disable_token BASE JAR UUID
disable_token () {
    curl -s --max-time 10 -b "$2" -X PUT -H 'Content-Type: application/json' \
        -d "{\"uuid\":\"$3\",\"status\":2}" "$1/api/token/?status_only=true"
}

common_env=(ENABLE_COOKIE_SECURE=false SESSION_SECRET=api-serve-test-secret)

#  --------------------------------------------------------------------------
#  serve
port="$(it_free_port)"
base="http://127.0.0.1:$port"
it_start serve "${common_env[@]}" PORT="$port" SQLITE_PATH="$IT_TMP/serve.db" \
    ONEAPI_WORKERS=1 ONEAPI_GATEWAY_THREADS=2 -- serve
serve_pid=$IT_PID
it_check "serve ready" it_wait_ready "$base" 15

jar="$IT_TMP/serve.jar"
out="$(it_root_login "$base" "$jar")"
it_check "login succeeds" grep -q '"success":true' <<<"$out"
it_check "login sets the session cookie" grep -q 'session' "$jar"
out="$(curl -s --max-time 10 -b "$jar" "$base/api/user/self")"
it_check "/api/user/self with the cookie" grep -q '"username":"root"' <<<"$out"
code="$(it_code "$base/api/user/self")"
it_check "/api/user/self without it: 401 (got $code)" test "$code" = 401
it_check "/api/status stays the gateway's" bash -c "curl -s --max-time 10 $base/api/status | grep -q '\"success\":true'"

read -r token_uuid key < <(create_token "$base" "$jar" it-serve)
it_check "token created ($token_uuid)" test -n "$key"
key="${key#sk-}"
took="$(poll_code 2000 200 -H "Authorization: Bearer sk-$key" "$base/v1/models")" || true
it_check "new token works on /v1/models within 2 s ($took ms)" grep -qE '^[0-9]+$' <<<"$took"
out="$(disable_token "$base" "$jar" "$token_uuid")"
it_check "token disabled through /api/token/" grep -q '"success":true' <<<"$out"
took="$(poll_code 1000 401 -H "Authorization: Bearer sk-$key" "$base/v1/models")" || true
it_check "disabled token refused within 1 s ($took ms)" grep -qE '^[0-9]+$' <<<"$took"

it_stop_check serve "$serve_pid" 10

#  --------------------------------------------------------------------------
#  cluster: a ledger, two gateways, a worker, over tcp
it_two_gateways "${common_env[@]}"
ledger_pid=$IT_LEDGER_PID gwa_pid=$IT_GWA_PID gwb_pid=$IT_GWB_PID worker_pid=$IT_WORKER_PID
base_a="$IT_BASE_A"
base_b="$IT_BASE_B"
it_check "gateway A ready" it_wait_ready "$base_a" 15
it_check "gateway B ready" it_wait_ready "$base_b" 15

jar="$IT_TMP/cluster.jar"
out="$(it_root_login "$base_a" "$jar")"
it_check "login through gateway A" grep -q '"success":true' <<<"$out"
out="$(curl -s --max-time 10 -b "$jar" "$base_b/api/user/self")"
it_check "the session works through gateway B" grep -q '"username":"root"' <<<"$out"
read -r token_uuid key < <(create_token "$base_a" "$jar" it-cluster)
key="${key#sk-}"
it_check "token created through A ($token_uuid)" test -n "$key"
took="$(poll_code 2000 200 -H "Authorization: Bearer sk-$key" "$base_b/v1/models")" || true
it_check "B accepts the new token within 2 s ($took ms)" grep -qE '^[0-9]+$' <<<"$took"
out="$(disable_token "$base_a" "$jar" "$token_uuid")"
it_check "token disabled through A" grep -q '"success":true' <<<"$out"
took="$(poll_code 1000 401 -H "Authorization: Bearer sk-$key" "$base_b/v1/models")" || true
it_check "B refuses it within 1 s ($took ms)" grep -qE '^[0-9]+$' <<<"$took"

it_stop_check gwa "$gwa_pid" 10
it_stop_check gwb "$gwb_pid" 10
it_stop_check worker "$worker_pid" 10
it_stop_check ledger "$ledger_pid" 10
it_finish
