/* test_fast_paths.c — the fast paths for public text accept and reject
 * exactly what the slower paths do.
 *
 * UTF-8: the word-at-a-time checks of long texts (crypto/ascii_words.h):
 * cbor_utf8_valid, a signed note's characters (through note_sign, which
 * refuses a text with a control character or bad UTF-8) and key names
 * (note_name_valid), each against a reference written here, on random texts
 * of 1..400 bytes — mostly ASCII, with the characters each check treats
 * specially ('\n', controls, DEL, ' ', '+', Unicode spaces, overlongs,
 * surrogates, stray and truncated sequences) at every offset of an
 * eight-byte word. Short texts take the byte-wise path, long ones the words,
 * so both are compared with the same reference.
 *
 * Base64: cf_b64_decode_public against cf_b64_decode (libsodium's decoder):
 * every quartet over an alphabet of the interesting characters, and random
 * strings and capacities — the same result, error, *out_len and output.
 *
 * The random tests print their seed; set COFUND_SEED=<n> to replay one run.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "crypto/cbor.h"
#include "crypto/cf_error.h"
#include "crypto/cf_util.h"
#include "crypto/note.h"
#include "testutil.h"

#define TEXT_MAX 400
#define ROUNDS 200000

static uint64_t g_seed;

/* ---- references: one scalar value at a time -------------------------- */

/* Decode one scalar value at s[*i] (RFC 3629); false when invalid. */
static bool ref_next(const uint8_t *s, size_t n, size_t *i, uint32_t *cp)
{
    uint8_t b = s[*i];
    size_t len;
    uint32_t c, min;
    if (b < 0x80) len = 1, c = b, min = 0;
    else if ((b & 0xe0) == 0xc0) len = 2, c = b & 0x1f, min = 0x80;
    else if ((b & 0xf0) == 0xe0) len = 3, c = b & 0x0f, min = 0x800;
    else if ((b & 0xf8) == 0xf0) len = 4, c = b & 0x07, min = 0x10000;
    else return false;
    if (n - *i < len) return false;
    for (size_t k = 1; k < len; k++) {
        if ((s[*i + k] & 0xc0) != 0x80) return false;
        c = c << 6 | (s[*i + k] & 0x3f);
    }
    if (c < min || c > 0x10ffff || (c >= 0xd800 && c <= 0xdfff)) return false;
    *i += len;
    *cp = c;
    return true;
}

enum ref_kind { REF_UTF8, REF_TEXT, REF_NAME };

static bool ref_space(uint32_t c)
{
    return (c >= 0x09 && c <= 0x0d) || c == 0x20 || c == 0x85 || c == 0xa0 || c == 0x1680 ||
           (c >= 0x2000 && c <= 0x200a) || c == 0x2028 || c == 0x2029 || c == 0x202f ||
           c == 0x205f || c == 0x3000;
}

static bool ref_valid(const uint8_t *s, size_t n, enum ref_kind kind)
{
    size_t i = 0;
    uint32_t c;
    while (i < n) {
        if (!ref_next(s, n, &i, &c)) return false;
        if (kind == REF_TEXT && c < 0x20 && c != '\n') return false;
        if (kind == REF_NAME && (c < 0x20 || c == '+' || ref_space(c))) return false;
    }
    return true;
}

/* ---- random texts ---------------------------------------------------------- */

/* Append the UTF-8 of c (any value up to 0x1fffff, surrogates included:
 * the checks must refuse those) or, with `overlong`, one byte too many. */
static size_t put_cp(uint8_t *o, uint32_t c, bool overlong)
{
    if (c < 0x80 && !overlong) return o[0] = (uint8_t)c, 1;
    if (c < 0x800 && !(overlong && c >= 0x80)) {
        o[0] = (uint8_t)(0xc0 | c >> 6), o[1] = (uint8_t)(0x80 | (c & 0x3f));
        return 2;
    }
    if (c < 0x10000 && !(overlong && c >= 0x800)) {
        o[0] = (uint8_t)(0xe0 | c >> 12), o[1] = (uint8_t)(0x80 | (c >> 6 & 0x3f));
        o[2] = (uint8_t)(0x80 | (c & 0x3f));
        return 3;
    }
    o[0] = (uint8_t)(0xf0 | (c >> 18 & 0x07)), o[1] = (uint8_t)(0x80 | (c >> 12 & 0x3f));
    o[2] = (uint8_t)(0x80 | (c >> 6 & 0x3f)), o[3] = (uint8_t)(0x80 | (c & 0x3f));
    return 4;
}

/* One "special" character or byte sequence: the ones the checks single out. */
static size_t put_special(uint8_t *o, uint64_t x)
{
    static const uint32_t cps[] = {0x0a,   0x00,   0x09,   0x1f,   0x20,   0x2b,   0x7f,
                                   0x85,   0xa0,   0xe9,   0x1680, 0x2000, 0x200a, 0x200b,
                                   0x2014, 0x2028, 0x202f, 0x205f, 0x3000, 0x4e2d, 0xd800,
                                   0xdfff, 0xfffd, 0x10000, 0x10ffff, 0x110000};
    switch (x % 8) {
    case 0: /* a stray byte: a continuation, C0/C1, F5..FF */
        o[0] = (uint8_t)(0x80 | (x >> 8 & 0x7f));
        return 1;
    case 1: /* a truncated sequence */
        return put_cp(o, 0x800 + (uint32_t)(x >> 8) % 0x10000, false) - 1;
    case 2: /* an overlong one */
        return put_cp(o, (uint32_t)(x >> 8) % 0x10000, true);
    case 3: /* any scalar value or beyond */
        return put_cp(o, (uint32_t)(x >> 8) % 0x120000, false);
    default:
        return put_cp(o, cps[(x >> 8) % (sizeof cps / sizeof cps[0])], false);
    }
}

/* A text of n bytes: printable ASCII, one in `rate` positions a special. */
static size_t random_text(uint64_t *rng, uint8_t *o, size_t n, uint64_t rate)
{
    size_t len = 0;
    while (len < n) {
        uint64_t x = tu_rng_next(rng);
        uint8_t tmp[4];
        size_t k = 1;
        if (rate && x % rate == 0) k = put_special(tmp, x >> 16);
        else tmp[0] = (uint8_t)(0x21 + (x >> 16) % 0x5e);
        if (len + k > n) k = n - len;
        memcpy(o + len, tmp, k);
        len += k;
    }
    return len;
}

static void test_random(void **state)
{
    (void)state;
    static const uint64_t rates[] = {0, 2, 8, 64, 500};
    uint8_t seed[CF_ED25519_SEED_BYTES] = {7}, pk[CF_ED25519_PK_BYTES], sk[CF_ED25519_SK_BYTES];
    assert_int_equal(cf_ed25519_keypair_from_seed(seed, pk, sk), CF_OK);
    static char signed_note[NOTE_BYTES_MAX + 1];
    uint64_t rng = g_seed;
    size_t taken[3] = {0}, refused[3] = {0};
    for (int k = 0; k < ROUNDS; k++) {
        uint8_t s[TEXT_MAX + 1];
        uint64_t x = tu_rng_next(&rng);
        size_t n = 1 + (size_t)(x % TEXT_MAX);
        uint64_t rate = rates[(x >> 32) % (sizeof rates / sizeof rates[0])];
        n = random_text(&rng, s, n, rate);
        bool want = ref_valid(s, n, REF_UTF8);
        if (cbor_utf8_valid(s, n) != want)
            fail_msg("utf8, %zu bytes, round %d, seed %llu", n, k, (unsigned long long)g_seed);
        want ? taken[0]++ : refused[0]++;

        /* A note's text ends in '\n'; note_sign refuses bad characters. */
        s[n - 1] = '\n';
        want = ref_valid(s, n, REF_TEXT);
        size_t len;
        int rc = note_sign((const char *)s, n, "example.com/words", sk, signed_note, sizeof signed_note, &len);
        if ((rc == CF_OK) != want || (rc != CF_OK && rc != CF_EINVAL))
            fail_msg("note text, %zu bytes, round %d: %s, seed %llu", n, k, cf_errname(rc),
                     (unsigned long long)g_seed);
        want ? taken[1]++ : refused[1]++;

        /* A key name: up to NOTE_NAME_BYTES_MAX bytes. */
        size_t nn = n > NOTE_NAME_BYTES_MAX ? NOTE_NAME_BYTES_MAX : n;
        for (size_t i = 0; i < nn; i++) /* '+' and '\n' mostly gone, then one put back */
            if ((s[i] == '+' || s[i] == '\n') && (x >> 58 & 3) != 0) s[i] = 'p';
        if (x >> 60 == 0) s[(x >> 40) % nn] = (uint8_t)((x >> 50) & 1 ? ' ' : '+');
        want = ref_valid(s, nn, REF_NAME);
        if (note_name_valid((const char *)s, nn) != want)
            fail_msg("key name, %zu bytes, round %d, seed %llu", nn, k, (unsigned long long)g_seed);
        want ? taken[2]++ : refused[2]++;
    }
    /* Both outcomes occur often enough for the comparison to mean something. */
    for (int i = 0; i < 3; i++)
        if (taken[i] < ROUNDS / 20 || refused[i] < ROUNDS / 20)
            fail_msg("check %d: %zu taken, %zu refused (seed %llu)", i, taken[i], refused[i],
                     (unsigned long long)g_seed);
}

/* Each special character at each offset of a long ASCII text. */
static void test_every_offset(void **state)
{
    (void)state;
    for (uint64_t sp = 0; sp < 8 * 64; sp++) {
        for (size_t at = 0; at < 40; at++) {
            uint8_t s[48];
            memset(s, 'a', sizeof s);
            size_t k = put_special(s + at, (sp * UINT64_C(0x9e3779b97f4a7c15)) << 3 | (sp & 7));
            size_t n = at + k + 3 > 16 ? at + k + 3 : 16;
            assert_int_equal(cbor_utf8_valid(s, n), ref_valid(s, n, REF_UTF8));
            assert_int_equal(note_name_valid((const char *)s, n), ref_valid(s, n, REF_NAME));
        }
    }
}

/* ---- base64 ------------------------------------------------------------------ */

/* Both decoders on b64[0..len) with capacity cap: the same result, error,
 * *out_len and, on success, out. */
static void b64_same(const char *b64, size_t len, size_t cap)
{
    uint8_t a[64], b[64];
    size_t na = 999, nb = 999;
    memset(a, 0x5a, sizeof a);
    memset(b, 0x5a, sizeof b);
    int ra = cf_b64_decode(b64, len, a, cap, &na);
    int rb = cf_b64_decode_public(b64, len, b, cap, &nb);
    if (ra != rb || na != nb || (ra == CF_OK && memcmp(a, b, sizeof a) != 0))
        fail_msg("base64 \"%.*s\" cap %zu: %s/%zu against %s/%zu (seed %llu)", (int)len, b64,
                 cap, cf_errname(ra), na, cf_errname(rb), nb, (unsigned long long)g_seed);
}

static void test_b64(void **state)
{
    (void)state;
    /* Each character class, both paddings' trailing bits (A, B; Q, g), '='. */
    static const char set[] = "ABQg=/+z9 \x80-";
    const size_t k = sizeof set - 1;
    char q[8];
    for (size_t x = 0; x < k * k * k * k; x++) {
        size_t v = x;
        for (int i = 0; i < 4; i++, v /= k) q[i] = set[v % k];
        for (size_t cap = 0; cap <= 3; cap++) b64_same(q, 4, cap);
        memcpy(q + 4, q, 4); /* after a good quartet, and before one */
        memcpy(q, "Zm9v", 4);
        b64_same(q, 8, 6);
        memcpy(q, q + 4, 4);
        memcpy(q + 4, "Zm9v", 4);
        b64_same(q, 8, 6);
    }
    uint64_t rng = g_seed ^ 0xb64;
    static const char alpha[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    for (int r = 0; r < 200000; r++) {
        char s[48];
        uint64_t x = tu_rng_next(&rng);
        size_t len = (size_t)(x % 12) * 4 + (x >> 8 & 7 ? 0 : (x >> 11) % 4);
        for (size_t i = 0; i < len; i++) s[i] = alpha[tu_rng_next(&rng) % 64];
        switch (x >> 14 & 7) { /* a defect, or the paddings */
        case 0: if (len) s[(x >> 20) % len] = (char)(x >> 30); break;
        case 1: if (len) s[len - 1] = '='; break;
        case 2: if (len > 1) s[len - 1] = s[len - 2] = '='; break;
        case 3: if (len) s[(x >> 20) % len] = '='; break;
        default: break;
        }
        b64_same(s, len, (size_t)(x >> 40) % 40);
    }
}

int main(void)
{
    if (cf_crypto_init() != CF_OK) return 1;
    g_seed = tu_seed("test_fast_paths");
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_random),
        cmocka_unit_test(test_every_offset),
        cmocka_unit_test(test_b64),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
