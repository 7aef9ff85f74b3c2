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

#endif
