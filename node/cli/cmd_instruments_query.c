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
#include "names.h"
#include "render.h"
#include "table.h"

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
    cli_table *t; /* the table being filled */
} inst_job;

/* fen in the table's unit, or plain yuan in CSV. */
static void money(const inst_job *j, int64_t fen, char out[CLI_AMOUNT_BYTES])
{
    if (j->fmt == CLI_TABLE) cli_amount_text(fen, out);
    else amount_format_plain(fen, out);
}

void cli_figure(int label_cols, const char *label, const char *value, const char *note)
{
    char pad[256];
    cf_text_pad(pad, sizeof pad, label, (size_t)label_cols, false);
    printf("%s %20s%s%s\n", pad, value, note ? "  " : "", note ? note : "");
}

static void cells(cli_table *t, const char *const text[], size_t n)
{
    for (size_t i = 0; i < n; i++) cli_table_cell(t, text[i]);
}

#define NCELLS(a) (sizeof(a) / sizeof(a)[0])
#define CELLS(t, ...) cells(t, (const char *const[]){__VA_ARGS__}, \
                            NCELLS(((const char *const[]){__VA_ARGS__})))

/* ---- pools ------------------------------------------------------------------- */

static int bank_row(void *arg, const query_pool_bank *b)
{
    inst_job *j = arg;
    char l[CLI_AMOUNT_BYTES], g[CLI_AMOUNT_BYTES], o[CLI_AMOUNT_BYTES], r[CLI_AMOUNT_BYTES],
        x[CLI_AMOUNT_BYTES], c[CLI_AMOUNT_BYTES], rel[CLI_AMOUNT_BYTES], d[24];
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
    else {
        snprintf(d, sizeof d, "%lld", (long long)b->defaults);
        CELLS(j->t, b->bank, l, g, o, r, d, x, c);
    }
    return CF_OK;
}

static int pool_status(inst_job *j, const char *op)
{
    const state_program *pg = j->pg;
    query_pool q;
    char size[CLI_AMOUNT_BYTES], bal[CLI_AMOUNT_BYTES], dep[CLI_AMOUNT_BYTES],
        wd[CLI_AMOUNT_BYTES], paid[CLI_AMOUNT_BYTES], out[CLI_AMOUNT_BYTES],
        guar[CLI_AMOUNT_BYTES], rel[CLI_AMOUNT_BYTES], head[CLI_AMOUNT_BYTES],
        lent[CLI_AMOUNT_BYTES], rep[CLI_AMOUNT_BYTES], loss[CLI_AMOUNT_BYTES], note[512],
        count[24];
    int err = query_pool_totals(j->kv, pg, j->as_of, &q);
    if (err) return cli_failf(err, "reading pool %s: %s", pg->id, cf_strerror(err));
    snprintf(size, sizeof size, "%s", _("none"));
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
        printf(_("pool %s, operated by %s: leverage %u, pool share %u:%u of each loss, size %s\n"),
               pg->id, op, pg->leverage, pg->share_num, pg->share_den, size);
        printf(_("amounts in %s\n"), cli_unit_name());
        snprintf(note, sizeof note, _("(deposited %s, withdrawn %s, compensation paid %s)"), dep,
                 wd, paid);
        cli_figure(18, _("balance"), bal, note);
        snprintf(note, sizeof note, _("(guaranteed %s, released %s)"), guar, rel);
        cli_figure(18, _("loans outstanding"), out, note);
        snprintf(note, sizeof note, _("(%u × balance − outstanding)"), pg->leverage);
        cli_figure(18, _("headroom"), head, note);
        snprintf(note, sizeof note, _("(repaid %s)"), rep);
        cli_figure(18, _("loans registered"), lent, note);
        snprintf(note, sizeof note, _("(losses %s, compensation paid %s)"), loss, paid);
        snprintf(count, sizeof count, "%lld", (long long)q.defaults);
        cli_figure(18, _("defaults"), count, note);
        printf("\n");
        j->t = cli_columns((const char *const[]){_("BANK"), _("LENT"), _("GUARANTEED"),
                                             C_("loans", "OUTSTANDING"), _("REPAID"), _("DEFAULTS"),
                                             _("LOSSES"), _("COMPENSATED")},
                       "laaaanaa");
    }
    if ((err = query_pool_banks(j->kv, pg->id, j->as_of, bank_row, j)) != 0)
        return cli_failf(err, "reading pool %s: %s", pg->id, cf_strerror(err));
    cli_table_print(j->t, stdout, _("(no loans)"));
    j->t = NULL;
    return CLI_OK;
}

/* ---- leasing ----------------------------------------------------------------- */

/* The parts of a lease's price, as the terms name them. */
static const char *const part_keys[LEASE__PARTS] = {N_("down"), N_("financing"), N_("advance")};

static void pct(const inst_job *j, int64_t part, int64_t whole, char *out, size_t cap)
{
    report_fmt_share(part, whole, j->fmt == CLI_TABLE, out, cap);
}

static int leasing_project(void *arg, const state_project *p)
{
    inst_job *j = arg;
    query_lease_totals t;
    char price[CLI_AMOUNT_BYTES], part[LEASE__PARTS][CLI_AMOUNT_BYTES], count[24],
        project[CLI_PROJECT_BYTES];
    int err = query_lease_sum(j->kv, p->id, j->pg->id, j->as_of, &t);
    if (err || t.count == 0) return err;
    money(j, t.price_fen, price);
    for (int i = 0; i < LEASE__PARTS; i++) money(j, t.part_fen[i], part[i]);
    if (j->fmt == CLI_CSV)
        printf("project,%s,%lld,%s,%s,%s,%s\n", p->id, (long long)t.count, price, part[0],
               part[1], part[2]);
    else {
        snprintf(count, sizeof count, "%lld", (long long)t.count);
        CELLS(j->t, cli_project_cell(j->kv, p->id, project, sizeof project), count, price, part[0], part[1], part[2]);
    }
    return CF_OK;
}

void cli_lease_bounds(const state_program *pg, char *out, size_t cap)
{
    size_t n = 0;
    out[0] = '\0';
    for (int i = 0; i < LEASE__PARTS && n < cap; i++)
        n += (size_t)snprintf(out + n, cap - n, "%s%s %u-%u%%", i ? ", " : "", _(part_keys[i]),
                              pg->has_part[i] ? pg->part[i].min_pct : 0,
                              pg->has_part[i] ? pg->part[i].max_pct : 100);
}

static int leasing_status(inst_job *j, const char *op)
{
    const state_program *pg = j->pg;
    query_lease_totals t;
    char price[CLI_AMOUNT_BYTES], part[LEASE__PARTS][CLI_AMOUNT_BYTES], share[32], note[256],
        count[24];
    int err = query_lease_sum(j->kv, NULL, pg->id, j->as_of, &t);
    if (err) return cli_failf(err, "reading leases: %s", cf_strerror(err));
    money(j, t.price_fen, price);
    for (int i = 0; i < LEASE__PARTS; i++) money(j, t.part_fen[i], part[i]);
    if (j->fmt == CLI_CSV) {
        printf("scope,key,leases,price,down,financing,advance\n");
        printf("total,%s,%lld,%s,%s,%s,%s\n", pg->id, (long long)t.count, price, part[0],
               part[1], part[2]);
    } else {
        char bounds[160];
        cli_lease_bounds(pg, bounds, sizeof bounds);
        printf(_("program %s (leasing), operated by %s: %s of the price\n"), pg->id, op, bounds);
        printf(_("amounts in %s\n"), cli_unit_name());
        snprintf(count, sizeof count, "%lld", (long long)t.count);
        cli_figure(18, _("leases"), count, NULL);
        cli_figure(18, _("price"), price, NULL);
        static const char *const labels[LEASE__PARTS] = {N_("down payments"),
                                                         N_("lessor financing"),
                                                         N_("supplier advances")};
        for (int i = 0; i < LEASE__PARTS; i++) {
            pct(j, t.part_fen[i], t.price_fen, share, sizeof share);
            snprintf(note, sizeof note, _("(%s of the price)"), share);
            cli_figure(18, _(labels[i]), part[i], note);
        }
        printf("\n");
        j->t = cli_columns((const char *const[]){_("PROJECT"), _("LEASES"), _("PRICE"), _("DOWN"),
                                             _("FINANCING"), _("ADVANCE")},
                       "lnaaaa");
    }
    if ((err = state_projects_each(j->kv, leasing_project, j)) != 0)
        return cli_failf(err, "reading leases: %s", cf_strerror(err));
    cli_table_print(j->t, stdout, NULL);
    j->t = NULL;
    return CLI_OK;
}

/* ---- awards ------------------------------------------------------------------ */

static void year_end(inst_job *j)
{
    char total[CLI_AMOUNT_BYTES], budget[CLI_AMOUNT_BYTES], used[CLI_AMOUNT_BYTES], year[16], count[24];
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
        snprintf(year, sizeof year, "%d", j->year);
        snprintf(count, sizeof count, "%lld", (long long)j->year_count);
        CELLS(j->t, year, _("all"), count, total, budget, used);
    }
    j->year = 0;
}

static int level_row(void *arg, const query_award_level *l)
{
    inst_job *j = arg;
    char level[CLI_AMOUNT_BYTES], total[CLI_AMOUNT_BYTES], year[16], count[24];
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
        snprintf(year, sizeof year, "%d", l->year);
        snprintf(count, sizeof count, "%lld", (long long)l->count);
        CELLS(j->t, year, level, count, total, "", "");
    }
    return CF_OK;
}

static int award_status(inst_job *j, const char *op)
{
    const state_program *pg = j->pg;
    char budget[CLI_AMOUNT_BYTES], x[CLI_AMOUNT_BYTES], levels[512];
    size_t n = 0;
    snprintf(budget, sizeof budget, "%s", _("none"));
    if (pg->has_budget) money(j, pg->budget_fen, budget);
    if (j->fmt == CLI_CSV) {
        printf("scope,year,level,awards,amount,budget,used\n");
    } else {
        levels[0] = '\0';
        for (size_t i = 0; i < pg->nlevels && n < sizeof levels; i++) {
            money(j, pg->levels_fen[i], x);
            n += (size_t)snprintf(levels + n, sizeof levels - n, "%s %s", i ? "," : "", x);
        }
        printf(_("program %s (award), operated by %s: amounts%s; budget %s per year\n"), pg->id,
               op, levels, budget);
        printf(_("amounts in %s\n"), cli_unit_name());
        printf("\n");
        j->t = cli_columns((const char *const[]){_("YEAR"), _("LEVEL"), _("AWARDS"), _("AMOUNT"),
                                             _("BUDGET"), _("USED")},
                       "lanaan");
    }
    int err = query_award_levels(j->kv, pg->id, j->as_of, level_row, j);
    if (err) return cli_failf(err, "reading awards: %s", cf_strerror(err));
    year_end(j);
    cli_table_print(j->t, stdout, NULL);
    j->t = NULL;
    return CLI_OK;
}

/* ---- subsidies ---------------------------------------------------------------- */

static int subsidy_year_row(void *arg, const query_subsidy_year *y)
{
    inst_job *j = arg;
    char paid[CLI_AMOUNT_BYTES], budget[CLI_AMOUNT_BYTES] = "-", used[16] = "-", year[16],
        count[24];
    money(j, y->paid_fen, paid);
    if (j->pg->has_budget) {
        money(j, j->pg->budget_fen, budget);
        pct(j, y->paid_fen, j->pg->budget_fen, used, sizeof used);
    }
    if (j->fmt == CLI_CSV)
        printf("year,%d,%lld,%s,%s,%s\n", y->year, (long long)y->count, paid, budget, used);
    else {
        snprintf(year, sizeof year, "%d", y->year);
        snprintf(count, sizeof count, "%lld", (long long)y->count);
        CELLS(j->t, year, count, paid, budget, used);
    }
    return CF_OK;
}

static int subsidy_status(inst_job *j, const char *op)
{
    const state_program *pg = j->pg;
    char cap[CLI_AMOUNT_BYTES], rcap[CLI_AMOUNT_BYTES], budget[CLI_AMOUNT_BYTES],
        paid[CLI_AMOUNT_BYTES];
    query_subsidy_sum t;
    int err = query_subsidy_totals(j->kv, pg->id, j->as_of, &t);
    if (err) return cli_failf(err, "reading subsidies: %s", cf_strerror(err));
    /* "none" translated for people; CSV's budget field keeps it as it was */
    snprintf(cap, sizeof cap, "%s", j->fmt == CLI_CSV ? "none" : _("none"));
    snprintf(rcap, sizeof rcap, "%s", cap);
    snprintf(budget, sizeof budget, "%s", cap);
    if (pg->has_cap) money(j, pg->cap_fen, cap);
    if (pg->has_recipient_cap) money(j, pg->recipient_cap_fen, rcap);
    if (pg->has_budget) money(j, pg->budget_fen, budget);
    money(j, t.paid_fen, paid);
    if (j->fmt == CLI_CSV) {
        printf("scope,year,subsidies,paid,budget,used\nall,,%lld,%s,%s,\n", (long long)t.count,
               paid, budget);
    } else {
        printf(_("program %s (subsidy), operated by %s: basis %s; share %u:%u of the price, cap %s "
                 "per unit, %s per recipient per year, budget %s per year\n"),
               pg->id, op, cert_kind_name(pg->basis), pg->share_num, pg->share_den, cap, rcap,
               budget);
        printf(_("amounts in %s\n"), cli_unit_name());
        printf(_("  subsidies %lld, paid %s\n"), (long long)t.count, paid);
        printf("\n");
        j->t = cli_columns((const char *const[]){_("YEAR"), _("SUBSIDIES"), _("PAID"), _("BUDGET"),
                                             _("USED")},
                       "lnaan");
    }
    err = query_subsidy_years(j->kv, pg->id, j->as_of, subsidy_year_row, j);
    if (err) return cli_failf(err, "reading subsidies: %s", cf_strerror(err));
    cli_table_print(j->t, stdout, NULL);
    j->t = NULL;
    return CLI_OK;
}

/* ---- program status of the other kinds, `pool status` ----------------------- */

int cli_instrument_status(const ledger_kv *kv, const state_program *pg, enum cli_format fmt,
                          uint64_t as_of, int32_t tz, struct json_t **json)
{
    inst_job j = {.kv = kv, .fmt = fmt, .as_of = as_of, .tz = tz, .pg = pg};
    char op[CLI_LABEL_BYTES];
    int rc;
    if (fmt == CLI_JSON) {
        report_ctx c = {.kv = kv, .as_of = as_of, .tz_min = tz};
        int err = render_program_json(&c, pg, 0, json);
        return err ? cli_failf(err, "reading program %s: %s", pg->id, cf_strerror(err)) : CLI_OK;
    }
    cli_member_label(kv, pg->operator_key, op, sizeof op);
    switch (pg->pkind) {
    case PROGRAM_POOL: rc = pool_status(&j, op); break;
    case PROGRAM_LEASING: rc = leasing_status(&j, op); break;
    case PROGRAM_AWARD: rc = award_status(&j, op); break;
    case PROGRAM_SUBSIDY: rc = subsidy_status(&j, op); break;
    default: return cli_failf(CF_EINVAL, "program %s is a matching program", pg->id);
    }
    cli_table_free(j.t); /* an error's */
    return rc;
}

/* ---- leases ------------------------------------------------------------------ */

static int lease_row(void *arg, const state_lease *l)
{
    inst_job *j = arg;
    char who[ENTRY_ID_BYTES_MAX + 1], when[CLI_TIME_BYTES], price[CLI_AMOUNT_BYTES],
        part[LEASE__PARTS][CLI_AMOUNT_BYTES], entry_id[ENTRY_ID_BYTES_MAX + 24],
        project[CLI_PROJECT_BYTES];
    j->n++;
    if (j->fmt != CLI_TABLE) return render_rows_add(&j->rows, l);
    ledger_member_label(j->kv, l->author, who, sizeof who); /* the entry's id */
    cli_date_text(l->time_ms, j->tz, when);
    money(j, l->price_fen, price);
    for (int i = 0; i < LEASE__PARTS; i++) money(j, l->part_fen[i], part[i]);
    snprintf(entry_id, sizeof entry_id, "%s#%llu", who, (unsigned long long)l->index);
    CELLS(j->t, cli_project_cell(j->kv, l->project, project, sizeof project), l->program, entry_id, when, price, part[0], part[1], part[2],
          l->equipment);
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
        l->j.t = cli_columns((const char *const[]){_("PROJECT"), _("PROGRAM"), _("ENTRY"), _("DATE"),
                                               _("PRICE"), _("DOWN"), _("FINANCING"),
                                               _("ADVANCE"), _("EQUIPMENT")},
                         "llllaaaal");
    int err = query_leases(kv, l->project, l->program, l->j.as_of, lease_row, &l->j);
    if (err) return cli_failf(err, "reading leases: %s", cf_strerror(err));
    cli_table_print(l->j.t, stdout, _("(no leases)"));
    l->j.t = NULL;
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
    cli_table_free(l.j.t); /* an error's */
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
    char aw[CLI_AMOUNT_BYTES], pr[CLI_AMOUNT_BYTES], fi[CLI_AMOUNT_BYTES],
        le[CLI_AMOUNT_BYTES], re[CLI_AMOUNT_BYTES], lo[CLI_AMOUNT_BYTES],
        su[CLI_AMOUNT_BYTES], n[4][24], project[CLI_PROJECT_BYTES];
    if (j->n++ == 0)
        j->t = cli_columns((const char *const[]){_("PROJECT"), _("AWARDS"), _("AWARDED"), _("LEASES"),
                                             _("EQUIPMENT PRICE"), _("LESSOR FINANCED"),
                                             _("LOANS"), _("LENT"), _("REPAID"), _("LOSSES"),
                                             _("SUBSIDIES"), _("SUBSIDISED")},
                       "lnanaanaaana");
    money(j, p->award_fen, aw);
    money(j, p->lease_price_fen, pr);
    money(j, p->lease_financing_fen, fi);
    money(j, p->lent_fen, le);
    money(j, p->repaid_fen, re);
    money(j, p->loss_fen, lo);
    money(j, p->subsidy_fen, su);
    snprintf(n[0], sizeof n[0], "%lld", (long long)p->awards);
    snprintf(n[1], sizeof n[1], "%lld", (long long)p->leases);
    snprintf(n[2], sizeof n[2], "%lld", (long long)p->loans);
    snprintf(n[3], sizeof n[3], "%lld", (long long)p->subsidies);
    CELLS(j->t, cli_project_cell(j->kv, p->project, project, sizeof project), n[0], aw, n[1], pr, fi, n[2], le, re, lo, n[3], su);
    return CF_OK;
}

int cli_print_not_equity(const ledger_kv *kv, const char *project, uint64_t as_of)
{
    inst_job j = {.kv = kv, .fmt = CLI_TABLE, .as_of = as_of};
    int err = query_projects_other(kv, project, as_of, other_row, &j);
    if (err) {
        cli_table_free(j.t);
        return cli_failf(err, "reading awards, leases, loans and subsidies: %s", cf_strerror(err));
    }
    if (j.t) {
        printf("\n%s\n", _("not equity (no share above): awards, leased equipment, bank loans "
                            "under pools and subsidies"));
        cli_table_print(j.t, stdout, NULL);
    }
    return CLI_OK;
}
