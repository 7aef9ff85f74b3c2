/* note.c — C2SP signed notes, checkpoints, cosignature/v1 and verifier keys;
 * the contract is in note.h.
 *
 * Layout: the text cursor and character checks, strict values (decimal,
 * hash), signed-note parsing, signing and verification, cosignatures,
 * verifier keys, checkpoints. Untrusted text is only ever read through
 * `struct rd`, whose getters check the remaining length before they look at
 * a byte and advance only on success.
 */
#include "note.h"

#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "ascii_words.h"
#include "cf_error.h"
#include "cf_util.h"
#include "text_cursor.h"

/* "— ": em dash U+2014 (E2 80 94) and a space open every signature line. */
static const char SIG_PREFIX[] = "\xe2\x80\x94 ";
#define SIG_PREFIX_BYTES 4
#define KEY_ID_BYTES 4
#define ED25519_SIG_BYTES CF_ED25519_SIG_BYTES
/* cosignature/v1: u64 timestamp then the Ed25519 signature. */
#define COSIG_TIME_BYTES 8
#define COSIG_SIG_BYTES (COSIG_TIME_BYTES + ED25519_SIG_BYTES)
/* tlog-cosignature: a timestamp "MUST NOT exceed 2^63 - 1". */
#define COSIG_TIME_MAX ((uint64_t)INT64_MAX)
static const char COSIG_HEADER[] = "cosignature/v1\ntime ";
#define COSIG_HEADER_BYTES (sizeof COSIG_HEADER - 1)
/* Header, at most 20 decimal digits, '\n'. */
#define COSIG_PREAMBLE_BYTES_MAX (COSIG_HEADER_BYTES + 20 + 1)
/* Base64 of the largest key ID + payload. */
#define SIG_B64_BYTES_MAX ((KEY_ID_BYTES + NOTE_SIG_BYTES_MAX + 2) / 3 * 4)
/* A 32-byte hash or key in padded base64. */
#define B32_B64_BYTES 44
/* Verifier key payload: type byte then the 32-byte key, in base64. */
#define VKEY_KEY_BYTES 33
#define VKEY_B64_BYTES 44
#define KEY_ID_HEX_BYTES 8
#define U64_DIGITS_MAX 20

_Static_assert(SIG_B64_BYTES_MAX == 104, "NOTE_SIG_LINE_BYTES_MAX uses 104");
_Static_assert(COSIG_SIG_BYTES == NOTE_SIG_BYTES_MAX, "cosig is the largest");
_Static_assert(NOTE_SIG_LINE_BYTES_MAX ==
                   SIG_PREFIX_BYTES + NOTE_NAME_BYTES_MAX + 1 +
                       SIG_B64_BYTES_MAX + 1 + 1,
               "signature line bound");
_Static_assert(NOTE_VKEY_BYTES_MAX == NOTE_NAME_BYTES_MAX + 1 +
                                          KEY_ID_HEX_BYTES + 1 +
                                          VKEY_B64_BYTES + 1,
               "verifier key bound");
_Static_assert(CKPT_ORIGIN_BYTES_MAX <= NOTE_BYTES_MAX, "origin fits a note");


/* Everything before the first c into *before, consuming c as well; false
 * (nothing consumed) when c does not occur. */
static bool rd_until(struct rd *rd, char c, struct rd *before)
{
    const char *at = rd->len > 0 ? memchr(rd->p, c, rd->len) : NULL;
    if (at == NULL) return false;
    size_t n = (size_t)(at - rd->p);
    before->p = rd->p;
    before->len = n;
    rd->p += n + 1;
    rd->len -= n + 1;
    return true;
}

/* ---- Characters ----------------------------------------------------------- */

/* Decode one scalar value from the start of rd (RFC 3629: no overlongs, no
 * surrogates, nothing above U+10FFFF) and consume it; false when invalid. */
static bool rd_utf8(struct rd *rd, uint32_t *cp)
{
    if (rd->len == 0) return false;
    const unsigned char *s = (const unsigned char *)rd->p;
    uint32_t c = s[0];
    size_t n;
    unsigned char lo = 0x80, hi = 0xbf; /* range of the second byte */
    if (c < 0x80) {
        n = 1;
    } else if (c >= 0xc2 && c <= 0xdf) {
        n = 2, c &= 0x1f;
    } else if (c >= 0xe0 && c <= 0xef) {
        n = 3, c &= 0x0f;
        if (s[0] == 0xe0) lo = 0xa0;
        if (s[0] == 0xed) hi = 0x9f;
    } else if (c >= 0xf0 && c <= 0xf4) {
        n = 4, c &= 0x07;
        if (s[0] == 0xf0) lo = 0x90;
        if (s[0] == 0xf4) hi = 0x8f;
    } else {
        return false;
    }
    if (rd->len < n) return false;
    for (size_t i = 1; i < n; i++) {
        unsigned char b = s[i];
        if (i == 1 ? (b < lo || b > hi) : (b & 0xc0) != 0x80) return false;
        c = c << 6 | (b & 0x3f);
    }
    *cp = c;
    rd->p += n;
    rd->len -= n;
    return true;
}

/* Unicode White_Space (what Go's unicode.IsSpace, used by the reference
 * implementation, reports). */
static bool is_space(uint32_t c)
{
    return (c >= 0x09 && c <= 0x0d) || c == 0x20 || c == 0x85 || c == 0xa0 ||
           c == 0x1680 || (c >= 0x2000 && c <= 0x200a) || c == 0x2028 ||
           c == 0x2029 || c == 0x202f || c == 0x205f || c == 0x3000;
}

/* Past the words of rd that pass ok, eight bytes at a time, when its text
 * (len bytes in all) is long enough for that to pay. */
static void skip_words(struct rd *rd, size_t len, bool (*ok)(uint64_t))
{
    if (len < ASCII_WORDS_MIN) return;
    while (rd->len >= 8 && ok(ascii_word(rd->p))) {
        rd->p += 8;
        rd->len -= 8;
    }
}

/* Valid UTF-8 without control characters other than '\n' (signed-note:
 * "MUST NOT contain any ASCII control characters other than newline"). */
static bool text_chars_ok(const char *s, size_t len)
{
    struct rd rd = {s, len};
    uint32_t c;
    while (rd.len > 0) {
        skip_words(&rd, len, ascii_w_note_text);
        if (rd.len == 0) break;
        if (!rd_utf8(&rd, &c) || (c < 0x20 && c != '\n')) return false;
    }
    return true;
}

/* Note text a signer accepts: non-empty, ends in '\n', valid characters. */
static bool text_valid(const char *text, size_t len)
{
    return text != NULL && len > 0 && len <= NOTE_BYTES_MAX &&
           text[len - 1] == '\n' && text_chars_ok(text, len);
}

bool note_name_valid(const char *name, size_t name_len)
{
    if (name == NULL || name_len == 0 || name_len > NOTE_NAME_BYTES_MAX)
        return false;
    struct rd rd = {name, name_len};
    uint32_t c;
    while (rd.len > 0) {
        skip_words(&rd, name_len, ascii_w_note_name);
        if (rd.len == 0) break;
        if (!rd_utf8(&rd, &c) || c < 0x20 || c == '+' || is_space(c))
            return false;
    }
    return true;
}

/* ---- Strict values ------------------------------------------------------ */

int note_decimal_parse(const char *s, size_t len, uint64_t *out)
{
    if (s == NULL || out == NULL) return CF_EINVAL;
    if (len == 0 || len > U64_DIGITS_MAX || (s[0] == '0' && len > 1))
        return CF_EFORMAT;
    uint64_t v = 0;
    for (size_t i = 0; i < len; i++) {
        if (s[i] < '0' || s[i] > '9') return CF_EFORMAT;
        unsigned d = (unsigned)(s[i] - '0');
        if (v > (UINT64_MAX - d) / 10) return CF_EFORMAT;
        v = v * 10 + d;
    }
    *out = v;
    return CF_OK;
}

int note_hash_parse(const char *s, size_t len, uint8_t out[32])
{
    uint8_t h[32];
    size_t n;
    if (s == NULL || out == NULL) return CF_EINVAL;
    if (len != B32_B64_BYTES || cf_b64_decode_public(s, len, h, sizeof h, &n) != 0 ||
        n != sizeof h)
        return CF_EFORMAT;
    memcpy(out, h, sizeof h);
    return CF_OK;
}

/* ---- Signed notes ------------------------------------------------------- */

/* "— <name> <base64(key ID || sig)>" without its '\n'. */
static int sig_line_parse(struct rd line, note_sig *out)
{
    struct rd name;
    uint8_t raw[KEY_ID_BYTES + NOTE_SIG_BYTES_MAX];
    size_t n;
    if (!rd_lit(&line, SIG_PREFIX, SIG_PREFIX_BYTES) ||
        !rd_until(&line, ' ', &name) || !note_name_valid(name.p, name.len))
        return CF_ENOTE_FORMAT;
    /* What remains is the base64; a space in it fails the decode. */
    if (line.len == 0 || line.len > SIG_B64_BYTES_MAX ||
        cf_b64_decode_public(line.p, line.len, raw, sizeof raw, &n) != 0 ||
        n <= KEY_ID_BYTES)
        return CF_ENOTE_FORMAT;
    out->name = name.p;
    out->name_len = name.len;
    out->key_id = cf_get_be32(raw);
    out->sig_len = n - KEY_ID_BYTES;
    memcpy(out->sig, raw + KEY_ID_BYTES, out->sig_len);
    return CF_OK;
}

int note_parse(const char *msg, size_t len, note *out)
{
    if (msg == NULL || out == NULL) return CF_EINVAL;
    if (len > NOTE_BYTES_MAX) return CF_ETOOBIG;
    if (!text_chars_ok(msg, len)) return CF_ENOTE_FORMAT;

    /* Every line ends in '\n'; the last empty line that follows another
     * line separates the text from the signatures. */
    struct rd rd = {msg, len}, line;
    size_t sep = 0;
    while (rd.len > 0) {
        size_t off = len - rd.len;
        if (!rd_line(&rd, &line)) return CF_ENOTE_FORMAT;
        if (line.len == 0 && off > 0) sep = off;
    }
    if (sep == 0) return CF_ENOTE_FORMAT;

    note n;
    n.text = msg;
    n.text_len = sep;
    n.nsigs = 0;
    rd.p = msg + sep + 1;
    rd.len = len - sep - 1;
    if (rd.len == 0) return CF_ENOTE_FORMAT;
    while (rd.len > 0) {
        if (n.nsigs == NOTE_SIGS_MAX) return CF_ENOTE_TOO_MANY_SIGS;
        note_sig *s = &n.sigs[n.nsigs];
        const char *start = rd.p;
        if (!rd_line(&rd, &line)) return CF_ENOTE_FORMAT;
        int r = sig_line_parse(line, s);
        if (r != CF_OK) return r;
        s->line = start;
        s->line_len = line.len + 1;
        n.nsigs++;
    }
    memcpy(out, &n, sizeof n);
    return CF_OK;
}

uint32_t note_key_id(const char *name, size_t name_len, uint8_t sig_type,
                     const uint8_t pk[32])
{
    cf_sha256_ctx ctx;
    uint8_t h[CF_SHA256_BYTES];
    const uint8_t sep = '\n';
    CF_ASSERT(name != NULL && pk != NULL);
    cf_sha256_init(&ctx);
    cf_sha256_update(&ctx, name, name_len);
    cf_sha256_update(&ctx, &sep, 1);
    cf_sha256_update(&ctx, &sig_type, 1);
    cf_sha256_update(&ctx, pk, 32);
    cf_sha256_final(&ctx, h);
    return cf_get_be32(h);
}

/* Write "— name base64(key_id || payload)\n" NUL-terminated. */
static int sig_line_format(const char *name, size_t name_len, uint32_t key_id,
                           const uint8_t *payload, size_t payload_len,
                           char *out, size_t cap, size_t *out_len)
{
    uint8_t raw[KEY_ID_BYTES + NOTE_SIG_BYTES_MAX];
    CF_ASSERT(payload_len <= NOTE_SIG_BYTES_MAX);
    size_t b64_len = cf_b64_encoded_len(KEY_ID_BYTES + payload_len);
    size_t total = SIG_PREFIX_BYTES + name_len + 1 + b64_len + 1;
    if (cap < total + 1) return CF_ETOOBIG;
    cf_put_be32(raw, key_id);
    memcpy(raw + KEY_ID_BYTES, payload, payload_len);
    char *p = out;
    memcpy(p, SIG_PREFIX, SIG_PREFIX_BYTES);
    p += SIG_PREFIX_BYTES;
    memcpy(p, name, name_len);
    p += name_len;
    *p++ = ' ';
    int r = cf_b64_encode(raw, KEY_ID_BYTES + payload_len, p,
                          cap - (size_t)(p - out));
    CF_ASSERT(r == CF_OK);
    p += b64_len;
    *p++ = '\n';
    *p = '\0';
    *out_len = total;
    return CF_OK;
}

int note_sign(const char *text, size_t text_len, const char *name,
              const uint8_t sk[64], char *out, size_t cap, size_t *out_len)
{
    uint8_t sig[ED25519_SIG_BYTES];
    char line[NOTE_SIG_LINE_BYTES_MAX];
    size_t line_len;
    if (text == NULL || name == NULL || sk == NULL || out == NULL ||
        out_len == NULL)
        return CF_EINVAL;
    size_t name_len = strnlen(name, NOTE_NAME_BYTES_MAX + 1);
    if (!note_name_valid(name, name_len) || !text_valid(text, text_len))
        return CF_EINVAL;
    uint32_t id = note_key_id(name, name_len, NOTE_SIGTYPE_ED25519,
                              sk + CF_ED25519_SEED_BYTES);
    cf_ed25519_sign((const uint8_t *)text, text_len, sk, sig);
    int r = sig_line_format(name, name_len, id, sig, sizeof sig, line,
                            sizeof line, &line_len);
    if (r != CF_OK) return r;
    if (text_len + 1 + line_len > NOTE_BYTES_MAX) return CF_ETOOBIG;
    if (cap < text_len + 1 + line_len + 1) return CF_ETOOBIG;
    memmove(out, text, text_len);
    out[text_len] = '\n';
    memcpy(out + text_len + 1, line, line_len + 1);
    *out_len = text_len + 1 + line_len;
    return CF_OK;
}

/* Shared walk of note_verify and note_verify_cosig: call check() on each
 * line that matches (name, key ID). */
typedef bool (*sig_check_fn)(const note *n, const note_sig *s,
                             const uint8_t pk[32], uint64_t *ts);

static int verify_matching(const note *n, const char *name, size_t name_len,
                           uint8_t sig_type, const uint8_t pk[32],
                           sig_check_fn check, uint64_t *ts_out)
{
    if (n == NULL || name == NULL || pk == NULL) return CF_EINVAL;
    if (!note_name_valid(name, name_len)) return CF_EINVAL;
    if (n->nsigs > NOTE_SIGS_MAX) return CF_EINVAL;
    uint32_t id = note_key_id(name, name_len, sig_type, pk);
    bool found = false;
    uint64_t first_ts = 0;
    for (size_t i = 0; i < n->nsigs; i++) {
        const note_sig *s = &n->sigs[i];
        uint64_t ts = 0;
        if (s->key_id != id || s->name_len != name_len ||
            memcmp(s->name, name, name_len) != 0)
            continue;
        if (!check(n, s, pk, &ts)) return CF_ENOTE_BAD_SIG;
        if (!found) first_ts = ts;
        found = true;
    }
    if (!found) return CF_ENOTE_NO_SIG;
    if (ts_out != NULL) *ts_out = first_ts;
    return CF_OK;
}

static bool check_ed25519(const note *n, const note_sig *s,
                          const uint8_t pk[32], uint64_t *ts)
{
    (void)ts;
    return s->sig_len == ED25519_SIG_BYTES &&
           cf_ed25519_verify((const uint8_t *)n->text, n->text_len, s->sig,
                             pk);
}

int note_verify(const note *n, const char *name, size_t name_len,
                const uint8_t pk[32])
{
    return verify_matching(n, name, name_len, NOTE_SIGTYPE_ED25519, pk,
                           check_ed25519, NULL);
}

/* ---- cosignature/v1 ----------------------------------------------------- */

/* "cosignature/v1\ntime <t>\n" || text into buf; returns its length. */
static size_t cosig_message(uint64_t ts, const char *text, size_t text_len,
                            uint8_t buf[COSIG_PREAMBLE_BYTES_MAX +
                                        NOTE_BYTES_MAX])
{
    char pre[COSIG_PREAMBLE_BYTES_MAX + 1];
    CF_ASSERT(text_len <= NOTE_BYTES_MAX);
    int k = snprintf(pre, sizeof pre, "%s%" PRIu64 "\n", COSIG_HEADER, ts);
    CF_ASSERT(k > 0 && (size_t)k <= COSIG_PREAMBLE_BYTES_MAX);
    memcpy(buf, pre, (size_t)k);
    memcpy(buf + k, text, text_len);
    return (size_t)k + text_len;
}

int note_cosign(const char *text, size_t text_len, const char *name,
                const uint8_t sk[64], uint64_t timestamp, char *line,
                size_t cap, size_t *line_len)
{
    uint8_t msg[COSIG_PREAMBLE_BYTES_MAX + NOTE_BYTES_MAX];
    uint8_t payload[COSIG_SIG_BYTES];
    if (text == NULL || name == NULL || sk == NULL || line == NULL ||
        line_len == NULL)
        return CF_EINVAL;
    size_t name_len = strnlen(name, NOTE_NAME_BYTES_MAX + 1);
    if (!note_name_valid(name, name_len) || !text_valid(text, text_len))
        return CF_EINVAL;
    if (timestamp > COSIG_TIME_MAX) return CF_ERANGE;
    size_t msg_len = cosig_message(timestamp, text, text_len, msg);
    cf_put_be64(payload, timestamp);
    cf_ed25519_sign(msg, msg_len, sk, payload + COSIG_TIME_BYTES);
    uint32_t id = note_key_id(name, name_len, NOTE_SIGTYPE_COSIG_V1,
                              sk + CF_ED25519_SEED_BYTES);
    return sig_line_format(name, name_len, id, payload, sizeof payload, line,
                           cap, line_len);
}

static bool check_cosig(const note *n, const note_sig *s, const uint8_t pk[32],
                        uint64_t *ts)
{
    uint8_t msg[COSIG_PREAMBLE_BYTES_MAX + NOTE_BYTES_MAX];
    if (s->sig_len != COSIG_SIG_BYTES || n->text_len > NOTE_BYTES_MAX)
        return false;
    uint64_t t = cf_get_be64(s->sig);
    if (t > COSIG_TIME_MAX) return false;
    size_t msg_len = cosig_message(t, n->text, n->text_len, msg);
    if (!cf_ed25519_verify(msg, msg_len, s->sig + COSIG_TIME_BYTES, pk))
        return false;
    *ts = t;
    return true;
}

int note_verify_cosig(const note *n, const char *name, size_t name_len,
                      const uint8_t pk[32], uint64_t *timestamp)
{
    if (timestamp == NULL) return CF_EINVAL;
    return verify_matching(n, name, name_len, NOTE_SIGTYPE_COSIG_V1, pk,
                           check_cosig, timestamp);
}

/* ---- Verifier keys ------------------------------------------------------ */

static bool vkey_type_ok(uint8_t t)
{
    return t == NOTE_SIGTYPE_ED25519 || t == NOTE_SIGTYPE_COSIG_V1;
}

int note_vkey_format_typed(const char *name, uint8_t sig_type,
                           const uint8_t pk[32], char *out, size_t cap)
{
    uint8_t raw[VKEY_KEY_BYTES];
    if (name == NULL || pk == NULL || out == NULL) return CF_EINVAL;
    size_t name_len = strnlen(name, NOTE_NAME_BYTES_MAX + 1);
    if (!note_name_valid(name, name_len) || !vkey_type_ok(sig_type))
        return CF_EINVAL;
    size_t total = name_len + 1 + KEY_ID_HEX_BYTES + 1 + VKEY_B64_BYTES;
    if (cap < total + 1) return CF_ETOOBIG;
    raw[0] = sig_type;
    memcpy(raw + 1, pk, 32);
    int k = snprintf(out, cap, "%.*s+%08" PRIx32 "+", (int)name_len, name,
                     note_key_id(name, name_len, sig_type, pk));
    CF_ASSERT(k == (int)(name_len + 1 + KEY_ID_HEX_BYTES + 1));
    int r = cf_b64_encode(raw, sizeof raw, out + k, cap - (size_t)k);
    CF_ASSERT(r == CF_OK);
    return r;
}

int note_vkey_format(const char *name, const uint8_t pk[32], char *out,
                     size_t cap)
{
    return note_vkey_format_typed(name, NOTE_SIGTYPE_ED25519, pk, out, cap);
}

int note_vkey_parse_typed(const char *vkey, size_t len, char *name,
                          size_t name_cap, uint8_t *sig_type, uint8_t pk[32])
{
    struct rd rd = {vkey, len}, nm, hex;
    uint8_t id_be[KEY_ID_BYTES], raw[VKEY_KEY_BYTES];
    size_t n;
    if (vkey == NULL || name == NULL || sig_type == NULL || pk == NULL)
        return CF_EINVAL;
    if (len > NOTE_VKEY_BYTES_MAX - 1 || !rd_until(&rd, '+', &nm) ||
        !note_name_valid(nm.p, nm.len) || !rd_until(&rd, '+', &hex) ||
        hex.len != KEY_ID_HEX_BYTES || rd.len != VKEY_B64_BYTES)
        return CF_EVKEY_FORMAT;
    for (size_t i = 0; i < hex.len; i++) {
        char c = hex.p[i];
        if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f')))
            return CF_EVKEY_FORMAT;
    }
    if (cf_hex_decode(hex.p, hex.len, id_be, sizeof id_be) != CF_OK ||
        cf_b64_decode_public(rd.p, rd.len, raw, sizeof raw, &n) != CF_OK ||
        n != sizeof raw || !vkey_type_ok(raw[0]) ||
        note_key_id(nm.p, nm.len, raw[0], raw + 1) != cf_get_be32(id_be))
        return CF_EVKEY_FORMAT;
    if (name_cap < nm.len + 1) return CF_ETOOBIG;
    memcpy(name, nm.p, nm.len);
    name[nm.len] = '\0';
    *sig_type = raw[0];
    memcpy(pk, raw + 1, 32);
    return CF_OK;
}

int note_vkey_parse(const char *vkey, size_t len, char *name, size_t name_cap,
                    uint8_t pk[32])
{
    char nm[NOTE_NAME_BYTES_MAX + 1];
    uint8_t type, key[32];
    if (name == NULL || pk == NULL) return CF_EINVAL;
    int r = note_vkey_parse_typed(vkey, len, nm, sizeof nm, &type, key);
    if (r != CF_OK) return r;
    if (type != NOTE_SIGTYPE_ED25519) return CF_EVKEY_FORMAT;
    size_t nm_len = strlen(nm);
    if (name_cap < nm_len + 1) return CF_ETOOBIG;
    memcpy(name, nm, nm_len + 1);
    memcpy(pk, key, 32);
    return CF_OK;
}

/* ---- Checkpoints -------------------------------------------------------- */

int checkpoint_parse(const char *text, size_t len, checkpoint *out)
{
    struct rd rd = {text, len}, origin, size, root, ext;
    checkpoint c;
    if (text == NULL || out == NULL) return CF_EINVAL;
    if (len > NOTE_BYTES_MAX || !text_chars_ok(text, len) ||
        !rd_line(&rd, &origin) || origin.len == 0 ||
        origin.len > CKPT_ORIGIN_BYTES_MAX || !rd_line(&rd, &size) ||
        note_decimal_parse(size.p, size.len, &c.size) != CF_OK ||
        !rd_line(&rd, &root) || note_hash_parse(root.p, root.len, c.root) != CF_OK)
        return CF_ECKPT_FORMAT;
    c.ext_lines = 0;
    while (rd.len > 0) {
        if (!rd_line(&rd, &ext) || ext.len == 0) return CF_ECKPT_FORMAT;
        c.ext_lines++;
    }
    c.origin = origin.p;
    c.origin_len = origin.len;
    *out = c;
    return CF_OK;
}

int checkpoint_format(const char *origin, uint64_t size, const uint8_t root[32],
                      char *out, size_t cap, size_t *out_len)
{
    if (origin == NULL || root == NULL || out == NULL || out_len == NULL)
        return CF_EINVAL;
    size_t olen = strnlen(origin, CKPT_ORIGIN_BYTES_MAX + 1);
    if (olen == 0 || olen > CKPT_ORIGIN_BYTES_MAX ||
        memchr(origin, '\n', olen) != NULL || !text_chars_ok(origin, olen))
        return CF_EINVAL;
    char digits[U64_DIGITS_MAX + 1];
    int k = snprintf(digits, sizeof digits, "%" PRIu64, size);
    CF_ASSERT(k > 0 && k <= U64_DIGITS_MAX);
    size_t total = olen + 1 + (size_t)k + 1 + B32_B64_BYTES + 1;
    if (cap < total + 1) return CF_ETOOBIG;
    char *p = out;
    memcpy(p, origin, olen);
    p += olen;
    *p++ = '\n';
    memcpy(p, digits, (size_t)k);
    p += k;
    *p++ = '\n';
    int r = cf_b64_encode(root, 32, p, cap - (size_t)(p - out));
    CF_ASSERT(r == CF_OK);
    p += B32_B64_BYTES;
    *p++ = '\n';
    *p = '\0';
    *out_len = total;
    return CF_OK;
}

int checkpoint_open(const char *msg, size_t len, const char *name,
                    size_t name_len, const uint8_t pk[32], note *n,
                    checkpoint *c)
{
    note nt;
    checkpoint ck;
    int r;
    if (n == NULL || c == NULL) return CF_EINVAL;
    if ((r = note_parse(msg, len, &nt)) != CF_OK ||
        (r = note_verify(&nt, name, name_len, pk)) != CF_OK ||
        (r = checkpoint_parse(nt.text, nt.text_len, &ck)) != CF_OK)
        return r;
    memcpy(n, &nt, sizeof nt);
    *c = ck;
    return CF_OK;
}
