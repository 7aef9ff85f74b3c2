/* rules_subsidy.c — certification by governance and the subsidies resting
 * on it (docs/rules.md "Certification and subsidies": R-CERT, R-SUBSIDY,
 * R-AWARD.5).
 *
 *   R-CERT.1    a certification states what its kind needs and nothing of
 *               another kind (demonstration: a year, optionally a batch;
 *               first-set: a product and its certified price; local:
 *               neither), and ends (until) after it starts (from)
 *   R-CERT.2    a revocation withdraws a certification the governance wrote
 *               before it, once
 *   R-AWARD.5   a program that requires certification awards only a project
 *               certified as a demonstration project for the award's year,
 *               in force at the award's time
 *   R-SUBSIDY.1 a subsidy pays for a sale (a reference) or a lease (a cited
 *               lease entry of the buyer, applied here, that leaf hash, not
 *               later than the subsidy, at the price paid) — exactly one
 *   R-SUBSIDY.2 it cites a certification of the program's basis in force at
 *               its time; at registration, the basis is first-set or local
 *   R-SUBSIDY.3 amount <= floor(share_num × price / share_den)
 *   R-SUBSIDY.4 first-set: price <= certified price × units
 *   R-SUBSIDY.5 amount <= cap × units (the program's cap per unit)
 *   R-SUBSIDY.6 the buyer's subsidies in the calendar year <= recipient cap
 *   R-SUBSIDY.7 the program's subsidies in the calendar year <= budget
 *   R-SUBSIDY.8 one subsidy per sale reference, one per lease, per program
 *
 * Determinism: a certification is the governance feed's record, read as of
 * the reading entry's gov (state_cert_in_force); everything else a subsidy
 * reads is its operator's own feed and the one lease it cites.
 */
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "amount.h"
#include "caltime.h"
#include "crypto/cf_error.h"
#include "rules_internal.h"

/* ---- certifications ----------------------------------------------------- */

int rules__check_certify(rule_ctx *c, const entry *e, diag *d)
{
    const body_certify *b = &e->body.certify;
    state_project pj;
    const char *kind = cert_kind_name(b->kind);
    bool demo = b->kind == CERT_DEMONSTRATION, first = b->kind == CERT_FIRST_SET;
    const struct {
        bool has, needed;
        const char *what;
    } fields[] = {
        {b->has_year, demo, N_("a year")},
        {b->has_batch, demo && b->has_batch, N_("a batch")},
        {b->has_product, first, N_("a product")},
        {b->has_price, first, N_("a certified price")},
    };
    for (size_t i = 0; i < sizeof fields / sizeof fields[0]; i++) {
        if (fields[i].has == fields[i].needed) continue;
        return diag_set(d, CF_EREJECTED, "R-CERT.1", "a %s certification %s %s", kind,
                        fields[i].needed ? _("must state") : _("must not state"),
                        _(fields[i].what));
    }
    if (b->has_until && b->until <= b->from) {
        char t1[CALTIME_TEXT_BYTES], t0[CALTIME_TEXT_BYTES];
        caltime_format(b->until, c->net.tz_min, t1);
        caltime_format(b->from, c->net.tz_min, t0);
        return diag_set(d, CF_EREJECTED, "R-CERT.1",
                        "the certification ends (%s) before it starts (%s)", t1, t0);
    }
    return rules__project_as_of(c, b->project, e->gov, "R-REF", &pj, d);
}

int rules__apply_certify(rule_ctx *c, const entry *e, diag *d)
{
    const body_certify *b = &e->body.certify;
    state_cert x = {.gov_index = c->gov_index, .kind = b->kind, .from_ms = b->from,
                    .has_until = b->has_until, .until_ms = b->has_until ? b->until : 0,
                    .year = b->has_year ? (int32_t)b->year : 0,
                    .batch = b->has_batch ? b->batch : 0,
                    .price_fen = b->has_price ? b->price_fen : 0};
    rules__cstr(b->project, x.project);
    if (b->has_product) { /* a name: 1..128 bytes (entry.h), STATE_NAME_CAP holds it */
        memcpy(x.product, b->product.s, b->product.n);
        x.product[b->product.n] = '\0';
    }
    int err = state_cert_put(c->kv, &x);
    return err ? rules__state_error(d, err, N_("certifications")) : CF_OK;
}

/* The certification `id` as of gov, or a rejection by `rule`. */
static int cert_as_of(rule_ctx *c, uint64_t id, uint64_t gov, const char *rule, state_cert *x,
                      diag *d)
{
    int err = state_cert_get(c->kv, id, x);
    if (err == CF_ENOTFOUND || (err == CF_OK && x->gov_index >= gov))
        return diag_set(d, CF_EREJECTED, rule,
                        "governance entry %" PRIu64 " is not a certification (as of "
                        "governance size %" PRIu64 ")",
                        id, gov);
    return err ? rules__state_error(d, err, N_("certifications")) : CF_OK;
}

int rules__check_revoke(rule_ctx *c, const entry *e, diag *d)
{
    state_cert x;
    int err = cert_as_of(c, e->body.revoke.certification, c->gov_index, "R-CERT.2", &x, d);
    if (err) return err;
    if (x.revoked)
        return diag_set(d, CF_EREJECTED, "R-CERT.2",
                        "certification %" PRIu64 " is already revoked (by governance entry "
                        "%" PRIu64 ")",
                        x.gov_index, x.revoke_gov);
    return CF_OK;
}

int rules__apply_revoke(rule_ctx *c, const entry *e, diag *d)
{
    state_cert x;
    int err = state_cert_get(c->kv, e->body.revoke.certification, &x);
    if (err == CF_OK) {
        x.revoked = true;
        x.revoke_gov = c->gov_index;
        x.revoke_at = e->body.revoke.at;
        err = state_cert_put(c->kv, &x);
    }
    return err ? rules__state_error(d, err, N_("certifications")) : CF_OK;
}

/* Why x is not in force at time_ms as of gov (it exists as of gov). */
static void not_in_force(rule_ctx *c, const state_cert *x, uint64_t time_ms, uint64_t gov,
                         char *out, size_t cap)
{
    char t[CALTIME_TEXT_BYTES], when[CALTIME_TEXT_BYTES];
    caltime_format(time_ms, c->net.tz_min, t);
    if (time_ms < x->from_ms) {
        caltime_format(x->from_ms, c->net.tz_min, when);
        snprintf(out, cap, _("it is in force from %s, after %s"), when, t);
    } else if (x->revoked && x->revoke_gov < gov && x->revoke_at <= time_ms) {
        caltime_format(x->revoke_at, c->net.tz_min, when);
        snprintf(out, cap, _("it was revoked from %s, at or before %s"), when, t);
    } else {
        caltime_format(x->until_ms, c->net.tz_min, when);
        snprintf(out, cap, _("it ended at %s, at or before %s"), when, t);
    }
}

/* ---- awards that require certification (R-AWARD.5) ---------------------- */

int rules__check_award_program(rule_ctx *c, const entry *e, diag *d)
{
    const body_program *b = &e->body.program;
    (void)c;
    if (b->has_requires && b->requires != CERT_DEMONSTRATION)
        return diag_set(d, CF_EREJECTED, "R-AWARD.5",
                        "an award program requires a demonstration certification, not %s",
                        cert_kind_name(b->requires));
    return CF_OK;
}

struct demo_find {
    int year;
    uint64_t time_ms, gov;
    bool found;
};

static int demo_visit(void *arg, const state_cert *x)
{
    struct demo_find *f = arg;
    if (x->kind == CERT_DEMONSTRATION && x->year == f->year &&
        state_cert_in_force(x, f->time_ms, f->gov))
        f->found = true;
    return CF_OK;
}

int rules__check_award_certified(rule_ctx *c, const entry *e, diag *d)
{
    const body_award *b = &e->body.award;
    char project[STATE_ID_CAP], t[CALTIME_TEXT_BYTES];
    if (!c->program.has_requires) return CF_OK;
    struct demo_find f = {(int)b->year, e->time_ms, e->gov, false};
    rules__cstr(b->project, project);
    int err = state_certs_each(c->kv, project, demo_visit, &f);
    if (err) return rules__state_error(d, err, N_("certifications"));
    if (f.found) return CF_OK;
    caltime_format(e->time_ms, c->net.tz_min, t);
    return diag_set(d, CF_EREJECTED, "R-AWARD.5",
                    "program %s requires certification: project %s is not certified as a "
                    "demonstration project for %u in force at %s",
                    c->program.id, project, b->year, t);
}

/* ---- subsidy programs and subsidies -------------------------------------- */

int rules__check_subsidy_program(rule_ctx *c, const entry *e, diag *d)
{
    const body_program *b = &e->body.program;
    (void)c;
    if (b->basis != CERT_FIRST_SET && b->basis != CERT_LOCAL)
        return diag_set(d, CF_EREJECTED, "R-SUBSIDY.2",
                        "a subsidy program's basis is first-set or local, not %s",
                        cert_kind_name(b->basis));
    return CF_OK;
}

/* R-SUBSIDY.1 for a cited lease. */
static int cited_lease(rule_ctx *c, const entry *e, diag *d)
{
    const body_subsidy *b = &e->body.subsidy;
    const entry_ref *r = &b->lease;
    state_lease l;
    char label[STATE_ID_CAP], project[STATE_ID_CAP], a1[AMOUNT_TEXT_BYTES],
        a2[AMOUNT_TEXT_BYTES];
    unsigned long long idx = (unsigned long long)r->index;
    int err = rules__cited_applied(c, r, N_("lease"), d);
    if (err) return err;
    rules__cstr(b->project, project);
    ledger_member_label(c->kv, r->author, label, sizeof label);
    err = state_lease_get(c->kv, project, r->author, r->index, &l);
    if (err == CF_ENOTFOUND)
        return diag_set(d, CF_EREJECTED, "R-SUBSIDY.1", "%s#%llu is not a lease of project %s",
                        label, idx, project);
    if (err) return rules__state_error(d, err, N_("leases"));
    if (memcmp(l.leaf, r->leaf, 32) != 0)
        return diag_set(d, CF_EREJECTED, "R-SUBSIDY.1",
                        "leaf hash cited for %s#%llu does not match the entry (stale or forged)",
                        label, idx);
    if (l.time_ms > e->time_ms) {
        char t1[CALTIME_TEXT_BYTES], t0[CALTIME_TEXT_BYTES];
        caltime_format(e->time_ms, c->net.tz_min, t1);
        caltime_format(l.time_ms, c->net.tz_min, t0);
        return diag_set(d, CF_EREJECTED, "R-SUBSIDY.1", "subsidy time %s is before %s#%llu (%s)",
                        t1, label, idx, t0);
    }
    if (l.price_fen != b->price_fen) {
        amount_format(b->price_fen, a1);
        amount_format(l.price_fen, a2);
        return diag_set(d, CF_EREJECTED, "R-SUBSIDY.1",
                        "price paid %s is not %s#%llu's price %s", a1, label, idx, a2);
    }
    return CF_OK;
}

/* R-SUBSIDY.8: the sale or lease is not subsidised yet by this program. */
static int once(rule_ctx *c, const body_subsidy *b, diag *d)
{
    char sale[STATE_ID_CAP], label[STATE_ID_CAP];
    uint64_t prior;
    rules__cstr(b->sale, sale);
    int err = state_subsidized_get(c->kv, c->program.id, b->has_sale ? sale : NULL,
                                   b->lease.author, b->lease.index, &prior);
    if (err == CF_ENOTFOUND) return CF_OK;
    if (err) return rules__state_error(d, err, N_("subsidies"));
    if (b->has_sale)
        return diag_set(d, CF_EREJECTED, "R-SUBSIDY.8",
                        "sale %s is already subsidised by program %s (%s#%llu)", sale,
                        c->program.id, c->author.name, (unsigned long long)prior);
    ledger_member_label(c->kv, b->lease.author, label, sizeof label);
    return diag_set(d, CF_EREJECTED, "R-SUBSIDY.8",
                    "lease %s#%llu is already subsidised by program %s (%s#%llu)", label,
                    (unsigned long long)b->lease.index, c->program.id, c->author.name,
                    (unsigned long long)prior);
}

/* The certification a subsidy cites: R-SUBSIDY.2, then .4 (first-set). */
static int certified(rule_ctx *c, const entry *e, diag *d)
{
    const body_subsidy *b = &e->body.subsidy;
    const state_program *pg = &c->program;
    state_cert x;
    char why[160], a1[AMOUNT_TEXT_BYTES], a2[AMOUNT_TEXT_BYTES];
    int err = cert_as_of(c, b->certification, e->gov, "R-SUBSIDY.2", &x, d);
    if (err) return err;
    if (x.kind != pg->basis)
        return diag_set(d, CF_EREJECTED, "R-SUBSIDY.2",
                        "certification %" PRIu64 " is a %s certification; program %s "
                        "subsidises on a %s certification",
                        x.gov_index, cert_kind_name(x.kind), pg->id, cert_kind_name(pg->basis));
    if (!state_cert_in_force(&x, e->time_ms, e->gov)) {
        not_in_force(c, &x, e->time_ms, e->gov, why, sizeof why);
        return diag_set(d, CF_EREJECTED, "R-SUBSIDY.2",
                        "certification %" PRIu64 " (%s) is not in force: %s", x.gov_index,
                        x.project, why);
    }
    /* units <= 1000 and price <= 10^15: the product fits (entry.h). */
    if (x.kind == CERT_FIRST_SET && b->price_fen > x.price_fen * (int64_t)b->units) {
        amount_format(b->price_fen, a1);
        amount_format(x.price_fen, a2);
        return diag_set(d, CF_EREJECTED, "R-SUBSIDY.4",
                        "price paid %s is over the certified price %s × %u units of %s",
                        a1, a2, b->units, x.product);
    }
    return CF_OK;
}

/* R-SUBSIDY.6 and .7: the series s can take the amount within limit_fen. */
static int within(rule_ctx *c, const state_series *s, bool has_limit, int64_t limit_fen,
                  const char *rule, const char *what, int year, int64_t amount_fen, diag *d)
{
    int64_t current;
    char a[AMOUNT_TEXT_BYTES], x[AMOUNT_TEXT_BYTES], y[AMOUNT_TEXT_BYTES];
    int64_t next;
    int err = rules__head_value(c, s, &current);
    if (err) return rules__state_error(d, err, N_("subsidies"));
    if (!amount_add(current, amount_fen, &next))
        return diag_set(d, CF_EREJECTED, "R-SUM", "%s for %d would overflow", what, year);
    if (!has_limit || next <= limit_fen) return CF_OK;
    amount_format(amount_fen, a);
    amount_format(current, x);
    amount_format(limit_fen, y);
    return diag_set(d, CF_EREJECTED, rule, "subsidy %s would take %s over %s for %d (%s already)",
                    a, what, y, year, x);
}

int rules__check_subsidy(rule_ctx *c, const entry *e, diag *d)
{
    const body_subsidy *b = &e->body.subsidy;
    const state_program *pg = &c->program;
    state_project pj;
    state_series s;
    char a[AMOUNT_TEXT_BYTES], m[AMOUNT_TEXT_BYTES], p[AMOUNT_TEXT_BYTES], what[256],
        project[STATE_ID_CAP];
    int err = rules__project_as_of(c, b->project, e->gov, "R-REF", &pj, d);
    if (err) return err;
    if (b->has_sale == b->has_lease)
        return diag_set(d, CF_EREJECTED, "R-SUBSIDY.1",
                        "a subsidy pays for a sale or a lease: it states %s",
                        b->has_sale ? _("both") : _("neither"));
    if (b->has_lease && (err = cited_lease(c, e, d)) != 0) return err;
    if ((err = once(c, b, d)) != 0) return err;
    if ((err = certified(c, e, d)) != 0) return err;
    amount_format(b->amount_fen, a);
    amount_format(b->price_fen, p);
    /* share_num <= 1000 and price <= 10^15: the product fits (entry.h). */
    int64_t most = (int64_t)pg->share_num * b->price_fen / (int64_t)pg->share_den;
    if (b->amount_fen > most) {
        amount_format(most, m);
        return diag_set(d, CF_EREJECTED, "R-SUBSIDY.3",
                        "subsidy %s is over program %s's share %u/%u of the price %s: at most "
                        "%s (rounded down to the fen)",
                        a, pg->id, pg->share_num, pg->share_den, p, m);
    }
    if (pg->has_cap && b->amount_fen > pg->cap_fen * (int64_t)b->units) {
        amount_format(pg->cap_fen, m);
        return diag_set(d, CF_EREJECTED, "R-SUBSIDY.5",
                        "subsidy %s is over program %s's cap of %s per unit × %u units", a,
                        pg->id, m, b->units);
    }
    int year = caltime_year(e->time_ms, c->net.tz_min);
    rules__cstr(b->project, project);
    snprintf(what, sizeof what, _("project %s's subsidies from program %s"), project, pg->id);
    state_series_project_year(&s, SERIES_SUBSIDY_RECIPIENT, pg->id, project, year);
    if ((err = within(c, &s, pg->has_recipient_cap, pg->recipient_cap_fen, "R-SUBSIDY.6", what,
                      year, b->amount_fen, d)) != 0)
        return err;
    snprintf(what, sizeof what, _("program %s's subsidies (its annual budget)"), pg->id);
    state_series_year(&s, SERIES_SUBSIDY_YEAR, pg->id, year);
    if ((err = within(c, &s, pg->has_budget, pg->budget_fen, "R-SUBSIDY.7", what, year,
                      b->amount_fen, d)) != 0)
        return err;
    state_series_program(&s, SERIES_SUBSIDY_PAID, pg->id);
    return rules__sum_fits(c, &s, b->amount_fen, N_("the program's subsidies"), d);
}

int rules__apply_subsidy(rule_ctx *c, const entry *e, diag *d)
{
    const body_subsidy *b = &e->body.subsidy;
    state_subsidy x = {.index = e->index, .time_ms = e->time_ms, .cert = b->certification,
                       .units = b->units, .price_fen = b->price_fen,
                       .amount_fen = b->amount_fen,
                       .year = caltime_year(e->time_ms, c->net.tz_min),
                       .has_lease = b->has_lease, .lease_index = b->lease.index};
    state_series s;
    memcpy(x.program, c->program.id, sizeof x.program);
    memcpy(x.author, e->author, 32);
    memcpy(x.lease_author, b->lease.author, 32);
    rules__cstr(b->project, x.project);
    if (b->has_sale) rules__cstr(b->sale, x.sale);
    int err = state_subsidy_put(c->kv, &x);
    if (err == CF_OK) err = state_subsidized_put(c->kv, &x);
    if (err) return rules__state_error(d, err, N_("subsidies"));
    state_series_project_year(&s, SERIES_SUBSIDY_RECIPIENT, x.program, x.project, x.year);
    if ((err = rules__add(c, &s, e->time_ms, b->amount_fen, "subsidies", d)) != 0) return err;
    state_series_year(&s, SERIES_SUBSIDY_YEAR, x.program, x.year);
    if ((err = rules__add(c, &s, e->time_ms, b->amount_fen, "subsidies", d)) != 0) return err;
    state_series_program(&s, SERIES_SUBSIDY_PAID, x.program);
    return rules__add(c, &s, e->time_ms, b->amount_fen, "subsidies", d);
}
