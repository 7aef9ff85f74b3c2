/* cmd_audit.c — `cofund audit`: the offline audit (node/audit/), the very
 * code of the cofund-audit binary. It needs no home and writes nothing. */
#include "audit/audit_cli.h"
#include "cli.h"

int cmd_audit(cli_env *env, int argc, char **argv)
{
    (void)env;
    return audit_cli("cofund audit", argc, argv);
}
