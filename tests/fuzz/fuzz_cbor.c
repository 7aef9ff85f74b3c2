/* fuzz_cbor.c — whatever cbor_validate accepts, the pull reader walks and the
 * encoder re-encodes to exactly the same bytes (canonical ⇒ unique). */
#include <stdlib.h>
#include <string.h>

#include "crypto/cbor.h"
#include "crypto/cf_error.h"

/* Re-encode the next item head (or scalar) from r into e. */
static int copy_one(cbor_rd *r, cbor_enc *e, size_t max)
{
    enum cbor_major m;
    size_t at = r->pos, n;
    const uint8_t *p;
    const char *s;
    uint64_t u;
    int64_t i;
    int rc = cbor_rd_peek(r, &m);
    if (rc != CF_OK) return rc;
    switch (m) {
    case CBOR_UINT:
        if ((rc = cbor_rd_uint(r, &u)) == CF_OK) cbor_put_uint(e, u);
        return rc;
    case CBOR_NEGINT:
        if ((rc = cbor_rd_int(r, &i)) == CF_OK) cbor_put_int(e, i);
        else if (rc == CF_ERANGE && (rc = cbor_rd_skip(r)) == CF_OK) /* < INT64_MIN */
            cbor_put_raw(e, r->p + at, r->pos - at);
        return rc;
    case CBOR_BYTES:
        if ((rc = cbor_rd_bytes(r, &p, &n, max)) == CF_OK) cbor_put_bytes(e, p, n);
        return rc;
    case CBOR_TEXT:
        if ((rc = cbor_rd_text(r, &s, &n, max)) == CF_OK) cbor_put_text(e, s, n);
        return rc;
    case CBOR_ARRAY:
        if ((rc = cbor_rd_array(r, &n, max)) == CF_OK) cbor_put_array(e, n);
        return rc;
    case CBOR_MAP:
        if ((rc = cbor_rd_map(r, &n, max)) == CF_OK) cbor_put_map(e, n);
        return rc;
    }
    return CF_ECBOR_TYPE;
}

int LLVMFuzzerTestOneInput(const uint8_t *d, size_t n);
int LLVMFuzzerTestOneInput(const uint8_t *d, size_t n)
{
    if (cbor_validate(d, n, NULL) != CF_OK) return 0;
    uint8_t *out = malloc(n);
    if (out == NULL) return 0;
    cbor_rd r;
    cbor_enc e;
    size_t len = 0;
    int rc = CF_OK;
    cbor_rd_init(&r, d, n);
    cbor_enc_init(&e, out, n);
    while (rc == CF_OK && r.pos < n) rc = copy_one(&r, &e, n);
    if (rc == CF_OK) rc = cbor_enc_finish(&e, &len);
    if (rc != CF_OK || len != n || memcmp(out, d, n) != 0) abort();
    free(out);
    return 0;
}
