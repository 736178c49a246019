#!/usr/bin/env bash
#  Installs the Debian packages the build, the gateway and the tests need,
#  only those that are missing (so a second run costs nothing).  Sourced by
#  ops/scripts/serve.sh and ops/scripts/test.sh.
#  Usage: oa_install_deps build|test

oa_packages_build=(
    build-essential cmake pkg-config python3
    libzmq3-dev libczmq-dev libcurl4-openssl-dev libssl-dev libmsgpack-dev libpq-dev
    libhiredis-dev libh2o-evloop-dev libsqlite3-dev libjansson-dev libcrypt-dev
)
oa_packages_test=(
    postgresql redis-server nginx wrk nghttp2-client sqlite3 curl libcmocka-dev
    clang libclang-rt-14-dev valgrind openssl nodejs npm procps iproute2
)

oa_install_deps () {
    local wanted=("${oa_packages_build[@]}")
    if [ "${1:-build}" = test ]; then
        wanted+=("${oa_packages_test[@]}")
    fi
    local missing=()
    for pkg in "${wanted[@]}"; do
        if ! dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed"; then
            #  Node from another source (e.g. a preinstalled build) is fine.
            if [ "$pkg" = nodejs ] || [ "$pkg" = npm ]; then
                command -v "${pkg/nodejs/node}" >/dev/null 2>&1 && continue
            fi
            missing+=("$pkg")
        fi
    done
    if [ ${#missing[@]} -eq 0 ]; then
        return 0
    fi
    echo "installing: ${missing[*]}"
    local sudo=""
    if [ "$(id -u)" -ne 0 ]; then
        sudo="sudo"
    fi
    $sudo apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends \
        "${missing[@]}" >/dev/null
}
