/* test_own_feed.c — the behind mark and the last comparison of a home's own
 * feed (node/home/own_feed.h; docs/operations.md "The backup rule"): a
 * checkpoint signed by the home's key and larger than its feed is recorded,
 * one signed by another key or for another network is refused and records
 * nothing, a smaller one never lowers the mark, and the mark goes once the
 * feed holds that many entries or is proven forked. */
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "bundle/ckpt.h"
#include "crypto/cf_error.h"
#include "crypto/cf_util.h"
#include "crypto/merkle.h"
#include "home/own_feed.h"
#include "testutil.h"

static uint8_t g_net[32], g_self[32], g_self_sk[64], g_other[32], g_other_sk[64];

typedef struct {
    char dir[TU_PATH_BYTES];
    store *st;
} fix;

static void keypair(uint8_t seed_byte, uint8_t sk[64], uint8_t pk[32])
{
    uint8_t seed[32];
    memset(seed, seed_byte, sizeof seed);
    assert_int_equal(cf_ed25519_keypair_from_seed(seed, pk, sk), CF_OK);
}

static int setup(void **state)
{
    static fix f;
    memset(g_net, 0x5a, sizeof g_net);
    keypair(1, g_self_sk, g_self);
    keypair(2, g_other_sk, g_other);
    tu_tmpdir(f.dir, "own_feed");
    assert_int_equal(store_open(f.dir, 0, &f.st), CF_OK);
    *state = &f;
    return 0;
}

static int teardown(void **state)
{
    fix *f = *state;
    store_close(f->st);
    tu_rm_rf(f->dir);
    return 0;
}

/* A checkpoint of size n of g_self's feed, signed by sk, in network net. */
static size_t sign(const uint8_t net[32], const uint8_t sk[64], uint64_t n, char *out)
{
    uint8_t root[32];
    size_t len;
    memset(root, (int)n, sizeof root);
    assert_int_equal(ckpt_sign(net, g_self, sk, n, root, out, CKPT_SIGNED_BYTES_MAX, &len),
                     CF_OK);
    return len;
}

struct note_job {
    const uint8_t *net;
    const char *ckpt;
    size_t len;
    const char *who;
    uint64_t now;
    own_feed_ahead res;
    diag d;
};

static int note_txn(store_txn *txn, void *arg)
{
    struct note_job *j = arg;
    return own_feed_note_ahead(txn, j->net, g_self, j->ckpt, j->len, j->who, j->now, &j->res,
                               &j->d);
}

/* A checkpoint of size n signed by sk for network net, shown to the home
 * (of network g_net). */
static int note_ahead(fix *f, const uint8_t net[32], const uint8_t sk[64], uint64_t n,
                      const char *who, uint64_t now, own_feed_ahead *res)
{
    static char ckpt[CKPT_SIGNED_BYTES_MAX];
    struct note_job j = {g_net, ckpt, 0, who, now, {0}, {0}};
    j.len = sign(net, sk, n, ckpt);
    int err = store_write(f->st, note_txn, &j);
    if (res) *res = j.res;
    return err;
}

static int behind(fix *f, own_feed_mark *m)
{
    store_txn *txn;
    assert_int_equal(store_read_begin(f->st, &txn), CF_OK);
    int err = own_feed_behind_get(txn, m);
    store_read_end(txn);
    return err;
}

/* Append n entries to g_self's feed. */
static int append_txn(store_txn *txn, void *arg)
{
    uint64_t n = *(const uint64_t *)arg;
    store_appender a;
    uint8_t root[32], e[8];
    int err = store_append_begin(txn, g_self, &a);
    for (uint64_t i = 0; err == CF_OK && i < n; i++) {
        cf_put_be64(e, store_append_size(&a));
        err = store_append(&a, e, sizeof e, NULL);
    }
    return err ? err : store_append_finish(&a, root);
}

struct settle_job {
    bool cleared;
    uint64_t held;
};

static int settle_txn(store_txn *txn, void *arg)
{
    struct settle_job *s = arg;
    return own_feed_settle(txn, g_self, &s->cleared, &s->held);
}

static void test_behind_mark(void **state)
{
    fix *f = *state;
    own_feed_ahead r;
    own_feed_mark m;
    assert_int_equal(behind(f, &m), CF_ENOTFOUND);
    /* rejecting: another key's signature, another network — nothing written */
    assert_int_equal(note_ahead(f, g_net, g_other_sk, 5, "mallory", 1000, NULL), CF_EVERIFY);
    uint8_t net2[32];
    memset(net2, 0x33, sizeof net2);
    assert_int_equal(note_ahead(f, net2, g_self_sk, 5, "mallory", 1000, NULL), CF_EVERIFY);
    assert_int_equal(behind(f, &m), CF_ENOTFOUND);
    /* accepting: our key, larger than the feed (empty) */
    assert_int_equal(note_ahead(f, g_net, g_self_sk, 5, "fund", 1000, &r), CF_OK);
    assert_true(r.behind && r.news);
    assert_int_equal(r.size, 5);
    assert_int_equal(r.held, 0);
    assert_int_equal(behind(f, &m), CF_OK);
    assert_int_equal(m.size, 5);
    assert_int_equal(m.time_ms, 1000);
    assert_string_equal(m.who, "fund");
    /* a smaller one is behind too, but never lowers the mark */
    assert_int_equal(note_ahead(f, g_net, g_self_sk, 3, "aud", 2000, &r), CF_OK);
    assert_true(r.behind && !r.news);
    assert_int_equal(behind(f, &m), CF_OK);
    assert_int_equal(m.size, 5);
    assert_string_equal(m.who, "fund");
    /* a larger one raises it */
    assert_int_equal(note_ahead(f, g_net, g_self_sk, 7, "aud", 3000, &r), CF_OK);
    assert_true(r.news);
    assert_int_equal(behind(f, &m), CF_OK);
    assert_int_equal(m.size, 7);
    /* settle: kept while the feed holds fewer, gone once it holds as many */
    struct settle_job s;
    uint64_t n = 6;
    assert_int_equal(store_write(f->st, append_txn, &n), CF_OK);
    assert_int_equal(store_write(f->st, settle_txn, &s), CF_OK);
    assert_false(s.cleared);
    assert_int_equal(s.held, 6);
    assert_int_equal(behind(f, &m), CF_OK);
    n = 1;
    assert_int_equal(store_write(f->st, append_txn, &n), CF_OK);
    assert_int_equal(store_write(f->st, settle_txn, &s), CF_OK);
    assert_true(s.cleared);
    assert_int_equal(behind(f, &m), CF_ENOTFOUND);
    /* not behind a checkpoint the feed already holds */
    assert_int_equal(note_ahead(f, g_net, g_self_sk, 7, "fund", 4000, &r), CF_OK);
    assert_false(r.behind || r.news);
    assert_int_equal(behind(f, &m), CF_ENOTFOUND);
}

struct cmp_job {
    own_feed_mark m;
    int err;
};

static int compared_txn(store_txn *txn, void *arg)
{
    struct cmp_job *c = arg;
    c->err = own_feed_compared_get(txn, &c->m);
    if (c->err != CF_ENOTFOUND) return CF_OK;
    return own_feed_compared_put(txn, 4, "a bundle", 1234);
}

static void test_compared(void **state)
{
    fix *f = *state;
    struct cmp_job c;
    assert_int_equal(store_write(f->st, compared_txn, &c), CF_OK);
    assert_int_equal(c.err, CF_ENOTFOUND); /* never compared */
    assert_int_equal(store_write(f->st, compared_txn, &c), CF_OK);
    assert_int_equal(c.err, CF_OK);
    assert_int_equal(c.m.size, 4);
    assert_int_equal(c.m.time_ms, 1234);
    assert_string_equal(c.m.who, "a bundle");
}

static int put_bad(store_txn *txn, void *arg)
{
    (void)arg;
    static const uint8_t v[9] = {0};
    return store_kv_put(txn, STORE_T_META, "own.behind", 10, v, sizeof v);
}

static void test_damaged_mark(void **state)
{
    fix *f = *state;
    own_feed_mark m;
    assert_int_equal(store_write(f->st, put_bad, NULL), CF_OK);
    assert_int_equal(behind(f, &m), CF_ESTORE_CORRUPT);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_behind_mark, setup, teardown),
        cmocka_unit_test_setup_teardown(test_compared, setup, teardown),
        cmocka_unit_test_setup_teardown(test_damaged_mark, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
