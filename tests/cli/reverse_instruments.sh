#!/usr/bin/env bash
# reverse_instruments.sh — the instruments' entries corrected on the record
# (issue 13, R-REVERSE.3's table in docs/rules.md): each condition on both
# sides — a deposit while the balance covers the guaranteed loans (R-POOL.1),
# a withdrawal while the size allows it back (R-POOL.8), a guarantee while
# nothing released or compensated it, a release while leverage allows its
# outstanding back, a compensation while the size allows its payment back; a
# bank's loan only before repayments and a guarantee, a repayment before its
# release, a default before its compensation (as of what the bank read of the
# operator's feed); a lease and an award always. Every figure moves back, at
# the reversal's time for --as-of; another arrival order and the audit agree.
#
#   city    governance          fund    operates the pool and the awards
#   bank-a  a bank              lessor  a leasing company
source "$(dirname "$0")/lib.sh"
source "$(dirname "$0")/audit_lib.sh"

network fund:fund bank-a:bank lessor:lessor
cf city program add pool --preset pool --operator fund >/dev/null || fail "pool program"
cf city program add lease --kind leasing --operator lessor --down 10:40 --financing 30:80 \
    --advance 0:30 >/dev/null || fail "leasing program"
cf city program add awards --preset award --annual-budget 1,000,000 >/dev/null || fail "award program"
carry city fund bank-a lessor
pool() { cf "$1" pool status pool --format json; }
figure() { # figure HOME KEY — the pool's total KEY
    pool "$1" | python3 -c "import json,sys; print(json.load(sys.stdin)['$2'])"
}

# ---- a deposit: while the balance left covers the guaranteed loans ------------
cf fund deposit --program pool --amount 1,000,000 >/dev/null || fail "deposit"   # fund#0
cf fund deposit --program pool --amount 100,000 >/dev/null || fail "deposit"     # fund#1
cf bank-a loan --program pool --project robotics --amount 10,000,000 --term-months 36 \
    >/dev/null || fail "loan"                                                     # bank-a#0
carry bank-a fund
cf fund guarantee --program pool --loan bank-a:0 >/dev/null || fail "guarantee"  # fund#2
expect_exit 1 fund reverse fund:0 --reason "entered twice"
expect_in "$OUT" "rejected by R-REVERSE.3: reversing deposit fund#0: it would leave pool pool a balance of 100,000.00 with loans outstanding 10,000,000.00, over 10 × 100,000.00 (R-POOL.1)"
expect_exit 0 fund reverse fund:1 --reason "entered twice"                       # fund#3
expect_in "$OUT" "reversal of deposit fund#1 (100,000.00 yuan) appended as fund#3"
[ "$(figure fund balance)" = 1000000.00 ] || fail "balance after the deposit's reversal"

# ---- a loan: before it is guaranteed (as of what the bank read) ---------------
carry fund bank-a
expect_exit 1 bank-a reverse bank-a:0 --reason "wrong project"
expect_in "$OUT" "rejected by R-REVERSE.3: reversing loan bank-a#0: pool pool's fund#2 guarantees it: fund reverses that first"
cf bank-a repay --loan 0 --amount 1,000,000 >/dev/null || fail "repay"          # bank-a#1
expect_exit 1 bank-a reverse bank-a:0 --reason "wrong project"
expect_in "$OUT" "rejected by R-REVERSE.3: reversing loan bank-a#0: repayments of 1,000,000.00 stand on it: bank-a reverses them first"

# ---- a guarantee, a release and a repayment -----------------------------------
carry bank-a fund
cf fund release --program pool --repay bank-a:1 >/dev/null || fail "release"    # fund#4
[ "$(figure fund outstanding)" = 9000000.00 ] || fail "outstanding after the release"
expect_exit 1 fund reverse fund:2 --reason "not ours"
expect_in "$OUT" "rejected by R-REVERSE.3: reversing guarantee fund#2: loan bank-a#0 is partly released under it: fund reverses the releases first"
carry fund bank-a
expect_exit 1 bank-a reverse bank-a:1 --reason "bounced"
expect_in "$OUT" "rejected by R-REVERSE.3: reversing repay bank-a#1: pool pool's fund#4 releases it: fund reverses that first"
# A release puts its amount back on the outstanding: refused while the
# balance no longer bears it (a withdrawal of 0.01), accepted once it does.
cf fund withdraw --program pool --amount 0.01 >/dev/null || fail "withdraw"     # fund#5
expect_exit 1 fund reverse fund:4 --reason "bounced"
expect_in "$OUT" "rejected by R-REVERSE.3: reversing release fund#4: it would leave pool pool a balance of 999,999.99 with loans outstanding 10,000,000.00, over 10 × 999,999.99 (R-POOL.1)"
expect_exit 0 fund reverse fund:5 --reason "typo"                               # fund#6
expect_exit 0 fund reverse fund:4 --reason "bounced"                            # fund#7
[ "$(figure fund outstanding)" = 10000000.00 ] || fail "outstanding after the release's reversal"
expect_exit 0 fund release --program pool --repay bank-a:1 --dry-run
expect_in "$OUT" "the rules accept it"
carry fund bank-a
expect_exit 0 bank-a reverse bank-a:1 --reason "bounced"                        # bank-a#2
carry bank-a fund
expect_exit 2 fund release --program pool --repay bank-a:1
expect_in "$OUT" "bank-a#1 was reversed by bank-a#2: a reversed entry is not cited (R-REVERSE.4)"
expect_exit 0 fund reverse fund:2 --reason "not ours"                           # fund#8
[ "$(figure fund outstanding)" = 0.00 ] || fail "outstanding after the guarantee's reversal"
carry fund bank-a
expect_exit 0 bank-a reverse bank-a:0 --reason "wrong project"                  # bank-a#3
expect_exit 1 bank-a repay --loan 0 --amount 1
expect_in "$OUT" "rejected by R-REVERSE.4: loan bank-a#0 was reversed by bank-a#3: a reversed entry is not cited"
# The bank that had not read the guarantee: its reversal is accepted by
# every node alike (the read point), and the guarantee then stands on a
# reversed loan until the operator reverses it.
cf bank-a loan --program pool --project robotics --amount 500,000 --term-months 12 \
    >/dev/null || fail "loan"                                                     # bank-a#4
carry bank-a fund
cf fund guarantee --program pool --loan bank-a:4 >/dev/null || fail "guarantee" # fund#9
expect_exit 0 bank-a reverse bank-a:4 --reason "duplicate"                      # bank-a#5
carry bank-a fund
expect_in "$(cf fund show bank-a:5 --format json)" '"read": 9'
expect_exit 0 fund reverse fund:9 --reason "its loan was reversed"              # fund#10

# ---- a default and its compensation -------------------------------------------
cf bank-a loan --program pool --project sensors --amount 2,000,000 --term-months 12 \
    >/dev/null || fail "loan"                                                     # bank-a#6
carry bank-a fund
cf fund guarantee --program pool --loan bank-a:6 >/dev/null || fail "guarantee" # fund#11
cf bank-a default --loan 6 --loss 1,000,000 >/dev/null || fail "default"        # bank-a#7
carry bank-a fund
cf fund compensate --program pool --default bank-a:7 >/dev/null || fail "compensate" # fund#12
[ "$(figure fund balance)" = 300000.00 ] || fail "balance after the compensation"
carry fund bank-a
expect_exit 1 bank-a reverse bank-a:7 --reason "it paid after all"
expect_in "$OUT" "rejected by R-REVERSE.3: reversing default bank-a#7: pool pool's fund#12 compensates it: fund reverses that first"
expect_exit 1 fund reverse fund:11 --reason "not ours"
expect_in "$OUT" "rejected by R-REVERSE.3: reversing guarantee fund#11: loan bank-a#6 is compensated under it: fund reverses the compensation first"
# The compensation's payment back must fit the pool's size (100,000,000.00).
cf fund deposit --program pool --amount 99,700,000 >/dev/null || fail "deposit to the size" # fund#13
expect_exit 1 fund reverse fund:12 --reason "it paid after all"
expect_in "$OUT" "rejected by R-REVERSE.3: reversing compensation fund#12: it gives 700,000.00 back to pool pool's balance 100,000,000.00, over its size of 100,000,000.00 (R-POOL.8)"
cf fund withdraw --program pool --amount 700,000 >/dev/null || fail "withdraw"  # fund#14
expect_exit 0 fund reverse fund:12 --reason "it paid after all"                 # fund#15
[ "$(figure fund outstanding)" = 2000000.00 ] || fail "outstanding after the compensation's reversal"
# ... and so must a withdrawal's.
expect_exit 1 fund reverse fund:14 --reason "typo"
expect_in "$OUT" "rejected by R-REVERSE.3: reversing withdraw fund#14: it gives 700,000.00 back to pool pool's balance 100,000,000.00, over its size of 100,000,000.00 (R-POOL.8)"
carry fund bank-a
expect_exit 0 bank-a reverse bank-a:7 --reason "it paid after all"              # bank-a#8
cf bank-a repay --loan 6 --amount 2,000,000 >/dev/null || fail "the loan repaid after all"
S=$(pool bank-a)
expect_in "$S" '"defaults": 0'
expect_in "$S" '"losses": "0.00"'

# ---- a lease and an award: always; --as-of before the reversal shows them -----
cf lessor lease --program lease --project sensors --equipment "press" --price 1,000,000 \
    --down 200,000 --financing 600,000 --advance 200,000 --time 2026-03-01 >/dev/null ||
    fail "lease"
expect_exit 0 lessor reverse lessor:0 --reason "never delivered" --time 2026-04-01
expect_in "$(cf lessor leases --as-of 2026-03-15 --format csv)" "press"
[ "$(cf lessor leases --format csv | grep -c press)" = 0 ] || fail "the reversed lease is listed"
cf fund award --program awards --project robotics --amount 500,000 --year 2026 >/dev/null ||
    fail "award"                                                                  # fund#16
expect_exit 0 fund reverse fund:16 --reason "wrong year"
cf fund award --program awards --project robotics --amount 500,000 --year 2025 >/dev/null ||
    fail "the award again, in its year"
cf fund award --program awards --project robotics --amount 500,000 --year 2026 >/dev/null ||
    fail "the same award may be entered again (R-AWARD.3)"

# ---- every home, another arrival order, the audit -----------------------------
totals() {
    pool "$1"
    cf "$1" leases --format csv
    cf "$1" program status awards --format csv
    cf "$1" positions
}
carry fund city bank-a
carry bank-a city fund
carry lessor city fund
same_file <(totals fund) <(totals city) "the city's figures"
cf late init --name late >/dev/null
cf late join "$T/city.bundle" >/dev/null
cf fund export --out "$T/fund-first.bundle" >/dev/null
cf late import "$T/fund-first.bundle" >/dev/null 2>&1 || true # waits for bank-a's feed
cf bank-a export --out "$T/bank-last.bundle" >/dev/null
cf late import "$T/bank-last.bundle" >/dev/null
cf lessor export --out "$T/lessor.bundle" >/dev/null
cf late import "$T/lessor.bundle" >/dev/null
same_file <(totals city) <(totals late) "a home that learned the fund's feed first"
cf city export --out "$T/net.bundle" >/dev/null
expect_audit 0 "$T/net.bundle"
expect_in "$OUT" "^result: ok"
echo ok
