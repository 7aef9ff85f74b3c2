/* cli_complete.c — bash completion from the command table (cli.h), the same
 * one parsing, --help and the manual pages use. `cofund help
 * --bash-completion` prints the script (the build writes it and `cmake
 * --install` installs it); the script asks the hidden `cofund __complete
 * WORD...` for the candidates of the last word: commands and their words,
 * options, the values of a choice, and the member, project and program
 * names of the home (read-only; nothing when it cannot be read). */
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "crypto/cf_error.h"

static const char script[] =
    "# bash completion for cofund — written by `cofund help --bash-completion`\n"
    "# from its command table; the candidates come from `cofund __complete`.\n"
    "_cofund() {\n"
    "    local IFS=$'\\n' cur=${COMP_WORDS[COMP_CWORD]}\n"
    "    COMPREPLY=($(compgen -W \"$(\"${COMP_WORDS[0]}\" __complete \"${COMP_WORDS[@]:1:COMP_CWORD}\" "
    "2>/dev/null)\" -- \"$cur\"))\n"
    "}\n"
    "complete -o default -F _cofund cofund\n";

void cli_print_bash_completion(FILE *f)
{
    fputs(script, f);
}

/* What names a value: the option's placeholder or name. */
enum names { NAMES_NONE, NAMES_MEMBERS, NAMES_PROJECTS, NAMES_PROGRAMS, NAMES_TYPES };

struct names_job {
    enum names which;
};

static int member_name(void *arg, const state_member *m)
{
    (void)arg;
    if (!m->closed) printf("%s\n", m->name);
    return CF_OK;
}

static int project_name(void *arg, const state_project *p)
{
    (void)arg;
    printf("%s\n", p->id);
    return CF_OK;
}

static int program_name(void *arg, const state_program *p)
{
    (void)arg;
    printf("%s\n", p->id);
    return CF_OK;
}

static int names_read(store_txn *txn, const ledger_kv *kv, void *arg)
{
    struct names_job *j = arg;
    (void)txn;
    switch (j->which) {
    case NAMES_MEMBERS: return state_members_each(kv, member_name, NULL) ? CLI_ENV : CLI_OK;
    case NAMES_PROJECTS: return state_projects_each(kv, project_name, NULL) ? CLI_ENV : CLI_OK;
    case NAMES_PROGRAMS: return state_programs_each(kv, program_name, NULL) ? CLI_ENV : CLI_OK;
    default: return CLI_OK;
    }
}

static void print_names(const cli_env *env, enum names which)
{
    struct names_job j = {which};
    home *h;
    if (which == NAMES_TYPES) { /* entry types: no home needed */
        for (int t = 1; t < ENTRY__TYPES; t++) printf("%s\n", entry_type_name((enum entry_type)t));
        return;
    }
    if (which == NAMES_NONE || cli_open_home(env, HOME_RDONLY, &h) != CLI_OK) return;
    cli_read(h, names_read, &j);
    cli_close_home(h);
}

static enum names option_names(const cli_opt *o)
{
    if (o->value && (strcmp(o->value, "MEMBER") == 0 || strncmp(o->value, "MEMBER:", 7) == 0))
        return NAMES_MEMBERS;
    if (o->value && strcmp(o->value, "TYPE") == 0) return NAMES_TYPES;
    if (strcmp(o->name, "project") == 0) return NAMES_PROJECTS;
    if (strcmp(o->name, "program") == 0 || strcmp(o->name, "pool") == 0) return NAMES_PROGRAMS;
    return NAMES_NONE;
}

static enum names argument_names(const cli_cmd *c)
{
    if (c->args == NULL) return NAMES_NONE;
    if (strstr(c->args, "FEED") || strstr(c->args, "MEMBER")) return NAMES_MEMBERS;
    if (strcmp(c->name, "program status") == 0 || strcmp(c->name, "pool status") == 0)
        return NAMES_PROGRAMS;
    return NAMES_NONE;
}

/* Word i (0-based) of a command's name into out; false past its end. */
static bool name_word(const char *name, int i, char *out, size_t cap)
{
    const char *s = name;
    for (; i > 0; i--) {
        s = strchr(s, ' ');
        if (s == NULL) return false;
        s++;
    }
    size_t n = strcspn(s, " ");
    if (n + 1 > cap) return false;
    memcpy(out, s, n);
    out[n] = '\0';
    return true;
}

/* The command whose whole name the words w[0..n) start with; *words: how
 * many it takes. */
static const cli_cmd *command_of(char **w, int n, const cli_listing_item *l, size_t nl,
                                 int *words)
{
    char word[64];
    for (size_t i = 0; i < nl; i++) {
        if (l[i].cmd == NULL) continue;
        int k = 0;
        while (name_word(l[i].cmd->name, k, word, sizeof word) && k < n &&
               strcmp(word, w[k]) == 0)
            k++;
        if (!name_word(l[i].cmd->name, k, word, sizeof word)) {
            *words = k;
            return l[i].cmd;
        }
    }
    return NULL;
}

/* Whether a command before l[k] has the same words w[0..n) then word. */
static bool said_before(const cli_listing_item *l, size_t k, char **w, int n, const char *word)
{
    char x[64];
    for (size_t i = 0; i < k; i++) {
        int m = 0;
        if (l[i].cmd == NULL) continue;
        while (m < n && name_word(l[i].cmd->name, m, x, sizeof x) && strcmp(x, w[m]) == 0) m++;
        if (m == n && name_word(l[i].cmd->name, n, x, sizeof x) && strcmp(x, word) == 0)
            return true;
    }
    return false;
}

int cli_complete(cli_env *env, int argc, char **argv, const cli_listing_item *l, size_t nl)
{
    int i = 0;
    if (argc == 0) return CLI_OK;
    const char *cur = argv[argc - 1];
    /* Global options before the command. */
    for (; i < argc - 1 && argv[i][0] == '-'; i++) {
        if (strcmp(argv[i], "--home") == 0 && i + 1 < argc - 1) env->home_dir = argv[++i];
        else if (strcmp(argv[i], "--passphrase-file") == 0 && i + 1 < argc - 1) i++;
        else if (strcmp(argv[i], "--home") == 0 || strcmp(argv[i], "--passphrase-file") == 0)
            return CLI_OK; /* its value: files */
    }
    char **w = argv + i;
    int n = argc - 1 - i; /* complete words before the current one */
    if (n == 0 && cur[0] == '-') {
        puts("--home\n--passphrase-file\n--help\n--version");
        return CLI_OK;
    }
    int words;
    const cli_cmd *c = command_of(w, n, l, nl, &words);
    if (c == NULL) { /* a command's next word: those whose names start with w */
        char word[64];
        if (n == 0) puts("help");
        if (n == 1 && strcmp(w[0], "help") == 0) w++, n--;
        for (size_t k = 0; k < nl; k++) {
            if (l[k].cmd == NULL) continue;
            int m = 0;
            while (m < n && name_word(l[k].cmd->name, m, word, sizeof word) &&
                   strcmp(word, w[m]) == 0)
                m++;
            if (m == n && name_word(l[k].cmd->name, n, word, sizeof word) &&
                !said_before(l, k, w, n, word))
                puts(word);
        }
        return CLI_OK;
    }
    /* The value of the option before the current word? */
    const char *last = n > words ? w[n - 1] : NULL;
    for (const cli_opt *o = c->opts; last && o && o->name; o++) {
        if (strncmp(last, "--", 2) != 0 || strcmp(last + 2, o->name) != 0 || o->value == NULL)
            continue;
        if (o->flags & CLI_CHOICE) {
            char choices[128];
            snprintf(choices, sizeof choices, "%s", o->value);
            for (char *s = strtok(choices, "|"); s; s = strtok(NULL, "|")) puts(s);
        } else {
            print_names(env, option_names(o));
        }
        return CLI_OK;
    }
    if (cur[0] == '-' || argument_names(c) == NAMES_NONE) {
        for (const cli_opt *o = c->opts; o && o->name; o++) printf("--%s\n", o->name);
        puts("--help");
        return CLI_OK;
    }
    print_names(env, argument_names(c));
    return CLI_OK;
}
