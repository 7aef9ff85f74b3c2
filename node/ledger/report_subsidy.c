/* report_subsidy.c — a subsidy program's status (R-SUBSIDY): its terms, the
 * subsidies it paid and, by calendar year, against its budget — the JSON of
 * `cofund program status` and of the audit's "programs" (report.h). */
#include <stddef.h>

#include "crypto/cf_error.h"
#include "report.h"
#include "report_internal.h"

static void subsidy_basis(const report_ctx *c, const void *row, report_value *v)
{
    (void)c;
    v->text = cert_kind_name(((const report_program *)row)->pg->basis);
}

static void subsidy_share(const report_ctx *c, const void *row, report_value *v)
{
    const state_program *pg = ((const report_program *)row)->pg;
    (void)c;
    v->a = pg->share_num;
    v->b = pg->share_den;
}

static void subsidy_unit_cap(const report_ctx *c, const void *row, report_value *v)
{
    const state_program *pg = ((const report_program *)row)->pg;
    (void)c;
    v->absent = !pg->has_cap;
    v->a = pg->cap_fen;
}

static void subsidy_recipient_cap(const report_ctx *c, const void *row, report_value *v)
{
    const state_program *pg = ((const report_program *)row)->pg;
    (void)c;
    v->absent = !pg->has_recipient_cap;
    v->a = pg->recipient_cap_fen;
}

/* A year's subsidies against the program's budget. */
typedef struct {
    const state_program *pg;
    query_subsidy_year y;
} subsidy_year_row;

static void subsidy_year(const report_ctx *c, const void *row, report_value *v)
{
    (void)c;
    v->a = ((const subsidy_year_row *)row)->y.year;
}

static void subsidy_year_budget(const report_ctx *c, const void *row, report_value *v)
{
    const subsidy_year_row *y = row;
    (void)c;
    v->absent = !y->pg->has_budget;
    v->a = y->pg->budget_fen;
    v->b = y->y.paid_fen;
}

static void subsidy_year_used(const report_ctx *c, const void *row, report_value *v)
{
    const subsidy_year_row *y = row;
    (void)c;
    v->absent = !y->pg->has_budget;
    v->a = y->y.paid_fen;
    v->b = y->pg->budget_fen;
}

static const report_field subsidy_year_fields[] = {
    {"year", REPORT_COUNT, .get = subsidy_year},
    {"subsidies", REPORT_COUNT, REPORT_AT_INT64(subsidy_year_row, y.count)},
    {"paid", REPORT_AMOUNT, REPORT_AT_INT64(subsidy_year_row, y.paid_fen)},
    {"budget", REPORT_AMOUNT, .get = subsidy_year_budget},
    {"budget_used", REPORT_SHARE, .get = subsidy_year_used},
};
static const report_desc subsidy_years_desc = {subsidy_year_fields, N(subsidy_year_fields)};

struct subsidy_years_job {
    const state_program *pg;
    report_row_fn fn;
    void *arg;
};

static int subsidy_year_visit(void *arg, const query_subsidy_year *y)
{
    struct subsidy_years_job *j = arg;
    subsidy_year_row r = {j->pg, *y};
    return j->fn(j->arg, &r);
}

static int subsidy_years(const report_ctx *c, const void *row, report_row_fn fn, void *arg)
{
    struct subsidy_years_job j = {((const report_program *)row)->pg, fn, arg};
    return query_subsidy_years(c->kv, j.pg->id, c->as_of, subsidy_year_visit, &j);
}

static const report_field subsidy_fields[] = {
    PROGRAM_HEAD,
    {"basis", REPORT_TEXT, .get = subsidy_basis},
    {"share", REPORT_PAIR, .get = subsidy_share},
    {"unit_cap", REPORT_AMOUNT, .get = subsidy_unit_cap},
    {"recipient_cap", REPORT_AMOUNT, .get = subsidy_recipient_cap},
    {"annual_budget", REPORT_AMOUNT, .get = report__program_budget},
    {"subsidies", REPORT_COUNT, REPORT_AT_INT64(report_program, subsidy.count)},
    {"paid", REPORT_AMOUNT, REPORT_AT_INT64(report_program, subsidy.paid_fen)},
    {"years", REPORT_ROWS, .sub = &subsidy_years_desc, .each = subsidy_years},
};
const report_desc report__subsidy_program = {subsidy_fields, N(subsidy_fields)};
