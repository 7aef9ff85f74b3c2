/* sync.c — what to ask and what to tell (docs/protocol.md "Sync").
 *
 * The node keeps a table of the feeds it holds (size and root; feeds.c),
 * refreshed from the store: the feeds of the batches it applies, and the
 * whole table when the CLI notifies it of an append and once per tick (so an
 * append is noticed even if the notification was lost; nothing is read when
 * nothing committed). Whatever changed is announced to every peer as an
 * incremental status.
 *
 * Batches wait for the end of the work loop's turn — and, when the node
 * wrote less than NET_WRITE_GAP_MS ago, for the end of that gap — and are
 * applied together in one transaction, with the cosig messages waiting
 * (net__node_write_batches, net__sync_apply_batches, batch.c).
 *
 * Each peer's announced view is merged into its remote table. A feed is
 * fetched from a peer that is ahead (larger size, or the same size with
 * another root) when its author is a member here (our own feed included: a
 * home restored from a backup catches up), it is not proven forked,
 * and no other connection is fetching it: one connection per feed at a time
 * (so two connections to one peer never fetch a feed twice at once), at
 * most NET_GETS_MAX gets in flight per peer, and the next get of a feed goes
 * out as soon as a batch arrives, before it is applied (pipelining).
 *
 * Cosignatures: the table also keeps a hash of each feed's latest stored
 * checkpoint text. When it changes and carries cosignatures, a cosig message
 * with that text goes to every peer that does not hold it (cosig.c); and a
 * peer whose status shows it now holds our latest checkpoint of a feed gets
 * ours (docs/protocol.md "Witnesses").
 *
 * Own feed (own.c): after each status, a peer that holds less of its own
 * feed than we do gets our checkpoint of it; and a cosig of our own feed
 * larger than we hold is not ignored but recorded — this home is behind
 * its own key (docs/protocol.md "Own feed").
 *
 * Planning reads the store in a read transaction and sends only after it
 * ended: sending can drop a peer, and dropping a peer plans again.
 */
#include <stdlib.h>
#include <string.h>

#include "bundle/ckpt.h"
#include "bundle/fork_proof.h"
#include "crypto/cf_error.h"
#include "crypto/cf_util.h"
#include "crypto/merkle.h"
#include "home/evidence_db.h"
#include "home/state_kv.h"
#include "net_internal.h"

/* ---- the peer's view --------------------------------------------------------- */

remote_feed *net__sync_remote_find(peer *p, const uint8_t author[32], size_t *pos)
{
    size_t lo = 0, hi = p->nremote;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        int c = memcmp(p->remote[mid].author, author, 32);
        if (c == 0) {
            if (pos) *pos = mid;
            return &p->remote[mid];
        }
        if (c < 0) lo = mid + 1;
        else hi = mid;
    }
    if (pos) *pos = lo;
    return NULL;
}

/* Find or add (size 0) author's entry in p's view; NULL past
 * WIRE_FEEDS_MAX (*err CF_ETOOBIG) or out of memory. */
static remote_feed *remote_add(peer *p, const uint8_t author[32], bool *added, int *err)
{
    size_t i;
    remote_feed *r = net__sync_remote_find(p, author, &i);
    *added = false;
    if (r) return r;
    *err = CF_ETOOBIG;
    if (p->nremote == WIRE_FEEDS_MAX) return NULL;
    *err = CF_ENOMEM;
    if (p->nremote == p->remote_cap) {
        size_t cap = p->remote_cap ? p->remote_cap * 2 : 64;
        remote_feed *nr = realloc(p->remote, cap * sizeof *nr);
        if (nr == NULL) return NULL;
        p->remote = nr;
        p->remote_cap = cap;
    }
    memmove(&p->remote[i + 1], &p->remote[i], (p->nremote - i) * sizeof *p->remote);
    p->nremote++;
    r = &p->remote[i];
    memset(r, 0, sizeof *r);
    memcpy(r->author, author, 32);
    if (memcmp(author, p->node->h->self, 32) == 0) r->tree_size = p->own_tree_size;
    *added = true;
    return r;
}

static int remote_update(peer *p, const wire_feed *wf, bool *changed)
{
    bool added;
    int err;
    remote_feed *r = remote_add(p, wf->author, &added, &err);
    if (r == NULL) return err;
    *changed = added || r->size != wf->size || memcmp(r->root, wf->root, 32) != 0;
    if (!*changed) return CF_OK;
    r->size = wf->size;
    memcpy(r->root, wf->root, 32);
    r->stalled = false;
    return CF_OK;
}

/* p holds (sent us, or was sent) the checkpoint text of author's feed
 * with this hash: no cosig of that very text goes to it. A feed it has
 * not announced is added at size 0 (not ahead; its status fills it in) —
 * but for its own feed and ours, whose absence own.c reads. */
remote_feed *net__sync_remote_holds(peer *p, const uint8_t author[32], uint64_t hash, bool sent,
                                    uint64_t tree_size)
{
    bool added;
    int err;
    remote_feed *r = net__sync_remote_find(p, author, NULL);
    if (r == NULL && memcmp(author, p->key, 32) != 0 && memcmp(author, p->node->h->self, 32) != 0)
        r = remote_add(p, author, &added, &err);
    if (r && hash) r->text_hash = hash;
    if (r && hash && sent) r->sent_hash = hash;
    if (r && tree_size) r->tree_size = tree_size;
    if (r == NULL && tree_size && memcmp(author, p->node->h->self, 32) == 0)
        p->own_tree_size = tree_size;
    return r;
}

static get_out *get_find(peer *p, const uint8_t author[32], size_t *idx)
{
    for (size_t i = 0; i < p->ngets; i++)
        if (memcmp(p->gets[i].author, author, 32) == 0) {
            if (idx) *idx = i;
            return &p->gets[i];
        }
    return NULL;
}

static void get_remove(peer *p, size_t i)
{
    memmove(&p->gets[i], &p->gets[i + 1], (p->ngets - i - 1) * sizeof p->gets[0]);
    p->ngets--;
}

static int send_get(peer *p, const uint8_t author[32], uint64_t from)
{
    uint8_t buf[64];
    size_t len;
    int err = wire_encode_get(buf, sizeof buf, WIRE_GET, from, author, &len);
    if (err == CF_OK && p->ngets < NET_GETS_MAX) {
        memcpy(p->gets[p->ngets].author, author, 32);
        p->gets[p->ngets++].from = from;
        err = net__peer_send(p, buf, len);
    }
    return err;
}

/* ---- planning ----------------------------------------------------------------- */

/* Choose (in a read txn) the gets to send to p, then send them. */
void net__sync_plan(peer *p)
{
    net_node *n = p->node;
    get_out want[NET_GETS_MAX];
    size_t nwant = 0;
    store_txn *txn;
    ledger_kv kv;
    if (p->state != PEER_ESTABLISHED || p->ngets >= NET_GETS_MAX || p->nremote == 0) return;
    if (store_read_begin(n->h->st, &txn) != CF_OK) return;
    state_kv_init(&kv, txn);
    state_network net;
    bool recovery = state_network_get(&kv, &net) == CF_OK && net.nrecovery > 0;
    for (size_t i = 0; i < p->nremote && p->ngets + nwant < NET_GETS_MAX; i++) {
        remote_feed *r = &p->remote[i];
        state_member m;
        if (r->stalled || r->size == 0) continue;
        feed_rec *f = net__sync_feed_find(n, r->author);
        uint64_t ours = f ? f->size : 0;
        if (f && (f->fetching || f->fork_proof || (f->flags & STORE_FEED_FORKED))) continue;
        bool ahead = r->size > ours || (r->size == ours && memcmp(r->root, f->root, 32) != 0);
        if (!ahead) continue;
        /* Only members' feeds: a member must not be able to fill our store
         * with feeds of keys nobody registered. One exception: a feed we hold
         * nothing of, in a network with recovery keys, may start with a
         * succession of the governance (R-SUCCEED); the replica path stores
         * it only if it does, and a feed that does not is asked for again
         * only at its next announcement (stalled). */
        if (state_member_get(&kv, r->author, &m) != CF_OK && (ours > 0 || !recovery)) continue;
        memcpy(want[nwant].author, r->author, 32);
        want[nwant++].from = ours;
    }
    store_read_end(txn);
    for (size_t i = 0; i < nwant && p->state == PEER_ESTABLISHED; i++) {
        feed_rec *f = net__sync_feed_add(n, want[i].author);
        if (f == NULL) return;
        f->fetching = p;
        if (net_log_enabled(NET_LOG_DEBUG)) {
            char hex[17];
            cf_hex_encode(want[i].author, 8, hex, sizeof hex);
            net_debug("asking %s for feed %s… from %llu", p->name, hex,
                      (unsigned long long)want[i].from);
        }
        if (send_get(p, want[i].author, want[i].from) != CF_OK) return;
    }
}

void net__sync_unstall_all(net_node *n)
{
    for (peer *p = n->peers_head; p; p = p->next)
        for (size_t i = 0; i < p->nremote; i++) p->remote[i].stalled = false;
    n->replan = true;
    net__node_kick_work(n);
}

void net__sync_plan_all(net_node *n)
{
    n->replan = false;
    for (peer *p = n->peers_head; p; p = p->next) net__sync_plan(p);
}

/* p no longer has gets in flight for author: let anyone fetch it. */
static void release(peer *p, const uint8_t author[32])
{
    if (get_find(p, author, NULL)) return;
    feed_rec *f = net__sync_feed_find(p->node, author);
    if (f && f->fetching == p) f->fetching = NULL;
    p->node->replan = true;
    net__node_kick_work(p->node);
}

void net__sync_on_close(peer *p)
{
    net_node *n = p->node;
    /* Every feed this connection was fetching, not only those with a get
     * still listed: on_batch takes the get off the list before it checks
     * the batch, and a batch that does not verify closes the peer. */
    for (size_t i = 0; i < n->nfeeds; i++)
        if (n->feeds[i].fetching == p) n->feeds[i].fetching = NULL;
    p->ngets = 0;
    net__cosig_on_close(p);
    n->replan = true;
    if (!n->stopping) net__node_kick_work(n);
}

/* ---- messages --------------------------------------------------------------------- */

struct fork_send {
    const wire_msg *theirs;
    uint8_t **msgs;
    size_t *lens, n, cap;
};

static bool lists_author(const wire_msg *m, const uint8_t author[32])
{
    wire_iter it;
    const uint8_t *a;
    wire_iter_init(&it, &m->forks);
    while (wire_next_author(&it, &a) == CF_OK)
        if (memcmp(a, author, 32) == 0) return true;
    return false;
}

static int collect_fork(void *arg, const uint8_t author[32], const uint8_t *proof, size_t len)
{
    struct fork_send *fs = arg;
    if (lists_author(fs->theirs, author)) return CF_OK;
    if (fs->n == fs->cap) {
        size_t cap = fs->cap ? fs->cap * 2 : 8;
        uint8_t **nm = realloc(fs->msgs, cap * sizeof *nm);
        if (nm == NULL) return CF_ENOMEM;
        fs->msgs = nm;
        size_t *nl = realloc(fs->lens, cap * sizeof *nl);
        if (nl == NULL) return CF_ENOMEM;
        fs->lens = nl;
        fs->cap = cap;
    }
    size_t cap = len + 32;
    uint8_t *buf = malloc(cap);
    if (buf == NULL) return CF_ENOMEM;
    int err = wire_encode_fork(buf, cap, proof, len, &fs->lens[fs->n]);
    if (err) {
        free(buf);
        return CF_OK; /* a stored proof over the wire limit: keep it to ourselves */
    }
    fs->msgs[fs->n++] = buf;
    return CF_OK;
}

/* The peer's first status: send it every fork proof we hold that it lacks. */
static void send_missing_forks(peer *p, const wire_msg *m)
{
    struct fork_send fs = {.theirs = m};
    store_txn *txn;
    int err = store_read_begin(p->node->h->st, &txn);
    if (err == CF_OK) {
        err = evidence_forks_each(txn, collect_fork, &fs);
        store_read_end(txn);
    }
    if (err) net_error("cannot read fork proofs: %s", cf_strerror_en(err));
    for (size_t i = 0; i < fs.n; i++) {
        if (p->state == PEER_ESTABLISHED) net__peer_send(p, fs.msgs[i], fs.lens[i]);
        free(fs.msgs[i]);
    }
    free(fs.msgs);
    free(fs.lens);
}

/* The peer now holds our latest checkpoint of wf's feed (same size and
 * root) and ours carries cosignatures, or asks for them: worth sending it
 * our text (net__cosig_sends). */
static bool wants_our_cosigs(net_node *n, const wire_feed *wf)
{
    const feed_rec *f = net__sync_feed_find(n, wf->author);
    return f && f->size > 0 && f->size == wf->size && memcmp(f->root, wf->root, 32) == 0 &&
           net__cosig_sends(n, f);
}

/* A new connection to a peer that holds our checkpoint of wf's feed is a
 * link of the feed's tree at that size: lines that arrive later on either
 * side cross it (it may be the only link left between two parts of the
 * network, docs/protocol.md "Witnesses"). */
static void first_link(peer *p, const wire_feed *wf)
{
    const feed_rec *f = net__sync_feed_find(p->node, wf->author);
    remote_feed *r = net__sync_remote_find(p, wf->author, NULL);
    if (r && f && f->size > 0 && f->size == wf->size && memcmp(f->root, wf->root, 32) == 0)
        r->tree_size = f->size;
}

static void on_status(peer *p, const wire_msg *m)
{
    wire_iter it;
    wire_feed wf;
    const uint8_t **equal = calloc(m->feeds.count ? m->feeds.count : 1, sizeof *equal);
    size_t nequal = 0;
    int rc;
    if (equal == NULL) {
        net__peer_close(p, NET_LOG_ERROR, "out of memory");
        return;
    }
    /* A connection's first status: our lines go to every peer that holds
     * our checkpoint (it may have missed them); later, along the fetch tree. */
    bool first = !p->got_status;
    wire_iter_init(&it, &m->feeds);
    while ((rc = wire_next_feed(&it, &wf)) == CF_OK) {
        bool changed = false;
        if ((rc = remote_update(p, &wf, &changed)) != 0) {
            net__peer_fault(p, "protocol violation: announces more than %d feeds",
                       WIRE_FEEDS_MAX);
            free(equal);
            return;
        }
        if (first) first_link(p, &wf);
        if (changed && wants_our_cosigs(p->node, &wf)) equal[nequal++] = wf.author;
    }
    if (!p->got_status) {
        p->got_status = true;
        send_missing_forks(p, m);
    }
    /* Cosignatures travel between nodes that hold the same checkpoint:
     * whenever a peer comes to hold ours, it gets our lines at the next
     * cosig timer — unless it sent us that very text meanwhile (it fetched
     * the checkpoint with them, and announces them itself; docs/protocol.md). */
    for (size_t i = 0; i < nequal && p->state == PEER_ESTABLISHED; i++) {
        remote_feed *r = net__sync_remote_find(p, equal[i], NULL);
        const feed_rec *f = net__sync_feed_find(p->node, equal[i]);
        bool asked = r && r->want_size == r->size, ask = f && net__cosig_asks(p->node, f);
        if (r && (((first || r->tree_size == r->size) && asked) || (first && ask)))
            r->cosig_due = true;
    }
    if (nequal && p->state == PEER_ESTABLISHED) net__cosig_kick(p->node);
    free(equal);
    net__own_tell_peer(p);
    if (p->state == PEER_ESTABLISHED) net__own_compare(p);
    net__sync_plan(p);
}

static void on_get(peer *p, const wire_msg *m)
{
    net_node *n = p->node;
    size_t len;
    uint64_t served, hash;
    int err = net__batch_serve(n, m->author, m->from, n->scratch, HS_FRAME_PLAIN_MAX, &len, &served,
                               &hash);
    if (err) {
        net_error("cannot serve a batch to %s: %s", p->name, cf_strerror_en(err));
        if ((err = wire_encode_get(n->scratch, 64, WIRE_NONE, m->from, m->author, &len)) != 0)
            return;
    }
    if (served && net_log_enabled(NET_LOG_DEBUG)) {
        char who[ENTRY_ID_BYTES_MAX + 1];
        net__node_member_label(n, m->author, who, sizeof who);
        net_debug("serving %s feed %s from %llu to %llu", p->name, who,
                  (unsigned long long)(m->from < served ? m->from : served),
                  (unsigned long long)served);
    }
    if (served) net__sync_remote_holds(p, m->author, hash, true, served);
    net__peer_send(p, n->scratch, len);
}

static void on_none(peer *p, const wire_msg *m)
{
    size_t i;
    get_out *g = get_find(p, m->author, &i);
    if (g == NULL || g->from != m->from) {
        net__peer_fault(p, "protocol violation: a none that answers no get");
        return;
    }
    get_remove(p, i);
    remote_feed *r = net__sync_remote_find(p, m->author, NULL);
    if (r) r->stalled = true;
    release(p, m->author);
}

static void log_batch(peer *p, const batch_job *j)
{
    net_node *n = p->node;
    char who[ENTRY_ID_BYTES_MAX + 1];
    net__node_member_label(n, j->msg->author, who, sizeof who);
    if (j->stale) {
        net_debug("peer %s: batch of %s from %llu skipped (beyond what we hold)", p->name, who,
                  (unsigned long long)j->msg->from);
        return;
    }
    if (j->held_after > j->held_before || j->dr.applied > 0)
        net_info("peer %s: feed %s %llu..%llu: %llu new entries, %llu applied, %llu feeds pending",
                 p->name, who, (unsigned long long)j->msg->from, (unsigned long long)j->size,
                 (unsigned long long)(j->held_after - j->held_before),
                 (unsigned long long)j->dr.applied, (unsigned long long)j->dr.pending);
    for (size_t i = 0; i < j->nviolations && i < BATCH_REPORT_MAX; i++) {
        char vwho[ENTRY_ID_BYTES_MAX + 1], text[DIAG_TEXT_BYTES + DIAG_RULE_BYTES + 32];
        net__node_member_label(n, j->violations[i].author, vwho, sizeof vwho);
        diag_format(&j->violations[i].verdict, text, sizeof text);
        net_warn("violation: %s#%llu %s (feed held there)", vwho,
                 (unsigned long long)j->violations[i].index, text);
    }
    if (j->nviolations > BATCH_REPORT_MAX)
        net_warn("violation: %zu more in this batch (cofund violations lists them)",
                 j->nviolations - BATCH_REPORT_MAX);
}

/* Whether author's feed is held forked under a proof that does not say
 * where the histories part (fork_proof.h); *held: its entries held here. */
static bool fork_unlocated(net_node *n, const uint8_t author[32], uint64_t *held)
{
    store_txn *txn;
    store_feed f;
    const uint8_t *proof;
    size_t len;
    bool unlocated = false;
    if (store_read_begin(n->h->st, &txn) != CF_OK) return false;
    if (store_feed_get(txn, author, &f) == CF_OK && (f.flags & STORE_FEED_FORKED) &&
        evidence_fork_get(txn, author, &proof, &len) == CF_OK) {
        unlocated = fork_proof_point(proof, len) == FORK_POINT_UNKNOWN;
        *held = f.size;
    }
    store_read_end(txn);
    return unlocated;
}

/* Locating a fork over the network (R-FORK): a batch or checkpoint that
 * proved a fork without entries of the other history (an equal size with
 * another root, a prefix not ours) leaves the fork unlocated — none of the
 * feed counts. The peer that sent it holds the other history: ask it for
 * that history from entry 0, batch after batch, which ingest compares with
 * ours (ingest.h) until the first entry that differs; the located proof
 * then replaces the unlocated one and goes to every peer. Bounded by what
 * we hold: the histories differ below it. */
static void locate_fork(peer *p, const uint8_t author[32], bool just_found, uint64_t served)
{
    uint64_t held = 0;
    const feed_rec *f = net__sync_feed_find(p->node, author); /* refreshed after the batch */
    if (p->state != PEER_ESTABLISHED || f == NULL || !(f->flags & STORE_FEED_FORKED) ||
        !fork_unlocated(p->node, author, &held))
        return;
    uint64_t next = just_found ? 0 : served;
    if (next >= held || get_find(p, author, NULL) || p->ngets >= NET_GETS_MAX) return;
    net_debug("locating the fork of a feed with %s from entry %llu", p->name,
              (unsigned long long)next);
    send_get(p, author, next);
}

/* A batch that answers our get and verifies on its own (its checkpoint,
 * entry count and consistency proof) waits, with its inbox item, for the
 * turn's apply (net__sync_apply_batches); true when it was taken. */
static bool on_batch(peer *p, inbox_item *item)
{
    net_node *n = p->node;
    const wire_msg *m = &item->msg;
    checkpoint cp;
    size_t gi;
    get_out *g = get_find(p, m->author, &gi);
    if (g == NULL || m->from > g->from) {
        net__peer_fault(p, "protocol violation: a batch that answers no get");
        return false;
    }
    get_remove(p, gi);
    /* The checkpoint's text, parsed: its signature is checked where the
     * batch is applied (ingest_feed, ingest_checkpoint), once; a batch whose
     * signature fails there is its sender's fault all the same. */
    if (net__ckpt_text(m->checkpoint, m->checkpoint_len, &cp) != CF_OK) {
        net__peer_fault(p, "batch does not verify: its checkpoint does not parse");
        return false;
    }
    remote_feed *up = net__sync_remote_holds(
        p, m->author, net__text_hash(m->checkpoint, m->checkpoint_len), false, cp.size);
    if (up) up->up_size = cp.size; /* our link towards the author at that size */
    if (m->from > cp.size || m->entries.count != cp.size - m->from) {
        net__peer_fault(p, "batch does not verify: %zu entries from %llu under a "
                                    "checkpoint of size %llu",
                   m->entries.count, (unsigned long long)m->from, (unsigned long long)cp.size);
        return false;
    }
    if (m->from > 0 &&
        merkle_verify_consistency(m->from, cp.size, m->prefix_root, 32, cp.root, 32,
                                  m->nproof ? m->proof[0] : NULL, m->nproof * 32) != CF_OK) {
        net__peer_fault(p, "batch does not verify: its consistency proof from %llu to "
                                    "%llu fails", (unsigned long long)m->from,
                   (unsigned long long)cp.size);
        return false;
    }
    /* Pipeline: ask for what follows before applying this one. */
    remote_feed *r = net__sync_remote_find(p, m->author, NULL);
    if (r && r->size > cp.size && !get_find(p, m->author, NULL) && p->ngets < NET_GETS_MAX &&
        cp.size > m->from)
        send_get(p, m->author, cp.size);
    if (p->state != PEER_ESTABLISHED) return false;

    batch_job *j = calloc(1, sizeof *j);
    if (j == NULL) {
        net__peer_close(p, NET_LOG_ERROR, "out of memory");
        return false;
    }
    j->n = n;
    j->msg = m;
    j->size = cp.size;
    j->p = p;
    j->item = item;
    if (n->batch_tail) n->batch_tail->next = j;
    else n->batch_head = j;
    n->batch_tail = j;
    n->batch_bytes += item->len;
    return true;
}

/* After a batch was applied (alone or with the turn's others): the log,
 * the sender's faults, what to ask next. */
static void batch_done(batch_job *j)
{
    peer *p = j->p;
    net_node *n = p->node;
    const wire_msg *m = j->msg;
    remote_feed *r = net__sync_remote_find(p, m->author, NULL);
    if (j->err && !net__batch_env_error(j->err)) {
        net__peer_fault(p, "batch does not verify: %s", j->d.text);
        return;
    }
    if (j->err) {
        net_error("cannot apply a batch from %s: %s", p->name, j->d.text);
        if (r) r->stalled = true;
    } else {
        log_batch(p, j);
        if (j->cr.forged) {
            char who[ENTRY_ID_BYTES_MAX + 1], wit[ENTRY_ID_BYTES_MAX + 1];
            net__node_member_label(n, m->author, who, sizeof who);
            net__node_member_label(n, j->cr.forged_key, wit, sizeof wit);
            net__cosig_forged(p, j->size, who, wit);
        }
        bool progress = j->held_after > j->held_before || j->fork_new;
        if (!progress && !j->stale && r && !get_find(p, m->author, NULL)) r->stalled = true;
        if (j->fork_new) {
            char who[ENTRY_ID_BYTES_MAX + 1];
            net__node_member_label(n, m->author, who, sizeof who);
            net_warn("fork: %s signed two histories (found in a batch from %s); its feed is "
                     "frozen, the proof goes to every peer", who, p->name);
            net__sync_gossip_fork(n, m->author, NULL);
        }
        if (j->own_caught_up)
            net_info("this home's own feed caught up: it holds %llu entries of it again; "
                     "appending is allowed", (unsigned long long)j->held_after);
        locate_fork(p, m->author, j->fork_new, j->size);
    }
    if (p->state == PEER_ESTABLISHED) release(p, m->author);
}

void net__sync_apply_batches(net_node *n)
{
    batch_job *head = n->batch_head, *j, *next;
    size_t count = 0, nfeeds = 0;
    bool fork_new = false;
    if (head == NULL) return;
    n->batch_head = n->batch_tail = NULL;
    n->batch_bytes = 0;
    uint64_t began = net__node_write_begin(n);
    uv_timer_stop(&n->write_timer);
    /* A batch whose sender closed since is dropped (on_close released it). */
    batch_job **link = &head;
    while ((j = *link) != NULL) {
        if (j->p->state != PEER_ESTABLISHED) {
            *link = j->next;
            free(j->item);
            free(j);
        } else {
            link = &j->next;
            count++;
        }
    }
    /* Together in one transaction when they can be (batch.c); otherwise,
     * or when that fails, each alone: a batch that does not verify is
     * then its own sender's fault. */
    bool fold = n->cosig_head != NULL && count > 0, folded = false;
    uint64_t cosig_ns = 0;
    if (count == 0 ||
        ((count > 1 || fold) && net__batch_apply_group(n, head, fold, &cosig_ns) == CF_OK)) {
        n->count_batch_groups += count > 0;
        folded = fold;
        n->count_cosig_folded += folded;
    } else {
        for (j = head; j; j = j->next) {
            j->err = net__batch_apply(j);
            n->count_batch_groups++;
        }
    }
    net__node_write_end(n, began);
    uint8_t(*authors)[32] = malloc((count ? count : 1) * sizeof *authors);
    for (j = head; j; j = j->next) {
        fork_new |= j->fork_new;
        if (authors && !j->err) memcpy(authors[nfeeds++], j->msg->author, 32);
    }
    /* The feed table first: locate_fork reads it. */
    if (fork_new || authors == NULL) net__sync_refresh(n, true);
    else if (nfeeds) net__sync_refresh_feeds(n, (const uint8_t(*)[32])authors, nfeeds);
    free(authors);
    /* The cosig messages merged with them: refreshed, told at the timer. */
    if (folded) net__cosig_merged(n, CF_OK, cosig_ns);
    for (j = head; j; j = next) {
        next = j->next;
        batch_done(j);
        free(j->item);
        free(j);
    }
}

static void on_fork(peer *p, const wire_msg *m)
{
    net_node *n = p->node;
    fork_job j = {.n = n, .proof = m->fork, .len = m->fork_len};
    int err = net__batch_apply_fork(&j);
    if (err && !net__batch_env_error(err)) {
        net__peer_fault(p, "fork proof does not verify: %s", j.d.text);
        return;
    }
    if (err) {
        net_error("cannot store a fork proof from %s: %s", p->name, j.d.text);
        return;
    }
    if (!j.is_new) return;
    char who[ENTRY_ID_BYTES_MAX + 1];
    net__node_member_label(n, j.author, who, sizeof who);
    net_warn("fork: %s signed two histories (proof from %s); its feed is frozen", who, p->name);
    net__sync_refresh(n, true);
    net__sync_gossip_fork(n, j.author, p);
}

bool net__sync_ready(peer *p, const inbox_item *it)
{
    if (net__guard_budgeted(it->msg.type)) return net__guard_budget_ok(p);
    return it->msg.type != WIRE_GET || p->out_queued < NET_OUT_SOFT_BYTES;
}

bool net__sync_on_message(peer *p, inbox_item *it)
{
    switch (it->msg.type) {
    case WIRE_BATCH: return on_batch(p, it);
    case WIRE_STATUS: on_status(p, &it->msg); break;
    case WIRE_GET: p->in_gets--, on_get(p, &it->msg); break;
    case WIRE_NONE: on_none(p, &it->msg); break;
    case WIRE_FORK: on_fork(p, &it->msg); break;
    case WIRE_COSIG: net__cosig_on_message(p, &it->msg); break;
    case WIRE_PEERS: net__pex_on_message(p, &it->msg); break;
    }
    return false;
}
