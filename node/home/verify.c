/* verify.c — see verify.h. */
#include "verify.h"

#include <stdlib.h>
#include <string.h>

#include "bundle/ckpt.h"
#include "crypto/cf_error.h"
#include "crypto/cf_util.h"
#include "crypto/merkle.h"
#include "ledger/entry.h"
#include "ledger/rules.h"
#include "state_kv.h"

typedef struct {
    uint64_t size;
    const char *note; /* into the read transaction's map */
    size_t len;
} held_ckpt;

struct feed_job {
    store_txn *txn;
    ledger_kv kv;
    const state_network *net;
    verify_result *res;
    verify_progress_fn progress;
    void *arg;
    uint64_t total;
    diag *d;
    /* per feed */
    const store_feed *feed;
    uint64_t applied;
    char label[ENTRY_ID_BYTES_MAX + 1];
    merkle_stream tree;
    held_ckpt *ckpts;
    size_t nckpts, cap, next_ckpt;
};

static int collect_ckpt(void *arg, uint64_t size, const char *text, size_t len)
{
    struct feed_job *j = arg;
    if (j->nckpts == j->cap) {
        size_t cap = j->cap ? j->cap * 2 : 16;
        held_ckpt *nc = realloc(j->ckpts, cap * sizeof *nc);
        if (nc == NULL) return CF_ENOMEM;
        j->ckpts = nc;
        j->cap = cap;
    }
    j->ckpts[j->nckpts++] = (held_ckpt){size, text, len};
    return CF_OK;
}

static int bad(struct feed_job *j, uint64_t index, const char *what, const char *detail)
{
    return diag_set(j->d, CF_ESTORE_CORRUPT, NULL, "feed %s index %llu: %s%s%s", j->label,
                    (unsigned long long)index, what, detail ? ": " : "", detail ? detail : "");
}

/* Compare the recomputed root with every checkpoint of the current size. */
static int check_checkpoints(struct feed_job *j)
{
    uint8_t root[32], stored[32];
    while (j->next_ckpt < j->nckpts && j->ckpts[j->next_ckpt].size == j->tree.size) {
        const held_ckpt *c = &j->ckpts[j->next_ckpt++];
        checkpoint cp;
        diag why;
        if (ckpt_verify(c->note, c->len, j->net->net, j->feed->author, &cp, &why) != CF_OK)
            return bad(j, c->size - 1, "checkpoint", why.text);
        if (cp.size != c->size) return bad(j, c->size - 1, "checkpoint stored under the wrong size", NULL);
        merkle_stream_root(&j->tree, root);
        if (memcmp(root, cp.root, 32) != 0)
            return bad(j, c->size - 1, "entries do not hash to the signed root", NULL);
        int err = store_root(j->txn, j->feed->author, c->size, stored);
        if (err) return bad(j, c->size - 1, "stored Merkle nodes", cf_strerror(err));
        if (memcmp(stored, root, 32) != 0)
            return bad(j, c->size - 1, "stored Merkle nodes disagree with the entries", NULL);
        j->res->checkpoints++;
    }
    return CF_OK;
}

static int check_entry(void *arg, uint64_t index, const uint8_t *bytes, size_t len)
{
    struct feed_job *j = arg;
    uint8_t leaf[32], stored[32], completed[65][32];
    unsigned nc;
    merkle_leaf_hash(bytes, len, leaf);
    int err = store_leaf_get(j->txn, j->feed->author, index, stored);
    if (err) return bad(j, index, "stored leaf hash", cf_strerror(err));
    if (memcmp(leaf, stored, 32) != 0) return bad(j, index, "entry does not match its stored leaf hash", NULL);
    if (index < j->applied) {
        entry e;
        diag why;
        if (entry_decode(bytes, len, &e, &why) != CF_OK) return bad(j, index, "R-ENV", why.text);
        if (memcmp(e.author, j->feed->author, 32) != 0) return bad(j, index, "R-ENV", "author is not the feed's");
        if (e.index != index) return bad(j, index, "R-ENV", "index does not match its position");
        if (e.type == ENTRY_GENESIS ? memcmp(leaf, j->net->net, 32) != 0
                                    : memcmp(e.net, j->net->net, 32) != 0)
            return bad(j, index, "R-ENV", "entry is not of this network");
    }
    merkle_stream_push(&j->tree, leaf, completed, &nc);
    j->res->entries++;
    if (j->progress && j->res->entries % 65536 == 0) j->progress(j->arg, j->res->entries, j->total);
    return check_checkpoints(j);
}

static int verify_feed(void *arg, const store_feed *f)
{
    struct feed_job *j = arg;
    state_tip tip;
    int err;
    j->feed = f;
    j->nckpts = j->next_ckpt = 0;
    merkle_stream_init(&j->tree);
    ledger_member_label(&j->kv, f->author, j->label, sizeof j->label);
    if ((err = state_tip_get(&j->kv, f->author, &tip)) != 0) return err;
    j->applied = tip.applied;
    if ((err = store_checkpoints_each(j->txn, f->author, collect_ckpt, j)) != 0) return err;
    if (f->size > 0 && (j->nckpts == 0 || j->ckpts[j->nckpts - 1].size != f->size))
        return bad(j, f->size - 1, "no signed checkpoint covers the stored entries", NULL);
    if ((err = store_entries_each(j->txn, f->author, 0, f->size, check_entry, j)) != 0)
        return err;
    if (j->next_ckpt != j->nckpts)
        return bad(j, f->size, "checkpoint beyond the stored entries", NULL);
    j->res->feeds++;
    return CF_OK;
}

static int count_entries(void *arg, const store_feed *f)
{
    *(uint64_t *)arg += f->size;
    return CF_OK;
}

int node_verify(home *h, verify_result *res, verify_progress_fn progress, void *arg, diag *d)
{
    store_txn *txn;
    state_network net;
    int err;
    memset(res, 0, sizeof *res);
    diag_clear(d);
    if ((err = store_read_begin(h->st, &txn)) != 0)
        return diag_set(d, err, NULL, "cannot read the store: %s", cf_strerror(err));
    struct feed_job j = {.txn = txn, .net = &net, .res = res, .progress = progress,
                         .arg = arg, .d = d};
    state_kv_init(&j.kv, txn);
    err = state_network_get(&j.kv, &net);
    if (err == CF_ENOTFOUND) {
        err = CF_OK; /* nothing held yet: nothing to verify */
        goto out;
    }
    if (err) goto out;
    if ((err = store_feeds_each(txn, count_entries, &j.total)) != 0) goto out;
    err = store_feeds_each(txn, verify_feed, &j);
out:
    free(j.ckpts);
    store_read_end(txn);
    if (err && d->code == CF_OK) diag_set(d, err, NULL, "verify: %s", cf_strerror(err));
    /* What verify cannot read or finds wrong is the store's damage, except
     * for a machine short of memory or a failing disk. */
    if (err && err != CF_ENOMEM && err != CF_EIO) d->code = err = CF_ESTORE_CORRUPT;
    return err;
}
