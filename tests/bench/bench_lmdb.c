/* bench_lmdb.c — the baselines: the raw cost of the same hashing and LMDB
 * work that cofund does, measured in the same run.
 *
 * This file includes lmdb.h directly. The layering rule (only store/ talks
 * to LMDB) binds product code; this is the benchmark harness, and its
 * baseline must be LMDB with nothing of ours around it.
 *
 * The environment is opened like the store opens its own (store/store.c):
 * MDB_NOTLS and no other flags, so every commit is durable (fsync), the
 * default LMDB sync the store uses. The map is sized up front so the
 * baseline never grows it.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include <lmdb.h>

#include "bench.h"
#include "crypto/cf_util.h"
#include "crypto/merkle.h"

#define ENV_MAP_BYTES ((size_t)8 << 30) /* sparse; far above any baseline here */
#define BUNDLE_MAGIC_LEN 16
#define RECORD_PAYLOAD_MAX (64u * 1024)

struct bench_env {
    MDB_env *env;
    MDB_dbi dbi;
    uint64_t count; /* keys 0 .. count-1 (u64 big-endian) */
};

static void lmdb_check(int rc, const char *what)
{
    if (rc != 0) bench_die("baseline %s: %s", what, mdb_strerror(rc));
}

bench_env *bench_env_open(const char *dir)
{
    bench_env *e = calloc(1, sizeof *e);
    MDB_txn *txn;
    if (e == NULL) bench_die("out of memory");
    if (mkdir(dir, 0700) != 0 && errno != EEXIST) bench_die("mkdir %s: %s", dir, strerror(errno));
    lmdb_check(mdb_env_create(&e->env), "env_create");
    lmdb_check(mdb_env_set_mapsize(e->env, ENV_MAP_BYTES), "set_mapsize");
    lmdb_check(mdb_env_open(e->env, dir, MDB_NOTLS, 0600), "env_open");
    lmdb_check(mdb_txn_begin(e->env, NULL, 0, &txn), "txn_begin");
    lmdb_check(mdb_dbi_open(txn, NULL, 0, &e->dbi), "dbi_open");
    lmdb_check(mdb_txn_commit(txn), "commit");
    return e;
}

void bench_env_close(bench_env *e)
{
    if (e == NULL) return;
    mdb_env_close(e->env);
    free(e);
}

uint64_t bench_env_count(bench_env *e)
{
    return e->count;
}

/* The baseline's unit of work, per entry: the RFC 6962 leaf hash (the same
 * merkle_leaf_hash the store uses) and one MDB_APPEND of the bytes. */
static void append_one(MDB_cursor *c, uint64_t index, const uint8_t *bytes, size_t len)
{
    uint8_t key[8], leaf[MERKLE_HASH_BYTES];
    merkle_leaf_hash(bytes, len, leaf);
    cf_put_be64(key, index);
    MDB_val k = {sizeof key, key}, v = {len, (void *)bytes};
    lmdb_check(mdb_cursor_put(c, &k, &v, MDB_APPEND), "append");
    /* Keep the hash observable so it is not optimised away. */
    __asm__ volatile("" : : "r"(leaf) : "memory");
}

void bench_env_append(bench_env *e, const uint8_t *const *bytes, const size_t *lens, size_t n)
{
    MDB_txn *txn;
    MDB_cursor *c;
    lmdb_check(mdb_txn_begin(e->env, NULL, 0, &txn), "txn_begin");
    lmdb_check(mdb_cursor_open(txn, e->dbi, &c), "cursor_open");
    for (size_t i = 0; i < n; i++) append_one(c, e->count + i, bytes[i], lens[i]);
    mdb_cursor_close(c);
    lmdb_check(mdb_txn_commit(txn), "commit");
    e->count += n;
}

static int read_full(FILE *f, void *buf, size_t n)
{
    return fread(buf, 1, n, f) == n ? 0 : -1;
}

uint64_t bench_env_append_bundle(bench_env *e, const char *path)
{
    FILE *f = fopen(path, "rb");
    uint8_t *payload = malloc(RECORD_PAYLOAD_MAX);
    uint8_t magic[BUNDLE_MAGIC_LEN], hdr[5];
    MDB_txn *txn;
    MDB_cursor *c;
    uint64_t n = 0;
    if (f == NULL || payload == NULL) bench_die("baseline: cannot read %s", path);
    if (read_full(f, magic, sizeof magic) != 0) bench_die("baseline: %s: no magic", path);
    lmdb_check(mdb_txn_begin(e->env, NULL, 0, &txn), "txn_begin");
    lmdb_check(mdb_cursor_open(txn, e->dbi, &c), "cursor_open");
    /* record = type (1) || length (u32 BE) || payload; 'Z' ends the file. */
    while (read_full(f, hdr, sizeof hdr) == 0) {
        uint32_t len = cf_get_be32(hdr + 1);
        if (len > RECORD_PAYLOAD_MAX || read_full(f, payload, len) != 0)
            bench_die("baseline: %s: bad record", path);
        if (hdr[0] == 'E') append_one(c, e->count + n++, payload, len);
        if (hdr[0] == 'Z') break;
    }
    mdb_cursor_close(c);
    lmdb_check(mdb_txn_commit(txn), "commit");
    e->count += n;
    fclose(f);
    free(payload);
    return n;
}

void bench_env_gets(bench_env *e, const uint64_t *keys, double *out, size_t n)
{
    MDB_txn *txn;
    lmdb_check(mdb_txn_begin(e->env, NULL, MDB_RDONLY, &txn), "txn_begin");
    for (size_t i = 0; i < n; i++) {
        uint8_t key[8];
        if (keys[i] >= e->count) bench_die("baseline: key %zu out of range", (size_t)keys[i]);
        cf_put_be64(key, keys[i]);
        MDB_val k = {sizeof key, key}, v;
        uint64_t t0 = bench_now_ns();
        int rc = mdb_get(txn, e->dbi, &k, &v);
        uint64_t t1 = bench_now_ns();
        lmdb_check(rc, "get");
        __asm__ volatile("" : : "r"(v.mv_data) : "memory");
        out[i] = (double)(t1 - t0);
    }
    mdb_txn_abort(txn);
}

double bench_env_txn_ns(bench_env *e)
{
    enum { N = 1001 };
    static double t[N];
    for (int i = 0; i < N; i++) {
        MDB_txn *txn;
        uint64_t t0 = bench_now_ns();
        lmdb_check(mdb_txn_begin(e->env, NULL, MDB_RDONLY, &txn), "txn_begin");
        mdb_txn_abort(txn);
        t[i] = (double)(bench_now_ns() - t0);
    }
    return bench_median(t, N);
}
