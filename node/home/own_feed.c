/* own_feed.c — see own_feed.h. */
#include "own_feed.h"

#include <string.h>

#include "bundle/ckpt.h"
#include "crypto/cf_error.h"
#include "crypto/cf_util.h"

/* meta keys (docs/storage.md) */
#define META_BEHIND "own.behind"
#define META_COMPARED "own.compared"

/* A mark's record: size (u64 BE), time (u64 BE), who (length byte, bytes). */
#define MARK_FIXED_BYTES 17

static int mark_get(store_txn *txn, const char *key, own_feed_mark *out)
{
    const uint8_t *v;
    size_t n;
    int err = store_kv_get(txn, STORE_T_META, key, strlen(key), &v, &n);
    if (err) return err;
    if (n < MARK_FIXED_BYTES || v[16] >= sizeof out->who || n != (size_t)MARK_FIXED_BYTES + v[16])
        return CF_ESTORE_CORRUPT;
    out->size = cf_get_be64(v);
    out->time_ms = cf_get_be64(v + 8);
    memcpy(out->who, v + MARK_FIXED_BYTES, v[16]);
    out->who[v[16]] = '\0';
    return CF_OK;
}

static int mark_put(store_txn *txn, const char *key, uint64_t size, const char *who,
                    uint64_t now_ms)
{
    uint8_t v[MARK_FIXED_BYTES + OWN_FEED_WHO_BYTES];
    size_t wlen = strnlen(who, OWN_FEED_WHO_BYTES - 1);
    cf_put_be64(v, size);
    cf_put_be64(v + 8, now_ms);
    v[16] = (uint8_t)wlen;
    memcpy(v + MARK_FIXED_BYTES, who, wlen);
    return store_kv_put(txn, STORE_T_META, key, strlen(key), v, MARK_FIXED_BYTES + wlen);
}

int own_feed_behind_get(store_txn *txn, own_feed_mark *out)
{
    return mark_get(txn, META_BEHIND, out);
}

int own_feed_compared_get(store_txn *txn, own_feed_mark *out)
{
    return mark_get(txn, META_COMPARED, out);
}

int own_feed_compared_put(store_txn *txn, uint64_t size, const char *who, uint64_t now_ms)
{
    return mark_put(txn, META_COMPARED, size, who, now_ms);
}

/* The own feed's size and whether it is proven forked. */
static int own_held(store_txn *txn, const uint8_t self[32], uint64_t *held, bool *forked)
{
    store_feed f;
    int err = store_feed_get(txn, self, &f);
    if (err == CF_ENOTFOUND) {
        *held = 0;
        *forked = false;
        return CF_OK;
    }
    if (err) return err;
    *held = f.size;
    *forked = (f.flags & STORE_FEED_FORKED) != 0;
    return CF_OK;
}

int own_feed_note_ahead(store_txn *txn, const uint8_t net[32], const uint8_t self[32],
                        const char *ckpt, size_t ckpt_len, const char *who, uint64_t now_ms,
                        own_feed_ahead *res, diag *d)
{
    checkpoint cp;
    own_feed_mark m;
    bool forked;
    int err;
    memset(res, 0, sizeof *res);
    if ((err = ckpt_verify(ckpt, ckpt_len, net, self, &cp, d)) != 0) return err;
    res->size = cp.size;
    if ((err = own_held(txn, self, &res->held, &forked)) != 0)
        return diag_set(d, err, NULL, "reading this home's own feed: %s", cf_strerror(err));
    res->behind = cp.size > res->held && !forked;
    if (!res->behind) return CF_OK;
    err = own_feed_behind_get(txn, &m);
    if (err == CF_OK && m.size >= cp.size) return CF_OK;
    if (err && err != CF_ENOTFOUND)
        return diag_set(d, err, NULL, "reading the behind mark: %s", cf_strerror(err));
    if ((err = mark_put(txn, META_BEHIND, cp.size, who, now_ms)) != 0)
        return diag_set(d, err, NULL, "writing the behind mark: %s", cf_strerror(err));
    res->news = true;
    return CF_OK;
}

int own_feed_settle(store_txn *txn, const uint8_t self[32], bool *cleared, uint64_t *held)
{
    own_feed_mark m;
    uint64_t have;
    bool forked;
    *cleared = false;
    int err = own_held(txn, self, &have, &forked);
    if (err) return err;
    if (held) *held = have;
    err = own_feed_behind_get(txn, &m);
    if (err == CF_ENOTFOUND) return CF_OK;
    if (err) return err;
    if (have < m.size && !forked) return CF_OK;
    if ((err = store_kv_del(txn, STORE_T_META, META_BEHIND, strlen(META_BEHIND))) != 0) return err;
    *cleared = true;
    return CF_OK;
}
