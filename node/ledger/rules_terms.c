/* rules_terms.c — governance corrects and changes its own records
 * (docs/rules.md "Governance corrections: close, amend, rename, bound"):
 *
 *   R-CLOSE.1  a program is closed once
 *   R-CLOSE.2  an entry that opens new business under a closed program (a
 *              contribution asking it, a match, a deposit, a loan, a
 *              guarantee, a lease, an award) is dated at or before the
 *              closing; winding down (withdraw, release, compensation) goes on
 *   R-AMEND.1  an amendment states at least one term, each a term of the
 *              program's kind; leasing bounds in force from then admit a
 *              lease (R-LEASE.3's test)
 *   R-AMEND.2  a closed program is not amended
 *   R-RENAME   a display name (a project's, a member's, the network's) is
 *              corrected to a different name
 *   R-BOUND    the network's sanity bound is at least LEDGER_BOUND_MIN_FEN
 *
 * What an entry reads of them is decided by its own time and gov only
 * (state_terms_in_force): the governance entries as of its gov, the latest
 * amendment stating each term dated at or before its time. Every replica
 * therefore applies the same terms to it, whatever arrived first.
 */
#include <stdio.h>
#include <string.h>

#include "amount.h"
#include "caltime.h"
#include "crypto/cf_error.h"
#include "rules_internal.h"

int rules__terms_for(rule_ctx *c, const entry *e, state_program *pg, bool opens, diag *d)
{
    bool closed;
    uint64_t at;
    int err = state_terms_in_force(c->kv, pg, e->time_ms, e->gov, &closed, &at);
    if (err) return rules__state_error(d, err, N_("the program's terms"));
    if (opens && closed && e->time_ms > at) {
        char t1[CALTIME_TEXT_BYTES], t0[CALTIME_TEXT_BYTES];
        caltime_format(e->time_ms, c->net.tz_min, t1);
        caltime_format(at, c->net.tz_min, t0);
        return diag_set(d, CF_EREJECTED, "R-CLOSE.2",
                        "program %s closed at %s: a %s dated %s is after it (a closed "
                        "program takes no new entries; withdrawals, releases and "
                        "compensations wind it down)",
                        pg->id, t0, entry_type_name(e->type), t1);
    }
    return CF_OK;
}

/* R-REF for the program a close or an amendment names, and whether it is
 * closed as of the entry's gov. */
static int governed_program(rule_ctx *c, const entry *e, entry_text id, state_program *pg,
                            bool *closed, uint64_t *closed_at, diag *d)
{
    int err = rules__program_as_of(c, id, e->gov, pg, d);
    if (err) return err;
    state_program tmp = *pg;
    err = state_terms_in_force(c->kv, &tmp, 0, e->gov, closed, closed_at);
    return err ? rules__state_error(d, err, N_("the program's terms")) : CF_OK;
}

int rules__check_close(rule_ctx *c, const entry *e, diag *d)
{
    state_program pg;
    bool closed;
    uint64_t at;
    int err = governed_program(c, e, e->body.close.program, &pg, &closed, &at, d);
    if (err) return err;
    if (closed) {
        char t0[CALTIME_TEXT_BYTES];
        caltime_format(at, c->net.tz_min, t0);
        return diag_set(d, CF_EREJECTED, "R-CLOSE.1", "program %s is already closed (at %s)",
                        pg.id, t0);
    }
    return CF_OK;
}

int rules__apply_close(rule_ctx *c, const entry *e, diag *d)
{
    state_terms t = {.gov_index = c->gov_index, .close = true, .time_ms = e->body.close.at};
    char id[STATE_ID_CAP];
    rules__cstr(e->body.close.program, id);
    int err = state_terms_put(c->kv, id, &t);
    return err ? rules__state_error(d, err, N_("the program's terms")) : CF_OK;
}

static const char *const term_names[] = {"ratio",    "window_days", "cap",       "budget",
                                         "size",     "share",       "leverage",  "down",
                                         "financing", "advance",    "levels"};

int rules__check_amend(rule_ctx *c, const entry *e, diag *d)
{
    const body_amend *b = &e->body.amend;
    state_program pg;
    state_terms t = {.gov_index = c->gov_index};
    bool closed;
    uint64_t at;
    int err = governed_program(c, e, b->terms.id, &pg, &closed, &at, d);
    if (err) return err;
    state_terms_of_amend(b, &t);
    if (t.stated == 0)
        return diag_set(d, CF_EREJECTED, "R-AMEND.1",
                        "the amendment of program %s states no term", pg.id);
    uint32_t own = state_terms_of_kind(pg.pkind);
    for (int i = 0; i < 11; i++)
        if ((t.stated & (1u << i)) && !(own & (1u << i)))
            return diag_set(d, CF_EREJECTED, "R-AMEND.1",
                            "program %s is a %s program: it has no term %s", pg.id, pg.kind,
                            term_names[i]);
    if (closed) {
        char t0[CALTIME_TEXT_BYTES];
        caltime_format(at, c->net.tz_min, t0);
        return diag_set(d, CF_EREJECTED, "R-AMEND.2",
                        "program %s is closed (at %s): a closed program's terms are not "
                        "amended",
                        pg.id, t0);
    }
    if (pg.pkind == PROGRAM_LEASING) {
        /* The bounds in force from then on, with this amendment, admit a lease. */
        state_program now = pg;
        if ((err = state_terms_in_force(c->kv, &now, t.time_ms, c->gov_index, NULL, NULL)) != 0)
            return rules__state_error(d, err, N_("the program's terms"));
        uint32_t min = 0, max = 0;
        for (int i = 0; i < LEASE__PARTS; i++) {
            uint32_t bit = i == LEASE_DOWN ? TERM_DOWN : i == LEASE_FINANCING ? TERM_FINANCING
                                                                              : TERM_ADVANCE;
            bool has = (t.stated & bit) || now.has_part[i];
            pct_range r = (t.stated & bit) ? t.terms.part[i] : now.part[i];
            min += has ? r.min_pct : 0;
            max += has ? r.max_pct : PERCENT_MAX;
        }
        if (min > PERCENT_MAX || max < PERCENT_MAX)
            return diag_set(d, CF_EREJECTED, "R-AMEND.1",
                            "the amended bounds admit no lease: the parts' minimums sum to "
                            "%u%% and their maximums to %u%% of the price",
                            min, max);
    }
    return CF_OK;
}

int rules__apply_amend(rule_ctx *c, const entry *e, diag *d)
{
    state_terms t = {.gov_index = c->gov_index};
    char id[STATE_ID_CAP];
    state_terms_of_amend(&e->body.amend, &t);
    rules__cstr(e->body.amend.terms.id, id);
    int err = state_terms_put(c->kv, id, &t);
    return err ? rules__state_error(d, err, N_("the program's terms")) : CF_OK;
}

/* The member a rename names, as of gov (R-REF): registered when its first
 * key was (a rekey's record is newer than the member). */
static int renamed_member(rule_ctx *c, const entry *e, state_member *m, diag *d)
{
    const entry_text n = e->body.rename.member;
    state_member first;
    int err = state_member_by_name(c->kv, n.s, n.n, m);
    if (err == CF_OK && m->has_prev) err = state_member_get(c->kv, m->identity, &first);
    else first = *m;
    if (err == CF_ENOTFOUND || (err == CF_OK && first.added_at >= e->gov))
        return diag_set(d, CF_EREJECTED, "R-REF", "member %.*s is not registered", (int)n.n,
                        n.s);
    return err ? rules__state_error(d, err, N_("members")) : CF_OK;
}

int rules__check_rename(rule_ctx *c, const entry *e, diag *d)
{
    const body_rename *b = &e->body.rename;
    const char *now, *what = N_("the network");
    const entry_text *id = NULL;
    state_project pj;
    state_member m;
    int err;
    if (b->has_project) {
        if ((err = rules__project_as_of(c, b->project, e->gov, "R-REF", &pj, d)) != 0) return err;
        now = pj.name;
        what = N_("project ");
        id = &b->project;
    } else if (b->has_member) {
        if ((err = renamed_member(c, e, &m, d)) != 0) return err;
        now = m.display;
        what = N_("member ");
        id = &b->member;
    } else {
        now = c->net.name;
    }
    if (strlen(now) == b->name.n && memcmp(now, b->name.s, b->name.n) == 0)
        return diag_set(d, CF_EREJECTED, "R-RENAME", "%s%.*s is already named \"%s\"", _(what),
                        id ? (int)id->n : 0, id ? id->s : "", now);
    return CF_OK;
}

/* Every key of the member, from its first to its current (the last put
 * leaves the member's name finding the current key), takes the display
 * name. */
static int rename_member(rule_ctx *c, const body_rename *b)
{
    state_member m;
    uint8_t key[32]; /* not a field of m: state_member_get clears m first */
    int err = state_member_by_name(c->kv, b->member.s, b->member.n, &m);
    if (err == CF_OK && m.has_prev) {
        memcpy(key, m.identity, 32);
        err = state_member_get(c->kv, key, &m);
    }
    while (err == CF_OK) {
        memcpy(m.display, b->name.s, b->name.n);
        m.display[b->name.n] = '\0';
        if ((err = state_member_put(c->kv, &m)) != CF_OK || !m.has_next) break;
        memcpy(key, m.next, 32);
        err = state_member_get(c->kv, key, &m);
    }
    return err;
}

int rules__apply_rename(rule_ctx *c, const entry *e, diag *d)
{
    const body_rename *b = &e->body.rename;
    int err;
    if (b->has_member) {
        err = rename_member(c, b);
        return err ? rules__state_error(d, err, N_("members")) : CF_OK;
    }
    if (b->has_project) {
        state_project pj;
        if ((err = state_project_get(c->kv, b->project.s, b->project.n, &pj)) == CF_OK) {
            memcpy(pj.name, b->name.s, b->name.n);
            pj.name[b->name.n] = '\0';
            err = state_project_put(c->kv, &pj);
        }
        return err ? rules__state_error(d, err, N_("projects")) : CF_OK;
    }
    state_network n = c->net;
    memcpy(n.name, b->name.s, b->name.n);
    n.name[b->name.n] = '\0';
    err = state_network_put(c->kv, &n);
    return err ? rules__state_error(d, err, N_("the network")) : CF_OK;
}

int rules__check_bound(rule_ctx *c, const entry *e, diag *d)
{
    (void)c;
    if (e->body.bound.amount_fen < LEDGER_BOUND_MIN_FEN) {
        char a[AMOUNT_TEXT_BYTES], m[AMOUNT_TEXT_BYTES];
        amount_format(e->body.bound.amount_fen, a);
        amount_format(LEDGER_BOUND_MIN_FEN, m);
        return diag_set(d, CF_EREJECTED, "R-BOUND",
                        "a sanity bound of %s is below %s: ordinary amounts would all ask "
                        "for --yes, and a --yes given every time stops no typo",
                        a, m);
    }
    return CF_OK;
}

int rules__apply_bound(rule_ctx *c, const entry *e, diag *d)
{
    state_network n = c->net;
    n.has_bound = true;
    n.bound_fen = e->body.bound.amount_fen;
    int err = state_network_put(c->kv, &n);
    return err ? rules__state_error(d, err, N_("the network")) : CF_OK;
}
