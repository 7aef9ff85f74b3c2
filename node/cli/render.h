/* render.h — entries as text and JSON for the CLI. */
#ifndef COFUND_RENDER_H
#define COFUND_RENDER_H

#include <jansson.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "cli.h"
#include "ledger/entry.h"
#include "ledger/report.h"
#include "ledger/state.h"

/* One line: "contribution 500,000.00 to p1 round A for program industrial". */
/* The terms an amendment states, "ratio 1:2, annual budget 800,000.00". */
void render_terms_text(const state_terms *t, char *out, size_t cap);
void render_summary(const ledger_kv *kv, const entry *e, char *out, size_t cap);
/* The whole entry; the caller owns the result. */
json_t *render_entry_json(const ledger_kv *kv, const entry *e, const uint8_t leaf[32],
                          int32_t tz_min);
/* The summary line, then "field: value" lines. */
void render_entry_text(FILE *f, const ledger_kv *kv, const entry *e, const uint8_t leaf[32],
                       int32_t tz_min);

/* A report's row (ledger/report.h) as a JSON object: appended to the array
 * `into`, or (into NULL) returned, the caller owning it. *err: the first
 * error of a query the report runs (CF_OK). */
json_t *render_report(const report_ctx *c, const report_desc *d, const void *row, json_t *into,
                      int *err);
/* A program's status (report_program_load's description); the caller owns
 * *out (NULL on error). pending: a matching program's waiting matches. */
int render_program_json(const report_ctx *c, const state_program *pg, uint64_t pending,
                        json_t **out);

/* A query's rows in its format (render_rows.c), from one description, so
 * that JSON and CSV carry the same fields: JSON an array of objects, CSV a
 * header and a line per row (an object's fields flattened, "holder.name";
 * a list's elements joined by ':'; null as an empty field). The table is
 * the caller's: add does nothing for it but count.
 *   render_rows r;
 *   render_rows_begin(&r, fmt, &ctx, &report_x);   // CSV: the header
 *   render_rows_add(&r, &row);                      // each row
 *   rc = render_rows_end(&r, rc);                   // JSON: printed when rc is CLI_OK
 */
typedef struct {
    enum cli_format fmt;
    report_ctx c;
    const report_desc *d;
    json_t *json;
    unsigned n; /* rows added */
} render_rows;
void render_rows_begin(render_rows *r, enum cli_format fmt, const report_ctx *c,
                       const report_desc *d);
int render_rows_add(render_rows *r, const void *row);
int render_rows_end(render_rows *r, int rc);

#endif
