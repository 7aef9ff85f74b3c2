/* evidence.h — fork proofs: two checkpoints signed by one author that no
 * consistency proof can join, in a form a third party checks offline.
 *
 * A fork proof holds checkpoints A (size a, root ra) and B (size b >= a,
 * root rb), both signed by the feed's author, plus `alt`, the root of B's
 * tree at size a, and the RFC 6962 consistency proof from (a, alt) to
 * (b, rb). It proves a fork when both signatures verify, the proof verifies
 * and alt != ra: the author signed two trees that disagree about the first a
 * entries. (When a == b the proof is empty and alt == rb.)
 *
 * Encoding (deterministic CBOR, docs/format.md):
 *   {"a": tstr, "b": tstr, "alt": bstr 32, "proof": [bstr 32, ...]}
 */
#ifndef COFUND_EVIDENCE_H
#define COFUND_EVIDENCE_H

#include <stddef.h>
#include <stdint.h>

#include "crypto/merkle.h"
#include "ledger/diag.h"

/* Two signed notes plus up to 64 hashes. */
#define FORK_PROOF_BYTES_MAX (2 * 8192 + 64 * 34 + 64)

typedef struct {
    const char *a; /* signed checkpoint notes (not NUL-terminated) */
    size_t a_len;
    const char *b;
    size_t b_len;
    uint8_t alt[32];
    size_t nproof;
    uint8_t proof[64][32];
} fork_proof;

int fork_proof_encode(const fork_proof *fp, uint8_t *buf, size_t cap, size_t *len);
/* Strict decode; a and b point into buf. */
int fork_proof_decode(const uint8_t *buf, size_t len, fork_proof *fp, diag *d);

typedef struct {
    uint8_t net8[8];    /* network prefix named by the origins */
    uint8_t author[32]; /* the author who signed both */
    uint64_t size_a, size_b;
    uint8_t root_a[32], root_b[32];
} fork_facts;

/* Check everything stated above. CF_OK when the proof proves a fork;
 * CF_EVERIFY with d saying which part fails otherwise. */
int fork_proof_verify(const fork_proof *fp, fork_facts *facts, diag *d);

#endif
