/* store.c — the LMDB environment: open and close, schema check, map growth,
 * transactions, the per-process feed DBI cache and error mapping. Feeds,
 * Merkle nodes and checkpoints are in store_feed.c, generic tables in
 * store_kv.c; the contract is store.h, the byte layout docs/storage.md.
 *
 * LMDB rules this file enforces (lmdb.h, mdb_dbi_open and mdb_env_set_mapsize):
 *   - a DBI opened in a transaction that aborts is closed again, so the cache
 *     forgets it; a read transaction is ended with mdb_txn_commit so that the
 *     DBIs it opened stay open;
 *   - one transaction at a time may open DBIs, and a DBI is usable only by
 *     transactions that began after the one that opened it committed;
 *   - the map may be resized only while this process has no transaction.
 */
#include "store_internal.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/statvfs.h>

#include "crypto/cf_error.h"
#include "crypto/cf_util.h"
#include "store_testing.h"

/* The map doubles on MDB_MAP_FULL up to this size; a city's ledger stays
 * orders of magnitude below, so reaching it means a runaway writer. */
#define MAP_BYTES_MAX ((uint64_t)1 << 40)
_Static_assert(STORE_MAP_BYTES_INITIAL <= MAP_BYTES_MAX, "initial map fits");
/* MDB_MAP_RESIZED (another process grew the map) is answered by adopting
 * the new size and starting again; each retry follows a real resize, so a
 * few suffice. */
#define RESIZE_RETRIES_MAX 8
/* "<dir>/data.mdb" */
#define PATH_BYTES_MAX 4096
/* The schema record in STORE_T_META: u32 BE. */
#define SCHEMA_KEY STORE_SCHEMA_KEY
#define SCHEMA_VALUE_BYTES 4

static const char *const core_names[CORE__COUNT] = {
    [CORE_FEEDS] = "feeds",       [CORE_CHECKPOINTS] = "checkpoints",
    [CORE_META] = "meta",         [CORE_STATE] = "state",
    [CORE_EVIDENCE] = "evidence",
};

/* ---- Errors -------------------------------------------------------------- */

int store__err(store_txn *t, int rc)
{
    switch (rc) {
    case MDB_SUCCESS: return CF_OK;
    case MDB_NOTFOUND: return CF_ENOTFOUND;
    case MDB_MAP_FULL:
        if (t) t->map_full = true;
        return CF_EMAP_FULL;
    case MDB_DBS_FULL: return CF_ESTORE_FEEDS_MAX;
    case MDB_KEYEXIST: /* MDB_APPEND met a key at or after ours */
    case MDB_CORRUPTED:
    case MDB_PAGE_NOTFOUND:
    case MDB_INVALID:      /* a meta page that is not LMDB's */
    case MDB_CURSOR_FULL:  /* a tree deeper than LMDB's cursors: page links loop */
    case MDB_PAGE_FULL:    /* a page whose header claims more than it holds */
    case MDB_INCOMPATIBLE: /* a page or database whose flags changed */
    case MDB_PANIC:
        if (t) t->corrupt = true;
        return CF_ESTORE_CORRUPT;
    case MDB_BAD_TXN: /* refused after an earlier failure: say which */
        return t && t->corrupt ? CF_ESTORE_CORRUPT : CF_ESTORE;
    case ENOSPC:
    case EFBIG:
#ifdef EDQUOT
    case EDQUOT:
#endif
        return CF_ENOSPC;
    case ENOMEM: return CF_ENOMEM;
    case EIO: return CF_EIO;
    case ENOENT: return CF_ENOTFOUND;
    case EACCES:
    case EROFS: return CF_EACCES;
    default: return CF_ESTORE;
    }
}

int store__werr(store_txn *t, int rc)
{
    int r = store__err(t, rc);
    if (r != CF_OK && t != NULL && t->writable && t->poison == CF_OK)
        t->poison = r;
    return r;
}

/* ---- The feed DBI cache -------------------------------------------------- */

/* Index of author in the sorted cache, or where it would go. */
static size_t cache_find(const store *s, const uint8_t author[32], bool *found)
{
    size_t lo = 0, hi = s->nfeeds;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        int c = memcmp(s->feeds[mid].author, author, 32);
        if (c == 0) {
            *found = true;
            return mid;
        }
        if (c < 0)
            lo = mid + 1;
        else
            hi = mid;
    }
    *found = false;
    return lo;
}

static int cache_reserve(store *s)
{
    if (s->nfeeds < s->feeds_cap) return CF_OK;
    size_t cap = s->feeds_cap ? 2 * s->feeds_cap : 16;
    struct feed_slot *p = realloc(s->feeds, cap * sizeof *p);
    if (p == NULL) return CF_ENOMEM;
    s->feeds = p;
    s->feeds_cap = cap;
    return CF_OK;
}

static void feed_db_name(const uint8_t author[32], char name[FEED_DB_NAME_BYTES])
{
    memcpy(name, FEED_DB_PREFIX, 5);
    cf_hex32(author, name + 5);
}

int store__feed_dbi(store_txn *t, const uint8_t author[32], bool create,
                    MDB_dbi *out)
{
    store *s = t->s;
    bool found;
    size_t pos = cache_find(s, author, &found);
    if (found) {
        const struct feed_slot *f = &s->feeds[pos];
        if (f->owner == t || (f->owner == NULL && f->committed_seq < t->begin_seq)) {
            *out = f->dbi;
            return CF_OK;
        }
        /* Opened by an overlapping transaction of this handle: LMDB does not
         * let this one use or reopen it. */
        return CF_ESTORE;
    }
    if (create && !t->writable) return CF_ESTORE_READONLY;
    if (s->dbi_opener != NULL && s->dbi_opener != t) return CF_ESTORE;
    int r = cache_reserve(s);
    if (r != CF_OK) return r;
    char name[FEED_DB_NAME_BYTES];
    feed_db_name(author, name);
    MDB_dbi dbi;
    int rc = mdb_dbi_open(t->txn, name, create ? MDB_CREATE : 0, &dbi);
    if (rc == MDB_NOTFOUND) return CF_ENOTFOUND;
    if (rc != 0) return create ? store__werr(t, rc) : store__err(t, rc);
    s->dbi_opener = t;
    memmove(&s->feeds[pos + 1], &s->feeds[pos],
            (s->nfeeds - pos) * sizeof s->feeds[0]);
    memcpy(s->feeds[pos].author, author, 32);
    s->feeds[pos].dbi = dbi;
    s->feeds[pos].owner = t;
    s->feeds[pos].committed_seq = 0;
    s->nfeeds++;
    *out = dbi;
    return CF_OK;
}

/* ---- Transactions -------------------------------------------------------- */

/* Drop the spare read transaction (before a resize, at close). */
static void spare_drop(store *s)
{
    if (s->spare_rd) mdb_txn_abort(s->spare_rd);
    s->spare_rd = NULL;
}

static int txn_begin(store *s, bool write, store_txn *t)
{
    memset(t, 0, sizeof *t);
    if (!write && s->spare_rd) {
        MDB_txn *x = s->spare_rd;
        s->spare_rd = NULL;
        if (mdb_txn_renew(x) == 0) {
            t->txn = x;
            goto begun;
        }
        mdb_txn_abort(x); /* MDB_MAP_RESIZED among others: begin afresh */
    }
    for (unsigned tries = 0;; tries++) {
        int rc = mdb_txn_begin(s->env, NULL, write ? 0 : MDB_RDONLY, &t->txn);
        if (rc == MDB_MAP_RESIZED && s->live_txns == 0 &&
            tries < RESIZE_RETRIES_MAX) {
            /* Another process grew the map: adopt its size. */
            spare_drop(s);
            if ((rc = mdb_env_set_mapsize(s->env, 0)) != 0)
                return store__err(NULL, rc);
            continue;
        }
        if (rc != 0) return store__err(NULL, rc);
        break;
    }
begun:
    t->s = s;
    t->writable = write;
    t->begin_seq = ++s->seq;
    s->live_txns++;
    return CF_OK;
}

/* Bookkeeping after the LMDB transaction ended (committed or not). */
static void txn_ended(store_txn *t, bool committed)
{
    store *s = t->s;
    CF_ASSERT(s->live_txns > 0);
    s->live_txns--;
    if (s->dbi_opener == t) {
        s->dbi_opener = NULL;
        size_t w = 0;
        uint64_t seq = ++s->seq;
        for (size_t i = 0; i < s->nfeeds; i++) {
            struct feed_slot *f = &s->feeds[i];
            if (f->owner == t) {
                if (!committed) continue; /* LMDB closed it */
                f->owner = NULL;
                f->committed_seq = seq;
            }
            if (w != i) s->feeds[w] = *f;
            w++;
        }
        s->nfeeds = w;
    }
}

void store__txn_cursors_close(store_txn *t)
{
    for (int i = 0; i < STORE_T__COUNT; i++) {
        if (t->floor_cursor[i] != NULL) mdb_cursor_close(t->floor_cursor[i]);
        t->floor_cursor[i] = NULL;
        for (int j = 0; j < STORE_SCAN_CURSORS; j++) {
            if (t->scan_cursor[i][j] != NULL) mdb_cursor_close(t->scan_cursor[i][j]);
            t->scan_cursor[i][j] = NULL;
        }
        CF_ASSERT(t->scan_busy[i] == 0); /* no scan outlives its transaction */
    }
}

static void txn_abort(store_txn *t)
{
    store__txn_cursors_close(t);
    mdb_txn_abort(t->txn);
    t->txn = NULL;
    txn_ended(t, false);
}

/* Bytes of the map in use: pages up to the last one written, committed. */
static int map_used(store *s, uint64_t *map_bytes, uint64_t *used_bytes)
{
    MDB_envinfo info;
    MDB_stat st;
    int rc = mdb_env_info(s->env, &info);
    if (rc == 0) rc = mdb_env_stat(s->env, &st);
    if (rc != 0) return store__err(NULL, rc);
    *map_bytes = info.me_mapsize;
    *used_bytes = ((uint64_t)info.me_last_pgno + 1) * st.ms_psize;
    return CF_OK;
}

/* Set the map to at least want bytes, doubling from its current size (so
 * that repeated small reservations do not resize each time), at most
 * MAP_BYTES_MAX. LMDB allows this only while no transaction of this process
 * is live. */
static int map_resize(store *s, uint64_t cur, uint64_t want)
{
    if (s->live_txns != 0) return CF_EMAP_FULL; /* LMDB forbids resizing */
    if (want > MAP_BYTES_MAX) return CF_EMAP_FULL;
    spare_drop(s);
    uint64_t next = cur;
    while (next < want) next = next > MAP_BYTES_MAX / 2 ? MAP_BYTES_MAX : 2 * next;
    int rc = mdb_env_set_mapsize(s->env, (size_t)next);
    return rc == 0 ? CF_OK : store__err(NULL, rc);
}

/* The write transaction hit the end of the map and is gone: double the map
 * (the map is never smaller than the pages in use, so this is also at least
 * twice the used size). The transaction runs again from scratch, so growing
 * by a factor bounds the work redone by about the work done; a large initial
 * map (STORE_MAP_BYTES_INITIAL) or store_reserve avoids it altogether. */
static int map_grow(store *s)
{
    uint64_t cur, used;
    int r = map_used(s, &cur, &used);
    if (r != CF_OK) return r;
    if (cur >= MAP_BYTES_MAX) return CF_EMAP_FULL;
    return map_resize(s, cur, cur + 1);
}

int store_reserve(store *s, uint64_t bytes)
{
    uint64_t cur, used;
    if (s == NULL) return CF_EINVAL;
    if (s->rdonly) return CF_ESTORE_READONLY;
    int r = map_used(s, &cur, &used);
    if (r != CF_OK) return r;
    if (bytes > MAP_BYTES_MAX - used) return CF_EMAP_FULL;
    if (used + bytes <= cur) return CF_OK;
    return map_resize(s, cur, used + bytes);
}

/* A commit's page write came up short (EIO). A full disk or a file size
 * limit does that when the write straddles the end; with neither in sight,
 * the write was larger than any page run can be: LMDB copied a page whose
 * damaged header claims more overflow pages than it has. */
static int short_write(store *s)
{
    struct rlimit rl;
    struct statvfs vfs;
    const char *dir;
    if (getrlimit(RLIMIT_FSIZE, &rl) != 0 || rl.rlim_cur != RLIM_INFINITY) return CF_ENOSPC;
    if (mdb_env_get_path(s->env, &dir) != 0 || statvfs(dir, &vfs) != 0) return CF_ENOSPC;
    if ((uint64_t)vfs.f_bavail * vfs.f_frsize < ((uint64_t)64 << 20)) return CF_ENOSPC;
    return CF_ESTORE_CORRUPT;
}

/* Run fn in a write transaction, growing the map and rerunning fn on
 * MDB_MAP_FULL. */
static int txn_run(store *s, store_write_fn fn, void *arg)
{
    for (;;) {
        store_txn t;
        int r = txn_begin(s, true, &t);
        if (r != CF_OK) return r;
        r = fn(&t, arg);
        if (t.map_full) {
            txn_abort(&t);
            if ((r = map_grow(s)) != CF_OK) return r;
            continue;
        }
        if (r == CF_OK && t.poison != CF_OK) r = t.poison;
        if (r != CF_OK) {
            txn_abort(&t);
            return r;
        }
        store__txn_cursors_close(&t);
        int rc = mdb_txn_commit(t.txn); /* ends the txn, also on failure */
        txn_ended(&t, rc == 0);
        if (rc == MDB_MAP_FULL) {
            if ((r = map_grow(s)) != CF_OK) return r;
            continue;
        }
        /* LMDB reports a short page write as EIO: that is how a file size
         * limit or a full disk shows up when the write straddles the end. */
        if (rc == EIO) return short_write(s);
        return store__err(NULL, rc);
    }
}

int store_write(store *s, store_write_fn fn, void *arg)
{
    if (s == NULL || fn == NULL) return CF_EINVAL;
    if (s->rdonly) return CF_ESTORE_READONLY;
    return txn_run(s, fn, arg);
}

int store_read_begin(store *s, store_txn **out)
{
    if (s == NULL || out == NULL) return CF_EINVAL;
    *out = NULL;
    store_txn *t = malloc(sizeof *t);
    if (t == NULL) return CF_ENOMEM;
    int r = txn_begin(s, false, t);
    if (r != CF_OK) {
        free(t);
        return r;
    }
    *out = t;
    return CF_OK;
}

void store_read_end(store_txn *t)
{
    if (t == NULL) return;
    CF_ASSERT(!t->writable);
    store__txn_cursors_close(t);
    store *s = t->s;
    if (s->dbi_opener != t && s->spare_rd == NULL) {
        /* It opened no DBI: keep it, reset, for the next read to renew. */
        mdb_txn_reset(t->txn);
        s->spare_rd = t->txn;
        txn_ended(t, true);
        free(t);
        return;
    }
    /* Commit, not abort: DBIs opened in this transaction stay open. */
    int rc = mdb_txn_commit(t->txn);
    txn_ended(t, rc == 0);
    free(t);
}

bool store_txn_writable(const store_txn *t)
{
    return t != NULL && t->writable;
}

uint64_t store_txn_id(const store_txn *t)
{
    return (uint64_t)mdb_txn_id(t->txn);
}

/* ---- Open and close ------------------------------------------------------ */

/* COFUND_MAP_BYTES: decimal bytes, 1 ..= MAP_BYTES_MAX. */
static int initial_map_bytes(uint64_t *out)
{
    const char *v = getenv("COFUND_MAP_BYTES");
    if (v == NULL || *v == '\0') {
        *out = STORE_MAP_BYTES_INITIAL;
        return CF_OK;
    }
    uint64_t n = 0;
    for (const char *p = v; *p; p++) {
        if (*p < '0' || *p > '9') return CF_EINVAL;
        unsigned d = (unsigned)(*p - '0');
        if (n > (MAP_BYTES_MAX - d) / 10) return CF_EINVAL;
        n = n * 10 + d;
    }
    if (n == 0) return CF_EINVAL;
    *out = n;
    return CF_OK;
}

static int env_create(MDB_env **env)
{
    int rc = mdb_env_create(env);
    if (rc != 0) return store__err(NULL, rc);
    store__guard_install(*env);
    rc = mdb_env_set_maxdbs(*env, STORE_FEEDS_MAX + CORE__COUNT);
    if (rc != 0) {
        mdb_env_close(*env);
        *env = NULL;
        return store__err(NULL, rc);
    }
    return CF_OK;
}

static int env_open(store *s, const char *dir)
{
    char path[PATH_BYTES_MAX];
    uint64_t initial = 0;
    bool fresh = false;
    int r, rc;
    if (snprintf(path, sizeof path, "%s/data.mdb", dir) >= (int)sizeof path)
        return CF_EINVAL;
    if (!s->rdonly) {
        struct stat st;
        if ((r = initial_map_bytes(&initial)) != CF_OK) return r;
        if (mkdir(dir, 0700) != 0 && errno != EEXIST) return store__err(NULL, errno);
        fresh = stat(path, &st) != 0 && errno == ENOENT;
    }
    if ((r = env_create(&s->env)) != CF_OK) return r;
    if (fresh && (rc = mdb_env_set_mapsize(s->env, (size_t)initial)) != 0)
        goto fail;
    unsigned flags = MDB_NOTLS | (s->rdonly ? MDB_RDONLY : 0);
    rc = mdb_env_open(s->env, dir, flags, 0600);
    if (rc != 0 && s->rdonly && (rc == EACCES || rc == EROFS)) {
        /* A copy in a read-only directory: its lock file cannot be created
         * or opened for writing. Nobody writes there, so no lock needed. */
        mdb_env_close(s->env);
        s->env = NULL;
        if ((r = env_create(&s->env)) != CF_OK) return r;
        rc = mdb_env_open(s->env, dir, flags | MDB_NOLOCK, 0600);
    }
    if (rc != 0) goto fail;
    if (!s->rdonly) {
        MDB_envinfo info;
        if ((rc = mdb_env_info(s->env, &info)) != 0) goto fail;
        if (info.me_mapsize < initial &&
            (rc = mdb_env_set_mapsize(s->env, (size_t)initial)) != 0)
            goto fail;
    }
    return CF_OK;
fail:
    mdb_env_close(s->env);
    s->env = NULL;
    return store__err(NULL, rc);
}

/* Open (or create) the core databases, check the schema, open every feed's
 * database. Runs in the first transaction of the handle. */
static int init_txn(store_txn *t, void *arg)
{
    (void)arg;
    store *s = t->s;
    int rc, found = 0;
    bool missing = false;
    for (int i = 0; i < CORE__COUNT; i++) {
        rc = mdb_dbi_open(t->txn, core_names[i], 0, &s->core[i]);
        if (rc == MDB_NOTFOUND) {
            missing = true;
            continue;
        }
        if (rc != 0) return store__werr(t, rc);
        found++;
    }
    s->dbi_opener = t;
    if (missing) {
        /* Some core databases and not others, or none beside other named
         * databases (feeds): a damaged main tree, never created that way. */
        MDB_stat st;
        if ((rc = mdb_stat(t->txn, 1 /* MAIN_DBI */, &st)) != 0) return store__err(t, rc);
        if (found > 0 || st.ms_entries > 0) return CF_ESTORE_CORRUPT;
        if (!t->writable) return CF_ESTORE_VERSION; /* not a cofund home */
        for (int i = 0; i < CORE__COUNT; i++)
            if ((rc = mdb_dbi_open(t->txn, core_names[i], MDB_CREATE, &s->core[i])) != 0)
                return store__werr(t, rc);
    }

    MDB_val k = {sizeof SCHEMA_KEY - 1, (void *)SCHEMA_KEY}, v;
    rc = mdb_get(t->txn, s->core[CORE_META], &k, &v);
    if (rc == MDB_NOTFOUND) {
        MDB_stat st;
        if ((rc = mdb_stat(t->txn, s->core[CORE_META], &st)) != 0)
            return store__err(t, rc);
        if (st.ms_entries != 0) return CF_ESTORE_CORRUPT; /* meta, no schema: damaged */
        if (!t->writable) return CF_ESTORE_VERSION;
        uint8_t ver[SCHEMA_VALUE_BYTES];
        cf_put_be32(ver, STORE_SCHEMA_VERSION);
        v.mv_size = sizeof ver;
        v.mv_data = ver;
        rc = mdb_put(t->txn, s->core[CORE_META], &k, &v, 0);
        if (rc != 0) return store__werr(t, rc);
        s->sums = true;
    } else if (rc != 0) {
        return store__err(t, rc);
    } else {
        if (v.mv_size != SCHEMA_VALUE_BYTES) return CF_ESTORE_CORRUPT;
        uint32_t schema = cf_get_be32(v.mv_data);
        if (schema != STORE_SCHEMA_VERSION && schema != STORE_SCHEMA_NO_SUMS)
            return CF_ESTORE_VERSION;
        if (schema == STORE_SCHEMA_NO_SUMS && t->writable) {
            /* The upgrade: the records as they are, now with checksums. */
            int r = store__kv_add_sums(t);
            if (r != CF_OK) return r;
            uint8_t ver[SCHEMA_VALUE_BYTES];
            cf_put_be32(ver, STORE_SCHEMA_VERSION);
            MDB_val nv = {sizeof ver, ver};
            if ((rc = mdb_put(t->txn, s->core[CORE_META], &k, &nv, 0)) != 0)
                return store__werr(t, rc);
            schema = STORE_SCHEMA_VERSION;
        }
        /* A read-only open of a schema 1 store reads it without sums. */
        s->sums = schema != STORE_SCHEMA_NO_SUMS;
    }

    /* Open every feed now, while this handle has no other transaction, so
     * that later transactions rarely need mdb_dbi_open. */
    MDB_cursor *c;
    if ((rc = mdb_cursor_open(t->txn, s->core[CORE_FEEDS], &c)) != 0)
        return store__err(t, rc);
    int r = CF_OK;
    for (rc = mdb_cursor_get(c, &k, &v, MDB_FIRST); rc == 0;
         rc = mdb_cursor_get(c, &k, &v, MDB_NEXT)) {
        MDB_dbi dbi;
        if (k.mv_size != 32) {
            r = CF_ESTORE_CORRUPT;
            break;
        }
        r = store__feed_dbi(t, k.mv_data, false, &dbi);
        if (r == CF_ENOTFOUND) r = CF_ESTORE_CORRUPT; /* record, no database */
        if (r != CF_OK) break;
    }
    if (r == CF_OK && rc != MDB_NOTFOUND) r = store__err(t, rc);
    mdb_cursor_close(c);
    return r;
}

int store_open(const char *dir, unsigned flags, store **out)
{
    if (dir == NULL || out == NULL || (flags & ~(unsigned)STORE_RDONLY))
        return CF_EINVAL;
    *out = NULL;
    int r = cf_crypto_init();
    if (r != CF_OK) return r;
    store *s = calloc(1, sizeof *s);
    if (s == NULL) return CF_ENOMEM;
    s->rdonly = (flags & STORE_RDONLY) != 0;
    if ((r = env_open(s, dir)) != CF_OK) {
        free(s);
        return r;
    }
    if (s->rdonly) {
        /* Same steps in a read transaction, committed so the DBIs stay. */
        store_txn *t;
        if ((r = store_read_begin(s, &t)) == CF_OK) {
            r = init_txn(t, NULL);
            if (r == CF_OK) {
                store_read_end(t);
            } else {
                store__txn_cursors_close(t);
                mdb_txn_abort(t->txn);
                txn_ended(t, false);
                free(t);
            }
        }
    } else {
        r = txn_run(s, init_txn, NULL);
    }
    if (r != CF_OK) {
        store_close(s);
        return r;
    }
    *out = s;
    return CF_OK;
}

void store_close(store *s)
{
    if (s == NULL) return;
    CF_ASSERT(s->live_txns == 0);
    spare_drop(s);
    if (s->env) mdb_env_close(s->env);
    free(s->feeds);
    free(s);
}

/* ---- Introspection ------------------------------------------------------- */

int store__feeds_count(store_txn *t, uint32_t *n)
{
    MDB_stat st;
    int rc = mdb_stat(t->txn, store__core(t, CORE_FEEDS), &st);
    if (rc != 0) return store__err(t, rc);
    if (st.ms_entries > STORE_FEEDS_MAX) return CF_ESTORE_CORRUPT;
    *n = (uint32_t)st.ms_entries;
    return CF_OK;
}

int store_get_info(store *s, store_info *out)
{
    MDB_envinfo info;
    MDB_stat st;
    store_txn *t;
    if (s == NULL || out == NULL) return CF_EINVAL;
    int r = store_read_begin(s, &t);
    if (r != CF_OK) return r;
    int rc = mdb_env_info(s->env, &info);
    if (rc == 0) rc = mdb_env_stat(s->env, &st);
    if (rc != 0) {
        r = store__err(NULL, rc);
    } else {
        out->map_bytes = info.me_mapsize;
        out->used_bytes = ((uint64_t)info.me_last_pgno + 1) * st.ms_psize;
        r = store__feeds_count(t, &out->feeds);
    }
    store_read_end(t);
    return r;
}

/* ---- Test support (store_testing.h) -------------------------------------- */

static int raw_dbi(store_txn *t, const char *db, MDB_dbi *dbi)
{
    for (int i = 0; i < CORE__COUNT; i++) {
        if (strcmp(db, core_names[i]) == 0) {
            *dbi = t->s->core[i];
            return CF_OK;
        }
    }
    uint8_t author[32];
    if (strncmp(db, FEED_DB_PREFIX, 5) != 0 ||
        cf_hex_decode(db + 5, strlen(db + 5), author, 32) != CF_OK)
        return CF_EINVAL;
    return store__feed_dbi(t, author, false, dbi);
}

int store_testing_raw_put(store_txn *t, const char *db, const void *key,
                          size_t klen, const void *val, size_t vlen)
{
    MDB_dbi dbi;
    static const uint8_t empty[1];
    if (t == NULL || db == NULL || key == NULL || klen == 0 ||
        klen > STORE_KEY_BYTES_MAX || (val == NULL && vlen))
        return CF_EINVAL;
    if (!t->writable) return CF_ESTORE_READONLY;
    int r = raw_dbi(t, db, &dbi);
    if (r != CF_OK) return r;
    MDB_val k = {klen, (void *)key}, v = {vlen, vlen ? (void *)val : (void *)empty};
    return store__werr(t, mdb_put(t->txn, dbi, &k, &v, 0));
}

int store_testing_raw_del(store_txn *t, const char *db, const void *key,
                          size_t klen)
{
    MDB_dbi dbi;
    if (t == NULL || db == NULL || key == NULL || klen == 0 ||
        klen > STORE_KEY_BYTES_MAX)
        return CF_EINVAL;
    if (!t->writable) return CF_ESTORE_READONLY;
    int r = raw_dbi(t, db, &dbi);
    if (r != CF_OK) return r;
    MDB_val k = {klen, (void *)key};
    int rc = mdb_del(t->txn, dbi, &k, NULL);
    return rc == MDB_NOTFOUND ? CF_ENOTFOUND : store__werr(t, rc);
}
