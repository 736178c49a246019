#!/usr/bin/env bash
#  Billed exactly once under faults.  A ledger, a gateway and two workers
#  (separate processes over tcp) in front of oa-mock serve 5,000 chat
#  requests while the ledger is killed (-9) and restarted twice, a worker
#  once, and PostgreSQL is restarted once.  Then, once the workers'
#  journals have drained: every request id that got a complete 200 is in
#  user_request_costs and in logs exactly once, and the token's and user's
#  used quota equal the sum of the logs' quota.  Runs on SQLite and on a
#  fresh PostgreSQL database (ONEAPI_TEST_PG_DSN, ONEAPI_TEST_PG_CTL);
#  `billing_faults.sh sqlite` or `pg` runs one.
. "$(dirname "$0")/billing_lib.bash"

BF_REQUESTS="${BF_REQUESTS:-5000}"
BF_RATE="${BF_RATE:-250}"           #  requests per second: ~20 s of traffic
BF_TOKEN_QUOTA=1000000000000

#  bf_kill_restart WHAT: kill -9, a short outage, restart.
bf_kill_ledger () {
    kill -KILL "$BL_LEDGER" 2>/dev/null || true
    wait "$BL_LEDGER" 2>/dev/null || true
    echo "  $(date +%T.%N | cut -c1-12) ledger killed"
    sleep 1
    bl_start_ledger
}
bf_kill_worker () {
    eval "local pid=\$BL_WORKER_$1"
    kill -KILL "$pid" 2>/dev/null || true
    wait "$pid" 2>/dev/null || true
    echo "  $(date +%T.%N | cut -c1-12) worker $1 killed"
    sleep 1
    bl_start_worker "$1"
}

bf_run () {
    local driver="$1"
    echo "== $driver"
    rm -rf "$IT_TMP/spool" "$IT_TMP/data"
    bl_database "$driver" 100000000000000 "$BF_TOKEN_QUOTA" false
    bl_ports
    bl_start_ledger
    bl_start_worker 1
    bl_start_worker 2
    bl_start_gateway
    bl_wait_ready || { [ -z "${BF_KEEP:-}" ] || { mkdir -p "$BF_KEEP"; cp "$IT_TMP"/*.log "$BF_KEEP/"; }
                       for f in "$IT_TMP"/*.log; do echo "-- $f"; tail -n 15 "$f"; done; exit 1; }

    local results="$IT_TMP/results-$driver.txt"
    bl_client "$results" "$BF_REQUESTS" 48 "$BF_RATE" &
    local client=$!
    local started=$SECONDS
    sleep 3;  bf_kill_ledger
    sleep 2;  bf_kill_worker 1
    if [ "$driver" = pg ]; then
        sleep 2
        eval "$ONEAPI_TEST_PG_CTL restart" >/dev/null
        echo "  $(date +%T.%N | cut -c1-12) PostgreSQL restarted"
    fi
    sleep 3;  bf_kill_ledger
    wait "$client"
    echo "  client done in $((SECONDS - started)) s"

    #  Wait for the journals to drain: every complete 200 settled
    awk '$1 == 200 && $3 == 1 { print $2 }' "$results" | sort >"$IT_TMP/ok-$driver.txt"
    local ok
    ok="$(wc -l <"$IT_TMP/ok-$driver.txt")"
    local costs=0
    for _ in $(seq 600); do
        bl_sql "SELECT request_id FROM user_request_costs" | sort >"$IT_TMP/costs-$driver.txt"
        costs="$(comm -23 "$IT_TMP/ok-$driver.txt" "$IT_TMP/costs-$driver.txt" | wc -l)"
        [ "$costs" -eq 0 ] && break
        sleep 0.1
    done
    sleep 1     #  what is still in flight settles too
    bl_sql "SELECT request_id FROM user_request_costs" | sort >"$IT_TMP/costs-$driver.txt"
    bl_sql "SELECT request_id FROM logs WHERE type = 2" | sort >"$IT_TMP/logs-$driver.txt"

    local total non200 missing_costs missing_logs dup_costs dup_logs billed logged
    total="$(wc -l <"$results")"
    non200="$(awk '!($1 == 200 && $3 == 1)' "$results" | wc -l)"
    missing_costs="$(comm -23 "$IT_TMP/ok-$driver.txt" <(uniq "$IT_TMP/costs-$driver.txt") | wc -l)"
    missing_logs="$(comm -23 "$IT_TMP/ok-$driver.txt" <(uniq "$IT_TMP/logs-$driver.txt") | wc -l)"
    dup_costs="$(uniq -d "$IT_TMP/costs-$driver.txt" | wc -l)"
    dup_logs="$(uniq -d "$IT_TMP/logs-$driver.txt" | wc -l)"
    billed="$(wc -l <"$IT_TMP/costs-$driver.txt")"
    logged="$(wc -l <"$IT_TMP/logs-$driver.txt")"
    local sum_logs token_used token_remain user_used
    sum_logs="$(bl_sql "SELECT COALESCE(SUM(quota), 0) FROM logs WHERE type = 2 AND user_id = $BL_USER")"
    token_used="$(bl_sql "SELECT used_quota FROM tokens WHERE id = $BL_TOKEN")"
    token_remain="$(bl_sql "SELECT remain_quota FROM tokens WHERE id = $BL_TOKEN")"
    user_used="$(bl_sql "SELECT used_quota FROM users WHERE id = $BL_USER")"
    echo "  $driver: requests=$total ok200=$ok other=$non200 billed=$billed logged=$logged" \
         "missing_costs=$missing_costs missing_logs=$missing_logs dup_costs=$dup_costs" \
         "dup_logs=$dup_logs sum_logs=$sum_logs token_used=$token_used user_used=$user_used"
    if [ "$missing_costs" -ne 0 ]; then
        comm -23 "$IT_TMP/ok-$driver.txt" "$IT_TMP/costs-$driver.txt" | head -5
        grep -h "resend\|journal\|reconnect" "$IT_TMP"/worker-*.log "$IT_TMP/ledger.log" | tail -20
    fi
    it_check "$driver: all $BF_REQUESTS requests answered" test "$total" -eq "$BF_REQUESTS"
    it_check "$driver: most requests got a 200 ($ok)" test "$ok" -ge $((BF_REQUESTS * 8 / 10))
    it_check "$driver: no 200 missing from user_request_costs" test "$missing_costs" -eq 0
    it_check "$driver: no 200 missing from logs" test "$missing_logs" -eq 0
    it_check "$driver: no request id twice in user_request_costs" test "$dup_costs" -eq 0
    it_check "$driver: no request id twice in logs" test "$dup_logs" -eq 0
    it_check "$driver: one log per cost row" test "$billed" -eq "$logged"
    it_check "$driver: token used_quota = sum of logs" test "$token_used" = "$sum_logs"
    it_check "$driver: token remain_quota moved by the same" \
        test "$token_remain" = "$((BF_TOKEN_QUOTA - sum_logs))"
    it_check "$driver: user used_quota = sum of logs" test "$user_used" = "$sum_logs"
    it_check "$driver: ledger reconnected after the PostgreSQL restart" \
        bash -c "[ $driver != pg ] || grep -q 'store reconnected' '$IT_TMP/ledger.log'"
    it_check "$driver: a worker resent from its journal" \
        bash -c "grep -q 'resending\|USAGE to resend' $IT_TMP/worker-*.log"

    for pid in "$BL_GATEWAY" "$BL_WORKER_1" "$BL_WORKER_2" "$BL_LEDGER"; do
        kill -TERM "$pid" 2>/dev/null || true
        it_wait_exit "$pid" 10
    done
    mkdir -p "$IT_TMP/$driver"
    mv "$IT_TMP"/*.log "$IT_TMP/$driver/" 2>/dev/null || true
    if [ -n "${BF_KEEP:-}" ]; then
        mkdir -p "$BF_KEEP" && cp -r "$IT_TMP/$driver" "$results" "$BF_KEEP/"
    fi
}

drivers="${1:-sqlite pg}"
bl_mock
for driver in $drivers; do
    bf_run "$driver"
done
it_finish
