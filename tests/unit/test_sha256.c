/* test_sha256.c — crypto/sha256.c: both backends (the x86 SHA extensions,
 * libsodium) against FIPS 180-4's vectors and against each other.
 *
 * The random part prints its seed; COFUND_SEED=<n> replays one run. On a
 * processor without the extensions only libsodium's side runs, and the
 * test says so.
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

#include "crypto/cf_util.h"
#include "crypto/sha256_testing.h"
#include "testutil.h"

#define MSG_MAX 4096
#define RANDOM_MESSAGES 20000

static uint64_t g_seed;

static void hex_to(const char *hex, uint8_t out[CF_SHA256_BYTES])
{
    for (size_t i = 0; i < CF_SHA256_BYTES; i++) {
        unsigned v;
        assert_int_equal(sscanf(hex + 2 * i, "%2x", &v), 1);
        out[i] = (uint8_t)v;
    }
}

/* The message hashed in pieces whose sizes come from rng (0 allowed). */
static void hash_split(const uint8_t *msg, size_t len, uint64_t *rng, uint8_t out[CF_SHA256_BYTES])
{
    cf_sha256_ctx ctx;
    cf_sha256_init(&ctx);
    size_t off = 0;
    while (off < len) {
        size_t n = (size_t)(tu_rng_next(rng) % 150);
        if (n > len - off) n = len - off;
        cf_sha256_update(&ctx, msg + off, n);
        off += n;
    }
    cf_sha256_final(&ctx, out);
}

/* FIPS 180-4 examples, the 64-byte boundaries around the padding (55, 56,
 * 63, 64 bytes of 'a', checked against each other below), one million 'a'. */
static void known_answers(void)
{
    static const struct {
        const char *msg, *hex;
    } v[] = {
        {"", "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"},
        {"abc", "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"},
        {"abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq",
         "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1"},
        {"abcdefghbcdefghicdefghijdefghijkefghijklfghijklmghijklmnhijklmnoijklmnopjklmnopqklmnopqrlmnopqrsmnopqrstnopqrstu",
         "cf5b16a778af8380036ce59e7b0492370b249b11e8f07a51afac45037afee9d1"},
    };
    uint8_t want[CF_SHA256_BYTES], got[CF_SHA256_BYTES];
    for (size_t i = 0; i < sizeof v / sizeof v[0]; i++) {
        hex_to(v[i].hex, want);
        cf_sha256(v[i].msg, strlen(v[i].msg), got);
        assert_memory_equal(got, want, CF_SHA256_BYTES);
    }
    uint8_t *a = malloc(1000000);
    assert_non_null(a);
    memset(a, 'a', 1000000);
    hex_to("cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0", want);
    cf_sha256(a, 1000000, got);
    assert_memory_equal(got, want, CF_SHA256_BYTES);
    uint64_t rng = 1;
    hash_split(a, 1000000, &rng, got);
    assert_memory_equal(got, want, CF_SHA256_BYTES);
    free(a);
}

static void test_known_answers_libsodium(void **state)
{
    (void)state;
    assert_true(cf_sha256_use_extensions(false));
    known_answers();
}

static void test_known_answers_extensions(void **state)
{
    (void)state;
    if (!cf_sha256_use_extensions(true)) {
        print_message("no SHA extensions on this processor: libsodium only\n");
        skip();
    }
    known_answers();
}

/* Every length 0..MSG_MAX-1 once, then random lengths, each split at random
 * on the extension side: the digests of both backends agree. */
static void test_backends_agree(void **state)
{
    (void)state;
    if (!cf_sha256_has_extensions()) skip();
    uint8_t *msg = malloc(MSG_MAX);
    assert_non_null(msg);
    uint64_t rng = g_seed;
    for (size_t i = 0; i < MSG_MAX; i++) msg[i] = (uint8_t)tu_rng_next(&rng);
    for (unsigned k = 0; k < MSG_MAX + RANDOM_MESSAGES; k++) {
        size_t len = k < MSG_MAX ? k : (size_t)(tu_rng_next(&rng) % MSG_MAX);
        if (k >= MSG_MAX)
            for (size_t i = 0; i < len; i++) msg[i] = (uint8_t)tu_rng_next(&rng);
        uint8_t a[CF_SHA256_BYTES], b[CF_SHA256_BYTES], c[CF_SHA256_BYTES];
        assert_true(cf_sha256_use_extensions(false));
        cf_sha256(msg, len, a);
        assert_true(cf_sha256_use_extensions(true));
        cf_sha256(msg, len, b);
        hash_split(msg, len, &rng, c);
        if (memcmp(a, b, sizeof a) || memcmp(a, c, sizeof a))
            fail_msg("digests differ at length %zu, message %u (seed %llu)", len, k,
                     (unsigned long long)g_seed);
    }
    free(msg);
}

/* A context keeps the backend it began with across a switch. */
static void test_context_keeps_backend(void **state)
{
    (void)state;
    if (!cf_sha256_has_extensions()) skip();
    uint8_t want[CF_SHA256_BYTES], got[CF_SHA256_BYTES];
    cf_sha256("abcdef", 6, want);
    for (int first = 0; first < 2; first++) {
        cf_sha256_ctx ctx;
        assert_true(cf_sha256_use_extensions(first));
        cf_sha256_init(&ctx);
        cf_sha256_update(&ctx, "abc", 3);
        assert_true(cf_sha256_use_extensions(!first));
        cf_sha256_update(&ctx, "def", 3);
        cf_sha256_final(&ctx, got);
        assert_memory_equal(got, want, CF_SHA256_BYTES);
    }
}

int main(void)
{
    g_seed = tu_seed("test_sha256");
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_known_answers_libsodium),
        cmocka_unit_test(test_known_answers_extensions),
        cmocka_unit_test(test_backends_agree),
        cmocka_unit_test(test_context_keeps_backend),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
