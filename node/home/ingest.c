/* ingest.c — see ingest.h.
 *
 * Terms: m = entries held for the feed, n = the signed checkpoint's size.
 * Entries at indices < m must be the ones held (same leaf hash); the first
 * that differs means the author signed a different history: a fork. The
 * other tree ("theirs") is then our first `div` leaves followed by the
 * diverging ones, which are kept in memory — with their completed subtree
 * hashes — only to build the fork proof.
 */
#include "ingest.h"

#include <stdlib.h>
#include <string.h>

#include "bundle/ckpt.h"
#include "bundle/fork_proof.h"
#include "crypto/cf_error.h"
#include "crypto/cf_util.h"
#include "crypto/merkle.h"
#include "crypto/note.h"
#include "evidence_db.h"
#include "ledger/entry.h"
#include "state_kv.h"

_Static_assert(INGEST_PREFIX_PROOF_MAX == FORK_PROOF_HASHES_MAX,
               "a prefix proof fits a fork proof");

/* The diverging tree: completed subtree hashes, in the store's order
 * (by last leaf index, then height). */
typedef struct {
    uint64_t last_leaf;
    uint8_t level;
    uint8_t hash[32];
} node_rec;

typedef struct {
    store_txn *txn;
    const uint8_t *author;
    uint64_t div;      /* first diverging index */
    merkle_stream tree; /* their tree so far */
    node_rec *nodes;
    size_t nnodes, cap;
} their_tree;

static int ours_subtree(void *ctx, unsigned level, uint64_t index, uint8_t out[32])
{
    their_tree *t = ctx;
    return store_subtree(t->txn, t->author, level, index, out);
}

static int theirs_push(their_tree *t, const uint8_t leaf[32])
{
    uint8_t completed[65][32];
    unsigned nc;
    uint64_t i = t->tree.size;
    merkle_stream_push(&t->tree, leaf, completed, &nc);
    if (t->nnodes + nc > t->cap) {
        size_t cap = t->cap ? t->cap * 2 : 1024;
        while (cap < t->nnodes + nc) cap *= 2;
        node_rec *nn = realloc(t->nodes, cap * sizeof *nn);
        if (nn == NULL) return CF_ENOMEM;
        t->nodes = nn;
        t->cap = cap;
    }
    for (unsigned h = 0; h < nc; h++) {
        node_rec *r = &t->nodes[t->nnodes++];
        r->last_leaf = i;
        r->level = (uint8_t)h;
        memcpy(r->hash, completed[h], 32);
    }
    return CF_OK;
}

static int theirs_subtree(void *ctx, unsigned level, uint64_t index, uint8_t out[32])
{
    their_tree *t = ctx;
    uint64_t last = ((index + 1) << level) - 1;
    if (last < t->div) return store_subtree(t->txn, t->author, level, index, out);
    size_t lo = 0, hi = t->nnodes;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        const node_rec *r = &t->nodes[mid];
        if (r->last_leaf < last || (r->last_leaf == last && r->level < level))
            lo = mid + 1;
        else
            hi = mid;
    }
    if (lo == t->nnodes || t->nodes[lo].last_leaf != last || t->nodes[lo].level != level)
        return CF_ETREE_RANGE;
    memcpy(out, t->nodes[lo].hash, 32);
    return CF_OK;
}

/* Mark a feed forked: nothing more of it is stored or applied. */
static int freeze_feed(store_txn *txn, const uint8_t author[32], diag *d)
{
    store_feed f;
    int err = store_feed_get(txn, author, &f);
    if (err == CF_ENOTFOUND) f = (store_feed){.size = 0};
    else if (err) return diag_set(d, err, NULL, "reading the feed: %s", cf_strerror(err));
    err = store_feed_set_status(txn, author, f.applied, f.flags | STORE_FEED_FORKED);
    return err ? diag_set(d, err, NULL, "marking the feed forked: %s", cf_strerror(err)) : CF_OK;
}

/* Check a fork proof as a third party would, keep it and freeze the feed. */
static int store_fork(store_txn *txn, const uint8_t author[32], const fork_proof *fp,
                      bool *is_new, diag *d)
{
    fork_facts facts;
    int err = fork_proof_verify(fp, &facts, d);
    if (err) return err;
    uint8_t *buf = malloc(FORK_PROOF_BYTES_MAX);
    size_t len;
    if (buf == NULL) return diag_set(d, CF_ENOMEM, NULL, "out of memory");
    err = fork_proof_encode(fp, buf, FORK_PROOF_BYTES_MAX, &len);
    if (!err) err = evidence_fork_put(txn, author, buf, len, is_new);
    free(buf);
    if (err) return diag_set(d, err, NULL, "storing the fork proof: %s", cf_strerror(err));
    return freeze_feed(txn, author, d);
}

/* An unlocated fork proof (fork_proof.h) from checkpoint a (size a) and
 * checkpoint b (size b >= a) whose tree is reachable through (get, ctx); alt
 * = root of b's tree at size a. Made when only a checkpoint disagrees with
 * what is held: no entry of the other history is at hand. */
static int record_fork(store_txn *txn, const uint8_t author[32], const char *a,
                       size_t a_len, uint64_t size_a, const char *b, size_t b_len,
                       uint64_t size_b, merkle_subtree_fn get, void *ctx, bool *is_new, diag *d)
{
    fork_proof *fp = calloc(1, sizeof *fp);
    if (fp == NULL) return diag_set(d, CF_ENOMEM, NULL, "out of memory");
    *fp = (fork_proof){.a = a, .a_len = a_len, .b = b, .b_len = b_len};
    int err = merkle_root(get, ctx, size_a, fp->alt);
    if (!err && size_a < size_b)
        err = merkle_consistency_proof(get, ctx, size_a, size_b, fp->proof.h, &fp->proof.n);
    if (err) err = diag_set(d, err, NULL, "building the fork proof: %s", cf_strerror(err));
    else err = store_fork(txn, author, fp, is_new, d);
    free(fp);
    return err;
}

/* A located fork proof (fork_proof.h): the held history (checkpoint a of
 * size m, the store's tree) and theirs (checkpoint b of size n, held prefix
 * plus the diverging leaves in memory) part at t->div. */
static int record_located(store_txn *txn, const uint8_t author[32], their_tree *t,
                          const char *a, size_t a_len, uint64_t m, const char *b, size_t b_len,
                          uint64_t n, bool *is_new, diag *d)
{
    uint64_t p = t->div;
    fork_proof *fp = calloc(1, sizeof *fp);
    if (fp == NULL) return diag_set(d, CF_ENOMEM, NULL, "out of memory");
    *fp = (fork_proof){.a = a, .a_len = a_len, .b = b, .b_len = b_len, .located = true,
                       .point = p};
    int err = CF_OK;
    if (p == 0) {
        merkle_empty_root(fp->root);
    } else if ((err = store_root(txn, author, p, fp->root)) == CF_OK &&
               (err = merkle_consistency_proof(ours_subtree, t, p, m, fp->pa.h, &fp->pa.n)) ==
                   CF_OK) {
        err = merkle_consistency_proof(theirs_subtree, t, p, n, fp->pb.h, &fp->pb.n);
    }
    if (!err) err = store_leaf_get(txn, author, p, fp->la);
    if (!err) err = theirs_subtree(t, 0, p, fp->lb);
    if (!err) err = merkle_inclusion_proof(ours_subtree, t, p, m, fp->ia.h, &fp->ia.n);
    if (!err) err = merkle_inclusion_proof(theirs_subtree, t, p, n, fp->ib.h, &fp->ib.n);
    if (err) err = diag_set(d, err, NULL, "building the fork proof: %s", cf_strerror(err));
    else err = store_fork(txn, author, fp, is_new, d);
    free(fp);
    return err;
}

/* The latest checkpoint held for a feed of m > 0 stored entries: it must be
 * of size m. Points into the store: valid until the next write. */
static int held_latest(store_txn *txn, const uint8_t author[32], uint64_t m, const char **text,
                       size_t *len, const char *hex, diag *d)
{
    uint64_t size;
    int err = store_checkpoint_latest(txn, author, &size, text, len);
    if (err) return diag_set(d, err, NULL, "feed %s: %s", hex, cf_strerror(err));
    if (size != m)
        return diag_set(d, CF_ESTORE_CORRUPT, NULL,
                        "feed %s: latest checkpoint %llu but %llu entries", hex,
                        (unsigned long long)size, (unsigned long long)m);
    return CF_OK;
}

/* The sender's claim that the signed tree (cp) extends its root at `from`
 * (ingest.h): CF_OK to go on (*mismatch tells whether the sender's tree
 * differs from ours at `from`, a fork recorded — *forked: newly — when it
 * does), CF_EVERIFY, or a store error. */
static int check_prefix(store_txn *txn, const uint8_t author[32], const char *ckpt_text,
                        size_t ckpt_len, const checkpoint *cp, uint64_t from,
                        const ingest_prefix *prefix, const char *hex, bool *mismatch,
                        bool *forked, diag *d)
{
    uint8_t ours[32];
    const char *held;
    size_t held_len;
    *forked = *mismatch = false;
    if (prefix->nproof > INGEST_PREFIX_PROOF_MAX || (prefix->nproof > 0 && prefix->proof == NULL))
        return diag_set(d, CF_EVERIFY, NULL, "feed %s: a consistency proof of %zu hashes", hex,
                        prefix->nproof);
    int err = merkle_verify_consistency(from, cp->size, prefix->root, 32, cp->root, 32,
                                        prefix->proof, prefix->nproof * 32);
    if (err)
        return diag_set(d, CF_EVERIFY, NULL,
                        "feed %s: the proof that the signed tree of %llu extends the sender's "
                        "tree of %llu does not verify: %s",
                        hex, (unsigned long long)cp->size, (unsigned long long)from,
                        cf_strerror(err));
    if ((err = store_root(txn, author, from, ours)) != 0)
        return diag_set(d, err, NULL, "feed %s: %s", hex, cf_strerror(err));
    if (memcmp(ours, prefix->root, 32) == 0) return CF_OK;
    /* The author signed a tree whose first `from` entries are not ours. */
    *mismatch = true;
    err = store_checkpoint_get(txn, author, from, &held, &held_len);
    if (err == CF_ENOTFOUND)
        return diag_set(d, CF_EVERIFY, NULL,
                        "feed %s: the sender's tree differs from ours at size %llu, "
                        "where this home holds no checkpoint",
                        hex, (unsigned long long)from);
    if (err) return diag_set(d, err, NULL, "feed %s: %s", hex, cf_strerror(err));
    fork_proof *fp = calloc(1, sizeof *fp);
    if (fp == NULL) return diag_set(d, CF_ENOMEM, NULL, "out of memory");
    *fp = (fork_proof){.a = held, .a_len = held_len, .b = ckpt_text, .b_len = ckpt_len};
    fp->proof.n = prefix->nproof;
    memcpy(fp->alt, prefix->root, 32);
    if (prefix->nproof > 0) memcpy(fp->proof.h, prefix->proof, prefix->nproof * 32);
    err = store_fork(txn, author, fp, forked, d);
    free(fp);
    return err;
}

/* Store a checkpoint verified now and not held before, in its stored form
 * with its author's signature line only: cosignature lines enter through
 * ingest_cosigs, once they are checked. */
static int put_new_checkpoint(store_txn *txn, const uint8_t net[32], const uint8_t author[32],
                              uint64_t size, const char *ckpt_text, size_t ckpt_len)
{
    char origin[CKPT_ORIGIN_BYTES], out[CKPT_SIGNED_BYTES_MAX];
    size_t out_len, kept;
    note n;
    int err = note_parse(ckpt_text, ckpt_len, &n);
    if (err) return err;
    ckpt_origin(net, author, origin);
    int a = ckpt_author_sig(&n, origin, author);
    if (a < 0) return CF_EVERIFY; /* verified before: cannot happen */
    err = ckpt_assemble(n.text, n.text_len, n.sigs[a].line, n.sigs[a].line_len, NULL, 0, out,
                        sizeof out, &out_len, &kept);
    if (err) return err;
    return store_checkpoint_put(txn, author, size, out, out_len);
}

static int skip_entries(ingest_source *src, uint64_t count, diag *d)
{
    for (uint64_t i = 0; i < count; i++) {
        const uint8_t *bytes;
        size_t len;
        int err = src->next(src->arg, &bytes, &len, d);
        if (err) return err;
    }
    return CF_OK;
}

int ingest_feed(store_txn *txn, const uint8_t net[32], const uint8_t author[32],
                const char *ckpt_text, size_t ckpt_len, uint64_t from,
                const ingest_prefix *prefix, ingest_source *src, ingest_result *res, diag *d)
{
    checkpoint cp;
    store_feed feed;
    store_appender app;
    their_tree theirs = {.txn = txn, .author = author, .div = UINT64_MAX};
    uint8_t root[32];
    char hex[17];
    int err;

    memset(res, 0, sizeof *res);
    cf_hex_encode(author, 8, hex, sizeof hex);
    if ((err = ckpt_verify(ckpt_text, ckpt_len, net, author, &cp, d)) != 0) {
        diag_prefix(d, "feed %s", hex);
        return CF_EVERIFY;
    }
    uint64_t n = cp.size;
    if (from > n)
        return diag_set(d, CF_EVERIFY, NULL, "feed %s: entries from %llu under a checkpoint of %llu",
                        hex, (unsigned long long)from, (unsigned long long)n);
    err = store_feed_get(txn, author, &feed);
    if (err == CF_ENOTFOUND) feed = (store_feed){.size = 0};
    else if (err) return diag_set(d, err, NULL, "feed %s: %s", hex, cf_strerror(err));
    /* A forked feed takes nothing more; but the entries of another history
     * are still compared with the held ones, below the point its proof
     * states (all of them while no proof locates it): a history that parts
     * earlier — a third copy — moves the point down (fork_proof.h). */
    bool locate_only = false;
    if (feed.flags & STORE_FEED_FORKED) {
        const uint8_t *held_proof;
        size_t held_proof_len;
        err = evidence_fork_get(txn, author, &held_proof, &held_proof_len);
        if (err && err != CF_ENOTFOUND)
            return diag_set(d, err, NULL, "feed %s: %s", hex, cf_strerror(err));
        uint64_t point = err == CF_OK ? fork_proof_point(held_proof, held_proof_len) : 0;
        locate_only = from < point;
        if (!locate_only) {
            res->skipped = true;
            return skip_entries(src, n - from, d);
        }
    }
    uint64_t m = feed.size;
    if (from > m)
        return diag_set(d, CF_EVERIFY, NULL, "feed %s: entries from %llu but only %llu held",
                        hex, (unsigned long long)from, (unsigned long long)m);
    if (prefix != NULL && from > 0) {
        bool mismatch, forked;
        if ((err = check_prefix(txn, author, ckpt_text, ckpt_len, &cp, from, prefix, hex,
                                &mismatch, &forked, d)) != 0)
            return err;
        if (mismatch) {
            res->fork = forked;
            res->skipped = locate_only;
            return skip_entries(src, n - from, d);
        }
    }

    bool appending = false;
    for (uint64_t i = from; i < n; i++) {
        const uint8_t *bytes;
        size_t len;
        uint8_t leaf[32], ours[32];
        if ((err = src->next(src->arg, &bytes, &len, d)) != 0) goto out;
        if (len == 0 || len > ENTRY_BYTES_MAX) {
            err = diag_set(d, CF_EVERIFY, NULL, "feed %s: entry %llu has %zu bytes", hex,
                           (unsigned long long)i, len);
            goto out;
        }
        if (theirs.div == UINT64_MAX && i >= m) {
            if (locate_only) continue;
            if (!appending && (err = store_append_begin(txn, author, &app)) != 0) goto store_err;
            appending = true;
            if ((err = store_append(&app, bytes, len, NULL)) != 0) goto store_err;
            continue;
        }
        merkle_leaf_hash(bytes, len, leaf);
        if (theirs.div == UINT64_MAX) {
            if ((err = store_leaf_get(txn, author, i, ours)) != 0) goto store_err;
            if (memcmp(leaf, ours, 32) == 0) continue;
            theirs.div = i;
            if ((err = merkle_stream_load(&theirs.tree, ours_subtree, &theirs, i)) != 0)
                goto store_err;
        }
        if (i - theirs.div >= INGEST_FORK_ENTRIES_MAX) {
            err = diag_set(d, CF_EVERIFY, NULL,
                           "feed %s diverges from the held history at %llu for more than %u entries",
                           hex, (unsigned long long)theirs.div, INGEST_FORK_ENTRIES_MAX);
            goto out;
        }
        if ((err = theirs_push(&theirs, leaf)) != 0) goto store_err;
    }

    const char *held = NULL;
    size_t held_len = 0;
    if (m > 0 && (err = held_latest(txn, author, m, &held, &held_len, hex, d)) != 0) goto out;

    if (theirs.div != UINT64_MAX) {
        /* Their entries must match their signature before they prove anything. */
        merkle_stream_root(&theirs.tree, root);
        if (memcmp(root, cp.root, 32) != 0) {
            err = diag_set(d, CF_EVERIFY, NULL, "feed %s: entries do not hash to the signed root", hex);
            goto out;
        }
        err = record_located(txn, author, &theirs, held, held_len, m, ckpt_text, ckpt_len, n,
                             &res->fork, d);
        goto out;
    }
    if (locate_only) {
        res->skipped = true;
        goto out;
    }
    if (n > m) {
        if ((err = store_append_finish(&app, root)) != 0) goto store_err;
        if (memcmp(root, cp.root, 32) != 0) {
            err = diag_set(d, CF_EVERIFY, NULL, "feed %s: entries do not hash to the signed root", hex);
            goto out;
        }
        res->appended = n - m;
    } else if (n > 0) {
        if ((err = store_root(txn, author, n, root)) != 0) goto store_err;
        if (memcmp(root, cp.root, 32) != 0) {
            /* A signed tree that disagrees with the held one: a fork. The
             * held tree is the larger (or equal) one: alt is its root at n. */
            err = record_fork(txn, author, ckpt_text, ckpt_len, n, held, held_len, m,
                              ours_subtree, &theirs, &res->fork, d);
            goto out;
        }
    } else {
        goto out; /* an empty checkpoint says nothing */
    }
    const char *have;
    size_t have_len;
    err = store_checkpoint_get(txn, author, n, &have, &have_len);
    if (err == CF_ENOTFOUND) {
        err = put_new_checkpoint(txn, net, author, n, ckpt_text, ckpt_len);
        res->new_checkpoint = err == CF_OK;
    }
    if (err) goto store_err;
    goto out;

store_err:
    err = diag_set(d, err, NULL, "feed %s: %s", hex, cf_strerror(err));
out:
    free(theirs.nodes);
    return err;
}

int ingest_checkpoint(store_txn *txn, const uint8_t net[32], const uint8_t author[32],
                      const char *ckpt_text, size_t ckpt_len, ingest_result *res, diag *d)
{
    checkpoint cp;
    store_feed feed;
    uint8_t root[32];
    const char *have;
    size_t have_len;
    char hex[17];
    int err;

    memset(res, 0, sizeof *res);
    cf_hex_encode(author, 8, hex, sizeof hex);
    if (ckpt_verify(ckpt_text, ckpt_len, net, author, &cp, d) != CF_OK) {
        diag_prefix(d, "feed %s", hex);
        return CF_EVERIFY;
    }
    err = store_feed_get(txn, author, &feed);
    if (err == CF_ENOTFOUND) feed = (store_feed){.size = 0};
    else if (err) return diag_set(d, err, NULL, "feed %s: %s", hex, cf_strerror(err));
    if (feed.flags & STORE_FEED_FORKED) {
        res->skipped = true;
        return CF_OK;
    }
    if (cp.size == 0) return CF_OK; /* an empty checkpoint says nothing */
    if (cp.size > feed.size) {
        res->ahead = true;
        return CF_OK;
    }
    if ((err = store_root(txn, author, cp.size, root)) != 0)
        return diag_set(d, err, NULL, "feed %s: %s", hex, cf_strerror(err));
    if (memcmp(root, cp.root, 32) != 0) {
        /* Signed, but not the held tree at its size: a fork. The held tree
         * is the larger (or equal) one: alt is its root at cp.size. */
        const char *held;
        size_t held_len;
        their_tree ours = {.txn = txn, .author = author, .div = UINT64_MAX};
        if ((err = held_latest(txn, author, feed.size, &held, &held_len, hex, d)) != 0) return err;
        err = record_fork(txn, author, ckpt_text, ckpt_len, cp.size, held, held_len, feed.size,
                          ours_subtree, &ours, &res->fork, d);
        return err;
    }
    err = store_checkpoint_get(txn, author, cp.size, &have, &have_len);
    if (err == CF_ENOTFOUND) {
        err = put_new_checkpoint(txn, net, author, cp.size, ckpt_text, ckpt_len);
        res->new_checkpoint = err == CF_OK;
    }
    return err ? diag_set(d, err, NULL, "feed %s: %s", hex, cf_strerror(err)) : CF_OK;
}

int ingest_fork_proof_check(const uint8_t net[32], const uint8_t *proof, size_t len,
                            uint8_t author[32], diag *d)
{
    fork_proof fp;
    fork_facts facts;
    int err;
    if ((err = fork_proof_decode(proof, len, &fp, d)) != 0) return err;
    if ((err = fork_proof_verify(&fp, &facts, d)) != 0) return err;
    if (memcmp(facts.net8, net, 8) != 0)
        return diag_set(d, CF_EWRONG_NETWORK, NULL, "fork proof for another network");
    memcpy(author, facts.author, 32);
    return CF_OK;
}

int ingest_fork_proof_store(store_txn *txn, const uint8_t author[32], const uint8_t *proof,
                            size_t len, bool *is_new, diag *d)
{
    int err;
    *is_new = false;
    if ((err = evidence_fork_put(txn, author, proof, len, is_new)) != 0)
        return diag_set(d, err, NULL, "storing the fork proof: %s", cf_strerror(err));
    return freeze_feed(txn, author, d);
}

int ingest_fork_proof(store_txn *txn, const uint8_t net[32], const uint8_t *proof,
                      size_t len, uint8_t author[32], bool *is_new, diag *d)
{
    int err;
    *is_new = false;
    if ((err = ingest_fork_proof_check(net, proof, len, author, d)) != 0) return err;
    return ingest_fork_proof_store(txn, author, proof, len, is_new, d);
}
