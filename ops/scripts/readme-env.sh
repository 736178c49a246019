#!/usr/bin/env bash
#  Rewrites the README's environment table from `oneapi --env-table`.
#  Usage: ops/scripts/readme-env.sh path/to/oneapi
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
table="$("$1" --env-table)"
python3 - "$root/README.md" "$table" <<'PY'
import re, sys
path, table = sys.argv[1], sys.argv[2]
text = open(path).read()
text = re.sub(r"(<!-- env:begin[^\n]*-->\n).*?(<!-- env:end -->)",
              lambda m: m.group(1) + table + "\n" + m.group(2), text, flags=re.S)
open(path, "w").write(text)
PY
