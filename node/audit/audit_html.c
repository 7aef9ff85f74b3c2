/* audit_html.c — the audit report as one self-contained HTML file
 * (docs/auditing.md §3 "The printable report"): no script, no style sheet or
 * font fetched, charts drawn inline in SVG, printable.
 *
 * It is drawn from the JSON report (audit_print with AUDIT_JSON), parsed
 * again with jansson, so the two can never disagree: every section of the
 * JSON appears, lists of objects as tables (nested objects flattened into
 * "holder.name" columns), objects as lists of fields, and a program's
 * years and projects also as bars of what was used against its budget or
 * cap. Every string a member or the bundle supplied is escaped (html()),
 * and the Content-Security-Policy forbids anything but inline styles.
 *
 * It speaks the language of the text report (<html lang="zh-CN"> in
 * Chinese): the JSON's field names become their titles in that language
 * (key_title) and amounts are shown in the unit (audit_unit), the unit
 * named in the titles of amounts.
 */
#include <inttypes.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "audit.h"
#include "audit_internal.h"
#include "audit_text.h"
#include "crypto/cf_error.h"
#include "crypto/cf_i18n.h"
#include "crypto/cf_util.h"
#include "ledger/caltime.h"
#include "ledger/names.h"

/* Text as HTML: & < > " ' escaped; control characters dropped. */
static void html(FILE *f, const char *s)
{
    for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
        switch (*p) {
        case '&': fputs("&amp;", f); break;
        case '<': fputs("&lt;", f); break;
        case '>': fputs("&gt;", f); break;
        case '"': fputs("&quot;", f); break;
        case '\'': fputs("&#39;", f); break;
        default:
            if (*p >= 0x20 || *p == '\t') fputc(*p, f);
        }
    }
}

/* A scalar as text ("—" for null: the report's "no value"). */
static void scalar(FILE *f, const json_t *v)
{
    char buf[64];
    switch (json_typeof(v)) {
    case JSON_STRING: html(f, json_string_value(v)); break;
    case JSON_INTEGER:
        snprintf(buf, sizeof buf, "%" JSON_INTEGER_FORMAT, json_integer_value(v));
        fputs(buf, f);
        break;
    case JSON_TRUE: html(f, _("yes")); break;
    case JSON_FALSE: html(f, _("no")); break;
    case JSON_NULL: fputs("&mdash;", f); break;
    case JSON_REAL:
        snprintf(buf, sizeof buf, "%g", json_real_value(v));
        fputs(buf, f);
        break;
    default: fputs("&hellip;", f);
    }
}

static bool is_scalar(const json_t *v) { return !json_is_object(v) && !json_is_array(v); }

/* "a.b" column names of an object's scalar fields, nested objects flattened
 * one level (a position's holder). */
#define COLS_MAX 48
typedef struct {
    char name[COLS_MAX][64];
    size_t n;
} columns;

static void col_add(columns *c, const char *name)
{
    for (size_t i = 0; i < c->n; i++)
        if (strcmp(c->name[i], name) == 0) return;
    if (c->n < COLS_MAX) snprintf(c->name[c->n++], sizeof c->name[0], "%s", name);
}

static void columns_of(const json_t *rows, columns *c)
{
    size_t i;
    json_t *row;
    c->n = 0;
    json_array_foreach(rows, i, row) {
        const char *k;
        json_t *v;
        json_object_foreach(row, k, v) {
            if (is_scalar(v) || json_is_array(v)) col_add(c, k); /* a list: joined */
            else if (json_is_object(v)) {
                const char *k2;
                json_t *v2;
                json_object_foreach(v, k2, v2) {
                    char name[64];
                    snprintf(name, sizeof name, "%s.%s", k, k2);
                    if (is_scalar(v2)) col_add(c, name);
                }
            }
        }
    }
}

static const json_t *cell(const json_t *row, const char *col)
{
    const char *dot = strchr(col, '.');
    if (dot == NULL) return json_object_get(row, col);
    char head[64];
    snprintf(head, sizeof head, "%.*s", (int)(dot - col), col);
    return json_object_get(json_object_get(row, head), dot + 1);
}

/* The title of each field of the JSON report: the key with spaces for its
 * underscores, translated (a key not listed: the key so spelled). */
static const char *const key_titles[] = {
    N_("bundle"), N_("bundle bytes"), N_("bundle sha256"), N_("audited at"), N_("tool"),
    N_("period"), N_("first"), N_("last"), N_("network"), N_("id"), N_("name"),
    N_("governance"), N_("governance key"), N_("tz"), N_("counts"), N_("feeds"), N_("entries"),
    N_("checkpoints"), N_("fork proofs"), N_("applied"), N_("violations"), N_("unchecked"),
    N_("cosignatures"), N_("cosignatures ignored"), N_("member"), N_("key"), N_("role"),
    N_("witnesses"), N_("state"), N_("checkpoint"), N_("size"), N_("root"), N_("witnessed by"),
    N_("failures"), N_("forks"), N_("matches after exit"), N_("index"), N_("size a"),
    N_("root a"), N_("size b"), N_("root b"), N_("alt"), N_("point"), N_("source"), N_("rule"),
    N_("type"), N_("text"), N_("programs"), N_("positions"), N_("not equity"), N_("returns"),
    N_("complete"), N_("ok"), N_("first failure"),
    /* the reports' fields (node/ledger/report_fields.c) */
    N_("advance"), N_("amount"), N_("annual budget"), N_("awaiting match"), N_("awarded"),
    N_("awards"), N_("bank"), N_("banks"), N_("basis"), N_("bounds"), N_("budget"),
    N_("budget left"), N_("budget used"), N_("cap"), N_("cap left"), N_("cap used"),
    N_("compensation paid"), N_("counterpart"), N_("defaults"), N_("deployed"), N_("disputed"),
    N_("distributed"), N_("down"), N_("equipment"), N_("equipment price"), N_("exited"),
    N_("financing"), N_("flows"), N_("guaranteed"), N_("holder"), N_("invested"), N_("irr"),
    N_("kind"), N_("leases"), N_("lent"), N_("lessor"), N_("lessor financed"), N_("level"),
    N_("levels"), N_("leverage"), N_("loans"), N_("losses"), N_("moic"), N_("net"),
    N_("outstanding"), N_("paid"), N_("paid in"), N_("pending matches"), N_("price"),
    N_("program"), N_("project"), N_("project cap"), N_("project total"), N_("projects"),
    N_("ratio"), N_("recipient cap"), N_("released"), N_("repaid"), N_("residual"), N_("round"),
    N_("share"), N_("start"), N_("subsidies"), N_("subsidised"), N_("time"), N_("total value"),
    N_("unit cap"), N_("valued at"), N_("window days"), N_("year"), N_("years"), N_("operator"),
    N_("equity"),
};

/* One key ("holder.name": each part) as its title. */
static void title_part(FILE *f, const char *key, size_t n)
{
    char words[64];
    snprintf(words, sizeof words, "%.*s", (int)n, key);
    for (char *p = words; *p; p++)
        if (*p == '_') *p = ' ';
    for (size_t i = 0; i < sizeof key_titles / sizeof key_titles[0]; i++)
        if (strcmp(key_titles[i], words) == 0) {
            html(f, _(key_titles[i]));
            return;
        }
    html(f, words);
}

static void title_of(FILE *f, const char *key)
{
    for (;;) {
        size_t n = strcspn(key, ".");
        title_part(f, key, n);
        if (key[n] == '\0') return;
        fputc('.', f);
        key += n + 1;
    }
}

/* An amount of the JSON report ("300000.00": two decimals; a leverage has
 * them too) in the unit: the JSON's own text in yuan, exact wan
 * ("30.00") in wan; false when v is no amount. */
static bool amount_in_unit(const char *key, const json_t *v, char out[AUDIT_AMOUNT_BYTES])
{
    const char *s = json_is_string(v) ? json_string_value(v) : NULL;
    if (s == NULL || strcmp(key, "leverage") == 0) return false;
    size_t n = strlen(s), d = strspn(s + (*s == '-'), "0123456789") + (*s == '-');
    if (d == (size_t)(*s == '-') || n != d + 3 || s[d] != '.' || strspn(s + d + 1, "0123456789") != 2)
        return false;
    if (audit_unit() == AUDIT_UNIT_YUAN) {
        snprintf(out, AUDIT_AMOUNT_BYTES, "%s", s);
        return true;
    }
    char grouped[AUDIT_AMOUNT_BYTES];
    if (!audit__amount_of_text(s, grouped)) return false;
    size_t k = 0; /* exact wan without the grouping, as the JSON writes numbers */
    for (const char *p = grouped; *p && k + 1 < AUDIT_AMOUNT_BYTES; p++)
        if (*p != ',') out[k++] = *p;
    out[k] = '\0';
    return true;
}

/* The network's zone, for the times (audit_print_html sets it). */
static int32_t page_tz;

/* A time of the JSON report (ISO 8601: "audited_at", a period's "first", a
 * program's "start"...) as people read it, in the network's zone; false
 * when v is none. */
static bool time_text(const char *key, const json_t *v, char out[AUDIT_TEXT_TIME_BYTES])
{
    static const char *const keys[] = {"audited_at", "first", "last", "start", "time", "valued_at"};
    const char *s = json_is_string(v) ? json_string_value(v) : NULL;
    uint64_t ms;
    bool is_time = false;
    for (size_t i = 0; i < sizeof keys / sizeof keys[0]; i++) is_time |= strcmp(key, keys[i]) == 0;
    if (!is_time || s == NULL || strchr(s, 'T') == NULL ||
        caltime_parse(s, page_tz, false, &ms) != CF_OK)
        return false;
    audit__time_text(ms, page_tz, out);
    return true;
}

/* A field's value: an amount in the unit, a time in the zone and the
 * language, anything else as it is. */
static void value(FILE *f, const char *key, const json_t *v)
{
    char a[AUDIT_TEXT_TIME_BYTES];
    _Static_assert(AUDIT_TEXT_TIME_BYTES >= AUDIT_AMOUNT_BYTES, "room for an amount");
    if (amount_in_unit(key, v, a) || time_text(key, v, a)) fputs(a, f);
    else scalar(f, v);
}

/* A field's title, naming the unit when its value is an amount. */
static void title_unit(FILE *f, const char *key, bool amount)
{
    title_of(f, key);
    if (!amount) return;
    fputs(" (", f);
    html(f, audit__unit_name());
    fputc(')', f);
}

static void none(FILE *f)
{
    fputs("<p class=\"none\">", f);
    html(f, _("none"));
    fputs("</p>\n", f);
}

/* The last part of "holder.name": what names the value. */
static const char *leaf_key(const char *col)
{
    const char *dot = strrchr(col, '.');
    return dot ? dot + 1 : col;
}

/* The replayed state the page names projects and members from. */
static const ledger_kv *page_kv;

/* A row's project or member (its column col holding v) as people read it:
 * a project with its display name ("robotics（机器人产线）"), a member
 * ("holder.name", found by "holder.key") by its display name (ledger/
 * names.h); false, nothing written, when the cell is neither. The JSON
 * itself names them by identifiers. */
static bool named(FILE *f, const json_t *row, const char *col, const json_t *v)
{
    char buf[NAMES_PROJECT_BYTES], keycol[80];
    uint8_t key[32];
    size_t n = strlen(col);
    if (page_kv == NULL || !json_is_string(v)) return false;
    const char *s = json_string_value(v);
    if (strcmp(col, "project") == 0) {
        html(f, names_project_cell(page_kv, s, strlen(s), buf, sizeof buf));
        return true;
    }
    if (n <= 5 || strcmp(col + n - 5, ".name") != 0) return false;
    snprintf(keycol, sizeof keycol, "%.*s.key", (int)(n - 5), col);
    const json_t *k = cell(row, keycol);
    if (!json_is_string(k) || cf_hex_decode(json_string_value(k), strlen(json_string_value(k)),
                                            key, sizeof key) != CF_OK)
        return false;
    html(f, names_member(page_kv, key, buf, sizeof buf));
    return true;
}

/* A list of objects as a table; of scalars as a line; empty: "none". key:
 * the list's own (its scalars' amounts are shown in the unit). */
static void table(FILE *f, const char *key, const json_t *rows)
{
    if (json_array_size(rows) == 0) {
        none(f);
        return;
    }
    if (!json_is_object(json_array_get(rows, 0))) {
        size_t i;
        json_t *v;
        fputs("<p>", f);
        json_array_foreach(rows, i, v) {
            if (i) fputs(", ", f);
            value(f, key, v);
        }
        fputs("</p>\n", f);
        return;
    }
    columns c;
    columns_of(rows, &c);
    fputs("<table>\n<thead><tr>", f);
    for (size_t k = 0; k < c.n; k++) {
        bool amount = false; /* a column of amounts names the unit */
        size_t i;
        json_t *row;
        char a[AUDIT_AMOUNT_BYTES];
        json_array_foreach(rows, i, row) {
            amount = amount || amount_in_unit(leaf_key(c.name[k]), cell(row, c.name[k]), a);
        }
        fputs("<th>", f);
        title_unit(f, c.name[k], amount);
        fputs("</th>", f);
    }
    fputs("</tr></thead>\n<tbody>\n", f);
    size_t i;
    json_t *row;
    json_array_foreach(rows, i, row) {
        fputs("<tr>", f);
        for (size_t k = 0; k < c.n; k++) {
            const json_t *v = cell(row, c.name[k]);
            const char *t = v && json_is_string(v) ? json_string_value(v) : "";
            size_t tl = strlen(t);
            fputs(tl && strspn(t, "-0123456789.") == tl                   ? "<td class=\"n\">"
                  : tl == 64 && strspn(t, "0123456789abcdef") == tl ? "<td class=\"h\">"
                                                                    : "<td>",
                  f);
            if (v && json_is_array(v)) {
                size_t j;
                json_t *x;
                json_array_foreach(v, j, x) {
                    if (j) fputs(", ", f);
                    if (is_scalar(x)) value(f, leaf_key(c.name[k]), x);
                    else fputs("&hellip;", f);
                }
            } else if (v && !named(f, row, c.name[k], v)) {
                value(f, leaf_key(c.name[k]), v);
            }
            fputs("</td>", f);
        }
        fputs("</tr>\n", f);
    }
    fputs("</tbody></table>\n", f);
}

/* The scalar fields of an object as a definition list. */
static void fields(FILE *f, const json_t *o)
{
    const char *k;
    json_t *v;
    fputs("<dl>", f);
    json_object_foreach((json_t *)o, k, v) {
        if (!is_scalar(v)) continue;
        char a[AUDIT_AMOUNT_BYTES];
        fputs("<dt>", f);
        title_unit(f, k, amount_in_unit(k, v, a));
        fputs("</dt><dd>", f);
        value(f, k, v);
        fputs("</dd>", f);
    }
    fputs("</dl>\n", f);
}

static double money(const json_t *v)
{
    return json_is_string(v) ? strtod(json_string_value(v), NULL) : 0;
}

/* Bars of what rows used (the first of `used` they carry) against their
 * limit (`limit`), labelled by `label`: one SVG, drawn only when a row
 * has both. */
/* A row's bar: what it used (the first of `used` it carries) and its limit;
 * NULL when it has no such figure or no limit above 0. */
static const json_t *bar_of(const json_t *row, const char *const *used, const char *limit,
                            double *val, double *lim)
{
    const json_t *u = NULL;
    for (const char *const *k = used; *k && u == NULL; k++) u = json_object_get(row, *k);
    *lim = money(json_object_get(row, limit));
    *val = money(u);
    return u != NULL && *lim > 0 ? u : NULL;
}

static void bars(FILE *f, const json_t *rows, const char *label, const char *const *used,
                 const char *limit)
{
    size_t i, n = 0;
    json_t *row;
    double max = 0, lim, val;
    json_array_foreach(rows, i, row) {
        if (bar_of(row, used, limit, &val, &lim) == NULL) continue;
        if (lim > max) max = lim;
        if (val > max) max = val;
        n++;
    }
    if (n == 0) return;
    const int width = 640, bar = 18, gap = 8, left = 120;
    fprintf(f, "<svg class=\"chart\" role=\"img\" width=\"%d\" height=\"%zu\" viewBox=\"0 0 %d %zu\">\n",
            width, n * (bar + gap) + gap, width, n * (bar + gap) + gap);
    size_t y = gap;
    json_array_foreach(rows, i, row) {
        const json_t *u = bar_of(row, used, limit, &val, &lim);
        if (u == NULL) continue;
        int wl = (int)((width - left - 10) * lim / max), wv = (int)((width - left - 10) * val / max);
        fprintf(f, "<text x=\"0\" y=\"%zu\">", y + bar - 5);
        if (!named(f, row, label, json_object_get(row, label)))
            scalar(f, json_object_get(row, label));
        fprintf(f, "</text><rect class=\"limit\" x=\"%d\" y=\"%zu\" width=\"%d\" height=\"%d\"/>"
                   "<rect class=\"%s\" x=\"%d\" y=\"%zu\" width=\"%d\" height=\"%d\"><title>",
                left, y, wl, bar, val > lim ? "over" : "used", left, y + 3, wv, bar - 6);
        value(f, "", u);
        html(f, _(" of "));
        value(f, limit, json_object_get(row, limit));
        fputs("</title></rect>\n", f);
        y += bar + gap;
    }
    fputs("</svg>\n", f);
}

static void program(FILE *f, const json_t *p)
{
    static const char *const used[] = {"deployed", "awarded", "subsidised", "used", NULL};
    fputs("<section class=\"program\"><h3>", f);
    scalar(f, json_object_get(p, "program"));
    fputs("</h3>\n", f);
    fields(f, p);
    const char *k;
    json_t *v;
    json_object_foreach((json_t *)p, k, v) {
        if (is_scalar(v)) continue;
        fputs("<h4>", f);
        title_of(f, k);
        fputs("</h4>\n", f);
        if (json_is_array(v)) {
            if (strcmp(k, "years") == 0) bars(f, v, "year", used, "budget");
            if (strcmp(k, "projects") == 0) bars(f, v, "project", used, "cap");
            table(f, k, v);
        } else {
            fields(f, v);
        }
    }
    fputs("</section>\n", f);
}

static const char style[] =
    "body{font:14px/1.4 sans-serif;margin:2em;color:#111}"
    "h1{font-size:1.5em}h2{border-bottom:1px solid #999;margin-top:1.6em}"
    "table{border-collapse:collapse;margin:.4em 0 1em}"
    "th,td{border:1px solid #bbb;padding:2px 6px;text-align:left;vertical-align:top}"
    "td.n{text-align:right;font-variant-numeric:tabular-nums}th{background:#eee}"
    "td.h{font:11px monospace;word-break:break-all;min-width:12em;max-width:16em}"
    "dl{display:grid;grid-template-columns:max-content auto;gap:2px 12px}dt{font-weight:bold}"
    "dd{margin:0;word-break:break-all}.none{color:#666}"
    ".verdict{font-size:1.2em;padding:.4em .8em;display:inline-block;border:2px solid}"
    ".ok{border-color:#1a7f37;color:#1a7f37}.failed{border-color:#b42318;color:#b42318}"
    ".chart text{font-size:12px}.chart .limit{fill:#e5e7eb}.chart .used{fill:#2563eb}"
    ".chart .over{fill:#b42318}"
    "@media print{body{margin:0}section,table{break-inside:avoid}}";

int audit_print_html(const audit *a, FILE *f)
{
    char *text = NULL;
    size_t len = 0;
    FILE *mem = open_memstream(&text, &len);
    if (mem == NULL) return -1;
    int status = audit_print(a, mem, AUDIT_JSON);
    if (fclose(mem) != 0 || status < 0) {
        free(text);
        return -1;
    }
    json_error_t jerr;
    json_t *r = json_loadb(text, len, 0, &jerr);
    free(text);
    if (r == NULL) return -1;
    const json_t *net = json_object_get(r, "network");
    page_tz = 0;
    page_kv = a->replayed ? &a->kv : NULL;
    if (json_is_string(json_object_get(net, "tz")))
        caltime_parse_tz(json_string_value(json_object_get(net, "tz")), &page_tz);
    const json_t *name = json_object_get(net, "name") ? json_object_get(net, "name")
                                                      : json_object_get(r, "bundle");
    bool ok = json_is_true(json_object_get(r, "ok"));
    fprintf(f, "<!DOCTYPE html>\n<html lang=\"%s\"><head><meta charset=\"utf-8\">\n"
               "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; "
               "style-src 'unsafe-inline'\">\n<title>",
            cf_i18n_lang() == CF_LANG_ZH ? "zh-CN" : "en");
    /* TRANSLATORS: the HTML report's title, before the network's name. */
    html(f, _("cofund audit: "));
    scalar(f, name);
    fprintf(f, "</title>\n<style>%s</style></head><body>\n<h1>", style);
    /* TRANSLATORS: the HTML report's heading, before the network's name. */
    html(f, _("Audit of "));
    scalar(f, name);
    fprintf(f, "</h1>\n<p class=\"verdict %s\">", ok ? "ok" : "failed");
    if (!ok) {
        html(f, _("FAILED: "));
        scalar(f, json_object_get(r, "first_failure"));
    } else if (!json_is_true(json_object_get(r, "complete"))) {
        html(f, _("ok, incomplete: every entry checked holds; some could not be checked with this "
                  "bundle alone"));
    } else {
        html(f, _("ok: every signature, root and rule holds"));
    }
    fputs("</p>\n<p>", f);
    /* TRANSLATORS: the HTML report's note of the unit: "Amounts in yuan." */
    fprintf(f, _("Amounts in %s."), audit__unit_name());
    fputs("</p>\n<h2>", f);
    html(f, _("What was audited"));
    fputs("</h2>\n", f);
    fields(f, r);
    static const char *const parts[] = {"network", "period", "counts"};
    for (size_t i = 0; i < 3; i++) {
        const json_t *part = json_object_get(r, parts[i]);
        if (!json_is_object(part)) continue;
        fputs("<h3>", f);
        title_of(f, parts[i]);
        fputs("</h3>\n", f);
        fields(f, part);
    }
    const char *k;
    json_t *v;
    json_object_foreach(r, k, v) {
        if (!json_is_array(v)) continue;
        fputs("<h2>", f);
        title_of(f, k);
        fputs("</h2>\n", f);
        if (strcmp(k, "programs") == 0) {
            size_t i;
            json_t *p;
            json_array_foreach(v, i, p) program(f, p);
            if (json_array_size(v) == 0) none(f);
        } else {
            table(f, k, v);
        }
    }
    fputs("<p class=\"none\">", f);
    /* TRANSLATORS: %s: the tool and its version ("cofund-audit 0.9.0"). */
    fprintf(f, _("Written by %s from the same figures as its text and JSON reports."),
            json_string_value(json_object_get(r, "tool")) ? json_string_value(json_object_get(r, "tool")) : "");
    fputs("</p>\n</body></html>\n", f);
    json_decref(r);
    return ferror(f) ? -1 : status;
}
