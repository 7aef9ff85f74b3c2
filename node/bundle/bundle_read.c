/* bundle_read.c — the bundle reader (a state machine over the grammar in
 * bundle.h that pulls one record at a time), and the structural checks the
 * writer shares (bundle_internal.h).
 *
 * The reader takes bytes from a FILE* or from memory through two source
 * functions that return CF_OK, CF_EINCOMPLETE ("the input ended early") or
 * CF_EIO; only bundle_next turns CF_EINCOMPLETE into CF_EBUNDLE "truncated",
 * so "incomplete" and "invalid" stay apart until the message is written.
 * A record's type and declared length are checked against the type's limit
 * and the grammar before a single payload byte is read.
 */
#include "bundle.h"

#include <errno.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "bundle_internal.h"
#include "crypto/cbor.h"
#include "crypto/cf_error.h"
#include "crypto/cf_i18n.h"
#include "crypto/cf_util.h"
#include "crypto/note.h"
#include "ledger/entry.h"

/* ======================================================================== */
/* Shared with the writer                                                   */
/* ======================================================================== */

const char *bundle__type_name(uint8_t type)
{
    switch (type) {
    case BUNDLE_HEADER: return "header";
    case BUNDLE_FEED: return "feed";
    case BUNDLE_ENTRY: return "entry";
    case BUNDLE_CHECKPOINT: return "checkpoint";
    case BUNDLE_FORK: return "fork";
    case BUNDLE_END: return "end";
    default: return NULL;
    }
}

int bundle__checkpoint_shape(const char *text, size_t len, bundle__ckpt_shape *out,
                             const char **why)
{
    note n;
    checkpoint cp;
    int err = note_parse(text, len, &n);
    if (err) {
        *why = N_("checkpoint is not a signed note");
        return err;
    }
    if ((err = checkpoint_parse(n.text, n.text_len, &cp)) != 0) {
        *why = N_("note text is not a checkpoint");
        return err;
    }
    out->size = cp.size;
    cf_sha256(cp.origin, cp.origin_len, out->origin_hash);
    return CF_OK;
}

int bundle__expect_key(cbor_rd *rd, const char *want)
{
    const char *s;
    size_t n;
    int err = cbor_rd_text(rd, &s, &n, KEY_BYTES_MAX);
    if (err) return err;
    if (n != strlen(want) || memcmp(s, want, n) != 0) return CF_EFORMAT;
    return CF_OK;
}

/* The slot of author in the set: where it is, or the empty one where it
 * would go. Authors come from the input, so the slot derives from their
 * SHA-256, not from bytes a bundle's maker could choose to collide. */
static size_t author_slot(const bundle__author_set *s, const uint8_t author[32])
{
    uint8_t h[CF_SHA256_BYTES];
    cf_sha256(author, 32, h);
    size_t mask = s->nslots - 1;
    for (size_t i = (size_t)cf_get_be64(h) & mask;; i = (i + 1) & mask) {
        uint32_t k = s->slots[i];
        if (k == 0 || memcmp(s->authors[k - 1], author, 32) == 0) return i;
    }
}

int bundle__author_set_add(bundle__author_set *s, const uint8_t author[32])
{
    if (s->n == s->cap) {
        size_t cap = s->cap ? 2 * s->cap : 16;
        if (cap > UINT32_MAX / 2) return CF_ENOMEM;
        uint8_t(*na)[32] = realloc(s->authors, cap * sizeof *na);
        if (na == NULL) return CF_ENOMEM;
        s->authors = na;
        s->cap = cap;
        uint32_t *ns = calloc(2 * cap, sizeof *ns);
        if (ns == NULL) return CF_ENOMEM;
        free(s->slots);
        s->slots = ns;
        s->nslots = 2 * cap;
        for (size_t k = 0; k < s->n; k++)
            s->slots[author_slot(s, s->authors[k])] = (uint32_t)(k + 1);
    }
    size_t i = author_slot(s, author);
    if (s->slots[i] != 0) return 1;
    memcpy(s->authors[s->n], author, 32);
    s->slots[i] = (uint32_t)++s->n;
    return CF_OK;
}

void bundle__author_set_free(bundle__author_set *s)
{
    free(s->authors);
    free(s->slots);
    memset(s, 0, sizeof *s);
}

/* ======================================================================== */
/* Reader                                                                   */
/* ======================================================================== */

enum rd_state {
    RD_MAGIC,  /* nothing read yet */
    RD_HEADER, /* magic read; the header must come next */
    RD_FEEDS,  /* feeds, their entries and checkpoints */
    RD_FORKS,  /* a fork read: only forks and the end may follow */
    RD_DONE,   /* end record checked, input exhausted */
    RD_FAILED, /* an error was reported; it is repeated */
};

struct bundle_reader {
    FILE *f;            /* not owned; NULL for a memory reader */
    const uint8_t *mem; /* memory reader: the whole input */
    size_t mem_len;
    size_t mem_pos;
    uint8_t *buf;       /* file reader: BUNDLE_PAYLOAD_BYTES_MAX bytes */
    uint64_t offset;    /* bytes consumed */
    enum rd_state state;
    int err;            /* the reported error once RD_FAILED */
    cf_sha256_ctx sha;  /* every byte before the current record */
    uint8_t file_sha256[CF_SHA256_BYTES]; /* every byte, once the end record is read */
    uint64_t feeds;
    uint64_t entries;
    uint64_t entries_left; /* E records the current feed still expects */
    uint64_t next_index;   /* index of the next E record in its feed */
    /* The current feed, for its K records. */
    uint8_t feed_author[32];
    uint8_t feed_origin_hash[CF_SHA256_BYTES];
    uint64_t feed_size;
    uint64_t last_ckpt_size; /* of its latest K record; 0 before the first */
    bundle__author_set authors; /* every feed's so far: one F record each */
    /* The record being read, for messages. */
    uint64_t rec_no; /* 1 = the header */
    uint8_t rec_type;
    uint64_t rec_off;
};

/* Copy the next n bytes into dst. CF_EINCOMPLETE when the input ends first
 * (*got says how many were there), CF_EIO on a read error. */
static int src_read(bundle_reader *r, uint8_t *dst, size_t n, size_t *got)
{
    size_t have;
    if (r->f != NULL) {
        have = fread(dst, 1, n, r->f);
        if (have < n && ferror(r->f)) return CF_EIO;
    } else {
        size_t avail = r->mem_len - r->mem_pos;
        have = n < avail ? n : avail;
        if (have > 0) memcpy(dst, r->mem + r->mem_pos, have);
        r->mem_pos += have;
    }
    r->offset += have;
    *got = have;
    return have == n ? CF_OK : CF_EINCOMPLETE;
}

/* The next n bytes (n <= BUNDLE_PAYLOAD_BYTES_MAX) in place: into the input
 * for memory, into the reader's buffer for files. */
static int src_take(bundle_reader *r, size_t n, const uint8_t **p, size_t *got)
{
    CF_ASSERT(n <= BUNDLE_PAYLOAD_BYTES_MAX);
    if (r->f != NULL) {
        *p = r->buf;
        return src_read(r, r->buf, n, got);
    }
    size_t avail = r->mem_len - r->mem_pos;
    if (avail < n) {
        r->mem_pos = r->mem_len;
        r->offset += avail;
        *got = avail;
        return CF_EINCOMPLETE;
    }
    *p = r->mem + r->mem_pos;
    r->mem_pos += n;
    r->offset += n;
    *got = n;
    return CF_OK;
}

/* Report a defect of the current record and stop the reader. */
__attribute__((format(printf, 4, 5)))
static int rd_fail(bundle_reader *r, diag *d, int code, const char *fmt, ...)
{
    char what[DIAG_TEXT_BYTES], name[16];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(what, sizeof what, fmt, ap);
    va_end(ap);
    const char *tn = bundle__type_name(r->rec_type);
    if (tn == NULL) {
        snprintf(name, sizeof name, "type 0x%02x", r->rec_type);
        tn = name;
    }
    r->state = RD_FAILED;
    r->err = code;
    if (r->rec_no == 0)
        return diag_set(d, code, NULL, "bundle: magic at byte 0: %s", what);
    return diag_set(d, code, NULL, "bundle: record %" PRIu64 " (%s) at byte %" PRIu64 ": %s",
                    r->rec_no, tn, r->rec_off, what);
}

static int rd_io_fail(bundle_reader *r, diag *d)
{
    int e = errno;
    r->state = RD_FAILED;
    r->err = CF_EIO;
    return diag_set(d, CF_EIO, NULL, "bundle: read error at byte %" PRIu64 ": %s",
                    r->offset, e ? strerror(e) : "unknown");
}

static int rd_magic(bundle_reader *r, diag *d)
{
    uint8_t magic[BUNDLE_MAGIC_BYTES];
    size_t got;
    int err = src_read(r, magic, sizeof magic, &got);
    if (err == CF_EIO) return rd_io_fail(r, d);
    if (err == CF_EINCOMPLETE)
        return rd_fail(r, d, CF_EBUNDLE, _("truncated: %zu of %d magic bytes"), got,
                       BUNDLE_MAGIC_BYTES);
    if (memcmp(magic, BUNDLE_MAGIC, BUNDLE_MAGIC_BYTES) != 0)
        return rd_fail(r, d, CF_EBUNDLE, _("not a bundle (wrong magic)"));
    cf_sha256_update(&r->sha, magic, sizeof magic);
    r->state = RD_HEADER;
    return CF_OK;
}

/* The declared length against the type's limit, before anything is read. */
static int rd_check_length(bundle_reader *r, uint32_t len, diag *d)
{
    if (r->rec_type == BUNDLE_ENTRY) {
        if (len == 0) return rd_fail(r, d, CF_EBUNDLE, _("empty entry (length 0)"));
        if (len > ENTRY_BYTES_MAX)
            return rd_fail(r, d, CF_EBUNDLE,
                           _("bad length %" PRIu32 " (entries are at most %d bytes)"),
                           len, ENTRY_BYTES_MAX);
    } else if (r->rec_type == BUNDLE_CHECKPOINT) {
        if (len == 0) return rd_fail(r, d, CF_EBUNDLE, _("empty checkpoint (length 0)"));
        if (len > CHECKPOINT_PAYLOAD_BYTES_MAX)
            return rd_fail(r, d, CF_EBUNDLE,
                           _("bad length %" PRIu32 " (checkpoints are at most %d bytes)"), len,
                           CHECKPOINT_PAYLOAD_BYTES_MAX);
    } else if (len > BUNDLE_PAYLOAD_BYTES_MAX) {
        return rd_fail(r, d, CF_EBUNDLE,
                       _("bad length %" PRIu32 " (payloads are at most %u bytes)"),
                       len, BUNDLE_PAYLOAD_BYTES_MAX);
    }
    return CF_OK;
}

/* The grammar: may a record of this type come now? */
static int rd_check_order(bundle_reader *r, diag *d)
{
    uint8_t t = r->rec_type;
    if (r->state == RD_HEADER && t != BUNDLE_HEADER)
        return rd_fail(r, d, CF_EBUNDLE, _("out of order: the header record must come first"));
    if (r->state != RD_HEADER && t == BUNDLE_HEADER)
        return rd_fail(r, d, CF_EBUNDLE, _("out of order: a second header record"));
    if (r->entries_left > 0 && t != BUNDLE_ENTRY)
        return rd_fail(r, d, CF_EBUNDLE,
                       _("out of order: feed %" PRIu64 " still expects %" PRIu64 " entries"),
                       r->feeds, r->entries_left);
    if (t == BUNDLE_ENTRY && r->entries_left == 0)
        return r->feeds == 0
                   ? rd_fail(r, d, CF_EBUNDLE, _("out of order: entry before any feed record"))
                   : rd_fail(r, d, CF_EBUNDLE,
                             _("out of order: more entries than feed %" PRIu64 " declares"),
                             r->feeds);
    if (t == BUNDLE_FEED && r->state == RD_FORKS)
        return rd_fail(r, d, CF_EBUNDLE, _("out of order: feed record after a fork record"));
    if (t == BUNDLE_CHECKPOINT && r->state == RD_FORKS)
        return rd_fail(r, d, CF_EBUNDLE, _("out of order: checkpoint record after a fork record"));
    if (t == BUNDLE_CHECKPOINT && r->feeds == 0)
        return rd_fail(r, d, CF_EBUNDLE,
                       _("out of order: checkpoint record before any feed record"));
    return CF_OK;
}

static int rd_cbor_fail(bundle_reader *r, diag *d, int err)
{
    if (err == CF_EFORMAT)
        return rd_fail(r, d, CF_EBUNDLE, _("unknown or missing key in the payload"));
    return rd_fail(r, d, CF_EBUNDLE, _("bad payload: %s"), cf_strerror(err));
}

static int rd_header(bundle_reader *r, const uint8_t *p, size_t len,
                     bundle_record *rec, diag *d)
{
    cbor_rd rd;
    size_t pairs;
    uint64_t v;
    int err;
    cbor_rd_init(&rd, p, len);
    if ((err = cbor_rd_map(&rd, &pairs, MAP_PAIRS_MAX)) != CF_OK)
        return rd_cbor_fail(r, d, err);
    if (pairs != 2)
        return rd_fail(r, d, CF_EBUNDLE, _("header map has %zu keys, want 2 (v, net)"), pairs);
    if ((err = bundle__expect_key(&rd, "v")) != CF_OK || (err = cbor_rd_uint(&rd, &v)) != CF_OK ||
        (err = bundle__expect_key(&rd, "net")) != CF_OK ||
        (err = cbor_rd_bytes_exact(&rd, rec->net, sizeof rec->net)) != CF_OK ||
        (err = cbor_rd_end(&rd)) != CF_OK)
        return rd_cbor_fail(r, d, err);
    if (v != BUNDLE_VERSION)
        return rd_fail(r, d, CF_EBUNDLE, _("unsupported version %" PRIu64 " (want %d)"), v,
                       BUNDLE_VERSION);
    r->state = RD_FEEDS;
    return CF_OK;
}

static int rd_feed(bundle_reader *r, const uint8_t *p, size_t len,
                   bundle_record *rec, diag *d)
{
    cbor_rd rd;
    size_t pairs, ck_len;
    const char *ck, *why;
    bundle__ckpt_shape shape;
    uint64_t from;
    int err;
    cbor_rd_init(&rd, p, len);
    if ((err = cbor_rd_map(&rd, &pairs, MAP_PAIRS_MAX)) != CF_OK)
        return rd_cbor_fail(r, d, err);
    if (pairs != 3)
        return rd_fail(r, d, CF_EBUNDLE,
                       _("feed map has %zu keys, want 3 (from, author, checkpoint)"), pairs);
    if ((err = bundle__expect_key(&rd, "from")) != CF_OK ||
        (err = cbor_rd_uint(&rd, &from)) != CF_OK ||
        (err = bundle__expect_key(&rd, "author")) != CF_OK ||
        (err = cbor_rd_bytes_exact(&rd, rec->author, sizeof rec->author)) != CF_OK ||
        (err = bundle__expect_key(&rd, "checkpoint")) != CF_OK ||
        (err = cbor_rd_text(&rd, &ck, &ck_len, NOTE_BYTES_MAX)) != CF_OK ||
        (err = cbor_rd_end(&rd)) != CF_OK)
        return rd_cbor_fail(r, d, err);
    if ((err = bundle__checkpoint_shape(ck, ck_len, &shape, &why)) != CF_OK)
        return rd_fail(r, d, CF_EBUNDLE, "%s: %s", _(why), cf_strerror(err));
    if (from > shape.size)
        return rd_fail(r, d, CF_EBUNDLE,
                       _("from %" PRIu64 " exceeds the checkpoint's tree size %" PRIu64), from,
                       shape.size);
    /* One record per feed (docs/format.md): a second would make what the
     * bundle says about that feed depend on which record a reader believes. */
    if ((err = bundle__author_set_add(&r->authors, rec->author)) != CF_OK) {
        if (err != 1) return rd_fail(r, d, err, "%s", cf_strerror(err));
        char hex[CF_HEX32_BYTES];
        cf_hex_encode(rec->author, 32, hex, sizeof hex);
        return rd_fail(r, d, CF_EBUNDLE, _("feed %s is listed twice (one feed record per author)"),
                       hex);
    }
    rec->from = from;
    rec->size = shape.size;
    rec->checkpoint = ck;
    rec->checkpoint_len = ck_len;
    r->feeds++;
    r->entries_left = shape.size - from;
    r->next_index = from;
    memcpy(r->feed_author, rec->author, sizeof r->feed_author);
    memcpy(r->feed_origin_hash, shape.origin_hash, sizeof r->feed_origin_hash);
    r->feed_size = shape.size;
    r->last_ckpt_size = 0;
    return CF_OK;
}

/* A checkpoint of the current feed below its feed record's, after the
 * previous one (rd_check_order placed it after the feed's entries). */
static int rd_checkpoint(bundle_reader *r, const uint8_t *p, size_t len, bundle_record *rec,
                         diag *d)
{
    bundle__ckpt_shape shape;
    const char *why;
    int err = bundle__checkpoint_shape((const char *)p, len, &shape, &why);
    if (err) return rd_fail(r, d, CF_EBUNDLE, "%s: %s", _(why), cf_strerror(err));
    if (memcmp(shape.origin_hash, r->feed_origin_hash, sizeof shape.origin_hash) != 0)
        return rd_fail(r, d, CF_EBUNDLE,
                       _("checkpoint of another log: its origin is not feed %" PRIu64 "'s"),
                       r->feeds);
    if (shape.size == 0) return rd_fail(r, d, CF_EBUNDLE, _("checkpoint of tree size 0"));
    if (shape.size >= r->feed_size)
        return rd_fail(r, d, CF_EBUNDLE,
                       _("checkpoint size %" PRIu64 " is not below feed %" PRIu64
                         "'s size %" PRIu64),
                       shape.size, r->feeds, r->feed_size);
    if (shape.size <= r->last_ckpt_size)
        return rd_fail(r, d, CF_EBUNDLE,
                       _("checkpoint sizes must increase: %" PRIu64 " after %" PRIu64), shape.size,
                       r->last_ckpt_size);
    memcpy(rec->author, r->feed_author, sizeof rec->author);
    rec->size = shape.size;
    rec->checkpoint = (const char *)p;
    rec->checkpoint_len = len;
    r->last_ckpt_size = shape.size;
    return CF_OK;
}

static int rd_fork(bundle_reader *r, const uint8_t *p, size_t len, diag *d)
{
    size_t off = 0;
    int err = cbor_validate(p, len, &off);
    if (err)
        return rd_fail(r, d, CF_EBUNDLE,
                       _("fork proof is not canonical CBOR at payload byte %zu: %s"),
                       off, cf_strerror(err));
    r->state = RD_FORKS;
    return CF_OK;
}

/* The end record: counts and hash, then the input must be exhausted. */
static int rd_end(bundle_reader *r, const uint8_t *p, size_t len, diag *d)
{
    cbor_rd rd;
    size_t pairs;
    uint64_t feeds, entries;
    uint8_t want[CF_SHA256_BYTES], have[CF_SHA256_BYTES];
    int err;
    cbor_rd_init(&rd, p, len);
    if ((err = cbor_rd_map(&rd, &pairs, MAP_PAIRS_MAX)) != CF_OK)
        return rd_cbor_fail(r, d, err);
    if (pairs != 3)
        return rd_fail(r, d, CF_EBUNDLE,
                       _("end map has %zu keys, want 3 (feeds, sha256, entries)"), pairs);
    if ((err = bundle__expect_key(&rd, "feeds")) != CF_OK ||
        (err = cbor_rd_uint(&rd, &feeds)) != CF_OK ||
        (err = bundle__expect_key(&rd, "sha256")) != CF_OK ||
        (err = cbor_rd_bytes_exact(&rd, want, sizeof want)) != CF_OK ||
        (err = bundle__expect_key(&rd, "entries")) != CF_OK ||
        (err = cbor_rd_uint(&rd, &entries)) != CF_OK || (err = cbor_rd_end(&rd)) != CF_OK)
        return rd_cbor_fail(r, d, err);
    if (feeds != r->feeds)
        return rd_fail(r, d, CF_EBUNDLE,
                       _("count mismatch: end record says %" PRIu64
                         " feeds, the bundle has %" PRIu64),
                       feeds, r->feeds);
    if (entries != r->entries)
        return rd_fail(r, d, CF_EBUNDLE,
                       _("count mismatch: end record says %" PRIu64
                         " entries, the bundle has %" PRIu64),
                       entries, r->entries);
    cf_sha256_final(&r->sha, have);
    if (memcmp(want, have, sizeof want) != 0)
        return rd_fail(r, d, CF_EBUNDLE,
                       _("hash mismatch: the SHA-256 of the bundle's bytes differs from the "
                         "end record's"));
    uint8_t extra;
    size_t got;
    err = src_read(r, &extra, 1, &got);
    if (err == CF_EIO) return rd_io_fail(r, d);
    if (got != 0)
        return rd_fail(r, d, CF_EBUNDLE, _("bytes after the end record (at byte %" PRIu64 ")"),
                       r->offset - 1);
    r->state = RD_DONE;
    return 1;
}

int bundle_next(bundle_reader *r, bundle_record *rec, diag *d)
{
    if (r == NULL || rec == NULL) return diag_set(d, CF_EINVAL, NULL, "bundle: no reader");
    if (r->state == RD_DONE) return 1;
    if (r->state == RD_FAILED)
        return diag_set(d, r->err, NULL, "bundle: reading stopped at byte %" PRIu64
                        " after an earlier error", r->offset);
    int err;
    if (r->state == RD_MAGIC && (err = rd_magic(r, d)) != CF_OK) return err;

    uint8_t head[RECORD_HEAD_BYTES];
    size_t got;
    r->rec_no++;
    r->rec_off = r->offset;
    r->rec_type = 0;
    err = src_read(r, head, sizeof head, &got);
    if (err == CF_EIO) return rd_io_fail(r, d);
    if (err == CF_EINCOMPLETE) {
        if (got == 0)
            return rd_fail(r, d, CF_EBUNDLE, _("truncated: the input ends before the end record"));
        r->rec_type = head[0];
        return rd_fail(r, d, CF_EBUNDLE, _("truncated: %zu of %d record head bytes"), got,
                       RECORD_HEAD_BYTES);
    }
    r->rec_type = head[0];
    uint32_t len = cf_get_be32(head + 1);
    if (bundle__type_name(r->rec_type) == NULL)
        return rd_fail(r, d, CF_EBUNDLE, _("unknown record type"));
    if ((err = rd_check_length(r, len, d)) != CF_OK ||
        (err = rd_check_order(r, d)) != CF_OK)
        return err;

    const uint8_t *p = NULL;
    err = src_take(r, len, &p, &got);
    if (err == CF_EIO) return rd_io_fail(r, d);
    if (err == CF_EINCOMPLETE)
        return rd_fail(r, d, CF_EBUNDLE,
                       _("truncated: %zu of %" PRIu32 " payload bytes"), got, len);

    memset(rec, 0, sizeof *rec);
    rec->type = (enum bundle_record_type)r->rec_type;
    rec->payload = p;
    rec->len = len;
    rec->offset = r->rec_off;
    switch (r->rec_type) {
    case BUNDLE_HEADER: err = rd_header(r, p, len, rec, d); break;
    case BUNDLE_FEED: err = rd_feed(r, p, len, rec, d); break;
    case BUNDLE_ENTRY:
        rec->index = r->next_index++;
        r->entries_left--;
        r->entries++;
        err = CF_OK;
        break;
    case BUNDLE_CHECKPOINT: err = rd_checkpoint(r, p, len, rec, d); break;
    case BUNDLE_FORK: err = rd_fork(r, p, len, d); break;
    default: { /* the end record: the whole file's hash (bundle_reader_sha256) first */
        cf_sha256_ctx whole = r->sha;
        cf_sha256_update(&whole, head, sizeof head);
        cf_sha256_update(&whole, p, len);
        cf_sha256_final(&whole, r->file_sha256);
        return rd_end(r, p, len, d);
    }
    }
    if (err == CF_OK) {
        cf_sha256_update(&r->sha, head, sizeof head);
        cf_sha256_update(&r->sha, p, len);
    }
    return err;
}

static bundle_reader *reader_new(void)
{
    bundle_reader *r = calloc(1, sizeof *r);
    if (r == NULL) return NULL;
    r->state = RD_MAGIC;
    cf_sha256_init(&r->sha);
    return r;
}

int bundle_reader_open_file(FILE *f, bundle_reader **out)
{
    if (f == NULL || out == NULL) return CF_EINVAL;
    bundle_reader *r = reader_new();
    if (r == NULL) return CF_ENOMEM;
    if ((r->buf = malloc(BUNDLE_PAYLOAD_BYTES_MAX)) == NULL) {
        free(r);
        return CF_ENOMEM;
    }
    r->f = f;
    *out = r;
    return CF_OK;
}

int bundle_reader_open_mem(const uint8_t *p, size_t len, bundle_reader **out)
{
    if ((p == NULL && len != 0) || out == NULL) return CF_EINVAL;
    bundle_reader *r = reader_new();
    if (r == NULL) return CF_ENOMEM;
    r->mem = p;
    r->mem_len = len;
    *out = r;
    return CF_OK;
}

void bundle_reader_close(bundle_reader *r)
{
    if (r == NULL) return;
    bundle__author_set_free(&r->authors);
    free(r->buf);
    free(r);
}

int bundle_reader_sha256(const bundle_reader *r, uint8_t out[32])
{
    if (r == NULL || r->state != RD_DONE) return CF_EINVAL;
    memcpy(out, r->file_sha256, 32);
    return CF_OK;
}

uint64_t bundle_reader_offset(const bundle_reader *r)
{
    return r == NULL ? 0 : r->offset;
}

uint8_t bundle_reader_record_type(const bundle_reader *r)
{
    return r == NULL ? 0 : r->rec_type;
}

/* ======================================================================== */
/* Entry records again                                                      */
/* ======================================================================== */

uint64_t bundle_record_bytes(size_t len)
{
    return (uint64_t)RECORD_HEAD_BYTES + len;
}

int bundle_entry_parse(const uint8_t *p, size_t have, const uint8_t **payload, size_t *len,
                       size_t *used)
{
    if (have < RECORD_HEAD_BYTES) return CF_EINCOMPLETE;
    uint32_t n = cf_get_be32(p + 1);
    if (p[0] != BUNDLE_ENTRY || n == 0 || n > ENTRY_BYTES_MAX) return CF_EBUNDLE;
    if (have - RECORD_HEAD_BYTES < n) return CF_EINCOMPLETE;
    *payload = p + RECORD_HEAD_BYTES;
    *len = n;
    *used = RECORD_HEAD_BYTES + n;
    return CF_OK;
}

int bundle_read_entry_at(FILE *f, uint64_t off, uint8_t *buf, size_t cap, size_t *len)
{
    uint8_t head[RECORD_HEAD_BYTES];
    const uint8_t *payload;
    size_t used;
    if (f == NULL || cap < ENTRY_BYTES_MAX) return CF_EINVAL;
    if (pread(fileno(f), head, sizeof head, (off_t)off) != (ssize_t)sizeof head) return CF_EIO;
    /* The head alone: "incomplete" here means the head is one of an entry. */
    int err = bundle_entry_parse(head, sizeof head, &payload, len, &used);
    if (err == CF_EBUNDLE) return err;
    *len = cf_get_be32(head + 1);
    if (pread(fileno(f), buf, *len, (off_t)(off + RECORD_HEAD_BYTES)) != (ssize_t)*len)
        return CF_EIO;
    return CF_OK;
}

/* ======================================================================== */
/* Input that is not a regular file                                         */
/* ======================================================================== */

static int input_err(diag *d, const char *what, const char *path)
{
    int e = errno;
    int code = e == ENOSPC || e == EFBIG
#ifdef EDQUOT
                       || e == EDQUOT
#endif
                   ? CF_ENOSPC
                   : CF_EIO;
    return diag_set(d, code, NULL, "%s %s: %s", what, path, strerror(e));
}

/* Copy all of in to an unlinked temporary file. */
static int spool(FILE *in, const char *path, FILE **out, diag *d)
{
    const char *dir = getenv("TMPDIR");
    char tmp[4096];
    if (dir == NULL || *dir == '\0') dir = "/tmp";
    if (snprintf(tmp, sizeof tmp, "%s/cofund-bundle-XXXXXX", dir) >= (int)sizeof tmp)
        return diag_set(d, CF_EIO, NULL, "TMPDIR is too long");
    int fd = mkstemp(tmp);
    if (fd < 0) return input_err(d, _("cannot create a temporary copy of"), path);
    (void)unlink(tmp); /* gone once closed, whatever happens */
    FILE *f = fdopen(fd, "w+b");
    if (f == NULL) {
        close(fd);
        return input_err(d, _("cannot create a temporary copy of"), path);
    }
    uint8_t *buf = malloc(BUNDLE_PAYLOAD_BYTES_MAX);
    if (buf == NULL) {
        fclose(f);
        return diag_set(d, CF_ENOMEM, NULL, "out of memory");
    }
    size_t n;
    bool ok = true;
    while (ok && (n = fread(buf, 1, BUNDLE_PAYLOAD_BYTES_MAX, in)) > 0) ok = fwrite(buf, 1, n, f) == n;
    free(buf);
    if (!ok || ferror(in) || fflush(f) != 0 || fseek(f, 0, SEEK_SET) != 0) {
        int rc = input_err(d, ok && ferror(in) ? _("cannot read") : _("cannot copy"), path);
        fclose(f);
        return rc;
    }
    *out = f;
    return CF_OK;
}

int bundle_input_open(const char *path, FILE **out, uint64_t *bytes, diag *d)
{
    struct stat st;
    diag_clear(d);
    if (path == NULL || out == NULL || bytes == NULL)
        return diag_set(d, CF_EINVAL, NULL, "bundle: no path");
    *out = NULL;
    FILE *f = fopen(path, "rb");
    if (f == NULL) /* a path that names no file is bad input, not a failing disk */
        return diag_set(d, errno == ENOENT || errno == ENOTDIR ? CF_ENOTFOUND : CF_EIO, NULL,
                        "cannot open %s: %s", path, strerror(errno));
    if (fstat(fileno(f), &st) != 0) {
        int rc = input_err(d, _("cannot read"), path);
        fclose(f);
        return rc;
    }
    if (!S_ISREG(st.st_mode)) {
        FILE *copy;
        int rc = spool(f, path, &copy, d);
        fclose(f);
        if (rc) return rc;
        f = copy;
        if (fstat(fileno(f), &st) != 0) {
            rc = input_err(d, _("cannot read"), path);
            fclose(f);
            return rc;
        }
    }
    *bytes = st.st_size > 0 ? (uint64_t)st.st_size : 0;
    *out = f;
    return CF_OK;
}
