/* fuzz_cbor.c — whatever cbor_validate accepts, the pull reader walks and the
 * encoder re-encodes to exactly the same bytes (canonical ⇒ unique), the
 * scanning getters with the checking encoder and the one-pass getters
 * (cbor_rd_map_head) with the unchecked one alike. Whatever cbor_rd_skip
 * passes over, valid or not, cbor_rd_skip_heads passes over to the same end. */
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "crypto/cbor.h"
#include "crypto/cf_error.h"

/* Re-encode the next item head (or scalar) from r into e. */
static int copy_one(cbor_rd *r, cbor_enc *e, size_t max, bool one_pass)
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
        rc = one_pass ? cbor_rd_map_head(r, &n, max) : cbor_rd_map(r, &n, max);
        if (rc == CF_OK) cbor_put_map(e, n);
        return rc;
    }
    return CF_ECBOR_TYPE;
}

/* The whole input re-encoded through one walk. */
static void copy_all(const uint8_t *d, size_t n, uint8_t *out, bool one_pass)
{
    cbor_rd r;
    cbor_enc e;
    size_t len = 0;
    int rc = CF_OK;
    cbor_rd_init(&r, d, n);
    if (one_pass) cbor_enc_init_unchecked(&e, out, n);
    else cbor_enc_init(&e, out, n);
    while (rc == CF_OK && r.pos < n) rc = copy_one(&r, &e, n, one_pass);
    if (rc == CF_OK) rc = cbor_enc_finish(&e, &len);
    if (rc != CF_OK || len != n || memcmp(out, d, n) != 0) abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *d, size_t n);
int LLVMFuzzerTestOneInput(const uint8_t *d, size_t n)
{
    cbor_rd a, b;
    cbor_rd_init(&a, d, n);
    cbor_rd_init(&b, d, n);
    if (cbor_rd_skip(&a) == CF_OK && (cbor_rd_skip_heads(&b) != CF_OK || b.pos != a.pos)) abort();
    if (cbor_validate(d, n, NULL) != CF_OK) return 0;
    uint8_t *out = malloc(n);
    if (out == NULL) return 0;
    copy_all(d, n, out, false);
    copy_all(d, n, out, true);
    free(out);
    return 0;
}
