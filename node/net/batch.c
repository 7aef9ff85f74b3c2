/* batch.c — the store work behind the messages: building the batch that
 * answers a get, applying a received batch, storing a received fork proof.
 * Each is one short transaction inside one callback; messages are encoded
 * inside the read transaction (their bytes point into LMDB's map) and sent
 * by the caller after it ended.
 *
 * Applying a batch is one store_write through the replica path, the one an
 * import of a bundle takes (home/replica.h): the batch is one item — a feed
 * (ingest_feed), or its checkpoint alone for a batch of no entries (the
 * answer to an equal-size status) — then the rules, then the checkpoint's
 * cosignatures and this node's own.
 */
#include <stdlib.h>
#include <string.h>

#include "bundle/ckpt.h"
#include "bundle/fork_proof.h"
#include "crypto/cf_error.h"
#include "crypto/cf_util.h"
#include "home/ingest.h"
#include "home/replica.h"
#include "net_internal.h"

_Static_assert(WIRE_FORK_BYTES_MAX == FORK_PROOF_BYTES_MAX, "a fork message carries any fork proof");

/* ---- serving ---------------------------------------------------------------- */

struct measure {
    size_t count_max, bytes_max;
    size_t count, bytes;
};

static int measure_entry(void *arg, uint64_t index, const uint8_t *bytes, size_t len)
{
    struct measure *m = arg;
    (void)index, (void)bytes;
    if (m->count == m->count_max || m->bytes + WIRE_ENTRY_COST(len) > m->bytes_max) return 1;
    m->count++;
    m->bytes += WIRE_ENTRY_COST(len);
    return CF_OK;
}

/* The end of the longest run of entries from `from` (at most to) within
 * count_max entries and bytes_max bytes of batch. */
static int measure(store_txn *txn, const uint8_t author[32], uint64_t from, uint64_t to,
                   size_t count_max, size_t bytes_max, uint64_t *end)
{
    struct measure m = {count_max, bytes_max, 0, 0};
    int err = store_entries_each(txn, author, from, to, measure_entry, &m);
    if (err < 0) return err;
    *end = from + m.count;
    return CF_OK;
}

struct first_above {
    uint64_t from, size;
};

static int first_above(void *arg, uint64_t size, const char *text, size_t len)
{
    struct first_above *f = arg;
    (void)text, (void)len;
    if (size <= f->from) return CF_OK;
    f->size = size;
    return 1;
}

/* The checkpoint size to serve from `from` (< m, the size held): the largest
 * held checkpoint whose batch meets the target; failing that, the smallest
 * above `from` if its batch fits a frame; 0 when none does. */
static int choose_size(store_txn *txn, const uint8_t author[32], uint64_t from, uint64_t m,
                       uint64_t *n)
{
    const char *text;
    size_t len;
    uint64_t end, latest;
    int err;
    *n = 0;
    if ((err = measure(txn, author, from, m, SYNC_BATCH_ENTRIES_MAX, SYNC_BATCH_BYTES_TARGET,
                       &end)) != 0 ||
        (err = store_checkpoint_latest(txn, author, &latest, &text, &len)) != 0)
        return err;
    if (latest > from && latest <= end) {
        *n = latest;
        return CF_OK;
    }
    for (uint64_t s = end, k = 0; s > from && k < SYNC_CKPT_PROBES_MAX; s--, k++) {
        err = store_checkpoint_get(txn, author, s, &text, &len);
        if (err == CF_OK) {
            *n = s;
            return CF_OK;
        }
        if (err != CF_ENOTFOUND) return err;
    }
    struct first_above fa = {from, 0};
    err = store_checkpoints_each(txn, author, first_above, &fa);
    if (err < 0) return err;
    if (fa.size == 0) return CF_OK;
    err = measure(txn, author, from, fa.size, WIRE_BATCH_ENTRIES_MAX,
                  HS_FRAME_PLAIN_MAX - WIRE_BATCH_OVERHEAD_MAX, &end);
    if (err) return err;
    if (end == fa.size) *n = fa.size;
    return CF_OK;
}

static int put_entry(void *arg, uint64_t index, const uint8_t *bytes, size_t len)
{
    (void)index;
    wire_batch_entry(arg, bytes, len);
    return CF_OK;
}

static int serve_txn(store_txn *txn, const uint8_t author[32], uint64_t from, uint8_t *out,
                     size_t cap, size_t *len, uint64_t *served_n, uint64_t *text_hash)
{
    store_feed f;
    uint64_t n;
    const char *ckpt;
    size_t ckpt_len, nproof = 0;
    uint8_t prefix[32], proof[MERKLE_PROOF_MAX][32];
    cbor_enc e;
    int err = store_feed_get(txn, author, &f);
    if (err) return err;
    if (f.size == 0) return CF_ENOTFOUND;
    /* A get beyond our size asks for what we never announced: none. */
    if (from > f.size) return CF_ENOTFOUND;
    if (from == f.size) n = f.size; /* same size: our checkpoint shows whether roots agree */
    else if ((err = choose_size(txn, author, from, f.size, &n)) != 0) return err;
    if (n == 0) return CF_ETOOBIG;
    if ((err = store_checkpoint_get(txn, author, n, &ckpt, &ckpt_len)) != 0) return err;
    if (from > 0 && (err = store_root(txn, author, from, prefix)) != 0) return err;
    if (from > 0 && from < n &&
        (err = store_consistency_proof(txn, author, from, n, proof, &nproof)) != 0)
        return err;
    if (nproof > WIRE_PROOF_MAX) return CF_ETOOBIG;
    wire_batch_begin(&e, out, cap, from, (const uint8_t(*)[32])proof, nproof, author,
                     (size_t)(n - from));
    if (n > from && (err = store_entries_each(txn, author, from, n, put_entry, &e)) != 0)
        return err;
    *served_n = n;
    *text_hash = net__text_hash(ckpt, ckpt_len);
    return wire_batch_end(&e, ckpt, ckpt_len, from > 0 ? prefix : NULL, len);
}

int net__batch_serve(net_node *n, const uint8_t author[32], uint64_t from, uint8_t *out, size_t cap,
                size_t *len, uint64_t *served_n, uint64_t *text_hash)
{
    store_txn *txn;
    int err = store_read_begin(n->h->st, &txn);
    if (err) return err;
    *served_n = *text_hash = 0;
    err = serve_txn(txn, author, from, out, cap, len, served_n, text_hash);
    store_read_end(txn);
    if (err == CF_ENOTFOUND || err == CF_ETOOBIG || err == CF_ECBOR_BUFFER) {
        *served_n = *text_hash = 0;
        return wire_encode_get(out, cap, WIRE_NONE, from, author, len);
    }
    return err;
}

/* ---- applying ------------------------------------------------------------- */

static int next_entry(void *arg, const uint8_t **bytes, size_t *len, diag *d)
{
    batch_job *j = arg;
    int rc = wire_next_entry(&j->it, bytes, len);
    if (rc == 1) return diag_set(d, CF_EVERIFY, NULL, "batch: fewer entries than its checkpoint");
    if (rc) return diag_set(d, CF_EVERIFY, NULL, "batch: bad entry list");
    return CF_OK;
}

/* The batch as a replica source (replica.h): one item, read again for the
 * cosignature pass. */
struct batch_source {
    batch_job *j;
    ingest_prefix prefix;
    bool read;
};

/* j as one replica item (its entries read through j->it). */
static void fill_item(batch_job *j, const ingest_prefix *prefix, replica_item *it)
{
    const wire_msg *m = j->msg;
    memset(it, 0, sizeof *it);
    it->author = m->author;
    it->ckpt = m->checkpoint;
    it->ckpt_len = m->checkpoint_len;
    /* A batch of no entries (the answer to an equal-size status) is its
     * checkpoint alone. */
    it->kind = m->from > 0 && m->from == j->size ? REPLICA_CHECKPOINT : REPLICA_FEED;
    it->from = m->from;
    it->prefix = m->from > 0 ? prefix : NULL;
    it->entries = (ingest_source){next_entry, j};
}

static int next_item(void *arg, replica_item *it, diag *d)
{
    struct batch_source *b = arg;
    (void)d;
    if (b->read) return 1;
    b->read = true;
    fill_item(b->j, &b->prefix, it);
    return CF_OK;
}

static int rewind_item(void *arg, diag *d)
{
    (void)d;
    ((struct batch_source *)arg)->read = false;
    return CF_OK;
}

static int apply_txn(store_txn *txn, void *arg)
{
    batch_job *j = arg;
    const wire_msg *m = j->msg;
    store_feed f;
    replica_result rr;
    int err;

    /* Repeatable: store_write runs this again after growing the map. */
    j->stale = j->fork_new = false;
    j->held_before = j->held_after = 0;
    memset(&j->cr, 0, sizeof j->cr);
    j->nviolations = 0;
    memset(&j->ir, 0, sizeof j->ir);
    memset(&j->dr, 0, sizeof j->dr);
    diag_clear(&j->d);
    wire_iter_init(&j->it, &m->entries);

    err = store_feed_get(txn, m->author, &f);
    if (err == CF_ENOTFOUND) f = (store_feed){.size = 0};
    else if (err) return diag_set(&j->d, err, NULL, "reading the feed: %s", cf_strerror_en(err));
    j->held_before = j->held_after = f.size;
    if (m->from > f.size) { /* an earlier batch did not land: ask again */
        j->stale = true;
        return CF_OK;
    }
    /* A batch from > 0 carries the sender's root at `from` and the
     * consistency proof to its checkpoint: ingest_feed checks it before any
     * entry, and a prefix that is not ours is a proven fork (ingest.h).
     * After the rules, so that members they just registered count: the
     * batch checkpoint's cosignatures, and ours on what is now the latest. */
    struct batch_source b = {.j = j, .prefix = {.proof = m->nproof ? m->proof[0] : NULL,
                                                .nproof = m->nproof}};
    memcpy(b.prefix.root, m->prefix_root, 32);
    replica_source src = {next_item, rewind_item, NULL, &b};
    ingest_cosigner me = {.kp = &j->n->kp, .time_s = net__node_wall_ms() / 1000,
                         .witnesses = &j->n->witnesses, .kept_only = true};
    replica_opts o = {.me = &me};
    if ((err = replica_apply(txn, j->n->net.net, &src, &o, &rr, &j->d)) != 0) return err;
    j->fork_new = rr.forks_new > 0;
    j->dr = (drain_result){rr.applied, rr.pending_feeds, rr.violations_new};
    /* Violations the drain found (a rebuild lists none). */
    j->nviolations = rr.rebuilt ? 0 : rr.violations_new;
    for (size_t i = 0; i < rr.nviolations && i < BATCH_REPORT_MAX; i++) {
        memcpy(j->violations[i].author, rr.violations[i].author, 32);
        j->violations[i].index = rr.violations[i].index;
        j->violations[i].verdict = rr.violations[i].verdict;
    }
    j->cr.merged = (uint32_t)rr.cosigs_merged;
    j->cr.ignored = (uint32_t)rr.cosigs_ignored;
    j->cr.forged = (uint32_t)rr.cosigs_forged;
    j->cr.witnessed = rr.witnessed > 0;
    if (rr.nforged) memcpy(j->cr.forged_key, rr.forged[0].key, 32);
    err = store_feed_get(txn, m->author, &f);
    if (err) return diag_set(&j->d, err, NULL, "reading the feed: %s", cf_strerror_en(err));
    j->held_after = f.size;
    /* Our own feed fetched back (a home restored from a backup): once it
     * holds what a peer showed, appending is allowed again (own_feed.h). */
    j->own_caught_up = false;
    if (memcmp(m->author, j->n->h->self, 32) == 0 &&
        (err = own_feed_settle(txn, m->author, &j->own_caught_up, NULL)) != 0)
        return diag_set(&j->d, err, NULL, "clearing the behind mark: %s", cf_strerror_en(err));
    return CF_OK;
}

int net__batch_apply(batch_job *j)
{
    uint64_t t0 = uv_hrtime();
    int err = store_write(j->n->h->st, apply_txn, j);
    net__metrics_ingest(j->n, j, false, uv_hrtime() - t0, err);
    if (err && j->d.code == CF_OK) diag_set(&j->d, err, NULL, "%s", cf_strerror_en(err));
    return err;
}

/* ---- the turn's batches in one transaction ---------------------------------- */

/* The list as a replica source: its batches in order, each but the stale
 * ones (an earlier batch did not land: asked again); the same ones again
 * after a rewind. */
struct group_source {
    store_txn *txn;
    batch_job *head, *cur;
    bool again;
};

static int group_next(void *arg, replica_item *it, diag *d)
{
    struct group_source *g = arg;
    for (; g->cur; g->cur = g->cur->next) {
        batch_job *j = g->cur;
        if (!g->again) {
            store_feed f;
            int err = store_feed_get(g->txn, j->msg->author, &f);
            if (err == CF_ENOTFOUND) f = (store_feed){.size = 0};
            else if (err) return diag_set(d, err, NULL, "reading the feed: %s", cf_strerror_en(err));
            j->held_before = f.size;
            j->stale = j->msg->from > f.size;
        }
        if (j->stale) continue;
        wire_iter_init(&j->it, &j->msg->entries);
        fill_item(j, &j->prefix, it);
        g->cur = j->next;
        return CF_OK;
    }
    return 1;
}

static int group_rewind(void *arg, diag *d)
{
    struct group_source *g = arg;
    (void)d;
    g->cur = g->head;
    g->again = true;
    return CF_OK;
}

struct group_job {
    net_node *n;
    batch_job *head;
    bool cosigs;        /* the waiting cosig messages merged too */
    uint64_t cosig_ns;  /* the time their merge took */
    diag d;
};

/* Positive: something needs the batches applied one by one. */
#define GROUP_ALONE 1

static int group_txn(store_txn *txn, void *arg)
{
    struct group_job *gj = arg;
    struct group_source g = {txn, gj->head, gj->head, false};
    replica_source src = {group_next, group_rewind, NULL, &g};
    ingest_cosigner me = {.kp = &gj->n->kp, .time_s = net__node_wall_ms() / 1000,
                         .witnesses = &gj->n->witnesses, .kept_only = true};
    replica_opts o = {.me = &me};
    replica_result rr;
    int err;
    for (batch_job *j = gj->head; j; j = j->next) {
        j->stale = j->fork_new = j->own_caught_up = false;
        j->held_before = j->held_after = 0;
        j->nviolations = 0;
        memset(&j->cr, 0, sizeof j->cr);
        memset(&j->dr, 0, sizeof j->dr);
        diag_clear(&j->d);
    }
    diag_clear(&gj->d);
    if ((err = replica_apply(txn, gj->n->net.net, &src, &o, &rr, &gj->d)) != 0) return err;
    if (rr.forks_new || rr.rebuilt || rr.cosigs_forged) return GROUP_ALONE;
    /* The cosig messages waiting for their timer, in the same commit: a
     * node busy with batches then commits once per write, not also once
     * per NET_COSIG_DELAY_MS for the lines (cosig.c). */
    if (gj->cosigs) {
        uint64_t t0 = uv_hrtime();
        if ((err = net__cosig_merge_txn(txn, gj->n)) != 0) return err;
        gj->cosig_ns = uv_hrtime() - t0;
    }
    /* The drain's counts and violations go with the first batch (the log
     * names them once). */
    batch_job *first = gj->head;
    first->dr = (drain_result){rr.applied, rr.pending_feeds, rr.violations_new};
    first->nviolations = rr.violations_new;
    for (size_t i = 0; i < rr.nviolations && i < BATCH_REPORT_MAX; i++) {
        memcpy(first->violations[i].author, rr.violations[i].author, 32);
        first->violations[i].index = rr.violations[i].index;
        first->violations[i].verdict = rr.violations[i].verdict;
    }
    for (batch_job *j = gj->head; j; j = j->next) {
        store_feed f;
        if ((err = store_feed_get(txn, j->msg->author, &f)) != 0)
            return diag_set(&gj->d, err, NULL, "reading the feed: %s", cf_strerror_en(err));
        j->held_after = j->stale ? j->held_before : f.size;
    }
    return CF_OK;
}

int net__batch_apply_group(net_node *n, batch_job *head, bool cosigs, uint64_t *cosig_ns)
{
    /* Our own feed (the behind mark, own_feed.h) and a feed twice (each
     * batch's count of new entries) are left to the one-by-one path. */
    for (batch_job *j = head; j; j = j->next) {
        if (memcmp(j->msg->author, n->h->self, 32) == 0) return GROUP_ALONE;
        for (batch_job *k = j->next; k; k = k->next)
            if (memcmp(j->msg->author, k->msg->author, 32) == 0) return GROUP_ALONE;
        memcpy(j->prefix.root, j->msg->prefix_root, 32);
        j->prefix.proof = j->msg->nproof ? j->msg->proof[0] : NULL;
        j->prefix.nproof = j->msg->nproof;
    }
    struct group_job gj = {.n = n, .head = head, .cosigs = cosigs};
    uint64_t t0 = uv_hrtime();
    int err = store_write(n->h->st, group_txn, &gj);
    net__metrics_ingest(n, head, true, uv_hrtime() - t0 - gj.cosig_ns, err);
    *cosig_ns = gj.cosig_ns;
    return err;
}

static int fork_txn(store_txn *txn, void *arg)
{
    fork_job *j = arg;
    drain_result dr;
    j->is_new = false;
    diag_clear(&j->d);
    int err = ingest_fork_proof(txn, j->n->net.net, j->proof, j->len, j->author, &j->is_new,
                                &j->d);
    if (err || !j->is_new) return err;
    return replica_rebuild(txn, &dr, &j->d);
}

int net__batch_apply_fork(fork_job *j)
{
    int err = store_write(j->n->h->st, fork_txn, j);
    if (err && j->d.code == CF_OK) diag_set(&j->d, err, NULL, "%s", cf_strerror_en(err));
    return err;
}

struct own_job {
    net_node *n;
    const char *ckpt;
    size_t len;
    const uint8_t *root;
    uint64_t size;
    const char *who;
    own_feed_ahead *res;
    bool *recorded;
    diag *d;
};

static int own_ahead_txn(store_txn *txn, void *arg)
{
    struct own_job *o = arg;
    diag_clear(o->d);
    return own_feed_note_ahead(txn, o->n->net.net, o->n->h->self, o->ckpt, o->len, o->who,
                               net__node_wall_ms(), o->res, o->d);
}

int net__batch_own_ahead(net_node *n, const char *ckpt, size_t len, const char *who,
                         own_feed_ahead *res, diag *d)
{
    struct own_job o = {.n = n, .ckpt = ckpt, .len = len, .who = who, .res = res, .d = d};
    int err = store_write(n->h->st, own_ahead_txn, &o);
    if (err && d->code == CF_OK) diag_set(d, err, NULL, "%s", cf_strerror_en(err));
    return err;
}

static int own_compared_txn(store_txn *txn, void *arg)
{
    struct own_job *o = arg;
    store_feed f;
    uint8_t root[32];
    *o->recorded = false;
    int err = store_feed_get(txn, o->n->h->self, &f);
    if (err == CF_ENOTFOUND) f = (store_feed){.size = 0};
    else if (err) return err;
    if (o->size > f.size || (f.flags & STORE_FEED_FORKED)) return CF_OK;
    if (o->size > 0) {
        if ((err = store_root(txn, o->n->h->self, o->size, root)) != 0) return err;
        if (memcmp(root, o->root, 32) != 0) return CF_OK; /* not ours: a fork, for ingest */
    }
    *o->recorded = true;
    return own_feed_compared_put(txn, f.size, o->who, net__node_wall_ms());
}

int net__batch_own_compared(net_node *n, uint64_t size, const uint8_t root[32], const char *who,
                            bool *recorded)
{
    struct own_job o = {.n = n, .root = root, .size = size, .who = who, .recorded = recorded};
    return store_write(n->h->st, own_compared_txn, &o);
}

struct witness_job {
    net_node *n;
    uint64_t *witnessed;
    diag *d;
};

static int witness_txn(store_txn *txn, void *arg)
{
    struct witness_job *w = arg;
    ingest_cosigner me = {.kp = &w->n->kp, .time_s = net__node_wall_ms() / 1000,
                         .witnesses = &w->n->witnesses};
    diag_clear(w->d);
    return ingest_witness_all(txn, w->n->net.net, &me, w->witnessed, w->d);
}

int net__batch_witness_all(net_node *n, uint64_t *witnessed, diag *d)
{
    struct witness_job w = {n, witnessed, d};
    int err = store_write(n->h->st, witness_txn, &w);
    if (err && d->code == CF_OK) diag_set(d, err, NULL, "%s", cf_strerror_en(err));
    return err;
}

bool net__batch_env_error(int err)
{
    switch (err) {
    case CF_ENOMEM:
    case CF_EIO:
    case CF_ENOSPC:
    case CF_ESTORE:
    case CF_EMAP_FULL:
    case CF_ESTORE_READONLY:
    case CF_ESTORE_CORRUPT:
    case CF_ESTORE_FEEDS_MAX:
    case CF_ECRYPTO:
        return true;
    default:
        return false;
    }
}
