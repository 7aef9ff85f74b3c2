/* state.h — the ledger state the rules read and write, over an abstract
 * ordered key-value store.
 *
 * The rules (rules.h) never touch LMDB: they see the state through
 * ledger_kv, which the node implements over its LMDB "state" table (in the
 * same write transaction as the entry) and the offline audit implements in
 * memory. Record layouts and keys live here, once, so every implementation
 * agrees. docs/storage.md lists them.
 *
 * "As of gov": governance records (members, programs, projects) carry the
 * index of the governance entry that created them; a record exists as of a
 * governance size g when that index is < g.
 *
 * Series: totals that queries need "as of" a time (positions, program
 * totals) keep a point (time -> cumulative value) per change, as a history
 * (state_history.h): the value at any time is the head or one floor lookup
 * among its blocks. Each
 * series changes only through one feed (a holder's, or a program
 * operator's), whose times never decrease, so a series' points are written
 * in time order. The series' directory record repeats its latest point
 * (time and value): the current value, which the rules and most queries
 * want, is one exact get.
 */
#ifndef COFUND_STATE_H
#define COFUND_STATE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "entry.h"

typedef int (*ledger_kv_visit_fn)(void *arg, const uint8_t *key, size_t klen,
                                  const uint8_t *val, size_t vlen);

/* An ordered byte-string map. Returned pointers stay valid until the next
 * put or del. get/floor return CF_ENOTFOUND when absent. */
typedef struct {
    void *ctx;
    int (*get)(void *ctx, const uint8_t *key, size_t klen, const uint8_t **val,
               size_t *vlen);
    int (*put)(void *ctx, const uint8_t *key, size_t klen, const uint8_t *val,
               size_t vlen);
    /* Keys starting with prefix, ascending (descending when reverse); a
     * non-zero return from fn stops the scan and is returned. fn must not
     * modify the map. */
    int (*scan)(void *ctx, const uint8_t *prefix, size_t plen, bool reverse,
                ledger_kv_visit_fn fn, void *arg);
    /* Greatest key <= key among keys sharing key's first plen bytes. */
    int (*floor)(void *ctx, const uint8_t *key, size_t klen, size_t plen,
                 const uint8_t **fkey, size_t *fklen, const uint8_t **val,
                 size_t *vlen);
    /* Series keep their latest point only (the directory record), no
     * history: reading a series as of an earlier time is CF_EINVAL. For a
     * state read only as it stands at the end (the offline audit): the
     * rules read series heads only, and a point per change is most of the
     * records a replay writes. The binders set it false. */
    bool latest_only;
} ledger_kv;

/* Keys are at most this long: an award's, a tag, two length-prefixed
 * identifiers, a year, an amount, a key and an index (a series' — two
 * identifiers, a key and a time — is shorter). */
#define STATE_KEY_BYTES_MAX (1 + 2 * (1 + ENTRY_ID_BYTES_MAX) + 2 + 8 + 32 + 8)
/* Identifiers and names copied out of records. */
#define STATE_ID_CAP (ENTRY_ID_BYTES_MAX + 1)
#define STATE_NAME_CAP (ENTRY_NAME_BYTES_MAX + 1)

/* ---- records ------------------------------------------------------------ */
typedef struct {
    uint8_t net[32];     /* network id: leaf hash of the genesis entry */
    uint8_t gov_key[32]; /* the governance member's current key */
    int32_t tz_min;
    char name[STATE_NAME_CAP]; /* the genesis name, or the latest rename (R-RENAME) */
    bool has_bound;            /* the sanity bound governance set (R-BOUND) */
    int64_t bound_fen;
    /* R-SUCCEED: governance indices count the governance entries of every
     * governance key in turn; gov_key's entry i is governance entry
     * gov_base + i (0 until a succession). The recovery keys and quorum are
     * the genesis's (nrecovery 0: none). */
    uint64_t gov_base;
    uint32_t quorum;
    size_t nrecovery;
    uint8_t recovery[RECOVERY_KEYS_MAX][32];
} state_network;

/* How many governance entries are applied, given the current governance
 * key's tip. */
static inline uint64_t state_gov_size(const state_network *n, uint64_t gov_key_applied)
{
    return n->gov_base + gov_key_applied;
}

/* A member key. A rekey (R-KEY) adds the new key as a member record of its
 * own with the old one's role and name, `prev` the key it replaces and the
 * same `identity` (the member's first key): positions and programs follow
 * the identity, so the member continues under the new key. The old key's
 * record is closed: its feed counts below closed_at only. */
typedef struct {
    uint8_t key[32];
    enum member_role role;
    uint64_t added_at; /* governance index of the entry that added it */
    char name[STATE_ID_CAP];
    uint8_t identity[32]; /* the member's first key (key itself when never rekeyed) */
    bool has_prev;
    uint8_t prev[32]; /* the key this one replaced */
    bool closed;      /* replaced or retired */
    uint64_t closed_at;
    uint64_t closed_by; /* governance index of the rekey or retire */
    bool has_next;
    uint8_t next[32]; /* the key that replaced it */
    /* The member's display name (the member entry's, or the latest rename,
     * R-RENAME), "" when none; every key of the member carries it. */
    char display[STATE_NAME_CAP];
} state_member;

typedef struct {
    uint64_t applied;   /* entries of this feed applied to the state */
    uint64_t last_time; /* time of the last applied entry */
    uint64_t last_gov;  /* gov of the last applied entry */
    int64_t volume;     /* the amounts its applied entries carry, summed (R-VOLUME) */
} state_tip;

/* A program, with its kind's terms (the others zero): the record of a
 * "match" program is laid out as it always was; other kinds append theirs. */
typedef struct {
    char id[STATE_ID_CAP];
    uint64_t added_at;
    char kind[STATE_ID_CAP];
    enum program_kind pkind; /* from kind */
    uint8_t operator_key[32];
    /* match */
    uint32_t counterpart_roles;
    uint32_t ratio_num, ratio_den;
    uint32_t window_days;
    bool has_cap, has_budget; /* has_budget, budget_fen: award programs too */
    int64_t cap_fen, budget_fen;
    uint64_t start_ms;
    /* pool */
    uint32_t leverage, share_num, share_den;
    bool has_size;
    int64_t size_fen;
    /* leasing: bounds per part (enum lease_part) */
    bool has_part[LEASE__PARTS];
    pct_range part[LEASE__PARTS];
    /* award */
    size_t nlevels;
    int64_t levels_fen[AWARD_LEVELS_MAX];
    bool has_requires;      /* R-AWARD.5 */
    enum cert_kind requires;
    /* subsidy: share_num/den, has_cap/cap_fen (per unit), has_budget/budget_fen
     * (per calendar year) above, and */
    enum cert_kind basis;
    bool has_recipient_cap; /* per recipient per calendar year */
    int64_t recipient_cap_fen;
} state_program;

typedef struct {
    char id[STATE_ID_CAP];
    uint64_t added_at;
    char name[STATE_NAME_CAP];
    char kind[STATE_NAME_CAP]; /* "" when none */
} state_project;

typedef struct {
    uint8_t author[32];
    uint64_t index;
    uint8_t leaf[32];
    uint64_t time_ms;
    int64_t amount_fen;
    char project[STATE_ID_CAP];
    char round[STATE_ID_CAP];
    char program[STATE_ID_CAP]; /* "" when none named */
    int64_t allocated_fen;      /* by its program's matches so far */
} state_contribution;

/* Each getter returns CF_OK, CF_ENOTFOUND, or CF_ESTORE_CORRUPT for a record
 * that does not decode. Putters return the kv's error. */
int state_network_get(const ledger_kv *kv, state_network *out);
int state_network_put(const ledger_kv *kv, const state_network *n);

int state_member_get(const ledger_kv *kv, const uint8_t key[32], state_member *out);
int state_member_by_name(const ledger_kv *kv, const char *name, size_t n,
                         state_member *out);
int state_member_put(const ledger_kv *kv, const state_member *m);
/* Whether key is a member's key (closed keys included); false on any error. */
bool state_is_member(const ledger_kv *kv, const uint8_t key[32]);
typedef int (*state_member_visit_fn)(void *arg, const state_member *m);
int state_members_each(const ledger_kv *kv, state_member_visit_fn fn, void *arg);
/* How many members are registered (R-MEMBERS): the count record, or — in a
 * state written before it existed — the members counted. */
int state_member_count_get(const ledger_kv *kv, uint64_t *out);
int state_member_count_put(const ledger_kv *kv, uint64_t n);

/* A feed with nothing applied has a zero tip (CF_OK). */
int state_tip_get(const ledger_kv *kv, const uint8_t author[32], state_tip *out);

/* ---- forks (docs/rules.md, R-FORK) ---------------------------------------
 * A feed proven forked counts up to its point P (the index where its
 * histories part; 0 when no proof locates it): entries below P are applied
 * as any others, none from P on. The node and the audit write the points
 * they hold proofs for before applying anything, so the rules read them as
 * facts, like the governance feed. */
int state_fork_get(const ledger_kv *kv, const uint8_t author[32], uint64_t *point);
int state_fork_put(const ledger_kv *kv, const uint8_t author[32], uint64_t point);
/* A governance key succeeded (R-SUCCEED): `by` continues the governance,
 * and prev's feed counts below `close`. Like fork points these are facts
 * the node and the audit write before applying anything (from every
 * succession held whose signatures verify: the one with the smallest close,
 * then the smallest key, per prev), so that a rebuild stops the old key's
 * feed before it reaches the new key's feed; the rules write it too when
 * they apply a succession. */
typedef struct {
    uint8_t by[32];
    uint64_t close;
} state_succession;
int state_succession_get(const ledger_kv *kv, const uint8_t prev[32], state_succession *out);
/* Writes x for prev unless a succession with a smaller (close, by) is there;
 * *kept tells whether x is the one that stands now. */
int state_succession_note(const ledger_kv *kv, const uint8_t prev[32],
                          const state_succession *x, bool *kept);
/* Where author's feed stops counting: the smallest of its fork point, the
 * index its key was closed at by a rekey or retire (R-KEY) and its
 * succession's close (R-SUCCEED); CF_ENOTFOUND when none. */
int state_feed_stop(const ledger_kv *kv, const uint8_t author[32], uint64_t *stop);
/* One past the last entry of author's feed that counts, of the `held` held
 * here: held, or the feed's stop (state_feed_stop) when that is smaller. */
int state_feed_end(const ledger_kv *kv, const uint8_t author[32], uint64_t held, uint64_t *end);
/* A key closed (R-KEY) behind what this state had applied of its feed: the
 * state holds entries that no longer count. The rules write this request;
 * whoever drives them (the home's drain) rebuilds the state from the held
 * entries, which clears it. A state drained from empty never writes it: the
 * governance feed applies before any other feed's entries (the others wait
 * for the genesis), so every closure is known before the feed it closes. */
int state_rebuild_request_put(const ledger_kv *kv);
int state_rebuild_requested(const ledger_kv *kv, bool *requested);
typedef int (*state_fork_visit_fn)(void *arg, const uint8_t author[32], uint64_t point);
int state_forks_each(const ledger_kv *kv, state_fork_visit_fn fn, void *arg);

/* An entry applied as disputed: it cites `cited` (author, index) of a feed
 * forked at or before that index. amount_fen: the part of the entry that
 * rests on disputed citations (a match's disputed allocations; the whole
 * amount of another entry, which changed nothing). */
typedef struct {
    uint8_t author[32];
    uint64_t index;
    uint8_t cited_author[32];
    uint64_t cited_index;
    int64_t amount_fen;
} state_disputed;
int state_disputed_get(const ledger_kv *kv, const uint8_t author[32], uint64_t index,
                       state_disputed *out);
int state_disputed_put(const ledger_kv *kv, const state_disputed *x);
typedef int (*state_disputed_visit_fn)(void *arg, const state_disputed *x);
int state_disputed_each(const ledger_kv *kv, state_disputed_visit_fn fn, void *arg);
int state_tip_put(const ledger_kv *kv, const uint8_t author[32], const state_tip *t);

/* ---- what the matching rule R-MATCH.6 reads (state_holding.c) -----------
 * A holder's position in a project as of an index of its own feed: what its
 * contributions to the project and its exits from it sum to, counting its
 * entries up to that index. Written by the holder's feed only (its
 * contributions and exits), read by a match through its citation's read
 * point. */
/* A holder's latest point in a project, and its history's head record as
 * read (state_history.h: up to 17 points of 24 bytes). */
#define STATE_HOLDING_RECORD_MAX 410
typedef struct {
    bool exists;      /* the holder's feed changed it (zeros below if not) */
    int64_t position; /* after the entry below */
    uint64_t index, time_ms;
    uint8_t rec[STATE_HOLDING_RECORD_MAX];
    size_t rec_len;
} state_holding;
int state_holding_get(const ledger_kv *kv, const uint8_t holder[32], const char *project,
                      state_holding *out);
/* The position after entry `index` of the holder's feed, dated time_ms;
 * *latest is what state_holding_get read (nothing written since) and
 * becomes the new latest point. */
int state_holding_put(const ledger_kv *kv, const uint8_t holder[32], const char *project,
                      state_holding *latest, uint64_t index, uint64_t time_ms,
                      int64_t position);
/* Counting the holder's entries with index <= last (0 when none). */
int state_holding_at(const ledger_kv *kv, const uint8_t holder[32], const char *project,
                     uint64_t last, int64_t *position);
/* Counting its entries dated <= time_ms, of those applied here (the
 * audit's "match after exit", docs/auditing.md). */
int state_holding_by_time(const ledger_kv *kv, const uint8_t holder[32], const char *project,
                          uint64_t time_ms, int64_t *position);
/* Counting all its entries applied here. */
int state_holding_latest(const ledger_kv *kv, const uint8_t holder[32], const char *project,
                         int64_t *position);
/* What program's matches allocated against counterpart's contributions in
 * project (checked allocations only: R-FORK's disputed ones are not), 0 when
 * none. Written by the program operator's feed only. */
int state_allocated_get(const ledger_kv *kv, const char *program, const char *project,
                        const uint8_t counterpart[32], int64_t *out);
int state_allocated_put(const ledger_kv *kv, const char *program, const char *project,
                        const uint8_t counterpart[32], int64_t value);

/* ---- reversals (state_reverse.c, docs/rules.md R-REVERSE) ---------------
 * What a reversal reads of the entry it reverses. A contribution's is its
 * own record (state_contribution); a match's and an exit's is this one,
 * written by their feed when they are applied. */
typedef struct {
    uint8_t author[32];
    int64_t amount_fen;
    bool disputed; /* R-FORK: not checked, allocated nothing */
    uint64_t index;
} state_rec_cite;

typedef struct {
    uint8_t author[32];
    uint64_t index;
    enum entry_type type; /* a match, an exit, a deposit, a withdrawal, a guarantee,
                           * a release, a compensation, a lease or an award */
    uint8_t leaf[32];
    uint64_t time_ms;
    int64_t amount_fen;
    char program[STATE_ID_CAP]; /* match, pool entries, lease, award */
    char project[STATE_ID_CAP]; /* match, exit, lease, award */
    char round[STATE_ID_CAP];    /* match */
    int32_t year;                /* match: the calendar year it counts in (R-BUDGET);
                                  * award: its year */
    int64_t disputed_fen;        /* match: its disputed part (R-FORK); compensation:
                                  * what it released of its guarantee's outstanding */
    size_t ncites; /* a guarantee, release, compensation: 1, the bank entry it cites */
    state_rec_cite cites[ENTRY_CITES_MAX];
} state_entry_rec;
int state_entry_rec_get(const ledger_kv *kv, const uint8_t author[32], uint64_t index,
                        state_entry_rec *out);
int state_entry_rec_put(const ledger_kv *kv, const state_entry_rec *r);
/* Every match and exit record, in (author, index) order (the reports:
 * query.h). */
typedef int (*state_entry_rec_visit_fn)(void *arg, const state_entry_rec *r);
int state_entry_recs_each(const ledger_kv *kv, state_entry_rec_visit_fn fn, void *arg);
/* Those of one author's feed, by index. */
int state_entry_recs_of(const ledger_kv *kv, const uint8_t author[32],
                        state_entry_rec_visit_fn fn, void *arg);

/* An entry reversed: the reversal's index in the same feed and its time.
 * CF_ENOTFOUND when the entry stands. Written by that feed only. */
typedef struct {
    uint64_t index;
    uint64_t time_ms;
} state_reversal;
int state_reversed_get(const ledger_kv *kv, const uint8_t author[32], uint64_t index,
                       state_reversal *out);
/* Every entry reversed, by (author, index). */
typedef int (*state_reversed_visit_fn)(void *arg, const uint8_t author[32], uint64_t index,
                                       const state_reversal *r);
int state_reversed_each(const ledger_kv *kv, state_reversed_visit_fn fn, void *arg);
int state_reversed_put(const ledger_kv *kv, const uint8_t author[32], uint64_t index,
                       const state_reversal *r);

/* A contribution's allocations, point by point: each match that allocated
 * from it (delta > 0) and each reversal of such a match (delta < 0), by the
 * entry of the operator's feed that did it. R-REVERSE.3 sums those of the
 * operator's feed below the reversal's read point. Written by the operator's
 * feed only. */
int state_alloc_point_put(const ledger_kv *kv, const uint8_t contrib_author[32],
                          uint64_t contrib_index, const uint8_t by_author[32],
                          uint64_t by_index, int64_t delta);
typedef int (*state_alloc_point_fn)(void *arg, const uint8_t by_author[32], uint64_t by_index,
                                    int64_t delta);
int state_alloc_points_each(const ledger_kv *kv, const uint8_t contrib_author[32],
                            uint64_t contrib_index, state_alloc_point_fn fn, void *arg);

/* The calendar year of the match that counted a contribution as its
 * program's counterpart capital (the counter series of that year hold it);
 * 0 when it counts nowhere now. Written by the operator's feed only. */
int state_counted_get(const ledger_kv *kv, const uint8_t author[32], uint64_t index,
                      int32_t *year);
int state_counted_put(const ledger_kv *kv, const uint8_t author[32], uint64_t index,
                      int32_t year);

int state_program_get(const ledger_kv *kv, const char *id, size_t n, state_program *out);
int state_program_put(const ledger_kv *kv, const state_program *p);
typedef int (*state_program_visit_fn)(void *arg, const state_program *p);
int state_programs_each(const ledger_kv *kv, state_program_visit_fn fn, void *arg);

/* ---- a program's terms over time (state_terms.c, R-AMEND, R-CLOSE) ------
 * Each amendment or closing is one record, by (program, governance index of
 * the entry): written by the governance feed only. */
enum state_term_bit {
    TERM_RATIO = 1u << 0,
    TERM_WINDOW = 1u << 1,
    TERM_CAP = 1u << 2,
    TERM_BUDGET = 1u << 3,
    TERM_SIZE = 1u << 4,
    TERM_SHARE = 1u << 5,
    TERM_LEVERAGE = 1u << 6,
    TERM_DOWN = 1u << 7,
    TERM_FINANCING = 1u << 8,
    TERM_ADVANCE = 1u << 9,
    TERM_LEVELS = 1u << 10,
    TERM__ALL = (1u << 11) - 1,
};
/* The terms each program kind has (R-AMEND.1). */
uint32_t state_terms_of_kind(enum program_kind k);

typedef struct {
    uint64_t gov_index; /* the amend or close entry's governance index */
    bool close;         /* a closing (R-CLOSE) rather than an amendment */
    uint64_t time_ms;   /* an amendment's `from`, a closing's `at` */
    uint32_t stated;    /* an amendment: TERM_* bits of the terms it states */
    state_program terms; /* their values (the rest zero) */
} state_terms;

/* What an amend entry states, as a record (gov_index left to the caller). */
void state_terms_of_amend(const body_amend *b, state_terms *t);
int state_terms_put(const ledger_kv *kv, const char *program, const state_terms *t);
typedef int (*state_terms_visit_fn)(void *arg, const state_terms *t);
/* A program's amendments and closings, by governance index. */
int state_terms_each(const ledger_kv *kv, const char *program, state_terms_visit_fn fn,
                     void *arg);

/* The terms in force for an entry dated time_ms that reads governance up to
 * gov (entries below gov; UINT64_MAX: all applied here): *pg is a program's
 * record on entry and its terms in force on return — each term the latest
 * amendment stating it with from <= time_ms (the later governance entry on a
 * tie) gives, else the program's own. *closed tells whether a closing counts
 * as of gov, *closed_at its time (the earliest, were there several). */
int state_terms_in_force(const ledger_kv *kv, state_program *pg, uint64_t time_ms,
                         uint64_t gov, bool *closed, uint64_t *closed_at);

int state_project_get(const ledger_kv *kv, const char *id, size_t n, state_project *out);
int state_project_put(const ledger_kv *kv, const state_project *p);
typedef int (*state_project_visit_fn)(void *arg, const state_project *p);
int state_projects_each(const ledger_kv *kv, state_project_visit_fn fn, void *arg);

int state_contribution_get(const ledger_kv *kv, const uint8_t author[32],
                           uint64_t index, state_contribution *out);
int state_contribution_put(const ledger_kv *kv, const state_contribution *c);
typedef int (*state_contribution_visit_fn)(void *arg, const state_contribution *c);
/* Contributions naming program (all of them when program is NULL), in
 * (author, index) order. */
int state_contributions_each(const ledger_kv *kv, state_contribution_visit_fn fn,
                             void *arg);
/* The contributions of one author's feed, by index. */
int state_contributions_of(const ledger_kv *kv, const uint8_t author[32],
                           state_contribution_visit_fn fn, void *arg);

/* Contributions that name a program, oldest first (by time, then author
 * and index): what `match --auto` proposes from, for one project and round;
 * with project NULL (round ignored), all of the program's (what "awaiting a
 * match" sums). */
int state_queue_put(const ledger_kv *kv, const state_contribution *c);
typedef int (*state_queue_visit_fn)(void *arg, const uint8_t author[32], uint64_t index);
int state_queue_each(const ledger_kv *kv, const char *program, const char *project,
                     const char *round, state_queue_visit_fn fn, void *arg);

/* ---- the other instruments (state_instruments.c) ------------------------
 * Each record is written by one feed only, so that reading it is reading
 * that feed (docs/rules.md, "Why the pool's registration is split"). */

/* A bank's loan, repayment or default, by (author, index): written only by
 * the bank's feed. Repayments and defaults copy their loan's program and
 * project. */
typedef struct {
    uint8_t author[32];
    uint64_t index;
    enum entry_type type; /* ENTRY_LOAN, ENTRY_REPAY or ENTRY_DEFAULT */
    uint8_t leaf[32];
    uint64_t time_ms;
    char program[STATE_ID_CAP];
    char project[STATE_ID_CAP];
    int64_t amount_fen;   /* loan: principal; repay: amount; default: loss */
    uint32_t term_months; /* loan */
    uint64_t loan_index;  /* repay, default: their loan ... */
    uint8_t loan_author[32]; /* ... in this feed: the bank's (author), or an
                              * earlier key's of the same bank (R-KEY) */
    int64_t repaid_fen;   /* loan: repaid so far */
    bool defaulted;       /* loan: its default is recorded */
    int64_t loss_fen;     /* loan: the loss its default recorded */
    uint64_t reversed_ms; /* the time of its reversal (R-REVERSE); 0: it stands */
} state_credit;

int state_credit_get(const ledger_kv *kv, const uint8_t author[32], uint64_t index,
                     state_credit *out);
int state_credit_put(const ledger_kv *kv, const state_credit *c);
typedef int (*state_credit_visit_fn)(void *arg, const state_credit *c);
/* Every credit record, in (author, index) order. */
int state_credits_each(const ledger_kv *kv, state_credit_visit_fn fn, void *arg);

/* A pool's guarantee of a loan, by the loan's (author, index): written only
 * by the pool operator's feed (the loan names its pool, so one pool). */
typedef struct {
    uint8_t loan_author[32];
    uint64_t loan_index;
    char program[STATE_ID_CAP];
    uint64_t index;       /* the guarantee, in the operator's feed */
    uint64_t time_ms;     /* the guarantee's time (R-POOL.9) */
    int64_t amount_fen;   /* guaranteed: the loan's amount */
    int64_t released_fen; /* no longer outstanding: releases, then compensation */
    bool compensated;
    uint64_t compensation_index;
    int64_t compensation_fen;
    bool reversed; /* the guarantee was reversed (R-REVERSE): get reads it as absent */
} state_guarantee;

/* CF_ENOTFOUND when the loan is not guaranteed (or its guarantee reversed). */
int state_guarantee_get(const ledger_kv *kv, const uint8_t loan_author[32],
                        uint64_t loan_index, state_guarantee *out);
int state_guarantee_put(const ledger_kv *kv, const state_guarantee *g);

/* A repayment a pool released: the index of the release in the operator's
 * feed, by the repayment's (author, index). STATE_RELEASE_NONE: its release
 * was reversed (get: CF_ENOTFOUND). */
#define STATE_RELEASE_NONE UINT64_MAX
int state_release_get(const ledger_kv *kv, const uint8_t repay_author[32],
                      uint64_t repay_index, uint64_t *release_index);
int state_release_put(const ledger_kv *kv, const uint8_t repay_author[32],
                      uint64_t repay_index, uint64_t release_index);

/* A lease, by (project, author, index): written by the leasing program's
 * operator. */
typedef struct {
    char project[STATE_ID_CAP];
    uint8_t author[32];
    uint64_t index;
    char program[STATE_ID_CAP];
    char equipment[STATE_NAME_CAP];
    uint64_t time_ms;
    int64_t price_fen;
    int64_t part_fen[LEASE__PARTS];
    uint8_t leaf[32];     /* the lease entry's leaf hash (R-SUBSIDY.1) */
    uint64_t reversed_ms; /* the time of its reversal (R-REVERSE); 0: it stands */
} state_lease;

int state_lease_put(const ledger_kv *kv, const state_lease *l);
/* The lease (author, index) of project: CF_OK with *out filled, or
 * CF_ENOTFOUND when that entry is no lease of project. */
int state_lease_get(const ledger_kv *kv, const char *project, const uint8_t author[32],
                    uint64_t index, state_lease *out);
typedef int (*state_lease_visit_fn)(void *arg, const state_lease *l);
/* Leases in (project, author, index) order; project NULL: all. */
int state_leases_each(const ledger_kv *kv, const char *project, state_lease_visit_fn fn,
                      void *arg);

/* An award, by (program, year, project, amount) and the entry that made it
 * (author, index): at most one standing per (program, year, project,
 * amount) (R-AWARD.3); one reversed stays with its reversal's time, and the
 * same award entered again is a record of its own. Written by the award
 * program's operator. */
typedef struct {
    char program[STATE_ID_CAP];
    int year;
    char project[STATE_ID_CAP];
    int64_t amount_fen;
    uint8_t author[32];
    uint64_t index; /* in the operator's feed */
    uint64_t time_ms;
    uint64_t reversed_ms; /* the time of its reversal (R-REVERSE); 0: it stands */
} state_award;

/* The standing award of (program, year, project, amount): CF_OK with *out
 * filled, or CF_ENOTFOUND. */
int state_award_get(const ledger_kv *kv, const char *program, int year, const char *project,
                    int64_t amount_fen, state_award *out);
/* The award entry (author, index) made: CF_OK with *out filled, or CF_ENOTFOUND. */
int state_award_of(const ledger_kv *kv, const char *program, int year, const char *project,
                   int64_t amount_fen, const uint8_t author[32], uint64_t index,
                   state_award *out);
int state_award_put(const ledger_kv *kv, const state_award *a);
typedef int (*state_award_visit_fn)(void *arg, const state_award *a);
/* A program's awards by year, project and amount; program NULL: all. */
int state_awards_each(const ledger_kv *kv, const char *program, state_award_visit_fn fn,
                      void *arg);

/* ---- certifications and subsidies (state_subsidy.c, R-CERT, R-SUBSIDY) --
 * A certification by its governance index, with its revocation once one is
 * written: the governance feed only. What a rule reads of it as of a
 * governance size g: the certification when gov_index < g, its revocation
 * when revoke_gov < g (state_cert_in_force). */
typedef struct {
    uint64_t gov_index; /* its id */
    enum cert_kind kind;
    char project[STATE_ID_CAP];
    char product[STATE_NAME_CAP]; /* first-set; "" otherwise */
    int32_t year;                 /* demonstration; 0 otherwise */
    uint64_t batch;               /* demonstration, 0 when none */
    int64_t price_fen;            /* first-set: the certified price per unit */
    uint64_t from_ms;
    bool has_until;
    uint64_t until_ms;
    bool revoked;
    uint64_t revoke_gov; /* the revoke entry's governance index */
    uint64_t revoke_at;  /* withdrawn from this time on */
} state_cert;

int state_cert_get(const ledger_kv *kv, uint64_t gov_index, state_cert *out);
int state_cert_put(const ledger_kv *kv, const state_cert *c);
typedef int (*state_cert_visit_fn)(void *arg, const state_cert *c);
/* By project then governance index; project NULL: every certification. */
int state_certs_each(const ledger_kv *kv, const char *project, state_cert_visit_fn fn,
                     void *arg);
/* Whether c, as a rule reading governance below gov sees it, is in force at
 * time_ms: it exists (gov_index < gov), from <= time_ms < until, and no
 * revocation counting as of gov is dated at or before time_ms. */
bool state_cert_in_force(const state_cert *c, uint64_t time_ms, uint64_t gov);

/* A subsidy, by (program, author, index): the program operator's feed. */
typedef struct {
    char program[STATE_ID_CAP];
    uint8_t author[32];
    uint64_t index;
    uint64_t time_ms;
    char project[STATE_ID_CAP]; /* the buyer */
    uint64_t cert;              /* the certification's governance index */
    uint32_t units;
    int64_t price_fen;
    int64_t amount_fen;
    int32_t year;               /* the calendar year it counts in */
    bool has_lease;
    char sale[STATE_ID_CAP];    /* a sale's reference ("" for a lease) */
    uint8_t lease_author[32];   /* a lease's entry */
    uint64_t lease_index;
} state_subsidy;

int state_subsidy_put(const ledger_kv *kv, const state_subsidy *s);
typedef int (*state_subsidy_visit_fn)(void *arg, const state_subsidy *s);
/* A program's subsidies by (author, index); program NULL: every one. */
int state_subsidies_each(const ledger_kv *kv, const char *program, state_subsidy_visit_fn fn,
                         void *arg);
/* The subsidy that paid for a sale (sale != NULL) or a lease (author, index)
 * under program (R-SUBSIDY.8): its index in the operator's feed, or
 * CF_ENOTFOUND. */
int state_subsidized_get(const ledger_kv *kv, const char *program, const char *sale,
                         const uint8_t lease_author[32], uint64_t lease_index, uint64_t *index);
int state_subsidized_put(const ledger_kv *kv, const state_subsidy *s);

/* ---- series -------------------------------------------------------------
 * A series is identified by a kind and up to two identifiers / a key / a
 * year. The current value is the latest point; state_series_at() reads the
 * value as of a time (0 before the first point). */
enum state_series_kind {
    SERIES_POSITION = 'Q',          /* (project, holder): invested - exited */
    SERIES_PROGRAM_DEPLOYED = 'D',  /* (program): fund amount matched */
    SERIES_PROGRAM_COUNTER = 'C',   /* (program): counterpart capital cited */
    SERIES_PROJECT_DEPLOYED = 'E',  /* (program, project) */
    SERIES_PROJECT_COUNTER = 'F',   /* (program, project) */
    SERIES_YEAR_DEPLOYED = 'Y',     /* (program, year) */
    SERIES_YEAR_COUNTER = 'Z',      /* (program, year) */
    SERIES_PROGRAM_REQUESTED = 'R', /* (program, contributor name): contributions
                                     * naming the program, one series per feed */
    /* Pools, by (program): written by the operator's feed. The balance is
     * deposited - withdrawn - compensated, loans outstanding guaranteed -
     * released. */
    SERIES_POOL_DEPOSITED = 'd',
    SERIES_POOL_WITHDRAWN = 'w',
    SERIES_POOL_COMPENSATED = 'p',
    SERIES_POOL_GUARANTEED = 'g',
    SERIES_POOL_RELEASED = 'r',
    /* Pools by (program, bank name), written by the operator's feed, */
    SERIES_BANK_GUARANTEED = 'G',
    SERIES_BANK_RELEASED = 'H',
    SERIES_BANK_COMPENSATED = 'K',
    /* and by the bank's feed. */
    SERIES_BANK_LENT = 'L',
    SERIES_BANK_REPAID = 'M',
    SERIES_BANK_LOSS = 'N',     /* the losses its defaults recorded */
    SERIES_BANK_DEFAULTS = 'O', /* how many defaults */
    /* Awards by (program, award year): the operator's feed. */
    SERIES_AWARD_YEAR = 'A',
    /* Subsidies, the operator's feed: paid by (program), by (program,
     * calendar year) (the annual budget), by (program, buyer, calendar year)
     * (the recipient cap). */
    SERIES_SUBSIDY_PAID = 's',
    SERIES_SUBSIDY_YEAR = 'B',
    SERIES_SUBSIDY_RECIPIENT = 'b',
    /* Disputed matches (docs/rules.md, R-FORK): the part of a match whose
     * citations name a forked feed at or past its point. */
    SERIES_PROGRAM_DISPUTED = 'x',  /* (program) */
    SERIES_PROJECT_DISPUTED = 'y',  /* (program, project) */
    SERIES_POSITION_DISPUTED = 'q', /* (project, holder) */
};

typedef struct {
    uint8_t bytes[STATE_KEY_BYTES_MAX];
    size_t len;
} state_series;

void state_series_position(state_series *s, const char *project, const uint8_t holder[32]);
/* A (project, holder) series of another kind (SERIES_POSITION_DISPUTED). */
void state_series_holder(state_series *s, enum state_series_kind kind, const char *project,
                         const uint8_t holder[32]);
void state_series_program(state_series *s, enum state_series_kind kind, const char *program);
void state_series_project(state_series *s, enum state_series_kind kind,
                          const char *program, const char *project);
void state_series_year(state_series *s, enum state_series_kind kind,
                       const char *program, int year);
/* A (program, project, year) series (SERIES_SUBSIDY_RECIPIENT). */
void state_series_project_year(state_series *s, enum state_series_kind kind,
                               const char *program, const char *project, int year);

#define STATE_TIME_LATEST UINT64_MAX
/* The value as of time_ms; STATE_TIME_LATEST reads the head (one get). */
int state_series_at(const ledger_kv *kv, const state_series *s, uint64_t time_ms,
                    int64_t *value);
/* Add delta at time_ms; CF_EOVERFLOW if the total would leave int64;
 * CF_EINVAL if time_ms is earlier than the series' latest point (a series
 * is written by one feed, whose times never decrease). */
int state_series_add(const ledger_kv *kv, const state_series *s, uint64_t time_ms,
                     int64_t delta);

/* A series' latest point, as its directory record holds it. */
#define STATE_SERIES_RECORD_MAX 274
typedef struct {
    bool exists;      /* the series has a point */
    uint64_t time_ms; /* the latest point's time (0 when none) */
    int64_t value;    /* the current value (0 when none) */
    /* the directory record as read: the history's head (state_history.h:
     * up to 17 points of 16 bytes) */
    uint8_t rec[STATE_SERIES_RECORD_MAX];
    size_t rec_len;
} state_series_head;
int state_series_head_get(const ledger_kv *kv, const state_series *s,
                          state_series_head *out);
/* state_series_add for a caller that read the head itself (and wrote
 * nothing to the series since): the same checks and records, without
 * reading it again; *h becomes the new head. */
int state_series_head_add(const ledger_kv *kv, const state_series *s,
                          state_series_head *h, uint64_t time_ms, int64_t delta);

/* Visit the value as of `as_of` of every series with this kind and first
 * identifier (program or project; NULL for all); fn receives the series' key
 * bytes after that prefix (with first == NULL: the length-prefixed first
 * identifier and the rest) so callers can decode the other components. */
typedef int (*state_series_visit_fn)(void *arg, const uint8_t *rest, size_t rest_len,
                                     int64_t value);
int state_series_each(const ledger_kv *kv, enum state_series_kind kind,
                      const char *first, uint64_t as_of, state_series_visit_fn fn,
                      void *arg);

/* ---- returns (state_returns.c, docs/rules.md "Returns", R-MARK) ---------
 * A fund's valuation mark of a project, and an exit's proceeds when the exit
 * states them. Neither is ever reversed (R-REVERSE.1): a later mark corrects
 * a mark; an exit's reversal takes its proceeds with it. Each record is
 * written by its own feed only. */
typedef struct {
    uint8_t author[32];
    uint64_t index;
    uint64_t time_ms;
    char project[STATE_ID_CAP];
    int64_t value_fen; /* what every position in the project is worth together */
} state_valuation;
int state_valuation_put(const ledger_kv *kv, const state_valuation *v);
int state_valuation_get(const ledger_kv *kv, const uint8_t author[32], uint64_t index,
                        state_valuation *out);
typedef int (*state_valuation_visit_fn)(void *arg, const state_valuation *v);
/* Every mark, in (author, index) order. */
int state_valuations_each(const ledger_kv *kv, state_valuation_visit_fn fn, void *arg);
int state_proceeds_put(const ledger_kv *kv, const uint8_t author[32], uint64_t index,
                       int64_t proceeds_fen);
/* CF_ENOTFOUND: the exit stated no proceeds (they are its amount). */
int state_proceeds_get(const ledger_kv *kv, const uint8_t author[32], uint64_t index,
                       int64_t *proceeds_fen);

/* ---- the register's index (state_index.c) --------------------------------
 * Every entry applied, by (type, time, author, index): `register --type`
 * and `--last` read the entries they list and no others. A feed's applied
 * entries are exactly those below its tip's `applied`; the ones above it
 * (held, pending, past a fork) are not indexed. The offline audit's state
 * (latest_only) keeps none. */
typedef struct {
    uint64_t time_ms;
    uint8_t author[32];
    uint64_t index;
} state_entry_at;
int state_entry_index_put(const ledger_kv *kv, const entry *e);
/* The greatest record of type at or below *at (time, then author bytewise,
 * then index); CF_ENOTFOUND when none. */
int state_entry_index_floor(const ledger_kv *kv, enum entry_type type, const state_entry_at *at,
                            state_entry_at *out);
/* The position just below *at in that order; false when *at is the least. */
bool state_entry_at_below(state_entry_at *at);

#endif
