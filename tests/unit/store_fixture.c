/* store_fixture.c — what the test_store_* files share (store_fixture.h). */
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "crypto/cf_error.h"
#include "crypto/cf_util.h"
#include "crypto/merkle.h"
#include "store/store.h"
#include "store_fixture.h"
#include "testutil.h"

void author_of(uint8_t tag, uint8_t author[32])
{
    for (int i = 0; i < 32; i++) author[i] = (uint8_t)(tag * 7 + i);
}

size_t make_entry(uint8_t tag, uint64_t i, size_t big,
                         uint8_t buf[ENTRY_TEST_BYTES_MAX])
{
    size_t len = big ? big : 10 + (size_t)((i * 37 + tag) % 200);
    assert_true(len <= ENTRY_TEST_BYTES_MAX && len >= 9);
    buf[0] = tag;
    cf_put_be64(buf + 1, i);
    for (size_t j = 9; j < len; j++) buf[j] = (uint8_t)(i * 131 + j * 17 + tag);
    return len;
}

memtree *memtree_new(void)
{
    memtree *m = calloc(1, sizeof *m);
    assert_non_null(m);
    merkle_stream_init(&m->stream);
    for (unsigned h = 0; h < 14; h++) {
        m->nodes[h] = calloc((LEAVES_MAX >> h) + 1, H);
        assert_non_null(m->nodes[h]);
    }
    return m;
}

void memtree_free(memtree *m)
{
    for (unsigned h = 0; h < 14; h++) free(m->nodes[h]);
    free(m);
}

void memtree_push(memtree *m, const uint8_t *entry, size_t len)
{
    uint8_t leaf[H], done[65][H];
    unsigned nd;
    assert_true(m->size < LEAVES_MAX);
    merkle_leaf_hash(entry, len, leaf);
    merkle_stream_push(&m->stream, leaf, done, &nd);
    for (unsigned h = 0; h < nd; h++)
        memcpy(m->nodes[h][m->size >> h], done[h], H);
    m->size++;
}

int memtree_get(void *ctx, unsigned level, uint64_t index, uint8_t out[H])
{
    memtree *m = ctx;
    assert_true(level < 14);
    assert_true(((index + 1) << level) <= m->size);
    memcpy(out, m->nodes[level][index], H);
    return CF_OK;
}

int append_fn(store_txn *txn, void *arg)
{
    append_job *j = arg;
    store_appender a;
    uint8_t buf[ENTRY_TEST_BYTES_MAX];
    int r;
    j->calls++;
    if ((r = store_append_begin(txn, j->author, &a)) != CF_OK) return r;
    if (store_append_size(&a) != j->from) return CF_EINVAL;
    for (uint64_t k = 0; k < j->count; k++) {
        size_t len = make_entry(j->tag, j->from + k, j->big, buf);
        if ((r = store_append(&a, buf, len, NULL)) != CF_OK) return r;
    }
    if ((r = store_append_finish(&a, j->root)) != CF_OK) return r;
    return j->fail_with;
}

int append_batch(store *s, uint8_t tag, uint64_t from, uint64_t count,
                        uint8_t root[H])
{
    append_job j = {.tag = tag, .from = from, .count = count};
    author_of(tag, j.author);
    int r = store_write(s, append_fn, &j);
    if (r == CF_OK && root) memcpy(root, j.root, H);
    return r;
}

void check_feed(store *s, uint8_t tag, uint64_t size, size_t big)
{
    store_txn *t;
    uint8_t author[32], buf[ENTRY_TEST_BYTES_MAX], leaf[H], want[H], root[H];
    author_of(tag, author);
    memtree *m = memtree_new();
    assert_int_equal(store_read_begin(s, &t), CF_OK);
    store_feed f;
    assert_int_equal(store_feed_get(t, author, &f), CF_OK);
    assert_int_equal(f.size, size);
    for (uint64_t i = 0; i < size; i++) {
        const uint8_t *e;
        size_t len, wl = make_entry(tag, i, big, buf);
        assert_int_equal(store_entry_get(t, author, i, &e, &len), CF_OK);
        assert_int_equal(len, wl);
        assert_memory_equal(e, buf, len);
        assert_int_equal(store_leaf_get(t, author, i, leaf), CF_OK);
        merkle_leaf_hash(buf, len, want);
        assert_memory_equal(leaf, want, H);
        memtree_push(m, buf, len);
    }
    const uint8_t *e;
    size_t len;
    assert_int_equal(store_entry_get(t, author, size, &e, &len), CF_ENOTFOUND);
    assert_int_equal(store_root(t, author, size, root), CF_OK);
    merkle_stream_root(&m->stream, want);
    assert_memory_equal(root, want, H);
    store_read_end(t);
    memtree_free(m);
}

int kv_put_fn(store_txn *t, void *arg)
{
    const char *k = arg;
    return store_kv_put(t, STORE_T_STATE, k, strlen(k), "kept", 4);
}

int fx_setup(void **state)
{
    fixture *fx = calloc(1, sizeof *fx);
    if (fx == NULL) return -1;
    tu_tmpdir(fx->dir, "test-store");
    if (store_open(fx->dir, 0, &fx->s) != CF_OK) return -1;
    *state = fx;
    return 0;
}

int fx_teardown(void **state)
{
    fixture *fx = *state;
    store_close(fx->s);
    tu_rm_rf(fx->dir);
    free(fx);
    return 0;
}
