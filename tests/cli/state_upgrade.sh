#!/usr/bin/env bash
# state_upgrade.sh — a home whose ledger state an older cofund wrote (state
# version 1: without R-MATCH.6's holding records) is rebuilt from its stored
# feeds when it is next opened, before anything reads it. Without the
# rebuild the fund's next match would read "inv held 0.00" and be refused
# although inv holds its contribution.
#
# A query opens a home read-only; layout 7 changed the match queue's keys,
# so a query that read an older home's queue said "store corrupted" (exit
# 1). Now the state is rebuilt first, through a store opened for writing,
# and a home that cannot be written is refused with the reason.
source "$(dirname "$0")/lib.sh"

network fund:fund inv:investor
cf inv contribute --project robotics --round A --amount 1,000,000 --program industrial >/dev/null
carry inv fund
want=$(cf fund unmatched --program industrial --format csv)
expect_in "$want" "^industrial,robotics,A,"
cp -a "$T/fund" "$T/fund-copy"

# A read-only copy cannot be rebuilt: refused, naming why (needs chattr).
forge old-state "$T/fund-copy" >/dev/null
if chattr +i "$T/fund-copy/store/data.mdb" 2>/dev/null; then
    trap 'chattr -i "$T/fund-copy/store/data.mdb" 2>/dev/null' EXIT
    expect_exit 4 fund-copy unmatched --program industrial
    expect_in "$OUT" "written by an older cofund and must be rebuilt, which needs the home to be writable"
    chattr -i "$T/fund-copy/store/data.mdb"
else
    echo "skipped the read-only copy: chattr +i is not permitted here"
fi
# A query is the first command after the upgrade: same answer as before.
expect_exit 0 fund-copy unmatched --program industrial --format csv
[ "$OUT" = "$want" ] || fail "unmatched after the rebuild differs: $OUT"

forge old-state "$T/fund" >/dev/null
expect_exit 0 fund match --program industrial --project robotics --round A --auto 1,000,000
cf fund verify >/dev/null || fail "verify after the upgrade"
expect_in "$(cf fund positions --project robotics --format csv)" "^equity,robotics,fund,[0-9a-f]*,fund,[0-9.]*,[0-9.]*,1000000.00,"
echo ok
