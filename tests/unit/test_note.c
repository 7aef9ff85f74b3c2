/* test_note.c — C2SP signed notes (crypto/note.h): the golden vectors and
 * what the parser accepts and rejects.
 *
 * Golden vectors are read at run time from tests/vectors/signed-note.txt
 * (golang.org/x/mod sumdb/note and the C2SP spec): the PeterNeumann key must
 * reproduce the Go vkey and signature line byte for byte, the C2SP example
 * must verify, and the go.sum tree head must format byte for byte. Then each
 * parsing rule is checked from both sides, one case per defect (checkpoint
 * text forms are in test_tlog_proof.c; signing, cosignatures, verifier keys,
 * the mutation and random tests in test_note_sign.c).
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

#define EM "\xe2\x80\x94"
/* A syntactically valid signature field (68 bytes: key ID + 64). */
#define B64_HEAD                                                              \
    "x08go/ZJkuBS9UG/SffcvIAQxVBtiFupLLr8pAcElZInNIuGUgYN1FFYC2pZSNXgKvqfqd" \
    "ngotpRZb6KE6RyyBwJnA"
#define B64 B64_HEAD "M="
#define SIGLINE EM " PeterNeumann " B64 "\n"
/* Short names for the case tables. */
#define NF CF_ENOTE_FORMAT

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

int main(void)
{
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
    };
    return cmocka_run_group_tests(tests, load_vectors, NULL);
}
