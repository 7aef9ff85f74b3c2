/* render.h — entries as text and JSON for the CLI. */
#ifndef COFUND_RENDER_H
#define COFUND_RENDER_H

#include <jansson.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "cli.h"
#include "ledger/caltime.h"
#include "ledger/entry.h"
#include "ledger/report.h"
#include "ledger/state.h"

/* Whom a text is for. People (tables, `show`, a dry run) read it in their
 * language (cf_i18n.h), amounts in their unit naming it unless English and
 * yuan, times as cli_time_text writes them. Machines (JSON, CSV) get the
 * same English and exact yuan whatever --lang and --unit. */
enum render_for { RENDER_MACHINE = 0, RENDER_PEOPLE = 1 };

/* The terms an amendment states, "ratio 1:2, annual budget 800,000.00", in
 * the words of t->terms.pkind's kind (a subsidy's cap is per unit, its share
 * of the price; 0: a matching program's and a pool's words).
 * render_terms_text: for machines. */
void render_terms_text(const state_terms *t, char *out, size_t cap);
void render_terms_text_for(enum render_for w, const state_terms *t, char *out, size_t cap);
/* One line: "contribution 500,000.00 to p1 round A for program industrial".
 * render_summary: for people. */
void render_summary(const ledger_kv *kv, const entry *e, char *out, size_t cap);
void render_summary_for(enum render_for w, const ledger_kv *kv, const entry *e, char *out,
                        size_t cap);
/* An entry type's name as people read it ("contribution", 出资). */
const char *render_type_text(enum entry_type t);
/* The whole entry, for machines; the caller owns the result. */
json_t *render_entry_json(const ledger_kv *kv, const entry *e, const uint8_t leaf[32],
                          int32_t tz_min);
/* For people: the summary line, then "field value" lines (the JSON's fields,
 * amounts and times as people read them). */
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

/* ---- entries as rows of `log` and `register` (journal.c) ---------------------- */

/* A feed as its entries' notes need it: what is applied, its fork point
 * (R-FORK), its key's closing (R-KEY). */
typedef struct {
    uint8_t author[32];
    uint64_t applied;
    bool forked;
    uint64_t fork_point;
    bool have_member;
    state_member member;
} journal_feed;
int journal_feed_load(const ledger_kv *kv, const uint8_t author[32], journal_feed *f);

typedef struct {
    const journal_feed *feed;
    uint64_t index;
    entry e; /* type 0: the entry does not decode (summary says why) */
    uint8_t leaf[32];
    int32_t tz; /* the network's zone */
    char time[CALTIME_TEXT_BYTES]; /* ISO 8601 (JSON, CSV) */
    char summary[512]; /* render_summary_for's */
    char note[160]; /* "disputed: …", "not counted: …", "not applied", or "" */
    bool disputed;
    char project[STATE_ID_CAP], program[STATE_ID_CAP]; /* "" when none */
    bool has_amount;
    int64_t amount_fen;
} journal_row;
/* The row of the entry at index of feed f (bytes, len: as stored); its
 * summary and note for w (people: the table; machines: JSON and CSV). */
int journal_row_fill(store_txn *txn, const ledger_kv *kv, const journal_feed *f, int32_t tz,
                     uint64_t index, const uint8_t *bytes, size_t len, enum render_for w,
                     journal_row *r);
/* Only what the entry concerns and carries: r's project, program, amount
 * (a filter's cheap read; the rest of r untouched). */
void journal_row_subject(store_txn *txn, const ledger_kv *kv, const entry *e, journal_row *r);
/* time, member, feed, index, type, amount, project, program, summary,
 * applied, disputed, note, leaf */
extern const report_desc journal_desc;
/* The table, streamed: FIRST (right-aligned in first_width columns;
 * negative: left), TIME, TYPE, AMOUNT (in the unit), WHAT [note], the
 * columns' widths fixed by begin, which prints the headings (first: FIRST's,
 * translated; tz: the network's zone). The rows' summaries are for people. */
typedef struct {
    int width[5];
    bool right[5];
} journal_table;
void journal_table_begin(journal_table *t, const char *first, int first_width, int32_t tz);
void journal_table_line(const journal_table *t, const journal_row *r, const char *first);

#endif
