/* ingest_cosig.c — the cosignature half of ingest.h ("Cosignatures"): who
 * witnesses a feed, merging the lines a checkpoint carries into the one held,
 * this home's own line, and counting witnesses. Split from ingest.c, which
 * stores feeds, checkpoints and fork proofs.
 */
#include "ingest.h"

#include <stdlib.h>
#include <string.h>

#include "bundle/ckpt.h"
#include "crypto/cf_error.h"
#include "crypto/cf_util.h"
#include "crypto/note.h"
#include "state_kv.h"

_Static_assert(INGEST_WITNESSES <= CKPT_COSIGS_MAX, "every witness's line is kept");

/* ---- cosignatures ---------------------------------------------------------- */

/* Where a line of a merge came from (ckpt_cosig.tag). */
enum { FROM_HELD, FROM_PEER, FROM_SELF };

/* The key of a line named after the origin of a member other than the
 * author; false for any other line. Nothing is verified. */
static bool other_member(const ledger_kv *kv, const uint8_t net[32], const uint8_t author[32],
                         const note_sig *s, uint8_t key[32])
{
    return ckpt_origin_key(net, s->name, s->name_len, key) && memcmp(key, author, 32) != 0 &&
           state_is_member(kv, key);
}

static bool is_cosig_id(const note_sig *s, const uint8_t key[32])
{
    return s->key_id == note_key_id(s->name, s->name_len, NOTE_SIGTYPE_COSIG_V1, key);
}

static bool same_line(const note_sig *s, const char *line, size_t len)
{
    return s->line_len == len && memcmp(s->line, line, len) == 0;
}

/* ---- who witnesses a feed (ingest.h, INGEST_WITNESSES) ---------------------- */

/* A member's rank for author's feed: SHA-256 over a label, the author and
 * the member's key. The INGEST_WITNESSES open members other than the author
 * with the smallest ranks witness it. */
static void witness_rank(const uint8_t author[32], const uint8_t key[32], uint8_t out[32])
{
    static const char label[] = "cofund/witness\n";
    cf_sha256_ctx c;
    cf_sha256_init(&c);
    cf_sha256_update(&c, label, sizeof label - 1);
    cf_sha256_update(&c, author, 32);
    cf_sha256_update(&c, key, 32);
    cf_sha256_final(&c, out);
}

struct witness_scan {
    const uint8_t *author, *key;
    uint8_t rank[32];
    unsigned before; /* open members other than the author ranked before key */
    bool open;       /* key is an open member's */
};

/* A positive return stops the scan: key is not among the witnesses. */
static int witness_visit(void *arg, const state_member *mb)
{
    struct witness_scan *w = arg;
    uint8_t r[32];
    if (mb->closed || memcmp(mb->key, w->author, 32) == 0) return CF_OK;
    if (memcmp(mb->key, w->key, 32) == 0) {
        w->open = true;
        return CF_OK;
    }
    witness_rank(w->author, mb->key, r);
    if (memcmp(r, w->rank, 32) < 0 && ++w->before >= INGEST_WITNESSES) return 1;
    return CF_OK;
}

bool ingest_is_witness(const ledger_kv *kv, const uint8_t author[32], const uint8_t key[32])
{
    struct witness_scan w = {.author = author, .key = key};
    if (memcmp(author, key, 32) == 0) return false;
    witness_rank(author, key, w.rank);
    return state_members_each(kv, witness_visit, &w) == CF_OK && w.open;
}

struct wanted_scan {
    const uint8_t *author;
    unsigned n;
};

static int wanted_visit(void *arg, const state_member *mb)
{
    struct wanted_scan *w = arg;
    if (mb->closed || memcmp(mb->key, w->author, 32) == 0) return CF_OK;
    return ++w->n >= INGEST_WITNESSES ? 1 : CF_OK; /* enough: stop */
}

unsigned ingest_witnesses_wanted(const ledger_kv *kv, const uint8_t author[32])
{
    struct wanted_scan w = {.author = author};
    int rc = state_members_each(kv, wanted_visit, &w);
    return rc < 0 ? 0 : w.n;
}

void ingest_witness_cache_free(ingest_witness_cache *c)
{
    free(c->e);
    memset(c, 0, sizeof *c);
}

/* The members as of kv, as a stamp: the governance key, its base and the
 * entries of it applied (members change only by governance entries). */
static bool members_stamp(const ledger_kv *kv, uint8_t out[32])
{
    state_network net;
    state_tip tip;
    uint8_t buf[32 + 16];
    if (state_network_get(kv, &net) != CF_OK) return false;
    if (state_tip_get(kv, net.gov_key, &tip) != CF_OK) tip.applied = 0;
    memcpy(buf, net.gov_key, 32);
    cf_put_be64(buf + 32, net.gov_base);
    cf_put_be64(buf + 40, tip.applied);
    cf_sha256(buf, sizeof buf, out);
    return true;
}

/* ingest_is_witness of key through a cache of its decisions, when there
 * is one. */
static bool is_witness_of(const ledger_kv *kv, ingest_witness_cache *c, const uint8_t key[32],
                          const uint8_t author[32])
{
    uint8_t stamp[32];
    if (c == NULL || !members_stamp(kv, stamp)) return ingest_is_witness(kv, author, key);
    if (!c->valid || memcmp(c->stamp, stamp, 32) != 0) {
        c->n = 0;
        memcpy(c->stamp, stamp, 32);
        c->valid = true;
    }
    size_t lo = 0, hi = c->n;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        int cmp = memcmp(c->e[mid].author, author, 32);
        if (cmp == 0) return c->e[mid].yes;
        if (cmp < 0) lo = mid + 1;
        else hi = mid;
    }
    bool yes = ingest_is_witness(kv, author, key);
    if (c->n == c->cap) {
        size_t cap = c->cap ? c->cap * 2 : 64;
        struct ingest_witness_decision *ne = realloc(c->e, cap * sizeof *ne);
        if (ne == NULL) return yes; /* not remembered */
        c->e = ne;
        c->cap = cap;
    }
    memmove(&c->e[lo + 1], &c->e[lo], (c->n - lo) * sizeof *c->e);
    memcpy(c->e[lo].author, author, 32);
    c->e[lo].yes = yes;
    c->n++;
    return yes;
}

static bool is_witness(const ledger_kv *kv, const ingest_cosigner *me, const uint8_t author[32])
{
    return is_witness_of(kv, me->witnesses, me->kp->pk, author);
}

bool ingest_keeps_lines(const ledger_kv *kv, const uint8_t self[32], ingest_witness_cache *cache,
                        const uint8_t author[32])
{
    state_member mb;
    state_network net;
    if (memcmp(self, author, 32) == 0) return true;
    if (state_member_get(kv, self, &mb) == CF_OK && !mb.closed && mb.role == ROLE_AUDITOR)
        return true;
    if (state_network_get(kv, &net) == CF_OK && memcmp(net.gov_key, self, 32) == 0) return true;
    return is_witness_of(kv, cache, self, author);
}

/* A merge into the held checkpoint of one size. */
typedef struct {
    store_txn *txn;
    ledger_kv kv;
    const uint8_t *net, *author;
    const ingest_cosigner *me;
    ingest_cosig_result *res;
    diag *d;
    char held[CKPT_SIGNED_BYTES_MAX], out[CKPT_SIGNED_BYTES_MAX];
    char own[NOTE_SIG_LINE_BYTES_MAX];
    note hn;      /* the held checkpoint, parsed (into held) */
    note one;     /* one incoming line, for note_verify_cosig */
    ckpt_cosig cs[2 * NOTE_SIGS_MAX + 1];
    size_t ncs;
} merge_job;

/* The incoming lines worth keeping: new here, by another member, valid. */
static void take_incoming(merge_job *m, const note *in, int in_author)
{
    ingest_cosig_result *res = m->res;
    for (size_t i = 0; i < in->nsigs; i++) {
        const note_sig *s = &in->sigs[i];
        uint8_t key[32];
        uint64_t ts;
        bool known = false;
        if ((int)i == in_author) continue;
        for (size_t k = 0; k < m->ncs && !known; k++)
            known = same_line(s, m->cs[k].line, m->cs[k].line_len);
        if (known) continue; /* stored already (or repeated): verified once */
        if (!other_member(&m->kv, m->net, m->author, s, key)) {
            res->ignored++;
            continue;
        }
        m->one = *in;
        m->one.nsigs = 1;
        m->one.sigs[0] = *s;
        if (!is_cosig_id(s, key) || note_verify_cosig(&m->one, s->name, s->name_len, key, &ts)) {
            if (res->forged++ == 0) memcpy(res->forged_key, key, 32);
            continue;
        }
        m->cs[m->ncs++] = (ckpt_cosig){.time_s = ts, .line = s->line, .line_len = s->line_len,
                                       .tag = FROM_PEER};
        memcpy(m->cs[m->ncs - 1].key, key, 32);
    }
}

/* Merge in's lines (optional; its text is the held one's) into the held
 * checkpoint of `size`, add ours when `witness`, and store the result when
 * it differs. */
static int merge_held(merge_job *m, uint64_t size, const note *in, bool witness)
{
    ingest_cosig_result *res = m->res;
    char origin[CKPT_ORIGIN_BYTES], hex[17];
    const char *p;
    size_t held_len, out_len, kept;
    int err;
    cf_hex_encode(m->author, 8, hex, sizeof hex);
    if ((err = store_checkpoint_get(m->txn, m->author, size, &p, &held_len)) != 0)
        return diag_set(m->d, err, NULL, "feed %s: %s", hex, cf_strerror(err));
    ckpt_origin(m->net, m->author, origin);
    int a = -1;
    if (held_len <= sizeof m->held) {
        memcpy(m->held, p, held_len);
        if (note_parse(m->held, held_len, &m->hn) == CF_OK)
            a = ckpt_author_sig(&m->hn, origin, m->author);
    }
    if (a < 0)
        return diag_set(m->d, CF_ESTORE_CORRUPT, NULL,
                        "feed %s: the stored checkpoint of size %llu is not signed by its author",
                        hex, (unsigned long long)size);
    if (in && (in->text_len != m->hn.text_len || memcmp(in->text, m->hn.text, in->text_len)))
        return CF_OK; /* another tree of that size: a fork, for ingest to find */
    res->held = true;
    /* What is stored stays, if by another member still (their lines were
     * verified when they were stored). */
    m->ncs = 0;
    for (size_t i = 0; i < m->hn.nsigs; i++) {
        const note_sig *s = &m->hn.sigs[i];
        uint8_t key[32];
        if ((int)i == a) continue;
        if (!other_member(&m->kv, m->net, m->author, s, key) || !is_cosig_id(s, key) ||
            s->sig_len != 8 + 64)
            continue;
        m->cs[m->ncs++] = (ckpt_cosig){.time_s = cf_get_be64(s->sig), .line = s->line,
                                       .line_len = s->line_len, .tag = FROM_HELD};
        memcpy(m->cs[m->ncs - 1].key, key, 32);
    }
    if (in) take_incoming(m, in, ckpt_author_sig(in, origin, m->author));
    if (witness) {
        const keyfile_keypair *kp = m->me->kp;
        bool have = false;
        for (size_t k = 0; k < m->ncs; k++) have |= memcmp(m->cs[k].key, kp->pk, 32) == 0;
        /* A stored form that is full keeps its earlier lines, never a new
         * one of ours: signing it would be lost work, again at every merge. */
        if (!have && m->ncs < CKPT_COSIGS_MAX) {
            size_t len;
            if ((err = ckpt_cosign(&m->hn, m->net, kp->sk, m->me->time_s, m->own, sizeof m->own,
                                   &len)) != 0)
                return diag_set(m->d, err, NULL, "feed %s: cosigning: %s", hex, cf_strerror(err));
            m->cs[m->ncs++] = (ckpt_cosig){.time_s = m->me->time_s, .line = m->own,
                                           .line_len = len, .tag = FROM_SELF};
            memcpy(m->cs[m->ncs - 1].key, kp->pk, 32);
        }
    }
    err = ckpt_assemble(m->hn.text, m->hn.text_len, m->hn.sigs[a].line, m->hn.sigs[a].line_len,
                        m->cs, m->ncs, m->out, sizeof m->out, &out_len, &kept);
    if (err) return diag_set(m->d, err, NULL, "feed %s: %s", hex, cf_strerror(err));
    for (size_t k = 0; k < kept; k++) {
        res->merged += m->cs[k].tag == FROM_PEER;
        res->witnessed |= m->cs[k].tag == FROM_SELF;
    }
    if (out_len == held_len && memcmp(m->out, m->held, held_len) == 0) return CF_OK;
    if ((err = store_checkpoint_put(m->txn, m->author, size, m->out, out_len)) != 0)
        return diag_set(m->d, err, NULL, "feed %s: %s", hex, cf_strerror(err));
    res->changed = true;
    return CF_OK;
}

/* Whether ckpt's text and first signature line are, byte for byte, those of
 * the checkpoint of its size held here — whose first line is its author's
 * signature, verified before it was stored (put_new_checkpoint; the stored
 * form keeps it first, ckpt_assemble). *cp: its parsed text then. */
static bool held_prefix(store_txn *txn, const uint8_t author[32], const char *ckpt, size_t len,
                        checkpoint *cp)
{
    size_t text_len = 0, pre = 0;
    for (size_t i = 0; i + 1 < len && text_len == 0; i++)
        if (ckpt[i] == '\n' && ckpt[i + 1] == '\n') text_len = i + 1;
    for (size_t i = text_len + 1; text_len > 0 && i < len && pre == 0; i++)
        if (ckpt[i] == '\n') pre = i + 1;
    const char *held;
    size_t held_len;
    return pre > 0 && checkpoint_parse(ckpt, text_len, cp) == CF_OK &&
           store_checkpoint_get(txn, author, cp->size, &held, &held_len) == CF_OK &&
           held_len >= pre && memcmp(held, ckpt, pre) == 0;
}

/* ingest_cosigs on a job whose txn, kv, net, me and d are set. */
static int cosigs(merge_job *m, const uint8_t author[32], const char *ckpt, size_t ckpt_len)
{
    checkpoint cp;
    store_feed feed;
    note *in = NULL;
    char hex[17];
    int err;
    memset(m->res, 0, sizeof *m->res);
    m->author = author;
    cf_hex_encode(author, 8, hex, sizeof hex);
    /* A batch's lines of a feed whose lines this home does not keep: not
     * taken, not checked (and this home witnesses nothing of it). */
    if (ckpt && m->me && m->me->kept_only &&
        !ingest_keeps_lines(&m->kv, m->me->kp->pk, m->me->witnesses, author))
        return CF_OK;
    if (ckpt) {
        /* A checkpoint whose text and author's line are those held here
         * was verified when it was stored: only its other lines are new. */
        if (!held_prefix(m->txn, author, ckpt, ckpt_len, &cp) &&
            ckpt_verify(ckpt, ckpt_len, m->net, author, &cp, m->d) != CF_OK) {
            diag_prefix(m->d, "feed %s", hex);
            return CF_EVERIFY;
        }
        if ((in = malloc(sizeof *in)) == NULL) return diag_set(m->d, CF_ENOMEM, NULL, "out of memory");
        if ((err = note_parse(ckpt, ckpt_len, in)) != 0) goto out; /* verified: cannot fail */
    }
    err = store_feed_get(m->txn, author, &feed);
    if (err == CF_ENOTFOUND) {
        err = CF_OK;
        goto out;
    }
    if (err) {
        err = diag_set(m->d, err, NULL, "feed %s: %s", hex, cf_strerror(err));
        goto out;
    }
    uint64_t size = ckpt ? cp.size : feed.size;
    m->res->size = size;
    if ((feed.flags & STORE_FEED_FORKED) || size == 0 || size > feed.size) goto out;
    const char *p;
    size_t len;
    if ((err = store_checkpoint_get(m->txn, author, size, &p, &len)) == CF_ENOTFOUND) {
        err = CF_OK; /* an earlier checkpoint this home never held */
        goto out;
    }
    if (err) {
        err = diag_set(m->d, err, NULL, "feed %s: %s", hex, cf_strerror(err));
        goto out;
    }
    /* A member witnesses other members' feeds only (a non-member's feed a
     * home stored before this was refused is not vouched for). */
    bool witness = m->me != NULL && size == feed.size &&
                   memcmp(m->me->kp->pk, author, 32) != 0 && state_is_member(&m->kv, author) &&
                   is_witness(&m->kv, m->me, author);
    err = merge_held(m, size, in, witness);
out:
    free(in);
    return err;
}

static merge_job *merge_new(store_txn *txn, const uint8_t net[32], const ingest_cosigner *me,
                            ingest_cosig_result *res, diag *d)
{
    merge_job *m = malloc(sizeof *m);
    if (m == NULL) return NULL;
    m->txn = txn;
    state_kv_init(&m->kv, txn);
    m->net = net;
    m->me = me;
    m->res = res;
    m->d = d;
    return m;
}

int ingest_cosigs(store_txn *txn, const uint8_t net[32], const uint8_t author[32],
                  const char *ckpt, size_t ckpt_len, const ingest_cosigner *me,
                  ingest_cosig_result *res, diag *d)
{
    if (txn == NULL || net == NULL || author == NULL || res == NULL ||
        (me != NULL && me->kp == NULL))
        return diag_set(d, CF_EINVAL, NULL, "ingest_cosigs: bad arguments");
    merge_job *m = merge_new(txn, net, me, res, d);
    if (m == NULL) return diag_set(d, CF_ENOMEM, NULL, "out of memory");
    int err = cosigs(m, author, ckpt, ckpt_len);
    free(m);
    return err;
}

struct authors {
    uint8_t (*keys)[32];
    size_t n, cap;
};

static int collect_author(void *arg, const store_feed *f)
{
    struct authors *a = arg;
    if ((f->flags & STORE_FEED_FORKED) || f->size == 0) return CF_OK;
    if (a->n == a->cap) {
        size_t cap = a->cap ? a->cap * 2 : 64;
        uint8_t(*nk)[32] = realloc(a->keys, cap * sizeof *nk);
        if (nk == NULL) return CF_ENOMEM;
        a->keys = nk;
        a->cap = cap;
    }
    memcpy(a->keys[a->n++], f->author, 32);
    return CF_OK;
}

int ingest_witness_all(store_txn *txn, const uint8_t net[32], const ingest_cosigner *me,
                       uint64_t *witnessed, diag *d)
{
    struct authors a = {0};
    ingest_cosig_result res;
    merge_job *m = NULL;
    int err = CF_OK;
    *witnessed = 0;
    if (me == NULL || me->kp == NULL) return CF_OK;
    if ((m = merge_new(txn, net, me, &res, d)) == NULL) {
        err = diag_set(d, CF_ENOMEM, NULL, "out of memory");
        goto out;
    }
    /* Only a member witnesses; the feeds first, then the writes. */
    if (!state_is_member(&m->kv, me->kp->pk)) goto out;
    if ((err = store_feeds_each(txn, collect_author, &a)) != 0) {
        err = diag_set(d, err, NULL, "reading the feeds: %s", cf_strerror(err));
        goto out;
    }
    for (size_t i = 0; i < a.n && err == CF_OK; i++) {
        if (memcmp(a.keys[i], me->kp->pk, 32) == 0) continue;
        err = cosigs(m, a.keys[i], NULL, 0);
        *witnessed += res.witnessed;
    }
out:
    free(a.keys);
    free(m);
    return err;
}

unsigned ingest_witnesses(const ledger_kv *kv, const uint8_t net[32], const uint8_t author[32],
                          const char *ckpt, size_t ckpt_len)
{
    uint8_t seen[NOTE_SIGS_MAX][32];
    unsigned count = 0;
    note *n = malloc(sizeof *n);
    if (n == NULL || note_parse(ckpt, ckpt_len, n) != CF_OK) {
        free(n);
        return 0;
    }
    for (size_t i = 0; i < n->nsigs; i++) {
        uint8_t key[32];
        bool dup = false;
        if (!other_member(kv, net, author, &n->sigs[i], key) || !is_cosig_id(&n->sigs[i], key))
            continue;
        for (unsigned k = 0; k < count; k++) dup |= memcmp(seen[k], key, 32) == 0;
        if (!dup) memcpy(seen[count++], key, 32);
    }
    free(n);
    return count;
}
