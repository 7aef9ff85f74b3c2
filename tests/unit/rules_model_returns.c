/* rules_model_returns.c — valuation marks (R-MARK), exits' proceeds and the
 * returns report restated for the randomized model test (rules_model.h):
 * the model's verdict on a mark, the generator's marks and proceeds, and
 * query_returns checked against a naive walk over every feed
 * (docs/rules.md "Returns"). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "crypto/cf_error.h"
#include "ledger/query.h"
#include "rules_model.h"
#include "rules_model_gen.h"

__extension__ typedef __int128 wide;

/* After the envelope and R-ROLE (m_check): the project registered as of gov
 * (R-REF), then the author's identity holding it (R-MARK). */
verdict m_check_valuation(const model *m, const op *o)
{
    const m_reg *p = &m->project[o->project];
    if (!p->is || p->added_at >= o->gov) return (verdict){CF_EREJECTED, "R-REF"};
    if (m_sum(m, K_POS, o->project, m_identity(m, o->author), UINT64_MAX) <= 0)
        return (verdict){CF_EREJECTED, "R-MARK"};
    return (verdict){CF_OK, ""};
}

/* Mostly a fund's mark of a project it holds (else of any project, or by
 * anyone): 0 now and then, else any amount. */
void gen_valuation(seq *s, op *o)
{
    static const int funds[] = {A_FUND_A, A_FUND_B};
    o->type = ENTRY_VALUATION;
    o->author = chance(s, 90) ? funds[rnd(s, 2)] : (int)rnd(s, ACTORS);
    o->project = (int)rnd(s, NPROJ);
    for (int k = 0; k < NPROJ && chance(s, 85); k++)
        if (m_sum(&s->m, K_POS, k, m_identity(&s->m, o->author), UINT64_MAX) > 0) o->project = k;
    o->amount = chance(s, 15) ? 0 : pick_amount(s);
}

/* Half the exits state proceeds: 0, the amount, twice it, or any. */
void gen_proceeds(seq *s, op *o)
{
    if (!chance(s, 50)) return;
    o->has_proceeds = true;
    switch (rnd(s, 4)) {
    case 0: o->proceeds = 0; break;
    case 1: o->proceeds = o->amount; break;
    case 2: o->proceeds = o->amount > AMOUNT_FEN_MAX / 2 ? AMOUNT_FEN_MAX : 2 * o->amount; break;
    default: o->proceeds = pick_amount(s); break;
    }
}

/* ---- the report, naively --------------------------------------------------- */

/* A contribution, match or exit that stands as of as_of. */
static bool counts(const m_entry *e, uint64_t as_of)
{
    return (e->type == ENTRY_CONTRIBUTION || e->type == ENTRY_MATCH || e->type == ENTRY_EXIT) &&
           !e->disputed && e->time <= as_of && !(e->reversed && e->reversed_time <= as_of);
}

static int64_t cost(const m_entry *e) { return e->type == ENTRY_EXIT ? -e->amount : e->amount; }

/* holder's position in project (every holder: -1), counting only entries
 * dated after `after` (0: all; marks are dated after the genesis). */
static wide position(const model *m, int holder, int project, uint64_t as_of, uint64_t after)
{
    wide sum = 0;
    for (int a = 0; a < ACTORS; a++) {
        if (holder >= 0 && m_identity(m, a) != holder) continue;
        for (uint64_t i = 0; i < m->feed[a].n; i++) {
            const m_entry *e = &m->feed[a].e[i];
            if (counts(e, as_of) && e->project == project && (after == 0 || e->time > after))
                sum += cost(e);
        }
    }
    return sum;
}

/* What a program's (every program: -1) matches by holder deployed in project. */
static wide deployed(const model *m, int holder, int program, int project, uint64_t as_of)
{
    wide sum = 0;
    for (int a = 0; a < ACTORS; a++) {
        if (m_identity(m, a) != holder) continue;
        for (uint64_t i = 0; i < m->feed[a].n; i++) {
            const m_entry *e = &m->feed[a].e[i];
            if (counts(e, as_of) && e->type == ENTRY_MATCH && e->project == project &&
                (program < 0 || e->program == program))
                sum += e->amount;
        }
    }
    return sum;
}

/* The project's value: its latest mark carried forward at cost, else its
 * cost. Marks: the greatest (time, key, index); actor a's key is 0xA0 + a. */
static wide value(const model *m, int project, uint64_t as_of)
{
    const m_entry *best = NULL;
    int best_a = -1;
    uint64_t best_i = 0;
    for (int a = 0; a < ACTORS; a++)
        for (uint64_t i = 0; i < m->feed[a].n; i++) {
            const m_entry *e = &m->feed[a].e[i];
            if (e->type != ENTRY_VALUATION || e->disputed || e->project != project ||
                e->time > as_of)
                continue;
            if (best == NULL || e->time > best->time ||
                (e->time == best->time && (a > best_a || (a == best_a && i > best_i)))) {
                best = e;
                best_a = a;
                best_i = i;
            }
        }
    if (best == NULL) return position(m, -1, project, as_of, 0);
    wide v = best->amount + position(m, -1, project, as_of, best->time);
    return v < 0 ? 0 : v;
}

static wide residual(const model *m, int holder, int project, uint64_t as_of)
{
    wide pos = position(m, holder, project, as_of, 0), total = position(m, -1, project, as_of, 0);
    return pos > 0 && total > 0 ? value(m, project, as_of) * pos / total : 0;
}

m_return m_returns(const model *m, int holder, int program, uint64_t as_of)
{
    m_return r = {0};
    wide paid = 0, dist = 0, res = 0;
    int who = holder;
    if (holder < 0) who = m_identity(m, m->spec[program].operator_actor);
    for (int a = 0; a < ACTORS; a++) {
        if (m_identity(m, a) != who) continue;
        for (uint64_t i = 0; i < m->feed[a].n; i++) {
            const m_entry *e = &m->feed[a].e[i];
            if (!counts(e, as_of)) continue;
            r.any = true;
            if (holder >= 0) {
                if (e->type == ENTRY_EXIT) dist += e->proceeds;
                else paid += e->amount;
            } else if (e->type == ENTRY_MATCH && e->program == program) {
                paid += e->amount;
            } else if (e->type == ENTRY_EXIT) {
                wide mine = deployed(m, who, program, e->project, as_of),
                     all = deployed(m, who, -1, e->project, as_of);
                if (mine > 0 && all > 0) dist += (wide)e->proceeds * mine / all;
            }
        }
    }
    for (int p = 0; p < NPROJ; p++) {
        if (holder >= 0) {
            res += residual(m, holder, p, as_of);
            continue;
        }
        wide mine = deployed(m, who, program, p, as_of), all = deployed(m, who, -1, p, as_of);
        if (mine > 0 && all > 0) res += residual(m, who, p, as_of) * mine / all;
    }
    r.paid = (int64_t)paid;
    r.distributed = (int64_t)dist;
    r.residual = (int64_t)res;
    return r;
}

/* ---- the engine's report against it ------------------------------------------- */

struct returns_rows {
    const seq *s;
    uint64_t as_of;
    size_t holders, programs;
    char *why;
    size_t cap;
    bool ok;
};

static int actor_of(const uint8_t key[32])
{
    uint8_t k[32];
    for (int a = 0; a < ACTORS; a++) {
        actor_key(a, k);
        if (memcmp(k, key, 32) == 0) return a;
    }
    return -1;
}

static int program_of(const char *id)
{
    for (int p = 0; p < NPROG; p++)
        if (strcmp(program_name[p], id) == 0) return p;
    return -1;
}

static int on_return(void *arg, const query_return *q)
{
    struct returns_rows *r = arg;
    const model *m = &r->s->m;
    int who = q->is_program ? program_of(q->program) : actor_of(q->holder);
    if (who < 0) {
        snprintf(r->why, r->cap, "a row of no one known");
        r->ok = false;
        return CF_OK;
    }
    m_return w = q->is_program ? m_returns(m, -1, who, r->as_of)
                               : m_returns(m, m_identity(m, who), -1, r->as_of);
    if (q->is_program) r->programs++;
    else r->holders++;
    if (q->paid_in_fen != w.paid || q->distributed_fen != w.distributed ||
        q->residual_fen != w.residual) {
        snprintf(r->why, r->cap,
                 "as of %lld, %s %s: engine paid in %lld, distributed %lld, residual %lld; "
                 "model %lld, %lld, %lld",
                 r->as_of == STATE_TIME_LATEST ? -1 : (long long)r->as_of,
                 q->is_program ? "program" : "holder",
                 q->is_program ? program_name[who] : actor_name[who], (long long)q->paid_in_fen,
                 (long long)q->distributed_fen, (long long)q->residual_fen, (long long)w.paid,
                 (long long)w.distributed, (long long)w.residual);
        r->ok = false;
    }
    return CF_OK;
}

bool check_returns(const seq *s, uint64_t as_of, char *why, size_t cap)
{
    const model *m = &s->m;
    struct returns_rows r = {.s = s, .as_of = as_of, .why = why, .cap = cap, .ok = true};
    assert_int_equal(query_returns(&s->kv, NULL, NULL, as_of, 0, on_return, &r), CF_OK);
    size_t holders = 0, programs = 0;
    for (int a = 0; a < ACTORS; a++)
        holders += m_identity(m, a) == a && m_returns(m, a, -1, as_of).any;
    for (int p = 0; p < NPROG; p++)
        programs += m->program[p].is && m->spec[p].kind == PROGRAM_MATCH;
    if (r.ok && (r.holders != holders || r.programs != programs)) {
        snprintf(why, cap, "as of %lld: engine %zu holders, %zu programs; model %zu, %zu",
                 as_of == STATE_TIME_LATEST ? -1 : (long long)as_of, r.holders, r.programs,
                 holders, programs);
        r.ok = false;
    }
    return r.ok;
}
