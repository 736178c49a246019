#!/usr/bin/env bash
#  Starts PostgreSQL and Redis on loopback ports for the tests, and stops
#  them.  PostgreSQL refuses to run as root, so the cluster is a temporary
#  one owned by the `postgres` user.  Sourced by ops/scripts/test.sh; the
#  exported variables tell the tests where the servers are:
#    ONEAPI_TEST_PG_DSN     postgres://postgres@127.0.0.1:<port>/postgres
#    ONEAPI_TEST_PG_CTL     command prefix to run pg_ctl on that cluster
#    ONEAPI_TEST_REDIS      redis://127.0.0.1:<port>/0

#  A free port below the kernel's ephemeral range, so that ports handed out
#  for port 0 meanwhile cannot take it before the server binds it.
oa_free_port () {
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

oa_pg_bin () {
    local dir
    dir="$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1)"
    [ -n "$dir" ] || { echo "PostgreSQL server binaries not found" >&2; return 1; }
    echo "$dir"
}

oa_pg_start () {
    local bin port
    bin="$(oa_pg_bin)"
    port="$(oa_free_port)"
    OA_PG_DIR="$(mktemp -d /tmp/oa-pg.XXXXXX)"
    chmod 755 "$OA_PG_DIR"
    chown postgres:postgres "$OA_PG_DIR"
    runuser -u postgres -- "$bin/initdb" -D "$OA_PG_DIR/data" -A trust -U postgres \
        --no-sync -E UTF8 >"$OA_PG_DIR/initdb.log" 2>&1
    local opts="-p $port -k $OA_PG_DIR -c listen_addresses=127.0.0.1 -c fsync=off"
    opts+=" -c max_connections=300 -c shared_buffers=128MB"
    export ONEAPI_TEST_PG_CTL="runuser -u postgres -- $bin/pg_ctl -D $OA_PG_DIR/data -o '$opts' -l $OA_PG_DIR/server.log -w"
    eval "$ONEAPI_TEST_PG_CTL start" >/dev/null
    export ONEAPI_TEST_PG_DSN="postgres://postgres@127.0.0.1:$port/postgres"
    export ONEAPI_TEST_PG_PORT="$port"
    echo "PostgreSQL on 127.0.0.1:$port ($OA_PG_DIR)"
}

oa_redis_start () {
    local port
    port="$(oa_free_port)"
    OA_REDIS_DIR="$(mktemp -d /tmp/oa-redis.XXXXXX)"
    redis-server --port "$port" --bind 127.0.0.1 --save '' --appendonly no \
        --daemonize yes --pidfile "$OA_REDIS_DIR/redis.pid" --dir "$OA_REDIS_DIR" \
        --logfile "$OA_REDIS_DIR/redis.log"
    for _ in $(seq 50); do
        redis-cli -p "$port" ping >/dev/null 2>&1 && break
        sleep 0.1
    done
    redis-cli -p "$port" ping >/dev/null
    export ONEAPI_TEST_REDIS="redis://127.0.0.1:$port/0"
    export ONEAPI_TEST_REDIS_PORT="$port"
    echo "Redis on 127.0.0.1:$port"
}

#  Stops whatever was started; safe to call twice and after a failure.
oa_services_stop () {
    if [ -n "${OA_PG_DIR:-}" ] && [ -d "$OA_PG_DIR/data" ]; then
        eval "${ONEAPI_TEST_PG_CTL:-false} -m immediate stop" >/dev/null 2>&1 || true
        rm -rf "$OA_PG_DIR"
        OA_PG_DIR=""
    fi
    if [ -n "${OA_REDIS_DIR:-}" ] && [ -f "$OA_REDIS_DIR/redis.pid" ]; then
        kill "$(cat "$OA_REDIS_DIR/redis.pid")" 2>/dev/null || true
        rm -rf "$OA_REDIS_DIR"
        OA_REDIS_DIR=""
    fi
}
