/* audit.c — audit_run: pass 1 (stream the bundle, verify every signature,
 * hash every entry, check every root and fork proof), then the replay and
 * the cosignatures (audit_replay.c). See audit.h.
 *
 * Pass 1 stops at the first integrity failure (a record the bundle reader
 * refuses, a signature that does not verify, a root the entries do not
 * hash to): nothing read after it could be trusted, and nothing is
 * replayed. Forks are not integrity failures of the bundle: they are what it
 * proves about an author, so the audit goes on without the forked feed.
 */
#include "audit.h"

#include <errno.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <sys/stat.h>
#include <unistd.h>

#include "audit_internal.h"
#include "bundle/bundle.h"
#include "bundle/fork_proof.h"
#include "crypto/cf_error.h"
#include "crypto/cf_i18n.h"
#include "crypto/cf_util.h"
#include "ledger/rules.h"

/* ---- findings -------------------------------------------------------------- */

audit_finding *audit__find(audit *a, enum audit_kind kind, uint64_t pos)
{
    if (a->nfinds == a->finds_cap) {
        size_t cap = a->finds_cap ? a->finds_cap * 2 : 16;
        audit_finding *nf = realloc(a->finds, cap * sizeof *nf);
        if (nf == NULL) return NULL;
        a->finds = nf;
        a->finds_cap = cap;
    }
    audit_finding *f = &a->finds[a->nfinds++];
    memset(f, 0, sizeof *f);
    f->kind = kind;
    f->pos = pos;
    if (kind == FIND_FAIL) a->stopped = true;
    return f;
}

void audit__say(audit_finding *f, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(f->text, sizeof f->text, fmt, ap);
    va_end(ap);
}

audit_feed *audit__feed_by_author(audit *a, const uint8_t author[32])
{
    for (size_t i = 0; i < a->nfeeds; i++)
        if (memcmp(a->feeds[i].author, author, 32) == 0) return &a->feeds[i];
    return NULL;
}

void audit__label(const audit *a, const uint8_t author[32], char *out, size_t cap)
{
    if (a->replayed) {
        ledger_member_label(&a->kv, author, out, cap);
        return;
    }
    char hex[CF_HEX32_BYTES];
    cf_hex_encode(author, 32, hex, sizeof hex);
    snprintf(out, cap, "%.16s", hex);
}

/* A pass-1 failure at byte pos, about feed f (may be NULL). */
__attribute__((format(printf, 4, 5)))
static int fail(audit *a, uint64_t pos, const audit_feed *f, const char *fmt, ...)
{
    audit_finding *x = audit__find(a, FIND_FAIL, pos);
    if (x == NULL) return CF_ENOMEM;
    if (f) {
        x->has_feed = true;
        memcpy(x->author, f->author, 32);
    }
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(x->text, sizeof x->text, fmt, ap);
    va_end(ap);
    return CF_OK;
}

/* ---- pass 1 ---------------------------------------------------------------- */

typedef struct {
    audit *a;
    bundle_reader *r;
    audit_hasher *hasher;
    audit_feed *cur;      /* the feed whose records are being read */
    uint64_t cur_entries; /* its E records read so far */
    uint64_t rec_off;     /* offset of the current record */
} pass1;

static int add_ckpt(audit_feed *f, uint64_t size, const uint8_t root[32], const char *text,
                    size_t len)
{
    if (f->nckpts == f->cap) {
        size_t cap = f->cap ? f->cap * 2 : 8;
        audit_ckpt *nc = realloc(f->ckpts, cap * sizeof *nc);
        if (nc == NULL) return CF_ENOMEM;
        f->ckpts = nc;
        f->cap = cap;
    }
    char *copy = malloc(len + 1);
    if (copy == NULL) return CF_ENOMEM;
    memcpy(copy, text, len);
    copy[len] = '\0';
    audit_ckpt *c = &f->ckpts[f->nckpts++];
    c->size = size;
    memcpy(c->root, root, 32);
    c->note = copy;
    c->note_len = len;
    return CF_OK;
}

/* The F checkpoint is read first but is the largest: keep it last. */
static void ckpt_latest_last(audit_feed *f)
{
    if (f->nckpts < 2) return;
    audit_ckpt latest = f->ckpts[0];
    memmove(f->ckpts, f->ckpts + 1, (f->nckpts - 1) * sizeof *f->ckpts);
    f->ckpts[f->nckpts - 1] = latest;
}

static int on_feed(pass1 *p, const bundle_record *rec)
{
    audit *a = p->a;
    checkpoint cp;
    diag why;
    char hex[CF_HEX32_BYTES];
    cf_hex_encode(rec->author, 32, hex, sizeof hex);
    if (audit__feed_by_author(a, rec->author) != NULL)
        return fail(a, p->rec_off, NULL, _("feed %.16s appears twice in the bundle"), hex);
    if (a->nfeeds == a->feeds_cap) {
        size_t cap = a->feeds_cap ? a->feeds_cap * 2 : 16;
        audit_feed *nf = realloc(a->feeds, cap * sizeof *nf);
        if (nf == NULL) return CF_ENOMEM;
        a->feeds = nf;
        a->feeds_cap = cap;
    }
    audit_feed *f = &a->feeds[a->nfeeds++];
    memset(f, 0, sizeof *f);
    memcpy(f->author, rec->author, 32);
    int err = audit__tree_new(&f->tree);
    if (err) return err;
    ckpt_origin(a->net, f->author, f->origin);
    f->order = a->nfeeds - 1;
    f->from = rec->from;
    f->size = rec->size;
    f->record_off = p->rec_off;
    p->cur = f;
    p->cur_entries = 0;
    if (ckpt_verify(rec->checkpoint, rec->checkpoint_len, a->net, f->author, &cp, &why) != CF_OK) {
        f->state = FEED_BAD;
        return fail(a, p->rec_off, f, _("checkpoint of size %" PRIu64 " (feed record): %s"), rec->size,
                    why.text);
    }
    if (f->from != 0) {
        f->state = FEED_BAD;
        return fail(a, p->rec_off, f,
                    _("the feed starts at index %" PRIu64 ": an audit needs every feed from index 0"),
                    f->from);
    }
    a->checkpoints++;
    return add_ckpt(f, cp.size, cp.root, rec->checkpoint, rec->checkpoint_len);
}

static int on_entry(pass1 *p, const bundle_record *rec)
{
    audit_feed *f = p->cur;
    uint64_t i = rec->index - f->from;
    if (i == 0) f->entries_off = p->rec_off;
    p->cur_entries++;
    p->a->entries++;
    size_t c = (size_t)(i >> AUDIT_LEAF_CHUNK_SHIFT);
    if (c == f->nchunks) {
        uint64_t left = f->size - f->from - i;
        uint64_t n = left < AUDIT_LEAF_CHUNK ? left : AUDIT_LEAF_CHUNK;
        uint8_t(**nc)[32] = realloc(f->chunks, (c + 1) * sizeof *nc);
        if (nc == NULL) return CF_ENOMEM;
        f->chunks = nc;
        if ((f->chunks[c] = malloc((size_t)n * 32)) == NULL) return CF_ENOMEM;
        f->nchunks = c + 1;
    }
    return audit__hasher_add(p->hasher, f->tree, audit__leaf(f, i), rec->payload, rec->len);
}

static int on_checkpoint(pass1 *p, const bundle_record *rec)
{
    audit *a = p->a;
    audit_feed *f = p->cur;
    checkpoint cp;
    diag why;
    if (ckpt_verify(rec->checkpoint, rec->checkpoint_len, a->net, f->author, &cp, &why) != CF_OK) {
        f->state = FEED_BAD;
        return fail(a, p->rec_off, f, _("checkpoint of size %" PRIu64 " (K record): %s"), rec->size,
                    why.text);
    }
    a->checkpoints++;
    return add_ckpt(f, cp.size, cp.root, rec->checkpoint, rec->checkpoint_len);
}

static int on_fork(pass1 *p, const bundle_record *rec)
{
    audit *a = p->a;
    fork_proof fp;
    fork_facts facts;
    diag why;
    a->fork_records++;
    if (fork_proof_decode(rec->payload, rec->len, &fp, &why) != CF_OK ||
        fork_proof_verify(&fp, &facts, &why) != CF_OK)
        return fail(a, p->rec_off, NULL, _("fork proof (X record) does not verify: %s"), why.text);
    if (memcmp(facts.net8, a->net, 8) != 0)
        return fail(a, p->rec_off, NULL, _("fork proof (X record) is about another network's feed"));
    /* One finding per author, from its best proof (fork_point_better): the
     * smallest point decides where the feed stops counting. */
    audit_finding *x = NULL;
    for (size_t i = 0; i < a->nfinds && x == NULL; i++)
        if (a->finds[i].kind == FIND_FORK && memcmp(a->finds[i].author, facts.author, 32) == 0)
            x = &a->finds[i];
    if (x != NULL && !fork_point_better(facts.point, x->point)) return CF_OK;
    if (x == NULL && (x = audit__find(a, FIND_FORK, p->rec_off)) == NULL) return CF_ENOMEM;
    x->found_here = false;
    x->point = facts.point;
    x->has_feed = true;
    memcpy(x->author, facts.author, 32);
    x->size_a = facts.size_a;
    x->size_b = facts.size_b;
    memcpy(x->root_a, facts.root_a, 32);
    memcpy(x->root_b, facts.root_b, 32);
    memcpy(x->alt, fp.alt, 32);
    if (fp.located)
        audit__say(x, _("fork proof in the bundle (X record): the histories part at entry %" PRIu64
                      "; entries below it stand"), fp.point);
    else
        audit__say(x, _("fork proof in the bundle (X record)"));
    return CF_OK;
}

static void progress(pass1 *p, bool force)
{
    const audit_opts *o = p->a->opts;
    if (o->progress && (force || (p->a->entries & 0xffff) == 0))
        o->progress(o->progress_arg, 1, bundle_reader_offset(p->r), p->a->file_bytes);
}

/* Read every record. Returns CF_OK (failures are findings) or CF_ENOMEM /
 * CF_EIO; *tail tells the records after the header were all read. */
static int read_records(pass1 *p, diag *d)
{
    audit *a = p->a;
    bundle_record rec;
    int rc, err = CF_OK;
    for (;;) {
        uint64_t before = bundle_reader_offset(p->r);
        rc = bundle_next(p->r, &rec, d);
        if (rc == 1) break;
        if (rc == CF_EIO) return rc;
        if (rc != CF_OK) {
            /* Name the feed when the defect is in one of its E or K records. */
            uint8_t type = bundle_reader_record_type(p->r);
            audit_feed *in = p->cur && (type == BUNDLE_ENTRY || type == BUNDLE_CHECKPOINT ||
                                        p->cur_entries < p->cur->size - p->cur->from)
                                 ? p->cur
                                 : NULL;
            if (p->cur && p->cur->state == FEED_OPEN) p->cur->state = FEED_BAD;
            return fail(a, before, in, "%s", d->text);
        }
        p->rec_off = rec.offset;
        switch (rec.type) {
        case BUNDLE_FEED: err = on_feed(p, &rec); break;
        case BUNDLE_ENTRY: err = on_entry(p, &rec); break;
        case BUNDLE_CHECKPOINT: err = on_checkpoint(p, &rec); break;
        case BUNDLE_FORK: err = on_fork(p, &rec); break;
        default: err = CF_OK; break;
        }
        if (err) return err;
        if (a->stopped) return CF_OK;
        if (rec.type == BUNDLE_ENTRY) progress(p, false);
    }
    for (size_t i = 0; i < a->nfeeds; i++) a->feeds[i].tree_done = true;
    progress(p, true);
    return CF_OK;
}

/* Feeds are complete once the next feed (or the forks, or the end) began:
 * the reader checked their entry counts. The current feed at a failure is
 * not, and is not checked. */
static int check_trees(audit *a, const pass1 *p)
{
    for (size_t i = 0; i < a->nfeeds; i++) {
        audit_feed *f = &a->feeds[i];
        if (f->state != FEED_OPEN || (!f->tree_done && f == p->cur)) continue;
        ckpt_latest_last(f);
        int err = audit__check_tree(a, f);
        if (err) return err;
    }
    return CF_OK;
}

/* Keep only the first integrity failure (in bundle order): what follows it
 * was read from a bundle already known to be bad. */
static void keep_first_failure(audit *a)
{
    size_t first = SIZE_MAX, out = 0;
    for (size_t i = 0; i < a->nfinds; i++)
        if (a->finds[i].kind == FIND_FAIL && (first == SIZE_MAX || a->finds[i].pos < a->finds[first].pos))
            first = i;
    if (first == SIZE_MAX) return;
    for (size_t i = 0; i < a->nfinds; i++)
        if (a->finds[i].kind != FIND_FAIL || i == first) a->finds[out++] = a->finds[i];
    a->nfinds = out;
}

/* --trust: the genesis author, i.e. the author of the feed whose first
 * entry's leaf hash is the network id. */
static int check_trust(audit *a)
{
    if (!a->opts->has_trust) return CF_OK;
    char want[CF_HEX32_BYTES], hex[CF_HEX32_BYTES];
    cf_hex_encode(a->opts->trust, 32, want, sizeof want);
    for (size_t i = 0; i < a->nfeeds; i++) {
        audit_feed *f = &a->feeds[i];
        if (f->state != FEED_OPEN || f->size == 0 || f->nchunks == 0) continue;
        if (memcmp(audit__leaf(f, 0), a->net, 32) != 0) continue;
        if (memcmp(f->author, a->opts->trust, 32) == 0) return CF_OK;
        cf_hex_encode(f->author, 32, hex, sizeof hex);
        return fail(a, f->record_off, f,
                    _("--trust: the network's genesis entry is by %s, not the trusted key %s"), hex,
                    want);
    }
    return fail(a, a->file_bytes, NULL,
                _("--trust: the bundle holds no genesis entry of its network, so its "
                "governance key cannot be checked against %s"), want);
}

static int open_bundle(audit *a, pass1 *p, const char *path, diag *d)
{
    bundle_record rec;
    /* A pipe is copied to a temporary file first: the replay reads entries
     * again at their offsets (bundle.h). */
    int rc = bundle_input_open(path, &a->f, &a->file_bytes, d);
    if (rc) return rc;
    rc = bundle_reader_open_file(a->f, &p->r);
    if (rc) return diag_set(d, rc, NULL, "%s", cf_strerror(rc));
    /* Magic and header: without them this is not a cofund bundle at all. */
    rc = bundle_next(p->r, &rec, d);
    if (rc == 1 || (rc == CF_OK && rec.type != BUNDLE_HEADER))
        return diag_set(d, CF_EBUNDLE, NULL, "%s: not a cofund bundle (no header record)", a->path);
    if (rc) {
        diag_prefix(d, "%s: not a cofund bundle", a->path);
        return rc == CF_EIO ? rc : CF_EBUNDLE;
    }
    memcpy(a->net, rec.net, 32);
    return CF_OK;
}

int audit_run(const char *path, const audit_opts *opts, audit **out, diag *d)
{
    diag_clear(d);
    if (path == NULL || opts == NULL || out == NULL) return diag_set(d, CF_EINVAL, NULL, "audit: no bundle");
    audit *a = calloc(1, sizeof *a);
    if (a == NULL) return diag_set(d, CF_ENOMEM, NULL, "%s", cf_strerror(CF_ENOMEM));
    a->opts_copy = *opts;
    a->opts = &a->opts_copy;
    snprintf(a->path, sizeof a->path, "%s", opts->name ? opts->name : path);
    struct timespec now;
    clock_gettime(CLOCK_REALTIME, &now);
    a->audited_at_ms = (uint64_t)now.tv_sec * 1000 + (uint64_t)now.tv_nsec / 1000000;
    pass1 p = {.a = a};
    int err = open_bundle(a, &p, path, d);
    if (err == CF_OK) err = audit__hasher_new(opts->threads, &p.hasher);
    if (err == CF_OK) err = read_records(&p, d);
    if (err == CF_OK) err = audit__hasher_sync(p.hasher);
    audit__hasher_free(p.hasher);
    a->have_sha = p.r && bundle_reader_sha256(p.r, a->file_sha256) == CF_OK;
    bundle_reader_close(p.r);
    if (err == CF_OK && !a->have_sha) err = audit__file_sha256(a);
    if (err == CF_OK) err = check_trees(a, &p);
    if (err == CF_OK) {
        keep_first_failure(a);
        if (!a->stopped) err = check_trust(a);
    }
    if (err == CF_OK && !a->stopped) err = audit__replay(a);
    if (err == CF_OK && !a->stopped) err = audit__check_cosigs(a);
    if (err) {
        if (d->code == CF_OK) diag_set(d, err, NULL, "audit: %s", cf_strerror(err));
        audit_free(a);
        return d->code;
    }
    *out = a;
    return CF_OK;
}

void audit_free(audit *a)
{
    if (a == NULL) return;
    for (size_t i = 0; i < a->nfeeds; i++) {
        audit_feed *f = &a->feeds[i];
        for (size_t k = 0; k < f->nckpts; k++) free(f->ckpts[k].note);
        free(f->ckpts);
        for (size_t c = 0; c < f->nchunks; c++) free(f->chunks[c]);
        free(f->chunks);
        audit__tree_free(f->tree);
    }
    free(a->feeds);
    free(a->finds);
    memkv_free(a->state);
    if (a->f) fclose(a->f);
    free(a);
}

int audit_exit_code(const audit *a)
{
    for (size_t i = 0; i < a->nfinds; i++)
        if (a->finds[i].kind == FIND_FAIL || a->finds[i].kind == FIND_FORK ||
            a->finds[i].kind == FIND_VIOLATION || a->finds[i].kind == FIND_MATCH_AFTER_EXIT)
            return AUDIT_EXIT_FAILED;
    return AUDIT_EXIT_OK;
}
