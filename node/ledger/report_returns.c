/* report_returns.c — a row of `cofund returns` (query_return): the JSON and
 * CSV fields, and the table's line (report.h; docs/rules.md "Returns"). */
#include <stdio.h>
#include <string.h>

#include "report.h"
#include "report_internal.h"
#include "rules.h"

static void ret_kind(const report_ctx *c, const void *row, report_value *v)
{
    (void)c;
    v->text = ((const query_return *)row)->is_program ? "program" : "holder";
}

static void ret_holder(const report_ctx *c, const void *row, report_value *v)
{
    const query_return *r = row;
    v->absent = r->is_program;
    if (!v->absent) {
        ledger_member_label(c->kv, r->holder, v->buf, sizeof v->buf);
        v->text = v->buf;
    }
}

static void ret_program(const report_ctx *c, const void *row, report_value *v)
{
    const query_return *r = row;
    (void)c;
    v->absent = !r->is_program;
    v->text = r->program;
}

static void ret_value(const report_ctx *c, const void *row, report_value *v)
{
    const query_return *r = row;
    (void)c;
    v->a = r->distributed_fen + r->residual_fen; /* each <= 2^62: query_returns */
}

/* "-0.000000" is 0: a figure that rounds to zero has no sign (an IRR of
 * -1e-12 from the solver read "-0.000000" one call and "0.000000" the next). */
static void unsigned_zero(char *s)
{
    if (s[0] != '-' || strspn(s + 1, "0.") == 0) return;
    size_t digits = strspn(s + 1, "0.");
    if (s[1 + digits] == '\0' || s[1 + digits] == '%' || s[1 + digits] == 'x')
        memmove(s, s + 1, strlen(s));
}

void report_fmt_moic(const query_return *r, bool human, char *out, size_t cap)
{
    if (!r->has_moic) snprintf(out, cap, "%s", human ? "none" : "");
    else snprintf(out, cap, human ? "%.2fx" : "%.4f", r->moic);
    unsigned_zero(out);
}

void report_fmt_irr(const query_return *r, bool human, char *out, size_t cap)
{
    if (!r->has_irr) snprintf(out, cap, "%s", human ? "none" : "");
    else if (human) snprintf(out, cap, "%.2f%%", r->irr * 100.0);
    else snprintf(out, cap, "%.6f", r->irr);
    unsigned_zero(out);
}

static void ret_moic(const report_ctx *c, const void *row, report_value *v)
{
    const query_return *r = row;
    (void)c;
    v->absent = !r->has_moic;
    report_fmt_moic(r, false, v->buf, sizeof v->buf);
    v->text = v->buf;
}

static void ret_irr(const report_ctx *c, const void *row, report_value *v)
{
    const query_return *r = row;
    (void)c;
    v->absent = !r->has_irr;
    report_fmt_irr(r, false, v->buf, sizeof v->buf);
    v->text = v->buf;
}

static void ret_flows(const report_ctx *c, const void *row, report_value *v)
{
    (void)c;
    v->a = (int64_t)((const query_return *)row)->nflows;
}

static void ret_date(const report_ctx *c, const void *row, report_value *v)
{
    (void)c;
    v->a = (int64_t)((const query_return *)row)->value_ms;
}

static const report_field return_fields[] = {
    {"kind", REPORT_TEXT, .get = ret_kind},
    {"holder", REPORT_TEXT, .get = ret_holder},
    {"program", REPORT_TEXT, .get = ret_program},
    {"paid_in", REPORT_AMOUNT, REPORT_AT_INT64(query_return, paid_in_fen)},
    {"distributed", REPORT_AMOUNT, REPORT_AT_INT64(query_return, distributed_fen)},
    {"residual", REPORT_AMOUNT, REPORT_AT_INT64(query_return, residual_fen)},
    {"total_value", REPORT_AMOUNT, .get = ret_value},
    {"moic", REPORT_TEXT, .get = ret_moic},
    {"irr", REPORT_TEXT, .get = ret_irr},
    {"flows", REPORT_COUNT, .get = ret_flows},
    {"valued_at", REPORT_TIME, .get = ret_date},
};
const report_desc report_returns = {return_fields, N(return_fields)};

void report_returns_header(char *out, size_t cap)
{
    snprintf(out, cap, REPORT_RETURNS_ROW, "KIND", "NAME", "PAID IN", "DISTRIBUTED", "RESIDUAL",
             "MOIC", "IRR");
}

void report_returns_line(const ledger_kv *kv, const query_return *r, char *out, size_t cap)
{
    char name[STATE_ID_CAP], paid[AMOUNT_TEXT_BYTES], dist[AMOUNT_TEXT_BYTES],
        res[AMOUNT_TEXT_BYTES], moic[32], irr[32];
    if (r->is_program) snprintf(name, sizeof name, "%s", r->program);
    else ledger_member_label(kv, r->holder, name, sizeof name);
    amount_format(r->paid_in_fen, paid);
    amount_format(r->distributed_fen, dist);
    amount_format(r->residual_fen, res);
    report_fmt_moic(r, true, moic, sizeof moic);
    report_fmt_irr(r, true, irr, sizeof irr);
    snprintf(out, cap, REPORT_RETURNS_ROW, r->is_program ? "program" : "holder", name, paid,
             dist, res, moic, irr);
}
