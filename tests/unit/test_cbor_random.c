/* test_cbor_random.c — crypto/cbor.h under mutation and random input: every
 * bit flip and byte change of valid items, random documents built with the
 * encoder (and their prefixes and mutants), and short random inputs. Whatever
 * cbor_validate accepts must re-encode to itself (canonical means unique).
 * The tests print their seed; set COFUND_SEED=<n> to replay one run.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "cbor_fixture.h"
#include "crypto/cbor.h"
#include "crypto/cf_error.h"
#include "testutil.h"

/* Random documents generated per run, and random short byte strings. */
#define RANDOM_DOCS 400
#define RANDOM_SHORT_INPUTS 200000

static uint64_t g_seed;

static uint64_t rng_below(uint64_t *s, uint64_t n)
{
    return tu_rng_next(s) % n;
}

/* One item of validated bytes read by a plain reader a and by b with the
 * one-pass getters (cbor_rd_map_head, cbor_rd_key for map keys,
 * cbor_rd_skip_heads): the same answers, item by item, and the same
 * positions. */
static void walk_same(cbor_rd *a, cbor_rd *b, bool key)
{
    enum cbor_major ma, mb;
    assert_int_equal(cbor_rd_peek(a, &ma), CF_OK);
    assert_int_equal(cbor_rd_peek(b, &mb), CF_OK);
    assert_int_equal(ma, mb);
    size_t na, nb;
    switch (ma) {
    case CBOR_UINT:
    case CBOR_NEGINT: {
        int64_t ia, ib;
        int ra = cbor_rd_int(a, &ia), rb = cbor_rd_int(b, &ib);
        assert_int_equal(ra, rb);
        if (ra == CF_OK) assert_true(ia == ib);
        else assert_int_equal(cbor_rd_skip(a), cbor_rd_skip_heads(b));
        break;
    }
    case CBOR_BYTES:
    case CBOR_TEXT: {
        const char *sa, *sb;
        const uint8_t *pa, *pb;
        if (ma == CBOR_TEXT) {
            assert_int_equal(cbor_rd_text(a, &sa, &na, SIZE_MAX), CF_OK);
            assert_int_equal(key ? cbor_rd_key(b, &sb, &nb, SIZE_MAX)
                                 : cbor_rd_text(b, &sb, &nb, SIZE_MAX),
                             CF_OK);
            assert_ptr_equal(sa - (const char *)a->p, sb - (const char *)b->p);
        } else {
            assert_int_equal(cbor_rd_bytes(a, &pa, &na, SIZE_MAX), CF_OK);
            assert_int_equal(cbor_rd_bytes(b, &pb, &nb, SIZE_MAX), CF_OK);
            assert_ptr_equal(pa - a->p, pb - b->p);
        }
        assert_int_equal(na, nb);
        break;
    }
    case CBOR_ARRAY:
    case CBOR_MAP: {
        bool map = ma == CBOR_MAP;
        assert_int_equal(map ? cbor_rd_map(a, &na, SIZE_MAX) : cbor_rd_array(a, &na, SIZE_MAX), CF_OK);
        assert_int_equal(map ? cbor_rd_map_head(b, &nb, SIZE_MAX) : cbor_rd_array(b, &nb, SIZE_MAX), CF_OK);
        assert_int_equal(na, nb);
        for (size_t i = 0; i < (map ? 2 * na : na); i++) {
            /* Every other item skipped, every other walked. */
            if (i % 2) {
                assert_int_equal(cbor_rd_skip(a), CF_OK);
                assert_int_equal(cbor_rd_skip_heads(b), CF_OK);
            } else {
                walk_same(a, b, map);
            }
        }
        break;
    }
    }
    assert_int_equal(a->pos, b->pos);
}

/* Rejected with an in-range offset (and the same code from cbor_rd_skip), or
 * accepted and re-encoded to exactly the same bytes: canonical ⇒ unique;
 * read the same through the one-pass getters (walk_same). Whatever
 * cbor_rd_skip accepts, cbor_rd_skip_heads passes over to the same end. */
static bool check_mutant(const uint8_t *buf, size_t n)
{
    uint8_t *d = tu_dup_exact(buf, n);
    size_t off = SIZE_MAX;
    int rc = cbor_validate(d, n, &off);
    if (rc == CF_OK) {
        expect_canonical(d, n);
        cbor_rd a, b;
        cbor_rd_init(&a, d, n);
        cbor_rd_init(&b, d, n);
        walk_same(&a, &b, false);
        assert_int_equal(cbor_rd_end(&b), CF_OK);
        cbor_rd_init(&b, d, n);
        assert_int_equal(cbor_rd_skip_heads(&b), CF_OK);
        assert_int_equal(b.pos, n);
    } else {
        assert_true(off <= n);
        cbor_rd r, h;
        cbor_rd_init(&r, d, n);
        cbor_rd_init(&h, d, n);
        int rs = cbor_rd_skip(&r);
        assert_int_equal(rs, rc == CF_ECBOR_TRAILING ? CF_OK : rc);
        if (rs == CF_OK) {
            assert_int_equal(cbor_rd_skip_heads(&h), CF_OK);
            assert_int_equal(h.pos, r.pos);
        }
    }
    free(d);
    return rc == CF_OK;
}

/* An entry-shaped document (DESIGN §3.1), built with the encoder. */
static size_t sample_entry(uint8_t *out, size_t cap)
{
    uint8_t key[32];
    for (int i = 0; i < 32; i++) key[i] = (uint8_t)(i * 7);
    cbor_enc e;
    size_t len = 0;
    cbor_enc_init(&e, out, cap);
    cbor_put_map(&e, 8);
    cbor_put_cstr(&e, "v"), cbor_put_uint(&e, 1);
    cbor_put_cstr(&e, "gov"), cbor_put_uint(&e, 3);
    cbor_put_cstr(&e, "net"), cbor_put_bytes(&e, key, 32);
    cbor_put_cstr(&e, "body");
    cbor_put_map(&e, 3);
    cbor_put_cstr(&e, "delta"), cbor_put_int(&e, -250);
    cbor_put_cstr(&e, "amount"), cbor_put_uint(&e, 50000000);
    cbor_put_cstr(&e, "project"), cbor_put_cstr(&e, "p1");
    cbor_put_cstr(&e, "time"), cbor_put_uint(&e, 1700000000000ULL);
    cbor_put_cstr(&e, "type"), cbor_put_cstr(&e, "contribution");
    cbor_put_cstr(&e, "index"), cbor_put_uint(&e, 12);
    cbor_put_cstr(&e, "author"), cbor_put_bytes(&e, key, 32);
    assert_int_equal(cbor_enc_finish(&e, &len), CF_OK);
    return len;
}

static void test_mutation(void **state)
{
    (void)state;
    unsigned long accepted = 0, rejected = 0;
    size_t nvec = sizeof(valid_vectors) / sizeof(valid_vectors[0]);
    for (size_t k = 0; k <= nvec; k++) {
        uint8_t buf[256], m[256];
        size_t n = k < nvec ? tu_unhex(valid_vectors[k], buf, sizeof(buf))
                            : sample_entry(buf, sizeof(buf));
        expect_canonical(buf, n);
        for (size_t i = 0; i < n; i++) {
            memcpy(m, buf, n);
            for (int bit = 0; bit < 8; bit++) { /* each bit flipped */
                m[i] = (uint8_t)(buf[i] ^ (1u << bit));
                check_mutant(m, n) ? accepted++ : rejected++;
            }
            for (unsigned v = 0; v < 256; v++) { /* each byte value */
                if (v == buf[i]) continue;
                m[i] = (uint8_t)v;
                check_mutant(m, n) ? accepted++ : rejected++;
            }
            memcpy(m, buf, i); /* byte deleted */
            memcpy(m + i, buf + i + 1, n - i - 1);
            check_mutant(m, n - 1) ? accepted++ : rejected++;
        }
    }
    printf("test_mutation: %lu mutants accepted (re-encoded identically), %lu rejected\n",
           accepted, rejected);
}

/* ---- random documents --------------------------------------------------- */

/* Random document size bound, and items per document. */
#define DOC_BYTES_MAX 32768
#define DOC_ITEMS_MAX 80

static uint64_t gen_uint(uint64_t *rng)
{
    static const uint64_t edge[] = {
        0, 23, 24, 255, 256, 65535, 65536, 0xffffffff, 0x100000000ULL,
        (uint64_t)INT64_MAX, (uint64_t)INT64_MAX + 1, UINT64_MAX,
    };
    switch (rng_below(rng, 4)) {
    case 0: return rng_below(rng, 24);
    case 1: return edge[rng_below(rng, sizeof(edge) / sizeof(edge[0]))];
    default: return tu_rng_next(rng) >> rng_below(rng, 64);
    }
}

static size_t gen_len(uint64_t *rng)
{
    static const size_t edge[] = {0, 23, 24, 255, 256, 300};
    return rng_below(rng, 4) ? (size_t)rng_below(rng, 12)
                             : edge[rng_below(rng, sizeof(edge) / sizeof(edge[0]))];
}

/* Random valid UTF-8 of about n bytes. */
static size_t gen_utf8(uint64_t *rng, char *s, size_t n)
{
    size_t len = 0;
    while (len + 4 <= n) {
        uint32_t c;
        switch (rng_below(rng, 4)) {
        case 0: c = (uint32_t)rng_below(rng, 0x80); break;
        case 1: c = 0x80 + (uint32_t)rng_below(rng, 0x800 - 0x80); break;
        case 2:
            c = 0x800 + (uint32_t)rng_below(rng, 0x10000 - 0x800 - 0x800);
            if (c >= 0xd800) c += 0x800; /* skip the surrogates */
            break;
        default: c = 0x10000 + (uint32_t)rng_below(rng, 0x100000); break;
        }
        if (c < 0x80) {
            s[len++] = (char)c;
        } else if (c < 0x800) {
            s[len++] = (char)(0xc0 | (c >> 6));
            s[len++] = (char)(0x80 | (c & 0x3f));
        } else if (c < 0x10000) {
            s[len++] = (char)(0xe0 | (c >> 12));
            s[len++] = (char)(0x80 | ((c >> 6) & 0x3f));
            s[len++] = (char)(0x80 | (c & 0x3f));
        } else {
            s[len++] = (char)(0xf0 | (c >> 18));
            s[len++] = (char)(0x80 | ((c >> 12) & 0x3f));
            s[len++] = (char)(0x80 | ((c >> 6) & 0x3f));
            s[len++] = (char)(0x80 | (c & 0x3f));
        }
    }
    return len;
}

struct key {
    uint8_t b[64];
    size_t n;
};

static int key_sort(const void *a, const void *b)
{
    const struct key *x = a, *y = b;
    size_t n = x->n < y->n ? x->n : y->n;
    int c = memcmp(x->b, y->b, n);
    return c ? c : (x->n > y->n) - (x->n < y->n);
}

static void gen_item(uint64_t *rng, cbor_enc *e, unsigned depth, int *budget);

/* A random key for a map whose own items sit inside depth containers:
 * mostly scalars, at most one container level, encoded on its own. */
static void gen_key(uint64_t *rng, struct key *k, unsigned depth)
{
    cbor_enc e;
    int budget = 2;
    cbor_enc_init(&e, k->b, sizeof(k->b));
    if (rng_below(rng, 3) == 0) {
        char s[16];
        cbor_put_text(&e, s, gen_utf8(rng, s, (size_t)rng_below(rng, sizeof(s))));
    } else {
        gen_item(rng, &e, depth > CBOR_DEPTH_MAX - 1 ? depth : CBOR_DEPTH_MAX - 1, &budget);
    }
    if (cbor_enc_finish(&e, &k->n) != CF_OK) k->n = 0; /* too big: dropped */
}

static void gen_item(uint64_t *rng, cbor_enc *e, unsigned depth, int *budget)
{
    uint8_t b[300];
    char s[300];
    size_t n;
    unsigned kind = (unsigned)rng_below(rng, 10);
    --*budget;
    if (depth >= CBOR_DEPTH_MAX || *budget <= 0) kind %= 6; /* scalars only */
    switch (kind) {
    case 0:
    case 1: cbor_put_uint(e, gen_uint(rng)); break;
    case 2: cbor_put_int(e, -1 - (int64_t)(gen_uint(rng) & (uint64_t)INT64_MAX)); break;
    case 3:
        n = gen_len(rng);
        for (size_t i = 0; i < n; i++) b[i] = (uint8_t)tu_rng_next(rng);
        cbor_put_bytes(e, b, n);
        break;
    case 4: cbor_put_text(e, s, gen_utf8(rng, s, gen_len(rng))); break;
    case 5: /* below INT64_MIN: only cbor_put_raw can write it */
        b[0] = 0x3b;
        for (int i = 0; i < 8; i++) b[1 + i] = (uint8_t)(tu_rng_next(rng) | (i == 0 ? 0x80 : 0));
        cbor_put_raw(e, b, 9);
        break;
    case 6:
    case 7: {
        size_t count = rng_below(rng, 8) ? (size_t)rng_below(rng, 5)
                                         : 24 + (size_t)rng_below(rng, 8);
        cbor_put_array(e, count);
        for (size_t i = 0; i < count; i++) gen_item(rng, e, depth + 1, budget);
        break;
    }
    default: {
        struct key keys[8];
        size_t count = (size_t)rng_below(rng, 9), uniq = 0;
        for (size_t i = 0; i < count; i++) gen_key(rng, &keys[i], depth + 1);
        qsort(keys, count, sizeof(keys[0]), key_sort);
        for (size_t i = 0; i < count; i++)
            if (keys[i].n > 0 && (uniq == 0 || key_sort(&keys[uniq - 1], &keys[i]) != 0))
                keys[uniq++] = keys[i];
        cbor_put_map(e, uniq);
        for (size_t i = 0; i < uniq; i++) {
            cbor_put_raw(e, keys[i].b, keys[i].n);
            gen_item(rng, e, depth + 1, budget);
        }
        break;
    }
    }
}

static void test_random_documents(void **state)
{
    (void)state;
    uint64_t rng = g_seed;
    uint8_t *doc = malloc(DOC_BYTES_MAX), *m = malloc(DOC_BYTES_MAX);
    assert_non_null(doc);
    assert_non_null(m);
    unsigned long docs = 0, bytes = 0, deepest = 0;
    for (int k = 0; k < RANDOM_DOCS; k++) {
        cbor_enc e;
        size_t n = 0;
        int budget = (int)rng_below(&rng, DOC_ITEMS_MAX) + 1;
        unsigned chain = rng_below(&rng, 4) ? 0 : (unsigned)rng_below(&rng, CBOR_DEPTH_MAX + 1);
        cbor_enc_init(&e, doc, DOC_BYTES_MAX);
        for (unsigned i = 0; i < chain; i++) cbor_put_array(&e, 1);
        gen_item(&rng, &e, chain, &budget);
        int rc = cbor_enc_finish(&e, &n);
        if (rc == CF_ECBOR_BUFFER) continue;
        if (rc != CF_OK)
            fail_msg("generator: %s (seed %llu)", cf_errname(rc), (unsigned long long)g_seed);
        docs++, bytes += n;
        if (chain > deepest) deepest = chain;
        expect_canonical(doc, n);
        /* Prefixes: all of them for small documents, a sample otherwise. */
        for (size_t t = 0; t < (n <= 256 ? n : 64); t++) {
            size_t cut = n <= 256 ? t : (size_t)rng_below(&rng, n);
            uint8_t *d = tu_dup_exact(doc, cut);
            assert_int_equal(cbor_validate(d, cut, NULL), CF_ECBOR_TRUNCATED);
            free(d);
        }
        /* Random byte mutations. */
        for (int t = 0; t < 32; t++) {
            memcpy(m, doc, n);
            m[rng_below(&rng, n)] ^= (uint8_t)(1 + rng_below(&rng, 255));
            check_mutant(m, n);
        }
    }
    printf("test_random_documents: %lu documents, %lu bytes, chains up to %lu deep\n",
           docs, bytes, deepest);
    free(doc);
    free(m);
}

/* Short random inputs drawn mostly from interesting heads: whatever
 * cbor_validate accepts must re-encode to itself. */
static void test_random_short_inputs(void **state)
{
    (void)state;
    static const uint8_t heads[] = {
        0x00, 0x17, 0x18, 0x19, 0x1a, 0x1b, 0x1c, 0x1f, 0x20, 0x38, 0x3b, 0x40, 0x41,
        0x58, 0x5f, 0x60, 0x61, 0x62, 0x78, 0x7f, 0x80, 0x81, 0x82, 0x98, 0x9f,
        0xa0, 0xa1, 0xa2, 0xb8, 0xbf, 0xc0, 0xf6, 0xff, 0xc3, 0xe6, 0xed, 0xf0,
    };
    uint64_t rng = g_seed ^ 0xabcdef;
    unsigned long accepted = 0;
    uint8_t b[12];
    for (int k = 0; k < RANDOM_SHORT_INPUTS; k++) {
        size_t n = 1 + (size_t)rng_below(&rng, sizeof(b));
        for (size_t i = 0; i < n; i++)
            b[i] = rng_below(&rng, 2) ? heads[rng_below(&rng, sizeof(heads))]
                                      : (uint8_t)tu_rng_next(&rng);
        if (check_mutant(b, n)) accepted++;
    }
    printf("test_random_short_inputs: %lu of %d accepted\n", accepted, RANDOM_SHORT_INPUTS);
}

int main(void)
{
    g_seed = tu_seed("test_cbor_random");
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_mutation),
        cmocka_unit_test(test_random_documents),
        cmocka_unit_test(test_random_short_inputs),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
