/* state_subsidy.c — certifications (R-CERT) and subsidies (R-SUBSIDY)
 * (docs/storage.md records F, f, B, b). A certification is the governance
 * feed's record, read by a rule as of its entry's gov (state_cert_in_force);
 * a subsidy and what it paid for are its program operator's feed's. */
#include "state.h"

#include <string.h>

#include "crypto/cf_error.h"
#include "crypto/cf_util.h"
#include "state_internal.h"

/* ---- certifications ----------------------------------------------------- */

static void cert_key(wr *k, uint64_t gov_index)
{
    k->len = 0;
    w_u8(k, TAG_CERT);
    w_u64(k, gov_index);
}

static int cert_decode(rd *r, uint64_t gov_index, state_cert *c)
{
    memset(c, 0, sizeof *c);
    c->gov_index = gov_index;
    c->kind = (enum cert_kind)r_u8(r);
    r_str(r, c->project, sizeof c->project);
    r_str(r, c->product, sizeof c->product);
    c->year = (int32_t)r_u32(r);
    c->batch = r_u64(r);
    c->price_fen = (int64_t)r_u64(r);
    c->from_ms = r_u64(r);
    uint8_t flags = r_u8(r);
    c->has_until = flags & 1;
    c->revoked = (flags >> 1) & 1;
    c->until_ms = r_u64(r);
    c->revoke_gov = r_u64(r);
    c->revoke_at = r_u64(r);
    if (c->kind == 0 || c->kind >= CERT__KINDS || (flags & ~3u)) return CF_ESTORE_CORRUPT;
    return r_done(r);
}

int state_cert_get(const ledger_kv *kv, uint64_t gov_index, state_cert *out)
{
    wr k;
    rd r;
    cert_key(&k, gov_index);
    int err = get_record(kv, &k, &r);
    return err ? err : cert_decode(&r, gov_index, out);
}

int state_cert_put(const ledger_kv *kv, const state_cert *c)
{
    wr k, v;
    v.len = 0;
    cert_key(&k, c->gov_index);
    w_u8(&v, (uint8_t)c->kind);
    w_cstr(&v, c->project);
    w_cstr(&v, c->product);
    w_u32(&v, (uint32_t)c->year);
    w_u64(&v, c->batch);
    w_u64(&v, (uint64_t)c->price_fen);
    w_u64(&v, c->from_ms);
    w_u8(&v, (uint8_t)((c->has_until ? 1 : 0) | (c->revoked ? 2 : 0)));
    w_u64(&v, c->until_ms);
    w_u64(&v, c->revoke_gov);
    w_u64(&v, c->revoke_at);
    int err = put_record(kv, &k, &v);
    if (err) return err;
    /* The index by project: written once, with the certification. */
    k.len = 0;
    w_u8(&k, TAG_CERT_BY);
    w_cstr(&k, c->project);
    w_u64(&k, c->gov_index);
    v.len = 0;
    return put_record(kv, &k, &v);
}

struct cert_each {
    const ledger_kv *kv;
    state_cert_visit_fn fn;
    void *arg;
};

static int cert_by_visit(void *arg, const uint8_t *key, size_t klen, const uint8_t *val,
                         size_t vlen)
{
    struct cert_each *x = arg;
    state_cert c;
    (void)val;
    if (klen < 9 || vlen != 0) return CF_ESTORE_CORRUPT;
    int err = state_cert_get(x->kv, cf_get_be64(key + klen - 8), &c);
    if (err == CF_ENOTFOUND) return CF_ESTORE_CORRUPT;
    return err ? err : x->fn(x->arg, &c);
}

static int cert_visit(void *arg, const uint8_t *key, size_t klen, const uint8_t *val,
                      size_t vlen)
{
    struct cert_each *x = arg;
    state_cert c;
    rd r = {val, vlen, 0, false};
    if (klen != 9) return CF_ESTORE_CORRUPT;
    int err = cert_decode(&r, cf_get_be64(key + 1), &c);
    return err ? err : x->fn(x->arg, &c);
}

int state_certs_each(const ledger_kv *kv, const char *project, state_cert_visit_fn fn,
                     void *arg)
{
    wr prefix;
    prefix.len = 0;
    struct cert_each x = {kv, fn, arg};
    if (project == NULL) {
        w_u8(&prefix, TAG_CERT);
        return kv->scan(kv->ctx, prefix.buf, prefix.len, false, cert_visit, &x);
    }
    if (strlen(project) > ENTRY_ID_BYTES_MAX) return CF_OK;
    w_u8(&prefix, TAG_CERT_BY);
    w_cstr(&prefix, project);
    return kv->scan(kv->ctx, prefix.buf, prefix.len, false, cert_by_visit, &x);
}

bool state_cert_in_force(const state_cert *c, uint64_t time_ms, uint64_t gov)
{
    if (c->gov_index >= gov || time_ms < c->from_ms) return false;
    if (c->has_until && time_ms >= c->until_ms) return false;
    return !(c->revoked && c->revoke_gov < gov && c->revoke_at <= time_ms);
}

/* ---- subsidies ---------------------------------------------------------- */


int state_subsidy_put(const ledger_kv *kv, const state_subsidy *s)
{
    wr k, v;
    v.len = 0;
    key_id_at(&k, TAG_SUBSIDY, s->program, s->author, s->index);
    w_u64(&v, s->time_ms);
    w_cstr(&v, s->project);
    w_u64(&v, s->cert);
    w_u32(&v, s->units);
    w_u64(&v, (uint64_t)s->price_fen);
    w_u64(&v, (uint64_t)s->amount_fen);
    w_u32(&v, (uint32_t)s->year);
    w_u8(&v, s->has_lease ? 1 : 0);
    if (s->has_lease) {
        w_bytes(&v, s->lease_author, 32);
        w_u64(&v, s->lease_index);
    } else {
        w_cstr(&v, s->sale);
    }
    return put_record(kv, &k, &v);
}

static int subsidy_visit(void *arg, const uint8_t *key, size_t klen, const uint8_t *val,
                         size_t vlen)
{
    struct each_ctx *c = arg;
    state_subsidy s;
    rd kr = {key, klen, 1, false}, r = {val, vlen, 0, false};
    memset(&s, 0, sizeof s);
    r_str(&kr, s.program, sizeof s.program);
    r_bytes(&kr, s.author, 32);
    s.index = r_u64(&kr);
    if (r_done(&kr) != CF_OK) return CF_ESTORE_CORRUPT;
    s.time_ms = r_u64(&r);
    r_str(&r, s.project, sizeof s.project);
    s.cert = r_u64(&r);
    s.units = r_u32(&r);
    s.price_fen = (int64_t)r_u64(&r);
    s.amount_fen = (int64_t)r_u64(&r);
    s.year = (int32_t)r_u32(&r);
    s.has_lease = r_u8(&r) == 1;
    if (s.has_lease) {
        r_bytes(&r, s.lease_author, 32);
        s.lease_index = r_u64(&r);
    } else {
        r_str(&r, s.sale, sizeof s.sale);
    }
    int err = r_done(&r);
    return err ? err : ((state_subsidy_visit_fn)c->fn)(c->arg, &s);
}

int state_subsidies_each(const ledger_kv *kv, const char *program, state_subsidy_visit_fn fn,
                         void *arg)
{
    wr prefix;
    prefix.len = 0;
    struct each_ctx c = {kv, (void *)fn, arg};
    w_u8(&prefix, TAG_SUBSIDY);
    if (program != NULL) w_cstr(&prefix, program);
    return kv->scan(kv->ctx, prefix.buf, prefix.len, false, subsidy_visit, &c);
}

/* b ‖ program ‖ 0 ‖ sale, or b ‖ program ‖ 1 ‖ lease author ‖ lease index. */
static void subsidized_key(wr *k, const char *program, const char *sale,
                           const uint8_t lease_author[32], uint64_t lease_index)
{
    k->len = 0;
    w_u8(k, TAG_SUBSIDIZED);
    w_cstr(k, program);
    w_u8(k, sale != NULL ? 0 : 1);
    if (sale != NULL) {
        w_cstr(k, sale);
        return;
    }
    w_bytes(k, lease_author, 32);
    w_u64(k, lease_index);
}

int state_subsidized_get(const ledger_kv *kv, const char *program, const char *sale,
                         const uint8_t lease_author[32], uint64_t lease_index, uint64_t *index)
{
    wr k;
    rd r;
    if (strlen(program) > ENTRY_ID_BYTES_MAX || (sale != NULL && strlen(sale) > ENTRY_ID_BYTES_MAX))
        return CF_ENOTFOUND;
    subsidized_key(&k, program, sale, lease_author, lease_index);
    int err = get_record(kv, &k, &r);
    if (err) return err;
    *index = r_u64(&r);
    return r_done(&r);
}

int state_subsidized_put(const ledger_kv *kv, const state_subsidy *s)
{
    wr k, v;
    v.len = 0;
    subsidized_key(&k, s->program, s->has_lease ? NULL : s->sale, s->lease_author,
                   s->lease_index);
    w_u64(&v, s->index);
    return put_record(kv, &k, &v);
}
