/* cmd_audit.c — `cofund audit`: the offline audit (node/audit/), the very
 * code of the cofund-audit binary, which parses its own options
 * (audit_cli.c); the table here gives its help. It needs no home and writes
 * nothing. */
#include "audit/audit_cli.h"
#include "cli.h"

static int run_audit(cli_env *env, const cli_args *a)
{
    (void)env;
    return audit_cli("cofund audit", a->argc, a->argv);
}

const cli_cmd cli_cmd_audit = {
    .name = "audit",
    .args = "BUNDLE",
    .max_args = 1,
    .opts = (const cli_opt[]){
        {"witnesses", "K", 0, 0, "every feed's latest checkpoint needs K other members' cosignatures"},
        {"trust", "KEY", 0, 0, "the genesis author must be KEY (64 hex or a verifier key)"},
        {"evidence", "FILE", 0, 0, "instead of BUNDLE: check a portable evidence file"},
        {"format", "text|json", CLI_CHOICE, 0, "the report: text (for people) or json"},
        CLI_OPT_END},
    .flags = CLI_NO_HOME | CLI_OWN_PARSER,
    .summary = "audit a bundle offline: signatures, roots, every rule, the reports",
    .help = "Verifies every checkpoint signature and root in the bundle, replays every rule "
            "from the genesis entry with the nodes' own engine, checks every citation, reports "
            "forks, violations and what could not be checked, and prints the programs and "
            "positions. With --evidence FILE instead of a BUNDLE, checks a portable evidence "
            "file and says what it proves. Needs no home; the same code as cofund-audit. Exit 0 "
            "when everything checked holds, 1 when a check failed, 3 when the file is not a "
            "cofund bundle or evidence file.",
    .example = "audit network.bundle --witnesses 2\naudit --evidence violation.evidence",
    .run = run_audit,
};
