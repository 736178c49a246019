#!/usr/bin/env bash
#  Second command of the README: installs what is missing, builds with
#  AddressSanitizer + UBSan, starts PostgreSQL and Redis on loopback ports,
#  runs every test through ctest, then builds the libFuzzer targets with
#  clang and runs each for OA_FUZZ_SECONDS (60), and stops what it started,
#  even on failure.
#  Options (environment): OA_JOBS (parallel tests, default 2),
#  OA_FUZZ_SECONDS (default 60; 0 skips fuzzing), CTEST_ARGS (e.g. "-R oa_store").
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
cd "$root"
. ops/scripts/deps.sh
. ops/scripts/services.sh
oa_install_deps test
trap oa_services_stop EXIT INT TERM

jobs="${OA_JOBS:-2}"
fuzz_seconds="${OA_FUZZ_SECONDS:-60}"
#  strict_string_checks stays off: it flags strndup on unterminated buffers,
#  which POSIX allows (the SSE parser does exactly that).
export ASAN_OPTIONS="${ASAN_OPTIONS:-abort_on_error=1:detect_leaks=1}"
export UBSAN_OPTIONS="${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}"

cmake -S . -B build/sanitize -DCMAKE_BUILD_TYPE=Sanitize >/dev/null
cmake --build build/sanitize -j"$(nproc)"

oa_pg_start
oa_redis_start

status=0
ctest --test-dir build/sanitize --output-on-failure -j"$jobs" ${CTEST_ARGS:-} || status=$?

if [ "$fuzz_seconds" != 0 ]; then
    CC=clang cmake -S . -B build/fuzz -DOA_FUZZ=ON -DCMAKE_BUILD_TYPE=Debug \
        -DOA_FUZZ_SECONDS="$fuzz_seconds" >/dev/null
    cmake --build build/fuzz -j"$(nproc)"
    ctest --test-dir build/fuzz -L fuzz --output-on-failure -j"$jobs" || status=$?
fi
exit $status
