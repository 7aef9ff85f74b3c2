/* audit.h — the offline audit of a bundle (docs/auditing.md): everything a
 * third party can check from one bundle file and nothing else — no home, no
 * store, no network, nothing written.
 *
 *   pass 1 (audit.c, audit_tree.c) streams the file once: the bundle's
 *     structure and trailer (bundle.h), every checkpoint signature (F and K
 *     records, origin cofund/<net>/<author>), every root recomputed from the
 *     entries (K roots at their sizes), fork proofs (X records) and any
 *     inconsistency between a feed's own checkpoints. It keeps 32 bytes per
 *     entry (its leaf hash) and each feed's byte offset, never the entries.
 *     A second thread hashes the entries while the first reads the file.
 *   pass 2 (audit_replay.c) replays every rule from the genesis entry on with
 *     the node's own engine (node/ledger/rules.h over an in-memory map,
 *     memkv.h), reading the entries back feed by feed in the drain's fixpoint
 *     order (node/home/drain.c) and checking each against its pass-1 leaf hash
 *     (audit_cursor.c; the second thread hashes ahead of the rules).
 *   then cosignatures (cosignature/v1 by members, docs/format.md) and the
 *     summary the queries would print (audit_report.c).
 *
 * This library links cofund_bundle, cofund_ledger and cofund_crypto only, so
 * an auditor can read exactly the code they run: `cofund-audit` (main.c) and
 * `cofund audit` (node/cli/cmd_audit.c) are thin wrappers around it
 * (audit_cli.c). One audit or evidence check at a time per process: the
 * library keeps large scratch structures in static storage.
 */
#ifndef COFUND_AUDIT_H
#define COFUND_AUDIT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "ledger/diag.h"

/* Exit statuses of both front ends (docs/auditing.md). */
enum audit_exit {
    AUDIT_EXIT_OK = 0,       /* everything checked holds (maybe incomplete) */
    AUDIT_EXIT_FAILED = 1,   /* a check failed: the first failure is named */
    AUDIT_EXIT_USAGE = 2,
    AUDIT_EXIT_INPUT = 3,    /* not a readable cofund bundle / evidence file */
};

/* Progress, for a terminal: bytes read of total_bytes (pass 1), entries
 * replayed of total_entries (pass 2). Called from the calling thread. */
typedef void (*audit_progress_fn)(void *arg, int pass, uint64_t done, uint64_t total);

typedef struct {
    unsigned witnesses;       /* each feed's latest checkpoint needs this many
                                 valid cosignatures by other members */
    bool has_trust;
    uint8_t trust[32];        /* the genesis author must be this key */
    unsigned threads;         /* hashing threads besides the reader: 0 or 1 */
    audit_progress_fn progress;
    void *progress_arg;
    const char *name;         /* the bundle as the report names it (NULL: its path) */
} audit_opts;

typedef struct audit audit;

/* Audit the bundle at path. CF_OK: the audit ran and *out holds its result
 * (which may well be a failure: audit_exit_code); CF_ENOTFOUND, CF_EIO or
 * CF_EBUNDLE (not a cofund bundle: wrong magic or no readable header) with d
 * saying why; CF_ENOMEM. *out is the caller's to audit_free. */
int audit_run(const char *path, const audit_opts *opts, audit **out, diag *d);
void audit_free(audit *a);

/* AUDIT_EXIT_OK or AUDIT_EXIT_FAILED for the checks (integrity, forks,
 * violations). The report's figures are computed as audit_print writes
 * them: its return is the status of the whole audit. */
int audit_exit_code(const audit *a);

enum audit_format { AUDIT_TEXT, AUDIT_JSON };

/* ---- what people read (audit_text.c, docs/auditing.md "Language and unit") --
 * The text and HTML reports speak cf_i18n's language (crypto/cf_i18n.h)
 * and show amounts in the unit set here (yuan unless told); the JSON report,
 * the evidence check's JSON and the signed statement never depend on
 * either. */
enum audit_unit { AUDIT_UNIT_YUAN = 0, AUDIT_UNIT_WAN = 1 /* 万元: 10,000 yuan */ };
void audit_set_unit(enum audit_unit u);
enum audit_unit audit_unit(void);
/* "yuan" or "wan"; CF_EINVAL otherwise. */
int audit_parse_unit(const char *s, enum audit_unit *out);
/* The report (every line is described in docs/auditing.md). Returns the
 * audit's exit status — AUDIT_EXIT_FAILED when a check failed or the
 * figures could not be computed, else AUDIT_EXIT_OK — or -1 when writing
 * to f failed. */
int audit_print(const audit *a, FILE *f, enum audit_format fmt);

/* ---- what an auditor hands on (audit_statement.c, docs/auditing.md §5) ---- */
#define AUDIT_TIME_TEXT_BYTES 32
/* "2026-12-04T22:55:01.123Z" */
void audit_utc_text(uint64_t ms, char out[AUDIT_TIME_TEXT_BYTES]);
/* "ok", "ok-incomplete" (entries could not be checked) or "failed", for the
 * audit's exit status. */
const char *audit_verdict(const audit *a, int status);
/* The signed statement (a C2SP signed note, key name "cofund-audit/<key
 * hex>"): the bundle's SHA-256 and size, the network, the verdict for
 * `status`, the report's SHA-256, the time of the audit and the tool.
 * sk: libsodium's 64-byte Ed25519 key. */
int audit_statement(const audit *a, int status, const uint8_t report_sha256[32],
                    const uint8_t sk[64], char *out, size_t cap, size_t *len);
/* The verifier key of the statements pk signs (note_vkey_format). */
int audit_verifier_key(const uint8_t pk[32], char *out, size_t cap);
/* A member named by its registered name or its 64-hex key: CF_OK with its
 * key, or CF_ENOTFOUND. */
int audit_member_key(const audit *a, const char *arg, uint8_t key[32]);
/* The C2SP tlog-proof@v1 of entry `index` of author's feed against the
 * bundle's latest checkpoint of it, its bytes on the extra line, to out. */
int audit_proof(audit *a, const uint8_t author[32], uint64_t index, FILE *out, diag *d);

/* The report as one self-contained, printable HTML file (audit_html.c):
 * drawn from the JSON report, so it says the same. Returns audit_print's
 * status, or -1 when writing failed. */
int audit_print_html(const audit *a, FILE *f);

/* ---- portable evidence (audit_evidence.c, docs/format.md) -----------------
 * "cofund-evidence/1\n" followed by one deterministic CBOR map. */
#define AUDIT_EVIDENCE_MAGIC "cofund-evidence/1\n"
#define AUDIT_EVIDENCE_BYTES_MAX (64u * 1024)

typedef struct {
    uint8_t net[32];
    bool is_fork;
    /* fork */
    const uint8_t *fork_proof; /* evidence.h encoding */
    size_t fork_proof_len;
    /* violation */
    const uint8_t *entry;
    size_t entry_len;
    uint64_t index;
    const char *checkpoint; /* signed checkpoint of a size > index */
    size_t checkpoint_len;
    size_t nproof;
    const uint8_t (*proof)[32]; /* RFC 6962 inclusion proof, sibling first */
    const char *rule;           /* the verdict claimed, NUL-terminated */
    const char *text;
} audit_evidence;

/* Encode ev into buf (AUDIT_EVIDENCE_BYTES_MAX always suffices). */
int audit_evidence_encode(const audit_evidence *ev, uint8_t *buf, size_t cap, size_t *len);
/* Check the evidence file at path offline and write what it proves to f.
 * A violation is proven only for a rule that exists and that the entry
 * breaks: on its own, or — for a rule that needs the history — in the
 * replay of the network's bundle (bundle, may be NULL: then such a claim is
 * not proven). Returns an audit_exit status: OK when it proves what it
 * claims, FAILED when it does not, INPUT when a file cannot be read or
 * parsed (d says why), INPUT + 1 out of memory or on an I/O error. */
int audit_evidence_check(const char *path, const char *bundle, FILE *f, enum audit_format fmt,
                         diag *d);
/* The same for an evidence file's bytes p[0..len) (untrusted; the fuzz
 * target's entry point). */
int audit_evidence_check_mem(const uint8_t *p, size_t len, FILE *f, enum audit_format fmt,
                             diag *d);

#endif
