/* bench_dashboard.c — figure 8: the dashboard's latency on the fund's home
 * of the big history (docs/performance.md, docs/operations.md "The
 * dashboard"; issue 15's goal: under 50 ms a page).
 *
 * `cofund node run --http 127.0.0.1:0` runs on the fund's home (every feed,
 * opts.entries contributions in investor-a's alone, and the matches); each
 * route of the API, /metrics, /healthz and the page shell is asked over
 * loopback HTTP (one connection a request, as a browser's poll), once to
 * warm up and then opts.reps times (when one takes over 2 s: 3 runs, the
 * warm-up one of them): min, median
 * and max from connecting to the answer's last byte. A page's figure is the
 * sum of the medians of the queries it polls every 5 s (node/cli/web/pages.js;
 * the node answers one query at a time on its loop, so they add up whatever
 * the browser sends at once).
 *
 * Baseline, same run: the same query by the CLI, `cofund --home FUND ...
 * --format json` as a process (fork, exec, open the home, query, print to
 * /dev/null, exit; started with posix_spawn): what a reader gets without the
 * dashboard; and the cost of starting the process alone (`cofund
 * --version`), for scale.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <netinet/in.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include "bench.h"
#include "crypto/cf_error.h"

#define READY_DEADLINE_S 300
#define SLOW_S 2.0

extern char **environ;
#define SLOW_REPS 3 /* the warm-up and two more */
#define PAGE_GOAL_MS 50.0

typedef struct {
    const char *url;     /* below the dashboard */
    const char *cli[8];  /* the same query's CLI arguments (NULL: none) */
    double med_ms, cli_ms; /* medians: HTTP, the CLI's (pages add them) */
} route;

/* One GET: ms from connect to the last byte; dies unless 200. */
static double get_ms(unsigned port, const char *url, size_t *bytes)
{
    char req[512], buf[65536];
    struct sockaddr_in sa = {.sin_family = AF_INET, .sin_port = htons((uint16_t)port)};
    sa.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    int n = snprintf(req, sizeof req,
                     "GET %s HTTP/1.1\r\nHost: 127.0.0.1\r\nAccept: application/json\r\n"
                     "Connection: close\r\n\r\n", url);
    uint64_t t0 = bench_now_ns();
    int fd = socket(AF_INET, SOCK_STREAM, 0);
    if (fd < 0 || connect(fd, (struct sockaddr *)&sa, sizeof sa) != 0)
        bench_die("connect to the dashboard: %s", strerror(errno));
    if (write(fd, req, (size_t)n) != n) bench_die("write: %s", strerror(errno));
    size_t total = 0;
    char head[16] = "";
    ssize_t r;
    while ((r = read(fd, buf, sizeof buf)) > 0) {
        if (total < sizeof head - 1) {
            size_t k = (size_t)r < sizeof head - 1 - total ? (size_t)r : sizeof head - 1 - total;
            memcpy(head + total, buf, k);
            head[total + k] = '\0';
        }
        total += (size_t)r;
    }
    double ms = (double)(bench_now_ns() - t0) / 1e6;
    close(fd);
    if (r < 0) bench_die("read %s: %s", url, strerror(errno));
    if (strncmp(head, "HTTP/1.1 200", 12) != 0) bench_die("%s answered %.15s", url, head);
    if (bytes) *bytes = total;
    return ms;
}

/* One CLI run, stdout to /dev/null: ms; dies unless it exits 0. */
static double cli_ms(const char *cofund, const char *home_dir, const char *const *args, bool json)
{
    char *argv[16];
    int argc = 0;
    argv[argc++] = (char *)cofund;
    argv[argc++] = (char *)"--home";
    argv[argc++] = (char *)home_dir;
    for (size_t i = 0; args[i]; i++) argv[argc++] = (char *)args[i];
    if (json) {
        argv[argc++] = (char *)"--format";
        argv[argc++] = (char *)"json";
    }
    argv[argc] = NULL;
    /* posix_spawn (vfork-like): a fork of this process, hundreds of MiB
     * after the history, would cost more than the query. */
    posix_spawn_file_actions_t fa;
    posix_spawn_file_actions_init(&fa);
    posix_spawn_file_actions_addopen(&fa, 1, "/dev/null", O_WRONLY, 0);
    posix_spawn_file_actions_addopen(&fa, 2, "/dev/null", O_WRONLY, 0);
    uint64_t t0 = bench_now_ns();
    pid_t pid;
    int err = posix_spawn(&pid, cofund, &fa, NULL, argv, environ);
    posix_spawn_file_actions_destroy(&fa);
    if (err != 0) bench_die("cannot run %s: %s", cofund, strerror(err));
    int st;
    if (waitpid(pid, &st, 0) != pid) bench_die("waitpid: %s", strerror(errno));
    double ms = (double)(bench_now_ns() - t0) / 1e6;
    if (!WIFEXITED(st) || WEXITSTATUS(st) != 0)
        bench_die("cofund %s%s exited with status 0x%x", args[0], args[1] ? " ..." : "", st);
    return ms;
}

typedef struct {
    double min, med, max;
    unsigned n;
} spread;

static void fmt_ms(char *out, size_t cap, double ms)
{
    if (ms >= 1000) snprintf(out, cap, "%.2f s", ms / 1000);
    else snprintf(out, cap, "%.1f ms", ms);
}

static void fmt_spread(char *out, size_t cap, const spread *s)
{
    if (s->med >= 1000) snprintf(out, cap, "%.2f s (%.2f-%.2f)", s->med / 1000, s->min / 1000, s->max / 1000);
    else snprintf(out, cap, "%.1f ms (%.1f-%.1f)", s->med, s->min, s->max);
}

/* Measure: one warm-up, then reps; when the warm-up took over SLOW_S, it
 * counts as the first of SLOW_REPS (a query that long is not warmed up by
 * one run more, and the run stays within minutes). */
#define MEASURE(sp, reps, expr)                                                  \
    do {                                                                         \
        double v_[16], w_ = (expr);                                              \
        bool slow_ = w_ > SLOW_S * 1000;                                         \
        unsigned n_ = slow_ ? SLOW_REPS : (reps), i_ = 0;                        \
        if (slow_) v_[i_++] = w_;                                                \
        for (; i_ < n_; i_++) v_[i_] = (expr);                                   \
        (sp).n = n_;                                                             \
        (sp).med = bench_median(v_, n_);                                         \
        (sp).min = v_[0];                                                        \
        (sp).max = v_[n_ - 1];                                                   \
    } while (0)

static route *find(route *rs, size_t n, const char *url)
{
    for (size_t i = 0; i < n; i++)
        if (strcmp(rs[i].url, url) == 0) return &rs[i];
    bench_die("figure 8: no route %s", url);
}

void bench_figure_dashboard(bench_world *w)
{
    const bench_opts *o = w->o;
    char cofund[HOME_PATH_MAX], out_path[HOME_PATH_MAX], log_path[HOME_PATH_MAX];
    char fund_dir[HOME_PATH_MAX], proof_url[96], proof_arg[64], m[64], b[64], label[128];
    bench_cofund_path(cofund, sizeof cofund, "figure 8");
    snprintf(fund_dir, sizeof fund_dir, "%s", w->fund.dir);
    uint64_t mid = o->entries / 2;
    snprintf(proof_url, sizeof proof_url, "/api/proof/investor-a/%" PRIu64, mid);
    snprintf(proof_arg, sizeof proof_arg, "investor-a:%" PRIu64, mid);
    printf("\n== figure 8: the dashboard on the fund's home (%s)\n", cofund);

    route rs[] = {
        {"/api/node", {"node", "status", NULL}, 0, 0},
        {"/api/members", {"members", NULL}, 0, 0},
        {"/api/programs", {"programs", NULL}, 0, 0},
        {"/api/program/industrial", {"program", "status", "industrial", NULL}, 0, 0},
        {"/api/register?type=match&program=industrial&last=1000",
         {"register", "--type", "match", "--program", "industrial", "--last", "1000", NULL}, 0, 0},
        {"/api/unmatched?program=industrial&limit=100",
         {"unmatched", "--program", "industrial", "--limit", "100", NULL}, 0, 0},
        /* every match and every row: what the program page asked before it
         * asked for a page of each (no page asks them now) */
        {"/api/register?type=match&program=industrial",
         {"register", "--type", "match", "--program", "industrial", NULL}, 0, 0},
        {"/api/unmatched?program=industrial", {"unmatched", "--program", "industrial", NULL}, 0, 0},
        {"/api/projects", {"projects", NULL}, 0, 0},
        {"/api/positions", {"positions", NULL}, 0, 0},
        {"/api/pools", {"programs", NULL}, 0, 0}, /* its first step; no pool program here */
        {"/api/leases", {"leases", NULL}, 0, 0},
        {"/api/register?type=award", {"register", "--type", "award", NULL}, 0, 0},
        {"/api/register?last=1000", {"register", "--last", "1000", NULL}, 0, 0},
        {"/api/returns", {"returns", NULL}, 0, 0},
        {"/api/forks", {"forks", NULL}, 0, 0},
        {"/api/violations", {"violations", NULL}, 0, 0},
        {proof_url, {"proof", "inclusion", proof_arg, NULL}, 0, 0},
        {"/api/i18n?lang=zh", {NULL}, 0, 0},
        {"/metrics", {"node", "status", NULL}, 0, 0},
        {"/healthz", {"node", "status", NULL}, 0, 0},
        {"/", {NULL}, 0, 0},
    };
    const size_t nrs = sizeof rs / sizeof rs[0];

    /* The node, on the fund's home (the bench's handle closed meanwhile). */
    bench_home_close(&w->fund);
    bench_path(out_path, sizeof out_path, o->dir, "fund-dashboard.out");
    bench_path(log_path, sizeof log_path, o->dir, "fund-dashboard.log");
    char *argv[] = {cofund, "--home", fund_dir, "node", "run", "--listen", "127.0.0.1:0",
                    "--http", "127.0.0.1:0", "--log-level", "warn", NULL};
    uint64_t t0 = bench_now_ns();
    pid_t pid = bench_spawn(argv, out_path, log_path);
    unsigned port = 0;
    bool ready = false;
    while (!ready) {
        char line[256];
        FILE *f = fopen(out_path, "r");
        while (f && fgets(line, sizeof line, f)) {
            if (sscanf(line, "dashboard: http://127.0.0.1:%u/", &port) == 1) continue;
            if (strncmp(line, "ready:", 6) == 0) ready = port != 0;
        }
        if (f) fclose(f);
        if (ready) break;
        int st;
        if (waitpid(pid, &st, WNOHANG) == pid) bench_die("the fund's node exited (see %s)", log_path);
        if (bench_now_ns() - t0 > (uint64_t)READY_DEADLINE_S * 1000000000u)
            bench_die("the fund's node is not ready (see %s)", log_path);
        bench_sleep_ms(20);
    }
    printf("  node ready in %.2f s; dashboard on port %u; load %s\n",
           (double)(bench_now_ns() - t0) / 1e9, port, bench_loadavg());

    spread start;
    static const char *const version[] = {"--version", NULL};
    MEASURE(start, o->reps, cli_ms(cofund, fund_dir, version, false));
    char st_text[64];
    fmt_spread(st_text, sizeof st_text, &start);
    printf("  a CLI process alone (cofund --version): %s\n", st_text);

    for (size_t i = 0; i < nrs; i++) {
        route *r = &rs[i];
        spread h, c = {0};
        size_t bytes = 0;
        MEASURE(h, o->reps, get_ms(port, r->url, &bytes));
        r->med_ms = h.med;
        fmt_spread(m, sizeof m, &h);
        bool json = strncmp(r->url, "/api/proof/", 11) != 0;
        if (r->cli[0]) {
            MEASURE(c, o->reps, cli_ms(cofund, fund_dir, r->cli, json));
            fmt_spread(b, sizeof b, &c);
            r->cli_ms = c.med;
        } else {
            snprintf(b, sizeof b, "-");
        }
        printf("  %-46s %8zu B  HTTP %-28s CLI %s (%u runs)\n", r->url, bytes, m, b, h.n);
        snprintf(label, sizeof label, "8. GET %s", r->url);
        bench_result(label, m, h.med, b, c.med, "< 50 ms", h.med < PAGE_GOAL_MS);
    }

    /* The pages: what each polls (node/cli/web/pages.js). */
    static const struct {
        const char *page;
        const char *queries[5];
    } pages[] = {
        {"/network", {"/api/node", "/api/members", NULL}},
        {"/programs", {"/api/programs", NULL}},
        {"/program/industrial",
         {"/api/program/industrial", "/api/projects",
          "/api/register?type=match&program=industrial&last=1000",
          "/api/unmatched?program=industrial&limit=100", NULL}},
        {"/projects", {"/api/projects", NULL}},
        {"/positions", {"/api/positions", "/api/projects", NULL}},
        {"/pools", {"/api/pools", NULL}},
        {"/leases", {"/api/leases", NULL}},
        {"/awards", {"/api/register?type=award", "/api/projects", NULL}},
        {"/register", {"/api/register?last=1000", "/api/projects", NULL}},
    };
    for (size_t i = 0; i < sizeof pages / sizeof pages[0]; i++) {
        double sum = 0, cli = 0;
        for (size_t k = 0; pages[i].queries[k]; k++) {
            const route *r = find(rs, nrs, pages[i].queries[k]);
            sum += r->med_ms;
            cli += r->cli_ms;
        }
        fmt_ms(m, sizeof m, sum);
        fmt_ms(b, sizeof b, cli);
        snprintf(label, sizeof label, "8. page %s (its queries, a poll)", pages[i].page);
        bench_result(label, m, sum, b, cli, "< 50 ms", sum < PAGE_GOAL_MS);
    }

    bench_stop_node(pid, "the fund");
    diag d;
    bench_check(home_open(fund_dir, 0, &w->fund.h, &d), &d, "reopen the fund");
    bench_check(home_load_keypair(w->fund.h, NULL, 0, &w->fund.kp, &d), &d, "the fund's key");
}
