/* test_rules_model.c — a randomized model test of the rule engine
 * (node/ledger/rules.h, DESIGN §5).
 *
 * The rules are restated in rules_model.c as a small, deliberately naive
 * model: plain arrays, loops over every entry, every total recomputed from a
 * log of effects, calendar years counted day by day from 1970. It shares
 * nothing with the engine but the entry codec (to build the bytes) and the
 * RFC 6962 leaf hash (to cite them). At least 10,000 random sequences of 20-80 entries
 * go through both — the engine over a fresh memkv, each entry at its author's
 * next index — and they must agree on every verdict (accepted, pending, or the
 * rejecting rule ID) and, after each sequence, on every position, program
 * total and per-year and per-project split, now and as of a time inside it.
 *
 * The model checks in the engine's documented order, so rule IDs are compared
 * exactly. The generator of the sequences is in rules_model_gen.c. Rekeys and
 * retires (R-KEY) close a key at the size of its feed or one above, never
 * behind it (that asks a home to rebuild its state, which this test does not
 * model): after every entry, the engine must not have asked for a rebuild.
 *
 * Seeds: COFUND_SEED=<master> replaces the default master seed, from which
 * each sequence's seed is derived; COFUND_SEQUENCE=<n> replays sequence n
 * alone, printing every entry and both verdicts; COFUND_SEQUENCES=<count>
 * runs more sequences (never fewer than 10,000).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <cmocka.h>

#include "crypto/cf_error.h"
#include "crypto/merkle.h"
#include "ledger/diag.h"
#include "ledger/entry.h"
#include "ledger/memkv.h"
#include "ledger/query.h"
#include "ledger/rules.h"
#include "rules_model.h"
#include "rules_model_gen.h"
#include "testutil.h"

#define SEQUENCES_MIN 10000
#define MASTER_SEED_DEFAULT UINT64_C(0xC0F0D20260508)
#define REPORTS_MAX 10 /* mismatches printed in full */

#define LABELS_MAX 48
static struct {
    uint64_t master;
    unsigned long long entries, mismatches;
    const char *labels[LABELS_MAX]; /* model verdicts, then mismatch kinds */
    unsigned long long counts[LABELS_MAX];
    const char *kinds[LABELS_MAX];
    unsigned long long kind_counts[LABELS_MAX];
    unsigned long long accepted[ENTRY__TYPES]; /* by entry type */
    unsigned long long disputed;               /* accepted entries citing past a closing */
} run;

static void count_label(const char **labels, unsigned long long *counts, const char *l)
{
    size_t i = 0;
    while (i < LABELS_MAX && labels[i] && strcmp(labels[i], l) != 0) i++;
    if (i == LABELS_MAX) return;
    labels[i] = l;
    counts[i]++;
}

__attribute__((format(printf, 3, 4))) static void mismatch(const seq *s, const char *kind,
                                                           const char *fmt, ...)
{
    count_label(run.kinds, run.kind_counts, kind);
    if (run.mismatches++ >= REPORTS_MAX && !s->verbose) return;
    va_list ap;
    va_start(ap, fmt);
    printf("MISMATCH [%s] sequence %llu (seed 0x%016llx): ", kind, (unsigned long long)s->number,
           (unsigned long long)s->seed);
    vprintf(fmt, ap);
    printf("\n  replay: COFUND_SEED=0x%llx COFUND_SEQUENCE=%llu\n",
           (unsigned long long)run.master, (unsigned long long)s->number);
    va_end(ap);
}


/* ---- the engine side -------------------------------------------------------------- */
static entry_text txt(const char *s) { return entry_text_of(s, strlen(s)); }

static void op_entry(const seq *s, const op *o, entry *e)
{
    memset(e, 0, sizeof *e);
    e->type = o->type;
    actor_key(o->author, e->author);
    e->index = o->index;
    e->time_ms = o->time;
    e->gov = o->gov;
    e->has_net = o->type != ENTRY_GENESIS;
    if (e->has_net) memcpy(e->net, s->net, 32);
    if (o->type == ENTRY_GENESIS)
        e->body.genesis = (body_genesis){.name = txt("model net"), .member = txt(actor_name[A_GOV]),
                                         .tz_min = s->m.tz_min};
    if (o->type == ENTRY_MEMBER) {
        actor_key(o->key, e->body.member.key);
        e->body.member.role = o->role;
        e->body.member.name = txt(actor_name[o->name]);
    }
    if (o->type == ENTRY_PROGRAM) {
        const prog_spec *g = &s->spec[o->program];
        body_program *b = &e->body.program;
        b->id = txt(program_name[o->program]);
        b->kind = txt(program_kind_name(g->kind));
        actor_key(g->operator_actor, b->operator_key);
        if (g->kind == PROGRAM_MATCH) {
            b->counterpart_roles = g->roles;
            b->ratio_num = g->num;
            b->ratio_den = g->den;
            b->window_days = g->window_days;
            b->has_cap = g->has_cap;
            b->cap_fen = g->cap;
            b->has_budget = g->has_budget;
            b->budget_fen = g->budget;
            b->start_ms = g->start;
        } else if (g->kind == PROGRAM_POOL) {
            b->leverage = g->leverage;
            b->share_num = g->num;
            b->share_den = g->den;
            b->has_size = g->has_size;
            b->size_fen = g->size;
        } else if (g->kind == PROGRAM_LEASING) {
            bool *has[3] = {&b->has_down, &b->has_financing, &b->has_advance};
            pct_range *r[3] = {&b->down, &b->financing, &b->advance};
            for (int i = 0; i < 3; i++) {
                *has[i] = g->has_bound[i];
                *r[i] = (pct_range){g->bound_min[i], g->bound_max[i]};
            }
        } else if (g->kind == PROGRAM_SUBSIDY) {
            b->basis = g->basis;
            b->share_num = g->num;
            b->share_den = g->den;
            b->has_cap = g->has_cap;
            b->cap_fen = g->cap;
            b->has_recipient_cap = g->has_rcap;
            b->recipient_cap_fen = g->rcap;
            b->has_budget = g->has_budget;
            b->budget_fen = g->budget;
        } else {
            b->nlevels = g->nlevels;
            for (size_t i = 0; i < g->nlevels; i++) b->levels_fen[i] = g->levels[i];
            b->has_budget = g->has_budget;
            b->budget_fen = g->budget;
            b->has_requires = g->requires;
            b->requires = CERT_DEMONSTRATION;
        }
    }
    if (o->type == ENTRY_PROJECT)
        e->body.project.id = e->body.project.name = txt(project_name[o->project]);
    if (o->type == ENTRY_CONTRIBUTION)
        e->body.contribution = (body_contribution){
            txt(project_name[o->project]), txt(round_name[o->round]), o->amount,
            o->program >= 0, o->program >= 0 ? txt(program_name[o->program]) : txt("")};
    if (o->type == ENTRY_MATCH) {
        body_match *b = &e->body.match;
        b->program = txt(program_name[o->program]);
        b->project = txt(project_name[o->project]);
        b->round = txt(round_name[o->round]);
        b->amount_fen = o->amount;
        b->ncites = o->ncites;
        for (size_t i = 0; i < o->ncites; i++) {
            actor_key(o->cites[i].actor, b->cites[i].author);
            b->cites[i].index = o->cites[i].index;
            memcpy(b->cites[i].leaf, o->cites[i].leaf, 32);
            b->cites[i].amount_fen = o->cites[i].amount;
            b->cites[i].has_read = o->cites[i].has_read;
            b->cites[i].read = o->cites[i].read;
        }
    }
    if (o->type == ENTRY_EXIT)
        e->body.exit = (body_exit){.project = txt(project_name[o->project]),
                                   .amount_fen = o->amount, .has_proceeds = o->has_proceeds,
                                   .proceeds_fen = o->proceeds};
    if (o->type == ENTRY_VALUATION)
        e->body.valuation = (body_valuation){txt(project_name[o->project]), o->amount};
    if (o->type == ENTRY_REKEY || o->type == ENTRY_RETIRE) {
        body_rekey *b = o->type == ENTRY_REKEY ? &e->body.rekey : &e->body.retire;
        b->name = txt(actor_name[o->name]);
        b->close = o->close;
        if (o->type == ENTRY_REKEY) actor_key(o->key, b->key);
    }
    entry_ref ref = {{0}, 0, {0}};
    if (o->ncites) {
        actor_key(o->cites[0].actor, ref.author);
        ref.index = o->cites[0].index;
        memcpy(ref.leaf, o->cites[0].leaf, 32);
    }
    entry_text program = txt(program_name[o->program < 0 ? 0 : o->program]);
    entry_text project = txt(project_name[o->project]);
    switch (o->type) {
    case ENTRY_DEPOSIT:
    case ENTRY_WITHDRAW: e->body.deposit = (body_pool_funds){program, o->amount}; break;
    case ENTRY_LOAN: e->body.loan = (body_loan){program, project, o->amount, o->term}; break;
    case ENTRY_GUARANTEE: e->body.guarantee = (body_guarantee){program, ref, o->amount}; break;
    case ENTRY_REPAY: e->body.repay = (body_repay){ref, o->amount}; break;
    case ENTRY_DEFAULT: e->body.loan_default = (body_default){ref, o->amount}; break;
    case ENTRY_COMPENSATION:
        e->body.compensation = (body_compensation){program, ref, o->amount};
        break;
    case ENTRY_RELEASE: e->body.release = (body_release){program, ref, o->amount}; break;
    case ENTRY_LEASE:
        e->body.lease = (body_lease){program, project, txt("press"), o->amount, o->parts[0],
                                     o->parts[1], o->parts[2]};
        break;
    case ENTRY_AWARD: e->body.award = (body_award){program, project, o->amount, o->year}; break;
    case ENTRY_AMEND:
        e->body.amend.terms.id = program;
        e->body.amend.terms.start_ms = o->from;
        e->body.amend.terms.has_cap = o->has_cap;
        e->body.amend.terms.cap_fen = o->cap;
        e->body.amend.terms.has_budget = o->has_budget;
        e->body.amend.terms.budget_fen = o->budget;
        break;
    case ENTRY_REVERSAL:
        e->body.reversal = (body_reversal){.entry = ref, .amount_fen = o->amount,
                                           .reason = txt("model")};
        break;
    case ENTRY_CERTIFY: {
        body_certify *b = &e->body.certify;
        *b = (body_certify){.kind = o->cert_kind, .project = project, .from = o->from,
                            .has_until = o->until != 0, .until = o->until,
                            .has_year = o->c_year, .year = o->year,
                            .has_product = o->c_product, .product = txt("robot"),
                            .has_price = o->c_price, .price_fen = o->price};
        break;
    }
    case ENTRY_REVOKE: e->body.revoke = (body_revoke){o->cert, o->from}; break;
    case ENTRY_SUBSIDY: {
        static const char *const sales[4] = {"s0", "s1", "s2", "s3"};
        body_subsidy *b = &e->body.subsidy;
        *b = (body_subsidy){.program = program, .project = project, .certification = o->cert,
                            .units = o->units, .price_fen = o->price, .amount_fen = o->amount,
                            .has_sale = o->sale >= 0, .has_lease = o->has_lease, .lease = ref};
        if (o->sale >= 0) b->sale = txt(sales[o->sale]);
        break;
    }
    default: break;
    }
}

static int engine_run(const seq *s, const op *o, uint8_t leaf[32], diag *d)
{
    static entry e; /* ~5 KiB of citation slots: keep it off the stack */
    uint8_t buf[ENTRY_BYTES_MAX], author[32];
    size_t len;
    op_entry(s, o, &e);
    if (entry_encode(&e, buf, sizeof buf, &len, d) != CF_OK)
        fail_msg("generator bug: entry_encode: %s", d->text);
    merkle_leaf_hash(buf, len, leaf);
    actor_key(o->author, author);
    return ledger_process(&s->kv, author, o->index, buf, len, NULL, d);
}

__attribute__((format(printf, 4, 5))) static void appendf(char *out, size_t cap, size_t *n,
                                                          const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    int k = *n < cap ? vsnprintf(out + *n, cap - *n, fmt, ap) : 0;
    va_end(ap);
    *n += k > 0 ? (size_t)k : 0;
}

static void describe(const seq *s, const op *o, char *out, size_t cap)
{
    const prog_spec *g = &s->spec[o->program < 0 ? 0 : o->program];
    size_t n = 0;
    out[0] = '\0';
    appendf(out, cap, &n, "%s#%llu t=%llu (boundary%+lld ms) gov=%llu %s ",
            actor_name[o->author], (unsigned long long)o->index, (unsigned long long)o->time,
            (long long)o->time - (long long)s->boundary, (unsigned long long)o->gov,
            entry_type_name(o->type));
    if (o->type == ENTRY_GENESIS) appendf(out, cap, &n, "tz=%d", s->m.tz_min);
    if (o->type == ENTRY_MEMBER)
        appendf(out, cap, &n, "key=%s role=%s name=%s", actor_name[o->key], role_name(o->role),
                actor_name[o->name]);
    if (o->type == ENTRY_PROGRAM)
        appendf(out, cap, &n,
                "%s operator=%s roles=0x%x ratio=%u:%u window=%ud cap=%lld budget=%lld "
                "start=boundary%+lld ms", program_name[o->program], actor_name[g->operator_actor],
                g->roles, g->num, g->den, g->window_days, g->has_cap ? (long long)g->cap : -1LL,
                g->has_budget ? (long long)g->budget : -1LL,
                (long long)g->start - (long long)s->boundary);
    if (o->type == ENTRY_PROGRAM && g->kind != PROGRAM_MATCH)
        appendf(out, cap, &n, " kind=%s leverage=%u share=%u:%u size=%lld bounds=%d:%u-%u "
                "%d:%u-%u %d:%u-%u levels=%zu budget=%lld", program_kind_name(g->kind),
                g->leverage, g->num, g->den, g->has_size ? (long long)g->size : -1LL,
                g->has_bound[0], g->bound_min[0], g->bound_max[0], g->has_bound[1],
                g->bound_min[1], g->bound_max[1], g->has_bound[2], g->bound_min[2],
                g->bound_max[2], g->nlevels, g->has_budget ? (long long)g->budget : -1LL);
    if (o->type == ENTRY_PROJECT) appendf(out, cap, &n, "%s", project_name[o->project]);
    if (o->type == ENTRY_REKEY)
        appendf(out, cap, &n, "name=%s key=%s close=%llu", actor_name[o->name],
                actor_name[o->key], (unsigned long long)o->close);
    if (o->type == ENTRY_RETIRE)
        appendf(out, cap, &n, "name=%s close=%llu", actor_name[o->name],
                (unsigned long long)o->close);
    if (o->type == ENTRY_REKEY || o->type == ENTRY_RETIRE) return;
    if (o->type == ENTRY_CONTRIBUTION || o->type == ENTRY_MATCH)
        appendf(out, cap, &n, "program=%s round=%s ",
                o->program < 0 ? "-" : program_name[o->program], round_name[o->round]);
    if (o->type == ENTRY_CONTRIBUTION || o->type == ENTRY_MATCH || o->type == ENTRY_EXIT)
        appendf(out, cap, &n, "project=%s amount=%lld", project_name[o->project],
                (long long)o->amount);
    if (o->type == ENTRY_EXIT && o->has_proceeds)
        appendf(out, cap, &n, " proceeds=%lld", (long long)o->proceeds);
    if (o->type >= ENTRY_DEPOSIT)
        appendf(out, cap, &n, "program=%s project=%s amount=%lld",
                program_name[o->program < 0 ? 0 : o->program], project_name[o->project],
                (long long)o->amount);
    if (o->type == ENTRY_LEASE)
        appendf(out, cap, &n, " parts %lld+%lld+%lld", (long long)o->parts[0],
                (long long)o->parts[1], (long long)o->parts[2]);
    if (o->type == ENTRY_AWARD) appendf(out, cap, &n, " year %u", o->year);
    if (o->type == ENTRY_CERTIFY)
        appendf(out, cap, &n, " %s year %d product %d price %d %lld from %llu until %llu",
                cert_kind_name(o->cert_kind), o->c_year, o->c_product, o->c_price,
                (long long)o->price, (unsigned long long)o->from, (unsigned long long)o->until);
    if (o->type == ENTRY_REVOKE)
        appendf(out, cap, &n, " cert %llu at %llu", (unsigned long long)o->cert,
                (unsigned long long)o->from);
    if (o->type == ENTRY_SUBSIDY)
        appendf(out, cap, &n, " cert %llu units %u price %lld sale %d lease %d",
                (unsigned long long)o->cert, o->units, (long long)o->price, o->sale,
                o->has_lease);
    if (o->type >= ENTRY_DEPOSIT && o->ncites)
        appendf(out, cap, &n, " ref %s#%llu leaf %02x%02x..", actor_name[o->cites[0].actor],
                (unsigned long long)o->cites[0].index, o->cites[0].leaf[0],
                o->cites[0].leaf[1]);
    if (o->type >= ENTRY_DEPOSIT) return;
    for (size_t i = 0; i < o->ncites; i++)
    {
        appendf(out, cap, &n, " cite %s#%llu leaf %02x%02x.. %lld", actor_name[o->cites[i].actor],
                (unsigned long long)o->cites[i].index, o->cites[i].leaf[0], o->cites[i].leaf[1],
                (long long)o->cites[i].amount);
        if (o->cites[i].has_read)
            appendf(out, cap, &n, " read %llu", (unsigned long long)o->cites[i].read);
    }
}

static const char *verdict_text(int code, const char *rule)
{
    return code == CF_OK        ? "accepted"
           : code == CF_EPENDING  ? "pending"
           : code == CF_EREJECTED ? rule
                                  : cf_strerror(code);
}

/* Submit o to both; false (after reporting) when they disagree. */
static bool step(seq *s, const op *o, int opno)
{
    char what[512];
    uint8_t leaf[32];
    diag d;
    verdict mv = m_check(&s->m, o);
    int rc = engine_run(s, o, leaf, &d);
    bool same = rc == mv.code && (rc != CF_EREJECTED || strcmp(d.rule, mv.rule) == 0);
    bool rebuild = true;
    assert_int_equal(state_rebuild_requested(&s->kv, &rebuild), CF_OK);
    if (rebuild) {
        describe(s, o, what, sizeof what);
        mismatch(s, "rebuild", "op %d: %s: the engine asks for a rebuild", opno, what);
        return false;
    }
    run.entries++;
    count_label(run.labels, run.counts, verdict_text(mv.code, mv.rule));
    if (s->verbose || !same) describe(s, o, what, sizeof what);
    if (s->verbose)
        printf("  op %2d %-9s %s%s%s\n", opno, verdict_text(rc, d.rule), what,
               d.text[0] ? " -- " : "", d.text);
    if (!same) {
        mismatch(s, "verdict", "op %d: %s\n  model: %s; engine: %s (%s)", opno, what,
                 verdict_text(mv.code, mv.rule), verdict_text(rc, d.rule), d.text);
        return false;
    }
    if (rc == CF_OK && m_cites_disputed(&s->m, o)) run.disputed++;
    if (rc == CF_OK) m_apply(&s->m, o, leaf);
    if (rc == CF_OK) run.accepted[o->type]++;
    if (rc == CF_OK && o->type == ENTRY_GENESIS) memcpy(s->net, leaf, 32);
    if (rc == CF_EPENDING) {
        s->has_pending[o->author] = true;
        s->pending[o->author] = *o;
    }
    return true;
}

/* ---- the final comparison ------------------------------------------------------ */
#define ROWS_MAX 32
typedef struct {
    size_t n;
    int key[ROWS_MAX]; /* project index (or -1), or year */
    int holder[ROWS_MAX];
    query_totals t[ROWS_MAX]; /* positions: deployed = amount, counterpart = project total */
} rows;

static int project_index(const char *name)
{
    for (int p = 0; p < NPROJ; p++)
        if (strcmp(name, project_name[p]) == 0) return p;
    return -1;
}

static int row_add(rows *r, int key, int holder, int64_t a, int64_t b)
{
    if (r->n < ROWS_MAX) {
        r->key[r->n] = key;
        r->holder[r->n] = holder;
        r->t[r->n] = (query_totals){.deployed_fen = a, .counterpart_fen = b};
    }
    r->n++;
    return 0;
}
/* The model keeps positions, not their parts: a holder that exited whole
 * (a row of net 0) is not one of its rows; every row's parts add up. */
static int row_position(void *arg, const query_position *p)
{
    int a = p->holder[0] - 0xA0;
    assert_true(p->exited_fen >= 0 && p->invested_fen - p->exited_fen == p->amount_fen);
    if (p->amount_fen == 0) return 0;
    return row_add(arg, project_index(p->project), a >= 0 && a < ACTORS ? a : -1, p->amount_fen,
                   p->project_total_fen);
}
static int row_year(void *arg, const query_year *y)
{
    return row_add(arg, y->year, 0, y->t.deployed_fen, y->t.counterpart_fen);
}
static int row_project(void *arg, const query_project *p)
{
    return row_add(arg, project_index(p->project), 0, p->t.deployed_fen, p->t.counterpart_fen);
}

/* Compare rows with the model's (key, holder) pairs over keys lo..hi and
 * holders 0..nh-1: the value of kind (and of kind2, or the key's total over
 * holders), and that the engine lists exactly the non-zero ones. */
static bool check_rows(const seq *s, const char *what, const rows *r, enum m_kind kind,
                       int a, int lo, int hi, int nh, int kind2, uint64_t as_of)
{
    const model *m = &s->m;
    bool ok = true;
    size_t expect = 0;
    long long T = as_of == STATE_TIME_LATEST ? -1 : (long long)as_of;
    for (int k = lo; k <= hi; k++)
        for (int h = 0; h < nh; h++)
            expect += m_sum(m, kind, a < 0 ? k : a, a < 0 ? h : k, as_of) != 0;
    for (size_t i = 0; i < r->n && i < ROWS_MAX; i++) {
        int k = r->key[i], h = r->holder[i];
        int64_t v1 = 0, v2 = 0;
        if (k >= lo && k <= hi && h >= 0 && h < nh) {
            v1 = m_sum(m, kind, a < 0 ? k : a, a < 0 ? h : k, as_of);
            for (int x = 0; kind2 < 0 && x < nh; x++) v2 += m_sum(m, kind, k, x, as_of);
            if (kind2 >= 0) v2 = m_sum(m, (enum m_kind)kind2, a, k, as_of);
        }
        if (r->t[i].deployed_fen != v1 || r->t[i].counterpart_fen != v2) {
            mismatch(s, what, "as of %lld: row %d/%s: engine %lld, %lld; model %lld, %lld", T, k,
                     nh > 1 && h >= 0 ? actor_name[h] : "-", (long long)r->t[i].deployed_fen,
                     (long long)r->t[i].counterpart_fen, (long long)v1, (long long)v2);
            ok = false;
        }
    }
    if (r->n != expect) {
        mismatch(s, what, "as of %lld (program %d): engine lists %zu rows, model %zu", T, a,
                 r->n, expect);
        ok = false;
    }
    return ok;
}

static bool check_instruments(const seq *s, uint64_t as_of);

/* Positions (amount, project total), then per program: totals, the split by
 * year and by project; then the other instruments. */
static bool check_state(const seq *s, uint64_t as_of)
{
    const model *m = &s->m;
    rows r = {0};
    assert_int_equal(query_positions(&s->kv, NULL, NULL, as_of, row_position, &r), CF_OK);
    bool ok = check_rows(s, "positions", &r, K_POS, -1, 0, NPROJ - 1, ACTORS, -1, as_of);
    for (int p = 0; p < NPROG; p++) {
        const char *pn = program_name[p];
        query_totals t;
        assert_int_equal(query_program_totals(&s->kv, pn, as_of, &t), CF_OK);
        int64_t d = m_sum(m, K_DEPLOYED, p, 0, as_of), c = m_sum(m, K_COUNTER, p, 0, as_of);
        int64_t q = m_sum(m, K_REQUESTED, p, 0, as_of), x = m_sum(m, K_DISPUTED, p, 0, as_of);
        if (t.deployed_fen != d || t.counterpart_fen != c || t.requested_fen != q ||
            t.disputed_fen != x) {
            mismatch(s, "totals", "as of %lld: program %s deployed/counterpart/requested/"
                     "disputed %lld/%lld/%lld/%lld; model %lld/%lld/%lld/%lld",
                     as_of == STATE_TIME_LATEST ? -1 : (long long)as_of, pn,
                     (long long)t.deployed_fen, (long long)t.counterpart_fen,
                     (long long)t.requested_fen, (long long)t.disputed_fen, (long long)d,
                     (long long)c, (long long)q, (long long)x);
            ok = false;
        }
        r.n = 0;
        assert_int_equal(query_program_years(&s->kv, pn, as_of, row_year, &r), CF_OK);
        ok &= check_rows(s, "years", &r, K_YEAR_DEPLOYED, p, s->year - 1, s->year + 2, 1,
                         K_YEAR_COUNTER, as_of);
        r.n = 0;
        assert_int_equal(query_program_projects(&s->kv, pn, as_of, row_project, &r), CF_OK);
        ok &= check_rows(s, "projects", &r, K_PROJ_DEPLOYED, p, 0, NPROJ - 1, 1, K_PROJ_COUNTER,
                         as_of);
    }
    char why[512];
    if (!check_returns(s, as_of, why, sizeof why)) {
        mismatch(s, "returns", "%s", why);
        ok = false;
    }
    return check_instruments(s, as_of) && ok;
}

/* The pool (totals and bank by bank), the leases and the awards by year and
 * level. */
typedef struct {
    const seq *s;
    uint64_t as_of;
    bool ok;
    size_t n;
} inst_job;

/* The identity of the member with this name (a stranger may have joined
 * under another actor's name; a rekeyed member has several keys). */
static int actor_by_name(const model *m, const char *name)
{
    for (int a = 0; a < ACTORS; a++)
        if (m->member[a].is && strcmp(actor_name[m->member[a].name], name) == 0)
            return m_identity(m, a);
    return -1;
}

static int bank_row(void *arg, const query_pool_bank *b)
{
    inst_job *j = arg;
    const model *m = &j->s->m;
    int a = actor_by_name(m, b->bank);
    const int64_t got[7] = {b->lent_fen,       b->repaid_fen,      b->loss_fen,
                            b->defaults,       b->guaranteed_fen,  b->released_fen,
                            b->compensated_fen};
    static const enum m_kind kinds[7] = {K_BANK_LENT, K_BANK_REPAID, K_BANK_LOSS, K_BANK_DEFAULTS,
                                         K_BANK_GUAR, K_BANK_REL,    K_BANK_COMP};
    bool any = false;
    for (int i = 0; i < 7; i++) {
        int64_t want = a < 0 ? -1 : m_sum(m, kinds[i], P_POOL, a, j->as_of);
        any |= got[i] != 0;
        if (got[i] != want) {
            mismatch(j->s, "pool banks", "as of %lld: bank %s figure %d: engine %lld, model %lld",
                     j->as_of == STATE_TIME_LATEST ? -1 : (long long)j->as_of, b->bank, i,
                     (long long)got[i], (long long)want);
            j->ok = false;
        }
    }
    j->n += any;
    return 0;
}

/* An award the engine lists as of as_of: standing then (R-REVERSE). */
static bool listed(const m_award *w, uint64_t as_of)
{
    return m_stands(w->time, w->reversed, as_of);
}

static int level_row(void *arg, const query_award_level *l)
{
    inst_job *j = arg;
    const model *m = &j->s->m;
    int64_t count = 0, total = 0;
    for (size_t i = 0; i < m->nawards; i++) {
        const m_award *w = &m->award[i];
        if (w->program == P_AWARD && (int)w->year == l->year && w->amount == l->level_fen &&
            listed(w, j->as_of)) {
            count++;
            total += w->amount;
        }
    }
    if (count != l->count || total != l->total_fen) {
        mismatch(j->s, "awards", "year %d level %lld: engine %lld awards, %lld; model %lld, %lld",
                 l->year, (long long)l->level_fen, (long long)l->count, (long long)l->total_fen,
                 (long long)count, (long long)total);
        j->ok = false;
    }
    j->n++;
    return 0;
}

static bool check_instruments(const seq *s, uint64_t as_of)
{
    const model *m = &s->m;
    inst_job j = {s, as_of, true, 0};
    long long T = as_of == STATE_TIME_LATEST ? -1 : (long long)as_of;
    /* the pool */
    state_program pg;
    memset(&pg, 0, sizeof pg);
    snprintf(pg.id, sizeof pg.id, "%s", program_name[P_POOL]);
    pg.leverage = s->spec[P_POOL].leverage;
    query_pool q;
    assert_int_equal(query_pool_totals(&s->kv, &pg, as_of, &q), CF_OK);
    int64_t banks[4] = {0, 0, 0, 0};
    static const enum m_kind bank_kinds[4] = {K_BANK_LENT, K_BANK_REPAID, K_BANK_LOSS,
                                              K_BANK_DEFAULTS};
    size_t nbanks = 0;
    for (int a = 0; a < ACTORS; a++) {
        bool any = false;
        for (int k = 0; k < 4; k++) banks[k] += m_sum(m, bank_kinds[k], P_POOL, a, as_of);
        for (int k = K_BANK_LENT; k <= K_BANK_COMP; k++)
            any |= m_sum(m, (enum m_kind)k, P_POOL, a, as_of) != 0;
        nbanks += any;
    }
    int64_t dep = m_sum(m, K_POOL_DEP, P_POOL, 0, as_of), wd = m_sum(m, K_POOL_WD, P_POOL, 0, as_of),
            comp = m_sum(m, K_POOL_COMP, P_POOL, 0, as_of),
            guar = m_sum(m, K_POOL_GUAR, P_POOL, 0, as_of),
            rel = m_sum(m, K_POOL_REL, P_POOL, 0, as_of);
    const int64_t got[10] = {q.deposited_fen, q.withdrawn_fen, q.compensated_fen, q.guaranteed_fen,
                             q.released_fen,  q.lent_fen,      q.repaid_fen,      q.loss_fen,
                             q.defaults,      q.headroom_fen};
    const int64_t want[10] = {dep, wd, comp, guar, rel, banks[0], banks[1], banks[2], banks[3],
                              (int64_t)pg.leverage * (dep - wd - comp) - (guar - rel)};
    for (int i = 0; i < 10; i++)
        if (got[i] != want[i] && !(i == 9 && dep - wd - comp <= 0 && got[i] == rel - guar)) {
            mismatch(s, "pool", "as of %lld: figure %d: engine %lld, model %lld", T, i,
                     (long long)got[i], (long long)want[i]);
            j.ok = false;
        }
    assert_int_equal(query_pool_banks(&s->kv, pg.id, as_of, bank_row, &j), CF_OK);
    if (j.n != nbanks) {
        mismatch(s, "pool banks", "as of %lld: engine lists %zu banks, model %zu", T, j.n, nbanks);
        j.ok = false;
    }
    /* leases, in all and by project */
    for (int p = -1; p < NPROJ; p++) {
        query_lease_totals t;
        assert_int_equal(query_lease_sum(&s->kv, p < 0 ? NULL : project_name[p],
                                         program_name[P_LEASE], as_of, &t), CF_OK);
        int64_t w[5] = {0, 0, 0, 0, 0};
        for (size_t i = 0; i < m->nleases; i++) {
            const m_lease *l = &m->lease[i];
            if (l->program != P_LEASE || !m_stands(l->time, l->reversed, as_of) ||
                (p >= 0 && l->project != p))
                continue;
            w[0]++;
            w[1] += l->price;
            for (int k = 0; k < 3; k++) w[2 + k] += l->parts[k];
        }
        const int64_t g[5] = {t.count, t.price_fen, t.part_fen[0], t.part_fen[1], t.part_fen[2]};
        for (int k = 0; k < 5; k++)
            if (g[k] != w[k]) {
                mismatch(s, "leases", "as of %lld, project %d: figure %d: engine %lld, model %lld",
                         T, p, k, (long long)g[k], (long long)w[k]);
                j.ok = false;
            }
    }
    /* awards by year and level */
    j.n = 0;
    assert_int_equal(query_award_levels(&s->kv, program_name[P_AWARD], as_of, level_row, &j),
                     CF_OK);
    size_t levels = 0;
    for (size_t i = 0; i < m->nawards; i++) {
        bool first = m->award[i].program == P_AWARD && listed(&m->award[i], as_of);
        for (size_t k = 0; k < i && first; k++)
            first = !(m->award[k].program == P_AWARD && listed(&m->award[k], as_of) &&
                      m->award[k].year == m->award[i].year &&
                      m->award[k].amount == m->award[i].amount);
        levels += first;
    }
    if (j.n != levels) {
        mismatch(s, "awards", "as of %lld: engine lists %zu year/levels, model %zu", T, j.n, levels);
        j.ok = false;
    }
    /* subsidies: the program's count and amount paid */
    query_subsidy_sum st;
    int64_t count;
    assert_int_equal(query_subsidy_totals(&s->kv, program_name[P_SUBSIDY], as_of, &st), CF_OK);
    int64_t paid = m_subsidized(m, P_SUBSIDY, -1, -1, as_of, &count);
    if (st.count != count || st.paid_fen != paid) {
        mismatch(s, "subsidies", "as of %lld: engine %lld subsidies, %lld paid; model %lld, %lld",
                 T, (long long)st.count, (long long)st.paid_fen, (long long)count,
                 (long long)paid);
        j.ok = false;
    }
    return j.ok;
}

/* ---- the test ------------------------------------------------------------------ */
static void run_sequence(uint64_t number, bool verbose)
{
    static seq s; /* ~80 KiB */
    uint64_t x = run.master, y = tu_rng_next(&x) ^ number; /* masters' streams never overlap */
    seq_init(&s, number, tu_rng_next(&y), verbose);
    memkv *mk = memkv_new(s.seed);
    assert_non_null(mk);
    memkv_bind(mk, &s.kv);
    if (verbose)
        printf("sequence %llu (seed 0x%016llx): tz %+d min, year %d, funds %d, investors %d, "
               "teams %d\n", (unsigned long long)number, (unsigned long long)s.seed,
               s.m.tz_min, s.year, 1 + s.present[A_FUND_B], 2 + s.present[A_INV_C],
               1 + s.present[A_TEAM_B]);
    op o = {.type = ENTRY_GENESIS, .author = A_GOV, .time = s.now};
    uint64_t t0 = s.now;
    bool ok = step(&s, &o, 0);
    int nops = OPS_MIN + (int)rnd(&s, OPS_MAX - OPS_MIN + 1);
    for (int i = 1; ok && i <= nops; i++) {
        gen_op(&s, &o);
        ok = step(&s, &o, i);
    }
    if (ok && check_state(&s, STATE_TIME_LATEST)) {
        /* and as of a time inside the sequence: mostly an entry's, or the ms before */
        uint64_t t = t0 + rnd(&s, s.now - t0 + 1);
        for (int a = 0; a < ACTORS && chance(&s, 70); a++)
            if (s.m.feed[a].n) t = s.m.feed[a].e[rnd(&s, s.m.feed[a].n)].time - rnd(&s, 2);
        check_state(&s, t);
    }
    memkv_free(mk);
}

static void test_rules_model_agrees_with_engine(void **state)
{
    (void)state;
    bool one;
    struct timespec t0, t1;
    run.master = tu_env_u64("COFUND_SEED", MASTER_SEED_DEFAULT, NULL);
    uint64_t only = tu_env_u64("COFUND_SEQUENCE", 0, &one);
    uint64_t count = tu_env_u64("COFUND_SEQUENCES", SEQUENCES_MIN, NULL);
    if (count < SEQUENCES_MIN) count = SEQUENCES_MIN;
    if (one) count = 1;
    printf("rules model: master seed 0x%llx (COFUND_SEED), %llu sequences\n",
           (unsigned long long)run.master, (unsigned long long)count);
    clock_gettime(CLOCK_MONOTONIC, &t0);
    for (uint64_t i = 0; i < count; i++) run_sequence(one ? only : i, one);
    clock_gettime(CLOCK_MONOTONIC, &t1);
    printf("rules model: %llu sequences, %llu entries in %.2f s; model verdicts:",
           (unsigned long long)count, run.entries,
           (double)(t1.tv_sec - t0.tv_sec) + (double)(t1.tv_nsec - t0.tv_nsec) / 1e9);
    for (size_t i = 0; i < LABELS_MAX && run.labels[i]; i++)
        printf(" %s %llu", run.labels[i], run.counts[i]);
    printf("\nrules model: accepted by type:");
    for (int t = 1; t < ENTRY__TYPES; t++)
        printf(" %s %llu", entry_type_name((enum entry_type)t), run.accepted[t]);
    printf("\nrules model: %llu accepted entries cite a closed feed past its closing "
           "(disputed)\n", run.disputed);
    for (size_t i = 0; i < LABELS_MAX && run.kinds[i]; i++)
        printf("rules model: %llu mismatches of kind %s\n", run.kind_counts[i], run.kinds[i]);
    assert_int_equal(run.mismatches, 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_rules_model_agrees_with_engine),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
