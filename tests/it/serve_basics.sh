#!/usr/bin/env bash
#  `oneapi serve` with its embedded defaults: status, health, readiness,
#  metrics, the bootstrap root user in SQLite, and a fast clean SIGTERM.
. "$(dirname "$0")/lib.bash"

port="$(it_free_port)"
db="$IT_TMP/data/one-api.db"
it_start serve PORT="$port" SQLITE_PATH="$db" METRICS_TOKEN=secret -- serve
it_wait_http "http://127.0.0.1:$port/healthz"

status_body="$(curl -s --max-time 10 "http://127.0.0.1:$port/api/status")"
it_check "status says success" grep -q '"success":true' <<<"$status_body"
it_check "status has quota_per_unit" grep -q '"quota_per_unit":500000' <<<"$status_body"
it_check "healthz 200" test "$(it_code "http://127.0.0.1:$port/healthz")" = 200
it_wait_ready "http://127.0.0.1:$port" 5 || true
it_check "readyz 200" test "$(it_code "http://127.0.0.1:$port/readyz")" = 200
it_check "request id header" bash -c "curl -s --max-time 10 -D - -o /dev/null http://127.0.0.1:$port/api/status | grep -qi '^x-oneapi-request-id: [0-9]\{20,32\}'"
it_check "h2c prior knowledge" test "$(curl -s --max-time 10 --http2-prior-knowledge -o /dev/null -w '%{http_version}' "http://127.0.0.1:$port/api/status")" = 2
it_check "metrics without the token: 401" test "$(it_code "http://127.0.0.1:$port/metrics")" = 401
it_check "metrics with a wrong token: 401" test "$(curl -s --max-time 10 -H 'Authorization: Bearer nope' -o /dev/null -w '%{http_code}' "http://127.0.0.1:$port/metrics")" = 401
it_check "metrics with the token" bash -c "curl -s --max-time 10 -H 'Authorization: Bearer secret' http://127.0.0.1:$port/metrics | grep -q '^process_resident_memory_bytes'"
it_check "root user bootstrapped" test "$(sqlite3 "$db" "select username || '|' || role || '|' || status from users where id = 1")" = "root|100|1"
hash="$(sqlite3 "$db" 'select password from users where id = 1')"
it_check "root password is bcrypt cost 10" grep -Eq '^\$2[ab]\$10\$.{53}$' <<<"$hash"

start_ms=$(($(date +%s%N) / 1000000))
kill -TERM "$IT_PID"
it_wait_exit "$IT_PID" 5
elapsed=$(($(date +%s%N) / 1000000 - start_ms))
echo "SIGTERM to exit: ${elapsed} ms, status $IT_STATUS"
it_check "SIGTERM exits 0" test "$IT_STATUS" = 0
it_check "SIGTERM exits within 1 s" test "$elapsed" -lt 1000

#  A second start reuses the database: still exactly one root.
it_start serve2 PORT="$port" SQLITE_PATH="$db" -- serve
it_wait_http "http://127.0.0.1:$port/healthz"
it_check "metrics without METRICS_TOKEN: 403" test "$(it_code "http://127.0.0.1:$port/metrics")" = 403
it_check "restart keeps one root" test "$(sqlite3 "$db" "select count(*) from users")" = 1
kill -INT "$IT_PID"
it_wait_exit "$IT_PID" 5
it_check "SIGINT exits 0" test "$IT_STATUS" = 0
it_finish
