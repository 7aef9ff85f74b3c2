/* state.c — record layouts and keys of the ledger state (see state.h and
 * docs/storage.md); the other instruments' records are in
 * state_instruments.c. Records are fixed-order big-endian fields; strings are
 * one length byte then the bytes. Every read checks the record decodes
 * exactly, so a damaged store is reported, not trusted. */
#include "state.h"

#include <string.h>

#include "crypto/cf_error.h"
#include "crypto/cf_util.h"
#include "state_history.h"
#include "state_internal.h"

/* ---- network ------------------------------------------------------------ */
int state_network_get(const ledger_kv *kv, state_network *out)
{
    wr k;
    rd r;
    key2(&k, TAG_NETWORK, NULL, 0);
    int err = get_record(kv, &k, &r);
    if (err) return err;
    r_bytes(&r, out->net, 32);
    r_bytes(&r, out->gov_key, 32);
    out->tz_min = (int32_t)r_u32(&r);
    r_str(&r, out->name, sizeof out->name);
    /* The sanity bound (R-BOUND) follows, once set. */
    out->has_bound = !r.bad && r.pos < r.len;
    out->bound_fen = out->has_bound ? (int64_t)r_u64(&r) : 0;
    if ((err = r_done(&r)) != 0) return err;
    /* R-SUCCEED: a record of its own (a state written before it has none:
     * no recovery keys, no succession). */
    out->gov_base = 0;
    out->quorum = 0;
    out->nrecovery = 0;
    key2(&k, TAG_GOVERNANCE, NULL, 0);
    if ((err = get_record(kv, &k, &r)) == CF_ENOTFOUND) return CF_OK;
    if (err) return err;
    out->gov_base = r_u64(&r);
    out->quorum = r_u8(&r);
    out->nrecovery = r_u8(&r);
    if (out->nrecovery > RECOVERY_KEYS_MAX || out->quorum > out->nrecovery)
        return CF_ESTORE_CORRUPT;
    for (size_t i = 0; i < out->nrecovery; i++) r_bytes(&r, out->recovery[i], 32);
    return r_done(&r);
}

int state_network_put(const ledger_kv *kv, const state_network *n)
{
    wr k, v;
    v.len = 0;
    key2(&k, TAG_NETWORK, NULL, 0);
    w_bytes(&v, n->net, 32);
    w_bytes(&v, n->gov_key, 32);
    w_u32(&v, (uint32_t)n->tz_min);
    w_cstr(&v, n->name);
    if (n->has_bound) w_u64(&v, (uint64_t)n->bound_fen);
    int err = put_record(kv, &k, &v);
    if (err || (n->gov_base == 0 && n->nrecovery == 0)) return err;
    CF_ASSERT(n->nrecovery <= RECOVERY_KEYS_MAX && n->quorum <= n->nrecovery);
    key2(&k, TAG_GOVERNANCE, NULL, 0);
    v.len = 0;
    w_u64(&v, n->gov_base);
    w_u8(&v, (uint8_t)n->quorum);
    w_u8(&v, (uint8_t)n->nrecovery);
    for (size_t i = 0; i < n->nrecovery; i++) w_bytes(&v, n->recovery[i], 32);
    return put_record(kv, &k, &v);
}

/* ---- members ------------------------------------------------------------ */
int state_member_get(const ledger_kv *kv, const uint8_t key[32], state_member *out)
{
    wr k;
    rd r;
    uint8_t at[32]; /* key may point into *out (a record's next, prev or identity) */
    memcpy(at, key, 32);
    key2(&k, TAG_MEMBER, at, 32);
    int err = get_record(kv, &k, &r);
    if (err) return err;
    memset(out, 0, sizeof *out);
    memcpy(out->key, at, 32);
    memcpy(out->identity, at, 32);
    out->role = (enum member_role)r_u8(&r);
    out->added_at = r_u64(&r);
    r_str(&r, out->name, sizeof out->name);
    if (out->role <= 0 || out->role >= ROLE__COUNT) return CF_ESTORE_CORRUPT;
    /* R-KEY: a key never rekeyed nor closed, of a member without a display
     * name, has no more (the record as it always was); otherwise a flags
     * byte and the fields it names (8: the display name, R-RENAME). */
    if (!r.bad && r.pos < r.len) {
        uint8_t flags = r_u8(&r);
        if (flags == 0 || flags & ~(uint8_t)15) return CF_ESTORE_CORRUPT;
        r_bytes(&r, out->identity, 32);
        if ((out->has_prev = flags & 1)) r_bytes(&r, out->prev, 32);
        if ((out->closed = flags & 2)) {
            out->closed_at = r_u64(&r);
            out->closed_by = r_u64(&r);
        }
        if ((out->has_next = flags & 4)) r_bytes(&r, out->next, 32);
        if (flags & 8) {
            r_str(&r, out->display, sizeof out->display);
            if (out->display[0] == '\0') return CF_ESTORE_CORRUPT;
        }
    }
    return r_done(&r);
}

bool state_is_member(const ledger_kv *kv, const uint8_t key[32])
{
    state_member m;
    return state_member_get(kv, key, &m) == CF_OK;
}

int state_member_by_name(const ledger_kv *kv, const char *name, size_t n,
                         state_member *out)
{
    wr k;
    rd r;
    uint8_t key[32];
    if (n > ENTRY_ID_BYTES_MAX) return CF_ENOTFOUND;
    key2(&k, TAG_MEMBER_NAME, name, n);
    int err = get_record(kv, &k, &r);
    if (err) return err;
    r_bytes(&r, key, 32);
    if ((err = r_done(&r)) != 0) return err;
    return state_member_get(kv, key, out);
}

int state_member_put(const ledger_kv *kv, const state_member *m)
{
    wr k, v;
    v.len = 0;
    key2(&k, TAG_MEMBER, m->key, 32);
    w_u8(&v, (uint8_t)m->role);
    w_u64(&v, m->added_at);
    w_cstr(&v, m->name);
    uint8_t flags = (uint8_t)((m->has_prev ? 1 : 0) | (m->closed ? 2 : 0) | (m->has_next ? 4 : 0) |
                              (m->display[0] ? 8 : 0));
    if (flags != 0) { /* else identity is key: a new identity only comes with a prev */
        w_u8(&v, flags);
        w_bytes(&v, m->has_prev ? m->identity : m->key, 32);
        if (m->has_prev) w_bytes(&v, m->prev, 32);
        if (m->closed) {
            w_u64(&v, m->closed_at);
            w_u64(&v, m->closed_by);
        }
        if (m->has_next) w_bytes(&v, m->next, 32);
        if (m->display[0]) w_cstr(&v, m->display);
    }
    int err = put_record(kv, &k, &v);
    if (err) return err;
    key2(&k, TAG_MEMBER_NAME, m->name, strlen(m->name));
    v.len = 0;
    w_bytes(&v, m->key, 32);
    return put_record(kv, &k, &v);
}


static int member_visit(void *arg, const uint8_t *key, size_t klen,
                        const uint8_t *val, size_t vlen)
{
    struct each_ctx *c = arg;
    state_member m;
    (void)val;
    (void)vlen;
    if (klen != 33) return CF_ESTORE_CORRUPT;
    int err = state_member_get(c->kv, key + 1, &m);
    if (err) return err;
    return ((state_member_visit_fn)c->fn)(c->arg, &m);
}

int state_members_each(const ledger_kv *kv, state_member_visit_fn fn, void *arg)
{
    uint8_t prefix = TAG_MEMBER;
    struct each_ctx c = {kv, (void *)fn, arg};
    return kv->scan(kv->ctx, &prefix, 1, false, member_visit, &c);
}

static int count_member(void *arg, const state_member *m)
{
    (void)m;
    (*(uint64_t *)arg)++;
    return CF_OK;
}

int state_member_count_get(const ledger_kv *kv, uint64_t *out)
{
    wr k;
    rd r;
    key2(&k, TAG_MEMBER_COUNT, NULL, 0);
    int err = get_record(kv, &k, &r);
    if (err == CF_ENOTFOUND) {
        *out = 0;
        return state_members_each(kv, count_member, out);
    }
    if (err) return err;
    *out = r_u64(&r);
    return r_done(&r);
}

int state_member_count_put(const ledger_kv *kv, uint64_t n)
{
    wr k, v;
    v.len = 0;
    key2(&k, TAG_MEMBER_COUNT, NULL, 0);
    w_u64(&v, n);
    return put_record(kv, &k, &v);
}

/* ---- tips --------------------------------------------------------------- */
int state_tip_get(const ledger_kv *kv, const uint8_t author[32], state_tip *out)
{
    wr k;
    rd r;
    key2(&k, TAG_TIP, author, 32);
    int err = get_record(kv, &k, &r);
    if (err == CF_ENOTFOUND) {
        memset(out, 0, sizeof *out);
        return CF_OK;
    }
    if (err) return err;
    out->applied = r_u64(&r);
    out->last_time = r_u64(&r);
    out->last_gov = r_u64(&r);
    out->volume = (int64_t)r_u64(&r);
    if (out->volume < 0) return CF_ESTORE_CORRUPT;
    return r_done(&r);
}

int state_tip_put(const ledger_kv *kv, const uint8_t author[32], const state_tip *t)
{
    wr k, v;
    v.len = 0;
    key2(&k, TAG_TIP, author, 32);
    w_u64(&v, t->applied);
    w_u64(&v, t->last_time);
    w_u64(&v, t->last_gov);
    w_u64(&v, (uint64_t)t->volume);
    return put_record(kv, &k, &v);
}

/* ---- programs ----------------------------------------------------------- */
static int program_decode(rd *r, const char *id, size_t n, state_program *out)
{
    memset(out, 0, sizeof *out);
    memcpy(out->id, id, n);
    out->id[n] = '\0';
    out->added_at = r_u64(r);
    r_str(r, out->kind, sizeof out->kind);
    r_bytes(r, out->operator_key, 32);
    out->counterpart_roles = r_u32(r);
    out->ratio_num = r_u32(r);
    out->ratio_den = r_u32(r);
    out->window_days = r_u32(r);
    uint8_t flags = r_u8(r);
    out->has_cap = flags & 1;
    out->has_budget = (flags >> 1) & 1;
    out->cap_fen = (int64_t)r_u64(r);
    out->budget_fen = (int64_t)r_u64(r);
    out->start_ms = r_u64(r);
    /* The "match" record ends here, as it always did; other kinds add
     * their fields. */
    out->pkind = program_kind_from_name(out->kind, strlen(out->kind));
    switch (out->pkind) {
    case PROGRAM_POOL:
        out->leverage = r_u32(r);
        out->share_num = r_u32(r);
        out->share_den = r_u32(r);
        out->has_size = r_u8(r) & 1;
        out->size_fen = (int64_t)r_u64(r);
        break;
    case PROGRAM_LEASING:
        flags = r_u8(r);
        for (int i = 0; i < LEASE__PARTS; i++) {
            out->has_part[i] = (flags >> i) & 1;
            out->part[i].min_pct = r_u32(r);
            out->part[i].max_pct = r_u32(r);
        }
        break;
    case PROGRAM_AWARD:
        out->nlevels = r_u8(r);
        if (out->nlevels > AWARD_LEVELS_MAX) return CF_ESTORE_CORRUPT;
        for (size_t i = 0; i < out->nlevels; i++) out->levels_fen[i] = (int64_t)r_u64(r);
        if (r->pos < r->len) { /* R-AWARD.5's requirement, when there is one */
            out->requires = (enum cert_kind)r_u8(r);
            out->has_requires = out->requires != 0;
        }
        break;
    case PROGRAM_SUBSIDY:
        out->share_num = r_u32(r);
        out->share_den = r_u32(r);
        out->basis = (enum cert_kind)r_u8(r);
        out->has_recipient_cap = r_u8(r) & 1;
        out->recipient_cap_fen = (int64_t)r_u64(r);
        break;
    case PROGRAM_MATCH: break;
    default: return CF_ESTORE_CORRUPT;
    }
    return r_done(r);
}

int state_program_get(const ledger_kv *kv, const char *id, size_t n, state_program *out)
{
    wr k;
    rd r;
    if (n > ENTRY_ID_BYTES_MAX) return CF_ENOTFOUND;
    key2(&k, TAG_PROGRAM, id, n);
    int err = get_record(kv, &k, &r);
    return err ? err : program_decode(&r, id, n, out);
}

int state_program_put(const ledger_kv *kv, const state_program *p)
{
    wr k, v;
    v.len = 0;
    key2(&k, TAG_PROGRAM, p->id, strlen(p->id));
    w_u64(&v, p->added_at);
    w_cstr(&v, p->kind);
    w_bytes(&v, p->operator_key, 32);
    w_u32(&v, p->counterpart_roles);
    w_u32(&v, p->ratio_num);
    w_u32(&v, p->ratio_den);
    w_u32(&v, p->window_days);
    w_u8(&v, (uint8_t)((p->has_cap ? 1 : 0) | (p->has_budget ? 2 : 0)));
    w_u64(&v, (uint64_t)p->cap_fen);
    w_u64(&v, (uint64_t)p->budget_fen);
    w_u64(&v, p->start_ms);
    switch (program_kind_from_name(p->kind, strlen(p->kind))) {
    case PROGRAM_POOL:
        w_u32(&v, p->leverage);
        w_u32(&v, p->share_num);
        w_u32(&v, p->share_den);
        w_u8(&v, p->has_size ? 1 : 0);
        w_u64(&v, (uint64_t)p->size_fen);
        break;
    case PROGRAM_LEASING: {
        uint8_t flags = 0;
        for (int i = 0; i < LEASE__PARTS; i++) flags |= (uint8_t)((p->has_part[i] ? 1u : 0u) << i);
        w_u8(&v, flags);
        for (int i = 0; i < LEASE__PARTS; i++) {
            w_u32(&v, p->part[i].min_pct);
            w_u32(&v, p->part[i].max_pct);
        }
        break;
    }
    case PROGRAM_AWARD:
        CF_ASSERT(p->nlevels <= AWARD_LEVELS_MAX);
        w_u8(&v, (uint8_t)p->nlevels);
        for (size_t i = 0; i < p->nlevels; i++) w_u64(&v, (uint64_t)p->levels_fen[i]);
        if (p->has_requires) w_u8(&v, (uint8_t)p->requires);
        break;
    case PROGRAM_SUBSIDY:
        w_u32(&v, p->share_num);
        w_u32(&v, p->share_den);
        w_u8(&v, (uint8_t)p->basis);
        w_u8(&v, p->has_recipient_cap ? 1 : 0);
        w_u64(&v, (uint64_t)p->recipient_cap_fen);
        break;
    default: break;
    }
    return put_record(kv, &k, &v);
}

static int program_visit(void *arg, const uint8_t *key, size_t klen,
                         const uint8_t *val, size_t vlen)
{
    struct each_ctx *c = arg;
    state_program p;
    rd r = {val, vlen, 0, false};
    if (klen < 2 || klen - 1 > ENTRY_ID_BYTES_MAX) return CF_ESTORE_CORRUPT;
    int err = program_decode(&r, (const char *)key + 1, klen - 1, &p);
    return err ? err : ((state_program_visit_fn)c->fn)(c->arg, &p);
}

int state_programs_each(const ledger_kv *kv, state_program_visit_fn fn, void *arg)
{
    uint8_t prefix = TAG_PROGRAM;
    struct each_ctx c = {kv, (void *)fn, arg};
    return kv->scan(kv->ctx, &prefix, 1, false, program_visit, &c);
}

/* ---- projects ----------------------------------------------------------- */
static int project_decode(rd *r, const char *id, size_t n, state_project *out)
{
    memcpy(out->id, id, n);
    out->id[n] = '\0';
    out->added_at = r_u64(r);
    r_str(r, out->name, sizeof out->name);
    r_str(r, out->kind, sizeof out->kind);
    return r_done(r);
}

int state_project_get(const ledger_kv *kv, const char *id, size_t n, state_project *out)
{
    wr k;
    rd r;
    if (n > ENTRY_ID_BYTES_MAX) return CF_ENOTFOUND;
    key2(&k, TAG_PROJECT, id, n);
    int err = get_record(kv, &k, &r);
    return err ? err : project_decode(&r, id, n, out);
}

int state_project_put(const ledger_kv *kv, const state_project *p)
{
    wr k, v;
    v.len = 0;
    key2(&k, TAG_PROJECT, p->id, strlen(p->id));
    w_u64(&v, p->added_at);
    w_cstr(&v, p->name);
    w_cstr(&v, p->kind);
    return put_record(kv, &k, &v);
}

static int project_visit(void *arg, const uint8_t *key, size_t klen,
                         const uint8_t *val, size_t vlen)
{
    struct each_ctx *c = arg;
    state_project p;
    rd r = {val, vlen, 0, false};
    if (klen < 2 || klen - 1 > ENTRY_ID_BYTES_MAX) return CF_ESTORE_CORRUPT;
    int err = project_decode(&r, (const char *)key + 1, klen - 1, &p);
    return err ? err : ((state_project_visit_fn)c->fn)(c->arg, &p);
}

int state_projects_each(const ledger_kv *kv, state_project_visit_fn fn, void *arg)
{
    uint8_t prefix = TAG_PROJECT;
    struct each_ctx c = {kv, (void *)fn, arg};
    return kv->scan(kv->ctx, &prefix, 1, false, project_visit, &c);
}

/* ---- contributions ------------------------------------------------------ */
static int contribution_decode(rd *r, state_contribution *out)
{
    r_bytes(r, out->leaf, 32);
    out->time_ms = r_u64(r);
    out->amount_fen = (int64_t)r_u64(r);
    out->allocated_fen = (int64_t)r_u64(r);
    r_str(r, out->project, sizeof out->project);
    r_str(r, out->round, sizeof out->round);
    r_str(r, out->program, sizeof out->program);
    return r_done(r);
}

int state_contribution_get(const ledger_kv *kv, const uint8_t author[32],
                           uint64_t index, state_contribution *out)
{
    wr k;
    rd r;
    key_at(&k, TAG_CONTRIBUTION, author, index);
    int err = get_record(kv, &k, &r);
    if (err) return err;
    memcpy(out->author, author, 32);
    out->index = index;
    return contribution_decode(&r, out);
}

int state_contribution_put(const ledger_kv *kv, const state_contribution *c)
{
    wr k, v;
    v.len = 0;
    key_at(&k, TAG_CONTRIBUTION, c->author, c->index);
    w_bytes(&v, c->leaf, 32);
    w_u64(&v, c->time_ms);
    w_u64(&v, (uint64_t)c->amount_fen);
    w_u64(&v, (uint64_t)c->allocated_fen);
    w_cstr(&v, c->project);
    w_cstr(&v, c->round);
    w_cstr(&v, c->program);
    return put_record(kv, &k, &v);
}

static int contribution_visit(void *arg, const uint8_t *key, size_t klen,
                              const uint8_t *val, size_t vlen)
{
    struct each_ctx *c = arg;
    state_contribution sc;
    rd r = {val, vlen, 0, false};
    if (klen != 1 + 32 + 8) return CF_ESTORE_CORRUPT;
    memcpy(sc.author, key + 1, 32);
    sc.index = cf_get_be64(key + 33);
    int err = contribution_decode(&r, &sc);
    return err ? err : ((state_contribution_visit_fn)c->fn)(c->arg, &sc);
}

int state_contributions_each(const ledger_kv *kv, state_contribution_visit_fn fn,
                             void *arg)
{
    uint8_t prefix = TAG_CONTRIBUTION;
    struct each_ctx c = {kv, (void *)fn, arg};
    return kv->scan(kv->ctx, &prefix, 1, false, contribution_visit, &c);
}

int state_contributions_of(const ledger_kv *kv, const uint8_t author[32],
                           state_contribution_visit_fn fn, void *arg)
{
    wr k;
    struct each_ctx c = {kv, (void *)fn, arg};
    key2(&k, TAG_CONTRIBUTION, author, 32);
    return kv->scan(kv->ctx, k.buf, k.len, false, contribution_visit, &c);
}

/* ---- match queue -------------------------------------------------------- */
/* 'c' || program || time u64 || author (32) || index u64 -> project || round.
 * Time-major within the program: a feed's new contributions land at the
 * queue's end, on a page or two per batch, not one page per project
 * (docs/storage.md, docs/performance.md "The match queue"). A scan for one
 * project and round reads the program's queue and keeps the records whose
 * value names them: the same records in the same order as a queue keyed by
 * project and round would give. */
static void queue_place(wr *v, const char *project, const char *round)
{
    v->len = 0;
    w_cstr(v, project);
    w_cstr(v, round);
}

int state_queue_put(const ledger_kv *kv, const state_contribution *c)
{
    wr k, v;
    k.len = 0;
    w_u8(&k, TAG_QUEUE);
    w_cstr(&k, c->program);
    w_u64(&k, c->time_ms);
    w_bytes(&k, c->author, 32);
    w_u64(&k, c->index);
    queue_place(&v, c->project, c->round);
    return put_record(kv, &k, &v);
}

struct queue_each_ctx {
    size_t prefix_len;
    const wr *place; /* NULL: every record of the program */
    state_queue_visit_fn fn;
    void *arg;
};

static int queue_visit(void *arg, const uint8_t *key, size_t klen, const uint8_t *val,
                       size_t vlen)
{
    struct queue_each_ctx *c = arg;
    if (klen != c->prefix_len + 8 + 32 + 8 || vlen < 2) return CF_ESTORE_CORRUPT;
    if (c->place && (vlen != c->place->len || memcmp(val, c->place->buf, vlen) != 0))
        return CF_OK;
    return c->fn(c->arg, key + klen - 40, cf_get_be64(key + klen - 8));
}

int state_queue_each(const ledger_kv *kv, const char *program, const char *project,
                     const char *round, state_queue_visit_fn fn, void *arg)
{
    wr k, place;
    k.len = 0;
    w_u8(&k, TAG_QUEUE);
    w_cstr(&k, program);
    if (project) queue_place(&place, project, round);
    struct queue_each_ctx c = {k.len, project ? &place : NULL, fn, arg};
    return kv->scan(kv->ctx, k.buf, k.len, false, queue_visit, &c);
}

/* ---- series ------------------------------------------------------------- */
static void series_start(state_series *s, uint8_t kind, const char *first)
{
    size_t n = strlen(first);
    CF_ASSERT(n <= ENTRY_ID_BYTES_MAX);
    s->bytes[0] = kind;
    s->bytes[1] = (uint8_t)n;
    memcpy(s->bytes + 2, first, n);
    s->len = 2 + n;
}

void state_series_holder(state_series *s, enum state_series_kind kind, const char *project,
                         const uint8_t holder[32])
{
    series_start(s, (uint8_t)kind, project);
    memcpy(s->bytes + s->len, holder, 32);
    s->len += 32;
}

void state_series_position(state_series *s, const char *project, const uint8_t holder[32])
{
    state_series_holder(s, SERIES_POSITION, project, holder);
}

void state_series_program(state_series *s, enum state_series_kind kind, const char *program)
{
    series_start(s, (uint8_t)kind, program);
}

void state_series_project(state_series *s, enum state_series_kind kind,
                          const char *program, const char *project)
{
    series_start(s, (uint8_t)kind, program);
    size_t n = strlen(project);
    CF_ASSERT(n <= ENTRY_ID_BYTES_MAX);
    s->bytes[s->len++] = (uint8_t)n;
    memcpy(s->bytes + s->len, project, n);
    s->len += n;
}

void state_series_year(state_series *s, enum state_series_kind kind,
                       const char *program, int year)
{
    series_start(s, (uint8_t)kind, program);
    s->bytes[s->len++] = (uint8_t)((unsigned)year >> 8);
    s->bytes[s->len++] = (uint8_t)year;
}

void state_series_project_year(state_series *s, enum state_series_kind kind,
                               const char *program, const char *project, int year)
{
    state_series_project(s, kind, program, project);
    s->bytes[s->len++] = (uint8_t)((unsigned)year >> 8);
    s->bytes[s->len++] = (uint8_t)year;
}

_Static_assert(STATE_SERIES_RECORD_MAX == HISTORY_RECORD_MAX(8), "the head fits its buffer");

/* A series' history (state_history.h): points of its cumulative value by
 * time; the head is its directory record 'I' || series, blocks 'S' || series. */
static void series_history(state_history *h, const state_series *s)
{
    *h = (state_history){.block_tag = TAG_SERIES_POINT, .id = s->bytes, .id_len = s->len,
                         .plen = 8};
}

/* The directory record's value into *out (its latest point; the record). */
static int head_decode(const state_series *s, const uint8_t *v, size_t vlen,
                       state_series_head *out)
{
    state_history h;
    history_point last;
    series_history(&h, s);
    int err = history_latest(&h, v, vlen, &last);
    if (err) return err;
    out->exists = true;
    out->time_ms = last.ordinal;
    out->value = (int64_t)cf_get_be64(last.payload);
    memcpy(out->rec, v, vlen);
    out->rec_len = vlen;
    return CF_OK;
}

int state_series_head_get(const ledger_kv *kv, const state_series *s,
                          state_series_head *out)
{
    wr k;
    const uint8_t *v;
    size_t vlen;
    key2(&k, TAG_SERIES_DIR, s->bytes, s->len);
    int err = kv->get(kv->ctx, k.buf, k.len, &v, &vlen);
    if (err == CF_ENOTFOUND) {
        *out = (state_series_head){.exists = false};
        return CF_OK;
    }
    if (err) return err;
    return head_decode(s, v, vlen, out);
}

/* The value as of time_ms of a series whose head is *h. */
static int series_value_at(const ledger_kv *kv, const state_series *s,
                           const state_series_head *h, uint64_t time_ms, int64_t *value)
{
    if (!h->exists || h->time_ms <= time_ms) {
        *value = h->value;
        return CF_OK;
    }
    if (kv->latest_only) return CF_EINVAL; /* no history kept */
    state_history hist;
    history_point p;
    bool found = false;
    series_history(&hist, s);
    int err = history_floor(kv, &hist, h->rec, h->rec_len, false, 0, time_ms, &found, &p);
    *value = !err && found ? (int64_t)cf_get_be64(p.payload) : 0;
    return err;
}

int state_series_at(const ledger_kv *kv, const state_series *s, uint64_t time_ms,
                    int64_t *value)
{
    state_series_head h;
    int err = state_series_head_get(kv, s, &h);
    return err ? err : series_value_at(kv, s, &h, time_ms, value);
}

int state_series_head_add(const ledger_kv *kv, const state_series *s,
                          state_series_head *h, uint64_t time_ms, int64_t delta)
{
    /* Points hold cumulative values: a point before the latest would leave
     * every later point without this delta. A series changes through one
     * feed, whose times never decrease, so this is a caller's bug, reported
     * rather than written. */
    if (h->exists && h->time_ms > time_ms) return CF_EINVAL;
    int64_t cur = h->exists ? h->value : 0;
    if ((delta > 0 && cur > INT64_MAX - delta) || (delta < 0 && cur < INT64_MIN - delta))
        return CF_EOVERFLOW;
    int64_t next = cur + delta;
    state_history hist;
    uint8_t payload[8];
    wr k, v;
    series_history(&hist, s);
    cf_put_be64(payload, (uint64_t)next);
    int err = history_push(kv, &hist, h->rec, h->exists ? h->rec_len : 0, time_ms, payload,
                           !kv->latest_only, v.buf, &v.len);
    if (err) return err;
    key2(&k, TAG_SERIES_DIR, s->bytes, s->len);
    if ((err = put_record(kv, &k, &v)) != 0) return err;
    h->exists = true;
    h->time_ms = time_ms;
    h->value = next;
    memcpy(h->rec, v.buf, v.len);
    h->rec_len = v.len;
    return CF_OK;
}

int state_series_add(const ledger_kv *kv, const state_series *s, uint64_t time_ms,
                     int64_t delta)
{
    state_series_head h;
    int err = state_series_head_get(kv, s, &h);
    return err ? err : state_series_head_add(kv, s, &h, time_ms, delta);
}

struct series_each_ctx {
    const ledger_kv *kv;
    size_t prefix_len; /* series bytes before the part passed to fn */
    uint64_t as_of;
    state_series_visit_fn fn;
    void *arg;
};

static int series_dir_visit(void *arg, const uint8_t *key, size_t klen,
                            const uint8_t *val, size_t vlen)
{
    struct series_each_ctx *c = arg;
    state_series s;
    state_series_head h;
    int64_t value;
    if (klen < 1 + c->prefix_len || klen - 1 > sizeof s.bytes) return CF_ESTORE_CORRUPT;
    memcpy(s.bytes, key + 1, klen - 1);
    s.len = klen - 1;
    /* The directory record holds the latest point: it is the value as of
     * any time from that point on, without a floor lookup. */
    int err = head_decode(&s, val, vlen, &h);
    if (err || (err = series_value_at(c->kv, &s, &h, c->as_of, &value)) != 0) return err;
    return c->fn(c->arg, s.bytes + c->prefix_len, s.len - c->prefix_len, value);
}

int state_series_each(const ledger_kv *kv, enum state_series_kind kind,
                      const char *first, uint64_t as_of, state_series_visit_fn fn,
                      void *arg)
{
    state_series s;
    if (first != NULL) {
        series_start(&s, (uint8_t)kind, first);
    } else {
        s.bytes[0] = (uint8_t)kind;
        s.len = 1;
    }
    wr prefix;
    key2(&prefix, TAG_SERIES_DIR, s.bytes, s.len);
    struct series_each_ctx c = {kv, s.len, as_of, fn, arg};
    return kv->scan(kv->ctx, prefix.buf, prefix.len, false, series_dir_visit, &c);
}
