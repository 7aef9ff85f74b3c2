/* drain.h — apply every stored, not yet applied entry through the rules.
 *
 * Replicated entries are stored first (ingest.h) and judged here, in each
 * feed's order: an accepted entry is applied; a pending one stops its feed
 * until what it waits for arrives (a later pass, or a later drain); a
 * rejected one is kept as evidence (evidence_db.h) and holds its feed there
 * for good. Passes repeat while any feed makes progress, since one feed's
 * entries can unblock another's (a member entry, a cited contribution).
 */
#ifndef COFUND_DRAIN_H
#define COFUND_DRAIN_H

#include <stdint.h>

#include "ledger/diag.h"
#include "store/store.h"

typedef struct {
    uint64_t applied;    /* entries applied in this drain */
    uint64_t pending;    /* feeds left waiting */
    uint64_t violations; /* new violations recorded */
} drain_result;

/* visit (optional) is told of each new violation. */
typedef void (*drain_violation_fn)(void *arg, const uint8_t author[32], uint64_t index,
                                   const diag *verdict);

int node_drain(store_txn *txn, drain_result *res, drain_violation_fn visit, void *arg,
               diag *d);

/* After a fork is found: forget the whole ledger state and every violation,
 * then apply every stored entry again, leaving out feeds proven forked.
 * A feed whose author signed two histories counts for nothing, on every node
 * that knows the proof; so once the proofs have spread, every node's state
 * is the same whatever order it learned things in. Entries elsewhere that
 * depend on the forked feed (a match citing its contributions) wait. */
int node_rebuild(store_txn *txn, drain_result *res, diag *d);

#endif
