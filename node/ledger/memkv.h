/* memkv.h — an in-memory ordered map behind the ledger_kv interface, for
 * the offline audit (which holds no store) and for tests of the rules.
 *
 * A skip list of owned byte strings: O(log n) get, put and floor; ordered
 * scans. Keys compare like LMDB's default (memcmp, then shorter first), so
 * scans and floors agree with the node's LMDB-backed state exactly.
 */
#ifndef COFUND_MEMKV_H
#define COFUND_MEMKV_H

#include <stddef.h>
#include <stdint.h>

#include "state.h"

typedef struct memkv memkv;

/* seed fixes the skip list's shape (any value works; results never depend
 * on it). NULL on allocation failure. */
memkv *memkv_new(uint64_t seed);
void memkv_free(memkv *m);
/* A ledger_kv over m; valid while m lives. put returns CF_ENOMEM when
 * memory runs out. */
void memkv_bind(memkv *m, ledger_kv *kv);
size_t memkv_count(const memkv *m);

#endif
