#!/usr/bin/env bash
#  Shared by the billing_*.sh integration scripts: a cluster of separate
#  processes over tcp (ledger, gateway, workers) in front of oa-mock, seeded
#  with one user, one token and one OpenAI channel, on SQLite or on a fresh
#  PostgreSQL database; and a Python client that records the request id of
#  every complete 200.
. "$(dirname "${BASH_SOURCE[0]}")/lib.bash"

BL_USER=7                   #  the ids it_seed_sql gives
BL_TOKEN=70
BL_KEY="billingfaults0000000000000000000000000000000000000"
BL_KEY="${BL_KEY:0:48}"

#  bl_mock [ARGS...]: starts oa-mock with ARGS; sets BL_MOCK_PORT.
bl_mock () {
    it_start_mock "$@"
    BL_MOCK_PORT="$IT_MOCK_PORT"
}

#  bl_sql SQL: runs SQL on the test database (BL_DRIVER sqlite|pg); rows
#  come out one per line, columns separated by '|'.
bl_sql () {
    if [ "$BL_DRIVER" = pg ]; then
        psql -X -q -A -t -v ON_ERROR_STOP=1 "$BL_DSN" -c "$1"
    else
        sqlite3 "$BL_DB" "$1"
    fi
}

#  bl_database DRIVER USER_QUOTA TOKEN_QUOTA TOKEN_UNLIMITED: a fresh,
#  migrated and seeded database; sets BL_DB_ENV (SQL_DSN=... or SQLITE_PATH=...).
bl_database () {
    BL_DRIVER="$1"
    local user_quota="$2" token_quota="$3" unlimited="$4"
    if [ "$BL_DRIVER" = pg ]; then
        it_pg_database oa_billing
        BL_DSN="$IT_PG_DSN"
        BL_DB_ENV="SQL_DSN=$BL_DSN"
    else
        BL_DB="$IT_TMP/data/one-api.db"
        mkdir -p "$(dirname "$BL_DB")"
        BL_DB_ENV="SQLITE_PATH=$BL_DB"
    fi
    it_migrate "$BL_DB_ENV"
    local now
    now="$(date +%s)"
    bl_sql "$(it_seed_sql biller "$user_quota" faults "$BL_KEY" "$token_quota" "$unlimited")
    INSERT INTO channels (id, type, key, status, name, weight, created_time, base_url, models,
                          \"group\", priority)
        VALUES (5, 1, 'sk-upstream', 1, 'mock', 1, $now, 'http://127.0.0.1:$BL_MOCK_PORT',
                'gpt-4o-mini', 'default', 0);" >/dev/null
}

#  bl_ports: endpoints of the cluster; sets BL_COMMON (env of every role).
bl_ports () {
    it_cluster_env
    BL_PORT="$IT_PORT"
    BL_COMMON=("$BL_DB_ENV" "${IT_CLUSTER_ENV[@]}" ONEAPI_GATEWAY_THREADS=2 RATE_LIMIT_DISABLED=true
        ONEAPI_SPOOL_DIR="$IT_TMP/spool")
}

#  bl_start_ledger / bl_start_worker N / bl_start_gateway: one process each;
#  pids in BL_LEDGER, BL_WORKER_<N>, BL_GATEWAY.  Logs append across restarts.
bl_start_ledger () {
    env "${BL_COMMON[@]}" "$ONEAPI_BIN" ledger >>"$IT_TMP/ledger.log" 2>&1 &
    BL_LEDGER=$!
    IT_PIDS+=("$BL_LEDGER")
}
bl_start_worker () {
    env "${BL_COMMON[@]}" "$ONEAPI_BIN" worker >>"$IT_TMP/worker-$1.log" 2>&1 &
    eval "BL_WORKER_$1=$!"
    IT_PIDS+=("$!")
}
bl_start_gateway () {
    env "${BL_COMMON[@]}" "$@" "$ONEAPI_BIN" gateway >>"$IT_TMP/gateway.log" 2>&1 &
    BL_GATEWAY=$!
    IT_PIDS+=("$BL_GATEWAY")
}

#  bl_wait_ready: the gateway answers /readyz 200 (replicas loaded, a worker).
bl_wait_ready () {
    it_wait_ready "http://127.0.0.1:$BL_PORT" 30
}

#  bl_client OUT COUNT CONCURRENCY RATE [MAX_TOKENS]: sends COUNT chat
#  requests, at most RATE per second, from CONCURRENCY keep-alive
#  connections; OUT gets one line per request: "status request_id complete".
bl_client () {
    cat >"$IT_TMP/client.py" <<'PY'
import http.client, json, sys, threading, time
out, count, conc, rate = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), float(sys.argv[4])
max_tokens = int(sys.argv[7]) if len(sys.argv) > 7 and sys.argv[7] else 0
port, key = int(sys.argv[5]), sys.argv[6]
lock = threading.Lock()
state = {"next": 0}
start = time.monotonic()
results = []
req = {"model": "gpt-4o-mini", "messages": [{"role": "user", "content": "hello there"}]}
if max_tokens:
    req["max_tokens"] = max_tokens
body = json.dumps(req)
headers = {"Authorization": "Bearer sk-" + key, "Content-Type": "application/json"}

def work():
    conn = None
    while True:
        with lock:
            n = state["next"]
            if n >= count:
                break
            state["next"] = n + 1
        wait = start + n / rate - time.monotonic() if rate > 0 else 0
        if wait > 0:
            time.sleep(wait)
        status, rid, complete = 0, "-", 0
        try:
            if conn is None:
                conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
            conn.request("POST", "/v1/chat/completions", body, headers)
            resp = conn.getresponse()
            data = resp.read()
            status = resp.status
            rid = resp.getheader("X-Oneapi-Request-Id") or "-"
            try:
                doc = json.loads(data)
                complete = 1 if doc.get("choices") and doc.get("usage") else 0
            except Exception:
                complete = 0
        except Exception:
            if conn is not None:
                conn.close()
            conn = None
        with lock:
            results.append("%d %s %d" % (status, rid, complete))
    if conn is not None:
        conn.close()

threads = [threading.Thread(target=work) for _ in range(conc)]
for t in threads:
    t.start()
for t in threads:
    t.join()
with open(out, "w") as f:
    f.write("\n".join(results) + "\n")
PY
    python3 "$IT_TMP/client.py" "$1" "$2" "$3" "$4" "$BL_PORT" "$BL_KEY" "${5:-}"
}
