/* test_rules_lease.c — equipment leasing (R-LEASE.1-3) and demonstration
 * awards (R-AWARD.1-4), node/ledger/rules_lease.c, on both sides of every
 * rule, over the instruments network of rules_fixture.h: leasing program
 * `lease` operated by lessor (down payment 10-40%, financing 30-80%,
 * advance 0-30%), award program `award` operated by fund (100,000.00 or
 * 500,000.00; 1,000,000.00 a year). Queries of both are tested here too.
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

/* A lease of `price` yuan in program lease, project p1. */
static entry lease(fx *f, int64_t price, int64_t down, int64_t fin, int64_t adv, uint64_t t)
{
    return fx_lease(f, FX_LESSOR, "lease", "p1", price, down, fin, adv, t);
}

/* ---- leasing: who, what ------------------------------------------------------ */

static void test_r_role_lease_and_award_writers(void **state)
{
    fx *f = *state;
    entry e = fx_lease(f, FX_FUND, "lease", "p1", Y(100), Y(20), Y(60), Y(20), at(1));
    REJECT(f, &e, "R-ROLE", "fund fund may not write lease entries");
    e = fx_award(f, FX_LESSOR, "award", "p1", Y(100000), 2025, at(1));
    REJECT(f, &e, "R-ROLE", "lessor lessor may not write award entries");
    fx_add_member(f, FX_FUND2, ROLE_FUND);
    e = fx_award(f, FX_FUND2, "award", "p1", Y(100000), 2025, at(1));
    REJECT(f, &e, "R-ROLE", "only program award's operator fund may write its award entries");
    e = fx_award(f, FX_FUND, "award", "p1", Y(100000), 2025, at(1));
    ACCEPT(f, &e);
    e = lease(f, Y(100), Y(20), Y(60), Y(20), at(1));
    ACCEPT(f, &e);
}

static void test_r_ref_leasing_and_award_programs(void **state)
{
    fx *f = *state;
    const fx_bounds none[LEASE__PARTS] = {{false, 0, 0}, {false, 0, 0}, {false, 0, 0}};
    entry e = fx_leasing_program(f, "lease2", FX_FUND, none, FX_T0);
    REJECT(f, &e, "R-REF", "operator fund is a fund, not a lessor");
    const int64_t levels[1] = {Y(100000)};
    e = fx_award_program(f, "award2", FX_LESSOR, 1, levels, 0, FX_T0);
    REJECT(f, &e, "R-REF", "operator lessor is a lessor, not a fund");
    e = fx_award_program(f, "award2", FX_FUND, 1, levels, 0, FX_T0);
    ACCEPT(f, &e);
    e = lease(f, Y(100), Y(20), Y(60), Y(20), at(1));
    e.body.lease.program = entry_text_of("award", 5);
    e.body.lease.project = entry_text_of("p1", 2);
    REJECT(f, &e, "R-REF", "program award is a award program; a lease names a leasing program");
    e = fx_lease(f, FX_LESSOR, "lease", "p9", Y(100), Y(20), Y(60), Y(20), at(1));
    REJECT(f, &e, "R-REF", "project p9 is not registered");
}

/* ---- R-LEASE.3 at registration: the bounds admit a lease ------------------- */

static void test_r_lease3_program_bounds_must_admit_a_lease(void **state)
{
    fx *f = *state;
    fx_bounds b[LEASE__PARTS] = {{true, 40, 100}, {true, 40, 100}, {true, 21, 100}};
    entry e = fx_leasing_program(f, "l2", FX_LESSOR, b, FX_T0);
    REJECT(f, &e, "R-LEASE.3", "minimums sum to 101% and their maximums to 300%");
    b[2].min = 20; /* exactly 100% */
    e = fx_leasing_program(f, "l2", FX_LESSOR, b, FX_T0);
    ACCEPT(f, &e);
    fx_bounds c[LEASE__PARTS] = {{true, 0, 33}, {true, 0, 33}, {true, 0, 33}};
    e = fx_leasing_program(f, "l3", FX_LESSOR, c, FX_T0);
    REJECT(f, &e, "R-LEASE.3", "maximums to 99%");
    c[2].max = 34;
    e = fx_leasing_program(f, "l3", FX_LESSOR, c, FX_T0);
    ACCEPT(f, &e);
    const fx_bounds none[LEASE__PARTS] = {{false, 0, 0}, {false, 0, 0}, {false, 0, 0}};
    e = fx_leasing_program(f, "l4", FX_LESSOR, none, FX_T0);
    ACCEPT(f, &e);
}

/* ---- R-LEASE.1, .2 ---------------------------------------------------------- */

static void test_r_lease1_all_three_parts_positive(void **state)
{
    fx *f = *state;
    fx_bounds none[LEASE__PARTS] = {{false, 0, 0}, {false, 0, 0}, {false, 0, 0}};
    entry p = fx_leasing_program(f, "free", FX_LESSOR, none, FX_T0);
    fx_ok(f, &p);
    entry e = fx_lease(f, FX_LESSOR, "free", "p1", Y(100), 0, Y(70), Y(30), at(1));
    REJECT(f, &e, "R-LEASE.1", "the enterprise's down payment is 0.00: a lease has all three parts");
    e = fx_lease(f, FX_LESSOR, "free", "p1", Y(100), Y(30), 0, Y(70), at(1));
    REJECT(f, &e, "R-LEASE.1", "the lessor's financing is 0.00");
    e = fx_lease(f, FX_LESSOR, "free", "p1", Y(100), Y(30), Y(70), 0, at(1));
    REJECT(f, &e, "R-LEASE.1", "the supplier's advance is 0.00");
    e = fx_lease(f, FX_LESSOR, "free", "p1", Y(100), 1, Y(100) - 2, 1, at(1));
    ACCEPT(f, &e);
}

static void test_r_lease2_parts_miss_the_price_by_one_fen(void **state)
{
    fx *f = *state;
    entry e = lease(f, Y(1000000), Y(200000), Y(600000), Y(200000) - 1, at(1));
    REJECT(f, &e, "R-LEASE.2", "the parts sum to 999,999.99, under the price 1,000,000.00 by 0.01");
    e = lease(f, Y(1000000), Y(200000), Y(600000) + 1, Y(200000), at(1));
    REJECT(f, &e, "R-LEASE.2", "the parts sum to 1,000,000.01, over the price 1,000,000.00 by 0.01");
    e = lease(f, Y(1000000), Y(200000), Y(600000), Y(200000), at(1));
    ACCEPT(f, &e);
}

/* ---- R-LEASE.3: each part within the program's bounds ---------------------- */

static void test_r_lease3_each_part_within_bounds(void **state)
{
    fx *f = *state;
    /* price 1,000.00; bounds: down 10-40%, financing 30-80%, advance 0-30% */
    entry e = lease(f, Y(1000), Y(100) - 1, Y(700), Y(200) + 1, at(1));
    REJECT(f, &e, "R-LEASE.3", "the enterprise's down payment 99.99 is 9.99% of the price 1,000.00; "
                               "program lease allows 10% to 40%");
    e = lease(f, Y(1000), Y(100), Y(700), Y(200), at(1)); /* exactly 10% */
    ACCEPT(f, &e);
    e = lease(f, Y(1000), Y(100), Y(800) + 1, Y(100) - 1, at(1));
    REJECT(f, &e, "R-LEASE.3", "the lessor's financing 800.01 is 80.00% of the price");
    e = lease(f, Y(1000), Y(100), Y(800), Y(100), at(1)); /* exactly 80% */
    ACCEPT(f, &e);
    e = lease(f, Y(1000), Y(400), Y(300) - 1, Y(300) + 1, at(1));
    REJECT(f, &e, "R-LEASE.3", "the lessor's financing 299.99 is 29.99%");
    e = lease(f, Y(1000), Y(400) + 1, Y(300), Y(300) - 1, at(1));
    REJECT(f, &e, "R-LEASE.3", "the enterprise's down payment 400.01 is 40.00%");
    e = lease(f, Y(1000), Y(300), Y(300), Y(400), at(1));
    REJECT(f, &e, "R-LEASE.3", "the supplier's advance 400.00 is 40.00% of the price 1,000.00; "
                               "program lease allows 0% to 30%");
    e = lease(f, Y(1000), Y(400), Y(300), Y(300), at(1)); /* 40, 30, 30: all at an edge */
    ACCEPT(f, &e);
}

static int lease_row(void *arg, const state_lease *l)
{
    int *n = arg;
    assert_string_equal(l->equipment, "CNC machining centre");
    assert_int_equal(l->part_fen[0] + l->part_fen[1] + l->part_fen[2], l->price_fen);
    (*n)++;
    return 0;
}

static void test_query_leases(void **state)
{
    fx *f = *state;
    entry e = lease(f, Y(1000), Y(100), Y(700), Y(200), at(1));
    fx_ok(f, &e);
    e = fx_lease(f, FX_LESSOR, "lease", "p2", Y(500), Y(100), Y(300), Y(100), at(3));
    fx_ok(f, &e);
    query_lease_totals t;
    assert_int_equal(query_lease_sum(&f->kv, NULL, NULL, STATE_TIME_LATEST, &t), CF_OK);
    assert_int_equal(t.count, 2);
    assert_int_equal(t.price_fen, Y(1500));
    assert_int_equal(t.part_fen[LEASE_FINANCING], Y(1000));
    assert_int_equal(query_lease_sum(&f->kv, "p2", NULL, STATE_TIME_LATEST, &t), CF_OK);
    assert_int_equal(t.count, 1);
    assert_int_equal(query_lease_sum(&f->kv, NULL, "lease", at(2), &t), CF_OK);
    assert_int_equal(t.count, 1); /* as of before the second */
    int n = 0;
    assert_int_equal(query_leases(&f->kv, NULL, "lease", STATE_TIME_LATEST, lease_row, &n), CF_OK);
    assert_int_equal(n, 2);
}

/* ---- awards ----------------------------------------------------------------- */

static void test_r_award1_allowed_amounts_only(void **state)
{
    fx *f = *state;
    entry e = fx_award(f, FX_FUND, "award", "p1", Y(100000) + 1, 2025, at(1));
    REJECT(f, &e, "R-AWARD.1", "award 100,000.01 is not an amount program award allows "
                               "(100,000.00 or 500,000.00)");
    e = fx_award(f, FX_FUND, "award", "p1", Y(300000), 2025, at(1));
    REJECT(f, &e, "R-AWARD.1", "award 300,000.00 is not an amount");
    e = fx_award(f, FX_FUND, "award", "p1", Y(500000), 2025, at(1));
    ACCEPT(f, &e);
    e = fx_award(f, FX_FUND, "award", "p2", Y(100000), 2025, at(1));
    ACCEPT(f, &e);
}

static void test_r_award2_registered_project(void **state)
{
    fx *f = *state;
    entry e = fx_award(f, FX_FUND, "award", "p9", Y(100000), 2025, at(1));
    REJECT(f, &e, "R-AWARD.2", "project p9 is not registered");
    fx_add_project(f, "p9"); /* registered now, but not as of the award's gov */
    e.gov = FX_INST_GOV_SIZE;
    REJECT(f, &e, "R-AWARD.2", "project p9 is not registered");
    e = fx_award(f, FX_FUND, "award", "p9", Y(100000), 2025, at(1));
    ACCEPT(f, &e);
}

static void test_r_award3_once_per_project_level_and_year(void **state)
{
    fx *f = *state;
    entry e = fx_award(f, FX_FUND, "award", "p1", Y(100000), 2025, at(1));
    ACCEPT(f, &e);
    e = fx_award(f, FX_FUND, "award", "p1", Y(100000), 2025, at(2));
    REJECT(f, &e, "R-AWARD.3", "project p1 already has program award's 100,000.00 award for 2025 "
                               "(fund#0)");
    e = fx_award(f, FX_FUND, "award", "p1", Y(500000), 2025, at(2)); /* another level */
    ACCEPT(f, &e);
    e = fx_award(f, FX_FUND, "award", "p1", Y(100000), 2026, at(2)); /* another year */
    ACCEPT(f, &e);
    e = fx_award(f, FX_FUND, "award", "p2", Y(100000), 2025, at(2)); /* another project */
    ACCEPT(f, &e);
    const int64_t levels[1] = {Y(100000)};
    entry p = fx_award_program(f, "award2", FX_FUND, 1, levels, 0, FX_T0);
    fx_ok(f, &p);
    e = fx_award(f, FX_FUND, "award2", "p1", Y(100000), 2025, at(2)); /* another program */
    ACCEPT(f, &e);
}

static void test_r_award4_within_the_annual_budget(void **state)
{
    fx *f = *state;
    entry e = fx_award(f, FX_FUND, "award", "p1", Y(500000), 2025, at(1));
    ACCEPT(f, &e);
    e = fx_award(f, FX_FUND, "award", "p2", Y(500000), 2025, at(1)); /* exactly the budget */
    ACCEPT(f, &e);
    e = fx_award(f, FX_FUND, "award", "p3", Y(100000), 2025, at(2));
    REJECT(f, &e, "R-AWARD.4", "award 100,000.00 would take program award over its annual budget "
                               "of 1,000,000.00 for 2025 (1,000,000.00 already awarded)");
    e = fx_award(f, FX_FUND, "award", "p3", Y(100000), 2026, at(2)); /* next year's budget */
    ACCEPT(f, &e);
}

/* Without a budget, any number of awards (each once). */
static void test_r_award4_no_budget_no_limit(void **state)
{
    fx *f = *state;
    const int64_t levels[2] = {Y(100000), Y(500000)};
    entry p = fx_award_program(f, "open", FX_FUND, 2, levels, 0, FX_T0);
    fx_ok(f, &p);
    const char *projects[3] = {"p1", "p2", "p3"};
    for (int i = 0; i < 3; i++)
        for (int l = 0; l < 2; l++) {
            entry e = fx_award(f, FX_FUND, "open", projects[i], levels[l], 2025, at(1));
            ACCEPT(f, &e);
        }
}

typedef struct {
    query_award_level rows[8];
    size_t n;
} level_rows;

static int level_row(void *arg, const query_award_level *l)
{
    level_rows *r = arg;
    assert_true(r->n < 8);
    r->rows[r->n++] = *l;
    return 0;
}

static void test_query_awards_by_year_and_level(void **state)
{
    fx *f = *state;
    static const struct {
        const char *project;
        int64_t fen;
        uint32_t year;
    } awards[] = {{"p2", Y(500000), 2025}, {"p1", Y(100000), 2025}, {"p3", Y(100000), 2025},
                  {"p1", Y(500000), 2026}};
    for (size_t i = 0; i < 4; i++) {
        entry e = fx_award(f, FX_FUND, "award", awards[i].project, awards[i].fen, awards[i].year,
                           at(1 + i));
        fx_ok(f, &e);
    }
    level_rows r = {.n = 0};
    assert_int_equal(query_award_levels(&f->kv, "award", STATE_TIME_LATEST, level_row, &r), CF_OK);
    assert_int_equal(r.n, 3);
    assert_int_equal(r.rows[0].year, 2025);
    assert_int_equal(r.rows[0].level_fen, Y(100000));
    assert_int_equal(r.rows[0].count, 2);
    assert_int_equal(r.rows[0].total_fen, Y(200000));
    assert_int_equal(r.rows[1].level_fen, Y(500000));
    assert_int_equal(r.rows[1].count, 1);
    assert_int_equal(r.rows[2].year, 2026);
    r.n = 0; /* as of before the third award */
    assert_int_equal(query_award_levels(&f->kv, "award", at(3) - 1, level_row, &r), CF_OK);
    assert_int_equal(r.n, 2);
    assert_int_equal(r.rows[0].count, 1);
}

/* Not equity: awards, leases and loans per project. */
static int other_row(void *arg, const query_project_other *p)
{
    query_project_other *rows = arg;
    rows[p->project[1] - '1'] = *p;
    return 0;
}

static void test_query_projects_other_than_equity(void **state)
{
    fx *f = *state;
    entry e = fx_award(f, FX_FUND, "award", "p1", Y(100000), 2025, at(1));
    fx_ok(f, &e);
    e = lease(f, Y(1000), Y(100), Y(700), Y(200), at(1));
    fx_ok(f, &e);
    e = fx_loan(f, FX_BANK, "pool", "p2", Y(300), 12, at(1));
    fx_ref l = fx_accept(f, &e);
    e = fx_repay(f, FX_BANK, &l, Y(100), at(2));
    fx_ok(f, &e);
    query_project_other rows[3];
    memset(rows, 0, sizeof rows);
    assert_int_equal(query_projects_other(&f->kv, NULL, STATE_TIME_LATEST, other_row, rows), CF_OK);
    assert_int_equal(rows[0].awards, 1);
    assert_int_equal(rows[0].award_fen, Y(100000));
    assert_int_equal(rows[0].leases, 1);
    assert_int_equal(rows[0].lease_financing_fen, Y(700));
    assert_int_equal(rows[1].loans, 1);
    assert_int_equal(rows[1].lent_fen, Y(300));
    assert_int_equal(rows[1].repaid_fen, Y(100));
    assert_string_equal(rows[2].project, "");
}

#define T(name) cmocka_unit_test_setup_teardown(name, fx_case_setup_instruments, fx_case_teardown)

int main(void)
{
    const struct CMUnitTest tests[] = {
        T(test_r_role_lease_and_award_writers),
        T(test_r_ref_leasing_and_award_programs),
        T(test_r_lease3_program_bounds_must_admit_a_lease),
        T(test_r_lease1_all_three_parts_positive),
        T(test_r_lease2_parts_miss_the_price_by_one_fen),
        T(test_r_lease3_each_part_within_bounds),
        T(test_query_leases),
        T(test_r_award1_allowed_amounts_only),
        T(test_r_award2_registered_project),
        T(test_r_award3_once_per_project_level_and_year),
        T(test_r_award4_within_the_annual_budget),
        T(test_r_award4_no_budget_no_limit),
        T(test_query_awards_by_year_and_level),
        T(test_query_projects_other_than_equity),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
