/* ckpt.c — see ckpt.h. */
#include "ckpt.h"

#include <stdio.h>
#include <string.h>

#include "cf_error.h"
#include "cf_util.h"
#include "entry.h"
#include "handshake.h"
#include "merkle.h"

/* A span served as one batch: its entries (less than CKPT_SPAN_BYTES_MAX
 * plus one entry, each with up to 8 bytes of framing), the checkpoint that
 * covers it, the sender's root at the batch's start and a consistency proof
 * still leave a quarter of a frame to spare. */
_Static_assert(CKPT_SPAN_BYTES_MAX + ENTRY_BYTES_MAX + 8u * CKPT_SPAN_ENTRIES_MAX +
                       CKPT_SIGNED_BYTES_MAX + (1 + MERKLE_PROOF_MAX) * MERKLE_HASH_BYTES <=
                   HS_FRAME_PLAIN_MAX - HS_FRAME_PLAIN_MAX / 4,
               "a checkpoint span fits one network frame with room to spare");
_Static_assert(ENTRY_BYTES_MAX < CKPT_SPAN_BYTES_MAX, "a span holds several entries");

bool ckpt_span_full(uint64_t entries, uint64_t bytes)
{
    return entries >= CKPT_SPAN_ENTRIES_MAX || bytes >= CKPT_SPAN_BYTES_MAX;
}

void ckpt_origin(const uint8_t net[32], const uint8_t author[32],
                 char out[CKPT_ORIGIN_BYTES])
{
    char net_hex[17], author_hex[65];
    cf_hex_encode(net, 8, net_hex, sizeof net_hex);
    cf_hex_encode(author, 32, author_hex, sizeof author_hex);
    snprintf(out, CKPT_ORIGIN_BYTES, "cofund/%s/%s", net_hex, author_hex);
}

int ckpt_sign(const uint8_t net[32], const uint8_t author[32], const uint8_t sk[64],
              uint64_t size, const uint8_t root[32], char *out, size_t cap,
              size_t *out_len)
{
    char origin[CKPT_ORIGIN_BYTES], text[CKPT_ORIGIN_BYTES + 96];
    size_t text_len;
    ckpt_origin(net, author, origin);
    int err = checkpoint_format(origin, size, root, text, sizeof text, &text_len);
    if (err) return err;
    return note_sign(text, text_len, origin, sk, out, cap, out_len);
}

static int verify_parsed(const char *note_text, size_t len, const char *origin,
                         const uint8_t author[32], checkpoint *cp, diag *d)
{
    note n;
    int err = note_parse(note_text, len, &n);
    if (err) return diag_set(d, CF_EVERIFY, NULL, "checkpoint: %s", cf_strerror(err));
    if ((err = checkpoint_parse(n.text, n.text_len, cp)) != 0)
        return diag_set(d, CF_EVERIFY, NULL, "checkpoint: %s", cf_strerror(err));
    if (cp->origin_len != strlen(origin) || memcmp(cp->origin, origin, cp->origin_len) != 0)
        return diag_set(d, CF_EVERIFY, NULL, "checkpoint origin \"%.*s\" is not \"%s\"",
                        (int)(cp->origin_len > 120 ? 120 : cp->origin_len), cp->origin, origin);
    if (cp->ext_lines != 0)
        return diag_set(d, CF_EVERIFY, NULL, "checkpoint has extension lines");
    err = note_verify(&n, origin, strlen(origin), author);
    if (err == CF_ENOTE_NO_SIG)
        return diag_set(d, CF_EVERIFY, NULL, "checkpoint %s is not signed by its author", origin);
    if (err)
        return diag_set(d, CF_EVERIFY, NULL, "checkpoint %s: %s", origin, cf_strerror(err));
    return CF_OK;
}

int ckpt_verify(const char *note_text, size_t len, const uint8_t net[32],
                const uint8_t author[32], checkpoint *cp, diag *d)
{
    char origin[CKPT_ORIGIN_BYTES];
    ckpt_origin(net, author, origin);
    return verify_parsed(note_text, len, origin, author, cp, d);
}

int ckpt_verify_self(const char *note_text, size_t len, uint8_t net8[8],
                     uint8_t author[32], checkpoint *cp, diag *d)
{
    note n;
    checkpoint first;
    int err = note_parse(note_text, len, &n);
    if (err) return diag_set(d, CF_EVERIFY, NULL, "checkpoint: %s", cf_strerror(err));
    if ((err = checkpoint_parse(n.text, n.text_len, &first)) != 0)
        return diag_set(d, CF_EVERIFY, NULL, "checkpoint: %s", cf_strerror(err));
    /* cofund/<16 hex>/<64 hex> */
    if (first.origin_len != CKPT_ORIGIN_BYTES - 1 || memcmp(first.origin, "cofund/", 7) != 0 ||
        first.origin[23] != '/' || cf_hex_decode(first.origin + 7, 16, net8, 8) != CF_OK ||
        cf_hex_decode(first.origin + 24, 64, author, 32) != CF_OK)
        return diag_set(d, CF_EVERIFY, NULL, "checkpoint origin is not a cofund feed");
    char origin[CKPT_ORIGIN_BYTES];
    memcpy(origin, first.origin, first.origin_len);
    origin[first.origin_len] = '\0';
    /* Re-derive: the hex must be canonical lowercase, as ckpt_origin writes. */
    char hex[65];
    cf_hex_encode(author, 32, hex, sizeof hex);
    if (memcmp(hex, origin + 24, 64) != 0)
        return diag_set(d, CF_EVERIFY, NULL, "checkpoint origin is not lowercase hex");
    cf_hex_encode(net8, 8, hex, sizeof hex);
    if (memcmp(hex, origin + 7, 16) != 0)
        return diag_set(d, CF_EVERIFY, NULL, "checkpoint origin is not lowercase hex");
    return verify_parsed(note_text, len, origin, author, cp, d);
}
