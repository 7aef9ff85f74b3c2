/* cmd_invest.c — program add (every kind), project add, contribute, match,
 * exit. The other instruments' entries are cmd_instruments.c. */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "crypto/cf_error.h"
#include "crypto/cf_util.h"
#include "ledger/amount.h"
#include "ledger/caltime.h"
#include "ledger/rules.h"

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

static int parse_ratio(const char *s, uint32_t *num, uint32_t *den)
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
static int parse_pct_range(const char *s, pct_range *out)
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

/* The flags of `program add`, by the kind they apply to. */
enum { O_PRESET = 'p', O_KIND = 'K', O_OPERATOR = 'o', O_COUNTERPART = 'c', O_RATIO = 'r',
       O_WINDOW = 'w', O_CAP = 'k', O_BUDGET = 'b', O_START = 's', O_LEVERAGE = 'L',
       O_SHARE = 'S', O_SIZE = 'Z', O_DOWN = 'D', O_FINANCING = 'F', O_ADVANCE = 'A',
       O_LEVEL = 'V' };
#define LEVEL_ARGS_MAX AWARD_LEVELS_MAX

typedef struct {
    const char *arg[128];
    const char *levels[LEVEL_ARGS_MAX];
    size_t nlevels;
} program_flags;

/* Which kinds each flag applies to (bits by program_kind). */
static unsigned flag_kinds(int c)
{
#define K(k) (1u << (k))
    switch (c) {
    case O_COUNTERPART: case O_RATIO: case O_WINDOW: case O_CAP: case O_START:
        return K(PROGRAM_MATCH);
    case O_BUDGET: return K(PROGRAM_MATCH) | K(PROGRAM_AWARD);
    case O_LEVERAGE: case O_SHARE: case O_SIZE: return K(PROGRAM_POOL);
    case O_DOWN: case O_FINANCING: case O_ADVANCE: return K(PROGRAM_LEASING);
    case O_LEVEL: return K(PROGRAM_AWARD);
    default: return ~0u;
    }
#undef K
}

static const char *flag_name(int c)
{
    switch (c) {
    case O_COUNTERPART: return "--counterpart";
    case O_RATIO: return "--ratio";
    case O_WINDOW: return "--window-days";
    case O_CAP: return "--project-cap";
    case O_START: return "--start";
    case O_BUDGET: return "--annual-budget";
    case O_LEVERAGE: return "--leverage";
    case O_SHARE: return "--share";
    case O_SIZE: return "--size";
    case O_DOWN: return "--down";
    case O_FINANCING: return "--financing";
    case O_ADVANCE: return "--advance";
    case O_LEVEL: return "--level";
    default: return "?";
    }
}

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
    } else {
        return cli_failf(CF_EINVAL, "--preset: industrial, incubation, pool or award");
    }
    return CLI_OK;
}

static int apply_flags(const program_flags *f, body_program *b, diag *d)
{
    const char *const *a = f->arg;
    uint64_t u;
    if (a[O_COUNTERPART] && parse_roles(a[O_COUNTERPART], &b->counterpart_roles) != CF_OK)
        return cli_failf(CF_EINVAL, "--counterpart: investor, team, or investor,team");
    if (a[O_RATIO] && parse_ratio(a[O_RATIO], &b->ratio_num, &b->ratio_den) != CF_OK)
        return cli_failf(CF_EINVAL, "--ratio: N:D with whole numbers 1 to %d (fund : counterpart)",
                         RATIO_TERM_MAX);
    if (a[O_WINDOW]) {
        if (cli_parse_u64(a[O_WINDOW], &u) != CF_OK || u > WINDOW_DAYS_MAX)
            return cli_failf(CF_EINVAL, "--window-days: 0 to %d", WINDOW_DAYS_MAX);
        b->window_days = (uint32_t)u;
    }
    if ((a[O_CAP] && parse_limit(a[O_CAP], &b->has_cap, &b->cap_fen, d) != CF_OK) ||
        (a[O_BUDGET] && parse_limit(a[O_BUDGET], &b->has_budget, &b->budget_fen, d) != CF_OK) ||
        (a[O_SIZE] && parse_limit(a[O_SIZE], &b->has_size, &b->size_fen, d) != CF_OK))
        return cli_fail(d);
    if (a[O_LEVERAGE]) {
        if (cli_parse_u64(a[O_LEVERAGE], &u) != CF_OK || u == 0 || u > LEVERAGE_MAX)
            return cli_failf(CF_EINVAL, "--leverage: a whole multiple, 1 to %d", LEVERAGE_MAX);
        b->leverage = (uint32_t)u;
    }
    if (a[O_SHARE] && (parse_ratio(a[O_SHARE], &b->share_num, &b->share_den) != CF_OK ||
                       b->share_num > b->share_den))
        return cli_failf(CF_EINVAL, "--share: N:D, the pool's share of a loss (7:10), N <= D <= %d",
                         RATIO_TERM_MAX);
    const struct {
        int flag;
        bool *has;
        pct_range *r;
    } parts[3] = {{O_DOWN, &b->has_down, &b->down},
                  {O_FINANCING, &b->has_financing, &b->financing},
                  {O_ADVANCE, &b->has_advance, &b->advance}};
    for (int i = 0; i < 3; i++) {
        if (!a[parts[i].flag]) continue;
        if (parse_pct_range(a[parts[i].flag], parts[i].r) != CF_OK)
            return cli_failf(CF_EINVAL, "%s: MIN:MAX percent of the price, 0 <= MIN <= MAX <= 100",
                             flag_name(parts[i].flag));
        *parts[i].has = true;
    }
    if (f->nlevels) {
        b->nlevels = f->nlevels;
        for (size_t i = 0; i < f->nlevels; i++) {
            if (cli_parse_amount(f->levels[i], &b->levels_fen[i], d) != CF_OK) return cli_fail(d);
            if (i > 0 && b->levels_fen[i] <= b->levels_fen[i - 1])
                return cli_failf(CF_EINVAL, "--level: give each amount once, smallest first");
        }
    }
    return CLI_OK;
}

static void program_summary(const char *id, uint64_t index, enum program_kind kind,
                            const body_program *b)
{
    char x[AMOUNT_TEXT_BYTES] = "none", y[AMOUNT_TEXT_BYTES] = "none";
    printf("program %s (%s) added at governance entry %llu: ", id, program_kind_name(kind),
           (unsigned long long)index);
    switch (kind) {
    case PROGRAM_POOL:
        if (b->has_size) amount_format(b->size_fen, x);
        printf("leverage %u, pool share %u:%u of each loss, size %s\n", b->leverage,
               b->share_num, b->share_den, x);
        break;
    case PROGRAM_LEASING:
        printf("down payment %u-%u%%, financing %u-%u%%, advance %u-%u%% of the price\n",
               b->has_down ? b->down.min_pct : 0, b->has_down ? b->down.max_pct : 100,
               b->has_financing ? b->financing.min_pct : 0,
               b->has_financing ? b->financing.max_pct : 100,
               b->has_advance ? b->advance.min_pct : 0, b->has_advance ? b->advance.max_pct : 100);
        break;
    case PROGRAM_AWARD:
        printf("amounts");
        for (size_t i = 0; i < b->nlevels; i++) {
            amount_format(b->levels_fen[i], x);
            printf("%s %s", i ? "," : "", x);
        }
        if (b->has_budget) amount_format(b->budget_fen, y);
        printf("; budget %s per year\n", y);
        break;
    default:
        if (b->has_cap) amount_format(b->cap_fen, x);
        if (b->has_budget) amount_format(b->budget_fen, y);
        printf("ratio %u:%u, window %u days, cap %s per project, budget %s per year\n",
               b->ratio_num, b->ratio_den, b->window_days, x, y);
    }
}

static int program_add(cli_env *env, int argc, char **argv)
{
    static const char *usage =
        "program add ID [--kind match|pool|leasing|award] [--preset industrial|incubation|pool|award]\n"
        "       [--operator MEMBER]\n"
        "       match:   [--counterpart ROLE[,ROLE]] [--ratio N:D] [--window-days N]\n"
        "                [--project-cap AMT|none] [--annual-budget AMT|none] [--start TIME]\n"
        "       pool:    --leverage N --share N:D [--size AMT|none]\n"
        "       leasing: [--down MIN:MAX] [--financing MIN:MAX] [--advance MIN:MAX] (percent)\n"
        "       award:   --level AMT [--level AMT ...] [--annual-budget AMT|none]";
    static const struct option opts[] = {
        {"preset", required_argument, NULL, O_PRESET},
        {"kind", required_argument, NULL, O_KIND},
        {"operator", required_argument, NULL, O_OPERATOR},
        {"counterpart", required_argument, NULL, O_COUNTERPART},
        {"ratio", required_argument, NULL, O_RATIO},
        {"window-days", required_argument, NULL, O_WINDOW},
        {"project-cap", required_argument, NULL, O_CAP},
        {"annual-budget", required_argument, NULL, O_BUDGET},
        {"start", required_argument, NULL, O_START},
        {"leverage", required_argument, NULL, O_LEVERAGE},
        {"share", required_argument, NULL, O_SHARE},
        {"size", required_argument, NULL, O_SIZE},
        {"down", required_argument, NULL, O_DOWN},
        {"financing", required_argument, NULL, O_FINANCING},
        {"advance", required_argument, NULL, O_ADVANCE},
        {"level", required_argument, NULL, O_LEVEL},
        {NULL, 0, NULL, 0},
    };
    entry e = {.type = ENTRY_PROGRAM};
    body_program *b = &e.body.program;
    program_flags f;
    memset(&f, 0, sizeof f);
    int c;
    optind = 0;
    while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1) {
        if (c == '?' || c == ':') return cli_usage(usage);
        if (c == O_LEVEL) {
            if (f.nlevels == LEVEL_ARGS_MAX)
                return cli_failf(CF_EINVAL, "at most %d --level", LEVEL_ARGS_MAX);
            f.levels[f.nlevels++] = optarg;
        } else {
            f.arg[c] = optarg;
        }
    }
    if (optind != argc - 1) return cli_usage(usage);
    const char *id = argv[optind];
    enum program_kind kind = PROGRAM_MATCH, preset_kind = 0;
    b->id = entry_text_of(id, strlen(id));
    b->ratio_num = b->ratio_den = 1;
    b->window_days = 90;
    int rc;
    if (f.arg[O_PRESET] && (rc = apply_preset(f.arg[O_PRESET], &preset_kind, b)) != 0) return rc;
    if (f.arg[O_KIND]) {
        kind = program_kind_from_name(f.arg[O_KIND], strlen(f.arg[O_KIND]));
        if (kind == 0) return cli_failf(CF_EINVAL, "--kind: match, pool, leasing or award");
        if (preset_kind && preset_kind != kind)
            return cli_failf(CF_EINVAL, "--preset %s is a %s program, not %s", f.arg[O_PRESET],
                             program_kind_name(preset_kind), f.arg[O_KIND]);
    } else if (preset_kind) {
        kind = preset_kind;
    }
    for (int k = 0; k < 128; k++)
        if ((f.arg[k] || (k == O_LEVEL && f.nlevels)) && !(flag_kinds(k) & (1u << kind)))
            return cli_failf(CF_EINVAL, "%s does not apply to a %s program", flag_name(k),
                             program_kind_name(kind));
    b->kind = entry_text_of(program_kind_name(kind), strlen(program_kind_name(kind)));
    diag d;
    if ((rc = apply_flags(&f, b, &d)) != 0) return rc;
    if (kind == PROGRAM_MATCH && b->counterpart_roles == 0)
        return cli_failf(CF_EINVAL, "--counterpart ROLE is needed without a --preset");
    if (kind == PROGRAM_POOL && (b->leverage == 0 || b->share_den == 0))
        return cli_failf(CF_EINVAL, "a pool needs --leverage N and --share N:D (or --preset pool)");
    if (kind == PROGRAM_AWARD && b->nlevels == 0)
        return cli_failf(CF_EINVAL, "an award program needs --level AMT (or --preset award)");

    home *h;
    int32_t tz = 0;
    if ((rc = cli_open_home(env, 0, &h)) != 0) return rc;
    if ((rc = network_tz(h, &tz)) != 0) goto out;
    if (kind == PROGRAM_MATCH) {
        b->start_ms = cli_now_ms();
        if (f.arg[O_START] && cli_parse_time(f.arg[O_START], tz, false, &b->start_ms, &d) != CF_OK) {
            rc = cli_fail(&d);
            goto out;
        }
    }
    struct program_args a = {h, f.arg[O_OPERATOR], b,
                             kind == PROGRAM_LEASING ? ROLE_LESSOR : ROLE_FUND};
    if ((rc = with_kv(h, resolve_operator, &a)) != 0) goto out;
    uint64_t index;
    if ((rc = cli_append(env, h, &e, 1, &index)) == CLI_OK) program_summary(id, index, kind, b);
out:
    home_close(h);
    return rc;
}

static int project_add(cli_env *env, int argc, char **argv)
{
    static const char *usage = "project add ID --name NAME [--kind KIND]";
    static const struct option opts[] = {
        {"name", required_argument, NULL, 'n'},
        {"kind", required_argument, NULL, 'k'},
        {NULL, 0, NULL, 0},
    };
    entry e = {.type = ENTRY_PROJECT};
    const char *name = NULL, *kind = NULL;
    int c;
    optind = 0;
    while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1) {
        if (c == 'n') name = optarg;
        else if (c == 'k') kind = optarg;
        else return cli_usage(usage);
    }
    if (name == NULL || optind != argc - 1) return cli_usage(usage);
    e.body.project.id = entry_text_of(argv[optind], strlen(argv[optind]));
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
        printf("project %s added at governance entry %llu\n", argv[optind],
               (unsigned long long)index);
    home_close(h);
    return rc;
}

int cmd_program(cli_env *env, int argc, char **argv)
{
    if (argc >= 2 && strcmp(argv[1], "add") == 0) return program_add(env, argc - 1, argv + 1);
    if (argc >= 2 && strcmp(argv[1], "status") == 0) return program_status(env, argc - 1, argv + 1);
    return cli_usage("program add ID ... | program status ID ...");
}

int cmd_project(cli_env *env, int argc, char **argv)
{
    if (argc >= 2 && strcmp(argv[1], "add") == 0) return project_add(env, argc - 1, argv + 1);
    return cli_usage("project add ID --name NAME [--kind KIND]");
}

/* ---- contribute and exit -------------------------------------------------- */

static int append_timed(cli_env *env, entry *e, const char *time_arg, const char *what)
{
    home *h;
    int32_t tz = 0;
    diag d;
    uint64_t index;
    int rc = cli_open_home(env, 0, &h);
    if (rc) return rc;
    if ((rc = network_tz(h, &tz)) != 0) goto out;
    if (time_arg && cli_parse_time(time_arg, tz, false, &e->time_ms, &d) != CF_OK) {
        rc = cli_fail(&d);
        goto out;
    }
    if ((rc = cli_append(env, h, e, 1, &index)) == CLI_OK)
        printf("%s appended as %s#%llu\n", what, h->name, (unsigned long long)index);
out:
    home_close(h);
    return rc;
}

int cmd_contribute(cli_env *env, int argc, char **argv)
{
    static const char *usage =
        "contribute --project P --round R --amount AMT [--program ID] [--time TIME]";
    static const struct option opts[] = {
        {"project", required_argument, NULL, 'p'}, {"round", required_argument, NULL, 'r'},
        {"amount", required_argument, NULL, 'a'},  {"program", required_argument, NULL, 'g'},
        {"time", required_argument, NULL, 't'},    {NULL, 0, NULL, 0},
    };
    entry e = {.type = ENTRY_CONTRIBUTION};
    body_contribution *b = &e.body.contribution;
    const char *project = NULL, *round = NULL, *amount = NULL, *program = NULL, *t = NULL;
    int c;
    optind = 0;
    while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1) {
        switch (c) {
        case 'p': project = optarg; break;
        case 'r': round = optarg; break;
        case 'a': amount = optarg; break;
        case 'g': program = optarg; break;
        case 't': t = optarg; break;
        default: return cli_usage(usage);
        }
    }
    if (!project || !round || !amount || optind != argc) return cli_usage(usage);
    diag d;
    if (cli_parse_amount(amount, &b->amount_fen, &d) != CF_OK) return cli_fail(&d);
    b->project = entry_text_of(project, strlen(project));
    b->round = entry_text_of(round, strlen(round));
    if (program) {
        b->has_program = true;
        b->program = entry_text_of(program, strlen(program));
    }
    char what[128], a[AMOUNT_TEXT_BYTES];
    amount_format(b->amount_fen, a);
    snprintf(what, sizeof what, "contribution of %s yuan", a);
    return append_timed(env, &e, t, what);
}

int cmd_exit(cli_env *env, int argc, char **argv)
{
    static const char *usage = "exit --project P --amount AMT [--time TIME]";
    static const struct option opts[] = {
        {"project", required_argument, NULL, 'p'},
        {"amount", required_argument, NULL, 'a'},
        {"time", required_argument, NULL, 't'},
        {NULL, 0, NULL, 0},
    };
    entry e = {.type = ENTRY_EXIT};
    const char *project = NULL, *amount = NULL, *t = NULL;
    int c;
    optind = 0;
    while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1) {
        if (c == 'p') project = optarg;
        else if (c == 'a') amount = optarg;
        else if (c == 't') t = optarg;
        else return cli_usage(usage);
    }
    if (!project || !amount || optind != argc) return cli_usage(usage);
    diag d;
    if (cli_parse_amount(amount, &e.body.exit.amount_fen, &d) != CF_OK) return cli_fail(&d);
    e.body.exit.project = entry_text_of(project, strlen(project));
    char what[128], a[AMOUNT_TEXT_BYTES];
    amount_format(e.body.exit.amount_fen, a);
    snprintf(what, sizeof what, "exit of %s yuan", a);
    return append_timed(env, &e, t, what);
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
    char program[STATE_ID_CAP], project[STATE_ID_CAP], round[STATE_ID_CAP];
    state_program pg;
    int64_t remaining;
    const ledger_kv *kv;
    store_txn *txn;
    int rc;
};

/* --auto: take from the oldest eligible contributions. */
static int auto_visit(void *arg, const uint8_t author[32], uint64_t index)
{
    struct match_plan *p = arg;
    state_contribution sc;
    int err = state_contribution_get(p->kv, author, index, &sc);
    if (err) return err;
    if (p->time_ms < sc.time_ms ||
        p->time_ms - sc.time_ms > (uint64_t)p->pg.window_days * MS_PER_DAY)
        return CF_OK;
    int64_t room = (int64_t)p->pg.ratio_num * sc.amount_fen / (int64_t)p->pg.ratio_den -
                   sc.allocated_fen;
    if (room <= 0) return CF_OK;
    if (p->b->ncites == ENTRY_CITES_MAX) return 1;
    entry_cite *c = &p->b->cites[p->b->ncites++];
    memcpy(c->author, author, 32);
    c->index = index;
    memcpy(c->leaf, sc.leaf, 32);
    c->amount_fen = room < p->remaining ? room : p->remaining;
    p->remaining -= c->amount_fen;
    return p->remaining == 0 ? 1 : CF_OK;
}

static int plan_match(store_txn *txn, const ledger_kv *kv, void *arg)
{
    struct match_plan *p = arg;
    diag d;
    p->kv = kv;
    p->txn = txn;
    int err = state_program_get(kv, p->program, strlen(p->program), &p->pg);
    if (err == CF_ENOTFOUND) return cli_failf(err, "program %s is not registered", p->program);
    if (err) return cli_failf(err, "reading programs: %s", cf_strerror(err));
    if (p->auto_fen) {
        p->remaining = p->auto_fen;
        err = state_queue_each(kv, p->program, p->project, p->round, auto_visit, p);
        if (err < 0) return cli_failf(err, "reading contributions: %s", cf_strerror(err));
        if (p->remaining > 0) {
            char want[AMOUNT_TEXT_BYTES], got[AMOUNT_TEXT_BYTES];
            amount_format(p->auto_fen, want);
            amount_format(p->auto_fen - p->remaining, got);
            return cli_failf(CF_EREJECTED,
                             "--auto %s: only %s can be matched now in %s round %s (the fund "
                             "never invests alone: each yuan needs eligible counterpart capital)",
                             want, got, p->project, p->round);
        }
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
    /* Show the plan. */
    printf("match plan for program %s in %s round %s:\n", p->program, p->project, p->round);
    for (size_t i = 0; i < p->b->ncites; i++) {
        char who[ENTRY_ID_BYTES_MAX + 1], a[AMOUNT_TEXT_BYTES];
        ledger_member_label(kv, p->b->cites[i].author, who, sizeof who);
        amount_format(p->b->cites[i].amount_fen, a);
        printf("  cite %s#%llu  allocate %s\n", who, (unsigned long long)p->b->cites[i].index, a);
    }
    char total[AMOUNT_TEXT_BYTES];
    amount_format(p->b->amount_fen, total);
    printf("  total %s\n", total);
    fflush(stdout); /* the plan comes before any verdict on stderr */
    return CLI_OK;
}

int cmd_match(cli_env *env, int argc, char **argv)
{
    static const char *usage =
        "match --program ID --project P --round R (--cite MEMBER:INDEX=AMT ... | --auto AMT) "
        "[--amount AMT] [--time TIME] [--dry-run]";
    static const struct option opts[] = {
        {"program", required_argument, NULL, 'g'}, {"project", required_argument, NULL, 'p'},
        {"round", required_argument, NULL, 'r'},   {"cite", required_argument, NULL, 'c'},
        {"auto", required_argument, NULL, 'a'},    {"time", required_argument, NULL, 't'},
        {"dry-run", no_argument, NULL, 'n'},       {"amount", required_argument, NULL, 'm'},
        {NULL, 0, NULL, 0},
    };
    entry e = {.type = ENTRY_MATCH};
    struct match_plan p = {.b = &e.body.match};
    const char *program = NULL, *project = NULL, *round = NULL, *auto_arg = NULL, *t = NULL;
    const char *amount_arg = NULL;
    bool dry = false;
    int c;
    optind = 0;
    while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1) {
        switch (c) {
        case 'g': program = optarg; break;
        case 'p': project = optarg; break;
        case 'r': round = optarg; break;
        case 'c':
            if (p.ncite_args == CITE_ARGS_MAX)
                return cli_failf(CF_EINVAL, "at most %d --cite", CITE_ARGS_MAX);
            p.cite_args[p.ncite_args++] = optarg;
            break;
        case 'a': auto_arg = optarg; break;
        case 't': t = optarg; break;
        case 'n': dry = true; break;
        case 'm': amount_arg = optarg; break;
        default: return cli_usage(usage);
        }
    }
    /* With neither --cite nor --auto, --amount alone asks for a solo
     * investment: the rules refuse it (R-MATCH.1), and say so. */
    if (!program || !project || !round || optind != argc || (auto_arg && p.ncite_args) ||
        (!auto_arg && !p.ncite_args && !amount_arg))
        return cli_usage(usage);
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
    p.time_ms = cli_now_ms();
    if (t && cli_parse_time(t, tz, false, &p.time_ms, &d) != CF_OK) {
        rc = cli_fail(&d);
        goto out;
    }
    if (t) e.time_ms = p.time_ms;
    if ((rc = with_kv(h, plan_match, &p)) != 0 || dry) goto out;
    uint64_t index;
    if ((rc = cli_append(env, h, &e, 1, &index)) == CLI_OK)
        printf("match appended as %s#%llu\n", h->name, (unsigned long long)index);
out:
    home_close(h);
    return rc;
}
