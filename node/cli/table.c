/* table.c — see table.h. */
#include "table.h"

#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "crypto/cf_error.h"
#include "crypto/cf_i18n.h"
#include "ledger/people_text.h"

/* ---- units ------------------------------------------------------------------------ */

static enum cli_unit unit = CLI_UNIT_YUAN;

void cli_set_unit(enum cli_unit u) { unit = u; }
enum cli_unit cli_unit(void) { return unit; }

int cli_parse_unit(const char *s, enum cli_unit *out)
{
    bool wan;
    if (people_parse_unit(s, &wan) != CF_OK) return CF_EINVAL;
    *out = wan ? CLI_UNIT_WAN : CLI_UNIT_YUAN;
    return CF_OK;
}

void cli_amount_text(int64_t fen, char out[CLI_AMOUNT_BYTES])
{
    people_amount(fen, unit == CLI_UNIT_WAN, out);
}

const char *cli_money_text(int64_t fen, bool named, char out[CLI_MONEY_BYTES])
{
    char a[CLI_AMOUNT_BYTES];
    cli_amount_text(fen, a);
    if (!named && unit == CLI_UNIT_YUAN) snprintf(out, CLI_MONEY_BYTES, "%s", a);
    else
        snprintf(out, CLI_MONEY_BYTES, cf_i18n_lang() == CF_LANG_ZH ? "%s%s" : "%s %s", a,
                 cli_unit_name());
    return out;
}

const char *cli_money(int64_t fen, char out[CLI_MONEY_BYTES])
{
    return cli_money_text(fen, false, out);
}

const char *cli_unit_name(void) { return people_unit_name(unit == CLI_UNIT_WAN); }

const char *cli_amount_heading(const char *heading, char *out, size_t cap)
{
    return people_heading(heading, unit == CLI_UNIT_WAN, out, cap);
}

/* ---- times ------------------------------------------------------------------------ */

void cli_time_text(uint64_t ms, int32_t tz_min, char out[CLI_TIME_BYTES])
{
    people_time(ms, tz_min, out);
}

void cli_date_text(uint64_t ms, int32_t tz_min, char out[CLI_TIME_BYTES])
{
    people_date(ms, tz_min, out);
}

/* ---- tables ----------------------------------------------------------------------- */

struct cli_column {
    char *heading;
    enum cli_align align;
};

struct cli_table {
    size_t ncols, cap_cols;
    struct cli_column *cols;
    size_t ncells, cap_cells; /* row-major */
    char **cells;
};

static void *grow(void *p, size_t *cap, size_t need, size_t size)
{
    if (need <= *cap) return p;
    size_t n = *cap ? *cap * 2 : 16;
    while (n < need) n *= 2;
    void *q = realloc(p, n * size);
    CF_ASSERT(q != NULL);
    *cap = n;
    return q;
}

static char *copy(const char *s)
{
    char *c = strdup(s ? s : "");
    CF_ASSERT(c != NULL);
    return c;
}

cli_table *cli_table_new(void)
{
    cli_table *t = calloc(1, sizeof *t);
    CF_ASSERT(t != NULL);
    return t;
}

void cli_table_column(cli_table *t, const char *heading, enum cli_align align)
{
    CF_ASSERT(t->ncells == 0); /* every column before the first cell */
    t->cols = grow(t->cols, &t->cap_cols, t->ncols + 1, sizeof *t->cols);
    t->cols[t->ncols++] = (struct cli_column){copy(heading), align};
}

cli_table *cli_columns(const char *const headings[], const char *kinds)
{
    cli_table *t = cli_table_new();
    char b[128];
    for (size_t i = 0; kinds[i]; i++)
        cli_table_column(t, kinds[i] == 'a' || kinds[i] == 'A'
                                ? cli_amount_heading(headings[i], b, sizeof b)
                                : headings[i],
                         kinds[i] == 'l' || kinds[i] == 'A' ? CLI_LEFT : CLI_RIGHT);
    return t;
}

void cli_table_cell(cli_table *t, const char *text)
{
    CF_ASSERT(t->ncols > 0);
    t->cells = grow(t->cells, &t->cap_cells, t->ncells + 1, sizeof *t->cells);
    t->cells[t->ncells++] = copy(text);
}

void cli_table_cellf(cli_table *t, const char *fmt, ...)
{
    char buf[1024];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(buf, sizeof buf, fmt, ap);
    va_end(ap);
    cli_table_cell(t, buf);
}

void cli_table_amount(cli_table *t, int64_t fen)
{
    char b[CLI_AMOUNT_BYTES];
    cli_amount_text(fen, b);
    cli_table_cell(t, b);
}

size_t cli_table_rows(const cli_table *t)
{
    return t->ncols ? (t->ncells + t->ncols - 1) / t->ncols : 0;
}

void cli_print_row(FILE *f, size_t n, const char *const cells[], const int widths[],
                   const bool right[])
{
    /* The last non-empty cell ends the line: no trailing blanks. */
    size_t last = n;
    while (last > 0 && (cells[last - 1] == NULL || cells[last - 1][0] == '\0')) last--;
    for (size_t i = 0; i < last; i++) {
        const char *s = cells[i] ? cells[i] : "";
        size_t w = cf_text_width(s), want = widths[i] > 0 ? (size_t)widths[i] : 0;
        size_t pad = w < want ? want - w : 0;
        if (i > 0) fputs("  ", f);
        if (right[i]) fprintf(f, "%*s%s", (int)pad, "", s);
        else if (i + 1 < last) fprintf(f, "%s%*s", s, (int)pad, "");
        else fputs(s, f);
    }
    fputc('\n', f);
}

void cli_table_print(cli_table *t, FILE *f, const char *empty)
{
    if (t == NULL) return;
    size_t rows = cli_table_rows(t);
    if (rows == 0) {
        if (empty) fprintf(f, "%s\n", empty);
        cli_table_free(t);
        return;
    }
    int *widths = calloc(t->ncols, sizeof *widths);
    bool *right = calloc(t->ncols, sizeof *right);
    const char **line = calloc(t->ncols, sizeof *line);
    CF_ASSERT(widths && right && line);
    for (size_t c = 0; c < t->ncols; c++) {
        line[c] = t->cols[c].heading;
        widths[c] = (int)cf_text_width(line[c]);
        right[c] = t->cols[c].align == CLI_RIGHT;
    }
    for (size_t i = 0; i < t->ncells; i++) {
        int w = (int)cf_text_width(t->cells[i]);
        if (w > widths[i % t->ncols]) widths[i % t->ncols] = w;
    }
    cli_print_row(f, t->ncols, line, widths, right);
    for (size_t r = 0; r < rows; r++) {
        for (size_t c = 0; c < t->ncols; c++) {
            size_t i = r * t->ncols + c;
            line[c] = i < t->ncells ? t->cells[i] : "";
        }
        cli_print_row(f, t->ncols, line, widths, right);
    }
    free(widths);
    free(right);
    free(line);
    cli_table_free(t);
}

void cli_table_free(cli_table *t)
{
    if (t == NULL) return;
    for (size_t i = 0; i < t->ncols; i++) free(t->cols[i].heading);
    for (size_t i = 0; i < t->ncells; i++) free(t->cells[i]);
    free(t->cols);
    free(t->cells);
    free(t);
}
