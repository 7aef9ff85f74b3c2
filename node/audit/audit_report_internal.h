/* audit_report_internal.h — shared by the audit report's files
 * (audit_report.c: the report; audit_report_figures.c: the rows of its
 * figures, matching programs, positions and returns;
 * audit_report_instruments.c: the pool, leasing and award programs and what
 * is not equity); not an API. */
#ifndef COFUND_AUDIT_REPORT_INTERNAL_H
#define COFUND_AUDIT_REPORT_INTERNAL_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include "audit_internal.h"
#include "audit_text.h"
#include "ledger/amount.h"
#include "ledger/query.h"
#include "ledger/report.h"
#include "ledger/state.h"

/* Where the report goes: text for people or JSON (written by hand, so the
 * audit links nothing but the bundle, ledger and crypto libraries). */
typedef struct {
    FILE *f;
    bool json;
    int depth;
    bool need_comma[16];
    const audit *a;
    int err;
    bool other_header; /* the "not equity" heading is printed */
    report_ctx rc;     /* the figures' queries: the replayed state, latest */
    audit_col cols[12]; /* the table being printed: its columns fitted to its headings */
} audit_out;

/* The reports' JSON (ledger/report.h), written by audit_report.c's JSON
 * helpers; arg: the audit_out. */
extern const report_sink audit__json_sink;

/* "label      value  more": one of a program's figures as text, the label
 * padded to `width` display columns, the value (an amount in the unit, a
 * count) right-aligned in 20; more (NULL: none) after two spaces. */
void audit__figure(audit_out *o, int width, const char *label, const char *value,
                   const char *more);

/* A member's role's name in the replayed state ("?" when there is none). */
const char *audit__role_of(const audit_out *o, const uint8_t key[32]);

/* The figures' rows (audit_report_figures.c), text or JSON:
 * state_programs_each's visitor (a program's figures), query_positions' and
 * query_returns', and the columns of the positions' and returns' tables. */
int audit__program_row(void *arg, const state_program *pg);
int audit__position_row(void *arg, const query_position *p);
int audit__return_row(void *arg, const query_return *r);
extern const audit_col audit__position_cols[7];
extern const audit_col audit__return_cols[7];

/* One pool, leasing or award program as text (r: report_program_load's). */
int audit__instrument_text(audit_out *o, const report_program *r);
/* query_projects_other's visitor: awards, leases and loans by project. */
int audit__other_row(void *arg, const query_project_other *p);

#endif
