/* cli_util.c — see cli.h. */
#include "cli.h"

#include <errno.h>
#include <jansson.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <termios.h>
#include <time.h>
#include <unistd.h>

#include "crypto/cf_error.h"
#include "crypto/cf_util.h"
#include "home/append.h"
#include "home/own_feed.h"
#include "home/state_kv.h"
#include "ledger/amount.h"
#include "ledger/caltime.h"
#include "ledger/rules.h"
#include "ledger/state.h"
#include "net/net.h"
#include "render.h"
#include "table.h"

/* "cofund COMMAND" once main.c has found the command; "cofund" before. */
static char prog[64] = "cofund";

/* The node's home, while the dashboard runs a query on the node's loop
 * (http_api.c): LMDB allows one environment per process, so a command run
 * there reads through the node's handle instead of opening its own. */
static home *shared_home;

void cli_set_command(const char *name)
{
    snprintf(prog, sizeof prog, "cofund %s", name);
}

const char *cli_prog(void)
{
    return prog;
}

int cli_exit_for(int err)
{
    switch (err) {
    case CF_OK:
        return CLI_OK;
    case CF_EREJECTED:
    case CF_EVERIFY:
    case CF_EFORK:
    case CF_EPENDING:
    case CF_EWRONG_NETWORK:
        return CLI_REJECTED;
    case CF_EINVAL:
        return CLI_USAGE;
    case CF_EIO:
    case CF_ENOSPC:
    case CF_ENOMEM:
    case CF_ESTORE:
    case CF_EMAP_FULL:
    case CF_ECRYPTO:
        return CLI_ENV;
    case CF_ESTORE_CORRUPT: /* what the home holds fails its checks */
        return CLI_REJECTED;
    case CF_EBEHIND: /* try again once the home caught up (docs/cli.md) */
        return CLI_BEHIND;
    default:
        return CLI_INPUT;
    }
}

/* A damaged store: say so, and how to recover (docs/operations.md). */
static void corrupt_hint(int err)
{
    if (err == CF_ESTORE_CORRUPT)
        fprintf(stderr, _("%s: store corrupted: restore this home from its peers or a backup "
                          "(docs/operations.md, \"A corrupted store\")\n"), prog);
}

int cli_fail(const diag *d)
{
    char msg[DIAG_TEXT_BYTES + DIAG_RULE_BYTES + 32];
    diag_format(d, msg, sizeof msg);
    fprintf(stderr, "%s: %s\n", prog, msg);
    corrupt_hint(d->code);
    return cli_exit_for(d->code);
}

int cli_failf(int err, const char *fmt, ...)
{
    va_list ap;
    fprintf(stderr, "%s: ", prog);
    va_start(ap, fmt);
    vfprintf(stderr, cf_tr(fmt), ap);
    va_end(ap);
    fputc('\n', stderr);
    corrupt_hint(err);
    return cli_exit_for(err);
}

int cli_finish(int code)
{
    if (fflush(stdout) != 0 || ferror(stdout)) {
        fprintf(stderr, _("%s: writing output: %s\n"), prog, strerror(errno));
        return code == CLI_OK ? CLI_ENV : code;
    }
    return code;
}

int cli_fail_secret_file(int err, const char *what, const char *path)
{
    struct stat sb;
    what = _(what); /* N_("key file"), N_("passphrase file") */
    if (err == CF_EKEY_PERMS && stat(path, &sb) == 0)
        return cli_failf(err, "%s %s has mode %04o: it must not be readable by group or others "
                              "(chmod 600 %s)",
                         what, path, (unsigned)(sb.st_mode & 07777), path);
    return cli_failf(err, "%s %s: %s", what, path, cf_strerror(err));
}

/* Progress of a long import or export, on a terminal only: one line,
 * rewritten in place, cleared when the command ends (cli_progress_end). */
static bool progress_shown;

static void show_progress(void *arg, const char *what, uint64_t entries)
{
    char n[AMOUNT_TEXT_BYTES];
    (void)arg;
    amount_format_count(entries, n);
    fprintf(stderr, "\r%s: ", prog);
    fprintf(stderr, strcmp(what, "export") == 0 ? _("%s entries written") : _("%s entries read"),
            n);
    progress_shown = true;
}

void cli_close_home(home *h)
{
    if (h != shared_home) home_close(h);
}

void cli_progress_end(void)
{
    if (progress_shown) fputs("\r\033[K", stderr);
    progress_shown = false;
}

void cli_share_home(home *h)
{
    shared_home = h;
}

int cli_open_home(const cli_env *env, unsigned flags, home **h)
{
    diag d;
    if (shared_home) {
        *h = shared_home;
        return CLI_OK;
    }
    if (home_open(env->home_dir, flags, h, &d) != CF_OK) return cli_fail(&d);
    if (isatty(STDERR_FILENO)) (*h)->progress = show_progress;
    return CLI_OK;
}

/* Read a passphrase from the terminal with echo off. */
static int prompt_passphrase(char *out, size_t cap, size_t *len)
{
    FILE *tty = fopen("/dev/tty", "r+");
    if (tty == NULL) return CF_EKEY_NEED_PASSPHRASE;
    struct termios old, quiet;
    int fd = fileno(tty);
    bool restore = tcgetattr(fd, &old) == 0;
    if (restore) {
        quiet = old;
        quiet.c_lflag &= (tcflag_t)~ECHO;
        tcsetattr(fd, TCSAFLUSH, &quiet);
    }
    fputs(_("passphrase: "), tty);
    fflush(tty);
    char *line = fgets(out, (int)cap, tty);
    if (restore) tcsetattr(fd, TCSAFLUSH, &old);
    fputc('\n', tty);
    fclose(tty);
    if (line == NULL) return CF_EKEY_NEED_PASSPHRASE;
    *len = strcspn(out, "\r\n");
    out[*len] = '\0';
    return *len ? CF_OK : CF_EKEY_NEED_PASSPHRASE;
}

int cli_load_key(const cli_env *env, const home *h, keyfile_keypair *kp)
{
    diag d;
    char pass[KEYFILE_PASSPHRASE_MAX + 2];
    size_t pass_len = 0;
    int enc = home_key_encrypted(h), err;
    if (enc < 0) {
        char path[HOME_PATH_MAX];
        if (home_path(h, "key", path, sizeof path) != CF_OK) snprintf(path, sizeof path, "key");
        return cli_fail_secret_file(enc, N_("key file"), path);
    }
    if (enc == 1) {
        if (env->passphrase_file) {
            err = keyfile_read_passphrase(env->passphrase_file, pass, sizeof pass, &pass_len);
            if (err) return cli_fail_secret_file(err, N_("passphrase file"), env->passphrase_file);
        } else if ((err = prompt_passphrase(pass, sizeof pass, &pass_len)) != 0) {
            return cli_failf(err, "the key is passphrase-protected: give --passphrase-file FILE "
                                  "(or set COFUND_PASSPHRASE_FILE)");
        }
    }
    err = home_load_keypair(h, enc == 1 ? pass : NULL, pass_len, kp, &d);
    cf_wipe(pass, sizeof pass);
    return err ? cli_fail(&d) : CLI_OK;
}

int cli_resolve_member(const ledger_kv *kv, const home *h, const char *arg,
                       uint8_t key[32], diag *d)
{
    state_member m;
    if (strcmp(arg, "self") == 0) {
        memcpy(key, h->self, 32);
        return CF_OK;
    }
    if (strlen(arg) == 64 && cf_hex_decode(arg, 64, key, 32) == CF_OK) return CF_OK;
    int err = state_member_by_name(kv, arg, strlen(arg), &m);
    if (err == CF_ENOTFOUND)
        return diag_set(d, CF_ENOTFOUND, NULL,
                        "no member named \"%s\" (give a registered name or a 64-hex key)", arg);
    if (err) return diag_set(d, err, NULL, "reading members: %s", cf_strerror(err));
    memcpy(key, m.key, 32);
    return CF_OK;
}

int cli_query_as_of(const ledger_kv *kv, const char *arg, uint64_t *as_of, int32_t *tz)
{
    state_network net;
    diag d;
    int err = state_network_get(kv, &net);
    if (err == CF_ENOTFOUND) return cli_failf(CF_ENO_NETWORK, "this home has not joined a network yet");
    if (err) return cli_failf(err, "reading the network: %s", cf_strerror(err));
    *tz = net.tz_min;
    *as_of = STATE_TIME_LATEST;
    if (arg && cli_parse_time(arg, net.tz_min, true, as_of, &d) != CF_OK) return cli_fail(&d);
    return CLI_OK;
}

int cli_require_project(const ledger_kv *kv, const char *id)
{
    state_project p;
    int err = state_project_get(kv, id, strlen(id), &p);
    if (err == CF_ENOTFOUND) return cli_failf(err, "project %s is not registered", id);
    if (err) return cli_failf(err, "reading projects: %s", cf_strerror(err));
    return CLI_OK;
}

int cli_require_program(const ledger_kv *kv, const char *id)
{
    state_program p;
    int err = state_program_get(kv, id, strlen(id), &p);
    if (err == CF_ENOTFOUND) return cli_failf(err, "program %s is not registered", id);
    if (err) return cli_failf(err, "reading programs: %s", cf_strerror(err));
    return CLI_OK;
}

/* The value of --name when the command has that option, else NULL. */
static const char *opt_value(const cli_args *a, const char *name)
{
    for (size_t i = 0; a->cmd->opts && a->cmd->opts[i].name; i++)
        if (strcmp(a->cmd->opts[i].name, name) == 0) return cli_get(a, name);
    return NULL;
}

struct named {
    const char *project, *program;
};

static int require_named(store_txn *txn, const ledger_kv *kv, void *arg)
{
    (void)txn;
    const struct named *n = arg;
    int rc = CLI_OK;
    if (n->program) rc = cli_require_program(kv, n->program);
    if (rc == CLI_OK && n->project) rc = cli_require_project(kv, n->project);
    return rc;
}

int cli_require_named(const cli_env *env, const cli_args *a)
{
    struct named n = {opt_value(a, "project"), opt_value(a, "program")};
    home *h;
    if (n.project == NULL && n.program == NULL) return CLI_OK;
    int rc = cli_open_home(env, HOME_RDONLY, &h);
    if (rc) return rc;
    rc = cli_read(h, require_named, &n);
    cli_close_home(h);
    return rc;
}

int cli_parse_u64(const char *s, uint64_t *out)
{
    if (*s < '0' || *s > '9' || (s[0] == '0' && s[1] != '\0')) return CF_EFORMAT;
    uint64_t v = 0;
    for (; *s; s++) {
        if (*s < '0' || *s > '9') return CF_EFORMAT;
        if (v > (UINT64_MAX - (uint64_t)(*s - '0')) / 10) return CF_ERANGE;
        v = v * 10 + (uint64_t)(*s - '0');
    }
    *out = v;
    return CF_OK;
}

int cli_parse_feed_index(const ledger_kv *kv, const home *h, const char *arg,
                         uint8_t key[32], uint64_t *index, diag *d)
{
    const char *colon = strrchr(arg, ':');
    char feed[128];
    if (colon == NULL || (size_t)(colon - arg) >= sizeof feed || colon == arg)
        return diag_set(d, CF_EINVAL, NULL, "\"%s\": expected FEED:INDEX (e.g. investor-a:12)", arg);
    memcpy(feed, arg, (size_t)(colon - arg));
    feed[colon - arg] = '\0';
    if (cli_parse_u64(colon + 1, index) != CF_OK)
        return diag_set(d, CF_EINVAL, NULL, "\"%s\": INDEX must be a decimal number", arg);
    return cli_resolve_member(kv, h, feed, key, d);
}

int cli_parse_format(const char *s, enum cli_format *out)
{
    if (strcmp(s, "table") == 0) *out = CLI_TABLE;
    else if (strcmp(s, "json") == 0) *out = CLI_JSON;
    else if (strcmp(s, "csv") == 0) *out = CLI_CSV;
    else return CF_EINVAL;
    return CF_OK;
}

int cli_parse_amount(const char *s, int64_t *fen, diag *d)
{
    int err = amount_parse(s, fen);
    if (err == CF_ERANGE)
        return diag_set(d, CF_EINVAL, NULL,
                        "amount \"%s\" must be from 0.01 to 10,000,000,000,000.00 yuan", s);
    if (err)
        return diag_set(d, CF_EINVAL, NULL,
                        "\"%s\" is not an amount (e.g. 300000, 300,000.00 or 30万)", s);
    return CF_OK;
}

int cli_parse_amount0(const char *s, int64_t *fen, diag *d)
{
    if (strcmp(s, "0") == 0 || strcmp(s, "0.00") == 0) {
        *fen = 0;
        return CF_OK;
    }
    return cli_parse_amount(s, fen, d);
}

/* n decimal digits at s */
static bool digits_at(const char *s, int n)
{
    for (int i = 0; i < n; i++)
        if (s[i] < '0' || s[i] > '9') return false;
    return true;
}

/* Why a time that looks like YYYY-MM-DD... was refused, into d. */
static int time_problem(const char *s, int err, diag *d)
{
    static const char *const months[] = {N_("January"), N_("February"), N_("March"),
                                         N_("April"),   N_("May"),      N_("June"),
                                         N_("July"),    N_("August"),   N_("September"),
                                         N_("October"), N_("November"), N_("December")};
    if (err == CF_ERANGE)
        return diag_set(d, CF_EINVAL, NULL,
                        "\"%s\": times run from 1970-01-01 to 9999-12-31 (UTC)", s);
    if (strlen(s) >= 10 && digits_at(s, 4) && s[4] == '-' && digits_at(s + 5, 2) &&
        s[7] == '-' && digits_at(s + 8, 2)) {
        int y = atoi(s), m = (s[5] - '0') * 10 + (s[6] - '0'), day = (s[8] - '0') * 10 + (s[9] - '0');
        if (y < 1970)
            return diag_set(d, CF_EINVAL, NULL,
                            "\"%s\": times run from 1970-01-01 to 9999-12-31 (UTC)", s);
        if (m < 1 || m > 12)
            return diag_set(d, CF_EINVAL, NULL, "\"%s\": there is no month %02d", s, m);
        static const int mdays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
        bool leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
        int have = mdays[m - 1] + (m == 2 && leap);
        if (day < 1 || day > have)
            /* TRANSLATORS: "2026-02-30": February 2026 has 28 days */
            return diag_set(d, CF_EINVAL, NULL, "\"%s\": %s %d has %d days", s,
                            _(months[m - 1]), y, have);
    }
    return diag_set(d, CF_EINVAL, NULL,
                    "\"%s\" is not an ISO 8601 time (e.g. 2026-03-01 or "
                    "2026-03-01T09:30:00+08:00)",
                    s);
}

int cli_parse_time(const char *s, int32_t tz_min, bool end_of_day, uint64_t *ms, diag *d)
{
    /* As of a year or a month: its start (stated, as it is not a bare
     * date's end). */
    size_t n = strlen(s);
    if (end_of_day && ((n == 4 && digits_at(s, 4)) ||
                       (n == 7 && digits_at(s, 4) && s[4] == '-' && digits_at(s + 5, 2)))) {
        char full[16], text[CALTIME_TEXT_BYTES];
        snprintf(full, sizeof full, "%.4s-%.2s-01", s, n == 7 ? s + 5 : "01");
        int err = caltime_parse(full, tz_min, false, ms);
        if (err) return time_problem(full, err, d);
        caltime_format(*ms, tz_min, text);
        fprintf(stderr, _("%s: as of %s: taken as its start, %s\n"), prog, s, text);
        return CF_OK;
    }
    int err = caltime_parse(s, tz_min, end_of_day, ms);
    if (err) return time_problem(s, err, d);
    return CF_OK;
}

/* The words of the entry types (docs/glossary.md), by enum entry_type. */
static const char *const entry_words[] = {
    [ENTRY_GENESIS] = N_("genesis"),
    [ENTRY_MEMBER] = N_("member"),
    [ENTRY_PROGRAM] = N_("program"),
    [ENTRY_PROJECT] = N_("project"),
    [ENTRY_CONTRIBUTION] = N_("contribution"),
    [ENTRY_MATCH] = N_("match"),
    [ENTRY_EXIT] = N_("exit"),
    [ENTRY_DEPOSIT] = N_("deposit"),
    [ENTRY_WITHDRAW] = N_("withdraw"),
    [ENTRY_LOAN] = N_("loan"),
    [ENTRY_GUARANTEE] = N_("guarantee"),
    [ENTRY_REPAY] = N_("repay"),
    /* TRANSLATORS: a loan's default (an entry type), not "the default value" */
    [ENTRY_DEFAULT] = N_("default"),
    [ENTRY_COMPENSATION] = N_("compensation"),
    [ENTRY_RELEASE] = N_("release"),
    [ENTRY_LEASE] = N_("lease"),
    [ENTRY_AWARD] = N_("award"),
    [ENTRY_REKEY] = N_("rekey"),
    [ENTRY_RETIRE] = N_("retire"),
    [ENTRY_REVERSAL] = N_("reversal"),
    [ENTRY_CLOSE] = N_("close"),
    [ENTRY_AMEND] = N_("amend"),
    [ENTRY_RENAME] = N_("rename"),
    [ENTRY_BOUND] = N_("bound"),
    [ENTRY_SUCCESSION] = N_("succession"),
    [ENTRY_CERTIFY] = N_("certify"),
    [ENTRY_REVOKE] = N_("revoke"),
    [ENTRY_SUBSIDY] = N_("subsidy"),
    [ENTRY_VALUATION] = N_("valuation"),
};

const char *cli_entry_word(enum entry_type t)
{
    if ((size_t)t < sizeof entry_words / sizeof entry_words[0] && entry_words[t])
        return _(entry_words[t]);
    return entry_type_name(t);
}

uint64_t cli_now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_REALTIME, &ts);
    return (uint64_t)ts.tv_sec * 1000 + (uint64_t)ts.tv_nsec / 1000000;
}

int cli_read(home *h, cli_read_fn fn, void *arg)
{
    store_txn *txn;
    ledger_kv kv;
    int err = store_read_begin(h->st, &txn);
    if (err) return cli_failf(err, "cannot read the store: %s", cf_strerror(err));
    state_kv_init(&kv, txn);
    int rc = fn(txn, &kv, arg);
    store_read_end(txn);
    return rc;
}

void cli_print_csv_field(FILE *f, const char *s)
{
    if (strpbrk(s, ",\"\n\r") == NULL) {
        fputs(s, f);
        return;
    }
    fputc('"', f);
    for (; *s; s++) {
        if (*s == '"') fputc('"', f);
        fputc(*s, f);
    }
    fputc('"', f);
}

struct refusal {
    const home *h;
    const diag *d;
};

/* What to do about a refusal that a new user meets first: a home not
 * registered yet, a back-dated entry. */
static int explain_refusal(store_txn *txn, const ledger_kv *kv, void *arg)
{
    const struct refusal *r = arg;
    state_member m;
    char hex[CF_HEX32_BYTES];
    (void)txn;
    if (strcmp(r->d->rule, "R-ROLE") == 0 &&
        state_member_get(kv, r->h->self, &m) == CF_ENOTFOUND) {
        cf_hex_encode(r->h->self, 32, hex, sizeof hex);
        fprintf(stderr,
                _("%s: this home is not a member of the network yet: send its key to the "
                  "network's governance, which registers it with\n"
                  "  cofund member add --key %s --role ROLE --name %s\n"
                  "(the line of cofund whoami to send: \"key       %s\")\n"),
                prog, hex, r->h->name, hex);
    } else if (strcmp(r->d->rule, "R-TIME") == 0) {
        fprintf(stderr,
                _("%s: a feed's entries go in time order: enter history oldest first, each with "
                  "--time; a matching program that is to match past contributions is added "
                  "with program add ID --start TIME\n"),
                prog);
    } else if (strcmp(r->d->rule, "R-MATCH.5") == 0) {
        fprintf(stderr,
                _("%s: to match contributions made before a program was added, add it with "
                  "program add ID --start TIME (before the oldest of them)\n"),
                prog);
    }
    return CLI_OK;
}

/* An append refused because the own feed is behind (own_feed.h): say what
 * to do, which depends on whether a node runs here. */
static void behind_hint(const home *h)
{
    if (net_ctl_notify(h->dir) == CF_OK)
        fprintf(stderr, _("%s: the node is fetching them back from its peers: wait, or `cofund "
                          "restore BUNDLE` with a peer's export (docs/operations.md \"The "
                          "backup rule\")\n"), prog);
    else
        fprintf(stderr, _("%s: no node runs on this home: start it (`cofund node run`) to "
                          "fetch them back from its peers, or `cofund restore BUNDLE` with a "
                          "peer's export (docs/operations.md \"The backup rule\")\n"), prog);
}

/* After an append with no node running: nothing compared this home's own
 * feed with a peer's just before it, so a home restored from a backup would
 * not know that its key signed more (docs/operations.md "The backup rule").
 * Not refused — a lone home must work — but said, with the last comparison
 * the home recorded. Silent in a network with no other member (no peer
 * could hold more). */
static void no_node_warning(home *h)
{
    store_txn *txn;
    ledger_kv kv;
    own_feed_mark m;
    state_network net;
    uint64_t members = 0;
    if (store_read_begin(h->st, &txn) != CF_OK) return;
    state_kv_init(&kv, txn);
    bool lone = state_member_count_get(&kv, &members) != CF_OK || members < 2;
    int err = own_feed_compared_get(txn, &m);
    bool have_net = state_network_get(&kv, &net) == CF_OK;
    store_read_end(txn);
    if (lone) return;
    char when[CALTIME_TEXT_BYTES + OWN_FEED_WHO_BYTES + 64];
    if (err == CF_OK) {
        char t[CALTIME_TEXT_BYTES];
        caltime_format(m.time_ms, have_net ? net.tz_min : 0, t);
        snprintf(when, sizeof when, _("was last compared with a peer's copy at %s (%s, %llu "
                                      "entries)"), t, m.who, (unsigned long long)m.size);
    } else {
        snprintf(when, sizeof when, "%s", _("was never compared with a peer's copy"));
    }
    /* TRANSLATORS: the second %s: "was last compared with a peer's copy at ..." */
    fprintf(stderr, _("%s: warning: no node runs on this home, and its own feed %s; if this "
                      "home was restored from a backup, start its node or `cofund restore "
                      "BUNDLE` before appending more (docs/operations.md \"The backup "
                      "rule\")\n"), prog, when);
}

struct dry_show {
    const entry *es;
    size_t n;
    const uint8_t *leaf; /* the last entry's */
};

/* A dry run passed: what would have been written, and the verdict. */
static int show_dry(store_txn *txn, const ledger_kv *kv, void *arg)
{
    const struct dry_show *s = arg;
    state_network net;
    char summary[512], who[STATE_ID_CAP];
    (void)txn;
    int32_t tz = state_network_get(kv, &net) == CF_OK ? net.tz_min : 0;
    for (size_t i = 0; i < s->n; i++) {
        const entry *e = &s->es[i];
        render_summary(kv, e, summary, sizeof summary);
        ledger_member_label(kv, e->author, who, sizeof who);
        printf(_("dry run: %s would be appended as %s#%llu; the rules accept it; nothing was "
                 "written\n"), summary, who, (unsigned long long)e->index);
        if (i + 1 == s->n) render_entry_text(stdout, kv, e, s->leaf, tz);
    }
    return CLI_OK;
}

int64_t cli_sanity_bound(home *h, bool *set)
{
    state_network net;
    diag d;
    bool has = home_network(h, &net, &d) == CF_OK && net.has_bound;
    if (set) *set = has;
    return has ? net.bound_fen : CLI_SANITY_BOUND_FEN;
}

/* The sanity bound (cli.h): an amount above it is more often a typo (a few
 * zeros too many) than meant; --yes says it is meant. The network's, when its
 * governance set one (R-BOUND), else the default. */
static int check_sanity(const cli_env *env, home *h, const entry *es, size_t n)
{
    bool set = false;
    int64_t bound = env->yes ? 0 : cli_sanity_bound(h, &set);
    for (size_t i = 0; i < n && !env->yes; i++) {
        /* a bound entry's amount is the bound itself, not money moving */
        int64_t v = es[i].type == ENTRY_BOUND ? 0 : ledger_entry_volume(&es[i]);
        if (v <= bound) continue;
        char a[CLI_MONEY_BYTES], b[CLI_MONEY_BYTES];
        const char *what = cli_entry_word(es[i].type);
        cli_money(v, a);
        cli_money(bound, b);
        if (set)
            return cli_failf(CF_EINVAL, "%s of %s is above the network's sanity bound of %s: a "
                                        "few zeros too many? Give --yes if it is meant "
                                        "(--dry-run shows what would be written)",
                             what, a, b);
        return cli_failf(CF_EINVAL, "%s of %s is above the sanity bound of %s: a few zeros too "
                                    "many? Give --yes if it is meant (--dry-run shows what "
                                    "would be written)",
                         what, a, b);
    }
    return CLI_OK;
}

int cli_append(const cli_env *env, home *h, entry *es, size_t n, uint64_t *first_index)
{
    keyfile_keypair kp;
    append_result res;
    diag d;
    uint64_t now = cli_now_ms();
    /* append_entries refuses it too (exit 1 would say a rule did): here it
     * is the value given to --time that is refused. */
    for (size_t i = 0; i < n; i++)
        if (es[i].time_ms > now + APPEND_FUTURE_MS_MAX) {
            state_network net;
            char t[CALTIME_TEXT_BYTES];
            caltime_format(es[i].time_ms, home_network(h, &net, &d) == CF_OK ? net.tz_min : 0, t);
            return cli_failf(CF_EINVAL, "--time %s is more than %d minutes ahead of this "
                                        "machine's clock (a local check, not a network rule: "
                                        "is the time, or the clock, wrong?)",
                             t, APPEND_FUTURE_MS_MAX / (60 * 1000));
        }
    int rc = check_sanity(env, h, es, n);
    if (rc) return rc;
    if ((rc = cli_load_key(env, h, &kp)) != 0) return rc;
    int err = append_entries_opts(h, &kp, es, n, now, env->dry_run ? APPEND_DRY_RUN : 0, &res, &d);
    keyfile_wipe(&kp);
    if (err) {
        rc = cli_fail(&d);
        struct refusal why = {h, &d};
        if (err == CF_EREJECTED) (void)cli_read(h, explain_refusal, &why);
        if (err == CF_EBEHIND) behind_hint(h);
        return rc;
    }
    if (env->dry_run) {
        struct dry_show s = {es, n, res.last_leaf};
        return (rc = cli_read(h, show_dry, &s)) != CLI_OK ? rc : CLI_DRY_RUN;
    }
    if (first_index) *first_index = res.first_index;
    /* Tell a running node to announce the new checkpoint now; one that does
     * not answer is fine (it looks by itself every second); none at all is
     * worth a warning. */
    if (net_ctl_notify(h->dir) == CF_ENOTFOUND) no_node_warning(h);
    return CLI_OK;
}

int cli_append_timed(const cli_env *env, home *h, entry *e, const char *time_arg,
                     const char *what)
{
    home *own = NULL;
    state_network net;
    diag d;
    uint64_t index;
    int rc;
    if (h == NULL) {
        if ((rc = cli_open_home(env, 0, &own)) != 0) return rc;
        h = own;
    }
    if (home_network(h, &net, &d) != CF_OK) rc = cli_fail(&d);
    else if (time_arg && cli_parse_time(time_arg, net.tz_min, false, &e->time_ms, &d) != CF_OK)
        rc = cli_fail(&d);
    else if ((rc = cli_append(env, h, e, 1, &index)) == CLI_OK)
        /* TRANSLATORS: "contribution of 100.00 yuan appended as inv#3" */
        printf(_("%s appended as %s#%llu\n"), _(what), h->name, (unsigned long long)index);
    if (own) cli_close_home(own);
    return rc;
}

void cli_print_json(struct json_t *value)
{
    json_dumpf(value, stdout, JSON_INDENT(2));
    putchar('\n');
}
