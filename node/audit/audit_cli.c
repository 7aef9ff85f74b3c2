/* audit_cli.c — the audit's command line, shared word for word by the
 * `cofund-audit` binary (main.c) and `cofund audit` (node/cli/cmd_audit.c):
 *
 *   audit BUNDLE [--witnesses K] [--trust KEY] [--format text|json]
 *   audit --evidence FILE [BUNDLE] [--format text|json]
 *
 * KEY is the governance member's public key (64 hex digits) or its C2SP
 * verifier key (`cofund whoami` prints it). Exit statuses: audit.h. The
 * report goes to stdout, progress (only when stderr is a terminal) and
 * errors to stderr.
 */
#include <getopt.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "audit.h"
#include "audit_cli.h"
#include "crypto/cf_error.h"
#include "crypto/cf_util.h"
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
    if (pass == 1)
        fprintf(stderr, "\r\033[K%s: verifying: %.1f of %.1f MB read, %.1f MB/s", p->prog,
                (double)done / 1e6, (double)total / 1e6, rate / 1e6);
    else
        fprintf(stderr, "\r\033[K%s: replaying the rules: %" PRIu64 " of %" PRIu64
                        " entries, %.0f entries/s", p->prog, done, total, rate);
}

static int usage(const char *prog)
{
    fprintf(stderr,
            "usage: %s BUNDLE [--witnesses K] [--trust KEY] [--format text|json]\n"
            "       %s --evidence FILE [BUNDLE] [--format text|json]\n",
            prog, prog);
    return AUDIT_EXIT_USAGE;
}

/* 64 hex digits, or a verifier key "name+keyid+base64(0x01||key)". */
static int parse_key(const char *s, uint8_t key[32])
{
    char name[NOTE_NAME_BYTES_MAX + 1];
    if (strlen(s) == 64) return cf_hex_decode(s, 64, key, 32);
    return note_vkey_parse(s, strlen(s), name, sizeof name, key);
}

int audit_cli(const char *prog, int argc, char **argv)
{
    static const struct option opts[] = {
        {"witnesses", required_argument, NULL, 'w'}, {"trust", required_argument, NULL, 't'},
        {"format", required_argument, NULL, 'f'},    {"evidence", required_argument, NULL, 'e'},
        {NULL, 0, NULL, 0},
    };
    audit_opts o = {.threads = sysconf(_SC_NPROCESSORS_ONLN) > 1 ? 1 : 0};
    enum audit_format fmt = AUDIT_TEXT;
    const char *evidence = NULL;
    char *end;
    int c;
    optind = 0;
    while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1) {
        switch (c) {
        case 'w': {
            unsigned long k = strtoul(optarg, &end, 10);
            if (*optarg < '0' || *optarg > '9' || *end || k > 64) return usage(prog);
            o.witnesses = (unsigned)k;
            break;
        }
        case 't':
            if (parse_key(optarg, o.trust) != CF_OK) {
                fprintf(stderr, "%s: --trust: not a public key (64 hex digits) or verifier key\n", prog);
                return AUDIT_EXIT_USAGE;
            }
            o.has_trust = true;
            break;
        case 'f':
            if (strcmp(optarg, "text") == 0) fmt = AUDIT_TEXT;
            else if (strcmp(optarg, "json") == 0) fmt = AUDIT_JSON;
            else return usage(prog);
            break;
        case 'e': evidence = optarg; break;
        default: return usage(prog);
        }
    }
    diag d;
    if (evidence) {
        if (argc - optind > 1 || o.witnesses || o.has_trust) return usage(prog);
        int rc = audit_evidence_check(evidence, optind < argc ? argv[optind] : NULL, stdout, fmt,
                                      &d);
        if (rc >= AUDIT_EXIT_INPUT) fprintf(stderr, "%s: %s\n", prog, d.text);
        return rc;
    }
    if (optind != argc - 1) return usage(prog);
    progress_state ps = {.prog = prog};
    if (isatty(STDERR_FILENO)) {
        o.progress = progress;
        o.progress_arg = &ps;
    }
    audit *a;
    int err = audit_run(argv[optind], &o, &a, &d);
    if (o.progress) fputs("\r\033[K", stderr);
    if (err) {
        fprintf(stderr, "%s: %s\n", prog, d.text);
        return err == CF_ENOMEM || err == CF_EIO ? AUDIT_EXIT_INPUT + 1 : AUDIT_EXIT_INPUT;
    }
    /* The report's status: the checks' and the figures' (audit_print). */
    int rc = audit_print(a, stdout, fmt);
    if (rc < 0 || fflush(stdout) != 0) {
        fprintf(stderr, "%s: cannot write the report\n", prog);
        rc = AUDIT_EXIT_INPUT + 1;
    }
    audit_free(a);
    return rc;
}
