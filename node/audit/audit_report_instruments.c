/* audit_report_instruments.c — the audit report's pool, leasing, award and
 * subsidy programs, and what projects received that is not equity, as text: the
 * figures of `cofund program status` / `positions` (node/cli/
 * cmd_instruments_query.c). Their JSON is the reports' own (ledger/report.h). */
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "audit_internal.h"
#include "audit_report_internal.h"
#include "crypto/cf_error.h"
#include "ledger/amount.h"
#include "ledger/query.h"
#include "ledger/report.h"
#include "ledger/rules.h"

/* ---- the other instruments: pools, leasing, awards ------------------------- */

static int bank_row(void *arg, const query_pool_bank *b)
{
    audit_out *o = arg;
    char l[AMOUNT_TEXT_BYTES], g[AMOUNT_TEXT_BYTES], u[AMOUNT_TEXT_BYTES], p[AMOUNT_TEXT_BYTES],
        x[AMOUNT_TEXT_BYTES], c[AMOUNT_TEXT_BYTES];
    amount_format(b->lent_fen, l);
    amount_format(b->guaranteed_fen, g);
    amount_format(b->outstanding_fen, u);
    amount_format(b->repaid_fen, p);
    amount_format(b->loss_fen, x);
    amount_format(b->compensated_fen, c);
    fprintf(o->f, "  %-14s %18s %18s %18s %18s %8" PRId64 " %16s %16s\n", b->bank, l, g, u, p,
            b->defaults, x, c);
    return CF_OK;
}

static int pool_text(audit_out *o, const state_program *pg, const query_pool *q)
{
    char size[AMOUNT_TEXT_BYTES] = "none", v[11][AMOUNT_TEXT_BYTES];
    if (pg->has_size) amount_format(pg->size_fen, size);
    const int64_t fen[11] = {q->balance_fen,     q->deposited_fen,  q->withdrawn_fen,
                             q->compensated_fen, q->guaranteed_fen, q->released_fen,
                             q->outstanding_fen, q->headroom_fen,   q->lent_fen,
                             q->repaid_fen,      q->loss_fen};
    for (int i = 0; i < 11; i++) amount_format(fen[i], v[i]);
    fprintf(o->f, "  leverage %u, pool share %u:%u of each loss, size %s\n", pg->leverage,
            pg->share_num, pg->share_den, size);
    fprintf(o->f, "balance            %20s  (deposited %s, withdrawn %s, compensation paid %s)\n",
            v[0], v[1], v[2], v[3]);
    fprintf(o->f, "loans outstanding  %20s  (guaranteed %s, released %s)\n", v[6], v[4], v[5]);
    fprintf(o->f, "headroom           %20s  (%u × balance − outstanding)\n", v[7], pg->leverage);
    fprintf(o->f, "loans registered   %20s  (repaid %s)\n", v[8], v[9]);
    fprintf(o->f, "defaults           %20" PRId64 "  (losses %s)\n", q->defaults, v[10]);
    fprintf(o->f, "\n  %-14s %18s %18s %18s %18s %8s %16s %16s\n", "BANK", "LENT", "GUARANTEED",
            "OUTSTANDING", "REPAID", "DEFAULTS", "LOSSES", "COMPENSATED");
    return query_pool_banks(&o->a->kv, pg->id, STATE_TIME_LATEST, bank_row, o);
}

static int leasing_text(audit_out *o, const state_program *pg, const query_lease_totals *t)
{
    static const char *const parts[LEASE__PARTS] = {"down", "financing", "advance"};
    char price[AMOUNT_TEXT_BYTES], part[LEASE__PARTS][AMOUNT_TEXT_BYTES];
    amount_format(t->price_fen, price);
    for (int i = 0; i < LEASE__PARTS; i++) amount_format(t->part_fen[i], part[i]);
    fprintf(o->f, " ");
    for (int i = 0; i < LEASE__PARTS; i++)
        fprintf(o->f, "%s %s %u-%u%%", i ? "," : "", parts[i], pg->has_part[i] ? pg->part[i].min_pct : 0,
                pg->has_part[i] ? pg->part[i].max_pct : 100);
    fprintf(o->f, " of the price\nleases             %20" PRId64 "\nprice              %20s\n"
                  "down payments      %20s\nlessor financing   %20s\nsupplier advances  %20s\n",
            t->count, price, part[0], part[1], part[2]);
    return CF_OK;
}

typedef struct {
    audit_out *o;
    const state_program *pg;
    int year;
    int64_t total, count;
} award_job;

static void award_year_end(award_job *j)
{
    audit_out *o = j->o;
    char total[AMOUNT_TEXT_BYTES], budget[AMOUNT_TEXT_BYTES] = "-", used[32] = "-";
    if (j->year == 0) return;
    amount_format(j->total, total);
    if (j->pg->has_budget) {
        amount_format(j->pg->budget_fen, budget);
        report_fmt_share(j->total, j->pg->budget_fen, true, used, sizeof used);
    }
    fprintf(o->f, "  %-6d %18s %7" PRId64 " %18s %18s %8s\n", j->year, "all", j->count, total,
            budget, used);
    j->year = 0;
}

static int award_level(void *arg, const query_award_level *l)
{
    award_job *j = arg;
    char level[AMOUNT_TEXT_BYTES], total[AMOUNT_TEXT_BYTES];
    if (l->year != j->year) {
        award_year_end(j);
        j->year = l->year;
        j->total = j->count = 0;
    }
    j->total += l->total_fen;
    j->count += l->count;
    amount_format(l->level_fen, level);
    amount_format(l->total_fen, total);
    fprintf(j->o->f, "  %-6d %18s %7" PRId64 " %18s\n", l->year, level, l->count, total);
    return CF_OK;
}

static int award_text(audit_out *o, const state_program *pg)
{
    char budget[AMOUNT_TEXT_BYTES] = "none", x[AMOUNT_TEXT_BYTES];
    award_job j = {.o = o, .pg = pg};
    if (pg->has_budget) amount_format(pg->budget_fen, budget);
    fprintf(o->f, "  amounts");
    for (size_t i = 0; i < pg->nlevels; i++) {
        amount_format(pg->levels_fen[i], x);
        fprintf(o->f, "%s %s", i ? "," : "", x);
    }
    fprintf(o->f, "; budget %s per year\n\n  %-6s %18s %7s %18s %18s %8s\n", budget, "YEAR",
            "LEVEL", "AWARDS", "AMOUNT", "BUDGET", "USED");
    int err = query_award_levels(&o->a->kv, pg->id, STATE_TIME_LATEST, award_level, &j);
    award_year_end(&j);
    return err;
}

static int subsidy_year(void *arg, const query_subsidy_year *y)
{
    award_job *j = arg;
    char paid[AMOUNT_TEXT_BYTES], budget[AMOUNT_TEXT_BYTES] = "-", used[32] = "-";
    amount_format(y->paid_fen, paid);
    if (j->pg->has_budget) {
        amount_format(j->pg->budget_fen, budget);
        report_fmt_share(y->paid_fen, j->pg->budget_fen, true, used, sizeof used);
    }
    fprintf(j->o->f, "  %-6d %9" PRId64 " %18s %18s %8s\n", y->year, y->count, paid, budget,
            used);
    return CF_OK;
}

/* A subsidy program (R-SUBSIDY): its terms, what it paid, by year. */
static int subsidy_text(audit_out *o, const state_program *pg, const query_subsidy_sum *t)
{
    char cap[AMOUNT_TEXT_BYTES] = "none", rcap[AMOUNT_TEXT_BYTES] = "none",
                              budget[AMOUNT_TEXT_BYTES] = "none", paid[AMOUNT_TEXT_BYTES];
    award_job j = {.o = o, .pg = pg};
    if (pg->has_cap) amount_format(pg->cap_fen, cap);
    if (pg->has_recipient_cap) amount_format(pg->recipient_cap_fen, rcap);
    if (pg->has_budget) amount_format(pg->budget_fen, budget);
    amount_format(t->paid_fen, paid);
    fprintf(o->f, "  basis %s; share %u:%u of the price, cap %s per unit, %s per recipient per "
                  "year, budget %s per year\nsubsidies          %20" PRId64 "\n"
                  "paid               %20s\n\n  %-6s %9s %18s %18s %8s\n",
            cert_kind_name(pg->basis), pg->share_num, pg->share_den, cap, rcap, budget, t->count,
            paid, "YEAR", "SUBSIDIES", "PAID", "BUDGET", "USED");
    return query_subsidy_years(&o->a->kv, pg->id, STATE_TIME_LATEST, subsidy_year, &j);
}

int audit__instrument_text(audit_out *o, const report_program *r)
{
    const state_program *pg = r->pg;
    char op[STATE_ID_CAP];
    ledger_member_label(&o->a->kv, pg->operator_key, op, sizeof op);
    fprintf(o->f, "\nprogram %s (%s), operated by %s\n", pg->id, pg->kind, op);
    switch (pg->pkind) {
    case PROGRAM_POOL: return pool_text(o, pg, &r->pool);
    case PROGRAM_LEASING: return leasing_text(o, pg, &r->lease);
    case PROGRAM_SUBSIDY: return subsidy_text(o, pg, &r->subsidy);
    default: return award_text(o, pg);
    }
}

/* Awards, leases and bank loans by project: not equity, so apart from the
 * positions (as `cofund positions` lists them). */
int audit__other_row(void *arg, const query_project_other *p)
{
    audit_out *o = arg;
    char v[7][AMOUNT_TEXT_BYTES];
    if (o->json) return report_write(&o->rc, &report_not_equity, p, NULL, &audit__json_sink, o);
    const int64_t fen[7] = {p->award_fen, p->lease_price_fen, p->lease_financing_fen,
                            p->lent_fen,  p->repaid_fen,      p->loss_fen,
                            p->subsidy_fen};
    for (int i = 0; i < 7; i++) amount_format(fen[i], v[i]);
    if (!o->other_header) {
        o->other_header = true;
        fprintf(o->f, "\n== not equity: awards, leased equipment, bank loans under pools and "
                      "subsidies\n"
                      "%-16s %6s %18s %6s %18s %18s %6s %18s %18s %18s %9s %18s\n",
                "PROJECT", "AWARDS", "AWARDED", "LEASES", "EQUIPMENT PRICE", "LESSOR FINANCED",
                "LOANS", "LENT", "REPAID", "LOSSES", "SUBSIDIES", "SUBSIDISED");
    }
    fprintf(o->f,
            "%-16s %6" PRId64 " %18s %6" PRId64 " %18s %18s %6" PRId64 " %18s %18s %18s %9" PRId64
            " %18s\n",
            p->project, p->awards, v[0], p->leases, v[1], v[2], p->loans, v[3], v[4], v[5],
            p->subsidies, v[6]);
    return CF_OK;
}
