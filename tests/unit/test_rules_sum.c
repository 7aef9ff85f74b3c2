/* test_rules_sum.c — the rule engine (node/ledger/rules.h): R-SUM, the
 * amount limit of 10^15 fen and every running total that could overflow,
 * and a match that waits (CF_EPENDING) for the contribution it cites.
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

/* Contribute AMOUNT_MAX repeatedly until rejected; returns how many were
 * accepted. Alternates p1/p2 when spread. */
static int contribute_until_rejected(fx *f, int who, const char *program, bool spread)
{
    for (int n = 0;; n++) {
        entry e = fx_contribution(f, who, spread && n % 2 ? "p2" : "p1", "A", program,
                                  AMOUNT_MAX, at(1));
        int rc = fx_push(f, &e);
        if (rc != CF_OK) return n;
    }
}

static void test_r_sum_position_overflow_rejected(void **state)
{
    fx *f = *state;
    int n = contribute_until_rejected(f, FX_INV_A, NULL, false);
    assert_int_equal(n, (int)(INT64_MAX / AMOUNT_MAX)); /* 9,223 */
    assert_string_equal(f->d.rule, "R-SUM");
    assert_non_null(strstr(f->d.text, "the author's position would overflow"));
    int64_t room = INT64_MAX - n * AMOUNT_MAX;
    entry e = fx_contribution(f, FX_INV_A, "p1", "A", NULL, room + 1, at(1));
    REJECT(f, &e, "R-SUM", "the author's position would overflow");
    e = fx_contribution(f, FX_INV_A, "p1", "A", NULL, room, at(1));
    ACCEPT(f, &e);
    assert_int_equal(fx_position(f, "p1", FX_INV_A, STATE_TIME_LATEST), INT64_MAX);
}

static void test_r_sum_requested_overflow_rejected(void **state)
{
    fx *f = *state;
    int n = contribute_until_rejected(f, FX_INV_A, "ind", true);
    assert_int_equal(n, (int)(INT64_MAX / AMOUNT_MAX));
    assert_string_equal(f->d.rule, "R-SUM");
    assert_non_null(strstr(f->d.text, "requested"));
    /* Another contributor's requests are its own. */
    entry e = fx_contribution(f, FX_INV_B, "p1", "A", "ind", AMOUNT_MAX, at(1));
    ACCEPT(f, &e);
    query_totals t;
    assert_int_equal(query_program_totals(&f->kv, "ind", STATE_TIME_LATEST, &t), CF_EOVERFLOW);
}

static void test_r_sum_program_and_fund_totals_overflow_rejected(void **state)
{
    fx *f = *state;
    fx_program_spec big = fx_industrial("big"), big2 = fx_industrial("big2");
    big.num = big2.num = 1000;
    fx_add_program(f, &big);
    fx_add_program(f, &big2);
    const int64_t unit = AMOUNT_MAX / 1000; /* backs a match of AMOUNT_MAX */
    int n = 0;
    for (;; n++) {
        fx_ref r = fx_contribute(f, FX_INV_A, "p1", "A", "big", unit, at(1));
        entry e = match1(f, "big", &r, AMOUNT_MAX, at(1));
        if (fx_push(f, &e) != CF_OK) break;
    }
    assert_int_equal(n, (int)(INT64_MAX / AMOUNT_MAX));
    assert_string_equal(f->d.rule, "R-SUM");
    assert_non_null(strstr(f->d.text, "the program's total would overflow"));
    /* big2's totals are empty, but the fund's position in p1 is full. */
    fx_ref r = fx_contribute(f, FX_INV_A, "p1", "A", "big2", unit, at(1));
    entry e = match1(f, "big2", &r, AMOUNT_MAX, at(1));
    REJECT(f, &e, "R-SUM", "the fund's position would overflow");
    e = match1(f, "big2", &r, INT64_MAX - n * AMOUNT_MAX, at(1));
    ACCEPT(f, &e);
}

static void test_r_sum_counterpart_total_overflow_rejected(void **state)
{
    fx *f = *state;
    fx_program_spec p = fx_industrial("thin");
    p.den = 1000;
    fx_add_program(f, &p);
    /* 64 contributions of 10^15 per match, each allocated 1 fen (the 1:1000
     * floor of 10^15 is 10^12): the counterpart total grows 6.4 * 10^16 per
     * match; two investors keep their positions in range. */
    fx_ref refs[ENTRY_CITES_MAX];
    entry_cite c[ENTRY_CITES_MAX];
    int matched = 0, rc = CF_OK;
    while (rc == CF_OK) {
        for (int i = 0; i < ENTRY_CITES_MAX; i++) {
            refs[i] = fx_contribute(f, i % 2 ? FX_INV_B : FX_INV_A, "p1", "A", "thin",
                                    AMOUNT_MAX, at(1));
            c[i] = fx_cite(f, &refs[i], 1);
        }
        entry e = fx_match(f, FX_FUND, "thin", "p1", "A", at(1), ENTRY_CITES_MAX, c);
        if ((rc = fx_push(f, &e)) == CF_OK) matched += ENTRY_CITES_MAX;
    }
    assert_int_equal(matched, (int)(INT64_MAX / AMOUNT_MAX) / ENTRY_CITES_MAX * ENTRY_CITES_MAX);
    assert_string_equal(f->d.rule, "R-SUM");
    assert_non_null(strstr(f->d.text, "counterpart total would overflow"));
    /* What was asked of the program (>= the counterpart total) no longer
     * fits an int64: the query says so rather than wrapping. */
    query_totals t;
    assert_int_equal(query_program_totals(&f->kv, "thin", STATE_TIME_LATEST, &t), CF_EOVERFLOW);
    assert_int_equal(t.counterpart_fen, matched * AMOUNT_MAX);
    assert_int_equal(t.deployed_fen, matched);
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
        T(test_r_sum_position_overflow_rejected),
        T(test_r_sum_requested_overflow_rejected),
        T(test_r_sum_program_and_fund_totals_overflow_rejected),
        T(test_r_sum_counterpart_total_overflow_rejected),
        T(test_pending_cited_contribution_then_accepted),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
