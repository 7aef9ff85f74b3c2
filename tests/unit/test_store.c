/* test_store.c — the LMDB store (store/store.h).
 *
 * Every test works in a fresh mkdtemp directory that is removed afterwards.
 * Roots and proofs read from the store are compared with crypto/merkle.h
 * computed over the same leaves in memory, and verified with its verifiers.
 * Multi-process cases fork real children that open their own handle; disk
 * full is simulated with RLIMIT_FSIZE in a child. Random batch sizes print
 * their seed; set COFUND_SEED=<n> to replay one run.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <dirent.h>
#include <errno.h>
#include <signal.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cmocka.h>

#include "cf_error.h"
#include "cf_util.h"
#include "merkle.h"
#include "store.h"
#include "store_testing.h"

#define H MERKLE_HASH_BYTES
/* Roots and all proofs are checked at every size up to this one. */
#define PROOF_SIZES_MAX 300
/* Leaves remembered in memory by one test (the largest feed we build). */
#define LEAVES_MAX 6000
/* Test entries: a tag, the index, then filler; at most this long except for
 * the explicit limit tests. */
#define ENTRY_TEST_BYTES_MAX 1200
#define PATH_MAX_BYTES 512

static uint64_t g_seed;
static uint64_t rng_state;

static uint64_t rng_next(void) /* splitmix64 */
{
    uint64_t z = (rng_state += 0x9e3779b97f4a7c15ull);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
    return z ^ (z >> 31);
}

/* ---- directories -------------------------------------------------------- */

static void make_dir(char out[PATH_MAX_BYTES])
{
    snprintf(out, PATH_MAX_BYTES, "/tmp/cofund-test-store-XXXXXX");
    assert_non_null(mkdtemp(out));
}

static void path_join(char out[PATH_MAX_BYTES], const char *dir,
                      const char *name)
{
    int n = snprintf(out, PATH_MAX_BYTES, "%s/%s", dir, name);
    assert_true(n > 0 && n < PATH_MAX_BYTES);
}

static void rm_rf(const char *path)
{
    struct stat st;
    if (lstat(path, &st) != 0) return;
    if (S_ISDIR(st.st_mode)) {
        chmod(path, 0700);
        DIR *d = opendir(path);
        if (d) {
            struct dirent *e;
            while ((e = readdir(d)) != NULL) {
                if (!strcmp(e->d_name, ".") || !strcmp(e->d_name, "..")) continue;
                char sub[PATH_MAX_BYTES];
                path_join(sub, path, e->d_name);
                rm_rf(sub);
            }
            closedir(d);
        }
        rmdir(path);
    } else {
        unlink(path);
    }
}

static void copy_file(const char *from, const char *to, mode_t mode)
{
    FILE *in = fopen(from, "rb"), *out = fopen(to, "wb");
    assert_non_null(in);
    assert_non_null(out);
    char buf[65536];
    size_t n;
    while ((n = fread(buf, 1, sizeof buf, in)) > 0)
        assert_int_equal(fwrite(buf, 1, n, out), n);
    fclose(in);
    assert_int_equal(fclose(out), 0);
    assert_int_equal(chmod(to, mode), 0);
}

/* ---- entries and in-memory trees ---------------------------------------- */

static void author_of(uint8_t tag, uint8_t author[32])
{
    for (int i = 0; i < 32; i++) author[i] = (uint8_t)(tag * 7 + i);
}

/* Deterministic, distinct entries: tag, index, filler; 10 .. 10 + 199 bytes,
 * or `big` bytes when big is non-zero. */
static size_t make_entry(uint8_t tag, uint64_t i, size_t big,
                         uint8_t buf[ENTRY_TEST_BYTES_MAX])
{
    size_t len = big ? big : 10 + (size_t)((i * 37 + tag) % 200);
    assert_true(len <= ENTRY_TEST_BYTES_MAX && len >= 9);
    buf[0] = tag;
    cf_put_be64(buf + 1, i);
    for (size_t j = 9; j < len; j++) buf[j] = (uint8_t)(i * 131 + j * 17 + tag);
    return len;
}

/* Every perfect subtree of a tree built in memory, by (height, position). */
typedef struct {
    uint64_t size;
    merkle_stream stream;
    uint8_t (*nodes[14])[H]; /* nodes[h][i]: 2^13 > LEAVES_MAX */
} memtree;

static memtree *memtree_new(void)
{
    memtree *m = calloc(1, sizeof *m);
    assert_non_null(m);
    merkle_stream_init(&m->stream);
    for (unsigned h = 0; h < 14; h++) {
        m->nodes[h] = calloc((LEAVES_MAX >> h) + 1, H);
        assert_non_null(m->nodes[h]);
    }
    return m;
}

static void memtree_free(memtree *m)
{
    for (unsigned h = 0; h < 14; h++) free(m->nodes[h]);
    free(m);
}

static void memtree_push(memtree *m, const uint8_t *entry, size_t len)
{
    uint8_t leaf[H], done[65][H];
    unsigned nd;
    assert_true(m->size < LEAVES_MAX);
    merkle_leaf_hash(entry, len, leaf);
    merkle_stream_push(&m->stream, leaf, done, &nd);
    for (unsigned h = 0; h < nd; h++)
        memcpy(m->nodes[h][m->size >> h], done[h], H);
    m->size++;
}

static int memtree_get(void *ctx, unsigned level, uint64_t index, uint8_t out[H])
{
    memtree *m = ctx;
    assert_true(level < 14);
    assert_true(((index + 1) << level) <= m->size);
    memcpy(out, m->nodes[level][index], H);
    return CF_OK;
}

/* ---- store_write callbacks ---------------------------------------------- */

typedef struct {
    uint8_t author[32];
    uint8_t tag;
    uint64_t from, count;
    size_t big;      /* entry size, 0 = varied */
    int fail_with;   /* returned after appending, to force an abort */
    unsigned calls;  /* how often store_write ran the callback */
    uint8_t root[H]; /* root after the batch */
} append_job;

static int append_fn(store_txn *txn, void *arg)
{
    append_job *j = arg;
    store_appender a;
    uint8_t buf[ENTRY_TEST_BYTES_MAX];
    int r;
    j->calls++;
    if ((r = store_append_begin(txn, j->author, &a)) != CF_OK) return r;
    if (a.tree.size != j->from) return CF_EINVAL;
    for (uint64_t k = 0; k < j->count; k++) {
        size_t len = make_entry(j->tag, j->from + k, j->big, buf);
        if ((r = store_append(&a, buf, len, NULL)) != CF_OK) return r;
    }
    if ((r = store_append_finish(&a, j->root)) != CF_OK) return r;
    return j->fail_with;
}

static int append_batch(store *s, uint8_t tag, uint64_t from, uint64_t count,
                        uint8_t root[H])
{
    append_job j = {.tag = tag, .from = from, .count = count};
    author_of(tag, j.author);
    int r = store_write(s, append_fn, &j);
    if (r == CF_OK && root) memcpy(root, j.root, H);
    return r;
}

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

/* Every entry and leaf of feed `tag` matches make_entry, and the root at the
 * feed's size matches the memtree built from the same entries. */
static void check_feed(store *s, uint8_t tag, uint64_t size, size_t big)
{
    store_txn *t;
    uint8_t author[32], buf[ENTRY_TEST_BYTES_MAX], leaf[H], want[H], root[H];
    author_of(tag, author);
    memtree *m = memtree_new();
    assert_int_equal(store_read_begin(s, &t), CF_OK);
    store_feed f;
    assert_int_equal(store_feed_get(t, author, &f), CF_OK);
    assert_int_equal(f.size, size);
    for (uint64_t i = 0; i < size; i++) {
        const uint8_t *e;
        size_t len, wl = make_entry(tag, i, big, buf);
        assert_int_equal(store_entry_get(t, author, i, &e, &len), CF_OK);
        assert_int_equal(len, wl);
        assert_memory_equal(e, buf, len);
        assert_int_equal(store_leaf_get(t, author, i, leaf), CF_OK);
        merkle_leaf_hash(buf, len, want);
        assert_memory_equal(leaf, want, H);
        memtree_push(m, buf, len);
    }
    const uint8_t *e;
    size_t len;
    assert_int_equal(store_entry_get(t, author, size, &e, &len), CF_ENOTFOUND);
    assert_int_equal(store_root(t, author, size, root), CF_OK);
    merkle_stream_root(&m->stream, want);
    assert_memory_equal(root, want, H);
    store_read_end(t);
    memtree_free(m);
}

/* ---- fixtures ------------------------------------------------------------ */

typedef struct {
    char dir[PATH_MAX_BYTES];
    store *s;
} fixture;

static int setup(void **state)
{
    fixture *fx = calloc(1, sizeof *fx);
    if (fx == NULL) return -1;
    make_dir(fx->dir);
    if (store_open(fx->dir, 0, &fx->s) != CF_OK) return -1;
    *state = fx;
    return 0;
}

static int teardown(void **state)
{
    fixture *fx = *state;
    store_close(fx->s);
    rm_rf(fx->dir);
    free(fx);
    return 0;
}

/* ---- open, schema -------------------------------------------------------- */

static int put_meta_fn(store_txn *t, void *arg)
{
    const uint8_t *v = arg;
    return store_kv_put(t, STORE_T_META, "schema", 6, v + 1, v[0]);
}

static void test_open_schema(void **state)
{
    (void)state;
    char dir[PATH_MAX_BYTES], sub[PATH_MAX_BYTES];
    store *s;
    store_info info;
    make_dir(dir);
    assert_int_equal(store_open(NULL, 0, &s), CF_EINVAL);
    assert_int_equal(store_open(dir, 0x80, &s), CF_EINVAL);
    /* Read-only open of nothing. */
    assert_int_equal(store_open(dir, STORE_RDONLY, &s), CF_ENOTFOUND);
    path_join(sub, dir, "missing");
    assert_int_equal(store_open(sub, STORE_RDONLY, &s), CF_ENOTFOUND);
    /* Created (the home directory too), reopened. */
    path_join(sub, dir, "home");
    assert_int_equal(store_open(sub, 0, &s), CF_OK);
    assert_int_equal(store_get_info(s, &info), CF_OK);
    assert_int_equal(info.feeds, 0);
    assert_true(info.map_bytes >= STORE_MAP_BYTES_INITIAL);
    assert_true(info.used_bytes > 0 && info.used_bytes < info.map_bytes);
    assert_int_equal(append_batch(s, 1, 0, 5, NULL), CF_OK);
    store_close(s);
    assert_int_equal(store_open(sub, 0, &s), CF_OK);
    assert_int_equal(store_get_info(s, &info), CF_OK);
    assert_int_equal(info.feeds, 1);
    check_feed(s, 1, 5, 0);
    /* Another schema version is refused, read-only too. */
    uint8_t v2[5] = {4, 0, 0, 0, 2};
    assert_int_equal(store_write(s, put_meta_fn, v2), CF_OK);
    store_close(s);
    assert_int_equal(store_open(sub, 0, &s), CF_ESTORE_VERSION);
    assert_int_equal(store_open(sub, STORE_RDONLY, &s), CF_ESTORE_VERSION);
    assert_null(s);
    rm_rf(dir);
}

static void test_schema_corrupt(void **state)
{
    fixture *fx = *state;
    uint8_t v3[4] = {3, 0, 0, 1};
    assert_int_equal(store_write(fx->s, put_meta_fn, v3), CF_OK);
    store_close(fx->s);
    fx->s = NULL;
    assert_int_equal(store_open(fx->dir, 0, &fx->s), CF_ESTORE_CORRUPT);
    assert_int_equal(store_open(fx->dir, STORE_RDONLY, &fx->s),
                     CF_ESTORE_CORRUPT);
}

static void test_bad_map_env(void **state)
{
    (void)state;
    char dir[PATH_MAX_BYTES];
    store *s;
    make_dir(dir);
    setenv("COFUND_MAP_BYTES", "12x", 1);
    assert_int_equal(store_open(dir, 0, &s), CF_EINVAL);
    setenv("COFUND_MAP_BYTES", "0", 1);
    assert_int_equal(store_open(dir, 0, &s), CF_EINVAL);
    setenv("COFUND_MAP_BYTES", "99999999999999999999999", 1);
    assert_int_equal(store_open(dir, 0, &s), CF_EINVAL);
    unsetenv("COFUND_MAP_BYTES");
    rm_rf(dir);
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
    size_t len = make_entry(4, a.tree.size, 0, buf);
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
    char d1[PATH_MAX_BYTES], d2[PATH_MAX_BYTES], d3[PATH_MAX_BYTES];
    store *s1, *s2, *s3;
    make_dir(d1);
    make_dir(d2);
    make_dir(d3);
    assert_int_equal(store_open(d1, 0, &s1), CF_OK);
    assert_int_equal(store_open(d2, 0, &s2), CF_OK);
    assert_int_equal(store_open(d3, 0, &s3), CF_OK);
    uint8_t r1[H], r2[H], r3[H];
    for (uint64_t i = 0; i < N; i++)
        assert_int_equal(append_batch(s1, 6, i, 1, r1), CF_OK);
    rng_state = g_seed;
    for (uint64_t i = 0; i < N;) {
        uint64_t k = 1 + rng_next() % 97;
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
    rm_rf(d1);
    rm_rf(d2);
    rm_rf(d3);
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
        size_t len = make_entry(7, a.tree.size, 0, buf);
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

static int kv_put_fn(store_txn *t, void *arg)
{
    const char *k = arg;
    return store_kv_put(t, STORE_T_STATE, k, strlen(k), "kept", 4);
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

/* ---- map growth ---------------------------------------------------------- */

static void test_map_growth(void **state)
{
    (void)state;
    enum { BATCHES = 40, PER_BATCH = 100, BIG_BATCH = 1500 };
    char dir[PATH_MAX_BYTES];
    store *s;
    store_info info;
    make_dir(dir);
    setenv("COFUND_MAP_BYTES", "65536", 1);
    assert_int_equal(store_open(dir, 0, &s), CF_OK);
    unsetenv("COFUND_MAP_BYTES");
    assert_int_equal(store_get_info(s, &info), CF_OK);
    assert_true(info.map_bytes < 2 * 65536);
    unsigned calls = 0;
    for (uint64_t b = 0; b < BATCHES; b++) {
        append_job j = {.tag = 12, .from = b * PER_BATCH, .count = PER_BATCH};
        author_of(12, j.author);
        assert_int_equal(store_write(s, append_fn, &j), CF_OK);
        calls += j.calls;
    }
    /* One transaction larger than twice the map: several doublings. */
    assert_int_equal(store_get_info(s, &info), CF_OK);
    uint64_t before = info.map_bytes;
    append_job j = {.tag = 13, .count = BIG_BATCH, .big = 1000};
    author_of(13, j.author);
    assert_int_equal(store_write(s, append_fn, &j), CF_OK);
    assert_int_equal(store_get_info(s, &info), CF_OK);
    print_message("store: map grew to %llu bytes; %u callback runs for %d "
                  "batches, then %u for one %d-entry batch\n",
                  (unsigned long long)info.map_bytes, calls, BATCHES, j.calls,
                  BIG_BATCH);
    assert_true(calls > BATCHES);
    assert_true(j.calls > 2);
    assert_true(info.map_bytes >= 4 * before);
    check_feed(s, 12, BATCHES * PER_BATCH, 0);
    check_feed(s, 13, BIG_BATCH, 1000);
    store_close(s);
    /* Reopening keeps the grown map. */
    assert_int_equal(store_open(dir, 0, &s), CF_OK);
    check_feed(s, 12, BATCHES * PER_BATCH, 0);
    store_close(s);
    rm_rf(dir);
}

/* ---- disk full ----------------------------------------------------------- */

/* In the child: append batches until the file size limit stops a commit. */
static int disk_full_child(const char *dir, int fd, rlim_t limit)
{
    store *s;
    uint64_t committed = 0;
    if (store_open(dir, 0, &s) != CF_OK) return 10;
    struct rlimit rl = {.rlim_cur = limit, .rlim_max = limit};
    signal(SIGXFSZ, SIG_IGN);
    if (setrlimit(RLIMIT_FSIZE, &rl) != 0) return 11;
    int r;
    for (;;) {
        append_job j = {.tag = 14, .from = committed, .count = 25, .big = 1000};
        author_of(14, j.author);
        r = store_write(s, append_fn, &j);
        if (r != CF_OK) break;
        committed += j.count;
        if (committed > 100000) break; /* the limit never hit */
    }
    if (write(fd, &committed, sizeof committed) != (ssize_t)sizeof committed)
        return 12;
    /* The handle still refuses cleanly, and the process exits without
     * closing it (as a crash would). */
    return r == CF_ENOSPC ? 0 : 13;
}

/* A page-aligned limit makes LMDB's page write fail with EFBIG; an unaligned
 * one makes it short, which LMDB reports as EIO. Both are disk full. */
static void disk_full_case(rlim_t limit)
{
    char dir[PATH_MAX_BYTES];
    int fds[2];
    make_dir(dir);
    {
        store *s; /* a first feed, committed before the limit */
        assert_int_equal(store_open(dir, 0, &s), CF_OK);
        assert_int_equal(append_batch(s, 15, 0, 10, NULL), CF_OK);
        store_close(s);
    }
    assert_int_equal(pipe(fds), 0);
    fflush(NULL);
    pid_t pid = fork();
    assert_true(pid >= 0);
    if (pid == 0) {
        close(fds[0]);
        _exit(disk_full_child(dir, fds[1], limit));
    }
    close(fds[1]);
    uint64_t committed = 0;
    assert_int_equal(read(fds[0], &committed, sizeof committed),
                     (ssize_t)sizeof committed);
    close(fds[0]);
    int status;
    assert_int_equal(waitpid(pid, &status, 0), pid);
    assert_true(WIFEXITED(status));
    assert_int_equal(WEXITSTATUS(status), 0);
    print_message("store: file size limit %llu: full after %llu committed "
                  "entries\n",
                  (unsigned long long)limit, (unsigned long long)committed);
    assert_true(committed > 0);
    store *s;
    assert_int_equal(store_open(dir, 0, &s), CF_OK);
    check_feed(s, 14, committed, 1000);
    check_feed(s, 15, 10, 0);
    /* Usable again without the limit. */
    append_job j = {.tag = 14, .from = committed, .count = 30, .big = 1000};
    author_of(14, j.author);
    assert_int_equal(store_write(s, append_fn, &j), CF_OK);
    check_feed(s, 14, committed + 30, 1000);
    store_close(s);
    rm_rf(dir);
}

static void test_disk_full(void **state)
{
    (void)state;
    disk_full_case((rlim_t)1 << 20);
    disk_full_case(((rlim_t)1 << 20) + 1500);
}

/* ---- read-only copies ---------------------------------------------------- */

static int ro_checks(store *s)
{
    store_txn *t;
    uint8_t author[32], root[H], buf[ENTRY_TEST_BYTES_MAX];
    const uint8_t *v;
    size_t len;
    author_of(16, author);
    if (store_write(s, kv_put_fn, "x") != CF_ESTORE_READONLY) return 1;
    if (store_read_begin(s, &t) != CF_OK) return 2;
    int r = 0;
    if (store_root(t, author, 25, root) != CF_OK) r = 3;
    if (!r && store_entry_get(t, author, 24, &v, &len) != CF_OK) r = 4;
    if (!r && (len != make_entry(16, 24, 0, buf) || memcmp(v, buf, len))) r = 5;
    if (!r && store_kv_get(t, STORE_T_STATE, "ro", 2, &v, &len) != CF_OK) r = 6;
    store_read_end(t);
    return r;
}

static void test_readonly_copy(void **state)
{
    (void)state;
    char src[PATH_MAX_BYTES], base[PATH_MAX_BYTES], copy[PATH_MAX_BYTES];
    char from[PATH_MAX_BYTES], to[PATH_MAX_BYTES];
    store *s;
    make_dir(src);
    assert_int_equal(store_open(src, 0, &s), CF_OK);
    assert_int_equal(append_batch(s, 16, 0, 25, NULL), CF_OK);
    assert_int_equal(store_write(s, kv_put_fn, "ro"), CF_OK);
    store_close(s);
    path_join(from, src, "data.mdb");

    /* A copy in a writable directory. */
    make_dir(base);
    path_join(copy, base, "a");
    assert_int_equal(mkdir(copy, 0755), 0);
    path_join(to, copy, "data.mdb");
    copy_file(from, to, 0444);
    assert_int_equal(store_open(copy, STORE_RDONLY, &s), CF_OK);
    assert_int_equal(ro_checks(s), 0);
    store_close(s);

    /* A copy in a read-only directory: no lock file can be created. */
    path_join(copy, base, "b");
    assert_int_equal(mkdir(copy, 0755), 0);
    path_join(to, copy, "data.mdb");
    copy_file(from, to, 0444);
    assert_int_equal(chmod(copy, 0555), 0);
    assert_int_equal(chmod(base, 0755), 0);
    if (geteuid() != 0) {
        assert_int_equal(store_open(copy, STORE_RDONLY, &s), CF_OK);
        assert_int_equal(ro_checks(s), 0);
        store_close(s);
    } else {
        /* root ignores the mode: check as an unprivileged child. */
        fflush(NULL);
        pid_t pid = fork();
        assert_true(pid >= 0);
        if (pid == 0) {
            if (setgid(65534) != 0 || setuid(65534) != 0) _exit(100);
            if (store_open(copy, STORE_RDONLY, &s) != CF_OK) _exit(101);
            int r = ro_checks(s);
            store_close(s);
            _exit(r);
        }
        int status;
        assert_int_equal(waitpid(pid, &status, 0), pid);
        assert_true(WIFEXITED(status));
        if (WEXITSTATUS(status) == 100) {
            print_message("store: read-only directory case skipped (running as "
                          "root and cannot drop privileges)\n");
        } else {
            assert_int_equal(WEXITSTATUS(status), 0);
        }
    }
    path_join(to, copy, "lock.mdb");
    assert_int_equal(access(to, F_OK), -1); /* no lock file was made */
    rm_rf(base);
    rm_rf(src);
}

/* ---- two processes ------------------------------------------------------- */

static int child_check_feed(store *s, uint8_t tag, uint64_t size)
{
    store_txn *t;
    store_feed f;
    uint8_t author[32];
    author_of(tag, author);
    if (store_read_begin(s, &t) != CF_OK) return 1;
    int r = store_feed_get(t, author, &f) != CF_OK || f.size != size;
    store_read_end(t);
    return r;
}

static int two_process_child(const char *dir, int rfd, int wfd)
{
    store *s;
    char c;
    if (store_open(dir, 0, &s) != CF_OK) return 20;
    /* Enough to grow the map (home created with 64 KiB) several times. */
    for (uint64_t b = 0; b < 20; b++)
        if (append_batch(s, 17, b * 100, 100, NULL) != CF_OK) return 21;
    if (write(wfd, "a", 1) != 1) return 22;
    if (read(rfd, &c, 1) != 1 || c != 'b') return 23;
    if (child_check_feed(s, 18, 50)) return 24;
    if (child_check_feed(s, 17, 2010)) return 25;
    if (append_batch(s, 17, 2010, 5, NULL) != CF_OK) return 26;
    store_close(s);
    return 0;
}

static void test_two_processes(void **state)
{
    (void)state;
    char dir[PATH_MAX_BYTES];
    int p2c[2], c2p[2];
    store *s;
    store_txn *t;
    make_dir(dir);
    setenv("COFUND_MAP_BYTES", "65536", 1);
    assert_int_equal(store_open(dir, 0, &s), CF_OK);
    unsetenv("COFUND_MAP_BYTES");
    assert_int_equal(append_batch(s, 18, 0, 20, NULL), CF_OK);
    assert_int_equal(pipe(p2c), 0);
    assert_int_equal(pipe(c2p), 0);
    fflush(NULL);
    pid_t pid = fork();
    assert_true(pid >= 0);
    if (pid == 0) {
        close(p2c[1]);
        close(c2p[0]);
        /* The parent's handle is left alone (LMDB handles do not survive a
         * fork); the child opens its own. */
        _exit(two_process_child(dir, p2c[0], c2p[1]));
    }
    close(p2c[0]);
    close(c2p[1]);
    char c;
    assert_int_equal(read(c2p[0], &c, 1), 1);
    /* The child's feed, written after our open, in a map it grew. */
    check_feed(s, 17, 2000, 0);
    assert_int_equal(store_read_begin(s, &t), CF_OK);
    store_read_end(t);
    /* Our writes on top of the child's: its nodes seed our appender. */
    assert_int_equal(append_batch(s, 18, 20, 30, NULL), CF_OK);
    assert_int_equal(append_batch(s, 17, 2000, 10, NULL), CF_OK);
    assert_int_equal(write(p2c[1], "b", 1), 1);
    int status;
    assert_int_equal(waitpid(pid, &status, 0), pid);
    assert_true(WIFEXITED(status));
    assert_int_equal(WEXITSTATUS(status), 0);
    close(p2c[1]);
    close(c2p[0]);
    check_feed(s, 17, 2015, 0);
    check_feed(s, 18, 50, 0);
    store_close(s);
    rm_rf(dir);
}

/* ---- generic tables ------------------------------------------------------ */

typedef struct {
    char seen[64][16];
    unsigned n;
    unsigned stop_after;
} scan_state;

static int scan_fn(void *arg, const uint8_t *key, size_t klen,
                   const uint8_t *val, size_t vlen)
{
    scan_state *st = arg;
    (void)val, (void)vlen;
    if (st->n >= 64 || klen >= 16) return -1;
    memcpy(st->seen[st->n], key, klen);
    st->seen[st->n][klen] = 0;
    st->n++;
    return st->stop_after && st->n == st->stop_after ? 42 : 0;
}

static const char *const kv_keys[] = {"a", "ab", "ab\x01", "abc", "abd",
                                      "b", "b\xff", "b\xff\xff", "c"};
#define NKV (sizeof kv_keys / sizeof kv_keys[0])

static int kv_fill_fn(store_txn *t, void *arg)
{
    (void)arg;
    int r;
    for (size_t i = 0; i < NKV; i++)
        if ((r = store_kv_put(t, STORE_T_EVIDENCE, kv_keys[i],
                              strlen(kv_keys[i]), kv_keys[i],
                              strlen(kv_keys[i]))) != CF_OK)
            return r;
    /* Same keys in another table must not show up. */
    if ((r = store_kv_put(t, STORE_T_STATE, "ab", 2, NULL, 0)) != CF_OK) return r;
    if ((r = store_kv_put(t, STORE_T_EVIDENCE, "ab", 2, "v2", 2)) != CF_OK)
        return r;
    if (store_kv_put(t, STORE_T_STATE, "", 0, "x", 1) != CF_EINVAL) return -1;
    static uint8_t longkey[STORE_KEY_BYTES_MAX + 1];
    if (store_kv_put(t, STORE_T_STATE, longkey, sizeof longkey, "x", 1) !=
        CF_EINVAL)
        return -2;
    if ((r = store_kv_put(t, STORE_T_STATE, longkey, STORE_KEY_BYTES_MAX, "x",
                          1)) != CF_OK)
        return r;
    if (store_kv_put(t, STORE_T_STATE, "k", 1, longkey,
                     (size_t)STORE_VALUE_BYTES_MAX + 1) != CF_ETOOBIG)
        return -3;
    if (store_kv_put(t, STORE_T__COUNT, "k", 1, "v", 1) != CF_EINVAL) return -4;
    if (store_kv_del(t, STORE_T_EVIDENCE, "zz", 2) != CF_ENOTFOUND) return -5;
    if ((r = store_kv_put(t, STORE_T_EVIDENCE, "zz", 2, "x", 1)) != CF_OK) return r;
    if ((r = store_kv_del(t, STORE_T_EVIDENCE, "zz", 2)) != CF_OK) return r;
    return CF_OK;
}

static void scan_expect(store_txn *t, const char *prefix, size_t plen,
                        bool reverse, unsigned stop, int want_r,
                        const char *const *want, unsigned nwant)
{
    scan_state st = {.stop_after = stop};
    assert_int_equal(store_kv_scan(t, STORE_T_EVIDENCE, prefix, plen, reverse,
                                   scan_fn, &st),
                     want_r);
    assert_int_equal(st.n, nwant);
    for (unsigned i = 0; i < nwant; i++) assert_string_equal(st.seen[i], want[i]);
}

static void floor_expect(store_txn *t, const char *key, size_t plen,
                         const char *want)
{
    const uint8_t *fk, *v;
    size_t fkl, vl;
    int r = store_kv_floor(t, STORE_T_EVIDENCE, key, strlen(key), plen, &fk,
                           &fkl, &v, &vl);
    if (want == NULL) {
        assert_int_equal(r, CF_ENOTFOUND);
        return;
    }
    assert_int_equal(r, CF_OK);
    assert_int_equal(fkl, strlen(want));
    assert_memory_equal(fk, want, fkl);
}

static void test_kv(void **state)
{
    fixture *fx = *state;
    store_txn *t;
    const uint8_t *v;
    size_t vl;
    assert_int_equal(store_write(fx->s, kv_fill_fn, NULL), CF_OK);
    assert_int_equal(store_read_begin(fx->s, &t), CF_OK);
    assert_int_equal(store_kv_get(t, STORE_T_EVIDENCE, "ab", 2, &v, &vl), CF_OK);
    assert_int_equal(vl, 2);
    assert_memory_equal(v, "v2", 2);
    assert_int_equal(store_kv_get(t, STORE_T_STATE, "ab", 2, &v, &vl), CF_OK);
    assert_int_equal(vl, 0);
    assert_int_equal(store_kv_get(t, STORE_T_META, "ab", 2, &v, &vl),
                     CF_ENOTFOUND);
    assert_int_equal(store_kv_get(t, STORE_T_EVIDENCE, "zz", 2, &v, &vl),
                     CF_ENOTFOUND);
    assert_int_equal(store_kv_get(t, STORE_T_EVIDENCE, NULL, 2, &v, &vl),
                     CF_EINVAL);

    static const char *const all[] = {"a", "ab", "ab\x01", "abc", "abd",
                                      "b", "b\xff", "b\xff\xff", "c"};
    static const char *const rall[] = {"c", "b\xff\xff", "b\xff", "b", "abd",
                                       "abc", "ab\x01", "ab", "a"};
    scan_expect(t, NULL, 0, false, 0, CF_OK, all, 9);
    scan_expect(t, NULL, 0, true, 0, CF_OK, rall, 9);
    scan_expect(t, "ab", 2, false, 0, CF_OK, all + 1, 4);
    scan_expect(t, "ab", 2, true, 0, CF_OK, rall + 4, 4);
    scan_expect(t, "b\xff", 2, false, 0, CF_OK, all + 6, 2);
    scan_expect(t, "b\xff", 2, true, 0, CF_OK, rall + 1, 2);
    scan_expect(t, "b", 1, true, 0, CF_OK, rall + 1, 3);
    scan_expect(t, "c", 1, true, 0, CF_OK, rall, 1);
    scan_expect(t, "d", 1, false, 0, CF_OK, NULL, 0);
    scan_expect(t, "d", 1, true, 0, CF_OK, NULL, 0);
    scan_expect(t, "0", 1, true, 0, CF_OK, NULL, 0);
    scan_expect(t, "abcd", 4, false, 0, CF_OK, NULL, 0);
    /* Early stop returns the visitor's value. */
    scan_expect(t, "ab", 2, false, 2, 42, all + 1, 2);
    scan_expect(t, NULL, 0, true, 3, 42, rall, 3);
    assert_int_equal(store_kv_scan(t, STORE_T_EVIDENCE, NULL, 1, false, scan_fn,
                                   NULL),
                     CF_EINVAL);

    floor_expect(t, "abc", 0, "abc");
    floor_expect(t, "abcz", 0, "abc");
    floor_expect(t, "abcz", 3, "abc");
    floor_expect(t, "abcz", 4, NULL);
    floor_expect(t, "ab\x02", 2, "ab\x01");
    floor_expect(t, "aa", 0, "a");
    floor_expect(t, "aa", 2, NULL);
    floor_expect(t, "0", 0, NULL);
    floor_expect(t, "zzz", 0, "c");
    floor_expect(t, "zzz", 1, NULL);
    floor_expect(t, "b\xff\xff\xff", 1, "b\xff\xff");
    const uint8_t *fk;
    size_t fkl;
    assert_int_equal(store_kv_floor(t, STORE_T_EVIDENCE, "ab", 2, 3, &fk, &fkl,
                                    &v, &vl),
                     CF_EINVAL);
    store_read_end(t);
}

/* ---- checkpoints --------------------------------------------------------- */

typedef struct {
    uint64_t sizes[8];
    unsigned n, stop_after;
} ckpt_seen;

static int ckpt_visit(void *arg, uint64_t size, const char *text, size_t len)
{
    ckpt_seen *c = arg;
    char want[32];
    snprintf(want, sizeof want, "note %llu", (unsigned long long)size);
    if (c->n >= 8 || len != strlen(want) || memcmp(text, want, len)) return -1;
    c->sizes[c->n++] = size;
    return c->stop_after && c->n == c->stop_after ? 9 : 0;
}

static int ckpt_fill_fn(store_txn *t, void *arg)
{
    (void)arg;
    static const uint64_t sizes[] = {5, 1, UINT64_MAX, 3, 0x100};
    uint8_t a[32], b[32], c[32];
    char text[32];
    int r;
    memset(a, 0x11, 32);
    memcpy(b, a, 32);
    b[31] = 0x12; /* adjacent authors */
    memcpy(c, a, 32);
    c[31] = 0x10;
    for (size_t i = 0; i < 5; i++) {
        snprintf(text, sizeof text, "note %llu", (unsigned long long)sizes[i]);
        if ((r = store_checkpoint_put(t, a, sizes[i], text, strlen(text))) != CF_OK)
            return r;
    }
    if ((r = store_checkpoint_put(t, b, 2, "note 2", 6)) != CF_OK) return r;
    if ((r = store_checkpoint_put(t, c, 7, "note 7", 6)) != CF_OK) return r;
    /* Replacing (more cosignatures) keeps one record. */
    if ((r = store_checkpoint_put(t, b, 2, "x", 1)) != CF_OK) return r;
    if ((r = store_checkpoint_put(t, b, 2, "note 2", 6)) != CF_OK) return r;
    static char big[STORE_CHECKPOINT_BYTES_MAX + 1];
    if (store_checkpoint_put(t, a, 9, big, sizeof big) != CF_ETOOBIG) return -1;
    if (store_checkpoint_put(t, a, 9, big, 0) != CF_EINVAL) return -2;
    return CF_OK;
}

static void test_checkpoints(void **state)
{
    fixture *fx = *state;
    store_txn *t;
    uint8_t a[32], b[32], d[32];
    const char *text;
    size_t len;
    uint64_t size;
    memset(a, 0x11, 32);
    memcpy(b, a, 32);
    b[31] = 0x12;
    memset(d, 0x22, 32);
    assert_int_equal(store_read_begin(fx->s, &t), CF_OK);
    assert_int_equal(store_checkpoint_latest(t, a, &size, &text, &len),
                     CF_ENOTFOUND);
    store_read_end(t);
    assert_int_equal(store_write(fx->s, ckpt_fill_fn, NULL), CF_OK);
    assert_int_equal(store_read_begin(fx->s, &t), CF_OK);
    assert_int_equal(store_checkpoint_get(t, a, 3, &text, &len), CF_OK);
    assert_int_equal(len, 6);
    assert_memory_equal(text, "note 3", 6);
    assert_int_equal(store_checkpoint_get(t, a, 4, &text, &len), CF_ENOTFOUND);
    assert_int_equal(store_checkpoint_latest(t, a, &size, &text, &len), CF_OK);
    assert_true(size == UINT64_MAX);
    assert_int_equal(store_checkpoint_latest(t, b, &size, &text, &len), CF_OK);
    assert_int_equal(size, 2);
    assert_int_equal(store_checkpoint_latest(t, d, &size, &text, &len),
                     CF_ENOTFOUND);
    ckpt_seen c = {0};
    assert_int_equal(store_checkpoints_each(t, a, ckpt_visit, &c), CF_OK);
    assert_int_equal(c.n, 5);
    static const uint64_t order[] = {1, 3, 5, 0x100, UINT64_MAX};
    for (int i = 0; i < 5; i++) assert_true(c.sizes[i] == order[i]);
    c = (ckpt_seen){.stop_after = 2};
    assert_int_equal(store_checkpoints_each(t, a, ckpt_visit, &c), 9);
    assert_int_equal(c.n, 2);
    c = (ckpt_seen){0};
    assert_int_equal(store_checkpoints_each(t, b, ckpt_visit, &c), CF_OK);
    assert_int_equal(c.n, 1);
    c = (ckpt_seen){0};
    assert_int_equal(store_checkpoints_each(t, d, ckpt_visit, &c), CF_OK);
    assert_int_equal(c.n, 0);
    store_read_end(t);

    /* Latest when only smaller sizes exist and a later author follows. */
    uint8_t e[32];
    memcpy(e, a, 32);
    e[31] = 0x10;
    assert_int_equal(store_read_begin(fx->s, &t), CF_OK);
    assert_int_equal(store_checkpoint_latest(t, e, &size, &text, &len), CF_OK);
    assert_int_equal(size, 7);
    store_read_end(t);
}

/* ---- corruption ---------------------------------------------------------- */

typedef struct {
    const char *db;
    uint8_t key[64];
    size_t klen;
    uint8_t val[64];
    size_t vlen; /* SIZE_MAX: delete */
} raw_op;

static int raw_fn(store_txn *t, void *arg)
{
    const raw_op *op = arg;
    if (op->vlen == SIZE_MAX) return store_testing_raw_del(t, op->db, op->key, op->klen);
    return store_testing_raw_put(t, op->db, op->key, op->klen, op->val, op->vlen);
}

static int visit_any(void *arg, uint64_t index, const uint8_t *bytes,
                     size_t len)
{
    unsigned *n = arg;
    (void)index, (void)bytes, (void)len;
    (*n)++;
    return 0;
}

static void feed_db(uint8_t tag, char name[80])
{
    uint8_t author[32];
    author_of(tag, author);
    memcpy(name, "feed/", 5);
    assert_int_equal(cf_hex_encode(author, 32, name + 5, 75), CF_OK);
}

static void test_corrupt(void **state)
{
    fixture *fx = *state;
    store_txn *t;
    char name[80];
    uint8_t author[32], h[H], proof[MERKLE_PROOF_MAX][H];
    const uint8_t *e;
    size_t len, n;
    store_feed f;
    author_of(19, author);
    assert_int_equal(append_batch(fx->s, 19, 0, 8, NULL), CF_OK);
    feed_db(19, name);

    /* A node hash of 31 bytes: the root at size 8 reads node (7, height 3). */
    raw_op op = {.db = name, .klen = 9, .vlen = 31};
    cf_put_be64(op.key, 7);
    op.key[8] = 1 + 3;
    assert_int_equal(store_write(fx->s, raw_fn, &op), CF_OK);
    assert_int_equal(store_read_begin(fx->s, &t), CF_OK);
    assert_int_equal(store_root(t, author, 8, h), CF_ESTORE_CORRUPT);
    assert_int_equal(store_inclusion_proof(t, author, 0, 8, proof, &n), CF_OK);
    assert_int_equal(store_root(t, author, 7, h), CF_OK);
    store_read_end(t);
    /* The appender loads that node as a peak. */
    assert_int_equal(append_batch(fx->s, 19, 8, 1, NULL), CF_ESTORE_CORRUPT);
    /* Missing node. */
    op.vlen = SIZE_MAX;
    assert_int_equal(store_write(fx->s, raw_fn, &op), CF_OK);
    assert_int_equal(store_read_begin(fx->s, &t), CF_OK);
    assert_int_equal(store_root(t, author, 8, h), CF_ESTORE_CORRUPT);
    store_read_end(t);
    /* A leaf of 33 bytes. */
    op = (raw_op){.db = name, .klen = 9, .vlen = 33};
    cf_put_be64(op.key, 2);
    op.key[8] = 1;
    assert_int_equal(store_write(fx->s, raw_fn, &op), CF_OK);
    assert_int_equal(store_read_begin(fx->s, &t), CF_OK);
    assert_int_equal(store_leaf_get(t, author, 2, h), CF_ESTORE_CORRUPT);
    assert_int_equal(store_inclusion_proof(t, author, 3, 4, proof, &n),
                     CF_ESTORE_CORRUPT);
    store_read_end(t);
    /* An empty entry; a missing entry. */
    op = (raw_op){.db = name, .klen = 9, .vlen = 0};
    cf_put_be64(op.key, 4);
    assert_int_equal(store_write(fx->s, raw_fn, &op), CF_OK);
    assert_int_equal(store_read_begin(fx->s, &t), CF_OK);
    assert_int_equal(store_entry_get(t, author, 4, &e, &len), CF_ESTORE_CORRUPT);
    unsigned nvisits = 0;
    assert_int_equal(store_entries_each(t, author, 4, 8, visit_any, &nvisits),
                     CF_ESTORE_CORRUPT);
    store_read_end(t);
    op.vlen = SIZE_MAX;
    assert_int_equal(store_write(fx->s, raw_fn, &op), CF_OK);
    assert_int_equal(store_read_begin(fx->s, &t), CF_OK);
    assert_int_equal(store_entry_get(t, author, 4, &e, &len), CF_ENOTFOUND);
    assert_int_equal(store_entries_each(t, author, 0, 8, visit_any, &nvisits),
                     CF_ESTORE_CORRUPT);
    assert_int_equal(nvisits, 4); /* entries 0..3, then the gap */
    store_read_end(t);

    /* Feed records: wrong size, applied > size, unknown flags. */
    op = (raw_op){.db = "feeds", .klen = 32, .vlen = 19};
    memcpy(op.key, author, 32);
    assert_int_equal(store_write(fx->s, raw_fn, &op), CF_OK);
    assert_int_equal(store_read_begin(fx->s, &t), CF_OK);
    assert_int_equal(store_feed_get(t, author, &f), CF_ESTORE_CORRUPT);
    assert_int_equal(store_root(t, author, 1, h), CF_ESTORE_CORRUPT);
    store_read_end(t);
    op.vlen = 20;
    cf_put_be64(op.val, 8);
    cf_put_be64(op.val + 8, 9);
    assert_int_equal(store_write(fx->s, raw_fn, &op), CF_OK);
    assert_int_equal(store_read_begin(fx->s, &t), CF_OK);
    assert_int_equal(store_feed_get(t, author, &f), CF_ESTORE_CORRUPT);
    store_read_end(t);
    cf_put_be64(op.val + 8, 1);
    cf_put_be32(op.val + 16, 0x80);
    assert_int_equal(store_write(fx->s, raw_fn, &op), CF_OK);
    assert_int_equal(store_read_begin(fx->s, &t), CF_OK);
    assert_int_equal(store_feed_get(t, author, &f), CF_ESTORE_CORRUPT);
    store_read_end(t);

    /* A record whose feed database does not exist: refused at open. */
    op = (raw_op){.db = "feeds", .klen = 32, .vlen = 20};
    memset(op.key, 0xee, 32);
    assert_int_equal(store_write(fx->s, raw_fn, &op), CF_OK);
    store_close(fx->s);
    fx->s = NULL;
    assert_int_equal(store_open(fx->dir, 0, &fx->s), CF_ESTORE_CORRUPT);
    assert_int_equal(store_open(fx->dir, STORE_RDONLY, &fx->s), CF_ESTORE_CORRUPT);
}

static void test_corrupt_append_and_checkpoint(void **state)
{
    fixture *fx = *state;
    store_txn *t;
    char name[80];
    uint8_t author[32];
    author_of(20, author);
    assert_int_equal(append_batch(fx->s, 20, 0, 5, NULL), CF_OK);
    feed_db(20, name);
    /* A stray record past the end: MDB_APPEND refuses the next entry. */
    raw_op op = {.db = name, .klen = 9, .vlen = 32};
    cf_put_be64(op.key, 9);
    assert_int_equal(store_write(fx->s, raw_fn, &op), CF_OK);
    assert_int_equal(append_batch(fx->s, 20, 5, 1, NULL), CF_ESTORE_CORRUPT);
    check_feed(fx->s, 20, 5, 0);
    /* A checkpoint key of the wrong length inside an author's range. */
    op = (raw_op){.db = "checkpoints", .klen = 39, .vlen = 3};
    memcpy(op.key, author, 32);
    memset(op.key + 32, 1, 7); /* sorts inside author's range */
    memcpy(op.val, "bad", 3);
    assert_int_equal(store_write(fx->s, raw_fn, &op), CF_OK);
    uint64_t size;
    const char *text;
    size_t len;
    ckpt_seen c = {0};
    assert_int_equal(store_read_begin(fx->s, &t), CF_OK);
    assert_int_equal(store_checkpoint_latest(t, author, &size, &text, &len),
                     CF_ESTORE_CORRUPT);
    assert_int_equal(store_checkpoints_each(t, author, ckpt_visit, &c),
                     CF_ESTORE_CORRUPT);
    store_read_end(t);
    /* An empty checkpoint value. */
    op = (raw_op){.db = "checkpoints", .klen = 40, .vlen = 0};
    memset(op.key, 0x33, 40);
    assert_int_equal(store_write(fx->s, raw_fn, &op), CF_OK);
    assert_int_equal(store_read_begin(fx->s, &t), CF_OK);
    uint8_t a33[32];
    memset(a33, 0x33, 32);
    assert_int_equal(store_checkpoint_get(t, a33, 0x3333333333333333ull, &text,
                                          &len),
                     CF_ESTORE_CORRUPT);
    store_read_end(t);
    /* A feed database with entries but no record. */
    op = (raw_op){.db = "feeds", .klen = 32, .vlen = SIZE_MAX};
    memcpy(op.key, author, 32);
    assert_int_equal(store_write(fx->s, raw_fn, &op), CF_OK);
    assert_int_equal(append_batch(fx->s, 20, 0, 1, NULL), CF_ESTORE_CORRUPT);
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
    const char *env = getenv("COFUND_SEED");
    g_seed = env ? strtoull(env, NULL, 0) : (uint64_t)time(NULL);
    printf("test_store: seed %llu (COFUND_SEED=%llu to replay)\n",
           (unsigned long long)g_seed, (unsigned long long)g_seed);
    unsetenv("COFUND_MAP_BYTES");
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_open_schema),
        cmocka_unit_test_setup_teardown(test_schema_corrupt, setup, teardown),
        cmocka_unit_test(test_bad_map_env),
        cmocka_unit_test_setup_teardown(test_append_read_back, setup, teardown),
        cmocka_unit_test_setup_teardown(test_feed_status, setup, teardown),
        cmocka_unit_test_setup_teardown(test_status_during_append, setup, teardown),
        cmocka_unit_test_setup_teardown(test_roots_and_proofs, setup, teardown),
        cmocka_unit_test(test_batch_vs_single),
        cmocka_unit_test_setup_teardown(test_abort_leaves_nothing, setup, teardown),
        cmocka_unit_test_setup_teardown(test_feed_created_in_aborted_txn, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(test_overlapping_txns, setup, teardown),
        cmocka_unit_test_setup_teardown(test_entry_limits, setup, teardown),
        cmocka_unit_test(test_map_growth),
        cmocka_unit_test(test_disk_full),
        cmocka_unit_test(test_readonly_copy),
        cmocka_unit_test(test_two_processes),
        cmocka_unit_test_setup_teardown(test_kv, setup, teardown),
        cmocka_unit_test_setup_teardown(test_checkpoints, setup, teardown),
        cmocka_unit_test_setup_teardown(test_corrupt, setup, teardown),
        cmocka_unit_test_setup_teardown(test_corrupt_append_and_checkpoint,
                                        setup, teardown),
        cmocka_unit_test_setup_teardown(test_feeds_max, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
