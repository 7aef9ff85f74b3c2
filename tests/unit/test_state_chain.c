/* test_state_chain.c — histories as chains of points with sparse marks
 * (node/ledger/state_chain.h; docs/storage.md "Histories"): what R-MATCH.6
 * reads of a holder's position as of an index of its feed, what the audit
 * reads of it as of a time, and what queries read of a series as of a time.
 *
 * Seeded random feeds: several holders append entries (indices increasing,
 * times never decreasing and often equal), each changing the holder's
 * position in one or two of several projects, and the position series of
 * that (project, holder) by the same amount at the entry's time. Every
 * history's every floor — at each point, between points, before the first
 * and after the latest — is compared with a model kept beside it. Then the
 * layout: a scan of one holder's holdings, and of all series points, visits
 * them in the order they were written (feed and index; time), which is what
 * makes a batch's points share pages (the layout before 9 kept them by
 * project and fails it). A point taken out of a chain reads as a corrupted
 * store, never as a figure. Prints its seed; COFUND_SEED=<n> replays a run.
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

/* The model's floor of x's points (n of them) by index or by time. */
static int64_t model_floor(const point *p, size_t n, uint64_t at, bool by_time)
{
    int64_t v = 0;
    for (size_t i = 0; i < n && (by_time ? p[i].time_ms : p[i].index) <= at; i++)
        v = p[i].position;
    return v;
}

static void check_at(const ledger_kv *kv, int hi, int pj, uint64_t at)
{
    const history *x = &g_hist[hi][pj];
    int64_t got, want;
    state_series s;
    state_series_position(&s, projects[pj], g_holder[hi]);
    assert_int_equal(state_holding_at(kv, g_holder[hi], projects[pj], at, &got), CF_OK);
    if (got != (want = model_floor(x->h, x->nh, at, false)))
        fail_msg("holding of %d in %s as of index %llu: %lld, want %lld (seed %llu)", hi,
                 projects[pj], (unsigned long long)at, (long long)got, (long long)want,
                 (unsigned long long)g_seed);
    assert_int_equal(state_holding_by_time(kv, g_holder[hi], projects[pj], at, &got), CF_OK);
    if (got != (want = model_floor(x->h, x->nh, at, true)))
        fail_msg("holding of %d in %s as of time %llu: %lld, want %lld (seed %llu)", hi,
                 projects[pj], (unsigned long long)at, (long long)got, (long long)want,
                 (unsigned long long)g_seed);
    assert_int_equal(state_series_at(kv, &s, at, &got), CF_OK);
    if (got != (want = model_floor(x->s, x->ns, at, true)))
        fail_msg("position series of %d in %s as of time %llu: %lld, want %lld (seed %llu)", hi,
                 projects[pj], (unsigned long long)at, (long long)got, (long long)want,
                 (unsigned long long)g_seed);
}

static void test_floors(void **state)
{
    (void)state;
    g_seed = g_rng = tu_seed("test_state_chain");
    memkv *m = memkv_new(1);
    assert_non_null(m);
    ledger_kv kv;
    memkv_bind(m, &kv);
    build(&kv);
    for (int hi = 0; hi < HOLDERS; hi++) {
        for (int pj = 0; pj < PROJECTS; pj++) {
            const history *x = &g_hist[hi][pj];
            check_at(&kv, hi, pj, 0);
            check_at(&kv, hi, pj, UINT64_MAX - 1);
            for (size_t i = 0; i < x->nh; i++) {
                check_at(&kv, hi, pj, x->h[i].index);
                check_at(&kv, hi, pj, x->h[i].index + 1);
                if (x->h[i].index) check_at(&kv, hi, pj, x->h[i].index - 1);
                check_at(&kv, hi, pj, x->h[i].time_ms);
                check_at(&kv, hi, pj, x->h[i].time_ms - 1);
            }
        }
    }
    memkv_free(m);
}

struct order {
    uint64_t last;
    size_t n, offset; /* the ordinal's place in the key */
    bool ok;
};

static int in_order(void *arg, const uint8_t *key, size_t klen, const uint8_t *val,
                    size_t vlen)
{
    struct order *o = arg;
    (void)val, (void)vlen;
    assert_true(klen >= o->offset + 8);
    uint64_t at = cf_get_be64(key + o->offset);
    if (o->n && at < o->last) o->ok = false;
    o->last = at;
    o->n++;
    return CF_OK;
}

static void test_layout(void **state)
{
    (void)state;
    g_seed = g_rng = tu_seed("test_state_chain layout");
    memkv *m = memkv_new(1);
    assert_non_null(m);
    ledger_kv kv;
    memkv_bind(m, &kv);
    build(&kv);
    /* One holder's holding points: by index, whatever their project. */
    uint8_t prefix[33] = {'H'};
    memcpy(prefix + 1, g_holder[1], 32);
    struct order o = {.offset = 33, .ok = true};
    assert_int_equal(kv.scan(kv.ctx, prefix, sizeof prefix, false, in_order, &o), CF_OK);
    size_t want = 0;
    for (int pj = 0; pj < PROJECTS; pj++) want += g_hist[1][pj].nh;
    assert_int_equal(o.n, want);
    if (!o.ok) fail_msg("a holder's holding points are not in index order (seed %llu)",
                        (unsigned long long)g_seed);
    /* Every series point: by time, whatever its series. */
    o = (struct order){.offset = 1, .ok = true};
    assert_int_equal(kv.scan(kv.ctx, (const uint8_t *)"S", 1, false, in_order, &o), CF_OK);
    if (!o.ok) fail_msg("series points are not in time order (seed %llu)",
                        (unsigned long long)g_seed);
    memkv_free(m);
}

/* The busiest history's latest holding point, rewritten to link to an index
 * where its history has no point, then with a link that does not go back:
 * a floor that walks through either is a corrupted store, never a figure. */
static void test_broken_link(void **state)
{
    (void)state;
    g_seed = g_rng = tu_seed("test_state_chain broken link");
    memkv *m = memkv_new(1);
    assert_non_null(m);
    ledger_kv kv;
    memkv_bind(m, &kv);
    build(&kv);
    const history *x = &g_hist[0][0];
    assert_true(x->nh > 2);
    const point *last = &x->h[x->nh - 1];
    uint64_t missing = last->index - 1;
    for (size_t i = x->nh; i-- > 0 && x->h[i].index >= missing;)
        if (x->h[i].index == missing) missing--;
    uint8_t key[1 + 32 + 8 + 1 + 16] = {'H'}, val[32];
    size_t n = strlen(projects[0]);
    memcpy(key + 1, g_holder[0], 32);
    cf_put_be64(key + 33, last->index);
    key[41] = (uint8_t)n;
    memcpy(key + 42, projects[0], n);
    const uint8_t *v;
    size_t vlen;
    assert_int_equal(kv.get(kv.ctx, key, 42 + n, &v, &vlen), CF_OK);
    assert_int_equal(vlen, sizeof val);
    memcpy(val, v, sizeof val);
    int64_t got;
    const uint64_t links[2] = {missing, last->index};
    for (int i = 0; i < 2; i++) {
        cf_put_be64(val + 24, links[i]);
        assert_int_equal(kv.put(kv.ctx, key, 42 + n, val, sizeof val), CF_OK);
        assert_int_equal(state_holding_at(&kv, g_holder[0], projects[0], last->index - 1, &got),
                         CF_ESTORE_CORRUPT);
        /* The latest point is its own record: still read. */
        assert_int_equal(state_holding_at(&kv, g_holder[0], projects[0], last->index, &got),
                         CF_OK);
        assert_int_equal(got, last->position);
    }
    memkv_free(m);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_floors),
        cmocka_unit_test(test_layout),
        cmocka_unit_test(test_broken_link),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
