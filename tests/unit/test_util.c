/* test_util.c — crypto/cf_util.h and the error list of crypto/cf_error.h.
 *
 * Golden vectors: SHA-256 from FIPS 180-2 Appendix B, base64 from RFC 4648
 * §10, Ed25519 from RFC 8032 §7.1 (tests 1 and 2). Everything else checks the
 * strictness promised by cf_util.h from both sides.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cmocka.h>

#include "crypto/cf_error.h"
#include "crypto/cf_util.h"
#include "crypto/merkle.h"

/* Largest vector in bytes (after decoding hex). */
#define VEC_BYTES_MAX 128
/* Length of the FIPS 180-2 "one million a" message. */
#define MILLION_A 1000000
/* cf_b64_encoded_len(64): 21 full quartets plus one padded quartet. */
#define B64_OF_64_BYTES 88

/* ---- helpers ------------------------------------------------------------ */

/* Test-only hex decoder, independent of the one under test. */
static size_t unhex(const char *hex, uint8_t *out, size_t cap)
{
    size_t n = strlen(hex);
    assert_true(n % 2 == 0 && n / 2 <= cap);
    for (size_t i = 0; i < n / 2; i++) {
        unsigned v;
        assert_int_equal(sscanf(hex + 2 * i, "%2x", &v), 1);
        out[i] = (uint8_t)v;
    }
    return n / 2;
}

static void assert_sha256(const void *msg, size_t len, const char *want_hex)
{
    uint8_t got[CF_SHA256_BYTES], want[CF_SHA256_BYTES];
    assert_int_equal(unhex(want_hex, want, sizeof want), CF_SHA256_BYTES);
    cf_sha256(msg, len, got);
    assert_memory_equal(got, want, CF_SHA256_BYTES);
}

static int setup_sodium(void **state)
{
    (void)state;
    return cf_crypto_init() == CF_OK ? 0 : -1;
}

/* ---- SHA-256 ------------------------------------------------------------ */

static void test_sha256_known_answers(void **state)
{
    (void)state;
    assert_sha256("", 0,
                  "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
    assert_sha256("abc", 3,
                  "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
    static const char two_blocks[] =
        "abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq";
    assert_sha256(two_blocks, sizeof two_blocks - 1,
                  "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1");
}

/* One million 'a' fed in uneven chunks (1, 2, ... 997 bytes) equals the
 * FIPS vector, and equals the one-shot hash of the same buffer. */
static void test_sha256_incremental(void **state)
{
    (void)state;
    static const char *want_hex =
        "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0";
    uint8_t want[CF_SHA256_BYTES], got[CF_SHA256_BYTES], once[CF_SHA256_BYTES];
    char *msg = malloc(MILLION_A);
    assert_non_null(msg);
    memset(msg, 'a', MILLION_A);
    unhex(want_hex, want, sizeof want);

    cf_sha256_ctx ctx;
    cf_sha256_init(&ctx);
    cf_sha256_update(&ctx, msg, 0);
    size_t off = 0, chunk = 1;
    while (off < MILLION_A) {
        size_t n = MILLION_A - off < chunk ? MILLION_A - off : chunk;
        cf_sha256_update(&ctx, msg + off, n);
        off += n;
        chunk = chunk % 997 + 1;
    }
    cf_sha256_final(&ctx, got);
    cf_sha256(msg, MILLION_A, once);
    assert_memory_equal(got, want, CF_SHA256_BYTES);
    assert_memory_equal(once, want, CF_SHA256_BYTES);

    /* A fresh init after final starts over: "abc" in three updates. */
    cf_sha256_init(&ctx);
    cf_sha256_update(&ctx, "a", 1);
    cf_sha256_update(&ctx, "b", 1);
    cf_sha256_update(&ctx, "c", 1);
    cf_sha256_final(&ctx, got);
    cf_sha256("abc", 3, once);
    assert_memory_equal(got, once, CF_SHA256_BYTES);
    free(msg);
}

/* ---- hex ---------------------------------------------------------------- */

static void test_hex_encode(void **state)
{
    (void)state;
    static const uint8_t in[] = {0x00, 0x01, 0xab, 0xcd, 0xef, 0xff};
    char out[2 * sizeof in + 1];
    assert_int_equal(cf_hex_encode(in, sizeof in, out, sizeof out), CF_OK);
    assert_string_equal(out, "0001abcdefff");
    /* One byte short of room for the NUL. */
    assert_int_equal(cf_hex_encode(in, sizeof in, out, sizeof out - 1),
                     CF_ETOOBIG);
    assert_int_equal(cf_hex_encode(in, 0, out, 1), CF_OK);
    assert_string_equal(out, "");
    assert_int_equal(cf_hex_encode(in, 0, out, 0), CF_ETOOBIG);
    assert_int_equal(cf_hex_encode(in, SIZE_MAX / 2 + 1, out, sizeof out),
                     CF_ETOOBIG);
}

static void test_hex32(void **state)
{
    (void)state;
    uint8_t key[32];
    char want[CF_HEX32_BYTES + 1], out[CF_HEX32_BYTES + 1];
    for (size_t i = 0; i < sizeof key; i++) key[i] = (uint8_t)(0xf1 - 7 * i);
    assert_int_equal(CF_HEX32_BYTES, 65);
    assert_int_equal(cf_hex_encode(key, 32, want, sizeof want), CF_OK);
    memset(out, 'x', sizeof out);
    assert_ptr_equal(cf_hex32(key, out), out);
    assert_string_equal(out, want);
    assert_int_equal(out[CF_HEX32_BYTES], 'x'); /* nothing past the NUL */
}

static void test_hex_decode(void **state)
{
    (void)state;
    uint8_t out[4];
    static const uint8_t want[] = {0x01, 0xab, 0xcd, 0xef};

    assert_int_equal(cf_hex_decode("01abcdef", 8, out, 4), CF_OK);
    assert_memory_equal(out, want, 4);
    memset(out, 0, sizeof out);
    assert_int_equal(cf_hex_decode("01ABCDEF", 8, out, 4), CF_OK);
    assert_memory_equal(out, want, 4);
    assert_int_equal(cf_hex_decode("01aBcDeF", 8, out, 4), CF_OK);
    assert_memory_equal(out, want, 4);
    assert_int_equal(cf_hex_decode("", 0, out, 0), CF_OK);

    /* Exact length: odd, short, long. */
    assert_int_equal(cf_hex_decode("01abcde", 7, out, 4), CF_EFORMAT);
    assert_int_equal(cf_hex_decode("01abcd", 6, out, 4), CF_EFORMAT);
    assert_int_equal(cf_hex_decode("01abcdef00", 10, out, 4), CF_EFORMAT);
    assert_int_equal(cf_hex_decode("0", 1, out, 0), CF_EFORMAT);

    /* Anything but a hex digit, in either half of a byte. */
    static const char *const bad[] = {
        "0g000000", "g0000000", "000000 0", " 0000000", "0000000x",
        "0x000000", "+1000000", "-1000000", "00\n00000", "0000\377000",
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        memset(out, 0x5a, sizeof out);
        assert_int_equal(cf_hex_decode(bad[i], 8, out, 4), CF_EFORMAT);
        /* Nothing is written on error. */
        for (size_t j = 0; j < sizeof out; j++) assert_int_equal(out[j], 0x5a);
    }
    /* An embedded NUL is not a digit (length is explicit). */
    assert_int_equal(cf_hex_decode("00\0" "00000", 8, out, 4), CF_EFORMAT);
    /* Every byte in either half: a digit iff 0-9, a-f or A-F, of its value. */
    for (unsigned c = 0; c < 256; c++) {
        int v = c >= '0' && c <= '9'   ? (int)c - '0'
                : c >= 'a' && c <= 'f' ? (int)c - 'a' + 10
                : c >= 'A' && c <= 'F' ? (int)c - 'A' + 10
                                       : -1;
        for (int half = 0; half < 2; half++) {
            char h[2] = {'7', '7'};
            h[half] = (char)c;
            out[0] = 0x5a;
            assert_int_equal(cf_hex_decode(h, 2, out, 1), v < 0 ? CF_EFORMAT : CF_OK);
            assert_int_equal(out[0], v < 0 ? 0x5a : half ? 0x70 | v : v << 4 | 7);
        }
    }
}

static void test_hex_round_trip(void **state)
{
    (void)state;
    uint8_t in[256], back[256];
    char hex[2 * sizeof in + 1];
    for (size_t i = 0; i < sizeof in; i++) in[i] = (uint8_t)i;
    assert_int_equal(cf_hex_encode(in, sizeof in, hex, sizeof hex), CF_OK);
    assert_int_equal(strlen(hex), 2 * sizeof in);
    assert_int_equal(cf_hex_decode(hex, strlen(hex), back, sizeof back), CF_OK);
    assert_memory_equal(in, back, sizeof in);
}

/* ---- base64 ------------------------------------------------------------- */

static const struct {
    const char *plain, *b64;
} rfc4648_vectors[] = {
    {"", ""},         {"f", "Zg=="},       {"fo", "Zm8="},
    {"foo", "Zm9v"},  {"foob", "Zm9vYg=="}, {"fooba", "Zm9vYmE="},
    {"foobar", "Zm9vYmFy"},
};

static void test_b64_vectors(void **state)
{
    (void)state;
    for (size_t i = 0; i < sizeof rfc4648_vectors / sizeof rfc4648_vectors[0];
         i++) {
        const char *plain = rfc4648_vectors[i].plain;
        const char *b64 = rfc4648_vectors[i].b64;
        size_t plain_len = strlen(plain), b64_len = strlen(b64), n = 99;
        char enc[16];
        uint8_t dec[16];

        assert_int_equal(cf_b64_encoded_len(plain_len), b64_len);
        assert_int_equal(cf_b64_encode((const uint8_t *)plain, plain_len, enc,
                                       b64_len + 1),
                         CF_OK);
        assert_string_equal(enc, b64);
        assert_int_equal(cf_b64_encode((const uint8_t *)plain, plain_len, enc,
                                       b64_len),
                         CF_ETOOBIG);
        assert_int_equal(cf_b64_decode(b64, b64_len, dec, sizeof dec, &n),
                         CF_OK);
        assert_int_equal(n, plain_len);
        assert_memory_equal(dec, plain, plain_len);
        /* Exactly the decoded size is enough; one less is not. */
        assert_int_equal(cf_b64_decode(b64, b64_len, dec, plain_len, &n),
                         CF_OK);
        if (plain_len > 0)
            assert_int_equal(cf_b64_decode(b64, b64_len, dec, plain_len - 1,
                                           &n),
                             CF_ETOOBIG);
    }
}

static void test_b64_empty(void **state)
{
    (void)state;
    size_t n = 99;
    char enc[1] = {'x'};
    /* Empty input with no output buffer at all. */
    assert_int_equal(cf_b64_decode("", 0, NULL, 0, &n), CF_OK);
    assert_int_equal(n, 0);
    assert_int_equal(cf_b64_encode(NULL, 0, enc, sizeof enc), CF_OK);
    assert_string_equal(enc, "");
    assert_int_equal(cf_b64_encode(NULL, 0, enc, 0), CF_ETOOBIG);
}

static void test_b64_strict(void **state)
{
    (void)state;
    static const char *const bad[] = {
        "Zg",        /* missing padding */
        "Zg=",       /* short padding */
        "Zm8",       /* missing padding */
        "Zg===",     /* too much padding */
        "Z===",      /* a lone sextet is not a byte */
        "====",      /* padding only */
        "Zg==Zg==",  /* padding in the middle */
        "Zm8=Zm9v",  /* padding in the middle */
        "AB=A",      /* data after padding */
        "A=AA",      /* data after padding */
        "QR==",      /* non-zero trailing bits (canonical is QQ==) */
        "QUF=",      /* non-zero trailing bits (canonical is QUE=) */
        "Zm9v ",     /* trailing whitespace */
        " Zm9v",     /* leading whitespace */
        "Zm9v\n",    /* trailing newline */
        "Zm\n9v",    /* embedded newline */
        "Zm9-",      /* URL-safe alphabet */
        "Zm9_",      /* URL-safe alphabet */
        "Zm9!",      /* not base64 */
        "Zm9v\r\n",  /* CRLF */
        "Zm\xc3\xa9", /* UTF-8 */
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        uint8_t out[16];
        size_t n = 99;
        memset(out, 0x5a, sizeof out);
        int rc = cf_b64_decode(bad[i], strlen(bad[i]), out, sizeof out, &n);
        if (rc != CF_EFORMAT) fail_msg("\"%s\" gave %s", bad[i], cf_errname(rc));
        assert_int_equal(n, 99); /* out_len untouched on error */
    }
    /* Every byte outside the alphabet, in every position of a quartet;
     * libsodium 1.0.18 alone accepts bytes >= 0x80. */
    for (unsigned c = 0; c < 256; c++) {
        if ((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') ||
            (c >= '0' && c <= '9') || c == '+' || c == '/' || c == '=')
            continue;
        for (size_t pos = 0; pos < 4; pos++) {
            char q[5] = "Zm9v";
            uint8_t dec[3];
            size_t n;
            q[pos] = (char)c;
            if (cf_b64_decode(q, 4, dec, sizeof dec, &n) != CF_EFORMAT)
                fail_msg("byte 0x%02x at %zu accepted", c, pos);
        }
    }
    /* The canonical forms of the two trailing-bit cases do decode. */
    uint8_t out[4];
    size_t n;
    assert_int_equal(cf_b64_decode("QQ==", 4, out, sizeof out, &n), CF_OK);
    assert_int_equal(n, 1);
    assert_int_equal(out[0], 'A');
    assert_int_equal(cf_b64_decode("QUE=", 4, out, sizeof out, &n), CF_OK);
    assert_int_equal(n, 2);
    /* An embedded NUL is a bad character (length is explicit). */
    assert_int_equal(cf_b64_decode("Zm\0v", 4, out, sizeof out, &n),
                     CF_EFORMAT);
}

/* A failed decode does not leave decoded bytes in the output buffer. */
static void test_b64_error_leaves_no_plaintext(void **state)
{
    (void)state;
    uint8_t out[16];
    size_t n;
    /* "c2VjcmV0" is "secret"; the bad final quartet fails after it. */
    assert_int_equal(cf_b64_decode("c2VjcmV0QR==", 12, out, sizeof out, &n),
                     CF_EFORMAT);
    for (size_t i = 0; i < sizeof out; i++)
        if (out[i] != 0) fail_msg("out[%zu] = 0x%02x after error", i, out[i]);
}

static void test_b64_round_trip_and_len(void **state)
{
    (void)state;
    uint8_t in[64] = {0}, back[64];
    char enc[B64_OF_64_BYTES + 1];
    for (size_t len = 0; len <= sizeof in; len++) {
        size_t n;
        for (size_t i = 0; i < len; i++) in[i] = (uint8_t)(i * 37 + len);
        assert_int_equal(cf_b64_encode(in, len, enc, sizeof enc), CF_OK);
        assert_int_equal(strlen(enc), cf_b64_encoded_len(len));
        assert_int_equal(cf_b64_decode(enc, strlen(enc), back, sizeof back, &n),
                         CF_OK);
        assert_int_equal(n, len);
        if (len) assert_memory_equal(in, back, len);
    }
    /* cf_b64_encoded_len does not wrap for huge n. */
    assert_true(cf_b64_encoded_len(SIZE_MAX - 1) > SIZE_MAX / 4);
    assert_true(cf_b64_encoded_len(SIZE_MAX) > SIZE_MAX / 4);
    assert_int_equal(cf_b64_encode(in, SIZE_MAX / 2 + 1, enc, sizeof enc),
                     CF_ETOOBIG);
}

/* ---- big-endian helpers ------------------------------------------------- */

static void test_be_helpers(void **state)
{
    (void)state;
    uint8_t b[9];
    static const uint8_t be64[8] = {0x01, 0x23, 0x45, 0x67,
                                    0x89, 0xab, 0xcd, 0xef};
    static const uint8_t be32[4] = {0xde, 0xad, 0xbe, 0xef};

    memset(b, 0xee, sizeof b);
    cf_put_be64(b, 0x0123456789abcdefULL);
    assert_memory_equal(b, be64, 8);
    assert_int_equal(b[8], 0xee); /* writes exactly 8 bytes */
    assert_true(cf_get_be64(be64) == 0x0123456789abcdefULL);

    memset(b, 0xee, sizeof b);
    cf_put_be32(b, 0xdeadbeefu);
    assert_memory_equal(b, be32, 4);
    assert_int_equal(b[4], 0xee);
    assert_true(cf_get_be32(be32) == 0xdeadbeefu);

    static const uint64_t v64[] = {0, 1, 0xff, 0x100, UINT64_MAX,
                                   UINT64_MAX - 1, 1ULL << 63};
    for (size_t i = 0; i < sizeof v64 / sizeof v64[0]; i++) {
        cf_put_be64(b + 1, v64[i]); /* unaligned */
        assert_true(cf_get_be64(b + 1) == v64[i]);
    }
    static const uint32_t v32[] = {0, 1, 0xff, 0x100, UINT32_MAX, 1u << 31};
    for (size_t i = 0; i < sizeof v32 / sizeof v32[0]; i++) {
        cf_put_be32(b + 1, v32[i]);
        assert_true(cf_get_be32(b + 1) == v32[i]);
    }
}

/* ---- Ed25519 ------------------------------------------------------------ */

static const struct {
    const char *seed, *pk, *msg, *sig;
} rfc8032_vectors[] = {
    {"9d61b19deffd5a60ba844af492ec2cc44449c5697b326919703bac031cae7f60",
     "d75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a", "",
     "e5564300c360ac729086e2cc806e828a84877f1eb8e5d974d873e065224901555fb8821590a33bacc61e39701cf9b46bd25bf5f0595bbe24655141438e7a100b"},
    {"4ccd089b28ff96da9db6c346ec114e0f5b8a319f35aba624da8cf6ed4fb8a6fb",
     "3d4017c3e843895a92b70aa74d1b7ebc9c982ccf2ec4968cc0cd55f12af4660c", "72",
     "92a009a9f0d4cab8720e820b5f642540a2b27b5416503f8fb3762223ebdb69da085ac1e43e15996e458f3613d0f11d8c387b2eaeb4302aeeb00d291612bb0c00"},
};

static void test_ed25519_vectors(void **state)
{
    (void)state;
    for (size_t i = 0; i < sizeof rfc8032_vectors / sizeof rfc8032_vectors[0];
         i++) {
        uint8_t seed[32], pk_want[32], sig_want[64], msg[VEC_BYTES_MAX];
        uint8_t pk[32], sk[64], sig[64];
        unhex(rfc8032_vectors[i].seed, seed, sizeof seed);
        unhex(rfc8032_vectors[i].pk, pk_want, sizeof pk_want);
        unhex(rfc8032_vectors[i].sig, sig_want, sizeof sig_want);
        size_t len = unhex(rfc8032_vectors[i].msg, msg, sizeof msg);

        assert_int_equal(cf_ed25519_keypair_from_seed(seed, pk, sk), CF_OK);
        assert_memory_equal(pk, pk_want, 32);
        assert_memory_equal(sk, seed, 32); /* sk = seed || pk */
        assert_memory_equal(sk + 32, pk_want, 32);
        cf_ed25519_sign(msg, len, sk, sig);
        assert_memory_equal(sig, sig_want, 64);
        assert_int_equal(cf_ed25519_verify(msg, len, sig, pk), 1);
    }
}

/* Flipping any bit of the signature, of the message or of the public key
 * makes verification fail. */
static void test_ed25519_tamper(void **state)
{
    (void)state;
    uint8_t seed[32], pk[32], sk[64], sig[64], other_pk[32], other_sk[64];
    uint8_t msg[] = "co-investment tranche 7";
    size_t len = sizeof msg - 1;
    memset(seed, 7, sizeof seed);
    assert_int_equal(cf_ed25519_keypair_from_seed(seed, pk, sk), CF_OK);
    cf_ed25519_sign(msg, len, sk, sig);
    assert_int_equal(cf_ed25519_verify(msg, len, sig, pk), 1);

    for (size_t bit = 0; bit < 8 * sizeof sig; bit++) {
        sig[bit / 8] ^= (uint8_t)(1u << bit % 8);
        assert_int_equal(cf_ed25519_verify(msg, len, sig, pk), 0);
        sig[bit / 8] ^= (uint8_t)(1u << bit % 8);
    }
    for (size_t bit = 0; bit < 8 * len; bit++) {
        msg[bit / 8] ^= (uint8_t)(1u << bit % 8);
        assert_int_equal(cf_ed25519_verify(msg, len, sig, pk), 0);
        msg[bit / 8] ^= (uint8_t)(1u << bit % 8);
    }
    for (size_t bit = 0; bit < 8 * sizeof pk; bit++) {
        pk[bit / 8] ^= (uint8_t)(1u << bit % 8);
        assert_int_equal(cf_ed25519_verify(msg, len, sig, pk), 0);
        pk[bit / 8] ^= (uint8_t)(1u << bit % 8);
    }
    assert_int_equal(cf_ed25519_verify(msg, len - 1, sig, pk), 0);
    /* Another key's signature does not verify under pk. */
    seed[0] ^= 1;
    assert_int_equal(cf_ed25519_keypair_from_seed(seed, other_pk, other_sk),
                     CF_OK);
    assert_memory_not_equal(pk, other_pk, 32);
    cf_ed25519_sign(msg, len, other_sk, sig);
    assert_int_equal(cf_ed25519_verify(msg, len, sig, pk), 0);
    assert_int_equal(cf_ed25519_verify(msg, len, sig, other_pk), 1);
    cf_wipe(sk, sizeof sk);
    cf_wipe(other_sk, sizeof other_sk);
}

/* ---- randomness, wipe, constant-time compare ---------------------------- */

static void test_random_and_secrets(void **state)
{
    (void)state;
    uint8_t a[32], b[32], zero[32] = {0};
    cf_random(a, sizeof a);
    cf_random(b, sizeof b);
    /* Each fails with probability 2^-256. */
    assert_memory_not_equal(a, zero, sizeof a);
    assert_memory_not_equal(a, b, sizeof a);
    cf_random(a, 0);

    for (int i = 0; i < 1000; i++) {
        assert_int_equal(cf_random_uniform(1), 0);
        assert_true(cf_random_uniform(10) < 10);
    }

    memcpy(b, a, sizeof a);
    assert_int_equal(cf_equal_secret(a, b, sizeof a), 1);
    b[31] ^= 0x80;
    assert_int_equal(cf_equal_secret(a, b, sizeof a), 0);
    assert_int_equal(cf_equal_secret(a, b, 31), 1);
    cf_wipe(a, sizeof a);
    assert_memory_equal(a, zero, sizeof a);
    assert_int_equal(cf_crypto_init(), CF_OK); /* idempotent */
}

/* ---- error list --------------------------------------------------------- */

static void test_error_names(void **state)
{
    (void)state;
    assert_string_equal(cf_errname(CF_OK), "CF_OK");
    assert_string_equal(cf_strerror(CF_OK), "ok");
    assert_string_equal(cf_errname(CF_ENOMEM), "CF_ENOMEM");
    assert_string_equal(cf_errname(CF_EKEY_PERMS), "CF_EKEY_PERMS");
    assert_int_equal(CF_ENOMEM, -1);

    for (int pos = 0; pos < CF__ERR_COUNT; pos++) {
        int err = -pos - 1;
        const char *name = cf_errname(err), *msg = cf_strerror(err);
        assert_non_null(name);
        assert_non_null(msg);
        assert_true(strncmp(name, "CF_E", 4) == 0 && strlen(name) > 4);
        assert_string_not_equal(name, "CF_E?");
        assert_true(strlen(msg) > 0);
        assert_string_not_equal(msg, "unknown error");
        for (int other = 0; other < pos; other++) {
            assert_string_not_equal(name, cf_errname(-other - 1));
            assert_string_not_equal(msg, cf_strerror(-other - 1));
        }
    }
    /* Outside the list. */
    static const int outside[] = {1, 42, -CF__ERR_COUNT - 1, -100000};
    for (size_t i = 0; i < sizeof outside / sizeof outside[0]; i++) {
        assert_string_equal(cf_errname(outside[i]), "CF_E?");
        assert_string_equal(cf_strerror(outside[i]), "unknown error");
    }
}

/* ---- CF_ASSERT: a programmer's bug aborts in every build ------------------ */

/* Runs bug() in a child whose stderr is a pipe; the child must die of
 * SIGABRT after printing "FILE:LINE: FUNCTION: invariant failed: COND". This
 * suite is built as the release build is (NDEBUG): a plain assert would let
 * the child return. */
static void expect_invariant_abort(void (*bug)(void), const char *file, const char *cond)
{
    int fds[2];
    assert_int_equal(pipe(fds), 0);
    fflush(NULL);
    pid_t pid = fork();
    assert_true(pid >= 0);
    if (pid == 0) {
        dup2(fds[1], STDERR_FILENO);
        close(fds[0]);
        close(fds[1]);
        bug();
        _exit(0); /* the check did not fire */
    }
    close(fds[1]);
    char text[512];
    size_t n = 0;
    ssize_t k;
    while (n < sizeof text - 1 && (k = read(fds[0], text + n, sizeof text - 1 - n)) > 0)
        n += (size_t)k;
    text[n] = '\0';
    close(fds[0]);
    int status;
    assert_int_equal(waitpid(pid, &status, 0), pid);
    if (!WIFSIGNALED(status)) print_message("child exited with %d: %s\n", WEXITSTATUS(status), text);
    assert_true(WIFSIGNALED(status));
    assert_int_equal(WTERMSIG(status), SIGABRT);
    assert_non_null(strstr(text, file));
    assert_non_null(strstr(text, ": invariant failed: "));
    assert_non_null(strstr(text, cond));
}

static void uniform_below_zero(void)
{
    (void)cf_random_uniform(0);
}

static void stream_past_2_64(void)
{
    merkle_stream s;
    uint8_t leaf[MERKLE_HASH_BYTES] = {0}, done[65][MERKLE_HASH_BYTES];
    unsigned nd;
    merkle_stream_init(&s);
    s.size = UINT64_MAX;
    merkle_stream_push(&s, leaf, done, &nd);
}

static void test_invariant_checks_abort_in_release(void **state)
{
    (void)state;
    expect_invariant_abort(uniform_below_zero, "cf_util.c:", "upper > 0");
    expect_invariant_abort(stream_past_2_64, "merkle.c:", "s->size != UINT64_MAX");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_sha256_known_answers),
        cmocka_unit_test(test_sha256_incremental),
        cmocka_unit_test(test_hex_encode),
        cmocka_unit_test(test_hex32),
        cmocka_unit_test(test_hex_decode),
        cmocka_unit_test(test_hex_round_trip),
        cmocka_unit_test(test_b64_vectors),
        cmocka_unit_test(test_b64_empty),
        cmocka_unit_test(test_b64_strict),
        cmocka_unit_test(test_b64_error_leaves_no_plaintext),
        cmocka_unit_test(test_b64_round_trip_and_len),
        cmocka_unit_test(test_be_helpers),
        cmocka_unit_test(test_ed25519_vectors),
        cmocka_unit_test(test_ed25519_tamper),
        cmocka_unit_test(test_random_and_secrets),
        cmocka_unit_test(test_error_names),
        cmocka_unit_test(test_invariant_checks_abort_in_release),
    };
    return cmocka_run_group_tests(tests, setup_sodium, NULL);
}
