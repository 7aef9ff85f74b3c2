/* bench.h — shared pieces of cofund-bench, the on-demand benchmark harness
 * (docs/performance.md). Not a test: nothing here runs in the suite, and no
 * figure is ever compared against a time limit. Every figure is printed
 * beside a baseline measured in the same run: the raw SHA-256 and LMDB cost
 * of the same work (bench_lmdb.c).
 *
 * The harness dies on the first unexpected error (bench_die): a benchmark
 * that silently measured a failing path would be worse than none.
 */
#ifndef COFUND_BENCH_H
#define COFUND_BENCH_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include "crypto/keyfile.h"
#include "home/append.h"
#include "home/home.h"
#include "ledger/diag.h"
#include "ledger/entry.h"

/* ---- options ------------------------------------------------------------ */
enum bench_figure {
    FIG_APPEND = 1u << 0,  /* 1: appends per second, batches 1/100/1000 */
    FIG_RULES = 1u << 1,   /* 2: the rules' share of an append */
    FIG_IMPORT = 1u << 2,  /* 3: import of the big bundle */
    FIG_PROOF = 1u << 3,   /* 4: inclusion proofs in the big feed */
    FIG_QUERY = 1u << 4,   /* 5: positions and program status */
    FIG_AUDIT = 1u << 5,   /* 6: the offline audit of a big bundle (bench_audit.c) */
    FIG_REPLICATION = 1u << 6, /* 7: replication between two nodes (bench_replication.c) */
    FIG_DASHBOARD = 1u << 7,   /* 8: the dashboard's API on the fund's home (bench_dashboard.c) */
    FIG_ALL = 0xff,
    FIG_HISTORY = FIG_IMPORT | FIG_PROOF | FIG_QUERY, /* need the big history */
};

typedef struct {
    bool quick;
    uint64_t entries;      /* entries in the big feed (figures 3-5) */
    uint64_t seed;         /* every random choice derives from it */
    unsigned figures;      /* enum bench_figure bits */
    unsigned reps;         /* repetitions of the cheap measurements */
    unsigned projects;     /* projects registered by the city */
    uint64_t singles;      /* durable single appends measured (figure 1) */
    bool presized_import;  /* also import once into a pre-sized map */
    const char *dir;       /* work directory (created, removed unless keep) */
    bool keep;
} bench_opts;

/* ---- utilities (bench_util.c) ------------------------------------------- */
__attribute__((noreturn, format(printf, 1, 2))) void bench_die(const char *fmt, ...);
/* Die with d's message when err != CF_OK. */
void bench_check(int err, const diag *d, const char *what);
/* Progress and notes, to stderr (stdout carries the figures). */
__attribute__((format(printf, 1, 2))) void bench_note(const char *fmt, ...);

uint64_t bench_now_ns(void);     /* CLOCK_MONOTONIC */
uint64_t bench_wall_ms(void);    /* CLOCK_REALTIME, for entry times */
/* Sorts v; median / p-th percentile (0..100, nearest rank) of n values. */
double bench_median(double *v, size_t n);
double bench_percentile(double *v, size_t n, double p);
double bench_mean(const double *v, size_t n);

/* splitmix64: small, fast, and replays from its seed. */
typedef struct {
    uint64_t s;
} bench_rng;
void bench_rng_init(bench_rng *r, uint64_t seed);
uint64_t bench_rng_next(bench_rng *r);
uint64_t bench_rng_below(bench_rng *r, uint64_t n); /* n > 0 */

/* path = dir "/" leaf; dies when too long. */
void bench_path(char *out, size_t cap, const char *dir, const char *leaf);
void bench_rmtree(const char *path);
uint64_t bench_du_bytes(const char *path);
/* The first three fields of /proc/loadavg ("?" when unreadable): other
 * work on the machine shows up in every figure, so runs print it. */
const char *bench_loadavg(void);
/* "tmpfs" or "not tmpfs (ext4, ...)" for the file system holding path. */
const char *bench_fs_kind(const char *path);

/* Processes (figures 7 and 8): the cofund binary ($COFUND_BIN, else
 * ../../bin/cofund from this executable: the build tree's layout; who names
 * the figure when it is missing); argv[0] started with stdout and stderr
 * to the two files, returning once it exec'd; SIGTERM and a clean exit
 * awaited (dies otherwise). */
void bench_sleep_ms(unsigned ms);
void bench_cofund_path(char *out, size_t cap, const char *who);
pid_t bench_spawn(char *const argv[], const char *out_path, const char *err_path);
void bench_stop_node(pid_t pid, const char *who);

/* Results: one row per figure, printed as a Markdown table at the end.
 * ratio = measured / baseline. met: 1 met, 0 not met, -1 no goal. */
void bench_result(const char *figure, const char *measured_text, double measured,
                  const char *baseline_text, double baseline, const char *goal, int met);
/* bench_result for a rate against a goal of at least goal x the baseline
 * (">= 0.5x baseline"); goal 0: none. */
void bench_result_goal(const char *figure, const char *measured_text, double measured,
                       const char *baseline_text, double baseline, double goal);
void bench_print_results(void);

/* ---- homes and the network (bench_net.c) -------------------------------- */
typedef struct {
    char dir[HOME_PATH_MAX];
    home *h;
    keyfile_keypair kp;
} bench_home;

#define BENCH_PROGRAMS 3
#define BENCH_ROUNDS 3
extern const char *const bench_program_ids[BENCH_PROGRAMS];
extern const char *const bench_round_ids[BENCH_ROUNDS];

typedef struct {
    const char *root;
    bench_home city;
    uint8_t net[32];
    unsigned nprojects;
    char (*project_ids)[12]; /* "p0000" ... */
    uint32_t ratio_num[BENCH_PROGRAMS], ratio_den[BENCH_PROGRAMS];
    uint32_t window_days[BENCH_PROGRAMS];
    char bundle[HOME_PATH_MAX]; /* the city's export, for joining */
} bench_net;

/* A new home named name under root (root/name), opened, key loaded. */
void bench_home_create(bench_home *bh, const char *root, const char *name);
void bench_home_close(bench_home *bh);
/* append_entries with the real clock; dies unless every entry is accepted. */
void bench_append(bench_home *bh, entry *es, size_t n, append_result *res);
/* The same append with the rules taken out (bench_append.c, figure 2's
 * "bypass"): bh's own feed gets es (author, index, envelope and time filled
 * in), the tree and a signed checkpoint, in one durable commit; no state. */
void bench_bypass_append(bench_home *bh, entry *es, size_t n);

/* The city creates the network, registers members (role for each key),
 * BENCH_PROGRAMS programs operated by fund (starting at start_ms) and
 * nprojects projects, then exports the bundle that others join with. */
typedef struct {
    const bench_home *home;
    enum member_role role;
} bench_member;
void bench_net_create(bench_net *n, const char *root, unsigned nprojects,
                      const bench_member *members, size_t nmembers,
                      const uint8_t fund_key[32], uint64_t start_ms);
void bench_net_join(const bench_net *n, bench_home *bh);
void bench_net_free(bench_net *n);

/* A contribution entry (type and body only; append_entries fills the rest).
 * Text fields point at static strings or n's project table. */
void bench_contribution(const bench_net *n, entry *e, unsigned project, unsigned round,
                        int program, int64_t amount_fen, uint64_t time_ms);

/* ---- LMDB baselines (bench_lmdb.c) --------------------------------------- */
typedef struct bench_env bench_env;
/* A fresh environment in dir (created), default durability (like the store). */
bench_env *bench_env_open(const char *dir);
void bench_env_close(bench_env *e);
/* One write txn: per entry, SHA-256(0x00 || bytes) then MDB_APPEND under the
 * next index; one durable commit. */
void bench_env_append(bench_env *e, const uint8_t *const *bytes, const size_t *lens, size_t n);
/* The baseline for an import: read the bundle file's records, hash and
 * MDB_APPEND every entry record, in one txn; returns the entries appended. */
uint64_t bench_env_append_bundle(bench_env *e, const char *bundle_path);
/* Point reads (mdb_get of keys[i], each < count) in one read txn; per-read
 * times in ns into out[0..n). */
void bench_env_gets(bench_env *e, const uint64_t *keys, double *out, size_t n);
/* One read transaction, begun and ended: ns. */
double bench_env_txn_ns(bench_env *e);
uint64_t bench_env_count(bench_env *e);

/* ---- the figures --------------------------------------------------------- */
typedef struct {
    bench_opts *o;
    bench_net net;
    bench_home fund, inv_a, inv_b, inv_c, inv_d, inv_x;
    bench_env *base;     /* figure 3's baseline environment, read by 4 and 5 */
    double read_ns;      /* one warm LMDB point read (figure 5's baseline) */
    double txn_ns;       /* one read transaction begin + end */
} bench_world;

void bench_figures_append(bench_world *w);  /* figures 1 and 2 */
void bench_figures_history(bench_world *w); /* figures 3, 4 and 5 */
void bench_figure_audit(bench_world *w);    /* figure 6 */
void bench_figure_replication(bench_world *w); /* figure 7 */
void bench_figure_dashboard(bench_world *w);   /* figure 8 (after the history) */

#endif
