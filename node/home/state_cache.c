/* state_cache.c — see state_cache.h.
 *
 * The dirty records live in a memkv (node/ledger/memkv.h): an exact get or
 * put is a hash probe, floor and scan use its skip list. Its keys compare
 * as LMDB's do (memcmp, then shorter first), so the two orders merge.
 */
#include "state_cache.h"

#include <stdlib.h>
#include <string.h>

#include "crypto/cf_error.h"
#include "crypto/cf_util.h"

/* LMDB's default order: bytes, then the shorter first. */
static int key_cmp(const uint8_t *a, size_t alen, const uint8_t *b, size_t blen)
{
    size_t n = alen < blen ? alen : blen;
    int c = n ? memcmp(a, b, n) : 0;
    if (c) return c;
    return alen < blen ? -1 : alen > blen;
}

/* Whether a dirty key may start with byte b: the rules read many records of
 * kinds the batch has not written (programs, projects, terms), and those
 * reads then skip the dirty map (its hash, its scan's ordering). */
static bool part_dirty(const state_cache *c, uint8_t b)
{
    return (c->parts[b / 64] >> (b % 64)) & 1;
}

static int c_get(void *ctx, const uint8_t *key, size_t klen, const uint8_t **val, size_t *vlen)
{
    state_cache *c = ctx;
    if (c->dirty != NULL && klen > 0 && part_dirty(c, key[0])) {
        int err = c->dkv.get(c->dkv.ctx, key, klen, val, vlen);
        if (err != CF_ENOTFOUND) return err;
    }
    return store_kv_get(c->txn, STORE_T_STATE, key, klen, val, vlen);
}

static int c_put(void *ctx, const uint8_t *key, size_t klen, const uint8_t *val, size_t vlen)
{
    state_cache *c = ctx;
    /* What the store would refuse is refused now, not at the flush. */
    if (klen == 0 || klen > STORE_KEY_BYTES_MAX) return CF_EINVAL;
    if (c->dirty == NULL) {
        uint64_t seed;
        cf_random(&seed, sizeof seed); /* keys come from the entries: keep the index unguessable */
        if ((c->dirty = memkv_new(seed)) == NULL) return CF_ENOMEM;
        memkv_bind(c->dirty, &c->dkv);
    }
    int err = c->dkv.put(c->dkv.ctx, key, klen, val, vlen);
    if (err) return err;
    c->parts[key[0] / 64] |= UINT64_C(1) << (key[0] % 64);
    c->puts++;
    c->bytes += klen + vlen;
    return CF_OK;
}

/* ---- floor: the greater of the two answers, the dirty one on a tie ---------- */

static int c_floor(void *ctx, const uint8_t *key, size_t klen, size_t plen,
                   const uint8_t **fkey, size_t *fklen, const uint8_t **val, size_t *vlen)
{
    state_cache *c = ctx;
    /* With plen > 0 the answer starts with key[0]. */
    if (c->dirty == NULL || (plen > 0 && !part_dirty(c, key[0])))
        return store_kv_floor(c->txn, STORE_T_STATE, key, klen, plen, fkey, fklen, val, vlen);
    const uint8_t *dk, *dv;
    size_t dklen, dvlen;
    int derr = c->dkv.floor(c->dkv.ctx, key, klen, plen, &dk, &dklen, &dv, &dvlen);
    if (derr != CF_OK && derr != CF_ENOTFOUND) return derr;
    int serr = store_kv_floor(c->txn, STORE_T_STATE, key, klen, plen, fkey, fklen, val, vlen);
    if (serr != CF_OK && serr != CF_ENOTFOUND) return serr;
    if (derr == CF_ENOTFOUND) return serr;
    if (serr == CF_OK && key_cmp(*fkey, *fklen, dk, dklen) > 0) return CF_OK;
    *fkey = dk;
    *fklen = dklen;
    *val = dv;
    *vlen = dvlen;
    return CF_OK;
}

/* ---- scan: the dirty records of the range, merged into the store's ------------ */

typedef struct {
    const uint8_t *key, *val;
    size_t klen, vlen;
} rec_ref;

/* Most scans the rules run reach few dirty records: those fit on the stack. */
#define SCAN_STACK_RECS 32

typedef struct {
    rec_ref *recs;
    size_t n, cap;
    rec_ref stack[SCAN_STACK_RECS];
} rec_list;

static int collect(void *arg, const uint8_t *key, size_t klen, const uint8_t *val, size_t vlen)
{
    rec_list *l = arg;
    if (l->n == l->cap) {
        size_t cap = l->cap * 2;
        rec_ref *nr = l->recs == l->stack ? malloc(cap * sizeof *nr)
                                          : realloc(l->recs, cap * sizeof *nr);
        if (nr == NULL) return CF_ENOMEM;
        if (l->recs == l->stack) memcpy(nr, l->stack, sizeof l->stack);
        l->recs = nr;
        l->cap = cap;
    }
    l->recs[l->n++] = (rec_ref){key, val, klen, vlen};
    return CF_OK;
}

typedef struct {
    const rec_list *l;
    size_t pos;
    bool reverse;
    ledger_kv_visit_fn fn;
    void *arg;
} merge;

/* Whether a comes before b in the scan's direction. */
static bool before(const merge *m, const uint8_t *a, size_t alen, const uint8_t *b, size_t blen)
{
    int c = key_cmp(a, alen, b, blen);
    return m->reverse ? c > 0 : c < 0;
}

static int merge_visit(void *arg, const uint8_t *key, size_t klen, const uint8_t *val,
                       size_t vlen)
{
    merge *m = arg;
    const rec_list *l = m->l;
    while (m->pos < l->n && before(m, l->recs[m->pos].key, l->recs[m->pos].klen, key, klen)) {
        const rec_ref *r = &l->recs[m->pos++];
        int rc = m->fn(m->arg, r->key, r->klen, r->val, r->vlen);
        if (rc) return rc;
    }
    if (m->pos < l->n && key_cmp(l->recs[m->pos].key, l->recs[m->pos].klen, key, klen) == 0) {
        const rec_ref *r = &l->recs[m->pos++]; /* the dirty record replaces the stored one */
        return m->fn(m->arg, r->key, r->klen, r->val, r->vlen);
    }
    return m->fn(m->arg, key, klen, val, vlen);
}

static int c_scan(void *ctx, const uint8_t *prefix, size_t plen, bool reverse,
                  ledger_kv_visit_fn fn, void *arg)
{
    state_cache *c = ctx;
    if (c->dirty == NULL || (plen > 0 && !part_dirty(c, prefix[0])))
        return store_kv_scan(c->txn, STORE_T_STATE, prefix, plen, reverse, fn, arg);
    rec_list l = {.n = 0, .cap = SCAN_STACK_RECS};
    l.recs = l.stack;
    int rc = c->dkv.scan(c->dkv.ctx, prefix, plen, reverse, collect, &l);
    if (rc == CF_OK) {
        if (l.n == 0) {
            rc = store_kv_scan(c->txn, STORE_T_STATE, prefix, plen, reverse, fn, arg);
        } else {
            merge m = {&l, 0, reverse, fn, arg};
            rc = store_kv_scan(c->txn, STORE_T_STATE, prefix, plen, reverse, merge_visit, &m);
            while (rc == CF_OK && m.pos < l.n) {
                const rec_ref *r = &l.recs[m.pos++];
                rc = fn(arg, r->key, r->klen, r->val, r->vlen);
            }
        }
    }
    if (l.recs != l.stack) free(l.recs);
    return rc;
}

/* ---- the cache ---------------------------------------------------------------- */

void state_cache_init(state_cache *c, store_txn *txn, ledger_kv *kv)
{
    *c = (state_cache){.txn = txn};
    kv->ctx = c;
    kv->get = c_get;
    kv->put = c_put;
    kv->scan = c_scan;
    kv->floor = c_floor;
    kv->latest_only = false;
}

static int flush_visit(void *arg, const uint8_t *key, size_t klen, const uint8_t *val,
                       size_t vlen)
{
    return store_kv_writer_put(arg, key, klen, val, vlen);
}

int state_cache_flush(state_cache *c)
{
    if (c->dirty == NULL) return CF_OK;
    /* In key order, through one cursor: each B-tree page is reached once,
     * left to right, and a record landing on the page of the one before it
     * (a feed's contributions, 'C' ... author ‖ index) costs no descent. */
    store_kv_writer *w;
    int err = store_kv_writer_open(c->txn, STORE_T_STATE, &w);
    if (err) return err;
    err = memkv_drain(c->dirty, flush_visit, w);
    store_kv_writer_close(w);
    /* Drained, the map is good only for freeing, whatever the outcome; a
     * write that failed has failed the transaction, which is aborted. */
    state_cache_free(c);
    return err;
}

size_t state_cache_held(const state_cache *c)
{
    return c->bytes;
}

void state_cache_free(state_cache *c)
{
    memkv_free(c->dirty);
    c->dirty = NULL;
    memset(c->parts, 0, sizeof c->parts);
    c->puts = c->bytes = 0;
}
