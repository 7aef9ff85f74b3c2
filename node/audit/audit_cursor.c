/* audit_cursor.c — pass 2 reads a feed's entries back from the file, checks
 * each against the leaf hash pass 1 verified, so that the rules see exactly
 * the bytes the signatures cover, and decodes it (audit_internal.h).
 *
 * The file is read in windows of at most WINDOW_BYTES and WINDOW_RECORDS
 * whole E records of the feed being read, into a ring of WINDOWS. With a
 * helper thread, the helper reads and hashes the windows ahead of the
 * rules' thread (first priority: the rules must never wait for a hash),
 * then decodes the records of the windows read; the rules' thread decodes
 * any record that nobody claimed yet when it gets there. Claims go in
 * record order through one atomic counter per window, so each record is
 * decoded once, by whichever thread was free, into its own slot; decoding
 * is a pure function of the bytes, so the result never depends on who did
 * it. Moving to another feed (one waits, or is held) stops the helper and
 * drops what it read ahead; it is read again when the feed resumes.
 */
#include <pthread.h>
#include <sched.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "audit_internal.h"
#include "bundle/bundle.h"
#include "crypto/cf_error.h"
#include "crypto/merkle.h"
#include "ledger/entry.h"

/* 256 KiB hold 15 of the largest entries and about 128 usual ones; 128
 * records per window bound the decoded entries a window holds. Four
 * windows: the helper may run three windows ahead. */
#define WINDOW_BYTES (256u << 10)
#define WINDOW_RECORDS 128u
#define WINDOWS 4u

_Static_assert(WINDOW_BYTES >= BUNDLE_ENTRY_RECORD_BYTES_MAX, "a window holds any entry");

enum { SLOT_FREE = 0, SLOT_DECODED = 1, SLOT_FAILED = 2 };

typedef struct {
    uint8_t *buf;
    entry *entries;              /* WINDOW_RECORDS decoded entries */
    uint32_t off[WINDOW_RECORDS]; /* each record's payload in buf */
    uint32_t len[WINDOW_RECORDS]; /* and its length */
    size_t nrec;                 /* whole E records of the feed in buf */
    uint64_t first;              /* leaf index of its first record */
    size_t bad;                  /* first record whose leaf differs; nrec: none */
    bool short_read;             /* the file ended before a record the feed needs */
    atomic_size_t claim;         /* next record to decode */
    atomic_uchar state[WINDOW_RECORDS];
} window;

/* Where the next window starts, and whether there is one. */
typedef struct {
    uint64_t off, leaf;
    bool end;
} read_pos;

struct audit_cursor {
    int fd;
    const audit_feed *f;
    read_pos next;      /* the next window to read (under mu) */
    window w[WINDOWS];
    /* Windows by sequence number since the seek: w[s % WINDOWS]. The
     * helper (or, alone, the rules' thread) reads seq_read; the rules'
     * thread consumes seq_used, record pos. */
    uint64_t seq_read, seq_used;
    size_t pos;
    diag why;           /* a failed decode, redone by the rules' thread */
    /* helper */
    bool threaded, quit, stop, busy;
    pthread_t thread;
    pthread_mutex_t mu;
    pthread_cond_t cv;
};

/* ---- reading and hashing (one thread at a time: the helper, or the rules'
 * thread while the helper is stopped or absent) ------------------------------ */

/* Read the window at *at into w, hash its records, and move *at on. Only
 * the reading thread calls it; the caller publishes *at. */
static void read_window(const audit_cursor *c, read_pos *at, window *w)
{
    const audit_feed *f = c->f;
    uint64_t left = f->size - f->from - at->leaf;
    size_t used = 0;
    w->nrec = 0;
    w->first = at->leaf;
    w->short_read = false;
    atomic_store_explicit(&w->claim, 0, memory_order_relaxed);
    ssize_t got = left ? pread(c->fd, w->buf, WINDOW_BYTES, (off_t)at->off) : 0;
    size_t have = got > 0 ? (size_t)got : 0;
    while (w->nrec < left && w->nrec < WINDOW_RECORDS) {
        const uint8_t *payload;
        size_t n, size;
        int err = bundle_entry_parse(w->buf + used, have - used, &payload, &n, &size);
        if (err == CF_EINCOMPLETE) break;
        if (err != CF_OK) {
            w->short_read = true; /* not what pass 1 read here */
            break;
        }
        atomic_store_explicit(&w->state[w->nrec], SLOT_FREE, memory_order_relaxed);
        w->off[w->nrec] = (uint32_t)(payload - w->buf);
        w->len[w->nrec++] = (uint32_t)n;
        used += size;
    }
    if (w->nrec == 0 && left > 0) w->short_read = true; /* also a read error */
    at->off += used;
    at->leaf += w->nrec;
    at->end = w->short_read || at->leaf == f->size - f->from;
    /* The leaf hashes. */
    uint8_t leaf[32];
    w->bad = w->nrec;
    for (size_t i = 0; i < w->nrec; i++) {
        merkle_leaf_hash(w->buf + w->off[i], w->len[i], leaf);
        if (memcmp(leaf, audit__leaf(f, w->first + i), 32) != 0) {
            w->bad = i;
            at->end = true; /* the rules stop here: read no further */
            break;
        }
    }
}

/* ---- decoding (either thread) ------------------------------------------------ */

/* Claim the next undecoded record of w below its first bad one; false when
 * none is left. */
static bool claim_next(window *w, size_t *i)
{
    size_t j = atomic_load_explicit(&w->claim, memory_order_relaxed);
    while (j < w->bad)
        if (atomic_compare_exchange_weak_explicit(&w->claim, &j, j + 1, memory_order_relaxed,
                                                  memory_order_relaxed)) {
            *i = j;
            return true;
        }
    return false;
}

static void decode_record(window *w, size_t i)
{
    diag d;
    int err = entry_decode(w->buf + w->off[i], w->len[i], &w->entries[i], &d);
    atomic_store_explicit(&w->state[i], err == CF_OK ? SLOT_DECODED : SLOT_FAILED,
                          memory_order_release);
}

/* ---- the helper ------------------------------------------------------------- */

static void *helper(void *arg)
{
    audit_cursor *c = arg;
    pthread_mutex_lock(&c->mu);
    for (;;) {
        if (c->quit) break;
        window *job = NULL;
        bool read = false;
        if (!c->stop) {
            if (!c->next.end && c->seq_read - c->seq_used < WINDOWS) {
                job = &c->w[c->seq_read % WINDOWS];
                read = true;
            } else {
                /* Decode ahead: windows past the one being consumed first,
                 * so that the two threads rarely meet in one window. */
                for (uint64_t k = 1; k <= c->seq_read - c->seq_used && job == NULL; k++) {
                    window *w = &c->w[(c->seq_used + k % (c->seq_read - c->seq_used)) % WINDOWS];
                    if (atomic_load_explicit(&w->claim, memory_order_relaxed) < w->bad) job = w;
                }
            }
        }
        if (job == NULL) {
            pthread_cond_wait(&c->cv, &c->mu);
            continue;
        }
        c->busy = true;
        read_pos at = c->next;
        pthread_mutex_unlock(&c->mu);
        if (read) {
            read_window(c, &at, job);
        } else {
            size_t i;
            /* A few records per turn, so that a stop is seen soon. */
            for (int n = 0; n < 8 && claim_next(job, &i); n++) decode_record(job, i);
        }
        pthread_mutex_lock(&c->mu);
        c->busy = false;
        if (read) {
            c->next = at;
            c->seq_read++;
        }
        pthread_cond_broadcast(&c->cv);
    }
    pthread_mutex_unlock(&c->mu);
    return NULL;
}

/* Stop the helper between two jobs (caller holds mu). */
static void stop_helper(audit_cursor *c)
{
    c->stop = true;
    while (c->busy) pthread_cond_wait(&c->cv, &c->mu);
}

int audit__cursor_new(int fd, unsigned threads, audit_cursor **out)
{
    audit_cursor *c = calloc(1, sizeof *c);
    if (c == NULL) return CF_ENOMEM;
    c->fd = fd;
    c->stop = true; /* until the first seek */
    for (unsigned i = 0; i < WINDOWS; i++)
        if ((c->w[i].buf = malloc(WINDOW_BYTES)) == NULL ||
            (c->w[i].entries = malloc(WINDOW_RECORDS * sizeof(entry))) == NULL) {
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
    for (unsigned i = 0; i < WINDOWS; i++) {
        free(c->w[i].buf);
        free(c->w[i].entries);
    }
    free(c);
}

int audit__cursor_seek(audit_cursor *c, const audit_feed *f)
{
    if (c->threaded) {
        pthread_mutex_lock(&c->mu);
        stop_helper(c);
    }
    c->f = f;
    c->next.off = f->applied == 0 ? f->entries_off : f->next_off;
    c->next.leaf = f->applied;
    c->next.end = f->applied == f->size - f->from;
    c->seq_read = c->seq_used = 0;
    c->pos = 0;
    if (c->threaded) {
        c->stop = false;
        pthread_cond_broadcast(&c->cv);
        pthread_mutex_unlock(&c->mu);
    }
    return CF_OK;
}

/* The window being consumed, read (and hashed) by now; NULL when the
 * feed's entries ended in the file before the one wanted. */
static window *current(audit_cursor *c)
{
    if (!c->threaded) {
        if (c->seq_read == c->seq_used) {
            if (c->next.end) return NULL;
            read_window(c, &c->next, &c->w[c->seq_read % WINDOWS]);
            c->seq_read++;
        }
        return &c->w[c->seq_used % WINDOWS];
    }
    pthread_mutex_lock(&c->mu);
    while (c->seq_read == c->seq_used && !c->next.end) pthread_cond_wait(&c->cv, &c->mu);
    bool have = c->seq_read > c->seq_used;
    pthread_mutex_unlock(&c->mu);
    return have ? &c->w[c->seq_used % WINDOWS] : NULL;
}

static void release(audit_cursor *c)
{
    if (c->threaded) pthread_mutex_lock(&c->mu);
    c->seq_used++;
    c->pos = 0;
    if (c->threaded) {
        pthread_cond_broadcast(&c->cv);
        pthread_mutex_unlock(&c->mu);
    }
}

int audit__cursor_next(audit_cursor *c, const uint8_t **p, size_t *len, const entry **e,
                       diag *d)
{
    window *w = current(c);
    if (w != NULL && c->pos == w->nrec) {
        if (w->short_read || w->bad < w->nrec) return CF_EVERIFY; /* the file changed */
        release(c);
        w = current(c);
    }
    if (w == NULL || c->pos >= w->nrec || c->pos == w->bad) return CF_EVERIFY;
    size_t i = c->pos;
    *p = w->buf + w->off[i];
    *len = w->len[i];
    /* Decode it here unless the helper claimed it first. */
    size_t j = i;
    if (atomic_compare_exchange_strong_explicit(&w->claim, &j, i + 1, memory_order_relaxed,
                                                memory_order_relaxed)) {
        decode_record(w, i);
    } else {
        for (unsigned spins = 0;
             atomic_load_explicit(&w->state[i], memory_order_acquire) == SLOT_FREE; spins++)
            if (spins > 64) sched_yield();
    }
    c->pos++;
    if (atomic_load_explicit(&w->state[i], memory_order_acquire) == SLOT_FAILED) {
        /* Decode again for the reason (decoding is deterministic). */
        diag_clear(d);
        entry_decode(*p, *len, &w->entries[i], d);
        d->code = CF_EREJECTED; /* R-ENV, as ledger_process says */
        return CF_EREJECTED;
    }
    *e = &w->entries[i];
    return CF_OK;
}
