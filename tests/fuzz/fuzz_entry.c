/* fuzz_entry.c — whatever entry_decode accepts is one canonical CBOR item
 * (cbor_validate: the decoder reads in one pass and must miss nothing) and
 * entry_encode writes it back to exactly the same bytes: one entry, one
 * encoding (R-ENV). */
#include <stdlib.h>
#include <string.h>

#include "crypto/cbor.h"
#include "crypto/cf_error.h"
#include "ledger/diag.h"
#include "ledger/entry.h"

int LLVMFuzzerTestOneInput(const uint8_t *d, size_t n);
int LLVMFuzzerTestOneInput(const uint8_t *d, size_t n)
{
    static entry e; /* static: with 64 citations it is ~5 KiB */
    static uint8_t out[ENTRY_BYTES_MAX];
    diag dg;
    size_t len = 0;

    int rc = entry_decode(d, n, &e, &dg);
    if (rc != CF_OK) {
        /* Every rejection names R-ENV and says why. */
        if (rc > 0 || strcmp(dg.rule, "R-ENV") != 0 || dg.text[0] == '\0') abort();
        return 0;
    }
    if (cbor_validate(d, n, NULL) != CF_OK) abort();
    if (entry_encode(&e, out, sizeof out, &len, &dg) != CF_OK) abort();
    if (len != n || memcmp(out, d, n) != 0) abort();
    return 0;
}
