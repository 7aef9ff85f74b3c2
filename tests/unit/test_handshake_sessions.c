/* test_handshake_sessions.c — the sessions of crypto/handshake.h: every call
 * in the wrong state or with bad arguments, init and wipe, and deterministic
 * sessions.
 *
 * The fuzz seed corpora (tests/fuzz/corpus/handshake, .../frame) are built
 * here from deterministic sessions and compared byte for byte with the files;
 * COFUND_WRITE_CORPUS=1 rewrites them. The fixed keys (fills 'N', 'I', 'R',
 * 'i', 'r') are the ones in tests/fuzz/fuzz_handshake.c and fuzz_frame.c.
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
    if (cf_crypto_init() != CF_OK) return 1;
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_wrong_state),
        cmocka_unit_test(test_init_and_wipe),
        cmocka_unit_test(test_deterministic_sessions),
        cmocka_unit_test(test_fuzz_seeds),
    };
    return cmocka_run_group_tests(tests, fx_setup, NULL);
}
