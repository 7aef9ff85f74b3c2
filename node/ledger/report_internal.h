/* report_internal.h — shared by the reports' field files (report_fields.c,
 * report_subsidy.c); not an API. */
#ifndef COFUND_REPORT_INTERNAL_H
#define COFUND_REPORT_INTERNAL_H

#include "report.h"

#define N(fields) (sizeof(fields) / sizeof(fields)[0])

/* Every program's identity, first in its status: program, kind, operator. */
void report__program_id(const report_ctx *c, const void *row, report_value *v);
void report__program_kind(const report_ctx *c, const void *row, report_value *v);
void report__program_operator(const report_ctx *c, const void *row, report_value *v);
/* clang-format off */
#define PROGRAM_HEAD                                                \
    {"program", REPORT_TEXT, .get = report__program_id},            \
    {"kind", REPORT_TEXT, .get = report__program_kind},             \
    {"operator", REPORT_TEXT, .get = report__program_operator}
/* clang-format on */
/* A program's annual budget ("none" when it has none). */
void report__program_budget(const report_ctx *c, const void *row, report_value *v);

/* A subsidy program's status (report_subsidy.c). */
extern const report_desc report__subsidy_program;
/* report_instruments.c: a pool's, a leasing program's, an award program's. */
extern const report_desc report__pool_program, report__leasing_program, report__award_program;

#endif
