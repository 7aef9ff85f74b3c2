/* state_instruments.c — records of the pool, leasing and award instruments
 * (see state.h and docs/storage.md). Each record is written by one feed
 * only: credits by their bank, guarantees and releases by the pool's
 * operator, leases and awards by their program's operator. */
#include "state.h"

#include <string.h>

#include "crypto/cf_error.h"
#include "crypto/cf_util.h"
#include "state_internal.h"

/* ---- credits: loans, repayments, defaults ------------------------------- */

static int credit_decode(rd *r, state_credit *out)
{
    uint8_t type = r_u8(r);
    out->type = (enum entry_type)type;
    r_bytes(r, out->leaf, 32);
    out->time_ms = r_u64(r);
    out->amount_fen = (int64_t)r_u64(r);
    out->term_months = r_u32(r);
    out->loan_index = r_u64(r);
    out->repaid_fen = (int64_t)r_u64(r);
    out->defaulted = r_u8(r) & 1;
    out->loss_fen = (int64_t)r_u64(r);
    r_str(r, out->program, sizeof out->program);
    r_str(r, out->project, sizeof out->project);
    if (type != ENTRY_LOAN && type != ENTRY_REPAY && type != ENTRY_DEFAULT)
        return CF_ESTORE_CORRUPT;
    /* R-KEY: a repayment or default of a loan an earlier key wrote names
     * that key next; otherwise the loan is the author's own. Then the time
     * of its reversal, when it was reversed (R-REVERSE). */
    memcpy(out->loan_author, out->author, 32);
    out->reversed_ms = 0;
    size_t left = r->bad ? 0 : r->len - r->pos;
    if (left == 32 || left == 40) r_bytes(r, out->loan_author, 32);
    if (left == 8 || left == 40) out->reversed_ms = r_u64(r);
    return r_done(r);
}

int state_credit_get(const ledger_kv *kv, const uint8_t author[32], uint64_t index,
                     state_credit *out)
{
    wr k;
    rd r;
    key_at(&k, TAG_CREDIT, author, index);
    int err = get_record(kv, &k, &r);
    if (err) return err;
    memcpy(out->author, author, 32);
    out->index = index;
    return credit_decode(&r, out);
}

int state_credit_put(const ledger_kv *kv, const state_credit *c)
{
    wr k, v;
    v.len = 0;
    key_at(&k, TAG_CREDIT, c->author, c->index);
    w_u8(&v, (uint8_t)c->type);
    w_bytes(&v, c->leaf, 32);
    w_u64(&v, c->time_ms);
    w_u64(&v, (uint64_t)c->amount_fen);
    w_u32(&v, c->term_months);
    w_u64(&v, c->loan_index);
    w_u64(&v, (uint64_t)c->repaid_fen);
    w_u8(&v, c->defaulted ? 1 : 0);
    w_u64(&v, (uint64_t)c->loss_fen);
    w_cstr(&v, c->program);
    w_cstr(&v, c->project);
    if (c->type != ENTRY_LOAN && memcmp(c->loan_author, c->author, 32) != 0)
        w_bytes(&v, c->loan_author, 32);
    if (c->reversed_ms != 0) w_u64(&v, c->reversed_ms);
    return put_record(kv, &k, &v);
}

static int credit_visit(void *arg, const uint8_t *key, size_t klen, const uint8_t *val,
                        size_t vlen)
{
    struct each_ctx *c = arg;
    state_credit sc;
    rd r = {val, vlen, 0, false};
    if (klen != 1 + 32 + 8) return CF_ESTORE_CORRUPT;
    memcpy(sc.author, key + 1, 32);
    sc.index = cf_get_be64(key + 33);
    int err = credit_decode(&r, &sc);
    return err ? err : ((state_credit_visit_fn)c->fn)(c->arg, &sc);
}

int state_credits_each(const ledger_kv *kv, state_credit_visit_fn fn, void *arg)
{
    uint8_t prefix = TAG_CREDIT;
    struct each_ctx c = {kv, (void *)fn, arg};
    return kv->scan(kv->ctx, &prefix, 1, false, credit_visit, &c);
}

/* ---- guarantees and releases -------------------------------------------- */

int state_guarantee_get(const ledger_kv *kv, const uint8_t loan_author[32],
                        uint64_t loan_index, state_guarantee *out)
{
    wr k;
    rd r;
    key_at(&k, TAG_GUARANTEE, loan_author, loan_index);
    int err = get_record(kv, &k, &r);
    if (err) return err;
    memcpy(out->loan_author, loan_author, 32);
    out->loan_index = loan_index;
    out->index = r_u64(&r);
    out->amount_fen = (int64_t)r_u64(&r);
    out->released_fen = (int64_t)r_u64(&r);
    out->compensated = r_u8(&r) & 1;
    out->compensation_index = r_u64(&r);
    out->compensation_fen = (int64_t)r_u64(&r);
    r_str(&r, out->program, sizeof out->program);
    out->time_ms = r_u64(&r);
    out->reversed = !r.bad && r.len - r.pos == 1 && (r_u8(&r) & 1);
    err = r_done(&r);
    return err ? err : out->reversed ? CF_ENOTFOUND : CF_OK;
}

int state_guarantee_put(const ledger_kv *kv, const state_guarantee *g)
{
    wr k, v;
    v.len = 0;
    key_at(&k, TAG_GUARANTEE, g->loan_author, g->loan_index);
    w_u64(&v, g->index);
    w_u64(&v, (uint64_t)g->amount_fen);
    w_u64(&v, (uint64_t)g->released_fen);
    w_u8(&v, g->compensated ? 1 : 0);
    w_u64(&v, g->compensation_index);
    w_u64(&v, (uint64_t)g->compensation_fen);
    w_cstr(&v, g->program);
    w_u64(&v, g->time_ms);
    if (g->reversed) w_u8(&v, 1);
    return put_record(kv, &k, &v);
}

int state_release_get(const ledger_kv *kv, const uint8_t repay_author[32],
                      uint64_t repay_index, uint64_t *release_index)
{
    wr k;
    rd r;
    key_at(&k, TAG_RELEASE, repay_author, repay_index);
    int err = get_record(kv, &k, &r);
    if (err) return err;
    *release_index = r_u64(&r);
    err = r_done(&r);
    return err ? err : *release_index == STATE_RELEASE_NONE ? CF_ENOTFOUND : CF_OK;
}

int state_release_put(const ledger_kv *kv, const uint8_t repay_author[32],
                      uint64_t repay_index, uint64_t release_index)
{
    wr k, v;
    v.len = 0;
    key_at(&k, TAG_RELEASE, repay_author, repay_index);
    w_u64(&v, release_index);
    return put_record(kv, &k, &v);
}

/* ---- leases ------------------------------------------------------------- */

int state_lease_put(const ledger_kv *kv, const state_lease *l)
{
    wr k, v;
    v.len = 0;
    key_id_at(&k, TAG_LEASE, l->project, l->author, l->index);
    w_cstr(&v, l->program);
    w_cstr(&v, l->equipment);
    w_u64(&v, l->time_ms);
    w_u64(&v, (uint64_t)l->price_fen);
    for (int i = 0; i < LEASE__PARTS; i++) w_u64(&v, (uint64_t)l->part_fen[i]);
    w_bytes(&v, l->leaf, 32);
    if (l->reversed_ms != 0) w_u64(&v, l->reversed_ms);
    return put_record(kv, &k, &v);
}

static int lease_decode(rd *r, state_lease *l)
{
    r_str(r, l->program, sizeof l->program);
    r_str(r, l->equipment, sizeof l->equipment);
    l->time_ms = r_u64(r);
    l->price_fen = (int64_t)r_u64(r);
    for (int i = 0; i < LEASE__PARTS; i++) l->part_fen[i] = (int64_t)r_u64(r);
    r_bytes(r, l->leaf, 32);
    l->reversed_ms = !r->bad && r->len - r->pos == 8 ? r_u64(r) : 0;
    return r_done(r);
}

int state_lease_get(const ledger_kv *kv, const char *project, const uint8_t author[32],
                    uint64_t index, state_lease *out)
{
    wr k;
    rd r;
    if (strlen(project) > ENTRY_ID_BYTES_MAX) return CF_ENOTFOUND;
    key_id_at(&k, TAG_LEASE, project, author, index);
    int err = get_record(kv, &k, &r);
    if (err) return err;
    memset(out, 0, sizeof *out);
    memcpy(out->project, project, strlen(project) + 1);
    memcpy(out->author, author, 32);
    out->index = index;
    return lease_decode(&r, out);
}

static int lease_visit(void *arg, const uint8_t *key, size_t klen, const uint8_t *val,
                       size_t vlen)
{
    struct each_ctx *c = arg;
    state_lease l;
    rd kr = {key, klen, 1, false}, r = {val, vlen, 0, false};
    r_str(&kr, l.project, sizeof l.project);
    r_bytes(&kr, l.author, 32);
    l.index = r_u64(&kr);
    if (r_done(&kr) != CF_OK) return CF_ESTORE_CORRUPT;
    int err = lease_decode(&r, &l);
    return err ? err : ((state_lease_visit_fn)c->fn)(c->arg, &l);
}

int state_leases_each(const ledger_kv *kv, const char *project, state_lease_visit_fn fn,
                      void *arg)
{
    wr prefix;
    prefix.len = 0;
    struct each_ctx c = {kv, (void *)fn, arg};
    w_u8(&prefix, TAG_LEASE);
    if (project != NULL) w_cstr(&prefix, project);
    return kv->scan(kv->ctx, prefix.buf, prefix.len, false, lease_visit, &c);
}

/* ---- awards ------------------------------------------------------------- */

static void award_key(wr *k, const char *program, int year, const char *project,
                      int64_t amount_fen)
{
    k->len = 0;
    w_u8(k, TAG_AWARD);
    w_cstr(k, program);
    w_u8(k, (uint8_t)((unsigned)year >> 8));
    w_u8(k, (uint8_t)year);
    w_cstr(k, project);
    w_u64(k, (uint64_t)amount_fen);
}

static int award_decode(const uint8_t *key, size_t klen, const uint8_t *val, size_t vlen,
                        state_award *a)
{
    rd kr = {key, klen, 1, false}, r = {val, vlen, 0, false};
    r_str(&kr, a->program, sizeof a->program);
    a->year = (int)r_u8(&kr) << 8;
    a->year |= r_u8(&kr);
    r_str(&kr, a->project, sizeof a->project);
    a->amount_fen = (int64_t)r_u64(&kr);
    r_bytes(&kr, a->author, 32);
    a->index = r_u64(&kr);
    if (r_done(&kr) != CF_OK) return CF_ESTORE_CORRUPT;
    a->time_ms = r_u64(&r);
    a->reversed_ms = !r.bad && r.len - r.pos == 8 ? r_u64(&r) : 0;
    return r_done(&r);
}

struct standing {
    state_award *out;
};

static int standing_visit(void *arg, const uint8_t *key, size_t klen, const uint8_t *val,
                          size_t vlen)
{
    struct standing *c = arg;
    int err = award_decode(key, klen, val, vlen, c->out);
    if (err) return err;
    return c->out->reversed_ms == 0 ? 1 : CF_OK; /* 1: found, stop */
}

int state_award_get(const ledger_kv *kv, const char *program, int year, const char *project,
                    int64_t amount_fen, state_award *out)
{
    wr k;
    if (strlen(program) > ENTRY_ID_BYTES_MAX || strlen(project) > ENTRY_ID_BYTES_MAX)
        return CF_ENOTFOUND;
    award_key(&k, program, year, project, amount_fen);
    struct standing c = {out};
    int err = kv->scan(kv->ctx, k.buf, k.len, false, standing_visit, &c);
    return err == 1 ? CF_OK : err ? err : CF_ENOTFOUND;
}

int state_award_of(const ledger_kv *kv, const char *program, int year, const char *project,
                   int64_t amount_fen, const uint8_t author[32], uint64_t index,
                   state_award *out)
{
    wr k;
    const uint8_t *v;
    size_t vlen;
    if (strlen(program) > ENTRY_ID_BYTES_MAX || strlen(project) > ENTRY_ID_BYTES_MAX)
        return CF_ENOTFOUND;
    award_key(&k, program, year, project, amount_fen);
    w_bytes(&k, author, 32);
    w_u64(&k, index);
    int err = kv->get(kv->ctx, k.buf, k.len, &v, &vlen);
    return err ? err : award_decode(k.buf, k.len, v, vlen, out);
}

int state_award_put(const ledger_kv *kv, const state_award *a)
{
    wr k, v;
    v.len = 0;
    award_key(&k, a->program, a->year, a->project, a->amount_fen);
    w_bytes(&k, a->author, 32);
    w_u64(&k, a->index);
    w_u64(&v, a->time_ms);
    if (a->reversed_ms != 0) w_u64(&v, a->reversed_ms);
    return put_record(kv, &k, &v);
}

static int award_visit(void *arg, const uint8_t *key, size_t klen, const uint8_t *val,
                       size_t vlen)
{
    struct each_ctx *c = arg;
    state_award a;
    int err = award_decode(key, klen, val, vlen, &a);
    return err ? err : ((state_award_visit_fn)c->fn)(c->arg, &a);
}

int state_awards_each(const ledger_kv *kv, const char *program, state_award_visit_fn fn,
                      void *arg)
{
    wr prefix;
    prefix.len = 0;
    struct each_ctx c = {kv, (void *)fn, arg};
    w_u8(&prefix, TAG_AWARD);
    if (program != NULL) w_cstr(&prefix, program);
    return kv->scan(kv->ctx, prefix.buf, prefix.len, false, award_visit, &c);
}
