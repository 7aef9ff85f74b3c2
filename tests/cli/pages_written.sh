#!/usr/bin/env bash
# pages_written.sh — scripts/pages-written (docs/performance.md, "the durable
# single append"): the pages one append writes, named by their database.
source "$(dirname "$0")/lib.sh"
command -v python3 >/dev/null || { echo "python3 missing: skipped"; exit 77; }
pw() { python3 "$COFUND_TESTS/../scripts/pages-written" "$@"; }

network inv:investor fund:fund
cf inv contribute --project robotics --round seed --amount 1000 --program industrial --yes >/dev/null
cp -a "$T/inv" "$T/before"

# Nothing done, nothing written.
OUT=$(pw "$T/before" "$T/inv")
expect_in "$OUT" "^0 pages written (0 KiB), and 0 meta pages"

# One contribution: its feed, the state, the checkpoint, the feed record, and
# LMDB's own pages; every page written belongs to a database of the new tree.
cf inv contribute --project robotics --round seed --amount 2000 --program industrial --yes >/dev/null
OUT=$(pw "$T/before" "$T/inv/store/data.mdb")
expect_in "$OUT" "and 1 meta page;"
for db in "state leaf" "feed/[0-9a-f]\{8\} leaf" "checkpoints leaf" "feeds leaf" "main leaf"; do
    expect_in "$OUT" "^ *[0-9]\+  $db\$"
done
LIST=$(pw "$T/before/store" "$T/inv" --list)
grep -q "not reachable" <<<"$LIST" && fail "a page written outside every tree: $LIST"
n=$(head -1 <<<"$OUT" | awk '{print $1}')
[ "$(grep -c '^page [0-9]*: ' <<<"$LIST")" -eq "$n" ] || fail "--list lists $n pages: $LIST"

expect_rc=0
pw "$T/before" >/dev/null 2>&1 || expect_rc=$?
[ "$expect_rc" -ne 0 ] || fail "one argument accepted"
echo "$OUT"
