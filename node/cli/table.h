/* table.h — what people read: tables aligned by display width, amounts in
 * the unit they chose, times in their language (docs/i18n.md).
 *
 * Only the table format goes through here. JSON and CSV keep exact decimal
 * yuan and ISO 8601 whatever the language and the unit, so machines are
 * never affected by either.
 */
#ifndef COFUND_CLI_TABLE_H
#define COFUND_CLI_TABLE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

/* ---- the unit of amounts in tables (--unit, the config's `unit`) ---------------- */

enum cli_unit { CLI_UNIT_YUAN = 0, CLI_UNIT_WAN = 1 /* 万元: 10,000 yuan */ };
void cli_set_unit(enum cli_unit u);
enum cli_unit cli_unit(void);
/* "yuan" or "wan"; CF_EINVAL otherwise. */
int cli_parse_unit(const char *s, enum cli_unit *out);

/* "-9,223,372,036,854.775807" in wan plus NUL, with room to spare. */
#define CLI_AMOUNT_BYTES 40 /* PEOPLE_AMOUNT_BYTES (ledger/people_text.h) */
/* fen in the unit, exactly: yuan "1,234,567.89"; wan "123.456789" (the
 * yuan figure divided by 10,000 with no rounding: six decimals at most,
 * trailing zeros past the second dropped: 300,000.00 yuan is "30.00"). */
void cli_amount_text(int64_t fen, char out[CLI_AMOUNT_BYTES]);
/* An amount in a sentence: where yuan goes without saying, the figure
 * alone ("1,000,000.00"); in another unit, or when `named`, with the unit
 * ("100.00 10k yuan"; in Chinese with no space, "100.00万元"). */
#define CLI_MONEY_BYTES (CLI_AMOUNT_BYTES + 32)
const char *cli_money_text(int64_t fen, bool named, char out[CLI_MONEY_BYTES]);
/* cli_money_text(fen, false, out) */
const char *cli_money(int64_t fen, char out[CLI_MONEY_BYTES]);
/* The unit's name in the current language: "yuan" / "10k yuan", 元 / 万元. */
const char *cli_unit_name(void);
/* heading (already translated) naming the unit: "DEPLOYED (yuan)",
 * "已投资(万元)"; out, cap: where it is written; returns out. */
const char *cli_amount_heading(const char *heading, char *out, size_t cap);

/* ---- times in the network's zone ---------------------------------------------------- */

/* "2026-12-04 09:30 +08:00" in English, "2026年12月4日 09:30 +08:00" in
 * Chinese; the zone is always the network's. */
#define CLI_TIME_BYTES 64 /* PEOPLE_TIME_BYTES */
void cli_time_text(uint64_t ms, int32_t tz_min, char out[CLI_TIME_BYTES]);
/* The date alone: "2026-12-04", "2026年12月4日". */
void cli_date_text(uint64_t ms, int32_t tz_min, char out[CLI_TIME_BYTES]);

/* ---- tables ------------------------------------------------------------------------- */

/* A table whose column widths are those of its widest cell, by display
 * width (a CJK character takes two columns):
 *   cli_table *t = cli_table_new();
 *   cli_table_column(t, _("PROJECT"), CLI_LEFT);
 *   cli_table_column(t, cli_amount_heading(_("DEPLOYED"), b, sizeof b), CLI_RIGHT);
 *   cli_table_cell(t, "p1"); cli_table_amount(t, 500000);   // row by row
 *   cli_table_print(t, stdout);                             // and frees t
 * Cells are copied. Columns are two spaces apart; the last has no trailing
 * blanks. A cell past the last column starts the next row. Out of memory
 * aborts (CF_ASSERT): a table is a command's output, not a server's. */
enum cli_align { CLI_LEFT = 0, CLI_RIGHT = 1 };
typedef struct cli_table cli_table;
cli_table *cli_table_new(void);
void cli_table_column(cli_table *t, const char *heading, enum cli_align align);
void cli_table_cell(cli_table *t, const char *text);
void cli_table_cellf(cli_table *t, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void cli_table_amount(cli_table *t, int64_t fen);
/* Rows added so far (a row being filled counts). */
size_t cli_table_rows(const cli_table *t);
/* A table of these columns at once: headings (translated) and a letter
 * each in `kinds`: 'l' text, left-aligned; 'n' a count or a ratio,
 * right-aligned; 'a' an amount, right-aligned, its heading naming the unit;
 * 'A' text with amounts, left-aligned, its heading naming the unit. */
cli_table *cli_columns(const char *const headings[], const char *kinds);
/* Print the headings and the rows, then free t (NULL: nothing). Without
 * rows, only `empty` (translated, e.g. _("(no positions)")) when not NULL. */
void cli_table_print(cli_table *t, FILE *f, const char *empty);
void cli_table_free(cli_table *t);

/* One line of a table printed as it comes (a journal of a million entries
 * is not held in memory): cells[i] padded to widths[i] display columns
 * (right-aligned when right[i]), two spaces apart, no trailing blanks. */
void cli_print_row(FILE *f, size_t n, const char *const cells[], const int widths[],
                   const bool right[]);

#endif
