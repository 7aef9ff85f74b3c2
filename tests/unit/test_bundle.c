/* test_bundle.c — the bundle file (node/bundle/bundle.h): writing, and reading
 * back what was written. What the reader refuses is in test_bundle_read.c;
 * the shared fixture in bundle_fixture.h.
 *
 * A golden empty bundle computed outside cofund (Python's hashlib) pins the
 * bytes, and the writer's output must equal the hand-built one byte for
 * byte. Random tests print their seed; set COFUND_SEED=<n> to replay one
 * run.
 */
#include <errno.h>
#include <setjmp.h>
#include <signal.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cmocka.h>

#include "bundle/bundle.h"
#include "bundle_fixture.h"
#include "crypto/cbor.h"
#include "crypto/cf_error.h"
#include "crypto/cf_util.h"
#include "crypto/note.h"
#include "ledger/entry.h"

#define RANDOM_BUNDLES 40
#define RANDOM_MUTATIONS 3000

/* ---- tests: writing and reading back -------------------------------------- */

static void test_golden_empty(void **state)
{
    (void)state;
    static const char *golden =
        "636f66756e642d62756e646c652f310a480000002aa2617601636e6574582000"
        "0102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f5a"
        "0000003aa36566656564730066736861323536582028ddfa37c192bbb8fc0ac2"
        "bbbd4a9183fa2dfa3fda367fe42d01391cad04432a67656e747269657300";
    uint8_t want[126];
    assert_int_equal(strlen(golden), 2 * sizeof want);
    assert_int_equal(cf_hex_decode(golden, strlen(golden), want, sizeof want), CF_OK);

    struct tbundle tb;
    memset(&tb, 0, sizeof tb);
    for (int i = 0; i < 32; i++) tb.net[i] = (uint8_t)i;
    char path[256];
    size_t len;
    dir_path(path, sizeof path, "empty.bundle");
    write_tbundle(path, &tb);
    uint8_t *got = slurp(path, &len);
    assert_int_equal(len, sizeof want);
    assert_memory_equal(got, want, sizeof want);
    free(got);
    mb_tbundle(&g_mb, &tb);
    assert_int_equal(g_mb.len, sizeof want);
    assert_memory_equal(g_mb.buf, want, sizeof want);
    roundtrip(&tb, "empty2.bundle");
}

static void test_roundtrip_one_feed(void **state)
{
    (void)state;
    struct tbundle tb;
    tbundle_init(&tb);
    make_feed(&tb.feeds[0], 1, 0, 3);
    tb.nfeeds = 1;
    roundtrip(&tb, "one.bundle");
}

static void test_roundtrip_three_feeds_and_forks(void **state)
{
    (void)state;
    static struct tbundle tb;
    tbundle_init(&tb);
    make_feed(&tb.feeds[0], 1, 0, 2);
    make_feed(&tb.feeds[1], 2, 3, 7); /* from > 0 */
    make_feed(&tb.feeds[2], 3, 5, 5); /* from == size: no entries */
    tb.nfeeds = 3;
    make_fork(&tb, 1);
    make_fork(&tb, 2);
    roundtrip(&tb, "three.bundle");

    /* The writer's bytes equal the hand-built ones. */
    char path[256];
    size_t len;
    dir_path(path, sizeof path, "three.bundle");
    uint8_t *got = slurp(path, &len);
    mb_tbundle(&g_mb, &tb);
    assert_int_equal(len, g_mb.len);
    assert_memory_equal(got, g_mb.buf, len);
    free(got);
}

static void test_roundtrip_forks_only(void **state)
{
    (void)state;
    struct tbundle tb;
    tbundle_init(&tb);
    make_fork(&tb, 9);
    roundtrip(&tb, "forks.bundle");
}

static void test_roundtrip_checkpoints(void **state)
{
    (void)state;
    static struct tbundle tb;
    tbundle_init(&tb);
    make_feed(&tb.feeds[0], 1, 0, 8);
    tb.feeds[0].nks = 3;
    tb.feeds[0].ks[0] = 1;
    tb.feeds[0].ks[1] = 3;
    tb.feeds[0].ks[2] = 7; /* size - 1 */
    make_feed(&tb.feeds[1], 2, 5, 9); /* K records below `from` too */
    tb.feeds[1].nks = 2;
    tb.feeds[1].ks[0] = 2;
    tb.feeds[1].ks[1] = 8;
    make_feed(&tb.feeds[2], 3, 4, 4); /* no entries, then K records */
    tb.feeds[2].nks = 1;
    tb.feeds[2].ks[0] = 3;
    make_feed(&tb.feeds[3], 4, 0, 2); /* none */
    tb.nfeeds = 4;
    make_fork(&tb, 5);
    roundtrip(&tb, "ks.bundle");

    /* The writer's bytes equal the hand-built ones: K = 'K' || u32 length
     * || the note, right after the feed's entries. */
    char path[256];
    size_t len;
    dir_path(path, sizeof path, "ks.bundle");
    uint8_t *got = slurp(path, &len);
    mb_tbundle(&g_mb, &tb);
    assert_int_equal(len, g_mb.len);
    assert_memory_equal(got, g_mb.buf, len);
    free(got);
}

static void test_writer_checkpoint_misuse(void **state)
{
    (void)state;
    struct tfeed f;
    make_feed(&f, 6, 0, 4);
    char k[6][NOTE_BYTES_MAX], other[NOTE_BYTES_MAX];
    size_t k_len[6];
    for (uint64_t i = 0; i < 6; i++) k_len[i] = make_ckpt(6, i, k[i], sizeof k[i]);
    size_t other_len = make_ckpt_origin(6, "example.com/another-log", 2, other, sizeof other);
    uint8_t e[ENTRY_BYTES_MAX], fork[1] = {0x00};

    char path[256];
    dir_path(path, sizeof path, "kmisuse.bundle");
    bundle_writer *w;
    diag d;
    assert_int_equal(bundle_writer_open(path, &w), CF_OK);
    assert_int_equal(bundle_write_checkpoint(w, k[1], k_len[1]), CF_EINVAL); /* no header */
    assert_int_equal(bundle_write_header(w, f.author), CF_OK);
    assert_int_equal(bundle_write_checkpoint(w, k[1], k_len[1]), CF_EINVAL); /* no feed */
    assert_int_equal(bundle_write_feed(w, f.author, 0, 4, f.ckpt, f.ckpt_len), CF_OK);
    assert_int_equal(bundle_write_checkpoint(w, k[1], k_len[1]), CF_EINVAL); /* entries due */
    for (uint64_t x = 0; x < 4; x++)
        assert_int_equal(bundle_write_entry(w, e, entry_bytes(&f, x, e)), CF_OK);

    assert_int_equal(bundle_write_checkpoint(NULL, k[1], k_len[1]), CF_EINVAL);
    assert_int_equal(bundle_write_checkpoint(w, NULL, k_len[1]), CF_EINVAL);
    assert_int_equal(bundle_write_checkpoint(w, k[1], 0), CF_EINVAL);
    assert_int_equal(bundle_write_checkpoint(w, k[1], NOTE_BYTES_MAX + 1), CF_EINVAL);
    assert_int_equal(bundle_write_checkpoint(w, "junk\n", 5), CF_EINVAL);
    assert_int_equal(bundle_write_checkpoint(w, k[0], k_len[0]), CF_EINVAL);   /* size 0 */
    assert_int_equal(bundle_write_checkpoint(w, k[4], k_len[4]), CF_EINVAL);   /* = size */
    assert_int_equal(bundle_write_checkpoint(w, k[5], k_len[5]), CF_EINVAL);   /* > size */
    assert_int_equal(bundle_write_checkpoint(w, other, other_len), CF_EINVAL); /* origin */
    assert_int_equal(bundle_write_checkpoint(w, f.ckpt, f.ckpt_len), CF_EINVAL);
    assert_int_equal(bundle_write_checkpoint(w, k[2], k_len[2]), CF_OK);
    assert_int_equal(bundle_write_checkpoint(w, k[2], k_len[2]), CF_EINVAL); /* not above */
    assert_int_equal(bundle_write_checkpoint(w, k[1], k_len[1]), CF_EINVAL);
    assert_int_equal(bundle_write_checkpoint(w, k[3], k_len[3]), CF_OK);

    /* A new feed starts its own sequence; after a fork, no K record. A
     * second feed record of one author is refused (docs/format.md). */
    struct tfeed g, again;
    make_feed(&again, 6, 3, 3);
    assert_int_equal(bundle_write_feed(w, again.author, 3, 3, again.ckpt, again.ckpt_len),
                     CF_EINVAL);
    make_feed(&g, 7, 3, 3); /* another key, the same origin, size 3 */
    assert_int_equal(bundle_write_feed(w, g.author, 3, 3, g.ckpt, g.ckpt_len), CF_OK);
    assert_int_equal(bundle_write_checkpoint(w, k[3], k_len[3]), CF_EINVAL); /* = size */
    assert_int_equal(bundle_write_checkpoint(w, k[1], k_len[1]), CF_OK);
    assert_int_equal(bundle_write_fork(w, fork, sizeof fork), CF_OK);
    assert_int_equal(bundle_write_checkpoint(w, k[2], k_len[2]), CF_EINVAL);

    /* Every refused call left the writer intact. */
    diag_clear(&d);
    assert_int_equal(bundle_writer_commit(w, &d), CF_OK);
    size_t len;
    uint8_t *bytes = slurp(path, &len);
    expect_good(bytes, len);
    free(bytes);
}

static void test_limits(void **state)
{
    (void)state;
    /* An entry of exactly ENTRY_BYTES_MAX and a fork of exactly
     * BUNDLE_PAYLOAD_BYTES_MAX pass both ways; one byte more does not. */
    static uint8_t big[BUNDLE_PAYLOAD_BYTES_MAX + 8];
    static uint8_t fork[BUNDLE_PAYLOAD_BYTES_MAX + 8];
    memset(big, 0x5a, sizeof big);
    cbor_enc e;
    size_t fork_len;
    cbor_enc_init(&e, fork, sizeof fork);
    cbor_put_bytes(&e, big, BUNDLE_PAYLOAD_BYTES_MAX - 3); /* 3-byte head */
    assert_int_equal(cbor_enc_finish(&e, &fork_len), CF_OK);
    assert_int_equal(fork_len, BUNDLE_PAYLOAD_BYTES_MAX);

    struct tfeed f;
    make_feed(&f, 4, 0, 1);
    char path[256];
    diag d;
    bundle_writer *w;
    dir_path(path, sizeof path, "limits.bundle");
    assert_int_equal(bundle_writer_open(path, &w), CF_OK);
    assert_int_equal(bundle_write_header(w, f.author), CF_OK);
    assert_int_equal(bundle_write_feed(w, f.author, 0, 1, f.ckpt, f.ckpt_len), CF_OK);
    assert_int_equal(bundle_write_entry(w, big, ENTRY_BYTES_MAX + 1), CF_EINVAL);
    assert_int_equal(bundle_write_entry(w, big, ENTRY_BYTES_MAX), CF_OK);
    assert_int_equal(bundle_write_fork(w, fork, fork_len), CF_OK);
    assert_int_equal(bundle_writer_commit(w, &d), CF_OK);
    size_t len;
    uint8_t *bytes = slurp(path, &len);
    expect_good(bytes, len);
    free(bytes);

    /* Reader side, one byte over each limit. */
    mb_init(&g_mb);
    mb_header_v(&g_mb, 1, f.author);
    mb_feed_raw(&g_mb, 0, f.author, f.ckpt, f.ckpt_len);
    mb_record(&g_mb, 'E', big, ENTRY_BYTES_MAX + 1);
    mb_end(&g_mb, 1, 1);
    expect_bad(g_mb.buf, g_mb.len, "bad length 16385");
    mb_init(&g_mb);
    mb_header_v(&g_mb, 1, f.author);
    mb_record(&g_mb, 'X', big, BUNDLE_PAYLOAD_BYTES_MAX + 1);
    mb_end(&g_mb, 0, 0);
    expect_bad(g_mb.buf, g_mb.len, "bad length 65537");
}

static void test_stale_tmp_and_replace(void **state)
{
    (void)state;
    char path[256], tmp[300];
    dir_path(path, sizeof path, "stale.bundle");
    snprintf(tmp, sizeof tmp, "%s.tmp", path);
    FILE *f = fopen(tmp, "wb");
    assert_non_null(f);
    fputs("left over by a crashed export", f);
    fclose(f);
    f = fopen(path, "wb");
    assert_non_null(f);
    fputs("an older bundle", f);
    fclose(f);

    struct tbundle tb;
    tbundle_init(&tb);
    make_feed(&tb.feeds[0], 5, 0, 1);
    tb.nfeeds = 1;
    roundtrip(&tb, "stale.bundle");
    assert_false(exists(tmp));

    /* A relative path: the directory to sync is ".". */
    char cwd[4096];
    assert_non_null(getcwd(cwd, sizeof cwd));
    assert_int_equal(chdir(g_dir), 0);
    bundle_writer *w;
    diag d;
    assert_int_equal(bundle_writer_open("relative.bundle", &w), CF_OK);
    assert_int_equal(bundle_write_header(w, tb.net), CF_OK);
    assert_int_equal(bundle_writer_commit(w, &d), CF_OK);
    assert_int_equal(chdir(cwd), 0);
    char rel[256];
    dir_path(rel, sizeof rel, "relative.bundle");
    assert_true(exists(rel));
    struct stat st;
    assert_int_equal(stat(path, &st), 0);
    mode_t mask = umask(022);
    umask(mask);
    assert_int_equal(st.st_mode & 0777, 0600 & ~mask); /* the whole ledger: not for others */
}

static void test_writer_misuse(void **state)
{
    (void)state;
    struct tfeed f;
    make_feed(&f, 6, 1, 3);
    char other[NOTE_BYTES_MAX + 1];
    size_t other_len = make_ckpt(6, 4, other, sizeof other); /* size 4 */
    uint8_t e[ENTRY_BYTES_MAX];
    uint8_t fork[16];
    size_t fork_len;
    cbor_enc enc;
    cbor_enc_init(&enc, fork, sizeof fork);
    cbor_put_uint(&enc, 7);
    assert_int_equal(cbor_enc_finish(&enc, &fork_len), CF_OK);
    static const uint8_t not_cbor[] = {0xff};
    static const uint8_t two_items[] = {0x01, 0x02};

    char path[256], tmp[300];
    dir_path(path, sizeof path, "misuse.bundle");
    snprintf(tmp, sizeof tmp, "%s.tmp", path);
    bundle_writer *w;
    diag d;
    assert_int_equal(bundle_writer_open(NULL, &w), CF_EINVAL);
    assert_int_equal(bundle_writer_open("", &w), CF_EINVAL);
    assert_int_equal(bundle_writer_open(path, NULL), CF_EINVAL);
    assert_int_equal(bundle_writer_open(path, &w), CF_OK);
    assert_true(exists(tmp));

    /* Before the header. */
    assert_int_equal(bundle_write_feed(w, f.author, 1, 3, f.ckpt, f.ckpt_len), CF_EINVAL);
    assert_int_equal(bundle_write_entry(w, e, 1), CF_EINVAL);
    assert_int_equal(bundle_write_fork(w, fork, fork_len), CF_EINVAL);
    assert_int_equal(bundle_write_header(NULL, f.author), CF_EINVAL);
    assert_int_equal(bundle_write_header(w, NULL), CF_EINVAL);
    assert_int_equal(bundle_write_header(w, f.author), CF_OK);
    assert_int_equal(bundle_write_header(w, f.author), CF_EINVAL);

    /* Feeds the reader would refuse. */
    assert_int_equal(bundle_write_entry(w, e, 1), CF_EINVAL); /* no feed */
    assert_int_equal(bundle_write_feed(w, f.author, 4, 3, f.ckpt, f.ckpt_len), CF_EINVAL);
    assert_int_equal(bundle_write_feed(w, f.author, 1, 4, f.ckpt, f.ckpt_len), CF_EINVAL);
    assert_int_equal(bundle_write_feed(w, f.author, 1, 3, "junk\n", 5), CF_EINVAL);
    assert_int_equal(bundle_write_feed(w, f.author, 1, 3, f.ckpt, 0), CF_EINVAL);
    assert_int_equal(bundle_write_feed(w, f.author, 1, 3, NULL, 10), CF_EINVAL);
    assert_int_equal(bundle_write_feed(w, NULL, 1, 3, f.ckpt, f.ckpt_len), CF_EINVAL);
    assert_int_equal(bundle_write_feed(w, f.author, 1, 3, f.ckpt, NOTE_BYTES_MAX + 1),
                     CF_EINVAL);
    assert_int_equal(bundle_write_feed(w, f.author, 1, 3, f.ckpt, f.ckpt_len), CF_OK);

    /* Two entries outstanding. */
    assert_int_equal(bundle_write_feed(w, f.author, 0, 4, other, other_len), CF_EINVAL);
    assert_int_equal(bundle_write_fork(w, fork, fork_len), CF_EINVAL);
    assert_int_equal(bundle_write_entry(w, e, 0), CF_EINVAL);
    assert_int_equal(bundle_write_entry(w, NULL, 1), CF_EINVAL);
    assert_int_equal(bundle_write_entry(w, e, ENTRY_BYTES_MAX + 1), CF_EINVAL);
    size_t n = entry_bytes(&f, 1, e);
    assert_int_equal(bundle_write_entry(w, e, n), CF_OK);
    n = entry_bytes(&f, 2, e);
    assert_int_equal(bundle_write_entry(w, e, n), CF_OK);
    assert_int_equal(bundle_write_entry(w, e, n), CF_EINVAL); /* one too many */

    /* Forks: canonical CBOR only, and no feed after them. */
    assert_int_equal(bundle_write_fork(w, not_cbor, sizeof not_cbor), CF_EINVAL);
    assert_int_equal(bundle_write_fork(w, two_items, sizeof two_items), CF_EINVAL);
    assert_int_equal(bundle_write_fork(w, fork, 0), CF_EINVAL);
    assert_int_equal(bundle_write_fork(w, NULL, 1), CF_EINVAL);
    assert_int_equal(bundle_write_fork(w, fork, fork_len), CF_OK);
    assert_int_equal(bundle_write_feed(w, f.author, 4, 4, other, other_len), CF_EINVAL);
    assert_int_equal(bundle_write_fork(w, fork, fork_len), CF_OK);

    /* Every refused call left the writer intact. */
    diag_clear(&d);
    assert_int_equal(bundle_writer_commit(w, &d), CF_OK);
    assert_false(exists(tmp));
    size_t len;
    uint8_t *bytes = slurp(path, &len);
    expect_good(bytes, len);
    free(bytes);
}

static void test_writer_commit_misuse(void **state)
{
    (void)state;
    struct tfeed f;
    make_feed(&f, 7, 0, 2);
    char path[256], tmp[300];
    dir_path(path, sizeof path, "commit.bundle");
    snprintf(tmp, sizeof tmp, "%s.tmp", path);
    bundle_writer *w;
    diag d;

    assert_int_equal(bundle_writer_commit(NULL, &d), CF_EINVAL);
    bundle_writer_abort(NULL);

    /* Before the header: refused, the temporary file is removed. */
    assert_int_equal(bundle_writer_open(path, &w), CF_OK);
    assert_int_equal(bundle_writer_commit(w, &d), CF_EINVAL);
    assert_non_null(strstr(d.text, "before the header"));
    assert_false(exists(tmp));
    assert_false(exists(path));

    /* Entries outstanding. */
    uint8_t e[ENTRY_BYTES_MAX];
    assert_int_equal(bundle_writer_open(path, &w), CF_OK);
    assert_int_equal(bundle_write_header(w, f.author), CF_OK);
    assert_int_equal(bundle_write_feed(w, f.author, 0, 2, f.ckpt, f.ckpt_len), CF_OK);
    assert_int_equal(bundle_write_entry(w, e, entry_bytes(&f, 0, e)), CF_OK);
    assert_int_equal(bundle_writer_commit(w, &d), CF_EINVAL);
    assert_non_null(strstr(d.text, "still needs 1 entries"));
    assert_false(exists(tmp));
    assert_false(exists(path));

    /* Abort leaves an existing bundle at path alone. */
    FILE *old = fopen(path, "wb");
    assert_non_null(old);
    fputs("older", old);
    fclose(old);
    assert_int_equal(bundle_writer_open(path, &w), CF_OK);
    assert_int_equal(bundle_write_header(w, f.author), CF_OK);
    bundle_writer_abort(w);
    assert_false(exists(tmp));
    size_t len;
    uint8_t *bytes = slurp(path, &len);
    assert_int_equal(len, 5);
    assert_memory_equal(bytes, "older", 5);
    free(bytes);
    unlink(path);

    /* Another export replaced our temporary file: commit fails and leaves
     * the other file alone. */
    assert_int_equal(bundle_writer_open(path, &w), CF_OK);
    assert_int_equal(bundle_write_header(w, f.author), CF_OK);
    assert_int_equal(unlink(tmp), 0);
    old = fopen(tmp, "wb");
    assert_non_null(old);
    fputs("theirs", old);
    fclose(old);
    assert_int_equal(bundle_writer_commit(w, &d), CF_EIO);
    assert_non_null(strstr(d.text, "replaced by another export"));
    assert_false(exists(path));
    bytes = slurp(tmp, &len);
    assert_int_equal(len, 6);
    free(bytes);
    unlink(tmp);

    /* A directory that does not exist. */
    char missing[300];
    snprintf(missing, sizeof missing, "%s/no/such/dir/x.bundle", g_dir);
    errno = 0;
    assert_int_equal(bundle_writer_open(missing, &w), CF_EIO);
    assert_int_equal(errno, ENOENT);
}

/* A file size limit makes write(2) fail with EFBIG: the writer must report
 * CF_EIO, remove its temporary file at once and keep failing. */
static void test_writer_io_error(void **state)
{
    (void)state;
    struct rlimit old, lim;
    assert_int_equal(getrlimit(RLIMIT_FSIZE, &old), 0);
    void (*old_handler)(int) = signal(SIGXFSZ, SIG_IGN);
    lim = old;
    lim.rlim_cur = 8192;
    assert_int_equal(setrlimit(RLIMIT_FSIZE, &lim), 0);

    struct tfeed f;
    make_feed(&f, 8, 0, 40);
    char path[256], tmp[300];
    dir_path(path, sizeof path, "io.bundle");
    snprintf(tmp, sizeof tmp, "%s.tmp", path);
    bundle_writer *w;
    diag d;
    static uint8_t e[ENTRY_BYTES_MAX];
    memset(e, 1, sizeof e);
    assert_int_equal(bundle_writer_open(path, &w), CF_OK);
    assert_int_equal(bundle_write_header(w, f.author), CF_OK);
    assert_int_equal(bundle_write_feed(w, f.author, 0, 40, f.ckpt, f.ckpt_len), CF_OK);
    int rc = CF_OK;
    for (int i = 0; i < 40 && rc == CF_OK; i++) rc = bundle_write_entry(w, e, sizeof e);
    assert_int_equal(rc, CF_EIO);
    assert_false(exists(tmp));
    assert_int_equal(bundle_write_entry(w, e, 1), CF_EIO);
    assert_int_equal(bundle_write_fork(w, e, 1), CF_EIO);
    diag_clear(&d);
    assert_int_equal(bundle_writer_commit(w, &d), CF_EIO);
    assert_non_null(strstr(d.text, "write"));
    assert_false(exists(path));
    assert_false(exists(tmp));

    /* The failure can also surface only at commit (flush). */
    assert_int_equal(bundle_writer_open(path, &w), CF_OK);
    assert_int_equal(bundle_write_header(w, f.author), CF_OK);
    assert_int_equal(bundle_write_feed(w, f.author, 0, 40, f.ckpt, f.ckpt_len), CF_OK);
    lim.rlim_cur = 0;
    assert_int_equal(setrlimit(RLIMIT_FSIZE, &lim), 0);
    for (int i = 0; i < 40; i++) assert_int_equal(bundle_write_entry(w, e, 1), CF_OK);
    assert_int_equal(bundle_writer_commit(w, &d), CF_EIO);
    assert_false(exists(path));
    assert_false(exists(tmp));

    assert_int_equal(setrlimit(RLIMIT_FSIZE, &old), 0);
    signal(SIGXFSZ, old_handler);
}


/* Random bundles round-trip through the writer and both readers; random
 * flips, truncations and insertions are all rejected. */
static void test_random(void **state)
{
    (void)state;
    uint64_t s = g_seed;
    static struct tbundle tb;
    uint8_t *copy = malloc(MB_BYTES_MAX + 16);
    assert_non_null(copy);
    for (int b = 0; b < RANDOM_BUNDLES; b++) {
        tbundle_init(&tb);
        tb.net[0] = (uint8_t)b;
        tb.nfeeds = rng_next(&s) % 5;
        for (size_t i = 0; i < tb.nfeeds; i++) {
            uint64_t size = rng_next(&s) % 12, from = rng_next(&s) % (size + 1);
            struct tfeed *f = &tb.feeds[i];
            make_feed(f, (uint8_t)(10 + i), from, size);
            f->entry_seed ^= rng_next(&s);
            for (uint64_t k = 1; k < size && f->nks < KS_MAX; k++)
                if (rng_next(&s) % 4 == 0) f->ks[f->nks++] = k;
        }
        size_t nforks = rng_next(&s) % 3;
        for (size_t i = 0; i < nforks; i++) make_fork(&tb, (uint8_t)rng_next(&s));
        char name[32];
        snprintf(name, sizeof name, "random%d.bundle", b);
        roundtrip(&tb, name);
        mb_tbundle(&g_mb, &tb);
        for (int m = 0; m < RANDOM_MUTATIONS / RANDOM_BUNDLES; m++) {
            size_t len = g_mb.len, at = (size_t)(rng_next(&s) % len);
            memcpy(copy, g_mb.buf, len);
            switch (rng_next(&s) % 3) {
            case 0: copy[at] ^= (uint8_t)(1 + rng_next(&s) % 255); break;
            case 1: len = at; break;
            default:
                memmove(copy + at + 1, copy + at, len - at);
                copy[at] = (uint8_t)rng_next(&s);
                len++;
            }
            diag d;
            int rc = read_all(copy, len, rng_next(&s) & 1, &d, NULL);
            if (rc != CF_EBUNDLE)
                fail_msg("mutation accepted (%d), seed %llu bundle %d", rc,
                         (unsigned long long)g_seed, b);
        }
    }
    free(copy);
}

int main(void)
{
    fixture_seed("test_bundle");
    if (cf_crypto_init() != CF_OK) return 1;
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_golden_empty),
        cmocka_unit_test(test_roundtrip_one_feed),
        cmocka_unit_test(test_roundtrip_three_feeds_and_forks),
        cmocka_unit_test(test_roundtrip_forks_only),
        cmocka_unit_test(test_roundtrip_checkpoints),
        cmocka_unit_test(test_writer_checkpoint_misuse),
        cmocka_unit_test(test_limits),
        cmocka_unit_test(test_stale_tmp_and_replace),
        cmocka_unit_test(test_writer_misuse),
        cmocka_unit_test(test_writer_commit_misuse),
        cmocka_unit_test(test_writer_io_error),
        cmocka_unit_test(test_random),
    };
    return cmocka_run_group_tests(tests, dir_setup, dir_teardown);
}
