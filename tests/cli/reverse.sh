#!/usr/bin/env bash
# reverse.sh — mistakes corrected on the record (issue 13, R-REVERSE): team-x
# mistypes a contribution by a few zeros; the fund matches a real one; the
# reversal of a contribution a match stands on is refused until that match is
# reversed, then accepted; every total moves back exactly; log and show list
# both entries, linked; homes that learn the feeds in another order and the
# offline audit agree.
source "$(dirname "$0")/lib.sh"
source "$(dirname "$0")/audit_lib.sh"

network fund:fund inv:investor
KFUND=$(key_of fund)
totals() { # the figures a reversal must bring back, as CSV
    cf "$1" positions --format csv
    cf "$1" program status industrial --format csv
}
carry inv fund city
totals fund >"$T/start"

# ---- a mistyped contribution, reversed: nothing ever stood on it ----------------
# The sanity bound (1,000,000,000.00, a local check) stops the typo first;
# --dry-run shows the entry and the rules' verdict and writes nothing.
snapshot inv "$T/inv-before"
expect_exit 2 inv contribute --project robotics --round A --amount 10000000000000.00 --program industrial
expect_in "$OUT" "contribution of 10,000,000,000,000.00 is above the sanity bound of 1,000,000,000.00: a few zeros too many? Give --yes if it is meant"
expect_exit 0 inv contribute --project robotics --round A --amount 10000000000000.00 --program industrial --dry-run --yes
expect_in "$OUT" "^dry run: contribution 10,000,000,000,000.00 .* would be appended as inv#0; the rules accept it; nothing was written"
expect_in "$OUT" "body.amount *10,000,000,000,000.00"
expect_exit 1 inv exit --project robotics --amount 1 --dry-run
expect_in "$OUT" "rejected by R-EXIT"
snapshot inv "$T/inv-after"
same_file "$T/inv-before" "$T/inv-after" "inv's home after the dry runs and the refusal"
expect_exit 0 inv contribute --project robotics --round A --amount 10000000000000.00 --program industrial --yes
expect_exit 0 inv reverse inv:0 --reason "typo: 1,000,000 was meant"
expect_in "$OUT" "reversal of contribution inv#0 (10,000,000,000,000.00 yuan) appended as inv#1"
# Once only (R-REVERSE.2); a reversal is not reversed (R-REVERSE.1); only the
# author reverses (checked by the CLI and by the rules).
expect_exit 1 inv reverse inv:0 --reason again
expect_in "$OUT" "rejected by R-REVERSE.2: inv#0 was already reversed by inv#1"
expect_exit 1 inv reverse inv:1 --reason undo
expect_in "$OUT" "rejected by R-REVERSE.1: inv#1 is a reversal: a reversal is not reversed"
expect_exit 2 fund reverse inv:0 --reason theirs
expect_in "$OUT" "only an entry's own author reverses it"
carry inv fund city
same_file "$T/start" <(totals fund) "totals after the typo's reversal"
expect_in "$(cf fund log inv)" "reversed by inv#1"
expect_in "$(cf fund log inv)" "  reversal  *of inv#0 (10,000,000,000,000.00): typo: 1,000,000 was meant"
expect_in "$(cf fund show inv:0 --format json)" '"reversed_by"'
# A match cannot cite it (R-REVERSE.4), and match --auto never offers it.
expect_exit 1 fund match --program industrial --project robotics --round A --auto 100 --dry-run
expect_in "$OUT" "at most 0.00 can be matched"
expect_exit 1 fund match --program industrial --project robotics --round A --cite inv:0=100
expect_in "$OUT" "rejected by R-REVERSE.4: contribution inv#0 was reversed by inv#1"

# ---- a contribution a match stands on -------------------------------------------
cf inv contribute --project robotics --round A --amount 1,000,000 --program industrial >/dev/null
carry inv fund city
totals fund >"$T/before-c2"
cf fund match --program industrial --project robotics --round A --cite inv:2=600,000 >/dev/null
cf fund match --program industrial --project robotics --round A --cite inv:2=400,000 >/dev/null
carry fund inv city
expect_exit 1 inv reverse inv:2 --reason "never paid in"
expect_in "$OUT" "rejected by R-REVERSE.3: contribution inv#2 stands under program industrial's matches (1,000,000.00 allocated from it, the last by fund#1): fund reverses those matches first"
# The fund reverses one match: still refused (400,000 stands), the totals
# show what is left.
expect_exit 0 fund reverse fund:0 --reason "contribution never paid in"
carry fund inv
expect_exit 1 inv reverse inv:2 --reason "never paid in"
expect_in "$OUT" "(400,000.00 allocated from it, the last by fund#1)"
expect_in "$(cf fund positions --format csv)" "^equity,robotics,fund,[0-9a-f]*,fund,[0-9.]*,[0-9.]*,400000.00,"
# A fund that exited cannot reverse the match the exit stands on.
cf fund exit --project robotics --amount 100,000 >/dev/null
expect_exit 1 fund reverse fund:1 --reason "contribution never paid in"
expect_in "$OUT" "rejected by R-REVERSE.3: reversing fund#1 takes 400,000.00 out of fund's position 300,000.00 in project robotics: an exit stands on it; reverse the exit first"
expect_exit 0 fund reverse fund:3 --reason "exit entered by mistake"
expect_exit 0 fund reverse fund:1 --reason "contribution never paid in"
carry fund inv city
# Now nothing stands on inv#2: its reversal is accepted.
expect_exit 0 inv reverse inv:2 --reason "never paid in"
carry inv fund city
same_file "$T/start" <(totals fund) "totals after every reversal"
same_file "$T/start" <(totals city) "the city's totals after every reversal"
# The budget of the match is free again: a new match of the whole 1:1.
cf inv contribute --project robotics --round A --amount 1,000,000 --program industrial >/dev/null
carry inv fund
expect_exit 0 fund match --program industrial --project robotics --round A --cite inv:4=1,000,000
carry fund city inv
expect_in "$(cf city positions --format csv)" "^equity,robotics,fund,[0-9a-f]*,fund,[0-9.]*,[0-9.]*,1000000.00,"
expect_in "$(cf city log fund)" "  reversal  *of fund#0 (600,000.00): contribution never paid in"

# ---- the sanity bound at the limit and one fen over ------------------------------
expect_exit 2 fund exit --project robotics --amount 1,000,000,000.01
expect_in "$OUT" "exit of 1,000,000,000.01 is above the sanity bound of 1,000,000,000.00"
cf inv contribute --project sensors --round A --amount 1,000,000,000.00 >/dev/null ||
    fail "a contribution at the sanity bound needs no --yes"
expect_exit 0 inv reverse inv:5 --reason "a test of the bound"

# ---- any arrival order, and the audit --------------------------------------------
cf late init --name late >/dev/null
cf late join "$T/city.bundle" >/dev/null
cf inv export --out "$T/inv-last.bundle" >/dev/null
cf fund export --out "$T/fund-first.bundle" >/dev/null
cf late import "$T/fund-first.bundle" >/dev/null 2>&1 || true # waits for inv's feed
cf late import "$T/inv-last.bundle" >/dev/null
same_file <(totals city) <(totals late) "a home that learned the fund's feed first"
cf city export --out "$T/net.bundle" >/dev/null
expect_audit 0 "$T/net.bundle"
expect_in "$OUT" "^result: ok"
echo ok
