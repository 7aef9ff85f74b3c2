#!/usr/bin/env bash
# instruments.sh — the policy's other instruments end to end, each member in
# its own home, exchanging bundles: a loan risk compensation pool (deposits,
# a bank's loans, guarantees up to exactly 10 × the balance and one fen over,
# a default and its compensation, once), equipment leasing and demonstration
# awards; every home shows the same figures, and the audit holds.
#
#   city    governance          fund    operates the pool and the awards
#   bank-a  a bank              lessor  a leasing company
source "$(dirname "$0")/lib.sh"

HOMES=(city fund bank-a lessor)
network fund:fund bank-a:bank lessor:lessor

# ---- the programs: the policy's presets --------------------------------------
cf city program add pool --preset pool --operator fund >"$T/out" || fail "pool program"
expect_in "$(cat "$T/out")" "leverage 10, pool share 7:10 of each loss, size 100,000,000.00"
cf city program add lease --kind leasing --operator lessor --down 10:40 --financing 30:80 \
    --advance 0:30 >/dev/null || fail "leasing program"
cf city program add awards --preset award --annual-budget 1,000,000 >/dev/null || fail "award program"
expect_exit 1 city program add lease2 --kind leasing --operator fund
expect_in "$OUT" "R-REF"
expect_exit 2 city program add p9 --kind pool --leverage 10 --share 7:10 --ratio 1:1
expect_in "$OUT" "--ratio does not apply to a pool program"
carry city fund bank-a lessor

# ---- the pool ---------------------------------------------------------------
cf fund deposit --program pool --amount 1,000,000 >/dev/null || fail "deposit"
expect_exit 1 fund deposit --program pool --amount 99,000,000.01
expect_in "$OUT" "rejected by R-POOL.8"
cf bank-a loan --program pool --project robotics --amount 10,000,000 --term-months 36 >/dev/null ||
    fail "loan"
cf bank-a loan --program pool --project sensors --amount 0.01 --term-months 12 >/dev/null ||
    fail "a second loan"
expect_exit 1 fund loan --program pool --project robotics --amount 1 --term-months 1
expect_in "$OUT" "rejected by R-ROLE"
carry bank-a fund
cf fund guarantee --program pool --loan bank-a:0 >"$T/out" || fail "guarantee at exactly 10x"
expect_in "$(cat "$T/out")" "guarantee of loan bank-a:0 (10,000,000.00)"
expect_exit 1 fund guarantee --program pool --loan bank-a:1
expect_in "$OUT" "rejected by R-POOL.1: guarantee of 0.01 would take loans outstanding under pool pool to 10,000,000.01, over 10 × its balance 1,000,000.00"
expect_exit 1 fund withdraw --program pool --amount 0.01
expect_in "$OUT" "rejected by R-POOL.2"
S=$(cf fund pool status pool --format json)
expect_in "$S" '"outstanding": "10000000.00"'
expect_in "$S" '"headroom": "0.00"'

# A default of 1,000,000.03: the pool pays floor(7 × 100,000,003 fen / 10) =
# 70,000,002 fen, once.
cf bank-a default --loan 0 --loss 1,000,000.03 >/dev/null || fail "default"
expect_exit 1 bank-a repay --loan 0 --amount 1
expect_in "$OUT" "rejected by R-POOL.6"
carry bank-a fund
cf fund compensate --program pool --default bank-a:2 >"$T/out" || fail "compensation"
expect_in "$(cat "$T/out")" "7/10 × loss 1,000,000.03 = 700,000.02 (rounded down to the fen)"
expect_exit 1 fund compensate --program pool --default bank-a:2
expect_in "$OUT" "rejected by R-POOL.5"
expect_exit 1 fund compensate --program pool --default bank-a:2 --amount 700,000.03
expect_in "$OUT" "rejected by R-POOL"
# the defaulted loan left the outstanding: the second loan fits now
cf fund guarantee --program pool --loan bank-a:1 >/dev/null || fail "guarantee after the release"

# ---- leasing and awards -----------------------------------------------------
cf lessor lease --program lease --project sensors --equipment "5-axis machining centre" \
    --price 1,000,000 --down 200,000 --financing 600,000 --advance 200,000 >/dev/null || fail "lease"
expect_exit 1 lessor lease --program lease --project sensors --equipment "press" \
    --price 1,000,000 --down 200,000 --financing 600,000 --advance 199,999.99
expect_in "$OUT" "rejected by R-LEASE.2: the parts sum to 999,999.99, under the price 1,000,000.00 by 0.01"
expect_exit 1 lessor lease --program lease --project sensors --equipment "press" \
    --price 1,000 --down 50 --financing 750 --advance 200
expect_in "$OUT" "rejected by R-LEASE.3"
cf fund award --program awards --project robotics --amount 500,000 --year 2026 >/dev/null || fail "award"
expect_exit 1 fund award --program awards --project robotics --amount 500,000 --year 2026
expect_in "$OUT" "rejected by R-AWARD.3"
expect_exit 1 fund award --program awards --project sensors --amount 200,000 --year 2026
expect_in "$OUT" "rejected by R-AWARD.1"

# ---- everyone converges through the city ------------------------------------
carry fund city
carry bank-a city
carry lessor city
carry city fund bank-a lessor
for h in "${HOMES[@]}"; do
    mkdir -p "$T/show-$h"
    cf "$h" pool status pool --format json >"$T/show-$h/pool.json"
    cf "$h" pool status pool --format csv >"$T/show-$h/pool.csv"
    cf "$h" pool status pool >"$T/show-$h/pool.txt"
    cf "$h" program status lease --format json >"$T/show-$h/lease.json"
    cf "$h" program status awards --format json >"$T/show-$h/awards.json"
    cf "$h" program status awards >"$T/show-$h/awards.txt"
    cf "$h" leases --format csv >"$T/show-$h/leases.csv"
    cf "$h" leases --project sensors >"$T/show-$h/leases.txt"
    expect_exit 3 "$h" leases --project nosuch
    expect_in "$OUT" "project nosuch is not registered"
    expect_exit 3 "$h" leases --program nosuch
    expect_in "$OUT" "program nosuch is not registered"
    cf "$h" positions >"$T/show-$h/positions.txt"
    cf "$h" verify >/dev/null || fail "verify at $h"
done
for h in fund bank-a lessor; do
    for f in "$T/show-city"/*; do same_file "$f" "$T/show-$h/${f##*/}" "${f##*/} at city and at $h"; done
done
P=$(cat "$T/show-city/pool.json")
expect_in "$P" '"balance": "299999.98"'
expect_in "$P" '"compensation_paid": "700000.02"'
expect_in "$P" '"outstanding": "0.01"'
expect_in "$P" '"defaults": 1'
expect_in "$P" '"losses": "1000000.03"'
expect_in "$(cat "$T/show-city/leases.csv")" 'sensors,lease,lessor,0,.*,5-axis machining centre,1000000.00,200000.00,600000.00,200000.00'
expect_in "$(cat "$T/show-city/awards.json")" '"budget_used": "0.5000"'
expect_in "$(cat "$T/show-city/positions.txt")" "not equity"

# ---- the audit --------------------------------------------------------------
cf city export --out "$T/net.bundle" >/dev/null
A=$(cf city audit "$T/net.bundle") || fail "audit: $A"
expect_in "$A" "result: ok"
expect_in "$A" "program pool (pool), operated by fund"
expect_in "$A" "balance                      299,999.98"
J=$(cf city audit "$T/net.bundle" --format json) || fail "audit json"
expect_in "$J" '"compensation_paid":"700000.02"'
expect_in "$J" '"not_equity":\['
echo ok
