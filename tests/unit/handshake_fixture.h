/* handshake_fixture.h — what the test_handshake_* files share: fixed keys
 * and networks, a pair of sessions talking in memory, and frame helpers that
 * check what they seal and open.
 */
#ifndef COFUND_HANDSHAKE_FIXTURE_H
#define COFUND_HANDSHAKE_FIXTURE_H

#include <stddef.h>
#include <stdint.h>

#include "crypto/cf_error.h"
#include "crypto/handshake.h"

/* Offsets in the messages (handshake.h). */
#define HELLO_NET 10
#define HELLO_EPH 42
#define ACCEPT_PK 32
#define ACCEPT_SIG 64
#define ACCEPT_HDR 128
#define PROVE_SIG 32
#define PROVE_HDR 96

/* expr returns want, or the test fails naming both codes. */
#define CHECK(expr, want)                                                     \
    do {                                                                      \
        int rc_ = (expr);                                                     \
        if (rc_ != (want))                                                    \
            fail_msg("%s: got %s, want %s", #expr, cf_errname(rc_),          \
                     cf_errname(want));                                       \
    } while (0)

typedef struct {
    uint8_t pk[32], sk[64];
} keypair;

/* Made by fx_setup: keys from seeds of 'I', 'R' and 'M' bytes, networks of
 * 'N' and 'O' bytes, and a message of varied bytes. */
extern keypair K_I, K_R, K_M; /* initiator, responder, a third member */
extern uint8_t NET[32], NET2[32];
extern uint8_t g_wire[HS_WIRE_BYTES_MAX + 1], g_plain[HS_FRAME_PLAIN_MAX + 1];
extern uint8_t g_msg[HS_FRAME_PLAIN_MAX + 1];

/* The cmocka group setup that makes the above. */
int fx_setup(void **state);

typedef struct {
    hs_session i, r;
    uint8_t hello[HS_HELLO_BYTES], accept[HS_ACCEPT_BYTES], prove[HS_PROVE_BYTES];
} pair;

/* Both sessions initialised on NET with the given keys. */
void start(pair *p, const keypair *ki, const keypair *kr);
/* I and R, up to ACCEPT written by R (not yet fed to I). */
void to_accept(pair *p);
/* Up to PROVE written by I (not yet fed to R). */
void to_prove(pair *p);
/* Both sides established. */
void established(pair *p);
void wipe_pair(pair *p);

/* Seals m[0..n) into wire[0..cap) and checks the frame's length. */
size_t seal(hs_session *s, const uint8_t *m, size_t n, uint8_t *wire, size_t cap);
/* The frame measures wl bytes and opens to m[0..n). */
void open_expect(hs_session *s, const uint8_t *wire, size_t wl, const uint8_t *m, size_t n);
/* Open must fail with want and leave the session failed for good. */
void open_fails(hs_session *s, const uint8_t *wire, size_t wl, int want);
/* One small frame each way must open (or, with want != CF_OK, fail). */
void frames_both_ways(pair *p, int want);

#endif
