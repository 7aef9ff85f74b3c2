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
};

enum cli_format { CLI_TABLE, CLI_JSON, CLI_CSV };

typedef struct {
    const char *home_dir;        /* resolved: --home, $COFUND_HOME, ~/.cofund */
    const char *passphrase_file; /* --passphrase-file or $COFUND_PASSPHRASE_FILE */
} cli_env;

typedef int (*cli_fn)(cli_env *env, int argc, char **argv);

/* Exit code for an error code. */
int cli_exit_for(int err);
/* Print "cofund: <message>" for d to stderr; returns its exit code. */
int cli_fail(const diag *d);
/* Print a formatted error for err; returns its exit code. */
int cli_failf(int err, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* Print "usage: cofund <synopsis>"; returns CLI_USAGE. */
int cli_usage(const char *synopsis);

/* Flush stdout; CLI_OK only when everything written reached it. */
int cli_finish(int code);

/* Report an error reading a key or passphrase file (what: "key file"),
 * naming the file and, for CF_EKEY_PERMS, its mode; returns the exit code. */
int cli_fail_secret_file(int err, const char *what, const char *path);

int cli_open_home(const cli_env *env, unsigned flags, home **h);
/* Load the signing key, asking for the passphrase (passphrase file, then the
 * terminal) only when the key file is encrypted. */
int cli_load_key(const cli_env *env, const home *h, keyfile_keypair *kp);

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
/* --time / --as-of in the network's zone; end_of_day for bare dates. */
int cli_parse_time(const char *s, int32_t tz_min, bool end_of_day, uint64_t *ms, diag *d);

uint64_t cli_now_ms(void);

/* Load the key and append es[0..n) to this home's feed (append.h); prints
 * the rejection and returns its exit code on failure. */
int cli_append(const cli_env *env, home *h, entry *es, size_t n, uint64_t *first_index);

/* Run a read transaction with a ledger_kv over it. */
typedef int (*cli_read_fn)(store_txn *txn, const ledger_kv *kv, void *arg);
int cli_read(home *h, cli_read_fn fn, void *arg);

/* CSV/JSON-safe printing helpers. */
void cli_print_csv_field(FILE *f, const char *s);
/* Indented JSON and a newline on stdout. */
void cli_print_json(struct json_t *value);

/* Command entry points. */
int cmd_init(cli_env *env, int argc, char **argv);
int cmd_whoami(cli_env *env, int argc, char **argv);
int cmd_network(cli_env *env, int argc, char **argv);
int cmd_join(cli_env *env, int argc, char **argv);
int cmd_member(cli_env *env, int argc, char **argv);
int cmd_members(cli_env *env, int argc, char **argv);
int cmd_log(cli_env *env, int argc, char **argv);
int cmd_show(cli_env *env, int argc, char **argv);
int cmd_checkpoint(cli_env *env, int argc, char **argv);
int cmd_proof(cli_env *env, int argc, char **argv);
int cmd_verify(cli_env *env, int argc, char **argv);
int cmd_export(cli_env *env, int argc, char **argv);
int cmd_import(cli_env *env, int argc, char **argv);
int cmd_forks(cli_env *env, int argc, char **argv);
int cmd_violations(cli_env *env, int argc, char **argv);
int cmd_program(cli_env *env, int argc, char **argv);
int cmd_project(cli_env *env, int argc, char **argv);
int cmd_contribute(cli_env *env, int argc, char **argv);
int cmd_match(cli_env *env, int argc, char **argv);
int cmd_exit(cli_env *env, int argc, char **argv);
int cmd_positions(cli_env *env, int argc, char **argv);
/* `audit` (cmd_audit.c): the offline audit, node/audit/. */
int cmd_audit(cli_env *env, int argc, char **argv);
/* `evidence` (cmd_evidence.c): portable evidence of a fork or violation. */
int cmd_evidence(cli_env *env, int argc, char **argv);
/* `node run`, `node status` (cmd_node.c). */
int cmd_node(cli_env *env, int argc, char **argv);
/* `program status`, dispatched from cmd_program. */
int program_status(cli_env *env, int argc, char **argv);
/* The other instruments (cmd_instruments.c): their entries. */
int cmd_deposit(cli_env *env, int argc, char **argv);
int cmd_withdraw(cli_env *env, int argc, char **argv);
int cmd_loan(cli_env *env, int argc, char **argv);
int cmd_guarantee(cli_env *env, int argc, char **argv);
int cmd_repay(cli_env *env, int argc, char **argv);
int cmd_default(cli_env *env, int argc, char **argv);
int cmd_release(cli_env *env, int argc, char **argv);
int cmd_compensate(cli_env *env, int argc, char **argv);
int cmd_lease(cli_env *env, int argc, char **argv);
int cmd_award(cli_env *env, int argc, char **argv);
/* and their queries (cmd_instruments_query.c; `pool status` in cmd_query.c). */
int cmd_pool(cli_env *env, int argc, char **argv);
int cmd_leases(cli_env *env, int argc, char **argv);
/* `program status` of a pool, leasing or award program: prints the table or
 * CSV, or returns the JSON object in *json (the caller's). */
int cli_instrument_status(const ledger_kv *kv, const state_program *pg, enum cli_format fmt,
                          uint64_t as_of, int32_t tz, struct json_t **json);
/* The lines of `positions` (table) for what projects received that is not
 * equity: awards, leases, bank loans (project NULL: every project). */
int cli_print_not_equity(const ledger_kv *kv, const char *project, uint64_t as_of);

#endif
