#!/usr/bin/env bash
#  ops/bench/instr.sh — instructions per request, per thread, of `oneapi
#  serve`, under callgrind: a count that does not depend on the machine's
#  load, unlike the wall clock of run.sh.  Starts the mock upstream and
#  oneapi (callgrind, one thread per file), sends INSTR_WARMUP requests,
#  zeroes the counters, sends INSTR_REQUESTS sequential requests on one
#  keep-alive connection, dumps, and prints each thread's instructions per
#  request, named by the role its functions belong to.
#  Environment: INSTR_REQUESTS (2000), INSTR_WARMUP (50), INSTR_STREAM (0),
#  BENCH_BUILD (build/release), INSTR_BUILD=0 (use the binaries as they are),
#  INSTR_KEEP (a directory to keep the dumps in).
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
cd "$root"
requests="${INSTR_REQUESTS:-2000}"
warmup="${INSTR_WARMUP:-50}"
stream="${INSTR_STREAM:-0}"
build="${BENCH_BUILD:-build/release}"
work="$(mktemp -d /tmp/oa-instr.XXXXXX)"
pids=()
cleanup () {
    for pid in "${pids[@]:-}"; do [ -n "$pid" ] && kill "$pid" 2>/dev/null || true; done
    wait 2>/dev/null || true
    [ -n "${INSTR_KEEP:-}" ] && mkdir -p "$INSTR_KEEP" && cp "$work"/cg.* "$INSTR_KEEP"/ 2>/dev/null
    rm -rf "$work"
}
trap cleanup EXIT

if [ "${INSTR_BUILD:-1}" = 1 ]; then
    cmake -S . -B "$build" -DCMAKE_BUILD_TYPE=Release >/dev/null
    cmake --build "$build" -j"$(nproc)" --target oneapi oa-mock >/dev/null
fi

"$build/oa-mock" --port 0 --threads 1 >"$work/mock.out" 2>"$work/mock.err" &
pids+=($!)
for _ in $(seq 100); do grep -q listening "$work/mock.out" && break; sleep 0.05; done
mock_port="$(awk '/listening/ {print $3}' "$work/mock.out")"

gw_port="$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')"
db="$work/one-api.db"
SQLITE_PATH="$db" "$build/oneapi" migrate >/dev/null 2>&1
key="instrkey$(date +%s%N | sha256sum | head -c 40)"
sqlite3 "$db" "insert into channels (type, key, status, name, weight, priority, base_url, models, \"group\", created_time)
               values (1, 'sk-upstream', 1, 'mock', 1, 0, 'http://127.0.0.1:$mock_port', 'gpt-4o-mini', 'default', strftime('%s','now'));
               insert into users (username, password, display_name, role, status, quota, \"group\")
               values ('bench', 'x', 'bench', 1, 1, 1000000000000000, 'default');
               insert into tokens (user_id, key, status, name, created_time, accessed_time, expired_time, remain_quota, unlimited_quota)
               values ((select id from users where username = 'bench'), '$key', 1, 'bench', strftime('%s','now'), 0, -1, 0, 1);"
PORT="$gw_port" SQLITE_PATH="$db" ONEAPI_LOG_LEVEL=warn RATE_LIMIT_DISABLED=true \
    ONEAPI_GATEWAY_THREADS=1 valgrind --tool=callgrind --separate-threads=yes \
    --callgrind-out-file="$work/cg.%p" "$build/oneapi" serve >"$work/oneapi.log" 2>&1 &
oneapi_pid=$!
pids+=($oneapi_pid)
for _ in $(seq 600); do
    [ "$(curl -s -o /dev/null -w '%{http_code}' "http://127.0.0.1:$gw_port/readyz")" = 200 ] && break
    sleep 0.2
done

#  Sequential requests on one keep-alive connection; fails on any non-200.
drive () {
    python3 - "$gw_port" "sk-$key" "$stream" "$1" <<'PY'
import http.client, sys
port, key, stream, n = int(sys.argv[1]), sys.argv[2], sys.argv[3] == "1", int(sys.argv[4])
body = ('{"model":"gpt-4o-mini","stream":%s,"messages":[{"role":"user","content":'
        '"Say hello in five words"}]}' % ("true" if stream else "false")).encode()
headers = {"Content-Type": "application/json", "Authorization": "Bearer " + key}
conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
for i in range(n):
    conn.request("POST", "/v1/chat/completions", body, headers)
    r = conn.getresponse()
    data = r.read()
    if r.status != 200:
        sys.exit("request %d: HTTP %d %s" % (i, r.status, data[:200]))
PY
}
drive "$warmup"
sleep 2                                 #  let the ledger settle the warm-up
callgrind_control -z "$oneapi_pid" >/dev/null 2>&1
drive "$requests"
sleep 2                                 #  and the measured ones (USAGE -> commit)
callgrind_control -d "$oneapi_pid" >/dev/null 2>&1
sleep 1
python3 - "$requests" "$work" "$oneapi_pid" <<'PY'
import glob, re, sys, collections
n, work, pid = int(sys.argv[1]), sys.argv[2], sys.argv[3]
#  Role of a thread: the actor function it runs (function names are
#  defined on their first fn= or cfn= line)
roles = [("gw_broker_actor", "broker"), ("oa_worker_actor", "worker"),
         ("oa_ledger_actor", "ledger"), ("oa_api_actor", "api"),
         ("oa_gateway_actor", "gateway"), ("s_thread_main", "gateway loop"),
         ("oa_roles_run", "main")]
rows = []
for path in sorted(glob.glob("%s/cg.%s.*-*" % (work, pid))):
    text = open(path, errors="replace").read()
    total = re.search(r"^(?:summary|totals):\s*(\d+)", text, re.M)
    total = int(total.group(1)) if total else 0
    if total == 0:
        continue
    names = set(re.findall(r"^c?fn=\(\d+\)\s*(\S+)", text, re.M))
    role = "other"
    for fn, name in roles:
        if fn in names:
            role = name
            break
    rows.append((role, path.rsplit("-", 1)[1], total))
print("%-14s %6s %14s" % ("thread", "tid", "instr/request"))
sums = collections.Counter()
for role, tid, total in sorted(rows, key=lambda r: -r[2]):
    if total / n >= 100:
        print("%-14s %6s %14.0f" % (role, tid, total / n))
    sums[role] += total
print("%-14s %6s %14.0f" % ("all threads", "", sum(sums.values()) / n))
PY
