/* audit_text.c — see audit_text.h. */
#include "audit_text.h"

#include <stdlib.h>
#include <string.h>

#include "crypto/cf_error.h"
#include "crypto/cf_i18n.h"
#include "ledger/amount.h"
#include "ledger/caltime.h"
#include "ledger/names.h"

static enum audit_unit unit = AUDIT_UNIT_YUAN;

void audit_set_unit(enum audit_unit u) { unit = u; }
enum audit_unit audit_unit(void) { return unit; }

int audit_parse_unit(const char *s, enum audit_unit *out)
{
    if (strcmp(s, "yuan") == 0) *out = AUDIT_UNIT_YUAN;
    else if (strcmp(s, "wan") == 0) *out = AUDIT_UNIT_WAN;
    else return CF_EINVAL;
    return CF_OK;
}

void audit__amount(int64_t fen, char out[AUDIT_AMOUNT_BYTES])
{
    if (unit == AUDIT_UNIT_YUAN) {
        amount_format(fen, out);
        return;
    }
    /* 1 wan = 1,000,000 fen: the integer part grouped, six decimals exact. */
    uint64_t mag = fen < 0 ? (uint64_t)0 - (uint64_t)fen : (uint64_t)fen;
    char whole[AMOUNT_TEXT_BYTES], frac[16];
    amount_format_count(mag / 1000000u, whole);
    snprintf(frac, sizeof frac, "%06u", (unsigned)(mag % 1000000u));
    size_t n = 6;
    while (n > 2 && frac[n - 1] == '0') n--;
    frac[n] = '\0';
    snprintf(out, AUDIT_AMOUNT_BYTES, "%s%s.%.6s", fen < 0 ? "-" : "", whole, frac);
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

const char *audit__unit_name(void)
{
    /* TRANSLATORS: the unit of amounts in a table's headings. */
    return unit == AUDIT_UNIT_WAN ? _("10k yuan") : _("yuan");
}

const char *audit__heading(const char *heading, char *out, size_t cap)
{
    /* TRANSLATORS: a table heading and the unit of its amounts: "DEPLOYED (yuan)". */
    snprintf(out, cap, _("%s (%s)"), heading, audit__unit_name());
    return out;
}

/* The civil date of ms in tz_min, and caltime's ISO text of it. */
static void time_parts(uint64_t ms, int32_t tz_min, char iso[CALTIME_TEXT_BYTES], int64_t *y,
                       unsigned *mo, unsigned *d)
{
    caltime_format(ms, tz_min, iso);
    int64_t secs = (int64_t)(ms / 1000u) + (int64_t)tz_min * 60;
    int64_t days = secs >= 0 ? secs / 86400 : -((-secs + 86399) / 86400);
    caltime_civil_from_days(days, y, mo, d);
}

void audit__time_text(uint64_t ms, int32_t tz_min, char out[AUDIT_TEXT_TIME_BYTES])
{
    char iso[CALTIME_TEXT_BYTES];
    int64_t y;
    unsigned mo, d;
    time_parts(ms, tz_min, iso, &y, &mo, &d);
    size_t n = strlen(iso);
    const char *zone = n >= 6 ? iso + n - 6 : "";
    const char *clock = strchr(iso, 'T'); /* YYYY-MM-DDTHH:MM:SS.fff±HH:MM */
    clock = clock ? clock + 1 : "";
    if (cf_i18n_lang() == CF_LANG_ZH)
        snprintf(out, AUDIT_TEXT_TIME_BYTES, "%lld年%u月%u日 %.5s %.6s", (long long)y, mo, d,
                 clock, zone);
    else
        snprintf(out, AUDIT_TEXT_TIME_BYTES, "%.*s %.5s %.6s", (int)(clock > iso ? clock - iso - 1 : 0),
                 iso, clock, zone);
}

void audit__date_text(uint64_t ms, int32_t tz_min, char out[AUDIT_TEXT_TIME_BYTES])
{
    char iso[CALTIME_TEXT_BYTES];
    int64_t y;
    unsigned mo, d;
    time_parts(ms, tz_min, iso, &y, &mo, &d);
    if (cf_i18n_lang() == CF_LANG_ZH)
        snprintf(out, AUDIT_TEXT_TIME_BYTES, "%lld年%u月%u日", (long long)y, mo, d);
    else
        snprintf(out, AUDIT_TEXT_TIME_BYTES, "%.*s", (int)strcspn(iso, "T"), iso);
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
