/* sha256.c — SHA-256 (FIPS 180-4) for cf_util.h: the x86 SHA extensions
 * where the processor has them, libsodium everywhere else.
 *
 * Why a compression function of our own: every leaf and node of every
 * Merkle tree, every checkpoint and bundle digest goes through SHA-256, and
 * libsodium's is portable C (about 13 cycles a byte here); it has no
 * SHA-extension path. OpenSSL's libcrypto has one, but its only interface
 * that keeps the state on the caller's stack (SHA256_Init and friends) is
 * deprecated since 3.0, and its EVP interface allocates a context per hash
 * and costs 1.3-2x what the extension costs for the 65-300 bytes a tree
 * hashes (docs/performance.md, "SHA-256"). The extension's compression
 * function is Intel's documented instruction sequence (sha256rnds2,
 * sha256msg1, sha256msg2), about sixty lines; the padding and buffering
 * around it are FIPS 180-4 §5.1.1. tests/unit/test_sha256.c checks both
 * backends against the standard's vectors and against each other over
 * seeded random messages split at random.
 *
 * The backend is chosen once per process (the first hash asks the CPU);
 * a context never changes backend, so hashes agree whatever runs where.
 */
#include "cf_util.h"
#include "sha256_testing.h"

#include <stdatomic.h>
#include <stdbool.h>
#include <string.h>

#include <sodium.h>

#if defined(__x86_64__) && (defined(__GNUC__) || defined(__clang__))
#define CF_SHA_NI 1
#include <cpuid.h>
#include <immintrin.h>
#endif

typedef struct {
    uint32_t h[8];
    uint64_t bytes;        /* hashed so far, buffered included */
    uint8_t buf[64];
} ni_state;

typedef union {
    crypto_hash_sha256_state sodium;
    ni_state ni;
} sha_state;

_Static_assert(sizeof(cf_sha256_ctx) >= sizeof(sha_state), "cf_sha256_ctx holds either state");
_Static_assert(_Alignof(cf_sha256_ctx) >= _Alignof(sha_state), "and is aligned for it");

/* 0 not decided yet, 1 libsodium, 2 the extensions. */
static atomic_int backend;

#ifdef CF_SHA_NI
static const uint32_t K[64] = {
    0x428a2f98, 0x71374491, 0xb5c0fbcf, 0xe9b5dba5, 0x3956c25b, 0x59f111f1, 0x923f82a4, 0xab1c5ed5,
    0xd807aa98, 0x12835b01, 0x243185be, 0x550c7dc3, 0x72be5d74, 0x80deb1fe, 0x9bdc06a7, 0xc19bf174,
    0xe49b69c1, 0xefbe4786, 0x0fc19dc6, 0x240ca1cc, 0x2de92c6f, 0x4a7484aa, 0x5cb0a9dc, 0x76f988da,
    0x983e5152, 0xa831c66d, 0xb00327c8, 0xbf597fc7, 0xc6e00bf3, 0xd5a79147, 0x06ca6351, 0x14292967,
    0x27b70a85, 0x2e1b2138, 0x4d2c6dfc, 0x53380d13, 0x650a7354, 0x766a0abb, 0x81c2c92e, 0x92722c85,
    0xa2bfe8a1, 0xa81a664b, 0xc24b8b70, 0xc76c51a3, 0xd192e819, 0xd6990624, 0xf40e3585, 0x106aa070,
    0x19a4c116, 0x1e376c08, 0x2748774c, 0x34b0bcb5, 0x391c0cb3, 0x4ed8aa4a, 0x5b9cca4f, 0x682e6ff3,
    0x748f82ee, 0x78a5636f, 0x84c87814, 0x8cc70208, 0x90befffa, 0xa4506ceb, 0xbef9a3f7, 0xc67178f2,
};

/* The compression function over `blocks` 64-byte blocks. The state lives
 * in two registers as the instructions want it: ABEF and CDGH. Each turn
 * of the loop runs 4 rounds (two sha256rnds2 of 2 rounds each) on message
 * words W[4i..4i+3] and computes the words for 4 rounds later:
 * W[t] = σ1(W[t-2]) + W[t-7] + σ0(W[t-15]) + W[t-16], four at a time. */
__attribute__((target("sha,sse4.1,ssse3")))
static void compress_ni(uint32_t h[8], const uint8_t *data, size_t blocks)
{
    const __m128i bswap = _mm_set_epi64x(0x0c0d0e0f08090a0bLL, 0x0405060700010203LL);
    __m128i tmp = _mm_shuffle_epi32(_mm_loadu_si128((const __m128i *)(const void *)&h[0]), 0xB1);
    __m128i cdgh = _mm_shuffle_epi32(_mm_loadu_si128((const __m128i *)(const void *)&h[4]), 0x1B);
    __m128i abef = _mm_alignr_epi8(tmp, cdgh, 8);
    cdgh = _mm_blend_epi16(cdgh, tmp, 0xF0);

    for (; blocks > 0; blocks--, data += 64) {
        const __m128i abef_in = abef, cdgh_in = cdgh;
        __m128i w[4];
        for (int i = 0; i < 4; i++)
            w[i] = _mm_shuffle_epi8(_mm_loadu_si128((const __m128i *)(const void *)(data + 16 * i)),
                                    bswap);
#pragma GCC unroll 16
        for (int i = 0; i < 16; i++) {
            __m128i wk = _mm_add_epi32(w[i & 3],
                                       _mm_loadu_si128((const __m128i *)(const void *)&K[4 * i]));
            cdgh = _mm_sha256rnds2_epu32(cdgh, abef, wk);
            abef = _mm_sha256rnds2_epu32(abef, cdgh, _mm_shuffle_epi32(wk, 0x0E));
            if (i < 12) {
                __m128i t = _mm_sha256msg1_epu32(w[i & 3], w[(i + 1) & 3]);
                t = _mm_add_epi32(t, _mm_alignr_epi8(w[(i + 3) & 3], w[(i + 2) & 3], 4));
                w[i & 3] = _mm_sha256msg2_epu32(t, w[(i + 3) & 3]);
            }
        }
        abef = _mm_add_epi32(abef, abef_in);
        cdgh = _mm_add_epi32(cdgh, cdgh_in);
    }

    tmp = _mm_shuffle_epi32(abef, 0x1B);
    cdgh = _mm_shuffle_epi32(cdgh, 0xB1);
    _mm_storeu_si128((__m128i *)(void *)&h[0], _mm_blend_epi16(tmp, cdgh, 0xF0));
    _mm_storeu_si128((__m128i *)(void *)&h[4], _mm_alignr_epi8(cdgh, tmp, 8));
}

/* CPUID: leaf 7 EBX bit 29 the SHA extensions, leaf 1 ECX bits 19 and 9
 * SSE4.1 and SSSE3 (Intel SDM vol. 2A, CPUID). Read directly: clang's
 * __builtin_cpu_supports does not know "sha". */
static bool cpu_has_sha_ni(void)
{
    unsigned a, b, c, d;
    if (!__get_cpuid(1, &a, &b, &c, &d) || !(c & (1u << 19)) || !(c & (1u << 9))) return false;
    if (!__get_cpuid_count(7, 0, &a, &b, &c, &d)) return false;
    return (b & (1u << 29)) != 0;
}
#else
static bool cpu_has_sha_ni(void) { return false; }
static void compress_ni(uint32_t h[8], const uint8_t *data, size_t blocks)
{
    (void)h, (void)data, (void)blocks;
}
#endif

static int backend_now(void)
{
    int b = atomic_load_explicit(&backend, memory_order_relaxed);
    if (b == 0) {
        b = cpu_has_sha_ni() ? 2 : 1;
        atomic_store_explicit(&backend, b, memory_order_relaxed);
    }
    return b;
}

bool cf_sha256_has_extensions(void) { return cpu_has_sha_ni(); }

bool cf_sha256_use_extensions(bool on)
{
    if (on && !cpu_has_sha_ni()) return false;
    atomic_store_explicit(&backend, on ? 2 : 1, memory_order_relaxed);
    return true;
}

static void ni_init(ni_state *s)
{
    static const uint32_t iv[8] = {0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a,
                                   0x510e527f, 0x9b05688c, 0x1f83d9ab, 0x5be0cd19};
    memcpy(s->h, iv, sizeof iv);
    s->bytes = 0;
}

static void ni_update(ni_state *s, const uint8_t *p, size_t len)
{
    if (len == 0) return;
    size_t have = (size_t)(s->bytes & 63);
    s->bytes += len;
    if (have) {
        size_t take = 64 - have < len ? 64 - have : len;
        memcpy(s->buf + have, p, take);
        p += take, len -= take;
        if (have + take < 64) return;
        compress_ni(s->h, s->buf, 1);
    }
    if (len >= 64) {
        compress_ni(s->h, p, len / 64);
        p += len & ~(size_t)63;
        len &= 63;
    }
    if (len) memcpy(s->buf, p, len);
}

/* FIPS 180-4 §5.1.1: a 1 bit, zeros to 56 mod 64 bytes, the length in bits. */
static void ni_final(ni_state *s, uint8_t out[CF_SHA256_BYTES])
{
    size_t have = (size_t)(s->bytes & 63);
    uint64_t bits = s->bytes << 3;
    s->buf[have++] = 0x80;
    if (have > 56) {
        memset(s->buf + have, 0, 64 - have);
        compress_ni(s->h, s->buf, 1);
        have = 0;
    }
    memset(s->buf + have, 0, 56 - have);
    for (int i = 0; i < 8; i++) s->buf[56 + i] = (uint8_t)(bits >> (56 - 8 * i));
    compress_ni(s->h, s->buf, 1);
    for (int i = 0; i < 8; i++) {
        out[4 * i] = (uint8_t)(s->h[i] >> 24);
        out[4 * i + 1] = (uint8_t)(s->h[i] >> 16);
        out[4 * i + 2] = (uint8_t)(s->h[i] >> 8);
        out[4 * i + 3] = (uint8_t)s->h[i];
    }
}

/* The first member of the context records its backend, so a context begun
 * under one backend finishes under it even if a test switches between. */
typedef struct {
    int backend;
    sha_state st;
} ctx_layout;
_Static_assert(sizeof(cf_sha256_ctx) >= sizeof(ctx_layout), "cf_sha256_ctx holds the layout");

static ctx_layout *layout(cf_sha256_ctx *ctx) { return (ctx_layout *)(void *)ctx->opaque; }

void cf_sha256_init(cf_sha256_ctx *ctx)
{
    ctx_layout *c = layout(ctx);
    c->backend = backend_now();
    if (c->backend == 2)
        ni_init(&c->st.ni);
    else
        crypto_hash_sha256_init(&c->st.sodium);
}

void cf_sha256_update(cf_sha256_ctx *ctx, const void *data, size_t len)
{
    ctx_layout *c = layout(ctx);
    if (c->backend == 2)
        ni_update(&c->st.ni, data, len);
    else
        crypto_hash_sha256_update(&c->st.sodium, data, len);
}

void cf_sha256_final(cf_sha256_ctx *ctx, uint8_t out[CF_SHA256_BYTES])
{
    ctx_layout *c = layout(ctx);
    if (c->backend == 2)
        ni_final(&c->st.ni, out);
    else
        crypto_hash_sha256_final(&c->st.sodium, out);
}

void cf_sha256(const void *data, size_t len, uint8_t out[CF_SHA256_BYTES])
{
    if (backend_now() == 2) {
        ni_state s;
        ni_init(&s);
        ni_update(&s, data, len);
        ni_final(&s, out);
    } else {
        crypto_hash_sha256(out, data, len);
    }
}
