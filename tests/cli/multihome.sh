#!/usr/bin/env bash
# multihome.sh — five participants, each in its own home, reach the same
# state by exchanging bundles (some only second- or third-hand), and all of
# them catch the same rule violation in a feed whose author signed it.
#
#   city    governance          fund    operates industrial and incubation
#   inv-a   investor            inv-b   investor        team-x  incubation team
source "$(dirname "$0")/lib.sh"

HOMES=(city fund inv-a inv-b team-x)
network fund:fund inv-a:investor inv-b:investor team-x:team

# ---- business, and a relay: inv-a -> inv-b -> team-x -> fund -------------
cf inv-a contribute --project robotics --round A --amount 5,000,000 --program industrial >/dev/null
cf inv-b contribute --project robotics --round A --amount 3,000,000 --program industrial >/dev/null
cf team-x contribute --project sensors --round seed --amount 40万 --program incubation >/dev/null
carry inv-a inv-b
carry inv-b team-x
carry team-x fund # the fund learns inv-a's contribution third-hand
[ "$(feed_size fund inv-a)" = 1 ] || fail "inv-a's contribution did not reach the fund through two relays"
cf fund match --program industrial --project robotics --round A --auto 8,000,000 >/dev/null
cf fund match --program incubation --project sensors --round seed --auto 300000 >/dev/null
carry fund inv-b
cf inv-b exit --project robotics --amount 1,000,000 >/dev/null

# ---- everyone converges through the governance's home ---------------------
carry fund city
carry inv-b city
carry city fund inv-a inv-b team-x

compare_all() { # compare_all TAG — every home shows the same state
    local h f
    for h in "${HOMES[@]}"; do
        mkdir -p "$T/$1/$h"
        cf "$h" positions --format csv >"$T/$1/$h/positions.csv"
        cf "$h" positions --format json >"$T/$1/$h/positions.json"
        cf "$h" positions >"$T/$1/$h/positions.txt"
        cf "$h" program status industrial --format json >"$T/$1/$h/industrial.json"
        cf "$h" program status incubation --format json >"$T/$1/$h/incubation.json"
        cf "$h" program status incubation --format csv >"$T/$1/$h/incubation.csv"
        cf "$h" members >"$T/$1/$h/members.txt"
        cf "$h" members --format json >"$T/$1/$h/members.json"
        cf "$h" violations --format json >"$T/$1/$h/violations.json"
        for f in "${HOMES[@]}"; do cf "$h" log "$f" --format csv >"$T/$1/$h/log-$f.csv"; done
        cf "$h" verify >/dev/null || fail "verify failed at $h"
    done
    for h in "${HOMES[@]:1}"; do
        for f in "$T/$1/city"/*; do
            same_file "$f" "$T/$1/$h/${f##*/}" "$1: ${f##*/} at city and at $h"
        done
    done
}
compare_all converged

# The numbers themselves: 5M + 3M matched 1:1 (8M), inv-b exited 1M; the
# incubation match stopped at the 300,000 cap.
P=$(cat "$T/converged/city/positions.csv")
expect_in "$P" "^equity,robotics,inv-a,[0-9a-f]*,investor,[0-9.]*,[0-9.]*,5000000.00,"
expect_in "$P" "^equity,robotics,inv-b,[0-9a-f]*,investor,[0-9.]*,[0-9.]*,2000000.00,"
expect_in "$P" "^equity,robotics,fund,[0-9a-f]*,fund,[0-9.]*,[0-9.]*,8000000.00,"
expect_in "$P" "^equity,sensors,team-x,[0-9a-f]*,team,[0-9.]*,[0-9.]*,400000.00,"
expect_in "$P" "^equity,sensors,fund,[0-9a-f]*,fund,[0-9.]*,[0-9.]*,300000.00,"
expect_in "$(cat "$T/converged/city/industrial.json")" '"deployed": "8000000.00"'
expect_in "$(cat "$T/converged/city/incubation.json")" '"deployed": "300000.00"'
for h in "${HOMES[@]}"; do expect_in "$(cat "$T/converged/$h/members.txt")" "team-x"; done

# ---- a violation signed under a valid checkpoint --------------------------
# inv-a puts in 2,000,000 more (round B); the fund knows it. Then the fund's
# node is dishonest: it appends, bypassing the rules, a match of 1,000,000
# against inv-a#0 — already matched in full, so over the 1:1 ratio
# (R-MATCH.4) — and after it a match of inv-a#1 that would be valid alone.
cf inv-a contribute --project robotics --round B --amount 2,000,000 --program industrial >/dev/null
carry inv-a fund city inv-b team-x
leaf_of() { cf city show "$1" --format json | grep -o '"leaf": "[0-9a-f]*"' | head -1 | cut -d'"' -f4; }
KA=$(key_of inv-a)
forge encode "$T/fund" match "$T/bad.cbor" --program industrial --project robotics --round A \
    --cite "$KA:0:$(leaf_of inv-a:0):100000000" || fail "forge encode"
forge append "$T/fund" "$T/bad.cbor" >/dev/null || fail "forge append"
forge encode "$T/fund" match "$T/next.cbor" --program industrial --project robotics --round B \
    --cite "$KA:1:$(leaf_of inv-a:1):200000000" || fail "forge encode"
forge append "$T/fund" "$T/next.cbor" >/dev/null || fail "forge append"
BAD=$(($(feed_size fund fund) - 2))
for h in "${HOMES[@]}"; do cf "$h" positions --format csv >"$T/$h.before.csv"; done

cf fund export --out "$T/fund.bundle" >/dev/null
for h in city inv-a inv-b team-x; do
    expect_exit 1 "$h" import "$T/fund.bundle"
    expect_in "$OUT" "violation held"
    expect_in "$OUT" "#$BAD: rejected by R-MATCH.4"
    expect_in "$OUT" "1 new violation"
done
# The fund's own node meets its entry at its next drain (any import).
expect_exit 1 fund import "$T/city.bundle"
expect_in "$OUT" "R-MATCH.4"
# Its own feed now refuses honest appends: what it signed is held.
expect_exit 1 fund match --program industrial --project robotics --round B --auto 100
expect_in "$OUT" "not applied"
# Held again is not news: a second import of the same bundle says nothing new.
expect_exit 0 inv-a import "$T/fund.bundle"

compare_all violated
V=$(cat "$T/violated/city/violations.json")
expect_in "$V" '"rule": "R-MATCH.4"'
expect_in "$V" "\"index\": $BAD"
[ "$(grep -c '"rule"' <<<"$V")" = 1 ] || fail "one violation expected: $V"
L=$(cat "$T/violated/city/log-fund.csv")
# time,member,feed,index,…,applied,disputed,note,leaf
expect_in "$L" "^[^,]*,fund,[0-9a-f]*,$BAD,.*,false,false,not applied,[0-9a-f]*$"
expect_in "$L" "^[^,]*,fund,[0-9a-f]*,$((BAD + 1)),.*,false,false,not applied,[0-9a-f]*$" # the rest of the feed is held
for h in "${HOMES[@]}"; do same_file "$T/$h.before.csv" "$T/violated/$h/positions.csv" "positions at $h"; done
echo ok
