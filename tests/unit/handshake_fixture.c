/* handshake_fixture.c — what the test_handshake_* files share
 * (handshake_fixture.h). */
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

keypair K_I, K_R, K_M;
uint8_t NET[32], NET2[32];
uint8_t g_wire[HS_WIRE_BYTES_MAX + 1], g_plain[HS_FRAME_PLAIN_MAX + 1];
uint8_t g_msg[HS_FRAME_PLAIN_MAX + 1];

static void key_from(uint8_t b, keypair *k)
{
    uint8_t seed[32];
    memset(seed, b, sizeof seed);
    CHECK(cf_ed25519_keypair_from_seed(seed, k->pk, k->sk), CF_OK);
}

int fx_setup(void **state)
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

void start(pair *p, const keypair *ki, const keypair *kr)
{
    memset(p, 0, sizeof *p);
    CHECK(hs_init(&p->i, HS_INITIATOR, NET, ki->pk, ki->sk), CF_OK);
    CHECK(hs_init(&p->r, HS_RESPONDER, NET, kr->pk, kr->sk), CF_OK);
}

void to_accept(pair *p)
{
    start(p, &K_I, &K_R);
    CHECK(hs_hello(&p->i, p->hello), CF_OK);
    CHECK(hs_on_hello(&p->r, p->hello, HS_HELLO_BYTES, p->accept), CF_OK);
}

void to_prove(pair *p)
{
    to_accept(p);
    CHECK(hs_on_accept(&p->i, p->accept, HS_ACCEPT_BYTES, p->prove), CF_OK);
}

void established(pair *p)
{
    to_prove(p);
    CHECK(hs_on_prove(&p->r, p->prove, HS_PROVE_BYTES), CF_OK);
}

void wipe_pair(pair *p)
{
    hs_wipe(&p->i);
    hs_wipe(&p->r);
}

size_t seal(hs_session *s, const uint8_t *m, size_t n, uint8_t *wire,
                   size_t cap)
{
    size_t wl = 0;
    CHECK(hs_seal(s, m, n, wire, cap, &wl), CF_OK);
    assert_int_equal(wl, n + HS_FRAME_OVERHEAD + 4);
    return wl;
}

void open_expect(hs_session *s, const uint8_t *wire, size_t wl,
                        const uint8_t *m, size_t n)
{
    size_t fl = 0, pl = 0;
    CHECK(hs_frame_length(wire, wl, &fl), CF_OK);
    assert_int_equal(fl, wl);
    CHECK(hs_open(s, wire, wl, g_plain, sizeof g_plain, &pl), CF_OK);
    assert_int_equal(pl, n);
    if (n > 0) assert_memory_equal(g_plain, m, n);
}

void open_fails(hs_session *s, const uint8_t *wire, size_t wl, int want)
{
    size_t pl = 0;
    CHECK(hs_open(s, wire, wl, g_plain, sizeof g_plain, &pl), want);
    assert_int_equal(hs_get_state(s), HS_FAILED);
}

void frames_both_ways(pair *p, int want)
{
    uint8_t w[64];
    size_t wl = seal(&p->i, g_msg, 9, w, sizeof w);
    if (want == CF_OK) open_expect(&p->r, w, wl, g_msg, 9);
    else open_fails(&p->r, w, wl, want);
    wl = seal(&p->r, g_msg, 10, w, sizeof w);
    if (want == CF_OK) open_expect(&p->i, w, wl, g_msg, 10);
    else open_fails(&p->i, w, wl, want);
}
