/* cmd_invest.c — program add, project add, contribute, match, exit. */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "amount.h"
#include "caltime.h"
#include "cf_error.h"
#include "cf_util.h"
#include "cli.h"
#include "rules.h"

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
};

static int only_fund(void *arg, const state_member *m)
{
    int *count = ((int **)arg)[0];
    uint8_t *key = ((uint8_t **)arg)[1];
    if (m->role == ROLE_FUND) {
        (*count)++;
        memcpy(key, m->key, 32);
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
    void *ctx[2] = {&count, a->b->operator_key};
    int err = state_members_each(kv, only_fund, ctx);
    if (err) return cli_failf(err, "reading members: %s", cf_strerror(err));
    if (count != 1)
        return cli_failf(CF_EINVAL, "--operator MEMBER is needed (the network has %d fund members)",
                         count);
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

/* --project-cap / --annual-budget: an amount, or "none". */
static int parse_limit(const char *s, bool *has, int64_t *fen, diag *d)
{
    if (strcmp(s, "none") == 0) {
        *has = false;
        return CF_OK;
    }
    *has = true;
    return cli_parse_amount(s, fen, d);
}

static int program_add(cli_env *env, int argc, char **argv)
{
    static const char *usage =
        "program add ID [--preset industrial|incubation] [--operator MEMBER] "
        "[--counterpart ROLE[,ROLE]] [--ratio N:D] [--window-days N] [--project-cap AMT|none] "
        "[--annual-budget AMT|none] [--start TIME]";
    static const struct option opts[] = {
        {"preset", required_argument, NULL, 'p'},   {"operator", required_argument, NULL, 'o'},
        {"counterpart", required_argument, NULL, 'c'}, {"ratio", required_argument, NULL, 'r'},
        {"window-days", required_argument, NULL, 'w'}, {"project-cap", required_argument, NULL, 'k'},
        {"annual-budget", required_argument, NULL, 'b'}, {"start", required_argument, NULL, 's'},
        {NULL, 0, NULL, 0},
    };
    entry e = {.type = ENTRY_PROGRAM};
    body_program *b = &e.body.program;
    const char *preset = NULL, *counterpart = NULL, *ratio = NULL, *window = NULL;
    const char *cap = NULL, *budget = NULL, *start = NULL, *op = NULL;
    int c;
    optind = 0;
    while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1) {
        switch (c) {
        case 'p': preset = optarg; break;
        case 'o': op = optarg; break;
        case 'c': counterpart = optarg; break;
        case 'r': ratio = optarg; break;
        case 'w': window = optarg; break;
        case 'k': cap = optarg; break;
        case 'b': budget = optarg; break;
        case 's': start = optarg; break;
        default: return cli_usage(usage);
        }
    }
    if (optind != argc - 1) return cli_usage(usage);
    const char *id = argv[optind];
    b->id = entry_text_of(id, strlen(id));
    b->kind = entry_text_of("match", 5);
    b->ratio_num = b->ratio_den = 1;
    b->window_days = 90;
    /* Presets from the policy (docs/rules.md); flags override them. */
    if (preset && strcmp(preset, "industrial") == 0) {
        b->counterpart_roles = ROLE_BIT(ROLE_INVESTOR);
    } else if (preset && strcmp(preset, "incubation") == 0) {
        b->counterpart_roles = ROLE_BIT(ROLE_TEAM);
        b->has_cap = true;
        b->cap_fen = YUAN(300000);
        b->has_budget = true;
        b->budget_fen = YUAN(6000000);
    } else if (preset) {
        return cli_failf(CF_EINVAL, "--preset: industrial or incubation");
    }
    diag d;
    uint64_t days;
    if (counterpart && parse_roles(counterpart, &b->counterpart_roles) != CF_OK)
        return cli_failf(CF_EINVAL, "--counterpart: investor, team, or investor,team");
    if (b->counterpart_roles == 0)
        return cli_failf(CF_EINVAL, "--counterpart ROLE is needed without a --preset");
    if (ratio && parse_ratio(ratio, &b->ratio_num, &b->ratio_den) != CF_OK)
        return cli_failf(CF_EINVAL, "--ratio: N:D with whole numbers 1 to %d (fund : counterpart)",
                         RATIO_TERM_MAX);
    if (window) {
        if (cli_parse_u64(window, &days) != CF_OK || days > WINDOW_DAYS_MAX)
            return cli_failf(CF_EINVAL, "--window-days: 0 to %d", WINDOW_DAYS_MAX);
        b->window_days = (uint32_t)days;
    }
    if ((cap && parse_limit(cap, &b->has_cap, &b->cap_fen, &d) != CF_OK) ||
        (budget && parse_limit(budget, &b->has_budget, &b->budget_fen, &d) != CF_OK))
        return cli_fail(&d);

    home *h;
    int32_t tz = 0;
    int rc = cli_open_home(env, 0, &h);
    if (rc) return rc;
    if ((rc = network_tz(h, &tz)) != 0) goto out;
    b->start_ms = cli_now_ms();
    if (start && cli_parse_time(start, tz, false, &b->start_ms, &d) != CF_OK) {
        rc = cli_fail(&d);
        goto out;
    }
    struct program_args a = {h, op, b};
    if ((rc = with_kv(h, resolve_operator, &a)) != 0) goto out;
    uint64_t index;
    if ((rc = cli_append(env, h, &e, 1, &index)) == CLI_OK) {
        char capt[AMOUNT_TEXT_BYTES] = "none", budt[AMOUNT_TEXT_BYTES] = "none";
        if (b->has_cap) amount_format(b->cap_fen, capt);
        if (b->has_budget) amount_format(b->budget_fen, budt);
        printf("program %s added at governance entry %llu: ratio %u:%u, window %u days, "
               "cap %s per project, budget %s per year\n",
               id, (unsigned long long)index, b->ratio_num, b->ratio_den, b->window_days, capt,
               budt);
    }
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
    char what[128];
    snprintf(what, sizeof what, "contribution of %s yuan", amount);
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
    char what[128];
    snprintf(what, sizeof what, "exit of %s yuan", amount);
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
