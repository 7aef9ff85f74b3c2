/* test_state_queue.c — the match queue (state.h, state_queue_put/each;
 * docs/storage.md `c`): what `match --auto` proposes from and what
 * `unmatched` lists.
 *
 * Seeded random contributions (times out of order, several programs,
 * projects, rounds and authors) go into the queue in random order; a scan
 * of one project and round must give exactly its contributions, oldest
 * first (time, then author, then index), and a scan of a whole program all
 * of the program's in that order. The last check is what layout 7 changed:
 * the queue is time-major, so a feed's new contributions are adjacent in
 * the store (layout 6 was project-major and fails it). Prints its seed;
 * COFUND_SEED=<n> replays a run.
 */
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
#include "ledger/memkv.h"
#include "ledger/state.h"
#include "testutil.h"

#define N_CONTRIB 3000

static const char *const programs[] = {"industrial", "tech"};
static const char *const projects[] = {"robotics", "sensors", "a", "ab"};
static const char *const rounds[] = {"A", "B", "seed"};

typedef struct {
    state_contribution c;
    bool seen;
} item;

static item g_items[N_CONTRIB];
static uint64_t g_seed;

static int by_age(const void *a, const void *b)
{
    const state_contribution *x = &((const item *)a)->c, *y = &((const item *)b)->c;
    if (x->time_ms != y->time_ms) return x->time_ms < y->time_ms ? -1 : 1;
    int r = memcmp(x->author, y->author, 32);
    if (r) return r;
    return x->index < y->index ? -1 : x->index > y->index;
}

struct scan {
    const char *program, *project, *round; /* project NULL: the whole program */
    size_t next;                            /* the expected item's position */
};

static bool wanted(const struct scan *s, const state_contribution *c)
{
    return strcmp(c->program, s->program) == 0 &&
           (s->project == NULL || (strcmp(c->project, s->project) == 0 &&
                                   strcmp(c->round, s->round) == 0));
}

/* Each visit must be the next wanted item in age order. */
static int visit(void *arg, const uint8_t author[32], uint64_t index)
{
    struct scan *s = arg;
    while (s->next < N_CONTRIB && !wanted(s, &g_items[s->next].c)) s->next++;
    if (s->next == N_CONTRIB)
        fail_msg("an extra record in %s/%s/%s (seed %llu)", s->program,
                 s->project ? s->project : "*", s->round ? s->round : "*",
                 (unsigned long long)g_seed);
    const state_contribution *c = &g_items[s->next++].c;
    if (memcmp(author, c->author, 32) != 0 || index != c->index)
        fail_msg("out of order in %s/%s/%s at time %llu (seed %llu)", s->program,
                 s->project ? s->project : "*", s->round ? s->round : "*",
                 (unsigned long long)c->time_ms, (unsigned long long)g_seed);
    return CF_OK;
}

static void check_scan(const ledger_kv *kv, const char *program, const char *project,
                       const char *round)
{
    struct scan s = {program, project, round, 0};
    assert_int_equal(state_queue_each(kv, program, project, round, visit, &s), CF_OK);
    while (s.next < N_CONTRIB && !wanted(&s, &g_items[s.next].c)) s.next++;
    if (s.next != N_CONTRIB)
        fail_msg("a record missing from %s/%s/%s (seed %llu)", program,
                 project ? project : "*", round ? round : "*", (unsigned long long)g_seed);
}

static void test_queue_order(void **state)
{
    (void)state;
    uint64_t rng = g_seed;
    uint64_t next_index[3] = {0, 0, 0};
    for (size_t i = 0; i < N_CONTRIB; i++) {
        state_contribution *c = &g_items[i].c;
        memset(c, 0, sizeof *c);
        unsigned who = (unsigned)(tu_rng_next(&rng) % 3);
        memset(c->author, 0x10 * (int)(who + 1), 32);
        c->index = next_index[who]++;
        c->time_ms = 1700000000000u + tu_rng_next(&rng) % 500; /* many equal times */
        c->amount_fen = 100;
        strcpy(c->program, programs[tu_rng_next(&rng) % 2]);
        strcpy(c->project, projects[tu_rng_next(&rng) % 4]);
        strcpy(c->round, rounds[tu_rng_next(&rng) % 3]);
    }
    /* Into the queue in a random order (a Fisher-Yates shuffle of a copy). */
    static item shuffled[N_CONTRIB];
    memcpy(shuffled, g_items, sizeof g_items);
    for (size_t i = N_CONTRIB - 1; i > 0; i--) {
        size_t j = (size_t)(tu_rng_next(&rng) % (i + 1));
        item t = shuffled[i];
        shuffled[i] = shuffled[j];
        shuffled[j] = t;
    }
    memkv *m = memkv_new(7);
    assert_non_null(m);
    ledger_kv kv;
    memkv_bind(m, &kv);
    for (size_t i = 0; i < N_CONTRIB; i++)
        assert_int_equal(state_queue_put(&kv, &shuffled[i].c), CF_OK);
    qsort(g_items, N_CONTRIB, sizeof g_items[0], by_age);

    for (size_t p = 0; p < 2; p++) {
        check_scan(&kv, programs[p], NULL, NULL);
        for (size_t j = 0; j < 4; j++)
            for (size_t r = 0; r < 3; r++) check_scan(&kv, programs[p], projects[j], rounds[r]);
        /* a project or round nobody named: nothing */
        check_scan(&kv, programs[p], "nobody", "A");
        check_scan(&kv, programs[p], "robotics", "Z");
    }
    check_scan(&kv, "no-such-program", NULL, NULL);
    memkv_free(m);
}

/* A record whose key is not the layout's is reported, not misread. */
static void test_queue_corrupt(void **state)
{
    (void)state;
    memkv *m = memkv_new(7);
    assert_non_null(m);
    ledger_kv kv;
    memkv_bind(m, &kv);
    /* 'c' || "tech" || 8 bytes only */
    static const uint8_t bad[] = {'c', 4, 't', 'e', 'c', 'h', 0, 0, 0, 0, 0, 0, 0, 1};
    assert_int_equal(kv.put(kv.ctx, bad, sizeof bad, (const uint8_t *)"\1a\1A", 4), CF_OK);
    struct scan s = {"tech", NULL, NULL, 0};
    assert_int_equal(state_queue_each(&kv, "tech", NULL, NULL, visit, &s), CF_ESTORE_CORRUPT);
    memkv_free(m);
}

int main(void)
{
    g_seed = tu_seed("test_state_queue");
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_queue_order),
        cmocka_unit_test(test_queue_corrupt),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
