/* bench_replication.c — figure 7: replication of a large feed between two
 * real nodes over loopback TCP (docs/performance.md, docs/protocol.md).
 *
 * investor-a's feed (opts.entries contributions: figure 1b's feed when the
 * history ran, else appended here) is served by `cofund node run` on
 * investor-a's home; a new member, the auditor "replica" (registered by the
 * city and joined here, so both rosters know it), runs `cofund node run`
 * dialling it, and fetches everything. Timed from spawning the receiver to
 * its log line for the batch that ends at the feed's size (the batch is
 * applied in the transaction that stored it: protocol.md §4); the store is
 * checked afterwards (size and entries applied).
 *
 * Baselines, same run: the raw SHA-256 + MDB_APPEND of the same bundle's
 * entries in one transaction (bench_env_append_bundle, as figure 3) — the
 * goal is stated against it — and, for context, bundle_io_import of that bundle
 * into a joined home (the same verification and rules without the network).
 *
 * Memory: the receiving node's own memory (RssAnon + RssShmem of
 * /proc/PID/status, every poll, ~5 ms) at its peak, plus the resident pages
 * of its other file mappings (binary, libraries; /proc/PID/smaps every
 * ~100 ms) — that is, its resident set without the pages of its data.mdb
 * mapping (LMDB's map is the file's page cache, not the process's memory).
 * VmHWM, which includes the map, is printed beside it.
 *
 * The cofund binary: bench_cofund_path (bench.h).
 */
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <libgen.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "bench.h"
#include "crypto/cf_error.h"
#include "home/bundle_io.h"
#include "home/state_kv.h"
#include "store/store.h"

#define REPL_BATCH 10000
#define DAY_MS UINT64_C(86400000)
#define POLL_MS 5
#define SMAPS_EVERY_POLLS 20
#define READY_DEADLINE_S 60
#define SYNC_DEADLINE_S 3600

/* Resident kB of pid's file mappings: data.mdb's, and every other file's
 * (the binary, the libraries). False once the process is gone. */
static bool smaps_files(pid_t pid, uint64_t *other_kb, uint64_t *mdb_kb)
{
    char path[64], line[512];
    int kind = 0; /* of the current mapping: 0 anonymous, 1 a file, 2 data.mdb */
    snprintf(path, sizeof path, "/proc/%d/smaps", (int)pid);
    FILE *f = fopen(path, "r");
    if (f == NULL) return false;
    *other_kb = *mdb_kb = 0;
    while (fgets(line, sizeof line, f)) {
        unsigned long long kb;
        if ((line[0] >= '0' && line[0] <= '9') || (line[0] >= 'a' && line[0] <= 'f')) {
            /* a mapping: "start-end perms offset dev inode [path]" (field
             * lines start with a capitalised name: "Rss:", "Pss:", ...) */
            size_t len = strlen(line);
            while (len > 0 && (line[len - 1] == '\n' || line[len - 1] == ' ')) line[--len] = '\0';
            const char *slash = strchr(line, '/');
            kind = slash == NULL ? 0
                   : len >= 9 && strcmp(line + len - 9, "/data.mdb") == 0 ? 2
                                                                          : 1;
        } else if (strncmp(line, "Rss:", 4) == 0 && sscanf(line + 4, "%llu", &kb) == 1) {
            if (kind == 1) *other_kb += kb;
            if (kind == 2) *mdb_kb += kb;
        }
    }
    fclose(f);
    return true;
}

/* RssAnon + RssShmem (memory that is the process's own) and VmHWM, in kB,
 * from /proc/PID/status: cheap enough to read every few ms. */
static bool status_mem(pid_t pid, uint64_t *own_kb, uint64_t *hwm_kb)
{
    char path[64], line[256];
    unsigned long long anon = 0, shmem = 0, hwm = 0;
    snprintf(path, sizeof path, "/proc/%d/status", (int)pid);
    FILE *f = fopen(path, "r");
    if (f == NULL) return false;
    while (fgets(line, sizeof line, f)) {
        sscanf(line, "RssAnon: %llu", &anon);
        sscanf(line, "RssShmem: %llu", &shmem);
        sscanf(line, "VmHWM: %llu", &hwm);
    }
    fclose(f);
    *own_kb = anon + shmem;
    *hwm_kb = hwm;
    return true;
}

static uint64_t feed_size(home *h, const uint8_t author[32], uint64_t *applied, uint64_t *last_ms)
{
    store_txn *txn;
    store_feed f;
    ledger_kv kv;
    state_tip tip;
    bench_check(store_read_begin(h->st, &txn), NULL, "read txn");
    int err = store_feed_get(txn, author, &f);
    if (err == CF_ENOTFOUND) f.size = 0;
    else bench_check(err, NULL, "store_feed_get");
    state_kv_init(&kv, txn);
    if (state_tip_get(&kv, author, &tip) != CF_OK) memset(&tip, 0, sizeof tip);
    store_read_end(txn);
    if (applied) *applied = tip.applied;
    if (last_ms) *last_ms = tip.last_time;
    return f.size;
}

/* investor-a's feed holds at least n entries (appended here if not). */
static uint64_t ensure_feed(bench_world *w, uint64_t n)
{
    bench_home *a = &w->inv_a;
    uint64_t last_ms, size = feed_size(a->h, a->h->self, NULL, &last_ms);
    if (size >= n) return size;
    bench_rng rng;
    bench_rng_init(&rng, w->o->seed ^ 0x6e6574u);
    entry *es = calloc(REPL_BATCH, sizeof *es);
    if (es == NULL) bench_die("out of memory");
    uint64_t t = bench_wall_ms() - DAY_MS;
    if (t < last_ms) t = last_ms;
    uint64_t t0 = bench_now_ns();
    while (size < n) {
        size_t k = n - size < REPL_BATCH ? (size_t)(n - size) : REPL_BATCH;
        for (size_t i = 0; i < k; i++)
            bench_contribution(&w->net, &es[i],
                               (unsigned)bench_rng_below(&rng, w->net.nprojects),
                               (unsigned)bench_rng_below(&rng, BENCH_ROUNDS), -1,
                               (int64_t)(10000 + bench_rng_below(&rng, 4990001)) * 100, t);
        bench_append(a, es, k, NULL);
        size += k;
    }
    free(es);
    bench_note("figure 7: appended investor-a's feed up to %" PRIu64 " entries in %.0f s", size,
               (double)(bench_now_ns() - t0) / 1e9);
    return size;
}

void bench_figure_replication(bench_world *w)
{
    const bench_opts *o = w->o;
    char cofund[HOME_PATH_MAX], gov_bundle[HOME_PATH_MAX], feed_bundle[HOME_PATH_MAX];
    char path[HOME_PATH_MAX], src_out[HOME_PATH_MAX], src_err[HOME_PATH_MAX];
    char rep_out[HOME_PATH_MAX], rep_log[HOME_PATH_MAX], port_file[HOME_PATH_MAX];
    char a_dir[HOME_PATH_MAX], m[48], b[48], label[96];
    import_result ir;
    export_result er;
    diag d;
    bench_cofund_path(cofund, sizeof cofund, "figure 7");
    printf("\n== figure 7: replication between two nodes on loopback (%s)\n", cofund);

    /* The feed, and a new member to receive it. */
    uint64_t n = ensure_feed(w, o->entries);
    bench_home rep, imp;
    bench_home_create(&rep, o->dir, "replica");
    entry me = {.type = ENTRY_MEMBER};
    memcpy(me.body.member.key, rep.h->self, 32);
    me.body.member.role = ROLE_AUDITOR;
    me.body.member.name = entry_text_of("replica", 7);
    bench_append(&w->net.city, &me, 1, NULL);
    bench_path(gov_bundle, sizeof gov_bundle, o->dir, "city-replica.bundle");
    bench_check(bundle_io_export(w->net.city.h, gov_bundle, &er, &d), &d, "export city");
    bench_check(bundle_io_import(w->inv_a.h, gov_bundle, w->net.net, &ir, &d), &d,
                "import the roster at investor-a");
    bench_check(bundle_io_import(rep.h, gov_bundle, w->net.net, &ir, &d), &d, "join (replica)");
    bench_path(feed_bundle, sizeof feed_bundle, o->dir, "investor-a-repl.bundle");
    bench_check(bundle_io_export(w->inv_a.h, feed_bundle, &er, &d), &d, "export investor-a");

    /* Baseline: raw SHA-256 + MDB_APPEND of the bundle's entries. */
    bench_path(path, sizeof path, o->dir, "base-repl");
    bench_env *env = bench_env_open(path);
    uint64_t t0 = bench_now_ns();
    uint64_t nb = bench_env_append_bundle(env, feed_bundle);
    double t_base = (double)(bench_now_ns() - t0) / 1e9;
    bench_env_close(env);
    bench_rmtree(path);
    double base_rate = (double)nb / t_base;

    /* The two nodes. The bench's own handles are closed while they run. */
    uint8_t author[32];
    memcpy(author, w->inv_a.h->self, 32);
    snprintf(a_dir, sizeof a_dir, "%s", w->inv_a.dir);
    bench_home_close(&w->inv_a);
    bench_home_close(&rep);
    bench_path(src_out, sizeof src_out, o->dir, "investor-a-node.out");
    bench_path(src_err, sizeof src_err, o->dir, "investor-a-node.log");
    bench_path(rep_out, sizeof rep_out, o->dir, "replica-node.out");
    bench_path(rep_log, sizeof rep_log, o->dir, "replica-node.log");
    bench_path(port_file, sizeof port_file, a_dir, "node.port");
    char *src_argv[] = {cofund, "--home", a_dir, "node", "run", "--listen", "127.0.0.1:0",
                        "--log-level", "warn", NULL};
    pid_t src = bench_spawn(src_argv, src_out, src_err);
    unsigned port = 0;
    for (uint64_t dl = bench_now_ns() + (uint64_t)READY_DEADLINE_S * 1000000000u;; bench_sleep_ms(POLL_MS)) {
        FILE *f = fopen(port_file, "r");
        if (f) {
            int ok = fscanf(f, "%u", &port) == 1;
            fclose(f);
            if (ok && port > 0) break;
        }
        if (bench_now_ns() > dl) bench_die("investor-a's node is not ready (see %s)", src_err);
    }
    char peer[32], needle[64];
    snprintf(peer, sizeof peer, "127.0.0.1:%u", port);
    snprintf(needle, sizeof needle, "..%" PRIu64 ": ", n);
    char *rep_argv[] = {cofund, "--home", rep.dir, "node", "run", "--peer", peer, NULL};
    t0 = bench_now_ns();
    pid_t rp = bench_spawn(rep_argv, rep_out, rep_log);

    /* Wait for the batch that ends at n, sampling the receiver's memory. */
    FILE *log = NULL;
    char line[1024];
    uint64_t own_kb, peak_own_kb = 0, other_kb, peak_other_kb = 0, mdb_kb, max_mdb_kb = 0;
    uint64_t hwm_kb = 0, samples = 0;
    bool done = false;
    uint64_t deadline = t0 + (uint64_t)SYNC_DEADLINE_S * 1000000000u, polls = 0;
    while (!done) {
        if (log == NULL) log = fopen(rep_log, "r");
        while (log && fgets(line, sizeof line, log))
            if (strstr(line, "feed investor-a ") && strstr(line, needle)) done = true;
        if (log) clearerr(log);
        if (done) break;
        if (!status_mem(rp, &own_kb, &hwm_kb))
            bench_die("the replica's node exited (see %s)", rep_log);
        samples++;
        if (own_kb > peak_own_kb) peak_own_kb = own_kb;
        if (polls++ % SMAPS_EVERY_POLLS == 0 && smaps_files(rp, &other_kb, &mdb_kb)) {
            if (other_kb > peak_other_kb) peak_other_kb = other_kb;
            if (mdb_kb > max_mdb_kb) max_mdb_kb = mdb_kb;
        }
        if (bench_now_ns() > deadline) bench_die("replication not done in %d s", SYNC_DEADLINE_S);
        bench_sleep_ms(POLL_MS);
    }
    double t_repl = (double)(bench_now_ns() - t0) / 1e9;
    if (status_mem(rp, &own_kb, &hwm_kb) && own_kb > peak_own_kb) peak_own_kb = own_kb;
    if (smaps_files(rp, &other_kb, &mdb_kb) && other_kb > peak_other_kb) peak_other_kb = other_kb;
    /* The peak without the map: the largest own memory seen, plus the
     * largest resident share of the other files (binary, libraries). */
    uint64_t peak_kb = peak_own_kb + peak_other_kb;
    if (log) fclose(log);
    bench_stop_node(rp, "the replica");
    bench_stop_node(src, "investor-a");

    /* Check what arrived: every entry stored and applied. */
    diag dd;
    bench_check(home_open(rep.dir, HOME_RDONLY, &rep.h, &dd), &dd, "reopen the replica");
    uint64_t applied, got = feed_size(rep.h, author, &applied, NULL);
    home_close(rep.h);
    rep.h = NULL;
    if (got != n || applied != n)
        bench_die("replica holds %" PRIu64 " and applied %" PRIu64 " of %" PRIu64 " entries", got,
                  applied, n);
    bench_check(home_open(a_dir, 0, &w->inv_a.h, &dd), &dd, "reopen investor-a");
    bench_check(home_load_keypair(w->inv_a.h, NULL, 0, &w->inv_a.kp, &dd), &dd, "investor-a key");

    /* Context: bundle_io_import of the same bundle into a joined home. */
    bench_home_create(&imp, o->dir, "replica-import");
    bench_check(bundle_io_import(imp.h, gov_bundle, w->net.net, &ir, &d), &d, "join (import)");
    t0 = bench_now_ns();
    bench_check(bundle_io_import(imp.h, feed_bundle, w->net.net, &ir, &d), &d, "node_import");
    double t_imp = (double)(bench_now_ns() - t0) / 1e9;
    bench_home_close(&imp);

    double rate = (double)n / t_repl, imp_rate = (double)n / t_imp;
    printf("  replica: %" PRIu64 " entries in %.2f s (%.0f /s) from spawning its node; "
           "node_import of the same bundle %.2f s (%.0f /s): replication / import %.2f\n",
           n, t_repl, rate, t_imp, imp_rate, rate / imp_rate);
    printf("  replica's memory: peak %.1f MiB without data.mdb = %.1f MiB of its own (RssAnon + "
           "RssShmem, %" PRIu64 " samples) + %.1f MiB of the binary and libraries; data.mdb "
           "resident at most %.1f MiB; VmHWM %.1f MiB with the map\n",
           (double)peak_kb / 1024, (double)peak_own_kb / 1024, samples,
           (double)peak_other_kb / 1024, (double)max_mdb_kb / 1024, (double)hwm_kb / 1024);
    snprintf(m, sizeof m, "%.0f /s (%.1f s)", rate, t_repl);
    snprintf(b, sizeof b, "%.0f /s (%.1f s)", base_rate, t_base);
    snprintf(label, sizeof label, "7. replication of a %" PRIu64 "-entry feed, 2 nodes, TCP", n);
    bench_result_goal(label, m, rate, b, base_rate, 0.3);
    snprintf(m, sizeof m, "%.0f /s (%.1f s)", imp_rate, t_imp);
    bench_result("7. the same feed by node_import (no network)", m, imp_rate, b, base_rate, NULL,
                 -1);
    snprintf(m, sizeof m, "%.1f MiB", (double)peak_kb / 1024);
    snprintf(b, sizeof b, "VmHWM %.0f MiB", (double)hwm_kb / 1024);
    bench_result("7. receiving node's peak RSS without data.mdb", m, (double)peak_kb / 1024, b, 0,
                 "< 64 MiB", peak_kb < 64 * 1024);
}
