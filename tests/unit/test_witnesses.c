/* test_witnesses.c — who witnesses a feed (node/home/ingest.h,
 * INGEST_WITNESSES): ingest_witnesses_wanted counts the open members other
 * than the author, at most INGEST_WITNESSES, and exactly that many members
 * answer yes to ingest_is_witness — the author, a closed key and a key that
 * is not a member never do. A node takes a checkpoint with that many
 * cosignatures as holding its full set (docs/protocol.md §4 "Witnesses"):
 * if the two disagreed, lines would wait for a set that never fills, or go
 * down a feed's tree before it is full. Member sets from 0 to 12, some
 * closed, drawn from a seed (printed).
 *
 * Who keeps a feed's lines as its node replicates it (ingest_keeps_lines):
 * its author, its witnesses, the open auditors and the governance — nobody
 * else, so that checking lines costs the homes that need them, not every
 * home. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "crypto/cf_error.h"
#include "home/ingest.h"
#include "ledger/memkv.h"
#include "ledger/state.h"
#include "testutil.h"

static uint64_t seed;

static void put_member_as(const ledger_kv *kv, const uint8_t key[32], bool closed,
                          enum member_role role)
{
    static unsigned count;
    state_member m;
    memset(&m, 0, sizeof m);
    memcpy(m.key, key, 32);
    memcpy(m.identity, key, 32);
    m.role = role;
    snprintf(m.name, sizeof m.name, "m%u", count++);
    m.closed = closed;
    assert_int_equal(state_member_put(kv, &m), CF_OK);
}

static void put_member(const ledger_kv *kv, const uint8_t key[32], bool closed)
{
    put_member_as(kv, key, closed, ROLE_INVESTOR);
}

static void random_key(uint64_t *rng, uint8_t key[32])
{
    for (int i = 0; i < 32; i += 8) {
        uint64_t w = tu_rng_next(rng);
        memcpy(key + i, &w, 8);
    }
}

/* One network: `open` open members besides the author, `closed` closed
 * ones, the author a member or not. */
static void check_network(uint64_t *rng, unsigned open, unsigned closed, bool author_member)
{
    enum { KEYS_MAX = 24 };
    uint8_t author[32], keys[KEYS_MAX][32], stranger[32];
    memkv *m = memkv_new(tu_rng_next(rng));
    ledger_kv kv;
    assert_non_null(m);
    memkv_bind(m, &kv);
    random_key(rng, author);
    random_key(rng, stranger);
    if (author_member) put_member(&kv, author, false);
    for (unsigned i = 0; i < open + closed; i++) {
        random_key(rng, keys[i]);
        put_member(&kv, keys[i], i >= open);
    }
    unsigned want = open < INGEST_WITNESSES ? open : INGEST_WITNESSES;
    assert_int_equal(ingest_witnesses_wanted(&kv, author), want);
    unsigned yes = 0;
    for (unsigned i = 0; i < open + closed; i++) {
        bool w = ingest_is_witness(&kv, author, keys[i]);
        if (i >= open) assert_false(w); /* closed keys witness nothing */
        yes += w;
    }
    assert_int_equal(yes, want);
    assert_false(ingest_is_witness(&kv, author, author));
    assert_false(ingest_is_witness(&kv, author, stranger));
    memkv_free(m);
}

static void test_wanted_matches_the_witnesses(void **state)
{
    (void)state;
    uint64_t rng = seed;
    for (unsigned open = 0; open <= 12; open++)
        for (unsigned closed = 0; closed <= 3; closed++) {
            check_network(&rng, open, closed, true);
            check_network(&rng, open, closed, false);
        }
}

/* An empty state: no member, nobody to wait for. */
static void test_no_members(void **state)
{
    (void)state;
    uint8_t author[32] = {1};
    memkv *m = memkv_new(seed);
    ledger_kv kv;
    assert_non_null(m);
    memkv_bind(m, &kv);
    assert_int_equal(ingest_witnesses_wanted(&kv, author), 0);
    memkv_free(m);
}

/* Keepers of a feed's lines: the author, the witnesses, the open auditors
 * (one auditor that witnesses the feed or not, one closed) and the
 * governance (when the network record names it: gov); every other member,
 * a closed auditor and a stranger keep nothing. */
static void check_keepers(uint64_t *rng, unsigned open, bool gov)
{
    enum { KEYS_MAX = 16 };
    uint8_t author[32], keys[KEYS_MAX][32], aud[32], old_aud[32], stranger[32], city[32];
    memkv *m = memkv_new(tu_rng_next(rng));
    ledger_kv kv;
    ingest_witness_cache cache[KEYS_MAX + 4];
    assert_non_null(m);
    memkv_bind(m, &kv);
    memset(cache, 0, sizeof cache);
    random_key(rng, author);
    random_key(rng, aud);
    random_key(rng, old_aud);
    random_key(rng, stranger);
    random_key(rng, city);
    if (gov) {
        state_network n;
        memset(&n, 0, sizeof n);
        memcpy(n.gov_key, city, 32);
        assert_int_equal(state_network_put(&kv, &n), CF_OK);
    }
    put_member(&kv, author, false);
    put_member_as(&kv, aud, false, ROLE_AUDITOR);
    put_member_as(&kv, old_aud, true, ROLE_AUDITOR);
    for (unsigned i = 0; i < open; i++) {
        random_key(rng, keys[i]);
        put_member(&kv, keys[i], false);
    }
    assert_true(ingest_keeps_lines(&kv, author, NULL, author));
    assert_true(ingest_keeps_lines(&kv, aud, NULL, author));
    assert_true(ingest_keeps_lines(&kv, aud, &cache[KEYS_MAX], author));
    assert_false(ingest_keeps_lines(&kv, old_aud, NULL, author));
    assert_false(ingest_keeps_lines(&kv, stranger, NULL, author));
    assert_int_equal(ingest_keeps_lines(&kv, city, NULL, author), gov);
    unsigned keepers = 0, witnesses = ingest_is_witness(&kv, author, aud);
    for (unsigned i = 0; i < open; i++) {
        bool w = ingest_is_witness(&kv, author, keys[i]);
        bool k = ingest_keeps_lines(&kv, keys[i], NULL, author);
        /* Twice through a cache: decided, then remembered. */
        for (int t = 0; t < 2; t++)
            assert_int_equal(ingest_keeps_lines(&kv, keys[i], &cache[i], author), k);
        assert_int_equal(k, w);
        keepers += k;
        witnesses += w;
    }
    unsigned want = open + 1 < INGEST_WITNESSES ? open + 1 : INGEST_WITNESSES;
    assert_int_equal(witnesses, want); /* the auditor may be one of them */
    assert_int_equal(keepers, witnesses - ingest_is_witness(&kv, author, aud));
    for (size_t i = 0; i < sizeof cache / sizeof *cache; i++) ingest_witness_cache_free(&cache[i]);
    memkv_free(m);
}

static void test_keepers(void **state)
{
    (void)state;
    uint64_t rng = seed;
    for (unsigned open = 0; open <= 12; open++)
        for (int rep = 0; rep < 4; rep++) check_keepers(&rng, open, rep % 2 == 1);
}

int main(void)
{
    seed = tu_seed("test_witnesses");
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_wanted_matches_the_witnesses),
        cmocka_unit_test(test_no_members),
        cmocka_unit_test(test_keepers),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
