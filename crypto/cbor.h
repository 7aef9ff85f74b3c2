/* cbor.h — strict deterministic CBOR (RFC 8949 §4.2.1) for the subset cofund
 * pins in its entry format: unsigned and negative integers, byte strings,
 * text strings, arrays and maps, all with definite lengths.
 *
 * Why our own codec: no Debian-packaged CBOR library rejects non-canonical
 * input, and entries are hashed byte for byte, so two encodings of one value
 * must never both be accepted. The decoder is zero-copy and never allocates.
 *
 * Rejected by the decoder, each with its own error code:
 *   - any integer, length or count not in its shortest form;
 *   - indefinite lengths, floats, simple values (false/true/null/undefined),
 *     tags, reserved additional-info values 28..30;
 *   - map keys not in strictly increasing bytewise order of their encodings
 *     (which also rejects duplicates);
 *   - text strings that are not valid UTF-8 (overlongs, surrogates, > U+10FFFF);
 *   - nesting deeper than CBOR_DEPTH_MAX, declared lengths or counts larger
 *     than the remaining input or than the caller's limit;
 *   - bytes after the top-level item.
 *
 * Programmer's bugs fail a CF_ASSERT (cf_error.h: on in every build, release
 * included; they are not input errors): a NULL encoder or
 * reader, a NULL output pointer, a NULL data pointer with a non-zero length,
 * a reader whose pos was moved past its len. Everything an input can cause
 * returns a code from cf_error.h.
 */
#ifndef COFUND_CBOR_H
#define COFUND_CBOR_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* Deepest nesting of arrays/maps accepted. Entries nest at most 4 deep
 * (entry map > body map > citation array > citation map); 16 leaves room for
 * later types while bounding recursion in cbor_validate. */
#define CBOR_DEPTH_MAX 16

enum cbor_major {
    CBOR_UINT = 0,
    CBOR_NEGINT = 1,
    CBOR_BYTES = 2,
    CBOR_TEXT = 3,
    CBOR_ARRAY = 4,
    CBOR_MAP = 5,
};

/* ---- Encoder -------------------------------------------------------------
 * Writes into a caller buffer. Errors are sticky: after the first error every
 * call is a no-op and cbor_enc_finish reports it. The encoder enforces
 * canonical form itself: the caller declares each container's item count up
 * front and must add map keys in increasing canonical order — a key out of
 * order or a count mismatch is CF_ECBOR_STATE (a programmer's bug surfaced as
 * an error so that tests can see it). Integers and lengths always use their
 * shortest form. Opening a container deeper than CBOR_DEPTH_MAX is
 * CF_ECBOR_LIMIT; a buffer too small (including a declared count that cannot
 * fit, at one byte per item) is CF_ECBOR_BUFFER. A key is checked when it is
 * complete, so a key may itself be a container or a cbor_put_raw item.
 * The fields are private; only buf[0..len) is of interest after finish. */
typedef struct {
    uint8_t *buf;
    size_t cap;
    size_t len;
    int err;
    bool unchecked; /* cbor_enc_init_unchecked */
    unsigned depth; /* open containers */
    struct cbor_enc_frame {
        bool is_map;
        uint64_t remaining; /* items left (maps count keys and values) */
        size_t prev_key_off; /* offset of the previous key; SIZE_MAX if none */
        size_t prev_key_len;
        size_t cur_key_off; /* offset where the current key began */
    } stack[CBOR_DEPTH_MAX];
} cbor_enc;

void cbor_enc_init(cbor_enc *e, uint8_t *buf, size_t cap);
/* An encoder for a caller that reads its output with a strict decoder (one
 * that refuses what cbor_validate refuses) before using it: it checks
 * neither the UTF-8 of texts nor the order of map keys, which that decoder
 * checks again anyway. Counts, depth, shortest heads and the buffer are
 * kept as above. entry_encode_nocheck uses it. */
void cbor_enc_init_unchecked(cbor_enc *e, uint8_t *buf, size_t cap);
void cbor_put_uint(cbor_enc *e, uint64_t v);
/* Any int64 (negative values use major type 1). */
void cbor_put_int(cbor_enc *e, int64_t v);
void cbor_put_bytes(cbor_enc *e, const void *p, size_t n);
/* Text must be valid UTF-8, else CF_ECBOR_UTF8. */
void cbor_put_text(cbor_enc *e, const char *s, size_t n);
/* Convenience for NUL-terminated text. */
void cbor_put_cstr(cbor_enc *e, const char *s);
/* A string literal's text, its length taken at compile time. */
#define cbor_put_lit(e, lit) cbor_put_text((e), "" lit, sizeof(lit) - 1)
void cbor_put_array(cbor_enc *e, size_t count);
/* A map of count pairs; add key, value, key, value... */
void cbor_put_map(cbor_enc *e, size_t count);
/* Copy one already-encoded canonical item verbatim (e.g. a stored body).
 * It is validated with cbor_validate first (its error becomes the sticky
 * error), and its nesting plus the open containers must stay within
 * CBOR_DEPTH_MAX (else CF_ECBOR_LIMIT). */
void cbor_put_raw(cbor_enc *e, const uint8_t *item, size_t n);
/* Returns the sticky error, or CF_ECBOR_STATE when containers are still open
 * or nothing was written (a second top-level item is CF_ECBOR_STATE too); on
 * success *len (if non-NULL) is the encoded size. */
int cbor_enc_finish(const cbor_enc *e, size_t *len);

/* ---- Decoder -------------------------------------------------------------
 * A bounds-checked cursor over untrusted bytes. Every getter checks the item
 * it reads is canonical, writes its outputs only on success and never reads
 * past the end. Returned pointers point into the input buffer and stay valid
 * as long as it does. On error the cursor does not advance.
 *
 * The reader does not track nesting: run cbor_validate over the whole input
 * first, or bound it by the shape you expect (entry_decode reads each map
 * against a fixed table, so an entry's shape bounds it).
 *
 * A decoder that reads every item of its input with a typed getter and
 * every map's keys against a table in canonical order can read in one pass:
 * cbor_rd_map_head, cbor_rd_key and cbor_rd_skip_heads check no more than
 * the item they read, leaving the rest (key order, the keys' UTF-8, what a
 * skipped item holds) to the getters and the table walk that follow. */
typedef struct {
    const uint8_t *p;
    size_t len;
    size_t pos;
} cbor_rd;

void cbor_rd_init(cbor_rd *r, const uint8_t *p, size_t len);
/* Major type of the next item without consuming it; CF_ECBOR_TRUNCATED at the
 * end, CF_ECBOR_UNSUPPORTED for major types 6 and 7. */
int cbor_rd_peek(const cbor_rd *r, enum cbor_major *major);
int cbor_rd_uint(cbor_rd *r, uint64_t *v);
/* Accepts major 0 and 1 whose value fits int64_t, else CF_ERANGE (e.g.
 * -18446744073709551616, which cbor_validate and cbor_rd_skip accept). Other
 * types are CF_ECBOR_TYPE. */
int cbor_rd_int(cbor_rd *r, int64_t *v);
/* String getters reject lengths above max with CF_ECBOR_LIMIT, and lengths
 * above the remaining input with CF_ECBOR_TRUNCATED — both before touching
 * the string's bytes. */
int cbor_rd_bytes(cbor_rd *r, const uint8_t **p, size_t *n, size_t max);
/* Exactly n bytes, else CF_ECBOR_TYPE / CF_ERANGE. For fixed-size keys and hashes. */
int cbor_rd_bytes_exact(cbor_rd *r, uint8_t *out, size_t n);
/* *s is not NUL-terminated and may contain U+0000; compare with *n. */
int cbor_rd_text(cbor_rd *r, const char **s, size_t *n, size_t max);
/* Container heads: *count is the number of items (pairs for maps); only the
 * head is consumed. A count over max is CF_ECBOR_LIMIT; one the remaining
 * input cannot hold (one byte per item, two per pair) is CF_ECBOR_TRUNCATED.
 * cbor_rd_map also scans the whole map before returning, so key order (which
 * no single getter can see) and everything inside it are checked: a caller
 * walking it key by key only ever sees a canonical map (a map nested k deep
 * is thus scanned k times, k <= CBOR_DEPTH_MAX). */
int cbor_rd_array(cbor_rd *r, size_t *count, size_t max);
int cbor_rd_map(cbor_rd *r, size_t *count, size_t max);
/* Skip one complete item, validating it as cbor_validate does (nesting
 * counted from the cursor). */
int cbor_rd_skip(cbor_rd *r);

/* For one-pass decoders (above). cbor_rd_map_head is cbor_rd_map without
 * the scan: the caller must read the map's keys against a table in
 * canonical order and refuse any key out of it. cbor_rd_key is cbor_rd_text
 * without the UTF-8 check: the caller must compare the key with known ASCII
 * keys before using it. cbor_rd_skip_heads passes over one item by its
 * heads (bounds and canonical heads checked, not texts nor key order): the
 * caller must read the item again with getters. */
int cbor_rd_map_head(cbor_rd *r, size_t *count, size_t max);
int cbor_rd_key(cbor_rd *r, const char **s, size_t *n, size_t max);
int cbor_rd_skip_heads(cbor_rd *r);
/* CF_OK when the cursor is at the end, else CF_ECBOR_TRAILING. */
int cbor_rd_end(const cbor_rd *r);

/* Validate that p[0..len) is exactly one canonical item within the rules
 * above (including key order and UTF-8) with nesting at most CBOR_DEPTH_MAX
 * (CBOR_DEPTH_MAX nested arrays/maps are accepted, one more is not). It does
 * not recurse. On error, *err_off (if non-NULL) receives the byte offset of
 * the fault: the head of the failing item, the start of a misordered key, or
 * the first trailing byte. CF_EINVAL if p is NULL and len is not 0. */
int cbor_validate(const uint8_t *p, size_t len, size_t *err_off);

/* Validate UTF-8 strictly (RFC 3629). true when valid. */
bool cbor_utf8_valid(const uint8_t *s, size_t n);

#endif
