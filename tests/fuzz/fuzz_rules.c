/* fuzz_rules.c — the rule engine under input-chosen operations on the
 * instruments network of tests/unit/rules_fixture.h, plus a matching program
 * "fz" whose counterpart, ratio, window, cap and budget the first 4 bytes
 * pick, and a pool "fzp" whose leverage, share and size their spare bits
 * pick. Then 8 bytes per operation: o[0] % 15 picks contribute, match (0-4
 * citations, maybe forged), exit, deposit, withdraw, loan, guarantee, repay,
 * default, release, compensation, lease, award, or the governance's rekey
 * (to the outsider's key) or retire of a member (R-KEY; closing at or one
 * past what its feed applied, so no rebuild is asked for); the other bytes amounts,
 * members, programs, projects, rounds, references and time steps. After each
 * accepted entry the invariants must hold; after any other verdict the
 * state must be unchanged. A violation abort()s. */
#include "../unit/rules_fixture.c"

#include "ledger/query.h"

#define CHECK(c) ((c) ? (void)0 : (fprintf(stderr, "invariant: %s\n", #c), abort()))

static const char *const programs[3] = {"ind", "inc", "fz"};
static const char *const pools[2] = {"pool", "fzp"};
static int64_t deployed[3]; /* the sum of accepted match amounts */
static int64_t paid[2];     /* the sum of accepted compensations */
struct lim { int64_t limit, sum; };

static int position_ok(void *a, const uint8_t *r, size_t n, int64_t v)
{
    return (void)a, (void)r, (void)n, CHECK(v >= 0), 0;
}
static int covered(void *a, const state_contribution *c) /* allocated * den <= num * amount */
{
    state_program p;
    if (!c->program[0]) return CHECK(c->allocated_fen == 0), 0;
    CHECK(state_program_get(a, c->program, strlen(c->program), &p) == CF_OK);
    CHECK(c->allocated_fen >= 0 && c->allocated_fen <= (int64_t)p.ratio_num * c->amount_fen / p.ratio_den);
    return 0;
}
static int within(struct lim *l, int64_t v) { return CHECK(l->limit == 0 || v <= l->limit), l->sum += v, 0; }
static int year_ok(void *a, const query_year *y) { return within(a, y->t.deployed_fen); }
static int project_ok(void *a, const query_project *p) { return within(a, p->t.deployed_fen); }
static int credit_ok(void *a, const state_credit *c) /* a loan's principal never below zero */
{
    return (void)a, CHECK(c->type != ENTRY_LOAN || (c->repaid_fen >= 0 && c->repaid_fen + (c->defaulted ? c->loss_fen : 0) <= c->amount_fen)), 0;
}
static int bank_ok(void *a, const query_pool_bank *b)
{
    return (void)a, CHECK(b->outstanding_fen >= 0 && b->compensated_fen >= 0), 0;
}
static int lease_ok(void *a, const state_lease *l) /* R-LEASE.1-3 hold for every lease */
{
    const state_program *p = a;
    CHECK(l->part_fen[0] > 0 && l->part_fen[1] > 0 && l->part_fen[2] > 0);
    CHECK(l->part_fen[0] + l->part_fen[1] + l->part_fen[2] == l->price_fen);
    for (int i = 0; i < LEASE__PARTS; i++)
        CHECK(!p->has_part[i] || (100 * l->part_fen[i] >= (int64_t)p->part[i].min_pct * l->price_fen &&
                                  100 * l->part_fen[i] <= (int64_t)p->part[i].max_pct * l->price_fen));
    return 0;
}
static int award_year; static int64_t award_sum;
static int award_ok(void *a, const query_award_level *l) /* R-AWARD.4 per year */
{
    const state_program *p = a;
    if (l->year != award_year) award_year = l->year, award_sum = 0;
    award_sum += l->total_fen;
    return CHECK(!p->has_budget || award_sum <= p->budget_fen), 0;
}

/* leverage × balance without overflow */
static bool under_bound(const query_pool *q, uint32_t leverage)
{
    return q->balance_fen >= 0 && q->outstanding_fen / (int64_t)leverage <= q->balance_fen &&
           (q->balance_fen > INT64_MAX / (int64_t)leverage ||
            q->outstanding_fen <= (int64_t)leverage * q->balance_fen);
}

static void check(fx *f, int kind)
{
    CHECK(state_series_each(&f->kv, SERIES_POSITION, NULL, STATE_TIME_LATEST, position_ok, NULL) == CF_OK);
    CHECK(state_contributions_each(&f->kv, covered, &f->kv) == CF_OK);
    for (int i = 0; i < 3; i++) {
        state_program p;
        query_totals t;
        CHECK(state_program_get(&f->kv, programs[i], strlen(programs[i]), &p) == CF_OK);
        CHECK(query_program_totals(&f->kv, programs[i], STATE_TIME_LATEST, &t) == CF_OK);
        struct lim y = {p.has_budget ? p.budget_fen : 0, 0}, j = {p.has_cap ? p.cap_fen : 0, 0};
        CHECK(query_program_years(&f->kv, programs[i], STATE_TIME_LATEST, year_ok, &y) == CF_OK);
        CHECK(query_program_projects(&f->kv, programs[i], STATE_TIME_LATEST, project_ok, &j) == CF_OK);
        CHECK(t.deployed_fen == deployed[i] && y.sum == deployed[i] && j.sum == deployed[i]);
    }
    for (int i = 0; i < 2; i++) { /* R-POOL.1, .2, .6, .7, .8 */
        state_program p;
        query_pool q;
        CHECK(state_program_get(&f->kv, pools[i], strlen(pools[i]), &p) == CF_OK);
        CHECK(query_pool_totals(&f->kv, &p, STATE_TIME_LATEST, &q) == CF_OK);
        CHECK(q.balance_fen >= 0 && q.outstanding_fen >= 0 && q.compensated_fen == paid[i]);
        CHECK(q.compensated_fen <= q.deposited_fen && (!p.has_size || q.balance_fen <= p.size_fen));
        if (kind == 4 || kind == 6) CHECK(under_bound(&q, p.leverage));
        CHECK(query_pool_banks(&f->kv, pools[i], STATE_TIME_LATEST, bank_ok, NULL) == CF_OK);
    }
    CHECK(state_credits_each(&f->kv, credit_ok, NULL) == CF_OK);
    bool rebuild; /* closings at or past what was applied ask for none */
    CHECK(state_rebuild_requested(&f->kv, &rebuild) == CF_OK && !rebuild);
    state_program p;
    CHECK(state_program_get(&f->kv, "lease", 5, &p) == CF_OK);
    CHECK(query_leases(&f->kv, NULL, "lease", STATE_TIME_LATEST, lease_ok, &p) == CF_OK);
    CHECK(state_program_get(&f->kv, "award", 5, &p) == CF_OK);
    award_year = 0;
    CHECK(query_award_levels(&f->kv, "award", STATE_TIME_LATEST, award_ok, &p) == CF_OK);
}

typedef struct { fx_ref r; int64_t amount; } held_ref;

int LLVMFuzzerTestOneInput(const uint8_t *d, size_t n);
int LLVMFuzzerTestOneInput(const uint8_t *d, size_t n)
{
    static const int64_t scale[4] = {1, 100, 1000000, AMOUNT_FEN_MAX / 1000};
    static const int whos[8] = {FX_INV_A, FX_INV_B, FX_TEAM, FX_FUND, FX_BANK, FX_BANK2, FX_LESSOR, FX_FUND};
    static const uint32_t levs[4] = {1, 2, 10, 1000}, shares[4][2] = {{7, 10}, {1, 3}, {1, 1}, {999, 1000}};
    fx *f;
    if (n < 4 || (f = fx_setup_instruments()) == NULL) return 0;
    fx_program_spec fz = {"fz", FX_FUND, (uint32_t)(d[0] % 3 + 1) << ROLE_INVESTOR, d[1] % 4 + 1u,
                          d[1] / 4 % 4 + 1u, d[2] % 8, d[3] % 4 ? d[3] * INT64_C(10000) : 0,
                          d[2] / 8 % 4 * INT64_C(50000), FX_START};
    fx_add_program(f, &fz);
    entry e = fx_pool_program(f, "fzp", FX_FUND, levs[d[1] >> 4 & 3], shares[d[1] >> 6][0],
                              shares[d[1] >> 6][1], d[2] >> 5 ? INT64_C(1) << (3 * (d[2] >> 5) + 8) : 0, FX_T0);
    fx_ok(f, &e);
    fx_ref refs[64];
    static held_ref loans[64], repays[64], defaults[64];
    size_t nrefs = 0, nl = 0, nr = 0, nd = 0;
    uint64_t t = fx_utc(2025, 12, 20, 0, 0, 0); /* matches cross into 2026 (+08:00) */
    memset(deployed, 0, sizeof deployed);
    memset(paid, 0, sizeof paid);
    for (const uint8_t *o = d + 4; o + 8 <= d + n && o < d + 4 + 8 * 64; o += 8) {
        int64_t amount = (o[3] | o[4] << 8) % 1000 * scale[o[0] >> 6] + 1;
        t = t + (uint64_t)(o[5] & 0x7f) * 6 * 3600000 - (o[5] & 0x80 ? 3600000 : 0);
        const char *prog = o[2] % 4 < 3 ? programs[o[2] % 4] : NULL;
        const char *proj = o[2] & 4 ? "p2" : "p1", *round = o[2] & 8 ? "B" : "A";
        const char *pool = pools[o[2] >> 4 & 1];
        int who = whos[o[1] % 8], kind = o[0] % 15, op = o[1] & 0x80 ? who : FX_FUND;
        entry_cite c[4];
        size_t k = 0;
        for (; kind == 1 && k < o[6] % 5u && nrefs > 0; k++)
            c[k] = fx_cite(f, &refs[(o[7] + 7 * k) % nrefs], k ? (amount >> k) + 1 : amount);
        if (k > 0 && (o[6] & 0x80)) c[0].leaf[o[7] % 32] ^= 1; /* forged */
        for (size_t j = 0; j < k && (o[6] & 0x20); j++) { /* a read point (R-MATCH.6) */
            c[j].has_read = true;
            c[j].read = c[j].index + (uint64_t)(o[7] >> 5) - 1 + j; /* 0: invalid */
        }
        /* a pool entry's reference: an accepted loan, repayment or default */
        held_ref *list = kind == 6 || kind == 7 || kind == 8 ? loans : kind == 9 ? repays : defaults;
        size_t nlist = kind == 6 || kind == 7 || kind == 8 ? nl : kind == 9 ? nr : nd;
        held_ref h = nlist ? list[o[7] % nlist] : (held_ref){{FX_BANK, o[7] % 4, {0}}, amount};
        if (o[6] & 0x80) h.r.leaf[o[7] % 32] ^= 1; /* forged, or another bank's */
        if (kind == 7 || kind == 8) who = o[6] & 0x40 ? FX_BANK2 : h.r.who;
        state_program pg;
        CHECK(state_program_get(&f->kv, pool, strlen(pool), &pg) == CF_OK);
        int64_t due = (int64_t)pg.share_num * h.amount / pg.share_den;
        int64_t exact = o[6] & 1 ? amount : kind == 10 ? due : h.amount;
        int bank = o[1] & 0x80 ? who : o[1] & 1 ? FX_BANK2 : FX_BANK;
        switch (kind) {
        case 0: e = fx_contribution(f, who, proj, round, prog, amount, t); break;
        case 1: e = fx_match(f, o[1] & 0x80 ? who : FX_FUND, prog ? prog : "ind", proj, round, t, k, c); break;
        case 2: e = fx_exit(f, who, proj, amount, t); break;
        case 3: e = fx_deposit(f, op, pool, amount, t); break;
        case 4: e = fx_withdraw(f, op, pool, amount, t); break;
        case 5: e = fx_loan(f, bank, pool, proj, amount, o[7] % 120 + 1, t); break;
        case 6: e = fx_guarantee(f, op, pool, &h.r, exact, t); break;
        case 7: e = fx_repay(f, who, &h.r, amount % (h.amount + 1) + 1, t); break;
        case 8: e = fx_default(f, who, &h.r, amount % (h.amount + 1) + 1, t); break;
        case 9: e = fx_release(f, op, pool, &h.r, exact, t); break;
        case 10: e = fx_compensation(f, op, pool, &h.r, exact > 0 ? exact : 1, t); break;
        case 11: {
            int64_t price = amount < AMOUNT_FEN_MAX / 100 ? amount * 100 : amount, down = price * (o[6] % 50) / 100 + (o[7] & 3) - 1;
            int64_t fin = price * (o[7] % 90) / 100;
            e = fx_lease(f, o[1] & 0x80 ? who : FX_LESSOR, "lease", proj, price, down < 0 ? 0 : down,
                         fin, price - (down < 0 ? 0 : down) - fin > 0 ? price - (down < 0 ? 0 : down) - fin : 0, t);
            break;
        }
        case 13: case 14: { /* R-KEY */
            static state_member km;
            state_tip tip;
            if (state_member_get(&f->kv, f->keys[who], &km) != CF_OK ||
                state_tip_get(&f->kv, f->keys[who], &tip) != CF_OK)
                continue;
            e = fx_entry(f, FX_GOV, kind == 13 ? ENTRY_REKEY : ENTRY_RETIRE, t);
            e.body.rekey.name = entry_text_of(km.name, strlen(km.name));
            memcpy(e.body.rekey.key, f->keys[FX_OUTSIDER], 32);
            e.body.rekey.close = tip.applied + (o[7] & 1);
            break;
        }
        default: e = fx_award(f, op, "award", o[2] & 32 ? "p3" : proj,
                              o[6] & 1 ? amount : o[6] & 2 ? FX_YUAN(500000) : FX_YUAN(100000),
                              2025 + (o[7] & 1), t);
        }
        if (kind == 1 && (k == 0 || e.body.match.amount_fen > AMOUNT_FEN_MAX)) e.body.match.amount_fen = amount;
        uint8_t before[32], after[32];
        fx_digest(f, before, NULL);
        int rc = fx_push(f, &e);
        if (rc != CF_OK) {
            fx_digest(f, after, NULL);
            CHECK((rc == CF_EREJECTED || rc == CF_EPENDING) && memcmp(before, after, 32) == 0);
            continue;
        }
        fx_ref r = {who, e.index, {0}};
        memcpy(r.leaf, f->leaf, 32);
        if (kind == 0 && nrefs < 64) refs[nrefs++] = r;
        if (kind == 5 && nl < 64) r.who = bank, loans[nl++] = (held_ref){r, amount};
        if (kind == 7 && nr < 64) repays[nr++] = (held_ref){r, e.body.repay.amount_fen};
        if (kind == 8 && nd < 64) defaults[nd++] = (held_ref){r, e.body.loan_default.loss_fen};
        state_disputed x; /* cites a closed feed past its closing (R-KEY): changes nothing */
        bool disputed = state_disputed_get(&f->kv, e.author, e.index, &x) == CF_OK;
        if (kind == 10 && !disputed) paid[strcmp(pool, "pool") != 0] += e.body.compensation.amount_fen;
        for (int i = 0; i < 3 && kind == 1; i++)
            if (strcmp(programs[i], prog ? prog : "ind") == 0) deployed[i] += e.body.match.amount_fen;
        check(f, kind);
    }
    fx_free(f);
    return 0;
}
