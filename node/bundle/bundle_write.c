/* bundle_write.c — the bundle writer: a state machine over the grammar in
 * bundle.h that streams to "<path>.tmp" and renames it over the path only
 * once the end record is written and synced. It checks every record as the
 * reader will (bundle_internal.h), so it never writes a bundle the reader
 * refuses.
 */
#include "bundle.h"

#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
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

enum wr_state {
    WR_HEADER, /* nothing but the magic written */
    WR_FEEDS,  /* header written; feeds, their entries and checkpoints */
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
    /* The current feed, for its K records. */
    uint8_t feed_origin_hash[CF_SHA256_BYTES];
    uint64_t feed_size;
    uint64_t last_ckpt_size; /* of its latest K record; 0 before the first */
    bundle__author_set authors; /* one F record per author, as the reader wants */
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
    bundle__author_set_free(&w->authors);
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
    CF_ASSERT(len <= BUNDLE_PAYLOAD_BYTES_MAX);
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
    /* 0600: a bundle holds the whole ledger, which is not for everyone. */
    fd = open(w->tmp_path, O_CREAT | O_EXCL | O_WRONLY | O_CLOEXEC, 0600);
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
    CF_ASSERT(err == CF_OK);
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
    bundle__ckpt_shape shape;
    const char *why;
    if (bundle__checkpoint_shape(ckpt, ckpt_len, &shape, &why) != CF_OK || shape.size != size)
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
    if ((err = bundle__author_set_add(&w->authors, author)) != CF_OK)
        return err == 1 ? CF_EINVAL : err; /* a feed listed twice */
    if ((err = writer_record(w, BUNDLE_FEED, w->buf, len)) != CF_OK) return err;
    w->feeds++;
    w->entries_left = size - from;
    memcpy(w->feed_origin_hash, shape.origin_hash, sizeof w->feed_origin_hash);
    w->feed_size = size;
    w->last_ckpt_size = 0;
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

int bundle_write_checkpoint(bundle_writer *w, const char *ckpt, size_t ckpt_len)
{
    int err = writer_usable(w);
    if (err) return err;
    if (ckpt == NULL || ckpt_len == 0 || ckpt_len > CHECKPOINT_PAYLOAD_BYTES_MAX)
        return CF_EINVAL;
    if (w->state != WR_FEEDS || w->feeds == 0 || w->entries_left != 0) return CF_EINVAL;
    /* As the reader checks it: a checkpoint of the current feed's log, of a
     * size between the previous K record's and the feed record's. */
    bundle__ckpt_shape shape;
    const char *why;
    if (bundle__checkpoint_shape(ckpt, ckpt_len, &shape, &why) != CF_OK ||
        memcmp(shape.origin_hash, w->feed_origin_hash, sizeof shape.origin_hash) != 0 ||
        shape.size <= w->last_ckpt_size || shape.size >= w->feed_size)
        return CF_EINVAL;
    if ((err = writer_record(w, BUNDLE_CHECKPOINT, (const uint8_t *)ckpt, ckpt_len)) != CF_OK)
        return err;
    w->last_ckpt_size = shape.size;
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
    CF_ASSERT(err == CF_OK);
    if ((err = writer_record(w, BUNDLE_END, w->buf, len)) != CF_OK) return err;
    if (fflush(w->f) != 0) return writer_io_fail(w, "write", errno);
    if (fsync(fileno(w->f)) != 0) return writer_io_fail(w, "fsync", errno);
    if (stat(w->tmp_path, &st) != 0 || st.st_dev != w->tmp_dev || st.st_ino != w->tmp_ino) {
        /* Another export to the same path replaced our file: leave theirs. */
        free(w->tmp_path);
        w->tmp_path = NULL;
        return writer_io_fail(w, _("was replaced by another export to the same path"), 0);
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
