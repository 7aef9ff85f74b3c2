/* test_cbor_vectors.c — the strict CBOR codec (crypto/cbor.h) against the
 * golden vectors of RFC 8949 Appendix A: every integer, string and container
 * decodes and re-encodes byte for byte, and every item outside the subset is
 * CF_ECBOR_UNSUPPORTED. test_cbor_strict.c and test_cbor_random.c check the
 * rest.
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
        size_t n = tu_unhex(int_vectors[k].hex, in, sizeof(in));
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
        size_t n = tu_unhex(v[k].hex, in, sizeof(in)), got_n = 99;
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
    size_t n = tu_unhex("a26161016162820203", buf, sizeof(buf)), cnt, sn;
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

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_appendix_a_ints),
        cmocka_unit_test(test_appendix_a_strings),
        cmocka_unit_test(test_appendix_a_containers),
        cmocka_unit_test(test_appendix_a_unsupported),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
