/* rules_model_gen.c — the generator of test_rules_model.c's random sequences
 * (rules_model_gen.h). */
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
#include "rules_model_gen.h"

int64_t clamp_amount(int64_t a)
{
    return a < 1 ? 1 : a > AMOUNT_FEN_MAX ? AMOUNT_FEN_MAX : a;
}

/* A planned actor whose planned role is in `roles`; prefer_new favours one
 * not yet a member. */
static int pick_actor(seq *s, uint32_t roles, bool prefer_new)
{
    int all[ACTORS], fresh[ACTORS], na = 0, nf = 0;
    for (int a = 1; a < A_STRANGER; a++) {
        if (!s->present[a] || !(roles & ROLE_BIT(actor_role[a]))) continue;
        all[na++] = a;
        if (!s->m.member[a].is) fresh[nf++] = a;
    }
    if (prefer_new && nf > 0) return fresh[rnd(s, (uint64_t)nf)];
    return na ? all[rnd(s, (uint64_t)na)] : A_STRANGER;
}

/* Small amounts, ratios' remainders (multiples of 21, ±1), a cap ±1, half a
 * budget ±1, round sums, 10^15. */
int64_t pick_amount(seq *s)
{
    static const int64_t small[] = {1, 2, 3, 7, 10, 21, 99, 100};
    const prog_spec *g = &s->spec[rnd(s, 2)];
    int64_t pm1 = (int64_t)rnd(s, 3) - 1;
    switch (rnd(s, 16)) {
    case 0: case 1: return small[rnd(s, 8)];
    case 2: case 3: case 4: case 5: return 1 + (int64_t)rnd(s, 4000);
    case 6: case 7: return (g->has_cap ? g->cap : 3000) + pm1;
    case 8: return (g->has_budget ? g->budget : 6000) / 2 + pm1;
    case 9: case 10: return 100 * (1 + (int64_t)rnd(s, 40));
    case 11: case 12: return 21 * (1 + (int64_t)rnd(s, 100)) + pm1;
    case 13: return AMOUNT_FEN_MAX - (int64_t)rnd(s, 2);
    default: return 1 + (int64_t)rnd(s, 10000);
    }
}

/* The clock moves on by nothing, ms, hours or days; now and then straight
 * onto the year boundary. */
static void advance(seq *s)
{
    uint64_t r = rnd(s, 100);
    if (r < 35) return;
    if (r < 60) s->now += 1 + rnd(s, 60000);
    else if (r < 85) s->now += rnd(s, 2 * HOUR_MS);
    else if (r < 95) s->now += rnd(s, 12 * HOUR_MS);
    else if (r < 97) s->now += rnd(s, 5 * DAY_MS);
    else if (s->now < s->boundary) s->now = s->boundary - 1 + rnd(s, 2);
}

/* A little behind the clock (so feeds interleave out of time order), never
 * before the author's previous entry — except 4% of the time (R-TIME). */
static uint64_t pick_time(seq *s, int author)
{
    const m_feed *f = &s->m.feed[author];
    uint64_t t = s->now - (chance(s, 40) ? 0 : rnd(s, 2 * HOUR_MS));
    if (f->n > 0 && chance(s, 4)) return f->last_time - 1 - rnd(s, HOUR_MS);
    return t < f->last_time ? f->last_time : t;
}

/* Usually the governance size now; sometimes a lagging view (as-of effects),
 * one below the previous entry's (R-GOV), or ahead of the feed (pending). */
static uint64_t pick_gov(seq *s, int author)
{
    uint64_t size = s->m.feed[A_GOV].n, last = s->m.feed[author].last_gov, r = rnd(s, 100);
    if (r < 5) return size + 1 + rnd(s, 2);
    if (r < 8 && last > 0) return last - 1;
    if (r < 22 && size >= last) return last + rnd(s, size - last + 1);
    return size;
}

/* What the plan still lacks: members (0..), programs (100+), projects (200+);
 * a program only once its operator joined, unless nothing else is left. */
static int gov_todo(const seq *s, int todo[ACTORS + NPROG + 2])
{
    static const int planned[] = {P_INC, P_IND, P_POOL, P_LEASE, P_AWARD, P_SUBSIDY};
    int n = 0;
    for (int a = 1; a < A_STRANGER; a++)
        if (s->present[a] && !s->m.member[a].is && !m_name_taken(&s->m, a)) todo[n++] = a;
    int members = n;
    for (size_t i = 0; i < sizeof planned / sizeof planned[0]; i++) {
        int k = planned[i], opr = s->spec[k].operator_actor;
        bool fit = actor_role[opr] == (s->spec[k].kind == PROGRAM_LEASING ? ROLE_LESSOR : ROLE_FUND);
        if (!s->m.program[k].is && fit && s->present[opr] && (s->m.member[opr].is || !members))
            todo[n++] = 100 + k;
    }
    for (int k = 0; k < 2; k++)
        if (!s->m.project[k].is) todo[n++] = 200 + k;
    return n;
}

/* A rekey (3 in 4) or a retire (R-KEY), once the plan is complete: mostly of
 * a planned member, by name (else any name: none, the governance's, a
 * retired member's); a rekey's new key mostly a spare key no member has yet
 * (else any: R-UNIQ). The closing is the size of the member's current feed
 * here, or one more (an entry it may still write, which its new key then
 * waits for: R-KEY.3). Never less: a closing behind applied entries makes a
 * home rebuild its state from its stored feeds (docs/rules.md), which this
 * test does not do — it checks that the engine never asks for it. */
static void gen_key(seq *s, op *o)
{
    int spare[ACTORS], n = 0;
    o->author = A_GOV;
    o->type = chance(s, 75) ? ENTRY_REKEY : ENTRY_RETIRE;
    o->name = chance(s, 90) ? pick_actor(s, ~ROLE_BIT(ROLE_GOVERNANCE), false)
                            : (int)rnd(s, ACTORS);
    for (int k = A_KEY1; k < ACTORS; k++)
        if (!s->m.member[k].is) spare[n++] = k;
    o->key = n && chance(s, 95) ? spare[rnd(s, (uint64_t)n)] : (int)rnd(s, ACTORS);
    int cur = m_current_key(&s->m, o->name);
    o->close = (cur >= 0 ? s->m.feed[cur].n : rnd(s, 3)) + (chance(s, 20) ? 1 : 0);
}

/* Would o close a key behind what it applied (gen_key: never generated)? */
static bool closes_behind(const seq *s, const op *o)
{
    if (o->type != ENTRY_REKEY && o->type != ENTRY_RETIRE) return false;
    int cur = m_current_key(&s->m, o->name);
    return cur >= 0 && o->close < s->m.feed[cur].n;
}

/* Mostly the plan, in random order, so members join while others already
 * write; else duplicates (R-UNIQ), the spare program and project, and the
 * stranger joining under some name; once the plan is complete, a rekey or
 * retire one time in five. */
static void gen_gov(seq *s, op *o)
{
    int todo[ACTORS + NPROG + 2], n = gov_todo(s, todo);
    if (n == 0 && chance(s, 20)) {
        gen_key(s, o);
        return;
    }
    if (n == 0 && chance(s, 25)) {
        gen_amend(s, o);
        return;
    }
    int pick = n && chance(s, 85) ? todo[rnd(s, (uint64_t)n)] : -1;
    uint64_t r = rnd(s, 100);
    o->author = A_GOV;
    if (pick >= 200 || (pick < 0 && r < 30)) {
        o->type = ENTRY_PROJECT;
        o->project = pick >= 200 ? pick - 200 : (int)rnd(s, NPROJ);
    } else if (pick >= 100 || (pick < 0 && r < 60)) {
        o->type = ENTRY_PROGRAM;
        o->program = pick >= 100 ? pick - 100 : (int)rnd(s, NPROG);
    } else if (pick >= 0 || r < 80) {
        o->type = ENTRY_MEMBER;
        o->key = o->name = pick >= 0 ? pick : (int)rnd(s, ACTORS);
        o->role = o->key == A_GOV ? ROLE_FUND : actor_role[o->key];
    } else {
        o->type = ENTRY_MEMBER;
        o->key = chance(s, 60) ? A_STRANGER : (int)rnd(s, ACTORS);
        o->name = chance(s, 50) ? A_STRANGER : (int)rnd(s, ACTORS);
        o->role = (enum member_role)(ROLE_FUND + (int)rnd(s, 6));
    }
}

static void gen_contribution(seq *s, op *o)
{
    o->type = ENTRY_CONTRIBUTION;
    o->author = chance(s, 92) ? pick_actor(s, SOCIAL, false) : (int)rnd(s, ACTORS);
    o->project = chance(s, 92) ? (int)rnd(s, 2) : 2;
    o->round = chance(s, 75) ? 0 : 1;
    uint64_t r = rnd(s, 100);
    o->program = r < 40 ? 0 : r < 80 ? 1 : r < 86 ? 2 : -1;
    for (int k = 0; k < 4 && o->program >= 0 && chance(s, 80); k++) /* mostly one that takes it */
        if (!(s->spec[o->program].roles & ROLE_BIT(actor_role[o->author])))
            o->program = (int)rnd(s, 2);
    if (chance(s, 2)) o->program = P_POOL + (int)rnd(s, 3); /* not a matching program */
    o->amount = clamp_amount(pick_amount(s));
}

static const m_entry *cite_target(const seq *s, const op_cite *c)
{
    const m_feed *f = &s->m.feed[c->actor];
    return c->index < f->n && f->e[c->index].type == ENTRY_CONTRIBUTION ? &f->e[c->index] : NULL;
}

/* A random applied entry, favouring recent ones: a contribution naming
 * `program` (any program: -2), or of any type (contributions = false).
 * Returns how many there were to choose from. */
int pick_entry(seq *s, bool contributions, int program, op_cite *c)
{
    int actors[ACTORS * FEED_MAX], n = 0;
    uint64_t idx[ACTORS * FEED_MAX];
    for (int a = 0; a < ACTORS; a++)
        for (uint64_t i = 0; i < s->m.feed[a].n; i++) {
            const m_entry *e = &s->m.feed[a].e[i];
            if (contributions && (e->type != ENTRY_CONTRIBUTION ||
                                  (program != -2 && e->program != program)))
                continue;
            actors[n] = a;
            idx[n++] = i;
        }
    if (n == 0) return 0;
    int k = (int)rnd(s, (uint64_t)n);
    for (int j = 0; j < 2 && chance(s, 70); j++) {
        int k2 = (int)rnd(s, (uint64_t)n);
        if (s->m.feed[actors[k2]].e[idx[k2]].time > s->m.feed[actors[k]].e[idx[k]].time) k = k2;
    }
    c->actor = actors[k];
    c->index = idx[k];
    memcpy(c->leaf, s->m.feed[c->actor].e[c->index].leaf, 32);
    return n;
}

static bool cited_before(const op *o, const op_cite *c)
{
    for (const op_cite *b = o->cites; b < c; b++)
        if (b->actor == c->actor && b->index == c->index) return true;
    return false;
}

/* Mostly a contribution naming the program (else any: wrong program, project
 * or round), 4% of them with a stale leaf (another entry's) or a forged one;
 * else a duplicate, a non-contribution, or an entry not yet written. */
static void gen_cite(seq *s, op *o)
{
    op_cite *c = &o->cites[o->ncites++];
    uint64_t r = rnd(s, 100);
    int program = r < 78 ? o->program : -2;
    if (r < 90 && pick_entry(s, true, program, c)) {
        for (int k = 0; k < 4 && cited_before(o, c); k++) pick_entry(s, true, program, c);
        if (chance(s, 2)) memcpy(c->leaf, s->m.feed[c->actor].e[rnd(s, c->index + 1)].leaf, 32);
        if (chance(s, 2)) c->leaf[rnd(s, 32)] ^= (uint8_t)(1 + rnd(s, 255));
        return;
    }
    r = rnd(s, 3);
    if (r == 0 && o->ncites > 1) {
        *c = o->cites[rnd(s, o->ncites - 1)];
    } else if (r == 1 && pick_entry(s, false, -2, c)) {
        return;
    } else {
        c->actor = pick_actor(s, SOCIAL, false);
        c->index = s->m.feed[c->actor].n + rnd(s, 2);
        memset(c->leaf, (int)rnd(s, 256), 32);
    }
}

/* The window's last ms and the one after, the contribution's own ms and the
 * one before, the year boundary, the program's start — or just now. */
static uint64_t pick_match_time(seq *s, const op *o)
{
    const prog_spec *g = &s->spec[o->program < P_POOL ? o->program : P_IND];
    const m_entry *c = o->ncites ? cite_target(s, &o->cites[0]) : NULL;
    uint64_t t = pick_time(s, o->author), edge = 0, r = rnd(s, 100);
    if (c && r < 20) edge = c->time + g->window_days * DAY_MS;
    else if (c && r < 30) edge = c->time + g->window_days * DAY_MS + 1;
    else if (c && r < 36) edge = c->time - rnd(s, 2);
    else if (r < 48) edge = s->boundary - 1 + rnd(s, 2);
    else if (r < 52) edge = g->start - 1 + rnd(s, 2);
    if (edge > s->now + 2 * DAY_MS && chance(s, 70)) edge = 0; /* keep the clock near */
    if (edge && (edge >= s->m.feed[o->author].last_time || chance(s, 20))) t = edge;
    return t;
}

/* Per citation: its whole room, one fen more, part of it, or (on the last)
 * exactly what is left under the cap or the year's budget, or one fen more. */
static void pick_allocations(seq *s, op *o)
{
    const prog_spec *g = &s->spec[o->program < P_POOL ? o->program : P_IND];
    const model *m = &s->m;
    int64_t sum = 0;
    for (size_t i = 0; i < o->ncites; i++) {
        const m_entry *t = cite_target(s, &o->cites[i]);
        int64_t room = t ? (int64_t)g->num * t->amount / (int64_t)g->den - t->allocated
                         : 1 + (int64_t)rnd(s, 3000);
        int64_t a, left = room;
        uint64_t r = rnd(s, 100);
        if (r >= 75 && r < 88 && g->has_cap)
            left = g->cap - m_sum(m, K_PROJ_DEPLOYED, o->program, o->project, UINT64_MAX);
        if (r >= 88 && g->has_budget)
            left = g->budget - m_sum(m, K_YEAR_DEPLOYED, o->program, m_year(o->time, m->tz_min),
                                     UINT64_MAX);
        if (r < 40) a = room;
        else if (r < 50) a = room + 1;
        else if (r < 75) a = 1 + (int64_t)rnd(s, room > 1 ? (uint64_t)room : 1);
        else if (i + 1 == o->ncites) a = left - sum + (int64_t)rnd(s, 2);
        else a = 1 + (int64_t)rnd(s, 100);
        o->cites[i].amount = clamp_amount(a);
        sum += o->cites[i].amount;
    }
    o->amount = clamp_amount(sum + (chance(s, 4) ? (chance(s, 50) ? 1 : -1) : 0));
}

/* R-MATCH.6: mostly what an honest author states (all of the cited feed
 * applied here), else none (a match from before read points), the cited
 * entry's own (a stale read), a point between, one not written yet
 * (pending), or one not past the cited entry (invalid). */
static void pick_read_points(seq *s, op *o)
{
    for (size_t i = 0; i < o->ncites; i++) {
        op_cite *c = &o->cites[i];
        uint64_t n = s->m.feed[c->actor].n, r = rnd(s, 100);
        c->has_read = r >= 20;
        if (r < 60) c->read = n > c->index ? n : c->index + 1;
        else if (r < 75) c->read = c->index + 1;
        else if (r < 85) c->read = c->index + 1 + rnd(s, 4);
        else if (r < 93) c->read = n + 1 + rnd(s, 2);
        else c->read = c->index - rnd(s, c->index < 2 ? c->index + 1 : 2);
    }
}

static void gen_match(seq *s, op *o)
{
    static const int others[] = {A_FUND_A, A_FUND_B, A_INV_A, A_GOV};
    op_cite probe;
    uint64_t r = rnd(s, 100);
    o->type = ENTRY_MATCH;
    o->program = r < 45 ? 0 : r < 89 ? 1 : r < 98 ? 2 : P_POOL + (int)rnd(s, 3);
    for (int k = 0; k < 4 && chance(s, 85); k++) /* mostly one with something to match */
        if (!pick_entry(s, true, o->program, &probe)) o->program = (int)rnd(s, 2);
    o->author = chance(s, 90) ? s->spec[o->program].operator_actor : others[rnd(s, 4)];
    r = rnd(s, 1000);
    size_t n = r < 15 ? 0 : r < 600 ? 1 : r < 880 ? 2 : 3;
    size_t avail = (size_t)pick_entry(s, true, o->program, &probe);
    if (n > avail && avail > 0 && chance(s, 90)) n = avail;
    while (o->ncites < n) gen_cite(s, o);
    const m_entry *c = o->ncites ? cite_target(s, &o->cites[0]) : NULL;
    o->project = c && chance(s, 85) ? c->project : chance(s, 90) ? (int)rnd(s, 2) : 2;
    o->round = c && chance(s, 85) ? c->round : (int)rnd(s, NROUND);
    o->time = pick_match_time(s, o);
    pick_allocations(s, o);
    pick_read_points(s, o);
}

/* Mostly by a holder from a project it holds: the whole position, one fen
 * more, part of it, or any amount. */
static void gen_exit(seq *s, op *o)
{
    o->type = ENTRY_EXIT;
    o->author = chance(s, 85) ? pick_actor(s, HOLDERS, false) : (int)rnd(s, ACTORS);
    o->project = (int)rnd(s, NPROJ);
    for (int k = 0; k < 4 * NPROJ && chance(s, 95); k++) { /* mostly a holder, a project held */
        if (m_sum(&s->m, K_POS, k % NPROJ, m_identity(&s->m, o->author), UINT64_MAX) > 0) {
            o->project = k % NPROJ;
            break;
        }
        if (k % NPROJ == NPROJ - 1) o->author = pick_actor(s, HOLDERS, false);
    }
    int64_t pos = m_sum(&s->m, K_POS, o->project, m_identity(&s->m, o->author), UINT64_MAX);
    uint64_t r = rnd(s, 100);
    o->amount = clamp_amount(r < 35   ? pos
                             : r < 60 ? pos + 1
                             : r < 90 ? 1 + (int64_t)rnd(s, pos > 1 ? (uint64_t)pos : 1)
                                      : pick_amount(s));
    gen_proceeds(s, o);
}

/* ---- the other instruments -------------------------------------------------- */

/* Mostly the program of `kind` (pool, leasing, award), else another. */
int pick_program(seq *s, int usual)
{
    return chance(s, 94) ? usual : (int)rnd(s, NPROG);
}

/* Mostly the program's operator, else someone with the type's role, or
 * anyone. */
int pick_writer(seq *s, int program, uint32_t roles)
{
    uint64_t r = rnd(s, 100);
    if (r < 88) return s->spec[program].operator_actor;
    if (r < 96) return pick_actor(s, roles, false);
    return (int)rnd(s, ACTORS);
}

/* What makes an entry interesting to cite for `by` (the citing type): a
 * loan under the pool not guaranteed yet (to guarantee), a guaranteed loan
 * still open (to repay or default), a repayment of a guaranteed loan not
 * released yet, a default of a guaranteed loan not compensated yet. */
static bool preferred(const seq *s, int actor, const m_entry *e, enum entry_type by)
{
    const m_entry *l = e->type == ENTRY_LOAN ? e : &s->m.feed[actor].e[e->loan];
    switch (by) {
    case ENTRY_GUARANTEE: return !e->guaranteed && e->program == P_POOL;
    case ENTRY_REPAY: case ENTRY_DEFAULT: return l->guaranteed && !l->defaulted;
    case ENTRY_RELEASE: return l->guaranteed && !e->released_once;
    case ENTRY_COMPENSATION: return l->guaranteed && !l->compensated;
    default: return true;
    }
}

/* How many entries `by` would like to cite (preferred ones). */
static int opportunities(const seq *s, enum entry_type by, enum entry_type type)
{
    int n = 0;
    for (int a = 0; a < ACTORS; a++)
        for (uint64_t i = 0; i < s->m.feed[a].n; i++)
            n += s->m.feed[a].e[i].type == type && preferred(s, a, &s->m.feed[a].e[i], by);
    return n;
}

/* An entry of `type` (in actor's feed, or any: -1), as a cite, mostly a
 * preferred one; the number found. */
static int pick_of_type(seq *s, int actor, enum entry_type type, enum entry_type by,
                        op_cite *c)
{
    int actors[ACTORS * FEED_MAX], n = 0, good = 0;
    uint64_t idx[ACTORS * FEED_MAX];
    bool want = chance(s, 80);
    for (int pass = 0; pass < 2 && n == 0; pass++)
        for (int a = 0; a < ACTORS; a++)
            for (uint64_t i = 0; i < s->m.feed[a].n; i++) {
                const m_entry *e = &s->m.feed[a].e[i];
                if ((actor >= 0 && a != actor) || e->type != type) continue;
                if (pass == 0 && want && !preferred(s, a, e, by)) continue;
                actors[n] = a;
                idx[n++] = i;
                good++;
            }
    (void)good;
    if (n == 0) return 0;
    int k = (int)rnd(s, (uint64_t)n);
    c->actor = actors[k];
    c->index = idx[k];
    memcpy(c->leaf, s->m.feed[c->actor].e[c->index].leaf, 32);
    return n;
}

/* The reference of a pool entry: mostly an entry of `type` (by `actor`, or
 * any), now and then of another type, not written yet (pending, or for
 * one's own feed R-POOL.4), or with a forged leaf. */
static const m_entry *pick_ref(seq *s, op *o, int actor, enum entry_type type)
{
    op_cite *c = &o->cites[0];
    o->ncites = 1;
    uint64_t r = rnd(s, 100);
    if (r < 86 && pick_of_type(s, actor, type, o->type, c)) {
        if (chance(s, 2)) c->leaf[rnd(s, 32)] ^= (uint8_t)(1 + rnd(s, 255));
        return &s->m.feed[c->actor].e[c->index];
    }
    if (r < 93 && pick_entry(s, false, -2, c)) return &s->m.feed[c->actor].e[c->index];
    c->actor = actor >= 0 ? actor : pick_actor(s, ROLE_BIT(ROLE_BANK), false);
    c->index = s->m.feed[c->actor].n + rnd(s, 2);
    memset(c->leaf, (int)rnd(s, 256), 32);
    return NULL;
}

/* An amount aimed at `edge` (exactly, one fen over or under), else any. */
static int64_t near(seq *s, int64_t edge)
{
    uint64_t r = rnd(s, 100);
    if (r < 40) return edge;
    if (r < 60) return edge + 1;
    if (r < 70) return edge - 1;
    if (r < 85) return 1 + (int64_t)rnd(s, edge > 1 ? (uint64_t)edge : 1);
    return pick_amount(s);
}

static int64_t headroom(seq *s, int p)
{
    return (int64_t)s->spec[p].leverage * m_balance(&s->m, p) - m_outstanding(&s->m, p);
}

/* Deposits, withdrawals and loans at any time; the entries that cite are
 * more likely the more there is for them to cite. */
static void gen_pool(seq *s, op *o)
{
    static const struct {
        enum entry_type type, cites;
        int base;
    } kinds[] = {
        {ENTRY_DEPOSIT, 0, 3},           {ENTRY_WITHDRAW, 0, 1},
        {ENTRY_LOAN, 0, 3},              {ENTRY_GUARANTEE, ENTRY_LOAN, 1},
        {ENTRY_REPAY, ENTRY_LOAN, 1},    {ENTRY_DEFAULT, ENTRY_LOAN, 1},
        {ENTRY_RELEASE, ENTRY_REPAY, 0}, {ENTRY_COMPENSATION, ENTRY_DEFAULT, 0},
    };
    int weight[8], total = 0;
    for (int k = 0; k < 8; k++) {
        int n = kinds[k].cites ? opportunities(s, kinds[k].type, kinds[k].cites) : 0;
        weight[k] = kinds[k].base + 3 * (n > 2 ? 2 : n);
        total += weight[k];
    }
    int pick = (int)rnd(s, (uint64_t)total), k = 0;
    while (pick >= weight[k]) pick -= weight[k++];
    const m_entry *t;
    o->type = kinds[k].type;
    o->program = pick_program(s, P_POOL);
    const prog_spec *g = &s->spec[P_POOL];
    int p = P_POOL;
    int64_t balance = m_balance(&s->m, p), out = m_outstanding(&s->m, p);
    switch (o->type) {
    case ENTRY_DEPOSIT:
        o->author = pick_writer(s, o->program, ROLE_BIT(ROLE_FUND));
        o->amount = g->has_size && chance(s, 50) ? near(s, g->size - balance)
                                                  : 1 + (int64_t)rnd(s, 3000);
        break;
    case ENTRY_WITHDRAW: {
        o->author = pick_writer(s, o->program, ROLE_BIT(ROLE_FUND));
        /* the most that keeps the bound: balance - ceil(outstanding / leverage) */
        int64_t keep = (out + (int64_t)g->leverage - 1) / (int64_t)g->leverage;
        o->amount = near(s, chance(s, 50) ? balance : balance - keep);
        break;
    }
    case ENTRY_LOAN:
        o->author = chance(s, 94) ? pick_actor(s, ROLE_BIT(ROLE_BANK), false) : (int)rnd(s, ACTORS);
        o->project = chance(s, 92) ? (int)rnd(s, 2) : 2;
        o->amount = chance(s, 50) ? near(s, headroom(s, p)) : 1 + (int64_t)rnd(s, 5000);
        o->term = 1 + (uint32_t)rnd(s, TERM_MONTHS_MAX);
        break;
    case ENTRY_GUARANTEE:
        o->author = pick_writer(s, o->program, ROLE_BIT(ROLE_FUND));
        t = pick_ref(s, o, -1, ENTRY_LOAN);
        o->amount = t && chance(s, 96) ? t->amount : 1 + (int64_t)rnd(s, 5000);
        if (t && chance(s, 3)) o->time = t->time - 1;
        break;
    case ENTRY_REPAY:
    case ENTRY_DEFAULT:
        o->author = chance(s, 94) ? pick_actor(s, ROLE_BIT(ROLE_BANK), false) : (int)rnd(s, ACTORS);
        t = pick_ref(s, o, chance(s, 94) ? o->author : -1, ENTRY_LOAN);
        o->amount = near(s, t ? t->amount - t->repaid : 100);
        break;
    case ENTRY_RELEASE:
        o->author = pick_writer(s, o->program, ROLE_BIT(ROLE_FUND));
        t = pick_ref(s, o, -1, ENTRY_REPAY);
        o->amount = t && chance(s, 95) ? t->amount : 1 + (int64_t)rnd(s, 3000);
        break;
    case ENTRY_COMPENSATION:
        o->author = pick_writer(s, o->program, ROLE_BIT(ROLE_FUND));
        t = pick_ref(s, o, -1, ENTRY_DEFAULT);
        /* the share of the loss, the balance, 0 (a guarantee after the
         * default, a share that rounds down to nothing), a fen off, any */
        if (t && chance(s, 85)) {
            int64_t share = (int64_t)g->num * t->amount / (int64_t)g->den;
            uint64_t r = rnd(s, 10);
            o->amount = r < 5 ? share : r < 7 ? balance : r < 8 ? 0 : share + (int64_t)rnd(s, 3) - 1;
        } else {
            o->amount = (int64_t)rnd(s, 3000);
        }
        o->amount = o->amount < 0 ? 0 : o->amount > AMOUNT_FEN_MAX ? AMOUNT_FEN_MAX : o->amount;
        return; /* 0 is a compensation's valid amount */
    default: break;
    }
    o->amount = clamp_amount(o->amount);
}

/* Parts that fit the bounds (mostly), then a part zeroed, one fen moved off
 * the sum, or one part pushed to a bound's edge and a fen past it. */
static void gen_lease(seq *s, op *o)
{
    o->type = ENTRY_LEASE;
    o->program = pick_program(s, P_LEASE);
    o->author = pick_writer(s, o->program, ROLE_BIT(ROLE_LESSOR));
    o->project = chance(s, 92) ? (int)rnd(s, 2) : 2;
    const prog_spec *g = &s->spec[P_LEASE];
    int64_t price = chance(s, 70) ? 100 * (1 + (int64_t)rnd(s, 500)) : 3 + (int64_t)rnd(s, 50000);
    uint32_t pct[3];
    for (int i = 0; i < 2; i++) {
        uint32_t lo = g->has_bound[i] ? g->bound_min[i] : 0, hi = g->has_bound[i] ? g->bound_max[i] : 100;
        pct[i] = lo + (uint32_t)rnd(s, hi - lo + 1);
    }
    o->parts[0] = price * pct[0] / 100;
    o->parts[1] = price * pct[1] / 100;
    o->parts[2] = price - o->parts[0] - o->parts[1];
    uint64_t r = rnd(s, 100);
    int i = (int)rnd(s, 3);
    if (r < 8) {
        o->parts[i] = 0;
    } else if (r < 18) {
        o->parts[i] += chance(s, 50) ? 1 : -1;
    } else if (r < 38 && g->has_bound[i]) {
        /* part i at its minimum or maximum (rounded up / down to a fen), the
         * difference taken from or given to another part, maybe a fen past */
        uint32_t b = chance(s, 50) ? g->bound_min[i] : g->bound_max[i];
        int64_t want = (price * b + (b == g->bound_min[i] ? 99 : 0)) / 100;
        want += chance(s, 30) ? (b == g->bound_min[i] ? -1 : 1) : 0;
        int j = (i + 1 + (int)rnd(s, 2)) % 3;
        o->parts[j] += o->parts[i] - want;
        o->parts[i] = want;
    }
    for (int k = 0; k < 3; k++)
        if (o->parts[k] < 0) o->parts[k] = 0;
    o->amount = price;
}

static void gen_award(seq *s, op *o)
{
    const prog_spec *g = &s->spec[P_AWARD];
    o->type = ENTRY_AWARD;
    o->program = pick_program(s, P_AWARD);
    o->author = pick_writer(s, o->program, ROLE_BIT(ROLE_FUND));
    o->project = chance(s, 94) ? (int)rnd(s, 2) : 2;
    uint64_t r = rnd(s, 100);
    int64_t level = g->nlevels ? g->levels[rnd(s, g->nlevels)] : 1000;
    o->amount = r < 85 ? level : r < 93 ? level + 1 : pick_amount(s);
    o->year = (uint32_t)s->year + (uint32_t)rnd(s, 2);
}

/* While the plan is incomplete, governance writes 3 entries in 4 (and 70%
 * of the others by authors not yet members turn into governance ones); then
 * 1 in 10 (more than half of them certifications and revocations). Of the
 * rest: 20% contributions, 26% matches, 5% exits, 3% valuation marks, 23% pool entries, 8%
 * leases, 6% awards, 4% reversals, 5% subsidies. 4% of all entries resubmit
 * a pending one. */
void gen_op(seq *s, op *o)
{
    op_cite probe;
    int todo[ACTORS + NPROG + 2];
    bool setup = gov_todo(s, todo) > 0;
    memset(o, 0, sizeof *o);
    advance(s);
    uint64_t r = rnd(s, 100);
    for (int k = 0, a0 = (int)rnd(s, ACTORS); r < 4 && k < ACTORS; k++) {
        int a = (a0 + k) % ACTORS; /* a pending entry again, if its feed has not moved */
        if (s->has_pending[a] && s->pending[a].index == s->m.feed[a].n &&
            !closes_behind(s, &s->pending[a])) {
            *o = s->pending[a];
            return;
        }
    }
    if (r < (setup ? 75u : 10u) && !setup && chance(s, 55)) gen_cert(s, o);
    else if (r < (setup ? 75u : 10u)) gen_gov(s, o);
    else if ((r = rnd(s, 100)) < 20) gen_contribution(s, o);
    else if (r < 46 && (pick_entry(s, true, -2, &probe) || chance(s, 20))) gen_match(s, o);
    else if (r < 46) gen_contribution(s, o);
    else if (r < 51) gen_exit(s, o);
    else if (r < 54) gen_valuation(s, o);
    else if (r < 77) gen_pool(s, o);
    else if (r < 85) gen_lease(s, o);
    else if (r < 91) gen_award(s, o);
    else if (r < 95) gen_reversal(s, o);
    else gen_subsidy(s, o);
    if (setup && !s->m.member[o->author].is && chance(s, 70)) {
        memset(o, 0, sizeof *o);
        gen_gov(s, o);
    }
    /* A rekeyed member mostly writes with its newest key, else the key it
     * had first (R-KEY.2 once closed, unless below its closing). */
    int first = o->author;
    if (chance(s, 90))
        while (s->m.member[o->author].is && s->m.member[o->author].next >= 0)
            o->author = s->m.member[o->author].next;
    o->index = s->m.feed[o->author].n;
    if (o->type != ENTRY_MATCH && o->time == 0) o->time = pick_time(s, o->author);
    if (o->author != first && o->time < s->m.feed[o->author].last_time && chance(s, 90))
        o->time = s->m.feed[o->author].last_time;
    /* A new key's first entry: half the time no earlier than the last under
     * the keys before it, often exactly that (R-KEY.3). */
    if (o->index == 0 && s->m.member[o->author].is && chance(s, 50))
        for (int k = s->m.member[o->author].prev; k >= 0; k = s->m.member[k].prev)
            if (s->m.feed[k].n && o->time < s->m.feed[k].last_time)
                o->time = s->m.feed[k].last_time;
    o->gov = pick_gov(s, o->author);
    if (o->time > s->now) s->now = o->time;
}

/* Program 0 is the incubation fund (1:1, teams, cap and budget); 1 and 2 take
 * other ratios, counterparts, windows and limits. 5% get an operator who is
 * not a fund (R-REF). The pool, leasing and award programs take their
 * policy's terms or others: leverage 1, 2 or 10, shares 7:10, 1:3, 2:3, 1:1,
 * a size or none; bounds per part (some that admit no lease: R-LEASE.3);
 * one to three levels, a budget or none. */
static void gen_spec(seq *s, int p, prog_spec *g)
{
    static const uint32_t ratios[][2] = {{1, 1}, {1, 3}, {2, 3}, {3, 7}, {3, 2}};
    static const uint32_t windows[] = {0, 1, 2, 3, 7, 30};
    static const int64_t caps[] = {1000, 2999, 3000, 5000};
    static const int64_t budgets[] = {2000, 3000, 4000, 9001};
    static const uint32_t shares[][2] = {{7, 10}, {1, 3}, {2, 3}, {1, 1}};
    static const uint32_t leverages[] = {1, 2, 10};
    static const uint32_t bounds[][2] = {{10, 40}, {30, 80}, {0, 30}, {0, 100}, {20, 20}, {50, 60}};
    static const int64_t levels[][3] = {{1000, 5000, 0}, {1000, 0, 0}, {500, 1000, 5000}};
    memset(g, 0, sizeof *g);
    g->kind = p == P_POOL ? PROGRAM_POOL : p == P_LEASE ? PROGRAM_LEASING
            : p == P_AWARD ? PROGRAM_AWARD : p == P_SUBSIDY ? PROGRAM_SUBSIDY : PROGRAM_MATCH;
    g->operator_actor = p == 0 || !s->present[A_FUND_B] || chance(s, 30) ? A_FUND_A : A_FUND_B;
    if (p == P_LEASE) g->operator_actor = A_LESSOR;
    if (chance(s, 5)) g->operator_actor = A_INV_A + (int)rnd(s, 8);
    switch (g->kind) {
    case PROGRAM_POOL: {
        size_t k = (size_t)rnd(s, 4);
        g->num = shares[k][0];
        g->den = shares[k][1];
        g->leverage = leverages[rnd(s, 3)];
        g->has_size = chance(s, 60);
        g->size = chance(s, 50) ? 20000 : 50000;
        return;
    }
    case PROGRAM_LEASING:
        for (int i = 0; i < 3; i++) {
            size_t k = (size_t)rnd(s, 6);
            g->has_bound[i] = chance(s, 60);
            g->bound_min[i] = bounds[k][0];
            g->bound_max[i] = bounds[k][1];
        }
        return;
    case PROGRAM_AWARD: {
        size_t k = (size_t)rnd(s, 3);
        for (size_t i = 0; i < LEVELS_MAX && levels[k][i]; i++) g->levels[g->nlevels++] = levels[k][i];
        g->has_budget = chance(s, 60);
        g->budget = chance(s, 50) ? 6000 : 11000;
        g->requires = chance(s, 40);
        return;
    }
    case PROGRAM_SUBSIDY: {
        static const uint32_t sshares[][2] = {{3, 10}, {1, 10}, {1, 3}, {1, 1}};
        size_t k = (size_t)rnd(s, 4);
        g->basis = chance(s, 5) ? CERT_DEMONSTRATION : chance(s, 50) ? CERT_FIRST_SET : CERT_LOCAL;
        g->num = sshares[k][0];
        g->den = sshares[k][1];
        g->has_cap = chance(s, 50);
        g->cap = chance(s, 50) ? 250 : 1000;
        g->has_rcap = chance(s, 50);
        g->rcap = chance(s, 50) ? 600 : 2000;
        g->has_budget = chance(s, 50);
        g->budget = chance(s, 50) ? 1500 : 4000;
        return;
    }
    default: break;
    }
    g->roles = chance(s, 30) ? SOCIAL : ROLE_BIT(p == 0 ? ROLE_TEAM : ROLE_INVESTOR);
    size_t k = p == 0 ? 0 : (size_t)rnd(s, 5);
    g->num = ratios[k][0];
    g->den = ratios[k][1];
    g->window_days = windows[rnd(s, 6)];
    g->has_cap = p == 0 || chance(s, 60);
    g->cap = caps[rnd(s, 4)];
    g->has_budget = p == 0 || chance(s, 50);
    g->budget = budgets[rnd(s, 4)];
    g->start = s->now + (chance(s, 50) ? 0 : rnd(s, 3) * 12 * HOUR_MS);
}

/* Zones +08:00, -05:00, UTC, +05:45 and the extremes; the clock starts up to
 * three days before the end of 2024 (a leap year), 2025 or 2026. */
void seq_init(seq *s, uint64_t number, uint64_t seed, bool verbose)
{
    static const int32_t zones[] = {480, -300, 0, 345, -720, 840};
    memset(s, 0, sizeof *s);
    s->number = number;
    s->seed = s->rng = seed;
    s->verbose = verbose;
    s->m.tz_min = zones[rnd(s, 6)];
    s->m.spec = s->spec;
    s->year = 2024 + (int)rnd(s, 3);
    s->boundary = m_year_start(s->year + 1, s->m.tz_min);
    s->now = s->boundary - rnd(s, 3 * DAY_MS);
    for (int a = 0; a < A_STRANGER; a++) s->present[a] = true;
    s->present[A_FUND_B] = chance(s, 50);
    s->present[A_INV_C] = chance(s, 50);
    s->present[A_TEAM_B] = chance(s, 50);
    s->present[A_BANK_B] = chance(s, 50);
    s->present[A_LESSOR] = chance(s, 90);
    for (int p = 0; p < NPROG; p++) gen_spec(s, p, &s->spec[p]);
}
