/* bundle_io.h — export this home's feeds to a bundle file, and import a
 * bundle through the replica path (replica.h).
 *
 * An import runs in one store write transaction: a bundle that is truncated,
 * tampered or signed by the wrong key is refused as a whole and nothing from
 * it is kept. Forks and rule violations it reveals are evidence, not
 * failures of the bundle: they are stored (and reported), the rest applied.
 * Each K record goes through ingest_checkpoint() after its feed's entries: a
 * checkpoint that disagrees with the feed's tree is a fork like any other.
 * Re-importing a bundle changes nothing.
 *
 * Cosignatures (ingest.h "Cosignatures"): after the rules ran, the lines of
 * every F and K record's checkpoint are merged into the checkpoints held —
 * in a second read of the file, done only when some checkpoint carried
 * lines besides its author's, so that members the bundle itself registers
 * count (a join). A line named after a member that does not verify is
 * refused and reported (cosigs_forged): the rest of the import is kept.
 * Then, given this home's key, the home witnesses the latest checkpoint of
 * every feed it holds (ingest_witness_all).
 */
#ifndef COFUND_BUNDLE_IO_H
#define COFUND_BUNDLE_IO_H

#include <stdint.h>

#include "home.h"
#include "ledger/diag.h"
#include "own_feed.h"
#include "replica.h"

/* What an import did: the replica path's result (replica.h), with joined. */
typedef replica_result import_result;

/* expect_net (optional) pins the network a new home may join. */
int bundle_io_import(home *h, const char *path, const uint8_t *expect_net,
                     import_result *res, diag *d);
/* The same; me (optional) is this home's key, with which it witnesses what
 * it holds. bundle_io_import is bundle_io_import_witness without a key. */
int bundle_io_import_witness(home *h, const char *path, const uint8_t *expect_net,
                             const ingest_cosigner *me, import_result *res, diag *d);

/* What a restore did (docs/operations.md "The backup rule"). */
typedef struct {
    import_result imp;
    uint64_t own_before, own_after; /* this home's own feed: entries held before, after */
    uint64_t own_bundle;            /* the largest checkpoint of it in the bundle */
    bool behind_was;                /* a behind mark was held (behind) ... */
    own_feed_mark behind;
    bool behind_cleared;            /* ... and is gone now */
} restore_result;

/* An import that takes back this home's own feed from a bundle (a peer's
 * export) after a restore from a backup: as bundle_io_import_witness, and
 * in the same transaction, refused with nothing kept when the bundle holds
 * nothing of the own feed (CF_ENOTFOUND), or a history of it that is not
 * consistent with this home's — a fork, or a fork proof of it — or the own
 * feed is already proven forked (CF_EFORK). Every import (this one too)
 * removes the behind mark once the home holds what it named, and records a
 * comparison when the bundle held the own feed and the home holds at least
 * as much of it, consistently (own_feed.h). */
int bundle_io_restore(home *h, const char *path, const ingest_cosigner *me, restore_result *res,
                      diag *d);

typedef struct {
    uint64_t feeds, entries, forks;
    uint64_t checkpoints; /* earlier checkpoints written (K records) */
    uint64_t cut;         /* feeds cut short by as_of */
} export_result;

/* A partial bundle (docs/cli.md "export"). */
typedef struct {
    const uint8_t (*feeds)[32]; /* only these feeds (and always the
                                   governance feed); NULL: every feed */
    size_t nfeeds;
    bool has_as_of;
    uint64_t as_of_ms;          /* cut each feed at its largest held
                                   checkpoint whose last entry's time is at
                                   most this; a feed with none is left out */
} export_opts;

/* Writes the governance feed first, then every other feed held, each from
 * index 0 with its latest checkpoint, its entries and every earlier
 * checkpoint held (so that whoever imports it can serve the feed in signed
 * spans), then every fork proof held. */
int bundle_io_export(home *h, const char *path, export_result *res, diag *d);
/* The same, restricted by o (NULL: everything): with o->feeds, fork proofs
 * of the exported feeds only. */
int bundle_io_export_partial(home *h, const char *path, const export_opts *o,
                             export_result *res, diag *d);

#endif
