/* query_returns.c — `cofund returns`: paid in, distributed, residual value,
 * MOIC and IRR per holder and per matching program, as of any time
 * (query.h; the formulas: docs/rules.md "Returns").
 *
 * One pass over the records of the entries that move money in or out of a
 * position (contributions `C`, matches and exits `e`, an exit's proceeds
 * `q`) and the valuation marks `Q`, then sums in memory. It reads no series
 * history, so the offline audit's latest-only state answers it as of the
 * end. The reversals (`z`, few) are read first, once; a feed's identity is
 * looked up once for its run of records. */
#include <stdlib.h>
#include <string.h>

#include "amount.h"
#include "crypto/cf_error.h"
#include "returns.h"
#include "rules.h"
#include "query.h"

__extension__ typedef __int128 wide;

/* A contribution, match or exit standing as of as_of. */
typedef struct {
    uint8_t identity[32];
    char project[STATE_ID_CAP];
    char program[STATE_ID_CAP]; /* a match's */
    enum entry_type type;
    uint64_t time_ms;
    int64_t cost_fen;     /* + put in, - taken out, at cost */
    int64_t proceeds_fen; /* an exit's */
} ret_item;

/* A holder's residual value in one project. */
typedef struct {
    uint8_t identity[32];
    char project[STATE_ID_CAP];
    int64_t position_fen, residual_fen;
} ret_residual;

/* What an operator's matches under one program deployed in a project. */
typedef struct {
    uint8_t identity[32];
    char program[STATE_ID_CAP];
    char project[STATE_ID_CAP];
    int64_t deployed_fen;
} ret_deployed;

/* An entry reversed (state_reversed_each): by (author, index). */
typedef struct {
    uint8_t author[32];
    uint64_t index, time_ms;
} ret_reversal;

typedef struct {
    const ledger_kv *kv;
    uint64_t as_of, value_ms;
    ret_reversal *revs;
    size_t nrevs, revs_cap;
    bool have_author; /* author's identity, the last looked up */
    uint8_t author[32], identity[32];
    ret_item *items;
    size_t nitems, items_cap;
    state_valuation *marks;
    size_t nmarks, marks_cap;
    ret_residual *res;
    size_t nres, res_cap;
    ret_deployed *dep;
    size_t ndep, dep_cap;
    returns_flow *flows;
    size_t nflows, flows_cap;
} ret_ctx;

static int grow(void **p, size_t *cap, size_t n, size_t size)
{
    if (n < *cap) return CF_OK;
    size_t next = *cap ? *cap * 2 : 64;
    void *q = realloc(*p, next * size);
    if (q == NULL) return CF_ENOMEM;
    *p = q;
    *cap = next;
    return CF_OK;
}

static int on_reversal(void *arg, const uint8_t author[32], uint64_t index,
                       const state_reversal *r)
{
    ret_ctx *c = arg;
    int err = grow((void **)&c->revs, &c->revs_cap, c->nrevs, sizeof *c->revs);
    if (err) return err;
    ret_reversal *x = &c->revs[c->nrevs++];
    memcpy(x->author, author, 32);
    x->index = index;
    x->time_ms = r->time_ms;
    return CF_OK;
}

/* query_reversed_by's answer, from the reversals read. */
static bool reversed_by(const ret_ctx *c, const uint8_t author[32], uint64_t index)
{
    size_t lo = 0, hi = c->nrevs;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        const ret_reversal *x = &c->revs[mid];
        int d = memcmp(x->author, author, 32);
        if (d == 0 && x->index == index) return x->time_ms <= c->as_of;
        if (d < 0 || (d == 0 && x->index < index)) lo = mid + 1;
        else hi = mid;
    }
    return false;
}

static int add_item(ret_ctx *c, const uint8_t author[32], uint64_t index, uint64_t time_ms,
                    ret_item *it)
{
    int err;
    if (time_ms > c->as_of || reversed_by(c, author, index)) return CF_OK;
    if (!c->have_author || memcmp(c->author, author, 32) != 0) {
        if ((err = query_identity(c->kv, author, c->identity)) != 0) return err;
        memcpy(c->author, author, 32);
        c->have_author = true;
    }
    memcpy(it->identity, c->identity, 32);
    it->time_ms = time_ms;
    if ((err = grow((void **)&c->items, &c->items_cap, c->nitems, sizeof *c->items)) != 0)
        return err;
    c->items[c->nitems++] = *it;
    return CF_OK;
}

static int on_contribution(void *arg, const state_contribution *sc)
{
    ret_item it = {.type = ENTRY_CONTRIBUTION, .cost_fen = sc->amount_fen};
    memcpy(it.project, sc->project, sizeof it.project);
    return add_item(arg, sc->author, sc->index, sc->time_ms, &it);
}

static int on_entry_rec(void *arg, const state_entry_rec *r)
{
    ret_ctx *c = arg;
    ret_item it = {.type = r->type};
    if (r->type == ENTRY_MATCH) {
        it.cost_fen = r->amount_fen;
        memcpy(it.program, r->program, sizeof it.program);
    } else if (r->type == ENTRY_EXIT) {
        it.cost_fen = -r->amount_fen;
        int err = state_proceeds_get(c->kv, r->author, r->index, &it.proceeds_fen);
        if (err == CF_ENOTFOUND) it.proceeds_fen = r->amount_fen;
        else if (err) return err;
    } else {
        return CF_OK;
    }
    memcpy(it.project, r->project, sizeof it.project);
    return add_item(c, r->author, r->index, r->time_ms, &it);
}

static int on_mark(void *arg, const state_valuation *v)
{
    ret_ctx *c = arg;
    if (v->time_ms > c->as_of) return CF_OK;
    int err = grow((void **)&c->marks, &c->marks_cap, c->nmarks, sizeof *c->marks);
    if (err) return err;
    c->marks[c->nmarks++] = *v;
    return CF_OK;
}

/* The project's latest mark by as_of: the greatest (time, author, index). */
static const state_valuation *latest_mark(const ret_ctx *c, const char *project)
{
    const state_valuation *best = NULL;
    for (size_t i = 0; i < c->nmarks; i++) {
        const state_valuation *v = &c->marks[i];
        if (strcmp(v->project, project) != 0) continue;
        if (best == NULL || v->time_ms > best->time_ms ||
            (v->time_ms == best->time_ms &&
             (memcmp(v->author, best->author, 32) > 0 ||
              (memcmp(v->author, best->author, 32) == 0 && v->index > best->index))))
            best = v;
    }
    return best;
}

static int by_project_identity(const void *a, const void *b)
{
    const ret_item *x = a, *y = b;
    int d = strcmp(x->project, y->project);
    return d ? d : memcmp(x->identity, y->identity, 32);
}

static bool fits(wide v) { return v >= INT64_MIN && v <= INT64_MAX; }

/* Adds a match to the deployed table. Items come by (project, identity):
 * the rows of the match's (project, identity) are the table's last. */
static int count_deployed(ret_ctx *c, const ret_item *it)
{
        if (it->type != ENTRY_MATCH) return CF_OK;
    for (size_t i = c->ndep; i-- > 0;) {
        ret_deployed *d = &c->dep[i];
        if (strcmp(d->project, it->project) != 0 || memcmp(d->identity, it->identity, 32) != 0)
            break; /* the rows of this group are the table's last */
        if (strcmp(d->program, it->program) == 0) {
            if (!amount_add(d->deployed_fen, it->cost_fen, &d->deployed_fen))
                return CF_EOVERFLOW;
            return CF_OK;
        }
    }
    int err = grow((void **)&c->dep, &c->dep_cap, c->ndep, sizeof *c->dep);
    if (err) return err;
    ret_deployed *d = &c->dep[c->ndep++];
    memcpy(d->identity, it->identity, 32);
    memcpy(d->program, it->program, sizeof d->program);
    memcpy(d->project, it->project, sizeof d->project);
    d->deployed_fen = it->cost_fen;
    return CF_OK;
}

/* Each project's value as of as_of and each holder's share of it. */
static int residuals(ret_ctx *c)
{
    if (c->nitems > 1) qsort(c->items, c->nitems, sizeof *c->items, by_project_identity);
    for (size_t i = 0; i < c->nitems;) {
        size_t end = i;
        wide total = 0, after = 0;
        const state_valuation *m = latest_mark(c, c->items[i].project);
        for (; end < c->nitems && strcmp(c->items[end].project, c->items[i].project) == 0;
             end++) {
            total += c->items[end].cost_fen;
            if (m && c->items[end].time_ms > m->time_ms) after += c->items[end].cost_fen;
        }
        wide value = m ? m->value_fen + after : total;
        if (value < 0) value = 0;
        if (!fits(total) || !fits(value)) return CF_EOVERFLOW;
        for (size_t j = i; j < end;) {
            size_t k = j;
            wide pos = 0;
            for (; k < end && memcmp(c->items[k].identity, c->items[j].identity, 32) == 0; k++) {
                pos += c->items[k].cost_fen;
                int err = count_deployed(c, &c->items[k]);
                if (err) return err;
            }
            if (pos > 0 && total > 0) {
                int err = grow((void **)&c->res, &c->res_cap, c->nres, sizeof *c->res);
                if (err) return err;
                ret_residual *r = &c->res[c->nres++];
                memcpy(r->identity, c->items[j].identity, 32);
                memcpy(r->project, c->items[j].project, sizeof r->project);
                r->position_fen = (int64_t)pos;
                r->residual_fen = (int64_t)(value * pos / total);
            }
            j = k;
        }
        i = end;
    }
    return CF_OK;
}

static int flow(ret_ctx *c, uint64_t time_ms, wide amount)
{
    if (amount == 0) return CF_OK;
    if (!fits(amount)) return CF_EOVERFLOW;
    int err = grow((void **)&c->flows, &c->flows_cap, c->nflows, sizeof *c->flows);
    if (err) return err;
    c->flows[c->nflows++] = (returns_flow){time_ms, (int64_t)amount};
    return CF_OK;
}

/* MOIC and IRR of r over c->flows, the residual added at r->value_ms. */
static int finish(ret_ctx *c, query_return *r, wide paid, wide dist, wide res)
{
    if (!fits(paid) || !fits(dist) || !fits(res)) return CF_EOVERFLOW;
    r->paid_in_fen = (int64_t)paid;
    r->distributed_fen = (int64_t)dist;
    r->residual_fen = (int64_t)res;
    int err = flow(c, r->value_ms, res);
    if (err) return err;
    r->nflows = c->nflows;
    r->has_moic = returns_moic(r->paid_in_fen, r->distributed_fen, r->residual_fen,
                               &r->moic) == CF_OK;
    r->has_irr = c->nflows > 0 && returns_xirr(c->flows, c->nflows, &r->irr) == CF_OK;
    return CF_OK;
}

/* A holder's row over its items [first, end) (items by identity), its
 * residual value res. */
static int holder_row(ret_ctx *c, size_t first, size_t end, wide res, query_return *r)
{
    wide paid = 0, dist = 0;
    int err;
    c->nflows = 0;
    for (size_t i = first; i < end; i++) {
        const ret_item *it = &c->items[i];
        if (it->type == ENTRY_EXIT) {
            dist += it->proceeds_fen;
            err = flow(c, it->time_ms, it->proceeds_fen);
        } else {
            paid += it->cost_fen;
            err = flow(c, it->time_ms, -(wide)it->cost_fen);
        }
        if (err) return err;
    }
    return finish(c, r, paid, dist, res);
}

/* What identity's matches under program (every program: NULL) deployed in
 * project. */
static wide deployed(const ret_ctx *c, const uint8_t identity[32], const char *program,
                     const char *project)
{
    wide sum = 0;
    for (size_t i = 0; i < c->ndep; i++) {
        const ret_deployed *d = &c->dep[i];
        if (strcmp(d->project, project) == 0 && memcmp(d->identity, identity, 32) == 0 &&
            (program == NULL || strcmp(d->program, program) == 0))
            sum += d->deployed_fen;
    }
    return sum;
}

/* A program's row: its matches paid in; of its operator's exits' proceeds
 * and residual value in each project, the share it deployed there. */
static int program_row(ret_ctx *c, const state_program *pg, query_return *r)
{
    uint8_t op[32];
    wide paid = 0, dist = 0, res = 0;
    int err = query_identity(c->kv, pg->operator_key, op);
    if (err) return err;
    c->nflows = 0;
    r->is_program = true;
    memcpy(r->program, pg->id, sizeof r->program);
    for (size_t i = 0; i < c->nitems; i++) {
        const ret_item *it = &c->items[i];
        if (it->type != ENTRY_MATCH || strcmp(it->program, pg->id) != 0) continue;
        paid += it->cost_fen;
        if ((err = flow(c, it->time_ms, -(wide)it->cost_fen)) != 0) return err;
    }
    for (size_t i = 0; i < c->nitems; i++) {
        const ret_item *it = &c->items[i];
        if (it->type != ENTRY_EXIT || memcmp(it->identity, op, 32) != 0) continue;
        wide mine = deployed(c, op, pg->id, it->project), all = deployed(c, op, NULL, it->project);
        if (mine <= 0 || all <= 0) continue;
        wide part = (wide)it->proceeds_fen * mine / all;
        dist += part;
        if ((err = flow(c, it->time_ms, part)) != 0) return err;
    }
    for (size_t i = 0; i < c->nres; i++) {
        const ret_residual *x = &c->res[i];
        if (memcmp(x->identity, op, 32) != 0) continue;
        wide mine = deployed(c, op, pg->id, x->project), all = deployed(c, op, NULL, x->project);
        if (mine > 0 && all > 0) res += (wide)x->residual_fen * mine / all;
    }
    return finish(c, r, paid, dist, res);
}

/* A holder: its items [first, end) once they are sorted by identity. */
typedef struct {
    uint8_t identity[32];
    char name[STATE_ID_CAP];
    size_t first, end;
    wide residual_fen;
} ret_holder;

static int by_identity(const void *a, const void *b)
{
    const ret_item *x = a, *y = b;
    return memcmp(x->identity, y->identity, 32);
}

static int res_by_identity(const void *a, const void *b)
{
    const ret_residual *x = a, *y = b;
    return memcmp(x->identity, y->identity, 32);
}

static int by_name(const void *a, const void *b)
{
    const ret_holder *x = a, *y = b;
    int d = strcmp(x->name, y->name);
    return d ? d : memcmp(x->identity, y->identity, 32);
}

/* Every holder's row by name (holder: only its own, zeros when it has no
 * flows). */
static int holder_rows(ret_ctx *c, const uint8_t *holder, query_return_fn fn, void *arg)
{
    ret_holder *hs = calloc(c->nitems + 1, sizeof *hs);
    size_t n = 0;
    int err = CF_OK;
    if (hs == NULL) return CF_ENOMEM;
    /* Items and residuals by identity, walked together: every holder with
     * a residual has items. */
    if (c->nitems > 1) qsort(c->items, c->nitems, sizeof *c->items, by_identity);
    if (c->nres > 1) qsort(c->res, c->nres, sizeof *c->res, res_by_identity);
    for (size_t i = 0, r = 0; i < c->nitems;) {
        const uint8_t *id = c->items[i].identity;
        size_t end = i;
        wide res = 0;
        while (end < c->nitems && memcmp(c->items[end].identity, id, 32) == 0) end++;
        while (r < c->nres && memcmp(c->res[r].identity, id, 32) < 0) r++;
        for (; r < c->nres && memcmp(c->res[r].identity, id, 32) == 0; r++)
            res += c->res[r].residual_fen;
        if (holder == NULL || memcmp(holder, id, 32) == 0) {
            hs[n] = (ret_holder){.first = i, .end = end, .residual_fen = res};
            memcpy(hs[n++].identity, id, 32);
        }
        i = end;
    }
    if (holder != NULL && n == 0) {
        memcpy(hs[0].identity, holder, 32);
        n = 1;
    }
    for (size_t i = 0; i < n; i++)
        ledger_member_label(c->kv, hs[i].identity, hs[i].name, sizeof hs[i].name);
    qsort(hs, n, sizeof *hs, by_name);
    for (size_t i = 0; i < n && err == CF_OK; i++) {
        query_return r = {.value_ms = c->value_ms};
        memcpy(r.holder, hs[i].identity, 32);
        err = holder_row(c, hs[i].first, hs[i].end, hs[i].residual_fen, &r);
        if (err == CF_OK) err = fn(arg, &r);
    }
    free(hs);
    return err;
}

struct program_list {
    state_program *pgs;
    size_t n, cap;
};

static int on_program(void *arg, const state_program *pg)
{
    struct program_list *l = arg;
    if (pg->pkind != PROGRAM_MATCH) return CF_OK;
    int err = grow((void **)&l->pgs, &l->cap, l->n, sizeof *l->pgs);
    if (err == CF_OK) l->pgs[l->n++] = *pg;
    return err;
}

int query_returns(const ledger_kv *kv, const uint8_t *holder, const char *program,
                  uint64_t as_of, uint64_t value_ms, query_return_fn fn, void *arg)
{
    ret_ctx c = {.kv = kv, .as_of = as_of};
    struct program_list pl = {0};
    int err = state_reversed_each(kv, on_reversal, &c);
    if (err == CF_OK) err = state_contributions_each(kv, on_contribution, &c);
    if (err == CF_OK) err = state_entry_recs_each(kv, on_entry_rec, &c);
    if (err == CF_OK) err = state_valuations_each(kv, on_mark, &c);
    if (err == CF_OK) err = state_programs_each(kv, on_program, &pl);
    if (err == CF_OK) err = residuals(&c);
    for (size_t i = 0; i < c.nitems; i++)
        if (c.items[i].time_ms > value_ms) value_ms = c.items[i].time_ms;
    c.value_ms = value_ms;
    if (err == CF_OK && program != NULL) {
        bool found = false;
        for (size_t i = 0; i < pl.n; i++) found = found || strcmp(pl.pgs[i].id, program) == 0;
        if (!found) err = CF_ENOTFOUND;
    }
    if (err == CF_OK && (holder != NULL || program == NULL))
        err = holder_rows(&c, holder, fn, arg);
    for (size_t i = 0; i < pl.n && err == CF_OK; i++) {
        if (program ? strcmp(pl.pgs[i].id, program) != 0 : holder != NULL) continue;
        query_return r = {.value_ms = value_ms};
        err = program_row(&c, &pl.pgs[i], &r);
        if (err == CF_OK) err = fn(arg, &r);
    }
    free(c.revs);
    free(c.items);
    free(c.marks);
    free(c.res);
    free(c.dep);
    free(c.flows);
    free(pl.pgs);
    return err;
}
