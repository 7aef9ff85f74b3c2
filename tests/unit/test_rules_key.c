/* test_rules_key.c — R-KEY (docs/rules.md "Keys", node/ledger/rules_key.c) on
 * both sides: who may be rekeyed or retired (R-KEY.1), a closed key writing
 * nothing from its closing index on (R-KEY.2), a new key waiting for the key
 * it replaced and not going back in time (R-KEY.3), positions and programs
 * following the member's identity, citations of a closed feed past its
 * closing disputed (as R-FORK.2), and the rebuild a closing behind what the
 * state applied asks for.
 *
 * The fixture's spare keys stand in for new keys: outsider (never a member)
 * and fund2 (not a member until a test adds it). Entries go through
 * ledger_process one by one, as the author's home and a replica apply them;
 * a replica's drain stops a closed feed at its closing (replica.c), so an
 * entry past it is offered here directly, as the author's home would.
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
#include "ledger/query.h"
#include "ledger/rules.h"
#include "rules_cases.h"
#include "rules_fixture.h"

#define Y(x) FX_YUAN(x)

static entry_text txt(const char *s)
{
    return entry_text_of(s, strlen(s));
}

/* The governance rekeys member `name` to who's key, closing at `close`. */
static entry rekey(fx *f, const char *name, int who, uint64_t close)
{
    entry e = fx_entry(f, FX_GOV, ENTRY_REKEY, FX_T0);
    e.body.rekey.name = txt(name);
    memcpy(e.body.rekey.key, f->keys[who], 32);
    e.body.rekey.close = close;
    return e;
}

static entry retire(fx *f, const char *name, uint64_t close)
{
    entry e = fx_entry(f, FX_GOV, ENTRY_RETIRE, FX_T0);
    e.body.retire.name = txt(name);
    e.body.retire.close = close;
    return e;
}

static void member(fx *f, int who, state_member *m)
{
    assert_int_equal(state_member_get(&f->kv, f->keys[who], m), CF_OK);
}

static bool rebuild_requested(fx *f)
{
    bool requested = true;
    assert_int_equal(state_rebuild_requested(&f->kv, &requested), CF_OK);
    return requested;
}

static void totals(fx *f, const char *program, query_totals *t)
{
    assert_int_equal(query_program_totals(&f->kv, program, STATE_TIME_LATEST, t), CF_OK);
}

/* A citation of an entry never applied here, at index i. */
static entry_cite cite_unheld(fx *f, int who, uint64_t index, int64_t amount)
{
    entry_cite c = {.index = index, .amount_fen = amount};
    memcpy(c.author, f->keys[who], 32);
    memset(c.leaf, 0x5a, 32);
    return c;
}

/* ---- R-KEY.1 ------------------------------------------------------------- */

static void test_r_key1_rekey_names_a_member(void **state)
{
    fx *f = *state;
    entry e = rekey(f, "nobody", FX_OUTSIDER, 0);
    REJECT(f, &e, "R-REF", "member nobody is not registered");
    e = rekey(f, "gov", FX_OUTSIDER, 0);
    REJECT(f, &e, "R-KEY.1", "the governance key is not replaced by rekey");
    e = rekey(f, "inv-a", FX_INV_B, 0); /* inv-b's key */
    REJECT(f, &e, "R-UNIQ", "the new key is already member inv-b (investor)");
    e = rekey(f, "inv-a", FX_INV_A, 0); /* its own */
    REJECT(f, &e, "R-UNIQ", "already member inv-a");
    /* Only the governance writes it. */
    e = rekey(f, "inv-a", FX_OUTSIDER, 0);
    memcpy(e.author, f->keys[FX_FUND], 32);
    e.index = fx_next_index(f, FX_FUND);
    REJECT(f, &e, "R-ROLE", "fund fund may not write rekey entries");
    e = rekey(f, "inv-a", FX_OUTSIDER, 0);
    ACCEPT(f, &e);
    state_member old, now;
    member(f, FX_INV_A, &old);
    member(f, FX_OUTSIDER, &now);
    assert_true(old.closed);
    assert_int_equal(old.closed_at, 0);
    assert_int_equal(old.closed_by, e.index);
    assert_true(old.has_next);
    assert_memory_equal(old.next, f->keys[FX_OUTSIDER], 32);
    assert_false(now.closed);
    assert_true(now.has_prev);
    assert_memory_equal(now.prev, f->keys[FX_INV_A], 32);
    assert_memory_equal(now.identity, f->keys[FX_INV_A], 32);
    assert_int_equal(now.role, ROLE_INVESTOR);
    assert_string_equal(now.name, "inv-a");
    assert_int_equal(now.added_at, e.index);
    /* The name now finds the new key: a second rekey closes that one. */
    e = rekey(f, "inv-a", FX_FUND2, 0);
    ACCEPT(f, &e);
    member(f, FX_OUTSIDER, &now);
    assert_true(now.closed);
    state_member third;
    member(f, FX_FUND2, &third);
    assert_memory_equal(third.prev, f->keys[FX_OUTSIDER], 32);
    assert_memory_equal(third.identity, f->keys[FX_INV_A], 32);
}

static void test_r_key1_member_as_of_gov(void **state)
{
    fx *f = *state;
    fx_add_member(f, FX_FUND2, ROLE_FUND); /* governance entry 10 */
    entry e = rekey(f, "fund2", FX_OUTSIDER, 0);
    e.gov = FX_GOV_SIZE; /* checked against 10 governance entries: fund2 is the 11th */
    REJECT(f, &e, "R-REF", "member fund2 is not registered");
    e = retire(f, "fund2", 0);
    e.gov = FX_GOV_SIZE;
    REJECT(f, &e, "R-REF", "member fund2 is not registered");
    e = retire(f, "fund2", 0);
    ACCEPT(f, &e);
}

static void test_r_key1_retire(void **state)
{
    fx *f = *state;
    entry e = retire(f, "nobody", 0);
    REJECT(f, &e, "R-REF", "member nobody is not registered");
    e = retire(f, "gov", 0);
    REJECT(f, &e, "R-KEY.1", "the governance key is not replaced by retire");
    e = retire(f, "inv-b", 0);
    memcpy(e.author, f->keys[FX_AUDITOR], 32);
    e.index = fx_next_index(f, FX_AUDITOR);
    REJECT(f, &e, "R-ROLE", "auditor auditor may not write retire entries");
    e = retire(f, "inv-b", 0);
    ACCEPT(f, &e);
    state_member m;
    member(f, FX_INV_B, &m);
    assert_true(m.closed);
    assert_false(m.has_next);
    /* Retired: neither rekeyed nor retired again; its name stays taken. */
    e = retire(f, "inv-b", 0);
    REJECT(f, &e, "R-KEY.1", "member inv-b is retired");
    e = rekey(f, "inv-b", FX_OUTSIDER, 0);
    REJECT(f, &e, "R-KEY.1", "member inv-b is retired");
    e = fx_member(f, FX_GOV, FX_OUTSIDER, ROLE_INVESTOR, "inv-b", FX_T0);
    REJECT(f, &e, "R-UNIQ", "");
}

/* The new key counts toward R-MEMBERS; a retire adds none. */
static void test_r_key1_rekey_members_limit(void **state)
{
    fx *f = *state;
    assert_int_equal(state_member_count_put(&f->kv, LEDGER_MEMBERS_MAX), CF_OK);
    entry e = rekey(f, "inv-a", FX_OUTSIDER, 0);
    REJECT(f, &e, "R-MEMBERS", "the network already has 4096 member keys");
    e = retire(f, "inv-b", 0);
    ACCEPT(f, &e);
    assert_int_equal(state_member_count_put(&f->kv, LEDGER_MEMBERS_MAX - 1), CF_OK);
    e = rekey(f, "inv-a", FX_OUTSIDER, 0);
    ACCEPT(f, &e);
    uint64_t n;
    assert_int_equal(state_member_count_get(&f->kv, &n), CF_OK);
    assert_int_equal(n, LEDGER_MEMBERS_MAX);
}

/* ---- R-KEY.2 ------------------------------------------------------------- */

static void test_r_key2_closed_key_writes_nothing_from_close(void **state)
{
    fx *f = *state;
    contrib(f, FX_INV_A, Y(100), at(1)); /* inv-a#0 */
    entry e = rekey(f, "inv-a", FX_OUTSIDER, 2);
    ACCEPT(f, &e);
    uint64_t by = e.index;
    /* Below the closing, even after it: inv-a#1 stands. */
    e = fx_contribution(f, FX_INV_A, "p1", "A", "ind", Y(10), at(2));
    ACCEPT(f, &e);
    e = fx_contribution(f, FX_INV_A, "p1", "A", "ind", Y(10), at(3));
    assert_int_equal(e.index, 2);
    char want[96];
    snprintf(want, sizeof want, "inv-a's key was replaced at index 2 by governance entry %llu",
             (unsigned long long)by);
    REJECT(f, &e, "R-KEY.2", want, "entries below 2 stand");
    /* A retired key, closed at 0: nothing at all. */
    e = retire(f, "inv-b", 0);
    ACCEPT(f, &e);
    e = fx_contribution(f, FX_INV_B, "p1", "A", "ind", Y(10), at(3));
    REJECT(f, &e, "R-KEY.2", "inv-b's key was retired at index 0");
}

/* ---- R-KEY.3 ------------------------------------------------------------- */

static void test_r_key3_new_key_waits_for_the_old_feed(void **state)
{
    fx *f = *state;
    contrib(f, FX_INV_A, Y(100), at(1)); /* inv-a#0 */
    entry e = rekey(f, "inv-a", FX_OUTSIDER, 2);
    ACCEPT(f, &e);
    entry n0 = fx_contribution(f, FX_OUTSIDER, "p1", "A", "ind", Y(5), at(4));
    PENDING(f, &n0, "waiting for inv-a's replaced key's feed: 1 of its 2 entries", "(R-KEY.3)");
    contrib(f, FX_INV_A, Y(10), at(2)); /* inv-a#1: the old feed is whole */
    ACCEPT(f, &n0);
    assert_int_equal(fx_position(f, "p1", FX_INV_A, STATE_TIME_LATEST), Y(115));
}

/* A forked old feed ends at its fork point when that is below the closing. */
static void test_r_key3_waits_up_to_the_fork_point(void **state)
{
    fx *f = *state;
    contrib(f, FX_INV_A, Y(100), at(1)); /* inv-a#0 */
    entry e = rekey(f, "inv-a", FX_OUTSIDER, 3);
    ACCEPT(f, &e);
    entry n0 = fx_contribution(f, FX_OUTSIDER, "p1", "A", "ind", Y(5), at(4));
    PENDING(f, &n0, "1 of its 3 entries");
    assert_int_equal(state_fork_put(&f->kv, f->keys[FX_INV_A], 2), CF_OK);
    PENDING(f, &n0, "1 of its 2 entries");
    assert_int_equal(state_fork_put(&f->kv, f->keys[FX_INV_A], 1), CF_OK);
    ACCEPT(f, &n0);
    uint64_t end;
    assert_int_equal(state_feed_end(&f->kv, f->keys[FX_INV_A], 9, &end), CF_OK);
    assert_int_equal(end, 1);
}

static void test_r_key3_first_entry_not_earlier(void **state)
{
    fx *f = *state;
    contrib(f, FX_INV_A, Y(100), at(5)); /* inv-a#0 */
    entry e = rekey(f, "inv-a", FX_OUTSIDER, 1);
    ACCEPT(f, &e);
    e = fx_contribution(f, FX_OUTSIDER, "p1", "A", "ind", Y(5), at(5) - 1);
    REJECT(f, &e, "R-KEY.3", "earlier than inv-a's last entry under its replaced key");
    e = fx_contribution(f, FX_OUTSIDER, "p1", "A", "ind", Y(5), at(5));
    ACCEPT(f, &e);
    /* The old feed empty: nothing to compare with. */
    e = rekey(f, "inv-b", FX_FUND2, 0);
    ACCEPT(f, &e);
    e = fx_contribution(f, FX_FUND2, "p1", "A", "ind", Y(5), at(0));
    ACCEPT(f, &e);
}

/* Rekeyed twice, the middle key never writing: the newest key still waits
 * for the first key's standing entries and does not go back before them.
 * (It waited only for the middle key's empty feed: a home that held
 * inv-a#0 and one that did not judged the new key's entries differently,
 * and an entry earlier than inv-a#0 reached the identity's position series
 * out of time order.) */
static void test_r_key3_across_a_chain_of_keys(void **state)
{
    fx *f = *state;
    entry e = rekey(f, "inv-a", FX_OUTSIDER, 1); /* inv-a#0 not here yet */
    ACCEPT(f, &e);
    e = rekey(f, "inv-a", FX_FUND2, 0); /* outsider never wrote */
    ACCEPT(f, &e);
    entry early = fx_contribution(f, FX_FUND2, "p1", "A", "ind", Y(5), at(1));
    PENDING(f, &early, "waiting for inv-a's replaced key's feed: 0 of its 1 entries");
    contrib(f, FX_INV_A, Y(100), at(5)); /* inv-a#0 */
    REJECT(f, &early, "R-KEY.3", "earlier than inv-a's last entry under its replaced key");
    e = fx_contribution(f, FX_FUND2, "p1", "A", "ind", Y(5), at(5));
    ACCEPT(f, &e);
    assert_int_equal(fx_position(f, "p1", FX_INV_A, STATE_TIME_LATEST), Y(105));
}

/* ---- identity: positions and programs ------------------------------------ */

static void test_r_key_exit_against_the_identity_position(void **state)
{
    fx *f = *state;
    fx_ref r = contrib(f, FX_INV_A, Y(100), at(1)); /* inv-a#0 */
    fx_match1(f, "ind", &r, "p1", "A", Y(100), at(2));
    entry e = rekey(f, "inv-a", FX_OUTSIDER, 1);
    ACCEPT(f, &e);
    contrib(f, FX_OUTSIDER, Y(50), at(3));
    assert_int_equal(fx_position(f, "p1", FX_INV_A, STATE_TIME_LATEST), Y(150));
    /* The whole position under both keys, not a fen more. */
    e = fx_exit(f, FX_OUTSIDER, "p1", Y(150) + 1, at(4));
    REJECT(f, &e, "R-EXIT", "exit 150.01 exceeds inv-a's position 150.00 in project p1");
    e = fx_exit(f, FX_OUTSIDER, "p1", Y(150), at(4));
    ACCEPT(f, &e);
    assert_int_equal(fx_position(f, "p1", FX_INV_A, STATE_TIME_LATEST), 0);
    /* One line per member: nothing under the new key itself. */
    assert_int_equal(fx_position(f, "p1", FX_OUTSIDER, STATE_TIME_LATEST), 0);
}

static void test_r_key_rekeyed_fund_still_operates(void **state)
{
    fx *f = *state;
    fx_add_member(f, FX_FUND2, ROLE_FUND); /* another fund */
    fx_ref r = contrib(f, FX_INV_A, Y(100), at(1));
    entry e = rekey(f, "fund", FX_OUTSIDER, 0);
    ACCEPT(f, &e);
    /* The old key writes nothing; a different fund is not the operator. */
    e = match1(f, "ind", &r, Y(10), at(2));
    REJECT(f, &e, "R-KEY.2", "fund's key was replaced at index 0");
    entry_cite c = fx_cite(f, &r, Y(10));
    e = fx_match(f, FX_FUND2, "ind", "p1", "A", at(2), 1, &c);
    REJECT(f, &e, "R-ROLE", "only program ind's operator fund may write its matches");
    /* The new key is the same member: it matches the program it operates. */
    e = fx_match(f, FX_OUTSIDER, "ind", "p1", "A", at(2), 1, &c);
    ACCEPT(f, &e);
    query_totals t;
    totals(f, "ind", &t);
    assert_int_equal(t.deployed_fen, Y(10));
    assert_int_equal(t.counterpart_fen, Y(100));
    assert_int_equal(fx_position(f, "p1", FX_FUND, STATE_TIME_LATEST), Y(10));
}

/* The operator-only types (rules.c, load_program) follow the identity too. */
static void test_r_key_rekeyed_fund_operates_its_pool(void **state)
{
    fx *f = *state;
    fx_add_member(f, FX_FUND2, ROLE_FUND);
    entry e = rekey(f, "fund", FX_OUTSIDER, 0);
    ACCEPT(f, &e);
    e = fx_deposit(f, FX_FUND2, "pool", Y(1000), at(1));
    REJECT(f, &e, "R-ROLE", "only program pool's operator fund may write its deposit entries");
    e = fx_deposit(f, FX_OUTSIDER, "pool", Y(1000), at(1));
    ACCEPT(f, &e);
}

/* ---- citations past a closing are disputed --------------------------------- */

static void test_r_key_cites_past_the_close_are_disputed(void **state)
{
    fx *f = *state;
    fx_ref r = contrib(f, FX_INV_A, Y(100), at(1)); /* inv-a#0 */
    entry_cite c = cite_unheld(f, FX_INV_A, 1, Y(500));
    entry past = fx_match(f, FX_FUND, "ind", "p1", "A", at(2), 1, &c);
    /* Before the closing, inv-a#1 is waited for. */
    PENDING(f, &past, "waiting for contribution inv-a#1");
    entry e = retire(f, "inv-a", 1);
    ACCEPT(f, &e);
    /* Below the closing: checked as ever. */
    e = match1(f, "ind", &r, Y(100) + 1, at(2));
    REJECT(f, &e, "R-MATCH.4", "match 100.01", "inv-a#0");
    e = match1(f, "ind", &r, Y(100), at(2));
    ACCEPT(f, &e);
    /* At the closing: disputed, not pending. */
    past.index = fx_next_index(f, FX_FUND);
    past.gov = fx_gov(f);
    ACCEPT(f, &past);
    query_totals t;
    totals(f, "ind", &t);
    assert_int_equal(t.deployed_fen, Y(600));
    assert_int_equal(t.counterpart_fen, Y(100));
    assert_int_equal(t.disputed_fen, Y(500));
    state_disputed x;
    assert_int_equal(state_disputed_get(&f->kv, f->keys[FX_FUND], past.index, &x), CF_OK);
    assert_int_equal(x.cited_index, 1);
    assert_memory_equal(x.cited_author, f->keys[FX_INV_A], 32);
    /* The smaller of a fork point and a closing stops the feed. */
    uint64_t stop;
    assert_int_equal(state_feed_stop(&f->kv, f->keys[FX_INV_A], &stop), CF_OK);
    assert_int_equal(stop, 1);
    assert_int_equal(state_fork_put(&f->kv, f->keys[FX_INV_A], 0), CF_OK);
    assert_int_equal(state_feed_stop(&f->kv, f->keys[FX_INV_A], &stop), CF_OK);
    assert_int_equal(stop, 0);
    assert_int_equal(state_feed_stop(&f->kv, f->keys[FX_INV_B], &stop), CF_ENOTFOUND);
}

/* A pool entry citing a closed bank's feed past its closing: disputed,
 * changing nothing. */
static void test_r_key_disputed_guarantee_of_a_retired_bank(void **state)
{
    fx *f = *state;
    entry e = fx_deposit(f, FX_FUND, "pool", Y(1000), at(1));
    ACCEPT(f, &e);
    e = retire(f, "bank-a", 0);
    ACCEPT(f, &e);
    fx_ref loan = {FX_BANK, 0, {0}};
    memset(loan.leaf, 0x5a, 32);
    e = fx_guarantee(f, FX_FUND, "pool", &loan, Y(100), at(2));
    ACCEPT(f, &e);
    state_disputed x;
    assert_int_equal(state_disputed_get(&f->kv, f->keys[FX_FUND], e.index, &x), CF_OK);
    assert_int_equal(x.amount_fen, 0);
    state_program pool;
    query_pool q;
    assert_int_equal(state_program_get(&f->kv, "pool", 4, &pool), CF_OK);
    assert_int_equal(query_pool_totals(&f->kv, &pool, STATE_TIME_LATEST, &q), CF_OK);
    assert_int_equal(q.guaranteed_fen, 0);
}

/* ---- the rebuild request ------------------------------------------------------ */

/* inv-a has applied 2 entries; a closing at `close`. */
static void close_after_two(fx *f, bool retiring, uint64_t close, bool want)
{
    contrib(f, FX_INV_A, Y(100), at(1));
    contrib(f, FX_INV_A, Y(100), at(2));
    assert_false(rebuild_requested(f));
    entry e = retiring ? retire(f, "inv-a", close) : rekey(f, "inv-a", FX_OUTSIDER, close);
    ACCEPT(f, &e);
    assert_int_equal(rebuild_requested(f), want);
}

static void test_r_key_retire_behind_applied_asks_for_a_rebuild(void **state)
{
    close_after_two(*state, true, 1, true);
}

static void test_r_key_rekey_behind_applied_asks_for_a_rebuild(void **state)
{
    close_after_two(*state, false, 0, true);
}

static void test_r_key_close_at_applied_needs_no_rebuild(void **state)
{
    close_after_two(*state, true, 2, false);
}

static void test_r_key_close_above_applied_needs_no_rebuild(void **state)
{
    close_after_two(*state, false, 3, false);
}

#define T(fn) cmocka_unit_test_setup_teardown(fn, fx_case_setup, fx_case_teardown)
/* R-POOL.4 across a bank's keys: the new key repays and defaults the loans
 * its old key wrote, and the pool releases and compensates them — a
 * rekeyed bank never locks the pool's capacity. Another bank still may not. */
static void test_r_key_new_bank_key_settles_old_loans(void **state)
{
    fx *f = *state;
    entry e = fx_deposit(f, FX_FUND, "pool", Y(1000000), at(1));
    ACCEPT(f, &e);
    e = fx_loan(f, FX_BANK, "pool", "p1", Y(300000), 12, at(2));
    fx_ref loan1 = fx_accept(f, &e);
    e = fx_loan(f, FX_BANK, "pool", "p2", Y(200000), 12, at(2));
    fx_ref loan2 = fx_accept(f, &e);
    loan1.who = loan2.who = FX_BANK;
    e = fx_guarantee(f, FX_FUND, "pool", &loan1, Y(300000), at(3));
    ACCEPT(f, &e);
    e = fx_guarantee(f, FX_FUND, "pool", &loan2, Y(200000), at(3));
    ACCEPT(f, &e);
    e = rekey(f, "bank-a", FX_OUTSIDER, fx_next_index(f, FX_BANK));
    ACCEPT(f, &e);
    /* Another bank still may not settle bank-a's loans. */
    e = fx_repay(f, FX_BANK2, &loan1, Y(1), at(4));
    REJECT(f, &e, "R-POOL.4", "a bank records repayments and defaults of its own loans, not of bank-a's");
    e = fx_repay(f, FX_OUTSIDER, &loan1, Y(100000), at(4));
    fx_ref repay = fx_accept(f, &e);
    repay.who = FX_OUTSIDER;
    e = fx_repay(f, FX_OUTSIDER, &loan1, Y(200000) + 1, at(4));
    REJECT(f, &e, "R-POOL.6", NULL);
    e = fx_default(f, FX_OUTSIDER, &loan2, Y(50000), at(5));
    fx_ref dflt = fx_accept(f, &e);
    dflt.who = FX_OUTSIDER;
    e = fx_release(f, FX_FUND, "pool", &repay, Y(100000), at(6));
    ACCEPT(f, &e);
    e = fx_compensation(f, FX_FUND, "pool", &dflt, Y(50000) * 7 / 10, at(7));
    ACCEPT(f, &e);
    state_program pool;
    query_pool q;
    assert_int_equal(state_program_get(&f->kv, "pool", 4, &pool), CF_OK);
    assert_int_equal(query_pool_totals(&f->kv, &pool, STATE_TIME_LATEST, &q), CF_OK);
    /* 100,000 released on the repayment; the defaulted loan's 200,000 left
     * the outstanding with its compensation. */
    assert_int_equal(q.released_fen, Y(300000));
    assert_int_equal(q.compensated_fen, Y(35000));
    assert_int_equal(q.repaid_fen, Y(100000));
    assert_int_equal(q.defaults, 1);
}

#define TI(fn) cmocka_unit_test_setup_teardown(fn, fx_case_setup_instruments, fx_case_teardown)

int main(void)
{
    const struct CMUnitTest tests[] = {
        T(test_r_key1_rekey_names_a_member),
        T(test_r_key1_member_as_of_gov),
        T(test_r_key1_retire),
        T(test_r_key1_rekey_members_limit),
        T(test_r_key2_closed_key_writes_nothing_from_close),
        T(test_r_key3_new_key_waits_for_the_old_feed),
        T(test_r_key3_waits_up_to_the_fork_point),
        T(test_r_key3_first_entry_not_earlier),
        T(test_r_key3_across_a_chain_of_keys),
        T(test_r_key_exit_against_the_identity_position),
        T(test_r_key_rekeyed_fund_still_operates),
        TI(test_r_key_rekeyed_fund_operates_its_pool),
        T(test_r_key_cites_past_the_close_are_disputed),
        TI(test_r_key_disputed_guarantee_of_a_retired_bank),
        TI(test_r_key_new_bank_key_settles_old_loans),
        T(test_r_key_retire_behind_applied_asks_for_a_rebuild),
        T(test_r_key_rekey_behind_applied_asks_for_a_rebuild),
        T(test_r_key_close_at_applied_needs_no_rebuild),
        T(test_r_key_close_above_applied_needs_no_rebuild),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
