/* test_merkle_small.c — RFC 6962 Merkle trees (crypto/merkle.h) of up to
 * SMALL_SIZE_MAX leaves.
 *
 * Golden roots come from tests/vectors/rfc6962.txt (transparency-dev). Every
 * proof for sizes 1..SMALL_SIZE_MAX is compared with the naive implementation
 * of merkle_reference.c and checked against its recursive verifiers, then
 * altered every way (hashes, order, length, index and size) and refused.
 * Also: ranges, callback errors and the stream. Large trees are in
 * test_merkle_large.c.
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

/* Lines in the vector file are short: "root <n> <64 hex>". */
#define VECTOR_LINE_MAX 512
#define VECTOR_LEAVES_MAX 16


/* Memoised naive results for one leaf set (the changed-parameter checks ask
 * for the same roots and proofs thousands of times). */
#define MEMO_PROOF_MAX 16 /* consistency proofs for sizes <= 64 are shorter */
typedef struct {
    const leaves *l;
    bool have_root[SMALL_SIZE_MAX + 1];
    uint8_t root[SMALL_SIZE_MAX + 1][H];
    bool have_sub[SMALL_SIZE_MAX + 1][SMALL_SIZE_MAX + 1];
    size_t subn[SMALL_SIZE_MAX + 1][SMALL_SIZE_MAX + 1];
    uint8_t sub[SMALL_SIZE_MAX + 1][SMALL_SIZE_MAX + 1][MEMO_PROOF_MAX][H];
} naive_memo;

static naive_memo *g_memo;

static const uint8_t *memo_root(const leaves *l, uint64_t n)
{
    naive_memo *m = g_memo;
    assert_true(m != NULL && m->l == l && n <= SMALL_SIZE_MAX);
    if (!m->have_root[n]) {
        mth(l, 0, (size_t)n, m->root[n]);
        m->have_root[n] = true;
    }
    return m->root[n];
}

/* SUBPROOF(m, D[n], true) for 0 < m <= n. */
static const uint8_t *memo_subproof(const leaves *l, uint64_t m, uint64_t n,
                                    size_t *cnt)
{
    naive_memo *mm = g_memo;
    assert_true(mm != NULL && mm->l == l && m >= 1 && m <= n &&
                n <= SMALL_SIZE_MAX);
    if (!mm->have_sub[m][n]) {
        uint8_t tmp[MERKLE_PROOF_MAX][H];
        size_t c = 0;
        if (m < n) naive_subproof(l, (size_t)m, 0, (size_t)n, 1, tmp, &c);
        assert_true(c <= MEMO_PROOF_MAX);
        memcpy(mm->sub[m][n], tmp, c * H);
        mm->subn[m][n] = c;
        mm->have_sub[m][n] = true;
    }
    *cnt = mm->subn[m][n];
    return &mm->sub[m][n][0][0];
}

/* ---- golden vectors ----------------------------------------------------- */

static void test_vectors(void **state)
{
    (void)state;
    FILE *f = tu_data_open("vectors/rfc6962.txt");
    leaves l;
    size_t nleaves = 0, nroots = 0;
    char line[VECTOR_LINE_MAX];
    long len;
    while ((len = tu_read_line(f, line, sizeof line)) >= 0) {
        if (len == 0 || line[0] == '#') continue;
        char *sp1 = strchr(line, ' ');
        assert_non_null(sp1);
        char *num = sp1 + 1, *sp2 = strchr(num, ' ');
        assert_non_null(sp2);
        *sp1 = *sp2 = 0;
        unsigned long idx = strtoul(num, NULL, 10);
        const char *hex = sp2 + 1;
        if (strcmp(line, "leaf") == 0) {
            assert_int_equal(idx, nleaves);
            assert_true(nleaves < VECTOR_LEAVES_MAX);
            l.len[nleaves] = tu_unhex(hex, l.data[nleaves], LEAF_DATA_MAX);
            nleaves++;
        } else if (strcmp(line, "root") == 0) {
            uint8_t want[H], got[H], naive[H];
            assert_int_equal(tu_unhex(hex, want, H), H);
            assert_true(idx <= nleaves);
            assert_int_equal(merkle_root(small_get, &l, idx, got), CF_OK);
            assert_memory_equal(got, want, H);
            mth(&l, 0, idx, naive);
            assert_memory_equal(naive, want, H);
            merkle_stream st;
            merkle_stream_init(&st);
            for (size_t i = 0; i < idx; i++) {
                uint8_t leaf[H], done[65][H];
                unsigned nd;
                merkle_leaf_hash(l.data[i], l.len[i], leaf);
                merkle_stream_push(&st, leaf, done, &nd);
            }
            merkle_stream_root(&st, got);
            assert_memory_equal(got, want, H);
            nroots++;
        } else {
            fail_msg("unknown vector line %s", line);
        }
    }
    fclose(f);
    assert_int_equal(nleaves, 8);
    assert_int_equal(nroots, 9);
}

static void test_empty_and_hashes(void **state)
{
    (void)state;
    uint8_t e[H], want[H], leaf[H];
    merkle_empty_root(e);
    tu_unhex("e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855", want, H);
    assert_memory_equal(e, want, H);
    /* Leaf of the empty string is SHA-256(0x00). */
    merkle_leaf_hash(NULL, 0, leaf);
    tu_unhex("6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d", want, H);
    assert_memory_equal(leaf, want, H);
    leaves l;
    make_leaves(&l, 1);
    assert_int_equal(merkle_root(small_get, &l, 0, e), CF_OK);
    merkle_empty_root(want);
    assert_memory_equal(e, want, H);
}

/* ---- exhaustive small trees --------------------------------------------- */

/* Values to put in place of v: every one in 0..hi for small trees, else the
 * neighbourhood of v, the ends and a few powers of two (the exhaustive
 * version costs ~10^7 hashes for little more coverage). */
#define CHANGED_ALL_MAX 24
#define CHANGED_MAX (CHANGED_ALL_MAX + 2)
static size_t changed_values(uint64_t v, uint64_t hi, uint64_t out[CHANGED_MAX])
{
    size_t n = 0;
    if (hi > SMALL_SIZE_MAX + 1) hi = SMALL_SIZE_MAX + 1;
    if (hi <= CHANGED_ALL_MAX) {
        for (uint64_t x = 0; x <= hi; x++) out[n++] = x;
        return n;
    }
    static const int64_t near[] = {-3, -2, -1, 1, 2, 3};
    for (size_t i = 0; i < sizeof near / sizeof near[0]; i++) {
        int64_t x = (int64_t)v + near[i];
        if (x >= 0 && (uint64_t)x <= hi) out[n++] = (uint64_t)x;
    }
    static const uint64_t fixed[] = {0, 1, 2, 3, 4, 8, 16, 32, 64};
    for (size_t i = 0; i < sizeof fixed / sizeof fixed[0]; i++)
        if (fixed[i] <= hi) out[n++] = fixed[i];
    out[n++] = hi;
    out[n++] = v / 2;
    return n;
}

/* Expect the proof to fail, with the reference verifier agreeing. */
static void expect_incl_fail(const uint8_t *leaf, size_t leaf_len, uint64_t m,
                             uint64_t n, const uint8_t *proof, size_t plen,
                             const uint8_t *root, size_t root_len)
{
    int r = merkle_verify_inclusion(leaf, leaf_len, m, n, proof, plen, root,
                                    root_len);
    assert_true(r == CF_EPROOF_MISMATCH || r == CF_EPROOF_LEN ||
                r == CF_EHASH_LEN || r == CF_ETREE_RANGE);
}

/* Changed (index, size). Against the root of the changed size (when this
 * tree has one) the proof must fail: it cannot pass for another position or
 * another tree. Against the original root the result must match the reference
 * verifier, and a changed index in the same tree must fail; a changed size
 * may verify, because a proof only fixes the left/right turns, which other
 * (index, size) pairs share (leaf 0 of 3 and leaf 0 of 4; leaf 2 of 3 and
 * leaf 1 of 2) — the signed checkpoint is what binds the size. Returns 1 for
 * such an accepted alias. */
static unsigned incl_changed(const leaves *l, const uint8_t *leaf, uint64_t m,
                             uint64_t n, uint64_t m2, uint64_t n2,
                             const uint8_t *proof, size_t cnt,
                             const uint8_t *root)
{
    if (m2 == m && n2 == n) return 0;
    if (n2 >= 1 && n2 <= SMALL_SIZE_MAX) {
        const uint8_t *root2 = memo_root(l, n2);
        assert_int_not_equal(merkle_verify_inclusion(leaf, H, m2, n2, proof,
                                                     cnt * H, root2, H),
                             CF_OK);
    }
    int r = merkle_verify_inclusion(leaf, H, m2, n2, proof, cnt * H, root, H);
    int ref = ref_verify_inclusion(leaf, m2, n2, proof, cnt, root);
    assert_int_equal(r == CF_OK, ref == 0);
    if (n2 == n) assert_int_not_equal(r, CF_OK);
    return r == CF_OK;
}

static void check_inclusion(const leaves *l, uint64_t m, uint64_t n,
                            const uint8_t root[H], unsigned *size_aliases)
{
    uint8_t proof[MERKLE_PROOF_MAX + 1][H], naive[MERKLE_PROOF_MAX][H];
    uint8_t leaf[H], bad[(MERKLE_PROOF_MAX + 1) * H];
    size_t cnt = 0, ncnt = 0;
    assert_int_equal(merkle_inclusion_proof(small_get, (void *)l, m, n, proof,
                                            &cnt),
                     CF_OK);
    naive_path(l, (size_t)m, 0, (size_t)n, naive, &ncnt);
    assert_int_equal(cnt, ncnt);
    assert_int_equal(cnt, merkle_inclusion_proof_len(m, n));
    if (cnt) assert_memory_equal(proof, naive, cnt * H);
    mth(l, (size_t)m, (size_t)m + 1, leaf);
    const uint8_t *p = &proof[0][0];
    assert_int_equal(merkle_verify_inclusion(leaf, H, m, n, p, cnt * H, root, H),
                     CF_OK);
    assert_int_equal(ref_verify_inclusion(leaf, m, n, p, cnt, root), 0);

    /* Any altered hash: each proof hash, the leaf, the root. */
    memcpy(bad, p, cnt * H);
    for (size_t i = 0; i < cnt; i++) {
        bad[i * H + (i % H)] ^= 0x01;
        assert_int_equal(merkle_verify_inclusion(leaf, H, m, n, bad, cnt * H,
                                                 root, H),
                         CF_EPROOF_MISMATCH);
        bad[i * H + (i % H)] ^= 0x01;
    }
    uint8_t leaf2[H], root2[H];
    memcpy(leaf2, leaf, H);
    leaf2[H - 1] ^= 0x80;
    memcpy(root2, root, H);
    root2[0] ^= 0x80;
    assert_int_equal(merkle_verify_inclusion(leaf2, H, m, n, p, cnt * H, root, H),
                     CF_EPROOF_MISMATCH);
    assert_int_equal(merkle_verify_inclusion(leaf, H, m, n, p, cnt * H, root2, H),
                     CF_EPROOF_MISMATCH);
    /* Swapped sibling order (where two hashes exist). */
    if (cnt >= 2) {
        memcpy(bad, p + H, H);
        memcpy(bad + H, p, H);
        expect_incl_fail(leaf, H, m, n, bad, cnt * H, root, H);
        memcpy(bad, p, 2 * H);
    }
    /* One hash dropped (each position) or added (each position). */
    for (size_t i = 0; i < cnt; i++) {
        memcpy(bad, p, i * H);
        memcpy(bad + i * H, p + (i + 1) * H, (cnt - i - 1) * H);
        assert_int_equal(merkle_verify_inclusion(leaf, H, m, n, bad,
                                                 (cnt - 1) * H, root, H),
                         CF_EPROOF_LEN);
    }
    for (size_t i = 0; i <= cnt; i++) {
        memcpy(bad, p, i * H);
        memcpy(bad + i * H, root, H);
        memcpy(bad + (i + 1) * H, p + i * H, (cnt - i) * H);
        assert_int_equal(merkle_verify_inclusion(leaf, H, m, n, bad,
                                                 (cnt + 1) * H, root, H),
                         CF_EPROOF_LEN);
    }
    /* A proof that is not a whole number of hashes. */
    if (cnt) {
        assert_int_equal(merkle_verify_inclusion(leaf, H, m, n, p, cnt * H - 1,
                                                 root, H),
                         CF_EPROOF_LEN);
    }
    assert_int_equal(merkle_verify_inclusion(leaf, H, m, n, p, cnt * H + 1,
                                             root, H),
                     CF_EPROOF_LEN);
    /* 31- and 33-byte hashes. */
    uint8_t big[H + 1];
    memcpy(big, leaf, H);
    big[H] = 0;
    assert_int_equal(merkle_verify_inclusion(leaf, H - 1, m, n, p, cnt * H,
                                             root, H),
                     CF_EHASH_LEN);
    assert_int_equal(merkle_verify_inclusion(big, H + 1, m, n, p, cnt * H,
                                             root, H),
                     CF_EHASH_LEN);
    memcpy(big, root, H);
    assert_int_equal(merkle_verify_inclusion(leaf, H, m, n, p, cnt * H, root,
                                             H - 1),
                     CF_EHASH_LEN);
    assert_int_equal(merkle_verify_inclusion(leaf, H, m, n, p, cnt * H, big,
                                             H + 1),
                     CF_EHASH_LEN);
    /* Changed index, changed size. */
    uint64_t alt[CHANGED_MAX];
    size_t nalt = changed_values(m, n, alt);
    for (size_t i = 0; i < nalt; i++)
        *size_aliases += incl_changed(l, leaf, m, n, alt[i], n, p, cnt, root);
    nalt = changed_values(n, 2 * n + 1, alt);
    for (size_t i = 0; i < nalt; i++)
        *size_aliases += incl_changed(l, leaf, m, n, m, alt[i], p, cnt, root);
    *size_aliases += incl_changed(l, leaf, m, n, m, UINT64_MAX, p, cnt, root);
    *size_aliases += incl_changed(l, leaf, m, n, m + 1, n + 1, p, cnt, root);
    if (m) *size_aliases += incl_changed(l, leaf, m, n, m - 1, n - 1, p, cnt, root);
}

/* Changed (old, new): as incl_changed. Against the genuine roots of the
 * changed sizes the proof must fail unless it is also the genuine proof for
 * them (an empty proof is the proof for every old == new). */
static unsigned cons_changed(const leaves *l, uint64_t m, uint64_t n,
                             uint64_t m2, uint64_t n2, const uint8_t *oldr,
                             const uint8_t *newr, const uint8_t *proof,
                             size_t cnt)
{
    if (m2 == m && n2 == n) return 0;
    if (m2 >= 1 && m2 <= n2 && n2 <= SMALL_SIZE_MAX) {
        const uint8_t *o2 = memo_root(l, m2), *nw2 = memo_root(l, n2);
        size_t gcnt;
        const uint8_t *genuine = memo_subproof(l, m2, n2, &gcnt);
        int same = gcnt == cnt && (cnt == 0 || !memcmp(genuine, proof, cnt * H));
        int r2 = merkle_verify_consistency(m2, n2, o2, H, nw2, H, proof, cnt * H);
        assert_int_equal(r2 == CF_OK, same);
    }
    int r = merkle_verify_consistency(m2, n2, oldr, H, newr, H, proof, cnt * H);
    int ref = ref_verify_consistency(m2, n2, oldr, newr, proof, cnt);
    assert_int_equal(r == CF_OK, ref == 0);
    return r == CF_OK;
}

static void check_consistency(const leaves *l, uint64_t m, uint64_t n,
                              unsigned *size_aliases)
{
    uint8_t proof[MERKLE_PROOF_MAX][H], oldr[H], newr[H];
    uint8_t bad[(MERKLE_PROOF_MAX + 1) * H];
    size_t cnt = 0, ncnt = 0;
    assert_int_equal(merkle_consistency_proof(small_get, (void *)l, m, n, proof,
                                              &cnt),
                     CF_OK);
    const uint8_t *naive = memo_subproof(l, m, n, &ncnt);
    assert_int_equal(cnt, ncnt);
    assert_int_equal(cnt, merkle_consistency_proof_len(m, n));
    if (cnt) assert_memory_equal(proof, naive, cnt * H);
    memcpy(oldr, memo_root(l, m), H);
    memcpy(newr, memo_root(l, n), H);
    const uint8_t *p = &proof[0][0];
    assert_int_equal(merkle_verify_consistency(m, n, oldr, H, newr, H, p, cnt * H),
                     CF_OK);
    assert_int_equal(ref_verify_consistency(m, n, oldr, newr, p, cnt), 0);

    memcpy(bad, p, cnt * H);
    for (size_t i = 0; i < cnt; i++) {
        bad[i * H + (i % H)] ^= 0x01;
        assert_int_equal(merkle_verify_consistency(m, n, oldr, H, newr, H, bad,
                                                   cnt * H),
                         CF_EPROOF_MISMATCH);
        bad[i * H + (i % H)] ^= 0x01;
    }
    uint8_t o2[H], n2r[H];
    memcpy(o2, oldr, H);
    o2[3] ^= 0x10;
    memcpy(n2r, newr, H);
    n2r[5] ^= 0x10;
    assert_int_equal(merkle_verify_consistency(m, n, o2, H, newr, H, p, cnt * H),
                     CF_EPROOF_MISMATCH);
    assert_int_equal(merkle_verify_consistency(m, n, oldr, H, n2r, H, p, cnt * H),
                     CF_EPROOF_MISMATCH);
    for (size_t i = 0; i < cnt; i++) {
        memcpy(bad, p, i * H);
        memcpy(bad + i * H, p + (i + 1) * H, (cnt - i - 1) * H);
        assert_int_equal(merkle_verify_consistency(m, n, oldr, H, newr, H, bad,
                                                   (cnt - 1) * H),
                         CF_EPROOF_LEN);
    }
    for (size_t i = 0; i <= cnt; i++) {
        memcpy(bad, p, i * H);
        memcpy(bad + i * H, oldr, H);
        memcpy(bad + (i + 1) * H, p + i * H, (cnt - i) * H);
        assert_int_equal(merkle_verify_consistency(m, n, oldr, H, newr, H, bad,
                                                   (cnt + 1) * H),
                         CF_EPROOF_LEN);
    }
    assert_int_equal(merkle_verify_consistency(m, n, oldr, H, newr, H, p,
                                               cnt * H + 1),
                     CF_EPROOF_LEN);
    uint8_t big[H + 1] = {0};
    memcpy(big, oldr, H);
    assert_int_equal(merkle_verify_consistency(m, n, oldr, H - 1, newr, H, p,
                                               cnt * H),
                     CF_EHASH_LEN);
    assert_int_equal(merkle_verify_consistency(m, n, big, H + 1, newr, H, p,
                                               cnt * H),
                     CF_EHASH_LEN);
    memcpy(big, newr, H);
    assert_int_equal(merkle_verify_consistency(m, n, oldr, H, newr, H - 1, p,
                                               cnt * H),
                     CF_EHASH_LEN);
    assert_int_equal(merkle_verify_consistency(m, n, oldr, H, big, H + 1, p,
                                               cnt * H),
                     CF_EHASH_LEN);
    /* Changed sizes (same roots, same proof). */
    uint64_t alt[CHANGED_MAX];
    size_t nalt = changed_values(m, n + 1, alt);
    for (size_t i = 0; i < nalt; i++)
        *size_aliases += cons_changed(l, m, n, alt[i], n, oldr, newr, p, cnt);
    nalt = changed_values(n, 2 * n + 1, alt);
    for (size_t i = 0; i < nalt; i++)
        *size_aliases += cons_changed(l, m, n, m, alt[i], oldr, newr, p, cnt);
    *size_aliases += cons_changed(l, m, n, m + 1, n + 1, oldr, newr, p, cnt);
    *size_aliases += cons_changed(l, m, n, m, UINT64_MAX, oldr, newr, p, cnt);
}

static void test_exhaustive_small(void **state)
{
    (void)state;
    leaves l;
    unsigned incl = 0, cons = 0, incl_alias = 0, cons_alias = 0;
    make_leaves(&l, SMALL_SIZE_MAX);
    g_memo = calloc(1, sizeof *g_memo);
    assert_non_null(g_memo);
    g_memo->l = &l;
    for (uint64_t n = 1; n <= SMALL_SIZE_MAX; n++) {
        uint8_t root[H], naive[H];
        assert_int_equal(merkle_root(small_get, &l, n, root), CF_OK);
        mth(&l, 0, (size_t)n, naive);
        assert_memory_equal(root, naive, H);
        for (uint64_t m = 0; m < n; m++, incl++)
            check_inclusion(&l, m, n, root, &incl_alias);
        for (uint64_t m = 1; m <= n; m++, cons++)
            check_consistency(&l, m, n, &cons_alias);
    }
    /* Changed-size proofs that still verify (in both verifiers): a proof
     * only fixes the left/right turns, shared by many sizes. */
    print_message("merkle: %u inclusion and %u consistency proofs checked; "
                  "changed sizes accepted by both verifiers: %u inclusion, "
                  "%u consistency\n",
                  incl, cons, incl_alias, cons_alias);
    free(g_memo);
    g_memo = NULL;
}

static void test_ranges(void **state)
{
    (void)state;
    leaves l;
    uint8_t proof[MERKLE_PROOF_MAX][H], h[H];
    size_t n = 99;
    make_leaves(&l, 4);
    assert_int_equal(merkle_inclusion_proof(small_get, &l, 4, 4, proof, &n),
                     CF_ETREE_RANGE);
    assert_int_equal(n, 0);
    assert_int_equal(merkle_inclusion_proof(small_get, &l, 0, 0, proof, &n),
                     CF_ETREE_RANGE);
    assert_int_equal(merkle_consistency_proof(small_get, &l, 0, 4, proof, &n),
                     CF_ETREE_RANGE);
    assert_int_equal(merkle_consistency_proof(small_get, &l, 5, 4, proof, &n),
                     CF_ETREE_RANGE);
    n = 99;
    assert_int_equal(merkle_consistency_proof(small_get, &l, 4, 4, proof, &n),
                     CF_OK);
    assert_int_equal(n, 0);
    assert_int_equal(merkle_inclusion_proof_len(4, 4), 0);
    assert_int_equal(merkle_inclusion_proof_len(0, 1), 0);
    assert_int_equal(merkle_inclusion_proof_len(0, UINT64_MAX), 64);
    assert_int_equal(merkle_inclusion_proof_len(UINT64_MAX - 1, UINT64_MAX), 63);
    assert_int_equal(merkle_inclusion_proof_len(1, 3), 2);
    assert_int_equal(merkle_inclusion_proof_len(2, 3), 1);
    assert_int_equal(merkle_consistency_proof_len(0, 4), 0);
    assert_int_equal(merkle_consistency_proof_len(4, 4), 0);
    assert_int_equal(merkle_consistency_proof_len(5, 4), 0);
    merkle_leaf_hash(NULL, 0, h);
    assert_int_equal(merkle_verify_inclusion(h, H, 1, 1, NULL, 0, h, H),
                     CF_ETREE_RANGE);
    assert_int_equal(merkle_verify_consistency(0, 1, h, H, h, H, NULL, 0),
                     CF_ETREE_RANGE);
    assert_int_equal(merkle_verify_consistency(2, 1, h, H, h, H, NULL, 0),
                     CF_ETREE_RANGE);
    assert_int_equal(merkle_verify_inclusion(h, H, 0, 1, NULL, 0, h, H), CF_OK);
    /* Same size: empty proof and equal roots. */
    assert_int_equal(merkle_verify_consistency(3, 3, h, H, h, H, NULL, 0), CF_OK);
    assert_int_equal(merkle_verify_consistency(3, 3, h, H, h, H, h, H),
                     CF_EPROOF_LEN);
    uint8_t h2[H];
    memcpy(h2, h, H);
    h2[0] ^= 1;
    assert_int_equal(merkle_verify_consistency(3, 3, h, H, h2, H, NULL, 0),
                     CF_EPROOF_MISMATCH);
}

static int failing_get(void *ctx, unsigned level, uint64_t index, uint8_t out[H])
{
    unsigned *budget = ctx;
    (void)level, (void)index;
    if (*budget == 0) return CF_EIO;
    (*budget)--;
    memset(out, 0x5a, H);
    return CF_OK;
}

static void test_callback_error(void **state)
{
    (void)state;
    uint8_t proof[MERKLE_PROOF_MAX][H], root[H];
    size_t n;
    for (unsigned b = 0; b < 6; b++) {
        unsigned budget = b;
        int r = merkle_inclusion_proof(failing_get, &budget, 5, 1000, proof, &n);
        assert_int_equal(r, CF_EIO);
        assert_int_equal(n, 0);
        budget = b;
        assert_int_equal(merkle_consistency_proof(failing_get, &budget, 7, 1000,
                                                  proof, &n),
                         CF_EIO);
        budget = b;
        assert_int_equal(merkle_root(failing_get, &budget, 1023, root), CF_EIO);
        merkle_stream st;
        budget = b;
        assert_int_equal(merkle_stream_load(&st, failing_get, &budget, 1023),
                         CF_EIO);
    }
}

/* ---- the stream ----------------------------------------------------------- */

static void test_stream(void **state)
{
    (void)state;
    leaves l;
    merkle_stream st;
    make_leaves(&l, SMALL_SIZE_MAX);
    merkle_stream_init(&st);
    uint8_t root[H], sroot[H];
    merkle_stream_root(&st, sroot);
    merkle_empty_root(root);
    assert_memory_equal(sroot, root, H);
    for (uint64_t i = 0; i < SMALL_SIZE_MAX; i++) {
        uint8_t leaf[H], done[65][H], want[H];
        unsigned nd, t = 0;
        while ((i >> t) & 1) t++;
        mth(&l, (size_t)i, (size_t)i + 1, leaf);
        merkle_stream_push(&st, leaf, done, &nd);
        assert_int_equal(nd, t + 1);
        for (unsigned h = 0; h < nd; h++) {
            uint64_t first = i + 1 - ((uint64_t)1 << h);
            mth(&l, (size_t)first, (size_t)(i + 1), want);
            assert_memory_equal(done[h], want, H);
        }
        merkle_stream_root(&st, sroot);
        assert_int_equal(merkle_root(small_get, &l, i + 1, root), CF_OK);
        assert_memory_equal(sroot, root, H);
        /* Loading the same size from the subtrees gives the same peaks. */
        merkle_stream ld;
        assert_int_equal(merkle_stream_load(&ld, small_get, &l, i + 1), CF_OK);
        assert_int_equal(ld.size, st.size);
        assert_int_equal(ld.npeaks, st.npeaks);
        assert_memory_equal(ld.peaks, st.peaks, (size_t)st.npeaks * H);
    }
}

int main(void)
{
    if (cf_crypto_init() != CF_OK) return 1;
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_vectors),
        cmocka_unit_test(test_empty_and_hashes),
        cmocka_unit_test(test_exhaustive_small),
        cmocka_unit_test(test_ranges),
        cmocka_unit_test(test_callback_error),
        cmocka_unit_test(test_stream),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
