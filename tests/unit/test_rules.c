/* test_rules.c — the rule engine (node/ledger/rules.h), rule by rule, on
 * both sides of every boundary, over the fixture network of rules_fixture.h.
 *
 * Every verdict is checked for its code, its rule ID and the words a user
 * needs (the entries and the numbers); after every verdict but CF_OK a
 * digest of the whole state must be unchanged. Tests are named by rule ID.
 * R-SUM (the amount limit and overflowing totals) and pending citations are
 * in test_rules_sum.c; queries (query.h) in test_query.c.
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
#define AMOUNT_MAX AMOUNT_FEN_MAX

/* ---- R-ENV -------------------------------------------------------------- */

static void test_r_env_index_must_be_next(void **state)
{
    fx *f = *state;
    entry e = fx_contribution(f, FX_INV_A, "p1", "A", NULL, 100, at(1));
    e.index = 1;
    REJECT(f, &e, "R-ENV", "index 1 where 0 was expected");
    e.index = 0;
    ACCEPT(f, &e);
    REJECT(f, &e, "R-ENV", "index 0 where 1 was expected"); /* a replay */
}

static void test_r_env_position_and_author_must_match_feed(void **state)
{
    fx *f = *state;
    entry e = fx_contribution(f, FX_INV_A, "p1", "A", NULL, 100, at(1));
    uint8_t buf[ENTRY_BYTES_MAX], leaf[32], d0[32], d1[32];
    size_t len = fx_encode(&e, buf, leaf);
    fx_digest(f, d0, NULL);
    assert_int_equal(fx_push_bytes(f, f->keys[FX_INV_A], 3, buf, len), CF_EREJECTED);
    assert_string_equal(f->d.rule, "R-ENV");
    assert_non_null(strstr(f->d.text, "index 0 at position 3"));
    assert_int_equal(fx_push_bytes(f, f->keys[FX_INV_B], 0, buf, len), CF_EREJECTED);
    assert_string_equal(f->d.rule, "R-ENV");
    assert_non_null(strstr(f->d.text, "author does not match the feed"));
    fx_digest(f, d1, NULL);
    assert_memory_equal(d0, d1, 32);
    assert_int_equal(fx_push_bytes(f, f->keys[FX_INV_A], 0, buf, len), CF_OK);
}

static void test_r_env_wrong_network_rejected(void **state)
{
    fx *f = *state;
    entry e = fx_contribution(f, FX_INV_A, "p1", "A", NULL, 100, at(1));
    e.net[31] ^= 1;
    REJECT(f, &e, "R-ENV", "another network");
}

static void test_r_env_second_genesis_rejected(void **state)
{
    fx *f = *state;
    entry e = fx_genesis(f, FX_OUTSIDER, at(1));
    REJECT(f, &e, "R-ENV", "already has a genesis");
    e = fx_genesis(f, FX_GOV, at(1));
    e.index = fx_gov(f);
    REJECT(f, &e, "R-ENV", "already has a genesis");
}

static void test_r_env_malformed_bytes_rejected(void **state)
{
    fx *f = *state;
    entry e = fx_contribution(f, FX_INV_A, "p1", "A", NULL, 100, at(1));
    uint8_t buf[ENTRY_BYTES_MAX + 1], leaf[32];
    size_t len = fx_encode(&e, buf, leaf);
    buf[len] = 0x00; /* a trailing byte */
    assert_int_equal(fx_push_bytes(f, e.author, 0, buf, len + 1), CF_EREJECTED);
    assert_string_equal(f->d.rule, "R-ENV");
    assert_int_equal(f->d.code, CF_EREJECTED);
    e.body.contribution.program = entry_text_of("x y", 3); /* not an identifier */
    e.body.contribution.has_program = true;
    diag d;
    size_t n;
    assert_int_not_equal(entry_encode(&e, buf, sizeof buf, &n, &d), CF_OK);
}

/* A program's kind picks its body's fields: an unknown kind is refused by
 * the decoder (and the encoder), so no rule ever sees one. */
static void test_r_env_program_kind_must_be_known(void **state)
{
    fx *f = *state;
    fx_program_spec p = fx_industrial("grant1");
    entry e = fx_program(f, FX_GOV, &p, at(0));
    uint8_t buf[ENTRY_BYTES_MAX], leaf[32], d0[32], d1[32];
    size_t len = fx_encode(&e, buf, leaf), n;
    /* "match" -> "grant": the same length, so the bytes stay canonical */
    uint8_t *k = NULL;
    for (size_t i = 0; i + 6 <= len && k == NULL; i++)
        if (memcmp(buf + i, "\x65match", 6) == 0) k = buf + i + 1;
    assert_non_null(k);
    memcpy(k, "grant", 5);
    fx_digest(f, d0, NULL);
    assert_int_equal(fx_push_bytes(f, e.author, e.index, buf, len), CF_EREJECTED);
    assert_string_equal(f->d.rule, "R-ENV");
    assert_non_null(strstr(f->d.text, "program kind \"grant\" is unknown"));
    fx_digest(f, d1, NULL);
    assert_memory_equal(d0, d1, 32);
    diag d;
    e.body.program.kind = entry_text_of("grant", 5);
    assert_int_equal(entry_encode(&e, buf, sizeof buf, &n, &d), CF_EENTRY);
    assert_string_equal(d.rule, "R-ENV");
}

static void test_r_env_before_genesis_pending(void **state)
{
    (void)state;
    fx *f = fx_new();
    assert_non_null(f);
    entry e = fx_contribution(f, FX_INV_A, "p1", "A", NULL, 100, FX_T0);
    e.gov = 1;
    PENDING(f, &e, "waiting for the network's genesis entry");
    e = fx_genesis(f, FX_GOV, FX_T0);
    e.gov = 1;
    REJECT(f, &e, "R-GOV", "gov 0, not 1");
    e.gov = 0;
    ACCEPT(f, &e);
    fx_free(f);
}

/* ---- R-TIME, R-GOV ------------------------------------------------------ */

static void test_r_time_equal_accepted_earlier_rejected(void **state)
{
    fx *f = *state;
    contrib(f, FX_INV_A, 100, at(5));
    entry e = fx_contribution(f, FX_INV_A, "p1", "A", "ind", 100, at(5));
    ACCEPT(f, &e);
    e = fx_contribution(f, FX_INV_A, "p1", "A", "ind", 100, at(5) - 1);
    REJECT(f, &e, "R-TIME", "2025-07-06T07:59:59.999+08:00", "2025-07-06T08:00:00.000+08:00");
    e = fx_project(f, FX_GOV, "p3", FX_T0 - 1); /* the governance feed too */
    REJECT(f, &e, "R-TIME", "earlier than the previous entry's");
}

static void test_r_gov_lower_rejected_equal_accepted(void **state)
{
    fx *f = *state;
    contrib(f, FX_INV_A, 100, at(1));
    entry e = fx_contribution(f, FX_INV_A, "p1", "A", "ind", 100, at(1));
    e.gov = FX_GOV_SIZE - 1;
    REJECT(f, &e, "R-GOV", "gov 9 is below the previous entry's 10");
    e.gov = FX_GOV_SIZE;
    ACCEPT(f, &e);
}

static void test_r_gov_beyond_feed_pending_then_accepted(void **state)
{
    fx *f = *state;
    entry e = fx_contribution(f, FX_INV_A, "p1", "A", "ind", 100, at(1));
    e.gov = FX_GOV_SIZE + 1;
    PENDING(f, &e, "11 governance entries", "10 applied");
    fx_add_project(f, "p3");
    ACCEPT(f, &e);
}

/* ---- R-ROLE ------------------------------------------------------------- */

static void test_r_role_member_before_added_rejected(void **state)
{
    fx *f = *state;
    fx_add_member(f, FX_OUTSIDER, ROLE_INVESTOR); /* governance index 10 */
    entry e = fx_contribution(f, FX_OUTSIDER, "p1", "A", "ind", 100, at(1));
    e.gov = FX_GOV_SIZE;
    REJECT(f, &e, "R-ROLE", "outsider is not a member as of governance size 10");
    e.gov = FX_GOV_SIZE + 1;
    ACCEPT(f, &e);
}

static void test_r_role_non_member_rejected(void **state)
{
    fx *f = *state;
    entry e = fx_contribution(f, FX_OUTSIDER, "p1", "A", NULL, 100, at(1));
    REJECT(f, &e, "R-ROLE", "8888888888888888 is not a member");
}

static void test_r_role_writers(void **state)
{
    fx *f = *state;
    fx_ref r = contrib(f, FX_INV_A, 100, at(1));
    static const struct {
        int who;
        enum entry_type type;
        const char *role;
    } cases[] = {
        {FX_AUDITOR, ENTRY_PROGRAM, "auditor"},   {FX_INV_A, ENTRY_PROGRAM, "investor"},
        {FX_FUND, ENTRY_MEMBER, "fund"},           {FX_TEAM, ENTRY_PROJECT, "team"},
        {FX_FUND, ENTRY_CONTRIBUTION, "fund"},     {FX_AUDITOR, ENTRY_CONTRIBUTION, "auditor"},
        {FX_GOV, ENTRY_CONTRIBUTION, "governance"}, {FX_AUDITOR, ENTRY_EXIT, "auditor"},
        {FX_GOV, ENTRY_EXIT, "governance"},        {FX_INV_B, ENTRY_MATCH, "investor"},
        {FX_TEAM, ENTRY_MATCH, "team"},            {FX_AUDITOR, ENTRY_MATCH, "auditor"},
    };
    fx_program_spec p = fx_industrial("x");
    entry_cite c = fx_cite(f, &r, 1);
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        int w = cases[i].who;
        entry e;
        switch (cases[i].type) {
        case ENTRY_PROGRAM: e = fx_program(f, w, &p, at(2)); break;
        case ENTRY_MEMBER: e = fx_member(f, w, FX_OUTSIDER, ROLE_INVESTOR, "x", at(2)); break;
        case ENTRY_PROJECT: e = fx_project(f, w, "x", at(2)); break;
        case ENTRY_CONTRIBUTION: e = fx_contribution(f, w, "p1", "A", NULL, 1, at(2)); break;
        case ENTRY_EXIT: e = fx_exit(f, w, "p1", 1, at(2)); break;
        default: e = fx_match(f, w, "ind", "p1", "A", at(2), 1, &c); break;
        }
        REJECT(f, &e, "R-ROLE", cases[i].role, fx_names[w], entry_type_name(cases[i].type));
    }
    entry e = fx_contribution(f, FX_TEAM, "p1", "A", NULL, 1, at(2));
    ACCEPT(f, &e);
    e = fx_exit(f, FX_INV_A, "p1", 1, at(2));
    ACCEPT(f, &e);
}

static void test_r_role_match_by_other_than_operator_rejected(void **state)
{
    fx *f = *state;
    fx_add_member(f, FX_FUND2, ROLE_FUND);
    fx_ref r = contrib(f, FX_INV_A, 100, at(1));
    entry_cite c = fx_cite(f, &r, 100);
    entry e = fx_match(f, FX_FUND2, "ind", "p1", "A", at(2), 1, &c);
    REJECT(f, &e, "R-ROLE", "only program ind's operator fund may write its matches");
    e = fx_match(f, FX_FUND, "ind", "p1", "A", at(2), 1, &c);
    ACCEPT(f, &e);
}

/* ---- R-REF -------------------------------------------------------------- */

static void test_r_ref_unknown_names_rejected(void **state)
{
    fx *f = *state;
    fx_ref r = contrib(f, FX_INV_A, 100, at(1));
    entry e = fx_contribution(f, FX_INV_A, "p9", "A", NULL, 100, at(1));
    REJECT(f, &e, "R-REF", "project p9 is not registered");
    e = fx_contribution(f, FX_INV_A, "p1", "A", "nope", 100, at(1));
    REJECT(f, &e, "R-REF", "program nope is not registered");
    entry_cite c = fx_cite(f, &r, 100);
    e = fx_match(f, FX_FUND, "nope", "p1", "A", at(2), 1, &c);
    REJECT(f, &e, "R-REF", "program nope is not registered");
    e = fx_match(f, FX_FUND, "ind", "p9", "A", at(2), 1, &c);
    REJECT(f, &e, "R-REF", "project p9 is not registered");
    e = fx_exit(f, FX_INV_A, "p9", 1, at(2));
    REJECT(f, &e, "R-REF", "project p9 is not registered");
}

static void test_r_ref_as_of_gov(void **state)
{
    fx *f = *state;
    /* p1 is governance entry 8: visible from gov 9. */
    entry e = fx_contribution(f, FX_INV_A, "p1", "A", "ind", 100, at(1));
    e.gov = 8;
    REJECT(f, &e, "R-REF", "project p1 is not registered");
    e.gov = 9;
    ACCEPT(f, &e);
    /* A program registered as entry 10 is visible from gov 11. */
    fx_program_spec p = fx_industrial("late");
    fx_add_program(f, &p);
    e = fx_contribution(f, FX_INV_A, "p1", "A", "late", 100, at(1));
    e.gov = FX_GOV_SIZE;
    REJECT(f, &e, "R-REF", "program late is not registered");
    e.gov = FX_GOV_SIZE + 1;
    ACCEPT(f, &e);
}

static void test_r_ref_program_operator_must_be_fund(void **state)
{
    fx *f = *state;
    fx_program_spec p = fx_industrial("ind-x");
    p.operator_who = FX_INV_A;
    entry e = fx_program(f, FX_GOV, &p, at(0));
    REJECT(f, &e, "R-REF", "operator inv-a is a investor, not a fund");
    p.operator_who = FX_OUTSIDER;
    e = fx_program(f, FX_GOV, &p, at(0));
    REJECT(f, &e, "R-REF", "8888888888888888 is not a member");
    p.operator_who = FX_FUND;
    e = fx_program(f, FX_GOV, &p, at(0));
    ACCEPT(f, &e);
}

static void test_r_ref_program_must_take_contributors_role(void **state)
{
    fx *f = *state;
    entry e = fx_contribution(f, FX_TEAM, "p1", "A", "ind", 100, at(1));
    REJECT(f, &e, "R-REF", "program ind does not take contributions from a team");
    e = fx_contribution(f, FX_INV_A, "p1", "A", "inc", 100, at(1));
    REJECT(f, &e, "R-REF", "program inc does not take contributions from a investor");
    e = fx_contribution(f, FX_TEAM, "p1", "A", "inc", 100, at(1));
    ACCEPT(f, &e);
}

/* ---- R-UNIQ ------------------------------------------------------------- */

static void test_r_uniq_registrations(void **state)
{
    fx *f = *state;
    entry e = fx_member(f, FX_GOV, FX_INV_A, ROLE_INVESTOR, "inv-a2", at(0));
    REJECT(f, &e, "R-UNIQ", "already member inv-a (investor)");
    e = fx_member(f, FX_GOV, FX_GOV, ROLE_FUND, "gov2", at(0));
    REJECT(f, &e, "R-UNIQ", "already member gov (governance)");
    e = fx_member(f, FX_GOV, FX_OUTSIDER, ROLE_INVESTOR, "inv-a", at(0));
    REJECT(f, &e, "R-UNIQ", "member name \"inv-a\" is already taken");
    e = fx_member(f, FX_GOV, FX_OUTSIDER, ROLE_INVESTOR, "gov", at(0));
    REJECT(f, &e, "R-UNIQ", "member name \"gov\" is already taken");
    fx_program_spec p = fx_incubation("ind");
    e = fx_program(f, FX_GOV, &p, at(0));
    REJECT(f, &e, "R-UNIQ", "program ind is already registered");
    e = fx_project(f, FX_GOV, "p2", at(0));
    REJECT(f, &e, "R-UNIQ", "project p2 is already registered");
    e = fx_member(f, FX_GOV, FX_OUTSIDER, ROLE_INVESTOR, "inv-c", at(0));
    ACCEPT(f, &e);
}

/* ---- R-MATCH.1, R-MATCH.2 ----------------------------------------------- */

static void test_r_match1_citations_required_once_each(void **state)
{
    fx *f = *state;
    fx_ref r = contrib(f, FX_INV_A, 100, at(1));
    entry e = fx_match(f, FX_FUND, "ind", "p1", "A", at(2), 0, NULL);
    e.body.match.amount_fen = 100;
    REJECT(f, &e, "R-MATCH.1", "cites no contribution");
    entry_cite c[2] = {fx_cite(f, &r, 50), fx_cite(f, &r, 50)};
    e = fx_match(f, FX_FUND, "ind", "p1", "A", at(2), 2, c);
    REJECT(f, &e, "R-MATCH.1", "cites inv-a#0 twice");
    e = fx_match(f, FX_FUND, "ind", "p1", "A", at(2), 1, c);
    ACCEPT(f, &e);
}

static void test_r_match2_citation_mismatches_rejected(void **state)
{
    fx *f = *state;
    fx_program_spec p2 = fx_industrial("ind2");
    fx_add_program(f, &p2);
    fx_ref ok = contrib(f, FX_INV_A, 100, at(1));                                 /* #0 */
    fx_ref team = fx_contribute(f, FX_TEAM, "p1", "A", "inc", 100, at(1));         /* team#0 */
    fx_ref proj = fx_contribute(f, FX_INV_A, "p2", "A", "ind", 100, at(1));        /* #1 */
    fx_ref round = fx_contribute(f, FX_INV_A, "p1", "B", "ind", 100, at(1));       /* #2 */
    fx_ref prog = fx_contribute(f, FX_INV_A, "p1", "A", "ind2", 100, at(1));       /* #3 */
    fx_ref none = fx_contribute(f, FX_INV_A, "p1", "A", NULL, 100, at(1));         /* #4 */
    fx_ref member = {FX_GOV, 1, {0}}; /* the member entry adding fund */
    fx_ref forged = ok, stale = ok;
    forged.leaf[0] ^= 1;
    memcpy(stale.leaf, proj.leaf, 32); /* another entry's leaf */
    static const struct {
        const char *needle;
    } want[] = {
        {"team#0 is by a team; program ind matches investor"},
        {"gov#1 is not a contribution"},
        {"inv-a#1 is for project p2, not p1"},
        {"inv-a#2 is for round B, not A"},
        {"inv-a#3 asks to be matched by program ind2, not ind"},
        {"inv-a#4 names no program; it cannot be matched by ind"},
        {"leaf hash cited for inv-a#0 does not match the entry (stale or forged)"},
        {"leaf hash cited for inv-a#0 does not match"},
    };
    const fx_ref *refs[] = {&team, &member, &proj, &round, &prog, &none, &forged, &stale};
    for (size_t i = 0; i < sizeof refs / sizeof refs[0]; i++) {
        entry e = match1(f, "ind", refs[i], 10, at(2));
        REJECT(f, &e, "R-MATCH.2", want[i].needle);
    }
    entry e = match1(f, "ind", &ok, 10, at(2));
    ACCEPT(f, &e);
}

static void test_r_match2_contributor_member_as_of_match_gov(void **state)
{
    fx *f = *state;
    fx_add_member(f, FX_OUTSIDER, ROLE_INVESTOR); /* governance index 10 */
    fx_ref r = contrib(f, FX_OUTSIDER, 100, at(1));
    entry e = match1(f, "ind", &r, 100, at(2));
    e.gov = FX_GOV_SIZE;
    REJECT(f, &e, "R-MATCH.2", "outsider#0 is by outsider, not a member as of governance size 10");
    e.gov = FX_GOV_SIZE + 1;
    ACCEPT(f, &e);
}

/* ---- R-MATCH.3, R-MATCH.5 ----------------------------------------------- */

static void test_r_match3_window_edges(void **state)
{
    fx *f = *state;
    uint64_t t = at(10), window = FX_IND_WINDOW_DAYS * DAY;
    fx_ref r = contrib(f, FX_INV_A, 100, t);
    entry e = match1(f, "ind", &r, 1, t - 1);
    REJECT(f, &e, "R-MATCH.3", "is before contribution inv-a#0", "2025-07-11T08:00:00.000+08:00");
    e = match1(f, "ind", &r, 1, t);
    ACCEPT(f, &e);
    e = match1(f, "ind", &r, 1, t + window);
    ACCEPT(f, &e);
    e = match1(f, "ind", &r, 1, t + window + 1);
    REJECT(f, &e, "R-MATCH.3", "more than 90 days after contribution inv-a#0",
           "2025-10-09T08:00:00.001+08:00");
}

static void test_r_match5_before_program_start_rejected(void **state)
{
    fx *f = *state;
    fx_ref r = contrib(f, FX_INV_A, 100, FX_START - DAY);
    entry e = match1(f, "ind", &r, 100, FX_START - 1);
    REJECT(f, &e, "R-MATCH.5", "before program ind starts", "2025-07-01T08:00:00.000+08:00");
    e = match1(f, "ind", &r, 100, FX_START);
    ACCEPT(f, &e);
}

/* ---- R-MATCH.4 ---------------------------------------------------------- */

static void test_r_match4_exact_ratio_accepted(void **state)
{
    fx *f = *state;
    fx_ref r = contrib(f, FX_INV_A, FX_YUAN(500000), at(1));
    entry e = match1(f, "ind", &r, FX_YUAN(500000), at(2));
    ACCEPT(f, &e);
}

static void test_r_match4_one_fen_over_rejected(void **state)
{
    fx *f = *state;
    fx_ref r = contrib(f, FX_INV_A, FX_YUAN(500000), at(1));
    entry e = match1(f, "ind", &r, FX_YUAN(500000) + 1, at(2));
    REJECT(f, &e, "R-MATCH.4",
           "match 500,000.01 exceeds 1:1 × unmatched 500,000.00 of contribution inv-a#0");
}

static void test_r_match4_ratio_remainders(void **state)
{
    fx *f = *state;
    static const struct {
        uint32_t num, den;
        int64_t amount, allowed;
        const char *over, *ratio;
    } cases[] = {
        {1, 3, 10000, 3333, "33.34", "1:3"},   {2, 3, 10000, 6666, "66.67", "2:3"},
        {3, 7, 10000, 4285, "42.86", "3:7"},   {7, 3, 10000, 23333, "233.34", "7:3"},
        {1, 1000, 999, 0, "0.01", "1:1000"},   {1000, 1, AMOUNT_MAX / 1000, AMOUNT_MAX, NULL, "1000:1"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        char id[16];
        snprintf(id, sizeof id, "r%zu", i);
        fx_program_spec p = fx_industrial(id);
        p.num = cases[i].num;
        p.den = cases[i].den;
        fx_add_program(f, &p);
        fx_ref r = fx_contribute(f, FX_INV_A, "p1", "A", id, cases[i].amount, at(1));
        entry e;
        if (cases[i].over) {
            e = match1(f, id, &r, cases[i].allowed + 1, at(2));
            REJECT(f, &e, "R-MATCH.4", cases[i].over, cases[i].ratio);
        }
        if (cases[i].allowed) {
            e = match1(f, id, &r, cases[i].allowed, at(2));
            ACCEPT(f, &e);
        }
    }
}

static void test_r_match4_allocations_until_exhausted(void **state)
{
    fx *f = *state;
    fx_ref r = contrib(f, FX_INV_A, 10000, at(1));
    entry e = match1(f, "ind", &r, 6000, at(2));
    ACCEPT(f, &e);
    e = match1(f, "ind", &r, 4001, at(3));
    REJECT(f, &e, "R-MATCH.4", "match 40.01", "unmatched 40.00", "inv-a#0");
    e = match1(f, "ind", &r, 4000, at(3));
    ACCEPT(f, &e);
    e = match1(f, "ind", &r, 1, at(4));
    REJECT(f, &e, "R-MATCH.4", "match 0.01", "unmatched 0.00", "inv-a#0");
}

static void test_r_match4_per_citation_and_sum(void **state)
{
    fx *f = *state;
    fx_ref a = contrib(f, FX_INV_A, 10000, at(1)), b = contrib(f, FX_INV_B, 5000, at(1));
    entry_cite c[2] = {fx_cite(f, &a, 10000), fx_cite(f, &b, 5001)};
    entry e = fx_match(f, FX_FUND, "ind", "p1", "A", at(2), 2, c);
    REJECT(f, &e, "R-MATCH.4", "allocation 50.01", "unmatched 50.00", "inv-b#0");
    c[1].amount_fen = 5000;
    e = fx_match(f, FX_FUND, "ind", "p1", "A", at(2), 2, c);
    e.body.match.amount_fen = 15001;
    REJECT(f, &e, "R-MATCH.4", "match amount 150.01 is not the sum of its allocations 150.00");
    e.body.match.amount_fen = 14999;
    REJECT(f, &e, "R-MATCH.4", "match amount 149.99 is not the sum of its allocations 150.00");
    e.body.match.amount_fen = 15000;
    ACCEPT(f, &e);
}

/* ---- R-CAP, R-BUDGET ---------------------------------------------------- */

static void test_r_cap_exact_accepted_then_one_fen_over_rejected(void **state)
{
    fx *f = *state;
    fx_ref r = fx_contribute(f, FX_TEAM, "p1", "A", "inc", FX_YUAN(400000), at(1));
    entry e = match1(f, "inc", &r, FX_INC_CAP_FEN + 1, at(2));
    REJECT(f, &e, "R-CAP", "match 300,000.01", "cap of 300,000.00 in project p1",
           "0.00 already matched");
    e = match1(f, "inc", &r, FX_INC_CAP_FEN - 100, at(2));
    ACCEPT(f, &e);
    e = match1(f, "inc", &r, 101, at(3));
    REJECT(f, &e, "R-CAP", "match 1.01", "(299,999.00 already matched)");
    e = match1(f, "inc", &r, 100, at(3));
    ACCEPT(f, &e);
    /* The cap is per project: p2 has its own. */
    r = fx_contribute(f, FX_TEAM, "p2", "A", "inc", FX_YUAN(400000), at(3));
    entry_cite c = fx_cite(f, &r, FX_INC_CAP_FEN);
    e = fx_match(f, FX_FUND, "inc", "p2", "A", at(4), 1, &c);
    ACCEPT(f, &e);
}

/* Fill inc's 2025 budget (+08:00) to `total` over projects q00.., each up
 * to the cap, with team contributions and matches on 2025-12-01. */
static void fill_budget(fx *f, int64_t total)
{
    uint64_t t = fx_utc(2025, 12, 1, 0, 0, 0);
    for (int i = 0; total > 0; i++) {
        char id[16];
        snprintf(id, sizeof id, "q%02d", i);
        fx_add_project(f, id);
        int64_t amount = total < FX_INC_CAP_FEN ? total : FX_INC_CAP_FEN;
        fx_ref r = fx_contribute(f, FX_TEAM, id, "A", "inc", amount, t);
        entry_cite c = fx_cite(f, &r, amount);
        entry e = fx_match(f, FX_FUND, "inc", id, "A", t, 1, &c);
        fx_ok(f, &e);
        total -= amount;
    }
}

static void test_r_budget_exact_accepted_then_one_fen_over_rejected(void **state)
{
    fx *f = *state;
    fill_budget(f, FX_INC_BUDGET_FEN - 1);
    fx_ref r = fx_contribute(f, FX_TEAM, "p1", "A", "inc", 100, fx_utc(2025, 12, 2, 0, 0, 0));
    entry e = match1(f, "inc", &r, 2, fx_utc(2025, 12, 2, 0, 0, 0));
    REJECT(f, &e, "R-BUDGET", "match 0.02", "annual budget of 6,000,000.00 for 2025",
           "5,999,999.99 already matched");
    e = match1(f, "inc", &r, 1, fx_utc(2025, 12, 2, 0, 0, 0));
    ACCEPT(f, &e);
}

static void test_r_budget_year_boundary_in_network_tz(void **state)
{
    fx *f = *state;
    fill_budget(f, FX_INC_BUDGET_FEN);
    fx_ref r = fx_contribute(f, FX_TEAM, "p1", "A", "inc", 100, fx_utc(2025, 12, 2, 0, 0, 0));
    /* 2025-12-31T15:59:59.999Z is still 2025 in +08:00; 16:00Z is 2026. */
    entry e = match1(f, "inc", &r, 1, fx_utc(2025, 12, 31, 16, 0, 0) - 1);
    REJECT(f, &e, "R-BUDGET", "budget of 6,000,000.00 for 2025", "6,000,000.00 already matched");
    e = match1(f, "inc", &r, 100, fx_utc(2025, 12, 31, 16, 0, 0));
    ACCEPT(f, &e);
}

/* ---- R-EXIT ------------------------------------------------------------- */

static void test_r_exit_position_boundaries(void **state)
{
    fx *f = *state;
    fx_ref r = contrib(f, FX_INV_A, 10000, at(1));
    entry e = fx_exit(f, FX_INV_A, "p1", 10001, at(2));
    REJECT(f, &e, "R-EXIT", "exit 100.01 exceeds inv-a's position 100.00 in project p1");
    e = fx_exit(f, FX_INV_A, "p1", 10000, at(2));
    ACCEPT(f, &e);
    e = fx_exit(f, FX_INV_A, "p1", 1, at(3));
    REJECT(f, &e, "R-EXIT", "exit 0.01 exceeds inv-a's position 0.00 in project p1");
    e = fx_exit(f, FX_INV_B, "p2", 1, at(3));
    REJECT(f, &e, "R-EXIT", "inv-b's position 0.00 in project p2");
    /* The fund exits its matched position; the investor's exit does not
     * undo the match. */
    e = match1(f, "ind", &r, 10000, at(3));
    ACCEPT(f, &e);
    e = fx_exit(f, FX_FUND, "p1", 10001, at(4));
    REJECT(f, &e, "R-EXIT", "exit 100.01 exceeds fund's position 100.00");
    e = fx_exit(f, FX_FUND, "p1", 10000, at(4));
    ACCEPT(f, &e);
    assert_int_equal(fx_position(f, "p1", FX_FUND, STATE_TIME_LATEST), 0);
}

/* A match by the fund in ind/p1/A citing r for amount, read point `read`. */
static entry match_read(fx *f, const fx_ref *r, int64_t amount, uint64_t read, uint64_t t)
{
    entry_cite c = fx_cite(f, r, amount);
    c.has_read = true;
    c.read = read;
    return fx_match(f, FX_FUND, "ind", "p1", "A", t, 1, &c);
}

/* R-MATCH.6: inv-a contributes 1,000.00 (#0) and exits 400.00 (#1). As of
 * read point 2 it holds 600.00: 600.00 is matched, exactly the limit; 600.01
 * is refused, and so is any later 0.01 (the earlier match counts). */
static void test_r_match6_holding_exact_then_one_fen_over(void **state)
{
    fx *f = *state;
    fx_ref r = contrib(f, FX_INV_A, FX_YUAN(1000), at(1));
    entry e = fx_exit(f, FX_INV_A, "p1", FX_YUAN(400), at(2));
    ACCEPT(f, &e);
    e = match_read(f, &r, FX_YUAN(600) + 1, 2, at(3));
    REJECT(f, &e, "R-MATCH.6",
           "program ind's matches would stand on 600.01 of inv-a's capital in project p1 "
           "(1:1, allocated 600.01, 0.00 before this match), but inv-a held 600.00 there as of "
           "the match's read point (inv-a#1): the fund never invests alone");
    e = match_read(f, &r, FX_YUAN(600), 2, at(3));
    ACCEPT(f, &e);
    e = match_read(f, &r, 1, 2, at(3));
    REJECT(f, &e, "R-MATCH.6", "would stand on 600.01", "600.00 before this match",
           "held 600.00");
    /* A read point before the exit reads 1,000.00 held: every node accepts
     * it alike (the audit flags it by time: tests/cli/match_after_exit.sh). */
    e = match_read(f, &r, 1, 1, at(3));
    ACCEPT(f, &e);
}

/* At a 1:3 ratio the fund puts in a third: 3 x allocated <= held. */
static void test_r_match6_ratio(void **state)
{
    fx *f = *state;
    fx_program_spec p = {.id = "third", .operator_who = FX_FUND, .roles = ROLE_BIT(ROLE_INVESTOR),
                         .num = 1, .den = 3, .window_days = 90, .start_ms = FX_START};
    fx_add_program(f, &p);
    fx_ref r = fx_contribute(f, FX_INV_A, "p1", "A", "third", FX_YUAN(300), at(1));
    entry e = fx_exit(f, FX_INV_A, "p1", FX_YUAN(200), at(2));
    ACCEPT(f, &e);
    entry_cite c = fx_cite(f, &r, 3334);
    c.has_read = true;
    c.read = 2;
    e = fx_match(f, FX_FUND, "third", "p1", "A", at(3), 1, &c);
    REJECT(f, &e, "R-MATCH.6", "would stand on 100.02 of inv-a's capital", "(1:3,",
           "held 100.00");
    c.amount_fen = 3333;
    e = fx_match(f, FX_FUND, "third", "p1", "A", at(3), 1, &c);
    ACCEPT(f, &e);
}

/* A read point past what is applied here waits; one not past the cited
 * entry is refused. */
static void test_r_match6_read_point_pending_and_invalid(void **state)
{
    fx *f = *state;
    fx_ref r = contrib(f, FX_INV_A, FX_YUAN(100), at(1));
    entry e = match_read(f, &r, FX_YUAN(100), 0, at(2));
    REJECT(f, &e, "R-MATCH.6", "the read point 0 of citation inv-a#0 is not past the cited entry");
    e = match_read(f, &r, FX_YUAN(100), 2, at(2));
    PENDING(f, &e, "waiting for inv-a#1: the match read inv-a's feed up to it");
    e = fx_contribution(f, FX_INV_A, "p2", "A", NULL, FX_YUAN(5), at(2));
    ACCEPT(f, &e);
    e = match_read(f, &r, FX_YUAN(100), 2, at(2));
    ACCEPT(f, &e);
    /* Without a read point a citation reads up to the cited entry: an exit
     * before the contribution counts. */
    e = fx_exit(f, FX_INV_A, "p1", FX_YUAN(100), at(3));
    ACCEPT(f, &e);
    fx_ref r2 = contrib(f, FX_INV_A, FX_YUAN(50), at(4));
    e = match1(f, "ind", &r2, FX_YUAN(50), at(5));
    REJECT(f, &e, "R-MATCH.6", "would stand on 150.00", "held 50.00", "(inv-a#3)");
}

#define T(name) cmocka_unit_test_setup_teardown(name, fx_case_setup, fx_case_teardown)

int main(void)
{
    const struct CMUnitTest tests[] = {
        T(test_r_env_index_must_be_next),
        T(test_r_env_position_and_author_must_match_feed),
        T(test_r_env_wrong_network_rejected),
        T(test_r_env_second_genesis_rejected),
        T(test_r_env_malformed_bytes_rejected),
        T(test_r_env_program_kind_must_be_known),
        T(test_r_env_before_genesis_pending),
        T(test_r_time_equal_accepted_earlier_rejected),
        T(test_r_gov_lower_rejected_equal_accepted),
        T(test_r_gov_beyond_feed_pending_then_accepted),
        T(test_r_role_member_before_added_rejected),
        T(test_r_role_non_member_rejected),
        T(test_r_role_writers),
        T(test_r_role_match_by_other_than_operator_rejected),
        T(test_r_ref_unknown_names_rejected),
        T(test_r_ref_as_of_gov),
        T(test_r_ref_program_operator_must_be_fund),
        T(test_r_ref_program_must_take_contributors_role),
        T(test_r_uniq_registrations),
        T(test_r_match1_citations_required_once_each),
        T(test_r_match2_citation_mismatches_rejected),
        T(test_r_match2_contributor_member_as_of_match_gov),
        T(test_r_match3_window_edges),
        T(test_r_match5_before_program_start_rejected),
        T(test_r_match4_exact_ratio_accepted),
        T(test_r_match4_one_fen_over_rejected),
        T(test_r_match4_ratio_remainders),
        T(test_r_match4_allocations_until_exhausted),
        T(test_r_match4_per_citation_and_sum),
        T(test_r_cap_exact_accepted_then_one_fen_over_rejected),
        T(test_r_budget_exact_accepted_then_one_fen_over_rejected),
        T(test_r_budget_year_boundary_in_network_tz),
        T(test_r_exit_position_boundaries),
        T(test_r_match6_holding_exact_then_one_fen_over),
        T(test_r_match6_ratio),
        T(test_r_match6_read_point_pending_and_invalid),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
