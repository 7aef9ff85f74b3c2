/* own_feed.h — what this home knows of its own feed as held elsewhere
 * (docs/operations.md "The backup rule").
 *
 * A home restored from a backup holds fewer entries of its own feed than
 * its key signed. Appending then would sign a second history from the
 * backup's size: a fork. So the home keeps, in its store (the `meta` table,
 * docs/storage.md), two records that every process opening it reads:
 *
 *   behind    a checkpoint of this home's own feed, signed by its key and
 *             verified here, of a size larger than the home holds: who holds
 *             it and since when. While it is there and larger than what is
 *             held, append_entries refuses (CF_EBEHIND). The node writes it
 *             (a peer's checkpoint, sync.c); the entries then come through
 *             the replica path like any other feed's (ingest_feed verifies
 *             them against the signed root, replica_drain applies them by
 *             the rules), and own_feed_settle removes the mark once the home
 *             holds that many (or the feed is proven forked: appends stop
 *             for that reason instead).
 *   compared  the last time this home's own feed was compared with a copy
 *             held elsewhere (a peer's status, a bundle) and found not
 *             behind it: when, with whom, at what size. The CLI states it
 *             when it appends with no node running.
 *
 * All functions run inside the caller's transaction (a write one for the
 * writers); nothing here reads a clock: times are the caller's.
 */
#ifndef COFUND_OWN_FEED_H
#define COFUND_OWN_FEED_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "ledger/diag.h"
#include "ledger/entry.h"
#include "store/store.h"

/* Who holds the copy: a peer's member name, or "a bundle" (import, restore). */
#define OWN_FEED_WHO_BYTES (ENTRY_ID_BYTES_MAX + 1)

typedef struct {
    uint64_t size;    /* behind: the signed size held elsewhere; compared: the size compared */
    uint64_t time_ms; /* when it was learned (wall clock of the writer) */
    char who[OWN_FEED_WHO_BYTES];
} own_feed_mark;

/* The behind mark: CF_ENOTFOUND when there is none. A mark whose size the
 * home now holds still reads until own_feed_settle removes it; callers
 * compare it with what they hold. */
int own_feed_behind_get(store_txn *txn, own_feed_mark *out);
/* The last comparison: CF_ENOTFOUND when the home never made one. */
int own_feed_compared_get(store_txn *txn, own_feed_mark *out);

typedef struct {
    uint64_t size; /* the checkpoint's size */
    uint64_t held; /* entries of the own feed held here */
    bool behind;   /* size > held: the home is behind that copy */
    bool news;     /* the behind mark was written now (larger than any held) */
} own_feed_ahead;

/* A checkpoint of this home's own feed (self) that a peer holds: verified
 * (ckpt_verify: signature by self, origin in net; CF_EVERIFY with d saying
 * why). When it is larger than what is held and than any mark, the behind
 * mark {size, now_ms, who} is written. A feed proven forked records nothing
 * (appends stop for that already). */
int own_feed_note_ahead(store_txn *txn, const uint8_t net[32], const uint8_t self[32],
                        const char *ckpt, size_t ckpt_len, const char *who, uint64_t now_ms,
                        own_feed_ahead *res, diag *d);

/* Remove the behind mark when the home holds at least its size, or the own
 * feed is proven forked. *cleared tells whether one was removed; *held (optional)
 * receives the entries held. */
int own_feed_settle(store_txn *txn, const uint8_t self[32], bool *cleared, uint64_t *held);

/* Record a comparison: at now_ms, with who, the own feed at size. */
int own_feed_compared_put(store_txn *txn, uint64_t size, const char *who, uint64_t now_ms);

#endif
