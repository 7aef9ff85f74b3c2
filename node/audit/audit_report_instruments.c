/* audit_report_instruments.c — the audit report's pool, leasing, award and
 * subsidy programs, and what projects received that is not equity, as text: the
 * figures of `cofund program status` / `positions` (node/cli/
 * cmd_instruments_query.c). Their JSON is the reports' own (ledger/report.h). */
#include <inttypes.h>
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

/* ---- the other instruments: pools, leasing, awards ------------------------- */

static const audit_col bank_cols[] = {{14, false, 0}, {18, true, 0}, {18, true, 0},
                                      {18, true, 0},  {18, true, 0}, {8, true, 0},
                                      {16, true, 0},  {16, true, 0}};

static int bank_row(void *arg, const query_pool_bank *b)
{
    audit_out *o = arg;
    char v[6][AUDIT_AMOUNT_BYTES], defaults[24];
    const int64_t fen[6] = {b->lent_fen, b->guaranteed_fen, b->outstanding_fen,
                            b->repaid_fen, b->loss_fen, b->compensated_fen};
    for (int i = 0; i < 6; i++) audit__amount(fen[i], v[i]);
    snprintf(defaults, sizeof defaults, "%" PRId64, b->defaults);
    const char *row[] = {b->bank, v[0], v[1], v[2], v[3], defaults, v[4], v[5]};
    audit__row(o->f, "  ", 8, o->cols, row);
    return CF_OK;
}

/* The headings of a table whose columns `amount` are amounts: those name
 * the unit. */
/* A table's headings; its first column fitted to every project's cell when
 * it lists projects. */
static void heads(audit_out *o, const char *indent, size_t n, const audit_col cols[],
                  const char *const words[], const bool amount[], bool projects)
{
    char h[12][64];
    const char *cells[12];
    for (size_t i = 0; i < n && i < 12; i++)
        cells[i] = amount[i] ? audit__heading(words[i], h[i], sizeof h[i]) : words[i];
    audit__fit(o->cols, n, cols, cells);
    if (projects) audit__fit_projects(&o->a->kv, &o->cols[0]);
    audit__row(o->f, indent, n, o->cols, cells);
}

static int pool_text(audit_out *o, const state_program *pg, const query_pool *q)
{
    char size[AUDIT_AMOUNT_BYTES], v[11][AUDIT_AMOUNT_BYTES], more[256], n[24];
    snprintf(size, sizeof size, "%s", _("none"));
    if (pg->has_size) audit__amount(pg->size_fen, size);
    const int64_t fen[11] = {q->balance_fen,     q->deposited_fen,  q->withdrawn_fen,
                             q->compensated_fen, q->guaranteed_fen, q->released_fen,
                             q->outstanding_fen, q->headroom_fen,   q->lent_fen,
                             q->repaid_fen,      q->loss_fen};
    for (int i = 0; i < 11; i++) audit__amount(fen[i], v[i]);
    fprintf(o->f, _("  leverage %u, pool share %u:%u of each loss, size %s\n"), pg->leverage,
            pg->share_num, pg->share_den, size);
    snprintf(more, sizeof more, _("(deposited %s, withdrawn %s, compensation paid %s)"), v[1],
             v[2], v[3]);
    audit__figure(o, 18, _("balance"), v[0], more);
    snprintf(more, sizeof more, _("(guaranteed %s, released %s)"), v[4], v[5]);
    audit__figure(o, 18, _("loans outstanding"), v[6], more);
    snprintf(more, sizeof more, _("(%u × balance − outstanding)"), pg->leverage);
    audit__figure(o, 18, _("headroom"), v[7], more);
    snprintf(more, sizeof more, _("(repaid %s)"), v[9]);
    audit__figure(o, 18, _("loans registered"), v[8], more);
    snprintf(more, sizeof more, _("(losses %s)"), v[10]);
    snprintf(n, sizeof n, "%" PRId64, q->defaults);
    audit__figure(o, 18, _("defaults"), n, more);
    const char *words[] = {_("BANK"),   _("LENT"),     _("GUARANTEED"), _("OUTSTANDING"),
                           _("REPAID"), _("DEFAULTS"), _("LOSSES"),     _("COMPENSATED")};
    static const bool amount[] = {false, true, true, true, true, false, true, true};
    fputc('\n', o->f);
    heads(o, "  ", 8, bank_cols, words, amount, false);
    return query_pool_banks(&o->a->kv, pg->id, STATE_TIME_LATEST, bank_row, o);
}

static int leasing_text(audit_out *o, const state_program *pg, const query_lease_totals *t)
{
    const char *const parts[LEASE__PARTS] = {_("down"), _("financing"), _("advance")};
    char price[AUDIT_AMOUNT_BYTES], part[LEASE__PARTS][AUDIT_AMOUNT_BYTES], n[24];
    audit__amount(t->price_fen, price);
    for (int i = 0; i < LEASE__PARTS; i++) audit__amount(t->part_fen[i], part[i]);
    fprintf(o->f, " ");
    for (int i = 0; i < LEASE__PARTS; i++)
        fprintf(o->f, _("%s %s %u-%u%%"), i ? "," : "", parts[i],
                pg->has_part[i] ? pg->part[i].min_pct : 0,
                pg->has_part[i] ? pg->part[i].max_pct : 100);
    fprintf(o->f, "%s\n", _(" of the price"));
    snprintf(n, sizeof n, "%" PRId64, t->count);
    audit__figure(o, 18, _("leases"), n, NULL);
    audit__figure(o, 18, _("price"), price, NULL);
    audit__figure(o, 18, _("down payments"), part[0], NULL);
    audit__figure(o, 18, _("lessor financing"), part[1], NULL);
    audit__figure(o, 18, _("supplier advances"), part[2], NULL);
    return CF_OK;
}

typedef struct {
    audit_out *o;
    const state_program *pg;
    int year;
    int64_t total, count;
} award_job;

static const audit_col award_cols[] = {{6, false, 0},  {18, true, 0}, {7, true, 0},
                                       {18, true, 0}, {18, true, 0}, {8, true, 0}};

static void award_year_end(award_job *j)
{
    audit_out *o = j->o;
    char total[AUDIT_AMOUNT_BYTES], budget[AUDIT_AMOUNT_BYTES] = "-", used[32] = "-", year[16],
        count[24];
    if (j->year == 0) return;
    audit__amount(j->total, total);
    if (j->pg->has_budget) {
        audit__amount(j->pg->budget_fen, budget);
        report_fmt_share(j->total, j->pg->budget_fen, true, used, sizeof used);
    }
    snprintf(year, sizeof year, "%d", j->year);
    snprintf(count, sizeof count, "%" PRId64, j->count);
    /* TRANSLATORS: a year's row of every award level in the audit report. */
    const char *row[] = {year, _("all"), count, total, budget, used};
    audit__row(o->f, "  ", 6, o->cols, row);
    j->year = 0;
}

static int award_level(void *arg, const query_award_level *l)
{
    award_job *j = arg;
    char level[AUDIT_AMOUNT_BYTES], total[AUDIT_AMOUNT_BYTES], year[16], count[24];
    if (l->year != j->year) {
        award_year_end(j);
        j->year = l->year;
        j->total = j->count = 0;
    }
    j->total += l->total_fen;
    j->count += l->count;
    audit__amount(l->level_fen, level);
    audit__amount(l->total_fen, total);
    snprintf(year, sizeof year, "%d", l->year);
    snprintf(count, sizeof count, "%" PRId64, l->count);
    const char *row[] = {year, level, count, total};
    audit__row(j->o->f, "  ", 4, j->o->cols, row);
    return CF_OK;
}

static int award_text(audit_out *o, const state_program *pg)
{
    char budget[AUDIT_AMOUNT_BYTES], x[AUDIT_AMOUNT_BYTES];
    award_job j = {.o = o, .pg = pg};
    snprintf(budget, sizeof budget, "%s", _("none"));
    if (pg->has_budget) audit__amount(pg->budget_fen, budget);
    fprintf(o->f, "%s", _("  amounts"));
    for (size_t i = 0; i < pg->nlevels; i++) {
        audit__amount(pg->levels_fen[i], x);
        fprintf(o->f, "%s %s", i ? "," : "", x);
    }
    fprintf(o->f, _("; budget %s per year\n\n"), budget);
    const char *words[] = {_("YEAR"), _("LEVEL"), _("AWARDS"), _("AMOUNT"), _("BUDGET"), _("USED")};
    static const bool amount[] = {false, true, false, true, true, false};
    heads(o, "  ", 6, award_cols, words, amount, false);
    int err = query_award_levels(&o->a->kv, pg->id, STATE_TIME_LATEST, award_level, &j);
    award_year_end(&j);
    return err;
}

static const audit_col subsidy_cols[] = {{6, false, 0}, {9, true, 0}, {18, true, 0},
                                         {18, true, 0}, {8, true, 0}};

static int subsidy_year(void *arg, const query_subsidy_year *y)
{
    award_job *j = arg;
    char paid[AUDIT_AMOUNT_BYTES], budget[AUDIT_AMOUNT_BYTES] = "-", used[32] = "-", year[16],
        count[24];
    audit__amount(y->paid_fen, paid);
    if (j->pg->has_budget) {
        audit__amount(j->pg->budget_fen, budget);
        report_fmt_share(y->paid_fen, j->pg->budget_fen, true, used, sizeof used);
    }
    snprintf(year, sizeof year, "%d", y->year);
    snprintf(count, sizeof count, "%" PRId64, y->count);
    const char *row[] = {year, count, paid, budget, used};
    audit__row(j->o->f, "  ", 5, j->o->cols, row);
    return CF_OK;
}

/* A subsidy program (R-SUBSIDY): its terms, what it paid, by year. */
static int subsidy_text(audit_out *o, const state_program *pg, const query_subsidy_sum *t)
{
    char cap[AUDIT_AMOUNT_BYTES], rcap[AUDIT_AMOUNT_BYTES], budget[AUDIT_AMOUNT_BYTES],
        paid[AUDIT_AMOUNT_BYTES], n[24];
    award_job j = {.o = o, .pg = pg};
    snprintf(cap, sizeof cap, "%s", _("none"));
    snprintf(rcap, sizeof rcap, "%s", _("none"));
    snprintf(budget, sizeof budget, "%s", _("none"));
    if (pg->has_cap) audit__amount(pg->cap_fen, cap);
    if (pg->has_recipient_cap) audit__amount(pg->recipient_cap_fen, rcap);
    if (pg->has_budget) audit__amount(pg->budget_fen, budget);
    audit__amount(t->paid_fen, paid);
    fprintf(o->f, _("  basis %s; share %u:%u of the price, cap %s per unit, %s per recipient per "
                    "year, budget %s per year\n"),
            cert_kind_name(pg->basis), pg->share_num, pg->share_den, cap, rcap, budget);
    snprintf(n, sizeof n, "%" PRId64, t->count);
    audit__figure(o, 18, _("subsidies"), n, NULL);
    audit__figure(o, 18, _("paid"), paid, NULL);
    const char *words[] = {_("YEAR"), _("SUBSIDIES"), _("PAID"), _("BUDGET"), _("USED")};
    static const bool amount[] = {false, false, true, true, false};
    fputc('\n', o->f);
    heads(o, "  ", 5, subsidy_cols, words, amount, false);
    return query_subsidy_years(&o->a->kv, pg->id, STATE_TIME_LATEST, subsidy_year, &j);
}

int audit__instrument_text(audit_out *o, const report_program *r)
{
    const state_program *pg = r->pg;
    char op[NAMES_LABEL_BYTES];
    names_member(&o->a->kv, pg->operator_key, op, sizeof op);
    fprintf(o->f, _("\nprogram %s (%s), operated by %s\n"), pg->id, pg->kind, op);
    switch (pg->pkind) {
    case PROGRAM_POOL: return pool_text(o, pg, &r->pool);
    case PROGRAM_LEASING: return leasing_text(o, pg, &r->lease);
    case PROGRAM_SUBSIDY: return subsidy_text(o, pg, &r->subsidy);
    default: return award_text(o, pg);
    }
}

static const audit_col other_cols[] = {{16, false, 0}, {6, true, 0},  {18, true, 0}, {6, true, 0},
                                       {18, true, 0},  {18, true, 0}, {6, true, 0},  {18, true, 0},
                                       {18, true, 0},  {18, true, 0}, {9, true, 0},  {18, true, 0}};

/* Awards, leases and bank loans by project: not equity, so apart from the
 * positions (as `cofund positions` lists them). */
int audit__other_row(void *arg, const query_project_other *p)
{
    audit_out *o = arg;
    char v[7][AUDIT_AMOUNT_BYTES], c[4][24], project[NAMES_PROJECT_BYTES];
    if (o->json) return report_write(&o->rc, &report_not_equity, p, NULL, &audit__json_sink, o);
    const int64_t fen[7] = {p->award_fen, p->lease_price_fen, p->lease_financing_fen,
                            p->lent_fen,  p->repaid_fen,      p->loss_fen,
                            p->subsidy_fen};
    for (int i = 0; i < 7; i++) audit__amount(fen[i], v[i]);
    if (!o->other_header) {
        o->other_header = true;
        fprintf(o->f, "\n%s\n",
                _("== not equity: awards, leased equipment, bank loans under pools and "
                  "subsidies"));
        const char *words[] = {_("PROJECT"),         _("AWARDS"), _("AWARDED"), _("LEASES"),
                               _("EQUIPMENT PRICE"), _("LESSOR FINANCED"),      _("LOANS"),
                               _("LENT"),            _("REPAID"), _("LOSSES"),  _("SUBSIDIES"),
                               _("SUBSIDISED")};
        static const bool amount[] = {false, false, true, false, true, true,
                                      false, true,  true, true,  false, true};
        heads(o, "", 12, other_cols, words, amount, true);
    }
    names_project_cell(&o->a->kv, p->project, strlen(p->project), project, sizeof project);
    snprintf(c[0], sizeof c[0], "%" PRId64, p->awards);
    snprintf(c[1], sizeof c[1], "%" PRId64, p->leases);
    snprintf(c[2], sizeof c[2], "%" PRId64, p->loans);
    snprintf(c[3], sizeof c[3], "%" PRId64, p->subsidies);
    const char *row[] = {project, c[0], v[0], c[1], v[1], v[2], c[2], v[3], v[4], v[5],
                         c[3], v[6]};
    audit__row(o->f, "", 12, o->cols, row);
    return CF_OK;
}
