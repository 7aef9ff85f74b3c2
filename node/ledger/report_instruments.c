/* report_instruments.c — the status of a pool, a leasing program and an
 * award program (report.h): their terms and figures as `cofund program
 * status` and the audit's "programs" write them; the matching programs' are
 * in report_fields.c, the subsidy programs' in report_subsidy.c. */
#include <stddef.h>
#include <stdio.h>
#include <string.h>

#include "amount.h"
#include "crypto/cf_error.h"
#include "report.h"
#include "report_internal.h"

/* ---- pools -------------------------------------------------------------------- */

static const report_field bank_fields[] = {
    {"bank", REPORT_TEXT, REPORT_AT_TEXT(query_pool_bank, bank)},
    {"lent", REPORT_AMOUNT, REPORT_AT_INT64(query_pool_bank, lent_fen)},
    {"guaranteed", REPORT_AMOUNT, REPORT_AT_INT64(query_pool_bank, guaranteed_fen)},
    {"released", REPORT_AMOUNT, REPORT_AT_INT64(query_pool_bank, released_fen)},
    {"outstanding", REPORT_AMOUNT, REPORT_AT_INT64(query_pool_bank, outstanding_fen)},
    {"repaid", REPORT_AMOUNT, REPORT_AT_INT64(query_pool_bank, repaid_fen)},
    {"defaults", REPORT_COUNT, REPORT_AT_INT64(query_pool_bank, defaults)},
    {"losses", REPORT_AMOUNT, REPORT_AT_INT64(query_pool_bank, loss_fen)},
    {"compensation_paid", REPORT_AMOUNT, REPORT_AT_INT64(query_pool_bank, compensated_fen)},
};
static const report_desc pool_bank = {bank_fields, N(bank_fields)};

struct rows_job {
    report_row_fn fn;
    void *arg;
};

static int bank_visit(void *arg, const query_pool_bank *b)
{
    struct rows_job *j = arg;
    return j->fn(j->arg, b);
}

static int pool_banks(const report_ctx *c, const void *row, report_row_fn fn, void *arg)
{
    struct rows_job j = {fn, arg};
    return query_pool_banks(c->kv, ((const report_program *)row)->pg->id, c->as_of, bank_visit, &j);
}

static void pool_leverage(const report_ctx *c, const void *row, report_value *v)
{
    (void)c;
    v->a = ((const report_program *)row)->pg->leverage;
}

static void pool_share(const report_ctx *c, const void *row, report_value *v)
{
    const state_program *pg = ((const report_program *)row)->pg;
    (void)c;
    v->a = pg->share_num;
    v->b = pg->share_den;
}

static void pool_size(const report_ctx *c, const void *row, report_value *v)
{
    const state_program *pg = ((const report_program *)row)->pg;
    (void)c;
    v->absent = !pg->has_size;
    v->a = pg->size_fen;
}

#define POOL_AMOUNT(name, member) \
    {name, REPORT_AMOUNT, REPORT_AT_INT64(report_program, pool.member)}

static const report_field pool_fields[] = {
    PROGRAM_HEAD,
    {"leverage", REPORT_COUNT, .get = pool_leverage},
    {"share", REPORT_PAIR, .get = pool_share},
    {"size", REPORT_AMOUNT, .get = pool_size},
    POOL_AMOUNT("balance", balance_fen),
    POOL_AMOUNT("deposited", deposited_fen),
    POOL_AMOUNT("withdrawn", withdrawn_fen),
    POOL_AMOUNT("compensation_paid", compensated_fen),
    POOL_AMOUNT("guaranteed", guaranteed_fen),
    POOL_AMOUNT("released", released_fen),
    POOL_AMOUNT("outstanding", outstanding_fen),
    POOL_AMOUNT("headroom", headroom_fen),
    POOL_AMOUNT("lent", lent_fen),
    POOL_AMOUNT("repaid", repaid_fen),
    {"defaults", REPORT_COUNT, REPORT_AT_INT64(report_program, pool.defaults)},
    POOL_AMOUNT("losses", loss_fen),
    {"banks", REPORT_ROWS, .sub = &pool_bank, .each = pool_banks},
};
const report_desc report__pool_program = {pool_fields, N(pool_fields)};

/* ---- leasing ------------------------------------------------------------------ */

/* A leasing program's bounds (row: the report_program), each [min, max]
 * percent of the price or null. */
static void bound(const void *row, enum lease_part i, report_value *v)
{
    const state_program *pg = ((const report_program *)row)->pg;
    v->absent = !pg->has_part[i];
    v->a = pg->part[i].min_pct;
    v->b = pg->part[i].max_pct;
}

static void bound_down(const report_ctx *c, const void *row, report_value *v)
{
    (void)c;
    bound(row, LEASE_DOWN, v);
}

static void bound_financing(const report_ctx *c, const void *row, report_value *v)
{
    (void)c;
    bound(row, LEASE_FINANCING, v);
}

static void bound_advance(const report_ctx *c, const void *row, report_value *v)
{
    (void)c;
    bound(row, LEASE_ADVANCE, v);
}

static const report_field bounds_fields[] = {
    {"down", REPORT_PAIR, .get = bound_down},
    {"financing", REPORT_PAIR, .get = bound_financing},
    {"advance", REPORT_PAIR, .get = bound_advance},
};
static const report_desc lease_bounds = {bounds_fields, N(bounds_fields)};

static int same_row(const report_ctx *c, const void *row, report_row_fn fn, void *arg)
{
    (void)c;
    return fn(arg, row);
}

/* Leases of one project under the program. */
typedef struct {
    const char *project;
    query_lease_totals t;
} lease_project_row;

static void lease_project_id(const report_ctx *c, const void *row, report_value *v)
{
    (void)c;
    v->text = ((const lease_project_row *)row)->project;
}

/* A count of leases, their price and its three parts (t: a query_lease_totals). */
/* clang-format off */
#define LEASE_TOTALS(type, t)                                                              \
    {"leases", REPORT_COUNT, REPORT_AT_INT64(type, t.count)},                              \
    {"price", REPORT_AMOUNT, REPORT_AT_INT64(type, t.price_fen)},                          \
    {"down", REPORT_AMOUNT, REPORT_AT_INT64(type, t.part_fen[LEASE_DOWN])},                \
    {"financing", REPORT_AMOUNT, REPORT_AT_INT64(type, t.part_fen[LEASE_FINANCING])},      \
    {"advance", REPORT_AMOUNT, REPORT_AT_INT64(type, t.part_fen[LEASE_ADVANCE])}
/* clang-format on */

static const report_field lease_project_fields[] = {
    {"project", REPORT_TEXT, .get = lease_project_id},
    LEASE_TOTALS(lease_project_row, t),
};
static const report_desc lease_project = {lease_project_fields, N(lease_project_fields)};

struct lease_projects_job {
    const report_ctx *c;
    const char *program;
    report_row_fn fn;
    void *arg;
};

static int lease_project_visit(void *arg, const state_project *p)
{
    struct lease_projects_job *j = arg;
    lease_project_row r = {.project = p->id};
    int err = query_lease_sum(j->c->kv, p->id, j->program, j->c->as_of, &r.t);
    if (err || r.t.count == 0) return err;
    return j->fn(j->arg, &r);
}

static int lease_projects(const report_ctx *c, const void *row, report_row_fn fn, void *arg)
{
    struct lease_projects_job j = {c, ((const report_program *)row)->pg->id, fn, arg};
    return state_projects_each(c->kv, lease_project_visit, &j);
}

static const report_field leasing_fields[] = {
    PROGRAM_HEAD,
    LEASE_TOTALS(report_program, lease),
    {"bounds", REPORT_OBJECT, .sub = &lease_bounds, .each = same_row},
    {"projects", REPORT_ROWS, .sub = &lease_project, .each = lease_projects},
};
const report_desc report__leasing_program = {leasing_fields, N(leasing_fields)};

/* ---- awards ------------------------------------------------------------------- */

/* A year of awards: its levels, then its total against the budget. */
typedef struct {
    const state_program *pg;
    int year;
    int64_t count, total_fen;
    size_t nlevels;
    query_award_level levels[AWARD_LEVELS_MAX];
} award_year_row;

static const report_field level_fields[] = {
    {"level", REPORT_AMOUNT, REPORT_AT_INT64(query_award_level, level_fen)},
    {"awards", REPORT_COUNT, REPORT_AT_INT64(query_award_level, count)},
    {"amount", REPORT_AMOUNT, REPORT_AT_INT64(query_award_level, total_fen)},
};
static const report_desc award_level = {level_fields, N(level_fields)};

static int year_levels(const report_ctx *c, const void *row, report_row_fn fn, void *arg)
{
    const award_year_row *y = row;
    int err = CF_OK;
    (void)c;
    for (size_t i = 0; i < y->nlevels && err == CF_OK; i++) err = fn(arg, &y->levels[i]);
    return err;
}

static void award_year(const report_ctx *c, const void *row, report_value *v)
{
    (void)c;
    v->a = ((const award_year_row *)row)->year;
}

static void award_budget(const report_ctx *c, const void *row, report_value *v)
{
    const award_year_row *y = row;
    (void)c;
    v->absent = !y->pg->has_budget;
    v->a = y->pg->budget_fen;
}

static void award_used(const report_ctx *c, const void *row, report_value *v)
{
    const award_year_row *y = row;
    (void)c;
    v->absent = !y->pg->has_budget;
    v->a = y->total_fen;
    v->b = y->pg->budget_fen;
}

static const report_field award_year_fields[] = {
    {"year", REPORT_COUNT, .get = award_year},
    {"levels", REPORT_ROWS, .sub = &award_level, .each = year_levels},
    {"awarded", REPORT_AMOUNT, REPORT_AT_INT64(award_year_row, total_fen)},
    {"awards", REPORT_COUNT, REPORT_AT_INT64(award_year_row, count)},
    {"budget", REPORT_AMOUNT, .get = award_budget},
    {"budget_used", REPORT_SHARE, .get = award_used},
};
static const report_desc award_years_desc = {award_year_fields, N(award_year_fields)};

struct award_years_job {
    award_year_row y;
    report_row_fn fn;
    void *arg;
    int err;
};

static int award_year_end(struct award_years_job *j)
{
    int err = j->y.year ? j->fn(j->arg, &j->y) : CF_OK;
    j->y.year = 0;
    return err;
}

/* query_award_levels visits a year's levels together, ascending: a year
 * ends where the next begins. A program has at most AWARD_LEVELS_MAX
 * amounts and every award is one of them, so a year's levels fit. */
static int award_level_visit(void *arg, const query_award_level *l)
{
    struct award_years_job *j = arg;
    int err;
    if (l->year != j->y.year) {
        if ((err = award_year_end(j)) != 0) return err;
        j->y.year = l->year;
        j->y.count = j->y.total_fen = 0;
        j->y.nlevels = 0;
    }
    if (j->y.nlevels == AWARD_LEVELS_MAX) return CF_ESTORE_CORRUPT;
    j->y.levels[j->y.nlevels++] = *l;
    j->y.count += l->count;
    j->y.total_fen += l->total_fen;
    return CF_OK;
}

static int award_years(const report_ctx *c, const void *row, report_row_fn fn, void *arg)
{
    struct award_years_job j = {.y.pg = ((const report_program *)row)->pg, .fn = fn, .arg = arg};
    int err = query_award_levels(c->kv, j.y.pg->id, c->as_of, award_level_visit, &j);
    int end = award_year_end(&j);
    return err ? err : end;
}

static void award_amounts(const report_ctx *c, const void *row, report_value *v)
{
    const state_program *pg = ((const report_program *)row)->pg;
    (void)c;
    v->list = pg->levels_fen;
    v->n = pg->nlevels;
}

static const report_field award_fields[] = {
    PROGRAM_HEAD,
    {"levels", REPORT_AMOUNTS, .get = award_amounts},
    {"annual_budget", REPORT_AMOUNT, .get = report__program_budget},
    {"years", REPORT_ROWS, .sub = &award_years_desc, .each = award_years},
};
const report_desc report__award_program = {award_fields, N(award_fields)};

