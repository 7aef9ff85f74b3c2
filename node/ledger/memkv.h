/* memkv.h — an in-memory ordered map behind the ledger_kv interface, for
 * the offline audit (which holds no store) and for tests of the rules.
 *
 * A hash index for exact get and put (O(1)) beside a skip list for scan
 * and floor (O(log n)), which new keys join lazily: only when a scan or a
 * floor could reach them (memkv.c). Keys compare like LMDB's default
 * (memcmp, then shorter first), so scans and floors agree with the node's
 * LMDB-backed state exactly. Records live in an arena freed by memkv_free;
 * pointers returned by get, scan and floor stay valid until the next put
 * (ledger_kv's contract), whatever scans and floors run meanwhile.
 */
#ifndef COFUND_MEMKV_H
#define COFUND_MEMKV_H

#include <stddef.h>
#include <stdint.h>

#include "state.h"

typedef struct memkv memkv;

/* seed fixes the skip list's shape and keys the hash index (any value
 * works; results never depend on it). A map filled with keys from untrusted
 * input should get a random seed, so that nobody can choose keys that
 * collide in the index. NULL on allocation failure. */
memkv *memkv_new(uint64_t seed);
void memkv_free(memkv *m);
/* A ledger_kv over m; valid while m lives. put returns CF_ENOMEM when
 * memory runs out. */
void memkv_bind(memkv *m, ledger_kv *kv);
size_t memkv_count(const memkv *m);
/* Visit every record of m in key order, as a whole scan would, then leave
 * m good only for memkv_free: the records not yet ordered are sorted and
 * merged into the walk, never inserted into the skip list (a write-back
 * cache's flush, which then frees the map, has no use for it). A visit's
 * nonzero return stops the walk and is returned. */
int memkv_drain(memkv *m, ledger_kv_visit_fn fn, void *arg);

#endif
