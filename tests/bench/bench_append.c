/* bench_append.c — figures 1 and 2: the author's write path.
 *
 * Figure 1: contributions by an investor appended through append_entries in
 * batches of 1, 100 and 1,000 (one durable commit per call), beside the
 * baseline: SHA-256 leaf hash + MDB_APPEND of the same entry bytes into a
 * fresh LMDB environment, same batches, one durable commit per batch.
 *
 * Figure 2: what the rules cost per entry, three ways, in the same run:
 *   - "bypass": append_entries's transaction with the rules
 *     (ledger_process_entry) taken out — envelope from the same batch
 *     cache, encode, the strict decode of the bytes, one leaf hash,
 *     store_append_hashed, tree, signed checkpoint — written to another
 *     investor's home; append_entries minus bypass is what the rules add to a
 *     real append;
 *   - the rules alone over the LMDB state, in a write transaction that is
 *     then aborted (the same entries append_entries would write next), run as
 *     append_entries runs them: decode, leaf hash, ledger_process_entry with
 *     one ledger_cache for the batch, through the batch's write-back cache
 *     (state_cache.h), whose flush is timed with them;
 *   - the same over an in-memory state (memkv) replayed from the same home:
 *     the rules' logic without LMDB.
 * Product and baseline run batch by batch, alternating which goes first;
 * figures are medians of per-batch times.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "bench.h"
#include "bundle/ckpt.h"
#include "crypto/cf_error.h"
#include "crypto/merkle.h"
#include "home/state_cache.h"
#include "home/state_kv.h"
#include "ledger/memkv.h"
#include "ledger/rules.h"
#include "store/store.h"

#define ABORT_SENTINEL 1 /* a store_write callback's "abort, on purpose" */

typedef struct {
    bench_world *w;
    bench_rng rng;
    entry *es;    /* the batch's entries */
    uint8_t *buf; /* their encodings, ENTRY_BYTES_MAX apart */
    const uint8_t **bytes;
    size_t *lens;
    size_t cap;
} round_ctx;

/* Random contributions of inv_b, time "now" (append_entries fills it); as in
 * the big history, 30% ask each program to match and 10% none. */
static void fill_contributions(round_ctx *c, size_t n)
{
    const bench_net *net = &c->w->net;
    for (size_t i = 0; i < n; i++) {
        uint64_t r = bench_rng_below(&c->rng, 10);
        int program = r < 9 ? (int)(r / 3) : -1;
        int64_t fen = (int64_t)(10000 + bench_rng_below(&c->rng, 4990001)) * 100;
        bench_contribution(net, &c->es[i], (unsigned)bench_rng_below(&c->rng, net->nprojects),
                           (unsigned)bench_rng_below(&c->rng, BENCH_ROUNDS), program, fen, 0);
    }
}

/* The exact bytes append_entries wrote: the envelope is filled in es. */
static void encode_all(round_ctx *c, size_t n)
{
    diag d;
    for (size_t i = 0; i < n; i++) {
        uint8_t *b = c->buf + i * ENTRY_BYTES_MAX;
        bench_check(entry_encode(&c->es[i], b, ENTRY_BYTES_MAX, &c->lens[i], &d), &d,
                    "entry_encode");
        c->bytes[i] = b;
    }
}

/* ---- the bypass: append_entries's transaction without the rules ------------ */
struct bypass_job {
    bench_home *bh;
    entry *es;
    size_t n;
    uint64_t now_ms;
};

static int bypass_txn(store_txn *txn, void *arg)
{
    struct bypass_job *j = arg;
    const uint8_t *self = j->bh->h->self;
    ledger_kv kv;
    ledger_cache cache;
    state_network net;
    state_tip tip, gov_tip;
    store_feed feed;
    store_appender app;
    entry dec;
    uint8_t buf[ENTRY_BYTES_MAX], root[32], leaf[32];
    size_t len;
    diag d;
    int err;

    /* As append_txn: the network and the tips read once, through the cache. */
    state_kv_init(&kv, txn);
    ledger_cache_init(&cache);
    if ((err = ledger_cache_network(&kv, &cache, &net)) != 0) return err;
    if ((err = ledger_cache_tip(&kv, &cache, self, &tip)) != 0) return err;
    err = store_feed_get(txn, self, &feed);
    if (err != CF_OK && err != CF_ENOTFOUND) return err;
    if ((err = store_append_begin(txn, self, &app)) != 0) return err;
    uint64_t index = store_append_size(&app);
    for (size_t i = 0; i < j->n; i++) {
        entry *e = &j->es[i];
        memcpy(e->author, self, 32);
        e->index = index + i;
        e->has_net = true;
        memcpy(e->net, net.net, 32);
        if ((err = ledger_cache_tip(&kv, &cache, net.gov_key, &gov_tip)) != 0) return err;
        e->gov = gov_tip.applied;
        e->time_ms = j->now_ms;
        if ((err = entry_encode_nocheck(e, buf, sizeof buf, &len, &d)) != 0 ||
            (err = entry_decode(buf, len, &dec, &d)) != 0)
            return err;
        merkle_leaf_hash(buf, len, leaf);
        /* (append_entries runs ledger_process_entry here) */
        if ((err = store_append_hashed(&app, buf, len, leaf)) != 0) return err;
    }
    if ((err = store_append_finish(&app, root)) != 0) return err;
    char ckpt[CKPT_SIGNED_BYTES_MAX];
    size_t ckpt_len;
    if ((err = ckpt_sign(net.net, self, j->bh->kp.sk, store_append_size(&app), root, ckpt, sizeof ckpt,
                         &ckpt_len)) != 0)
        return err;
    return store_checkpoint_put(txn, self, store_append_size(&app), ckpt, ckpt_len);
}

void bench_bypass_append(bench_home *bh, entry *es, size_t n)
{
    struct bypass_job j = {bh, es, n, bench_wall_ms()};
    int err = store_write(bh->h->st, bypass_txn, &j);
    bench_check(err, NULL, "bypass append");
}

/* ---- the rules alone ------------------------------------------------------ */

/* Encode the next n entries of bh's feed exactly as append_entries would. */
static void encode_next(round_ctx *c, bench_home *bh, size_t n)
{
    store_txn *txn;
    ledger_kv kv;
    state_network net;
    state_tip tip, gov_tip;
    diag d;
    bench_check(store_read_begin(bh->h->st, &txn), NULL, "read txn");
    state_kv_init(&kv, txn);
    bench_check(state_network_get(&kv, &net), NULL, "network");
    bench_check(state_tip_get(&kv, bh->h->self, &tip), NULL, "tip");
    bench_check(state_tip_get(&kv, net.gov_key, &gov_tip), NULL, "gov tip");
    store_read_end(txn);
    uint64_t now = bench_wall_ms();
    for (size_t i = 0; i < n; i++) {
        entry *e = &c->es[i];
        memcpy(e->author, bh->h->self, 32);
        e->index = tip.applied + i;
        e->has_net = true;
        memcpy(e->net, net.net, 32);
        e->gov = gov_tip.applied;
        e->time_ms = now > tip.last_time ? now : tip.last_time;
        uint8_t *b = c->buf + i * ENTRY_BYTES_MAX;
        bench_check(entry_encode(e, b, ENTRY_BYTES_MAX, &c->lens[i], &d), &d, "entry_encode");
        c->bytes[i] = b;
    }
}

struct rules_job {
    const uint8_t *author;
    uint64_t first_index;
    const uint8_t *const *bytes;
    const size_t *lens;
    size_t n;
    uint64_t ns;
};

/* The rules as append_entries runs them: the strict decode, the leaf hash and
 * ledger_process_entry, with one cache for the batch. */
static int process_all(const ledger_kv *kv, struct rules_job *j)
{
    diag d;
    ledger_cache cache;
    entry e;
    uint8_t leaf[32];
    uint64_t t0 = bench_now_ns();
    ledger_cache_init(&cache);
    for (size_t i = 0; i < j->n; i++) {
        int err = entry_decode(j->bytes[i], j->lens[i], &e, &d);
        if (err) bench_check(err, &d, "entry_decode");
        merkle_leaf_hash(j->bytes[i], j->lens[i], leaf);
        err = ledger_process_entry(kv, &cache, j->author, j->first_index + i, &e, leaf, &d);
        if (err == CF_EMAP_FULL) return err; /* store_write grows the map, calls again */
        if (err) bench_check(err, &d, "ledger_process_entry");
    }
    j->ns = bench_now_ns() - t0;
    return CF_OK;
}

static int rules_txn(store_txn *txn, void *arg)
{
    struct rules_job *j = arg;
    ledger_kv kv;
    state_cache sc;
    /* As append_txn: through the batch's write-back cache, whose flush (each
     * touched record written once) is part of what the rules cost. */
    state_cache_init(&sc, txn, &kv);
    int err = process_all(&kv, arg);
    if (err == CF_OK) {
        uint64_t t0 = bench_now_ns();
        err = state_cache_flush(&sc);
        j->ns += bench_now_ns() - t0;
    }
    state_cache_free(&sc);
    return err ? err : ABORT_SENTINEL; /* measured; write nothing */
}

/* ns per entry of the rules (process_all) over the LMDB state. */
static double rules_lmdb(round_ctx *c, bench_home *bh, size_t n)
{
    encode_next(c, bh, n);
    struct rules_job j = {bh->h->self, c->es[0].index, c->bytes, c->lens, n, 0};
    int err = store_write(bh->h->st, rules_txn, &j);
    if (err != ABORT_SENTINEL) bench_check(err, NULL, "rules in a txn");
    return (double)j.ns / (double)n;
}

struct replay {
    const ledger_kv *kv;
    const uint8_t *author;
};

static int replay_one(void *arg, uint64_t index, const uint8_t *bytes, size_t len)
{
    struct replay *r = arg;
    diag d;
    int err = ledger_process(r->kv, r->author, index, bytes, len, NULL, &d);
    if (err) bench_check(err, &d, "replay into memkv");
    return CF_OK;
}

/* ns per entry of the rules (process_all) over memkv holding the same state. */
static double rules_memkv(round_ctx *c, bench_home *bh, size_t n, bool latest_only)
{
    memkv *m = memkv_new(c->w->o->seed);
    ledger_kv kv;
    store_txn *txn;
    state_network net;
    ledger_kv skv;
    store_feed gov, own;
    if (m == NULL) bench_die("out of memory");
    memkv_bind(m, &kv);
    kv.latest_only = latest_only; /* as the offline audit keeps it */
    encode_next(c, bh, n);
    bench_check(store_read_begin(bh->h->st, &txn), NULL, "read txn");
    state_kv_init(&skv, txn);
    bench_check(state_network_get(&skv, &net), NULL, "network");
    bench_check(store_feed_get(txn, net.gov_key, &gov), NULL, "gov feed");
    struct replay r = {&kv, net.gov_key};
    bench_check(store_entries_each(txn, net.gov_key, 0, gov.size, replay_one, &r), NULL, "replay");
    if (store_feed_get(txn, bh->h->self, &own) == CF_OK) {
        r.author = bh->h->self;
        bench_check(store_entries_each(txn, bh->h->self, 0, own.size, replay_one, &r), NULL,
                    "replay");
    }
    store_read_end(txn);
    struct rules_job j = {bh->h->self, c->es[0].index, c->bytes, c->lens, n, 0};
    process_all(&kv, &j);
    memkv_free(m);
    return (double)j.ns / (double)n;
}

/* ---- figure 1 (and the inputs of figure 2) -------------------------------- */

static void grow(round_ctx *c, size_t n)
{
    if (n <= c->cap) return;
    free(c->es);
    free(c->buf);
    free(c->bytes);
    free(c->lens);
    c->es = calloc(n, sizeof *c->es);
    c->buf = malloc(n * ENTRY_BYTES_MAX);
    c->bytes = calloc(n, sizeof *c->bytes);
    c->lens = calloc(n, sizeof *c->lens);
    if (!c->es || !c->buf || !c->bytes || !c->lens) bench_die("out of memory");
    c->cap = n;
}

/* Per batch of each side: wall ns, and the thread's CPU ns and bytes
 * written by syscalls (wchar) to tell computing from waiting for the disk. */
typedef struct {
    double *app, *base, *byp;
    double *app_cpu, *base_cpu, *app_wr, *base_wr;
} batch_times;

static uint64_t cpu_ns(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
    return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

/* Bytes this process passed to write system calls so far (/proc/self/io). */
static uint64_t written_bytes(void)
{
    FILE *f = fopen("/proc/self/io", "r");
    char line[128];
    unsigned long long v = 0;
    if (f == NULL) return 0;
    while (fgets(line, sizeof line, f))
        if (sscanf(line, "wchar: %llu", &v) == 1) break;
    fclose(f);
    return (uint64_t)v;
}

/* nb batches of b entries, each appended through append_entries, the same
 * bytes through the baseline and the same bodies through the
 * bypass, batch by batch; the side that goes first alternates, so a slow
 * moment of the disk hits both sides alike. Durable commits on a shared
 * disk are noisy: medians of per-batch times are what the figures use. */
static void run_batches(round_ctx *c, bench_env *base, size_t b, size_t nb,
                        batch_times *t)
{
    bench_world *w = c->w;
    for (size_t k = 0; k < nb; k++) {
        bool product_first = k % 2 == 0;
        fill_contributions(c, b);
        for (int pass = 0; pass < 2; pass++) {
            if ((pass == 0) == product_first) {
                uint64_t w0 = written_bytes(), c0 = cpu_ns(), t0 = bench_now_ns();
                bench_append(&w->inv_b, c->es, b, NULL);
                if (t) {
                    t->app[k] = (double)(bench_now_ns() - t0);
                    t->app_cpu[k] = (double)(cpu_ns() - c0);
                    t->app_wr[k] = (double)(written_bytes() - w0);
                }
                encode_all(c, b); /* the baseline appends exactly these bytes */
            } else {
                /* Running first: encode what append_entries is about to write. */
                if (pass == 0) encode_next(c, &w->inv_b, b);
                uint64_t w0 = written_bytes(), c0 = cpu_ns(), t0 = bench_now_ns();
                bench_env_append(base, c->bytes, c->lens, b);
                if (t) {
                    t->base[k] = (double)(bench_now_ns() - t0);
                    t->base_cpu[k] = (double)(cpu_ns() - c0);
                    t->base_wr[k] = (double)(written_bytes() - w0);
                }
            }
        }
        /* The bypass, at every size: the same append with the rules taken
         * out bounds what any speed-up of the rules can reach. */
        uint64_t t0 = bench_now_ns();
        bench_bypass_append(&w->inv_x, c->es, b);
        if (t) t->byp[k] = (double)(bench_now_ns() - t0);
    }
}

static void fmt_rate(char *out, size_t cap, double r)
{
    snprintf(out, cap, "%.0f /s", r);
}

void bench_figures_append(bench_world *w)
{
    bench_opts *o = w->o;
    round_ctx c = {.w = w};
    char dir[HOME_PATH_MAX], m[48], b[48], label[96];
    bench_rng_init(&c.rng, o->seed ^ UINT64_C(0xa99e4d));
    /* Batches measured per size: the singles option, else enough batches
     * for a stable median within the time budget. */
    const struct {
        size_t b, nb;
    } sizes[3] = {{1, (size_t)o->singles * o->reps},
                  {100, (size_t)(o->quick ? 10 : 20) * o->reps},
                  {1000, (size_t)(o->quick ? 2 : 4) * o->reps}};
    double t_app = 0, t_base = 0, t_byp = 0;

    printf("\n== figures 1-2: appends through node_append (investor %s)\n", w->inv_b.h->name);
    for (int s = 0; s < 3; s++) {
        size_t bsz = sizes[s].b, nb = sizes[s].nb;
        bool fig2 = bsz == 1000;
        grow(&c, bsz);
        snprintf(label, sizeof label, "base-batch%zu", bsz);
        bench_path(dir, sizeof dir, o->dir, label);
        bench_env *base = bench_env_open(dir);
        batch_times t;
        double **arrays[] = {&t.app, &t.base, &t.byp, &t.app_cpu, &t.base_cpu, &t.app_wr,
                             &t.base_wr};
        for (size_t i = 0; i < sizeof arrays / sizeof arrays[0]; i++)
            if ((*arrays[i] = calloc(nb, sizeof(double))) == NULL) bench_die("out of memory");
        run_batches(&c, base, bsz, bsz == 1 ? 10 : 2, NULL); /* warm-up */
        run_batches(&c, base, bsz, nb, &t);
        double am = bench_median(t.app, nb), bm = bench_median(t.base, nb);
        double ar = (double)bsz * 1e9 / am, br = (double)bsz * 1e9 / bm;
        printf("  batch %zu, medians per batch: node_append %.0f us wall, %.0f us CPU, %.1f KB "
               "written; baseline %.0f us wall, %.0f us CPU, %.1f KB written\n",
               bsz, am / 1e3, bench_median(t.app_cpu, nb) / 1e3, bench_median(t.app_wr, nb) / 1e3,
               bm / 1e3, bench_median(t.base_cpu, nb) / 1e3, bench_median(t.base_wr, nb) / 1e3);
        fmt_rate(m, sizeof m, ar);
        fmt_rate(b, sizeof b, br);
        snprintf(label, sizeof label, "1. appends/s, batch %zu%s (median of %zu batches)", bsz,
                 bsz == 1 ? ", durable singles" : "", nb);
        /* Issue 16's goals: singles >= 0.8x, batches of 1,000 >= 0.5x (none
         * for 100). */
        double goal = bsz == 1 ? 0.8 : bsz == 1000 ? 0.5 : 0;
        bench_result_goal(label, m, ar, b, br, goal);
        double ym = bench_median(t.byp, nb);
        fmt_rate(m, sizeof m, (double)bsz * 1e9 / ym);
        snprintf(label, sizeof label, "1. rules taken out (bypass), batch %zu: the ceiling", bsz);
        bench_result(label, m, (double)bsz * 1e9 / ym, b, br, NULL, -1);
        if (fig2) {
            t_app = am / (double)bsz;
            t_base = bm / (double)bsz;
            t_byp = ym / (double)bsz;
        }
        for (size_t i = 0; i < sizeof arrays / sizeof arrays[0]; i++) free(*arrays[i]);
        bench_env_close(base);
        bench_rmtree(dir);
    }

    /* Figure 2: the rules alone, on the same home, the next 1000 entries. */
    double rl_ns[16], rm_ns[16], ra_ns[16];
    for (unsigned r = 0; r < o->reps; r++) {
        rl_ns[r] = rules_lmdb(&c, &w->inv_b, 1000);
        rm_ns[r] = rules_memkv(&c, &w->inv_b, 1000, false);
        ra_ns[r] = rules_memkv(&c, &w->inv_b, 1000, true);
    }
    double t_rl = bench_median(rl_ns, o->reps), t_rm = bench_median(rm_ns, o->reps);
    double t_ra = bench_median(ra_ns, o->reps);
    double added = t_app - t_byp;
    printf("\n== figure 2: the rules' cost per appended entry (batch 1000)\n");
    printf("  node_append            %8.2f us/entry\n", t_app / 1e3);
    printf("  append without rules   %8.2f us/entry  (bypass: same txn minus ledger_process_entry)\n",
           t_byp / 1e3);
    printf("  baseline               %8.2f us/entry  (SHA-256 + MDB_APPEND, durable commit)\n",
           t_base / 1e3);
    printf("  rules, LMDB state      %8.2f us/entry  (decode + leaf + ledger_process_entry + state flush, aborted txn)\n",
           t_rl / 1e3);
    printf("  rules, memkv state     %8.2f us/entry  (decode + leaf + ledger_process_entry, no LMDB)\n",
           t_rm / 1e3);
    printf("  ... latest points only %8.2f us/entry  (the same, series without history: the audit's state)\n",
           t_ra / 1e3);
    snprintf(m, sizeof m, "%.2f us", t_rl / 1e3);
    snprintf(b, sizeof b, "%.2f us", t_base / 1e3);
    bench_result("2. rules per entry (alone, LMDB state) vs append baseline", m, t_rl, b,
                 t_base, NULL, -1);
    snprintf(m, sizeof m, "%.2f us", added / 1e3);
    snprintf(b, sizeof b, "%.2f us", t_byp / 1e3);
    bench_result("2. node_append minus bypass vs append without rules", m, added, b, t_byp,
                 NULL, -1);
    snprintf(m, sizeof m, "%.2f us", t_rm / 1e3);
    snprintf(b, sizeof b, "%.2f us", t_base / 1e3);
    bench_result("2. rules per entry (alone, memkv state) vs append baseline", m, t_rm, b,
                 t_base, NULL, -1);
    snprintf(m, sizeof m, "%.2f us", t_ra / 1e3);
    bench_result("2. the same, latest points only (the audit's state)", m, t_ra, b, t_base,
                 NULL, -1);
    free(c.es);
    free(c.buf);
    free(c.bytes);
    free(c.lens);
}
