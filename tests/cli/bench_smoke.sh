#!/usr/bin/env bash
# bench_smoke.sh — cofund-bench (tests/bench, docs/performance.md) runs only on
# demand; this runs it once over a tiny history so that it cannot break unseen:
# figures 1, 2, 1b, 3, 1c and 6 print their rows, each append's ceiling (the
# same batches with the rules taken out) under its own, beside issue 16's goals,
# and the bench leaves nothing behind. No figure is judged: a time in a test
# would be a time limit.
source "$(dirname "$0")/lib.sh"
: "${COFUND_BENCH:?COFUND_BENCH must point at cofund-bench}"

OUT=$("$COFUND_BENCH" --figures 1,3,6 --entries 5000 --reps 1 --singles 1 --seed 3 \
    --dir "$T" 2>&1) || fail "cofund-bench failed: $OUT"
TABLE=$(sed -n '/^== results/,$p' <<<"$OUT")
[ -n "$TABLE" ] || fail "no results table in: $OUT"

# row PREFIX GOAL — one row of the results table starts with PREFIX and
# carries GOAL ('' for none) in its goal column.
row() {
    local line
    line=$(grep -F "| $1" <<<"$TABLE" | head -n 1)
    [ -n "$line" ] || fail "no row \"$1\" in: $TABLE"
    local goal
    goal=$(awk -F'|' '{gsub(/^ +| +$/, "", $6); print $6}' <<<"$line")
    [ "$goal" = "$2" ] || fail "row \"$1\": goal \"$goal\", wanted \"$2\""
}
row "1. appends/s, batch 1, durable singles" ">= 0.8x baseline"
row "1. rules taken out (bypass), batch 1: the ceiling" ""
row "1. appends/s, batch 100 " ""
row "1. rules taken out (bypass), batch 100: the ceiling" ""
row "1. appends/s, batch 1000 " ">= 0.5x baseline"
row "1. rules taken out (bypass), batch 1000: the ceiling" ""
row "2. rules per entry (alone, memkv state)" ""
row "2. the same, latest points only (the audit's state)" ""
row "1b. appends/s, batch 10,000" ">= 0.5x baseline"
row "1b. rules taken out (bypass), the same batches: the ceiling" ""
row "3. import of a " ">= 0.4x baseline"
row "1c. match appends/s, batch 10,000" ">= 0.4x baseline"
row "1c. rules taken out (bypass), the same batches: the ceiling" ""
row "6. audit of a 5000-entry bundle (2 threads)" ">= 0.5x baseline"

# Each ceiling directly under the figure it bounds.
grep -A1 -F "| 1c. match appends/s" <<<"$TABLE" | tail -n 1 | grep -qF "| 1c. rules taken out" ||
    fail "1c's ceiling is not under its row: $TABLE"
grep -A1 -F "| 1. appends/s, batch 1, durable" <<<"$TABLE" | tail -n 1 |
    grep -qF "| 1. rules taken out (bypass), batch 1:" || fail "the singles' ceiling is not under them: $TABLE"

[ -z "$(ls -A "$T")" ] || fail "the bench left files behind: $(ls -A "$T")"
echo "$TABLE"
