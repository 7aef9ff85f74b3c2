/* state_chain.h — histories kept as chains of points with sparse marks
 * (state_chain.c; docs/storage.md "Histories"); not an API.
 *
 * A history is a sequence of points, one per change, in increasing order of
 * an ordinal (an index of the writing feed, or a time: both never decrease
 * along one feed). A floor lookup ("the point as of ordinal t") used to key
 * every point by (history, ordinal), so each history's newest points sat on
 * their own B-tree leaf: a batch touching 300 projects dirtied 300 leaves
 * per history kind, ~2.8 of the 3.8 MB a batch of 1,000 wrote. Now:
 *
 *   point: point_tag || pre || ordinal (u64) || post -> payload || n || prev
 *   mark:  mark_tag || id || ~ordinal (u64)         -> empty
 *
 * The point's key puts what a batch writes together (the feed, or the time)
 * before what tells histories apart; each point links to the previous point
 * of its history (prev, its ordinal; n = how many points came before it).
 * Every CHAIN_MARK_EVERY-th point (n a multiple) also gets a mark, keyed by
 * history and complemented ordinal, so that a floor lookup in the marks finds
 * the first mark AFTER an ordinal: from there (or from the latest point) at
 * most CHAIN_MARK_EVERY links lead back to the answer. The history's latest
 * point (its ordinal, n and prev) is kept by the caller in its own record. */
#ifndef COFUND_STATE_CHAIN_H
#define COFUND_STATE_CHAIN_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "state.h"

#define CHAIN_MARK_EVERY 16u
#define CHAIN_PAYLOAD_MAX 16u

typedef struct {
    uint8_t point_tag, mark_tag;
    const uint8_t *pre, *post, *id;
    size_t pre_len, post_len, id_len;
} state_chain;

/* A point's place in its history. */
typedef struct {
    uint64_t ordinal; /* its index or time */
    uint64_t n;       /* the points before it */
    uint64_t prev;    /* the previous point's ordinal, when n > 0 */
} chain_link;

/* The link of a point at `ordinal` after `latest` (NULL: the first): a
 * point at latest's own ordinal replaces it, keeping its n and prev.
 * CF_EINVAL if ordinal < latest's. */
int chain_next(const chain_link *latest, uint64_t ordinal, chain_link *out);

/* Write the point at `ordinal` after `latest` (NULL: the history's first);
 * a point at latest's own ordinal replaces it (keeping its n and prev).
 * *out gets the new latest link. CF_EINVAL if ordinal < latest's. */
int chain_put(const ledger_kv *kv, const state_chain *ch, const chain_link *latest,
              uint64_t ordinal, const uint8_t *payload, size_t plen, chain_link *out);

/* The point with the greatest ordinal <= target, for a history whose latest
 * point is past target: *found false when every point is. payload receives
 * plen bytes. */
int chain_floor(const ledger_kv *kv, const state_chain *ch, const chain_link *latest,
                uint64_t target, bool *found, uint64_t *ordinal, uint8_t *payload,
                size_t plen);

/* As chain_floor, by a field of the payload instead of the ordinal: the
 * point with the greatest ordinal whose payload's u64 at field_off (big
 * endian) is <= limit, for a field that never decreases along the history
 * (a holding's time along its feed) and a latest point whose field is past
 * limit. A bisection over the marks, then at most CHAIN_MARK_EVERY links. */
int chain_floor_by(const ledger_kv *kv, const state_chain *ch, const chain_link *latest,
                   size_t field_off, uint64_t limit, bool *found, uint64_t *ordinal,
                   uint8_t *payload, size_t plen);

#endif
