/* cli_man.c — the manual pages cofund(1) and cofund-audit(1), written in
 * roff from the command table (cli.h), the same one parsing and --help use,
 * so the pages cannot drift from the binary; cofund.conf(5) from the config
 * parser's table of settings (net/config.h). `cofund help --man [PAGE]`
 * prints them; the build writes them (node/cli/CMakeLists.txt) and
 * `cmake --install` installs them. */
#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "net/config.h"

/* text with roff's specials escaped; a line starting with '.' or '\'' is
 * kept as text. */
static void roff(FILE *f, const char *text)
{
    bool line_start = true;
    for (const char *s = text; *s; s++) {
        if (line_start && (*s == '.' || *s == '\'')) fputs("\\&", f);
        if (*s == '\\') fputs("\\e", f);
        else if (*s == '-') fputs("\\-", f);
        else fputc(*s, f);
        line_start = *s == '\n';
    }
}

/* The usage lines of c without "usage: ", one line, prog for "cofund". */
static void synopsis(FILE *f, const cli_cmd *c, const char *prog)
{
    char *buf = NULL;
    size_t len = 0;
    FILE *m = open_memstream(&buf, &len);
    if (m == NULL) return;
    cli_print_usage(m, c);
    fclose(m);
    /* "usage: cofund NAME ..." wrapped: join the lines again. */
    const char *s = buf + strlen("usage: cofund ") + strlen(c->name);
    fputs(".B \"", f);
    roff(f, prog ? prog : "cofund ");
    if (!prog) roff(f, c->name);
    fputs("\"\n", f);
    char *rest = strdup(s);
    if (rest) {
        char *w = rest;
        for (const char *r = rest; *r; r++) { /* collapse newline + indent */
            if (*r == '\n') {
                while (r[1] == ' ') r++;
                if (r[1]) *w++ = ' ';
                continue;
            }
            *w++ = *r;
        }
        *w = '\0';
        const char *t = rest;
        while (*t == ' ') t++;
        if (*t) {
            roff(f, t);
            fputc('\n', f);
        }
    }
    free(rest);
    free(buf);
}

static void command(FILE *f, const cli_cmd *c, const char *prog, bool with_synopsis)
{
    if (with_synopsis) synopsis(f, c, prog);
    if (c->help) {
        fputs(".PP\n", f);
        roff(f, c->help);
        fputc('\n', f);
    }
    for (size_t i = 0; c->opts && c->opts[i].name; i++) {
        const cli_opt *o = &c->opts[i];
        fputs(".TP\n.BI \"\\-\\-", f);
        roff(f, o->name);
        fputs(o->value ? " \" \"" : "\"", f);
        if (o->value) roff(f, o->value);
        fputs(o->value ? "\"\n" : "\n", f);
        roff(f, o->help ? o->help : "");
        if (o->flags & CLI_REQUIRED) fputs(" (required)", f);
        if (o->max > 1) fputs(" (repeatable)", f);
        fputc('\n', f);
    }
    if (c->example) {
        fputs(".PP\nExample:\n.PP\n.RS\n.nf\n", f);
        const char *s = c->example;
        while (*s) {
            size_t n = strcspn(s, "\n");
            char line[512];
            snprintf(line, sizeof line, "%.*s", (int)n, s);
            if (prog) { /* "audit ARGS" as "cofund-audit ARGS" */
                roff(f, prog);
                roff(f, line + strcspn(line, " "));
            } else {
                fputs("cofund ", f);
                roff(f, line);
            }
            fputc('\n', f);
            s += n + (s[n] == '\n');
        }
        fputs(".fi\n.RE\n", f);
    }
}

static const char EXIT_STATUS[] =
    ".SH EXIT STATUS\n"
    ".TP\n0\nok\n"
    ".TP\n1\nrejected by a rule, or verification failed (a fork, a violation, a bundle that "
    "fails its checks, a damaged home)\n"
    ".TP\n2\nusage error: an unknown option, a missing or extra argument, a malformed value "
    "(named by its option)\n"
    ".TP\n3\nbad input or configuration: not found, no such home, a bad key file or "
    "passphrase, a file that is not a cofund bundle\n"
    ".TP\n4\nenvironment failure: I/O error, disk full, store error\n";

static void page_cofund(FILE *f, const cli_listing_item *l, size_t n)
{
    fputs(".TH COFUND 1 \"\" \"cofund " COFUND_VERSION "\" \"User Commands\"\n"
          ".SH NAME\ncofund \\- the shared, verifiable record of a city's guidance-fund "
          "co-investments\n"
          ".SH SYNOPSIS\n.B cofund\n[\\fB\\-\\-home\\fR \\fIDIR\\fR] "
          "[\\fB\\-\\-passphrase\\-file\\fR \\fIF\\fR] \\fICOMMAND\\fR [\\fIARGS\\fR]\n.br\n"
          ".B cofund help\n[\\fICOMMAND\\fR] | \\fBcofund\\fR \\fICOMMAND\\fR \\fB\\-\\-help\\fR "
          "| \\fBcofund \\-\\-version\\fR\n"
          ".SH DESCRIPTION\nEvery participant runs a home: its own signed, append\\-only feed "
          "and verified replicas of everyone else's. The co\\-investment rules run when an "
          "entry is appended and again on every replica. The commands below write entries, "
          "query the state, produce evidence and replicate.\n"
          ".PP\nThe home is \\fB\\-\\-home\\fR, else \\fB$COFUND_HOME\\fR, else "
          "\\fI~/.cofund\\fR; a passphrase\\-protected key reads its passphrase from "
          "\\fB\\-\\-passphrase\\-file\\fR, else \\fB$COFUND_PASSPHRASE_FILE\\fR, else the "
          "terminal.\n",
          f);
    for (size_t i = 0; i < n; i++) {
        if (l[i].section) {
            fputs(".SH \"", f);
            for (const char *s = l[i].section; *s; s++) fputc(toupper((unsigned char)*s), f);
            fputs("\"\n", f);
            continue;
        }
        fputs(".SS \"", f);
        roff(f, l[i].cmd->name);
        fputs("\"\n", f);
        command(f, l[i].cmd, NULL, true);
    }
    fputs(EXIT_STATUS, f);
    fputs(".SH ENVIRONMENT\n.TP\nCOFUND_HOME\nthe home, when \\-\\-home is not given\n"
          ".TP\nCOFUND_PASSPHRASE_FILE\nthe passphrase file, when \\-\\-passphrase\\-file is "
          "not given\n"
          ".SH FILES\n.TP\n~/.cofund\nthe default home: key (0600), store/, config "
          "(see cofund.conf.example)\n"
          ".SH SEE ALSO\n.BR cofund\\-audit (1);\ndocs/cli.md, docs/operations.md, "
          "docs/rules.md in the source.\n",
          f);
}

static void page_audit(FILE *f, const cli_cmd *audit)
{
    fputs(".TH COFUND\\-AUDIT 1 \"\" \"cofund " COFUND_VERSION "\" \"User Commands\"\n"
          ".SH NAME\ncofund\\-audit \\- ",
          f);
    roff(f, audit->summary);
    fputs("\n.SH SYNOPSIS\n", f);
    synopsis(f, audit, "cofund-audit");
    fputs(".br\n.B cofund\\-audit \\-\\-help\n| \\fBcofund\\-audit \\-\\-version\\fR\n"
          ".SH DESCRIPTION\n",
          f);
    command(f, audit, "cofund-audit", false);
    fputs(".SH EXIT STATUS\n.TP\n0\neverything checked holds\n.TP\n1\na check failed (a "
          "damaged or tampered bundle included); the first failure is named\n.TP\n2\nusage "
          "error\n.TP\n3\nnot a cofund bundle or evidence file\n.TP\n4\nout of memory or an "
          "I/O error\n"
          ".SH SEE ALSO\n.BR cofund (1);\ndocs/auditing.md in the source.\n",
          f);
}

/* cofund.conf(5), from the parser's own table of settings (net/config.h). */
static void page_conf(FILE *f)
{
    fputs(".TH COFUND.CONF 5 \"\" \"cofund " COFUND_VERSION "\" \"File Formats\"\n"
          ".SH NAME\ncofund.conf \\- the settings of a cofund node\n"
          ".SH SYNOPSIS\n.IR HOME /config\n"
          ".SH DESCRIPTION\nThe file\n.B config\nin a home holds the settings\n"
          ".B cofund node run\nstarts with. One setting per line: its name, blanks, one "
          "value; a\n.B #\nstarts a comment, blank lines are ignored. A missing file is no "
          "setting at all; an unknown setting, a missing or extra value is refused, naming "
          "the line. Flags of\n.B cofund node run\noverride them.\n"
          ".SH SETTINGS\n",
          f);
    for (size_t i = 0; i < net_config_nsettings; i++) {
        const net_config_setting *s = &net_config_settings[i];
        fputs(".TP\n.BI \"", f);
        roff(f, s->name);
        fputs(" \" \"", f);
        roff(f, s->value);
        fputs("\"\n", f);
        roff(f, s->help);
        fputc('\n', f);
    }
    fputs(".SH EXAMPLE\n.nf\nlisten 127.0.0.1:7001\npeer 127.0.0.1:7002\n"
          "peer node\\-c.example:7001   # resolved at every dial\nlog\\-level info\n.fi\n"
          ".SH SEE ALSO\n.BR cofund (1);\ncofund.conf.example, installed with the manual "
          "pages' package; docs/operations.md in the source.\n",
          f);
}

int cli_print_man(FILE *f, const char *page, const cli_listing_item *l, size_t n)
{
    if (page != NULL && strcmp(page, "cofund.conf") == 0) {
        page_conf(f);
        return CLI_OK;
    }
    if (page == NULL || strcmp(page, "cofund") == 0) {
        page_cofund(f, l, n);
        return CLI_OK;
    }
    if (strcmp(page, "cofund-audit") == 0) {
        for (size_t i = 0; i < n; i++)
            if (l[i].cmd && strcmp(l[i].cmd->name, "audit") == 0) {
                page_audit(f, l[i].cmd);
                return CLI_OK;
            }
    }
    fprintf(stderr, "cofund help: no manual page \"%s\" (cofund, cofund-audit or cofund.conf)\n",
            page);
    return CLI_USAGE;
}
