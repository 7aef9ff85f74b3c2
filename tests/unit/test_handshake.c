/* test_handshake.c — the handshake/secretstream state machine
 * (crypto/handshake.h).
 *
 * Two sessions talk in memory. The layout and the transcripts are checked
 * from outside (the test rebuilds T2/T3 and verifies the signatures itself),
 * then every defence from both sides: wrong network, bad magic and lengths,
 * foreign signatures, replayed ACCEPT and PROVE, relays that substitute their
 * own ephemeral, identity misbinding, tampered stream headers, every byte of
 * every handshake message and of a frame mutated, replayed, reordered,
 * dropped and reflected frames, frame-length limits and partial buffers, and
 * every call in the wrong state. The random test prints its seed; set
 * COFUND_SEED=<n> to replay one run.
 *
 * The fuzz seed corpora (tests/fuzz/corpus/handshake, .../frame) are built
 * here from deterministic sessions and compared byte for byte with the files;
 * COFUND_WRITE_CORPUS=1 rewrites them. The fixed keys (fills 'N', 'I', 'R',
 * 'i', 'r') are the ones in tests/fuzz/fuzz_handshake.c and fuzz_frame.c.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <cmocka.h>

#include "cf_error.h"
#include "cf_util.h"
#include "handshake.h"

#define RANDOM_ROUNDS 300
#define BATCH_FRAMES 6
#define SMALL_PLAIN_MAX 4096
#define LABEL_BYTES 20
#define T3_BYTES (LABEL_BYTES + 5 * 32)
/* Offsets in the messages (handshake.h). */
#define HELLO_NET 10
#define HELLO_EPH 42
#define ACCEPT_PK 32
#define ACCEPT_SIG 64
#define ACCEPT_HDR 128
#define PROVE_SIG 32
#define PROVE_HDR 96

#define CHECK(expr, want)                                                     \
    do {                                                                      \
        int rc_ = (expr);                                                     \
        if (rc_ != (want))                                                    \
            fail_msg("%s: got %s, want %s", #expr, cf_errname(rc_),          \
                     cf_errname(want));                                       \
    } while (0)

static uint64_t g_seed;
static uint64_t rng_state;

static uint64_t rng_next(void) /* splitmix64 */
{
    uint64_t z = (rng_state += 0x9e3779b97f4a7c15ull);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
    return z ^ (z >> 31);
}

typedef struct {
    uint8_t pk[32], sk[64];
} keypair;

static keypair K_I, K_R, K_M; /* initiator, responder, a third member */
static uint8_t NET[32], NET2[32];
static uint8_t g_wire[HS_WIRE_BYTES_MAX + 1], g_plain[HS_FRAME_PLAIN_MAX + 1];
static uint8_t g_msg[HS_FRAME_PLAIN_MAX + 1];
static uint8_t g_batch[BATCH_FRAMES * (SMALL_PLAIN_MAX + 21)];

static void key_from(uint8_t b, keypair *k)
{
    uint8_t seed[32];
    memset(seed, b, sizeof seed);
    CHECK(cf_ed25519_keypair_from_seed(seed, k->pk, k->sk), CF_OK);
}

static int setup(void **state)
{
    (void)state;
    key_from('I', &K_I);
    key_from('R', &K_R);
    key_from('M', &K_M);
    memset(NET, 'N', sizeof NET);
    memset(NET2, 'O', sizeof NET2);
    for (size_t i = 0; i < sizeof g_msg; i++) g_msg[i] = (uint8_t)(i * 7 + 3);
    return 0;
}

/* ---- a pair of sessions ------------------------------------------------- */

typedef struct {
    hs_session i, r;
    uint8_t hello[HS_HELLO_BYTES], accept[HS_ACCEPT_BYTES], prove[HS_PROVE_BYTES];
} pair;

static void start(pair *p, const keypair *ki, const keypair *kr)
{
    memset(p, 0, sizeof *p);
    CHECK(hs_init(&p->i, HS_INITIATOR, NET, ki->pk, ki->sk), CF_OK);
    CHECK(hs_init(&p->r, HS_RESPONDER, NET, kr->pk, kr->sk), CF_OK);
}

/* Up to ACCEPT written by R (not yet fed to I). */
static void to_accept(pair *p)
{
    start(p, &K_I, &K_R);
    CHECK(hs_hello(&p->i, p->hello), CF_OK);
    CHECK(hs_on_hello(&p->r, p->hello, HS_HELLO_BYTES, p->accept), CF_OK);
}

/* Up to PROVE written by I (not yet fed to R). */
static void to_prove(pair *p)
{
    to_accept(p);
    CHECK(hs_on_accept(&p->i, p->accept, HS_ACCEPT_BYTES, p->prove), CF_OK);
}

static void established(pair *p)
{
    to_prove(p);
    CHECK(hs_on_prove(&p->r, p->prove, HS_PROVE_BYTES), CF_OK);
}

static void wipe_pair(pair *p)
{
    hs_wipe(&p->i);
    hs_wipe(&p->r);
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

static size_t seal(hs_session *s, const uint8_t *m, size_t n, uint8_t *wire,
                   size_t cap)
{
    size_t wl = 0;
    CHECK(hs_seal(s, m, n, wire, cap, &wl), CF_OK);
    assert_int_equal(wl, n + HS_FRAME_OVERHEAD + 4);
    return wl;
}

static void open_expect(hs_session *s, const uint8_t *wire, size_t wl,
                        const uint8_t *m, size_t n)
{
    size_t fl = 0, pl = 0;
    CHECK(hs_frame_length(wire, wl, &fl), CF_OK);
    assert_int_equal(fl, wl);
    CHECK(hs_open(s, wire, wl, g_plain, sizeof g_plain, &pl), CF_OK);
    assert_int_equal(pl, n);
    if (n > 0) assert_memory_equal(g_plain, m, n);
}

/* Open must fail with want and leave the session failed for good. */
static void open_fails(hs_session *s, const uint8_t *wire, size_t wl, int want)
{
    size_t pl = 0;
    CHECK(hs_open(s, wire, wl, g_plain, sizeof g_plain, &pl), want);
    assert_int_equal(hs_get_state(s), HS_FAILED);
}

/* One small frame each way must open (or, with want != CF_OK, fail). */
static void frames_both_ways(pair *p, int want)
{
    uint8_t w[64];
    size_t wl = seal(&p->i, g_msg, 9, w, sizeof w);
    if (want == CF_OK) open_expect(&p->r, w, wl, g_msg, 9);
    else open_fails(&p->r, w, wl, want);
    wl = seal(&p->r, g_msg, 10, w, sizeof w);
    if (want == CF_OK) open_expect(&p->i, w, wl, g_msg, 10);
    else open_fails(&p->i, w, wl, want);
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

/* ---- frames ------------------------------------------------------------- */

static void test_frame_tamper(void **state)
{
    (void)state;
    pair p;
    uint8_t w[64], t[64];
    rng_state = g_seed ^ 0x6672616d65ull;
    established(&p);
    size_t wl = seal(&p.i, g_msg, 20, w, sizeof w);
    wipe_pair(&p);
    for (size_t k = 0; k <= wl + 1; k++) {
        established(&p);
        size_t wk = seal(&p.i, g_msg, 20, w, sizeof w);
        memcpy(t, w, wk);
        if (k < wl) {
            t[k] ^= (uint8_t)(1 + rng_next() % 255);
            int rc = hs_open(&p.r, t, wk, g_plain, sizeof g_plain, &(size_t){0});
            /* The prefix is checked against the length given; the rest is
             * authenticated. */
            if (k >= 4) CHECK(rc, CF_ECRYPTO);
            else if (rc != CF_EFORMAT && rc != CF_ETOOBIG)
                fail_msg("prefix byte %zu: got %s", k, cf_errname(rc));
        } else if (k == wl) { /* truncated, presented as whole */
            CHECK(hs_open(&p.r, t, wk - 1, g_plain, sizeof g_plain, &(size_t){0}),
                  CF_EFORMAT);
        } else { /* a trailing byte */
            t[wk] = 0;
            CHECK(hs_open(&p.r, t, wk + 1, g_plain, sizeof g_plain, &(size_t){0}),
                  CF_EFORMAT);
        }
        assert_int_equal(hs_get_state(&p.r), HS_FAILED);
        /* Failed for good: the genuine frame is refused too. */
        CHECK(hs_open(&p.r, w, wk, g_plain, sizeof g_plain, &(size_t){0}), CF_EINVAL);
        wipe_pair(&p);
    }
}

static void test_frame_order(void **state)
{
    (void)state;
    pair p, other;
    uint8_t f[3][40];
    size_t fl[3];
    for (int scenario = 0; scenario < 5; scenario++) {
        established(&p);
        for (int k = 0; k < 3; k++) fl[k] = seal(&p.i, g_msg + k, 8, f[k], 40);
        switch (scenario) {
        case 0: /* replay */
            open_expect(&p.r, f[0], fl[0], g_msg, 8);
            open_fails(&p.r, f[0], fl[0], CF_ECRYPTO);
            break;
        case 1: /* reorder */
            open_fails(&p.r, f[1], fl[1], CF_ECRYPTO);
            break;
        case 2: /* drop */
            open_expect(&p.r, f[0], fl[0], g_msg, 8);
            open_fails(&p.r, f[2], fl[2], CF_ECRYPTO);
            break;
        case 3: /* reflected to its sender */
            open_fails(&p.i, f[0], fl[0], CF_ECRYPTO);
            break;
        default: /* from another session between the same members */
            established(&other);
            open_fails(&other.r, f[0], fl[0], CF_ECRYPTO);
            wipe_pair(&other);
        }
        wipe_pair(&p);
    }
}

static void test_frame_length(void **state)
{
    (void)state;
    pair p;
    uint8_t w[64 + 8], b[8];
    size_t fl = 99;
    established(&p);
    size_t wl = seal(&p.i, g_msg, 30, w, sizeof w);
    for (size_t k = 0; k < wl; k++) CHECK(hs_frame_length(w, k, &fl), CF_EINCOMPLETE);
    memset(w + wl, 0xff, 8); /* the next frame's bytes do not matter */
    for (size_t k = wl; k <= wl + 8; k++) {
        CHECK(hs_frame_length(w, k, &fl), CF_OK);
        assert_int_equal(fl, wl);
    }
    CHECK(hs_frame_length(NULL, 0, &fl), CF_EINCOMPLETE);
    CHECK(hs_frame_length(NULL, 4, &fl), CF_EINVAL);
    CHECK(hs_frame_length(w, 4, NULL), CF_EINVAL);
    /* Limits, decided from the 4 length bytes alone. */
    const struct {
        uint32_t len;
        int want;
    } cases[] = {
        {0, CF_EFORMAT},
        {1, CF_EFORMAT},
        {HS_FRAME_OVERHEAD - 1, CF_EFORMAT},
        {HS_FRAME_OVERHEAD, CF_EINCOMPLETE},
        {HS_FRAME_BYTES_MAX, CF_EINCOMPLETE},
        {HS_FRAME_BYTES_MAX + 1, CF_ETOOBIG},
        {0x7fffffff, CF_ETOOBIG},
        {0xffffffff, CF_ETOOBIG},
    };
    for (size_t k = 0; k < sizeof cases / sizeof cases[0]; k++) {
        cf_put_be32(b, cases[k].len);
        memset(b + 4, 0, 4);
        for (size_t n = 0; n < 4; n++) CHECK(hs_frame_length(b, n, &fl), CF_EINCOMPLETE);
        CHECK(hs_frame_length(b, 4, &fl), cases[k].want);
        CHECK(hs_frame_length(b, 8, &fl), cases[k].want);
    }
    /* An empty-plaintext frame is exactly the overhead. */
    cf_put_be32(b, HS_FRAME_OVERHEAD);
    memset(g_wire, 0, 4 + HS_FRAME_OVERHEAD);
    memcpy(g_wire, b, 4);
    CHECK(hs_frame_length(g_wire, 4 + HS_FRAME_OVERHEAD, &fl), CF_OK);
    assert_int_equal(fl, 4 + HS_FRAME_OVERHEAD);
    /* The maximum frame is measured whole; a frame over it fails hs_open too. */
    cf_put_be32(g_wire, HS_FRAME_BYTES_MAX);
    CHECK(hs_frame_length(g_wire, HS_WIRE_BYTES_MAX, &fl), CF_OK);
    assert_int_equal(fl, HS_WIRE_BYTES_MAX);
    cf_put_be32(g_wire, HS_FRAME_BYTES_MAX + 1);
    open_fails(&p.r, g_wire, HS_WIRE_BYTES_MAX + 1, CF_ETOOBIG);
    wipe_pair(&p);
}

/* Frames of random sizes in random directions, several per receive buffer,
 * drained as node/ would: measure, open, move on. */
static void test_random_frames(void **state)
{
    (void)state;
    pair p;
    rng_state = g_seed;
    established(&p);
    for (int round = 0; round < RANDOM_ROUNDS; round++) {
        bool to_r = rng_next() & 1;
        hs_session *tx = to_r ? &p.i : &p.r, *rx = to_r ? &p.r : &p.i;
        if (rng_next() % 50 == 0) { /* a large one on its own */
            size_t n = HS_FRAME_PLAIN_MAX - (size_t)(rng_next() % 5000);
            open_expect(rx, g_wire, seal(tx, g_msg, n, g_wire, sizeof g_wire), g_msg, n);
            continue;
        }
        size_t count = 1 + rng_next() % BATCH_FRAMES, used = 0;
        size_t sizes[BATCH_FRAMES], offs[BATCH_FRAMES];
        for (size_t k = 0; k < count; k++) {
            sizes[k] = rng_next() % 4 == 0 ? rng_next() % 16 : rng_next() % SMALL_PLAIN_MAX;
            offs[k] = rng_next() % 64;
            used += seal(tx, g_msg + offs[k], sizes[k], g_batch + used,
                         sizeof g_batch - used);
        }
        size_t at = 0, cut = rng_next() % (used + 1), fl = 0;
        /* A partial read first: everything before cut, then the rest. */
        for (size_t k = 0; k < count; k++) {
            size_t avail = (at < cut ? cut : used) - at;
            int rc = hs_frame_length(g_batch + at, avail, &fl);
            if (rc == CF_EINCOMPLETE) {
                assert_true(at < cut);
                CHECK(hs_frame_length(g_batch + at, used - at, &fl), CF_OK);
            } else {
                CHECK(rc, CF_OK);
            }
            open_expect(rx, g_batch + at, fl, g_msg + offs[k], sizes[k]);
            at += fl;
        }
        assert_int_equal(at, used);
    }
    wipe_pair(&p);
}

/* ---- states and arguments ----------------------------------------------- */

static void test_wrong_state(void **state)
{
    (void)state;
    pair p;
    uint8_t buf[HS_ACCEPT_BYTES] = {0}, w[64] = {0};
    size_t n = 0;
    /* Initiator calls in the responder's steps, and the reverse. */
    start(&p, &K_I, &K_R);
    CHECK(hs_on_hello(&p.i, buf, HS_HELLO_BYTES, buf), CF_EINVAL);
    CHECK(hs_on_accept(&p.r, buf, HS_ACCEPT_BYTES, buf), CF_EINVAL);
    assert_int_equal(hs_get_state(&p.i), HS_FAILED);
    assert_int_equal(hs_get_state(&p.r), HS_FAILED);
    start(&p, &K_I, &K_R);
    CHECK(hs_on_accept(&p.i, buf, HS_ACCEPT_BYTES, buf), CF_EINVAL); /* no HELLO yet */
    CHECK(hs_hello(&p.r, buf), CF_EINVAL);
    start(&p, &K_I, &K_R);
    CHECK(hs_on_prove(&p.i, buf, HS_PROVE_BYTES), CF_EINVAL);
    CHECK(hs_on_prove(&p.r, buf, HS_PROVE_BYTES), CF_EINVAL); /* before HELLO */
    /* Frames before the handshake finished. */
    to_accept(&p);
    CHECK(hs_seal(&p.i, g_msg, 1, w, sizeof w, &n), CF_EINVAL);
    CHECK(hs_open(&p.r, w, 22, g_plain, sizeof g_plain, &n), CF_EINVAL);
    assert_int_equal(hs_get_state(&p.i), HS_FAILED);
    assert_int_equal(hs_get_state(&p.r), HS_FAILED);
    /* Steps repeated. */
    to_accept(&p);
    CHECK(hs_hello(&p.i, buf), CF_EINVAL);
    CHECK(hs_on_hello(&p.r, p.hello, HS_HELLO_BYTES, buf), CF_EINVAL);
    established(&p);
    CHECK(hs_on_accept(&p.i, p.accept, HS_ACCEPT_BYTES, buf), CF_EINVAL);
    CHECK(hs_expect_peer(&p.r, K_I.pk), CF_EINVAL); /* too late */
    assert_int_equal(hs_get_state(&p.r), HS_FAILED);
    /* A failed session refuses everything, and still names its peer. */
    CHECK(hs_seal(&p.i, g_msg, 1, w, sizeof w, &n), CF_EINVAL);
    CHECK(hs_open(&p.i, w, 22, g_plain, sizeof g_plain, &n), CF_EINVAL);
    CHECK(hs_expect_peer(&p.i, K_R.pk), CF_EINVAL);
    assert_memory_equal(hs_peer_key(&p.i), K_R.pk, 32);
    /* NULL arguments fail the session. */
    established(&p);
    CHECK(hs_open(&p.r, NULL, 22, g_plain, sizeof g_plain, &n), CF_EINVAL);
    assert_int_equal(hs_get_state(&p.r), HS_FAILED);
    to_prove(&p);
    CHECK(hs_on_prove(&p.r, NULL, HS_PROVE_BYTES), CF_EINVAL);
    start(&p, &K_I, &K_R);
    CHECK(hs_hello(&p.i, NULL), CF_EINVAL);
    CHECK(hs_expect_peer(&p.r, NULL), CF_EINVAL);
    assert_int_equal(hs_get_state(&p.r), HS_FAILED);
    wipe_pair(&p);

    /* No session at all. */
    CHECK(hs_hello(NULL, buf), CF_EINVAL);
    CHECK(hs_seal(NULL, g_msg, 1, w, sizeof w, &n), CF_EINVAL);
    assert_int_equal(hs_get_state(NULL), HS_FAILED);
    assert_null(hs_peer_key(NULL));
    hs_wipe(NULL);
    hs_session zero;
    memset(&zero, 0, sizeof zero); /* never initialised */
    assert_int_equal(hs_get_state(&zero), HS_FAILED);
    CHECK(hs_hello(&zero, buf), CF_EINVAL);
}

static void test_init_and_wipe(void **state)
{
    (void)state;
    hs_session s;
    uint8_t sk[64], zero[sizeof s.opaque] = {0}, hello[HS_HELLO_BYTES];
    CHECK(hs_init(NULL, HS_INITIATOR, NET, K_I.pk, K_I.sk), CF_EINVAL);
    CHECK(hs_init(&s, (enum hs_role)7, NET, K_I.pk, K_I.sk), CF_EINVAL);
    assert_int_equal(hs_get_state(&s), HS_FAILED);
    CHECK(hs_init(&s, HS_INITIATOR, NULL, K_I.pk, K_I.sk), CF_EINVAL);
    CHECK(hs_init(&s, HS_INITIATOR, NET, NULL, K_I.sk), CF_EINVAL);
    CHECK(hs_init(&s, HS_INITIATOR, NET, K_I.pk, NULL), CF_EINVAL);
    CHECK(hs_init(&s, HS_INITIATOR, NET, K_R.pk, K_I.sk), CF_EINVAL);
    memcpy(sk, K_I.sk, 64);
    sk[0] ^= 1; /* seed half does not derive pk */
    CHECK(hs_init(&s, HS_INITIATOR, NET, K_I.pk, sk), CF_EINVAL);
    memcpy(sk, K_I.sk, 64);
    sk[63] ^= 1; /* pk half disagrees */
    CHECK(hs_init(&s, HS_INITIATOR, NET, K_I.pk, sk), CF_EINVAL);
    assert_memory_equal(s.opaque, zero, sizeof zero);
    CHECK(hs_init_deterministic(&s, HS_INITIATOR, NET, K_I.pk, K_I.sk, NULL),
          CF_EINVAL);

    pair p;
    established(&p);
    hs_wipe(&p.i);
    assert_memory_equal(p.i.opaque, zero, sizeof zero);
    assert_int_equal(hs_get_state(&p.i), HS_FAILED);
    assert_null(hs_peer_key(&p.i));
    CHECK(hs_seal(&p.i, g_msg, 1, g_wire, sizeof g_wire, &(size_t){0}), CF_EINVAL);
    /* A wiped session can start again. */
    CHECK(hs_init(&p.i, HS_INITIATOR, NET, K_I.pk, K_I.sk), CF_OK);
    CHECK(hs_hello(&p.i, hello), CF_OK);
    wipe_pair(&p);
}

/* ---- deterministic sessions and the fuzz seed corpora ------------------- */

static void det_start(pair *p)
{
    uint8_t ei[32], er[32];
    memset(ei, 'i', 32);
    memset(er, 'r', 32);
    memset(p, 0, sizeof *p);
    CHECK(hs_init_deterministic(&p->i, HS_INITIATOR, NET, K_I.pk, K_I.sk, ei), CF_OK);
    CHECK(hs_init_deterministic(&p->r, HS_RESPONDER, NET, K_R.pk, K_R.sk, er), CF_OK);
}

static void det_established(pair *p)
{
    det_start(p);
    CHECK(hs_hello(&p->i, p->hello), CF_OK);
    CHECK(hs_on_hello(&p->r, p->hello, HS_HELLO_BYTES, p->accept), CF_OK);
    CHECK(hs_on_accept(&p->i, p->accept, HS_ACCEPT_BYTES, p->prove), CF_OK);
    CHECK(hs_on_prove(&p->r, p->prove, HS_PROVE_BYTES), CF_OK);
}

static void test_deterministic_sessions(void **state)
{
    (void)state;
    pair a, b;
    uint8_t wa[64], wb[64];
    det_established(&a);
    det_established(&b);
    assert_memory_equal(a.hello, b.hello, HS_HELLO_BYTES);
    assert_memory_equal(a.accept, b.accept, HS_ACCEPT_BYTES);
    assert_memory_equal(a.prove, b.prove, HS_PROVE_BYTES);
    for (int k = 0; k < 3; k++) { /* push state from a fixed header works */
        size_t n = seal(&a.i, g_msg, 10, wa, sizeof wa);
        assert_int_equal(seal(&b.i, g_msg, 10, wb, sizeof wb), n);
        assert_memory_equal(wa, wb, n);
        open_expect(&a.r, wa, n, g_msg, 10);
        n = seal(&a.r, g_msg, 11, wa, sizeof wa);
        open_expect(&a.i, wa, n, g_msg, 11);
    }
    /* A deterministic initiator against a random responder. */
    uint8_t ei[32];
    memset(ei, 'i', 32);
    wipe_pair(&b);
    start(&b, &K_I, &K_R);
    CHECK(hs_init_deterministic(&b.i, HS_INITIATOR, NET, K_I.pk, K_I.sk, ei), CF_OK);
    CHECK(hs_hello(&b.i, b.hello), CF_OK);
    CHECK(hs_on_hello(&b.r, b.hello, HS_HELLO_BYTES, b.accept), CF_OK);
    assert_memory_not_equal(b.accept, a.accept, 32);
    CHECK(hs_on_accept(&b.i, b.accept, HS_ACCEPT_BYTES, b.prove), CF_OK);
    CHECK(hs_on_prove(&b.r, b.prove, HS_PROVE_BYTES), CF_OK);
    frames_both_ways(&b, CF_OK);
    wipe_pair(&a);
    wipe_pair(&b);
}

struct seed {
    const char *name;
    uint8_t data[512];
    size_t len;
};

static void put(struct seed *s, const void *p, size_t n)
{
    assert_true(n <= sizeof s->data - s->len);
    memcpy(s->data + s->len, p, n);
    s->len += n;
}

/* Write the seeds (COFUND_WRITE_CORPUS set) or require the files to match. */
static void check_corpus(const char *dir, const struct seed *seeds, size_t count)
{
    bool write = getenv("COFUND_WRITE_CORPUS") != NULL;
    char path[512];
    uint8_t got[sizeof seeds->data + 1];
    for (size_t k = 0; k < count; k++) {
        snprintf(path, sizeof path, "%s/fuzz/corpus/%s/%s", COFUND_TEST_DATA, dir,
                 seeds[k].name);
        FILE *f = fopen(path, write ? "wb" : "rb");
        if (f == NULL) fail_msg("%s: cannot open (COFUND_WRITE_CORPUS=1 writes it)", path);
        if (write) {
            assert_int_equal(fwrite(seeds[k].data, 1, seeds[k].len, f), seeds[k].len);
        } else {
            size_t n = fread(got, 1, sizeof got, f);
            if (n != seeds[k].len || memcmp(got, seeds[k].data, n) != 0)
                fail_msg("%s differs from its generator (COFUND_WRITE_CORPUS=1)", path);
        }
        assert_int_equal(fclose(f), 0);
    }
}

static void test_fuzz_seeds(void **state)
{
    (void)state;
    pair p;
    struct seed hs[10], fr[12];
    memset(hs, 0, sizeof hs);
    memset(fr, 0, sizeof fr);
    det_established(&p);
    const uint8_t resp[2] = {0, HS_HELLO_BYTES}, init = 1, short_hello[2] = {0, 73};
    /* fuzz_handshake: byte 0 even = responder (HELLO length, HELLO, PROVE),
     * odd = initiator (ACCEPT). */
    const char *hn[] = {"valid-responder", "valid-initiator", "bad-wrong-network",
                        "bad-magic", "bad-hello-short", "bad-low-order",
                        "bad-prove-flip", "bad-prove-long", "bad-accept-flip",
                        "bad-accept-short"};
    for (size_t k = 0; k < 10; k++) hs[k].name = hn[k];
    for (size_t k = 0; k < 10; k++) {
        if (k == 1 || k >= 8) {
            put(&hs[k], &init, 1);
            put(&hs[k], p.accept, HS_ACCEPT_BYTES - (k == 9));
        } else {
            put(&hs[k], k == 4 ? short_hello : resp, 2);
            put(&hs[k], p.hello, HS_HELLO_BYTES - (k == 4));
            put(&hs[k], p.prove, HS_PROVE_BYTES);
            if (k == 7) put(&hs[k], "x", 1);
        }
    }
    hs[2].data[2 + HELLO_NET + 3] ^= 1;
    hs[3].data[2] = 'C';
    memset(hs[5].data + 2 + HELLO_EPH, 0, 32);
    hs[6].data[2 + HS_HELLO_BYTES + PROVE_SIG + 9] ^= 4;
    hs[8].data[1 + ACCEPT_SIG] ^= 0x10;
    check_corpus("handshake", hs, 10);

    /* fuzz_frame: frames sealed by the deterministic initiator, in order. */
    uint8_t f[4][64];
    size_t fl[4];
    static const char *const texts[] = {"", "checkpoint", "ranges 0-9", "entries"};
    for (int k = 0; k < 4; k++)
        fl[k] = seal(&p.i, (const uint8_t *)texts[k], strlen(texts[k]), f[k], 64);
    const char *fn[] = {"valid-empty", "valid-three", "valid-then-partial",
                        "bad-replay", "bad-reorder", "bad-drop", "bad-flip",
                        "bad-truncated", "bad-huge-length", "bad-short-length",
                        "bad-zero-length", "bad-trailing-garbage"};
    const int order[12][4] = {{0, -1}, {0, 1, 2, -1}, {0, 1, 2, -1}, {0, 0, -1},
                              {1, 0, -1}, {0, 2, -1}, {0, 1, -1}, {0, -1},
                              {-1}, {-1}, {-1}, {0, 1, 2, 3}};
    for (size_t k = 0; k < 12; k++) {
        fr[k].name = fn[k];
        for (int j = 0; j < 4 && order[k][j] >= 0; j++)
            put(&fr[k], f[order[k][j]], fl[order[k][j]]);
    }
    fr[2].len -= 5;                /* the third frame cut short */
    fr[6].data[fl[0] + 9] ^= 0x40; /* flip in the second frame's body */
    fr[7].len -= 1;
    const uint8_t huge[8] = {0, 0x10, 0, 0x12, 1, 2, 3, 4}; /* MAX + 1 */
    const uint8_t small[20] = {0, 0, 0, 16};
    const uint8_t zero[4] = {0};
    put(&fr[8], huge, sizeof huge);
    put(&fr[9], small, sizeof small);
    put(&fr[10], zero, sizeof zero);
    uint8_t garbage[4 + 32] = {0, 0, 0, 32};
    memset(garbage + 4, 'g', 32); /* a whole frame's worth of noise */
    put(&fr[11], garbage, sizeof garbage);
    check_corpus("frame", fr, 12);
    wipe_pair(&p);
}

int main(void)
{
    const char *env = getenv("COFUND_SEED");
    g_seed = env ? strtoull(env, NULL, 0) : (uint64_t)time(NULL);
    printf("test_handshake: seed %llu (COFUND_SEED=%llu to replay)\n",
           (unsigned long long)g_seed, (unsigned long long)g_seed);
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
        cmocka_unit_test(test_frame_tamper),
        cmocka_unit_test(test_frame_order),
        cmocka_unit_test(test_frame_length),
        cmocka_unit_test(test_random_frames),
        cmocka_unit_test(test_wrong_state),
        cmocka_unit_test(test_init_and_wipe),
        cmocka_unit_test(test_deterministic_sessions),
        cmocka_unit_test(test_fuzz_seeds),
    };
    return cmocka_run_group_tests(tests, setup, NULL);
}
