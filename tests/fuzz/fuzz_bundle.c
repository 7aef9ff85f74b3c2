/* fuzz_bundle.c — libFuzzer target for the bundle reader (node/bundle/bundle.h).
 *
 * Reads the input as a bundle with the memory reader until it ends or fails.
 * It must never crash, leak or read past the input; a bundle it accepts must
 * have been consumed to its last byte, and the reader must stay stopped. */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>

#include "bundle/bundle.h"
#include "crypto/cf_error.h"
#include "crypto/cf_util.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    bundle_reader *r;
    bundle_record rec;
    diag d;
    static int ready;
    if (!ready && cf_crypto_init() != CF_OK) abort();
    ready = 1;
    if (bundle_reader_open_mem(data, size, &r) != CF_OK) abort();
    int rc;
    while ((rc = bundle_next(r, &rec, &d)) == CF_OK) {
    }
    if (rc == 1 && bundle_reader_offset(r) != size) abort();
    if (rc < 0 && d.code != rc) abort();
    if (bundle_next(r, &rec, &d) != rc) abort();
    bundle_reader_close(r);
    return 0;
}
