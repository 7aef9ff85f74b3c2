/* state_holding.c — what the matching rule R-MATCH.6 reads (state.h,
 * docs/rules.md, docs/storage.md): a holder's position in a project after
 * each of its entries that changed it, so that its position as of any
 * index of its feed is a short walk (state_chain.h); and what a program's
 * matches allocated against a counterpart in a project.
 *
 *   'h' || holder (32) || project               -> index u64 || position i64 || time u64
 *                                                  || n u64 || prev u64 (the latest point)
 *   'H' || holder (32) || index u64 || project  -> position i64 || time u64 || n || prev:
 *                                                  after that entry, and the entry's time
 *   'i' || holder (32) || project || ~index u64 -> empty: every 16th point's mark
 *   'A' || program || project || counterpart (32) -> allocated i64
 *
 * (project: one length byte, then its bytes.) 'h', 'H' and 'i' are written
 * by the holder's feed only, 'A' by the program operator's feed only. The
 * latest position is its own record so that the rules' common reads (the
 * author's node states what it holds, the latest) are exact gets.
 */
#include "state.h"

#include <string.h>

#include "crypto/cf_error.h"
#include "crypto/cf_util.h"
#include "state_chain.h"
#include "state_internal.h"

/* A holder's history in a project: its points keyed by feed and index
 * (what one batch writes lies together), its marks by holder and project. */
typedef struct {
    uint8_t place[1 + ENTRY_ID_BYTES_MAX];  /* the project, length first */
    uint8_t id[32 + 1 + ENTRY_ID_BYTES_MAX]; /* holder || place */
    state_chain ch;
} holding_chain;

static void holding_chain_init(holding_chain *h, const uint8_t holder[32], const char *project)
{
    size_t n = strlen(project);
    CF_ASSERT(n <= ENTRY_ID_BYTES_MAX);
    h->place[0] = (uint8_t)n;
    memcpy(h->place + 1, project, n);
    memcpy(h->id, holder, 32);
    memcpy(h->id + 32, h->place, 1 + n);
    h->ch = (state_chain){.point_tag = TAG_HOLDING, .mark_tag = TAG_HOLDING_MARK,
                          .pre = holder, .pre_len = 32, .post = h->place, .post_len = 1 + n,
                          .id = h->id, .id_len = 33 + n};
}

static void latest_key(wr *k, const holding_chain *h)
{
    key2(k, TAG_HOLDING_LATEST, h->id, h->ch.id_len);
}

static chain_link link_of(const state_holding *p)
{
    return (chain_link){.ordinal = p->index, .n = p->n, .prev = p->prev};
}

/* The latest point: exists false (and zeros) when the holder has none. */
static int holding_latest(const ledger_kv *kv, const holding_chain *h, state_holding *out)
{
    wr k;
    rd r;
    latest_key(&k, h);
    *out = (state_holding){.exists = false};
    int err = get_record(kv, &k, &r);
    if (err == CF_ENOTFOUND) return CF_OK;
    if (err) return err;
    out->index = r_u64(&r);
    out->position = (int64_t)r_u64(&r);
    out->time_ms = r_u64(&r);
    out->n = r_u64(&r);
    out->prev = r_u64(&r);
    if ((err = r_done(&r)) != 0) {
        *out = (state_holding){.exists = false};
        return err;
    }
    out->exists = true;
    return CF_OK;
}

int state_holding_get(const ledger_kv *kv, const uint8_t holder[32], const char *project,
                      state_holding *out)
{
    holding_chain h;
    holding_chain_init(&h, holder, project);
    return holding_latest(kv, &h, out);
}

int state_holding_put(const ledger_kv *kv, const uint8_t holder[32], const char *project,
                      state_holding *latest, uint64_t index, uint64_t time_ms,
                      int64_t position)
{
    holding_chain h;
    uint8_t payload[16];
    holding_chain_init(&h, holder, project);
    cf_put_be64(payload, (uint64_t)position);
    cf_put_be64(payload + 8, time_ms);
    chain_link at = link_of(latest), l;
    int err = chain_put(kv, &h.ch, latest->exists ? &at : NULL, index, payload, sizeof payload,
                        &l);
    if (err) return err;
    wr k, v;
    latest_key(&k, &h);
    v.len = 0;
    w_u64(&v, index);
    w_u64(&v, (uint64_t)position);
    w_u64(&v, time_ms);
    w_u64(&v, l.n);
    w_u64(&v, l.prev);
    if ((err = put_record(kv, &k, &v)) != 0) return err;
    *latest = (state_holding){.exists = true, .position = position, .index = index,
                              .time_ms = time_ms, .n = l.n, .prev = l.prev};
    return CF_OK;
}

/* The point with the greatest index <= last (exists false when none). */
static int holding_floor(const ledger_kv *kv, const holding_chain *h,
                         const state_holding *latest, uint64_t last, state_holding *out)
{
    if (latest->index <= last) {
        *out = *latest;
        return CF_OK;
    }
    uint8_t payload[16];
    chain_link at = link_of(latest);
    *out = (state_holding){.exists = false};
    int err = chain_floor(kv, &h->ch, &at, last, &out->exists, &out->index, payload,
                          sizeof payload);
    if (err || !out->exists) return err;
    out->position = (int64_t)cf_get_be64(payload);
    out->time_ms = cf_get_be64(payload + 8);
    return CF_OK;
}

int state_holding_at(const ledger_kv *kv, const uint8_t holder[32], const char *project,
                     uint64_t last, int64_t *position)
{
    holding_chain h;
    state_holding latest, p;
    holding_chain_init(&h, holder, project);
    int err = holding_latest(kv, &h, &latest);
    if (!err && latest.exists) err = holding_floor(kv, &h, &latest, last, &p);
    *position = !err && latest.exists && p.exists ? p.position : 0;
    return err;
}

int state_holding_latest(const ledger_kv *kv, const uint8_t holder[32], const char *project,
                         int64_t *position)
{
    state_holding latest;
    int err = state_holding_get(kv, holder, project, &latest);
    *position = latest.position;
    return err;
}

int state_holding_by_time(const ledger_kv *kv, const uint8_t holder[32], const char *project,
                          uint64_t time_ms, int64_t *position)
{
    holding_chain h;
    state_holding latest;
    holding_chain_init(&h, holder, project);
    int err = holding_latest(kv, &h, &latest);
    *position = latest.position;
    if (err || !latest.exists || latest.time_ms <= time_ms) return err;
    /* Times never decrease along a feed: the last point dated <= time_ms. */
    uint8_t payload[16];
    chain_link at = link_of(&latest);
    uint64_t index;
    bool found;
    err = chain_floor_by(kv, &h.ch, &at, 8, time_ms, &found, &index, payload, sizeof payload);
    *position = !err && found ? (int64_t)cf_get_be64(payload) : 0;
    return err;
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
