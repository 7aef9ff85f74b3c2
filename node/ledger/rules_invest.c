/* rules_invest.c — contributions, matches and exits: R-REF, R-MATCH.1-5,
 * R-CAP, R-BUDGET, R-EXIT and R-SUM (docs/rules.md has the arithmetic).
 *
 *   R-MATCH.1 a match cites at least one contribution, each at most once
 *   R-MATCH.2 each cited entry exists with that leaf hash, is a contribution
 *             by a member whose role the program accepts, and names the same
 *             project, round and program
 *   R-MATCH.3 contribution time <= match time <= contribution time + window
 *   R-MATCH.4 per citation: allocated so far + allocation <=
 *             floor(num * contribution / den); the match amount is the sum of
 *             its allocations
 *   R-MATCH.5 the match is not earlier than the program's start
 *   R-MATCH.6 each counterpart still holds, as of the citation's read point
 *             (how far the author had read its feed), the counterpart capital
 *             that the program's matches allocate against it in the project
 *   R-CAP     the program's total in the project stays within its cap
 *   R-BUDGET  the program's total in the match's calendar year (in the
 *             network's time zone) stays within its annual budget
 *   R-EXIT    an exit never exceeds the author's position in the project
 *   R-SUM     no running total leaves int64 (overflow is a rejection)
 *   R-FORK    a citation of a forked feed at or past its point is disputed:
 *             not checked (R-MATCH.2-4), not counted as counterpart capital,
 *             counted in the program's caps and budgets, and kept apart as
 *             disputed (docs/rules.md)
 */
#include <stdio.h>
#include <string.h>

#include "amount.h"
#include "caltime.h"
#include "crypto/cf_error.h"
#include "rules.h"
#include "rules_internal.h"

#define MS_PER_DAY UINT64_C(86400000)

/* ---- contributions ------------------------------------------------------ */

/* R-MATCH.6 reads a holder's position in a project as of an index of its
 * feed (state_holding_at): the position after each of its entries that
 * changes it is kept, written from its own records (not from the position
 * series), by this feed only. */
int rules__mark_holding(rule_ctx *c, const entry *e, const char *project, int64_t delta,
                        diag *d)
{
    state_holding own, h;
    int err = state_holding_get(c->kv, e->author, project, &own);
    /* R-KEY: a new key's holding goes on from the nearest earlier key of the
     * member that held in the project (R-KEY.3 has applied their feeds to
     * their ends): the holding is the member's. */
    const state_holding *from = &own;
    if (err == CF_OK && !own.exists && c->author.has_prev) {
        state_member k = c->author;
        h = own;
        while (err == CF_OK && !h.exists && k.has_prev) {
            uint8_t prev[32];
            memcpy(prev, k.prev, 32);
            if ((err = state_holding_get(c->kv, prev, project, &h)) == CF_OK && !h.exists)
                err = rules__member_get(c, prev, &k);
        }
        from = &h;
    }
    if (err) return rules__state_error(d, err, N_("holdings"));
    int64_t held;
    if (!amount_add(from->position, delta, &held))
        return diag_set(d, CF_EREJECTED, "R-SUM", "the author's holding would overflow");
    err = state_holding_put(c->kv, e->author, project, &own, e->index, e->time_ms, held);
    return err ? rules__state_error(d, err, N_("holdings")) : CF_OK;
}

/* What contributions asked a program for is kept per (program, contributor)
 * (the contributor's member name), not per program: a per-program series
 * would change through every contributor's feed, so its points would arrive
 * out of time order and its R-SUM check would depend on which feeds a node
 * had applied. Per contributor, it changes only through one feed, and
 * query_program_totals sums the contributors. */

int rules__check_contribution(rule_ctx *c, const entry *e, diag *d)
{
    const body_contribution *b = &e->body.contribution;
    state_project pj;
    state_program pg;
    state_series s;
    char project[STATE_ID_CAP];
    int err;

    if ((err = rules__project_as_of(c, b->project, e->gov, "R-REF", &pj, d)) != 0) return err;
    if (b->has_program) {
        if ((err = rules__program_as_of(c, b->program, e->gov, &pg, d)) != 0) return err;
        if (pg.pkind != PROGRAM_MATCH)
            return diag_set(d, CF_EREJECTED, "R-REF",
                            "program %s is a %s program; a contribution names a match program",
                            pg.id, pg.kind);
        if (!(pg.counterpart_roles & ROLE_BIT(c->author.role)))
            return diag_set(d, CF_EREJECTED, "R-REF",
                            "program %s does not take contributions from a %s", pg.id,
                            role_name(c->author.role));
        if ((err = rules__terms_for(c, e, &pg, true, d)) != 0) return err; /* R-CLOSE.2 */
    }
    rules__cstr(b->project, project);
    if (b->has_program) {
        state_series_project(&s, SERIES_PROGRAM_REQUESTED, pg.id, c->author.name);
        if ((err = rules__sum_fits(c, &s, b->amount_fen,
                                   N_("the author's total requested from the program"), d)) != 0)
            return err;
    }
    state_series_position(&s, project, c->author.identity);
    return rules__sum_fits(c, &s, b->amount_fen, N_("the author's position"), d);
}

int rules__apply_contribution(rule_ctx *c, const entry *e, diag *d)
{
    const body_contribution *b = &e->body.contribution;
    state_contribution sc = {.index = e->index, .time_ms = e->time_ms,
                             .amount_fen = b->amount_fen};
    state_series s;
    memcpy(sc.author, e->author, 32);
    memcpy(sc.leaf, c->leaf, 32);
    rules__cstr(b->project, sc.project);
    rules__cstr(b->round, sc.round);
    if (b->has_program) rules__cstr(b->program, sc.program);
    int err = state_contribution_put(c->kv, &sc);
    if (err) return rules__state_error(d, err, N_("contributions"));
    if (b->has_program) {
        if ((err = state_queue_put(c->kv, &sc)) != 0)
            return rules__state_error(d, err, N_("the match queue"));
        state_series_project(&s, SERIES_PROGRAM_REQUESTED, sc.program, c->author.name);
        if ((err = rules__head_add(c, &s, e->time_ms, b->amount_fen)) != 0)
            return rules__state_error(d, err, N_("program totals"));
    }
    if ((err = rules__mark_holding(c, e, sc.project, b->amount_fen, d)) != 0) return err;
    state_series_position(&s, sc.project, c->author.identity);
    err = rules__head_add(c, &s, e->time_ms, b->amount_fen);
    return err ? rules__state_error(d, err, N_("positions")) : CF_OK;
}

/* ---- matches ------------------------------------------------------------ */

/* Messages name a cited contribution by its author's member name. Built
 * only when a message needs it (it reads the member record). */
static void cite_label(const rule_ctx *c, const entry_cite *ct, char label[STATE_ID_CAP])
{
    ledger_member_label(c->kv, ct->author, label, STATE_ID_CAP);
}

/* R-MATCH.2-4 for one citation whose contribution is applied here; *sc
 * receives the contribution (for the match's apply). */
static int check_cite(rule_ctx *c, const entry *e, const state_program *pg,
                      const entry_cite *ct, state_contribution *sc, int64_t *counter_new,
                      diag *d)
{
    const body_match *b = &e->body.match;
    state_member who;
    char label[STATE_ID_CAP], a1[AMOUNT_TEXT_BYTES], a2[AMOUNT_TEXT_BYTES];
    char t1[CALTIME_TEXT_BYTES], t0[CALTIME_TEXT_BYTES];
    unsigned long long idx = (unsigned long long)ct->index;

    int err = state_contribution_get(c->kv, ct->author, ct->index, sc);
    if (err == CF_ENOTFOUND) {
        cite_label(c, ct, label);
        return diag_set(d, CF_EREJECTED, "R-MATCH.2", "%s#%llu is not a contribution", label, idx);
    }
    if (err) return rules__state_error(d, err, N_("contributions"));
    if (memcmp(sc->leaf, ct->leaf, 32) != 0) {
        cite_label(c, ct, label);
        return diag_set(d, CF_EREJECTED, "R-MATCH.2",
                        "leaf hash cited for %s#%llu does not match the entry (stale or forged)",
                        label, idx);
    }
    /* R-REVERSE.4: a contribution reversed at or before the match's read
     * point of its feed is not matched (a reversal the match did not read
     * yet is the audit's to flag: every node decides alike). */
    state_reversal rv;
    err = state_reversed_get(c->kv, ct->author, ct->index, &rv);
    if (err == CF_OK && rv.index <= entry_cite_last(ct)) {
        cite_label(c, ct, label);
        return diag_set(d, CF_EREJECTED, "R-REVERSE.4",
                        "contribution %s#%llu was reversed by %s#%llu: a reversed entry is "
                        "not matched",
                        label, idx, label, (unsigned long long)rv.index);
    }
    if (err != CF_OK && err != CF_ENOTFOUND) return rules__state_error(d, err, N_("reversals"));
    /* The contributor is named by the match, so it must be a member as of
     * the match's gov (R-REF), like everything else the match reads. */
    err = rules__member_as_of(c, ct->author, e->gov, &who, d);
    if (err == CF_ENOTFOUND) {
        cite_label(c, ct, label);
        return diag_set(d, CF_EREJECTED, "R-MATCH.2",
                        "%s#%llu is by %s, not a member as of governance size %llu", label, idx,
                        label, (unsigned long long)e->gov);
    }
    if (err) return err;
    if (!(pg->counterpart_roles & ROLE_BIT(who.role))) {
        char roles[64];
        cite_label(c, ct, label);
        role_set_text(pg->counterpart_roles, ", ", roles, sizeof roles);
        return diag_set(d, CF_EREJECTED, "R-MATCH.2",
                        "%s#%llu is by a %s; program %s matches %s", label, idx,
                        role_name(who.role), pg->id, roles);
    }
    if (!entry_text_eq(b->project, sc->project)) {
        cite_label(c, ct, label);
        return diag_set(d, CF_EREJECTED, "R-MATCH.2", "%s#%llu is for project %s, not %.*s",
                        label, idx, sc->project, (int)b->project.n, b->project.s);
    }
    if (!entry_text_eq(b->round, sc->round)) {
        cite_label(c, ct, label);
        return diag_set(d, CF_EREJECTED, "R-MATCH.2", "%s#%llu is for round %s, not %.*s",
                        label, idx, sc->round, (int)b->round.n, b->round.s);
    }
    if (!entry_text_eq(b->program, sc->program)) {
        cite_label(c, ct, label);
        return diag_set(d, CF_EREJECTED, "R-MATCH.2",
                        sc->program[0] ? "%s#%llu asks to be matched by program %s, not %s"
                                       : "%s#%llu names no program%s; it cannot be matched by %s",
                        label, idx, sc->program, pg->id);
    }

    if (e->time_ms < sc->time_ms) {
        cite_label(c, ct, label);
        caltime_format(e->time_ms, c->net.tz_min, t1);
        caltime_format(sc->time_ms, c->net.tz_min, t0);
        return diag_set(d, CF_EREJECTED, "R-MATCH.3",
                        "match time %s is before contribution %s#%llu (%s)", t1, label, idx, t0);
    }
    if (e->time_ms - sc->time_ms > (uint64_t)pg->window_days * MS_PER_DAY) {
        cite_label(c, ct, label);
        caltime_format(e->time_ms, c->net.tz_min, t1);
        caltime_format(sc->time_ms, c->net.tz_min, t0);
        return diag_set(d, CF_EREJECTED, "R-MATCH.3",
                        "match time %s is more than %u days after contribution %s#%llu (%s)",
                        t1, pg->window_days, label, idx, t0);
    }

    /* num * amount <= 1000 * 10^15 < 2^63 (entry.h), so this is exact. */
    int64_t ceiling = (int64_t)pg->ratio_num * sc->amount_fen / (int64_t)pg->ratio_den;
    int64_t room = ceiling - sc->allocated_fen;
    if (ct->amount_fen > room) {
        int64_t unmatched = sc->amount_fen -
                            sc->allocated_fen * (int64_t)pg->ratio_den / (int64_t)pg->ratio_num;
        cite_label(c, ct, label);
        amount_format(ct->amount_fen, a1);
        amount_format(unmatched, a2);
        return diag_set(d, CF_EREJECTED, "R-MATCH.4",
                        "%s %s exceeds %u:%u × unmatched %s of contribution %s#%llu",
                        b->ncites == 1 ? _("match") : _("allocation"), a1, pg->ratio_num,
                        pg->ratio_den, a2, label, idx);
    }
    if (sc->allocated_fen == 0 && !amount_add(*counter_new, sc->amount_fen, counter_new))
        return diag_set(d, CF_EREJECTED, "R-SUM", "counterpart capital would overflow");
    return CF_OK;
}

/* x * m as a 128-bit (hi, lo) pair, for x >= 0 and m < 2^32: exact
 * comparisons of products whatever the state holds. */
static void mul_wide(int64_t x, uint32_t m, uint64_t *hi, uint64_t *lo)
{
    const uint64_t mask = UINT64_C(0xffffffff);
    uint64_t u = (uint64_t)x;
    uint64_t low = (u & mask) * m;
    uint64_t high = (u >> 32) * m + (low >> 32);
    *hi = high >> 32;
    *lo = (high << 32) | (low & mask);
}

/* den * allocated <= num * held: the counterpart capital held covers what
 * the fund allocated at the program's ratio num : den (fund : counterpart). */
static bool capital_covers(int64_t held, int64_t allocated, const state_program *pg)
{
    uint64_t ah, al, hh, hl;
    if (allocated <= 0) return true;
    if (held <= 0) return false;
    mul_wide(allocated, pg->ratio_den, &ah, &al);
    mul_wide(held, pg->ratio_num, &hh, &hl);
    return ah < hh || (ah == hh && al <= hl);
}

/* The counterpart capital that allocations stand on, rounded up to the fen:
 * ceil(den * allocated / num), for messages (saturated). */
static int64_t capital_needed(int64_t allocated, const state_program *pg)
{
    if (allocated > (INT64_MAX - (int64_t)pg->ratio_num) / (int64_t)pg->ratio_den)
        return INT64_MAX;
    return (allocated * (int64_t)pg->ratio_den + (int64_t)pg->ratio_num - 1) /
           (int64_t)pg->ratio_num;
}

/* R-MATCH.6 for the counterpart of citation i (checked, not disputed; its
 * read point applied here): the counterpart's position in the project,
 * counting its entries below the match's read point of its feed (the
 * furthest its checked citations state), must cover, at the program's
 * ratio, what the program's earlier matches and this one allocate against
 * it there. Reads the counterpart's own records up to that point and the
 * program's allocations, which only this (the operator's) feed writes. */
static int check_holds(rule_ctx *c, const entry *e, const state_program *pg, size_t i,
                       const char *project, diag *d)
{
    const body_match *b = &e->body.match;
    const entry_cite *ct = &b->cites[i];
    int64_t before, allocated, held;
    int err = state_allocated_get(c->kv, pg->id, project, ct->author, &before);
    if (err) return rules__state_error(d, err, N_("allocations"));
    allocated = before;
    uint64_t last = 0;
    for (size_t k = 0; k < b->ncites; k++) {
        if (c->cite_disputed[k] || memcmp(b->cites[k].author, ct->author, 32) != 0) continue;
        if (entry_cite_last(&b->cites[k]) > last) last = entry_cite_last(&b->cites[k]);
        if (!amount_add(allocated, b->cites[k].amount_fen, &allocated))
            return diag_set(d, CF_EREJECTED, "R-SUM",
                            "the program's allocations against a counterpart would overflow");
    }
    if ((err = state_holding_at(c->kv, ct->author, project, last, &held)) != 0)
        return rules__state_error(d, err, N_("holdings"));
    if (capital_covers(held, allocated, pg)) return CF_OK;

    char label[STATE_ID_CAP], need[AMOUNT_TEXT_BYTES], have[AMOUNT_TEXT_BYTES];
    char a1[AMOUNT_TEXT_BYTES], a0[AMOUNT_TEXT_BYTES];
    cite_label(c, ct, label);
    amount_format(capital_needed(allocated, pg), need);
    amount_format(held, have);
    amount_format(allocated, a1);
    amount_format(before, a0);
    return diag_set(d, CF_EREJECTED, "R-MATCH.6",
                    "program %s's matches would stand on %s of %s's capital in project %s "
                    "(%u:%u, allocated %s, %s before this match), but %s held %s there as of "
                    "the match's read point (%s#%llu): the fund never invests alone",
                    pg->id, need, label, project, pg->ratio_num, pg->ratio_den, a1, a0, label,
                    have, label, (unsigned long long)last);
}

/* R-CAP / R-BUDGET: the series can take amount without passing limit. The
 * message says "over its cap of <limit> in project <project>" or, with
 * project NULL, "over its annual budget of <limit> for <year>". */
static int check_limit(rule_ctx *c, const state_series *s, int64_t amount,
                       int64_t limit, const char *rule, const state_program *pg,
                       const char *project, int year, diag *d)
{
    int64_t current;
    int64_t next;
    char a[AMOUNT_TEXT_BYTES], u[AMOUNT_TEXT_BYTES], lim[AMOUNT_TEXT_BYTES], what[160];
    int err = rules__head_value(c, s, &current);
    if (err) return rules__state_error(d, err, N_("program totals"));
    if (!amount_add(current, amount, &next))
        return diag_set(d, CF_EREJECTED, "R-SUM", "program %s's total would overflow", pg->id);
    if (next <= limit) return CF_OK;
    amount_format(limit, lim);
    if (project != NULL)
        snprintf(what, sizeof what, _("cap of %s in project %s"), lim, project);
    else
        snprintf(what, sizeof what, _("annual budget of %s for %d"), lim, year);
    amount_format(amount, a);
    amount_format(current, u);
    return diag_set(d, CF_EREJECTED, rule,
                    "match %s would take program %s over its %s (%s already matched)", a,
                    pg->id, what, u);
}

int rules__check_match(rule_ctx *c, const entry *e, diag *d)
{
    const body_match *b = &e->body.match;
    const state_program pg = c->program; /* R-REF: rules.c, load_program */
    state_project pj;
    state_series s;
    char label[STATE_ID_CAP], project[STATE_ID_CAP];
    int err;

    if ((err = rules__project_as_of(c, b->project, e->gov, "R-REF", &pj, d)) != 0) return err;
    bool is_operator;
    if ((err = rules__same_member(c, pg.operator_key, &is_operator, d)) != 0) return err;
    if (!is_operator) {
        ledger_member_label(c->kv, pg.operator_key, label, sizeof label);
        return diag_set(d, CF_EREJECTED, "R-ROLE",
                        "only program %s's operator %s may write its matches", pg.id, label);
    }
    if (e->time_ms < pg.start_ms) {
        char t1[CALTIME_TEXT_BYTES], t0[CALTIME_TEXT_BYTES];
        caltime_format(e->time_ms, c->net.tz_min, t1);
        caltime_format(pg.start_ms, c->net.tz_min, t0);
        return diag_set(d, CF_EREJECTED, "R-MATCH.5", "match time %s is before program %s starts (%s)",
                        t1, pg.id, t0);
    }
    if (b->ncites == 0)
        return diag_set(d, CF_EREJECTED, "R-MATCH.1", "match cites no contribution: the fund never invests alone");
    int64_t sum = 0;
    for (size_t i = 0; i < b->ncites; i++) {
        for (size_t j = 0; j < i; j++)
            if (b->cites[j].index == b->cites[i].index &&
                memcmp(b->cites[j].author, b->cites[i].author, 32) == 0) {
                ledger_member_label(c->kv, b->cites[i].author, label, sizeof label);
                return diag_set(d, CF_EREJECTED, "R-MATCH.1", "match cites %s#%llu twice", label,
                                (unsigned long long)b->cites[i].index);
            }
        if (!amount_add(sum, b->cites[i].amount_fen, &sum)) sum = INT64_MAX;
        if (b->cites[i].has_read && b->cites[i].read <= b->cites[i].index) {
            ledger_member_label(c->kv, b->cites[i].author, label, sizeof label);
            return diag_set(d, CF_EREJECTED, "R-MATCH.6",
                            "the read point %llu of citation %s#%llu is not past the cited "
                            "entry: a match reads at least up to what it cites",
                            (unsigned long long)b->cites[i].read, label,
                            (unsigned long long)b->cites[i].index);
        }
    }
    if (sum != b->amount_fen) {
        char a[AMOUNT_TEXT_BYTES], s2[AMOUNT_TEXT_BYTES];
        amount_format(b->amount_fen, a);
        amount_format(sum, s2);
        return diag_set(d, CF_EREJECTED, "R-MATCH.4",
                        "match amount %s is not the sum of its allocations %s", a, s2);
    }

    /* R-FORK: a citation whose read point reaches a forked feed's point
     * (what it read includes an entry at or past it) is disputed, never
     * waited for. Otherwise a citation whose read point is past what is
     * applied here (the cited entry, or later ones of its feed: R-MATCH.6)
     * makes the whole match wait, so every node checks the citations only
     * once it holds all of them. */
    c->disputed_fen = 0;
    for (size_t i = 0; i < b->ncites; i++) {
        state_tip t;
        uint64_t last = entry_cite_last(&b->cites[i]);
        if ((err = rules__cite_disputed(c, b->cites[i].author, last, &c->cite_disputed[i],
                                       d)) != 0)
            return err;
        if (c->cite_disputed[i]) {
            c->disputed_fen += b->cites[i].amount_fen; /* <= the sum, checked above */
            continue;
        }
        if ((err = ledger_cache_tip(c->kv, c->cache, b->cites[i].author, &t)) != 0)
            return rules__state_error(d, err, N_("feed tips"));
        if (b->cites[i].index >= t.applied) {
            ledger_member_label(c->kv, b->cites[i].author, label, sizeof label);
            return diag_set(d, CF_EPENDING, NULL, "waiting for contribution %s#%llu", label,
                            (unsigned long long)b->cites[i].index);
        }
        if (last >= t.applied) {
            ledger_member_label(c->kv, b->cites[i].author, label, sizeof label);
            return diag_set(d, CF_EPENDING, NULL,
                            "waiting for %s#%llu: the match read %s's feed up to it", label,
                            (unsigned long long)last, label);
        }
    }
    int64_t counter_new = 0;
    c->ncites = 0;
    for (size_t i = 0; i < b->ncites; i++) {
        if (!c->cite_disputed[i] &&
            (err = check_cite(c, e, &pg, &b->cites[i], &c->cites[i], &counter_new, d)) != 0)
            return err;
        c->ncites = i + 1;
    }

    rules__cstr(b->project, project);
    for (size_t i = 0; i < b->ncites; i++) {
        bool judged = false; /* its counterpart, at an earlier checked citation */
        for (size_t k = 0; k < i && !judged; k++)
            judged = !c->cite_disputed[k] && memcmp(b->cites[k].author, b->cites[i].author, 32) == 0;
        if (!c->cite_disputed[i] && !judged && (err = check_holds(c, e, &pg, i, project, d)) != 0)
            return err;
    }
    int year = caltime_year(e->time_ms, c->net.tz_min);
    if (pg.has_cap) {
        state_series_project(&s, SERIES_PROJECT_DEPLOYED, pg.id, project);
        if ((err = check_limit(c, &s, b->amount_fen, pg.cap_fen, "R-CAP", &pg, project, 0,
                               d)) != 0)
            return err;
    }
    if (pg.has_budget) {
        state_series_year(&s, SERIES_YEAR_DEPLOYED, pg.id, year);
        if ((err = check_limit(c, &s, b->amount_fen, pg.budget_fen, "R-BUDGET", &pg, NULL,
                               year, d)) != 0)
            return err;
    }

    state_series_program(&s, SERIES_PROGRAM_DEPLOYED, pg.id);
    if ((err = rules__sum_fits(c, &s, b->amount_fen, N_("the program's total"), d)) != 0)
        return err;
    state_series_program(&s, SERIES_PROGRAM_COUNTER, pg.id);
    if ((err = rules__sum_fits(c, &s, counter_new, N_("the program's counterpart total"), d)) != 0)
        return err;
    if (c->disputed_fen > 0) {
        state_series_program(&s, SERIES_PROGRAM_DISPUTED, pg.id);
        if ((err = rules__sum_fits(c, &s, c->disputed_fen, N_("the program's disputed total"),
                                   d)) != 0)
            return err;
    }
    state_series_position(&s, project, c->author.identity);
    return rules__sum_fits(c, &s, b->amount_fen, N_("the fund's position"), d);
}

/* R-FORK: the disputed part of a match, kept apart (state.h). */
static int apply_disputed_part(rule_ctx *c, const entry *e, const char *program,
                               const char *project, diag *d)
{
    const body_match *b = &e->body.match;
    state_series s;
    int err;
    state_disputed x = {.index = e->index, .amount_fen = c->disputed_fen};
    memcpy(x.author, e->author, 32);
    for (size_t i = 0; i < b->ncites; i++)
        if (c->cite_disputed[i]) {
            memcpy(x.cited_author, b->cites[i].author, 32);
            x.cited_index = b->cites[i].index;
            break;
        }
    if ((err = state_disputed_put(c->kv, &x)) != 0)
        return rules__state_error(d, err, N_("disputed entries"));
    state_series_program(&s, SERIES_PROGRAM_DISPUTED, program);
    if ((err = rules__add(c, &s, e->time_ms, c->disputed_fen, "program totals", d)) != 0)
        return err;
    state_series_project(&s, SERIES_PROJECT_DISPUTED, program, project);
    if ((err = rules__add(c, &s, e->time_ms, c->disputed_fen, "program totals", d)) != 0)
        return err;
    state_series_holder(&s, SERIES_POSITION_DISPUTED, project, c->author.identity);
    return rules__add(c, &s, e->time_ms, c->disputed_fen, "positions", d);
}

/* R-MATCH.6: what the program allocated against each counterpart in the
 * project grows by the match's checked allocations to it. */
static int apply_allocated(rule_ctx *c, const entry *e, const char *program,
                           const char *project, diag *d)
{
    const body_match *b = &e->body.match;
    for (size_t i = 0; i < b->ncites; i++) {
        const uint8_t *who = b->cites[i].author;
        bool seen = false;
        int64_t v;
        if (c->cite_disputed[i]) continue;
        for (size_t k = 0; k < i && !seen; k++)
            seen = !c->cite_disputed[k] && memcmp(b->cites[k].author, who, 32) == 0;
        if (seen) continue; /* added at its first checked citation */
        int err = state_allocated_get(c->kv, program, project, who, &v);
        if (err) return rules__state_error(d, err, N_("allocations"));
        for (size_t k = i; k < b->ncites; k++)
            if (!c->cite_disputed[k] && memcmp(b->cites[k].author, who, 32) == 0 &&
                !amount_add(v, b->cites[k].amount_fen, &v))
                return diag_set(d, CF_EREJECTED, "R-SUM",
                                "the program's allocations against a counterpart would overflow");
        if ((err = state_allocated_put(c->kv, program, project, who, v)) != 0)
            return rules__state_error(d, err, N_("allocations"));
    }
    return CF_OK;
}

int rules__apply_match(rule_ctx *c, const entry *e, diag *d)
{
    const body_match *b = &e->body.match;
    char program[STATE_ID_CAP], project[STATE_ID_CAP];
    state_series s;
    int64_t counter_new = 0;
    int err;

    rules__cstr(b->program, program);
    rules__cstr(b->project, project);
    /* The cited contributions as the check read them (each is cited once,
     * R-MATCH.1, so no put below changes another's record); a disputed one
     * was not read and is not touched (R-FORK). */
    int year = caltime_year(e->time_ms, c->net.tz_min);
    for (size_t i = 0; i < b->ncites; i++) {
        state_contribution *sc = &c->cites[i];
        if (c->cite_disputed[i]) continue;
        /* R-REVERSE: where it counts as counterpart capital, and this
         * allocation, for a reversal to undo exactly. */
        if (sc->allocated_fen == 0) {
            counter_new += sc->amount_fen;
            if ((err = state_counted_put(c->kv, sc->author, sc->index, year)) != 0)
                return rules__state_error(d, err, N_("contributions"));
        }
        sc->allocated_fen += b->cites[i].amount_fen;
        if ((err = state_contribution_put(c->kv, sc)) != 0 ||
            (err = state_alloc_point_put(c->kv, sc->author, sc->index, e->author, e->index,
                                         b->cites[i].amount_fen)) != 0)
            return rules__state_error(d, err, N_("contributions"));
    }
    if ((err = rules__record_entry(c, e, program, project, year, d)) != 0) return err;
    struct {
        enum state_series_kind deployed, counter;
    } kinds[3] = {{SERIES_PROGRAM_DEPLOYED, SERIES_PROGRAM_COUNTER},
                  {SERIES_PROJECT_DEPLOYED, SERIES_PROJECT_COUNTER},
                  {SERIES_YEAR_DEPLOYED, SERIES_YEAR_COUNTER}};
    for (int k = 0; k < 3; k++) {
        for (int which = 0; which < 2; which++) {
            enum state_series_kind kind = which ? kinds[k].counter : kinds[k].deployed;
            int64_t delta = which ? counter_new : b->amount_fen;
            if (delta == 0) continue;
            if (k == 0) state_series_program(&s, kind, program);
            else if (k == 1) state_series_project(&s, kind, program, project);
            else state_series_year(&s, kind, program, year);
            if ((err = rules__head_add(c, &s, e->time_ms, delta)) != 0)
                return rules__state_error(d, err, N_("program totals"));
        }
    }
    if (c->disputed_fen > 0 && (err = apply_disputed_part(c, e, program, project, d)) != 0)
        return err;
    if ((err = apply_allocated(c, e, program, project, d)) != 0) return err;
    state_series_position(&s, project, c->author.identity);
    err = rules__head_add(c, &s, e->time_ms, b->amount_fen);
    return err ? rules__state_error(d, err, N_("positions")) : CF_OK;
}

/* ---- exits -------------------------------------------------------------- */

int rules__check_exit(rule_ctx *c, const entry *e, diag *d)
{
    const body_exit *b = &e->body.exit;
    state_project pj;
    state_series s;
    int64_t current;
    char project[STATE_ID_CAP], a[AMOUNT_TEXT_BYTES], p[AMOUNT_TEXT_BYTES];
    int err;

    if ((err = rules__project_as_of(c, b->project, e->gov, "R-REF", &pj, d)) != 0) return err;
    rules__cstr(b->project, project);
    state_series_position(&s, project, c->author.identity);
    if ((err = rules__head_value(c, &s, &current)) != 0)
        return rules__state_error(d, err, N_("positions"));
    int64_t position = current;
    if (b->amount_fen > position) {
        amount_format(b->amount_fen, a);
        amount_format(position, p);
        return diag_set(d, CF_EREJECTED, "R-EXIT", "exit %s exceeds %s's position %s in project %s",
                        a, c->author.name, p, project);
    }
    return CF_OK;
}

int rules__apply_exit(rule_ctx *c, const entry *e, diag *d)
{
    const body_exit *b = &e->body.exit;
    state_series s;
    char project[STATE_ID_CAP];
    rules__cstr(b->project, project);
    int err = rules__mark_holding(c, e, project, -b->amount_fen, d);
    if (err == CF_OK) err = rules__record_entry(c, e, "", project, 0, d);
    if (err == CF_OK) err = rules__apply_proceeds(c, e, d);
    if (err) return err;
    state_series_position(&s, project, c->author.identity);
    err = rules__head_add(c, &s, e->time_ms, -b->amount_fen);
    return err ? rules__state_error(d, err, N_("positions")) : CF_OK;
}
