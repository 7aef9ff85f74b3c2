#!/usr/bin/env bash
# match_after_exit.sh — the fund never invests alone, also after the
# counterpart left (issue 12 item 8): inv contributes 2,000,000 to robotics
# asking `industrial` to match, then exits 2,000,000. The fund's node states
# how far it read inv's feed (R-MATCH.6's read point: all of it) and refuses
# the match (before: `match --auto 2000000` was accepted and the fund held
# 100% of the project). A partial exit leaves exactly what is still held
# matchable: to the fen, on both sides.
#
# Then a fund whose node is patched around the rules (tests/tools/forge.c):
# a match stating a read point before the exit is accepted by every replica
# alike — the rule cannot know what the author had read — and the offline
# audit names it ("MATCH AFTER EXIT", exit 1); a match stating a read point
# after the exit is refused by every replica (R-MATCH.6).
source "$(dirname "$0")/lib.sh"
source "$(dirname "$0")/audit_lib.sh"

network fund:fund inv:investor
cf inv contribute --project robotics --round A --amount 2,000,000 --program industrial >/dev/null
cf inv exit --project robotics --amount 2,000,000 >/dev/null
carry inv fund
snapshot fund "$T/before"
# --auto plans within R-MATCH.6: nothing can be planned, and it says why.
expect_exit 1 fund match --program industrial --project robotics --round A --auto 2,000,000
expect_in "$OUT" "at most 0.00 can be matched now in robotics round A, bound by R-MATCH.6"
# The rules refuse the same citation given by hand.
expect_exit 1 fund match --program industrial --project robotics --round A --cite inv:0=2,000,000
expect_in "$OUT" "rejected by R-MATCH.6: program industrial's matches would stand on 2,000,000.00 of inv's capital in project robotics (1:1, allocated 2,000,000.00, 0.00 before this match), but inv held 0.00 there as of the match's read point (inv#1)"
expect_in "$OUT" "the fund never invests alone"
expect_exit 1 fund match --program industrial --project robotics --round A --cite inv:0=0.01
expect_in "$OUT" "R-MATCH.6"
snapshot fund "$T/after"
same_file "$T/before" "$T/after" "the fund's home after the refused matches"

# A partial exit: 500,000 still held, so up to 500,000 (1:1) can be matched.
cf inv contribute --project robotics --round B --amount 2,000,000 --program industrial >/dev/null
cf inv exit --project robotics --amount 1,500,000 >/dev/null
carry inv fund
expect_exit 1 fund match --program industrial --project robotics --round B --cite inv:2=500,000.01
expect_in "$OUT" "would stand on 500,000.01 of inv's capital in project robotics (1:1, allocated 500,000.01, 0.00 before this match), but inv held 500,000.00 there as of the match's read point (inv#3)"
expect_exit 0 fund match --program industrial --project robotics --round B --cite inv:2=500,000
expect_in "$(cf fund positions --format csv)" "^equity,robotics,fund,[0-9a-f]*,fund,[0-9.]*,[0-9.]*,500000.00,"
# The match states its read point: inv's 4 entries.
expect_in "$(cf fund show "fund:$(($(feed_size fund fund) - 1))" --format json)" '"read": 4'
carry fund city inv

# ---- a fund patched around the rules ---------------------------------------------
# inv contributes 1,000,000 to sensors (inv#4) and exits it all (inv#5).
cf inv contribute --project sensors --round A --amount 1,000,000 --program industrial >/dev/null
cf inv exit --project sensors --amount 1,000,000 >/dev/null
carry inv fund city
KINV=$(key_of inv)
LEAF=$(cf city show inv:4 --format json | grep -o '"leaf": "[0-9a-f]*"' | head -1 | cut -d'"' -f4)
# fund#1 matches 500,000 of inv#4 stating it read inv's feed to entry 4 only
# (read point 5), before the exit it holds: every replica accepts it alike.
forge encode "$T/fund" match "$T/stale.cbor" --program industrial --project sensors --round A \
    --cite "$KINV:4:$LEAF:50000000:5" || fail "forge encode"
forge append "$T/fund" "$T/stale.cbor" >/dev/null || fail "forge append"
carry fund city inv
expect_in "$(cf city positions --format csv)" "^equity,sensors,fund,[0-9a-f]*,fund,[0-9.]*,[0-9.]*,500000.00,"
cf city export --out "$T/stale.bundle" >/dev/null
expect_audit 1 "$T/stale.bundle"
expect_in "$OUT" "^MATCH AFTER EXIT fund#1: program industrial's matches in project sensors stand on 500,000.00 of inv's capital, but as of the match (.*+08:00) inv held 0.00 there, having exited: the fund invested alone"
expect_in "$OUT" "^result: FAILED: match after exit: fund#1: "
expect_audit 1 "$T/stale.bundle" --format json
expect_in "$OUT" '"matches_after_exit":\[{"member":"fund"'

# fund#2 matches the other 500,000 stating what it read: the exit (read
# point 6). Every replica refuses it and holds the fund's feed there.
forge encode "$T/fund" match "$T/read.cbor" --program industrial --project sensors --round A \
    --cite "$KINV:4:$LEAF:50000000:6" || fail "forge encode"
forge append "$T/fund" "$T/read.cbor" >/dev/null || fail "forge append"
cf fund export --out "$T/fund.bundle" >/dev/null
for replica in city inv; do
    expect_exit 1 "$replica" import "$T/fund.bundle"
    expect_in "$(cf "$replica" violations)" "fund#2.*R-MATCH.6.*would stand on 1,000,000.00 of inv's capital in project sensors (1:1, allocated 1,000,000.00, 500,000.00 before this match), but inv held 0.00 there as of the match's read point (inv#5)"
done
echo ok
