#!/usr/bin/env bash
# rekey.sh — a member continues under a new key (docs/rules.md R-KEY).
# inv contributes twice and the fund matches both; inv's home is copied
# (a restored backup) and the two copies fork its feed at entry 2. The
# governance gives inv a new key: the old feed closes at what the city holds
# of it (2, the fork point), inv's new home contributes and is matched, and
# exits more than its new key ever put in — its position is the member's,
# under both keys. The old home can write nothing more. Homes that learn it
# all in different orders agree, and so does the offline audit.
source "$(dirname "$0")/lib.sh"

network fund:fund inv:investor b:investor a1:auditor a2:auditor
cf inv contribute --project robotics --round A --amount 1,000,000 --program industrial >/dev/null
cf inv contribute --project robotics --round B --amount 500,000 --program industrial >/dev/null
carry inv fund city
cf fund match --program industrial --project robotics --round A --auto 1,000,000 >/dev/null
cf fund match --program industrial --project robotics --round B --auto 500,000 >/dev/null
carry fund city

cp -a "$T/inv" "$T/inv2"
cf inv contribute --project robotics --round A --amount 7 --program industrial >/dev/null
cf inv2 contribute --project robotics --round A --amount 8 --program industrial >/dev/null
cf inv export --out "$T/inv.bundle" >/dev/null
cf inv2 export --out "$T/inv2.bundle" >/dev/null
cf city import "$T/inv.bundle" >/dev/null
expect_exit 1 city import "$T/inv2.bundle"

# R-KEY.1 on the refusing side: no such member, the governance itself, a key
# that is already a member's; a closing past what the city holds (local).
cf newinv init --name inv >/dev/null
NEW=$(key_of newinv)
expect_exit 1 city member rekey nobody --key "$NEW"
expect_in "$OUT" "member nobody is not registered"
expect_exit 1 city member rekey city --key "$NEW"
expect_in "$OUT" "R-KEY.1"
expect_exit 1 city member rekey inv --key "$(key_of fund)"
expect_in "$OUT" "R-UNIQ"
expect_exit 1 city member rekey inv --key "$NEW" --close 3
expect_in "$OUT" "holds 2 entries of inv's feed that count"
expect_exit 2 city member rekey inv --key 12

# The rekey: inv's feed closes at 2 (the fork point: what counts of it).
expect_exit 0 city member rekey inv --key "$NEW"
expect_in "$OUT" "member inv rekeyed at governance entry [0-9]*: its old key's entries 0..2 stand"
expect_exit 1 city member rekey inv --key "$NEW"
expect_in "$OUT" "R-UNIQ"
cf city export --out "$T/city.bundle" >/dev/null

# The new home joins and contributes; the fund matches it.
expect_exit 1 newinv join "$T/city.bundle" # it learns inv's fork from the city's proof
cf newinv import "$T/inv.bundle" >/dev/null 2>&1 || true
expect_exit 0 newinv contribute --project robotics --round C --amount 300,000 --program industrial
cf newinv export --out "$T/newinv.bundle" >/dev/null
expect_exit 1 fund import "$T/city.bundle" # the fork, from the city's proof
cf fund import "$T/newinv.bundle" >/dev/null
expect_exit 0 fund match --program industrial --project robotics --round C --auto 300,000
P=$(cf fund positions --project robotics --format csv)
expect_in "$P" "^equity,robotics,inv,[0-9a-f]*,investor,[0-9.]*,[0-9.]*,1800000.00,"
# R-EXIT reads the member's position: more than the new key ever put in.
# R-MATCH.6 reads the member's holding too: after an exit of 400,000 under
# the new key (more than it put in), the fund still matches its next
# contribution — the member holds 1,400,000 more than was matched against it.
expect_exit 0 newinv exit --project robotics --amount 400,000
expect_exit 0 newinv contribute --project robotics --round D --amount 100,000 --program industrial
cf newinv export --out "$T/newinv.bundle" >/dev/null
cf fund import "$T/newinv.bundle" >/dev/null
expect_exit 0 fund match --program industrial --project robotics --round D --auto 100,000
expect_exit 0 newinv exit --project robotics --amount 1,400,000
expect_exit 1 newinv exit --project robotics --amount 100,001
expect_in "$OUT" "R-EXIT"
cf newinv export --out "$T/newinv.bundle" >/dev/null
cf fund export --out "$T/fund.bundle" >/dev/null

# The old home learns the rekey and can write nothing more (R-KEY.2).
cf inv import "$T/city.bundle" >/dev/null 2>&1 || true
expect_exit 1 inv contribute --project robotics --round A --amount 9 --program industrial
expect_in "$OUT" "R-KEY.2: inv's key was replaced at index 2"

# Two auditors learn everything in different orders; the new key's entries
# wait for the old feed's entries that stand (R-KEY.3), then count.
for b in newinv fund inv2 inv city; do cf a1 import "$T/$b.bundle" >/dev/null 2>&1 || true; done
for b in city inv fund inv2 newinv; do cf a2 import "$T/$b.bundle" >/dev/null 2>&1 || true; done
cf fund import "$T/newinv.bundle" >/dev/null 2>&1 || true
for h in fund a1 a2; do
    cf "$h" positions --format csv >"$T/$h.positions"
    cf "$h" program status industrial --format json >"$T/$h.status"
    cf "$h" verify >/dev/null || fail "verify at $h"
done
expect_in "$(cat "$T/fund.positions")" "^equity,robotics,inv,[0-9a-f]*,investor,[0-9.]*,[0-9.]*,100000.00,"
for h in a1 a2; do
    same_file "$T/fund.positions" "$T/$h.positions" "positions at $h"
    same_file "$T/fund.status" "$T/$h.status" "program status at $h"
done

# The offline audit replays it all and agrees.
cf a2 export --out "$T/a2.bundle" >/dev/null
cf a2 audit "$T/a2.bundle" >"$T/audit.out" 2>&1 || true
expect_in "$(cat "$T/audit.out")" "^deployed  *1,900,000.00$"

# ---- retire, closing behind what homes applied ----------------------------------
# b contributes three times; the fund matches b#1; everyone applies it all.
# The governance retires b at 1: b#1 and b#2 stop counting on every home
# (each rebuilds its state), the match of b#1 stands as disputed, and b
# writes nothing more (R-KEY.2).
for r in R1 R2 R3; do
    cf b contribute --project robotics --round "$r" --amount 100,000 --program industrial >/dev/null
done
carry b fund city a1
expect_exit 0 fund match --program industrial --project robotics --round R2 --cite b:1=100000
carry fund city a1
expect_in "$(cf a1 positions --project robotics --format csv)" "^equity,robotics,b,[0-9a-f]*,investor,[0-9.]*,[0-9.]*,300000.00,"
expect_exit 0 city member retire b --close 1
expect_in "$OUT" "member b retired at governance entry [0-9]*: its entries 0..1 stand"
expect_exit 1 city member retire b
expect_in "$OUT" "R-KEY.1: member b is retired"
cf city export --out "$T/city.bundle" >/dev/null
cf city positions --project robotics --format csv >"$T/city.robotics"
expect_in "$(cat "$T/city.robotics")" "^equity,robotics,b,[0-9a-f]*,investor,[0-9.]*,[0-9.]*,100000.00,"
expect_in "$(cf city program status industrial --format json)" '"disputed": "100000.00"'
cf a1 import "$T/city.bundle" >/dev/null
cf a1 positions --project robotics --format csv >"$T/a1.robotics"
same_file "$T/city.robotics" "$T/a1.robotics" "positions after the retire at a1"
cf b import "$T/city.bundle" >/dev/null 2>&1 || true # (it learns inv's fork too)
expect_exit 1 b contribute --project robotics --round R4 --amount 1 --program industrial
expect_in "$OUT" "R-KEY.2: b's key was retired at index 1"
# A home that learns the retire before b's feed never applies b#1 or b#2.
cf newaud init --name newaud >/dev/null
for b in city b fund; do cf newaud import "$T/$b.bundle" >/dev/null 2>&1 || true; done
cf newaud positions --project robotics --format csv >"$T/newaud.robotics"
same_file "$T/city.robotics" "$T/newaud.robotics" "positions at a home that learned the retire first"
cf a1 verify >/dev/null || fail "verify at a1 after the retire"
# What the homes show of it.
M=$(cf a1 members)
expect_in "$M" "^inv .* replaced at 2 by ${NEW:0:16}"
expect_in "$M" "^b .* retired at 1"
expect_in "$(cf a1 members --format json)" '"replaced_by": "'"$NEW"'"'
expect_in "$(cf a1 log b)" "not counted: this key was retired at entry 1"
expect_in "$(cf a1 log fund)" "disputed: cites b#1, in a feed closed at entry 1 (key retired)"
echo ok
