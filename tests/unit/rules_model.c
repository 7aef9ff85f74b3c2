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

#include "cf_error.h"
#include "entry.h"
#include "rules_model.h"

const char *const actor_name[ACTORS] = {"gov",   "fund-a", "fund-b", "inv-a",   "inv-b",
                                        "inv-c", "team-a", "team-b", "stranger"};
const enum member_role actor_role[ACTORS] = {
    ROLE_GOVERNANCE, ROLE_FUND, ROLE_FUND, ROLE_INVESTOR, ROLE_INVESTOR,
    ROLE_INVESTOR,   ROLE_TEAM, ROLE_TEAM, ROLE_AUDITOR};
const char *const program_name[NPROG] = {"inc", "ind", "pz"};
const char *const project_name[NPROJ] = {"pa", "pb", "pc"};
const char *const round_name[NROUND] = {"r1", "r2"};

void actor_key(int a, uint8_t key[32]) { memset(key, 0xA0 + a, 32); }

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

static void m_add(model *m, uint64_t time, enum m_kind kind, int a, int b, int64_t delta)
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

static uint32_t writers(enum entry_type t)
{
    return t == ENTRY_CONTRIBUTION ? SOCIAL
           : t == ENTRY_MATCH      ? ROLE_BIT(ROLE_FUND)
           : t == ENTRY_EXIT       ? HOLDERS
                                   : ROLE_BIT(ROLE_GOVERNANCE);
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

static verdict m_check_match(const model *m, const op *o)
{
    const prog_spec *g = &m->spec[o->program];
    if (!m_reg_as_of(&m->program[o->program], o->gov)) return v_rej("R-REF");
    if (!m_reg_as_of(&m->project[o->project], o->gov)) return v_rej("R-REF");
    if (o->author != g->operator_actor) return v_rej("R-ROLE");
    if (o->time < g->start) return v_rej("R-MATCH.5");
    if (o->ncites == 0) return v_rej("R-MATCH.1");
    int64_t sum = 0;
    for (size_t i = 0; i < o->ncites; i++) {
        for (size_t j = 0; j < i; j++)
            if (o->cites[i].actor == o->cites[j].actor && o->cites[i].index == o->cites[j].index)
                return v_rej("R-MATCH.1");
        sum += o->cites[i].amount;
    }
    if (sum != o->amount) return v_rej("R-MATCH.4");
    for (size_t i = 0; i < o->ncites; i++)
        if (o->cites[i].index >= m->feed[o->cites[i].actor].n) return v_pending();
    for (size_t i = 0; i < o->ncites; i++) {
        verdict v = m_check_cite(m, o, g, &o->cites[i]);
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

verdict m_check(const model *m, const op *o)
{
    const m_feed *f = &m->feed[o->author];
    if (o->type == ENTRY_GENESIS) return o->gov == 0 ? v_ok() : v_rej("R-GOV");
    if (f->n > 0 && o->time < f->last_time) return v_rej("R-TIME");
    if (f->n > 0 && o->gov < f->last_gov) return v_rej("R-GOV");
    if (o->gov > m->feed[A_GOV].n) return v_pending();
    const m_member *w = m_member_as_of(m, o->author, o->gov);
    if (w == NULL || !(writers(o->type) & ROLE_BIT(w->role))) return v_rej("R-ROLE");

    switch (o->type) {
    case ENTRY_MEMBER:
        return m->member[o->key].is || m_name_taken(m, o->name) ? v_rej("R-UNIQ") : v_ok();
    case ENTRY_PROGRAM: {
        if (m->program[o->program].is) return v_rej("R-UNIQ");
        const m_member *who = m_member_as_of(m, m->spec[o->program].operator_actor, o->gov);
        return who && who->role == ROLE_FUND ? v_ok() : v_rej("R-REF");
    }
    case ENTRY_PROJECT: return m->project[o->project].is ? v_rej("R-UNIQ") : v_ok();
    case ENTRY_CONTRIBUTION:
        if (!m_reg_as_of(&m->project[o->project], o->gov)) return v_rej("R-REF");
        if (o->program < 0) return v_ok();
        if (!m_reg_as_of(&m->program[o->program], o->gov)) return v_rej("R-REF");
        return m->spec[o->program].roles & ROLE_BIT(w->role) ? v_ok() : v_rej("R-REF");
    case ENTRY_MATCH: return m_check_match(m, o);
    case ENTRY_EXIT:
        if (!m_reg_as_of(&m->project[o->project], o->gov)) return v_rej("R-REF");
        return o->amount > m_sum(m, K_POS, o->project, o->author, UINT64_MAX) ? v_rej("R-EXIT")
                                                                              : v_ok();
    default: fail_msg("model: unexpected entry type %d", (int)o->type); return v_ok();
    }
}

void m_apply(model *m, const op *o, const uint8_t leaf[32])
{
    m_feed *f = &m->feed[o->author];
    assert_true(f->n < FEED_MAX);
    m_entry *me = &f->e[f->n];
    *me = (m_entry){.type = o->type, .time = o->time, .program = -1};
    memcpy(me->leaf, leaf, 32);
    if (o->type == ENTRY_GENESIS) m->member[A_GOV] = (m_member){true, ROLE_GOVERNANCE, A_GOV, 0};
    if (o->type == ENTRY_MEMBER) m->member[o->key] = (m_member){true, o->role, o->name, o->index};
    if (o->type == ENTRY_PROGRAM) m->program[o->program] = (m_reg){true, o->index};
    if (o->type == ENTRY_PROJECT) m->project[o->project] = (m_reg){true, o->index};
    if (o->type == ENTRY_CONTRIBUTION) {
        me->project = o->project;
        me->round = o->round;
        me->program = o->program;
        me->amount = o->amount;
        m_add(m, o->time, K_POS, o->project, o->author, o->amount);
        if (o->program >= 0) m_add(m, o->time, K_REQUESTED, o->program, 0, o->amount);
    }
    if (o->type == ENTRY_MATCH) {
        /* Counterpart capital: a contribution's full amount, the first time
         * the program cites it. */
        int64_t counter = 0;
        for (size_t i = 0; i < o->ncites; i++) {
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
        m_add(m, o->time, K_POS, o->project, o->author, o->amount);
    }
    if (o->type == ENTRY_EXIT) m_add(m, o->time, K_POS, o->project, o->author, -o->amount);
    f->n++;
    f->last_time = o->time;
    f->last_gov = o->gov;
}
