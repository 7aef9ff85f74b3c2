/* rules_fixture.c — see rules_fixture.h. */
#include "rules_fixture.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "crypto/cf_error.h"
#include "crypto/cf_util.h"
#include "crypto/merkle.h"
#include "ledger/caltime.h"
#include "ledger/rules.h"

static void fail_abort(const char *msg)
{
    fprintf(stderr, "rules fixture: %s\n", msg);
    abort();
}

void (*fx_fail_hook)(const char *msg) = fail_abort;

const char *const fx_names[FX_KEYS] = {"gov",   "fund",     "inv-a",  "inv-b",
                                       "team",  "auditor",  "fund2",  "outsider",
                                       "bank-a", "bank-b", "lessor"};

#define T0_MS UINT64_C(1748736000000)    /* 2025-06-01T00:00:00Z */
#define START_MS UINT64_C(1751328000000) /* 2025-07-01T00:00:00Z */
const uint64_t FX_T0 = T0_MS, FX_START = START_MS;

static void failf(const char *what, const diag *d)
{
    char msg[DIAG_TEXT_BYTES + 128];
    snprintf(msg, sizeof msg, "%s: %s [%s] %s", what, cf_errname(d->code), d->rule, d->text);
    fx_fail_hook(msg);
}

uint64_t fx_utc(int y, unsigned mo, unsigned d, unsigned h, unsigned mi, unsigned s)
{
    int64_t days = caltime_days_from_civil(y, mo, d);
    return (uint64_t)days * FX_DAY_MS + ((uint64_t)h * 3600 + mi * 60 + s) * 1000;
}

fx *fx_new(void)
{
    if (cf_crypto_init() != CF_OK) return NULL;
    fx *f = calloc(1, sizeof *f);
    if (f == NULL) return NULL;
    if ((f->mem = memkv_new(UINT64_C(0x5eed))) == NULL) {
        free(f);
        return NULL;
    }
    memkv_bind(f->mem, &f->kv);
    /* Distinct, recognisable keys: 0x11 0x11 ... for gov, 0x22 ... fund. */
    for (int i = 0; i < FX_KEYS; i++) {
        memset(f->keys[i], 0x11 * (i + 1), 32);
        f->keys[i][31] = (uint8_t)i;
    }
    return f;
}

void fx_free(fx *f)
{
    if (f == NULL) return;
    memkv_free(f->mem);
    free(f);
}

static uint64_t applied(const fx *f, const uint8_t key[32])
{
    state_tip t;
    if (state_tip_get(&f->kv, key, &t) != CF_OK) fx_fail_hook("reading a feed tip");
    return t.applied;
}

uint64_t fx_gov(const fx *f)
{
    return applied(f, f->keys[FX_GOV]);
}

uint64_t fx_next_index(const fx *f, int who)
{
    return applied(f, f->keys[who]);
}

static entry_text txt(const char *s)
{
    return entry_text_of(s, strlen(s));
}

entry fx_entry(const fx *f, int who, enum entry_type type, uint64_t time_ms)
{
    entry e;
    memset(&e, 0, sizeof e);
    e.type = type;
    e.has_net = type != ENTRY_GENESIS;
    if (e.has_net) memcpy(e.net, f->net, 32);
    memcpy(e.author, f->keys[who], 32);
    e.index = fx_next_index(f, who);
    e.gov = type == ENTRY_GENESIS ? 0 : fx_gov(f);
    e.time_ms = time_ms;
    return e;
}

entry fx_genesis(const fx *f, int who, uint64_t time_ms)
{
    entry e = fx_entry(f, who, ENTRY_GENESIS, time_ms);
    e.body.genesis.name = txt("Test City Guidance Funds");
    e.body.genesis.member = txt(fx_names[who]);
    e.body.genesis.tz_min = FX_TZ_MIN;
    return e;
}

entry fx_member(const fx *f, int author, int key_who, enum member_role role,
                const char *name, uint64_t time_ms)
{
    entry e = fx_entry(f, author, ENTRY_MEMBER, time_ms);
    memcpy(e.body.member.key, f->keys[key_who], 32);
    e.body.member.role = role;
    e.body.member.name = txt(name);
    return e;
}

entry fx_program(const fx *f, int author, const fx_program_spec *p, uint64_t time_ms)
{
    entry e = fx_entry(f, author, ENTRY_PROGRAM, time_ms);
    body_program *b = &e.body.program;
    b->id = txt(p->id);
    b->kind = txt("match");
    memcpy(b->operator_key, f->keys[p->operator_who], 32);
    b->counterpart_roles = p->roles;
    b->ratio_num = p->num;
    b->ratio_den = p->den;
    b->window_days = p->window_days;
    b->has_cap = p->cap_fen != 0;
    b->cap_fen = p->cap_fen;
    b->has_budget = p->budget_fen != 0;
    b->budget_fen = p->budget_fen;
    b->start_ms = p->start_ms;
    return e;
}

entry fx_project(const fx *f, int author, const char *id, uint64_t time_ms)
{
    entry e = fx_entry(f, author, ENTRY_PROJECT, time_ms);
    e.body.project.id = txt(id);
    e.body.project.name = txt(id);
    return e;
}

entry fx_contribution(const fx *f, int who, const char *project, const char *round,
                      const char *program, int64_t amount_fen, uint64_t time_ms)
{
    entry e = fx_entry(f, who, ENTRY_CONTRIBUTION, time_ms);
    body_contribution *b = &e.body.contribution;
    b->project = txt(project);
    b->round = txt(round);
    b->amount_fen = amount_fen;
    b->has_program = program != NULL;
    if (program) b->program = txt(program);
    return e;
}

entry fx_match(const fx *f, int who, const char *program, const char *project,
               const char *round, uint64_t time_ms, size_t ncites, const entry_cite *cites)
{
    entry e = fx_entry(f, who, ENTRY_MATCH, time_ms);
    body_match *b = &e.body.match;
    b->program = txt(program);
    b->project = txt(project);
    b->round = txt(round);
    if (ncites > ENTRY_CITES_MAX) fx_fail_hook("too many citations");
    b->ncites = ncites;
    int64_t sum = 0;
    for (size_t i = 0; i < ncites; i++) {
        b->cites[i] = cites[i];
        sum = sum > INT64_MAX - cites[i].amount_fen ? INT64_MAX : sum + cites[i].amount_fen;
    }
    b->amount_fen = sum;
    return e;
}

entry fx_exit(const fx *f, int who, const char *project, int64_t amount_fen, uint64_t time_ms)
{
    entry e = fx_entry(f, who, ENTRY_EXIT, time_ms);
    e.body.exit.project = txt(project);
    e.body.exit.amount_fen = amount_fen;
    return e;
}

/* ---- the other instruments ---------------------------------------------- */

entry fx_pool_program(const fx *f, const char *id, int operator_who, uint32_t leverage,
                      uint32_t num, uint32_t den, int64_t size_fen, uint64_t time_ms)
{
    entry e = fx_entry(f, FX_GOV, ENTRY_PROGRAM, time_ms);
    body_program *b = &e.body.program;
    b->id = txt(id);
    b->kind = txt("pool");
    memcpy(b->operator_key, f->keys[operator_who], 32);
    b->leverage = leverage;
    b->share_num = num;
    b->share_den = den;
    b->has_size = size_fen != 0;
    b->size_fen = size_fen;
    return e;
}

entry fx_leasing_program(const fx *f, const char *id, int operator_who,
                         const fx_bounds bounds[LEASE__PARTS], uint64_t time_ms)
{
    entry e = fx_entry(f, FX_GOV, ENTRY_PROGRAM, time_ms);
    body_program *b = &e.body.program;
    b->id = txt(id);
    b->kind = txt("leasing");
    memcpy(b->operator_key, f->keys[operator_who], 32);
    b->has_down = bounds[LEASE_DOWN].has;
    b->down = (pct_range){bounds[LEASE_DOWN].min, bounds[LEASE_DOWN].max};
    b->has_financing = bounds[LEASE_FINANCING].has;
    b->financing = (pct_range){bounds[LEASE_FINANCING].min, bounds[LEASE_FINANCING].max};
    b->has_advance = bounds[LEASE_ADVANCE].has;
    b->advance = (pct_range){bounds[LEASE_ADVANCE].min, bounds[LEASE_ADVANCE].max};
    return e;
}

entry fx_award_program(const fx *f, const char *id, int operator_who, size_t nlevels,
                       const int64_t *levels_fen, int64_t budget_fen, uint64_t time_ms)
{
    entry e = fx_entry(f, FX_GOV, ENTRY_PROGRAM, time_ms);
    body_program *b = &e.body.program;
    b->id = txt(id);
    b->kind = txt("award");
    memcpy(b->operator_key, f->keys[operator_who], 32);
    if (nlevels > AWARD_LEVELS_MAX) fx_fail_hook("too many award levels");
    b->nlevels = nlevels;
    for (size_t i = 0; i < nlevels; i++) b->levels_fen[i] = levels_fen[i];
    b->has_budget = budget_fen != 0;
    b->budget_fen = budget_fen;
    return e;
}

entry_ref fx_ref_of(const fx *f, const fx_ref *r)
{
    entry_ref x;
    memcpy(x.author, f->keys[r->who], 32);
    x.index = r->index;
    memcpy(x.leaf, r->leaf, 32);
    return x;
}

static entry pool_funds(const fx *f, int who, enum entry_type t, const char *program,
                        int64_t amount_fen, uint64_t time_ms)
{
    entry e = fx_entry(f, who, t, time_ms);
    e.body.deposit.program = txt(program);
    e.body.deposit.amount_fen = amount_fen;
    return e;
}

entry fx_deposit(const fx *f, int who, const char *program, int64_t amount_fen,
                 uint64_t time_ms)
{
    return pool_funds(f, who, ENTRY_DEPOSIT, program, amount_fen, time_ms);
}

entry fx_withdraw(const fx *f, int who, const char *program, int64_t amount_fen,
                  uint64_t time_ms)
{
    return pool_funds(f, who, ENTRY_WITHDRAW, program, amount_fen, time_ms);
}

entry fx_loan(const fx *f, int who, const char *program, const char *project,
              int64_t amount_fen, uint32_t term_months, uint64_t time_ms)
{
    entry e = fx_entry(f, who, ENTRY_LOAN, time_ms);
    e.body.loan = (body_loan){txt(program), txt(project), amount_fen, term_months};
    return e;
}

entry fx_guarantee(const fx *f, int who, const char *program, const fx_ref *loan,
                   int64_t amount_fen, uint64_t time_ms)
{
    entry e = fx_entry(f, who, ENTRY_GUARANTEE, time_ms);
    e.body.guarantee = (body_guarantee){txt(program), fx_ref_of(f, loan), amount_fen};
    return e;
}

entry fx_repay(const fx *f, int who, const fx_ref *loan, int64_t amount_fen, uint64_t time_ms)
{
    entry e = fx_entry(f, who, ENTRY_REPAY, time_ms);
    e.body.repay = (body_repay){fx_ref_of(f, loan), amount_fen};
    return e;
}

entry fx_default(const fx *f, int who, const fx_ref *loan, int64_t loss_fen, uint64_t time_ms)
{
    entry e = fx_entry(f, who, ENTRY_DEFAULT, time_ms);
    e.body.loan_default = (body_default){fx_ref_of(f, loan), loss_fen};
    return e;
}

entry fx_compensation(const fx *f, int who, const char *program, const fx_ref *dflt,
                      int64_t amount_fen, uint64_t time_ms)
{
    entry e = fx_entry(f, who, ENTRY_COMPENSATION, time_ms);
    e.body.compensation = (body_compensation){txt(program), fx_ref_of(f, dflt), amount_fen};
    return e;
}

entry fx_release(const fx *f, int who, const char *program, const fx_ref *repay,
                 int64_t amount_fen, uint64_t time_ms)
{
    entry e = fx_entry(f, who, ENTRY_RELEASE, time_ms);
    e.body.release = (body_release){txt(program), fx_ref_of(f, repay), amount_fen};
    return e;
}

entry fx_lease(const fx *f, int who, const char *program, const char *project,
               int64_t price_fen, int64_t down_fen, int64_t financing_fen, int64_t advance_fen,
               uint64_t time_ms)
{
    entry e = fx_entry(f, who, ENTRY_LEASE, time_ms);
    e.body.lease = (body_lease){txt(program), txt(project), txt("CNC machining centre"),
                                price_fen, down_fen, financing_fen, advance_fen};
    return e;
}

entry fx_award(const fx *f, int who, const char *program, const char *project,
               int64_t amount_fen, uint32_t year, uint64_t time_ms)
{
    entry e = fx_entry(f, who, ENTRY_AWARD, time_ms);
    e.body.award = (body_award){txt(program), txt(project), amount_fen, year};
    return e;
}

size_t fx_encode(const entry *e, uint8_t buf[ENTRY_BYTES_MAX], uint8_t leaf[32])
{
    size_t len = 0;
    diag d;
    diag_clear(&d);
    if (entry_encode(e, buf, ENTRY_BYTES_MAX, &len, &d) != CF_OK) failf("encoding", &d);
    merkle_leaf_hash(buf, len, leaf);
    return len;
}

int fx_push_bytes(fx *f, const uint8_t author[32], uint64_t index, const uint8_t *bytes,
                  size_t len)
{
    if (len > sizeof f->bytes) fx_fail_hook("entry too long for the fixture");
    /* An exact-size copy: ASan sees any read past the entry. */
    uint8_t *copy = malloc(len ? len : 1);
    if (copy == NULL) fx_fail_hook("out of memory");
    memcpy(copy, bytes, len);
    int rc = ledger_process(&f->kv, author, index, copy, len, &f->e, &f->d);
    free(copy);
    memmove(f->bytes, bytes, len);
    f->len = len;
    merkle_leaf_hash(f->bytes, len, f->leaf);
    /* f->e's texts pointed into the freed copy: point them at f->bytes. */
    diag ignored;
    if (entry_decode(f->bytes, len, &f->e, &ignored) != CF_OK) memset(&f->e, 0, sizeof f->e);
    return rc;
}

int fx_push(fx *f, const entry *e)
{
    uint8_t buf[ENTRY_BYTES_MAX], leaf[32];
    size_t len = fx_encode(e, buf, leaf);
    return fx_push_bytes(f, e->author, e->index, buf, len);
}

void fx_ok(fx *f, const entry *e)
{
    if (fx_push(f, e) != CF_OK) failf(entry_type_name(e->type), &f->d);
}

fx_program_spec fx_industrial(const char *id)
{
    fx_program_spec p = {id, FX_FUND, ROLE_BIT(ROLE_INVESTOR), 1, 1, FX_IND_WINDOW_DAYS,
                         0,  0,       START_MS};
    return p;
}

fx_program_spec fx_incubation(const char *id)
{
    fx_program_spec p = {id, FX_FUND, ROLE_BIT(ROLE_TEAM), 1, 1, FX_IND_WINDOW_DAYS,
                         FX_INC_CAP_FEN, FX_INC_BUDGET_FEN, START_MS};
    return p;
}

void fx_add_member(fx *f, int who, enum member_role role)
{
    entry e = fx_member(f, FX_GOV, who, role, fx_names[who], T0_MS);
    fx_ok(f, &e);
}

void fx_add_program(fx *f, const fx_program_spec *p)
{
    entry e = fx_program(f, FX_GOV, p, T0_MS);
    fx_ok(f, &e);
}

void fx_add_project(fx *f, const char *id)
{
    entry e = fx_project(f, FX_GOV, id, T0_MS);
    fx_ok(f, &e);
}

fx *fx_setup(void)
{
    fx *f = fx_new();
    if (f == NULL) return NULL;
    entry g = fx_genesis(f, FX_GOV, T0_MS);
    uint8_t buf[ENTRY_BYTES_MAX];
    size_t len = fx_encode(&g, buf, f->net); /* the network id is the genesis leaf */
    if (fx_push_bytes(f, f->keys[FX_GOV], 0, buf, len) != CF_OK) failf("genesis", &f->d);
    static const enum member_role roles[] = {ROLE_FUND, ROLE_INVESTOR, ROLE_INVESTOR,
                                             ROLE_TEAM, ROLE_AUDITOR};
    for (int who = FX_FUND; who <= FX_AUDITOR; who++) fx_add_member(f, who, roles[who - 1]);
    fx_program_spec ind = fx_industrial("ind"), inc = fx_incubation("inc");
    fx_add_program(f, &ind);
    fx_add_program(f, &inc);
    fx_add_project(f, "p1");
    fx_add_project(f, "p2");
    if (fx_gov(f) != FX_GOV_SIZE) fx_fail_hook("FX_GOV_SIZE is out of date");
    return f;
}

fx *fx_setup_instruments(void)
{
    fx *f = fx_setup();
    if (f == NULL) return NULL;
    fx_add_member(f, FX_BANK, ROLE_BANK);
    fx_add_member(f, FX_BANK2, ROLE_BANK);
    fx_add_member(f, FX_LESSOR, ROLE_LESSOR);
    entry e = fx_pool_program(f, "pool", FX_FUND, 10, 7, 10, FX_POOL_SIZE_FEN, T0_MS);
    fx_ok(f, &e);
    const fx_bounds bounds[LEASE__PARTS] = {{true, 10, 40}, {true, 30, 80}, {true, 0, 30}};
    e = fx_leasing_program(f, "lease", FX_LESSOR, bounds, T0_MS);
    fx_ok(f, &e);
    const int64_t levels[2] = {FX_YUAN(100000), FX_YUAN(500000)};
    e = fx_award_program(f, "award", FX_FUND, 2, levels, FX_AWARD_BUDGET_FEN, T0_MS);
    fx_ok(f, &e);
    fx_add_project(f, "p3");
    if (fx_gov(f) != FX_INST_GOV_SIZE) fx_fail_hook("FX_INST_GOV_SIZE is out of date");
    return f;
}

fx_ref fx_accept(fx *f, const entry *e)
{
    fx_ok(f, e);
    fx_ref r = {0, e->index, {0}};
    for (int who = 0; who < FX_KEYS; who++)
        if (memcmp(f->keys[who], e->author, 32) == 0) r.who = who;
    memcpy(r.leaf, f->leaf, 32);
    return r;
}

fx_ref fx_contribute(fx *f, int who, const char *project, const char *round,
                     const char *program, int64_t amount_fen, uint64_t time_ms)
{
    entry e = fx_contribution(f, who, project, round, program, amount_fen, time_ms);
    fx_ok(f, &e);
    fx_ref r = {who, e.index, {0}};
    memcpy(r.leaf, f->leaf, 32);
    return r;
}

entry_cite fx_cite(const fx *f, const fx_ref *r, int64_t amount_fen)
{
    entry_cite c = {.index = 0};
    memcpy(c.author, f->keys[r->who], 32);
    c.index = r->index;
    memcpy(c.leaf, r->leaf, 32);
    c.amount_fen = amount_fen;
    return c;
}

void fx_match1(fx *f, const char *program, const fx_ref *r, const char *project,
               const char *round, int64_t amount_fen, uint64_t time_ms)
{
    entry_cite c = fx_cite(f, r, amount_fen);
    entry e = fx_match(f, FX_FUND, program, project, round, time_ms, 1, &c);
    fx_ok(f, &e);
}

static int digest_visit(void *arg, const uint8_t *key, size_t klen, const uint8_t *val,
                        size_t vlen)
{
    void **a = arg;
    cf_sha256_ctx *h = a[0];
    size_t *count = a[1];
    uint8_t n[8];
    cf_put_be64(n, klen);
    cf_sha256_update(h, n, 8);
    cf_sha256_update(h, key, klen);
    cf_put_be64(n, vlen);
    cf_sha256_update(h, n, 8);
    cf_sha256_update(h, val, vlen);
    (*count)++;
    return 0;
}

void fx_digest(const fx *f, uint8_t out[32], size_t *count)
{
    cf_sha256_ctx h;
    size_t n = 0;
    void *arg[2] = {&h, &n};
    static const uint8_t everything[1] = {0}; /* a prefix of length 0 */
    cf_sha256_init(&h);
    if (f->kv.scan(f->kv.ctx, everything, 0, false, digest_visit, arg) != CF_OK)
        fx_fail_hook("scanning the state");
    if (n != memkv_count(f->mem)) fx_fail_hook("a full scan missed records");
    cf_sha256_final(&h, out);
    if (count) *count = n;
}

int64_t fx_position(const fx *f, const char *project, int who, uint64_t as_of)
{
    state_series s;
    int64_t v;
    state_series_position(&s, project, f->keys[who]);
    if (state_series_at(&f->kv, &s, as_of, &v) != CF_OK) fx_fail_hook("reading a position");
    return v;
}
