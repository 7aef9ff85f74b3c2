/* rules_internal.h — shared between the rule engine's files; not an API. */
#ifndef COFUND_RULES_INTERNAL_H
#define COFUND_RULES_INTERNAL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "crypto/cf_i18n.h"
#include "diag.h"
#include "entry.h"
#include "rules.h"
#include "state.h"

/* Series heads one entry's check and apply share: a contribution touches 2
 * series, a match 7, an exit 1, a compensation 7, a subsidy 3. */
#define RULE_HEADS_MAX 8

typedef struct {
    state_series s;
    state_series_head h;
} rule_head;

/* What the envelope check learned, handed to the type's check and apply.
 * ledger_process_entry runs check and apply on one context, so apply reuses
 * what check read (series heads, cited contributions) instead of reading it
 * again. */
typedef struct {
    const ledger_kv *kv;
    ledger_cache *cache;  /* optional (rules.h) */
    const uint8_t *leaf;  /* the entry's leaf hash */
    state_tip tip;        /* the author's feed before this entry */
    bool have_net;
    state_network net;
    state_member author;  /* valid for every type but genesis and succession */
    uint64_t gov_index;   /* a governance entry's index among every governance
                           * key's entries (R-SUCCEED: net.gov_base + index) */
    state_program program; /* the program the entry names, for the types whose
                            * rule_type has a kind */
    size_t nheads;        /* heads[0..nheads): current, kept so by apply */
    rule_head heads[RULE_HEADS_MAX];
    size_t ncites;        /* a match's citations read by its check, in order */
    state_contribution cites[ENTRY_CITES_MAX];
    bool cite_disputed[ENTRY_CITES_MAX]; /* R-FORK: citation i names a forked
                                          * feed at or past its point */
    int64_t disputed_fen; /* the sum of a match's disputed allocations */
} rule_ctx;

/* One entry type: who writes it, the program it names, its rules. */
typedef struct {
    uint32_t writers; /* ROLE_BIT set allowed to write the type (R-ROLE) */
    /* The kind of program the entry names in its first body field (0: none
     * read here): it must be registered as of gov and of this kind (R-REF)
     * and is read into rule_ctx.program before check and apply. */
    enum program_kind kind;
    bool operator_only; /* and only that program's operator writes it (R-ROLE) */
    int (*check)(rule_ctx *c, const entry *e, diag *d);
    int (*apply)(rule_ctx *c, const entry *e, diag *d);
    /* It winds a program down, so it may be dated after the program's
     * closing (R-CLOSE.2); false: it opens new business, refused then. */
    bool winds_down;
} rule_type;

/* One program kind: who may operate it, and its terms' own rules. */
typedef struct {
    uint32_t operators; /* ROLE_BIT set (R-REF) */
    int (*check)(rule_ctx *c, const entry *e, diag *d); /* NULL: none */
} rule_kind;

int rules__state_error(diag *d, int err, const char *what);
/* An identifier as a C string (truncated to the cap, which ids never need). */
void rules__cstr(entry_text t, char out[STATE_ID_CAP]);
/* The project / program id as of gov, or a rejection by `rule` (R-REF, or
 * the instrument's own ID) naming it. */
int rules__project_as_of(rule_ctx *c, entry_text id, uint64_t gov, const char *rule,
                        state_project *p, diag *d);
int rules__program_as_of(rule_ctx *c, entry_text id, uint64_t gov, state_program *p,
                        diag *d);
/* R-SUM: the series can take delta without leaving int64. */
int rules__sum_fits(rule_ctx *c, const state_series *s, int64_t delta, const char *what,
                   diag *d);
/* rules__head_add unless delta is 0, with the error as a diag. */
int rules__add(rule_ctx *c, const state_series *s, uint64_t time_ms, int64_t delta,
              const char *what, diag *d);
/* A member's registered name (its key's first hex digits when unknown). */
int rules__member_name(const rule_ctx *c, const uint8_t key[32], char name[STATE_ID_CAP],
                      diag *d);
/* R-FORK: *disputed tells whether (author, index) lies at or past the point
 * of a feed proven forked (state.h, state_fork_get). */
int rules__cite_disputed(rule_ctx *c, const uint8_t author[32], uint64_t index,
                        bool *disputed, diag *d);
/* A cited entry of another feed is applied here, else CF_EPENDING naming it
 * ("waiting for <what> bank-a#3"). */
int rules__cited_applied(rule_ctx *c, const entry_ref *r, const char *what, diag *d);
/* Member and program records, through the batch cache when there is one. */
int rules__member_as_of(const rule_ctx *c, const uint8_t key[32], uint64_t gov,
                       state_member *m, diag *d);
int rules__program_get(const rule_ctx *c, const char *id, size_t n, state_program *out);
/* A series' current value (0 when it has no point), its head read once per
 * entry: the first call reads it, later calls (the check's, then the
 * apply's) reuse it. */
int rules__head_value(rule_ctx *c, const state_series *s, int64_t *value);
/* state_series_add through the heads above. */
int rules__head_add(rule_ctx *c, const state_series *s, uint64_t time_ms, int64_t delta);

int rules__check_contribution(rule_ctx *c, const entry *e, diag *d);
int rules__apply_contribution(rule_ctx *c, const entry *e, diag *d);
int rules__check_match(rule_ctx *c, const entry *e, diag *d);
int rules__apply_match(rule_ctx *c, const entry *e, diag *d);
int rules__check_exit(rule_ctx *c, const entry *e, diag *d);
int rules__apply_exit(rule_ctx *c, const entry *e, diag *d);

/* R-MATCH.6's holding records: the author's position in project after e,
 * which changes it by delta. */
int rules__mark_holding(rule_ctx *c, const entry *e, const char *project, int64_t delta,
                        diag *d);

/* rules_reverse.c: reversals (R-REVERSE) */
int rules__check_reversal(rule_ctx *c, const entry *e, diag *d);
int rules__apply_reversal(rule_ctx *c, const entry *e, diag *d);
/* The record a reversal of the match or exit e reads (state_entry_rec). */
int rules__record_entry(rule_ctx *c, const entry *e, const char *program, const char *project,
                        int year, diag *d);
/* The same for an instrument's entry: the bank entry it cites (NULL: none)
 * and, for a compensation, what it released of its guarantee. */
int rules__record_instrument(rule_ctx *c, const entry *e, const char *program,
                             const char *project, int year, const entry_ref *cite,
                             int64_t released, diag *d);
/* R-REVERSE.3 across feeds: what program pg's operator's feed put on the
 * entry (author, index) — state_alloc_points_each's deltas — summed as of
 * reversal e's read point; *last the index of the last entry that added. */
int rules__standing(rule_ctx *c, const entry *e, const state_program *pg,
                    const uint8_t author[32], uint64_t index, int64_t *sum, uint64_t *last,
                    diag *d);
/* rules_reverse_pool.c: the pool's entries and the bank's reversed */
int rules__check_reverse_pool(rule_ctx *c, const entry *e, const state_entry_rec *r, diag *d);
int rules__apply_reverse_pool(rule_ctx *c, const entry *e, const state_entry_rec *r, diag *d);
int rules__check_reverse_credit(rule_ctx *c, const entry *e, const state_credit *k, diag *d);
int rules__apply_reverse_credit(rule_ctx *c, const entry *e, const state_credit *k, diag *d);
/* rules_lease.c: a lease or an award reversed (always allowed) */
int rules__apply_reverse_lease(rule_ctx *c, const entry *e, const state_entry_rec *r, diag *d);

/* rules_pool.c: R-POOL */
typedef struct {
    int64_t deposited, withdrawn, compensated, guaranteed, released;
} pool_figures;
int64_t rules__pool_balance(const pool_figures *f);
int64_t rules__pool_outstanding(const pool_figures *f);
/* leverage × balance, saturated at INT64_MAX */
int64_t rules__leverage_bound(uint32_t leverage, int64_t balance);
int rules__pool_read(rule_ctx *c, const char *program, pool_figures *f, diag *d);
/* Add to a pool series of c->program and, when bank is not NULL, to the same
 * figure by bank. */
int rules__pool_add(rule_ctx *c, const entry *e, enum state_series_kind kind,
                    enum state_series_kind bank_kind, const char *bank, int64_t delta, diag *d);
/* Add to a series of the author's, a bank, under program. */
int rules__bank_add(rule_ctx *c, const entry *e, enum state_series_kind kind,
                    const char *program, int64_t delta, diag *d);
int rules__check_deposit(rule_ctx *c, const entry *e, diag *d);
int rules__apply_deposit(rule_ctx *c, const entry *e, diag *d);
int rules__check_withdraw(rule_ctx *c, const entry *e, diag *d);
int rules__apply_withdraw(rule_ctx *c, const entry *e, diag *d);
int rules__check_loan(rule_ctx *c, const entry *e, diag *d);
int rules__apply_loan(rule_ctx *c, const entry *e, diag *d);
int rules__check_repay(rule_ctx *c, const entry *e, diag *d);
int rules__apply_repay(rule_ctx *c, const entry *e, diag *d);
int rules__check_default(rule_ctx *c, const entry *e, diag *d);
int rules__apply_default(rule_ctx *c, const entry *e, diag *d);
int rules__check_guarantee(rule_ctx *c, const entry *e, diag *d);
int rules__apply_guarantee(rule_ctx *c, const entry *e, diag *d);
int rules__check_release(rule_ctx *c, const entry *e, diag *d);
int rules__apply_release(rule_ctx *c, const entry *e, diag *d);
int rules__check_compensation(rule_ctx *c, const entry *e, diag *d);
int rules__apply_compensation(rule_ctx *c, const entry *e, diag *d);

/* rules_lease.c: R-LEASE and R-AWARD */
/* rules_key.c: rekey and retire (R-KEY) */
int rules__check_rekey(rule_ctx *c, const entry *e, diag *d);
int rules__apply_rekey(rule_ctx *c, const entry *e, diag *d);
int rules__check_retire(rule_ctx *c, const entry *e, diag *d);
int rules__apply_retire(rule_ctx *c, const entry *e, diag *d);
/* R-KEY.2 and R-KEY.3 for every entry of a member key (the envelope). */
int rules__check_key(rule_ctx *c, const entry *e, diag *d);
/* Is key a key of the author's member (the same identity)? */
int rules__same_member(rule_ctx *c, const uint8_t key[32], bool *same, diag *d);
/* R-MEMBERS: room for one more member key ("members", "member keys"). */
int rules__members_room(rule_ctx *c, const char *what, diag *d);
/* A member record through the batch cache. */
int rules__member_get(const rule_ctx *c, const uint8_t key[32], state_member *out);

/* rules_gov.c: the governance's registrations (genesis, member, program,
 * project), as rule_type's check and apply. */
int rules__check_genesis(rule_ctx *c, const entry *e, diag *d);
int rules__apply_genesis(rule_ctx *c, const entry *e, diag *d);
int rules__check_member(rule_ctx *c, const entry *e, diag *d);
int rules__apply_member(rule_ctx *c, const entry *e, diag *d);
int rules__check_program(rule_ctx *c, const entry *e, diag *d);
int rules__apply_program(rule_ctx *c, const entry *e, diag *d);
int rules__check_project(rule_ctx *c, const entry *e, diag *d);
int rules__apply_project(rule_ctx *c, const entry *e, diag *d);

/* rules_key.c: old's key closes at index `close` of its feed and `key`
 * continues the member (its role, name and identity), both by governance
 * entry c->gov_index. */
int rules__replace_key(rule_ctx *c, state_member *old, const uint8_t key[32], uint64_t close,
                       diag *d);

/* rules_succession.c: a new governance key (R-SUCCEED.1-3). */
int rules__check_succession(rule_ctx *c, const entry *e, diag *d);
int rules__apply_succession(rule_ctx *c, const entry *e, diag *d);

/* rules_terms.c: the terms in force for e (its time, as of its gov) over
 * *pg, a program's record; opens: e opens new business under it, refused
 * after its closing (R-CLOSE.2). */
int rules__terms_for(rule_ctx *c, const entry *e, state_program *pg, bool opens, diag *d);
int rules__check_close(rule_ctx *c, const entry *e, diag *d);
int rules__apply_close(rule_ctx *c, const entry *e, diag *d);
int rules__check_amend(rule_ctx *c, const entry *e, diag *d);
int rules__apply_amend(rule_ctx *c, const entry *e, diag *d);
int rules__check_rename(rule_ctx *c, const entry *e, diag *d);
int rules__apply_rename(rule_ctx *c, const entry *e, diag *d);
int rules__check_bound(rule_ctx *c, const entry *e, diag *d);
int rules__apply_bound(rule_ctx *c, const entry *e, diag *d);
int rules__check_leasing_program(rule_ctx *c, const entry *e, diag *d);
int rules__check_lease(rule_ctx *c, const entry *e, diag *d);
int rules__apply_lease(rule_ctx *c, const entry *e, diag *d);
int rules__check_award(rule_ctx *c, const entry *e, diag *d);
/* rules_subsidy.c: R-CERT, R-SUBSIDY and R-AWARD.5 */
int rules__check_award_program(rule_ctx *c, const entry *e, diag *d);
int rules__check_award_certified(rule_ctx *c, const entry *e, diag *d);
int rules__check_certify(rule_ctx *c, const entry *e, diag *d);
int rules__apply_certify(rule_ctx *c, const entry *e, diag *d);
int rules__check_revoke(rule_ctx *c, const entry *e, diag *d);
int rules__apply_revoke(rule_ctx *c, const entry *e, diag *d);
int rules__check_subsidy_program(rule_ctx *c, const entry *e, diag *d);
int rules__check_subsidy(rule_ctx *c, const entry *e, diag *d);
int rules__apply_subsidy(rule_ctx *c, const entry *e, diag *d);
/* rules_mark.c: R-MARK; an exit's proceeds recorded (rules__apply_exit). */
int rules__check_valuation(rule_ctx *c, const entry *e, diag *d);
int rules__apply_valuation(rule_ctx *c, const entry *e, diag *d);
int rules__apply_proceeds(rule_ctx *c, const entry *e, diag *d);
int rules__apply_award(rule_ctx *c, const entry *e, diag *d);

#endif
