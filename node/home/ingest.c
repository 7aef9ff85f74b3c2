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
_Static_assert(INGEST_WITNESSES <= CKPT_COSIGS_MAX, "every witness's line is kept");

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

/* ---- cosignatures ---------------------------------------------------------- */

/* Where a line of a merge came from (ckpt_cosig.tag). */
enum { FROM_HELD, FROM_PEER, FROM_SELF };

/* The key of a line named after the origin of a member other than the
 * author; false for any other line. Nothing is verified. */
static bool other_member(const ledger_kv *kv, const uint8_t net[32], const uint8_t author[32],
                         const note_sig *s, uint8_t key[32])
{
    return ckpt_origin_key(net, s->name, s->name_len, key) && memcmp(key, author, 32) != 0 &&
           state_is_member(kv, key);
}

static bool is_cosig_id(const note_sig *s, const uint8_t key[32])
{
    return s->key_id == note_key_id(s->name, s->name_len, NOTE_SIGTYPE_COSIG_V1, key);
}

static bool same_line(const note_sig *s, const char *line, size_t len)
{
    return s->line_len == len && memcmp(s->line, line, len) == 0;
}

/* ---- who witnesses a feed (ingest.h, INGEST_WITNESSES) ---------------------- */

/* A member's rank for author's feed: SHA-256 over a label, the author and
 * the member's key. The INGEST_WITNESSES open members other than the author
 * with the smallest ranks witness it. */
static void witness_rank(const uint8_t author[32], const uint8_t key[32], uint8_t out[32])
{
    static const char label[] = "cofund/witness\n";
    cf_sha256_ctx c;
    cf_sha256_init(&c);
    cf_sha256_update(&c, label, sizeof label - 1);
    cf_sha256_update(&c, author, 32);
    cf_sha256_update(&c, key, 32);
    cf_sha256_final(&c, out);
}

struct witness_scan {
    const uint8_t *author, *key;
    uint8_t rank[32];
    unsigned before; /* open members other than the author ranked before key */
    bool open;       /* key is an open member's */
};

/* A positive return stops the scan: key is not among the witnesses. */
static int witness_visit(void *arg, const state_member *mb)
{
    struct witness_scan *w = arg;
    uint8_t r[32];
    if (mb->closed || memcmp(mb->key, w->author, 32) == 0) return CF_OK;
    if (memcmp(mb->key, w->key, 32) == 0) {
        w->open = true;
        return CF_OK;
    }
    witness_rank(w->author, mb->key, r);
    if (memcmp(r, w->rank, 32) < 0 && ++w->before >= INGEST_WITNESSES) return 1;
    return CF_OK;
}

bool ingest_is_witness(const ledger_kv *kv, const uint8_t author[32], const uint8_t key[32])
{
    struct witness_scan w = {.author = author, .key = key};
    if (memcmp(author, key, 32) == 0) return false;
    witness_rank(author, key, w.rank);
    return state_members_each(kv, witness_visit, &w) == CF_OK && w.open;
}

void ingest_witness_cache_free(ingest_witness_cache *c)
{
    free(c->e);
    memset(c, 0, sizeof *c);
}

/* The members as of kv, as a stamp: the governance key, its base and the
 * entries of it applied (members change only by governance entries). */
static bool members_stamp(const ledger_kv *kv, uint8_t out[32])
{
    state_network net;
    state_tip tip;
    uint8_t buf[32 + 16];
    if (state_network_get(kv, &net) != CF_OK) return false;
    if (state_tip_get(kv, net.gov_key, &tip) != CF_OK) tip.applied = 0;
    memcpy(buf, net.gov_key, 32);
    cf_put_be64(buf + 32, net.gov_base);
    cf_put_be64(buf + 40, tip.applied);
    cf_sha256(buf, sizeof buf, out);
    return true;
}

/* ingest_is_witness through the cosigner's cache, when it has one. */
static bool is_witness(const ledger_kv *kv, const ingest_cosigner *me, const uint8_t author[32])
{
    ingest_witness_cache *c = me->witnesses;
    uint8_t stamp[32];
    if (c == NULL || !members_stamp(kv, stamp)) return ingest_is_witness(kv, author, me->kp->pk);
    if (!c->valid || memcmp(c->stamp, stamp, 32) != 0) {
        c->n = 0;
        memcpy(c->stamp, stamp, 32);
        c->valid = true;
    }
    size_t lo = 0, hi = c->n;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        int cmp = memcmp(c->e[mid].author, author, 32);
        if (cmp == 0) return c->e[mid].yes;
        if (cmp < 0) lo = mid + 1;
        else hi = mid;
    }
    bool yes = ingest_is_witness(kv, author, me->kp->pk);
    if (c->n == c->cap) {
        size_t cap = c->cap ? c->cap * 2 : 64;
        struct ingest_witness_decision *ne = realloc(c->e, cap * sizeof *ne);
        if (ne == NULL) return yes; /* not remembered */
        c->e = ne;
        c->cap = cap;
    }
    memmove(&c->e[lo + 1], &c->e[lo], (c->n - lo) * sizeof *c->e);
    memcpy(c->e[lo].author, author, 32);
    c->e[lo].yes = yes;
    c->n++;
    return yes;
}

/* A merge into the held checkpoint of one size. */
typedef struct {
    store_txn *txn;
    ledger_kv kv;
    const uint8_t *net, *author;
    const ingest_cosigner *me;
    ingest_cosig_result *res;
    diag *d;
    char held[CKPT_SIGNED_BYTES_MAX], out[CKPT_SIGNED_BYTES_MAX];
    char own[NOTE_SIG_LINE_BYTES_MAX];
    note hn;      /* the held checkpoint, parsed (into held) */
    note one;     /* one incoming line, for note_verify_cosig */
    ckpt_cosig cs[2 * NOTE_SIGS_MAX + 1];
    size_t ncs;
} merge_job;

/* The incoming lines worth keeping: new here, by another member, valid. */
static void take_incoming(merge_job *m, const note *in, int in_author)
{
    ingest_cosig_result *res = m->res;
    for (size_t i = 0; i < in->nsigs; i++) {
        const note_sig *s = &in->sigs[i];
        uint8_t key[32];
        uint64_t ts;
        bool known = false;
        if ((int)i == in_author) continue;
        for (size_t k = 0; k < m->ncs && !known; k++)
            known = same_line(s, m->cs[k].line, m->cs[k].line_len);
        if (known) continue; /* stored already (or repeated): verified once */
        if (!other_member(&m->kv, m->net, m->author, s, key)) {
            res->ignored++;
            continue;
        }
        m->one = *in;
        m->one.nsigs = 1;
        m->one.sigs[0] = *s;
        if (!is_cosig_id(s, key) || note_verify_cosig(&m->one, s->name, s->name_len, key, &ts)) {
            if (res->forged++ == 0) memcpy(res->forged_key, key, 32);
            continue;
        }
        m->cs[m->ncs++] = (ckpt_cosig){.time_s = ts, .line = s->line, .line_len = s->line_len,
                                       .tag = FROM_PEER};
        memcpy(m->cs[m->ncs - 1].key, key, 32);
    }
}

/* Merge in's lines (optional; its text is the held one's) into the held
 * checkpoint of `size`, add ours when `witness`, and store the result when
 * it differs. */
static int merge_held(merge_job *m, uint64_t size, const note *in, bool witness)
{
    ingest_cosig_result *res = m->res;
    char origin[CKPT_ORIGIN_BYTES], hex[17];
    const char *p;
    size_t held_len, out_len, kept;
    int err;
    cf_hex_encode(m->author, 8, hex, sizeof hex);
    if ((err = store_checkpoint_get(m->txn, m->author, size, &p, &held_len)) != 0)
        return diag_set(m->d, err, NULL, "feed %s: %s", hex, cf_strerror(err));
    ckpt_origin(m->net, m->author, origin);
    int a = -1;
    if (held_len <= sizeof m->held) {
        memcpy(m->held, p, held_len);
        if (note_parse(m->held, held_len, &m->hn) == CF_OK)
            a = ckpt_author_sig(&m->hn, origin, m->author);
    }
    if (a < 0)
        return diag_set(m->d, CF_ESTORE_CORRUPT, NULL,
                        "feed %s: the stored checkpoint of size %llu is not signed by its author",
                        hex, (unsigned long long)size);
    if (in && (in->text_len != m->hn.text_len || memcmp(in->text, m->hn.text, in->text_len)))
        return CF_OK; /* another tree of that size: a fork, for ingest to find */
    res->held = true;
    /* What is stored stays, if by another member still (their lines were
     * verified when they were stored). */
    m->ncs = 0;
    for (size_t i = 0; i < m->hn.nsigs; i++) {
        const note_sig *s = &m->hn.sigs[i];
        uint8_t key[32];
        if ((int)i == a) continue;
        if (!other_member(&m->kv, m->net, m->author, s, key) || !is_cosig_id(s, key) ||
            s->sig_len != 8 + 64)
            continue;
        m->cs[m->ncs++] = (ckpt_cosig){.time_s = cf_get_be64(s->sig), .line = s->line,
                                       .line_len = s->line_len, .tag = FROM_HELD};
        memcpy(m->cs[m->ncs - 1].key, key, 32);
    }
    if (in) take_incoming(m, in, ckpt_author_sig(in, origin, m->author));
    if (witness) {
        const keyfile_keypair *kp = m->me->kp;
        bool have = false;
        for (size_t k = 0; k < m->ncs; k++) have |= memcmp(m->cs[k].key, kp->pk, 32) == 0;
        /* A stored form that is full keeps its earlier lines, never a new
         * one of ours: signing it would be lost work, again at every merge. */
        if (!have && m->ncs < CKPT_COSIGS_MAX) {
            size_t len;
            if ((err = ckpt_cosign(&m->hn, m->net, kp->sk, m->me->time_s, m->own, sizeof m->own,
                                   &len)) != 0)
                return diag_set(m->d, err, NULL, "feed %s: cosigning: %s", hex, cf_strerror(err));
            m->cs[m->ncs++] = (ckpt_cosig){.time_s = m->me->time_s, .line = m->own,
                                           .line_len = len, .tag = FROM_SELF};
            memcpy(m->cs[m->ncs - 1].key, kp->pk, 32);
        }
    }
    err = ckpt_assemble(m->hn.text, m->hn.text_len, m->hn.sigs[a].line, m->hn.sigs[a].line_len,
                        m->cs, m->ncs, m->out, sizeof m->out, &out_len, &kept);
    if (err) return diag_set(m->d, err, NULL, "feed %s: %s", hex, cf_strerror(err));
    for (size_t k = 0; k < kept; k++) {
        res->merged += m->cs[k].tag == FROM_PEER;
        res->witnessed |= m->cs[k].tag == FROM_SELF;
    }
    if (out_len == held_len && memcmp(m->out, m->held, held_len) == 0) return CF_OK;
    if ((err = store_checkpoint_put(m->txn, m->author, size, m->out, out_len)) != 0)
        return diag_set(m->d, err, NULL, "feed %s: %s", hex, cf_strerror(err));
    res->changed = true;
    return CF_OK;
}

/* Whether ckpt's text and first signature line are, byte for byte, those of
 * the checkpoint of its size held here — whose first line is its author's
 * signature, verified before it was stored (put_new_checkpoint; the stored
 * form keeps it first, ckpt_assemble). *cp: its parsed text then. */
static bool held_prefix(store_txn *txn, const uint8_t author[32], const char *ckpt, size_t len,
                        checkpoint *cp)
{
    size_t text_len = 0, pre = 0;
    for (size_t i = 0; i + 1 < len && text_len == 0; i++)
        if (ckpt[i] == '\n' && ckpt[i + 1] == '\n') text_len = i + 1;
    for (size_t i = text_len + 1; text_len > 0 && i < len && pre == 0; i++)
        if (ckpt[i] == '\n') pre = i + 1;
    const char *held;
    size_t held_len;
    return pre > 0 && checkpoint_parse(ckpt, text_len, cp) == CF_OK &&
           store_checkpoint_get(txn, author, cp->size, &held, &held_len) == CF_OK &&
           held_len >= pre && memcmp(held, ckpt, pre) == 0;
}

/* ingest_cosigs on a job whose txn, kv, net, me and d are set. */
static int cosigs(merge_job *m, const uint8_t author[32], const char *ckpt, size_t ckpt_len)
{
    checkpoint cp;
    store_feed feed;
    note *in = NULL;
    char hex[17];
    int err;
    memset(m->res, 0, sizeof *m->res);
    m->author = author;
    cf_hex_encode(author, 8, hex, sizeof hex);
    if (ckpt) {
        /* A checkpoint whose text and author's line are those held here
         * was verified when it was stored: only its other lines are new. */
        if (!held_prefix(m->txn, author, ckpt, ckpt_len, &cp) &&
            ckpt_verify(ckpt, ckpt_len, m->net, author, &cp, m->d) != CF_OK) {
            diag_prefix(m->d, "feed %s", hex);
            return CF_EVERIFY;
        }
        if ((in = malloc(sizeof *in)) == NULL) return diag_set(m->d, CF_ENOMEM, NULL, "out of memory");
        if ((err = note_parse(ckpt, ckpt_len, in)) != 0) goto out; /* verified: cannot fail */
    }
    err = store_feed_get(m->txn, author, &feed);
    if (err == CF_ENOTFOUND) {
        err = CF_OK;
        goto out;
    }
    if (err) {
        err = diag_set(m->d, err, NULL, "feed %s: %s", hex, cf_strerror(err));
        goto out;
    }
    uint64_t size = ckpt ? cp.size : feed.size;
    m->res->size = size;
    if ((feed.flags & STORE_FEED_FORKED) || size == 0 || size > feed.size) goto out;
    const char *p;
    size_t len;
    if ((err = store_checkpoint_get(m->txn, author, size, &p, &len)) == CF_ENOTFOUND) {
        err = CF_OK; /* an earlier checkpoint this home never held */
        goto out;
    }
    if (err) {
        err = diag_set(m->d, err, NULL, "feed %s: %s", hex, cf_strerror(err));
        goto out;
    }
    /* A member witnesses other members' feeds only (a non-member's feed a
     * home stored before this was refused is not vouched for). */
    bool witness = m->me != NULL && size == feed.size &&
                   memcmp(m->me->kp->pk, author, 32) != 0 && state_is_member(&m->kv, author) &&
                   is_witness(&m->kv, m->me, author);
    err = merge_held(m, size, in, witness);
out:
    free(in);
    return err;
}

static merge_job *merge_new(store_txn *txn, const uint8_t net[32], const ingest_cosigner *me,
                            ingest_cosig_result *res, diag *d)
{
    merge_job *m = malloc(sizeof *m);
    if (m == NULL) return NULL;
    m->txn = txn;
    state_kv_init(&m->kv, txn);
    m->net = net;
    m->me = me;
    m->res = res;
    m->d = d;
    return m;
}

int ingest_cosigs(store_txn *txn, const uint8_t net[32], const uint8_t author[32],
                  const char *ckpt, size_t ckpt_len, const ingest_cosigner *me,
                  ingest_cosig_result *res, diag *d)
{
    if (txn == NULL || net == NULL || author == NULL || res == NULL ||
        (me != NULL && me->kp == NULL))
        return diag_set(d, CF_EINVAL, NULL, "ingest_cosigs: bad arguments");
    merge_job *m = merge_new(txn, net, me, res, d);
    if (m == NULL) return diag_set(d, CF_ENOMEM, NULL, "out of memory");
    int err = cosigs(m, author, ckpt, ckpt_len);
    free(m);
    return err;
}

struct authors {
    uint8_t (*keys)[32];
    size_t n, cap;
};

static int collect_author(void *arg, const store_feed *f)
{
    struct authors *a = arg;
    if ((f->flags & STORE_FEED_FORKED) || f->size == 0) return CF_OK;
    if (a->n == a->cap) {
        size_t cap = a->cap ? a->cap * 2 : 64;
        uint8_t(*nk)[32] = realloc(a->keys, cap * sizeof *nk);
        if (nk == NULL) return CF_ENOMEM;
        a->keys = nk;
        a->cap = cap;
    }
    memcpy(a->keys[a->n++], f->author, 32);
    return CF_OK;
}

int ingest_witness_all(store_txn *txn, const uint8_t net[32], const ingest_cosigner *me,
                       uint64_t *witnessed, diag *d)
{
    struct authors a = {0};
    ingest_cosig_result res;
    merge_job *m = NULL;
    int err = CF_OK;
    *witnessed = 0;
    if (me == NULL || me->kp == NULL) return CF_OK;
    if ((m = merge_new(txn, net, me, &res, d)) == NULL) {
        err = diag_set(d, CF_ENOMEM, NULL, "out of memory");
        goto out;
    }
    /* Only a member witnesses; the feeds first, then the writes. */
    if (!state_is_member(&m->kv, me->kp->pk)) goto out;
    if ((err = store_feeds_each(txn, collect_author, &a)) != 0) {
        err = diag_set(d, err, NULL, "reading the feeds: %s", cf_strerror(err));
        goto out;
    }
    for (size_t i = 0; i < a.n && err == CF_OK; i++) {
        if (memcmp(a.keys[i], me->kp->pk, 32) == 0) continue;
        err = cosigs(m, a.keys[i], NULL, 0);
        *witnessed += res.witnessed;
    }
out:
    free(a.keys);
    free(m);
    return err;
}

unsigned ingest_witnesses(const ledger_kv *kv, const uint8_t net[32], const uint8_t author[32],
                          const char *ckpt, size_t ckpt_len)
{
    uint8_t seen[NOTE_SIGS_MAX][32];
    unsigned count = 0;
    note *n = malloc(sizeof *n);
    if (n == NULL || note_parse(ckpt, ckpt_len, n) != CF_OK) {
        free(n);
        return 0;
    }
    for (size_t i = 0; i < n->nsigs; i++) {
        uint8_t key[32];
        bool dup = false;
        if (!other_member(kv, net, author, &n->sigs[i], key) || !is_cosig_id(&n->sigs[i], key))
            continue;
        for (unsigned k = 0; k < count; k++) dup |= memcmp(seen[k], key, 32) == 0;
        if (!dup) memcpy(seen[count++], key, 32);
    }
    free(n);
    return count;
}
