/* test_rules_fork.c — R-FORK (docs/rules.md, node/ledger/rules.c and
 * rules_invest.c) on both sides: a feed proven forked at point P counts up
 * to P; a citation of it below P is checked as any other, one at or past P
 * is disputed — never pending, never rejected for what it cites — and a
 * disputed match still counts against its program's cap and budget, but not
 * as counterpart capital. The fork point is written into the state as the
 * node's rebuild and the audit's replay write it (state_fork_put).
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

#define Y(x) FX_YUAN(x)

static void fork_at(fx *f, int who, uint64_t point)
{
    assert_int_equal(state_fork_put(&f->kv, f->keys[who], point), CF_OK);
}

/* A citation of an entry that was never applied here, at index i. */
static entry_cite cite_unheld(fx *f, int who, uint64_t index, int64_t amount)
{
    entry_cite c = {.index = index, .amount_fen = amount};
    memcpy(c.author, f->keys[who], 32);
    memset(c.leaf, 0x5a, 32);
    return c;
}

static void totals(fx *f, const char *program, query_totals *t)
{
    assert_int_equal(query_program_totals(&f->kv, program, STATE_TIME_LATEST, t), CF_OK);
}

static void test_r_fork_below_the_point_is_checked(void **state)
{
    fx *f = *state;
    fx_ref r = contrib(f, FX_INV_A, Y(100), at(1)); /* inv-a#0 */
    fork_at(f, FX_INV_A, 1);
    entry e = match1(f, "ind", &r, Y(100) + 1, at(2));
    REJECT(f, &e, "R-MATCH.4", "match 100.01", "inv-a#0");
    e = match1(f, "ind", &r, Y(100), at(2));
    ACCEPT(f, &e);
    query_totals t;
    totals(f, "ind", &t);
    assert_int_equal(t.counterpart_fen, Y(100));
    assert_int_equal(t.disputed_fen, 0);
}

static void test_r_fork_past_the_point_is_disputed_not_pending(void **state)
{
    fx *f = *state;
    contrib(f, FX_INV_A, Y(100), at(1)); /* inv-a#0 */
    entry_cite c = cite_unheld(f, FX_INV_A, 1, Y(500));
    entry e = fx_match(f, FX_FUND, "ind", "p1", "A", at(2), 1, &c);
    /* Without a fork, inv-a#1 is waited for. */
    PENDING(f, &e, "waiting for contribution inv-a#1");
    /* Forked at 1: the citation of inv-a#1 is disputed. Its amount and leaf
     * cannot be checked (it is in one history or the other), so they are not. */
    fork_at(f, FX_INV_A, 1);
    ACCEPT(f, &e);
    query_totals t;
    totals(f, "ind", &t);
    assert_int_equal(t.deployed_fen, Y(500));
    assert_int_equal(t.counterpart_fen, 0);
    assert_int_equal(t.disputed_fen, Y(500));
    state_disputed x;
    assert_int_equal(state_disputed_get(&f->kv, f->keys[FX_FUND], e.index, &x), CF_OK);
    assert_int_equal(x.cited_index, 1);
    assert_int_equal(x.amount_fen, Y(500));
    assert_memory_equal(x.cited_author, f->keys[FX_INV_A], 32);
}

static void test_r_fork_mixed_citations(void **state)
{
    fx *f = *state;
    fx_ref r = contrib(f, FX_INV_A, Y(100), at(1)); /* inv-a#0, below the point */
    fork_at(f, FX_INV_A, 1);
    entry_cite c[2] = {fx_cite(f, &r, Y(100) + 1), cite_unheld(f, FX_INV_A, 1, Y(7))};
    entry e = fx_match(f, FX_FUND, "ind", "p1", "A", at(2), 2, c);
    /* The part below the point is still held to its ratio. */
    REJECT(f, &e, "R-MATCH.4", "allocation 100.01", "inv-a#0");
    c[0] = fx_cite(f, &r, Y(100));
    e = fx_match(f, FX_FUND, "ind", "p1", "A", at(2), 2, c);
    ACCEPT(f, &e);
    query_totals t;
    totals(f, "ind", &t);
    assert_int_equal(t.deployed_fen, Y(107));
    assert_int_equal(t.counterpart_fen, Y(100));
    assert_int_equal(t.disputed_fen, Y(7));
}

static void test_r_fork_disputed_counts_against_the_cap(void **state)
{
    fx *f = *state;
    fork_at(f, FX_TEAM, 0);
    entry_cite c = cite_unheld(f, FX_TEAM, 0, FX_INC_CAP_FEN + 1);
    entry e = fx_match(f, FX_FUND, "inc", "p1", "A", at(2), 1, &c);
    REJECT(f, &e, "R-CAP", "match 300,000.01", "cap of 300,000.00 in project p1");
    c = cite_unheld(f, FX_TEAM, 0, FX_INC_CAP_FEN);
    e = fx_match(f, FX_FUND, "inc", "p1", "A", at(2), 1, &c);
    ACCEPT(f, &e);
    c = cite_unheld(f, FX_TEAM, 1, 1);
    e = fx_match(f, FX_FUND, "inc", "p1", "A", at(3), 1, &c);
    REJECT(f, &e, "R-CAP", "match 0.01", "(300,000.00 already matched)");
}

static void test_r_fork_disputed_guarantee_changes_nothing(void **state)
{
    fx *f = *state;
    entry e = fx_deposit(f, FX_FUND, "pool", Y(1000), at(1));
    ACCEPT(f, &e);
    query_pool before, after;
    state_program pool;
    assert_int_equal(state_program_get(&f->kv, "pool", 4, &pool), CF_OK);
    assert_int_equal(query_pool_totals(&f->kv, &pool, STATE_TIME_LATEST, &before), CF_OK);
    fx_ref loan = {FX_BANK, 0, {0}};
    memset(loan.leaf, 0x5a, 32);
    e = fx_guarantee(f, FX_FUND, "pool", &loan, Y(100), at(2));
    PENDING(f, &e, "waiting for loan bank-a#0");
    fork_at(f, FX_BANK, 0);
    state_tip tip_before, tip_after;
    assert_int_equal(state_tip_get(&f->kv, f->keys[FX_FUND], &tip_before), CF_OK);
    ACCEPT(f, &e);
    /* Applied as disputed, it still moves the feed's tip like any entry,
     * its volume (R-VOLUME) included. */
    assert_int_equal(state_tip_get(&f->kv, f->keys[FX_FUND], &tip_after), CF_OK);
    assert_int_equal(tip_after.applied, tip_before.applied + 1);
    assert_int_equal(tip_after.volume, tip_before.volume + ledger_entry_volume(&e));
    assert_int_equal(query_pool_totals(&f->kv, &pool, STATE_TIME_LATEST, &after), CF_OK);
    assert_int_equal(after.guaranteed_fen, before.guaranteed_fen);
    assert_int_equal(after.headroom_fen, before.headroom_fen);
    state_disputed x;
    assert_int_equal(state_disputed_get(&f->kv, f->keys[FX_FUND], e.index, &x), CF_OK);
    assert_int_equal(x.amount_fen, 0);
    /* The fund's feed goes on: its next entry is judged as usual. */
    e = fx_withdraw(f, FX_FUND, "pool", Y(1000) + 1, at(3));
    REJECT(f, &e, "R-POOL.6", "");
}

#define T(fn) cmocka_unit_test_setup_teardown(fn, fx_case_setup, fx_case_teardown)
#define TI(fn) cmocka_unit_test_setup_teardown(fn, fx_case_setup_instruments, fx_case_teardown)

int main(void)
{
    const struct CMUnitTest tests[] = {
        T(test_r_fork_below_the_point_is_checked),
        T(test_r_fork_past_the_point_is_disputed_not_pending),
        T(test_r_fork_mixed_citations),
        T(test_r_fork_disputed_counts_against_the_cap),
        TI(test_r_fork_disputed_guarantee_changes_nothing),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
