/* test_rules_reverse_prop.c — the reversal property of docs/rules.md
 * (R-REVERSE), on random ledgers: reversing an entry and then everything
 * that depended on it, newest first — the exits standing on it, the matches
 * citing it, then the entry — brings every total back to what it was before
 * the entry. Totals: each program's totals, years and projects, every
 * position, R-MATCH.6's holdings and allocations, every other
 * contribution's allocation and what can be matched now.
 *
 * Each sequence: a random prefix (contributions, matches and exits, some
 * refused — a refusal changes nothing), the figures, then a contribution X
 * and random entries standing on it (matches citing X, exits of X's author
 * and of the fund in X's project), then their reversals and X's, each of
 * which must be accepted, then the figures again. Seeds: COFUND_SEED
 * replaces the master seed (printed); COFUND_SEQUENCES the number of
 * sequences (default 400).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "crypto/cf_error.h"
#include "ledger/query.h"
#include "ledger/rules.h"
#include "rules_fixture.h"
#include "testutil.h"

#define FIGURES_BYTES 65536

typedef struct {
    char *buf;
    size_t len;
    const uint8_t *skip_author; /* the contribution X, left out */
    uint64_t skip_index;
} figures;

static void add(figures *g, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void add(figures *g, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(g->buf + g->len, FIGURES_BYTES - g->len, fmt, ap);
    va_end(ap);
    assert_true(n >= 0 && (size_t)n < FIGURES_BYTES - g->len);
    g->len += (size_t)n;
}

static void add_totals(figures *g, const char *what, const query_totals *t)
{
    add(g, "%s deployed %lld counterpart %lld requested %lld disputed %lld exited %lld "
           "awaiting %lld\n",
        what, (long long)t->deployed_fen, (long long)t->counterpart_fen,
        (long long)t->requested_fen, (long long)t->disputed_fen, (long long)t->exited_fen,
        (long long)t->awaiting_fen);
}

static int year_visit(void *arg, const query_year *y)
{
    char what[32];
    snprintf(what, sizeof what, "  year %d", y->year);
    add_totals(arg, what, &y->t);
    return CF_OK;
}

static int project_visit(void *arg, const query_project *p)
{
    char what[STATE_ID_CAP + 80];
    snprintf(what, sizeof what, "  project %s (total %lld exited %lld)", p->project,
             (long long)p->deployed_total_fen, (long long)p->exited_total_fen);
    add_totals(arg, what, &p->t);
    return CF_OK;
}

static int position_visit(void *arg, const query_position *p)
{
    add(arg, "position %s %02x%02x %lld of %lld disputed %lld\n", p->project, p->holder[0],
        p->holder[1], (long long)p->amount_fen, (long long)p->project_total_fen,
        (long long)p->disputed_fen);
    return CF_OK;
}

static int contribution_visit(void *arg, const state_contribution *c)
{
    figures *g = arg;
    if (g->skip_author && memcmp(c->author, g->skip_author, 32) == 0 && c->index == g->skip_index)
        return CF_OK;
    add(g, "contribution %02x#%llu allocated %lld\n", c->author[0], (unsigned long long)c->index,
        (long long)c->allocated_fen);
    return CF_OK;
}

static const char *const programs[] = {"ind", "inc"};
static const char *const projects[] = {"p1", "p2"};
static const int holders[] = {FX_INV_A, FX_INV_B, FX_TEAM, FX_FUND};

/* Every figure the property speaks of, as of now, as text. */
static void take_figures(fx *f, figures *g)
{
    g->len = 0;
    for (size_t i = 0; i < 2; i++) {
        query_totals t;
        state_program pg;
        int64_t matchable;
        assert_int_equal(query_program_totals(&f->kv, programs[i], STATE_TIME_LATEST, &t), CF_OK);
        add_totals(g, programs[i], &t);
        assert_int_equal(query_program_years(&f->kv, programs[i], STATE_TIME_LATEST, year_visit, g),
                         CF_OK);
        assert_int_equal(
            query_program_projects(&f->kv, programs[i], STATE_TIME_LATEST, project_visit, g),
            CF_OK);
        assert_int_equal(state_program_get(&f->kv, programs[i], 3, &pg), CF_OK);
        assert_int_equal(query_program_awaiting(&f->kv, &pg, STATE_TIME_LATEST, STATE_TIME_LATEST,
                                                &matchable),
                         CF_OK);
        add(g, "  matchable now %lld\n", (long long)matchable);
        for (size_t j = 0; j < 2; j++)
            for (size_t k = 0; k < sizeof holders / sizeof holders[0]; k++) {
                int64_t a;
                assert_int_equal(state_allocated_get(&f->kv, programs[i], projects[j],
                                                     f->keys[holders[k]], &a),
                                 CF_OK);
                if (a) add(g, "  allocated %s %s %d %lld\n", programs[i], projects[j], holders[k],
                           (long long)a);
            }
    }
    assert_int_equal(query_positions(&f->kv, NULL, NULL, STATE_TIME_LATEST, position_visit, g),
                     CF_OK);
    for (size_t j = 0; j < 2; j++)
        for (size_t k = 0; k < sizeof holders / sizeof holders[0]; k++) {
            int64_t held;
            assert_int_equal(state_holding_latest(&f->kv, f->keys[holders[k]], projects[j], &held),
                             CF_OK);
            add(g, "holding %s %d %lld\n", projects[j], holders[k], (long long)held);
        }
    assert_int_equal(state_contributions_each(&f->kv, contribution_visit, g), CF_OK);
}

typedef struct {
    fx_ref ref;
    int64_t amount;
    bool contribution_with_program;
} done_entry;

static int64_t rnd(uint64_t *s, int64_t lo, int64_t hi)
{
    return lo + (int64_t)(tu_rng_next(s) % (uint64_t)(hi - lo + 1));
}

/* A random contribution, match or exit of the prefix; refusals are fine. */
static void prefix_op(fx *f, uint64_t *s, fx_ref *contribs, size_t *ncontribs, uint64_t t)
{
    int kind = (int)rnd(s, 0, 2);
    const char *proj = projects[rnd(s, 0, 1)];
    entry e;
    if (kind == 0 || *ncontribs == 0) {
        int who = holders[rnd(s, 0, 2)];
        const char *prog = who == FX_TEAM ? "inc" : rnd(s, 0, 3) ? "ind" : NULL;
        e = fx_contribution(f, who, proj, "A", prog, FX_YUAN(rnd(s, 1, 500000)), t);
        if (fx_push(f, &e) == CF_OK && *ncontribs < 32) {
            fx_ref r = {who, e.index, {0}};
            memcpy(r.leaf, f->leaf, 32);
            contribs[(*ncontribs)++] = r;
        }
        return;
    }
    if (kind == 1) {
        const fx_ref *c = &contribs[rnd(s, 0, (int64_t)*ncontribs - 1)];
        state_contribution sc;
        if (state_contribution_get(&f->kv, f->keys[c->who], c->index, &sc) != CF_OK ||
            !sc.program[0])
            return;
        entry_cite ct = fx_cite(f, c, FX_YUAN(rnd(s, 1, 300000)));
        e = fx_match(f, FX_FUND, sc.program, sc.project, "A", t, 1, &ct);
        (void)fx_push(f, &e);
        return;
    }
    e = fx_exit(f, holders[rnd(s, 0, 3)], proj, FX_YUAN(rnd(s, 1, 200000)), t);
    (void)fx_push(f, &e);
}

static bool accepted(fx *f, const entry *e, done_entry *out, int64_t amount, bool cwp)
{
    if (fx_push(f, e) != CF_OK) return false;
    out->ref = (fx_ref){0, e->index, {0}};
    memcpy(out->ref.leaf, f->leaf, 32);
    out->amount = amount;
    out->contribution_with_program = cwp;
    return true;
}

static void reverse(fx *f, int who, const done_entry *d, uint64_t t, uint64_t seq)
{
    entry r = fx_entry(f, who, ENTRY_REVERSAL, t);
    fx_ref ref = d->ref;
    ref.who = who;
    r.body.reversal.entry = fx_ref_of(f, &ref);
    r.body.reversal.amount_fen = d->amount;
    r.body.reversal.has_read = d->contribution_with_program;
    r.body.reversal.read = fx_next_index(f, FX_FUND);
    r.body.reversal.reason = entry_text_of("property", 8);
    int rc = fx_push(f, &r);
    if (rc != CF_OK)
        fail_msg("sequence %llu: the reversal of %s#%llu was refused: %s %s",
                 (unsigned long long)seq, fx_names[who], (unsigned long long)d->ref.index,
                 f->d.rule, f->d.text);
}

static uint64_t reversed_matches, reversed_exits;

static void one_sequence(uint64_t seed, uint64_t seq, uint64_t *checked)
{
    uint64_t s = seed;
    fx *f = fx_setup();
    assert_non_null(f);
    figures before = {malloc(FIGURES_BYTES), 0, NULL, 0}, after = {malloc(FIGURES_BYTES), 0, NULL, 0};
    assert_non_null(before.buf);
    assert_non_null(after.buf);
    /* Some sequences cross a calendar year (+08:00): budgets are per year. */
    uint64_t t = rnd(&s, 0, 1) ? fx_utc(2025, 8, 1, 0, 0, 0) : fx_utc(2025, 12, 30, 10, 0, 0);
    fx_ref contribs[32];
    size_t ncontribs = 0;
    int nprefix = (int)rnd(&s, 0, 24);
    for (int i = 0; i < nprefix; i++) prefix_op(f, &s, contribs, &ncontribs, t += (uint64_t)rnd(&s, 1, 20) * 3600000);

    /* X: a contribution asking a program, and what stands on it. */
    int who = rnd(&s, 0, 1) ? FX_INV_A : FX_TEAM;
    const char *prog = who == FX_TEAM ? "inc" : "ind";
    const char *proj = projects[rnd(&s, 0, 1)];
    int64_t amount = FX_YUAN(rnd(&s, 1, 400000));
    entry e = fx_contribution(f, who, proj, "A", prog, amount, t += 3600000);
    done_entry x;
    x.ref.who = who;
    take_figures(f, &before); /* before X: X is not there yet */
    if (!accepted(f, &e, &x, amount, true)) goto out;
    before.skip_author = after.skip_author = f->keys[who];
    before.skip_index = after.skip_index = x.ref.index;

    done_entry deps[24];
    int dep_who[24], ndeps = 0;
    int nops = (int)rnd(&s, 0, 12);
    for (int i = 0; i < nops && ndeps < 24; i++) {
        t += (uint64_t)rnd(&s, 1, 40) * 3600000;
        int kind = (int)rnd(&s, 0, 2);
        if (kind == 0) { /* a match citing X (maybe with another contribution) */
            fx_ref xr = {who, x.ref.index, {0}};
            memcpy(xr.leaf, x.ref.leaf, 32);
            entry_cite ct = fx_cite(f, &xr, FX_YUAN(rnd(&s, 1, 200000)));
            e = fx_match(f, FX_FUND, prog, proj, "A", t, 1, &ct);
            if (accepted(f, &e, &deps[ndeps], e.body.match.amount_fen, false)) {
                dep_who[ndeps++] = FX_FUND;
                reversed_matches++;
            }
        } else {
            int by = kind == 1 ? who : FX_FUND;
            int64_t a = FX_YUAN(rnd(&s, 1, 300000));
            e = fx_exit(f, by, proj, a, t);
            if (accepted(f, &e, &deps[ndeps], a, false)) {
                dep_who[ndeps++] = by;
                reversed_exits++;
            }
        }
    }
    /* Newest first: the exits and matches standing on X, then X. */
    for (int i = ndeps - 1; i >= 0; i--) reverse(f, dep_who[i], &deps[i], t += 60000, seq);
    reverse(f, who, &x, t += 60000, seq);
    take_figures(f, &after);
    if (before.len != after.len || memcmp(before.buf, after.buf, before.len) != 0) {
        print_message("sequence %llu (seed 0x%llx): totals differ after reversing X and the %d "
                      "entries standing on it\n--- before X:\n%.*s--- after the reversals:\n%.*s",
                      (unsigned long long)seq, (unsigned long long)seed, ndeps, (int)before.len,
                      before.buf, (int)after.len, after.buf);
        fail();
    }
    (*checked)++;
out:
    free(before.buf);
    free(after.buf);
    fx_free(f);
}

static void fail_hook(const char *msg)
{
    fail_msg("%s", msg);
}

static void test_reversing_everything_that_stands_on_an_entry(void **state)
{
    (void)state;
    fx_fail_hook = fail_hook;
    uint64_t master = tu_seed_default("reversal property", UINT64_C(0x5eed2026120402));
    uint64_t n = tu_env_u64("COFUND_SEQUENCES", 400, NULL), checked = 0;
    uint64_t s = master;
    for (uint64_t i = 0; i < n; i++) one_sequence(tu_rng_next(&s), i, &checked);
    print_message("reversal property: %llu sequences, %llu with X accepted and reversed back, "
                  "with %llu matches and %llu exits standing on it reversed first\n",
                  (unsigned long long)n, (unsigned long long)checked,
                  (unsigned long long)reversed_matches, (unsigned long long)reversed_exits);
    assert_true(checked > n / 2 && reversed_matches > n && reversed_exits > n / 2);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_reversing_everything_that_stands_on_an_entry),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
