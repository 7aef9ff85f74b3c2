/* test_rules_model.c — a randomized model test of the rule engine
 * (node/ledger/rules.h, DESIGN §5).
 *
 * The rules are restated here as a small, deliberately naive model: plain
 * arrays, loops over every entry, every total recomputed from a log of
 * effects, calendar years counted day by day from 1970. It shares nothing
 * with the engine but the entry codec (to build the bytes) and the RFC 6962
 * leaf hash (to cite them). At least 10,000 random sequences of 20-60 entries
 * go through both — the engine over a fresh memkv, each entry at its author's
 * next index — and they must agree on every verdict (accepted, pending, or the
 * rejecting rule ID) and, after each sequence, on every position, program
 * total and per-year and per-project split, now and as of a time inside it.
 *
 * Check order: DESIGN §5 does not say which rule reports when an entry breaks
 * several, so the model checks in the engine's documented order (rules.c:
 * R-TIME, R-GOV, pending gov, R-ROLE, then the type's rules; rules_invest.c:
 * R-REF, the operator's R-ROLE, R-MATCH.5, .1, the sum of .4, pending
 * citations, then per citation .2, .3, .4, then R-CAP, R-BUDGET) and rule IDs
 * are compared exactly. R-SUM (int64 overflow) cannot be reached by 61 entries
 * of at most 10^15 fen, so the model leaves it out.
 *
 * Seeds: COFUND_SEED=<master> replaces the default master seed, from which
 * each sequence's seed is derived; COFUND_SEQUENCE=<n> replays sequence n
 * alone, printing every entry and both verdicts; COFUND_SEQUENCES=<count>
 * runs more sequences (never fewer than 10,000).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <cmocka.h>

#include "cf_error.h"
#include "diag.h"
#include "entry.h"
#include "memkv.h"
#include "merkle.h"
#include "query.h"
#include "rules.h"

#define SEQUENCES_MIN 10000
#define MASTER_SEED_DEFAULT UINT64_C(0xC0F0D20260508)
#define OPS_MIN 20
#define OPS_MAX 60             /* per sequence, after the genesis entry */
#define FEED_MAX (OPS_MAX + 1) /* entries one feed can hold */
#define CITES_MAX 3
#define EFFECTS_MAX (FEED_MAX * 7)
#define REPORTS_MAX 10 /* mismatches printed in full */
#define DAY_MS UINT64_C(86400000)
#define HOUR_MS UINT64_C(3600000)

/* ---- the cast --------------------------------------------------------------
 * Nine keys; a sequence plans 5 to 8 of them as members. The stranger is never
 * planned: it writes as a non-member, or joins under some name. */
enum { A_GOV, A_FUND_A, A_FUND_B, A_INV_A, A_INV_B, A_INV_C, A_TEAM_A, A_TEAM_B, A_STRANGER,
       ACTORS };
static const char *const actor_name[ACTORS] = {"gov",   "fund-a", "fund-b", "inv-a",   "inv-b",
                                               "inv-c", "team-a", "team-b", "stranger"};
static const enum member_role actor_role[ACTORS] = {
    ROLE_GOVERNANCE, ROLE_FUND, ROLE_FUND, ROLE_INVESTOR, ROLE_INVESTOR,
    ROLE_INVESTOR,   ROLE_TEAM, ROLE_TEAM, ROLE_AUDITOR};
#define NPROG 3
#define NPROJ 3
#define NROUND 2
static const char *const program_name[NPROG] = {"inc", "ind", "pz"};
static const char *const project_name[NPROJ] = {"pa", "pb", "pc"};
static const char *const round_name[NROUND] = {"r1", "r2"};
#define SOCIAL (ROLE_BIT(ROLE_INVESTOR) | ROLE_BIT(ROLE_TEAM))
#define HOLDERS (ROLE_BIT(ROLE_FUND) | SOCIAL)

static void actor_key(int a, uint8_t key[32]) { memset(key, 0xA0 + a, 32); }

/* A program's body; each sequence draws its own. */
typedef struct {
    int operator_actor;
    uint32_t roles, num, den, window_days;
    bool has_cap, has_budget;
    int64_t cap, budget;
    uint64_t start;
} prog_spec;

/* An entry to submit, in the model's terms (indices into the tables above). */
typedef struct {
    int actor;
    uint64_t index;
    uint8_t leaf[32];
    int64_t amount; /* allocation */
} op_cite;

typedef struct {
    enum entry_type type;
    int author;
    uint64_t index, time, gov;
    int key, name;               /* member: whose key, which name */
    enum member_role role;       /* member */
    int program, project, round; /* program -1: a contribution naming none */
    int64_t amount;
    size_t ncites;
    op_cite cites[CITES_MAX];
} op;

/* ---- the model ---------------------------------------------------------------- */
typedef struct {
    enum entry_type type;
    uint8_t leaf[32];
    uint64_t time;
    int project, round, program; /* contributions */
    int64_t amount, allocated;
} m_entry;

typedef struct {
    uint64_t n, last_time, last_gov;
    m_entry e[FEED_MAX];
} m_feed;

/* Members, programs and projects, with the governance index that added them. */
typedef struct { bool is; enum member_role role; int name; uint64_t added_at; } m_member;
typedef struct { bool is; uint64_t added_at; } m_reg;

/* Every total is a sum over this log, filtered by kind, keys and time. */
enum m_kind {
    K_POS,           /* (project, holder) */
    K_DEPLOYED,      /* (program) */
    K_COUNTER,       /* (program) */
    K_PROJ_DEPLOYED, /* (program, project) */
    K_PROJ_COUNTER,  /* (program, project) */
    K_YEAR_DEPLOYED, /* (program, year) */
    K_YEAR_COUNTER,  /* (program, year) */
    K_REQUESTED,     /* (program): contributions naming it */
};
typedef struct { uint64_t time; enum m_kind kind; int a, b; int64_t delta; } m_effect;

typedef struct {
    int32_t tz_min;
    const prog_spec *spec; /* program bodies, by program */
    m_feed feed[ACTORS];
    m_member member[ACTORS];
    m_reg program[NPROG], project[NPROJ];
    size_t neffects;
    m_effect effect[EFFECTS_MAX];
} model;

typedef struct {
    int code;         /* CF_OK, CF_EREJECTED or CF_EPENDING */
    const char *rule; /* for CF_EREJECTED */
} verdict;

static verdict v_ok(void) { return (verdict){CF_OK, ""}; }
static verdict v_pending(void) { return (verdict){CF_EPENDING, ""}; }
static verdict v_rej(const char *rule) { return (verdict){CF_EREJECTED, rule}; }

static bool m_leap(int y) { return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0; }

/* First ms of January 1st of year in zone tz_min: count the days. */
static uint64_t m_year_start(int year, int32_t tz_min)
{
    int64_t days = 0;
    for (int y = 1970; y < year; y++) days += m_leap(y) ? 366 : 365;
    return (uint64_t)(days * (int64_t)DAY_MS - (int64_t)tz_min * 60000);
}

/* Calendar year of t in zone tz_min: peel whole years off the local day. */
static int m_year(uint64_t t, int32_t tz_min)
{
    int64_t day = ((int64_t)t + (int64_t)tz_min * 60000) / (int64_t)DAY_MS;
    assert_true(day >= 0); /* model times are in the 2020s */
    int y = 1970;
    for (int64_t len; day >= (len = m_leap(y) ? 366 : 365); y++) day -= len;
    return y;
}

static int64_t m_sum(const model *m, enum m_kind kind, int a, int b, uint64_t as_of)
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

static bool m_name_taken(const model *m, int name)
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

static verdict m_check(const model *m, const op *o)
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

static void m_apply(model *m, const op *o, const uint8_t leaf[32])
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

/* ---- a sequence: the generator's state, the model and the engine -------------- */
typedef struct {
    uint64_t number, seed, rng;
    bool verbose;
    int year;          /* the sequence straddles the end of this year */
    uint64_t boundary; /* first ms of year + 1 in the network's zone */
    uint64_t now;      /* the clock the actors' times follow */
    bool present[ACTORS];
    prog_spec spec[NPROG];
    uint8_t net[32];
    bool has_pending[ACTORS];
    op pending[ACTORS]; /* each author's last pending entry, to resubmit */
    model m;
    ledger_kv kv;
} seq;

#define LABELS_MAX 24
static struct {
    uint64_t master;
    unsigned long long entries, mismatches;
    const char *labels[LABELS_MAX]; /* model verdicts, then mismatch kinds */
    unsigned long long counts[LABELS_MAX];
    const char *kinds[LABELS_MAX];
    unsigned long long kind_counts[LABELS_MAX];
} run;

static void count_label(const char **labels, unsigned long long *counts, const char *l)
{
    size_t i = 0;
    while (i < LABELS_MAX && labels[i] && strcmp(labels[i], l) != 0) i++;
    if (i == LABELS_MAX) return;
    labels[i] = l;
    counts[i]++;
}

__attribute__((format(printf, 3, 4))) static void mismatch(const seq *s, const char *kind,
                                                           const char *fmt, ...)
{
    count_label(run.kinds, run.kind_counts, kind);
    if (run.mismatches++ >= REPORTS_MAX && !s->verbose) return;
    va_list ap;
    va_start(ap, fmt);
    printf("MISMATCH [%s] sequence %llu (seed 0x%016llx): ", kind, (unsigned long long)s->number,
           (unsigned long long)s->seed);
    vprintf(fmt, ap);
    printf("\n  replay: COFUND_SEED=0x%llx COFUND_SEQUENCE=%llu\n",
           (unsigned long long)run.master, (unsigned long long)s->number);
    va_end(ap);
}

static uint64_t splitmix(uint64_t *x)
{
    uint64_t z = (*x += UINT64_C(0x9E3779B97F4A7C15));
    z = (z ^ (z >> 30)) * UINT64_C(0xBF58476D1CE4E5B9);
    z = (z ^ (z >> 27)) * UINT64_C(0x94D049BB133111EB);
    return z ^ (z >> 31);
}
static uint64_t rnd(seq *s, uint64_t n) { return splitmix(&s->rng) % n; }
static bool chance(seq *s, unsigned pct) { return rnd(s, 100) < pct; }
static int64_t clamp_amount(int64_t a)
{
    return a < 1 ? 1 : a > AMOUNT_FEN_MAX ? AMOUNT_FEN_MAX : a;
}

/* ---- the engine side -------------------------------------------------------------- */
static entry_text txt(const char *s) { return entry_text_of(s, strlen(s)); }

static void op_entry(const seq *s, const op *o, entry *e)
{
    memset(e, 0, sizeof *e);
    e->type = o->type;
    actor_key(o->author, e->author);
    e->index = o->index;
    e->time_ms = o->time;
    e->gov = o->gov;
    e->has_net = o->type != ENTRY_GENESIS;
    if (e->has_net) memcpy(e->net, s->net, 32);
    if (o->type == ENTRY_GENESIS)
        e->body.genesis = (body_genesis){txt("model net"), txt(actor_name[A_GOV]), s->m.tz_min};
    if (o->type == ENTRY_MEMBER) {
        actor_key(o->key, e->body.member.key);
        e->body.member.role = o->role;
        e->body.member.name = txt(actor_name[o->name]);
    }
    if (o->type == ENTRY_PROGRAM) {
        const prog_spec *g = &s->spec[o->program];
        body_program *b = &e->body.program;
        *b = (body_program){.id = txt(program_name[o->program]), .kind = txt("match"),
                            .counterpart_roles = g->roles, .ratio_num = g->num,
                            .ratio_den = g->den, .window_days = g->window_days,
                            .has_cap = g->has_cap, .cap_fen = g->cap,
                            .has_budget = g->has_budget, .budget_fen = g->budget,
                            .start_ms = g->start};
        actor_key(g->operator_actor, b->operator_key);
    }
    if (o->type == ENTRY_PROJECT)
        e->body.project.id = e->body.project.name = txt(project_name[o->project]);
    if (o->type == ENTRY_CONTRIBUTION)
        e->body.contribution = (body_contribution){
            txt(project_name[o->project]), txt(round_name[o->round]), o->amount,
            o->program >= 0, o->program >= 0 ? txt(program_name[o->program]) : txt("")};
    if (o->type == ENTRY_MATCH) {
        body_match *b = &e->body.match;
        b->program = txt(program_name[o->program]);
        b->project = txt(project_name[o->project]);
        b->round = txt(round_name[o->round]);
        b->amount_fen = o->amount;
        b->ncites = o->ncites;
        for (size_t i = 0; i < o->ncites; i++) {
            actor_key(o->cites[i].actor, b->cites[i].author);
            b->cites[i].index = o->cites[i].index;
            memcpy(b->cites[i].leaf, o->cites[i].leaf, 32);
            b->cites[i].amount_fen = o->cites[i].amount;
        }
    }
    if (o->type == ENTRY_EXIT)
        e->body.exit = (body_exit){txt(project_name[o->project]), o->amount};
}

static int engine_run(const seq *s, const op *o, uint8_t leaf[32], diag *d)
{
    static entry e; /* ~5 KiB of citation slots: keep it off the stack */
    uint8_t buf[ENTRY_BYTES_MAX], author[32];
    size_t len;
    op_entry(s, o, &e);
    if (entry_encode(&e, buf, sizeof buf, &len, d) != CF_OK)
        fail_msg("generator bug: entry_encode: %s", d->text);
    merkle_leaf_hash(buf, len, leaf);
    actor_key(o->author, author);
    return ledger_process(&s->kv, author, o->index, buf, len, NULL, d);
}

__attribute__((format(printf, 4, 5))) static void appendf(char *out, size_t cap, size_t *n,
                                                          const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    int k = *n < cap ? vsnprintf(out + *n, cap - *n, fmt, ap) : 0;
    va_end(ap);
    *n += k > 0 ? (size_t)k : 0;
}

static void describe(const seq *s, const op *o, char *out, size_t cap)
{
    const prog_spec *g = &s->spec[o->program < 0 ? 0 : o->program];
    size_t n = 0;
    out[0] = '\0';
    appendf(out, cap, &n, "%s#%llu t=%llu (boundary%+lld ms) gov=%llu %s ",
            actor_name[o->author], (unsigned long long)o->index, (unsigned long long)o->time,
            (long long)o->time - (long long)s->boundary, (unsigned long long)o->gov,
            entry_type_name(o->type));
    if (o->type == ENTRY_GENESIS) appendf(out, cap, &n, "tz=%d", s->m.tz_min);
    if (o->type == ENTRY_MEMBER)
        appendf(out, cap, &n, "key=%s role=%s name=%s", actor_name[o->key], role_name(o->role),
                actor_name[o->name]);
    if (o->type == ENTRY_PROGRAM)
        appendf(out, cap, &n,
                "%s operator=%s roles=0x%x ratio=%u:%u window=%ud cap=%lld budget=%lld "
                "start=boundary%+lld ms", program_name[o->program], actor_name[g->operator_actor],
                g->roles, g->num, g->den, g->window_days, g->has_cap ? (long long)g->cap : -1LL,
                g->has_budget ? (long long)g->budget : -1LL,
                (long long)g->start - (long long)s->boundary);
    if (o->type == ENTRY_PROJECT) appendf(out, cap, &n, "%s", project_name[o->project]);
    if (o->type == ENTRY_CONTRIBUTION || o->type == ENTRY_MATCH)
        appendf(out, cap, &n, "program=%s round=%s ",
                o->program < 0 ? "-" : program_name[o->program], round_name[o->round]);
    if (o->type == ENTRY_CONTRIBUTION || o->type == ENTRY_MATCH || o->type == ENTRY_EXIT)
        appendf(out, cap, &n, "project=%s amount=%lld", project_name[o->project],
                (long long)o->amount);
    for (size_t i = 0; i < o->ncites; i++)
        appendf(out, cap, &n, " cite %s#%llu leaf %02x%02x.. %lld", actor_name[o->cites[i].actor],
                (unsigned long long)o->cites[i].index, o->cites[i].leaf[0], o->cites[i].leaf[1],
                (long long)o->cites[i].amount);
}

static const char *verdict_text(int code, const char *rule)
{
    return code == CF_OK        ? "accepted"
           : code == CF_EPENDING  ? "pending"
           : code == CF_EREJECTED ? rule
                                  : cf_strerror(code);
}

/* Submit o to both; false (after reporting) when they disagree. */
static bool step(seq *s, const op *o, int opno)
{
    char what[512];
    uint8_t leaf[32];
    diag d;
    verdict mv = m_check(&s->m, o);
    int rc = engine_run(s, o, leaf, &d);
    bool same = rc == mv.code && (rc != CF_EREJECTED || strcmp(d.rule, mv.rule) == 0);
    run.entries++;
    count_label(run.labels, run.counts, verdict_text(mv.code, mv.rule));
    if (s->verbose || !same) describe(s, o, what, sizeof what);
    if (s->verbose)
        printf("  op %2d %-9s %s%s%s\n", opno, verdict_text(rc, d.rule), what,
               d.text[0] ? " -- " : "", d.text);
    if (!same) {
        mismatch(s, "verdict", "op %d: %s\n  model: %s; engine: %s (%s)", opno, what,
                 verdict_text(mv.code, mv.rule), verdict_text(rc, d.rule), d.text);
        return false;
    }
    if (rc == CF_OK) m_apply(&s->m, o, leaf);
    if (rc == CF_OK && o->type == ENTRY_GENESIS) memcpy(s->net, leaf, 32);
    if (rc == CF_EPENDING) {
        s->has_pending[o->author] = true;
        s->pending[o->author] = *o;
    }
    return true;
}

/* ---- the generator -----------------------------------------------------------------
 * It reads the model to aim at boundaries (what is left of a cap, a
 * citation's room, a window's last ms); verdicts come from m_check alone. */

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
static int64_t pick_amount(seq *s)
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
static int gov_todo(const seq *s, int todo[ACTORS + 4])
{
    int n = 0;
    for (int a = 1; a < A_STRANGER; a++)
        if (s->present[a] && !s->m.member[a].is && !m_name_taken(&s->m, a)) todo[n++] = a;
    for (int k = 0; k < 2; k++) {
        int opr = s->spec[k].operator_actor;
        if (!s->m.program[k].is && actor_role[opr] == ROLE_FUND && (s->m.member[opr].is || !n))
            todo[n++] = 100 + k;
        if (!s->m.project[k].is) todo[n++] = 200 + k;
    }
    return n;
}

/* Mostly the plan, in random order, so members join while others already
 * write; else duplicates (R-UNIQ), the spare program and project, and the
 * stranger joining under some name. */
static void gen_gov(seq *s, op *o)
{
    int todo[ACTORS + 4], n = gov_todo(s, todo);
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
        o->role = (enum member_role)(ROLE_FUND + (int)rnd(s, 4));
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
static int pick_entry(seq *s, bool contributions, int program, op_cite *c)
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
    const prog_spec *g = &s->spec[o->program];
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
    const prog_spec *g = &s->spec[o->program];
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

static void gen_match(seq *s, op *o)
{
    static const int others[] = {A_FUND_A, A_FUND_B, A_INV_A, A_GOV};
    op_cite probe;
    uint64_t r = rnd(s, 100);
    o->type = ENTRY_MATCH;
    o->program = r < 45 ? 0 : r < 90 ? 1 : 2;
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
}

/* Mostly by a holder from a project it holds: the whole position, one fen
 * more, part of it, or any amount. */
static void gen_exit(seq *s, op *o)
{
    o->type = ENTRY_EXIT;
    o->author = chance(s, 85) ? pick_actor(s, HOLDERS, false) : (int)rnd(s, ACTORS);
    o->project = (int)rnd(s, NPROJ);
    for (int k = 0; k < 4 * NPROJ && chance(s, 95); k++) { /* mostly a holder, a project held */
        if (m_sum(&s->m, K_POS, k % NPROJ, o->author, UINT64_MAX) > 0) {
            o->project = k % NPROJ;
            break;
        }
        if (k % NPROJ == NPROJ - 1) o->author = pick_actor(s, HOLDERS, false);
    }
    int64_t pos = m_sum(&s->m, K_POS, o->project, o->author, UINT64_MAX);
    uint64_t r = rnd(s, 100);
    o->amount = clamp_amount(r < 35   ? pos
                             : r < 60 ? pos + 1
                             : r < 90 ? 1 + (int64_t)rnd(s, pos > 1 ? (uint64_t)pos : 1)
                                      : pick_amount(s));
}

/* While the plan is incomplete, governance writes 3 entries in 4 (and 70%
 * of the others by authors not yet members turn into governance ones); then
 * 1 in 10. Of the rest: 37% contributions, 48% matches, 15% exits. 4% of all
 * entries resubmit a pending one. */
static void gen_op(seq *s, op *o)
{
    op_cite probe;
    int todo[ACTORS + 4];
    bool setup = gov_todo(s, todo) > 0;
    memset(o, 0, sizeof *o);
    advance(s);
    uint64_t r = rnd(s, 100);
    for (int k = 0, a0 = (int)rnd(s, ACTORS); r < 4 && k < ACTORS; k++) {
        int a = (a0 + k) % ACTORS; /* a pending entry again, if its feed has not moved */
        if (s->has_pending[a] && s->pending[a].index == s->m.feed[a].n) {
            *o = s->pending[a];
            return;
        }
    }
    if (r < (setup ? 75u : 10u)) gen_gov(s, o);
    else if ((r = rnd(s, 100)) < 37) gen_contribution(s, o);
    else if (r < 85 && (pick_entry(s, true, -2, &probe) || chance(s, 20))) gen_match(s, o);
    else if (r < 85) gen_contribution(s, o);
    else gen_exit(s, o);
    if (setup && !s->m.member[o->author].is && chance(s, 70)) {
        memset(o, 0, sizeof *o);
        gen_gov(s, o);
    }
    o->index = s->m.feed[o->author].n;
    if (o->type != ENTRY_MATCH) o->time = pick_time(s, o->author);
    o->gov = pick_gov(s, o->author);
    if (o->time > s->now) s->now = o->time;
}

/* Program 0 is the incubation fund (1:1, teams, cap and budget); 1 and 2 take
 * other ratios, counterparts, windows and limits. 5% get an operator who is
 * not a fund (R-REF). */
static void gen_spec(seq *s, int p, prog_spec *g)
{
    static const uint32_t ratios[][2] = {{1, 1}, {1, 3}, {2, 3}, {3, 7}, {3, 2}};
    static const uint32_t windows[] = {0, 1, 2, 3, 7, 30};
    static const int64_t caps[] = {1000, 2999, 3000, 5000};
    static const int64_t budgets[] = {2000, 3000, 4000, 9001};
    g->operator_actor = p == 0 || !s->present[A_FUND_B] || chance(s, 30) ? A_FUND_A : A_FUND_B;
    if (chance(s, 5)) g->operator_actor = A_INV_A + (int)rnd(s, 4);
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
static void seq_init(seq *s, uint64_t number, uint64_t seed, bool verbose)
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
    for (int p = 0; p < NPROG; p++) gen_spec(s, p, &s->spec[p]);
}

/* ---- the final comparison ------------------------------------------------------ */
#define ROWS_MAX 32
typedef struct {
    size_t n;
    int key[ROWS_MAX]; /* project index (or -1), or year */
    int holder[ROWS_MAX];
    query_totals t[ROWS_MAX]; /* positions: deployed = amount, counterpart = project total */
} rows;

static int project_index(const char *name)
{
    for (int p = 0; p < NPROJ; p++)
        if (strcmp(name, project_name[p]) == 0) return p;
    return -1;
}

static int row_add(rows *r, int key, int holder, int64_t a, int64_t b)
{
    if (r->n < ROWS_MAX) {
        r->key[r->n] = key;
        r->holder[r->n] = holder;
        r->t[r->n] = (query_totals){a, b, 0};
    }
    r->n++;
    return 0;
}
static int row_position(void *arg, const query_position *p)
{
    int a = p->holder[0] - 0xA0;
    return row_add(arg, project_index(p->project), a >= 0 && a < ACTORS ? a : -1, p->amount_fen,
                   p->project_total_fen);
}
static int row_year(void *arg, const query_year *y)
{
    return row_add(arg, y->year, 0, y->t.deployed_fen, y->t.counterpart_fen);
}
static int row_project(void *arg, const query_project *p)
{
    return row_add(arg, project_index(p->project), 0, p->t.deployed_fen, p->t.counterpart_fen);
}

/* Compare rows with the model's (key, holder) pairs over keys lo..hi and
 * holders 0..nh-1: the value of kind (and of kind2, or the key's total over
 * holders), and that the engine lists exactly the non-zero ones. */
static bool check_rows(const seq *s, const char *what, const rows *r, enum m_kind kind,
                       int a, int lo, int hi, int nh, int kind2, uint64_t as_of)
{
    const model *m = &s->m;
    bool ok = true;
    size_t expect = 0;
    long long T = as_of == STATE_TIME_LATEST ? -1 : (long long)as_of;
    for (int k = lo; k <= hi; k++)
        for (int h = 0; h < nh; h++)
            expect += m_sum(m, kind, a < 0 ? k : a, a < 0 ? h : k, as_of) != 0;
    for (size_t i = 0; i < r->n && i < ROWS_MAX; i++) {
        int k = r->key[i], h = r->holder[i];
        int64_t v1 = 0, v2 = 0;
        if (k >= lo && k <= hi && h >= 0 && h < nh) {
            v1 = m_sum(m, kind, a < 0 ? k : a, a < 0 ? h : k, as_of);
            for (int x = 0; kind2 < 0 && x < nh; x++) v2 += m_sum(m, kind, k, x, as_of);
            if (kind2 >= 0) v2 = m_sum(m, (enum m_kind)kind2, a, k, as_of);
        }
        if (r->t[i].deployed_fen != v1 || r->t[i].counterpart_fen != v2) {
            mismatch(s, what, "as of %lld: row %d/%s: engine %lld, %lld; model %lld, %lld", T, k,
                     nh > 1 && h >= 0 ? actor_name[h] : "-", (long long)r->t[i].deployed_fen,
                     (long long)r->t[i].counterpart_fen, (long long)v1, (long long)v2);
            ok = false;
        }
    }
    if (r->n != expect) {
        mismatch(s, what, "as of %lld (program %d): engine lists %zu rows, model %zu", T, a,
                 r->n, expect);
        ok = false;
    }
    return ok;
}

/* Positions (amount, project total), then per program: totals, the split by
 * year and by project. */
static bool check_state(const seq *s, uint64_t as_of)
{
    const model *m = &s->m;
    rows r = {0};
    assert_int_equal(query_positions(&s->kv, NULL, NULL, as_of, row_position, &r), CF_OK);
    bool ok = check_rows(s, "positions", &r, K_POS, -1, 0, NPROJ - 1, ACTORS, -1, as_of);
    for (int p = 0; p < NPROG; p++) {
        const char *pn = program_name[p];
        query_totals t;
        assert_int_equal(query_program_totals(&s->kv, pn, as_of, &t), CF_OK);
        int64_t d = m_sum(m, K_DEPLOYED, p, 0, as_of), c = m_sum(m, K_COUNTER, p, 0, as_of);
        int64_t q = m_sum(m, K_REQUESTED, p, 0, as_of);
        if (t.deployed_fen != d || t.counterpart_fen != c || t.requested_fen != q) {
            mismatch(s, "totals", "as of %lld: program %s deployed/counterpart/requested "
                     "%lld/%lld/%lld; model %lld/%lld/%lld",
                     as_of == STATE_TIME_LATEST ? -1 : (long long)as_of, pn,
                     (long long)t.deployed_fen, (long long)t.counterpart_fen,
                     (long long)t.requested_fen, (long long)d, (long long)c, (long long)q);
            ok = false;
        }
        r.n = 0;
        assert_int_equal(query_program_years(&s->kv, pn, as_of, row_year, &r), CF_OK);
        ok &= check_rows(s, "years", &r, K_YEAR_DEPLOYED, p, s->year - 1, s->year + 2, 1,
                         K_YEAR_COUNTER, as_of);
        r.n = 0;
        assert_int_equal(query_program_projects(&s->kv, pn, as_of, row_project, &r), CF_OK);
        ok &= check_rows(s, "projects", &r, K_PROJ_DEPLOYED, p, 0, NPROJ - 1, 1, K_PROJ_COUNTER,
                         as_of);
    }
    return ok;
}

/* ---- the test ------------------------------------------------------------------ */
static void run_sequence(uint64_t number, bool verbose)
{
    static seq s; /* ~80 KiB */
    uint64_t x = run.master, y = splitmix(&x) ^ number; /* masters' streams never overlap */
    seq_init(&s, number, splitmix(&y), verbose);
    memkv *mk = memkv_new(s.seed);
    assert_non_null(mk);
    memkv_bind(mk, &s.kv);
    if (verbose)
        printf("sequence %llu (seed 0x%016llx): tz %+d min, year %d, funds %d, investors %d, "
               "teams %d\n", (unsigned long long)number, (unsigned long long)s.seed,
               s.m.tz_min, s.year, 1 + s.present[A_FUND_B], 2 + s.present[A_INV_C],
               1 + s.present[A_TEAM_B]);
    op o = {.type = ENTRY_GENESIS, .author = A_GOV, .time = s.now};
    uint64_t t0 = s.now;
    bool ok = step(&s, &o, 0);
    int nops = OPS_MIN + (int)rnd(&s, OPS_MAX - OPS_MIN + 1);
    for (int i = 1; ok && i <= nops; i++) {
        gen_op(&s, &o);
        ok = step(&s, &o, i);
    }
    if (ok && check_state(&s, STATE_TIME_LATEST)) {
        /* and as of a time inside the sequence: mostly an entry's, or the ms before */
        uint64_t t = t0 + rnd(&s, s.now - t0 + 1);
        for (int a = 0; a < ACTORS && chance(&s, 70); a++)
            if (s.m.feed[a].n) t = s.m.feed[a].e[rnd(&s, s.m.feed[a].n)].time - rnd(&s, 2);
        check_state(&s, t);
    }
    memkv_free(mk);
}

static uint64_t env_u64(const char *name, uint64_t dflt, bool *set)
{
    const char *v = getenv(name);
    if (set) *set = v && *v;
    return v && *v ? strtoull(v, NULL, 0) : dflt;
}

static void test_rules_model_agrees_with_engine(void **state)
{
    (void)state;
    bool one;
    struct timespec t0, t1;
    run.master = env_u64("COFUND_SEED", MASTER_SEED_DEFAULT, NULL);
    uint64_t only = env_u64("COFUND_SEQUENCE", 0, &one);
    uint64_t count = env_u64("COFUND_SEQUENCES", SEQUENCES_MIN, NULL);
    if (count < SEQUENCES_MIN) count = SEQUENCES_MIN;
    if (one) count = 1;
    printf("rules model: master seed 0x%llx (COFUND_SEED), %llu sequences\n",
           (unsigned long long)run.master, (unsigned long long)count);
    clock_gettime(CLOCK_MONOTONIC, &t0);
    for (uint64_t i = 0; i < count; i++) run_sequence(one ? only : i, one);
    clock_gettime(CLOCK_MONOTONIC, &t1);
    printf("rules model: %llu sequences, %llu entries in %.2f s; model verdicts:",
           (unsigned long long)count, run.entries,
           (double)(t1.tv_sec - t0.tv_sec) + (double)(t1.tv_nsec - t0.tv_nsec) / 1e9);
    for (size_t i = 0; i < LABELS_MAX && run.labels[i]; i++)
        printf(" %s %llu", run.labels[i], run.counts[i]);
    printf("\n");
    for (size_t i = 0; i < LABELS_MAX && run.kinds[i]; i++)
        printf("rules model: %llu mismatches of kind %s\n", run.kind_counts[i], run.kinds[i]);
    assert_int_equal(run.mismatches, 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_rules_model_agrees_with_engine),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
