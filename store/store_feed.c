/* store_feed.c — feeds: records, the appender, entries, Merkle queries over
 * the stored subtree hashes, and checkpoints. Layout in store.h and
 * docs/storage.md. Every value read back is checked against its invariant
 * (size, range) before use.
 */
#include "store_internal.h"

#include <string.h>

#include "crypto/cf_error.h"
#include "crypto/cf_util.h"
#include "crypto/note.h"

_Static_assert(STORE_CHECKPOINT_BYTES_MAX == NOTE_BYTES_MAX,
               "a stored checkpoint is one signed note");
/* Tags 1 + h for h = 0..63 fit in the key's tag byte. */
_Static_assert(FEED_TAG_NODE0 + 63 <= 0xff, "node tags fit a byte");

/* ---- Feed records -------------------------------------------------------- */

struct feed_rec {
    uint64_t size, applied;
    uint32_t flags;
};

static int rec_get(store_txn *t, const uint8_t author[32], struct feed_rec *f)
{
    MDB_val k = {32, (void *)author}, v;
    int rc = mdb_get(t->txn, store__core(t, CORE_FEEDS), &k, &v);
    if (rc != 0) return store__err(t, rc);
    if (v.mv_size != FEED_RECORD_BYTES) return CF_ESTORE_CORRUPT;
    const uint8_t *p = v.mv_data;
    f->size = cf_get_be64(p);
    f->applied = cf_get_be64(p + 8);
    f->flags = cf_get_be32(p + 16);
    if (f->applied > f->size || (f->flags & ~(uint32_t)FEED_FLAGS_KNOWN))
        return CF_ESTORE_CORRUPT;
    return CF_OK;
}

static int rec_put(store_txn *t, const uint8_t author[32],
                   const struct feed_rec *f)
{
    uint8_t buf[FEED_RECORD_BYTES];
    CF_ASSERT(f->applied <= f->size && !(f->flags & ~(uint32_t)FEED_FLAGS_KNOWN));
    cf_put_be64(buf, f->size);
    cf_put_be64(buf + 8, f->applied);
    cf_put_be32(buf + 16, f->flags);
    MDB_val k = {32, (void *)author}, v = {sizeof buf, buf};
    return store__werr(t, mdb_put(t->txn, store__core(t, CORE_FEEDS), &k, &v, 0));
}

int store_feed_get(store_txn *t, const uint8_t author[32], store_feed *out)
{
    struct feed_rec f;
    if (t == NULL || author == NULL || out == NULL) return CF_EINVAL;
    int r = rec_get(t, author, &f);
    if (r != CF_OK) return r;
    memcpy(out->author, author, 32);
    out->size = f.size;
    out->applied = f.applied;
    out->flags = f.flags;
    return CF_OK;
}

int store_feed_set_status(store_txn *t, const uint8_t author[32],
                          uint64_t applied, uint32_t flags)
{
    struct feed_rec f;
    if (t == NULL || author == NULL || (flags & ~(uint32_t)FEED_FLAGS_KNOWN))
        return CF_EINVAL;
    if (!t->writable) return CF_ESTORE_READONLY;
    int r = rec_get(t, author, &f);
    if (r != CF_OK) return r;
    if (applied > f.size) return CF_ERANGE;
    f.applied = applied;
    f.flags = flags;
    return rec_put(t, author, &f);
}

int store_feeds_each(store_txn *t, store_feed_visit_fn fn, void *arg)
{
    MDB_cursor *c;
    MDB_val k, v;
    if (t == NULL || fn == NULL) return CF_EINVAL;
    int rc = mdb_cursor_open(t->txn, store__core(t, CORE_FEEDS), &c);
    if (rc != 0) return store__err(t, rc);
    int r = CF_OK;
    for (rc = mdb_cursor_get(c, &k, &v, MDB_FIRST); rc == 0;
         rc = mdb_cursor_get(c, &k, &v, MDB_NEXT)) {
        store_feed feed;
        struct feed_rec f;
        if (k.mv_size != 32) {
            r = CF_ESTORE_CORRUPT;
            break;
        }
        /* The record under the cursor, checked as rec_get does. */
        if ((r = rec_get(t, k.mv_data, &f)) != CF_OK) break;
        memcpy(feed.author, k.mv_data, 32);
        feed.size = f.size;
        feed.applied = f.applied;
        feed.flags = f.flags;
        if ((r = fn(arg, &feed)) != 0) break;
    }
    if (r == CF_OK && rc != MDB_NOTFOUND) r = store__err(t, rc);
    mdb_cursor_close(c);
    return r;
}

/* ---- Stored subtree hashes ------------------------------------------------ */

struct node_src {
    store_txn *t;
    MDB_dbi dbi;
};

/* The stored subtree of height level at position index: it ends at leaf
 * ((index + 1) << level) - 1, under tag 1 + level. CF_ENOTFOUND if absent. */
static int node_read(const struct node_src *src, unsigned level,
                     uint64_t index, uint8_t out[MERKLE_HASH_BYTES])
{
    uint8_t key[FEED_KEY_BYTES];
    CF_ASSERT(level < 64 && index <= (UINT64_MAX >> level));
    uint64_t last = (index << level) + (((uint64_t)1 << level) - 1);
    store__feed_key(key, last, FEED_TAG_NODE0 + level);
    MDB_val k = {sizeof key, key}, v;
    int rc = mdb_get(src->t->txn, src->dbi, &k, &v);
    if (rc != 0) return store__err(src->t, rc);
    if (v.mv_size != MERKLE_HASH_BYTES) return CF_ESTORE_CORRUPT;
    memcpy(out, v.mv_data, MERKLE_HASH_BYTES);
    return CF_OK;
}

/* merkle_subtree_fn over the feed database, asked only for subtrees of a
 * stored size: absence is corruption. */
static int node_get(void *ctx, unsigned level, uint64_t index,
                    uint8_t out[MERKLE_HASH_BYTES])
{
    int r = node_read(ctx, level, index, out);
    return r == CF_ENOTFOUND ? CF_ESTORE_CORRUPT : r;
}

/* The feed's record and database, for queries: CF_ENOTFOUND without one. */
static int feed_open(store_txn *t, const uint8_t author[32],
                     struct feed_rec *f, struct node_src *src)
{
    int r = rec_get(t, author, f);
    if (r != CF_OK) return r;
    src->t = t;
    r = store__feed_dbi(t, author, false, &src->dbi);
    return r == CF_ENOTFOUND ? CF_ESTORE_CORRUPT : r; /* record, no database */
}

/* ---- The appender -------------------------------------------------------- */

static struct store__appender *app_of(store_appender *pub)
{
    return (struct store__appender *)(void *)pub->opaque_.bytes_;
}

static const struct store__appender *app_of_const(const store_appender *pub)
{
    return (const struct store__appender *)(const void *)pub->opaque_.bytes_;
}

/* The tree an append extends is the one its author signed: when a signed
 * checkpoint of the feed's current size is held, the stored peaks must give
 * its root. Otherwise a damaged node would make the next checkpoint sign a
 * root its earlier ones contradict — a fork, proven against an honest
 * author, by its own disk. One read and at most 63 hashes; the signature
 * was verified when the checkpoint was stored. */
static int peaks_check(store_txn *t, const uint8_t author[32], const merkle_stream *tree)
{
    const char *text;
    size_t len;
    note n;
    checkpoint cp;
    uint8_t root[MERKLE_HASH_BYTES];
    if (tree->size == 0) return CF_OK;
    int r = store_checkpoint_get(t, author, tree->size, &text, &len);
    if (r == CF_ENOTFOUND) return CF_OK;
    if (r != CF_OK) return r;
    if (note_parse(text, len, &n) != CF_OK || checkpoint_parse(n.text, n.text_len, &cp) != CF_OK ||
        cp.size != tree->size)
        return CF_ESTORE_CORRUPT;
    merkle_stream_root(tree, root);
    return memcmp(root, cp.root, sizeof root) == 0 ? CF_OK : CF_ESTORE_CORRUPT;
}

int store_append_begin(store_txn *t, const uint8_t author[32],
                       store_appender *pub)
{
    struct feed_rec f;
    struct node_src src = {t, 0};
    MDB_cursor *c;
    int r, rc;
    if (t == NULL || author == NULL || pub == NULL) return CF_EINVAL;
    struct store__appender *a = app_of(pub);
    memset(a, 0, sizeof *a);
    if (!t->writable) return CF_ESTORE_READONLY;
    if (t->poison != CF_OK) return t->poison;
    r = rec_get(t, author, &f);
    if (r == CF_ENOTFOUND) {
        /* A new feed: within the limit, and its database must be empty (a
         * database without a record would be entries nobody accounted for). */
        uint32_t n;
        MDB_stat st;
        if ((r = store__feeds_count(t, &n)) != CF_OK) return r;
        if (n >= STORE_FEEDS_MAX) return CF_ESTORE_FEEDS_MAX;
        if ((r = store__feed_dbi(t, author, true, &src.dbi)) != CF_OK) return r;
        if ((rc = mdb_stat(t->txn, src.dbi, &st)) != 0) return store__err(t, rc);
        if (st.ms_entries != 0) return CF_ESTORE_CORRUPT;
        f.size = 0;
    } else if (r != CF_OK) {
        return r;
    } else {
        r = store__feed_dbi(t, author, false, &src.dbi);
        if (r == CF_ENOTFOUND) return CF_ESTORE_CORRUPT;
        if (r != CF_OK) return r;
    }
    if ((r = merkle_stream_load(&a->tree, node_get, &src, f.size)) != CF_OK)
        return r;
    if ((r = peaks_check(t, author, &a->tree)) != CF_OK) return r;
    if ((rc = mdb_cursor_open(t->txn, src.dbi, &c)) != 0)
        return store__err(t, rc);
    a->txn = t;
    memcpy(a->author, author, 32);
    a->dbi = src.dbi;
    a->start_size = f.size;
    a->cursor = c;
    return CF_OK;
}

static int append_put(struct store__appender *a, uint64_t index, unsigned tag,
                      const void *val, size_t len)
{
    uint8_t key[FEED_KEY_BYTES];
    store__feed_key(key, index, tag);
    MDB_val k = {sizeof key, key}, v = {len, (void *)val};
    int rc = mdb_cursor_put(a->cursor, &k, &v, MDB_APPEND);
    return rc == 0 ? CF_OK : store__werr(a->txn, rc);
}

/* The entry at the next index, then every subtree it completes; lh is its
 * leaf hash. */
static int append_one(struct store__appender *a, const uint8_t *entry, size_t len,
                      const uint8_t lh[MERKLE_HASH_BYTES])
{
    uint8_t done[65][MERKLE_HASH_BYTES];
    unsigned nd;
    int r;
    uint64_t i = a->tree.size;
    if ((r = append_put(a, i, FEED_TAG_ENTRY, entry, len)) != CF_OK) return r;
    merkle_stream_push(&a->tree, lh, done, &nd);
    for (unsigned h = 0; h < nd; h++)
        if ((r = append_put(a, i, FEED_TAG_NODE0 + h, done[h],
                            MERKLE_HASH_BYTES)) != CF_OK)
            return r;
    return CF_OK;
}

static int append_check(const struct store__appender *a, const uint8_t *entry, size_t len)
{
    if (a->cursor == NULL || entry == NULL || len == 0)
        return CF_EINVAL;
    if (len > STORE_ENTRY_BYTES_MAX) return CF_ETOOBIG;
    if (a->txn->poison != CF_OK) return a->txn->poison;
    if (a->tree.size == UINT64_MAX) return CF_EOVERFLOW;
    return CF_OK;
}

int store_append(store_appender *pub, const uint8_t *entry, size_t len,
                 uint8_t leaf[MERKLE_HASH_BYTES])
{
    uint8_t lh[MERKLE_HASH_BYTES];
    if (pub == NULL) return CF_EINVAL;
    struct store__appender *a = app_of(pub);
    int r = append_check(a, entry, len);
    if (r != CF_OK) return r;
    merkle_leaf_hash(entry, len, lh);
    if ((r = append_one(a, entry, len, lh)) != CF_OK) return r;
    if (leaf) memcpy(leaf, lh, MERKLE_HASH_BYTES);
    return CF_OK;
}

int store_append_hashed(store_appender *pub, const uint8_t *entry, size_t len,
                        const uint8_t leaf[MERKLE_HASH_BYTES])
{
    if (pub == NULL) return CF_EINVAL;
    struct store__appender *a = app_of(pub);
    int r = append_check(a, entry, len);
    if (r != CF_OK) return r;
    if (leaf == NULL) return CF_EINVAL;
    return append_one(a, entry, len, leaf);
}

int store_append_finish(store_appender *pub, uint8_t root[MERKLE_HASH_BYTES])
{
    struct feed_rec f;
    if (pub == NULL) return CF_EINVAL;
    struct store__appender *a = app_of(pub);
    if (a->cursor == NULL) return CF_EINVAL;
    store_txn *t = a->txn;
    mdb_cursor_close(a->cursor);
    a->cursor = NULL;
    if (t->poison != CF_OK) return t->poison;
    /* Re-read: store_feed_set_status may have run since begin. */
    int r = rec_get(t, a->author, &f);
    if (r == CF_ENOTFOUND) {
        if (a->start_size != 0) return CF_ESTORE_CORRUPT;
        f.applied = 0;
        f.flags = 0;
    } else if (r != CF_OK) {
        return r;
    } else if (f.size != a->start_size) {
        return CF_EINVAL; /* two appenders on one feed */
    }
    f.size = a->tree.size;
    if ((r = rec_put(t, a->author, &f)) != CF_OK) return r;
    if (root) merkle_stream_root(&a->tree, root);
    return CF_OK;
}

uint64_t store_append_size(const store_appender *pub)
{
    return app_of_const(pub)->tree.size;
}

void store_append_root(const store_appender *pub, uint8_t root[MERKLE_HASH_BYTES])
{
    merkle_stream_root(&app_of_const(pub)->tree, root);
}

/* ---- Entries ------------------------------------------------------------- */

static int entry_check(const MDB_val *v)
{
    return v->mv_size == 0 || v->mv_size > STORE_ENTRY_BYTES_MAX
               ? CF_ESTORE_CORRUPT
               : CF_OK;
}

int store_entry_get(store_txn *t, const uint8_t author[32], uint64_t index,
                    const uint8_t **bytes, size_t *len)
{
    uint8_t key[FEED_KEY_BYTES];
    MDB_dbi dbi;
    if (t == NULL || author == NULL || bytes == NULL || len == NULL)
        return CF_EINVAL;
    int r = store__feed_dbi(t, author, false, &dbi);
    if (r != CF_OK) return r;
    store__feed_key(key, index, FEED_TAG_ENTRY);
    MDB_val k = {sizeof key, key}, v;
    int rc = mdb_get(t->txn, dbi, &k, &v);
    if (rc != 0) return store__err(t, rc);
    if ((r = entry_check(&v)) != CF_OK) return r;
    *bytes = v.mv_data;
    *len = v.mv_size;
    return CF_OK;
}

int store_leaf_get(store_txn *t, const uint8_t author[32], uint64_t index,
                   uint8_t leaf[MERKLE_HASH_BYTES])
{
    uint8_t key[FEED_KEY_BYTES];
    MDB_dbi dbi;
    if (t == NULL || author == NULL || leaf == NULL) return CF_EINVAL;
    int r = store__feed_dbi(t, author, false, &dbi);
    if (r != CF_OK) return r;
    store__feed_key(key, index, FEED_TAG_NODE0);
    MDB_val k = {sizeof key, key}, v;
    int rc = mdb_get(t->txn, dbi, &k, &v);
    if (rc != 0) return store__err(t, rc);
    if (v.mv_size != MERKLE_HASH_BYTES) return CF_ESTORE_CORRUPT;
    memcpy(leaf, v.mv_data, MERKLE_HASH_BYTES);
    return CF_OK;
}

int store_entries_each(store_txn *t, const uint8_t author[32], uint64_t from,
                       uint64_t to, store_entry_visit_fn fn, void *arg)
{
    struct feed_rec f;
    struct node_src src;
    uint8_t key[FEED_KEY_BYTES];
    MDB_cursor *c;
    if (t == NULL || author == NULL || fn == NULL) return CF_EINVAL;
    int r = feed_open(t, author, &f, &src);
    if (r != CF_OK) return r;
    if (from > to || to > f.size) return CF_ETREE_RANGE;
    if (from == to) return CF_OK;
    int rc = mdb_cursor_open(t->txn, src.dbi, &c);
    if (rc != 0) return store__err(t, rc);
    store__feed_key(key, from, FEED_TAG_ENTRY);
    MDB_val k = {sizeof key, key}, v;
    uint64_t want = from;
    /* Records come as (i, entry), (i, node 0), ..., (i + 1, entry): step over
     * the nodes, and require every entry in turn. */
    for (rc = mdb_cursor_get(c, &k, &v, MDB_SET_RANGE); rc == 0;
         rc = mdb_cursor_get(c, &k, &v, MDB_NEXT)) {
        if (k.mv_size != FEED_KEY_BYTES) {
            r = CF_ESTORE_CORRUPT;
            break;
        }
        const uint8_t *kp = k.mv_data;
        uint64_t idx = cf_get_be64(kp);
        if (kp[8] != FEED_TAG_ENTRY) {
            if (idx + 1 != want) { /* nodes of an entry we did not see */
                r = CF_ESTORE_CORRUPT;
                break;
            }
            continue;
        }
        if (idx != want || (r = entry_check(&v)) != CF_OK) {
            r = CF_ESTORE_CORRUPT;
            break;
        }
        if ((r = fn(arg, idx, v.mv_data, v.mv_size)) != 0) break;
        if (++want == to) break;
    }
    if (r == CF_OK && want != to)
        r = rc == 0 || rc == MDB_NOTFOUND ? CF_ESTORE_CORRUPT : store__err(t, rc);
    mdb_cursor_close(c);
    return r;
}

/* ---- Merkle queries ------------------------------------------------------ */

int store_root(store_txn *t, const uint8_t author[32], uint64_t size,
               uint8_t root[MERKLE_HASH_BYTES])
{
    struct feed_rec f;
    struct node_src src;
    if (t == NULL || author == NULL || root == NULL) return CF_EINVAL;
    int r = feed_open(t, author, &f, &src);
    if (r != CF_OK) return r;
    if (size > f.size) return CF_ETREE_RANGE;
    return merkle_root(node_get, &src, size, root);
}

int store_subtree(store_txn *t, const uint8_t author[32], unsigned level,
                  uint64_t index, uint8_t out[MERKLE_HASH_BYTES])
{
    struct feed_rec f;
    struct node_src src;
    if (t == NULL || author == NULL || out == NULL || level >= 64 ||
        index > (UINT64_MAX >> level) - 1)
        return CF_EINVAL;
    int r = feed_open(t, author, &f, &src);
    if (r != CF_OK) return r;
    if (((index + 1) << level) > f.size) return CF_ENOTFOUND;
    return node_get(&src, level, index, out);
}

int store_inclusion_proof(store_txn *t, const uint8_t author[32],
                          uint64_t index, uint64_t size,
                          uint8_t proof[][MERKLE_HASH_BYTES], size_t *n)
{
    struct feed_rec f;
    struct node_src src;
    if (t == NULL || author == NULL || proof == NULL || n == NULL)
        return CF_EINVAL;
    *n = 0;
    int r = feed_open(t, author, &f, &src);
    if (r != CF_OK) return r;
    if (size > f.size) return CF_ETREE_RANGE;
    return merkle_inclusion_proof(node_get, &src, index, size, proof, n);
}

int store_consistency_proof(store_txn *t, const uint8_t author[32],
                            uint64_t old_size, uint64_t new_size,
                            uint8_t proof[][MERKLE_HASH_BYTES], size_t *n)
{
    struct feed_rec f;
    struct node_src src;
    if (t == NULL || author == NULL || proof == NULL || n == NULL)
        return CF_EINVAL;
    *n = 0;
    int r = feed_open(t, author, &f, &src);
    if (r != CF_OK) return r;
    if (new_size > f.size) return CF_ETREE_RANGE;
    return merkle_consistency_proof(node_get, &src, old_size, new_size, proof,
                                    n);
}

/* ---- Checkpoints --------------------------------------------------------- */

static void ckpt_key(uint8_t k[CKPT_KEY_BYTES], const uint8_t author[32],
                     uint64_t size)
{
    memcpy(k, author, 32);
    cf_put_be64(k + 32, size);
}

static int ckpt_check(const MDB_val *v)
{
    return v->mv_size == 0 || v->mv_size > STORE_CHECKPOINT_BYTES_MAX
               ? CF_ESTORE_CORRUPT
               : CF_OK;
}

int store_checkpoint_put(store_txn *t, const uint8_t author[32], uint64_t size,
                         const char *text, size_t len)
{
    uint8_t key[CKPT_KEY_BYTES];
    if (t == NULL || author == NULL || text == NULL || len == 0)
        return CF_EINVAL;
    if (len > STORE_CHECKPOINT_BYTES_MAX) return CF_ETOOBIG;
    if (!t->writable) return CF_ESTORE_READONLY;
    ckpt_key(key, author, size);
    MDB_val k = {sizeof key, key}, v = {len, (void *)text};
    return store__werr(t, mdb_put(t->txn, store__core(t, CORE_CHECKPOINTS), &k,
                                  &v, 0));
}

int store_checkpoint_get(store_txn *t, const uint8_t author[32], uint64_t size,
                         const char **text, size_t *len)
{
    uint8_t key[CKPT_KEY_BYTES];
    if (t == NULL || author == NULL || text == NULL || len == NULL)
        return CF_EINVAL;
    ckpt_key(key, author, size);
    MDB_val k = {sizeof key, key}, v;
    int rc = mdb_get(t->txn, store__core(t, CORE_CHECKPOINTS), &k, &v);
    if (rc != 0) return store__err(t, rc);
    int r = ckpt_check(&v);
    if (r != CF_OK) return r;
    *text = v.mv_data;
    *len = v.mv_size;
    return CF_OK;
}

/* True when k belongs to author; CF_ESTORE_CORRUPT (via *r) when it does but
 * is not author || size. */
static bool ckpt_of(const MDB_val *k, const uint8_t author[32], int *r)
{
    if (k->mv_size < 32 || memcmp(k->mv_data, author, 32) != 0) return false;
    if (k->mv_size != CKPT_KEY_BYTES) *r = CF_ESTORE_CORRUPT;
    return true;
}

int store_checkpoint_latest(store_txn *t, const uint8_t author[32],
                            uint64_t *size, const char **text, size_t *len)
{
    uint8_t key[CKPT_KEY_BYTES];
    MDB_cursor *c;
    if (t == NULL || author == NULL || size == NULL || text == NULL ||
        len == NULL)
        return CF_EINVAL;
    int rc = mdb_cursor_open(t->txn, store__core(t, CORE_CHECKPOINTS), &c);
    if (rc != 0) return store__err(t, rc);
    /* The first key >= author || 2^64-1 is that exact key or past author's
     * range; otherwise the greatest key below it. */
    ckpt_key(key, author, UINT64_MAX);
    MDB_val k = {sizeof key, key}, v;
    rc = mdb_cursor_get(c, &k, &v, MDB_SET_RANGE);
    if (rc == 0 && !(k.mv_size == sizeof key && memcmp(k.mv_data, key, sizeof key) == 0))
        rc = mdb_cursor_get(c, &k, &v, MDB_PREV);
    else if (rc == MDB_NOTFOUND)
        rc = mdb_cursor_get(c, &k, &v, MDB_LAST);
    int r = CF_OK;
    if (rc != 0) {
        r = store__err(t, rc);
    } else if (!ckpt_of(&k, author, &r)) {
        r = CF_ENOTFOUND;
    } else if (r == CF_OK && (r = ckpt_check(&v)) == CF_OK) {
        *size = cf_get_be64((const uint8_t *)k.mv_data + 32);
        *text = v.mv_data;
        *len = v.mv_size;
    }
    mdb_cursor_close(c);
    return r;
}

int store_checkpoints_each(store_txn *t, const uint8_t author[32],
                           store_checkpoint_visit_fn fn, void *arg)
{
    uint8_t key[CKPT_KEY_BYTES];
    MDB_cursor *c;
    if (t == NULL || author == NULL || fn == NULL) return CF_EINVAL;
    int rc = mdb_cursor_open(t->txn, store__core(t, CORE_CHECKPOINTS), &c);
    if (rc != 0) return store__err(t, rc);
    ckpt_key(key, author, 0);
    MDB_val k = {sizeof key, key}, v;
    int r = CF_OK;
    for (rc = mdb_cursor_get(c, &k, &v, MDB_SET_RANGE); rc == 0;
         rc = mdb_cursor_get(c, &k, &v, MDB_NEXT)) {
        if (!ckpt_of(&k, author, &r)) break;
        if (r != CF_OK || (r = ckpt_check(&v)) != CF_OK) break;
        if ((r = fn(arg, cf_get_be64((const uint8_t *)k.mv_data + 32),
                    v.mv_data, v.mv_size)) != 0)
            break;
    }
    if (r == CF_OK && rc != 0 && rc != MDB_NOTFOUND) r = store__err(t, rc);
    mdb_cursor_close(c);
    return r;
}
