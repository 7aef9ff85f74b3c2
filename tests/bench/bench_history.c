/* bench_history.c — figures 3, 4 and 5 over a large history.
 *
 * The history: three investors contribute over three years of (past) time,
 * to a few hundred projects, mostly asking one of three programs to match;
 * investor-a's feed alone holds opts.entries entries (1,000,000 by default),
 * the two others 2% of that each. Every feed is written by its own home
 * through append_entries in batches of 10,000 (each batch is also appended to
 * a baseline environment: figure 1b). The fund imports every investor's
 * bundle (investor-a's import is figure 3), then matches contributions in
 * time order through append_entries, each match citing 1-3 contributions of
 * one (program, project, round) (figure 1c). The fund's home then holds
 * everything: figure 4 (inclusion proofs in investor-a's feed) and figure 5
 * (positions, program status) run there.
 */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bench.h"
#include "crypto/cf_error.h"
#include "crypto/merkle.h"
#include "home/bundle_io.h"
#include "home/state_kv.h"
#include "ledger/query.h"
#include "store/store.h"

#define BULK_BATCH 10000
#define ARENA_BYTES_PER_ENTRY 1024 /* contributions ~200 B, 3-cite matches ~500 B */
#define DAY_MS UINT64_C(86400000)
#define SPAN_MS (3 * 365 * DAY_MS)
#define MATCH_CITES_MAX 3
#define MATCH_PERCENT 55 /* share of completed groups the fund matches */
#define INVESTORS 3
#define PROOFS 10000

typedef struct {
    uint64_t time_ms;
    int64_t amount_fen;
    uint32_t index;  /* in its investor's feed */
    uint16_t project;
    uint8_t round;
    int8_t program;  /* -1: none */
    uint8_t inv;     /* 0 investor-a, 1 investor-c, 2 investor-d */
} contrib;

typedef struct {
    uint64_t time_ms;
    uint16_t project;
    uint8_t program, round, ncites;
    struct {
        uint8_t inv;
        uint32_t index;
        int64_t alloc_fen;
    } cites[MATCH_CITES_MAX];
} match;

typedef struct {
    bench_world *w;
    bench_rng rng;
    contrib *plan[INVESTORS];
    size_t nplan[INVESTORS];
    match *matches;
    size_t nmatches;
    bench_home *inv[INVESTORS];
    /* the batch being appended, its encodings for the baseline */
    entry *es;
    uint8_t *arena;
    const uint8_t **bytes;
    size_t *lens;
    uint64_t t_app, t_base, t_byp, n_app; /* t_byp: the same batches through the bypass */
} history;

static double secs(uint64_t ns)
{
    return (double)ns / 1e9;
}

/* ---- the plan ------------------------------------------------------------- */

static void plan_contributions(history *hs, uint64_t base_ms)
{
    const bench_net *net = &hs->w->net;
    uint64_t n_a = hs->w->o->entries;
    uint64_t n_small = n_a / 50 > 100 ? n_a / 50 : 100;
    for (int k = 0; k < INVESTORS; k++) {
        size_t n = (size_t)(k == 0 ? n_a : n_small);
        contrib *p = calloc(n, sizeof *p);
        if (p == NULL) bench_die("out of memory");
        for (size_t i = 0; i < n; i++) {
            p[i].time_ms = base_ms + (uint64_t)((double)i * (double)SPAN_MS / (double)n) + (uint64_t)k;
            p[i].amount_fen = (int64_t)(10000 + bench_rng_below(&hs->rng, 4990001)) * 100;
            p[i].index = (uint32_t)i;
            p[i].project = (uint16_t)bench_rng_below(&hs->rng, net->nprojects);
            p[i].round = (uint8_t)bench_rng_below(&hs->rng, BENCH_ROUNDS);
            /* 30% each program, 10% no program. */
            uint64_t r = bench_rng_below(&hs->rng, 10);
            p[i].program = (int8_t)(r < 9 ? (int)(r / 3) : -1);
            p[i].inv = (uint8_t)k;
        }
        hs->plan[k] = p;
        hs->nplan[k] = n;
    }
}

/* Walk all contributions in time order; per (program, project, round) keep
 * the unmatched ones (within the program's window) and, when a group holds
 * its target of 1-3, match them all (MATCH_PERCENT of the time) at the
 * latest one's time. Matches come out in time order: the fund's feed. */
static void plan_matches(history *hs)
{
    const bench_net *net = &hs->w->net;
    size_t groups = (size_t)BENCH_PROGRAMS * net->nprojects * BENCH_ROUNDS;
    struct group {
        const contrib *pending[MATCH_CITES_MAX];
        uint8_t n, target;
    } *g = calloc(groups, sizeof *g);
    size_t total = hs->nplan[0] + hs->nplan[1] + hs->nplan[2];
    hs->matches = calloc(total / 2 + 1, sizeof *hs->matches);
    if (g == NULL || hs->matches == NULL) bench_die("out of memory");
    size_t pos[INVESTORS] = {0};
    for (size_t done = 0; done < total; done++) {
        int k = -1;
        for (int i = 0; i < INVESTORS; i++)
            if (pos[i] < hs->nplan[i] &&
                (k < 0 || hs->plan[i][pos[i]].time_ms < hs->plan[k][pos[k]].time_ms))
                k = i;
        const contrib *c = &hs->plan[k][pos[k]++];
        if (c->program < 0) continue;
        struct group *gr = &g[((size_t)c->program * net->nprojects + c->project) * BENCH_ROUNDS +
                              c->round];
        uint64_t window_ms = (uint64_t)(net->window_days[c->program] - 1) * DAY_MS;
        while (gr->n > 0 && c->time_ms - gr->pending[0]->time_ms > window_ms) {
            memmove(gr->pending, gr->pending + 1, (size_t)(gr->n - 1) * sizeof gr->pending[0]);
            gr->n--;
        }
        if (gr->target == 0) gr->target = (uint8_t)(1 + bench_rng_below(&hs->rng, MATCH_CITES_MAX));
        gr->pending[gr->n++] = c;
        if (gr->n < gr->target) continue;
        if (bench_rng_below(&hs->rng, 100) < MATCH_PERCENT) {
            match *m = &hs->matches[hs->nmatches++];
            m->time_ms = c->time_ms;
            m->project = c->project;
            m->program = (uint8_t)c->program;
            m->round = c->round;
            m->ncites = gr->n;
            for (int i = 0; i < gr->n; i++) {
                const contrib *p = gr->pending[i];
                m->cites[i].inv = p->inv;
                m->cites[i].index = p->index;
                m->cites[i].alloc_fen = p->amount_fen * net->ratio_num[c->program] /
                                        net->ratio_den[c->program];
            }
        }
        gr->n = 0;
        gr->target = 0;
    }
    free(g);
}

/* ---- appending in bulk, beside the baseline -------------------------------- */

/* append_entries of a batch of investor-a's contributions / of the fund's
 * matches: kept out of line, and external so that the compiler does not fold
 * the two identical bodies into one, so that a profile can single out either
 * kind (valgrind --toggle-collect=match_append, docs/performance.md). */
void contrib_append(bench_home *bh, entry *es, size_t n) __attribute__((noinline));
void match_append(bench_home *bh, entry *es, size_t n) __attribute__((noinline));

void contrib_append(bench_home *bh, entry *es, size_t n)
{
    bench_append(bh, es, n, NULL);
}

void match_append(bench_home *bh, entry *es, size_t n)
{
    bench_append(bh, es, n, NULL);
}

static void bulk_append(history *hs, bench_home *bh, bench_env *base, size_t n)
{
    diag d;
    uint64_t t0 = bench_now_ns();
    if (bh == &hs->w->fund)
        match_append(bh, hs->es, n);
    else
        contrib_append(bh, hs->es, n);
    hs->t_app += bench_now_ns() - t0;
    uint8_t *p = hs->arena;
    for (size_t i = 0; i < n; i++) {
        bench_check(entry_encode(&hs->es[i], p, ARENA_BYTES_PER_ENTRY, &hs->lens[i], &d), &d,
                    "entry_encode");
        hs->bytes[i] = p;
        p += hs->lens[i];
    }
    t0 = bench_now_ns();
    bench_env_append(base, hs->bytes, hs->lens, n);
    hs->t_base += bench_now_ns() - t0;
    /* Last: the bypass fills in its own author, index and time. */
    t0 = bench_now_ns();
    bench_bypass_append(&hs->w->inv_x, hs->es, n);
    hs->t_byp += bench_now_ns() - t0;
    hs->n_app += n;
}

/* label's rate and its baseline's, against the goal ratio; then, labelled
 * ceiling, the same batches through the bypass: the rules taken out. */
static void bulk_result(history *hs, const char *label, const char *ceiling, double goal)
{
    char m[48], b[48];
    double ar = (double)hs->n_app / secs(hs->t_app), br = (double)hs->n_app / secs(hs->t_base);
    snprintf(m, sizeof m, "%.0f /s", ar);
    snprintf(b, sizeof b, "%.0f /s", br);
    bench_result_goal(label, m, ar, b, br, goal);
    double yr = (double)hs->n_app / secs(hs->t_byp);
    snprintf(m, sizeof m, "%.0f /s", yr);
    bench_result(ceiling, m, yr, b, br, NULL, -1);
    hs->t_app = hs->t_base = hs->t_byp = hs->n_app = 0;
}

static void write_feed(history *hs, int k, bench_env *base, bool measured)
{
    const bench_net *net = &hs->w->net;
    const contrib *p = hs->plan[k];
    uint64_t t0 = bench_now_ns();
    for (size_t i = 0; i < hs->nplan[k]; i += BULK_BATCH) {
        size_t n = hs->nplan[k] - i < BULK_BATCH ? hs->nplan[k] - i : BULK_BATCH;
        for (size_t j = 0; j < n; j++) {
            const contrib *c = &p[i + j];
            bench_contribution(net, &hs->es[j], c->project, c->round, c->program, c->amount_fen,
                               c->time_ms);
        }
        if (measured) {
            bulk_append(hs, hs->inv[k], base, n);
        } else {
            bench_append(hs->inv[k], hs->es, n, NULL);
        }
        if (measured && (i / BULK_BATCH) % 20 == 19)
            bench_note("%s: %zu entries, %.0f s", hs->inv[k]->h->name, i + n,
                       secs(bench_now_ns() - t0));
    }
}

static void write_matches(history *hs, bench_env *base)
{
    const bench_net *net = &hs->w->net;
    bench_home *fund = &hs->w->fund;
    for (size_t i = 0; i < hs->nmatches; i += BULK_BATCH) {
        size_t n = hs->nmatches - i < BULK_BATCH ? hs->nmatches - i : BULK_BATCH;
        store_txn *txn;
        bench_check(store_read_begin(fund->h->st, &txn), NULL, "read txn");
        for (size_t j = 0; j < n; j++) {
            const match *m = &hs->matches[i + j];
            entry *e = &hs->es[j];
            body_match *b = &e->body.match;
            memset(e, 0, sizeof *e);
            e->type = ENTRY_MATCH;
            e->time_ms = m->time_ms;
            b->program = entry_text_of(bench_program_ids[m->program],
                                       strlen(bench_program_ids[m->program]));
            b->project = entry_text_of(net->project_ids[m->project],
                                       strlen(net->project_ids[m->project]));
            b->round = entry_text_of(bench_round_ids[m->round], strlen(bench_round_ids[m->round]));
            b->ncites = m->ncites;
            for (int c = 0; c < m->ncites; c++) {
                entry_cite *ct = &b->cites[c];
                memcpy(ct->author, hs->inv[m->cites[c].inv]->h->self, 32);
                ct->index = m->cites[c].index;
                ct->amount_fen = m->cites[c].alloc_fen;
                b->amount_fen += ct->amount_fen;
                bench_check(store_leaf_get(txn, ct->author, ct->index, ct->leaf), NULL,
                            "leaf of a cited contribution");
            }
        }
        store_read_end(txn);
        bulk_append(hs, fund, base, n);
    }
}

/* ---- figure 3: import -------------------------------------------------------- */

static double import_into(bench_home *bh, const char *bundle, import_result *r)
{
    diag d;
    uint64_t t0 = bench_now_ns();
    bench_check(bundle_io_import(bh->h, bundle, NULL, r, &d), &d, "node_import");
    return secs(bench_now_ns() - t0);
}

static void figure_import(history *hs, const char *bundle, uint64_t bundle_entries)
{
    bench_world *w = hs->w;
    char dir[HOME_PATH_MAX], m[48], b[48], label[96];
    import_result r;

    bench_path(dir, sizeof dir, w->o->dir, "base-import");
    bench_env *base = bench_env_open(dir);
    uint64_t t0 = bench_now_ns();
    uint64_t nb = bench_env_append_bundle(base, bundle);
    double t_base = secs(bench_now_ns() - t0);
    if (nb != bundle_entries) bench_die("baseline read %" PRIu64 " entries", nb);
    bench_note("baseline: %" PRIu64 " entries hashed and MDB_APPENDed in one txn: %.2f s", nb,
               t_base);

    store_info before, after;
    bench_check(store_get_info(w->fund.h->st, &before), NULL, "store_get_info");
    uint64_t w0 = bench_now_ns();
    double t_imp = import_into(&w->fund, bundle, &r);
    bench_note("import window, CLOCK_MONOTONIC (for perf report --time): %.6f,%.6f",
               (double)w0 / 1e9, (double)bench_now_ns() / 1e9);
    bench_check(store_get_info(w->fund.h->st, &after), NULL, "store_get_info");
    printf("  fund's map grew from %.0f MB to %.0f MB during the import (each doubling aborts "
           "the import's transaction and runs it again)\n",
           (double)before.map_bytes / 1e6, (double)after.map_bytes / 1e6);
    if (r.entries_new != hs->nplan[0] || r.applied != hs->nplan[0])
        bench_die("import stored %" PRIu64 " and applied %" PRIu64 " entries, expected %zu",
                  r.entries_new, r.applied, hs->nplan[0]);
    bench_note("fund imported %" PRIu64 " records (%" PRIu64 " new, applied): %.2f s",
               r.entries, r.entries_new, t_imp);
    double ir = (double)nb / t_imp, br = (double)nb / t_base;
    snprintf(m, sizeof m, "%.0f /s (%.1f s)", ir, t_imp);
    snprintf(b, sizeof b, "%.0f /s (%.1f s)", br, t_base);
    snprintf(label, sizeof label, "3. import of a %" PRIu64 "-entry bundle (joined home)", nb);
    bench_result_goal(label, m, ir, b, br, 0.4);

    if (w->o->presized_import) {
        /* The same import into a home whose map is already large enough:
         * shows what the map's grow-and-retry costs a large import. */
        bench_home tmp;
        setenv("COFUND_MAP_BYTES", "17179869184", 1); /* 16 GiB, sparse */
        bench_home_create(&tmp, w->o->dir, "presized");
        unsetenv("COFUND_MAP_BYTES");
        bench_net_join(&w->net, &tmp);
        double t_pre = import_into(&tmp, bundle, &r);
        double pr = (double)nb / t_pre;
        snprintf(m, sizeof m, "%.0f /s (%.1f s)", pr, t_pre);
        bench_result_goal("3. same import, map pre-sized (no grow-and-retry)", m, pr, b, br, 0.4);
        bench_home_close(&tmp);
        bench_rmtree(tmp.dir);
    }
    /* Figures 4 and 5 read this environment (as many keys as the import). */
    w->base = base;
    w->txn_ns = bench_env_txn_ns(base);
}

/* ---- figure 4: inclusion proofs ------------------------------------------------ */

/* Pass 1 reaches most pages of the map for the first time (a fresh process
 * pays these page faults: the CLI's `cofund proof`); pass 2 repeats the
 * same indices on a warm map (a running daemon). The baseline reads random
 * keys of figure 3's baseline environment (as many keys) the same way. */
static void figure_proofs(history *hs)
{
    bench_world *w = hs->w;
    const uint8_t *author = hs->inv[0]->h->self;
    uint64_t size = hs->nplan[0];
    uint8_t proof[MERKLE_PROOF_MAX][MERKLE_HASH_BYTES], root[32], leaf[32];
    size_t np;
    char m[48], b[48], label[96];
    double *t = malloc(PROOFS * sizeof *t), *tb = malloc(PROOFS * sizeof *tb);
    uint64_t *idx = malloc(PROOFS * sizeof *idx), *keys = malloc(PROOFS * sizeof *keys);
    store_txn *txn;
    if (!t || !tb || !idx || !keys) bench_die("out of memory");
    for (size_t i = 0; i < PROOFS; i++) {
        idx[i] = bench_rng_below(&hs->rng, size);
        keys[i] = bench_rng_below(&hs->rng, bench_env_count(w->base));
    }

    bench_check(store_read_begin(w->fund.h->st, &txn), NULL, "read txn");
    /* Sanity: a proof verifies against the root. */
    bench_check(store_root(txn, author, size, root), NULL, "store_root");
    bench_check(store_leaf_get(txn, author, idx[0], leaf), NULL, "store_leaf_get");
    bench_check(store_inclusion_proof(txn, author, idx[0], size, proof, &np), NULL, "proof");
    bench_check(merkle_verify_inclusion(leaf, 32, idx[0], size, &proof[0][0], np * 32, root, 32),
                NULL, "proof verification");
    store_read_end(txn);
    static const char *const pass_name[2] = {"first touch", "warm"};
    for (int pass = 0; pass < 2; pass++) {
        bench_check(store_read_begin(w->fund.h->st, &txn), NULL, "read txn");
        for (size_t i = 0; i < PROOFS; i++) {
            uint64_t t0 = bench_now_ns();
            int err = store_inclusion_proof(txn, author, idx[i], size, proof, &np);
            t[i] = (double)(bench_now_ns() - t0);
            bench_check(err, NULL, "store_inclusion_proof");
        }
        store_read_end(txn);
        bench_env_gets(w->base, keys, tb, PROOFS);
        double mean = bench_mean(t, PROOFS), p99 = bench_percentile(t, PROOFS, 99.0);
        double bmean = bench_mean(tb, PROOFS), bp99 = bench_percentile(tb, PROOFS, 99.0);
        printf("  %s: proof mean %.2f us, median %.2f, p99 %.2f, max %.2f; "
               "one read mean %.2f us, p99 %.2f\n",
               pass_name[pass], mean / 1e3, bench_percentile(t, PROOFS, 50.0) / 1e3, p99 / 1e3,
               t[PROOFS - 1] / 1e3, bmean / 1e3, bp99 / 1e3);
        snprintf(m, sizeof m, "%.2f us", mean / 1e3);
        snprintf(b, sizeof b, "%.2f us", bmean / 1e3);
        snprintf(label, sizeof label, "4. inclusion proof, %s, mean (%d random of %" PRIu64 ")",
                 pass_name[pass], PROOFS, size);
        bench_result(label, m, mean, b, bmean, "< 100 us", mean < 100e3);
        snprintf(m, sizeof m, "%.2f us", p99 / 1e3);
        snprintf(b, sizeof b, "%.2f us", bp99 / 1e3);
        snprintf(label, sizeof label, "4. inclusion proof, %s, p99", pass_name[pass]);
        bench_result(label, m, p99, b, bp99, "< 100 us", p99 < 100e3);
        if (pass == 1) w->read_ns = bmean;
    }
    printf("  (%zu hashes per proof; one read transaction begin+end %.2f us)\n", np,
           w->txn_ns / 1e3);
    free(t);
    free(tb);
    free(idx);
    free(keys);
}

/* ---- figure 5: queries ----------------------------------------------------------- */

struct query_job {
    int kind;              /* 0 positions, 1 program status, 2 returns */
    const uint8_t *holder; /* positions filters */
    const char *project;
    uint64_t as_of;
    const char *program;
    unsigned rows;
};

static int count_pos(void *arg, const query_position *p)
{
    (void)p;
    ((struct query_job *)arg)->rows++;
    return CF_OK;
}
static int count_return(void *arg, const query_return *r)
{
    (void)r;
    ((struct query_job *)arg)->rows++;
    return CF_OK;
}
static int count_year(void *arg, const query_year *y)
{
    (void)y;
    ((struct query_job *)arg)->rows++;
    return CF_OK;
}
static int count_project(void *arg, const query_project *p)
{
    (void)p;
    ((struct query_job *)arg)->rows++;
    return CF_OK;
}

/* One query as the CLI runs it: a read transaction, the query, the end. */
static double run_query(home *h, struct query_job *j)
{
    store_txn *txn;
    ledger_kv kv;
    state_program pg;
    query_totals t;
    int err;
    uint64_t t0 = bench_now_ns();
    bench_check(store_read_begin(h->st, &txn), NULL, "read txn");
    state_kv_init(&kv, txn);
    j->rows = 0;
    if (j->kind == 0) {
        err = query_positions(&kv, j->holder, j->project, j->as_of, count_pos, j);
    } else if (j->kind == 2) {
        err = query_returns(&kv, j->holder, NULL, j->as_of, 0, count_return, j);
    } else if ((err = state_program_get(&kv, j->program, strlen(j->program), &pg)) == 0 &&
               (err = query_program_totals(&kv, j->program, j->as_of, &t)) == 0 &&
               (err = query_program_years(&kv, j->program, j->as_of, count_year, j)) == 0) {
        err = query_program_projects(&kv, j->program, j->as_of, count_project, j);
    }
    store_read_end(txn);
    double ns = (double)(bench_now_ns() - t0);
    bench_check(err, NULL, "query");
    return ns;
}

static double time_query(history *hs, struct query_job *j, unsigned *rows, double *min)
{
    enum { WARM = 3 };
    unsigned reps = hs->w->o->quick ? 11 : 31;
    double t[64];
    for (unsigned i = 0; i < WARM; i++) run_query(hs->w->fund.h, j);
    for (unsigned i = 0; i < reps; i++) t[i] = run_query(hs->w->fund.h, j);
    *rows = j->rows;
    double med = bench_median(t, reps); /* sorts t */
    *min = t[0];
    return med;
}

static void query_row(history *hs, const char *what, struct query_job *j, bool goal)
{
    char m[48], b[48], label[96];
    unsigned rows;
    double min;
    double ns = time_query(hs, j, &rows, &min);
    snprintf(m, sizeof m, "%.0f us (min %.0f)", ns / 1e3, min / 1e3);
    snprintf(b, sizeof b, "%.2f us", hs->w->read_ns / 1e3);
    snprintf(label, sizeof label, "5. %s (%u rows), median", what, rows);
    bench_result(label, m, ns, b, hs->w->read_ns, goal ? "< 1 ms" : NULL,
                 goal ? ns < 1e6 : -1);
}

static void figure_queries(history *hs, uint64_t mid_ms)
{
    struct query_job j = {.kind = 0, .as_of = STATE_TIME_LATEST};
    query_row(hs, "positions, all", &j, true);
    j.holder = hs->inv[0]->h->self;
    query_row(hs, "positions --holder investor-a", &j, true);
    j.holder = NULL;
    j.project = hs->w->net.project_ids[0];
    query_row(hs, "positions --project p0000", &j, true);
    j.project = NULL;
    j.as_of = mid_ms;
    query_row(hs, "positions --as-of mid-history", &j, true);
    /* Returns read every contribution, match and exit: linear in the
     * history, no goal. */
    struct query_job r = {.kind = 2, .as_of = STATE_TIME_LATEST};
    query_row(hs, "returns, all", &r, false);
    for (int p = 0; p < BENCH_PROGRAMS; p++) {
        char what[64];
        struct query_job s = {.kind = 1, .as_of = STATE_TIME_LATEST,
                              .program = bench_program_ids[p]};
        snprintf(what, sizeof what, "program status %s", bench_program_ids[p]);
        query_row(hs, what, &s, true);
    }
}

/* ---- the whole history ----------------------------------------------------------- */

void bench_figures_history(bench_world *w)
{
    bench_opts *o = w->o;
    history hs = {.w = w, .inv = {&w->inv_a, &w->inv_c, &w->inv_d}};
    char dir[HOME_PATH_MAX], bundle[INVESTORS][HOME_PATH_MAX];
    bench_rng_init(&hs.rng, o->seed ^ UINT64_C(0x4157091));
    hs.es = calloc(BULK_BATCH, sizeof *hs.es);
    hs.arena = malloc((size_t)BULK_BATCH * ARENA_BYTES_PER_ENTRY);
    hs.bytes = calloc(BULK_BATCH, sizeof *hs.bytes);
    hs.lens = calloc(BULK_BATCH, sizeof *hs.lens);
    if (!hs.es || !hs.arena || !hs.bytes || !hs.lens) bench_die("out of memory");

    uint64_t base_ms = bench_wall_ms() - SPAN_MS - DAY_MS;
    plan_contributions(&hs, base_ms);
    plan_matches(&hs);
    printf("\n== history: investor-a %zu contributions, investor-c/-d %zu each, %zu matches\n",
           hs.nplan[0], hs.nplan[1], hs.nmatches);

    /* Investor-a's feed, beside the baseline (figure 1b). */
    bench_path(dir, sizeof dir, o->dir, "base-bulk");
    bench_env *base = bench_env_open(dir);
    uint64_t t0 = bench_now_ns();
    write_feed(&hs, 0, base, true);
    bench_note("investor-a: %zu entries in %.1f s", hs.nplan[0], secs(bench_now_ns() - t0));
    bulk_result(&hs, "1b. appends/s, batch 10,000, building the big feed",
                "1b. rules taken out (bypass), the same batches: the ceiling", 0.5);
    bench_env_close(base);
    bench_rmtree(dir);
    write_feed(&hs, 1, NULL, false);
    write_feed(&hs, 2, NULL, false);

    for (int k = 0; k < INVESTORS; k++) {
        export_result er;
        diag d;
        char leaf[sizeof hs.inv[k]->h->name + 8];
        snprintf(leaf, sizeof leaf, "%s.bundle", hs.inv[k]->h->name);
        bench_path(bundle[k], sizeof bundle[k], o->dir, leaf);
        t0 = bench_now_ns();
        bench_check(bundle_io_export(hs.inv[k]->h, bundle[k], &er, &d), &d, "node_export");
        if (k == 0)
            bench_note("export of investor-a: %" PRIu64 " entries, %.1f MB, %.1f s", er.entries,
                       (double)bench_du_bytes(bundle[k]) / 1e6, secs(bench_now_ns() - t0));
    }
    printf("  investor-a's home: %.0f MB on disk\n", (double)bench_du_bytes(w->inv_a.dir) / 1e6);

    /* Figure 3 (always: figures 4 and 5 need the import and its baseline
     * environment), then the other investors' feeds. */
    {
        store_txn *txn;
        store_feed gov;
        state_network net;
        ledger_kv kv;
        bench_check(store_read_begin(w->fund.h->st, &txn), NULL, "read txn");
        state_kv_init(&kv, txn);
        bench_check(state_network_get(&kv, &net), NULL, "network");
        bench_check(store_feed_get(txn, net.gov_key, &gov), NULL, "gov feed");
        store_read_end(txn);
        printf("\n== figure 3: import\n");
        figure_import(&hs, bundle[0], hs.nplan[0] + gov.size);
    }
    for (int k = 1; k < INVESTORS; k++) {
        import_result r;
        import_into(&w->fund, bundle[k], &r);
    }
    for (int k = 0; k < INVESTORS; k++) remove(bundle[k]);

    /* The fund's matches (figure 1c). */
    bench_path(dir, sizeof dir, o->dir, "base-match");
    base = bench_env_open(dir);
    t0 = bench_now_ns();
    write_matches(&hs, base);
    bench_note("fund: %zu matches in %.1f s", hs.nmatches, secs(bench_now_ns() - t0));
    bulk_result(&hs, "1c. match appends/s, batch 10,000 (1-3 citations)",
                "1c. rules taken out (bypass), the same batches: the ceiling", 0.4);
    bench_env_close(base);
    bench_rmtree(dir);

    store_info info;
    bench_check(store_get_info(w->fund.h->st, &info), NULL, "store_get_info");
    printf("  fund's home: %zu + %zu + %zu contributions, %zu matches; map %.0f MB, used %.0f MB, "
           "%.0f MB on disk\n",
           hs.nplan[0], hs.nplan[1], hs.nplan[2], hs.nmatches, (double)info.map_bytes / 1e6,
           (double)info.used_bytes / 1e6, (double)bench_du_bytes(w->fund.dir) / 1e6);

    /* Figure 5's baseline (a warm read) comes from figure 4's second pass. */
    if (o->figures & (FIG_PROOF | FIG_QUERY)) {
        printf("\n== figure 4: inclusion proofs\n");
        figure_proofs(&hs);
    }
    if (o->figures & FIG_QUERY) {
        printf("\n== figure 5: queries on the fund's home\n");
        figure_queries(&hs, base_ms + SPAN_MS / 2);
    }
    bench_env_close(w->base);
    w->base = NULL;
    bench_path(dir, sizeof dir, o->dir, "base-import");
    bench_rmtree(dir);
    for (int k = 0; k < INVESTORS; k++) free(hs.plan[k]);
    free(hs.matches);
    free(hs.es);
    free(hs.arena);
    free(hs.bytes);
    free(hs.lens);
}
