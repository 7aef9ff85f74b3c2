/* report.c — the walk of a report's description (report.h) over a row, and
 * the formatting of its values. The descriptions are in report_fields.c. */
#include "report.h"

#include <stdio.h>
#include <string.h>

#include "caltime.h"
#include "crypto/cf_error.h"

_Static_assert(REPORT_VALUE_BYTES >= STATE_ID_CAP && REPORT_VALUE_BYTES >= 65,
               "a value's buffer holds a member's name and a key in hex");

void report_fmt_share(int64_t part, int64_t whole, bool percent, char *out, size_t cap)
{
    double s = whole > 0 ? (double)part / (double)whole : 0.0;
    if (percent) snprintf(out, cap, "%.2f%%", s * 100.0);
    else snprintf(out, cap, "%.4f", s);
}

void report_fmt_leverage(int64_t counterpart_fen, int64_t deployed_fen, char *out, size_t cap)
{
    query_totals t = {.deployed_fen = deployed_fen, .counterpart_fen = counterpart_fen};
    if (deployed_fen > 0) snprintf(out, cap, "%.2f", query_leverage(&t));
    else snprintf(out, cap, "-");
}

/* Machine formats write no placeholder: a value that is not there is null
 * (JSON) or an empty field (CSV). A leverage with nothing deployed is not
 * there. */
static bool value_absent(const report_field *f, const report_value *v)
{
    if (v->absent) return true;
    return f->kind == REPORT_LEVERAGE && v->b <= 0;
}

static void write_value(const report_ctx *c, const report_field *f, const report_value *v,
                        const report_sink *s, void *arg)
{
    char t[CALTIME_TEXT_BYTES];
    _Static_assert(CALTIME_TEXT_BYTES >= AMOUNT_TEXT_BYTES, "room for an amount");
    if (value_absent(f, v)) {
        s->null(arg, f->name);
        return;
    }
    switch (f->kind) {
    case REPORT_TEXT: s->text(arg, f->name, v->text ? v->text : ""); break;
    case REPORT_COUNT: s->count(arg, f->name, v->a); break;
    case REPORT_BOOL: s->flag(arg, f->name, v->a != 0); break;
    case REPORT_AMOUNT:
        amount_format_plain(v->a, t);
        s->text(arg, f->name, t);
        break;
    case REPORT_SHARE:
        report_fmt_share(v->a, v->b, false, t, sizeof t);
        s->text(arg, f->name, t);
        break;
    case REPORT_LEVERAGE:
        report_fmt_leverage(v->a, v->b, t, sizeof t);
        s->text(arg, f->name, t);
        break;
    case REPORT_PAIR:
        s->open(arg, f->name, '[');
        s->count(arg, NULL, v->a);
        s->count(arg, NULL, v->b);
        s->close(arg, ']');
        break;
    case REPORT_TIME:
        caltime_format((uint64_t)v->a, c->tz_min, t);
        s->text(arg, f->name, t);
        break;
    case REPORT_AMOUNTS:
        s->open(arg, f->name, '[');
        for (size_t i = 0; i < v->n; i++) {
            amount_format_plain(v->list[i], t);
            s->text(arg, NULL, t);
        }
        s->close(arg, ']');
        break;
    default: break;
    }
}

/* A field without an accessor is read at its offset in the row: TEXT a
 * char array, COUNT and AMOUNT an int64_t. */
static void get_value(const report_ctx *c, const report_field *f, const void *row,
                      report_value *v)
{
    const char *at = (const char *)row + f->off;
    memset(v, 0, sizeof *v);
    if (f->get) f->get(c, row, v);
    else if (f->kind == REPORT_TEXT) v->text = at;
    else memcpy(&v->a, at, sizeof v->a);
}

/* An OBJECT's or ROWS's rows, as `each` visits them. */
struct sub {
    const report_ctx *c;
    const report_field *f;
    const report_sink *s;
    void *arg;
};

static int write_fields(const report_ctx *c, const report_desc *d, const void *row,
                        const report_sink *s, void *arg);

static int sub_row(void *arg, const void *row)
{
    struct sub *j = arg;
    if (j->f->kind == REPORT_ROWS) return report_write(j->c, j->f->sub, row, NULL, j->s, j->arg);
    return write_fields(j->c, j->f->sub, row, j->s, j->arg);
}

static int write_fields(const report_ctx *c, const report_desc *d, const void *row,
                        const report_sink *s, void *arg)
{
    int err = CF_OK;
    for (size_t i = 0; i < d->n; i++) {
        const report_field *f = &d->fields[i];
        if (f->kind == REPORT_OBJECT || f->kind == REPORT_ROWS) {
            char b = f->kind == REPORT_ROWS ? '[' : '{';
            struct sub j = {.c = c, .f = f, .s = s, .arg = arg};
            s->open(arg, f->name, b);
            int e = f->each(c, row, sub_row, &j);
            s->close(arg, b == '[' ? ']' : '}');
            if (err == CF_OK) err = e;
            continue;
        }
        report_value v;
        get_value(c, f, row, &v);
        write_value(c, f, &v, s, arg);
    }
    return err;
}

int report_write(const report_ctx *c, const report_desc *d, const void *row, const char *name,
                 const report_sink *s, void *arg)
{
    s->open(arg, name, '{');
    int err = write_fields(c, d, row, s, arg);
    s->close(arg, '}');
    return err;
}
