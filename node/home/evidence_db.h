/* evidence_db.h — fork proofs and rule violations kept in the store's
 * EVIDENCE table (docs/storage.md):
 *   'F' || author            -> fork proof (fork_proof.h encoding)
 *   'V' || author || index   -> CBOR {"rule": tstr, "text": tstr}
 * A feed has at most one fork proof — the best one seen: located before
 * unlocated, then the smallest point (fork_point_better) — and at most one
 * violation (it is held at the first). */
#ifndef COFUND_EVIDENCE_DB_H
#define COFUND_EVIDENCE_DB_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "bundle/fork_proof.h"
#include "ledger/diag.h"
#include "ledger/state.h"
#include "store/store.h"

/* Keeps proof unless the one held for author is as good (fork_proof.h,
 * fork_point_better); *is_new (optional) tells whether it was stored now. */
int evidence_fork_put(store_txn *txn, const uint8_t author[32], const uint8_t *proof,
                      size_t len, bool *is_new);
int evidence_fork_get(store_txn *txn, const uint8_t author[32], const uint8_t **proof,
                      size_t *len);
typedef int (*evidence_fork_fn)(void *arg, const uint8_t author[32], const uint8_t *proof,
                                size_t len);
int evidence_forks_each(store_txn *txn, evidence_fork_fn fn, void *arg);
/* The point of every fork proof held, into the ledger state kv (R-FORK,
 * state_fork_put), as a rebuild starts: an unlocated proof counts as point
 * 0 — none of the feed counts until a proof says where its histories part. */
int evidence_fork_points_put(store_txn *txn, const ledger_kv *kv);

int evidence_violation_put(store_txn *txn, const uint8_t author[32], uint64_t index,
                           const diag *verdict);
typedef struct {
    uint8_t author[32];
    uint64_t index;
    char rule[DIAG_RULE_BYTES];
    char text[DIAG_TEXT_BYTES];
} evidence_violation;
typedef int (*evidence_violation_fn)(void *arg, const evidence_violation *v);
int evidence_violations_each(store_txn *txn, evidence_violation_fn fn, void *arg);

#endif
