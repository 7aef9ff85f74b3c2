/* test_query.c — positions and program status (node/ledger/query.h) over
 * ledgers built by the rule engine (rules_fixture.h): shares of a project,
 * program totals, per-year (in the network's time zone) and per-project
 * splits, leverage, and every answer "as of" times before, between, at and
 * after the entries. Totals summed across series are overflow-checked.
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
#include "rules_cases.h"
#include "rules_fixture.h"
#include "query_cases.h"

#define DAY FX_DAY_MS

static void test_query_positions_and_shares(void **state)
{
    fx *f = *state;
    fx_ref a = contrib(f, FX_INV_A, 10000, at(1));
    contrib(f, FX_INV_B, 30000, at(1));
    fx_contribute(f, FX_INV_B, "p2", "A", NULL, 500, at(1));
    fx_match1(f, "ind", &a, "p1", "A", 10000, at(2));
    pos_rows r = positions(f, NULL, NULL, STATE_TIME_LATEST);
    assert_int_equal(r.n, 4); /* p1: fund, inv-a, inv-b (key order); p2: inv-b */
    static const int who[] = {FX_FUND, FX_INV_A, FX_INV_B, FX_INV_B};
    static const int64_t amount[] = {10000, 10000, 30000, 500}, total[] = {50000, 50000, 50000, 500};
    for (size_t i = 0; i < 4; i++) {
        assert_memory_equal(r.rows[i].holder, f->keys[who[i]], 32);
        assert_string_equal(r.rows[i].project, i < 3 ? "p1" : "p2");
        assert_int_equal(r.rows[i].amount_fen, amount[i]);
        assert_int_equal(r.rows[i].project_total_fen, total[i]);
    }
    r = positions(f, f->keys[FX_INV_B], NULL, STATE_TIME_LATEST);
    assert_int_equal(r.n, 2);
    assert_int_equal(r.rows[0].project_total_fen, 50000);
    r = positions(f, NULL, "p2", STATE_TIME_LATEST);
    assert_int_equal(r.n, 1);
    r = positions(f, f->keys[FX_AUDITOR], NULL, STATE_TIME_LATEST);
    assert_int_equal(r.n, 0);
}

/* All projects at once (one scan of the position series, whose keys order
 * identifiers by length first) lists projects as the projects table does,
 * by identifier bytes, with the same rows and totals as one project at a
 * time, now and as of earlier times. */
static void test_query_positions_all_projects_in_identifier_order(void **state)
{
    fx *f = *state;
    static const char *const ids[] = {"zz", "a0", "ab", "b", "a", "a-long-project-id"};
    static const char *const sorted[] = {"a", "a-long-project-id", "a0", "ab", "b", "zz"};
    for (size_t i = 0; i < 6; i++) {
        fx_add_project(f, ids[i]);
        fx_contribute(f, FX_INV_A, ids[i], "A", NULL, 1000 + (int64_t)i, at(1 + i));
        if (i % 2) fx_contribute(f, FX_INV_B, ids[i], "A", NULL, 7, at(1 + i));
    }
    for (uint64_t day = 0; day <= 7; day++) {
        uint64_t as_of = day == 7 ? STATE_TIME_LATEST : at(day);
        pos_rows all = positions(f, NULL, NULL, as_of);
        size_t k = 0;
        for (size_t i = 0; i < 6 + 1; i++) { /* the sorted ids, then p1 (no rows: "p1" > "b") */
            const char *id = i < 6 ? sorted[i] : "p1";
            pos_rows one = positions(f, NULL, id, as_of);
            for (size_t j = 0; j < one.n; j++, k++) {
                assert_true(k < all.n);
                assert_string_equal(all.rows[k].project, one.rows[j].project);
                assert_memory_equal(all.rows[k].holder, one.rows[j].holder, 32);
                assert_int_equal(all.rows[k].amount_fen, one.rows[j].amount_fen);
                assert_int_equal(all.rows[k].project_total_fen, one.rows[j].project_total_fen);
            }
        }
        assert_int_equal(k, all.n);
    }
    pos_rows all = positions(f, NULL, NULL, STATE_TIME_LATEST);
    assert_int_equal(all.n, 6 + 3);
    assert_string_equal(all.rows[0].project, "a");
    assert_string_equal(all.rows[all.n - 1].project, "zz");
    pos_rows b = positions(f, f->keys[FX_INV_B], NULL, STATE_TIME_LATEST);
    assert_int_equal(b.n, 3); /* a0, b, a-long-project-id: inv-b's, in identifier order */
    assert_string_equal(b.rows[0].project, "a-long-project-id");
    assert_int_equal(b.rows[0].project_total_fen, 1005 + 7);
}

static void test_query_positions_as_of(void **state)
{
    fx *f = *state;
    contrib(f, FX_INV_A, 10000, at(1));
    contrib(f, FX_INV_A, 5000, at(3));
    entry e = fx_exit(f, FX_INV_A, "p1", 12000, at(5));
    fx_ok(f, &e);
    const struct {
        uint64_t as_of;
        int64_t want;
    } cases[] = {{0, 0}, {FX_START, 0}, {FX_START + DAY - 1, 0}, {FX_START + DAY, 10000},
                 {FX_START + 2 * DAY, 10000}, {FX_START + 3 * DAY, 15000},
                 {FX_START + 5 * DAY - 1, 15000}, {FX_START + 5 * DAY, 3000}, {UINT64_MAX, 3000}};
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        assert_int_equal(fx_position(f, "p1", FX_INV_A, cases[i].as_of), cases[i].want);
        pos_rows r = positions(f, f->keys[FX_INV_A], "p1", cases[i].as_of);
        assert_int_equal(r.n, cases[i].want ? 1 : 0);
    }
}

static void test_query_program_totals_as_of_and_leverage(void **state)
{
    fx *f = *state;
    fx_program_spec p = fx_industrial("ind3");
    p.den = 3;
    fx_add_program(f, &p);
    query_totals t;
    assert_int_equal(query_program_totals(&f->kv, "ind3", STATE_TIME_LATEST, &t), CF_OK);
    assert_true(t.deployed_fen == 0 && t.counterpart_fen == 0 && t.requested_fen == 0);
    assert_true(query_leverage(&t) == 0.0);
    fx_ref a = fx_contribute(f, FX_INV_A, "p1", "A", "ind3", 30000, at(1));
    fx_ref b = fx_contribute(f, FX_INV_B, "p1", "A", "ind3", 60000, at(2));
    fx_match1(f, "ind3", &a, "p1", "A", 6000, at(3));
    fx_match1(f, "ind3", &a, "p1", "A", 4000, at(4)); /* a counted once */
    fx_match1(f, "ind3", &b, "p1", "A", 20000, at(5));
    const struct {
        uint64_t as_of;
        int64_t deployed, counter, requested;
    } cases[] = {{at(1) - 1, 0, 0, 0},         {at(1), 0, 0, 30000},
                 {at(3), 6000, 30000, 90000},  {at(4), 10000, 30000, 90000},
                 {at(5), 30000, 90000, 90000}, {STATE_TIME_LATEST, 30000, 90000, 90000}};
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        assert_int_equal(query_program_totals(&f->kv, "ind3", cases[i].as_of, &t), CF_OK);
        assert_int_equal(t.deployed_fen, cases[i].deployed);
        assert_int_equal(t.counterpart_fen, cases[i].counter);
        assert_int_equal(t.requested_fen, cases[i].requested);
    }
    assert_true(query_leverage(&t) == 3.0);
}

typedef struct {
    query_year years[4];
    query_project projects[4];
    size_t ny, np;
} split_rows;

static int year_collect(void *arg, const query_year *y)
{
    split_rows *r = arg;
    assert_true(r->ny < 4);
    r->years[r->ny++] = *y;
    return 0;
}

static int project_collect(void *arg, const query_project *p)
{
    split_rows *r = arg;
    assert_true(r->np < 4);
    r->projects[r->np++] = *p;
    return 0;
}

static void test_query_year_and_project_splits(void **state)
{
    fx *f = *state;
    uint64_t y26 = fx_utc(2025, 12, 31, 16, 0, 0); /* 2026-01-01T00:00+08:00 */
    fx_ref a = fx_contribute(f, FX_TEAM, "p1", "A", "inc", 10000, y26 - DAY);
    fx_ref b = fx_contribute(f, FX_TEAM, "p2", "A", "inc", 20000, y26 - DAY);
    fx_match1(f, "inc", &a, "p1", "A", 10000, y26 - 1);
    entry_cite c = fx_cite(f, &b, 20000);
    entry e = fx_match(f, FX_FUND, "inc", "p2", "A", y26, 1, &c);
    fx_ok(f, &e);
    split_rows r = {.ny = 0};
    assert_int_equal(query_program_years(&f->kv, "inc", STATE_TIME_LATEST, year_collect, &r), CF_OK);
    assert_int_equal(r.ny, 2);
    assert_int_equal(r.years[0].year, 2025);
    assert_int_equal(r.years[0].t.deployed_fen, 10000);
    assert_int_equal(r.years[0].t.counterpart_fen, 10000);
    assert_int_equal(r.years[1].year, 2026);
    assert_int_equal(r.years[1].t.deployed_fen, 20000);
    assert_int_equal(query_program_projects(&f->kv, "inc", STATE_TIME_LATEST, project_collect, &r), CF_OK);
    assert_int_equal(r.np, 2);
    assert_string_equal(r.projects[0].project, "p1");
    assert_int_equal(r.projects[0].t.deployed_fen, 10000);
    assert_string_equal(r.projects[1].project, "p2");
    assert_int_equal(r.projects[1].t.counterpart_fen, 20000);
    /* As of the last 2025 ms, 2026 and p2 have nothing yet. */
    r = (split_rows){.ny = 0};
    assert_int_equal(query_program_years(&f->kv, "inc", y26 - 1, year_collect, &r), CF_OK);
    assert_int_equal(query_program_projects(&f->kv, "inc", y26 - 1, project_collect, &r), CF_OK);
    assert_int_equal(r.ny, 1);
    assert_int_equal(r.np, 1);
    assert_string_equal(r.projects[0].project, "p1");
}

/* Two nodes applying the same feeds in different orders reach the same
 * state: requested totals do not depend on arrival order. */
static void test_query_state_independent_of_feed_order(void **state)
{
    fx *f = *state, *g = fx_setup();
    assert_non_null(g);
    contrib(f, FX_INV_A, 10000, at(5)); /* f: the later-stamped feed first */
    contrib(f, FX_INV_B, 20000, at(1));
    contrib(g, FX_INV_B, 20000, at(1));
    contrib(g, FX_INV_A, 10000, at(5));
    uint8_t df[32], dg[32];
    fx_digest(f, df, NULL);
    fx_digest(g, dg, NULL);
    assert_memory_equal(df, dg, 32);
    query_totals t;
    assert_int_equal(query_program_totals(&f->kv, "ind", STATE_TIME_LATEST, &t), CF_OK);
    assert_int_equal(t.requested_fen, 30000);
    assert_int_equal(query_program_totals(&f->kv, "ind", at(3), &t), CF_OK);
    assert_int_equal(t.requested_fen, 20000);
    fx_free(g);
}

/* Issue 12 item 11: one holder's 9,223 contributions of 10^15 fen and
 * another's made the project's total overflow, and `positions` failed for
 * every project. R-VOLUME stops the holder's third; the total fits. */
static void test_query_position_total_bounded(void **state)
{
    fx *f = *state;
    int n = 0;
    for (; n < 9223; n++) {
        entry e = fx_contribution(f, FX_INV_A, "p1", "A", NULL, AMOUNT_FEN_MAX, at(1));
        if (fx_push(f, &e) != CF_OK) break;
    }
    assert_int_equal(n, 2);
    assert_string_equal(f->d.rule, "R-VOLUME");
    fx_contribute(f, FX_INV_B, "p1", "A", NULL, AMOUNT_FEN_MAX, at(1));
    pos_rows r = {.n = 0};
    assert_int_equal(query_positions(&f->kv, NULL, "p1", STATE_TIME_LATEST, pos_collect, &r),
                     CF_OK);
    assert_int_equal(r.n, 2);
    assert_int_equal(r.rows[0].project_total_fen, 3 * AMOUNT_FEN_MAX);
}

/* The query still reports a sum that does not fit rather than wrapping it:
 * a state no valid feed writes (seeded here) is refused, not misread. */
static void test_query_position_total_overflow_reported(void **state)
{
    fx *f = *state;
    state_series s;
    state_series_position(&s, "p1", f->keys[FX_INV_A]);
    assert_int_equal(state_series_add(&f->kv, &s, FX_T0, INT64_MAX), CF_OK);
    fx_contribute(f, FX_INV_B, "p1", "A", NULL, 1, at(1));
    pos_rows r = {.n = 0};
    assert_int_equal(query_positions(&f->kv, NULL, "p1", STATE_TIME_LATEST, pos_collect, &r),
                     CF_EOVERFLOW);
}

#define T(name) cmocka_unit_test_setup_teardown(name, fx_case_setup, fx_case_teardown)

int main(void)
{
    const struct CMUnitTest tests[] = {
        T(test_query_positions_and_shares),
        T(test_query_positions_all_projects_in_identifier_order),
        T(test_query_positions_as_of),
        T(test_query_program_totals_as_of_and_leverage),
        T(test_query_year_and_project_splits),
        T(test_query_state_independent_of_feed_order),
        T(test_query_position_total_bounded),
        T(test_query_position_total_overflow_reported),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
