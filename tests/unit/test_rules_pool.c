/* test_rules_pool.c — the loan risk compensation pool (R-POOL.1-6, 8, 9,
 * node/ledger/rules_pool.c) on both sides of every rule, over the
 * instruments network of rules_fixture.h: pool `pool` operated by fund
 * (leverage 10, share 7:10, size 100,000,000.00), banks bank-a and bank-b.
 *
 * Every verdict is checked for its code, its rule ID and the words a user
 * needs; after every verdict but CF_OK the state must be unchanged. The
 * last tests apply the same entries in different arrival orders and require
 * the same verdicts and the same state: the determinism the split between
 * the bank's loan and the operator's guarantee exists for.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "crypto/cf_error.h"
#include "ledger/query.h"
#include "ledger/rules.h"
#include "rules_cases.h"
#include "rules_fixture.h"

#define DAY FX_DAY_MS
#define Y(x) FX_YUAN(x)

/* Helpers that must succeed. */
static void deposit(fx *f, int64_t fen, uint64_t t)
{
    entry e = fx_deposit(f, FX_FUND, "pool", fen, t);
    fx_ok(f, &e);
}

static fx_ref loan(fx *f, int bank, int64_t fen, uint64_t t)
{
    entry e = fx_loan(f, bank, "pool", "p1", fen, 36, t);
    return fx_accept(f, &e);
}

static void guarantee(fx *f, const fx_ref *l, int64_t fen, uint64_t t)
{
    entry e = fx_guarantee(f, FX_FUND, "pool", l, fen, t);
    fx_ok(f, &e);
}

/* ---- who writes what, and what it names ---------------------------------- */

static void test_r_role_pool_writers(void **state)
{
    fx *f = *state;
    entry e = fx_deposit(f, FX_BANK, "pool", 100, at(1));
    REJECT(f, &e, "R-ROLE", "bank bank-a may not write deposit entries");
    e = fx_loan(f, FX_FUND, "pool", "p1", 100, 12, at(1));
    REJECT(f, &e, "R-ROLE", "fund fund may not write loan entries");
    e = fx_loan(f, FX_LESSOR, "pool", "p1", 100, 12, at(1));
    REJECT(f, &e, "R-ROLE", "lessor lessor may not write loan entries");
    e = fx_loan(f, FX_INV_A, "pool", "p1", 100, 12, at(1));
    REJECT(f, &e, "R-ROLE", "investor inv-a may not write loan entries");
    fx_add_member(f, FX_FUND2, ROLE_FUND);
    e = fx_deposit(f, FX_FUND2, "pool", 100, at(1));
    REJECT(f, &e, "R-ROLE", "only program pool's operator fund may write its deposit entries");
    fx_ref l = loan(f, FX_BANK, 100, at(1));
    e = fx_guarantee(f, FX_FUND2, "pool", &l, 100, at(2));
    REJECT(f, &e, "R-ROLE", "only program pool's operator fund");
    e = fx_repay(f, FX_FUND, &l, 10, at(2));
    REJECT(f, &e, "R-ROLE", "fund fund may not write repay entries");
    e = fx_deposit(f, FX_FUND, "pool", 100, at(1));
    ACCEPT(f, &e);
}

static void test_r_ref_pool_names_a_pool(void **state)
{
    fx *f = *state;
    entry e = fx_deposit(f, FX_FUND, "ind", 100, at(1));
    REJECT(f, &e, "R-REF", "program ind is a match program; a deposit names a pool program");
    e = fx_deposit(f, FX_FUND, "nope", 100, at(1));
    REJECT(f, &e, "R-REF", "program nope is not registered");
    e = fx_loan(f, FX_BANK, "lease", "p1", 100, 12, at(1));
    REJECT(f, &e, "R-REF", "program lease is a leasing program");
    e = fx_loan(f, FX_BANK, "pool", "p9", 100, 12, at(1));
    REJECT(f, &e, "R-REF", "project p9 is not registered");
    /* and the matching program's entries name matching programs */
    e = fx_contribution(f, FX_INV_A, "p1", "A", "pool", 100, at(1));
    REJECT(f, &e, "R-REF", "program pool is a pool program; a contribution names a match");
    fx_ref c = fx_contribute(f, FX_INV_A, "p1", "A", "ind", 100, at(1));
    entry_cite cite = fx_cite(f, &c, 100);
    e = fx_match(f, FX_FUND, "pool", "p1", "A", at(2), 1, &cite);
    REJECT(f, &e, "R-REF", "program pool is a pool program; a match names a match program");
    e = fx_loan(f, FX_BANK, "pool", "p1", 100, 12, at(1));
    ACCEPT(f, &e);
}

/* A pool's operator must be a fund (a lessor operates leasing programs). */
static void test_r_ref_pool_operator_must_be_fund(void **state)
{
    fx *f = *state;
    entry e = fx_pool_program(f, "pool2", FX_BANK, 10, 7, 10, 0, FX_T0);
    REJECT(f, &e, "R-REF", "operator bank-a is a bank, not a fund");
    e = fx_pool_program(f, "pool2", FX_LESSOR, 10, 7, 10, 0, FX_T0);
    REJECT(f, &e, "R-REF", "operator lessor is a lessor, not a fund");
    e = fx_pool_program(f, "pool", FX_FUND, 10, 7, 10, 0, FX_T0);
    REJECT(f, &e, "R-UNIQ", "program pool is already registered");
    e = fx_pool_program(f, "pool2", FX_FUND, 10, 7, 10, 0, FX_T0);
    ACCEPT(f, &e);
}

/* ---- R-POOL.8: the size ----------------------------------------------------- */

static void test_r_pool8_deposit_up_to_the_size(void **state)
{
    fx *f = *state;
    entry e = fx_deposit(f, FX_FUND, "pool", FX_POOL_SIZE_FEN - Y(1), at(1));
    ACCEPT(f, &e);
    e = fx_deposit(f, FX_FUND, "pool", Y(1) + 1, at(1));
    REJECT(f, &e, "R-POOL.8", "deposit 1.01 would take pool pool's balance 99,999,999.00 over its "
                              "size of 100,000,000.00");
    e = fx_deposit(f, FX_FUND, "pool", Y(1), at(1));
    ACCEPT(f, &e);
    assert_int_equal(fx_pool_now(f).balance_fen, FX_POOL_SIZE_FEN);
    e = fx_withdraw(f, FX_FUND, "pool", 1, at(2)); /* a withdrawal makes room again */
    ACCEPT(f, &e);
    e = fx_deposit(f, FX_FUND, "pool", 1, at(2));
    ACCEPT(f, &e);
}

/* ---- R-POOL.1: the leverage bound at registration ----------------------- */

static void test_r_pool1_guarantee_at_exactly_10x_then_one_fen_over(void **state)
{
    fx *f = *state;
    deposit(f, Y(1000000), at(1));
    fx_ref a = loan(f, FX_BANK, Y(10000000), at(2)); /* exactly 10 × 1,000,000.00 */
    fx_ref b = loan(f, FX_BANK2, 1, at(2));          /* one fen more */
    entry e = fx_guarantee(f, FX_FUND, "pool", &a, Y(10000000), at(3));
    ACCEPT(f, &e);
    query_pool q = fx_pool_now(f);
    assert_int_equal(q.outstanding_fen, Y(10000000));
    assert_int_equal(q.headroom_fen, 0);
    e = fx_guarantee(f, FX_FUND, "pool", &b, 1, at(3));
    REJECT(f, &e, "R-POOL.1", "guarantee of 0.01 would take loans outstanding under pool pool to "
                              "10,000,000.01, over 10 × its balance 1,000,000.00");
    deposit(f, 1, at(4)); /* 10 × 1,000,000.01 = 10,000,000.10 */
    e = fx_guarantee(f, FX_FUND, "pool", &b, 1, at(4));
    ACCEPT(f, &e);
    assert_int_equal(fx_pool_now(f).headroom_fen, 9);
}

/* Nothing can be guaranteed by an empty pool. */
static void test_r_pool1_empty_pool_guarantees_nothing(void **state)
{
    fx *f = *state;
    fx_ref a = loan(f, FX_BANK, 1, at(1));
    entry e = fx_guarantee(f, FX_FUND, "pool", &a, 1, at(2));
    REJECT(f, &e, "R-POOL.1", "over 10 × its balance 0.00");
}

/* ---- R-POOL.2 and R-POOL.6: withdrawals ---------------------------------- */

static void test_r_pool2_withdrawal_that_would_break_the_bound(void **state)
{
    fx *f = *state;
    deposit(f, Y(1000000), at(1));
    fx_ref a = loan(f, FX_BANK, Y(9000000), at(2));
    guarantee(f, &a, Y(9000000), at(3));
    /* 900,000.00 left: 10 × 900,000.00 = 9,000,000.00, exactly outstanding */
    entry e = fx_withdraw(f, FX_FUND, "pool", Y(100000) + 1, at(4));
    REJECT(f, &e, "R-POOL.2", "withdrawal 100,000.01 would leave pool pool a balance of "
                              "899,999.99: loans outstanding 9,000,000.00 would exceed 10 × "
                              "899,999.99");
    e = fx_withdraw(f, FX_FUND, "pool", Y(100000), at(4));
    ACCEPT(f, &e);
    e = fx_withdraw(f, FX_FUND, "pool", 1, at(4));
    REJECT(f, &e, "R-POOL.2", "would exceed 10 × 899,999.99");
}

static void test_r_pool6_withdrawal_never_below_zero(void **state)
{
    fx *f = *state;
    deposit(f, Y(100), at(1));
    entry e = fx_withdraw(f, FX_FUND, "pool", Y(100) + 1, at(2));
    REJECT(f, &e, "R-POOL.6", "withdrawal 100.01 exceeds pool pool's balance 100.00");
    e = fx_withdraw(f, FX_FUND, "pool", Y(100), at(2));
    ACCEPT(f, &e);
    e = fx_withdraw(f, FX_FUND, "pool", 1, at(2));
    REJECT(f, &e, "R-POOL.6", "exceeds pool pool's balance 0.00");
}

/* ---- R-POOL.4, .5: what a guarantee cites ---------------------------------- */

static void test_r_pool4_guarantee_citations(void **state)
{
    fx *f = *state;
    deposit(f, Y(1000), at(1));
    entry p2 = fx_pool_program(f, "pool2", FX_FUND, 10, 7, 10, 0, FX_T0);
    fx_ok(f, &p2);
    fx_ref a = loan(f, FX_BANK, Y(100), at(2));
    entry e = fx_loan(f, FX_BANK, "pool2", "p1", Y(100), 12, at(2));
    fx_ref other_pool = fx_accept(f, &e);
    e = fx_repay(f, FX_BANK, &a, Y(10), at(2));
    fx_ref rep = fx_accept(f, &e);

    e = fx_guarantee(f, FX_FUND, "pool", &rep, Y(10), at(3));
    REJECT(f, &e, "R-POOL.4", "bank-a#2 is not a loan");
    fx_ref dep = {FX_FUND, 0, {0}}; /* the operator's own deposit */
    e = fx_guarantee(f, FX_FUND, "pool", &dep, Y(1000), at(3));
    REJECT(f, &e, "R-POOL.4", "fund#0 is not a loan");
    fx_ref forged = a;
    forged.leaf[7] ^= 1;
    e = fx_guarantee(f, FX_FUND, "pool", &forged, Y(100), at(3));
    REJECT(f, &e, "R-POOL.4", "leaf hash cited for bank-a#0 does not match");
    e = fx_guarantee(f, FX_FUND, "pool", &other_pool, Y(100), at(3));
    REJECT(f, &e, "R-POOL.4", "bank-a#1 is under program pool2, not pool");
    e = fx_guarantee(f, FX_FUND, "pool", &a, Y(100) - 1, at(3));
    REJECT(f, &e, "R-POOL.4", "guarantee amount 99.99 is not bank-a#0's amount 100.00");
    e = fx_guarantee(f, FX_FUND, "pool", &a, Y(100), at(2) - 1);
    REJECT(f, &e, "R-POOL.4", "is before bank-a#0");
    e = fx_guarantee(f, FX_FUND, "pool", &a, Y(100), at(2)); /* the same ms is fine */
    ACCEPT(f, &e);
    e = fx_guarantee(f, FX_FUND, "pool", &a, Y(100), at(3));
    REJECT(f, &e, "R-POOL.5", "loan bank-a#0 is already guaranteed (fund#1)");
}

/* A guarantee citing a loan not replicated here waits for it. */
static void test_pending_guarantee_until_the_loan_arrives(void **state)
{
    fx *f = *state;
    deposit(f, Y(1000), at(1));
    entry l = fx_loan(f, FX_BANK, "pool", "p1", Y(100), 12, at(2));
    uint8_t buf[ENTRY_BYTES_MAX];
    fx_ref r = {FX_BANK, 0, {0}};
    size_t len = fx_encode(&l, buf, r.leaf);
    entry g = fx_guarantee(f, FX_FUND, "pool", &r, Y(100), at(3));
    PENDING(f, &g, "waiting for loan bank-a#0");
    assert_int_equal(fx_push_bytes(f, l.author, 0, buf, len), CF_OK);
    ACCEPT(f, &g);
}

/* ---- a bank's own feed: repayments and defaults ----------------------------- */

static void test_r_pool4_repay_and_default_cite_own_earlier_loans(void **state)
{
    fx *f = *state;
    fx_ref a = loan(f, FX_BANK, Y(100), at(1));
    fx_ref b = loan(f, FX_BANK2, Y(100), at(1));
    entry e = fx_repay(f, FX_BANK, &b, Y(10), at(2));
    REJECT(f, &e, "R-POOL.4", "a bank records repayments and defaults of its own loans, not of "
                              "bank-b's");
    e = fx_default(f, FX_BANK, &b, Y(10), at(2));
    REJECT(f, &e, "R-POOL.4", "not of bank-b's");
    fx_ref later = {FX_BANK, 1, {0}};
    e = fx_repay(f, FX_BANK, &later, Y(10), at(2));
    REJECT(f, &e, "R-POOL.4", "it cites bank-a#1, not an earlier entry of its own feed");
    fx_ref forged = a;
    forged.leaf[0] ^= 0x80;
    e = fx_repay(f, FX_BANK, &forged, Y(10), at(2));
    REJECT(f, &e, "R-POOL.4", "leaf hash cited for bank-a#0 does not match");
    e = fx_repay(f, FX_BANK, &a, Y(10), at(2));
    fx_ref rep = fx_accept(f, &e);
    e = fx_default(f, FX_BANK, &rep, Y(10), at(2));
    REJECT(f, &e, "R-POOL.4", "bank-a#1 is not a loan");
}

static void test_r_pool6_loan_principal_never_below_zero(void **state)
{
    fx *f = *state;
    fx_ref a = loan(f, FX_BANK, Y(1000), at(1));
    entry e = fx_repay(f, FX_BANK, &a, Y(1000) + 1, at(2));
    REJECT(f, &e, "R-POOL.6", "repayment 1,000.01 exceeds loan bank-a#0's outstanding principal "
                              "1,000.00");
    e = fx_repay(f, FX_BANK, &a, Y(400), at(2));
    ACCEPT(f, &e);
    e = fx_default(f, FX_BANK, &a, Y(600) + 1, at(3));
    REJECT(f, &e, "R-POOL.6", "loss 600.01 exceeds loan bank-a#0's outstanding principal 600.00");
    e = fx_default(f, FX_BANK, &a, Y(600), at(3));
    ACCEPT(f, &e);
    e = fx_repay(f, FX_BANK, &a, 1, at(4));
    REJECT(f, &e, "R-POOL.6", "outstanding principal 0.00 (it defaulted)");
    e = fx_default(f, FX_BANK, &a, 1, at(4));
    REJECT(f, &e, "R-POOL.5", "loan bank-a#0 already defaulted");
    /* a loan repaid in full cannot default */
    fx_ref b = loan(f, FX_BANK, Y(10), at(5));
    e = fx_repay(f, FX_BANK, &b, Y(10), at(5));
    ACCEPT(f, &e);
    e = fx_default(f, FX_BANK, &b, 1, at(6));
    REJECT(f, &e, "R-POOL.6", "outstanding principal 0.00");
}

/* ---- compensation: R-POOL.3 rounding and the balance, .5 once, .9 a
 * guarantee after the default; every default can be settled ---------------- */

/* A guaranteed loan of `fen` that defaulted with `loss`; returns the default. */
static fx_ref defaulted(fx *f, int bank, int64_t fen, int64_t loss, uint64_t t)
{
    fx_ref l = loan(f, bank, fen, t);
    guarantee(f, &l, fen, t);
    entry e = fx_default(f, bank, &l, loss, t + DAY);
    return fx_accept(f, &e);
}

static void test_r_pool3_compensation_is_share_of_loss_rounded_down(void **state)
{
    fx *f = *state;
    deposit(f, Y(10000), at(1));
    /* loss 1,000.03 = 100,003 fen: 7 × 100,003 / 10 = 70,002.1 -> 70,002 fen */
    fx_ref d = defaulted(f, FX_BANK, Y(2000), Y(1000) + 3, at(2));
    entry e = fx_compensation(f, FX_FUND, "pool", &d, Y(700) + 3, at(4));
    REJECT(f, &e, "R-POOL.3", "compensation 700.03 for default bank-a#1 is not 700.02: 7/10 × "
                              "loss 1,000.03 = 700.02 (rounded down to the fen)");
    e = fx_compensation(f, FX_FUND, "pool", &d, Y(700) + 1, at(4));
    REJECT(f, &e, "R-POOL.3", "is not 700.02");
    e = fx_compensation(f, FX_FUND, "pool", &d, Y(700) + 2, at(4));
    ACCEPT(f, &e);
    query_pool q = fx_pool_now(f);
    assert_int_equal(q.compensated_fen, Y(700) + 2);
    assert_int_equal(q.balance_fen, Y(10000) - Y(700) - 2);
    assert_int_equal(q.outstanding_fen, 0); /* the defaulted loan left the outstanding */
    assert_int_equal(q.loss_fen, Y(1000) + 3);
    assert_int_equal(q.defaults, 1);
}

/* Issue 12 item 9: a default whose share rounds down to 0 fen. The pool's
 * capacity must not stay locked: a compensation of 0.00 settles it (before,
 * 0 fen did not encode, a release needs a repayment and a defaulted loan
 * takes none, so 10,000,000 stayed outstanding with no headroom and no
 * withdrawal possible). */
static void test_r_pool3_default_with_nothing_due_is_settled(void **state)
{
    fx *f = *state;
    deposit(f, Y(1000000), at(1));
    fx_ref l = loan(f, FX_BANK, Y(10000000), at(2));
    guarantee(f, &l, Y(10000000), at(2)); /* exactly 10x */
    entry e = fx_default(f, FX_BANK, &l, 1, at(3)); /* loss 0.01: 7 × 1 / 10 = 0 fen */
    fx_ref d = fx_accept(f, &e);
    assert_int_equal(fx_pool_now(f).headroom_fen, 0);
    e = fx_withdraw(f, FX_FUND, "pool", 1, at(4));
    REJECT(f, &e, "R-POOL.2", "loans outstanding 10,000,000.00");
    e = fx_compensation(f, FX_FUND, "pool", &d, 1, at(4));
    REJECT(f, &e, "R-POOL.3", "compensation 0.01 for default bank-a#1 is not 0.00: 7/10 × loss "
                              "0.01 = 0.00");
    e = fx_compensation(f, FX_FUND, "pool", &d, 0, at(4));
    ACCEPT(f, &e);
    query_pool q = fx_pool_now(f);
    assert_int_equal(q.outstanding_fen, 0);
    assert_int_equal(q.compensated_fen, 0);
    assert_int_equal(q.headroom_fen, Y(10000000));
    e = fx_compensation(f, FX_FUND, "pool", &d, 0, at(5));
    REJECT(f, &e, "R-POOL.5", "default bank-a#1 is already compensated");
    e = fx_withdraw(f, FX_FUND, "pool", Y(1000000), at(5)); /* nothing locked */
    ACCEPT(f, &e);
}

static void test_r_pool5_second_compensation_for_the_same_default(void **state)
{
    fx *f = *state;
    deposit(f, Y(10000), at(1));
    fx_ref d = defaulted(f, FX_BANK, Y(1000), Y(1000), at(2));
    entry e = fx_compensation(f, FX_FUND, "pool", &d, Y(700), at(4));
    ACCEPT(f, &e);
    e = fx_compensation(f, FX_FUND, "pool", &d, Y(700), at(5));
    REJECT(f, &e, "R-POOL.5", "default bank-a#1 is already compensated (fund#2)");
    assert_int_equal(fx_pool_now(f).compensated_fen, Y(700));
}

/* The pool pays its share up to its balance (R-POOL.3): a default can
 * always be settled, even when the share exceeds all the pool can ever hold
 * (before, the compensation waited for deposits that R-POOL.8's size
 * refused: the loan stayed outstanding for ever). */
static void test_r_pool3_compensation_limited_to_the_balance(void **state)
{
    fx *f = *state;
    deposit(f, Y(1000), at(1));
    fx_ref d = defaulted(f, FX_BANK, Y(10000), Y(10000), at(2)); /* share 7,000.00 */
    entry e = fx_compensation(f, FX_FUND, "pool", &d, Y(7000), at(4));
    REJECT(f, &e, "R-POOL.3", "compensation 7,000.00 for default bank-a#1 is not 1,000.00: 7/10 "
                              "× loss 10,000.00 = 7,000.00, limited to pool pool's balance "
                              "1,000.00");
    e = fx_compensation(f, FX_FUND, "pool", &d, Y(1000) + 1, at(4));
    REJECT(f, &e, "R-POOL.3", "is not 1,000.00");
    e = fx_compensation(f, FX_FUND, "pool", &d, Y(1000) - 1, at(4));
    REJECT(f, &e, "R-POOL.3", "is not 1,000.00");
    e = fx_compensation(f, FX_FUND, "pool", &d, Y(1000), at(4));
    ACCEPT(f, &e);
    query_pool q = fx_pool_now(f);
    assert_int_equal(q.compensated_fen, q.deposited_fen);
    assert_int_equal(q.balance_fen, 0);
    assert_int_equal(q.outstanding_fen, 0);
    /* With the balance at the share, exactly the share. */
    deposit(f, Y(700), at(5));
    fx_ref d2 = defaulted(f, FX_BANK2, Y(1000), Y(1000), at(5));
    e = fx_compensation(f, FX_FUND, "pool", &d2, Y(700), at(7));
    ACCEPT(f, &e);
    assert_int_equal(fx_pool_now(f).balance_fen, 0);
}

static void test_r_pool3_share_over_the_pool_size_settles(void **state)
{
    fx *f = *state;
    const int64_t size = FX_POOL_SIZE_FEN;
    deposit(f, size, at(1));
    fx_ref d = defaulted(f, FX_BANK, 10 * size, 10 * size, at(2)); /* share 7 × size */
    entry e = fx_deposit(f, FX_FUND, "pool", 1, at(4));
    REJECT(f, &e, "R-POOL.8", "over its size");
    e = fx_compensation(f, FX_FUND, "pool", &d, 7 * size, at(4));
    REJECT(f, &e, "R-POOL.3", "limited to pool pool's balance");
    e = fx_compensation(f, FX_FUND, "pool", &d, size, at(4));
    ACCEPT(f, &e);
    query_pool q = fx_pool_now(f);
    assert_int_equal(q.outstanding_fen, 0);
    assert_int_equal(q.balance_fen, 0);
}

/* Issue 12 item 10: a loan guaranteed after its default (loan, default,
 * then guarantee) is owed nothing; a compensation of 0.00 settles it. The
 * guarantee cannot see the default (it cites the loan, and the default may
 * not have arrived), but the compensation cites the default and reads the
 * guarantee: both times are there. */
static void test_r_pool9_guarantee_after_the_default_is_owed_nothing(void **state)
{
    fx *f = *state;
    deposit(f, Y(1000000), at(1));
    fx_ref l = loan(f, FX_BANK, Y(1000000), at(2));
    entry e = fx_default(f, FX_BANK, &l, Y(1000000), at(3));
    fx_ref d = fx_accept(f, &e);
    guarantee(f, &l, Y(1000000), at(3) + 1); /* one millisecond after the default */
    e = fx_compensation(f, FX_FUND, "pool", &d, Y(700000), at(4));
    REJECT(f, &e, "R-POOL.9", "compensation 700,000.00 for default bank-a#1 is not 0.00: the loan "
                              "was guaranteed (fund#1, ", "after its default (",
           "the pool owes nothing for it");
    e = fx_compensation(f, FX_FUND, "pool", &d, Y(70000), at(4));
    REJECT(f, &e, "R-POOL.9", "is not 0.00");
    e = fx_compensation(f, FX_FUND, "pool", &d, 0, at(4));
    ACCEPT(f, &e);
    query_pool q = fx_pool_now(f);
    assert_int_equal(q.compensated_fen, 0);
    assert_int_equal(q.outstanding_fen, 0);
    assert_int_equal(q.balance_fen, Y(1000000));
}

/* The other side of R-POOL.9: a guarantee at the default's very time (times
 * may be equal, as within a feed) precedes it. */
static void test_r_pool9_guarantee_at_the_default_time_is_paid(void **state)
{
    fx *f = *state;
    deposit(f, Y(1000000), at(1));
    fx_ref l = loan(f, FX_BANK, Y(1000000), at(2));
    entry e = fx_default(f, FX_BANK, &l, Y(1000000), at(3));
    fx_ref d = fx_accept(f, &e);
    guarantee(f, &l, Y(1000000), at(3));
    e = fx_compensation(f, FX_FUND, "pool", &d, 0, at(4));
    REJECT(f, &e, "R-POOL.3", "is not 700,000.00: 7/10 × loss 1,000,000.00");
    e = fx_compensation(f, FX_FUND, "pool", &d, Y(700000), at(4));
    ACCEPT(f, &e);
}

static void test_r_pool4_compensation_citations(void **state)
{
    fx *f = *state;
    deposit(f, Y(10000), at(1));
    fx_ref l = loan(f, FX_BANK, Y(100), at(2)); /* not guaranteed */
    entry e = fx_default(f, FX_BANK, &l, Y(100), at(3));
    fx_ref d = fx_accept(f, &e);
    e = fx_compensation(f, FX_FUND, "pool", &d, Y(70), at(4));
    REJECT(f, &e, "R-POOL.4", "loan bank-a#0 is not guaranteed by pool pool");
    e = fx_compensation(f, FX_FUND, "pool", &l, Y(70), at(4));
    REJECT(f, &e, "R-POOL.4", "bank-a#0 is not a default");
    fx_ref d2 = defaulted(f, FX_BANK2, Y(100), Y(50), at(2));
    e = fx_compensation(f, FX_FUND, "pool", &d2, Y(35), at(3) - 1);
    REJECT(f, &e, "R-POOL.4", "is before bank-b#1");
    fx_ref ahead = {FX_BANK2, 2, {0}};
    e = fx_compensation(f, FX_FUND, "pool", &ahead, Y(35), at(4));
    PENDING(f, &e, "waiting for default bank-b#2");
    e = fx_compensation(f, FX_FUND, "pool", &d2, Y(35), at(4));
    ACCEPT(f, &e);
}

/* ---- releases: repaid amounts leave the outstanding ------------------------ */

static void test_r_pool_release_repaid_amounts(void **state)
{
    fx *f = *state;
    deposit(f, Y(100), at(1));
    fx_ref a = loan(f, FX_BANK, Y(1000), at(2));
    guarantee(f, &a, Y(1000), at(2));
    entry e = fx_repay(f, FX_BANK, &a, Y(400), at(3));
    fx_ref r = fx_accept(f, &e);
    fx_ref u = loan(f, FX_BANK, Y(10), at(3)); /* never guaranteed */
    e = fx_repay(f, FX_BANK, &u, Y(10), at(3));
    fx_ref ru = fx_accept(f, &e);

    e = fx_release(f, FX_FUND, "pool", &r, Y(400) + 1, at(4));
    REJECT(f, &e, "R-POOL.4", "release amount 400.01 is not bank-a#1's amount 400.00");
    e = fx_release(f, FX_FUND, "pool", &a, Y(1000), at(4));
    REJECT(f, &e, "R-POOL.4", "bank-a#0 is not a repayment");
    e = fx_release(f, FX_FUND, "pool", &ru, Y(10), at(4));
    REJECT(f, &e, "R-POOL.4", "loan bank-a#2 is not guaranteed by pool pool");
    assert_int_equal(fx_pool_now(f).headroom_fen, 0);
    e = fx_release(f, FX_FUND, "pool", &r, Y(400), at(4));
    ACCEPT(f, &e);
    query_pool q = fx_pool_now(f);
    assert_int_equal(q.outstanding_fen, Y(600));
    assert_int_equal(q.headroom_fen, Y(400));
    e = fx_release(f, FX_FUND, "pool", &r, Y(400), at(5));
    REJECT(f, &e, "R-POOL.5", "repayment bank-a#1 is already released (fund#2)");
}

/* A repayment made before the default: after the compensation released the
 * whole loan, releasing it would take the loan's outstanding below zero. */
static void test_r_pool6_release_after_compensation(void **state)
{
    fx *f = *state;
    deposit(f, Y(1000), at(1));
    fx_ref a = loan(f, FX_BANK, Y(1000), at(2));
    guarantee(f, &a, Y(1000), at(2));
    entry e = fx_repay(f, FX_BANK, &a, Y(300), at(3));
    fx_ref r = fx_accept(f, &e);
    e = fx_default(f, FX_BANK, &a, Y(700), at(4));
    fx_ref d = fx_accept(f, &e);
    e = fx_compensation(f, FX_FUND, "pool", &d, Y(490), at(5));
    ACCEPT(f, &e);
    assert_int_equal(fx_pool_now(f).outstanding_fen, 0);
    e = fx_release(f, FX_FUND, "pool", &r, Y(300), at(6));
    REJECT(f, &e, "R-POOL.6", "release 300.00 exceeds loan bank-a#0's guaranteed outstanding 0.00 "
                              "(compensated)");
}

/* Bank by bank: each bank's figures come from its own feed and the
 * operator's, and sum to the pool's. */
static int bank_row(void *arg, const query_pool_bank *b)
{
    query_pool_bank *rows = arg;
    rows[strcmp(b->bank, "bank-a") == 0 ? 0 : 1] = *b;
    return 0;
}

static void test_query_pool_bank_by_bank(void **state)
{
    fx *f = *state;
    deposit(f, Y(10000), at(1));
    fx_ref a = loan(f, FX_BANK, Y(5000), at(2));
    guarantee(f, &a, Y(5000), at(2));
    fx_ref d = defaulted(f, FX_BANK2, Y(2000), Y(1000), at(2));
    entry e = fx_compensation(f, FX_FUND, "pool", &d, Y(700), at(4));
    fx_ok(f, &e);
    e = fx_repay(f, FX_BANK, &a, Y(1000), at(5));
    fx_ref r = fx_accept(f, &e);
    e = fx_release(f, FX_FUND, "pool", &r, Y(1000), at(6));
    fx_ok(f, &e);
    query_pool_bank rows[2];
    memset(rows, 0, sizeof rows);
    assert_int_equal(query_pool_banks(&f->kv, "pool", STATE_TIME_LATEST, bank_row, rows), CF_OK);
    assert_int_equal(rows[0].lent_fen, Y(5000));
    assert_int_equal(rows[0].guaranteed_fen, Y(5000));
    assert_int_equal(rows[0].repaid_fen, Y(1000));
    assert_int_equal(rows[0].outstanding_fen, Y(4000));
    assert_int_equal(rows[0].compensated_fen, 0);
    assert_int_equal(rows[1].lent_fen, Y(2000));
    assert_int_equal(rows[1].defaults, 1);
    assert_int_equal(rows[1].loss_fen, Y(1000));
    assert_int_equal(rows[1].compensated_fen, Y(700));
    assert_int_equal(rows[1].outstanding_fen, 0);
    query_pool q = fx_pool_now(f);
    assert_int_equal(q.outstanding_fen, Y(4000));
    assert_int_equal(q.balance_fen, Y(9300));
    assert_int_equal(q.headroom_fen, Y(93000) - Y(4000));
    /* as of before the repayment */
    state_program pg;
    assert_int_equal(state_program_get(&f->kv, "pool", 4, &pg), CF_OK);
    assert_int_equal(query_pool_totals(&f->kv, &pg, at(5) - 1, &q), CF_OK);
    assert_int_equal(q.outstanding_fen, Y(5000));
    assert_int_equal(q.repaid_fen, 0);
}

/* ---- determinism: arrival order does not matter ------------------------- */

static void test_determinism_any_arrival_order(void **state)
{
    fx *w = *state;
    static fx_story s;
    s.n = 0;
    entry e = fx_deposit(w, FX_FUND, "pool", Y(3000), at(1));
    fx_told(w, &s, &e);
    e = fx_loan(w, FX_BANK, "pool", "p1", Y(6000), 12, at(2));
    fx_ref la = fx_told(w, &s, &e);
    e = fx_loan(w, FX_BANK2, "pool", "p2", Y(4000), 24, at(2));
    fx_ref lb = fx_told(w, &s, &e);
    e = fx_guarantee(w, FX_FUND, "pool", &la, Y(6000), at(3));
    fx_told(w, &s, &e);
    e = fx_guarantee(w, FX_FUND, "pool", &lb, Y(4000), at(3));
    fx_told(w, &s, &e);
    e = fx_default(w, FX_BANK2, &lb, Y(4000), at(4));
    fx_ref db = fx_told(w, &s, &e);
    e = fx_repay(w, FX_BANK, &la, Y(6000), at(4));
    fx_ref ra = fx_told(w, &s, &e);
    e = fx_compensation(w, FX_FUND, "pool", &db, Y(2800), at(5));
    fx_told(w, &s, &e);
    e = fx_release(w, FX_FUND, "pool", &ra, Y(6000), at(5));
    fx_told(w, &s, &e);
    e = fx_withdraw(w, FX_FUND, "pool", Y(100), at(6));
    fx_told(w, &s, &e);
    fx_story_orders(w, &s, 40);
}

#define T(name) cmocka_unit_test_setup_teardown(name, fx_case_setup_instruments, fx_case_teardown)

int main(void)
{
    const struct CMUnitTest tests[] = {
        T(test_r_role_pool_writers),
        T(test_r_ref_pool_names_a_pool),
        T(test_r_ref_pool_operator_must_be_fund),
        T(test_r_pool8_deposit_up_to_the_size),
        T(test_r_pool1_guarantee_at_exactly_10x_then_one_fen_over),
        T(test_r_pool1_empty_pool_guarantees_nothing),
        T(test_r_pool2_withdrawal_that_would_break_the_bound),
        T(test_r_pool6_withdrawal_never_below_zero),
        T(test_r_pool4_guarantee_citations),
        T(test_pending_guarantee_until_the_loan_arrives),
        T(test_r_pool4_repay_and_default_cite_own_earlier_loans),
        T(test_r_pool6_loan_principal_never_below_zero),
        T(test_r_pool3_compensation_is_share_of_loss_rounded_down),
        T(test_r_pool5_second_compensation_for_the_same_default),
        T(test_r_pool3_default_with_nothing_due_is_settled),
        T(test_r_pool3_compensation_limited_to_the_balance),
        T(test_r_pool3_share_over_the_pool_size_settles),
        T(test_r_pool9_guarantee_after_the_default_is_owed_nothing),
        T(test_r_pool9_guarantee_at_the_default_time_is_paid),
        T(test_r_pool4_compensation_citations),
        T(test_r_pool_release_repaid_amounts),
        T(test_r_pool6_release_after_compensation),
        T(test_query_pool_bank_by_bank),
        T(test_determinism_any_arrival_order),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
