/* cosig.c — cosignature lines between nodes (docs/protocol.md §4
 * "Witnesses"): cosig messages received wait NET_COSIG_DELAY_MS and are
 * merged into the checkpoints held together, in one store transaction (a
 * commit costs a sync of the disk; one per message made it most of a node's
 * work at 64 nodes); then the lines that changed a checkpoint — there and in
 * the batches applied meanwhile — go out to the peers, several in one
 * message, and never to a peer known to hold that very text.
 */
#include <stdlib.h>
#include <string.h>

#include "crypto/cf_error.h"
#include "crypto/note.h"
#include "net_internal.h"

/* A cosig message waiting for the turn's merge. */
struct cosig_item {
    struct cosig_item *next;
    peer *from; /* NULL once that connection closed */
    uint8_t author[32];
    ingest_cosig_result cr;
    int err;
    diag d;
    size_t len;
    char text[];
};

/* ---- sending -------------------------------------------------------------- */

bool net__cosig_full(const feed_rec *f)
{
    return f->sig_lines >= f->lines_full || f->lines_waited_size == f->size;
}

bool net__cosig_asks(const net_node *n, const feed_rec *f)
{
    return f->size > 0 && !(f->flags & STORE_FEED_FORKED) && !net__cosig_full(f) &&
           (f->keeps || f->asked_size == f->size) && memcmp(f->author, n->h->self, 32) != 0;
}

bool net__cosig_sends(const net_node *n, const feed_rec *f)
{
    return !(f->flags & STORE_FEED_FORKED) && (f->sig_lines > 1 || net__cosig_asks(n, f));
}

/* Whether f's latest checkpoint has a way towards its author here: it is
 * our own feed (we are where the lines collect), or a peer served it to us.
 * A checkpoint that came in a bundle has none: its lines go everywhere. */
static bool tree_rooted(net_node *n, const feed_rec *f)
{
    if (memcmp(f->author, n->h->self, 32) == 0) return true;
    for (peer *p = n->peers_head; p; p = p->next) {
        const remote_feed *r =
            p->state == PEER_ESTABLISHED ? net__sync_remote_find(p, f->author, NULL) : NULL;
        if (r && r->up_size == f->size) return true;
    }
    return false;
}

static void on_lines_timer(uv_timer_t *t);

void net__cosig_unhold(net_node *n, feed_rec *f)
{
    if (!f->lines_held_back) return;
    f->lines_held_back = false;
    if (--n->lines_held == 0) uv_timer_stop(&n->lines_timer); /* idle costs nothing */
}

/* The lines_timer fires by due_ms (uv_now) at the latest. */
static void lines_timer_arm(net_node *n, uint64_t due_ms)
{
    uint64_t now = uv_now(&n->loop), in = due_ms > now ? due_ms - now : 0;
    if (uv_is_active((uv_handle_t *)&n->lines_timer) && uv_timer_get_due_in(&n->lines_timer) <= in)
        return;
    uv_timer_start(&n->lines_timer, on_lines_timer, in, 0);
}

/* f's wait for a full set is over (its time passed, or its link up
 * closed): what it holds goes along every link of its tree, full set or
 * not, at the next cosig timer. */
static void wait_over(net_node *n, feed_rec *f)
{
    net__cosig_unhold(n, f);
    f->lines_waited_size = f->size;
    if (f->sig_lines > 1) f->cosig_changed = true;
    net__cosig_kick(n);
}

/* The waits whose time passed. */
static void on_lines_timer(uv_timer_t *t)
{
    net_node *n = container_of(t, net_node, lines_timer);
    if (n->stopping) return;
    uint64_t now = uv_now(&n->loop), next = UINT64_MAX;
    for (size_t i = 0; i < n->nfeeds; i++) {
        feed_rec *f = &n->feeds[i];
        if (!f->lines_held_back) continue; /* a set that filled was unheld then */
        uint64_t due = f->held_ms + NET_LINES_WAIT_MS;
        if (due > now) {
            if (due < next) next = due;
            continue;
        }
        if (net_log_enabled(NET_LOG_DEBUG)) {
            char who[ENTRY_ID_BYTES_MAX + 1];
            net__node_member_label(n, f->author, who, sizeof who);
            net_debug("no full set of lines on %s's checkpoint of size %llu after %d ms (%u of %u "
                      "lines): sending what we hold along its tree",
                      who, (unsigned long long)f->size, NET_LINES_WAIT_MS, f->sig_lines,
                      f->lines_full);
        }
        wait_over(n, f);
        n->count_lines_waits++;
    }
    if (next != UINT64_MAX && n->lines_held) uv_timer_start(t, on_lines_timer, next - now, 0);
}

/* Send to `to` (NULL: every established peer) a cosig message with our
 * latest checkpoint of each of authors[0..count), as stored. The messages
 * are encoded in one read transaction and sent after it ended. */
void net__sync_send_cosigs(net_node *n, peer *to, const uint8_t *const *authors, size_t count)
{
    uint8_t **msgs = calloc(count ? count : 1, sizeof *msgs);
    size_t *lens = calloc(count ? count : 1, sizeof *lens);
    uint64_t *hashes = calloc(count ? count : 1, sizeof *hashes);
    store_txn *txn;
    if (msgs == NULL || lens == NULL || hashes == NULL ||
        store_read_begin(n->h->st, &txn) != CF_OK) {
        free(msgs);
        free(lens);
        free(hashes);
        return;
    }
    for (size_t i = 0; i < count; i++) {
        const char *text;
        size_t len;
        uint64_t size;
        if (store_checkpoint_latest(txn, authors[i], &size, &text, &len) != CF_OK ||
            (msgs[i] = malloc(WIRE_COSIG_BYTES_MAX)) == NULL)
            continue;
        if (wire_encode_cosig(msgs[i], WIRE_COSIG_BYTES_MAX, authors[i], text, len, &lens[i])) {
            free(msgs[i]);
            msgs[i] = NULL;
        }
        hashes[i] = net__text_hash(text, len);
    }
    store_read_end(txn);
    for (size_t i = 0; i < count; i++) {
        if (msgs[i] == NULL) continue;
        feed_rec *f = net__sync_feed_find(n, authors[i]);
        bool held_back = false, rooted = f && tree_rooted(n, f);
        bool wait = rooted && !net__cosig_full(f);
        for (peer *p = to ? to : n->peers_head; p; p = to ? NULL : p->next) {
            if (p->state != PEER_ESTABLISHED) continue;
            remote_feed *r = net__sync_remote_find(p, authors[i], NULL);
            /* Our link towards the author; our text goes up it as a request
             * for lines we lack even when it is the text that link sent us. */
            bool up = r && f && r->up_size == f->size, ask = up && net__cosig_asks(n, f);
            /* It holds these very lines, or we sent them (it merges them). */
            if (r && (r->sent_hash == hashes[i] || (r->text_hash == hashes[i] && !ask))) continue;
            /* To every peer: only those that announced this checkpoint (the
             * others would ignore it, and get it when they announce it),
             * and of those the feed's fetch tree at that size: a batch of it
             * went over the link. The tree reaches every node, so every line
             * does, each over N - 1 links, not over every link. */
            if (to == NULL && (r == NULL || f == NULL || r->size != f->size ||
                               r->tree_size != f->size || memcmp(r->root, f->root, 32) != 0))
                continue;
            /* Down the tree, only to a peer that asked: it keeps the feed's
             * lines, or a home below it does; the others have no use for
             * them, and checking them was most of a node's work. Without
             * a link up (a bundle's checkpoint, a node restarted since it
             * fetched it) to every peer of the tree: the lines must reach
             * the author's side. */
            if (to == NULL && rooted && !up && r->want_size != f->size) continue;
            /* Up the tree at once, down it only as a full set: to a peer
             * that holds our checkpoint, but not over the link we fetched
             * it from, a set we hold in part waits (NET_LINES_WAIT_MS at
             * most). A line then crosses the links from its witness to the
             * author and reaches every other node once, with the others. */
            if (wait && r && r->size == f->size && memcmp(r->root, f->root, 32) == 0 &&
                r->up_size != f->size) {
                held_back = true;
                continue;
            }
            if (r) r->text_hash = r->sent_hash = hashes[i];
            /* A link a cosig of our size crossed is one of the tree's. */
            if (r && f && to) r->tree_size = f->size;
            net__peer_send(p, msgs[i], lens[i]);
        }
        if (held_back && !f->lines_held_back) {
            f->lines_held_back = true;
            n->lines_held++;
            lines_timer_arm(n, f->held_ms + NET_LINES_WAIT_MS);
        }
        free(msgs[i]);
    }
    free(msgs);
    free(lens);
    free(hashes);
}

/* Every feed whose latest checkpoint gained cosignatures since the last
 * look: to every peer (the flags are cleared either way). */
void net__cosig_announce(net_node *n, bool announce)
{
    const uint8_t **authors = NULL;
    size_t count = 0;
    for (size_t i = 0; i < n->nfeeds; i++) count += n->feeds[i].cosig_changed;
    if (count && announce && (authors = calloc(count, sizeof *authors)) != NULL) {
        count = 0;
        for (size_t i = 0; i < n->nfeeds; i++)
            if (n->feeds[i].cosig_changed) authors[count++] = n->feeds[i].author;
        net_debug("announcing cosignatures of %zu feeds to %zu peers", count, n->npeers);
        net__sync_send_cosigs(n, NULL, authors, count);
    }
    free(authors);
    for (size_t i = 0; i < n->nfeeds; i++) n->feeds[i].cosig_changed = false;
}

void net__cosig_send_due(net_node *n)
{
    for (peer *p = n->peers_head; p; p = p->next) {
        size_t count = 0;
        for (size_t i = 0; i < p->nremote; i++) count += p->remote[i].cosig_due;
        if (count == 0) continue;
        const uint8_t **authors = calloc(count, sizeof *authors);
        count = 0;
        for (size_t i = 0; i < p->nremote; i++) {
            remote_feed *r = &p->remote[i];
            if (!r->cosig_due) continue;
            r->cosig_due = false;
            const feed_rec *f = net__sync_feed_find(n, r->author);
            /* Still our checkpoint, with cosignatures, and not a text it
             * holds or was sent (net__sync_send_cosigs checks those). */
            if (authors && f && f->size == r->size && f->size > 0 &&
                memcmp(f->root, r->root, 32) == 0 && net__cosig_sends(n, f))
                authors[count++] = r->author;
        }
        if (count && p->state == PEER_ESTABLISHED) net__sync_send_cosigs(n, p, authors, count);
        free(authors);
    }
}

void net__cosig_on_timer(uv_timer_t *t)
{
    net_node *n = container_of(t, net_node, cosig_timer);
    if (n->stopping) return;
    /* The messages of the last NET_COSIG_DELAY_MS, merged in one
     * transaction; then every change, theirs and the batches', told. A
     * node writes at most once per gap (net__node_write_due): later, then,
     * with the batches that wait. */
    uint64_t now = uv_now(&n->loop), due = net__node_write_due(n);
    if (n->cosig_head && now < due) {
        uv_timer_start(t, net__cosig_on_timer, due - now, 0);
        return;
    }
    net__sync_apply_batches(n); /* waiting for the write gap: the cosigs go with them */
    net__cosig_merge(n);
    net__cosig_announce(n, true);
    net__cosig_send_due(n);
    uv_timer_stop(t); /* the merge's refresh may have started it again */
}

void net__cosig_kick(net_node *n)
{
    if (!n->stopping && !uv_is_active((uv_handle_t *)&n->cosig_timer))
        uv_timer_start(&n->cosig_timer, net__cosig_on_timer, NET_COSIG_DELAY_MS, 0);
}


/* ---- receiving ------------------------------------------------------------ */

/* A forged cosignature line: refused, logged, and a strike for the peer
 * (honest nodes verify every line before they store or pass it on); the
 * peer is dropped and backed off at NET_STRIKES_MAX. */
void net__cosig_forged(peer *p, uint64_t size, const char *who, const char *wit)
{
    static const char line[] = "peer %s: forged cosignature refused: the checkpoint of size "
                               "%llu of %s carries a line named after member %s that does not "
                               "verify";
    net_log_limited(line, true, NET_LOG_BURST_MEMBER, NET_LOG_WARN, line, p->name,
                    (unsigned long long)size, who, wit);
    if (net__guard_strike(p))
        net__peer_fault(p, "forged cosignatures: %d messages carried lines that do not verify",
                   NET_STRIKES_MAX);
}

int net__ckpt_text(const char *note_text, size_t len, checkpoint *cp)
{
    for (size_t i = 0; i + 1 < len; i++)
        if (note_text[i] == '\n' && note_text[i + 1] == '\n')
            return checkpoint_parse(note_text, i + 1, cp);
    return CF_ECKPT_FORMAT;
}

uint64_t net__cosig_size(const wire_msg *m)
{
    checkpoint cp;
    return net__ckpt_text(m->checkpoint, m->checkpoint_len, &cp) == CF_OK ? cp.size : 0;
}

void net__cosig_on_message(peer *p, const wire_msg *m)
{
    net_node *n = p->node;
    uint64_t hash = net__text_hash(m->checkpoint, m->checkpoint_len);
    uint64_t size = net__cosig_size(m);
    /* A peer that sends us lines is a link of the feed's tree at that size:
     * ours go back to it too (a link that replaced a lost one, below). */
    remote_feed *r = net__sync_remote_holds(p, m->author, hash, false, size);
    /* Only for our latest checkpoint of the feed: a peer behind or ahead
     * of us sends lines we get with the feed, or have no use for; merging
     * them into an earlier checkpoint would cost a write for nothing. A
     * checkpoint that does not parse goes on, to be refused by the merge. */
    feed_rec *f = net__sync_feed_find(n, m->author);
    /* Except a checkpoint of our own feed larger than what we hold: a peer
     * showing that this home is behind its own key (own.c). */
    if (memcmp(m->author, n->h->self, 32) == 0 && size > (f ? f->size : 0)) {
        net__own_on_ahead(p, m);
        return;
    }
    if (size != 0 && (f == NULL || f->size != size)) return;
    /* It keeps the feed's lines, or asks for a home below it that does:
     * ours go down to it. Lacking some ourselves, we ask up the tree too. */
    if (f && size != 0) {
        if (r) r->want_size = size;
        if (!(r && r->up_size == size) && f->asked_size != size) {
            f->asked_size = size;
            if (net__cosig_asks(n, f)) {
                f->cosig_changed = true;
                net__cosig_kick(n);
            }
        }
    }
    /* Exactly the text we hold: nothing in it is new here. */
    if (f && f->text_hash == hash) {
        n->count_cosig_same++;
        return;
    }
    struct cosig_item *it = malloc(sizeof *it + m->checkpoint_len);
    if (it == NULL) {
        net__peer_close(p, NET_LOG_ERROR, "out of memory");
        return;
    }
    it->next = NULL;
    it->from = p;
    memcpy(it->author, m->author, 32);
    it->len = m->checkpoint_len;
    memcpy(it->text, m->checkpoint, m->checkpoint_len);
    if (n->cosig_tail) n->cosig_tail->next = it;
    else n->cosig_head = it;
    n->cosig_tail = it;
    n->ncosig++;
    if (n->ncosig >= NET_COSIG_QUEUE_MAX) net__cosig_merge(n);
    net__cosig_kick(n); /* the announcement, and replies the merge marked due */
}

/* Every waiting message's merge, inside txn (repeatable: the store runs
 * it again after growing the map). A checkpoint not signed by its author is
 * that message's fault and writes nothing; any other error ends the
 * transaction. */
int net__cosig_merge_txn(store_txn *txn, net_node *n)
{
    ingest_cosigner me = {.kp = &n->kp, .time_s = net__node_wall_ms() / 1000,
                         .witnesses = &n->witnesses};
    for (struct cosig_item *it = n->cosig_head; it; it = it->next) {
        diag_clear(&it->d);
        it->err = ingest_cosigs(txn, n->net.net, it->author, it->text, it->len, &me, &it->cr,
                                &it->d);
        if (it->err && it->err != CF_EVERIFY) {
            it->d.code = it->err;
            return it->err;
        }
    }
    return CF_OK;
}

static int merge_txn(store_txn *txn, void *arg)
{
    return net__cosig_merge_txn(txn, arg);
}

/* What one merged message did: the sender's faults, the log. */
static void merged(net_node *n, struct cosig_item *it)
{
    peer *p = it->from;
    if (p == NULL || p->state != PEER_ESTABLISHED) return;
    if (it->err == CF_EVERIFY) {
        net__peer_fault(p, "cosig does not verify: %s", it->d.text);
        return;
    }
    if (!it->cr.forged && !(it->cr.changed && net_log_enabled(NET_LOG_DEBUG))) return;
    char who[ENTRY_ID_BYTES_MAX + 1], wit[ENTRY_ID_BYTES_MAX + 1];
    net__node_member_label(n, it->author, who, sizeof who);
    if (it->cr.forged) {
        net__node_member_label(n, it->cr.forged_key, wit, sizeof wit);
        net__cosig_forged(p, it->cr.size, who, wit);
    }
    if (it->cr.changed)
        net_debug("peer %s: %u new cosignature(s) on %s's checkpoint of size %llu", p->name,
                  it->cr.merged, who, (unsigned long long)it->cr.size);
}

void net__cosig_merge(net_node *n)
{
    if (n->cosig_head == NULL) return;
    uint64_t t0 = net__node_write_begin(n);
    n->count_cosig_txns++;
    int err = store_write(n->h->st, merge_txn, n);
    net__node_write_end(n, t0);
    net__cosig_merged(n, err, uv_hrtime() - t0);
}

void net__cosig_merged(net_node *n, int err, uint64_t ns)
{
    if (n->cosig_head == NULL) return;
    uint64_t share = ns / n->ncosig;
    uint8_t(*changed)[32] = malloc(n->ncosig * sizeof *changed);
    size_t nchanged = 0;
    struct cosig_item *it = n->cosig_head, *next;
    n->cosig_head = n->cosig_tail = NULL;
    n->ncosig = 0;
    if (err) {
        struct cosig_item *bad = it;
        while (bad && !(bad->err && bad->err != CF_EVERIFY)) bad = bad->next;
        net_error("cannot store cosignatures: %s",
                  bad && bad->d.text[0] ? bad->d.text : cf_strerror_en(err));
    }
    for (; it; it = next) {
        next = it->next;
        /* The merge's time counts against each sender's work budget. */
        if (it->from && it->from->state == PEER_ESTABLISHED) net__guard_budget_spend(it->from, share);
        if (err == CF_OK) {
            merged(n, it);
            /* It sent fewer lines than we may hold now: ours at the
             * announcement, unless it holds or was sent them. */
            remote_feed *r = it->from && it->from->state == PEER_ESTABLISHED && !it->err
                                 ? net__sync_remote_find(it->from, it->author, NULL)
                                 : NULL;
            if (r) r->cosig_due = true;
            if (it->cr.changed) {
                bool dup = false;
                n->count_cosig_writes++;
                for (size_t k = 0; k < nchanged && !dup; k++)
                    dup = memcmp(changed[k], it->author, 32) == 0;
                if (!dup && changed) memcpy(changed[nchanged++], it->author, 32);
            }
        }
        free(it);
    }
    if (nchanged) net__sync_refresh_feeds(n, (const uint8_t(*)[32])changed, nchanged);
    free(changed);
}

/* The connection is closing: its waiting messages are merged all the same
 * (they verified or will be refused), but blame no one. */
void net__cosig_on_close(peer *p)
{
    net_node *n = p->node;
    for (struct cosig_item *it = n->cosig_head; it; it = it->next)
        if (it->from == p) it->from = NULL;
    /* A link of a feed's tree lost: lines made later beyond it would not
     * reach us. Every other peer that holds our checkpoint becomes a link
     * of the tree and gets our lines (the cosig makes us one of its links,
     * and one with more lines replies). */
    bool any = false;
    for (size_t i = 0; i < p->nremote; i++) {
        const remote_feed *lost = &p->remote[i];
        feed_rec *f = net__sync_feed_find(n, lost->author);
        if (f == NULL || f->size == 0 || lost->tree_size != f->size) continue;
        /* Our link towards the author: lines can no longer go up it, so
         * what we hold goes along every other link, full set or not, now. */
        if (lost->up_size == f->size && !net__cosig_full(f)) wait_over(n, f);
        for (peer *q = n->peers_head; q; q = q->next) {
            remote_feed *r = q == p || q->state != PEER_ESTABLISHED
                                 ? NULL
                                 : net__sync_remote_find(q, lost->author, NULL);
            if (r == NULL || r->tree_size == f->size) continue;
            r->tree_size = f->size;
            r->cosig_due = any = true;
        }
    }
    if (any) net__cosig_kick(n);
}

void net__cosig_free(net_node *n)
{
    struct cosig_item *it = n->cosig_head, *next;
    for (; it; it = next) {
        next = it->next;
        free(it);
    }
    n->cosig_head = n->cosig_tail = NULL;
    n->ncosig = 0;
}
