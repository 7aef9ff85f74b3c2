/* test_store_tables.c — the LMDB store's (store/store.h) tables other than
 * the feeds' entries: the generic key-value tables (prefix scans both ways,
 * floor, limits), checkpoints, and what the store does with records that
 * were corrupted behind its back (store_testing.h writes them raw).
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
#include "crypto/note.h"
#include "store/store.h"
#include "store/store_testing.h"
#include "store_fixture.h"
#include "testutil.h"

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

/* An append extends the tree its author signed: with a signed checkpoint
 * of the feed's size held, a peak node a disk changed (still 32 bytes) is
 * refused at store_append_begin instead of signing a root that contradicts
 * the held checkpoint; intact, the append goes ahead. */
struct ckpt_put {
    uint8_t author[32];
    uint64_t size;
    char text[NOTE_BYTES_MAX];
    size_t len;
};

static int ckpt_put_fn(store_txn *t, void *arg)
{
    struct ckpt_put *c = arg;
    return store_checkpoint_put(t, c->author, c->size, c->text, c->len);
}

static void put_signed_ckpt(store *s, uint8_t tag, uint64_t size)
{
    struct ckpt_put c = {.size = size};
    uint8_t root[H], seed[32] = {tag}, pk[32], sk[64];
    char text[256];
    size_t tlen;
    store_txn *t;
    author_of(tag, c.author);
    assert_int_equal(store_read_begin(s, &t), CF_OK);
    assert_int_equal(store_root(t, c.author, size, root), CF_OK);
    store_read_end(t);
    assert_int_equal(checkpoint_format("example.com/store-test", size, root, text, sizeof text,
                                       &tlen), CF_OK);
    assert_int_equal(cf_ed25519_keypair_from_seed(seed, pk, sk), CF_OK);
    assert_int_equal(note_sign(text, tlen, "example.com/store-test", sk, c.text, sizeof c.text,
                               &c.len), CF_OK);
    assert_int_equal(store_write(s, ckpt_put_fn, &c), CF_OK);
}

static void test_corrupt_peak(void **state)
{
    fixture *fx = *state;
    char name[80];
    assert_int_equal(append_batch(fx->s, 21, 0, 6, NULL), CF_OK);
    put_signed_ckpt(fx->s, 21, 6);
    assert_int_equal(append_batch(fx->s, 21, 6, 2, NULL), CF_OK); /* intact: appended */
    put_signed_ckpt(fx->s, 21, 8);
    /* The size-8 tree is one peak: node (0, height 3) at key (7, 1 + 3). */
    feed_db(21, name);
    raw_op op = {.db = name, .klen = 9, .vlen = 32};
    cf_put_be64(op.key, 7);
    op.key[8] = 1 + 3;
    memset(op.val, 0x5a, 32);
    assert_int_equal(store_write(fx->s, raw_fn, &op), CF_OK);
    assert_int_equal(append_batch(fx->s, 21, 8, 1, NULL), CF_ESTORE_CORRUPT);
    store_txn *t;
    store_feed f;
    uint8_t author[32];
    author_of(21, author);
    assert_int_equal(store_read_begin(fx->s, &t), CF_OK);
    assert_int_equal(store_feed_get(t, author, &f), CF_OK);
    assert_int_equal(f.size, 8); /* nothing appended */
    store_read_end(t);
    /* A held checkpoint that no longer parses is refused too. */
    struct ckpt_put c = {.size = 8, .text = "garbage", .len = 7};
    author_of(21, c.author);
    assert_int_equal(store_write(fx->s, ckpt_put_fn, &c), CF_OK);
    assert_int_equal(append_batch(fx->s, 21, 8, 1, NULL), CF_ESTORE_CORRUPT);
}

/* ---- record checksums (docs/storage.md, "Record checksums") -------------- */

struct kv_read {
    enum store_table tab;
    const char *key;
    int get, scan, floor; /* what each read returned */
    uint8_t val[64];
    size_t vlen;
};

static int kv_read_visit(void *arg, const uint8_t *key, size_t klen, const uint8_t *val,
                         size_t vlen)
{
    (void)arg, (void)key, (void)klen, (void)val, (void)vlen;
    return 0;
}

static void kv_read_all(store *s, struct kv_read *r)
{
    store_txn *t;
    const uint8_t *v, *fk;
    size_t n, fkn;
    assert_int_equal(store_read_begin(s, &t), CF_OK);
    size_t klen = strlen(r->key);
    r->get = store_kv_get(t, r->tab, r->key, klen, &v, &n);
    if (r->get == CF_OK) {
        assert_true(n <= sizeof r->val);
        memcpy(r->val, v, n);
        r->vlen = n;
    }
    r->scan = store_kv_scan(t, r->tab, r->key, klen, false, kv_read_visit, NULL);
    r->floor = store_kv_floor(t, r->tab, r->key, klen, klen, &fk, &fkn, &v, &n);
    store_read_end(t);
}

static int put_fn(store_txn *t, void *arg)
{
    struct kv_read *r = arg;
    return store_kv_put(t, r->tab, r->key, strlen(r->key), r->val, r->vlen);
}

/* The checksum as docs/storage.md defines it, byte by byte (the store
 * loads whole words where the host allows): the stored sum must equal it. */
static uint64_t ref_step(uint64_t h, uint64_t w)
{
    h ^= w;
    h = (h << 31) | (h >> 33);
    return h * 0x9e3779b97f4a7c15u;
}

static uint64_t ref_bytes(uint64_t h, const uint8_t *p, size_t n)
{
    h = ref_step(h, (uint64_t)n);
    for (size_t i = 0; i < n; i += 8) {
        uint64_t w = 0;
        for (size_t k = i + 8 < n ? i + 8 : n; k > i; k--) w = (w << 8) | p[k - 1];
        h = ref_step(h, w);
    }
    return h;
}

static uint64_t ref_sum(enum store_table tab, const void *key, size_t klen, const void *val,
                        size_t vlen)
{
    uint64_t h = ref_step(0x243f6a8885a308d3u, (uint64_t)tab);
    h = ref_bytes(h, key, klen);
    h = ref_bytes(h, val, vlen);
    h ^= h >> 33;
    h *= 0xff51afd7ed558ccdu;
    h ^= h >> 33;
    h *= 0xc4ceb9fe1a85ec53u;
    h ^= h >> 33;
    return h;
}

/* Every single-bit flip of a record's stored value (its checksum included)
 * is found by get, scan and floor alike, in each generic table; the record
 * written through the API reads back as written; a record moved to
 * another key (a flip in the key) is found too. */
static void test_checksums(void **state)
{
    fixture *fx = *state;
    static const enum store_table tabs[] = {STORE_T_META, STORE_T_STATE, STORE_T_EVIDENCE};
    static const char *const dbs[] = {"meta", "state", "evidence"};
    for (size_t ti = 0; ti < 3; ti++) {
        struct kv_read r = {.tab = tabs[ti], .key = "Pposition", .vlen = 21};
        for (size_t i = 0; i < r.vlen; i++) r.val[i] = (uint8_t)(i * 37 + ti);
        assert_int_equal(store_write(fx->s, put_fn, &r), CF_OK);
        struct kv_read back = {.tab = tabs[ti], .key = "Pposition"};
        kv_read_all(fx->s, &back);
        assert_int_equal(back.get, CF_OK);
        assert_int_equal(back.scan, CF_OK);
        assert_int_equal(back.floor, CF_OK);
        assert_int_equal(back.vlen, r.vlen);
        assert_memory_equal(back.val, r.val, r.vlen);

        /* The stored bytes: value, then 8 bytes of checksum. */
        store_txn *t;
        const uint8_t *v;
        size_t n;
        uint8_t stored[64];
        assert_int_equal(store_read_begin(fx->s, &t), CF_OK);
        assert_int_equal(store_kv_get(t, tabs[ti], "Pposition", 9, &v, &n), CF_OK);
        memcpy(stored, v, n + 8);
        store_read_end(t);
        size_t slen = r.vlen + 8;
        uint64_t want = ref_sum(tabs[ti], "Pposition", 9, r.val, r.vlen), got = 0;
        for (size_t i = 0; i < 8; i++) got = (got << 8) | stored[r.vlen + i];
        assert_true(got == want);
        for (size_t bit = 0; bit < slen * 8; bit++) {
            raw_op op = {.db = dbs[ti], .klen = 9, .vlen = slen};
            memcpy(op.key, "Pposition", 9);
            memcpy(op.val, stored, slen);
            op.val[bit / 8] ^= (uint8_t)(1u << (bit % 8));
            assert_int_equal(store_write(fx->s, raw_fn, &op), CF_OK);
            struct kv_read bad = {.tab = tabs[ti], .key = "Pposition"};
            kv_read_all(fx->s, &bad);
            if (bad.get != CF_ESTORE_CORRUPT || bad.scan != CF_ESTORE_CORRUPT ||
                bad.floor != CF_ESTORE_CORRUPT)
                fail_msg("table %s, bit %zu flipped: get %d scan %d floor %d", dbs[ti], bit,
                         bad.get, bad.scan, bad.floor);
        }
        /* Shorter than a checksum; the right bytes under another key. */
        raw_op op = {.db = dbs[ti], .klen = 9, .vlen = 7};
        memcpy(op.key, "Pposition", 9);
        assert_int_equal(store_write(fx->s, raw_fn, &op), CF_OK);
        kv_read_all(fx->s, &back);
        assert_int_equal(back.get, CF_ESTORE_CORRUPT);
        op = (raw_op){.db = dbs[ti], .klen = 9, .vlen = slen};
        memcpy(op.key, "Ppositioo", 9);
        memcpy(op.val, stored, slen);
        assert_int_equal(store_write(fx->s, raw_fn, &op), CF_OK);
        struct kv_read moved = {.tab = tabs[ti], .key = "Ppositioo"};
        kv_read_all(fx->s, &moved);
        assert_int_equal(moved.get, CF_ESTORE_CORRUPT);
        assert_int_equal(moved.scan, CF_ESTORE_CORRUPT);
        /* Written again through the API: whole again. */
        assert_int_equal(store_write(fx->s, put_fn, &r), CF_OK);
        kv_read_all(fx->s, &back);
        assert_int_equal(back.get, CF_OK);
    }
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

int main(void)
{
    unsetenv("COFUND_MAP_BYTES");
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_kv, fx_setup, fx_teardown),
        cmocka_unit_test_setup_teardown(test_checkpoints, fx_setup, fx_teardown),
        cmocka_unit_test_setup_teardown(test_corrupt, fx_setup, fx_teardown),
        cmocka_unit_test_setup_teardown(test_corrupt_peak, fx_setup, fx_teardown),
        cmocka_unit_test_setup_teardown(test_checksums, fx_setup, fx_teardown),
        cmocka_unit_test_setup_teardown(test_corrupt_append_and_checkpoint, fx_setup, fx_teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
