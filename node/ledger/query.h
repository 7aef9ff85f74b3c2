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
    int64_t invested_fen;      /* what the holder put in (contributions, matches) */
    int64_t exited_fen;        /* what it took out (exits) */
    int64_t amount_fen;        /* invested minus exited: the position */
    int64_t project_total_fen; /* all holders' positions in the project */
    int64_t disputed_fen;      /* the part of amount resting on disputed
                                  citations (R-FORK); included in amount */
} query_position;

typedef int (*query_position_fn)(void *arg, const query_position *p);

/* Queries return CF_EOVERFLOW when a sum across series leaves int64 (the
 * figures computed so far are still filled in). */

/* Positions as of as_of (STATE_TIME_LATEST for now), by project then
 * holder name: every holder with a position, and every one that exited
 * whole (position 0). holder (a member's identity) and project filter when
 * non-NULL. Exited is the holder's exits not reversed by as_of (R-REVERSE);
 * invested is the position plus exited, so a reversed contribution or match
 * counts in neither. */
int query_positions(const ledger_kv *kv, const uint8_t *holder, const char *project,
                    uint64_t as_of, query_position_fn fn, void *arg);

/* What the position queries read once per query (query_rounds.c): every
 * member key with its identity and name (R-KEY), the matching programs'
 * operators; and, the first time a holder is asked about, by project the
 * sums its exit figure needs: its exits not reversed by as_of — or, for an
 * identity that operates a matching program (whose records are mostly its
 * matches), its contributions — each one prefix scan of a key's own
 * records. */
typedef struct {
    uint8_t key[32], identity[32];
    char name[STATE_ID_CAP];
} query_key;
typedef struct {
    char program[STATE_ID_CAP];
    uint8_t identity[32];
} query_operator;
typedef struct {
    char project[STATE_ID_CAP];
    int64_t sum_fen;      /* exits, or an operator's contributions */
    int64_t deployed_fen; /* an operator's: what its programs deployed */
} query_part;
typedef struct {
    uint8_t identity[32];
    bool operates, loaded;
    query_part *parts; /* by project, once loaded */
    size_t nparts, parts_cap;
} query_ident;
typedef struct {
    const ledger_kv *kv;
    const char *project; /* NULL: every project's figures */
    uint64_t as_of;
    query_key *keys; /* by key */
    size_t nkeys, keys_cap;
    query_ident *idents; /* by identity */
    size_t nidents, idents_cap;
    query_operator *ops;
    size_t nops, ops_cap;
} query_holders;
int query_holders_load(const ledger_kv *kv, const char *project, uint64_t as_of,
                       query_holders *out);
void query_holders_free(query_holders *h);
/* The member's name for key (else its hex prefix, as ledger_member_label). */
void query_holder_name(const query_holders *h, const uint8_t key[32], char out[STATE_ID_CAP]);

/* What a holder (an identity) exited from project as of the holders' as_of,
 * its position there being net_fen: the sum of its exits — or, for an
 * operator, what its programs deployed there plus its contributions there
 * minus its position (position = matches + contributions - exits). */
int query_exited(query_holders *h, const uint8_t identity[32], const char *project,
                 int64_t net_fen, int64_t *exited_fen);

/* A position round by round (`positions --by-round`): what the holder put
 * into each round of the project (contributions, and a fund's matches in
 * that round), not reversed by as_of. Exits name no round: they are a row of
 * their own with round "" and invested 0. */
typedef struct {
    char project[STATE_ID_CAP];
    char round[STATE_ID_CAP]; /* "": the holder's exits */
    uint8_t holder[32];
    int64_t invested_fen, exited_fen;
} query_round_position;
typedef int (*query_round_fn)(void *arg, const query_round_position *r);
/* By project, holder name, then round (exits last). */
int query_positions_by_round(const ledger_kv *kv, const uint8_t *holder, const char *project,
                             uint64_t as_of, query_round_fn fn, void *arg);

typedef struct {
    int64_t deployed_fen;  /* fund money matched */
    int64_t counterpart_fen; /* counterpart capital in the cited contributions */
    int64_t requested_fen; /* contributions that asked this program to match */
    int64_t disputed_fen;  /* the part of deployed whose citations are disputed
                              (R-FORK); not kept per year: 0 there */
    /* The fund's exits from the projects, attributed to the program pro rata
     * to what it deployed there among the fund's programs (docs/rules.md,
     * "Figures the queries report"); not kept per year: 0 there. */
    int64_t exited_fen;
    /* Totals only, as of: what R-MATCH.4 allows against the counterpart
     * capital that asked the program (num x requested / den) minus what it
     * matched against it; windows and holdings not judged (see
     * query_program_awaiting for what can be matched now). */
    int64_t awaiting_fen;
} query_totals;

/* Deployed - exited: what the program's money still holds. */
static inline int64_t query_outstanding(const query_totals *t)
{
    return t->deployed_fen - t->exited_fen;
}

int query_program_totals(const ledger_kv *kv, const char *program, uint64_t as_of,
                         query_totals *out);
/* The figures of the period (from_ms, as_of]: deployed, counterpart,
 * requested, disputed and exited are what changed in it (from_ms 0: since
 * the start, as query_program_totals); awaiting is as of as_of. */
int query_program_totals_in(const ledger_kv *kv, const char *program, uint64_t from_ms,
                            uint64_t as_of, query_totals *out);

typedef struct {
    int year;
    query_totals t; /* requested is not kept per year: 0 */
} query_year;
typedef int (*query_year_fn)(void *arg, const query_year *y);
/* The program's terms in force for its calendar year `year` (R-AMEND): those
 * of an entry dated at the year's last millisecond — or at as_of, when that
 * is earlier — reading every governance entry applied; a year's row shows
 * the budget the year's last match was checked against. */
int query_year_terms(const ledger_kv *kv, const char *program, int year, uint64_t as_of,
                     state_program *out);
int query_program_years(const ledger_kv *kv, const char *program, uint64_t as_of,
                        query_year_fn fn, void *arg);

typedef struct {
    char project[STATE_ID_CAP];
    query_totals t; /* requested and awaiting are not kept per project: 0 */
    int64_t deployed_total_fen; /* as of as_of, whatever the period: against the cap */
    int64_t exited_total_fen;   /* as of as_of, whatever the period */
} query_project;
typedef int (*query_project_fn)(void *arg, const query_project *p);
int query_program_projects(const ledger_kv *kv, const char *program, uint64_t as_of,
                           query_project_fn fn, void *arg);
/* The same for the period (from_ms, as_of] (see query_program_totals_in);
 * a project the program had deployed in before stays listed. */
int query_program_projects_in(const ledger_kv *kv, const char *program, uint64_t from_ms,
                              uint64_t as_of, query_project_fn fn, void *arg);

/* ---- what a matching program could still do (query_match.c) --------------- */

/* What the matching programs an identity operates deployed in project as
 * of as_of (their matches, reversed ones not), and whether it operates
 * any. */
int query_operator_deployed(const ledger_kv *kv, const uint8_t identity[32], const char *project,
                            uint64_t as_of, int64_t *deployed_fen, bool *operates);
/* The identity (first key, R-KEY) of the member whose key this is; a key
 * that is no member's stands for itself. */
int query_identity(const ledger_kv *kv, const uint8_t key[32], uint8_t identity[32]);
/* Was the entry (a contribution, match or exit) reversed at or before
 * as_of (R-REVERSE)? */
int query_reversed_by(const ledger_kv *kv, const uint8_t author[32], uint64_t index,
                      uint64_t as_of, bool *reversed);

/* The fund's exits from project as of as_of attributed to program pg, which
 * deployed deployed_fen there: the fund's exits (what its matches there
 * put in, minus its position) times pg's share of what the fund's programs
 * deployed there, rounded down to the fen. */
int query_program_exited(const ledger_kv *kv, const state_program *pg, const char *project,
                         uint64_t as_of, int64_t deployed_fen, int64_t *exited_fen);

/* Matchable now: over the contributions that asked pg, dated by as_of and
 * within pg's window at at_ms (STATE_TIME_LATEST: windows not judged), what
 * R-MATCH.4 still allows against each (num × amount ÷ den, rounded down,
 * minus what is allocated to it), no more per counterpart and project than
 * R-MATCH.6 allows on what it holds now. Allocations and holdings are read
 * as they stand (the state keeps no history of allocations): a figure of
 * now, not of an earlier as-of time. */
int query_program_awaiting(const ledger_kv *kv, const state_program *pg, uint64_t as_of,
                           uint64_t at_ms, int64_t *awaiting_fen);

/* A contribution awaiting a match (`cofund unmatched`): what R-MATCH.4
 * still allows against it (awaiting), when its window closes (R-MATCH.3),
 * what can be matched now (matchable: within the window, on what its
 * counterpart still holds, R-MATCH.6, as query_program_awaiting counts it),
 * and the limits of its project and year: the cap left (R-CAP) and the
 * budget left (R-BUDGET). */
typedef struct {
    state_contribution c; /* its project, round, amount, allocated so far */
    int64_t awaiting_fen;
    uint64_t window_closes_ms; /* its time + the window: the last ms a match may cite it */
    bool in_window;            /* at the time asked (and the program not closed) */
    int64_t matchable_fen;
    bool has_cap, has_budget;
    int64_t cap_left_fen, budget_left_fen;
} query_unmatched_row;
typedef int (*query_unmatched_fn)(void *arg, const query_unmatched_row *r);

/* A program's totals over those rows: what it can match now is the
 * matchable, no more per project than the cap left, no more in all than the
 * budget left in the year of the time asked. */
typedef struct {
    int64_t contributions;
    int64_t awaiting_fen, matchable_fen, can_match_fen;
    int year;
    bool has_budget;
    int64_t budget_left_fen;
    /* internal: the project being summed and its cap left */
    char project_[STATE_ID_CAP];
    int64_t project_left_;
} query_unmatched_totals;

/* Every contribution that asked pg and awaits a match at at_ms (not
 * reversed, not matched in full at the ratio), by project, round and time
 * (project, when not NULL: only its); closed: pg is closed by then
 * (R-CLOSE), so nothing is matchable. Figures of now: allocations and
 * holdings as they stand (query_program_awaiting). */
int query_unmatched(const ledger_kv *kv, const state_program *pg, const char *project,
                    uint64_t at_ms, int32_t tz_min, bool closed, query_unmatched_fn fn, void *arg,
                    query_unmatched_totals *out);

/* What bounds a plan of `match --auto`. */
typedef enum {
    QUERY_BOUND_ASKED,    /* the amount asked: the plan is whole */
    QUERY_BOUND_CAP,      /* R-CAP: the cap left in the project */
    QUERY_BOUND_BUDGET,   /* R-BUDGET: the budget left in the match's year */
    QUERY_BOUND_RATIO,    /* R-MATCH.3/4: contributions in the round within the
                             window, at the ratio, not yet matched */
    QUERY_BOUND_HOLDINGS, /* R-MATCH.6: what the counterparts still hold */
    QUERY_BOUND_CITES,    /* the citations one match may carry */
} query_bound;

/* The rule a bound names ("R-CAP"), and what it means in words. */
const char *query_bound_rule(query_bound b);
const char *query_bound_text(query_bound b);

typedef struct {
    size_t ncites;
    entry_cite cites[ENTRY_CITES_MAX]; /* author, index, leaf, amount */
    int64_t total_fen;
    query_bound bound;
    bool has_cap, has_budget;
    int64_t cap_left_fen;    /* cap - deployed in the project (has_cap) */
    int64_t budget_left_fen; /* budget - deployed in the year (has_budget) */
    int year;                /* the match's year, in the network's zone */
    int64_t eligible_fen;    /* what the contributions allow (ratio, window, holdings) */
} query_match_plan;

/* The plan of a match by pg in project's round at time_ms for at most
 * want_fen: the oldest eligible contributions first, within every limit the
 * rules check (R-MATCH.3, .4, .6, R-CAP, R-BUDGET), and the one that bound
 * it below want_fen. */
int query_match_auto(const ledger_kv *kv, const state_program *pg, const char *project,
                     const char *round, uint64_t time_ms, int32_t tz_min, int64_t want_fen,
                     query_match_plan *out);

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

/* A subsidy program's figures as of a time (R-SUBSIDY): all of them, and
 * by calendar year (the annual budget's), ascending. */
typedef struct {
    int64_t count, paid_fen;
} query_subsidy_sum;
int query_subsidy_totals(const ledger_kv *kv, const char *program, uint64_t as_of,
                         query_subsidy_sum *out);
typedef struct {
    int year;
    int64_t count, paid_fen;
} query_subsidy_year;
typedef int (*query_subsidy_year_fn)(void *arg, const query_subsidy_year *y);
int query_subsidy_years(const ledger_kv *kv, const char *program, uint64_t as_of,
                        query_subsidy_year_fn fn, void *arg);

/* What a project received that is not equity: awards, leased equipment and
 * bank loans under pools (positions show these apart from shares). */
typedef struct {
    char project[STATE_ID_CAP];
    int64_t awards, award_fen;
    int64_t leases, lease_price_fen, lease_financing_fen;
    int64_t loans, lent_fen, repaid_fen, loss_fen;
    int64_t subsidies, subsidy_fen; /* subsidies it received as a buyer (R-SUBSIDY) */
} query_project_other;
typedef int (*query_project_other_fn)(void *arg, const query_project_other *p);
/* Projects with any of these by as_of (project NULL: all), by project id. */
int query_projects_other(const ledger_kv *kv, const char *project, uint64_t as_of,
                         query_project_other_fn fn, void *arg);

/* ---- returns (query_returns.c, docs/rules.md "Returns") ------------------ */

/* One row of `cofund returns`: a holder's (program "") or a matching
 * program's. Paid in: contributions and matches; distributed: exits'
 * proceeds; residual: the share of each project's value (the latest
 * valuation mark, carried forward at cost; cost when unmarked) that the
 * positions hold as of as_of; for a program, its share of its operator's
 * figures in each project, pro rata to what it deployed there. MOIC and
 * IRR are absent (has_ false) when undefined. */
typedef struct {
    bool is_program;
    uint8_t holder[32]; /* a holder's identity (R-KEY); zero for a program */
    char program[STATE_ID_CAP];
    int64_t paid_in_fen, distributed_fen, residual_fen;
    bool has_moic, has_irr;
    double moic, irr; /* irr: a fraction a year (0.1 = 10 %) */
    size_t nflows;    /* the dated flows IRR ran over, the residual's among them */
    uint64_t value_ms; /* the residual's date */
} query_return;
typedef int (*query_return_fn)(void *arg, const query_return *r);

/* The returns as of as_of (STATE_TIME_LATEST: every entry applied), the
 * residual dated value_ms (raised to the last flow's date when earlier):
 * the holders' rows by name, then the matching programs' by id. holder (an
 * identity) and program select rows when non-NULL (both: both rows; either
 * alone: only its row). CF_ENOTFOUND: program names no matching program. */
int query_returns(const ledger_kv *kv, const uint8_t *holder, const char *program,
                  uint64_t as_of, uint64_t value_ms, query_return_fn fn, void *arg);

#endif
