/* cmd_query.c — positions and program status (node/ledger/query.h). */
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "crypto/cf_error.h"
#include "crypto/cf_util.h"
#include "ledger/amount.h"
#include "ledger/caltime.h"
#include "ledger/query.h"
#include "ledger/report.h"
#include "ledger/rules.h"
#include "names.h"
#include "render.h"
#include "table.h"

/* Shared --as-of / --format handling. */
typedef struct {
    home *h;
    enum cli_format fmt;
    const char *as_of_arg;
    uint64_t as_of;
    int32_t tz;
    json_t *json;
} query_ctx;

static int resolve_as_of(query_ctx *q, const ledger_kv *kv)
{
    return cli_query_as_of(kv, q->as_of_arg, &q->as_of, &q->tz);
}

/* share = part / whole as "62.50%" (table) or "0.6250" (csv), and
 * leverage: the formatting of the reports' JSON (ledger/report.h) too. */
#define share_text report_fmt_share

/* The reports' context (ledger/report.h) of a query. */
static report_ctx report_of(const query_ctx *q, const ledger_kv *kv)
{
    return (report_ctx){.kv = kv, .as_of = q->as_of, .tz_min = q->tz};
}

/* ---- positions ------------------------------------------------------------ */

/* A total row: a project's (all its holders) or a holder's (all its
 * projects), summed from the position rows. */
typedef struct {
    query_position sum;
    char name[STATE_ID_CAP];
} position_total;

struct positions_job {
    query_ctx q;
    const char *holder_arg, *project;
    bool by_round;
    uint8_t holder[32];
    const ledger_kv *kv;
    render_rows out;
    position_total project_sum; /* the project being listed */
    bool in_project;
    position_total *holders;    /* by holder, sorted by name at the end */
    size_t nholders, holders_cap;
    cli_table *tab;             /* the table, printed at the end */
};

/* The positions table: a last column without heading notes a dispute. */
static cli_table *positions_table(void)
{
    return cli_columns((const char *const[]){_("PROJECT"), _("HOLDER"), _("ROLE"), _("INVESTED"),
                                             _("EXITED"), _("NET"), _("SHARE"), ""},
                       "lllaaanl");
}

/* A row of it: invested, exited and net of p, its share when not NULL. */
static void positions_cells(cli_table *t, const char *project, const char *holder,
                            const char *role, const query_position *p, const char *share)
{
    cli_table_cell(t, project);
    cli_table_cell(t, holder);
    cli_table_cell(t, role);
    cli_table_amount(t, p->invested_fen);
    cli_table_amount(t, p->exited_fen);
    cli_table_amount(t, p->amount_fen);
    cli_table_cell(t, share);
    cli_table_cell(t, "");
}

static int total_add(query_position *t, const query_position *p)
{
    return amount_add(t->invested_fen, p->invested_fen, &t->invested_fen) &&
                   amount_add(t->exited_fen, p->exited_fen, &t->exited_fen) &&
                   amount_add(t->amount_fen, p->amount_fen, &t->amount_fen) &&
                   amount_add(t->disputed_fen, p->disputed_fen, &t->disputed_fen)
               ? CF_OK
               : CF_EOVERFLOW;
}

static int total_row(struct positions_job *j, const position_total *t, int kind)
{
    report_position_row r = {.pos = &t->sum, .total = kind};
    char share[32] = "", who[CLI_LABEL_BYTES], project[CLI_PROJECT_BYTES];
    if (j->q.fmt != CLI_TABLE) return render_rows_add(&j->out, &r);
    if (kind == REPORT_PROJECT_TOTAL)
        share_text(t->sum.amount_fen, t->sum.project_total_fen, true, share, sizeof share);
    positions_cells(j->tab,
                    kind == REPORT_PROJECT_TOTAL
                        ? cli_project_cell(j->kv, t->sum.project, project, sizeof project)
                        : _("(all)"),
                    kind == REPORT_PROJECT_TOTAL
                        ? _("(total)")
                        : cli_member_label(j->kv, t->sum.holder, who, sizeof who),
                    "", &t->sum, share);
    return CF_OK;
}

/* The project listed so far ends: its total (without --holder, where it
 * would be the holder's own). */
static int project_end(struct positions_job *j)
{
    int err = CF_OK;
    if (j->in_project && !j->holder_arg) err = total_row(j, &j->project_sum, REPORT_PROJECT_TOTAL);
    j->in_project = false;
    return err;
}

static int holder_add(struct positions_job *j, const query_position *p)
{
    size_t i = 0;
    while (i < j->nholders && memcmp(j->holders[i].sum.holder, p->holder, 32) != 0) i++;
    if (i == j->nholders) {
        if (cf_reserve((void **)&j->holders, &j->holders_cap, j->nholders, sizeof *j->holders,
                       16) != CF_OK)
            return CF_ENOMEM;
        memset(&j->holders[i], 0, sizeof *j->holders);
        memcpy(j->holders[i].sum.holder, p->holder, 32);
        ledger_member_label(j->kv, p->holder, j->holders[i].name, STATE_ID_CAP);
        j->nholders++;
    }
    return total_add(&j->holders[i].sum, p);
}

static int by_name(const void *a, const void *b)
{
    const position_total *x = a, *y = b;
    int n = strcmp(x->name, y->name);
    return n ? n : memcmp(x->sum.holder, y->sum.holder, 32);
}

/* After every project: each holder's total across them, by name. */
static int holder_totals(struct positions_job *j)
{
    int err = CF_OK;
    if (j->nholders > 1) qsort(j->holders, j->nholders, sizeof *j->holders, by_name);
    if (j->q.fmt == CLI_TABLE && j->nholders) {
        printf("\n%s\n", _("totals by holder"));
        j->tab = positions_table();
    }
    for (size_t i = 0; i < j->nholders && err == CF_OK; i++)
        err = total_row(j, &j->holders[i], REPORT_HOLDER_TOTAL);
    if (j->q.fmt == CLI_TABLE) cli_table_print(j->tab, stdout, NULL);
    j->tab = NULL;
    return err;
}

static int position_row(void *arg, const query_position *p)
{
    struct positions_job *j = arg;
    report_position_row r = {.pos = p};
    char who[CLI_LABEL_BYTES], share[32], project[CLI_PROJECT_BYTES];
    state_member m;
    int err;
    if (j->in_project && strcmp(j->project_sum.sum.project, p->project) != 0 &&
        (err = project_end(j)) != 0)
        return err;
    if (!j->in_project) {
        memset(&j->project_sum, 0, sizeof j->project_sum);
        memcpy(j->project_sum.sum.project, p->project, STATE_ID_CAP);
        j->project_sum.sum.project_total_fen = p->project_total_fen;
        j->in_project = true;
    }
    if ((err = total_add(&j->project_sum.sum, p)) != 0 || (err = holder_add(j, p)) != 0)
        return err;
    if (j->q.fmt != CLI_TABLE) return render_rows_add(&j->out, &r);
    j->out.n++;
    cli_member_label(j->kv, p->holder, who, sizeof who);
    share_text(p->amount_fen, p->project_total_fen, true, share, sizeof share);
    positions_cells(j->tab, cli_project_cell(j->kv, p->project, project, sizeof project), who,
                    state_member_get(j->kv, p->holder, &m) == CF_OK ? role_name(m.role) : "?", p,
                    share);
    if (p->disputed_fen != 0) {
        const char *cells[] = {"", _("  of which"), "", "", ""};
        for (size_t i = 0; i < sizeof cells / sizeof cells[0]; i++) cli_table_cell(j->tab, cells[i]);
        cli_table_amount(j->tab, p->disputed_fen);
        cli_table_cell(j->tab, "");
        cli_table_cell(j->tab, _("(disputed: cites a feed proven forked)"));
    }
    return CF_OK;
}

/* What a project received that is not equity: rows of JSON and CSV (the
 * table lists them apart, cli_print_not_equity). */
static int other_row(void *arg, const query_project_other *o)
{
    struct positions_job *j = arg;
    report_position_row r = {.other = o};
    return render_rows_add(&j->out, &r);
}

static int round_row(void *arg, const query_round_position *p)
{
    struct positions_job *j = arg;
    char who[CLI_LABEL_BYTES], project[CLI_PROJECT_BYTES];
    if (j->q.fmt != CLI_TABLE) return render_rows_add(&j->out, p);
    j->out.n++;
    cli_member_label(j->kv, p->holder, who, sizeof who);
    cli_table_cell(j->tab, cli_project_cell(j->kv, p->project, project, sizeof project));
    cli_table_cell(j->tab, p->round[0] ? p->round : _("(exits)"));
    cli_table_cell(j->tab, who);
    cli_table_amount(j->tab, p->invested_fen);
    cli_table_amount(j->tab, p->exited_fen);
    cli_table_amount(j->tab, p->invested_fen - p->exited_fen);
    return CF_OK;
}

static cli_table *rounds_table(void)
{
    return cli_columns((const char *const[]){_("PROJECT"), _("ROUND"), _("HOLDER"), _("INVESTED"),
                                             _("EXITED"), _("NET")},
                       "lllaaa");
}

static int positions_read(store_txn *txn, const ledger_kv *kv, void *arg)
{
    struct positions_job *j = arg;
    diag d;
    int rc, err;
    (void)txn;
    j->kv = kv;
    if ((rc = resolve_as_of(&j->q, kv)) != 0) return rc;
    if (j->holder_arg && cli_resolve_member(kv, j->q.h, j->holder_arg, j->holder, &d) != CF_OK)
        return cli_fail(&d);
    if (j->project && (rc = cli_require_project(kv, j->project)) != 0) return rc;
    report_ctx c = report_of(&j->q, kv);
    const uint8_t *holder = j->holder_arg ? j->holder : NULL;
    render_rows_begin(&j->out, j->q.fmt, &c, j->by_round ? &report_round_position : &report_position);
    if (j->by_round) {
        if (j->q.fmt == CLI_TABLE) j->tab = rounds_table();
        err = query_positions_by_round(kv, holder, j->project, j->q.as_of, round_row, j);
        if (err) return cli_failf(err, "reading positions: %s", cf_strerror(err));
        cli_table_print(j->tab, stdout, _("(no positions)"));
        j->tab = NULL;
        return CLI_OK;
    }
    if (j->q.fmt == CLI_TABLE) j->tab = positions_table();
    err = query_positions(kv, holder, j->project, j->q.as_of, position_row, j);
    if (err == CF_OK) err = project_end(j);
    if (err == CF_OK) {
        cli_table_print(j->tab, stdout, _("(no positions)"));
        j->tab = NULL;
    }
    if (err == CF_OK) err = holder_totals(j);
    if (err) return cli_failf(err, "reading positions: %s", cf_strerror(err));
    /* Awards, leases and loans are not equity and have no holder: shown
     * without --holder, the table's apart, by project. */
    if (j->holder_arg) return CLI_OK;
    if (j->q.fmt == CLI_TABLE) return cli_print_not_equity(kv, j->project, j->q.as_of);
    err = query_projects_other(kv, j->project, j->q.as_of, other_row, j);
    return err ? cli_failf(err, "reading awards, leases and loans: %s", cf_strerror(err)) : CLI_OK;
}

static int run_positions(cli_env *env, const cli_args *a)
{
    struct positions_job j = {.q.fmt = cli_get_format(a), .q.as_of_arg = cli_get(a, "as-of"),
                              .holder_arg = cli_get(a, "holder"), .project = cli_get(a, "project"),
                              .by_round = cli_get(a, "by-round") != NULL};
    int rc;
    if (j.project && !entry_id_valid(j.project, strlen(j.project)))
        return cli_failf(CF_EINVAL, "--project: not a project identifier");
    if ((rc = cli_open_home(env, HOME_RDONLY, &j.q.h)) != 0) return rc;
    rc = render_rows_end(&j.out, cli_read(j.q.h, positions_read, &j));
    cli_table_free(j.tab); /* an error's */
    free(j.holders);
    cli_close_home(j.q.h);
    return rc;
}

/* ---- program status --------------------------------------------------------- */

struct status_job {
    query_ctx q;
    bool pool_only; /* `pool status` */
    const char *id;
    int year; /* 0: all */
    state_program pg;
    store_txn *txn;
    const ledger_kv *kv;
    cli_table *tab; /* the table by year, then by project */
};

static void leverage_text(const query_totals *t, char *out, size_t cap)
{
    report_fmt_leverage(t->counterpart_fen, t->deployed_fen, out, cap);
}

/* A row of the split by year or by project, as text: deployed against the
 * limit that applies (budget or cap; "-" without one) and what it leaves,
 * counterpart, leverage; a project's exits and what is outstanding. */
struct split_text {
    char dep[CLI_AMOUNT_BYTES], cp[CLI_AMOUNT_BYTES], lim[CLI_AMOUNT_BYTES],
        left[CLI_AMOUNT_BYTES], ex[CLI_AMOUNT_BYTES], out[CLI_AMOUNT_BYTES], used[32], lev[32];
};

/* Amounts for people (in their unit) or for CSV (plain yuan). */
typedef void (*money_fn)(int64_t fen, char *out);

static void money_table(int64_t fen, char *out)
{
    cli_amount_text(fen, out);
}

static void money_plain(int64_t fen, char *out)
{
    amount_format_plain(fen, out);
}

static void split_format(const struct status_job *j, const query_totals *t, int64_t spent_fen,
                         int64_t outstanding_fen, bool has_limit, int64_t limit_fen,
                         struct split_text *s)
{
    bool human = j->q.fmt == CLI_TABLE;
    money_fn money = human ? money_table : money_plain;
    /* Nothing there (no limit, nothing deployed): "-" for people, an empty
     * field in CSV. */
    const char *none = human ? "-" : "";
    leverage_text(t, s->lev, sizeof s->lev);
    if (!human && t->deployed_fen <= 0) s->lev[0] = '\0';
    money(t->deployed_fen, s->dep);
    money(t->counterpart_fen, s->cp);
    money(t->exited_fen, s->ex);
    money(outstanding_fen, s->out);
    strcpy(s->lim, none);
    strcpy(s->left, none);
    strcpy(s->used, none);
    if (has_limit) {
        money(limit_fen, s->lim);
        money(limit_fen > spent_fen ? limit_fen - spent_fen : 0, s->left);
        share_text(spent_fen, limit_fen, human, s->used, sizeof s->used);
    }
}

/* The tables by year and by project: their columns. */
static cli_table *split_table(bool by_year)
{
    if (by_year)
        return cli_columns((const char *const[]){_("YEAR"), _("DEPLOYED"), _("USED"),
                                                 _("BUDGET LEFT"), _("COUNTERPART"),
                                                 _("LEVERAGE")},
                           "lanaan");
    return cli_columns((const char *const[]){_("PROJECT"), _("DEPLOYED"), _("EXITED"),
                                             _("OUTSTANDING"), _("CAP USED"), _("CAP LEFT"),
                                             _("COUNTERPART"), _("LEVERAGE")},
                       "laaanaan");
}

static void split_cells(cli_table *t, const char *const cells[], size_t n)
{
    for (size_t i = 0; i < n; i++) cli_table_cell(t, cells[i]);
}

static int year_row(void *arg, const query_year *y)
{
    struct status_job *j = arg;
    struct split_text s;
    char year[16];
    state_program pg; /* the budget in force that year (R-AMEND) */
    if (j->year && y->year != j->year) return CF_OK;
    int err = query_year_terms(j->kv, j->id, y->year, j->q.as_of, &pg);
    if (err) return err;
    split_format(j, &y->t, y->t.deployed_fen, 0, pg.has_budget, pg.budget_fen, &s);
    snprintf(year, sizeof year, "%d", y->year);
    if (j->q.fmt == CLI_CSV)
        printf("year,%s,%s,%s,%s,%s,,,%s,%s\n", year, s.dep, s.lim, s.used, s.left, s.cp, s.lev);
    else
        split_cells(j->tab, (const char *const[]){year, s.dep, s.used, s.left, s.cp, s.lev}, 6);
    return CF_OK;
}

static int project_row(void *arg, const query_project *p)
{
    struct status_job *j = arg;
    struct split_text s;
    char project[CLI_PROJECT_BYTES];
    split_format(j, &p->t, p->deployed_total_fen, p->deployed_total_fen - p->exited_total_fen,
                 j->pg.has_cap, j->pg.cap_fen, &s);
    if (j->q.fmt == CLI_CSV)
        printf("project,%s,%s,%s,%s,%s,%s,%s,%s,%s\n", p->project, s.dep, s.lim, s.used, s.left,
               s.ex, s.out, s.cp, s.lev);
    else
        split_cells(j->tab,
                    (const char *const[]){cli_project_cell(j->kv, p->project, project,
                                                           sizeof project),
                                          s.dep, s.ex, s.out, s.used, s.left, s.cp, s.lev},
                    8);
    return CF_OK;
}
/* Matches by the operator that wait here for cited entries: its feed's
 * stored entries beyond what the rules applied, unless held by a violation. */
static uint64_t pending_matches(struct status_job *j)
{
    store_feed f;
    state_tip tip;
    if (store_feed_get(j->txn, j->pg.operator_key, &f) != CF_OK) return 0;
    if (f.flags & (STORE_FEED_FORKED | STORE_FEED_HELD)) return 0;
    if (state_tip_get(j->kv, j->pg.operator_key, &tip) != CF_OK) return 0;
    return f.size > tip.applied ? f.size - tip.applied : 0;
}

/* The figures' period: with --year Y, from Y's start to its end (or the
 * as-of time, when earlier), in the network's zone; else all time. */
static void status_period(struct status_job *j, uint64_t *from_ms)
{
    *from_ms = 0;
    if (!j->year) return;
    *from_ms = caltime_year_start(j->year, j->q.tz);
    uint64_t end = caltime_year_start(j->year + 1, j->q.tz) - 1;
    if (j->q.as_of > end) j->q.as_of = end;
}

/* The figures of a matching program, as text for people. */
struct status_text {
    char dep[CLI_AMOUNT_BYTES], cp[CLI_AMOUNT_BYTES], disputed[CLI_AMOUNT_BYTES],
        ex[CLI_AMOUNT_BYTES], out[CLI_AMOUNT_BYTES], wait[CLI_AMOUNT_BYTES],
        can[CLI_AMOUNT_BYTES], left[CLI_AMOUNT_BYTES], cap[CLI_AMOUNT_BYTES],
        budget[CLI_AMOUNT_BYTES], lev[32];
};

/* The table's lines above the splits: terms and figures. */
static int status_figures(struct status_job *j, const struct status_text *x,
                          const query_totals *t, const char *op, bool latest, int year)
{
    char start[CLI_TIME_BYTES], when[64], label[64], note[512];
    int rc;
    cli_date_text(j->pg.start_ms, j->q.tz, start);
    if (j->year)
        snprintf(when, sizeof when, _("at the end of %d"), j->year);
    else
        snprintf(when, sizeof when, "%s", latest ? _("now") : _("as of then"));
    printf(_("program %s (%s), operated by %s, since %s\n"), j->pg.id, j->pg.kind, op, start);
    printf(_("  ratio %u:%u (fund : counterpart), window %u days, cap %s per project, "
             "budget %s per year\n"),
           j->pg.ratio_num, j->pg.ratio_den, j->pg.window_days, x->cap, x->budget);
    if ((rc = cli_terms_history(j->kv, j->id, j->q.tz, j->q.fmt, NULL)) != 0) return rc;
    if (j->year)
        printf(_("figures for %d only (%d-01-01 to %d-12-31 in the network's time zone): "
                 "what happened in the year; balances at its end\n"),
               j->year, j->year, j->year);
    printf(_("amounts in %s\n"), cli_unit_name());
    cli_figure(20, _("deployed"), x->dep, NULL);
    cli_figure(20, _("exited"), x->ex,
               _("(the fund's exits, pro rata to what its programs deployed in each project)"));
    snprintf(note, sizeof note, _("(deployed - exited, %s)"), when);
    cli_figure(20, _("outstanding"), x->out, note);
    cli_figure(20, _("counterpart matched"), x->cp, NULL);
    cli_figure(20, _("leverage"), x->lev, NULL);
    snprintf(note, sizeof note,
             _("(what the counterpart capital that asked allows at the ratio, minus what is "
               "matched, %s)"),
             when);
    cli_figure(20, _("awaiting a match"), x->wait, note);
    if (latest)
        cli_figure(20, _("  matchable now"), x->can,
                   _("(of those within their window, on what the counterparts still hold: "
                     "R-MATCH.3, .4, .6)"));
    if (j->pg.has_budget) {
        snprintf(label, sizeof label, _("budget left for %d"), year);
        cli_figure(20, label, x->left, NULL);
    }
    if (t->disputed_fen != 0) {
        char forked[256];
        query_forks_text(j->kv, forked, sizeof forked);
        snprintf(note, sizeof note, _("(of deployed: matches citing %s)"), forked);
        cli_figure(20, _("disputed"), x->disputed, note);
    }
    return CLI_OK;
}

static int status_read(store_txn *txn, const ledger_kv *kv, void *arg)
{
    struct status_job *j = arg;
    query_totals t, all;
    struct status_text x;
    char op[CLI_LABEL_BYTES];
    uint64_t from_ms;
    int rc;
    j->txn = txn;
    j->kv = kv;
    if ((rc = resolve_as_of(&j->q, kv)) != 0) return rc;
    int err = state_program_get(kv, j->id, strlen(j->id), &j->pg);
    if (err == CF_ENOTFOUND) return cli_failf(err, "program %s is not registered", j->id);
    if (err == CF_OK && j->pool_only && j->pg.pkind != PROGRAM_POOL)
        return cli_failf(CF_EINVAL, "program %s is a %s program, not a pool", j->id, j->pg.kind);
    bool latest = j->q.as_of == STATE_TIME_LATEST;
    uint64_t now = cli_now_ms();
    /* The terms in force now (or as of then), with every amendment held here. */
    bool closed = false;
    uint64_t closed_at = 0;
    if (err == CF_OK)
        err = state_terms_in_force(kv, &j->pg, latest ? now : j->q.as_of, UINT64_MAX, &closed,
                                   &closed_at);
    if (err == CF_OK && j->pg.pkind != PROGRAM_MATCH) {
        rc = cli_instrument_status(kv, &j->pg, j->q.fmt, j->q.as_of, j->q.tz, &j->q.json);
        return rc ? rc : cli_terms_history(kv, j->id, j->q.tz, j->q.fmt, j->q.json);
    }
    status_period(j, &from_ms);
    if (err == CF_OK && j->q.fmt == CLI_JSON) {
        report_ctx c = report_of(&j->q, kv);
        c.year = j->year;
        c.from_ms = from_ms;
        err = render_program_json(&c, &j->pg, pending_matches(j), &j->q.json);
        if (err) return cli_failf(err, "reading program %s: %s", j->id, cf_strerror(err));
        return cli_terms_history(kv, j->id, j->q.tz, j->q.fmt, j->q.json);
    }
    int64_t matchable = 0;
    if (err || (err = query_program_totals_in(kv, j->id, from_ms, j->q.as_of, &t)) != 0 ||
        (err = query_program_totals(kv, j->id, j->q.as_of, &all)) != 0 ||
        (latest && (err = query_program_awaiting(kv, &j->pg, j->q.as_of, now, &matchable)) != 0))
        return cli_failf(err, "reading program %s: %s", j->id, cf_strerror(err));
    /* The budget left: the year's (--year), or the year of the as-of time. */
    int year = j->year ? j->year : caltime_year(latest ? now : j->q.as_of, j->q.tz);
    int64_t spent = 0;
    if (j->pg.has_budget) {
        state_series s;
        state_series_year(&s, SERIES_YEAR_DEPLOYED, j->id, year);
        if ((err = state_series_at(kv, &s, j->q.as_of, &spent)) != 0)
            return cli_failf(err, "reading program %s: %s", j->id, cf_strerror(err));
    }
    cli_member_label(kv, j->pg.operator_key, op, sizeof op);
    leverage_text(&t, x.lev, sizeof x.lev);
    bool human = j->q.fmt == CLI_TABLE;
    money_fn money = human ? money_table : money_plain;
    money(t.deployed_fen, x.dep);
    money(t.counterpart_fen, x.cp);
    money(t.disputed_fen, x.disputed);
    money(t.exited_fen, x.ex);
    money(query_outstanding(&all), x.out);
    money(t.awaiting_fen, x.wait);
    money(matchable, x.can);
    money(j->pg.budget_fen > spent ? j->pg.budget_fen - spent : 0, x.left);
    if (!human && t.deployed_fen <= 0) x.lev[0] = '\0'; /* no leverage: an empty field */
    snprintf(x.cap, sizeof x.cap, "%s", _("none"));
    snprintf(x.budget, sizeof x.budget, "%s", _("none"));
    if (j->pg.has_cap) money(j->pg.cap_fen, x.cap);
    if (j->pg.has_budget) money(j->pg.budget_fen, x.budget);
    uint64_t pending = pending_matches(j);

    if (j->q.fmt == CLI_CSV) {
        printf("scope,key,deployed,limit,used,left,exited,outstanding,counterpart,leverage\n");
        printf("total,%s,%s,,,,%s,%s,%s,%s\n", j->pg.id, x.dep, x.ex, x.out, x.cp, x.lev);
        printf("awaiting,%s,%s,,,,,,,\n", j->pg.id, x.wait);
        if (latest) printf("matchable,%s,%s,,,,,,,\n", j->pg.id, x.can);
        if (j->pg.has_budget) printf("budget,%d,,%s,,%s,,,,\n", year, x.budget, x.left);
    } else {
        if ((rc = status_figures(j, &x, &t, op, latest, year)) != 0) return rc;
        printf("\n");
        j->tab = split_table(true);
    }
    if ((err = query_program_years(kv, j->id, j->q.as_of, year_row, j)) != 0)
        return cli_failf(err, "reading program years: %s", cf_strerror(err));
    if (j->q.fmt == CLI_TABLE) {
        cli_table_print(j->tab, stdout, NULL);
        printf("\n");
        j->tab = split_table(false);
    }
    if ((err = query_program_projects_in(kv, j->id, from_ms, j->q.as_of, project_row, j)) != 0)
        return cli_failf(err, "reading program projects: %s", cf_strerror(err));
    if (j->q.fmt == CLI_TABLE) {
        cli_table_print(j->tab, stdout, NULL);
        j->tab = NULL;
    }
    if (j->q.fmt == CLI_TABLE && pending)
        printf(_("\npending: %llu entries of %s wait here for entries they cite\n"),
               (unsigned long long)pending, op);
    return CLI_OK;
}

static int status_command(cli_env *env, const cli_args *a, bool pool_only)
{
    struct status_job j = {.q.fmt = cli_get_format(a), .q.as_of_arg = cli_get(a, "as-of"),
                           .pool_only = pool_only, .id = a->pos[0]};
    const char *year_arg = pool_only ? NULL : cli_get(a, "year");
    uint64_t year;
    int rc;
    if (year_arg) {
        if (cli_parse_u64(year_arg, &year) != CF_OK || year < 1970 || year > 9999)
            return cli_usage_error(a, "--year %s: a year from 1970 to 9999", year_arg);
        j.year = (int)year;
    }
    if (!entry_id_valid(j.id, strlen(j.id))) return cli_failf(CF_EINVAL, "not a program identifier");
    if ((rc = cli_open_home(env, HOME_RDONLY, &j.q.h)) != 0) return rc;
    rc = cli_read(j.q.h, status_read, &j);
    cli_table_free(j.tab); /* an error's */
    if (j.q.json) {
        if (rc == CLI_OK) cli_print_json(j.q.json);
        json_decref(j.q.json);
    }
    cli_close_home(j.q.h);
    return rc;
}

static int run_program_status(cli_env *env, const cli_args *a)
{
    return status_command(env, a, false);
}

/* `pool status ID`: program status of a pool. */
static int run_pool_status(cli_env *env, const cli_args *a)
{
    return status_command(env, a, true);
}

/* ---- the commands ------------------------------------------------------------ */

const cli_cmd cli_cmd_positions = {
    .name = "positions",
    .opts = (const cli_opt[]){
        {"holder", "MEMBER", 0, 0, N_("only this holder's positions")},
        {"project", "P", CLI_ID, 0, N_("only this project's")},
        {"by-round", NULL, 0, 0, N_("what each holder put into each round, and its exits")},
        CLI_OPT_AS_OF,
        CLI_OPT_FORMAT,
        CLI_OPT_END},
    .summary = N_("who holds what in each project: invested, exited, net and share"),
    .help = N_("Per project and holder, in name order: what the holder invested, what it exited, "
            "the net position (invested minus exited) and its share of the project; a holder "
            "that exited whole keeps its row. Each project ends with its total and the holders' "
            "totals across projects follow (rows of kind project_total and holder_total). Awards, leases and bank loans are never "
            "positions: without --holder they follow as \"not equity\" (the table's apart; in "
            "JSON and CSV rows of kind not_equity). --by-round: what each holder put into "
            "each round, its exits on a row of their own. A --holder or --project that names "
            "nothing registered is an error (exit 3)."),
    .example = "positions --project robotics --as-of 2026-06-30",
    .run = run_positions,
};

const cli_cmd cli_cmd_program_status = {
    .name = "program status",
    .args = "ID",
    .min_args = 1,
    .max_args = 1,
    .flags = CLI_ARG_ID,
    .opts = (const cli_opt[]){
        {"year", "Y", 0, 0, N_("only year Y in the table by year (matching programs)")},
        CLI_OPT_AS_OF,
        CLI_OPT_FORMAT,
        CLI_OPT_END},
    .summary = N_("a program's terms and what it deployed, by year and project"),
    .help = N_("A matching program: its terms; deployed in total, per year against the budget and "
            "per project against the cap; counterpart matched; leverage; counterpart awaiting a "
            "match. A pool: as pool status. A leasing program: its leases by project. An award "
            "program: its awards by year and level against the budget."),
    .example = "program status industrial --format json",
    .run = run_program_status,
};

const cli_cmd cli_cmd_pool_status = {
    .name = "pool status",
    .args = "ID",
    .min_args = 1,
    .max_args = 1,
    .flags = CLI_ARG_ID,
    .opts = (const cli_opt[]){CLI_OPT_AS_OF, CLI_OPT_FORMAT, CLI_OPT_END},
    .summary = N_("a pool's balance, loans outstanding and headroom, bank by bank"),
    .help = N_("A loan risk compensation pool: balance (deposited, withdrawn, compensation paid), "
            "loans outstanding (guaranteed, released), headroom (leverage x balance - "
            "outstanding), loans registered and repaid, defaults and losses; in total and bank "
            "by bank."),
    .example = "pool status pool",
    .run = run_pool_status,
};
