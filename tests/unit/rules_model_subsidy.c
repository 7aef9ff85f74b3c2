/* rules_model_subsidy.c — certification and subsidies (docs/rules.md R-CERT,
 * R-SUBSIDY, R-AWARD.5) in the naive model of rules_model.h, and their
 * random entries for test_rules_model.c: certifications of every kind (now
 * and then missing a field, or with one of another kind: R-CERT.1),
 * revocations (of a certification or of anything), subsidies of sales (a
 * few references, so that one is paid twice) and of leases (mostly a lease
 * of the buyer, else a stale leaf, another project, a later lease), with
 * amounts at the share's floor, the cap per unit, what the buyer's year and
 * the budget have left, and one fen over. */
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "crypto/cf_error.h"
#include "rules_model.h"
#include "rules_model_gen.h"

static verdict ok(void) { return (verdict){CF_OK, ""}; }
static verdict rej(const char *rule) { return (verdict){CF_EREJECTED, rule}; }

/* ---- the model ------------------------------------------------------------- */

/* As of gov (a governance index below it counts), at t. */
static bool in_force(const m_cert *c, uint64_t id, uint64_t t, uint64_t gov)
{
    if (!c->is || id >= gov || t < c->from) return false;
    if (c->has_until && t >= c->until) return false;
    return !(c->revoked && c->revoke_gov < gov && c->revoke_at <= t);
}

verdict m_check_certify(const model *m, const op *o)
{
    bool demo = o->cert_kind == CERT_DEMONSTRATION, first = o->cert_kind == CERT_FIRST_SET;
    if (o->c_year != demo || o->c_product != first || o->c_price != first)
        return rej("R-CERT.1");
    if (o->until && o->until <= o->from) return rej("R-CERT.1");
    const m_reg *p = &m->project[o->project];
    return p->is && p->added_at < o->gov ? ok() : rej("R-REF");
}

verdict m_check_revoke(const model *m, const op *o)
{
    if (o->cert >= FEED_MAX || !m->cert[o->cert].is) return rej("R-CERT.2");
    return m->cert[o->cert].revoked ? rej("R-CERT.2") : ok();
}

bool m_demo_certified(const model *m, int project, uint32_t year, uint64_t t, uint64_t gov)
{
    for (uint64_t i = 0; i < FEED_MAX; i++) {
        const m_cert *c = &m->cert[i];
        if (c->is && c->kind == CERT_DEMONSTRATION && c->project == project && c->year == year &&
            in_force(c, i, t, gov))
            return true;
    }
    return false;
}

int64_t m_subsidized(const model *m, int program, int year, int project, uint64_t as_of,
                     int64_t *count)
{
    int64_t sum = 0, n = 0;
    for (size_t i = 0; i < m->nsubsidies; i++) {
        const m_subsidy *x = &m->subsidy[i];
        if (x->program != program || x->time > as_of || (year >= 0 && x->year != year) ||
            (project >= 0 && x->project != project))
            continue;
        sum += x->amount;
        n++;
    }
    if (count) *count = n;
    return sum;
}

/* R-SUBSIDY.1 for the cited lease (applied here, else pending). */
static verdict cited_lease(const model *m, const op *o)
{
    const op_cite *c = &o->cites[0];
    if (c->index >= m->feed[c->actor].n) return (verdict){CF_EPENDING, ""};
    const m_entry *l = &m->feed[c->actor].e[c->index];
    if (l->type != ENTRY_LEASE || l->project != o->project) return rej("R-SUBSIDY.1");
    if (memcmp(l->leaf, c->leaf, 32) != 0 || l->time > o->time) return rej("R-SUBSIDY.1");
    return l->amount == o->price ? ok() : rej("R-SUBSIDY.1");
}

verdict m_check_subsidy(const model *m, const op *o)
{
    const prog_spec terms = m_terms(m, o->program, o->time, o->gov); /* R-AMEND */
    const prog_spec *g = &terms;
    const m_reg *p = &m->project[o->project];
    if (!p->is || p->added_at >= o->gov) return rej("R-REF");
    if ((o->sale >= 0) == o->has_lease) return rej("R-SUBSIDY.1");
    if (o->has_lease) {
        verdict v = cited_lease(m, o);
        if (v.code != CF_OK) return v;
    }
    for (size_t i = 0; i < m->nsubsidies; i++) {
        const m_subsidy *x = &m->subsidy[i];
        if (x->program != o->program) continue;
        if (o->sale >= 0 ? x->sale == o->sale
                         : x->sale < 0 && x->lease_actor == o->cites[0].actor &&
                               x->lease_index == o->cites[0].index)
            return rej("R-SUBSIDY.8");
    }
    const m_cert *c = o->cert < FEED_MAX ? &m->cert[o->cert] : NULL;
    if (c == NULL || !c->is || o->cert >= o->gov || c->kind != g->basis ||
        !in_force(c, o->cert, o->time, o->gov))
        return rej("R-SUBSIDY.2");
    if (c->kind == CERT_FIRST_SET && o->price > c->price * (int64_t)o->units)
        return rej("R-SUBSIDY.4");
    if (o->amount > (int64_t)g->num * o->price / (int64_t)g->den) return rej("R-SUBSIDY.3");
    if (g->has_cap && o->amount > g->cap * (int64_t)o->units) return rej("R-SUBSIDY.5");
    int year = m_year(o->time, m->tz_min);
    if (g->has_rcap &&
        m_subsidized(m, o->program, year, o->project, UINT64_MAX, NULL) + o->amount > g->rcap)
        return rej("R-SUBSIDY.6");
    if (g->has_budget &&
        m_subsidized(m, o->program, year, -1, UINT64_MAX, NULL) + o->amount > g->budget)
        return rej("R-SUBSIDY.7");
    return ok();
}

void m_apply_subsidy(model *m, const op *o)
{
    if (o->type == ENTRY_CERTIFY)
        m->cert[o->index] = (m_cert){.is = true, .has_until = o->until != 0, .kind = o->cert_kind,
                                     .project = o->project, .year = o->c_year ? o->year : 0,
                                     .price = o->c_price ? o->price : 0, .from = o->from,
                                     .until = o->until};
    if (o->type == ENTRY_REVOKE) {
        m_cert *c = &m->cert[o->cert];
        c->revoked = true;
        c->revoke_gov = o->index;
        c->revoke_at = o->from;
    }
    if (o->type == ENTRY_SUBSIDY) {
        assert_true(m->nsubsidies < FEED_MAX);
        m->subsidy[m->nsubsidies++] = (m_subsidy){
            o->program, o->project, m_year(o->time, m->tz_min), o->sale,
            o->has_lease ? o->cites[0].actor : -1, o->has_lease ? o->cites[0].index : 0,
            o->time, o->amount};
    }
}

/* ---- the generator ------------------------------------------------------------ */

/* A certification of some kind of a project, in force from around now (or
 * later), with an end now and then; 1 in 12 states a field of another kind
 * or lacks its own. Or (1 in 4) a revocation of a certification, or of any
 * governance entry, from around now. */
void gen_cert(seq *s, op *o)
{
    o->author = A_GOV;
    uint64_t jitter = rnd(s, 3) * HOUR_MS;
    if (chance(s, 25)) {
        int ids[FEED_MAX], n = 0;
        for (int i = 0; i < FEED_MAX; i++)
            if (s->m.cert[i].is) ids[n++] = i;
        o->type = ENTRY_REVOKE;
        o->cert = n && chance(s, 85) ? (uint64_t)ids[rnd(s, (uint64_t)n)] : rnd(s, 12);
        o->from = s->now + (chance(s, 50) ? jitter : 0) - (chance(s, 30) ? HOUR_MS : 0);
        return;
    }
    o->type = ENTRY_CERTIFY;
    enum cert_kind basis = s->spec[P_SUBSIDY].basis;
    o->cert_kind = chance(s, 60) && basis != CERT_DEMONSTRATION ? basis
                                                                : (enum cert_kind)(1 + rnd(s, 3));
    o->project = chance(s, 94) ? (int)rnd(s, 2) : 2;
    o->year = (uint32_t)s->year + (uint32_t)rnd(s, 2);
    o->price = chance(s, 50) ? 1000 : 3001;
    o->c_year = o->cert_kind == CERT_DEMONSTRATION;
    o->c_product = o->c_price = o->cert_kind == CERT_FIRST_SET;
    if (chance(s, 8)) {
        switch (rnd(s, 3)) {
        case 0: o->c_year = !o->c_year; break;
        case 1: o->c_price = !o->c_price; break;
        default: o->c_product = !o->c_product; break;
        }
    }
    o->from = s->now - (chance(s, 85) ? DAY_MS : 0) + (chance(s, 20) ? jitter : 0);
    o->until = chance(s, 25) ? o->from + (chance(s, 5) ? 0 : DAY_MS + jitter) : 0;
}

/* (While no certification of the program's basis exists, mostly a
 * certification instead.) A subsidy by (mostly) the program's operator: of a sale (one of four
 * references) or a lease (mostly a lease of the buyer as it is), under a
 * certification the generator knows mostly, of 1-3 units; the amount at a
 * limit or one fen over it. */
void gen_subsidy(seq *s, op *o)
{
    const prog_spec *g = &s->spec[P_SUBSIDY];
    const model *m = &s->m;
    bool any = false;
    for (int i = 0; i < FEED_MAX; i++) any |= m->cert[i].is && m->cert[i].kind == g->basis;
    if (!any && m->program[P_SUBSIDY].is && chance(s, 60)) { /* certify something first */
        gen_cert(s, o);
        return;
    }
    o->type = ENTRY_SUBSIDY;
    o->program = pick_program(s, P_SUBSIDY);
    o->author = pick_writer(s, o->program, ROLE_BIT(ROLE_FUND));
    o->project = chance(s, 94) ? (int)rnd(s, 2) : 2;
    int ids[FEED_MAX], n = 0;
    for (int i = 0; i < FEED_MAX; i++)
        if (m->cert[i].is && (m->cert[i].kind == g->basis || chance(s, 10))) ids[n++] = i;
    o->cert = n && chance(s, 90) ? (uint64_t)ids[rnd(s, (uint64_t)n)] : rnd(s, 12);
    o->units = 1 + (uint32_t)rnd(s, 3);
    const m_cert *c = o->cert < FEED_MAX ? &m->cert[o->cert] : NULL;
    int64_t unit = c && c->is && c->kind == CERT_FIRST_SET ? c->price : 1000;
    o->price = unit * (int64_t)o->units - (chance(s, 30) ? (int64_t)rnd(s, 7) : 0) +
               (chance(s, 5) ? 1 : 0);
    if (o->price < 1) o->price = 1;
    o->sale = -1;
    int leases[ACTORS * FEED_MAX][2], nl = 0;
    for (int a = 0; a < ACTORS; a++)
        for (uint64_t i = 0; i < m->feed[a].n; i++)
            if (m->feed[a].e[i].type == ENTRY_LEASE) {
                leases[nl][0] = a;
                leases[nl++][1] = (int)i;
            }
    if (nl && chance(s, 45)) {
        int k = (int)rnd(s, (uint64_t)nl);
        const m_entry *l = &m->feed[leases[k][0]].e[leases[k][1]];
        o->has_lease = true;
        o->ncites = 1;
        o->cites[0] = (op_cite){.actor = leases[k][0], .index = (uint64_t)leases[k][1]};
        memcpy(o->cites[0].leaf, l->leaf, 32);
        if (chance(s, 4)) o->cites[0].leaf[0] ^= 1;
        if (chance(s, 3)) o->cites[0].index = m->feed[leases[k][0]].n; /* pending */
        if (chance(s, 90)) o->project = l->project;
        o->units = 1;
        o->price = l->amount + (chance(s, 5) ? 1 : 0);
        if (o->time == 0 && l->time > s->now) o->time = l->time;
    } else {
        o->sale = (int)rnd(s, 4);
    }
    if (chance(s, 3)) { /* both, or neither */
        if (o->has_lease) o->sale = 0;
        else o->sale = -1;
    }
    int64_t most = (int64_t)g->num * o->price / (int64_t)(g->den ? g->den : 1);
    int64_t pm = chance(s, 30) ? 1 : 0;
    switch (rnd(s, 5)) {
    case 0: o->amount = (g->has_cap ? g->cap * (int64_t)o->units : most) + pm; break;
    case 1: o->amount = (g->has_rcap ? g->rcap : most) / 2 + pm; break;
    case 2: o->amount = (g->has_budget ? g->budget : most) / 3 + pm; break;
    case 3: o->amount = pick_amount(s); break;
    default: o->amount = most + pm;
    }
    if (o->amount < 1) o->amount = 1;
}
