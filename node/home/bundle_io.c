/* bundle_io.c — see bundle_io.h. */
#include "bundle_io.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

#include "bundle/bundle.h"
#include "bundle/ckpt.h"
#include "crypto/cf_error.h"
#include "crypto/cf_util.h"
#include "evidence_db.h"
#include "replica.h"
#include "ledger/entry.h"
#include "own_feed.h"
#include "state_kv.h"

/* ---- import -------------------------------------------------------------- */

/* The bundle as a replica source (replica.h): its F, K and X records, read
 * twice when a checkpoint carried cosignatures. */
struct import_job {
    home *h;
    FILE *f;
    const uint8_t *expect_net;
    const ingest_cosigner *me;
    import_result *res;
    diag *d;
    bundle_reader *r;
    bundle_record rec;
    /* The current F record's, copied: reading its E records overwrites rec. */
    uint8_t author[32];
    char ckpt[CKPT_SIGNED_BYTES_MAX];
    /* This home's own feed in the bundle (own_feed.h): the largest size of
     * its checkpoints (0: none), and whether it was seen at all. */
    uint8_t net[32];
    bool own_seen;
    uint64_t own_size;
    /* restore (bundle_io_restore): refuse an own history not consistent
     * with this home's; *rr receives what it did. */
    bool restore;
    restore_result *rr;
    uint64_t entries_read; /* for h->progress */
};

/* An item of this home's own feed: note the size its checkpoint claims
 * (replica_apply verifies it; a checkpoint that does not verify fails the
 * whole import). */
static void note_own(struct import_job *j, const uint8_t *author, const char *ckpt, size_t len)
{
    checkpoint cp;
    diag why;
    if (memcmp(author, j->h->self, 32) != 0) return;
    j->own_seen = true;
    if (ckpt_verify(ckpt, len, j->net, author, &cp, &why) == CF_OK && cp.size > j->own_size)
        j->own_size = cp.size;
}

static int next_entry(void *arg, const uint8_t **bytes, size_t *len, diag *d)
{
    struct import_job *j = arg;
    int rc = bundle_next(j->r, &j->rec, d);
    if (rc == 1 || (rc == CF_OK && j->rec.type != BUNDLE_ENTRY))
        return diag_set(d, CF_EBUNDLE, NULL, "bundle: an entry record is missing");
    if (rc) return rc;
    *bytes = j->rec.payload;
    *len = j->rec.len;
    if (++j->entries_read % HOME_PROGRESS_EVERY == 0 && j->h->progress)
        j->h->progress(j->h->progress_arg, "import", j->entries_read);
    return CF_OK;
}

/* The next F, K or X record (E records a feed item's ingest did not read —
 * in the cosignature pass — are passed over). */
static int next_item(void *arg, replica_item *it, diag *d)
{
    struct import_job *j = arg;
    int rc;
    while ((rc = bundle_next(j->r, &j->rec, d)) == CF_OK) {
        memset(it, 0, sizeof *it);
        if (j->rec.type == BUNDLE_FEED) {
            if (j->rec.checkpoint_len > sizeof j->ckpt)
                return diag_set(d, CF_EBUNDLE, NULL, "bundle: checkpoint too large");
            memcpy(j->author, j->rec.author, 32);
            memcpy(j->ckpt, j->rec.checkpoint, j->rec.checkpoint_len);
            it->kind = REPLICA_FEED;
            it->author = j->author;
            it->ckpt = j->ckpt;
            it->ckpt_len = j->rec.checkpoint_len;
            it->from = j->rec.from;
            it->entries = (ingest_source){next_entry, j};
            note_own(j, j->author, j->ckpt, j->rec.checkpoint_len);
            return CF_OK;
        }
        if (j->rec.type == BUNDLE_CHECKPOINT) {
            it->kind = REPLICA_CHECKPOINT;
            it->author = j->rec.author;
            it->ckpt = j->rec.checkpoint;
            it->ckpt_len = j->rec.checkpoint_len;
            note_own(j, it->author, it->ckpt, it->ckpt_len);
            return CF_OK;
        }
        if (j->rec.type == BUNDLE_FORK) {
            it->kind = REPLICA_FORK;
            it->proof = j->rec.payload;
            it->proof_len = j->rec.len;
            return CF_OK;
        }
    }
    return rc;
}

static int open_reader(struct import_job *j, diag *d)
{
    int rc;
    bundle_reader_close(j->r);
    j->r = NULL;
    if (fseek(j->f, 0, SEEK_SET) != 0)
        return diag_set(d, CF_EIO, NULL, "cannot rewind the bundle: %s", strerror(errno));
    if ((rc = bundle_reader_open_file(j->f, &j->r)) != 0)
        return diag_set(d, rc, NULL, "bundle: %s", cf_strerror(rc));
    return CF_OK;
}

static int rewind_items(void *arg, diag *d)
{
    return open_reader(arg, d);
}

static int bundle_changed(void *arg, diag *d)
{
    (void)arg;
    return diag_set(d, CF_EBUNDLE, NULL, "the bundle changed while it was imported");
}

/* This home's own feed: entries held and whether it is proven forked. */
static int own_state(store_txn *txn, const home *h, uint64_t *held, bool *forked, diag *d)
{
    store_feed f;
    int err = store_feed_get(txn, h->self, &f);
    *held = 0;
    *forked = false;
    if (err == CF_ENOTFOUND) return CF_OK;
    if (err) return diag_set(d, err, NULL, "reading this home's own feed: %s", cf_strerror(err));
    *held = f.size;
    *forked = (f.flags & STORE_FEED_FORKED) != 0;
    return CF_OK;
}

/* After the replica path ran: a restore refuses an own history that is not
 * this home's (the caller aborts, so nothing is kept); then the behind mark
 * goes once the home holds what it named, and a bundle whose own-feed
 * checkpoint the home now holds (consistent, not larger) is a comparison
 * (own_feed.h). */
static int own_after(store_txn *txn, struct import_job *j, uint64_t held_before,
                     bool forked_before)
{
    uint64_t held;
    bool forked, cleared;
    int err = own_state(txn, j->h, &held, &forked, j->d);
    if (err) return err;
    if (j->restore) {
        restore_result *rr = j->rr;
        rr->own_before = held_before;
        rr->own_after = held;
        rr->own_bundle = j->own_size;
        if (!j->own_seen)
            return diag_set(j->d, CF_ENOTFOUND, NULL,
                            "the bundle holds nothing of this home's own feed (%s): nothing to "
                            "restore from it, nothing was changed (`cofund import` takes the rest)",
                            j->h->name);
        if (forked_before)
            return diag_set(j->d, CF_EFORK, NULL,
                            "this home's own feed is already proven forked (see `cofund forks`): "
                            "a restore cannot mend it; nothing was changed");
        if (forked)
            return diag_set(j->d, CF_EFORK, NULL,
                            "the bundle holds a history of this home's own feed (%s) that is not "
                            "consistent with this home's: a fork — this key signed two histories "
                            "(docs/operations.md \"When a fork is found\"); nothing was changed "
                            "(`cofund import` would keep it as evidence)", j->h->name);
    }
    if ((err = own_feed_settle(txn, j->h->self, &cleared, NULL)) != 0)
        return diag_set(j->d, err, NULL, "clearing the behind mark: %s", cf_strerror(err));
    if (j->rr) j->rr->behind_cleared = cleared;
    if (j->own_seen && !forked && held >= j->own_size &&
        (err = own_feed_compared_put(txn, j->own_size, "a bundle",
                                     (uint64_t)time(NULL) * 1000)) != 0)
        return diag_set(j->d, err, NULL, "recording the comparison: %s", cf_strerror(err));
    return CF_OK;
}

static int import_txn(store_txn *txn, void *arg)
{
    struct import_job *j = arg;
    import_result *res = j->res;
    ledger_kv kv;
    state_network net;
    uint8_t bundle_net[32];
    int rc;

    uint64_t own_before;
    bool own_forked;

    memset(res, 0, sizeof *res);
    if (j->rr) {
        memset(j->rr, 0, sizeof *j->rr);
        j->rr->behind_was = own_feed_behind_get(txn, &j->rr->behind) == CF_OK;
    }
    j->own_seen = false;
    j->own_size = 0;
    diag_clear(j->d);
    if ((rc = own_state(txn, j->h, &own_before, &own_forked, j->d)) != 0) return rc;
    if ((rc = open_reader(j, j->d)) != 0) return rc;
    rc = bundle_next(j->r, &j->rec, j->d);
    if (rc == 1 || (rc == CF_OK && j->rec.type != BUNDLE_HEADER))
        rc = diag_set(j->d, CF_EBUNDLE, NULL, "bundle: no header record");
    if (rc) goto out;
    memcpy(bundle_net, j->rec.net, 32);
    memcpy(j->net, bundle_net, 32);

    state_kv_init(&kv, txn);
    rc = state_network_get(&kv, &net);
    bool had_net = rc == CF_OK;
    if (rc && rc != CF_ENOTFOUND) {
        rc = diag_set(j->d, rc, NULL, "reading the network: %s", cf_strerror(rc));
        goto out;
    }
    const uint8_t *want = had_net ? net.net : j->expect_net;
    if (want && memcmp(want, bundle_net, 32) != 0) {
        char a[17], b[17];
        cf_hex_encode(bundle_net, 8, a, sizeof a);
        cf_hex_encode(want, 8, b, sizeof b);
        rc = diag_set(j->d, CF_EWRONG_NETWORK, NULL,
                      had_net ? "bundle is from network %s…; this home belongs to network %s…"
                              : "bundle is from network %s…, not network %s… (the one "
                                "--network expects)",
                      a, b);
        goto out;
    }
    replica_source src = {next_item, rewind_items, bundle_changed, j};
    replica_opts o = {.me = j->me, .witness_all = true, .explain_waits = true};
    if ((rc = replica_apply(txn, bundle_net, &src, &o, res, j->d)) != 0) {
        /* Past its header it is a cofund bundle that fails its checks
         * (damaged, cut short): verification failed, as cofund-audit says. */
        if (rc == CF_EBUNDLE) rc = j->d->code = CF_EVERIFY;
        goto out;
    }

    if (!had_net) {
        rc = state_network_get(&kv, &net);
        if (rc == CF_ENOTFOUND) {
            rc = diag_set(j->d, CF_ENO_NETWORK, NULL,
                          "bundle does not hold the network's genesis entry: "
                          "a new home joins with a bundle that includes the governance feed");
            goto out;
        }
        if (rc == CF_OK && memcmp(net.net, bundle_net, 32) != 0)
            rc = diag_set(j->d, CF_EVERIFY, NULL,
                          "bundle header names a network its genesis entry does not create");
        if (rc) goto out;
        res->joined = true;
    }
    rc = own_after(txn, j, own_before, own_forked);
out:
    bundle_reader_close(j->r);
    j->r = NULL;
    return rc;
}

int bundle_io_import(home *h, const char *path, const uint8_t *expect_net,
                     import_result *res, diag *d)
{
    return bundle_io_import_witness(h, path, expect_net, NULL, res, d);
}

static int import_or_restore(home *h, const char *path, const uint8_t *expect_net,
                             const ingest_cosigner *me, import_result *res, restore_result *rr,
                             diag *d)
{
    diag_clear(d);
    if (h->readonly) return diag_set(d, CF_ESTORE_READONLY, NULL, "home opened read-only");
    /* A pipe is copied to a temporary file first: the import reads the
     * bundle twice (bundle.h). */
    FILE *f;
    uint64_t bytes;
    int rc = bundle_input_open(path, &f, &bytes, d);
    if (rc) return rc;
    /* An import is one transaction; growing the map inside it would run it
     * again from the start. A bundle stores at about 5x its size here. */
    if (bytes > 0) (void)store_reserve(h->st, bytes * 5);
    struct import_job j = {.h = h, .f = f, .expect_net = expect_net, .me = me, .res = res,
                          .d = d, .restore = rr != NULL, .rr = rr};
    rc = store_write(h->st, import_txn, &j);
    fclose(f);
    if (rc && d->code == CF_OK) diag_set(d, rc, NULL, "import failed: %s", cf_strerror(rc));
    return rc;
}

int bundle_io_import_witness(home *h, const char *path, const uint8_t *expect_net,
                             const ingest_cosigner *me, import_result *res, diag *d)
{
    return import_or_restore(h, path, expect_net, me, res, NULL, d);
}

int bundle_io_restore(home *h, const char *path, const ingest_cosigner *me, restore_result *res,
                      diag *d)
{
    return import_or_restore(h, path, NULL, me, &res->imp, res, d);
}

/* ---- export -------------------------------------------------------------- */

struct export_job {
    store_txn *txn;
    bundle_writer *w;
    const ledger_kv *kv; /* the state: which keys are the governance's */
    const export_opts *o;
    export_result *res;
    diag *d;
    uint64_t feed_size; /* of the feed being written */
    const home *h;      /* its progress hook */
};

static int write_entry(void *arg, uint64_t index, const uint8_t *bytes, size_t len)
{
    struct export_job *j = arg;
    (void)index;
    if (++j->res->entries % HOME_PROGRESS_EVERY == 0 && j->h->progress)
        j->h->progress(j->h->progress_arg, "export", j->res->entries);
    return bundle_write_entry(j->w, bytes, len);
}

/* Every earlier checkpoint held (the latest is in the feed record). */
static int write_checkpoint(void *arg, uint64_t size, const char *text, size_t len)
{
    struct export_job *j = arg;
    if (size == 0 || size >= j->feed_size) return CF_OK;
    j->res->checkpoints++;
    return bundle_write_checkpoint(j->w, text, len);
}

static bool selected(const export_opts *o, const uint8_t author[32])
{
    if (o == NULL || o->feeds == NULL) return true;
    for (size_t i = 0; i < o->nfeeds; i++)
        if (memcmp(o->feeds[i], author, 32) == 0) return true;
    return false;
}

/* --as-of: the largest held checkpoint whose last entry is not later than
 * as_of_ms (entries are time-ordered within a feed). */
struct cut_job {
    store_txn *txn;
    const uint8_t *author;
    uint64_t as_of_ms, best;
};

static int cut_visit(void *arg, uint64_t size, const char *text, size_t len)
{
    struct cut_job *c = arg;
    const uint8_t *bytes;
    size_t n;
    entry e;
    diag why;
    (void)text, (void)len;
    if (size == 0 || store_entry_get(c->txn, c->author, size - 1, &bytes, &n) != CF_OK ||
        entry_decode(bytes, n, &e, &why) != CF_OK)
        return CF_OK;
    if (e.time_ms <= c->as_of_ms) c->best = size;
    return CF_OK;
}

static int export_feed(struct export_job *j, const uint8_t author[32], uint64_t size)
{
    const char *ckpt_text;
    size_t ckpt_len;
    uint64_t ckpt_size;
    int err;
    if (size == 0) return CF_OK;
    if (j->o && j->o->has_as_of) {
        struct cut_job c = {j->txn, author, j->o->as_of_ms, 0};
        if ((err = store_checkpoints_each(j->txn, author, cut_visit, &c)) != 0) return err;
        if (c.best == 0) return CF_OK; /* nothing signed by then */
        if (c.best < size) j->res->cut++;
        size = c.best;
        if ((err = store_checkpoint_get(j->txn, author, size, &ckpt_text, &ckpt_len)) != 0)
            return err;
    } else {
        err = store_checkpoint_latest(j->txn, author, &ckpt_size, &ckpt_text, &ckpt_len);
        if (err) return err;
        if (ckpt_size != size) return CF_ESTORE_CORRUPT;
    }
    if ((err = bundle_write_feed(j->w, author, 0, size, ckpt_text, ckpt_len)) != 0) return err;
    j->res->feeds++;
    j->feed_size = size;
    if ((err = store_entries_each(j->txn, author, 0, size, write_entry, j)) != 0) return err;
    return store_checkpoints_each(j->txn, author, write_checkpoint, j);
}

/* A governance key's feed (any of them: R-SUCCEED), written first. */
static bool is_governance(const struct export_job *j, const uint8_t key[32])
{
    state_member m;
    return state_member_get(j->kv, key, &m) == CF_OK && m.role == ROLE_GOVERNANCE;
}

static int export_visit(void *arg, const store_feed *f)
{
    struct export_job *j = arg;
    if (is_governance(j, f->author) || !selected(j->o, f->author)) return CF_OK;
    return export_feed(j, f->author, f->size);
}

/* The governance's feeds first, so a new home learns the network first:
 * the genesis key's (the governance's identity), then each key that
 * succeeded it (R-SUCCEED) in turn; always, even when not asked for:
 * without them nothing can be checked. */
static int export_governance(struct export_job *j, const state_network *net)
{
    state_member m;
    store_feed f;
    int err = state_member_get(j->kv, net->gov_key, &m);
    if (err) return err;
    uint8_t key[32];
    memcpy(key, m.identity, 32);
    for (size_t hops = 0; hops <= LEDGER_MEMBERS_MAX; hops++) {
        if ((err = state_member_get(j->kv, key, &m)) != 0 ||
            (err = store_feed_get(j->txn, key, &f)) != 0 ||
            (err = export_feed(j, key, f.size)) != 0)
            return err == CF_ENOTFOUND ? CF_OK : err;
        if (!m.has_next) return CF_OK;
        memcpy(key, m.next, 32);
    }
    return CF_ESTORE_CORRUPT; /* keys are never reused: no cycle */
}

static int export_fork(void *arg, const uint8_t author[32], const uint8_t *proof, size_t len)
{
    struct export_job *j = arg;
    if (!selected(j->o, author) && !is_governance(j, author)) return CF_OK;
    j->res->forks++;
    return bundle_write_fork(j->w, proof, len);
}

int bundle_io_export_partial(home *h, const char *path, const export_opts *o,
                             export_result *res, diag *d)
{
    store_txn *txn;
    ledger_kv kv;
    state_network net;
    bundle_writer *w = NULL;
    int err;

    memset(res, 0, sizeof *res);
    diag_clear(d);
    if ((err = store_read_begin(h->st, &txn)) != 0)
        return diag_set(d, err, NULL, "cannot read the store: %s", cf_strerror(err));
    state_kv_init(&kv, txn);
    if ((err = state_network_get(&kv, &net)) != 0) {
        err = err == CF_ENOTFOUND
                  ? diag_set(d, CF_ENO_NETWORK, NULL, "this home has not joined a network yet")
                  : diag_set(d, err, NULL, "reading the network: %s", cf_strerror(err));
        goto out;
    }
    if ((err = bundle_writer_open(path, &w)) != 0) {
        err = diag_set(d, err, NULL, "cannot write %s: %s", path,
                       err == CF_EIO ? strerror(errno) : cf_strerror(err));
        goto out;
    }
    struct export_job j = {txn, w, &kv, o, res, d, 0, h};
    if ((err = bundle_write_header(w, net.net)) != 0 ||
        (err = export_governance(&j, &net)) != 0 ||
        (err = store_feeds_each(txn, export_visit, &j)) != 0 ||
        (err = evidence_forks_each(txn, export_fork, &j)) != 0) {
        err = diag_set(d, err, NULL, "writing %s: %s", path, cf_strerror(err));
        bundle_writer_abort(w);
        goto out;
    }
    err = bundle_writer_commit(w, d);
out:
    store_read_end(txn);
    return err;
}

int bundle_io_export(home *h, const char *path, export_result *res, diag *d)
{
    return bundle_io_export_partial(h, path, NULL, res, d);
}
