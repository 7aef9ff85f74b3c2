/* report_fields.c — the reports' fields (report.h), in the order they are
 * written: the JSON of `cofund positions`, `program status`, `pool status`
 * and `leases`, and of the offline audit's "programs", "positions" and
 * "not_equity" (docs/cli.md, docs/auditing.md). A field added or renamed
 * here changes both. */
#include <stddef.h>
#include <stdio.h>
#include <string.h>

#include "crypto/cf_error.h"
#include "crypto/cf_util.h"
#include "report.h"
#include "report_internal.h"
#include "rules.h"


/* ---- members ----------------------------------------------------------------- */

static void member_name(const report_ctx *c, const void *row, report_value *v)
{
    ledger_member_label(c->kv, row, v->buf, sizeof v->buf);
    v->text = v->buf;
}

static void member_key(const report_ctx *c, const void *row, report_value *v)
{
    (void)c;
    cf_hex_encode(row, 32, v->buf, sizeof v->buf);
    v->text = v->buf;
}

static void member_role(const report_ctx *c, const void *row, report_value *v)
{
    state_member m;
    v->text = state_member_get(c->kv, row, &m) == CF_OK ? role_name(m.role) : "?";
}

/* A member (row: its key) as {name, key, role}. */
static const report_field member_fields[] = {
    {"name", REPORT_TEXT, .get = member_name},
    {"key", REPORT_TEXT, .get = member_key},
    {"role", REPORT_TEXT, .get = member_role},
};
static const report_desc member = {member_fields, N(member_fields)};

/* ---- positions ---------------------------------------------------------------
 * One row kind per line: an equity position, or what a project received that
 * is not equity (awards, leases, loans: no holder, no share). The fields of
 * the other kind are null, so JSON and CSV carry the same columns. */

static int position_holder(const report_ctx *c, const void *row, report_row_fn fn, void *arg)
{
    const report_position_row *r = row;
    (void)c;
    return fn(arg, r->pos && r->total != REPORT_PROJECT_TOTAL ? r->pos->holder : NULL);
}

/* A member's fields of a row that has none (not equity) are null. */
static void holder_name(const report_ctx *c, const void *row, report_value *v)
{
    if (row == NULL) v->absent = true;
    else member_name(c, row, v);
}

static void holder_key(const report_ctx *c, const void *row, report_value *v)
{
    if (row == NULL) v->absent = true;
    else member_key(c, row, v);
}

static void holder_role(const report_ctx *c, const void *row, report_value *v)
{
    if (row == NULL) v->absent = true;
    else member_role(c, row, v);
}

static const report_field holder_fields[] = {
    {"name", REPORT_TEXT, .get = holder_name},
    {"key", REPORT_TEXT, .get = holder_key},
    {"role", REPORT_TEXT, .get = holder_role},
};
static const report_desc holder = {holder_fields, N(holder_fields)};

static void position_kind(const report_ctx *c, const void *row, report_value *v)
{
    (void)c;
    const report_position_row *r = row;
    static const char *const kinds[] = {"equity", "project_total", "holder_total"};
    v->text = r->pos ? kinds[r->total] : "not_equity";
}

static void position_project(const report_ctx *c, const void *row, report_value *v)
{
    const report_position_row *r = row;
    (void)c;
    v->absent = r->total == REPORT_HOLDER_TOTAL;
    v->text = r->pos ? r->pos->project : r->other->project;
}

static void position_share(const report_ctx *c, const void *row, report_value *v)
{
    const report_position_row *r = row;
    const query_position *p = r->pos;
    (void)c;
    v->absent = p == NULL || r->total == REPORT_HOLDER_TOTAL;
    if (p) {
        v->a = p->amount_fen;
        v->b = p->project_total_fen;
    }
}

/* clang-format off */
#define ROW_GET(fn, side, member)                                                   \
    static void fn(const report_ctx *c, const void *row, report_value *v)           \
    {                                                                               \
        const report_position_row *r = row;                                         \
        (void)c;                                                                    \
        v->absent = r->side == NULL;                                                \
        if (r->side) v->a = r->side->member;                                        \
    }
ROW_GET(pos_invested, pos, invested_fen)
ROW_GET(pos_exited, pos, exited_fen)
ROW_GET(pos_net, pos, amount_fen)
static void pos_total(const report_ctx *c, const void *row, report_value *v)
{
    const report_position_row *r = row;
    (void)c;
    v->absent = r->pos == NULL || r->total == REPORT_HOLDER_TOTAL;
    if (!v->absent) v->a = r->pos->project_total_fen;
}
ROW_GET(pos_disputed, pos, disputed_fen)
ROW_GET(other_awards, other, awards)
ROW_GET(other_awarded, other, award_fen)
ROW_GET(other_leases, other, leases)
ROW_GET(other_price, other, lease_price_fen)
ROW_GET(other_financed, other, lease_financing_fen)
ROW_GET(other_loans, other, loans)
ROW_GET(other_lent, other, lent_fen)
ROW_GET(other_repaid, other, repaid_fen)
ROW_GET(other_losses, other, loss_fen)
ROW_GET(other_subsidies, other, subsidies)
ROW_GET(other_subsidised, other, subsidy_fen)
/* clang-format on */

static const report_field position_fields[] = {
    {"kind", REPORT_TEXT, .get = position_kind},
    {"project", REPORT_TEXT, .get = position_project},
    {"holder", REPORT_OBJECT, .sub = &holder, .each = position_holder},
    {"invested", REPORT_AMOUNT, .get = pos_invested},
    {"exited", REPORT_AMOUNT, .get = pos_exited},
    {"net", REPORT_AMOUNT, .get = pos_net},
    {"project_total", REPORT_AMOUNT, .get = pos_total},
    {"share", REPORT_SHARE, .get = position_share},
    /* R-FORK: the part of net resting on citations of a forked feed */
    {"disputed", REPORT_AMOUNT, .get = pos_disputed},
    /* not equity: the project's awards, leased equipment, bank loans, subsidies */
    {"awards", REPORT_COUNT, .get = other_awards},
    {"awarded", REPORT_AMOUNT, .get = other_awarded},
    {"leases", REPORT_COUNT, .get = other_leases},
    {"equipment_price", REPORT_AMOUNT, .get = other_price},
    {"lessor_financed", REPORT_AMOUNT, .get = other_financed},
    {"loans", REPORT_COUNT, .get = other_loans},
    {"lent", REPORT_AMOUNT, .get = other_lent},
    {"repaid", REPORT_AMOUNT, .get = other_repaid},
    {"losses", REPORT_AMOUNT, .get = other_losses},
    {"subsidies", REPORT_COUNT, .get = other_subsidies},
    {"subsidised", REPORT_AMOUNT, .get = other_subsidised},
};
const report_desc report_position = {position_fields, N(position_fields)};

static int round_holder(const report_ctx *c, const void *row, report_row_fn fn, void *arg)
{
    (void)c;
    return fn(arg, ((const query_round_position *)row)->holder);
}

static void round_name(const report_ctx *c, const void *row, report_value *v)
{
    const query_round_position *r = row;
    (void)c;
    v->absent = r->round[0] == '\0';
    v->text = r->round;
}

static void round_net(const report_ctx *c, const void *row, report_value *v)
{
    const query_round_position *r = row;
    (void)c;
    v->a = r->invested_fen - r->exited_fen;
}

/* positions --by-round: a round's row, or (round null) the holder's exits */
static const report_field round_fields[] = {
    {"project", REPORT_TEXT, REPORT_AT_TEXT(query_round_position, project)},
    {"round", REPORT_TEXT, .get = round_name},
    {"holder", REPORT_OBJECT, .sub = &member, .each = round_holder},
    {"invested", REPORT_AMOUNT, REPORT_AT_INT64(query_round_position, invested_fen)},
    {"exited", REPORT_AMOUNT, REPORT_AT_INT64(query_round_position, exited_fen)},
    {"net", REPORT_AMOUNT, .get = round_net},
};
const report_desc report_round_position = {round_fields, N(round_fields)};

void report_position_header(char *out, size_t cap)
{
    snprintf(out, cap, REPORT_POSITION_ROW, "PROJECT", "HOLDER", "ROLE", "INVESTED", "EXITED",
             "NET", "SHARE");
}

void report_position_line(const ledger_kv *kv, const query_position *p, char *out, size_t cap)
{
    char who[STATE_ID_CAP], in[AMOUNT_TEXT_BYTES], ex[AMOUNT_TEXT_BYTES], net[AMOUNT_TEXT_BYTES],
        share[32];
    state_member m;
    ledger_member_label(kv, p->holder, who, sizeof who);
    amount_format(p->invested_fen, in);
    amount_format(p->exited_fen, ex);
    amount_format(p->amount_fen, net);
    report_fmt_share(p->amount_fen, p->project_total_fen, true, share, sizeof share);
    snprintf(out, cap, REPORT_POSITION_ROW, p->project, who,
             state_member_get(kv, p->holder, &m) == CF_OK ? role_name(m.role) : "?", in, ex, net,
             share);
}

/* ---- every program: its identity --------------------------------------------- */

void report__program_id(const report_ctx *c, const void *row, report_value *v)
{
    (void)c;
    v->text = ((const report_program *)row)->pg->id;
}

void report__program_kind(const report_ctx *c, const void *row, report_value *v)
{
    (void)c;
    v->text = ((const report_program *)row)->pg->kind;
}

void report__program_operator(const report_ctx *c, const void *row, report_value *v)
{
    member_name(c, ((const report_program *)row)->pg->operator_key, v);
}


/* A program's budget (award programs too) and a matching program's cap. */
void report__program_budget(const report_ctx *c, const void *row, report_value *v)
{
    const state_program *pg = ((const report_program *)row)->pg;
    (void)c;
    v->absent = !pg->has_budget;
    v->a = pg->budget_fen;
}

/* ---- matching programs -------------------------------------------------------- */

/* A row of the split by year or by project: deployed against the limit that
 * applies (the budget, the cap; "-" without one), counterpart, leverage. */
typedef struct {
    const state_program *pg;
    int year;
    const char *project;
    const query_totals *t;
    int64_t deployed_total_fen; /* a project's, as of: against its cap */
    int64_t exited_total_fen;
} split_row;

static void split_year(const report_ctx *c, const void *row, report_value *v)
{
    (void)c;
    v->a = ((const split_row *)row)->year;
}

static void split_project(const report_ctx *c, const void *row, report_value *v)
{
    (void)c;
    v->text = ((const split_row *)row)->project;
}

static void split_deployed(const report_ctx *c, const void *row, report_value *v)
{
    (void)c;
    v->a = ((const split_row *)row)->t->deployed_fen;
}

static void split_counterpart(const report_ctx *c, const void *row, report_value *v)
{
    (void)c;
    v->a = ((const split_row *)row)->t->counterpart_fen;
}

static void split_leverage(const report_ctx *c, const void *row, report_value *v)
{
    const split_row *r = row;
    (void)c;
    v->a = r->t->counterpart_fen;
    v->b = r->t->deployed_fen;
}

/* A year's budget is spent by the year's deployed; a project's cap by all
 * the program deployed there (whatever the period the row is for). */
static int64_t split_spent(const split_row *r)
{
    return r->project ? r->deployed_total_fen : r->t->deployed_fen;
}

static void split_limit(const split_row *r, report_value *v, bool used)
{
    bool has = r->project ? r->pg->has_cap : r->pg->has_budget;
    v->absent = !has;
    v->a = used ? split_spent(r) : r->project ? r->pg->cap_fen : r->pg->budget_fen;
    v->b = r->project ? r->pg->cap_fen : r->pg->budget_fen;
}

/* Headroom: the limit minus what is spent against it (0 at least). */
static void split_left(const report_ctx *c, const void *row, report_value *v)
{
    const split_row *r = row;
    (void)c;
    split_limit(r, v, false);
    v->a = v->b > split_spent(r) ? v->b - split_spent(r) : 0;
}

static void split_exited(const report_ctx *c, const void *row, report_value *v)
{
    (void)c;
    v->a = ((const split_row *)row)->t->exited_fen;
}

static void split_outstanding(const report_ctx *c, const void *row, report_value *v)
{
    const split_row *r = row;
    (void)c;
    v->a = r->deployed_total_fen - r->exited_total_fen;
}

static void split_lim(const report_ctx *c, const void *row, report_value *v)
{
    (void)c;
    split_limit(row, v, false);
}

static void split_used(const report_ctx *c, const void *row, report_value *v)
{
    (void)c;
    split_limit(row, v, true);
}

static const report_field year_fields[] = {
    {"year", REPORT_COUNT, .get = split_year},
    {"deployed", REPORT_AMOUNT, .get = split_deployed},
    {"budget", REPORT_AMOUNT, .get = split_lim},
    {"budget_used", REPORT_SHARE, .get = split_used},
    {"budget_left", REPORT_AMOUNT, .get = split_left},
    {"counterpart", REPORT_AMOUNT, .get = split_counterpart},
    {"leverage", REPORT_LEVERAGE, .get = split_leverage},
};
static const report_desc match_year = {year_fields, N(year_fields)};

static const report_field project_fields[] = {
    {"project", REPORT_TEXT, .get = split_project},
    {"deployed", REPORT_AMOUNT, .get = split_deployed},
    {"cap", REPORT_AMOUNT, .get = split_lim},
    {"cap_used", REPORT_SHARE, .get = split_used},
    {"cap_left", REPORT_AMOUNT, .get = split_left},
    {"exited", REPORT_AMOUNT, .get = split_exited},
    {"outstanding", REPORT_AMOUNT, .get = split_outstanding},
    {"counterpart", REPORT_AMOUNT, .get = split_counterpart},
    {"leverage", REPORT_LEVERAGE, .get = split_leverage},
};
static const report_desc match_project = {project_fields, N(project_fields)};

struct split_job {
    const report_ctx *c;
    const state_program *pg;
    report_row_fn fn;
    void *arg;
};

/* A year's row: its budget the one in force that year (R-AMEND). */
static int year_visit(void *arg, const query_year *y)
{
    struct split_job *j = arg;
    state_program pg;
    if (j->c->year && y->year != j->c->year) return CF_OK;
    int err = query_year_terms(j->c->kv, j->pg->id, y->year, j->c->as_of, &pg);
    if (err) return err;
    split_row r = {.pg = &pg, .year = y->year, .t = &y->t};
    return j->fn(j->arg, &r);
}

static int project_visit(void *arg, const query_project *p)
{
    struct split_job *j = arg;
    split_row r = {.pg = j->pg, .project = p->project, .t = &p->t,
                   .deployed_total_fen = p->deployed_total_fen,
                   .exited_total_fen = p->exited_total_fen};
    return j->fn(j->arg, &r);
}

static int match_years(const report_ctx *c, const void *row, report_row_fn fn, void *arg)
{
    const state_program *pg = ((const report_program *)row)->pg;
    struct split_job j = {c, pg, fn, arg};
    return query_program_years(c->kv, pg->id, c->as_of, year_visit, &j);
}

static int match_projects(const report_ctx *c, const void *row, report_row_fn fn, void *arg)
{
    const state_program *pg = ((const report_program *)row)->pg;
    struct split_job j = {c, pg, fn, arg};
    return query_program_projects_in(c->kv, pg->id, c->from_ms, c->as_of, project_visit, &j);
}

static void match_ratio(const report_ctx *c, const void *row, report_value *v)
{
    const state_program *pg = ((const report_program *)row)->pg;
    (void)c;
    v->a = pg->ratio_num;
    v->b = pg->ratio_den;
}

static void match_window(const report_ctx *c, const void *row, report_value *v)
{
    (void)c;
    v->a = ((const report_program *)row)->pg->window_days;
}

static void match_cap(const report_ctx *c, const void *row, report_value *v)
{
    const state_program *pg = ((const report_program *)row)->pg;
    (void)c;
    v->absent = !pg->has_cap;
    v->a = pg->cap_fen;
}

static void match_start(const report_ctx *c, const void *row, report_value *v)
{
    (void)c;
    v->a = (int64_t)((const report_program *)row)->pg->start_ms;
}

static void match_leverage(const report_ctx *c, const void *row, report_value *v)
{
    const report_program *r = row;
    (void)c;
    v->a = r->match.counterpart_fen;
    v->b = r->match.deployed_fen;
}

/* What the counterpart capital that asked still allows (query.h). */
static void match_awaiting(const report_ctx *c, const void *row, report_value *v)
{
    (void)c;
    v->a = ((const report_program *)row)->match.awaiting_fen;
}

static void match_outstanding(const report_ctx *c, const void *row, report_value *v)
{
    (void)c;
    v->a = ((const report_program *)row)->outstanding_fen;
}

static void match_pending(const report_ctx *c, const void *row, report_value *v)
{
    (void)c;
    v->a = (int64_t)((const report_program *)row)->pending;
}

static const report_field match_fields[] = {
    PROGRAM_HEAD,
    {"ratio", REPORT_PAIR, .get = match_ratio},
    {"window_days", REPORT_COUNT, .get = match_window},
    {"project_cap", REPORT_AMOUNT, .get = match_cap},
    {"annual_budget", REPORT_AMOUNT, .get = report__program_budget},
    {"start", REPORT_TIME, .get = match_start},
    {"deployed", REPORT_AMOUNT, REPORT_AT_INT64(report_program, match.deployed_fen)},
    {"counterpart", REPORT_AMOUNT, REPORT_AT_INT64(report_program, match.counterpart_fen)},
    {"leverage", REPORT_LEVERAGE, .get = match_leverage},
    {"exited", REPORT_AMOUNT, REPORT_AT_INT64(report_program, match.exited_fen)},
    {"outstanding", REPORT_AMOUNT, .get = match_outstanding},
    {"awaiting_match", REPORT_AMOUNT, .get = match_awaiting},
    {"pending_matches", REPORT_COUNT, .get = match_pending},
    /* R-FORK: the part of deployed whose citations are disputed */
    {"disputed", REPORT_AMOUNT, REPORT_AT_INT64(report_program, match.disputed_fen)},
    {"years", REPORT_ROWS, .sub = &match_year, .each = match_years},
    {"projects", REPORT_ROWS, .sub = &match_project, .each = match_projects},
};
static const report_desc match_program = {match_fields, N(match_fields)};

/* ---- a program's status -------------------------------------------------------- */

int report_program_load(const report_ctx *c, const state_program *pg, uint64_t pending,
                        report_program *r, const report_desc **d)
{
    memset(r, 0, sizeof *r);
    r->pg = pg;
    r->pending = pending;
    switch (pg->pkind) {
    case PROGRAM_POOL:
        *d = &report__pool_program;
        return query_pool_totals(c->kv, pg, c->as_of, &r->pool);
    case PROGRAM_LEASING:
        *d = &report__leasing_program;
        return query_lease_sum(c->kv, NULL, pg->id, c->as_of, &r->lease);
    case PROGRAM_AWARD: *d = &report__award_program; return CF_OK;
    case PROGRAM_SUBSIDY:
        *d = &report__subsidy_program;
        return query_subsidy_totals(c->kv, pg->id, c->as_of, &r->subsidy);
    default: break;
    }
    *d = &match_program;
    /* The period's figures (a year: from its start), the balances as of its
     * end. */
    query_totals all;
    int err = query_program_totals_in(c->kv, pg->id, c->from_ms, c->as_of, &r->match);
    if (err == CF_OK && c->from_ms) err = query_program_totals(c->kv, pg->id, c->as_of, &all);
    else all = r->match;
    r->outstanding_fen = query_outstanding(&all);
    return err;
}

/* ---- leases and what is not equity ---------------------------------------------- */

static void lease_lessor(const report_ctx *c, const void *row, report_value *v)
{
    member_name(c, ((const state_lease *)row)->author, v);
}

static void lease_index(const report_ctx *c, const void *row, report_value *v)
{
    (void)c;
    v->a = (int64_t)((const state_lease *)row)->index;
}

static void lease_time(const report_ctx *c, const void *row, report_value *v)
{
    (void)c;
    v->a = (int64_t)((const state_lease *)row)->time_ms;
}

static const report_field lease_fields[] = {
    {"project", REPORT_TEXT, REPORT_AT_TEXT(state_lease, project)},
    {"program", REPORT_TEXT, REPORT_AT_TEXT(state_lease, program)},
    {"lessor", REPORT_TEXT, .get = lease_lessor},
    {"index", REPORT_COUNT, .get = lease_index},
    {"time", REPORT_TIME, .get = lease_time},
    {"equipment", REPORT_TEXT, REPORT_AT_TEXT(state_lease, equipment)},
    {"price", REPORT_AMOUNT, REPORT_AT_INT64(state_lease, price_fen)},
    {"down", REPORT_AMOUNT, REPORT_AT_INT64(state_lease, part_fen[LEASE_DOWN])},
    {"financing", REPORT_AMOUNT, REPORT_AT_INT64(state_lease, part_fen[LEASE_FINANCING])},
    {"advance", REPORT_AMOUNT, REPORT_AT_INT64(state_lease, part_fen[LEASE_ADVANCE])},
};
const report_desc report_lease = {lease_fields, N(lease_fields)};

#define OTHER(name, kind, member) {name, kind, REPORT_AT_INT64(query_project_other, member)}
static const report_field not_equity_fields[] = {
    {"project", REPORT_TEXT, REPORT_AT_TEXT(query_project_other, project)},
    OTHER("awards", REPORT_COUNT, awards),
    OTHER("awarded", REPORT_AMOUNT, award_fen),
    OTHER("leases", REPORT_COUNT, leases),
    OTHER("equipment_price", REPORT_AMOUNT, lease_price_fen),
    OTHER("lessor_financed", REPORT_AMOUNT, lease_financing_fen),
    OTHER("loans", REPORT_COUNT, loans),
    OTHER("lent", REPORT_AMOUNT, lent_fen),
    OTHER("repaid", REPORT_AMOUNT, repaid_fen),
    OTHER("losses", REPORT_AMOUNT, loss_fen),
    OTHER("subsidies", REPORT_COUNT, subsidies),
    OTHER("subsidised", REPORT_AMOUNT, subsidy_fen),
};
const report_desc report_not_equity = {not_equity_fields, N(not_equity_fields)};
