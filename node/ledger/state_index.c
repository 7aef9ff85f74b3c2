/* state_index.c — the register's index (state.h, docs/storage.md): `E` ‖
 * type ‖ time ‖ author ‖ index, an empty value, for every entry applied. */
#include "state_internal.h"

#define INDEX_KEY_BYTES (1 + 1 + 8 + 32 + 8)

static void index_key(wr *k, enum entry_type type, const state_entry_at *at)
{
    k->len = 0;
    w_u8(k, TAG_ENTRY_INDEX);
    w_u8(k, (uint8_t)type);
    w_u64(k, at->time_ms);
    w_bytes(k, at->author, 32);
    w_u64(k, at->index);
}

int state_entry_index_put(const ledger_kv *kv, const entry *e)
{
    if (kv->latest_only) return CF_OK; /* nothing lists entries from it */
    state_entry_at at = {.time_ms = e->time_ms, .index = e->index};
    memcpy(at.author, e->author, 32);
    wr k, v = {.len = 0};
    index_key(&k, e->type, &at);
    return put_record(kv, &k, &v);
}

int state_entry_index_floor(const ledger_kv *kv, enum entry_type type, const state_entry_at *at,
                            state_entry_at *out)
{
    wr k;
    const uint8_t *fk, *v;
    size_t fklen, vlen;
    index_key(&k, type, at);
    int err = kv->floor(kv->ctx, k.buf, k.len, 2, &fk, &fklen, &v, &vlen);
    if (err) return err;
    if (fklen != INDEX_KEY_BYTES || vlen != 0) return CF_ESTORE_CORRUPT;
    out->time_ms = cf_get_be64(fk + 2);
    memcpy(out->author, fk + 10, 32);
    out->index = cf_get_be64(fk + 42);
    return CF_OK;
}

bool state_entry_at_below(state_entry_at *at)
{
    if (at->index-- > 0) return true;
    for (size_t i = 32; i-- > 0;)
        if (at->author[i]-- > 0) return true; /* borrowed: the bytes after it are 0xff */
    return at->time_ms-- > 0; /* author and index wrapped to their greatest */
}
