/* cbor.c — strict deterministic CBOR; the contract is in cbor.h.
 *
 * Layout: item heads (shared by both directions), key order, the
 * non-recursive validator that every strict check funnels through, the
 * encoder, then the pull reader. Every length the input declares is compared
 * against a limit first and against what remains second, written as
 * `len > max || len > avail` so that an untrusted length never takes part in
 * an addition that could wrap.
 */
#include "cbor.h"

#include <string.h>

#include "ascii_words.h"
#include "cf_error.h"

/* ---- Item heads (RFC 8949 §3) ------------------------------------------ */

/* Additional-information values of the initial byte. 0..23 hold the argument
 * itself; 24..27 say it follows in 1, 2, 4 or 8 bytes; 28..30 are reserved
 * and 31 means indefinite length — both rejected. */
#define AI_INLINE_MAX 23
#define AI_FOLLOWS_1 24
#define AI_FOLLOWS_8 27
/* Initial byte plus an 8-byte argument. */
#define HEAD_BYTES_MAX 9

struct head {
    enum cbor_major major;
    uint64_t arg;  /* value, length or count */
    size_t bytes;  /* size of the head itself */
};

/* Smallest argument each of the forms 24..27 may carry: anything less has a
 * shorter form, which is the only canonical one. */
static const uint64_t follows_min[4] = {24, 0x100, 0x10000, 0x100000000};

/* Read the head at p[pos..len). Fails with CF_ECBOR_TRUNCATED,
 * CF_ECBOR_UNSUPPORTED or CF_ECBOR_NONCANONICAL; *h is written on success. */
static int head_read(const uint8_t *p, size_t len, size_t pos, struct head *h)
{
    if (pos >= len) return CF_ECBOR_TRUNCATED;
    unsigned major = p[pos] >> 5;
    unsigned ai = p[pos] & 0x1f;
    /* Majors 6 (tags) and 7 (floats, simple values, break), reserved
     * additional information and indefinite lengths. */
    if (major > CBOR_MAP || ai > AI_FOLLOWS_8) return CF_ECBOR_UNSUPPORTED;
    if (ai <= AI_INLINE_MAX) {
        h->major = (enum cbor_major)major;
        h->arg = ai;
        h->bytes = 1;
        return CF_OK;
    }
    size_t n = (size_t)1 << (ai - AI_FOLLOWS_1);
    if (len - pos - 1 < n) return CF_ECBOR_TRUNCATED;
    uint64_t v = 0;
    for (size_t i = 0; i < n; i++) v = (v << 8) | p[pos + 1 + i];
    if (v < follows_min[ai - AI_FOLLOWS_1]) return CF_ECBOR_NONCANONICAL;
    h->major = (enum cbor_major)major;
    h->arg = v;
    h->bytes = 1 + n;
    return CF_OK;
}

/* Write the shortest head for (major, arg) into out; returns its size. */
static size_t head_encode(uint8_t out[HEAD_BYTES_MAX], enum cbor_major major,
                          uint64_t arg)
{
    uint8_t ib = (uint8_t)((unsigned)major << 5);
    size_t n;
    unsigned ai;
    if (arg <= AI_INLINE_MAX) {
        out[0] = (uint8_t)(ib | arg);
        return 1;
    }
    if (arg < follows_min[1]) {
        n = 1, ai = AI_FOLLOWS_1;
    } else if (arg < follows_min[2]) {
        n = 2, ai = AI_FOLLOWS_1 + 1;
    } else if (arg < follows_min[3]) {
        n = 4, ai = AI_FOLLOWS_1 + 2;
    } else {
        n = 8, ai = AI_FOLLOWS_8;
    }
    out[0] = (uint8_t)(ib | ai);
    for (size_t i = 0; i < n; i++) out[n - i] = (uint8_t)(arg >> (8 * i));
    return 1 + n;
}

/* A count of items needs at least one byte per item (two per map pair), so a
 * count larger than that is truncated input — decided before anything else
 * is read. Written with a division so 2 * count cannot wrap. */
static bool count_exceeds(const struct head *h, size_t avail)
{
    return h->major == CBOR_MAP ? h->arg > avail / 2 : h->arg > avail;
}

/* ---- Map key order (RFC 8949 §4.2.1) ----------------------------------- */

/* Bytewise lexicographic order of encoded keys; a proper prefix sorts first
 * (cannot happen between two complete canonical items, but costs nothing). */
static int key_cmp(const uint8_t *a, size_t a_len, const uint8_t *b, size_t b_len)
{
    /* A key's first byte is its head (major type, and a short key's
     * length): it decides most comparisons without a call to memcmp. */
    if (a_len > 0 && b_len > 0 && a[0] != b[0]) return a[0] < b[0] ? -1 : 1;
    int c = memcmp(a, b, a_len < b_len ? a_len : b_len);
    if (c != 0) return c;
    return (a_len > b_len) - (a_len < b_len);
}

/* The key buf[key_off..end) just completed. True when it sorts strictly after
 * the previous key of its map (*prev_off == SIZE_MAX: none yet); it then
 * becomes the previous key. */
static bool key_advance(const uint8_t *buf, size_t *prev_off, size_t *prev_len,
                        size_t key_off, size_t end)
{
    size_t key_len = end - key_off;
    if (*prev_off != SIZE_MAX &&
        key_cmp(buf + *prev_off, *prev_len, buf + key_off, key_len) >= 0)
        return false;
    *prev_off = key_off;
    *prev_len = key_len;
    return true;
}

/* ---- Open containers ----------------------------------------------------
 * The scanner and the encoder keep the same stack of open containers
 * (struct cbor_enc_frame, declared in cbor.h for cbor_enc's sake) over the
 * bytes buf[0..), and share these three steps. */

/* Before an item starting at off: note where a map key begins. */
static void frame_item_begin(struct cbor_enc_frame *st, unsigned open, size_t off)
{
    if (open > 0 && st[open - 1].is_map && st[open - 1].remaining % 2 == 0)
        st[open - 1].cur_key_off = off;
}

/* Open a container of count > 0 items (pairs for maps; the caller made sure
 * 2 * count cannot wrap and that open < CBOR_DEPTH_MAX). */
static void frame_push(struct cbor_enc_frame *st, unsigned *open, bool is_map,
                       uint64_t count)
{
    CF_ASSERT(*open < CBOR_DEPTH_MAX && count > 0);
    struct cbor_enc_frame *f = &st[(*open)++];
    f->is_map = is_map;
    f->remaining = is_map ? 2 * count : count;
    f->prev_key_off = SIZE_MAX;
    f->prev_key_len = 0;
    f->cur_key_off = 0;
}

/* An item ending at buf[end] completed: if it was a map key, check it sorts
 * after the previous key (unless check_keys is false); count it; close every
 * container it completes in turn. false on a misordered key, with *key_off
 * its start. */
static bool frame_item_end(const uint8_t *buf, struct cbor_enc_frame *st,
                           unsigned *open, size_t end, size_t *key_off, bool check_keys)
{
    while (*open > 0) {
        struct cbor_enc_frame *f = &st[*open - 1];
        if (check_keys && f->is_map && f->remaining % 2 == 0 &&
            !key_advance(buf, &f->prev_key_off, &f->prev_key_len, f->cur_key_off, end)) {
            *key_off = f->cur_key_off;
            return false;
        }
        if (--f->remaining > 0) break;
        (*open)--;
    }
    return true;
}

/* ---- Validation --------------------------------------------------------- */

/* Scan one complete item at p[*pos..len) with an explicit stack of
 * CBOR_DEPTH_MAX frames (no recursion). On success *pos is just past the item
 * and *depth its container nesting (0 for a scalar). On error *pos is the
 * offset of the fault: the head that failed, or the misordered key. */
static int item_scan(const uint8_t *p, size_t len, size_t *pos, unsigned *depth)
{
    struct cbor_enc_frame st[CBOR_DEPTH_MAX];
    unsigned open = 0, deepest = 0;
    size_t off = *pos;
    int rc;

    for (;;) {
        frame_item_begin(st, open, off);
        struct head h;
        if ((rc = head_read(p, len, off, &h)) != CF_OK) goto fail;
        size_t avail = len - off - h.bytes;
        switch (h.major) {
        case CBOR_UINT:
        case CBOR_NEGINT:
            off += h.bytes;
            break;
        case CBOR_BYTES:
        case CBOR_TEXT:
            if (h.arg > avail) {
                rc = CF_ECBOR_TRUNCATED;
                goto fail;
            }
            if (h.major == CBOR_TEXT &&
                !cbor_utf8_valid(p + off + h.bytes, (size_t)h.arg)) {
                rc = CF_ECBOR_UTF8;
                goto fail;
            }
            off += h.bytes + (size_t)h.arg;
            break;
        case CBOR_ARRAY:
        case CBOR_MAP:
            if (open == CBOR_DEPTH_MAX) {
                rc = CF_ECBOR_LIMIT;
                goto fail;
            }
            if (count_exceeds(&h, avail)) {
                rc = CF_ECBOR_TRUNCATED;
                goto fail;
            }
            off += h.bytes;
            if (open + 1 > deepest) deepest = open + 1;
            if (h.arg > 0) {
                frame_push(st, &open, h.major == CBOR_MAP, h.arg);
                continue; /* its items follow */
            }
            break;
        }
        if (!frame_item_end(p, st, &open, off, &off, true)) {
            rc = CF_ECBOR_KEY_ORDER;
            goto fail;
        }
        if (open == 0) break;
    }
    *pos = off;
    *depth = deepest;
    return CF_OK;
fail:
    *pos = off;
    return rc;
}

int cbor_validate(const uint8_t *p, size_t len, size_t *err_off)
{
    if (p == NULL && len > 0) return CF_EINVAL;
    size_t pos = 0;
    unsigned depth;
    int rc = item_scan(p, len, &pos, &depth);
    if (rc == CF_OK && pos != len) rc = CF_ECBOR_TRAILING;
    if (rc != CF_OK && err_off != NULL) *err_off = pos;
    return rc;
}

bool cbor_utf8_valid(const uint8_t *s, size_t n)
{
    CF_ASSERT(s != NULL || n == 0);
    size_t i = 0;
    /* Long texts (a checkpoint's, ~1 KB) are nearly all ASCII: skip it
     * eight bytes at a time. */
    size_t words_end = n >= ASCII_WORDS_MIN ? n - 7 : 0;
    while (i < n) {
        while (i < words_end && ascii_w_ascii(ascii_word(s + i))) i += 8;
        if (i == n) break;
        uint8_t c = s[i];
        size_t more;
        uint8_t lo = 0x80, hi = 0xbf; /* range of the first continuation */
        if (c < 0x80) {
            i++;
            continue;
        } else if (c < 0xc2) {
            return false; /* stray continuation, or overlong C0/C1 */
        } else if (c < 0xe0) {
            more = 1;
        } else if (c < 0xf0) {
            more = 2;
            if (c == 0xe0) lo = 0xa0; /* overlong */
            if (c == 0xed) hi = 0x9f; /* surrogates U+D800..DFFF */
        } else if (c < 0xf5) {
            more = 3;
            if (c == 0xf0) lo = 0x90; /* overlong */
            if (c == 0xf4) hi = 0x8f; /* above U+10FFFF */
        } else {
            return false;
        }
        if (n - i - 1 < more) return false;
        if (s[i + 1] < lo || s[i + 1] > hi) return false;
        for (size_t k = 2; k <= more; k++)
            if ((s[i + k] & 0xc0) != 0x80) return false;
        i += 1 + more;
    }
    return true;
}

/* ---- Encoder ------------------------------------------------------------ */

static void enc_fail(cbor_enc *e, int err)
{
    if (e->err == CF_OK) e->err = err;
}

/* Before each item: stop after an error, refuse a second top-level item and
 * note where a map key begins. */
static bool enc_begin(cbor_enc *e)
{
    CF_ASSERT(e != NULL);
    if (e->err != CF_OK) return false;
    if (e->depth == 0) {
        /* Every item is at least one byte: anything written at depth 0 is a
         * complete top-level item already. */
        if (e->len > 0) {
            enc_fail(e, CF_ECBOR_STATE);
            return false;
        }
        return true;
    }
    if (!e->unchecked) frame_item_begin(e->stack, e->depth, e->len);
    return true;
}

/* After each complete item: check key order, count it, close every container
 * it completes. */
static void enc_end(cbor_enc *e)
{
    size_t key_off;
    if (!frame_item_end(e->buf, e->stack, &e->depth, e->len, &key_off, !e->unchecked))
        enc_fail(e, CF_ECBOR_STATE);
}

/* Append a head and n payload bytes, or fail with CF_ECBOR_BUFFER having
 * added nothing to the output (len unchanged). The head is written in place
 * when there is room for any head, else beside and copied. */
static bool enc_write(cbor_enc *e, enum cbor_major major, uint64_t arg,
                      const void *payload, size_t n)
{
    size_t room = e->cap - e->len;
    uint8_t beside[HEAD_BYTES_MAX];
    uint8_t *h = room >= HEAD_BYTES_MAX ? e->buf + e->len : beside;
    size_t hn = head_encode(h, major, arg);
    if (hn > room || n > room - hn) {
        enc_fail(e, CF_ECBOR_BUFFER);
        return false;
    }
    if (h == beside) memcpy(e->buf + e->len, beside, hn);
    if (n > 0) memcpy(e->buf + e->len + hn, payload, n);
    e->len += hn + n;
    return true;
}

void cbor_enc_init(cbor_enc *e, uint8_t *buf, size_t cap)
{
    CF_ASSERT(e != NULL);
    CF_ASSERT(buf != NULL || cap == 0);
    /* The frames are written as containers open (frame_push), not here:
     * nothing reads a frame above depth. */
    e->buf = buf;
    e->cap = cap;
    e->len = 0;
    e->err = CF_OK;
    e->unchecked = false;
    e->depth = 0;
}

void cbor_enc_init_unchecked(cbor_enc *e, uint8_t *buf, size_t cap)
{
    cbor_enc_init(e, buf, cap);
    e->unchecked = true;
}

void cbor_put_uint(cbor_enc *e, uint64_t v)
{
    if (enc_begin(e) && enc_write(e, CBOR_UINT, v, NULL, 0)) enc_end(e);
}

void cbor_put_int(cbor_enc *e, int64_t v)
{
    if (v >= 0) {
        cbor_put_uint(e, (uint64_t)v);
        return;
    }
    /* -1 - v cannot overflow for any negative int64. */
    if (enc_begin(e) && enc_write(e, CBOR_NEGINT, (uint64_t)(-1 - v), NULL, 0))
        enc_end(e);
}

void cbor_put_bytes(cbor_enc *e, const void *p, size_t n)
{
    CF_ASSERT(p != NULL || n == 0);
    if (enc_begin(e) && enc_write(e, CBOR_BYTES, n, p, n)) enc_end(e);
}

void cbor_put_text(cbor_enc *e, const char *s, size_t n)
{
    CF_ASSERT(s != NULL || n == 0);
    if (!enc_begin(e)) return;
    if (!e->unchecked && !cbor_utf8_valid((const uint8_t *)s, n)) {
        enc_fail(e, CF_ECBOR_UTF8);
        return;
    }
    if (enc_write(e, CBOR_TEXT, n, s, n)) enc_end(e);
}

void cbor_put_cstr(cbor_enc *e, const char *s)
{
    CF_ASSERT(s != NULL);
    cbor_put_text(e, s, strlen(s));
}

static void enc_container(cbor_enc *e, enum cbor_major major, size_t count)
{
    if (!enc_begin(e)) return;
    if (e->depth == CBOR_DEPTH_MAX) {
        enc_fail(e, CF_ECBOR_LIMIT);
        return;
    }
    if (!enc_write(e, major, count, NULL, 0)) return;
    if (count == 0) {
        enc_end(e);
        return;
    }
    /* Each item takes at least a byte: a count that cannot fit is reported
     * now, and 2 * count below cannot wrap. */
    size_t room = e->cap - e->len;
    if (major == CBOR_MAP ? count > room / 2 : count > room) {
        enc_fail(e, CF_ECBOR_BUFFER);
        return;
    }
    frame_push(e->stack, &e->depth, major == CBOR_MAP, count);
}

void cbor_put_array(cbor_enc *e, size_t count)
{
    enc_container(e, CBOR_ARRAY, count);
}

void cbor_put_map(cbor_enc *e, size_t count)
{
    enc_container(e, CBOR_MAP, count);
}

void cbor_put_raw(cbor_enc *e, const uint8_t *item, size_t n)
{
    CF_ASSERT(item != NULL || n == 0);
    if (!enc_begin(e)) return;
    size_t pos = 0;
    unsigned depth = 0;
    int rc = item_scan(item, n, &pos, &depth);
    if (rc == CF_OK && pos != n) rc = CF_ECBOR_TRAILING;
    if (rc == CF_OK && depth > CBOR_DEPTH_MAX - e->depth) rc = CF_ECBOR_LIMIT;
    if (rc == CF_OK && n > e->cap - e->len) rc = CF_ECBOR_BUFFER;
    if (rc != CF_OK) {
        enc_fail(e, rc);
        return;
    }
    memcpy(e->buf + e->len, item, n);
    e->len += n;
    enc_end(e);
}

int cbor_enc_finish(const cbor_enc *e, size_t *len)
{
    CF_ASSERT(e != NULL);
    if (e->err != CF_OK) return e->err;
    if (e->depth != 0 || e->len == 0) return CF_ECBOR_STATE;
    if (len != NULL) *len = e->len;
    return CF_OK;
}

/* ---- Pull reader -------------------------------------------------------- */

void cbor_rd_init(cbor_rd *r, const uint8_t *p, size_t len)
{
    CF_ASSERT(r != NULL);
    CF_ASSERT(p != NULL || len == 0);
    r->p = p;
    r->len = len;
    r->pos = 0;
}

/* Read the next head and require its major type; nothing is consumed. */
static int rd_head(const cbor_rd *r, enum cbor_major want, struct head *h)
{
    CF_ASSERT(r != NULL && r->pos <= r->len);
    int rc = head_read(r->p, r->len, r->pos, h);
    if (rc != CF_OK) return rc;
    return h->major == want ? CF_OK : CF_ECBOR_TYPE;
}

int cbor_rd_peek(const cbor_rd *r, enum cbor_major *major)
{
    CF_ASSERT(r != NULL && r->pos <= r->len && major != NULL);
    if (r->pos == r->len) return CF_ECBOR_TRUNCATED;
    unsigned m = r->p[r->pos] >> 5;
    if (m > CBOR_MAP) return CF_ECBOR_UNSUPPORTED;
    *major = (enum cbor_major)m;
    return CF_OK;
}

int cbor_rd_uint(cbor_rd *r, uint64_t *v)
{
    CF_ASSERT(v != NULL);
    struct head h;
    int rc = rd_head(r, CBOR_UINT, &h);
    if (rc != CF_OK) return rc;
    *v = h.arg;
    r->pos += h.bytes;
    return CF_OK;
}

int cbor_rd_int(cbor_rd *r, int64_t *v)
{
    CF_ASSERT(r != NULL && r->pos <= r->len && v != NULL);
    struct head h;
    int rc = head_read(r->p, r->len, r->pos, &h);
    if (rc != CF_OK) return rc;
    if (h.major != CBOR_UINT && h.major != CBOR_NEGINT) return CF_ECBOR_TYPE;
    /* Major 1 carries n for -1 - n, which fits int64 exactly when n does. */
    if (h.arg > (uint64_t)INT64_MAX) return CF_ERANGE;
    *v = h.major == CBOR_UINT ? (int64_t)h.arg : -1 - (int64_t)h.arg;
    r->pos += h.bytes;
    return CF_OK;
}

/* A byte or text string no longer than max; checked against max, then
 * against the remaining input, before its bytes are looked at. */
static int rd_string(cbor_rd *r, enum cbor_major major, bool check_utf8,
                     const uint8_t **p, size_t *n, size_t max)
{
    struct head h;
    int rc = rd_head(r, major, &h);
    if (rc != CF_OK) return rc;
    if (h.arg > max) return CF_ECBOR_LIMIT;
    if (h.arg > r->len - r->pos - h.bytes) return CF_ECBOR_TRUNCATED;
    const uint8_t *s = r->p + r->pos + h.bytes;
    if (check_utf8 && !cbor_utf8_valid(s, (size_t)h.arg))
        return CF_ECBOR_UTF8;
    *p = s;
    *n = (size_t)h.arg;
    r->pos += h.bytes + (size_t)h.arg;
    return CF_OK;
}

int cbor_rd_bytes(cbor_rd *r, const uint8_t **p, size_t *n, size_t max)
{
    CF_ASSERT(p != NULL && n != NULL);
    return rd_string(r, CBOR_BYTES, false, p, n, max);
}

int cbor_rd_bytes_exact(cbor_rd *r, uint8_t *out, size_t n)
{
    CF_ASSERT(out != NULL || n == 0);
    struct head h;
    int rc = rd_head(r, CBOR_BYTES, &h);
    if (rc != CF_OK) return rc;
    if (h.arg != n) return CF_ERANGE;
    if (h.arg > r->len - r->pos - h.bytes) return CF_ECBOR_TRUNCATED;
    if (n > 0) memcpy(out, r->p + r->pos + h.bytes, n);
    r->pos += h.bytes + n;
    return CF_OK;
}

int cbor_rd_text(cbor_rd *r, const char **s, size_t *n, size_t max)
{
    CF_ASSERT(s != NULL && n != NULL);
    const uint8_t *p;
    int rc = rd_string(r, CBOR_TEXT, true, &p, n, max);
    if (rc == CF_OK) *s = (const char *)p;
    return rc;
}

int cbor_rd_key(cbor_rd *r, const char **s, size_t *n, size_t max)
{
    CF_ASSERT(s != NULL && n != NULL);
    const uint8_t *p;
    int rc = rd_string(r, CBOR_TEXT, false, &p, n, max);
    if (rc == CF_OK) *s = (const char *)p;
    return rc;
}

int cbor_rd_array(cbor_rd *r, size_t *count, size_t max)
{
    CF_ASSERT(count != NULL);
    struct head h;
    int rc = rd_head(r, CBOR_ARRAY, &h);
    if (rc != CF_OK) return rc;
    if (h.arg > max) return CF_ECBOR_LIMIT;
    if (count_exceeds(&h, r->len - r->pos - h.bytes)) return CF_ECBOR_TRUNCATED;
    *count = (size_t)h.arg;
    r->pos += h.bytes;
    return CF_OK;
}

/* A map's head: its count checked against max and the input. */
static int rd_map_head(cbor_rd *r, size_t *count, size_t max, struct head *h)
{
    CF_ASSERT(count != NULL);
    int rc = rd_head(r, CBOR_MAP, h);
    if (rc != CF_OK) return rc;
    if (h->arg > max) return CF_ECBOR_LIMIT;
    if (count_exceeds(h, r->len - r->pos - h->bytes)) return CF_ECBOR_TRUNCATED;
    return CF_OK;
}

int cbor_rd_map(cbor_rd *r, size_t *count, size_t max)
{
    struct head h;
    int rc = rd_map_head(r, count, max, &h);
    if (rc != CF_OK) return rc;
    /* Key order is a property of the whole map, which single getters cannot
     * see: scan it all now so that a caller walking it key by key only ever
     * sees a canonical map. */
    size_t end = r->pos;
    unsigned depth;
    if ((rc = item_scan(r->p, r->len, &end, &depth)) != CF_OK) return rc;
    *count = (size_t)h.arg;
    r->pos += h.bytes;
    return CF_OK;
}

int cbor_rd_map_head(cbor_rd *r, size_t *count, size_t max)
{
    struct head h;
    int rc = rd_map_head(r, count, max, &h);
    if (rc != CF_OK) return rc;
    *count = (size_t)h.arg;
    r->pos += h.bytes;
    return CF_OK;
}

/* Past one item by its heads only, counting the items still owed by the
 * containers opened (bounds and canonical heads still checked). */
static int item_skip_heads(const uint8_t *p, size_t len, size_t *pos)
{
    size_t off = *pos;
    uint64_t owed = 1;
    while (owed > 0) {
        struct head h;
        int rc = head_read(p, len, off, &h);
        if (rc != CF_OK) return rc;
        owed--;
        off += h.bytes;
        if (h.major == CBOR_BYTES || h.major == CBOR_TEXT) {
            if (h.arg > len - off) return CF_ECBOR_TRUNCATED;
            off += (size_t)h.arg;
        } else if (h.major == CBOR_ARRAY || h.major == CBOR_MAP) {
            if (count_exceeds(&h, len - off)) return CF_ECBOR_TRUNCATED;
            owed += h.major == CBOR_MAP ? 2 * h.arg : h.arg;
        }
    }
    *pos = off;
    return CF_OK;
}

int cbor_rd_skip(cbor_rd *r)
{
    CF_ASSERT(r != NULL && r->pos <= r->len);
    size_t end = r->pos;
    unsigned depth;
    int rc = item_scan(r->p, r->len, &end, &depth);
    if (rc != CF_OK) return rc;
    r->pos = end;
    return CF_OK;
}

int cbor_rd_skip_heads(cbor_rd *r)
{
    CF_ASSERT(r != NULL && r->pos <= r->len);
    size_t end = r->pos;
    int rc = item_skip_heads(r->p, r->len, &end);
    if (rc != CF_OK) return rc;
    r->pos = end;
    return CF_OK;
}

int cbor_rd_end(const cbor_rd *r)
{
    CF_ASSERT(r != NULL && r->pos <= r->len);
    return r->pos == r->len ? CF_OK : CF_ECBOR_TRAILING;
}
