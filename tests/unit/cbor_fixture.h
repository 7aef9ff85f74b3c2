/* cbor_fixture.h — what the test_cbor_* files share: checks that an item is
 * canonical (valid, skipped whole, re-encoded to itself), checks on hex
 * items, and the valid items the truncation and mutation tests start from.
 */
#ifndef COFUND_CBOR_FIXTURE_H
#define COFUND_CBOR_FIXTURE_H

#include <stddef.h>
#include <stdint.h>

#include "crypto/cbor.h"

/* Walk in[0..n) with the pull reader and re-encode it with the encoder into
 * out[0..cap). Negative integers below INT64_MIN go through cbor_put_raw. */
int reencode(const uint8_t *in, size_t n, uint8_t *out, size_t cap, size_t *out_len);

/* p[0..n) is valid, skips whole and re-encodes to itself (and not into one
 * byte less). */
void expect_canonical(const uint8_t *p, size_t n);

/* The hex item is canonical, as expect_canonical. */
void expect_valid_hex(const char *hex);

/* cbor_validate refuses the hex item with `want` at offset want_off, and
 * cbor_rd_skip agrees without moving (or, for trailing bytes, skips one
 * item and cbor_rd_end refuses). */
void expect_invalid_hex(const char *hex, int want, size_t want_off);

/* The encoder finishes without error with exactly the hex bytes. */
void expect_enc(const cbor_enc *e, const char *hex);

/* Valid items (hex) for the truncation and mutation tests. */
#define VALID_VECTORS 33
extern const char *const valid_vectors[VALID_VECTORS];

#endif
