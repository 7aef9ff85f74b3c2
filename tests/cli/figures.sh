#!/usr/bin/env bash
# figures.sh — program status and match --auto tell the truth (issue 14,
# "Figures that mislead"): a partly matched contribution still awaits the
# rest; --year prints the year's figures only; the fund's exits are
# attributed to its programs (exited, outstanding); match --auto plans within
# every limit the rules check (R-MATCH.4, R-MATCH.6, R-CAP, R-BUDGET), names
# the one that bound it, and a plan short of what was asked is refused on
# stderr; the status shows the headroom left. Each check failed before.
source "$(dirname "$0")/lib.sh"

network fund:fund inv:investor inv2:investor team:team
cf city program add capped --kind match --counterpart investor --ratio 1:1 \
    --project-cap 300,000 --annual-budget 500,000 >/dev/null

# ---- --year: everything for that year ------------------------------------------------
cf city program add hist --kind match --counterpart team --start 2025-01-01 >/dev/null
carry city fund team inv inv2
cf team contribute --project sensors --round seed --amount 100,000 --program hist --time 2025-11-01 >/dev/null
cf team contribute --project sensors --round s2 --amount 50,000 --program hist --time 2026-01-10 >/dev/null
carry team fund
cf fund match --program hist --project sensors --round seed --auto 100,000 --time 2025-11-02 >/dev/null
cf fund match --program hist --project sensors --round s2 --auto 50,000 --time 2026-01-11 >/dev/null
Y=$(cf fund program status hist --year 2026)
expect_in "$Y" "^figures for 2026 only"
expect_in "$Y" "^deployed  *50,000.00$"
expect_in "$Y" "^counterpart matched  *50,000.00$"
expect_in "$Y" "^sensors (Sensor Startup)  *50,000.00 "
grep -q "^2025 " <<<"$Y" && fail "--year 2026 lists 2025: $Y"
Y=$(cf fund program status hist --year 2025 --format json)
expect_in "$Y" '"deployed": "100000.00"'
grep -q '"deployed": "150000.00"' <<<"$Y" && fail "--year 2025 counts 2026: $Y"
expect_in "$(cf fund program status hist --format json)" '"deployed": "150000.00"'

# ---- awaiting counts partial matches ----------------------------------------------
cf inv contribute --project robotics --round A --amount 1,000,000 --program industrial >/dev/null
carry inv fund
cf fund match --program industrial --project robotics --round A --cite inv:0=400,000 >/dev/null
S=$(cf fund program status industrial)
expect_in "$S" "^awaiting a match  *600,000.00 "
expect_in "$S" "^  matchable now  *600,000.00 "
expect_in "$(cf fund program status industrial --format json)" '"awaiting_match": "600000.00"'
D=$(cf fund match --program industrial --project robotics --round A --auto 600,000 --dry-run)
expect_in "$D" "allocate 600,000.00"
expect_in "$D" "bound by the amount asked"
# One fen more than awaits: refused, on stderr, naming what bound it.
rc=0
cf fund match --program industrial --project robotics --round A --auto 600,000.01 --dry-run \
    >"$T/out" 2>"$T/err" || rc=$?
[ "$rc" = 1 ] || fail "--auto over what awaits exited $rc"
[ ! -s "$T/out" ] || fail "a refused plan went to stdout: $(cat "$T/out")"
expect_in "$(cat "$T/err")" "at most 600,000.00 can be matched now in robotics round A, bound by R-MATCH.4"

# ---- the cap and the budget bound the plan ------------------------------------------
cf inv contribute --project robotics --round B --amount 1,000,000 --program capped >/dev/null
cf inv2 contribute --project sensors --round A --amount 1,000,000 --program capped >/dev/null
carry inv fund
carry inv2 fund
rc=0
cf fund match --program capped --project robotics --round B --auto 400,000 >"$T/out" 2>"$T/err" || rc=$?
[ "$rc" = 1 ] && [ ! -s "$T/out" ] || fail "--auto 400,000 on a 300,000 cap: exit $rc, stdout $(cat "$T/out")"
expect_in "$(cat "$T/err")" "at most 300,000.00 can be matched now in robotics round B, bound by R-CAP"
expect_in "$(cat "$T/err")" "cap left in robotics 300,000.00 (R-CAP)"
[ "$(feed_size fund fund)" = 3 ] || fail "a refused plan was appended"
cf fund match --program capped --project robotics --round B --auto 300,000 >"$T/out"
expect_in "$(cat "$T/out")" "match appended as fund#3"
expect_in "$(cat "$T/out")" "cap left in robotics 300,000.00"
# 300,000 of the 500,000 budget spent: 200,000 left this year.
S=$(cf fund program status capped)
expect_in "$S" "^budget left for $(date +%Y)  *200,000.00"
expect_in "$S" "^robotics (Robotics Co.)  *300,000.00  *0.00  *300,000.00  *100.00%  *0.00 "
rc=0
cf fund match --program capped --project sensors --round A --auto 300,000 >"$T/out" 2>"$T/err" || rc=$?
[ "$rc" = 1 ] && [ ! -s "$T/out" ] || fail "--auto 300,000 with 200,000 of budget: exit $rc"
expect_in "$(cat "$T/err")" "at most 200,000.00 can be matched now in sensors round A, bound by R-BUDGET"
cf fund match --program capped --project sensors --round A --auto 200,000 >/dev/null

# ---- R-MATCH.6: a counterpart that exited bounds the plan -----------------------------
cf inv exit --project robotics --amount 1,500,000 >/dev/null # holds 500,000 of its 2,000,000
carry inv fund
# The program allocated 400,000 against inv in robotics: 100,000 more stands on what it holds.
rc=0
cf fund match --program industrial --project robotics --round A --auto 200,000 --dry-run \
    >"$T/out" 2>"$T/err" || rc=$?
[ "$rc" = 1 ] || fail "--auto past what the counterpart holds exited $rc"
expect_in "$(cat "$T/err")" "at most 100,000.00 can be matched now in robotics round A, bound by R-MATCH.6"
S=$(cf fund program status industrial)
expect_in "$S" "^awaiting a match  *600,000.00 "
expect_in "$S" "^  matchable now  *100,000.00 "
cf fund match --program industrial --project robotics --round A --auto 100,000 >/dev/null

# ---- exits are attributed to the fund's programs --------------------------------------
# The fund holds 500,000 (industrial) + 300,000 (capped) in robotics; it exits 400,000:
# 250,000 from industrial's part, 150,000 from capped's.
cf fund exit --project robotics --amount 400,000 >/dev/null
S=$(cf fund program status industrial)
expect_in "$S" "^deployed  *500,000.00"
expect_in "$S" "^exited  *250,000.00"
expect_in "$S" "^outstanding  *250,000.00"
expect_in "$S" "^robotics (Robotics Co.)  *500,000.00  *250,000.00  *250,000.00 "
C=$(cf fund program status capped --format json)
expect_in "$C" '"exited": "150000.00"'
expect_in "$C" '"outstanding": "350000.00"' # 150,000 outstanding in robotics + 200,000 in sensors
expect_in "$C" '"cap_left": "0.00"'
expect_in "$C" '"budget_left": "0.00"'


# ---- the log table: the type once, times with their offset, amounts in a column ----
cf inv contribute --project sensors --round big --amount 10,000,000,000,000 --yes >/dev/null
L=$(cf inv log inv)
grep -q "contribution contribution" <<<"$L" && fail "the log repeats the type: $L"
expect_in "$L" "^INDEX  TIME  *TYPE  *AMOUNT (yuan)  WHAT$"
expect_in "$L" "^    0  [0-9: -]*+08:00  contribution  *1,000,000.00  to robotics (Robotics Co.) round A for program industrial$"
expect_in "$L" "^    3  [0-9: -]*+08:00  contribution  10,000,000,000,000.00  to sensors (Sensor Startup) round big$"
expect_in "$L" "^    2  [0-9: -]*+08:00  exit  *1,500,000.00  from robotics"
# Every amount ends in the same column, however large.
[ "$(grep -E '^ +[0-9]+ ' <<<"$L" | awk '{print index($0, $6) + length($6)}' | sort -u | wc -l)" = 1 ] ||
    fail "the amounts are not aligned: $L"
echo ok
