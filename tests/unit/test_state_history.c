/* test_state_history.c — histories kept as a head and full blocks
 * (node/ledger/state_history.h; docs/storage.md "Histories"): what
 * R-MATCH.6 reads of a holder's position as of an index of its feed, what
 * the audit reads of it as of a time, and what queries read of a series as
 * of a time.
 *
 * Seeded random feeds: several holders append entries (indices increasing,
 * times never decreasing and often equal), each changing the holder's
 * position in one or two of several projects (one often, one rarely), and
 * the position series of that (project, holder) by the same amount at the
 * entry's time. Every history's every floor — at each point, between
 * points, before the first and after the latest — is compared with a model
 * kept beside it. The layout: a history of n points is its head and n/16
 * blocks (the layout before 9 kept a record per point, one B-tree leaf per
 * project and batch, and fails it). A block that went missing makes every
 * floor that needs it a corrupted store, never a figure; a malformed window
 * does not decode. Prints its seed; COFUND_SEED=<n> replays a run.
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
#include "crypto/cf_util.h"
#include "ledger/memkv.h"
#include "ledger/state.h"
#include "ledger/state_history.h"
#include "testutil.h"

#define HOLDERS 3
#define PROJECTS 4
#define ENTRIES 700 /* per holder: ~44 marks a history at the most */
#define POINTS_MAX (2 * ENTRIES)

static const char *const projects[PROJECTS] = {"robotics", "a", "ab", "sensors"};

typedef struct {
    uint64_t index, time_ms;
    int64_t position; /* after the entry */
} point;

/* One (holder, project): its holding points, and its series points (one
 * per distinct time: entries at the same time share one). */
typedef struct {
    point h[POINTS_MAX];
    size_t nh;
    point s[POINTS_MAX];
    size_t ns;
} history;

static history g_hist[HOLDERS][PROJECTS];
static uint8_t g_holder[HOLDERS][32];
static uint64_t g_seed, g_rng;

static uint64_t below(uint64_t n) { return tu_rng_next(&g_rng) % n; }

static void record(const ledger_kv *kv, int hi, int pj, uint64_t index, uint64_t time_ms,
                   int64_t delta)
{
    history *x = &g_hist[hi][pj];
    int64_t pos = (x->nh ? x->h[x->nh - 1].position : 0) + delta;
    state_holding latest;
    assert_int_equal(state_holding_get(kv, g_holder[hi], projects[pj], &latest), CF_OK);
    assert_int_equal(state_holding_put(kv, g_holder[hi], projects[pj], &latest, index, time_ms,
                                       pos),
                     CF_OK);
    assert_int_equal(latest.position, pos);
    x->h[x->nh++] = (point){index, time_ms, pos};
    state_series s;
    state_series_position(&s, projects[pj], g_holder[hi]);
    assert_int_equal(state_series_add(kv, &s, time_ms, delta), CF_OK);
    if (x->ns && x->s[x->ns - 1].time_ms == time_ms)
        x->s[x->ns - 1].position = pos;
    else
        x->s[x->ns++] = (point){index, time_ms, pos};
}

static void build(const ledger_kv *kv)
{
    memset(g_hist, 0, sizeof g_hist);
    for (int hi = 0; hi < HOLDERS; hi++) {
        for (int b = 0; b < 32; b++) g_holder[hi][b] = (uint8_t)(hi * 37 + b);
        uint64_t t = 1000 + below(1000);
        /* Skewed: project 0 changes often, the last rarely (long gaps). */
        for (uint64_t index = below(3); index < ENTRIES; index += 1 + below(2)) {
            if (below(3) == 0) t += below(5000);
            uint64_t r = below(100);
            int pj = r < 55 ? 0 : r < 80 ? 1 : r < 97 ? 2 : 3;
            record(kv, hi, pj, index, t, (int64_t)below(1000000) - 300000);
            if (below(10) == 0) record(kv, hi, (pj + 1) % PROJECTS, index, t, 1 + (int64_t)below(99));
        }
    }
}

/* A fresh in-memory state bound to *kv, with the seeded histories built
 * into it (seed printed as `what`'s). The caller frees the memkv. */
static memkv *built_state(const char *what, ledger_kv *kv)
{
    g_seed = g_rng = tu_seed(what);
    memkv *m = memkv_new(1);
    assert_non_null(m);
    memkv_bind(m, kv);
    build(kv);
    return m;
}

/* The model's floor of x's points (n of them) by index or by time. */
static int64_t model_floor(const point *p, size_t n, uint64_t at, bool by_time)
{
    int64_t v = 0;
    for (size_t i = 0; i < n && (by_time ? p[i].time_ms : p[i].index) <= at; i++)
        v = p[i].position;
    return v;
}

/* The three floors of (holder, project) at `at`, each's error and value. */
static void floors(const ledger_kv *kv, int hi, int pj, uint64_t at, int err[3], int64_t got[3])
{
    state_series s;
    state_series_position(&s, projects[pj], g_holder[hi]);
    err[0] = state_holding_at(kv, g_holder[hi], projects[pj], at, &got[0]);
    err[1] = state_holding_by_time(kv, g_holder[hi], projects[pj], at, &got[1]);
    err[2] = state_series_at(kv, &s, at, &got[2]);
}

static const char *const what[3] = {"holding as of index", "holding as of time",
                                    "position series as of time"};

/* Each floor is the model's, or (tolerant) a corrupted store; returns how
 * many were the latter. */
static int check_at(const ledger_kv *kv, int hi, int pj, uint64_t at, bool tolerant)
{
    const history *x = &g_hist[hi][pj];
    int err[3], corrupt = 0;
    int64_t got[3], want[3] = {model_floor(x->h, x->nh, at, false),
                               model_floor(x->h, x->nh, at, true),
                               model_floor(x->s, x->ns, at, true)};
    floors(kv, hi, pj, at, err, got);
    for (int i = 0; i < 3; i++) {
        if (tolerant && err[i] == CF_ESTORE_CORRUPT) {
            corrupt++;
            continue;
        }
        if (err[i] != CF_OK || got[i] != want[i])
            fail_msg("%s %llu of %d in %s: error %d, %lld, want %lld (seed %llu)", what[i],
                     (unsigned long long)at, hi, projects[pj], err[i], (long long)got[i],
                     (long long)want[i], (unsigned long long)g_seed);
    }
    return corrupt;
}

/* Every floor worth asking of one history: at, around and between its
 * points' indices and times, before the first and after the latest. */
static int check_history(const ledger_kv *kv, int hi, int pj, bool tolerant)
{
    const history *x = &g_hist[hi][pj];
    int corrupt = check_at(kv, hi, pj, 0, tolerant) +
                  check_at(kv, hi, pj, UINT64_MAX - 1, tolerant);
    for (size_t i = 0; i < x->nh; i++) {
        corrupt += check_at(kv, hi, pj, x->h[i].index, tolerant);
        corrupt += check_at(kv, hi, pj, x->h[i].index + 1, tolerant);
        if (x->h[i].index) corrupt += check_at(kv, hi, pj, x->h[i].index - 1, tolerant);
        corrupt += check_at(kv, hi, pj, x->h[i].time_ms, tolerant);
        corrupt += check_at(kv, hi, pj, x->h[i].time_ms - 1, tolerant);
    }
    return corrupt;
}

static void test_floors(void **state)
{
    (void)state;
    ledger_kv kv;
    memkv *m = built_state("test_state_history", &kv);
    for (int hi = 0; hi < HOLDERS; hi++)
        for (int pj = 0; pj < PROJECTS; pj++) check_history(&kv, hi, pj, false);
    memkv_free(m);
}

static int count_visit(void *arg, const uint8_t *key, size_t klen, const uint8_t *val,
                       size_t vlen)
{
    (void)key, (void)klen, (void)val, (void)vlen;
    ++*(size_t *)arg;
    return CF_OK;
}

static size_t count_prefix(const ledger_kv *kv, const uint8_t *prefix, size_t plen)
{
    size_t n = 0;
    assert_int_equal(kv->scan(kv->ctx, prefix, plen, false, count_visit, &n), CF_OK);
    return n;
}

/* 'H' || holder || project (length first): one history's blocks. */
static size_t holding_key(uint8_t *k, int hi, int pj)
{
    size_t n = strlen(projects[pj]);
    k[0] = 'H';
    memcpy(k + 1, g_holder[hi], 32);
    k[33] = (uint8_t)n;
    memcpy(k + 34, projects[pj], n);
    return 34 + n;
}

static void test_layout(void **state)
{
    (void)state;
    ledger_kv kv;
    memkv *m = built_state("test_state_history layout", &kv);
    size_t heads = 0, blocks = 0;
    for (int hi = 0; hi < HOLDERS; hi++) {
        for (int pj = 0; pj < PROJECTS; pj++) {
            const history *x = &g_hist[hi][pj];
            uint8_t k[64];
            size_t klen = holding_key(k, hi, pj);
            if (count_prefix(&kv, k, klen) != x->nh / HISTORY_BLOCK)
                fail_msg("%d's history in %s: %zu points, %zu blocks (seed %llu)", hi,
                         projects[pj], x->nh, count_prefix(&kv, k, klen),
                         (unsigned long long)g_seed);
            state_series s;
            state_series_position(&s, projects[pj], g_holder[hi]);
            k[0] = 'S';
            memcpy(k + 1, s.bytes, s.len);
            assert_int_equal(count_prefix(&kv, k, 1 + s.len), x->ns / HISTORY_BLOCK);
            heads += (x->nh > 0) + (x->ns > 0);
            blocks += x->nh / HISTORY_BLOCK + x->ns / HISTORY_BLOCK;
        }
    }
    /* Nothing else: a head per history, its full blocks. */
    assert_int_equal(memkv_count(m), heads + blocks);
    memkv_free(m);
}

/* A ledger_kv over a memkv that drops the put of one key. */
typedef struct {
    ledger_kv inner;
    const uint8_t *drop;
    size_t drop_len;
    int dropped;
} dropping;

static int d_get(void *ctx, const uint8_t *key, size_t klen, const uint8_t **val, size_t *vlen)
{
    dropping *d = ctx;
    return d->inner.get(d->inner.ctx, key, klen, val, vlen);
}
static int d_put(void *ctx, const uint8_t *key, size_t klen, const uint8_t *val, size_t vlen)
{
    dropping *d = ctx;
    if (klen == d->drop_len && memcmp(key, d->drop, klen) == 0) {
        d->dropped++;
        return CF_OK;
    }
    return d->inner.put(d->inner.ctx, key, klen, val, vlen);
}
static int d_scan(void *ctx, const uint8_t *prefix, size_t plen, bool reverse,
                  ledger_kv_visit_fn fn, void *arg)
{
    dropping *d = ctx;
    return d->inner.scan(d->inner.ctx, prefix, plen, reverse, fn, arg);
}
static int d_floor(void *ctx, const uint8_t *key, size_t klen, size_t plen,
                   const uint8_t **fkey, size_t *fklen, const uint8_t **val, size_t *vlen)
{
    dropping *d = ctx;
    return d->inner.floor(d->inner.ctx, key, klen, plen, fkey, fklen, val, vlen);
}

/* Holder 0's busiest history without its second block (points 16..31):
 * every floor whose answer lies from its previous block's last point up to
 * before its own last is refused as a corrupted store; every other is the
 * model's. */
static void test_missing_block(void **state)
{
    (void)state;
    dropping d = {.drop_len = 0};
    ledger_kv kv = {.ctx = &d, .get = d_get, .put = d_put, .scan = d_scan, .floor = d_floor};
    /* The block's key: known once the history is built, so build twice
     * from the same seed, the second time dropping it. */
    memkv *m = built_state("test_state_history missing block", &d.inner);
    const history *x = &g_hist[0][0];
    assert_true(x->nh >= 3 * HISTORY_BLOCK);
    uint8_t key[80];
    size_t klen = holding_key(key, 0, 0);
    cf_put_be64(key + klen, ~x->h[2 * HISTORY_BLOCK - 1].index);
    d.drop = key;
    d.drop_len = klen + 8;
    memkv_free(m);
    assert_non_null(m = memkv_new(1));
    memkv_bind(m, &d.inner);
    g_rng = g_seed;
    build(&kv);
    assert_int_equal(d.dropped, 1);
    /* Indices from point 15's up to before point 31's need the block. */
    uint64_t from = x->h[HISTORY_BLOCK - 1].index, to = x->h[2 * HISTORY_BLOCK - 1].index;
    int corrupt = 0;
    for (uint64_t at = 0; at <= x->h[x->nh - 1].index + 1; at++) {
        int err[3];
        int64_t got[3];
        floors(&kv, 0, 0, at, err, got);
        if (at >= from && at < to) {
            if (err[0] != CF_ESTORE_CORRUPT)
                fail_msg("holding as of index %llu without the block it needs: error %d, %lld "
                         "(seed %llu)", (unsigned long long)at, err[0], (long long)got[0],
                         (unsigned long long)g_seed);
            corrupt++;
        } else if (err[0] != CF_OK || got[0] != model_floor(x->h, x->nh, at, false)) {
            fail_msg("holding as of index %llu: error %d (seed %llu)", (unsigned long long)at,
                     err[0], (unsigned long long)g_seed);
        }
    }
    assert_true(corrupt > 0);
    /* The other floors of every history: the model's, or refused. */
    for (int hi = 0; hi < HOLDERS; hi++)
        for (int pj = 0; pj < PROJECTS; pj++) check_history(&kv, hi, pj, hi == 0 && pj == 0);
    memkv_free(m);
}

/* Windows that do not decode: each a corrupted store. */
static void test_malformed_window(void **state)
{
    (void)state;
    state_history h = {.block_tag = 'H', .id = (const uint8_t *)"x", .id_len = 1, .plen = 8};
    /* flags (a previous point), count 3, the previous point (ordinal 5),
     * then points 10, 11, 12; payloads zero */
    uint8_t v[2 + 4 * 16] = {1, 3}, bad[sizeof v];
    const uint64_t ordinals[4] = {5, 10, 11, 12};
    for (int i = 0; i < 4; i++) cf_put_be64(v + 2 + 16 * i, ordinals[i]);
    size_t n = sizeof v;
    history_window out;
    assert_int_equal(history_decode(&h, v, n, &out), CF_OK);
    assert_true(out.has_prev && out.prev.ordinal == 5 && out.count == 3 &&
                out.points[2].ordinal == 12);
    struct {
        size_t at;
        uint8_t byte;
        const char *why;
    } cases[] = {
        {0, 2, "an unknown flag"},
        {1, 0, "no point"},
        {1, HISTORY_BLOCK + 1, "17 points"},
        {1, 2, "fewer points than bytes"},
        {2 + 7, 11, "the previous point not before the first"},
        {2 + 16 + 16 + 7, 10, "ordinals not increasing"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        memcpy(bad, v, n);
        bad[cases[i].at] = cases[i].byte;
        if (history_decode(&h, bad, n, &out) != CF_ESTORE_CORRUPT)
            fail_msg("a window with %s decoded", cases[i].why);
    }
    assert_int_equal(history_decode(&h, v, n - 1, &out), CF_ESTORE_CORRUPT);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_floors),
        cmocka_unit_test(test_layout),
        cmocka_unit_test(test_missing_block),
        cmocka_unit_test(test_malformed_window),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
