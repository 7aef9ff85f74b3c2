/* feeds.c — the node's table of the feeds it holds (docs/protocol.md §4):
 * size, root, flags, fork proofs and a hash of each latest checkpoint's text,
 * read from the store (net__sync_refresh: the whole table, skipped when no
 * transaction committed since the last look; net__sync_refresh_feeds: the
 * feeds a batch or cosig just changed), and what changed told to every peer:
 * fork proofs, an incremental status, then the cosignatures (cosig.c).
 * Split from sync.c, which decides what to ask and answers messages.
 */
#include <stdlib.h>
#include <string.h>

#include "bundle/ckpt.h"
#include "crypto/cf_error.h"
#include "home/evidence_db.h"
#include "home/ingest.h"
#include "home/state_kv.h"
#include "net_internal.h"

/* ---- the feed table ----------------------------------------------------------- */

/* Index of author in the sorted table, or where it would go. */
static size_t feed_pos(const net_node *n, const uint8_t author[32], bool *found)
{
    size_t lo = 0, hi = n->nfeeds;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        int c = memcmp(n->feeds[mid].author, author, 32);
        if (c == 0) {
            *found = true;
            return mid;
        }
        if (c < 0) lo = mid + 1;
        else hi = mid;
    }
    *found = false;
    return lo;
}

feed_rec *net__sync_feed_find(net_node *n, const uint8_t author[32])
{
    bool found;
    size_t i = feed_pos(n, author, &found);
    return found ? &n->feeds[i] : NULL;
}

/* Find or add (size 0). Pointers into the table die at the next add. */
feed_rec *net__sync_feed_add(net_node *n, const uint8_t author[32])
{
    bool found;
    size_t i = feed_pos(n, author, &found);
    if (found) return &n->feeds[i];
    if (n->nfeeds == n->feeds_cap) {
        size_t cap = n->feeds_cap ? n->feeds_cap * 2 : 64;
        feed_rec *nf = realloc(n->feeds, cap * sizeof *nf);
        if (nf == NULL) return NULL;
        n->feeds = nf;
        n->feeds_cap = cap;
    }
    memmove(&n->feeds[i + 1], &n->feeds[i], (n->nfeeds - i) * sizeof *n->feeds);
    n->nfeeds++;
    memset(&n->feeds[i], 0, sizeof n->feeds[i]);
    memcpy(n->feeds[i].author, author, 32);
    return &n->feeds[i];
}

void net__sync_free(net_node *n)
{
    net__cosig_free(n);
    ingest_witness_cache_free(&n->witnesses);
    for (batch_job *j = n->batch_head, *next; j; j = next) {
        next = j->next;
        free(j->item);
        free(j);
    }
    n->batch_head = n->batch_tail = NULL;
    free(n->feeds);
    n->feeds = NULL;
    n->nfeeds = n->feeds_cap = 0;
}

static void broadcast(net_node *n, const uint8_t *msg, size_t len, const peer *except)
{
    for (peer *p = n->peers_head; p; p = p->next)
        if (p != except && p->state == PEER_ESTABLISHED) net__peer_send(p, msg, len);
}

/* ---- status ------------------------------------------------------------------- */

/* Encode a status of the feeds (size > 0) and fork authors selected by
 * `all` or their changed flags; *any tells whether it says anything. */
static int encode_status(net_node *n, bool all, size_t *len, bool *any)
{
    size_t nf = 0, nk = 0;
    cbor_enc e;
    for (size_t i = 0; i < n->nfeeds; i++) {
        const feed_rec *f = &n->feeds[i];
        nf += f->size > 0 && (all || f->changed);
        nk += f->fork_proof && (all || f->fork_changed);
    }
    *any = nf + nk > 0;
    wire_status_begin(&e, n->scratch, HS_FRAME_PLAIN_MAX, nf);
    for (size_t i = 0; i < n->nfeeds; i++) {
        const feed_rec *f = &n->feeds[i];
        if (f->size > 0 && (all || f->changed)) wire_status_feed(&e, f->author, f->size, f->root);
    }
    wire_status_forks(&e, nk);
    for (size_t i = 0; i < n->nfeeds; i++) {
        const feed_rec *f = &n->feeds[i];
        if (f->fork_proof && (all || f->fork_changed)) wire_status_fork(&e, f->author);
    }
    return wire_status_end(&e, len);
}

struct refresh {
    net_node *n;
    store_txn *txn;
};

/* Eight bytes a step (a checkpoint text is ~1 KB, hashed a few times per
 * cosig message; FNV-1a byte by byte was 2.8% of a node's time at 64
 * members). Each step is a bijection of the state, so texts of one length
 * that differ in one word never collide; the length goes in first. */
uint64_t net__text_hash(const char *p, size_t n)
{
    const uint64_t k = UINT64_C(0x9e3779b97f4a7c15);
    uint64_t h = (UINT64_C(14695981039346656037) ^ n) * k, w;
    size_t i = 0;
    for (; n - i >= 8; i += 8) {
        memcpy(&w, p + i, 8);
        h = (((h << 5) | (h >> 59)) ^ w) * k;
    }
    if (i < n) {
        w = 0;
        memcpy(&w, p + i, n - i);
        h = (((h << 5) | (h >> 59)) ^ w) * k;
    }
    h ^= h >> 32; /* the high bits into the low ones */
    return h ? h : 1; /* 0 means none known */
}

/* Has the latest checkpoint's text changed, with cosignatures in it? */
static int refresh_text(struct refresh *r, feed_rec *f)
{
    const char *text;
    size_t len;
    uint64_t size;
    int err = store_checkpoint_latest(r->txn, f->author, &size, &text, &len);
    if (err == CF_ENOTFOUND) return CF_OK;
    if (err) return err;
    uint64_t h = net__text_hash(text, len);
    if (h == f->text_hash) return CF_OK;
    size_t lines = ckpt_sig_lines(text, len);
    f->text_hash = h;
    f->sig_lines = (uint8_t)(lines > UINT8_MAX ? UINT8_MAX : lines);
    /* A full set: the author's line and each witness's (the members may
     * have changed since the last text). */
    ledger_kv kv;
    state_kv_init(&kv, r->txn);
    f->lines_full = (uint8_t)(1 + ingest_witnesses_wanted(&kv, f->author));
    f->keeps = ingest_keeps_lines(&kv, r->n->h->self, &r->n->witnesses, f->author);
    /* Lines to pass on; or, for a home that keeps them and lacks some, a
     * request for them up the tree (net__sync_send_cosigs). */
    f->cosig_changed = net__cosig_sends(r->n, f);
    if (net__cosig_full(f)) net__cosig_unhold(r->n, f); /* it goes down with the change */
    return CF_OK;
}

static int refresh_feed(void *arg, const store_feed *sf)
{
    struct refresh *r = arg;
    feed_rec *f = net__sync_feed_add(r->n, sf->author);
    if (f == NULL) return CF_ENOMEM;
    f->flags = sf->flags;
    if (f->size != sf->size) {
        if (sf->size > 0) {
            int err = store_root(r->txn, sf->author, sf->size, f->root);
            if (err) return err;
        }
        if (r->n->refreshed && sf->size > f->size) {
            f->grew_wall_ms = net__node_wall_ms();
            /* The node logs this home's own appends as it notices them (a
             * CLI's notification or the tick), before it announces them. */
            if (memcmp(sf->author, r->n->h->self, 32) == 0) {
                r->n->count_own_appended += sf->size - f->size;
                net_info("own feed: %llu new entr%s appended here (%llu in all); announcing "
                         "them with the new checkpoint",
                         (unsigned long long)(sf->size - f->size),
                         sf->size - f->size == 1 ? "y" : "ies", (unsigned long long)sf->size);
            }
        }
        f->size = sf->size;
        f->changed = true;
        f->held_ms = uv_now(&r->n->loop); /* a new checkpoint: its lines' wait starts */
        net__cosig_unhold(r->n, f);
    }
    /* After the size: whether a text that lacks lines asks for them is a
     * question about the checkpoint of this size (net__cosig_asks). */
    if (sf->size > 0 && !(sf->flags & STORE_FEED_FORKED)) return refresh_text(r, f);
    return CF_OK;
}

/* FNV-1a over a fork proof's bytes: tells the proof held from the one last
 * gossiped (never 0, which means none). */
static uint64_t proof_hash(const uint8_t *proof, size_t len)
{
    uint64_t h = UINT64_C(1469598103934665603);
    for (size_t i = 0; i < len; i++) h = (h ^ proof[i]) * UINT64_C(1099511628211);
    return h ? h : 1;
}

/* A fork proof became news here: tell every peer (but the one it came from). */
void net__sync_gossip_fork(net_node *n, const uint8_t author[32], const peer *except)
{
    store_txn *txn;
    const uint8_t *proof;
    size_t plen, len = 0;
    int err = store_read_begin(n->h->st, &txn);
    if (err) return;
    err = evidence_fork_get(txn, author, &proof, &plen);
    if (err == CF_OK) {
        feed_rec *f = net__sync_feed_find(n, author);
        if (f) f->fork_hash = proof_hash(proof, plen); /* gossiped: not again at refresh */
        err = wire_encode_fork(n->scratch, HS_FRAME_PLAIN_MAX, proof, plen, &len);
    }
    store_read_end(txn);
    if (err == CF_OK) broadcast(n, n->scratch, len, except);
}

static int refresh_fork(void *arg, const uint8_t author[32], const uint8_t *proof, size_t len)
{
    struct refresh *r = arg;
    feed_rec *f = net__sync_feed_add(r->n, author);
    if (f == NULL) return CF_ENOMEM;
    if (!f->fork_proof) f->fork_proof = f->fork_changed = true;
    /* A proof this node did not gossip itself — stored by `import` or the
     * CLI, or replaced by a better one (a smaller point) — goes to every
     * peer now, not at the next connection. */
    uint64_t h = proof_hash(proof, len);
    if (f->fork_hash != h) {
        f->fork_hash = h;
        f->fork_gossip = true;
    }
    return CF_OK;
}

/* ---- cosignatures ------------------------------------------------------------ */

/* What a refresh changed, told: fork proofs to gossip, the status of the
 * feeds that changed, then (after NET_COSIG_DELAY_MS) their cosignatures. */
static void announce_changes(net_node *n, bool announce)
{
    for (size_t i = 0; i < n->nfeeds; i++)
        if (n->feeds[i].fork_gossip) {
            n->feeds[i].fork_gossip = false;
            if (n->npeers > 0) net__sync_gossip_fork(n, n->feeds[i].author, NULL);
        }
    size_t len;
    bool any = false;
    int err;
    if (announce && (err = encode_status(n, false, &len, &any)) != 0) {
        net_error("cannot encode a status: %s", cf_strerror_en(err));
        any = false;
    }
    for (size_t i = 0; i < n->nfeeds; i++) n->feeds[i].changed = n->feeds[i].fork_changed = false;
    if (any) {
        net_debug("announcing changes to %zu peers", n->npeers);
        broadcast(n, n->scratch, len, NULL);
    }
    /* After the status: a peer that lacks the checkpoint ignores the lines,
     * and gets them when it announces that it holds it (on_status). Lines
     * that arrive close together go out together (net__cosig_on_timer). */
    if (!announce) {
        net__cosig_announce(n, false);
        return;
    }
    bool pending = false;
    for (size_t i = 0; i < n->nfeeds && !pending; i++) pending = n->feeds[i].cosig_changed;
    if (pending) net__cosig_kick(n);
}

int net__sync_refresh(net_node *n, bool announce)
{
    struct refresh r = {n, NULL};
    int err = store_read_begin(n->h->st, &r.txn);
    if (err) return err;
    /* Nothing committed since the last full look: nothing to tell (the
     * tick on an idle node costs one read transaction). */
    uint64_t id = store_txn_id(r.txn);
    if (n->refreshed && id == n->refreshed_txn) {
        store_read_end(r.txn);
        return CF_OK;
    }
    n->count_refreshes++;
    err = store_feeds_each(r.txn, refresh_feed, &r);
    if (err == CF_OK) err = evidence_forks_each(r.txn, refresh_fork, &r);
    store_read_end(r.txn);
    if (err) {
        net_error("cannot read the store's feeds: %s", cf_strerror_en(err));
        return err;
    }
    n->refreshed = true;
    n->refreshed_txn = id;
    announce_changes(n, announce);
    return CF_OK;
}

int net__sync_refresh_feeds(net_node *n, const uint8_t (*authors)[32], size_t count)
{
    struct refresh r = {n, NULL};
    store_feed sf;
    int err = store_read_begin(n->h->st, &r.txn);
    if (err) return err;
    n->count_refreshes++;
    for (size_t i = 0; i < count && err == CF_OK; i++) {
        err = store_feed_get(r.txn, authors[i], &sf);
        if (err == CF_OK) err = refresh_feed(&r, &sf);
        else if (err == CF_ENOTFOUND) err = CF_OK;
    }
    store_read_end(r.txn);
    if (err) {
        net_error("cannot read the store's feeds: %s", cf_strerror_en(err));
        return err;
    }
    announce_changes(n, true);
    return CF_OK;
}

void net__sync_on_established(peer *p)
{
    size_t len;
    bool any;
    int err = encode_status(p->node, true, &len, &any);
    if (err) {
        net__peer_close(p, NET_LOG_ERROR, "cannot encode our status: %s", cf_strerror_en(err));
        return;
    }
    net__peer_send(p, p->node->scratch, len);
}
