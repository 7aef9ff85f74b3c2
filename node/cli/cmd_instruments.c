/* cmd_instruments.c — the entries of the policy's other instruments
 * (docs/cli.md): deposit, withdraw, loan, guarantee, repay, default,
 * release and compensate (the loan risk compensation pool), lease and award.
 * The rules decide (node/ledger/rules_pool.c, rules_lease.c); these commands
 * fill the entries, reading what a citing entry restates (a loan's amount,
 * a repayment's, the compensation a default is due) from this home's state.
 */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "crypto/cf_error.h"
#include "ledger/amount.h"
#include "ledger/caltime.h"
#include "ledger/rules.h"

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

/* Append e (its time from --time, else now) and say where it went. */
static int append_one(cli_env *env, home *h, entry *e, const char *time_arg, const char *what)
{
    state_network net;
    diag d;
    uint64_t index;
    int rc;
    if (home_network(h, &net, &d) != CF_OK) return cli_fail(&d);
    if (time_arg && cli_parse_time(time_arg, net.tz_min, false, &e->time_ms, &d) != CF_OK)
        return cli_fail(&d);
    if ((rc = cli_append(env, h, e, 1, &index)) == CLI_OK)
        printf("%s appended as %s#%llu\n", what, h->name, (unsigned long long)index);
    return rc;
}

/* Open the home, optionally read a cited entry, append. */
static int run(cli_env *env, entry *e, const char *time_arg, const char *what,
               struct cite_job *cite)
{
    home *h;
    int rc = cli_open_home(env, 0, &h);
    if (rc) return rc;
    if (cite) {
        cite->h = h;
        if ((rc = cli_read(h, read_cited, cite)) != 0) goto out;
    }
    rc = append_one(env, h, e, time_arg, what);
out:
    home_close(h);
    return rc;
}

/* ---- the options every command here shares ------------------------------- */

enum { O_PROGRAM = 'g', O_PROJECT = 'p', O_AMOUNT = 'a', O_TIME = 't', O_TERM = 'm',
       O_LOAN = 'l', O_REPAY = 'r', O_DEFAULT = 'd', O_LOSS = 's', O_EQUIPMENT = 'e',
       O_PRICE = 'P', O_DOWN = 'D', O_FINANCING = 'F', O_ADVANCE = 'A', O_YEAR = 'y' };

static const struct option all_opts[] = {
    {"program", required_argument, NULL, O_PROGRAM}, {"project", required_argument, NULL, O_PROJECT},
    {"amount", required_argument, NULL, O_AMOUNT},   {"time", required_argument, NULL, O_TIME},
    {"term-months", required_argument, NULL, O_TERM}, {"loan", required_argument, NULL, O_LOAN},
    {"repay", required_argument, NULL, O_REPAY},     {"default", required_argument, NULL, O_DEFAULT},
    {"loss", required_argument, NULL, O_LOSS},       {"equipment", required_argument, NULL, O_EQUIPMENT},
    {"price", required_argument, NULL, O_PRICE},     {"down", required_argument, NULL, O_DOWN},
    {"financing", required_argument, NULL, O_FINANCING},
    {"advance", required_argument, NULL, O_ADVANCE}, {"year", required_argument, NULL, O_YEAR},
    {NULL, 0, NULL, 0},
};

/* Parse argv with the options whose letters are in `allowed`; the values
 * land in arg[letter]. */
static int parse(int argc, char **argv, const char *allowed, const char *usage,
                 const char *arg[128])
{
    int c;
    memset(arg, 0, 128 * sizeof arg[0]);
    optind = 0;
    while ((c = getopt_long(argc, argv, "", all_opts, NULL)) != -1) {
        if (c == '?' || c == ':' || strchr(allowed, c) == NULL) return cli_usage(usage);
        arg[c] = optarg;
    }
    return optind == argc ? CLI_OK : cli_usage(usage);
}

static int amount_arg(const char *s, const char *flag, int64_t *fen)
{
    diag d;
    if (s == NULL) return cli_failf(CF_EINVAL, "%s AMT is needed", flag);
    return cli_parse_amount(s, fen, &d) == CF_OK ? CLI_OK : cli_fail(&d);
}

/* ---- the pool ---------------------------------------------------------------- */

static int pool_funds(cli_env *env, int argc, char **argv, enum entry_type t)
{
    const char *usage = t == ENTRY_DEPOSIT ? "deposit --program POOL --amount AMT [--time TIME]"
                                           : "withdraw --program POOL --amount AMT [--time TIME]";
    const char *arg[128];
    entry e = {.type = t};
    int rc;
    if ((rc = parse(argc, argv, "gat", usage, arg)) != 0) return rc;
    if (!arg[O_PROGRAM] || !arg[O_AMOUNT]) return cli_usage(usage);
    if ((rc = check_id("--program", arg[O_PROGRAM])) != 0 ||
        (rc = amount_arg(arg[O_AMOUNT], "--amount", &e.body.deposit.amount_fen)) != 0)
        return rc;
    e.body.deposit.program = txt(arg[O_PROGRAM]);
    char what[128], a[AMOUNT_TEXT_BYTES];
    amount_format(e.body.deposit.amount_fen, a);
    snprintf(what, sizeof what, "%s of %s yuan", t == ENTRY_DEPOSIT ? "deposit" : "withdrawal", a);
    return run(env, &e, arg[O_TIME], what, NULL);
}

int cmd_deposit(cli_env *env, int argc, char **argv)
{
    return pool_funds(env, argc, argv, ENTRY_DEPOSIT);
}

int cmd_withdraw(cli_env *env, int argc, char **argv)
{
    return pool_funds(env, argc, argv, ENTRY_WITHDRAW);
}

int cmd_loan(cli_env *env, int argc, char **argv)
{
    static const char *usage =
        "loan --program POOL --project P --amount AMT --term-months N [--time TIME]";
    const char *arg[128];
    entry e = {.type = ENTRY_LOAN};
    uint64_t months;
    int rc;
    if ((rc = parse(argc, argv, "gpamt", usage, arg)) != 0) return rc;
    if (!arg[O_PROGRAM] || !arg[O_PROJECT] || !arg[O_AMOUNT] || !arg[O_TERM])
        return cli_usage(usage);
    if ((rc = check_id("--program", arg[O_PROGRAM])) != 0 ||
        (rc = check_id("--project", arg[O_PROJECT])) != 0 ||
        (rc = amount_arg(arg[O_AMOUNT], "--amount", &e.body.loan.amount_fen)) != 0)
        return rc;
    if (cli_parse_u64(arg[O_TERM], &months) != CF_OK || months == 0 || months > TERM_MONTHS_MAX)
        return cli_failf(CF_EINVAL, "--term-months: 1 to %d", TERM_MONTHS_MAX);
    e.body.loan.program = txt(arg[O_PROGRAM]);
    e.body.loan.project = txt(arg[O_PROJECT]);
    e.body.loan.term_months = (uint32_t)months;
    char what[160], a[AMOUNT_TEXT_BYTES];
    amount_format(e.body.loan.amount_fen, a);
    snprintf(what, sizeof what, "loan of %s yuan to %s", a, arg[O_PROJECT]);
    return run(env, &e, arg[O_TIME], what, NULL);
}

int cmd_guarantee(cli_env *env, int argc, char **argv)
{
    static const char *usage = "guarantee --program POOL --loan BANK:INDEX [--time TIME]";
    const char *arg[128];
    entry e = {.type = ENTRY_GUARANTEE};
    int rc;
    if ((rc = parse(argc, argv, "glt", usage, arg)) != 0) return rc;
    if (!arg[O_PROGRAM] || !arg[O_LOAN]) return cli_usage(usage);
    if ((rc = check_id("--program", arg[O_PROGRAM])) != 0) return rc;
    struct cite_job j = {.arg = arg[O_LOAN], .type = ENTRY_LOAN, .ref = &e.body.guarantee.loan};
    e.body.guarantee.program = txt(arg[O_PROGRAM]);
    home *h;
    if ((rc = cli_open_home(env, 0, &h)) != 0) return rc;
    j.h = h;
    if ((rc = cli_read(h, read_cited, &j)) == 0) {
        char a[AMOUNT_TEXT_BYTES], what[160];
        e.body.guarantee.amount_fen = j.rec.amount_fen; /* the loan's amount */
        amount_format(j.rec.amount_fen, a);
        snprintf(what, sizeof what, "guarantee of loan %s (%s)", arg[O_LOAN], a);
        rc = append_one(env, h, &e, arg[O_TIME], what);
    }
    home_close(h);
    return rc;
}

/* repay / default: a bank's own loan, by its index. */
static int on_own_loan(cli_env *env, int argc, char **argv, enum entry_type t)
{
    const char *usage = t == ENTRY_REPAY ? "repay --loan INDEX --amount AMT [--time TIME]"
                                         : "default --loan INDEX --loss AMT [--time TIME]";
    const char *arg[128];
    entry e = {.type = t};
    entry_ref *ref = t == ENTRY_REPAY ? &e.body.repay.loan : &e.body.loan_default.loan;
    int64_t *fen = t == ENTRY_REPAY ? &e.body.repay.amount_fen : &e.body.loan_default.loss_fen;
    int rc;
    if ((rc = parse(argc, argv, t == ENTRY_REPAY ? "lat" : "lst", usage, arg)) != 0) return rc;
    const char *amt = t == ENTRY_REPAY ? arg[O_AMOUNT] : arg[O_LOSS];
    if (!arg[O_LOAN] || !amt) return cli_usage(usage);
    if ((rc = amount_arg(amt, t == ENTRY_REPAY ? "--amount" : "--loss", fen)) != 0) return rc;
    struct cite_job j = {.arg = arg[O_LOAN], .own = true, .type = ENTRY_LOAN, .ref = ref};
    char what[160], a[AMOUNT_TEXT_BYTES];
    amount_format(*fen, a);
    if (t == ENTRY_REPAY)
        snprintf(what, sizeof what, "repayment of %s yuan on loan %s", a, arg[O_LOAN]);
    else
        snprintf(what, sizeof what, "default of loan %s, loss %s yuan", arg[O_LOAN], a);
    return run(env, &e, arg[O_TIME], what, &j);
}

int cmd_repay(cli_env *env, int argc, char **argv)
{
    return on_own_loan(env, argc, argv, ENTRY_REPAY);
}

int cmd_default(cli_env *env, int argc, char **argv)
{
    return on_own_loan(env, argc, argv, ENTRY_DEFAULT);
}

int cmd_release(cli_env *env, int argc, char **argv)
{
    static const char *usage = "release --program POOL --repay BANK:INDEX [--time TIME]";
    const char *arg[128];
    entry e = {.type = ENTRY_RELEASE};
    int rc;
    if ((rc = parse(argc, argv, "grt", usage, arg)) != 0) return rc;
    if (!arg[O_PROGRAM] || !arg[O_REPAY]) return cli_usage(usage);
    if ((rc = check_id("--program", arg[O_PROGRAM])) != 0) return rc;
    struct cite_job j = {.arg = arg[O_REPAY], .type = ENTRY_REPAY, .ref = &e.body.release.repay};
    e.body.release.program = txt(arg[O_PROGRAM]);
    home *h;
    if ((rc = cli_open_home(env, 0, &h)) != 0) return rc;
    j.h = h;
    if ((rc = cli_read(h, read_cited, &j)) == 0) {
        char a[AMOUNT_TEXT_BYTES], what[160];
        e.body.release.amount_fen = j.rec.amount_fen; /* the repayment's amount */
        amount_format(j.rec.amount_fen, a);
        snprintf(what, sizeof what, "release of repayment %s (%s)", arg[O_REPAY], a);
        rc = append_one(env, h, &e, arg[O_TIME], what);
    }
    home_close(h);
    return rc;
}

/* The compensation a default is due (ledger_compensation_due: the pool's
 * share of the loss up to its balance, R-POOL.3; 0 for a loan guaranteed
 * after its default, R-POOL.9); --amount states another (the rules then
 * refuse it). A due of 0.00 is appended too: it settles the default. */
int cmd_compensate(cli_env *env, int argc, char **argv)
{
    static const char *usage =
        "compensate --program POOL --default BANK:INDEX [--amount AMT] [--time TIME]";
    const char *arg[128];
    entry e = {.type = ENTRY_COMPENSATION};
    int rc;
    if ((rc = parse(argc, argv, "gdat", usage, arg)) != 0) return rc;
    if (!arg[O_PROGRAM] || !arg[O_DEFAULT]) return cli_usage(usage);
    if ((rc = check_id("--program", arg[O_PROGRAM])) != 0) return rc;
    struct cite_job j = {.arg = arg[O_DEFAULT], .type = ENTRY_DEFAULT,
                         .ref = &e.body.compensation.default_ref, .program = arg[O_PROGRAM]};
    e.body.compensation.program = txt(arg[O_PROGRAM]);
    home *h;
    if ((rc = cli_open_home(env, 0, &h)) != 0) return rc;
    j.h = h;
    if ((rc = cli_read(h, read_cited, &j)) == 0) {
        char due[AMOUNT_TEXT_BYTES], what[200];
        amount_format(j.due, due);
        printf("compensation due: %s: %s\n", due, j.why.text);
        fflush(stdout);
        e.body.compensation.amount_fen = j.due;
        if (arg[O_AMOUNT] &&
            (rc = amount_arg(arg[O_AMOUNT], "--amount", &e.body.compensation.amount_fen)) != 0)
            goto out;
        amount_format(e.body.compensation.amount_fen, due);
        snprintf(what, sizeof what, "compensation of %s for default %s", due, arg[O_DEFAULT]);
        rc = append_one(env, h, &e, arg[O_TIME], what);
    }
out:
    home_close(h);
    return rc;
}

/* ---- leasing and awards ------------------------------------------------------ */

int cmd_lease(cli_env *env, int argc, char **argv)
{
    static const char *usage =
        "lease --program ID --project P --equipment NAME --price AMT --down AMT\n"
        "       --financing AMT --advance AMT [--time TIME]";
    const char *arg[128];
    entry e = {.type = ENTRY_LEASE};
    body_lease *b = &e.body.lease;
    int rc;
    if ((rc = parse(argc, argv, "gpePDFAt", usage, arg)) != 0) return rc;
    if (!arg[O_PROGRAM] || !arg[O_PROJECT] || !arg[O_EQUIPMENT] || !arg[O_PRICE] ||
        !arg[O_DOWN] || !arg[O_FINANCING] || !arg[O_ADVANCE])
        return cli_usage(usage);
    if ((rc = check_id("--program", arg[O_PROGRAM])) != 0 ||
        (rc = check_id("--project", arg[O_PROJECT])) != 0 ||
        (rc = amount_arg(arg[O_PRICE], "--price", &b->price_fen)) != 0)
        return rc;
    /* A part may be 0 here: R-LEASE.1 refuses it with its rule ID. */
    const struct {
        const char *s, *flag;
        int64_t *fen;
    } parts[3] = {{arg[O_DOWN], "--down", &b->down_fen},
                  {arg[O_FINANCING], "--financing", &b->financing_fen},
                  {arg[O_ADVANCE], "--advance", &b->advance_fen}};
    for (int i = 0; i < 3; i++)
        if (!(strcmp(parts[i].s, "0") == 0 || strcmp(parts[i].s, "0.00") == 0) &&
            (rc = amount_arg(parts[i].s, parts[i].flag, parts[i].fen)) != 0)
            return rc;
    if (!entry_name_valid(arg[O_EQUIPMENT], strlen(arg[O_EQUIPMENT])))
        return cli_failf(CF_EINVAL, "--equipment: 1-128 bytes without control characters");
    b->program = txt(arg[O_PROGRAM]);
    b->project = txt(arg[O_PROJECT]);
    b->equipment = txt(arg[O_EQUIPMENT]);
    char what[200], a[AMOUNT_TEXT_BYTES];
    amount_format(b->price_fen, a);
    snprintf(what, sizeof what, "lease of %s yuan to %s", a, arg[O_PROJECT]);
    return run(env, &e, arg[O_TIME], what, NULL);
}

int cmd_award(cli_env *env, int argc, char **argv)
{
    static const char *usage =
        "award --program ID --project P --amount AMT --year Y [--time TIME]";
    const char *arg[128];
    entry e = {.type = ENTRY_AWARD};
    uint64_t year;
    int rc;
    if ((rc = parse(argc, argv, "gpayt", usage, arg)) != 0) return rc;
    if (!arg[O_PROGRAM] || !arg[O_PROJECT] || !arg[O_AMOUNT] || !arg[O_YEAR])
        return cli_usage(usage);
    if ((rc = check_id("--program", arg[O_PROGRAM])) != 0 ||
        (rc = check_id("--project", arg[O_PROJECT])) != 0 ||
        (rc = amount_arg(arg[O_AMOUNT], "--amount", &e.body.award.amount_fen)) != 0)
        return rc;
    if (cli_parse_u64(arg[O_YEAR], &year) != CF_OK || year < AWARD_YEAR_MIN ||
        year > AWARD_YEAR_MAX)
        return cli_failf(CF_EINVAL, "--year: %d to %d", AWARD_YEAR_MIN, AWARD_YEAR_MAX);
    e.body.award.program = txt(arg[O_PROGRAM]);
    e.body.award.project = txt(arg[O_PROJECT]);
    e.body.award.year = (uint32_t)year;
    char what[160], a[AMOUNT_TEXT_BYTES];
    amount_format(e.body.award.amount_fen, a);
    snprintf(what, sizeof what, "award of %s yuan to %s for %s", a, arg[O_PROJECT], arg[O_YEAR]);
    return run(env, &e, arg[O_TIME], what, NULL);
}
