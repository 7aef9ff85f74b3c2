/* audit_text.h — the audit's words as people read them (audit_text.c):
 * amounts in the chosen unit, times in the network's zone and the
 * language (both ledger/people_text.h's, as the CLI's tables write them),
 * rows aligned by display width. The audit's own unit setting; the audit
 * layer may not include the CLI's table.h. Not an API. */
#ifndef COFUND_AUDIT_TEXT_H
#define COFUND_AUDIT_TEXT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "audit.h"
#include "ledger/state.h"

/* "-9,223,372,036,854.775807" in wan plus NUL, with room to spare. */
#define AUDIT_AMOUNT_BYTES 40
/* fen in the unit, exactly: yuan "1,234,567.89"; wan "123.456789" (the yuan
 * figure ÷ 10,000, no rounding: trailing zeros past the second decimal
 * dropped). */
void audit__amount(int64_t fen, char out[AUDIT_AMOUNT_BYTES]);
/* The same for a decimal yuan text ("300000.00", as the JSON report writes
 * it); false (out untouched) when s is not one. */
bool audit__amount_of_text(const char *s, char out[AUDIT_AMOUNT_BYTES]);
/* The unit's name in the current language: "yuan" / "10k yuan", 元 / 万元. */
const char *audit__unit_name(void);
/* heading (translated) naming the unit: "DEPLOYED (yuan)"; returns out. */
const char *audit__heading(const char *heading, char *out, size_t cap);

/* "2026-12-04 09:30 +08:00" / "2026年12月4日 09:30 +08:00", in tz_min. */
#define AUDIT_TEXT_TIME_BYTES 64
void audit__time_text(uint64_t ms, int32_t tz_min, char out[AUDIT_TEXT_TIME_BYTES]);
/* The date alone: "2026-12-04" / "2026年12月4日". */
void audit__date_text(uint64_t ms, int32_t tz_min, char out[AUDIT_TEXT_TIME_BYTES]);

/* One row of a text table: indent, then cells[i] padded to cols[i].width
 * display columns (a CJK character takes two), right-aligned when
 * cols[i].right, after cols[i].gap spaces (0: one); a left-aligned last
 * cell is not padded. A cell wider than its column is printed whole. */
typedef struct {
    int width;
    bool right;
    int gap;
} audit_col;
void audit__row(FILE *f, const char *indent, size_t n, const audit_col cols[],
                const char *const cells[]);
/* A table's columns fitted to its headings: base widened where a
 * heading is wider (a heading naming the unit, a translated one); out[n]. */
void audit__fit(audit_col out[], size_t n, const audit_col base[], const char *const head[]);
/* The same without the indent and the newline (the line goes on). */
void audit__row_open(FILE *f, size_t n, const audit_col cols[], const char *const cells[]);

/* A column of projects (names_project_cell: "robotics（机器人产线）") or of
 * members (names_member: their display names) widened to its widest cell
 * among every project, or member, of kv: rows printed as they come stay
 * aligned. */
void audit__fit_projects(const ledger_kv *kv, audit_col *col);
void audit__fit_members(const ledger_kv *kv, audit_col *col);

#endif
