#!/usr/bin/env bash
#  Client conformance: the official SDKs (openai 6.x / 7.x, @anthropic-ai/sdk
#  0.x / 1.x) and byte-level stream grammar checks, then one-api's regression
#  matrix (8 model families × Chat / Responses / Claude × stream × plain,
#  tools, tools history, structured + Responses vision), through `oneapi serve`
#  in front of oa-mock behind a strict per-provider layer that rejects what the
#  real providers would.  Suite: tests/conformance/ (see its README.md).
#  Env: CONFORMANCE_MODELS / CONFORMANCE_VARIANTS filter the matrix;
#  CONFORMANCE_KEEP=1 keeps the work directory; CONFORMANCE_OUT gets matrix.json/md.
. "$(dirname "$0")/../it/lib.bash"

src="${OA_SRC:-$(cd "$(dirname "$0")/../.." && pwd)}"
suite="$src/tests/conformance"
command -v node >/dev/null || { echo "node not found"; exit 1; }
command -v sqlite3 >/dev/null || { echo "sqlite3 not found"; exit 1; }

#  The SDKs, pinned by package-lock.json; reinstalled only when the lock changed.
stamp="$suite/node_modules/.oa-lock.sha256"
want="$(sha256sum "$suite/package-lock.json" | cut -d' ' -f1)"
if [ ! -f "$stamp" ] || [ "$(cat "$stamp")" != "$want" ]; then
    if (cd "$suite" && npm ci --no-audit --no-fund --loglevel=error >"$IT_TMP/npm.log" 2>&1); then
        echo "$want" >"$stamp"
    else
        cat "$IT_TMP/npm.log"
        echo "npm ci failed (offline?) and node_modules is not current"
        exit 1
    fi
fi

#  oa-mock, then the strict layer in front of it (one port per provider).
it_start_mock
node "$suite/strict-upstream.mjs" --mock "http://127.0.0.1:$IT_MOCK_PORT" >"$IT_TMP/strict.out" 2>"$IT_TMP/strict.err" &
IT_PIDS+=("$!")
for _ in $(seq 100); do
    grep -q '^ready' "$IT_TMP/strict.out" 2>/dev/null && break
    sleep 0.05
done
grep -q '^ready' "$IT_TMP/strict.out" || { cat "$IT_TMP/strict.err"; echo "strict-upstream did not start"; exit 1; }
control_port="$(sed -n 's/^control \([0-9]*\)/\1/p' "$IT_TMP/strict.out")"

#  The database: one user, one unlimited token, one channel per provider.
db="$IT_TMP/data/one-api.db"
mkdir -p "$(dirname "$db")"
SQLITE_PATH="$db" "$ONEAPI_BIN" migrate >"$IT_TMP/migrate.log" 2>&1 \
    || { cat "$IT_TMP/migrate.log"; exit 1; }
key="conformance$(date +%s%N | sha256sum | head -c 37)"
node "$suite/seed.mjs" "$IT_TMP/strict.out" "$key" >"$IT_TMP/seed.sql"
sqlite3 "$db" <"$IT_TMP/seed.sql" || { cat "$IT_TMP/seed.sql"; exit 1; }

#  `oneapi serve`, started afresh for each phase so a channel suspended in one
#  phase (the gateway suspends a channel for 30 s after a failure) does not
#  hide the root cause in the next.
port="$(it_free_port)"
start_serve () {
    #  $2: ONEAPI_FETCH_ALLOW_PRIVATE (the image server of vision.test.mjs is on loopback)
    it_start "serve-$1" PORT="$port" SQLITE_PATH="$db" RATE_LIMIT_DISABLED=true ONEAPI_LOG_LEVEL=warn \
        ONEAPI_FETCH_ALLOW_PRIVATE="${2:-false}" -- serve
    it_wait_http "http://127.0.0.1:$port/healthz"
    for _ in $(seq 100); do
        [ "$(curl -s --max-time 10 -o /dev/null -w '%{http_code}' "http://127.0.0.1:$port/readyz")" = 200 ] && break
        sleep 0.1
    done
    [ "$(curl -s --max-time 10 -o /dev/null -w '%{http_code}' "http://127.0.0.1:$port/readyz")" = 200 ] \
        || { tail -20 "$IT_TMP/serve-$1.log"; echo "oneapi serve not ready"; exit 1; }
}
stop_serve () {
    kill -TERM "$IT_PID" 2>/dev/null || true
    it_wait_exit "$IT_PID" 10
}
start_serve sdk true

export ONEAPI_BASE="http://127.0.0.1:$port" ONEAPI_KEY="sk-$key" STRICT_CONTROL="http://127.0.0.1:$control_port"
status=0

echo "== SDK and stream-grammar tests (node --test)"
(cd "$suite" && VISION_MODE=allowed node --test --test-concurrency=1 --test-reporter=spec \
    sdk.test.mjs grammar.test.mjs vision.test.mjs) >"$IT_TMP/node-test.log" 2>&1 || status=1
#  The failing tests with their reasons, then the summary lines.
grep -E '^\s*(✖|ℹ (tests|pass|fail|skipped|duration))' "$IT_TMP/node-test.log" | sed 's/^/  /' | head -150 || true
if [ "$status" -ne 0 ]; then
    echo "  (details of the failures:)"
    awk '/^✖ failing tests:/,0' "$IT_TMP/node-test.log" | grep -vE '^\s+at ' | head -200 | sed 's/^/  /' || true
fi
sdk_pass="$(sed -n 's/^ℹ pass \([0-9]*\)/\1/p' "$IT_TMP/node-test.log")"
sdk_fail="$(sed -n 's/^ℹ fail \([0-9]*\)/\1/p' "$IT_TMP/node-test.log")"

stop_serve
start_serve matrix
echo
echo "== Regression matrix"
CONFORMANCE_OUT="${CONFORMANCE_OUT:-$IT_TMP/out}" node "$suite/matrix.mjs" | tee "$IT_TMP/matrix.log" || status=1
mx_pass="$(sed -n 's/^matrix: \([0-9]*\) passed.*/\1/p' "$IT_TMP/matrix.log")"
mx_fail="$(sed -n 's/^matrix: [0-9]* passed, \([0-9]*\) failed.*/\1/p' "$IT_TMP/matrix.log")"

#  This phase's oneapi runs with the default SSRF guard: loopback image URLs refused.
echo
echo "== Image fetch guard (node --test vision.test.mjs, default ONEAPI_FETCH_ALLOW_PRIVATE)"
(cd "$suite" && VISION_MODE=refused node --test --test-reporter=spec vision.test.mjs) \
    >"$IT_TMP/vision-refused.log" 2>&1 || status=1
grep -E '^\s*(✖|ℹ (tests|pass|fail))' "$IT_TMP/vision-refused.log" | sed 's/^/  /' || true
if grep -q '^ℹ fail [1-9]' "$IT_TMP/vision-refused.log"; then
    awk '/^✖ failing tests:/,0' "$IT_TMP/vision-refused.log" | grep -vE '^\s+at ' | head -60 | sed 's/^/  /'
fi
vr_pass="$(sed -n 's/^ℹ pass \([0-9]*\)/\1/p' "$IT_TMP/vision-refused.log")"
vr_fail="$(sed -n 's/^ℹ fail \([0-9]*\)/\1/p' "$IT_TMP/vision-refused.log")"

stop_serve
if grep -qiE 'sanitizer|segmentation fault|assertion' "$IT_TMP"/serve-*.log; then
    echo "oneapi log shows a crash or sanitizer report:"; grep -iE -m5 'sanitizer|segmentation fault|assertion' "$IT_TMP"/serve-*.log
    status=1
fi
if [ "${CONFORMANCE_KEEP:-0}" = 1 ]; then
    keep="$(mktemp -d /tmp/oa-conformance.XXXXXX)"
    cp -r "$IT_TMP"/. "$keep"/
    echo "work directory kept in $keep"
fi
echo
echo "$((${sdk_pass:-0} + ${mx_pass:-0} + ${vr_pass:-0})) passed, $((${sdk_fail:-0} + ${mx_fail:-0} + ${vr_fail:-0})) failed"
exit "$status"
