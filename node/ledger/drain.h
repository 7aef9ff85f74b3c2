/* drain.h — the order in which a replica puts held entries through the
 * rules, and why an entry that waits is waiting. One scheduler for every
 * replica: the home drains its store with it (home/replica.h), the offline
 * audit replays a bundle with it (audit/audit_replay.c), so that the node
 * and the audit reach the same verdicts by construction.
 *
 * The order: feeds by author key (bytewise, LMDB's key order); each feed is
 * applied, in index order, until an entry waits (CF_EPENDING: the feed stops
 * until what it waits for arrives) or breaks a rule (CF_EREJECTED: the feed
 * is held there for good, the entry a violation); passes repeat while some
 * feed waits and the last pass applied anything, since one feed's entries
 * can unblock another's (a member entry, a cited contribution). Feeds the
 * source says the rules may not advance (held) are left out; a feed proven
 * forked is advanced up to its point (R-FORK: the source's end).
 *
 * Pure: entries and where each feed stands come from the caller's
 * callbacks, the state from a ledger_kv; nothing here knows of LMDB or of
 * bundle files.
 */
#ifndef COFUND_LEDGER_DRAIN_H
#define COFUND_LEDGER_DRAIN_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "diag.h"
#include "entry.h"
#include "rules.h"
#include "state.h"

/* entry() may return this: the feed stops here for good, for a reason the
 * source has dealt with itself (the audit: the file changed under it). */
#define DRAIN_STOP 1

typedef struct {
    uint64_t applied;    /* entries applied */
    uint64_t pending;    /* feeds left waiting */
    uint64_t violations; /* entries rejected (each holds its feed) */
} drain_result;

/* The feeds to drain, numbered 0..nfeeds-1 in any order. Every callback
 * returns CF_OK or an error that stops the drain (returned as is). */
typedef struct {
    const ledger_kv *kv;  /* the state the rules read and write */
    ledger_cache *cache;  /* optional (rules.h): one for the whole drain */
    size_t nfeeds;
    void *arg;
    /* Feed i's author key (32 bytes, unchanged during the drain). */
    const uint8_t *(*author)(void *arg, size_t i);
    /* A pass reaches feed i: *skip when the rules may not advance it
     * (forked, held, stopped); else *next is the index of its first entry
     * not applied and *end one past its last entry held. */
    int (*begin)(void *arg, size_t i, bool *skip, uint64_t *next, uint64_t *end);
    /* Entry `index` of feed i, decoded, with its leaf hash (both valid until
     * the next call). CF_EREJECTED when its bytes do not decode (d says
     * why, d->code CF_EREJECTED); DRAIN_STOP (see above). */
    int (*entry)(void *arg, size_t i, uint64_t index, const entry **e, const uint8_t **leaf,
                 diag *d);
    /* The verdict on that entry: CF_OK (applied), CF_EPENDING (the feed
     * waits; why says for what) or CF_EREJECTED (a violation: the feed is
     * held there; why names the rule). */
    int (*judged)(void *arg, size_t i, uint64_t index, int verdict, const diag *why);
    /* The pass leaves feed i (not called when begin said skip); next is its
     * first entry not applied. */
    int (*end)(void *arg, size_t i, uint64_t next);
} drain_source;

/* Drain src's feeds (see above) into src->kv. *res counts this drain. An
 * error from the rules other than a verdict (the state, memory) stops it
 * with d set to what the rules said. */
int drain_run(const drain_source *src, drain_result *res, diag *d);

/* ---- why an entry waits -----------------------------------------------------
 * After a drain, each feed left waiting waits at its first entry not
 * applied. drain_classify_wait says why, from the state and from what the
 * replica holds of the feeds that entry cites; each caller words it its own
 * way (the import's counts, the audit's findings). */

typedef enum {
    DRAIN_WAIT_OTHER,         /* none of the below (the rules' own reason) */
    DRAIN_WAIT_NO_GENESIS,    /* the network's genesis entry is not held */
    DRAIN_WAIT_GOV,           /* it needs governance entries beyond those applied */
    DRAIN_WAIT_CITE_NO_FEED,  /* it cites a feed not held at all */
    DRAIN_WAIT_CITE_BEYOND,   /* ... an entry past what is held of that feed */
    DRAIN_WAIT_CITE_FORKED,   /* ... an entry of a feed proven forked */
    DRAIN_WAIT_CITE_HELD,     /* ... an entry of a feed held behind a violation */
    DRAIN_WAIT_CITE_WAITING,  /* ... an entry that could not be applied either */
} drain_wait_reason;

/* What the replica holds of a feed. */
typedef enum {
    DRAIN_FEED_ABSENT, /* not held */
    DRAIN_FEED_OPEN,   /* held; the rules may advance it */
    DRAIN_FEED_FORKED, /* proven forked */
    DRAIN_FEED_HELD,   /* held behind a violation */
} drain_feed_state;

/* The state of feed author and the index one past its last entry held
 * (*size; any value when absent). CF_OK or an error (then: DRAIN_WAIT_OTHER). */
typedef int (*drain_feed_fn)(void *arg, const uint8_t author[32], drain_feed_state *state,
                             uint64_t *size);

typedef struct {
    drain_wait_reason reason;
    uint64_t gov_need, gov_have; /* DRAIN_WAIT_GOV: e->gov, governance entries applied */
    const entry_cite *cite;      /* DRAIN_WAIT_CITE_*: the first cite not applied (into e) */
    uint64_t cited_last;         /* ... the last entry of its feed it needs: the cited one,
                                  * or the one before its read point (R-MATCH.6) */
    uint64_t cited_size;         /* DRAIN_WAIT_CITE_BEYOND: what is held of that feed */
} drain_wait;

/* Why e (a waiting entry) waits: no genesis; else governance entries it
 * needs; else, for a match, its first cite whose entry (or read point,
 * R-MATCH.6) is not applied yet,
 * by what is held of the cited feed; else DRAIN_WAIT_OTHER. */
void drain_classify_wait(const ledger_kv *kv, const entry *e, drain_feed_fn feed, void *arg,
                         drain_wait *out);

#endif
