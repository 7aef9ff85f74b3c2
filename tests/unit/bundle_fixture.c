/* bundle_fixture.c — see bundle_fixture.h. */
#include "bundle_fixture.h"

#include <dirent.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <cmocka.h>

#include "crypto/cbor.h"
#include "crypto/cf_error.h"
#include "crypto/cf_util.h"
#include "ledger/entry.h"

uint64_t g_seed;

uint64_t rng_next(uint64_t *s)
{
    uint64_t z = (*s += 0x9E3779B97F4A7C15ULL);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
    return z ^ (z >> 31);
}

/* ---- temporary directory ------------------------------------------------ */

char g_dir[64];

int dir_setup(void **state)
{
    (void)state;
    snprintf(g_dir, sizeof g_dir, "/tmp/test_bundle.XXXXXX");
    return mkdtemp(g_dir) != NULL ? 0 : -1;
}

int dir_teardown(void **state)
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

void dir_path(char *out, size_t cap, const char *name)
{
    snprintf(out, cap, "%s/%s", g_dir, name);
}

bool exists(const char *path)
{
    struct stat st;
    return stat(path, &st) == 0;
}

uint8_t *slurp(const char *path, size_t *len)
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

size_t make_ckpt_origin(uint8_t id, const char *origin, uint64_t size, char *out, size_t cap)
{
    uint8_t seed[32], pk[32], sk[64], root[32];
    char text[512];
    size_t text_len, len;
    memset(seed, id, sizeof seed);
    assert_int_equal(cf_ed25519_keypair_from_seed(seed, pk, sk), CF_OK);
    cf_sha256(&size, sizeof size, root);
    assert_int_equal(checkpoint_format(origin, size, root, text, sizeof text, &text_len),
                     CF_OK);
    assert_int_equal(note_sign(text, text_len, origin, sk, out, cap, &len), CF_OK);
    return len;
}

size_t make_ckpt(uint8_t id, uint64_t size, char *out, size_t cap)
{
    return make_ckpt_origin(id, ORIGIN, size, out, cap);
}

void make_feed(struct tfeed *f, uint8_t id, uint64_t from, uint64_t size)
{
    memset(f->author, id, sizeof f->author);
    f->id = id;
    f->nks = 0;
    f->from = from;
    f->size = size;
    f->ckpt_len = make_ckpt(id, size, f->ckpt, sizeof f->ckpt);
    f->entry_seed = 1000u * id + size;
}

/* Deterministic entry bytes for (feed, index). */
size_t entry_bytes(const struct tfeed *f, uint64_t index, uint8_t *out)
{
    uint64_t s = f->entry_seed ^ (index * 0x2545F4914F6CDD1DULL);
    size_t len = 1 + (size_t)(rng_next(&s) % ENTRY_TEST_BYTES_MAX);
    for (size_t i = 0; i < len; i++) out[i] = (uint8_t)rng_next(&s);
    return len;
}

/* A fork "proof": any canonical CBOR item will do for the file layer. */
void make_fork(struct tbundle *tb, uint8_t id)
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

void tbundle_init(struct tbundle *tb)
{
    memset(tb, 0, sizeof *tb);
    for (int i = 0; i < 32; i++) tb->net[i] = (uint8_t)(0xa0 + i);
}

void write_tbundle(const char *path, const struct tbundle *tb)
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
        for (size_t k = 0; k < f->nks; k++) {
            char ck[NOTE_BYTES_MAX];
            size_t ck_len = make_ckpt(f->id, f->ks[k], ck, sizeof ck);
            assert_int_equal(bundle_write_checkpoint(w, ck, ck_len), CF_OK);
        }
    }
    for (size_t i = 0; i < tb->nforks; i++)
        assert_int_equal(bundle_write_fork(w, tb->forks[i], tb->fork_len[i]), CF_OK);
    diag_clear(&d);
    int rc = bundle_writer_commit(w, &d);
    if (rc != CF_OK) fail_msg("commit: %s", d.text);
}

/* Read r to the end and compare every record with tb. */
void check_tbundle(bundle_reader *r, const struct tbundle *tb, uint64_t total)
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
        for (size_t k = 0; k < f->nks; k++) {
            char ck[NOTE_BYTES_MAX];
            size_t ck_len = make_ckpt(f->id, f->ks[k], ck, sizeof ck);
            NEXT_OK();
            assert_int_equal(rec.type, BUNDLE_CHECKPOINT);
            assert_memory_equal(rec.author, f->author, 32);
            assert_int_equal(rec.size, f->ks[k]);
            assert_int_equal(rec.checkpoint_len, ck_len);
            assert_memory_equal(rec.checkpoint, ck, ck_len);
            assert_ptr_equal(rec.checkpoint, (const char *)rec.payload);
            assert_int_equal(rec.len, ck_len);
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

void roundtrip(const struct tbundle *tb, const char *name)
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

mbuf g_mb;

void mb_raw(mbuf *m, const void *p, size_t n)
{
    assert_true(n <= sizeof m->buf - m->len);
    if (n > 0) memcpy(m->buf + m->len, p, n);
    m->len += n;
}

void mb_init(mbuf *m)
{
    m->len = 0;
    mb_raw(m, BUNDLE_MAGIC, BUNDLE_MAGIC_BYTES);
}

/* A record whose head declares `declared` bytes and carries n. */
void mb_record_len(mbuf *m, uint8_t type, uint32_t declared, const void *p,
                          size_t n)
{
    uint8_t head[5];
    head[0] = type;
    cf_put_be32(head + 1, declared);
    mb_raw(m, head, sizeof head);
    mb_raw(m, p, n);
}

void mb_record(mbuf *m, uint8_t type, const void *p, size_t n)
{
    mb_record_len(m, type, (uint32_t)n, p, n);
}

void mb_header_v(mbuf *m, uint64_t v, const uint8_t net[32])
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

void mb_feed_raw(mbuf *m, uint64_t from, const uint8_t author[32], const char *ck,
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

/* A K record: the checkpoint of size `size` by the key of id. */
void mb_ckpt(mbuf *m, uint8_t id, uint64_t size)
{
    char ck[NOTE_BYTES_MAX];
    size_t n = make_ckpt(id, size, ck, sizeof ck);
    mb_record(m, 'K', ck, n);
}

/* The feed record and its entries [f->from, upto). */
void mb_feed_upto(mbuf *m, const struct tfeed *f, uint64_t upto)
{
    uint8_t e[ENTRY_BYTES_MAX];
    mb_feed_raw(m, f->from, f->author, f->ckpt, f->ckpt_len);
    for (uint64_t x = f->from; x < upto; x++) {
        size_t n = entry_bytes(f, x, e);
        mb_record(m, 'E', e, n);
    }
}

void mb_end_hash(mbuf *m, uint64_t feeds, uint64_t entries, const uint8_t hash[32])
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
void mb_end(mbuf *m, uint64_t feeds, uint64_t entries)
{
    uint8_t h[32];
    cf_sha256(m->buf, m->len, h);
    mb_end_hash(m, feeds, entries, h);
}

void mb_tbundle(mbuf *m, const struct tbundle *tb)
{
    uint64_t entries = 0;
    mb_init(m);
    mb_header_v(m, 1, tb->net);
    for (size_t i = 0; i < tb->nfeeds; i++) {
        const struct tfeed *f = &tb->feeds[i];
        mb_feed_upto(m, f, f->size);
        for (size_t k = 0; k < f->nks; k++) mb_ckpt(m, f->id, f->ks[k]);
        entries += f->size - f->from;
    }
    for (size_t i = 0; i < tb->nforks; i++) mb_record(m, 'X', tb->forks[i], tb->fork_len[i]);
    mb_end(m, tb->nfeeds, entries);
}

/* ---- reading helpers ------------------------------------------------------ */

int read_all(const uint8_t *p, size_t len, bool use_file, diag *d, size_t *nrec)
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

void expect_bad_at(const uint8_t *p, size_t len, const char *want, int line)
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

void expect_good(const uint8_t *p, size_t len)
{
    for (int use_file = 0; use_file <= 1; use_file++) {
        diag d;
        int rc = read_all(p, len, use_file, &d, NULL);
        if (rc != 1) fail_msg("%s reader: %d %s", use_file ? "file" : "mem", rc, d.text);
    }
}

void small_tbundle(struct tbundle *tb)
{
    tbundle_init(tb);
    make_feed(&tb->feeds[0], 1, 1, 3);
    tb->feeds[0].nks = 1;
    tb->feeds[0].ks[0] = 2;
    tb->nfeeds = 1;
    make_fork(tb, 7);
}

uint64_t fixture_seed(const char *name)
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
    printf("%s: seed %llu (replay with COFUND_SEED=%llu)\n", name, (unsigned long long)g_seed,
           (unsigned long long)g_seed);
    return g_seed;
}
