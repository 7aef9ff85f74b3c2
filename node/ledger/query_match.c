/* query_match.c — what a matching program could still do: the exits
 * attributed to it, what awaits a match, and the plan `match --auto`
 * proposes within every limit the rules check (query.h; the rules are in
 * rules_invest.c, whose arithmetic this follows: a plan the rules would
 * refuse is a bug here). */
#include "query.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "amount.h"
#include "caltime.h"
#include "crypto/cf_error.h"
#include "crypto/cf_i18n.h"
#include "crypto/cf_util.h"
#include "rules.h"

#define MS_PER_DAY UINT64_C(86400000)

__extension__ typedef __int128 wide;

/* ---- exits ------------------------------------------------------------------ */

struct fund_ctx {
    const ledger_kv *kv;
    uint8_t identity[32];
    const char *project;
    uint64_t as_of;
    int64_t invested_fen; /* what the fund's programs deployed in the project */
    bool operates;        /* the identity operates a matching program */
};

int query_identity(const ledger_kv *kv, const uint8_t key[32], uint8_t identity[32])
{
    state_member m;
    int err = state_member_get(kv, key, &m);
    if (err == CF_ENOTFOUND) { /* not a member: its key stands for itself */
        memcpy(identity, key, 32);
        return CF_OK;
    }
    if (err) return err;
    memcpy(identity, m.identity, 32);
    return CF_OK;
}

static int fund_program_visit(void *arg, const state_program *p)
{
    struct fund_ctx *c = arg;
    uint8_t id[32];
    state_series s;
    int64_t v;
    int err;
    if (p->pkind != PROGRAM_MATCH) return CF_OK;
    if ((err = query_identity(c->kv, p->operator_key, id)) != 0) return err;
    if (memcmp(id, c->identity, 32) != 0) return CF_OK;
    c->operates = true;
    state_series_project(&s, SERIES_PROJECT_DEPLOYED, p->id, c->project);
    if ((err = state_series_at(c->kv, &s, c->as_of, &v)) != 0) return err;
    return amount_add(c->invested_fen, v, &c->invested_fen) ? CF_OK : CF_EOVERFLOW;
}

int query_operator_deployed(const ledger_kv *kv, const uint8_t identity[32], const char *project,
                            uint64_t as_of, int64_t *deployed_fen, bool *operates)
{
    struct fund_ctx c = {.kv = kv, .project = project, .as_of = as_of};
    memcpy(c.identity, identity, 32);
    int err = state_programs_each(kv, fund_program_visit, &c);
    *deployed_fen = c.invested_fen;
    *operates = c.operates;
    return err;
}

int query_program_exited(const ledger_kv *kv, const state_program *pg, const char *project,
                         uint64_t as_of, int64_t deployed_fen, int64_t *exited_fen)
{
    struct fund_ctx c = {.kv = kv, .project = project, .as_of = as_of};
    state_series s;
    int64_t position;
    int err;
    *exited_fen = 0;
    if (deployed_fen <= 0) return CF_OK;
    if ((err = query_identity(kv, pg->operator_key, c.identity)) != 0) return err;
    if ((err = query_operator_deployed(kv, c.identity, project, as_of, &c.invested_fen,
                                       &c.operates)) != 0)
        return err;
    state_series_position(&s, project, c.identity);
    if ((err = state_series_at(kv, &s, as_of, &position)) != 0) return err;
    if (c.invested_fen <= 0 || position >= c.invested_fen) return CF_OK;
    int64_t exited = c.invested_fen - (position > 0 ? position : 0);
    if (deployed_fen > c.invested_fen) deployed_fen = c.invested_fen;
    *exited_fen = (int64_t)((wide)exited * deployed_fen / c.invested_fen);
    return CF_OK;
}

/* ---- R-MATCH.4 and R-MATCH.6 per contribution ------------------------------- */

/* What R-MATCH.4 still allows against sc: floor(num * amount / den) minus
 * what is allocated (num * amount <= 1000 * 10^15 < 2^63: entry.h). */
static int64_t ratio_room(const state_program *pg, const state_contribution *sc)
{
    int64_t room = (int64_t)pg->ratio_num * sc->amount_fen / (int64_t)pg->ratio_den -
                   sc->allocated_fen;
    return room > 0 ? room : 0;
}

/* R-MATCH.6 per (counterpart, project): floor(num * held / den) minus what
 * the program allocated against it there, less what a plan takes. */
typedef struct {
    uint8_t author[32];
    char project[STATE_ID_CAP];
    int64_t left_fen;
} hold_room;

typedef struct {
    hold_room *rows;
    size_t n, cap;
} hold_rooms;

static int hold_find(const ledger_kv *kv, const state_program *pg, hold_rooms *h,
                     const uint8_t author[32], const char *project, hold_room **out)
{
    for (size_t i = 0; i < h->n; i++)
        if (memcmp(h->rows[i].author, author, 32) == 0 &&
            strcmp(h->rows[i].project, project) == 0) {
            *out = &h->rows[i];
            return CF_OK;
        }
    int64_t held, allocated;
    int err = cf_reserve((void **)&h->rows, &h->cap, h->n, sizeof *h->rows, 8);
    if (err) return err;
    hold_room *r = &h->rows[h->n];
    if ((err = state_holding_latest(kv, author, project, &held)) != 0 ||
        (err = state_allocated_get(kv, pg->id, project, author, &allocated)) != 0)
        return err;
    memcpy(r->author, author, 32);
    memcpy(r->project, project, sizeof r->project);
    r->left_fen = held > 0 ? (int64_t)((wide)held * pg->ratio_num / pg->ratio_den) - allocated : 0;
    if (r->left_fen < 0) r->left_fen = 0;
    h->n++;
    *out = r;
    return CF_OK;
}

static bool in_window(const state_program *pg, uint64_t contributed_ms, uint64_t at_ms)
{
    if (at_ms == STATE_TIME_LATEST) return true;
    return contributed_ms <= at_ms &&
           at_ms - contributed_ms <= (uint64_t)pg->window_days * MS_PER_DAY;
}

/* A contribution reversed by as_of (R-REVERSE): nothing more is matched
 * against it (R-REVERSE.4), so it offers no room. */
int query_reversed_by(const ledger_kv *kv, const uint8_t author[32], uint64_t index,
                      uint64_t as_of, bool *reversed)
{
    state_reversal r;
    int err = state_reversed_get(kv, author, index, &r);
    *reversed = err == CF_OK && r.time_ms <= as_of;
    return err == CF_ENOTFOUND ? CF_OK : err;
}

/* ---- awaiting a match ---------------------------------------------------------- */

struct await_ctx {
    const ledger_kv *kv;
    const state_program *pg;
    uint64_t as_of, at_ms;
    hold_rooms holds;
    int64_t sum_fen;
    /* query_unmatched: every contribution with room, and the limits */
    query_unmatched_fn fn;
    void *arg;
    bool closed;
    const char *project; /* NULL: every project */
    query_unmatched_totals *totals;
};

/* What a limit leaves: limit - the series' current value (0 at least). */
static int left_under(const ledger_kv *kv, const state_series *s, int64_t limit, int64_t *left)
{
    int64_t used;
    int err = state_series_at(kv, s, STATE_TIME_LATEST, &used);
    if (err) return err;
    *left = limit > used ? limit - used : 0;
    return CF_OK;
}

/* A contribution awaiting a match, as query_unmatched reports it. */
static int unmatched_row(struct await_ctx *c, const state_contribution *sc, int64_t room,
                         int64_t matchable)
{
    query_unmatched_row r = {.c = *sc, .awaiting_fen = room, .matchable_fen = matchable};
    state_series s;
    int err;
    r.window_closes_ms = sc->time_ms + (uint64_t)c->pg->window_days * MS_PER_DAY;
    r.in_window = !c->closed && in_window(c->pg, sc->time_ms, c->at_ms);
    if ((r.has_cap = c->pg->has_cap)) {
        state_series_project(&s, SERIES_PROJECT_DEPLOYED, c->pg->id, sc->project);
        if ((err = left_under(c->kv, &s, c->pg->cap_fen, &r.cap_left_fen)) != 0) return err;
    }
    r.has_budget = c->totals->has_budget;
    r.budget_left_fen = c->totals->budget_left_fen;
    /* What the program can match now: the contributions' room within the
     * windows and holdings, no more per project than its cap leaves, no more
     * in all than the year's budget leaves. Rows come project by project. */
    query_unmatched_totals *t = c->totals;
    if (strcmp(t->project_, sc->project) != 0) {
        snprintf(t->project_, sizeof t->project_, "%s", sc->project);
        t->project_left_ = r.has_cap ? r.cap_left_fen : INT64_MAX;
    }
    int64_t take = matchable < t->project_left_ ? matchable : t->project_left_;
    t->project_left_ -= take;
    if (!amount_add(t->awaiting_fen, room, &t->awaiting_fen) ||
        !amount_add(t->matchable_fen, matchable, &t->matchable_fen) ||
        !amount_add(t->can_match_fen, take, &t->can_match_fen))
        return CF_EOVERFLOW;
    t->contributions++;
    return c->fn(c->arg, &r);
}

static int await_visit(void *arg, const uint8_t author[32], uint64_t index)
{
    struct await_ctx *c = arg;
    state_contribution sc;
    hold_room *h;
    bool reversed;
    int err = state_contribution_get(c->kv, author, index, &sc);
    if (err == CF_OK) err = query_reversed_by(c->kv, author, index, c->as_of, &reversed);
    if (err) return err;
    if (reversed || sc.time_ms > c->as_of) return CF_OK;
    if (c->project && strcmp(c->project, sc.project) != 0) return CF_OK;
    bool open = !c->closed && in_window(c->pg, sc.time_ms, c->at_ms);
    if (!open && c->fn == NULL) return CF_OK;
    int64_t room = ratio_room(c->pg, &sc), matchable = 0;
    if (room == 0) return CF_OK;
    if (open) {
        if ((err = hold_find(c->kv, c->pg, &c->holds, author, sc.project, &h)) != 0) return err;
        matchable = room > h->left_fen ? h->left_fen : room;
        h->left_fen -= matchable;
    }
    if (c->fn) return unmatched_row(c, &sc, room, matchable);
    return amount_add(c->sum_fen, matchable, &c->sum_fen) ? CF_OK : CF_EOVERFLOW;
}

int query_program_awaiting(const ledger_kv *kv, const state_program *pg, uint64_t as_of,
                           uint64_t at_ms, int64_t *awaiting_fen)
{
    struct await_ctx c = {.kv = kv, .pg = pg, .as_of = as_of, .at_ms = at_ms};
    *awaiting_fen = 0;
    if (pg->pkind != PROGRAM_MATCH || pg->ratio_den == 0) return CF_OK;
    int err = state_queue_each(kv, pg->id, NULL, NULL, await_visit, &c);
    free(c.holds.rows);
    if (err) return err;
    *awaiting_fen = c.sum_fen;
    return CF_OK;
}

int query_unmatched(const ledger_kv *kv, const state_program *pg, const char *project,
                    uint64_t at_ms, int32_t tz_min, bool closed, query_unmatched_fn fn, void *arg,
                    query_unmatched_totals *out)
{
    struct await_ctx c = {.kv = kv, .pg = pg, .as_of = STATE_TIME_LATEST, .at_ms = at_ms,
                          .fn = fn, .arg = arg, .closed = closed, .project = project,
                          .totals = out};
    state_series s;
    int err;
    memset(out, 0, sizeof *out);
    if (pg->pkind != PROGRAM_MATCH || pg->ratio_den == 0) return CF_OK;
    out->year = caltime_year(at_ms, tz_min);
    if ((out->has_budget = pg->has_budget)) {
        state_series_year(&s, SERIES_YEAR_DEPLOYED, pg->id, out->year);
        if ((err = left_under(kv, &s, pg->budget_fen, &out->budget_left_fen)) != 0) return err;
    }
    err = state_queue_each(kv, pg->id, NULL, NULL, await_visit, &c);
    free(c.holds.rows);
    if (out->has_budget && out->can_match_fen > out->budget_left_fen)
        out->can_match_fen = out->budget_left_fen;
    return err;
}

/* ---- the plan of match --auto ------------------------------------------------ */

const char *query_bound_rule(query_bound b)
{
    switch (b) {
    case QUERY_BOUND_CAP: return "R-CAP";
    case QUERY_BOUND_BUDGET: return "R-BUDGET";
    case QUERY_BOUND_RATIO: return "R-MATCH.4";
    case QUERY_BOUND_HOLDINGS: return "R-MATCH.6";
    case QUERY_BOUND_CITES: return "citations";
    default: return "asked";
    }
}

const char *query_bound_text(query_bound b)
{
    switch (b) {
    /* N_(): the CLI prints them translated (cmd_invest.c) */
    case QUERY_BOUND_CAP: return N_("the program's cap left in the project");
    case QUERY_BOUND_BUDGET: return N_("the program's annual budget left for the year");
    case QUERY_BOUND_RATIO:
        return N_("the round's contributions that asked the program, within its window, at its "
                  "ratio, not yet matched");
    case QUERY_BOUND_HOLDINGS: return N_("what the counterparts still hold in the project");
    case QUERY_BOUND_CITES: return N_("the citations one match may carry");
    default: return N_("the amount asked");
    }
}

struct plan_ctx {
    const ledger_kv *kv;
    const state_program *pg;
    uint64_t time_ms;
    int64_t limit_fen; /* min(asked, cap left, budget left) */
    hold_rooms holds;
    query_match_plan *out;
    bool held_back; /* R-MATCH.6 took something away */
    bool full;      /* no more citations */
};

static int plan_visit(void *arg, const uint8_t author[32], uint64_t index)
{
    struct plan_ctx *c = arg;
    query_match_plan *p = c->out;
    state_contribution sc;
    hold_room *h;
    bool reversed;
    int err = state_contribution_get(c->kv, author, index, &sc);
    if (err == CF_OK) err = query_reversed_by(c->kv, author, index, STATE_TIME_LATEST, &reversed);
    if (err) return err;
    if (reversed) return CF_OK;                                 /* R-REVERSE.4 */
    if (!in_window(c->pg, sc.time_ms, c->time_ms)) return CF_OK; /* R-MATCH.3 */
    int64_t room = ratio_room(c->pg, &sc);                      /* R-MATCH.4 */
    if (room == 0) return CF_OK;
    if ((err = hold_find(c->kv, c->pg, &c->holds, author, sc.project, &h)) != 0) return err;
    if (room > h->left_fen) { /* R-MATCH.6 */
        room = h->left_fen;
        c->held_back = true;
    }
    if (room == 0) return CF_OK;
    if (!amount_add(p->eligible_fen, room, &p->eligible_fen)) p->eligible_fen = INT64_MAX;
    int64_t take = c->limit_fen - p->total_fen;
    if (take <= 0) return CF_OK; /* counting what is eligible only */
    if (p->ncites == ENTRY_CITES_MAX) {
        c->full = true;
        return CF_OK;
    }
    if (take > room) take = room;
    entry_cite *ct = &p->cites[p->ncites++];
    memset(ct, 0, sizeof *ct);
    memcpy(ct->author, author, 32);
    ct->index = index;
    memcpy(ct->leaf, sc.leaf, 32);
    ct->amount_fen = take;
    h->left_fen -= take;
    p->total_fen += take;
    return CF_OK;
}

int query_match_auto(const ledger_kv *kv, const state_program *pg, const char *project,
                     const char *round, uint64_t time_ms, int32_t tz_min, int64_t want_fen,
                     query_match_plan *out)
{
    struct plan_ctx c = {.kv = kv, .pg = pg, .time_ms = time_ms, .limit_fen = want_fen,
                         .out = out};
    state_series s;
    int err;
    memset(out, 0, sizeof *out);
    out->bound = QUERY_BOUND_ASKED;
    out->year = caltime_year(time_ms, tz_min);
    if (pg->has_cap) {
        out->has_cap = true;
        state_series_project(&s, SERIES_PROJECT_DEPLOYED, pg->id, project);
        if ((err = left_under(kv, &s, pg->cap_fen, &out->cap_left_fen)) != 0) return err;
        if (out->cap_left_fen < c.limit_fen) {
            c.limit_fen = out->cap_left_fen;
            out->bound = QUERY_BOUND_CAP;
        }
    }
    if (pg->has_budget) {
        out->has_budget = true;
        state_series_year(&s, SERIES_YEAR_DEPLOYED, pg->id, out->year);
        if ((err = left_under(kv, &s, pg->budget_fen, &out->budget_left_fen)) != 0) return err;
        if (out->budget_left_fen < c.limit_fen) {
            c.limit_fen = out->budget_left_fen;
            out->bound = QUERY_BOUND_BUDGET;
        }
    }
    err = state_queue_each(kv, pg->id, project, round, plan_visit, &c);
    free(c.holds.rows);
    if (err) return err;
    if (out->total_fen < c.limit_fen) /* the contributions bound it, not a limit */
        out->bound = c.full ? QUERY_BOUND_CITES
                            : c.held_back ? QUERY_BOUND_HOLDINGS : QUERY_BOUND_RATIO;
    return CF_OK;
}

int query_year_terms(const ledger_kv *kv, const char *program, int year, uint64_t as_of,
                     state_program *out)
{
    state_network n;
    int err = state_network_get(kv, &n);
    if (err == CF_OK) err = state_program_get(kv, program, strlen(program), out);
    if (err) return err;
    uint64_t end = caltime_year_start(year + 1, n.tz_min) - 1;
    return state_terms_in_force(kv, out, end < as_of ? end : as_of, UINT64_MAX, NULL, NULL);
}
