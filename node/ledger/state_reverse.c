/* state_reverse.c — what reversals read and write (state.h, docs/rules.md
 * R-REVERSE, docs/storage.md):
 *
 *   'e' || author (32) || index u64  -> a match, an exit, a deposit, a withdrawal,
 *        a guarantee, a release, a compensation, a lease or an award: type u8 · leaf (32) ·
 *        time u64 · amount i64 · program · project · round · year i32 ·
 *        disputed i64 · n u8 · n × (author (32) · index u64 · amount i64 · disputed u8)
 *   'z' || author (32) || index u64  -> reversal index u64 · time u64
 *   'k' || contribution author (32) || index u64 || by author (32) || by index u64
 *                                    -> delta i64 (also a loan's guarantees, a
 *        repayment's releases, a default's compensations: +1 and -1)
 *   'n' || author (32) || index u64  -> year i32 (0: counted nowhere)
 *
 * 'e' and 'z' are written by the entry's own feed, 'k' and 'n' by the
 * program operator's feed (a pool's operator's, for a bank's entries).
 */
#include "state.h"

#include <string.h>

#include "crypto/cf_error.h"
#include "crypto/cf_util.h"
#include "state_internal.h"

/* The value of an 'e' record (author and index are the key's). */
static int entry_rec_decode(rd *rp, state_entry_rec *out)
{
    rd r = *rp;
    out->type = (enum entry_type)r_u8(&r);
    r_bytes(&r, out->leaf, 32);
    out->time_ms = r_u64(&r);
    out->amount_fen = (int64_t)r_u64(&r);
    r_str(&r, out->program, sizeof out->program);
    r_str(&r, out->project, sizeof out->project);
    r_str(&r, out->round, sizeof out->round);
    out->year = (int32_t)r_u32(&r);
    out->disputed_fen = (int64_t)r_u64(&r);
    out->ncites = r_u8(&r);
    if (out->ncites > ENTRY_CITES_MAX) return CF_ESTORE_CORRUPT;
    for (size_t i = 0; i < out->ncites; i++) {
        r_bytes(&r, out->cites[i].author, 32);
        out->cites[i].index = r_u64(&r);
        out->cites[i].amount_fen = (int64_t)r_u64(&r);
        out->cites[i].disputed = r_u8(&r) != 0;
    }
    switch (out->type) {
    case ENTRY_MATCH: case ENTRY_EXIT: case ENTRY_DEPOSIT: case ENTRY_WITHDRAW:
    case ENTRY_GUARANTEE: case ENTRY_RELEASE: case ENTRY_COMPENSATION: case ENTRY_LEASE:
    case ENTRY_AWARD: return r_done(&r);
    default: return CF_ESTORE_CORRUPT;
    }
}

int state_entry_rec_get(const ledger_kv *kv, const uint8_t author[32], uint64_t index,
                        state_entry_rec *out)
{
    wr k;
    rd r;
    key_at(&k, TAG_ENTRY_REC, author, index);
    int err = get_record(kv, &k, &r);
    if (err) return err;
    memcpy(out->author, author, 32);
    out->index = index;
    return entry_rec_decode(&r, out);
}

static int entry_rec_visit(void *arg, const uint8_t *key, size_t klen, const uint8_t *val,
                           size_t vlen)
{
    struct each_ctx *c = arg;
    state_entry_rec x;
    rd r = {val, vlen, 0, false};
    if (klen != 1 + 32 + 8) return CF_ESTORE_CORRUPT;
    memcpy(x.author, key + 1, 32);
    x.index = cf_get_be64(key + 33);
    int err = entry_rec_decode(&r, &x);
    return err ? err : ((state_entry_rec_visit_fn)c->fn)(c->arg, &x);
}

int state_entry_recs_each(const ledger_kv *kv, state_entry_rec_visit_fn fn, void *arg)
{
    uint8_t prefix = TAG_ENTRY_REC;
    struct each_ctx c = {kv, (void *)fn, arg};
    return kv->scan(kv->ctx, &prefix, 1, false, entry_rec_visit, &c);
}

int state_entry_recs_of(const ledger_kv *kv, const uint8_t author[32],
                        state_entry_rec_visit_fn fn, void *arg)
{
    wr k;
    struct each_ctx c = {kv, (void *)fn, arg};
    key2(&k, TAG_ENTRY_REC, author, 32);
    return kv->scan(kv->ctx, k.buf, k.len, false, entry_rec_visit, &c);
}

int state_entry_rec_put(const ledger_kv *kv, const state_entry_rec *x)
{
    wr k, v;
    v.len = 0;
    CF_ASSERT(x->ncites <= ENTRY_CITES_MAX);
    key_at(&k, TAG_ENTRY_REC, x->author, x->index);
    w_u8(&v, (uint8_t)x->type);
    w_bytes(&v, x->leaf, 32);
    w_u64(&v, x->time_ms);
    w_u64(&v, (uint64_t)x->amount_fen);
    w_cstr(&v, x->program);
    w_cstr(&v, x->project);
    w_cstr(&v, x->round);
    w_u32(&v, (uint32_t)x->year);
    w_u64(&v, (uint64_t)x->disputed_fen);
    w_u8(&v, (uint8_t)x->ncites);
    for (size_t i = 0; i < x->ncites; i++) {
        w_bytes(&v, x->cites[i].author, 32);
        w_u64(&v, x->cites[i].index);
        w_u64(&v, (uint64_t)x->cites[i].amount_fen);
        w_u8(&v, x->cites[i].disputed ? 1 : 0);
    }
    return put_record(kv, &k, &v);
}

int state_reversed_get(const ledger_kv *kv, const uint8_t author[32], uint64_t index,
                       state_reversal *out)
{
    wr k;
    rd r;
    key_at(&k, TAG_REVERSED, author, index);
    int err = get_record(kv, &k, &r);
    if (err) return err;
    out->index = r_u64(&r);
    out->time_ms = r_u64(&r);
    return r_done(&r);
}

static int reversed_visit(void *arg, const uint8_t *key, size_t klen, const uint8_t *val,
                          size_t vlen)
{
    struct each_ctx *c = arg;
    state_reversal x;
    rd r = {val, vlen, 0, false};
    if (klen != 1 + 32 + 8) return CF_ESTORE_CORRUPT;
    x.index = r_u64(&r);
    x.time_ms = r_u64(&r);
    int err = r_done(&r);
    return err ? err
               : ((state_reversed_visit_fn)c->fn)(c->arg, key + 1, cf_get_be64(key + 33), &x);
}

int state_reversed_each(const ledger_kv *kv, state_reversed_visit_fn fn, void *arg)
{
    uint8_t prefix = TAG_REVERSED;
    struct each_ctx c = {kv, (void *)fn, arg};
    return kv->scan(kv->ctx, &prefix, 1, false, reversed_visit, &c);
}

int state_reversed_put(const ledger_kv *kv, const uint8_t author[32], uint64_t index,
                       const state_reversal *x)
{
    wr k, v;
    v.len = 0;
    key_at(&k, TAG_REVERSED, author, index);
    w_u64(&v, x->index);
    w_u64(&v, x->time_ms);
    return put_record(kv, &k, &v);
}

int state_alloc_point_put(const ledger_kv *kv, const uint8_t contrib_author[32],
                          uint64_t contrib_index, const uint8_t by_author[32],
                          uint64_t by_index, int64_t delta)
{
    wr k, v;
    v.len = 0;
    key_at(&k, TAG_ALLOC_POINT, contrib_author, contrib_index);
    w_bytes(&k, by_author, 32);
    w_u64(&k, by_index);
    w_u64(&v, (uint64_t)delta);
    return put_record(kv, &k, &v);
}

struct points_ctx {
    state_alloc_point_fn fn;
    void *arg;
};

static int point_visit(void *arg, const uint8_t *key, size_t klen, const uint8_t *val,
                       size_t vlen)
{
    struct points_ctx *c = arg;
    if (klen != 1 + 32 + 8 + 32 + 8 || vlen != 8) return CF_ESTORE_CORRUPT;
    return c->fn(c->arg, key + 41, cf_get_be64(key + 73), (int64_t)cf_get_be64(val));
}

int state_alloc_points_each(const ledger_kv *kv, const uint8_t contrib_author[32],
                            uint64_t contrib_index, state_alloc_point_fn fn, void *arg)
{
    wr k;
    struct points_ctx c = {fn, arg};
    key_at(&k, TAG_ALLOC_POINT, contrib_author, contrib_index);
    return kv->scan(kv->ctx, k.buf, k.len, false, point_visit, &c);
}

int state_counted_get(const ledger_kv *kv, const uint8_t author[32], uint64_t index,
                      int32_t *year)
{
    wr k;
    rd r;
    key_at(&k, TAG_COUNTED, author, index);
    int err = get_record(kv, &k, &r);
    *year = 0;
    if (err == CF_ENOTFOUND) return CF_OK;
    if (err) return err;
    *year = (int32_t)r_u32(&r);
    return r_done(&r);
}

int state_counted_put(const ledger_kv *kv, const uint8_t author[32], uint64_t index,
                      int32_t year)
{
    wr k, v;
    v.len = 0;
    key_at(&k, TAG_COUNTED, author, index);
    w_u32(&v, (uint32_t)year);
    return put_record(kv, &k, &v);
}
