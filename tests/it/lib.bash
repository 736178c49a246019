#!/usr/bin/env bash
#  Helpers for the integration scripts: real `oneapi` processes on loopback.
#  Each script sources this file; ctest provides ONEAPI_BIN and OA_SRC.
set -euo pipefail

: "${ONEAPI_BIN:?ONEAPI_BIN must point at the oneapi binary}"
IT_TMP="$(mktemp -d /tmp/oa-it.XXXXXX)"
IT_PIDS=()
IT_FAILS=0
IT_PASSES=0
IT_PG_DBS=()

it_cleanup () {
    for pid in "${IT_PIDS[@]:-}"; do
        [ -n "$pid" ] && kill -KILL "$pid" 2>/dev/null || true
    done
    for db in "${IT_PG_DBS[@]:-}"; do
        [ -n "$db" ] && psql -X -q "$ONEAPI_TEST_PG_DSN" -c "DROP DATABASE IF EXISTS $db WITH (FORCE)" \
            >/dev/null 2>&1 || true
    done
    rm -rf "$IT_TMP"
}
trap it_cleanup EXIT

#  A free port below the kernel's ephemeral range (32768+), so that ports the
#  kernel hands out meanwhile cannot take it before the bind (services.sh).
. "$(dirname "${BASH_SOURCE[0]}")/../../ops/scripts/services.sh"
it_free_port () {
    oa_free_port
}

#  it_check NAME CONDITION-COMMAND...: records a pass or a failure.
it_check () {
    local name="$1"
    shift
    if "$@"; then
        IT_PASSES=$((IT_PASSES + 1))
        echo "ok   $name"
    else
        IT_FAILS=$((IT_FAILS + 1))
        echo "FAIL $name"
    fi
}

#  it_start NAME [ENV=VALUE...] -- ARGS: starts oneapi in the background with
#  the given environment; its log is $IT_TMP/NAME.log, its pid $IT_PID.
it_start () {
    local name="$1"
    shift
    #  Each process journals usage in the test's own folder unless told
    #  otherwise (the default ./data/spool would be shared between tests).
    local envs=(ONEAPI_SPOOL_DIR="$IT_TMP/spool")
    while [ $# -gt 0 ] && [ "$1" != "--" ]; do
        envs+=("$1")
        shift
    done
    [ "${1:-}" = "--" ] && shift
    env "${envs[@]}" "$ONEAPI_BIN" "$@" >"$IT_TMP/$name.log" 2>&1 &
    IT_PID=$!
    IT_PIDS+=("$IT_PID")
}

#  it_wait_http URL [SECONDS]: waits until URL answers at all.
it_wait_http () {
    local url="$1" limit="${2:-20}"
    local deadline=$((SECONDS + limit))
    while [ $SECONDS -lt $deadline ]; do
        if curl -s -o /dev/null --max-time 1 "$url"; then
            return 0
        fi
        sleep 0.1
    done
    echo "timed out waiting for $url" >&2
    return 1
}

#  it_wait_exit PID SECONDS: waits for PID to exit; sets IT_STATUS (124 = still running).
it_wait_exit () {
    local pid="$1" limit="$2"
    local deadline
    deadline=$(($(date +%s%N) / 1000000 + limit * 1000))
    while kill -0 "$pid" 2>/dev/null; do
        if [ $(($(date +%s%N) / 1000000)) -ge $deadline ]; then
            IT_STATUS=124
            return 0
        fi
        sleep 0.02
    done
    IT_STATUS=0
    wait "$pid" || IT_STATUS=$?
}

#  it_code URL [CURL-ARGS...]: the HTTP status of one request (000 when none came within 10 s).
it_code () {
    local url="$1"
    shift
    curl -s --max-time 10 -o /dev/null -w '%{http_code}' "$@" "$url" || true
}

#  it_wait_ready BASE [SECONDS]: /healthz answers, then /readyz says 200 within
#  SECONDS (default 30; /healthz gets at least it_wait_http's 20).
it_wait_ready () {
    local base="$1" limit="${2:-30}"
    it_wait_http "$base/healthz" $((limit > 20 ? limit : 20)) || return 1
    local deadline=$((SECONDS + limit))
    until [ "$(it_code "$base/readyz")" = 200 ]; do
        [ $SECONDS -lt $deadline ] || { echo "$base not ready within $limit s" >&2; return 1; }
        sleep 0.1
    done
}

#  it_stop_check NAME PID SECONDS: SIGTERM to PID, then checks it exits 0 within SECONDS.
it_stop_check () {
    kill -TERM "$2"
    it_wait_exit "$2" "$3"
    it_check "$1 exits 0 on SIGTERM (got $IT_STATUS)" test "$IT_STATUS" = 0
}

#  it_start_mock [ARGS...]: starts oa-mock (OA_MOCK_BIN, else next to ONEAPI_BIN)
#  on a port it picks and prints once listening; sets IT_MOCK_PORT.
it_start_mock () {
    local mock_bin="${OA_MOCK_BIN:-$(dirname "$ONEAPI_BIN")/oa-mock}"
    [ -x "$mock_bin" ] || mock_bin="$(find "$(dirname "$ONEAPI_BIN")" -name oa-mock -type f -perm -u+x | head -1)"
    [ -x "$mock_bin" ] || { echo "oa-mock not found (set OA_MOCK_BIN)"; exit 1; }
    "$mock_bin" --port 0 "$@" >"$IT_TMP/mock.log" 2>&1 &
    IT_PIDS+=("$!")
    for _ in $(seq 100); do
        grep -q '^listening on' "$IT_TMP/mock.log" 2>/dev/null && break
        sleep 0.05
    done
    IT_MOCK_PORT="$(sed -n 's/^listening on \([0-9]*\).*/\1/p' "$IT_TMP/mock.log" | head -1)"
    [ -n "$IT_MOCK_PORT" ] || { cat "$IT_TMP/mock.log"; echo "oa-mock did not start"; exit 1; }
}

#  it_pg_database PREFIX: a fresh database on ONEAPI_TEST_PG_DSN's server,
#  dropped when the script exits; sets IT_PG_DSN.
it_pg_database () {
    : "${ONEAPI_TEST_PG_DSN:?ONEAPI_TEST_PG_DSN is required (ops/scripts/test.sh)}"
    local name="${1}_$$_$RANDOM"
    psql -X -q -v ON_ERROR_STOP=1 "$ONEAPI_TEST_PG_DSN" -c "CREATE DATABASE $name" >/dev/null
    IT_PG_DBS+=("$name")
    IT_PG_DSN="${ONEAPI_TEST_PG_DSN%/*}/$name"
}

#  it_migrate DB-ENV: migrates the database of SQLITE_PATH=... or SQL_DSN=...;
#  exits with the log on failure.
it_migrate () {
    env "$1" "$ONEAPI_BIN" migrate >"$IT_TMP/migrate.log" 2>&1 || { cat "$IT_TMP/migrate.log"; exit 1; }
}

#  it_seed_sql NAME QUOTA TOKEN_NAME KEY TOKEN_QUOTA UNLIMITED: SQL for common
#  user 7 (group default) and its token 70, never expiring.
it_seed_sql () {
    local now
    now="$(date +%s)"
    cat <<SQL
INSERT INTO users (id, username, password, display_name, role, status, quota, "group", aff_code)
    VALUES (7, '$1', '', '$1', 1, 1, $2, 'default', 'it07');
INSERT INTO tokens (id, user_id, key, status, name, created_time, accessed_time, expired_time,
                    remain_quota, unlimited_quota, used_quota)
    VALUES (70, 7, '$4', 1, '$3', $now, $now, -1, $5, $6, 0);
SQL
}

#  it_channel_sql ID NAME MODELS: SQL for an enabled OpenAI channel (group
#  default, priority 0) at the mock upstream (IT_MOCK_PORT) serving MODELS.
it_channel_sql () {
    cat <<SQL
INSERT INTO channels (id, type, key, status, name, weight, created_time, base_url, models,
                      "group", priority)
    VALUES ($1, 1, 'sk-upstream', 1, '$2', 1, $(date +%s), 'http://127.0.0.1:$IT_MOCK_PORT',
            '$3', 'default', 0);
SQL
}

#  it_cluster_env: fresh tcp endpoints for one ledger and one gateway; sets
#  IT_PORT (the gateway's HTTP port) and IT_CLUSTER_ENV (every role's environment).
it_cluster_env () {
    IT_PORT="$(it_free_port)"
    local gw led pub
    gw="$(it_free_port)"
    led="$(it_free_port)"
    pub="$(it_free_port)"
    IT_CLUSTER_ENV=(PORT="$IT_PORT"
        ONEAPI_GATEWAY_BIND="tcp://127.0.0.1:$gw" ONEAPI_GATEWAY_ENDPOINTS="tcp://127.0.0.1:$gw"
        ONEAPI_LEDGER_BIND="tcp://127.0.0.1:$led" ONEAPI_LEDGER_ENDPOINT="tcp://127.0.0.1:$led"
        ONEAPI_LEDGER_PUB_BIND="tcp://127.0.0.1:$pub" ONEAPI_LEDGER_PUB_ENDPOINT="tcp://127.0.0.1:$pub")
}

#  it_two_gateways [ENV=VALUE...]: a cluster over tcp with SQLite in IT_TMP: a
#  ledger, gateways A and B, and one worker connected to both, each with the
#  given environment.  Sets IT_BASE_A / IT_BASE_B and the pids IT_LEDGER_PID,
#  IT_GWA_PID, IT_GWB_PID, IT_WORKER_PID; does not wait for readiness.
it_two_gateways () {
    local led pub gwa_bind gwb_bind port_a port_b
    led="$(it_free_port)"
    pub="$(it_free_port)"
    gwa_bind="$(it_free_port)"
    gwb_bind="$(it_free_port)"
    port_a="$(it_free_port)"
    port_b="$(it_free_port)"
    local cluster=("$@" SQLITE_PATH="$IT_TMP/cluster.db" ONEAPI_SPOOL_DIR="$IT_TMP/spool"
        ONEAPI_LEDGER_BIND="tcp://127.0.0.1:$led" ONEAPI_LEDGER_ENDPOINT="tcp://127.0.0.1:$led"
        ONEAPI_LEDGER_PUB_BIND="tcp://127.0.0.1:$pub"
        ONEAPI_LEDGER_PUB_ENDPOINT="tcp://127.0.0.1:$pub"
        ONEAPI_GATEWAY_ENDPOINTS="tcp://127.0.0.1:$gwa_bind,tcp://127.0.0.1:$gwb_bind")
    it_start ledger "${cluster[@]}" -- ledger
    IT_LEDGER_PID=$IT_PID
    it_start gateway-a "${cluster[@]}" PORT="$port_a" ONEAPI_GATEWAY_BIND="tcp://127.0.0.1:$gwa_bind" \
        -- gateway
    IT_GWA_PID=$IT_PID
    it_start gateway-b "${cluster[@]}" PORT="$port_b" ONEAPI_GATEWAY_BIND="tcp://127.0.0.1:$gwb_bind" \
        -- gateway
    IT_GWB_PID=$IT_PID
    it_start worker "${cluster[@]}" -- worker
    IT_WORKER_PID=$IT_PID
    IT_BASE_A="http://127.0.0.1:$port_a"
    IT_BASE_B="http://127.0.0.1:$port_b"
}

#  it_api METHOD URL JAR [BODY]: one management API call with the session of
#  cookie jar JAR (a JSON body when given); prints the answer.
it_api () {
    local method="$1" url="$2" jar="$3" body="${4:-}"
    local args=(-s --max-time 20 -X "$method" -b "$jar" -c "$jar")
    [ -z "$body" ] || args+=(-H 'Content-Type: application/json' -d "$body")
    curl "${args[@]}" "$url"
}

#  it_root_login BASE JAR: signs in as root/123456 into JAR, retrying for 15 s
#  while the API actor opens its store; prints the last answer.
it_root_login () {
    local out=""
    for _ in $(seq 150); do
        out="$(it_api POST "$1/api/user/login" "$2" '{"username":"root","password":"123456"}')" || true
        grep -q '"success":true' <<<"$out" && break
        sleep 0.1
    done
    printf '%s\n' "$out"
}

#  it_create_channel BASE JAR NAME MODELS BASE_URL: root adds an OpenAI channel
#  (group default) at BASE_URL; prints the answer.
it_create_channel () {
    it_api POST "$1/api/channel/" "$2" \
        "{\"type\":1,\"name\":\"$3\",\"key\":\"sk-upstream\",\"base_url\":\"$5\",\"models\":\"$4\",\"group\":\"default\"}"
}

#  it_create_token BASE JAR NAME [QUOTA-FIELDS]: the signed-in user creates a
#  never-expiring token (unlimited unless QUOTA-FIELDS says otherwise); prints the answer.
it_create_token () {
    it_api POST "$1/api/token/" "$2" \
        "{\"name\":\"$3\",${4:-\"remain_quota\":0,\"unlimited_quota\":true},\"expired_time\":-1}"
}

#  it_json PATH: the value at a dotted path ("data.0.key") of the JSON on stdin, or "".
it_json () {
    python3 -c '
import json, sys
v = json.load(sys.stdin)
for p in sys.argv[1].split("."):
    if p == "":
        continue
    try:
        v = v[int(p)] if isinstance(v, list) else v[p]
    except (KeyError, IndexError, ValueError, TypeError):
        v = ""
        break
print(json.dumps(v) if isinstance(v, (dict, list, bool)) or v is None else v)' "$1"
}

#  it_finish: prints the closing line and exits non-zero on any failure.
it_finish () {
    echo "$IT_PASSES passed, $IT_FAILS failed"
    [ "$IT_FAILS" -eq 0 ]
}
