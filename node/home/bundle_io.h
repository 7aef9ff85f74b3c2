/* bundle_io.h — export this home's feeds to a bundle file, and import a
 * bundle through the replica path (ingest.h, then drain.h).
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
#include "ingest.h"
#include "ledger/diag.h"

#define IMPORT_REPORT_MAX 16

typedef struct {
    uint64_t feeds;          /* feed records read */
    uint64_t entries;        /* entry records read */
    uint64_t entries_new;    /* entries stored now */
    uint64_t checkpoints;    /* checkpoint (K) records read */
    uint64_t checkpoints_new; /* checkpoints stored now (of F and K records) */
    uint64_t applied;        /* entries applied by the rules now */
    uint64_t pending_feeds;  /* feeds waiting for entries not held */
    uint64_t forks_new;
    uint64_t violations_new;
    bool joined;             /* this import made the home join the network */
    /* Entries left waiting after the import ("could not check"), by why the
     * first waiting entry of each feed waits; pending_entries counts every
     * entry not applied in those feeds. */
    uint64_t pending_entries;
    uint64_t wait_cite_no_feed;   /* a match citing a feed not held here */
    uint64_t wait_cite_beyond;    /* ... an entry past what is held of a feed */
    uint64_t wait_gov;            /* governance entries not held here */
    uint64_t wait_other;
    /* The first few new forks and violations, for messages. */
    size_t nforks;
    uint8_t forks[IMPORT_REPORT_MAX][32];
    size_t nviolations;
    struct {
        uint8_t author[32];
        uint64_t index;
        diag verdict;
    } violations[IMPORT_REPORT_MAX];
    /* Cosignatures: lines new here, lines by keys that are not other
     * members (dropped), forged lines (refused), checkpoints this home
     * witnessed now; the first few forged lines, for messages. */
    uint64_t cosigs_merged, cosigs_ignored, cosigs_forged, witnessed;
    size_t nforged;
    struct {
        uint8_t author[32]; /* the feed */
        uint64_t size;      /* its checkpoint */
        uint8_t key[32];    /* the member the line is named after */
    } forged[IMPORT_REPORT_MAX];
} import_result;

/* expect_net (optional) pins the network a new home may join. */
int node_import(home *h, const char *path, const uint8_t *expect_net,
                import_result *res, diag *d);
/* The same; me (optional) is this home's key, with which it witnesses what
 * it holds. node_import is node_import_witness without a key. */
int node_import_witness(home *h, const char *path, const uint8_t *expect_net,
                        const ingest_cosigner *me, import_result *res, diag *d);

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
int node_export(home *h, const char *path, export_result *res, diag *d);
/* The same, restricted by o (NULL: everything): with o->feeds, fork proofs
 * of the exported feeds only. */
int node_export_partial(home *h, const char *path, const export_opts *o, export_result *res,
                        diag *d);

#endif
