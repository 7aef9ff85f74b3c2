/* fork_proof.h — fork proofs: two checkpoints signed by one author that no
 * consistency proof can join, in a form a third party checks offline with
 * standard RFC 6962 tools.
 *
 * A LOCATED proof (the form every home builds when it holds entries of both
 * histories) states the index P where the two histories part:
 *   - checkpoints A (size a, root ra) and B (size b, root rb), both signed
 *     by the feed's author;
 *   - the root R of the first P entries, with RFC 6962 consistency proofs
 *     from (P, R) to (a, ra) and to (b, rb): both histories hold the same P
 *     first entries (for P = 0 both proofs are empty and R is the empty
 *     tree's root: every two histories share the empty prefix);
 *   - the leaf hashes la != lb at index P, with inclusion proofs in A and in
 *     B: the histories differ at P.
 * So P is exactly the first index where they differ; entries below P are
 * the same in both, and stand.
 *
 * An UNLOCATED proof (the earlier form, still made when a home sees only a
 * checkpoint that disagrees with what it holds, and still read) holds A and
 * B with a <= b, `alt`, the root of B's tree at size a, and the consistency
 * proof from (a, alt) to (b, rb): a fork somewhere below a.
 *
 * Encodings (deterministic CBOR, docs/format.md "Fork proofs"):
 *   unlocated {"a": tstr, "b": tstr, "alt": bstr 32, "proof": [bstr 32, ...]}
 *   located   {"a": tstr, "b": tstr, "p": uint, "ia": [bstr 32, ...],
 *              "ib": [...], "la": bstr 32, "lb": bstr 32, "pa": [...],
 *              "pb": [...], "root": bstr 32}
 */
#ifndef COFUND_FORK_PROOF_H
#define COFUND_FORK_PROOF_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "crypto/merkle.h"
#include "ledger/diag.h"

/* Hashes in one proof list: a proof in a tree below 2^64 leaves has at most
 * 64 (merkle.h). */
#define FORK_PROOF_HASHES_MAX 64
/* Two signed notes of at most 8 KiB, four lists of at most 64 hashes (34
 * bytes each encoded) and small change. */
#define FORK_PROOF_BYTES_MAX (2 * 8192 + 4 * FORK_PROOF_HASHES_MAX * 34 + 256)
/* The point of an unlocated proof: unknown. */
#define FORK_POINT_UNKNOWN UINT64_MAX

typedef struct {
    size_t n;
    uint8_t h[FORK_PROOF_HASHES_MAX][32];
} fork_hashes;

typedef struct {
    const char *a; /* signed checkpoint notes (not NUL-terminated) */
    size_t a_len;
    const char *b;
    size_t b_len;
    bool located;
    /* unlocated */
    uint8_t alt[32];
    fork_hashes proof;
    /* located */
    uint64_t point;    /* P */
    uint8_t root[32];  /* root of the first P entries */
    fork_hashes pa, pb; /* consistency (P, root) -> A, -> B */
    uint8_t la[32], lb[32]; /* leaf hashes at P */
    fork_hashes ia, ib; /* their inclusion proofs in A, in B */
} fork_proof;

int fork_proof_encode(const fork_proof *fp, uint8_t *buf, size_t cap, size_t *len);
/* Strict decode of either form; a and b point into buf. */
int fork_proof_decode(const uint8_t *buf, size_t len, fork_proof *fp, diag *d);

typedef struct {
    uint8_t net8[8];    /* network prefix named by the origins */
    uint8_t author[32]; /* the author who signed both */
    uint64_t size_a, size_b;
    uint8_t root_a[32], root_b[32];
    uint64_t point; /* P, or FORK_POINT_UNKNOWN for an unlocated proof */
} fork_facts;

/* Check everything stated above. CF_OK when the proof proves a fork;
 * CF_EVERIFY with d saying which part fails otherwise. */
int fork_proof_verify(const fork_proof *fp, fork_facts *facts, diag *d);

/* The point a decoded proof states (FORK_POINT_UNKNOWN when unlocated),
 * without verifying it: for proofs verified when they were stored. */
uint64_t fork_proof_point(const uint8_t *buf, size_t len);

/* Whether proof x (point px) says more than proof y (point py): a located
 * proof beats an unlocated one, and a smaller point a larger one. A home
 * keeps one proof per feed, the best it has seen, so every home that has
 * seen the same proofs keeps the same point. */
bool fork_point_better(uint64_t px, uint64_t py);

#endif
