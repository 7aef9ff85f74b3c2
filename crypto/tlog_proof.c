/* tlog_proof.c — C2SP tlog-proof@v1 text; the contract is in note.h.
 *
 * The form is canonical (strict base64, decimals without leading zeros, one
 * optional extra line, nothing after the checkpoint), so parsing and
 * formatting are inverse: format(parse(x)) == x byte for byte. The fuzz
 * target checks exactly that.
 */
#include "note.h"

#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "cf_error.h"
#include "cf_util.h"
#include "text_cursor.h"

static const char HEADER[] = "c2sp.org/tlog-proof@v1";
#define HEADER_BYTES (sizeof HEADER - 1)
static const char EXTRA[] = "extra ";
#define EXTRA_BYTES (sizeof EXTRA - 1)
static const char INDEX[] = "index ";
#define INDEX_BYTES (sizeof INDEX - 1)
#define HASH_B64_BYTES 44
#define EXTRA_B64_BYTES_MAX ((TLOGPROOF_EXTRA_BYTES_MAX + 2) / 3 * 4)
/* The extra line is validated in pieces of this many base64 characters (a
 * multiple of 4), so no 16 KiB buffer is needed just to check it. */
#define EXTRA_CHUNK_B64 1024
#define EXTRA_CHUNK_BYTES (EXTRA_CHUNK_B64 / 4 * 3)
#define U64_DIGITS_MAX 20

_Static_assert(TLOGPROOF_BYTES_MAX ==
                   HEADER_BYTES + 1 + EXTRA_BYTES + EXTRA_B64_BYTES_MAX + 1 +
                       INDEX_BYTES + U64_DIGITS_MAX + 1 +
                       TLOGPROOF_HASHES_MAX * (HASH_B64_BYTES + 1) + 1 +
                       NOTE_BYTES_MAX,
               "TLOGPROOF_BYTES_MAX adds up the largest proof");
_Static_assert(EXTRA_CHUNK_B64 % 4 == 0, "whole base64 quanta");


static bool span_is(struct rd s, const char *lit, size_t n)
{
    return s.len == n && memcmp(s.p, lit, n) == 0;
}

/* Strict base64 of 1..TLOGPROOF_EXTRA_BYTES_MAX bytes; decoded into out when
 * out != NULL (cap >= the decoded size), else only checked. Only the last
 * chunk may carry padding: cf_b64_decode_public rejects '=' anywhere else. */
static int extra_decode(const char *b64, size_t len, uint8_t *out, size_t cap,
                        size_t *out_len)
{
    uint8_t chunk[EXTRA_CHUNK_BYTES];
    size_t total = 0;
    if (len == 0 || len > EXTRA_B64_BYTES_MAX || len % 4 != 0)
        return CF_ETLOGPROOF_FORMAT;
    struct rd rd = {b64, len};
    while (rd.len > 0) {
        size_t take = rd.len < EXTRA_CHUNK_B64 ? rd.len : EXTRA_CHUNK_B64;
        size_t n;
        if (cf_b64_decode_public(rd.p, take, chunk, sizeof chunk, &n) != CF_OK)
            return CF_ETLOGPROOF_FORMAT;
        rd.p += take;
        rd.len -= take;
        if (rd.len > 0 && n != EXTRA_CHUNK_BYTES) return CF_ETLOGPROOF_FORMAT;
        if (out != NULL) {
            if (cap - total < n) return CF_ETOOBIG;
            memcpy(out + total, chunk, n);
        }
        total += n;
    }
    if (total == 0 || total > TLOGPROOF_EXTRA_BYTES_MAX)
        return CF_ETLOGPROOF_FORMAT;
    *out_len = total;
    return CF_OK;
}

/* The checkpoint must be a signed note whose text is a checkpoint. */
static int checkpoint_check(const char *ckpt, size_t len)
{
    note n;
    checkpoint c;
    int r;
    if ((r = note_parse(ckpt, len, &n)) != CF_OK ||
        (r = checkpoint_parse(n.text, n.text_len, &c)) != CF_OK)
        return r;
    return CF_OK;
}

int tlog_proof_parse(const char *msg, size_t len, tlog_proof *out)
{
    struct rd rd = {msg, len}, line;
    tlog_proof p;
    size_t extra_len;
    int r;
    if (msg == NULL || out == NULL) return CF_EINVAL;
    if (len > TLOGPROOF_BYTES_MAX) return CF_ETOOBIG;
    if (!rd_line(&rd, &line) || !span_is(line, HEADER, HEADER_BYTES) ||
        !rd_line(&rd, &line))
        return CF_ETLOGPROOF_FORMAT;
    p.extra_b64 = NULL;
    p.extra_b64_len = 0;
    if (rd_lit(&line, EXTRA, EXTRA_BYTES)) {
        if ((r = extra_decode(line.p, line.len, NULL, 0, &extra_len)) != CF_OK)
            return r;
        p.extra_b64 = line.p;
        p.extra_b64_len = line.len;
        if (!rd_line(&rd, &line)) return CF_ETLOGPROOF_FORMAT;
    }
    if (!rd_lit(&line, INDEX, INDEX_BYTES) ||
        note_decimal_parse(line.p, line.len, &p.index) != CF_OK)
        return CF_ETLOGPROOF_FORMAT;
    p.nhashes = 0;
    for (;;) {
        if (!rd_line(&rd, &line)) return CF_ETLOGPROOF_FORMAT;
        if (line.len == 0) break;
        if (p.nhashes == TLOGPROOF_HASHES_MAX ||
            note_hash_parse(line.p, line.len, p.hashes[p.nhashes]) != CF_OK)
            return CF_ETLOGPROOF_FORMAT;
        p.nhashes++;
    }
    if ((r = checkpoint_check(rd.p, rd.len)) != CF_OK) return r;
    p.checkpoint = rd.p;
    p.checkpoint_len = rd.len;
    memcpy(out, &p, sizeof p);
    return CF_OK;
}

int tlog_proof_extra(const tlog_proof *p, uint8_t *out, size_t cap,
                     size_t *out_len)
{
    size_t n;
    if (p == NULL || out == NULL || out_len == NULL) return CF_EINVAL;
    if (p->extra_b64 == NULL) {
        *out_len = 0;
        return CF_OK;
    }
    /* Check first so that nothing is written for a bad proof struct. */
    int r = extra_decode(p->extra_b64, p->extra_b64_len, NULL, 0, &n);
    if (r != CF_OK) return r;
    if (cap < n) return CF_ETOOBIG;
    return extra_decode(p->extra_b64, p->extra_b64_len, out, cap, out_len);
}

int tlog_proof_format(const uint8_t *extra, size_t extra_len, uint64_t index,
                      const uint8_t hashes[][32], size_t nhashes,
                      const char *signed_checkpoint, size_t ckpt_len, char *out,
                      size_t cap, size_t *out_len)
{
    char digits[U64_DIGITS_MAX + 1];
    int r;
    if (signed_checkpoint == NULL || out == NULL || out_len == NULL ||
        (extra == NULL && extra_len > 0) || (hashes == NULL && nhashes > 0))
        return CF_EINVAL;
    if (extra_len > TLOGPROOF_EXTRA_BYTES_MAX || nhashes > TLOGPROOF_HASHES_MAX)
        return CF_EINVAL;
    if ((r = checkpoint_check(signed_checkpoint, ckpt_len)) != CF_OK) return r;
    int k = snprintf(digits, sizeof digits, "%" PRIu64, index);
    CF_ASSERT(k > 0 && k <= U64_DIGITS_MAX);
    size_t extra_b64 = extra_len > 0 ? cf_b64_encoded_len(extra_len) : 0;
    size_t total = HEADER_BYTES + 1 +
                   (extra_len > 0 ? EXTRA_BYTES + extra_b64 + 1 : 0) +
                   INDEX_BYTES + (size_t)k + 1 + nhashes * (HASH_B64_BYTES + 1) +
                   1 + ckpt_len;
    CF_ASSERT(total <= TLOGPROOF_BYTES_MAX);
    if (cap < total + 1) return CF_ETOOBIG;
    char *p = out;
    memcpy(p, HEADER, HEADER_BYTES);
    p += HEADER_BYTES;
    *p++ = '\n';
    if (extra_len > 0) {
        memcpy(p, EXTRA, EXTRA_BYTES);
        p += EXTRA_BYTES;
        r = cf_b64_encode(extra, extra_len, p, cap - (size_t)(p - out));
        CF_ASSERT(r == CF_OK);
        p += extra_b64;
        *p++ = '\n';
    }
    memcpy(p, INDEX, INDEX_BYTES);
    p += INDEX_BYTES;
    memcpy(p, digits, (size_t)k);
    p += k;
    *p++ = '\n';
    for (size_t i = 0; i < nhashes; i++) {
        r = cf_b64_encode(hashes[i], 32, p, cap - (size_t)(p - out));
        CF_ASSERT(r == CF_OK);
        p += HASH_B64_BYTES;
        *p++ = '\n';
    }
    *p++ = '\n';
    memcpy(p, signed_checkpoint, ckpt_len);
    p += ckpt_len;
    *p = '\0';
    CF_ASSERT((size_t)(p - out) == total);
    *out_len = total;
    return CF_OK;
}
