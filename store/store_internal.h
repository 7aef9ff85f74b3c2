/* store_internal.h — what store.c, store_feed.c and store_kv.c share: the
 * handle and transaction structs, the per-process feed DBI cache, key
 * encodings and LMDB error mapping. Not part of the store API.
 */
#ifndef COFUND_STORE_INTERNAL_H
#define COFUND_STORE_INTERNAL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <lmdb.h>

#include "crypto/cf_util.h"
#include "store.h"

/* ---- Guarded LMDB calls (store_guard.c) ---------------------------------
 * Every LMDB call that may read the map runs with store__guard_depth
 * raised, so that a fault inside it (a damaged page sends LMDB astray) ends
 * the process with "store corrupted" rather than a crash. The macros below
 * route this layer's calls through the wrappers: no call can be left out. */
#include <signal.h>
extern _Thread_local volatile sig_atomic_t store__guard_depth;
/* Install the fault handlers (once per process) and env's assert callback. */
void store__guard_install(MDB_env *env);
/* Says "store corrupted" (what failed) on stderr and ends the process, as a
 * fault inside LMDB does (store_guard.c). */
_Noreturn void store__guard_corrupt(const char *what);

#define STORE__GUARD(call)                                                    \
    do {                                                                      \
        store__guard_depth++;                                                 \
        rc = (call);                                                          \
        store__guard_depth--;                                                 \
    } while (0)

static inline int store__g_get(MDB_txn *t, MDB_dbi d, MDB_val *k, MDB_val *v)
{ int rc; STORE__GUARD((mdb_get)(t, d, k, v)); return rc; }
static inline int store__g_put(MDB_txn *t, MDB_dbi d, MDB_val *k, MDB_val *v, unsigned f)
{ int rc; STORE__GUARD((mdb_put)(t, d, k, v, f)); return rc; }
static inline int store__g_del(MDB_txn *t, MDB_dbi d, MDB_val *k, MDB_val *v)
{ int rc; STORE__GUARD((mdb_del)(t, d, k, v)); return rc; }
static inline int store__g_drop(MDB_txn *t, MDB_dbi d, int del)
{ int rc; STORE__GUARD((mdb_drop)(t, d, del)); return rc; }
static inline int store__g_cursor_open(MDB_txn *t, MDB_dbi d, MDB_cursor **c)
{ int rc; STORE__GUARD((mdb_cursor_open)(t, d, c)); return rc; }
static inline int store__g_cursor_get(MDB_cursor *c, MDB_val *k, MDB_val *v, MDB_cursor_op op)
{ int rc; STORE__GUARD((mdb_cursor_get)(c, k, v, op)); return rc; }
static inline int store__g_cursor_put(MDB_cursor *c, MDB_val *k, MDB_val *v, unsigned f)
{ int rc; STORE__GUARD((mdb_cursor_put)(c, k, v, f)); return rc; }
static inline int store__g_cursor_del(MDB_cursor *c, unsigned f)
{ int rc; STORE__GUARD((mdb_cursor_del)(c, f)); return rc; }
static inline int store__g_dbi_open(MDB_txn *t, const char *name, unsigned f, MDB_dbi *d)
{ int rc; STORE__GUARD((mdb_dbi_open)(t, name, f, d)); return rc; }
static inline int store__g_stat(MDB_txn *t, MDB_dbi d, MDB_stat *st)
{ int rc; STORE__GUARD((mdb_stat)(t, d, st)); return rc; }
static inline int store__g_txn_begin(MDB_env *e, MDB_txn *p, unsigned f, MDB_txn **t)
{ int rc; STORE__GUARD((mdb_txn_begin)(e, p, f, t)); return rc; }
/* A commit that fails as no sound store can — it met a damaged page of the
 * free list, say — may have written through that page into the heap
 * already: stop at once (store__guard_corrupt), as for a fault, before a
 * later free() trips over it. */
static inline int store__g_txn_commit(MDB_txn *t)
{
    int rc;
    STORE__GUARD((mdb_txn_commit)(t));
    if (rc == MDB_NOTFOUND || rc == MDB_CORRUPTED || rc == MDB_PAGE_NOTFOUND)
        store__guard_corrupt("a commit met a damaged page");
    return rc;
}
static inline int store__g_env_open(MDB_env *e, const char *path, unsigned f, mdb_mode_t m)
{ int rc; STORE__GUARD((mdb_env_open)(e, path, f, m)); return rc; }
#define mdb_get store__g_get
#define mdb_put store__g_put
#define mdb_del store__g_del
#define mdb_drop store__g_drop
#define mdb_cursor_open store__g_cursor_open
#define mdb_cursor_get store__g_cursor_get
#define mdb_cursor_put store__g_cursor_put
#define mdb_cursor_del store__g_cursor_del
#define mdb_dbi_open store__g_dbi_open
#define mdb_stat store__g_stat
#define mdb_txn_begin store__g_txn_begin
#define mdb_txn_commit store__g_txn_commit
#define mdb_env_open store__g_env_open

/* Core named databases; enum store_table maps onto the last three. */
enum store_core_db {
    CORE_FEEDS,
    CORE_CHECKPOINTS,
    CORE_META,
    CORE_STATE,
    CORE_EVIDENCE,
    CORE__COUNT
};
_Static_assert(STORE_T_META == CORE_META - CORE_META &&
                   STORE_T_STATE == CORE_STATE - CORE_META &&
                   STORE_T_EVIDENCE == CORE_EVIDENCE - CORE_META &&
                   STORE_T__COUNT == CORE__COUNT - CORE_META,
               "store_table maps onto the core databases");

/* Scan cursors kept per table and transaction (store_txn): nested scans
 * deeper than this open and close their own. */
#define STORE_SCAN_CURSORS 4

/* "feed/" + 64 hex digits + NUL. */
#define FEED_DB_PREFIX "feed/"
#define FEED_DB_NAME_BYTES (5 + CF_HEX32_BYTES)

/* Feed database keys: index (u64 BE) || tag (u8). */
#define FEED_KEY_BYTES 9
#define FEED_TAG_ENTRY 0
#define FEED_TAG_NODE0 1 /* tag of a height-0 subtree: the leaf hash */

/* "feeds" record: size u64 BE || applied u64 BE || flags u32 BE. */
#define FEED_RECORD_BYTES 20
#define FEED_FLAGS_KNOWN (STORE_FEED_FORKED | STORE_FEED_HELD)

/* "checkpoints" key: author (32) || size (u64 BE). */
#define CKPT_KEY_BYTES 40

/* One opened feed database. `owner` is the live transaction that opened it
 * (LMDB closes it again if that transaction aborts), NULL once that
 * transaction committed; `committed_seq` orders that commit against the
 * start of other transactions, which may use the handle only if it was
 * committed before they began. */
struct feed_slot {
    uint8_t author[32];
    MDB_dbi dbi;
    store_txn *owner;
    uint64_t committed_seq;
};

struct store {
    MDB_env *env;
    bool rdonly;
    bool sums; /* generic-table records carry checksums (schema >= 2) */
    MDB_dbi core[CORE__COUNT];
    /* Feed DBI cache, sorted by author. */
    struct feed_slot *feeds;
    size_t nfeeds, feeds_cap;
    /* Transactions of this handle that are live, the one (if any) that has
     * called mdb_dbi_open and not yet ended (LMDB allows one at a time), and
     * a counter ordering transaction starts and DBI commits. */
    unsigned live_txns;
    store_txn *dbi_opener;
    uint64_t seq;
    /* The last read transaction, reset (mdb_txn_reset) for the next read to
     * renew: mdb_txn_begin zeroes per-DBI arrays sized by the most DBIs a
     * store may open (~250 KB), which made a node's frequent short reads
     * cost more than their work (docs/performance.md "Scale"). NULL: none.
     * A reset transaction pins no snapshot and is not live. */
    MDB_txn *spare_rd;
};

struct store_txn {
    store *s;
    MDB_txn *txn;
    bool writable;
    bool map_full;  /* some LMDB call reported MDB_MAP_FULL */
    int poison;     /* first failed write: the transaction must not commit */
    bool corrupt;   /* LMDB found a damaged page in this transaction */
    uint64_t begin_seq;
    /* One cursor per generic table for store_kv_floor, opened on first use
     * and closed by store__txn_cursors_close before the transaction ends
     * (LMDB frees a write transaction's cursors itself at its end, so they
     * must be gone by then; a read transaction's must be closed by us). */
    MDB_cursor *floor_cursor[STORE_T__COUNT];
    /* Cursors for store_kv_scan, kept the same way: a scan takes a free one
     * (scans nest: a visit may scan again) and gives it back at its end, so
     * the next scan starts from where this one was — LMDB then finds a key
     * on the cursor's current page without descending the tree. */
    MDB_cursor *scan_cursor[STORE_T__COUNT][STORE_SCAN_CURSORS];
    uint8_t scan_busy[STORE_T__COUNT]; /* bit i: scan_cursor[t][i] in use */
};

/* What a store_appender (store.h) holds, in the caller's storage. */
struct store__appender {
    store_txn *txn;
    uint8_t author[32];
    MDB_dbi dbi;
    merkle_stream tree;
    uint64_t start_size; /* feed size at store_append_begin */
    MDB_cursor *cursor;  /* the feed's write cursor; NULL once finished */
};
_Static_assert(sizeof(struct store__appender) <= STORE_APPENDER_BYTES,
               "store_appender holds the appender");
_Static_assert(_Alignof(struct store__appender) <= _Alignof(max_align_t),
               "store_appender is aligned for the appender");

/* Close the cached cursors; called right before every commit or abort. */
void store__txn_cursors_close(store_txn *t);

/* LMDB result -> CF code. Records MDB_MAP_FULL and poisons a write
 * transaction when a write failed (t may be NULL outside transactions). */
int store__err(store_txn *t, int rc);
/* Same for a failed write: every failure poisons the transaction. */
int store__werr(store_txn *t, int rc);

/* The DBI of author's feed database. With create (write transactions only)
 * the database is created if missing; otherwise CF_ENOTFOUND when it does
 * not exist in this snapshot. */
int store__feed_dbi(store_txn *t, const uint8_t author[32], bool create,
                    MDB_dbi *out);

static inline MDB_dbi store__core(const store_txn *t, enum store_core_db d)
{
    return t->s->core[d];
}

static inline void store__feed_key(uint8_t k[FEED_KEY_BYTES], uint64_t index,
                                   unsigned tag)
{
    for (int i = 7; i >= 0; i--) {
        k[i] = (uint8_t)(index & 0xff);
        index >>= 8;
    }
    k[8] = (uint8_t)tag;
}

/* The schema record's key in STORE_T_META; its value is u32 BE. */
#define STORE_SCHEMA_KEY "schema"
/* Schema 1 had no record checksums; a writable open upgrades it. */
#define STORE_SCHEMA_NO_SUMS 1
/* The checksum after every generic-table record's value (store_kv.c). */
#define STORE_SUM_BYTES 8

/* Give every record of the generic tables its checksum (the upgrade from
 * schema 1, in the open's write transaction). */
int store__kv_add_sums(store_txn *t);

/* Called by store.c at open: the number of feeds, for store_get_info. */
int store__feeds_count(store_txn *t, uint32_t *n);

#endif
