/* drain.c — see drain.h. */
#include "drain.h"

#include <stdlib.h>
#include <string.h>

#include "crypto/cf_error.h"
#include "crypto/cf_util.h"
#include "evidence_db.h"
#include "ledger/entry.h"
#include "ledger/rules.h"
#include "state_kv.h"

typedef struct {
    uint8_t (*authors)[32];
    size_t n, cap;
} author_list;

/* Collects feed authors; with skip_frozen, only feeds the rules may still
 * advance: not held (a forked feed advances up to its point). */
typedef struct {
    author_list list;
    bool skip_frozen;
} author_filter;

static int collect(void *arg, const store_feed *f)
{
    author_filter *c = arg;
    author_list *l = &c->list;
    if (c->skip_frozen && (f->flags & STORE_FEED_HELD)) return CF_OK;
    if (l->n == l->cap) {
        size_t cap = l->cap ? l->cap * 2 : 16;
        uint8_t(*na)[32] = realloc(l->authors, cap * sizeof *na);
        if (na == NULL) return CF_ENOMEM;
        l->authors = na;
        l->cap = cap;
    }
    memcpy(l->authors[l->n++], f->author, 32);
    return CF_OK;
}

/* Apply what can be applied of one feed; *progress counts entries applied. */
static int drain_feed(store_txn *txn, const ledger_kv *kv, ledger_cache *cache,
                      const uint8_t author[32], drain_result *res, bool *waiting,
                      drain_violation_fn visit, void *arg, diag *d)
{
    store_feed f;
    state_tip tip;
    entry e;
    uint8_t buf[ENTRY_BYTES_MAX], leaf[32];
    int err;

    *waiting = false;
    if ((err = store_feed_get(txn, author, &f)) != 0) return err;
    if (f.flags & STORE_FEED_HELD) return CF_OK;
    /* A forked feed counts up to its point (R-FORK), written by the rebuild. */
    uint64_t limit = f.size, point;
    if (f.flags & STORE_FEED_FORKED) {
        err = state_fork_get(kv, author, &point);
        if (err && err != CF_ENOTFOUND) return err;
        limit = err == CF_ENOTFOUND ? 0 : (point < f.size ? point : f.size);
    }
    if ((err = ledger_cache_tip(kv, cache, author, &tip)) != 0) return err;
    while (tip.applied < limit) {
        const uint8_t *bytes;
        size_t len;
        diag verdict;
        if ((err = store_entry_get(txn, author, tip.applied, &bytes, &len)) != 0) return err;
        if (len > sizeof buf) return CF_ESTORE_CORRUPT;
        /* Copy: the rules write to the store, which may move what bytes
         * points at. */
        memcpy(buf, bytes, len);
        /* ledger_process, with the leaf hash the store computed from these
         * bytes when it stored them (the tree under the author's signed root
         * is built from it) rather than hashing them once more. */
        if ((err = store_leaf_get(txn, author, tip.applied, leaf)) != 0) return err;
        diag_clear(&verdict);
        if (entry_decode(buf, len, &e, &verdict) != CF_OK) {
            verdict.code = CF_EREJECTED;
            err = CF_EREJECTED;
        } else {
            err = ledger_process_entry(kv, cache, author, tip.applied, &e, leaf, &verdict);
        }
        if (err == CF_OK) {
            tip.applied++;
            res->applied++;
            continue;
        }
        if (err == CF_EPENDING) {
            *waiting = true;
            break;
        }
        if (err != CF_EREJECTED) {
            *d = verdict;
            return err;
        }
        if ((err = evidence_violation_put(txn, author, tip.applied, &verdict)) != 0 ||
            (err = store_feed_set_status(txn, author, tip.applied, f.flags | STORE_FEED_HELD)) != 0)
            return err;
        res->violations++;
        if (visit) visit(arg, author, tip.applied, &verdict);
        return CF_OK;
    }
    return store_feed_set_status(txn, author, tip.applied, f.flags);
}

int node_drain(store_txn *txn, drain_result *res, drain_violation_fn visit, void *arg,
               diag *d)
{
    ledger_kv kv;
    ledger_cache cache;
    author_filter c = {.skip_frozen = true};
    author_list *l = &c.list;
    int err;

    memset(res, 0, sizeof *res);
    diag_clear(d);
    state_kv_init(&kv, txn);
    /* Only the rules write the state from here on: one cache for the drain. */
    ledger_cache_init(&cache);
    if ((err = store_feeds_each(txn, collect, &c)) != 0) goto out;
    for (;;) {
        uint64_t before = res->applied;
        res->pending = 0;
        for (size_t i = 0; i < l->n; i++) {
            bool waiting;
            err = drain_feed(txn, &kv, &cache, l->authors[i], res, &waiting, visit, arg, d);
            if (err) goto out;
            res->pending += waiting;
        }
        if (res->applied == before || res->pending == 0) break;
    }
out:
    free(l->authors);
    if (err && d->code == CF_OK) diag_set(d, err, NULL, "applying entries: %s", cf_strerror(err));
    return err;
}

static int count_violation(void *arg, const evidence_violation *v)
{
    (void)v;
    (*(uint64_t *)arg)++;
    return CF_OK;
}

/* The point of each fork proof held, into the fresh state (R-FORK): an
 * unlocated proof counts as point 0 — none of the feed counts until a
 * proof says where its histories part. */
static int put_fork_point(void *arg, const uint8_t author[32], const uint8_t *proof, size_t len)
{
    uint64_t point = fork_proof_point(proof, len);
    return state_fork_put(arg, author, point == FORK_POINT_UNKNOWN ? 0 : point);
}

int node_rebuild(store_txn *txn, drain_result *res, diag *d)
{
    ledger_kv kv;
    author_filter c = {.skip_frozen = false};
    author_list *l = &c.list;
    uint64_t before = 0, after = 0;
    const uint8_t violation_tag = 'V';
    int err;

    diag_clear(d);
    if ((err = evidence_violations_each(txn, count_violation, &before)) != 0 ||
        (err = store_kv_clear(txn, STORE_T_STATE, NULL, 0)) != 0 ||
        (err = store_kv_clear(txn, STORE_T_EVIDENCE, &violation_tag, 1)) != 0 ||
        (err = store_feeds_each(txn, collect, &c)) != 0)
        goto out;
    state_kv_init(&kv, txn);
    if ((err = evidence_forks_each(txn, put_fork_point, &kv)) != 0) goto out;
    for (size_t i = 0; i < l->n; i++) {
        store_feed f;
        if ((err = store_feed_get(txn, l->authors[i], &f)) != 0 ||
            (err = store_feed_set_status(txn, l->authors[i], 0, f.flags & ~(uint32_t)STORE_FEED_HELD)) != 0)
            goto out;
    }
    if ((err = node_drain(txn, res, NULL, NULL, d)) != 0) goto out;
    if ((err = evidence_violations_each(txn, count_violation, &after)) != 0) goto out;
    res->violations = after > before ? after - before : 0;
out:
    free(l->authors);
    if (err && d->code == CF_OK) diag_set(d, err, NULL, "rebuilding the ledger state: %s", cf_strerror(err));
    return err;
}
