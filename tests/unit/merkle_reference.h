/* merkle_reference.h — an independent reference for the test_merkle_* files:
 * RFC 6962 §2.1 written literally (MTH, PATH, SUBPROOF over an array of leaf
 * data) and recursive verifiers that mirror PATH and SUBPROOF, against which
 * the bit-twiddling code of crypto/merkle.c (RFC 9162 §2.1.3.2, §2.1.4.2) is
 * checked.
 */
#ifndef COFUND_MERKLE_REFERENCE_H
#define COFUND_MERKLE_REFERENCE_H

#include <stddef.h>
#include <stdint.h>

#include "crypto/merkle.h"

#define H MERKLE_HASH_BYTES
/* Exhaustive proofs for every tree size up to this one (RFC 6962 trees of
 * 64 leaves have every shape of depth <= 6). */
#define SMALL_SIZE_MAX 64
/* Leaf inputs: the vectors' longest is 16 bytes, ours at most 8. */
#define LEAF_DATA_MAX 16

typedef struct {
    uint8_t data[SMALL_SIZE_MAX][LEAF_DATA_MAX];
    size_t len[SMALL_SIZE_MAX];
} leaves;

/* n leaves of 1 to 8 bytes each. */
void make_leaves(leaves *l, size_t n);
/* The largest power of two smaller than n, n >= 2. */
uint64_t naive_k(uint64_t n);
/* MTH(D[lo:hi]) */
void mth(const leaves *l, size_t lo, size_t hi, uint8_t out[H]);
/* PATH(m, D[lo:hi]), appended at proof[*n]. */
void naive_path(const leaves *l, size_t m, size_t lo, size_t hi, uint8_t proof[][H], size_t *n);
/* SUBPROOF(m, D[lo:hi], b), appended at proof[*n]. */
void naive_subproof(const leaves *l, size_t m, size_t lo, size_t hi, int b, uint8_t proof[][H],
                    size_t *n);
/* A merkle_get_fn over leaves (ctx), computed with mth. */
int small_get(void *ctx, unsigned level, uint64_t index, uint8_t out[H]);

/* 0 when proof[0..nhashes) proves leaf m of a tree of n leaves with root;
 * -1 otherwise. */
int ref_verify_inclusion(const uint8_t *leaf, uint64_t m, uint64_t n, const uint8_t *proof,
                         size_t nhashes, const uint8_t *root);
/* 0 when proof[0..nhashes) proves that the tree of n leaves with root newr
 * extends the one of m leaves with root oldr; -1 otherwise. */
int ref_verify_consistency(uint64_t m, uint64_t n, const uint8_t *oldr, const uint8_t *newr,
                           const uint8_t *proof, size_t nhashes);

#endif
