/* store_kv.c — the generic tables (enum store_table) whose records the node
 * layer defines: get, put, delete, prefix scans and floor lookups.
 */
#include "store_internal.h"

#include <stdlib.h>
#include <string.h>

#include "crypto/cf_error.h"
#include "crypto/cf_util.h"

_Static_assert(STORE_KEY_BYTES_MAX <= 511, "LMDB's default key size limit");

static int table_dbi(store_txn *t, enum store_table tab, MDB_dbi *dbi)
{
    if ((unsigned)tab >= STORE_T__COUNT) return CF_EINVAL;
    *dbi = store__core(t, (enum store_core_db)(CORE_META + (int)tab));
    return CF_OK;
}

static bool key_ok(const void *key, size_t klen)
{
    return key != NULL && klen >= 1 && klen <= STORE_KEY_BYTES_MAX;
}

/* ---- Record checksums (docs/storage.md, "Record checksums") --------------
 * From schema 2 on, every record of a generic table carries a checksum of
 * its table, key and value after the value: 8 bytes, big-endian. It is
 * verified on every read (get, scan, floor), so a record a disk changed is
 * CF_ESTORE_CORRUPT, never a value. Only the "schema" record of META has
 * none: it says how to read the others.
 *
 * The sum folds the input in 64-bit words; each step
 * h = rotl(h ^ w, 31) * odd is a bijection of w for a given h and of h for
 * a given w, so two inputs that differ within one word (one flipped bit, or
 * up to 64 in one word) always have different sums; other changes are
 * missed with probability about 2^-64. It guards against a disk, not an
 * adversary: whoever can write data.mdb can write a matching sum. */

static bool sum_exempt(enum store_table tab, const void *key, size_t klen)
{
    return tab == STORE_T_META && klen == sizeof STORE_SCHEMA_KEY - 1 &&
           memcmp(key, STORE_SCHEMA_KEY, klen) == 0;
}

static uint64_t sum_step(uint64_t h, uint64_t w)
{
    h ^= w;
    h = (h << 31) | (h >> 33);
    return h * 0x9e3779b97f4a7c15u;
}

/* The little-endian word at p: one load where the host is little-endian
 * (compilers do not merge the byte loop below into one), the same value
 * either way. */
static uint64_t load_le64(const uint8_t *p)
{
#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
    uint64_t w;
    memcpy(&w, p, sizeof w);
    return w;
#else
    uint64_t w = 0;
    for (int i = 7; i >= 0; i--) w = (w << 8) | p[i];
    return w;
#endif
}

static uint64_t sum_bytes(uint64_t h, const uint8_t *p, size_t n)
{
    h = sum_step(h, (uint64_t)n);
    for (; n >= 8; p += 8, n -= 8) h = sum_step(h, load_le64(p));
    if (n > 0) {
        uint64_t w = 0;
        for (size_t i = n; i > 0; i--) w = (w << 8) | p[i - 1];
        h = sum_step(h, w);
    }
    return h;
}

static uint64_t rec_sum(enum store_table tab, const void *key, size_t klen, const void *val,
                        size_t vlen)
{
    uint64_t h = sum_step(0x243f6a8885a308d3u, (uint64_t)tab);
    h = sum_bytes(h, key, klen);
    h = sum_bytes(h, val, vlen);
    /* murmur3's finaliser: every input bit reaches every output bit. */
    h ^= h >> 33;
    h *= 0xff51afd7ed558ccdu;
    h ^= h >> 33;
    h *= 0xc4ceb9fe1a85ec53u;
    h ^= h >> 33;
    return h;
}

static bool summed(const store_txn *t, enum store_table tab, const void *key, size_t klen)
{
    return t->s->sums && !sum_exempt(tab, key, klen);
}

/* A record read back: LMDB bounds the key; the value has our limit and,
 * from schema 2 on, its checksum, which is verified and taken off v. */
static int rec_check(const store_txn *t, enum store_table tab, const MDB_val *k, MDB_val *v)
{
    if (k->mv_size == 0 || k->mv_size > STORE_KEY_BYTES_MAX)
        return CF_ESTORE_CORRUPT;
    if (summed(t, tab, k->mv_data, k->mv_size)) {
        if (v->mv_size < STORE_SUM_BYTES) return CF_ESTORE_CORRUPT;
        v->mv_size -= STORE_SUM_BYTES;
        const uint8_t *sum = (const uint8_t *)v->mv_data + v->mv_size;
        if (cf_get_be64(sum) != rec_sum(tab, k->mv_data, k->mv_size, v->mv_data, v->mv_size))
            return CF_ESTORE_CORRUPT;
    }
    if (v->mv_size > STORE_VALUE_BYTES_MAX) return CF_ESTORE_CORRUPT;
    return CF_OK;
}

/* Write (key, val) with its checksum into dbi, through cursor c when not
 * NULL: MDB_RESERVE, then the bytes. */
static int rec_put(store_txn *t, enum store_table tab, MDB_dbi dbi, MDB_cursor *c,
                   const void *key, size_t klen, const void *val, size_t vlen)
{
    static const uint8_t empty[1];
    MDB_val k = {klen, (void *)key};
    if (!summed(t, tab, key, klen)) {
        MDB_val v = {vlen, vlen ? (void *)val : (void *)empty};
        return store__werr(t, c ? mdb_cursor_put(c, &k, &v, 0) : mdb_put(t->txn, dbi, &k, &v, 0));
    }
    MDB_val v = {vlen + STORE_SUM_BYTES, NULL};
    int rc = c ? mdb_cursor_put(c, &k, &v, MDB_RESERVE) : mdb_put(t->txn, dbi, &k, &v, MDB_RESERVE);
    if (rc != 0) return store__werr(t, rc);
    /* A leaf page whose damaged header says LEAF2 (keys only) takes the key
     * and leaves the value's place unset: LMDB reports success and no room.
     * Writing there would crash outside the guard (store_bitflip.sh, seed
     * 2290580581 trial 7: SIGSEGV), so stop as for a fault in LMDB. */
    if (v.mv_data == NULL) store__guard_corrupt("a write met a damaged page");
    if (vlen) memcpy(v.mv_data, val, vlen);
    cf_put_be64((uint8_t *)v.mv_data + vlen, rec_sum(tab, key, klen, val, vlen));
    return CF_OK;
}

int store__kv_add_sums(store_txn *t)
{
    for (int tab = 0; tab < STORE_T__COUNT; tab++) {
        MDB_dbi dbi;
        MDB_cursor *c;
        MDB_val k, v;
        uint8_t *buf = NULL;
        size_t cap = 0;
        int r = table_dbi(t, (enum store_table)tab, &dbi), rc;
        if (r != CF_OK) return r;
        if ((rc = mdb_cursor_open(t->txn, dbi, &c)) != 0) return store__werr(t, rc);
        for (rc = mdb_cursor_get(c, &k, &v, MDB_FIRST); rc == 0;
             rc = mdb_cursor_get(c, &k, &v, MDB_NEXT)) {
            if (sum_exempt((enum store_table)tab, k.mv_data, k.mv_size)) continue;
            if (v.mv_size > STORE_VALUE_BYTES_MAX) {
                r = CF_ESTORE_CORRUPT;
                break;
            }
            size_t need = k.mv_size + v.mv_size + STORE_SUM_BYTES;
            if (need > cap) {
                uint8_t *nb = realloc(buf, need);
                if (nb == NULL) {
                    r = CF_ENOMEM;
                    break;
                }
                buf = nb;
                cap = need;
            }
            /* Copies first: the put may move what k and v point at. */
            memcpy(buf, k.mv_data, k.mv_size);
            memcpy(buf + k.mv_size, v.mv_data, v.mv_size);
            uint8_t *val = buf + k.mv_size;
            cf_put_be64(val + v.mv_size, rec_sum((enum store_table)tab, buf, k.mv_size, val,
                                                 v.mv_size));
            MDB_val nk = {k.mv_size, buf}, nv = {v.mv_size + STORE_SUM_BYTES, val};
            if ((rc = mdb_cursor_put(c, &nk, &nv, MDB_CURRENT)) != 0) break;
        }
        mdb_cursor_close(c);
        free(buf);
        if (r != CF_OK) return r; /* the open's transaction aborts */
        if (rc != MDB_NOTFOUND) return store__werr(t, rc);
    }
    return CF_OK;
}

int store_kv_get(store_txn *t, enum store_table tab, const void *key,
                 size_t klen, const uint8_t **val, size_t *vlen)
{
    MDB_dbi dbi;
    if (t == NULL || !key_ok(key, klen) || val == NULL || vlen == NULL)
        return CF_EINVAL;
    int r = table_dbi(t, tab, &dbi);
    if (r != CF_OK) return r;
    MDB_val k = {klen, (void *)key}, v;
    int rc = mdb_get(t->txn, dbi, &k, &v);
    if (rc != 0) return store__err(t, rc);
    if ((r = rec_check(t, tab, &k, &v)) != CF_OK) return r;
    *val = v.mv_data;
    *vlen = v.mv_size;
    return CF_OK;
}

int store_kv_put(store_txn *t, enum store_table tab, const void *key,
                 size_t klen, const void *val, size_t vlen)
{
    MDB_dbi dbi;
    if (t == NULL || !key_ok(key, klen) || (val == NULL && vlen != 0))
        return CF_EINVAL;
    if (vlen > STORE_VALUE_BYTES_MAX) return CF_ETOOBIG;
    if (!t->writable) return CF_ESTORE_READONLY;
    int r = table_dbi(t, tab, &dbi);
    if (r != CF_OK) return r;
    return rec_put(t, tab, dbi, NULL, key, klen, val, vlen);
}

struct store_kv_writer {
    store_txn *txn;
    enum store_table tab;
    MDB_dbi dbi;
    MDB_cursor *cursor;
};

int store_kv_writer_open(store_txn *t, enum store_table tab, store_kv_writer **out)
{
    MDB_dbi dbi;
    if (t == NULL || out == NULL) return CF_EINVAL;
    *out = NULL;
    if (!t->writable) return CF_ESTORE_READONLY;
    int r = table_dbi(t, tab, &dbi), rc;
    if (r != CF_OK) return r;
    store_kv_writer *w = malloc(sizeof *w);
    if (w == NULL) return CF_ENOMEM;
    if ((rc = mdb_cursor_open(t->txn, dbi, &w->cursor)) != 0) {
        free(w);
        return store__werr(t, rc);
    }
    w->txn = t;
    w->tab = tab;
    w->dbi = dbi;
    *out = w;
    return CF_OK;
}

int store_kv_writer_put(store_kv_writer *w, const void *key, size_t klen, const void *val,
                        size_t vlen)
{
    if (w == NULL || !key_ok(key, klen) || (val == NULL && vlen != 0)) return CF_EINVAL;
    if (vlen > STORE_VALUE_BYTES_MAX) return CF_ETOOBIG;
    return rec_put(w->txn, w->tab, w->dbi, w->cursor, key, klen, val, vlen);
}

void store_kv_writer_close(store_kv_writer *w)
{
    if (w == NULL) return;
    mdb_cursor_close(w->cursor);
    free(w);
}

int store_kv_del(store_txn *t, enum store_table tab, const void *key,
                 size_t klen)
{
    MDB_dbi dbi;
    if (t == NULL || !key_ok(key, klen)) return CF_EINVAL;
    if (!t->writable) return CF_ESTORE_READONLY;
    int r = table_dbi(t, tab, &dbi);
    if (r != CF_OK) return r;
    MDB_val k = {klen, (void *)key};
    int rc = mdb_del(t->txn, dbi, &k, NULL);
    if (rc == MDB_NOTFOUND) return CF_ENOTFOUND;
    return store__werr(t, rc);
}

static bool has_prefix(const MDB_val *k, const void *prefix, size_t plen)
{
    return k->mv_size >= plen && (plen == 0 || memcmp(k->mv_data, prefix, plen) == 0);
}

int store_kv_clear(store_txn *t, enum store_table tab, const void *prefix, size_t plen)
{
    MDB_dbi dbi;
    MDB_cursor *c;
    if (t == NULL || (prefix == NULL && plen != 0) || plen > STORE_KEY_BYTES_MAX)
        return CF_EINVAL;
    if (!t->writable) return CF_ESTORE_READONLY;
    int r = table_dbi(t, tab, &dbi);
    if (r != CF_OK) return r;
    if (plen == 0) return store__werr(t, mdb_drop(t->txn, dbi, 0));
    int rc = mdb_cursor_open(t->txn, dbi, &c);
    if (rc != 0) return store__werr(t, rc);
    /* Seek afresh after every delete: simple, and clearing is rare. */
    for (;;) {
        MDB_val k = {plen, (void *)prefix}, v;
        rc = mdb_cursor_get(c, &k, &v, MDB_SET_RANGE);
        if (rc != 0 || !has_prefix(&k, prefix, plen)) break;
        if ((rc = mdb_cursor_del(c, 0)) != 0) break;
    }
    mdb_cursor_close(c);
    return rc == 0 || rc == MDB_NOTFOUND ? CF_OK : store__werr(t, rc);
}

/* Position c on the last record whose key starts with prefix, or report
 * MDB_NOTFOUND. The keys after that range start at the prefix's successor
 * (trailing 0xff bytes dropped, last byte incremented); with no successor
 * (empty or all-0xff prefix) the range runs to the end. */
static int seek_last_with_prefix(MDB_cursor *c, const uint8_t *prefix,
                                 size_t plen, MDB_val *k, MDB_val *v)
{
    uint8_t succ[STORE_KEY_BYTES_MAX];
    size_t n = plen;
    while (n > 0 && prefix[n - 1] == 0xff) n--;
    int rc;
    if (n == 0) {
        rc = mdb_cursor_get(c, k, v, MDB_LAST);
    } else {
        memcpy(succ, prefix, n);
        succ[n - 1]++;
        k->mv_size = n;
        k->mv_data = succ;
        rc = mdb_cursor_get(c, k, v, MDB_SET_RANGE);
        if (rc == 0)
            rc = mdb_cursor_get(c, k, v, MDB_PREV);
        else if (rc == MDB_NOTFOUND)
            rc = mdb_cursor_get(c, k, v, MDB_LAST);
    }
    if (rc == 0 && !has_prefix(k, prefix, plen)) rc = MDB_NOTFOUND;
    return rc;
}

/* A cursor for a scan of table tab: a free one of the transaction's (slot
 * receives its index), else a fresh one (slot -1) when scans nest deeper
 * than STORE_SCAN_CURSORS. */
static int scan_cursor_take(store_txn *t, enum store_table tab, MDB_dbi dbi,
                            MDB_cursor **c, int *slot)
{
    int rc;
    for (int i = 0; i < STORE_SCAN_CURSORS; i++) {
        if (t->scan_busy[tab] & (1u << i)) continue;
        if (t->scan_cursor[tab][i] == NULL &&
            (rc = mdb_cursor_open(t->txn, dbi, &t->scan_cursor[tab][i])) != 0)
            return store__err(t, rc);
        t->scan_busy[tab] |= (uint8_t)(1u << i);
        *c = t->scan_cursor[tab][i];
        *slot = i;
        return CF_OK;
    }
    *slot = -1;
    rc = mdb_cursor_open(t->txn, dbi, c);
    return rc == 0 ? CF_OK : store__err(t, rc);
}

static void scan_cursor_give(store_txn *t, enum store_table tab, MDB_cursor *c, int slot)
{
    if (slot < 0)
        mdb_cursor_close(c);
    else
        t->scan_busy[tab] &= (uint8_t)~(1u << slot);
}

int store_kv_scan(store_txn *t, enum store_table tab, const void *prefix,
                  size_t plen, bool reverse, store_kv_visit_fn fn, void *arg)
{
    MDB_dbi dbi;
    MDB_cursor *c;
    int slot;
    if (t == NULL || fn == NULL || plen > STORE_KEY_BYTES_MAX ||
        (prefix == NULL && plen != 0))
        return CF_EINVAL;
    int r = table_dbi(t, tab, &dbi);
    if (r != CF_OK) return r;
    if ((r = scan_cursor_take(t, tab, dbi, &c, &slot)) != CF_OK) return r;
    int rc;
    MDB_val k, v;
    if (reverse) {
        rc = seek_last_with_prefix(c, prefix, plen, &k, &v);
    } else if (plen == 0) {
        rc = mdb_cursor_get(c, &k, &v, MDB_FIRST);
    } else {
        k.mv_size = plen;
        k.mv_data = (void *)prefix;
        rc = mdb_cursor_get(c, &k, &v, MDB_SET_RANGE);
    }
    for (; rc == 0; rc = mdb_cursor_get(c, &k, &v, reverse ? MDB_PREV : MDB_NEXT)) {
        if (!has_prefix(&k, prefix, plen)) break;
        if ((r = rec_check(t, tab, &k, &v)) != CF_OK) break;
        if ((r = fn(arg, k.mv_data, k.mv_size, v.mv_data, v.mv_size)) != 0)
            break;
    }
    if (r == CF_OK && rc != 0 && rc != MDB_NOTFOUND) r = store__err(t, rc);
    scan_cursor_give(t, tab, c, slot);
    return r;
}

int store_kv_floor(store_txn *t, enum store_table tab, const void *key,
                   size_t klen, size_t plen, const uint8_t **fkey,
                   size_t *fklen, const uint8_t **val, size_t *vlen)
{
    MDB_dbi dbi;
    if (t == NULL || !key_ok(key, klen) || plen > klen || fkey == NULL ||
        fklen == NULL || val == NULL || vlen == NULL)
        return CF_EINVAL;
    int r = table_dbi(t, tab, &dbi);
    if (r != CF_OK) return r;
    /* The table's cursor for this transaction: every call seeks afresh, so
     * where an earlier call (or a write since) left it does not matter. */
    MDB_cursor *c = t->floor_cursor[tab];
    int rc;
    if (c == NULL) {
        if ((rc = mdb_cursor_open(t->txn, dbi, &c)) != 0) return store__err(t, rc);
        t->floor_cursor[tab] = c;
    }
    MDB_val k = {klen, (void *)key}, v;
    rc = mdb_cursor_get(c, &k, &v, MDB_SET_RANGE);
    if (rc == 0 && !(k.mv_size == klen && memcmp(k.mv_data, key, klen) == 0))
        rc = mdb_cursor_get(c, &k, &v, MDB_PREV); /* first key > key: step back */
    else if (rc == MDB_NOTFOUND)
        rc = mdb_cursor_get(c, &k, &v, MDB_LAST); /* every key < key */
    if (rc == 0 && !has_prefix(&k, key, plen)) rc = MDB_NOTFOUND;
    if (rc == 0 && (r = rec_check(t, tab, &k, &v)) == CF_OK) {
        *fkey = k.mv_data;
        *fklen = k.mv_size;
        *val = v.mv_data;
        *vlen = v.mv_size;
    } else if (rc != 0) {
        r = store__err(t, rc);
    }
    return r;
}
