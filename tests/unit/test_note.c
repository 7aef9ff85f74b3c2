/* test_note.c — C2SP signed notes, checkpoints, cosignature/v1 and verifier
 * keys (crypto/note.h).
 *
 * Golden vectors are read at run time from tests/vectors/signed-note.txt
 * (golang.org/x/mod sumdb/note and the C2SP spec): the PeterNeumann key must
 * reproduce the Go vkey and signature line byte for byte, the C2SP example
 * must verify, and the go.sum tree head must format byte for byte. Then each
 * rule is checked from both sides, one case per defect (checkpoint text
 * forms are in test_tlog_proof.c). A mutation test flips
 * every bit of a signed, cosigned checkpoint and requires rejection. Random
 * tests print their seed; set COFUND_SEED=<n> to replay one run.
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
#include "crypto/note.h"
#include "testutil.h"

#define BUF_BYTES (2 * NOTE_BYTES_MAX)
#define VEC_LINE_MAX 512
#define VEC_SECTIONS 4 /* sections 1..3 of the vector file */
#define RANDOM_ROUNDS 200

#define EM "\xe2\x80\x94"
/* A syntactically valid signature field (68 bytes: key ID + 64). */
#define B64_HEAD                                                              \
    "x08go/ZJkuBS9UG/SffcvIAQxVBtiFupLLr8pAcElZInNIuGUgYN1FFYC2pZSNXgKvqfqd" \
    "ngotpRZb6KE6RyyBwJnA"
#define B64 B64_HEAD "M="
#define SIGLINE EM " PeterNeumann " B64 "\n"
/* Short names for the case tables. */
#define NF CF_ENOTE_FORMAT

static uint64_t g_seed;
static uint64_t rng_state;

static uint64_t rng_next(void)
{
    return tu_rng_next(&rng_state);
}

typedef struct {
    uint8_t pk[32], sk[64];
} keypair;

static void key_from(uint8_t b, keypair *k)
{
    uint8_t seed[32];
    memset(seed, b, sizeof seed);
    assert_int_equal(cf_ed25519_keypair_from_seed(seed, k->pk, k->sk), CF_OK);
}

/* ---- the vector file ---------------------------------------------------- */

struct vec {
    char skey[VEC_LINE_MAX], vkey[VEC_LINE_MAX], sigline[VEC_LINE_MAX];
    char text[VEC_LINE_MAX];
    size_t text_len;
};
static struct vec g_vec[VEC_SECTIONS];

static void copy_field(char *dst, const char *src)
{
    size_t n = strlen(src);
    assert_true(n < VEC_LINE_MAX);
    memcpy(dst, src, n + 1);
}

static void append_text(struct vec *v, const char *s, size_t n)
{
    assert_true(v->text_len + n + 1 < VEC_LINE_MAX);
    memcpy(v->text + v->text_len, s, n);
    v->text_len += n;
    v->text[v->text_len++] = '\n';
    v->text[v->text_len] = '\0';
}

static int load_vectors(void **state)
{
    (void)state;
    char line[VEC_LINE_MAX];
    FILE *f = tu_data_open("vectors/signed-note.txt");
    int sec = 0;
    long len;
    memset(g_vec, 0, sizeof g_vec);
    while ((len = tu_read_line(f, line, sizeof line)) >= 0) {
        size_t n = (size_t)len;
        struct vec *v = &g_vec[sec];
        if (strncmp(line, "## ", 3) == 0) {
            sec = atoi(line + 3);
            assert_true(sec > 0 && sec < VEC_SECTIONS);
        } else if (strncmp(line, "skey ", 5) == 0) {
            copy_field(v->skey, line + 5);
        } else if (strncmp(line, "vkey ", 5) == 0) {
            copy_field(v->vkey, line + 5);
        } else if (strncmp(line, "sigline ", 8) == 0) {
            copy_field(v->sigline, line + 8);
        } else if (strncmp(line, "#   ", 4) == 0) {
            append_text(v, line + 4, n - 4);
        } else if (strncmp(line, "# note text: \"", 14) == 0) {
            const char *end = strstr(line + 14, "\\n\"");
            assert_non_null(end);
            append_text(v, line + 14, (size_t)(end - line - 14));
        }
    }
    fclose(f);
    return 0;
}

/* The seed is base64(0x01 || seed) after the 4th '+' of the skey. */
static void skey_seed(const char *skey, uint8_t seed[32])
{
    const char *p = skey;
    for (int i = 0; i < 4; i++) {
        p = strchr(p, '+');
        assert_non_null(p);
        p++;
    }
    uint8_t raw[33];
    size_t n;
    assert_int_equal(cf_b64_decode(p, strlen(p), raw, sizeof raw, &n), CF_OK);
    assert_int_equal(n, 33);
    assert_int_equal(raw[0], NOTE_SIGTYPE_ED25519);
    memcpy(seed, raw + 1, 32);
}

static void test_vector_go_sign(void **state)
{
    (void)state;
    const struct vec *v = &g_vec[1];
    uint8_t seed[32], pk[32], sk[64], pk2[32];
    char out[BUF_BYTES], name[NOTE_NAME_BYTES_MAX + 1], want[BUF_BYTES];
    size_t out_len;
    note n;
    skey_seed(v->skey, seed);
    assert_int_equal(cf_ed25519_keypair_from_seed(seed, pk, sk), CF_OK);
    assert_int_equal(note_vkey_format("PeterNeumann", pk, out, sizeof out), 0);
    assert_string_equal(out, v->vkey);
    assert_int_equal(note_key_id("PeterNeumann", 12, 1, pk), 0xc74f20a3);
    assert_int_equal(note_vkey_parse(v->vkey, strlen(v->vkey), name,
                                     sizeof name, pk2), CF_OK);
    assert_string_equal(name, "PeterNeumann");
    assert_memory_equal(pk, pk2, 32);
    assert_int_equal(note_sign(v->text, v->text_len, "PeterNeumann", sk, out,
                               sizeof out, &out_len), CF_OK);
    snprintf(want, sizeof want, "%s\n%s\n", v->text, v->sigline);
    assert_string_equal(out, want);
    assert_int_equal(out_len, strlen(want));
    assert_int_equal(note_parse(out, out_len, &n), CF_OK);
    assert_int_equal(n.text_len, v->text_len);
    assert_int_equal(n.nsigs, 1);
    assert_int_equal(n.sigs[0].line_len, strlen(v->sigline) + 1);
    assert_memory_equal(n.sigs[0].line, v->sigline, strlen(v->sigline));
    assert_int_equal(note_verify(&n, "PeterNeumann", 12, pk2), CF_OK);
}

static void test_vector_c2sp_example(void **state)
{
    (void)state;
    const struct vec *v = &g_vec[2];
    char msg[BUF_BYTES], name[NOTE_NAME_BYTES_MAX + 1];
    uint8_t pk[32];
    note n;
    assert_int_equal(note_vkey_parse(v->vkey, strlen(v->vkey), name,
                                     sizeof name, pk), CF_OK);
    assert_string_equal(name, "example.com/foo");
    int k = snprintf(msg, sizeof msg, "%s\n%s\n", v->text, v->sigline);
    assert_int_equal(note_parse(msg, (size_t)k, &n), CF_OK);
    assert_int_equal(n.sigs[0].key_id, 0x530d903a);
    assert_int_equal(note_verify(&n, name, strlen(name), pk), CF_OK);
    assert_int_equal(note_verify(&n, "example.com/bar", 15, pk),
                     CF_ENOTE_NO_SIG);
    msg[0] ^= 1; /* "Uhis is an example message." */
    assert_int_equal(note_parse(msg, (size_t)k, &n), CF_OK);
    assert_int_equal(note_verify(&n, name, strlen(name), pk), CF_ENOTE_BAD_SIG);
}

static void test_vector_tree_head(void **state)
{
    (void)state;
    const struct vec *v = &g_vec[3];
    uint8_t leaf[1 + 11] = {0x00}, root[32];
    char out[BUF_BYTES];
    size_t out_len;
    checkpoint c;
    memcpy(leaf + 1, "hello world", 11);
    cf_sha256(leaf, sizeof leaf, root); /* RFC 6962 leaf hash */
    assert_int_equal(checkpoint_format("go.sum database tree", 123456789012ull,
                                       root, out, sizeof out, &out_len), CF_OK);
    assert_string_equal(out, v->text);
    assert_int_equal(out_len, v->text_len);
    assert_int_equal(checkpoint_parse(out, out_len, &c), CF_OK);
    assert_int_equal(c.size, 123456789012ull);
    assert_memory_equal(c.root, root, 32);
    assert_int_equal(c.origin_len, 20);
    assert_memory_equal(c.origin, "go.sum database tree", 20);
    assert_int_equal(c.ext_lines, 0);
}

/* The cosigned checkpoint of the tlog-cosignature spec: its witness line
 * carries timestamp 1679315147 (the spec's "time 1679315147"). */
static void test_vector_cosig_example(void **state)
{
    (void)state;
    static const char msg[] =
        "example.com/behind-the-sofa\n20852163\n"
        "CsUYapGGPo4dkMgIAUqom/Xajj7h2fB2MPA3j2jxq2I=\n\n" EM
        " example.com/behind-the-sofa Az3grlgtzPICa5OS8npVmf1Myq/5IZniMp+ZJurm"
        "RDeOoRDe4URYN7u5/Zhcyv2q1gGzGku9nTo+zyWE+xeMcTOAYQ8=\n" EM
        " witness.example.com/w1 jWbPPwAAAABkGFDLEZMHwSRaJNiIDoe9DYn/zXcrtPHeol"
        "MI5OWXEhZCB9dlrDJsX3b2oyin1nPZqhf5nNo0xUe+mbIUBkBIfZ+qnA==\n";
    note n;
    checkpoint c;
    assert_int_equal(note_parse(msg, sizeof msg - 1, &n), CF_OK);
    assert_int_equal(n.nsigs, 2);
    assert_int_equal(n.sigs[0].sig_len, 64);
    assert_int_equal(n.sigs[1].sig_len, 72);
    assert_int_equal(cf_get_be64(n.sigs[1].sig), 1679315147);
    assert_int_equal(checkpoint_parse(n.text, n.text_len, &c), CF_OK);
    assert_int_equal(c.size, 20852163);
}

/* ---- parsing: accepted and rejected forms -------------------------------- */

struct pcase {
    const char *what, *msg;
    int want;
};

static void run_cases(const struct pcase *cs, size_t count)
{
    for (size_t i = 0; i < count; i++) {
        note n;
        int r = note_parse(cs[i].msg, strlen(cs[i].msg), &n);
        if (r != cs[i].want)
            fail_msg("case \"%s\": got %s, want %s", cs[i].what, cf_errname(r),
                     cf_errname(cs[i].want));
    }
}

static void test_parse_accepts(void **state)
{
    (void)state;
    static const struct pcase cs[] = {
        {"minimal", "a\n\n" SIGLINE, CF_OK},
        {"empty text line (as Go)", "\n\n" SIGLINE, CF_OK},
        {"blank lines inside text", "a\n\nb\n\n\nc\n\n" SIGLINE, CF_OK},
        {"text ends in blank line", "a\n\n\n" SIGLINE, CF_OK},
        {"UTF-8 text", "ed \xc3\xa8 subito sera \xf0\x9f\x8c\x85\n\n" SIGLINE,
         CF_OK},
        {"DEL is not an ASCII control", "a\x7f\n\n" SIGLINE, CF_OK},
        {"U+FFFD literal", "\xef\xbf\xbd\n\n" SIGLINE, CF_OK},
        {"Unicode name", "a\n\n" EM " \xc3\xa9t\xc3\xa9.example/k " B64 "\n",
         CF_OK},
        {"two signatures", "a\n\n" SIGLINE SIGLINE, CF_OK},
        {"5-byte signature", "a\n\n" EM " k AAAAAAA=\n", CF_OK},
        {"signature line text in text", "a\n" SIGLINE "\n" SIGLINE, CF_OK},
    };
    run_cases(cs, sizeof cs / sizeof cs[0]);
    note n;
    const char *m = "a\n\nb\n\n\nc\n\n" SIGLINE;
    assert_int_equal(note_parse(m, strlen(m), &n), CF_OK);
    assert_int_equal(n.text_len, 9); /* "a\n\nb\n\n\nc\n" */
    assert_int_equal(n.sigs[0].name_len, 12);
    assert_int_equal(n.sigs[0].sig_len, 64);
    assert_int_equal(n.sigs[0].key_id, 0xc74f20a3);
}

static void test_parse_rejects(void **state)
{
    (void)state;
    static const struct pcase cs[] = {
        {"empty", "", NF},
        {"no blank line", "a\n" SIGLINE, NF},
        {"text not ending in newline", "a" SIGLINE, NF},
        {"no final newline", "a\n\n" EM " PeterNeumann " B64, NF},
        {"empty text", "\n" SIGLINE, NF},
        {"no signature lines", "a\n\n", NF},
        {"blank line after signatures", "a\n\n" SIGLINE "\n", NF},
        {"hyphen for em dash", "a\n\n- PeterNeumann " B64 "\n", NF},
        {"en dash", "a\n\n\xe2\x80\x93 PeterNeumann " B64 "\n", NF},
        {"em dash without space", "a\n\n" EM "PeterNeumann " B64 "\n", NF},
        {"leading space", "a\n\n " SIGLINE, NF},
        {"empty name", "a\n\n" EM "  " B64 "\n", NF},
        {"name with plus", "a\n\n" EM " Peter+Neumann " B64 "\n", NF},
        {"name with space", "a\n\n" EM " Peter Neumann " B64 "\n", NF},
        {"name with NBSP", "a\n\n" EM " Peter\xc2\xa0Neumann " B64 "\n", NF},
        {"name with U+3000", "a\n\n" EM " Peter\xe3\x80\x80Neumann " B64 "\n",
         NF},
        {"name with U+2028", "a\n\n" EM " P\xe2\x80\xa8N " B64 "\n", NF},
        {"name only", "a\n\n" EM " PeterNeumann\n", NF},
        {"empty signature", "a\n\n" EM " PeterNeumann \n", NF},
        {"two spaces", "a\n\n" EM " PeterNeumann  " B64 "\n", NF},
        {"trailing space", "a\n\n" EM " PeterNeumann " B64 " \n", NF},
        {"control char in text", "a\x01\n\n" SIGLINE, NF},
        {"tab in text", "a\tb\n\n" SIGLINE, NF},
        {"CRLF", "a\r\n\r\n" EM " PeterNeumann " B64 "\r\n", NF},
        {"CR in signature line", "a\n\n" EM " PeterNeumann " B64 "\r\n", NF},
        {"lone continuation byte", "a\x80\n\n" SIGLINE, NF},
        {"overlong '/'", "\xc0\xaf\n\n" SIGLINE, NF},
        {"overlong 3-byte", "\xe0\x80\xaf\n\n" SIGLINE, NF},
        {"surrogate", "\xed\xa0\x80\n\n" SIGLINE, NF},
        {"above U+10FFFF", "\xf4\x90\x80\x80\n\n" SIGLINE, NF},
        {"truncated sequence", "\xe2\x80\n\n" SIGLINE, NF},
        {"byte 0xff", "\xff\n\n" SIGLINE, NF},
        {"invalid UTF-8 in name", "a\n\n" EM " k\xc3 " B64 "\n", NF},
        {"base64 bad char", "a\n\n" EM " k " B64_HEAD "!=\n", NF},
        {"base64 no padding", "a\n\n" EM " k " B64_HEAD "M\n", NF},
        {"base64 extra padding", "a\n\n" EM " k " B64_HEAD "M==\n", NF},
        {"base64 non-zero pad bits", "a\n\n" EM " k " B64_HEAD "N=\n", NF},
        {"base64url alphabet", "a\n\n" EM " k " B64_HEAD "-=\n", NF},
        {"signature of only a key ID", "a\n\n" EM " k AAAAAA==\n", NF},
    };
    run_cases(cs, sizeof cs / sizeof cs[0]);
    note n;
    static const char nul[] = "a\0b\n\n" SIGLINE;
    assert_int_equal(note_parse(nul, sizeof nul - 1, &n), NF);
    assert_int_equal(note_parse(NULL, 0, &n), CF_EINVAL);
}

/* A signature line with a raw payload of n bytes after a zero key ID. */
static size_t raw_sigline(char *out, size_t cap, const char *name, size_t n)
{
    uint8_t raw[256] = {0};
    char b64[400];
    assert_true(n <= sizeof raw);
    assert_int_equal(cf_b64_encode(raw, n, b64, sizeof b64), CF_OK);
    int k = snprintf(out, cap, EM " %s %s\n", name, b64);
    assert_true(k > 0 && (size_t)k < cap);
    return (size_t)k;
}

static void test_parse_limits(void **state)
{
    (void)state;
    char msg[BUF_BYTES], name[NOTE_NAME_BYTES_MAX + 2];
    size_t len;
    note n;
    /* Signature payload: 72 bytes accepted, 73 rejected. */
    memcpy(msg, "a\n\n", 3);
    len = 3 + raw_sigline(msg + 3, sizeof msg - 3, "k", 4 + 72);
    assert_int_equal(note_parse(msg, len, &n), CF_OK);
    assert_int_equal(n.sigs[0].sig_len, 72);
    len = 3 + raw_sigline(msg + 3, sizeof msg - 3, "k", 4 + 73);
    assert_int_equal(note_parse(msg, len, &n), CF_ENOTE_FORMAT);
    /* Key names: 256 bytes accepted, 257 rejected. */
    memset(name, 'n', NOTE_NAME_BYTES_MAX);
    name[NOTE_NAME_BYTES_MAX] = '\0';
    len = 3 + raw_sigline(msg + 3, sizeof msg - 3, name, 68);
    assert_int_equal(note_parse(msg, len, &n), CF_OK);
    name[NOTE_NAME_BYTES_MAX] = 'n', name[NOTE_NAME_BYTES_MAX + 1] = '\0';
    len = 3 + raw_sigline(msg + 3, sizeof msg - 3, name, 68);
    assert_int_equal(note_parse(msg, len, &n), CF_ENOTE_FORMAT);
    /* 16 signature lines accepted, 17 rejected. */
    len = 3;
    for (int i = 0; i < NOTE_SIGS_MAX; i++)
        len += raw_sigline(msg + len, sizeof msg - len, "k", 68);
    assert_int_equal(note_parse(msg, len, &n), CF_OK);
    assert_int_equal(n.nsigs, NOTE_SIGS_MAX);
    len += raw_sigline(msg + len, sizeof msg - len, "k", 68);
    assert_int_equal(note_parse(msg, len, &n), CF_ENOTE_TOO_MANY_SIGS);
    /* Size: exactly NOTE_BYTES_MAX accepted, one more byte rejected. */
    size_t sl = strlen(SIGLINE);
    memset(msg, 'x', NOTE_BYTES_MAX);
    msg[NOTE_BYTES_MAX - sl - 2] = '\n';
    msg[NOTE_BYTES_MAX - sl - 1] = '\n';
    memcpy(msg + NOTE_BYTES_MAX - sl, SIGLINE, sl);
    assert_int_equal(note_parse(msg, NOTE_BYTES_MAX, &n), CF_OK);
    memmove(msg + 1, msg, NOTE_BYTES_MAX);
    assert_int_equal(note_parse(msg, NOTE_BYTES_MAX + 1, &n), CF_ETOOBIG);
}

static void test_name_valid(void **state)
{
    (void)state;
    assert_true(note_name_valid("example.com/foo", 15));
    assert_true(note_name_valid("\xe2\x80\x94", 3)); /* an em dash is fine */
    assert_false(note_name_valid("", 0));
    assert_false(note_name_valid("a+b", 3));
    assert_false(note_name_valid("a b", 3));
    assert_false(note_name_valid("a\nb", 3));
    assert_false(note_name_valid("a\xc2\x85", 3)); /* NEL */
    assert_false(note_name_valid("a\xe2\x80\x89", 4)); /* thin space */
    assert_false(note_name_valid("a\xc3", 2));
    assert_false(note_name_valid(NULL, 1));
}

/* ---- signing and verification ------------------------------------------- */

static size_t sign(const char *text, const char *name, const keypair *k,
                   char *out)
{
    size_t len;
    assert_int_equal(note_sign(text, strlen(text), name, k->sk, out, BUF_BYTES,
                               &len), CF_OK);
    return len;
}

/* Append a line to a signed note in out[0..*len). */
static void append(char *out, size_t *len, const char *line, size_t line_len)
{
    assert_true(*len + line_len < BUF_BYTES);
    memcpy(out + *len, line, line_len);
    *len += line_len;
    out[*len] = '\0';
}

static void test_sign_verify(void **state)
{
    (void)state;
    keypair a, b, c;
    char msg[BUF_BYTES], line[NOTE_SIG_LINE_BYTES_MAX];
    size_t len, line_len;
    note n;
    key_from(1, &a), key_from(2, &b), key_from(3, &c);
    len = sign("hello\n", "alice", &a, msg);
    /* A second signer's line over the same text. */
    char other[BUF_BYTES];
    size_t olen = sign("hello\n", "bob", &b, other);
    append(msg, &len, other + 7, olen - 7);
    assert_int_equal(note_parse(msg, len, &n), CF_OK);
    assert_int_equal(n.nsigs, 2);
    assert_int_equal(note_verify(&n, "alice", 5, a.pk), CF_OK);
    assert_int_equal(note_verify(&n, "bob", 3, b.pk), CF_OK);
    /* Unknown key: ignored. */
    assert_int_equal(note_verify(&n, "carol", 5, c.pk), CF_ENOTE_NO_SIG);
    /* Matching name, different key (so different key ID): ignored. */
    assert_int_equal(note_verify(&n, "alice", 5, c.pk), CF_ENOTE_NO_SIG);
    /* Matching key, different name: ignored. */
    assert_int_equal(note_verify(&n, "bob", 3, a.pk), CF_ENOTE_NO_SIG);
    assert_int_equal(note_verify(&n, "bad name", 8, a.pk), CF_EINVAL);
    /* Tampered text: BAD_SIG for both signers. */
    msg[0] = 'j';
    assert_int_equal(note_parse(msg, len, &n), CF_OK);
    assert_int_equal(note_verify(&n, "alice", 5, a.pk), CF_ENOTE_BAD_SIG);
    assert_int_equal(note_verify(&n, "bob", 3, b.pk), CF_ENOTE_BAD_SIG);
    /* A forged line with alice's name and key ID fails even next to a good
     * one: every matching line must verify. */
    len = sign("hello\n", "alice", &a, msg);
    uint8_t raw[68] = {0};
    char b64[128];
    cf_put_be32(raw, note_key_id("alice", 5, 1, a.pk));
    assert_int_equal(cf_b64_encode(raw, sizeof raw, b64, sizeof b64), CF_OK);
    line_len = (size_t)snprintf(line, sizeof line, EM " alice %s\n", b64);
    append(msg, &len, line, line_len);
    assert_int_equal(note_parse(msg, len, &n), CF_OK);
    assert_int_equal(note_verify(&n, "alice", 5, a.pk), CF_ENOTE_BAD_SIG);
    /* A matching line of the wrong length (72 bytes) is BAD_SIG. */
    len = sign("hello\n", "bob", &b, msg);
    uint8_t raw72[76] = {0};
    cf_put_be32(raw72, note_key_id("alice", 5, 1, a.pk));
    assert_int_equal(cf_b64_encode(raw72, sizeof raw72, b64, sizeof b64), 0);
    line_len = (size_t)snprintf(line, sizeof line, EM " alice %s\n", b64);
    append(msg, &len, line, line_len);
    assert_int_equal(note_parse(msg, len, &n), CF_OK);
    assert_int_equal(note_verify(&n, "alice", 5, a.pk), CF_ENOTE_BAD_SIG);
}

static void test_sign_rejects(void **state)
{
    (void)state;
    keypair a;
    char out[BUF_BYTES], big[NOTE_BYTES_MAX + 1];
    size_t len;
    key_from(1, &a);
    assert_int_equal(note_sign("hello", 5, "a", a.sk, out, sizeof out, &len),
                     CF_EINVAL);
    assert_int_equal(note_sign("", 0, "a", a.sk, out, sizeof out, &len),
                     CF_EINVAL);
    assert_int_equal(note_sign("a\rb\n", 4, "a", a.sk, out, sizeof out, &len),
                     CF_EINVAL);
    assert_int_equal(note_sign("\xff\n", 2, "a", a.sk, out, sizeof out, &len),
                     CF_EINVAL);
    assert_int_equal(note_sign("a\n", 2, "a+b", a.sk, out, sizeof out, &len),
                     CF_EINVAL);
    assert_int_equal(note_sign("a\n", 2, "", a.sk, out, sizeof out, &len),
                     CF_EINVAL);
    /* Output buffer one byte short (the NUL), then exact. */
    assert_int_equal(note_sign("a\n", 2, "a", a.sk, out, sizeof out, &len), 0);
    assert_int_equal(note_sign("a\n", 2, "a", a.sk, out, len, &len),
                     CF_ETOOBIG);
    assert_int_equal(note_sign("a\n", 2, "a", a.sk, out, len + 1, &len), 0);
    /* A note that would exceed NOTE_BYTES_MAX. */
    memset(big, 'x', sizeof big);
    big[NOTE_BYTES_MAX - 1] = '\n';
    assert_int_equal(note_sign(big, NOTE_BYTES_MAX, "a", a.sk, out,
                               sizeof out, &len), CF_ETOOBIG);
    /* In place: out == text. */
    strcpy(out, "in place\n");
    assert_int_equal(note_sign(out, 9, "a", a.sk, out, sizeof out, &len), 0);
    note n;
    assert_int_equal(note_parse(out, len, &n), CF_OK);
    assert_int_equal(note_verify(&n, "a", 1, a.pk), CF_OK);
}

/* ---- cosignatures ------------------------------------------------------- */

static const char CKPT[] = "example.com/log\n20852163\n"
                           "CsUYapGGPo4dkMgIAUqom/Xajj7h2fB2MPA3j2jxq2I=\n";

static size_t cosigned(char *msg, const keypair *log, const keypair *wit,
                       uint64_t ts)
{
    char line[NOTE_SIG_LINE_BYTES_MAX];
    size_t len = sign(CKPT, "example.com/log", log, msg), line_len;
    assert_int_equal(note_cosign(CKPT, strlen(CKPT), "w.example/w1", wit->sk,
                                 ts, line, sizeof line, &line_len), CF_OK);
    assert_int_equal(strlen(line), line_len);
    append(msg, &len, line, line_len);
    return len;
}

static void test_cosig(void **state)
{
    (void)state;
    keypair log, wit;
    char msg[BUF_BYTES];
    uint64_t ts = 0;
    note n;
    key_from(7, &log), key_from(8, &wit);
    size_t len = cosigned(msg, &log, &wit, 1679315147);
    assert_int_equal(note_parse(msg, len, &n), CF_OK);
    assert_int_equal(n.sigs[1].sig_len, 72);
    assert_int_equal(note_verify(&n, "example.com/log", 15, log.pk), CF_OK);
    assert_int_equal(note_verify_cosig(&n, "w.example/w1", 12, wit.pk, &ts), 0);
    assert_int_equal(ts, 1679315147);
    /* Type separation: a cosigner key is not a note signer and back. */
    assert_int_equal(note_verify(&n, "w.example/w1", 12, wit.pk),
                     CF_ENOTE_NO_SIG);
    assert_int_equal(note_verify_cosig(&n, "example.com/log", 15, log.pk, &ts),
                     CF_ENOTE_NO_SIG);
    assert_int_equal(note_verify_cosig(&n, "w.example/w2", 12, wit.pk, &ts),
                     CF_ENOTE_NO_SIG);
    /* Tampered text. */
    msg[0] = 'E';
    assert_int_equal(note_parse(msg, len, &n), CF_OK);
    assert_int_equal(note_verify_cosig(&n, "w.example/w1", 12, wit.pk, &ts),
                     CF_ENOTE_BAD_SIG);
    /* Tampered timestamp: the signature covers it. */
    len = cosigned(msg, &log, &wit, 1679315147);
    assert_int_equal(note_parse(msg, len, &n), CF_OK);
    n.sigs[1].sig[7] ^= 1;
    assert_int_equal(note_verify_cosig(&n, "w.example/w1", 12, wit.pk, &ts),
                     CF_ENOTE_BAD_SIG);
    assert_int_equal(ts, 1679315147); /* untouched on failure */
}

static void test_cosig_timestamp_bound(void **state)
{
    (void)state;
    keypair log, wit;
    char msg[BUF_BYTES], line[NOTE_SIG_LINE_BYTES_MAX];
    size_t line_len;
    uint64_t ts;
    note n;
    const uint64_t max = (uint64_t)INT64_MAX;
    key_from(7, &log), key_from(8, &wit);
    size_t len = cosigned(msg, &log, &wit, max);
    assert_int_equal(note_parse(msg, len, &n), CF_OK);
    assert_int_equal(note_verify_cosig(&n, "w.example/w1", 12, wit.pk, &ts), 0);
    assert_int_equal(ts, max);
    assert_int_equal(note_cosign(CKPT, strlen(CKPT), "w", wit.sk, max + 1, line,
                                 sizeof line, &line_len), CF_ERANGE);
    cosigned(msg, &log, &wit, 0);
    /* Forge a correctly signed cosignature at 2^63: still rejected. */
    uint8_t m[256], raw[4 + 72];
    char b64[128];
    int k = snprintf((char *)m, sizeof m, "cosignature/v1\ntime %llu\n%s",
                     (unsigned long long)(max + 1), CKPT);
    cf_put_be32(raw, note_key_id("w.example/w1", 12, 4, wit.pk));
    cf_put_be64(raw + 4, max + 1);
    cf_ed25519_sign(m, (size_t)k, wit.sk, raw + 12);
    assert_int_equal(cf_b64_encode(raw, sizeof raw, b64, sizeof b64), CF_OK);
    len = sign(CKPT, "example.com/log", &log, msg);
    line_len = (size_t)snprintf(line, sizeof line, EM " w.example/w1 %s\n", b64);
    append(msg, &len, line, line_len);
    assert_int_equal(note_parse(msg, len, &n), CF_OK);
    assert_int_equal(note_verify_cosig(&n, "w.example/w1", 12, wit.pk, &ts),
                     CF_ENOTE_BAD_SIG);
    /* A cosigner-keyed line of Ed25519 length is BAD_SIG too. */
    uint8_t raw68[68] = {0};
    cf_put_be32(raw68, note_key_id("w.example/w1", 12, 4, wit.pk));
    assert_int_equal(cf_b64_encode(raw68, sizeof raw68, b64, sizeof b64), 0);
    len = sign(CKPT, "example.com/log", &log, msg);
    line_len = (size_t)snprintf(line, sizeof line, EM " w.example/w1 %s\n", b64);
    append(msg, &len, line, line_len);
    assert_int_equal(note_parse(msg, len, &n), CF_OK);
    assert_int_equal(note_verify_cosig(&n, "w.example/w1", 12, wit.pk, &ts),
                     CF_ENOTE_BAD_SIG);
}

/* ---- verifier keys ------------------------------------------------------ */

static void test_vkey(void **state)
{
    (void)state;
    keypair a;
    char vk[NOTE_VKEY_BYTES_MAX], bad[NOTE_VKEY_BYTES_MAX + 8];
    char name[NOTE_NAME_BYTES_MAX + 1];
    uint8_t pk[32], type;
    key_from(5, &a);
    assert_int_equal(note_vkey_format("cofund/x", a.pk, vk, sizeof vk), CF_OK);
    size_t len = strlen(vk);
    assert_int_equal(note_vkey_parse(vk, len, name, sizeof name, pk), CF_OK);
    assert_string_equal(name, "cofund/x");
    assert_memory_equal(pk, a.pk, 32);
    assert_int_equal(note_vkey_parse(vk, len, name, 8, pk), CF_ETOOBIG);
    assert_int_equal(note_vkey_format("cofund/x", a.pk, vk, len), CF_ETOOBIG);
    /* Each defect its own case. */
    const size_t id_at = 9; /* "cofund/x+" */
    struct {
        const char *what;
        size_t at;
        char c;
    } flips[] = {
        {"key ID digit", id_at, '0'}, {"uppercase hex", id_at, 'A'},
        {"non-hex", id_at, 'g'},      {"key byte", id_at + 9 + 10, 'A'},
        {"type byte", id_at + 9, 'B'}, {"first '+'", id_at - 1, '-'},
    };
    for (size_t i = 0; i < sizeof flips / sizeof flips[0]; i++) {
        memcpy(bad, vk, len + 1);
        bad[flips[i].at] = bad[flips[i].at] == flips[i].c ? 'f' : flips[i].c;
        if (note_vkey_parse(bad, len, name, sizeof name, pk) != CF_EVKEY_FORMAT)
            fail_msg("vkey case %s accepted", flips[i].what);
    }
    assert_int_equal(note_vkey_parse(vk, len - 1, name, sizeof name, pk),
                     CF_EVKEY_FORMAT);
    snprintf(bad, sizeof bad, "%s\n", vk);
    assert_int_equal(note_vkey_parse(bad, len + 1, name, sizeof name, pk),
                     CF_EVKEY_FORMAT);
    assert_int_equal(note_vkey_parse("", 0, name, sizeof name, pk),
                     CF_EVKEY_FORMAT);
    assert_int_equal(note_vkey_parse(vk + id_at - 1, len - id_at + 1, name,
                                     sizeof name, pk), CF_EVKEY_FORMAT);
    assert_int_equal(note_vkey_format("a b", a.pk, vk, sizeof vk), CF_EINVAL);
    /* Cosigner keys (type 0x04): only the typed parser takes them. */
    assert_int_equal(note_vkey_format_typed("w", 4, a.pk, vk, sizeof vk), 0);
    len = strlen(vk);
    assert_int_equal(note_vkey_parse(vk, len, name, sizeof name, pk),
                     CF_EVKEY_FORMAT);
    assert_int_equal(note_vkey_parse_typed(vk, len, name, sizeof name, &type,
                                           pk), CF_OK);
    assert_int_equal(type, 4);
    assert_int_equal(note_vkey_format_typed("w", 2, a.pk, vk, sizeof vk),
                     CF_EINVAL);
}

/* ---- checkpoints -------------------------------------------------------- */

static void test_checkpoint_format_open(void **state)
{
    (void)state;
    uint8_t root[32] = {1, 2, 3};
    char out[BUF_BYTES], msg[BUF_BYTES];
    size_t len;
    keypair a, b;
    note n;
    checkpoint c;
    key_from(1, &a), key_from(2, &b);
    assert_int_equal(checkpoint_format("", 1, root, out, sizeof out, &len),
                     CF_EINVAL);
    assert_int_equal(checkpoint_format("a\nb", 1, root, out, sizeof out, &len),
                     CF_EINVAL);
    assert_int_equal(checkpoint_format("a", 1, root, out, 10, &len),
                     CF_ETOOBIG);
    assert_int_equal(checkpoint_format("cofund/log", 0, root, out, sizeof out,
                                       &len), CF_OK);
    size_t mlen = sign(out, "cofund/log", &a, msg);
    assert_int_equal(checkpoint_open(msg, mlen, "cofund/log", 10, a.pk, &n, &c),
                     CF_OK);
    assert_int_equal(c.size, 0);
    assert_memory_equal(c.root, root, 32);
    assert_ptr_equal(c.origin, msg);
    assert_int_equal(checkpoint_open(msg, mlen, "cofund/log", 10, b.pk, &n, &c),
                     CF_ENOTE_NO_SIG);
    mlen = sign("not a checkpoint\n", "cofund/log", &a, msg);
    assert_int_equal(checkpoint_open(msg, mlen, "cofund/log", 10, a.pk, &n, &c),
                     CF_ECKPT_FORMAT);
}

/* ---- mutation and random tests ------------------------------------------ */

/* Accepted only if it parses, both signatures verify and the text is a
 * checkpoint. */
static bool accepted(const char *msg, size_t len, const keypair *log,
                     const keypair *wit)
{
    note n;
    checkpoint c;
    uint64_t ts;
    return note_parse(msg, len, &n) == CF_OK &&
           note_verify(&n, "example.com/log", 15, log->pk) == CF_OK &&
           note_verify_cosig(&n, "w.example/w1", 12, wit->pk, &ts) == CF_OK &&
           checkpoint_parse(n.text, n.text_len, &c) == CF_OK;
}

static void test_mutations(void **state)
{
    (void)state;
    keypair log, wit;
    char msg[BUF_BYTES], mut[BUF_BYTES];
    key_from(7, &log), key_from(8, &wit);
    size_t len = cosigned(msg, &log, &wit, 1700000000);
    assert_true(accepted(msg, len, &log, &wit));
    for (size_t i = 0; i < len; i++) {
        for (int bit = 0; bit < 8; bit++) {
            memcpy(mut, msg, len);
            mut[i] = (char)(mut[i] ^ (1 << bit));
            if (accepted(mut, len, &log, &wit))
                fail_msg("flip of bit %d of byte %zu accepted", bit, i);
        }
    }
    for (size_t cut = 0; cut < len; cut++)
        if (accepted(msg, cut, &log, &wit)) fail_msg("prefix %zu accepted", cut);
}

static void test_random_roundtrip(void **state)
{
    (void)state;
    char text[BUF_BYTES], msg[BUF_BYTES], line[NOTE_SIG_LINE_BYTES_MAX];
    char origin[CKPT_ORIGIN_BYTES_MAX + 1];
    rng_state = g_seed;
    for (int round = 0; round < RANDOM_ROUNDS; round++) {
        keypair log, wit;
        key_from((uint8_t)rng_next(), &log);
        key_from((uint8_t)rng_next(), &wit);
        size_t olen = 1 + rng_next() % 100;
        for (size_t i = 0; i < olen; i++)
            origin[i] = (char)(0x20 + rng_next() % 95); /* printable ASCII */
        origin[olen] = '\0';
        uint64_t size = rng_next() >> (rng_next() % 64);
        uint8_t root[32];
        for (int i = 0; i < 32; i++) root[i] = (uint8_t)rng_next();
        size_t tlen, len, line_len;
        assert_int_equal(checkpoint_format(origin, size, root, text,
                                           sizeof text, &tlen), CF_OK);
        size_t ext = rng_next() % 3;
        for (size_t e = 0; e < ext; e++)
            tlen += (size_t)snprintf(text + tlen, sizeof text - tlen,
                                     "ext %llu\n",
                                     (unsigned long long)rng_next());
        uint64_t ts = rng_next() >> 1;
        assert_int_equal(note_sign(text, tlen, "log", log.sk, msg, sizeof msg,
                                   &len), CF_OK);
        assert_int_equal(note_cosign(text, tlen, "w", wit.sk, ts, line,
                                     sizeof line, &line_len), CF_OK);
        append(msg, &len, line, line_len);
        note n;
        checkpoint c;
        uint64_t got_ts;
        assert_int_equal(note_parse(msg, len, &n), CF_OK);
        assert_int_equal(note_verify(&n, "log", 3, log.pk), CF_OK);
        assert_int_equal(note_verify_cosig(&n, "w", 1, wit.pk, &got_ts), 0);
        assert_true(got_ts == ts);
        assert_int_equal(checkpoint_parse(n.text, n.text_len, &c), CF_OK);
        assert_true(c.size == size && c.ext_lines == ext);
        assert_int_equal(c.origin_len, olen);
        assert_memory_equal(c.origin, origin, olen);
        assert_memory_equal(c.root, root, 32);
        /* One random byte changed to another value: rejected. */
        size_t at = rng_next() % len;
        char was = msg[at];
        msg[at] = (char)(was + 1 + rng_next() % 255);
        bool ok = note_parse(msg, len, &n) == CF_OK &&
                  note_verify(&n, "log", 3, log.pk) == CF_OK &&
                  note_verify_cosig(&n, "w", 1, wit.pk, &got_ts) == CF_OK;
        if (ok) fail_msg("round %d: change at %zu accepted", round, at);
    }
}

int main(void)
{
    g_seed = tu_seed("test_note");
    if (cf_crypto_init() != CF_OK) return 1;
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_vector_go_sign),
        cmocka_unit_test(test_vector_c2sp_example),
        cmocka_unit_test(test_vector_tree_head),
        cmocka_unit_test(test_vector_cosig_example),
        cmocka_unit_test(test_parse_accepts),
        cmocka_unit_test(test_parse_rejects),
        cmocka_unit_test(test_parse_limits),
        cmocka_unit_test(test_name_valid),
        cmocka_unit_test(test_sign_verify),
        cmocka_unit_test(test_sign_rejects),
        cmocka_unit_test(test_cosig),
        cmocka_unit_test(test_cosig_timestamp_bound),
        cmocka_unit_test(test_vkey),
        cmocka_unit_test(test_checkpoint_format_open),
        cmocka_unit_test(test_mutations),
        cmocka_unit_test(test_random_roundtrip),
    };
    return cmocka_run_group_tests(tests, load_vectors, NULL);
}
