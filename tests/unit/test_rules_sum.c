/* test_rules_sum.c — the rule engine (node/ledger/rules.h): the limits
 * that keep every total in range — the amount limit of 10^15 fen, R-VOLUME
 * (a feed's amounts, summed), R-MEMBERS (how many feeds) and R-SUM (the
 * guard on every running total) — and a match that waits (CF_EPENDING) for the contribution it cites.
 * The rest of the rules, by ID, are in test_rules.c; the same checks apply:
 * code, rule ID, the words a user needs, and an unchanged state after any
 * verdict but CF_OK.
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

#define AMOUNT_MAX AMOUNT_FEN_MAX

/* ---- R-SUM and the amount limit ----------------------------------------- */

static void test_r_sum_amount_limit(void **state)
{
    fx *f = *state;
    fx_ref r = contrib(f, FX_INV_A, AMOUNT_MAX, at(1));
    entry e = match1(f, "ind", &r, AMOUNT_MAX, at(2));
    ACCEPT(f, &e);
    e = fx_exit(f, FX_FUND, "p1", AMOUNT_MAX, at(2));
    ACCEPT(f, &e);
    /* 10^15 + 1 fen does not even encode; patch the bytes of 10^15. */
    e = fx_contribution(f, FX_INV_A, "p1", "A", NULL, AMOUNT_MAX, at(2));
    uint8_t buf[ENTRY_BYTES_MAX], leaf[32];
    static const uint8_t max_cbor[9] = {0x1b, 0x00, 0x03, 0x8d, 0x7e, 0xa4, 0xc6, 0x80, 0x00};
    size_t len = fx_encode(&e, buf, leaf), i = 0;
    while (i + 9 <= len && memcmp(buf + i, max_cbor, 9) != 0) i++;
    assert_true(i + 9 <= len);
    buf[i + 8] = 0x01;
    assert_int_equal(fx_push_bytes(f, e.author, e.index, buf, len), CF_EREJECTED);
    assert_string_equal(f->d.rule, "R-ENV");
    assert_non_null(strstr(f->d.text, "body.amount"));
}

/* Contribute AMOUNT_MAX repeatedly until rejected (at most `max` tries);
 * returns how many were accepted. */
static int contribute_until_rejected(fx *f, int who, const char *program, int max)
{
    for (int n = 0; n < max; n++) {
        entry e = fx_contribution(f, who, "p1", "A", program, AMOUNT_MAX, at(1));
        if (fx_push(f, &e) != CF_OK) return n;
    }
    return max;
}

/* ---- R-VOLUME: a feed's amounts, summed, stay within 2 × 10^15 fen -------- */

/* Issue 12 item 11: 9,223 contributions of 10^15 fen by one holder and one
 * by another each fit the holder's position, but not the project's total:
 * `positions` and `program status` failed for every project. A feed's
 * volume is bounded now, so no total a query sums can overflow. */
static void test_r_volume_issue_attack_refused(void **state)
{
    fx *f = *state;
    int n = contribute_until_rejected(f, FX_INV_A, "ind", 9223);
    assert_int_equal(n, 2);
    assert_string_equal(f->d.rule, "R-VOLUME");
    assert_non_null(strstr(f->d.text, "contribution of 10,000,000,000,000.00 would take inv-a's "
                                      "volume (the amounts of its entries, "
                                      "20,000,000,000,000.00 so far) over the limit of "
                                      "20,000,000,000,000.00 per feed"));
    assert_int_equal(contribute_until_rejected(f, FX_INV_B, "ind", 9223), 2);
    query_totals t;
    assert_int_equal(query_program_totals(&f->kv, "ind", STATE_TIME_LATEST, &t), CF_OK);
    assert_int_equal(t.requested_fen, 4 * AMOUNT_MAX);
    assert_int_equal(fx_position(f, "p1", FX_INV_A, STATE_TIME_LATEST), 2 * AMOUNT_MAX);
}

/* Both sides of the limit, and everything counts: exits too. */
static void test_r_volume_boundary(void **state)
{
    fx *f = *state;
    entry e = fx_contribution(f, FX_INV_A, "p1", "A", NULL, AMOUNT_MAX, at(1));
    ACCEPT(f, &e);
    e = fx_contribution(f, FX_INV_A, "p1", "A", NULL, AMOUNT_MAX - 1, at(1));
    ACCEPT(f, &e);
    e = fx_exit(f, FX_INV_A, "p1", 2, at(1));
    REJECT(f, &e, "R-VOLUME", "exit of 0.02 would take inv-a's volume",
           "19,999,999,999,999.99 so far) over the limit of 20,000,000,000,000.00");
    e = fx_exit(f, FX_INV_A, "p1", 1, at(1));
    ACCEPT(f, &e); /* exactly at the limit */
    e = fx_contribution(f, FX_INV_A, "p1", "A", NULL, 1, at(1));
    REJECT(f, &e, "R-VOLUME", "20,000,000,000,000.00 so far");
    /* another feed's volume is its own */
    e = fx_contribution(f, FX_INV_B, "p1", "A", NULL, AMOUNT_MAX, at(1));
    ACCEPT(f, &e);
    /* the volume is the feed's, whatever the project */
    e = fx_contribution(f, FX_INV_A, "p2", "A", NULL, 1, at(1));
    REJECT(f, &e, "R-VOLUME", "inv-a's volume");
}

/* The fund's matches count in the fund's feed. */
static void test_r_volume_counts_matches(void **state)
{
    fx *f = *state;
    fx_program_spec big = fx_industrial("big");
    big.num = 1000;
    fx_add_program(f, &big);
    const int64_t unit = AMOUNT_MAX / 1000; /* backs a match of AMOUNT_MAX */
    fx_ref r1 = fx_contribute(f, FX_INV_A, "p1", "A", "big", unit, at(1));
    fx_ref r2 = fx_contribute(f, FX_INV_A, "p1", "A", "big", unit, at(1));
    fx_ref r3 = fx_contribute(f, FX_INV_B, "p1", "A", "big", unit, at(1));
    entry e = match1(f, "big", &r1, AMOUNT_MAX, at(1));
    ACCEPT(f, &e);
    e = match1(f, "big", &r2, AMOUNT_MAX, at(1));
    ACCEPT(f, &e);
    e = match1(f, "big", &r3, 1, at(1));
    REJECT(f, &e, "R-VOLUME", "match of 0.01 would take fund's volume");
}

/* What each type adds to its feed's volume: the amount it carries. */
static void test_r_volume_of_each_type(void **state)
{
    fx *f = fx_setup_instruments();
    (void)state;
    assert_non_null(f);
    fx_ref l = {FX_BANK, 0, {0}}, d = {FX_BANK, 1, {0}};
    struct {
        entry e;
        int64_t want;
    } cases[] = {
        {fx_contribution(f, FX_INV_A, "p1", "A", NULL, 11, at(1)), 11},
        {fx_exit(f, FX_INV_A, "p1", 12, at(1)), 12},
        {fx_deposit(f, FX_FUND, "pool", 13, at(1)), 13},
        {fx_withdraw(f, FX_FUND, "pool", 14, at(1)), 14},
        {fx_loan(f, FX_BANK, "pool", "p1", 15, 12, at(1)), 15},
        {fx_guarantee(f, FX_FUND, "pool", &l, 16, at(1)), 16},
        {fx_repay(f, FX_BANK, &l, 17, at(1)), 17},
        {fx_default(f, FX_BANK, &l, 18, at(1)), 18},
        {fx_compensation(f, FX_FUND, "pool", &d, 19, at(1)), 19},
        {fx_release(f, FX_FUND, "pool", &d, 20, at(1)), 20},
        {fx_award(f, FX_FUND, "awards", "p1", 21, 2026, at(1)), 21},
        {fx_project(f, FX_GOV, "p9", at(1)), 0},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++)
        assert_int_equal(ledger_entry_volume(&cases[i].e), cases[i].want);
    entry lease = fx_entry(f, FX_LESSOR, ENTRY_LEASE, at(1));
    lease.body.lease.price_fen = 22;
    assert_int_equal(ledger_entry_volume(&lease), 22);
    fx_free(f);
}

/* The bank's loans, repayments and losses count in the bank's feed. */
static void test_r_volume_counts_instruments(void **state)
{
    fx *f = fx_setup_instruments();
    (void)state;
    assert_non_null(f);
    entry e = fx_loan(f, FX_BANK, "pool", "p1", AMOUNT_MAX, 12, at(1));
    fx_ref l = fx_accept(f, &e);
    e = fx_repay(f, FX_BANK, &l, AMOUNT_MAX / 2, at(2));
    ACCEPT(f, &e);
    e = fx_default(f, FX_BANK, &l, AMOUNT_MAX / 2, at(3));
    ACCEPT(f, &e);
    e = fx_loan(f, FX_BANK, "pool", "p1", 1, 12, at(4));
    REJECT(f, &e, "R-VOLUME", "loan of 0.01 would take bank-a's volume");
    fx_free(f);
}

/* ---- R-MEMBERS: at most 4096 members -------------------------------------- */

static void test_r_members_limit(void **state)
{
    fx *f = *state;
    uint64_t n;
    assert_int_equal(state_member_count_get(&f->kv, &n), CF_OK);
    assert_int_equal(n, 6); /* gov, fund, inv-a, inv-b, team, auditor */
    char name[32];
    entry e;
    for (uint64_t i = n; i <= LEDGER_MEMBERS_MAX; i++) {
        snprintf(name, sizeof name, "m%llu", (unsigned long long)i);
        e = fx_member(f, FX_GOV, FX_OUTSIDER, ROLE_INVESTOR, name, FX_T0);
        memset(e.body.member.key, 0, 32);
        memcpy(e.body.member.key, &i, sizeof i);
        e.body.member.name.s = name;
        e.body.member.name.n = strlen(name);
        if (i < LEDGER_MEMBERS_MAX) {
            if (fx_push(f, &e) != CF_OK) fail_msg("member %s: [%s] %s", name, f->d.rule, f->d.text);
        } else {
            REJECT(f, &e, "R-MEMBERS", "the network already has 4096 members, the most it may "
                                      "have (a home holds at most 4096 feeds)");
        }
    }
    assert_int_equal(state_member_count_get(&f->kv, &n), CF_OK);
    assert_int_equal(n, LEDGER_MEMBERS_MAX);
}

/* A state written before the count record existed: the members are counted. */
static void test_r_members_count_without_its_record(void **state)
{
    fx *f = fx_new();
    uint64_t n = 99;
    (void)state;
    assert_non_null(f);
    assert_int_equal(state_member_count_get(&f->kv, &n), CF_OK);
    assert_int_equal(n, 0);
    for (int i = 0; i < 3; i++) {
        state_member m = {.role = ROLE_INVESTOR, .added_at = (uint64_t)i};
        memset(m.key, 0x10 + i, 32);
        snprintf(m.name, sizeof m.name, "old%d", i);
        assert_int_equal(state_member_put(&f->kv, &m), CF_OK);
    }
    assert_int_equal(state_member_count_get(&f->kv, &n), CF_OK);
    assert_int_equal(n, 3);
    fx_free(f);
}

/* ---- R-SUM: a guard no valid feed reaches any more ------------------------ */

/* With R-VOLUME no valid feed brings a total near the int64 range; R-SUM
 * still refuses to wrap one — a state damaged or written by other rules. */
static void seed(fx *f, const state_series *s, int64_t value)
{
    assert_int_equal(state_series_add(&f->kv, s, FX_T0, value), CF_OK);
}

static void test_r_sum_position_guard(void **state)
{
    fx *f = *state;
    state_series s;
    state_series_position(&s, "p1", f->keys[FX_INV_A]);
    seed(f, &s, INT64_MAX - 100);
    entry e = fx_contribution(f, FX_INV_A, "p1", "A", NULL, 101, at(1));
    REJECT(f, &e, "R-SUM", "the author's position would overflow");
    e = fx_contribution(f, FX_INV_A, "p1", "A", NULL, 100, at(1));
    ACCEPT(f, &e);
    assert_int_equal(fx_position(f, "p1", FX_INV_A, STATE_TIME_LATEST), INT64_MAX);
}

static void test_r_sum_requested_guard(void **state)
{
    fx *f = *state;
    state_series s;
    state_series_project(&s, SERIES_PROGRAM_REQUESTED, "ind", "inv-a");
    seed(f, &s, INT64_MAX - 100);
    entry e = fx_contribution(f, FX_INV_A, "p1", "A", "ind", 101, at(1));
    REJECT(f, &e, "R-SUM", "requested");
    /* Another contributor's requests are its own; the query that sums them
     * says the sum does not fit rather than wrapping. */
    e = fx_contribution(f, FX_INV_B, "p1", "A", "ind", 101, at(1));
    ACCEPT(f, &e);
    query_totals t;
    assert_int_equal(query_program_totals(&f->kv, "ind", STATE_TIME_LATEST, &t), CF_EOVERFLOW);
}

static void test_r_sum_program_and_counterpart_guard(void **state)
{
    fx *f = *state;
    state_series s;
    fx_ref r = contrib(f, FX_INV_A, 1000, at(1));
    state_series_program(&s, SERIES_PROGRAM_DEPLOYED, "ind");
    seed(f, &s, INT64_MAX - 100);
    entry e = match1(f, "ind", &r, 101, at(2));
    REJECT(f, &e, "R-SUM", "the program's total would overflow");
    state_series_program(&s, SERIES_PROGRAM_COUNTER, "ind");
    seed(f, &s, INT64_MAX - 999);
    e = match1(f, "ind", &r, 100, at(2));
    REJECT(f, &e, "R-SUM", "counterpart total would overflow");
    state_series_position(&s, "p1", f->keys[FX_FUND]);
    seed(f, &s, INT64_MAX);
    state_series_program(&s, SERIES_PROGRAM_COUNTER, "ind");
    seed(f, &s, -1); /* the counterpart total now takes 1,000 fen more */
    e = match1(f, "ind", &r, 100, at(2));
    REJECT(f, &e, "R-SUM", "the fund's position would overflow");
}

/* ---- pending citations -------------------------------------------------- */

static void test_pending_cited_contribution_then_accepted(void **state)
{
    fx *f = *state;
    entry c = fx_contribution(f, FX_INV_A, "p1", "A", "ind", 10000, at(1));
    uint8_t buf[ENTRY_BYTES_MAX];
    fx_ref r = {FX_INV_A, 0, {0}};
    size_t len = fx_encode(&c, buf, r.leaf);
    entry m = match1(f, "ind", &r, 10000, at(2));
    PENDING(f, &m, "waiting for contribution inv-a#0");
    assert_int_equal(fx_push_bytes(f, c.author, 0, buf, len), CF_OK);
    ACCEPT(f, &m);
}

#define T(name) cmocka_unit_test_setup_teardown(name, fx_case_setup, fx_case_teardown)

int main(void)
{
    const struct CMUnitTest tests[] = {
        T(test_r_sum_amount_limit),
        T(test_r_volume_issue_attack_refused),
        T(test_r_volume_boundary),
        T(test_r_volume_counts_matches),
        T(test_r_volume_of_each_type),
        T(test_r_volume_counts_instruments),
        T(test_r_members_limit),
        T(test_r_members_count_without_its_record),
        T(test_r_sum_position_guard),
        T(test_r_sum_requested_guard),
        T(test_r_sum_program_and_counterpart_guard),
        T(test_pending_cited_contribution_then_accepted),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
