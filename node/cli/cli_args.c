/* cli_args.c — parsing, usage and help, all from a command's cli_cmd
 * (cli.h). */
#include <getopt.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "crypto/cf_error.h"
#include "ledger/entry.h"

#define HELP_WIDTH 78
#define OPT_COLUMN 24 /* where an option's help starts in the option list */
#define ID_RULE _("an identifier is 1-64 characters from A-Z a-z 0-9 . _ -")

static size_t nopts(const cli_cmd *c)
{
    size_t n = 0;
    while (c->opts && c->opts[n].name) n++;
    return n;
}

static int opt_index(const cli_cmd *c, const char *name)
{
    for (size_t i = 0; c->opts && c->opts[i].name; i++)
        if (strcmp(c->opts[i].name, name) == 0) return (int)i;
    /* A handler asking for an option its table does not have: a bug. */
    fprintf(stderr, "cofund %s: internal error: no option --%s in its table\n", c->name, name);
    abort();
}

/* ---- usage and help --------------------------------------------------------- */

/* "--name VALUE", "[--name VALUE]", "[--name VALUE ...]", "[--flag]" */
static void opt_synopsis(const cli_opt *o, char *out, size_t cap)
{
    bool req = o->flags & CLI_REQUIRED;
    snprintf(out, cap, "%s--%s%s%s%s%s", req ? "" : "[", o->name, o->value ? " " : "",
             o->value ? o->value : "", o->max > 1 ? " ..." : "", req ? "" : "]");
}

/* Words separated by single spaces, wrapped after `first` columns are used
 * on the first line; continuation lines are indented by `indent`. */
static void print_words(FILE *f, const char *const *words, size_t n, int used, int indent)
{
    int col = used;
    for (size_t i = 0; i < n; i++) {
        int len = (int)strlen(words[i]);
        if (col > indent && col + 1 + len > HELP_WIDTH) {
            fprintf(f, "\n%*s", indent, "");
            col = indent;
        } else if (col > used || i > 0) {
            fputc(' ', f);
            col++;
        }
        fputs(words[i], f);
        col += len;
    }
    fputc('\n', f);
}

void cli_print_usage(FILE *f, const cli_cmd *c)
{
    size_t n = nopts(c), nw = 0;
    char(*syn)[160] = malloc((n + 1) * sizeof *syn);
    const char **words = malloc((n + 2) * sizeof *words);
    if (syn == NULL || words == NULL) {
        free(syn);
        free(words);
        fprintf(f, _("usage: cofund %s"), c->name);
        fputc('\n', f);
        return;
    }
    char head[96];
    snprintf(head, sizeof head, _("usage: cofund %s"), c->name);
    if (c->args) words[nw++] = c->args;
    for (size_t i = 0; i < n; i++) {
        opt_synopsis(&c->opts[i], syn[i], sizeof syn[i]);
        words[nw++] = syn[i];
    }
    int head_cols = (int)cf_text_width(head); /* "用法：" takes 6 columns */
    fputs(head, f);
    if (nw) fputc(' ', f);
    print_words(f, words, nw, head_cols + (nw ? 1 : 0), head_cols + 1);
    free(syn);
    free(words);
}

/* text wrapped at spaces to `width` columns; its first line starts at column
 * `first` (the caller printed what is before it), the others are indented
 * by `indent`. Newlines in the text are kept. */
void cli_print_wrapped_at(FILE *f, const char *text, int first, int indent, int width)
{
    int col = first;
    bool first_line = true;
    while (*text) {
        size_t line = strcspn(text, "\n");
        do {
            size_t room = (size_t)(width > col + 8 ? width - col : 8);
            size_t take = cf_text_break(text, line, room); /* by display width */
            fprintf(f, "%*s%.*s\n", first_line ? 0 : col, "", (int)take, text);
            first_line = false;
            while (take < line && text[take] == ' ') take++;
            text += take;
            line -= take;
            col = indent;
        } while (line > 0);
        if (*text == '\n') text++;
    }
}

void cli_print_wrapped(FILE *f, const char *text, int indent, int width)
{
    fprintf(f, "%*s", indent, "");
    cli_print_wrapped_at(f, text, indent, indent, width);
}

/* "  cofund EXAMPLE", a line too long for the terminal continued with " \"
 * on the next (the examples are ASCII command lines). */
static void print_example(FILE *f, const char *s, size_t len)
{
    const char *lead = "  cofund ";
    const int max = HELP_WIDTH + 2; /* the widest line: 80 columns */
    for (;;) {
        size_t room = (size_t)(max - (int)strlen(lead) - 2), cut = len; /* 2: " \" */
        if (strlen(lead) + len > (size_t)max) { /* before an option, else after a word */
            size_t word = 0, opt = 0;
            for (size_t i = 1; i <= room && i + 1 < len; i++)
                if (s[i] == ' ') {
                    word = i;
                    if (s[i + 1] == '-') opt = i;
                }
            cut = opt ? opt : word;
        }
        if (cut == 0 || cut == len) { /* fits, or no space to break at */
            fprintf(f, "%s%.*s\n", lead, (int)len, s);
            return;
        }
        fprintf(f, "%s%.*s \\\n", lead, (int)cut, s);
        s += cut + 1;
        len -= cut + 1;
        lead = "        ";
    }
}

void cli_print_help(FILE *f, const cli_cmd *c)
{
    cli_print_usage(f, c);
    if (c->help) {
        fputc('\n', f);
        cli_print_wrapped(f, _(c->help), 0, HELP_WIDTH);
    }
    fputs(_("\noptions:\n"), f);
    for (size_t i = 0; c->opts && c->opts[i].name; i++) {
        const cli_opt *o = &c->opts[i];
        char left[96], help[512];
        snprintf(left, sizeof left, "  --%s%s%s", o->name, o->value ? " " : "",
                 o->value ? o->value : "");
        snprintf(help, sizeof help, "%s%s%s", o->help ? _(o->help) : "",
                 o->flags & CLI_REQUIRED ? _(" (required)") : "",
                 o->max > 1 ? _(" (repeatable)") : "");
        if ((int)strlen(left) + 2 > OPT_COLUMN) {
            fprintf(f, "%s\n", left);
            cli_print_wrapped(f, help, OPT_COLUMN, HELP_WIDTH);
        } else {
            fprintf(f, "%-*s", OPT_COLUMN, left);
            cli_print_wrapped_at(f, help, OPT_COLUMN, OPT_COLUMN, HELP_WIDTH);
        }
    }
    fprintf(f, "%-*s%s\n", OPT_COLUMN, "  --help", _("this help"));
    if (c->example) {
        fputs(_("\nexample:\n"), f);
        const char *s = c->example;
        while (*s) {
            size_t len = strcspn(s, "\n");
            print_example(f, s, len);
            s += len + (s[len] == '\n');
        }
    }
}

int cli_usage_error(const cli_args *a, const char *fmt, ...)
{
    va_list ap;
    fprintf(stderr, "cofund %s: ", a->cmd->name); /* names stay English */
    va_start(ap, fmt);
    vfprintf(stderr, cf_tr(fmt), ap);
    va_end(ap);
    fputc('\n', stderr);
    cli_print_usage(stderr, a->cmd);
    return CLI_USAGE;
}

/* ---- parsing ------------------------------------------------------------------ */

/* value is one of the '|'-separated choices */
static bool is_choice(const char *choices, const char *value)
{
    size_t n = strlen(value);
    for (const char *s = choices; *s;) {
        size_t len = strcspn(s, "|");
        if (len == n && strncmp(s, value, n) == 0) return true;
        s += len + (s[len] == '|');
    }
    return false;
}

/* "table|json" as "table or json" */
static void choices_text(const char *choices, char *out, size_t cap)
{
    size_t n = 0;
    const char *last = strrchr(choices, '|');
    for (const char *s = choices; *s && n + 5 < cap; s++) {
        if (*s != '|') {
            out[n++] = *s;
        } else {
            const char *sep = s == last ? _(" or ") : ", ";
            memcpy(out + n, sep, strlen(sep));
            n += strlen(sep);
        }
    }
    out[n] = '\0';
}

int cli_parse(const cli_cmd *c, int argc, char **argv, cli_args *a, bool *help)
{
    size_t n = nopts(c);
    memset(a, 0, sizeof *a);
    a->cmd = c;
    a->argc = argc;
    a->argv = argv;
    *help = false;
    if (c->flags & CLI_OWN_PARSER) { /* only --help is ours */
        for (int i = 1; i < argc && strcmp(argv[i], "--") != 0; i++)
            if (strcmp(argv[i], "--help") == 0) *help = true;
        return CLI_OK;
    }
    struct option *lo = calloc(n + 2, sizeof *lo);
    a->vals = calloc((size_t)argc + 1, sizeof *a->vals);
    a->opt = calloc((size_t)argc + 1, sizeof *a->opt);
    unsigned *count = calloc(n + 1, sizeof *count);
    if (lo == NULL || a->vals == NULL || a->opt == NULL || count == NULL) {
        free(lo);
        free(count);
        cli_args_free(a);
        return cli_failf(CF_ENOMEM, "out of memory parsing the arguments");
    }
    for (size_t i = 0; i < n; i++)
        lo[i] = (struct option){c->opts[i].name, c->opts[i].value ? required_argument : no_argument,
                                NULL, (int)(i + 1)};
    lo[n] = (struct option){"help", no_argument, NULL, (int)(n + 1)};
    int rc = CLI_OK, ch;
    optind = 0;
    opterr = 0; /* our messages name the whole command */
    while ((ch = getopt_long(argc, argv, ":", lo, NULL)) != -1) {
        if (ch == (int)(n + 1)) {
            *help = true;
            continue;
        }
        if (rc != CLI_OK) continue; /* look on for --help only */
        if (ch == ':') {
            rc = cli_usage_error(a, "%s needs a value", argv[optind - 1]);
        } else if (ch == '?' && optopt) {
            rc = cli_usage_error(a, "unknown option -%c", optopt);
        } else if (ch == '?') {
            rc = cli_usage_error(a, "unknown option %s", argv[optind - 1]);
        } else {
            const cli_opt *o = &c->opts[ch - 1];
            const char *v = optarg ? optarg : "";
            if ((o->flags & CLI_CHOICE) && !is_choice(o->value, v)) {
                char choices[128];
                choices_text(o->value, choices, sizeof choices);
                rc = cli_usage_error(a, "--%s %s: expected %s", o->name, v, choices);
                continue;
            }
            if ((o->flags & CLI_ID) && !entry_id_valid(v, strlen(v))) {
                rc = cli_usage_error(a, "--%s \"%s\": %s", o->name, v, ID_RULE);
                continue;
            }
            if (++count[ch - 1] > (o->max ? o->max : UINT32_MAX)) {
                rc = cli_usage_error(a, "--%s: at most %u of them", o->name, o->max);
                continue;
            }
            a->opt[a->nvals] = (unsigned short)(ch - 1);
            a->vals[a->nvals++] = v;
        }
    }
    a->pos = argv + optind;
    a->npos = argc - optind;
    for (size_t i = 0; i < n && rc == CLI_OK && !*help; i++)
        if ((c->opts[i].flags & CLI_REQUIRED) && count[i] == 0) {
            rc = cli_usage_error(a, "--%s %s is needed", c->opts[i].name,
                                 c->opts[i].value ? c->opts[i].value : "");
        }
    if (rc == CLI_OK && !*help) {
        if ((unsigned)a->npos > c->max_args)
            rc = cli_usage_error(a, "%s: \"%s\"", c->max_args ? _("too many arguments")
                                                              : _("takes no arguments"),
                                 a->pos[c->max_args]);
        else if ((unsigned)a->npos < c->min_args)
            rc = cli_usage_error(a, "%s is needed", c->args ? c->args : _("an argument"));
        else if ((c->flags & CLI_ARG_ID) && a->npos > 0 &&
                 !entry_id_valid(a->pos[0], strlen(a->pos[0])))
            rc = cli_usage_error(a, "%s \"%s\": %s", c->args, a->pos[0], ID_RULE);
    }
    free(lo);
    free(count);
    if (*help) rc = CLI_OK;
    if (rc != CLI_OK) cli_args_free(a);
    return rc;
}

void cli_args_free(cli_args *a)
{
    free(a->vals);
    free(a->opt);
    a->vals = NULL;
    a->opt = NULL;
    a->nvals = 0;
}

const char *cli_get(const cli_args *a, const char *name)
{
    int k = opt_index(a->cmd, name);
    for (size_t i = a->nvals; i-- > 0;)
        if (a->opt[i] == k) return a->vals[i];
    return NULL;
}

size_t cli_get_all(const cli_args *a, const char *name, const char **out, size_t cap)
{
    int k = opt_index(a->cmd, name);
    size_t n = 0;
    for (size_t i = 0; i < a->nvals; i++)
        if (a->opt[i] == k && n < cap) out[n++] = a->vals[i];
    return n;
}

enum cli_format cli_get_format(const cli_args *a)
{
    enum cli_format f = CLI_TABLE;
    const char *s = cli_get(a, "format");
    if (s) (void)cli_parse_format(s, &f); /* a choice the parser checked */
    return f;
}
