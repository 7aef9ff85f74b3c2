/* fuzz_tlog_proof.c — libFuzzer target for tlog_proof_parse. Round-trip
 * property: whatever parses must format back to exactly the input (the form
 * is canonical), and its extra data must decode; abort otherwise. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "crypto/cf_util.h"
#include "crypto/note.h"

int LLVMFuzzerTestOneInput(const uint8_t *d, size_t n);
int LLVMFuzzerTestOneInput(const uint8_t *d, size_t n)
{
    static uint8_t extra[TLOGPROOF_EXTRA_BYTES_MAX];
    static char out[TLOGPROOF_BYTES_MAX + 1];
    static tlog_proof p;
    static int ready;
    size_t elen, len;
    if (!ready && cf_crypto_init() != 0) abort();
    ready = 1;
    if (tlog_proof_parse((const char *)d, n, &p) != 0) return 0;
    if (tlog_proof_extra(&p, extra, sizeof extra, &elen) != 0 ||
        (elen == 0) != (p.extra_b64 == NULL))
        abort();
    if (tlog_proof_format(extra, elen, p.index, (const uint8_t(*)[32])p.hashes,
                          p.nhashes, p.checkpoint, p.checkpoint_len, out,
                          sizeof out, &len) != 0 ||
        len != n || memcmp(out, d, n) != 0)
        abort();
    return 0;
}
