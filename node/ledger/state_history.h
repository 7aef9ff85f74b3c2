/* state_history.h — histories kept as a head and full blocks
 * (state_history.c; docs/storage.md "Histories"); not an API.
 *
 * A history is a sequence of points, one per change, in increasing order of
 * an ordinal (an index of the writing feed, or a time: both never decrease
 * along one feed), each with a small fixed payload (a position and a time;
 * a value). What has to be fast: the latest point (the rules read it for
 * every entry), and the point as of an earlier ordinal (R-MATCH.6's read
 * point; queries "as of" a time). Until layout 9 each point was a record
 * keyed by (history, ordinal): one floor lookup found any point, but a
 * history's newest point sat on a B-tree leaf of its own, so a batch of
 * 1,000 contributions over 300 projects dirtied ~300 leaves per history kind
 * (2.8 of the 3.8 MB such a batch wrote). Now the points are kept in
 * windows:
 *
 *   head (the caller's record, e.g. 'h' || holder || project): the points
 *        since the history's last full block, oldest first (1 to 16), and
 *        the last point of that block;
 *   block: block_tag || id || ~ordinal of its last point -> the same window
 *        when it held 16 points: written once, when the head fills up.
 *
 * A batch rewrites each touched history's head once (heads are small and
 * dense: 300 of them share a few dozen leaves) and writes a block for every
 * 16th point. The point as of t, when the latest is later: the head's
 * points if its first is <= t; otherwise the first block whose last point
 * is after t (one floor lookup: the ordinal is complemented in the key),
 * whose points or, when all of them are after t, whose previous block's
 * last point hold it. Every answer is checked to be <= t: a block that went
 * missing reads as a corrupted store, never as a figure. */
#ifndef COFUND_STATE_HISTORY_H
#define COFUND_STATE_HISTORY_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "state.h"

#define HISTORY_BLOCK 16u
#define HISTORY_PAYLOAD_MAX 16u

typedef struct {
    uint8_t block_tag;      /* blocks' first key byte */
    const uint8_t *id;     /* the history: blocks' key after the tag */
    size_t id_len, plen;   /* plen: each point's payload bytes */
} state_history;

typedef struct {
    uint64_t ordinal;
    uint8_t payload[HISTORY_PAYLOAD_MAX];
} history_point;

typedef struct {
    bool has_prev;      /* a full block came before */
    history_point prev; /* its last point */
    unsigned count;     /* 0 (no point yet) to HISTORY_BLOCK */
    history_point points[HISTORY_BLOCK];
} history_window;

/* A head or block record's points (CF_ESTORE_CORRUPT when malformed: an
 * unknown flag, a count out of range, a wrong length, ordinals not
 * increasing). Its bytes: flags (u8: 1 = the previous block's last point
 * follows), count (u8, 1..16), [that point], then count points, each its
 * ordinal (u64 BE) and its payload. */
int history_decode(const state_history *h, const uint8_t *v, size_t vlen, history_window *w);
/* The bytes a window takes at most, for a payload of plen bytes. */
#define HISTORY_RECORD_MAX(plen) (2 + (HISTORY_BLOCK + 1) * (8 + (plen)))

/* The latest point of a head record, checking its shape only (flags,
 * count, length; CF_ESTORE_CORRUPT otherwise): what the rules read for
 * every entry. */
int history_latest(const state_history *h, const uint8_t *v, size_t vlen, history_point *out);

/* The head record after adding the point at `ordinal` to the head record
 * old (old_len 0: the history's first point), into out (room for
 * HISTORY_RECORD_MAX bytes): a point at the latest point's own ordinal
 * replaces it; a head that holds 16 points is also written as a block
 * (blocks false: the head keeps the latest point alone and no block is
 * written — ledger_kv.latest_only). The caller writes the head. CF_EINVAL
 * if ordinal is below the latest point's. */
int history_push(const ledger_kv *kv, const state_history *h, const uint8_t *old,
                 size_t old_len, uint64_t ordinal, const uint8_t *payload, bool blocks,
                 uint8_t *out, size_t *out_len);

/* The point with the greatest ordinal <= limit (by_field: the greatest
 * whose payload's big-endian u64 at field_off is <= limit, for a field that
 * never decreases along the history), for a history whose head record is
 * head: *found false when every point is past limit. */
int history_floor(const ledger_kv *kv, const state_history *h, const uint8_t *head,
                  size_t head_len, bool by_field, size_t field_off, uint64_t limit,
                  bool *found, history_point *out);

#endif
