/* audit_cli.h — the audit's command line (audit_cli.c), shared by the
 * cofund-audit binary and `cofund audit`. */
#ifndef COFUND_AUDIT_CLI_H
#define COFUND_AUDIT_CLI_H

/* argv[0] is the command's own name ("audit"); prog prefixes messages.
 * Returns the exit status (audit.h; 4 for an I/O or memory failure). */
int audit_cli(const char *prog, int argc, char **argv);

#endif
