/* caltime.c — see caltime.h. The civil-date conversions are Howard
 * Hinnant's public-domain days_from_civil / civil_from_days algorithms. */
#include "caltime.h"

#include <stdio.h>
#include <string.h>

#include "crypto/cf_error.h"
#include "entry.h"

#define MS_PER_DAY INT64_C(86400000)

int64_t caltime_days_from_civil(int64_t y, unsigned m, unsigned d)
{
    y -= m <= 2;
    const int64_t era = (y >= 0 ? y : y - 399) / 400;
    const unsigned yoe = (unsigned)(y - era * 400);
    const unsigned doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
    const unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146097 + (int64_t)doe - 719468;
}

void caltime_civil_from_days(int64_t z, int64_t *y, unsigned *m, unsigned *d)
{
    z += 719468;
    const int64_t era = (z >= 0 ? z : z - 146096) / 146097;
    const unsigned doe = (unsigned)(z - era * 146097);
    const unsigned yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    const unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    const unsigned mp = (5 * doy + 2) / 153;
    *d = doy - (153 * mp + 2) / 5 + 1;
    *m = mp < 10 ? mp + 3 : mp - 9;
    *y = (int64_t)yoe + era * 400 + (*m <= 2);
}

static int64_t floor_div(int64_t a, int64_t b)
{
    int64_t q = a / b;
    return (a % b != 0 && (a < 0) != (b < 0)) ? q - 1 : q;
}

/* Local day number and ms into that day of time_ms in zone tz_min. The
 * offset (|tz_min| * 60000 < 2^47) is added to the ms of the day, never to
 * time_ms itself, so any uint64 time and any int32 offset stay in range. */
static void local_day(uint64_t time_ms, int32_t tz_min, int64_t *days, int64_t *ms_of_day)
{
    int64_t rem = (int64_t)(time_ms % (uint64_t)MS_PER_DAY) + (int64_t)tz_min * 60000;
    int64_t carry = floor_div(rem, MS_PER_DAY);
    *days = (int64_t)(time_ms / (uint64_t)MS_PER_DAY) + carry;
    *ms_of_day = rem - carry * MS_PER_DAY;
}

int caltime_year(uint64_t time_ms, int32_t tz_min)
{
    int64_t days, ms_of_day, y;
    unsigned m, d;
    local_day(time_ms, tz_min, &days, &ms_of_day);
    caltime_civil_from_days(days, &y, &m, &d);
    return (int)y; /* |y| < 600 million for any input */
}

uint64_t caltime_year_start(int year, int32_t tz_min)
{
    /* days * MS_PER_DAY must not overflow: beyond about year 292,000,000
     * (far past any entry time) saturate, leaving room for any offset. */
    const int64_t days_max = INT64_MAX / MS_PER_DAY - 2 * (INT64_C(1) << 47) / MS_PER_DAY;
    int64_t days = caltime_days_from_civil(year, 1, 1);
    if (days > days_max) return UINT64_MAX;
    if (days < -days_max) return 0;
    int64_t ms = days * MS_PER_DAY - (int64_t)tz_min * 60000;
    return ms < 0 ? 0 : (uint64_t)ms;
}

static bool digits(const char *s, size_t n, unsigned *out)
{
    unsigned v = 0;
    for (size_t i = 0; i < n; i++) {
        if (s[i] < '0' || s[i] > '9') return false;
        v = v * 10 + (unsigned)(s[i] - '0');
    }
    *out = v;
    return true;
}

static int parse_offset(const char *s, size_t n, int32_t *tz_min)
{
    unsigned hh, mm;
    if (n == 1 && s[0] == 'Z') {
        *tz_min = 0;
        return CF_OK;
    }
    if (n != 6 || (s[0] != '+' && s[0] != '-') || s[3] != ':' ||
        !digits(s + 1, 2, &hh) || !digits(s + 4, 2, &mm) || mm > 59)
        return CF_EFORMAT;
    int32_t v = (int32_t)(hh * 60 + mm) * (s[0] == '-' ? -1 : 1);
    if (v < TZ_MIN_MIN || v > TZ_MIN_MAX) return CF_ERANGE;
    *tz_min = v;
    return CF_OK;
}

int caltime_parse_tz(const char *s, int32_t *tz_min)
{
    return parse_offset(s, strlen(s), tz_min);
}

int caltime_parse(const char *s, int32_t tz_min, bool end_of_day, uint64_t *ms)
{
    size_t n = strlen(s);
    unsigned y, mo, d, hh = 0, mi = 0, ss = 0, frac = 0;
    bool date_only = true;

    if (n < 10 || !digits(s, 4, &y) || s[4] != '-' || !digits(s + 5, 2, &mo) ||
        s[7] != '-' || !digits(s + 8, 2, &d))
        return CF_EFORMAT;
    size_t i = 10;
    if (i < n && (s[i] == 'T' || s[i] == ' ')) {
        date_only = false;
        if (n < i + 6 || !digits(s + i + 1, 2, &hh) || s[i + 3] != ':' ||
            !digits(s + i + 4, 2, &mi))
            return CF_EFORMAT;
        i += 6;
        if (i < n && s[i] == ':') {
            if (n < i + 3 || !digits(s + i + 1, 2, &ss)) return CF_EFORMAT;
            i += 3;
            if (i < n && s[i] == '.') {
                if (n < i + 4 || !digits(s + i + 1, 3, &frac)) return CF_EFORMAT;
                i += 4;
            }
        }
    }
    if (i < n) {
        int err = parse_offset(s + i, n - i, &tz_min);
        if (err) return err;
    }
    if (mo < 1 || mo > 12 || d < 1 || hh > 23 || mi > 59 || ss > 59) return CF_EFORMAT;
    static const unsigned mdays[] = {31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    bool leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
    if (d > mdays[mo - 1] || (mo == 2 && d == 29 && !leap)) return CF_EFORMAT;

    int64_t t = caltime_days_from_civil(y, mo, d) * MS_PER_DAY +
                (int64_t)(hh * 3600 + mi * 60 + ss) * 1000 + frac;
    if (date_only && end_of_day) t += MS_PER_DAY - 1;
    t -= (int64_t)tz_min * 60000;
    if (t < 0 || (uint64_t)t > TIME_MS_MAX) return CF_ERANGE;
    *ms = (uint64_t)t;
    return CF_OK;
}

void caltime_format(uint64_t ms, int32_t tz_min, char out[CALTIME_TEXT_BYTES])
{
    int64_t days, rem, y;
    unsigned m, d;
    local_day(ms, tz_min, &days, &rem);
    caltime_civil_from_days(days, &y, &m, &d);
    /* |INT32_MIN| does not fit an int32: negate in unsigned arithmetic. */
    unsigned off = tz_min < 0 ? 0u - (unsigned)tz_min : (unsigned)tz_min;
    snprintf(out, CALTIME_TEXT_BYTES, "%04lld-%02u-%02uT%02u:%02u:%02u.%03u%c%02u:%02u",
             (long long)y, m, d, (unsigned)(rem / 3600000), (unsigned)(rem / 60000 % 60),
             (unsigned)(rem / 1000 % 60), (unsigned)(rem % 1000), tz_min < 0 ? '-' : '+',
             off / 60, off % 60);
}
