/* audit_internal.h — what the audit's files share (audit.h is the API).
 * Private to node/audit/. */
#ifndef COFUND_AUDIT_INTERNAL_H
#define COFUND_AUDIT_INTERNAL_H

#include <pthread.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "audit.h"
#include "bundle/ckpt.h"
#include "crypto/merkle.h"
#include "ledger/diag.h"
#include "ledger/entry.h"
#include "ledger/memkv.h"
#include "ledger/state.h"

/* Witnesses the report names per feed (it counts them all). */
#define AUDIT_WITNESS_KEYS 16

/* One checkpoint of a feed as read (F or K record), signature verified. */
typedef struct {
    uint64_t size;
    uint8_t root[32];
    char *note; /* owned copy of the signed note */
    size_t note_len;
} audit_ckpt;

enum audit_feed_state {
    FEED_OPEN,    /* the replay may still apply entries */
    FEED_HELD,    /* a violation holds it */
    FEED_PENDING, /* waiting at the end of the replay: could not check */
    FEED_FORKED,  /* a fork proof covers it: replayed up to its point (R-FORK) */
    FEED_BAD,     /* failed pass 1 (never replayed) */
    FEED_CLOSED,  /* its key was closed (R-KEY, R-SUCCEED): replayed up to there */
};

typedef struct {
    uint8_t author[32];
    char origin[CKPT_ORIGIN_BYTES];
    uint64_t order;      /* its position among the bundle's feeds, from 0 */
    uint64_t from, size; /* entries [from, size) are in the bundle */
    /* Leaf hashes of entries from..size-1, in chunks of AUDIT_LEAF_CHUNK that
     * never move once allocated (the hashing thread writes into them). */
    uint8_t (**chunks)[32];
    size_t nchunks;
    uint64_t entries_off;  /* file offset of its first E record */
    uint64_t record_off;   /* file offset of its F record */
    audit_ckpt *ckpts;     /* K records then the F checkpoint (last), by size */
    size_t nckpts, cap;
    /* pass 1 results (written by the hashing side, read after it joined) */
    struct audit_tree *tree; /* its Merkle tree, as the leaves were hashed */
    bool tree_done;
    /* replay */
    enum audit_feed_state state;
    uint64_t applied;      /* entries applied by the rules */
    uint64_t next_off;     /* file offset of the next E record to replay */
    diag wait;             /* why it waits (FEED_PENDING) */
    unsigned witnesses;    /* valid member cosignatures on the latest checkpoint */
    uint8_t witness_keys[AUDIT_WITNESS_KEYS][32]; /* the first of them, for the report */
} audit_feed;

enum audit_kind {
    FIND_FAIL,      /* the bundle or a signature does not hold */
    FIND_FORK,      /* an author signed two inconsistent histories */
    FIND_VIOLATION, /* an entry under a valid checkpoint breaks a rule */
    FIND_UNCHECKED, /* entries the bundle does not let us check */
    FIND_MATCH_AFTER_EXIT, /* a match made after its counterpart's earlier exit
                            * left less than it stands on (audit_match.c) */
    FIND_NOTE,      /* said, not a failure */
};

/* Why entries could not be checked (FIND_UNCHECKED). */
enum audit_unchecked {
    UNCHECKED_OTHER,
    UNCHECKED_NO_GENESIS,     /* no genesis entry in the bundle */
    UNCHECKED_GOV,            /* needs governance entries beyond the bundle's */
    UNCHECKED_CITE_NO_FEED,   /* cites a feed not in the bundle */
    UNCHECKED_CITE_BEYOND,    /* cites past the bundle's copy of a feed */
    UNCHECKED_CITE_FORKED,    /* cites a feed proven forked */
    UNCHECKED_CITE_HELD,      /* cites an entry held behind a violation */
    UNCHECKED_CITE_WAITING,   /* cites an entry that waits itself */
};

typedef struct {
    enum audit_kind kind;
    uint64_t pos;        /* byte offset (pass 1) — orders failures */
    bool has_feed;
    uint8_t author[32];
    bool has_index;
    uint64_t index, last; /* entry index (and last, for ranges) */
    char rule[DIAG_RULE_BYTES];
    char text[DIAG_TEXT_BYTES];
    /* FIND_FORK */
    uint64_t size_a, size_b;
    uint8_t root_a[32], root_b[32], alt[32];
    uint64_t point;      /* a fork's point P (fork_proof.h), or FORK_POINT_UNKNOWN */
    bool found_here;     /* found by the audit (K against F), not an X record */
    /* FIND_UNCHECKED: the first waiting entry's type and why it waits */
    enum audit_unchecked reason;
    char etype[16];
} audit_finding;

struct audit {
    const audit_opts *opts;
    audit_opts opts_copy;
    char path[4096];
    FILE *f;
    uint64_t file_bytes;
    uint8_t net[32];
    /* feeds, in bundle order */
    audit_feed *feeds;
    size_t nfeeds, feeds_cap;
    uint64_t entries, checkpoints, fork_records;
    /* findings, in the order found */
    audit_finding *finds;
    size_t nfinds, finds_cap;
    bool stopped; /* an integrity failure stopped pass 1: no replay */
    /* replay */
    memkv *state;
    ledger_kv kv;
    bool replayed;
    bool have_network;
    state_network network;
    uint64_t applied, violations, unchecked;
    /* cosignatures */
    uint64_t cosigs_valid, cosigs_ignored;
    /* what was audited, when (the report's header; audit_statement.c) */
    bool have_sha;
    uint8_t file_sha256[32]; /* of the whole file, as sha256sum prints it */
    uint64_t audited_at_ms;  /* wall clock, UTC */
    bool have_period;
    uint64_t first_ms, last_ms; /* the earliest and latest entry replayed */
};

#define AUDIT_LEAF_CHUNK_SHIFT 16
#define AUDIT_LEAF_CHUNK ((uint64_t)1 << AUDIT_LEAF_CHUNK_SHIFT)

/* Leaf hash i (from the feed's first entry in the bundle); i must have been
 * read and hashed. */
static inline uint8_t *audit__leaf(const audit_feed *f, uint64_t i)
{
    return f->chunks[i >> AUDIT_LEAF_CHUNK_SHIFT][i & (AUDIT_LEAF_CHUNK - 1)];
}

/* ---- audit.c ---- */
audit_finding *audit__find(audit *a, enum audit_kind kind, uint64_t pos);
/* Set a finding's text (printf-style). */
void audit__say(audit_finding *f, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
audit_feed *audit__feed_by_author(audit *a, const uint8_t author[32]);
/* ---- audit_match.c: the "match after exit" finding ---- */
/* After match e is applied in the replay. */
int audit__match_applied(audit *a, const entry *e);
/* After the replay: the matches that could not be judged when applied. */
int audit__match_finish(audit *a);
/* A short label for a feed: its member name once known, else 16 hex. */
void audit__label(const audit *a, const uint8_t author[32], char *out, size_t cap);

/* ---- audit_tree.c: leaf hashing and trees (both threads), tree checks ---- */
typedef struct audit_tree audit_tree;
/* A feed's tree: its leaves go in, in order, as they are hashed. */
int audit__tree_new(audit_tree **out);
void audit__tree_free(audit_tree *t);
typedef struct audit_hasher audit_hasher;
/* threads 0: hash in the caller's thread. */
int audit__hasher_new(unsigned threads, audit_hasher **out);
/* Hash one entry into dst, then push dst into t (the bytes are copied; dst
 * and t are written later, by the time audit__hasher_sync returns). Entries
 * of one tree are added in order. */
int audit__hasher_add(audit_hasher *h, audit_tree *t, uint8_t dst[32], const uint8_t *bytes,
                      size_t len);
/* Wait until every entry added so far is hashed and in its tree. */
int audit__hasher_sync(audit_hasher *h);
void audit__hasher_free(audit_hasher *h);
/* With all of f's leaves hashed and in f->tree: its roots at every
 * checkpoint's size. The latest (F) root must match, else FIND_FAIL naming
 * the narrowest index range the K checkpoints allow; a K root that differs
 * while the F root matches is a fork, proven and checked with
 * fork_proof_verify. */
int audit__check_tree(audit *a, audit_feed *f);

/* ---- audit_cursor.c: pass 2's reads, leaf hashes checked, entries decoded
 * (a helper thread hashes and decodes ahead when threads > 0) ---- */
typedef struct audit_cursor audit_cursor;
int audit__cursor_new(int fd, unsigned threads, audit_cursor **out);
void audit__cursor_free(audit_cursor *c);
/* Read f's entries from f->applied on (at f->next_off, or its first E
 * record when nothing was applied). */
int audit__cursor_seek(audit_cursor *c, const audit_feed *f);
/* The next entry: its bytes, and *e decoded from them (entry_decode), both
 * valid until the next call. CF_EVERIFY when its bytes are not the ones
 * pass 1 verified (the file changed); CF_EREJECTED when they do not decode
 * (d says why, as entry_decode says it). */
int audit__cursor_next(audit_cursor *c, const uint8_t **p, size_t *len, const entry **e,
                       diag *d);

/* ---- audit_statement.c ---- */
/* The whole file's SHA-256 read again (when pass 1 stopped before the end
 * record, whose reader would have given it). */
int audit__file_sha256(audit *a);

/* ---- audit_replay.c ---- */
int audit__replay(audit *a);
/* After the replay: cosignatures on every checkpoint, witnesses counted. */
int audit__check_cosigs(audit *a);

#endif
