/* drain.c — see drain.h. */
#include "drain.h"

#include <stdlib.h>
#include <string.h>

#include "crypto/cf_error.h"

/* Apply what can be applied of feed i; *waiting when an entry waits. */
static int drain_feed(const drain_source *s, size_t i, drain_result *res, bool *waiting,
                      diag *d)
{
    const uint8_t *author = s->author(s->arg, i);
    uint64_t next, end;
    bool skip;
    int err;

    *waiting = false;
    if ((err = s->begin(s->arg, i, &skip, &next, &end)) != CF_OK) return err;
    if (skip) return CF_OK;
    while (next < end) {
        const entry *e;
        const uint8_t *leaf;
        diag verdict;
        diag_clear(&verdict);
        err = s->entry(s->arg, i, next, &e, &leaf, &verdict);
        if (err == DRAIN_STOP) break;
        if (err == CF_OK)
            err = ledger_process_entry(s->kv, s->cache, author, next, e, leaf, &verdict);
        if (err != CF_OK && err != CF_EPENDING && err != CF_EREJECTED) {
            *d = verdict;
            return err;
        }
        int v = err;
        if ((err = s->judged(s->arg, i, next, v, &verdict)) != CF_OK) return err;
        if (v == CF_EPENDING) {
            *waiting = true;
            break;
        }
        if (v == CF_EREJECTED) {
            res->violations++;
            break;
        }
        next++;
        res->applied++;
    }
    return s->end(s->arg, i, next);
}

/* Feed numbers by author key. */
typedef struct {
    const drain_source *s;
    size_t i;
} by_author;

static int cmp_author(const void *x, const void *y)
{
    const by_author *a = x, *b = y;
    return memcmp(a->s->author(a->s->arg, a->i), b->s->author(b->s->arg, b->i), 32);
}

int drain_run(const drain_source *src, drain_result *res, diag *d)
{
    by_author *order = calloc(src->nfeeds ? src->nfeeds : 1, sizeof *order);
    int err = CF_OK;

    memset(res, 0, sizeof *res);
    diag_clear(d);
    if (order == NULL) return CF_ENOMEM;
    for (size_t i = 0; i < src->nfeeds; i++) order[i] = (by_author){src, i};
    qsort(order, src->nfeeds, sizeof *order, cmp_author);
    for (;;) {
        uint64_t before = res->applied;
        res->pending = 0;
        for (size_t k = 0; k < src->nfeeds; k++) {
            bool waiting;
            if ((err = drain_feed(src, order[k].i, res, &waiting, d)) != CF_OK) goto out;
            res->pending += waiting;
        }
        if (res->applied == before || res->pending == 0) break;
    }
out:
    free(order);
    return err;
}

void drain_classify_wait(const ledger_kv *kv, const entry *e, drain_feed_fn feed, void *arg,
                         drain_wait *out)
{
    state_network net;
    state_tip tip;

    memset(out, 0, sizeof *out);
    out->reason = DRAIN_WAIT_OTHER;
    if (state_network_get(kv, &net) != CF_OK) {
        out->reason = DRAIN_WAIT_NO_GENESIS;
        return;
    }
    if (state_tip_get(kv, net.gov_key, &tip) == CF_OK &&
        e->gov > state_gov_size(&net, tip.applied)) {
        out->reason = DRAIN_WAIT_GOV;
        out->gov_need = e->gov;
        out->gov_have = state_gov_size(&net, tip.applied);
        return;
    }
    if (e->type != ENTRY_MATCH) return;
    for (size_t i = 0; i < e->body.match.ncites; i++) {
        const entry_cite *c = &e->body.match.cites[i];
        drain_feed_state st;
        uint64_t size = 0;
        /* R-MATCH.6: the match needs the cited feed up to its read point. */
        uint64_t last = c->has_read && c->read > c->index ? c->read - 1 : c->index;
        if (state_tip_get(kv, c->author, &tip) == CF_OK && last < tip.applied) continue;
        if (feed(arg, c->author, &st, &size) != CF_OK) return;
        out->cite = c;
        out->cited_last = last;
        if (st == DRAIN_FEED_ABSENT) {
            out->reason = DRAIN_WAIT_CITE_NO_FEED;
        } else if (last >= size) {
            out->reason = DRAIN_WAIT_CITE_BEYOND;
            out->cited_size = size;
        } else if (st == DRAIN_FEED_FORKED) {
            out->reason = DRAIN_WAIT_CITE_FORKED;
        } else if (st == DRAIN_FEED_HELD) {
            out->reason = DRAIN_WAIT_CITE_HELD;
        } else {
            out->reason = DRAIN_WAIT_CITE_WAITING;
        }
        return;
    }
}
