/* rules_model_corrections.c — the corrections of issue 13 restated naively
 * for the model (rules_model.h): amendments of a program's cap and budget
 * (R-AMEND; node/ledger/rules_terms.c, state_terms.c), and reversals
 * (R-REVERSE: the target read from the author's own feed, its conditions from
 * the effect log, its effects given back at the reversal's time; docs/rules.md's
 * table, node/ledger/rules_reverse*.c). */
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "crypto/cf_error.h"
#include "ledger/entry.h"
#include "rules_model.h"

bool m_reversible(enum entry_type t)
{
    return t == ENTRY_EXIT || t == ENTRY_DEPOSIT || t == ENTRY_WITHDRAW || t == ENTRY_LEASE ||
           t == ENTRY_AWARD;
}

static verdict ok(void) { return (verdict){CF_OK, ""}; }
static verdict rej(const char *rule) { return (verdict){CF_EREJECTED, rule}; }

/* ---- amendments ----------------------------------------------------------------- */

prog_spec m_terms(const model *m, int program, uint64_t time, uint64_t gov)
{
    prog_spec g = m->spec[program];
    bool set[2] = {false, false};
    uint64_t from[2] = {0, 0}, by[2] = {0, 0};
    for (size_t i = 0; i < m->namends; i++) {
        const m_amend *a = &m->amend[i];
        if (a->program != program || a->gov_index >= gov || a->from > time) continue;
        const bool stated[2] = {a->has_cap, a->has_budget};
        for (int k = 0; k < 2; k++) {
            if (!stated[k]) continue;
            if (set[k] && (a->from < from[k] || (a->from == from[k] && a->gov_index < by[k])))
                continue;
            set[k] = true;
            from[k] = a->from;
            by[k] = a->gov_index;
            if (k == 0) {
                g.has_cap = a->cap > 0;
                g.cap = a->cap;
            } else {
                g.has_budget = a->budget > 0;
                g.budget = a->budget;
            }
        }
    }
    return g;
}

/* After the envelope: the program registered as of gov (R-REF), some term
 * stated, each one its kind has — a cap a match or subsidy program's (a
 * subsidy's per unit), a budget a match, award or subsidy program's
 * (R-AMEND.1). The model closes no program. */
verdict m_check_amend(const model *m, const op *o)
{
    if (!m->program[o->program].is || m->program[o->program].added_at >= o->gov)
        return rej("R-REF");
    if (!o->has_cap && !o->has_budget) return rej("R-AMEND.1");
    enum program_kind k = m->spec[o->program].kind;
    if (o->has_cap && k != PROGRAM_MATCH && k != PROGRAM_SUBSIDY) return rej("R-AMEND.1");
    if (o->has_budget && k != PROGRAM_MATCH && k != PROGRAM_AWARD && k != PROGRAM_SUBSIDY)
        return rej("R-AMEND.1");
    return ok();
}

/* ---- reversals ------------------------------------------------------------------ */

/* After the envelope rules (m_check): the target is an earlier entry of the
 * author's own key (R-REVERSE.1), not reversed yet (.2), one that is
 * reversed — not a reversal, not applied as disputed — with that leaf and
 * that amount (.1); then what stands on it (.3). */
verdict m_check_reversal(const model *m, const op *o)
{
    const op_cite *c = &o->cites[0];
    if (c->actor != o->author || c->index >= o->index) return rej("R-REVERSE.1");
    const m_entry *t = &m->feed[o->author].e[c->index];
    if (t->reversed) return rej("R-REVERSE.2");
    /* a mark is never reversed (a later mark corrects it) */
    if (t->type == ENTRY_REVERSAL || t->type == ENTRY_VALUATION || t->disputed)
        return rej("R-REVERSE.1");
    if (memcmp(t->leaf, c->leaf, 32) != 0) return rej("R-REVERSE.1");
    /* the generator restates only these types' amounts (a forged leaf
     * otherwise, refused above) */
    assert_true(m_reversible(t->type));
    if (t->amount != o->amount) return rej("R-REVERSE.1");
    const prog_spec *g = t->program >= 0 ? &m->spec[t->program] : NULL;
    int64_t balance = t->program >= 0 ? m_balance(m, t->program) : 0;
    switch (t->type) {
    case ENTRY_DEPOSIT: /* the balance covers it, and R-POOL.1 after */
        if (balance - o->amount < 0) return rej("R-REVERSE.3");
        return m_outstanding(m, t->program) > (int64_t)g->leverage * (balance - o->amount)
                   ? rej("R-REVERSE.3")
                   : ok();
    case ENTRY_WITHDRAW: /* R-POOL.8 after */
        return g->has_size && balance + o->amount > g->size ? rej("R-REVERSE.3") : ok();
    default: return ok(); /* an exit, a lease, an award: always */
    }
}

void m_apply_reversal(model *m, const op *o, m_entry *me)
{
    m_entry *t = &m->feed[o->author].e[o->cites[0].index];
    t->reversed = true;
    t->reversed_time = o->time;
    me->target = o->cites[0].index;
    me->amount = o->amount;
    me->project = t->type == ENTRY_EXIT ? t->project : -1; /* the holdings count it */
    switch (t->type) {
    case ENTRY_EXIT:
        m_add(m, o->time, K_POS, t->project, m_identity(m, o->author), o->amount);
        break;
    case ENTRY_DEPOSIT: m_add(m, o->time, K_POOL_DEP, t->program, 0, -o->amount); break;
    case ENTRY_WITHDRAW: m_add(m, o->time, K_POOL_WD, t->program, 0, -o->amount); break;
    case ENTRY_LEASE:
        for (size_t i = 0; i < m->nleases; i++)
            if (m->lease[i].author == o->author && m->lease[i].index == me->target)
                m->lease[i].reversed = o->time;
        break;
    case ENTRY_AWARD:
        for (size_t i = 0; i < m->nawards; i++) {
            m_award *w = &m->award[i];
            if (w->author != o->author || w->index != me->target) continue;
            w->reversed = o->time;
            m_add(m, o->time, K_AWARDED, w->program, (int)w->year, -o->amount);
        }
        break;
    default: fail_msg("model: reversal of type %d", (int)t->type);
    }
}
