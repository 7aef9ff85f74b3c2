/* replica.c — see replica.h. */
#include "replica.h"

#include <stdlib.h>
#include <string.h>

#include "bundle/ckpt.h"
#include "crypto/cf_error.h"
#include "crypto/cf_i18n.h"
#include "evidence_db.h"
#include "ledger/entry.h"
#include "ledger/rules.h"
#include "state_cache.h"
#include "state_kv.h"

/* A drain writes the rules' state back to the store once its cache holds
 * this many bytes of keys and values (the map takes 2-3 times as much). */
#define REPLICA_STATE_CACHE_BYTES ((size_t)4 << 20)

/* ---- the drain: the ledger's scheduler over the store ----------------------- */

typedef struct {
    uint8_t (*authors)[32];
    size_t n, cap;
    bool skip_frozen; /* collect only feeds the rules may still advance: not
                       * held (a forked feed advances up to its point) */
} author_list;

static int collect(void *arg, const store_feed *f)
{
    author_list *l = arg;
    if (l->skip_frozen && (f->flags & STORE_FEED_HELD)) return CF_OK;
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

typedef struct {
    store_txn *txn;
    const ledger_kv *kv;
    state_cache *sc; /* kv's write-back cache */
    ledger_cache cache;
    author_list feeds;
    store_feed f; /* the feed being drained, as it stood when the pass reached it */
    bool held;    /* it was held now */
    entry e;
    uint8_t buf[ENTRY_BYTES_MAX], leaf[32];
    replica_violation_fn visit;
    void *visit_arg;
} store_drain;

static const uint8_t *sd_author(void *arg, size_t i)
{
    return ((store_drain *)arg)->feeds.authors[i];
}

static int sd_begin(void *arg, size_t i, bool *skip, uint64_t *next, uint64_t *end)
{
    store_drain *s = arg;
    state_tip tip;
    int err;
    s->held = false;
    if ((err = store_feed_get(s->txn, s->feeds.authors[i], &s->f)) != 0) return err;
    *skip = (s->f.flags & STORE_FEED_HELD) != 0;
    if (*skip) return CF_OK;
    if ((err = ledger_cache_tip(s->kv, &s->cache, s->feeds.authors[i], &tip)) != 0) return err;
    *next = tip.applied;
    /* R-FORK: a forked feed up to its point, written by the rebuild; R-KEY:
     * a closed key's feed up to where it was closed. */
    return state_feed_end(s->kv, s->feeds.authors[i], s->f.size, end);
}

static int sd_entry(void *arg, size_t i, uint64_t index, const entry **e, const uint8_t **leaf,
                    diag *d)
{
    store_drain *s = arg;
    const uint8_t *bytes;
    size_t len;
    int err;
    /* Between two entries nothing holds a pointer into the state: the place
     * to write back what the cache holds once it is large, so that a drain of
     * a million entries in one transaction keeps its memory bounded. */
    if (state_cache_held(s->sc) >= REPLICA_STATE_CACHE_BYTES &&
        (err = state_cache_flush(s->sc)) != 0)
        return err;
    if ((err = store_entry_get(s->txn, s->feeds.authors[i], index, &bytes, &len)) != 0)
        return err;
    if (len > sizeof s->buf) return CF_ESTORE_CORRUPT;
    /* Copy: the rules write to the store, which may move what bytes points
     * at. The leaf hash is the one the store computed from these bytes when
     * it stored them (the tree under the author's signed root is built from
     * it) rather than hashing them once more. */
    memcpy(s->buf, bytes, len);
    if ((err = store_leaf_get(s->txn, s->feeds.authors[i], index, s->leaf)) != 0) return err;
    if (entry_decode(s->buf, len, &s->e, d) != CF_OK) {
        d->code = CF_EREJECTED;
        return CF_EREJECTED;
    }
    *e = &s->e;
    *leaf = s->leaf;
    return CF_OK;
}

static int sd_judged(void *arg, size_t i, uint64_t index, int verdict, const diag *why)
{
    store_drain *s = arg;
    int err;
    if (verdict != CF_EREJECTED) return CF_OK;
    if ((err = evidence_violation_put(s->txn, s->feeds.authors[i], index, why)) != 0) return err;
    s->held = true;
    if (s->visit) s->visit(s->visit_arg, s->feeds.authors[i], index, why);
    return CF_OK;
}

static int sd_end(void *arg, size_t i, uint64_t next)
{
    store_drain *s = arg;
    return store_feed_set_status(s->txn, s->feeds.authors[i], next,
                                 s->f.flags | (s->held ? STORE_FEED_HELD : 0));
}

static int drain_once(store_txn *txn, drain_result *res, replica_violation_fn visit, void *arg,
                      diag *d)
{
    ledger_kv kv;
    state_cache sc;
    store_drain *s = calloc(1, sizeof *s);
    int err = CF_ENOMEM;

    memset(res, 0, sizeof *res);
    diag_clear(d);
    /* The rules' writes go through a write-back cache (state_cache.h),
     * written to the store at the end of the drain, within its transaction,
     * or earlier when it holds REPLICA_STATE_CACHE_BYTES. */
    state_cache_init(&sc, txn, &kv);
    if (s == NULL) goto out;
    s->txn = txn;
    s->kv = &kv;
    s->sc = &sc;
    s->visit = visit;
    s->visit_arg = arg;
    s->feeds.skip_frozen = true;
    /* Only the rules write the state from here on: one cache for the drain. */
    ledger_cache_init(&s->cache);
    if ((err = store_feeds_each(txn, collect, &s->feeds)) != 0) goto out;
    drain_source src = {.kv = &kv, .cache = &s->cache, .nfeeds = s->feeds.n, .arg = s,
                        .author = sd_author, .begin = sd_begin, .entry = sd_entry,
                        .judged = sd_judged, .end = sd_end};
    err = drain_run(&src, res, d);
    if (err == CF_OK) err = state_cache_flush(&sc);
out:
    state_cache_free(&sc);
    if (s) free(s->feeds.authors);
    free(s);
    if (err && d->code == CF_OK) diag_set(d, err, NULL, "applying entries: %s", cf_strerror(err));
    return err;
}

/* A replica's verdicts on what others signed are evidence: stored, logged,
 * printed in JSON, the same on every node whatever its language. So the
 * drains judge in English (crypto/cf_i18n.h); the author's own append, which
 * the person running the command reads, is judged in their language. */
static int drain_in_english(store_txn *txn, drain_result *res, replica_violation_fn visit,
                            void *arg, diag *d);

int replica_drain(store_txn *txn, drain_result *res, replica_violation_fn visit, void *arg,
                  diag *d)
{
    cf_i18n_begin_english();
    int err = drain_in_english(txn, res, visit, arg, d);
    cf_i18n_end_english();
    return err;
}

static int drain_in_english(store_txn *txn, drain_result *res, replica_violation_fn visit,
                            void *arg, diag *d)
{
    ledger_kv kv;
    bool rebuild;
    int err = drain_once(txn, res, visit, arg, d);
    if (err) return err;
    /* R-KEY: a key closed behind what was applied; the rebuild drains the
     * governance feed before any entry it closes (state.h). */
    state_kv_init(&kv, txn);
    if ((err = state_rebuild_requested(&kv, &rebuild)) != 0 || !rebuild) return err;
    uint64_t applied = res->applied;
    if ((err = replica_rebuild(txn, res, d)) != 0) return err;
    res->applied = applied; /* new this drain, as far as a caller can tell */
    return CF_OK;
}

/* Entry 0 of author's feed, decoded into *e (from buf); CF_ENOTFOUND when
 * none is held or it does not decode. */
static int first_entry(store_txn *txn, const uint8_t author[32], uint8_t *buf, entry *e,
                       uint8_t leaf[32])
{
    const uint8_t *bytes;
    size_t len;
    diag why;
    int err = store_entry_get(txn, author, 0, &bytes, &len);
    if (err) return err;
    if (len > ENTRY_BYTES_MAX) return CF_ESTORE_CORRUPT;
    memcpy(buf, bytes, len);
    if ((err = store_leaf_get(txn, author, 0, leaf)) != 0) return err;
    return entry_decode(buf, len, e, &why) == CF_OK ? CF_OK : CF_ENOTFOUND;
}

int replica_successions_put(store_txn *txn, const ledger_kv *kv)
{
    uint8_t *buf = malloc(ENTRY_BYTES_MAX), leaf[32];
    entry *e = malloc(sizeof *e);
    author_list l = {.skip_frozen = false};
    state_network net;
    bool have_net = false;
    int err = CF_ENOMEM;
    size_t nsucc = 0;
    if (buf == NULL || e == NULL || (err = store_feeds_each(txn, collect, &l)) != 0) goto out;
    /* Every feed's first entry once: the genesis gives the network, and the
     * feeds that open with a succession are kept (at the list's front) to be
     * noted once the network is known. */
    for (size_t i = 0; i < l.n; i++) {
        err = first_entry(txn, l.authors[i], buf, e, leaf);
        if (err == CF_ENOTFOUND) continue;
        if (err) goto out;
        if (e->type == ENTRY_GENESIS) {
            ledger_network_of_genesis(e, leaf, &net);
            have_net = true;
        } else if (e->type == ENTRY_SUCCESSION) {
            memmove(l.authors[nsucc++], l.authors[i], 32);
        }
    }
    for (size_t i = 0; have_net && i < nsucc; i++) {
        bool noted;
        if ((err = first_entry(txn, l.authors[i], buf, e, leaf)) != 0 ||
            (err = ledger_succession_note(kv, &net, e, &noted)) != 0)
            goto out;
    }
    err = CF_OK;
out:
    free(l.authors);
    free(buf);
    free(e);
    return err;
}

static int count_violation(void *arg, const evidence_violation *v)
{
    (void)v;
    (*(uint64_t *)arg)++;
    return CF_OK;
}

static int rebuild_in_english(store_txn *txn, drain_result *res, diag *d);

int replica_rebuild(store_txn *txn, drain_result *res, diag *d)
{
    cf_i18n_begin_english(); /* as replica_drain */
    int err = rebuild_in_english(txn, res, d);
    cf_i18n_end_english();
    return err;
}

static int rebuild_in_english(store_txn *txn, drain_result *res, diag *d)
{
    ledger_kv kv;
    author_list l = {.skip_frozen = false};
    uint64_t before = 0, after = 0;
    const uint8_t violation_tag = 'V';
    int err;

    diag_clear(d);
    if ((err = evidence_violations_each(txn, count_violation, &before)) != 0 ||
        (err = store_kv_clear(txn, STORE_T_STATE, NULL, 0)) != 0 ||
        (err = store_kv_clear(txn, STORE_T_EVIDENCE, &violation_tag, 1)) != 0 ||
        (err = store_feeds_each(txn, collect, &l)) != 0)
        goto out;
    state_kv_init(&kv, txn);
    if ((err = evidence_fork_points_put(txn, &kv)) != 0 ||
        (err = replica_successions_put(txn, &kv)) != 0)
        goto out;
    for (size_t i = 0; i < l.n; i++) {
        store_feed f;
        if ((err = store_feed_get(txn, l.authors[i], &f)) != 0 ||
            (err = store_feed_set_status(txn, l.authors[i], 0,
                                         f.flags & ~(uint32_t)STORE_FEED_HELD)) != 0)
            goto out;
    }
    if ((err = drain_once(txn, res, NULL, NULL, d)) != 0) goto out;
    bool again;
    if ((err = state_rebuild_requested(&kv, &again)) != 0) goto out;
    if (again) { /* a drain from empty knows every closure in time (state.h) */
        err = diag_set(d, CF_EINVAL, NULL,
                       "rebuilding the ledger state: a key closure still lands behind "
                       "applied entries (a bug: please report it)");
        goto out;
    }
    if ((err = evidence_violations_each(txn, count_violation, &after)) != 0) goto out;
    res->violations = after > before ? after - before : 0;
out:
    free(l.authors);
    if (err && d->code == CF_OK)
        diag_set(d, err, NULL, "rebuilding the ledger state: %s", cf_strerror(err));
    return err;
}

/* ---- why waiting feeds wait --------------------------------------------------- */

struct wait_job {
    store_txn *txn;
    const ledger_kv *kv;
    replica_result *res;
};

static int held_feed(void *arg, const uint8_t author[32], drain_feed_state *state,
                     uint64_t *size)
{
    struct wait_job *w = arg;
    store_feed f;
    int err = store_feed_get(w->txn, author, &f);
    if (err == CF_ENOTFOUND) {
        *state = DRAIN_FEED_ABSENT;
        return CF_OK;
    }
    if (err) return err;
    *state = f.flags & STORE_FEED_FORKED ? DRAIN_FEED_FORKED
             : f.flags & STORE_FEED_HELD ? DRAIN_FEED_HELD
                                         : DRAIN_FEED_OPEN;
    *size = f.size;
    return CF_OK;
}

static void classify_wait(struct wait_job *w, const store_feed *f)
{
    const uint8_t *bytes;
    size_t len;
    entry *e = NULL;
    diag why;
    drain_wait wait = {.reason = DRAIN_WAIT_OTHER};
    replica_result *res = w->res;
    if (store_entry_get(w->txn, f->author, f->applied, &bytes, &len) == CF_OK &&
        (e = malloc(sizeof *e)) != NULL && entry_decode(bytes, len, e, &why) == CF_OK)
        drain_classify_wait(w->kv, e, held_feed, w, &wait);
    free(e);
    switch (wait.reason) {
    case DRAIN_WAIT_GOV: res->wait_gov++; break;
    case DRAIN_WAIT_CITE_NO_FEED: res->wait_cite_no_feed++; break;
    case DRAIN_WAIT_CITE_BEYOND: res->wait_cite_beyond++; break;
    default: res->wait_other++; break;
    }
}

static int wait_visit(void *arg, const store_feed *f)
{
    struct wait_job *w = arg;
    if ((f->flags & (STORE_FEED_FORKED | STORE_FEED_HELD)) || f->applied >= f->size) return CF_OK;
    w->res->pending_entries += f->size - f->applied;
    classify_wait(w, f);
    return CF_OK;
}

/* ---- replica_apply ------------------------------------------------------------- */

struct apply_job {
    replica_result *res;
    ingest_source entries; /* the current feed item's */
};

static int count_entry(void *arg, const uint8_t **bytes, size_t *len, diag *d)
{
    struct apply_job *j = arg;
    int err = j->entries.next(j->entries.arg, bytes, len, d);
    if (err == CF_OK) j->res->entries++;
    return err;
}

static void on_violation(void *arg, const uint8_t author[32], uint64_t index,
                         const diag *verdict)
{
    replica_result *res = arg;
    if (res->nviolations < REPLICA_REPORT_MAX) {
        memcpy(res->violations[res->nviolations].author, author, 32);
        res->violations[res->nviolations].index = index;
        res->violations[res->nviolations].verdict = *verdict;
        res->nviolations++;
    }
}

static void note_fork(replica_result *res, const uint8_t author[32])
{
    res->forks_new++;
    if (res->nforks < REPLICA_REPORT_MAX) memcpy(res->forks[res->nforks++], author, 32);
}

/* Whether a signed note carries lines besides its author's signature. */
static bool has_cosigs(const char *text, size_t len)
{
    return ckpt_sig_lines(text, len) > 1;
}

/* Whose items a pass takes (docs/protocol.md §4: a non-member's feed is
 * never stored, counted or witnessed). Members are registered by the
 * governance feed, which a bundle carries first: pass 1 takes the items of
 * members as the state knows them — on a home with no network yet, the
 * first feed (the governance feed, whose genesis makes the network) — and
 * defers the others; after the drain has applied what pass 1 brought,
 * pass 2 takes the deferred items whose authors are members now. What is
 * still not a member's is skipped (result.nonmembers). */
typedef struct {
    uint8_t (*keys)[32];
    size_t n, cap;
} key_set;

static bool key_set_has(const key_set *k, const uint8_t key[32])
{
    for (size_t i = 0; i < k->n; i++)
        if (memcmp(k->keys[i], key, 32) == 0) return true;
    return false;
}

static int key_set_add(key_set *k, const uint8_t key[32])
{
    if (key_set_has(k, key)) return CF_OK;
    if (k->n == k->cap) {
        size_t cap = k->cap ? k->cap * 2 : 16;
        uint8_t(*nk)[32] = realloc(k->keys, cap * sizeof *nk);
        if (nk == NULL) return CF_ENOMEM;
        k->keys = nk;
        k->cap = cap;
    }
    memcpy(k->keys[k->n++], key, 32);
    return CF_OK;
}

typedef struct {
    ledger_kv kv;      /* the state, for who is a member */
    int pass;          /* 1 or 2 */
    bool have_net;     /* the state knew the network when pass 1 began */
    bool took_first;   /* pass 1 on a home with no network took its first feed */
    key_set deferred;  /* authors pass 1 left for pass 2 */
} member_filter;

/* The author of an item: a fork proof's from the proof, checked (once: the
 * item is stored as checked, ingest_fork_proof_store). */
static int item_author(const uint8_t net[32], const replica_item *it, uint8_t author[32],
                       diag *d)
{
    if (it->kind == REPLICA_FORK)
        return ingest_fork_proof_check(net, it->proof, it->proof_len, author, d);
    memcpy(author, it->author, 32);
    return CF_OK;
}

/* A feed item's entries with its first entry read ahead (a successor's
 * test): that one is handed out again first. */
typedef struct {
    ingest_source inner;
    const uint8_t *first;
    size_t first_len;
    bool pending;
} peeked_source;

static int peeked_next(void *arg, const uint8_t **bytes, size_t *len, diag *d)
{
    peeked_source *p = arg;
    if (p->pending) {
        p->pending = false;
        *bytes = p->first;
        *len = p->first_len;
        return CF_OK;
    }
    return p->inner.next(p->inner.arg, bytes, len, d);
}

/* R-SUCCEED: a non-member's feed is taken when it starts with a succession
 * the network's recovery keys signed (its first entry is read ahead, and
 * the item's entries start with it again). */
static int successor_feed(member_filter *f, replica_item *it, peeked_source *p, bool *yes,
                          diag *d)
{
    state_network net;
    entry *e;
    diag why;
    *yes = false;
    if (it->kind != REPLICA_FEED || it->from != 0 || state_network_get(&f->kv, &net) != CF_OK ||
        net.nrecovery == 0)
        return CF_OK;
    p->inner = it->entries;
    int rc = p->inner.next(p->inner.arg, &p->first, &p->first_len, d);
    if (rc == 1) return CF_OK; /* no entries: ingest_feed says what is wrong */
    if (rc) return rc;
    p->pending = true;
    it->entries = (ingest_source){peeked_next, p};
    if ((e = malloc(sizeof *e)) == NULL) return CF_ENOMEM;
    *yes = entry_decode(p->first, p->first_len, e, &why) == CF_OK &&
           ledger_succession_signed(&net, e);
    free(e);
    return CF_OK;
}

/* Whether this pass takes the item of `author`; *successor: a non-member's
 * feed that starts with a succession (successor_feed). */
static int filter_takes(member_filter *f, replica_item *it, const uint8_t author[32],
                        peeked_source *p, bool *take, bool *successor, diag *d)
{
    bool member = state_is_member(&f->kv, author);
    int rc;
    *successor = false;
    if (!member && (f->pass == 2 || f->have_net) &&
        (rc = successor_feed(f, it, p, successor, d)) != 0)
        return rc;
    if (f->pass == 2) {
        *take = (member || *successor) && key_set_has(&f->deferred, author);
        return CF_OK;
    }
    *take = member || *successor;
    if (!f->have_net && !f->took_first && it->kind == REPLICA_FEED) {
        f->took_first = true;
        *take = true;
    }
    return *take ? CF_OK : key_set_add(&f->deferred, author);
}

/* Step 1: the items this pass takes through ingest.h. *saw_cosigs: a
 * checkpoint carried lines besides its author's. */
static int ingest_items(store_txn *txn, const uint8_t net[32], const replica_source *src,
                        member_filter *f, replica_result *res, bool *saw_cosigs, diag *d)
{
    replica_item it;
    int rc;
    while ((rc = src->next(src->arg, &it, d)) == CF_OK) {
        ingest_result ir;
        uint8_t author[32];
        peeked_source peeked;
        bool take, successor;
        if ((rc = item_author(net, &it, author, d)) != 0 ||
            (rc = filter_takes(f, &it, author, &peeked, &take, &successor, d)) != 0)
            return rc;
        if (!take) continue;
        if (it.kind == REPLICA_FEED) {
            struct apply_job j = {res, it.entries};
            ingest_source counted = {count_entry, &j};
            res->feeds++;
            *saw_cosigs |= has_cosigs(it.ckpt, it.ckpt_len);
            rc = ingest_feed(txn, net, author, it.ckpt, it.ckpt_len, it.from, it.prefix,
                             &counted, &ir, d);
        } else if (it.kind == REPLICA_CHECKPOINT) {
            res->checkpoints++;
            *saw_cosigs |= has_cosigs(it.ckpt, it.ckpt_len);
            rc = ingest_checkpoint(txn, net, author, it.ckpt, it.ckpt_len, &ir, d);
        } else {
            bool is_new;
            rc = ingest_fork_proof_store(txn, author, it.proof, it.proof_len, &is_new, d);
            if (rc) return rc;
            if (is_new) note_fork(res, author);
            continue;
        }
        if (rc) return rc;
        if (successor && ir.appended > 0) res->successions_new++;
        res->entries_new += ir.appended;
        res->checkpoints_new += ir.new_checkpoint;
        if (ir.fork) note_fork(res, author);
    }
    return rc == 1 ? CF_OK : rc;
}

/* Pass 1 and 2 of step 1, and the drains between. */
static int ingest_members(store_txn *txn, const uint8_t net[32], const replica_source *src,
                          replica_result *res, bool *saw_cosigs, diag *d)
{
    state_network n;
    member_filter f = {.pass = 1};
    drain_result dr;
    int rc;
    state_kv_init(&f.kv, txn);
    f.have_net = state_network_get(&f.kv, &n) == CF_OK;
    if ((rc = ingest_items(txn, net, src, &f, res, saw_cosigs, d)) != 0) goto out;
    if (f.deferred.n == 0) goto out;
    /* What pass 1 brought registers members: apply it, then take theirs. */
    if ((rc = res->forks_new || res->successions_new
                  ? replica_rebuild(txn, &dr, d)
                  : replica_drain(txn, &dr, on_violation, res, d)) != 0)
        goto out;
    res->applied += dr.applied;
    f.pass = 2;
    if ((rc = src->rewind(src->arg, d)) != 0 ||
        (rc = ingest_items(txn, net, src, &f, res, saw_cosigs, d)) != 0)
        goto out;
    for (size_t i = 0; i < f.deferred.n; i++)
        if (!state_is_member(&f.kv, f.deferred.keys[i])) res->nonmembers++;
out:
    free(f.deferred.keys);
    return rc;
}

/* Step 3, the merging: a second pass over the items' checkpoints. Each line
 * is checked on its own against a member's key, so this pass needs no trust
 * in the first: a source that changed meanwhile either fails to read or
 * offers lines that verify or not like any others. */
static int merge_cosigs(store_txn *txn, const uint8_t net[32], const replica_source *src,
                        const ingest_cosigner *me, replica_result *res, diag *d)
{
    replica_item it;
    ledger_kv kv;
    int rc;
    state_kv_init(&kv, txn);
    if ((rc = src->rewind(src->arg, d)) != 0) return rc;
    while ((rc = src->next(src->arg, &it, d)) == CF_OK) {
        ingest_cosig_result cr;
        if (it.kind == REPLICA_FORK || !state_is_member(&kv, it.author)) continue;
        if (me == NULL && !has_cosigs(it.ckpt, it.ckpt_len)) continue;
        rc = ingest_cosigs(txn, net, it.author, it.ckpt, it.ckpt_len, me, &cr, d);
        if (rc == CF_EVERIFY && src->changed) rc = src->changed(src->arg, d);
        if (rc) return rc;
        res->cosigs_merged += cr.merged;
        res->cosigs_ignored += cr.ignored;
        res->cosigs_forged += cr.forged;
        res->witnessed += cr.witnessed;
        if (cr.forged && res->nforged < REPLICA_REPORT_MAX) {
            memcpy(res->forged[res->nforged].author, it.author, 32);
            res->forged[res->nforged].size = cr.size;
            memcpy(res->forged[res->nforged].key, cr.forged_key, 32);
            res->nforged++;
        }
    }
    return rc == 1 ? CF_OK : rc;
}

int replica_apply(store_txn *txn, const uint8_t net[32], const replica_source *src,
                  const replica_opts *o, replica_result *res, diag *d)
{
    drain_result dr;
    bool saw_cosigs = false;
    int rc;

    memset(res, 0, sizeof *res);
    diag_clear(d);
    if ((rc = ingest_members(txn, net, src, res, &saw_cosigs, d)) != 0) return rc;
    /* A new fork changes which feeds count, a new succession where the old
     * governance key's feed stops: rebuild the state; otherwise apply what
     * is new. */
    res->rebuilt = res->forks_new > 0 || res->successions_new > 0;
    rc = res->rebuilt ? replica_rebuild(txn, &dr, d)
                      : replica_drain(txn, &dr, on_violation, res, d);
    if (rc) return rc;
    res->applied += dr.applied;
    res->pending_feeds = dr.pending;
    res->violations_new = dr.violations;
    if (o->explain_waits && dr.pending) {
        ledger_kv kv;
        state_kv_init(&kv, txn);
        struct wait_job wj = {txn, &kv, res};
        if ((rc = store_feeds_each(txn, wait_visit, &wj)) != 0) return rc;
    }
    const ingest_cosigner *each = o->witness_all ? NULL : o->me;
    if ((saw_cosigs || each) && (rc = merge_cosigs(txn, net, src, each, res, d)) != 0) return rc;
    if (o->witness_all) return ingest_witness_all(txn, net, o->me, &res->witnessed, d);
    return CF_OK;
}
