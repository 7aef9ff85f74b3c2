/* cmd_unmatched.c — `cofund unmatched`: the contributions still awaiting a
 * match, across projects, program by program, with what each program can
 * still match given its ratio, window, cap and annual budget
 * (query_unmatched, query_match.c: the arithmetic `match --auto` plans
 * with). --limit N lists the first N rows: JSON and CSV stop reading there
 * (a row's figures depend only on the rows before it), the table reads on
 * for its totals. */
#include <stdio.h>
#include <string.h>

#include "cli.h"
#include "crypto/cf_error.h"
#include "ledger/amount.h"
#include "ledger/caltime.h"
#include "ledger/query.h"
#include "ledger/rules.h"
#include "names.h"
#include "render.h"
#include "table.h"

#define N(fields) (sizeof(fields) / sizeof(fields)[0])

typedef struct {
    const state_program *pg;
    const query_unmatched_row *r;
} unmatched_row;

#define ROW(x) (((const unmatched_row *)(x))->r)

static void u_program(const report_ctx *c, const void *row, report_value *v)
{
    (void)c;
    v->text = ((const unmatched_row *)row)->pg->id;
}

static void u_project(const report_ctx *c, const void *row, report_value *v)
{
    (void)c;
    v->text = ROW(row)->c.project;
}

static void u_round(const report_ctx *c, const void *row, report_value *v)
{
    (void)c;
    v->text = ROW(row)->c.round;
}

static void u_contributor(const report_ctx *c, const void *row, report_value *v)
{
    ledger_member_label(c->kv, ROW(row)->c.author, v->buf, sizeof v->buf);
    v->text = v->buf;
}

static void u_index(const report_ctx *c, const void *row, report_value *v)
{
    (void)c;
    v->a = (int64_t)ROW(row)->c.index;
}

static void u_time(const report_ctx *c, const void *row, report_value *v)
{
    (void)c;
    v->a = (int64_t)ROW(row)->c.time_ms;
}

static void u_closes(const report_ctx *c, const void *row, report_value *v)
{
    (void)c;
    v->a = (int64_t)ROW(row)->window_closes_ms;
}

static void u_in_window(const report_ctx *c, const void *row, report_value *v)
{
    (void)c;
    v->a = ROW(row)->in_window;
}

static void u_cap_left(const report_ctx *c, const void *row, report_value *v)
{
    (void)c;
    v->absent = !ROW(row)->has_cap;
    v->a = ROW(row)->cap_left_fen;
}

static void u_budget_left(const report_ctx *c, const void *row, report_value *v)
{
    (void)c;
    v->absent = !ROW(row)->has_budget;
    v->a = ROW(row)->budget_left_fen;
}

/* clang-format off */
#define U_AMOUNT(fn, expr)                                                     \
    static void fn(const report_ctx *c, const void *row, report_value *v)      \
    {                                                                          \
        (void)c;                                                               \
        v->a = ROW(row)->expr;                                                 \
    }
U_AMOUNT(u_amount, c.amount_fen)
U_AMOUNT(u_allocated, c.allocated_fen)
U_AMOUNT(u_awaiting, awaiting_fen)
U_AMOUNT(u_matchable, matchable_fen)
/* clang-format on */

static const report_field unmatched_fields[] = {
    {"program", REPORT_TEXT, .get = u_program},
    {"project", REPORT_TEXT, .get = u_project},
    {"round", REPORT_TEXT, .get = u_round},
    {"contributor", REPORT_TEXT, .get = u_contributor},
    {"index", REPORT_COUNT, .get = u_index},
    {"time", REPORT_TIME, .get = u_time},
    {"amount", REPORT_AMOUNT, .get = u_amount},
    {"allocated", REPORT_AMOUNT, .get = u_allocated},
    /* what the ratio still allows against it (R-MATCH.4) */
    {"awaiting", REPORT_AMOUNT, .get = u_awaiting},
    /* the last instant a match may cite it (R-MATCH.3) */
    {"window_closes", REPORT_TIME, .get = u_closes},
    {"in_window", REPORT_BOOL, .get = u_in_window},
    /* within the window, on what the contributor still holds (R-MATCH.6) */
    {"matchable", REPORT_AMOUNT, .get = u_matchable},
    {"cap_left", REPORT_AMOUNT, .get = u_cap_left},
    {"budget_left", REPORT_AMOUNT, .get = u_budget_left},
};
static const report_desc unmatched_desc = {unmatched_fields, N(unmatched_fields)};

struct unmatched_job {
    home *h;
    enum cli_format fmt;
    const char *program, *project, *at_arg;
    uint64_t at;
    uint64_t limit; /* --limit: rows listed at most (0: all) */
    int32_t tz;
    const ledger_kv *kv;
    const state_program *pg;
    render_rows out;
    unsigned programs;
    int err;
    cli_table *tab; /* the program's */
};


/* --limit reached in JSON or CSV: nothing more to read. */
#define UNMATCHED_LIMIT 1

static int unmatched_visit(void *arg, const query_unmatched_row *r)
{
    struct unmatched_job *j = arg;
    unmatched_row row = {j->pg, r};
    char name[STATE_ID_CAP], when[CLI_TIME_BYTES], closes[CLI_TIME_BYTES],
        project[CLI_PROJECT_BYTES];
    if (j->limit && j->out.n >= j->limit) return j->fmt == CLI_TABLE ? CF_OK : UNMATCHED_LIMIT;
    if (j->fmt != CLI_TABLE) return render_rows_add(&j->out, &row);
    j->out.n++;
    ledger_member_label(j->kv, r->c.author, name, sizeof name); /* the entry's id: inv#1 */
    cli_time_text(r->c.time_ms, j->tz, when);
    cli_time_text(r->window_closes_ms, j->tz, closes);
    cli_table_cell(j->tab, cli_project_cell(j->kv, r->c.project, project, sizeof project));
    cli_table_cell(j->tab, r->c.round);
    cli_table_cellf(j->tab, "%s#%llu", name, (unsigned long long)r->c.index);
    cli_table_cell(j->tab, when);
    cli_table_amount(j->tab, r->c.amount_fen);
    cli_table_amount(j->tab, r->awaiting_fen);
    cli_table_cell(j->tab, r->in_window ? closes : _("(closed)"));
    cli_table_amount(j->tab, r->matchable_fen);
    return CF_OK;
}

static int program_visit(void *arg, const state_program *p)
{
    struct unmatched_job *j = arg;
    state_program pg = *p;
    query_unmatched_totals t;
    bool closed = false;
    uint64_t closed_at = 0;
    char a[CLI_AMOUNT_BYTES], m[CLI_AMOUNT_BYTES], c[CLI_AMOUNT_BYTES], b[CLI_AMOUNT_BYTES];
    if (p->pkind != PROGRAM_MATCH || (j->program && strcmp(j->program, p->id) != 0)) return CF_OK;
    int err = state_terms_in_force(j->kv, &pg, j->at, UINT64_MAX, &closed, &closed_at);
    if (err) return err;
    closed = closed && closed_at < j->at; /* a match dated at the closing is allowed */
    j->pg = &pg;
    if (j->fmt == CLI_TABLE) {
        if (j->programs) printf("\n");
        printf(_("program %s (ratio %u:%u, window %u days)%s\n"), pg.id, pg.ratio_num,
               pg.ratio_den, pg.window_days,
               closed ? _(": closed (R-CLOSE), it matches nothing more") : "");
        j->tab = cli_columns((const char *const[]){_("PROJECT"), _("ROUND"), _("CONTRIBUTION"),
                                                   _("DATE"), _("AMOUNT"), _("AWAITING"),
                                                   _("WINDOW CLOSES"), _("MATCHABLE")},
                             "llllaala");
    }
    j->programs++;
    unsigned before = j->out.n;
    err = query_unmatched(j->kv, &pg, j->project, j->at, j->tz, closed, unmatched_visit, j, &t);
    if (err || j->fmt != CLI_TABLE) return err;
    cli_table_print(j->tab, stdout, NULL);
    j->tab = NULL;
    if (j->out.n == before && t.contributions == 0) printf("%s\n", _("  (nothing awaits a match)"));
    if (t.contributions > (int64_t)(j->out.n - before))
        printf(_("  (%lld more not listed: --limit)\n"),
               (long long)(t.contributions - (int64_t)(j->out.n - before)));
    cli_amount_text(t.awaiting_fen, a);
    cli_amount_text(t.matchable_fen, m);
    cli_amount_text(t.can_match_fen, c);
    printf(_("  awaiting %s; matchable now %s; the program can match %s now"), a, m, c);
    if (t.has_budget) cli_amount_text(t.budget_left_fen, b);
    if (pg.has_cap && t.has_budget)
        printf(_(" (no more than each project's cap left, and the budget left for %d, %s)"),
               t.year, b);
    else if (pg.has_cap)
        printf("%s", _(" (no more than each project's cap left)"));
    else if (t.has_budget)
        printf(_(" (no more than the budget left for %d, %s)"), t.year, b);
    printf("\n");
    return CF_OK;
}

static int unmatched_read(store_txn *txn, const ledger_kv *kv, void *arg)
{
    struct unmatched_job *j = arg;
    diag d;
    int rc;
    (void)txn;
    j->kv = kv;
    if ((rc = cli_query_as_of(kv, NULL, &j->at, &j->tz)) != 0) return rc;
    j->at = cli_now_ms();
    if (j->at_arg && cli_parse_time(j->at_arg, j->tz, false, &j->at, &d) != CF_OK)
        return cli_fail(&d);
    if (j->program) {
        state_program pg;
        int err = state_program_get(kv, j->program, strlen(j->program), &pg);
        if (err == CF_OK && pg.pkind != PROGRAM_MATCH)
            return cli_failf(CF_EINVAL, "program %s is a%s %s program, not a matching program",
                             pg.id, strchr("aeiou", pg.kind[0]) ? "n" : "", pg.kind);
    }
    report_ctx c = {.kv = kv, .as_of = STATE_TIME_LATEST, .tz_min = j->tz};
    render_rows_begin(&j->out, j->fmt, &c, &unmatched_desc);
    int err = state_programs_each(kv, program_visit, j);
    if (err && err != UNMATCHED_LIMIT)
        return cli_failf(err, "reading programs: %s", cf_strerror(err));
    if (j->fmt == CLI_TABLE && j->programs == 0) printf("%s\n", _("(no matching programs)"));
    return CLI_OK;
}

static int run_unmatched(cli_env *env, const cli_args *a)
{
    struct unmatched_job j = {.fmt = cli_get_format(a), .program = cli_get(a, "program"),
                              .project = cli_get(a, "project"), .at_arg = cli_get(a, "at")};
    const char *limit = cli_get(a, "limit");
    int rc;
    if (limit && (cli_parse_u64(limit, &j.limit) != CF_OK || j.limit == 0))
        return cli_usage_error(a, "--limit %s: a count of rows, 1 or more", limit);
    if ((rc = cli_open_home(env, HOME_RDONLY, &j.h)) != 0) return rc;
    rc = render_rows_end(&j.out, cli_read(j.h, unmatched_read, &j));
    cli_table_free(j.tab); /* an error's */
    cli_close_home(j.h);
    return rc;
}

const cli_cmd cli_cmd_unmatched = {
    .name = "unmatched",
    .opts = (const cli_opt[]){
        {"program", "ID", CLI_ID, 0, N_("only this matching program's")},
        {"project", "P", CLI_ID, 0, N_("only contributions to this project")},
        {"at", "TIME", 0, 0, N_("judge the windows and the budget's year at TIME (default now)")},
        {"limit", "N", 0, 0, N_("list the first N rows only (the table's totals count every one)")},
        CLI_OPT_FORMAT,
        CLI_OPT_END},
    .summary = N_("contributions awaiting a match, and what each program can still match"),
    .help = N_("Every contribution that asked a matching program and is not matched in full at its "
            "ratio, program by program, oldest first: its amount, what is "
            "allocated, what the ratio still allows (R-MATCH.4), when its window closes "
            "(R-MATCH.3) and what is matchable now (within the window, on what the contributor "
            "still holds: R-MATCH.6), with the project's cap left (R-CAP) and the year's budget "
            "left (R-BUDGET). The table ends each program with what it can match now: the "
            "matchable, no more per project than the cap left, no more than the budget left. "
            "Terms are those in force at --at (default now); allocations and holdings as they "
            "stand. --limit N lists the first N rows (a row's figures do not depend on the "
            "rows after it)."),
    .example = "unmatched --program industrial --format csv",
    .run = run_unmatched,
};
