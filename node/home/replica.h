/* replica.h — the replica path: the one way a home takes entries it did not
 * write, whatever carried them (a peer's batch: one feed; a bundle: its
 * feeds, checkpoints and fork proofs).
 *
 * replica_apply, inside the caller's write transaction:
 *   1. ingest (ingest.h): each item the source yields is verified and
 *      stored — a feed's entries under its signed checkpoint (ingest_feed),
 *      a checkpoint alone (ingest_checkpoint), a fork proof
 *      (ingest_fork_proof). Forks found are evidence, not failures;
 *   2. the rules: replica_drain over every stored, unapplied entry — or
 *      replica_rebuild when step 1 found a new fork;
 *   3. cosignatures, after the rules so that members they just registered
 *      count: the items' checkpoint lines merged (ingest_cosigs), read in a
 *      second pass over the source; then this home witnesses (its key given).
 * A checkpoint or batch that does not verify fails the whole call: the
 * caller aborts its transaction, so nothing from the source is kept.
 */
#ifndef COFUND_REPLICA_H
#define COFUND_REPLICA_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "ingest.h"
#include "ledger/diag.h"
#include "ledger/drain.h"
#include "store/store.h"

/* ---- the rules over what is stored ---------------------------------------
 * Replicated entries are stored first (ingest.h) and judged here, in the
 * order of ledger/drain.h: an accepted entry is applied; a pending one stops
 * its feed until what it waits for arrives (a later pass, or a later drain);
 * a rejected one is kept as evidence (evidence_db.h) and holds its feed
 * there for good. */

/* visit (optional) is told of each new violation. */
typedef void (*replica_violation_fn)(void *arg, const uint8_t author[32], uint64_t index,
                                     const diag *verdict);

int replica_drain(store_txn *txn, drain_result *res, replica_violation_fn visit, void *arg,
                  diag *d);

/* After a fork is found (or a better proof of one): forget the whole ledger
 * state and every violation, write the point of every fork proof held
 * (R-FORK; an unlocated proof counts as point 0), then apply every stored
 * entry again — a forked feed up to its point. Once the proofs have spread,
 * every node's state is the same whatever order it learned things in.
 * Entries elsewhere that cite the forked feed at or past its point are
 * applied as disputed (docs/rules.md), never left waiting. */
int replica_rebuild(store_txn *txn, drain_result *res, diag *d);

/* R-SUCCEED: before a drain from empty (a rebuild, verify's replay), every
 * succession held whose signatures the genesis's recovery keys make valid
 * is noted as a fact (ledger/rules.h, ledger_succession_note), so the old
 * governance key's feed stops at its close before the drain reaches the new
 * key's. */
int replica_successions_put(store_txn *txn, const ledger_kv *kv);

/* ---- replica_apply --------------------------------------------------------- */

#define REPLICA_REPORT_MAX 16

typedef enum {
    REPLICA_FEED,       /* a feed's entries under its signed checkpoint */
    REPLICA_CHECKPOINT, /* a signed checkpoint alone */
    REPLICA_FORK,       /* a fork proof */
} replica_kind;

/* One item of a source; what it points at stays valid until the source's
 * next call (a FEED item's fields also while its entries are read). */
typedef struct {
    replica_kind kind;
    /* FEED, CHECKPOINT: the feed and its signed checkpoint (any lines) */
    const uint8_t *author;
    const char *ckpt;
    size_t ckpt_len;
    /* FEED: the entries from..size-1 (ingest_feed) */
    uint64_t from;
    const ingest_prefix *prefix; /* optional */
    ingest_source entries;
    /* FORK */
    const uint8_t *proof;
    size_t proof_len;
} replica_item;

typedef struct {
    /* The next item: CF_OK, 1 at the end, or an error. In the cosignature
     * pass a FEED item's entries need not be read. */
    int (*next)(void *arg, replica_item *it, diag *d);
    /* Start again from the first item (for the cosignature pass). */
    int (*rewind)(void *arg, diag *d);
    /* Optional: the second pass found a checkpoint that no longer verifies
     * (the source changed between the passes): the error to return. */
    int (*changed)(void *arg, diag *d);
    void *arg;
} replica_source;

typedef struct {
    const ingest_cosigner *me; /* optional: this home's key, to witness with */
    /* false: merge and witness each item's checkpoint (ingest_cosigs with
     * me, also when it carries no line besides its author's); true: merge
     * the lines of the checkpoints that carry any, then witness the latest
     * checkpoint of every feed held (ingest_witness_all). */
    bool witness_all;
    /* Count why feeds left waiting wait (pending_entries, wait_*). */
    bool explain_waits;
} replica_opts;

typedef struct {
    uint64_t feeds;          /* feed items read */
    uint64_t entries;        /* entries read */
    uint64_t entries_new;    /* entries stored now */
    uint64_t checkpoints;    /* checkpoint items read */
    uint64_t checkpoints_new; /* checkpoints stored now (of feed and checkpoint items) */
    uint64_t applied;        /* entries applied by the rules now */
    uint64_t pending_feeds;  /* feeds waiting for entries not held */
    uint64_t forks_new;
    uint64_t successions_new; /* successor governance feeds taken (R-SUCCEED) */
    uint64_t violations_new;
    bool rebuilt;            /* a new fork made the rules start over
                                (replica_rebuild): no violation is listed */
    bool joined;             /* an import: it made the home join the network */
    uint64_t nonmembers;     /* feeds skipped: their authors are not members */
    /* Entries left waiting ("could not check"; with explain_waits), by why
     * the first waiting entry of each feed waits (drain_classify_wait);
     * pending_entries counts every entry not applied in those feeds. */
    uint64_t pending_entries;
    uint64_t wait_cite_no_feed;   /* a match citing a feed not held here */
    uint64_t wait_cite_beyond;    /* ... an entry past what is held of a feed */
    uint64_t wait_gov;            /* governance entries not held here */
    uint64_t wait_other;
    /* The first few new forks and violations, for messages. */
    size_t nforks;
    uint8_t forks[REPLICA_REPORT_MAX][32];
    size_t nviolations;
    struct {
        uint8_t author[32];
        uint64_t index;
        diag verdict;
    } violations[REPLICA_REPORT_MAX];
    /* Cosignatures: lines new here, lines by keys that are not other
     * members (dropped), forged lines (refused), checkpoints this home
     * witnessed now; the first few forged lines, for messages. */
    uint64_t cosigs_merged, cosigs_ignored, cosigs_forged, witnessed;
    size_t nforged;
    struct {
        uint8_t author[32]; /* the feed */
        uint64_t size;      /* its checkpoint */
        uint8_t key[32];    /* the member the line is named after */
    } forged[REPLICA_REPORT_MAX];
} replica_result;

/* Take what src yields into the home (see above), for the network net.
 * *res is cleared first. */
int replica_apply(store_txn *txn, const uint8_t net[32], const replica_source *src,
                  const replica_opts *o, replica_result *res, diag *d);

#endif
