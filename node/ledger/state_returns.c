/* state_returns.c — the records returns read (state.h, docs/storage.md):
 * valuation marks `Q` and exits' proceeds `q`. */
#include "state_internal.h"

int state_valuation_put(const ledger_kv *kv, const state_valuation *x)
{
    wr k, v;
    v.len = 0;
    key_at(&k, TAG_VALUATION, x->author, x->index);
    w_u64(&v, x->time_ms);
    w_u64(&v, (uint64_t)x->value_fen);
    w_cstr(&v, x->project);
    return put_record(kv, &k, &v);
}

static int valuation_read(rd *r, state_valuation *out)
{
    out->time_ms = r_u64(r);
    out->value_fen = (int64_t)r_u64(r);
    r_str(r, out->project, sizeof out->project);
    if (out->value_fen < 0) return CF_ESTORE_CORRUPT;
    return r_done(r);
}

int state_valuation_get(const ledger_kv *kv, const uint8_t author[32], uint64_t index,
                        state_valuation *out)
{
    wr k;
    rd r;
    key_at(&k, TAG_VALUATION, author, index);
    int err = get_record(kv, &k, &r);
    if (err) return err;
    memcpy(out->author, author, 32);
    out->index = index;
    return valuation_read(&r, out);
}

static int valuation_visit(void *arg, const uint8_t *key, size_t klen, const uint8_t *val,
                           size_t vlen)
{
    struct each_ctx *c = arg;
    state_valuation x;
    rd r = {val, vlen, 0, false};
    if (klen != 1 + 32 + 8) return CF_ESTORE_CORRUPT;
    memcpy(x.author, key + 1, 32);
    x.index = cf_get_be64(key + 33);
    int err = valuation_read(&r, &x);
    if (err) return err;
    return ((state_valuation_visit_fn)c->fn)(c->arg, &x);
}

int state_valuations_each(const ledger_kv *kv, state_valuation_visit_fn fn, void *arg)
{
    uint8_t prefix = TAG_VALUATION;
    struct each_ctx c = {kv, (void *)fn, arg};
    return kv->scan(kv->ctx, &prefix, 1, false, valuation_visit, &c);
}

int state_proceeds_put(const ledger_kv *kv, const uint8_t author[32], uint64_t index,
                       int64_t proceeds_fen)
{
    wr k, v;
    v.len = 0;
    key_at(&k, TAG_PROCEEDS, author, index);
    w_u64(&v, (uint64_t)proceeds_fen);
    return put_record(kv, &k, &v);
}

int state_proceeds_get(const ledger_kv *kv, const uint8_t author[32], uint64_t index,
                       int64_t *proceeds_fen)
{
    wr k;
    rd r;
    key_at(&k, TAG_PROCEEDS, author, index);
    int err = get_record(kv, &k, &r);
    if (err) return err;
    *proceeds_fen = (int64_t)r_u64(&r);
    if (*proceeds_fen < 0) return CF_ESTORE_CORRUPT;
    return r_done(&r);
}
