/* cmd_audit.c — `cofund audit`: the offline audit (node/audit/), the very
 * code of the cofund-audit binary, which parses its own options
 * (audit_cli.c); the table here is built from the audit's own description
 * of its options (audit_cli.h). It needs no home and writes
 * nothing. */
#include "audit/audit.h"
#include "audit/audit_cli.h"
#include "cli.h"
#include "table.h"

/* The options, help and example are the audit's own (audit_cli.h). */
#define AUDIT_OPT(name, value, help) {name, value, 0, 0, help},

static int run_audit(cli_env *env, const cli_args *a)
{
    (void)env;
    /* cofund's --unit and the config's unit; the audit's own --unit wins */
    audit_set_unit(cli_unit() == CLI_UNIT_WAN ? AUDIT_UNIT_WAN : AUDIT_UNIT_YUAN);
    return audit_cli("cofund audit", a->argc, a->argv);
}

const cli_cmd cli_cmd_audit = {
    .name = "audit",
    .args = "BUNDLE",
    .max_args = 1,
    .opts = (const cli_opt[]){AUDIT_CLI_OPTIONS(AUDIT_OPT) CLI_OPT_END},
    .flags = CLI_NO_HOME | CLI_OWN_PARSER,
    .summary = AUDIT_CLI_SUMMARY,
    .help = AUDIT_CLI_HELP,
    .example = AUDIT_CLI_EXAMPLE,
    .run = run_audit,
};
