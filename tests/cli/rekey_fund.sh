#!/usr/bin/env bash
# rekey_fund.sh — the fund's own feed forks three ways (three restored copies
# of its home each append), and no peer holds a history that heals it: the
# governance gives the fund a new key (docs/rules.md R-KEY). The fund's
# matches below the fork point stand; the new key goes on operating the
# programs the fund operated — matching, with the caps and budgets counting
# what the old key deployed — and every home agrees, with the audit.
source "$(dirname "$0")/lib.sh"

network fund:fund inv:investor a1:auditor a2:auditor
cf inv contribute --project robotics --round A --amount 1,000,000 --program industrial >/dev/null
cf inv contribute --project robotics --round B --amount 2,000,000 --program industrial >/dev/null
carry inv fund city
cf fund match --program industrial --project robotics --round A --auto 1,000,000 >/dev/null
carry fund city

# Three copies of the fund's home each match a different part of inv#1.
cp -a "$T/fund" "$T/fund2"
cp -a "$T/fund" "$T/fund3"
cf fund match --program industrial --project robotics --round B --cite inv:1=100000 >/dev/null
cf fund2 match --program industrial --project robotics --round B --cite inv:1=200000 >/dev/null
cf fund3 match --program industrial --project robotics --round B --cite inv:1=300000 >/dev/null
for f in fund fund2 fund3; do cf "$f" export --out "$T/$f.bundle" >/dev/null; done
for f in fund fund2 fund3; do cf city import "$T/$f.bundle" >/dev/null 2>&1 || true; done
expect_in "$(cf city forks --format json)" '"point": 1'

# No history heals it: the governance rekeys the fund at the fork point.
cf newfund init --name fund >/dev/null
NEW=$(key_of newfund)
expect_exit 0 city member rekey fund --key "$NEW"
expect_in "$OUT" "entries 0..1 stand"
cf city export --out "$T/city.bundle" >/dev/null
cf newfund join "$T/city.bundle" >/dev/null 2>&1 || true
cf newfund import "$T/inv.bundle" >/dev/null 2>&1 || true

# The new key operates industrial: it matches inv#1 (the program's 1,000,000
# under the old key counts toward what inv#0 and inv#1 allow).
expect_exit 0 newfund match --program industrial --project robotics --round B --auto 2,000,000
expect_in "$(cf newfund program status industrial --format json)" '"deployed": "3000000.00"'
expect_exit 1 newfund match --program industrial --project robotics --round B --cite inv:1=1
expect_in "$OUT" "R-MATCH.4"
P=$(cf newfund positions --project robotics --format csv)
expect_in "$P" "^equity,robotics,fund,[0-9a-f]*,fund,[0-9.]*,[0-9.]*,3000000.00,"
expect_in "$P" "^equity,robotics,inv,[0-9a-f]*,investor,[0-9.]*,[0-9.]*,3000000.00,"
cf newfund export --out "$T/newfund.bundle" >/dev/null

# The old copies write nothing more.
cf fund2 import "$T/city.bundle" >/dev/null 2>&1 || true
expect_exit 1 fund2 match --program industrial --project robotics --round B --cite inv:1=1
expect_in "$OUT" "R-KEY.2: fund's key was replaced at index 1"

# Auditors learn the copies, the rekey and the new key in different orders.
for b in fund3 newfund city fund inv fund2; do cf a1 import "$T/$b.bundle" >/dev/null 2>&1 || true; done
for b in city inv fund2 fund newfund fund3; do cf a2 import "$T/$b.bundle" >/dev/null 2>&1 || true; done
for h in newfund a1 a2; do
    cf "$h" positions --format csv >"$T/$h.positions"
    cf "$h" program status industrial --format json >"$T/$h.status"
    cf "$h" verify >/dev/null || fail "verify at $h"
done
for h in a1 a2; do
    same_file "$T/newfund.positions" "$T/$h.positions" "positions at $h"
    same_file "$T/newfund.status" "$T/$h.status" "program status at $h"
done
cf a1 export --out "$T/a1.bundle" >/dev/null
cf a1 audit "$T/a1.bundle" >"$T/audit.out" 2>&1 || true
expect_in "$(cat "$T/audit.out")" "^deployed  *3,000,000.00$"
echo ok
