/* crash_appender.c — the appender of the crash test (tests/cli/crash.sh).
 *
 *   crash_appender HOME [--seed N] [--until SIZE]
 *
 * HOME is an investor's home that holds the network, with a project
 * "robotics" registered (the test sets it up with the cofund CLI). The tool
 * loops: a batch of 1..50 contributions (random amounts, round A) appended
 * with append_entries — the same single write path as `cofund contribute` —
 * and after every commit prints "acked <feed size>" and flushes stdout.
 * Whatever it printed must survive a kill -9 at any moment.
 *
 * --seed makes the batch sizes and amounts reproducible (default 1);
 * --until stops once the feed holds at least SIZE entries (default: never,
 * until killed). Exit: 0 when --until is reached, 1 on any failure.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "crypto/cf_error.h"
#include "crypto/cf_util.h"
#include "home/append.h"
#include "home/home.h"

#define BATCH_MAX 50

static uint64_t rng_state;

/* splitmix64: tiny, seedable, the same on every platform. */
static uint64_t rng_next(void)
{
    uint64_t z = (rng_state += UINT64_C(0x9E3779B97F4A7C15));
    z = (z ^ (z >> 30)) * UINT64_C(0xBF58476D1CE4E5B9);
    z = (z ^ (z >> 27)) * UINT64_C(0x94D049BB133111EB);
    return z ^ (z >> 31);
}

static uint64_t now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_REALTIME, &ts);
    return (uint64_t)ts.tv_sec * 1000 + (uint64_t)ts.tv_nsec / 1000000;
}

static int parse_u64(const char *s, uint64_t *out)
{
    char *end;
    if (*s < '0' || *s > '9') return CF_EFORMAT;
    *out = strtoull(s, &end, 10);
    return *end ? CF_EFORMAT : CF_OK;
}

int main(int argc, char **argv)
{
    uint64_t seed = 1, until = UINT64_MAX;
    if (argc < 2 || argc % 2 != 0) goto usage;
    for (int i = 2; i < argc; i += 2) {
        if (strcmp(argv[i], "--seed") == 0 && parse_u64(argv[i + 1], &seed) == CF_OK) continue;
        if (strcmp(argv[i], "--until") == 0 && parse_u64(argv[i + 1], &until) == CF_OK) continue;
        goto usage;
    }
    if (cf_crypto_init() != CF_OK) {
        fputs("crash_appender: cannot initialise libsodium\n", stderr);
        return 1;
    }
    rng_state = seed;

    home *h;
    keyfile_keypair kp;
    diag d;
    if (home_open(argv[1], 0, &h, &d) != CF_OK) {
        fprintf(stderr, "crash_appender: %s\n", d.text);
        return 1;
    }
    if (home_load_keypair(h, NULL, 0, &kp, &d) != CF_OK) {
        fprintf(stderr, "crash_appender: %s\n", d.text);
        home_close(h);
        return 1;
    }
    static entry es[BATCH_MAX];
    append_result res;
    int rc = 0;
    for (;;) {
        size_t n = 1 + (size_t)(rng_next() % BATCH_MAX);
        memset(es, 0, sizeof es);
        for (size_t i = 0; i < n; i++) {
            body_contribution *b = &es[i].body.contribution;
            es[i].type = ENTRY_CONTRIBUTION;
            b->project = entry_text_of("robotics", 8);
            b->round = entry_text_of("A", 1);
            b->amount_fen = 100 * (int64_t)(1 + rng_next() % 1000000); /* 1 .. 10^6 yuan */
        }
        if (append_entries(h, &kp, es, n, now_ms(), &res, &d) != CF_OK) {
            fprintf(stderr, "crash_appender: append: %s\n", d.text);
            rc = 1;
            break;
        }
        if (printf("acked %llu\n", (unsigned long long)res.size) < 0 || fflush(stdout) != 0) {
            rc = 1;
            break;
        }
        if (res.size >= until) break;
    }
    keyfile_wipe(&kp);
    home_close(h);
    return rc;
usage:
    fputs("usage: crash_appender HOME [--seed N] [--until SIZE]\n", stderr);
    return 2;
}
