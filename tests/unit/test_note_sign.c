/* test_note_sign.c — signing and verifying C2SP signed notes, cosignature/v1
 * lines, verifier keys and signed checkpoints (crypto/note.h); the golden
 * vectors and the parser's accepted and rejected forms are in test_note.c.
 *
 * Each rule is checked from both sides, one case per defect. A mutation test
 * flips every bit of a signed, cosigned checkpoint and requires rejection.
 * Random tests print their seed; set COFUND_SEED=<n> to replay one run.
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
#define RANDOM_ROUNDS 200

#define EM "\xe2\x80\x94"

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
    g_seed = tu_seed("test_note_sign");
    if (cf_crypto_init() != CF_OK) return 1;
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_sign_verify),
        cmocka_unit_test(test_sign_rejects),
        cmocka_unit_test(test_cosig),
        cmocka_unit_test(test_cosig_timestamp_bound),
        cmocka_unit_test(test_vkey),
        cmocka_unit_test(test_checkpoint_format_open),
        cmocka_unit_test(test_mutations),
        cmocka_unit_test(test_random_roundtrip),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
