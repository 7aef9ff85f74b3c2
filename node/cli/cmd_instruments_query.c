/* cmd_instruments_query.c — what the other instruments report
 * (node/ledger/query.h): `pool status`, `leases`, `program status` of pool,
 * leasing and award programs, and the lines of `positions` that are not
 * equity. Their JSON is the reports' own (ledger/report.h), which the
 * offline audit (audit_report.c) writes too. */
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
#include "render.h"

typedef struct {
    const ledger_kv *kv;
    enum cli_format fmt;
    uint64_t as_of;
    int32_t tz;
    render_rows rows; /* leases */
    const state_program *pg;
    unsigned n;
    int64_t year_total; /* awards: the year being printed */
    int year;
    int64_t year_count;
} inst_job;

static void money(const inst_job *j, int64_t fen, char out[AMOUNT_TEXT_BYTES])
{
    (j->fmt == CLI_TABLE ? amount_format : amount_format_plain)(fen, out);
}

/* ---- pools ------------------------------------------------------------------- */

static int bank_row(void *arg, const query_pool_bank *b)
{
    inst_job *j = arg;
    char l[AMOUNT_TEXT_BYTES], g[AMOUNT_TEXT_BYTES], o[AMOUNT_TEXT_BYTES], r[AMOUNT_TEXT_BYTES],
        x[AMOUNT_TEXT_BYTES], c[AMOUNT_TEXT_BYTES], rel[AMOUNT_TEXT_BYTES];
    money(j, b->lent_fen, l);
    money(j, b->guaranteed_fen, g);
    money(j, b->released_fen, rel);
    money(j, b->outstanding_fen, o);
    money(j, b->repaid_fen, r);
    money(j, b->loss_fen, x);
    money(j, b->compensated_fen, c);
    j->n++;
    if (j->fmt == CLI_CSV)
        printf("%s,%s,%s,%s,%s,%s,%lld,%s,%s,,,,\n", b->bank, l, g, rel, o, r,
               (long long)b->defaults, x, c);
    else
        printf("  %-14s %18s %18s %18s %18s %8lld %16s %16s\n", b->bank, l, g, o, r,
               (long long)b->defaults, x, c);
    return CF_OK;
}

static int pool_status(inst_job *j, const char *op)
{
    const state_program *pg = j->pg;
    query_pool q;
    char size[AMOUNT_TEXT_BYTES] = "none", bal[AMOUNT_TEXT_BYTES], dep[AMOUNT_TEXT_BYTES],
        wd[AMOUNT_TEXT_BYTES], paid[AMOUNT_TEXT_BYTES], out[AMOUNT_TEXT_BYTES],
        guar[AMOUNT_TEXT_BYTES], rel[AMOUNT_TEXT_BYTES], head[AMOUNT_TEXT_BYTES],
        lent[AMOUNT_TEXT_BYTES], rep[AMOUNT_TEXT_BYTES], loss[AMOUNT_TEXT_BYTES];
    int err = query_pool_totals(j->kv, pg, j->as_of, &q);
    if (err) return cli_failf(err, "reading pool %s: %s", pg->id, cf_strerror(err));
    if (pg->has_size) money(j, pg->size_fen, size);
    money(j, q.balance_fen, bal);
    money(j, q.deposited_fen, dep);
    money(j, q.withdrawn_fen, wd);
    money(j, q.compensated_fen, paid);
    money(j, q.outstanding_fen, out);
    money(j, q.guaranteed_fen, guar);
    money(j, q.released_fen, rel);
    money(j, q.headroom_fen, head);
    money(j, q.lent_fen, lent);
    money(j, q.repaid_fen, rep);
    money(j, q.loss_fen, loss);
    if (j->fmt == CLI_CSV) {
        printf("bank,lent,guaranteed,released,outstanding,repaid,defaults,losses,"
               "compensation_paid,balance,deposited,withdrawn,headroom\n");
        printf("total,%s,%s,%s,%s,%s,%lld,%s,%s,%s,%s,%s,%s\n", lent, guar, rel, out, rep,
               (long long)q.defaults, loss, paid, bal, dep, wd, head);
    } else {
        printf("pool %s, operated by %s: leverage %u, pool share %u:%u of each loss, size %s\n",
               pg->id, op, pg->leverage, pg->share_num, pg->share_den, size);
        printf("balance            %20s  (deposited %s, withdrawn %s, compensation paid %s)\n",
               bal, dep, wd, paid);
        printf("loans outstanding  %20s  (guaranteed %s, released %s)\n", out, guar, rel);
        printf("headroom           %20s  (%u × balance − outstanding)\n", head, pg->leverage);
        printf("loans registered   %20s  (repaid %s)\n", lent, rep);
        printf("defaults           %20lld  (losses %s, compensation paid %s)\n",
               (long long)q.defaults, loss, paid);
        printf("\n  %-14s %18s %18s %18s %18s %8s %16s %16s\n", "BANK", "LENT", "GUARANTEED",
               "OUTSTANDING", "REPAID", "DEFAULTS", "LOSSES", "COMPENSATED");
    }
    if ((err = query_pool_banks(j->kv, pg->id, j->as_of, bank_row, j)) != 0)
        return cli_failf(err, "reading pool %s: %s", pg->id, cf_strerror(err));
    if (j->fmt == CLI_TABLE && j->n == 0) printf("  (no loans)\n");
    return CLI_OK;
}

/* ---- leasing ----------------------------------------------------------------- */

static const char *const part_keys[LEASE__PARTS] = {"down", "financing", "advance"};

static void pct(const inst_job *j, int64_t part, int64_t whole, char *out, size_t cap)
{
    report_fmt_share(part, whole, j->fmt == CLI_TABLE, out, cap);
}

static int leasing_project(void *arg, const state_project *p)
{
    inst_job *j = arg;
    query_lease_totals t;
    char price[AMOUNT_TEXT_BYTES], part[LEASE__PARTS][AMOUNT_TEXT_BYTES];
    int err = query_lease_sum(j->kv, p->id, j->pg->id, j->as_of, &t);
    if (err || t.count == 0) return err;
    money(j, t.price_fen, price);
    for (int i = 0; i < LEASE__PARTS; i++) money(j, t.part_fen[i], part[i]);
    if (j->fmt == CLI_CSV)
        printf("project,%s,%lld,%s,%s,%s,%s\n", p->id, (long long)t.count, price, part[0],
               part[1], part[2]);
    else
        printf("  %-14s %7lld %18s %18s %18s %18s\n", p->id, (long long)t.count, price, part[0],
               part[1], part[2]);
    return CF_OK;
}

static int leasing_status(inst_job *j, const char *op)
{
    const state_program *pg = j->pg;
    query_lease_totals t;
    char price[AMOUNT_TEXT_BYTES], part[LEASE__PARTS][AMOUNT_TEXT_BYTES], share[32];
    int err = query_lease_sum(j->kv, NULL, pg->id, j->as_of, &t);
    if (err) return cli_failf(err, "reading leases: %s", cf_strerror(err));
    money(j, t.price_fen, price);
    for (int i = 0; i < LEASE__PARTS; i++) money(j, t.part_fen[i], part[i]);
    if (j->fmt == CLI_CSV) {
        printf("scope,key,leases,price,down,financing,advance\n");
        printf("total,%s,%lld,%s,%s,%s,%s\n", pg->id, (long long)t.count, price, part[0],
               part[1], part[2]);
    } else {
        printf("program %s (leasing), operated by %s: ", pg->id, op);
        for (int i = 0; i < LEASE__PARTS; i++)
            printf("%s%s %u-%u%%", i ? ", " : "", part_keys[i],
                   pg->has_part[i] ? pg->part[i].min_pct : 0,
                   pg->has_part[i] ? pg->part[i].max_pct : 100);
        printf(" of the price\nleases             %20lld\n", (long long)t.count);
        printf("price              %20s\n", price);
        static const char *const labels[LEASE__PARTS] = {"down payments", "lessor financing",
                                                         "supplier advances"};
        for (int i = 0; i < LEASE__PARTS; i++) {
            pct(j, t.part_fen[i], t.price_fen, share, sizeof share);
            printf("%-18s %20s  (%s of the price)\n", labels[i], part[i], share);
        }
        printf("\n  %-14s %7s %18s %18s %18s %18s\n", "PROJECT", "LEASES", "PRICE", "DOWN",
               "FINANCING", "ADVANCE");
    }
    if ((err = state_projects_each(j->kv, leasing_project, j)) != 0)
        return cli_failf(err, "reading leases: %s", cf_strerror(err));
    return CLI_OK;
}

/* ---- awards ------------------------------------------------------------------ */

static void year_end(inst_job *j)
{
    char total[AMOUNT_TEXT_BYTES], budget[AMOUNT_TEXT_BYTES], used[32];
    if (j->year == 0) return;
    /* No budget: "-" for people, an empty field in CSV. */
    snprintf(budget, sizeof budget, "%s", j->fmt == CLI_CSV ? "" : "-");
    snprintf(used, sizeof used, "%s", budget);
    money(j, j->year_total, total);
    if (j->pg->has_budget) {
        money(j, j->pg->budget_fen, budget);
        pct(j, j->year_total, j->pg->budget_fen, used, sizeof used);
    }
    if (j->fmt == CLI_CSV) {
        printf("year,%d,all,%lld,%s,%s,%s\n", j->year, (long long)j->year_count, total, budget,
               used);
    } else {
        printf("  %-6d %18s %7lld %18s %18s %8s\n", j->year, "all", (long long)j->year_count,
               total, budget, used);
    }
    j->year = 0;
}

static int level_row(void *arg, const query_award_level *l)
{
    inst_job *j = arg;
    char level[AMOUNT_TEXT_BYTES], total[AMOUNT_TEXT_BYTES];
    if (l->year != j->year) {
        year_end(j);
        j->year = l->year;
        j->year_total = j->year_count = 0;
    }
    j->year_total += l->total_fen;
    j->year_count += l->count;
    money(j, l->level_fen, level);
    money(j, l->total_fen, total);
    if (j->fmt == CLI_CSV) {
        printf("year,%d,%s,%lld,%s,,\n", l->year, level, (long long)l->count, total);
    } else {
        printf("  %-6d %18s %7lld %18s\n", l->year, level, (long long)l->count, total);
    }
    return CF_OK;
}

static int award_status(inst_job *j, const char *op)
{
    const state_program *pg = j->pg;
    char budget[AMOUNT_TEXT_BYTES] = "none", x[AMOUNT_TEXT_BYTES];
    if (pg->has_budget) money(j, pg->budget_fen, budget);
    if (j->fmt == CLI_CSV) {
        printf("scope,year,level,awards,amount,budget,used\n");
    } else {
        printf("program %s (award), operated by %s: amounts", pg->id, op);
        for (size_t i = 0; i < pg->nlevels; i++) {
            money(j, pg->levels_fen[i], x);
            printf("%s %s", i ? "," : "", x);
        }
        printf("; budget %s per year\n\n  %-6s %18s %7s %18s %18s %8s\n", budget, "YEAR", "LEVEL",
               "AWARDS", "AMOUNT", "BUDGET", "USED");
    }
    int err = query_award_levels(j->kv, pg->id, j->as_of, level_row, j);
    if (err) return cli_failf(err, "reading awards: %s", cf_strerror(err));
    year_end(j);
    return CLI_OK;
}

/* ---- subsidies ---------------------------------------------------------------- */

static int subsidy_year_row(void *arg, const query_subsidy_year *y)
{
    inst_job *j = arg;
    char paid[AMOUNT_TEXT_BYTES], budget[AMOUNT_TEXT_BYTES] = "-", used[16] = "-";
    money(j, y->paid_fen, paid);
    if (j->pg->has_budget) {
        money(j, j->pg->budget_fen, budget);
        pct(j, y->paid_fen, j->pg->budget_fen, used, sizeof used);
    }
    if (j->fmt == CLI_CSV)
        printf("year,%d,%lld,%s,%s,%s\n", y->year, (long long)y->count, paid, budget, used);
    else
        printf("  %-6d %9lld %18s %18s %8s\n", y->year, (long long)y->count, paid, budget, used);
    return CF_OK;
}

static int subsidy_status(inst_job *j, const char *op)
{
    const state_program *pg = j->pg;
    char cap[AMOUNT_TEXT_BYTES] = "none", rcap[AMOUNT_TEXT_BYTES] = "none",
                              budget[AMOUNT_TEXT_BYTES] = "none", paid[AMOUNT_TEXT_BYTES];
    query_subsidy_sum t;
    int err = query_subsidy_totals(j->kv, pg->id, j->as_of, &t);
    if (err) return cli_failf(err, "reading subsidies: %s", cf_strerror(err));
    if (pg->has_cap) money(j, pg->cap_fen, cap);
    if (pg->has_recipient_cap) money(j, pg->recipient_cap_fen, rcap);
    if (pg->has_budget) money(j, pg->budget_fen, budget);
    money(j, t.paid_fen, paid);
    if (j->fmt == CLI_CSV) {
        printf("scope,year,subsidies,paid,budget,used\nall,,%lld,%s,%s,\n", (long long)t.count,
               paid, budget);
    } else {
        printf("program %s (subsidy), operated by %s: basis %s; share %u:%u of the price, cap %s per "
               "unit, %s per recipient per year, budget %s per year\n"
               "  subsidies %lld, paid %s\n\n  %-6s %9s %18s %18s %8s\n",
               pg->id, op, cert_kind_name(pg->basis), pg->share_num, pg->share_den, cap, rcap,
               budget, (long long)t.count, paid, "YEAR", "SUBSIDIES", "PAID", "BUDGET", "USED");
    }
    err = query_subsidy_years(j->kv, pg->id, j->as_of, subsidy_year_row, j);
    return err ? cli_failf(err, "reading subsidies: %s", cf_strerror(err)) : CLI_OK;
}

/* ---- program status of the other kinds, `pool status` ----------------------- */

int cli_instrument_status(const ledger_kv *kv, const state_program *pg, enum cli_format fmt,
                          uint64_t as_of, int32_t tz, struct json_t **json)
{
    inst_job j = {.kv = kv, .fmt = fmt, .as_of = as_of, .tz = tz, .pg = pg};
    char op[ENTRY_ID_BYTES_MAX + 1];
    int rc;
    if (fmt == CLI_JSON) {
        report_ctx c = {.kv = kv, .as_of = as_of, .tz_min = tz};
        int err = render_program_json(&c, pg, 0, json);
        return err ? cli_failf(err, "reading program %s: %s", pg->id, cf_strerror(err)) : CLI_OK;
    }
    ledger_member_label(kv, pg->operator_key, op, sizeof op);
    switch (pg->pkind) {
    case PROGRAM_POOL: rc = pool_status(&j, op); break;
    case PROGRAM_LEASING: rc = leasing_status(&j, op); break;
    case PROGRAM_AWARD: rc = award_status(&j, op); break;
    case PROGRAM_SUBSIDY: rc = subsidy_status(&j, op); break;
    default: return cli_failf(CF_EINVAL, "program %s is a matching program", pg->id);
    }
    return rc;
}

/* ---- leases ------------------------------------------------------------------ */

static int lease_row(void *arg, const state_lease *l)
{
    inst_job *j = arg;
    char who[ENTRY_ID_BYTES_MAX + 1], when[CALTIME_TEXT_BYTES], price[AMOUNT_TEXT_BYTES],
        part[LEASE__PARTS][AMOUNT_TEXT_BYTES], entry_id[ENTRY_ID_BYTES_MAX + 24];
    j->n++;
    if (j->fmt != CLI_TABLE) return render_rows_add(&j->rows, l);
    ledger_member_label(j->kv, l->author, who, sizeof who);
    caltime_format(l->time_ms, j->tz, when);
    money(j, l->price_fen, price);
    for (int i = 0; i < LEASE__PARTS; i++) money(j, l->part_fen[i], part[i]);
    snprintf(entry_id, sizeof entry_id, "%s#%llu", who, (unsigned long long)l->index);
    printf("%-12s %-12s %-14s %.10s %16s %16s %16s %16s  %s\n", l->project, l->program, entry_id,
           when, price, part[0], part[1], part[2], l->equipment);
    return CF_OK;
}

struct leases_job {
    inst_job j;
    home *h;
    const char *project, *program, *as_of_arg;
};

static int leases_read(store_txn *txn, const ledger_kv *kv, void *arg)
{
    struct leases_job *l = arg;
    int rc;
    (void)txn;
    l->j.kv = kv;
    if ((rc = cli_query_as_of(kv, l->as_of_arg, &l->j.as_of, &l->j.tz)) != 0) return rc;
    if (l->project && (rc = cli_require_project(kv, l->project)) != 0) return rc;
    if (l->program && (rc = cli_require_program(kv, l->program)) != 0) return rc;
    report_ctx c = {.kv = kv, .as_of = l->j.as_of, .tz_min = l->j.tz};
    render_rows_begin(&l->j.rows, l->j.fmt, &c, &report_lease);
    if (l->j.fmt == CLI_TABLE)
        printf("%-12s %-12s %-14s %-10s %16s %16s %16s %16s  %s\n", "PROJECT", "PROGRAM", "ENTRY",
               "DATE", "PRICE", "DOWN", "FINANCING", "ADVANCE", "EQUIPMENT");
    int err = query_leases(kv, l->project, l->program, l->j.as_of, lease_row, &l->j);
    if (err) return cli_failf(err, "reading leases: %s", cf_strerror(err));
    if (l->j.fmt == CLI_TABLE && l->j.n == 0) printf("(no leases)\n");
    return CLI_OK;
}

static int run_leases(cli_env *env, const cli_args *a)
{
    struct leases_job l = {.j.fmt = cli_get_format(a), .project = cli_get(a, "project"),
                           .program = cli_get(a, "program"), .as_of_arg = cli_get(a, "as-of")};
    int rc;
    if ((l.project && !entry_id_valid(l.project, strlen(l.project))) ||
        (l.program && !entry_id_valid(l.program, strlen(l.program))))
        return cli_failf(CF_EINVAL, "--project, --program: identifiers (A-Z a-z 0-9 . _ -)");
    if ((rc = cli_open_home(env, HOME_RDONLY, &l.h)) != 0) return rc;
    rc = render_rows_end(&l.j.rows, cli_read(l.h, leases_read, &l));
    cli_close_home(l.h);
    return rc;
}

const cli_cmd cli_cmd_leases = {
    .name = "leases",
    .opts = (const cli_opt[]){
        {"project", "P", CLI_ID, 0, N_("only this project's leases")},
        {"program", "ID", CLI_ID, 0, N_("only this leasing program's")},
        CLI_OPT_AS_OF,
        CLI_OPT_FORMAT,
        CLI_OPT_END},
    .summary = N_("every lease: project, program, date, price and its parts"),
    .help = N_("Every lease recorded: project, program, entry, date, price, down payment, "
            "financing, advance and equipment."),
    .example = "leases --project robotics",
    .run = run_leases,
};

/* ---- positions: what is not equity ------------------------------------------- */

static int other_row(void *arg, const query_project_other *p)
{
    inst_job *j = arg;
    char aw[AMOUNT_TEXT_BYTES], pr[AMOUNT_TEXT_BYTES], fi[AMOUNT_TEXT_BYTES],
        le[AMOUNT_TEXT_BYTES], re[AMOUNT_TEXT_BYTES], lo[AMOUNT_TEXT_BYTES],
        su[AMOUNT_TEXT_BYTES];
    if (j->n++ == 0)
        printf("\nnot equity (no share above): awards, leased equipment, bank loans under pools "
               "and subsidies\n"
               "%-16s %6s %18s %6s %18s %18s %6s %18s %18s %18s %9s %18s\n",
               "PROJECT", "AWARDS", "AWARDED", "LEASES", "EQUIPMENT PRICE", "LESSOR FINANCED",
               "LOANS", "LENT", "REPAID", "LOSSES", "SUBSIDIES", "SUBSIDISED");
    amount_format(p->award_fen, aw);
    amount_format(p->lease_price_fen, pr);
    amount_format(p->lease_financing_fen, fi);
    amount_format(p->lent_fen, le);
    amount_format(p->repaid_fen, re);
    amount_format(p->loss_fen, lo);
    amount_format(p->subsidy_fen, su);
    printf("%-16s %6lld %18s %6lld %18s %18s %6lld %18s %18s %18s %9lld %18s\n", p->project,
           (long long)p->awards, aw, (long long)p->leases, pr, fi, (long long)p->loans, le, re,
           lo, (long long)p->subsidies, su);
    return CF_OK;
}

int cli_print_not_equity(const ledger_kv *kv, const char *project, uint64_t as_of)
{
    inst_job j = {.kv = kv, .fmt = CLI_TABLE, .as_of = as_of};
    int err = query_projects_other(kv, project, as_of, other_row, &j);
    return err ? cli_failf(err, "reading awards, leases, loans and subsidies: %s", cf_strerror(err))
               : CLI_OK;
}
