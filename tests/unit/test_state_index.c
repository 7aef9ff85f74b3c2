/* test_state_index.c — the register's index (node/ledger/state_index.c):
 * records put in any order are walked newest first, by (time, author
 * bytewise, index), with state_entry_index_floor and state_entry_at_below —
 * across authors whose bytes end in 0x00 and 0xff (the borrow), index 0 and
 * the greatest index, time 0; one type's walk never sees another's; the
 * audit's latest-only state keeps none. Seeded (printed). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <cmocka.h>

#include "crypto/cf_error.h"
#include "ledger/memkv.h"
#include "ledger/state.h"

#define N 400

static uint64_t rng;
static uint64_t next(void)
{
    rng ^= rng << 13;
    rng ^= rng >> 7;
    rng ^= rng << 17;
    return rng;
}

static int cmp_at(const void *a, const void *b)
{
    const state_entry_at *x = a, *y = b;
    if (x->time_ms != y->time_ms) return x->time_ms < y->time_ms ? -1 : 1;
    int d = memcmp(x->author, y->author, 32);
    if (d) return d;
    return x->index < y->index ? -1 : x->index > y->index;
}

static void put(const ledger_kv *kv, enum entry_type type, const state_entry_at *at)
{
    entry e = {.type = type, .time_ms = at->time_ms, .index = at->index};
    memcpy(e.author, at->author, 32);
    assert_int_equal(state_entry_index_put(kv, &e), CF_OK);
}

static void test_walk_newest_first(void **state)
{
    (void)state;
    static state_entry_at want[N];
    memkv *m = memkv_new(1);
    ledger_kv kv;
    assert_non_null(m);
    memkv_bind(m, &kv);
    for (size_t i = 0; i < N; i++) {
        state_entry_at *a = &want[i];
        a->time_ms = next() % 5; /* ties on time: author and index decide */
        memset(a->author, (next() & 1) ? 0xff : 0x00, 32);
        a->author[31] = (uint8_t)(next() % 3); /* 0x..00, 01, 02: borrows */
        a->author[0] = (uint8_t)(next() % 2 ? 0xff : 0);
        uint64_t r = next() % 4;
        a->index = r == 0 ? 0 : r == 1 ? UINT64_MAX : next() % 8;
        put(&kv, ENTRY_CONTRIBUTION, a);
        state_entry_at other = *a; /* the same place under another type */
        put(&kv, ENTRY_MATCH, &other);
    }
    /* duplicates collapse to one record, as keys do */
    qsort(want, N, sizeof *want, cmp_at);
    size_t n = 0;
    for (size_t i = 0; i < N; i++)
        if (n == 0 || cmp_at(&want[n - 1], &want[i]) != 0) want[n++] = want[i];
    state_entry_at at = {.time_ms = UINT64_MAX, .index = UINT64_MAX}, got;
    memset(at.author, 0xff, 32);
    size_t k = n;
    for (;;) {
        int err = state_entry_index_floor(&kv, ENTRY_CONTRIBUTION, &at, &got);
        if (err == CF_ENOTFOUND) break;
        assert_int_equal(err, CF_OK);
        assert_true(k > 0);
        k--;
        assert_int_equal(cmp_at(&got, &want[k]), 0);
        at = got;
        if (!state_entry_at_below(&at)) break;
    }
    assert_int_equal(k, 0);
    /* an exit was never put: its walk finds nothing */
    at = (state_entry_at){.time_ms = UINT64_MAX, .index = UINT64_MAX};
    memset(at.author, 0xff, 32);
    assert_int_equal(state_entry_index_floor(&kv, ENTRY_EXIT, &at, &got), CF_ENOTFOUND);
    memkv_free(m);
}

static void test_below_least(void **state)
{
    (void)state;
    state_entry_at at = {0};
    assert_false(state_entry_at_below(&at)); /* (0, 00…00, 0) is the least */
    at.index = 1;
    assert_true(state_entry_at_below(&at));
    assert_int_equal(at.index, 0);
    at = (state_entry_at){.time_ms = 7};
    at.author[31] = 1;
    assert_true(state_entry_at_below(&at)); /* index borrows from the author */
    assert_int_equal(at.index, UINT64_MAX);
    assert_int_equal(at.author[31], 0);
    assert_int_equal(at.time_ms, 7);
    at = (state_entry_at){.time_ms = 7};
    assert_true(state_entry_at_below(&at)); /* and the author from the time */
    assert_int_equal(at.time_ms, 6);
    for (size_t i = 0; i < 32; i++) assert_int_equal(at.author[i], 0xff);
}

static void test_latest_only_keeps_none(void **state)
{
    (void)state;
    memkv *m = memkv_new(2);
    ledger_kv kv;
    assert_non_null(m);
    memkv_bind(m, &kv);
    kv.latest_only = true;
    state_entry_at at = {.time_ms = 5, .index = 3};
    put(&kv, ENTRY_CONTRIBUTION, &at);
    assert_int_equal(memkv_count(m), 0);
    memkv_free(m);
}

int main(void)
{
    rng = (uint64_t)time(NULL) | 1;
    const char *s = getenv("COFUND_SEED");
    if (s) rng = strtoull(s, NULL, 10) | 1;
    printf("seed %llu (COFUND_SEED replays it)\n", (unsigned long long)rng);
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_walk_newest_first),
        cmocka_unit_test(test_below_least),
        cmocka_unit_test(test_latest_only_keeps_none),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
