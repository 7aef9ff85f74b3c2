/* test_handshake_messages.c — the handshake of crypto/handshake.h, message by
 * message, between two sessions in memory.
 *
 * The layout and the transcripts are checked from outside (the test rebuilds
 * T2/T3 and verifies the signatures itself), then every defence from both
 * sides: wrong network, bad magic and lengths, foreign signatures, replayed
 * ACCEPT and PROVE, relays that substitute their own ephemeral, identity
 * misbinding, tampered stream headers and every byte of every message
 * mutated. The mutations print their seed; set COFUND_SEED=<n> to replay one
 * run. Frames are in test_handshake_frames.c, states, arguments and the fuzz
 * corpora in test_handshake_sessions.c.
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
#include "crypto/handshake.h"
#include "handshake_fixture.h"
#include "testutil.h"

#define LABEL_BYTES 20
#define T3_BYTES (LABEL_BYTES + 5 * 32)

static uint64_t g_seed;
static uint64_t rng_state;

static uint64_t rng_next(void)
{
    return tu_rng_next(&rng_state);
}

/* T2 (i_pk NULL) or T3 as handshake.h defines them. */
static size_t transcript(uint8_t t[T3_BYTES], const uint8_t *e_i,
                         const uint8_t *e_r, const uint8_t *r_pk,
                         const uint8_t *i_pk)
{
    memcpy(t, i_pk ? "cofund/hs1 initiator" : "cofund/hs1 responder", LABEL_BYTES);
    memcpy(t + 20, NET, 32);
    memcpy(t + 52, e_i, 32);
    memcpy(t + 84, e_r, 32);
    memcpy(t + 116, r_pk, 32);
    if (i_pk == NULL) return T3_BYTES - 32;
    memcpy(t + 148, i_pk, 32);
    return T3_BYTES;
}

/* ---- the whole handshake ------------------------------------------------ */

static void test_full_handshake(void **state)
{
    (void)state;
    pair p;
    start(&p, &K_I, &K_R);
    assert_int_equal(hs_get_state(&p.i), HS_SEND_HELLO);
    assert_int_equal(hs_get_state(&p.r), HS_WAIT_HELLO);
    CHECK(hs_expect_peer(&p.i, K_R.pk), CF_OK);
    CHECK(hs_expect_peer(&p.r, K_I.pk), CF_OK);
    assert_null(hs_peer_key(&p.i));
    CHECK(hs_hello(&p.i, p.hello), CF_OK);
    assert_int_equal(hs_get_state(&p.i), HS_WAIT_ACCEPT);
    assert_memory_equal(p.hello, "cofund/hs1", 10);
    assert_memory_equal(p.hello + HELLO_NET, NET, 32);
    CHECK(hs_on_hello(&p.r, p.hello, sizeof p.hello, p.accept), CF_OK);
    assert_int_equal(hs_get_state(&p.r), HS_WAIT_PROVE);
    assert_memory_equal(p.accept + ACCEPT_PK, K_R.pk, 32);
    CHECK(hs_on_accept(&p.i, p.accept, sizeof p.accept, p.prove), CF_OK);
    assert_int_equal(hs_get_state(&p.i), HS_ESTABLISHED);
    assert_null(hs_peer_key(&p.r));
    assert_memory_equal(p.prove, K_I.pk, 32);
    CHECK(hs_on_prove(&p.r, p.prove, sizeof p.prove), CF_OK);
    assert_int_equal(hs_get_state(&p.r), HS_ESTABLISHED);
    /* Each side names the other. */
    assert_non_null(hs_peer_key(&p.i));
    assert_memory_equal(hs_peer_key(&p.i), K_R.pk, 32);
    assert_memory_equal(hs_peer_key(&p.r), K_I.pk, 32);

    /* The signatures are over the transcripts exactly as specified. */
    uint8_t t[T3_BYTES];
    size_t n = transcript(t, p.hello + HELLO_EPH, p.accept, K_R.pk, NULL);
    assert_true(cf_ed25519_verify(t, n, p.accept + ACCEPT_SIG, K_R.pk));
    n = transcript(t, p.hello + HELLO_EPH, p.accept, K_R.pk, K_I.pk);
    assert_true(cf_ed25519_verify(t, n, p.prove + PROVE_SIG, K_I.pk));

    /* Frames both ways: empty (a keep-alive), one byte, the maximum. */
    const size_t sizes[] = {0, 1, 2, 1000, HS_FRAME_PLAIN_MAX};
    for (size_t k = 0; k < sizeof sizes / sizeof sizes[0]; k++) {
        size_t wl = seal(&p.i, g_msg, sizes[k], g_wire, sizeof g_wire);
        assert_int_equal(cf_get_be32(g_wire), sizes[k] + HS_FRAME_OVERHEAD);
        open_expect(&p.r, g_wire, wl, g_msg, sizes[k]);
        wl = seal(&p.r, g_msg, sizes[k], g_wire, sizeof g_wire);
        open_expect(&p.i, g_wire, wl, g_msg, sizes[k]);
    }
    size_t wl = 0, pl = 0;
    CHECK(hs_seal(&p.i, NULL, 0, g_wire, sizeof g_wire, &wl), CF_OK);
    CHECK(hs_open(&p.r, g_wire, wl, NULL, 0, &pl), CF_OK);
    assert_int_equal(pl, 0);
    /* One over the maximum, or a short output: refused, session intact. */
    CHECK(hs_seal(&p.i, g_msg, HS_FRAME_PLAIN_MAX + 1, g_wire, sizeof g_wire, &wl),
          CF_ETOOBIG);
    CHECK(hs_seal(&p.i, g_msg, 10, g_wire, 10 + 20, &wl), CF_ETOOBIG);
    CHECK(hs_seal(&p.i, NULL, 10, g_wire, sizeof g_wire, &wl), CF_EINVAL);
    assert_int_equal(hs_get_state(&p.i), HS_ESTABLISHED);
    frames_both_ways(&p, CF_OK);
    /* A receive buffer too small for this frame: refused, session failed. */
    wl = seal(&p.i, g_msg, 100, g_wire, sizeof g_wire);
    CHECK(hs_open(&p.r, g_wire, wl, g_plain, 99, &pl), CF_ETOOBIG);
    assert_int_equal(hs_get_state(&p.r), HS_FAILED);
    wipe_pair(&p);
}

/* ---- HELLO -------------------------------------------------------------- */

static void hello_case(const uint8_t *hello, size_t len, int want)
{
    hs_session r;
    uint8_t accept[HS_ACCEPT_BYTES];
    CHECK(hs_init(&r, HS_RESPONDER, NET, K_R.pk, K_R.sk), CF_OK);
    CHECK(hs_on_hello(&r, hello, len, accept), want);
    assert_int_equal(hs_get_state(&r), HS_FAILED);
    hs_wipe(&r);
}

static void test_hello_rejects(void **state)
{
    (void)state;
    pair p;
    to_accept(&p);
    uint8_t h[HS_HELLO_BYTES + 1];
    memcpy(h, p.hello, HS_HELLO_BYTES);
    h[HS_HELLO_BYTES] = 0;
    hello_case(h, HS_HELLO_BYTES - 1, CF_EFORMAT);
    hello_case(h, HS_HELLO_BYTES + 1, CF_EFORMAT);
    hello_case(h, 0, CF_EFORMAT);
    hello_case(NULL, HS_HELLO_BYTES, CF_EINVAL);
    for (size_t k = 0; k < 10; k++) { /* bad magic */
        memcpy(h, p.hello, HS_HELLO_BYTES);
        h[k] ^= 0x20;
        hello_case(h, HS_HELLO_BYTES, CF_EFORMAT);
    }
    /* Another network's initiator. */
    hs_session other;
    CHECK(hs_init(&other, HS_INITIATOR, NET2, K_I.pk, K_I.sk), CF_OK);
    CHECK(hs_hello(&other, h), CF_OK);
    hello_case(h, HS_HELLO_BYTES, CF_EWRONG_NETWORK);
    hs_wipe(&other);
    /* A low-order ephemeral (0 and 1) gives no shared secret. */
    memcpy(h, p.hello, HS_HELLO_BYTES);
    memset(h + HELLO_EPH, 0, 32);
    hello_case(h, HS_HELLO_BYTES, CF_ECRYPTO);
    h[HELLO_EPH] = 1;
    hello_case(h, HS_HELLO_BYTES, CF_ECRYPTO);
    wipe_pair(&p);
}

/* ---- ACCEPT ------------------------------------------------------------- */

static void accept_case(pair *p, const uint8_t *accept, size_t len, int want)
{
    uint8_t prove[HS_PROVE_BYTES];
    CHECK(hs_on_accept(&p->i, accept, len, prove), want);
    assert_int_equal(hs_get_state(&p->i), HS_FAILED);
    assert_null(hs_peer_key(&p->i));
}

static void test_accept_rejects(void **state)
{
    (void)state;
    pair p;
    uint8_t a[HS_ACCEPT_BYTES + 1] = {0}, t[T3_BYTES];
    to_accept(&p);
    memcpy(a, p.accept, HS_ACCEPT_BYTES);
    accept_case(&p, a, HS_ACCEPT_BYTES + 1, CF_EFORMAT);
    to_accept(&p);
    accept_case(&p, p.accept, HS_ACCEPT_BYTES - 1, CF_EFORMAT);
    to_accept(&p);
    accept_case(&p, NULL, HS_ACCEPT_BYTES, CF_EINVAL);

    /* Names R, signed by M over the right transcript. */
    to_accept(&p);
    memcpy(a, p.accept, HS_ACCEPT_BYTES);
    size_t n = transcript(t, p.hello + HELLO_EPH, a, K_R.pk, NULL);
    cf_ed25519_sign(t, n, K_M.sk, a + ACCEPT_SIG);
    accept_case(&p, a, HS_ACCEPT_BYTES, CF_EHS_BAD_SIG);
    /* Names M, keeps R's signature. */
    to_accept(&p);
    memcpy(a, p.accept, HS_ACCEPT_BYTES);
    memcpy(a + ACCEPT_PK, K_M.pk, 32);
    accept_case(&p, a, HS_ACCEPT_BYTES, CF_EHS_BAD_SIG);
    /* Signed by R over the responder label swapped for the initiator's. */
    to_accept(&p);
    memcpy(a, p.accept, HS_ACCEPT_BYTES);
    n = transcript(t, p.hello + HELLO_EPH, a, K_R.pk, NULL);
    memcpy(t, "cofund/hs1 initiator", LABEL_BYTES);
    cf_ed25519_sign(t, n, K_R.sk, a + ACCEPT_SIG);
    accept_case(&p, a, HS_ACCEPT_BYTES, CF_EHS_BAD_SIG);

    /* A genuine member, but not the one expected. */
    to_accept(&p);
    CHECK(hs_expect_peer(&p.i, K_M.pk), CF_OK);
    accept_case(&p, p.accept, HS_ACCEPT_BYTES, CF_EHS_PEER);
    /* Ourselves: a responder holding the initiator's own key. */
    start(&p, &K_I, &K_I);
    CHECK(hs_hello(&p.i, p.hello), CF_OK);
    CHECK(hs_on_hello(&p.r, p.hello, HS_HELLO_BYTES, p.accept), CF_OK);
    accept_case(&p, p.accept, HS_ACCEPT_BYTES, CF_EHS_PEER);
    wipe_pair(&p);
}

static void test_prove_rejects(void **state)
{
    (void)state;
    pair p;
    uint8_t pr[HS_PROVE_BYTES + 1] = {0}, t[T3_BYTES];
    const int lens[] = {HS_PROVE_BYTES - 1, HS_PROVE_BYTES + 1, 0};
    for (size_t k = 0; k < 3; k++) {
        to_prove(&p);
        memcpy(pr, p.prove, HS_PROVE_BYTES);
        CHECK(hs_on_prove(&p.r, pr, (size_t)lens[k]), CF_EFORMAT);
        assert_int_equal(hs_get_state(&p.r), HS_FAILED);
    }
    /* Names I, signed by M. */
    to_prove(&p);
    memcpy(pr, p.prove, HS_PROVE_BYTES);
    size_t n = transcript(t, p.hello + HELLO_EPH, p.accept, K_R.pk, K_I.pk);
    cf_ed25519_sign(t, n, K_M.sk, pr + PROVE_SIG);
    CHECK(hs_on_prove(&p.r, pr, HS_PROVE_BYTES), CF_EHS_BAD_SIG);
    assert_null(hs_peer_key(&p.r));
    /* M, genuinely, but R expects I. */
    to_prove(&p);
    CHECK(hs_expect_peer(&p.r, K_I.pk), CF_OK);
    memcpy(pr, K_M.pk, 32);
    n = transcript(t, p.hello + HELLO_EPH, p.accept, K_R.pk, K_M.pk);
    cf_ed25519_sign(t, n, K_M.sk, pr + PROVE_SIG);
    memcpy(pr + PROVE_HDR, p.prove + PROVE_HDR, 24);
    CHECK(hs_on_prove(&p.r, pr, HS_PROVE_BYTES), CF_EHS_PEER);
    /* R's own key and signature reflected back at it. */
    to_prove(&p);
    memcpy(pr, K_R.pk, 32);
    n = transcript(t, p.hello + HELLO_EPH, p.accept, K_R.pk, K_R.pk);
    cf_ed25519_sign(t, n, K_R.sk, pr + PROVE_SIG);
    CHECK(hs_on_prove(&p.r, pr, HS_PROVE_BYTES), CF_EHS_PEER);
    wipe_pair(&p);
}

/* ---- replay and man in the middle --------------------------------------- */

static void test_replayed_accept(void **state)
{
    (void)state;
    pair old, now;
    to_accept(&old); /* R answered an earlier session */
    start(&now, &K_I, &K_R);
    CHECK(hs_hello(&now.i, now.hello), CF_OK); /* fresh eI */
    accept_case(&now, old.accept, HS_ACCEPT_BYTES, CF_EHS_BAD_SIG);
    wipe_pair(&old);
    wipe_pair(&now);
}

static void test_replayed_prove(void **state)
{
    (void)state;
    pair old, now;
    established(&old);
    /* The attacker replays I's whole side: the old HELLO, then the old
     * PROVE; R answered with a fresh eR in between. */
    start(&now, &K_I, &K_R);
    CHECK(hs_on_hello(&now.r, old.hello, HS_HELLO_BYTES, now.accept), CF_OK);
    CHECK(hs_on_prove(&now.r, old.prove, HS_PROVE_BYTES), CF_EHS_BAD_SIG);
    assert_int_equal(hs_get_state(&now.r), HS_FAILED);
    /* Replayed into the session that already took it: wrong state. */
    CHECK(hs_on_prove(&old.r, old.prove, HS_PROVE_BYTES), CF_EINVAL);
    wipe_pair(&old);
    wipe_pair(&now);
}

static void test_mitm_hello(void **state)
{
    (void)state;
    pair p;
    hs_session m;
    uint8_t mh[HS_HELLO_BYTES], h[HS_HELLO_BYTES];
    start(&p, &K_I, &K_R);
    CHECK(hs_hello(&p.i, p.hello), CF_OK);
    /* The relay puts its own ephemeral in I's HELLO. */
    CHECK(hs_init(&m, HS_INITIATOR, NET, K_M.pk, K_M.sk), CF_OK);
    CHECK(hs_hello(&m, mh), CF_OK);
    memcpy(h, p.hello, HS_HELLO_BYTES);
    memcpy(h + HELLO_EPH, mh + HELLO_EPH, 32);
    CHECK(hs_on_hello(&p.r, h, HS_HELLO_BYTES, p.accept), CF_OK);
    /* R's signature names the relay's ephemeral: I refuses. */
    accept_case(&p, p.accept, HS_ACCEPT_BYTES, CF_EHS_BAD_SIG);
    /* The relay's own session with R could finish only with I's PROVE. */
    uint8_t prove[HS_PROVE_BYTES];
    CHECK(hs_on_accept(&m, p.accept, HS_ACCEPT_BYTES, prove), CF_OK);
    assert_memory_equal(hs_peer_key(&m), K_R.pk, 32);
    hs_wipe(&m);
    wipe_pair(&p);
}

static void test_mitm_accept(void **state)
{
    (void)state;
    pair p;
    hs_session m;
    uint8_t ma[HS_ACCEPT_BYTES], a[HS_ACCEPT_BYTES];
    to_accept(&p);
    /* The relay answers I itself and splices its ephemeral into R's ACCEPT. */
    CHECK(hs_init(&m, HS_RESPONDER, NET, K_M.pk, K_M.sk), CF_OK);
    CHECK(hs_on_hello(&m, p.hello, HS_HELLO_BYTES, ma), CF_OK);
    memcpy(a, p.accept, HS_ACCEPT_BYTES);
    memcpy(a, ma, 32);
    accept_case(&p, a, HS_ACCEPT_BYTES, CF_EHS_BAD_SIG);
    /* ... or also its header. */
    to_accept(&p);
    memcpy(a, p.accept, HS_ACCEPT_BYTES);
    memcpy(a, ma, 32);
    memcpy(a + ACCEPT_HDR, ma + ACCEPT_HDR, 24);
    accept_case(&p, a, HS_ACCEPT_BYTES, CF_EHS_BAD_SIG);
    /* Its own complete ACCEPT is M speaking as M: refused when I expects R. */
    to_accept(&p);
    CHECK(hs_init(&m, HS_RESPONDER, NET, K_M.pk, K_M.sk), CF_OK);
    CHECK(hs_on_hello(&m, p.hello, HS_HELLO_BYTES, ma), CF_OK);
    CHECK(hs_expect_peer(&p.i, K_R.pk), CF_OK);
    accept_case(&p, ma, HS_ACCEPT_BYTES, CF_EHS_PEER);
    hs_wipe(&m);
    wipe_pair(&p);
}

/* A member M swaps I's key and signature in PROVE for its own: R believes it
 * talks to M, but no frame opens on either side (H3 is the frames' AD). */
static void test_identity_misbinding(void **state)
{
    (void)state;
    pair p;
    uint8_t pr[HS_PROVE_BYTES], t[T3_BYTES];
    to_prove(&p);
    memcpy(pr, K_M.pk, 32);
    size_t n = transcript(t, p.hello + HELLO_EPH, p.accept, K_R.pk, K_M.pk);
    cf_ed25519_sign(t, n, K_M.sk, pr + PROVE_SIG);
    memcpy(pr + PROVE_HDR, p.prove + PROVE_HDR, 24);
    CHECK(hs_on_prove(&p.r, pr, HS_PROVE_BYTES), CF_OK);
    assert_memory_equal(hs_peer_key(&p.r), K_M.pk, 32);
    uint8_t wi[64], wr[64];
    size_t li = seal(&p.i, g_msg, 5, wi, sizeof wi);
    size_t lr = seal(&p.r, g_msg, 5, wr, sizeof wr);
    open_fails(&p.r, wi, li, CF_ECRYPTO);
    open_fails(&p.i, wr, lr, CF_ECRYPTO);
    /* The failed session still names the peer for the log. */
    assert_memory_equal(hs_peer_key(&p.r), K_M.pk, 32);
    wipe_pair(&p);
}

static void test_tampered_stream_header(void **state)
{
    (void)state;
    pair p;
    uint8_t w[64];
    /* R->I header: the handshake completes, R's first frame does not open. */
    to_accept(&p);
    p.accept[ACCEPT_HDR + 5] ^= 1;
    CHECK(hs_on_accept(&p.i, p.accept, HS_ACCEPT_BYTES, p.prove), CF_OK);
    CHECK(hs_on_prove(&p.r, p.prove, HS_PROVE_BYTES), CF_OK);
    size_t wl = seal(&p.r, g_msg, 5, w, sizeof w);
    open_fails(&p.i, w, wl, CF_ECRYPTO);
    /* I->R header likewise. */
    to_prove(&p);
    p.prove[PROVE_HDR + 23] ^= 0x80;
    CHECK(hs_on_prove(&p.r, p.prove, HS_PROVE_BYTES), CF_OK);
    wl = seal(&p.i, g_msg, 5, w, sizeof w);
    open_fails(&p.r, w, wl, CF_ECRYPTO);
    wipe_pair(&p);
}

/* Every byte of every message, changed: refused at once, or (stream
 * headers) at the first frame. */
static void test_mutate_messages(void **state)
{
    (void)state;
    pair p;
    uint8_t accept[HS_ACCEPT_BYTES];
    rng_state = g_seed ^ 0x68656c6c6full;
    for (size_t k = 0; k < HS_HELLO_BYTES; k++) {
        start(&p, &K_I, &K_R);
        CHECK(hs_hello(&p.i, p.hello), CF_OK);
        p.hello[k] ^= (uint8_t)(1 + rng_next() % 255);
        int rc = hs_on_hello(&p.r, p.hello, HS_HELLO_BYTES, accept);
        if (k < HELLO_NET) CHECK(rc, CF_EFORMAT);
        else if (k < HELLO_EPH) CHECK(rc, CF_EWRONG_NETWORK);
        else if (rc == CF_OK) /* R cannot tell; I refuses R's signature */
            accept_case(&p, accept, HS_ACCEPT_BYTES, CF_EHS_BAD_SIG);
        else CHECK(rc, CF_ECRYPTO); /* it became a low-order point */
    }
    for (size_t k = 0; k < HS_ACCEPT_BYTES; k++) {
        to_accept(&p);
        p.accept[k] ^= (uint8_t)(1 + rng_next() % 255);
        if (k < ACCEPT_HDR) {
            accept_case(&p, p.accept, HS_ACCEPT_BYTES, CF_EHS_BAD_SIG);
            continue;
        }
        CHECK(hs_on_accept(&p.i, p.accept, HS_ACCEPT_BYTES, p.prove), CF_OK);
        CHECK(hs_on_prove(&p.r, p.prove, HS_PROVE_BYTES), CF_OK);
        uint8_t w[32];
        open_fails(&p.i, w, seal(&p.r, g_msg, 1, w, sizeof w), CF_ECRYPTO);
    }
    for (size_t k = 0; k < HS_PROVE_BYTES; k++) {
        to_prove(&p);
        p.prove[k] ^= (uint8_t)(1 + rng_next() % 255);
        int rc = hs_on_prove(&p.r, p.prove, HS_PROVE_BYTES);
        if (k < PROVE_HDR) {
            CHECK(rc, CF_EHS_BAD_SIG);
            assert_int_equal(hs_get_state(&p.r), HS_FAILED);
            continue;
        }
        CHECK(rc, CF_OK);
        uint8_t w[32];
        open_fails(&p.r, w, seal(&p.i, g_msg, 1, w, sizeof w), CF_ECRYPTO);
    }
    wipe_pair(&p);
}

int main(void)
{
    g_seed = tu_seed("test_handshake_messages");
    if (cf_crypto_init() != CF_OK) return 1;
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_full_handshake),
        cmocka_unit_test(test_hello_rejects),
        cmocka_unit_test(test_accept_rejects),
        cmocka_unit_test(test_prove_rejects),
        cmocka_unit_test(test_replayed_accept),
        cmocka_unit_test(test_replayed_prove),
        cmocka_unit_test(test_mitm_hello),
        cmocka_unit_test(test_mitm_accept),
        cmocka_unit_test(test_identity_misbinding),
        cmocka_unit_test(test_tampered_stream_header),
        cmocka_unit_test(test_mutate_messages),
    };
    return cmocka_run_group_tests(tests, fx_setup, NULL);
}
