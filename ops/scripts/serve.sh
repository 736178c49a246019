#!/usr/bin/env bash
#  First command of the README: installs what is missing, builds Release and
#  starts `oneapi serve` on port 3000 with the embedded defaults (SQLite at
#  ./data/one-api.db, root / 123456).  Runs in the foreground; Ctrl-C or
#  SIGTERM stops it.  Environment variables are passed through (see README).
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
cd "$root"
. ops/scripts/deps.sh
oa_install_deps build
cmake -S . -B build/release -DCMAKE_BUILD_TYPE=Release >/dev/null
cmake --build build/release -j"$(nproc)" --target oneapi
export PORT="${PORT:-3000}"
echo "starting oneapi serve on port $PORT"
exec build/release/oneapi serve
