/* test_merkle_large.c — RFC 6962 Merkle trees (crypto/merkle.h) of up to
 * 2^64 - 1 leaves, with a sparse synthetic tree whose subtree hashes are
 * cheap to compute: roots, inclusion and consistency proofs (checked against
 * the recursive verifiers of merkle_reference.c), the number of subtrees each
 * asks for, and the stream loaded at any size. The random sizes print their
 * seed; set COFUND_SEED=<n> to replay one run.
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
#include "crypto/cf_util.h"
#include "crypto/merkle.h"
#include "merkle_reference.h"
#include "testutil.h"

/* Random spot checks on large trees, and special leaves per synthetic tree. */
#define SPOT_CHECKS 300
#define SPECIAL_MAX 8
/* O(log n): a root asks for at most 64 subtrees, a proof for at most 128. */
#define ROOT_CALLS_MAX 64
#define PROOF_CALLS_MAX 128

static uint64_t g_seed;
static uint64_t rng_state;

static uint64_t rng_next(void)
{
    return tu_rng_next(&rng_state);
}

/* ---- large trees: a sparse synthetic tree -------------------------------
 * Every leaf is the same except a few "special" ones, so a perfect subtree
 * without a special leaf has a hash that depends only on its height, and one
 * with a special leaf is computed from its two children: O(level * specials).
 * The tree stays consistent (every node is the hash of its children). */

typedef struct {
    uint64_t special[SPECIAL_MAX];
    unsigned nspecial;
    uint8_t plain[64][H]; /* subtree of height h with only ordinary leaves */
    unsigned long calls;
} synth;

static void synth_init(synth *s)
{
    memset(s, 0, sizeof *s);
    merkle_leaf_hash((const uint8_t *)"plain", 5, s->plain[0]);
    for (unsigned h = 1; h < 64; h++)
        merkle_node_hash(s->plain[h - 1], s->plain[h - 1], s->plain[h]);
}

static void synth_leaf(uint64_t i, uint8_t out[H])
{
    uint8_t b[8];
    cf_put_be64(b, i);
    merkle_leaf_hash(b, 8, out);
}

static void synth_node(const synth *s, unsigned level, uint64_t index,
                       uint8_t out[H])
{
    int special = 0;
    for (unsigned j = 0; j < s->nspecial; j++)
        if ((s->special[j] >> level) == index) special = 1;
    if (!special) {
        memcpy(out, s->plain[level], H);
    } else if (level == 0) {
        synth_leaf(index, out);
    } else {
        uint8_t l[H], r[H];
        synth_node(s, level - 1, 2 * index, l);
        synth_node(s, level - 1, 2 * index + 1, r);
        merkle_node_hash(l, r, out);
    }
}

static int synth_get(void *ctx, unsigned level, uint64_t index, uint8_t out[H])
{
    synth *s = ctx;
    assert_true(level < 64);
    s->calls++;
    synth_node(s, level, index, out);
    return CF_OK;
}

static uint64_t random_size(void)
{
    switch (rng_next() % 6) {
    case 0: return UINT64_MAX - rng_next() % 4;
    case 1: return ((uint64_t)1 << (rng_next() % 64)) + rng_next() % 3 - 1;
    case 2: return rng_next() >> (rng_next() % 64);
    case 3: return (uint64_t)1 << 63;
    default: return rng_next();
    }
}

static void spot_check(synth *s, uint64_t size)
{
    if (size == 0) size = 1;
    uint64_t index = rng_next() % size;
    if (rng_next() % 4 == 0) index = size - 1;
    uint64_t old = 1 + rng_next() % size;
    if (rng_next() % 4 == 0) old = size - rng_next() % (size < 3 ? size : 3);
    s->nspecial = 0;
    s->special[s->nspecial++] = index;
    s->special[s->nspecial++] = size - 1;
    s->special[s->nspecial++] = old - 1;
    s->special[s->nspecial++] = rng_next() % size;

    uint8_t root[H], oldr[H], leaf[H], proof[MERKLE_PROOF_MAX][H];
    size_t cnt;
    s->calls = 0;
    assert_int_equal(merkle_root(synth_get, s, size, root), CF_OK);
    assert_true(s->calls <= ROOT_CALLS_MAX);
    s->calls = 0;
    assert_int_equal(merkle_inclusion_proof(synth_get, s, index, size, proof, &cnt),
                     CF_OK);
    assert_true(s->calls <= PROOF_CALLS_MAX);
    assert_int_equal(cnt, merkle_inclusion_proof_len(index, size));
    synth_leaf(index, leaf);
    const uint8_t *p = &proof[0][0];
    assert_int_equal(merkle_verify_inclusion(leaf, H, index, size, p, cnt * H,
                                             root, H),
                     CF_OK);
    assert_int_equal(ref_verify_inclusion(leaf, index, size, p, cnt, root), 0);
    if (cnt) {
        size_t i = rng_next() % cnt;
        proof[i][rng_next() % H] ^= (uint8_t)(1u << (rng_next() % 8));
        assert_int_equal(merkle_verify_inclusion(leaf, H, index, size, p,
                                                 cnt * H, root, H),
                         CF_EPROOF_MISMATCH);
    }
    if (size > 1) {
        uint64_t other = index ^ 1;
        if (other >= size) other = index - 1;
        synth_leaf(other, leaf);
        assert_int_not_equal(merkle_verify_inclusion(leaf, H, index, size, p,
                                                     cnt * H, root, H),
                             CF_OK);
    }

    s->calls = 0;
    assert_int_equal(merkle_root(synth_get, s, old, oldr), CF_OK);
    s->calls = 0;
    assert_int_equal(merkle_consistency_proof(synth_get, s, old, size, proof,
                                              &cnt),
                     CF_OK);
    assert_true(s->calls <= PROOF_CALLS_MAX);
    assert_int_equal(cnt, merkle_consistency_proof_len(old, size));
    assert_int_equal(merkle_verify_consistency(old, size, oldr, H, root, H, p,
                                               cnt * H),
                     CF_OK);
    assert_int_equal(ref_verify_consistency(old, size, oldr, root, p, cnt), 0);
    if (cnt) {
        size_t i = rng_next() % cnt;
        proof[i][rng_next() % H] ^= 0x40;
        assert_int_equal(merkle_verify_consistency(old, size, oldr, H, root, H,
                                                   p, cnt * H),
                         CF_EPROOF_MISMATCH);
    }

    /* The stream loaded at old and fed the next leaves tracks merkle_root. */
    merkle_stream st;
    s->calls = 0;
    assert_int_equal(merkle_stream_load(&st, synth_get, s, old), CF_OK);
    assert_true(s->calls <= ROOT_CALLS_MAX);
    merkle_stream_root(&st, leaf);
    assert_memory_equal(leaf, oldr, H);
    for (unsigned k = 0; k < 3 && st.size < UINT64_MAX; k++) {
        uint8_t lh[H], done[65][H], want[H];
        unsigned nd;
        uint64_t i = st.size;
        synth_node(s, 0, i, lh);
        merkle_stream_push(&st, lh, done, &nd);
        for (unsigned h = 0; h < nd; h++) {
            synth_node(s, h, i >> h, want);
            assert_memory_equal(done[h], want, H);
        }
        merkle_stream_root(&st, leaf);
        assert_int_equal(merkle_root(synth_get, s, i + 1, want), CF_OK);
        assert_memory_equal(leaf, want, H);
    }
}

static void test_large_random(void **state)
{
    (void)state;
    synth *s = malloc(sizeof *s);
    assert_non_null(s);
    synth_init(s);
    rng_state = g_seed;
    /* Fixed extremes first. */
    static const uint64_t fixed[] = {1, 2, 3, UINT64_MAX, UINT64_MAX - 1,
                                     (uint64_t)1 << 63, ((uint64_t)1 << 63) + 1,
                                     ((uint64_t)1 << 63) - 1, (uint64_t)1 << 32};
    for (size_t i = 0; i < sizeof fixed / sizeof fixed[0]; i++)
        for (int k = 0; k < 8; k++) spot_check(s, fixed[i]);
    for (int i = 0; i < SPOT_CHECKS; i++) spot_check(s, random_size());
    /* The largest tree's extreme proofs. */
    uint8_t proof[MERKLE_PROOF_MAX][H];
    size_t cnt;
    s->nspecial = 1;
    s->special[0] = UINT64_MAX - 1;
    assert_int_equal(merkle_inclusion_proof(synth_get, s, UINT64_MAX - 1,
                                            UINT64_MAX, proof, &cnt),
                     CF_OK);
    assert_int_equal(cnt, 63);
    assert_int_equal(merkle_inclusion_proof(synth_get, s, 0, UINT64_MAX, proof,
                                            &cnt),
                     CF_OK);
    assert_int_equal(cnt, 64);
    free(s);
}

int main(void)
{
    g_seed = tu_seed("test_merkle_large");
    if (cf_crypto_init() != CF_OK) return 1;
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_large_random),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
