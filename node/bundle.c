/* bundle.c — the bundle file; the format and the contract are in bundle.h.
 *
 * Layout: limits and shared helpers, the writer (a state machine over the
 * grammar that streams to "<path>.tmp"), then the reader (a state machine
 * over the same grammar that pulls one record at a time).
 *
 * The reader takes bytes from a FILE* or from memory through two source
 * functions that return CF_OK, CF_EINCOMPLETE ("the input ended early") or
 * CF_EIO; only bundle_next turns CF_EINCOMPLETE into CF_EBUNDLE "truncated",
 * so "incomplete" and "invalid" stay apart until the message is written.
 * A record's type and declared length are checked against the type's limit
 * and the grammar before a single payload byte is read.
 */
#include "bundle.h"

#include <assert.h>
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cbor.h"
#include "cf_error.h"
#include "cf_util.h"
#include "entry.h"
#include "note.h"

/* type (1 byte) || length (u32 BE) */
#define RECORD_HEAD_BYTES 5
#define BUNDLE_VERSION 1
/* The longest map key is "checkpoint"; the largest map has three keys. We
 * accept a few more so that a map with an unknown key is reported as such. */
#define KEY_BYTES_MAX 16
#define MAP_PAIRS_MAX 8
/* A feed payload beyond its checkpoint: map head (1), "from" (5), uint (9),
 * "author" (7), bstr 32 (34), "checkpoint" (11), text head (3) = 70. */
#define FEED_OVERHEAD_BYTES 96
#define FEED_PAYLOAD_BYTES_MAX (NOTE_BYTES_MAX + FEED_OVERHEAD_BYTES)
/* Header (42 bytes) and end (at most 74 bytes) payloads. */
#define SMALL_PAYLOAD_BYTES_MAX 128

_Static_assert(sizeof BUNDLE_MAGIC - 1 == BUNDLE_MAGIC_BYTES, "magic size");
_Static_assert(ENTRY_BYTES_MAX <= BUNDLE_PAYLOAD_BYTES_MAX,
               "an entry fits the reader's buffer");
_Static_assert(FEED_PAYLOAD_BYTES_MAX <= BUNDLE_PAYLOAD_BYTES_MAX,
               "a feed record with the largest checkpoint fits the buffer");
_Static_assert(BUNDLE_PAYLOAD_BYTES_MAX <= UINT32_MAX, "lengths are u32");

static const char *type_name(uint8_t type)
{
    switch (type) {
    case BUNDLE_HEADER: return "header";
    case BUNDLE_FEED: return "feed";
    case BUNDLE_ENTRY: return "entry";
    case BUNDLE_FORK: return "fork";
    case BUNDLE_END: return "end";
    default: return NULL;
    }
}

/* Structure-only check of a signed checkpoint: the note parses and its text
 * is a checkpoint; *size receives the tree size. */
static int checkpoint_size(const char *text, size_t len, uint64_t *size,
                           const char **why)
{
    note n;
    checkpoint cp;
    int err = note_parse(text, len, &n);
    if (err) {
        *why = "checkpoint is not a signed note";
        return err;
    }
    if ((err = checkpoint_parse(n.text, n.text_len, &cp)) != 0) {
        *why = "note text is not a checkpoint";
        return err;
    }
    *size = cp.size;
    return CF_OK;
}

/* The next map key must be exactly want; CF_EFORMAT for another key. */
static int expect_key(cbor_rd *rd, const char *want)
{
    const char *s;
    size_t n;
    int err = cbor_rd_text(rd, &s, &n, KEY_BYTES_MAX);
    if (err) return err;
    if (n != strlen(want) || memcmp(s, want, n) != 0) return CF_EFORMAT;
    return CF_OK;
}

/* ======================================================================== */
/* Writer                                                                   */
/* ======================================================================== */

enum wr_state {
    WR_HEADER, /* nothing but the magic written */
    WR_FEEDS,  /* header written; feeds and their entries */
    WR_FORKS,  /* a fork written: only forks and the end may follow */
    WR_FAILED, /* an I/O error: the temporary file is gone */
};

struct bundle_writer {
    FILE *f;
    char *path;
    char *tmp_path;
    dev_t tmp_dev; /* identity of the temporary file we created */
    ino_t tmp_ino;
    enum wr_state state;
    int err;          /* CF_EIO or CF_ENOSPC once WR_FAILED */
    int sys_errno;    /* what the failing call said */
    const char *failed_op;
    cf_sha256_ctx sha; /* every byte written so far */
    uint64_t feeds;
    uint64_t entries;
    uint64_t entries_left; /* E records the current feed still needs */
    uint8_t buf[FEED_PAYLOAD_BYTES_MAX];
};

static int errno_code(int e)
{
    return e == ENOSPC || e == EDQUOT ? CF_ENOSPC : CF_EIO;
}

/* Close and remove the temporary file (if it is still ours). */
static void writer_discard(bundle_writer *w)
{
    int saved = errno;
    if (w->f != NULL) fclose(w->f);
    w->f = NULL;
    if (w->tmp_path != NULL) unlink(w->tmp_path);
    errno = saved;
}

static void writer_free(bundle_writer *w)
{
    free(w->path);
    free(w->tmp_path);
    free(w);
}

/* An environment failure: record it, drop the temporary file, and make
 * every later call return the same code. */
static int writer_io_fail(bundle_writer *w, const char *op, int e)
{
    w->err = errno_code(e);
    w->sys_errno = e;
    w->failed_op = op;
    w->state = WR_FAILED;
    writer_discard(w);
    return w->err;
}

static int writer_put(bundle_writer *w, const void *p, size_t n)
{
    errno = 0;
    if (n > 0 && fwrite(p, 1, n, w->f) != n)
        return writer_io_fail(w, "write", errno ? errno : EIO);
    cf_sha256_update(&w->sha, p, n);
    return CF_OK;
}

static int writer_record(bundle_writer *w, uint8_t type, const uint8_t *payload,
                         size_t len)
{
    assert(len <= BUNDLE_PAYLOAD_BYTES_MAX);
    uint8_t head[RECORD_HEAD_BYTES];
    head[0] = type;
    cf_put_be32(head + 1, (uint32_t)len);
    int err = writer_put(w, head, sizeof head);
    if (err == CF_OK) err = writer_put(w, payload, len);
    return err;
}

/* The state every write call starts from: a failed writer repeats its error,
 * a NULL writer is CF_EINVAL. */
static int writer_usable(const bundle_writer *w)
{
    if (w == NULL) return CF_EINVAL;
    if (w->state == WR_FAILED) return w->err;
    return CF_OK;
}

int bundle_writer_open(const char *path, bundle_writer **out)
{
    if (path == NULL || path[0] == '\0' || out == NULL) return CF_EINVAL;
    int err = CF_ENOMEM, fd = -1;
    size_t path_len = strlen(path);
    bundle_writer *w = calloc(1, sizeof *w);
    if (w == NULL) goto out;
    w->path = malloc(path_len + 1);
    w->tmp_path = malloc(path_len + sizeof ".tmp");
    if (w->path == NULL || w->tmp_path == NULL) goto out;
    memcpy(w->path, path, path_len + 1);
    memcpy(w->tmp_path, path, path_len);
    memcpy(w->tmp_path + path_len, ".tmp", sizeof ".tmp");

    /* A stale "<path>.tmp" is what a crashed export leaves; nobody else
     * writes that name, so it is removed. Should two exports to one path
     * race anyway, commit sees its file replaced and fails. */
    if (unlink(w->tmp_path) != 0 && errno != ENOENT) {
        err = errno_code(errno);
        goto out;
    }
    fd = open(w->tmp_path, O_CREAT | O_EXCL | O_WRONLY | O_CLOEXEC, 0644);
    if (fd < 0) {
        err = errno == EEXIST ? CF_EEXISTS : errno_code(errno);
        goto out;
    }
    struct stat st;
    if (fstat(fd, &st) != 0 || (w->f = fdopen(fd, "wb")) == NULL) {
        err = errno_code(errno);
        int saved = errno;
        close(fd);
        unlink(w->tmp_path);
        errno = saved;
        goto out;
    }
    w->tmp_dev = st.st_dev;
    w->tmp_ino = st.st_ino;
    w->state = WR_HEADER;
    cf_sha256_init(&w->sha);
    if ((err = writer_put(w, BUNDLE_MAGIC, BUNDLE_MAGIC_BYTES)) != CF_OK) goto out;
    *out = w;
    w = NULL;
    err = CF_OK;
out:
    if (w != NULL) {
        int saved = errno;
        if (w->f != NULL) writer_discard(w);
        writer_free(w);
        errno = saved;
    }
    return err;
}

int bundle_write_header(bundle_writer *w, const uint8_t net[32])
{
    int err = writer_usable(w);
    if (err) return err;
    if (net == NULL || w->state != WR_HEADER) return CF_EINVAL;
    cbor_enc e;
    size_t len;
    cbor_enc_init(&e, w->buf, SMALL_PAYLOAD_BYTES_MAX);
    cbor_put_map(&e, 2);
    cbor_put_cstr(&e, "v");
    cbor_put_uint(&e, BUNDLE_VERSION);
    cbor_put_cstr(&e, "net");
    cbor_put_bytes(&e, net, 32);
    err = cbor_enc_finish(&e, &len);
    assert(err == CF_OK);
    if ((err = writer_record(w, BUNDLE_HEADER, w->buf, len)) != CF_OK) return err;
    w->state = WR_FEEDS;
    return CF_OK;
}

int bundle_write_feed(bundle_writer *w, const uint8_t author[32], uint64_t from,
                      uint64_t size, const char *ckpt, size_t ckpt_len)
{
    int err = writer_usable(w);
    if (err) return err;
    if (author == NULL || ckpt == NULL || ckpt_len == 0 ||
        ckpt_len > NOTE_BYTES_MAX || from > size)
        return CF_EINVAL;
    if (w->state != WR_FEEDS || w->entries_left != 0) return CF_EINVAL;
    /* Never write what the reader would refuse: the checkpoint must parse
     * and state the size the caller promises entries for. */
    uint64_t cp_size;
    const char *why;
    if (checkpoint_size(ckpt, ckpt_len, &cp_size, &why) != CF_OK ||
        cp_size != size)
        return CF_EINVAL;
    cbor_enc e;
    size_t len;
    cbor_enc_init(&e, w->buf, sizeof w->buf);
    cbor_put_map(&e, 3);
    cbor_put_cstr(&e, "from");
    cbor_put_uint(&e, from);
    cbor_put_cstr(&e, "author");
    cbor_put_bytes(&e, author, 32);
    cbor_put_cstr(&e, "checkpoint");
    cbor_put_text(&e, ckpt, ckpt_len);
    if ((err = cbor_enc_finish(&e, &len)) != CF_OK) return CF_EINVAL;
    if ((err = writer_record(w, BUNDLE_FEED, w->buf, len)) != CF_OK) return err;
    w->feeds++;
    w->entries_left = size - from;
    return CF_OK;
}

int bundle_write_entry(bundle_writer *w, const uint8_t *bytes, size_t len)
{
    int err = writer_usable(w);
    if (err) return err;
    if (bytes == NULL || len == 0 || len > ENTRY_BYTES_MAX) return CF_EINVAL;
    if (w->state != WR_FEEDS || w->entries_left == 0) return CF_EINVAL;
    if ((err = writer_record(w, BUNDLE_ENTRY, bytes, len)) != CF_OK) return err;
    w->entries++;
    w->entries_left--;
    return CF_OK;
}

int bundle_write_fork(bundle_writer *w, const uint8_t *proof, size_t len)
{
    int err = writer_usable(w);
    if (err) return err;
    if (proof == NULL || len == 0 || len > BUNDLE_PAYLOAD_BYTES_MAX ||
        cbor_validate(proof, len, NULL) != CF_OK)
        return CF_EINVAL;
    if (w->state == WR_HEADER || w->entries_left != 0) return CF_EINVAL;
    if ((err = writer_record(w, BUNDLE_FORK, proof, len)) != CF_OK) return err;
    w->state = WR_FORKS;
    return CF_OK;
}

/* fsync the directory holding path, so that the rename survives a crash. */
static int fsync_parent(const char *path)
{
    const char *slash = strrchr(path, '/');
    char *dir;
    if (slash == NULL) {
        dir = strdup(".");
    } else {
        size_t n = slash == path ? 1 : (size_t)(slash - path);
        if ((dir = malloc(n + 1)) != NULL) {
            memcpy(dir, path, n);
            dir[n] = '\0';
        }
    }
    if (dir == NULL) return ENOMEM;
    int e = 0;
    int fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (fd < 0 || fsync(fd) != 0) e = errno;
    if (fd >= 0) close(fd);
    free(dir);
    return e;
}

/* The failure recorded by writer_io_fail, in words. */
static int writer_report(const bundle_writer *w, diag *d)
{
    if (w->sys_errno == 0)
        return diag_set(d, w->err, NULL, "bundle: %s.tmp %s", w->path, w->failed_op);
    return diag_set(d, w->err, NULL, "bundle: %s %s.tmp: %s", w->failed_op, w->path,
                    strerror(w->sys_errno));
}

/* End record, flush, fsync, close, rename: any failure removes the file. */
static int writer_finish(bundle_writer *w)
{
    uint8_t digest[CF_SHA256_BYTES];
    cbor_enc e;
    size_t len;
    struct stat st;
    cf_sha256_final(&w->sha, digest);
    cbor_enc_init(&e, w->buf, SMALL_PAYLOAD_BYTES_MAX);
    cbor_put_map(&e, 3);
    cbor_put_cstr(&e, "feeds");
    cbor_put_uint(&e, w->feeds);
    cbor_put_cstr(&e, "sha256");
    cbor_put_bytes(&e, digest, sizeof digest);
    cbor_put_cstr(&e, "entries");
    cbor_put_uint(&e, w->entries);
    int err = cbor_enc_finish(&e, &len);
    assert(err == CF_OK);
    if ((err = writer_record(w, BUNDLE_END, w->buf, len)) != CF_OK) return err;
    if (fflush(w->f) != 0) return writer_io_fail(w, "write", errno);
    if (fsync(fileno(w->f)) != 0) return writer_io_fail(w, "fsync", errno);
    if (stat(w->tmp_path, &st) != 0 || st.st_dev != w->tmp_dev || st.st_ino != w->tmp_ino) {
        /* Another export to the same path replaced our file: leave theirs. */
        free(w->tmp_path);
        w->tmp_path = NULL;
        return writer_io_fail(w, "was replaced by another export to the same path", 0);
    }
    int rc = fclose(w->f);
    w->f = NULL;
    if (rc != 0) return writer_io_fail(w, "close", errno);
    if (rename(w->tmp_path, w->path) != 0) return writer_io_fail(w, "rename", errno);
    return CF_OK;
}

int bundle_writer_commit(bundle_writer *w, diag *d)
{
    if (w == NULL) return diag_set(d, CF_EINVAL, NULL, "bundle: no writer");
    int err;
    if (w->state == WR_HEADER) {
        err = diag_set(d, CF_EINVAL, NULL, "bundle: commit before the header");
        writer_discard(w);
    } else if (w->state != WR_FAILED && w->entries_left != 0) {
        err = diag_set(d, CF_EINVAL, NULL,
                       "bundle: commit while feed %" PRIu64 " still needs %" PRIu64 " entries",
                       w->feeds, w->entries_left);
        writer_discard(w);
    } else if (w->state == WR_FAILED || writer_finish(w) != CF_OK) {
        err = writer_report(w, d);
    } else {
        int e_dir = fsync_parent(w->path);
        err = e_dir == 0 ? CF_OK
                         : diag_set(d, errno_code(e_dir), NULL,
                                    "bundle: %s is complete, but syncing its directory "
                                    "failed: %s", w->path, strerror(e_dir));
    }
    writer_free(w);
    return err;
}

void bundle_writer_abort(bundle_writer *w)
{
    if (w == NULL) return;
    writer_discard(w);
    writer_free(w);
}

/* ======================================================================== */
/* Reader                                                                   */
/* ======================================================================== */

enum rd_state {
    RD_MAGIC,  /* nothing read yet */
    RD_HEADER, /* magic read; the header must come next */
    RD_FEEDS,  /* feeds and their entries */
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
    uint64_t feeds;
    uint64_t entries;
    uint64_t entries_left; /* E records the current feed still expects */
    uint64_t next_index;   /* index of the next E record in its feed */
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
    assert(n <= BUNDLE_PAYLOAD_BYTES_MAX);
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
    const char *tn = type_name(r->rec_type);
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
        return rd_fail(r, d, CF_EBUNDLE, "truncated: %zu of %d magic bytes", got,
                       BUNDLE_MAGIC_BYTES);
    if (memcmp(magic, BUNDLE_MAGIC, BUNDLE_MAGIC_BYTES) != 0)
        return rd_fail(r, d, CF_EBUNDLE, "not a bundle (wrong magic)");
    cf_sha256_update(&r->sha, magic, sizeof magic);
    r->state = RD_HEADER;
    return CF_OK;
}

/* The declared length against the type's limit, before anything is read. */
static int rd_check_length(bundle_reader *r, uint32_t len, diag *d)
{
    if (r->rec_type == BUNDLE_ENTRY) {
        if (len == 0) return rd_fail(r, d, CF_EBUNDLE, "empty entry (length 0)");
        if (len > ENTRY_BYTES_MAX)
            return rd_fail(r, d, CF_EBUNDLE, "bad length %" PRIu32 " (entries are at most %d bytes)",
                           len, ENTRY_BYTES_MAX);
    } else if (len > BUNDLE_PAYLOAD_BYTES_MAX) {
        return rd_fail(r, d, CF_EBUNDLE, "bad length %" PRIu32 " (payloads are at most %u bytes)",
                       len, BUNDLE_PAYLOAD_BYTES_MAX);
    }
    return CF_OK;
}

/* The grammar: may a record of this type come now? */
static int rd_check_order(bundle_reader *r, diag *d)
{
    uint8_t t = r->rec_type;
    if (r->state == RD_HEADER && t != BUNDLE_HEADER)
        return rd_fail(r, d, CF_EBUNDLE, "out of order: the header record must come first");
    if (r->state != RD_HEADER && t == BUNDLE_HEADER)
        return rd_fail(r, d, CF_EBUNDLE, "out of order: a second header record");
    if (r->entries_left > 0 && t != BUNDLE_ENTRY)
        return rd_fail(r, d, CF_EBUNDLE,
                       "out of order: feed %" PRIu64 " still expects %" PRIu64 " entries",
                       r->feeds, r->entries_left);
    if (t == BUNDLE_ENTRY && r->entries_left == 0)
        return r->feeds == 0
                   ? rd_fail(r, d, CF_EBUNDLE, "out of order: entry before any feed record")
                   : rd_fail(r, d, CF_EBUNDLE,
                             "out of order: more entries than feed %" PRIu64 " declares",
                             r->feeds);
    if (t == BUNDLE_FEED && r->state == RD_FORKS)
        return rd_fail(r, d, CF_EBUNDLE, "out of order: feed record after a fork record");
    return CF_OK;
}

static int rd_cbor_fail(bundle_reader *r, diag *d, int err)
{
    if (err == CF_EFORMAT)
        return rd_fail(r, d, CF_EBUNDLE, "unknown or missing key in the payload");
    return rd_fail(r, d, CF_EBUNDLE, "bad payload: %s", cf_strerror(err));
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
        return rd_fail(r, d, CF_EBUNDLE, "header map has %zu keys, want 2 (v, net)", pairs);
    if ((err = expect_key(&rd, "v")) != CF_OK || (err = cbor_rd_uint(&rd, &v)) != CF_OK ||
        (err = expect_key(&rd, "net")) != CF_OK ||
        (err = cbor_rd_bytes_exact(&rd, rec->net, sizeof rec->net)) != CF_OK ||
        (err = cbor_rd_end(&rd)) != CF_OK)
        return rd_cbor_fail(r, d, err);
    if (v != BUNDLE_VERSION)
        return rd_fail(r, d, CF_EBUNDLE, "unsupported version %" PRIu64 " (want %d)", v,
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
    uint64_t from, size;
    int err;
    cbor_rd_init(&rd, p, len);
    if ((err = cbor_rd_map(&rd, &pairs, MAP_PAIRS_MAX)) != CF_OK)
        return rd_cbor_fail(r, d, err);
    if (pairs != 3)
        return rd_fail(r, d, CF_EBUNDLE,
                       "feed map has %zu keys, want 3 (from, author, checkpoint)", pairs);
    if ((err = expect_key(&rd, "from")) != CF_OK || (err = cbor_rd_uint(&rd, &from)) != CF_OK ||
        (err = expect_key(&rd, "author")) != CF_OK ||
        (err = cbor_rd_bytes_exact(&rd, rec->author, sizeof rec->author)) != CF_OK ||
        (err = expect_key(&rd, "checkpoint")) != CF_OK ||
        (err = cbor_rd_text(&rd, &ck, &ck_len, NOTE_BYTES_MAX)) != CF_OK ||
        (err = cbor_rd_end(&rd)) != CF_OK)
        return rd_cbor_fail(r, d, err);
    if ((err = checkpoint_size(ck, ck_len, &size, &why)) != CF_OK)
        return rd_fail(r, d, CF_EBUNDLE, "%s: %s", why, cf_strerror(err));
    if (from > size)
        return rd_fail(r, d, CF_EBUNDLE,
                       "from %" PRIu64 " exceeds the checkpoint's tree size %" PRIu64, from,
                       size);
    rec->from = from;
    rec->size = size;
    rec->checkpoint = ck;
    rec->checkpoint_len = ck_len;
    r->feeds++;
    r->entries_left = size - from;
    r->next_index = from;
    return CF_OK;
}

static int rd_fork(bundle_reader *r, const uint8_t *p, size_t len, diag *d)
{
    size_t off = 0;
    int err = cbor_validate(p, len, &off);
    if (err)
        return rd_fail(r, d, CF_EBUNDLE, "fork proof is not canonical CBOR at payload byte %zu: %s",
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
                       "end map has %zu keys, want 3 (feeds, sha256, entries)", pairs);
    if ((err = expect_key(&rd, "feeds")) != CF_OK || (err = cbor_rd_uint(&rd, &feeds)) != CF_OK ||
        (err = expect_key(&rd, "sha256")) != CF_OK ||
        (err = cbor_rd_bytes_exact(&rd, want, sizeof want)) != CF_OK ||
        (err = expect_key(&rd, "entries")) != CF_OK ||
        (err = cbor_rd_uint(&rd, &entries)) != CF_OK || (err = cbor_rd_end(&rd)) != CF_OK)
        return rd_cbor_fail(r, d, err);
    if (feeds != r->feeds)
        return rd_fail(r, d, CF_EBUNDLE,
                       "count mismatch: end record says %" PRIu64 " feeds, the bundle has %" PRIu64,
                       feeds, r->feeds);
    if (entries != r->entries)
        return rd_fail(r, d, CF_EBUNDLE,
                       "count mismatch: end record says %" PRIu64 " entries, the bundle has %" PRIu64,
                       entries, r->entries);
    cf_sha256_final(&r->sha, have);
    if (memcmp(want, have, sizeof want) != 0)
        return rd_fail(r, d, CF_EBUNDLE,
                       "hash mismatch: the SHA-256 of the bundle's bytes differs from the end record's");
    uint8_t extra;
    size_t got;
    err = src_read(r, &extra, 1, &got);
    if (err == CF_EIO) return rd_io_fail(r, d);
    if (got != 0)
        return rd_fail(r, d, CF_EBUNDLE, "bytes after the end record (at byte %" PRIu64 ")",
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
            return rd_fail(r, d, CF_EBUNDLE, "truncated: the input ends before the end record");
        r->rec_type = head[0];
        return rd_fail(r, d, CF_EBUNDLE, "truncated: %zu of %d record head bytes", got,
                       RECORD_HEAD_BYTES);
    }
    r->rec_type = head[0];
    uint32_t len = cf_get_be32(head + 1);
    if (type_name(r->rec_type) == NULL)
        return rd_fail(r, d, CF_EBUNDLE, "unknown record type");
    if ((err = rd_check_length(r, len, d)) != CF_OK ||
        (err = rd_check_order(r, d)) != CF_OK)
        return err;

    const uint8_t *p = NULL;
    err = src_take(r, len, &p, &got);
    if (err == CF_EIO) return rd_io_fail(r, d);
    if (err == CF_EINCOMPLETE)
        return rd_fail(r, d, CF_EBUNDLE, "truncated: %zu of %" PRIu32 " payload bytes", got, len);

    memset(rec, 0, sizeof *rec);
    rec->type = (enum bundle_record_type)r->rec_type;
    rec->payload = p;
    rec->len = len;
    switch (r->rec_type) {
    case BUNDLE_HEADER: err = rd_header(r, p, len, rec, d); break;
    case BUNDLE_FEED: err = rd_feed(r, p, len, rec, d); break;
    case BUNDLE_ENTRY:
        rec->index = r->next_index++;
        r->entries_left--;
        r->entries++;
        err = CF_OK;
        break;
    case BUNDLE_FORK: err = rd_fork(r, p, len, d); break;
    default: return rd_end(r, p, len, d);
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
    free(r->buf);
    free(r);
}

uint64_t bundle_reader_offset(const bundle_reader *r)
{
    return r == NULL ? 0 : r->offset;
}
