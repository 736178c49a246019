#!/usr/bin/env bash
#  Helpers for the integration scripts: real `oneapi` processes on loopback.
#  Each script sources this file; ctest provides ONEAPI_BIN and OA_SRC.
set -euo pipefail

: "${ONEAPI_BIN:?ONEAPI_BIN must point at the oneapi binary}"
IT_TMP="$(mktemp -d /tmp/oa-it.XXXXXX)"
IT_PIDS=()
IT_FAILS=0
IT_PASSES=0

it_cleanup () {
    for pid in "${IT_PIDS[@]:-}"; do
        [ -n "$pid" ] && kill -KILL "$pid" 2>/dev/null || true
    done
    rm -rf "$IT_TMP"
}
trap it_cleanup EXIT

#  A free port below the kernel's ephemeral range (32768+): ports the kernel
#  hands out for port 0 and outgoing connections of tests running at the same
#  time can then never collide with ours between this check and the bind.
it_free_port () {
    python3 - <<'PY'
import random, socket
for _ in range(200):
    port = random.randrange(20000, 32000)
    s = socket.socket()
    try:
        s.bind(("127.0.0.1", port))
    except OSError:
        continue
    finally:
        s.close()
    print(port)
    break
PY
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

#  it_finish: prints the closing line and exits non-zero on any failure.
it_finish () {
    echo "$IT_PASSES passed, $IT_FAILS failed"
    [ "$IT_FAILS" -eq 0 ]
}
