#!/usr/bin/env bash
#  The management API outlives a PostgreSQL restart.  `oneapi serve` on a
#  PostgreSQL cluster of its own (ops/scripts/services.sh, so that stopping
#  it disturbs no other test; as root only, else the shared cluster of
#  ONEAPI_TEST_PG_CTL): root signs in and reads itself; the cluster stops:
#  every /api request still gets an answer within seconds, in its route's
#  format (one-api's {"success":false,...} envelope; the relay-key routes'
#  {"error":{...}}), never a 500, a hang or a crash; the cluster starts
#  again: the same session works within seconds, writes too, without
#  restarting anything.
. "$(dirname "$0")/lib.bash"
. "$OA_SRC/ops/scripts/services.sh"
unset OA_REDIS_DIR                  #  never stop a Redis this script did not start

private_pg=""
if [ "$(id -u)" = 0 ] && command -v runuser >/dev/null; then
    oa_pg_start >/dev/null
    private_pg="$OA_PG_DIR"
    dsn="$ONEAPI_TEST_PG_DSN"
else
    : "${ONEAPI_TEST_PG_DSN:?ONEAPI_TEST_PG_DSN is required (ops/scripts/test.sh)}"
    : "${ONEAPI_TEST_PG_CTL:?ONEAPI_TEST_PG_CTL is required (ops/scripts/test.sh)}"
    it_pg_database oa_reconnect
    dsn="$IT_PG_DSN"
fi
pg_ctl () { eval "$ONEAPI_TEST_PG_CTL $*" >/dev/null 2>&1; }
finish_pg () {
    if [ -n "$private_pg" ]; then
        pg_ctl -m immediate stop || true
        rm -rf "$private_pg"
    else
        pg_ctl start || true        #  it_cleanup then drops the database
    fi
}
trap 'finish_pg; it_cleanup' EXIT

#  call METHOD PATH [BODY]: prints "<status> <seconds> <body>" (status 000
#  when nothing came back within 15 s).
jar="$IT_TMP/root.jar"
key="sk-reconnect0000000000000000000000000000000000000"
call () {
    local method="$1" path="$2" body="${3:-}" args=()
    [ -n "$body" ] && args=(-H 'Content-Type: application/json' -d "$body")
    case "$path" in
        /api/token/balance|/dashboard/*) args+=(-H "Authorization: Bearer $key") ;;
        *) args+=(-b "$jar" -c "$jar") ;;
    esac
    curl -s --max-time 15 -o "$IT_TMP/body" -w '%{http_code} %{time_total}' -X "$method" \
        "${args[@]}" "$base$path" || true
    echo " $(cat "$IT_TMP/body" 2>/dev/null)"
}

port="$(it_free_port)"
base="http://127.0.0.1:$port"
it_start serve ENABLE_COOKIE_SECURE=false SESSION_SECRET=reconnect SQL_DSN="$dsn" \
    PORT="$port" INITIAL_ROOT_TOKEN="$key" ONEAPI_WORKERS=1 ONEAPI_GATEWAY_THREADS=2 -- serve
serve_pid=$IT_PID
it_check "serve answers" it_wait_http "$base/healthz" 30
out="$(it_root_login "$base" "$jar")"
it_check "root signs in" grep -q '"success":true' <<<"$out"
out="$(call GET /api/user/self)"
it_check "root reads itself" grep -q '"username":"root"' <<<"$out"
out="$(call GET /api/token/balance)"
it_check "the relay key reads its balance" grep -q '"success":true' <<<"$out"

#  The database goes away.
pg_ctl stop -m fast
it_check "PostgreSQL stopped" test "$(psql -X -qtA "$dsn" -c 'SELECT 1' 2>/dev/null)" != 1
for round in 1 2 3; do
    for request in "GET /api/user/self" "GET /api/token/" "GET /api/channel/" \
                   "POST /api/token/ {\"name\":\"down$round\"}" "GET /api/token/balance"; do
        read -r method path body <<<"$request"
        out="$(call "$method" "$path" "$body")"
        read -r code seconds rest <<<"$out"
        it_check "down $round: $method $path answered (got $code in ${seconds}s)" \
            test "$code" != 000 -a "$code" != 500 -a "$code" != 503
        it_check "down $round: $method $path fast" \
            python3 -c "import sys; sys.exit(0 if float('$seconds') < 5 else 1)"
        if [ "$path" = /api/token/balance ]; then
            it_check "down $round: the relay-key route answers its error format" \
                grep -q '"error":{"message":"failed to get token by key: ' <<<"$rest"
        else
            it_check "down $round: $method $path says success false" \
                grep -q '"success":false' <<<"$rest"
        fi
    done
    sleep 0.5
done
it_check "serve is still running" kill -0 "$serve_pid"

#  The database comes back: the same session works again, without a restart.
pg_ctl start
started=$SECONDS
out=""
for _ in $(seq 200); do
    out="$(call GET /api/user/self)"
    grep -q '"success":true' <<<"$out" && break
    sleep 0.1
done
it_check "back: root reads itself again ($((SECONDS - started)) s)" \
    grep -q '"username":"root"' <<<"$out"
it_check "back: within 10 s" test $((SECONDS - started)) -le 10
out="$(call POST /api/token/ '{"name":"after-restart","expired_time":-1}')"
it_check "back: a write works" grep -q '"success":true' <<<"$out"
out="$(call GET /api/token/search?keyword=after-restart)"
it_check "back: and reads back" grep -q '"name":"after-restart"' <<<"$out"
out="$(call GET /api/token/balance)"
it_check "back: the relay key reads its balance" grep -q '"success":true' <<<"$out"
it_check "the API logged its reconnection" grep -q 'store reconnected' "$IT_TMP/serve.log"

it_stop_check serve "$serve_pid" 15
it_finish
