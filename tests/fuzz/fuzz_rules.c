/* fuzz_rules.c — the rule engine under input-chosen operations on the
 * fixture network (tests/unit/rules_fixture.h) plus a program "fz" whose
 * counterpart, ratio, window, cap and budget the first 4 bytes pick. Then
 * 8 bytes per operation: contribute / match (0-4 citations, maybe forged) /
 * exit, with amounts, members, projects, rounds, programs and time steps.
 * After each accepted entry the invariants must hold; after any other
 * verdict the state must be unchanged. A violation abort()s. */
#include "../unit/rules_fixture.c"

#include "query.h"

#define CHECK(c) ((c) ? (void)0 : (fprintf(stderr, "invariant: %s\n", #c), abort()))

static const char *const programs[3] = {"ind", "inc", "fz"};
static int64_t deployed[3]; /* the sum of accepted match amounts */
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

static void check(fx *f)
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
}

int LLVMFuzzerTestOneInput(const uint8_t *d, size_t n);
int LLVMFuzzerTestOneInput(const uint8_t *d, size_t n)
{
    static const int64_t scale[4] = {1, 100, 1000000, AMOUNT_FEN_MAX / 1000};
    static const int whos[4] = {FX_INV_A, FX_INV_B, FX_TEAM, FX_FUND};
    fx *f;
    if (n < 4 || (f = fx_setup()) == NULL) return 0;
    fx_program_spec fz = {"fz", FX_FUND, (uint32_t)(d[0] % 3 + 1) << ROLE_INVESTOR, d[1] % 4 + 1u,
                          d[1] / 4 % 4 + 1u, d[2] % 8, d[3] % 4 ? d[3] * INT64_C(10000) : 0,
                          d[2] / 8 % 4 * INT64_C(50000), FX_START};
    fx_add_program(f, &fz);
    fx_ref refs[64];
    size_t nrefs = 0;
    uint64_t t = fx_utc(2025, 12, 20, 0, 0, 0); /* matches cross into 2026 (+08:00) */
    memset(deployed, 0, sizeof deployed);
    for (const uint8_t *o = d + 4; o + 8 <= d + n && o < d + 4 + 8 * 64; o += 8) {
        int64_t amount = (o[3] | o[4] << 8) % 1000 * scale[o[0] >> 6] + 1;
        t = t + (uint64_t)(o[5] & 0x7f) * 6 * 3600000 - (o[5] & 0x80 ? 3600000 : 0);
        const char *prog = o[2] % 4 < 3 ? programs[o[2] % 4] : NULL;
        const char *proj = o[2] & 4 ? "p2" : "p1", *round = o[2] & 8 ? "B" : "A";
        int who = whos[o[1] % 4], kind = o[0] % 3;
        entry_cite c[4];
        size_t k = 0;
        for (; kind == 1 && k < o[6] % 5u && nrefs > 0; k++)
            c[k] = fx_cite(f, &refs[(o[7] + 7 * k) % nrefs], k ? (amount >> k) + 1 : amount);
        if (k > 0 && (o[6] & 0x80)) c[0].leaf[o[7] % 32] ^= 1; /* forged */
        entry e = kind == 0 ? fx_contribution(f, who, proj, round, prog, amount, t)
                : kind == 1 ? fx_match(f, o[1] & 0x80 ? who : FX_FUND, prog ? prog : "ind", proj, round, t, k, c)
                            : fx_exit(f, who, proj, amount, t);
        if (kind == 1 && (k == 0 || e.body.match.amount_fen > AMOUNT_FEN_MAX)) e.body.match.amount_fen = amount;
        uint8_t before[32], after[32];
        fx_digest(f, before, NULL);
        int rc = fx_push(f, &e);
        if (rc != CF_OK) {
            fx_digest(f, after, NULL);
            CHECK((rc == CF_EREJECTED || rc == CF_EPENDING) && memcmp(before, after, 32) == 0);
            continue;
        }
        if (kind == 0) refs[nrefs] = (fx_ref){who, e.index, {0}}, memcpy(refs[nrefs++].leaf, f->leaf, 32);
        for (int i = 0; i < 3 && kind == 1; i++)
            if (strcmp(programs[i], prog ? prog : "ind") == 0) deployed[i] += e.body.match.amount_fen;
        check(f);
    }
    fx_free(f);
    return 0;
}
