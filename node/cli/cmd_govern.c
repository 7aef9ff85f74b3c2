/* cmd_govern.c — governance corrects and changes its own records
 * (docs/rules.md "Governance corrections"): `program close` (R-CLOSE),
 * `program amend` (R-AMEND), `project rename` and `network rename`
 * (R-RENAME), `network bound` (R-BOUND). Each appends one governance entry;
 * nothing already written changes. */
#include <stdio.h>
#include <string.h>

#include "cli.h"
#include "crypto/cf_error.h"
#include "ledger/amount.h"
#include "ledger/caltime.h"
#include "ledger/entry.h"
#include "render.h"
#include "table.h"

#include <jansson.h>

static int network_tz(home *h, int32_t *tz)
{
    state_network net;
    diag d;
    if (home_network(h, &net, &d) != CF_OK) return cli_fail(&d);
    *tz = net.tz_min;
    return CLI_OK;
}

/* ---- program close ------------------------------------------------------- */

static int run_program_close(cli_env *env, const cli_args *a)
{
    const char *id = a->pos[0];
    entry e = {.type = ENTRY_CLOSE};
    diag d;
    int32_t tz = 0;
    home *h;
    int rc = cli_open_home(env, 0, &h);
    if (rc) return rc;
    if ((rc = network_tz(h, &tz)) != 0) goto out;
    /* A bare date closes at its end: nothing dated after that day. */
    if (cli_parse_time(cli_get(a, "at"), tz, true, &e.body.close.at, &d) != CF_OK) {
        rc = cli_fail(&d);
        goto out;
    }
    e.body.close.program = entry_text_of(id, strlen(id));
    uint64_t index;
    if ((rc = cli_append(env, h, &e, 1, &index)) == CLI_OK) {
        char t[CALTIME_TEXT_BYTES];
        caltime_format(e.body.close.at, tz, t);
        printf(_("program %s closed at governance entry %llu: nothing new dated after %s\n"), id,
               (unsigned long long)index, t);
    }
out:
    cli_close_home(h);
    return rc;
}

const cli_cmd cli_cmd_program_close = {
    .name = "program close",
    .args = "ID",
    .min_args = 1,
    .max_args = 1,
    .flags = CLI_ARG_ID,
    .opts = (const cli_opt[]){
        {"at", "TIME", CLI_REQUIRED, 0,
         N_("the last time an entry may open business under it (a bare date: its end)")},
        CLI_OPT_DRY_RUN, CLI_OPT_YES, CLI_OPT_END},
    .summary = N_("governance: close a program: nothing new dated after a time"),
    .help = N_("A contribution asking the program, a match, a deposit, a loan, a guarantee, a "
            "lease or an award naming it and dated after --at is refused (R-CLOSE.2); one "
            "dated exactly at --at is accepted. Withdrawals, releases and compensations go on: "
            "they wind the program down. Entries already written stand. A program is closed "
            "once (R-CLOSE.1)."),
    .example = "program close incubation --at 2026-12-31",
    .run = run_program_close,
};

/* ---- program amend ------------------------------------------------------- */

/* --FLAG AMT; "none" (when removable: a cap, a budget) states 0, the limit
 * removed from the amendment's date on. */
static int amount_flag(const cli_args *a, const char *flag, bool removable, bool *has,
                       int64_t *fen)
{
    const char *v = cli_get(a, flag);
    diag d;
    if (!v) return CLI_OK;
    if (strcmp(v, "none") == 0 && !removable)
        return cli_usage_error(a, "--%s none: a pool keeps a size (set a larger one)", flag);
    if (strcmp(v, "none") == 0) *fen = 0;
    else if (cli_parse_amount(v, fen, &d) != CF_OK) return cli_fail(&d);
    *has = true;
    return CLI_OK;
}

static int amend_flags(const cli_args *a, body_amend *m)
{
    body_program *b = &m->terms;
    const char *v, *levels[AWARD_LEVELS_MAX];
    uint64_t u;
    int rc;
    diag d;
    if ((v = cli_get(a, "ratio"))) {
        if (cli_parse_ratio(v, &b->ratio_num, &b->ratio_den) != CF_OK)
            return cli_usage_error(a, "--ratio: N:D with whole numbers 1 to %d (fund : "
                                      "counterpart)", RATIO_TERM_MAX);
        m->has_ratio = true;
    }
    if ((v = cli_get(a, "window-days"))) {
        if (cli_parse_u64(v, &u) != CF_OK || u > WINDOW_DAYS_MAX)
            return cli_usage_error(a, "--window-days: 0 to %d", WINDOW_DAYS_MAX);
        b->window_days = (uint32_t)u;
        m->has_window = true;
    }
    if (cli_get(a, "project-cap") && cli_get(a, "unit-cap"))
        return cli_usage_error(a, "--project-cap, --unit-cap: one cap (a matching program's "
                                  "per project, a subsidy program's per unit)");
    if ((rc = amount_flag(a, "project-cap", true, &b->has_cap, &b->cap_fen)) != 0 ||
        (rc = amount_flag(a, "unit-cap", false, &b->has_cap, &b->cap_fen)) != 0 ||
        (rc = amount_flag(a, "annual-budget", true, &b->has_budget, &b->budget_fen)) != 0 ||
        (rc = amount_flag(a, "size", false, &b->has_size, &b->size_fen)) != 0)
        return rc;
    if ((v = cli_get(a, "leverage"))) {
        if (cli_parse_u64(v, &u) != CF_OK || u == 0 || u > LEVERAGE_MAX)
            return cli_usage_error(a, "--leverage: a whole multiple, 1 to %d", LEVERAGE_MAX);
        b->leverage = (uint32_t)u;
        m->has_leverage = true;
    }
    if ((v = cli_get(a, "share"))) {
        if (cli_parse_ratio(v, &b->share_num, &b->share_den) != CF_OK ||
            b->share_num > b->share_den)
            return cli_usage_error(a, "--share: N:D, the pool's share of a loss (7:10), N <= D "
                                      "<= %d", RATIO_TERM_MAX);
        m->has_share = true;
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
            return cli_usage_error(a, "--%s: MIN:MAX percent of the price, 0 <= MIN <= MAX <= "
                                      "100", parts[i].flag);
        *parts[i].has = true;
    }
    size_t nlevels = cli_get_all(a, "level", levels, AWARD_LEVELS_MAX);
    if (nlevels) {
        b->nlevels = nlevels;
        for (size_t i = 0; i < nlevels; i++) {
            if (cli_parse_amount(levels[i], &b->levels_fen[i], &d) != CF_OK) return cli_fail(&d);
            if (i > 0 && b->levels_fen[i] <= b->levels_fen[i - 1])
                return cli_usage_error(a, "--level: give each amount once, smallest first");
        }
        m->has_levels = true;
    }
    return CLI_OK;
}

/* The kind of a program at a home (0 when it cannot be read): the words of
 * its terms. */
struct kind_job {
    const char *id;
    enum program_kind kind;
};

static int read_kind(store_txn *txn, const ledger_kv *kv, void *arg)
{
    struct kind_job *k = arg;
    state_program pg;
    (void)txn;
    if (state_program_get(kv, k->id, strlen(k->id), &pg) == CF_OK) k->kind = pg.pkind;
    return CLI_OK;
}

static enum program_kind program_kind_at(home *h, const char *id)
{
    struct kind_job k = {id, 0};
    return cli_read(h, read_kind, &k) == CLI_OK ? k.kind : 0;
}

static int run_program_amend(cli_env *env, const cli_args *a)
{
    const char *id = a->pos[0];
    entry e = {.type = ENTRY_AMEND};
    body_amend *m = &e.body.amend;
    diag d;
    int32_t tz = 0;
    int rc = amend_flags(a, m);
    if (rc) return rc;
    home *h;
    if ((rc = cli_open_home(env, 0, &h)) != 0) return rc;
    if ((rc = network_tz(h, &tz)) != 0) goto out;
    if (cli_parse_time(cli_get(a, "from"), tz, false, &m->terms.start_ms, &d) != CF_OK) {
        rc = cli_fail(&d);
        goto out;
    }
    m->terms.id = entry_text_of(id, strlen(id));
    uint64_t index;
    if ((rc = cli_append(env, h, &e, 1, &index)) == CLI_OK) {
        char t[CALTIME_TEXT_BYTES], terms[256];
        state_terms st;
        state_terms_of_amend(m, &st);
        st.terms.pkind = program_kind_at(h, id);
        render_terms_text(&st, terms, sizeof terms);
        caltime_format(m->terms.start_ms, tz, t);
        printf(_("program %s amended at governance entry %llu: from %s, %s\n"), id,
               (unsigned long long)index, t, terms);
    }
out:
    cli_close_home(h);
    return rc;
}

const cli_cmd cli_cmd_program_amend = {
    .name = "program amend",
    .args = "ID",
    .min_args = 1,
    .max_args = 1,
    .flags = CLI_ARG_ID,
    .opts = (const cli_opt[]){
        {"from", "TIME", CLI_REQUIRED, 0, N_("the terms apply to entries dated from TIME on")},
        {"ratio", "N:D", 0, 0, N_("match: fund : counterpart")},
        {"window-days", "N", 0, 0, N_("match: how old a contribution may be")},
        {"project-cap", "AMT|none", 0, 0, N_("match: most it invests in one project (none: no cap)")},
        {"unit-cap", "AMT", 0, 0, N_("subsidy: most it pays per unit")},
        {"annual-budget", "AMT|none", 0, 0,
         N_("match, award, subsidy: most it spends in a calendar year (none: no budget)")},
        {"leverage", "N", 0, 0, N_("pool: loans outstanding at most N x its balance")},
        {"share", "N:D", 0, 0, N_("pool: its share of each loss; subsidy: of the price paid")},
        {"size", "AMT", 0, 0, N_("pool: most its balance may reach")},
        {"down", "MIN:MAX", 0, 0, N_("leasing: down payment, percent of the price")},
        {"financing", "MIN:MAX", 0, 0, N_("leasing: the lessor's financing, percent")},
        {"advance", "MIN:MAX", 0, 0, N_("leasing: the supplier's advance, percent")},
        {"level", "AMT", 0, AWARD_LEVELS_MAX, N_("award: an allowed amount, smallest first")},
        CLI_OPT_DRY_RUN, CLI_OPT_YES, CLI_OPT_END},
    .summary = N_("governance: amend a program's terms from a time forward"),
    .help = N_("An entry dated at or after --from that reads this amendment (its gov counts it) "
            "is checked under the terms it states; the terms it does not state stay as they "
            "were. Entries already written stand: a cap lowered below what is matched refuses "
            "the next match, not the past ones. A term of another kind of program is refused "
            "(R-AMEND.1), and so is an amendment of a closed program (R-AMEND.2). `program "
            "status` lists the terms' history."),
    .example = "program amend incubation --from 2026-07-01 --annual-budget 4,000,000",
    .run = run_program_amend,
};

/* ---- project rename, network rename ------------------------------------- */

static int run_rename(cli_env *env, const cli_args *a, const char *project)
{
    const char *name = cli_get(a, "name");
    entry e = {.type = ENTRY_RENAME};
    e.body.rename.name = entry_text_of(name, strlen(name));
    if (project) {
        e.body.rename.has_project = true;
        e.body.rename.project = entry_text_of(project, strlen(project));
    }
    if (!entry_name_valid(name, strlen(name)))
        return cli_usage_error(a, "--name: 1 to %d bytes of text without control characters",
                               ENTRY_NAME_BYTES_MAX);
    home *h;
    int rc = cli_open_home(env, 0, &h);
    if (rc) return rc;
    uint64_t index;
    if ((rc = cli_append(env, h, &e, 1, &index)) == CLI_OK) {
        if (project)
            printf(_("project %s renamed \"%s\" at governance entry %llu\n"), project, name,
                   (unsigned long long)index);
        else
            printf(_("network renamed \"%s\" at governance entry %llu\n"), name,
                   (unsigned long long)index);
    }
    cli_close_home(h);
    return rc;
}

static int run_project_rename(cli_env *env, const cli_args *a)
{
    return run_rename(env, a, a->pos[0]);
}

static int run_network_rename(cli_env *env, const cli_args *a)
{
    return run_rename(env, a, NULL);
}

const cli_cmd cli_cmd_project_rename = {
    .name = "project rename",
    .args = "ID",
    .min_args = 1,
    .max_args = 1,
    .flags = CLI_ARG_ID,
    .opts = (const cli_opt[]){{"name", "NAME", CLI_REQUIRED, 0, N_("the project's corrected name")},
                              CLI_OPT_DRY_RUN, CLI_OPT_YES, CLI_OPT_END},
    .summary = N_("governance: correct a project's display name"),
    .help = N_("The project's id stays (entries name it); its display name is corrected from "
            "here on (R-RENAME). The old name stays in the governance feed's log."),
    .example = "project rename robotics --name \"Robotics Co., Ltd.\"",
    .run = run_project_rename,
};

const cli_cmd cli_cmd_network_rename = {
    .name = "network rename",
    .min_args = 0,
    .max_args = 0,
    .opts = (const cli_opt[]){{"name", "NAME", CLI_REQUIRED, 0, N_("the network's corrected name")},
                              CLI_OPT_DRY_RUN, CLI_OPT_YES, CLI_OPT_END},
    .summary = N_("governance: correct the network's display name"),
    .help = N_("The network's id (its genesis entry's hash) stays; its display name is corrected "
            "(R-RENAME). A member's name is its identifier and is not renamed: docs/rules.md "
            "says why."),
    .example = "network rename --name \"Suzhou co-investment network\"",
    .run = run_network_rename,
};

/* ---- network bound -------------------------------------------------------- */

static int run_network_bound(cli_env *env, const cli_args *a)
{
    entry e = {.type = ENTRY_BOUND};
    diag d;
    if (cli_parse_amount(cli_get(a, "amount"), &e.body.bound.amount_fen, &d) != CF_OK)
        return cli_fail(&d);
    home *h;
    int rc = cli_open_home(env, 0, &h);
    if (rc) return rc;
    uint64_t index;
    if ((rc = cli_append(env, h, &e, 1, &index)) == CLI_OK) {
        char x[CLI_MONEY_BYTES];
        cli_money(e.body.bound.amount_fen, x);
        printf(_("the network's sanity bound is %s from governance entry %llu\n"), x,
               (unsigned long long)index);
    }
    cli_close_home(h);
    return rc;
}

const cli_cmd cli_cmd_network_bound = {
    .name = "network bound",
    .min_args = 0,
    .max_args = 0,
    .opts = (const cli_opt[]){{"amount", "AMT", CLI_REQUIRED, 0,
                               N_("above it, an append asks for --yes")},
                              CLI_OPT_DRY_RUN, CLI_OPT_YES, CLI_OPT_END},
    .summary = N_("governance: set the network's sanity bound"),
    .help = N_("Every member's command asks for --yes before it appends an amount above the "
            "bound (a check of the author's command line, not a rule replicas apply); without "
            "one the default is 1,000,000,000.00. At least 10,000.00 (R-BOUND)."),
    .example = "network bound --amount 50,000,000",
    .run = run_network_bound,
};

/* ---- the terms' history (program status) ---------------------------------- */

struct history {
    int32_t tz;
    enum cli_format fmt;
    json_t *json;
    size_t n;
    enum program_kind kind; /* the wording of its terms (render_terms_text) */
};

static int history_row(void *arg, const state_terms *t)
{
    struct history *hs = arg;
    char when[CALTIME_TEXT_BYTES], terms[256];
    state_terms worded = *t;
    worded.terms.pkind = hs->kind;
    caltime_format(t->time_ms, hs->tz, when);
    render_terms_text(&worded, terms, sizeof terms);
    if (hs->fmt == CLI_JSON) {
        json_t *o = t->close ? json_pack("{s:s, s:I, s:s, s:I}", "what", "close", "at_ms",
                                         (json_int_t)t->time_ms, "at", when, "gov_index",
                                         (json_int_t)t->gov_index)
                             : json_pack("{s:s, s:I, s:s, s:s, s:I}", "what", "amend", "from_ms",
                                         (json_int_t)t->time_ms, "from", when, "terms", terms,
                                         "gov_index", (json_int_t)t->gov_index);
        json_array_append_new(hs->json, o);
    } else if (hs->fmt == CLI_TABLE) {
        if (hs->n == 0) fputs(_("  terms' history (governance entries, in the order written):\n"), stdout);
        if (t->close)
            printf(_("    closed: nothing new dated after %s (governance entry %llu)\n"), when,
                   (unsigned long long)t->gov_index);
        else
            printf(_("    from %s: %s (governance entry %llu)\n"), when, terms,
                   (unsigned long long)t->gov_index);
    }
    hs->n++;
    return CF_OK;
}

int cli_terms_history(const ledger_kv *kv, const char *program, int32_t tz, enum cli_format fmt,
                      json_t *json)
{
    struct history hs = {tz, fmt, NULL, 0, 0};
    state_program pg;
    if (fmt == CLI_CSV || (fmt == CLI_JSON && json == NULL)) return CLI_OK;
    if (state_program_get(kv, program, strlen(program), &pg) == CF_OK) hs.kind = pg.pkind;
    if (fmt == CLI_JSON) hs.json = json_array();
    int err = state_terms_each(kv, program, history_row, &hs);
    /* Only a program with a history carries the key: the JSON of one without
     * is the report the audit prints too (node/ledger/report.h). */
    if (fmt == CLI_JSON && hs.n) json_object_set_new(json, "terms_history", hs.json);
    else if (fmt == CLI_JSON) json_decref(hs.json);
    return err ? cli_failf(err, "reading program %s's terms: %s", program, cf_strerror(err))
               : CLI_OK;
}
