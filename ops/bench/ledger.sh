#!/usr/bin/env bash
#  ops/bench/ledger.sh — one command: settlement throughput of the ledger.
#  For PostgreSQL (a temporary cluster from ops/scripts/services.sh) and for
#  SQLite, it seeds BENCH_TOKENS users with one token each and one channel,
#  runs `oneapi ledger` over tcp, and drives it with oa-ledgerbench: DEALERs
#  sending USAGE for BENCH_EVENTS distinct request ids and waiting for every
#  USAGE_ACK.  Prints committed events/s and p50/p99 time to acknowledgement,
#  then checks the database (one cost row per request id, sum of logged quota
#  = what the users paid), resends BENCH_RESEND of the same ids and checks
#  that nothing was billed twice.
#  Then, with BENCH_RATE > 0, an open-loop run at that many events/s for
#  BENCH_RATE_SECONDS: its p50/p99 are the times to acknowledgement of a
#  ledger that keeps up (the first run's are queueing behind a full window).
#  Environment: BENCH_EVENTS (200000), BENCH_TOKENS (300), BENCH_DEALERS (4),
#  BENCH_WINDOW (2000), BENCH_RESEND (20000), BENCH_DRIVERS ("postgres
#  sqlite"), BENCH_BUILD (build/release), BENCH_RATE (5000),
#  BENCH_RATE_SECONDS (5), BENCH_FSYNC (off), BENCH_NOBUILD=1 (use the
#  binaries in BENCH_BUILD as they are, e.g. a saved baseline).
#  The CPU time the ledger process and the PostgreSQL cluster (all its
#  processes) spent during the first run is printed per event: on a shared
#  machine it varies much less than the rate.
#  Note: services.sh starts PostgreSQL with fsync=off (a test cluster);
#  BENCH_FSYNC=on restarts it with fsync=on (synchronous_commit is on by
#  default), which is what a production server pays per COMMIT.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
cd "$root"
events="${BENCH_EVENTS:-200000}"
tokens="${BENCH_TOKENS:-300}"
dealers="${BENCH_DEALERS:-4}"
window="${BENCH_WINDOW:-2000}"
resend="${BENCH_RESEND:-20000}"
drivers="${BENCH_DRIVERS:-postgres sqlite}"
build="${BENCH_BUILD:-build/release}"
rate="${BENCH_RATE:-5000}"
rate_seconds="${BENCH_RATE_SECONDS:-5}"
fsync="${BENCH_FSYNC:-off}"
base=1001
work="$(mktemp -d /tmp/oa-ledgerbench.XXXXXX)"
chmod 755 "$work"
ledger_pid=""
. ops/scripts/services.sh
cleanup () {
    [ -n "$ledger_pid" ] && kill "$ledger_pid" 2>/dev/null && wait "$ledger_pid" 2>/dev/null || true
    oa_services_stop
    rm -rf "$work"
}
trap cleanup EXIT

if [ "${BENCH_NOBUILD:-0}" != 1 ]; then
    cmake -S . -B "$build" -DCMAKE_BUILD_TYPE=Release >/dev/null
    cmake --build "$build" -j"$(nproc)" --target oneapi oa-ledgerbench >/dev/null
fi

#  sql <driver> <statement>: one statement, the first column of each row.
sql () {
    if [ "$1" = postgres ]; then
        psql -X -q -t -A -v ON_ERROR_STOP=1 "$ONEAPI_TEST_PG_DSN" -c "$2"
    else
        sqlite3 "$work/one-api.db" "$2"
    fi
}

seed () {
    local driver="$1" last=$((base + tokens - 1)) series uuid
    if [ "$driver" = postgres ]; then
        series="generate_series($base, $last) AS g"
        uuid="gen_random_uuid()"
    else
        series="(WITH RECURSIVE s(g) AS (SELECT $base UNION ALL SELECT g + 1 FROM s WHERE g < $last) SELECT g FROM s)"
        uuid="printf('%08x-0000-4000-8000-%012d', g, g)"
    fi
    sql "$driver" "INSERT INTO \"users\" (\"id\", \"uuid\", \"username\", \"password\", \"display_name\", \"role\", \"status\", \"quota\", \"used_quota\", \"request_count\", \"group\", \"aff_code\", \"created_at\", \"updated_at\") SELECT g, $uuid, 'bench' || g, 'x', 'bench', 1, 1, 100000000000, 0, 0, 'default', 'aff' || g, 0, 0 FROM $series"
    sql "$driver" "INSERT INTO \"tokens\" (\"id\", \"uuid\", \"user_id\", \"key\", \"status\", \"name\", \"created_time\", \"accessed_time\", \"expired_time\", \"remain_quota\", \"unlimited_quota\", \"used_quota\", \"created_at\", \"updated_at\") SELECT g, $uuid, g, 'benchkey' || g, 1, 'bench', 0, 0, -1, 100000000000, false, 0, 0, 0 FROM $series"
    sql "$driver" "INSERT INTO \"channels\" (\"id\", \"type\", \"key\", \"status\", \"name\", \"models\", \"group\", \"used_quota\", \"created_at\", \"updated_at\") VALUES (1, 1, 'sk-bench', 1, 'bench', 'gpt-4o-mini', 'default', 0, 0, 0)"
}

#  cpu_ticks PID...: user + system clock ticks the processes have used.
cpu_ticks () {
    local total=0 pid ticks
    for pid in "$@"; do
        ticks="$(awk '{ sub(/.*\) /, ""); print $12 + $13 }' "/proc/$pid/stat" 2>/dev/null || echo 0)"
        total=$((total + ticks))
    done
    echo "$total"
}

#  The PostgreSQL cluster's processes (postmaster and children), if any.
pg_pids () {
    [ "$1" = postgres ] || return 0
    local postmaster
    postmaster="$(head -1 "$OA_PG_DIR/data/postmaster.pid")"
    echo "$postmaster" $(pgrep -P "$postmaster")
}

run_driver () {
    local driver="$1" port pub_port prefix
    port="$(oa_free_port)"
    pub_port="$(oa_free_port)"
    prefix="b$(date +%s)"
    if [ "$driver" = postgres ]; then
        export SQL_DSN="$ONEAPI_TEST_PG_DSN"
        unset SQLITE_PATH
    else
        unset SQL_DSN
        export SQLITE_PATH="$work/one-api.db"
    fi
    export ONEAPI_LEDGER_BIND="tcp://127.0.0.1:$port"
    export ONEAPI_LEDGER_PUB_BIND="tcp://127.0.0.1:$pub_port"
    "$build/oneapi" migrate >"$work/migrate.log" 2>&1
    seed "$driver"
    "$build/oneapi" ledger >"$work/ledger-$driver.log" 2>&1 &
    ledger_pid=$!
    for _ in $(seq 200); do
        grep -q "sync: requests on" "$work/ledger-$driver.log" && break
        sleep 0.05
    done
    grep -q "sync: requests on" "$work/ledger-$driver.log" || { cat "$work/ledger-$driver.log"; exit 1; }

    local result pids ledger_cpu db_cpu hz
    pids="$(pg_pids "$driver")"
    ledger_cpu="$(cpu_ticks "$ledger_pid")"
    db_cpu="$(cpu_ticks $pids)"
    result="$("$build/oa-ledgerbench" --endpoint "tcp://127.0.0.1:$port" --events "$events" \
        --dealers "$dealers" --window "$window" --tokens "$tokens" --token-base "$base" \
        --channel 1 --prefix "$prefix")"
    echo "$driver: $result"
    hz="$(getconf CLK_TCK)"
    ledger_cpu=$(( ($(cpu_ticks "$ledger_pid") - ledger_cpu) * 1000000 / hz / events ))
    db_cpu=$(( ($(cpu_ticks $pids) - db_cpu) * 1000000 / hz / events ))
    if [ "$driver" = postgres ]; then
        echo "$driver: cpu per event: ledger ${ledger_cpu} us, database server ${db_cpu} us"
    else
        echo "$driver: cpu per event: ledger with SQLite in process ${ledger_cpu} us"
    fi

    #  The database agrees: one cost row per request, logs = what users paid.
    local costs paid logged
    costs="$(sql "$driver" "SELECT COUNT(*) FROM \"user_request_costs\" WHERE \"request_id\" LIKE '$prefix%'")"
    paid="$(sql "$driver" "SELECT SUM(100000000000 - \"quota\") FROM \"users\" WHERE \"id\" >= $base")"
    logged="$(sql "$driver" "SELECT SUM(\"quota\") FROM \"logs\" WHERE \"type\" = 2")"
    echo "$driver: cost rows=$costs (want $events), quota paid=$paid, logged=$logged"
    [ "$costs" = "$events" ] && [ "$paid" = "$logged" ] || { echo "$driver: MISMATCH" >&2; exit 1; }

    #  Resend the first ids: acknowledged again, billed never.
    if [ "$resend" -gt 0 ]; then
        result="$("$build/oa-ledgerbench" --endpoint "tcp://127.0.0.1:$port" --events "$resend" \
            --dealers "$dealers" --window "$window" --tokens "$tokens" --token-base "$base" \
            --channel 1 --prefix "$prefix")"
        local again
        again="$(sql "$driver" "SELECT SUM(100000000000 - \"quota\") FROM \"users\" WHERE \"id\" >= $base")"
        echo "$driver: resent $resend: $result; quota paid=$again"
        [ "$again" = "$paid" ] || { echo "$driver: BILLED TWICE" >&2; exit 1; }
    fi

    #  Open loop: times to acknowledgement at a rate the ledger sustains.
    if [ "$rate" -gt 0 ]; then
        result="$("$build/oa-ledgerbench" --endpoint "tcp://127.0.0.1:$port" \
            --events $((rate * rate_seconds)) --dealers "$dealers" --window "$window" \
            --tokens "$tokens" --token-base "$base" --channel 1 --prefix "${prefix}r" \
            --rate "$rate")"
        echo "$driver: paced at $rate/s: $result"
        paid="$(sql "$driver" "SELECT SUM(100000000000 - \"quota\") FROM \"users\" WHERE \"id\" >= $base")"
        logged="$(sql "$driver" "SELECT SUM(\"quota\") FROM \"logs\" WHERE \"type\" = 2")"
        [ "$paid" = "$logged" ] || { echo "$driver: MISMATCH after paced run" >&2; exit 1; }
    fi
    kill "$ledger_pid"
    wait "$ledger_pid" 2>/dev/null || true
    ledger_pid=""
}

for driver in $drivers; do
    if [ "$driver" = postgres ]; then
        oa_pg_start >/dev/null
        if [ "$fsync" = on ]; then
            export ONEAPI_TEST_PG_CTL="${ONEAPI_TEST_PG_CTL/fsync=off/fsync=on}"
            eval "$ONEAPI_TEST_PG_CTL restart" >/dev/null
        fi
        echo "postgres: fsync=$(sql postgres "SHOW fsync"), synchronous_commit=$(sql postgres "SHOW synchronous_commit")"
    fi
    run_driver "$driver"
done
