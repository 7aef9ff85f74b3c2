/* bundle_fixture.h — what the bundle tests share (test_bundle.c: writing
 * and reading back; test_bundle_read.c: what the reader refuses).
 *
 * Bundles are built two ways: with the writer, and by hand with a small
 * in-test encoder (mb_*) that can also produce every defect. Test feeds
 * (struct tfeed) carry real signed checkpoints under one origin (ORIGIN) by
 * keys derived from a one-byte id, deterministic entries, and the sizes of
 * their earlier checkpoints (K records). Every read check runs through both
 * the memory and the FILE* reader. Random tests print their seed; set
 * COFUND_SEED=<n> to replay one run.
 */
#ifndef COFUND_BUNDLE_FIXTURE_H
#define COFUND_BUNDLE_FIXTURE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "bundle/bundle.h"
#include "crypto/note.h"
#include "ledger/diag.h"

#define FEEDS_MAX 8
#define FORKS_MAX 4
#define FORK_BYTES_MAX 64
/* K records per test feed. */
#define KS_MAX 4
/* Test entries are 1..ENTRY_TEST_BYTES_MAX bytes: small bundles stay small. */
#define ENTRY_TEST_BYTES_MAX 300
#define MB_BYTES_MAX (512 * 1024)
/* Bounds every read loop: a reader that never stops is a failure. */
#define RECORDS_MAX 100000
#define ORIGIN "example.com/cofund-test"

extern uint64_t g_seed;
uint64_t rng_next(uint64_t *s);
/* Sets g_seed from $COFUND_SEED or the clock, prints it, returns it. */
uint64_t fixture_seed(const char *name);

/* ---- a temporary directory per test group (cmocka setup/teardown) ------ */
extern char g_dir[64];
int dir_setup(void **state);
int dir_teardown(void **state);
void dir_path(char *out, size_t cap, const char *name);
bool exists(const char *path);
/* The whole file (at most MB_BYTES_MAX bytes), malloc'ed. */
uint8_t *slurp(const char *path, size_t *len);

/* ---- test feeds and bundles ---------------------------------------------- */
struct tfeed {
    uint8_t id; /* the checkpoint key derives from it; author = 32 × id */
    uint8_t author[32];
    uint64_t from, size;
    char ckpt[NOTE_BYTES_MAX + 1];
    size_t ckpt_len;
    uint64_t entry_seed; /* the entries' bytes derive from it */
    size_t nks;
    uint64_t ks[KS_MAX]; /* sizes of its K records, increasing, below size */
};

struct tbundle {
    uint8_t net[32];
    size_t nfeeds;
    struct tfeed feeds[FEEDS_MAX];
    size_t nforks;
    uint8_t forks[FORKS_MAX][FORK_BYTES_MAX];
    size_t fork_len[FORKS_MAX];
};

/* A real signed checkpoint of tree size `size` by a key derived from id,
 * under ORIGIN or another origin. */
size_t make_ckpt(uint8_t id, uint64_t size, char *out, size_t cap);
size_t make_ckpt_origin(uint8_t id, const char *origin, uint64_t size, char *out, size_t cap);
void make_feed(struct tfeed *f, uint8_t id, uint64_t from, uint64_t size);
/* Deterministic entry bytes for (feed, index). */
size_t entry_bytes(const struct tfeed *f, uint64_t index, uint8_t *out);
/* A fork "proof": any canonical CBOR item will do for the file layer. */
void make_fork(struct tbundle *tb, uint8_t id);
void tbundle_init(struct tbundle *tb);
/* Write tb with the writer; every call must succeed. */
void write_tbundle(const char *path, const struct tbundle *tb);
/* Read r to the end and compare every record with tb. */
void check_tbundle(bundle_reader *r, const struct tbundle *tb, uint64_t total);
/* Write tb to dir/name, read it back with both readers. */
void roundtrip(const struct tbundle *tb, const char *name);
/* H, one feed (from 1, size 3: two entries, a K record of size 2), one
 * fork, Z: ~750 bytes. */
void small_tbundle(struct tbundle *tb);

/* ---- hand-built bundles -------------------------------------------------- */
typedef struct {
    uint8_t buf[MB_BYTES_MAX];
    size_t len;
} mbuf;

extern mbuf g_mb;
void mb_raw(mbuf *m, const void *p, size_t n);
void mb_init(mbuf *m); /* the magic */
/* A record whose head declares `declared` bytes and carries n. */
void mb_record_len(mbuf *m, uint8_t type, uint32_t declared, const void *p, size_t n);
void mb_record(mbuf *m, uint8_t type, const void *p, size_t n);
void mb_header_v(mbuf *m, uint64_t v, const uint8_t net[32]);
void mb_feed_raw(mbuf *m, uint64_t from, const uint8_t author[32], const char *ck,
                 size_t ck_len);
/* The feed record and its entries [f->from, upto) (no K records). */
void mb_feed_upto(mbuf *m, const struct tfeed *f, uint64_t upto);
/* A K record: the checkpoint of size `size` by the key of id, under ORIGIN. */
void mb_ckpt(mbuf *m, uint8_t id, uint64_t size);
void mb_end_hash(mbuf *m, uint64_t feeds, uint64_t entries, const uint8_t hash[32]);
/* The end record with the true hash of everything so far. */
void mb_end(mbuf *m, uint64_t feeds, uint64_t entries);
/* tb, record by record, as the writer must write it. */
void mb_tbundle(mbuf *m, const struct tbundle *tb);

/* ---- reading --------------------------------------------------------------- */
/* Read p[0..len) to the end with the memory or the FILE* reader; returns the
 * final code (1 or an error) and the number of records before it. */
int read_all(const uint8_t *p, size_t len, bool use_file, diag *d, size_t *nrec);
/* Both readers reject p[0..len) with CF_EBUNDLE and a message holding want. */
void expect_bad_at(const uint8_t *p, size_t len, const char *want, int line);
#define expect_bad(p, len, want) expect_bad_at(p, len, want, __LINE__)
/* Both readers read p[0..len) to its end. */
void expect_good(const uint8_t *p, size_t len);

#endif
