/* query.h — what fund managers ask: positions (cap tables) and program
 * status (deployed against cap and budget, counterpart capital, leverage).
 * Pure reads of the ledger state (state.h), "as of" any time, so the node's
 * CLI and the offline audit answer the same. Each query reads a bounded set
 * of records (one per holder/project, per program year or project) — never
 * a feed.
 */
#ifndef COFUND_QUERY_H
#define COFUND_QUERY_H

#include <stdint.h>

#include "state.h"

typedef struct {
    uint8_t holder[32];
    char project[STATE_ID_CAP];
    int64_t amount_fen;        /* invested minus exited */
    int64_t project_total_fen; /* all holders' positions in the project */
    int64_t disputed_fen;      /* the part of amount resting on disputed
                                  citations (R-FORK); included in amount */
} query_position;

typedef int (*query_position_fn)(void *arg, const query_position *p);

/* Queries return CF_EOVERFLOW when a sum across series leaves int64 (the
 * figures computed so far are still filled in). */

/* Non-zero positions as of as_of (STATE_TIME_LATEST for now), by project
 * then holder key. holder and project filter when non-NULL. */
int query_positions(const ledger_kv *kv, const uint8_t *holder, const char *project,
                    uint64_t as_of, query_position_fn fn, void *arg);

typedef struct {
    int64_t deployed_fen;  /* fund money matched */
    int64_t counterpart_fen; /* counterpart capital in the cited contributions */
    int64_t requested_fen; /* contributions that asked this program to match */
    int64_t disputed_fen;  /* the part of deployed whose citations are disputed
                              (R-FORK); not kept per year: 0 there */
} query_totals;

int query_program_totals(const ledger_kv *kv, const char *program, uint64_t as_of,
                         query_totals *out);

typedef struct {
    int year;
    query_totals t; /* requested is not kept per year: 0 */
} query_year;
typedef int (*query_year_fn)(void *arg, const query_year *y);
int query_program_years(const ledger_kv *kv, const char *program, uint64_t as_of,
                        query_year_fn fn, void *arg);

typedef struct {
    char project[STATE_ID_CAP];
    query_totals t; /* requested is not kept per project: 0 */
} query_project;
typedef int (*query_project_fn)(void *arg, const query_project *p);
int query_program_projects(const ledger_kv *kv, const char *program, uint64_t as_of,
                           query_project_fn fn, void *arg);

/* Leverage = counterpart / deployed, as a ratio of two amounts; 0 when
 * nothing is deployed. For display only (never used by a rule). */
double query_leverage(const query_totals *t);

/* The feeds proven forked and their points, for a person: "inv's feed from
 * entry 2, bank's feed from entry 0" (truncated to cap). */
void query_forks_text(const ledger_kv *kv, char *out, size_t cap);

/* ---- the other instruments (query_instruments.c) -------------------------- */

/* A pool's figures (docs/rules.md, "Figures the queries report"). */
typedef struct {
    int64_t deposited_fen, withdrawn_fen, compensated_fen; /* the operator's */
    int64_t guaranteed_fen, released_fen;
    int64_t balance_fen;     /* deposited - withdrawn - compensated */
    int64_t outstanding_fen; /* guaranteed - released */
    /* leverage × balance - outstanding; negative when a compensation left the
     * pool over its bound (new guarantees wait for deposits) */
    int64_t headroom_fen;
    int64_t lent_fen, repaid_fen, loss_fen, defaults; /* the banks', summed */
} query_pool;

int query_pool_totals(const ledger_kv *kv, const state_program *pool, uint64_t as_of,
                      query_pool *out);

/* One bank's figures under a pool. */
typedef struct {
    char bank[STATE_ID_CAP];                           /* member name */
    int64_t lent_fen, repaid_fen, loss_fen, defaults;   /* the bank's feed */
    int64_t guaranteed_fen, released_fen, compensated_fen; /* the operator's */
    int64_t outstanding_fen;                           /* guaranteed - released */
} query_pool_bank;
typedef int (*query_pool_bank_fn)(void *arg, const query_pool_bank *b);
/* Banks that lent under the pool, by name. */
int query_pool_banks(const ledger_kv *kv, const char *program, uint64_t as_of,
                     query_pool_bank_fn fn, void *arg);

/* Leases recorded by as_of, by project; project and program filter when not
 * NULL. */
int query_leases(const ledger_kv *kv, const char *project, const char *program,
                 uint64_t as_of, state_lease_visit_fn fn, void *arg);

typedef struct {
    int64_t count;
    int64_t price_fen;
    int64_t part_fen[LEASE__PARTS];
} query_lease_totals;
int query_lease_sum(const ledger_kv *kv, const char *project, const char *program,
                    uint64_t as_of, query_lease_totals *out);

/* A program's awards by year and level (amount), ascending. */
typedef struct {
    int year;
    int64_t level_fen;
    int64_t count;
    int64_t total_fen;
} query_award_level;
typedef int (*query_award_level_fn)(void *arg, const query_award_level *l);
int query_award_levels(const ledger_kv *kv, const char *program, uint64_t as_of,
                       query_award_level_fn fn, void *arg);

/* What a project received that is not equity: awards, leased equipment and
 * bank loans under pools (positions show these apart from shares). */
typedef struct {
    char project[STATE_ID_CAP];
    int64_t awards, award_fen;
    int64_t leases, lease_price_fen, lease_financing_fen;
    int64_t loans, lent_fen, repaid_fen, loss_fen;
} query_project_other;
typedef int (*query_project_other_fn)(void *arg, const query_project_other *p);
/* Projects with any of these by as_of (project NULL: all), by project id. */
int query_projects_other(const ledger_kv *kv, const char *project, uint64_t as_of,
                         query_project_other_fn fn, void *arg);

#endif
