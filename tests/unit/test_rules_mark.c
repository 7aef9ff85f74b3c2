/* test_rules_mark.c — R-MARK (a fund marks only a project it holds), an
 * exit's proceeds as the state records them, and R-REVERSE.1 refusing a
 * mark, on both sides (docs/rules.md "Returns"). The report over them:
 * tests/cli/returns.sh. */
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
#include "ledger/rules.h"
#include "ledger/state.h"
#include "rules_cases.h"
#include "rules_fixture.h"

#define TXT(s) entry_text_of(s, strlen(s))

static entry mark(fx *f, int who, const char *project, int64_t value_fen, uint64_t t)
{
    entry e = fx_entry(f, who, ENTRY_VALUATION, t);
    e.body.valuation.project = TXT(project);
    e.body.valuation.value_fen = value_fen;
    return e;
}

/* R-MARK: the fund's position in the project must be above 0 — none yet,
 * then a match, then exited whole. */
static void test_r_mark_a_fund_marks_what_it_holds(void **state)
{
    fx *f = *state;
    entry e = mark(f, FX_FUND, "p1", FX_YUAN(300), at(1));
    REJECT(f, &e, "R-MARK", "fund holds no position in project p1",
           "a fund marks only the projects it holds");
    fx_ref r = contrib(f, FX_INV_A, FX_YUAN(100), at(1));
    e = mark(f, FX_FUND, "p1", FX_YUAN(300), at(2));
    REJECT(f, &e, "R-MARK", "fund holds no position in project p1"); /* the investor's is not its */
    fx_match1(f, "ind", &r, "p1", "A", FX_YUAN(100), at(2));
    e = mark(f, FX_FUND, "p1", FX_YUAN(300), at(3));
    ACCEPT(f, &e);
    state_valuation v;
    assert_int_equal(state_valuation_get(&f->kv, f->keys[FX_FUND], e.index, &v), CF_OK);
    assert_int_equal(v.value_fen, FX_YUAN(300));
    assert_int_equal(v.time_ms, at(3));
    assert_string_equal(v.project, "p1");
    e = mark(f, FX_FUND, "p1", 0, at(4)); /* written off: a mark of 0 */
    ACCEPT(f, &e);
    e = mark(f, FX_FUND, "p2", FX_YUAN(1), at(4));
    REJECT(f, &e, "R-MARK", "fund holds no position in project p2");
    e = mark(f, FX_FUND, "nowhere", FX_YUAN(1), at(4));
    REJECT(f, &e, "R-REF", "project nowhere is not registered");
    e = fx_exit(f, FX_FUND, "p1", FX_YUAN(100), at(5));
    ACCEPT(f, &e);
    e = mark(f, FX_FUND, "p1", FX_YUAN(1), at(6));
    REJECT(f, &e, "R-MARK", "fund holds no position in project p1");
}

/* R-ROLE: a mark is a fund's; an investor holding the project writes none. */
static void test_r_mark_only_a_fund(void **state)
{
    fx *f = *state;
    contrib(f, FX_INV_A, FX_YUAN(100), at(1));
    entry e = mark(f, FX_INV_A, "p1", FX_YUAN(300), at(2));
    REJECT(f, &e, "R-ROLE", "valuation");
    e = mark(f, FX_GOV, "p1", FX_YUAN(300), at(2));
    REJECT(f, &e, "R-ROLE", "valuation");
}

/* An exit's proceeds: recorded when stated (0 included), absent otherwise. */
static void test_exit_proceeds_recorded(void **state)
{
    fx *f = *state;
    contrib(f, FX_INV_A, FX_YUAN(100), at(1));
    entry e = fx_exit(f, FX_INV_A, "p1", FX_YUAN(40), at(2));
    e.body.exit.has_proceeds = true;
    e.body.exit.proceeds_fen = FX_YUAN(70);
    ACCEPT(f, &e);
    int64_t p;
    assert_int_equal(state_proceeds_get(&f->kv, f->keys[FX_INV_A], e.index, &p), CF_OK);
    assert_int_equal(p, FX_YUAN(70));
    e = fx_exit(f, FX_INV_A, "p1", FX_YUAN(10), at(3));
    ACCEPT(f, &e);
    assert_int_equal(state_proceeds_get(&f->kv, f->keys[FX_INV_A], e.index, &p), CF_ENOTFOUND);
    e = fx_exit(f, FX_INV_A, "p1", FX_YUAN(10), at(4));
    e.body.exit.has_proceeds = true;
    e.body.exit.proceeds_fen = 0;
    ACCEPT(f, &e);
    assert_int_equal(state_proceeds_get(&f->kv, f->keys[FX_INV_A], e.index, &p), CF_OK);
    assert_int_equal(p, 0);
    /* Proceeds never let an exit past the position (R-EXIT reads the amount). */
    e = fx_exit(f, FX_INV_A, "p1", FX_YUAN(40) + 1, at(5));
    e.body.exit.has_proceeds = true;
    e.body.exit.proceeds_fen = 1;
    REJECT(f, &e, "R-EXIT", "exceeds inv-a's position 40.00");
}

/* R-REVERSE.1: a mark is never reversed; a later mark corrects it. */
static void test_r_reverse1_refuses_a_mark(void **state)
{
    fx *f = *state;
    fx_ref r = contrib(f, FX_INV_A, FX_YUAN(100), at(1));
    fx_match1(f, "ind", &r, "p1", "A", FX_YUAN(100), at(2));
    entry e = mark(f, FX_FUND, "p1", FX_YUAN(300), at(3));
    fx_ref m = fx_accept(f, &e);
    entry rv = fx_entry(f, FX_FUND, ENTRY_REVERSAL, at(4));
    rv.body.reversal.entry = fx_ref_of(f, &m);
    rv.body.reversal.amount_fen = 0;
    rv.body.reversal.reason = TXT("typo");
    REJECT(f, &rv, "R-REVERSE.1", "is a valuation mark: a mark is not reversed",
           "a later mark corrects it");
    e = mark(f, FX_FUND, "p1", FX_YUAN(250), at(4));
    ACCEPT(f, &e);
}

#define T(name) cmocka_unit_test_setup_teardown(name, fx_case_setup, fx_case_teardown)

int main(void)
{
    const struct CMUnitTest tests[] = {
        T(test_r_mark_a_fund_marks_what_it_holds),
        T(test_r_mark_only_a_fund),
        T(test_exit_proceeds_recorded),
        T(test_r_reverse1_refuses_a_mark),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
