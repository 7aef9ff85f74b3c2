/* state_kv.c — ledger_kv over store_kv_* (see state_kv.h). */
#include "state_kv.h"

static int kv_get(void *ctx, const uint8_t *key, size_t klen, const uint8_t **val,
                  size_t *vlen)
{
    return store_kv_get(ctx, STORE_T_STATE, key, klen, val, vlen);
}

static int kv_put(void *ctx, const uint8_t *key, size_t klen, const uint8_t *val,
                  size_t vlen)
{
    return store_kv_put(ctx, STORE_T_STATE, key, klen, val, vlen);
}

static int kv_scan(void *ctx, const uint8_t *prefix, size_t plen, bool reverse,
                   ledger_kv_visit_fn fn, void *arg)
{
    return store_kv_scan(ctx, STORE_T_STATE, prefix, plen, reverse, fn, arg);
}

static int kv_floor(void *ctx, const uint8_t *key, size_t klen, size_t plen,
                    const uint8_t **fkey, size_t *fklen, const uint8_t **val, size_t *vlen)
{
    return store_kv_floor(ctx, STORE_T_STATE, key, klen, plen, fkey, fklen, val, vlen);
}

void state_kv_init(ledger_kv *kv, store_txn *txn)
{
    kv->ctx = txn;
    kv->get = kv_get;
    kv->put = kv_put;
    kv->scan = kv_scan;
    kv->floor = kv_floor;
    kv->latest_only = false;
}
