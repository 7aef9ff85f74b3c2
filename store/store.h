/* store.h — LMDB persistence for one cofund home.
 *
 * One LMDB environment per home holds:
 *   - one database per feed ("feed/<author hex>"): key = index (u64 BE) ||
 *     tag (u8). Tag 0 holds the entry's exact bytes; tag 1 + h holds the hash
 *     of the perfect Merkle subtree of height h whose last leaf is that index
 *     (tag 1 is the leaf hash). Appending leaf i writes (i,0), (i,1), ...,
 *     (i, 1 + t) with t the trailing one-bits of i — strictly increasing keys,
 *     all written with MDB_APPEND, so LMDB itself refuses an out-of-order
 *     write. The root at any past size and any proof read O(log n) nodes.
 *   - "feeds": author (32) -> feed record: size u64 BE, applied u64 BE,
 *     flags u32 BE (a held feed is held at entry `applied`);
 *   - "checkpoints": author (32) || size (u64 BE) -> signed checkpoint text,
 *     every checkpoint the author signed that this home has verified;
 *   - generic tables (enum store_table) whose records the node layer defines;
 *     the key "schema" in STORE_T_META is the store's own (schema version,
 *     u32 BE), written when the home is created and checked at every open.
 *     Every other record carries a checksum of its table, key and value,
 *     added on write and verified on every read (store_kv.c): a record
 *     changed on disk reads as CF_ESTORE_CORRUPT, never as a value.
 * See docs/storage.md for the byte-level layout and crash behaviour.
 *
 * Transactions: all writes go through store_write(), which runs a callback in
 * one LMDB write transaction and commits only if it returns CF_OK. When LMDB
 * reports MDB_MAP_FULL, the transaction is aborted, the map doubled and the
 * callback run again from scratch. Disk full (ENOSPC/EFBIG) aborts and returns
 * CF_ENOSPC: nothing is half-written. LMDB commits are durable (fsync).
 *
 * Several processes (the CLI and the daemon) may open one home at once; LMDB's
 * writer lock serialises their writes. A copy of a home may be opened
 * read-only (STORE_RDONLY), also in a read-only directory (then without
 * LMDB's lock file: nobody may write to that copy meanwhile).
 *
 * A store handle belongs to one thread at a time. Its transactions should not
 * overlap (a read transaction open while store_write runs): LMDB lets only
 * one transaction at a time open a feed's database, so a transaction that
 * needs a feed first opened by an overlapping one gets CF_ESTORE, and the map
 * cannot grow while a read transaction is open (CF_EMAP_FULL). Feeds that
 * exist at store_open are opened then, so this concerns only feeds created
 * afterwards.
 *
 * Every function returns CF_OK or a negative CF_E* code (cf_error.h): NULL or
 * out-of-range arguments CF_EINVAL; a write in a read transaction
 * CF_ESTORE_READONLY; stored bytes that fail their invariants when read back
 * (a node hash not 32 bytes, a record of the wrong size or checksum, a
 * missing node, a damaged LMDB page) CF_ESTORE_CORRUPT; a fault inside LMDB
 * on a damaged page ends the process with "store corrupted" and exit 1
 * (store_guard.c); disk full CF_ENOSPC; other LMDB failures CF_ESTORE.
 *
 * Pointers returned by getters point into LMDB's map and stay valid until the
 * transaction ends or the next write in it, whichever comes first.
 */
#ifndef COFUND_STORE_H
#define COFUND_STORE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "crypto/merkle.h"

/* LMDB needs one named database per feed, opened per process; 4096 feeds
 * keeps per-transaction DBI bookkeeping small (LMDB allocates per-txn arrays
 * of maxdbs slots) while far exceeding a city's fund participants. */
#define STORE_FEEDS_MAX 4096
/* Initial map size; doubled on MDB_MAP_FULL. COFUND_MAP_BYTES overrides it
 * (tests use a tiny map to exercise growth). Without MDB_WRITEMAP the map is
 * address space only: data.mdb grows as pages are written, never to the map
 * size. So 64-bit builds start at 4 GiB, three times the largest home the
 * benchmarks build (1.3 GB for 1.3M entries), and a large import or batch
 * does not pay grow-and-retry (each growth aborts the transaction and runs it
 * again from scratch); 32-bit builds, short of address space, at 64 MiB. */
#define STORE_MAP_BYTES_INITIAL                                                 \
    (SIZE_MAX > UINT32_MAX ? (uint64_t)4 << 30 : (uint64_t)64 << 20)
/* Entries are pinned at 16 KiB by DESIGN §3.1 (node/ledger's
 * ENTRY_BYTES_MAX, equal by a static assert in node/home/append.c, the first
 * layer that sees both); the store refuses larger ones on write and on read. */
#define STORE_ENTRY_BYTES_MAX 16384
/* A stored checkpoint is a signed note (crypto/note.h NOTE_BYTES_MAX). */
#define STORE_CHECKPOINT_BYTES_MAX 8192
/* Largest value the node layer may store in a generic table record. */
#define STORE_VALUE_BYTES_MAX (1u << 20)
#define STORE_KEY_BYTES_MAX 511 /* LMDB's default maximum key size */

/* 2: feed tips carry their volume, guarantees their time; generic-table
 * records carry checksums (docs/storage.md). A schema 1 store is upgraded
 * when opened for writing, read as it is read-only. */
#define STORE_SCHEMA_VERSION 2

typedef struct store store;
typedef struct store_txn store_txn;

enum store_open_flags {
    STORE_RDONLY = 1 << 0, /* open an existing home read-only */
};

/* Open (creating if needed, unless STORE_RDONLY) the environment in directory
 * dir. CF_ESTORE_VERSION when its schema is not STORE_SCHEMA_VERSION. */
int store_open(const char *dir, unsigned flags, store **out);
void store_close(store *s);

/* ---- Transactions -------------------------------------------------------- */
typedef int (*store_write_fn)(store_txn *txn, void *arg);

/* Run fn in one write transaction; commit when it returns CF_OK, abort
 * otherwise and return its error. MDB_MAP_FULL (from fn's writes or from the
 * commit) aborts, grows the map and calls fn again, so fn must be repeatable:
 * no side effects outside the transaction that a second call would double.
 * CF_ESTORE_READONLY on a read-only store. */
int store_write(store *s, store_write_fn fn, void *arg);

/* Make room for a write of about `bytes` more bytes before it starts (an
 * importer passes a multiple of its input's size): grows the map, by
 * doubling, until it holds the pages in use plus bytes. Must be called with
 * no transaction of this handle live (CF_EMAP_FULL otherwise, as when the
 * map would pass its maximum, 1 TiB). Only saves time: store_write grows the
 * map on its own when it must. CF_ESTORE_READONLY on a read-only store. */
int store_reserve(store *s, uint64_t bytes);

/* A read transaction: a consistent snapshot. Never hold one across event-loop
 * turns. */
int store_read_begin(store *s, store_txn **out);
void store_read_end(store_txn *txn);

bool store_txn_writable(const store_txn *txn);
/* The snapshot a read transaction sees: the id of the last write committed
 * before it began (LMDB's transaction id). Two read transactions with the
 * same id see the same data: a reader polling for changes skips its work
 * when it did not move. */
uint64_t store_txn_id(const store_txn *txn);

/* ---- Feeds ------------------------------------------------------------- */
enum store_feed_flags {
    STORE_FEED_FORKED = 1u << 0, /* a fork proof exists; feed not applied further */
    STORE_FEED_HELD = 1u << 1,   /* entry `applied` broke a rule; held there */
};

typedef struct {
    uint8_t author[32];
    uint64_t size;    /* entries stored (verified under a signed checkpoint) */
    uint64_t applied; /* entries whose rules were checked and applied */
    uint32_t flags;   /* enum store_feed_flags */
} store_feed;

/* CF_ENOTFOUND when this home holds no entry of that author. */
int store_feed_get(store_txn *txn, const uint8_t author[32], store_feed *out);
/* Update applied and flags (size is owned by the appender). */
int store_feed_set_status(store_txn *txn, const uint8_t author[32],
                          uint64_t applied, uint32_t flags);

typedef int (*store_feed_visit_fn)(void *arg, const store_feed *feed);
/* Visit every feed in author order; a non-zero return stops and is returned. */
int store_feeds_each(store_txn *txn, store_feed_visit_fn fn, void *arg);

/* Batch append to a feed (creating it on first use).
 *   store_appender a;                      // caller's storage, opaque
 *   store_append_begin(txn, author, &a);
 *   store_append(&a, bytes, len, leaf);    // once per entry, in order
 *   store_append_finish(&a, root);         // new size recorded, root out
 * The appender borrows the transaction (a write transaction; CF_ESTORE_READONLY
 * otherwise); no other write to the same feed's entries may happen until
 * store_append_finish, which ends the appender. store_feed_set_status may be
 * called in between. Creating a feed beyond STORE_FEEDS_MAX is
 * CF_ESTORE_FEEDS_MAX. After an error the transaction must be aborted
 * (store_write refuses to commit it). Appending reads only the stored peaks
 * (one node per set bit of the size) at begin, then writes with MDB_APPEND.
 * When a checkpoint of the feed's current size is held, begin checks that
 * the peaks give its root (CF_ESTORE_CORRUPT otherwise): an append extends
 * only the tree its author signed. */
#define STORE_APPENDER_BYTES 2304
typedef struct {
    /* The appender's state lives in the caller's storage (so appending
     * allocates nothing) but only store/ reads it: use the functions below. */
    union {
        max_align_t align_;
        unsigned char bytes_[STORE_APPENDER_BYTES];
    } opaque_;
} store_appender;

int store_append_begin(store_txn *txn, const uint8_t author[32],
                       store_appender *a);
/* Writes the entry (1 ..= STORE_ENTRY_BYTES_MAX bytes, else CF_EINVAL or
 * CF_ETOOBIG) and every completed subtree hash; leaf (optional) receives
 * SHA-256(0x00 || entry). */
int store_append(store_appender *a, const uint8_t *entry, size_t len,
                 uint8_t leaf[MERKLE_HASH_BYTES]);
/* store_append for a caller that already hashed the entry: leaf must be
 * SHA-256(0x00 || entry) of these exact bytes (merkle_leaf_hash), e.g. the
 * leaf the rules were given. It is trusted, not recomputed: a wrong leaf
 * would make the stored tree disagree with the entries (`cofund verify`
 * finds that). Same errors as store_append. */
int store_append_hashed(store_appender *a, const uint8_t *entry, size_t len,
                        const uint8_t leaf[MERKLE_HASH_BYTES]);
int store_append_finish(store_appender *a, uint8_t root[MERKLE_HASH_BYTES]);
/* The feed's size counting the entries appended so far, and the root of its
 * tree at that size (what store_append_finish would give). Valid after a
 * successful store_append_begin, and after store_append_finish. */
uint64_t store_append_size(const store_appender *a);
void store_append_root(const store_appender *a, uint8_t root[MERKLE_HASH_BYTES]);

/* Entry bytes at index; CF_ENOTFOUND beyond the feed. */
int store_entry_get(store_txn *txn, const uint8_t author[32], uint64_t index,
                    const uint8_t **bytes, size_t *len);
int store_leaf_get(store_txn *txn, const uint8_t author[32], uint64_t index,
                   uint8_t leaf[MERKLE_HASH_BYTES]);

typedef int (*store_entry_visit_fn)(void *arg, uint64_t index,
                                    const uint8_t *bytes, size_t len);
/* Visit entries [from, to) in order with one cursor. CF_ETREE_RANGE unless
 * from <= to <= the feed's size; a non-zero return from fn stops the visit
 * and is returned. */
int store_entries_each(store_txn *txn, const uint8_t author[32], uint64_t from,
                       uint64_t to, store_entry_visit_fn fn, void *arg);

/* Hash of the perfect subtree of height `level` covering leaves
 * [index << level, (index + 1) << level) of author's feed: one read.
 * CF_ENOTFOUND when the subtree is not complete in the stored feed. */
int store_subtree(store_txn *txn, const uint8_t author[32], unsigned level,
                  uint64_t index, uint8_t out[MERKLE_HASH_BYTES]);

/* Merkle queries over the stored nodes, O(log n) reads each; sizes up to the
 * feed's size (CF_ETREE_RANGE beyond it, or as merkle.h for the proofs).
 * proof must hold MERKLE_PROOF_MAX hashes. */
int store_root(store_txn *txn, const uint8_t author[32], uint64_t size,
               uint8_t root[MERKLE_HASH_BYTES]);
int store_inclusion_proof(store_txn *txn, const uint8_t author[32],
                          uint64_t index, uint64_t size,
                          uint8_t proof[][MERKLE_HASH_BYTES], size_t *n);
int store_consistency_proof(store_txn *txn, const uint8_t author[32],
                            uint64_t old_size, uint64_t new_size,
                            uint8_t proof[][MERKLE_HASH_BYTES], size_t *n);

/* ---- Checkpoints ---------------------------------------------------------- */
/* Store (or replace, e.g. with more cosignatures) the signed checkpoint of
 * author at size: 1 ..= STORE_CHECKPOINT_BYTES_MAX bytes. The store keeps the
 * bytes; checking them is the caller's job. */
int store_checkpoint_put(store_txn *txn, const uint8_t author[32], uint64_t size,
                         const char *text, size_t len);
int store_checkpoint_get(store_txn *txn, const uint8_t author[32], uint64_t size,
                         const char **text, size_t *len);
/* Largest-size checkpoint held for author; CF_ENOTFOUND if none. */
int store_checkpoint_latest(store_txn *txn, const uint8_t author[32],
                            uint64_t *size, const char **text, size_t *len);

typedef int (*store_checkpoint_visit_fn)(void *arg, uint64_t size,
                                         const char *text, size_t len);
/* Every checkpoint held for author, in increasing size. */
int store_checkpoints_each(store_txn *txn, const uint8_t author[32],
                           store_checkpoint_visit_fn fn, void *arg);

/* ---- Generic tables for the node layer ----------------------------------- */
enum store_table {
    STORE_T_META,     /* home and network metadata */
    STORE_T_STATE,    /* ledger state: roster, programs, totals, positions */
    STORE_T_EVIDENCE, /* fork proofs and rule violations */
    STORE_T__COUNT
};

/* CF_ENOTFOUND when absent. Key 1..STORE_KEY_BYTES_MAX bytes; values up to
 * STORE_VALUE_BYTES_MAX (CF_ETOOBIG), empty allowed. */
int store_kv_get(store_txn *txn, enum store_table t, const void *key,
                 size_t klen, const uint8_t **val, size_t *vlen);
int store_kv_put(store_txn *txn, enum store_table t, const void *key,
                 size_t klen, const void *val, size_t vlen);
/* CF_ENOTFOUND when absent. */
int store_kv_del(store_txn *txn, enum store_table t, const void *key,
                 size_t klen);

/* Many puts into table t through one cursor, for a caller writing records
 * in ascending key order (a write-back cache's flush): where a key falls on
 * the leaf page the previous one reached, LMDB finds its place on that page
 * instead of descending from the root. The records, their checksums and the
 * errors are store_kv_put's; any order is correct, ascending is faster.
 * Between open and close nothing else may write table t through this
 * transaction. */
typedef struct store_kv_writer store_kv_writer;
int store_kv_writer_open(store_txn *txn, enum store_table t, store_kv_writer **w);
int store_kv_writer_put(store_kv_writer *w, const void *key, size_t klen, const void *val,
                        size_t vlen);
void store_kv_writer_close(store_kv_writer *w);

/* Delete every record whose key starts with prefix (plen 0: empty the
 * table). */
int store_kv_clear(store_txn *txn, enum store_table t, const void *prefix, size_t plen);

typedef int (*store_kv_visit_fn)(void *arg, const uint8_t *key, size_t klen,
                                 const uint8_t *val, size_t vlen);
/* Visit every record whose key starts with prefix (plen 0: all), in key order
 * (reverse order when reverse is true). A non-zero return from fn stops the
 * scan and is returned. fn must not write to table t. */
int store_kv_scan(store_txn *txn, enum store_table t, const void *prefix,
                  size_t plen, bool reverse, store_kv_visit_fn fn, void *arg);
/* The record with the greatest key <= key among those sharing key's first
 * plen bytes ("value as of"); plen <= klen. CF_ENOTFOUND if none. Uses one
 * cursor per table and transaction, opened on the first call: a floor costs
 * a seek, not a cursor's allocation. */
int store_kv_floor(store_txn *txn, enum store_table t, const void *key,
                   size_t klen, size_t plen, const uint8_t **fkey,
                   size_t *fklen, const uint8_t **val, size_t *vlen);

/* ---- Introspection ------------------------------------------------------- */
typedef struct {
    uint64_t map_bytes;  /* current map size */
    uint64_t used_bytes; /* pages in use * page size */
    uint32_t feeds;
} store_info;
int store_get_info(store *s, store_info *out);

#endif
