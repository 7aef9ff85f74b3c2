/* testutil.c — helpers every unit test links (testutil.h). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <dirent.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cmocka.h>

#include "testutil.h"

/* ---- seeds and random numbers ------------------------------------------- */

uint64_t tu_env_u64(const char *name, uint64_t dflt, bool *set)
{
    const char *v = getenv(name);
    bool have = v != NULL && *v != '\0';
    if (set) *set = have;
    return have ? strtoull(v, NULL, 0) : dflt;
}

uint64_t tu_seed_default(const char *what, uint64_t dflt)
{
    uint64_t seed = tu_env_u64("COFUND_SEED", dflt, NULL);
    printf("%s: seed %llu (replay with COFUND_SEED=%llu)\n", what,
           (unsigned long long)seed, (unsigned long long)seed);
    fflush(stdout);
    return seed;
}

uint64_t tu_seed(const char *what)
{
    struct timespec ts;
    clock_gettime(CLOCK_REALTIME, &ts);
    uint64_t fresh = (uint64_t)ts.tv_sec * 1000000007ULL ^ (uint64_t)ts.tv_nsec ^
                     ((uint64_t)getpid() << 32);
    return tu_seed_default(what, fresh);
}

uint64_t tu_rng_next(uint64_t *state)
{
    uint64_t z = (*state += 0x9e3779b97f4a7c15ULL);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
    return z ^ (z >> 31);
}

/* ---- bytes ---------------------------------------------------------------- */

static int nibble(char c)
{
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
}

size_t tu_unhex(const char *hex, uint8_t *out, size_t cap)
{
    size_t n = strlen(hex);
    assert_true(n % 2 == 0 && n / 2 <= cap);
    for (size_t i = 0; i < n / 2; i++) {
        int hi = nibble(hex[2 * i]), lo = nibble(hex[2 * i + 1]);
        if (hi < 0 || lo < 0) fail_msg("not hex at %zu: \"%s\"", 2 * i, hex);
        out[i] = (uint8_t)(hi << 4 | lo);
    }
    return n / 2;
}

void tu_print_hex(const char *what, const uint8_t *p, size_t n)
{
    print_message("%s (%zu bytes): ", what, n);
    for (size_t i = 0; i < n; i++) print_message("%02x", p[i]);
    print_message("\n");
}

uint8_t *tu_dup_exact(const uint8_t *p, size_t n)
{
    uint8_t *d = malloc(n ? n : 1);
    assert_non_null(d);
    if (n) memcpy(d, p, n);
    return d;
}

/* ---- temporary directories ------------------------------------------------ */

void tu_tmpdir(char out[TU_PATH_BYTES], const char *name)
{
    const char *tmp = getenv("TMPDIR");
    int n = snprintf(out, TU_PATH_BYTES, "%s/cofund-%s-XXXXXX",
                     tmp && *tmp ? tmp : "/tmp", name);
    assert_true(n > 0 && n < TU_PATH_BYTES);
    assert_non_null(mkdtemp(out));
}

void tu_path_join(char out[TU_PATH_BYTES], const char *dir, const char *name)
{
    int n = snprintf(out, TU_PATH_BYTES, "%s/%s", dir, name);
    assert_true(n > 0 && n < TU_PATH_BYTES);
}

void tu_rm_rf(const char *path)
{
    struct stat st;
    if (lstat(path, &st) != 0) return;
    if (!S_ISDIR(st.st_mode)) {
        unlink(path);
        return;
    }
    chmod(path, 0700); /* a test may have left it read-only */
    DIR *d = opendir(path);
    if (d) {
        struct dirent *e;
        while ((e = readdir(d)) != NULL) {
            if (!strcmp(e->d_name, ".") || !strcmp(e->d_name, "..")) continue;
            char sub[TU_PATH_BYTES];
            tu_path_join(sub, path, e->d_name);
            tu_rm_rf(sub);
        }
        closedir(d);
    }
    rmdir(path);
}

/* ---- data files under tests/ ----------------------------------------------- */

FILE *tu_data_open(const char *rel)
{
    char path[TU_PATH_BYTES + 512];
    int n = snprintf(path, sizeof path, "%s/%s", COFUND_TEST_DATA, rel);
    assert_true(n > 0 && (size_t)n < sizeof path);
    FILE *f = fopen(path, "r");
    if (f == NULL) fail_msg("%s: cannot open", path);
    return f;
}

void tu_corpus_seed(const char *rel, const uint8_t *bytes, size_t len)
{
    const char *w = getenv("COFUND_WRITE_CORPUS");
    if (w && w[0] == '1') {
        char path[TU_PATH_BYTES];
        tu_path_join(path, COFUND_TEST_DATA, rel);
        FILE *f = fopen(path, "wb");
        assert_non_null(f);
        assert_int_equal(fwrite(bytes, 1, len, f), len);
        assert_int_equal(fclose(f), 0);
        return;
    }
    FILE *f = tu_data_open(rel);
    uint8_t *file = malloc(len + 1);
    assert_non_null(file);
    size_t n = fread(file, 1, len + 1, f); /* one more: a longer file differs */
    fclose(f);
    bool same = n == len && memcmp(file, bytes, len) == 0;
    free(file);
    if (!same)
        fail_msg("%s differs from what this test builds (COFUND_WRITE_CORPUS=1 rewrites it)", rel);
}

long tu_read_line(FILE *f, char *line, size_t cap)
{
    assert_true(cap >= 2 && cap <= (size_t)INT32_MAX);
    if (fgets(line, (int)cap, f) == NULL) return -1;
    size_t n = strlen(line);
    if (n == cap - 1 && line[n - 1] != '\n' && !feof(f))
        fail_msg("a line longer than %zu bytes: \"%.40s...\"", cap - 2, line);
    while (n > 0 && (line[n - 1] == '\n' || line[n - 1] == '\r')) line[--n] = '\0';
    return (long)n;
}
