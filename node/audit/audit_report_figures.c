/* audit_report_figures.c — the rows of the audit report's figures: a
 * matching program as text (its figures, its split by year and by project),
 * the positions and the returns, as `cofund program status`, `positions` and
 * `returns` print them; in JSON the reports' own fields (ledger/report.h).
 * The sections around them are audit_report.c's; the pool, leasing, award
 * and subsidy programs and what is not equity are audit_report_instruments.c's.
 */
#include <stdio.h>
#include <string.h>

#include "audit_internal.h"
#include "audit_report_internal.h"
#include "audit_text.h"
#include "crypto/cf_error.h"
#include "crypto/cf_i18n.h"
#include "ledger/amount.h"
#include "ledger/names.h"
#include "ledger/query.h"
#include "ledger/report.h"
#include "ledger/rules.h"

/* ---- figures -----------------------------------------------------------------
 * JSON: the reports' own fields (ledger/report.h), as `cofund` writes them.
 * Text: the tables `cofund` prints. */

typedef struct {
    audit_out *o;
    state_program pg;
} prog_job;

/* One row of a program's split by year or by project: deployed against the
 * limit that applies (budget or cap), counterpart, leverage. */
static const audit_col split_cols[] = {{14, false, 0}, {20, true, 0}, {20, true, 0},
                                       {8, true, 0},   {20, true, 0}, {8, true, 0}};

static void split_head(audit_out *o, const char *first, const char *limit, bool project)
{
    char dep[64], lim[64], cp[64];
    const char *head[] = {first, audit__heading(_("DEPLOYED"), dep, sizeof dep),
                          audit__heading(limit, lim, sizeof lim), _("USED"),
                          audit__heading(_("COUNTERPART"), cp, sizeof cp), _("LEVERAGE")};
    fputc('\n', o->f);
    audit__fit(o->cols, 6, split_cols, head);
    if (project) audit__fit_projects(&o->a->kv, &o->cols[0]);
    audit__row(o->f, "  ", 6, o->cols, head);
}

static void split_row(prog_job *j, const char *label, const query_totals *t, bool has_limit,
                      int64_t limit_fen)
{
    char dep[AUDIT_AMOUNT_BYTES], cp[AUDIT_AMOUNT_BYTES], lim[AUDIT_AMOUNT_BYTES] = "-",
         used[32] = "-", lev[32];
    report_fmt_leverage(t->counterpart_fen, t->deployed_fen, lev, sizeof lev);
    audit__amount(t->deployed_fen, dep);
    audit__amount(t->counterpart_fen, cp);
    if (has_limit) {
        audit__amount(limit_fen, lim);
        report_fmt_share(t->deployed_fen, limit_fen, true, used, sizeof used);
    }
    const char *row[] = {label, dep, lim, used, cp, lev};
    audit__row(j->o->f, "  ", 6, j->o->cols, row);
}

static int year_row(void *arg, const query_year *y)
{
    prog_job *j = arg;
    char year[16];
    snprintf(year, sizeof year, "%d", y->year);
    split_row(j, year, &y->t, j->pg.has_budget, j->pg.budget_fen);
    return CF_OK;
}

static int project_row(void *arg, const query_project *p)
{
    prog_job *j = arg;
    char project[NAMES_PROJECT_BYTES];
    split_row(j, names_project_cell(&j->o->a->kv, p->project, strlen(p->project), project,
                                    sizeof project),
              &p->t, j->pg.has_cap, j->pg.cap_fen);
    return CF_OK;
}

/* Operator entries in the bundle that the replay could not apply (the
 * node's "pending_matches": stored, not applied, not held). */
static uint64_t pending_of(const audit *a, const uint8_t op[32])
{
    for (size_t i = 0; i < a->nfeeds; i++) {
        const audit_feed *f = &a->feeds[i];
        if (memcmp(f->author, op, 32) != 0) continue;
        if (f->state != FEED_PENDING) return 0;
        return f->size - f->from - f->applied;
    }
    return 0;
}

/* "label    value": a program's figure, the label padded by display width. */
void audit__figure(audit_out *o, int width, const char *label, const char *value,
                   const char *more)
{
    const audit_col c[] = {{width, false, 0}, {20, true, 0}, {0, false, 2}};
    const char *cells[] = {label, value, more};
    audit__row(o->f, "", more ? 3 : 2, c, cells);
}

static int match_text(audit_out *o, const state_program *pg, const query_totals *t)
{
    const audit *a = o->a;
    prog_job j = {.o = o, .pg = *pg};
    char op[NAMES_LABEL_BYTES], dep[AUDIT_AMOUNT_BYTES], cp[AUDIT_AMOUNT_BYTES],
        wait[AUDIT_AMOUNT_BYTES], disputed[AUDIT_AMOUNT_BYTES], lev[32], cap[AUDIT_AMOUNT_BYTES],
        budget[AUDIT_AMOUNT_BYTES], start[AUDIT_TEXT_TIME_BYTES], ex[AUDIT_AMOUNT_BYTES],
        out[AUDIT_AMOUNT_BYTES];
    int err;
    snprintf(cap, sizeof cap, "%s", _("none"));
    snprintf(budget, sizeof budget, "%s", _("none"));
    names_member(&a->kv, pg->operator_key, op, sizeof op);
    report_fmt_leverage(t->counterpart_fen, t->deployed_fen, lev, sizeof lev);
    audit__amount(t->deployed_fen, dep);
    audit__amount(t->counterpart_fen, cp);
    audit__amount(t->awaiting_fen, wait);
    audit__amount(t->exited_fen, ex);
    audit__amount(query_outstanding(t), out);
    audit__amount(t->disputed_fen, disputed);
    if (pg->has_cap) audit__amount(pg->cap_fen, cap);
    if (pg->has_budget) audit__amount(pg->budget_fen, budget);
    audit__date_text(pg->start_ms, a->network.tz_min, start);
    fprintf(o->f, _("\nprogram %s (%s), operated by %s, since %s\n"), pg->id, pg->kind, op, start);
    fprintf(o->f, _("  ratio %u:%u (fund : counterpart), window %u days, cap %s per project, "
                    "budget %s per year\n"),
            pg->ratio_num, pg->ratio_den, pg->window_days, cap, budget);
    audit__figure(o, 20, _("deployed"), dep, NULL);
    audit__figure(o, 20, _("exited"), ex, NULL);
    audit__figure(o, 20, _("outstanding"), out, NULL);
    audit__figure(o, 20, _("counterpart matched"), cp, NULL);
    audit__figure(o, 20, _("leverage"), lev, NULL);
    audit__figure(o, 20, _("awaiting a match"), wait, NULL);
    if (t->disputed_fen != 0) {
        char forked[256], more[320];
        query_forks_text(&a->kv, forked, sizeof forked);
        snprintf(more, sizeof more, _("(of deployed: matches citing %s)"), forked);
        audit__figure(o, 20, _("disputed"), disputed, more);
    }
    split_head(o, _("YEAR"), _("BUDGET"), false);
    if ((err = query_program_years(&a->kv, pg->id, STATE_TIME_LATEST, year_row, &j)) != 0) return err;
    split_head(o, _("PROJECT"), _("CAP"), true);
    return query_program_projects(&a->kv, pg->id, STATE_TIME_LATEST, project_row, &j);
}

int audit__program_row(void *arg, const state_program *pg)
{
    audit_out *o = arg;
    report_program r;
    const report_desc *d;
    int err = report_program_load(&o->rc, pg, pending_of(o->a, pg->operator_key), &r, &d);
    if (err) return err;
    if (o->json) return report_write(&o->rc, d, &r, NULL, &audit__json_sink, o);
    if (pg->pkind != PROGRAM_MATCH) return audit__instrument_text(o, &r);
    return match_text(o, pg, &r.match);
}

/* The positions and returns as `cofund positions` and `cofund returns`
 * print them (node/ledger/report.h's REPORT_POSITION_ROW and
 * REPORT_RETURNS_ROW), amounts in the unit, aligned by display width. */
const audit_col audit__position_cols[] = {{16, false, 0}, {20, false, 0}, {9, false, 0},
                                          {21, true, 0},  {21, true, 0},  {21, true, 0},
                                          {8, true, 0}};
const audit_col audit__return_cols[] = {{8, false, 0}, {20, false, 0}, {21, true, 0},
                                        {21, true, 0}, {21, true, 0},  {8, true, 0},
                                        {9, true, 0}};

int audit__position_row(void *arg, const query_position *p)
{
    audit_out *o = arg;
    char who[NAMES_LABEL_BYTES], project[NAMES_PROJECT_BYTES], in[AUDIT_AMOUNT_BYTES],
        ex[AUDIT_AMOUNT_BYTES], net[AUDIT_AMOUNT_BYTES], share[32];
    if (o->json) {
        report_position_row r = {.pos = p};
        return report_write(&o->rc, &report_position, &r, NULL, &audit__json_sink, o);
    }
    names_member(&o->a->kv, p->holder, who, sizeof who);
    names_project_cell(&o->a->kv, p->project, strlen(p->project), project, sizeof project);
    audit__amount(p->invested_fen, in);
    audit__amount(p->exited_fen, ex);
    audit__amount(p->amount_fen, net);
    report_fmt_share(p->amount_fen, p->project_total_fen, true, share, sizeof share);
    const char *row[] = {project, who, audit__role_of(o, p->holder), in, ex, net, share};
    audit__row(o->f, "", 7, o->cols, row);
    return CF_OK;
}

int audit__return_row(void *arg, const query_return *r)
{
    audit_out *o = arg;
    char name[NAMES_LABEL_BYTES], paid[AUDIT_AMOUNT_BYTES], dist[AUDIT_AMOUNT_BYTES],
        res[AUDIT_AMOUNT_BYTES], moic[32], irr[32];
    if (o->json) return report_write(&o->rc, &report_returns, r, NULL, &audit__json_sink, o);
    if (r->is_program) snprintf(name, sizeof name, "%s", r->program);
    else names_member(&o->a->kv, r->holder, name, sizeof name);
    audit__amount(r->paid_in_fen, paid);
    audit__amount(r->distributed_fen, dist);
    audit__amount(r->residual_fen, res);
    report_fmt_moic(r, true, moic, sizeof moic);
    report_fmt_irr(r, true, irr, sizeof irr);
    if (!r->has_moic) snprintf(moic, sizeof moic, "%s", _("none"));
    if (!r->has_irr) snprintf(irr, sizeof irr, "%s", _("none"));
    /* KIND is an identifier, as in `cofund returns --format json`. */
    const char *row[] = {r->is_program ? "program" : "holder", name, paid, dist, res, moic, irr};
    audit__row(o->f, "", 7, o->cols, row);
    return CF_OK;
}
