/* main.c — `cofund [--home DIR] [--passphrase-file F] COMMAND [ARGS]`.
 * Global options, then the command: every command is a cli_cmd (cli.h)
 * defined next to its handler; this file lists them, finds the one named
 * (one or two words: `program add`), parses its arguments by its table and
 * runs it. `cofund help` and `cofund COMMAND --help` come from the same
 * tables. docs/cli.md describes every command. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "crypto/cf_error.h"
#include "crypto/cf_i18n.h"
#include "crypto/cf_util.h"
#include "net/config.h"
#include "table.h"

/* The listing, in the order of docs/cli.md: a section title, or a command. */
static const cli_listing_item listing[] = {
    {N_("homes and the network"), NULL},
    {NULL, &cli_cmd_init},
    {NULL, &cli_cmd_whoami},
    {NULL, &cli_cmd_network_create},
    {NULL, &cli_cmd_member_add},
    {NULL, &cli_cmd_member_rekey},
    {NULL, &cli_cmd_member_retire},
    {NULL, &cli_cmd_member_rename},
    {NULL, &cli_cmd_network_rename},
    {NULL, &cli_cmd_network_bound},
    {NULL, &cli_cmd_recovery_sign},
    {NULL, &cli_cmd_network_succeed},
    {NULL, &cli_cmd_members},
    {NULL, &cli_cmd_join},
    {N_("programs, projects, investments"), NULL},
    {NULL, &cli_cmd_program_add},
    {NULL, &cli_cmd_program_amend},
    {NULL, &cli_cmd_program_close},
    {NULL, &cli_cmd_project_add},
    {NULL, &cli_cmd_project_rename},
    {NULL, &cli_cmd_contribute},
    {NULL, &cli_cmd_match},
    {NULL, &cli_cmd_exit},
    {NULL, &cli_cmd_valuation},
    {NULL, &cli_cmd_reverse},
    {N_("the other instruments"), NULL},
    {NULL, &cli_cmd_deposit},
    {NULL, &cli_cmd_withdraw},
    {NULL, &cli_cmd_loan},
    {NULL, &cli_cmd_guarantee},
    {NULL, &cli_cmd_repay},
    {NULL, &cli_cmd_default},
    {NULL, &cli_cmd_release},
    {NULL, &cli_cmd_compensate},
    {NULL, &cli_cmd_lease},
    {NULL, &cli_cmd_award},
    {NULL, &cli_cmd_certify},
    {NULL, &cli_cmd_revoke},
    {NULL, &cli_cmd_subsidy},
    {N_("queries"), NULL},
    {NULL, &cli_cmd_projects},
    {NULL, &cli_cmd_programs},
    {NULL, &cli_cmd_positions},
    {NULL, &cli_cmd_returns},
    {NULL, &cli_cmd_program_status},
    {NULL, &cli_cmd_unmatched},
    {NULL, &cli_cmd_pool_status},
    {NULL, &cli_cmd_leases},
    {NULL, &cli_cmd_certifications},
    {NULL, &cli_cmd_register},
    {NULL, &cli_cmd_log},
    {NULL, &cli_cmd_show},
    {N_("evidence"), NULL},
    {NULL, &cli_cmd_checkpoint},
    {NULL, &cli_cmd_proof_inclusion},
    {NULL, &cli_cmd_proof_consistency},
    {NULL, &cli_cmd_verify},
    {NULL, &cli_cmd_forks},
    {NULL, &cli_cmd_violations},
    {NULL, &cli_cmd_evidence},
    {NULL, &cli_cmd_audit},
    {N_("replication"), NULL},
    {NULL, &cli_cmd_export},
    {NULL, &cli_cmd_import},
    {NULL, &cli_cmd_restore},
    {NULL, &cli_cmd_node_run},
    {NULL, &cli_cmd_node_status},
};
#define NLISTING (sizeof listing / sizeof listing[0])
#define NAME_COLUMN 22
#define LISTING_WIDTH 80 /* no line of `cofund help` is wider */

static void help(FILE *f)
{
    fputs(_("usage: cofund [--home DIR] [--passphrase-file F] [--lang zh|en] [--unit yuan|wan]\n"
            "              COMMAND [ARGS]\n"
            "       cofund help [COMMAND] | cofund COMMAND --help | cofund --version\n"
            "       cofund help --man [cofund|cofund-audit|cofund.conf]   (a manual page, in roff)\n"
            "       cofund help --bash-completion   (the bash completion script)\n\n"
            "The home is --home, else $COFUND_HOME, else ~/.cofund; a passphrase-protected\n"
            "key reads its passphrase from --passphrase-file, else $COFUND_PASSPHRASE_FILE,\n"
            "else the terminal. The language is --lang, else the home's config `lang`, else\n"
            "the locale (LANG); tables show amounts in --unit, else the config's `unit`, else yuan.\n"),
          f);
    for (size_t i = 0; i < NLISTING; i++) {
        /* TRANSLATORS: a section of the listing: "\nqueries:\n" */
        if (listing[i].section) fprintf(f, _("\n%s:\n"), _(listing[i].section));
        else {
            char name[64];
            cf_text_pad(name, sizeof name, listing[i].cmd->name, NAME_COLUMN, false);
            fprintf(f, "  %s", name);
            /* a summary longer than the line (a Chinese one may be) wraps
             * under the summaries */
            cli_print_wrapped_at(f, _(listing[i].cmd->summary), 2 + (int)cf_text_width(name),
                                 NAME_COLUMN + 2, LISTING_WIDTH);
        }
    }
    fputs(_("\ncofund help COMMAND (or cofund COMMAND --help) shows its options and an example.\n\n"
            "exit codes: 0 ok, 1 rejected or verification failed, 2 usage,\n"
            "            3 bad input or configuration, 4 environment failure\n"),
          f);
}

/* How many leading words of argv[0..argc) the command's name takes (0: it
 * is not this command). */
static int name_words(const cli_cmd *c, int argc, char **argv)
{
    const char *s = c->name;
    int w = 0;
    while (*s) {
        size_t len = strcspn(s, " ");
        if (w >= argc || strlen(argv[w]) != len || strncmp(argv[w], s, len) != 0) return 0;
        w++;
        s += len + (s[len] == ' ');
    }
    return w;
}

/* The commands whose name starts with the word `first` followed by more. */
static bool is_group(const char *first)
{
    size_t n = strlen(first);
    for (size_t i = 0; i < NLISTING; i++)
        if (listing[i].cmd && strncmp(listing[i].cmd->name, first, n) == 0 &&
            listing[i].cmd->name[n] == ' ')
            return true;
    return false;
}

static void group_help(FILE *f, const char *first)
{
    size_t n = strlen(first);
    for (size_t i = 0; i < NLISTING; i++)
        if (listing[i].cmd && strncmp(listing[i].cmd->name, first, n) == 0 &&
            listing[i].cmd->name[n] == ' ')
            cli_print_usage(f, listing[i].cmd);
    fprintf(f, _("\ncofund help %s SUBCOMMAND shows its options and an example.\n"), first);
}

static size_t edit_distance(const char *a, const char *b)
{
    size_t la = strlen(a), lb = strlen(b), row[64];
    if (la >= 63 || lb >= 63) return 64;
    for (size_t j = 0; j <= lb; j++) row[j] = j;
    for (size_t i = 1; i <= la; i++) {
        size_t prev = row[0];
        row[0] = i;
        for (size_t j = 1; j <= lb; j++) {
            size_t up = row[j], best = prev + (a[i - 1] != b[j - 1]);
            if (up + 1 < best) best = up + 1;
            if (row[j - 1] + 1 < best) best = row[j - 1] + 1;
            prev = up;
            row[j] = best;
        }
    }
    return row[lb];
}

static int unknown_command(const char *word)
{
    const char *best = NULL;
    size_t best_d = 3; /* suggest only what is at most two edits away */
    char first[32];
    for (size_t i = 0; i < NLISTING; i++) {
        if (!listing[i].cmd) continue;
        snprintf(first, sizeof first, "%.*s", (int)strcspn(listing[i].cmd->name, " "),
                 listing[i].cmd->name);
        size_t d = edit_distance(word, first);
        if (d < best_d) {
            best_d = d;
            best = listing[i].cmd->name;
        }
    }
    if (best)
        fprintf(stderr, _("cofund: unknown command \"%s\"; did you mean \"%.*s\"? (cofund help "
                          "lists them)\n"), word, (int)strcspn(best, " "), best);
    else
        fprintf(stderr, _("cofund: unknown command \"%s\" (cofund help lists them)\n"), word);
    return CLI_USAGE;
}

/* The command named by argv[0..], or NULL; *words: how many words it took. */
static const cli_cmd *find(int argc, char **argv, int *words)
{
    for (size_t i = 0; i < NLISTING; i++)
        if (listing[i].cmd && (*words = name_words(listing[i].cmd, argc, argv)) > 0)
            return listing[i].cmd;
    return NULL;
}

/* `cofund help [COMMAND...]` */
static int help_command(int argc, char **argv)
{
    int words;
    if (argc == 0) {
        help(stdout);
        return CLI_OK;
    }
    if (strcmp(argv[0], "--bash-completion") == 0 && argc == 1) {
        cli_print_bash_completion(stdout);
        return CLI_OK;
    }
    if (strcmp(argv[0], "--man") == 0 && argc <= 2) /* the manual pages (cli_man.c) */
        return cli_print_man(stdout, argc == 2 ? argv[1] : NULL, listing, NLISTING);
    const cli_cmd *c = find(argc, argv, &words);
    if (c && words == argc) {
        cli_print_help(stdout, c);
        return CLI_OK;
    }
    if (argc == 1 && is_group(argv[0])) {
        group_help(stdout, argv[0]);
        return CLI_OK;
    }
    return unknown_command(argv[0]);
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

/* Parse and run the command at argv[0..argc). */
/* Does c's table have the option `name`? */
static bool has_opt(const cli_cmd *c, const char *name)
{
    for (size_t i = 0; c->opts && c->opts[i].name; i++)
        if (strcmp(c->opts[i].name, name) == 0) return true;
    return false;
}

static int run_command(cli_env *env, int argc, char **argv)
{
    static char default_home[4096];
    int words;
    bool want_help;
    cli_args a;
    const cli_cmd *c = find(argc, argv, &words);
    if (c == NULL) {
        if (!is_group(argv[0])) return unknown_command(argv[0]);
        if (argc >= 2 && strcmp(argv[1], "--help") == 0) {
            group_help(stdout, argv[0]);
            return CLI_OK;
        }
        if (argc >= 2)
            fprintf(stderr, _("cofund %s: unknown subcommand \"%s\"\n"), argv[0], argv[1]);
        else
            fprintf(stderr, _("cofund %s: which one?\n"), argv[0]);
        group_help(stderr, argv[0]);
        return CLI_USAGE;
    }
    cli_set_command(c->name);
    int rc = cli_parse(c, argc - words + 1, argv + words - 1, &a, &want_help);
    if (rc != CLI_OK) return rc;
    if (want_help) {
        cli_args_free(&a);
        cli_print_help(stdout, c);
        return CLI_OK;
    }
    if (env->home_dir == NULL || env->home_dir[0] == '\0') {
        const char *h = getenv("HOME");
        if (h == NULL && (c->flags & CLI_NO_HOME)) h = "/nonexistent"; /* needs none */
        if (h == NULL) {
            cli_args_free(&a);
            fputs(_("cofund: no home: give --home DIR or set COFUND_HOME\n"), stderr);
            return CLI_USAGE;
        }
        snprintf(default_home, sizeof default_home, "%s/.cofund", h);
        env->home_dir = default_home;
    }
    if (!(c->flags & CLI_NO_HOME)) rc = cli_require_named(env, &a);
    env->dry_run = has_opt(c, "dry-run") && cli_get(&a, "dry-run") != NULL;
    env->yes = has_opt(c, "yes") && cli_get(&a, "yes") != NULL;
    if (rc == CLI_OK) rc = c->run(env, &a);
    cli_progress_end();
    if (rc == CLI_DRY_RUN) rc = CLI_OK;
    cli_args_free(&a);
    return rc;
}

/* The language and the unit: the command line's, else the home's config
 * (lang, unit; a config the node would refuse is the node's to report),
 * else the locale's language and yuan (docs/i18n.md). */
static int choose_language(const cli_env *env, const char *lang_arg, const char *unit_arg)
{
    enum cf_lang lang = cf_lang_from_env();
    enum cli_unit unit = CLI_UNIT_YUAN;
    char path[4200];
    const char *home_env = getenv("HOME");
    net_config cfg;
    diag d;
    if (env->home_dir && env->home_dir[0]) snprintf(path, sizeof path, "%s/config", env->home_dir);
    else if (home_env) snprintf(path, sizeof path, "%s/.cofund/config", home_env);
    else path[0] = '\0';
    if (path[0] && net_config_load(path, &cfg, &d) == CF_OK) {
        if (cfg.lang[0]) cf_lang_parse(cfg.lang, &lang);
        if (cfg.unit[0]) cli_parse_unit(cfg.unit, &unit);
    }
    if (lang_arg && strcmp(lang_arg, "zh") != 0 && strcmp(lang_arg, "en") != 0) {
        cf_i18n_init(lang, NULL);
        fprintf(stderr, _("cofund: --lang %s: expected zh or en\n"), lang_arg);
        return CLI_USAGE;
    }
    if (lang_arg) cf_lang_parse(lang_arg, &lang);
    cf_i18n_init(lang, NULL);
    if (unit_arg && cli_parse_unit(unit_arg, &unit) != CF_OK) {
        fprintf(stderr, _("cofund: --unit %s: expected yuan or wan\n"), unit_arg);
        return CLI_USAGE;
    }
    cli_set_unit(unit);
    return CLI_OK;
}

int main(int argc, char **argv)
{
    cli_env env = {getenv("COFUND_HOME"), getenv("COFUND_PASSPHRASE_FILE"), false, false};
    const char *lang_arg = NULL, *unit_arg = NULL;
    bool want_help = false;
    int i = 1, r;

    cf_i18n_init(cf_lang_from_env(), NULL); /* until the home's config is read */

    if (cf_crypto_init() != CF_OK) {
        fputs(_("cofund: cannot initialise libsodium\n"), stderr);
        return CLI_ENV;
    }
    /* Hidden: the candidates the completion script asks for (cli_complete.c). */
    if (argc >= 2 && strcmp(argv[1], "__complete") == 0)
        return cli_finish(cli_complete(&env, argc - 2, argv + 2, listing, NLISTING));
    for (; i < argc && argv[i][0] == '-'; i++) {
        if (strcmp(argv[i], "--help") == 0 || strcmp(argv[i], "-h") == 0) {
            want_help = true;
            continue;
        }
        if (strcmp(argv[i], "--version") == 0) {
            puts("cofund " COFUND_VERSION);
            return cli_finish(CLI_OK);
        }
        if ((r = global_opt(argc, argv, &i, "--home", &env.home_dir)) == 1) continue;
        if (r < 0) {
            fputs(_("cofund: --home needs a directory: cofund --home DIR COMMAND ...\n"), stderr);
            return CLI_USAGE;
        }
        if ((r = global_opt(argc, argv, &i, "--lang", &lang_arg)) == 1) continue;
        if (r < 0) {
            fputs(_("cofund: --lang needs zh or en: cofund --lang zh COMMAND ...\n"), stderr);
            return CLI_USAGE;
        }
        if ((r = global_opt(argc, argv, &i, "--unit", &unit_arg)) == 1) continue;
        if (r < 0) {
            fputs(_("cofund: --unit needs yuan or wan: cofund --unit wan COMMAND ...\n"), stderr);
            return CLI_USAGE;
        }
        if ((r = global_opt(argc, argv, &i, "--passphrase-file", &env.passphrase_file)) == 1)
            continue;
        if (r < 0) {
            fputs(_("cofund: --passphrase-file needs a file: cofund --passphrase-file FILE "
                    "COMMAND ...\n"), stderr);
            return CLI_USAGE;
        }
        fprintf(stderr, _("cofund: unknown option %s (before the command: --home DIR, "
                          "--passphrase-file F, --lang zh|en, --unit yuan|wan, --help, "
                          "--version)\n"), argv[i]);
        return CLI_USAGE;
    }
    if ((r = choose_language(&env, lang_arg, unit_arg)) != CLI_OK) return r;
    if (want_help) {
        help(stdout);
        return cli_finish(CLI_OK);
    }
    if (i >= argc) {
        help(stderr);
        return CLI_USAGE;
    }
    if (strcmp(argv[i], "help") == 0) return cli_finish(help_command(argc - i - 1, argv + i + 1));
    return cli_finish(run_command(&env, argc - i, argv + i));
}
