/* test_bundle.c — the bundle file (node/bundle.h): writer and reader.
 *
 * Bundles are built two ways: with the writer, and by hand with a small
 * in-test encoder (mb_*) that can also produce every defect. A golden empty
 * bundle computed outside cofund (Python's hashlib) pins the bytes, and the
 * writer's output must equal the hand-built one byte for byte. Every read
 * test runs through both the memory and the FILE* reader. Random tests
 * print their seed; set COFUND_SEED=<n> to replay one run.
 */
#include <dirent.h>
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
#include <time.h>
#include <unistd.h>

#include <cmocka.h>

#include "bundle.h"
#include "cbor.h"
#include "cf_error.h"
#include "cf_util.h"
#include "entry.h"
#include "note.h"

#define FEEDS_MAX 8
#define FORKS_MAX 4
#define FORK_BYTES_MAX 64
/* Test entries are 1..ENTRY_TEST_BYTES_MAX bytes: small bundles stay small. */
#define ENTRY_TEST_BYTES_MAX 300
#define MB_BYTES_MAX (512 * 1024)
#define RANDOM_BUNDLES 40
#define RANDOM_MUTATIONS 3000
/* Bounds every read loop: a reader that never stops is a failure. */
#define RECORDS_MAX 100000
#define ORIGIN "example.com/cofund-test"

static uint64_t g_seed;

static uint64_t rng_next(uint64_t *s)
{
    uint64_t z = (*s += 0x9E3779B97F4A7C15ULL);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
    return z ^ (z >> 31);
}

/* ---- temporary directory ------------------------------------------------ */

static char g_dir[64];

static int dir_setup(void **state)
{
    (void)state;
    snprintf(g_dir, sizeof g_dir, "/tmp/test_bundle.XXXXXX");
    return mkdtemp(g_dir) != NULL ? 0 : -1;
}

static int dir_teardown(void **state)
{
    (void)state;
    DIR *dir = opendir(g_dir);
    if (dir == NULL) return -1;
    struct dirent *de;
    char p[sizeof g_dir + 256 + 2];
    while ((de = readdir(dir)) != NULL) {
        if (strcmp(de->d_name, ".") == 0 || strcmp(de->d_name, "..") == 0) continue;
        snprintf(p, sizeof p, "%s/%s", g_dir, de->d_name);
        unlink(p);
    }
    closedir(dir);
    return rmdir(g_dir);
}

static void dir_path(char *out, size_t cap, const char *name)
{
    snprintf(out, cap, "%s/%s", g_dir, name);
}

static bool exists(const char *path)
{
    struct stat st;
    return stat(path, &st) == 0;
}

static uint8_t *slurp(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    assert_non_null(f);
    uint8_t *buf = malloc(MB_BYTES_MAX);
    assert_non_null(buf);
    *len = fread(buf, 1, MB_BYTES_MAX, f);
    assert_false(ferror(f));
    assert_int_equal(fgetc(f), EOF);
    fclose(f);
    return buf;
}

/* ---- test feeds ----------------------------------------------------------- */

struct tfeed {
    uint8_t author[32];
    uint64_t from, size;
    char ckpt[NOTE_BYTES_MAX + 1];
    size_t ckpt_len;
    uint64_t entry_seed; /* the entries' bytes derive from it */
};

struct tbundle {
    uint8_t net[32];
    size_t nfeeds;
    struct tfeed feeds[FEEDS_MAX];
    size_t nforks;
    uint8_t forks[FORKS_MAX][FORK_BYTES_MAX];
    size_t fork_len[FORKS_MAX];
};

/* A real signed checkpoint of tree size `size` by a key derived from id. */
static size_t make_ckpt(uint8_t id, uint64_t size, char *out, size_t cap)
{
    uint8_t seed[32], pk[32], sk[64], root[32];
    char text[512];
    size_t text_len, len;
    memset(seed, id, sizeof seed);
    assert_int_equal(cf_ed25519_keypair_from_seed(seed, pk, sk), CF_OK);
    cf_sha256(&size, sizeof size, root);
    assert_int_equal(checkpoint_format(ORIGIN, size, root, text, sizeof text, &text_len),
                     CF_OK);
    assert_int_equal(note_sign(text, text_len, ORIGIN, sk, out, cap, &len), CF_OK);
    return len;
}

static void make_feed(struct tfeed *f, uint8_t id, uint64_t from, uint64_t size)
{
    memset(f->author, id, sizeof f->author);
    f->from = from;
    f->size = size;
    f->ckpt_len = make_ckpt(id, size, f->ckpt, sizeof f->ckpt);
    f->entry_seed = 1000u * id + size;
}

/* Deterministic entry bytes for (feed, index). */
static size_t entry_bytes(const struct tfeed *f, uint64_t index, uint8_t *out)
{
    uint64_t s = f->entry_seed ^ (index * 0x2545F4914F6CDD1DULL);
    size_t len = 1 + (size_t)(rng_next(&s) % ENTRY_TEST_BYTES_MAX);
    for (size_t i = 0; i < len; i++) out[i] = (uint8_t)rng_next(&s);
    return len;
}

/* A fork "proof": any canonical CBOR item will do for the file layer. */
static void make_fork(struct tbundle *tb, uint8_t id)
{
    uint8_t body[8];
    memset(body, id, sizeof body);
    cbor_enc e;
    cbor_enc_init(&e, tb->forks[tb->nforks], FORK_BYTES_MAX);
    cbor_put_array(&e, 2);
    cbor_put_uint(&e, id);
    cbor_put_bytes(&e, body, sizeof body);
    assert_int_equal(cbor_enc_finish(&e, &tb->fork_len[tb->nforks]), CF_OK);
    tb->nforks++;
}

static void tbundle_init(struct tbundle *tb)
{
    memset(tb, 0, sizeof *tb);
    for (int i = 0; i < 32; i++) tb->net[i] = (uint8_t)(0xa0 + i);
}

static void write_tbundle(const char *path, const struct tbundle *tb)
{
    bundle_writer *w;
    diag d;
    uint8_t e[ENTRY_BYTES_MAX];
    assert_int_equal(bundle_writer_open(path, &w), CF_OK);
    assert_int_equal(bundle_write_header(w, tb->net), CF_OK);
    for (size_t i = 0; i < tb->nfeeds; i++) {
        const struct tfeed *f = &tb->feeds[i];
        assert_int_equal(bundle_write_feed(w, f->author, f->from, f->size, f->ckpt,
                                           f->ckpt_len), CF_OK);
        for (uint64_t x = f->from; x < f->size; x++) {
            size_t n = entry_bytes(f, x, e);
            assert_int_equal(bundle_write_entry(w, e, n), CF_OK);
        }
    }
    for (size_t i = 0; i < tb->nforks; i++)
        assert_int_equal(bundle_write_fork(w, tb->forks[i], tb->fork_len[i]), CF_OK);
    diag_clear(&d);
    int rc = bundle_writer_commit(w, &d);
    if (rc != CF_OK) fail_msg("commit: %s", d.text);
}

/* Read r to the end and compare every record with tb. */
static void check_tbundle(bundle_reader *r, const struct tbundle *tb, uint64_t total)
{
    bundle_record rec;
    diag d;
    uint8_t e[ENTRY_BYTES_MAX];
    diag_clear(&d);
#define NEXT_OK()                                                             \
    do {                                                                      \
        int rc_ = bundle_next(r, &rec, &d);                                   \
        if (rc_ != CF_OK) fail_msg("bundle_next %d: %s", rc_, d.text);        \
    } while (0)
    NEXT_OK();
    assert_int_equal(rec.type, BUNDLE_HEADER);
    assert_memory_equal(rec.net, tb->net, 32);
    for (size_t i = 0; i < tb->nfeeds; i++) {
        const struct tfeed *f = &tb->feeds[i];
        NEXT_OK();
        assert_int_equal(rec.type, BUNDLE_FEED);
        assert_memory_equal(rec.author, f->author, 32);
        assert_int_equal(rec.from, f->from);
        assert_int_equal(rec.size, f->size);
        assert_int_equal(rec.checkpoint_len, f->ckpt_len);
        assert_memory_equal(rec.checkpoint, f->ckpt, f->ckpt_len);
        for (uint64_t x = f->from; x < f->size; x++) {
            NEXT_OK();
            size_t n = entry_bytes(f, x, e);
            assert_int_equal(rec.type, BUNDLE_ENTRY);
            assert_int_equal(rec.index, x);
            assert_int_equal(rec.len, n);
            assert_memory_equal(rec.payload, e, n);
        }
    }
    for (size_t i = 0; i < tb->nforks; i++) {
        NEXT_OK();
        assert_int_equal(rec.type, BUNDLE_FORK);
        assert_int_equal(rec.len, tb->fork_len[i]);
        assert_memory_equal(rec.payload, tb->forks[i], tb->fork_len[i]);
    }
#undef NEXT_OK
    int rc = bundle_next(r, &rec, &d);
    if (rc != 1) fail_msg("expected the end, got %d: %s", rc, d.text);
    assert_int_equal(rec.type, BUNDLE_END);
    assert_int_equal(bundle_reader_offset(r), total);
    assert_int_equal(bundle_next(r, &rec, &d), 1);
}

static void roundtrip(const struct tbundle *tb, const char *name)
{
    char path[256];
    size_t len;
    dir_path(path, sizeof path, name);
    write_tbundle(path, tb);
    char tmp[300];
    snprintf(tmp, sizeof tmp, "%s.tmp", path);
    assert_false(exists(tmp));

    FILE *f = fopen(path, "rb");
    assert_non_null(f);
    bundle_reader *r;
    uint8_t *bytes = slurp(path, &len);
    assert_int_equal(bundle_reader_open_file(f, &r), CF_OK);
    check_tbundle(r, tb, len);
    bundle_reader_close(r);
    fclose(f);

    assert_int_equal(bundle_reader_open_mem(bytes, len, &r), CF_OK);
    check_tbundle(r, tb, len);
    bundle_reader_close(r);
    free(bytes);
}

/* ---- hand-built bundles --------------------------------------------------- */

typedef struct {
    uint8_t buf[MB_BYTES_MAX];
    size_t len;
} mbuf;

static mbuf g_mb;

static void mb_raw(mbuf *m, const void *p, size_t n)
{
    assert_true(n <= sizeof m->buf - m->len);
    if (n > 0) memcpy(m->buf + m->len, p, n);
    m->len += n;
}

static void mb_init(mbuf *m)
{
    m->len = 0;
    mb_raw(m, BUNDLE_MAGIC, BUNDLE_MAGIC_BYTES);
}

/* A record whose head declares `declared` bytes and carries n. */
static void mb_record_len(mbuf *m, uint8_t type, uint32_t declared, const void *p,
                          size_t n)
{
    uint8_t head[5];
    head[0] = type;
    cf_put_be32(head + 1, declared);
    mb_raw(m, head, sizeof head);
    mb_raw(m, p, n);
}

static void mb_record(mbuf *m, uint8_t type, const void *p, size_t n)
{
    mb_record_len(m, type, (uint32_t)n, p, n);
}

static void mb_header_v(mbuf *m, uint64_t v, const uint8_t net[32])
{
    uint8_t p[64];
    size_t n;
    cbor_enc e;
    cbor_enc_init(&e, p, sizeof p);
    cbor_put_map(&e, 2);
    cbor_put_cstr(&e, "v");
    cbor_put_uint(&e, v);
    cbor_put_cstr(&e, "net");
    cbor_put_bytes(&e, net, 32);
    assert_int_equal(cbor_enc_finish(&e, &n), CF_OK);
    mb_record(m, 'H', p, n);
}

static void mb_feed_raw(mbuf *m, uint64_t from, const uint8_t author[32], const char *ck,
                        size_t ck_len)
{
    static uint8_t p[NOTE_BYTES_MAX + 128];
    size_t n;
    cbor_enc e;
    cbor_enc_init(&e, p, sizeof p);
    cbor_put_map(&e, 3);
    cbor_put_cstr(&e, "from");
    cbor_put_uint(&e, from);
    cbor_put_cstr(&e, "author");
    cbor_put_bytes(&e, author, 32);
    cbor_put_cstr(&e, "checkpoint");
    cbor_put_text(&e, ck, ck_len);
    assert_int_equal(cbor_enc_finish(&e, &n), CF_OK);
    mb_record(m, 'F', p, n);
}

/* The feed record and its entries [f->from, upto). */
static void mb_feed_upto(mbuf *m, const struct tfeed *f, uint64_t upto)
{
    uint8_t e[ENTRY_BYTES_MAX];
    mb_feed_raw(m, f->from, f->author, f->ckpt, f->ckpt_len);
    for (uint64_t x = f->from; x < upto; x++) {
        size_t n = entry_bytes(f, x, e);
        mb_record(m, 'E', e, n);
    }
}

static void mb_end_hash(mbuf *m, uint64_t feeds, uint64_t entries, const uint8_t hash[32])
{
    uint8_t p[128];
    size_t n;
    cbor_enc e;
    cbor_enc_init(&e, p, sizeof p);
    cbor_put_map(&e, 3);
    cbor_put_cstr(&e, "feeds");
    cbor_put_uint(&e, feeds);
    cbor_put_cstr(&e, "sha256");
    cbor_put_bytes(&e, hash, 32);
    cbor_put_cstr(&e, "entries");
    cbor_put_uint(&e, entries);
    assert_int_equal(cbor_enc_finish(&e, &n), CF_OK);
    mb_record(m, 'Z', p, n);
}

/* The end record with the true hash of everything so far. */
static void mb_end(mbuf *m, uint64_t feeds, uint64_t entries)
{
    uint8_t h[32];
    cf_sha256(m->buf, m->len, h);
    mb_end_hash(m, feeds, entries, h);
}

static void mb_tbundle(mbuf *m, const struct tbundle *tb)
{
    uint64_t entries = 0;
    mb_init(m);
    mb_header_v(m, 1, tb->net);
    for (size_t i = 0; i < tb->nfeeds; i++) {
        mb_feed_upto(m, &tb->feeds[i], tb->feeds[i].size);
        entries += tb->feeds[i].size - tb->feeds[i].from;
    }
    for (size_t i = 0; i < tb->nforks; i++) mb_record(m, 'X', tb->forks[i], tb->fork_len[i]);
    mb_end(m, tb->nfeeds, entries);
}

/* ---- reading helpers ------------------------------------------------------ */

/* Read p[0..len) to the end with the memory or the FILE* reader; returns the
 * final code (1 or an error) and the number of records before it. */
static int read_all(const uint8_t *p, size_t len, bool use_file, diag *d, size_t *nrec)
{
    bundle_reader *r;
    bundle_record rec;
    FILE *f = NULL;
    uint8_t *exact = NULL;
    if (use_file) {
        f = tmpfile();
        assert_non_null(f);
        if (len) assert_int_equal(fwrite(p, 1, len, f), len);
        rewind(f);
        assert_int_equal(bundle_reader_open_file(f, &r), CF_OK);
    } else {
        /* An exact-size copy, so ASan sees any read past the end. */
        exact = malloc(len ? len : 1);
        assert_non_null(exact);
        if (len) memcpy(exact, p, len);
        assert_int_equal(bundle_reader_open_mem(exact, len, &r), CF_OK);
    }
    diag_clear(d);
    int rc;
    size_t n = 0;
    while ((rc = bundle_next(r, &rec, d)) == CF_OK) {
        assert_true(++n < RECORDS_MAX);
    }
    /* The error is sticky. */
    diag d2;
    assert_int_equal(bundle_next(r, &rec, &d2), rc);
    bundle_reader_close(r);
    if (f != NULL) fclose(f);
    free(exact);
    if (nrec != NULL) *nrec = n;
    return rc;
}

/* Both readers reject p[0..len) with CF_EBUNDLE and a message holding want. */
static void expect_bad_at(const uint8_t *p, size_t len, const char *want, int line)
{
    for (int use_file = 0; use_file <= 1; use_file++) {
        diag d;
        int rc = read_all(p, len, use_file, &d, NULL);
        if (rc != CF_EBUNDLE || strstr(d.text, want) == NULL ||
            strncmp(d.text, "bundle: ", 8) != 0)
            fail_msg("line %d (%s reader): got %d \"%s\", want \"%s\"", line,
                     use_file ? "file" : "mem", rc, d.text, want);
    }
}
#define expect_bad(p, len, want) expect_bad_at(p, len, want, __LINE__)

static void expect_good(const uint8_t *p, size_t len)
{
    for (int use_file = 0; use_file <= 1; use_file++) {
        diag d;
        int rc = read_all(p, len, use_file, &d, NULL);
        if (rc != 1) fail_msg("%s reader: %d %s", use_file ? "file" : "mem", rc, d.text);
    }
}

/* H, one feed (from 1, size 3: two entries), one fork, Z: ~500 bytes. */
static void small_tbundle(struct tbundle *tb)
{
    tbundle_init(tb);
    make_feed(&tb->feeds[0], 1, 1, 3);
    tb->nfeeds = 1;
    make_fork(tb, 7);
}

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
    assert_int_equal(st.st_mode & 0777, 0644 & ~mask);
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

/* ---- tests: reading defects ----------------------------------------------- */

static void test_truncation_every_offset(void **state)
{
    (void)state;
    struct tbundle tb;
    small_tbundle(&tb);
    mb_tbundle(&g_mb, &tb);
    expect_good(g_mb.buf, g_mb.len);
    for (size_t cut = 0; cut < g_mb.len; cut++) expect_bad(g_mb.buf, cut, "truncated");
    /* The messages say where. */
    diag d;
    assert_int_equal(read_all(g_mb.buf, 7, false, &d, NULL), CF_EBUNDLE);
    assert_string_equal(d.text, "bundle: magic at byte 0: truncated: 7 of 16 magic bytes");
    assert_int_equal(read_all(g_mb.buf, g_mb.len - 1, true, &d, NULL), CF_EBUNDLE);
    assert_non_null(strstr(d.text, "(end) at byte"));
}

static void test_flip_every_byte(void **state)
{
    (void)state;
    struct tbundle tb;
    small_tbundle(&tb);
    mb_tbundle(&g_mb, &tb);
    size_t len = g_mb.len;
    uint8_t *copy = malloc(len);
    assert_non_null(copy);

    /* Where the entry payloads lie: flips there are caught by the hash. */
    bundle_reader *r;
    bundle_record rec;
    diag d;
    size_t ent_off[4], ent_len[4], nent = 0;
    assert_int_equal(bundle_reader_open_mem(g_mb.buf, len, &r), CF_OK);
    while (bundle_next(r, &rec, &d) == CF_OK) {
        if (rec.type == BUNDLE_ENTRY) {
            assert_true(nent < 4);
            ent_off[nent] = (size_t)bundle_reader_offset(r) - rec.len;
            ent_len[nent++] = rec.len;
        }
    }
    bundle_reader_close(r);
    assert_int_equal(nent, 2);

    static const uint8_t masks[] = {0x01, 0x80, 0xff};
    for (size_t i = 0; i < len; i++) {
        for (size_t m = 0; m < sizeof masks; m++) {
            memcpy(copy, g_mb.buf, len);
            copy[i] ^= masks[m];
            int rc = read_all(copy, len, false, &d, NULL);
            if (rc != CF_EBUNDLE) fail_msg("flip at %zu mask %#x accepted", i, masks[m]);
            for (size_t k = 0; k < nent; k++)
                if (i >= ent_off[k] && i < ent_off[k] + ent_len[k] &&
                    strstr(d.text, "hash mismatch") == NULL)
                    fail_msg("flip in entry at %zu: %s", i, d.text);
        }
    }
    free(copy);
}

static void test_bad_magic_and_types(void **state)
{
    (void)state;
    struct tbundle tb;
    small_tbundle(&tb);
    mb_tbundle(&g_mb, &tb);
    g_mb.buf[0] = 'C';
    expect_bad(g_mb.buf, g_mb.len, "wrong magic");
    expect_bad((const uint8_t *)"cofund-bundle/2\n", 16, "wrong magic");
    expect_bad(NULL, 0, "truncated");

    /* Unknown type, also lower-case variants of known ones. */
    static const uint8_t types[] = {0, 'h', 'e', 'A', 0xff};
    for (size_t i = 0; i < sizeof types; i++) {
        mb_init(&g_mb);
        mb_header_v(&g_mb, 1, tb.net);
        mb_record(&g_mb, types[i], "x", 1);
        mb_end(&g_mb, 0, 0);
        expect_bad(g_mb.buf, g_mb.len, "unknown record type");
    }
    diag d;
    assert_int_equal(read_all(g_mb.buf, g_mb.len, false, &d, NULL), CF_EBUNDLE);
    assert_string_equal(d.text, "bundle: record 2 (type 0xff) at byte 63: unknown record type");
}

static void test_oversize_lengths(void **state)
{
    (void)state;
    /* Only the head is present: the length must be refused before the
     * reader waits for (or allocates) the payload. */
    static const uint8_t types[] = {'H', 'F', 'E', 'X', 'Z'};
    static const uint32_t lens[] = {0xffffffffu, BUNDLE_PAYLOAD_BYTES_MAX + 1};
    uint8_t net[32] = {0};
    for (size_t t = 0; t < sizeof types; t++) {
        for (size_t l = 0; l < 2; l++) {
            mb_init(&g_mb);
            if (types[t] != 'H') mb_header_v(&g_mb, 1, net);
            mb_record_len(&g_mb, types[t], lens[l], NULL, 0);
            expect_bad(g_mb.buf, g_mb.len, "bad length");
        }
    }
    mb_init(&g_mb);
    mb_header_v(&g_mb, 1, net);
    mb_record_len(&g_mb, 'E', 0, NULL, 0);
    expect_bad(g_mb.buf, g_mb.len, "empty entry");
}

static void test_header_defects(void **state)
{
    (void)state;
    uint8_t net[32] = {1};
    uint8_t p[64];
    size_t n;
    cbor_enc e;

    mb_init(&g_mb);
    mb_header_v(&g_mb, 2, net);
    mb_end(&g_mb, 0, 0);
    expect_bad(g_mb.buf, g_mb.len, "unsupported version 2");

    /* Missing "net"; an extra key; a 31-byte net; "v" not canonical. */
    cbor_enc_init(&e, p, sizeof p);
    cbor_put_map(&e, 1);
    cbor_put_cstr(&e, "v");
    cbor_put_uint(&e, 1);
    assert_int_equal(cbor_enc_finish(&e, &n), CF_OK);
    mb_init(&g_mb);
    mb_record(&g_mb, 'H', p, n);
    mb_end(&g_mb, 0, 0);
    expect_bad(g_mb.buf, g_mb.len, "want 2");

    cbor_enc_init(&e, p, sizeof p);
    cbor_put_map(&e, 2);
    cbor_put_cstr(&e, "v");
    cbor_put_uint(&e, 1);
    cbor_put_cstr(&e, "nex");
    cbor_put_bytes(&e, net, 32);
    assert_int_equal(cbor_enc_finish(&e, &n), CF_OK);
    mb_init(&g_mb);
    mb_record(&g_mb, 'H', p, n);
    mb_end(&g_mb, 0, 0);
    expect_bad(g_mb.buf, g_mb.len, "unknown or missing key");

    cbor_enc_init(&e, p, sizeof p);
    cbor_put_map(&e, 2);
    cbor_put_cstr(&e, "v");
    cbor_put_uint(&e, 1);
    cbor_put_cstr(&e, "net");
    cbor_put_bytes(&e, net, 31);
    assert_int_equal(cbor_enc_finish(&e, &n), CF_OK);
    mb_init(&g_mb);
    mb_record(&g_mb, 'H', p, n);
    mb_end(&g_mb, 0, 0);
    expect_bad(g_mb.buf, g_mb.len, "bad payload");

    static const uint8_t noncanon[] = {0xa2, 0x61, 'v', 0x18, 0x01, 0x63, 'n', 'e', 't', 0x58, 0x20};
    mb_init(&g_mb);
    uint8_t hp[sizeof noncanon + 32];
    memcpy(hp, noncanon, sizeof noncanon);
    memset(hp + sizeof noncanon, 0, 32);
    mb_record(&g_mb, 'H', hp, sizeof hp);
    mb_end(&g_mb, 0, 0);
    expect_bad(g_mb.buf, g_mb.len, "non-canonical");

    /* Trailing byte inside the payload. */
    mb_init(&g_mb);
    mb_header_v(&g_mb, 1, net);
    g_mb.buf[BUNDLE_MAGIC_BYTES + 4]++; /* declared length + 1 */
    uint8_t zero = 0;
    mb_raw(&g_mb, &zero, 1);
    mb_end(&g_mb, 0, 0);
    expect_bad(g_mb.buf, g_mb.len, "trailing");
}

static void test_feed_defects(void **state)
{
    (void)state;
    struct tfeed f;
    make_feed(&f, 2, 0, 2);
    uint8_t net[32] = {2};

    /* A checkpoint that is not a signed note, and a note whose text is not
     * a checkpoint. */
    mb_init(&g_mb);
    mb_header_v(&g_mb, 1, net);
    mb_feed_raw(&g_mb, 0, f.author, "hello\n", 6);
    mb_end(&g_mb, 1, 0);
    expect_bad(g_mb.buf, g_mb.len, "checkpoint is not a signed note");

    uint8_t seed[32] = {3}, pk[32], sk[64];
    char note_text[512];
    size_t note_len;
    assert_int_equal(cf_ed25519_keypair_from_seed(seed, pk, sk), CF_OK);
    assert_int_equal(note_sign("hello\nworld\n", 12, ORIGIN, sk, note_text,
                               sizeof note_text, &note_len), CF_OK);
    mb_init(&g_mb);
    mb_header_v(&g_mb, 1, net);
    mb_feed_raw(&g_mb, 0, f.author, note_text, note_len);
    mb_end(&g_mb, 1, 0);
    expect_bad(g_mb.buf, g_mb.len, "note text is not a checkpoint");

    /* from > size. */
    mb_init(&g_mb);
    mb_header_v(&g_mb, 1, net);
    mb_feed_raw(&g_mb, 3, f.author, f.ckpt, f.ckpt_len);
    mb_end(&g_mb, 1, 0);
    expect_bad(g_mb.buf, g_mb.len, "from 3 exceeds the checkpoint's tree size 2");

    /* Too few entries, then the end; too few, then another feed. */
    mb_init(&g_mb);
    mb_header_v(&g_mb, 1, net);
    mb_feed_upto(&g_mb, &f, 1);
    mb_end(&g_mb, 1, 1);
    expect_bad(g_mb.buf, g_mb.len, "feed 1 still expects 1 entries");
    mb_init(&g_mb);
    mb_header_v(&g_mb, 1, net);
    mb_feed_upto(&g_mb, &f, 1);
    mb_feed_upto(&g_mb, &f, 2);
    mb_end(&g_mb, 2, 3);
    expect_bad(g_mb.buf, g_mb.len, "still expects");

    /* Too many entries. */
    mb_init(&g_mb);
    mb_header_v(&g_mb, 1, net);
    mb_feed_upto(&g_mb, &f, 3);
    mb_end(&g_mb, 1, 3);
    expect_bad(g_mb.buf, g_mb.len, "more entries than feed 1 declares");

    /* An entry before any feed. */
    mb_init(&g_mb);
    mb_header_v(&g_mb, 1, net);
    mb_record(&g_mb, 'E', "x", 1);
    mb_end(&g_mb, 0, 1);
    expect_bad(g_mb.buf, g_mb.len, "entry before any feed");

    /* Wrong-length author, unknown key. */
    uint8_t p[NOTE_BYTES_MAX + 128];
    size_t n;
    cbor_enc e;
    cbor_enc_init(&e, p, sizeof p);
    cbor_put_map(&e, 3);
    cbor_put_cstr(&e, "from");
    cbor_put_uint(&e, 0);
    cbor_put_cstr(&e, "author");
    cbor_put_bytes(&e, f.author, 33);
    cbor_put_cstr(&e, "checkpoint");
    cbor_put_text(&e, f.ckpt, f.ckpt_len);
    assert_int_equal(cbor_enc_finish(&e, &n), CF_OK);
    mb_init(&g_mb);
    mb_header_v(&g_mb, 1, net);
    mb_record(&g_mb, 'F', p, n);
    mb_end(&g_mb, 1, 0);
    expect_bad(g_mb.buf, g_mb.len, "bad payload");

    cbor_enc_init(&e, p, sizeof p);
    cbor_put_map(&e, 3);
    cbor_put_cstr(&e, "from");
    cbor_put_uint(&e, 0);
    cbor_put_cstr(&e, "author");
    cbor_put_bytes(&e, f.author, 32);
    cbor_put_cstr(&e, "checkpoinx");
    cbor_put_text(&e, f.ckpt, f.ckpt_len);
    assert_int_equal(cbor_enc_finish(&e, &n), CF_OK);
    mb_init(&g_mb);
    mb_header_v(&g_mb, 1, net);
    mb_record(&g_mb, 'F', p, n);
    mb_end(&g_mb, 1, 0);
    expect_bad(g_mb.buf, g_mb.len, "unknown or missing key");
}

static void test_order_defects(void **state)
{
    (void)state;
    struct tfeed f;
    make_feed(&f, 3, 0, 1);
    uint8_t net[32] = {3};
    uint8_t fork[2] = {0x81, 0x00}; /* [0] */

    /* X before F. */
    mb_init(&g_mb);
    mb_header_v(&g_mb, 1, net);
    mb_record(&g_mb, 'X', fork, sizeof fork);
    mb_feed_upto(&g_mb, &f, 1);
    mb_end(&g_mb, 1, 1);
    expect_bad(g_mb.buf, g_mb.len, "feed record after a fork record");

    /* Two headers; a feed before the header; the end before the header. */
    mb_init(&g_mb);
    mb_header_v(&g_mb, 1, net);
    mb_header_v(&g_mb, 1, net);
    mb_end(&g_mb, 0, 0);
    expect_bad(g_mb.buf, g_mb.len, "a second header record");
    mb_init(&g_mb);
    mb_feed_upto(&g_mb, &f, 1);
    mb_end(&g_mb, 1, 1);
    expect_bad(g_mb.buf, g_mb.len, "the header record must come first");
    mb_init(&g_mb);
    mb_end(&g_mb, 0, 0);
    expect_bad(g_mb.buf, g_mb.len, "the header record must come first");

    /* A fork that is not canonical CBOR. */
    mb_init(&g_mb);
    mb_header_v(&g_mb, 1, net);
    mb_record(&g_mb, 'X', "\x18\x01", 2);
    mb_end(&g_mb, 0, 0);
    expect_bad(g_mb.buf, g_mb.len, "fork proof is not canonical CBOR");

    /* No end record; data after the end record. */
    mb_init(&g_mb);
    mb_header_v(&g_mb, 1, net);
    mb_feed_upto(&g_mb, &f, 1);
    expect_bad(g_mb.buf, g_mb.len, "ends before the end record");
    mb_end(&g_mb, 1, 1);
    expect_good(g_mb.buf, g_mb.len);
    size_t good_len = g_mb.len;
    mb_raw(&g_mb, "\0", 1);
    expect_bad(g_mb.buf, g_mb.len, "bytes after the end record");
    g_mb.len = good_len;
    mb_end(&g_mb, 1, 1); /* a second end record */
    expect_bad(g_mb.buf, g_mb.len, "bytes after the end record");
}

static void test_end_defects(void **state)
{
    (void)state;
    struct tfeed f;
    make_feed(&f, 4, 0, 2);
    uint8_t net[32] = {4};

    mb_init(&g_mb);
    mb_header_v(&g_mb, 1, net);
    mb_feed_upto(&g_mb, &f, 2);
    size_t body = g_mb.len;
    mb_end(&g_mb, 2, 2);
    expect_bad(g_mb.buf, g_mb.len, "end record says 2 feeds, the bundle has 1");
    g_mb.len = body;
    mb_end(&g_mb, 1, 3);
    expect_bad(g_mb.buf, g_mb.len, "end record says 3 entries, the bundle has 2");
    g_mb.len = body;
    uint8_t h[32];
    cf_sha256(g_mb.buf, g_mb.len - 1, h); /* one byte short */
    mb_end_hash(&g_mb, 1, 2, h);
    expect_bad(g_mb.buf, g_mb.len, "hash mismatch");
    g_mb.len = body;
    mb_end(&g_mb, 1, 2);
    expect_good(g_mb.buf, g_mb.len);

    /* Keys out of the canonical order. */
    uint8_t p[128];
    size_t n;
    cf_sha256(g_mb.buf, body, h);
    p[0] = 0xa3;
    n = 1;
    memcpy(p + n, "\x67" "entries" "\x02", 9);
    n += 9;
    memcpy(p + n, "\x65" "feeds" "\x01", 7);
    n += 7;
    memcpy(p + n, "\x66" "sha256" "\x58\x20", 9);
    n += 9;
    memcpy(p + n, h, 32);
    n += 32;
    g_mb.len = body;
    mb_record(&g_mb, 'Z', p, n);
    expect_bad(g_mb.buf, g_mb.len, "bad payload");
}

static void test_reader_api(void **state)
{
    (void)state;
    bundle_reader *r;
    bundle_record rec;
    diag d;
    assert_int_equal(bundle_reader_open_mem(NULL, 1, &r), CF_EINVAL);
    assert_int_equal(bundle_reader_open_mem(NULL, 0, NULL), CF_EINVAL);
    assert_int_equal(bundle_reader_open_file(NULL, &r), CF_EINVAL);
    assert_int_equal(bundle_reader_open_file(stdin, NULL), CF_EINVAL);
    assert_int_equal(bundle_next(NULL, &rec, &d), CF_EINVAL);
    assert_int_equal(bundle_reader_offset(NULL), 0);
    bundle_reader_close(NULL);
    assert_int_equal(bundle_reader_open_mem(NULL, 0, &r), CF_OK);
    assert_int_equal(bundle_next(r, NULL, &d), CF_EINVAL);
    assert_int_equal(bundle_next(r, &rec, NULL), CF_EBUNDLE); /* d may be NULL */
    bundle_reader_close(r);

    /* A read error is CF_EIO: a stream opened for writing only. */
    char path[256];
    dir_path(path, sizeof path, "wo");
    FILE *f = fopen(path, "wb");
    assert_non_null(f);
    assert_int_equal(bundle_reader_open_file(f, &r), CF_OK);
    assert_int_equal(bundle_next(r, &rec, &d), CF_EIO);
    assert_non_null(strstr(d.text, "read error"));
    assert_int_equal(bundle_next(r, &rec, &d), CF_EIO);
    bundle_reader_close(r);
    fclose(f);
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
            make_feed(&tb.feeds[i], (uint8_t)(10 + i), from, size);
            tb.feeds[i].entry_seed ^= rng_next(&s);
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
    const char *env = getenv("COFUND_SEED");
    if (env != NULL) {
        g_seed = strtoull(env, NULL, 0);
    } else {
        struct timespec ts;
        clock_gettime(CLOCK_REALTIME, &ts);
        g_seed = (uint64_t)ts.tv_sec * 1000000007ULL ^ (uint64_t)ts.tv_nsec ^
                 ((uint64_t)getpid() << 32);
    }
    printf("test_bundle: seed %llu (replay with COFUND_SEED=%llu)\n",
           (unsigned long long)g_seed, (unsigned long long)g_seed);
    if (cf_crypto_init() != CF_OK) return 1;
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_golden_empty),
        cmocka_unit_test(test_roundtrip_one_feed),
        cmocka_unit_test(test_roundtrip_three_feeds_and_forks),
        cmocka_unit_test(test_roundtrip_forks_only),
        cmocka_unit_test(test_limits),
        cmocka_unit_test(test_stale_tmp_and_replace),
        cmocka_unit_test(test_writer_misuse),
        cmocka_unit_test(test_writer_commit_misuse),
        cmocka_unit_test(test_writer_io_error),
        cmocka_unit_test(test_truncation_every_offset),
        cmocka_unit_test(test_flip_every_byte),
        cmocka_unit_test(test_bad_magic_and_types),
        cmocka_unit_test(test_oversize_lengths),
        cmocka_unit_test(test_header_defects),
        cmocka_unit_test(test_feed_defects),
        cmocka_unit_test(test_order_defects),
        cmocka_unit_test(test_end_defects),
        cmocka_unit_test(test_reader_api),
        cmocka_unit_test(test_random),
    };
    return cmocka_run_group_tests(tests, dir_setup, dir_teardown);
}
