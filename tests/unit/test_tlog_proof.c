/* test_tlog_proof.c — C2SP tlog-checkpoint text and tlog-proof@v1
 * (crypto/note.h).
 *
 * Checkpoint text: one case per accepted and rejected form.
 * End to end over the RFC 6962 vectors (tests/vectors/rfc6962.txt): for every
 * leaf of the 8-leaf tree, an inclusion proof is formatted with a signed
 * checkpoint, parsed back, the checkpoint verified and the proof checked with
 * merkle_verify_inclusion. Then the exact text form, canonical round trips,
 * limits from both sides, and one case per malformed form.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "crypto/cf_error.h"
#include "crypto/cf_util.h"
#include "crypto/merkle.h"
#include "crypto/note.h"

#define LEAVES 8
#define LINE_MAX_BYTES 512
#define PROOF_BUF (TLOGPROOF_BYTES_MAX + 1)
#define EM "\xe2\x80\x94"

static uint8_t g_leaf[LEAVES][32];
static uint8_t g_root[32];
static uint8_t g_pk[32], g_sk[64];
static char g_ckpt[NOTE_BYTES_MAX + 1]; /* signed checkpoint of size 8 */
static size_t g_ckpt_len;
static char *g_buf, *g_buf2; /* PROOF_BUF each */

static void unhex(const char *hex, uint8_t *out, size_t n)
{
    assert_int_equal(cf_hex_decode(hex, 2 * n, out, n), CF_OK);
}

static int setup(void **state)
{
    (void)state;
    char line[LINE_MAX_BYTES];
    uint8_t data[LINE_MAX_BYTES / 2], seed[32];
    FILE *f = fopen(COFUND_TEST_DATA "/vectors/rfc6962.txt", "r");
    assert_non_null(f);
    while (fgets(line, sizeof line, f) != NULL) {
        unsigned i;
        char hex[LINE_MAX_BYTES] = "";
        line[strcspn(line, "\n")] = '\0';
        if (sscanf(line, "leaf %u %511s", &i, hex) >= 1 && i < LEAVES) {
            size_t n = strlen(hex) / 2;
            unhex(hex, data, n);
            merkle_leaf_hash(data, n, g_leaf[i]);
        } else if (sscanf(line, "root %u %511s", &i, hex) == 2 && i == LEAVES) {
            unhex(hex, g_root, 32);
        }
    }
    fclose(f);
    memset(seed, 0x42, sizeof seed);
    assert_int_equal(cf_ed25519_keypair_from_seed(seed, g_pk, g_sk), CF_OK);
    char text[512];
    size_t tlen;
    assert_int_equal(checkpoint_format("example.com/log", LEAVES, g_root, text,
                                       sizeof text, &tlen), CF_OK);
    assert_int_equal(note_sign(text, tlen, "example.com/log", g_sk, g_ckpt,
                               sizeof g_ckpt, &g_ckpt_len), CF_OK);
    g_buf = malloc(PROOF_BUF);
    g_buf2 = malloc(PROOF_BUF);
    assert_non_null(g_buf);
    assert_non_null(g_buf2);
    return 0;
}

static int teardown(void **state)
{
    (void)state;
    free(g_buf);
    free(g_buf2);
    return 0;
}

/* Subtree hashes of the 8-leaf tree, computed from the leaves. */
static int subtree(void *ctx, unsigned level, uint64_t index,
                   uint8_t out[MERKLE_HASH_BYTES])
{
    (void)ctx;
    if (level == 0) {
        memcpy(out, g_leaf[index], 32);
        return CF_OK;
    }
    uint8_t l[32], r[32];
    subtree(NULL, level - 1, 2 * index, l);
    subtree(NULL, level - 1, 2 * index + 1, r);
    merkle_node_hash(l, r, out);
    return CF_OK;
}

#define ROOT_B64 "CsUYapGGPo4dkMgIAUqom/Xajj7h2fB2MPA3j2jxq2I="

/* ---- checkpoint text (tlog-checkpoint) --------------------------------- */

#define CK CF_ECKPT_FORMAT

static void test_checkpoint_forms(void **state)
{
    (void)state;
    static const struct {
        const char *what, *text;
        int want;
    } cs[] = {
        {"minimal", "o\n1\n" ROOT_B64 "\n", CF_OK},
        {"size 0", "o\n0\n" ROOT_B64 "\n", CF_OK},
        {"size 2^64-1", "o\n18446744073709551615\n" ROOT_B64 "\n", CF_OK},
        {"extension lines", "o\n1\n" ROOT_B64 "\next 1\next 2\n", CF_OK},
        {"origin with spaces", "my log\n1\n" ROOT_B64 "\n", CF_OK},
        {"empty", "", CK},
        {"empty origin", "\n1\n" ROOT_B64 "\n", CK},
        {"leading zero size", "o\n01\n" ROOT_B64 "\n", CK},
        {"size 00", "o\n00\n" ROOT_B64 "\n", CK},
        {"size overflow", "o\n18446744073709551616\n" ROOT_B64 "\n", CK},
        {"negative size", "o\n-1\n" ROOT_B64 "\n", CK},
        {"plus size", "o\n+1\n" ROOT_B64 "\n", CK},
        {"empty size", "o\n\n" ROOT_B64 "\n", CK},
        {"size with space", "o\n1 \n" ROOT_B64 "\n", CK},
        {"hex size", "o\n0x1\n" ROOT_B64 "\n", CK},
        {"root of 31 bytes",
         "o\n1\nCsUYapGGPo4dkMgIAUqom/Xajj7h2fB2MPA3j2jxqw==\n", CK},
        {"root of 33 bytes",
         "o\n1\nCsUYapGGPo4dkMgIAUqom/Xajj7h2fB2MPA3j2jxq2IA\n", CK},
        {"root unpadded", "o\n1\nCsUYapGGPo4dkMgIAUqom/Xajj7h2fB2MPA3j2jxq2I\n",
         CK},
        {"root pad bits", "o\n1\nCsUYapGGPo4dkMgIAUqom/Xajj7h2fB2MPA3j2jxq2J=\n",
         CK},
        {"root missing", "o\n1\n", CK},
        {"empty extension line", "o\n1\n" ROOT_B64 "\n\n", CK},
        {"empty extension between", "o\n1\n" ROOT_B64 "\na\n\nb\n", CK},
        {"no final newline", "o\n1\n" ROOT_B64, CK},
        {"extension without newline", "o\n1\n" ROOT_B64 "\nx", CK},
        {"CRLF", "o\r\n1\r\n" ROOT_B64 "\r\n", CK},
        {"control char in origin", "o\x1b\n1\n" ROOT_B64 "\n", CK},
        {"invalid UTF-8 origin", "o\xc0\n1\n" ROOT_B64 "\n", CK},
    };
    for (size_t i = 0; i < sizeof cs / sizeof cs[0]; i++) {
        checkpoint c;
        int r = checkpoint_parse(cs[i].text, strlen(cs[i].text), &c);
        if (r != cs[i].want)
            fail_msg("checkpoint case \"%s\": got %s", cs[i].what,
                     cf_errname(r));
    }
    checkpoint c;
    const char *t = "o\n18446744073709551615\n" ROOT_B64 "\nx\ny\n";
    assert_int_equal(checkpoint_parse(t, strlen(t), &c), CF_OK);
    assert_true(c.size == UINT64_MAX);
    assert_int_equal(c.ext_lines, 2);
    /* Origin length limit. */
    char text[CKPT_ORIGIN_BYTES_MAX + 64];
    memset(text, 'o', CKPT_ORIGIN_BYTES_MAX);
    size_t k = CKPT_ORIGIN_BYTES_MAX;
    k += (size_t)snprintf(text + k, sizeof text - k, "\n1\n%s\n", ROOT_B64);
    assert_int_equal(checkpoint_parse(text, k, &c), CF_OK);
    memmove(text + 1, text, k);
    assert_int_equal(checkpoint_parse(text, k + 1, &c), CK);
}

static void test_end_to_end(void **state)
{
    (void)state;
    uint8_t proof[MERKLE_PROOF_MAX][32], extra[16];
    size_t n, len, elen;
    for (uint64_t i = 0; i < LEAVES; i++) {
        assert_int_equal(merkle_inclusion_proof(subtree, NULL, i, LEAVES, proof,
                                                &n), CF_OK);
        memset(extra, (int)i, sizeof extra);
        assert_int_equal(tlog_proof_format(extra, 1 + i, i,
                                           (const uint8_t(*)[32])proof, n,
                                           g_ckpt, g_ckpt_len, g_buf, PROOF_BUF,
                                           &len), CF_OK);
        assert_int_equal(strlen(g_buf), len);
        tlog_proof p;
        note nt;
        checkpoint c;
        assert_int_equal(tlog_proof_parse(g_buf, len, &p), CF_OK);
        assert_true(p.index == i);
        assert_int_equal(p.nhashes, n);
        assert_int_equal(tlog_proof_extra(&p, extra, sizeof extra, &elen), 0);
        assert_int_equal(elen, 1 + i);
        assert_int_equal(extra[0], i);
        assert_int_equal(checkpoint_open(p.checkpoint, p.checkpoint_len,
                                         "example.com/log", 15, g_pk, &nt, &c),
                         CF_OK);
        assert_int_equal(merkle_verify_inclusion(g_leaf[i], 32, p.index, c.size,
                                                 &p.hashes[0][0], 32 * n,
                                                 c.root, 32), CF_OK);
        /* The proof does not fit another leaf. */
        assert_int_equal(merkle_verify_inclusion(g_leaf[(i + 1) % LEAVES], 32,
                                                 p.index, c.size,
                                                 &p.hashes[0][0], 32 * n,
                                                 c.root, 32),
                         CF_EPROOF_MISMATCH);
    }
}

static void test_exact_form(void **state)
{
    (void)state;
    static const char extra_b64[] =
        "YWdlLXYxLjIuMS1kYXJ3aW4tYXJtNjQudGFyLmd6kYXJ3aW4tYXJ";
    uint8_t extra[64], h[2][32];
    size_t elen, len;
    char want[NOTE_BYTES_MAX + 512], hb[2][48];
    assert_int_equal(cf_b64_decode(extra_b64, sizeof extra_b64 - 1, extra,
                                   sizeof extra, &elen), CF_OK);
    memset(h[0], 0xaa, 32), memset(h[1], 0x55, 32);
    assert_int_equal(cf_b64_encode(h[0], 32, hb[0], sizeof hb[0]), CF_OK);
    assert_int_equal(cf_b64_encode(h[1], 32, hb[1], sizeof hb[1]), CF_OK);
    snprintf(want, sizeof want,
             "c2sp.org/tlog-proof@v1\nextra %s\nindex 73894\n%s\n%s\n\n%s",
             extra_b64, hb[0], hb[1], g_ckpt);
    assert_int_equal(tlog_proof_format(extra, elen, 73894,
                                       (const uint8_t(*)[32])h, 2, g_ckpt,
                                       g_ckpt_len, g_buf, PROOF_BUF, &len), 0);
    assert_string_equal(g_buf, want);
    /* Without extra and hashes. */
    snprintf(want, sizeof want, "c2sp.org/tlog-proof@v1\nindex 0\n\n%s",
             g_ckpt);
    assert_int_equal(tlog_proof_format(NULL, 0, 0, NULL, 0, g_ckpt, g_ckpt_len,
                                       g_buf, PROOF_BUF, &len), CF_OK);
    assert_string_equal(g_buf, want);
    tlog_proof p;
    assert_int_equal(tlog_proof_parse(g_buf, len, &p), CF_OK);
    assert_null(p.extra_b64);
    assert_int_equal(p.nhashes, 0);
    assert_int_equal(tlog_proof_extra(&p, extra, sizeof extra, &elen), CF_OK);
    assert_int_equal(elen, 0);
}

/* Parse, then format the parsed values: must give the input back. */
static void roundtrip(const char *msg, size_t len)
{
    tlog_proof p;
    size_t elen, out_len;
    static uint8_t extra[TLOGPROOF_EXTRA_BYTES_MAX];
    assert_int_equal(tlog_proof_parse(msg, len, &p), CF_OK);
    assert_int_equal(tlog_proof_extra(&p, extra, sizeof extra, &elen), CF_OK);
    assert_int_equal(tlog_proof_format(extra, elen, p.index,
                                       (const uint8_t(*)[32])p.hashes,
                                       p.nhashes, p.checkpoint,
                                       p.checkpoint_len, g_buf2, PROOF_BUF,
                                       &out_len), CF_OK);
    assert_int_equal(out_len, len);
    assert_memory_equal(g_buf2, msg, len);
}

static void test_limits(void **state)
{
    (void)state;
    static uint8_t extra[TLOGPROOF_EXTRA_BYTES_MAX + 1];
    static uint8_t hashes[TLOGPROOF_HASHES_MAX + 1][32];
    size_t len;
    tlog_proof p;
    for (size_t i = 0; i < sizeof extra; i++) extra[i] = (uint8_t)(i * 7);
    for (size_t i = 0; i <= TLOGPROOF_HASHES_MAX; i++)
        memset(hashes[i], (int)i, 32);
    /* The largest proof: all limits at once, and the largest index. */
    assert_int_equal(tlog_proof_format(extra, TLOGPROOF_EXTRA_BYTES_MAX,
                                       UINT64_MAX, (const uint8_t(*)[32])hashes,
                                       TLOGPROOF_HASHES_MAX, g_ckpt, g_ckpt_len,
                                       g_buf, PROOF_BUF, &len), CF_OK);
    roundtrip(g_buf, len);
    assert_int_equal(tlog_proof_parse(g_buf, len, &p), CF_OK);
    assert_true(p.index == UINT64_MAX);
    assert_int_equal(p.nhashes, TLOGPROOF_HASHES_MAX);
    assert_memory_equal(p.hashes[63], hashes[63], 32);
    /* One byte of extra data is fine too (every padding length). */
    for (size_t n = 1; n <= 4; n++) {
        assert_int_equal(tlog_proof_format(extra, n, 1,
                                           (const uint8_t(*)[32])hashes, 1,
                                           g_ckpt, g_ckpt_len, g_buf, PROOF_BUF,
                                           &len), CF_OK);
        roundtrip(g_buf, len);
    }
    /* Over the limits: refused by the formatter... */
    assert_int_equal(tlog_proof_format(extra, TLOGPROOF_EXTRA_BYTES_MAX + 1, 0,
                                       NULL, 0, g_ckpt, g_ckpt_len, g_buf,
                                       PROOF_BUF, &len), CF_EINVAL);
    assert_int_equal(tlog_proof_format(NULL, 0, 0, (const uint8_t(*)[32])hashes,
                                       TLOGPROOF_HASHES_MAX + 1, g_ckpt,
                                       g_ckpt_len, g_buf, PROOF_BUF, &len),
                     CF_EINVAL);
    assert_int_equal(tlog_proof_format(NULL, 0, 0, NULL, 0, g_ckpt, g_ckpt_len,
                                       g_buf, 20, &len), CF_ETOOBIG);
    assert_int_equal(tlog_proof_format(NULL, 0, 0, NULL, 0, "x\n\n", 3, g_buf,
                                       PROOF_BUF, &len), CF_ENOTE_FORMAT);
    /* ...and by the parser: 65 hash lines. */
    int k = snprintf(g_buf, PROOF_BUF, "c2sp.org/tlog-proof@v1\nindex 1\n");
    for (int i = 0; i <= TLOGPROOF_HASHES_MAX; i++)
        k += snprintf(g_buf + k, PROOF_BUF - (size_t)k,
                      "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=\n");
    k += snprintf(g_buf + k, PROOF_BUF - (size_t)k, "\n%s", g_ckpt);
    assert_int_equal(tlog_proof_parse(g_buf, (size_t)k, &p),
                     CF_ETLOGPROOF_FORMAT);
    /* 16385 bytes of extra data. */
    k = snprintf(g_buf, PROOF_BUF, "c2sp.org/tlog-proof@v1\nextra ");
    assert_int_equal(cf_b64_encode(extra, TLOGPROOF_EXTRA_BYTES_MAX + 1,
                                   g_buf + k, PROOF_BUF - (size_t)k), CF_OK);
    k += (int)strlen(g_buf + k);
    k += snprintf(g_buf + k, PROOF_BUF - (size_t)k, "\nindex 1\n\n%s", g_ckpt);
    assert_int_equal(tlog_proof_parse(g_buf, (size_t)k, &p),
                     CF_ETLOGPROOF_FORMAT);
    /* Over the total size. */
    assert_int_equal(tlog_proof_parse(g_buf, TLOGPROOF_BYTES_MAX + 1, &p),
                     CF_ETOOBIG);
}

#define H1 "qqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqo="

static void test_rejects(void **state)
{
    (void)state;
    static const struct {
        const char *what, *head; /* head is followed by g_ckpt */
        int want;
    } cs[] = {
        {"valid (control)", "c2sp.org/tlog-proof@v1\nindex 5\n" H1 "\n\n", 0},
        {"valid extra (control)",
         "c2sp.org/tlog-proof@v1\nextra QUJD\nindex 5\n\n", 0},
        {"empty", "", CF_ETLOGPROOF_FORMAT},
        {"wrong header", "c2sp.org/tlog-proof@v2\nindex 5\n\n",
         CF_ETLOGPROOF_FORMAT},
        {"header trailing space", "c2sp.org/tlog-proof@v1 \nindex 5\n\n",
         CF_ETLOGPROOF_FORMAT},
        {"CRLF", "c2sp.org/tlog-proof@v1\r\nindex 5\r\n\r\n",
         CF_ETLOGPROOF_FORMAT},
        {"index CR", "c2sp.org/tlog-proof@v1\nindex 5\r\n\n",
         CF_ETLOGPROOF_FORMAT},
        {"missing index", "c2sp.org/tlog-proof@v1\n" H1 "\n\n",
         CF_ETLOGPROOF_FORMAT},
        {"index leading zero", "c2sp.org/tlog-proof@v1\nindex 05\n\n",
         CF_ETLOGPROOF_FORMAT},
        {"index 00", "c2sp.org/tlog-proof@v1\nindex 00\n\n",
         CF_ETLOGPROOF_FORMAT},
        {"index empty", "c2sp.org/tlog-proof@v1\nindex \n\n",
         CF_ETLOGPROOF_FORMAT},
        {"index two spaces", "c2sp.org/tlog-proof@v1\nindex  5\n\n",
         CF_ETLOGPROOF_FORMAT},
        {"index negative", "c2sp.org/tlog-proof@v1\nindex -5\n\n",
         CF_ETLOGPROOF_FORMAT},
        {"index overflow",
         "c2sp.org/tlog-proof@v1\nindex 18446744073709551616\n\n",
         CF_ETLOGPROOF_FORMAT},
        {"Index capitalised", "c2sp.org/tlog-proof@v1\nIndex 5\n\n",
         CF_ETLOGPROOF_FORMAT},
        {"extra after index", "c2sp.org/tlog-proof@v1\nindex 5\nextra QUJD\n\n",
         CF_ETLOGPROOF_FORMAT},
        {"extra twice",
         "c2sp.org/tlog-proof@v1\nextra QUJD\nextra QUJD\nindex 5\n\n",
         CF_ETLOGPROOF_FORMAT},
        {"extra empty", "c2sp.org/tlog-proof@v1\nextra \nindex 5\n\n",
         CF_ETLOGPROOF_FORMAT},
        {"extra without space", "c2sp.org/tlog-proof@v1\nextra\nindex 5\n\n",
         CF_ETLOGPROOF_FORMAT},
        {"extra bad char", "c2sp.org/tlog-proof@v1\nextra QU*D\nindex 5\n\n",
         CF_ETLOGPROOF_FORMAT},
        {"extra unpadded", "c2sp.org/tlog-proof@v1\nextra QUI\nindex 5\n\n",
         CF_ETLOGPROOF_FORMAT},
        {"extra pad bits", "c2sp.org/tlog-proof@v1\nextra QUJ=\nindex 5\n\n",
         CF_ETLOGPROOF_FORMAT},
        {"extra padding inside",
         "c2sp.org/tlog-proof@v1\nextra QQ==QUJD\nindex 5\n\n",
         CF_ETLOGPROOF_FORMAT},
        {"hash of 31 bytes",
         "c2sp.org/tlog-proof@v1\nindex 5\n"
         "qqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqg==\n\n",
         CF_ETLOGPROOF_FORMAT},
        {"hash of 33 bytes",
         "c2sp.org/tlog-proof@v1\nindex 5\n"
         "qqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqq\n\n",
         CF_ETLOGPROOF_FORMAT},
        {"hash pad bits",
         "c2sp.org/tlog-proof@v1\nindex 5\n"
         "qqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqq=\n\n",
         CF_ETLOGPROOF_FORMAT},
        {"hash trailing space",
         "c2sp.org/tlog-proof@v1\nindex 5\n" H1 " \n\n", CF_ETLOGPROOF_FORMAT},
        {"hex hash",
         "c2sp.org/tlog-proof@v1\nindex 5\n"
         "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa\n\n",
         CF_ETLOGPROOF_FORMAT},
        {"two blank lines (checkpoint origin empty)",
         "c2sp.org/tlog-proof@v1\nindex 5\n\n\n", CF_ECKPT_FORMAT},
        {"blank line missing", "c2sp.org/tlog-proof@v1\nindex 5\n",
         CF_ETLOGPROOF_FORMAT},
    };
    tlog_proof p;
    for (size_t i = 0; i < sizeof cs / sizeof cs[0]; i++) {
        int k = snprintf(g_buf, PROOF_BUF, "%s%s", cs[i].head, g_ckpt);
        int r = tlog_proof_parse(g_buf, (size_t)k, &p);
        if (r != cs[i].want)
            fail_msg("case \"%s\": got %s, want %s", cs[i].what, cf_errname(r),
                     cf_errname(cs[i].want));
        if (r == CF_OK) roundtrip(g_buf, (size_t)k);
    }
    /* Defects in the checkpoint part. */
    static const char *const tails[] = {
        "",                                          /* no checkpoint */
        "example.com/log\n8\n",                      /* unsigned text */
        "not a checkpoint\n\n" EM " k AAAAAAA=\n",   /* signed non-checkpoint */
    };
    for (size_t i = 0; i < sizeof tails / sizeof tails[0]; i++) {
        int k = snprintf(g_buf, PROOF_BUF, "c2sp.org/tlog-proof@v1\nindex 5\n\n%s",
                         tails[i]);
        assert_int_not_equal(tlog_proof_parse(g_buf, (size_t)k, &p), CF_OK);
    }
    /* Checkpoint without its final newline, and with trailing bytes. */
    int k = snprintf(g_buf, PROOF_BUF, "c2sp.org/tlog-proof@v1\nindex 5\n\n%s",
                     g_ckpt);
    assert_int_equal(tlog_proof_parse(g_buf, (size_t)k - 1, &p),
                     CF_ENOTE_FORMAT);
    g_buf[k] = 'x';
    assert_int_equal(tlog_proof_parse(g_buf, (size_t)k + 1, &p),
                     CF_ENOTE_FORMAT);
    assert_int_equal(tlog_proof_parse(NULL, 0, &p), CF_EINVAL);
}

/* Every single-bit flip of a valid proof is rejected by parsing or by the
 * checks a verifier runs (signature, inclusion). */
static void test_mutations(void **state)
{
    (void)state;
    uint8_t proof[MERKLE_PROOF_MAX][32];
    size_t n, len;
    assert_int_equal(merkle_inclusion_proof(subtree, NULL, 5, LEAVES, proof, &n),
                     CF_OK);
    assert_int_equal(tlog_proof_format(NULL, 0, 5, (const uint8_t(*)[32])proof,
                                       n, g_ckpt, g_ckpt_len, g_buf, PROOF_BUF,
                                       &len), CF_OK);
    char *mut = g_buf2;
    for (size_t i = 0; i < len; i++) {
        for (int bit = 0; bit < 8; bit++) {
            tlog_proof p;
            note nt;
            checkpoint c;
            memcpy(mut, g_buf, len);
            mut[i] = (char)(mut[i] ^ (1 << bit));
            bool ok =
                tlog_proof_parse(mut, len, &p) == CF_OK &&
                checkpoint_open(p.checkpoint, p.checkpoint_len,
                                "example.com/log", 15, g_pk, &nt, &c) == CF_OK &&
                merkle_verify_inclusion(g_leaf[5], 32, p.index, c.size,
                                        &p.hashes[0][0], 32 * p.nhashes,
                                        c.root, 32) == CF_OK;
            if (ok) fail_msg("flip of bit %d of byte %zu accepted", bit, i);
        }
    }
}

int main(void)
{
    if (cf_crypto_init() != CF_OK) return 1;
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_checkpoint_forms),
        cmocka_unit_test(test_end_to_end),
        cmocka_unit_test(test_exact_form),
        cmocka_unit_test(test_limits),
        cmocka_unit_test(test_rejects),
        cmocka_unit_test(test_mutations),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
