/* state_holding.c — what the matching rule R-MATCH.6 reads (state.h,
 * docs/rules.md, docs/storage.md): a holder's position in a project after
 * each of its entries that changed it, so that its position as of any
 * index of its feed is one floor lookup; and what a program's matches
 * allocated against a counterpart in a project.
 *
 *   'h' || holder (32) || project                  -> index u64 || position i64 || time u64
 *                                                     (the latest point)
 *   'H' || holder (32) || project || index u64     -> position i64 || time u64: after that
 *                                                     entry, and the entry's time
 *   'A' || program || project || counterpart (32)  -> allocated i64
 *
 * 'h' and 'H' are written by the holder's feed only, 'A' by the program
 * operator's feed only. The latest position is its own record so that the
 * rules' common reads (the author's node states what it holds, the latest)
 * and every write are exact gets, never a floor lookup.
 */
#include "state.h"

#include <string.h>

#include "crypto/cf_error.h"
#include "crypto/cf_util.h"
#include "state_internal.h"

static void holding_key(wr *k, uint8_t tag, const uint8_t holder[32], const char *project)
{
    size_t n = strlen(project);
    CF_ASSERT(n <= ENTRY_ID_BYTES_MAX);
    key2(k, tag, holder, 32);
    w_str(k, project, n);
}

/* The latest record: *exists false (and zeros) when the holder has none. */
static int holding_latest(const ledger_kv *kv, const uint8_t holder[32], const char *project,
                          bool *exists, uint64_t *index, int64_t *position, uint64_t *time_ms)
{
    wr k;
    rd r;
    holding_key(&k, TAG_HOLDING_LATEST, holder, project);
    int err = get_record(kv, &k, &r);
    *exists = false;
    *index = 0;
    *position = 0;
    *time_ms = 0;
    if (err == CF_ENOTFOUND) return CF_OK;
    if (err) return err;
    *index = r_u64(&r);
    *position = (int64_t)r_u64(&r);
    *time_ms = r_u64(&r);
    if ((err = r_done(&r)) != 0) return err;
    *exists = true;
    return CF_OK;
}

int state_holding_put(const ledger_kv *kv, const uint8_t holder[32], const char *project,
                      uint64_t index, uint64_t time_ms, int64_t position)
{
    wr k, v;
    v.len = 0;
    holding_key(&k, TAG_HOLDING_LATEST, holder, project);
    w_u64(&v, index);
    w_u64(&v, (uint64_t)position);
    w_u64(&v, time_ms);
    int err = put_record(kv, &k, &v);
    if (err) return err;
    holding_key(&k, TAG_HOLDING, holder, project);
    w_u64(&k, index);
    v.len = 0;
    w_u64(&v, (uint64_t)position);
    w_u64(&v, time_ms);
    return put_record(kv, &k, &v);
}

/* The point with the greatest index <= last: *found false when none. */
static int holding_floor(const ledger_kv *kv, const uint8_t holder[32], const char *project,
                         uint64_t last, bool *found, uint64_t *index, int64_t *position,
                         uint64_t *time_ms)
{
    wr k;
    const uint8_t *fk, *v;
    size_t fklen, vlen, plen;
    holding_key(&k, TAG_HOLDING, holder, project);
    plen = k.len;
    w_u64(&k, last);
    *found = false;
    int err = kv->floor(kv->ctx, k.buf, k.len, plen, &fk, &fklen, &v, &vlen);
    if (err == CF_ENOTFOUND) return CF_OK;
    if (err) return err;
    if (fklen != k.len || vlen != 16) return CF_ESTORE_CORRUPT;
    *found = true;
    *index = cf_get_be64(fk + fklen - 8);
    *position = (int64_t)cf_get_be64(v);
    *time_ms = cf_get_be64(v + 8);
    return CF_OK;
}

int state_holding_at(const ledger_kv *kv, const uint8_t holder[32], const char *project,
                     uint64_t last, int64_t *position)
{
    bool exists;
    uint64_t index, t;
    int err = holding_latest(kv, holder, project, &exists, &index, position, &t);
    if (err || !exists || index <= last) return err;
    err = holding_floor(kv, holder, project, last, &exists, &index, position, &t);
    if (!err && !exists) *position = 0;
    return err;
}

int state_holding_latest(const ledger_kv *kv, const uint8_t holder[32], const char *project,
                         int64_t *position)
{
    bool exists;
    uint64_t index, t;
    return holding_latest(kv, holder, project, &exists, &index, position, &t);
}

int state_holding_held(const ledger_kv *kv, const uint8_t holder[32], const char *project,
                       bool *exists, int64_t *position)
{
    uint64_t index, t;
    return holding_latest(kv, holder, project, exists, &index, position, &t);
}

int state_holding_by_time(const ledger_kv *kv, const uint8_t holder[32], const char *project,
                          uint64_t time_ms, int64_t *position)
{
    bool exists;
    uint64_t index, t;
    int err = holding_latest(kv, holder, project, &exists, &index, position, &t);
    if (err || !exists || t <= time_ms) return err;
    /* Times never decrease along a feed: the last point dated <= time_ms,
     * by bisection over the indices. */
    uint64_t lo = 0, hi = index;
    *position = 0;
    while (lo <= hi) {
        uint64_t mid = lo + (hi - lo) / 2, at;
        int64_t p;
        if ((err = holding_floor(kv, holder, project, mid, &exists, &at, &p, &t)) != 0)
            return err;
        if (!exists) {
            lo = mid + 1;
        } else if (t <= time_ms) {
            *position = p;
            lo = mid + 1;
        } else {
            if (at == 0) break;
            hi = at - 1;
        }
    }
    return CF_OK;
}

static void allocated_key(wr *k, const char *program, const char *project,
                          const uint8_t counterpart[32])
{
    key2(k, TAG_ALLOCATED, NULL, 0);
    w_cstr(k, program);
    w_cstr(k, project);
    w_bytes(k, counterpart, 32);
}

int state_allocated_get(const ledger_kv *kv, const char *program, const char *project,
                        const uint8_t counterpart[32], int64_t *out)
{
    wr k;
    rd r;
    allocated_key(&k, program, project, counterpart);
    int err = get_record(kv, &k, &r);
    *out = 0;
    if (err == CF_ENOTFOUND) return CF_OK;
    if (err) return err;
    *out = (int64_t)r_u64(&r);
    return r_done(&r);
}

int state_allocated_put(const ledger_kv *kv, const char *program, const char *project,
                        const uint8_t counterpart[32], int64_t value)
{
    wr k, v;
    v.len = 0;
    allocated_key(&k, program, project, counterpart);
    w_u64(&v, (uint64_t)value);
    return put_record(kv, &k, &v);
}
