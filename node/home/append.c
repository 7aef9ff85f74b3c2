/* append.c — see append.h. */
#include "append.h"

#include <stdlib.h>
#include <string.h>

#include "bundle/ckpt.h"
#include "crypto/cf_error.h"
#include "crypto/cf_i18n.h"
#include "crypto/merkle.h"
#include "ledger/amount.h"
#include "ledger/caltime.h"
#include "ledger/rules.h"
#include "replica.h"
#include "own_feed.h"
#include "state_cache.h"
#include "store/store.h"

/* The store holds exactly the entries the ledger accepts: store/ cannot see
 * ledger/, so the tie is made here, where both are visible. */
_Static_assert(STORE_ENTRY_BYTES_MAX == ENTRY_BYTES_MAX, "store and ledger agree on entry size");

struct append_job {
    home *h;
    const keyfile_keypair *kp;
    entry *es;
    size_t n;
    const uint64_t *times; /* the callers' times, restored on every attempt */
    uint64_t now_ms;
    append_result *res;
    diag *d;
    unsigned flags; /* APPEND_DRY_RUN */
};

/* append_txn's return for a dry run that passed: not 0, so store_write
 * aborts the transaction; append_entries_opts turns it into CF_OK. */
#define APPEND_TXN_DRY 1

/* Sign the checkpoint (size, root) of this home's feed and store it. */
static int put_checkpoint(struct append_job *j, store_txn *txn, const uint8_t net[32],
                          uint64_t size, const uint8_t root[32])
{
    char signed_ckpt[CKPT_SIGNED_BYTES_MAX];
    size_t signed_len;
    int err = ckpt_sign(net, j->h->self, j->kp->sk, size, root, signed_ckpt, sizeof signed_ckpt,
                        &signed_len);
    if (err) return diag_set(j->d, err, NULL, "signing the checkpoint: %s", cf_strerror(err));
    if ((err = store_checkpoint_put(txn, j->h->self, size, signed_ckpt, signed_len)) != 0)
        return diag_set(j->d, err, NULL, "storing the checkpoint: %s", cf_strerror(err));
    j->res->checkpoints++;
    return CF_OK;
}

/* R-MATCH.6: each citation states how far this home has read the cited
 * feed — the entries of it applied here, and at least up to the cited one
 * (a citation of an entry not applied here leaves the match pending, which
 * the rules report) — unless the caller stated a read point itself. The
 * rules then check the counterpart still holds what the match stands on as
 * of that point: here, as it stands now. */
static int fill_read_points(const ledger_kv *kv, ledger_cache *cache, body_match *b, diag *d)
{
    for (size_t i = 0; i < b->ncites && i < ENTRY_CITES_MAX; i++) {
        entry_cite *ct = &b->cites[i];
        state_tip t;
        if (ct->has_read || ct->index == UINT64_MAX) continue;
        int err = ledger_cache_tip(kv, cache, ct->author, &t);
        if (err) return diag_set(d, err, NULL, "reading a cited feed: %s", cf_strerror(err));
        ct->has_read = true;
        ct->read = t.applied > ct->index ? t.applied : ct->index + 1;
    }
    return CF_OK;
}

/* One attempt of the batch, the state seen through the batch's write-back
 * cache sc (bound to kv): the rules' writes reach the store once per record,
 * flushed after the last entry, before the checkpoint (state_cache.h). */
static int append_run(store_txn *txn, struct append_job *j, state_cache *sc, ledger_kv *kvp)
{
    const ledger_kv kv = *kvp;
    ledger_cache cache;
    state_network net;
    state_tip tip, gov_tip;
    store_feed feed;
    store_appender app;
    entry dec;
    uint8_t buf[ENTRY_BYTES_MAX], leaf[32];
    size_t len;
    uint64_t span_entries = 0, span_bytes = 0; /* since the previous checkpoint */
    int err;

    j->res->checkpoints = 0; /* store_write may run this function again */
    /* The network, the governance tip and this feed's tip are read once and
     * kept current by the rules as they apply the batch (rules.h). */
    ledger_cache_init(&cache);
    bool have_net = (err = ledger_cache_network(&kv, &cache, &net)) == CF_OK;
    if (err && err != CF_ENOTFOUND) return diag_set(j->d, err, NULL, "reading the network: %s", cf_strerror(err));
    if ((err = ledger_cache_tip(&kv, &cache, j->h->self, &tip)) != 0)
        return diag_set(j->d, err, NULL, "reading this feed: %s", cf_strerror(err));
    state_member me;
    if (have_net && state_member_get(&kv, j->h->self, &me) == CF_OK && me.closed)
        return diag_set(j->d, CF_EREJECTED, "R-KEY.2",
                        "%s's key was %s at index %llu by governance entry %llu: this home "
                        "writes nothing more%s",
                        me.name, me.has_next ? _("replaced") : _("retired"),
                        (unsigned long long)me.closed_at, (unsigned long long)me.closed_by,
                        me.has_next ? _(" (the member continues from the home of its new key)")
                                    : "");
    err = store_feed_get(txn, j->h->self, &feed);
    if (err == CF_ENOTFOUND) feed.size = 0;
    else if (err) return diag_set(j->d, err, NULL, "reading this feed: %s", cf_strerror(err));
    else if (feed.flags & STORE_FEED_FORKED)
        return diag_set(j->d, CF_EFORK, NULL,
                        "this home's own feed is forked (see `cofund forks`): appending is stopped");
    /* A copy of this feed signed by this key and longer than what is held
     * exists elsewhere (a restored backup): appending now would sign a second
     * history from this size (own_feed.h). */
    own_feed_mark behind;
    err = own_feed_behind_get(txn, &behind);
    if (err == CF_OK && behind.size > feed.size)
        return diag_set(j->d, CF_EBEHIND, NULL,
                        "this home's own feed is behind: peer %s holds %llu entries of it, this home "
                        "%llu", behind.who, (unsigned long long)behind.size,
                        (unsigned long long)feed.size);
    if (err != CF_OK && err != CF_ENOTFOUND)
        return diag_set(j->d, err, NULL, "reading the behind mark: %s", cf_strerror(err));
    if (feed.size != tip.applied)
        return diag_set(j->d, CF_EPENDING, NULL,
                        "this home's own feed has %llu stored entries not applied (pending or held); "
                        "resolve them before appending",
                        (unsigned long long)(feed.size - tip.applied));
    if ((err = store_append_begin(txn, j->h->self, &app)) != 0)
        return diag_set(j->d, err, NULL, "opening this feed: %s", cf_strerror(err));

    for (size_t i = 0; i < j->n; i++) {
        entry *e = &j->es[i];
        e->time_ms = j->times[i]; /* store_write may run this function again */
        memcpy(e->author, j->h->self, 32);
        e->index = tip.applied;
        if (e->type != ENTRY_GENESIS) {
            if (!have_net && (err = ledger_cache_network(&kv, &cache, &net)) != 0)
                return diag_set(j->d, CF_ENO_NETWORK, NULL,
                                "this home has not joined a network yet");
            have_net = true;
            e->has_net = true;
            memcpy(e->net, net.net, 32);
            if ((err = ledger_cache_tip(&kv, &cache, net.gov_key, &gov_tip)) != 0)
                return diag_set(j->d, err, NULL, "reading the governance feed: %s", cf_strerror(err));
            e->gov = state_gov_size(&net, gov_tip.applied);
            /* R-SUCCEED.1: a succession counts the governance entries that
             * stand under the key it replaces, not what this home applied. */
            if (e->type == ENTRY_SUCCESSION) e->gov = net.gov_base + e->body.succession.close;
        } else {
            e->has_net = false;
            e->gov = 0;
        }
        if (e->time_ms == 0) {
            e->time_ms = j->now_ms > tip.last_time ? j->now_ms : tip.last_time;
        } else if (e->time_ms > j->now_ms + APPEND_FUTURE_MS_MAX) {
            char t[CALTIME_TEXT_BYTES];
            caltime_format(e->time_ms, have_net ? net.tz_min : 0, t);
            return diag_set(j->d, CF_EREJECTED, NULL,
                            "time %s is more than %d minutes ahead of this machine's clock "
                            "(a local check, not a network rule)", t,
                            APPEND_FUTURE_MS_MAX / (60 * 1000));
        }
        if (e->type == ENTRY_MATCH &&
            (err = fill_read_points(&kv, &cache, &e->body.match, j->d)) != 0)
            return err;
        if (e->type == ENTRY_REVERSAL && !e->body.reversal.has_read &&
            (err = ledger_reversal_read(&kv, &cache, e, &e->body.reversal.has_read,
                                        &e->body.reversal.read)) != 0)
            return diag_set(j->d, err, NULL, "reading the operator's feed: %s", cf_strerror(err));
        /* Encode, then decode the exact bytes with the replicas' strict
         * decoder (entry_encode's own check, done once) and hash them once:
         * the rules and the store take that entry and that leaf. */
        if ((err = entry_encode_nocheck(e, buf, sizeof buf, &len, j->d)) != 0 ||
            (err = entry_decode(buf, len, &dec, j->d)) != 0)
            return err;
        merkle_leaf_hash(buf, len, leaf);
        if ((err = ledger_process_entry(&kv, &cache, j->h->self, e->index, &dec, leaf, j->d)) != 0) {
            if (err == CF_EPENDING)
                diag_set(j->d, CF_EPENDING, NULL, "cannot append yet: %s", j->d->text);
            return err;
        }
        if ((err = store_append_hashed(&app, buf, len, leaf)) != 0)
            return diag_set(j->d, err, NULL, "writing the entry: %s", cf_strerror(err));
        memcpy(j->res->last_leaf, leaf, 32);
        if (i == 0) j->res->first_index = e->index;
        if ((err = ledger_cache_tip(&kv, &cache, j->h->self, &tip)) != 0)
            return diag_set(j->d, err, NULL, "reading this feed: %s", cf_strerror(err));
        if (e->type == ENTRY_GENESIS && (err = ledger_cache_network(&kv, &cache, &net)) == CF_OK)
            have_net = true;
        /* A span that reached its limit ends with a checkpoint of the tree
         * so far (ckpt.h); the batch's last entry ends with the final one. */
        span_entries++;
        span_bytes += len;
        if (i + 1 < j->n && ckpt_span_full(span_entries, span_bytes)) {
            uint8_t root[32];
            CF_ASSERT(have_net && store_append_size(&app) == tip.applied);
            store_append_root(&app, root);
            if ((err = put_checkpoint(j, txn, net.net, store_append_size(&app), root)) != 0) return err;
            span_entries = span_bytes = 0;
        }
    }
    if ((err = store_append_finish(&app, j->res->root)) != 0)
        return diag_set(j->d, err, NULL, "writing the tree: %s", cf_strerror(err));
    j->res->size = tip.applied;
    if (j->flags & APPEND_DRY_RUN) return APPEND_TXN_DRY;
    if ((err = state_cache_flush(sc)) != 0)
        return diag_set(j->d, err, NULL, "writing the state: %s", cf_strerror(err));
    if ((err = put_checkpoint(j, txn, net.net, j->res->size, j->res->root)) != 0) return err;
    /* R-KEY: a rekey or retire that closed a key behind what this home had
     * applied of its feed: the state is rebuilt without what stopped counting. */
    bool rebuild;
    if ((err = state_rebuild_requested(&kv, &rebuild)) != 0)
        return diag_set(j->d, err, NULL, "reading the state: %s", cf_strerror(err));
    if (!rebuild) return CF_OK;
    drain_result dr;
    return replica_rebuild(txn, &dr, j->d);
}

static int append_txn(store_txn *txn, void *arg)
{
    state_cache sc;
    ledger_kv kv;
    state_cache_init(&sc, txn, &kv);
    int err = append_run(txn, arg, &sc, &kv);
    state_cache_free(&sc);
    return err;
}

int append_entries(home *h, const keyfile_keypair *kp, entry *es, size_t n,
                uint64_t now_ms, append_result *res, diag *d)
{
    return append_entries_opts(h, kp, es, n, now_ms, 0, res, d);
}

int append_entries_opts(home *h, const keyfile_keypair *kp, entry *es, size_t n,
                        uint64_t now_ms, unsigned flags, append_result *res, diag *d)
{
    if (n == 0 || n > APPEND_BATCH_MAX)
        return diag_set(d, CF_EINVAL, NULL, "append batch of %zu entries", n);
    if (h->readonly) return diag_set(d, CF_ESTORE_READONLY, NULL, "home opened read-only");
    uint64_t *times = malloc(n * sizeof *times);
    if (times == NULL) return diag_set(d, CF_ENOMEM, NULL, "out of memory");
    for (size_t i = 0; i < n; i++) times[i] = es[i].time_ms;
    struct append_job j = {h, kp, es, n, times, now_ms, res, d, flags};
    diag_clear(d);
    int err = store_write(h->st, append_txn, &j);
    if (err == APPEND_TXN_DRY) err = CF_OK;
    free(times);
    if (err && d->code == CF_OK)
        diag_set(d, err, NULL, "append failed: %s", cf_strerror(err));
    return err;
}
