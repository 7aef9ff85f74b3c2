/* store_testing.h — raw record access for tests that damage a store on
 * purpose (corruption detection) without including lmdb.h. Not for
 * production code: these bypass every invariant the store keeps.
 *
 * db names a database as docs/storage.md does: "feeds", "checkpoints",
 * "meta", "state", "evidence" or "feed/<64 lowercase hex>" (an existing
 * feed). Writes are plain puts (overwrite), in a store_write transaction.
 */
#ifndef COFUND_STORE_TESTING_H
#define COFUND_STORE_TESTING_H

#include <stddef.h>

#include "store.h"

int store_testing_raw_put(store_txn *txn, const char *db, const void *key,
                          size_t klen, const void *val, size_t vlen);
/* CF_ENOTFOUND when absent. */
int store_testing_raw_del(store_txn *txn, const char *db, const void *key,
                          size_t klen);

#endif
