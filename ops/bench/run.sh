#!/usr/bin/env bash
#  ops/bench/run.sh — one command: compares the mock upstream direct, a plain
#  nginx reverse proxy (one worker, keep-alive upstream) and `oneapi serve`
#  (one channel, one token) on this machine, with wrk POSTing chat
#  completions, non-stream and stream, at concurrency 1 and 64, and prints
#  requests/s, p50, p99, the ratios oneapi/nginx, the added latency over
#  direct, and oneapi's RSS.  Then the held-streams scenario: N concurrent
#  streams against a slow mock (one chunk a second), with errors and RSS per
#  held stream.  After the ratios: what one thread waking another costs
#  here (oa-wakeup).
#  Environment: BENCH_SECONDS (10), BENCH_HELD (10000), BENCH_HELD_SECONDS (20),
#  BENCH_SKIP_HELD=1, BENCH_BUILD (build/release), BENCH_NOBUILD=1 (use the
#  binaries in BENCH_BUILD as they are, e.g. a saved baseline).
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
cd "$root"
. ops/scripts/deps.sh
oa_install_deps test
seconds="${BENCH_SECONDS:-10}"
held="${BENCH_HELD:-10000}"
held_seconds="${BENCH_HELD_SECONDS:-20}"
build="${BENCH_BUILD:-build/release}"
work="$(mktemp -d /tmp/oa-bench.XXXXXX)"
pids=()
cleanup () {
    for pid in "${pids[@]:-}"; do [ -n "$pid" ] && kill "$pid" 2>/dev/null || true; done
    [ -f "$work/nginx.pid" ] && kill "$(cat "$work/nginx.pid")" 2>/dev/null || true
    wait 2>/dev/null || true
    rm -rf "$work"
}
trap cleanup EXIT
ulimit -n "$(ulimit -Hn)" 2>/dev/null || true

if [ "${BENCH_NOBUILD:-0}" != 1 ]; then
    cmake -S . -B "$build" -DCMAKE_BUILD_TYPE=Release >/dev/null
    cmake --build "$build" -j"$(nproc)" --target oneapi oa-mock oa-wakeup >/dev/null
fi

free_port () {
    python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'
}
wait_http () {
    for _ in $(seq 200); do
        curl -s -o /dev/null --max-time 1 "$1" && return 0
        sleep 0.05
    done
    echo "timed out waiting for $1" >&2
    return 1
}
rss_kb () { awk '/^VmRSS/ {print $2}' "/proc/$1/status"; }

#  The mock upstream, pinned to one thread like the other two servers.
"$build/oa-mock" --port 0 --threads 1 >"$work/mock.out" 2>"$work/mock.err" &
pids+=($!)
for _ in $(seq 100); do grep -q listening "$work/mock.out" && break; sleep 0.05; done
mock_port="$(awk '/listening/ {print $3}' "$work/mock.out")"
#  The held streams' upstream: a second mock whose defaults are the slow
#  stream, behind its own channel and model.  (A "model@chunks=...,..."
#  suffix cannot name a channel's model: the list is comma-separated.)
"$build/oa-mock" --port 0 --threads 1 --chunks $((held_seconds + 5)) --chunk-delay-ms 1000 \
    >"$work/slow.out" 2>"$work/slow.err" &
pids+=($!)
for _ in $(seq 100); do grep -q listening "$work/slow.out" && break; sleep 0.05; done
slow_port="$(awk '/listening/ {print $3}' "$work/slow.out")"

#  nginx: one worker, keep-alive to the upstream, no buffering of streams.
nginx_port="$(free_port)"
cat >"$work/nginx.conf" <<CONF
worker_processes 1;
pid $work/nginx.pid;
error_log $work/nginx.err warn;
events { worker_connections 20000; }
worker_rlimit_nofile 65535;
http {
    access_log off;
    upstream mock { server 127.0.0.1:$mock_port; keepalive 256; }
    server {
        listen 127.0.0.1:$nginx_port;
        location / {
            proxy_pass http://mock;
            proxy_http_version 1.1;
            proxy_set_header Connection "";
            proxy_buffering off;
        }
    }
}
CONF
nginx -c "$work/nginx.conf" -p "$work"

#  oneapi serve with one channel (OpenAI type, base_url = mock) and one token.
gw_port="$(free_port)"
db="$work/one-api.db"
SQLITE_PATH="$db" "$build/oneapi" migrate >/dev/null 2>&1
key="benchkey$(date +%s%N | sha256sum | head -c 40)"
sqlite3 "$db" "insert into channels (type, key, status, name, weight, priority, base_url, models, \"group\", created_time)
               values (1, 'sk-upstream', 1, 'mock', 1, 0, 'http://127.0.0.1:$mock_port', 'gpt-4o-mini', 'default', strftime('%s','now')),
                      (1, 'sk-upstream', 1, 'slow', 1, 0, 'http://127.0.0.1:$slow_port', 'gpt-4o-mini-held', 'default', strftime('%s','now'));
               insert into users (username, password, display_name, role, status, quota, \"group\")
               values ('bench', 'x', 'bench', 1, 1, 1000000000000000, 'default');
               insert into tokens (user_id, key, status, name, created_time, accessed_time, expired_time, remain_quota, unlimited_quota)
               values ((select id from users where username = 'bench'), '$key', 1, 'bench', strftime('%s','now'), 0, -1, 0, 1);"
PORT="$gw_port" SQLITE_PATH="$db" ONEAPI_LOG_LEVEL=warn RATE_LIMIT_DISABLED=true \
    ONEAPI_GATEWAY_THREADS=1 "$build/oneapi" serve >"$work/oneapi.log" 2>&1 &
oneapi_pid=$!
pids+=($oneapi_pid)
wait_http "http://127.0.0.1:$gw_port/healthz"
for _ in $(seq 100); do
    [ "$(curl -s -o /dev/null -w '%{http_code}' "http://127.0.0.1:$gw_port/readyz")" = 200 ] && break
    sleep 0.1
done
check="$(curl -s -o /dev/null -w '%{http_code}' -H "Authorization: Bearer sk-$key" \
    -H 'Content-Type: application/json' \
    -d '{"model":"gpt-4o-mini","messages":[{"role":"user","content":"hi"}]}' \
    "http://127.0.0.1:$gw_port/v1/chat/completions")"
echo "oneapi relay check: HTTP $check"

#  One wrk run; prints "rps p50_ms p99_ms non2xx".
run_wrk () {
    local url="$1" conns="$2" stream="$3" key="$4"
    local threads=1
    [ "$conns" -gt 1 ] && threads=2
    MOCK_STREAM="$stream" MOCK_KEY="$key" wrk -t"$threads" -c"$conns" -d"${seconds}s" --latency \
        -s ops/tools/mock/post.lua "$url/v1/chat/completions" >"$work/wrk.out" 2>&1 || true
    python3 - "$work/wrk.out" <<'PY'
import re, sys
text = open(sys.argv[1]).read()
def ms(label):
    m = re.search(r"^\s*%s\s+([\d.]+)(us|ms|s)\s*$" % label, text, re.M)
    if not m: return float("nan")
    v, u = float(m.group(1)), m.group(2)
    return v / 1000 if u == "us" else v * 1000 if u == "s" else v
rps = re.search(r"Requests/sec:\s+([\d.]+)", text)
bad = re.search(r"non-2xx responses \(all threads\): (\d+)", text)
err = re.search(r"Socket errors: (.*)", text)
print("%s %.3f %.3f %s %s" % (rps.group(1) if rps else "nan", ms("50%"), ms("99%"),
      bad.group(1) if bad else "?", (err.group(1).replace(" ", "") if err else "none")))
PY
}

#  CPU seconds (user + system) a process, or each named thread of it, used
#  so far; from /proc, in clock ticks.
cpu_ticks () { awk '{print $14 + $15}' "/proc/$1/stat"; }
thread_ticks () {
    for task in /proc/"$1"/task/*; do
        printf '%s %s\n' "$(cat "$task/comm")" "$(awk '{print $14 + $15}' "$task/stat")"
    done | awk '{t[$1] += $2} END {for (n in t) print n, t[n]}' | LC_ALL=C sort
}
nginx_worker="$(pgrep -P "$(cat "$work/nginx.pid")" | head -1)"
mock_pid="${pids[0]}"
ticks_per_s="$(getconf CLK_TCK)"

printf "\n%-10s %-6s %-7s %12s %10s %10s %8s %12s %12s\n" target mode conns "req/s" "p50 ms" "p99 ms" "non2xx" \
    "server us/r" "mock us/r"
declare -A result
for stream in 0 1; do
    mode=$([ $stream = 1 ] && echo stream || echo json)
    for conns in 1 64; do
        for target in direct nginx oneapi; do
            case $target in
                direct) url="http://127.0.0.1:$mock_port" ;;
                nginx) url="http://127.0.0.1:$nginx_port" ;;
                oneapi) url="http://127.0.0.1:$gw_port" ;;
            esac
            case $target in
                direct) server_pid="" ;;
                nginx) server_pid="$nginx_worker" ;;
                oneapi) server_pid="$oneapi_pid" ;;
            esac
            mock0="$(cpu_ticks "$mock_pid")"
            server0="$([ -n "$server_pid" ] && cpu_ticks "$server_pid" || echo 0)"
            [ $target = oneapi ] && thread_ticks "$oneapi_pid" >"$work/threads0"
            read -r rps p50 p99 bad errs < <(run_wrk "$url" "$conns" "$stream" "sk-$key")
            requests="$(awk '/requests in/ {print $1}' "$work/wrk.out")"
            requests="${requests:-0}"
            per_request () {    # ticks -> CPU microseconds per request
                awk -v t="$1" -v n="$requests" -v hz="$ticks_per_s" \
                    'BEGIN {if (n > 0) printf "%.1f", t * 1e6 / hz / n; else printf "nan"}'
            }
            mock_us="$(per_request $(( $(cpu_ticks "$mock_pid") - mock0 )))"
            server_us="-"
            [ -n "$server_pid" ] && server_us="$(per_request $(( $(cpu_ticks "$server_pid") - server0 )))"
            result[$target,$mode,$conns]="$rps $p50 $p99"
            printf "%-10s %-6s %-7s %12s %10s %10s %8s %12s %12s %s\n" "$target" "$mode" "$conns" "$rps" "$p50" \
                "$p99" "$bad" "$server_us" "$mock_us" "$([ "$errs" != none ] && echo "socket errors: $errs")"
            if [ $target = oneapi ]; then
                #  Where oneapi's CPU went, by thread role (the profile behind the ratios)
                thread_ticks "$oneapi_pid" >"$work/threads1"
                LC_ALL=C join "$work/threads0" "$work/threads1" | while read -r name before after; do
                    if [ "$after" -gt "$before" ]; then
                        printf '%s=%s ' "$name" "$(per_request $((after - before)))"
                    fi
                done | sed 's/^/           us\/request by thread: /; s/ $/\n/'
            fi
        done
    done
done

echo
echo "ratios (oneapi / nginx):"
for mode in json stream; do
    read -r n_rps n_p50 _ <<<"${result[nginx,$mode,64]}"
    read -r o_rps o_p50 _ <<<"${result[oneapi,$mode,64]}"
    read -r d1_rps d1_p50 _ <<<"${result[direct,$mode,1]}"
    read -r n1_rps n1_p50 _ <<<"${result[nginx,$mode,1]}"
    read -r o1_rps o1_p50 _ <<<"${result[oneapi,$mode,1]}"
    python3 - "$mode" "$n_rps" "$o_rps" "$d1_p50" "$n1_p50" "$o1_p50" <<'PY'
import sys
mode, n, o, d1, n1, o1 = sys.argv[1], *map(float, sys.argv[2:])
added_n, added_o = n1 - d1, o1 - d1
print("  %-6s throughput@64: %.2f (target >= 0.5)   added p50@1: oneapi %.3f ms, nginx %.3f ms, ratio %.2f (target <= 2)"
      % (mode, o / n if n else float("nan"), added_o, added_n, added_o / added_n if added_n > 0 else float("nan")))
PY
done
echo "oneapi RSS after the runs: $(rss_kb "$oneapi_pid") KiB"
echo "(server us/r, mock us/r: CPU time per request of the proxy (nginx's worker, or the whole"
echo " oneapi process) and of the mock upstream, user + system, from /proc; wrk shares the cores.)"
#  The floor under each hop between oneapi's threads (gateway loop ->
#  worker -> gateway loop: two wake-ups per request), which nginx, one
#  thread, does not pay.
[ -x "$build/oa-wakeup" ] && "$build/oa-wakeup" 20000

if [ "${BENCH_SKIP_HELD:-0}" != 1 ]; then
    echo
    echo "held streams: $held concurrent streams, one chunk a second, ${held_seconds} s"
    base_rss="$(rss_kb "$oneapi_pid")"
    MOCK_STREAM=1 MOCK_KEY="sk-$key" MOCK_MODEL="gpt-4o-mini-held" \
        wrk -t2 -c"$held" -d"${held_seconds}s" --timeout 60s -s ops/tools/mock/post.lua \
        "http://127.0.0.1:$gw_port/v1/chat/completions" >"$work/held.out" 2>&1 &
    wrk_pid=$!
    peak=0
    fds_peak=0
    for _ in $(seq $((held_seconds * 2))); do
        sleep 0.5
        now="$(rss_kb "$oneapi_pid")"
        [ "$now" -gt "$peak" ] && peak=$now
        fds="$(ls "/proc/$oneapi_pid/fd" | wc -l)"
        [ "$fds" -gt "$fds_peak" ] && fds_peak=$fds
    done
    wait $wrk_pid || true
    open_streams="$(curl -s "http://127.0.0.1:$slow_port/_mock/stats" | python3 -c 'import json,sys; d=json.load(sys.stdin); print(d.get("streams_completed","?"), d.get("streams_cancelled","?"))' 2>/dev/null || echo "? ?")"
    errors="$(grep -E 'Socket errors|non-2xx' "$work/held.out" | tr '\n' ' ')"
    echo "  wrk: ${errors:-no socket errors}"
    echo "  oneapi RSS: base $base_rss KiB, peak $peak KiB, per held stream $(( (peak - base_rss) * 1024 / held )) bytes (target <= 65536)"
    echo "  mock streams completed/cancelled: $open_streams"
    #  Each held stream is two sockets in one `serve` process (the client's
    #  and, over HTTP/1.1, its own upstream connection): at the descriptor
    #  limit the last streams cannot open upstream and get a 503 (retried by
    #  wrk at once, so each counts many times)
    echo "  oneapi descriptors: peak $fds_peak, limit $(awk '/Max open files/ {print $4}' "/proc/$oneapi_pid/limits")"
fi
