/* audit_text.c — see audit_text.h. */
#include "audit_text.h"

#include <stdlib.h>
#include <string.h>

#include "crypto/cf_error.h"
#include "crypto/cf_i18n.h"
#include "ledger/names.h"
#include "ledger/people_text.h"

static enum audit_unit unit = AUDIT_UNIT_YUAN;

void audit_set_unit(enum audit_unit u) { unit = u; }
enum audit_unit audit_unit(void) { return unit; }

int audit_parse_unit(const char *s, enum audit_unit *out)
{
    bool wan;
    if (people_parse_unit(s, &wan) != CF_OK) return CF_EINVAL;
    *out = wan ? AUDIT_UNIT_WAN : AUDIT_UNIT_YUAN;
    return CF_OK;
}

void audit__amount(int64_t fen, char out[AUDIT_AMOUNT_BYTES])
{
    people_amount(fen, unit == AUDIT_UNIT_WAN, out);
}

bool audit__amount_of_text(const char *s, char out[AUDIT_AMOUNT_BYTES])
{
    const char *p = s + (*s == '-');
    size_t digits = strspn(p, "0123456789");
    if (digits == 0 || digits > 16 || p[digits] != '.' || strspn(p + digits + 1, "0123456789") != 2 ||
        p[digits + 3] != '\0')
        return false;
    int64_t fen = strtoll(p, NULL, 10) * 100 + (p[digits + 1] - '0') * 10 + (p[digits + 2] - '0');
    audit__amount(*s == '-' ? -fen : fen, out);
    return true;
}

const char *audit__unit_name(void) { return people_unit_name(unit == AUDIT_UNIT_WAN); }

const char *audit__heading(const char *heading, char *out, size_t cap)
{
    return people_heading(heading, unit == AUDIT_UNIT_WAN, out, cap);
}

void audit__time_text(uint64_t ms, int32_t tz_min, char out[AUDIT_TEXT_TIME_BYTES])
{
    people_time(ms, tz_min, out);
}

void audit__date_text(uint64_t ms, int32_t tz_min, char out[AUDIT_TEXT_TIME_BYTES])
{
    people_date(ms, tz_min, out);
}

void audit__row_open(FILE *f, size_t n, const audit_col cols[], const char *const cells[])
{
    for (size_t i = 0; i < n; i++) {
        const char *s = cells[i] ? cells[i] : "";
        size_t w = cf_text_width(s), want = cols[i].width > 0 ? (size_t)cols[i].width : 0;
        int pad = w < want ? (int)(want - w) : 0;
        if (i > 0) fprintf(f, "%*s", cols[i].gap > 0 ? cols[i].gap : 1, "");
        if (cols[i].right) fprintf(f, "%*s%s", pad, "", s);
        else if (i + 1 < n) fprintf(f, "%s%*s", s, pad, "");
        else fputs(s, f);
    }
}

void audit__fit(audit_col out[], size_t n, const audit_col base[], const char *const head[])
{
    for (size_t i = 0; i < n; i++) {
        out[i] = base[i];
        size_t w = cf_text_width(head[i]);
        if ((i + 1 < n || out[i].right) && (int)w > out[i].width) out[i].width = (int)w;
    }
}

void audit__row(FILE *f, const char *indent, size_t n, const audit_col cols[],
                const char *const cells[])
{
    fputs(indent, f);
    audit__row_open(f, n, cols, cells);
    fputc('\n', f);
}

/* ---- members and projects by their display names (ledger/names.h) ---------- */

struct widest {
    const ledger_kv *kv;
    audit_col *col;
};

static int widest_project(void *arg, const state_project *p)
{
    struct widest *w = arg;
    char cell[NAMES_PROJECT_BYTES];
    size_t n = cf_text_width(names_project_cell(w->kv, p->id, strlen(p->id), cell, sizeof cell));
    if ((int)n > w->col->width) w->col->width = (int)n;
    return CF_OK;
}

static int widest_member(void *arg, const state_member *m)
{
    struct widest *w = arg;
    char label[NAMES_LABEL_BYTES];
    size_t n = cf_text_width(names_member(w->kv, m->key, label, sizeof label));
    if ((int)n > w->col->width) w->col->width = (int)n;
    return CF_OK;
}

void audit__fit_projects(const ledger_kv *kv, audit_col *col)
{
    struct widest w = {kv, col};
    (void)state_projects_each(kv, widest_project, &w);
}

void audit__fit_members(const ledger_kv *kv, audit_col *col)
{
    struct widest w = {kv, col};
    (void)state_members_each(kv, widest_member, &w);
}
