/* audit_cursor.c — pass 2 reads a feed's entries back from the file, and
 * checks each against the leaf hash pass 1 verified, so that the rules see
 * exactly the bytes the signatures cover (audit_internal.h).
 *
 * The file is read in windows of WINDOW_BYTES. With a helper thread, the
 * helper hashes window k+1 while the rules run over window k: the hashing
 * leaves the rules' thread. A window holds only whole E records of the
 * feed being read; its records are found by the reader (cheap: 5-byte
 * heads) and hashed by the helper. Moving to another feed (one waits, or
 * is held) drops the windows read ahead; they are read again when the feed
 * resumes. The result never depends on the thread: both compare the same
 * hashes.
 */
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "audit_internal.h"
#include "bundle.h"
#include "cf_error.h"
#include "cf_util.h"
#include "entry.h"
#include "merkle.h"

/* 1 MiB holds at least 63 of the largest entries and thousands of usual
 * ones; two of them per audit. */
#define WINDOW_BYTES (1u << 20)
#define RECORD_HEAD 5

typedef struct {
    uint8_t *buf;
    size_t nrec;       /* whole E records of the feed in buf */
    size_t used;       /* bytes they take */
    size_t pos, next;  /* reading: byte position, record number */
    uint64_t first;    /* leaf index of its first record */
    uint64_t bad;      /* first record whose leaf differs; nrec: none */
    bool short_read;   /* the file ended before a record the feed needs */
} window;

struct audit_cursor {
    int fd;
    const audit_feed *f;
    uint64_t read_off;  /* file offset of the next window */
    uint64_t read_leaf; /* leaf index of its first record */
    window w[2];
    int cur;            /* the window being consumed */
    bool have_next;     /* w[cur ^ 1] was read (and submitted) */
    /* helper */
    bool threaded, quit;
    pthread_t thread;
    pthread_mutex_t mu;
    pthread_cond_t cv;
    window *job;        /* submitted, not yet hashed */
};

static void verify_window(const audit_feed *f, window *w)
{
    size_t pos = 0;
    uint8_t leaf[32];
    w->bad = w->nrec;
    for (size_t i = 0; i < w->nrec; i++) {
        uint32_t n = cf_get_be32(w->buf + pos + 1);
        merkle_leaf_hash(w->buf + pos + RECORD_HEAD, n, leaf);
        if (memcmp(leaf, audit__leaf(f, w->first + i), 32) != 0) {
            w->bad = i;
            return;
        }
        pos += RECORD_HEAD + n;
    }
}

static void *helper(void *arg)
{
    audit_cursor *c = arg;
    pthread_mutex_lock(&c->mu);
    for (;;) {
        while (c->job == NULL && !c->quit) pthread_cond_wait(&c->cv, &c->mu);
        if (c->job == NULL) break;
        window *w = c->job;
        const audit_feed *f = c->f;
        pthread_mutex_unlock(&c->mu);
        verify_window(f, w);
        pthread_mutex_lock(&c->mu);
        c->job = NULL;
        pthread_cond_broadcast(&c->cv);
    }
    pthread_mutex_unlock(&c->mu);
    return NULL;
}

static void wait_idle(audit_cursor *c)
{
    if (!c->threaded) return;
    pthread_mutex_lock(&c->mu);
    while (c->job != NULL) pthread_cond_wait(&c->cv, &c->mu);
    pthread_mutex_unlock(&c->mu);
}

int audit__cursor_new(int fd, unsigned threads, audit_cursor **out)
{
    audit_cursor *c = calloc(1, sizeof *c);
    if (c == NULL) return CF_ENOMEM;
    c->fd = fd;
    for (int i = 0; i < 2; i++)
        if ((c->w[i].buf = malloc(WINDOW_BYTES)) == NULL) {
            audit__cursor_free(c);
            return CF_ENOMEM;
        }
    if (threads > 0) {
        pthread_mutex_init(&c->mu, NULL);
        pthread_cond_init(&c->cv, NULL);
        if (pthread_create(&c->thread, NULL, helper, c) == 0) {
            c->threaded = true;
        } else {
            pthread_mutex_destroy(&c->mu);
            pthread_cond_destroy(&c->cv);
        }
    }
    *out = c;
    return CF_OK;
}

void audit__cursor_free(audit_cursor *c)
{
    if (c == NULL) return;
    if (c->threaded) {
        pthread_mutex_lock(&c->mu);
        c->quit = true;
        pthread_cond_broadcast(&c->cv);
        pthread_mutex_unlock(&c->mu);
        pthread_join(c->thread, NULL);
        pthread_mutex_destroy(&c->mu);
        pthread_cond_destroy(&c->cv);
    }
    free(c->w[0].buf);
    free(c->w[1].buf);
    free(c);
}

/* Read the next window of the feed and hand it to the helper (or hash it
 * here). CF_EIO on a read error. */
static int read_window(audit_cursor *c, window *w)
{
    uint64_t left = c->f->size - c->f->from - c->read_leaf;
    w->nrec = w->used = w->pos = w->next = 0;
    w->first = c->read_leaf;
    w->short_read = false;
    ssize_t got = left ? pread(c->fd, w->buf, WINDOW_BYTES, (off_t)c->read_off) : 0;
    if (got < 0) return CF_EIO;
    size_t have = (size_t)got;
    while (w->nrec < left) {
        if (have - w->used < RECORD_HEAD) break;
        const uint8_t *h = w->buf + w->used;
        uint32_t n = cf_get_be32(h + 1);
        if (h[0] != BUNDLE_ENTRY || n == 0 || n > ENTRY_BYTES_MAX) {
            w->short_read = true; /* not what pass 1 read here */
            break;
        }
        if (have - w->used - RECORD_HEAD < n) break;
        w->used += RECORD_HEAD + n;
        w->nrec++;
    }
    if (w->nrec == 0 && left > 0) w->short_read = true;
    c->read_off += w->used;
    c->read_leaf += w->nrec;
    if (!c->threaded) {
        verify_window(c->f, w);
        return CF_OK;
    }
    pthread_mutex_lock(&c->mu);
    c->job = w;
    pthread_cond_broadcast(&c->cv);
    pthread_mutex_unlock(&c->mu);
    return CF_OK;
}

int audit__cursor_seek(audit_cursor *c, const audit_feed *f)
{
    wait_idle(c);
    c->f = f;
    c->read_off = f->applied == 0 ? f->entries_off : f->next_off;
    c->read_leaf = f->applied;
    c->cur = 0;
    c->have_next = false;
    int err = read_window(c, &c->w[0]);
    wait_idle(c);
    if (err == CF_OK && c->w[0].nrec > 0 && c->read_leaf < f->size - f->from) {
        err = read_window(c, &c->w[1]); /* read ahead: hashed while we go */
        c->have_next = err == CF_OK;
    }
    return err;
}

int audit__cursor_next(audit_cursor *c, const uint8_t **p, size_t *len)
{
    window *w = &c->w[c->cur];
    if (w->next == w->nrec) {
        if (w->short_read || !c->have_next) return CF_EVERIFY; /* the file changed */
        wait_idle(c);
        c->cur ^= 1;
        c->have_next = false;
        w = &c->w[c->cur];
        if (w->nrec == 0) return CF_EVERIFY;
        if (c->read_leaf < c->f->size - c->f->from) {
            int err = read_window(c, &c->w[c->cur ^ 1]);
            if (err) return err;
            c->have_next = true;
        }
    }
    if (w->next == w->bad) return CF_EVERIFY;
    uint32_t n = cf_get_be32(w->buf + w->pos + 1);
    *p = w->buf + w->pos + RECORD_HEAD;
    *len = n;
    w->pos += RECORD_HEAD + n;
    w->next++;
    return CF_OK;
}
