/* query.c — see query.h. */
#include "query.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "amount.h"
#include "crypto/cf_error.h"
#include "crypto/cf_util.h"
#include "rules.h"

/* Decode a length-prefixed identifier at the start of rest. */
static int take_id(const uint8_t *rest, size_t len, char out[STATE_ID_CAP], size_t *used)
{
    if (len < 1 || rest[0] >= STATE_ID_CAP || (size_t)rest[0] + 1 > len) return CF_ESTORE_CORRUPT;
    memcpy(out, rest + 1, rest[0]);
    out[rest[0]] = '\0';
    *used = 1 + (size_t)rest[0];
    return CF_OK;
}

/* ---- positions ----------------------------------------------------------- */

/* One scan of a project's position series: the rows are kept while the
 * project total is summed, then emitted with it, by holder name. */
typedef struct {
    uint8_t holder[32];
    char name[STATE_ID_CAP];
    int64_t amount_fen, exited_fen;
} pos_row;

typedef struct {
    pos_row *rows;
    size_t n, cap;
} pos_rows;

struct pos_ctx {
    const ledger_kv *kv;
    const uint8_t *holder;
    const char *project; /* NULL: every project */
    uint64_t as_of;
    query_position_fn fn;
    void *arg;
    query_position row;
    pos_rows rows;  /* this project's rows to emit */
    query_holders holders;
};

static pos_row *pos_add(pos_rows *r, const uint8_t holder[32])
{
    if (cf_reserve((void **)&r->rows, &r->cap, r->n, sizeof *r->rows, 16) != CF_OK) return NULL;
    pos_row *p = &r->rows[r->n++];
    memset(p, 0, sizeof *p);
    memcpy(p->holder, holder, 32);
    return p;
}

static int pos_visit(void *arg, const uint8_t *rest, size_t len, int64_t value)
{
    struct pos_ctx *c = arg;
    if (len != 32) return CF_ESTORE_CORRUPT;
    if (!amount_add(c->row.project_total_fen, value, &c->row.project_total_fen))
        return CF_EOVERFLOW;
    /* A series at 0: a holder that exited whole, or one with nothing yet
     * (or a reversed contribution): kept until its exits tell. */
    if (c->holder && memcmp(c->holder, rest, 32) != 0) return CF_OK;
    pos_row *p = pos_add(&c->rows, rest);
    if (p == NULL) return CF_ENOMEM;
    p->amount_fen = value;
    return CF_OK;
}

static int pos_by_name(const void *a, const void *b)
{
    const pos_row *x = a, *y = b;
    int n = strcmp(x->name, y->name);
    return n ? n : memcmp(x->holder, y->holder, 32);
}

static int positions_in(struct pos_ctx *c, const char *project)
{
    snprintf(c->row.project, sizeof c->row.project, "%s", project);
    c->row.project_total_fen = 0;
    c->rows.n = 0;
    int err = state_series_each(c->kv, SERIES_POSITION, project, c->as_of, pos_visit, c);
    if (err) return err;
    /* What each exited; a holder that exited whole holds nothing but keeps
     * its row: what it put in and took out. */
    size_t n = 0;
    for (size_t i = 0; i < c->rows.n; i++) {
        pos_row *r = &c->rows.rows[i];
        if ((err = query_exited(&c->holders, r->holder, project, r->amount_fen, &r->exited_fen)) != 0)
            return err;
        if (r->amount_fen == 0 && r->exited_fen == 0) continue;
        query_holder_name(&c->holders, r->holder, r->name);
        c->rows.rows[n++] = *r;
    }
    c->rows.n = n;
    if (c->rows.n > 1) qsort(c->rows.rows, c->rows.n, sizeof *c->rows.rows, pos_by_name);
    for (size_t i = 0; i < c->rows.n; i++) {
        state_series s;
        const pos_row *r = &c->rows.rows[i];
        memcpy(c->row.holder, r->holder, 32);
        c->row.amount_fen = r->amount_fen;
        c->row.exited_fen = r->exited_fen;
        if (!amount_add(r->amount_fen, r->exited_fen, &c->row.invested_fen)) return CF_EOVERFLOW;
        state_series_holder(&s, SERIES_POSITION_DISPUTED, project, c->row.holder);
        if ((err = state_series_at(c->kv, &s, c->as_of, &c->row.disputed_fen)) != 0) return err;
        if ((err = c->fn(c->arg, &c->row)) != 0) return err;
    }
    return CF_OK;
}

static int pos_project(void *arg, const state_project *p)
{
    return positions_in(arg, p->id);
}

int query_positions(const ledger_kv *kv, const uint8_t *holder, const char *project,
                    uint64_t as_of, query_position_fn fn, void *arg)
{
    struct pos_ctx c = {.kv = kv, .holder = holder, .project = project, .as_of = as_of,
                        .fn = fn, .arg = arg};
    int err = query_holders_load(kv, project, as_of, &c.holders);
    if (err == CF_OK)
        err = project ? positions_in(&c, project) : state_projects_each(kv, pos_project, &c);
    free(c.rows.rows);
    query_holders_free(&c.holders);
    return err;
}

/* ---- program status ------------------------------------------------------ */

/* Sums over several series can leave int64 even though each series cannot
 * (every total is overflow-checked by R-SUM): report it, never wrap. */
static int sum_visit(void *arg, const uint8_t *rest, size_t len, int64_t value)
{
    int64_t *sum = arg;
    (void)rest;
    (void)len;
    return amount_add(*sum, value, sum) ? CF_OK : CF_EOVERFLOW;
}

/* The series figures of a program as of as_of (exited and awaiting are
 * not series: filled by the callers). */
static int totals_at(const ledger_kv *kv, const char *program, uint64_t as_of, query_totals *out)
{
    state_series s;
    int err;
    memset(out, 0, sizeof *out);
    state_series_program(&s, SERIES_PROGRAM_DEPLOYED, program);
    if ((err = state_series_at(kv, &s, as_of, &out->deployed_fen)) != 0) return err;
    state_series_program(&s, SERIES_PROGRAM_COUNTER, program);
    if ((err = state_series_at(kv, &s, as_of, &out->counterpart_fen)) != 0) return err;
    state_series_program(&s, SERIES_PROGRAM_DISPUTED, program);
    if ((err = state_series_at(kv, &s, as_of, &out->disputed_fen)) != 0) return err;
    /* Requested is kept per contributor (rules_invest.c): sum them. */
    return state_series_each(kv, SERIES_PROGRAM_REQUESTED, program, as_of, sum_visit,
                             &out->requested_fen);
}

static int exited_sum(void *arg, const query_project *p)
{
    int64_t *sum = arg;
    return amount_add(*sum, p->t.exited_fen, sum) ? CF_OK : CF_EOVERFLOW;
}

/* The series figures and the exits, as of as_of. */
static int figures_at(const ledger_kv *kv, const char *program, uint64_t as_of, query_totals *out)
{
    int err = totals_at(kv, program, as_of, out);
    if (err) return err;
    return query_program_projects(kv, program, as_of, exited_sum, &out->exited_fen);
}

int query_program_totals_in(const ledger_kv *kv, const char *program, uint64_t from_ms,
                            uint64_t as_of, query_totals *out)
{
    state_program pg;
    query_totals before;
    int err = figures_at(kv, program, as_of, out);
    if (err) return err;
    if (from_ms > 0) {
        if ((err = figures_at(kv, program, from_ms - 1, &before)) != 0) return err;
        out->deployed_fen -= before.deployed_fen;
        out->counterpart_fen -= before.counterpart_fen;
        out->requested_fen -= before.requested_fen;
        out->disputed_fen -= before.disputed_fen;
        out->exited_fen -= before.exited_fen;
    }
    err = state_program_get(kv, program, strlen(program), &pg);
    if (err == CF_ENOTFOUND) return CF_OK; /* nothing asked it */
    /* the ratio in force then (R-AMEND) */
    if (err == CF_OK) err = state_terms_in_force(kv, &pg, as_of, UINT64_MAX, NULL, NULL);
    if (err) return err;
    /* Awaiting, as of as_of: what R-MATCH.4 allows on all the counterpart
     * capital that asked (rounded down once, not per contribution) minus the
     * checked allocations, which all stand on such capital (R-MATCH.2). */
    query_totals now = *out;
    if (from_ms > 0 && (err = totals_at(kv, program, as_of, &now)) != 0) return err;
    if (pg.pkind != PROGRAM_MATCH || pg.ratio_den == 0) return CF_OK;
    __extension__ __int128 allowed = (__int128)now.requested_fen * pg.ratio_num / pg.ratio_den;
    __int128 left = allowed - (now.deployed_fen - now.disputed_fen);
    out->awaiting_fen = left <= 0 ? 0 : left > INT64_MAX ? INT64_MAX : (int64_t)left;
    return CF_OK;
}

int query_program_totals(const ledger_kv *kv, const char *program, uint64_t as_of,
                         query_totals *out)
{
    return query_program_totals_in(kv, program, 0, as_of, out);
}

/* Years and projects: the deployed series lists the keys; the counterpart
 * series with the same key gives the other column. */
struct split_ctx {
    const ledger_kv *kv;
    const char *program;
    uint64_t from_ms, as_of;
    bool by_year;
    query_year_fn year_fn;
    query_project_fn project_fn;
    void *arg;
    bool has_pg;
    state_program pg; /* for the exits */
};

/* A project's figures as of as_of (deployed given). */
static int project_at(struct split_ctx *c, const char *project, uint64_t as_of,
                      int64_t deployed, query_totals *t)
{
    state_series s;
    int err;
    memset(t, 0, sizeof *t);
    t->deployed_fen = deployed;
    state_series_project(&s, SERIES_PROJECT_COUNTER, c->program, project);
    if ((err = state_series_at(c->kv, &s, as_of, &t->counterpart_fen)) != 0) return err;
    state_series_project(&s, SERIES_PROJECT_DISPUTED, c->program, project);
    if ((err = state_series_at(c->kv, &s, as_of, &t->disputed_fen)) != 0) return err;
    if (!c->has_pg || deployed <= 0) return CF_OK;
    return query_program_exited(c->kv, &c->pg, project, as_of, deployed, &t->exited_fen);
}

static int split_visit(void *arg, const uint8_t *rest, size_t len, int64_t value)
{
    struct split_ctx *c = arg;
    state_series s;
    int err;
    if (c->by_year) {
        query_year y = {0};
        if (len != 2) return CF_ESTORE_CORRUPT;
        y.year = (int)((unsigned)rest[0] << 8 | rest[1]);
        y.t.deployed_fen = value;
        state_series_year(&s, SERIES_YEAR_COUNTER, c->program, y.year);
        if ((err = state_series_at(c->kv, &s, c->as_of, &y.t.counterpart_fen)) != 0) return err;
        if (value == 0 && y.t.counterpart_fen == 0) return CF_OK;
        return c->year_fn(c->arg, &y);
    }
    query_project p = {0};
    size_t used;
    if ((err = take_id(rest, len, p.project, &used)) != 0 || used != len) return CF_ESTORE_CORRUPT;
    p.deployed_total_fen = value;
    if ((err = project_at(c, p.project, c->as_of, value, &p.t)) != 0) return err;
    p.exited_total_fen = p.t.exited_fen;
    if (value == 0 && p.t.counterpart_fen == 0) return CF_OK;
    if (c->from_ms > 0) { /* the period's: what changed in it */
        query_totals before;
        int64_t dep0;
        state_series_project(&s, SERIES_PROJECT_DEPLOYED, c->program, p.project);
        if ((err = state_series_at(c->kv, &s, c->from_ms - 1, &dep0)) != 0 ||
            (err = project_at(c, p.project, c->from_ms - 1, dep0, &before)) != 0)
            return err;
        p.t.deployed_fen -= before.deployed_fen;
        p.t.counterpart_fen -= before.counterpart_fen;
        p.t.disputed_fen -= before.disputed_fen;
        p.t.exited_fen -= before.exited_fen;
    }
    return c->project_fn(c->arg, &p);
}

int query_program_years(const ledger_kv *kv, const char *program, uint64_t as_of,
                        query_year_fn fn, void *arg)
{
    struct split_ctx c = {.kv = kv, .program = program, .as_of = as_of, .by_year = true,
                          .year_fn = fn, .arg = arg};
    return state_series_each(kv, SERIES_YEAR_DEPLOYED, program, as_of, split_visit, &c);
}

int query_program_projects_in(const ledger_kv *kv, const char *program, uint64_t from_ms,
                              uint64_t as_of, query_project_fn fn, void *arg)
{
    struct split_ctx c = {.kv = kv, .program = program, .from_ms = from_ms, .as_of = as_of,
                          .project_fn = fn, .arg = arg};
    int err = state_program_get(kv, program, strlen(program), &c.pg);
    if (err == CF_OK) /* the cap and budget in force then (R-AMEND) */
        err = state_terms_in_force(kv, &c.pg, as_of, UINT64_MAX, NULL, NULL);
    if (err != CF_OK && err != CF_ENOTFOUND) return err;
    c.has_pg = err == CF_OK;
    return state_series_each(kv, SERIES_PROJECT_DEPLOYED, program, as_of, split_visit, &c);
}

int query_program_projects(const ledger_kv *kv, const char *program, uint64_t as_of,
                           query_project_fn fn, void *arg)
{
    return query_program_projects_in(kv, program, 0, as_of, fn, arg);
}

double query_leverage(const query_totals *t)
{
    return t->deployed_fen > 0 ? (double)t->counterpart_fen / (double)t->deployed_fen : 0.0;
}

/* ---- forks (R-FORK) ----------------------------------------------------------- */

struct forks_text {
    const ledger_kv *kv;
    char *out;
    size_t cap, len;
};

static int fork_text_visit(void *arg, const uint8_t author[32], uint64_t point)
{
    struct forks_text *c = arg;
    char who[STATE_ID_CAP];
    ledger_member_label(c->kv, author, who, sizeof who);
    if (c->len >= c->cap) return CF_OK;
    int n = snprintf(c->out + c->len, c->cap - c->len, "%s%s's feed from entry %llu",
                     c->len ? ", " : "", who, (unsigned long long)point);
    if (n > 0) c->len += (size_t)n;
    return CF_OK;
}

void query_forks_text(const ledger_kv *kv, char *out, size_t cap)
{
    struct forks_text c = {kv, out, cap, 0};
    if (cap == 0) return;
    out[0] = '\0';
    if (state_forks_each(kv, fork_text_visit, &c) != CF_OK || c.len == 0)
        snprintf(out, cap, "a feed proven forked");
}
