/* audit_cli.h — the audit's command line (audit_cli.c), shared by the
 * cofund-audit binary and `cofund audit`. */
#ifndef COFUND_AUDIT_CLI_H
#define COFUND_AUDIT_CLI_H

#include "crypto/cf_i18n.h"

/* The one description of the audit's command line: audit_cli parses by it
 * and prints it for `cofund-audit --help`; `cofund audit`'s entry in the
 * cofund command table (node/cli/cmd_audit.c) is built from it, so the two
 * cannot disagree. X(name, value, help) for each option. */
#define AUDIT_CLI_OPTIONS(X)                                                                 \
    X("witnesses", "K", N_("every feed's latest checkpoint needs K (0-64) other members' "      \
                        "cosignatures"))                                                      \
    X("trust", "KEY", N_("the genesis author must be KEY (64 hex or a verifier key)"))           \
    X("evidence", "FILE", N_("instead of BUNDLE: check a portable evidence file"))               \
    X("format", "text|json", N_("the report: text (for people) or json"))                        \
    X("sign", "KEYFILE", N_("also sign a statement of the audit (bundle SHA-256, verdict, "      \
                         "report SHA-256) with this key file (cofund init makes one)"))        \
    X("out", "STATEMENT", N_("with --sign: write the signed statement to this file"))            \
    X("passphrase-file", "F", N_("with --sign: the key file's passphrase"))                      \
    X("proof", "FEED:INDEX", N_("instead of the report: the entry's tlog-proof from the bundle")) \
    X("html", "FILE", N_("also write the report as one self-contained, printable HTML file"))  \
    X("lang", "zh|en", N_("the language of the text and HTML reports (JSON and the statement " \
                          "are the same in every language); else cofund --lang, else LANG"))   \
    X("unit", "yuan|wan", N_("amounts in the text and HTML reports in yuan or wan (10,000 "   \
                             "yuan); JSON keeps exact yuan"))
#define AUDIT_CLI_SUMMARY N_("audit a bundle offline: signatures, roots, every rule, the reports")
#define AUDIT_CLI_HELP                                                                        \
    N_("Verifies every checkpoint signature and root in the bundle, replays every rule from "   \
    "the genesis entry with the nodes' own engine, checks every citation, reports forks, "   \
    "violations and what could not be checked, and prints the programs and positions. "     \
    "With --evidence FILE instead of a BUNDLE, checks a portable evidence file and says "    \
    "what it proves. BUNDLE - reads the bundle from standard input. --sign KEYFILE --out "    \
    "STATEMENT signs a statement of what was audited and the verdict, which anyone checks "   \
    "with the verifier key printed on stderr (a C2SP signed note). --proof FEED:INDEX prints " \
    "the entry's inclusion proof against the bundle's latest checkpoint of its feed, once "   \
    "the bundle verifies. Needs no home; cofund-audit and cofund audit are the same code. Exit 0 " \
    "when everything checked holds, 1 when a check failed (a damaged or tampered bundle "    \
    "included), 2 for a usage error, 3 when the file is not a cofund bundle or evidence "    \
    "file at all, 4 for an I/O failure. --lang zh|en and --unit yuan|wan choose the language " \
    "and the unit of the text and HTML reports; the JSON report and the signed statement are " \
    "the same whatever they are.")
/* Command lines, one a line, after "cofund " (cofund-audit prints them with
 * its own name for "audit"). */
#define AUDIT_CLI_EXAMPLE                                                                     \
    "audit network.bundle --witnesses 2\n"                                                    \
    "audit network.bundle --sign ~/.cofund/key --out network.statement\n"                     \
    "audit network.bundle --proof investor-a:12\n"                                            \
    "audit --evidence violation.evidence"

/* argv[0] is the command's own name ("audit"); prog prefixes messages.
 * Returns the exit status (audit.h; 4 for an I/O or memory failure).
 * --help and --version print to stdout and return 0. */
int audit_cli(const char *prog, int argc, char **argv);

#endif
