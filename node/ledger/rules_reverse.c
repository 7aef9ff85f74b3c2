/* rules_reverse.c — an entry reversed on the record by its own author
 * (R-REVERSE, docs/rules.md "Corrections: reversals"). Nothing is deleted:
 * a `reversal` entry names an earlier entry of its author's own feed and
 * moves every total it changed back by exactly what it added, at the
 * reversal's time (so "as of" before it still shows the original).
 *
 *   R-REVERSE.1 the reversed entry is an earlier entry of the author's own
 *               feed, with the cited leaf hash, of a type that is reversed
 *               (any business entry but a reversal), and the reversal
 *               restates its amount
 *   R-REVERSE.2 an entry is reversed once
 *   R-REVERSE.3 nothing stands on it: a contribution is reversed only when
 *               no match of its program allocates from it (as of the
 *               reversal's read point of the operator's feed) and its
 *               author's position covers it (no exit stands on it); a match
 *               only while the fund's position in the project covers it;
 *               the instruments' entries as the table in docs/rules.md says
 *               (rules_reverse_pool.c, rules_lease.c)
 *   R-REVERSE.4 a match never cites a contribution reversed at or before its
 *               read point (rules_invest.c, check_cite); a repayment or a
 *               default never cites a reversed loan (rules_pool.c)
 */
#include <stdio.h>
#include <string.h>

#include "amount.h"
#include "crypto/cf_error.h"
#include "rules_internal.h"

static state_entry_rec *record_start(rule_ctx *c, const entry *e, const char *program,
                                     const char *project, int year)
{
    static _Thread_local state_entry_rec r; /* 3.5 KiB: not on the stack */
    memset(&r, 0, sizeof r);
    memcpy(r.author, e->author, 32);
    r.index = e->index;
    r.type = e->type;
    memcpy(r.leaf, c->leaf, 32);
    r.time_ms = e->time_ms;
    snprintf(r.program, sizeof r.program, "%s", program);
    snprintf(r.project, sizeof r.project, "%s", project);
    r.year = year;
    r.amount_fen = ledger_entry_volume(e);
    return &r;
}

int rules__record_entry(rule_ctx *c, const entry *e, const char *program, const char *project,
                        int year, diag *d)
{
    state_entry_rec *r = record_start(c, e, program, project, year);
    if (e->type == ENTRY_MATCH) {
        const body_match *b = &e->body.match;
        rules__cstr(b->round, r->round);
        r->disputed_fen = c->disputed_fen;
        r->ncites = b->ncites;
        for (size_t i = 0; i < b->ncites; i++) {
            memcpy(r->cites[i].author, b->cites[i].author, 32);
            r->cites[i].index = b->cites[i].index;
            r->cites[i].amount_fen = b->cites[i].amount_fen;
            r->cites[i].disputed = c->cite_disputed[i];
        }
    }
    int err = state_entry_rec_put(c->kv, r);
    return err ? rules__state_error(d, err, N_("entry records")) : CF_OK;
}

int rules__record_instrument(rule_ctx *c, const entry *e, const char *program,
                             const char *project, int year, const entry_ref *cite,
                             int64_t released, diag *d)
{
    state_entry_rec *r = record_start(c, e, program, project, year);
    r->disputed_fen = released;
    if (cite != NULL) {
        r->ncites = 1;
        memcpy(r->cites[0].author, cite->author, 32);
        r->cites[0].index = cite->index;
    }
    int err = state_entry_rec_put(c->kv, r);
    return err ? rules__state_error(d, err, N_("entry records")) : CF_OK;
}

/* The entry a reversal names, as the state holds it: a contribution's own
 * record, a bank's credit record, or the entry record of the others. */
typedef struct {
    enum entry_type type;
    state_contribution contribution;
    state_credit credit;
    state_entry_rec rec;
} reversed_entry;

static int read_reversed(rule_ctx *c, const entry *e, reversed_entry *x, diag *d)
{
    const entry_ref *ref = &e->body.reversal.entry;
    const uint8_t *leaf;
    int64_t amount;
    char a1[AMOUNT_TEXT_BYTES], a2[AMOUNT_TEXT_BYTES];
    unsigned long long idx = (unsigned long long)ref->index;
    int err = state_contribution_get(c->kv, ref->author, ref->index, &x->contribution);
    if (err == CF_OK) {
        x->type = ENTRY_CONTRIBUTION;
        leaf = x->contribution.leaf;
        amount = x->contribution.amount_fen;
    } else if (err == CF_ENOTFOUND &&
               (err = state_credit_get(c->kv, ref->author, ref->index, &x->credit)) == CF_OK) {
        x->type = x->credit.type;
        leaf = x->credit.leaf;
        amount = x->credit.amount_fen;
    } else if (err == CF_ENOTFOUND &&
               (err = state_entry_rec_get(c->kv, ref->author, ref->index, &x->rec)) == CF_OK) {
        x->type = x->rec.type;
        leaf = x->rec.leaf;
        amount = x->rec.amount_fen;
    } else if (err == CF_ENOTFOUND &&
               (err = state_valuation_get(c->kv, ref->author, ref->index,
                                          &(state_valuation){0})) == CF_OK) {
        return diag_set(d, CF_EREJECTED, "R-REVERSE.1",
                        "%s#%llu is a valuation mark: a mark is not reversed (a later mark "
                        "corrects it)",
                        c->author.name, idx);
    } else if (err == CF_ENOTFOUND) {
        return diag_set(d, CF_EREJECTED, "R-REVERSE.1",
                        "%s#%llu is a reversal: a reversal is not reversed (enter the entry "
                        "again instead); nor is an entry applied as disputed (R-FORK: it "
                        "changed nothing)",
                        c->author.name, idx);
    } else {
        return rules__state_error(d, err, N_("entries"));
    }
    if (memcmp(leaf, ref->leaf, 32) != 0)
        return diag_set(d, CF_EREJECTED, "R-REVERSE.1",
                        "leaf hash cited for %s#%llu does not match the entry (stale or forged)",
                        c->author.name, idx);
    if (amount != e->body.reversal.amount_fen) {
        amount_format(e->body.reversal.amount_fen, a1);
        amount_format(amount, a2);
        return diag_set(d, CF_EREJECTED, "R-REVERSE.1",
                        "the reversal states %s, but %s %s#%llu is of %s", a1,
                        entry_type_name(x->type), c->author.name, idx, a2);
    }
    return CF_OK;
}

/* ---- R-REVERSE.3 across feeds: what the program operator's feed wrote on
 * an entry, as of the reversal's read point of that feed ---------------- */

struct standing_sum {
    rule_ctx *c;
    const entry *e;
    uint8_t identity[32]; /* the operator's */
    const uint8_t *current; /* the operator's key as of gov (NULL: retired) */
    uint64_t read;
    int64_t sum;
    uint64_t last_index; /* for the message */
};

/* Counted: the operator's key as of gov below the read point; every entry of
 * a key of the operator that was closed as of gov (all applied: below). */
static int standing_point(void *arg, const uint8_t by[32], uint64_t by_index, int64_t delta)
{
    struct standing_sum *s = arg;
    bool counted;
    if (s->current != NULL && memcmp(by, s->current, 32) == 0) {
        counted = by_index < s->read;
    } else {
        state_member m;
        int err = rules__member_get(s->c, by, &m);
        if (err) return err;
        counted = memcmp(m.identity, s->identity, 32) == 0 && m.closed &&
                  m.closed_by < s->e->gov;
    }
    if (!counted) return CF_OK;
    if (!amount_add(s->sum, delta, &s->sum)) return CF_EOVERFLOW;
    if (delta > 0) s->last_index = by_index;
    return CF_OK;
}

int rules__standing(rule_ctx *c, const entry *e, const state_program *pg,
                    const uint8_t author[32], uint64_t index, int64_t *sum, uint64_t *last,
                    diag *d)
{
    state_member m;
    int err;
    struct standing_sum s = {.c = c, .e = e, .read = e->body.reversal.has_read ? e->body.reversal.read : 0};
    /* The operator's keys: from its first, each closed as of gov must be
     * applied to its end (pending otherwise); the one open as of gov is read
     * up to the read point. */
    if ((err = rules__member_get(c, pg->operator_key, &m)) != 0)
        return rules__state_error(d, err, N_("members"));
    memcpy(s.identity, m.identity, 32);
    for (size_t hops = 0; m.has_prev && hops < LEDGER_MEMBERS_MAX; hops++)
        if ((err = rules__member_get(c, m.prev, &m)) != 0)
            return rules__state_error(d, err, N_("members"));
    uint8_t current[32];
    for (size_t hops = 0; hops < LEDGER_MEMBERS_MAX; hops++) {
        state_tip t;
        if ((err = ledger_cache_tip(c->kv, c->cache, m.key, &t)) != 0)
            return rules__state_error(d, err, N_("feed tips"));
        if (!(m.closed && m.closed_by < e->gov)) {
            if (s.read > t.applied)
                return diag_set(d, CF_EPENDING, NULL,
                                "waiting for %s#%llu: the reversal read %s's feed up to it",
                                m.name, (unsigned long long)(s.read - 1), m.name);
            memcpy(current, m.key, 32);
            s.current = current;
            break;
        }
        uint64_t end;
        if ((err = state_feed_end(c->kv, m.key, UINT64_MAX, &end)) != 0)
            return rules__state_error(d, err, N_("feed ends"));
        if (t.applied < end)
            return diag_set(d, CF_EPENDING, NULL,
                            "waiting for %s's replaced key's feed (%llu of %llu entries)", m.name,
                            (unsigned long long)t.applied, (unsigned long long)end);
        if (!m.has_next) break; /* retired: nobody writes on it any more */
        if ((err = rules__member_get(c, m.next, &m)) != 0)
            return rules__state_error(d, err, N_("members"));
    }
    err = state_alloc_points_each(c->kv, author, index, standing_point, &s);
    if (err) return rules__state_error(d, err, N_("what stands on entries"));
    *sum = s.sum;
    *last = s.last_index;
    return CF_OK;
}

/* R-REVERSE.3 for a contribution: no match of its program allocates from it. */
static int check_unmatched(rule_ctx *c, const entry *e, const state_contribution *sc, diag *d)
{
    state_program pg;
    char label[STATE_ID_CAP], a[AMOUNT_TEXT_BYTES];
    int64_t sum;
    uint64_t last;
    int err = rules__program_get(c, sc->program, strlen(sc->program), &pg);
    if (err) return rules__state_error(d, err, N_("programs"));
    if ((err = rules__standing(c, e, &pg, sc->author, sc->index, &sum, &last, d)) != 0)
        return err;
    if (sum <= 0) return CF_OK;
    ledger_member_label(c->kv, pg.operator_key, label, sizeof label);
    amount_format(sum, a);
    return diag_set(d, CF_EREJECTED, "R-REVERSE.3",
                    "contribution %s#%llu stands under program %s's matches (%s allocated from "
                    "it, the last by %s#%llu): %s reverses those matches first",
                    c->author.name, (unsigned long long)sc->index, pg.id, a, label,
                    (unsigned long long)last, label);
}

/* The author's position in project covers amount: no exit (or, for a
 * fund, no exit of the matched amount) stands on what is reversed. */
static int check_position_covers(rule_ctx *c, const entry *e, const char *project,
                                 int64_t amount, diag *d)
{
    state_series s;
    int64_t current;
    char a[AMOUNT_TEXT_BYTES], p[AMOUNT_TEXT_BYTES];
    state_series_position(&s, project, c->author.identity);
    int err = rules__head_value(c, &s, &current);
    if (err) return rules__state_error(d, err, N_("positions"));
    if (current >= amount) return CF_OK;
    amount_format(amount, a);
    amount_format(current, p);
    return diag_set(d, CF_EREJECTED, "R-REVERSE.3",
                    "reversing %s#%llu takes %s out of %s's position %s in project %s: an exit "
                    "stands on it; reverse the exit first",
                    c->author.name, (unsigned long long)e->body.reversal.entry.index, a,
                    c->author.name, p, project);
}

int rules__check_reversal(rule_ctx *c, const entry *e, diag *d)
{
    const entry_ref *ref = &e->body.reversal.entry;
    static _Thread_local reversed_entry x; /* large: not on the stack */
    state_reversal rv;
    if (memcmp(ref->author, e->author, 32) != 0 || ref->index >= e->index)
        return diag_set(d, CF_EREJECTED, "R-REVERSE.1",
                        "a reversal reverses an earlier entry of its author's own feed, not %s",
                        memcmp(ref->author, e->author, 32) != 0 ? "another member's"
                                                                  : "this one or a later one");
    int err = state_reversed_get(c->kv, ref->author, ref->index, &rv);
    if (err == CF_OK)
        return diag_set(d, CF_EREJECTED, "R-REVERSE.2", "%s#%llu was already reversed by %s#%llu",
                        c->author.name, (unsigned long long)ref->index, c->author.name,
                        (unsigned long long)rv.index);
    if (err != CF_ENOTFOUND) return rules__state_error(d, err, N_("reversals"));
    if ((err = read_reversed(c, e, &x, d)) != 0) return err;
    state_series s;
    switch (x.type) {
    case ENTRY_CONTRIBUTION:
        if (x.contribution.program[0] && (err = check_unmatched(c, e, &x.contribution, d)) != 0)
            return err;
        return check_position_covers(c, e, x.contribution.project, x.contribution.amount_fen, d);
    case ENTRY_MATCH:
        return check_position_covers(c, e, x.rec.project, x.rec.amount_fen, d);
    case ENTRY_EXIT: /* an exit gives back: its position can take it (R-SUM) */
        state_series_position(&s, x.rec.project, c->author.identity);
        return rules__sum_fits(c, &s, x.rec.amount_fen, N_("the author's position"), d);
    case ENTRY_LOAN: case ENTRY_REPAY: case ENTRY_DEFAULT:
        return rules__check_reverse_credit(c, e, &x.credit, d);
    case ENTRY_LEASE: case ENTRY_AWARD: return CF_OK; /* always */
    default: return rules__check_reverse_pool(c, e, &x.rec, d);
    }
}

/* ---- apply -------------------------------------------------------------- */

static int unrequest(rule_ctx *c, const entry *e, const state_contribution *sc, diag *d)
{
    state_series s;
    int err;
    if (sc->program[0]) {
        state_series_project(&s, SERIES_PROGRAM_REQUESTED, sc->program, c->author.name);
        if ((err = rules__add(c, &s, e->time_ms, -sc->amount_fen, "program totals", d)) != 0)
            return err;
    }
    if ((err = rules__mark_holding(c, e, sc->project, -sc->amount_fen, d)) != 0) return err;
    state_series_position(&s, sc->project, c->author.identity);
    return rules__add(c, &s, e->time_ms, -sc->amount_fen, "positions", d);
}

/* A match reversed: its deployment, its allocations (each contribution's,
 * R-MATCH.6's per counterpart), the counterpart capital a contribution no
 * longer allocated from stops counting, its disputed part, the position. */
static int unmatch(rule_ctx *c, const entry *e, const state_entry_rec *r, diag *d)
{
    state_series s;
    int err;
    int64_t amt = -r->amount_fen;
    state_series_program(&s, SERIES_PROGRAM_DEPLOYED, r->program);
    if ((err = rules__add(c, &s, e->time_ms, amt, "program totals", d)) != 0) return err;
    state_series_project(&s, SERIES_PROJECT_DEPLOYED, r->program, r->project);
    if ((err = rules__add(c, &s, e->time_ms, amt, "program totals", d)) != 0) return err;
    state_series_year(&s, SERIES_YEAR_DEPLOYED, r->program, r->year);
    if ((err = rules__add(c, &s, e->time_ms, amt, "program totals", d)) != 0) return err;
    for (size_t i = 0; i < r->ncites; i++) {
        const state_rec_cite *ct = &r->cites[i];
        state_contribution sc;
        int64_t v;
        if (ct->disputed) continue;
        if ((err = state_contribution_get(c->kv, ct->author, ct->index, &sc)) != 0)
            return rules__state_error(d, err, N_("contributions"));
        sc.allocated_fen -= ct->amount_fen;
        if ((err = state_contribution_put(c->kv, &sc)) != 0 ||
            (err = state_alloc_point_put(c->kv, ct->author, ct->index, e->author, e->index,
                                         -ct->amount_fen)) != 0 ||
            (err = state_allocated_get(c->kv, r->program, r->project, ct->author, &v)) != 0 ||
            (err = state_allocated_put(c->kv, r->program, r->project, ct->author,
                                       v - ct->amount_fen)) != 0)
            return rules__state_error(d, err, N_("allocations"));
        if (sc.allocated_fen != 0) continue;
        int32_t year;
        if ((err = state_counted_get(c->kv, ct->author, ct->index, &year)) != 0 ||
            (err = state_counted_put(c->kv, ct->author, ct->index, 0)) != 0)
            return rules__state_error(d, err, N_("contributions"));
        state_series_program(&s, SERIES_PROGRAM_COUNTER, r->program);
        if ((err = rules__add(c, &s, e->time_ms, -sc.amount_fen, "program totals", d)) != 0)
            return err;
        state_series_project(&s, SERIES_PROJECT_COUNTER, r->program, r->project);
        if ((err = rules__add(c, &s, e->time_ms, -sc.amount_fen, "program totals", d)) != 0)
            return err;
        state_series_year(&s, SERIES_YEAR_COUNTER, r->program, year);
        if ((err = rules__add(c, &s, e->time_ms, -sc.amount_fen, "program totals", d)) != 0)
            return err;
    }
    if (r->disputed_fen > 0) {
        state_series_program(&s, SERIES_PROGRAM_DISPUTED, r->program);
        if ((err = rules__add(c, &s, e->time_ms, -r->disputed_fen, "program totals", d)) != 0)
            return err;
        state_series_project(&s, SERIES_PROJECT_DISPUTED, r->program, r->project);
        if ((err = rules__add(c, &s, e->time_ms, -r->disputed_fen, "program totals", d)) != 0)
            return err;
        state_series_holder(&s, SERIES_POSITION_DISPUTED, r->project, c->author.identity);
        if ((err = rules__add(c, &s, e->time_ms, -r->disputed_fen, "positions", d)) != 0)
            return err;
    }
    state_series_position(&s, r->project, c->author.identity);
    return rules__add(c, &s, e->time_ms, amt, "positions", d);
}

int rules__apply_reversal(rule_ctx *c, const entry *e, diag *d)
{
    const entry_ref *ref = &e->body.reversal.entry;
    static _Thread_local reversed_entry x; /* large: not on the stack */
    state_series s;
    int err;
    /* check read it; read again (apply runs after check on the same state,
     * and the record is large) */
    if ((err = read_reversed(c, e, &x, d)) != 0) return err;
    switch (x.type) {
    case ENTRY_CONTRIBUTION: err = unrequest(c, e, &x.contribution, d); break;
    case ENTRY_MATCH: err = unmatch(c, e, &x.rec, d); break;
    case ENTRY_EXIT:
        if ((err = rules__mark_holding(c, e, x.rec.project, x.rec.amount_fen, d)) != 0) break;
        state_series_position(&s, x.rec.project, c->author.identity);
        err = rules__add(c, &s, e->time_ms, x.rec.amount_fen, "positions", d);
        break;
    case ENTRY_LOAN: case ENTRY_REPAY: case ENTRY_DEFAULT:
        err = rules__apply_reverse_credit(c, e, &x.credit, d);
        break;
    case ENTRY_LEASE: case ENTRY_AWARD: err = rules__apply_reverse_lease(c, e, &x.rec, d); break;
    default: err = rules__apply_reverse_pool(c, e, &x.rec, d); break;
    }
    if (err) return err;
    state_reversal rv = {.index = e->index, .time_ms = e->time_ms};
    err = state_reversed_put(c->kv, ref->author, ref->index, &rv);
    return err ? rules__state_error(d, err, N_("reversals")) : CF_OK;
}

int ledger_reversal_read(const ledger_kv *kv, ledger_cache *cache, const entry *e, bool *has,
                         uint64_t *read)
{
    const entry_ref *ref = &e->body.reversal.entry;
    state_contribution sc;
    state_credit cr;
    state_program pg;
    state_member m;
    state_tip t;
    const char *program;
    *has = false;
    int err = state_contribution_get(kv, ref->author, ref->index, &sc);
    if (err == CF_OK) {
        program = sc.program;
    } else if (err == CF_ENOTFOUND &&
               (err = state_credit_get(kv, ref->author, ref->index, &cr)) == CF_OK) {
        program = cr.program; /* a bank's entry: the pool's operator's feed */
    } else {
        return err == CF_ENOTFOUND ? CF_OK : err;
    }
    if (program[0] == '\0') return CF_OK;
    if ((err = state_program_get(kv, program, strlen(program), &pg)) != 0 ||
        (err = state_member_get(kv, pg.operator_key, &m)) != 0)
        return err;
    /* the operator's key that is open now */
    for (size_t hops = 0; m.closed && m.has_next && hops < LEDGER_MEMBERS_MAX; hops++)
        if ((err = state_member_get(kv, m.next, &m)) != 0) return err;
    if ((err = ledger_cache_tip(kv, cache, m.key, &t)) != 0) return err;
    *has = true;
    *read = t.applied;
    return CF_OK;
}
