/* rules_cases.h — the cmocka side of the rule tests (test_rules*.c,
 * test_query.c) over the fixture network of rules_fixture.h: a fresh
 * fixture per test, and verdict checks that also prove that an entry the
 * engine did not accept changed nothing. Include after <cmocka.h>.
 */
#ifndef COFUND_RULES_CASES_H
#define COFUND_RULES_CASES_H

#include <stdint.h>

#include "ledger/entry.h"
#include "ledger/query.h"
#include "rules_fixture.h"

/* Days after the programs' start (FX_START, 2025-07-01T00:00Z). */
static inline uint64_t at(uint64_t days)
{
    return FX_START + days * FX_DAY_MS;
}

/* An investor contribution to program ind in p1 round A (the common case). */
static inline fx_ref contrib(fx *f, int who, int64_t amount, uint64_t t)
{
    return fx_contribute(f, who, "p1", "A", "ind", amount, t);
}

/* A match by the fund in program/p1/A citing r for amount. */
static inline entry match1(fx *f, const char *program, const fx_ref *r, int64_t amount,
                           uint64_t t)
{
    entry_cite c = fx_cite(f, r, amount);
    return fx_match(f, FX_FUND, program, "p1", "A", t, 1, &c);
}

/* cmocka setups: the fixture network (fx_setup), or with the other
 * instruments' programs and members too (fx_setup_instruments); a fixture
 * helper that fails fails the test. */
int fx_case_setup(void **state);
int fx_case_setup_instruments(void **state);
int fx_case_teardown(void **state);

/* Push e: expect the code, the rule ("" for none) and every needle in the
 * text; unless accepted, the state must be exactly as before. */
void fx_expect_(fx *f, const entry *e, int code, const char *rule, const char *const *needles,
                int line);
#define EXPECT(f, e, code, rule, ...) \
    fx_expect_(f, e, code, rule, (const char *const[]){__VA_ARGS__}, __LINE__)
#define REJECT(f, e, rule, ...) EXPECT(f, e, CF_EREJECTED, rule, __VA_ARGS__, NULL)
#define PENDING(f, e, ...) EXPECT(f, e, CF_EPENDING, "", __VA_ARGS__, NULL)
#define ACCEPT(f, e) EXPECT(f, e, CF_OK, "", NULL)

/* Pool `pool`'s figures now (query_pool_totals). */
query_pool fx_pool_now(fx *f);

/* A story: entries accepted at a writer fixture and kept as bytes, then
 * delivered to fresh instrument fixtures (fx_setup_instruments) in seeded
 * orders: each step takes the next entry of a feed of fund, bank-a or bank-b
 * (a replica applies each feed in order; an entry that waits holds its feed
 * until what it needs has arrived). Each order must reach the writer's state. */
#define FX_STORY_MAX 40
typedef struct {
    int who;
    uint64_t index;
    uint8_t bytes[ENTRY_BYTES_MAX];
    size_t len;
} fx_held;
typedef struct {
    fx_held e[FX_STORY_MAX];
    size_t n;
} fx_story;
/* Push e at the writer w, which must accept it, and keep its bytes. */
fx_ref fx_told(fx *w, fx_story *s, const entry *e);
/* The story in `orders` seeded orders (seeds 1..orders), each to w's state. */
void fx_story_orders(fx *w, const fx_story *s, uint64_t orders);

#endif
