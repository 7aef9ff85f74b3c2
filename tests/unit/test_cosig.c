/* test_cosig.c — the stored form of witnessed checkpoints (node/bundle/ckpt.h
 * "Cosignatures", docs/format.md): origins as key names, cosignature lines
 * that verify as cosignature/v1, and ckpt_assemble's choice of lines — one
 * per key (the earliest), at most CKPT_COSIGS_MAX (the earliest witnesses),
 * sorted by key, after the author's line — which depends only on the set of
 * lines: merging random subsets in random orders always converges on what
 * assembling all of them at once gives. Random parts print their seed.
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

#include "bundle/ckpt.h"
#include "crypto/cf_error.h"
#include "crypto/cf_util.h"
#include "crypto/note.h"
#include "testutil.h"

#define WITNESSES 20
#define LINES_PER 2

static uint8_t g_net[32], g_author_sk[64], g_author[32];
static uint8_t g_sk[WITNESSES][64], g_pk[WITNESSES][32];
static char g_ckpt[CKPT_SIGNED_BYTES_MAX];
static size_t g_ckpt_len;
static note g_note; /* the author's checkpoint, parsed */
/* Each witness's lines, at different times. */
static char g_lines[WITNESSES][LINES_PER][NOTE_SIG_LINE_BYTES_MAX];
static size_t g_line_len[WITNESSES][LINES_PER];
static uint64_t g_time[WITNESSES][LINES_PER];

static void keypair(uint8_t seed_byte, uint8_t sk[64], uint8_t pk[32])
{
    uint8_t seed[32];
    memset(seed, seed_byte, sizeof seed);
    assert_int_equal(cf_ed25519_keypair_from_seed(seed, pk, sk), CF_OK);
}

static int setup(void **state)
{
    (void)state;
    uint8_t root[32];
    assert_int_equal(cf_crypto_init(), CF_OK);
    memset(g_net, 0x4e, 32);
    memset(root, 0x72, 32);
    keypair(1, g_author_sk, g_author);
    for (int i = 0; i < WITNESSES; i++) keypair((uint8_t)(10 + i), g_sk[i], g_pk[i]);
    assert_int_equal(ckpt_sign(g_net, g_author, g_author_sk, 42, root, g_ckpt, sizeof g_ckpt,
                               &g_ckpt_len),
                     CF_OK);
    assert_int_equal(note_parse(g_ckpt, g_ckpt_len, &g_note), CF_OK);
    return 0;
}

static void test_origin_key(void **state)
{
    (void)state;
    char origin[CKPT_ORIGIN_BYTES];
    uint8_t key[32], other_net[32];
    ckpt_origin(g_net, g_pk[0], origin);
    assert_true(ckpt_origin_key(g_net, origin, strlen(origin), key));
    assert_memory_equal(key, g_pk[0], 32);
    /* Another network's origin, uppercase hex, a cut name, another log's. */
    memcpy(other_net, g_net, 32);
    other_net[7] ^= 1;
    assert_false(ckpt_origin_key(other_net, origin, strlen(origin), key));
    char upper[CKPT_ORIGIN_BYTES];
    memcpy(upper, origin, sizeof upper);
    char *letter = strpbrk(upper + 24, "abcdef"); /* the key's hex has a letter */
    assert_non_null(letter);
    *letter = (char)(*letter - 'a' + 'A');
    assert_false(ckpt_origin_key(g_net, upper, strlen(upper), key));
    assert_false(ckpt_origin_key(g_net, origin, strlen(origin) - 1, key));
    assert_false(ckpt_origin_key(g_net, "example.com/log", 15, key));
    /* The author's signature line is found by name and key type. */
    ckpt_origin(g_net, g_author, origin);
    assert_int_equal(ckpt_author_sig(&g_note, origin, g_author), 0);
    assert_int_equal(ckpt_author_sig(&g_note, origin, g_pk[0]), -1);
}

static void test_cosign_verifies(void **state)
{
    (void)state;
    char line[NOTE_SIG_LINE_BYTES_MAX], both[CKPT_SIGNED_BYTES_MAX], origin[CKPT_ORIGIN_BYTES];
    size_t len;
    uint64_t ts;
    note n;
    assert_int_equal(ckpt_cosign(&g_note, g_net, g_sk[3], 1700000123, line, sizeof line, &len),
                     CF_OK);
    assert_true(len <= CKPT_COSIG_LINE_BYTES);
    assert_int_equal(ckpt_sig_lines(g_ckpt, g_ckpt_len), 1);
    memcpy(both, g_ckpt, g_ckpt_len);
    memcpy(both + g_ckpt_len, line, len);
    assert_int_equal(ckpt_sig_lines(both, g_ckpt_len + len), 2);
    assert_int_equal(note_parse(both, g_ckpt_len + len, &n), CF_OK);
    ckpt_origin(g_net, g_pk[3], origin);
    assert_int_equal(note_verify_cosig(&n, origin, strlen(origin), g_pk[3], &ts), CF_OK);
    assert_true(ts == 1700000123);
    /* Named after the witness, it is no signature by another key. */
    assert_int_equal(note_verify_cosig(&n, origin, strlen(origin), g_pk[4], &ts), CF_ENOTE_NO_SIG);
}

/* The lines of an assembled note as ckpt_cosig items (after the author's). */
static size_t lines_of(const char *text, size_t len, note *n, ckpt_cosig *out)
{
    size_t k = 0;
    assert_int_equal(note_parse(text, len, n), CF_OK);
    for (size_t i = 1; i < n->nsigs; i++) {
        ckpt_cosig *c = &out[k++];
        assert_true(ckpt_origin_key(g_net, n->sigs[i].name, n->sigs[i].name_len, c->key));
        c->time_s = cf_get_be64(n->sigs[i].sig);
        c->line = n->sigs[i].line;
        c->line_len = n->sigs[i].line_len;
    }
    return k;
}

static void make_lines(uint64_t *rng)
{
    for (int w = 0; w < WITNESSES; w++)
        for (int l = 0; l < LINES_PER; l++) {
            /* Few distinct times, so that ties between keys occur. */
            g_time[w][l] = 1700000000 + tu_rng_next(rng) % 8;
            assert_int_equal(ckpt_cosign(&g_note, g_net, g_sk[w], g_time[w][l], g_lines[w][l],
                                         sizeof g_lines[w][l], &g_line_len[w][l]),
                             CF_OK);
        }
}

static void item(ckpt_cosig *c, int w, int l)
{
    memcpy(c->key, g_pk[w], 32);
    c->time_s = g_time[w][l];
    c->line = g_lines[w][l];
    c->line_len = g_line_len[w][l];
    c->tag = 0;
}

static size_t assemble(ckpt_cosig *cs, size_t n, char *out)
{
    size_t len, kept;
    assert_int_equal(ckpt_assemble(g_note.text, g_note.text_len, g_note.sigs[0].line,
                                   g_note.sigs[0].line_len, cs, n, out, CKPT_SIGNED_BYTES_MAX,
                                   &len, &kept),
                     CF_OK);
    assert_true(kept <= CKPT_COSIGS_MAX);
    return len;
}

/* What every merge must reach: all the lines assembled at once. */
static size_t expected(char *out)
{
    static ckpt_cosig cs[WITNESSES * LINES_PER];
    size_t n = 0;
    for (int w = 0; w < WITNESSES; w++)
        for (int l = 0; l < LINES_PER; l++) item(&cs[n++], w, l);
    return assemble(cs, n, out);
}

static void check_form(const char *text, size_t len)
{
    static note n;
    static ckpt_cosig cs[NOTE_SIGS_MAX];
    size_t k = lines_of(text, len, &n, cs);
    assert_true(n.nsigs == k + 1 && k == CKPT_COSIGS_MAX);
    assert_true(n.sigs[0].line_len == g_note.sigs[0].line_len &&
                memcmp(n.sigs[0].line, g_note.sigs[0].line, n.sigs[0].line_len) == 0);
    for (size_t i = 1; i < k; i++) assert_true(memcmp(cs[i - 1].key, cs[i].key, 32) < 0);
    /* Each kept key's line is its earliest; every left-out key is not
     * earlier than the latest kept one. */
    uint64_t latest_kept = 0;
    for (size_t i = 0; i < k; i++) {
        int w = 0;
        while (memcmp(g_pk[w], cs[i].key, 32) != 0) w++;
        uint64_t t = g_time[w][0] < g_time[w][1] ? g_time[w][0] : g_time[w][1];
        assert_true(cs[i].time_s == t);
        if (t > latest_kept) latest_kept = t;
    }
    for (int w = 0; w < WITNESSES; w++) {
        bool kept = false;
        for (size_t i = 0; i < k; i++) kept |= memcmp(g_pk[w], cs[i].key, 32) == 0;
        uint64_t t = g_time[w][0] < g_time[w][1] ? g_time[w][0] : g_time[w][1];
        if (!kept) assert_true(t >= latest_kept);
    }
}

static void test_merges_converge(void **state)
{
    (void)state;
    static char want[CKPT_SIGNED_BYTES_MAX], have[CKPT_SIGNED_BYTES_MAX],
        next[CKPT_SIGNED_BYTES_MAX];
    static ckpt_cosig cs[NOTE_SIGS_MAX + WITNESSES * LINES_PER];
    static note n;
    uint64_t rng = tu_seed("test_cosig merges");
    for (int round = 0; round < 200; round++) {
        make_lines(&rng);
        size_t want_len = expected(want);
        check_form(want, want_len);
        /* Start from the author's line alone; merge the lines in random
         * batches, in a random order, each line at least once. */
        size_t have_len = assemble(NULL, 0, have);
        int order[WITNESSES * LINES_PER];
        for (int i = 0; i < WITNESSES * LINES_PER; i++) order[i] = i;
        for (int i = WITNESSES * LINES_PER - 1; i > 0; i--) {
            int j = (int)(tu_rng_next(&rng) % (uint64_t)(i + 1)), t = order[i];
            order[i] = order[j], order[j] = t;
        }
        for (int at = 0; at < WITNESSES * LINES_PER;) {
            size_t k = lines_of(have, have_len, &n, cs);
            int batch = 1 + (int)(tu_rng_next(&rng) % 6);
            for (; batch > 0 && at < WITNESSES * LINES_PER; batch--, at++)
                item(&cs[k++], order[at] / LINES_PER, order[at] % LINES_PER);
            /* A line seen again changes nothing. */
            if (tu_rng_next(&rng) % 4 == 0 && k > 0) cs[k] = cs[0], k++;
            size_t next_len = assemble(cs, k, next);
            memcpy(have, next, next_len);
            have_len = next_len;
        }
        if (have_len != want_len || memcmp(have, want, want_len) != 0)
            fail_msg("round %d: merging in another order gave other bytes", round);
    }
}

static void test_assemble_bounds(void **state)
{
    (void)state;
    static char out[CKPT_SIGNED_BYTES_MAX];
    ckpt_cosig c;
    size_t len, kept;
    uint64_t rng = 7;
    make_lines(&rng);
    item(&c, 0, 0);
    /* Too small an output buffer; bad arguments. */
    assert_int_equal(ckpt_assemble(g_note.text, g_note.text_len, g_note.sigs[0].line,
                                   g_note.sigs[0].line_len, &c, 1, out, g_ckpt_len + 10, &len,
                                   &kept),
                     CF_ETOOBIG);
    assert_int_equal(ckpt_assemble(g_note.text, g_note.text_len, g_note.sigs[0].line,
                                   g_note.sigs[0].line_len, NULL, 1, out, sizeof out, &len, &kept),
                     CF_EINVAL);
    /* The author's line alone reproduces the author's note. */
    assert_int_equal(ckpt_assemble(g_note.text, g_note.text_len, g_note.sigs[0].line,
                                   g_note.sigs[0].line_len, NULL, 0, out, sizeof out, &len, &kept),
                     CF_OK);
    assert_int_equal(len, g_ckpt_len);
    assert_memory_equal(out, g_ckpt, len);
    assert_int_equal(kept, 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_origin_key),
        cmocka_unit_test(test_cosign_verifies),
        cmocka_unit_test(test_merges_converge),
        cmocka_unit_test(test_assemble_bounds),
    };
    return cmocka_run_group_tests(tests, setup, NULL);
}
