/* render_rows.c — a query's rows in its machine format, from one
 * description (ledger/report.h): JSON, an array of objects; CSV, a header of
 * the same fields (an object's flattened: "holder.name") and a line per row.
 * A value that is not there is null in JSON and an empty field in CSV; a
 * list ([1, 2]) is one CSV field with its elements joined by ':' ("1:2"). */
#include <stdio.h>
#include <string.h>

#include "crypto/cf_error.h"
#include "render.h"

/* ---- CSV ------------------------------------------------------------------------ */

typedef struct {
    FILE *f;
    bool started;       /* a field was written on this line */
    int list;           /* inside a list: its elements share one field */
    bool list_started;
} csv_sink_state;

static void csv_sep(csv_sink_state *c)
{
    if (c->started) fputc(',', c->f);
    c->started = true;
}

static void csv_value(csv_sink_state *c, const char *name, const char *s)
{
    if (c->list > 0) {
        if (c->list_started) fputc(':', c->f);
        c->list_started = true;
        cli_print_csv_field(c->f, s);
        return;
    }
    (void)name;
    csv_sep(c);
    cli_print_csv_field(c->f, s);
}

static void csv_text(void *arg, const char *name, const char *s)
{
    csv_value(arg, name, s);
}

static void csv_count(void *arg, const char *name, int64_t n)
{
    char b[24];
    snprintf(b, sizeof b, "%lld", (long long)n);
    csv_value(arg, name, b);
}

static void csv_flag(void *arg, const char *name, bool b)
{
    csv_value(arg, name, b ? "true" : "false");
}

static void csv_null(void *arg, const char *name)
{
    csv_value(arg, name, "");
}

static void csv_open(void *arg, const char *name, char bracket)
{
    csv_sink_state *c = arg;
    if (bracket == '[') {
        /* A list is one field: named once, its elements joined. */
        if (c->list++ == 0) {
            csv_sep(c);
            c->list_started = false;
        }
    }
    (void)name;
}

static void csv_close(void *arg, char bracket)
{
    csv_sink_state *c = arg;
    if (bracket == ']') c->list--;
}

/* The header: the fields' names, an object's as "name.field". */
static void csv_names(FILE *f, const report_desc *d, const char *prefix, bool *started)
{
    for (size_t i = 0; i < d->n; i++) {
        const report_field *x = &d->fields[i];
        if (x->kind == REPORT_OBJECT) {
            char p[128];
            snprintf(p, sizeof p, "%s%s.", prefix, x->name);
            csv_names(f, x->sub, p, started);
            continue;
        }
        fprintf(f, "%s%s%s", *started ? "," : "", prefix, x->name);
        *started = true;
    }
}

static const report_sink csv_sink = {csv_text, csv_count, csv_flag, csv_null, csv_open,
                                     csv_close};

/* ---- rows --------------------------------------------------------------------------- */

void render_rows_begin(render_rows *r, enum cli_format fmt, const report_ctx *c,
                       const report_desc *d)
{
    memset(r, 0, sizeof *r);
    r->fmt = fmt;
    r->c = *c;
    r->d = d;
    if (fmt == CLI_JSON) r->json = json_array();
    if (fmt == CLI_CSV) {
        /* Flat descriptions only: a ROWS field (a list of objects) has no
         * place on a CSV line. */
        bool started = false;
        csv_names(stdout, d, "", &started);
        fputc('\n', stdout);
    }
}

int render_rows_add(render_rows *r, const void *row)
{
    int err = CF_OK;
    r->n++;
    if (r->fmt == CLI_JSON) {
        render_report(&r->c, r->d, row, r->json, &err);
    } else if (r->fmt == CLI_CSV) {
        csv_sink_state s = {.f = stdout};
        err = report_write(&r->c, r->d, row, NULL, &csv_sink, &s);
        fputc('\n', stdout);
    }
    return err;
}

int render_rows_end(render_rows *r, int rc)
{
    if (r->json) {
        if (rc == CLI_OK) cli_print_json(r->json);
        json_decref(r->json);
        r->json = NULL;
    }
    return rc;
}
