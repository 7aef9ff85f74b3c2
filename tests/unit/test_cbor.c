/* test_cbor.c — the strict CBOR codec (crypto/cbor.h).
 *
 * Golden vectors are RFC 8949 Appendix A; everything else checks the strict
 * rules of cbor.h from both sides (decoder rejects, encoder refuses). Random
 * tests print their seed; set COFUND_SEED=<n> to replay one run.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <cmocka.h>

#include "cbor.h"
#include "cf_error.h"

/* Largest test item in bytes (hex vectors and random documents). */
#define ITEM_BYTES_MAX 4096
/* Random documents generated per run, and random short byte strings. */
#define RANDOM_DOCS 400
#define RANDOM_SHORT_INPUTS 200000

static uint64_t g_seed;

/* ---- helpers ------------------------------------------------------------ */

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

/* An exact-size heap copy, so ASan sees any read past the end. */
static uint8_t *dup_exact(const uint8_t *p, size_t n)
{
    uint8_t *d = malloc(n ? n : 1);
    assert_non_null(d);
    if (n) memcpy(d, p, n);
    return d;
}

/* Walk in[0..n) with the pull reader and re-encode it with the encoder into
 * out. Negative integers below INT64_MIN go through cbor_put_raw. */
static int reencode(const uint8_t *in, size_t n, uint8_t *out, size_t cap,
                    size_t *out_len)
{
    cbor_rd r;
    cbor_enc e;
    cbor_rd_init(&r, in, n);
    cbor_enc_init(&e, out, cap);
    while (r.pos < r.len) {
        enum cbor_major m;
        int rc = cbor_rd_peek(&r, &m);
        size_t start = r.pos, cnt;
        const uint8_t *p;
        const char *s;
        uint64_t u;
        int64_t i;
        if (rc != CF_OK) return rc;
        switch (m) {
        case CBOR_UINT:
            if ((rc = cbor_rd_uint(&r, &u)) == CF_OK) cbor_put_uint(&e, u);
            break;
        case CBOR_NEGINT:
            rc = cbor_rd_int(&r, &i);
            if (rc == CF_OK) {
                cbor_put_int(&e, i);
            } else if (rc == CF_ERANGE && (rc = cbor_rd_skip(&r)) == CF_OK) {
                cbor_put_raw(&e, in + start, r.pos - start);
            }
            break;
        case CBOR_BYTES:
            if ((rc = cbor_rd_bytes(&r, &p, &cnt, SIZE_MAX)) == CF_OK)
                cbor_put_bytes(&e, p, cnt);
            break;
        case CBOR_TEXT:
            if ((rc = cbor_rd_text(&r, &s, &cnt, SIZE_MAX)) == CF_OK)
                cbor_put_text(&e, s, cnt);
            break;
        case CBOR_ARRAY:
            if ((rc = cbor_rd_array(&r, &cnt, SIZE_MAX)) == CF_OK) cbor_put_array(&e, cnt);
            break;
        case CBOR_MAP:
            if ((rc = cbor_rd_map(&r, &cnt, SIZE_MAX)) == CF_OK) cbor_put_map(&e, cnt);
            break;
        }
        if (rc != CF_OK) return rc;
    }
    return cbor_enc_finish(&e, out_len);
}

/* p[0..n) is valid, skips whole and re-encodes to itself. */
static void expect_canonical(const uint8_t *p, size_t n)
{
    uint8_t *out = malloc(n ? n : 1);
    size_t out_len = 0;
    assert_non_null(out);
    assert_int_equal(cbor_validate(p, n, NULL), CF_OK);
    cbor_rd r;
    cbor_rd_init(&r, p, n);
    assert_int_equal(cbor_rd_skip(&r), CF_OK);
    assert_int_equal(cbor_rd_end(&r), CF_OK);
    assert_int_equal(reencode(p, n, out, n, &out_len), CF_OK);
    assert_int_equal(out_len, n);
    assert_memory_equal(out, p, n);
    /* One byte less and the encoder runs out of room. */
    if (n > 0) assert_int_equal(reencode(p, n, out, n - 1, &out_len), CF_ECBOR_BUFFER);
    free(out);
}

static void expect_valid_hex(const char *hex)
{
    uint8_t buf[ITEM_BYTES_MAX];
    size_t n = unhex(hex, buf, sizeof(buf));
    uint8_t *d = dup_exact(buf, n);
    expect_canonical(d, n);
    free(d);
}

static void expect_invalid_hex(const char *hex, int want, size_t want_off)
{
    uint8_t buf[ITEM_BYTES_MAX];
    size_t n = unhex(hex, buf, sizeof(buf));
    uint8_t *d = dup_exact(buf, n);
    size_t off = 12345;
    int rc = cbor_validate(d, n, &off);
    if (rc != want || off != want_off)
        fail_msg("%s: got %s at %zu, want %s at %zu", hex, cf_errname(rc), off,
                 cf_errname(want), want_off);
    /* cbor_rd_skip agrees, except on trailing bytes, and does not move. */
    cbor_rd r;
    cbor_rd_init(&r, d, n);
    rc = cbor_rd_skip(&r);
    if (want == CF_ECBOR_TRAILING) {
        assert_int_equal(rc, CF_OK);
        assert_int_equal(cbor_rd_end(&r), CF_ECBOR_TRAILING);
    } else {
        assert_int_equal(rc, want);
        assert_int_equal(r.pos, 0);
    }
    free(d);
}

static void expect_enc(const cbor_enc *e, const char *hex)
{
    uint8_t want[ITEM_BYTES_MAX];
    size_t n = unhex(hex, want, sizeof(want)), len = 0;
    int rc = cbor_enc_finish(e, &len);
    if (rc != CF_OK) fail_msg("%s: encoder %s", hex, cf_errname(rc));
    assert_int_equal(len, n);
    assert_memory_equal(e->buf, want, n);
}

static uint64_t rng_next(uint64_t *s) /* splitmix64 */
{
    uint64_t z = (*s += 0x9e3779b97f4a7c15ULL);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
    return z ^ (z >> 31);
}

static uint64_t rng_below(uint64_t *s, uint64_t n)
{
    return rng_next(s) % n;
}

/* ---- RFC 8949 Appendix A ----------------------------------------------- */

static const struct {
    const char *hex;
    bool neg;
    uint64_t u; /* value, or n of -1-n */
} int_vectors[] = {
    {"00", false, 0},
    {"01", false, 1},
    {"0a", false, 10},
    {"17", false, 23},
    {"1818", false, 24},
    {"1819", false, 25},
    {"1864", false, 100},
    {"1903e8", false, 1000},
    {"1a000f4240", false, 1000000},
    {"1b000000e8d4a51000", false, 1000000000000ULL},
    {"1bffffffffffffffff", false, UINT64_MAX},
    {"20", true, 0},
    {"29", true, 9},
    {"3863", true, 99},
    {"3903e7", true, 999},
    {"3bffffffffffffffff", true, UINT64_MAX}, /* -18446744073709551616 */
    /* boundaries of every head size */
    {"18ff", false, 0xff},
    {"190100", false, 0x100},
    {"19ffff", false, 0xffff},
    {"1a00010000", false, 0x10000},
    {"1affffffff", false, 0xffffffff},
    {"1b0000000100000000", false, 0x100000000ULL},
    {"1b7fffffffffffffff", false, INT64_MAX},
    {"3b7fffffffffffffff", true, INT64_MAX}, /* INT64_MIN */
    {"3b8000000000000000", true, 0x8000000000000000ULL},
};

static void test_appendix_a_ints(void **state)
{
    (void)state;
    for (size_t k = 0; k < sizeof(int_vectors) / sizeof(int_vectors[0]); k++) {
        uint8_t in[16], out[16];
        size_t n = unhex(int_vectors[k].hex, in, sizeof(in));
        bool neg = int_vectors[k].neg;
        uint64_t u = int_vectors[k].u;
        expect_valid_hex(int_vectors[k].hex);

        cbor_rd r;
        uint64_t got_u = 77;
        int64_t got_i = 77;
        cbor_rd_init(&r, in, n);
        assert_int_equal(cbor_rd_uint(&r, &got_u), neg ? CF_ECBOR_TYPE : CF_OK);
        if (!neg) assert_true(got_u == u);
        cbor_rd_init(&r, in, n);
        int rc = cbor_rd_int(&r, &got_i);
        if (u > (uint64_t)INT64_MAX) {
            /* e.g. 18446744073709551615 and -18446744073709551616 */
            assert_int_equal(rc, CF_ERANGE);
            assert_true(got_i == 77);
            assert_int_equal(r.pos, 0);
            continue;
        }
        assert_int_equal(rc, CF_OK);
        assert_int_equal(cbor_rd_end(&r), CF_OK);
        assert_true(got_i == (neg ? -1 - (int64_t)u : (int64_t)u));

        cbor_enc e;
        cbor_enc_init(&e, out, sizeof(out));
        if (neg) cbor_put_int(&e, got_i);
        else cbor_put_uint(&e, u);
        expect_enc(&e, int_vectors[k].hex);
    }
}

static void test_appendix_a_strings(void **state)
{
    (void)state;
    static const struct {
        const char *hex;
        bool text;
        const char *val;
        size_t len;
    } v[] = {
        {"40", false, "", 0},
        {"4401020304", false, "\x01\x02\x03\x04", 4},
        {"60", true, "", 0},
        {"6161", true, "a", 1},
        {"6449455446", true, "IETF", 4},
        {"62225c", true, "\"\\", 2},
        {"62c3bc", true, "\xc3\xbc", 2},             /* ü */
        {"63e6b0b4", true, "\xe6\xb0\xb4", 3},       /* 水 */
        {"64f0908591", true, "\xf0\x90\x85\x91", 4}, /* 𐅑 */
    };
    for (size_t k = 0; k < sizeof(v) / sizeof(v[0]); k++) {
        uint8_t in[16], out[16];
        size_t n = unhex(v[k].hex, in, sizeof(in)), got_n = 99;
        expect_valid_hex(v[k].hex);
        cbor_rd r;
        cbor_rd_init(&r, in, n);
        if (v[k].text) {
            const char *s = NULL;
            assert_int_equal(cbor_rd_text(&r, &s, &got_n, 64), CF_OK);
            assert_int_equal(got_n, v[k].len);
            assert_memory_equal(s, v[k].val, got_n);
        } else {
            const uint8_t *p = NULL;
            assert_int_equal(cbor_rd_bytes(&r, &p, &got_n, 64), CF_OK);
            assert_int_equal(got_n, v[k].len);
            if (got_n) assert_memory_equal(p, v[k].val, got_n);
        }
        assert_int_equal(cbor_rd_end(&r), CF_OK);
        cbor_enc e;
        cbor_enc_init(&e, out, sizeof(out));
        if (v[k].text) cbor_put_cstr(&e, v[k].val);
        else cbor_put_bytes(&e, v[k].val, v[k].len);
        expect_enc(&e, v[k].hex);
    }
}

static const char *const container_vectors[] = {
    "80",
    "83010203",
    "8301820203820405",
    "98190102030405060708090a0b0c0d0e0f101112131415161718181819",
    "a0",
    "a201020304",
    "a26161016162820203",
    "826161a161626163",
    "a56161614161626142616361436164614461656145",
};

static void test_appendix_a_containers(void **state)
{
    (void)state;
    uint8_t buf[64];
    cbor_enc e;
    for (size_t k = 0; k < sizeof(container_vectors) / sizeof(container_vectors[0]); k++)
        expect_valid_hex(container_vectors[k]);

    /* Encode each by hand. */
    cbor_enc_init(&e, buf, sizeof(buf));
    cbor_put_array(&e, 0);
    expect_enc(&e, "80");
    cbor_enc_init(&e, buf, sizeof(buf));
    cbor_put_array(&e, 3);
    for (int i = 1; i <= 3; i++) cbor_put_uint(&e, (uint64_t)i);
    expect_enc(&e, "83010203");
    cbor_enc_init(&e, buf, sizeof(buf));
    cbor_put_array(&e, 3);
    cbor_put_uint(&e, 1);
    cbor_put_array(&e, 2);
    cbor_put_uint(&e, 2);
    cbor_put_uint(&e, 3);
    cbor_put_array(&e, 2);
    cbor_put_uint(&e, 4);
    cbor_put_uint(&e, 5);
    expect_enc(&e, "8301820203820405");
    cbor_enc_init(&e, buf, sizeof(buf));
    cbor_put_array(&e, 25);
    for (int i = 1; i <= 25; i++) cbor_put_uint(&e, (uint64_t)i);
    expect_enc(&e, "98190102030405060708090a0b0c0d0e0f101112131415161718181819");
    cbor_enc_init(&e, buf, sizeof(buf));
    cbor_put_map(&e, 0);
    expect_enc(&e, "a0");
    cbor_enc_init(&e, buf, sizeof(buf));
    cbor_put_map(&e, 2);
    cbor_put_uint(&e, 1);
    cbor_put_uint(&e, 2);
    cbor_put_uint(&e, 3);
    cbor_put_uint(&e, 4);
    expect_enc(&e, "a201020304");
    cbor_enc_init(&e, buf, sizeof(buf));
    cbor_put_map(&e, 2);
    cbor_put_cstr(&e, "a");
    cbor_put_uint(&e, 1);
    cbor_put_cstr(&e, "b");
    cbor_put_array(&e, 2);
    cbor_put_uint(&e, 2);
    cbor_put_uint(&e, 3);
    expect_enc(&e, "a26161016162820203");
    cbor_enc_init(&e, buf, sizeof(buf));
    cbor_put_array(&e, 2);
    cbor_put_cstr(&e, "a");
    cbor_put_map(&e, 1);
    cbor_put_cstr(&e, "b");
    cbor_put_cstr(&e, "c");
    expect_enc(&e, "826161a161626163");
    cbor_enc_init(&e, buf, sizeof(buf));
    cbor_put_map(&e, 5);
    const char *keys[] = {"a", "b", "c", "d", "e"}, *vals[] = {"A", "B", "C", "D", "E"};
    for (int i = 0; i < 5; i++) {
        cbor_put_cstr(&e, keys[i]);
        cbor_put_cstr(&e, vals[i]);
    }
    expect_enc(&e, "a56161614161626142616361436164614461656145");

    /* Decode one by hand: {"a": 1, "b": [2, 3]}. */
    size_t n = unhex("a26161016162820203", buf, sizeof(buf)), cnt, sn;
    const char *s;
    uint64_t u;
    cbor_rd r;
    cbor_rd_init(&r, buf, n);
    assert_int_equal(cbor_rd_map(&r, &cnt, 8), CF_OK);
    assert_int_equal(cnt, 2);
    assert_int_equal(cbor_rd_text(&r, &s, &sn, 8), CF_OK);
    assert_true(sn == 1 && s[0] == 'a');
    assert_int_equal(cbor_rd_uint(&r, &u), CF_OK);
    assert_true(u == 1);
    assert_int_equal(cbor_rd_text(&r, &s, &sn, 8), CF_OK);
    assert_true(sn == 1 && s[0] == 'b');
    assert_int_equal(cbor_rd_array(&r, &cnt, 8), CF_OK);
    assert_int_equal(cnt, 2);
    assert_int_equal(cbor_rd_uint(&r, &u), CF_OK);
    assert_true(u == 2);
    assert_int_equal(cbor_rd_uint(&r, &u), CF_OK);
    assert_true(u == 3);
    assert_int_equal(cbor_rd_end(&r), CF_OK);
}

/* Appendix A items outside the subset, and other majors 6/7 and reserved
 * additional information: all CF_ECBOR_UNSUPPORTED. */
static void test_appendix_a_unsupported(void **state)
{
    (void)state;
    static const char *const v[] = {
        /* bignum tags for 2^64 and -2^64-1 */
        "c249010000000000000000", "c349010000000000000000",
        /* floats */
        "f90000", "f98000", "f93c00", "fb3ff199999999999a", "f93e00", "f97bff",
        "fa47c35000", "fa7f7fffff", "fb7e37e43c8800759c", "f90001", "f90400",
        "f9c400", "fbc010666666666666", "f97c00", "f97e00", "f9fc00", "fa7f800000",
        "fa7fc00000", "faff800000", "fb7ff0000000000000", "fb7ff8000000000000",
        "fbfff0000000000000",
        /* simple values */
        "f4", "f5", "f6", "f7", "f0", "f818", "f8ff",
        /* tags */
        "c074323031332d30332d32315432303a30343a30305a", "c11a514b67b0",
        "c1fb41d452d9ec200000", "d74401020304", "d818456449455446",
        "d82076687474703a2f2f7777772e6578616d706c652e636f6d",
        /* indefinite lengths */
        "5f42010243030405ff", "7f657374726561646d696e67ff", "9fff",
        "9f018202039f0405ffff", "9f01820203820405ff",
        "9f0102030405060708090a0b0c0d0e0f101112131415161718181819ff",
        "bf61610161629f0203ffff", "bf6346756ef563416d7421ff",
        /* break alone, reserved additional information 28..31 everywhere */
        "ff", "1c", "1d", "1e", "1f", "3c", "3f", "5c", "5d", "7e", "9c", "bd", "be",
    };
    for (size_t k = 0; k < sizeof(v) / sizeof(v[0]); k++)
        expect_invalid_hex(v[k], CF_ECBOR_UNSUPPORTED, 0);
    /* Nested: the offset is that of the unsupported head. */
    expect_invalid_hex("83018202039f0405ff", CF_ECBOR_UNSUPPORTED, 5);
    expect_invalid_hex("83019f0203ff820405", CF_ECBOR_UNSUPPORTED, 2);
    expect_invalid_hex("826161bf61626163ff", CF_ECBOR_UNSUPPORTED, 3);
    expect_invalid_hex("a16161f6", CF_ECBOR_UNSUPPORTED, 3);

    uint8_t b[1] = {0xc0};
    enum cbor_major m = CBOR_MAP;
    cbor_rd r;
    cbor_rd_init(&r, b, 1);
    assert_int_equal(cbor_rd_peek(&r, &m), CF_ECBOR_UNSUPPORTED);
    b[0] = 0xf6;
    assert_int_equal(cbor_rd_peek(&r, &m), CF_ECBOR_UNSUPPORTED);
    assert_int_equal(m, CBOR_MAP);
}

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
    size_t n = unhex("a262616101616202", b, sizeof(b)), cnt = 99;
    cbor_rd r;
    cbor_rd_init(&r, b, n);
    assert_int_equal(cbor_rd_map(&r, &cnt, 8), CF_ECBOR_KEY_ORDER);
    assert_int_equal(cnt, 99);
    assert_int_equal(r.pos, 0);
    n = unhex("81a2616200616100", b, sizeof(b));
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
            size_t n = unhex(v[k], item + 1, sizeof(item) - 1), sn;
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
        uint64_t x = rng_next(&rng);
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

/* Valid items for the truncation and mutation tests. */
static const char *const valid_vectors[] = {
    "00", "17", "1818", "1903e8", "1a000f4240", "1b000000e8d4a51000",
    "1bffffffffffffffff", "20", "3863", "3903e7", "3bffffffffffffffff",
    "40", "4401020304", "60", "6161", "6449455446", "62225c", "62c3bc",
    "63e6b0b4", "64f0908591", "80", "83010203", "8301820203820405",
    "98190102030405060708090a0b0c0d0e0f101112131415161718181819", "a0",
    "a201020304", "a26161016162820203", "826161a161626163",
    "a56161614161626142616361436164614461656145",
    "a2190100002000", "a26161a2617800617900616200", "a2810100810200",
    "5818000102030405060708090a0b0c0d0e0f1011121314151617",
};

static void test_truncation(void **state)
{
    (void)state;
    for (size_t k = 0; k < sizeof(valid_vectors) / sizeof(valid_vectors[0]); k++) {
        uint8_t buf[64];
        size_t n = unhex(valid_vectors[k], buf, sizeof(buf));
        for (size_t cut = 0; cut < n; cut++) {
            uint8_t *d = dup_exact(buf, cut);
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
        uint8_t *d = dup_exact(big[k], 9), out[32];
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
    n = unhex("4401020304", b, sizeof(b));
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

    n = unhex("6449455446", b, sizeof(b));
    cbor_rd_init(&r, b, n);
    assert_int_equal(cbor_rd_text(&r, &s, &cnt, 3), CF_ECBOR_LIMIT);
    assert_int_equal(cbor_rd_bytes(&r, &p, &cnt, 8), CF_ECBOR_TYPE);
    assert_int_equal(cbor_rd_bytes_exact(&r, out, 4), CF_ECBOR_TYPE);
    assert_int_equal(cbor_rd_text(&r, &s, &cnt, 4), CF_OK);

    n = unhex("83010203", b, sizeof(b));
    cbor_rd_init(&r, b, n);
    assert_int_equal(cbor_rd_array(&r, &cnt, 2), CF_ECBOR_LIMIT);
    assert_int_equal(cbor_rd_array(&r, &cnt, 3), CF_OK);
    assert_int_equal(cnt, 3);
    n = unhex("a201020304", b, sizeof(b));
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
        n = unhex(pk[k].hex, b, sizeof(b));
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
            uint8_t *d = dup_exact(b, n);
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
        size_t n = unhex(raw[k].hex, item, sizeof(item));
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

/* Rejected with an in-range offset (and the same code from cbor_rd_skip), or
 * accepted and re-encoded to exactly the same bytes: canonical ⇒ unique. */
static bool check_mutant(const uint8_t *buf, size_t n)
{
    uint8_t *d = dup_exact(buf, n);
    size_t off = SIZE_MAX;
    int rc = cbor_validate(d, n, &off);
    if (rc == CF_OK) {
        expect_canonical(d, n);
    } else {
        assert_true(off <= n);
        cbor_rd r;
        cbor_rd_init(&r, d, n);
        int rs = cbor_rd_skip(&r);
        assert_int_equal(rs, rc == CF_ECBOR_TRAILING ? CF_OK : rc);
    }
    free(d);
    return rc == CF_OK;
}

/* An entry-shaped document (DESIGN §3.1), built with the encoder. */
static size_t sample_entry(uint8_t *out, size_t cap)
{
    uint8_t key[32];
    for (int i = 0; i < 32; i++) key[i] = (uint8_t)(i * 7);
    cbor_enc e;
    size_t len = 0;
    cbor_enc_init(&e, out, cap);
    cbor_put_map(&e, 8);
    cbor_put_cstr(&e, "v"), cbor_put_uint(&e, 1);
    cbor_put_cstr(&e, "gov"), cbor_put_uint(&e, 3);
    cbor_put_cstr(&e, "net"), cbor_put_bytes(&e, key, 32);
    cbor_put_cstr(&e, "body");
    cbor_put_map(&e, 3);
    cbor_put_cstr(&e, "delta"), cbor_put_int(&e, -250);
    cbor_put_cstr(&e, "amount"), cbor_put_uint(&e, 50000000);
    cbor_put_cstr(&e, "project"), cbor_put_cstr(&e, "p1");
    cbor_put_cstr(&e, "time"), cbor_put_uint(&e, 1700000000000ULL);
    cbor_put_cstr(&e, "type"), cbor_put_cstr(&e, "contribution");
    cbor_put_cstr(&e, "index"), cbor_put_uint(&e, 12);
    cbor_put_cstr(&e, "author"), cbor_put_bytes(&e, key, 32);
    assert_int_equal(cbor_enc_finish(&e, &len), CF_OK);
    return len;
}

static void test_mutation(void **state)
{
    (void)state;
    unsigned long accepted = 0, rejected = 0;
    size_t nvec = sizeof(valid_vectors) / sizeof(valid_vectors[0]);
    for (size_t k = 0; k <= nvec; k++) {
        uint8_t buf[256], m[256];
        size_t n = k < nvec ? unhex(valid_vectors[k], buf, sizeof(buf))
                            : sample_entry(buf, sizeof(buf));
        expect_canonical(buf, n);
        for (size_t i = 0; i < n; i++) {
            memcpy(m, buf, n);
            for (int bit = 0; bit < 8; bit++) { /* each bit flipped */
                m[i] = (uint8_t)(buf[i] ^ (1u << bit));
                check_mutant(m, n) ? accepted++ : rejected++;
            }
            for (unsigned v = 0; v < 256; v++) { /* each byte value */
                if (v == buf[i]) continue;
                m[i] = (uint8_t)v;
                check_mutant(m, n) ? accepted++ : rejected++;
            }
            memcpy(m, buf, i); /* byte deleted */
            memcpy(m + i, buf + i + 1, n - i - 1);
            check_mutant(m, n - 1) ? accepted++ : rejected++;
        }
    }
    printf("test_mutation: %lu mutants accepted (re-encoded identically), %lu rejected\n",
           accepted, rejected);
}

/* ---- random documents --------------------------------------------------- */

/* Random document size bound, and items per document. */
#define DOC_BYTES_MAX 32768
#define DOC_ITEMS_MAX 80

static uint64_t gen_uint(uint64_t *rng)
{
    static const uint64_t edge[] = {
        0, 23, 24, 255, 256, 65535, 65536, 0xffffffff, 0x100000000ULL,
        (uint64_t)INT64_MAX, (uint64_t)INT64_MAX + 1, UINT64_MAX,
    };
    switch (rng_below(rng, 4)) {
    case 0: return rng_below(rng, 24);
    case 1: return edge[rng_below(rng, sizeof(edge) / sizeof(edge[0]))];
    default: return rng_next(rng) >> rng_below(rng, 64);
    }
}

static size_t gen_len(uint64_t *rng)
{
    static const size_t edge[] = {0, 23, 24, 255, 256, 300};
    return rng_below(rng, 4) ? (size_t)rng_below(rng, 12)
                             : edge[rng_below(rng, sizeof(edge) / sizeof(edge[0]))];
}

/* Random valid UTF-8 of about n bytes. */
static size_t gen_utf8(uint64_t *rng, char *s, size_t n)
{
    size_t len = 0;
    while (len + 4 <= n) {
        uint32_t c;
        switch (rng_below(rng, 4)) {
        case 0: c = (uint32_t)rng_below(rng, 0x80); break;
        case 1: c = 0x80 + (uint32_t)rng_below(rng, 0x800 - 0x80); break;
        case 2:
            c = 0x800 + (uint32_t)rng_below(rng, 0x10000 - 0x800 - 0x800);
            if (c >= 0xd800) c += 0x800; /* skip the surrogates */
            break;
        default: c = 0x10000 + (uint32_t)rng_below(rng, 0x100000); break;
        }
        if (c < 0x80) {
            s[len++] = (char)c;
        } else if (c < 0x800) {
            s[len++] = (char)(0xc0 | (c >> 6));
            s[len++] = (char)(0x80 | (c & 0x3f));
        } else if (c < 0x10000) {
            s[len++] = (char)(0xe0 | (c >> 12));
            s[len++] = (char)(0x80 | ((c >> 6) & 0x3f));
            s[len++] = (char)(0x80 | (c & 0x3f));
        } else {
            s[len++] = (char)(0xf0 | (c >> 18));
            s[len++] = (char)(0x80 | ((c >> 12) & 0x3f));
            s[len++] = (char)(0x80 | ((c >> 6) & 0x3f));
            s[len++] = (char)(0x80 | (c & 0x3f));
        }
    }
    return len;
}

struct key {
    uint8_t b[64];
    size_t n;
};

static int key_sort(const void *a, const void *b)
{
    const struct key *x = a, *y = b;
    size_t n = x->n < y->n ? x->n : y->n;
    int c = memcmp(x->b, y->b, n);
    return c ? c : (x->n > y->n) - (x->n < y->n);
}

static void gen_item(uint64_t *rng, cbor_enc *e, unsigned depth, int *budget);

/* A random key for a map whose own items sit inside depth containers:
 * mostly scalars, at most one container level, encoded on its own. */
static void gen_key(uint64_t *rng, struct key *k, unsigned depth)
{
    cbor_enc e;
    int budget = 2;
    cbor_enc_init(&e, k->b, sizeof(k->b));
    if (rng_below(rng, 3) == 0) {
        char s[16];
        cbor_put_text(&e, s, gen_utf8(rng, s, (size_t)rng_below(rng, sizeof(s))));
    } else {
        gen_item(rng, &e, depth > CBOR_DEPTH_MAX - 1 ? depth : CBOR_DEPTH_MAX - 1, &budget);
    }
    if (cbor_enc_finish(&e, &k->n) != CF_OK) k->n = 0; /* too big: dropped */
}

static void gen_item(uint64_t *rng, cbor_enc *e, unsigned depth, int *budget)
{
    uint8_t b[300];
    char s[300];
    size_t n;
    unsigned kind = (unsigned)rng_below(rng, 10);
    --*budget;
    if (depth >= CBOR_DEPTH_MAX || *budget <= 0) kind %= 6; /* scalars only */
    switch (kind) {
    case 0:
    case 1: cbor_put_uint(e, gen_uint(rng)); break;
    case 2: cbor_put_int(e, -1 - (int64_t)(gen_uint(rng) & (uint64_t)INT64_MAX)); break;
    case 3:
        n = gen_len(rng);
        for (size_t i = 0; i < n; i++) b[i] = (uint8_t)rng_next(rng);
        cbor_put_bytes(e, b, n);
        break;
    case 4: cbor_put_text(e, s, gen_utf8(rng, s, gen_len(rng))); break;
    case 5: /* below INT64_MIN: only cbor_put_raw can write it */
        b[0] = 0x3b;
        for (int i = 0; i < 8; i++) b[1 + i] = (uint8_t)(rng_next(rng) | (i == 0 ? 0x80 : 0));
        cbor_put_raw(e, b, 9);
        break;
    case 6:
    case 7: {
        size_t count = rng_below(rng, 8) ? (size_t)rng_below(rng, 5)
                                         : 24 + (size_t)rng_below(rng, 8);
        cbor_put_array(e, count);
        for (size_t i = 0; i < count; i++) gen_item(rng, e, depth + 1, budget);
        break;
    }
    default: {
        struct key keys[8];
        size_t count = (size_t)rng_below(rng, 9), uniq = 0;
        for (size_t i = 0; i < count; i++) gen_key(rng, &keys[i], depth + 1);
        qsort(keys, count, sizeof(keys[0]), key_sort);
        for (size_t i = 0; i < count; i++)
            if (keys[i].n > 0 && (uniq == 0 || key_sort(&keys[uniq - 1], &keys[i]) != 0))
                keys[uniq++] = keys[i];
        cbor_put_map(e, uniq);
        for (size_t i = 0; i < uniq; i++) {
            cbor_put_raw(e, keys[i].b, keys[i].n);
            gen_item(rng, e, depth + 1, budget);
        }
        break;
    }
    }
}

static void test_random_documents(void **state)
{
    (void)state;
    uint64_t rng = g_seed;
    uint8_t *doc = malloc(DOC_BYTES_MAX), *m = malloc(DOC_BYTES_MAX);
    assert_non_null(doc);
    assert_non_null(m);
    unsigned long docs = 0, bytes = 0, deepest = 0;
    for (int k = 0; k < RANDOM_DOCS; k++) {
        cbor_enc e;
        size_t n = 0;
        int budget = (int)rng_below(&rng, DOC_ITEMS_MAX) + 1;
        unsigned chain = rng_below(&rng, 4) ? 0 : (unsigned)rng_below(&rng, CBOR_DEPTH_MAX + 1);
        cbor_enc_init(&e, doc, DOC_BYTES_MAX);
        for (unsigned i = 0; i < chain; i++) cbor_put_array(&e, 1);
        gen_item(&rng, &e, chain, &budget);
        int rc = cbor_enc_finish(&e, &n);
        if (rc == CF_ECBOR_BUFFER) continue;
        if (rc != CF_OK)
            fail_msg("generator: %s (seed %llu)", cf_errname(rc), (unsigned long long)g_seed);
        docs++, bytes += n;
        if (chain > deepest) deepest = chain;
        expect_canonical(doc, n);
        /* Prefixes: all of them for small documents, a sample otherwise. */
        for (size_t t = 0; t < (n <= 256 ? n : 64); t++) {
            size_t cut = n <= 256 ? t : (size_t)rng_below(&rng, n);
            uint8_t *d = dup_exact(doc, cut);
            assert_int_equal(cbor_validate(d, cut, NULL), CF_ECBOR_TRUNCATED);
            free(d);
        }
        /* Random byte mutations. */
        for (int t = 0; t < 32; t++) {
            memcpy(m, doc, n);
            m[rng_below(&rng, n)] ^= (uint8_t)(1 + rng_below(&rng, 255));
            check_mutant(m, n);
        }
    }
    printf("test_random_documents: %lu documents, %lu bytes, chains up to %lu deep\n",
           docs, bytes, deepest);
    free(doc);
    free(m);
}

/* Short random inputs drawn mostly from interesting heads: whatever
 * cbor_validate accepts must re-encode to itself. */
static void test_random_short_inputs(void **state)
{
    (void)state;
    static const uint8_t heads[] = {
        0x00, 0x17, 0x18, 0x19, 0x1a, 0x1b, 0x1c, 0x1f, 0x20, 0x38, 0x3b, 0x40, 0x41,
        0x58, 0x5f, 0x60, 0x61, 0x62, 0x78, 0x7f, 0x80, 0x81, 0x82, 0x98, 0x9f,
        0xa0, 0xa1, 0xa2, 0xb8, 0xbf, 0xc0, 0xf6, 0xff, 0xc3, 0xe6, 0xed, 0xf0,
    };
    uint64_t rng = g_seed ^ 0xabcdef;
    unsigned long accepted = 0;
    uint8_t b[12];
    for (int k = 0; k < RANDOM_SHORT_INPUTS; k++) {
        size_t n = 1 + (size_t)rng_below(&rng, sizeof(b));
        for (size_t i = 0; i < n; i++)
            b[i] = rng_below(&rng, 2) ? heads[rng_below(&rng, sizeof(heads))]
                                      : (uint8_t)rng_next(&rng);
        if (check_mutant(b, n)) accepted++;
    }
    printf("test_random_short_inputs: %lu of %d accepted\n", accepted, RANDOM_SHORT_INPUTS);
}

int main(void)
{
    const char *env = getenv("COFUND_SEED");
    if (env != NULL && *env != '\0') {
        g_seed = strtoull(env, NULL, 0);
    } else {
        struct timespec ts;
        clock_gettime(CLOCK_REALTIME, &ts);
        g_seed = (uint64_t)ts.tv_sec * 1000000007ULL ^ (uint64_t)ts.tv_nsec ^
                 ((uint64_t)getpid() << 32);
    }
    printf("test_cbor: seed %llu (replay with COFUND_SEED=%llu)\n",
           (unsigned long long)g_seed, (unsigned long long)g_seed);
    fflush(stdout);
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_appendix_a_ints),
        cmocka_unit_test(test_appendix_a_strings),
        cmocka_unit_test(test_appendix_a_containers),
        cmocka_unit_test(test_appendix_a_unsupported),
        cmocka_unit_test(test_noncanonical),
        cmocka_unit_test(test_key_order),
        cmocka_unit_test(test_utf8),
        cmocka_unit_test(test_truncation),
        cmocka_unit_test(test_huge_lengths),
        cmocka_unit_test(test_getters),
        cmocka_unit_test(test_trailing),
        cmocka_unit_test(test_depth),
        cmocka_unit_test(test_encoder_misuse),
        cmocka_unit_test(test_mutation),
        cmocka_unit_test(test_random_documents),
        cmocka_unit_test(test_random_short_inputs),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
