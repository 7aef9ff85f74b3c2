/* merkle.h — RFC 6962 Merkle hash trees (SHA-256): roots, inclusion and
 * consistency proofs, and an append-only "stream" that yields each completed
 * perfect subtree as leaves are added.
 *
 *   leaf hash = SHA-256(0x00 || data)
 *   node hash = SHA-256(0x01 || left || right)
 *   MTH of n > 1 leaves splits at k, the largest power of two below n.
 *   The empty tree's root is SHA-256("").
 *
 * Storage-independent: the prover asks a callback for the hash of a perfect
 * (complete) subtree, identified by its height and position. Every tree of n
 * leaves decomposes into at most 64 perfect subtrees, so a root or a proof of
 * any past size costs O(log n) callback calls and no rebuild.
 */
#ifndef COFUND_MERKLE_H
#define COFUND_MERKLE_H

#include <stddef.h>
#include <stdint.h>

#define MERKLE_HASH_BYTES 32
/* A proof in a tree of at most 2^64 - 1 leaves has at most 64 hashes
 * (consistency proofs at most 2 * 64 in degenerate bounds; we use 128). */
#define MERKLE_PROOF_MAX 128

void merkle_leaf_hash(const uint8_t *data, size_t len,
                      uint8_t out[MERKLE_HASH_BYTES]);
void merkle_node_hash(const uint8_t left[MERKLE_HASH_BYTES],
                      const uint8_t right[MERKLE_HASH_BYTES],
                      uint8_t out[MERKLE_HASH_BYTES]);
void merkle_empty_root(uint8_t out[MERKLE_HASH_BYTES]);

/* Hash of the perfect subtree of height `level` (level 0 = a leaf hash)
 * covering leaves [index << level, (index + 1) << level). Returns CF_OK or an
 * error, which the caller passes on unchanged. */
typedef int (*merkle_subtree_fn)(void *ctx, unsigned level, uint64_t index,
                                 uint8_t out[MERKLE_HASH_BYTES]);

/* Generators return CF_OK, CF_EINVAL for NULL arguments, CF_ETREE_RANGE as
 * stated, or the callback's error unchanged (then *n is 0). They make at most
 * 64 (root) or 128 (proofs) callback calls. proof must hold MERKLE_PROOF_MAX
 * hashes. */

/* Root of the first `size` leaves. */
int merkle_root(merkle_subtree_fn get, void *ctx, uint64_t size,
                uint8_t root[MERKLE_HASH_BYTES]);

/* RFC 6962 §2.1.1 audit path for leaf `index` in the tree of `size` leaves,
 * written to proof[0..*n), leaf's sibling first. CF_ETREE_RANGE unless
 * index < size. */
int merkle_inclusion_proof(merkle_subtree_fn get, void *ctx, uint64_t index,
                           uint64_t size,
                           uint8_t proof[][MERKLE_HASH_BYTES], size_t *n);

/* RFC 6962 §2.1.2 consistency proof from old_size to new_size.
 * CF_ETREE_RANGE unless 0 < old_size <= new_size; the proof is empty when
 * old_size == new_size. */
int merkle_consistency_proof(merkle_subtree_fn get, void *ctx,
                             uint64_t old_size, uint64_t new_size,
                             uint8_t proof[][MERKLE_HASH_BYTES], size_t *n);

/* Verifiers take hashes as (pointer, byte length) because they come from
 * untrusted text: a hash that is not 32 bytes is CF_EHASH_LEN, a proof whose
 * byte length is not 32 * (the exact number of hashes this (index, size) or
 * (old, new) pair needs) is CF_EPROOF_LEN, a proof that does not lead to the
 * root is CF_EPROOF_MISMATCH. `proof` is the hashes concatenated. Checked in
 * that order, after CF_ETREE_RANGE for index >= size or for old_size == 0 or
 * old_size > new_size. For old_size == new_size the proof must be empty and
 * the roots equal.
 *
 * A proof binds the leaf's position only together with the size: the same
 * hashes can verify for another (index, size) pair with the same left/right
 * turns (leaf 0 of 3 and of 4), so the size must come from the signed
 * checkpoint whose root is used, never from the proof's sender. */
int merkle_verify_inclusion(const uint8_t *leaf_hash, size_t leaf_hash_len,
                            uint64_t index, uint64_t size,
                            const uint8_t *proof, size_t proof_len,
                            const uint8_t *root, size_t root_len);
int merkle_verify_consistency(uint64_t old_size, uint64_t new_size,
                              const uint8_t *old_root, size_t old_root_len,
                              const uint8_t *new_root, size_t new_root_len,
                              const uint8_t *proof, size_t proof_len);

/* Number of hashes in an inclusion proof for (index, size), or in a
 * consistency proof for (old, new); 0 for out-of-range arguments. */
size_t merkle_inclusion_proof_len(uint64_t index, uint64_t size);
size_t merkle_consistency_proof_len(uint64_t old_size, uint64_t new_size);

/* ---- Append stream -------------------------------------------------------
 * Holds the perfect-subtree "peaks" of a tree of `size` leaves (one per set
 * bit of size, largest first). Appending leaf i completes the subtrees of
 * heights 0..t where t is the number of trailing one-bits of i; each is
 * reported so a store can persist it, keyed by (i, height). */
typedef struct {
    uint64_t size;
    unsigned npeaks;
    uint8_t peaks[64][MERKLE_HASH_BYTES]; /* largest (leftmost) first */
} merkle_stream;

void merkle_stream_init(merkle_stream *s);
/* Load the peaks of an existing tree of `size` leaves through `get`. */
int merkle_stream_load(merkle_stream *s, merkle_subtree_fn get, void *ctx,
                       uint64_t size);
/* Append a leaf hash (s->size < 2^64 - 1: a programmer's bug otherwise).
 * completed[h] receives the hash of the perfect subtree
 * of height h that ends with this leaf, for h = 0..*ncompleted-1 (completed[0]
 * is the leaf hash itself). completed must hold 65 hashes. */
void merkle_stream_push(merkle_stream *s, const uint8_t leaf[MERKLE_HASH_BYTES],
                        uint8_t completed[65][MERKLE_HASH_BYTES],
                        unsigned *ncompleted);
/* Root of the leaves pushed so far (the empty root when size is 0). */
void merkle_stream_root(const merkle_stream *s, uint8_t root[MERKLE_HASH_BYTES]);

#endif
