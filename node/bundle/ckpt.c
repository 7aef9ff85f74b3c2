/* ckpt.c — see ckpt.h. */
#include "ckpt.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "crypto/cf_error.h"
#include "crypto/cf_util.h"
#include "crypto/handshake.h"
#include "crypto/merkle.h"
#include "ledger/entry.h"

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
    char net_hex[17], author_hex[CF_HEX32_BYTES];
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
    char hex[CF_HEX32_BYTES];
    cf_hex_encode(author, 32, hex, sizeof hex);
    if (memcmp(hex, origin + 24, 64) != 0)
        return diag_set(d, CF_EVERIFY, NULL, "checkpoint origin is not lowercase hex");
    cf_hex_encode(net8, 8, hex, sizeof hex);
    if (memcmp(hex, origin + 7, 16) != 0)
        return diag_set(d, CF_EVERIFY, NULL, "checkpoint origin is not lowercase hex");
    return verify_parsed(note_text, len, origin, author, cp, d);
}

/* ---- cosignatures ---------------------------------------------------------- */

bool ckpt_origin_key(const uint8_t net[32], const char *name, size_t name_len, uint8_t key[32])
{
    char want[CKPT_ORIGIN_BYTES];
    uint8_t k[32];
    if (name_len != CKPT_ORIGIN_BYTES - 1 || cf_hex_decode(name + 24, 64, k, 32) != CF_OK)
        return false;
    /* Re-derive the whole name: the network prefix, and lowercase hex only. */
    ckpt_origin(net, k, want);
    if (memcmp(want, name, name_len) != 0) return false;
    memcpy(key, k, 32);
    return true;
}

size_t ckpt_sig_lines(const char *note_text, size_t len)
{
    const char *end = note_text + len;
    size_t lines = 0;
    for (const char *p = note_text; p < end;) {
        const char *nl = memchr(p, '\n', (size_t)(end - p));
        if (nl == NULL) break;
        if (nl - p > 4 && memcmp(p, "\xe2\x80\x94 ", 4) == 0) lines++; /* U+2014, space */
        p = nl + 1;
    }
    return lines;
}

int ckpt_author_sig(const note *n, const char *origin, const uint8_t author[32])
{
    size_t len = strlen(origin);
    uint32_t id = note_key_id(origin, len, NOTE_SIGTYPE_ED25519, author);
    for (size_t i = 0; i < n->nsigs; i++) {
        const note_sig *s = &n->sigs[i];
        if (s->key_id == id && s->name_len == len && memcmp(s->name, origin, len) == 0)
            return (int)i;
    }
    return -1;
}

int ckpt_cosign(const note *n, const uint8_t net[32], const uint8_t sk[64], uint64_t time_s,
                char *line, size_t cap, size_t *line_len)
{
    char origin[CKPT_ORIGIN_BYTES];
    ckpt_origin(net, sk + 32, origin);
    return note_cosign(n->text, n->text_len, origin, sk, time_s, line, cap, line_len);
}

/* Earlier first: time, then the line's bytes. */
static int line_cmp(const ckpt_cosig *a, const ckpt_cosig *b)
{
    if (a->time_s != b->time_s) return a->time_s < b->time_s ? -1 : 1;
    size_t n = a->line_len < b->line_len ? a->line_len : b->line_len;
    int c = memcmp(a->line, b->line, n);
    if (c) return c;
    return a->line_len < b->line_len ? -1 : a->line_len > b->line_len;
}

/* By key, then earliest first. */
static int by_key_then_line(const void *x, const void *y)
{
    const ckpt_cosig *a = x, *b = y;
    int c = memcmp(a->key, b->key, 32);
    return c ? c : line_cmp(a, b);
}

/* Earliest first: time, then key. */
static int by_time_then_key(const void *x, const void *y)
{
    const ckpt_cosig *a = x, *b = y;
    if (a->time_s != b->time_s) return a->time_s < b->time_s ? -1 : 1;
    return memcmp(a->key, b->key, 32);
}

static int by_key(const void *x, const void *y)
{
    return memcmp(((const ckpt_cosig *)x)->key, ((const ckpt_cosig *)y)->key, 32);
}

static bool put(char *out, size_t cap, size_t *at, const char *p, size_t n)
{
    if (n > cap || *at > cap - n) return false;
    memcpy(out + *at, p, n);
    *at += n;
    return true;
}

int ckpt_assemble(const char *text, size_t text_len, const char *author_line,
                  size_t author_line_len, ckpt_cosig *cs, size_t n, char *out, size_t cap,
                  size_t *out_len, size_t *kept)
{
    size_t k = 0, at = 0;
    if (text == NULL || author_line == NULL || out == NULL || out_len == NULL ||
        kept == NULL || (n > 0 && cs == NULL) || cap == 0)
        return CF_EINVAL;
    if (n > 0) {
        /* One line per key: the earliest. */
        qsort(cs, n, sizeof *cs, by_key_then_line);
        for (size_t i = 0; i < n; i++)
            if (k == 0 || memcmp(cs[k - 1].key, cs[i].key, 32) != 0) cs[k++] = cs[i];
        /* The earliest witnesses, up to the limit, then in key order. */
        if (k > CKPT_COSIGS_MAX) {
            qsort(cs, k, sizeof *cs, by_time_then_key);
            k = CKPT_COSIGS_MAX;
        }
        qsort(cs, k, sizeof *cs, by_key);
    }
    if (!put(out, cap, &at, text, text_len) || !put(out, cap, &at, "\n", 1) ||
        !put(out, cap, &at, author_line, author_line_len))
        return CF_ETOOBIG;
    for (size_t i = 0; i < k; i++)
        if (!put(out, cap, &at, cs[i].line, cs[i].line_len)) return CF_ETOOBIG;
    if (at == cap) return CF_ETOOBIG;
    out[at] = '\0';
    *out_len = at;
    *kept = k;
    return CF_OK;
}
