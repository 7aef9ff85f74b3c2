/* bench_util.c — clocks, statistics, the seeded generator, files and the
 * results table of cofund-bench (bench.h). */
#define _XOPEN_SOURCE 700 /* nftw */
#include "bench.h"

#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <libgen.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/vfs.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "crypto/cf_error.h"

void bench_die(const char *fmt, ...)
{
    va_list ap;
    fflush(stdout);
    fputs("cofund-bench: ", stderr);
    va_start(ap, fmt);
    vfprintf(stderr, fmt, ap);
    va_end(ap);
    fputc('\n', stderr);
    exit(1);
}

void bench_check(int err, const diag *d, const char *what)
{
    if (err == CF_OK) return;
    char msg[DIAG_TEXT_BYTES + 64];
    if (d) diag_format(d, msg, sizeof msg);
    else snprintf(msg, sizeof msg, "%s", cf_strerror(err));
    bench_die("%s: %s (%s)", what, msg, cf_strerror(err));
}

void bench_note(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    fputs("  .. ", stderr);
    vfprintf(stderr, fmt, ap);
    va_end(ap);
    fputc('\n', stderr);
}

uint64_t bench_now_ns(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

uint64_t bench_wall_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_REALTIME, &ts);
    return (uint64_t)ts.tv_sec * 1000 + (uint64_t)ts.tv_nsec / 1000000;
}

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

double bench_percentile(double *v, size_t n, double p)
{
    if (n == 0) return 0.0;
    qsort(v, n, sizeof *v, cmp_double);
    /* Nearest rank: the smallest value with at least p% at or below it. */
    size_t rank = (size_t)((p / 100.0) * (double)n + 0.999999);
    if (rank < 1) rank = 1;
    if (rank > n) rank = n;
    return v[rank - 1];
}

double bench_median(double *v, size_t n)
{
    if (n == 0) return 0.0;
    qsort(v, n, sizeof *v, cmp_double);
    return n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2.0;
}

double bench_mean(const double *v, size_t n)
{
    double s = 0.0;
    for (size_t i = 0; i < n; i++) s += v[i];
    return n ? s / (double)n : 0.0;
}

void bench_rng_init(bench_rng *r, uint64_t seed)
{
    r->s = seed;
}

uint64_t bench_rng_next(bench_rng *r)
{
    uint64_t z = (r->s += UINT64_C(0x9e3779b97f4a7c15));
    z = (z ^ (z >> 30)) * UINT64_C(0xbf58476d1ce4e5b9);
    z = (z ^ (z >> 27)) * UINT64_C(0x94d049bb133111eb);
    return z ^ (z >> 31);
}

uint64_t bench_rng_below(bench_rng *r, uint64_t n)
{
    /* Rejection sampling: no modulo bias. */
    uint64_t limit = UINT64_MAX - UINT64_MAX % n;
    uint64_t x;
    do x = bench_rng_next(r);
    while (x >= limit);
    return x % n;
}

void bench_path(char *out, size_t cap, const char *dir, const char *leaf)
{
    int n = snprintf(out, cap, "%s/%s", dir, leaf);
    if (n < 0 || (size_t)n >= cap) bench_die("path too long: %s/%s", dir, leaf);
}

static int rm_one(const char *path, const struct stat *st, int flag, struct FTW *ftw)
{
    (void)st;
    (void)flag;
    (void)ftw;
    if (remove(path) != 0 && errno != ENOENT)
        fprintf(stderr, "cofund-bench: cannot remove %s: %s\n", path, strerror(errno));
    return 0;
}

void bench_rmtree(const char *path)
{
    nftw(path, rm_one, 16, FTW_DEPTH | FTW_PHYS);
}

static uint64_t du_total;
static int du_one(const char *path, const struct stat *st, int flag, struct FTW *ftw)
{
    (void)path;
    (void)ftw;
    /* Allocated blocks, not the apparent size: LMDB files are sparse. */
    if (flag == FTW_F) du_total += (uint64_t)st->st_blocks * 512u;
    return 0;
}

uint64_t bench_du_bytes(const char *path)
{
    du_total = 0;
    nftw(path, du_one, 16, FTW_PHYS);
    return du_total;
}

const char *bench_loadavg(void)
{
    static char buf[64];
    FILE *f = fopen("/proc/loadavg", "r");
    double a, b, c;
    if (f == NULL || fscanf(f, "%lf %lf %lf", &a, &b, &c) != 3) {
        if (f) fclose(f);
        return "?";
    }
    fclose(f);
    snprintf(buf, sizeof buf, "%.2f %.2f %.2f", a, b, c);
    return buf;
}

const char *bench_fs_kind(const char *path)
{
    static char buf[64];
    struct statfs sf;
    if (statfs(path, &sf) != 0) return "unknown file system";
    if (sf.f_type == 0x01021994) return "tmpfs (RAM: fsync is free, figures are optimistic)";
    snprintf(buf, sizeof buf, "not tmpfs (f_type 0x%lx)", (unsigned long)sf.f_type);
    return buf;
}

/* ---- processes (figures 7 and 8) ---------------------------------------- */

void bench_sleep_ms(unsigned ms)
{
    struct timespec ts = {ms / 1000, (long)(ms % 1000) * 1000000L};
    nanosleep(&ts, NULL);
}

void bench_cofund_path(char *out, size_t cap, const char *who)
{
    const char *env = getenv("COFUND_BIN");
    if (env && *env) {
        snprintf(out, cap, "%s", env);
    } else {
        char self[HOME_PATH_MAX];
        ssize_t n = readlink("/proc/self/exe", self, sizeof self - 1);
        if (n <= 0) bench_die("cannot read /proc/self/exe");
        self[n] = '\0';
        /* <build>/tests/bench/cofund-bench -> <build>/bin/cofund */
        char *d = dirname(dirname(dirname(self)));
        snprintf(out, cap, "%s/bin/cofund", d);
    }
    if (access(out, X_OK) != 0)
        bench_die("%s needs the cofund binary: %s not found (set COFUND_BIN)", who, out);
}

/* Start argv[0] with stdout and stderr to the two files. Returns once the
 * child has exec'd (a close-on-exec pipe tells), so that no sample of its
 * memory sees the fork's copy of this process (hundreds of MiB after the
 * other figures). */
pid_t bench_spawn(char *const argv[], const char *out_path, const char *err_path)
{
    int gate[2];
    if (pipe(gate) != 0 || fcntl(gate[1], F_SETFD, FD_CLOEXEC) != 0)
        bench_die("pipe: %s", strerror(errno));
    fflush(stdout);
    fflush(stderr);
    pid_t pid = fork();
    if (pid < 0) bench_die("fork: %s", strerror(errno));
    if (pid == 0) {
        close(gate[0]);
        int o = open(out_path, O_WRONLY | O_CREAT | O_TRUNC, 0600);
        int e = open(err_path, O_WRONLY | O_CREAT | O_TRUNC, 0600);
        if (o < 0 || e < 0 || dup2(o, 1) < 0 || dup2(e, 2) < 0) _exit(127);
        execv(argv[0], argv);
        int code = errno;
        (void)!write(gate[1], &code, sizeof code);
        _exit(127);
    }
    close(gate[1]);
    int code = 0;
    ssize_t n;
    while ((n = read(gate[0], &code, sizeof code)) < 0 && errno == EINTR) {
    }
    close(gate[0]);
    if (n > 0) bench_die("cannot run %s: %s", argv[0], strerror(code));
    return pid;
}

void bench_stop_node(pid_t pid, const char *who)
{
    int st;
    kill(pid, SIGTERM);
    if (waitpid(pid, &st, 0) != pid) bench_die("waitpid %s: %s", who, strerror(errno));
    if (!WIFEXITED(st) || WEXITSTATUS(st) != 0)
        bench_die("%s's node did not stop cleanly (status 0x%x)", who, st);
}

/* ---- results ------------------------------------------------------------- */

#define RESULTS_MAX 96
static struct {
    char figure[96], measured[48], baseline[48], goal[48];
    double ratio;
    int met;
} results[RESULTS_MAX];
static size_t nresults;

void bench_result(const char *figure, const char *measured_text, double measured,
                  const char *baseline_text, double baseline, const char *goal, int met)
{
    if (nresults == RESULTS_MAX) bench_die("too many results");
    snprintf(results[nresults].figure, sizeof results[0].figure, "%s", figure);
    snprintf(results[nresults].measured, sizeof results[0].measured, "%s", measured_text);
    snprintf(results[nresults].baseline, sizeof results[0].baseline, "%s", baseline_text);
    snprintf(results[nresults].goal, sizeof results[0].goal, "%s", goal ? goal : "");
    results[nresults].ratio = baseline > 0 ? measured / baseline : 0.0;
    results[nresults].met = met;
    nresults++;
    printf("  %-52s %16s  baseline %16s  ratio %8.3f%s%s\n", figure, measured_text,
           baseline_text, baseline > 0 ? measured / baseline : 0.0,
           met < 0 ? "" : met ? "  goal met" : "  GOAL NOT MET", "");
    fflush(stdout);
}

void bench_result_goal(const char *figure, const char *measured_text, double measured,
                       const char *baseline_text, double baseline, double goal)
{
    char text[48];
    if (goal <= 0) {
        bench_result(figure, measured_text, measured, baseline_text, baseline, NULL, -1);
        return;
    }
    snprintf(text, sizeof text, ">= %.1fx baseline", goal);
    bench_result(figure, measured_text, measured, baseline_text, baseline, text,
                 measured >= goal * baseline);
}

void bench_print_results(void)
{
    printf("\n| figure | measured | baseline (same run) | ratio | goal | met |\n");
    printf("|---|---:|---:|---:|---|---|\n");
    for (size_t i = 0; i < nresults; i++)
        printf("| %s | %s | %s | %.3f | %s | %s |\n", results[i].figure, results[i].measured,
               results[i].baseline, results[i].ratio, results[i].goal,
               results[i].met < 0 ? "" : results[i].met ? "met" : "**not met**");
    fflush(stdout);
}
