/* test_store_env.c — the LMDB store (store/store.h) and its environment:
 * opening and the schema version, the map size from COFUND_MAP_BYTES and its
 * growth, disk full (simulated with RLIMIT_FSIZE in a child), read-only
 * copies (in a read-only directory too), and two processes with their own
 * handles on one home. Every test works in a fresh temporary directory that
 * is removed afterwards.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <signal.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cmocka.h>

#include "crypto/cf_error.h"
#include "crypto/cf_util.h"
#include "crypto/merkle.h"
#include "store/store.h"
#include "store/store_testing.h"
#include "store_fixture.h"
#include "testutil.h"

static void copy_file(const char *from, const char *to, mode_t mode)
{
    FILE *in = fopen(from, "rb"), *out = fopen(to, "wb");
    assert_non_null(in);
    assert_non_null(out);
    char buf[65536];
    size_t n;
    while ((n = fread(buf, 1, sizeof buf, in)) > 0)
        assert_int_equal(fwrite(buf, 1, n, out), n);
    fclose(in);
    assert_int_equal(fclose(out), 0);
    assert_int_equal(chmod(to, mode), 0);
}

/* ---- open, schema -------------------------------------------------------- */

static int put_meta_fn(store_txn *t, void *arg)
{
    const uint8_t *v = arg;
    return store_kv_put(t, STORE_T_META, "schema", 6, v + 1, v[0]);
}

static void test_open_schema(void **state)
{
    (void)state;
    char dir[TU_PATH_BYTES], sub[TU_PATH_BYTES];
    store *s;
    store_info info;
    tu_tmpdir(dir, "test-store");
    assert_int_equal(store_open(NULL, 0, &s), CF_EINVAL);
    assert_int_equal(store_open(dir, 0x80, &s), CF_EINVAL);
    /* Read-only open of nothing. */
    assert_int_equal(store_open(dir, STORE_RDONLY, &s), CF_ENOTFOUND);
    tu_path_join(sub, dir, "missing");
    assert_int_equal(store_open(sub, STORE_RDONLY, &s), CF_ENOTFOUND);
    /* Created (the home directory too), reopened. */
    tu_path_join(sub, dir, "home");
    assert_int_equal(store_open(sub, 0, &s), CF_OK);
    assert_int_equal(store_get_info(s, &info), CF_OK);
    assert_int_equal(info.feeds, 0);
    assert_true(info.map_bytes >= STORE_MAP_BYTES_INITIAL);
    assert_true(info.used_bytes > 0 && info.used_bytes < info.map_bytes);
    assert_int_equal(append_batch(s, 1, 0, 5, NULL), CF_OK);
    store_close(s);
    assert_int_equal(store_open(sub, 0, &s), CF_OK);
    assert_int_equal(store_get_info(s, &info), CF_OK);
    assert_int_equal(info.feeds, 1);
    check_feed(s, 1, 5, 0);
    /* Another schema version is refused, read-only too. */
    uint8_t v2[5] = {4, 0, 0, 0, STORE_SCHEMA_VERSION + 1};
    assert_int_equal(store_write(s, put_meta_fn, v2), CF_OK);
    store_close(s);
    assert_int_equal(store_open(sub, 0, &s), CF_ESTORE_VERSION);
    assert_int_equal(store_open(sub, STORE_RDONLY, &s), CF_ESTORE_VERSION);
    assert_null(s);
    tu_rm_rf(dir);
}

/* A schema 1 store (records without checksums): read as it is read-only,
 * upgraded (every record given its checksum, the schema set to 2) when
 * opened for writing; after that a changed record is found. */
static int put_v1_fn(store_txn *t, void *arg)
{
    (void)arg;
    static const uint8_t v1[4] = {0, 0, 0, 1};
    int r = store_testing_raw_put(t, "state", "Tk", 2, "value-1", 7);
    if (r == CF_OK) r = store_testing_raw_put(t, "evidence", "Vk", 2, "", 0);
    if (r == CF_OK) r = store_testing_raw_put(t, "meta", "name", 4, "home", 4);
    if (r == CF_OK) r = store_kv_put(t, STORE_T_META, "schema", 6, v1, 4);
    return r;
}

static int flip_fn(store_txn *t, void *arg)
{
    (void)arg;
    return store_testing_raw_put(t, "state", "Tk", 2, "value-2", 7);
}

static void expect_kv(store *s, enum store_table tab, const char *key, const char *want,
                      size_t wlen, int code)
{
    store_txn *t;
    const uint8_t *v;
    size_t n;
    assert_int_equal(store_read_begin(s, &t), CF_OK);
    assert_int_equal(store_kv_get(t, tab, key, strlen(key), &v, &n), code);
    if (code == CF_OK) {
        assert_int_equal(n, wlen);
        assert_memory_equal(v, want, n);
    }
    store_read_end(t);
}

static void test_schema_upgrade(void **state)
{
    fixture *fx = *state;
    assert_int_equal(store_write(fx->s, put_v1_fn, NULL), CF_OK);
    store_close(fx->s);
    fx->s = NULL;
    assert_int_equal(store_open(fx->dir, STORE_RDONLY, &fx->s), CF_OK);
    expect_kv(fx->s, STORE_T_STATE, "Tk", "value-1", sizeof "value-1" - 1, CF_OK);
    expect_kv(fx->s, STORE_T_META, "name", "home", sizeof "home" - 1, CF_OK);
    expect_kv(fx->s, STORE_T_META, "schema", "\0\0\0\1", 4, CF_OK);
    store_close(fx->s);
    assert_int_equal(store_open(fx->dir, 0, &fx->s), CF_OK);
    expect_kv(fx->s, STORE_T_STATE, "Tk", "value-1", sizeof "value-1" - 1, CF_OK);
    expect_kv(fx->s, STORE_T_EVIDENCE, "Vk", "", sizeof "" - 1, CF_OK);
    expect_kv(fx->s, STORE_T_META, "name", "home", sizeof "home" - 1, CF_OK);
    expect_kv(fx->s, STORE_T_META, "schema", "\0\0\0\2", 4, CF_OK);
    assert_int_equal(store_write(fx->s, flip_fn, NULL), CF_OK);
    expect_kv(fx->s, STORE_T_STATE, "Tk", NULL, 0, CF_ESTORE_CORRUPT);
    store_close(fx->s);
    assert_int_equal(store_open(fx->dir, STORE_RDONLY, &fx->s), CF_OK);
    expect_kv(fx->s, STORE_T_STATE, "Tk", NULL, 0, CF_ESTORE_CORRUPT);
}

static void test_schema_corrupt(void **state)
{
    fixture *fx = *state;
    uint8_t v3[4] = {3, 0, 0, 1};
    assert_int_equal(store_write(fx->s, put_meta_fn, v3), CF_OK);
    store_close(fx->s);
    fx->s = NULL;
    assert_int_equal(store_open(fx->dir, 0, &fx->s), CF_ESTORE_CORRUPT);
    assert_int_equal(store_open(fx->dir, STORE_RDONLY, &fx->s),
                     CF_ESTORE_CORRUPT);
}

static void test_bad_map_env(void **state)
{
    (void)state;
    char dir[TU_PATH_BYTES];
    store *s;
    tu_tmpdir(dir, "test-store");
    setenv("COFUND_MAP_BYTES", "12x", 1);
    assert_int_equal(store_open(dir, 0, &s), CF_EINVAL);
    setenv("COFUND_MAP_BYTES", "0", 1);
    assert_int_equal(store_open(dir, 0, &s), CF_EINVAL);
    setenv("COFUND_MAP_BYTES", "99999999999999999999999", 1);
    assert_int_equal(store_open(dir, 0, &s), CF_EINVAL);
    unsetenv("COFUND_MAP_BYTES");
    tu_rm_rf(dir);
}

/* ---- map growth ---------------------------------------------------------- */

static void test_map_growth(void **state)
{
    (void)state;
    enum { BATCHES = 40, PER_BATCH = 100, BIG_BATCH = 1500 };
    char dir[TU_PATH_BYTES];
    store *s;
    store_info info;
    tu_tmpdir(dir, "test-store");
    setenv("COFUND_MAP_BYTES", "65536", 1);
    assert_int_equal(store_open(dir, 0, &s), CF_OK);
    unsetenv("COFUND_MAP_BYTES");
    assert_int_equal(store_get_info(s, &info), CF_OK);
    assert_true(info.map_bytes < 2 * 65536);
    unsigned calls = 0;
    for (uint64_t b = 0; b < BATCHES; b++) {
        append_job j = {.tag = 12, .from = b * PER_BATCH, .count = PER_BATCH};
        author_of(12, j.author);
        assert_int_equal(store_write(s, append_fn, &j), CF_OK);
        calls += j.calls;
    }
    /* One transaction larger than twice the map: several doublings. */
    assert_int_equal(store_get_info(s, &info), CF_OK);
    uint64_t before = info.map_bytes;
    append_job j = {.tag = 13, .count = BIG_BATCH, .big = 1000};
    author_of(13, j.author);
    assert_int_equal(store_write(s, append_fn, &j), CF_OK);
    assert_int_equal(store_get_info(s, &info), CF_OK);
    print_message("store: map grew to %llu bytes; %u callback runs for %d "
                  "batches, then %u for one %d-entry batch\n",
                  (unsigned long long)info.map_bytes, calls, BATCHES, j.calls,
                  BIG_BATCH);
    assert_true(calls > BATCHES);
    assert_true(j.calls > 2);
    assert_true(info.map_bytes >= 4 * before);
    check_feed(s, 12, BATCHES * PER_BATCH, 0);
    check_feed(s, 13, BIG_BATCH, 1000);
    store_close(s);
    /* Reopening keeps the grown map. */
    assert_int_equal(store_open(dir, 0, &s), CF_OK);
    check_feed(s, 12, BATCHES * PER_BATCH, 0);
    store_close(s);
    tu_rm_rf(dir);
}

/* ---- disk full ----------------------------------------------------------- */

/* In the child: append batches until the file size limit stops a commit. */
static int disk_full_child(const char *dir, int fd, rlim_t limit)
{
    store *s;
    uint64_t committed = 0;
    if (store_open(dir, 0, &s) != CF_OK) return 10;
    struct rlimit rl = {.rlim_cur = limit, .rlim_max = limit};
    signal(SIGXFSZ, SIG_IGN);
    if (setrlimit(RLIMIT_FSIZE, &rl) != 0) return 11;
    int r;
    for (;;) {
        append_job j = {.tag = 14, .from = committed, .count = 25, .big = 1000};
        author_of(14, j.author);
        r = store_write(s, append_fn, &j);
        if (r != CF_OK) break;
        committed += j.count;
        if (committed > 100000) break; /* the limit never hit */
    }
    if (write(fd, &committed, sizeof committed) != (ssize_t)sizeof committed)
        return 12;
    /* The handle still refuses cleanly, and the process exits without
     * closing it (as a crash would). */
    return r == CF_ENOSPC ? 0 : 13;
}

/* A page-aligned limit makes LMDB's page write fail with EFBIG; an unaligned
 * one makes it short, which LMDB reports as EIO. Both are disk full. */
static void disk_full_case(rlim_t limit)
{
    char dir[TU_PATH_BYTES];
    int fds[2];
    tu_tmpdir(dir, "test-store");
    {
        store *s; /* a first feed, committed before the limit */
        assert_int_equal(store_open(dir, 0, &s), CF_OK);
        assert_int_equal(append_batch(s, 15, 0, 10, NULL), CF_OK);
        store_close(s);
    }
    assert_int_equal(pipe(fds), 0);
    fflush(NULL);
    pid_t pid = fork();
    assert_true(pid >= 0);
    if (pid == 0) {
        close(fds[0]);
        _exit(disk_full_child(dir, fds[1], limit));
    }
    close(fds[1]);
    uint64_t committed = 0;
    assert_int_equal(read(fds[0], &committed, sizeof committed),
                     (ssize_t)sizeof committed);
    close(fds[0]);
    int status;
    assert_int_equal(waitpid(pid, &status, 0), pid);
    assert_true(WIFEXITED(status));
    assert_int_equal(WEXITSTATUS(status), 0);
    print_message("store: file size limit %llu: full after %llu committed "
                  "entries\n",
                  (unsigned long long)limit, (unsigned long long)committed);
    assert_true(committed > 0);
    store *s;
    assert_int_equal(store_open(dir, 0, &s), CF_OK);
    check_feed(s, 14, committed, 1000);
    check_feed(s, 15, 10, 0);
    /* Usable again without the limit. */
    append_job j = {.tag = 14, .from = committed, .count = 30, .big = 1000};
    author_of(14, j.author);
    assert_int_equal(store_write(s, append_fn, &j), CF_OK);
    check_feed(s, 14, committed + 30, 1000);
    store_close(s);
    tu_rm_rf(dir);
}

static void test_disk_full(void **state)
{
    (void)state;
    disk_full_case((rlim_t)1 << 20);
    disk_full_case(((rlim_t)1 << 20) + 1500);
}

/* ---- read-only copies ---------------------------------------------------- */

static int ro_checks(store *s)
{
    store_txn *t;
    uint8_t author[32], root[H], buf[ENTRY_TEST_BYTES_MAX];
    const uint8_t *v;
    size_t len;
    author_of(16, author);
    if (store_write(s, kv_put_fn, "x") != CF_ESTORE_READONLY) return 1;
    if (store_read_begin(s, &t) != CF_OK) return 2;
    int r = 0;
    if (store_root(t, author, 25, root) != CF_OK) r = 3;
    if (!r && store_entry_get(t, author, 24, &v, &len) != CF_OK) r = 4;
    if (!r && (len != make_entry(16, 24, 0, buf) || memcmp(v, buf, len))) r = 5;
    if (!r && store_kv_get(t, STORE_T_STATE, "ro", 2, &v, &len) != CF_OK) r = 6;
    store_read_end(t);
    return r;
}

static void test_readonly_copy(void **state)
{
    (void)state;
    char src[TU_PATH_BYTES], base[TU_PATH_BYTES], copy[TU_PATH_BYTES];
    char from[TU_PATH_BYTES], to[TU_PATH_BYTES];
    store *s;
    tu_tmpdir(src, "test-store");
    assert_int_equal(store_open(src, 0, &s), CF_OK);
    assert_int_equal(append_batch(s, 16, 0, 25, NULL), CF_OK);
    assert_int_equal(store_write(s, kv_put_fn, "ro"), CF_OK);
    store_close(s);
    tu_path_join(from, src, "data.mdb");

    /* A copy in a writable directory. */
    tu_tmpdir(base, "test-store");
    tu_path_join(copy, base, "a");
    assert_int_equal(mkdir(copy, 0755), 0);
    tu_path_join(to, copy, "data.mdb");
    copy_file(from, to, 0444);
    assert_int_equal(store_open(copy, STORE_RDONLY, &s), CF_OK);
    assert_int_equal(ro_checks(s), 0);
    store_close(s);

    /* A copy in a read-only directory: no lock file can be created. */
    tu_path_join(copy, base, "b");
    assert_int_equal(mkdir(copy, 0755), 0);
    tu_path_join(to, copy, "data.mdb");
    copy_file(from, to, 0444);
    assert_int_equal(chmod(copy, 0555), 0);
    assert_int_equal(chmod(base, 0755), 0);
    if (geteuid() != 0) {
        assert_int_equal(store_open(copy, STORE_RDONLY, &s), CF_OK);
        assert_int_equal(ro_checks(s), 0);
        store_close(s);
    } else {
        /* root ignores the mode: check as an unprivileged child. */
        fflush(NULL);
        pid_t pid = fork();
        assert_true(pid >= 0);
        if (pid == 0) {
            if (setgid(65534) != 0 || setuid(65534) != 0) _exit(100);
            if (store_open(copy, STORE_RDONLY, &s) != CF_OK) _exit(101);
            int r = ro_checks(s);
            store_close(s);
            _exit(r);
        }
        int status;
        assert_int_equal(waitpid(pid, &status, 0), pid);
        assert_true(WIFEXITED(status));
        if (WEXITSTATUS(status) == 100) {
            print_message("store: read-only directory case skipped (running as "
                          "root and cannot drop privileges)\n");
        } else {
            assert_int_equal(WEXITSTATUS(status), 0);
        }
    }
    tu_path_join(to, copy, "lock.mdb");
    assert_int_equal(access(to, F_OK), -1); /* no lock file was made */
    tu_rm_rf(base);
    tu_rm_rf(src);
}

/* ---- two processes ------------------------------------------------------- */

static int child_check_feed(store *s, uint8_t tag, uint64_t size)
{
    store_txn *t;
    store_feed f;
    uint8_t author[32];
    author_of(tag, author);
    if (store_read_begin(s, &t) != CF_OK) return 1;
    int r = store_feed_get(t, author, &f) != CF_OK || f.size != size;
    store_read_end(t);
    return r;
}

static int two_process_child(const char *dir, int rfd, int wfd)
{
    store *s;
    char c;
    if (store_open(dir, 0, &s) != CF_OK) return 20;
    /* Enough to grow the map (home created with 64 KiB) several times. */
    for (uint64_t b = 0; b < 20; b++)
        if (append_batch(s, 17, b * 100, 100, NULL) != CF_OK) return 21;
    if (write(wfd, "a", 1) != 1) return 22;
    if (read(rfd, &c, 1) != 1 || c != 'b') return 23;
    if (child_check_feed(s, 18, 50)) return 24;
    if (child_check_feed(s, 17, 2010)) return 25;
    if (append_batch(s, 17, 2010, 5, NULL) != CF_OK) return 26;
    store_close(s);
    return 0;
}

static void test_two_processes(void **state)
{
    (void)state;
    char dir[TU_PATH_BYTES];
    int p2c[2], c2p[2];
    store *s;
    store_txn *t;
    tu_tmpdir(dir, "test-store");
    setenv("COFUND_MAP_BYTES", "65536", 1);
    assert_int_equal(store_open(dir, 0, &s), CF_OK);
    unsetenv("COFUND_MAP_BYTES");
    assert_int_equal(append_batch(s, 18, 0, 20, NULL), CF_OK);
    assert_int_equal(pipe(p2c), 0);
    assert_int_equal(pipe(c2p), 0);
    fflush(NULL);
    pid_t pid = fork();
    assert_true(pid >= 0);
    if (pid == 0) {
        close(p2c[1]);
        close(c2p[0]);
        /* The parent's handle is left alone (LMDB handles do not survive a
         * fork); the child opens its own. */
        _exit(two_process_child(dir, p2c[0], c2p[1]));
    }
    close(p2c[0]);
    close(c2p[1]);
    char c;
    assert_int_equal(read(c2p[0], &c, 1), 1);
    /* The child's feed, written after our open, in a map it grew. */
    check_feed(s, 17, 2000, 0);
    assert_int_equal(store_read_begin(s, &t), CF_OK);
    store_read_end(t);
    /* Our writes on top of the child's: its nodes seed our appender. */
    assert_int_equal(append_batch(s, 18, 20, 30, NULL), CF_OK);
    assert_int_equal(append_batch(s, 17, 2000, 10, NULL), CF_OK);
    assert_int_equal(write(p2c[1], "b", 1), 1);
    int status;
    assert_int_equal(waitpid(pid, &status, 0), pid);
    assert_true(WIFEXITED(status));
    assert_int_equal(WEXITSTATUS(status), 0);
    close(p2c[1]);
    close(c2p[0]);
    check_feed(s, 17, 2015, 0);
    check_feed(s, 18, 50, 0);
    store_close(s);
    tu_rm_rf(dir);
}

int main(void)
{
    unsetenv("COFUND_MAP_BYTES");
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_open_schema),
        cmocka_unit_test_setup_teardown(test_schema_corrupt, fx_setup, fx_teardown),
        cmocka_unit_test_setup_teardown(test_schema_upgrade, fx_setup, fx_teardown),
        cmocka_unit_test(test_bad_map_env),
        cmocka_unit_test(test_map_growth),
        cmocka_unit_test(test_disk_full),
        cmocka_unit_test(test_readonly_copy),
        cmocka_unit_test(test_two_processes),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
