/* main.c — `cofund [--home DIR] [--passphrase-file F] COMMAND [ARGS]`.
 * Global options, then dispatch to node/cli/. docs/cli.md describes every
 * command. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "crypto/cf_error.h"
#include "crypto/cf_util.h"

static const struct {
    const char *name;
    cli_fn fn;
    const char *synopsis;
} commands[] = {
    {"init", cmd_init, "init --name NAME [--passphrase-file F]"},
    {"whoami", cmd_whoami, "whoami"},
    {"network", cmd_network, "network create --name NAME [--tz +08:00]"},
    {"join", cmd_join, "join BUNDLE [--network HEX]"},
    {"member", cmd_member,
     "member add --key HEX --role fund|investor|team|auditor|bank|lessor --name NAME"},
    {"members", cmd_members, "members [--format table|json|csv]"},
    {"program", cmd_program,
     "program add ID [--kind match|pool|leasing|award] [--preset industrial|incubation|pool|award]\n"
     "                 [--operator MEMBER] [--counterpart ROLE] [--ratio N:D] [--window-days N]\n"
     "                 [--project-cap AMT] [--annual-budget AMT] [--leverage N] [--share N:D]\n"
     "                 [--size AMT] [--down MIN:MAX] [--financing MIN:MAX] [--advance MIN:MAX]\n"
     "                 [--level AMT ...]\n"
     "  cofund program status ID [--year Y] [--as-of TIME] [--format table|json|csv]"},
    {"project", cmd_project, "project add ID --name NAME [--kind KIND]"},
    {"contribute", cmd_contribute,
     "contribute --project P --round R --amount AMT [--program ID] [--time TIME]"},
    {"match", cmd_match,
     "match --program ID --project P --round R --cite MEMBER:INDEX=AMT [--cite ...]\n"
     "                 [--time TIME] | --auto AMT [--dry-run]"},
    {"exit", cmd_exit, "exit --project P --amount AMT [--time TIME]"},
    {"deposit", cmd_deposit, "deposit --program POOL --amount AMT [--time TIME]"},
    {"withdraw", cmd_withdraw, "withdraw --program POOL --amount AMT [--time TIME]"},
    {"loan", cmd_loan,
     "loan --program POOL --project P --amount AMT --term-months N [--time TIME]"},
    {"guarantee", cmd_guarantee, "guarantee --program POOL --loan BANK:INDEX [--time TIME]"},
    {"repay", cmd_repay, "repay --loan INDEX --amount AMT [--time TIME]"},
    {"default", cmd_default, "default --loan INDEX --loss AMT [--time TIME]"},
    {"release", cmd_release, "release --program POOL --repay BANK:INDEX [--time TIME]"},
    {"compensate", cmd_compensate,
     "compensate --program POOL --default BANK:INDEX [--amount AMT] [--time TIME]"},
    {"lease", cmd_lease,
     "lease --program ID --project P --equipment NAME --price AMT --down AMT\n"
     "                 --financing AMT --advance AMT [--time TIME]"},
    {"award", cmd_award, "award --program ID --project P --amount AMT --year Y [--time TIME]"},
    {"pool", cmd_pool, "pool status ID [--as-of TIME] [--format table|json|csv]"},
    {"leases", cmd_leases,
     "leases [--project P] [--program ID] [--as-of TIME] [--format table|json|csv]"},
    {"positions", cmd_positions,
     "positions [--holder MEMBER] [--project P] [--as-of TIME] [--format table|json|csv]"},
    {"log", cmd_log, "log [FEED] [--format table|json|csv]"},
    {"show", cmd_show, "show FEED:INDEX [--format table|json]"},
    {"checkpoint", cmd_checkpoint, "checkpoint [FEED] [--all]"},
    {"proof", cmd_proof, "proof inclusion FEED:INDEX | proof consistency FEED OLD NEW"},
    {"verify", cmd_verify, "verify"},
    {"export", cmd_export, "export --out FILE [--as-of TIME] [--feed MEMBER ...]"},
    {"import", cmd_import, "import FILE"},
    {"forks", cmd_forks, "forks [--format table|json]"},
    {"violations", cmd_violations, "violations [--format table|json]"},
    {"evidence", cmd_evidence, "evidence MEMBER|FEED:INDEX --out FILE"},
    {"audit", cmd_audit,
     "audit BUNDLE [--witnesses K] [--trust KEY] [--format text|json]\n"
     "  cofund audit --evidence FILE [--format text|json]"},
    {"node", cmd_node,
     "node run [--listen HOST:PORT] [--peer HOST:PORT ...] [--log-level debug|info|warn|error]\n"
     "  cofund node status [--format table|json]"},
};
#define NCOMMANDS (sizeof commands / sizeof commands[0])

static void help(FILE *f)
{
    fputs("usage: cofund [--home DIR] [--passphrase-file F] COMMAND [ARGS]\n\n"
          "The home is --home, else $COFUND_HOME, else ~/.cofund.\n\ncommands:\n",
          f);
    for (size_t i = 0; i < NCOMMANDS; i++) fprintf(f, "  cofund %s\n", commands[i].synopsis);
    fputs("\nexit codes: 0 ok, 1 rejected or verification failed, 2 usage,\n"
          "            3 bad input or configuration, 4 environment failure\n",
          f);
}

/* --name VALUE or --name=VALUE at argv[*i]; advances *i. */
static int global_opt(int argc, char **argv, int *i, const char *name, const char **value)
{
    size_t n = strlen(name);
    if (strncmp(argv[*i], name, n) != 0) return 0;
    if (argv[*i][n] == '=') {
        *value = argv[*i] + n + 1;
        return 1;
    }
    if (argv[*i][n] != '\0') return 0;
    if (*i + 1 >= argc) return -1;
    *value = argv[++*i];
    return 1;
}

int main(int argc, char **argv)
{
    cli_env env = {getenv("COFUND_HOME"), getenv("COFUND_PASSPHRASE_FILE")};
    static char default_home[4096];
    int i = 1, r;

    if (cf_crypto_init() != CF_OK) {
        fputs("cofund: cannot initialise libsodium\n", stderr);
        return CLI_ENV;
    }
    for (; i < argc && argv[i][0] == '-'; i++) {
        if (strcmp(argv[i], "--help") == 0 || strcmp(argv[i], "-h") == 0) {
            help(stdout);
            return cli_finish(CLI_OK);
        }
        if (strcmp(argv[i], "--version") == 0) {
            puts("cofund 0.1.0");
            return cli_finish(CLI_OK);
        }
        if ((r = global_opt(argc, argv, &i, "--home", &env.home_dir)) == 1) continue;
        if (r < 0) return cli_usage("--home DIR COMMAND ...");
        if ((r = global_opt(argc, argv, &i, "--passphrase-file", &env.passphrase_file)) == 1)
            continue;
        if (r < 0) return cli_usage("--passphrase-file FILE COMMAND ...");
        fprintf(stderr, "cofund: unknown option %s\n", argv[i]);
        help(stderr);
        return CLI_USAGE;
    }
    if (i >= argc) {
        help(stderr);
        return CLI_USAGE;
    }
    if (env.home_dir == NULL || env.home_dir[0] == '\0') {
        const char *h = getenv("HOME");
        if (h == NULL && strcmp(argv[i], "audit") == 0) h = "/nonexistent"; /* needs no home */
        if (h == NULL) {
            fputs("cofund: no home: give --home DIR or set COFUND_HOME\n", stderr);
            return CLI_USAGE;
        }
        snprintf(default_home, sizeof default_home, "%s/.cofund", h);
        env.home_dir = default_home;
    }
    for (size_t c = 0; c < NCOMMANDS; c++)
        if (strcmp(argv[i], commands[c].name) == 0)
            return cli_finish(commands[c].fn(&env, argc - i, argv + i));
    if (strcmp(argv[i], "help") == 0) {
        help(stdout);
        return cli_finish(CLI_OK);
    }
    fprintf(stderr, "cofund: unknown command \"%s\" (cofund --help lists them)\n", argv[i]);
    return CLI_USAGE;
}
