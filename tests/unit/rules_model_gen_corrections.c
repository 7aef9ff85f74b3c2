/* rules_model_gen_corrections.c — the generator's corrections (issue 13):
 * amendments of a program's cap and budget, and reversals
 * (rules_model_gen.h; the model's side in rules_model_corrections.c). */
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "rules_model_gen.h"

/* An amendment (R-AMEND) of a program's cap or budget or both, from about
 * now (a day either way, or the year boundary), each a limit or none (0);
 * now and then of a program of a kind without the term, or stating none
 * (R-AMEND.1). */
void gen_amend(seq *s, op *o)
{
    static const int64_t limits[] = {0, 1000, 2999, 3000, 6000, 9001};
    o->author = A_GOV;
    o->type = ENTRY_AMEND;
    o->program = chance(s, 85) ? (int)rnd(s, 3) : chance(s, 50) ? P_AWARD : (int)rnd(s, NPROG);
    uint64_t r = rnd(s, 100);
    o->from = r < 30 ? s->boundary : r < 60 ? s->now : s->now - DAY_MS + rnd(s, 2 * DAY_MS);
    r = rnd(s, 100);
    o->has_cap = r < 60 && s->spec[o->program].kind != PROGRAM_AWARD;
    o->has_budget = r >= 40 && r < 97;
    o->cap = limits[rnd(s, 6)];
    o->budget = limits[rnd(s, 6)];
}

/* A reversal (R-REVERSE): mostly of an entry the model reverses (an exit,
 * a deposit, a withdrawal, a lease, an award) of the author's own feed,
 * standing or not (R-REVERSE.2), its amount restated or one fen off; now and
 * then of a reversal, of any own entry with a forged leaf, of another's
 * entry or of a later index (R-REVERSE.1). */
void gen_reversal(seq *s, op *o)
{
    static const int authors[] = {A_FUND_A, A_FUND_B, A_LESSOR, A_INV_A, A_INV_B, A_TEAM_A};
    o->type = ENTRY_REVERSAL;
    o->author = chance(s, 95) ? authors[rnd(s, 6)] : (int)rnd(s, ACTORS);
    for (int k = 0; k < 12 && chance(s, 90); k++) { /* mostly one with something to reverse */
        int a = authors[rnd(s, 6)];
        while (s->m.member[a].is && s->m.member[a].next >= 0) a = s->m.member[a].next;
        bool any = false;
        for (uint64_t i = 0; i < s->m.feed[a].n; i++) any |= m_reversible(s->m.feed[a].e[i].type);
        if (any) {
            o->author = a;
            break;
        }
    }
    while (s->m.member[o->author].is && s->m.member[o->author].next >= 0)
        o->author = s->m.member[o->author].next;
    const m_feed *f = &s->m.feed[o->author];
    op_cite *c = &o->cites[0];
    o->ncites = 1;
    c->actor = o->author;
    uint64_t idx[FEED_MAX], n = 0, r = rnd(s, 100);
    for (uint64_t i = 0; i < f->n; i++)
        if (m_reversible(f->e[i].type) && !f->e[i].disputed && (r >= 75 || !f->e[i].reversed))
            idx[n++] = i;
    if (n > 0 && r < 90) {
        c->index = idx[rnd(s, n)];
        memcpy(c->leaf, f->e[c->index].leaf, 32);
        o->amount = clamp_amount(f->e[c->index].amount +
                                 (chance(s, 5) ? (chance(s, 50) ? 1 : -1) : 0));
        return;
    }
    o->amount = clamp_amount(pick_amount(s));
    if (r < 94 && f->n > 0) { /* any own entry: a forged leaf, or a reversal */
        c->index = rnd(s, f->n);
        memcpy(c->leaf, f->e[c->index].leaf, 32);
        if ((f->e[c->index].type != ENTRY_REVERSAL && f->e[c->index].type != ENTRY_VALUATION) ||
            chance(s, 50))
            c->leaf[rnd(s, 32)] ^= (uint8_t)(1 + rnd(s, 255));
        return;
    }
    if (r < 97 && pick_entry(s, false, -2, c)) { /* another's (or, forged, one's own) */
        if (c->actor == o->author) c->leaf[rnd(s, 32)] ^= (uint8_t)(1 + rnd(s, 255));
        return;
    }
    c->index = f->n + rnd(s, 2); /* this one, or later */
    memset(c->leaf, (int)rnd(s, 256), 32);
}

