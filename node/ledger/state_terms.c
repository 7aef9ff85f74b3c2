/* state_terms.c — a program's terms over time (docs/rules.md R-AMEND,
 * R-CLOSE; docs/storage.md record p): each amendment and each closing the
 * governance wrote, by (program, governance index), and the terms in force
 * for an entry — what it reads of them is decided by its own time and gov
 * only, so every replica reads the same terms in any arrival order. */
#include "state.h"

#include <string.h>

#include "crypto/cf_error.h"
#include "crypto/cf_util.h"
#include "state_internal.h"

uint32_t state_terms_of_kind(enum program_kind k)
{
    switch (k) {
    case PROGRAM_MATCH: return TERM_RATIO | TERM_WINDOW | TERM_CAP | TERM_BUDGET;
    case PROGRAM_POOL: return TERM_SIZE | TERM_SHARE | TERM_LEVERAGE;
    case PROGRAM_LEASING: return TERM_DOWN | TERM_FINANCING | TERM_ADVANCE;
    case PROGRAM_AWARD: return TERM_BUDGET | TERM_LEVELS;
    case PROGRAM_SUBSIDY: return TERM_SHARE | TERM_CAP | TERM_BUDGET;
    default: return 0;
    }
}

static void terms_prefix(wr *k, const char *program)
{
    k->len = 0;
    w_u8(k, TAG_TERMS);
    w_cstr(k, program);
}

int state_terms_put(const ledger_kv *kv, const char *program, const state_terms *t)
{
    wr k, v;
    v.len = 0;
    const state_program *p = &t->terms;
    terms_prefix(&k, program);
    w_u64(&k, t->gov_index);
    w_u8(&v, t->close ? 1 : 0);
    w_u64(&v, t->time_ms);
    w_u32(&v, t->stated);
    w_u32(&v, p->ratio_num);
    w_u32(&v, p->ratio_den);
    w_u32(&v, p->window_days);
    w_u64(&v, (uint64_t)p->cap_fen);
    w_u64(&v, (uint64_t)p->budget_fen);
    w_u64(&v, (uint64_t)p->size_fen);
    w_u32(&v, p->share_num);
    w_u32(&v, p->share_den);
    w_u32(&v, p->leverage);
    for (int i = 0; i < LEASE__PARTS; i++) {
        w_u32(&v, p->part[i].min_pct);
        w_u32(&v, p->part[i].max_pct);
    }
    CF_ASSERT(p->nlevels <= AWARD_LEVELS_MAX);
    w_u8(&v, (uint8_t)p->nlevels);
    for (size_t i = 0; i < p->nlevels; i++) w_u64(&v, (uint64_t)p->levels_fen[i]);
    return put_record(kv, &k, &v);
}

static int terms_decode(const uint8_t *key, size_t klen, const uint8_t *val, size_t vlen,
                        state_terms *t)
{
    rd r = {val, vlen, 0, false};
    state_program *p = &t->terms;
    memset(t, 0, sizeof *t);
    if (klen < 8) return CF_ESTORE_CORRUPT;
    t->gov_index = cf_get_be64(key + klen - 8);
    t->close = r_u8(&r) == 1;
    t->time_ms = r_u64(&r);
    t->stated = r_u32(&r);
    p->ratio_num = r_u32(&r);
    p->ratio_den = r_u32(&r);
    p->window_days = r_u32(&r);
    p->cap_fen = (int64_t)r_u64(&r);
    p->budget_fen = (int64_t)r_u64(&r);
    p->size_fen = (int64_t)r_u64(&r);
    p->share_num = r_u32(&r);
    p->share_den = r_u32(&r);
    p->leverage = r_u32(&r);
    for (int i = 0; i < LEASE__PARTS; i++) {
        p->part[i].min_pct = r_u32(&r);
        p->part[i].max_pct = r_u32(&r);
    }
    p->nlevels = r_u8(&r);
    if (p->nlevels > AWARD_LEVELS_MAX) return CF_ESTORE_CORRUPT;
    for (size_t i = 0; i < p->nlevels; i++) p->levels_fen[i] = (int64_t)r_u64(&r);
    if (t->stated & ~(uint32_t)TERM__ALL) return CF_ESTORE_CORRUPT;
    return r_done(&r);
}

static int terms_visit(void *arg, const uint8_t *key, size_t klen, const uint8_t *val,
                       size_t vlen)
{
    struct each_ctx *c = arg;
    state_terms t;
    int err = terms_decode(key, klen, val, vlen, &t);
    return err ? err : ((state_terms_visit_fn)c->fn)(c->arg, &t);
}

int state_terms_each(const ledger_kv *kv, const char *program, state_terms_visit_fn fn,
                     void *arg)
{
    wr k;
    struct each_ctx c = {kv, (void *)fn, arg};
    terms_prefix(&k, program);
    return kv->scan(kv->ctx, k.buf, k.len, false, terms_visit, &c);
}

void state_terms_of_amend(const body_amend *b, state_terms *t)
{
    const body_program *p = &b->terms;
    state_program *s = &t->terms;
    const struct {
        bool has;
        uint32_t bit;
    } stated[] = {
        {b->has_ratio, TERM_RATIO},       {b->has_window, TERM_WINDOW},
        {p->has_cap, TERM_CAP},           {p->has_budget, TERM_BUDGET},
        {p->has_size, TERM_SIZE},         {b->has_share, TERM_SHARE},
        {b->has_leverage, TERM_LEVERAGE}, {p->has_down, TERM_DOWN},
        {p->has_financing, TERM_FINANCING}, {p->has_advance, TERM_ADVANCE},
        {b->has_levels, TERM_LEVELS},
    };
    t->stated = 0;
    for (size_t i = 0; i < sizeof stated / sizeof stated[0]; i++)
        if (stated[i].has) t->stated |= stated[i].bit;
    t->time_ms = p->start_ms;
    s->ratio_num = b->has_ratio ? p->ratio_num : 0;
    s->ratio_den = b->has_ratio ? p->ratio_den : 0;
    s->window_days = b->has_window ? p->window_days : 0;
    s->cap_fen = p->has_cap ? p->cap_fen : 0;
    s->budget_fen = p->has_budget ? p->budget_fen : 0;
    s->size_fen = p->has_size ? p->size_fen : 0;
    s->share_num = b->has_share ? p->share_num : 0;
    s->share_den = b->has_share ? p->share_den : 0;
    s->leverage = b->has_leverage ? p->leverage : 0;
    const bool hp[LEASE__PARTS] = {p->has_down, p->has_financing, p->has_advance};
    const pct_range rp[LEASE__PARTS] = {p->down, p->financing, p->advance};
    for (int i = 0; i < LEASE__PARTS; i++) s->part[i] = hp[i] ? rp[i] : (pct_range){0, 0};
    s->nlevels = b->has_levels ? p->nlevels : 0;
    if (b->has_levels) memcpy(s->levels_fen, p->levels_fen, sizeof s->levels_fen);
}

/* ---- the terms in force --------------------------------------------------- */

struct in_force {
    state_program *pg;
    uint64_t time_ms, gov;
    /* per term: the (from, governance index) of the amendment that set it */
    bool set[11];
    uint64_t from[11], by[11];
    bool closed;
    uint64_t closed_at;
};

static void take(state_program *pg, const state_terms *t, uint32_t bit)
{
    const state_program *a = &t->terms;
    switch (bit) {
    case TERM_RATIO:
        pg->ratio_num = a->ratio_num;
        pg->ratio_den = a->ratio_den;
        break;
    case TERM_WINDOW: pg->window_days = a->window_days; break;
    case TERM_CAP: /* 0: the cap removed */
        pg->has_cap = a->cap_fen > 0;
        pg->cap_fen = a->cap_fen;
        break;
    case TERM_BUDGET: /* 0: the budget removed */
        pg->has_budget = a->budget_fen > 0;
        pg->budget_fen = a->budget_fen;
        break;
    case TERM_SIZE:
        pg->has_size = true;
        pg->size_fen = a->size_fen;
        break;
    case TERM_SHARE:
        pg->share_num = a->share_num;
        pg->share_den = a->share_den;
        break;
    case TERM_LEVERAGE: pg->leverage = a->leverage; break;
    case TERM_DOWN:
    case TERM_FINANCING:
    case TERM_ADVANCE: {
        int i = bit == TERM_DOWN ? LEASE_DOWN : bit == TERM_FINANCING ? LEASE_FINANCING
                                                                      : LEASE_ADVANCE;
        pg->has_part[i] = true;
        pg->part[i] = a->part[i];
        break;
    }
    case TERM_LEVELS:
        pg->nlevels = a->nlevels;
        memcpy(pg->levels_fen, a->levels_fen, sizeof pg->levels_fen);
        break;
    default: break;
    }
}

static int in_force_visit(void *arg, const state_terms *t)
{
    struct in_force *f = arg;
    if (t->gov_index >= f->gov) return CF_OK; /* not as of the entry's gov */
    if (t->close) {
        if (!f->closed || t->time_ms < f->closed_at) f->closed_at = t->time_ms;
        f->closed = true;
        return CF_OK;
    }
    if (t->time_ms > f->time_ms) return CF_OK; /* not in force yet */
    for (int i = 0; i < 11; i++) {
        uint32_t bit = 1u << i;
        if (!(t->stated & bit)) continue;
        if (f->set[i] && (t->time_ms < f->from[i] ||
                          (t->time_ms == f->from[i] && t->gov_index < f->by[i])))
            continue;
        f->set[i] = true;
        f->from[i] = t->time_ms;
        f->by[i] = t->gov_index;
        take(f->pg, t, bit);
    }
    return CF_OK;
}

int state_terms_in_force(const ledger_kv *kv, state_program *pg, uint64_t time_ms,
                         uint64_t gov, bool *closed, uint64_t *closed_at)
{
    struct in_force f = {.pg = pg, .time_ms = time_ms, .gov = gov};
    int err = state_terms_each(kv, pg->id, in_force_visit, &f);
    if (closed) *closed = f.closed;
    if (closed_at) *closed_at = f.closed_at;
    return err;
}
