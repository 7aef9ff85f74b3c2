/* cmd_returns.c — `cofund valuation` (a fund's mark of a project, R-MARK)
 * and `cofund returns` (paid in, distributed, residual value, MOIC and IRR
 * per holder and per matching program: query_returns, docs/rules.md
 * "Returns"). An exit's proceeds are `cofund exit --proceeds`. */
#include <stdio.h>
#include <string.h>

#include "cli.h"
#include "crypto/cf_error.h"
#include "ledger/amount.h"
#include "ledger/query.h"
#include "ledger/report.h"
#include "ledger/rules.h"
#include "names.h"
#include "render.h"
#include "table.h"

/* ---- valuation --------------------------------------------------------------- */

static int run_valuation(cli_env *env, const cli_args *a)
{
    entry e = {.type = ENTRY_VALUATION};
    body_valuation *b = &e.body.valuation;
    const char *project = cli_get(a, "project"), *value = cli_get(a, "value");
    diag d;
    if (cli_parse_amount0(value, &b->value_fen, &d) != CF_OK) return cli_fail(&d);
    b->project = entry_text_of(project, strlen(project));
    char what[160], amt[AMOUNT_TEXT_BYTES];
    amount_format(b->value_fen, amt);
    snprintf(what, sizeof what, "valuation of project %s at %s yuan", project, amt);
    return cli_append_timed(env, NULL, &e, cli_get(a, "time"), what);
}

const cli_cmd cli_cmd_valuation = {
    .name = "valuation",
    .opts = (const cli_opt[]){
        {"project", "P", CLI_REQUIRED | CLI_ID, 0, N_("a project this fund holds")},
        {"value", "AMT", CLI_REQUIRED, 0, N_("yuan: what all the project's positions are worth (0: written off)")},
        CLI_OPT_TIME,
        CLI_OPT_DRY_RUN, CLI_OPT_YES, CLI_OPT_END},
    .summary = N_("a fund marks the value of a project it holds"),
    .help = N_("A fund records a valuation mark of a project it holds (R-MARK): what every position "
            "recorded in the project is worth together, as of the entry's time. `returns` "
            "values each holder's position as its share of the latest mark. A mark is never "
            "reversed: a later mark corrects it."),
    .example = "valuation --project robotics --value 3,000,000",
    .run = run_valuation,
};

/* ---- returns ----------------------------------------------------------------- */

struct returns_job {
    home *h;
    enum cli_format fmt;
    const char *as_of_arg, *holder_arg, *program;
    uint64_t as_of;
    int32_t tz;
    uint8_t holder[32];
    const ledger_kv *kv;
    render_rows out;
    cli_table *tab;
};

static int return_row(void *arg, const query_return *r)
{
    struct returns_job *j = arg;
    char name[CLI_LABEL_BYTES], moic[32], irr[32];
    if (j->fmt != CLI_TABLE) return render_rows_add(&j->out, r);
    j->out.n++;
    if (r->is_program) snprintf(name, sizeof name, "%s", r->program);
    else cli_member_label(j->kv, r->holder, name, sizeof name);
    report_fmt_moic(r, true, moic, sizeof moic);
    report_fmt_irr(r, true, irr, sizeof irr);
    /* the row's kind is an identifier, as in JSON and CSV */
    cli_table_cell(j->tab, r->is_program ? "program" : "holder");
    cli_table_cell(j->tab, name);
    cli_table_amount(j->tab, r->paid_in_fen);
    cli_table_amount(j->tab, r->distributed_fen);
    cli_table_amount(j->tab, r->residual_fen);
    cli_table_cell(j->tab, r->has_moic ? moic : _("none"));
    cli_table_cell(j->tab, r->has_irr ? irr : _("none"));
    return CF_OK;
}



static int returns_read(store_txn *txn, const ledger_kv *kv, void *arg)
{
    struct returns_job *j = arg;
    diag d;
    int rc;
    (void)txn;
    j->kv = kv;
    if ((rc = cli_query_as_of(kv, j->as_of_arg, &j->as_of, &j->tz)) != 0) return rc;
    if (j->holder_arg && cli_resolve_member(kv, j->h, j->holder_arg, j->holder, &d) != CF_OK)
        return cli_fail(&d);
    if (j->program && (rc = cli_require_program(kv, j->program)) != 0) return rc;
    uint8_t identity[32];
    int err = j->holder_arg ? query_identity(kv, j->holder, identity) : CF_OK;
    if (err) return cli_failf(err, "reading members: %s", cf_strerror(err));
    report_ctx c = {.kv = kv, .as_of = j->as_of, .tz_min = j->tz};
    render_rows_begin(&j->out, j->fmt, &c, &report_returns);
    if (j->fmt == CLI_TABLE)
        j->tab = cli_columns((const char *const[]){_("KIND"), _("NAME"), _("PAID IN"),
                                                   _("DISTRIBUTED"), _("RESIDUAL"), _("MOIC"),
                                                   _("IRR")},
                             "llaaann");
    uint64_t value_ms = j->as_of_arg ? j->as_of : cli_now_ms();
    err = query_returns(kv, j->holder_arg ? identity : NULL, j->program, j->as_of, value_ms,
                        return_row, j);
    if (err == CF_ENOTFOUND)
        return cli_failf(err, "program %s is not a matching program: returns are those of "
                              "matching programs",
                         j->program);
    if (err) return cli_failf(err, "reading returns: %s", cf_strerror(err));
    cli_table_print(j->tab, stdout, _("(no returns)"));
    j->tab = NULL;
    return CLI_OK;
}

static int run_returns(cli_env *env, const cli_args *a)
{
    struct returns_job j = {.fmt = cli_get_format(a), .as_of_arg = cli_get(a, "as-of"),
                            .holder_arg = cli_get(a, "holder"), .program = cli_get(a, "program")};
    int rc;
    if ((rc = cli_open_home(env, HOME_RDONLY, &j.h)) != 0) return rc;
    rc = render_rows_end(&j.out, cli_read(j.h, returns_read, &j));
    cli_table_free(j.tab); /* an error's */
    cli_close_home(j.h); /* the node's own home when the dashboard asks */
    return rc;
}

const cli_cmd cli_cmd_returns = {
    .name = "returns",
    .opts = (const cli_opt[]){
        {"holder", "MEMBER", 0, 0, N_("only this holder's row")},
        {"program", "ID", CLI_ID, 0, N_("only this matching program's row")},
        CLI_OPT_AS_OF,
        CLI_OPT_FORMAT,
        CLI_OPT_END},
    .summary = N_("paid in, distributed, residual value, MOIC and IRR per holder and program"),
    .help = N_("Per holder (by name), then per matching program (by id): what was paid in "
            "(contributions, matches), distributed (exits' proceeds) and the residual value "
            "(its share of each project's latest valuation mark, carried forward at cost; cost "
            "when the project has no mark), MOIC = (distributed + residual) / paid in and IRR "
            "(XIRR over the dated flows, the residual dated at --as-of, else now). A program's "
            "figures are its share of its operator's, pro rata to what it deployed in each "
            "project. MOIC and IRR are none (JSON null) when undefined. docs/rules.md "
            "\"Returns\" states the formulas."),
    .example = "returns --program seed-match --as-of 2026-12-31 --format json",
    .run = run_returns,
};
