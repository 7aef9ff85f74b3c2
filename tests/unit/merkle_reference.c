/* merkle_reference.c — RFC 6962 §2.1 written literally, and recursive
 * verifiers (merkle_reference.h). */
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

void make_leaves(leaves *l, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        l->len[i] = 1 + i % 8;
        for (size_t j = 0; j < l->len[i]; j++)
            l->data[i][j] = (uint8_t)(i * 31 + j * 7 + 1);
    }
}

uint64_t naive_k(uint64_t n)
{
    uint64_t k = 1;
    while (k < n - k) k <<= 1; /* largest power of two < n, n >= 2 */
    return k;
}

void mth(const leaves *l, size_t lo, size_t hi, uint8_t out[H])
{
    size_t n = hi - lo;
    if (n == 0) {
        cf_sha256("", 0, out);
        return;
    }
    if (n == 1) {
        uint8_t buf[1 + LEAF_DATA_MAX];
        buf[0] = 0;
        memcpy(buf + 1, l->data[lo], l->len[lo]);
        cf_sha256(buf, 1 + l->len[lo], out);
        return;
    }
    size_t k = (size_t)naive_k(n);
    uint8_t buf[1 + 2 * H];
    buf[0] = 1;
    mth(l, lo, lo + k, buf + 1);
    mth(l, lo + k, hi, buf + 1 + H);
    cf_sha256(buf, sizeof buf, out);
}

void naive_path(const leaves *l, size_t m, size_t lo, size_t hi,
                       uint8_t proof[][H], size_t *n)
{
    size_t len = hi - lo;
    if (len <= 1) return;
    size_t k = (size_t)naive_k(len);
    if (m < k) {
        naive_path(l, m, lo, lo + k, proof, n);
        mth(l, lo + k, hi, proof[(*n)++]);
    } else {
        naive_path(l, m - k, lo + k, hi, proof, n);
        mth(l, lo, lo + k, proof[(*n)++]);
    }
}

void naive_subproof(const leaves *l, size_t m, size_t lo, size_t hi,
                           int b, uint8_t proof[][H], size_t *n)
{
    size_t len = hi - lo;
    if (m == len) {
        if (!b) mth(l, lo, hi, proof[(*n)++]);
        return;
    }
    size_t k = (size_t)naive_k(len);
    if (m <= k) {
        naive_subproof(l, m, lo, lo + k, b, proof, n);
        mth(l, lo + k, hi, proof[(*n)++]);
    } else {
        naive_subproof(l, m - k, lo + k, hi, 0, proof, n);
        mth(l, lo, lo + k, proof[(*n)++]);
    }
}

int small_get(void *ctx, unsigned level, uint64_t index, uint8_t out[H])
{
    const leaves *l = ctx;
    size_t lo = (size_t)(index << level), hi = lo + ((size_t)1 << level);
    assert_true(hi <= SMALL_SIZE_MAX);
    mth(l, lo, hi, out);
    return CF_OK;
}

/* ---- recursive reference verifiers (mirror PATH and SUBPROOF) ----------- */

static void node(const uint8_t *l, const uint8_t *r, uint8_t out[H])
{
    merkle_node_hash(l, r, out);
}

/* Root implied by proof[0..cnt) for leaf m of a tree of n leaves, consuming
 * hashes from the end; -1 when the proof is too short or long. */
static int ref_path_root(uint64_t m, uint64_t n, const uint8_t *leaf,
                         const uint8_t *proof, size_t *cnt, uint8_t out[H])
{
    if (n == 1) {
        memcpy(out, leaf, H);
        return 0;
    }
    if (*cnt == 0) return -1;
    const uint8_t *sib = proof + (--*cnt) * H;
    uint64_t k = naive_k(n);
    uint8_t sub[H];
    if (m < k) {
        if (ref_path_root(m, k, leaf, proof, cnt, sub)) return -1;
        node(sub, sib, out);
    } else {
        if (ref_path_root(m - k, n - k, leaf, proof, cnt, sub)) return -1;
        node(sib, sub, out);
    }
    return 0;
}

int ref_verify_inclusion(const uint8_t *leaf, uint64_t m, uint64_t n,
                                const uint8_t *proof, size_t nhashes,
                                const uint8_t *root)
{
    uint8_t r[H];
    size_t cnt = nhashes;
    if (m >= n) return -1;
    if (ref_path_root(m, n, leaf, proof, &cnt, r) || cnt != 0) return -1;
    return memcmp(r, root, H) == 0 ? 0 : -1;
}

/* (old subtree hash, new subtree hash) implied by a SUBPROOF. */
static int ref_sub(uint64_t m, uint64_t n, int b, const uint8_t *old_root,
                   const uint8_t *proof, size_t *cnt, uint8_t o[H],
                   uint8_t nw[H])
{
    if (m == n) {
        if (b) {
            memcpy(o, old_root, H);
        } else {
            if (*cnt == 0) return -1;
            memcpy(o, proof + (--*cnt) * H, H);
        }
        memcpy(nw, o, H);
        return 0;
    }
    if (*cnt == 0) return -1;
    const uint8_t *x = proof + (--*cnt) * H;
    uint64_t k = naive_k(n);
    uint8_t so[H], sn[H];
    if (m <= k) {
        if (ref_sub(m, k, b, old_root, proof, cnt, so, sn)) return -1;
        memcpy(o, so, H);
        node(sn, x, nw);
    } else {
        if (ref_sub(m - k, n - k, 0, old_root, proof, cnt, so, sn)) return -1;
        node(x, so, o);
        node(x, sn, nw);
    }
    return 0;
}

int ref_verify_consistency(uint64_t m, uint64_t n, const uint8_t *oldr,
                                  const uint8_t *newr, const uint8_t *proof,
                                  size_t nhashes)
{
    uint8_t o[H], nw[H];
    size_t cnt = nhashes;
    if (m == 0 || m > n) return -1;
    if (m == n) return nhashes == 0 && memcmp(oldr, newr, H) == 0 ? 0 : -1;
    if (ref_sub(m, n, 1, oldr, proof, &cnt, o, nw) || cnt != 0) return -1;
    return memcmp(o, oldr, H) == 0 && memcmp(nw, newr, H) == 0 ? 0 : -1;
}
