/* fuzz_handshake.c — libFuzzer target: handshake messages from a stranger.
 * Byte 0 picks a side:
 *   even: a responder is fed HELLO = the next d[1] bytes, then (if the HELLO
 *         got through) PROVE = everything after them;
 *   odd:  an initiator that has sent its HELLO is fed ACCEPT = d[1..].
 * Both are deterministic test sessions with fixed keys, the same as in
 * tests/unit/test_handshake_sessions.c, which writes and checks the seed corpus; so
 * the corpus holds handshakes that succeed and the fuzzer starts from them.
 * Nothing may crash or leak; the session must end established (naming its
 * peer) or failed. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "crypto/cf_util.h"
#include "crypto/handshake.h"

int LLVMFuzzerTestOneInput(const uint8_t *d, size_t n);
int LLVMFuzzerTestOneInput(const uint8_t *d, size_t n)
{
    static uint8_t net[32], ipk[32], isk[64], rpk[32], rsk[64], ie[32], re[32];
    static int ready;
    uint8_t seed[32], hello[HS_HELLO_BYTES], accept[HS_ACCEPT_BYTES];
    uint8_t prove[HS_PROVE_BYTES];
    hs_session s;
    if (!ready) {
        memset(net, 'N', 32), memset(ie, 'i', 32), memset(re, 'r', 32);
        memset(seed, 'I', 32);
        if (cf_crypto_init() != 0 || cf_ed25519_keypair_from_seed(seed, ipk, isk) != 0)
            abort();
        memset(seed, 'R', 32);
        if (cf_ed25519_keypair_from_seed(seed, rpk, rsk) != 0) abort();
        ready = 1;
    }
    if (n == 0) return 0;
    if ((d[0] & 1) == 0) {
        size_t left = n > 2 ? n - 2 : 0, hello_len = n > 1 ? d[1] : 0;
        const uint8_t *p = n > 2 ? d + 2 : d;
        if (hello_len > left) hello_len = left;
        if (hs_init_deterministic(&s, HS_RESPONDER, net, rpk, rsk, re) != 0) abort();
        if (hs_on_hello(&s, p, hello_len, accept) == 0)
            hs_on_prove(&s, p + hello_len, left - hello_len);
    } else {
        if (hs_init_deterministic(&s, HS_INITIATOR, net, ipk, isk, ie) != 0 ||
            hs_hello(&s, hello) != 0)
            abort();
        hs_on_accept(&s, d + 1, n - 1, prove);
    }
    enum hs_state st = hs_get_state(&s);
    if (st != HS_FAILED && st != HS_ESTABLISHED) abort();
    if (st == HS_ESTABLISHED && hs_peer_key(&s) == NULL) abort();
    hs_wipe(&s);
    return 0;
}
