/* report.h — one description of each report's fields, which the CLI's JSON
 * (node/cli/, jansson) and the offline audit's JSON (node/audit/, written by
 * hand: the audit links no JSON library) both follow, so that a field added
 * or renamed is changed here once and the two stay comparable.
 *
 * A report is a list of fields: a name, a kind (how the value is written)
 * and an accessor over the rows the queries already compute (query.h).
 * report_write walks a description over a row and hands each value, already
 * formatted, to a sink: five calls that any JSON writer implements.
 */
#ifndef COFUND_REPORT_H
#define COFUND_REPORT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "amount.h"
#include "query.h"
#include "state.h"

/* Room for a member's name (STATE_ID_CAP) or a key in hex (65). */
#define REPORT_VALUE_BYTES 72

/* How a field's value is written. */
typedef enum {
    REPORT_TEXT,     /* a string */
    REPORT_COUNT,    /* an integer */
    REPORT_AMOUNT,   /* money as a decimal string "1234.50" */
    REPORT_SHARE,    /* a / b as "0.6250" (0 when b <= 0) */
    REPORT_LEVERAGE, /* counterpart a / deployed b as "1.25"; null when nothing is deployed */
    REPORT_PAIR,     /* [a, b]: a ratio, a share of losses, a bound in percent */
    REPORT_TIME,     /* a time (ms since 1970, a) in ISO 8601, the network's zone */
    REPORT_BOOL,     /* true when a != 0 */
    REPORT_AMOUNTS,  /* a list of amounts (list[0..n)) */
    REPORT_OBJECT,   /* an object: `sub` over the one row `each` visits */
    REPORT_ROWS,     /* a list of objects: `sub` over every row `each` visits */
} report_kind;

/* The query's "as of" and the network's zone, shared by every field. */
typedef struct {
    const ledger_kv *kv;
    uint64_t as_of; /* STATE_TIME_LATEST for now */
    int32_t tz_min;
    int year;       /* a matching program's years: only this one (0: all) */
    /* A matching program's figures for the period (from_ms, as_of] (0:
     * since the start; with `year`, the year's start): what changed in it,
     * the balances (outstanding, headroom) as of its end. */
    uint64_t from_ms;
} report_ctx;

/* One value, as an accessor fills it (zeroed before). A value that is
 * absent (no cap, no budget, not this kind's term) is written as null, never
 * as a placeholder: machine formats carry no "-" or "none". */
typedef struct {
    bool absent;
    int64_t a, b;
    const char *text;  /* REPORT_TEXT: points into the row or at buf */
    char buf[REPORT_VALUE_BYTES]; /* a member's name, a key in hex */
    const int64_t *list;
    size_t n;
} report_value;

typedef struct report_desc report_desc;
typedef int (*report_row_fn)(void *arg, const void *row);

typedef struct {
    const char *name;
    report_kind kind;
    /* A scalar's accessor; without one, the value is read at `off` in the
     * row (REPORT_AT_TEXT, REPORT_AT_INT64 check the member's type). */
    void (*get)(const report_ctx *c, const void *row, report_value *v);
    size_t off;
    const report_desc *sub;                                            /* OBJECT, ROWS */
    int (*each)(const report_ctx *c, const void *row, report_row_fn fn, void *arg);
} report_field;

#define REPORT_AT_TEXT(type, member) \
    .off = _Generic(&((type *)0)->member[0], const char *: offsetof(type, member), \
                    char *: offsetof(type, member))
#define REPORT_AT_INT64(type, member) \
    .off = _Generic(((type *)0)->member, int64_t: offsetof(type, member))

struct report_desc {
    const report_field *fields;
    size_t n;
};

/* Where the values go. name is NULL for a list's element; open's bracket is
 * '{' or '[' and close gets the same. */
typedef struct {
    void (*text)(void *arg, const char *name, const char *s);
    void (*count)(void *arg, const char *name, int64_t n);
    void (*flag)(void *arg, const char *name, bool b);
    void (*null)(void *arg, const char *name);
    void (*open)(void *arg, const char *name, char bracket);
    void (*close)(void *arg, char bracket);
} report_sink;

/* Write row as the object `name` (NULL: a list's element) of description d.
 * Returns the first error of a query a field runs (the object is closed
 * all the same, so the sink's nesting stays balanced). */
int report_write(const report_ctx *c, const report_desc *d, const void *row, const char *name,
                 const report_sink *s, void *arg);

/* ---- the reports ------------------------------------------------------------
 * Rows are the queries' own, except a program's status: report_program. */

/* A row of positions: an equity position (pos), or what a project received
 * that is not equity (other); the other is NULL. */
enum { REPORT_POSITION = 0, REPORT_PROJECT_TOTAL = 1, REPORT_HOLDER_TOTAL = 2 };
typedef struct {
    const query_position *pos;
    const query_project_other *other;
    /* pos is a project's total (its holder null) or a holder's across
     * projects (its project null): REPORT_PROJECT_TOTAL, _HOLDER_TOTAL */
    int total;
} report_position_row;
/* positions: report_position_row (holder as {name, key, role}; "kind":
 * "equity", "project_total", "holder_total" or "not_equity") */
extern const report_desc report_position;
/* positions --by-round: query_round_position */
extern const report_desc report_round_position;
/* The positions table (the CLI's and the audit's): its header and a row,
 * each a line without its newline. */
#define REPORT_POSITION_ROW "%-16s %-20s %-9s %21s %21s %21s %8s"
void report_position_header(char *out, size_t cap);
void report_position_line(const ledger_kv *kv, const query_position *p, char *out, size_t cap);
/* returns: query_return (docs/rules.md "Returns"); the table's header and
 * line, and MOIC ("1.25x", "1.2500") and IRR ("12.34%", "0.123400") as
 * people (human) or the machine formats read them ("none" / "" when
 * undefined). */
extern const report_desc report_returns;
#define REPORT_RETURNS_ROW "%-8s %-20s %21s %21s %21s %8s %9s"
void report_returns_header(char *out, size_t cap);
void report_returns_line(const ledger_kv *kv, const query_return *r, char *out, size_t cap);
void report_fmt_moic(const query_return *r, bool human, char *out, size_t cap);
void report_fmt_irr(const query_return *r, bool human, char *out, size_t cap);
/* leases: state_lease */
extern const report_desc report_lease;
/* what a project received that is not equity: query_project_other */
extern const report_desc report_not_equity;

/* A program's status: the program and its kind's totals. */
typedef struct {
    const state_program *pg;
    uint64_t pending; /* matching: operator entries stored but waiting (the caller knows) */
    query_totals match;
    int64_t outstanding_fen; /* matching: deployed - exited, as of (whatever the period) */
    query_pool pool;
    query_lease_totals lease;
    query_subsidy_sum subsidy;
} report_program;

/* Fill r for pg (the totals of its kind, as of c->as_of) and return its
 * kind's description (*d). */
int report_program_load(const report_ctx *c, const state_program *pg, uint64_t pending,
                        report_program *r, const report_desc **d);

/* ---- formatting shared with the tables -------------------------------------- */

/* part / whole as "62.50%" (percent) or "0.6250"; 0 when whole <= 0. */
void report_fmt_share(int64_t part, int64_t whole, bool percent, char *out, size_t cap);
/* counterpart / deployed as "1.25", or "-" when nothing is deployed. */
void report_fmt_leverage(int64_t counterpart_fen, int64_t deployed_fen, char *out, size_t cap);

#endif
