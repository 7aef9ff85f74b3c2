/* ingest.h — the replica path: every entry this home did not write enters
 * through ingest_feed(), whatever carried it (a bundle file, a peer).
 *
 * For one feed batch, inside the caller's write transaction:
 *   1. the checkpoint must be signed by the feed's author under the origin
 *      cofund/<net>/<author> (ckpt.h);
 *   2. the entries must hash, together with what is held, to the signed root;
 *   3. the signed tree must be consistent with what is held: if it is not,
 *      that is a fork — a fork proof (evidence.h) is stored, the feed is
 *      frozen and CF_OK is returned with res->fork set;
 *   4. new entries and the checkpoint are stored (Merkle nodes included).
 * Rules run afterwards, over everything stored, in node_drain() (drain.h).
 *
 * A checkpoint or batch that does not verify returns CF_EVERIFY: the caller
 * aborts its transaction, so nothing from it is kept.
 */
#ifndef COFUND_INGEST_H
#define COFUND_INGEST_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "diag.h"
#include "store.h"

/* A fork found by comparing entries is proven with the diverging part of
 * the other tree held in memory (about 80 bytes per entry); past this many
 * diverging entries the batch is refused instead. */
#define INGEST_FORK_ENTRIES_MAX (1u << 20)

typedef struct {
    /* Next entry of the batch; bytes stay valid until the next call. */
    int (*next)(void *arg, const uint8_t **bytes, size_t *len, diag *d);
    void *arg;
} ingest_source;

typedef struct {
    uint64_t appended;   /* new entries stored */
    bool new_checkpoint; /* a checkpoint not held before was stored */
    bool fork;           /* a fork was found now: proof stored, feed frozen */
    bool skipped;        /* the feed was already frozen by an earlier fork */
} ingest_result;

/* The source yields exactly size - from entries (size from the checkpoint),
 * those at indices from..size-1. from must not exceed what is held. */
int ingest_feed(store_txn *txn, const uint8_t net[32], const uint8_t author[32],
                const char *ckpt, size_t ckpt_len, uint64_t from, ingest_source *src,
                ingest_result *res, diag *d);

/* Store a fork proof received from elsewhere (a bundle, a peer) after
 * checking it offline; freezes the feed. author receives the forked feed;
 * *is_new tells whether the proof was news here. */
int ingest_fork_proof(store_txn *txn, const uint8_t net[32], const uint8_t *proof,
                      size_t len, uint8_t author[32], bool *is_new, diag *d);

#endif
