/* audit_report_instruments.c — the audit report's pool, leasing and award
 * programs, and what projects received that is not equity: the figures of
 * `cofund program status` / `positions` (node/cli/cmd_instruments_query.c),
 * under the same JSON names. */
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "audit_internal.h"
#include "audit_report_internal.h"
#include "crypto/cf_error.h"
#include "ledger/amount.h"
#include "ledger/query.h"
#include "ledger/rules.h"

/* ---- the other instruments: pools, leasing, awards ---------------------------
 * The same figures and JSON names as `cofund program status` (node/cli/
 * cmd_instruments_query.c). */

static int bank_row(void *arg, const query_pool_bank *b)
{
    audit_out *o = arg;
    char l[AMOUNT_TEXT_BYTES], g[AMOUNT_TEXT_BYTES], r[AMOUNT_TEXT_BYTES], u[AMOUNT_TEXT_BYTES],
        p[AMOUNT_TEXT_BYTES], x[AMOUNT_TEXT_BYTES], c[AMOUNT_TEXT_BYTES];
    audit__money(o, b->lent_fen, l);
    audit__money(o, b->guaranteed_fen, g);
    audit__money(o, b->released_fen, r);
    audit__money(o, b->outstanding_fen, u);
    audit__money(o, b->repaid_fen, p);
    audit__money(o, b->loss_fen, x);
    audit__money(o, b->compensated_fen, c);
    if (o->json) {
        audit__jopen(o, NULL, '{');
        audit__jstr(o, "bank", b->bank);
        audit__jstr(o, "lent", l);
        audit__jstr(o, "guaranteed", g);
        audit__jstr(o, "released", r);
        audit__jstr(o, "outstanding", u);
        audit__jstr(o, "repaid", p);
        audit__jint(o, "defaults", b->defaults);
        audit__jstr(o, "losses", x);
        audit__jstr(o, "compensation_paid", c);
        audit__jclose(o, '}');
    } else {
        fprintf(o->f, "  %-14s %18s %18s %18s %18s %8" PRId64 " %16s %16s\n", b->bank, l, g, u, p,
                b->defaults, x, c);
    }
    return CF_OK;
}

static int pool_row(audit_out *o, const state_program *pg, const char *op)
{
    query_pool q;
    char size[AMOUNT_TEXT_BYTES] = "none", v[12][AMOUNT_TEXT_BYTES];
    int err = query_pool_totals(&o->a->kv, pg, STATE_TIME_LATEST, &q);
    if (err) return err;
    if (pg->has_size) audit__money(o, pg->size_fen, size);
    const int64_t fen[12] = {q.balance_fen,    q.deposited_fen, q.withdrawn_fen,
                             q.compensated_fen, q.guaranteed_fen, q.released_fen,
                             q.outstanding_fen, q.headroom_fen,   q.lent_fen,
                             q.repaid_fen,      q.loss_fen,       0};
    static const char *const keys[11] = {"balance",     "deposited", "withdrawn",
                                         "compensation_paid", "guaranteed", "released",
                                         "outstanding", "headroom",  "lent",
                                         "repaid",      "losses"};
    for (int i = 0; i < 11; i++) audit__money(o, fen[i], v[i]);
    if (o->json) {
        audit__jstr(o, "operator", op);
        audit__jint(o, "leverage", pg->leverage);
        audit__jkey(o, "share");
        fprintf(o->f, "[%u,%u]", pg->share_num, pg->share_den);
        audit__jstr(o, "size", size);
        for (int i = 0; i < 11; i++) {
            if (i == 10) audit__jint(o, "defaults", q.defaults);
            audit__jstr(o, keys[i], v[i]);
        }
        audit__jopen(o, "banks", '[');
    } else {
        fprintf(o->f, "  leverage %u, pool share %u:%u of each loss, size %s\n", pg->leverage,
                pg->share_num, pg->share_den, size);
        fprintf(o->f, "balance            %20s  (deposited %s, withdrawn %s, compensation paid %s)\n",
                v[0], v[1], v[2], v[3]);
        fprintf(o->f, "loans outstanding  %20s  (guaranteed %s, released %s)\n", v[6], v[4], v[5]);
        fprintf(o->f, "headroom           %20s  (%u × balance − outstanding)\n", v[7], pg->leverage);
        fprintf(o->f, "loans registered   %20s  (repaid %s)\n", v[8], v[9]);
        fprintf(o->f, "defaults           %20" PRId64 "  (losses %s)\n", q.defaults, v[10]);
        fprintf(o->f, "\n  %-14s %18s %18s %18s %18s %8s %16s %16s\n", "BANK", "LENT",
                "GUARANTEED", "OUTSTANDING", "REPAID", "DEFAULTS", "LOSSES", "COMPENSATED");
    }
    err = query_pool_banks(&o->a->kv, pg->id, STATE_TIME_LATEST, bank_row, o);
    if (o->json) audit__jclose(o, ']');
    return err;
}

static int leasing_row(audit_out *o, const state_program *pg, const char *op)
{
    static const char *const parts[LEASE__PARTS] = {"down", "financing", "advance"};
    query_lease_totals t;
    char price[AMOUNT_TEXT_BYTES], part[LEASE__PARTS][AMOUNT_TEXT_BYTES];
    int err = query_lease_sum(&o->a->kv, NULL, pg->id, STATE_TIME_LATEST, &t);
    if (err) return err;
    audit__money(o, t.price_fen, price);
    for (int i = 0; i < LEASE__PARTS; i++) audit__money(o, t.part_fen[i], part[i]);
    if (o->json) {
        audit__jstr(o, "operator", op);
        audit__jint(o, "leases", t.count);
        audit__jstr(o, "price", price);
        for (int i = 0; i < LEASE__PARTS; i++) audit__jstr(o, parts[i], part[i]);
        audit__jopen(o, "bounds", '{');
        for (int i = 0; i < LEASE__PARTS; i++) {
            audit__jkey(o, parts[i]);
            if (pg->has_part[i]) fprintf(o->f, "[%u,%u]", pg->part[i].min_pct, pg->part[i].max_pct);
            else fputs("null", o->f);
        }
        audit__jclose(o, '}');
        return CF_OK;
    }
    fprintf(o->f, " ");
    for (int i = 0; i < LEASE__PARTS; i++)
        fprintf(o->f, "%s %s %u-%u%%", i ? "," : "", parts[i], pg->has_part[i] ? pg->part[i].min_pct : 0,
                pg->has_part[i] ? pg->part[i].max_pct : 100);
    fprintf(o->f, " of the price\nleases             %20" PRId64 "\nprice              %20s\n"
                  "down payments      %20s\nlessor financing   %20s\nsupplier advances  %20s\n",
            t.count, price, part[0], part[1], part[2]);
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
    audit__money(o, j->total, total);
    if (j->pg->has_budget) {
        audit__money(o, j->pg->budget_fen, budget);
        audit_fmt_share(j->total, j->pg->budget_fen, !o->json, used, sizeof used);
    }
    if (o->json) {
        audit__jclose(o, ']');
        audit__jstr(o, "awarded", total);
        audit__jint(o, "awards", j->count);
        audit__jstr(o, "budget", budget);
        audit__jstr(o, "budget_used", used);
        audit__jclose(o, '}');
    } else {
        fprintf(o->f, "  %-6d %18s %7" PRId64 " %18s %18s %8s\n", j->year, "all", j->count, total,
                budget, used);
    }
    j->year = 0;
}

static int award_level(void *arg, const query_award_level *l)
{
    award_job *j = arg;
    audit_out *o = j->o;
    char level[AMOUNT_TEXT_BYTES], total[AMOUNT_TEXT_BYTES];
    if (l->year != j->year) {
        award_year_end(j);
        j->year = l->year;
        j->total = j->count = 0;
        if (o->json) {
            audit__jopen(o, NULL, '{');
            audit__jint(o, "year", l->year);
            audit__jopen(o, "levels", '[');
        }
    }
    j->total += l->total_fen;
    j->count += l->count;
    audit__money(o, l->level_fen, level);
    audit__money(o, l->total_fen, total);
    if (o->json) {
        audit__jopen(o, NULL, '{');
        audit__jstr(o, "level", level);
        audit__jint(o, "awards", l->count);
        audit__jstr(o, "amount", total);
        audit__jclose(o, '}');
    } else {
        fprintf(o->f, "  %-6d %18s %7" PRId64 " %18s\n", l->year, level, l->count, total);
    }
    return CF_OK;
}

static int award_row(audit_out *o, const state_program *pg, const char *op)
{
    char budget[AMOUNT_TEXT_BYTES] = "none", x[AMOUNT_TEXT_BYTES];
    award_job j = {.o = o, .pg = pg};
    if (pg->has_budget) audit__money(o, pg->budget_fen, budget);
    if (o->json) {
        audit__jstr(o, "operator", op);
        audit__jopen(o, "levels", '[');
        for (size_t i = 0; i < pg->nlevels; i++) {
            audit__money(o, pg->levels_fen[i], x);
            audit__jsep(o);
            audit__jstr_raw(o, x);
        }
        audit__jclose(o, ']');
        audit__jstr(o, "annual_budget", budget);
        audit__jopen(o, "years", '[');
    } else {
        fprintf(o->f, "  amounts");
        for (size_t i = 0; i < pg->nlevels; i++) {
            audit__money(o, pg->levels_fen[i], x);
            fprintf(o->f, "%s %s", i ? "," : "", x);
        }
        fprintf(o->f, "; budget %s per year\n\n  %-6s %18s %7s %18s %18s %8s\n", budget, "YEAR",
                "LEVEL", "AWARDS", "AMOUNT", "BUDGET", "USED");
    }
    int err = query_award_levels(&o->a->kv, pg->id, STATE_TIME_LATEST, award_level, &j);
    award_year_end(&j);
    if (o->json) audit__jclose(o, ']');
    return err;
}

int audit__instrument_row(audit_out *o, const state_program *pg)
{
    char op[STATE_ID_CAP];
    int err;
    ledger_member_label(&o->a->kv, pg->operator_key, op, sizeof op);
    if (o->json) {
        audit__jopen(o, NULL, '{');
        audit__jstr(o, "program", pg->id);
        audit__jstr(o, "kind", pg->kind);
    } else {
        fprintf(o->f, "\nprogram %s (%s), operated by %s\n", pg->id, pg->kind, op);
    }
    switch (pg->pkind) {
    case PROGRAM_POOL: err = pool_row(o, pg, op); break;
    case PROGRAM_LEASING: err = leasing_row(o, pg, op); break;
    default: err = award_row(o, pg, op); break;
    }
    if (o->json) audit__jclose(o, '}');
    return err;
}

/* Awards, leases and bank loans by project: not equity, so apart from the
 * positions (as `cofund positions` lists them). */
int audit__other_row(void *arg, const query_project_other *p)
{
    audit_out *o = arg;
    char v[6][AMOUNT_TEXT_BYTES];
    const int64_t fen[6] = {p->award_fen,  p->lease_price_fen, p->lease_financing_fen,
                            p->lent_fen,   p->repaid_fen,      p->loss_fen};
    for (int i = 0; i < 6; i++) audit__money(o, fen[i], v[i]);
    if (o->json) {
        audit__jopen(o, NULL, '{');
        audit__jstr(o, "project", p->project);
        audit__jint(o, "awards", p->awards);
        audit__jstr(o, "awarded", v[0]);
        audit__jint(o, "leases", p->leases);
        audit__jstr(o, "equipment_price", v[1]);
        audit__jstr(o, "lessor_financed", v[2]);
        audit__jint(o, "loans", p->loans);
        audit__jstr(o, "lent", v[3]);
        audit__jstr(o, "repaid", v[4]);
        audit__jstr(o, "losses", v[5]);
        audit__jclose(o, '}');
        return CF_OK;
    }
    if (!o->other_header) {
        o->other_header = true;
        fprintf(o->f, "\n== not equity: awards, leased equipment and bank loans under pools\n"
                      "%-16s %6s %18s %6s %18s %18s %6s %18s %18s %18s\n",
                "PROJECT", "AWARDS", "AWARDED", "LEASES", "EQUIPMENT PRICE", "LESSOR FINANCED",
                "LOANS", "LENT", "REPAID", "LOSSES");
    }
    fprintf(o->f, "%-16s %6" PRId64 " %18s %6" PRId64 " %18s %18s %6" PRId64 " %18s %18s %18s\n",
            p->project, p->awards, v[0], p->leases, v[1], v[2], p->loans, v[3], v[4], v[5]);
    return CF_OK;
}

