/* cmd_instruments.c — the entries of the policy's other instruments
 * (docs/cli.md): deposit, withdraw, loan, guarantee, repay, default,
 * release and compensate (the loan risk compensation pool), lease and award.
 * The rules decide (node/ledger/rules_pool.c, rules_lease.c); these commands
 * fill the entries, reading what a citing entry restates (a loan's amount,
 * a repayment's, the compensation a default is due) from this home's state.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "crypto/cf_error.h"
#include "ledger/amount.h"
#include "ledger/caltime.h"
#include "ledger/rules.h"
#include "table.h"

static entry_text txt(const char *s)
{
    return entry_text_of(s, strlen(s));
}

/* Ids on the command line must be identifiers before they go into entries. */
static int check_id(const char *flag, const char *s)
{
    if (s == NULL || entry_id_valid(s, strlen(s))) return CLI_OK;
    return cli_failf(CF_EINVAL, "%s: not an identifier (A-Z a-z 0-9 . _ -)", flag);
}

/* What a citing entry needs from the state before it is appended: the
 * entry's reference (leaf hash from the store) and its record. */
struct cite_job {
    home *h;
    const char *arg;      /* MEMBER:INDEX, or INDEX for one's own feed */
    bool own;             /* INDEX in this home's feed */
    enum entry_type type; /* what it must be */
    entry_ref *ref;
    state_credit rec;
    const char *program;  /* compensate: the pool, for its share */
    state_program pg;
    int64_t due;          /* compensate: what the pool owes (R-POOL.3, R-POOL.9) */
    diag why;             /* and why */
};

static int read_cited(store_txn *txn, const ledger_kv *kv, void *arg)
{
    struct cite_job *j = arg;
    diag d;
    char who[STATE_ID_CAP];
    const char *colon = strrchr(j->arg, ':');
    if (j->own && colon == NULL) {
        memcpy(j->ref->author, j->h->self, 32);
        if (cli_parse_u64(j->arg, &j->ref->index) != CF_OK)
            return cli_failf(CF_EINVAL, "\"%s\": expected INDEX or self:INDEX", j->arg);
    } else if (cli_parse_feed_index(kv, j->h, j->arg, j->ref->author, &j->ref->index, &d) != CF_OK) {
        return cli_fail(&d);
    }
    ledger_member_label(kv, j->ref->author, who, sizeof who);
    int err = store_leaf_get(txn, j->ref->author, j->ref->index, j->ref->leaf);
    if (err == CF_ENOTFOUND)
        return cli_failf(err, "%s#%llu is not held here (import or sync it first)", who,
                         (unsigned long long)j->ref->index);
    if (err) return cli_failf(err, "reading %s: %s", j->arg, cf_strerror(err));
    err = state_credit_get(kv, j->ref->author, j->ref->index, &j->rec);
    if (err == CF_ENOTFOUND || (err == CF_OK && j->rec.type != j->type))
        return cli_failf(CF_ENOTFOUND, "%s#%llu is not an applied %s here", who,
                         (unsigned long long)j->ref->index, entry_type_name(j->type));
    if (err) return cli_failf(err, "reading %s: %s", j->arg, cf_strerror(err));
    /* A local check, not a rule: the operator's entry has no read point of
     * the bank's feed, so the rules accept it alike on every node whether or
     * not the reversal arrived first (docs/rules.md R-REVERSE.4); its author,
     * who sees the reversal, does not write it. The bank's own citations are
     * refused by R-REVERSE.4. */
    state_reversal rv;
    if (!j->own && j->rec.reversed_ms != 0 &&
        state_reversed_get(kv, j->ref->author, j->ref->index, &rv) == CF_OK)
        return cli_failf(CF_EINVAL, "%s#%llu was reversed by %s#%llu: a reversed entry is "
                                    "not cited (R-REVERSE.4)",
                         who, (unsigned long long)j->ref->index, who,
                         (unsigned long long)rv.index);
    if (j->program) {
        err = state_program_get(kv, j->program, strlen(j->program), &j->pg);
        if (err == CF_ENOTFOUND) return cli_failf(err, "program %s is not registered", j->program);
        if (err) return cli_failf(err, "reading programs: %s", cf_strerror(err));
        if (j->pg.pkind != PROGRAM_POOL)
            return cli_failf(CF_EINVAL, "program %s is a %s program, not a pool", j->program,
                             j->pg.kind);
        if (j->type == ENTRY_DEFAULT &&
            ledger_compensation_due(kv, &j->pg, j->ref->author, j->ref->index, &j->due,
                                    &j->why) != CF_OK)
            return cli_fail(&j->why);
    }
    return CLI_OK;
}

/* Open the home, read the entry j cites (j->h is set here), append e. */
static int append_citing(cli_env *env, entry *e, const char *time_arg, const char *what,
                         struct cite_job *j)
{
    home *h;
    int rc = cli_open_home(env, 0, &h);
    if (rc) return rc;
    j->h = h;
    if ((rc = cli_read(h, read_cited, j)) == 0) rc = cli_append_timed(env, h, e, time_arg, what);
    cli_close_home(h);
    return rc;
}

static int amount_arg(const char *s, const char *flag, int64_t *fen)
{
    diag d;
    if (s == NULL) return cli_failf(CF_EINVAL, "%s AMT is needed", flag);
    return cli_parse_amount(s, fen, &d) == CF_OK ? CLI_OK : cli_fail(&d);
}

/* ---- the pool ---------------------------------------------------------------- */

static int pool_funds(cli_env *env, const cli_args *a, enum entry_type t)
{
    const char *program = cli_get(a, "program");
    entry e = {.type = t};
    int rc;
    if ((rc = check_id("--program", program)) != 0 ||
        (rc = amount_arg(cli_get(a, "amount"), "--amount", &e.body.deposit.amount_fen)) != 0)
        return rc;
    e.body.deposit.program = txt(program);
    char what[160], amt[CLI_MONEY_BYTES];
    cli_money_text(e.body.deposit.amount_fen, true, amt);
    snprintf(what, sizeof what, t == ENTRY_DEPOSIT ? _("deposit of %s") : _("withdrawal of %s"), amt);
    return cli_append_timed(env, NULL, &e, cli_get(a, "time"), what);
}

static int run_deposit(cli_env *env, const cli_args *a)
{
    return pool_funds(env, a, ENTRY_DEPOSIT);
}

static int run_withdraw(cli_env *env, const cli_args *a)
{
    return pool_funds(env, a, ENTRY_WITHDRAW);
}

static int run_loan(cli_env *env, const cli_args *a)
{
    const char *program = cli_get(a, "program"), *project = cli_get(a, "project");
    entry e = {.type = ENTRY_LOAN};
    uint64_t months;
    int rc;
    if ((rc = check_id("--program", program)) != 0 || (rc = check_id("--project", project)) != 0 ||
        (rc = amount_arg(cli_get(a, "amount"), "--amount", &e.body.loan.amount_fen)) != 0)
        return rc;
    if (cli_parse_u64(cli_get(a, "term-months"), &months) != CF_OK || months == 0 ||
        months > TERM_MONTHS_MAX)
        return cli_failf(CF_EINVAL, "--term-months: 1 to %d", TERM_MONTHS_MAX);
    e.body.loan.program = txt(program);
    e.body.loan.project = txt(project);
    e.body.loan.term_months = (uint32_t)months;
    char what[200], amt[CLI_MONEY_BYTES];
    cli_money_text(e.body.loan.amount_fen, true, amt);
    snprintf(what, sizeof what, _("loan of %s to %s"), amt, project);
    return cli_append_timed(env, NULL, &e, cli_get(a, "time"), what);
}

static int run_guarantee(cli_env *env, const cli_args *a)
{
    const char *program = cli_get(a, "program"), *loan = cli_get(a, "loan");
    entry e = {.type = ENTRY_GUARANTEE};
    int rc;
    if ((rc = check_id("--program", program)) != 0) return rc;
    struct cite_job j = {.arg = loan, .type = ENTRY_LOAN, .ref = &e.body.guarantee.loan};
    e.body.guarantee.program = txt(program);
    home *h;
    if ((rc = cli_open_home(env, 0, &h)) != 0) return rc;
    j.h = h;
    if ((rc = cli_read(h, read_cited, &j)) == 0) {
        char amt[CLI_MONEY_BYTES], what[200];
        e.body.guarantee.amount_fen = j.rec.amount_fen; /* the loan's amount */
        snprintf(what, sizeof what, _("guarantee of loan %s (%s)"), loan,
                 cli_money_text(j.rec.amount_fen, false, amt));
        rc = cli_append_timed(env, h, &e, cli_get(a, "time"), what);
    }
    cli_close_home(h);
    return rc;
}

/* repay / default: a bank's own loan, by its index. */
static int on_own_loan(cli_env *env, const cli_args *a, enum entry_type t)
{
    const char *loan = cli_get(a, "loan");
    entry e = {.type = t};
    entry_ref *ref = t == ENTRY_REPAY ? &e.body.repay.loan : &e.body.loan_default.loan;
    int64_t *fen = t == ENTRY_REPAY ? &e.body.repay.amount_fen : &e.body.loan_default.loss_fen;
    const char *flag = t == ENTRY_REPAY ? "amount" : "loss";
    char dashed[16];
    snprintf(dashed, sizeof dashed, "--%s", flag);
    int rc;
    if ((rc = amount_arg(cli_get(a, flag), dashed, fen)) != 0) return rc;
    struct cite_job j = {.arg = loan, .own = true, .type = ENTRY_LOAN, .ref = ref};
    char what[200], amt[CLI_MONEY_BYTES];
    cli_money_text(*fen, true, amt);
    if (t == ENTRY_REPAY)
        snprintf(what, sizeof what, _("repayment of %s on loan %s"), amt, loan);
    else
        snprintf(what, sizeof what, _("default of loan %s, loss %s"), loan, amt);
    return append_citing(env, &e, cli_get(a, "time"), what, &j);
}

static int run_repay(cli_env *env, const cli_args *a)
{
    return on_own_loan(env, a, ENTRY_REPAY);
}

static int run_default(cli_env *env, const cli_args *a)
{
    return on_own_loan(env, a, ENTRY_DEFAULT);
}

static int run_release(cli_env *env, const cli_args *a)
{
    const char *program = cli_get(a, "program"), *repay = cli_get(a, "repay");
    entry e = {.type = ENTRY_RELEASE};
    int rc;
    if ((rc = check_id("--program", program)) != 0) return rc;
    struct cite_job j = {.arg = repay, .type = ENTRY_REPAY, .ref = &e.body.release.repay};
    e.body.release.program = txt(program);
    home *h;
    if ((rc = cli_open_home(env, 0, &h)) != 0) return rc;
    j.h = h;
    if ((rc = cli_read(h, read_cited, &j)) == 0) {
        char amt[CLI_MONEY_BYTES], what[200];
        e.body.release.amount_fen = j.rec.amount_fen; /* the repayment's amount */
        snprintf(what, sizeof what, _("release of repayment %s (%s)"), repay,
                 cli_money_text(j.rec.amount_fen, false, amt));
        rc = cli_append_timed(env, h, &e, cli_get(a, "time"), what);
    }
    cli_close_home(h);
    return rc;
}

/* The compensation a default is due (ledger_compensation_due: the pool's
 * share of the loss up to its balance, R-POOL.3; 0 for a loan guaranteed
 * after its default, R-POOL.9); --amount states another (the rules then
 * refuse it). A due of 0.00 is appended too: it settles the default. */
static int run_compensate(cli_env *env, const cli_args *a)
{
    const char *program = cli_get(a, "program"), *dflt = cli_get(a, "default"),
               *amount = cli_get(a, "amount");
    entry e = {.type = ENTRY_COMPENSATION};
    int rc;
    if ((rc = check_id("--program", program)) != 0) return rc;
    struct cite_job j = {.arg = dflt, .type = ENTRY_DEFAULT,
                         .ref = &e.body.compensation.default_ref, .program = program};
    e.body.compensation.program = txt(program);
    home *h;
    if ((rc = cli_open_home(env, 0, &h)) != 0) return rc;
    j.h = h;
    if ((rc = cli_read(h, read_cited, &j)) == 0) {
        char due[CLI_MONEY_BYTES], what[240];
        printf(_("compensation due: %s: %s\n"), cli_money_text(j.due, false, due), j.why.text);
        fflush(stdout);
        e.body.compensation.amount_fen = j.due;
        if (amount && (rc = amount_arg(amount, "--amount", &e.body.compensation.amount_fen)) != 0)
            goto out;
        cli_money_text(e.body.compensation.amount_fen, false, due);
        snprintf(what, sizeof what, _("compensation of %s for default %s"), due, dflt);
        rc = cli_append_timed(env, h, &e, cli_get(a, "time"), what);
    }
out:
    cli_close_home(h);
    return rc;
}

/* ---- leasing and awards ------------------------------------------------------ */

static int run_lease(cli_env *env, const cli_args *a)
{
    const char *program = cli_get(a, "program"), *project = cli_get(a, "project"),
               *equipment = cli_get(a, "equipment");
    entry e = {.type = ENTRY_LEASE};
    body_lease *b = &e.body.lease;
    int rc;
    if ((rc = check_id("--program", program)) != 0 || (rc = check_id("--project", project)) != 0 ||
        (rc = amount_arg(cli_get(a, "price"), "--price", &b->price_fen)) != 0)
        return rc;
    /* A part may be 0 here: R-LEASE.1 refuses it with its rule ID. */
    const struct {
        const char *flag;
        int64_t *fen;
    } parts[3] = {{"down", &b->down_fen}, {"financing", &b->financing_fen},
                  {"advance", &b->advance_fen}};
    for (int i = 0; i < 3; i++) {
        const char *s = cli_get(a, parts[i].flag);
        char dashed[16];
        snprintf(dashed, sizeof dashed, "--%s", parts[i].flag);
        if (!(strcmp(s, "0") == 0 || strcmp(s, "0.00") == 0) &&
            (rc = amount_arg(s, dashed, parts[i].fen)) != 0)
            return rc;
    }
    if (!entry_name_valid(equipment, strlen(equipment)))
        return cli_failf(CF_EINVAL, "--equipment: 1-128 bytes without control characters");
    b->program = txt(program);
    b->project = txt(project);
    b->equipment = txt(equipment);
    char what[240], amt[CLI_MONEY_BYTES];
    cli_money_text(b->price_fen, true, amt);
    snprintf(what, sizeof what, _("lease of %s to %s"), amt, project);
    return cli_append_timed(env, NULL, &e, cli_get(a, "time"), what);
}

static int run_award(cli_env *env, const cli_args *a)
{
    const char *program = cli_get(a, "program"), *project = cli_get(a, "project"),
               *year_arg = cli_get(a, "year");
    entry e = {.type = ENTRY_AWARD};
    uint64_t year;
    int rc;
    if ((rc = check_id("--program", program)) != 0 || (rc = check_id("--project", project)) != 0 ||
        (rc = amount_arg(cli_get(a, "amount"), "--amount", &e.body.award.amount_fen)) != 0)
        return rc;
    if (cli_parse_u64(year_arg, &year) != CF_OK || year < AWARD_YEAR_MIN || year > AWARD_YEAR_MAX)
        return cli_failf(CF_EINVAL, "--year: %d to %d", AWARD_YEAR_MIN, AWARD_YEAR_MAX);
    e.body.award.program = txt(program);
    e.body.award.project = txt(project);
    e.body.award.year = (uint32_t)year;
    char what[200], amt[CLI_MONEY_BYTES];
    cli_money_text(e.body.award.amount_fen, true, amt);
    snprintf(what, sizeof what, _("award of %s to %s for %s"), amt, project, year_arg);
    return cli_append_timed(env, NULL, &e, cli_get(a, "time"), what);
}

/* ---- the commands ------------------------------------------------------------ */

#define OPT_POOL {"program", "POOL", CLI_REQUIRED | CLI_ID, 0, N_("the pool (a program of kind pool)")}

const cli_cmd cli_cmd_deposit = {
    .name = "deposit",
    .opts = (const cli_opt[]){OPT_POOL, {"amount", "AMT", CLI_REQUIRED, 0, N_("yuan put in")},
                              CLI_OPT_TIME, CLI_OPT_DRY_RUN, CLI_OPT_YES, CLI_OPT_END},
    .summary = N_("the pool's operator puts money into the pool"),
    .help = N_("The pool's operator puts money into the pool (R-POOL.8: within its size)."),
    .example = "deposit --program pool --amount 10,000,000",
    .run = run_deposit,
};

const cli_cmd cli_cmd_withdraw = {
    .name = "withdraw",
    .opts = (const cli_opt[]){OPT_POOL, {"amount", "AMT", CLI_REQUIRED, 0, N_("yuan taken out")},
                              CLI_OPT_TIME, CLI_OPT_DRY_RUN, CLI_OPT_YES, CLI_OPT_END},
    .summary = N_("the pool's operator takes money out of the pool"),
    .help = N_("The pool's operator takes money out: never below zero, never leaving loans "
            "outstanding over the leverage bound (R-POOL.6, R-POOL.2)."),
    .example = "withdraw --program pool --amount 1,000,000",
    .run = run_withdraw,
};

const cli_cmd cli_cmd_loan = {
    .name = "loan",
    .opts = (const cli_opt[]){
        OPT_POOL,
        {"project", "P", CLI_REQUIRED | CLI_ID, 0, N_("the borrowing project")},
        {"amount", "AMT", CLI_REQUIRED, 0, N_("yuan lent")},
        {"term-months", "N", CLI_REQUIRED, 0, N_("the loan's term")},
        CLI_OPT_TIME,
        CLI_OPT_DRY_RUN, CLI_OPT_YES, CLI_OPT_END},
    .summary = N_("a bank records a loan under a pool"),
    .help = N_("A bank records a loan to a project under a pool; it counts in the pool once the "
            "pool's operator guarantees it."),
    .example = "loan --program pool --project robotics --amount 5,000,000 --term-months 24",
    .run = run_loan,
};

const cli_cmd cli_cmd_guarantee = {
    .name = "guarantee",
    .opts = (const cli_opt[]){OPT_POOL,
                              {"loan", "BANK:INDEX", CLI_REQUIRED, 0, N_("the bank's loan entry")},
                              CLI_OPT_TIME, CLI_OPT_DRY_RUN, CLI_OPT_YES, CLI_OPT_END},
    .summary = N_("the pool's operator guarantees a bank's loan"),
    .help = N_("The pool's operator guarantees a bank's loan; its amount is read from the loan, "
            "and R-POOL.1 checks the leverage bound here."),
    .example = "guarantee --program pool --loan bank:0",
    .run = run_guarantee,
};

const cli_cmd cli_cmd_repay = {
    .name = "repay",
    .opts = (const cli_opt[]){
        {"loan", "INDEX", CLI_REQUIRED, 0, N_("this bank's loan entry (INDEX or self:INDEX)")},
        {"amount", "AMT", CLI_REQUIRED, 0, N_("yuan repaid")},
        CLI_OPT_TIME,
        CLI_OPT_DRY_RUN, CLI_OPT_YES, CLI_OPT_END},
    .summary = N_("a bank records a repayment of its own loan"),
    .help = N_("A bank records a repayment of its own loan at INDEX of its feed."),
    .example = "repay --loan 0 --amount 1,000,000",
    .run = run_repay,
};

const cli_cmd cli_cmd_default = {
    .name = "default",
    .opts = (const cli_opt[]){
        {"loan", "INDEX", CLI_REQUIRED, 0, N_("this bank's loan entry (INDEX or self:INDEX)")},
        {"loss", "AMT", CLI_REQUIRED, 0, N_("yuan lost")},
        CLI_OPT_TIME,
        CLI_OPT_DRY_RUN, CLI_OPT_YES, CLI_OPT_END},
    .summary = N_("a bank records that its own loan defaulted"),
    .help = N_("A bank records that its own loan at INDEX defaulted, with the loss."),
    .example = "default --loan 0 --loss 2,000,000",
    .run = run_default,
};

const cli_cmd cli_cmd_release = {
    .name = "release",
    .opts = (const cli_opt[]){OPT_POOL,
                              {"repay", "BANK:INDEX", CLI_REQUIRED, 0, N_("the bank's repayment entry")},
                              CLI_OPT_TIME, CLI_OPT_DRY_RUN, CLI_OPT_YES, CLI_OPT_END},
    .summary = N_("the pool's operator releases a repayment from the outstanding"),
    .help = N_("The pool's operator releases a repayment of a guaranteed loan from the pool's "
            "loans outstanding; its amount is read from the repayment."),
    .example = "release --program pool --repay bank:1",
    .run = run_release,
};

const cli_cmd cli_cmd_compensate = {
    .name = "compensate",
    .opts = (const cli_opt[]){
        OPT_POOL,
        {"default", "BANK:INDEX", CLI_REQUIRED, 0, N_("the bank's default entry")},
        {"amount", "AMT", 0, 0, N_("state another amount than the share due (R-POOL.3 refuses it)")},
        CLI_OPT_TIME,
        CLI_OPT_DRY_RUN, CLI_OPT_YES, CLI_OPT_END},
    .summary = N_("the pool's operator pays its share of a default"),
    .help = N_("The pool's operator pays the pool's share of a default: it prints "
            "\"7/10 x loss ... = ... (rounded down to the fen)\" and appends that amount."),
    .example = "compensate --program pool --default bank:2",
    .run = run_compensate,
};

const cli_cmd cli_cmd_lease = {
    .name = "lease",
    .opts = (const cli_opt[]){
        {"program", "ID", CLI_REQUIRED | CLI_ID, 0, N_("the leasing program")},
        {"project", "P", CLI_REQUIRED | CLI_ID, 0, N_("the leasing enterprise")},
        {"equipment", "NAME", CLI_REQUIRED, 0, N_("what is leased")},
        {"price", "AMT", CLI_REQUIRED, 0, N_("the equipment's price")},
        {"down", "AMT", CLI_REQUIRED, 0, N_("the enterprise's down payment")},
        {"financing", "AMT", CLI_REQUIRED, 0, N_("the lessor's financing")},
        {"advance", "AMT", CLI_REQUIRED, 0, N_("the supplier's advance")},
        CLI_OPT_TIME,
        CLI_OPT_DRY_RUN, CLI_OPT_YES, CLI_OPT_END},
    .summary = N_("the leasing company records a lease"),
    .help = N_("The leasing company records a lease: the parts must add up to the price and lie "
            "within the program's bounds (R-LEASE.1-3)."),
    .example = "lease --program leasing --project robotics --equipment \"CNC mill\" --price 1,000,000 "
               "--down 200,000 --financing 700,000 --advance 100,000",
    .run = run_lease,
};

const cli_cmd cli_cmd_award = {
    .name = "award",
    .opts = (const cli_opt[]){
        {"program", "ID", CLI_REQUIRED | CLI_ID, 0, N_("the award program")},
        {"project", "P", CLI_REQUIRED | CLI_ID, 0, N_("the project awarded")},
        {"amount", "AMT", CLI_REQUIRED, 0, N_("one of the program's amounts")},
        {"year", "Y", CLI_REQUIRED, 0, N_("the year it is awarded for")},
        CLI_OPT_TIME,
        CLI_OPT_DRY_RUN, CLI_OPT_YES, CLI_OPT_END},
    .summary = N_("the award program's operator records a demonstration award"),
    .help = N_("The award program's operator records a demonstration award: one of the "
            "program's amounts, within its annual budget (R-AWARD.1-4)."),
    .example = "award --program award --project robotics --amount 500,000 --year 2026",
    .run = run_award,
};
