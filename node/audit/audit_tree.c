/* audit_tree.c — pass 1's hashing: entries' leaf hashes on a helper thread
 * while the reader goes on, then every feed's roots at each of its
 * checkpoints' sizes (audit_internal.h).
 *
 * The hasher double-buffers: the reader fills one batch (copies of entry
 * bytes and where each leaf hash goes) while the helper hashes the other.
 * Each leaf's destination is fixed before it is hashed and nothing is
 * reordered, so the result is the same with or without the thread.
 */
#include <inttypes.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include "audit_internal.h"
#include "cf_error.h"
#include "cf_util.h"
#include "evidence.h"
#include "merkle.h"

/* A batch holds up to 4 MiB of entries (at least 256 of the largest) or
 * 32,768 entries: large enough that handing it over costs nothing, small
 * enough that two fit any machine. */
#define BATCH_BYTES (4u << 20)
#define BATCH_ITEMS 32768u

typedef struct {
    uint8_t *dst;
    size_t off, len;
} batch_item;

typedef struct {
    uint8_t *bytes;
    size_t used;
    batch_item *items;
    size_t n;
} batch;

struct audit_hasher {
    bool threaded;
    pthread_t thread;
    pthread_mutex_t mu;
    pthread_cond_t cv;
    batch b[2];
    int fill;      /* the batch the reader fills */
    int submitted; /* the batch the helper hashes; -1: none */
    bool quit;
};

static void hash_batch(batch *b)
{
    for (size_t i = 0; i < b->n; i++)
        merkle_leaf_hash(b->bytes + b->items[i].off, b->items[i].len, b->items[i].dst);
    b->n = 0;
    b->used = 0;
}

static void *helper(void *arg)
{
    audit_hasher *h = arg;
    pthread_mutex_lock(&h->mu);
    for (;;) {
        while (h->submitted < 0 && !h->quit) pthread_cond_wait(&h->cv, &h->mu);
        if (h->submitted < 0) break;
        batch *b = &h->b[h->submitted];
        pthread_mutex_unlock(&h->mu);
        hash_batch(b);
        pthread_mutex_lock(&h->mu);
        h->submitted = -1;
        pthread_cond_broadcast(&h->cv);
    }
    pthread_mutex_unlock(&h->mu);
    return NULL;
}

int audit__hasher_new(unsigned threads, audit_hasher **out)
{
    audit_hasher *h = calloc(1, sizeof *h);
    if (h == NULL) return CF_ENOMEM;
    h->submitted = -1;
    if (threads == 0) {
        *out = h;
        return CF_OK;
    }
    for (int i = 0; i < 2; i++) {
        h->b[i].bytes = malloc(BATCH_BYTES);
        h->b[i].items = malloc(BATCH_ITEMS * sizeof *h->b[i].items);
        if (h->b[i].bytes == NULL || h->b[i].items == NULL) {
            audit__hasher_free(h);
            return CF_ENOMEM;
        }
    }
    pthread_mutex_init(&h->mu, NULL);
    pthread_cond_init(&h->cv, NULL);
    if (pthread_create(&h->thread, NULL, helper, h) != 0) {
        pthread_mutex_destroy(&h->mu);
        pthread_cond_destroy(&h->cv);
        free(h->b[0].bytes), free(h->b[0].items), free(h->b[1].bytes), free(h->b[1].items);
        free(h);
        return CF_ENOMEM;
    }
    h->threaded = true;
    *out = h;
    return CF_OK;
}

/* Hand the batch being filled to the helper (after it finished the other
 * one), and fill the other. */
static void submit(audit_hasher *h)
{
    pthread_mutex_lock(&h->mu);
    while (h->submitted >= 0) pthread_cond_wait(&h->cv, &h->mu);
    h->submitted = h->fill;
    pthread_cond_broadcast(&h->cv);
    pthread_mutex_unlock(&h->mu);
    h->fill ^= 1;
}

int audit__hasher_add(audit_hasher *h, uint8_t dst[32], const uint8_t *bytes, size_t len)
{
    if (!h->threaded) {
        merkle_leaf_hash(bytes, len, dst);
        return CF_OK;
    }
    if (len > BATCH_BYTES) return CF_EINVAL; /* entries are at most 16 KiB */
    batch *b = &h->b[h->fill];
    if (b->n == BATCH_ITEMS || BATCH_BYTES - b->used < len) {
        submit(h);
        b = &h->b[h->fill];
    }
    memcpy(b->bytes + b->used, bytes, len);
    b->items[b->n++] = (batch_item){dst, b->used, len};
    b->used += len;
    return CF_OK;
}

int audit__hasher_sync(audit_hasher *h)
{
    if (h == NULL || !h->threaded) return CF_OK;
    if (h->b[h->fill].n > 0) submit(h);
    pthread_mutex_lock(&h->mu);
    while (h->submitted >= 0) pthread_cond_wait(&h->cv, &h->mu);
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
    for (int i = 0; i < 2; i++) {
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
    if (err == CF_OK && n <= 64) {
        memcpy(fp.proof, proof, n * 32);
        fp.nproof = n;
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
    if (err == CF_OK)
        audit__say(x, "found by the audit: checkpoint %" PRIu64 " (K record) against %" PRIu64
                      " (feed record); fork proof checked",
                   k->size, latest->size);
    else
        audit__say(x, "found by the audit: checkpoint %" PRIu64 " (K record) against %" PRIu64
                      " (feed record)", k->size, latest->size);
    return CF_OK;
}

int audit__check_tree(audit *a, audit_feed *f)
{
    merkle_stream s;
    uint8_t root[32], completed[65][32];
    unsigned nc;
    uint64_t n = f->size - f->from;
    size_t k = 0, first_bad = SIZE_MAX;
    static uint8_t alt_of_bad[32];
    merkle_stream_init(&s);
    /* Checkpoints are by increasing size (K records, then the F record). */
    for (uint64_t i = 0; i <= n; i++) {
        while (k < f->nckpts && f->ckpts[k].size == s.size) {
            merkle_stream_root(&s, root);
            if (memcmp(root, f->ckpts[k].root, 32) != 0 && first_bad == SIZE_MAX) {
                first_bad = k;
                memcpy(alt_of_bad, root, 32);
            }
            k++;
        }
        if (i < n) merkle_stream_push(&s, audit__leaf(f, i), completed, &nc);
    }
    if (k != f->nckpts) /* the reader bounds K sizes below the F size */
        return CF_EINVAL;
    if (first_bad == SIZE_MAX) return CF_OK;
    if (first_bad < f->nckpts - 1) {
        /* The latest root may still match: then the author signed both. */
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
    audit__say(x, "entries do not hash to the root their author signed at size %" PRIu64
                  " (entries %" PRIu64 "..%" PRIu64 " differ from what was signed: changed, "
                  "removed, added or reordered)",
               hi, lo, hi > 0 ? hi - 1 : 0);
    return CF_OK;
}
