/* state_holding.c — what the matching rule R-MATCH.6 reads (state.h,
 * docs/rules.md, docs/storage.md): a holder's position in a project after
 * each of its entries that changed it, so that its position as of any
 * index of its feed (or, for the audit, any time) is read at once; and what
 * a program's matches allocated against a counterpart in a project.
 *
 *   'h' || holder (32) || project -> the history's head (state_history.h):
 *                                    the latest points, each (index,
 *                                    position i64, time u64)
 *   'H' || holder (32) || project || ~index u64 -> a full block of 16 points
 *   'A' || program || project || counterpart (32) -> allocated i64
 *
 * (project: one length byte, then its bytes.) 'h' and 'H' are written by
 * the holder's feed only, 'A' by the program operator's feed only.
 */
#include "state.h"

#include <string.h>

#include "crypto/cf_error.h"
#include "crypto/cf_util.h"
#include "state_history.h"
#include "state_internal.h"

_Static_assert(STATE_HOLDING_RECORD_MAX == HISTORY_RECORD_MAX(16), "the head fits its buffer");

/* A holder's history in a project (state_history.h): points of (position,
 * time) by index of its feed; the head is 'h' || id, blocks 'H' || id. */
typedef struct {
    uint8_t id[32 + 1 + ENTRY_ID_BYTES_MAX]; /* holder || project, length first */
    state_history hist;
} holding_history;

static void holding_init(holding_history *h, const uint8_t holder[32], const char *project)
{
    size_t n = strlen(project);
    CF_ASSERT(n <= ENTRY_ID_BYTES_MAX);
    memcpy(h->id, holder, 32);
    h->id[32] = (uint8_t)n;
    memcpy(h->id + 33, project, n);
    h->hist = (state_history){.block_tag = TAG_HOLDING, .id = h->id, .id_len = 33 + n,
                              .plen = 16};
}

static void head_key(wr *k, const holding_history *h)
{
    key2(k, TAG_HOLDING_LATEST, h->id, h->hist.id_len);
}

/* A point's figures. */
static void point_read(const history_point *p, state_holding *out)
{
    out->exists = true;
    out->index = p->ordinal;
    out->position = (int64_t)cf_get_be64(p->payload);
    out->time_ms = cf_get_be64(p->payload + 8);
}

/* The head's latest point into *out, and the head record with it (exists
 * false and zeros when the holder has none). */
static int holding_head(const ledger_kv *kv, const holding_history *h, state_holding *out)
{
    wr k;
    const uint8_t *v;
    size_t vlen;
    history_point last;
    head_key(&k, h);
    /* Field by field: the record's room (410 bytes) need not be zeroed. */
    out->exists = false;
    out->position = 0;
    out->index = out->time_ms = 0;
    out->rec_len = 0;
    int err = kv->get(kv->ctx, k.buf, k.len, &v, &vlen);
    if (err == CF_ENOTFOUND) return CF_OK;
    if (err || (err = history_latest(&h->hist, v, vlen, &last)) != 0) return err;
    point_read(&last, out);
    memcpy(out->rec, v, vlen);
    out->rec_len = vlen;
    return CF_OK;
}

int state_holding_get(const ledger_kv *kv, const uint8_t holder[32], const char *project,
                      state_holding *out)
{
    holding_history h;
    holding_init(&h, holder, project);
    return holding_head(kv, &h, out);
}

int state_holding_put(const ledger_kv *kv, const uint8_t holder[32], const char *project,
                      state_holding *latest, uint64_t index, uint64_t time_ms,
                      int64_t position)
{
    holding_history h;
    uint8_t payload[16];
    wr k, v;
    holding_init(&h, holder, project);
    cf_put_be64(payload, (uint64_t)position);
    cf_put_be64(payload + 8, time_ms);
    /* Holdings keep their history in every state: R-MATCH.6 reads it. */
    int err = history_push(kv, &h.hist, latest->rec, latest->exists ? latest->rec_len : 0, index,
                           payload, true, v.buf, &v.len);
    if (err) return err;
    head_key(&k, &h);
    if ((err = put_record(kv, &k, &v)) != 0) return err;
    latest->exists = true;
    latest->position = position;
    latest->index = index;
    latest->time_ms = time_ms;
    latest->rec_len = v.len;
    memcpy(latest->rec, v.buf, v.len);
    return CF_OK;
}

/* The position after the holder's last entry with index (by_time: time)
 * <= limit; 0 when none. */
static int holding_floor(const ledger_kv *kv, const uint8_t holder[32], const char *project,
                         bool by_time, uint64_t limit, int64_t *position)
{
    holding_history h;
    state_holding latest;
    history_point p;
    bool found = false;
    holding_init(&h, holder, project);
    int err = holding_head(kv, &h, &latest);
    *position = latest.position;
    if (err || !latest.exists || (by_time ? latest.time_ms : latest.index) <= limit) return err;
    err = history_floor(kv, &h.hist, latest.rec, latest.rec_len, by_time, 8, limit, &found, &p);
    *position = !err && found ? (int64_t)cf_get_be64(p.payload) : 0;
    return err;
}

int state_holding_at(const ledger_kv *kv, const uint8_t holder[32], const char *project,
                     uint64_t last, int64_t *position)
{
    return holding_floor(kv, holder, project, false, last, position);
}

int state_holding_by_time(const ledger_kv *kv, const uint8_t holder[32], const char *project,
                          uint64_t time_ms, int64_t *position)
{
    return holding_floor(kv, holder, project, true, time_ms, position);
}

int state_holding_latest(const ledger_kv *kv, const uint8_t holder[32], const char *project,
                         int64_t *position)
{
    state_holding latest;
    int err = state_holding_get(kv, holder, project, &latest);
    *position = latest.position;
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
