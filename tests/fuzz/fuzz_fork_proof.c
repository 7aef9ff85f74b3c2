/* fuzz_fork_proof.c — libFuzzer target for fork proofs (node/bundle/
 * fork_proof.h), the bytes a bundle's X record, a peer's fork message and an
 * evidence file carry: fork_proof_decode, then fork_proof_verify of what
 * decodes, and fork_proof_point. Canonical form: a decoded proof must encode
 * back to exactly the bytes it came from (abort otherwise), and the point
 * fork_proof_point reads must be the one decoded. The seed corpus holds a
 * located and an unlocated proof from tests/cli/fork.sh's homes. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "bundle/fork_proof.h"
#include "crypto/cf_util.h"

int LLVMFuzzerTestOneInput(const uint8_t *d, size_t n);
int LLVMFuzzerTestOneInput(const uint8_t *d, size_t n)
{
    static fork_proof fp;
    static uint8_t out[FORK_PROOF_BYTES_MAX];
    static int ready;
    fork_facts facts;
    diag why;
    size_t len;
    if (!ready && cf_crypto_init() != 0) abort();
    ready = 1;
    if (fork_proof_decode(d, n, &fp, &why) != 0) {
        if (fork_proof_point(d, n) != FORK_POINT_UNKNOWN) abort();
        return 0;
    }
    if (fork_proof_encode(&fp, out, sizeof out, &len) != 0 || len != n || memcmp(out, d, n) != 0)
        abort();
    if (fork_proof_point(d, n) != (fp.located ? fp.point : FORK_POINT_UNKNOWN)) abort();
    if (fork_proof_verify(&fp, &facts, &why) == 0 &&
        facts.point != (fp.located ? fp.point : FORK_POINT_UNKNOWN))
        abort();
    return 0;
}
