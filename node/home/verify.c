/* verify.c — see verify.h. */
#include "verify.h"

#include <stdlib.h>
#include <string.h>

#include "bundle/ckpt.h"
#include "crypto/cf_error.h"
#include "crypto/cf_i18n.h"
#include "crypto/cf_util.h"
#include "crypto/merkle.h"
#include "bundle/fork_proof.h"
#include "evidence_db.h"
#include "ledger/drain.h"
#include "ledger/entry.h"
#include "ledger/memkv.h"
#include "ledger/rules.h"
#include "replica.h"
#include "state_kv.h"

typedef struct {
    uint64_t size;
    const char *note; /* into the read transaction's map */
    size_t len;
} held_ckpt;

struct feed_job {
    store_txn *txn;
    ledger_kv kv;
    const state_network *net;
    verify_result *res;
    verify_progress_fn progress;
    void *arg;
    uint64_t total;
    diag *d;
    /* per feed */
    const store_feed *feed;
    uint64_t applied;
    char label[ENTRY_ID_BYTES_MAX + 1];
    merkle_stream tree;
    held_ckpt *ckpts;
    size_t nckpts, cap, next_ckpt;
};

static int collect_ckpt(void *arg, uint64_t size, const char *text, size_t len)
{
    struct feed_job *j = arg;
    if (j->nckpts == j->cap) {
        size_t cap = j->cap ? j->cap * 2 : 16;
        held_ckpt *nc = realloc(j->ckpts, cap * sizeof *nc);
        if (nc == NULL) return CF_ENOMEM;
        j->ckpts = nc;
        j->cap = cap;
    }
    j->ckpts[j->nckpts++] = (held_ckpt){size, text, len};
    return CF_OK;
}

static int bad(struct feed_job *j, uint64_t index, const char *what, const char *detail)
{
    return diag_set(j->d, CF_ESTORE_CORRUPT, NULL, "feed %s index %llu: %s%s%s", j->label,
                    (unsigned long long)index, what, detail ? ": " : "", detail ? detail : "");
}

/* Compare the recomputed root with every checkpoint of the current size. */
static int check_checkpoints(struct feed_job *j)
{
    uint8_t root[32], stored[32];
    while (j->next_ckpt < j->nckpts && j->ckpts[j->next_ckpt].size == j->tree.size) {
        const held_ckpt *c = &j->ckpts[j->next_ckpt++];
        checkpoint cp;
        diag why;
        if (ckpt_verify(c->note, c->len, j->net->net, j->feed->author, &cp, &why) != CF_OK)
            return bad(j, c->size - 1, "checkpoint", why.text);
        if (cp.size != c->size) return bad(j, c->size - 1, "checkpoint stored under the wrong size", NULL);
        merkle_stream_root(&j->tree, root);
        if (memcmp(root, cp.root, 32) != 0)
            return bad(j, c->size - 1, "entries do not hash to the signed root", NULL);
        int err = store_root(j->txn, j->feed->author, c->size, stored);
        if (err) return bad(j, c->size - 1, "stored Merkle nodes", cf_strerror(err));
        if (memcmp(stored, root, 32) != 0)
            return bad(j, c->size - 1, "stored Merkle nodes disagree with the entries", NULL);
        j->res->checkpoints++;
    }
    return CF_OK;
}

static int check_entry(void *arg, uint64_t index, const uint8_t *bytes, size_t len)
{
    struct feed_job *j = arg;
    uint8_t leaf[32], stored[32], completed[65][32];
    unsigned nc;
    merkle_leaf_hash(bytes, len, leaf);
    int err = store_leaf_get(j->txn, j->feed->author, index, stored);
    if (err) return bad(j, index, "stored leaf hash", cf_strerror(err));
    if (memcmp(leaf, stored, 32) != 0) return bad(j, index, "entry does not match its stored leaf hash", NULL);
    if (index < j->applied) {
        entry e;
        diag why;
        if (entry_decode(bytes, len, &e, &why) != CF_OK) return bad(j, index, "R-ENV", why.text);
        if (memcmp(e.author, j->feed->author, 32) != 0) return bad(j, index, "R-ENV", "author is not the feed's");
        if (e.index != index) return bad(j, index, "R-ENV", "index does not match its position");
        if (e.type == ENTRY_GENESIS ? memcmp(leaf, j->net->net, 32) != 0
                                    : memcmp(e.net, j->net->net, 32) != 0)
            return bad(j, index, "R-ENV", "entry is not of this network");
    }
    merkle_stream_push(&j->tree, leaf, completed, &nc);
    j->res->entries++;
    if (j->progress && j->res->entries % 65536 == 0) j->progress(j->arg, j->res->entries, j->total);
    return check_checkpoints(j);
}

static int verify_feed(void *arg, const store_feed *f)
{
    struct feed_job *j = arg;
    state_tip tip;
    int err;
    j->feed = f;
    j->nckpts = j->next_ckpt = 0;
    merkle_stream_init(&j->tree);
    ledger_member_label(&j->kv, f->author, j->label, sizeof j->label);
    if ((err = state_tip_get(&j->kv, f->author, &tip)) != 0) return err;
    j->applied = tip.applied;
    if ((err = store_checkpoints_each(j->txn, f->author, collect_ckpt, j)) != 0) return err;
    if (f->size > 0 && (j->nckpts == 0 || j->ckpts[j->nckpts - 1].size != f->size))
        return bad(j, f->size - 1, "no signed checkpoint covers the stored entries", NULL);
    if ((err = store_entries_each(j->txn, f->author, 0, f->size, check_entry, j)) != 0)
        return err;
    if (j->next_ckpt != j->nckpts)
        return bad(j, f->size, "checkpoint beyond the stored entries", NULL);
    j->res->feeds++;
    return CF_OK;
}

static int count_entries(void *arg, const store_feed *f)
{
    *(uint64_t *)arg += f->size;
    return CF_OK;
}

/* ---- the state, recomputed ---------------------------------------------------
 * Every stored entry is applied again, in memory (memkv: the audit's map),
 * by the same rules and the same scheduler as the home's rebuild
 * (ledger/drain.h, home/replica.h): the point of every fork proof held is
 * written first (R-FORK), then feeds are drained in author order, a forked
 * feed up to its point, a rejected entry holding its feed. The result must
 * equal the stored state record for record, byte for byte (each feed's tip,
 * how far it is applied, among them), and a feed must be held exactly when
 * the store holds it, at the same entry. */

struct replay_feed {
    uint8_t author[32];
    uint64_t size, applied; /* stored; applied so far in the replay */
    uint32_t flags;         /* stored */
    bool held;              /* the replay rejected entry `applied` */
};

struct replay {
    store_txn *txn;
    struct replay_feed *feeds;
    size_t n, cap;
    ledger_kv kv; /* the recomputed state */
    uint64_t records; /* stored state records compared */
    entry e;
    uint8_t buf[ENTRY_BYTES_MAX], leaf[32];
    diag *d;
};

static int replay_collect(void *arg, const store_feed *f)
{
    struct replay *r = arg;
    if (r->n == r->cap) {
        size_t cap = r->cap ? 2 * r->cap : 16;
        struct replay_feed *nf = realloc(r->feeds, cap * sizeof *nf);
        if (nf == NULL) return CF_ENOMEM;
        r->feeds = nf;
        r->cap = cap;
    }
    struct replay_feed *rf = &r->feeds[r->n++];
    memset(rf, 0, sizeof *rf);
    memcpy(rf->author, f->author, 32);
    rf->size = f->size;
    rf->flags = f->flags;
    return CF_OK;
}

static const uint8_t *rp_author(void *arg, size_t i)
{
    return ((struct replay *)arg)->feeds[i].author;
}

static int rp_begin(void *arg, size_t i, bool *skip, uint64_t *next, uint64_t *end)
{
    struct replay *r = arg;
    struct replay_feed *f = &r->feeds[i];
    *skip = f->held;
    *next = f->applied;
    /* R-FORK: up to its point; R-KEY: up to where its key was closed. */
    return state_feed_end(&r->kv, f->author, f->size, end);
}

static int rp_entry(void *arg, size_t i, uint64_t index, const entry **e, const uint8_t **leaf,
                    diag *d)
{
    struct replay *r = arg;
    const uint8_t *bytes;
    size_t len;
    int err = store_entry_get(r->txn, r->feeds[i].author, index, &bytes, &len);
    if (err) return err;
    if (len > sizeof r->buf) return CF_ESTORE_CORRUPT;
    memcpy(r->buf, bytes, len);
    /* Hashed here, not read from the store: this is the check. */
    merkle_leaf_hash(r->buf, len, r->leaf);
    if (entry_decode(r->buf, len, &r->e, d) != CF_OK) {
        d->code = CF_EREJECTED;
        return CF_EREJECTED;
    }
    *e = &r->e;
    *leaf = r->leaf;
    return CF_OK;
}

static int rp_judged(void *arg, size_t i, uint64_t index, int verdict, const diag *why)
{
    struct replay *r = arg;
    (void)index, (void)why;
    if (verdict == CF_OK) r->feeds[i].applied++;
    else if (verdict == CF_EREJECTED) r->feeds[i].held = true;
    return CF_OK;
}

static int rp_end(void *arg, size_t i, uint64_t next)
{
    (void)arg, (void)i, (void)next;
    return CF_OK;
}

/* A record's key, its first bytes in hex, for a message ("…" when cut). */
#define KEY_SHOWN 24
static void key_text(const uint8_t *key, size_t klen, char out[2 * KEY_SHOWN + 4])
{
    cf_hex_encode(key, klen < KEY_SHOWN ? klen : KEY_SHOWN, out, 2 * KEY_SHOWN + 1);
    if (klen > KEY_SHOWN) strcat(out, "…");
}

/* A record met by a scan of table t is also found by a lookup of its key,
 * with the same value: a damaged branch page can hide records from lookups
 * while a scan still walks them. */
static int found_by_key(store_txn *txn, enum store_table t, const uint8_t *key, size_t klen,
                        const uint8_t *val, size_t vlen, diag *d)
{
    const uint8_t *got;
    size_t glen;
    char shown[2 * KEY_SHOWN + 4];
    int err = store_kv_get(txn, t, key, klen, &got, &glen);
    if (err && err != CF_ENOTFOUND) return err;
    if (err == CF_OK && glen == vlen && memcmp(got, val, vlen) == 0) return CF_OK;
    key_text(key, klen, shown);
    return diag_set(d, CF_ESTORE_CORRUPT, NULL,
                    "a record (key %s) is in the store but a lookup of its key %s", shown,
                    err == CF_ENOTFOUND ? _("finds nothing") : _("finds another"));
}

/* A stored state record: found by its key too, and equal to the recomputed one. */
static int compare_record(void *arg, const uint8_t *key, size_t klen, const uint8_t *val,
                          size_t vlen)
{
    struct replay *r = arg;
    const uint8_t *want;
    size_t wlen;
    char shown[2 * KEY_SHOWN + 4];
    r->records++;
    int err = found_by_key(r->txn, STORE_T_STATE, key, klen, val, vlen, r->d);
    if (err) return err;
    err = r->kv.get(r->kv.ctx, key, klen, &want, &wlen);
    if (err && err != CF_ENOTFOUND) return err;
    if (err == CF_OK && wlen == vlen && memcmp(want, val, vlen) == 0) return CF_OK;
    key_text(key, klen, shown);
    return diag_set(r->d, CF_ESTORE_CORRUPT, NULL,
                    "the stored ledger state differs from the one its feeds give: record %s "
                    "(tag '%c') %s",
                    shown, key[0],
                    err == CF_ENOTFOUND ? _("should not exist") : _("has another value"));
}

static int compare_feeds(struct replay *r)
{
    char label[ENTRY_ID_BYTES_MAX + 1];
    for (size_t i = 0; i < r->n; i++) {
        const struct replay_feed *f = &r->feeds[i];
        store_feed sf;
        int err = store_feed_get(r->txn, f->author, &sf);
        if (err) return err;
        /* How far each feed is applied is its tip, a state record
         * (compared below); here, whether it is held and where. */
        bool held = (sf.flags & STORE_FEED_HELD) != 0;
        if (held == f->held && (!held || sf.applied == f->applied)) continue;
        ledger_member_label(&r->kv, f->author, label, sizeof label);
        return diag_set(r->d, CF_ESTORE_CORRUPT, NULL,
                        "feed %s: the store %s; its entries %s", label,
                        held ? _("holds it at a violation") : _("does not hold it"),
                        f->held ? _("break a rule") : _("break no rule where the store says"));
    }
    return CF_OK;
}

static int check_state(store_txn *txn, verify_result *res, diag *d)
{
    uint64_t seed;
    cf_random(&seed, sizeof seed); /* keys come from others' entries */
    memkv *m = memkv_new(seed);
    struct replay *r = calloc(1, sizeof *r);
    int err = CF_ENOMEM;
    if (m == NULL || r == NULL) goto out;
    r->txn = txn;
    r->d = d;
    ledger_cache cache;
    memkv_bind(m, &r->kv);
    ledger_cache_init(&cache);
    if ((err = store_feeds_each(txn, replay_collect, r)) != 0 ||
        (err = evidence_fork_points_put(txn, &r->kv)) != 0 ||
        (err = replica_successions_put(txn, &r->kv)) != 0)
        goto out;
    drain_source src = {.kv = &r->kv, .cache = &cache, .nfeeds = r->n, .arg = r,
                        .author = rp_author, .begin = rp_begin, .entry = rp_entry,
                        .judged = rp_judged, .end = rp_end};
    drain_result dr;
    diag why;
    if ((err = drain_run(&src, &dr, &why)) != 0) {
        if (why.code != CF_OK) *d = why;
        goto out;
    }
    res->applied = dr.applied;
    if ((err = compare_feeds(r)) != 0) goto out;
    if ((err = store_kv_scan(txn, STORE_T_STATE, NULL, 0, false, compare_record, r)) != 0)
        goto out;
    if (r->records != memkv_count(m))
        err = diag_set(d, CF_ESTORE_CORRUPT, NULL,
                       "the stored ledger state has %llu records; its feeds give %llu (some are "
                       "missing)",
                       (unsigned long long)r->records, (unsigned long long)memkv_count(m));
    res->state_records = r->records;
out:
    if (r) free(r->feeds);
    free(r);
    memkv_free(m);
    return err;
}

static int count_record(void *arg, const uint8_t *key, size_t klen, const uint8_t *val,
                        size_t vlen)
{
    (void)key, (void)klen, (void)val, (void)vlen;
    (*(uint64_t *)arg)++;
    return CF_OK;
}

/* Every record of the other tables read once in key order (their checksums
 * hold) and found by its key; the state table is, in check_state. */
struct lookup_job {
    store_txn *txn;
    enum store_table table;
    diag *d;
};

static int lookup_visit(void *arg, const uint8_t *key, size_t klen, const uint8_t *val,
                        size_t vlen)
{
    const struct lookup_job *j = arg;
    return found_by_key(j->txn, j->table, key, klen, val, vlen, j->d);
}

static int tables_found_by_key(store_txn *txn, diag *d)
{
    static const enum store_table tables[] = {STORE_T_META, STORE_T_EVIDENCE};
    for (size_t i = 0; i < sizeof tables / sizeof tables[0]; i++) {
        struct lookup_job j = {txn, tables[i], d};
        int err = store_kv_scan(txn, tables[i], NULL, 0, false, lookup_visit, &j);
        if (err) return err;
    }
    return CF_OK;
}

int verify_home(home *h, verify_result *res, verify_progress_fn progress, void *arg, diag *d)
{
    store_txn *txn;
    state_network net;
    int err;
    memset(res, 0, sizeof *res);
    diag_clear(d);
    if ((err = store_read_begin(h->st, &txn)) != 0)
        return diag_set(d, err, NULL, "cannot read the store: %s", cf_strerror(err));
    struct feed_job j = {.txn = txn, .net = &net, .res = res, .progress = progress,
                         .arg = arg, .d = d};
    state_kv_init(&j.kv, txn);
    err = state_network_get(&j.kv, &net);
    if (err == CF_ENOTFOUND) {
        /* Nothing held yet — unless something is, and the network record
         * that every home holds from its first import on is gone. */
        uint64_t records = 0;
        if ((err = store_feeds_each(txn, count_entries, &j.total)) != 0 ||
            (err = store_kv_scan(txn, STORE_T_STATE, NULL, 0, false, count_record, &records)) != 0)
            goto out;
        if (j.total != 0 || records != 0)
            err = diag_set(d, CF_ESTORE_CORRUPT, NULL,
                           "the store holds %llu entries and %llu state records but no network "
                           "record", (unsigned long long)j.total, (unsigned long long)records);
        goto out;
    }
    if (err) goto out;
    if ((err = store_feeds_each(txn, count_entries, &j.total)) != 0) goto out;
    if ((err = tables_found_by_key(txn, d)) != 0) goto out;
    if ((err = store_feeds_each(txn, verify_feed, &j)) != 0) goto out;
    err = check_state(txn, res, d);
out:
    free(j.ckpts);
    store_read_end(txn);
    if (err && d->code == CF_OK) diag_set(d, err, NULL, "verify: %s", cf_strerror(err));
    /* What verify cannot read or finds wrong is the store's damage, except
     * for a machine short of memory or a failing disk. */
    if (err && err != CF_ENOMEM && err != CF_EIO) d->code = err = CF_ESTORE_CORRUPT;
    return err;
}
