/* test_rules_succession.c — R-SUCCEED (docs/rules.md "The governance's
 * succession", node/ledger/rules_succession.c) on both sides: who may write
 * a succession and what it must state (R-SUCCEED.1), the recovery keys'
 * quorum (R-SUCCEED.2), a key succeeded once and not past its fork point
 * (R-SUCCEED.3), governance indices counted across keys afterwards, the old
 * key closed (R-KEY.2) with a rebuild when the state had applied past it,
 * and the genesis's recovery fields in the codec.
 *
 * The network here is the fixture's keys with a genesis that names three
 * real Ed25519 recovery keys (the fixture's member keys are not real keys,
 * and need not be: nothing verifies their signatures here), quorum 2.
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
#include "crypto/cf_util.h"
#include "ledger/rules.h"
#include "rules_fixture.h"

#define NREC 3

typedef struct {
    fx *f;
    uint8_t rec_pk[NREC][32], rec_sk[NREC][64];
} net;

static void fail_hook(const char *msg) { fail_msg("%s", msg); }

static entry_text txt(const char *s) { return entry_text_of(s, strlen(s)); }

/* The genesis of `n` naming the recovery keys (sorted), quorum q. */
static entry genesis(net *n, uint32_t q)
{
    entry g = fx_genesis(n->f, FX_GOV, FX_T0);
    g.body.genesis.has_recovery = g.body.genesis.has_quorum = true;
    g.body.genesis.quorum = q;
    g.body.genesis.recovery.n = NREC;
    for (int i = 0; i < NREC; i++) memcpy(g.body.genesis.recovery.keys[i], n->rec_pk[i], 32);
    return g;
}

static int setup(void **state)
{
    fx_fail_hook = fail_hook;
    net *n = calloc(1, sizeof *n);
    if (n == NULL || (n->f = fx_new()) == NULL) return -1;
    /* Seeds chosen so the public keys sort in index order. */
    for (int i = 0; i < NREC; i++) {
        uint8_t seed[32];
        for (int s = 0;; s++) {
            memset(seed, 0x40 + i * 16 + s, 32);
            cf_ed25519_keypair_from_seed(seed, n->rec_pk[i], n->rec_sk[i]);
            if (i == 0 || memcmp(n->rec_pk[i], n->rec_pk[i - 1], 32) > 0) break;
        }
    }
    entry g = genesis(n, 2);
    uint8_t buf[ENTRY_BYTES_MAX];
    size_t len = fx_encode(&g, buf, n->f->net);
    if (fx_push_bytes(n->f, n->f->keys[FX_GOV], 0, buf, len) != CF_OK) return -1;
    fx_add_member(n->f, FX_FUND, ROLE_FUND);
    fx_add_member(n->f, FX_INV_A, ROLE_INVESTOR);
    fx_program_spec ind = fx_industrial("ind");
    fx_add_program(n->f, &ind);
    fx_add_project(n->f, "p1"); /* governance size 5 */
    *state = n;
    return 0;
}

static int teardown(void **state)
{
    net *n = *state;
    fx_free(n->f);
    free(n);
    return 0;
}

/* who's succession of prev at close, signed by the recovery keys in mask
 * (bit i: key i), with gov = base + close. */
static entry succession(net *n, int who, int prev, uint64_t base, uint64_t close,
                        unsigned mask)
{
    entry e = fx_entry(n->f, who, ENTRY_SUCCESSION, FX_T0 + 1000);
    body_succession *b = &e.body.succession;
    memcpy(b->prev, n->f->keys[prev], 32);
    b->close = close;
    e.gov = base + close;
    char msg[ENTRY_SUCCESSION_STATEMENT_BYTES];
    size_t len = entry_succession_statement(n->f->net, b->prev, e.author, close, msg);
    for (int i = 0; i < NREC; i++) {
        if (!(mask & (1u << i))) continue;
        memcpy(b->sigs.keys[b->sigs.n], n->rec_pk[i], 32);
        cf_ed25519_sign((const uint8_t *)msg, len, n->rec_sk[i], b->sigs.sigs[b->sigs.n]);
        b->sigs.n++;
    }
    return e;
}

static void rejected(net *n, const entry *e, const char *rule, const char *text)
{
    assert_int_equal(fx_push(n->f, e), CF_EREJECTED);
    assert_string_equal(n->f->d.rule, rule);
    if (strstr(n->f->d.text, text) == NULL) fail_msg("\"%s\" not in: %s", text, n->f->d.text);
}

static void test_r_succeed_accepted_and_counted_across_keys(void **state)
{
    net *n = *state;
    fx *f = n->f;
    entry s = succession(n, FX_FUND2, FX_GOV, 0, 5, 0x3);
    fx_ok(f, &s);
    state_network nw;
    state_member old, m;
    assert_int_equal(state_network_get(&f->kv, &nw), CF_OK);
    assert_memory_equal(nw.gov_key, f->keys[FX_FUND2], 32);
    assert_int_equal(nw.gov_base, 5);
    assert_int_equal(state_member_get(&f->kv, f->keys[FX_FUND2], &m), CF_OK);
    assert_int_equal(m.role, ROLE_GOVERNANCE);
    assert_string_equal(m.name, "gov");
    assert_memory_equal(m.identity, f->keys[FX_GOV], 32);
    assert_int_equal(m.added_at, 5);
    assert_int_equal(state_member_get(&f->kv, f->keys[FX_GOV], &old), CF_OK);
    assert_true(old.closed);
    assert_int_equal(old.closed_at, 5);
    assert_true(old.has_next);

    /* The new key's entry 1 is governance entry 6: a project it registers
     * exists as of gov 7, not as of gov 6. */
    entry p = fx_entry(f, FX_FUND2, ENTRY_PROJECT, FX_T0 + 2000);
    p.body.project.id = txt("p9");
    p.body.project.name = txt("Project nine");
    p.gov = 6;
    fx_ok(f, &p);
    state_project pj;
    assert_int_equal(state_project_get(&f->kv, "p9", 2, &pj), CF_OK);
    assert_int_equal(pj.added_at, 6);
    entry c = fx_contribution(f, FX_INV_A, "p9", "A", "ind", FX_YUAN(100), FX_START);
    c.gov = 6;
    rejected(n, &c, "R-REF", "project p9 is not registered");
    c.gov = 7;
    fx_ok(f, &c);
    c = fx_contribution(f, FX_INV_A, "p1", "A", "ind", FX_YUAN(100), FX_START);
    c.gov = 8;
    assert_int_equal(fx_push(f, &c), CF_EPENDING); /* 7 governance entries applied */

    /* The old key writes nothing from its close on (R-KEY.2). */
    entry o = fx_entry(f, FX_GOV, ENTRY_PROJECT, FX_T0 + 3000);
    o.body.project.id = txt("p8");
    o.body.project.name = txt("Project eight");
    o.gov = 5;
    rejected(n, &o, "R-KEY.2", "writes nothing more");
}

static void test_r_succeed2_quorum(void **state)
{
    net *n = *state;
    entry one = succession(n, FX_FUND2, FX_GOV, 0, 5, 0x1);
    rejected(n, &one, "R-SUCCEED.2", "1 valid recovery signatures; the network's quorum is 2");
    entry two = succession(n, FX_FUND2, FX_GOV, 0, 5, 0x6);
    entry other = succession(n, FX_FUND2, FX_GOV, 0, 4, 0x1); /* signed another close */
    two.body.succession.sigs.n = 2;
    memcpy(two.body.succession.sigs.sigs[0], other.body.succession.sigs.sigs[0], 64);
    memcpy(two.body.succession.sigs.keys[0], other.body.succession.sigs.keys[0], 32);
    rejected(n, &two, "R-SUCCEED.2", "signature 1 is not a valid signature");
    /* A key the genesis did not name, with a valid signature of its own. */
    entry stranger = succession(n, FX_FUND2, FX_GOV, 0, 5, 0x1);
    uint8_t pk[32], sk[64], seed[32] = {0x01};
    char msg[ENTRY_SUCCESSION_STATEMENT_BYTES];
    cf_ed25519_keypair_from_seed(seed, pk, sk);
    size_t len = entry_succession_statement(n->f->net, stranger.body.succession.prev,
                                            stranger.author, 5, msg);
    body_succession *b = &stranger.body.succession;
    int at = memcmp(pk, b->sigs.keys[0], 32) < 0 ? 0 : 1;
    if (at == 0) {
        memcpy(b->sigs.keys[1], b->sigs.keys[0], 32);
        memcpy(b->sigs.sigs[1], b->sigs.sigs[0], 64);
    }
    memcpy(b->sigs.keys[at], pk, 32);
    cf_ed25519_sign((const uint8_t *)msg, len, sk, b->sigs.sigs[at]);
    b->sigs.n = 2;
    rejected(n, &stranger, "R-SUCCEED.2", "not a valid signature of a recovery key");
    entry all = succession(n, FX_FUND2, FX_GOV, 0, 5, 0x7);
    fx_ok(n->f, &all);
}

static void test_r_succeed1_what_it_states(void **state)
{
    net *n = *state;
    entry member = succession(n, FX_FUND, FX_GOV, 0, 5, 0x3);
    rejected(n, &member, "R-SUCCEED.1", "already member fund");
    entry prev = succession(n, FX_FUND2, FX_FUND, 0, 5, 0x3);
    rejected(n, &prev, "R-SUCCEED.1", "not the governance's current key");
    entry zero = succession(n, FX_FUND2, FX_GOV, 0, 0, 0x3);
    rejected(n, &zero, "R-SUCCEED.1", "at 1 or more");
    entry gov = succession(n, FX_FUND2, FX_GOV, 0, 4, 0x3);
    gov.gov = 5;
    rejected(n, &gov, "R-SUCCEED.1", "gov 5 where the succession's close makes 4");
    entry later = succession(n, FX_FUND2, FX_GOV, 0, 6, 0x3);
    assert_int_equal(fx_push(n->f, &later), CF_EPENDING); /* 5 applied */
    entry early = succession(n, FX_FUND2, FX_GOV, 0, 3, 0x3);
    fx_ok(n->f, &early); /* closing behind what was applied */
    bool rebuild = false;
    assert_int_equal(state_rebuild_requested(&n->f->kv, &rebuild), CF_OK);
    assert_true(rebuild);
}

static void test_r_succeed1_no_recovery_keys(void **state)
{
    (void)state;
    fx *f = fx_setup();
    net n = {.f = f};
    entry s = succession(&n, FX_FUND2, FX_GOV, 0, 5, 0);
    memset(s.body.succession.sigs.keys[0], 1, 32);
    s.body.succession.sigs.n = 1;
    assert_int_equal(fx_push(f, &s), CF_EREJECTED);
    assert_string_equal(f->d.rule, "R-SUCCEED.1");
    fx_free(f);
}

static void test_r_succeed3_once_and_not_past_a_fork(void **state)
{
    net *n = *state;
    fx *f = n->f;
    state_succession held = {.close = 4};
    bool kept;
    memcpy(held.by, f->keys[FX_OUTSIDER], 32);
    assert_int_equal(state_succession_note(&f->kv, f->keys[FX_GOV], &held, &kept), CF_OK);
    assert_true(kept);
    entry s = succession(n, FX_FUND2, FX_GOV, 0, 5, 0x3);
    rejected(n, &s, "R-SUCCEED.3", "a key is succeeded once");
    /* A larger close does not replace the smaller one held. */
    state_succession later = {.close = 5};
    memcpy(later.by, f->keys[FX_FUND2], 32);
    assert_int_equal(state_succession_note(&f->kv, f->keys[FX_GOV], &later, &kept), CF_OK);
    assert_false(kept);

    fx *g = fx_new();
    net m = *n;
    m.f = g;
    entry gen = genesis(&m, 2);
    uint8_t buf[ENTRY_BYTES_MAX];
    size_t len = fx_encode(&gen, buf, g->net);
    assert_int_equal(fx_push_bytes(g, g->keys[FX_GOV], 0, buf, len), CF_OK);
    fx_add_member(g, FX_FUND, ROLE_FUND);
    fx_add_project(g, "p1");
    assert_int_equal(state_fork_put(&g->kv, g->keys[FX_GOV], 2), CF_OK);
    entry past = succession(&m, FX_FUND2, FX_GOV, 0, 3, 0x3);
    assert_int_equal(fx_push(g, &past), CF_EREJECTED);
    assert_string_equal(g->d.rule, "R-SUCCEED.3");
    entry at = succession(&m, FX_FUND2, FX_GOV, 0, 2, 0x3);
    fx_ok(g, &at);
    fx_free(g);
}

static void test_r_succeed_chain(void **state)
{
    net *n = *state;
    fx *f = n->f;
    entry s = succession(n, FX_FUND2, FX_GOV, 0, 5, 0x3);
    fx_ok(f, &s);
    entry p = fx_entry(f, FX_FUND2, ENTRY_PROJECT, FX_T0 + 2000);
    p.body.project.id = txt("p9");
    p.body.project.name = txt("Project nine");
    p.gov = 6;
    fx_ok(f, &p);
    /* The second key is succeeded at its index 2: governance entry 7. */
    entry s2 = succession(n, FX_OUTSIDER, FX_FUND2, 5, 2, 0x5);
    fx_ok(f, &s2);
    state_network nw;
    assert_int_equal(state_network_get(&f->kv, &nw), CF_OK);
    assert_int_equal(nw.gov_base, 7);
    assert_memory_equal(nw.gov_key, f->keys[FX_OUTSIDER], 32);
    state_member m;
    assert_int_equal(state_member_get(&f->kv, f->keys[FX_OUTSIDER], &m), CF_OK);
    assert_memory_equal(m.identity, f->keys[FX_GOV], 32);
    assert_memory_equal(m.prev, f->keys[FX_FUND2], 32);
    /* The genesis key cannot be succeeded again: it is not current. */
    entry again = succession(n, FX_BANK, FX_GOV, 0, 5, 0x3);
    rejected(n, &again, "R-SUCCEED.1", "not the governance's current key");
}

static void test_r_succeed1_recovery_key_apart_from_governance(void **state)
{
    net *n = *state;
    fx *g = fx_new();
    net m = *n;
    m.f = g;
    entry gen = genesis(&m, 2);
    memcpy(gen.author, m.rec_pk[0], 32); /* the governance names itself */
    uint8_t buf[ENTRY_BYTES_MAX], leaf[32];
    size_t len = fx_encode(&gen, buf, leaf);
    assert_int_equal(fx_push_bytes(g, m.rec_pk[0], 0, buf, len), CF_EREJECTED);
    assert_string_equal(g->d.rule, "R-SUCCEED.1");
    fx_free(g);
}

static void test_recovery_fields_in_the_codec(void **state)
{
    net *n = *state;
    entry g = genesis(n, 2);
    uint8_t buf[ENTRY_BYTES_MAX];
    size_t len;
    diag d;
    entry back;
    assert_int_equal(entry_encode(&g, buf, sizeof buf, &len, &d), CF_OK);
    assert_int_equal(entry_decode(buf, len, &back, &d), CF_OK);
    assert_int_equal(back.body.genesis.recovery.n, NREC);
    assert_int_equal(back.body.genesis.quorum, 2);
    entry bad = g;
    bad.body.genesis.quorum = 4;
    assert_int_equal(entry_encode(&bad, buf, sizeof buf, &len, &d), CF_EENTRY);
    assert_non_null(strstr(d.text, "body.quorum: 4 exceeds the 3 recovery keys"));
    bad = g;
    bad.body.genesis.has_quorum = false;
    assert_int_equal(entry_encode(&bad, buf, sizeof buf, &len, &d), CF_EENTRY);
    assert_non_null(strstr(d.text, "body.quorum: missing"));
    bad = g;
    memcpy(bad.body.genesis.recovery.keys[2], bad.body.genesis.recovery.keys[1], 32);
    assert_int_equal(entry_encode(&bad, buf, sizeof buf, &len, &d), CF_EENTRY);
    assert_non_null(strstr(d.text, "increasing order"));
    entry s = succession(n, FX_FUND2, FX_GOV, 0, 5, 0x3);
    assert_int_equal(entry_encode(&s, buf, sizeof buf, &len, &d), CF_OK);
    assert_int_equal(entry_decode(buf, len, &back, &d), CF_OK);
    assert_int_equal(back.body.succession.sigs.n, 2);
    assert_memory_equal(back.body.succession.sigs.sigs[1], s.body.succession.sigs.sigs[1], 64);
    s.body.succession.sigs.n = 0;
    assert_int_equal(entry_encode(&s, buf, sizeof buf, &len, &d), CF_EENTRY);
    assert_non_null(strstr(d.text, "holds no signature"));
}

#define T(fn) cmocka_unit_test_setup_teardown(fn, setup, teardown)

int main(void)
{
    const struct CMUnitTest tests[] = {
        T(test_r_succeed_accepted_and_counted_across_keys),
        T(test_r_succeed2_quorum),
        T(test_r_succeed1_what_it_states),
        T(test_r_succeed1_no_recovery_keys),
        T(test_r_succeed3_once_and_not_past_a_fork),
        T(test_r_succeed_chain),
        T(test_r_succeed1_recovery_key_apart_from_governance),
        T(test_recovery_fields_in_the_codec),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
