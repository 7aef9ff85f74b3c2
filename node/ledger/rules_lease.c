/* rules_lease.c — equipment leasing ("three a bit") and demonstration
 * awards: R-LEASE.1-3 and R-AWARD.1-4 (docs/rules.md has the arithmetic).
 * Both are written by their program's operator alone, so every figure they
 * read is that operator's own feed.
 *
 *   R-LEASE.1 a lease's three parts are each positive
 *   R-LEASE.2 down payment + financing + advance = price, exactly
 *   R-LEASE.3 each part's share of the price is within the program's bounds
 *             (min% × price <= 100 × part <= max% × price); at registration,
 *             the bounds must admit a lease (Σ min <= 100 <= Σ max)
 *   R-AWARD.1 the amount is one the program allows
 *   R-AWARD.2 the project is registered as of gov
 *   R-AWARD.3 one award per program, project, amount (level) and year
 *   R-AWARD.4 the program's awards for the year stay within its budget
 *   (R-AWARD.5, certification required, is in rules_subsidy.c)
 *
 * A lease or an award is reversed (R-REVERSE) whenever its operator says:
 * nothing else stands on it. Its record keeps the reversal's time, so
 * listings as of before it still show it; an award's year gets its amount
 * back, and the same award may be entered again (R-AWARD.3: one standing).
 */
#include <stdio.h>
#include <string.h>

#include "amount.h"
#include "crypto/cf_error.h"
#include "rules.h"
#include "rules_internal.h"

static const char *const part_names[LEASE__PARTS] = {
    [LEASE_DOWN] = N_("the enterprise's down payment"),
    [LEASE_FINANCING] = N_("the lessor's financing"),
    [LEASE_ADVANCE] = N_("the supplier's advance"),
};

/* ---- leasing programs --------------------------------------------------- */

int rules__check_leasing_program(rule_ctx *c, const entry *e, diag *d)
{
    const body_program *b = &e->body.program;
    const bool has[LEASE__PARTS] = {b->has_down, b->has_financing, b->has_advance};
    const pct_range r[LEASE__PARTS] = {b->down, b->financing, b->advance};
    uint32_t min = 0, max = 0;
    (void)c;
    for (int i = 0; i < LEASE__PARTS; i++) {
        min += has[i] ? r[i].min_pct : 0;
        max += has[i] ? r[i].max_pct : PERCENT_MAX;
    }
    if (min > PERCENT_MAX || max < PERCENT_MAX)
        return diag_set(d, CF_EREJECTED, "R-LEASE.3",
                        "bounds admit no lease: the parts' minimums sum to %u%% and their "
                        "maximums to %u%% of the price",
                        min, max);
    return CF_OK;
}

/* ---- leases ------------------------------------------------------------- */

/* part / price as "37.50%" (rounded down to 0.01%). */
static void pct_text(int64_t part, int64_t price, char out[24])
{
    int64_t bp = part * 10000 / price; /* part <= 10^15: fits */
    snprintf(out, 24, "%lld.%02lld%%", (long long)(bp / 100), (long long)(bp % 100));
}

int rules__check_lease(rule_ctx *c, const entry *e, diag *d)
{
    const body_lease *b = &e->body.lease;
    const state_program *pg = &c->program;
    const int64_t part[LEASE__PARTS] = {b->down_fen, b->financing_fen, b->advance_fen};
    state_project pj;
    char a[AMOUNT_TEXT_BYTES], p[AMOUNT_TEXT_BYTES], s[AMOUNT_TEXT_BYTES], pct[24];
    int err = rules__project_as_of(c, b->project, e->gov, "R-REF", &pj, d);
    if (err) return err;
    for (int i = 0; i < LEASE__PARTS; i++)
        if (part[i] == 0)
            return diag_set(d, CF_EREJECTED, "R-LEASE.1",
                            "%s is 0.00: a lease has all three parts, each positive",
                            _(part_names[i]));
    /* Each part <= 10^15 (entry.h): the sum fits. */
    int64_t sum = part[0] + part[1] + part[2];
    if (sum != b->price_fen) {
        amount_format(sum, s);
        amount_format(b->price_fen, p);
        amount_format(sum > b->price_fen ? sum - b->price_fen : b->price_fen - sum, a);
        return diag_set(d, CF_EREJECTED, "R-LEASE.2",
                        "the parts sum to %s, %s the price %s by %s", s,
                        sum > b->price_fen ? _("over") : _("under"), p, a);
    }
    amount_format(b->price_fen, p);
    for (int i = 0; i < LEASE__PARTS; i++) {
        if (!pg->has_part[i]) continue;
        /* percent <= 100 and amounts <= 10^15: the products fit (entry.h). */
        int64_t scaled = (int64_t)PERCENT_MAX * part[i];
        bool low = scaled < (int64_t)pg->part[i].min_pct * b->price_fen;
        bool high = scaled > (int64_t)pg->part[i].max_pct * b->price_fen;
        if (!low && !high) continue;
        amount_format(part[i], a);
        pct_text(part[i], b->price_fen, pct);
        return diag_set(d, CF_EREJECTED, "R-LEASE.3",
                        "%s %s is %s of the price %s; program %s allows %u%% to %u%%",
                        _(part_names[i]), a, pct, p, pg->id, pg->part[i].min_pct,
                        pg->part[i].max_pct);
    }
    return CF_OK;
}

int rules__apply_lease(rule_ctx *c, const entry *e, diag *d)
{
    const body_lease *b = &e->body.lease;
    state_lease l = {.index = e->index, .time_ms = e->time_ms, .price_fen = b->price_fen,
                     .part_fen = {b->down_fen, b->financing_fen, b->advance_fen}};
    memcpy(l.author, e->author, 32);
    memcpy(l.leaf, c->leaf, 32);
    rules__cstr(b->project, l.project);
    memcpy(l.program, c->program.id, sizeof l.program);
    memcpy(l.equipment, b->equipment.s, b->equipment.n);
    l.equipment[b->equipment.n] = '\0';
    int err = state_lease_put(c->kv, &l);
    if (err) return rules__state_error(d, err, N_("leases"));
    return rules__record_instrument(c, e, l.program, l.project, 0, NULL, 0, d);
}

/* ---- awards ------------------------------------------------------------- */

int rules__check_award(rule_ctx *c, const entry *e, diag *d)
{
    const body_award *b = &e->body.award;
    const state_program *pg = &c->program;
    state_project pj;
    state_award prior;
    state_series s;
    int64_t current;
    char a[AMOUNT_TEXT_BYTES], x[AMOUNT_TEXT_BYTES], y[AMOUNT_TEXT_BYTES], project[STATE_ID_CAP];
    int err;
    amount_format(b->amount_fen, a);
    bool allowed = false;
    for (size_t i = 0; i < pg->nlevels; i++) allowed |= pg->levels_fen[i] == b->amount_fen;
    if (!allowed) {
        char levels[AWARD_LEVELS_MAX * (AMOUNT_TEXT_BYTES + 4)] = "";
        size_t n = 0;
        for (size_t i = 0; i < pg->nlevels; i++) {
            amount_format(pg->levels_fen[i], x);
            n += (size_t)snprintf(levels + n, sizeof levels - n, "%s%s",
                                  i == 0 ? "" : i + 1 == pg->nlevels ? _(" or ") : _(", "), x);
        }
        return diag_set(d, CF_EREJECTED, "R-AWARD.1",
                        "award %s is not an amount program %s allows (%s)", a, pg->id, levels);
    }
    if ((err = rules__project_as_of(c, b->project, e->gov, "R-AWARD.2", &pj, d)) != 0) return err;
    if ((err = rules__check_award_certified(c, e, d)) != 0) return err;
    rules__cstr(b->project, project);
    err = state_award_get(c->kv, pg->id, (int)b->year, project, b->amount_fen, &prior);
    if (err == CF_OK)
        return diag_set(d, CF_EREJECTED, "R-AWARD.3",
                        "project %s already has program %s's %s award for %u (%s#%llu)", project,
                        pg->id, a, b->year, c->author.name, (unsigned long long)prior.index);
    if (err != CF_OK && err != CF_ENOTFOUND) return rules__state_error(d, err, N_("awards"));
    state_series_year(&s, SERIES_AWARD_YEAR, pg->id, (int)b->year);
    if ((err = rules__head_value(c, &s, &current)) != 0) return rules__state_error(d, err, N_("awards"));
    int64_t next;
    if (!amount_add(current, b->amount_fen, &next))
        return diag_set(d, CF_EREJECTED, "R-SUM", "program %s's awards for %u would overflow",
                        pg->id, b->year);
    if (pg->has_budget && next > pg->budget_fen) {
        amount_format(current, x);
        amount_format(pg->budget_fen, y);
        return diag_set(d, CF_EREJECTED, "R-AWARD.4",
                        "award %s would take program %s over its annual budget of %s for %u (%s "
                        "already awarded)",
                        a, pg->id, y, b->year, x);
    }
    return CF_OK;
}

int rules__apply_award(rule_ctx *c, const entry *e, diag *d)
{
    const body_award *b = &e->body.award;
    state_award w = {.year = (int)b->year, .amount_fen = b->amount_fen, .index = e->index,
                     .time_ms = e->time_ms};
    state_series s;
    memcpy(w.program, c->program.id, sizeof w.program);
    memcpy(w.author, e->author, 32);
    rules__cstr(b->project, w.project);
    int err = state_award_put(c->kv, &w);
    if (err) return rules__state_error(d, err, N_("awards"));
    if ((err = rules__record_instrument(c, e, w.program, w.project, w.year, NULL, 0, d)) != 0)
        return err;
    state_series_year(&s, SERIES_AWARD_YEAR, w.program, w.year);
    return rules__add(c, &s, e->time_ms, b->amount_fen, "awards", d);
}

/* ---- reversals (R-REVERSE): always allowed -------------------------------- */

int rules__apply_reverse_lease(rule_ctx *c, const entry *e, const state_entry_rec *r, diag *d)
{
    state_series s;
    int err;
    if (r->type == ENTRY_LEASE) {
        state_lease l;
        if ((err = state_lease_get(c->kv, r->project, r->author, r->index, &l)) == CF_OK) {
            l.reversed_ms = e->time_ms;
            err = state_lease_put(c->kv, &l);
        }
        return err ? rules__state_error(d, err, N_("leases")) : CF_OK;
    }
    state_award w;
    if ((err = state_award_of(c->kv, r->program, r->year, r->project, r->amount_fen, r->author,
                              r->index, &w)) == CF_OK) {
        w.reversed_ms = e->time_ms;
        err = state_award_put(c->kv, &w);
    }
    if (err) return rules__state_error(d, err, N_("awards"));
    state_series_year(&s, SERIES_AWARD_YEAR, r->program, r->year);
    return rules__add(c, &s, e->time_ms, -r->amount_fen, "awards", d);
}
