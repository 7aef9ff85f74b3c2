/* state_cache.h — a write-back cache of the ledger state for one write
 * transaction: the rules' writes of a batch are held in memory and reach the
 * store's STATE table once per record, at state_cache_flush, not once per
 * entry.
 *
 * A batch of 1,000 contributions rewrites the same feed tip, program totals
 * and series heads a thousand times; through state_kv (state_kv.h) each of
 * those puts is a B-tree update with a checksum. Through this cache each is
 * a hash-table update, and the flush writes each touched record once, in key
 * order.
 *
 * What the rules see does not change: get, floor and scan answer from the
 * dirty records merged with the store's, in the store's order (memkv
 * compares keys as LMDB does), the dirty one winning where both hold a key.
 * The ledger_kv contract holds: pointers returned stay valid until the next
 * put (the dirty map never moves a record; the store is not written until
 * the flush).
 *
 * Durability does not change either: the records reach the store inside the
 * same transaction, before its checkpoint and commit. A caller must flush
 * before anything reads the STATE table other than through this cache's
 * ledger_kv (replica_rebuild, store_kv_* directly) and before committing;
 * closing without a flush drops the writes (what an aborted transaction
 * does anyway).
 */
#ifndef COFUND_STATE_CACHE_H
#define COFUND_STATE_CACHE_H

#include <stddef.h>

#include "ledger/memkv.h"
#include "ledger/state.h"
#include "store/store.h"

typedef struct {
    store_txn *txn;
    memkv *dirty; /* NULL until the first put */
    ledger_kv dkv; /* dirty's own ledger_kv */
    uint64_t parts[4]; /* the first bytes of the dirty keys: a set of 256 bits */
    size_t puts;   /* puts since the last flush */
    size_t bytes;  /* key and value bytes put since the last flush (bound on the map's size) */
} state_cache;

/* Bind kv to the STATE table of txn through cache c. No allocation until
 * the first put. */
void state_cache_init(state_cache *c, store_txn *txn, ledger_kv *kv);
/* Write every dirty record to the store (in key order) and empty the cache.
 * CF_ENOMEM, or the store's error (CF_ESTORE_FULL: the transaction must be
 * run again, as after any store write). */
int state_cache_flush(state_cache *c);
/* Bytes held since the last flush (keys and values put, counted per put): a
 * caller applying many entries in one transaction flushes past a bound to
 * keep its memory bounded. */
size_t state_cache_held(const state_cache *c);
/* Free the cache; unflushed writes are dropped. */
void state_cache_free(state_cache *c);

#endif
