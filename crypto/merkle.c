/* merkle.c — RFC 6962 Merkle trees; the contract is in merkle.h.
 *
 * Layout: hashing, sizes and ranges, roots, proof generation (RFC 6962 §2.1.1
 * PATH and §2.1.2 SUBPROOF, recursive over (start, length) ranges), proof
 * lengths, verification (the iterative algorithms of RFC 9162 §2.1.3.2 and
 * §2.1.4.2), then the append stream.
 *
 * Every range the RFC recursion visits starts at a multiple of the largest
 * power of two not above its length, so its root is the fold of at most 64
 * perfect subtrees that the callback supplies. Only the first left turn off
 * the tree's right edge meets a range that is not perfect; hence a proof costs
 * at most 64 + 64 callback calls. Sizes go up to 2^64 - 1: no shift is ever by
 * 64 and no start + length exceeds the size it came from.
 */
#include "merkle.h"

#include <string.h>

#include "cf_error.h"
#include "cf_util.h"

_Static_assert(MERKLE_HASH_BYTES == CF_SHA256_BYTES, "Merkle hash is SHA-256");

/* RFC 6962 §2.1 domain separation prefixes. */
#define LEAF_PREFIX 0x00
#define NODE_PREFIX 0x01

/* ---- Hashing ------------------------------------------------------------- */

void merkle_leaf_hash(const uint8_t *data, size_t len,
                      uint8_t out[MERKLE_HASH_BYTES])
{
    static const uint8_t prefix = LEAF_PREFIX;
    cf_sha256_ctx c;
    CF_ASSERT(data != NULL || len == 0);
    cf_sha256_init(&c);
    cf_sha256_update(&c, &prefix, 1);
    if (len) cf_sha256_update(&c, data, len);
    cf_sha256_final(&c, out);
}

void merkle_node_hash(const uint8_t left[MERKLE_HASH_BYTES],
                      const uint8_t right[MERKLE_HASH_BYTES],
                      uint8_t out[MERKLE_HASH_BYTES])
{
    /* One buffer and one call: cheaper than three updates, and left/right may
     * alias out. */
    uint8_t buf[1 + 2 * MERKLE_HASH_BYTES];
    buf[0] = NODE_PREFIX;
    memcpy(buf + 1, left, MERKLE_HASH_BYTES);
    memcpy(buf + 1 + MERKLE_HASH_BYTES, right, MERKLE_HASH_BYTES);
    cf_sha256(buf, sizeof buf, out);
}

void merkle_empty_root(uint8_t out[MERKLE_HASH_BYTES])
{
    cf_sha256("", 0, out);
}

/* ---- Sizes and ranges ---------------------------------------------------- */

/* Largest power of two strictly below n, for n >= 2 (at most 2^63). */
static uint64_t split_point(uint64_t n)
{
    CF_ASSERT(n >= 2);
    uint64_t x = n - 1;
    unsigned b = 0;
    while (x >> 1) {
        x >>= 1;
        b++;
    }
    return (uint64_t)1 << b;
}

/* Root of leaves [start, start + len), len >= 1, start a multiple of the
 * largest power of two <= len: the fold, right to left, of one perfect subtree
 * per set bit of len. */
static int range_root(merkle_subtree_fn get, void *ctx, uint64_t start,
                      uint64_t len, uint8_t out[MERKLE_HASH_BYTES])
{
    uint8_t h[MERKLE_HASH_BYTES];
    int have = 0, r;
    CF_ASSERT(len >= 1);
    for (unsigned b = 0; b < 64; b++) {
        uint64_t bit = (uint64_t)1 << b;
        if (!(len & bit)) continue;
        /* Leaves of the larger subtrees to the left of this one; for b = 63
         * the mask is 0 (2 << 63 wraps to 0 in unsigned arithmetic). */
        uint64_t left = len & ~(((uint64_t)2 << b) - 1);
        uint64_t first = start + left;
        CF_ASSERT((first & (bit - 1)) == 0);
        if ((r = get(ctx, b, first >> b, have ? h : out)) != CF_OK) return r;
        if (have) merkle_node_hash(h, out, out);
        have = 1;
    }
    return CF_OK;
}

/* ---- Roots and proofs ---------------------------------------------------- */

int merkle_root(merkle_subtree_fn get, void *ctx, uint64_t size,
                uint8_t root[MERKLE_HASH_BYTES])
{
    if (get == NULL || root == NULL) return CF_EINVAL;
    if (size == 0) {
        merkle_empty_root(root);
        return CF_OK;
    }
    return range_root(get, ctx, 0, size, root);
}

/* RFC 6962 PATH(m, D[start : start + n]), appended deepest first. */
static int path(merkle_subtree_fn get, void *ctx, uint64_t m, uint64_t start,
                uint64_t n, uint8_t proof[][MERKLE_HASH_BYTES], size_t *cnt)
{
    int r;
    if (n == 1) return CF_OK;
    CF_ASSERT(*cnt < MERKLE_PROOF_MAX);
    uint64_t k = split_point(n);
    if (m < k) {
        if ((r = path(get, ctx, m, start, k, proof, cnt)) != CF_OK) return r;
        r = range_root(get, ctx, start + k, n - k, proof[*cnt]);
    } else {
        if ((r = path(get, ctx, m - k, start + k, n - k, proof, cnt)) != CF_OK)
            return r;
        r = range_root(get, ctx, start, k, proof[*cnt]);
    }
    if (r != CF_OK) return r;
    (*cnt)++;
    return CF_OK;
}

int merkle_inclusion_proof(merkle_subtree_fn get, void *ctx, uint64_t index,
                           uint64_t size,
                           uint8_t proof[][MERKLE_HASH_BYTES], size_t *n)
{
    if (get == NULL || proof == NULL || n == NULL) return CF_EINVAL;
    *n = 0;
    if (index >= size) return CF_ETREE_RANGE;
    size_t cnt = 0;
    int r = path(get, ctx, index, 0, size, proof, &cnt);
    if (r == CF_OK) *n = cnt;
    return r;
}

/* RFC 6962 SUBPROOF(m, D[start : start + n], b), appended deepest first. */
static int subproof(merkle_subtree_fn get, void *ctx, uint64_t m,
                    uint64_t start, uint64_t n, int complete,
                    uint8_t proof[][MERKLE_HASH_BYTES], size_t *cnt)
{
    int r;
    CF_ASSERT(*cnt < MERKLE_PROOF_MAX);
    if (m == n) {
        if (complete) return CF_OK;
        r = range_root(get, ctx, start, n, proof[*cnt]);
    } else {
        uint64_t k = split_point(n);
        if (m <= k) {
            r = subproof(get, ctx, m, start, k, complete, proof, cnt);
            if (r != CF_OK) return r;
            r = range_root(get, ctx, start + k, n - k, proof[*cnt]);
        } else {
            r = subproof(get, ctx, m - k, start + k, n - k, 0, proof, cnt);
            if (r != CF_OK) return r;
            r = range_root(get, ctx, start, k, proof[*cnt]);
        }
    }
    if (r != CF_OK) return r;
    (*cnt)++;
    return CF_OK;
}

int merkle_consistency_proof(merkle_subtree_fn get, void *ctx,
                             uint64_t old_size, uint64_t new_size,
                             uint8_t proof[][MERKLE_HASH_BYTES], size_t *n)
{
    if (get == NULL || proof == NULL || n == NULL) return CF_EINVAL;
    *n = 0;
    if (old_size == 0 || old_size > new_size) return CF_ETREE_RANGE;
    if (old_size == new_size) return CF_OK;
    size_t cnt = 0;
    int r = subproof(get, ctx, old_size, 0, new_size, 1, proof, &cnt);
    if (r == CF_OK) *n = cnt;
    return r;
}

/* ---- Proof lengths: the recursions above without the hashing ------------- */

size_t merkle_inclusion_proof_len(uint64_t index, uint64_t size)
{
    size_t cnt = 0;
    if (index >= size) return 0;
    while (size > 1) {
        uint64_t k = split_point(size);
        if (index < k) {
            size = k;
        } else {
            index -= k;
            size -= k;
        }
        cnt++;
    }
    return cnt;
}

size_t merkle_consistency_proof_len(uint64_t old_size, uint64_t new_size)
{
    size_t cnt = 0;
    int complete = 1;
    if (old_size == 0 || old_size >= new_size) return 0;
    while (old_size != new_size) {
        uint64_t k = split_point(new_size);
        if (old_size <= k) {
            new_size = k;
        } else {
            old_size -= k;
            new_size -= k;
            complete = 0;
        }
        cnt++;
    }
    return cnt + (complete ? 0 : 1);
}

/* ---- Verification -------------------------------------------------------- */

int merkle_verify_inclusion(const uint8_t *leaf_hash, size_t leaf_hash_len,
                            uint64_t index, uint64_t size,
                            const uint8_t *proof, size_t proof_len,
                            const uint8_t *root, size_t root_len)
{
    uint8_t r[MERKLE_HASH_BYTES];
    if (leaf_hash == NULL || root == NULL || (proof == NULL && proof_len))
        return CF_EINVAL;
    if (leaf_hash_len != MERKLE_HASH_BYTES || root_len != MERKLE_HASH_BYTES)
        return CF_EHASH_LEN;
    if (index >= size) return CF_ETREE_RANGE;
    size_t want = merkle_inclusion_proof_len(index, size);
    if (proof_len % MERKLE_HASH_BYTES != 0 ||
        proof_len / MERKLE_HASH_BYTES != want)
        return CF_EPROOF_LEN;

    /* RFC 9162 §2.1.3.2. */
    uint64_t fn = index, sn = size - 1;
    memcpy(r, leaf_hash, MERKLE_HASH_BYTES);
    for (size_t i = 0; i < want; i++) {
        const uint8_t *p = proof + i * MERKLE_HASH_BYTES;
        if (sn == 0) return CF_EPROOF_LEN; /* unreachable: length checked */
        if ((fn & 1) || fn == sn) {
            merkle_node_hash(p, r, r);
            if (!(fn & 1)) {
                while (fn != 0 && !(fn & 1)) {
                    fn >>= 1;
                    sn >>= 1;
                }
            }
        } else {
            merkle_node_hash(r, p, r);
        }
        fn >>= 1;
        sn >>= 1;
    }
    if (sn != 0) return CF_EPROOF_LEN; /* unreachable: length checked */
    return memcmp(r, root, MERKLE_HASH_BYTES) == 0 ? CF_OK : CF_EPROOF_MISMATCH;
}

int merkle_verify_consistency(uint64_t old_size, uint64_t new_size,
                              const uint8_t *old_root, size_t old_root_len,
                              const uint8_t *new_root, size_t new_root_len,
                              const uint8_t *proof, size_t proof_len)
{
    uint8_t fr[MERKLE_HASH_BYTES], sr[MERKLE_HASH_BYTES];
    if (old_root == NULL || new_root == NULL || (proof == NULL && proof_len))
        return CF_EINVAL;
    if (old_root_len != MERKLE_HASH_BYTES || new_root_len != MERKLE_HASH_BYTES)
        return CF_EHASH_LEN;
    if (old_size == 0 || old_size > new_size) return CF_ETREE_RANGE;
    size_t want = merkle_consistency_proof_len(old_size, new_size);
    if (proof_len % MERKLE_HASH_BYTES != 0 ||
        proof_len / MERKLE_HASH_BYTES != want)
        return CF_EPROOF_LEN;
    if (old_size == new_size)
        return memcmp(old_root, new_root, MERKLE_HASH_BYTES) == 0
                   ? CF_OK
                   : CF_EPROOF_MISMATCH;

    /* RFC 9162 §2.1.4.2. When old_size is a power of two the old root is the
     * (implicit) first element of the path. */
    size_t i = 0;
    const uint8_t *seed;
    if ((old_size & (old_size - 1)) == 0) {
        seed = old_root;
    } else {
        seed = proof;
        i = 1;
    }
    uint64_t fn = old_size - 1, sn = new_size - 1;
    while (fn & 1) {
        fn >>= 1;
        sn >>= 1;
    }
    memcpy(fr, seed, MERKLE_HASH_BYTES);
    memcpy(sr, seed, MERKLE_HASH_BYTES);
    for (; i < want; i++) {
        const uint8_t *c = proof + i * MERKLE_HASH_BYTES;
        if (sn == 0) return CF_EPROOF_LEN; /* unreachable: length checked */
        if ((fn & 1) || fn == sn) {
            merkle_node_hash(c, fr, fr);
            merkle_node_hash(c, sr, sr);
            if (!(fn & 1)) {
                while (fn != 0 && !(fn & 1)) {
                    fn >>= 1;
                    sn >>= 1;
                }
            }
        } else {
            merkle_node_hash(sr, c, sr);
        }
        fn >>= 1;
        sn >>= 1;
    }
    if (sn != 0) return CF_EPROOF_LEN; /* unreachable: length checked */
    if (memcmp(fr, old_root, MERKLE_HASH_BYTES) != 0 ||
        memcmp(sr, new_root, MERKLE_HASH_BYTES) != 0)
        return CF_EPROOF_MISMATCH;
    return CF_OK;
}

/* ---- Append stream ------------------------------------------------------- */

void merkle_stream_init(merkle_stream *s)
{
    CF_ASSERT(s != NULL);
    s->size = 0;
    s->npeaks = 0;
}

int merkle_stream_load(merkle_stream *s, merkle_subtree_fn get, void *ctx,
                       uint64_t size)
{
    int r;
    if (s == NULL || get == NULL) return CF_EINVAL;
    merkle_stream_init(s);
    uint64_t first = 0;
    for (unsigned b = 64; b-- > 0;) {
        uint64_t bit = (uint64_t)1 << b;
        if (!(size & bit)) continue;
        if ((r = get(ctx, b, first >> b, s->peaks[s->npeaks])) != CF_OK) {
            merkle_stream_init(s);
            return r;
        }
        s->npeaks++;
        first += bit;
    }
    s->size = size;
    return CF_OK;
}

void merkle_stream_push(merkle_stream *s, const uint8_t leaf[MERKLE_HASH_BYTES],
                        uint8_t completed[65][MERKLE_HASH_BYTES],
                        unsigned *ncompleted)
{
    /* A tree of 2^64 leaves has no representable size. */
    CF_ASSERT(s->size != UINT64_MAX);
    unsigned t = 0;
    memcpy(completed[0], leaf, MERKLE_HASH_BYTES);
    while (t < 64 && ((s->size >> t) & 1)) {
        merkle_node_hash(s->peaks[s->npeaks - 1 - t], completed[t],
                         completed[t + 1]);
        t++;
    }
    s->npeaks -= t;
    memcpy(s->peaks[s->npeaks], completed[t], MERKLE_HASH_BYTES);
    s->npeaks++;
    s->size++;
    *ncompleted = t + 1;
}

void merkle_stream_root(const merkle_stream *s, uint8_t root[MERKLE_HASH_BYTES])
{
    if (s->npeaks == 0) {
        merkle_empty_root(root);
        return;
    }
    memcpy(root, s->peaks[s->npeaks - 1], MERKLE_HASH_BYTES);
    for (unsigned i = s->npeaks - 1; i-- > 0;)
        merkle_node_hash(s->peaks[i], root, root);
}
