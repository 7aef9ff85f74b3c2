/* store_fixture.h — what the test_store_* files share: deterministic test
 * entries and their authors, an in-memory Merkle tree to compare the store
 * with, a store_write callback that appends a batch, a check of a whole
 * feed, and a cmocka fixture with a fresh store in a temporary directory.
 */
#ifndef COFUND_STORE_FIXTURE_H
#define COFUND_STORE_FIXTURE_H

#include <stddef.h>
#include <stdint.h>

#include "crypto/merkle.h"
#include "store/store.h"
#include "testutil.h"

#define H MERKLE_HASH_BYTES
/* Leaves remembered in memory by one test (the largest feed we build). */
#define LEAVES_MAX 6000
/* Test entries: a tag, the index, then filler; at most this long except for
 * the explicit limit tests. */
#define ENTRY_TEST_BYTES_MAX 1200

/* The author of feed `tag`: 32 bytes derived from the tag. */
void author_of(uint8_t tag, uint8_t author[32]);

/* Deterministic, distinct entries: tag, index, filler; 10 .. 10 + 199 bytes,
 * or `big` bytes when big is non-zero. Returns the length. */
size_t make_entry(uint8_t tag, uint64_t i, size_t big, uint8_t buf[ENTRY_TEST_BYTES_MAX]);

/* Every perfect subtree of a tree built in memory, by (height, position). */
typedef struct {
    uint64_t size;
    merkle_stream stream;
    uint8_t (*nodes[14])[H]; /* nodes[h][i]: 2^13 > LEAVES_MAX */
} memtree;

memtree *memtree_new(void);
void memtree_free(memtree *m);
void memtree_push(memtree *m, const uint8_t *entry, size_t len);
/* A merkle_get_fn over a memtree (ctx). */
int memtree_get(void *ctx, unsigned level, uint64_t index, uint8_t out[H]);

/* A batch for append_fn: entries from..from+count-1 of feed `tag`. */
typedef struct {
    uint8_t author[32];
    uint8_t tag;
    uint64_t from, count;
    size_t big;      /* entry size, 0 = varied */
    int fail_with;   /* returned after appending, to force an abort */
    unsigned calls;  /* how often store_write ran the callback */
    uint8_t root[H]; /* root after the batch */
} append_job;

/* A store_write callback (arg: append_job). */
int append_fn(store_txn *txn, void *arg);

/* Appends entries from..from+count-1 of feed `tag` in one transaction; the
 * root after it goes to root when not NULL. */
int append_batch(store *s, uint8_t tag, uint64_t from, uint64_t count, uint8_t root[H]);

/* Every entry and leaf of feed `tag` matches make_entry, and the root at the
 * feed's size matches the memtree built from the same entries. */
void check_feed(store *s, uint8_t tag, uint64_t size, size_t big);

/* A store_write callback: puts the key arg (a string) with value "kept" in
 * the state table. */
int kv_put_fn(store_txn *t, void *arg);

/* A fresh store in a fresh temporary directory, for cmocka's
 * setup/teardown: *state is a fixture. */
typedef struct {
    char dir[TU_PATH_BYTES];
    store *s;
} fixture;

int fx_setup(void **state);
int fx_teardown(void **state);

#endif
