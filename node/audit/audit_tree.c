/* audit_tree.c — pass 1's hashing: entries' leaf hashes and every feed's
 * Merkle tree, on both threads while the reader goes on, then every feed's
 * roots at each of its checkpoints' sizes (audit_internal.h).
 *
 * The reader copies entries into batches (a ring of BATCHES) and goes on
 * reading. A batch's leaf hashes are claimed CHUNK_ITEMS at a time through
 * an atomic counter, by the helper thread, or by the reader when it has no
 * free batch to fill; a batch whose leaves are all hashed is pushed into
 * its feeds' trees (merkle_stream) by whichever thread is free, one batch
 * at a time and in order. Each tree keeps its stream's peaks every
 * TREE_SNAP_LEAVES leaves, so that a root at any checkpoint's size is a
 * snapshot plus fewer than TREE_SNAP_LEAVES leaves away. Each leaf's
 * destination is fixed before it is hashed and the trees take leaves in
 * file order, so the result is the same with or without the thread.
 */
#include <inttypes.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>

#include "audit_internal.h"
#include "bundle/fork_proof.h"
#include "crypto/cf_error.h"
#include "crypto/cf_i18n.h"
#include "crypto/cf_util.h"
#include "crypto/merkle.h"

/* Six batches of up to 512 KiB of entries (at least 31 of the largest) or
 * 4,096 entries: a batch is a few milliseconds of hashing, and the reader
 * can run five batches ahead of the trees. */
#define BATCHES 6u
#define BATCH_BYTES (512u << 10)
#define BATCH_ITEMS 4096u
#define CHUNK_ITEMS 32u
#define TREE_SNAP_LEAVES 256u

_Static_assert(BATCH_BYTES >= ENTRY_BYTES_MAX, "a batch holds any entry");

/* ---- trees ------------------------------------------------------------------- */

struct audit_tree {
    merkle_stream s;        /* every leaf pushed so far */
    uint8_t (*peaks)[32];   /* the snapshots' peaks, one after another */
    size_t npeaks, peaks_cap;
    size_t *snap;           /* snapshot j (size (j + 1) * TREE_SNAP_LEAVES):
                               its first peak in peaks */
    size_t nsnaps, snaps_cap;
    bool failed;            /* out of memory for a snapshot */
};

int audit__tree_new(audit_tree **out)
{
    audit_tree *t = calloc(1, sizeof *t);
    if (t == NULL) return CF_ENOMEM;
    merkle_stream_init(&t->s);
    *out = t;
    return CF_OK;
}

void audit__tree_free(audit_tree *t)
{
    if (t == NULL) return;
    free(t->peaks);
    free(t->snap);
    free(t);
}

static void tree_push(audit_tree *t, const uint8_t leaf[32])
{
    uint8_t completed[65][32];
    unsigned nc;
    merkle_stream_push(&t->s, leaf, completed, &nc);
    if (t->s.size % TREE_SNAP_LEAVES != 0 || t->failed) return;
    if (t->nsnaps == t->snaps_cap) {
        size_t cap = t->snaps_cap ? 2 * t->snaps_cap : 64;
        size_t *ns = realloc(t->snap, cap * sizeof *ns);
        if (ns == NULL) {
            t->failed = true;
            return;
        }
        t->snap = ns;
        t->snaps_cap = cap;
    }
    if (t->peaks_cap - t->npeaks < t->s.npeaks) {
        size_t cap = t->peaks_cap ? 2 * t->peaks_cap : 1024;
        uint8_t(*np)[32] = realloc(t->peaks, cap * sizeof *np);
        if (np == NULL) {
            t->failed = true;
            return;
        }
        t->peaks = np;
        t->peaks_cap = cap;
    }
    t->snap[t->nsnaps++] = t->npeaks;
    memcpy(t->peaks[t->npeaks], t->s.peaks, t->s.npeaks * sizeof t->s.peaks[0]);
    t->npeaks += t->s.npeaks;
}

/* ---- the hasher ------------------------------------------------------------------ */

typedef struct {
    audit_tree *t;
    uint8_t *dst;
    size_t off, len;
} batch_item;

enum batch_state { B_FREE, B_FILLING, B_READY, B_HASHED };

typedef struct {
    uint8_t *bytes;
    size_t used;
    batch_item *items;
    size_t n;
    atomic_size_t claim;  /* next item to hash */
    atomic_size_t hashed; /* items hashed */
    enum batch_state state; /* under mu */
    unsigned workers;       /* threads hashing it (under mu): it is pushed
                             * into the trees, and freed, only at 0 */
} batch;

struct audit_hasher {
    bool threaded;
    pthread_t thread;
    pthread_mutex_t mu;
    pthread_cond_t cv;
    batch b[BATCHES];
    /* Batches by sequence number, b[seq % BATCHES]: the reader fills
     * `fill`; [tree, fill) are submitted; the trees take `tree` next. */
    uint64_t fill, tree;
    bool tree_busy, quit;
};

typedef struct {
    batch *b;
    bool tree; /* push into the trees (else hash leaves) */
} job;

/* Work for a free thread (caller holds mu): leaves to hash in the oldest
 * batch that has some, else the next batch for the trees. */
static bool take_job(audit_hasher *h, job *j)
{
    for (uint64_t s = h->tree; s < h->fill; s++) {
        batch *b = &h->b[s % BATCHES];
        if (b->state == B_READY && atomic_load_explicit(&b->claim, memory_order_relaxed) < b->n) {
            b->workers++;
            *j = (job){b, false};
            return true;
        }
    }
    if (!h->tree_busy && h->tree < h->fill && h->b[h->tree % BATCHES].state == B_HASHED &&
        h->b[h->tree % BATCHES].workers == 0) {
        h->tree_busy = true;
        *j = (job){&h->b[h->tree % BATCHES], true};
        return true;
    }
    return false;
}

/* Run a job (caller holds mu; it is released meanwhile). */
static void run_job(audit_hasher *h, const job *j)
{
    batch *b = j->b;
    pthread_mutex_unlock(&h->mu);
    if (j->tree) {
        for (size_t i = 0; i < b->n; i++) tree_push(b->items[i].t, b->items[i].dst);
        pthread_mutex_lock(&h->mu);
        b->state = B_FREE;
        b->n = b->used = 0;
        atomic_store_explicit(&b->claim, 0, memory_order_relaxed);
        atomic_store_explicit(&b->hashed, 0, memory_order_relaxed);
        h->tree++;
        h->tree_busy = false;
        pthread_cond_broadcast(&h->cv);
        return;
    }
    bool last = false;
    for (;;) {
        size_t i = atomic_fetch_add_explicit(&b->claim, CHUNK_ITEMS, memory_order_relaxed);
        if (i >= b->n) break;
        size_t end = i + CHUNK_ITEMS < b->n ? i + CHUNK_ITEMS : b->n;
        for (size_t k = i; k < end; k++)
            merkle_leaf_hash(b->bytes + b->items[k].off, b->items[k].len, b->items[k].dst);
        /* acq_rel: whoever hashes the last chunk sees every leaf written. */
        if (atomic_fetch_add_explicit(&b->hashed, end - i, memory_order_acq_rel) + (end - i) ==
            b->n)
            last = true;
    }
    pthread_mutex_lock(&h->mu);
    b->workers--;
    if (last) b->state = B_HASHED;
    if (last || b->workers == 0) pthread_cond_broadcast(&h->cv);
}

static void *helper(void *arg)
{
    audit_hasher *h = arg;
    job j;
    pthread_mutex_lock(&h->mu);
    while (!h->quit) {
        if (take_job(h, &j)) run_job(h, &j);
        else pthread_cond_wait(&h->cv, &h->mu);
    }
    pthread_mutex_unlock(&h->mu);
    return NULL;
}

int audit__hasher_new(unsigned threads, audit_hasher **out)
{
    audit_hasher *h = calloc(1, sizeof *h);
    if (h == NULL) return CF_ENOMEM;
    if (threads == 0) {
        *out = h;
        return CF_OK;
    }
    for (unsigned i = 0; i < BATCHES; i++) {
        h->b[i].bytes = malloc(BATCH_BYTES);
        h->b[i].items = malloc(BATCH_ITEMS * sizeof *h->b[i].items);
        if (h->b[i].bytes == NULL || h->b[i].items == NULL) {
            audit__hasher_free(h);
            return CF_ENOMEM;
        }
    }
    h->b[0].state = B_FILLING;
    pthread_mutex_init(&h->mu, NULL);
    pthread_cond_init(&h->cv, NULL);
    if (pthread_create(&h->thread, NULL, helper, h) != 0) {
        pthread_mutex_destroy(&h->mu);
        pthread_cond_destroy(&h->cv);
        audit__hasher_free(h);
        return CF_ENOMEM;
    }
    h->threaded = true;
    *out = h;
    return CF_OK;
}

/* Hand the batch being filled over, and wait (working meanwhile) until the
 * next one is free to fill. */
static void submit(audit_hasher *h)
{
    job j;
    pthread_mutex_lock(&h->mu);
    h->b[h->fill % BATCHES].state = B_READY;
    h->fill++;
    pthread_cond_broadcast(&h->cv);
    while (h->fill - h->tree >= BATCHES) {
        if (take_job(h, &j)) run_job(h, &j);
        else pthread_cond_wait(&h->cv, &h->mu);
    }
    h->b[h->fill % BATCHES].state = B_FILLING;
    pthread_mutex_unlock(&h->mu);
}

int audit__hasher_add(audit_hasher *h, audit_tree *t, uint8_t dst[32], const uint8_t *bytes,
                      size_t len)
{
    if (!h->threaded) {
        merkle_leaf_hash(bytes, len, dst);
        tree_push(t, dst);
        return CF_OK;
    }
    if (len > BATCH_BYTES) return CF_EINVAL; /* entries are at most 16 KiB */
    batch *b = &h->b[h->fill % BATCHES];
    if (b->n == BATCH_ITEMS || BATCH_BYTES - b->used < len) {
        submit(h);
        b = &h->b[h->fill % BATCHES];
    }
    memcpy(b->bytes + b->used, bytes, len);
    b->items[b->n++] = (batch_item){t, dst, b->used, len};
    b->used += len;
    return CF_OK;
}

int audit__hasher_sync(audit_hasher *h)
{
    if (h == NULL || !h->threaded) return CF_OK;
    job j;
    if (h->b[h->fill % BATCHES].n > 0) submit(h);
    pthread_mutex_lock(&h->mu);
    while (h->tree < h->fill) {
        if (take_job(h, &j)) run_job(h, &j);
        else pthread_cond_wait(&h->cv, &h->mu);
    }
    pthread_mutex_unlock(&h->mu);
    return CF_OK;
}

void audit__hasher_free(audit_hasher *h)
{
    if (h == NULL) return;
    if (h->threaded) {
        pthread_mutex_lock(&h->mu);
        h->quit = true;
        pthread_cond_broadcast(&h->cv);
        pthread_mutex_unlock(&h->mu);
        pthread_join(h->thread, NULL);
        pthread_mutex_destroy(&h->mu);
        pthread_cond_destroy(&h->cv);
    }
    for (unsigned i = 0; i < BATCHES; i++) {
        free(h->b[i].bytes);
        free(h->b[i].items);
    }
    free(h);
}

/* ---- roots ----------------------------------------------------------------- */

/* Perfect subtrees straight from the leaves (for a fork proof only: O(2^level)). */
static int subtree_from_leaves(void *ctx, unsigned level, uint64_t index, uint8_t out[32])
{
    const audit_feed *f = ctx;
    if (level == 0) {
        memcpy(out, audit__leaf(f, index), 32);
        return CF_OK;
    }
    uint8_t l[32], r[32];
    subtree_from_leaves(ctx, level - 1, 2 * index, l);
    subtree_from_leaves(ctx, level - 1, 2 * index + 1, r);
    merkle_node_hash(l, r, out);
    return CF_OK;
}

/* The author signed checkpoint k (size s, root r) and the latest one, whose
 * root the entries do hash to, but the entries' root at s is not r: a fork,
 * proven here as fork_proof_verify would check it from the bundle alone. */
static int found_fork(audit *a, audit_feed *f, const audit_ckpt *k, const uint8_t alt[32])
{
    const audit_ckpt *latest = &f->ckpts[f->nckpts - 1];
    static fork_proof fp; /* 2 KiB of hashes: not on the stack; one thread */
    fork_facts facts;
    diag why;
    memset(&fp, 0, sizeof fp);
    fp.a = k->note;
    fp.a_len = k->note_len;
    fp.b = latest->note;
    fp.b_len = latest->note_len;
    memcpy(fp.alt, alt, 32);
    uint8_t proof[MERKLE_PROOF_MAX][32];
    size_t n = 0;
    int err = merkle_consistency_proof(subtree_from_leaves, f, k->size, latest->size, proof, &n);
    if (err == CF_OK && n <= FORK_PROOF_HASHES_MAX) {
        memcpy(fp.proof.h, proof, n * 32);
        fp.proof.n = n;
        err = fork_proof_verify(&fp, &facts, &why);
    }
    f->state = FEED_FORKED;
    for (size_t i = 0; i < a->nfinds; i++)
        if (a->finds[i].kind == FIND_FORK && memcmp(a->finds[i].author, f->author, 32) == 0)
            return CF_OK; /* an X record proved it already */
    audit_finding *x = audit__find(a, FIND_FORK, f->record_off);
    if (x == NULL) return CF_ENOMEM;
    x->has_feed = true;
    x->found_here = true;
    memcpy(x->author, f->author, 32);
    x->size_a = k->size;
    x->size_b = latest->size;
    memcpy(x->root_a, k->root, 32);
    memcpy(x->root_b, latest->root, 32);
    memcpy(x->alt, alt, 32);
    x->point = FORK_POINT_UNKNOWN; /* no entry of the other history here */
    if (err == CF_OK)
        audit__say(x, _("found by the audit: checkpoint %" PRIu64 " (K record) against %" PRIu64
                      " (feed record); fork proof checked"),
                   k->size, latest->size);
    else
        audit__say(x, _("found by the audit: checkpoint %" PRIu64 " (K record) against %" PRIu64
                      " (feed record)"), k->size, latest->size);
    return CF_OK;
}

/* Move s (a stream over f's leaves) on to size target >= s->size: from the
 * latest snapshot at or below target when that is ahead of s, then leaf by
 * leaf. */
static void advance(const audit_feed *f, merkle_stream *s, uint64_t target)
{
    const audit_tree *t = f->tree;
    uint8_t completed[65][32];
    unsigned nc;
    uint64_t j = target / TREE_SNAP_LEAVES;
    if (j > 0 && j * TREE_SNAP_LEAVES > s->size && j <= t->nsnaps) {
        s->size = j * TREE_SNAP_LEAVES;
        s->npeaks = (unsigned)__builtin_popcountll(s->size);
        memcpy(s->peaks, t->peaks[t->snap[j - 1]], s->npeaks * sizeof s->peaks[0]);
    }
    while (s->size < target) merkle_stream_push(s, audit__leaf(f, s->size), completed, &nc);
}

int audit__check_tree(audit *a, audit_feed *f)
{
    static merkle_stream s; /* 2 KiB: not on the stack; one thread */
    uint8_t root[32];
    uint64_t n = f->size - f->from;
    size_t k = 0, first_bad = SIZE_MAX;
    static uint8_t alt_of_bad[32];
    if (f->tree == NULL || f->tree->failed) return CF_ENOMEM;
    merkle_stream_init(&s);
    /* Checkpoints are by increasing size (K records, then the F record). */
    for (; k < f->nckpts && f->ckpts[k].size >= s.size && f->ckpts[k].size <= n; k++) {
        advance(f, &s, f->ckpts[k].size);
        merkle_stream_root(&s, root);
        if (memcmp(root, f->ckpts[k].root, 32) != 0 && first_bad == SIZE_MAX) {
            first_bad = k;
            memcpy(alt_of_bad, root, 32);
        }
    }
    if (k != f->nckpts) /* the reader bounds K sizes below the F size */
        return CF_EINVAL;
    if (first_bad == SIZE_MAX) return CF_OK;
    if (first_bad < f->nckpts - 1) {
        /* The latest root may still match: then the author signed both. */
        advance(f, &s, n);
        merkle_stream_root(&s, root);
        if (memcmp(root, f->ckpts[f->nckpts - 1].root, 32) == 0)
            return found_fork(a, f, &f->ckpts[first_bad], alt_of_bad);
    }
    uint64_t lo = first_bad > 0 ? f->ckpts[first_bad - 1].size : 0;
    uint64_t hi = f->ckpts[first_bad].size;
    f->state = FEED_BAD;
    audit_finding *x = audit__find(a, FIND_FAIL, f->record_off);
    if (x == NULL) return CF_ENOMEM;
    x->has_feed = true;
    memcpy(x->author, f->author, 32);
    x->has_index = hi > 0;
    x->index = lo;
    x->last = hi > 0 ? hi - 1 : 0;
    audit__say(x, _("entries do not hash to the root their author signed at size %" PRIu64
                  " (entries %" PRIu64 "..%" PRIu64 " differ from what was signed: changed, "
                  "removed, added or reordered)"),
               hi, lo, hi > 0 ? hi - 1 : 0);
    return CF_OK;
}
