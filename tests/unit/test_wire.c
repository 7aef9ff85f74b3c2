/* test_wire.c — the replication message codec (node/net/wire.h,
 * docs/protocol.md "Messages").
 *
 * Round trips of every type (decoded fields and byte-identical re-encoding;
 * cosig included),
 * then every rejection: not a map, unknown type, missing, extra, misnamed
 * and misordered keys, wrong CBOR types, non-canonical forms, trailing
 * bytes, each limit at its value (accepted) and one past it (refused),
 * unsorted or repeated authors, prefix_root and proof rules. A mutation test
 * flips every bit of every valid message: the result is refused or decodes
 * to a message that re-encodes to exactly those bytes.
 *
 * The fuzz seed corpus tests/fuzz/corpus/wire is built here: valid-* files
 * must decode, bad-* must not; COFUND_WRITE_CORPUS=1 (re)writes them.
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

#include "crypto/cf_error.h"
#include "net/wire.h"
#include "testutil.h"

#define BUF_BYTES (2u << 20)

static uint8_t g_buf[BUF_BYTES], g_out[BUF_BYTES];
static uint8_t A1[32], A2[32], A3[32], R1[32], R2[32];
static const char CKPT[] =
    "cofund/0011223344556677/aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa\n"
    "3\nq6urq6urq6urq6urq6urq6urq6urq6urq6urq6urq6s=\n\n"
    "— cofund/0011223344556677/aaaa AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA\n";

static int setup(void **state)
{
    (void)state;
    memset(A1, 0x11, 32), memset(A2, 0x22, 32), memset(A3, 0x33, 32);
    memset(R1, 0xa1, 32), memset(R2, 0xb2, 32);
    return 0;
}

/* ---- raw CBOR for hand-made inputs ------------------------------------------- */

typedef struct {
    uint8_t b[4096];
    size_t n;
} raw;

static void raw_byte(raw *r, uint8_t v)
{
    assert_true(r->n < sizeof r->b);
    r->b[r->n++] = v;
}

static void raw_head(raw *r, unsigned major, uint64_t v)
{
    uint8_t m = (uint8_t)(major << 5);
    if (v < 24) {
        raw_byte(r, (uint8_t)(m | v));
    } else if (v <= 0xff) {
        raw_byte(r, m | 24), raw_byte(r, (uint8_t)v);
    } else if (v <= 0xffff) {
        raw_byte(r, m | 25), raw_byte(r, (uint8_t)(v >> 8)), raw_byte(r, (uint8_t)v);
    } else {
        raw_byte(r, m | 26);
        for (int s = 24; s >= 0; s -= 8) raw_byte(r, (uint8_t)(v >> s));
    }
}

static void raw_text(raw *r, const char *s)
{
    raw_head(r, 3, strlen(s));
    for (const char *p = s; *p; p++) raw_byte(r, (uint8_t)*p);
}

static void raw_bytes(raw *r, const uint8_t *p, size_t n)
{
    raw_head(r, 2, n);
    for (size_t i = 0; i < n; i++) raw_byte(r, p[i]);
}

/* ---- helpers ------------------------------------------------------------------- */

static size_t enc_get(enum wire_type t, uint64_t from, const uint8_t *author)
{
    size_t len;
    assert_int_equal(wire_encode_get(g_buf, BUF_BYTES, t, from, author, &len), CF_OK);
    return len;
}

static size_t enc_status(size_t nfeeds, size_t nforks)
{
    cbor_enc e;
    size_t len;
    uint8_t a[32] = {0};
    wire_status_begin(&e, g_buf, BUF_BYTES, nfeeds);
    for (size_t i = 0; i < nfeeds; i++) {
        a[30] = (uint8_t)(i >> 8), a[31] = (uint8_t)i;
        wire_status_feed(&e, a, i * 1000, R1);
    }
    wire_status_forks(&e, nforks);
    for (size_t i = 0; i < nforks; i++) {
        a[30] = (uint8_t)(i >> 8), a[31] = (uint8_t)i;
        wire_status_fork(&e, a);
    }
    assert_int_equal(wire_status_end(&e, &len), CF_OK);
    return len;
}

/* A batch from `from` with n entries of entry_len bytes each and nproof
 * hashes; prefix_root R2 when from > 0. */
static size_t enc_batch(uint64_t from, size_t n, size_t entry_len, size_t nproof,
                        const char *ckpt, size_t ckpt_len)
{
    static uint8_t entry[WIRE_ENTRY_BYTES_MAX + 2];
    static uint8_t proof[WIRE_PROOF_MAX + 2][32];
    cbor_enc e;
    size_t len;
    for (size_t i = 0; i < nproof; i++) memset(proof[i], (int)i, 32);
    wire_batch_begin(&e, g_buf, BUF_BYTES, from, (const uint8_t(*)[32])proof, nproof, A1, n);
    for (size_t i = 0; i < n; i++) {
        memset(entry, (int)(i + 1), entry_len);
        wire_batch_entry(&e, entry, entry_len);
    }
    assert_int_equal(wire_batch_end(&e, ckpt, ckpt_len, from > 0 ? R2 : NULL, &len), CF_OK);
    return len;
}

/* Decode (an exact-size copy, for ASan), check the message re-encodes to
 * the same bytes; m is left decoded from buf. */
static void roundtrip(const uint8_t *buf, size_t len, wire_msg *m)
{
    const char *why = NULL;
    size_t out_len;
    uint8_t *exact = tu_dup_exact(buf, len);
    int rc = wire_decode(exact, len, m, &why);
    if (rc) fail_msg("decode: %s (%s)", cf_errname(rc), why ? why : "?");
    assert_int_equal(wire_encode_msg(m, g_out, BUF_BYTES, &out_len), CF_OK);
    assert_int_equal(out_len, len);
    assert_memory_equal(g_out, buf, len);
    free(exact);
    /* Again from buf, so m's pointers outlive the exact-size copy. */
    assert_int_equal(wire_decode(buf, len, m, NULL), CF_OK);
}

/* Decoding must fail with want (0: any error) and name a reason. */
static void rejects(const uint8_t *buf, size_t len, int want, const char *what)
{
    wire_msg m;
    const char *why = NULL;
    uint8_t *exact = tu_dup_exact(buf, len);
    int rc = wire_decode(exact, len, &m, &why);
    free(exact);
    if (rc == CF_OK) fail_msg("%s: accepted", what);
    if (want != 0 && rc != want)
        fail_msg("%s: got %s, want %s (%s)", what, cf_errname(rc), cf_errname(want),
                 why ? why : "?");
    if (why == NULL) fail_msg("%s: no reason given", what);
}

/* ---- round trips --------------------------------------------------------------- */

static void test_get_none(void **state)
{
    (void)state;
    wire_msg m;
    uint64_t froms[] = {0, 1, 23, 24, 255, 256, 65536, UINT64_MAX};
    for (size_t i = 0; i < sizeof froms / sizeof froms[0]; i++) {
        size_t len = enc_get(WIRE_GET, froms[i], A1);
        roundtrip(g_buf, len, &m);
        assert_int_equal(m.type, WIRE_GET);
        assert_true(m.from == froms[i]);
        assert_memory_equal(m.author, A1, 32);
        len = enc_get(WIRE_NONE, froms[i], A2);
        roundtrip(g_buf, len, &m);
        assert_int_equal(m.type, WIRE_NONE);
        assert_memory_equal(m.author, A2, 32);
    }
    assert_int_equal(wire_encode_get(g_buf, BUF_BYTES, WIRE_BATCH, 0, A1, &(size_t){0}),
                     CF_EINVAL);
    assert_string_equal(wire_type_name(WIRE_GET), "get");
    assert_string_equal(wire_type_name((enum wire_type)99), "?");
}

static void test_status(void **state)
{
    (void)state;
    wire_msg m;
    wire_iter it;
    wire_feed f;
    const uint8_t *a;
    size_t len = enc_status(0, 0);
    roundtrip(g_buf, len, &m);
    assert_int_equal(m.type, WIRE_STATUS);
    assert_int_equal(m.feeds.count, 0);
    assert_int_equal(m.forks.count, 0);

    len = enc_status(3, 2);
    roundtrip(g_buf, len, &m);
    assert_int_equal(m.feeds.count, 3);
    wire_iter_init(&it, &m.feeds);
    for (size_t i = 0; i < 3; i++) {
        assert_int_equal(wire_next_feed(&it, &f), CF_OK);
        assert_int_equal(f.author[31], i);
        assert_true(f.size == i * 1000);
        assert_memory_equal(f.root, R1, 32);
    }
    assert_int_equal(wire_next_feed(&it, &f), 1);
    wire_iter_init(&it, &m.forks);
    assert_int_equal(wire_next_author(&it, &a), CF_OK);
    assert_int_equal(wire_next_author(&it, &a), CF_OK);
    assert_int_equal(a[31], 1);
    assert_int_equal(wire_next_author(&it, &a), 1);

    /* The limits themselves are accepted. */
    len = enc_status(WIRE_FEEDS_MAX, WIRE_FEEDS_MAX);
    roundtrip(g_buf, len, &m);
    assert_int_equal(m.feeds.count, WIRE_FEEDS_MAX);
}

static void test_batch(void **state)
{
    (void)state;
    wire_msg m;
    wire_iter it;
    const uint8_t *p;
    size_t n;
    /* from 0: no prefix, empty proof. */
    size_t len = enc_batch(0, 3, 100, 0, CKPT, strlen(CKPT));
    roundtrip(g_buf, len, &m);
    assert_int_equal(m.type, WIRE_BATCH);
    assert_false(m.has_prefix);
    assert_int_equal(m.nproof, 0);
    assert_int_equal(m.entries.count, 3);
    assert_int_equal(m.checkpoint_len, strlen(CKPT));
    assert_memory_equal(m.checkpoint, CKPT, strlen(CKPT));
    wire_iter_init(&it, &m.entries);
    for (int i = 0; i < 3; i++) {
        assert_int_equal(wire_next_entry(&it, &p, &n), CF_OK);
        assert_int_equal(n, 100);
        assert_int_equal(p[0], i + 1);
    }
    assert_int_equal(wire_next_entry(&it, &p, &n), 1);
    /* from > 0: prefix root and proof. */
    len = enc_batch(7, 2, 10, 5, CKPT, strlen(CKPT));
    roundtrip(g_buf, len, &m);
    assert_true(m.has_prefix);
    assert_true(m.from == 7);
    assert_memory_equal(m.prefix_root, R2, 32);
    assert_int_equal(m.nproof, 5);
    assert_int_equal(m.proof[4][0], 4);
    /* Same size: zero entries, a prefix, no proof. */
    len = enc_batch(3, 0, 0, 0, CKPT, strlen(CKPT));
    roundtrip(g_buf, len, &m);
    assert_int_equal(m.entries.count, 0);
    /* Limits at their values. */
    len = enc_batch(1, 1, WIRE_ENTRY_BYTES_MAX, WIRE_PROOF_MAX, CKPT, strlen(CKPT));
    roundtrip(g_buf, len, &m);
    len = enc_batch(0, WIRE_BATCH_ENTRIES_MAX, 1, 0, CKPT, strlen(CKPT));
    roundtrip(g_buf, len, &m);
    static char big[WIRE_CHECKPOINT_BYTES_MAX + 1];
    memset(big, 'c', sizeof big);
    len = enc_batch(0, 1, 1, 0, big, WIRE_CHECKPOINT_BYTES_MAX);
    roundtrip(g_buf, len, &m);
    /* A batch as the node sends it: 768 KiB of entries fits a frame. */
    len = enc_batch(1000, 48, WIRE_ENTRY_BYTES_MAX, WIRE_PROOF_MAX, big,
                    WIRE_CHECKPOINT_BYTES_MAX);
    assert_true(len <= (1u << 20));
    roundtrip(g_buf, len, &m);
}

static void test_fork(void **state)
{
    (void)state;
    static uint8_t proof[WIRE_FORK_BYTES_MAX + 1];
    wire_msg m;
    size_t len;
    memset(proof, 0xfa, sizeof proof);
    assert_int_equal(wire_encode_fork(g_buf, BUF_BYTES, proof, 300, &len), CF_OK);
    roundtrip(g_buf, len, &m);
    assert_int_equal(m.type, WIRE_FORK);
    assert_int_equal(m.fork_len, 300);
    assert_int_equal(wire_encode_fork(g_buf, BUF_BYTES, proof, WIRE_FORK_BYTES_MAX, &len), CF_OK);
    roundtrip(g_buf, len, &m);
    assert_int_equal(wire_encode_fork(g_buf, BUF_BYTES, proof, 0, &len), CF_EINVAL);
    assert_int_equal(wire_encode_fork(g_buf, BUF_BYTES, proof, WIRE_FORK_BYTES_MAX + 1, &len),
                     CF_EINVAL);
    /* The encoders report a short buffer. */
    assert_int_equal(wire_encode_fork(g_buf, 50, proof, 300, &len), CF_ECBOR_BUFFER);
}

static void test_cosig(void **state)
{
    (void)state;
    static char big[WIRE_CHECKPOINT_BYTES_MAX + 1];
    wire_msg m;
    size_t len;
    assert_int_equal(wire_encode_cosig(g_buf, BUF_BYTES, A2, CKPT, strlen(CKPT), &len), CF_OK);
    assert_true(len <= WIRE_COSIG_BYTES_MAX);
    roundtrip(g_buf, len, &m);
    assert_int_equal(m.type, WIRE_COSIG);
    assert_string_equal(wire_type_name(WIRE_COSIG), "cosig");
    assert_memory_equal(m.author, A2, 32);
    assert_int_equal(m.checkpoint_len, strlen(CKPT));
    assert_memory_equal(m.checkpoint, CKPT, strlen(CKPT));
    /* The largest checkpoint is accepted, and fits WIRE_COSIG_BYTES_MAX. */
    memset(big, 'c', sizeof big);
    assert_int_equal(wire_encode_cosig(g_buf, BUF_BYTES, A1, big, WIRE_CHECKPOINT_BYTES_MAX, &len),
                     CF_OK);
    assert_true(len <= WIRE_COSIG_BYTES_MAX);
    roundtrip(g_buf, len, &m);
    assert_int_equal(wire_encode_cosig(g_buf, BUF_BYTES, A1, big, 0, &len), CF_EINVAL);
    assert_int_equal(wire_encode_cosig(g_buf, BUF_BYTES, A1, big, sizeof big, &len), CF_EINVAL);
    assert_int_equal(wire_encode_cosig(g_buf, 40, A1, CKPT, strlen(CKPT), &len), CF_ECBOR_BUFFER);
}

/* ---- rejections ------------------------------------------------------------------ */

static void test_reject_shape(void **state)
{
    (void)state;
    raw r;
    rejects((const uint8_t *)"", 0, CF_EINVAL, "empty");
    r.n = 0, raw_head(&r, 4, 0);
    rejects(r.b, r.n, CF_EFORMAT, "an array");
    r.n = 0, raw_head(&r, 0, 5);
    rejects(r.b, r.n, CF_EFORMAT, "an integer");
    r.n = 0, raw_head(&r, 5, 0);
    rejects(r.b, r.n, CF_EFORMAT, "an empty map");
    /* {"a": 1, "t": "get"}: the first key is not "t". */
    r.n = 0, raw_head(&r, 5, 2), raw_text(&r, "a"), raw_head(&r, 0, 1), raw_text(&r, "t"),
    raw_text(&r, "get");
    rejects(r.b, r.n, CF_EFORMAT, "first key not t");
    /* {"t": "hello"} and {"t": "statusxyz"}: unknown types. */
    r.n = 0, raw_head(&r, 5, 1), raw_text(&r, "t"), raw_text(&r, "hello");
    rejects(r.b, r.n, CF_EFORMAT, "unknown type");
    r.n = 0, raw_head(&r, 5, 1), raw_text(&r, "t"), raw_text(&r, "statusxyz");
    rejects(r.b, r.n, CF_EFORMAT, "overlong type");
    r.n = 0, raw_head(&r, 5, 1), raw_text(&r, "t"), raw_text(&r, "Get");
    rejects(r.b, r.n, CF_EFORMAT, "type in another case");
    /* {"t": 1}: not a text. */
    r.n = 0, raw_head(&r, 5, 1), raw_text(&r, "t"), raw_head(&r, 0, 1);
    rejects(r.b, r.n, CF_ECBOR_TYPE, "type not a text");
    /* A map of 8 keys. */
    r.n = 0, raw_head(&r, 5, 8);
    const char *keys[] = {"a", "b", "c", "d", "e", "f", "g", "t"};
    for (int i = 0; i < 8; i++) raw_text(&r, keys[i]), raw_head(&r, 0, 0);
    rejects(r.b, r.n, CF_EFORMAT, "too many keys");
}

static void test_reject_get(void **state)
{
    (void)state;
    raw r;
    /* missing author */
    r.n = 0, raw_head(&r, 5, 2), raw_text(&r, "t"), raw_text(&r, "get"), raw_text(&r, "from"),
    raw_head(&r, 0, 1);
    rejects(r.b, r.n, CF_EFORMAT, "get without author");
    /* misnamed key, still in canonical order */
    r.n = 0, raw_head(&r, 5, 3), raw_text(&r, "t"), raw_text(&r, "get"), raw_text(&r, "from"),
    raw_head(&r, 0, 1), raw_text(&r, "autho"), raw_bytes(&r, A1, 32);
    rejects(r.b, r.n, CF_EFORMAT, "misnamed key");
    /* extra key */
    r.n = 0, raw_head(&r, 5, 4), raw_text(&r, "t"), raw_text(&r, "get"), raw_text(&r, "from"),
    raw_head(&r, 0, 1), raw_text(&r, "author"), raw_bytes(&r, A1, 32), raw_text(&r, "zzzzzzz"),
    raw_head(&r, 0, 0);
    rejects(r.b, r.n, CF_EFORMAT, "extra key");
    /* keys out of canonical order: author before from */
    r.n = 0, raw_head(&r, 5, 3), raw_text(&r, "t"), raw_text(&r, "get"), raw_text(&r, "author"),
    raw_bytes(&r, A1, 32), raw_text(&r, "from"), raw_head(&r, 0, 1);
    rejects(r.b, r.n, CF_ECBOR_KEY_ORDER, "keys out of order");
    /* duplicate key */
    r.n = 0, raw_head(&r, 5, 3), raw_text(&r, "t"), raw_text(&r, "get"), raw_text(&r, "t"),
    raw_text(&r, "get"), raw_text(&r, "author"), raw_bytes(&r, A1, 32);
    rejects(r.b, r.n, CF_ECBOR_KEY_ORDER, "duplicate key");
    /* wrong types */
    r.n = 0, raw_head(&r, 5, 3), raw_text(&r, "t"), raw_text(&r, "get"), raw_text(&r, "from"),
    raw_head(&r, 1, 0), raw_text(&r, "author"), raw_bytes(&r, A1, 32);
    rejects(r.b, r.n, CF_ECBOR_TYPE, "negative from");
    r.n = 0, raw_head(&r, 5, 3), raw_text(&r, "t"), raw_text(&r, "get"), raw_text(&r, "from"),
    raw_head(&r, 0, 1), raw_text(&r, "author"), raw_bytes(&r, A1, 31);
    rejects(r.b, r.n, CF_ERANGE, "31-byte author");
    r.n = 0, raw_head(&r, 5, 3), raw_text(&r, "t"), raw_text(&r, "get"), raw_text(&r, "from"),
    raw_head(&r, 0, 1), raw_text(&r, "author"), raw_bytes(&r, A1, 32), raw_byte(&r, 0);
    rejects(r.b, r.n, 0, "trailing byte");
    r.n = 0, raw_head(&r, 5, 3), raw_text(&r, "t"), raw_text(&r, "get"), raw_text(&r, "from"),
    raw_head(&r, 0, 1), raw_text(&r, "author"), raw_head(&r, 3, 32);
    for (int i = 0; i < 32; i++) raw_byte(&r, 'a');
    rejects(r.b, r.n, CF_ECBOR_TYPE, "author as text");
    /* non-canonical integer: 1 as 0x18 0x01 */
    r.n = 0, raw_head(&r, 5, 3), raw_text(&r, "t"), raw_text(&r, "get"), raw_text(&r, "from"),
    raw_byte(&r, 0x18), raw_byte(&r, 1), raw_text(&r, "author"), raw_bytes(&r, A1, 32);
    rejects(r.b, r.n, CF_ECBOR_NONCANONICAL, "non-shortest integer");
    /* indefinite-length map */
    r.n = 0, raw_byte(&r, 0xbf), raw_text(&r, "t"), raw_text(&r, "get"), raw_byte(&r, 0xff);
    rejects(r.b, r.n, 0, "indefinite map");
    /* a float where from belongs */
    r.n = 0, raw_head(&r, 5, 3), raw_text(&r, "t"), raw_text(&r, "get"), raw_text(&r, "from"),
    raw_byte(&r, 0xf9), raw_byte(&r, 0), raw_byte(&r, 0), raw_text(&r, "author"),
    raw_bytes(&r, A1, 32);
    rejects(r.b, r.n, 0, "float");
    /* truncated */
    size_t len = enc_get(WIRE_GET, 5, A1);
    for (size_t k = 1; k < len; k++) rejects(g_buf, k, 0, "truncated get");
}

static void test_reject_status(void **state)
{
    (void)state;
    raw r;
    uint8_t root[32] = {0};
    size_t len = enc_status(WIRE_FEEDS_MAX + 1, 0);
    rejects(g_buf, len, CF_ECBOR_LIMIT, "4097 feeds");
    len = enc_status(0, WIRE_FEEDS_MAX + 1);
    rejects(g_buf, len, CF_ECBOR_LIMIT, "4097 forks");
    /* unsorted and repeated feeds */
    const uint8_t *orders[][2] = {{A2, A1}, {A1, A1}};
    for (int k = 0; k < 2; k++) {
        r.n = 0, raw_head(&r, 5, 3), raw_text(&r, "t"), raw_text(&r, "status"),
        raw_text(&r, "feeds"), raw_head(&r, 4, 2);
        for (int i = 0; i < 2; i++)
            raw_head(&r, 4, 3), raw_bytes(&r, orders[k][i], 32), raw_head(&r, 0, 1),
                raw_bytes(&r, root, 32);
        raw_text(&r, "forks"), raw_head(&r, 4, 0);
        rejects(r.b, r.n, CF_EFORMAT, k ? "repeated feed" : "unsorted feeds");
        r.n = 0, raw_head(&r, 5, 3), raw_text(&r, "t"), raw_text(&r, "status"),
        raw_text(&r, "feeds"), raw_head(&r, 4, 0), raw_text(&r, "forks"), raw_head(&r, 4, 2),
        raw_bytes(&r, orders[k][0], 32), raw_bytes(&r, orders[k][1], 32);
        rejects(r.b, r.n, CF_EFORMAT, k ? "repeated fork" : "unsorted forks");
    }
    /* a feed of two items; a feed whose size is a text; a short root */
    r.n = 0, raw_head(&r, 5, 3), raw_text(&r, "t"), raw_text(&r, "status"),
    raw_text(&r, "feeds"), raw_head(&r, 4, 1), raw_head(&r, 4, 2), raw_bytes(&r, A1, 32),
    raw_head(&r, 0, 1), raw_text(&r, "forks"), raw_head(&r, 4, 0);
    rejects(r.b, r.n, CF_EFORMAT, "feed of two");
    r.n = 0, raw_head(&r, 5, 3), raw_text(&r, "t"), raw_text(&r, "status"),
    raw_text(&r, "feeds"), raw_head(&r, 4, 1), raw_head(&r, 4, 3), raw_bytes(&r, A1, 32),
    raw_text(&r, "1"), raw_bytes(&r, root, 32), raw_text(&r, "forks"), raw_head(&r, 4, 0);
    rejects(r.b, r.n, CF_ECBOR_TYPE, "size as text");
    r.n = 0, raw_head(&r, 5, 3), raw_text(&r, "t"), raw_text(&r, "status"),
    raw_text(&r, "feeds"), raw_head(&r, 4, 1), raw_head(&r, 4, 3), raw_bytes(&r, A1, 32),
    raw_head(&r, 0, 1), raw_bytes(&r, root, 31), raw_text(&r, "forks"), raw_head(&r, 4, 0);
    rejects(r.b, r.n, CF_ERANGE, "31-byte root");
    /* forks missing; feeds a map */
    r.n = 0, raw_head(&r, 5, 2), raw_text(&r, "t"), raw_text(&r, "status"),
    raw_text(&r, "feeds"), raw_head(&r, 4, 0);
    rejects(r.b, r.n, CF_EFORMAT, "status without forks");
    r.n = 0, raw_head(&r, 5, 3), raw_text(&r, "t"), raw_text(&r, "status"),
    raw_text(&r, "feeds"), raw_head(&r, 5, 0), raw_text(&r, "forks"), raw_head(&r, 4, 0);
    rejects(r.b, r.n, CF_ECBOR_TYPE, "feeds as a map");
}

static void test_reject_batch(void **state)
{
    (void)state;
    static char big[WIRE_CHECKPOINT_BYTES_MAX + 1];
    raw r;
    size_t len = enc_batch(0, WIRE_BATCH_ENTRIES_MAX + 1, 1, 0, CKPT, strlen(CKPT));
    rejects(g_buf, len, CF_ECBOR_LIMIT, "8193 entries");
    len = enc_batch(1, 1, WIRE_ENTRY_BYTES_MAX + 1, 0, CKPT, strlen(CKPT));
    rejects(g_buf, len, CF_ECBOR_LIMIT, "entry over 16 KiB");
    len = enc_batch(1, 1, 10, WIRE_PROOF_MAX + 1, CKPT, strlen(CKPT));
    rejects(g_buf, len, CF_ECBOR_LIMIT, "65 proof hashes");
    memset(big, 'c', sizeof big);
    len = enc_batch(0, 1, 1, 0, big, sizeof big);
    rejects(g_buf, len, CF_ECBOR_LIMIT, "checkpoint over 8 KiB");
    len = enc_batch(0, 1, 0, 0, CKPT, strlen(CKPT));
    rejects(g_buf, len, CF_EFORMAT, "empty entry");
    len = enc_batch(0, 1, 1, 0, CKPT, 0);
    rejects(g_buf, len, CF_EFORMAT, "empty checkpoint");
    len = enc_batch(0, 1, 1, 2, CKPT, strlen(CKPT));
    rejects(g_buf, len, CF_EFORMAT, "proof with from 0");

    /* prefix_root with from 0; none with from 5. Built by hand: the encoder
     * refuses both (its item count would not match). */
    uint8_t e1[1] = {7};
    for (int k = 0; k < 2; k++) {
        r.n = 0, raw_head(&r, 5, k ? 6 : 7), raw_text(&r, "t"), raw_text(&r, "batch"),
        raw_text(&r, "from"), raw_head(&r, 0, k ? 5 : 0), raw_text(&r, "proof"),
        raw_head(&r, 4, 0), raw_text(&r, "author"), raw_bytes(&r, A1, 32),
        raw_text(&r, "entries"), raw_head(&r, 4, 1), raw_bytes(&r, e1, 1),
        raw_text(&r, "checkpoint"), raw_text(&r, "x");
        if (!k) raw_text(&r, "prefix_root"), raw_bytes(&r, R1, 32);
        rejects(r.b, r.n, CF_EFORMAT, k ? "from 5 without prefix_root" : "prefix_root at 0");
    }
    cbor_enc e;
    wire_batch_begin(&e, g_buf, BUF_BYTES, 5, NULL, 0, A1, 0);
    assert_int_equal(wire_batch_end(&e, "x", 1, NULL, &len), CF_ECBOR_STATE);
    /* checkpoint as bytes; entries holding a text */
    r.n = 0, raw_head(&r, 5, 6), raw_text(&r, "t"), raw_text(&r, "batch"), raw_text(&r, "from"),
    raw_head(&r, 0, 0), raw_text(&r, "proof"), raw_head(&r, 4, 0), raw_text(&r, "author"),
    raw_bytes(&r, A1, 32), raw_text(&r, "entries"), raw_head(&r, 4, 0),
    raw_text(&r, "checkpoint"), raw_bytes(&r, e1, 1);
    rejects(r.b, r.n, CF_ECBOR_TYPE, "checkpoint as bytes");
    r.n = 0, raw_head(&r, 5, 6), raw_text(&r, "t"), raw_text(&r, "batch"), raw_text(&r, "from"),
    raw_head(&r, 0, 0), raw_text(&r, "proof"), raw_head(&r, 4, 0), raw_text(&r, "author"),
    raw_bytes(&r, A1, 32), raw_text(&r, "entries"), raw_head(&r, 4, 1), raw_text(&r, "e"),
    raw_text(&r, "checkpoint"), raw_text(&r, "x");
    rejects(r.b, r.n, CF_ECBOR_TYPE, "entry as text");
    /* a checkpoint that is not UTF-8 */
    r.n = 0, raw_head(&r, 5, 6), raw_text(&r, "t"), raw_text(&r, "batch"), raw_text(&r, "from"),
    raw_head(&r, 0, 0), raw_text(&r, "proof"), raw_head(&r, 4, 0), raw_text(&r, "author"),
    raw_bytes(&r, A1, 32), raw_text(&r, "entries"), raw_head(&r, 4, 0),
    raw_text(&r, "checkpoint"), raw_head(&r, 3, 1), raw_byte(&r, 0xff);
    rejects(r.b, r.n, CF_ECBOR_UTF8, "checkpoint not UTF-8");
}

static void test_reject_fork(void **state)
{
    (void)state;
    raw r;
    r.n = 0, raw_head(&r, 5, 2), raw_text(&r, "t"), raw_text(&r, "fork"), raw_text(&r, "proof"),
    raw_head(&r, 2, 0);
    rejects(r.b, r.n, CF_EFORMAT, "empty fork proof");
    r.n = 0, raw_head(&r, 5, 2), raw_text(&r, "t"), raw_text(&r, "fork"), raw_text(&r, "proof"),
    raw_text(&r, "abc");
    rejects(r.b, r.n, CF_ECBOR_TYPE, "fork proof as text");
    r.n = 0, raw_head(&r, 5, 1), raw_text(&r, "t"), raw_text(&r, "fork");
    rejects(r.b, r.n, CF_EFORMAT, "fork without proof");
    /* one byte over the limit (built with the generic encoder) */
    static uint8_t proof[WIRE_FORK_BYTES_MAX + 1];
    cbor_enc e;
    size_t len;
    cbor_enc_init(&e, g_buf, BUF_BYTES);
    cbor_put_map(&e, 2), cbor_put_cstr(&e, "t"), cbor_put_cstr(&e, "fork");
    cbor_put_cstr(&e, "proof"), cbor_put_bytes(&e, proof, sizeof proof);
    assert_int_equal(cbor_enc_finish(&e, &len), CF_OK);
    rejects(g_buf, len, CF_ECBOR_LIMIT, "fork proof over the limit");
}

static void test_reject_cosig(void **state)
{
    (void)state;
    static char big[WIRE_CHECKPOINT_BYTES_MAX + 1];
    raw r;
    uint8_t e1[1] = {7};
    /* missing checkpoint; missing author */
    r.n = 0, raw_head(&r, 5, 2), raw_text(&r, "t"), raw_text(&r, "cosig"), raw_text(&r, "author"),
    raw_bytes(&r, A1, 32);
    rejects(r.b, r.n, CF_EFORMAT, "cosig without checkpoint");
    r.n = 0, raw_head(&r, 5, 2), raw_text(&r, "t"), raw_text(&r, "cosig"),
    raw_text(&r, "checkpoint"), raw_text(&r, "x");
    rejects(r.b, r.n, CF_EFORMAT, "cosig without author");
    /* a short author; an empty checkpoint; a checkpoint as bytes */
    r.n = 0, raw_head(&r, 5, 3), raw_text(&r, "t"), raw_text(&r, "cosig"), raw_text(&r, "author"),
    raw_bytes(&r, A1, 31), raw_text(&r, "checkpoint"), raw_text(&r, "x");
    rejects(r.b, r.n, CF_ERANGE, "cosig 31-byte author");
    r.n = 0, raw_head(&r, 5, 3), raw_text(&r, "t"), raw_text(&r, "cosig"), raw_text(&r, "author"),
    raw_bytes(&r, A1, 32), raw_text(&r, "checkpoint"), raw_text(&r, "");
    rejects(r.b, r.n, CF_EFORMAT, "cosig empty checkpoint");
    r.n = 0, raw_head(&r, 5, 3), raw_text(&r, "t"), raw_text(&r, "cosig"), raw_text(&r, "author"),
    raw_bytes(&r, A1, 32), raw_text(&r, "checkpoint"), raw_bytes(&r, e1, 1);
    rejects(r.b, r.n, CF_ECBOR_TYPE, "cosig checkpoint as bytes");
    /* an extra key */
    r.n = 0, raw_head(&r, 5, 4), raw_text(&r, "t"), raw_text(&r, "cosig"), raw_text(&r, "from"),
    raw_head(&r, 0, 1), raw_text(&r, "author"), raw_bytes(&r, A1, 32), raw_text(&r, "checkpoint"),
    raw_text(&r, "x");
    rejects(r.b, r.n, CF_EFORMAT, "cosig with from");
    /* one byte over the checkpoint limit (built with the generic encoder) */
    cbor_enc e;
    size_t len;
    memset(big, 'c', sizeof big);
    cbor_enc_init(&e, g_buf, BUF_BYTES);
    cbor_put_map(&e, 3), cbor_put_cstr(&e, "t"), cbor_put_cstr(&e, "cosig");
    cbor_put_cstr(&e, "author"), cbor_put_bytes(&e, A1, 32);
    cbor_put_cstr(&e, "checkpoint"), cbor_put_text(&e, big, sizeof big);
    assert_int_equal(cbor_enc_finish(&e, &len), CF_OK);
    rejects(g_buf, len, CF_ECBOR_LIMIT, "cosig checkpoint over 8 KiB");
}

/* ---- mutations ----------------------------------------------------------------- */

static void mutate_all(const uint8_t *msg, size_t len)
{
    uint8_t *m = tu_dup_exact(msg, len);
    wire_msg w;
    size_t out_len;
    for (size_t i = 0; i < len; i++)
        for (int b = 0; b < 8; b++) {
            m[i] ^= (uint8_t)(1u << b);
            if (wire_decode(m, len, &w, NULL) == CF_OK) {
                /* Still a message: then it is the one message these bytes
                 * encode, and nothing else decodes to it. */
                assert_int_equal(wire_encode_msg(&w, g_out, BUF_BYTES, &out_len), CF_OK);
                assert_int_equal(out_len, len);
                assert_memory_equal(g_out, m, len);
            }
            m[i] ^= (uint8_t)(1u << b);
        }
    free(m);
}

static void test_mutations(void **state)
{
    (void)state;
    static uint8_t msgs[6][4096];
    size_t lens[6];
    lens[0] = enc_get(WIRE_GET, 300, A1), memcpy(msgs[0], g_buf, lens[0]);
    lens[1] = enc_get(WIRE_NONE, 0, A3), memcpy(msgs[1], g_buf, lens[1]);
    lens[2] = enc_status(3, 1), memcpy(msgs[2], g_buf, lens[2]);
    lens[3] = enc_batch(2, 3, 20, 3, CKPT, strlen(CKPT)), memcpy(msgs[3], g_buf, lens[3]);
    assert_int_equal(wire_encode_fork(g_buf, BUF_BYTES, A2, 32, &lens[4]), CF_OK);
    memcpy(msgs[4], g_buf, lens[4]);
    assert_int_equal(wire_encode_cosig(msgs[5], sizeof msgs[5], A2, CKPT, strlen(CKPT), &lens[5]),
                     CF_OK);
    for (int k = 0; k < 6; k++) mutate_all(msgs[k], lens[k]);
}

/* ---- the fuzz seed corpus ---------------------------------------------------------- */

typedef struct {
    const char *name;
    uint8_t *bytes;
    size_t len;
} seed;

static seed g_seeds[32];
static size_t g_nseeds;

static void add_seed(const char *name, const uint8_t *p, size_t len)
{
    assert_true(g_nseeds < sizeof g_seeds / sizeof g_seeds[0]);
    g_seeds[g_nseeds].name = name;
    g_seeds[g_nseeds].bytes = tu_dup_exact(p, len);
    g_seeds[g_nseeds++].len = len;
}

static void build_seeds(void)
{
    raw r;
    size_t len;
    g_nseeds = 0;
    add_seed("valid-get", g_buf, enc_get(WIRE_GET, 1024, A1));
    add_seed("valid-none", g_buf, enc_get(WIRE_NONE, 0, A2));
    add_seed("valid-status-empty", g_buf, enc_status(0, 0));
    add_seed("valid-status", g_buf, enc_status(4, 2));
    add_seed("valid-batch-from0", g_buf, enc_batch(0, 3, 40, 0, CKPT, strlen(CKPT)));
    add_seed("valid-batch-prefix", g_buf, enc_batch(3, 2, 40, 4, CKPT, strlen(CKPT)));
    add_seed("valid-batch-same-size", g_buf, enc_batch(3, 0, 0, 0, CKPT, strlen(CKPT)));
    assert_int_equal(wire_encode_fork(g_buf, BUF_BYTES, (const uint8_t *)CKPT, strlen(CKPT), &len),
                     CF_OK);
    add_seed("valid-fork", g_buf, len);
    assert_int_equal(wire_encode_cosig(g_buf, BUF_BYTES, A2, CKPT, strlen(CKPT), &len), CF_OK);
    add_seed("valid-cosig", g_buf, len);
    r.n = 0, raw_head(&r, 5, 2), raw_text(&r, "t"), raw_text(&r, "cosig"), raw_text(&r, "author"),
    raw_bytes(&r, A1, 32);
    add_seed("bad-cosig-no-checkpoint", r.b, r.n);
    r.n = 0, raw_head(&r, 5, 3), raw_text(&r, "t"), raw_text(&r, "cosig"),
    raw_text(&r, "checkpoint"), raw_text(&r, "x"), raw_text(&r, "author"), raw_bytes(&r, A1, 32);
    add_seed("bad-cosig-key-order", r.b, r.n);
    r.n = 0, raw_head(&r, 5, 1), raw_text(&r, "t"), raw_text(&r, "hello");
    add_seed("bad-unknown-type", r.b, r.n);
    r.n = 0, raw_head(&r, 5, 3), raw_text(&r, "t"), raw_text(&r, "get"), raw_text(&r, "author"),
    raw_bytes(&r, A1, 32), raw_text(&r, "from"), raw_head(&r, 0, 1);
    add_seed("bad-key-order", r.b, r.n);
    r.n = 0, raw_head(&r, 5, 2), raw_text(&r, "t"), raw_text(&r, "get"), raw_text(&r, "from"),
    raw_head(&r, 0, 1);
    add_seed("bad-missing-author", r.b, r.n);
    r.n = 0, raw_head(&r, 5, 3), raw_text(&r, "t"), raw_text(&r, "get"), raw_text(&r, "from"),
    raw_byte(&r, 0x18), raw_byte(&r, 1), raw_text(&r, "author"), raw_bytes(&r, A1, 32);
    add_seed("bad-noncanonical-uint", r.b, r.n);
    len = enc_get(WIRE_GET, 1, A1);
    g_buf[len] = 0;
    add_seed("bad-trailing", g_buf, len + 1);
    add_seed("bad-truncated", g_buf, len - 3);
    r.n = 0, raw_head(&r, 5, 3), raw_text(&r, "t"), raw_text(&r, "status"),
    raw_text(&r, "feeds"), raw_head(&r, 4, 0), raw_text(&r, "forks"), raw_head(&r, 4, 2),
    raw_bytes(&r, A2, 32), raw_bytes(&r, A1, 32);
    add_seed("bad-forks-unsorted", r.b, r.n);
    r.n = 0, raw_head(&r, 5, 6), raw_text(&r, "t"), raw_text(&r, "batch"), raw_text(&r, "from"),
    raw_head(&r, 0, 5), raw_text(&r, "proof"), raw_head(&r, 4, 0), raw_text(&r, "author"),
    raw_bytes(&r, A1, 32), raw_text(&r, "entries"), raw_head(&r, 4, 0),
    raw_text(&r, "checkpoint"), raw_text(&r, "x");
    add_seed("bad-batch-no-prefix", r.b, r.n);
    len = enc_batch(0, 1, 0, 0, CKPT, strlen(CKPT));
    add_seed("bad-batch-empty-entry", g_buf, len);
    r.n = 0, raw_head(&r, 4, 2), raw_text(&r, "t"), raw_text(&r, "get");
    add_seed("bad-not-a-map", r.b, r.n);
    /* garbage, as a port scanner or an HTTP client would send it */
    add_seed("bad-http", (const uint8_t *)"GET / HTTP/1.1\r\n\r\n", 18);
}

static void test_corpus(void **state)
{
    (void)state;
    char rel[128];
    wire_msg m;
    build_seeds();
    for (size_t i = 0; i < g_nseeds; i++) {
        const seed *s = &g_seeds[i];
        bool valid = strncmp(s->name, "valid-", 6) == 0;
        int rc = wire_decode(s->bytes, s->len, &m, NULL);
        if (valid != (rc == CF_OK)) fail_msg("seed %s: decode gives %s", s->name, cf_errname(rc));
        snprintf(rel, sizeof rel, "fuzz/corpus/wire/%s", s->name);
        tu_corpus_seed(rel, s->bytes, s->len);
    }
    for (size_t i = 0; i < g_nseeds; i++) free(g_seeds[i].bytes);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_get_none),      cmocka_unit_test(test_status),
        cmocka_unit_test(test_batch),         cmocka_unit_test(test_fork),
        cmocka_unit_test(test_reject_shape),  cmocka_unit_test(test_reject_get),
        cmocka_unit_test(test_reject_status), cmocka_unit_test(test_reject_batch),
        cmocka_unit_test(test_reject_fork),   cmocka_unit_test(test_cosig),
        cmocka_unit_test(test_reject_cosig),  cmocka_unit_test(test_mutations),
        cmocka_unit_test(test_corpus),
    };
    return cmocka_run_group_tests(tests, setup, NULL);
}
