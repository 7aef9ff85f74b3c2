/* audit_replay.c — pass 2: every entry through the rules, with the engine
 * the nodes run (node/ledger/rules.h) over an in-memory state (memkv.h),
 * then the cosignatures. See audit.h.
 *
 * The order is replica_drain's (node/home/drain.c): feeds by author key; each feed
 * is applied until an entry waits (pending) or breaks a rule (held there for
 * good, its entry a violation); passes repeat while any feed advances, since
 * one feed's entries unblock another's. Feeds proven forked are left out, as
 * replica_rebuild leaves them out. Entries are read back from the file through
 * one window buffer, each checked against the leaf hash pass 1 verified, so
 * what the rules see is exactly what the signatures cover.
 */
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "audit_internal.h"
#include "crypto/cf_error.h"
#include "crypto/cf_util.h"
#include "crypto/merkle.h"
#include "crypto/note.h"
#include "ledger/entry.h"
#include "ledger/rules.h"

#define RECORD_HEAD 5

typedef struct {
    audit *a;
    audit_cursor *cur;
    uint8_t *buf; /* one entry, for explanations */
    entry e;      /* ~6 KiB: kept here, not on the stack */
    ledger_cache cache;
} replay;

/* One E record at off, unverified: only to say why a waiting entry waits. */
static int read_one(replay *r, uint64_t off, const uint8_t **p, size_t *len)
{
    uint8_t head[RECORD_HEAD];
    if (pread(fileno(r->a->f), head, sizeof head, (off_t)off) != (ssize_t)sizeof head)
        return CF_EIO;
    uint32_t n = cf_get_be32(head + 1);
    if (head[0] != 'E' || n == 0 || n > ENTRY_BYTES_MAX ||
        pread(fileno(r->a->f), r->buf, n, (off_t)off + RECORD_HEAD) != (ssize_t)n)
        return CF_EIO;
    *p = r->buf;
    *len = n;
    return CF_OK;
}

/* Judge one entry, decoded by the cursor, with ledger_process_entry
 * (rules.h) — what the node's drain calls — with the leaf hash pass 1
 * verified (the cursor checked that its bytes hash to it). */
static int process(replay *r, audit_feed *f, const entry *e, diag *d)
{
    diag_clear(d);
    return ledger_process_entry(&r->a->kv, &r->cache, f->author, f->from + f->applied, e,
                                audit__leaf(f, f->applied), d);
}

static int changed(audit *a, audit_feed *f)
{
    audit_finding *x = audit__find(a, FIND_FAIL, a->file_bytes);
    if (x == NULL) return CF_ENOMEM;
    x->has_feed = x->has_index = true;
    memcpy(x->author, f->author, 32);
    x->index = f->from + f->applied;
    audit__say(x, "the file changed while it was being audited (the entry read back differs "
                  "from the one verified)");
    return CF_OK;
}

/* Apply what can be applied of one feed; *waiting when an entry waits. */
static int drain_feed(replay *r, audit_feed *f, bool *waiting)
{
    audit *a = r->a;
    const audit_opts *o = a->opts;
    uint64_t n = f->size - f->from;
    diag d;
    *waiting = false;
    if (f->applied == 0) f->next_off = f->entries_off;
    if (f->applied == n) return CF_OK;
    int err = audit__cursor_seek(r->cur, f);
    if (err) return err;
    while (f->applied < n) {
        const uint8_t *bytes;
        size_t len;
        const entry *e;
        err = audit__cursor_next(r->cur, &bytes, &len, &e, &d);
        if (err == CF_OK) err = process(r, f, e, &d);
        if (err == CF_OK) {
            f->applied++;
            f->next_off += RECORD_HEAD + len;
            if ((++a->applied & 0xffff) == 0 && o->progress)
                o->progress(o->progress_arg, 2, a->applied, a->entries);
            continue;
        }
        if (err == CF_EPENDING) {
            *waiting = true;
            f->wait = d;
            return CF_OK;
        }
        if (err == CF_EVERIFY) {
            f->state = FEED_BAD;
            return changed(a, f);
        }
        if (err != CF_EREJECTED) return err;
        f->state = FEED_HELD;
        a->violations++;
        audit_finding *x = audit__find(a, FIND_VIOLATION, f->next_off);
        if (x == NULL) return CF_ENOMEM;
        x->has_feed = x->has_index = true;
        memcpy(x->author, f->author, 32);
        x->index = f->from + f->applied;
        snprintf(x->rule, sizeof x->rule, "%s", d.rule);
        snprintf(x->text, sizeof x->text, "%s", d.text[0] ? d.text : cf_strerror(d.code));
        return CF_OK;
    }
    return CF_OK;
}

static int by_author(const void *x, const void *y)
{
    const audit_feed *const *a = x, *const *b = y;
    return memcmp((*a)->author, (*b)->author, 32);
}

/* Why the first entry of a waiting feed waits, in words an auditor can act
 * on: the cited feed is not in the bundle, is cut short, forked, held... */
static void explain_wait(replay *r, audit_feed *f, audit_finding *x)
{
    audit *a = r->a;
    const uint8_t *bytes;
    size_t len;
    char who[STATE_ID_CAP];
    diag d;
    x->reason = UNCHECKED_OTHER;
    snprintf(x->etype, sizeof x->etype, "entry");
    if (read_one(r, f->next_off, &bytes, &len) != CF_OK ||
        entry_decode(bytes, len, &r->e, &d) != CF_OK) {
        snprintf(x->text, sizeof x->text, "%s", f->wait.text);
        return;
    }
    const entry *e = &r->e;
    snprintf(x->etype, sizeof x->etype, "%s", entry_type_name(e->type));
    state_tip gov;
    if (!a->have_network) {
        x->reason = UNCHECKED_NO_GENESIS;
        audit__say(x, "the bundle holds no genesis entry of its network");
        return;
    }
    if (state_tip_get(&a->kv, a->network.gov_key, &gov) == CF_OK && e->gov > gov.applied) {
        x->reason = UNCHECKED_GOV;
        audit__say(x, "it was checked against %" PRIu64 " governance entries; the bundle's "
                      "governance feed gives %" PRIu64, e->gov, gov.applied);
        return;
    }
    if (e->type == ENTRY_MATCH) {
        for (size_t i = 0; i < e->body.match.ncites; i++) {
            const entry_cite *c = &e->body.match.cites[i];
            const audit_feed *cf = audit__feed_by_author(a, c->author);
            state_tip t;
            if (state_tip_get(&a->kv, c->author, &t) == CF_OK && c->index < t.applied) continue;
            ledger_member_label(&a->kv, c->author, who, sizeof who);
            if (cf == NULL) {
                x->reason = UNCHECKED_CITE_NO_FEED;
                audit__say(x, "it cites %s#%" PRIu64 ", whose feed is not in the bundle", who,
                           c->index);
            } else if (c->index >= cf->size) {
                x->reason = UNCHECKED_CITE_BEYOND;
                audit__say(x, "it cites %s#%" PRIu64 "; the bundle holds %" PRIu64
                              " entries of that feed", who, c->index, cf->size);
            } else if (cf->state == FEED_FORKED) {
                x->reason = UNCHECKED_CITE_FORKED;
                audit__say(x, "it cites %s#%" PRIu64 ", in a feed proven forked", who, c->index);
            } else if (cf->state == FEED_HELD) {
                x->reason = UNCHECKED_CITE_HELD;
                audit__say(x, "it cites %s#%" PRIu64 ", held behind a violation", who, c->index);
            } else {
                x->reason = UNCHECKED_CITE_WAITING;
                audit__say(x, "it cites %s#%" PRIu64 ", which could not be checked either", who,
                           c->index);
            }
            return;
        }
    }
    snprintf(x->text, sizeof x->text, "%s", f->wait.text);
}

static int report_waiting(replay *r)
{
    audit *a = r->a;
    for (size_t i = 0; i < a->nfeeds; i++) {
        audit_feed *f = &a->feeds[i];
        uint64_t n = f->size - f->from;
        if (f->state != FEED_OPEN || f->applied == n) continue;
        f->state = FEED_PENDING;
        a->unchecked += n - f->applied;
        audit_finding *x = audit__find(a, FIND_UNCHECKED, f->record_off);
        if (x == NULL) return CF_ENOMEM;
        x->has_feed = x->has_index = true;
        memcpy(x->author, f->author, 32);
        x->index = f->from + f->applied;
        x->last = f->size - 1;
        explain_wait(r, f, x);
    }
    return CF_OK;
}

int audit__replay(audit *a)
{
    replay *r = calloc(1, sizeof *r);
    audit_feed **order = calloc(a->nfeeds ? a->nfeeds : 1, sizeof *order);
    int err = CF_ENOMEM;
    if (r == NULL || order == NULL || (r->buf = malloc(ENTRY_BYTES_MAX)) == NULL ||
        (a->state = memkv_new(1)) == NULL ||
        audit__cursor_new(fileno(a->f), a->opts->threads, &r->cur) != CF_OK)
        goto out;
    r->a = a;
    ledger_cache_init(&r->cache);
    memkv_bind(a->state, &a->kv);
    /* The report reads the state as it stands at the end, never as of an
     * earlier time: no series history (state.h). */
    a->kv.latest_only = true;
    for (size_t i = 0; i < a->nfinds; i++) {
        audit_feed *f;
        if (a->finds[i].kind == FIND_FORK && (f = audit__feed_by_author(a, a->finds[i].author)))
            f->state = FEED_FORKED;
    }
    for (size_t i = 0; i < a->nfeeds; i++) order[i] = &a->feeds[i];
    qsort(order, a->nfeeds, sizeof *order, by_author);
    for (;;) {
        uint64_t before = a->applied, pending = 0;
        for (size_t i = 0; i < a->nfeeds; i++) {
            bool waiting;
            if (order[i]->state != FEED_OPEN) continue;
            if ((err = drain_feed(r, order[i], &waiting)) != CF_OK) goto out;
            pending += waiting;
        }
        if (a->applied == before || pending == 0) break;
    }
    a->replayed = true;
    err = state_network_get(&a->kv, &a->network);
    a->have_network = err == CF_OK;
    if (err != CF_OK && err != CF_ENOTFOUND) goto out;
    if (a->have_network && memcmp(a->network.net, a->net, 32) != 0) {
        /* Origins carry only 8 bytes of the id: the genesis entry has the rest. */
        audit_finding *x = audit__find(a, FIND_FAIL, 0);
        err = CF_ENOMEM;
        if (x == NULL) goto out;
        audit__say(x, "the bundle's header names a network its genesis entry does not create "
                      "(the genesis entry's leaf hash is the network id)");
    }
    err = a->stopped ? CF_OK : report_waiting(r);
out:
    if (r) {
        audit__cursor_free(r->cur);
        free(r->buf);
    }
    free(r);
    free(order);
    return err;
}

/* ---- cosignatures ---------------------------------------------------------- */

/* "cofund/<net16>/<64 hex>" of this network: the key it names. */
static bool member_origin(const audit *a, const note_sig *s, uint8_t key[32])
{
    char prefix[32];
    char net16[17];
    cf_hex_encode(a->net, 8, net16, sizeof net16);
    snprintf(prefix, sizeof prefix, "cofund/%s/", net16);
    if (s->name_len != CKPT_ORIGIN_BYTES - 1 || memcmp(s->name, prefix, 24) != 0) return false;
    if (cf_hex_decode(s->name + 24, 64, key, 32) != CF_OK) return false;
    char hex[65];
    cf_hex_encode(key, 32, hex, sizeof hex);
    return memcmp(hex, s->name + 24, 64) == 0; /* canonical lowercase only */
}

static int forged(audit *a, const audit_feed *f, const audit_ckpt *c, const uint8_t key[32],
                  const char *why)
{
    char who[STATE_ID_CAP];
    ledger_member_label(&a->kv, key, who, sizeof who);
    audit_finding *x = audit__find(a, FIND_FAIL, a->file_bytes);
    if (x == NULL) return CF_ENOMEM;
    x->has_feed = true;
    memcpy(x->author, f->author, 32);
    snprintf(x->rule, sizeof x->rule, "forged cosignature");
    audit__say(x, "forged cosignature: the checkpoint of size %" PRIu64 " carries a line named "
                  "after member %s that %s", c->size, who, why);
    return CF_OK;
}

/* Every signature line other than the author's own note signature: one
 * named after a member's feed origin must be a valid cosignature/v1 by that
 * member's key (the author's own included); on the latest checkpoint each
 * distinct member other than the author counts as a witness. Lines by keys
 * that are not members are ignored. */
static int check_feed_cosigs(audit *a, audit_feed *f)
{
    for (size_t k = 0; k < f->nckpts; k++) {
        const audit_ckpt *c = &f->ckpts[k];
        bool latest = k == f->nckpts - 1;
        note n;
        uint8_t counted[NOTE_SIGS_MAX][32];
        size_t ncounted = 0;
        if (note_parse(c->note, c->note_len, &n) != CF_OK) continue; /* verified in pass 1 */
        for (size_t i = 0; i < n.nsigs; i++) {
            const note_sig *s = &n.sigs[i];
            uint8_t key[32];
            state_member m;
            uint64_t ts;
            bool own = s->name_len == strlen(f->origin) &&
                       memcmp(s->name, f->origin, s->name_len) == 0;
            if (own && s->key_id == note_key_id(s->name, s->name_len, NOTE_SIGTYPE_ED25519,
                                                f->author))
                continue; /* the author's signature, verified in pass 1 */
            if (!member_origin(a, s, key) || state_member_get(&a->kv, key, &m) != CF_OK) {
                a->cosigs_ignored++;
                continue;
            }
            if (s->key_id != note_key_id(s->name, s->name_len, NOTE_SIGTYPE_COSIG_V1, key))
                return forged(a, f, c, key, "is not a cosignature/v1 by that member's key "
                                            "(its key id does not match)");
            if (note_verify_cosig(&n, s->name, s->name_len, key, &ts) != CF_OK)
                return forged(a, f, c, key, "does not verify under that member's key");
            if (own) continue; /* valid, but an author does not witness itself */
            bool dup = false;
            for (size_t j = 0; j < ncounted; j++) dup |= memcmp(counted[j], key, 32) == 0;
            if (dup) continue;
            memcpy(counted[ncounted++], key, 32);
            a->cosigs_valid++;
            if (latest) f->witnesses++;
        }
    }
    return CF_OK;
}

int audit__check_cosigs(audit *a)
{
    int err;
    for (size_t i = 0; i < a->nfeeds; i++) {
        audit_feed *f = &a->feeds[i];
        if (f->state == FEED_BAD) continue;
        if ((err = check_feed_cosigs(a, f)) != CF_OK) return err;
        if (a->stopped) return CF_OK;
    }
    for (size_t i = 0; i < a->nfeeds && a->opts->witnesses > 0; i++) {
        audit_feed *f = &a->feeds[i];
        if (f->state == FEED_BAD || f->witnesses >= a->opts->witnesses) continue;
        char who[STATE_ID_CAP];
        ledger_member_label(&a->kv, f->author, who, sizeof who);
        audit_finding *x = audit__find(a, FIND_FAIL, a->file_bytes);
        if (x == NULL) return CF_ENOMEM;
        x->has_feed = true;
        memcpy(x->author, f->author, 32);
        audit__say(x, "its latest checkpoint (size %" PRIu64 ") carries %u valid cosignature%s "
                      "by other members; --witnesses requires %u",
                   f->size, f->witnesses, f->witnesses == 1 ? "" : "s", a->opts->witnesses);
        return CF_OK;
    }
    return CF_OK;
}
