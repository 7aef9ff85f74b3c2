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

/* The first mark after target: its ordinal, or the latest point's when no
 * mark lies past target. */
static int start_after(const ledger_kv *kv, const state_chain *ch, const chain_link *latest,
                       uint64_t target, uint64_t *start)
{
    wr k;
    const uint8_t *fk, *v;
    size_t fklen, vlen;
    mark_key(&k, ch, target + 1);
    int err = kv->floor(kv->ctx, k.buf, k.len, 1 + ch->id_len, &fk, &fklen, &v, &vlen);
    if (err == CF_ENOTFOUND) {
        *start = latest->ordinal;
        return CF_OK;
    }
    if (err) return err;
    if (fklen != k.len || vlen != 0) return CF_ESTORE_CORRUPT;
    *start = ~cf_get_be64(fk + fklen - 8);
    return *start > latest->ordinal ? CF_ESTORE_CORRUPT : CF_OK;
}

int chain_floor(const ledger_kv *kv, const state_chain *ch, const chain_link *latest,
                uint64_t target, bool *found, uint64_t *ordinal, uint8_t *payload,
                size_t plen)
{
    CF_ASSERT(latest->ordinal > target && plen <= CHAIN_PAYLOAD_MAX);
    uint64_t at;
    *found = false;
    int err = start_after(kv, ch, latest, target, &at);
    if (err) return err;
    for (;;) {
        wr k;
        rd r;
        point_key(&k, ch, at);
        if ((err = get_record(kv, &k, &r)) != 0)
            return err == CF_ENOTFOUND ? CF_ESTORE_CORRUPT : err; /* a broken link */
        r_bytes(&r, payload, plen);
        uint64_t n = r_u64(&r), prev = r_u64(&r);
        if ((err = r_done(&r)) != 0) return err;
        if (at <= target) {
            *found = true;
            *ordinal = at;
            return CF_OK;
        }
        if (n == 0) return CF_OK; /* every point is past target */
        if (prev >= at) return CF_ESTORE_CORRUPT;
        at = prev;
    }
}
