/* state_fork.c — fork points and disputed entries (state.h, docs/rules.md
 * R-FORK, docs/storage.md). Fork points are written by the home's rebuild
 * and the audit's replay from the fork proofs they hold, before any entry is
 * applied; disputed records by the rules, one per entry applied as disputed.
 *
 *   'X' || author              -> point u64
 *   'U' || author || index u64 -> cited author (32) || cited index u64 || amount u64
 */
#include "state.h"

#include <string.h>

#include "crypto/cf_error.h"
#include "crypto/cf_util.h"
#include "state_internal.h"

int state_fork_get(const ledger_kv *kv, const uint8_t author[32], uint64_t *point)
{
    wr k;
    rd r;
    key2(&k, TAG_FORK, author, 32);
    int err = get_record(kv, &k, &r);
    if (err) return err;
    *point = r_u64(&r);
    return r_done(&r);
}

int state_fork_put(const ledger_kv *kv, const uint8_t author[32], uint64_t point)
{
    wr k, v;
    v.len = 0;
    key2(&k, TAG_FORK, author, 32);
    w_u64(&v, point);
    return put_record(kv, &k, &v);
}

int state_succession_get(const ledger_kv *kv, const uint8_t prev[32], state_succession *out)
{
    wr k;
    rd r;
    key2(&k, TAG_SUCCEEDED, prev, 32);
    int err = get_record(kv, &k, &r);
    if (err) return err;
    r_bytes(&r, out->by, 32);
    out->close = r_u64(&r);
    return r_done(&r);
}

int state_succession_note(const ledger_kv *kv, const uint8_t prev[32],
                          const state_succession *x, bool *kept)
{
    state_succession was;
    int err = state_succession_get(kv, prev, &was);
    if (err != CF_OK && err != CF_ENOTFOUND) return err;
    if (err == CF_OK && (was.close < x->close ||
                         (was.close == x->close && memcmp(was.by, x->by, 32) <= 0))) {
        *kept = memcmp(was.by, x->by, 32) == 0 && was.close == x->close;
        return CF_OK;
    }
    wr k, v;
    v.len = 0;
    key2(&k, TAG_SUCCEEDED, prev, 32);
    w_bytes(&v, x->by, 32);
    w_u64(&v, x->close);
    *kept = true;
    return put_record(kv, &k, &v);
}

/* The smaller of *stop (when *found) and v, into *stop. */
static void stop_at(uint64_t v, uint64_t *stop, bool *found)
{
    if (!*found || v < *stop) *stop = v;
    *found = true;
}

int state_feed_stop(const ledger_kv *kv, const uint8_t author[32], uint64_t *stop)
{
    uint64_t point;
    state_member m;
    state_succession sx;
    bool found = false;
    int err = state_member_get(kv, author, &m);
    if (err != CF_OK && err != CF_ENOTFOUND) return err;
    bool member = err == CF_OK;
    if (member && m.closed) stop_at(m.closed_at, stop, &found);
    /* R-SUCCEED: only a governance key is succeeded — one registered, or a
     * successor's whose own succession is not applied yet (a rebuild meets
     * its feed before it is a member). One read fewer for every other
     * feed: this runs for each citation the rules judge. */
    if (!member || m.role == ROLE_GOVERNANCE) {
        if ((err = state_succession_get(kv, author, &sx)) == CF_OK) stop_at(sx.close, stop, &found);
        else if (err != CF_ENOTFOUND) return err;
    }
    if ((err = state_fork_get(kv, author, &point)) == CF_OK) stop_at(point, stop, &found);
    else if (err != CF_ENOTFOUND) return err;
    return found ? CF_OK : CF_ENOTFOUND;
}

int state_feed_end(const ledger_kv *kv, const uint8_t author[32], uint64_t held, uint64_t *end)
{
    uint64_t stop;
    int err = state_feed_stop(kv, author, &stop);
    *end = err == CF_OK && stop < held ? stop : held;
    return err == CF_ENOTFOUND ? CF_OK : err;
}

static int fork_visit(void *arg, const uint8_t *key, size_t klen, const uint8_t *val,
                      size_t vlen)
{
    struct each_ctx *c = arg;
    rd r = {val, vlen, 0, false};
    if (klen != 1 + 32) return CF_ESTORE_CORRUPT;
    uint64_t point = r_u64(&r);
    int err = r_done(&r);
    return err ? err : ((state_fork_visit_fn)c->fn)(c->arg, key + 1, point);
}

int state_forks_each(const ledger_kv *kv, state_fork_visit_fn fn, void *arg)
{
    uint8_t prefix = TAG_FORK;
    struct each_ctx c = {kv, (void *)fn, arg};
    return kv->scan(kv->ctx, &prefix, 1, false, fork_visit, &c);
}

static int disputed_decode(rd *r, state_disputed *out)
{
    r_bytes(r, out->cited_author, 32);
    out->cited_index = r_u64(r);
    out->amount_fen = (int64_t)r_u64(r);
    return r_done(r);
}

int state_disputed_get(const ledger_kv *kv, const uint8_t author[32], uint64_t index,
                       state_disputed *out)
{
    wr k;
    rd r;
    key_at(&k, TAG_DISPUTED, author, index);
    int err = get_record(kv, &k, &r);
    if (err) return err;
    memcpy(out->author, author, 32);
    out->index = index;
    return disputed_decode(&r, out);
}

int state_disputed_put(const ledger_kv *kv, const state_disputed *x)
{
    wr k, v;
    v.len = 0;
    key_at(&k, TAG_DISPUTED, x->author, x->index);
    w_bytes(&v, x->cited_author, 32);
    w_u64(&v, x->cited_index);
    w_u64(&v, (uint64_t)x->amount_fen);
    return put_record(kv, &k, &v);
}

static int disputed_visit(void *arg, const uint8_t *key, size_t klen, const uint8_t *val,
                          size_t vlen)
{
    struct each_ctx *c = arg;
    state_disputed x;
    rd r = {val, vlen, 0, false};
    if (klen != 1 + 32 + 8) return CF_ESTORE_CORRUPT;
    memcpy(x.author, key + 1, 32);
    x.index = cf_get_be64(key + 33);
    int err = disputed_decode(&r, &x);
    return err ? err : ((state_disputed_visit_fn)c->fn)(c->arg, &x);
}

int state_disputed_each(const ledger_kv *kv, state_disputed_visit_fn fn, void *arg)
{
    uint8_t prefix = TAG_DISPUTED;
    struct each_ctx c = {kv, (void *)fn, arg};
    return kv->scan(kv->ctx, &prefix, 1, false, disputed_visit, &c);
}

/* ---- the rebuild request (R-KEY) ---------------------------------------- */

int state_rebuild_request_put(const ledger_kv *kv)
{
    wr k, v;
    v.len = 0;
    key2(&k, TAG_REBUILD, NULL, 0);
    return put_record(kv, &k, &v);
}

int state_rebuild_requested(const ledger_kv *kv, bool *requested)
{
    wr k;
    rd r;
    key2(&k, TAG_REBUILD, NULL, 0);
    int err = get_record(kv, &k, &r);
    *requested = err == CF_OK;
    return err == CF_ENOTFOUND ? CF_OK : err;
}
