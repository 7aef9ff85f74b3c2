/* bundle_io.c — see bundle_io.h. */
#include "bundle_io.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "bundle/bundle.h"
#include "bundle/ckpt.h"
#include "crypto/cf_error.h"
#include "crypto/cf_util.h"
#include "drain.h"
#include "evidence_db.h"
#include "ingest.h"
#include "ledger/entry.h"
#include "state_kv.h"

/* ---- import -------------------------------------------------------------- */

struct import_job {
    home *h;
    FILE *f;
    const uint8_t *expect_net;
    const ingest_cosigner *me;
    import_result *res;
    diag *d;
    bundle_reader *r;
    bundle_record rec;
    bool saw_cosigs; /* a checkpoint carried lines besides its author's */
};

/* Whether a signed note carries lines besides its author's signature. */
static bool has_cosigs(const char *text, size_t len)
{
    return ckpt_sig_lines(text, len) > 1;
}

static int next_entry(void *arg, const uint8_t **bytes, size_t *len, diag *d)
{
    struct import_job *j = arg;
    int rc = bundle_next(j->r, &j->rec, d);
    if (rc == 1 || (rc == CF_OK && j->rec.type != BUNDLE_ENTRY))
        return diag_set(d, CF_EBUNDLE, NULL, "bundle: an entry record is missing");
    if (rc) return rc;
    j->res->entries++;
    *bytes = j->rec.payload;
    *len = j->rec.len;
    return CF_OK;
}

static void on_violation(void *arg, const uint8_t author[32], uint64_t index,
                         const diag *verdict)
{
    import_result *res = arg;
    if (res->nviolations < IMPORT_REPORT_MAX) {
        memcpy(res->violations[res->nviolations].author, author, 32);
        res->violations[res->nviolations].index = index;
        res->violations[res->nviolations].verdict = *verdict;
        res->nviolations++;
    }
}

static void note_fork(import_result *res, const uint8_t author[32])
{
    res->forks_new++;
    if (res->nforks < IMPORT_REPORT_MAX) memcpy(res->forks[res->nforks++], author, 32);
}

static int import_records(store_txn *txn, struct import_job *j, const uint8_t net[32])
{
    int rc;
    while ((rc = bundle_next(j->r, &j->rec, j->d)) == CF_OK) {
        if (j->rec.type == BUNDLE_FEED) {
            ingest_result ir;
            uint8_t author[32];
            memcpy(author, j->rec.author, 32);
            ingest_source src = {next_entry, j};
            j->res->feeds++;
            /* j->rec is overwritten by next_entry: pass copies. */
            char ckpt[CKPT_SIGNED_BYTES_MAX];
            if (j->rec.checkpoint_len > sizeof ckpt)
                return diag_set(j->d, CF_EBUNDLE, NULL, "bundle: checkpoint too large");
            size_t ckpt_len = j->rec.checkpoint_len;
            memcpy(ckpt, j->rec.checkpoint, ckpt_len);
            j->saw_cosigs |= has_cosigs(ckpt, ckpt_len);
            rc = ingest_feed(txn, net, author, ckpt, ckpt_len, j->rec.from, NULL, &src, &ir,
                             j->d);
            if (rc) return rc;
            j->res->entries_new += ir.appended;
            j->res->checkpoints_new += ir.new_checkpoint;
            if (ir.fork) note_fork(j->res, author);
        } else if (j->rec.type == BUNDLE_CHECKPOINT) {
            /* After its feed's entries: held (or found to fork) by now. */
            ingest_result ir;
            j->res->checkpoints++;
            j->saw_cosigs |= has_cosigs(j->rec.checkpoint, j->rec.checkpoint_len);
            rc = ingest_checkpoint(txn, net, j->rec.author, j->rec.checkpoint,
                                   j->rec.checkpoint_len, &ir, j->d);
            if (rc) return rc;
            j->res->checkpoints_new += ir.new_checkpoint;
            if (ir.fork) note_fork(j->res, j->rec.author);
        } else if (j->rec.type == BUNDLE_FORK) {
            bool is_new;
            uint8_t author[32];
            rc = ingest_fork_proof(txn, net, j->rec.payload, j->rec.len, author, &is_new, j->d);
            if (rc) return rc;
            if (is_new) note_fork(j->res, author);
        }
    }
    return rc == 1 ? CF_OK : rc;
}

/* The second read of the bundle: every F and K record's cosignature lines
 * merged into the checkpoints held (ingest_cosigs), now that the rules ran.
 * Each line is checked on its own against a member's key, so what this read
 * sees needs no trust in the first: a file that changed meanwhile either
 * fails to read or offers lines that verify or not like any others. */
static int import_cosigs(store_txn *txn, struct import_job *j, const uint8_t net[32])
{
    import_result *res = j->res;
    int rc;
    if (fseek(j->f, 0, SEEK_SET) != 0)
        return diag_set(j->d, CF_EIO, NULL, "cannot rewind the bundle: %s", strerror(errno));
    if ((rc = bundle_reader_open_file(j->f, &j->r)) != 0)
        return diag_set(j->d, rc, NULL, "bundle: %s", cf_strerror(rc));
    while ((rc = bundle_next(j->r, &j->rec, j->d)) == CF_OK) {
        ingest_cosig_result cr;
        if (j->rec.type != BUNDLE_FEED && j->rec.type != BUNDLE_CHECKPOINT) continue;
        if (!has_cosigs(j->rec.checkpoint, j->rec.checkpoint_len)) continue;
        rc = ingest_cosigs(txn, net, j->rec.author, j->rec.checkpoint, j->rec.checkpoint_len,
                           NULL, &cr, j->d);
        if (rc == CF_EVERIFY)
            rc = diag_set(j->d, CF_EBUNDLE, NULL, "the bundle changed while it was imported");
        if (rc) break;
        res->cosigs_merged += cr.merged;
        res->cosigs_ignored += cr.ignored;
        res->cosigs_forged += cr.forged;
        if (cr.forged && res->nforged < IMPORT_REPORT_MAX) {
            memcpy(res->forged[res->nforged].author, j->rec.author, 32);
            res->forged[res->nforged].size = j->rec.size;
            memcpy(res->forged[res->nforged].key, cr.forged_key, 32);
            res->nforged++;
        }
    }
    bundle_reader_close(j->r);
    j->r = NULL;
    return rc == 1 ? CF_OK : rc;
}

/* What could not be checked after an import (a partial bundle, or one from
 * a home that lacks what some entries cite): why each waiting feed waits. */
struct wait_job {
    store_txn *txn;
    const ledger_kv *kv;
    import_result *res;
};

static void classify_wait(struct wait_job *w, const store_feed *f)
{
    const uint8_t *bytes;
    size_t len;
    entry *e = NULL;
    state_network net;
    state_tip tip;
    diag why;
    import_result *res = w->res;
    uint64_t *bucket = &res->wait_other;
    if (store_entry_get(w->txn, f->author, f->applied, &bytes, &len) != CF_OK ||
        state_network_get(w->kv, &net) != CF_OK || (e = malloc(sizeof *e)) == NULL ||
        entry_decode(bytes, len, e, &why) != CF_OK)
        goto out;
    if (state_tip_get(w->kv, net.gov_key, &tip) == CF_OK && e->gov > tip.applied) {
        bucket = &res->wait_gov;
        goto out;
    }
    if (e->type != ENTRY_MATCH) goto out;
    for (size_t i = 0; i < e->body.match.ncites; i++) {
        const entry_cite *c = &e->body.match.cites[i];
        store_feed cited;
        int err = store_feed_get(w->txn, c->author, &cited);
        if (err == CF_ENOTFOUND) {
            bucket = &res->wait_cite_no_feed;
            break;
        }
        if (err == CF_OK && c->index >= cited.size) {
            bucket = &res->wait_cite_beyond;
            break;
        }
    }
out:
    free(e);
    (*bucket)++;
}

static int wait_visit(void *arg, const store_feed *f)
{
    struct wait_job *w = arg;
    if ((f->flags & (STORE_FEED_FORKED | STORE_FEED_HELD)) || f->applied >= f->size) return CF_OK;
    w->res->pending_entries += f->size - f->applied;
    classify_wait(w, f);
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

    memset(res, 0, sizeof *res);
    diag_clear(j->d);
    j->saw_cosigs = false;
    if (fseek(j->f, 0, SEEK_SET) != 0)
        return diag_set(j->d, CF_EIO, NULL, "cannot rewind the bundle: %s", strerror(errno));
    if ((rc = bundle_reader_open_file(j->f, &j->r)) != 0)
        return diag_set(j->d, rc, NULL, "bundle: %s", cf_strerror(rc));
    rc = bundle_next(j->r, &j->rec, j->d);
    if (rc == 1 || (rc == CF_OK && j->rec.type != BUNDLE_HEADER))
        rc = diag_set(j->d, CF_EBUNDLE, NULL, "bundle: no header record");
    if (rc) goto out;
    memcpy(bundle_net, j->rec.net, 32);

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
                      "bundle is from network %s…; this home belongs to network %s…", a, b);
        goto out;
    }
    if ((rc = import_records(txn, j, bundle_net)) != 0) goto out;

    /* A new fork changes which feeds count: rebuild the state without them
     * (drain.h); otherwise apply what is new. */
    drain_result dr;
    rc = res->forks_new ? node_rebuild(txn, &dr, j->d)
                        : node_drain(txn, &dr, on_violation, res, j->d);
    if (rc) goto out;
    res->applied = dr.applied;
    res->pending_feeds = dr.pending;
    res->violations_new = dr.violations;
    struct wait_job wj = {txn, &kv, res};
    if (dr.pending && (rc = store_feeds_each(txn, wait_visit, &wj)) != 0) goto out;
    bundle_reader_close(j->r);
    j->r = NULL;
    if (j->saw_cosigs && (rc = import_cosigs(txn, j, bundle_net)) != 0) goto out;
    if ((rc = ingest_witness_all(txn, bundle_net, j->me, &res->witnessed, j->d)) != 0) goto out;

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
out:
    bundle_reader_close(j->r);
    j->r = NULL;
    return rc;
}

int node_import(home *h, const char *path, const uint8_t *expect_net,
                import_result *res, diag *d)
{
    return node_import_witness(h, path, expect_net, NULL, res, d);
}

int node_import_witness(home *h, const char *path, const uint8_t *expect_net,
                        const ingest_cosigner *me, import_result *res, diag *d)
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
                          .d = d};
    rc = store_write(h->st, import_txn, &j);
    fclose(f);
    if (rc && d->code == CF_OK) diag_set(d, rc, NULL, "import failed: %s", cf_strerror(rc));
    return rc;
}

/* ---- export -------------------------------------------------------------- */

struct export_job {
    store_txn *txn;
    bundle_writer *w;
    const uint8_t *skip; /* the feed already written first */
    const export_opts *o;
    export_result *res;
    diag *d;
    uint64_t feed_size; /* of the feed being written */
};

static int write_entry(void *arg, uint64_t index, const uint8_t *bytes, size_t len)
{
    struct export_job *j = arg;
    (void)index;
    j->res->entries++;
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

static int export_visit(void *arg, const store_feed *f)
{
    struct export_job *j = arg;
    if (memcmp(f->author, j->skip, 32) == 0 || !selected(j->o, f->author)) return CF_OK;
    return export_feed(j, f->author, f->size);
}

static int export_fork(void *arg, const uint8_t author[32], const uint8_t *proof, size_t len)
{
    struct export_job *j = arg;
    if (!selected(j->o, author) && memcmp(author, j->skip, 32) != 0) return CF_OK;
    j->res->forks++;
    return bundle_write_fork(j->w, proof, len);
}

int node_export_partial(home *h, const char *path, const export_opts *o, export_result *res,
                        diag *d)
{
    store_txn *txn;
    ledger_kv kv;
    state_network net;
    store_feed gov;
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
    struct export_job j = {txn, w, net.gov_key, o, res, d, 0};
    /* The governance feed first, so a new home learns the network first;
     * always, even when not asked for: without it nothing can be checked. */
    if ((err = bundle_write_header(w, net.net)) != 0 ||
        (err = store_feed_get(txn, net.gov_key, &gov)) != 0 ||
        (err = export_feed(&j, net.gov_key, gov.size)) != 0 ||
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

int node_export(home *h, const char *path, export_result *res, diag *d)
{
    return node_export_partial(h, path, NULL, res, d);
}
