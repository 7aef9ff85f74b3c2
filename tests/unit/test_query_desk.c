/* test_query_desk.c — the fund manager's reports (node/ledger/query.h) over
 * ledgers built by the rule engine (rules_fixture.h): positions split into
 * invested and exited, with reversals counting in neither and a holder that
 * exited whole keeping its row, as of any time; the per-round breakdown; and
 * the contributions awaiting a match with their windows, holdings, the cap
 * and the budget (query_unmatched), whose matchable sum is the program's
 * "matchable now" (query_program_awaiting).
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
#include "query_cases.h"

#define DAY FX_DAY_MS

static const query_position *find(fx *f, const pos_rows *r, int who)
{
    for (size_t i = 0; i < r->n; i++)
        if (memcmp(r->rows[i].holder, f->keys[who], 32) == 0) return &r->rows[i];
    return NULL;
}

/* Reverse the author's entry at ref (a contribution naming program: with
 * the operator's read point). */
static void reverse(fx *f, int who, const fx_ref *ref, int64_t amount, bool with_read, uint64_t t)
{
    entry r = fx_entry(f, who, ENTRY_REVERSAL, t);
    r.body.reversal.entry = fx_ref_of(f, ref);
    r.body.reversal.amount_fen = amount;
    r.body.reversal.has_read = with_read;
    r.body.reversal.read = fx_next_index(f, FX_FUND);
    r.body.reversal.reason = entry_text_of("typo", 4);
    fx_ok(f, &r);
}

static void test_positions_invested_exited_net(void **state)
{
    fx *f = *state;
    fx_ref a = contrib(f, FX_INV_A, 10000, at(1));
    contrib(f, FX_INV_B, 5000, at(1));
    fx_match1(f, "ind", &a, "p1", "A", 10000, at(2));
    entry e = fx_exit(f, FX_INV_A, "p1", 4000, at(3));
    fx_ok(f, &e);
    e = fx_exit(f, FX_INV_B, "p1", 5000, at(4)); /* whole */
    fx_ok(f, &e);
    fx_ref c = contrib(f, FX_INV_A, 777, at(5));
    reverse(f, FX_INV_A, &c, 777, true, at(6)); /* counts in neither */
    e = fx_exit(f, FX_FUND, "p1", 1000, at(7));
    fx_ok(f, &e);
    fx_ref x = {FX_FUND, fx_next_index(f, FX_FUND) - 1, {0}};
    memcpy(x.leaf, f->leaf, 32);
    reverse(f, FX_FUND, &x, 1000, false, at(8)); /* an exit reversed: exited 0 again */

    const struct {
        uint64_t as_of;
        int64_t a_in, a_out, b_in, b_out, fund_in, fund_out;
        size_t rows;
    } cases[] = {
        {at(1), 10000, 0, 5000, 0, 0, 0, 2},
        {at(3), 10000, 4000, 5000, 0, 10000, 0, 3},
        {at(4), 10000, 4000, 5000, 5000, 10000, 0, 3}, /* inv-b keeps its row, net 0 */
        {at(5), 10777, 4000, 5000, 5000, 10000, 0, 3},
        {at(6), 10000, 4000, 5000, 5000, 10000, 0, 3},
        {at(7), 10000, 4000, 5000, 5000, 10000, 1000, 3},
        {STATE_TIME_LATEST, 10000, 4000, 5000, 5000, 10000, 0, 3},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        pos_rows r = positions(f, NULL, "p1", cases[i].as_of);
        assert_int_equal(r.n, cases[i].rows);
        const int who[3] = {FX_INV_A, FX_INV_B, FX_FUND};
        const int64_t in[3] = {cases[i].a_in, cases[i].b_in, cases[i].fund_in},
                      out[3] = {cases[i].a_out, cases[i].b_out, cases[i].fund_out};
        int64_t total = 0;
        for (int k = 0; k < 3; k++) {
            const query_position *p = find(f, &r, who[k]);
            if (in[k] == 0) {
                assert_null(p);
                continue;
            }
            assert_non_null(p);
            assert_int_equal(p->invested_fen, in[k]);
            assert_int_equal(p->exited_fen, out[k]);
            assert_int_equal(p->amount_fen, in[k] - out[k]);
            assert_int_equal(p->amount_fen, fx_position(f, "p1", who[k], cases[i].as_of));
            total += p->amount_fen;
        }
        for (size_t k = 0; k < r.n; k++) assert_int_equal(r.rows[k].project_total_fen, total);
        /* by holder name: fund, inv-a, inv-b */
        for (size_t k = 1; k < r.n; k++) {
            char n0[STATE_ID_CAP], n1[STATE_ID_CAP];
            ledger_member_label(&f->kv, r.rows[k - 1].holder, n0, sizeof n0);
            ledger_member_label(&f->kv, r.rows[k].holder, n1, sizeof n1);
            assert_true(strcmp(n0, n1) < 0);
        }
    }
}

typedef struct {
    query_round_position rows[16];
    size_t n;
} round_rows;

static int round_collect(void *arg, const query_round_position *p)
{
    round_rows *r = arg;
    assert_true(r->n < 16);
    r->rows[r->n++] = *p;
    return 0;
}

static void test_positions_by_round(void **state)
{
    fx *f = *state;
    fx_ref a = fx_contribute(f, FX_INV_A, "p1", "A", "ind", 10000, at(1));
    fx_contribute(f, FX_INV_A, "p1", "B", NULL, 3000, at(2));
    fx_contribute(f, FX_INV_A, "p1", "A", NULL, 2000, at(3));
    fx_contribute(f, FX_INV_A, "p2", "seed", NULL, 500, at(3));
    fx_match1(f, "ind", &a, "p1", "A", 6000, at(4));
    entry e = fx_exit(f, FX_INV_A, "p1", 1500, at(5));
    fx_ok(f, &e);
    round_rows r = {.n = 0};
    assert_int_equal(query_positions_by_round(&f->kv, NULL, "p1", STATE_TIME_LATEST, round_collect, &r),
                     CF_OK);
    const struct {
        int who;
        const char *round;
        int64_t in, out;
    } want[] = {{FX_FUND, "A", 6000, 0},
                {FX_INV_A, "A", 12000, 0},
                {FX_INV_A, "B", 3000, 0},
                {FX_INV_A, "", 0, 1500}};
    assert_int_equal(r.n, 4);
    for (size_t i = 0; i < 4; i++) {
        assert_string_equal(r.rows[i].project, "p1");
        assert_memory_equal(r.rows[i].holder, f->keys[want[i].who], 32);
        assert_string_equal(r.rows[i].round, want[i].round);
        assert_int_equal(r.rows[i].invested_fen, want[i].in);
        assert_int_equal(r.rows[i].exited_fen, want[i].out);
    }
    /* The rounds sum to the position. */
    pos_rows p = positions(f, NULL, "p1", STATE_TIME_LATEST);
    const query_position *ia = find(f, &p, FX_INV_A);
    assert_int_equal(ia->invested_fen, 12000 + 3000);
    assert_int_equal(ia->exited_fen, 1500);
    /* As of before the match and the exit; filtered by holder. */
    r.n = 0;
    assert_int_equal(query_positions_by_round(&f->kv, f->keys[FX_INV_A], NULL, at(3), round_collect, &r),
                     CF_OK);
    assert_int_equal(r.n, 3); /* p1 A, p1 B, p2 seed */
    assert_int_equal(r.rows[0].invested_fen, 12000);
    assert_string_equal(r.rows[2].project, "p2");
}

typedef struct {
    query_unmatched_row rows[16];
    size_t n;
} unmatched_rows;

static int unmatched_collect(void *arg, const query_unmatched_row *u)
{
    unmatched_rows *r = arg;
    assert_true(r->n < 16);
    r->rows[r->n++] = *u;
    return 0;
}

static unmatched_rows unmatched(fx *f, const char *program, const char *project, uint64_t at_ms,
                                bool closed, query_unmatched_totals *t)
{
    unmatched_rows r = {.n = 0};
    state_program pg;
    assert_int_equal(state_program_get(&f->kv, program, strlen(program), &pg), CF_OK);
    assert_int_equal(query_unmatched(&f->kv, &pg, project, at_ms, FX_TZ_MIN, closed,
                                     unmatched_collect, &r, t),
                     CF_OK);
    /* Its matchable, summed, is what program status calls "matchable now". */
    int64_t awaiting;
    assert_int_equal(query_program_awaiting(&f->kv, &pg, STATE_TIME_LATEST, at_ms, &awaiting), CF_OK);
    if (!project && !closed) assert_int_equal(t->matchable_fen, awaiting);
    return r;
}

static void test_unmatched_windows_holdings_cap_budget(void **state)
{
    fx *f = *state;
    /* inc: 1:1, window 90 days, cap 300,000 a project, budget 6,000,000 a year */
    fx_ref a = fx_contribute(f, FX_TEAM, "p1", "A", "inc", FX_YUAN(250000), at(1));
    fx_contribute(f, FX_TEAM, "p1", "A", "inc", FX_YUAN(100000), at(2));
    fx_contribute(f, FX_TEAM, "p2", "A", "inc", FX_YUAN(50000), at(100));
    fx_match1(f, "inc", &a, "p1", "A", FX_YUAN(200000), at(3));
    entry e = fx_exit(f, FX_TEAM, "p1", FX_YUAN(50000), at(101)); /* holds 300,000 in p1 */
    fx_ok(f, &e);

    query_unmatched_totals t;
    unmatched_rows r = unmatched(f, "inc", NULL, at(50), false, &t);
    assert_int_equal(r.n, 3);
    /* p1: a (50,000 left at the ratio), the second (100,000) */
    assert_string_equal(r.rows[0].c.project, "p1");
    assert_int_equal(r.rows[0].awaiting_fen, FX_YUAN(50000));
    assert_int_equal(r.rows[0].window_closes_ms, at(1) + 90 * DAY);
    assert_true(r.rows[0].in_window);
    /* R-MATCH.6: 300,000 held - 200,000 allocated = 100,000 for both */
    assert_int_equal(r.rows[0].matchable_fen, FX_YUAN(50000));
    assert_int_equal(r.rows[1].awaiting_fen, FX_YUAN(100000));
    assert_int_equal(r.rows[1].matchable_fen, FX_YUAN(50000));
    assert_true(r.rows[0].has_cap && r.rows[0].cap_left_fen == FX_YUAN(100000));
    /* p2's is dated after at(50): its window is not open yet */
    assert_string_equal(r.rows[2].c.project, "p2");
    assert_false(r.rows[2].in_window);
    assert_int_equal(r.rows[2].matchable_fen, 0);
    assert_int_equal(r.rows[2].cap_left_fen, FX_YUAN(300000));
    assert_int_equal(t.awaiting_fen, FX_YUAN(200000));
    assert_int_equal(t.matchable_fen, FX_YUAN(100000));
    assert_int_equal(t.can_match_fen, FX_YUAN(100000)); /* within p1's cap left */
    assert_true(t.has_budget && t.budget_left_fen == FX_INC_BUDGET_FEN - FX_YUAN(200000));

    /* At day 92 the second's window (day 2 + 90 days) is open to its last
     * day, a's (day 1) closed; at day 100 both are, and p2's is open. */
    r = unmatched(f, "inc", NULL, at(92), false, &t);
    assert_true(r.rows[1].in_window && !r.rows[0].in_window);
    r = unmatched(f, "inc", NULL, at(100), false, &t);
    assert_false(r.rows[0].in_window || r.rows[1].in_window);
    assert_true(r.rows[2].in_window);
    assert_int_equal(r.rows[2].matchable_fen, FX_YUAN(50000));
    assert_int_equal(t.can_match_fen, FX_YUAN(50000));
    /* One project; a closed program matches nothing. */
    r = unmatched(f, "inc", "p2", at(100), false, &t);
    assert_int_equal(r.n, 1);
    r = unmatched(f, "inc", NULL, at(100), true, &t);
    assert_int_equal(t.matchable_fen, 0);
    assert_int_equal(t.can_match_fen, 0);
    assert_int_equal(t.awaiting_fen, FX_YUAN(200000));
}

#define T(name) cmocka_unit_test_setup_teardown(name, fx_case_setup, fx_case_teardown)

int main(void)
{
    const struct CMUnitTest tests[] = {
        T(test_positions_invested_exited_net),
        T(test_positions_by_round),
        T(test_unmatched_windows_holdings_cap_budget),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
