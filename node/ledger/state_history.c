/* state_history.c — see state_history.h. */
#include "state_history.h"

#include "state_internal.h"

#define FLAG_PREV 1u

/* The count of a head record whose shape is right (0 when it is not). */
static unsigned shape(const state_history *h, const uint8_t *v, size_t vlen)
{
    size_t per = 8 + h->plen;
    if (vlen < 2 || (v[0] & ~FLAG_PREV) != 0 || v[1] == 0 || v[1] > HISTORY_BLOCK) return 0;
    return vlen == 2 + ((v[0] & FLAG_PREV) ? per : 0) + v[1] * per ? v[1] : 0;
}

int history_decode(const state_history *h, const uint8_t *v, size_t vlen, history_window *w)
{
    size_t per = 8 + h->plen;
    if (shape(h, v, vlen) == 0) return CF_ESTORE_CORRUPT;
    w->has_prev = v[0] & FLAG_PREV;
    w->count = v[1];
    const uint8_t *p = v + 2;
    uint64_t before = 0;
    for (unsigned i = w->has_prev ? 0 : 1; i <= w->count; i++) {
        history_point *pt = i == 0 ? &w->prev : &w->points[i - 1];
        pt->ordinal = cf_get_be64(p);
        memcpy(pt->payload, p + 8, h->plen);
        p += per;
        /* Ordinals increase along the window, its previous point first. */
        if (p > v + 2 + per && pt->ordinal <= before) return CF_ESTORE_CORRUPT;
        before = pt->ordinal;
    }
    return CF_OK;
}

int history_latest(const state_history *h, const uint8_t *v, size_t vlen, history_point *out)
{
    if (shape(h, v, vlen) == 0) return CF_ESTORE_CORRUPT;
    const uint8_t *p = v + vlen - (8 + h->plen);
    out->ordinal = cf_get_be64(p);
    memcpy(out->payload, p + 8, h->plen);
    return CF_OK;
}

static void block_key(wr *k, const state_history *h, uint64_t last)
{
    key2(k, h->block_tag, h->id, h->id_len);
    w_u64(k, ~last);
}

/* A head record that holds 16 points, written as a block. */
static int block_put(const ledger_kv *kv, const state_history *h, const uint8_t *v,
                     size_t vlen)
{
    wr k;
    block_key(&k, h, cf_get_be64(v + vlen - (8 + h->plen)));
    return kv->put(kv->ctx, k.buf, k.len, v, vlen);
}

static size_t put_point(const state_history *h, uint8_t *at, uint64_t ordinal,
                        const uint8_t *payload)
{
    cf_put_be64(at, ordinal);
    memcpy(at + 8, payload, h->plen);
    return 8 + h->plen;
}

int history_push(const ledger_kv *kv, const state_history *h, const uint8_t *old,
                 size_t old_len, uint64_t ordinal, const uint8_t *payload, bool blocks,
                 uint8_t *out, size_t *out_len)
{
    CF_ASSERT(h->plen <= HISTORY_PAYLOAD_MAX);
    size_t per = 8 + h->plen;
    unsigned count = 0;
    if (old_len > 0) {
        if ((count = shape(h, old, old_len)) == 0) return CF_ESTORE_CORRUPT;
        uint64_t at = cf_get_be64(old + old_len - per);
        if (ordinal < at) return CF_EINVAL;
        if (ordinal == at) { /* the same point, a new payload */
            memcpy(out, old, old_len - h->plen);
            memcpy(out + old_len - h->plen, payload, h->plen);
            *out_len = old_len;
            return blocks && count == HISTORY_BLOCK ? block_put(kv, h, out, old_len) : CF_OK;
        }
        if (blocks && count < HISTORY_BLOCK) { /* one more point in the head */
            memcpy(out, old, old_len);
            out[1] = (uint8_t)(count + 1);
            *out_len = old_len + put_point(h, out + old_len, ordinal, payload);
            return count + 1 == HISTORY_BLOCK ? block_put(kv, h, out, *out_len) : CF_OK;
        }
    }
    /* A new head: the history's first point, the point after a full block
     * (which follows as the previous one), or the latest point alone. */
    bool prev = blocks && count == HISTORY_BLOCK;
    out[0] = prev ? FLAG_PREV : 0;
    out[1] = 1;
    *out_len = 2;
    if (prev) {
        memcpy(out + 2, old + old_len - per, per);
        *out_len += per;
    }
    *out_len += put_point(h, out + *out_len, ordinal, payload);
    return CF_OK;
}

/* What a floor compares: a point's ordinal, or its payload's field. */
static uint64_t point_rank(const history_point *p, bool by_field, size_t field_off)
{
    return by_field ? cf_get_be64(p->payload + field_off) : p->ordinal;
}

/* The first block before the head *w whose last point's ordinal is >=
 * from: *found false when none. A full head is a block too (written when it
 * filled): finding it means none came before. */
static int block_from(const ledger_kv *kv, const state_history *h, const history_window *w,
                      uint64_t from, bool *found, history_window *out)
{
    wr k;
    const uint8_t *fk, *v;
    size_t fklen, vlen;
    block_key(&k, h, from);
    *found = false;
    int err = kv->floor(kv->ctx, k.buf, k.len, 1 + h->id_len, &fk, &fklen, &v, &vlen);
    if (err == CF_ENOTFOUND) return CF_OK;
    if (err) return err;
    if (fklen != k.len || (err = history_decode(h, v, vlen, out)) != 0) return CF_ESTORE_CORRUPT;
    uint64_t last = out->points[HISTORY_BLOCK - 1].ordinal;
    if (out->count != HISTORY_BLOCK || last != ~cf_get_be64(fk + fklen - 8))
        return CF_ESTORE_CORRUPT;
    if (w->count == HISTORY_BLOCK && last == w->points[HISTORY_BLOCK - 1].ordinal)
        return CF_OK; /* the head itself */
    /* Blocks before the head end before it begins. */
    if (last >= w->points[0].ordinal) return CF_ESTORE_CORRUPT;
    *found = true;
    return CF_OK;
}

/* The first block whose last point's field is past limit, by bisection over
 * the ordinals below the head's first: each probe reads the first block
 * ending at or after one. */
static int block_by_field(const ledger_kv *kv, const state_history *h, const history_window *w,
                          size_t field_off, uint64_t limit, bool *found, history_window *out)
{
    uint64_t below = w->points[0].ordinal;
    *found = false;
    if (below == 0) return CF_OK;
    uint64_t lo = 0, hi = below - 1;
    while (lo <= hi) {
        uint64_t mid = lo + (hi - lo) / 2;
        history_window b;
        bool any;
        int err = block_from(kv, h, w, mid, &any, &b);
        if (err) return err;
        const history_point *last = &b.points[HISTORY_BLOCK - 1];
        if (any && point_rank(last, true, field_off) <= limit) {
            lo = last->ordinal + 1;
            continue;
        }
        /* None ends from mid on, or the first that does is past limit: a
         * block before mid may be too. */
        if (any) {
            *out = b;
            *found = true;
        }
        if (mid == 0) break;
        hi = mid - 1;
    }
    return CF_OK;
}

int history_floor(const ledger_kv *kv, const state_history *h, const uint8_t *head,
                  size_t head_len, bool by_field, size_t field_off, uint64_t limit,
                  bool *found, history_point *out)
{
    CF_ASSERT(!by_field || field_off + 8 <= h->plen);
    history_window w, b;
    const history_window *in = &w;
    *found = false;
    int err = history_decode(h, head, head_len, &w);
    if (err) return err;
    if (point_rank(&w.points[0], by_field, field_off) > limit) {
        /* Before the head: the first block ending past limit holds it. */
        bool any;
        err = by_field ? block_by_field(kv, h, &w, field_off, limit, &any, &b)
                       : block_from(kv, h, &w, limit + 1, &any, &b);
        if (err) return err;
        if (any) in = &b;
    }
    for (unsigned i = in->count; i-- > 0;) {
        if (point_rank(&in->points[i], by_field, field_off) <= limit) {
            *out = in->points[i];
            *found = true;
            return CF_OK;
        }
    }
    if (!in->has_prev) return CF_OK; /* every point is past limit */
    /* The block before holds it: its last point, which cannot be past
     * limit unless a block went missing. */
    if (point_rank(&in->prev, by_field, field_off) > limit) return CF_ESTORE_CORRUPT;
    *out = in->prev;
    *found = true;
    return CF_OK;
}
