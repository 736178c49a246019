#!/usr/bin/env bash
#  The cluster roles as separate processes over tcp: a ledger, a gateway and
#  a worker, started in the "wrong" order (worker first), all ready; each
#  stops cleanly on SIGTERM.
. "$(dirname "$0")/lib.bash"

port="$(it_free_port)"
gw="$(it_free_port)"
led="$(it_free_port)"
pub="$(it_free_port)"
common=(SQLITE_PATH="$IT_TMP/cluster.db" PORT="$port"
        ONEAPI_GATEWAY_BIND="tcp://127.0.0.1:$gw" ONEAPI_GATEWAY_ENDPOINTS="tcp://127.0.0.1:$gw"
        ONEAPI_LEDGER_BIND="tcp://127.0.0.1:$led" ONEAPI_LEDGER_ENDPOINT="tcp://127.0.0.1:$led"
        ONEAPI_LEDGER_PUB_BIND="tcp://127.0.0.1:$pub" ONEAPI_LEDGER_PUB_ENDPOINT="tcp://127.0.0.1:$pub"
        ONEAPI_SPOOL_DIR="$IT_TMP/spool")

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
it_wait_http "http://127.0.0.1:$port/healthz"
for _ in $(seq 100); do
    [ "$(curl -s --max-time 10 -o /dev/null -w '%{http_code}' "http://127.0.0.1:$port/readyz")" = 200 ] && break
    sleep 0.1
done
it_check "gateway ready with ledger and worker up" test "$(curl -s --max-time 10 -o /dev/null -w '%{http_code}' "http://127.0.0.1:$port/readyz")" = 200
it_check "gateway /api/status" bash -c "curl -s --max-time 10 http://127.0.0.1:$port/api/status | grep -q '\"success\":true'"
it_check "ledger created root" test "$(sqlite3 "$IT_TMP/cluster.db" "select username from users where role = 100")" = root
it_check "worker still running" kill -0 "$worker_pid"
it_check "ledger still running" kill -0 "$ledger_pid"

for name in gateway worker ledger; do
    eval "pid=\$${name}_pid"
    kill -TERM "$pid"
    it_wait_exit "$pid" 5
    it_check "$name exits 0 on SIGTERM (got $IT_STATUS)" test "$IT_STATUS" = 0
done
it_finish
