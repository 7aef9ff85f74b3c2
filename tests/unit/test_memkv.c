/* test_memkv.c — the in-memory ordered map behind ledger_kv (memkv.h).
 *
 * Hand-written cases pin LMDB's default order (memcmp, then shorter first:
 * "" < "a" < "a\0" < "ab" < "b"), replacement of values in place and by
 * reallocation, prefix scans both ways with early stop, and floor within a
 * prefix. A random test runs 100,000 operations against a sorted array and
 * prints its seed; COFUND_SEED=<n> replays it.
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
#include "ledger/memkv.h"
#include "ledger/state.h"
#include "testutil.h"

#define RANDOM_OPS 100000
#define KEY_BYTES_MAX 5 /* 9,331 possible keys: many hits */
#define REF_CAP 10000
#define VAL_BYTES_MAX 48

typedef struct {
    memkv *m;
    ledger_kv kv;
} kvt;

static int setup(void **state)
{
    kvt *t = calloc(1, sizeof *t);
    if (t == NULL || (t->m = memkv_new(42)) == NULL) {
        free(t);
        return -1;
    }
    memkv_bind(t->m, &t->kv);
    *state = t;
    return 0;
}

static int teardown(void **state)
{
    kvt *t = *state;
    memkv_free(t->m);
    free(t);
    return 0;
}

static void put(kvt *t, const char *k, size_t kl, const char *v)
{
    assert_int_equal(t->kv.put(t->kv.ctx, (const uint8_t *)k, kl, (const uint8_t *)v, strlen(v)),
                     CF_OK);
}

static void expect_get(kvt *t, const char *k, size_t kl, const char *want)
{
    const uint8_t *v = NULL;
    size_t vl = 0;
    int rc = t->kv.get(t->kv.ctx, (const uint8_t *)k, kl, &v, &vl);
    if (want == NULL) {
        assert_int_equal(rc, CF_ENOTFOUND);
        return;
    }
    assert_int_equal(rc, CF_OK);
    assert_int_equal(vl, strlen(want));
    if (vl) assert_memory_equal(v, want, vl);
}

/* The ordered test keys, each with its length (some hold NUL bytes). */
static const struct {
    const char *k;
    size_t n;
} ordered[] = {{"", 0},    {"a", 1},     {"a\0", 2},  {"a\0\0", 3}, {"a\x01", 2},
               {"ab", 2},  {"abc", 3},   {"b", 1},    {"b\xff", 2}, {"\xff", 1}};
#define NORDERED (sizeof ordered / sizeof ordered[0])

static void put_ordered(kvt *t)
{
    /* Insert out of order: evens descending, then odds. */
    for (size_t i = NORDERED; i-- > 0;)
        if (i % 2 == 0) put(t, ordered[i].k, ordered[i].n, ordered[i].k[0] ? "v" : "e");
    for (size_t i = 0; i < NORDERED; i++)
        if (i % 2 == 1) put(t, ordered[i].k, ordered[i].n, "v");
    assert_int_equal(memkv_count(t->m), NORDERED);
}

/* Collects scanned keys; stops (returning 7) after `stop` keys when > 0. */
typedef struct {
    char keys[16][8];
    size_t lens[16];
    size_t n, stop;
} collect;

static int collect_visit(void *arg, const uint8_t *key, size_t klen, const uint8_t *val,
                         size_t vlen)
{
    collect *c = arg;
    (void)val;
    (void)vlen;
    assert_true(c->n < 16 && klen < 8);
    memcpy(c->keys[c->n], key, klen);
    c->lens[c->n++] = klen;
    return c->stop && c->n == c->stop ? 7 : 0;
}

/* Scan prefix and expect ordered[first..last] (reversed when reverse). */
static void expect_scan(kvt *t, const char *p, size_t pl, bool reverse, size_t first,
                        size_t last)
{
    collect c = {.n = 0};
    assert_int_equal(t->kv.scan(t->kv.ctx, (const uint8_t *)p, pl, reverse, collect_visit, &c),
                     CF_OK);
    assert_int_equal(c.n, last - first + 1);
    for (size_t i = 0; i < c.n; i++) {
        size_t want = reverse ? last - i : first + i;
        assert_int_equal(c.lens[i], ordered[want].n);
        assert_memory_equal(c.keys[i], ordered[want].k, c.lens[i]);
    }
}

static void expect_floor(kvt *t, const char *k, size_t kl, size_t pl, int want)
{
    const uint8_t *fk, *v;
    size_t fkl, vl;
    int rc = t->kv.floor(t->kv.ctx, (const uint8_t *)k, kl, pl, &fk, &fkl, &v, &vl);
    if (want < 0) {
        assert_int_equal(rc, CF_ENOTFOUND);
        return;
    }
    assert_int_equal(rc, CF_OK);
    assert_int_equal(fkl, ordered[want].n);
    assert_memory_equal(fk, ordered[want].k, fkl);
}

static void test_get_put_replace_grow_shrink(void **state)
{
    kvt *t = *state;
    expect_get(t, "k", 1, NULL);
    put(t, "k", 1, "short");
    expect_get(t, "k", 1, "short");
    put(t, "k", 1, "a much longer value that needs a new allocation");
    expect_get(t, "k", 1, "a much longer value that needs a new allocation");
    put(t, "k", 1, "s");
    expect_get(t, "k", 1, "s");
    put(t, "k", 1, "");
    expect_get(t, "k", 1, "");
    put(t, "k", 1, "grown again past the old value's capacity, so reallocated");
    expect_get(t, "k", 1, "grown again past the old value's capacity, so reallocated");
    assert_int_equal(memkv_count(t->m), 1);
    expect_get(t, "k\0", 2, NULL);
    expect_get(t, "", 0, NULL);
    put(t, "", 0, "empty key");
    expect_get(t, "", 0, "empty key");
    expect_get(t, "k", 1, "grown again past the old value's capacity, so reallocated");
    assert_int_equal(memkv_count(t->m), 2);
}

static void test_order_is_lmdb_order(void **state)
{
    kvt *t = *state;
    put_ordered(t);
    expect_scan(t, "", 0, false, 0, NORDERED - 1);
    expect_scan(t, "", 0, true, 0, NORDERED - 1);
    for (size_t i = 0; i < NORDERED; i++) expect_get(t, ordered[i].k, ordered[i].n, ordered[i].k[0] ? "v" : "e");
}

static void test_scan_prefixes(void **state)
{
    kvt *t = *state;
    put_ordered(t);
    expect_scan(t, "a", 1, false, 1, 6);
    expect_scan(t, "a", 1, true, 1, 6);
    expect_scan(t, "a\0", 2, false, 2, 3);
    expect_scan(t, "a\0", 2, true, 2, 3);
    expect_scan(t, "ab", 2, false, 5, 6);
    expect_scan(t, "b", 1, true, 7, 8);
    expect_scan(t, "\xff", 1, false, 9, 9);
    collect c = {.n = 0};
    assert_int_equal(t->kv.scan(t->kv.ctx, (const uint8_t *)"c", 1, false, collect_visit, &c), CF_OK);
    assert_int_equal(t->kv.scan(t->kv.ctx, (const uint8_t *)"abcd", 4, true, collect_visit, &c), CF_OK);
    assert_int_equal(c.n, 0);
}

static void test_scan_early_stop(void **state)
{
    kvt *t = *state;
    put_ordered(t);
    for (int reverse = 0; reverse < 2; reverse++) {
        collect c = {.n = 0, .stop = 2};
        assert_int_equal(t->kv.scan(t->kv.ctx, (const uint8_t *)"a", 1, reverse, collect_visit, &c), 7);
        assert_int_equal(c.n, 2);
        size_t want = reverse ? 5 : 2; /* the second key visited */
        assert_int_equal(c.lens[1], ordered[want].n);
        assert_memory_equal(c.keys[1], ordered[want].k, c.lens[1]);
    }
}

static void test_floor_semantics(void **state)
{
    kvt *t = *state;
    expect_floor(t, "a", 1, 0, -1); /* empty map */
    put_ordered(t);
    expect_floor(t, "a", 1, 0, 1);        /* exact */
    expect_floor(t, "a", 1, 1, 1);
    expect_floor(t, "a\0", 2, 1, 2);      /* "a\0" > "a" */
    expect_floor(t, "a\0\0\0", 4, 1, 3);  /* longer: below it, "a\0\0" */
    expect_floor(t, "a\0\x05", 3, 2, 3);
    expect_floor(t, "a\x01", 2, 2, 4);
    expect_floor(t, "a\x02", 2, 1, 4);
    expect_floor(t, "aa", 2, 1, 4);       /* between "a\x01" and "ab" */
    expect_floor(t, "ab\xff", 3, 2, 6);   /* "abc" */
    expect_floor(t, "a\xff", 2, 1, 6);
    expect_floor(t, "b", 1, 0, 7);
    expect_floor(t, "b\x01", 2, 2, -1);   /* "b" does not share 2 bytes */
    expect_floor(t, "b\x01", 2, 1, 7);
    expect_floor(t, "c", 1, 1, -1);       /* "b\xff" lacks prefix "c" */
    expect_floor(t, "c", 1, 0, 8);
    expect_floor(t, "\xff\xff", 2, 0, 9);
    expect_floor(t, "", 0, 0, 0);         /* the empty key */
    /* A prefix longer than the key is a caller's error, as in the LMDB store. */
    const uint8_t *fk, *v;
    size_t fkl, vl;
    assert_int_equal(t->kv.floor(t->kv.ctx, (const uint8_t *)"a", 1, 2, &fk, &fkl, &v, &vl),
                     CF_EINVAL);
}

/* ---- random operations against a sorted array ---------------------------- */

typedef struct {
    uint8_t k[KEY_BYTES_MAX], v[VAL_BYTES_MAX];
    size_t kl, vl;
} rec;

/* The reference order, written out separately from memkv's. */
static int ref_cmp(const uint8_t *a, size_t al, const uint8_t *b, size_t bl)
{
    for (size_t i = 0; i < al && i < bl; i++)
        if (a[i] != b[i]) return a[i] < b[i] ? -1 : 1;
    return al == bl ? 0 : al < bl ? -1 : 1;
}

/* Index of the first record >= key. */
static size_t ref_lower(const rec *r, size_t n, const uint8_t *k, size_t kl)
{
    size_t lo = 0, hi = n;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (ref_cmp(r[mid].k, r[mid].kl, k, kl) < 0) lo = mid + 1;
        else hi = mid;
    }
    return lo;
}

static void random_key(uint64_t *s, uint8_t *k, size_t *kl)
{
    /* A tiny alphabet with NUL and 0xff: many shared prefixes and hits. */
    static const uint8_t alpha[] = {0x00, 0x01, 'a', 'b', 0xfe, 0xff};
    *kl = tu_rng_next(s) % (KEY_BYTES_MAX + 1);
    for (size_t i = 0; i < *kl; i++) k[i] = alpha[tu_rng_next(s) % sizeof alpha];
}

typedef struct {
    const rec *want;
    size_t n, pos, stop;
    bool reverse;
} ref_walk;

static int walk_visit(void *arg, const uint8_t *key, size_t klen, const uint8_t *val,
                      size_t vlen)
{
    ref_walk *w = arg;
    assert_true(w->pos < w->n);
    const rec *r = w->reverse ? &w->want[w->n - 1 - w->pos] : &w->want[w->pos];
    assert_int_equal(klen, r->kl);
    assert_int_equal(vlen, r->vl);
    if (klen) assert_memory_equal(key, r->k, klen);
    if (vlen) assert_memory_equal(val, r->v, vlen);
    w->pos++;
    return w->stop && w->pos == w->stop ? 99 : 0;
}

static void test_random_against_sorted_array(void **state)
{
    kvt *t = *state;
    uint64_t s = tu_seed_default("test_memkv random", 0x600dcafe);
    size_t cap = REF_CAP, n = 0;
    rec *r = calloc(cap, sizeof *r);
    assert_non_null(r);
    for (unsigned op = 0; op < RANDOM_OPS; op++) {
        uint8_t k[KEY_BYTES_MAX];
        size_t kl;
        random_key(&s, k, &kl);
        size_t at = ref_lower(r, n, k, kl);
        bool found = at < n && ref_cmp(r[at].k, r[at].kl, k, kl) == 0;
        unsigned what = (unsigned)(tu_rng_next(&s) % 8);
        if (what < 3) { /* put */
            rec x = {.kl = kl, .vl = tu_rng_next(&s) % (VAL_BYTES_MAX + 1)};
            memcpy(x.k, k, kl);
            for (size_t i = 0; i < x.vl; i++) x.v[i] = (uint8_t)tu_rng_next(&s);
            assert_int_equal(t->kv.put(t->kv.ctx, x.k, kl, x.v, x.vl), CF_OK);
            if (!found) {
                assert_true(n < cap);
                memmove(&r[at + 1], &r[at], (n - at) * sizeof *r);
                n++;
            }
            r[at] = x;
        } else if (what < 5) { /* get */
            const uint8_t *v;
            size_t vl;
            int rc = t->kv.get(t->kv.ctx, k, kl, &v, &vl);
            assert_int_equal(rc, found ? CF_OK : CF_ENOTFOUND);
            if (found) {
                assert_int_equal(vl, r[at].vl);
                if (vl) assert_memory_equal(v, r[at].v, vl);
            }
        } else if (what < 7) { /* floor within a prefix of the key */
            size_t pl = kl ? tu_rng_next(&s) % (kl + 1) : 0;
            const uint8_t *fk, *v;
            size_t fkl, vl;
            int rc = t->kv.floor(t->kv.ctx, k, kl, pl, &fk, &fkl, &v, &vl);
            const rec *want = found ? &r[at] : at > 0 ? &r[at - 1] : NULL;
            if (want && (want->kl < pl || memcmp(want->k, k, pl) != 0)) want = NULL;
            assert_int_equal(rc, want ? CF_OK : CF_ENOTFOUND);
            if (want) {
                assert_int_equal(fkl, want->kl);
                if (fkl) assert_memory_equal(fk, want->k, fkl);
                assert_int_equal(vl, want->vl);
            }
        } else { /* scan a prefix (up to 2 bytes), maybe reverse, maybe stopping */
            size_t pl = kl < 2 ? kl : tu_rng_next(&s) % 3;
            size_t lo = ref_lower(r, n, k, pl), hi = lo;
            while (hi < n && r[hi].kl >= pl && memcmp(r[hi].k, k, pl) == 0) hi++;
            ref_walk w = {&r[lo], hi - lo, 0, tu_rng_next(&s) % 4, tu_rng_next(&s) % 2 == 1};
            if (w.stop > w.n) w.stop = 0;
            int rc = t->kv.scan(t->kv.ctx, k, pl, w.reverse, walk_visit, &w);
            assert_int_equal(rc, w.stop ? 99 : CF_OK);
            assert_int_equal(w.pos, w.stop ? w.stop : w.n);
        }
    }
    assert_int_equal(memkv_count(t->m), n);
    /* Finally the whole map, both ways. */
    for (int reverse = 0; reverse < 2; reverse++) {
        ref_walk w = {r, n, 0, 0, reverse == 1};
        assert_int_equal(t->kv.scan(t->kv.ctx, (const uint8_t *)"", 0, w.reverse, walk_visit, &w), CF_OK);
        assert_int_equal(w.pos, n);
    }
    free(r);
}

static void test_seed_does_not_change_results(void **state)
{
    (void)state;
    memkv *a = memkv_new(0), *b = memkv_new(UINT64_MAX);
    assert_non_null(a);
    assert_non_null(b);
    ledger_kv ka, kb;
    memkv_bind(a, &ka);
    memkv_bind(b, &kb);
    for (unsigned i = 0; i < 5000; i++) {
        uint8_t k[4] = {(uint8_t)(i * 7919 >> 8), (uint8_t)(i * 7919), (uint8_t)i, 0};
        assert_int_equal(ka.put(ka.ctx, k, 3, k, 4), CF_OK);
        assert_int_equal(kb.put(kb.ctx, k, 3, k, 4), CF_OK);
    }
    assert_int_equal(memkv_count(a), memkv_count(b));
    const uint8_t *fa, *fb, *va, *vb;
    size_t la, lb, vla, vlb;
    for (unsigned i = 0; i < 256; i++) {
        uint8_t k[2] = {(uint8_t)i, 0x80};
        int ra = ka.floor(ka.ctx, k, 2, 0, &fa, &la, &va, &vla);
        int rb = kb.floor(kb.ctx, k, 2, 0, &fb, &lb, &vb, &vlb);
        assert_int_equal(ra, rb);
        if (ra == CF_OK) {
            assert_int_equal(la, lb);
            assert_memory_equal(fa, fb, la);
        }
    }
    memkv_free(a);
    memkv_free(b);
    memkv_free(NULL);
}

static int count_visit(void *arg, const uint8_t *key, size_t klen, const uint8_t *val,
                       size_t vlen)
{
    (void)key, (void)klen, (void)val, (void)vlen;
    ++*(size_t *)arg;
    return 0;
}

/* ledger_kv.latest_only (the offline audit's state): a series keeps its
 * head and no points, reads as of the latest time agree with a full state,
 * and a read as of an earlier time is refused rather than answered wrong. */
static void test_series_latest_only(void **state)
{
    (void)state;
    memkv *full_m = memkv_new(1), *lean_m = memkv_new(1);
    assert_non_null(full_m);
    assert_non_null(lean_m);
    ledger_kv full, lean;
    memkv_bind(full_m, &full);
    memkv_bind(lean_m, &lean);
    assert_false(lean.latest_only); /* binders default to keeping history */
    lean.latest_only = true;
    const uint8_t holder[32] = {7};
    state_series s;
    state_series_position(&s, "robotics", holder);
    const ledger_kv *kvs[2] = {&full, &lean};
    for (int i = 0; i < 2; i++) {
        assert_int_equal(state_series_add(kvs[i], &s, 1000, 500), CF_OK);
        assert_int_equal(state_series_add(kvs[i], &s, 2000, 250), CF_OK);
        assert_int_equal(state_series_add(kvs[i], &s, 1500, 1), CF_EINVAL); /* time order */
    }
    int64_t v;
    state_series_head h;
    for (int i = 0; i < 2; i++) {
        assert_int_equal(state_series_at(kvs[i], &s, STATE_TIME_LATEST, &v), CF_OK);
        assert_int_equal(v, 750);
        assert_int_equal(state_series_head_get(kvs[i], &s, &h), CF_OK);
        assert_true(h.exists);
        assert_int_equal(h.time_ms, 2000);
        assert_int_equal(h.value, 750);
    }
    assert_int_equal(state_series_at(&full, &s, 1500, &v), CF_OK);
    assert_int_equal(v, 500);
    assert_int_equal(state_series_at(&lean, &s, 1500, &v), CF_EINVAL);
    /* 15 more points fill the first block (state_history.h): the full state
     * holds the directory record (the head) and the block, the lean one the
     * directory record only, and it still answers the latest time only. */
    for (int i = 0; i < 2; i++)
        for (uint64_t t = 3000; t < 3000 + 15 * 100; t += 100)
            assert_int_equal(state_series_add(kvs[i], &s, t, 1), CF_OK);
    assert_int_equal(state_series_at(&full, &s, 1500, &v), CF_OK);
    assert_int_equal(v, 500);
    assert_int_equal(state_series_at(&full, &s, 3150, &v), CF_OK);
    assert_int_equal(v, 752);
    assert_int_equal(state_series_at(&lean, &s, STATE_TIME_LATEST, &v), CF_OK);
    assert_int_equal(v, 765);
    assert_int_equal(state_series_at(&lean, &s, 3150, &v), CF_EINVAL);
    size_t nfull = 0, nlean = 0;
    assert_int_equal(full.scan(full.ctx, NULL, 0, false, count_visit, &nfull), CF_OK);
    assert_int_equal(lean.scan(lean.ctx, NULL, 0, false, count_visit, &nlean), CF_OK);
    assert_int_equal(nfull, 2);
    assert_int_equal(nlean, 1);
    memkv_free(full_m);
    memkv_free(lean_m);
}

/* ---- long shared prefixes: what a batch's flush orders ---------------------- */

#define LONG_KEY_MAX 48
#define LONG_PUTS 3000

typedef struct {
    uint8_t k[LONG_KEY_MAX];
    size_t kl;
    uint32_t seq;
} long_rec;

static int long_cmp(const void *pa, const void *pb)
{
    const long_rec *a = pa, *b = pb;
    int c = ref_cmp(a->k, a->kl, b->k, b->kl);
    if (c) return c;
    return a->seq < b->seq ? -1 : a->seq > b->seq; /* the latest put last */
}

typedef struct {
    const long_rec *want;
    size_t n, pos;
} long_walk;

static int long_visit(void *arg, const uint8_t *key, size_t klen, const uint8_t *val,
                      size_t vlen)
{
    long_walk *w = arg;
    assert_true(w->pos < w->n);
    const long_rec *r = &w->want[w->pos++];
    assert_int_equal(klen, r->kl);
    assert_memory_equal(key, r->k, klen);
    assert_int_equal(vlen, sizeof r->seq);
    assert_memory_equal(val, &r->seq, sizeof r->seq);
    return 0;
}

/* Keys like the state's (a kind, a 32-byte holder, then what differs), put
 * in random order, some repeated, some a prefix of others, some ending in
 * zero bytes (which the sort's words pad with), a few differing early; now
 * and then a scan orders part of them first. The whole map then walks in
 * LMDB's order, each key with its latest value: by a scan (rounds 0-3) and
 * by memkv_drain (rounds 4-7: the ordered records and the pending ones
 * merged, as a write-back cache's flush walks them). */
static void test_long_shared_prefixes_in_order(void **state)
{
    (void)state;
    uint64_t s = tu_seed_default("test_memkv long prefixes", 0x10c0ffee);
    static const uint8_t alpha[] = {0x00, 0x01, 0x7f, 0x80, 0xff};
    long_rec *r = calloc(LONG_PUTS, sizeof *r);
    assert_non_null(r);
    for (int round = 0; round < 8; round++) {
        memkv *m = memkv_new(tu_rng_next(&s));
        ledger_kv kv;
        assert_non_null(m);
        memkv_bind(m, &kv);
        uint8_t holder[32];
        for (size_t i = 0; i < 32; i++) holder[i] = (uint8_t)tu_rng_next(&s);
        for (uint32_t i = 0; i < LONG_PUTS; i++) {
            long_rec *x = &r[i];
            if (i > 0 && tu_rng_next(&s) % 8 == 0) { /* a key put before, again */
                *x = r[tu_rng_next(&s) % i];
            } else {
                x->k[0] = (uint8_t)"hHIC"[tu_rng_next(&s) % (round % 2 ? 4 : 1)];
                memcpy(x->k + 1, holder, 32);
                if (tu_rng_next(&s) % 64 == 0) x->k[1 + tu_rng_next(&s) % 32] ^= 0x10;
                x->kl = 33 + tu_rng_next(&s) % (LONG_KEY_MAX - 33 + 1);
                for (size_t j = 33; j < x->kl; j++) x->k[j] = alpha[tu_rng_next(&s) % sizeof alpha];
            }
            x->seq = i;
            assert_int_equal(kv.put(kv.ctx, x->k, x->kl, (const uint8_t *)&x->seq, sizeof x->seq),
                             CF_OK);
            if (tu_rng_next(&s) % 700 == 0) { /* order what is pending under one kind */
                size_t ignored = 0;
                assert_int_equal(kv.scan(kv.ctx, x->k, 1, false, count_visit, &ignored), CF_OK);
            }
        }
        /* The reference: sorted, the latest of each key kept. */
        qsort(r, LONG_PUTS, sizeof *r, long_cmp);
        size_t n = 0;
        for (size_t i = 0; i < LONG_PUTS; i++) {
            if (n > 0 && ref_cmp(r[n - 1].k, r[n - 1].kl, r[i].k, r[i].kl) == 0) n--;
            r[n++] = r[i];
        }
        long_walk w = {r, n, 0};
        if (round < 4)
            assert_int_equal(kv.scan(kv.ctx, NULL, 0, false, long_visit, &w), CF_OK);
        else
            assert_int_equal(memkv_drain(m, long_visit, &w), CF_OK);
        assert_int_equal(w.pos, n);
        assert_int_equal(memkv_count(m), n);
        memkv_free(m);
    }
    free(r);
}

static int stop_at_third(void *arg, const uint8_t *key, size_t klen, const uint8_t *val,
                         size_t vlen)
{
    (void)key, (void)klen, (void)val, (void)vlen;
    return ++*(int *)arg == 3 ? 7 : 0;
}

/* A drain stops where a visit says so, with its value; an empty map visits
 * nothing. */
static void test_drain_stops(void **state)
{
    (void)state;
    memkv *m = memkv_new(1);
    ledger_kv kv;
    assert_non_null(m);
    memkv_bind(m, &kv);
    int seen = 0;
    assert_int_equal(memkv_drain(m, stop_at_third, &seen), CF_OK);
    assert_int_equal(seen, 0);
    memkv_free(m);
    m = memkv_new(2);
    assert_non_null(m);
    memkv_bind(m, &kv);
    for (uint8_t i = 0; i < 5; i++) assert_int_equal(kv.put(kv.ctx, &i, 1, &i, 1), CF_OK);
    assert_int_equal(memkv_drain(m, stop_at_third, &seen), 7);
    assert_int_equal(seen, 3);
    memkv_free(m);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_get_put_replace_grow_shrink, setup, teardown),
        cmocka_unit_test_setup_teardown(test_order_is_lmdb_order, setup, teardown),
        cmocka_unit_test_setup_teardown(test_scan_prefixes, setup, teardown),
        cmocka_unit_test_setup_teardown(test_scan_early_stop, setup, teardown),
        cmocka_unit_test_setup_teardown(test_floor_semantics, setup, teardown),
        cmocka_unit_test_setup_teardown(test_random_against_sorted_array, setup, teardown),
        cmocka_unit_test(test_seed_does_not_change_results),
        cmocka_unit_test(test_series_latest_only),
        cmocka_unit_test(test_long_shared_prefixes_in_order),
        cmocka_unit_test(test_drain_stops),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
