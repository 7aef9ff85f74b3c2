/* cli.h — shared pieces of the `cofund` command line (one file per command
 * family in node/cli/, dispatched from main.c).
 *
 * Conventions (docs/cli.md): data goes to stdout, diagnostics to stderr;
 * queries take --format table|json|csv; exit codes are
 *   0 ok, 1 rejected by a rule or verification failed (forks included),
 *   2 usage error, 3 bad input or configuration (not found, bad key file or
 *   passphrase, malformed file), 4 environment failure (I/O, disk full,
 *   store error).
 */
#ifndef COFUND_CLI_H
#define COFUND_CLI_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "crypto/cf_i18n.h"
#include "crypto/keyfile.h"
#include "home/home.h"
#include "ledger/diag.h"
#include "ledger/state.h"

struct json_t;

enum cli_exit {
    CLI_OK = 0,
    CLI_REJECTED = 1,
    CLI_USAGE = 2,
    CLI_INPUT = 3,
    CLI_ENV = 4,
    CLI_BEHIND = 5, /* this home's own feed is behind a copy signed by its key (own_feed.h) */
    /* Internal, never an exit code: cli_append checked a --dry-run and wrote
     * nothing (callers print nothing more; main exits 0). */
    CLI_DRY_RUN = 100,
};

enum cli_format { CLI_TABLE, CLI_JSON, CLI_CSV };

typedef struct {
    const char *home_dir;        /* resolved: --home, $COFUND_HOME, ~/.cofund */
    const char *passphrase_file; /* --passphrase-file or $COFUND_PASSPHRASE_FILE */
    bool dry_run; /* the command's --dry-run: cli_append writes nothing */
    bool yes;     /* the command's --yes: an amount above the sanity bound is meant */
} cli_env;

/* The sanity bound of an append's amount (docs/cli.md "Dry runs and the
 * sanity bound"): above it, cli_append asks for --yes. A local check of the
 * author's command line, not a rule: the network's bound when its governance
 * set one (`network bound`, R-BOUND), else this default, 1,000,000,000.00 yuan. */
#define CLI_SANITY_BOUND_FEN INT64_C(100000000000)
/* Every append command takes these two (cli_append reads them from env). */
#define CLI_OPT_DRY_RUN {"dry-run", NULL, 0, 0, N_("check with the rules and show the entry; write nothing")}
#define CLI_OPT_YES {"yes", NULL, 0, 0, N_("an amount above the sanity bound is meant")}

/* Messages start "cofund COMMAND:" once the command is known (main.c sets
 * it); cli_prog() is that prefix without the colon. */
void cli_set_command(const char *name);
const char *cli_prog(void);

/* Exit code for an error code. */
int cli_exit_for(int err);
/* Print "cofund COMMAND: <message>" for d to stderr; returns its exit code. */
int cli_fail(const diag *d);
/* Print a formatted error for err; returns its exit code. */
int cli_failf(int err, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* Flush stdout; CLI_OK only when everything written reached it. */
int cli_finish(int code);

/* Report an error reading a key or passphrase file (what: "key file"),
 * naming the file and, for CF_EKEY_PERMS, its mode; returns the exit code. */
int cli_fail_secret_file(int err, const char *what, const char *path);

/* Open the home; on a terminal, long imports and exports show progress on
 * stderr (cleared by cli_progress_end, which main calls after a command). */
int cli_open_home(const cli_env *env, unsigned flags, home **h);
void cli_progress_end(void);
/* Close a home cli_open_home opened (commands close theirs with this). */
void cli_close_home(home *h);
/* While h is shared (NULL: none), cli_open_home returns h itself and
 * cli_close_home leaves it open: the dashboard's queries on the node's
 * loop (http_api.c) read through the node's own handle. */
void cli_share_home(home *h);
/* Load the signing key, asking for the passphrase (passphrase file, then the
 * terminal) only when the key file is encrypted. */
int cli_load_key(const cli_env *env, const home *h, keyfile_keypair *kp);

/* A query's --as-of (arg; NULL: STATE_TIME_LATEST) in the network's zone,
 * and the zone; prints the error (no network, a bad time) and returns its
 * exit code. */
int cli_query_as_of(const ledger_kv *kv, const char *arg, uint64_t *as_of, int32_t *tz);
/* CLI_OK when the project / program `id` is registered here; otherwise
 * prints "project ID is not registered" (exit 3) and returns its code: a
 * query filter that names nothing is a typo, not an empty answer. */
int cli_require_project(const ledger_kv *kv, const char *id);
int cli_require_program(const ledger_kv *kv, const char *id);
/* A member named by registered name or 64-hex key ("self" is this home). */
int cli_resolve_member(const ledger_kv *kv, const home *h, const char *arg,
                       uint8_t key[32], diag *d);
/* "FEED:INDEX" */
int cli_parse_feed_index(const ledger_kv *kv, const home *h, const char *arg,
                         uint8_t key[32], uint64_t *index, diag *d);
int cli_parse_u64(const char *s, uint64_t *out);
int cli_parse_format(const char *s, enum cli_format *out);
int cli_parse_amount(const char *s, int64_t *fen, diag *d);
/* The same, or 0 written "0" or "0.00" (an exit's proceeds, a valuation). */
int cli_parse_amount0(const char *s, int64_t *fen, diag *d);
/* --time / --as-of in the network's zone; end_of_day for bare dates. */
int cli_parse_time(const char *s, int32_t tz_min, bool end_of_day, uint64_t *ms, diag *d);

uint64_t cli_now_ms(void);
/* An entry type's word in the current language (docs/glossary.md):
 * "contribution", 出资; the type's name when there is none. */
const char *cli_entry_word(enum entry_type t);
/* The sanity bound in force at this home: the network's (*set true) or the
 * default. */
int64_t cli_sanity_bound(home *h, bool *set);
/* N:D with whole numbers 1..RATIO_TERM_MAX; MIN:MAX percent ("10:40",
 * "10%:40%"). CF_EINVAL when malformed. */
int cli_parse_ratio(const char *s, uint32_t *num, uint32_t *den);
int cli_parse_pct_range(const char *s, pct_range *out);

/* Load the key and append es[0..n) to this home's feed (append.h); prints
 * the rejection and returns its exit code on failure. */
int cli_append(const cli_env *env, home *h, entry *es, size_t n, uint64_t *first_index);
/* Append e at time_arg (--time, in the network's zone; NULL: now) and print
 * "WHAT appended as NAME#INDEX" in the current language: what is an N_()
 * phrase (translated here) or a sentence already translated ("contribution
 * of 100.00 yuan"). h: an open home, or NULL to open env's home for this one
 * append. */
int cli_append_timed(const cli_env *env, home *h, entry *e, const char *time_arg,
                     const char *what);

/* Run a read transaction with a ledger_kv over it. */
typedef int (*cli_read_fn)(store_txn *txn, const ledger_kv *kv, void *arg);
int cli_read(home *h, cli_read_fn fn, void *arg);

/* CSV/JSON-safe printing helpers. */
void cli_print_csv_field(FILE *f, const char *s);
/* Indented JSON and a newline on stdout. */
void cli_print_json(struct json_t *value);

/* ---- the command table ------------------------------------------------------
 * Every command is one cli_cmd (defined next to its handler): its name, its
 * positional arguments, its options, its help. Parsing, `cofund COMMAND
 * --help`, `cofund help COMMAND`, the usage line of a usage error and the
 * top-level listing (main.c) are all produced from it (cli_args.c). */

enum {
    CLI_REQUIRED = 1u, /* the option must be given */
    CLI_CHOICE = 2u,   /* the value is one of those listed in `value`, "table|json" */
    CLI_ID = 4u,       /* the value is an identifier: 1-64 of A-Z a-z 0-9 . _ - */
};

typedef struct {
    const char *name;  /* "project" is --project */
    const char *value; /* its value in the synopsis ("P"); NULL: a flag without value */
    unsigned flags;    /* CLI_REQUIRED, CLI_CHOICE */
    unsigned max;      /* times it may be given; 0: once (given again, the last counts) */
    const char *help;  /* one line */
} cli_opt;

#define CLI_OPT_END {NULL, NULL, 0, 0, NULL}
#define CLI_OPT_FORMAT {"format", "table|json|csv", CLI_CHOICE, 0, N_("table (for people), json or csv")}
#define CLI_OPT_FORMAT2 {"format", "table|json", CLI_CHOICE, 0, N_("table (for people) or json")}
#define CLI_OPT_TIME {"time", "TIME", 0, 0, N_("the entry's time (default now): 2026-03-01 or 2026-03-01T09:30+08:00")}
#define CLI_OPT_AS_OF {"as-of", "TIME", 0, 0, N_("as it stood at TIME (a bare date: its end)")}

enum {
    CLI_NO_HOME = 1u,    /* runs without a home (audit) */
    CLI_OWN_PARSER = 2u, /* parses its argv itself (audit, shared with cofund-audit) */
    CLI_ARG_ID = 4u,     /* its first positional argument is an identifier (CLI_ID) */
};

typedef struct cli_cmd cli_cmd;

/* A parsed command line (cli_parse). */
typedef struct {
    const cli_cmd *cmd;
    int npos;
    char **pos;           /* the positional arguments */
    int argc;             /* the command's own argv (argv[0]: its last word), */
    char **argv;          /* for a CLI_OWN_PARSER command */
    size_t nvals;
    const char **vals;    /* every option value given, in order ("" for a flag) */
    unsigned short *opt;  /* vals[i] is the value of cmd->opts[opt[i]] */
} cli_args;

struct cli_cmd {
    const char *name;            /* "init", "program add" */
    const char *args;            /* positional synopsis ("ID", "[FEED]"), or NULL */
    unsigned min_args, max_args; /* how many positional arguments */
    const cli_opt *opts;         /* ends with CLI_OPT_END */
    unsigned flags;              /* CLI_NO_HOME, CLI_OWN_PARSER */
    const char *summary;         /* a line for the listing */
    const char *help;            /* a paragraph */
    const char *example;         /* command lines, after "cofund " */
    int (*run)(cli_env *env, const cli_args *a);
};

/* Parse argv (argv[0]: the command's last word) by c's table. CLI_OK, or
 * CLI_USAGE after printing what is wrong and the usage line to stderr;
 * *help is set when --help was given (nothing else is then checked).
 * Identifiers (CLI_ID, CLI_ARG_ID) are checked here, so that a malformed
 * one is a usage error naming the option, not a rule's refusal. */
int cli_parse(const cli_cmd *c, int argc, char **argv, cli_args *a, bool *help);
void cli_args_free(cli_args *a);
/* The last value of --name (a flag: "" when given), NULL when not given.
 * name must be one of the command's options. */
const char *cli_get(const cli_args *a, const char *name);
/* Every value of --name in order, into out[0..cap) (the option's max). */
size_t cli_get_all(const cli_args *a, const char *name, const char **out, size_t cap);
/* Every --project and --program the command was given names one registered
 * here (cli_require_project/program, exit 3 otherwise): main.c checks it
 * before running a command with a home, so that a name that is not there
 * is "not found" alike for a query and for an entry (which R-REF would
 * refuse, exit 1). */
int cli_require_named(const cli_env *env, const cli_args *a);
/* --format (table when not given). */
enum cli_format cli_get_format(const cli_args *a);
/* Print "cofund COMMAND: <message>" and the command's usage to stderr;
 * returns CLI_USAGE. */
int cli_usage_error(const cli_args *a, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* "usage: cofund COMMAND ..." lines, and the whole help (usage, paragraph,
 * options, example). */
void cli_print_usage(FILE *f, const cli_cmd *c);
void cli_print_help(FILE *f, const cli_cmd *c);
/* text wrapped to `width` columns, each line indented by `indent`. */
void cli_print_wrapped(FILE *f, const char *text, int indent, int width);
/* The same for text whose first line starts at column `first` (the caller
 * printed what is before it); the others are indented by `indent`. */
void cli_print_wrapped_at(FILE *f, const char *text, int first, int indent, int width);

/* The listing (main.c): a section title, or a command. */
typedef struct {
    const char *section;
    const cli_cmd *cmd;
} cli_listing_item;
/* The manual page `page` ("cofund" or "cofund-audit"; NULL: cofund) in roff
 * from the listing's table (cli_man.c); CLI_USAGE for another page. */
int cli_print_man(FILE *f, const char *page, const cli_listing_item *l, size_t n);
/* Bash completion (cli_complete.c): the script, and the candidates for the
 * last of the words typed after `cofund` (one a line, on stdout). */
void cli_print_bash_completion(FILE *f);
int cli_complete(cli_env *env, int argc, char **argv, const cli_listing_item *l, size_t n);

/* The commands, by family (main.c lists them). */
extern const cli_cmd cli_cmd_init, cli_cmd_whoami, cli_cmd_network_create, cli_cmd_join,
    cli_cmd_member_add, cli_cmd_import;                                       /* cmd_home.c */
extern const cli_cmd cli_cmd_member_rekey, cli_cmd_member_retire;          /* cmd_member.c */
extern const cli_cmd cli_cmd_member_rename; /* cmd_member_display.c */
/* --display of `member add` into b (cmd_member_display.c): CLI_OK, or the
 * usage error printed. */
int cli_member_display(const cli_args *a, body_member *b);
extern const cli_cmd cli_cmd_restore;                                        /* cmd_home.c */
extern const cli_cmd cli_cmd_program_add, cli_cmd_project_add, cli_cmd_contribute,
    cli_cmd_match, cli_cmd_exit;                                              /* cmd_invest.c */
extern const cli_cmd cli_cmd_deposit, cli_cmd_withdraw, cli_cmd_loan, cli_cmd_guarantee,
    cli_cmd_repay, cli_cmd_default, cli_cmd_release, cli_cmd_compensate, cli_cmd_lease,
    cli_cmd_award;                                                            /* cmd_instruments.c */
extern const cli_cmd cli_cmd_positions, cli_cmd_program_status, cli_cmd_pool_status; /* cmd_query.c */
extern const cli_cmd cli_cmd_valuation, cli_cmd_returns; /* cmd_returns.c */
extern const cli_cmd cli_cmd_leases; /* cmd_instruments_query.c */
extern const cli_cmd cli_cmd_certify, cli_cmd_revoke, cli_cmd_certifications,
    cli_cmd_subsidy; /* cmd_subsidy.c */
extern const cli_cmd cli_cmd_projects, cli_cmd_programs; /* cmd_catalog.c */
extern const cli_cmd cli_cmd_register;                    /* cmd_register.c */
extern const cli_cmd cli_cmd_unmatched;                   /* cmd_unmatched.c */
extern const cli_cmd cli_cmd_members, cli_cmd_log, cli_cmd_show, cli_cmd_checkpoint,
    cli_cmd_proof_inclusion, cli_cmd_proof_consistency;                       /* cmd_log.c */
extern const cli_cmd cli_cmd_verify, cli_cmd_export, cli_cmd_forks, cli_cmd_violations,
    cli_cmd_evidence;                                                         /* cmd_evidence.c */
extern const cli_cmd cli_cmd_audit;                                          /* cmd_audit.c */
extern const cli_cmd cli_cmd_reverse;                                        /* cmd_correct.c */
extern const cli_cmd cli_cmd_program_close, cli_cmd_program_amend, cli_cmd_project_rename,
    cli_cmd_network_rename, cli_cmd_network_bound;                            /* cmd_govern.c */
extern const cli_cmd cli_cmd_recovery_sign, cli_cmd_network_succeed;     /* cmd_recovery.c */
/* --recovery-key and --recovery-quorum of `network create` into g
 * (cmd_recovery.c): CLI_OK, or the usage error printed. */
int cli_recovery_keys(const cli_args *a, body_genesis *g);
extern const cli_cmd cli_cmd_node_run, cli_cmd_node_status;                  /* cmd_node.c */
/* While n is set (NULL: none), `node status` runs inside the node's own
 * process (the dashboard, http_api.c) and asks n for the daemon's part
 * rather than the control socket, which the busy loop could not answer. */
struct net_node;
void cli_set_local_node(struct net_node *n);

/* `program status`: the program's terms' history (R-AMEND, R-CLOSE): table
 * lines under its terms, or a "terms_history" array added to json (CSV:
 * nothing). */
int cli_terms_history(const ledger_kv *kv, const char *program, int32_t tz, enum cli_format fmt,
                      struct json_t *json);
/* `program status` of a pool, leasing or award program: prints the table or
 * CSV, or returns the JSON object in *json (the caller's). */
int cli_instrument_status(const ledger_kv *kv, const state_program *pg, enum cli_format fmt,
                          uint64_t as_of, int32_t tz, struct json_t **json);
/* The lines of `positions` (table) for what projects received that is not
 * equity: awards, leases, bank loans (project NULL: every project). */
int cli_print_not_equity(const ledger_kv *kv, const char *project, uint64_t as_of);
/* A line of figures for people: label padded to label_cols display columns,
 * the value right-aligned in 20, then "  note" (note NULL: none). */
void cli_figure(int label_cols, const char *label, const char *value, const char *note);
/* A leasing program's bounds: "down 10-30%, financing 0-100%, advance 0-100%"
 * (translated). */
void cli_lease_bounds(const state_program *pg, char *out, size_t cap);

#endif
