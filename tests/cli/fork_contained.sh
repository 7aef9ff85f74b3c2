#!/usr/bin/env bash
# fork_contained.sh — one member copying its home must not stop anyone else
# (docs/rules.md R-FORK). inv contributes twice and the fund matches both;
# then inv's home is copied with its key (a restored backup, a cloned VM)
# and each copy appends a different entry at index 2. Every home that learns
# both histories — in any order — keeps inv#0 and inv#1 and both matches
# applied, applies neither entry at index 2, and ends with the same positions
# and program status. A match that cites inv at or past the fork point is
# applied as disputed, never held, and the fund goes on appending at once.
source "$(dirname "$0")/lib.sh"

network fund:fund inv:investor a1:auditor a2:auditor a3:auditor a4:auditor
cf inv contribute --project robotics --round A --amount 1,000,000 --program industrial >/dev/null
cf inv contribute --project robotics --round B --amount 500,000 --program industrial >/dev/null
carry inv fund
cf fund match --program industrial --project robotics --round A --auto 1,000,000 >/dev/null
cf fund match --program industrial --project robotics --round B --auto 500,000 >/dev/null
carry fund a1 a2 a3 a4

cp -a "$T/inv" "$T/inv2" # same key, same history so far
cf inv contribute --project robotics --round A --amount 7 --program industrial >/dev/null
cf inv2 contribute --project robotics --round A --amount 8 --program industrial >/dev/null
cf inv export --out "$T/inv.bundle" >/dev/null
cf inv2 export --out "$T/inv2.bundle" >/dev/null

# The fund learns inv's branch first and matches its new contribution (#2):
# that match cites the feed where it will turn out to fork.
expect_exit 0 fund import "$T/inv.bundle"
cf fund match --program industrial --project robotics --round A --cite inv:2=7 >/dev/null ||
    fail "match of inv#2 before the fork is known"
expect_exit 1 fund import "$T/inv2.bundle"
expect_in "$OUT" "1 new fork"
F=$(cf fund forks --format json)
expect_in "$F" '"point": 2'
expect_in "$(cf fund forks)" "^FORK inv .* at entry 2: entries below 2 stand"

# inv#0, inv#1 and the two matches of them stand; the match of inv#2 is
# applied as disputed: counted for the fund's position and the program's
# deployment, not as counterpart capital.
P=$(cf fund positions --project robotics --format csv)
expect_in "$P" "^equity,robotics,inv,[0-9a-f]*,investor,[0-9.]*,[0-9.]*,1500000.00,"
expect_in "$P" "^equity,robotics,fund,[0-9a-f]*,fund,[0-9.]*,[0-9.]*,1500007.00,"
S=$(cf fund program status industrial --format json)
expect_in "$S" '"counterpart": "1500000.00"'
expect_in "$S" '"disputed": "7.00"'
expect_in "$(cf fund program status industrial)" "^disputed  *7.00  (of deployed: matches citing inv's feed from entry 2)"
expect_in "$(cf fund log fund)" "disputed"

# The fund is not frozen: it appends at once.
expect_exit 0 fund exit --project robotics --amount 100,000
cf fund export --out "$T/fund.bundle" >/dev/null

# Four homes learn the histories and the fund's feed in different orders.
order() { # order HOME BUNDLE...
    local h=$1 b
    shift
    for b in "$@"; do cf "$h" import "$T/$b.bundle" >/dev/null || true; done
}
order a1 inv inv2 fund
order a2 inv2 inv fund
order a3 fund inv inv2
order a4 fund inv2 inv
for h in fund a1 a2 a3 a4; do
    cf "$h" positions --format csv >"$T/$h.positions"
    cf "$h" program status industrial --format json >"$T/$h.status"
    expect_in "$(cf "$h" forks --format json)" '"point": 2'
    cf "$h" verify >/dev/null || fail "verify at $h"
done
for h in a1 a2 a3 a4; do
    same_file "$T/fund.positions" "$T/$h.positions" "positions at $h"
    same_file "$T/fund.status" "$T/$h.status" "program status at $h"
done
expect_in "$(cat "$T/a1.positions")" "^equity,robotics,fund,[0-9a-f]*,fund,[0-9.]*,[0-9.]*,1400007.00,"

# The offline audit of any of them agrees.
cf a3 export --out "$T/a3.bundle" >/dev/null
cf a3 audit "$T/a3.bundle" >"$T/audit.out" 2>&1 && rc=0 || rc=$?
[ "$rc" = 1 ] || { cat "$T/audit.out"; fail "audit of a forked network exited $rc, not 1"; }
expect_in "$(cat "$T/audit.out")" "^FORK feed inv .* at entry 2"
grep -q "NOT CHECKED fund" "$T/audit.out" && { cat "$T/audit.out"; fail "the audit holds the fund's feed"; }
expect_in "$(cat "$T/audit.out")" "^deployed  *1,500,007.00$"
expect_in "$(cat "$T/audit.out")" "^disputed  *7.00  (of deployed: matches citing inv's feed from entry 2)"
echo ok
