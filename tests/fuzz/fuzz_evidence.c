/* fuzz_evidence.c — libFuzzer target: a portable evidence file
 * ("cofund-evidence/1", node/audit/audit_evidence.c) decoded and checked as
 * `cofund audit --evidence` checks it, text and JSON reports written to
 * /dev/null. Whatever the bytes, the check returns one of its three exit
 * statuses and never reads out of bounds. The seed corpus holds a fork's
 * and a violation's evidence from tests/cli/audit_fork.sh. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

#include "audit/audit.h"
#include "crypto/cf_util.h"

int LLVMFuzzerTestOneInput(const uint8_t *d, size_t n);
int LLVMFuzzerTestOneInput(const uint8_t *d, size_t n)
{
    static FILE *sink;
    diag why;
    if (sink == NULL && (cf_crypto_init() != 0 || (sink = fopen("/dev/null", "w")) == NULL))
        abort();
    for (int fmt = AUDIT_TEXT; fmt <= AUDIT_JSON; fmt++) {
        int rc = audit_evidence_check_mem(d, n, sink, (enum audit_format)fmt, &why);
        if (rc != AUDIT_EXIT_OK && rc != AUDIT_EXIT_FAILED && rc != AUDIT_EXIT_INPUT) abort();
    }
    return 0;
}
