/* test_cbor_strict.c — the strict rules of crypto/cbor.h, from both sides
 * (the decoder rejects, the encoder refuses): canonical heads, map key order,
 * UTF-8 (against a reference checker, exhaustively up to 3 bytes), truncation,
 * lengths and limits, trailing bytes, nesting depth and encoder misuse. The
 * random UTF-8 strings print their seed; set COFUND_SEED=<n> to replay one run.
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

#include "cbor_fixture.h"
#include "crypto/cbor.h"
#include "crypto/cf_error.h"
#include "testutil.h"

static uint64_t g_seed;

/* ---- strictness --------------------------------------------------------- */

static void test_noncanonical(void **state)
{
    (void)state;
    static const char *const v[] = {
        /* uint */
        "1800", "1817", "190000", "1900ff", "1a00000000", "1a0000ffff",
        "1b0000000000000000", "1b00000000ffffffff",
        /* negint */
        "3800", "3817", "3900ff", "3a0000ffff", "3b00000000ffffffff",
        /* bytes length */
        "580161", "59000161", "5a0000000161", "5b000000000000000161",
        "5900ff" /* length ≤ 0xff in two bytes; no payload needed */,
        /* text length */
        "780161", "79000161", "7a0000000161", "7b000000000000000161",
        /* array count */
        "980101", "99000101", "9a0000000101", "9b000000000000000101",
        /* map count */
        "b8010101", "b900010101", "ba000000010101", "bb00000000000000010101",
    };
    for (size_t k = 0; k < sizeof(v) / sizeof(v[0]); k++)
        expect_invalid_hex(v[k], CF_ECBOR_NONCANONICAL, 0);
    /* Inside containers, and with the getters (which do not move). */
    expect_invalid_hex("82011817", CF_ECBOR_NONCANONICAL, 2);
    expect_invalid_hex("a161611817", CF_ECBOR_NONCANONICAL, 3);
    expect_invalid_hex("a1b8000000", CF_ECBOR_NONCANONICAL, 1);
    uint8_t b[4] = {0x18, 0x17};
    uint64_t u = 5;
    int64_t i = 5;
    cbor_rd r;
    cbor_rd_init(&r, b, 2);
    assert_int_equal(cbor_rd_uint(&r, &u), CF_ECBOR_NONCANONICAL);
    assert_int_equal(cbor_rd_int(&r, &i), CF_ECBOR_NONCANONICAL);
    assert_true(u == 5 && i == 5 && r.pos == 0);
}


static void test_key_order(void **state)
{
    (void)state;
    /* Sorted by encoded bytes, accepted; the same keys swapped, rejected at
     * the offset of the second key. */
    static const struct {
        const char *sorted, *swapped;
        size_t off;
    } v[] = {
        /* {"b":1,"aa":2}: sorted by encoding, not by value: shorter first */
        {"a261620162616102", "a262616101616202", 5},
        {"a20a002000", "a220000a00", 3},         /* 10, -1 */
        {"a21700181800", "a21818001700", 4},     /* 23, 24 */
        {"a2190100002000", "a2200019010000", 3}, /* 256, -1: not length-first */
        {"a20100616100", "a26161000100", 4},     /* 1, "a" */
        {"a240006000", "a260004000", 3},         /* h'', "" */
        {"a2810100810200", "a2810200810100", 4}, /* [1], [2] */
        {"81a2616100616200", "81a2616200616100", 5},
        {"a3616100616200616300", "a3616100616300616200", 7},
        {"a26161a2617800617900616200", "a26162006161a2617800617900", 4},
    };
    for (size_t k = 0; k < sizeof(v) / sizeof(v[0]); k++) {
        expect_valid_hex(v[k].sorted);
        expect_invalid_hex(v[k].swapped, CF_ECBOR_KEY_ORDER, v[k].off);
    }
    /* Duplicates. */
    expect_invalid_hex("a2616101616102", CF_ECBOR_KEY_ORDER, 4);
    expect_invalid_hex("a201010101", CF_ECBOR_KEY_ORDER, 3);
    expect_invalid_hex("a2810100810100", CF_ECBOR_KEY_ORDER, 4);
    expect_invalid_hex("a2a000a000", CF_ECBOR_KEY_ORDER, 3);

    /* cbor_rd_map checks the whole map before handing out its head. */
    uint8_t b[16];
    size_t n = tu_unhex("a262616101616202", b, sizeof(b)), cnt = 99;
    cbor_rd r;
    cbor_rd_init(&r, b, n);
    assert_int_equal(cbor_rd_map(&r, &cnt, 8), CF_ECBOR_KEY_ORDER);
    assert_int_equal(cnt, 99);
    assert_int_equal(r.pos, 0);
    n = tu_unhex("81a2616200616100", b, sizeof(b));
    cbor_rd_init(&r, b, n);
    assert_int_equal(cbor_rd_array(&r, &cnt, 8), CF_OK);
    assert_int_equal(cbor_rd_map(&r, &cnt, 8), CF_ECBOR_KEY_ORDER);
    assert_int_equal(r.pos, 1);
}

/* Independent strict UTF-8 check: decode the code point, then judge it. */
static bool ref_utf8(const uint8_t *s, size_t n)
{
    size_t i = 0;
    while (i < n) {
        uint32_t c = s[i], min;
        size_t len;
        if (c < 0x80) {
            i++;
            continue;
        } else if ((c & 0xe0) == 0xc0) {
            len = 2, c &= 0x1f, min = 0x80;
        } else if ((c & 0xf0) == 0xe0) {
            len = 3, c &= 0x0f, min = 0x800;
        } else if ((c & 0xf8) == 0xf0) {
            len = 4, c &= 0x07, min = 0x10000;
        } else {
            return false;
        }
        if (n - i < len) return false;
        for (size_t k = 1; k < len; k++) {
            if ((s[i + k] & 0xc0) != 0x80) return false;
            c = (c << 6) | (s[i + k] & 0x3f);
        }
        if (c < min || c > 0x10ffff || (c >= 0xd800 && c <= 0xdfff)) return false;
        i += len;
    }
    return true;
}

static void test_utf8(void **state)
{
    (void)state;
    static const char *const bad[] = {
        "80", "bf", "c0af", "c180", "c2", "c241", "e080af", "e09fbf",
        "eda080", "edbfbf", "e6b0", "e6b041", "f08fbfbf", "f4908080",
        "f5808080", "f8888080", "fe", "ff", "f09085", "f0908541", "61e6b0",
    };
    static const char *const good[] = {
        "00", "7f", "c280", "dfbf", "e0a080", "ed9fbf", "ee8080", "efbfbf",
        "f0908080", "f48fbfbf", "61c3bc62",
    };
    for (int pass = 0; pass < 2; pass++) {
        const char *const *v = pass ? good : bad;
        size_t count = pass ? sizeof(good) / sizeof(good[0]) : sizeof(bad) / sizeof(bad[0]);
        for (size_t k = 0; k < count; k++) {
            uint8_t item[16], out[16];
            size_t n = tu_unhex(v[k], item + 1, sizeof(item) - 1), sn;
            const char *s = NULL;
            int want = pass ? CF_OK : CF_ECBOR_UTF8;
            item[0] = (uint8_t)(0x60 | n);
            assert_int_equal(cbor_utf8_valid(item + 1, n), pass == 1);
            assert_int_equal(cbor_validate(item, n + 1, NULL), want);
            cbor_rd r;
            cbor_rd_init(&r, item, n + 1);
            assert_int_equal(cbor_rd_text(&r, &s, &sn, 16), want);
            assert_int_equal(r.pos, pass ? n + 1 : 0);
            cbor_enc e;
            cbor_enc_init(&e, out, sizeof(out));
            cbor_put_text(&e, (const char *)item + 1, n);
            assert_int_equal(cbor_enc_finish(&e, &sn), want);
            item[0] = (uint8_t)(0x40 | n); /* the same bytes are fine as bytes */
            assert_int_equal(cbor_validate(item, n + 1, NULL), CF_OK);
        }
    }
    expect_invalid_hex("820062c328", CF_ECBOR_UTF8, 2);

    /* Every string of 1..3 bytes, and random 4..6 byte strings, against the
     * reference. */
    uint8_t s[6];
    for (uint32_t x = 0; x < (1u << 24); x++) {
        s[0] = (uint8_t)(x >> 16), s[1] = (uint8_t)(x >> 8), s[2] = (uint8_t)x;
        if (cbor_utf8_valid(s, 3) != ref_utf8(s, 3)) fail_msg("utf8 %06x", (unsigned)x);
        if (x < (1u << 16) && cbor_utf8_valid(s + 1, 2) != ref_utf8(s + 1, 2))
            fail_msg("utf8 %04x", (unsigned)x & 0xffff);
        if (x < (1u << 8) && cbor_utf8_valid(s + 2, 1) != ref_utf8(s + 2, 1))
            fail_msg("utf8 %02x", (unsigned)x & 0xff);
    }
    uint64_t rng = g_seed ^ 0x55;
    for (int k = 0; k < 1000000; k++) {
        uint64_t x = tu_rng_next(&rng);
        size_t n = 4 + (size_t)(x >> 62) % 3;
        for (size_t i = 0; i < n; i++) {
            s[i] = (uint8_t)(x >> (8 * i));
            if (i == 0) s[i] |= 0xf0; /* mostly four-byte leads */
            else if (x & (1ull << (40 + i))) s[i] = (uint8_t)(0x80 | (s[i] & 0x3f));
        }
        if (cbor_utf8_valid(s, n) != ref_utf8(s, n))
            fail_msg("utf8 random, seed %llu", (unsigned long long)g_seed);
    }
}

static void test_truncation(void **state)
{
    (void)state;
    for (size_t k = 0; k < sizeof(valid_vectors) / sizeof(valid_vectors[0]); k++) {
        uint8_t buf[64];
        size_t n = tu_unhex(valid_vectors[k], buf, sizeof(buf));
        for (size_t cut = 0; cut < n; cut++) {
            uint8_t *d = tu_dup_exact(buf, cut);
            size_t off = SIZE_MAX, cnt = 77, sn = 77;
            uint64_t u = 77;
            int64_t i = 77;
            const uint8_t *p = NULL;
            const char *s = NULL;
            enum cbor_major m;
            cbor_rd r;
            assert_int_equal(cbor_validate(d, cut, &off), CF_ECBOR_TRUNCATED);
            assert_true(off <= cut);
            cbor_rd_init(&r, d, cut);
            assert_int_equal(cbor_rd_skip(&r), CF_ECBOR_TRUNCATED);
            if (cut == 0) {
                assert_int_equal(cbor_rd_peek(&r, &m), CF_ECBOR_TRUNCATED);
                free(d);
                continue;
            }
            assert_int_equal(cbor_rd_peek(&r, &m), CF_OK);
            switch (m) {
            case CBOR_UINT:
                assert_int_equal(cbor_rd_uint(&r, &u), CF_ECBOR_TRUNCATED);
                assert_int_equal(cbor_rd_int(&r, &i), CF_ECBOR_TRUNCATED);
                break;
            case CBOR_NEGINT:
                assert_int_equal(cbor_rd_int(&r, &i), CF_ECBOR_TRUNCATED);
                break;
            case CBOR_BYTES:
                assert_int_equal(cbor_rd_bytes(&r, &p, &sn, SIZE_MAX), CF_ECBOR_TRUNCATED);
                break;
            case CBOR_TEXT:
                assert_int_equal(cbor_rd_text(&r, &s, &sn, SIZE_MAX), CF_ECBOR_TRUNCATED);
                break;
            case CBOR_MAP:
                assert_int_equal(cbor_rd_map(&r, &cnt, SIZE_MAX), CF_ECBOR_TRUNCATED);
                break;
            case CBOR_ARRAY: /* only the head is read; covered by skip */
                break;
            }
            assert_true(r.pos == 0 && u == 77 && i == 77 && p == NULL && s == NULL &&
                        sn == 77 && cnt == 77);
            free(d);
        }
    }
}

static void test_huge_lengths(void **state)
{
    (void)state;
    static const char *const v[] = {
        "5bffffffffffffffff", "7bffffffffffffffff", "9bffffffffffffffff",
        "bbffffffffffffffff", "5affffffff00", "7a7fffffff00", "9affffffff00",
        "ba8000000000", "5b7fffffffffffffff00", "bb7fffffffffffffff0000",
        "a2010203", "a101", "830102", "b9010000",
    };
    for (size_t k = 0; k < sizeof(v) / sizeof(v[0]); k++)
        expect_invalid_hex(v[k], CF_ECBOR_TRUNCATED, 0);
    expect_invalid_hex("83018202", CF_ECBOR_TRUNCATED, 2);
    expect_invalid_hex("8201a2", CF_ECBOR_TRUNCATED, 2);

    /* The getters: the limit first, then the remaining input. */
    static const uint8_t big[4][9] = {
        {0x5b, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff},
        {0x7b, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff},
        {0x9b, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff},
        {0xbb, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff},
    };
    for (int k = 0; k < 4; k++) {
        uint8_t *d = tu_dup_exact(big[k], 9), out[32];
        const uint8_t *p = NULL;
        const char *s = NULL;
        size_t n = 5;
        cbor_rd r;
        cbor_rd_init(&r, d, 9);
        for (int lim = 0; lim < 2; lim++) {
            size_t max = lim ? SIZE_MAX : 1000;
            int want = lim ? CF_ECBOR_TRUNCATED : CF_ECBOR_LIMIT;
            switch (k) {
            case 0:
                assert_int_equal(cbor_rd_bytes(&r, &p, &n, max), want);
                assert_int_equal(cbor_rd_bytes_exact(&r, out, sizeof(out)), CF_ERANGE);
                break;
            case 1:
                assert_int_equal(cbor_rd_text(&r, &s, &n, max), want);
                break;
            case 2:
                assert_int_equal(cbor_rd_array(&r, &n, max), want);
                break;
            default:
                assert_int_equal(cbor_rd_map(&r, &n, max), want);
                break;
            }
        }
        assert_true(r.pos == 0 && n == 5 && p == NULL && s == NULL);
        free(d);
    }
}

static void test_getters(void **state)
{
    (void)state;
    uint8_t b[32], out[8] = {0};
    const uint8_t *p = NULL;
    const char *s = NULL;
    size_t n = 0, cnt = 0;
    uint64_t u = 0;
    int64_t i = 0;
    enum cbor_major m;
    cbor_rd r;

    /* Limits: equal to max is fine, one over is CF_ECBOR_LIMIT. */
    n = tu_unhex("4401020304", b, sizeof(b));
    cbor_rd_init(&r, b, n);
    assert_int_equal(cbor_rd_bytes(&r, &p, &cnt, 3), CF_ECBOR_LIMIT);
    assert_int_equal(r.pos, 0);
    assert_int_equal(cbor_rd_bytes_exact(&r, out, 3), CF_ERANGE);
    assert_int_equal(cbor_rd_bytes_exact(&r, out, 5), CF_ERANGE);
    assert_int_equal(cbor_rd_text(&r, &s, &cnt, 8), CF_ECBOR_TYPE);
    assert_int_equal(cbor_rd_uint(&r, &u), CF_ECBOR_TYPE);
    assert_int_equal(cbor_rd_int(&r, &i), CF_ECBOR_TYPE);
    assert_int_equal(cbor_rd_array(&r, &cnt, 8), CF_ECBOR_TYPE);
    assert_int_equal(cbor_rd_map(&r, &cnt, 8), CF_ECBOR_TYPE);
    assert_int_equal(r.pos, 0);
    assert_int_equal(cbor_rd_bytes_exact(&r, out, 4), CF_OK);
    assert_memory_equal(out, "\x01\x02\x03\x04", 4);
    assert_int_equal(cbor_rd_end(&r), CF_OK);
    cbor_rd_init(&r, b, n);
    assert_int_equal(cbor_rd_bytes(&r, &p, &cnt, 4), CF_OK);
    assert_true(p == b + 1 && cnt == 4);

    n = tu_unhex("6449455446", b, sizeof(b));
    cbor_rd_init(&r, b, n);
    assert_int_equal(cbor_rd_text(&r, &s, &cnt, 3), CF_ECBOR_LIMIT);
    assert_int_equal(cbor_rd_bytes(&r, &p, &cnt, 8), CF_ECBOR_TYPE);
    assert_int_equal(cbor_rd_bytes_exact(&r, out, 4), CF_ECBOR_TYPE);
    assert_int_equal(cbor_rd_text(&r, &s, &cnt, 4), CF_OK);

    n = tu_unhex("83010203", b, sizeof(b));
    cbor_rd_init(&r, b, n);
    assert_int_equal(cbor_rd_array(&r, &cnt, 2), CF_ECBOR_LIMIT);
    assert_int_equal(cbor_rd_array(&r, &cnt, 3), CF_OK);
    assert_int_equal(cnt, 3);
    n = tu_unhex("a201020304", b, sizeof(b));
    cbor_rd_init(&r, b, n);
    assert_int_equal(cbor_rd_map(&r, &cnt, 1), CF_ECBOR_LIMIT);
    assert_int_equal(cbor_rd_array(&r, &cnt, 9), CF_ECBOR_TYPE);
    assert_int_equal(cbor_rd_map(&r, &cnt, 2), CF_OK);
    assert_int_equal(cnt, 2);

    /* Peek and end. */
    static const struct {
        const char *hex;
        enum cbor_major m;
    } pk[] = {{"00", CBOR_UINT}, {"20", CBOR_NEGINT}, {"40", CBOR_BYTES},
              {"60", CBOR_TEXT}, {"80", CBOR_ARRAY}, {"a0", CBOR_MAP}};
    for (size_t k = 0; k < 6; k++) {
        n = tu_unhex(pk[k].hex, b, sizeof(b));
        cbor_rd_init(&r, b, n);
        assert_int_equal(cbor_rd_peek(&r, &m), CF_OK);
        assert_int_equal(m, pk[k].m);
        assert_int_equal(cbor_rd_end(&r), CF_ECBOR_TRAILING);
        assert_int_equal(cbor_rd_skip(&r), CF_OK);
        assert_int_equal(cbor_rd_end(&r), CF_OK);
        assert_int_equal(cbor_rd_peek(&r, &m), CF_ECBOR_TRUNCATED);
    }
    cbor_rd_init(&r, NULL, 0);
    assert_int_equal(cbor_rd_end(&r), CF_OK);
    assert_int_equal(cbor_rd_skip(&r), CF_ECBOR_TRUNCATED);
    assert_int_equal(cbor_validate(NULL, 0, NULL), CF_ECBOR_TRUNCATED);
    assert_int_equal(cbor_validate(NULL, 1, NULL), CF_EINVAL);
}

static void test_trailing(void **state)
{
    (void)state;
    expect_invalid_hex("0000", CF_ECBOR_TRAILING, 1);
    expect_invalid_hex("8000", CF_ECBOR_TRAILING, 1);
    expect_invalid_hex("a0a0", CF_ECBOR_TRAILING, 1);
    expect_invalid_hex("61616161", CF_ECBOR_TRAILING, 2);
    expect_invalid_hex("83010203ff", CF_ECBOR_TRAILING, 4);
    expect_invalid_hex("410000", CF_ECBOR_TRAILING, 2);
}

/* k nested arrays (or maps {0: ...}) around 0, or around [] when empty. */
static size_t nest(uint8_t *b, unsigned k, bool maps, bool empty)
{
    size_t n = 0;
    for (unsigned i = 0; i < k; i++) {
        b[n++] = maps ? 0xa1 : 0x81;
        if (maps) b[n++] = 0x00;
    }
    if (empty) b[n - (maps ? 2 : 1)] = maps ? 0xa0 : 0x80, n -= maps ? 1 : 0;
    else b[n++] = 0x00;
    return n;
}

static void test_depth(void **state)
{
    (void)state;
    uint8_t b[64], out[64];
    for (int maps = 0; maps < 2; maps++) {
        for (int empty = 0; empty < 2; empty++) {
            size_t n = nest(b, CBOR_DEPTH_MAX, maps, empty), off = 0;
            uint8_t *d = tu_dup_exact(b, n);
            expect_canonical(d, n);
            free(d);
            n = nest(b, CBOR_DEPTH_MAX + 1, maps, empty);
            assert_int_equal(cbor_validate(b, n, &off), CF_ECBOR_LIMIT);
            assert_int_equal(off, CBOR_DEPTH_MAX * (maps ? 2 : 1));
            cbor_rd r;
            cbor_rd_init(&r, b, n);
            assert_int_equal(cbor_rd_skip(&r), CF_ECBOR_LIMIT);
        }
    }
    /* The encoder: 16 open containers, then no more. */
    cbor_enc e;
    cbor_enc_init(&e, out, sizeof(out));
    for (int i = 0; i < CBOR_DEPTH_MAX; i++) cbor_put_array(&e, 1);
    cbor_put_uint(&e, 0);
    size_t n = nest(b, CBOR_DEPTH_MAX, false, false), len;
    assert_int_equal(cbor_enc_finish(&e, &len), CF_OK);
    assert_int_equal(len, n);
    assert_memory_equal(out, b, n);
    for (int empty = 0; empty < 2; empty++) {
        cbor_enc_init(&e, out, sizeof(out));
        for (int i = 0; i < CBOR_DEPTH_MAX; i++) cbor_put_array(&e, 1);
        if (empty) cbor_put_map(&e, 0);
        else cbor_put_array(&e, 1);
        assert_int_equal(cbor_enc_finish(&e, &len), CF_ECBOR_LIMIT);
    }
    /* cbor_put_raw counts the raw item's own nesting. */
    n = nest(b, CBOR_DEPTH_MAX, false, true);
    cbor_enc_init(&e, out, sizeof(out));
    cbor_put_raw(&e, b, n);
    assert_int_equal(cbor_enc_finish(&e, &len), CF_OK);
    cbor_enc_init(&e, out, sizeof(out));
    cbor_put_array(&e, 1);
    cbor_put_raw(&e, b, n);
    assert_int_equal(cbor_enc_finish(&e, &len), CF_ECBOR_LIMIT);
}

/* The one-pass getters check the item they read and no more; what they
 * leave (key order, a key's UTF-8, a skipped item's texts) is exactly what
 * the scanning getters refuse. The unchecked encoder writes what the checked
 * one refuses, counts and depth kept. */
static void test_one_pass_getters(void **state)
{
    (void)state;
    uint8_t b[32], out[32];
    const char *s = NULL;
    size_t n, cnt = 0, len = 0;
    cbor_rd r;

    /* {"b": 1, "a": 2}: cbor_rd_map refuses its order, cbor_rd_map_head
     * reads the count and leaves the keys to the caller. */
    n = tu_unhex("a2616201616102", b, sizeof(b));
    cbor_rd_init(&r, b, n);
    assert_int_equal(cbor_rd_map(&r, &cnt, 2), CF_ECBOR_KEY_ORDER);
    assert_int_equal(r.pos, 0);
    assert_int_equal(cbor_rd_map_head(&r, &cnt, 1), CF_ECBOR_LIMIT);
    assert_int_equal(cbor_rd_map_head(&r, &cnt, 2), CF_OK);
    assert_true(cnt == 2 && r.pos == 1);
    assert_int_equal(cbor_rd_key(&r, &s, &cnt, 1), CF_OK);
    assert_true(cnt == 1 && s[0] == 'b');
    /* A count the input cannot hold is still refused. */
    n = tu_unhex("a3616101", b, sizeof(b));
    cbor_rd_init(&r, b, n);
    assert_int_equal(cbor_rd_map_head(&r, &cnt, 9), CF_ECBOR_TRUNCATED);

    /* A key "\xff": cbor_rd_text refuses its UTF-8, cbor_rd_key takes its
     * bytes (to be compared with known keys); limits and bounds as before. */
    n = tu_unhex("61ff", b, sizeof(b));
    cbor_rd_init(&r, b, n);
    assert_int_equal(cbor_rd_text(&r, &s, &cnt, 4), CF_ECBOR_UTF8);
    assert_int_equal(cbor_rd_key(&r, &s, &cnt, 0), CF_ECBOR_LIMIT);
    assert_int_equal(cbor_rd_key(&r, &s, &cnt, 4), CF_OK);
    assert_true(cnt == 1 && (uint8_t)s[0] == 0xff && r.pos == 2);
    cbor_rd_init(&r, b, 1);
    assert_int_equal(cbor_rd_key(&r, &s, &cnt, 4), CF_ECBOR_TRUNCATED);
    n = tu_unhex("01", b, sizeof(b));
    cbor_rd_init(&r, b, n);
    assert_int_equal(cbor_rd_key(&r, &s, &cnt, 4), CF_ECBOR_TYPE);

    /* [{"b": 1, "a": 2}, "\xff"] then 7: cbor_rd_skip refuses the array,
     * cbor_rd_skip_heads passes over it to the 7; a non-canonical head or a
     * truncated item inside is refused by both. */
    n = tu_unhex("82a261620161610261ff07", b, sizeof(b));
    cbor_rd_init(&r, b, n);
    assert_int_equal(cbor_rd_skip(&r), CF_ECBOR_KEY_ORDER);
    assert_int_equal(r.pos, 0);
    assert_int_equal(cbor_rd_skip_heads(&r), CF_OK);
    assert_int_equal(r.pos, n - 1);
    static const char *const bad[] = {"82011801", "8201", "82014201"};
    for (size_t k = 0; k < 3; k++) {
        n = tu_unhex(bad[k], b, sizeof(b));
        cbor_rd_init(&r, b, n);
        int rc = cbor_rd_skip(&r);
        assert_int_not_equal(rc, CF_OK);
        assert_int_equal(cbor_rd_skip_heads(&r), rc);
        assert_int_equal(r.pos, 0);
    }

    /* The unchecked encoder: keys out of order and text that is not UTF-8
     * are written (cbor_validate then refuses them), a wrong count is not. */
    cbor_enc e;
    cbor_enc_init_unchecked(&e, out, sizeof out);
    cbor_put_map(&e, 2);
    cbor_put_lit(&e, "b");
    cbor_put_uint(&e, 1);
    cbor_put_lit(&e, "a");
    cbor_put_text(&e, "\xff", 1);
    assert_int_equal(cbor_enc_finish(&e, &len), CF_OK);
    n = tu_unhex("a2616201616161ff", b, sizeof(b));
    assert_int_equal(len, n);
    assert_memory_equal(out, b, n);
    assert_int_equal(cbor_validate(out, len, NULL), CF_ECBOR_KEY_ORDER);
    assert_int_equal(cbor_validate(out + 6, 2, NULL), CF_ECBOR_UTF8);
    cbor_enc_init_unchecked(&e, out, sizeof out);
    cbor_put_map(&e, 2);
    cbor_put_lit(&e, "a");
    cbor_put_uint(&e, 1);
    assert_int_equal(cbor_enc_finish(&e, &len), CF_ECBOR_STATE);
    cbor_enc_init(&e, out, sizeof out);
    cbor_put_text(&e, "\xff", 1);
    assert_int_equal(cbor_enc_finish(&e, &len), CF_ECBOR_UTF8);
}

static void test_encoder_misuse(void **state)
{
    (void)state;
    uint8_t out[64];
    size_t len = 0;
    cbor_enc e;

    /* Keys out of order, duplicated, or sorted by value instead of bytes. */
    static const char *const pairs[][2] = {
        {"b", "a"}, {"a", "a"}, {"aa", "b"}, {"", ""},
    };
    for (size_t k = 0; k < 4; k++) {
        cbor_enc_init(&e, out, sizeof(out));
        cbor_put_map(&e, 2);
        cbor_put_cstr(&e, pairs[k][0]);
        cbor_put_uint(&e, 1);
        cbor_put_cstr(&e, pairs[k][1]);
        size_t at = e.len;
        cbor_put_uint(&e, 2); /* sticky: a no-op */
        assert_int_equal(e.len, at);
        assert_int_equal(cbor_enc_finish(&e, &len), CF_ECBOR_STATE);
    }
    cbor_enc_init(&e, out, sizeof(out));
    cbor_put_map(&e, 2);
    cbor_put_cstr(&e, "b");
    cbor_put_uint(&e, 1);
    cbor_put_cstr(&e, "aa");
    cbor_put_uint(&e, 2);
    expect_enc(&e, "a261620162616102");
    /* Integer keys: -1 (0x20) sorts after 256 (0x19...). */
    cbor_enc_init(&e, out, sizeof(out));
    cbor_put_map(&e, 2);
    cbor_put_int(&e, -1);
    cbor_put_uint(&e, 0);
    cbor_put_uint(&e, 256);
    assert_int_equal(cbor_enc_finish(&e, &len), CF_ECBOR_STATE);
    /* Container keys are checked once complete; raw keys too. */
    cbor_enc_init(&e, out, sizeof(out));
    cbor_put_map(&e, 2);
    cbor_put_array(&e, 1);
    cbor_put_uint(&e, 2);
    cbor_put_uint(&e, 0);
    cbor_put_array(&e, 1);
    cbor_put_uint(&e, 1);
    assert_int_equal(cbor_enc_finish(&e, &len), CF_ECBOR_STATE);
    cbor_enc_init(&e, out, sizeof(out));
    cbor_put_map(&e, 2);
    cbor_put_raw(&e, (const uint8_t *)"\x81\x01", 2);
    cbor_put_uint(&e, 0);
    cbor_put_raw(&e, (const uint8_t *)"\x81\x02", 2);
    cbor_put_uint(&e, 0);
    expect_enc(&e, "a2810100810200");
    /* A nested map has its own key sequence. */
    cbor_enc_init(&e, out, sizeof(out));
    cbor_put_map(&e, 2);
    cbor_put_cstr(&e, "a");
    cbor_put_map(&e, 2);
    cbor_put_cstr(&e, "x");
    cbor_put_uint(&e, 0);
    cbor_put_cstr(&e, "y");
    cbor_put_uint(&e, 0);
    cbor_put_cstr(&e, "b");
    cbor_put_uint(&e, 0);
    expect_enc(&e, "a26161a2617800617900616200");

    /* Count mismatches. */
    cbor_enc_init(&e, out, sizeof(out));
    cbor_put_array(&e, 2);
    cbor_put_uint(&e, 1);
    assert_int_equal(cbor_enc_finish(&e, &len), CF_ECBOR_STATE);
    cbor_enc_init(&e, out, sizeof(out));
    cbor_put_array(&e, 1);
    cbor_put_uint(&e, 1);
    cbor_put_uint(&e, 2); /* overfilled: a second top-level item */
    assert_int_equal(cbor_enc_finish(&e, &len), CF_ECBOR_STATE);
    assert_int_equal(e.len, 2);
    cbor_enc_init(&e, out, sizeof(out));
    cbor_put_map(&e, 1);
    cbor_put_cstr(&e, "k");
    assert_int_equal(cbor_enc_finish(&e, &len), CF_ECBOR_STATE);
    cbor_enc_init(&e, out, sizeof(out));
    assert_int_equal(cbor_enc_finish(&e, &len), CF_ECBOR_STATE);

    /* Buffer too small at every size, including no buffer at all. */
    for (size_t cap = 0; cap <= 9; cap++) {
        cbor_enc_init(&e, cap ? out : NULL, cap);
        cbor_put_map(&e, 2);
        cbor_put_cstr(&e, "a");
        cbor_put_uint(&e, 1);
        cbor_put_cstr(&e, "b");
        cbor_put_array(&e, 2);
        cbor_put_uint(&e, 2);
        cbor_put_uint(&e, 3);
        if (cap < 9) {
            assert_int_equal(cbor_enc_finish(&e, &len), CF_ECBOR_BUFFER);
            assert_true(e.len <= cap);
        } else {
            expect_enc(&e, "a26161016162820203");
        }
    }
    cbor_enc_init(&e, out, 10);
    cbor_put_array(&e, 1000); /* cannot fit, even at a byte per item */
    assert_int_equal(cbor_enc_finish(&e, &len), CF_ECBOR_BUFFER);
    cbor_enc_init(&e, out, sizeof(out));
    cbor_put_map(&e, SIZE_MAX);
    assert_int_equal(cbor_enc_finish(&e, &len), CF_ECBOR_BUFFER);
    cbor_enc_init(&e, out, 4);
    cbor_put_bytes(&e, "abcd", 4);
    assert_int_equal(cbor_enc_finish(&e, &len), CF_ECBOR_BUFFER);
    assert_int_equal(e.len, 0);

    /* Bad text and bad raw items; the first error sticks. */
    cbor_enc_init(&e, out, sizeof(out));
    cbor_put_text(&e, "\xed\xa0\x80", 3);
    cbor_put_array(&e, 5);
    assert_int_equal(cbor_enc_finish(&e, &len), CF_ECBOR_UTF8);
    static const struct {
        const char *hex;
        int err;
    } raw[] = {
        {"", CF_ECBOR_TRUNCATED},      {"1817", CF_ECBOR_NONCANONICAL},
        {"0000", CF_ECBOR_TRAILING},   {"f6", CF_ECBOR_UNSUPPORTED},
        {"a2616201616101", CF_ECBOR_KEY_ORDER}, {"61ff", CF_ECBOR_UTF8},
    };
    for (size_t k = 0; k < sizeof(raw) / sizeof(raw[0]); k++) {
        uint8_t item[16];
        size_t n = tu_unhex(raw[k].hex, item, sizeof(item));
        cbor_enc_init(&e, out, sizeof(out));
        cbor_put_raw(&e, item, n);
        assert_int_equal(cbor_enc_finish(&e, &len), raw[k].err);
        assert_int_equal(e.len, 0);
    }

    /* int64 extremes. */
    cbor_enc_init(&e, out, sizeof(out));
    cbor_put_array(&e, 2);
    cbor_put_int(&e, INT64_MIN);
    cbor_put_int(&e, INT64_MAX);
    expect_enc(&e, "823b7fffffffffffffff1b7fffffffffffffff");
}

int main(void)
{
    g_seed = tu_seed("test_cbor_strict");
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_noncanonical),
        cmocka_unit_test(test_key_order),
        cmocka_unit_test(test_utf8),
        cmocka_unit_test(test_truncation),
        cmocka_unit_test(test_huge_lengths),
        cmocka_unit_test(test_getters),
        cmocka_unit_test(test_trailing),
        cmocka_unit_test(test_depth),
        cmocka_unit_test(test_one_pass_getters),
        cmocka_unit_test(test_encoder_misuse),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
