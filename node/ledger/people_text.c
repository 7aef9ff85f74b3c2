/* people_text.c — see people_text.h. */
#include "people_text.h"

#include <stdio.h>
#include <string.h>

#include "amount.h"
#include "caltime.h"
#include "crypto/cf_error.h"
#include "crypto/cf_i18n.h"

int people_parse_unit(const char *s, bool *wan)
{
    if (strcmp(s, "yuan") == 0) *wan = false;
    else if (strcmp(s, "wan") == 0) *wan = true;
    else return CF_EINVAL;
    return CF_OK;
}

void people_amount(int64_t fen, bool wan, char out[PEOPLE_AMOUNT_BYTES])
{
    if (!wan) {
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
    snprintf(out, PEOPLE_AMOUNT_BYTES, "%s%s.%.6s", fen < 0 ? "-" : "", whole, frac);
}

const char *people_unit_name(bool wan)
{
    /* TRANSLATORS: the unit of amounts in a table's headings. */
    return wan ? _("10k yuan") : _("yuan");
}

const char *people_heading(const char *heading, bool wan, char *out, size_t cap)
{
    /* TRANSLATORS: a table heading and the unit of its amounts: "DEPLOYED (yuan)". */
    snprintf(out, cap, _("%s (%s)"), heading, people_unit_name(wan));
    return out;
}

/* caltime_format's "2026-12-04T09:30:00.000+08:00": the date is its first
 * ten characters, the clock five from 11, the zone its last six. */
void people_time(uint64_t ms, int32_t tz_min, char out[PEOPLE_TIME_BYTES])
{
    char iso[CALTIME_TEXT_BYTES], date[PEOPLE_TIME_BYTES];
    caltime_format(ms, tz_min, iso);
    people_date(ms, tz_min, date);
    size_t n = strlen(iso);
    snprintf(out, PEOPLE_TIME_BYTES, "%.40s %.5s %.6s", date, iso + 11, n >= 6 ? iso + n - 6 : "");
}

void people_date(uint64_t ms, int32_t tz_min, char out[PEOPLE_TIME_BYTES])
{
    char iso[CALTIME_TEXT_BYTES];
    int y;
    unsigned mo, d;
    caltime_format(ms, tz_min, iso);
    if (cf_i18n_lang() == CF_LANG_ZH && sscanf(iso, "%d-%u-%u", &y, &mo, &d) == 3)
        snprintf(out, PEOPLE_TIME_BYTES, "%d年%u月%u日", y, mo, d);
    else
        snprintf(out, PEOPLE_TIME_BYTES, "%.10s", iso);
}
