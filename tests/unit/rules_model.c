/* rules_model.c — the rule engine restated as a naive model (rules_model.h). */
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
#include "ledger/entry.h"
#include "rules_model.h"

const char *const actor_name[ACTORS] = {"gov",    "fund-a", "fund-b",   "inv-a", "inv-b",
                                        "inv-c",  "team-a", "team-b",   "bank-a", "bank-b",
                                        "lessor", "stranger", "key-1",  "key-2", "key-3"};
const enum member_role actor_role[ACTORS] = {
    ROLE_GOVERNANCE, ROLE_FUND, ROLE_FUND,   ROLE_INVESTOR, ROLE_INVESTOR,
    ROLE_INVESTOR,   ROLE_TEAM, ROLE_TEAM,   ROLE_BANK,     ROLE_BANK,
    ROLE_LESSOR,     ROLE_AUDITOR, ROLE_INVESTOR, ROLE_INVESTOR, ROLE_INVESTOR};
const char *const program_name[NPROG] = {"inc", "ind", "pz", "pl", "ls", "aw", "sb"};
const char *const project_name[NPROJ] = {"pa", "pb", "pc"};
const char *const round_name[NROUND] = {"r1", "r2"};

void actor_key(int a, uint8_t key[32]) { memset(key, 0xA0 + a, 32); }

/* R-VOLUME: a feed's amounts, summed, at most 2 × 10^15 fen; every type
 * but governance's carries one amount (a lease its price, a default its
 * loss). */
#define M_VOLUME_MAX INT64_C(2000000000000000)
static int64_t m_volume(const op *o)
{
    switch (o->type) {
    case ENTRY_GENESIS: case ENTRY_MEMBER: case ENTRY_PROGRAM: case ENTRY_PROJECT:
    case ENTRY_REKEY: case ENTRY_RETIRE: case ENTRY_AMEND: case ENTRY_CERTIFY:
    case ENTRY_REVOKE: case ENTRY_VALUATION: return 0;
    case ENTRY_REVERSAL: return -o->amount; /* it gives its entry's amount back */
    default: return o->amount;
    }
}

static verdict v_ok(void) { return (verdict){CF_OK, ""}; }
static verdict v_pending(void) { return (verdict){CF_EPENDING, ""}; }
static verdict v_rej(const char *rule) { return (verdict){CF_EREJECTED, rule}; }

static bool m_leap(int y) { return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0; }

/* Count the days. */
uint64_t m_year_start(int year, int32_t tz_min)
{
    int64_t days = 0;
    for (int y = 1970; y < year; y++) days += m_leap(y) ? 366 : 365;
    return (uint64_t)(days * (int64_t)DAY_MS - (int64_t)tz_min * 60000);
}

/* Peel whole years off the local day. */
int m_year(uint64_t t, int32_t tz_min)
{
    int64_t day = ((int64_t)t + (int64_t)tz_min * 60000) / (int64_t)DAY_MS;
    assert_true(day >= 0); /* model times are in the 2020s */
    int y = 1970;
    for (int64_t len; day >= (len = m_leap(y) ? 366 : 365); y++) day -= len;
    return y;
}

int64_t m_sum(const model *m, enum m_kind kind, int a, int b, uint64_t as_of)
{
    int64_t v = 0;
    for (size_t i = 0; i < m->neffects; i++) {
        const m_effect *f = &m->effect[i];
        if (f->kind == kind && f->a == a && f->b == b && f->time <= as_of) v += f->delta;
    }
    return v;
}

void m_add(model *m, uint64_t time, enum m_kind kind, int a, int b, int64_t delta)
{
    assert_true(m->neffects < EFFECTS_MAX);
    m->effect[m->neffects++] = (m_effect){time, kind, a, b, delta};
}

static const m_member *m_member_as_of(const model *m, int actor, uint64_t gov)
{
    const m_member *w = &m->member[actor];
    return w->is && w->added_at < gov ? w : NULL;
}

static bool m_reg_as_of(const m_reg *r, uint64_t gov) { return r->is && r->added_at < gov; }

bool m_name_taken(const model *m, int name)
{
    for (int a = 0; a < ACTORS; a++)
        if (m->member[a].is && m->member[a].name == name) return true;
    return false;
}

/* Of the keys with this name, the one no rekey replaced. */
int m_current_key(const model *m, int name)
{
    for (int a = 0; a < ACTORS; a++)
        if (m->member[a].is && m->member[a].name == name && m->member[a].next < 0) return a;
    return -1;
}

int m_identity(const model *m, int key)
{
    return m->member[key].is ? m->member[key].identity : key;
}

/* Two keys of one member (the same identity); a key that is no member is
 * nobody's. */
static bool m_same_member(const model *m, int a, int b)
{
    return m->member[a].is && m->member[b].is && m->member[a].identity == m->member[b].identity;
}

/* A citation of a closed feed at or past its closing (R-FORK.2 as R-KEY
 * extends it). */
/* A citation is disputed when what it read reaches past the cited feed's
 * closing: the cited entry, or its read point (R-MATCH.6). */
static uint64_t cite_last(const op_cite *c)
{
    return c->has_read ? c->read - 1 : c->index;
}

static bool m_disputed(const model *m, const op_cite *c)
{
    const m_member *w = &m->member[c->actor];
    return w->is && w->closed && cite_last(c) >= w->closed_at;
}

bool m_cites_disputed(const model *m, const op *o)
{
    for (size_t i = 0; i < o->ncites; i++)
        if (m_disputed(m, &o->cites[i])) return true;
    return false;
}

#define FUND ROLE_BIT(ROLE_FUND)
#define BANK ROLE_BIT(ROLE_BANK)
#define LESSOR ROLE_BIT(ROLE_LESSOR)

static uint32_t writers(enum entry_type t)
{
    switch (t) {
    case ENTRY_CONTRIBUTION: return SOCIAL;
    case ENTRY_EXIT: return HOLDERS;
    case ENTRY_LOAN: case ENTRY_REPAY: case ENTRY_DEFAULT: return BANK;
    case ENTRY_LEASE: return LESSOR;
    case ENTRY_MATCH: case ENTRY_DEPOSIT: case ENTRY_WITHDRAW: case ENTRY_GUARANTEE:
    case ENTRY_RELEASE: case ENTRY_COMPENSATION: case ENTRY_AWARD: case ENTRY_SUBSIDY:
    case ENTRY_VALUATION:
        return FUND;
    case ENTRY_REVERSAL: return HOLDERS | BANK | LESSOR;
    default: return ROLE_BIT(ROLE_GOVERNANCE);
    }
}

/* The kind of program a type names, and whether only its operator writes
 * it (0, false: none). */
static enum program_kind names_kind(enum entry_type t, bool *operator_only)
{
    *operator_only = t != ENTRY_MATCH && t != ENTRY_LOAN;
    switch (t) {
    case ENTRY_MATCH: return PROGRAM_MATCH;
    case ENTRY_DEPOSIT: case ENTRY_WITHDRAW: case ENTRY_LOAN: case ENTRY_GUARANTEE:
    case ENTRY_RELEASE: case ENTRY_COMPENSATION: return PROGRAM_POOL;
    case ENTRY_LEASE: return PROGRAM_LEASING;
    case ENTRY_AWARD: return PROGRAM_AWARD;
    case ENTRY_SUBSIDY: return PROGRAM_SUBSIDY;
    default: *operator_only = false; return 0;
    }
}

static uint32_t operators(enum program_kind k)
{
    return k == PROGRAM_LEASING ? LESSOR : FUND;
}

/* One citation of a match for program g (R-MATCH.2-4), its entry applied.
 * The contributor is a member the match names, so it must be one as of the
 * match's gov (DESIGN §5 R-REF: rules read governance only up to gov). */
static verdict m_check_cite(const model *m, const op *o, const prog_spec *g, const op_cite *c)
{
    const m_entry *t = &m->feed[c->actor].e[c->index];
    const m_member *who = m_member_as_of(m, c->actor, o->gov);
    if (t->type != ENTRY_CONTRIBUTION || memcmp(t->leaf, c->leaf, 32) != 0 || who == NULL ||
        !(g->roles & ROLE_BIT(who->role)) || t->project != o->project ||
        t->round != o->round || t->program != o->program)
        return v_rej("R-MATCH.2");
    if (o->time < t->time || o->time - t->time > g->window_days * DAY_MS)
        return v_rej("R-MATCH.3");
    if (c->amount > (int64_t)g->num * t->amount / (int64_t)g->den - t->allocated)
        return v_rej("R-MATCH.4");
    return v_ok();
}

/* The last entry of the cited feed a citation says was read (R-MATCH.6). */

/* R-MATCH.6 for the counterpart of citation i, counted the long way: what
 * the member held before this key wrote in the project, plus the key's
 * contributions to the project minus its exits from it, entry by entry of
 * its feed up to the furthest read point the match states for it, against
 * every allocation the program made to its contributions in the project
 * (this match's included). */
/* What a key's whole feed holds in a project: its contributions minus its
 * exits; a key whose feed holds nothing there goes on from the key it
 * replaced (R-KEY: the holding is the member's). */
static int64_t m_final_holding(const model *m, int key, int project, bool *any)
{
    const m_feed *f = &m->feed[key];
    int64_t held = 0;
    *any = false;
    for (uint64_t j = 0; j < f->n; j++) {
        const m_entry *t = &f->e[j];
        if (t->project != project) continue;
        if (t->type == ENTRY_CONTRIBUTION) held += t->amount, *any = true;
        if (t->type == ENTRY_EXIT) held -= t->amount, *any = true;
        if (t->type == ENTRY_REVERSAL) held += t->amount, *any = true; /* an exit's */
    }
    return held;
}

/* What the member held in the project before key's first entry there: the
 * final holding of the nearest earlier key that wrote there. */
static int64_t m_inherited_holding(const model *m, int key, int project)
{
    for (int k = m->member[key].prev; k >= 0; k = m->member[k].prev) {
        bool any;
        int64_t held = m_final_holding(m, k, project, &any);
        if (any) return held;
    }
    return 0;
}

static verdict m_check_holds(const model *m, const op *o, const prog_spec *g, size_t i)
{
    int x = o->cites[i].actor;
    const m_feed *f = &m->feed[x];
    uint64_t last = 0;
    int64_t held = m_inherited_holding(m, x, o->project), allocated = 0;
    for (size_t k = 0; k < o->ncites; k++)
        if (o->cites[k].actor == x && !m_disputed(m, &o->cites[k])) {
            allocated += o->cites[k].amount;
            if (cite_last(&o->cites[k]) > last) last = cite_last(&o->cites[k]);
        }
    for (uint64_t j = 0; j < f->n; j++) {
        const m_entry *t = &f->e[j];
        if (t->type == ENTRY_CONTRIBUTION && t->project == o->project && t->program == o->program)
            allocated += t->allocated;
        if (j <= last && t->project == o->project && t->type == ENTRY_CONTRIBUTION) held += t->amount;
        if (j <= last && t->project == o->project && t->type == ENTRY_EXIT) held -= t->amount;
        if (j <= last && t->project == o->project && t->type == ENTRY_REVERSAL) held += t->amount;
    }
    __extension__ typedef __int128 wide;
    return (wide)g->den * allocated <= (wide)g->num * held ? v_ok() : v_rej("R-MATCH.6");
}

/* After the program's R-REF (rules.c, load_program). */
static verdict m_check_match(const model *m, const op *o)
{
    const prog_spec terms = m_terms(m, o->program, o->time, o->gov), *g = &terms; /* R-AMEND */
    if (!m_reg_as_of(&m->project[o->project], o->gov)) return v_rej("R-REF");
    if (!m_same_member(m, o->author, g->operator_actor)) return v_rej("R-ROLE");
    if (o->time < g->start) return v_rej("R-MATCH.5");
    if (o->ncites == 0) return v_rej("R-MATCH.1");
    int64_t sum = 0;
    for (size_t i = 0; i < o->ncites; i++) {
        for (size_t j = 0; j < i; j++)
            if (o->cites[i].actor == o->cites[j].actor && o->cites[i].index == o->cites[j].index)
                return v_rej("R-MATCH.1");
        sum += o->cites[i].amount;
        if (o->cites[i].has_read && o->cites[i].read <= o->cites[i].index)
            return v_rej("R-MATCH.6");
    }
    if (sum != o->amount) return v_rej("R-MATCH.4");
    for (size_t i = 0; i < o->ncites; i++) /* disputed: never waited for */
        if (!m_disputed(m, &o->cites[i]) && cite_last(&o->cites[i]) >= m->feed[o->cites[i].actor].n)
            return v_pending();
    for (size_t i = 0; i < o->ncites; i++) {
        if (m_disputed(m, &o->cites[i])) continue; /* nor checked */
        verdict v = m_check_cite(m, o, g, &o->cites[i]);
        if (v.code != CF_OK) return v;
    }
    for (size_t i = 0; i < o->ncites; i++) {
        if (m_disputed(m, &o->cites[i])) continue; /* R-FORK.2: not checked */
        verdict v = m_check_holds(m, o, g, i);
        if (v.code != CF_OK) return v;
    }
    int year = m_year(o->time, m->tz_min);
    if (g->has_cap &&
        m_sum(m, K_PROJ_DEPLOYED, o->program, o->project, UINT64_MAX) + o->amount > g->cap)
        return v_rej("R-CAP");
    if (g->has_budget &&
        m_sum(m, K_YEAR_DEPLOYED, o->program, year, UINT64_MAX) + o->amount > g->budget)
        return v_rej("R-BUDGET");
    return v_ok();
}

/* ---- the pool ---------------------------------------------------------------- */

int64_t m_balance(const model *m, int p)
{
    return m_sum(m, K_POOL_DEP, p, 0, UINT64_MAX) - m_sum(m, K_POOL_WD, p, 0, UINT64_MAX) -
           m_sum(m, K_POOL_COMP, p, 0, UINT64_MAX);
}

int64_t m_outstanding(const model *m, int p)
{
    return m_sum(m, K_POOL_GUAR, p, 0, UINT64_MAX) - m_sum(m, K_POOL_REL, p, 0, UINT64_MAX);
}

/* Model amounts stay below 10^17 and leverages below 11: no overflow. */
static bool over_bound(const model *m, int p, int64_t outstanding, int64_t balance)
{
    return outstanding > (int64_t)m->spec[p].leverage * balance;
}

/* A repayment's or default's own loan (R-POOL.4). */
static const m_entry *m_own_loan(const model *m, const op *o, verdict *v)
{
    const op_cite *c = &o->cites[0];
    *v = v_rej("R-POOL.4");
    /* its own earlier loan, or one of an earlier key of the same bank */
    if (c->actor == o->author ? c->index >= o->index
                              : m_identity(m, c->actor) != m_identity(m, o->author))
        return NULL;
    if (c->index >= m->feed[c->actor].n) return NULL;
    const m_entry *l = &m->feed[c->actor].e[c->index];
    if (l->type != ENTRY_LOAN || l->disputed || memcmp(l->leaf, c->leaf, 32) != 0) return NULL;
    *v = v_ok();
    return l;
}

/* The bank entry an operator's pool entry cites (R-POOL.4; pending first).
 * amount < 0: not compared. */
static const m_entry *m_cited(const model *m, const op *o, enum entry_type type, int64_t amount,
                              verdict *v)
{
    const op_cite *c = &o->cites[0];
    if (c->index >= m->feed[c->actor].n) {
        *v = v_pending();
        return NULL;
    }
    const m_entry *t = &m->feed[c->actor].e[c->index];
    const m_member *who = m_member_as_of(m, c->actor, o->gov);
    *v = v_rej("R-POOL.4");
    if (t->type != type || t->disputed || memcmp(t->leaf, c->leaf, 32) != 0 || who == NULL ||
        who->role != ROLE_BANK || t->program != o->program || o->time < t->time ||
        (amount >= 0 && amount != t->amount))
        return NULL;
    *v = v_ok();
    return t;
}

static verdict m_check_pool(const model *m, const op *o)
{
    const prog_spec *g = &m->spec[o->program];
    int p = o->program;
    int64_t balance = m_balance(m, p), out = m_outstanding(m, p);
    verdict v;
    const m_entry *t, *l;
    switch (o->type) {
    case ENTRY_DEPOSIT:
        return g->has_size && balance + o->amount > g->size ? v_rej("R-POOL.8") : v_ok();
    case ENTRY_WITHDRAW:
        if (o->amount > balance) return v_rej("R-POOL.6");
        return over_bound(m, p, out, balance - o->amount) ? v_rej("R-POOL.2") : v_ok();
    case ENTRY_LOAN:
        return m_reg_as_of(&m->project[o->project], o->gov) ? v_ok() : v_rej("R-REF");
    case ENTRY_GUARANTEE:
        if ((t = m_cited(m, o, ENTRY_LOAN, o->amount, &v)) == NULL) return v;
        if (t->guaranteed) return v_rej("R-POOL.5");
        return over_bound(m, p, out + o->amount, balance) ? v_rej("R-POOL.1") : v_ok();
    case ENTRY_RELEASE:
        if ((t = m_cited(m, o, ENTRY_REPAY, o->amount, &v)) == NULL) return v;
        l = &m->feed[t->loan_actor].e[t->loan];
        if (!l->guaranteed) return v_rej("R-POOL.4");
        if (t->released_once) return v_rej("R-POOL.5");
        return o->amount > (l->compensated ? 0 : l->amount - l->released) ? v_rej("R-POOL.6")
                                                                            : v_ok();
    case ENTRY_COMPENSATION:
        if ((t = m_cited(m, o, ENTRY_DEFAULT, -1, &v)) == NULL) return v;
        l = &m->feed[t->loan_actor].e[t->loan];
        if (!l->guaranteed) return v_rej("R-POOL.4");
        if (l->compensated) return v_rej("R-POOL.5");
        /* a guarantee after the default: owed nothing (R-POOL.9); else the
         * share of the loss, up to the balance (R-POOL.3) */
        if (l->guarantee_time > t->time) return o->amount != 0 ? v_rej("R-POOL.9") : v_ok();
        int64_t share = (int64_t)g->num * t->amount / (int64_t)g->den;
        return o->amount != (share < balance ? share : balance) ? v_rej("R-POOL.3") : v_ok();
    default: fail_msg("model: %d is not a pool entry", (int)o->type); return v_ok();
    }
}

static verdict m_check_repay_default(const model *m, const op *o)
{
    verdict v;
    const m_entry *l = m_own_loan(m, o, &v);
    if (l == NULL) return v;
    if (o->type == ENTRY_REPAY)
        return o->amount > (l->defaulted ? 0 : l->amount - l->repaid) ? v_rej("R-POOL.6") : v_ok();
    if (l->defaulted) return v_rej("R-POOL.5");
    return o->amount > l->amount - l->repaid ? v_rej("R-POOL.6") : v_ok();
}

/* ---- leases and awards ------------------------------------------------------- */

static verdict m_check_lease(const model *m, const op *o)
{
    const prog_spec *g = &m->spec[o->program];
    if (!m_reg_as_of(&m->project[o->project], o->gov)) return v_rej("R-REF");
    for (int i = 0; i < 3; i++)
        if (o->parts[i] == 0) return v_rej("R-LEASE.1");
    if (o->parts[0] + o->parts[1] + o->parts[2] != o->amount) return v_rej("R-LEASE.2");
    for (int i = 0; i < 3; i++)
        if (g->has_bound[i] && (100 * o->parts[i] < (int64_t)g->bound_min[i] * o->amount ||
                                100 * o->parts[i] > (int64_t)g->bound_max[i] * o->amount))
            return v_rej("R-LEASE.3");
    return v_ok();
}

static verdict m_check_award(const model *m, const op *o)
{
    const prog_spec terms = m_terms(m, o->program, o->time, o->gov), *g = &terms; /* R-AMEND */
    bool allowed = false;
    for (size_t i = 0; i < g->nlevels; i++) allowed |= g->levels[i] == o->amount;
    if (!allowed) return v_rej("R-AWARD.1");
    if (!m_reg_as_of(&m->project[o->project], o->gov)) return v_rej("R-AWARD.2");
    if (g->requires && !m_demo_certified(m, o->project, o->year, o->time, o->gov))
        return v_rej("R-AWARD.5");
    for (size_t i = 0; i < m->nawards; i++) {
        const m_award *w = &m->award[i];
        if (w->program == o->program && w->project == o->project && w->year == o->year &&
            w->amount == o->amount && w->reversed == 0)
            return v_rej("R-AWARD.3");
    }
    if (g->has_budget &&
        m_sum(m, K_AWARDED, o->program, (int)o->year, UINT64_MAX) + o->amount > g->budget)
        return v_rej("R-AWARD.4");
    return v_ok();
}

/* R-KEY.1: the member named, as of gov; not the governance, not retired; a
 * new key no member's yet. (R-MEMBERS: a model sequence has at most 15 keys.) */
static verdict m_check_key(const model *m, const op *o)
{
    int k = m_current_key(m, o->name);
    if (k < 0 || m->member[k].added_at >= o->gov) return v_rej("R-REF");
    if (m->member[k].role == ROLE_GOVERNANCE || m->member[k].closed) return v_rej("R-KEY.1");
    if (o->type == ENTRY_REKEY && m->member[o->key].is) return v_rej("R-UNIQ");
    return v_ok();
}

/* R-KEY.2 and R-KEY.3 for the author's key w: nothing at or past its
 * closing; a new key's entries wait for every key the member had before it
 * to be applied up to its closing, and its first is no earlier than the last
 * entry under any of them. */
static verdict m_check_author_key(const model *m, const op *o, const m_member *w)
{
    if (w->closed && o->index >= w->closed_at) return v_rej("R-KEY.2");
    bool any = false;
    uint64_t last = 0;
    for (int k = w->prev; k >= 0; k = m->member[k].prev) {
        const m_feed *f = &m->feed[k];
        if (f->n < m->member[k].closed_at) return v_pending();
        if (f->n > 0 && (!any || f->last_time > last)) last = f->last_time, any = true;
    }
    return o->index == 0 && any && o->time < last ? v_rej("R-KEY.3") : v_ok();
}

static verdict m_check_program(const model *m, const op *o)
{
    const prog_spec *g = &m->spec[o->program];
    if (m->program[o->program].is) return v_rej("R-UNIQ");
    const m_member *who = m_member_as_of(m, g->operator_actor, o->gov);
    if (who == NULL || !(operators(g->kind) & ROLE_BIT(who->role))) return v_rej("R-REF");
    if (g->kind == PROGRAM_LEASING) {
        uint32_t lo = 0, hi = 0;
        for (int i = 0; i < 3; i++) {
            lo += g->has_bound[i] ? g->bound_min[i] : 0;
            hi += g->has_bound[i] ? g->bound_max[i] : 100;
        }
        if (lo > 100 || hi < 100) return v_rej("R-LEASE.3");
    }
    if (g->kind == PROGRAM_SUBSIDY && g->basis != CERT_FIRST_SET && g->basis != CERT_LOCAL)
        return v_rej("R-SUBSIDY.2");
    return v_ok();
}

verdict m_check(const model *m, const op *o)
{
    const m_feed *f = &m->feed[o->author];
    if (o->type == ENTRY_GENESIS) return o->gov == 0 ? v_ok() : v_rej("R-GOV");
    if (f->n > 0 && o->time < f->last_time) return v_rej("R-TIME");
    if (f->n > 0 && o->gov < f->last_gov) return v_rej("R-GOV");
    if (o->gov > m->feed[A_GOV].n) return v_pending();
    const m_member *w = m_member_as_of(m, o->author, o->gov);
    if (w == NULL || !(writers(o->type) & ROLE_BIT(w->role))) return v_rej("R-ROLE");
    verdict v = m_check_author_key(m, o, w);
    if (v.code != CF_OK) return v;
    if (m_volume(o) > M_VOLUME_MAX - f->volume) return v_rej("R-VOLUME");

    bool operator_only;
    enum program_kind kind = names_kind(o->type, &operator_only);
    if (kind != 0) {
        if (!m_reg_as_of(&m->program[o->program], o->gov)) return v_rej("R-REF");
        if (m->spec[o->program].kind != kind) return v_rej("R-REF");
        if (operator_only && !m_same_member(m, o->author, m->spec[o->program].operator_actor))
            return v_rej("R-ROLE");
    }
    /* Any entry but a match citing past a closing: applied as disputed. */
    if (o->type != ENTRY_MATCH && o->ncites && m_disputed(m, &o->cites[0])) return v_ok();
    switch (o->type) {
    case ENTRY_MEMBER:
        return m->member[o->key].is || m_name_taken(m, o->name) ? v_rej("R-UNIQ") : v_ok();
    case ENTRY_PROGRAM: return m_check_program(m, o);
    case ENTRY_PROJECT: return m->project[o->project].is ? v_rej("R-UNIQ") : v_ok();
    case ENTRY_CONTRIBUTION:
        if (!m_reg_as_of(&m->project[o->project], o->gov)) return v_rej("R-REF");
        if (o->program < 0) return v_ok();
        if (!m_reg_as_of(&m->program[o->program], o->gov)) return v_rej("R-REF");
        if (m->spec[o->program].kind != PROGRAM_MATCH) return v_rej("R-REF");
        return m->spec[o->program].roles & ROLE_BIT(w->role) ? v_ok() : v_rej("R-REF");
    case ENTRY_MATCH: return m_check_match(m, o);
    case ENTRY_EXIT:
        if (!m_reg_as_of(&m->project[o->project], o->gov)) return v_rej("R-REF");
        return o->amount > m_sum(m, K_POS, o->project, m_identity(m, o->author), UINT64_MAX)
                   ? v_rej("R-EXIT")
                   : v_ok();
    case ENTRY_DEPOSIT: case ENTRY_WITHDRAW: case ENTRY_LOAN: case ENTRY_GUARANTEE:
    case ENTRY_RELEASE: case ENTRY_COMPENSATION: return m_check_pool(m, o);
    case ENTRY_REPAY: case ENTRY_DEFAULT: return m_check_repay_default(m, o);
    case ENTRY_LEASE: return m_check_lease(m, o);
    case ENTRY_AWARD: return m_check_award(m, o);
    case ENTRY_CERTIFY: return m_check_certify(m, o);
    case ENTRY_REVOKE: return m_check_revoke(m, o);
    case ENTRY_SUBSIDY: return m_check_subsidy(m, o);
    case ENTRY_VALUATION: return m_check_valuation(m, o);
    case ENTRY_REKEY: case ENTRY_RETIRE: return m_check_key(m, o);
    case ENTRY_REVERSAL: return m_check_reversal(m, o);
    case ENTRY_AMEND: return m_check_amend(m, o);
    default: fail_msg("model: unexpected entry type %d", (int)o->type); return v_ok();
    }
}

/* ---- applying ------------------------------------------------------------------ */

static void m_apply_pool(model *m, const op *o, m_entry *me)
{
    /* the cited bank's feed; its figures are the member's (by name: identity) */
    int p = o->program, cited = o->cites[0].actor, bank = m_identity(m, cited);
    m_entry *t = o->ncites ? &m->feed[cited].e[o->cites[0].index] : NULL, *l;
    switch (o->type) {
    case ENTRY_DEPOSIT: /* me: what a reversal reads */
    case ENTRY_WITHDRAW:
        me->program = p;
        me->amount = o->amount;
        m_add(m, o->time, o->type == ENTRY_DEPOSIT ? K_POOL_DEP : K_POOL_WD, p, 0, o->amount);
        break;
    case ENTRY_LOAN:
        me->program = p;
        me->project = o->project;
        me->amount = o->amount;
        m_add(m, o->time, K_BANK_LENT, p, m_identity(m, o->author), o->amount);
        break;
    case ENTRY_GUARANTEE:
        t->guaranteed = true;
        t->guarantee_index = o->index;
        t->guarantee_time = o->time;
        m_add(m, o->time, K_POOL_GUAR, p, 0, o->amount);
        m_add(m, o->time, K_BANK_GUAR, p, bank, o->amount);
        break;
    case ENTRY_RELEASE:
        l = &m->feed[t->loan_actor].e[t->loan];
        t->released_once = true;
        t->release_index = o->index;
        l->released += o->amount;
        m_add(m, o->time, K_POOL_REL, p, 0, o->amount);
        m_add(m, o->time, K_BANK_REL, p, bank, o->amount);
        break;
    case ENTRY_COMPENSATION: {
        l = &m->feed[t->loan_actor].e[t->loan];
        int64_t rest = l->amount - l->released;
        l->released = l->amount;
        l->compensated = true;
        l->compensation_index = o->index;
        m_add(m, o->time, K_POOL_COMP, p, 0, o->amount);
        m_add(m, o->time, K_BANK_COMP, p, bank, o->amount);
        m_add(m, o->time, K_POOL_REL, p, 0, rest);
        m_add(m, o->time, K_BANK_REL, p, bank, rest);
        break;
    }
    default: break;
    }
}

void m_apply(model *m, const op *o, const uint8_t leaf[32])
{
    m_feed *f = &m->feed[o->author];
    assert_true(f->n < FEED_MAX);
    m_entry *me = &f->e[f->n];
    *me = (m_entry){.type = o->type, .time = o->time, .program = -1};
    memcpy(me->leaf, leaf, 32);
    me->disputed = o->type != ENTRY_MATCH && o->ncites && m_disputed(m, &o->cites[0]);
    f->n++;
    f->last_time = o->time;
    f->last_gov = o->gov;
    /* a reversal applied as disputed reversed nothing: it gives nothing back */
    f->volume += me->disputed && o->type == ENTRY_REVERSAL ? 0 : m_volume(o);
    if (me->disputed) return; /* it changes nothing but its feed's tip */
    if (o->type == ENTRY_GENESIS)
        m->member[A_GOV] = (m_member){true, ROLE_GOVERNANCE, A_GOV, 0, A_GOV, -1, -1, false, 0};
    if (o->type == ENTRY_MEMBER)
        m->member[o->key] = (m_member){true, o->role, o->name, o->index, o->key, -1, -1, false, 0};
    if (o->type == ENTRY_REKEY || o->type == ENTRY_RETIRE) {
        int k = m_current_key(m, o->name);
        m_member *old = &m->member[k];
        old->closed = true;
        old->closed_at = o->close;
        if (o->type == ENTRY_REKEY) {
            old->next = o->key;
            m->member[o->key] = (m_member){true,  old->role, old->name, o->index, old->identity,
                                           k,     -1,        false,     0};
        }
    }
    int holder = m_identity(m, o->author); /* positions are the member's */
    if (o->type == ENTRY_PROGRAM) m->program[o->program] = (m_reg){true, o->index};
    if (o->type == ENTRY_PROJECT) m->project[o->project] = (m_reg){true, o->index};
    if (o->type == ENTRY_CONTRIBUTION) {
        me->project = o->project;
        me->round = o->round;
        me->program = o->program;
        me->amount = o->amount;
        m_add(m, o->time, K_POS, o->project, holder, o->amount);
        if (o->program >= 0) m_add(m, o->time, K_REQUESTED, o->program, 0, o->amount);
    }
    if (o->type == ENTRY_MATCH) {
        /* Counterpart capital: a contribution's full amount, the first time
         * the program cites it. */
        int64_t counter = 0, disputed = 0;
        for (size_t i = 0; i < o->ncites; i++) {
            if (m_disputed(m, &o->cites[i])) { /* not read, not touched */
                disputed += o->cites[i].amount;
                continue;
            }
            m_entry *t = &m->feed[o->cites[i].actor].e[o->cites[i].index];
            if (t->allocated == 0) counter += t->amount;
            t->allocated += o->cites[i].amount;
        }
        int p = o->program, year = m_year(o->time, m->tz_min);
        m_add(m, o->time, K_DEPLOYED, p, 0, o->amount);
        m_add(m, o->time, K_COUNTER, p, 0, counter);
        m_add(m, o->time, K_PROJ_DEPLOYED, p, o->project, o->amount);
        m_add(m, o->time, K_PROJ_COUNTER, p, o->project, counter);
        m_add(m, o->time, K_YEAR_DEPLOYED, p, year, o->amount);
        m_add(m, o->time, K_YEAR_COUNTER, p, year, counter);
        m_add(m, o->time, K_DISPUTED, p, 0, disputed);
        m_add(m, o->time, K_POS, o->project, holder, o->amount);
        me->project = o->project; /* what the returns read (m_returns) */
        me->program = o->program;
        me->amount = o->amount;
    }
    if (o->type == ENTRY_EXIT) {
        me->project = o->project;
        me->amount = o->amount;
        me->proceeds = o->has_proceeds ? o->proceeds : o->amount;
        m_add(m, o->time, K_POS, o->project, holder, -o->amount);
    }
    if (o->type == ENTRY_VALUATION) {
        me->project = o->project;
        me->amount = o->amount;
    }
    if (o->type == ENTRY_DEPOSIT || o->type == ENTRY_WITHDRAW || o->type == ENTRY_LOAN ||
        o->type == ENTRY_GUARANTEE || o->type == ENTRY_RELEASE ||
        o->type == ENTRY_COMPENSATION)
        m_apply_pool(m, o, me);
    if (o->type == ENTRY_REPAY || o->type == ENTRY_DEFAULT) {
        m_entry *l = &m->feed[o->cites[0].actor].e[o->cites[0].index];
        me->program = l->program;
        me->project = l->project;
        me->amount = o->amount;
        me->loan = o->cites[0].index;
        me->loan_actor = o->cites[0].actor;
        if (o->type == ENTRY_REPAY) {
            l->repaid += o->amount;
            m_add(m, o->time, K_BANK_REPAID, l->program, holder, o->amount);
        } else {
            l->defaulted = true;
            m_add(m, o->time, K_BANK_LOSS, l->program, holder, o->amount);
            m_add(m, o->time, K_BANK_DEFAULTS, l->program, holder, 1);
        }
    }
    m_apply_subsidy(m, o);
    if (o->type == ENTRY_LEASE) {
        me->project = o->project; /* what a subsidy of it reads (R-SUBSIDY.1) */
        me->amount = o->amount;
        assert_true(m->nleases < FEED_MAX);
        m->lease[m->nleases++] = (m_lease){o->program, o->project, o->author, o->time, o->index,
                                           0, o->amount, {o->parts[0], o->parts[1], o->parts[2]}};
    }
    if (o->type == ENTRY_AWARD) {
        assert_true(m->nawards < FEED_MAX);
        me->amount = o->amount;
        m->award[m->nawards++] = (m_award){o->program, o->project, o->author, o->year,
                                           o->amount, o->time, o->index, 0};
        m_add(m, o->time, K_AWARDED, o->program, (int)o->year, o->amount);
    }
    if (o->type == ENTRY_REVERSAL) m_apply_reversal(m, o, me);
    if (o->type == ENTRY_AMEND) {
        assert_true(m->namends < FEED_MAX);
        m->amend[m->namends++] = (m_amend){o->program, o->index, o->from, o->has_cap,
                                           o->has_budget, o->cap, o->budget};
    }
}
