/* cf_util.c — libsodium behind the small interface of cf_util.h (SHA-256 is
 * sha256.c's). */
#include "cf_util.h"

#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>

#include <sodium.h>

#include "cf_error.h"

_Static_assert(CF_ED25519_PK_BYTES == crypto_sign_PUBLICKEYBYTES, "pk size");
_Static_assert(CF_ED25519_SK_BYTES == crypto_sign_SECRETKEYBYTES, "sk size");
_Static_assert(CF_ED25519_SEED_BYTES == crypto_sign_SEEDBYTES, "seed size");
_Static_assert(CF_ED25519_SIG_BYTES == crypto_sign_BYTES, "sig size");
_Static_assert(CF_SHA256_BYTES == crypto_hash_sha256_BYTES, "sha256 size");

int cf_crypto_init(void)
{
    return sodium_init() < 0 ? CF_ECRYPTO : CF_OK;
}

int cf_hex_encode(const uint8_t *in, size_t len, char *out, size_t cap)
{
    if (len > (SIZE_MAX - 1) / 2 || cap < 2 * len + 1) return CF_ETOOBIG;
    sodium_bin2hex(out, cap, in, len);
    return CF_OK;
}

char *cf_hex32(const uint8_t in[32], char out[CF_HEX32_BYTES])
{
    sodium_bin2hex(out, CF_HEX32_BYTES, in, 32);
    return out;
}

/* Each byte's value as a hex digit, HEXX for a byte that is not one. */
#define HEXX 0x100
static const uint16_t HEX_VALUE[256] = {
    HEXX, HEXX, HEXX, HEXX, HEXX, HEXX, HEXX, HEXX, HEXX, HEXX, HEXX, HEXX, HEXX, HEXX, HEXX, HEXX,
    HEXX, HEXX, HEXX, HEXX, HEXX, HEXX, HEXX, HEXX, HEXX, HEXX, HEXX, HEXX, HEXX, HEXX, HEXX, HEXX,
    HEXX, HEXX, HEXX, HEXX, HEXX, HEXX, HEXX, HEXX, HEXX, HEXX, HEXX, HEXX, HEXX, HEXX, HEXX, HEXX,
    0, 1, 2, 3, 4, 5, 6, 7, 8, 9, HEXX, HEXX, HEXX, HEXX, HEXX, HEXX,
    HEXX, 10, 11, 12, 13, 14, 15, HEXX, HEXX, HEXX, HEXX, HEXX, HEXX, HEXX, HEXX, HEXX,
    HEXX, HEXX, HEXX, HEXX, HEXX, HEXX, HEXX, HEXX, HEXX, HEXX, HEXX, HEXX, HEXX, HEXX, HEXX, HEXX,
    HEXX, 10, 11, 12, 13, 14, 15, HEXX, HEXX, HEXX, HEXX, HEXX, HEXX, HEXX, HEXX, HEXX,
    HEXX, HEXX, HEXX, HEXX, HEXX, HEXX, HEXX, HEXX, HEXX, HEXX, HEXX, HEXX, HEXX, HEXX, HEXX, HEXX,
    HEXX, HEXX, HEXX, HEXX, HEXX, HEXX, HEXX, HEXX, HEXX, HEXX, HEXX, HEXX, HEXX, HEXX, HEXX, HEXX,
    HEXX, HEXX, HEXX, HEXX, HEXX, HEXX, HEXX, HEXX, HEXX, HEXX, HEXX, HEXX, HEXX, HEXX, HEXX, HEXX,
    HEXX, HEXX, HEXX, HEXX, HEXX, HEXX, HEXX, HEXX, HEXX, HEXX, HEXX, HEXX, HEXX, HEXX, HEXX, HEXX,
    HEXX, HEXX, HEXX, HEXX, HEXX, HEXX, HEXX, HEXX, HEXX, HEXX, HEXX, HEXX, HEXX, HEXX, HEXX, HEXX,
    HEXX, HEXX, HEXX, HEXX, HEXX, HEXX, HEXX, HEXX, HEXX, HEXX, HEXX, HEXX, HEXX, HEXX, HEXX, HEXX,
    HEXX, HEXX, HEXX, HEXX, HEXX, HEXX, HEXX, HEXX, HEXX, HEXX, HEXX, HEXX, HEXX, HEXX, HEXX, HEXX,
    HEXX, HEXX, HEXX, HEXX, HEXX, HEXX, HEXX, HEXX, HEXX, HEXX, HEXX, HEXX, HEXX, HEXX, HEXX, HEXX,
    HEXX, HEXX, HEXX, HEXX, HEXX, HEXX, HEXX, HEXX, HEXX, HEXX, HEXX, HEXX, HEXX, HEXX, HEXX, HEXX,
};

int cf_hex_decode(const char *hex, size_t hex_len, uint8_t *out, size_t out_len)
{
    const unsigned char *h = (const unsigned char *)hex;
    unsigned bad = 0;
    if (out_len > SIZE_MAX / 2 || hex_len != 2 * out_len) return CF_EFORMAT;
    /* Check every digit before writing: out is left untouched on error. */
    for (size_t i = 0; i < hex_len; i++) bad |= HEX_VALUE[h[i]];
    if (bad & HEXX) return CF_EFORMAT;
    for (size_t i = 0; i < out_len; i++)
        out[i] = (uint8_t)(HEX_VALUE[h[2 * i]] << 4 | HEX_VALUE[h[2 * i + 1]]);
    return CF_OK;
}

size_t cf_b64_encoded_len(size_t n)
{
    /* Not (n + 2) / 3 * 4: n + 2 wraps for n near SIZE_MAX. */
    return n / 3 * 4 + (n % 3 != 0 ? 4 : 0);
}

int cf_b64_encode(const uint8_t *in, size_t len, char *out, size_t cap)
{
    if (len > SIZE_MAX / 2 || cap < cf_b64_encoded_len(len) + 1)
        return CF_ETOOBIG;
    sodium_bin2base64(out, cap, in, len, sodium_base64_VARIANT_ORIGINAL);
    return CF_OK;
}

/* The bytes a base64 text of a non-zero multiple of 4 characters decodes
 * to, counting its padding. */
static size_t b64_decoded_len(const char *s, size_t len)
{
    return len / 4 * 3 - (s[len - 1] == '=') - (s[len - 2] == '=');
}

/* 1 when every byte of s is in the RFC 4648 alphabet or '='. No early exit:
 * the input may encode a secret. Padding placement is left to libsodium. */
static int b64_alphabet_only(const char *s, size_t len)
{
    unsigned bad = 0;
    for (size_t i = 0; i < len; i++) {
        unsigned c = (unsigned char)s[i];
        unsigned ok = (c - 'A' < 26u) | (c - 'a' < 26u) | (c - '0' < 10u) |
                      (c == '+') | (c == '/') | (c == '=');
        bad |= ok ^ 1u;
    }
    return bad == 0;
}

int cf_b64_decode(const char *b64, size_t b64_len, uint8_t *out, size_t cap,
                  size_t *out_len)
{
    size_t n = 0, want;
    const char *end = NULL;
    if (b64_len % 4 != 0) return CF_EFORMAT;
    /* The empty string decodes to nothing; libsodium's bin must not be NULL
     * (nonnull), and callers may legitimately pass out == NULL, cap == 0. */
    if (b64_len == 0) {
        *out_len = 0;
        return CF_OK;
    }
    /* libsodium 1.0.18 maps bytes >= 0x80 (negative chars) to sextets
     * instead of rejecting them ("Zm9\x80" decodes like "Zm9/"), so
     * check the alphabet ourselves first. */
    if (!b64_alphabet_only(b64, b64_len)) return CF_EFORMAT;
    if ((want = b64_decoded_len(b64, b64_len)) > cap) return CF_ETOOBIG;
    /* libsodium rejects bad characters, missing padding and non-zero
     * trailing bits; `end` must reach the end so nothing is ignored. */
    if (sodium_base642bin(out, cap, b64, b64_len, NULL, &n, &end,
                          sodium_base64_VARIANT_ORIGINAL) != 0 ||
        end != b64 + b64_len || n != want) {
        /* libsodium writes as it goes: do not leave part of what may be a
         * secret in the caller's buffer. */
        sodium_memzero(out, cap);
        return CF_EFORMAT;
    }
    *out_len = n;
    return CF_OK;
}

/* Each byte's sextet; B64P for '=', B64B for a byte outside the alphabet. */
#define B64P 0x100
#define B64B 0x200
static const uint16_t B64_SEXTET[256] = {
    B64B, B64B, B64B, B64B, B64B, B64B, B64B, B64B, B64B, B64B, B64B, B64B, B64B, B64B, B64B, B64B,
    B64B, B64B, B64B, B64B, B64B, B64B, B64B, B64B, B64B, B64B, B64B, B64B, B64B, B64B, B64B, B64B,
    B64B, B64B, B64B, B64B, B64B, B64B, B64B, B64B, B64B, B64B, B64B, 62, B64B, B64B, B64B, 63,
    52, 53, 54, 55, 56, 57, 58, 59, 60, 61, B64B, B64B, B64B, B64P, B64B, B64B,
    B64B, 0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14,
    15, 16, 17, 18, 19, 20, 21, 22, 23, 24, 25, B64B, B64B, B64B, B64B, B64B,
    B64B, 26, 27, 28, 29, 30, 31, 32, 33, 34, 35, 36, 37, 38, 39, 40,
    41, 42, 43, 44, 45, 46, 47, 48, 49, 50, 51, B64B, B64B, B64B, B64B, B64B,
    B64B, B64B, B64B, B64B, B64B, B64B, B64B, B64B, B64B, B64B, B64B, B64B, B64B, B64B, B64B, B64B,
    B64B, B64B, B64B, B64B, B64B, B64B, B64B, B64B, B64B, B64B, B64B, B64B, B64B, B64B, B64B, B64B,
    B64B, B64B, B64B, B64B, B64B, B64B, B64B, B64B, B64B, B64B, B64B, B64B, B64B, B64B, B64B, B64B,
    B64B, B64B, B64B, B64B, B64B, B64B, B64B, B64B, B64B, B64B, B64B, B64B, B64B, B64B, B64B, B64B,
    B64B, B64B, B64B, B64B, B64B, B64B, B64B, B64B, B64B, B64B, B64B, B64B, B64B, B64B, B64B, B64B,
    B64B, B64B, B64B, B64B, B64B, B64B, B64B, B64B, B64B, B64B, B64B, B64B, B64B, B64B, B64B, B64B,
    B64B, B64B, B64B, B64B, B64B, B64B, B64B, B64B, B64B, B64B, B64B, B64B, B64B, B64B, B64B, B64B,
    B64B, B64B, B64B, B64B, B64B, B64B, B64B, B64B, B64B, B64B, B64B, B64B, B64B, B64B, B64B, B64B,
};

int cf_b64_decode_public(const char *b64, size_t b64_len, uint8_t *out, size_t cap,
                         size_t *out_len)
{
    /* cf_b64_decode's checks, in its order: the same error for every input. */
    const unsigned char *s = (const unsigned char *)b64;
    if (b64_len % 4 != 0) return CF_EFORMAT;
    if (b64_len == 0) {
        *out_len = 0;
        return CF_OK;
    }
    size_t want = b64_decoded_len(b64, b64_len);
    if (want > cap) {
        unsigned all = 0;
        for (size_t i = 0; i < b64_len; i++) all |= B64_SEXTET[s[i]];
        return all & B64B ? CF_EFORMAT : CF_ETOOBIG;
    }
    size_t last = b64_len - 4, o = 0;
    unsigned bad = 0;
    for (size_t i = 0; i < last; i += 4) {
        unsigned a = B64_SEXTET[s[i]], b = B64_SEXTET[s[i + 1]], c = B64_SEXTET[s[i + 2]],
                 d = B64_SEXTET[s[i + 3]];
        uint32_t v = (uint32_t)a << 18 | (uint32_t)b << 12 | (uint32_t)c << 6 | d;
        bad |= a | b | c | d;
        out[o++] = (uint8_t)(v >> 16), out[o++] = (uint8_t)(v >> 8), out[o++] = (uint8_t)v;
    }
    /* The last group: "xxxx", "xxx=" or "xx==", the bits past the bytes zero. */
    unsigned a = B64_SEXTET[s[last]], b = B64_SEXTET[s[last + 1]], c = B64_SEXTET[s[last + 2]],
             d = B64_SEXTET[s[last + 3]];
    if (c == B64P && d == B64P) c = d = 0;
    else if (d == B64P) d = 0;
    uint32_t v = (uint32_t)a << 18 | (uint32_t)b << 12 | (uint32_t)c << 6 | d;
    bad |= a | b | c | d;
    size_t tail = want - o; /* 1, 2 or 3 bytes */
    if (tail < 3 && (v & (tail == 1 ? 0xffffu : 0xffu)) != 0) bad |= B64B;
    if (bad & (B64P | B64B)) return CF_EFORMAT; /* out may hold anything */
    out[o++] = (uint8_t)(v >> 16);
    if (tail > 1) out[o++] = (uint8_t)(v >> 8);
    if (tail > 2) out[o++] = (uint8_t)v;
    *out_len = o;
    return CF_OK;
}

void cf_random(void *buf, size_t len)
{
    randombytes_buf(buf, len);
}

uint32_t cf_random_uniform(uint32_t upper)
{
    CF_ASSERT(upper > 0);
    return randombytes_uniform(upper);
}

int cf_reserve(void **items, size_t *cap, size_t n, size_t size, size_t first)
{
    if (n < *cap) return CF_OK;
    size_t want = *cap ? 2 * *cap : first;
    if (want < *cap || want > SIZE_MAX / size) return CF_ENOMEM;
    void *p = realloc(*items, want * size);
    if (p == NULL) return CF_ENOMEM;
    *items = p;
    *cap = want;
    return CF_OK;
}

void cf_wipe(void *buf, size_t len)
{
    sodium_memzero(buf, len);
}

int cf_equal_secret(const void *a, const void *b, size_t len)
{
    return sodium_memcmp(a, b, len) == 0;
}

int cf_ed25519_keypair_from_seed(const uint8_t seed[CF_ED25519_SEED_BYTES],
                                 uint8_t pk[CF_ED25519_PK_BYTES],
                                 uint8_t sk[CF_ED25519_SK_BYTES])
{
    return crypto_sign_seed_keypair(pk, sk, seed) == 0 ? CF_OK : CF_ECRYPTO;
}

static atomic_uint_fast64_t ed25519_signs, ed25519_verifies;

void cf_ed25519_counts(uint64_t *signs, uint64_t *verifies)
{
    if (signs) *signs = atomic_load_explicit(&ed25519_signs, memory_order_relaxed);
    if (verifies) *verifies = atomic_load_explicit(&ed25519_verifies, memory_order_relaxed);
}

void cf_ed25519_sign(const uint8_t *msg, size_t len,
                     const uint8_t sk[CF_ED25519_SK_BYTES],
                     uint8_t sig[CF_ED25519_SIG_BYTES])
{
    atomic_fetch_add_explicit(&ed25519_signs, 1, memory_order_relaxed);
    crypto_sign_detached(sig, NULL, msg, len, sk);
}

int cf_ed25519_verify(const uint8_t *msg, size_t len,
                      const uint8_t sig[CF_ED25519_SIG_BYTES],
                      const uint8_t pk[CF_ED25519_PK_BYTES])
{
    atomic_fetch_add_explicit(&ed25519_verifies, 1, memory_order_relaxed);
    return crypto_sign_verify_detached(sig, msg, len, pk) == 0;
}
