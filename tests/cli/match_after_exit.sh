#!/usr/bin/env bash
# match_after_exit.sh — the fund never invests alone, also after the
# counterpart left (issue 12 item 8, its local half): inv contributes
# 2,000,000 to robotics asking `industrial` to match, then exits 2,000,000;
# the fund's node, which holds the exit, refuses to sign a match of that
# contribution (before: `match --auto 2000000` was accepted and the fund
# held 100% of the project). A partial exit leaves exactly what is still
# held matchable: to the fen, on both sides.
source "$(dirname "$0")/lib.sh"

network fund:fund inv:investor
cf inv contribute --project robotics --round A --amount 2,000,000 --program industrial >/dev/null
cf inv exit --project robotics --amount 2,000,000 >/dev/null
carry inv fund
snapshot fund "$T/before"
expect_exit 1 fund match --program industrial --project robotics --round A --auto 2,000,000
expect_in "$OUT" "the match stands on 2,000,000.00 of inv's capital in project robotics, but inv holds 0.00 there now"
expect_in "$OUT" "the fund never invests alone"
expect_exit 1 fund match --program industrial --project robotics --round A --cite inv:0=0.01
snapshot fund "$T/after"
same_file "$T/before" "$T/after" "the fund's home after the refused matches"

# A partial exit: 500,000 still held, so up to 500,000 (1:1) can be matched.
cf inv contribute --project robotics --round B --amount 2,000,000 --program industrial >/dev/null
cf inv exit --project robotics --amount 1,500,000 >/dev/null
carry inv fund
expect_exit 1 fund match --program industrial --project robotics --round B --cite inv:2=500,000.01
expect_in "$OUT" "the match stands on 500,000.01 of inv's capital in project robotics, but inv holds 500,000.00 there now"
expect_exit 0 fund match --program industrial --project robotics --round B --cite inv:2=500,000
expect_in "$(cf fund positions --format csv)" "^robotics,fund,fund,500000.00,"
echo ok
