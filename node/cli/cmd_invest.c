/* cmd_invest.c — program add (every kind), project add, contribute, match,
 * exit. The other instruments' entries are cmd_instruments.c. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "crypto/cf_error.h"
#include "crypto/cf_util.h"
#include "ledger/amount.h"
#include "ledger/caltime.h"
#include "ledger/query.h"
#include "ledger/rules.h"
#include "table.h"

#define YUAN(x) ((int64_t)(x) * 100)
#define MS_PER_DAY UINT64_C(86400000)

/* Run fn over a read transaction of an open home. */
static int with_kv(home *h, cli_read_fn fn, void *arg)
{
    return cli_read(h, fn, arg);
}

static int network_tz(home *h, int32_t *tz)
{
    state_network net;
    diag d;
    if (home_network(h, &net, &d) != CF_OK) return cli_fail(&d);
    *tz = net.tz_min;
    return CLI_OK;
}

/* ---- program add ----------------------------------------------------------- */

struct program_args {
    home *h;
    const char *operator_arg;
    body_program *b;
    enum member_role role; /* the role the kind's operator has */
};

static int only_role(void *arg, const state_member *m)
{
    struct program_args *a = ((struct program_args **)arg)[0];
    int *count = ((int **)arg)[1];
    if (m->role == a->role) {
        (*count)++;
        memcpy(a->b->operator_key, m->key, 32);
    }
    return CF_OK;
}

static int resolve_operator(store_txn *txn, const ledger_kv *kv, void *arg)
{
    struct program_args *a = arg;
    diag d;
    (void)txn;
    if (a->operator_arg) {
        if (cli_resolve_member(kv, a->h, a->operator_arg, a->b->operator_key, &d) != CF_OK)
            return cli_fail(&d);
        return CLI_OK;
    }
    int count = 0;
    void *ctx[2] = {a, &count};
    int err = state_members_each(kv, only_role, ctx);
    if (err) return cli_failf(err, "reading members: %s", cf_strerror(err));
    if (count != 1)
        return cli_failf(CF_EINVAL, "--operator MEMBER is needed (the network has %d %s members)",
                         count, role_name(a->role));
    return CLI_OK;
}

int cli_parse_ratio(const char *s, uint32_t *num, uint32_t *den)
{
    char *colon = strchr(s, ':');
    uint64_t n, dn;
    if (colon == NULL) return CF_EINVAL;
    char left[32];
    if ((size_t)(colon - s) >= sizeof left) return CF_EINVAL;
    memcpy(left, s, (size_t)(colon - s));
    left[colon - s] = '\0';
    if (cli_parse_u64(left, &n) != CF_OK || cli_parse_u64(colon + 1, &dn) != CF_OK || n == 0 ||
        dn == 0 || n > RATIO_TERM_MAX || dn > RATIO_TERM_MAX)
        return CF_EINVAL;
    *num = (uint32_t)n;
    *den = (uint32_t)dn;
    return CF_OK;
}

/* MIN:MAX in percent, "10:40" or "10%:40%". */
int cli_parse_pct_range(const char *s, pct_range *out)
{
    char buf[32];
    uint64_t lo, hi;
    snprintf(buf, sizeof buf, "%s", s);
    char *colon = strchr(buf, ':');
    if (colon == NULL) return CF_EINVAL;
    *colon = '\0';
    char *right = colon + 1;
    size_t nl = strlen(buf), nr = strlen(right);
    if (nl && buf[nl - 1] == '%') buf[nl - 1] = '\0';
    if (nr && right[nr - 1] == '%') right[nr - 1] = '\0';
    if (cli_parse_u64(buf, &lo) != CF_OK || cli_parse_u64(right, &hi) != CF_OK || lo > hi ||
        hi > PERCENT_MAX)
        return CF_EINVAL;
    *out = (pct_range){(uint32_t)lo, (uint32_t)hi};
    return CF_OK;
}

static int parse_roles(const char *s, uint32_t *set)
{
    char buf[64];
    snprintf(buf, sizeof buf, "%s", s);
    *set = 0;
    for (char *save = NULL, *tok = strtok_r(buf, ",", &save); tok; tok = strtok_r(NULL, ",", &save)) {
        enum member_role r = role_from_name(tok, strlen(tok));
        if (r != ROLE_INVESTOR && r != ROLE_TEAM) return CF_EINVAL;
        *set |= ROLE_BIT(r);
    }
    return *set ? CF_OK : CF_EINVAL;
}

/* --project-cap / --annual-budget / --size: an amount, or "none". */
static int parse_limit(const char *s, bool *has, int64_t *fen, diag *d)
{
    if (strcmp(s, "none") == 0) {
        *has = false;
        return CF_OK;
    }
    *has = true;
    return cli_parse_amount(s, fen, d);
}

/* The options of `program add` that apply to some kinds only. */
#define K(k) (1u << (k))
static const struct {
    const char *name;
    unsigned kinds; /* bits by program_kind */
} kind_flags[] = {
    {"counterpart", K(PROGRAM_MATCH)},   {"ratio", K(PROGRAM_MATCH)},
    {"window-days", K(PROGRAM_MATCH)},   {"project-cap", K(PROGRAM_MATCH)},
    {"start", K(PROGRAM_MATCH)},
    {"annual-budget", K(PROGRAM_MATCH) | K(PROGRAM_AWARD) | K(PROGRAM_SUBSIDY)},
    {"leverage", K(PROGRAM_POOL)},       {"share", K(PROGRAM_POOL) | K(PROGRAM_SUBSIDY)},
    {"size", K(PROGRAM_POOL)},           {"down", K(PROGRAM_LEASING)},
    {"financing", K(PROGRAM_LEASING)},   {"advance", K(PROGRAM_LEASING)},
    {"level", K(PROGRAM_AWARD)},         {"requires", K(PROGRAM_AWARD)},
    {"basis", K(PROGRAM_SUBSIDY)},       {"unit-cap", K(PROGRAM_SUBSIDY)},
    {"recipient-cap", K(PROGRAM_SUBSIDY)},
};
#undef K

/* Presets from the policy (docs/rules.md); flags override them. */
static int apply_preset(const char *preset, enum program_kind *kind, body_program *b)
{
    if (strcmp(preset, "industrial") == 0) {
        *kind = PROGRAM_MATCH;
        b->counterpart_roles = ROLE_BIT(ROLE_INVESTOR);
    } else if (strcmp(preset, "incubation") == 0) {
        *kind = PROGRAM_MATCH;
        b->counterpart_roles = ROLE_BIT(ROLE_TEAM);
        b->has_cap = true;
        b->cap_fen = YUAN(300000);
        b->has_budget = true;
        b->budget_fen = YUAN(6000000);
    } else if (strcmp(preset, "pool") == 0) {
        *kind = PROGRAM_POOL;
        b->leverage = 10;
        b->share_num = 7;
        b->share_den = 10;
        b->has_size = true;
        b->size_fen = YUAN(100000000);
    } else if (strcmp(preset, "award") == 0) {
        *kind = PROGRAM_AWARD;
        b->nlevels = 2;
        b->levels_fen[0] = YUAN(100000);
        b->levels_fen[1] = YUAN(500000);
    } else if (strcmp(preset, "first-set") == 0 || strcmp(preset, "local") == 0) {
        /* The policy names the subsidies but no figures: these are the
         * assumptions docs/rules.md states (R-SUBSIDY, "Presets"). */
        bool first = preset[0] == 'f';
        *kind = PROGRAM_SUBSIDY;
        b->basis = first ? CERT_FIRST_SET : CERT_LOCAL;
        b->share_num = first ? 3 : 1;
        b->share_den = 10;
        b->has_cap = first;
        b->cap_fen = first ? YUAN(5000000) : 0;
        b->has_recipient_cap = true;
        b->recipient_cap_fen = first ? YUAN(10000000) : YUAN(2000000);
    } else {
        return cli_failf(CF_EINVAL,
                         "--preset: industrial, incubation, pool, award, first-set or local");
    }
    return CLI_OK;
}

static int apply_flags(const cli_args *a, body_program *b, diag *d)
{
    const char *v, *levels[AWARD_LEVELS_MAX];
    uint64_t u;
    if ((v = cli_get(a, "counterpart")) && parse_roles(v, &b->counterpart_roles) != CF_OK)
        return cli_failf(CF_EINVAL, "--counterpart: investor, team, or investor,team");
    if ((v = cli_get(a, "ratio")) && cli_parse_ratio(v, &b->ratio_num, &b->ratio_den) != CF_OK)
        return cli_failf(CF_EINVAL, "--ratio: N:D with whole numbers 1 to %d (fund : counterpart)",
                         RATIO_TERM_MAX);
    if ((v = cli_get(a, "window-days"))) {
        if (cli_parse_u64(v, &u) != CF_OK || u > WINDOW_DAYS_MAX)
            return cli_failf(CF_EINVAL, "--window-days: 0 to %d", WINDOW_DAYS_MAX);
        b->window_days = (uint32_t)u;
    }
    if (((v = cli_get(a, "project-cap")) && parse_limit(v, &b->has_cap, &b->cap_fen, d) != CF_OK) ||
        ((v = cli_get(a, "annual-budget")) &&
         parse_limit(v, &b->has_budget, &b->budget_fen, d) != CF_OK) ||
        ((v = cli_get(a, "size")) && parse_limit(v, &b->has_size, &b->size_fen, d) != CF_OK))
        return cli_fail(d);
    if ((v = cli_get(a, "leverage"))) {
        if (cli_parse_u64(v, &u) != CF_OK || u == 0 || u > LEVERAGE_MAX)
            return cli_failf(CF_EINVAL, "--leverage: a whole multiple, 1 to %d", LEVERAGE_MAX);
        b->leverage = (uint32_t)u;
    }
    if ((v = cli_get(a, "share")) && (cli_parse_ratio(v, &b->share_num, &b->share_den) != CF_OK ||
                                      b->share_num > b->share_den))
        return cli_failf(CF_EINVAL,
                         "--share: N:D, a pool's share of a loss (7:10) or a subsidy's of the "
                         "price (3:10), N <= D <= %d",
                         RATIO_TERM_MAX);
    if (((v = cli_get(a, "unit-cap")) && parse_limit(v, &b->has_cap, &b->cap_fen, d) != CF_OK) ||
        ((v = cli_get(a, "recipient-cap")) &&
         parse_limit(v, &b->has_recipient_cap, &b->recipient_cap_fen, d) != CF_OK))
        return cli_fail(d);
    if ((v = cli_get(a, "basis"))) {
        b->basis = cert_kind_from_name(v, strlen(v));
        if (b->basis != CERT_FIRST_SET && b->basis != CERT_LOCAL)
            return cli_failf(CF_EINVAL, "--basis: first-set or local");
    }
    if ((v = cli_get(a, "requires"))) {
        if (strcmp(v, "none") == 0) {
            b->has_requires = false;
        } else if (strcmp(v, "demonstration") == 0) {
            b->has_requires = true;
            b->requires = CERT_DEMONSTRATION;
        } else {
            return cli_failf(CF_EINVAL, "--requires: demonstration or none");
        }
    }
    const struct {
        const char *flag;
        bool *has;
        pct_range *r;
    } parts[3] = {{"down", &b->has_down, &b->down},
                  {"financing", &b->has_financing, &b->financing},
                  {"advance", &b->has_advance, &b->advance}};
    for (int i = 0; i < 3; i++) {
        if (!(v = cli_get(a, parts[i].flag))) continue;
        if (cli_parse_pct_range(v, parts[i].r) != CF_OK)
            return cli_failf(CF_EINVAL, "--%s: MIN:MAX percent of the price, 0 <= MIN <= MAX <= 100",
                             parts[i].flag);
        *parts[i].has = true;
    }
    size_t nlevels = cli_get_all(a, "level", levels, AWARD_LEVELS_MAX);
    if (nlevels) {
        b->nlevels = nlevels;
        for (size_t i = 0; i < nlevels; i++) {
            if (cli_parse_amount(levels[i], &b->levels_fen[i], d) != CF_OK) return cli_fail(d);
            if (i > 0 && b->levels_fen[i] <= b->levels_fen[i - 1])
                return cli_failf(CF_EINVAL, "--level: give each amount once, smallest first");
        }
    }
    return CLI_OK;
}

/* An optional limit in a sentence: the amount, or "none". */
static const char *limit_text(bool has, int64_t fen, char out[CLI_MONEY_BYTES])
{
    if (has) return cli_money(fen, out);
    snprintf(out, CLI_MONEY_BYTES, "%s", _("none"));
    return out;
}

static void program_summary(const char *id, uint64_t index, enum program_kind kind,
                            const body_program *b)
{
    char x[CLI_MONEY_BYTES], y[CLI_MONEY_BYTES];
    printf(_("program %s (%s) added at governance entry %llu: "), id, program_kind_name(kind),
           (unsigned long long)index);
    switch (kind) {
    case PROGRAM_POOL:
        printf(_("leverage %u, pool share %u:%u of each loss, size %s\n"), b->leverage,
               b->share_num, b->share_den, limit_text(b->has_size, b->size_fen, x));
        break;
    case PROGRAM_LEASING:
        printf(_("down payment %u-%u%%, financing %u-%u%%, advance %u-%u%% of the price\n"),
               b->has_down ? b->down.min_pct : 0, b->has_down ? b->down.max_pct : 100,
               b->has_financing ? b->financing.min_pct : 0,
               b->has_financing ? b->financing.max_pct : 100,
               b->has_advance ? b->advance.min_pct : 0, b->has_advance ? b->advance.max_pct : 100);
        break;
    case PROGRAM_AWARD:
        fputs(_("amounts"), stdout);
        for (size_t i = 0; i < b->nlevels; i++)
            printf("%s %s", i ? "," : "", cli_money(b->levels_fen[i], x));
        printf(_("; budget %s per year"), limit_text(b->has_budget, b->budget_fen, y));
        if (b->has_requires) fputs(_("; requires a demonstration certification"), stdout);
        putchar('\n');
        break;
    case PROGRAM_SUBSIDY: {
        char z[CLI_MONEY_BYTES];
        printf(_("basis %s; share %u:%u of the price, cap %s per unit, %s per recipient per "
                 "year, budget %s per year\n"),
               cert_kind_name(b->basis), b->share_num, b->share_den,
               limit_text(b->has_cap, b->cap_fen, x),
               limit_text(b->has_recipient_cap, b->recipient_cap_fen, z),
               limit_text(b->has_budget, b->budget_fen, y));
        break;
    }
    default:
        printf(_("ratio %u:%u, window %u days, cap %s per project, budget %s per year\n"),
               b->ratio_num, b->ratio_den, b->window_days, limit_text(b->has_cap, b->cap_fen, x),
               limit_text(b->has_budget, b->budget_fen, y));
    }
}

static int run_program_add(cli_env *env, const cli_args *a)
{
    entry e = {.type = ENTRY_PROGRAM};
    body_program *b = &e.body.program;
    const char *id = a->pos[0], *preset = cli_get(a, "preset"), *kind_arg = cli_get(a, "kind");
    enum program_kind kind = PROGRAM_MATCH, preset_kind = 0;
    b->id = entry_text_of(id, strlen(id));
    b->ratio_num = b->ratio_den = 1;
    b->window_days = 90;
    int rc;
    if (preset && (rc = apply_preset(preset, &preset_kind, b)) != 0) return rc;
    if (kind_arg) {
        kind = program_kind_from_name(kind_arg, strlen(kind_arg));
        if (kind == 0)
            return cli_failf(CF_EINVAL, "--kind: match, pool, leasing, award or subsidy");
        if (preset_kind && preset_kind != kind)
            return cli_failf(CF_EINVAL, "--preset %s is a %s program, not %s", preset,
                             program_kind_name(preset_kind), kind_arg);
    } else if (preset_kind) {
        kind = preset_kind;
    }
    for (size_t k = 0; k < sizeof kind_flags / sizeof kind_flags[0]; k++)
        if (cli_get(a, kind_flags[k].name) && !(kind_flags[k].kinds & (1u << kind)))
            return cli_failf(CF_EINVAL, "--%s does not apply to a %s program", kind_flags[k].name,
                             program_kind_name(kind));
    b->kind = entry_text_of(program_kind_name(kind), strlen(program_kind_name(kind)));
    diag d;
    if ((rc = apply_flags(a, b, &d)) != 0) return rc;
    if (kind == PROGRAM_MATCH && b->counterpart_roles == 0)
        return cli_failf(CF_EINVAL, "--counterpart ROLE is needed without a --preset");
    if (kind == PROGRAM_POOL && (b->leverage == 0 || b->share_den == 0))
        return cli_failf(CF_EINVAL, "a pool needs --leverage N and --share N:D (or --preset pool)");
    if (kind == PROGRAM_AWARD && b->nlevels == 0)
        return cli_failf(CF_EINVAL, "an award program needs --level AMT (or --preset award)");
    if (kind == PROGRAM_SUBSIDY && (b->basis == 0 || b->share_den == 0))
        return cli_failf(CF_EINVAL, "a subsidy program needs --basis and --share N:D (or "
                                    "--preset first-set or local)");

    home *h;
    int32_t tz = 0;
    if ((rc = cli_open_home(env, 0, &h)) != 0) return rc;
    if ((rc = network_tz(h, &tz)) != 0) goto out;
    if (kind == PROGRAM_MATCH) {
        b->start_ms = cli_now_ms();
        const char *start = cli_get(a, "start");
        if (start && cli_parse_time(start, tz, false, &b->start_ms, &d) != CF_OK) {
            rc = cli_fail(&d);
            goto out;
        }
    }
    struct program_args pa = {h, cli_get(a, "operator"), b,
                              kind == PROGRAM_LEASING ? ROLE_LESSOR : ROLE_FUND};
    if ((rc = with_kv(h, resolve_operator, &pa)) != 0) goto out;
    uint64_t index;
    if ((rc = cli_append(env, h, &e, 1, &index)) == CLI_OK) program_summary(id, index, kind, b);
out:
    cli_close_home(h);
    return rc;
}

static int run_project_add(cli_env *env, const cli_args *a)
{
    entry e = {.type = ENTRY_PROJECT};
    const char *id = a->pos[0], *name = cli_get(a, "name"), *kind = cli_get(a, "kind");
    e.body.project.id = entry_text_of(id, strlen(id));
    e.body.project.name = entry_text_of(name, strlen(name));
    if (kind) {
        e.body.project.has_kind = true;
        e.body.project.kind = entry_text_of(kind, strlen(kind));
    }
    home *h;
    int rc = cli_open_home(env, 0, &h);
    if (rc) return rc;
    uint64_t index;
    if ((rc = cli_append(env, h, &e, 1, &index)) == CLI_OK)
        printf(_("project %s added at governance entry %llu\n"), id,
               (unsigned long long)index);
    cli_close_home(h);
    return rc;
}

/* ---- contribute and exit -------------------------------------------------- */

static int run_contribute(cli_env *env, const cli_args *a)
{
    entry e = {.type = ENTRY_CONTRIBUTION};
    body_contribution *b = &e.body.contribution;
    const char *project = cli_get(a, "project"), *round = cli_get(a, "round"),
               *amount = cli_get(a, "amount"), *program = cli_get(a, "program");
    diag d;
    if (cli_parse_amount(amount, &b->amount_fen, &d) != CF_OK) return cli_fail(&d);
    b->project = entry_text_of(project, strlen(project));
    b->round = entry_text_of(round, strlen(round));
    if (program) {
        b->has_program = true;
        b->program = entry_text_of(program, strlen(program));
    }
    char what[160], amt[CLI_AMOUNT_BYTES];
    cli_amount_text(b->amount_fen, amt);
    snprintf(what, sizeof what, _("contribution of %s %s"), amt, cli_unit_name());
    return cli_append_timed(env, NULL, &e, cli_get(a, "time"), what);
}

static int run_exit(cli_env *env, const cli_args *a)
{
    entry e = {.type = ENTRY_EXIT};
    const char *project = cli_get(a, "project"), *amount = cli_get(a, "amount");
    diag d;
    if (cli_parse_amount(amount, &e.body.exit.amount_fen, &d) != CF_OK) return cli_fail(&d);
    e.body.exit.project = entry_text_of(project, strlen(project));
    const char *proceeds = cli_get(a, "proceeds");
    if (proceeds) {
        e.body.exit.has_proceeds = true;
        if (cli_parse_amount0(proceeds, &e.body.exit.proceeds_fen, &d) != CF_OK)
            return cli_fail(&d);
    }
    char what[160], amt[CLI_AMOUNT_BYTES];
    cli_amount_text(e.body.exit.amount_fen, amt);
    snprintf(what, sizeof what, _("exit of %s %s"), amt, cli_unit_name());
    return cli_append_timed(env, NULL, &e, cli_get(a, "time"), what);
}

/* ---- match ----------------------------------------------------------------- */

#define CITE_ARGS_MAX ENTRY_CITES_MAX

struct match_plan {
    home *h;
    body_match *b;
    const char *cite_args[CITE_ARGS_MAX];
    size_t ncite_args;
    int64_t auto_fen;   /* 0 unless --auto */
    int64_t amount_fen; /* 0 unless --amount: else the sum of the citations */
    uint64_t time_ms;
    int32_t tz;
    char program[STATE_ID_CAP], project[STATE_ID_CAP], round[STATE_ID_CAP];
    state_program pg;
    char text[ENTRY_CITES_MAX * 96 + 512]; /* the plan, printed once judged */
};

/* The plan as text: each citation, the total, and for --auto the limits it
 * kept within. */
static void plan_text(struct match_plan *p, const ledger_kv *kv, const query_match_plan *q)
{
    size_t n = 0, cap = sizeof p->text;
    char a[CLI_MONEY_BYTES];
#define OUT(...) (n += (size_t)snprintf(p->text + n, n < cap ? cap - n : 0, __VA_ARGS__))
    OUT(_("match plan for program %s in %s round %s:\n"), p->program, p->project, p->round);
    for (size_t i = 0; i < p->b->ncites; i++) {
        char who[ENTRY_ID_BYTES_MAX + 1];
        ledger_member_label(kv, p->b->cites[i].author, who, sizeof who);
        OUT(_("  cite %s#%llu  allocate %s\n"), who, (unsigned long long)p->b->cites[i].index,
            cli_money(p->b->cites[i].amount_fen, a));
    }
    OUT(_("  total %s\n"), cli_money(p->b->amount_fen, a));
    if (q && q->has_cap)
        OUT(_("  cap left in %s %s (R-CAP)\n"), p->project, cli_money(q->cap_left_fen, a));
    if (q && q->has_budget)
        OUT(_("  budget left for %d %s (R-BUDGET)\n"), q->year, cli_money(q->budget_left_fen, a));
    if (q) {
        OUT(_("  eligible contributions allow %s (R-MATCH.3, R-MATCH.4, R-MATCH.6)\n"),
            cli_money(q->eligible_fen, a));
        if (q->bound == QUERY_BOUND_ASKED)
            OUT("%s", _("  bound by the amount asked\n"));
        else
            OUT(_("  bound by %s: %s\n"), query_bound_rule(q->bound),
                _(query_bound_text(q->bound)));
    }
#undef OUT
    if (n >= cap) strcpy(p->text + cap - 5, "...\n");
}

static int plan_match(store_txn *txn, const ledger_kv *kv, void *arg)
{
    struct match_plan *p = arg;
    query_match_plan q;
    diag d;
    int err = state_program_get(kv, p->program, strlen(p->program), &p->pg);
    if (err == CF_ENOTFOUND) return cli_failf(err, "program %s is not registered", p->program);
    /* plan under the terms in force at the match's time (R-AMEND) */
    if (err == CF_OK) err = state_terms_in_force(kv, &p->pg, p->time_ms, UINT64_MAX, NULL, NULL);
    if (err) return cli_failf(err, "reading programs: %s", cf_strerror(err));
    if (p->auto_fen) {
        /* --auto: the oldest eligible contributions first, within every
         * limit the rules check; short of the amount asked, the plan is
         * refused (on stderr) naming the limit that bound it. */
        if (p->pg.pkind != PROGRAM_MATCH)
            return cli_failf(CF_EREJECTED, "program %s is a %s program, not a matching program",
                             p->pg.id, p->pg.kind);
        err = query_match_auto(kv, &p->pg, p->project, p->round, p->time_ms, p->tz, p->auto_fen,
                               &q);
        if (err) return cli_failf(err, "reading contributions: %s", cf_strerror(err));
        p->b->ncites = q.ncites;
        memcpy(p->b->cites, q.cites, q.ncites * sizeof q.cites[0]);
        p->b->amount_fen = q.total_fen;
        plan_text(p, kv, &q);
        if (q.total_fen < p->auto_fen) {
            char want[CLI_MONEY_BYTES], got[CLI_MONEY_BYTES];
            cli_money(p->auto_fen, want);
            cli_money(q.total_fen, got);
            fputs(p->text, stderr);
            return cli_failf(CF_EREJECTED,
                             "--auto %s: at most %s can be matched now in %s round %s, bound by "
                             "%s (%s)",
                             want, got, p->project, p->round, query_bound_rule(q.bound),
                             _(query_bound_text(q.bound)));
        }
        return CLI_OK;
    }
    for (size_t i = 0; i < p->ncite_args; i++) {
        /* MEMBER:INDEX=AMT */
        char buf[256];
        snprintf(buf, sizeof buf, "%s", p->cite_args[i]);
        char *eq = strrchr(buf, '=');
        entry_cite *c = &p->b->cites[p->b->ncites];
        if (eq == NULL) return cli_failf(CF_EINVAL, "--cite %s: expected MEMBER:INDEX=AMOUNT", buf);
        *eq = '\0';
        if (cli_parse_feed_index(kv, p->h, buf, c->author, &c->index, &d) != CF_OK ||
            cli_parse_amount(eq + 1, &c->amount_fen, &d) != CF_OK)
            return cli_fail(&d);
        err = store_leaf_get(txn, c->author, c->index, c->leaf);
        if (err == CF_ENOTFOUND)
            return cli_failf(err, "--cite %s: that entry is not held here (import or sync it first)",
                             p->cite_args[i]);
        if (err) return cli_failf(err, "reading %s: %s", buf, cf_strerror(err));
        p->b->ncites++;
    }
    /* The entry states its amount; R-MATCH.4 checks it is the sum. */
    p->b->amount_fen = p->amount_fen;
    if (p->amount_fen == 0)
        for (size_t i = 0; i < p->b->ncites; i++) p->b->amount_fen += p->b->cites[i].amount_fen;
    plan_text(p, kv, NULL);
    return CLI_OK;
}

static int run_match(cli_env *env, const cli_args *a)
{
    entry e = {.type = ENTRY_MATCH};
    struct match_plan p = {.b = &e.body.match};
    const char *program = cli_get(a, "program"), *project = cli_get(a, "project"),
               *round = cli_get(a, "round"), *auto_arg = cli_get(a, "auto"),
               *t = cli_get(a, "time"), *amount_arg = cli_get(a, "amount");
    p.ncite_args = cli_get_all(a, "cite", p.cite_args, CITE_ARGS_MAX);
    /* With neither --cite nor --auto, --amount alone asks for a solo
     * investment: the rules refuse it (R-MATCH.1), and say so. */
    if (auto_arg && p.ncite_args)
        return cli_usage_error(a, "--cite or --auto, not both");
    if (!auto_arg && !p.ncite_args && !amount_arg)
        return cli_usage_error(a, "--cite MEMBER:INDEX=AMT or --auto AMT is needed");
    if (!entry_id_valid(program, strlen(program)) || !entry_id_valid(project, strlen(project)) ||
        !entry_id_valid(round, strlen(round)))
        return cli_failf(CF_EINVAL, "program, project and round are identifiers (A-Z a-z 0-9 . _ -)");
    diag d;
    if (auto_arg && cli_parse_amount(auto_arg, &p.auto_fen, &d) != CF_OK) return cli_fail(&d);
    if (amount_arg && cli_parse_amount(amount_arg, &p.amount_fen, &d) != CF_OK) return cli_fail(&d);
    snprintf(p.program, sizeof p.program, "%s", program);
    snprintf(p.project, sizeof p.project, "%s", project);
    snprintf(p.round, sizeof p.round, "%s", round);
    e.body.match.program = entry_text_of(p.program, strlen(p.program));
    e.body.match.project = entry_text_of(p.project, strlen(p.project));
    e.body.match.round = entry_text_of(p.round, strlen(p.round));

    home *h;
    int32_t tz = 0;
    int rc = cli_open_home(env, 0, &h);
    if (rc) return rc;
    p.h = h;
    if ((rc = network_tz(h, &tz)) != 0) goto out;
    p.tz = tz;
    p.time_ms = cli_now_ms();
    if (t && cli_parse_time(t, tz, false, &p.time_ms, &d) != CF_OK) {
        rc = cli_fail(&d);
        goto out;
    }
    if (t) e.time_ms = p.time_ms;
    if ((rc = with_kv(h, plan_match, &p)) != 0) goto out;
    /* The plan goes to stdout once appended (a dry run: before the rules'
     * verdict on it), to stderr when refused. */
    if (env->dry_run) fputs(p.text, stdout);
    uint64_t index;
    if ((rc = cli_append(env, h, &e, 1, &index)) == CLI_OK)
        printf(_("%smatch appended as %s#%llu\n"), p.text, h->name, (unsigned long long)index);
    else if (!env->dry_run)
        /* TRANSLATORS: %s is the plan: "match plan for program ...:\n  cite ..." */
        fprintf(stderr, _("the refused %s"), p.text);
out:
    cli_close_home(h);
    return rc;
}

/* ---- the commands ------------------------------------------------------------ */

const cli_cmd cli_cmd_program_add = {
    .name = "program add",
    .args = "ID",
    .min_args = 1,
    .max_args = 1,
    .flags = CLI_ARG_ID,
    .opts = (const cli_opt[]){
        {"kind", "match|pool|leasing|award|subsidy", CLI_CHOICE, 0, N_("the instrument (default match, or the preset's)")},
        {"preset", "industrial|incubation|pool|award|first-set|local", CLI_CHOICE, 0,
         N_("the policy's terms (docs/rules.md); options override them")},
        {"operator", "MEMBER", 0, 0,
         N_("who operates it (default: the network's only fund; for leasing, its only lessor)")},
        {"counterpart", "ROLE[,ROLE]", 0, 0, N_("match: whose capital it matches: investor, team")},
        {"ratio", "N:D", 0, 0, N_("match: fund : counterpart (default 1:1)")},
        {"window-days", "N", 0, 0, N_("match: how old a contribution may be (default 90)")},
        {"project-cap", "AMT|none", 0, 0, N_("match: most it invests in one project")},
        {"annual-budget", "AMT|none", 0, 0, N_("match, award, subsidy: most it spends in a calendar year")},
        {"start", "TIME", 0, 0, N_("match: when it starts (default now; to enter history)")},
        {"leverage", "N", 0, 0, N_("pool: loans outstanding at most N x its balance")},
        {"share", "N:D", 0, 0, N_("pool: its share of each loss (7:10); subsidy: of the price paid")},
        {"size", "AMT|none", 0, 0, N_("pool: most its balance may reach")},
        {"down", "MIN:MAX", 0, 0, N_("leasing: down payment, percent of the price (10:40)")},
        {"financing", "MIN:MAX", 0, 0, N_("leasing: the lessor's financing, percent")},
        {"advance", "MIN:MAX", 0, 0, N_("leasing: the supplier's advance, percent")},
        {"level", "AMT", 0, AWARD_LEVELS_MAX, N_("award: an allowed amount, smallest first")},
        {"requires", "demonstration|none", CLI_CHOICE, 0,
         N_("award: award only projects certified as demonstration projects for the year")},
        {"basis", "first-set|local", CLI_CHOICE, 0,
         N_("subsidy: what it subsidises (a first-set product, a local maker's equipment)")},
        {"unit-cap", "AMT|none", 0, 0, N_("subsidy: most it pays per unit")},
        {"recipient-cap", "AMT|none", 0, 0, N_("subsidy: most one buyer gets in a calendar year")},
        CLI_OPT_DRY_RUN, CLI_OPT_YES, CLI_OPT_END},
    .summary = N_("governance: register a program (match, pool, leasing, award or subsidy)"),
    .help = N_("The governance registers a program. A matching program (the default kind) "
            "invests alongside counterpart capital: it needs --counterpart, or a --preset "
            "(industrial: investors 1:1; incubation: teams 1:1, cap 300,000, budget 6,000,000). "
            "A pool (loan risk compensation) needs --leverage and --share, or --preset pool. A "
            "leasing program bounds the parts of each lease. An award program needs --level, "
            "or --preset award (--requires demonstration: certified projects only, R-AWARD.5). "
            "A subsidy program pays a share of the price of a certified first-set product or of "
            "a local maker's equipment: --basis and --share, or --preset first-set (3:10, "
            "5,000,000 per unit, 10,000,000 per buyer a year) or local (1:10, 2,000,000 per "
            "buyer a year). An option of another kind is a usage error."),
    .example = "program add industrial --preset industrial\n"
               "program add pool --preset pool --size 50,000,000\n"
               "program add first-set --preset first-set --annual-budget 50,000,000",
    .run = run_program_add,
};

const cli_cmd cli_cmd_project_add = {
    .name = "project add",
    .args = "ID",
    .min_args = 1,
    .max_args = 1,
    .flags = CLI_ARG_ID,
    .opts = (const cli_opt[]){
        {"name", "NAME", CLI_REQUIRED, 0, N_("the project's name")},
        {"kind", "KIND", 0, 0, N_("a free-text kind (equity, incubation, ...)")},
        CLI_OPT_DRY_RUN, CLI_OPT_YES, CLI_OPT_END},
    .summary = N_("governance: register a project"),
    .help = N_("The governance registers a project; ID (A-Z a-z 0-9 . _ -) is how every other "
            "command names it."),
    .example = "project add robotics --name \"Robotics Co.\" --kind equity",
    .run = run_project_add,
};

const cli_cmd cli_cmd_contribute = {
    .name = "contribute",
    .opts = (const cli_opt[]){
        {"project", "P", CLI_REQUIRED | CLI_ID, 0, N_("the project")},
        {"round", "R", CLI_REQUIRED | CLI_ID, 0, N_("the funding round (an identifier: A, seed, 2026-1)")},
        {"amount", "AMT", CLI_REQUIRED, 0, N_("yuan: 300000, 300,000.00 or 30万")},
        {"program", "ID", CLI_ID, 0, N_("ask this matching program to match it")},
        CLI_OPT_TIME,
        CLI_OPT_DRY_RUN, CLI_OPT_YES, CLI_OPT_END},
    .summary = N_("an investor or team records capital put into a project"),
    .help = N_("An investor or team records capital put into a project's round; with --program, "
            "the program's operator may match it (match)."),
    .example = "contribute --project robotics --round A --amount 1,000,000 --program industrial",
    .run = run_contribute,
};

const cli_cmd cli_cmd_match = {
    .name = "match",
    .opts = (const cli_opt[]){
        {"program", "ID", CLI_REQUIRED | CLI_ID, 0, N_("the matching program")},
        {"project", "P", CLI_REQUIRED | CLI_ID, 0, N_("the project")},
        {"round", "R", CLI_REQUIRED | CLI_ID, 0, N_("the round")},
        {"cite", "MEMBER:INDEX=AMT", 0, ENTRY_CITES_MAX,
         N_("allocate AMT to that contribution")},
        {"auto", "AMT", 0, 0, N_("instead of --cite: cite the oldest eligible contributions")},
        {"amount", "AMT", 0, 0, N_("state the total (checked against the citations)")},
        CLI_OPT_TIME,
        CLI_OPT_DRY_RUN, CLI_OPT_YES, CLI_OPT_END},
    .summary = N_("the program's operator invests against cited contributions"),
    .help = N_("The program's operator invests in a project's round, allocating amounts to the "
            "counterpart contributions it cites (--cite, one per contribution), or to those "
            "--auto picks, oldest first; it prints the plan, then appends it (with "
            "--dry-run, the rules' verdict on it, and nothing is written). Give --cite or --auto, not both; --amount alone is a solo investment, "
            "which R-MATCH.1 refuses."),
    .example = "match --program industrial --project robotics --round A --auto 1,000,000 --dry-run\n"
               "match --program industrial --project robotics --round A --cite investor-a:0=1,000,000",
    .run = run_match,
};

const cli_cmd cli_cmd_exit = {
    .name = "exit",
    .opts = (const cli_opt[]){
        {"project", "P", CLI_REQUIRED | CLI_ID, 0, N_("the project")},
        {"amount", "AMT", CLI_REQUIRED, 0, N_("yuan taken out, at cost")},
        {"proceeds", "AMT", 0, 0, N_("yuan received for it (default: the amount; 0 allowed)")},
        CLI_OPT_TIME,
        CLI_OPT_DRY_RUN, CLI_OPT_YES, CLI_OPT_END},
    .summary = N_("a holder records capital taken out of a project"),
    .help = N_("A holder records capital taken out of a project; its position falls by the amount "
            "(at cost). --proceeds: what it received for it, which `returns` counts as "
            "distributed (default: the amount)."),
    .example = "exit --project robotics --amount 200,000",
    .run = run_exit,
};
