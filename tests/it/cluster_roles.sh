#!/usr/bin/env bash
#  The cluster roles as separate processes over tcp: a ledger, a gateway and
#  a worker, started in the "wrong" order (worker first), all ready; each
#  stops cleanly on SIGTERM.
. "$(dirname "$0")/lib.bash"

it_cluster_env
port="$IT_PORT"
common=("${IT_CLUSTER_ENV[@]}" SQLITE_PATH="$IT_TMP/cluster.db" ONEAPI_SPOOL_DIR="$IT_TMP/spool")

it_start worker "${common[@]}" -- worker
worker_pid=$IT_PID
sleep 0.3
it_start gateway "${common[@]}" -- gateway
gateway_pid=$IT_PID
#  A gateway waiting for its ledger waits idle: its loops once spun on the
#  refused snapshot request (two cores busy until the ledger came)
it_wait_http "http://127.0.0.1:$port/healthz"
cpu_ticks () { awk '{print $14 + $15}' "/proc/$1/stat"; }
before="$(cpu_ticks "$gateway_pid")"
sleep 2
spent=$(( $(cpu_ticks "$gateway_pid") - before ))
it_check "gateway without a ledger idles (${spent} cs of CPU in 2 s)" test "$spent" -lt 50
it_start ledger "${common[@]}" -- ledger
ledger_pid=$IT_PID
it_wait_ready "http://127.0.0.1:$port" 10 || true
it_check "gateway ready with ledger and worker up" test "$(it_code "http://127.0.0.1:$port/readyz")" = 200
it_check "gateway /api/status" bash -c "curl -s --max-time 10 http://127.0.0.1:$port/api/status | grep -q '\"success\":true'"
it_check "ledger created root" test "$(sqlite3 "$IT_TMP/cluster.db" "select username from users where role = 100")" = root
it_check "worker still running" kill -0 "$worker_pid"
it_check "ledger still running" kill -0 "$ledger_pid"

it_stop_check gateway "$gateway_pid" 5
it_stop_check worker "$worker_pid" 5
it_stop_check ledger "$ledger_pid" 5
it_finish
