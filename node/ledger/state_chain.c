/* state_chain.c — see state_chain.h. */
#include "state_chain.h"

#include "state_internal.h"

static void point_key(wr *k, const state_chain *ch, uint64_t ordinal)
{
    key2(k, ch->point_tag, ch->pre, ch->pre_len);
    w_u64(k, ordinal);
    w_bytes(k, ch->post, ch->post_len);
}

static void mark_key(wr *k, const state_chain *ch, uint64_t ordinal)
{
    key2(k, ch->mark_tag, ch->id, ch->id_len);
    w_u64(k, ~ordinal);
}

int chain_next(const chain_link *latest, uint64_t ordinal, chain_link *out)
{
    *out = (chain_link){.ordinal = ordinal};
    if (latest == NULL) return CF_OK;
    if (ordinal < latest->ordinal) return CF_EINVAL;
    if (ordinal == latest->ordinal) {
        out->n = latest->n;
        out->prev = latest->prev;
    } else {
        out->n = latest->n + 1;
        out->prev = latest->ordinal;
    }
    return CF_OK;
}

int chain_put(const ledger_kv *kv, const state_chain *ch, const chain_link *latest,
              uint64_t ordinal, const uint8_t *payload, size_t plen, chain_link *out)
{
    CF_ASSERT(plen <= CHAIN_PAYLOAD_MAX);
    chain_link l;
    int err = chain_next(latest, ordinal, &l);
    if (err) return err;
    wr k, v;
    point_key(&k, ch, ordinal);
    v.len = 0;
    w_bytes(&v, payload, plen);
    w_u64(&v, l.n);
    w_u64(&v, l.prev);
    if ((err = put_record(kv, &k, &v)) != 0) return err;
    /* A replaced point keeps its mark (the mark holds no value). */
    if (l.n % CHAIN_MARK_EVERY == 0 && (latest == NULL || ordinal != latest->ordinal)) {
        mark_key(&k, ch, ordinal);
        v.len = 0;
        if ((err = put_record(kv, &k, &v)) != 0) return err;
    }
    *out = l;
    return CF_OK;
}

/* The first mark at or after ordinal `from`: *found false when none. */
static int mark_from(const ledger_kv *kv, const state_chain *ch, uint64_t from, bool *found,
                     uint64_t *at)
{
    wr k;
    const uint8_t *fk, *v;
    size_t fklen, vlen;
    mark_key(&k, ch, from);
    *found = false;
    int err = kv->floor(kv->ctx, k.buf, k.len, 1 + ch->id_len, &fk, &fklen, &v, &vlen);
    if (err == CF_ENOTFOUND) return CF_OK;
    if (err) return err;
    if (fklen != k.len || vlen != 0) return CF_ESTORE_CORRUPT;
    *found = true;
    *at = ~cf_get_be64(fk + fklen - 8);
    return CF_OK;
}

/* The point at ordinal `at`: its payload, n and prev. A point a link or a
 * mark leads to and that is not there is a corrupted store. */
static int point_get(const ledger_kv *kv, const state_chain *ch, uint64_t at, uint8_t *payload,
                     size_t plen, uint64_t *n, uint64_t *prev)
{
    wr k;
    rd r;
    point_key(&k, ch, at);
    int err = get_record(kv, &k, &r);
    if (err) return err == CF_ENOTFOUND ? CF_ESTORE_CORRUPT : err;
    r_bytes(&r, payload, plen);
    *n = r_u64(&r);
    *prev = r_u64(&r);
    return r_done(&r);
}

/* Walk back from the point at `at` to the first whose key (its ordinal, or
 * its payload's field at field_off when by_field) is <= limit. */
static int walk_back(const ledger_kv *kv, const state_chain *ch, uint64_t at, bool by_field,
                     size_t field_off, uint64_t limit, bool *found, uint64_t *ordinal,
                     uint8_t *payload, size_t plen)
{
    *found = false;
    for (;;) {
        uint64_t n, prev;
        int err = point_get(kv, ch, at, payload, plen, &n, &prev);
        if (err) return err;
        if ((by_field ? cf_get_be64(payload + field_off) : at) <= limit) {
            *found = true;
            *ordinal = at;
            return CF_OK;
        }
        if (n == 0) return CF_OK; /* every point is past limit */
        if (prev >= at) return CF_ESTORE_CORRUPT;
        at = prev;
    }
}

int chain_floor(const ledger_kv *kv, const state_chain *ch, const chain_link *latest,
                uint64_t target, bool *found, uint64_t *ordinal, uint8_t *payload,
                size_t plen)
{
    CF_ASSERT(latest->ordinal > target && plen <= CHAIN_PAYLOAD_MAX);
    bool marked;
    uint64_t at;
    int err = mark_from(kv, ch, target + 1, &marked, &at);
    if (err) return err;
    if (!marked) at = latest->ordinal;
    if (at > latest->ordinal) return CF_ESTORE_CORRUPT;
    return walk_back(kv, ch, at, false, 0, target, found, ordinal, payload, plen);
}

int chain_floor_by(const ledger_kv *kv, const state_chain *ch, const chain_link *latest,
                   size_t field_off, uint64_t limit, bool *found, uint64_t *ordinal,
                   uint8_t *payload, size_t plen)
{
    CF_ASSERT(plen <= CHAIN_PAYLOAD_MAX && field_off + 8 <= plen);
    /* The first mark whose field is past limit, by bisection over the
     * ordinals: each probe reads the first mark at or after one. */
    uint64_t start = latest->ordinal, lo = 0, hi = latest->ordinal;
    while (lo <= hi) {
        uint64_t mid = lo + (hi - lo) / 2, at, n, prev;
        bool marked;
        int err = mark_from(kv, ch, mid, &marked, &at);
        if (err) return err;
        if (marked && at > latest->ordinal) return CF_ESTORE_CORRUPT;
        if (marked && (err = point_get(kv, ch, at, payload, plen, &n, &prev)) != 0) return err;
        if (marked && cf_get_be64(payload + field_off) <= limit) {
            lo = at + 1;
            continue;
        }
        /* No mark from mid on, or the first one is past limit: the answer's
         * mark lies before mid. */
        if (marked) start = at;
        if (mid == 0) break;
        hi = mid - 1;
    }
    return walk_back(kv, ch, start, true, field_off, limit, found, ordinal, payload, plen);
}
