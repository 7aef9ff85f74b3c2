/* fuzz_frame.c — libFuzzer target: frames from an authenticated peer. A
 * fixed established pair of deterministic test sessions (same keys as
 * tests/unit/test_handshake_sessions.c, which writes and checks the seed corpus, made
 * of frames the initiator seals first) is set up once; each input runs on
 * copies of it (a snapshot: fine here, never in a node). The input is cut
 * with hs_frame_length and each frame opened by the responder until one is
 * incomplete or refused (the session must then read HS_FAILED). Every frame
 * that opens is sealed back by the responder and must open at the initiator
 * with the same bytes; the first 64 input bytes, sealed by the initiator,
 * must open at a fresh responder copy. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "crypto/cf_util.h"
#include "crypto/handshake.h"

int LLVMFuzzerTestOneInput(const uint8_t *d, size_t n);
int LLVMFuzzerTestOneInput(const uint8_t *d, size_t n)
{
    static hs_session g_i, g_r;
    static uint8_t plain[HS_FRAME_PLAIN_MAX], back[HS_FRAME_PLAIN_MAX];
    static uint8_t wire[HS_WIRE_BYTES_MAX];
    static int ready;
    uint8_t net[32], seed[32], eph[32], pk[32], sk[64];
    uint8_t h[HS_HELLO_BYTES], a[HS_ACCEPT_BYTES], p[HS_PROVE_BYTES];
    size_t fl, pl, bl, wl;
    if (!ready) { /* fills: net 'N', keys 'I' and 'R', ephemerals 'i' and 'r' */
        memset(net, 'N', 32), memset(seed, 'I', 32), memset(eph, 'i', 32);
        if (cf_crypto_init() != 0 || cf_ed25519_keypair_from_seed(seed, pk, sk) != 0 ||
            hs_init_deterministic(&g_i, HS_INITIATOR, net, pk, sk, eph) != 0)
            abort();
        memset(seed, 'R', 32), memset(eph, 'r', 32);
        if (cf_ed25519_keypair_from_seed(seed, pk, sk) != 0 ||
            hs_init_deterministic(&g_r, HS_RESPONDER, net, pk, sk, eph) != 0 ||
            hs_hello(&g_i, h) != 0 || hs_on_hello(&g_r, h, sizeof h, a) != 0 ||
            hs_on_accept(&g_i, a, sizeof a, p) != 0 || hs_on_prove(&g_r, p, sizeof p) != 0)
            abort();
        ready = 1;
    }
    hs_session i = g_i, r = g_r, r0 = g_r;
    size_t m = n < 64 ? n : 64;
    if (hs_seal(&i, d, m, wire, sizeof wire, &wl) != 0 ||
        hs_open(&r0, wire, wl, back, sizeof back, &bl) != 0 || bl != m ||
        (m > 0 && memcmp(back, d, m) != 0))
        abort();
    i = g_i;
    while (hs_frame_length(d, n, &fl) == 0) {
        if (hs_open(&r, d, fl, plain, sizeof plain, &pl) != 0) {
            if (hs_get_state(&r) != HS_FAILED) abort();
            break;
        }
        if (hs_seal(&r, plain, pl, wire, sizeof wire, &wl) != 0 ||
            hs_open(&i, wire, wl, back, sizeof back, &bl) != 0 || bl != pl ||
            (pl > 0 && memcmp(back, plain, pl) != 0))
            abort();
        d += fl, n -= fl;
    }
    hs_wipe(&i), hs_wipe(&r), hs_wipe(&r0);
    return 0;
}
