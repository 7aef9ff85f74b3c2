/* test_handshake_frames.c — the secretstream frames of crypto/handshake.h
 * after an established handshake: every byte of a frame tampered with,
 * replayed, reordered, dropped and reflected frames, frame-length limits and
 * partial buffers, and random frames drained as node/ would. The random tests
 * print their seed; set COFUND_SEED=<n> to replay one run.
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

#define RANDOM_ROUNDS 300
#define BATCH_FRAMES 6
#define SMALL_PLAIN_MAX 4096

static uint64_t g_seed;
static uint64_t rng_state;

static uint64_t rng_next(void)
{
    return tu_rng_next(&rng_state);
}

static uint8_t g_batch[BATCH_FRAMES * (SMALL_PLAIN_MAX + 21)];

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

int main(void)
{
    g_seed = tu_seed("test_handshake_frames");
    if (cf_crypto_init() != CF_OK) return 1;
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_frame_tamper),
        cmocka_unit_test(test_frame_order),
        cmocka_unit_test(test_frame_length),
        cmocka_unit_test(test_random_frames),
    };
    return cmocka_run_group_tests(tests, fx_setup, NULL);
}
