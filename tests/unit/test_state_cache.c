/* test_state_cache.c — the append path's write-back cache of the ledger
 * state (node/home/state_cache.h): get, floor and scan through the cache see
 * the dirty records merged with the store's, in the store's order, exactly
 * as a store written directly would answer; the flush leaves the store as
 * direct writes would have; nothing reaches the store before the flush. The
 * oracle is a memkv given every write (stored and cached alike). */
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
#include "home/state_cache.h"
#include "home/state_kv.h"
#include "ledger/memkv.h"
#include "testutil.h"

typedef struct {
    char dir[TU_PATH_BYTES];
    store *st;
} fix;

static int setup(void **state)
{
    static fix f;
    tu_tmpdir(f.dir, "state_cache");
    assert_int_equal(store_open(f.dir, 0, &f.st), CF_OK);
    *state = &f;
    return 0;
}

static int teardown(void **state)
{
    fix *f = *state;
    store_close(f->st);
    tu_rm_rf(f->dir);
    return 0;
}

static uint64_t rng_next(uint64_t *s)
{
    uint64_t z = (*s += UINT64_C(0x9E3779B97F4A7C15));
    z = (z ^ (z >> 30)) * UINT64_C(0xBF58476D1CE4E5B9);
    z = (z ^ (z >> 27)) * UINT64_C(0x94D049BB133111EB);
    return z ^ (z >> 31);
}

/* Short keys over a small alphabet: prefixes, equal keys and keys that are
 * prefixes of others all occur. */
static size_t rand_key(uint64_t *s, uint8_t *k)
{
    size_t n = 1 + rng_next(s) % 5;
    for (size_t i = 0; i < n; i++) k[i] = (uint8_t)("abc\xff"[rng_next(s) % 4]);
    return n;
}

/* Every record a scan visits, flattened: klen, key, vlen, value. */
typedef struct {
    uint8_t buf[1 << 16];
    size_t len, n, stop_after;
} trace;

static int trace_visit(void *arg, const uint8_t *key, size_t klen, const uint8_t *val,
                       size_t vlen)
{
    trace *t = arg;
    assert_true(t->len + 2 + klen + vlen <= sizeof t->buf);
    t->buf[t->len++] = (uint8_t)klen;
    memcpy(t->buf + t->len, key, klen);
    t->len += klen;
    t->buf[t->len++] = (uint8_t)vlen;
    memcpy(t->buf + t->len, val, vlen);
    t->len += vlen;
    if (++t->n == t->stop_after) return 77; /* a visitor's own stop value */
    return CF_OK;
}

static void same_scan(const ledger_kv *a, const ledger_kv *b, const uint8_t *prefix, size_t plen,
                      bool reverse, size_t stop_after)
{
    static trace ta, tb;
    ta.len = ta.n = tb.len = tb.n = 0;
    ta.stop_after = tb.stop_after = stop_after;
    int ra = a->scan(a->ctx, prefix, plen, reverse, trace_visit, &ta);
    int rb = b->scan(b->ctx, prefix, plen, reverse, trace_visit, &tb);
    assert_int_equal(ra, rb);
    assert_int_equal(ta.n, tb.n);
    assert_int_equal(ta.len, tb.len);
    assert_memory_equal(ta.buf, tb.buf, ta.len);
}

/* What a's get returned, kept to check it stays valid until the next put
 * (ledger_kv's contract), whatever gets, floors and scans run meanwhile. */
typedef struct {
    const uint8_t *at;
    uint8_t copy[16];
    size_t len;
    bool held;
} got;

static void same_get(const ledger_kv *a, const ledger_kv *b, const uint8_t *k, size_t klen,
                     got *g)
{
    const uint8_t *va, *vb;
    size_t la, lb;
    int ra = a->get(a->ctx, k, klen, &va, &la), rb = b->get(b->ctx, k, klen, &vb, &lb);
    assert_int_equal(ra, rb);
    if (ra == CF_OK) {
        assert_int_equal(la, lb);
        assert_memory_equal(va, vb, la);
        assert_true(la <= sizeof g->copy);
        *g = (got){va, {0}, la, true};
        memcpy(g->copy, va, la);
    }
}

static void still_valid(const got *g)
{
    if (g->held) assert_memory_equal(g->at, g->copy, g->len);
}

static void same_floor(const ledger_kv *a, const ledger_kv *b, const uint8_t *k, size_t klen,
                       size_t plen)
{
    const uint8_t *ka, *kb, *va, *vb;
    size_t kla, klb, la, lb;
    int ra = a->floor(a->ctx, k, klen, plen, &ka, &kla, &va, &la);
    int rb = b->floor(b->ctx, k, klen, plen, &kb, &klb, &vb, &lb);
    assert_int_equal(ra, rb);
    if (ra == CF_OK) {
        assert_int_equal(kla, klb);
        assert_memory_equal(ka, kb, kla);
        assert_int_equal(la, lb);
        assert_memory_equal(va, vb, la);
    }
}

struct job {
    uint64_t seed;
    memkv *oracle;
};

/* Phase 1 writes the store directly; phase 2 writes through the cache,
 * checking every read against the oracle, then flushes. */
static int random_txn(store_txn *txn, void *arg)
{
    struct job *j = arg;
    uint64_t s = j->seed;
    ledger_kv direct, cached, o;
    state_cache sc;
    uint8_t k[8], v[16];
    memkv_bind(j->oracle, &o);
    state_kv_init(&direct, txn);
    for (int i = 0; i < 60; i++) {
        size_t klen = rand_key(&s, k), vlen = rng_next(&s) % 12;
        for (size_t b = 0; b < vlen; b++) v[b] = (uint8_t)rng_next(&s);
        assert_int_equal(direct.put(direct.ctx, k, klen, v, vlen), CF_OK);
        assert_int_equal(o.put(o.ctx, k, klen, v, vlen), CF_OK);
    }
    state_cache_init(&sc, txn, &cached);
    got g = {0};
    for (int i = 0; i < 2000; i++) {
        size_t klen = rand_key(&s, k);
        still_valid(&g);
        /* Halfway, a flush (as a long drain makes): reads and writes after
         * it see the store as the flush left it. */
        if (i == 1000) {
            assert_int_equal(state_cache_flush(&sc), CF_OK);
            g.held = false;
        }
        switch (rng_next(&s) % 5) {
        case 0: {
            size_t vlen = rng_next(&s) % 12;
            for (size_t b = 0; b < vlen; b++) v[b] = (uint8_t)rng_next(&s);
            assert_int_equal(cached.put(cached.ctx, k, klen, v, vlen), CF_OK);
            assert_int_equal(o.put(o.ctx, k, klen, v, vlen), CF_OK);
            g.held = false;
            break;
        }
        case 1: same_get(&cached, &o, k, klen, &g); break;
        case 2: same_floor(&cached, &o, k, klen, rng_next(&s) % (klen + 1)); break;
        default: {
            size_t plen = rng_next(&s) % (klen + 1);
            same_scan(&cached, &o, k, plen, rng_next(&s) & 1, 1 + rng_next(&s) % 8);
            same_scan(&cached, &o, k, plen, rng_next(&s) & 1, 0);
            break;
        }
        }
    }
    /* Nothing reached the store yet: the direct view lacks cached-only keys
     * unless phase 1 wrote them. Then the flush makes both views agree. */
    assert_true(state_cache_held(&sc) > 0);
    assert_int_equal(state_cache_flush(&sc), CF_OK);
    assert_int_equal(state_cache_held(&sc), 0);
    same_scan(&direct, &o, NULL, 0, false, 0);
    same_scan(&cached, &o, NULL, 0, true, 0);
    state_cache_free(&sc);
    return CF_OK;
}

static int clear_txn(store_txn *txn, void *arg)
{
    (void)arg;
    return store_kv_clear(txn, STORE_T_STATE, NULL, 0);
}

static void test_random_against_memkv(void **state)
{
    fix *f = *state;
    for (uint64_t seed = 1; seed <= 12; seed++) {
        struct job j = {seed, memkv_new(seed)};
        assert_non_null(j.oracle);
        assert_int_equal(store_write(f->st, random_txn, &j), CF_OK);
        memkv_free(j.oracle); /* the next round starts from the store as left */
        j.oracle = NULL;
        /* Next rounds: a fresh store view, so empty the table first. */
        assert_int_equal(store_write(f->st, clear_txn, NULL), CF_OK);
    }
}

/* Writes through the cache reach the store at the flush and not before;
 * closing without a flush drops them. */
static int unflushed_txn(store_txn *txn, void *arg)
{
    bool flush = *(bool *)arg;
    ledger_kv direct, cached;
    state_cache sc;
    const uint8_t *v;
    size_t vlen;
    state_kv_init(&direct, txn);
    state_cache_init(&sc, txn, &cached);
    assert_int_equal(cached.put(cached.ctx, (const uint8_t *)"k", 1, (const uint8_t *)"v1", 2),
                     CF_OK);
    assert_int_equal(cached.put(cached.ctx, (const uint8_t *)"k", 1, (const uint8_t *)"v22", 3),
                     CF_OK);
    assert_int_equal(direct.get(direct.ctx, (const uint8_t *)"k", 1, &v, &vlen), CF_ENOTFOUND);
    assert_int_equal(cached.get(cached.ctx, (const uint8_t *)"k", 1, &v, &vlen), CF_OK);
    assert_int_equal(vlen, 3);
    if (flush) assert_int_equal(state_cache_flush(&sc), CF_OK);
    state_cache_free(&sc);
    int err = direct.get(direct.ctx, (const uint8_t *)"k", 1, &v, &vlen);
    assert_int_equal(err, flush ? CF_OK : CF_ENOTFOUND);
    if (flush) assert_memory_equal(v, "v22", 3);
    return CF_OK;
}

static void test_flush_writes_once_and_free_drops(void **state)
{
    fix *f = *state;
    bool flush = false;
    assert_int_equal(store_write(f->st, unflushed_txn, &flush), CF_OK);
    assert_int_equal(store_write(f->st, clear_txn, NULL), CF_OK);
    flush = true;
    assert_int_equal(store_write(f->st, unflushed_txn, &flush), CF_OK);
}

/* A key the store refuses is refused at the put, not at the flush. */
static int bad_key_txn(store_txn *txn, void *arg)
{
    (void)arg;
    ledger_kv cached;
    state_cache sc;
    uint8_t big[STORE_KEY_BYTES_MAX + 1] = {0};
    state_cache_init(&sc, txn, &cached);
    assert_int_equal(cached.put(cached.ctx, big, 0, big, 1), CF_EINVAL);
    assert_int_equal(cached.put(cached.ctx, big, sizeof big, big, 1), CF_EINVAL);
    assert_int_equal(cached.put(cached.ctx, big, sizeof big - 1, big, 1), CF_OK);
    assert_int_equal(state_cache_flush(&sc), CF_OK);
    state_cache_free(&sc);
    return CF_OK;
}

static void test_bad_keys_refused_at_put(void **state)
{
    fix *f = *state;
    assert_int_equal(store_write(f->st, bad_key_txn, NULL), CF_OK);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_random_against_memkv, setup, teardown),
        cmocka_unit_test_setup_teardown(test_flush_writes_once_and_free_drops, setup, teardown),
        cmocka_unit_test_setup_teardown(test_bad_keys_refused_at_put, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
