/* test_rules_reverse_pool.c — the instruments' entries reversed (R-REVERSE.3's
 * table in docs/rules.md, node/ledger/rules_reverse_pool.c, rules_lease.c)
 * on both sides of every condition, over the instruments network of
 * rules_fixture.h: pool `pool` operated by fund (leverage 10, share 7:10,
 * size 100,000,000.00), banks bank-a and bank-b, leasing `lease`, awards
 * `award` (budget 1,000,000.00 a year).
 *
 * A bank's reversal reads the operator's feed up to its read point: what
 * the operator wrote at or past it does not count, so every node decides
 * alike; the last test applies a story with reversals in 40 arrival orders.
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
#include "testutil.h"

#define Y(x) FX_YUAN(x)

/* who's reversal of its entry r (amount restated); read: the operator's
 * feed read up to (UINT64_MAX: none stated). */
static entry reversal(const fx *f, const fx_ref *r, int64_t amount, uint64_t read, uint64_t t)
{
    entry e = fx_entry(f, r->who, ENTRY_REVERSAL, t);
    e.body.reversal.entry = fx_ref_of(f, r);
    e.body.reversal.amount_fen = amount;
    e.body.reversal.has_read = read != UINT64_MAX;
    e.body.reversal.read = read == UINT64_MAX ? 0 : read;
    e.body.reversal.reason = entry_text_of("a mistake", 9);
    return e;
}

/* the operator's feed read to its end */
static uint64_t all_of_fund(const fx *f)
{
    return fx_next_index(f, FX_FUND);
}

static fx_ref push_ok(fx *f, entry e)
{
    return fx_accept(f, &e);
}

/* ---- the operator's own entries --------------------------------------------- */

static void test_deposit_while_the_balance_bears_the_loans(void **state)
{
    fx *f = *state;
    fx_ref d0 = push_ok(f, fx_deposit(f, FX_FUND, "pool", Y(1000000), at(1)));
    fx_ref d1 = push_ok(f, fx_deposit(f, FX_FUND, "pool", Y(100000), at(1)));
    fx_ref l = push_ok(f, fx_loan(f, FX_BANK, "pool", "p1", Y(10000000), 12, at(2)));
    push_ok(f, fx_guarantee(f, FX_FUND, "pool", &l, Y(10000000), at(2)));
    entry e = reversal(f, &d0, Y(1000000), UINT64_MAX, at(3));
    REJECT(f, &e, "R-REVERSE.3", "reversing deposit fund#0: it would leave pool pool a balance "
                                 "of 100,000.00 with loans outstanding 10,000,000.00, over 10 × "
                                 "100,000.00 (R-POOL.1)");
    e = reversal(f, &d1, Y(100000) - 1, UINT64_MAX, at(3));
    REJECT(f, &e, "R-REVERSE.1", "the reversal states 99,999.99, but deposit fund#1 is of "
                                 "100,000.00");
    e = reversal(f, &d1, Y(100000), UINT64_MAX, at(3)); /* exactly 10 × 1,000,000.00 left */
    ACCEPT(f, &e);
    query_pool q = fx_pool_now(f);
    assert_int_equal(q.balance_fen, Y(1000000));
    assert_int_equal(q.deposited_fen, Y(1000000));
    e = reversal(f, &d1, Y(100000), UINT64_MAX, at(3));
    REJECT(f, &e, "R-REVERSE.2", "fund#1 was already reversed by fund#3");
}

static void test_deposit_the_balance_covers(void **state)
{
    fx *f = *state;
    fx_ref d = push_ok(f, fx_deposit(f, FX_FUND, "pool", Y(100), at(1)));
    fx_ref w = push_ok(f, fx_withdraw(f, FX_FUND, "pool", Y(100), at(1)));
    entry e = reversal(f, &d, Y(100), UINT64_MAX, at(2));
    REJECT(f, &e, "R-REVERSE.3", "reversing deposit fund#0: it takes 100.00 out of pool pool's "
                                 "balance 0.00");
    e = reversal(f, &w, Y(100), UINT64_MAX, at(2));
    ACCEPT(f, &e);
    e = reversal(f, &d, Y(100), UINT64_MAX, at(2));
    ACCEPT(f, &e);
    query_pool q = fx_pool_now(f);
    assert_int_equal(q.balance_fen, 0);
    assert_int_equal(q.deposited_fen, 0);
    assert_int_equal(q.withdrawn_fen, 0);
}

static void test_withdrawal_back_within_the_size(void **state)
{
    fx *f = *state;
    push_ok(f, fx_deposit(f, FX_FUND, "pool", FX_POOL_SIZE_FEN, at(1)));
    fx_ref w = push_ok(f, fx_withdraw(f, FX_FUND, "pool", Y(10), at(1)));
    push_ok(f, fx_deposit(f, FX_FUND, "pool", Y(10) - 1, at(1)));
    entry e = reversal(f, &w, Y(10), UINT64_MAX, at(2));
    REJECT(f, &e, "R-REVERSE.3", "reversing withdraw fund#1: it gives 10.00 back to pool pool's "
                                 "balance 99,999,999.99, over its size of 100,000,000.00 "
                                 "(R-POOL.8)");
    push_ok(f, fx_withdraw(f, FX_FUND, "pool", Y(10) - 1, at(2)));
    e = reversal(f, &w, Y(10), UINT64_MAX, at(2));
    ACCEPT(f, &e); /* exactly the size again */
    assert_int_equal(fx_pool_now(f).balance_fen, FX_POOL_SIZE_FEN);
}

static void test_guarantee_while_nothing_released_or_compensated_it(void **state)
{
    fx *f = *state;
    push_ok(f, fx_deposit(f, FX_FUND, "pool", Y(1000), at(1)));
    fx_ref l = push_ok(f, fx_loan(f, FX_BANK, "pool", "p1", Y(100), 12, at(1)));
    fx_ref g = push_ok(f, fx_guarantee(f, FX_FUND, "pool", &l, Y(100), at(2)));
    fx_ref r = push_ok(f, fx_repay(f, FX_BANK, &l, Y(10), at(3)));
    fx_ref rel = push_ok(f, fx_release(f, FX_FUND, "pool", &r, Y(10), at(3)));
    entry e = reversal(f, &g, Y(100), UINT64_MAX, at(4));
    REJECT(f, &e, "R-REVERSE.3", "reversing guarantee fund#1: loan bank-a#0 is partly released "
                                 "under it: fund reverses the releases first");
    entry back = reversal(f, &rel, Y(10), UINT64_MAX, at(4));
    ACCEPT(f, &back);
    assert_int_equal(fx_pool_now(f).outstanding_fen, Y(100));
    e = reversal(f, &g, Y(100), UINT64_MAX, at(4));
    ACCEPT(f, &e);
    query_pool q = fx_pool_now(f);
    assert_int_equal(q.outstanding_fen, 0);
    assert_int_equal(q.guaranteed_fen, 0);
    /* the loan is not guaranteed any more: its repayment is not released, and
     * the loan may be guaranteed again */
    e = fx_release(f, FX_FUND, "pool", &r, Y(10), at(5));
    REJECT(f, &e, "R-POOL.4", "loan bank-a#0 is not guaranteed by pool pool");
    e = fx_guarantee(f, FX_FUND, "pool", &l, Y(100), at(5));
    ACCEPT(f, &e);
    e = fx_release(f, FX_FUND, "pool", &r, Y(10), at(5));
    ACCEPT(f, &e);
}

static void test_release_while_leverage_bears_it_and_not_compensated(void **state)
{
    fx *f = *state;
    push_ok(f, fx_deposit(f, FX_FUND, "pool", Y(1000), at(1)));
    fx_ref l = push_ok(f, fx_loan(f, FX_BANK, "pool", "p1", Y(10000), 12, at(1)));
    push_ok(f, fx_guarantee(f, FX_FUND, "pool", &l, Y(10000), at(2)));
    fx_ref r = push_ok(f, fx_repay(f, FX_BANK, &l, Y(1000), at(3)));
    fx_ref rel = push_ok(f, fx_release(f, FX_FUND, "pool", &r, Y(1000), at(3)));
    fx_ref w = push_ok(f, fx_withdraw(f, FX_FUND, "pool", 1, at(3)));
    entry e = reversal(f, &rel, Y(1000), UINT64_MAX, at(4));
    REJECT(f, &e, "R-REVERSE.3", "reversing release fund#2: it would leave pool pool a balance "
                                 "of 999.99 with loans outstanding 10,000.00, over 10 × 999.99 "
                                 "(R-POOL.1)");
    entry back = reversal(f, &w, 1, UINT64_MAX, at(4));
    ACCEPT(f, &back);
    e = reversal(f, &rel, Y(1000), UINT64_MAX, at(4));
    ACCEPT(f, &e);
    assert_int_equal(fx_pool_now(f).outstanding_fen, Y(10000));
    /* after a compensation, a release is reversed only after it */
    fx_ref rel2 = push_ok(f, fx_release(f, FX_FUND, "pool", &r, Y(1000), at(5)));
    fx_ref dft = push_ok(f, fx_default(f, FX_BANK, &l, Y(100), at(5)));
    fx_ref comp = push_ok(f, fx_compensation(f, FX_FUND, "pool", &dft, Y(70), at(6)));
    e = reversal(f, &rel2, Y(1000), UINT64_MAX, at(7));
    REJECT(f, &e, "R-REVERSE.3", "reversing release fund#6: its loan's default was compensated "
                                 "since (fund#7): fund reverses the compensation first");
    back = reversal(f, &comp, Y(70), UINT64_MAX, at(7));
    ACCEPT(f, &back);
    e = reversal(f, &rel2, Y(1000), UINT64_MAX, at(7));
    ACCEPT(f, &e);
    query_pool q = fx_pool_now(f);
    assert_int_equal(q.outstanding_fen, Y(10000));
    assert_int_equal(q.compensated_fen, 0);
    assert_int_equal(q.balance_fen, Y(1000));
}

static void test_compensation_back_within_the_size_and_the_leverage(void **state)
{
    fx *f = *state;
    push_ok(f, fx_deposit(f, FX_FUND, "pool", Y(1000), at(1)));
    fx_ref l = push_ok(f, fx_loan(f, FX_BANK, "pool", "p1", Y(10000), 12, at(1)));
    push_ok(f, fx_guarantee(f, FX_FUND, "pool", &l, Y(10000), at(2)));
    fx_ref dft = push_ok(f, fx_default(f, FX_BANK, &l, Y(1000), at(3)));
    fx_ref comp = push_ok(f, fx_compensation(f, FX_FUND, "pool", &dft, Y(700), at(3)));
    /* balance 300.00, nothing outstanding; a second loan takes 3,000.00 */
    fx_ref l2 = push_ok(f, fx_loan(f, FX_BANK2, "pool", "p1", Y(3000), 12, at(4)));
    push_ok(f, fx_guarantee(f, FX_FUND, "pool", &l2, Y(3000), at(4)));
    /* back: balance 1,000.00, outstanding 13,000.00 > 10 × 1,000.00 */
    entry e = reversal(f, &comp, Y(700), UINT64_MAX, at(5));
    REJECT(f, &e, "R-REVERSE.3", "reversing compensation fund#2: it would leave pool pool a "
                                 "balance of 1,000.00 with loans outstanding 13,000.00, over 10 × "
                                 "1,000.00 (R-POOL.1)");
    push_ok(f, fx_deposit(f, FX_FUND, "pool", Y(300), at(5)));
    e = reversal(f, &comp, Y(700), UINT64_MAX, at(5));
    ACCEPT(f, &e); /* 13,000.00 = 10 × 1,300.00 */
    query_pool q = fx_pool_now(f);
    assert_int_equal(q.balance_fen, Y(1300));
    assert_int_equal(q.outstanding_fen, Y(13000));
    /* the default may be compensated again, at what it is due now */
    e = fx_compensation(f, FX_FUND, "pool", &dft, Y(700), at(6));
    ACCEPT(f, &e);
}

/* ---- the bank's entries: as of the read point of the operator's feed ---------- */

static void test_loan_before_it_is_guaranteed_as_of_the_read_point(void **state)
{
    fx *f = *state;
    push_ok(f, fx_deposit(f, FX_FUND, "pool", Y(1000), at(1)));
    fx_ref l = push_ok(f, fx_loan(f, FX_BANK, "pool", "p1", Y(100), 12, at(1)));
    uint64_t before = all_of_fund(f);
    fx_ref g = push_ok(f, fx_guarantee(f, FX_FUND, "pool", &l, Y(100), at(2)));
    entry e = reversal(f, &l, Y(100), all_of_fund(f), at(3));
    REJECT(f, &e, "R-REVERSE.3", "reversing loan bank-a#0: pool pool's fund#1 guarantees it: "
                                 "fund reverses that first");
    e = reversal(f, &l, Y(100), all_of_fund(f) + 1, at(3));
    PENDING(f, &e, "waiting for fund#2: the reversal read fund's feed up to it");
    /* a bank that had not read the guarantee: accepted (on every node) */
    e = reversal(f, &l, Y(100), before, at(3));
    ACCEPT(f, &e);
    e = fx_repay(f, FX_BANK, &l, Y(10), at(4));
    REJECT(f, &e, "R-REVERSE.4", "loan bank-a#0 was reversed by bank-a#1: a reversed entry is "
                                 "not cited");
    e = fx_default(f, FX_BANK, &l, Y(10), at(4));
    REJECT(f, &e, "R-REVERSE.4", "loan bank-a#0 was reversed by bank-a#1");
    /* the guarantee stands on a reversed loan until the operator reverses it */
    assert_int_equal(fx_pool_now(f).outstanding_fen, Y(100));
    e = reversal(f, &g, Y(100), UINT64_MAX, at(4));
    ACCEPT(f, &e);
    assert_int_equal(fx_pool_now(f).outstanding_fen, 0);
}

static void test_loan_before_repayments_and_defaults(void **state)
{
    fx *f = *state;
    fx_ref l = push_ok(f, fx_loan(f, FX_BANK, "pool", "p1", Y(100), 12, at(1)));
    fx_ref r = push_ok(f, fx_repay(f, FX_BANK, &l, Y(10), at(2)));
    entry e = reversal(f, &l, Y(100), all_of_fund(f), at(3));
    REJECT(f, &e, "R-REVERSE.3", "reversing loan bank-a#0: repayments of 10.00 stand on it: "
                                 "bank-a reverses them first");
    entry back = reversal(f, &r, Y(10), all_of_fund(f), at(3));
    ACCEPT(f, &back);
    fx_ref d = push_ok(f, fx_default(f, FX_BANK, &l, Y(100), at(4)));
    e = reversal(f, &l, Y(100), all_of_fund(f), at(5));
    REJECT(f, &e, "R-REVERSE.3", "reversing loan bank-a#0: its default stands on it: bank-a "
                                 "reverses it first");
    back = reversal(f, &d, Y(100), all_of_fund(f), at(5));
    ACCEPT(f, &back);
    e = reversal(f, &l, Y(100), all_of_fund(f), at(5));
    ACCEPT(f, &e);
}

static void test_repayment_before_its_release_default_before_its_compensation(void **state)
{
    fx *f = *state;
    push_ok(f, fx_deposit(f, FX_FUND, "pool", Y(1000), at(1)));
    fx_ref l = push_ok(f, fx_loan(f, FX_BANK, "pool", "p1", Y(100), 12, at(1)));
    push_ok(f, fx_guarantee(f, FX_FUND, "pool", &l, Y(100), at(2)));
    fx_ref r = push_ok(f, fx_repay(f, FX_BANK, &l, Y(40), at(3)));
    fx_ref rel = push_ok(f, fx_release(f, FX_FUND, "pool", &r, Y(40), at(3)));
    entry e = reversal(f, &r, Y(40), all_of_fund(f), at(4));
    REJECT(f, &e, "R-REVERSE.3", "reversing repay bank-a#1: pool pool's fund#2 releases it: "
                                 "fund reverses that first");
    entry back = reversal(f, &rel, Y(40), UINT64_MAX, at(4));
    ACCEPT(f, &back);
    e = reversal(f, &r, Y(40), all_of_fund(f), at(4));
    ACCEPT(f, &e); /* the principal is 100.00 again: a default may lose it all */
    fx_ref d = push_ok(f, fx_default(f, FX_BANK, &l, Y(100), at(5)));
    fx_ref comp = push_ok(f, fx_compensation(f, FX_FUND, "pool", &d, Y(70), at(5)));
    e = reversal(f, &d, Y(100), all_of_fund(f), at(6));
    REJECT(f, &e, "R-REVERSE.3", "reversing default bank-a#3: pool pool's fund#4 compensates it");
    e = reversal(f, &d, Y(100), all_of_fund(f) - 1, at(6)); /* not read: accepted */
    ACCEPT(f, &e);
    back = reversal(f, &comp, Y(70), UINT64_MAX, at(6));
    ACCEPT(f, &back);
    assert_int_equal(fx_pool_now(f).balance_fen, Y(1000));
}

/* A reversal applied as disputed (it cites its closed key's feed at or past
 * the closing, R-KEY) reversed nothing: it gives nothing back to the feed's
 * volume (R-VOLUME). It took the volume below 0 once, and the feed's tip
 * then read as a corrupt record (found by test_rules_model). */
static void test_disputed_reversal_gives_no_volume_back(void **state)
{
    fx *f = *state;
    push_ok(f, fx_loan(f, FX_BANK, "pool", "p1", Y(100), 12, at(1)));
    entry e = fx_entry(f, FX_GOV, ENTRY_RETIRE, FX_T0);
    e.body.retire.name = entry_text_of("bank-a", 6);
    e.body.retire.close = 2;
    fx_ok(f, &e);
    fx_ref later = {FX_BANK, 2, {0}};
    e = reversal(f, &later, Y(500), UINT64_MAX, at(2));
    ACCEPT(f, &e); /* applied as disputed */
    state_tip t;
    assert_int_equal(state_tip_get(&f->kv, f->keys[FX_BANK], &t), CF_OK);
    assert_int_equal(t.applied, 2);
    assert_int_equal(t.volume, Y(100));
    assert_int_equal(fx_pool_now(f).lent_fen, Y(100));
}

/* ---- leases and awards: always ---------------------------------------------- */

static int count_2025_top(void *arg, const query_award_level *l)
{
    if (l->year == 2025 && l->level_fen == Y(500000)) *(int64_t *)arg = l->count;
    return CF_OK;
}

static void test_lease_and_award_always(void **state)
{
    fx *f = *state;
    fx_ref l = push_ok(f, fx_lease(f, FX_LESSOR, "lease", "p1", Y(100), Y(20), Y(60), Y(20),
                                   at(1)));
    entry e = reversal(f, &l, Y(100), UINT64_MAX, at(3));
    ACCEPT(f, &e);
    query_lease_totals t;
    assert_int_equal(query_lease_sum(&f->kv, "p1", NULL, at(2), &t), CF_OK);
    assert_int_equal(t.count, 1); /* as of before the reversal */
    assert_int_equal(query_lease_sum(&f->kv, "p1", NULL, STATE_TIME_LATEST, &t), CF_OK);
    assert_int_equal(t.count, 0);
    /* an award's year gets its amount back (R-AWARD.4), and the same award
     * may be entered again (R-AWARD.3) */
    fx_ref a = push_ok(f, fx_award(f, FX_FUND, "award", "p1", Y(500000), 2025, at(1)));
    push_ok(f, fx_award(f, FX_FUND, "award", "p2", Y(500000), 2025, at(1)));
    e = fx_award(f, FX_FUND, "award", "p3", Y(100000), 2025, at(1));
    REJECT(f, &e, "R-AWARD.4", "over its annual budget");
    entry back = reversal(f, &a, Y(500000), UINT64_MAX, at(2));
    ACCEPT(f, &back);
    fx_ref p3 = push_ok(f, fx_award(f, FX_FUND, "award", "p3", Y(100000), 2025, at(2)));
    e = fx_award(f, FX_FUND, "award", "p1", Y(500000), 2025, at(2));
    REJECT(f, &e, "R-AWARD.4", "over its annual budget");
    /* the same award again, once the budget allows: a record of its own —
     * as of before the first's reversal the first is listed, after it the
     * second */
    back = reversal(f, &p3, Y(100000), UINT64_MAX, at(3));
    ACCEPT(f, &back);
    e = fx_award(f, FX_FUND, "award", "p1", Y(500000), 2025, at(4));
    ACCEPT(f, &e);
    e = fx_award(f, FX_FUND, "award", "p1", Y(500000), 2026, at(4));
    ACCEPT(f, &e);
    e = fx_award(f, FX_FUND, "award", "p1", Y(500000), 2026, at(4));
    REJECT(f, &e, "R-AWARD.3", "project p1 already has program award's 500,000.00 award for 2026");
    const uint64_t when[3] = {at(1), at(3), STATE_TIME_LATEST};
    const int64_t want[3] = {2, 1, 2}; /* 500,000.00 awards of 2025 listed */
    for (int i = 0; i < 3; i++) {
        int64_t n = 0;
        assert_int_equal(query_award_levels(&f->kv, "award", when[i], count_2025_top, &n), CF_OK);
        assert_int_equal(n, want[i]);
    }
}
/* ---- any arrival order ------------------------------------------------------- */

static void test_reversals_in_any_arrival_order(void **state)
{
    fx *w = *state;
    static fx_story s;
    s.n = 0;
    entry e = fx_deposit(w, FX_FUND, "pool", Y(3000), at(1));
    fx_ref dep = fx_told(w, &s, &e);
    e = fx_loan(w, FX_BANK, "pool", "p1", Y(6000), 12, at(2));
    fx_ref la = fx_told(w, &s, &e);
    e = fx_loan(w, FX_BANK2, "pool", "p2", Y(4000), 24, at(2));
    fx_ref lb = fx_told(w, &s, &e);
    e = fx_guarantee(w, FX_FUND, "pool", &la, Y(6000), at(3));
    fx_ref ga = fx_told(w, &s, &e);
    e = fx_guarantee(w, FX_FUND, "pool", &lb, Y(4000), at(3));
    fx_told(w, &s, &e);
    e = fx_default(w, FX_BANK2, &lb, Y(4000), at(4));
    fx_ref db = fx_told(w, &s, &e);
    e = fx_compensation(w, FX_FUND, "pool", &db, Y(2800), at(5));
    fx_ref cb = fx_told(w, &s, &e);
    /* bank-a reverses its loan having read only the deposit: accepted alike,
     * though the guarantee stands on it; the fund then reverses that */
    e = reversal(w, &la, Y(6000), 1, at(5));
    fx_told(w, &s, &e);
    e = reversal(w, &ga, Y(6000), UINT64_MAX, at(6));
    fx_told(w, &s, &e);
    /* the fund reverses the compensation, then bank-b its default, having
     * read that (pending until it has arrived) */
    e = reversal(w, &cb, Y(2800), UINT64_MAX, at(6));
    fx_told(w, &s, &e);
    e = reversal(w, &db, Y(4000), all_of_fund(w), at(7));
    fx_told(w, &s, &e);
    e = fx_repay(w, FX_BANK2, &lb, Y(4000), at(8));
    fx_ref rb = fx_told(w, &s, &e);
    e = fx_release(w, FX_FUND, "pool", &rb, Y(4000), at(8));
    fx_told(w, &s, &e);
    e = fx_withdraw(w, FX_FUND, "pool", Y(100), at(9));
    fx_ref wd = fx_told(w, &s, &e);
    e = reversal(w, &wd, Y(100), UINT64_MAX, at(9));
    fx_told(w, &s, &e);
    (void)dep;
    query_pool q = fx_pool_now(w);
    assert_int_equal(q.balance_fen, Y(3000));
    assert_int_equal(q.outstanding_fen, 0);
    fx_story_orders(w, &s, 40);
}


/* ---- the property on random stories ------------------------------------------
 * A random story of the instruments' entries (deposits, withdrawals, two
 * banks' loans, repayments and defaults, guarantees, releases,
 * compensations, leases, awards; refused ones dropped), then every entry
 * reversed newest first: after each reversal the pool's figures, the banks',
 * the leases and the awards read as they did before that entry. The one
 * refusal allowed: R-REVERSE.3 under R-POOL.1, where the state before the
 * entry was itself over the bound (a compensation can leave it so; docs/rules.md
 * R-POOL.3) — the unwinding stops there. */

typedef struct {
    fx_ref ref;
    enum entry_type type;
    int64_t amount;
    char before[2048]; /* the figures before it */
} step;

static int bank_text(void *arg, const query_pool_bank *b)
{
    char *out = arg;
    if (!b->lent_fen && !b->repaid_fen && !b->loss_fen && !b->defaults && !b->guaranteed_fen &&
        !b->released_fen && !b->compensated_fen)
        return CF_OK; /* a bank all of whose entries were reversed */
    size_t n = strlen(out);
    snprintf(out + n, 2048 - n, "|%s %lld %lld %lld %lld %lld %lld %lld", b->bank,
             (long long)b->lent_fen, (long long)b->repaid_fen, (long long)b->loss_fen,
             (long long)b->defaults, (long long)b->guaranteed_fen, (long long)b->released_fen,
             (long long)b->compensated_fen);
    return CF_OK;
}

static int level_text(void *arg, const query_award_level *l)
{
    char *out = arg;
    size_t n = strlen(out);
    snprintf(out + n, 2048 - n, "|%d %lld %lld", l->year, (long long)l->level_fen,
             (long long)l->count);
    return CF_OK;
}

static void figures(fx *f, char out[2048])
{
    query_pool q = fx_pool_now(f);
    query_lease_totals t;
    snprintf(out, 2048, "%lld %lld %lld %lld %lld %lld %lld %lld %lld", (long long)q.deposited_fen,
             (long long)q.withdrawn_fen, (long long)q.compensated_fen, (long long)q.guaranteed_fen,
             (long long)q.released_fen, (long long)q.lent_fen, (long long)q.repaid_fen,
             (long long)q.loss_fen, (long long)q.defaults);
    assert_int_equal(query_pool_banks(&f->kv, "pool", STATE_TIME_LATEST, bank_text, out), CF_OK);
    assert_int_equal(query_lease_sum(&f->kv, NULL, NULL, STATE_TIME_LATEST, &t), CF_OK);
    size_t n = strlen(out);
    snprintf(out + n, 2048 - n, "|leases %lld %lld", (long long)t.count, (long long)t.price_fen);
    assert_int_equal(query_award_levels(&f->kv, "award", STATE_TIME_LATEST, level_text, out),
                     CF_OK);
}

/* An earlier accepted step of `type` (by `who`, or any: -1), or NULL. */
static const step *earlier(uint64_t *rng, const step *st, size_t n, enum entry_type type, int who)
{
    size_t idx[64], k = 0;
    for (size_t i = 0; i < n; i++)
        if (st[i].type == type && (who < 0 || st[i].ref.who == who)) idx[k++] = i;
    return k ? &st[idx[tu_rng_next(rng) % k]] : NULL;
}

static entry random_entry(fx *f, uint64_t *rng, const step *st, size_t n, uint64_t t)
{
    int bank = tu_rng_next(rng) % 2 ? FX_BANK : FX_BANK2;
    int64_t amt = Y(1 + (int64_t)(tu_rng_next(rng) % 3000));
    const step *x;
    switch (tu_rng_next(rng) % 11) {
    case 0: case 1: return fx_deposit(f, FX_FUND, "pool", amt, t);
    case 2: return fx_withdraw(f, FX_FUND, "pool", amt / 4 + 1, t);
    case 3: return fx_loan(f, bank, "pool", "p1", amt * 3, 12, t);
    case 4:
        if ((x = earlier(rng, st, n, ENTRY_LOAN, -1)) == NULL) break;
        return fx_guarantee(f, FX_FUND, "pool", &x->ref, x->amount, t);
    case 5:
        if ((x = earlier(rng, st, n, ENTRY_LOAN, bank)) == NULL) break;
        return fx_repay(f, bank, &x->ref, amt / 2 + 1, t);
    case 6:
        if ((x = earlier(rng, st, n, ENTRY_LOAN, bank)) == NULL) break;
        return fx_default(f, bank, &x->ref, amt, t);
    case 7:
        if ((x = earlier(rng, st, n, ENTRY_REPAY, -1)) == NULL) break;
        return fx_release(f, FX_FUND, "pool", &x->ref, x->amount, t);
    case 8: {
        if ((x = earlier(rng, st, n, ENTRY_DEFAULT, -1)) == NULL) break;
        state_program pg;
        int64_t due = 0;
        diag d;
        assert_int_equal(state_program_get(&f->kv, "pool", 4, &pg), CF_OK);
        (void)ledger_compensation_due(&f->kv, &pg, f->keys[x->ref.who], x->ref.index, &due, &d);
        return fx_compensation(f, FX_FUND, "pool", &x->ref, due, t);
    }
    case 9: return fx_lease(f, FX_LESSOR, "lease", "p1", Y(100), Y(20), Y(60), Y(20), t);
    default:
        return fx_award(f, FX_FUND, "award", tu_rng_next(rng) % 2 ? "p1" : "p2",
                        tu_rng_next(rng) % 2 ? Y(100000) : Y(500000),
                        2025 + (uint32_t)(tu_rng_next(rng) % 2), t);
    }
    return fx_deposit(f, FX_FUND, "pool", amt, t);
}

static bool is_bank(enum entry_type t)
{
    return t == ENTRY_LOAN || t == ENTRY_REPAY || t == ENTRY_DEFAULT;
}

static void test_property_random_stories_reversed_newest_first(void **state)
{
    (void)state;
    uint64_t master = tu_seed_default("instruments' reversal property", UINT64_C(0x5eed2026120405));
    uint64_t rng = master, unwound = 0, stopped = 0, reversals = 0, by_type[ENTRY__TYPES] = {0};
    static step st[64];
    for (int seq = 0; seq < 60; seq++) {
        fx *f = fx_setup_instruments();
        assert_non_null(f);
        size_t n = 0;
        for (int k = 0; k < 60 && n < 64; k++) {
            uint64_t t = at(1 + (uint64_t)k);
            char before[2048];
            figures(f, before);
            entry e = random_entry(f, &rng, st, n, t);
            if (fx_push(f, &e) != CF_OK) continue;
            step *x = &st[n++];
            x->ref = (fx_ref){0, e.index, {0}};
            for (int w = 0; w < FX_KEYS; w++)
                if (memcmp(f->keys[w], e.author, 32) == 0) x->ref.who = w;
            memcpy(x->ref.leaf, f->leaf, 32);
            x->type = e.type;
            x->amount = ledger_entry_volume(&e);
            memcpy(x->before, before, sizeof before);
        }
        bool whole = true;
        for (size_t k = n; k-- > 0;) {
            const step *x = &st[k];
            entry r = reversal(f, &x->ref, x->amount, is_bank(x->type) ? all_of_fund(f) : UINT64_MAX,
                               at(100 + n - k));
            int rc = fx_push(f, &r);
            if (rc != CF_OK) {
                if (rc != CF_EREJECTED || strcmp(f->d.rule, "R-REVERSE.3") != 0 ||
                    strstr(f->d.text, "(R-POOL.1)") == NULL)
                    fail_msg("seed 0x%llx sequence %d: the reversal of %s#%llu: %s [%s] %s",
                             (unsigned long long)master, seq, fx_names[x->ref.who],
                             (unsigned long long)x->ref.index, cf_errname(rc), f->d.rule,
                             f->d.text);
                whole = false;
                break;
            }
            reversals++;
            by_type[x->type]++;
            char now[2048];
            figures(f, now);
            if (strcmp(now, x->before) != 0)
                fail_msg("seed 0x%llx sequence %d: after reversing %s#%llu (%s):\n%s\nbefore it:\n%s",
                         (unsigned long long)master, seq, fx_names[x->ref.who],
                         (unsigned long long)x->ref.index, entry_type_name(x->type), now,
                         x->before);
        }
        unwound += whole;
        stopped += !whole;
        fx_free(f);
    }
    print_message("instruments' reversal property: 60 stories, %llu unwound whole, %llu stopped at "
                  "a pool over its bound; %llu reversals:",
                  (unsigned long long)unwound, (unsigned long long)stopped,
                  (unsigned long long)reversals);
    for (int t = 1; t < ENTRY__TYPES; t++)
        if (by_type[t]) print_message(" %s %llu", entry_type_name((enum entry_type)t),
                                      (unsigned long long)by_type[t]);
    print_message("\n");
    assert_true(unwound > 30);
    for (int t = ENTRY_DEPOSIT; t <= ENTRY_AWARD; t++) assert_true(by_type[t] > 0);
}

#define T(name) cmocka_unit_test_setup_teardown(name, fx_case_setup_instruments, fx_case_teardown)

int main(void)
{
    const struct CMUnitTest tests[] = {
        T(test_deposit_while_the_balance_bears_the_loans),
        T(test_deposit_the_balance_covers),
        T(test_withdrawal_back_within_the_size),
        T(test_guarantee_while_nothing_released_or_compensated_it),
        T(test_release_while_leverage_bears_it_and_not_compensated),
        T(test_compensation_back_within_the_size_and_the_leverage),
        T(test_loan_before_it_is_guaranteed_as_of_the_read_point),
        T(test_loan_before_repayments_and_defaults),
        T(test_repayment_before_its_release_default_before_its_compensation),
        T(test_disputed_reversal_gives_no_volume_back),
        T(test_lease_and_award_always),
        T(test_reversals_in_any_arrival_order),
        cmocka_unit_test(test_property_random_stories_reversed_newest_first),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
