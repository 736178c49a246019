#!/usr/bin/env bash
#  The README's table of environment variables is the binary's own list.
. "$(dirname "$0")/lib.bash"
expected="$("$ONEAPI_BIN" --env-table)"
actual="$(sed -n '/<!-- env:begin/,/<!-- env:end/p' "$OA_SRC/README.md" | sed '1d;$d')"
it_check "README env table matches 'oneapi --env-table' (regenerate: ops/scripts/readme-env.sh)" \
    test "$expected" = "$actual"
it_finish
