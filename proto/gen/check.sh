#!/bin/sh
#  check.sh - fails if the committed oa_msg codec or fuzz seeds are stale.
#
#  Regenerates everything from proto/schema/oa_msg.xml into a temporary
#  folder and compares it with the committed files. Exit 0: up to date;
#  1: a file differs, is missing, or is a leftover generated file the
#  schema no longer produces (the diff says which); 2: the generator failed.
#  Fix with: python3 proto/gen/msggen.py proto/schema/oa_msg.xml proto \
#                --corpus tests/fuzz/corpus/oa_msg_fuzz
set -u
root=$(cd "$(dirname "$0")/../.." && pwd)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT INT TERM

python3 "$root/proto/gen/msggen.py" "$root/proto/schema/oa_msg.xml" "$work/proto" \
    --corpus "$work/corpus" || exit 2

status=0
for generated in "$work"/proto/*; do
    name=$(basename "$generated")
    if ! diff -u "$root/proto/$name" "$generated"; then
        echo "check.sh: proto/$name is stale" >&2
        status=1
    fi
done
#  A generated file the schema no longer produces must be deleted
for committed in "$root"/proto/*.c "$root"/proto/*.h; do
    name=$(basename "$committed")
    if head -n 1 "$committed" | grep -q '^//  GENERATED from proto/schema/oa_msg.xml' \
    && [ ! -e "$work/proto/$name" ]; then
        echo "check.sh: proto/$name is generated but no longer produced" >&2
        status=1
    fi
done
#  Seeds: only those the generator writes; the fuzzer may add others
for seed in "$work"/corpus/*; do
    name=$(basename "$seed")
    if ! cmp -s "$seed" "$root/tests/fuzz/corpus/oa_msg_fuzz/$name"; then
        echo "check.sh: tests/fuzz/corpus/oa_msg_fuzz/$name is stale" >&2
        status=1
    fi
done
[ $status -eq 0 ] && echo "check.sh: generated code and seeds are up to date"
exit $status
