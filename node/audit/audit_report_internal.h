/* audit_report_internal.h — shared by the audit report's files
 * (audit_report.c: the report; audit_report_instruments.c: the pool,
 * leasing and award programs and what is not equity); not an API. */
#ifndef COFUND_AUDIT_REPORT_INTERNAL_H
#define COFUND_AUDIT_REPORT_INTERNAL_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include "audit_internal.h"
#include "ledger/amount.h"
#include "ledger/query.h"
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
} audit_out;

/* A minimal JSON writer: a separator when one is due, a quoted string, a
 * key, an object or array opened (key NULL: an element) and closed, a
 * string or integer member. */
void audit__jsep(audit_out *o);
void audit__jstr_raw(audit_out *o, const char *s);
void audit__jkey(audit_out *o, const char *k);
void audit__jopen(audit_out *o, const char *key, char c);
void audit__jclose(audit_out *o, char c);
void audit__jstr(audit_out *o, const char *key, const char *v);
void audit__jint(audit_out *o, const char *key, int64_t v);
/* Money as people read it (text) or as a decimal string (JSON). */
void audit__money(const audit_out *o, int64_t fen, char s[AMOUNT_TEXT_BYTES]);

/* One pool, leasing or award program (state_programs_each visitor's part). */
int audit__instrument_row(audit_out *o, const state_program *pg);
/* query_projects_other's visitor: awards, leases and loans by project. */
int audit__other_row(void *arg, const query_project_other *p);

#endif
