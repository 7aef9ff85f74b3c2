/* main.c — cofund-audit: the offline audit as a program of its own, linked
 * with the audit, bundle, ledger and crypto libraries only (no store, no
 * LMDB, no libuv), so that an auditor can read all the code it runs.
 *
 *   cofund-audit BUNDLE [--witnesses K] [--trust KEY] [--format text|json]
 *   cofund-audit --evidence FILE [--format text|json]
 *
 * It speaks the language of the environment (LANG, LC_ALL, ...), else
 * --lang zh|en says which (crypto/cf_i18n.h).
 *
 * docs/auditing.md explains every line of its report and its exit codes.
 */
#include <stdio.h>

#include "audit_cli.h"
#include "crypto/cf_error.h"
#include "crypto/cf_i18n.h"
#include "crypto/cf_util.h"

int main(int argc, char **argv)
{
    cf_i18n_init(cf_lang_from_env(), NULL);
    if (cf_crypto_init() != CF_OK) {
        fputs(_("cofund-audit: cannot initialise libsodium\n"), stderr);
        return 4;
    }
    return audit_cli("cofund-audit", argc, argv);
}
