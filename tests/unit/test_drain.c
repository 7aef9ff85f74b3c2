/* test_drain.c — the one scheduler every replica drains with
 * (node/ledger/drain.h), over a source of in-memory feeds and the fixture
 * network of rules_fixture.h: feeds go by author key whatever order the
 * source numbers them in; a feed stops at an entry that waits and passes
 * repeat while one advances; a rejected entry holds its feed (later entries
 * unread); DRAIN_STOP stops a feed without a verdict; skipped feeds are not
 * read. Then drain_classify_wait: every reason, on its accepting and
 * refusing side.
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
#include "ledger/drain.h"
#include "ledger/rules.h"
#include "rules_cases.h"
#include "rules_fixture.h"

#define TFEED_ENTRIES 4
#define NEVER UINT64_MAX

typedef struct {
    int who;
    uint8_t author[32];
    size_t n;
    uint8_t bytes[TFEED_ENTRIES][ENTRY_BYTES_MAX];
    size_t len[TFEED_ENTRIES];
    uint8_t leaf[TFEED_ENTRIES][32];
    uint64_t stop_at; /* entry() says DRAIN_STOP here */
    bool held, stopped;
    unsigned reads;   /* entry() calls */
} tfeed;

typedef struct {
    fx *f;
    tfeed feeds[3];
    size_t nfeeds;
    entry e;
    char log[512]; /* "who#index:verdict " per judged entry */
} tsrc;

static void add_entry(tsrc *s, size_t i, const entry *e)
{
    tfeed *t = &s->feeds[i];
    assert_true(t->n < TFEED_ENTRIES);
    t->len[t->n] = fx_encode(e, t->bytes[t->n], t->leaf[t->n]);
    t->n++;
}

static size_t add_feed(tsrc *s, int who)
{
    tfeed *t = &s->feeds[s->nfeeds];
    memset(t, 0, sizeof *t);
    t->who = who;
    memcpy(t->author, s->f->keys[who], 32);
    t->stop_at = NEVER;
    return s->nfeeds++;
}

static const uint8_t *t_author(void *arg, size_t i)
{
    return ((tsrc *)arg)->feeds[i].author;
}

static int t_begin(void *arg, size_t i, bool *skip, uint64_t *next, uint64_t *end)
{
    tsrc *s = arg;
    tfeed *t = &s->feeds[i];
    *skip = t->held || t->stopped;
    *next = fx_next_index(s->f, t->who);
    *end = t->n;
    return CF_OK;
}

static int t_entry(void *arg, size_t i, uint64_t index, const entry **e, const uint8_t **leaf,
                   diag *d)
{
    tsrc *s = arg;
    tfeed *t = &s->feeds[i];
    t->reads++;
    if (index == t->stop_at) {
        t->stopped = true;
        return DRAIN_STOP;
    }
    if (entry_decode(t->bytes[index], t->len[index], &s->e, d) != CF_OK) {
        d->code = CF_EREJECTED;
        return CF_EREJECTED;
    }
    *e = &s->e;
    *leaf = t->leaf[index];
    return CF_OK;
}

static int t_judged(void *arg, size_t i, uint64_t index, int verdict, const diag *why)
{
    tsrc *s = arg;
    tfeed *t = &s->feeds[i];
    (void)why;
    size_t used = strlen(s->log);
    snprintf(s->log + used, sizeof s->log - used, "%s#%llu:%s ", fx_names[t->who],
             (unsigned long long)index,
             verdict == CF_OK ? "ok" : verdict == CF_EPENDING ? "pending" : "rejected");
    if (verdict == CF_EREJECTED) t->held = true;
    return CF_OK;
}

static int t_end(void *arg, size_t i, uint64_t next)
{
    (void)arg, (void)i, (void)next;
    return CF_OK;
}

static int run(tsrc *s, drain_result *res)
{
    drain_source src = {.kv = &s->f->kv, .nfeeds = s->nfeeds, .arg = s, .author = t_author,
                        .begin = t_begin, .entry = t_entry, .judged = t_judged, .end = t_end};
    diag d;
    s->log[0] = 0;
    return drain_run(&src, res, &d);
}

/* An investor whose key sorts after the fund's: its contribution, cited by
 * the fund's match, is reached only after the match waited once. */
static int investor_after_fund(const fx *f)
{
    if (memcmp(f->keys[FX_INV_A], f->keys[FX_FUND], 32) > 0) return FX_INV_A;
    if (memcmp(f->keys[FX_INV_B], f->keys[FX_FUND], 32) > 0) return FX_INV_B;
    return -1;
}

/* The contribution of who (not applied) and the fund's match citing it. */
static void contribution_and_match(tsrc *s, size_t inv, size_t fund, int who)
{
    entry c = fx_contribution(s->f, who, "p1", "A", "ind", FX_YUAN(100), at(1));
    add_entry(s, inv, &c);
    fx_ref r = {.who = who, .index = 0};
    memcpy(r.leaf, s->feeds[inv].leaf[0], 32);
    entry_cite cite = fx_cite(s->f, &r, FX_YUAN(100));
    entry m = fx_match(s->f, FX_FUND, "ind", "p1", "A", at(2), 1, &cite);
    add_entry(s, fund, &m);
}

static void test_order_and_passes(void **state)
{
    static tsrc s;
    drain_result res;
    char want[128];
    memset(&s, 0, sizeof s);
    s.f = *state;
    int who = investor_after_fund(s.f);
    if (who < 0) skip();
    /* Numbered investor first: the scheduler orders by key, not by number. */
    size_t inv = add_feed(&s, who), fund = add_feed(&s, FX_FUND);
    contribution_and_match(&s, inv, fund, who);
    assert_int_equal(run(&s, &res), CF_OK);
    snprintf(want, sizeof want, "fund#0:pending %s#0:ok fund#0:ok ", fx_names[who]);
    assert_string_equal(s.log, want);
    assert_int_equal(res.applied, 2);
    assert_int_equal(res.pending, 0);
    assert_int_equal(res.violations, 0);
    /* Nothing left: a second drain applies nothing and reads nothing. */
    unsigned reads = s.feeds[inv].reads + s.feeds[fund].reads;
    assert_int_equal(run(&s, &res), CF_OK);
    assert_string_equal(s.log, "");
    assert_int_equal(res.applied, 0);
    assert_int_equal(s.feeds[inv].reads + s.feeds[fund].reads, reads);
}

static void test_waits_without_progress(void **state)
{
    static tsrc s;
    drain_result res;
    memset(&s, 0, sizeof s);
    s.f = *state;
    /* The cited contribution is in a feed the source does not hold. */
    size_t inv = add_feed(&s, FX_INV_A), fund = add_feed(&s, FX_FUND);
    contribution_and_match(&s, inv, fund, FX_INV_A);
    s.feeds[0] = s.feeds[fund];
    s.nfeeds = 1;
    assert_int_equal(run(&s, &res), CF_OK);
    assert_string_equal(s.log, "fund#0:pending ");
    assert_int_equal(res.applied, 0);
    assert_int_equal(res.pending, 1);
}

static void test_rejected_holds_and_stop(void **state)
{
    static tsrc s;
    drain_result res;
    memset(&s, 0, sizeof s);
    s.f = *state;
    size_t a = add_feed(&s, FX_INV_A), b = add_feed(&s, FX_INV_B);
    entry c = fx_contribution(s.f, FX_INV_A, "p1", "A", "ind", FX_YUAN(1), at(1));
    add_entry(&s, a, &c);
    c.index = 1;
    add_entry(&s, a, &c);
    s.feeds[a].bytes[1][0] ^= 0xff; /* entry 1 does not decode */
    c.index = 2;
    add_entry(&s, a, &c);
    c = fx_contribution(s.f, FX_INV_B, "p1", "A", "ind", FX_YUAN(1), at(1));
    add_entry(&s, b, &c);
    s.feeds[b].stop_at = 0;
    assert_int_equal(run(&s, &res), CF_OK);
    assert_non_null(strstr(s.log, "inv-a#0:ok inv-a#1:rejected "));
    assert_null(strstr(s.log, "inv-a#2"));
    assert_null(strstr(s.log, "inv-b"));
    assert_int_equal(res.applied, 1);
    assert_int_equal(res.violations, 1);
    assert_int_equal(res.pending, 0);
    assert_int_equal(s.feeds[a].reads, 2);
    assert_int_equal(s.feeds[b].reads, 1);
    /* Held and stopped feeds are skipped from then on. */
    assert_int_equal(run(&s, &res), CF_OK);
    assert_int_equal(res.applied + res.violations + res.pending, 0);
    assert_int_equal(s.feeds[a].reads + s.feeds[b].reads, 3);
}

/* ---- drain_classify_wait ------------------------------------------------------ */

typedef struct {
    drain_feed_state state;
    uint64_t size;
    int err;
    unsigned calls;
} tfeed_view;

static int t_feed(void *arg, const uint8_t author[32], drain_feed_state *state, uint64_t *size)
{
    tfeed_view *v = arg;
    (void)author;
    v->calls++;
    *state = v->state;
    *size = v->size;
    return v->err;
}

static drain_wait_reason classify(fx *f, const entry *e, tfeed_view *v, drain_wait *w)
{
    drain_classify_wait(&f->kv, e, t_feed, v, w);
    return w->reason;
}

static void test_classify_genesis_and_gov(void **state)
{
    fx *f = *state;
    tfeed_view v = {DRAIN_FEED_OPEN, 10, CF_OK, 0};
    drain_wait w;
    entry e = fx_contribution(f, FX_INV_A, "p1", "A", "ind", FX_YUAN(1), at(1));
    /* Governance as applied: not why it waits (a contribution: other). */
    assert_int_equal(classify(f, &e, &v, &w), DRAIN_WAIT_OTHER);
    e.gov = fx_gov(f) + 1;
    assert_int_equal(classify(f, &e, &v, &w), DRAIN_WAIT_GOV);
    assert_int_equal(w.gov_need, fx_gov(f) + 1);
    assert_int_equal(w.gov_have, fx_gov(f));
    /* No network at all. */
    fx *empty = fx_new();
    assert_non_null(empty);
    assert_int_equal(classify(empty, &e, &v, &w), DRAIN_WAIT_NO_GENESIS);
    fx_free(empty);
    assert_int_equal(v.calls, 0);
}

static void test_classify_cites(void **state)
{
    fx *f = *state;
    drain_wait w;
    fx_ref applied = contrib(f, FX_INV_A, FX_YUAN(5), at(1));
    fx_ref waiting = {.who = FX_INV_B, .index = 3};
    entry_cite cites[2] = {fx_cite(f, &applied, FX_YUAN(5)), fx_cite(f, &waiting, FX_YUAN(5))};
    entry m = fx_match(f, FX_FUND, "ind", "p1", "A", at(2), 2, cites);
    static const struct {
        drain_feed_state state;
        uint64_t size;
        drain_wait_reason want;
    } cases[] = {
        {DRAIN_FEED_ABSENT, 0, DRAIN_WAIT_CITE_NO_FEED},
        {DRAIN_FEED_OPEN, 3, DRAIN_WAIT_CITE_BEYOND},   /* index 3 of 3 held */
        {DRAIN_FEED_FORKED, 3, DRAIN_WAIT_CITE_BEYOND}, /* beyond comes first */
        {DRAIN_FEED_FORKED, 4, DRAIN_WAIT_CITE_FORKED},
        {DRAIN_FEED_HELD, 4, DRAIN_WAIT_CITE_HELD},
        {DRAIN_FEED_OPEN, 4, DRAIN_WAIT_CITE_WAITING},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        tfeed_view v = {cases[i].state, cases[i].size, CF_OK, 0};
        assert_int_equal(classify(f, &m, &v, &w), cases[i].want);
        /* The applied cite is passed over: the one named is the second. */
        assert_ptr_equal(w.cite, &m.body.match.cites[1]);
        assert_int_equal(v.calls, 1);
        if (cases[i].want == DRAIN_WAIT_CITE_BEYOND) assert_int_equal(w.cited_size, 3);
    }
    /* The view fails: no reason to give. */
    tfeed_view bad = {DRAIN_FEED_OPEN, 4, CF_EIO, 0};
    assert_int_equal(classify(f, &m, &bad, &w), DRAIN_WAIT_OTHER);
    /* Every cite applied: the rules' own reason. */
    entry ok = fx_match(f, FX_FUND, "ind", "p1", "A", at(2), 1, cites);
    tfeed_view v = {DRAIN_FEED_ABSENT, 0, CF_OK, 0};
    assert_int_equal(classify(f, &ok, &v, &w), DRAIN_WAIT_OTHER);
    assert_null(w.cite);
    assert_int_equal(v.calls, 0);
}

#define T(fn) cmocka_unit_test_setup_teardown(fn, fx_case_setup, fx_case_teardown)

int main(void)
{
    const struct CMUnitTest tests[] = {
        T(test_order_and_passes),
        T(test_waits_without_progress),
        T(test_rejected_holds_and_stop),
        T(test_classify_genesis_and_gov),
        T(test_classify_cites),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
