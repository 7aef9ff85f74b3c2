/* bench_main.c — cofund-bench: options, the network every figure runs in,
 * and the results table. docs/performance.md explains the method and
 * records the figures; scripts/bench builds and runs this.
 *
 *   cofund-bench [--quick] [--entries N] [--seed S] [--figures 1,2,...]
 *                [--reps N] [--singles N] [--projects N] [--no-presized]
 *                [--dir DIR] [--keep]
 *
 * The homes go to a new directory cofund-bench.XXXXXX under --dir (else
 * $TMPDIR, else /tmp), removed at the end unless --keep.
 */
#include <errno.h>
#include <getopt.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "bench.h"
#include "crypto/cf_error.h"
#include "crypto/cf_util.h"

#define DAY_MS UINT64_C(86400000)

static void usage(void)
{
    fprintf(stderr,
            "usage: cofund-bench [--quick] [--entries N] [--seed S] [--figures 1,2,3,4,5,6,7,8]\n"
            "                    [--reps N] [--singles N] [--projects N] [--no-presized]\n"
            "                    [--dir DIR] [--keep]\n");
    exit(2);
}

static uint64_t parse_u64(const char *s, const char *what)
{
    char *end;
    errno = 0;
    unsigned long long v = strtoull(s, &end, 10);
    if (errno || end == s || *end != '\0') bench_die("%s: not a number: %s", what, s);
    return (uint64_t)v;
}

static unsigned parse_figures(const char *s)
{
    unsigned f = 0;
    for (const char *p = s; *p; p++) {
        if (*p >= '1' && *p <= '8') f |= 1u << (*p - '1');
        else if (*p != ',') bench_die("--figures: digits 1-8 separated by commas");
    }
    return f;
}

int main(int argc, char **argv)
{
    static const struct option opts[] = {
        {"quick", no_argument, NULL, 'q'},        {"entries", required_argument, NULL, 'n'},
        {"seed", required_argument, NULL, 's'},   {"figures", required_argument, NULL, 'f'},
        {"reps", required_argument, NULL, 'r'},   {"singles", required_argument, NULL, '1'},
        {"projects", required_argument, NULL, 'p'}, {"no-presized", no_argument, NULL, 'P'},
        {"dir", required_argument, NULL, 'd'},    {"keep", no_argument, NULL, 'k'},
        {"help", no_argument, NULL, 'h'},         {NULL, 0, NULL, 0},
    };
    bench_opts o = {.seed = 20240601, .figures = FIG_ALL, .projects = 300,
                    .presized_import = true};
    uint64_t entries = 0, reps = 0, singles = 0;
    bool quick = false;
    int c;
    while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1) {
        switch (c) {
        case 'q': quick = true; break;
        case 'n': entries = parse_u64(optarg, "--entries"); break;
        case 's': o.seed = parse_u64(optarg, "--seed"); break;
        case 'f': o.figures = parse_figures(optarg); break;
        case 'r': reps = parse_u64(optarg, "--reps"); break;
        case '1': singles = parse_u64(optarg, "--singles"); break;
        case 'p': o.projects = (unsigned)parse_u64(optarg, "--projects"); break;
        case 'P': o.presized_import = false; break;
        case 'd': o.dir = optarg; break;
        case 'k': o.keep = true; break;
        default: usage();
        }
    }
    if (optind != argc) usage();
    o.quick = quick;
    o.entries = entries ? entries : quick ? 100000 : 1000000;
    o.reps = (unsigned)(reps ? reps : quick ? 3 : 5);
    o.singles = singles ? singles : quick ? 30 : 100;
    if (o.reps > 16) bench_die("--reps: at most 16");
    if (o.entries < 1000 || o.entries > UINT32_MAX) bench_die("--entries: 1000 to 2^32-1");
    if (o.projects < 1 || o.projects > 9999) bench_die("--projects: 1 to 9999");
    if (o.singles < 1 || o.singles > 10000) bench_die("--singles: 1 to 10000");

    /* Always a fresh directory of our own (under --dir, else $TMPDIR or
     * /tmp): the run removes it at the end, and nothing else. */
    char tmpl[HOME_PATH_MAX];
    const char *parent = o.dir;
    if (parent == NULL) {
        const char *tmp = getenv("TMPDIR");
        parent = tmp && *tmp ? tmp : "/tmp";
    } else if (mkdir(parent, 0700) != 0 && errno != EEXIST) {
        bench_die("mkdir %s: %s", parent, strerror(errno));
    }
    bench_path(tmpl, sizeof tmpl, parent, "cofund-bench.XXXXXX");
    if (mkdtemp(tmpl) == NULL) bench_die("mkdtemp %s: %s", tmpl, strerror(errno));
    o.dir = tmpl;
    if (cf_crypto_init() != CF_OK) bench_die("libsodium failed to initialise");

    uint64_t t_start = bench_now_ns();
    printf("cofund-bench: %s run, seed %" PRIu64 ", big feed %" PRIu64 " entries, %u projects\n",
           quick ? "quick" : "full", o.seed, o.entries, o.projects);
    printf("work dir %s: %s\n", o.dir, bench_fs_kind(o.dir));
    printf("load average at start: %s (on %ld CPUs; other work skews every figure)\n",
           bench_loadavg(), sysconf(_SC_NPROCESSORS_ONLN));
    fflush(stdout);

    /* The network: a city, its fund, investors. investor-b takes figure 1's
     * appends, investor-x the bypass appends of figure 2, investor-a the big
     * feed, investor-c and -d smaller feeds the fund also matches. */
    bench_world w = {.o = &o};
    bench_home_create(&w.fund, o.dir, "fund");
    bench_home_create(&w.inv_a, o.dir, "investor-a");
    bench_home_create(&w.inv_b, o.dir, "investor-b");
    bench_home_create(&w.inv_c, o.dir, "investor-c");
    bench_home_create(&w.inv_d, o.dir, "investor-d");
    bench_home_create(&w.inv_x, o.dir, "investor-x");
    const bench_member members[] = {
        {&w.fund, ROLE_FUND},      {&w.inv_a, ROLE_INVESTOR}, {&w.inv_b, ROLE_INVESTOR},
        {&w.inv_c, ROLE_INVESTOR}, {&w.inv_d, ROLE_INVESTOR}, {&w.inv_x, ROLE_INVESTOR},
    };
    uint64_t start_ms = bench_wall_ms() - 3 * 365 * DAY_MS - 2 * DAY_MS;
    bench_net_create(&w.net, o.dir, o.projects, members, sizeof members / sizeof members[0],
                     w.fund.h->self, start_ms);
    bench_home *joiners[] = {&w.fund, &w.inv_a, &w.inv_b, &w.inv_c, &w.inv_d, &w.inv_x};
    for (size_t i = 0; i < sizeof joiners / sizeof joiners[0]; i++)
        bench_net_join(&w.net, joiners[i]);
    printf("network: city + fund + 5 investors, %d programs, %u projects\n", BENCH_PROGRAMS,
           o.projects);

    if (o.figures & (FIG_APPEND | FIG_RULES)) bench_figures_append(&w);
    /* Figure 8 runs on the history's fund home. */
    if (o.figures & (FIG_HISTORY | FIG_DASHBOARD)) bench_figures_history(&w);
    if (o.figures & FIG_DASHBOARD) bench_figure_dashboard(&w);
    if (o.figures & FIG_AUDIT) bench_figure_audit(&w);
    if (o.figures & FIG_REPLICATION) bench_figure_replication(&w);

    printf("\n== results (seed %" PRIu64 ", %.0f s in all, load average at the end %s)\n",
           o.seed, (double)(bench_now_ns() - t_start) / 1e9, bench_loadavg());
    bench_print_results();

    for (size_t i = 0; i < sizeof joiners / sizeof joiners[0]; i++) bench_home_close(joiners[i]);
    bench_net_free(&w.net);
    if (o.keep) {
        printf("\nkept %s\n", o.dir);
    } else {
        bench_rmtree(o.dir);
    }
    return 0;
}
