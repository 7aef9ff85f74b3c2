/* test_store_feed.c — feeds in the LMDB store (store/store.h): appends and
 * reads, feed status, roots and every proof (compared with crypto/merkle.h
 * computed over the same leaves in memory, and verified with its verifiers),
 * batches against single appends, aborted transactions, entry limits and the
 * number of feeds. Every test works in a fresh temporary directory that is
 * removed afterwards. Random batch sizes print their seed; set
 * COFUND_SEED=<n> to replay one run.
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
#include "crypto/merkle.h"
#include "store/store.h"
#include "store_fixture.h"
#include "testutil.h"

/* Roots and all proofs are checked at every size up to this one. */
#define PROOF_SIZES_MAX 300

static uint64_t g_seed;
static uint64_t rng_state;

static uint64_t feed_size(store *s, uint8_t tag)
{
    store_txn *t;
    store_feed f;
    uint8_t author[32];
    author_of(tag, author);
    assert_int_equal(store_read_begin(s, &t), CF_OK);
    int r = store_feed_get(t, author, &f);
    store_read_end(t);
    if (r == CF_ENOTFOUND) return 0;
    assert_int_equal(r, CF_OK);
    return f.size;
}

/* ---- appends, reads, roots and proofs ------------------------------------ */

typedef struct {
    uint64_t next;
    uint64_t stop_at;
    unsigned calls;
} visit_state;

static int visit_entry(void *arg, uint64_t index, const uint8_t *bytes,
                       size_t len)
{
    visit_state *v = arg;
    uint8_t buf[ENTRY_TEST_BYTES_MAX];
    size_t wl = make_entry(2, index, 0, buf);
    if (index != v->next || len != wl || memcmp(bytes, buf, len) != 0)
        return -1000;
    v->next++;
    v->calls++;
    return index == v->stop_at ? 77 : 0;
}

static int visit_feed(void *arg, const store_feed *f)
{
    unsigned *n = arg;
    (*n)++;
    return f->size == 40 ? 0 : -2000;
}

static void test_append_read_back(void **state)
{
    fixture *fx = *state;
    store_txn *t;
    uint8_t author[32], root[H];
    author_of(2, author);
    assert_int_equal(append_batch(fx->s, 2, 0, 40, root), CF_OK);
    check_feed(fx->s, 2, 40, 0);
    assert_int_equal(store_read_begin(fx->s, &t), CF_OK);
    assert_false(store_txn_writable(t));
    visit_state v = {.next = 0, .stop_at = UINT64_MAX};
    assert_int_equal(store_entries_each(t, author, 0, 40, visit_entry, &v), CF_OK);
    assert_int_equal(v.calls, 40);
    v = (visit_state){.next = 7, .stop_at = UINT64_MAX};
    assert_int_equal(store_entries_each(t, author, 7, 13, visit_entry, &v), CF_OK);
    assert_int_equal(v.calls, 6);
    v = (visit_state){.next = 3, .stop_at = 5};
    assert_int_equal(store_entries_each(t, author, 3, 40, visit_entry, &v), 77);
    assert_int_equal(v.calls, 3);
    v = (visit_state){.next = 0, .stop_at = UINT64_MAX};
    assert_int_equal(store_entries_each(t, author, 9, 9, visit_entry, &v), CF_OK);
    assert_int_equal(store_entries_each(t, author, 9, 41, visit_entry, &v),
                     CF_ETREE_RANGE);
    assert_int_equal(store_entries_each(t, author, 10, 9, visit_entry, &v),
                     CF_ETREE_RANGE);
    assert_int_equal(v.calls, 0);
    unsigned nfeeds = 0;
    assert_int_equal(store_feeds_each(t, visit_feed, &nfeeds), CF_OK);
    assert_int_equal(nfeeds, 1);
    /* Unknown feeds. */
    uint8_t other[32], h[H], proof[MERKLE_PROOF_MAX][H];
    const uint8_t *e;
    size_t len, n;
    store_feed f;
    author_of(99, other);
    assert_int_equal(store_feed_get(t, other, &f), CF_ENOTFOUND);
    assert_int_equal(store_entry_get(t, other, 0, &e, &len), CF_ENOTFOUND);
    assert_int_equal(store_leaf_get(t, other, 0, h), CF_ENOTFOUND);
    assert_int_equal(store_root(t, other, 0, h), CF_ENOTFOUND);
    /* Beyond the size. */
    assert_int_equal(store_root(t, author, 41, h), CF_ETREE_RANGE);
    assert_int_equal(store_inclusion_proof(t, author, 3, 41, proof, &n),
                     CF_ETREE_RANGE);
    assert_int_equal(store_inclusion_proof(t, author, 40, 40, proof, &n),
                     CF_ETREE_RANGE);
    assert_int_equal(store_consistency_proof(t, author, 3, 41, proof, &n),
                     CF_ETREE_RANGE);
    assert_int_equal(store_consistency_proof(t, author, 0, 4, proof, &n),
                     CF_ETREE_RANGE);
    assert_int_equal(store_root(t, author, 0, h), CF_OK);
    merkle_empty_root(root);
    assert_memory_equal(h, root, H);
    /* Writes in a read transaction. */
    store_appender a;
    assert_int_equal(store_append_begin(t, author, &a), CF_ESTORE_READONLY);
    assert_int_equal(store_feed_set_status(t, author, 1, 0), CF_ESTORE_READONLY);
    assert_int_equal(store_checkpoint_put(t, author, 1, "x", 1),
                     CF_ESTORE_READONLY);
    assert_int_equal(store_kv_put(t, STORE_T_STATE, "k", 1, "v", 1),
                     CF_ESTORE_READONLY);
    assert_int_equal(store_kv_del(t, STORE_T_STATE, "k", 1), CF_ESTORE_READONLY);
    store_read_end(t);
}

static int status_fn(store_txn *t, void *arg)
{
    const store_feed *f = arg;
    return store_feed_set_status(t, f->author, f->applied, f->flags);
}

static void test_feed_status(void **state)
{
    fixture *fx = *state;
    store_txn *t;
    store_feed f = {.applied = 4, .flags = STORE_FEED_HELD};
    author_of(3, f.author);
    assert_int_equal(store_write(fx->s, status_fn, &f), CF_ENOTFOUND);
    assert_int_equal(append_batch(fx->s, 3, 0, 10, NULL), CF_OK);
    assert_int_equal(store_write(fx->s, status_fn, &f), CF_OK);
    f.applied = 11;
    assert_int_equal(store_write(fx->s, status_fn, &f), CF_ERANGE);
    f.applied = 10;
    f.flags = 1u << 7;
    assert_int_equal(store_write(fx->s, status_fn, &f), CF_EINVAL);
    /* Appending keeps applied and flags. */
    assert_int_equal(append_batch(fx->s, 3, 10, 5, NULL), CF_OK);
    store_feed g;
    assert_int_equal(store_read_begin(fx->s, &t), CF_OK);
    assert_int_equal(store_feed_get(t, f.author, &g), CF_OK);
    assert_int_equal(g.size, 15);
    assert_int_equal(g.applied, 4);
    assert_int_equal(g.flags, STORE_FEED_HELD);
    store_read_end(t);
}

/* Appends set_status between append and finish: finish keeps it. */
static int append_and_status_fn(store_txn *t, void *arg)
{
    (void)arg;
    store_appender a;
    uint8_t author[32], buf[ENTRY_TEST_BYTES_MAX], leaf[H], want[H];
    int r;
    author_of(4, author);
    if ((r = store_append_begin(t, author, &a)) != CF_OK) return r;
    size_t len = make_entry(4, store_append_size(&a), 0, buf);
    if ((r = store_append(&a, buf, len, leaf)) != CF_OK) return r;
    merkle_leaf_hash(buf, len, want);
    if (memcmp(leaf, want, H) != 0) return -1;
    if ((r = store_feed_set_status(t, author, 1, STORE_FEED_FORKED)) != CF_OK)
        return r;
    if ((r = store_append_finish(&a, NULL)) != CF_OK) return r;
    /* The appender has ended. */
    if (store_append(&a, buf, len, NULL) != CF_EINVAL) return -2;
    if (store_append_finish(&a, NULL) != CF_EINVAL) return -3;
    return CF_OK;
}

/* The appender's size and root while appending: those of the stored tree
 * at begin, then of every entry appended so far, and the root finish gives. */
static int append_accessors_fn(store_txn *t, void *arg)
{
    (void)arg;
    store_appender a;
    uint8_t author[32], buf[ENTRY_TEST_BYTES_MAX], root[H], want[H];
    int r;
    author_of(5, author);
    if ((r = store_append_begin(t, author, &a)) != CF_OK) return r;
    if (store_append_size(&a) != 3) return -1;
    store_append_root(&a, root);
    if ((r = store_root(t, author, 3, want)) != CF_OK) return r;
    if (memcmp(root, want, H) != 0) return -2;
    for (uint64_t i = 3; i < 6; i++) {
        size_t len = make_entry(5, i, 0, buf);
        if ((r = store_append(&a, buf, len, NULL)) != CF_OK) return r;
        if (store_append_size(&a) != i + 1) return -3;
    }
    store_append_root(&a, root);
    if ((r = store_append_finish(&a, want)) != CF_OK) return r;
    if (memcmp(root, want, H) != 0) return -4;
    if (store_append_size(&a) != 6) return -5;
    if ((r = store_root(t, author, 6, want)) != CF_OK) return r;
    return memcmp(root, want, H) == 0 ? CF_OK : -6;
}

static void test_append_size_and_root(void **state)
{
    fixture *fx = *state;
    assert_int_equal(append_batch(fx->s, 5, 0, 3, NULL), CF_OK);
    assert_int_equal(store_write(fx->s, append_accessors_fn, NULL), CF_OK);
}

static void test_status_during_append(void **state)
{
    fixture *fx = *state;
    store_txn *t;
    store_feed g;
    uint8_t author[32];
    author_of(4, author);
    assert_int_equal(append_batch(fx->s, 4, 0, 3, NULL), CF_OK);
    assert_int_equal(store_write(fx->s, append_and_status_fn, NULL), CF_OK);
    assert_int_equal(store_read_begin(fx->s, &t), CF_OK);
    assert_int_equal(store_feed_get(t, author, &g), CF_OK);
    assert_int_equal(g.size, 4);
    assert_int_equal(g.applied, 1);
    assert_int_equal(g.flags, STORE_FEED_FORKED);
    store_read_end(t);
    check_feed(fx->s, 4, 4, 0);
}

/* Root, every inclusion proof and every consistency proof at every size up
 * to PROOF_SIZES_MAX, from the store, against memory and the verifiers. */
static void test_roots_and_proofs(void **state)
{
    fixture *fx = *state;
    uint8_t author[32], buf[ENTRY_TEST_BYTES_MAX];
    uint8_t (*roots)[H] = calloc(PROOF_SIZES_MAX + 1, H);
    uint8_t (*leaves)[H] = calloc(PROOF_SIZES_MAX, H);
    assert_non_null(roots);
    assert_non_null(leaves);
    memtree *m = memtree_new();
    author_of(5, author);
    merkle_empty_root(roots[0]);
    /* One entry per transaction: the root returned by the appender at each
     * size is the in-memory root. */
    for (uint64_t i = 0; i < PROOF_SIZES_MAX; i++) {
        uint8_t root[H];
        assert_int_equal(append_batch(fx->s, 5, i, 1, root), CF_OK);
        size_t len = make_entry(5, i, 0, buf);
        memtree_push(m, buf, len);
        merkle_leaf_hash(buf, len, leaves[i]);
        assert_int_equal(merkle_root(memtree_get, m, i + 1, roots[i + 1]), CF_OK);
        assert_memory_equal(root, roots[i + 1], H);
    }
    store_txn *t;
    unsigned long nincl = 0, ncons = 0;
    assert_int_equal(store_read_begin(fx->s, &t), CF_OK);
    for (uint64_t n = 0; n <= PROOF_SIZES_MAX; n++) {
        uint8_t root[H];
        assert_int_equal(store_root(t, author, n, root), CF_OK);
        assert_memory_equal(root, roots[n], H);
        for (uint64_t i = 0; i < n; i++, nincl++) {
            uint8_t proof[MERKLE_PROOF_MAX][H], mp[MERKLE_PROOF_MAX][H];
            size_t cnt, mcnt;
            assert_int_equal(store_inclusion_proof(t, author, i, n, proof, &cnt),
                             CF_OK);
            assert_int_equal(merkle_inclusion_proof(memtree_get, m, i, n, mp,
                                                    &mcnt),
                             CF_OK);
            assert_int_equal(cnt, mcnt);
            if (cnt) assert_memory_equal(proof, mp, cnt * H);
            assert_int_equal(merkle_verify_inclusion(leaves[i], H, i, n,
                                                     &proof[0][0], cnt * H,
                                                     roots[n], H),
                             CF_OK);
        }
        for (uint64_t o = 1; o <= n; o++, ncons++) {
            uint8_t proof[MERKLE_PROOF_MAX][H], mp[MERKLE_PROOF_MAX][H];
            size_t cnt, mcnt;
            assert_int_equal(store_consistency_proof(t, author, o, n, proof,
                                                     &cnt),
                             CF_OK);
            assert_int_equal(merkle_consistency_proof(memtree_get, m, o, n, mp,
                                                      &mcnt),
                             CF_OK);
            assert_int_equal(cnt, mcnt);
            if (cnt) assert_memory_equal(proof, mp, cnt * H);
            assert_int_equal(merkle_verify_consistency(o, n, roots[o], H,
                                                       roots[n], H,
                                                       &proof[0][0], cnt * H),
                             CF_OK);
        }
    }
    /* Every complete subtree, and the first incomplete one per height. */
    for (unsigned level = 0; level < 10; level++) {
        uint8_t got[H], want[H];
        uint64_t idx = 0;
        for (; ((idx + 1) << level) <= PROOF_SIZES_MAX; idx++) {
            assert_int_equal(store_subtree(t, author, level, idx, got), CF_OK);
            assert_int_equal(memtree_get(m, level, idx, want), CF_OK);
            assert_memory_equal(got, want, H);
        }
        assert_int_equal(store_subtree(t, author, level, idx, got), CF_ENOTFOUND);
    }
    uint8_t got[H];
    assert_int_not_equal(store_subtree(t, author, 64, 0, got), CF_OK);
    assert_int_not_equal(store_subtree(t, author, 63, 1, got), CF_OK);
    assert_int_not_equal(store_subtree(t, author, 0, UINT64_MAX, got), CF_OK);
    uint8_t other[32];
    author_of(77, other);
    assert_int_equal(store_subtree(t, other, 0, 0, got), CF_ENOTFOUND);
    store_read_end(t);
    print_message("store: %lu inclusion and %lu consistency proofs checked\n",
                  nincl, ncons);
    memtree_free(m);
    free(roots);
    free(leaves);
}

/* Every stored node, compared through roots at every size and every proof
 * at the final size. */
static void compare_feeds(store *a, store *b, uint8_t tag, uint64_t size)
{
    store_txn *ta, *tb;
    uint8_t author[32];
    author_of(tag, author);
    assert_int_equal(store_read_begin(a, &ta), CF_OK);
    assert_int_equal(store_read_begin(b, &tb), CF_OK);
    for (uint64_t n = 0; n <= size; n++) {
        uint8_t ra[H], rb[H];
        assert_int_equal(store_root(ta, author, n, ra), CF_OK);
        assert_int_equal(store_root(tb, author, n, rb), CF_OK);
        assert_memory_equal(ra, rb, H);
    }
    for (uint64_t i = 0; i < size; i++) {
        uint8_t pa[MERKLE_PROOF_MAX][H], pb[MERKLE_PROOF_MAX][H], la[H], lb[H];
        size_t na, nb;
        const uint8_t *ea, *eb;
        size_t lena, lenb;
        assert_int_equal(store_inclusion_proof(ta, author, i, size, pa, &na), CF_OK);
        assert_int_equal(store_inclusion_proof(tb, author, i, size, pb, &nb), CF_OK);
        assert_int_equal(na, nb);
        if (na) assert_memory_equal(pa, pb, na * H);
        assert_int_equal(store_leaf_get(ta, author, i, la), CF_OK);
        assert_int_equal(store_leaf_get(tb, author, i, lb), CF_OK);
        assert_memory_equal(la, lb, H);
        assert_int_equal(store_entry_get(ta, author, i, &ea, &lena), CF_OK);
        assert_int_equal(store_entry_get(tb, author, i, &eb, &lenb), CF_OK);
        assert_int_equal(lena, lenb);
        assert_memory_equal(ea, eb, lena);
    }
    store_read_end(ta);
    store_read_end(tb);
}

static void test_batch_vs_single(void **state)
{
    (void)state;
    enum { N = 700 };
    char d1[TU_PATH_BYTES], d2[TU_PATH_BYTES], d3[TU_PATH_BYTES];
    store *s1, *s2, *s3;
    tu_tmpdir(d1, "test-store");
    tu_tmpdir(d2, "test-store");
    tu_tmpdir(d3, "test-store");
    assert_int_equal(store_open(d1, 0, &s1), CF_OK);
    assert_int_equal(store_open(d2, 0, &s2), CF_OK);
    assert_int_equal(store_open(d3, 0, &s3), CF_OK);
    uint8_t r1[H], r2[H], r3[H];
    for (uint64_t i = 0; i < N; i++)
        assert_int_equal(append_batch(s1, 6, i, 1, r1), CF_OK);
    rng_state = g_seed;
    for (uint64_t i = 0; i < N;) {
        uint64_t k = 1 + tu_rng_next(&rng_state) % 97;
        if (k > N - i) k = N - i;
        assert_int_equal(append_batch(s2, 6, i, k, r2), CF_OK);
        i += k;
    }
    assert_int_equal(append_batch(s3, 6, 0, N, r3), CF_OK);
    assert_memory_equal(r1, r2, H);
    assert_memory_equal(r1, r3, H);
    compare_feeds(s1, s2, 6, N);
    compare_feeds(s1, s3, 6, N);
    check_feed(s2, 6, N, 0);
    store_close(s1);
    store_close(s2);
    store_close(s3);
    tu_rm_rf(d1);
    tu_rm_rf(d2);
    tu_rm_rf(d3);
}

/* ---- aborts -------------------------------------------------------------- */

typedef struct {
    uint8_t author[32];
    int fail_with;
} abort_job;

static int everything_fn(store_txn *t, void *arg)
{
    abort_job *j = arg;
    store_appender a;
    uint8_t buf[ENTRY_TEST_BYTES_MAX];
    int r;
    if ((r = store_append_begin(t, j->author, &a)) != CF_OK) return r;
    for (int k = 0; k < 20; k++) {
        size_t len = make_entry(7, store_append_size(&a), 0, buf);
        if ((r = store_append(&a, buf, len, NULL)) != CF_OK) return r;
    }
    if ((r = store_append_finish(&a, NULL)) != CF_OK) return r;
    if ((r = store_feed_set_status(t, j->author, 3, STORE_FEED_HELD)) != CF_OK)
        return r;
    if ((r = store_checkpoint_put(t, j->author, 99, "ckpt", 4)) != CF_OK) return r;
    if ((r = store_kv_put(t, STORE_T_STATE, "abort-key", 9, "v", 1)) != CF_OK)
        return r;
    if ((r = store_kv_del(t, STORE_T_STATE, "keep", 4)) != CF_OK) return r;
    return j->fail_with;
}

static void test_abort_leaves_nothing(void **state)
{
    fixture *fx = *state;
    store_txn *t;
    abort_job j = {.fail_with = CF_EREJECTED};
    author_of(7, j.author);
    assert_int_equal(store_write(fx->s, kv_put_fn, "keep"), CF_OK);
    /* A new feed. */
    assert_int_equal(store_write(fx->s, everything_fn, &j), CF_EREJECTED);
    store_feed f;
    const uint8_t *v;
    const char *note;
    size_t len;
    assert_int_equal(store_read_begin(fx->s, &t), CF_OK);
    assert_int_equal(store_feed_get(t, j.author, &f), CF_ENOTFOUND);
    assert_int_equal(store_entry_get(t, j.author, 0, &v, &len), CF_ENOTFOUND);
    assert_int_equal(store_checkpoint_get(t, j.author, 99, &note, &len),
                     CF_ENOTFOUND);
    assert_int_equal(store_kv_get(t, STORE_T_STATE, "abort-key", 9, &v, &len),
                     CF_ENOTFOUND);
    assert_int_equal(store_kv_get(t, STORE_T_STATE, "keep", 4, &v, &len), CF_OK);
    store_read_end(t);
    store_info info;
    assert_int_equal(store_get_info(fx->s, &info), CF_OK);
    assert_int_equal(info.feeds, 0);
    /* An existing feed. */
    uint8_t root[H], after[H];
    assert_int_equal(append_batch(fx->s, 7, 0, 13, root), CF_OK);
    assert_int_equal(store_write(fx->s, everything_fn, &j), CF_EREJECTED);
    assert_int_equal(store_read_begin(fx->s, &t), CF_OK);
    assert_int_equal(store_feed_get(t, j.author, &f), CF_OK);
    assert_int_equal(f.size, 13);
    assert_int_equal(f.applied, 0);
    assert_int_equal(f.flags, 0);
    assert_int_equal(store_entry_get(t, j.author, 13, &v, &len), CF_ENOTFOUND);
    assert_int_equal(store_root(t, j.author, 13, after), CF_OK);
    assert_memory_equal(root, after, H);
    store_read_end(t);
    check_feed(fx->s, 7, 13, 0);
    /* Then the same work commits. */
    j.fail_with = CF_OK;
    assert_int_equal(store_write(fx->s, everything_fn, &j), CF_OK);
    check_feed(fx->s, 7, 33, 0);
}

static void test_feed_created_in_aborted_txn(void **state)
{
    fixture *fx = *state;
    append_job j = {.tag = 8, .count = 5, .fail_with = CF_EREJECTED};
    author_of(8, j.author);
    /* Created and aborted twice (its DBI is closed by LMDB each time). */
    assert_int_equal(store_write(fx->s, append_fn, &j), CF_EREJECTED);
    assert_int_equal(store_write(fx->s, append_fn, &j), CF_EREJECTED);
    assert_int_equal(feed_size(fx->s, 8), 0);
    /* Another feed created meanwhile keeps working. */
    assert_int_equal(append_batch(fx->s, 9, 0, 4, NULL), CF_OK);
    j.fail_with = CF_OK;
    assert_int_equal(store_write(fx->s, append_fn, &j), CF_OK);
    check_feed(fx->s, 8, 5, 0);
    check_feed(fx->s, 9, 4, 0);
    assert_int_equal(append_batch(fx->s, 8, 5, 3, NULL), CF_OK);
    check_feed(fx->s, 8, 8, 0);
    /* And after reopening (feeds opened at open). */
    store_close(fx->s);
    assert_int_equal(store_open(fx->dir, 0, &fx->s), CF_OK);
    check_feed(fx->s, 8, 8, 0);
    check_feed(fx->s, 9, 4, 0);
}

/* A read transaction that overlaps a write creating a feed. */
static void test_overlapping_txns(void **state)
{
    fixture *fx = *state;
    store_txn *t;
    const uint8_t *e;
    size_t len;
    uint8_t author[32];
    author_of(10, author);
    assert_int_equal(store_read_begin(fx->s, &t), CF_OK);
    assert_int_equal(append_batch(fx->s, 10, 0, 3, NULL), CF_OK);
    /* The DBI was opened by a transaction that began after t: t cannot use
     * it (and the feed is not in t's snapshot either). */
    assert_int_equal(store_entry_get(t, author, 0, &e, &len), CF_ESTORE);
    store_read_end(t);
    check_feed(fx->s, 10, 3, 0);
}

/* ---- entry limits and bad appends ---------------------------------------- */

static int limits_fn(store_txn *t, void *arg)
{
    (void)arg;
    static uint8_t big[STORE_ENTRY_BYTES_MAX + 1];
    store_appender a;
    uint8_t author[32];
    int r;
    author_of(11, author);
    memset(big, 0xab, sizeof big);
    if ((r = store_append_begin(t, author, &a)) != CF_OK) return r;
    if (store_append(&a, big, 0, NULL) != CF_EINVAL) return -1;
    if (store_append(&a, NULL, 5, NULL) != CF_EINVAL) return -2;
    if (store_append(&a, big, sizeof big, NULL) != CF_ETOOBIG) return -3;
    if ((r = store_append(&a, big, STORE_ENTRY_BYTES_MAX, NULL)) != CF_OK) return r;
    if ((r = store_append(&a, big, 1, NULL)) != CF_OK) return r;
    return store_append_finish(&a, NULL);
}

static void test_entry_limits(void **state)
{
    fixture *fx = *state;
    store_txn *t;
    uint8_t author[32];
    const uint8_t *e;
    size_t len;
    author_of(11, author);
    assert_int_equal(store_write(fx->s, limits_fn, NULL), CF_OK);
    assert_int_equal(store_read_begin(fx->s, &t), CF_OK);
    assert_int_equal(store_entry_get(t, author, 0, &e, &len), CF_OK);
    assert_int_equal(len, STORE_ENTRY_BYTES_MAX);
    assert_int_equal(store_entry_get(t, author, 1, &e, &len), CF_OK);
    assert_int_equal(len, 1);
    store_read_end(t);
    assert_int_equal(store_write(NULL, limits_fn, NULL), CF_EINVAL);
    assert_int_equal(store_write(fx->s, NULL, NULL), CF_EINVAL);
}

/* ---- feed limit ---------------------------------------------------------- */

typedef struct {
    uint32_t from, count;
} many_job;

static int many_feeds_fn(store_txn *t, void *arg)
{
    const many_job *j = arg;
    uint8_t author[32] = {0}, e[1] = {1};
    int r;
    for (uint32_t i = j->from; i < j->from + j->count; i++) {
        store_appender a;
        cf_put_be32(author, i);
        if ((r = store_append_begin(t, author, &a)) != CF_OK) return r;
        if ((r = store_append(&a, e, 1, NULL)) != CF_OK) return r;
        if ((r = store_append_finish(&a, NULL)) != CF_OK) return r;
    }
    return CF_OK;
}

static void test_feeds_max(void **state)
{
    fixture *fx = *state;
    store_info info;
    for (uint32_t i = 0; i < STORE_FEEDS_MAX; i += 512) {
        many_job j = {i, 512};
        assert_int_equal(store_write(fx->s, many_feeds_fn, &j), CF_OK);
    }
    many_job one = {STORE_FEEDS_MAX, 1};
    assert_int_equal(store_write(fx->s, many_feeds_fn, &one),
                     CF_ESTORE_FEEDS_MAX);
    store_close(fx->s);
    assert_int_equal(store_open(fx->dir, 0, &fx->s), CF_OK);
    assert_int_equal(store_get_info(fx->s, &info), CF_OK);
    assert_int_equal(info.feeds, STORE_FEEDS_MAX);
    /* Existing feeds still take appends after reopening. */
    many_job again = {STORE_FEEDS_MAX - 1, 1};
    assert_int_equal(store_write(fx->s, many_feeds_fn, &again), CF_OK);
    assert_int_equal(store_write(fx->s, many_feeds_fn, &one),
                     CF_ESTORE_FEEDS_MAX);
}

int main(void)
{
    g_seed = tu_seed("test_store_feed");
    unsetenv("COFUND_MAP_BYTES");
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_append_read_back, fx_setup, fx_teardown),
        cmocka_unit_test_setup_teardown(test_feed_status, fx_setup, fx_teardown),
        cmocka_unit_test_setup_teardown(test_append_size_and_root, fx_setup, fx_teardown),
        cmocka_unit_test_setup_teardown(test_status_during_append, fx_setup, fx_teardown),
        cmocka_unit_test_setup_teardown(test_roots_and_proofs, fx_setup, fx_teardown),
        cmocka_unit_test(test_batch_vs_single),
        cmocka_unit_test_setup_teardown(test_abort_leaves_nothing, fx_setup, fx_teardown),
        cmocka_unit_test_setup_teardown(test_feed_created_in_aborted_txn, fx_setup, fx_teardown),
        cmocka_unit_test_setup_teardown(test_overlapping_txns, fx_setup, fx_teardown),
        cmocka_unit_test_setup_teardown(test_entry_limits, fx_setup, fx_teardown),
        cmocka_unit_test_setup_teardown(test_feeds_max, fx_setup, fx_teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
