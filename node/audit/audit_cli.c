/* audit_cli.c — the audit's command line, shared word for word by the
 * `cofund-audit` binary (main.c) and `cofund audit` (node/cli/cmd_audit.c):
 *
 *   audit BUNDLE [--witnesses K] [--trust KEY] [--format text|json]
 *   audit --evidence FILE [BUNDLE] [--format text|json]
 *   ... [--lang zh|en] [--unit yuan|wan]
 *
 * KEY is the governance member's public key (64 hex digits) or its C2SP
 * verifier key (`cofund whoami` prints it). Exit statuses: audit.h. The
 * report goes to stdout, progress (only when stderr is a terminal) and
 * errors to stderr.
 */
#include <errno.h>
#include <getopt.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "audit.h"
#include "audit_cli.h"
#include "crypto/cf_error.h"
#include "crypto/cf_i18n.h"
#include "crypto/cf_util.h"
#include "crypto/keyfile.h"
#include "crypto/note.h"

typedef struct {
    const char *prog;
    uint64_t t0_ns;
    int last_pass;
} progress_state;

static uint64_t now_ns(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

static void progress(void *arg, int pass, uint64_t done, uint64_t total)
{
    progress_state *p = arg;
    if (pass != p->last_pass) {
        p->t0_ns = now_ns();
        p->last_pass = pass;
    }
    double secs = (double)(now_ns() - p->t0_ns) / 1e9;
    double rate = secs > 0 ? (double)done / secs : 0;
    fputs("\r\033[K", stderr);
    if (pass == 1)
        fprintf(stderr, _("%s: verifying: %.1f of %.1f MB read, %.1f MB/s"), p->prog,
                (double)done / 1e6, (double)total / 1e6, rate / 1e6);
    else
        fprintf(stderr, _("%s: replaying the rules: %" PRIu64 " of %" PRIu64
                          " entries, %.0f entries/s"), p->prog, done, total, rate);
}

/* "usage: PROG ..." — the two forms. */
static void print_usage(FILE *f, const char *prog)
{
    /* TRANSLATORS: only "usage:" is words; the rest is the command line. */
    fprintf(f,
            _("usage: %s BUNDLE [--witnesses K] [--trust KEY] [--format text|json]\n"
              "                 [--sign KEYFILE --out STATEMENT [--passphrase-file F]] [--html FILE]\n"
              "                 [--lang zh|en] [--unit yuan|wan]\n"
              "       %s BUNDLE --proof FEED:INDEX\n"
              "       %s --evidence FILE [BUNDLE] [--format text|json]\n"),
            prog, prog, prog);
}

/* "PROG: <what is wrong>" and the usage, on stderr; the usage exit status. */
static int usage(const char *prog, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static int usage(const char *prog, const char *fmt, ...)
{
    va_list ap;
    fprintf(stderr, "%s: ", prog);
    va_start(ap, fmt);
    vfprintf(stderr, fmt, ap);
    va_end(ap);
    fputc('\n', stderr);
    print_usage(stderr, prog);
    return AUDIT_EXIT_USAGE;
}

/* text wrapped to 78 display columns (at spaces, or beside a CJK
 * character), each line indented by `indent` (the first: the caller printed
 * up to column `col`). */
static void print_wrapped(FILE *f, const char *text, int col, int indent)
{
    while (*text) {
        size_t take = cf_text_break(text, strlen(text), (size_t)(78 - col));
        fprintf(f, "%.*s\n", (int)take, text);
        text += take;
        while (*text == ' ') text++;
        if (*text) fprintf(f, "%*s", indent, "");
        col = indent;
    }
}

#define OPT_COLUMN 24
#define HELP_OPT(name, value, help) {name, value, help},
static const struct {
    const char *name, *value, *help;
} help_opts[] = {AUDIT_CLI_OPTIONS(HELP_OPT){"help", NULL, N_("this help")},
                 {"version", NULL, N_("the version")}};

static void print_help(const char *prog)
{
    print_usage(stdout, prog);
    fputc('\n', stdout);
    print_wrapped(stdout, _(AUDIT_CLI_HELP), 0, 0);
    fprintf(stdout, "\n%s\n", _("options:"));
    for (size_t i = 0; i < sizeof help_opts / sizeof help_opts[0]; i++) {
        char left[64];
        snprintf(left, sizeof left, "  --%s%s%s", help_opts[i].name, help_opts[i].value ? " " : "",
                 help_opts[i].value ? help_opts[i].value : "");
        printf("%-*s", OPT_COLUMN, left);
        if ((int)strlen(left) >= OPT_COLUMN) printf("\n%*s", OPT_COLUMN, "");
        print_wrapped(stdout, _(help_opts[i].help), OPT_COLUMN, OPT_COLUMN);
    }
    fprintf(stdout, "\n%s\n", _("example:"));
    const char *s = AUDIT_CLI_EXAMPLE; /* lines "audit ARGS" */
    while (*s) {
        size_t len = strcspn(s, "\n"), word = strcspn(s, " ");
        printf("  %s%.*s\n", prog, (int)(len - word), s + word);
        s += len + (s[len] == '\n');
    }
}

/* 64 hex digits, or a verifier key "name+keyid+base64(0x01||key)". */
static int parse_key(const char *s, uint8_t key[32])
{
    char name[NOTE_NAME_BYTES_MAX + 1];
    if (strlen(s) == 64) return cf_hex_decode(s, 64, key, 32);
    return note_vkey_parse(s, strlen(s), name, sizeof name, key);
}

/* --sign's key, loaded before the audit runs (a wrong passphrase fails
 * fast); AUDIT_EXIT_OK or the exit status, said on stderr. */
static int load_signer(const char *prog, const char *path, const char *passfile,
                       keyfile_keypair *kp)
{
    char pass[KEYFILE_PASSPHRASE_MAX + 1];
    size_t pass_len = 0;
    int err = CF_OK;
    if (passfile) err = keyfile_read_passphrase(passfile, pass, sizeof pass, &pass_len);
    if (err == CF_OK) err = keyfile_load(path, passfile ? pass : NULL, pass_len, kp);
    cf_wipe(pass, sizeof pass);
    if (err == CF_OK) return AUDIT_EXIT_OK;
    fprintf(stderr, "%s: --sign %s: %s%s\n", prog, path, cf_strerror(err),
            err == CF_EKEY_NEED_PASSPHRASE ? _(" (give --passphrase-file)") : "");
    return err == CF_EIO || err == CF_ENOMEM ? AUDIT_EXIT_INPUT + 1 : AUDIT_EXIT_INPUT;
}

/* The report printed, hashed as printed, and the statement over it written
 * to `out`; the verifier key goes to stderr. */
static int print_signed(const char *prog, const audit *a, enum audit_format fmt,
                        const keyfile_keypair *kp, const char *out)
{
    char *report = NULL, signed_note[NOTE_BYTES_MAX + 1], vkey[NOTE_VKEY_BYTES_MAX];
    size_t report_len = 0, note_len;
    uint8_t sha[32];
    FILE *mem = open_memstream(&report, &report_len);
    if (mem == NULL) return -1;
    int rc = audit_print(a, mem, fmt);
    if (fclose(mem) != 0 || rc < 0) {
        free(report);
        return -1;
    }
    cf_sha256(report, report_len, sha);
    bool wrote = fwrite(report, 1, report_len, stdout) == report_len;
    free(report);
    if (!wrote) return -1;
    int err = audit_statement(a, rc, sha, kp->sk, signed_note, sizeof signed_note, &note_len);
    FILE *f = err ? NULL : fopen(out, "w");
    bool written = f != NULL && fwrite(signed_note, 1, note_len, f) == note_len;
    if (f != NULL && fclose(f) != 0) written = false;
    if (err || !written) {
        fprintf(stderr, _("%s: cannot write the statement to %s: %s\n"), prog, out,
                err ? cf_strerror(err) : strerror(errno));
        return AUDIT_EXIT_INPUT + 1;
    }
    audit_verifier_key(kp->pk, vkey, sizeof vkey);
    fprintf(stderr, _("%s: statement \"%s\" signed to %s; its verifier key: %s\n"), prog,
            audit_verdict(a, rc), out, vkey);
    return rc;
}

/* --html FILE: the report drawn once more, as HTML. */
static int write_html(const char *prog, const audit *a, const char *path)
{
    FILE *f = fopen(path, "w");
    int rc = f ? audit_print_html(a, f) : -1;
    if (f != NULL && fclose(f) != 0) rc = -1;
    if (rc >= 0) return 0;
    fprintf(stderr, _("%s: cannot write the HTML report to %s%s%s\n"), prog, path,
            errno ? ": " : "", errno ? strerror(errno) : "");
    return -1;
}

/* --proof: the entry's proof, once the bundle verified. */
static int print_proof(const char *prog, audit *a, const char *feed, uint64_t index)
{
    uint8_t key[32];
    diag d;
    int status = audit_exit_code(a);
    if (audit_member_key(a, feed, key) != CF_OK) {
        fprintf(stderr, _("%s: --proof: no member named %s in the bundle (give its name or its "
                          "64-hex key)\n"), prog, feed);
        return AUDIT_EXIT_INPUT;
    }
    int err = audit_proof(a, key, index, stdout, &d);
    if (err) {
        fprintf(stderr, "%s: --proof: %s\n", prog, d.text);
        return err == CF_EIO || err == CF_ENOMEM ? AUDIT_EXIT_INPUT + 1
               : err == CF_EVERIFY             ? AUDIT_EXIT_FAILED
                                               : AUDIT_EXIT_INPUT;
    }
    if (status != AUDIT_EXIT_OK)
        fprintf(stderr, _("%s: note: the bundle failed other checks (run the audit for the "
                          "report); this proof's checkpoint and entry verified\n"), prog);
    return AUDIT_EXIT_OK;
}

static bool is_lang(const char *s) { return strcmp(s, "zh") == 0 || strcmp(s, "en") == 0; }

/* The JSON report and the evidence check's JSON are the same in every
 * language: their texts (a rule's message, a failure) are written in
 * English, whatever the language of the rest. Returns the language to go
 * back to (json_done). */
static enum cf_lang json_begin(enum audit_format fmt)
{
    enum cf_lang was = cf_i18n_lang();
    if (fmt == AUDIT_JSON && was != CF_LANG_EN) cf_i18n_init(CF_LANG_EN, NULL);
    return was;
}

static void json_done(enum cf_lang was)
{
    if (cf_i18n_lang() != was) cf_i18n_init(was, NULL);
}

int audit_cli(const char *prog, int argc, char **argv)
{
    static const struct option opts[] = {
        {"witnesses", required_argument, NULL, 'w'}, {"trust", required_argument, NULL, 't'},
        {"format", required_argument, NULL, 'f'},    {"evidence", required_argument, NULL, 'e'},
        {"sign", required_argument, NULL, 's'},      {"out", required_argument, NULL, 'o'},
        {"passphrase-file", required_argument, NULL, 'p'},
        {"proof", required_argument, NULL, 'P'},    {"html", required_argument, NULL, 'H'},
        {"lang", required_argument, NULL, 'L'},     {"unit", required_argument, NULL, 'U'},
        {"help", no_argument, NULL, 'h'},            {"version", no_argument, NULL, 'V'},
        {NULL, 0, NULL, 0},
    };
    const char *sign = NULL, *out = NULL, *passfile = NULL, *proof = NULL, *html = NULL;
    audit_opts o = {.threads = sysconf(_SC_NPROCESSORS_ONLN) > 1 ? 1 : 0};
    enum audit_format fmt = AUDIT_TEXT;
    const char *evidence = NULL;
    char *end;
    int c;
    /* --lang first (the help and every message speak it), then --help and
     * --version win over anything else on the line. */
    for (int i = 1; i < argc && strcmp(argv[i], "--") != 0; i++) {
        const char *v = strcmp(argv[i], "--lang") == 0 && i + 1 < argc ? argv[i + 1]
                        : strncmp(argv[i], "--lang=", 7) == 0        ? argv[i] + 7
                                                                     : NULL;
        enum cf_lang lang;
        if (v && is_lang(v) && cf_lang_parse(v, &lang) == CF_OK) cf_i18n_init(lang, NULL);
    }
    for (int i = 1; i < argc && strcmp(argv[i], "--") != 0; i++) {
        if (strcmp(argv[i], "--help") == 0) {
            print_help(prog);
            return AUDIT_EXIT_OK;
        }
        if (strcmp(argv[i], "--version") == 0) {
            printf("%s %s\n", prog, COFUND_VERSION);
            return AUDIT_EXIT_OK;
        }
    }
    optind = 0;
    opterr = 0; /* our messages say what is wrong */
    while ((c = getopt_long(argc, argv, ":", opts, NULL)) != -1) {
        switch (c) {
        case 'w': {
            unsigned long k = strtoul(optarg, &end, 10);
            if (*optarg < '0' || *optarg > '9' || *end || k > 64)
                return usage(prog, _("--witnesses %s: expected a number of members from 0 to 64"),
                             optarg);
            o.witnesses = (unsigned)k;
            break;
        }
        case 't':
            if (parse_key(optarg, o.trust) != CF_OK)
                return usage(prog, _("--trust %s: not a public key (64 hex digits) or verifier key"),
                             optarg);
            o.has_trust = true;
            break;
        case 'f':
            if (strcmp(optarg, "text") == 0) fmt = AUDIT_TEXT;
            else if (strcmp(optarg, "json") == 0) fmt = AUDIT_JSON;
            else return usage(prog, _("--format %s: expected text or json"), optarg);
            break;
        case 'e': evidence = optarg; break;
        case 's': sign = optarg; break;
        case 'o': out = optarg; break;
        case 'p': passfile = optarg; break;
        case 'P': proof = optarg; break;
        case 'H': html = optarg; break;
        case 'L':
            if (!is_lang(optarg)) return usage(prog, _("--lang %s: expected zh or en"), optarg);
            break; /* taken above */
        case 'U': {
            enum audit_unit u;
            if (audit_parse_unit(optarg, &u) != CF_OK)
                return usage(prog, _("--unit %s: expected yuan or wan"), optarg);
            audit_set_unit(u);
            break;
        }
        case ':': return usage(prog, _("%s needs a value"), argv[optind - 1]);
        default:
            if (optopt) return usage(prog, _("unknown option -%c"), optopt);
            return usage(prog, _("unknown option %s"), argv[optind - 1]);
        }
    }
    diag d;
    if (evidence) {
        if (argc - optind > 1)
            return usage(prog, _("--evidence takes at most one BUNDLE: \"%s\" is one too many"),
                         argv[optind + 1]);
        if (o.witnesses || o.has_trust)
            return usage(prog, _("--witnesses and --trust apply to a BUNDLE's audit, not to "
                               "--evidence"));
        enum cf_lang was = json_begin(fmt);
        int rc = audit_evidence_check(evidence, optind < argc ? argv[optind] : NULL, stdout, fmt,
                                      &d);
        json_done(was);
        if (rc >= AUDIT_EXIT_INPUT) fprintf(stderr, "%s: %s\n", prog, d.text);
        return rc;
    }
    if (optind == argc) return usage(prog, _("BUNDLE is needed (or --evidence FILE)"));
    if (argc - optind > 1)
        return usage(prog, _("takes one BUNDLE: \"%s\" is one too many"), argv[optind + 1]);
    if ((sign != NULL) != (out != NULL))
        return usage(prog, _("--sign KEYFILE and --out STATEMENT go together"));
    if (passfile && !sign) return usage(prog, _("--passphrase-file goes with --sign"));
    if (proof && (sign || html))
        return usage(prog, _("--proof prints a proof, not a report to sign or draw"));
    uint64_t proof_index = 0;
    char proof_feed[128];
    if (proof) {
        const char *colon = strrchr(proof, ':');
        if (colon == NULL || colon == proof || (size_t)(colon - proof) >= sizeof proof_feed ||
            colon[1] < '0' || colon[1] > '9' || (proof_index = strtoull(colon + 1, &end, 10), *end))
            return usage(prog, _("--proof %s: expected FEED:INDEX (a member's name or key, an "
                               "entry index)"), proof);
        snprintf(proof_feed, sizeof proof_feed, "%.*s", (int)(colon - proof), proof);
    }
    keyfile_keypair kp;
    if (sign && (c = load_signer(prog, sign, passfile, &kp)) != AUDIT_EXIT_OK) return c;
    const char *path = argv[optind];
    if (strcmp(path, "-") == 0) { /* standard input (copied to a temporary file) */
        path = "/dev/stdin";
        o.name = "-";
    }
    progress_state ps = {.prog = prog};
    if (isatty(STDERR_FILENO)) {
        o.progress = progress;
        o.progress_arg = &ps;
    }
    audit *a;
    enum cf_lang was = json_begin(fmt);
    int err = audit_run(path, &o, &a, &d);
    if (o.progress) fputs("\r\033[K", stderr);
    if (err) {
        json_done(was);
        if (sign) keyfile_wipe(&kp);
        fprintf(stderr, "%s: %s\n", prog, d.text);
        return err == CF_ENOMEM || err == CF_EIO ? AUDIT_EXIT_INPUT + 1 : AUDIT_EXIT_INPUT;
    }
    int rc = proof ? print_proof(prog, a, proof_feed, proof_index)
           : sign  ? print_signed(prog, a, fmt, &kp, out)
                   : audit_print(a, stdout, fmt);
    json_done(was); /* the statement's messages and the HTML report: the language's */
    if (sign) keyfile_wipe(&kp);
    if (html && rc >= 0 && rc < AUDIT_EXIT_USAGE && write_html(prog, a, html) != 0)
        rc = AUDIT_EXIT_INPUT + 1;
    /* The report's status: the checks' and the figures' (audit_print). */
    if (rc < 0 || fflush(stdout) != 0) {
        fprintf(stderr, _("%s: cannot write the report\n"), prog);
        rc = AUDIT_EXIT_INPUT + 1;
    }
    audit_free(a);
    return rc;
}
