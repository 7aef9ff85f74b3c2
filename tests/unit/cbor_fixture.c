/* cbor_fixture.c — checks the test_cbor_* files share (cbor_fixture.h). */
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

/* Largest test item in bytes (hex vectors). */
#define ITEM_BYTES_MAX 4096

int reencode(const uint8_t *in, size_t n, uint8_t *out, size_t cap, size_t *out_len)
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

void expect_canonical(const uint8_t *p, size_t n)
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

void expect_valid_hex(const char *hex)
{
    uint8_t buf[ITEM_BYTES_MAX];
    size_t n = tu_unhex(hex, buf, sizeof(buf));
    uint8_t *d = tu_dup_exact(buf, n);
    expect_canonical(d, n);
    free(d);
}

void expect_invalid_hex(const char *hex, int want, size_t want_off)
{
    uint8_t buf[ITEM_BYTES_MAX];
    size_t n = tu_unhex(hex, buf, sizeof(buf));
    uint8_t *d = tu_dup_exact(buf, n);
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

void expect_enc(const cbor_enc *e, const char *hex)
{
    uint8_t want[ITEM_BYTES_MAX];
    size_t n = tu_unhex(hex, want, sizeof(want)), len = 0;
    int rc = cbor_enc_finish(e, &len);
    if (rc != CF_OK) fail_msg("%s: encoder %s", hex, cf_errname(rc));
    assert_int_equal(len, n);
    assert_memory_equal(e->buf, want, n);
}

const char *const valid_vectors[] = {
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
