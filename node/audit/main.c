/* main.c — cofund-audit: the offline audit as a program of its own, linked
 * with the audit, bundle, ledger and crypto libraries only (no store, no
 * LMDB, no libuv), so that an auditor can read all the code it runs.
 *
 *   cofund-audit BUNDLE [--witnesses K] [--trust KEY] [--format text|json]
 *   cofund-audit --evidence FILE [--format text|json]
 *
 * docs/auditing.md explains every line of its report and its exit codes.
 */
#include <stdio.h>

#include "audit_cli.h"
#include "crypto/cf_error.h"
#include "crypto/cf_util.h"

int main(int argc, char **argv)
{
    if (cf_crypto_init() != CF_OK) {
        fputs("cofund-audit: cannot initialise libsodium\n", stderr);
        return 4;
    }
    return audit_cli("cofund-audit", argc, argv);
}
