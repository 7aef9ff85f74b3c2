/* cmd_catalog.c — what the network registered: `projects` (each project,
 * its name and kind, and the equity in it) and `programs` (each program, its
 * kind, operator, terms in force and status). One row description per
 * query (render.h), so JSON and CSV carry the same fields. */
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

#define N(fields) (sizeof(fields) / sizeof(fields)[0])

/* When a governance entry (a project's or program's registration) was
 * written: its time, read from the governance feed; false when this home
 * does not hold it. */
static bool gov_entry_time(store_txn *txn, const ledger_kv *kv, uint64_t index, uint64_t *time_ms)
{
    state_network net;
    const uint8_t *bytes;
    size_t len;
    entry e;
    diag d;
    if (state_network_get(kv, &net) != CF_OK ||
        store_entry_get(txn, net.gov_key, index, &bytes, &len) != CF_OK ||
        entry_decode(bytes, len, &e, &d) != CF_OK)
        return false;
    *time_ms = e.time_ms;
    return true;
}

static void time_value(bool has, uint64_t t, report_value *v)
{
    v->absent = !has;
    v->a = (int64_t)t;
}

/* ---- projects -------------------------------------------------------------------- */

typedef struct {
    char project[STATE_ID_CAP];
    int64_t holders, invested_fen, exited_fen, net_fen;
} project_sum;

typedef struct {
    const state_project *p;
    bool has_time;
    uint64_t registered_ms;
    project_sum sum;
} project_row;

static void project_id(const report_ctx *c, const void *row, report_value *v)
{
    (void)c;
    v->text = ((const project_row *)row)->p->id;
}

static void project_name(const report_ctx *c, const void *row, report_value *v)
{
    (void)c;
    v->text = ((const project_row *)row)->p->name;
}

static void project_kind(const report_ctx *c, const void *row, report_value *v)
{
    const state_project *p = ((const project_row *)row)->p;
    (void)c;
    v->absent = p->kind[0] == '\0';
    v->text = p->kind;
}

static void project_added(const report_ctx *c, const void *row, report_value *v)
{
    (void)c;
    v->a = (int64_t)((const project_row *)row)->p->added_at;
}

static void project_registered(const report_ctx *c, const void *row, report_value *v)
{
    const project_row *r = row;
    (void)c;
    time_value(r->has_time, r->registered_ms, v);
}

static const report_field project_fields[] = {
    {"project", REPORT_TEXT, .get = project_id},
    {"name", REPORT_TEXT, .get = project_name},
    {"kind", REPORT_TEXT, .get = project_kind},
    {"added_at", REPORT_COUNT, .get = project_added},
    {"registered", REPORT_TIME, .get = project_registered},
    {"holders", REPORT_COUNT, REPORT_AT_INT64(project_row, sum.holders)},
    {"invested", REPORT_AMOUNT, REPORT_AT_INT64(project_row, sum.invested_fen)},
    {"exited", REPORT_AMOUNT, REPORT_AT_INT64(project_row, sum.exited_fen)},
    {"net", REPORT_AMOUNT, REPORT_AT_INT64(project_row, sum.net_fen)},
};
static const report_desc project_desc = {project_fields, N(project_fields)};

struct projects_job {
    home *h;
    enum cli_format fmt;
    const char *as_of_arg;
    uint64_t as_of;
    int32_t tz;
    store_txn *txn;
    const ledger_kv *kv;
    project_sum *sums;
    size_t nsums, cap;
    render_rows out;
    cli_table *tab;
};

/* positions, summed by project (query_positions visits them project by
 * project, in the order projects are listed). */
static int sum_position(void *arg, const query_position *p)
{
    struct projects_job *j = arg;
    if (j->nsums == 0 || strcmp(j->sums[j->nsums - 1].project, p->project) != 0) {
        if (cf_reserve((void **)&j->sums, &j->cap, j->nsums, sizeof *j->sums, 16) != CF_OK)
            return CF_ENOMEM;
        memset(&j->sums[j->nsums], 0, sizeof *j->sums);
        memcpy(j->sums[j->nsums++].project, p->project, STATE_ID_CAP);
    }
    project_sum *s = &j->sums[j->nsums - 1];
    if (p->amount_fen > 0) s->holders++;
    if (!amount_add(s->invested_fen, p->invested_fen, &s->invested_fen) ||
        !amount_add(s->exited_fen, p->exited_fen, &s->exited_fen) ||
        !amount_add(s->net_fen, p->amount_fen, &s->net_fen))
        return CF_EOVERFLOW;
    return CF_OK;
}

static int project_visit(void *arg, const state_project *p)
{
    struct projects_job *j = arg;
    project_row r = {.p = p};
    char when[CLI_TIME_BYTES] = "";
    r.has_time = gov_entry_time(j->txn, j->kv, p->added_at, &r.registered_ms);
    for (size_t i = 0; i < j->nsums; i++)
        if (strcmp(j->sums[i].project, p->id) == 0) r.sum = j->sums[i];
    if (j->fmt != CLI_TABLE) return render_rows_add(&j->out, &r);
    j->out.n++;
    if (r.has_time) cli_date_text(r.registered_ms, j->tz, when);
    cli_table_cell(j->tab, p->id);
    cli_table_cell(j->tab, p->name);
    cli_table_cell(j->tab, p->kind);
    cli_table_cell(j->tab, when);
    cli_table_cellf(j->tab, "%lld", (long long)r.sum.holders);
    cli_table_amount(j->tab, r.sum.net_fen);
    return CF_OK;
}

static int projects_read(store_txn *txn, const ledger_kv *kv, void *arg)
{
    struct projects_job *j = arg;
    int rc = cli_query_as_of(kv, j->as_of_arg, &j->as_of, &j->tz);
    if (rc) return rc;
    j->txn = txn;
    j->kv = kv;
    report_ctx c = {.kv = kv, .as_of = j->as_of, .tz_min = j->tz};
    int err = query_positions(kv, NULL, NULL, j->as_of, sum_position, j);
    if (err) return cli_failf(err, "reading positions: %s", cf_strerror(err));
    render_rows_begin(&j->out, j->fmt, &c, &project_desc);
    if (j->fmt == CLI_TABLE)
        j->tab = cli_columns((const char *const[]){_("PROJECT"), _("NAME"), _("KIND"),
                                                   _("REGISTERED"), _("HOLDERS"), _("EQUITY")},
                             "llllna");
    if ((err = state_projects_each(kv, project_visit, j)) != 0)
        return cli_failf(err, "reading projects: %s", cf_strerror(err));
    cli_table_print(j->tab, stdout, _("(no projects)"));
    j->tab = NULL;
    return CLI_OK;
}

static int run_projects(cli_env *env, const cli_args *a)
{
    struct projects_job j = {.fmt = cli_get_format(a), .as_of_arg = cli_get(a, "as-of")};
    int rc;
    if ((rc = cli_open_home(env, HOME_RDONLY, &j.h)) != 0) return rc;
    rc = render_rows_end(&j.out, cli_read(j.h, projects_read, &j));
    cli_table_free(j.tab); /* an error's */
    free(j.sums);
    cli_close_home(j.h);
    return rc;
}

const cli_cmd cli_cmd_projects = {
    .name = "projects",
    .opts = (const cli_opt[]){CLI_OPT_AS_OF, CLI_OPT_FORMAT, CLI_OPT_END},
    .summary = N_("every project: its name, kind, when registered, and the equity in it"),
    .help = N_("Every project registered, by id: its display name (the latest rename), its kind, "
            "the governance entry and time that registered it, and the equity in it as "
            "positions count it: holders with a position, invested, exited and net (with "
            "--as-of: as it stood then). Every project this home holds is listed: entries "
            "are dated by their authors, so a registration's time does not bound them."),
    .example = "projects --format csv",
    .run = run_projects,
};

/* ---- programs -------------------------------------------------------------------- */

typedef struct {
    const state_program *pg; /* its terms in force */
    const char *status;      /* open, closing (a closing dated later), closed: N_() */
    bool has_time, has_close;
    uint64_t registered_ms, closed_at;
    int64_t amendments; /* in force by then */
} program_row;

#define PG(r) (((const program_row *)(r))->pg)

static void pg_id(const report_ctx *c, const void *row, report_value *v)
{
    (void)c;
    v->text = PG(row)->id;
}

static void pg_kind(const report_ctx *c, const void *row, report_value *v)
{
    (void)c;
    v->text = PG(row)->kind;
}

static void pg_operator(const report_ctx *c, const void *row, report_value *v)
{
    ledger_member_label(c->kv, PG(row)->operator_key, v->buf, sizeof v->buf);
    v->text = v->buf;
}

static void pg_status(const report_ctx *c, const void *row, report_value *v)
{
    (void)c;
    v->text = ((const program_row *)row)->status;
}

static void pg_closed_at(const report_ctx *c, const void *row, report_value *v)
{
    const program_row *r = row;
    (void)c;
    time_value(r->has_close, r->closed_at, v);
}

static void pg_registered(const report_ctx *c, const void *row, report_value *v)
{
    const program_row *r = row;
    (void)c;
    time_value(r->has_time, r->registered_ms, v);
}

static void pg_start(const report_ctx *c, const void *row, report_value *v)
{
    (void)c;
    time_value(PG(row)->pkind == PROGRAM_MATCH, PG(row)->start_ms, v);
}

static void pg_amendments(const report_ctx *c, const void *row, report_value *v)
{
    (void)c;
    v->a = ((const program_row *)row)->amendments;
}

/* A term of one kind: null for the others. */
static bool is(const void *row, enum program_kind k, report_value *v)
{
    v->absent = PG(row)->pkind != k;
    return !v->absent;
}

static void pg_ratio(const report_ctx *c, const void *row, report_value *v)
{
    (void)c;
    if (!is(row, PROGRAM_MATCH, v)) return;
    v->a = PG(row)->ratio_num;
    v->b = PG(row)->ratio_den;
}

static void pg_window(const report_ctx *c, const void *row, report_value *v)
{
    (void)c;
    if (is(row, PROGRAM_MATCH, v)) v->a = PG(row)->window_days;
}

static void pg_cap(const report_ctx *c, const void *row, report_value *v)
{
    (void)c;
    if (!is(row, PROGRAM_MATCH, v)) return;
    v->absent = !PG(row)->has_cap;
    v->a = PG(row)->cap_fen;
}

static void pg_budget(const report_ctx *c, const void *row, report_value *v)
{
    const state_program *pg = PG(row);
    (void)c;
    v->absent = !pg->has_budget || (pg->pkind != PROGRAM_MATCH && pg->pkind != PROGRAM_AWARD);
    v->a = pg->budget_fen;
}

static void pg_leverage(const report_ctx *c, const void *row, report_value *v)
{
    (void)c;
    if (is(row, PROGRAM_POOL, v)) v->a = PG(row)->leverage;
}

static void pg_share(const report_ctx *c, const void *row, report_value *v)
{
    (void)c;
    if (!is(row, PROGRAM_POOL, v)) return;
    v->a = PG(row)->share_num;
    v->b = PG(row)->share_den;
}

static void pg_size(const report_ctx *c, const void *row, report_value *v)
{
    (void)c;
    if (!is(row, PROGRAM_POOL, v)) return;
    v->absent = !PG(row)->has_size;
    v->a = PG(row)->size_fen;
}

static void pg_part(const void *row, enum lease_part i, report_value *v)
{
    if (!is(row, PROGRAM_LEASING, v)) return;
    /* A bound not stated is the whole range. */
    v->a = PG(row)->has_part[i] ? PG(row)->part[i].min_pct : 0;
    v->b = PG(row)->has_part[i] ? PG(row)->part[i].max_pct : 100;
}

static void pg_down(const report_ctx *c, const void *row, report_value *v)
{
    (void)c;
    pg_part(row, LEASE_DOWN, v);
}

static void pg_financing(const report_ctx *c, const void *row, report_value *v)
{
    (void)c;
    pg_part(row, LEASE_FINANCING, v);
}

static void pg_advance(const report_ctx *c, const void *row, report_value *v)
{
    (void)c;
    pg_part(row, LEASE_ADVANCE, v);
}

static void pg_levels(const report_ctx *c, const void *row, report_value *v)
{
    (void)c;
    if (!is(row, PROGRAM_AWARD, v)) return;
    v->list = PG(row)->levels_fen;
    v->n = PG(row)->nlevels;
}

static const report_field program_fields[] = {
    {"program", REPORT_TEXT, .get = pg_id},
    {"kind", REPORT_TEXT, .get = pg_kind},
    {"operator", REPORT_TEXT, .get = pg_operator},
    {"registered", REPORT_TIME, .get = pg_registered},
    {"start", REPORT_TIME, .get = pg_start},
    {"status", REPORT_TEXT, .get = pg_status},
    {"closed_at", REPORT_TIME, .get = pg_closed_at},
    {"amendments", REPORT_COUNT, .get = pg_amendments},
    /* the terms in force, each of its kind's (null for the others) */
    {"ratio", REPORT_PAIR, .get = pg_ratio},
    {"window_days", REPORT_COUNT, .get = pg_window},
    {"project_cap", REPORT_AMOUNT, .get = pg_cap},
    {"annual_budget", REPORT_AMOUNT, .get = pg_budget},
    {"leverage", REPORT_COUNT, .get = pg_leverage},
    {"share", REPORT_PAIR, .get = pg_share},
    {"size", REPORT_AMOUNT, .get = pg_size},
    {"down", REPORT_PAIR, .get = pg_down},
    {"financing", REPORT_PAIR, .get = pg_financing},
    {"advance", REPORT_PAIR, .get = pg_advance},
    {"levels", REPORT_AMOUNTS, .get = pg_levels},
};
static const report_desc program_desc = {program_fields, N(program_fields)};

struct programs_job {
    home *h;
    enum cli_format fmt;
    const char *as_of_arg;
    uint64_t as_of, at;
    int32_t tz;
    store_txn *txn;
    const ledger_kv *kv;
    render_rows out;
    int64_t amendments;
    cli_table *tab;
};

/* The terms in force, for the table: "ratio 1:1, window 90 days, cap
 * 3,000,000.00, budget none" (amounts in the table's unit). */
static void terms_text(const state_program *pg, char *out, size_t cap)
{
    char a[CLI_AMOUNT_BYTES], b[CLI_AMOUNT_BYTES];
    size_t n = 0;
    out[0] = '\0';
    snprintf(a, sizeof a, "%s", _("none"));
    snprintf(b, sizeof b, "%s", _("none"));
    switch (pg->pkind) {
    case PROGRAM_MATCH:
        if (pg->has_cap) cli_amount_text(pg->cap_fen, a);
        if (pg->has_budget) cli_amount_text(pg->budget_fen, b);
        snprintf(out, cap, _("ratio %u:%u, window %u days, cap %s, budget %s"), pg->ratio_num,
                 pg->ratio_den, pg->window_days, a, b);
        break;
    case PROGRAM_POOL:
        if (pg->has_size) cli_amount_text(pg->size_fen, a);
        snprintf(out, cap, _("leverage %u, share %u:%u, size %s"), pg->leverage, pg->share_num,
                 pg->share_den, a);
        break;
    case PROGRAM_LEASING: cli_lease_bounds(pg, out, cap); break;
    case PROGRAM_AWARD:
        n = (size_t)snprintf(out, cap, "%s", _("amounts"));
        for (size_t i = 0; i < pg->nlevels && n < cap; i++) {
            cli_amount_text(pg->levels_fen[i], a);
            n += (size_t)snprintf(out + n, cap - n, "%s %s", i ? "," : "", a);
        }
        if (pg->has_budget && n < cap) {
            cli_amount_text(pg->budget_fen, b);
            snprintf(out + n, cap - n, _(", budget %s"), b);
        }
        break;
    default: break;
    }
}

static int count_amendment(void *arg, const state_terms *t)
{
    struct programs_job *j = arg;
    if (!t->close && t->time_ms <= j->at) j->amendments++;
    return CF_OK;
}

static int program_visit(void *arg, const state_program *p)
{
    struct programs_job *j = arg;
    state_program pg = *p;
    program_row r = {.pg = &pg, .status = N_("open")};
    char op[CLI_LABEL_BYTES], terms[512], when[CLI_TIME_BYTES] = "";
    bool closed = false;
    r.has_time = gov_entry_time(j->txn, j->kv, p->added_at, &r.registered_ms);
    int err = state_terms_in_force(j->kv, &pg, j->at, UINT64_MAX, &closed, &r.closed_at);
    j->amendments = 0;
    if (err == CF_OK) err = state_terms_each(j->kv, p->id, count_amendment, j);
    if (err) return err;
    r.amendments = j->amendments;
    r.has_close = closed;
    if (closed) r.status = r.closed_at < j->at ? N_("closed") : N_("closing");
    if (j->fmt != CLI_TABLE) return render_rows_add(&j->out, &r);
    j->out.n++;
    cli_member_label(j->kv, pg.operator_key, op, sizeof op);
    terms_text(&pg, terms, sizeof terms);
    if (closed) cli_date_text(r.closed_at, j->tz, when);
    cli_table_cell(j->tab, pg.id);
    cli_table_cell(j->tab, pg.kind);
    cli_table_cell(j->tab, op);
    cli_table_cell(j->tab, _(r.status));
    cli_table_cell(j->tab, when);
    cli_table_cellf(j->tab, "%s%s", terms, r.amendments ? _(" (amended)") : "");
    return CF_OK;
}

static int programs_read(store_txn *txn, const ledger_kv *kv, void *arg)
{
    struct programs_job *j = arg;
    int rc = cli_query_as_of(kv, j->as_of_arg, &j->as_of, &j->tz);
    if (rc) return rc;
    j->txn = txn;
    j->kv = kv;
    j->at = j->as_of == STATE_TIME_LATEST ? cli_now_ms() : j->as_of;
    report_ctx c = {.kv = kv, .as_of = j->as_of, .tz_min = j->tz};
    render_rows_begin(&j->out, j->fmt, &c, &program_desc);
    if (j->fmt == CLI_TABLE) {
        /* TERMS IN FORCE: text whose amounts are in the unit its heading names */
        j->tab = cli_columns((const char *const[]){_("PROGRAM"), _("KIND"), _("OPERATOR"),
                                                   _("STATUS"), _("CLOSED AT"),
                                                   _("TERMS IN FORCE")},
                             "lllllA");
    }
    int err = state_programs_each(kv, program_visit, j);
    if (err) return cli_failf(err, "reading programs: %s", cf_strerror(err));
    cli_table_print(j->tab, stdout, _("(no programs)"));
    j->tab = NULL;
    return CLI_OK;
}

static int run_programs(cli_env *env, const cli_args *a)
{
    struct programs_job j = {.fmt = cli_get_format(a), .as_of_arg = cli_get(a, "as-of")};
    int rc;
    if ((rc = cli_open_home(env, HOME_RDONLY, &j.h)) != 0) return rc;
    rc = render_rows_end(&j.out, cli_read(j.h, programs_read, &j));
    cli_table_free(j.tab); /* an error's */
    cli_close_home(j.h);
    return rc;
}

const cli_cmd cli_cmd_programs = {
    .name = "programs",
    .opts = (const cli_opt[]){CLI_OPT_AS_OF, CLI_OPT_FORMAT, CLI_OPT_END},
    .summary = N_("every program: kind, operator, terms in force and status"),
    .help = N_("Every program registered, by id: its kind, operator, when registered (and a "
            "matching program's start), its status — open, closing (a closing dated later) or "
            "closed (R-CLOSE) — and the terms in force now, or as of --as-of, with every "
            "amendment from by then (R-AMEND): ratio, window, cap and budget of a matching "
            "program, leverage, share and size of a pool, the leasing bounds, the award "
            "amounts. A term of another kind is null in JSON, empty in CSV."),
    .example = "programs --as-of 2026-06-30 --format json",
    .run = run_programs,
};
