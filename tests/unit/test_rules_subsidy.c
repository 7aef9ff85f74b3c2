/* test_rules_subsidy.c — certification (R-CERT.1-2), awards that require it
 * (R-AWARD.5) and subsidies (R-SUBSIDY.1-8), node/ledger/rules_subsidy.c, on
 * both sides of every rule, over the instruments network of rules_fixture.h
 * (leasing program `lease` by lessor, award program `award` by fund). The
 * tests add the subsidy programs they need, operated by fund.
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
#include "ledger/rules.h"
#include "ledger/state.h"
#include "rules_cases.h"
#include "rules_fixture.h"

#define Y(x) FX_YUAN(x)
#define TXT(s) entry_text_of(s, strlen(s))

/* A certification of kind for project, from `from` (until 0: no end): a
 * demonstration for 2025, a first-set "Welding robot" at 100,000.00. */
static entry certify(fx *f, enum cert_kind kind, const char *project, uint64_t from,
                     uint64_t until)
{
    entry e = fx_entry(f, FX_GOV, ENTRY_CERTIFY, FX_T0);
    body_certify *b = &e.body.certify;
    b->kind = kind;
    b->project = TXT(project);
    b->from = from;
    b->has_until = until != 0;
    b->until = until;
    b->has_year = kind == CERT_DEMONSTRATION;
    b->year = 2025;
    b->has_product = b->has_price = kind == CERT_FIRST_SET;
    b->product = TXT("Welding robot");
    b->price_fen = Y(100000);
    return e;
}

/* Push a certification that must be accepted; its id (governance index). */
static uint64_t cert_ok(fx *f, enum cert_kind kind, const char *project, uint64_t from,
                        uint64_t until)
{
    uint64_t id = fx_gov(f);
    entry e = certify(f, kind, project, from, until);
    fx_ok(f, &e);
    return id;
}

static entry revoke(fx *f, uint64_t id, uint64_t at_ms)
{
    entry e = fx_entry(f, FX_GOV, ENTRY_REVOKE, FX_T0);
    e.body.revoke = (body_revoke){id, at_ms};
    return e;
}

typedef struct {
    const char *id;
    enum cert_kind basis;
    uint32_t num, den;
    int64_t cap_fen, recipient_cap_fen, budget_fen; /* 0: none */
} subsidy_spec;

static entry subsidy_program(fx *f, const subsidy_spec *s)
{
    entry e = fx_entry(f, FX_GOV, ENTRY_PROGRAM, FX_T0);
    body_program *b = &e.body.program;
    b->id = TXT(s->id);
    b->kind = TXT("subsidy");
    memcpy(b->operator_key, f->keys[FX_FUND], 32);
    b->basis = s->basis;
    b->share_num = s->num;
    b->share_den = s->den;
    b->has_cap = s->cap_fen != 0;
    b->cap_fen = s->cap_fen;
    b->has_recipient_cap = s->recipient_cap_fen != 0;
    b->recipient_cap_fen = s->recipient_cap_fen;
    b->has_budget = s->budget_fen != 0;
    b->budget_fen = s->budget_fen;
    return e;
}

static void program_ok(fx *f, const subsidy_spec *s)
{
    entry e = subsidy_program(f, s);
    fx_ok(f, &e);
}

/* A subsidy by fund for sale `sale` (NULL: none) of units at price. */
static entry subsidy(fx *f, const char *program, const char *project, uint64_t cert,
                     const char *sale, uint32_t units, int64_t price, int64_t amount,
                     uint64_t t)
{
    entry e = fx_entry(f, FX_FUND, ENTRY_SUBSIDY, t);
    body_subsidy *b = &e.body.subsidy;
    b->program = TXT(program);
    b->project = TXT(project);
    b->certification = cert;
    b->units = units;
    b->price_fen = price;
    b->amount_fen = amount;
    b->has_sale = sale != NULL;
    if (sale != NULL) b->sale = TXT(sale);
    return e;
}

static entry lease_subsidy(fx *f, const char *program, const char *project, uint64_t cert,
                           const fx_ref *lease, int64_t price, int64_t amount, uint64_t t)
{
    entry e = subsidy(f, program, project, cert, NULL, 1, price, amount, t);
    e.body.subsidy.has_lease = true;
    e.body.subsidy.lease = fx_ref_of(f, lease);
    return e;
}

static const subsidy_spec first_set = {"fs", CERT_FIRST_SET, 3, 10, 0, 0, 0};
static const subsidy_spec local = {"loc", CERT_LOCAL, 1, 10, 0, 0, 0};

/* ---- R-CERT ------------------------------------------------------------------- */

static void test_r_cert1_a_certification_states_what_its_kind_needs(void **state)
{
    fx *f = *state;
    entry e = certify(f, CERT_DEMONSTRATION, "p1", FX_T0, 0);
    e.body.certify.has_year = false;
    REJECT(f, &e, "R-CERT.1", "a demonstration certification must state a year");
    e = certify(f, CERT_DEMONSTRATION, "p1", FX_T0, 0);
    e.body.certify.has_price = true;
    REJECT(f, &e, "R-CERT.1", "a demonstration certification must not state a certified price");
    e = certify(f, CERT_FIRST_SET, "p1", FX_T0, 0);
    e.body.certify.has_price = false;
    REJECT(f, &e, "R-CERT.1", "a first-set certification must state a certified price");
    e = certify(f, CERT_FIRST_SET, "p1", FX_T0, 0);
    e.body.certify.has_batch = true;
    REJECT(f, &e, "R-CERT.1", "a first-set certification must not state a batch");
    e = certify(f, CERT_LOCAL, "p1", FX_T0, 0);
    e.body.certify.has_product = true;
    REJECT(f, &e, "R-CERT.1", "a local certification must not state a product");
    e = certify(f, CERT_LOCAL, "p1", at(10), at(10));
    REJECT(f, &e, "R-CERT.1", "ends", "before it starts");
    e = certify(f, CERT_LOCAL, "p9", FX_T0, 0);
    REJECT(f, &e, "R-REF", "project p9 is not registered");
    e = certify(f, CERT_LOCAL, "p1", at(10), at(10) + 1);
    ACCEPT(f, &e);
    e = certify(f, CERT_DEMONSTRATION, "p1", FX_T0, 0);
    e.body.certify.has_batch = true;
    e.body.certify.batch = 2;
    ACCEPT(f, &e);
    e = certify(f, CERT_FIRST_SET, "p2", FX_T0, 0);
    ACCEPT(f, &e);
    e = fx_entry(f, FX_FUND, ENTRY_CERTIFY, at(1));
    e.body.certify = certify(f, CERT_LOCAL, "p1", FX_T0, 0).body.certify;
    REJECT(f, &e, "R-ROLE", "may not write certify entries");
}

static void test_r_cert2_revoke_a_certification_once(void **state)
{
    fx *f = *state;
    entry e = revoke(f, 3, at(5)); /* a member entry, not a certification */
    REJECT(f, &e, "R-CERT.2", "governance entry 3 is not a certification");
    uint64_t id = fx_gov(f);
    e = revoke(f, id, at(5)); /* its own index: nothing there yet */
    REJECT(f, &e, "R-CERT.2", "is not a certification");
    id = cert_ok(f, CERT_LOCAL, "p1", FX_T0, 0);
    e = revoke(f, id, at(5));
    ACCEPT(f, &e);
    e = revoke(f, id, at(6));
    REJECT(f, &e, "R-CERT.2", "is already revoked");
    state_cert x;
    assert_int_equal(state_cert_get(&f->kv, id, &x), CF_OK);
    assert_true(x.revoked);
    assert_int_equal(x.revoke_at, at(5));
    assert_false(state_cert_in_force(&x, at(5), fx_gov(f)));
    assert_true(state_cert_in_force(&x, at(5) - 1, fx_gov(f)));
    /* As of a governance size before the revocation, it is in force. */
    assert_true(state_cert_in_force(&x, at(5), x.revoke_gov));
    assert_false(state_cert_in_force(&x, at(5), x.gov_index));
}

/* ---- R-AWARD.5 ----------------------------------------------------------------- */

static void test_r_award5_requires_a_demonstration_certification(void **state)
{
    fx *f = *state;
    const int64_t levels[1] = {Y(100000)};
    entry e = fx_award_program(f, "demo", FX_FUND, 1, levels, 0, FX_T0);
    e.body.program.has_requires = true;
    e.body.program.requires = CERT_LOCAL;
    REJECT(f, &e, "R-AWARD.5", "requires a demonstration certification, not local");
    e.body.program.requires = CERT_DEMONSTRATION;
    ACCEPT(f, &e);
    e = fx_award(f, FX_FUND, "demo", "p1", Y(100000), 2025, at(1));
    REJECT(f, &e, "R-AWARD.5", "project p1 is not certified as a demonstration project for 2025");
    /* Another kind, another project, another year: none counts. */
    cert_ok(f, CERT_LOCAL, "p1", FX_T0, 0);
    cert_ok(f, CERT_DEMONSTRATION, "p2", FX_T0, 0);
    entry c = certify(f, CERT_DEMONSTRATION, "p1", FX_T0, 0);
    c.body.certify.year = 2024;
    fx_ok(f, &c);
    e = fx_award(f, FX_FUND, "demo", "p1", Y(100000), 2025, at(1));
    REJECT(f, &e, "R-AWARD.5", "p1 is not certified");
    /* Certified from at(2): one millisecond early is refused, at it accepted. */
    cert_ok(f, CERT_DEMONSTRATION, "p1", at(2), 0);
    e = fx_award(f, FX_FUND, "demo", "p1", Y(100000), 2025, at(2) - 1);
    REJECT(f, &e, "R-AWARD.5", "p1 is not certified");
    e = fx_award(f, FX_FUND, "demo", "p1", Y(100000), 2025, at(2));
    ACCEPT(f, &e);
    /* The program without the requirement awards anyone. */
    e = fx_award(f, FX_FUND, "award", "p3", Y(100000), 2025, at(2));
    ACCEPT(f, &e);
}

static void test_r_award5_reads_certifications_as_of_gov(void **state)
{
    fx *f = *state;
    const int64_t levels[1] = {Y(100000)};
    entry e = fx_award_program(f, "demo", FX_FUND, 1, levels, 0, FX_T0);
    e.body.program.has_requires = true;
    e.body.program.requires = CERT_DEMONSTRATION;
    fx_ok(f, &e);
    uint64_t id = cert_ok(f, CERT_DEMONSTRATION, "p1", FX_T0, 0);
    entry before = fx_award(f, FX_FUND, "demo", "p1", Y(100000), 2025, at(1));
    before.gov = id; /* read governance before the certification */
    REJECT(f, &before, "R-AWARD.5", "p1 is not certified");
    /* A revocation from at(3): an award dated before it stands; one at it
     * does not — once the award reads the revocation. */
    e = revoke(f, id, at(3));
    uint64_t rev = fx_gov(f);
    fx_ok(f, &e);
    e = fx_award(f, FX_FUND, "demo", "p1", Y(100000), 2025, at(3));
    REJECT(f, &e, "R-AWARD.5", "p1 is not certified");
    e.gov = rev; /* as of a governance size without the revocation */
    ACCEPT(f, &e);
}

/* ---- R-SUBSIDY ----------------------------------------------------------------- */

static void test_r_subsidy2_program_basis_and_operator(void **state)
{
    fx *f = *state;
    subsidy_spec s = first_set;
    s.basis = CERT_DEMONSTRATION;
    entry e = subsidy_program(f, &s);
    REJECT(f, &e, "R-SUBSIDY.2", "basis is first-set or local, not demonstration");
    s.basis = CERT_FIRST_SET;
    e = subsidy_program(f, &s);
    memcpy(e.body.program.operator_key, f->keys[FX_LESSOR], 32);
    REJECT(f, &e, "R-REF", "operator lessor is a lessor, not a fund");
    program_ok(f, &first_set);
    uint64_t id = cert_ok(f, CERT_FIRST_SET, "p2", FX_T0, 0);
    fx_add_member(f, FX_FUND2, ROLE_FUND);
    e = subsidy(f, "fs", "p1", id, "S-1", 1, Y(1000), Y(300), at(1));
    memcpy(e.author, f->keys[FX_FUND2], 32);
    e.index = fx_next_index(f, FX_FUND2);
    REJECT(f, &e, "R-ROLE", "only program fs's operator fund may write its subsidy entries");
    e = subsidy(f, "lease", "p1", id, "S-1", 1, Y(1000), Y(300), at(1));
    REJECT(f, &e, "R-REF", "program lease is a leasing program; a subsidy names a subsidy program");
    e = subsidy(f, "fs", "p9", id, "S-1", 1, Y(1000), Y(300), at(1));
    REJECT(f, &e, "R-REF", "project p9 is not registered");
    e = subsidy(f, "fs", "p1", id, "S-1", 1, Y(1000), Y(300), at(1));
    ACCEPT(f, &e);
}

static void test_r_subsidy2_certification_in_force_to_the_millisecond(void **state)
{
    fx *f = *state;
    program_ok(f, &first_set);
    program_ok(f, &local);
    uint64_t fs = cert_ok(f, CERT_FIRST_SET, "p2", at(1), at(10));
    uint64_t loc = cert_ok(f, CERT_LOCAL, "p2", FX_T0, 0);
    entry e = subsidy(f, "fs", "p1", 2, "S-1", 1, Y(1000), Y(300), at(1));
    REJECT(f, &e, "R-SUBSIDY.2", "governance entry 2 is not a certification");
    e = subsidy(f, "fs", "p1", loc, "S-1", 1, Y(1000), Y(300), at(1));
    REJECT(f, &e, "R-SUBSIDY.2", "is a local certification; program fs subsidises on a first-set");
    e = subsidy(f, "fs", "p1", fs, "S-1", 1, Y(1000), Y(300), at(1) - 1);
    REJECT(f, &e, "R-SUBSIDY.2", "is not in force: it is in force from");
    e = subsidy(f, "fs", "p1", fs, "S-1", 1, Y(1000), Y(300), at(1));
    ACCEPT(f, &e);
    e = subsidy(f, "fs", "p1", fs, "S-2", 1, Y(1000), Y(300), at(10) - 1);
    ACCEPT(f, &e);
    e = subsidy(f, "fs", "p1", fs, "S-3", 1, Y(1000), Y(300), at(10)); /* one ms late */
    REJECT(f, &e, "R-SUBSIDY.2", "is not in force: it ended at");
    /* Revoked from at(20): in force before it, not from it. (As of a
     * governance size before the revocation it is in force: see R-CERT.2's
     * test and R-AWARD.5's.) */
    e = revoke(f, loc, at(20));
    fx_ok(f, &e);
    e = subsidy(f, "loc", "p1", loc, "L-1", 1, Y(1000), Y(100), at(20) - 1);
    ACCEPT(f, &e);
    e = subsidy(f, "loc", "p1", loc, "L-2", 1, Y(1000), Y(100), at(20));
    REJECT(f, &e, "R-SUBSIDY.2", "it was revoked from");
    /* A certification the subsidy's gov does not reach. */
    uint64_t later = fx_gov(f);
    cert_ok(f, CERT_LOCAL, "p2", FX_T0, 0);
    e = subsidy(f, "loc", "p1", later, "L-3", 1, Y(1000), Y(100), at(21));
    e.gov = later;
    REJECT(f, &e, "R-SUBSIDY.2", "is not a certification (as of governance size");
}

static void test_r_subsidy3_share_exact_to_the_fen(void **state)
{
    fx *f = *state;
    program_ok(f, &first_set); /* 3:10 */
    uint64_t id = cert_ok(f, CERT_FIRST_SET, "p2", FX_T0, 0);
    /* 3/10 of 333.33 is 99.999: at most 99.99. */
    entry e = subsidy(f, "fs", "p1", id, "S-1", 1, 33333, 10000, at(1));
    REJECT(f, &e, "R-SUBSIDY.3", "subsidy 100.00 is over program fs's share 3/10 of the price 333.33",
           "at most 99.99");
    e = subsidy(f, "fs", "p1", id, "S-1", 1, 33333, 9999, at(1));
    ACCEPT(f, &e);
}

static void test_r_subsidy4_first_set_price_within_the_certified(void **state)
{
    fx *f = *state;
    program_ok(f, &first_set);
    uint64_t id = cert_ok(f, CERT_FIRST_SET, "p2", FX_T0, 0); /* 100,000.00 a unit */
    entry e = subsidy(f, "fs", "p1", id, "S-1", 2, Y(200000) + 1, Y(1000), at(1));
    REJECT(f, &e, "R-SUBSIDY.4", "price paid 200,000.01 is over the certified price 100,000.00 × 2 units of Welding robot");
    e = subsidy(f, "fs", "p1", id, "S-1", 2, Y(200000), Y(60000), at(1));
    ACCEPT(f, &e);
    /* Local certifications state no price: any price. */
    program_ok(f, &local);
    uint64_t loc = cert_ok(f, CERT_LOCAL, "p2", FX_T0, 0);
    e = subsidy(f, "loc", "p1", loc, "L-1", 1, Y(10000000), Y(1000000), at(2));
    ACCEPT(f, &e);
}

static void test_r_subsidy5_cap_per_unit(void **state)
{
    fx *f = *state;
    subsidy_spec s = first_set;
    s.cap_fen = Y(20000);
    program_ok(f, &s);
    uint64_t id = cert_ok(f, CERT_FIRST_SET, "p2", FX_T0, 0);
    entry e = subsidy(f, "fs", "p1", id, "S-1", 2, Y(200000), Y(40000) + 1, at(1));
    REJECT(f, &e, "R-SUBSIDY.5", "subsidy 40,000.01 is over program fs's cap of 20,000.00 per unit × 2 units");
    e = subsidy(f, "fs", "p1", id, "S-1", 2, Y(200000), Y(40000), at(1));
    ACCEPT(f, &e);
}

static void test_r_subsidy6_cap_per_recipient_per_year(void **state)
{
    fx *f = *state;
    subsidy_spec s = local;
    s.recipient_cap_fen = Y(500);
    program_ok(f, &s);
    uint64_t id = cert_ok(f, CERT_LOCAL, "p2", FX_T0, 0);
    entry e = subsidy(f, "loc", "p1", id, "L-1", 1, Y(4000), Y(400), at(1));
    ACCEPT(f, &e);
    e = subsidy(f, "loc", "p1", id, "L-2", 1, Y(4000), Y(100) + 1, at(2));
    REJECT(f, &e, "R-SUBSIDY.6", "subsidy 100.01 would take project p1's subsidies from program loc over 500.00 for 2025 (400.00 already)");
    e = subsidy(f, "loc", "p1", id, "L-2", 1, Y(4000), Y(100), at(2));
    ACCEPT(f, &e);
    e = subsidy(f, "loc", "p3", id, "L-3", 1, Y(4000), Y(400), at(3)); /* another buyer */
    ACCEPT(f, &e);
    /* 2026-01-01T00:00+08:00: a new calendar year in the network's zone. */
    uint64_t y2026 = fx_utc(2025, 12, 31, 16, 0, 0);
    e = subsidy(f, "loc", "p1", id, "L-4", 1, Y(5000), Y(500), y2026 - 1);
    REJECT(f, &e, "R-SUBSIDY.6", "for 2025");
    e = subsidy(f, "loc", "p1", id, "L-4", 1, Y(5000), Y(500), y2026);
    ACCEPT(f, &e);
}

static void test_r_subsidy7_annual_budget(void **state)
{
    fx *f = *state;
    subsidy_spec s = local;
    s.budget_fen = Y(1000);
    program_ok(f, &s);
    uint64_t id = cert_ok(f, CERT_LOCAL, "p2", FX_T0, 0);
    entry e = subsidy(f, "loc", "p1", id, "L-1", 1, Y(6000), Y(600), at(1));
    ACCEPT(f, &e);
    e = subsidy(f, "loc", "p3", id, "L-2", 1, Y(6000), Y(400) + 1, at(2));
    REJECT(f, &e, "R-SUBSIDY.7", "would take program loc's subsidies (its annual budget) over 1,000.00 for 2025 (600.00 already)");
    e = subsidy(f, "loc", "p3", id, "L-2", 1, Y(6000), Y(400), at(2));
    ACCEPT(f, &e);
    e = subsidy(f, "loc", "p3", id, "L-3", 1, Y(6000), 1, at(3));
    REJECT(f, &e, "R-SUBSIDY.7", "over 1,000.00");
}

static void test_r_subsidy8_one_subsidy_per_sale(void **state)
{
    fx *f = *state;
    program_ok(f, &local);
    subsidy_spec other = local;
    other.id = "loc2";
    program_ok(f, &other);
    uint64_t id = cert_ok(f, CERT_LOCAL, "p2", FX_T0, 0);
    entry e = subsidy(f, "loc", "p1", id, "INV-7", 1, Y(1000), Y(100), at(1));
    fx_ok(f, &e);
    uint64_t first = e.index;
    e = subsidy(f, "loc", "p3", id, "INV-7", 1, Y(1000), Y(100), at(2));
    char prior[32];
    snprintf(prior, sizeof prior, "fund#%llu", (unsigned long long)first);
    REJECT(f, &e, "R-SUBSIDY.8", "sale INV-7 is already subsidised by program loc", prior);
    e = subsidy(f, "loc2", "p1", id, "INV-7", 1, Y(1000), Y(100), at(2)); /* another program */
    ACCEPT(f, &e);
}

static void test_r_subsidy1_a_sale_or_a_lease_once(void **state)
{
    fx *f = *state;
    program_ok(f, &local);
    uint64_t id = cert_ok(f, CERT_LOCAL, "p2", FX_T0, 0);
    entry e = subsidy(f, "loc", "p1", id, NULL, 1, Y(100), Y(10), at(1));
    REJECT(f, &e, "R-SUBSIDY.1", "a subsidy pays for a sale or a lease: it states neither");
    entry l = fx_lease(f, FX_LESSOR, "lease", "p1", Y(100), Y(20), Y(60), Y(20), at(2));
    fx_ref lease = fx_accept(f, &l);
    e = lease_subsidy(f, "loc", "p1", id, &lease, Y(100), Y(10), at(2));
    e.body.subsidy.has_sale = true;
    e.body.subsidy.sale = TXT("S-1");
    REJECT(f, &e, "R-SUBSIDY.1", "it states both");
    e = lease_subsidy(f, "loc", "p3", id, &lease, Y(100), Y(10), at(2));
    REJECT(f, &e, "R-SUBSIDY.1", "lessor#0 is not a lease of project p3");
    e = lease_subsidy(f, "loc", "p1", id, &lease, Y(100) + 1, Y(10), at(2));
    REJECT(f, &e, "R-SUBSIDY.1", "price paid 100.01 is not lessor#0's price 100.00");
    e = lease_subsidy(f, "loc", "p1", id, &lease, Y(100), Y(10), at(2) - 1);
    REJECT(f, &e, "R-SUBSIDY.1", "is before lessor#0");
    fx_ref stale = lease;
    stale.leaf[0] ^= 1;
    e = lease_subsidy(f, "loc", "p1", id, &stale, Y(100), Y(10), at(2));
    REJECT(f, &e, "R-SUBSIDY.1", "leaf hash cited for lessor#0 does not match");
    fx_ref ahead = {FX_LESSOR, 5, {0}};
    e = lease_subsidy(f, "loc", "p1", id, &ahead, Y(100), Y(10), at(2));
    PENDING(f, &e, "waiting for lease lessor#5");
    e = lease_subsidy(f, "loc", "p1", id, &lease, Y(100), Y(10), at(2));
    ACCEPT(f, &e);
    e = lease_subsidy(f, "loc", "p1", id, &lease, Y(100), Y(10), at(3));
    REJECT(f, &e, "R-SUBSIDY.8", "lease lessor#0 is already subsidised by program loc");
}

static void test_subsidy_program_terms_amended(void **state)
{
    fx *f = *state;
    program_ok(f, &local); /* 1:10 */
    uint64_t id = cert_ok(f, CERT_LOCAL, "p2", FX_T0, 0);
    entry a = fx_entry(f, FX_GOV, ENTRY_AMEND, FX_T0);
    a.body.amend.terms.id = TXT("loc");
    a.body.amend.terms.start_ms = at(5);
    a.body.amend.has_share = true;
    a.body.amend.terms.share_num = 2;
    a.body.amend.terms.share_den = 10;
    fx_ok(f, &a);
    entry e = subsidy(f, "loc", "p1", id, "L-1", 1, Y(1000), Y(200), at(5) - 1);
    REJECT(f, &e, "R-SUBSIDY.3", "share 1/10");
    e = subsidy(f, "loc", "p1", id, "L-1", 1, Y(1000), Y(200), at(5));
    ACCEPT(f, &e);
    a = fx_entry(f, FX_GOV, ENTRY_AMEND, FX_T0);
    a.body.amend.terms.id = TXT("loc");
    a.body.amend.has_levels = true;
    a.body.amend.terms.nlevels = 1;
    a.body.amend.terms.levels_fen[0] = 1;
    REJECT(f, &a, "R-AMEND.1", "program loc is a subsidy program: it has no term levels");
}

#define T(name) cmocka_unit_test_setup_teardown(name, fx_case_setup_instruments, fx_case_teardown)

int main(void)
{
    const struct CMUnitTest tests[] = {
        T(test_r_cert1_a_certification_states_what_its_kind_needs),
        T(test_r_cert2_revoke_a_certification_once),
        T(test_r_award5_requires_a_demonstration_certification),
        T(test_r_award5_reads_certifications_as_of_gov),
        T(test_r_subsidy2_program_basis_and_operator),
        T(test_r_subsidy2_certification_in_force_to_the_millisecond),
        T(test_r_subsidy3_share_exact_to_the_fen),
        T(test_r_subsidy4_first_set_price_within_the_certified),
        T(test_r_subsidy5_cap_per_unit),
        T(test_r_subsidy6_cap_per_recipient_per_year),
        T(test_r_subsidy7_annual_budget),
        T(test_r_subsidy8_one_subsidy_per_sale),
        T(test_r_subsidy1_a_sale_or_a_lease_once),
        T(test_subsidy_program_terms_amended),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
