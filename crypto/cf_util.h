/* cf_util.h — thin, checked wrappers around libsodium for the layers above.
 *
 * Only crypto/ includes sodium.h (see docs/architecture.md); store/ and node/
 * reach hashing, encodings and randomness through these functions.
 */
#ifndef COFUND_CF_UTIL_H
#define COFUND_CF_UTIL_H

#include <stddef.h>
#include <stdint.h>

#define CF_SHA256_BYTES 32
#define CF_ED25519_PK_BYTES 32
#define CF_ED25519_SK_BYTES 64
#define CF_ED25519_SEED_BYTES 32
#define CF_ED25519_SIG_BYTES 64

/* Initialise libsodium. Idempotent; must succeed before any other cf_ call.
 * Returns CF_OK or CF_ECRYPTO. */
int cf_crypto_init(void);

/* Incremental SHA-256 (sha256.c: the x86 SHA extensions where the processor
 * has them, else libsodium). The state is opaque storage big enough for either. */
typedef struct {
    _Alignas(16) unsigned char opaque[128];
} cf_sha256_ctx;
void cf_sha256_init(cf_sha256_ctx *ctx);
void cf_sha256_update(cf_sha256_ctx *ctx, const void *data, size_t len);
void cf_sha256_final(cf_sha256_ctx *ctx, uint8_t out[CF_SHA256_BYTES]);
void cf_sha256(const void *data, size_t len, uint8_t out[CF_SHA256_BYTES]);

/* Lowercase hex. cf_hex_encode writes 2*len chars plus NUL into out (cap
 * bytes); CF_ETOOBIG if cap is short. cf_hex_decode accepts upper and lower
 * case, requires exactly 2*out_len hex digits and nothing else. */
int cf_hex_encode(const uint8_t *in, size_t len, char *out, size_t cap);
/* A 32-byte key or hash (Ed25519 public key, SHA-256) in lowercase hex: 64
 * digits and a NUL. cf_hex32 writes them into out and returns out. */
#define CF_HEX32_BYTES (2 * 32 + 1)
char *cf_hex32(const uint8_t in[32], char out[CF_HEX32_BYTES]);
int cf_hex_decode(const char *hex, size_t hex_len, uint8_t *out, size_t out_len);

/* Standard padded base64 (RFC 4648 §4). Encoding writes a NUL-terminated
 * string; cf_b64_encoded_len(n) is its length without the NUL. Decoding is
 * strict: padding required, no whitespace, non-zero trailing bits rejected.
 * *out_len receives the decoded size; CF_EFORMAT on any defect, CF_ETOOBIG if
 * cap is short. */
size_t cf_b64_encoded_len(size_t n);
int cf_b64_encode(const uint8_t *in, size_t len, char *out, size_t cap);
int cf_b64_decode(const char *b64, size_t b64_len, uint8_t *out, size_t cap,
                  size_t *out_len);
/* The same decoding for public text (signatures, hashes, keys of signed
 * notes): the same result and error for every input (out is undefined after
 * an error), several times faster, but its time depends on the input, which
 * cf_b64_decode's (libsodium's) does not: never for a secret. */
int cf_b64_decode_public(const char *b64, size_t b64_len, uint8_t *out, size_t cap,
                         size_t *out_len);

/* Cryptographically secure random bytes. */
void cf_random(void *buf, size_t len);
/* Uniform in [0, upper). upper > 0. */
uint32_t cf_random_uniform(uint32_t upper);

/* Wipe a secret; the compiler may not elide it. */
void cf_wipe(void *buf, size_t len);
/* Room for one more element in a growing array: when n == *cap, *items is
 * reallocated to twice its capacity (first elements at the start). CF_OK,
 * or CF_ENOMEM leaving *items and *cap as they were. */
int cf_reserve(void **items, size_t *cap, size_t n, size_t size, size_t first);
/* Constant-time equality for secrets: 1 when equal. */
int cf_equal_secret(const void *a, const void *b, size_t len);

/* Ed25519 (RFC 8032). sk is libsodium's 64-byte form (seed || pk). */
int cf_ed25519_keypair_from_seed(const uint8_t seed[CF_ED25519_SEED_BYTES],
                                 uint8_t pk[CF_ED25519_PK_BYTES],
                                 uint8_t sk[CF_ED25519_SK_BYTES]);
void cf_ed25519_sign(const uint8_t *msg, size_t len,
                     const uint8_t sk[CF_ED25519_SK_BYTES],
                     uint8_t sig[CF_ED25519_SIG_BYTES]);
/* 1 when sig is a valid signature of msg by pk, 0 otherwise. */
int cf_ed25519_verify(const uint8_t *msg, size_t len,
                      const uint8_t sig[CF_ED25519_SIG_BYTES],
                      const uint8_t pk[CF_ED25519_PK_BYTES]);
/* Signatures made and checked by cf_ed25519_sign and _verify in this process
 * so far (either pointer may be NULL): the node reports them (`node status`),
 * the scale test counts checks per append. */
void cf_ed25519_counts(uint64_t *signs, uint64_t *verifies);

/* Big-endian integer helpers (no alignment assumptions). */
static inline void cf_put_be64(uint8_t *p, uint64_t v)
{
    for (int i = 7; i >= 0; i--) {
        p[i] = (uint8_t)(v & 0xff);
        v >>= 8;
    }
}
static inline uint64_t cf_get_be64(const uint8_t *p)
{
    uint64_t v = 0;
    for (int i = 0; i < 8; i++) v = (v << 8) | p[i];
    return v;
}
static inline void cf_put_be32(uint8_t *p, uint32_t v)
{
    p[0] = (uint8_t)(v >> 24);
    p[1] = (uint8_t)(v >> 16);
    p[2] = (uint8_t)(v >> 8);
    p[3] = (uint8_t)v;
}
static inline uint32_t cf_get_be32(const uint8_t *p)
{
    return ((uint32_t)p[0] << 24) | ((uint32_t)p[1] << 16) |
           ((uint32_t)p[2] << 8) | (uint32_t)p[3];
}

#endif
