/* cmd_subsidy.c — certification by governance and the subsidies resting on
 * it (docs/cli.md; docs/rules.md R-CERT, R-SUBSIDY): `certify` and `revoke`
 * (governance), `certifications` (a query) and `subsidy` (a subsidy
 * program's operator). The rules decide (node/ledger/rules_subsidy.c); these
 * commands fill the entries, reading a cited lease's leaf hash and price and
 * the program's terms (the largest subsidy they allow) from this home. */
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "crypto/cf_error.h"
#include "ledger/amount.h"
#include "ledger/caltime.h"
#include "ledger/rules.h"
#include "names.h"
#include "table.h"

static entry_text txt(const char *s)
{
    return entry_text_of(s, strlen(s));
}

static int network_of(home *h, state_network *net)
{
    diag d;
    return home_network(h, net, &d) == CF_OK ? CLI_OK : cli_fail(&d);
}

/* ---- certify, revoke ---------------------------------------------------------- */

static int run_certify(cli_env *env, const cli_args *a)
{
    const char *kind_arg = cli_get(a, "kind"), *project = cli_get(a, "project"), *v;
    entry e = {.type = ENTRY_CERTIFY};
    body_certify *b = &e.body.certify;
    uint64_t u;
    diag d;
    b->kind = cert_kind_from_name(kind_arg, strlen(kind_arg));
    b->project = txt(project);
    if ((v = cli_get(a, "year"))) {
        if (cli_parse_u64(v, &u) != CF_OK || u < AWARD_YEAR_MIN || u > AWARD_YEAR_MAX)
            return cli_failf(CF_EINVAL, "--year: %d to %d", AWARD_YEAR_MIN, AWARD_YEAR_MAX);
        b->has_year = true;
        b->year = (uint32_t)u;
    }
    if ((v = cli_get(a, "batch"))) {
        if (cli_parse_u64(v, &b->batch) != CF_OK) return cli_failf(CF_EINVAL, "--batch: a number");
        b->has_batch = true;
    }
    if ((v = cli_get(a, "product"))) {
        if (!entry_name_valid(v, strlen(v)))
            return cli_failf(CF_EINVAL, "--product: 1-%d bytes without control characters",
                             ENTRY_NAME_BYTES_MAX);
        b->has_product = true;
        b->product = txt(v);
    }
    if ((v = cli_get(a, "price"))) {
        if (cli_parse_amount(v, &b->price_fen, &d) != CF_OK) return cli_fail(&d);
        b->has_price = true;
    }
    home *h;
    state_network net;
    int rc = cli_open_home(env, 0, &h);
    if (rc) return rc;
    if ((rc = network_of(h, &net)) != 0) goto out;
    if (cli_parse_time(cli_get(a, "from"), net.tz_min, false, &b->from, &d) != CF_OK ||
        ((v = cli_get(a, "until")) &&
         cli_parse_time(v, net.tz_min, true, &b->until, &d) != CF_OK)) {
        rc = cli_fail(&d);
        goto out;
    }
    b->has_until = v != NULL;
    if (b->has_until) b->until += 1; /* --until is the last ms in force; the body's is the first not */
    uint64_t index;
    if ((rc = cli_append(env, h, &e, 1, &index)) == CLI_OK)
        printf(_("certification %llu: %s, %s (its number: the governance index)\n"),
               (unsigned long long)(net.gov_base + index), project, kind_arg);
out:
    cli_close_home(h);
    return rc;
}

static int run_revoke(cli_env *env, const cli_args *a)
{
    entry e = {.type = ENTRY_REVOKE};
    diag d;
    if (cli_parse_u64(a->pos[0], &e.body.revoke.certification) != CF_OK)
        return cli_failf(CF_EINVAL, "CERT: a certification's number (its governance index)");
    home *h;
    state_network net;
    int rc = cli_open_home(env, 0, &h);
    if (rc) return rc;
    if ((rc = network_of(h, &net)) != 0) goto out;
    if (cli_parse_time(cli_get(a, "at"), net.tz_min, false, &e.body.revoke.at, &d) != CF_OK) {
        rc = cli_fail(&d);
        goto out;
    }
    if ((rc = cli_append(env, h, &e, 1, NULL)) == CLI_OK) {
        char t[CLI_TIME_BYTES];
        cli_time_text(e.body.revoke.at, net.tz_min, t);
        printf(_("certification %s revoked from %s\n"), a->pos[0], t);
    }
out:
    cli_close_home(h);
    return rc;
}

/* ---- certifications ------------------------------------------------------------ */

struct certs_job {
    enum cli_format fmt;
    int32_t tz;
    uint64_t as_of;
    const char *project;
    json_t *json;
    cli_table *table;
    const ledger_kv *kv;
};

/* One row of the table: dates and the price as people read them. */
static void cert_table_row(struct certs_job *j, const state_cert *x, bool now)
{
    char what[STATE_NAME_CAP + 96] = "", t[CLI_TIME_BYTES], price[CLI_MONEY_BYTES],
        project[CLI_PROJECT_BYTES];
    cli_table *tb = j->table;
    if (x->kind == CERT_DEMONSTRATION && x->batch)
        snprintf(what, sizeof what, _("%d batch %llu"), x->year, (unsigned long long)x->batch);
    else if (x->kind == CERT_DEMONSTRATION)
        snprintf(what, sizeof what, "%d", x->year);
    if (x->kind == CERT_FIRST_SET)
        snprintf(what, sizeof what, _("%s at %s"), x->product, cli_money_text(x->price_fen, false, price));
    cli_table_cellf(tb, "%llu", (unsigned long long)x->gov_index);
    cli_table_cell(tb, cert_kind_name(x->kind));
    cli_table_cell(tb, cli_project_cell(j->kv, x->project, project, sizeof project));
    cli_date_text(x->from_ms, j->tz, t);
    cli_table_cell(tb, t);
    if (x->has_until) cli_date_text(x->until_ms, j->tz, t);
    cli_table_cell(tb, x->has_until ? t : "-");
    if (x->revoked) cli_date_text(x->revoke_at, j->tz, t);
    cli_table_cell(tb, x->revoked ? t : "-");
    cli_table_cell(tb, now ? _("yes") : _("no"));
    cli_table_cell(tb, what);
}

static int cert_row(void *arg, const state_cert *x)
{
    struct certs_job *j = arg;
    char from[CALTIME_TEXT_BYTES], until[CALTIME_TEXT_BYTES] = "", rev[CALTIME_TEXT_BYTES] = "",
                                   price[AMOUNT_TEXT_BYTES] = "";
    caltime_format(x->from_ms, j->tz, from);
    if (x->has_until) caltime_format(x->until_ms, j->tz, until);
    if (x->revoked) caltime_format(x->revoke_at, j->tz, rev);
    if (x->kind == CERT_FIRST_SET) amount_format_plain(x->price_fen, price);
    bool now = state_cert_in_force(x, j->as_of == STATE_TIME_LATEST ? cli_now_ms() : j->as_of,
                                   UINT64_MAX);
    if (j->fmt == CLI_JSON) {
        json_t *o = json_pack("{s:I, s:s, s:s, s:s, s:s, s:b}", "id", (json_int_t)x->gov_index,
                              "kind", cert_kind_name(x->kind), "project", x->project, "from",
                              from, "until", until, "in_force", now);
        if (x->kind == CERT_DEMONSTRATION) {
            json_object_set_new(o, "year", json_integer(x->year));
            if (x->batch) json_object_set_new(o, "batch", json_integer((json_int_t)x->batch));
        }
        if (x->kind == CERT_FIRST_SET) {
            json_object_set_new(o, "product", json_string(x->product));
            json_object_set_new(o, "price", json_string(price));
        }
        if (x->revoked) json_object_set_new(o, "revoked_from", json_string(rev));
        json_array_append_new(j->json, o);
    } else if (j->fmt == CLI_CSV) {
        printf("%llu,%s,%s,", (unsigned long long)x->gov_index, cert_kind_name(x->kind), x->project);
        if (x->kind == CERT_DEMONSTRATION) printf("%d", x->year);
        printf(",");
        if (x->batch) printf("%llu", (unsigned long long)x->batch);
        printf(",");
        cli_print_csv_field(stdout, x->product);
        printf(",%s,%s,%s,%s,%s\n", price, from, until, rev, now ? "yes" : "no");
    } else {
        cert_table_row(j, x, now);
    }
    return CF_OK;
}

static int certs_read(store_txn *txn, const ledger_kv *kv, void *arg)
{
    struct certs_job *j = arg;
    state_network net;
    (void)txn;
    int err = state_network_get(kv, &net);
    if (err == CF_ENOTFOUND)
        return cli_failf(CF_ENO_NETWORK, "this home has not joined a network yet");
    if (err) return cli_failf(err, "reading the network: %s", cf_strerror(err));
    j->tz = net.tz_min;
    j->kv = kv;
    int rc;
    if (j->project && (rc = cli_require_project(kv, j->project)) != 0) return rc;
    if (j->fmt == CLI_CSV)
        printf("id,kind,project,year,batch,product,price,from,until,revoked_from,in_force\n");
    if (j->fmt == CLI_TABLE) {
        j->table = cli_columns((const char *const[]){_("ID"), _("KIND"), _("PROJECT"), _("FROM"),
                                                     _("UNTIL"), _("REVOKED"), _("NOW"),
                                                     _("WHAT")},
                               "nlllllll");
    }
    if (j->fmt == CLI_JSON) j->json = json_array();
    err = state_certs_each(kv, j->project, cert_row, j);
    if (err) return cli_failf(err, "reading certifications: %s", cf_strerror(err));
    if (j->table) cli_table_print(j->table, stdout, _("(no certifications)"));
    j->table = NULL;
    return CLI_OK;
}

static int run_certifications(cli_env *env, const cli_args *a)
{
    struct certs_job j = {.fmt = cli_get_format(a), .project = cli_get(a, "project"),
                          .as_of = STATE_TIME_LATEST};
    home *h;
    int rc = cli_open_home(env, HOME_RDONLY, &h);
    if (rc) return rc;
    rc = cli_read(h, certs_read, &j);
    cli_table_free(j.table); /* left by an error */
    if (j.json) {
        if (rc == CLI_OK) cli_print_json(j.json);
        json_decref(j.json);
    }
    cli_close_home(h);
    return rc;
}

/* ---- subsidy -------------------------------------------------------------------- */

struct subsidy_job {
    home *h;
    entry *e;
    const char *lease_arg;
    bool has_price, has_amount;
};

/* The lease's reference and price; the largest amount the terms in force now
 * allow (R-SUBSIDY.3, .5) when no --amount is given. */
static int subsidy_read(store_txn *txn, const ledger_kv *kv, void *arg)
{
    struct subsidy_job *j = arg;
    body_subsidy *b = &j->e->body.subsidy;
    char program[STATE_ID_CAP], project[STATE_ID_CAP], who[STATE_ID_CAP];
    state_program pg;
    diag d;
    int rc;
    memcpy(program, b->program.s, b->program.n);
    program[b->program.n] = '\0';
    memcpy(project, b->project.s, b->project.n);
    project[b->project.n] = '\0';
    if ((rc = cli_require_program(kv, program)) != 0) return rc;
    if (j->lease_arg) {
        entry_ref *r = &b->lease;
        state_lease l;
        if (cli_parse_feed_index(kv, j->h, j->lease_arg, r->author, &r->index, &d) != CF_OK)
            return cli_fail(&d);
        ledger_member_label(kv, r->author, who, sizeof who);
        int err = store_leaf_get(txn, r->author, r->index, r->leaf);
        if (err == CF_OK) err = state_lease_get(kv, project, r->author, r->index, &l);
        if (err == CF_ENOTFOUND)
            return cli_failf(err, "%s#%llu is not an applied lease of project %s here", who,
                             (unsigned long long)r->index, project);
        if (err) return cli_failf(err, "reading %s: %s", j->lease_arg, cf_strerror(err));
        if (!j->has_price) b->price_fen = l.price_fen;
    }
    if (b->price_fen == 0) return cli_failf(CF_EINVAL, "--price AMT is needed for a sale");
    int err = state_program_get(kv, program, strlen(program), &pg);
    if (err) return cli_failf(err, "reading programs: %s", cf_strerror(err));
    if (pg.pkind != PROGRAM_SUBSIDY)
        return cli_failf(CF_EINVAL, "program %s is a %s program, not a subsidy", program, pg.kind);
    if (j->has_amount) return CLI_OK;
    if ((err = state_terms_in_force(kv, &pg, cli_now_ms(), UINT64_MAX, NULL, NULL)) != 0)
        return cli_failf(err, "reading the program's terms: %s", cf_strerror(err));
    b->amount_fen = (int64_t)pg.share_num * b->price_fen / (int64_t)pg.share_den;
    if (pg.has_cap && b->amount_fen > pg.cap_fen * (int64_t)b->units)
        b->amount_fen = pg.cap_fen * (int64_t)b->units;
    char p[CLI_MONEY_BYTES], s[CLI_MONEY_BYTES];
    cli_money_text(b->price_fen, false, p);
    cli_money_text(b->amount_fen, false, s);
    if (pg.has_cap)
        printf(_("%u/%u × price %s = %s (rounded down to the fen, within the cap per unit)\n"),
               pg.share_num, pg.share_den, p, s);
    else
        printf(_("%u/%u × price %s = %s (rounded down to the fen)\n"), pg.share_num,
               pg.share_den, p, s);
    fflush(stdout); /* before a rejection on stderr */
    if (b->amount_fen == 0) return cli_failf(CF_EINVAL, "the share of %s is 0.00", p);
    return CLI_OK;
}

static int run_subsidy(cli_env *env, const cli_args *a)
{
    const char *program = cli_get(a, "program"), *project = cli_get(a, "project"),
               *sale = cli_get(a, "sale"), *lease = cli_get(a, "lease"), *v;
    entry e = {.type = ENTRY_SUBSIDY};
    body_subsidy *b = &e.body.subsidy;
    struct subsidy_job j = {.e = &e, .lease_arg = lease};
    uint64_t u;
    diag d;
    if ((sale == NULL) == (lease == NULL))
        return cli_failf(CF_EINVAL, "give --sale REF or --lease LESSOR:INDEX (one of them)");
    if (sale && !entry_id_valid(sale, strlen(sale)))
        return cli_failf(CF_EINVAL, "--sale: an identifier (A-Z a-z 0-9 . _ -)");
    if (cli_parse_u64(cli_get(a, "certification"), &b->certification) != CF_OK)
        return cli_failf(CF_EINVAL, "--certification: a certification's number");
    b->units = 1;
    if ((v = cli_get(a, "units"))) {
        if (cli_parse_u64(v, &u) != CF_OK || u == 0 || u > SUBSIDY_UNITS_MAX)
            return cli_failf(CF_EINVAL, "--units: 1 to %d", SUBSIDY_UNITS_MAX);
        b->units = (uint32_t)u;
    }
    if ((v = cli_get(a, "price"))) {
        if (cli_parse_amount(v, &b->price_fen, &d) != CF_OK) return cli_fail(&d);
        j.has_price = true;
    }
    if ((v = cli_get(a, "amount"))) {
        if (cli_parse_amount(v, &b->amount_fen, &d) != CF_OK) return cli_fail(&d);
        j.has_amount = true;
    }
    b->program = txt(program);
    b->project = txt(project);
    b->has_sale = sale != NULL;
    if (sale) b->sale = txt(sale);
    b->has_lease = lease != NULL;
    home *h;
    int rc = cli_open_home(env, 0, &h);
    if (rc) return rc;
    j.h = h;
    if ((rc = cli_read(h, subsidy_read, &j)) == 0) {
        char what[240], amt[CLI_MONEY_BYTES];
        cli_money_text(b->amount_fen, true, amt);
        snprintf(what, sizeof what,
                 sale ? _("subsidy of %s to %s for sale %s") : _("subsidy of %s to %s for lease %s"),
                 amt, project, sale ? sale : lease);
        rc = cli_append_timed(env, h, &e, cli_get(a, "time"), what);
    }
    cli_close_home(h);
    return rc;
}

/* ---- the commands --------------------------------------------------------------- */

const cli_cmd cli_cmd_certify = {
    .name = "certify",
    .opts = (const cli_opt[]){
        {"kind", "demonstration|first-set|local", CLI_REQUIRED | CLI_CHOICE, 0,
         N_("a demonstration project, a first-set product's maker, a local equipment maker")},
        {"project", "P", CLI_REQUIRED | CLI_ID, 0, N_("the project certified (the maker)")},
        {"year", "Y", 0, 0, N_("demonstration: the program year")},
        {"batch", "N", 0, 0, N_("demonstration: the batch (optional)")},
        {"product", "NAME", 0, 0, N_("first-set: the product")},
        {"price", "AMT", 0, 0, N_("first-set: the certified price of one unit")},
        {"from", "TIME", CLI_REQUIRED, 0, N_("in force from")},
        {"until", "TIME", 0, 0, N_("in force through (a bare date: its end); default: no end")},
        CLI_OPT_DRY_RUN, CLI_OPT_YES, CLI_OPT_END},
    .summary = N_("governance: certify a demonstration project, a first-set product or a local maker"),
    .help = N_("The governance certifies a project: as a demonstration project for a year (award "
            "programs with --requires demonstration award only those, R-AWARD.5), as the maker "
            "of a first-set product at a certified price, or as a local equipment maker (subsidy "
            "programs pay on these, R-SUBSIDY.2). Its number is its governance index (printed). "
            "Each kind states its own fields and no other's (R-CERT.1)."),
    .example = "certify --kind first-set --project robotics --product \"Welding robot WR-1\" "
               "--price 1,200,000 --from 2026-01-01 --until 2027-12-31",
    .run = run_certify,
};

const cli_cmd cli_cmd_revoke = {
    .name = "revoke",
    .args = "CERT",
    .min_args = 1,
    .max_args = 1,
    .opts = (const cli_opt[]){{"at", "TIME", CLI_REQUIRED, 0, N_("withdrawn from this time on")},
                              CLI_OPT_DRY_RUN, CLI_OPT_YES, CLI_OPT_END},
    .summary = N_("governance: withdraw a certification from a time"),
    .help = N_("The governance withdraws certification CERT from --at on: an entry dated at or "
            "after it that rests on the certification, and reads this revocation, is refused. "
            "A certification is revoked once (R-CERT.2)."),
    .example = "revoke 14 --at 2026-06-30",
    .run = run_revoke,
};

const cli_cmd cli_cmd_certifications = {
    .name = "certifications",
    .opts = (const cli_opt[]){{"project", "P", CLI_ID, 0, N_("only this project's")},
                              CLI_OPT_FORMAT, CLI_OPT_END},
    .summary = N_("every certification: kind, project, dates, whether in force now"),
    .help = N_("Every certification the governance wrote: its number, kind, project, from, until, "
            "revocation, whether it is in force now, and what it certifies (a year and batch, "
            "a product and its certified price)."),
    .example = "certifications --project robotics",
    .run = run_certifications,
};

const cli_cmd cli_cmd_subsidy = {
    .name = "subsidy",
    .opts = (const cli_opt[]){
        {"program", "ID", CLI_REQUIRED | CLI_ID, 0, N_("the subsidy program")},
        {"project", "P", CLI_REQUIRED | CLI_ID, 0, N_("the buyer")},
        {"certification", "CERT", CLI_REQUIRED, 0, N_("the certification it rests on (its number)")},
        {"sale", "REF", 0, 0, N_("the sale's reference (unique in the program)")},
        {"lease", "LESSOR:INDEX", 0, 0, N_("or the lease entry it subsidises")},
        {"units", "N", 0, 0, N_("units bought (default 1)")},
        {"price", "AMT", 0, 0, N_("the price paid, all units (a lease's: read from it)")},
        {"amount", "AMT", 0, 0, N_("the subsidy (default: the most the terms allow)")},
        CLI_OPT_TIME,
        CLI_OPT_DRY_RUN, CLI_OPT_YES, CLI_OPT_END},
    .summary = N_("the subsidy program's operator pays a subsidy for a sale or a lease"),
    .help = N_("The subsidy program's operator pays a share of the price of a certified first-set "
            "product or of a local maker's equipment, for a sale (--sale) or a lease (--lease): "
            "the certification in force at its time, the share exact to the fen, the caps and "
            "the budget, one subsidy per sale or lease (R-SUBSIDY.1-8). Without --amount it "
            "prints and pays the most the terms allow."),
    .example = "subsidy --program first-set --project motors --certification 14 --sale INV-2026-001 "
               "--price 1,200,000",
    .run = run_subsidy,
};
