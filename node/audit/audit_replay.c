/* audit_replay.c — pass 2: every entry through the rules, with the engine
 * the nodes run (node/ledger/rules.h) over an in-memory state (memkv.h),
 * then the cosignatures. See audit.h.
 *
 * The order is the one every home drains in: the very scheduler
 * (ledger/drain.h, drain_run) over the bundle's feeds; feeds proven forked
 * count up to their point (R-FORK), as a home's rebuild counts them. Entries are read back
 * from the file through one window buffer, each checked against the leaf
 * hash pass 1 verified, so what the rules see is exactly what the
 * signatures cover.
 */
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "audit_internal.h"
#include "bundle/bundle.h"
#include "bundle/fork_proof.h"
#include "crypto/cf_error.h"
#include "crypto/cf_i18n.h"
#include "crypto/cf_util.h"
#include "crypto/merkle.h"
#include "crypto/note.h"
#include "ledger/drain.h"
#include "ledger/entry.h"
#include "ledger/rules.h"

typedef struct {
    audit *a;
    audit_cursor *cur;
    uint8_t *buf; /* one entry, for explanations */
    entry e;      /* ~6 KiB: kept here, not on the stack */
    ledger_cache cache;
    size_t len;   /* of the entry the cursor gave last */
    const entry *last; /* the entry the cursor gave last */
} replay;

static int changed(audit *a, audit_feed *f)
{
    audit_finding *x = audit__find(a, FIND_FAIL, a->file_bytes);
    if (x == NULL) return CF_ENOMEM;
    x->has_feed = x->has_index = true;
    memcpy(x->author, f->author, 32);
    x->index = f->from + f->applied;
    audit__say(x, _("the file changed while it was being audited (the entry read back differs "
                  "from the one verified)"));
    return CF_OK;
}

/* ---- the bundle's feeds as the scheduler's source (drain.h) ---------------- */

static const uint8_t *feed_author(void *arg, size_t i)
{
    return ((replay *)arg)->a->feeds[i].author;
}

static int feed_begin(void *arg, size_t i, bool *skip, uint64_t *next, uint64_t *end)
{
    replay *r = arg;
    audit_feed *f = &r->a->feeds[i];
    *skip = f->state != FEED_OPEN && f->state != FEED_FORKED;
    if (*skip) return CF_OK;
    if (f->applied == 0) f->next_off = f->entries_off;
    *next = f->from + f->applied;
    *end = f->size;
    int err;
    /* R-FORK: a forked feed up to its point; R-KEY: a closed key's up to
     * where it was closed. */
    if ((err = state_feed_end(&r->a->kv, f->author, f->size, end)) != CF_OK) return err;
    if (*end < *next) *end = *next; /* a point inside a partial bundle's gap */
    return *next < *end ? audit__cursor_seek(r->cur, f) : CF_OK;
}

/* The next entry, decoded by the cursor, with the leaf hash pass 1 verified
 * (the cursor checked that its bytes hash to it). */
static int feed_entry(void *arg, size_t i, uint64_t index, const entry **e,
                      const uint8_t **leaf, diag *d)
{
    replay *r = arg;
    audit_feed *f = &r->a->feeds[i];
    const uint8_t *bytes;
    (void)index;
    int err = audit__cursor_next(r->cur, &bytes, &r->len, e, d);
    if (err == CF_EVERIFY) {
        f->state = FEED_BAD;
        err = changed(r->a, f);
        return err ? err : DRAIN_STOP;
    }
    *leaf = audit__leaf(f, f->applied);
    r->last = err == CF_OK ? *e : NULL;
    if (err == CF_OK) { /* the period the report covers */
        audit *a = r->a;
        uint64_t t = (*e)->time_ms;
        if (!a->have_period || t < a->first_ms) a->first_ms = t;
        if (!a->have_period || t > a->last_ms) a->last_ms = t;
        a->have_period = true;
    }
    return err;
}

static int feed_judged(void *arg, size_t i, uint64_t index, int verdict, const diag *why)
{
    replay *r = arg;
    audit *a = r->a;
    audit_feed *f = &a->feeds[i];
    const audit_opts *o = a->opts;
    if (verdict == CF_OK) {
        f->applied++;
        f->next_off += bundle_record_bytes(r->len);
        if ((++a->applied & 0xffff) == 0 && o->progress)
            o->progress(o->progress_arg, 2, a->applied, a->entries);
        if (r->last != NULL && r->last->type == ENTRY_MATCH)
            return audit__match_applied(a, r->last);
        return CF_OK;
    }
    if (verdict == CF_EPENDING) {
        f->wait = *why;
        return CF_OK;
    }
    f->state = FEED_HELD;
    a->violations++;
    audit_finding *x = audit__find(a, FIND_VIOLATION, f->next_off);
    if (x == NULL) return CF_ENOMEM;
    x->has_feed = x->has_index = true;
    memcpy(x->author, f->author, 32);
    x->index = index;
    snprintf(x->rule, sizeof x->rule, "%s", why->rule);
    snprintf(x->text, sizeof x->text, "%s", why->text[0] ? why->text : cf_strerror(why->code));
    return CF_OK;
}

static int feed_end(void *arg, size_t i, uint64_t next)
{
    (void)arg, (void)i, (void)next;
    return CF_OK;
}

/* ---- why a feed waits -------------------------------------------------------- */

static int feed_held(void *arg, const uint8_t author[32], drain_feed_state *state,
                     uint64_t *size)
{
    const audit_feed *cf = audit__feed_by_author(arg, author);
    *state = cf == NULL                   ? DRAIN_FEED_ABSENT
             : cf->state == FEED_FORKED ? DRAIN_FEED_FORKED
             : cf->state == FEED_HELD   ? DRAIN_FEED_HELD
                                        : DRAIN_FEED_OPEN;
    *size = cf ? cf->size : 0;
    return CF_OK;
}

/* Why the first entry of a waiting feed waits (drain_classify_wait), in
 * words an auditor can act on: the cited feed is not in the bundle, is cut
 * short, forked, held... */
static void explain_wait(replay *r, audit_feed *f, audit_finding *x)
{
    audit *a = r->a;
    size_t len;
    char who[STATE_ID_CAP];
    diag d;
    drain_wait w;
    x->reason = UNCHECKED_OTHER;
    snprintf(x->etype, sizeof x->etype, "entry");
    /* Unverified (pass 1 did): only to say why it waits. */
    if (bundle_read_entry_at(a->f, f->next_off, r->buf, ENTRY_BYTES_MAX, &len) != CF_OK ||
        entry_decode(r->buf, len, &r->e, &d) != CF_OK) {
        snprintf(x->text, sizeof x->text, "%s", f->wait.text);
        return;
    }
    snprintf(x->etype, sizeof x->etype, "%s", entry_type_name(r->e.type));
    drain_classify_wait(&a->kv, &r->e, feed_held, a, &w);
    if (w.cite) ledger_member_label(&a->kv, w.cite->author, who, sizeof who);
    /* R-MATCH.6: a read point past the cited entry is what it waits for. */
    char upto[48] = "";
    if (w.cite && w.cited_last != w.cite->index)
        snprintf(upto, sizeof upto, _(" (read up to #%" PRIu64 ")"), w.cited_last);
    switch (w.reason) {
    case DRAIN_WAIT_NO_GENESIS:
        x->reason = UNCHECKED_NO_GENESIS;
        audit__say(x, _("the bundle holds no genesis entry of its network"));
        break;
    case DRAIN_WAIT_GOV:
        x->reason = UNCHECKED_GOV;
        audit__say(x, _("it was checked against %" PRIu64 " governance entries; the bundle's "
                      "governance feed gives %" PRIu64), w.gov_need, w.gov_have);
        break;
    case DRAIN_WAIT_CITE_BEYOND:
        x->reason = UNCHECKED_CITE_BEYOND;
        audit__say(x, _("it cites %s#%" PRIu64 "%s; the bundle holds %" PRIu64
                      " entries of that feed"), who, w.cite->index, upto, w.cited_size);
        break;
    case DRAIN_WAIT_CITE_NO_FEED:
    case DRAIN_WAIT_CITE_FORKED:
    case DRAIN_WAIT_CITE_HELD:
    case DRAIN_WAIT_CITE_WAITING: {
        static const struct {
            enum audit_unchecked reason;
            const char *what;
        } cites[] = {
            [DRAIN_WAIT_CITE_NO_FEED] = {UNCHECKED_CITE_NO_FEED, N_("whose feed is not in the bundle")},
            [DRAIN_WAIT_CITE_FORKED] = {UNCHECKED_CITE_FORKED, N_("in a feed proven forked")},
            [DRAIN_WAIT_CITE_HELD] = {UNCHECKED_CITE_HELD, N_("held behind a violation")},
            [DRAIN_WAIT_CITE_WAITING] = {UNCHECKED_CITE_WAITING,
                                         N_("which could not be checked either")},
        };
        x->reason = cites[w.reason].reason;
        audit__say(x, _("it cites %s#%" PRIu64 "%s, %s"), who, w.cite->index, upto,
                   _(cites[w.reason].what));
        break;
    }
    default:
        snprintf(x->text, sizeof x->text, "%s", f->wait.text);
        break;
    }
}

static int report_waiting(replay *r)
{
    audit *a = r->a;
    for (size_t i = 0; i < a->nfeeds; i++) {
        audit_feed *f = &a->feeds[i];
        uint64_t n = f->size - f->from, stop;
        if (f->state != FEED_OPEN || f->applied == n) continue;
        /* R-KEY, R-SUCCEED: a closed key's entries from its closing on never
         * count; none is left unchecked. */
        int err = state_feed_stop(&a->kv, f->author, &stop);
        if (err != CF_OK && err != CF_ENOTFOUND) return err;
        if (err == CF_OK && stop <= f->from + f->applied) {
            f->state = FEED_CLOSED;
            continue;
        }
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

/* R-SUCCEED: every succession the bundle holds whose signatures the
 * genesis's recovery keys make valid is noted as a fact before anything is
 * applied, as a home's rebuild notes it (rules.h): the old governance key's
 * feed stops at its close before the drain reaches the new key's. */
static int note_successions(replay *r)
{
    audit *a = r->a;
    state_network net;
    bool have_net = false;
    size_t *succ = malloc((a->nfeeds ? a->nfeeds : 1) * sizeof *succ), nsucc = 0;
    const uint8_t *bytes;
    const entry *e;
    size_t len;
    diag d;
    int err = CF_OK;
    if (succ == NULL) return CF_ENOMEM;
    /* Every feed's first entry once: the genesis gives the network; the
     * feeds that open with a succession are noted once it is known. */
    for (size_t i = 0; i < a->nfeeds; i++) {
        audit_feed *f = &a->feeds[i];
        if (f->from != 0 || f->size == 0 || (f->state != FEED_OPEN && f->state != FEED_FORKED))
            continue;
        f->next_off = f->entries_off;
        if (audit__cursor_seek(r->cur, f) != CF_OK ||
            audit__cursor_next(r->cur, &bytes, &len, &e, &d) != CF_OK)
            continue; /* the replay reports it */
        if (e->type == ENTRY_GENESIS) {
            ledger_network_of_genesis(e, audit__leaf(f, 0), &net);
            have_net = true;
        } else if (e->type == ENTRY_SUCCESSION) {
            succ[nsucc++] = i;
        }
    }
    for (size_t k = 0; have_net && err == CF_OK && k < nsucc; k++) {
        audit_feed *f = &a->feeds[succ[k]];
        bool noted;
        f->next_off = f->entries_off;
        if (audit__cursor_seek(r->cur, f) == CF_OK &&
            audit__cursor_next(r->cur, &bytes, &len, &e, &d) == CF_OK)
            err = ledger_succession_note(&a->kv, &net, e, &noted);
    }
    free(succ);
    return err;
}

int audit__replay(audit *a)
{
    replay *r = calloc(1, sizeof *r);
    int err = CF_ENOMEM;
    if (r == NULL || (r->buf = malloc(ENTRY_BYTES_MAX)) == NULL ||
        (a->state = memkv_new(1)) == NULL ||
        audit__cursor_new(fileno(a->f), a->opts->threads, &r->cur) != CF_OK)
        goto out;
    r->a = a;
    ledger_cache_init(&r->cache);
    memkv_bind(a->state, &a->kv);
    /* The report reads the state as it stands at the end, never as of an
     * earlier time: no series history (state.h). */
    a->kv.latest_only = true;
    /* R-FORK: each forked feed's point, as the rules read it (an unlocated
     * proof counts as point 0), before anything is applied. */
    for (size_t i = 0; i < a->nfinds; i++) {
        const audit_finding *x = &a->finds[i];
        audit_feed *f;
        if (x->kind != FIND_FORK) continue;
        uint64_t point = x->point == FORK_POINT_UNKNOWN ? 0 : x->point;
        if ((err = state_fork_put(&a->kv, x->author, point)) != CF_OK) goto out;
        if ((f = audit__feed_by_author(a, x->author)) != NULL) f->state = FEED_FORKED;
    }
    if ((err = note_successions(r)) != CF_OK) goto out;
    drain_source src = {.kv = &a->kv, .cache = &r->cache, .nfeeds = a->nfeeds, .arg = r,
                        .author = feed_author, .begin = feed_begin, .entry = feed_entry,
                        .judged = feed_judged, .end = feed_end};
    drain_result dr;
    diag d;
    if ((err = drain_run(&src, &dr, &d)) != CF_OK) goto out;
    a->replayed = true;
    if ((err = audit__match_finish(a)) != CF_OK) goto out;
    err = state_network_get(&a->kv, &a->network);
    a->have_network = err == CF_OK;
    if (err != CF_OK && err != CF_ENOTFOUND) goto out;
    if (a->have_network && memcmp(a->network.net, a->net, 32) != 0) {
        /* Origins carry only 8 bytes of the id: the genesis entry has the rest. */
        audit_finding *x = audit__find(a, FIND_FAIL, 0);
        err = CF_ENOMEM;
        if (x == NULL) goto out;
        audit__say(x, _("the bundle's header names a network its genesis entry does not create "
                      "(the genesis entry's leaf hash is the network id)"));
    }
    err = a->stopped ? CF_OK : report_waiting(r);
out:
    if (r) {
        audit__cursor_free(r->cur);
        free(r->buf);
    }
    free(r);
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
    char hex[CF_HEX32_BYTES];
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
    audit__say(x, _("forged cosignature: the checkpoint of size %" PRIu64 " carries a line named "
                  "after member %s that %s"), c->size, who, why);
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
                return forged(a, f, c, key, _("is not a cosignature/v1 by that member's key "
                                            "(its key id does not match)"));
            if (note_verify_cosig(&n, s->name, s->name_len, key, &ts) != CF_OK)
                return forged(a, f, c, key, _("does not verify under that member's key"));
            if (own) continue; /* valid, but an author does not witness itself */
            bool dup = false;
            for (size_t j = 0; j < ncounted; j++) dup |= memcmp(counted[j], key, 32) == 0;
            if (dup) continue;
            memcpy(counted[ncounted++], key, 32);
            a->cosigs_valid++;
            if (latest && f->witnesses < AUDIT_WITNESS_KEYS)
                memcpy(f->witness_keys[f->witnesses], key, 32);
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
        audit__say(x, _("its latest checkpoint (size %" PRIu64 ") carries %u valid cosignature%s "
                      "by other members; --witnesses requires %u"),
                   f->size, f->witnesses, f->witnesses == 1 ? "" : "s", a->opts->witnesses);
        return CF_OK;
    }
    return CF_OK;
}
