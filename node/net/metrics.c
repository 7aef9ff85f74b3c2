/* metrics.c — what the node counts for /metrics (net.h "Metrics"): the
 * largest size peers announced of each feed (sync lag), this home's own
 * appends noticed, peers' batches applied and the time their store
 * transactions took. Everything here runs on the loop. */
#include <stdlib.h>
#include <string.h>

#include "crypto/cf_error.h"
#include "net_internal.h"

const double net_latency_bounds[NET_LATENCY_BUCKETS] = {0.001, 0.0025, 0.005, 0.01, 0.025,
                                                        0.05,  0.1,    0.25,  1.0};

void net_histogram_observe(net_histogram *h, double seconds)
{
    h->count++;
    h->sum_s += seconds;
    for (size_t i = 0; i < NET_LATENCY_BUCKETS; i++)
        if (seconds <= net_latency_bounds[i]) h->le[i]++;
}

void net__metrics_peer_closing(peer *p)
{
    for (size_t i = 0; i < p->nremote; i++) {
        feed_rec *f = net__sync_feed_find(p->node, p->remote[i].author);
        if (f && p->remote[i].size > f->seen_size) f->seen_size = p->remote[i].size;
    }
}

void net__metrics_ingest(net_node *n, const batch_job *head, bool group, uint64_t ns, int err)
{
    if (err != CF_OK) return;
    for (const batch_job *j = head; j; j = group ? j->next : NULL) {
        if (j->stale) continue;
        n->count_ingest_batches++;
        if (j->held_after > j->held_before) n->count_ingest_entries += j->held_after - j->held_before;
    }
    net_histogram_observe(&n->ingest_hist, (double)ns / 1e9);
}

int net_node_sync_stats(net_node *n, net_sync_stats *out)
{
    memset(out, 0, sizeof *out);
    out->feeds = calloc(n->nfeeds ? n->nfeeds : 1, sizeof *out->feeds);
    if (out->feeds == NULL) return CF_ENOMEM;
    for (size_t i = 0; i < n->nfeeds; i++) {
        const feed_rec *f = &n->feeds[i];
        net_feed_sync *o = &out->feeds[out->nfeeds++];
        memcpy(o->author, f->author, 32);
        o->held = f->size;
        o->seen = f->seen_size;
        o->grew_wall_ms = f->grew_wall_ms;
        for (peer *p = n->peers_head; p; p = p->next) {
            const remote_feed *r = net__sync_remote_find(p, f->author, NULL);
            if (r && r->size > o->seen) o->seen = r->size;
        }
    }
    out->own_appended = n->count_own_appended;
    out->ingest_batches = n->count_ingest_batches;
    out->ingest_entries = n->count_ingest_entries;
    out->ingest = n->ingest_hist;
    return CF_OK;
}

void net_sync_stats_free(net_sync_stats *s)
{
    free(s->feeds);
    s->feeds = NULL;
    s->nfeeds = 0;
}
