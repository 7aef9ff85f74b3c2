/* own.c — this home's own feed as its peers hold it (home/own_feed.h;
 * docs/protocol.md §4 "Own feed"; docs/operations.md "The backup rule").
 *
 * A home restored from an old backup holds less of its own feed than its
 * key signed. Its peers tell it so with a signed checkpoint (a cosig of its
 * own feed), which it verifies and records as the behind mark — appends
 * are refused until the entries are back, fetched like any other feed's
 * (sync.c) and cleared by the batch that brings the feed to that size
 * (batch.c). A peer's status that shows no more of our feed than we hold is
 * a comparison, recorded at most once per NET_OWN_COMPARED_MS.
 */
#include <string.h>

#include "crypto/cf_error.h"
#include "home/own_feed.h"
#include "ledger/caltime.h"
#include "net_internal.h"

/* The peer's status shows it holds less of its own feed than we hold (a
 * home restored from a backup): send it our latest checkpoint of it, signed
 * by its key, as a cosig message — its proof that it is behind. Once per
 * size we hold. */
void net__own_tell_peer(peer *p)
{
    net_node *n = p->node;
    if (!p->identified || p->state != PEER_ESTABLISHED) return;
    const feed_rec *f = net__sync_feed_find(n, p->key);
    const remote_feed *r = net__sync_remote_find(p, p->key, NULL);
    uint64_t theirs = r ? r->size : 0;
    if (f == NULL || f->size <= theirs || f->size <= p->told_own ||
        (f->flags & STORE_FEED_FORKED))
        return;
    p->told_own = f->size;
    const uint8_t *author = p->key;
    net_debug("telling %s that we hold %llu entries of its own feed (it announced %llu)",
              p->name, (unsigned long long)f->size, (unsigned long long)theirs);
    net__sync_send_cosigs(n, p, &author, 1);
}

/* What the peer's status says of our own feed: more than we hold is logged
 * (the signed checkpoint follows in a cosig, and the feed is fetched like
 * any other); not more is a comparison, recorded at most once per
 * NET_OWN_COMPARED_MS (own_feed.h). */
void net__own_compare(peer *p)
{
    net_node *n = p->node;
    const remote_feed *r = net__sync_remote_find(p, n->h->self, NULL);
    const feed_rec *f = net__sync_feed_find(n, n->h->self);
    uint64_t theirs = r ? r->size : 0, ours = f ? f->size : 0;
    if (!p->identified) return;
    if (theirs > ours) {
        if (theirs > p->announced_own) {
            p->announced_own = theirs;
            net_info("peer %s announces %llu entries of this home's own feed, this home holds "
                     "%llu: fetching them back", p->name, (unsigned long long)theirs,
                     (unsigned long long)ours);
        }
        return;
    }
    uint64_t now = net__node_wall_ms();
    if (n->own_compared_ms != 0 && now - n->own_compared_ms < NET_OWN_COMPARED_MS) return;
    static const uint8_t none[32];
    bool recorded = false;
    int err = net__batch_own_compared(n, theirs, r ? r->root : none, p->name, &recorded);
    if (err) {
        net_error("cannot record the comparison of this home's own feed: %s", cf_strerror_en(err));
        return;
    }
    if (recorded) {
        n->own_compared_ms = now;
        net_debug("compared this home's own feed with %s's copy (%llu of %llu entries)",
                  p->name, (unsigned long long)theirs, (unsigned long long)ours);
    }
}

/* A peer's checkpoint of our own feed larger than what we hold (its cosig
 * message): signed by our key, so our key signed more than this home holds
 * — the home was restored from a backup. Record it (appends are refused
 * until the entries are back) and fetch them. */
void net__own_on_ahead(peer *p, const wire_msg *m)
{
    net_node *n = p->node;
    own_feed_ahead res;
    diag d;
    int err = net__batch_own_ahead(n, m->checkpoint, m->checkpoint_len, p->name, &res, &d);
    if (err && !net__batch_env_error(err)) {
        net__peer_fault(p, "cosig does not verify: %s", d.text);
        return;
    }
    if (err) {
        net_error("cannot record that this home's own feed is behind: %s", d.text);
        return;
    }
    if (res.news)
        net_warn("this home's own feed is behind: peer %s holds %llu entries of it, signed by "
                 "this home's key, this home %llu (restored from a backup?); fetching them back, "
                 "appends are refused until then (docs/operations.md \"The backup rule\")",
                 p->name, (unsigned long long)res.size, (unsigned long long)res.held);
    remote_feed *r = net__sync_remote_find(p, n->h->self, NULL);
    if (r) r->stalled = false;
    net__sync_plan(p);
}

void net__own_start(net_node *n)
{
    store_txn *txn;
    own_feed_mark m;
    store_feed f;
    if (store_read_begin(n->h->st, &txn) != CF_OK) return;
    int err = own_feed_behind_get(txn, &m);
    if (store_feed_get(txn, n->h->self, &f) != CF_OK) f.size = 0;
    store_read_end(txn);
    if (err == CF_OK && m.size > f.size) {
        char t[CALTIME_TEXT_BYTES];
        caltime_format(m.time_ms, 0, t);
        net_warn("this home's own feed is behind: peer %s holds %llu entries of it (learned %s), "
                 "this home %llu; fetching them back from peers, appends are refused until then",
                 m.who, (unsigned long long)m.size, t, (unsigned long long)f.size);
    }
}
