/* query_instruments.c — pools, leases and awards (query.h): pure reads of
 * the ledger state, "as of" any time. Pool figures are series (one floor
 * lookup each); leases, awards and loans are records that carry their time,
 * filtered by it. */
#include "query.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "amount.h"
#include "crypto/cf_error.h"

static int series_value(const ledger_kv *kv, enum state_series_kind kind, const char *program,
                        const char *bank, uint64_t as_of, int64_t *out)
{
    state_series s;
    if (bank) state_series_project(&s, kind, program, bank);
    else state_series_program(&s, kind, program);
    return state_series_at(kv, &s, as_of, out);
}

/* ---- pools ----------------------------------------------------------------- */

struct bank_sum {
    const ledger_kv *kv;
    const char *program;
    uint64_t as_of;
    query_pool *pool;         /* sums over banks, or */
    query_pool_bank_fn fn;    /* each bank */
    void *arg;
};

static int take_name(const uint8_t *rest, size_t len, char out[STATE_ID_CAP])
{
    if (len < 1 || rest[0] >= STATE_ID_CAP || (size_t)rest[0] + 1 != len) return CF_ESTORE_CORRUPT;
    memcpy(out, rest + 1, rest[0]);
    out[rest[0]] = '\0';
    return CF_OK;
}

static int bank_visit(void *arg, const uint8_t *rest, size_t len, int64_t lent)
{
    struct bank_sum *c = arg;
    query_pool_bank b = {.lent_fen = lent};
    int err = take_name(rest, len, b.bank);
    if (err) return err;
    const struct {
        enum state_series_kind kind;
        int64_t *out;
    } figs[] = {
        {SERIES_BANK_REPAID, &b.repaid_fen},
        {SERIES_BANK_LOSS, &b.loss_fen},
        {SERIES_BANK_DEFAULTS, &b.defaults},
        {SERIES_BANK_GUARANTEED, &b.guaranteed_fen},
        {SERIES_BANK_RELEASED, &b.released_fen},
        {SERIES_BANK_COMPENSATED, &b.compensated_fen},
    };
    for (size_t i = 0; i < sizeof figs / sizeof figs[0]; i++)
        if ((err = series_value(c->kv, figs[i].kind, c->program, b.bank, c->as_of,
                                figs[i].out)) != 0)
            return err;
    b.outstanding_fen = b.guaranteed_fen - b.released_fen;
    if (c->fn) return c->fn(c->arg, &b);
    query_pool *p = c->pool;
    if (!amount_add(p->lent_fen, b.lent_fen, &p->lent_fen) ||
        !amount_add(p->repaid_fen, b.repaid_fen, &p->repaid_fen) ||
        !amount_add(p->loss_fen, b.loss_fen, &p->loss_fen) ||
        !amount_add(p->defaults, b.defaults, &p->defaults))
        return CF_EOVERFLOW;
    return CF_OK;
}

int query_pool_totals(const ledger_kv *kv, const state_program *pool, uint64_t as_of,
                      query_pool *out)
{
    const struct {
        enum state_series_kind kind;
        int64_t *out;
    } figs[] = {
        {SERIES_POOL_DEPOSITED, &out->deposited_fen},
        {SERIES_POOL_WITHDRAWN, &out->withdrawn_fen},
        {SERIES_POOL_COMPENSATED, &out->compensated_fen},
        {SERIES_POOL_GUARANTEED, &out->guaranteed_fen},
        {SERIES_POOL_RELEASED, &out->released_fen},
    };
    int err;
    memset(out, 0, sizeof *out);
    for (size_t i = 0; i < sizeof figs / sizeof figs[0]; i++)
        if ((err = series_value(kv, figs[i].kind, pool->id, NULL, as_of, figs[i].out)) != 0)
            return err;
    /* Each is bounded by deposited / guaranteed (R-POOL.6): no overflow. */
    out->balance_fen = out->deposited_fen - out->withdrawn_fen - out->compensated_fen;
    out->outstanding_fen = out->guaranteed_fen - out->released_fen;
    int64_t bound = out->balance_fen <= 0 ? 0
                    : out->balance_fen > INT64_MAX / (int64_t)(pool->leverage ? pool->leverage : 1)
                        ? INT64_MAX
                        : (int64_t)pool->leverage * out->balance_fen;
    out->headroom_fen = bound - out->outstanding_fen;
    struct bank_sum c = {kv, pool->id, as_of, out, NULL, NULL};
    return state_series_each(kv, SERIES_BANK_LENT, pool->id, as_of, bank_visit, &c);
}

int query_pool_banks(const ledger_kv *kv, const char *program, uint64_t as_of,
                     query_pool_bank_fn fn, void *arg)
{
    struct bank_sum c = {kv, program, as_of, NULL, fn, arg};
    return state_series_each(kv, SERIES_BANK_LENT, program, as_of, bank_visit, &c);
}

/* ---- leases ---------------------------------------------------------------- */

/* A record dated time_ms, reversed at reversed_ms (0: never), counts as of
 * as_of (R-REVERSE). */
static bool stands_at(uint64_t time_ms, uint64_t reversed_ms, uint64_t as_of)
{
    return time_ms <= as_of && (reversed_ms == 0 || reversed_ms > as_of);
}

struct lease_filter {
    const char *program;
    uint64_t as_of;
    state_lease_visit_fn fn;
    void *arg;
    query_lease_totals *sum;
};

static int lease_visit(void *arg, const state_lease *l)
{
    struct lease_filter *c = arg;
    if (!stands_at(l->time_ms, l->reversed_ms, c->as_of) ||
        (c->program && strcmp(c->program, l->program) != 0))
        return CF_OK;
    if (c->fn) return c->fn(c->arg, l);
    query_lease_totals *t = c->sum;
    t->count++;
    if (!amount_add(t->price_fen, l->price_fen, &t->price_fen)) return CF_EOVERFLOW;
    for (int i = 0; i < LEASE__PARTS; i++)
        if (!amount_add(t->part_fen[i], l->part_fen[i], &t->part_fen[i])) return CF_EOVERFLOW;
    return CF_OK;
}

int query_leases(const ledger_kv *kv, const char *project, const char *program,
                 uint64_t as_of, state_lease_visit_fn fn, void *arg)
{
    struct lease_filter c = {program, as_of, fn, arg, NULL};
    return state_leases_each(kv, project, lease_visit, &c);
}

int query_lease_sum(const ledger_kv *kv, const char *project, const char *program,
                    uint64_t as_of, query_lease_totals *out)
{
    memset(out, 0, sizeof *out);
    struct lease_filter c = {program, as_of, NULL, NULL, out};
    return state_leases_each(kv, project, lease_visit, &c);
}

/* ---- awards ---------------------------------------------------------------- */

/* The scan runs by (year, project, amount): one year's levels are gathered,
 * then emitted in increasing amount when the year changes. */
struct award_levels {
    uint64_t as_of;
    query_award_level_fn fn;
    void *arg;
    int year;
    size_t n;
    query_award_level rows[AWARD_LEVELS_MAX + 1];
};

static int flush_year(struct award_levels *c)
{
    int err = CF_OK;
    for (size_t i = 0; i < c->n && err == CF_OK; i++) err = c->fn(c->arg, &c->rows[i]);
    c->n = 0;
    return err;
}

static int award_visit(void *arg, const state_award *a)
{
    struct award_levels *c = arg;
    int err;
    if (!stands_at(a->time_ms, a->reversed_ms, c->as_of)) return CF_OK;
    if (c->n > 0 && a->year != c->year && (err = flush_year(c)) != 0) return err;
    c->year = a->year;
    size_t i = 0;
    while (i < c->n && c->rows[i].level_fen < a->amount_fen) i++;
    if (i == c->n || c->rows[i].level_fen != a->amount_fen) {
        /* the program's levels are at most AWARD_LEVELS_MAX (R-AWARD.1) */
        if (c->n > AWARD_LEVELS_MAX) return CF_ESTORE_CORRUPT;
        memmove(&c->rows[i + 1], &c->rows[i], (c->n - i) * sizeof c->rows[0]);
        c->rows[i] = (query_award_level){a->year, a->amount_fen, 0, 0};
        c->n++;
    }
    c->rows[i].count++;
    return amount_add(c->rows[i].total_fen, a->amount_fen, &c->rows[i].total_fen) ? CF_OK
                                                                                  : CF_EOVERFLOW;
}

int query_award_levels(const ledger_kv *kv, const char *program, uint64_t as_of,
                       query_award_level_fn fn, void *arg)
{
    struct award_levels c = {.as_of = as_of, .fn = fn, .arg = arg};
    int err = state_awards_each(kv, program, award_visit, &c);
    return err ? err : flush_year(&c);
}

/* ---- what projects received besides equity --------------------------------- */

struct others {
    const char *project;
    uint64_t as_of;
    query_project_other *rows;
    size_t n, cap;
    int err;
};

static query_project_other *other_row(struct others *c, const char *project)
{
    if (c->project && strcmp(c->project, project) != 0) return NULL;
    for (size_t i = 0; i < c->n; i++)
        if (strcmp(c->rows[i].project, project) == 0) return &c->rows[i];
    if (c->n == c->cap) {
        size_t cap = c->cap ? 2 * c->cap : 16;
        query_project_other *p = realloc(c->rows, cap * sizeof *p);
        if (p == NULL) {
            c->err = CF_ENOMEM;
            return NULL;
        }
        c->rows = p;
        c->cap = cap;
    }
    query_project_other *r = &c->rows[c->n++];
    memset(r, 0, sizeof *r);
    snprintf(r->project, sizeof r->project, "%s", project);
    return r;
}

static int add(int64_t *sum, int64_t v)
{
    return amount_add(*sum, v, sum) ? CF_OK : CF_EOVERFLOW;
}

static int other_award(void *arg, const state_award *a)
{
    struct others *c = arg;
    query_project_other *r =
        stands_at(a->time_ms, a->reversed_ms, c->as_of) ? other_row(c, a->project) : NULL;
    if (r == NULL) return c->err;
    r->awards++;
    return add(&r->award_fen, a->amount_fen);
}

static int other_lease(void *arg, const state_lease *l)
{
    struct others *c = arg;
    query_project_other *r =
        stands_at(l->time_ms, l->reversed_ms, c->as_of) ? other_row(c, l->project) : NULL;
    if (r == NULL) return c->err;
    r->leases++;
    int err = add(&r->lease_price_fen, l->price_fen);
    return err ? err : add(&r->lease_financing_fen, l->part_fen[LEASE_FINANCING]);
}

static int other_credit(void *arg, const state_credit *k)
{
    struct others *c = arg;
    query_project_other *r =
        stands_at(k->time_ms, k->reversed_ms, c->as_of) ? other_row(c, k->project) : NULL;
    if (r == NULL) return c->err;
    if (k->type == ENTRY_LOAN) {
        r->loans++;
        return add(&r->lent_fen, k->amount_fen);
    }
    return add(k->type == ENTRY_REPAY ? &r->repaid_fen : &r->loss_fen, k->amount_fen);
}

static int other_subsidy(void *arg, const state_subsidy *x)
{
    struct others *c = arg;
    query_project_other *r = x->time_ms <= c->as_of ? other_row(c, x->project) : NULL;
    if (r == NULL) return c->err;
    r->subsidies++;
    return add(&r->subsidy_fen, x->amount_fen);
}

static int by_project(const void *a, const void *b)
{
    return strcmp(((const query_project_other *)a)->project,
                  ((const query_project_other *)b)->project);
}

int query_projects_other(const ledger_kv *kv, const char *project, uint64_t as_of,
                         query_project_other_fn fn, void *arg)
{
    struct others c = {.project = project, .as_of = as_of};
    int err = state_awards_each(kv, NULL, other_award, &c);
    if (err == CF_OK) err = state_leases_each(kv, project, other_lease, &c);
    if (err == CF_OK) err = state_credits_each(kv, other_credit, &c);
    if (err == CF_OK) err = state_subsidies_each(kv, NULL, other_subsidy, &c);
    if (err == CF_OK && c.n > 0) qsort(c.rows, c.n, sizeof c.rows[0], by_project);
    for (size_t i = 0; err == CF_OK && i < c.n; i++) err = fn(arg, &c.rows[i]);
    free(c.rows);
    return err;
}

/* ---- subsidies --------------------------------------------------------------- */

/* A program's subsidies by year: a handful of years, kept in order. */
struct subsidy_sum {
    uint64_t as_of;
    query_subsidy_sum all;
    query_subsidy_year *years;
    size_t n, cap;
};

static int subsidy_visit(void *arg, const state_subsidy *x)
{
    struct subsidy_sum *c = arg;
    if (x->time_ms > c->as_of) return CF_OK;
    c->all.count++;
    int err = add(&c->all.paid_fen, x->amount_fen);
    if (err || c->cap == 0) return err;
    size_t i = 0;
    while (i < c->n && c->years[i].year < x->year) i++;
    if (i == c->n || c->years[i].year != x->year) {
        if (c->n == c->cap) {
            size_t cap = 2 * c->cap;
            query_subsidy_year *p = realloc(c->years, cap * sizeof *p);
            if (p == NULL) return CF_ENOMEM;
            c->years = p;
            c->cap = cap;
        }
        memmove(&c->years[i + 1], &c->years[i], (c->n - i) * sizeof c->years[0]);
        c->years[i] = (query_subsidy_year){.year = x->year};
        c->n++;
    }
    c->years[i].count++;
    return add(&c->years[i].paid_fen, x->amount_fen);
}

int query_subsidy_totals(const ledger_kv *kv, const char *program, uint64_t as_of,
                         query_subsidy_sum *out)
{
    struct subsidy_sum c = {.as_of = as_of};
    int err = state_subsidies_each(kv, program, subsidy_visit, &c);
    *out = c.all;
    return err;
}

int query_subsidy_years(const ledger_kv *kv, const char *program, uint64_t as_of,
                        query_subsidy_year_fn fn, void *arg)
{
    struct subsidy_sum c = {.as_of = as_of, .cap = 4};
    c.years = malloc(c.cap * sizeof *c.years);
    if (c.years == NULL) return CF_ENOMEM;
    int err = state_subsidies_each(kv, program, subsidy_visit, &c);
    for (size_t i = 0; err == CF_OK && i < c.n; i++) err = fn(arg, &c.years[i]);
    free(c.years);
    return err;
}
