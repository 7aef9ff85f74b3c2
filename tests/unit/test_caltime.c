/* test_caltime.c — entry times and the calendar (node/ledger/caltime.h).
 *
 * The civil-date conversions are checked day by day against a calendar
 * stepped forward with the Gregorian leap rule written out here; known
 * timestamps come from Python's datetime. The random round trip prints its
 * seed; set COFUND_SEED=<n> to replay it.
 */
#include <limits.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "crypto/cf_error.h"
#include "ledger/caltime.h"
#include "ledger/entry.h"
#include "testutil.h"

#define MS_PER_DAY UINT64_C(86400000)
#define SENTINEL UINT64_C(777)
#define RANDOM_TIMES 100000
#define TZ8 480 /* +08:00, the network default */

static uint64_t g_seed;

static void expect_parse(const char *s, int32_t tz_min, bool end_of_day, uint64_t want)
{
    uint64_t ms = SENTINEL;
    int rc = caltime_parse(s, tz_min, end_of_day, &ms);
    if (rc != CF_OK || ms != want)
        fail_msg("\"%s\" (tz %d): got %s %llu, want %llu", s, (int)tz_min, cf_errname(rc),
                 (unsigned long long)ms, (unsigned long long)want);
}

/* Refused with `code`, and *ms untouched. */
static void expect_refused(const char *s, int code)
{
    uint64_t ms = SENTINEL;
    int rc = caltime_parse(s, TZ8, false, &ms);
    if (rc != code || ms != SENTINEL)
        fail_msg("\"%s\": got %s (ms %llu), want %s", s, cf_errname(rc),
                 (unsigned long long)ms, cf_errname(code));
}

static void expect_format(uint64_t ms, int32_t tz_min, const char *want)
{
    char out[CALTIME_TEXT_BYTES];
    memset(out, 'x', sizeof out);
    caltime_format(ms, tz_min, out);
    assert_string_equal(out, want);
}

static bool is_leap(int64_t y)
{
    return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
}

static unsigned month_days(int64_t y, unsigned m)
{
    static const unsigned days[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    return m == 2 && is_leap(y) ? 29 : days[m - 1];
}

/* ---- civil dates -------------------------------------------------------- */

/* Every day from 0001-01-01 to 9999-12-31 (1970..2100 included), both
 * directions, against a calendar stepped one day at a time. */
static void test_civil_every_day_year_1_to_9999(void **state)
{
    (void)state;
    int64_t y = 1;
    unsigned m = 1, d = 1;
    int64_t first = caltime_days_from_civil(1, 1, 1);
    assert_int_equal(first, -719162);
    for (int64_t day = first; day <= 2932896; day++) {
        int64_t gy;
        unsigned gm, gd;
        caltime_civil_from_days(day, &gy, &gm, &gd);
        if (gy != y || gm != m || gd != d)
            fail_msg("day %lld: got %lld-%u-%u, want %lld-%u-%u", (long long)day,
                     (long long)gy, gm, gd, (long long)y, m, d);
        if (caltime_days_from_civil(y, m, d) != day)
            fail_msg("%lld-%u-%u: not day %lld", (long long)y, m, d, (long long)day);
        if (++d > month_days(y, m)) {
            d = 1;
            if (++m > 12) {
                m = 1;
                y++;
            }
        }
    }
    assert_int_equal(y, 10000);
}

static void test_civil_known_days(void **state)
{
    (void)state;
    static const struct {
        int64_t y;
        unsigned m, d;
        int64_t days;
    } known[] = {
        {1970, 1, 1, 0},      {1969, 12, 31, -1},     {2000, 1, 1, 10957},
        {2000, 2, 29, 11016}, {2000, 3, 1, 11017},    {1900, 3, 1, -25508},
        {2100, 3, 1, 47541},  {2026, 11, 28, 20785},  {9999, 12, 31, 2932896},
    };
    for (size_t i = 0; i < sizeof known / sizeof known[0]; i++)
        assert_int_equal(caltime_days_from_civil(known[i].y, known[i].m, known[i].d),
                         known[i].days);
}

/* ---- parsing ------------------------------------------------------------ */

static void test_parse_known_timestamps(void **state)
{
    (void)state;
    expect_parse("1970-01-01T00:00:00Z", TZ8, false, 0);
    expect_parse("1970-01-01T00:00:00.000+00:00", TZ8, false, 0);
    expect_parse("2000-02-29T00:00:00Z", TZ8, false, UINT64_C(951782400000));
    expect_parse("2026-11-28T10:00:00+08:00", 0, false, UINT64_C(1795831200000));
    expect_parse("2026-11-28T10:00:00", TZ8, false, UINT64_C(1795831200000));
    expect_parse("9999-12-31T23:59:59.999Z", TZ8, false, TIME_MS_MAX);
}

static void test_parse_date_only_start_or_end_of_day(void **state)
{
    (void)state;
    const uint64_t start = UINT64_C(1795795200000); /* 2026-11-28T00:00+08:00 */
    expect_parse("2026-11-28", TZ8, false, start);
    expect_parse("2026-11-28", TZ8, true, start + MS_PER_DAY - 1);
    expect_parse("2026-11-28", 0, false, start + 8 * 3600000);
    expect_parse("2026-11-28Z", TZ8, false, start + 8 * 3600000);
    expect_parse("2026-11-28+08:00", 0, true, start + MS_PER_DAY - 1);
    expect_parse("9999-12-31", 0, true, TIME_MS_MAX);
    /* end_of_day only applies to a bare date */
    expect_parse("2026-11-28T00:00", TZ8, true, start);
}

static void test_parse_forms(void **state)
{
    (void)state;
    const uint64_t t = UINT64_C(1795831200000); /* 2026-11-28T10:00:00+08:00 */
    expect_parse("2026-11-28T10:00", TZ8, false, t);
    expect_parse("2026-11-28 10:00", TZ8, false, t);
    expect_parse("2026-11-28T10:00:05", TZ8, false, t + 5000);
    expect_parse("2026-11-28 10:00:05.123", TZ8, false, t + 5123);
    expect_parse("2026-11-28T02:00Z", TZ8, false, t);
    expect_parse("2026-11-28T02:00:00.000Z", -300, false, t);
    expect_parse("2026-11-28T10:00:05.123+08:00", 0, false, UINT64_C(1795831205123));
    expect_parse("2026-11-28T10:00:00-05:30", TZ8, false, UINT64_C(1795879800000));
    expect_parse("2026-11-27T21:00-05:00", TZ8, false, t);
    /* the default zone applies only when the text names none */
    expect_parse("2026-11-28T02:00", 0, false, t);
    expect_parse("2026-11-28T04:30", 150, false, t);
    expect_parse("2026-11-27T20:30", -330, false, t);
}

static void test_parse_invalid_dates_and_times_refused(void **state)
{
    (void)state;
    static const char *const bad[] = {
        "2026-02-29", "2024-02-30", "2100-02-29", "2026-13-01", "2026-00-10",
        "2026-01-00", "2026-01-32", "2026-04-31", "2026-06-31", "2026-09-31",
        "2026-11-31", "2026-01-01T24:00", "2026-01-01T23:60", "2026-01-01T23:59:60",
        "2026-1-1", "2026-01-1", "26-01-01",
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) expect_refused(bad[i], CF_EFORMAT);
    expect_parse("2024-02-29", 0, false, UINT64_C(1709164800000));
    expect_parse("2000-02-29", 0, false, UINT64_C(951782400000));
    expect_parse("2026-01-01T23:59:59.999", 0, false, UINT64_C(1767311999999));
}

static void test_parse_malformed_refused(void **state)
{
    (void)state;
    static const char *const bad[] = {
        "", "2026", "2026-01", "2026-01-01x", "2026-01-01T", "2026-01-01T10",
        "2026-01-01T10:0", "2026-01-01T10:00:0", "2026-01-01T10:00:00.",
        "2026-01-01T10:00:00.1", "2026-01-01T10:00:00.12", "2026-01-01T10:00:00.1234",
        "2026-01-01T10:00Zjunk", "2026-01-01T10:00+08:00 ", "2026-01-01T10:00+0800",
        "2026-01-01T10:00+08", "2026-01-01T10:00z", "2026-01-01t10:00",
        "2026-01-01T10:00 +08:00", " 2026-01-01", "+2026-01-01", "2026/01/01",
        "\xef\xbc\x92\xef\xbc\x90\xef\xbc\x92\xef\xbc\x96-01-01", /* fullwidth 2026 */
        "2026-01-01T10:00:00Z+08:00", "2026-01-01T1a:00", "2026-01-01T10:00+08:6x",
        "2026-01-01T10:00+08:60", "2026-01-01T10:00UTC", "2026-01-01T-1:00",
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) expect_refused(bad[i], CF_EFORMAT);
}

static void test_parse_offsets_and_years_out_of_range(void **state)
{
    (void)state;
    expect_refused("2026-01-01T10:00+15:00", CF_ERANGE);
    expect_refused("2026-01-01T10:00+14:01", CF_ERANGE);
    expect_refused("2026-01-01T10:00-12:01", CF_ERANGE);
    expect_refused("2026-01-01T10:00+99:00", CF_ERANGE);
    expect_parse("2026-01-01T00:00+14:00", 0, false, UINT64_C(1767175200000));
    expect_parse("2026-01-01T00:00-12:00", 0, false, UINT64_C(1767268800000));
    expect_refused("1969-12-31T23:59:59.999Z", CF_ERANGE);
    expect_refused("1969-12-31", CF_ERANGE);
    expect_refused("1900-01-01", CF_ERANGE);
    expect_refused("0000-01-01", CF_ERANGE);
    expect_refused("1970-01-01", CF_ERANGE); /* in +08:00 that is before the epoch */
    expect_refused("1970-01-01T07:59:59.999+08:00", CF_ERANGE);
    expect_parse("1970-01-01T08:00+08:00", 0, false, 0);
    expect_parse("1969-12-31T19:00-05:00", 0, false, 0);
    expect_refused("9999-12-31T23:59:59.999-00:01", CF_ERANGE);
    uint64_t ms = SENTINEL;
    assert_int_equal(caltime_parse("9999-12-31", -60, true, &ms), CF_ERANGE);
    assert_int_equal(ms, SENTINEL);
}

static void test_parse_tz(void **state)
{
    (void)state;
    static const struct {
        const char *s;
        int rc;
        int32_t tz;
    } cases[] = {
        {"+08:00", CF_OK, 480},      {"-05:30", CF_OK, -330},     {"Z", CF_OK, 0},
        {"+00:00", CF_OK, 0},        {"-00:00", CF_OK, 0},        {"+14:00", CF_OK, 840},
        {"-12:00", CF_OK, -720},     {"+05:45", CF_OK, 345},      {"+14:01", CF_ERANGE, 0},
        {"-12:30", CF_ERANGE, 0},    {"+15:00", CF_ERANGE, 0},    {"08:00", CF_EFORMAT, 0},
        {"+8:00", CF_EFORMAT, 0},    {"+0800", CF_EFORMAT, 0},    {"", CF_EFORMAT, 0},
        {"+08:00x", CF_EFORMAT, 0},  {"+08:60", CF_EFORMAT, 0},   {"z", CF_EFORMAT, 0},
        {"UTC", CF_EFORMAT, 0},      {"+08:0", CF_EFORMAT, 0},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        int32_t tz = 12345;
        int rc = caltime_parse_tz(cases[i].s, &tz);
        if (rc != cases[i].rc || tz != (rc == CF_OK ? cases[i].tz : 12345))
            fail_msg("\"%s\": got %s %d", cases[i].s, cf_errname(rc), (int)tz);
    }
}

/* ---- calendar year (R-BUDGET's year) ------------------------------------ */

static void test_year_around_new_year_in_plus_8(void **state)
{
    (void)state;
    const uint64_t t = UINT64_C(1767196800000); /* 2025-12-31T16:00:00Z */
    assert_int_equal(caltime_year(t, TZ8), 2026);
    assert_int_equal(caltime_year(t - 1, TZ8), 2025);
    assert_int_equal(caltime_year(t, 0), 2025);
    assert_int_equal(caltime_year(t + 8 * 3600000 - 1, 0), 2025);
    assert_int_equal(caltime_year(t + 8 * 3600000, 0), 2026);
}

static void test_year_around_new_year_in_negative_offsets(void **state)
{
    (void)state;
    const uint64_t utc = UINT64_C(1767225600000); /* 2026-01-01T00:00:00Z */
    assert_int_equal(caltime_year(utc, -300), 2025);
    assert_int_equal(caltime_year(utc + 5 * 3600000 - 1, -300), 2025);
    assert_int_equal(caltime_year(utc + 5 * 3600000, -300), 2026);
    assert_int_equal(caltime_year(utc + 12 * 3600000 - 1, -720), 2025);
    assert_int_equal(caltime_year(utc + 12 * 3600000, -720), 2026);
    assert_int_equal(caltime_year(utc - 14 * 3600000, 840), 2026);
    assert_int_equal(caltime_year(utc - 14 * 3600000 - 1, 840), 2025);
    assert_int_equal(caltime_year(0, -1), 1969);
    assert_int_equal(caltime_year(0, 0), 1970);
    assert_int_equal(caltime_year(TIME_MS_MAX, 0), 9999);
    assert_int_equal(caltime_year(TIME_MS_MAX, 1), 10000);
}

static void test_year_start(void **state)
{
    (void)state;
    assert_int_equal(caltime_year_start(2026, TZ8), UINT64_C(1767196800000));
    assert_int_equal(caltime_year_start(2026, 0), UINT64_C(1767225600000));
    assert_int_equal(caltime_year_start(2026, -300), UINT64_C(1767243600000));
    assert_int_equal(caltime_year_start(1970, 0), 0);
    assert_int_equal(caltime_year_start(1970, -300), UINT64_C(18000000));
    assert_int_equal(caltime_year_start(1970, TZ8), 0); /* before the epoch: 0 */
    assert_int_equal(caltime_year_start(1969, 0), 0);
    assert_int_equal(caltime_year_start(1, 0), 0);
    static const int32_t zones[] = {-720, -330, -1, 0, 345, TZ8, 840};
    for (size_t z = 0; z < sizeof zones / sizeof zones[0]; z++) {
        for (int y = 1971; y <= 9999; y++) {
            uint64_t s = caltime_year_start(y, zones[z]);
            if (caltime_year(s, zones[z]) != y || caltime_year(s - 1, zones[z]) != y - 1)
                fail_msg("year %d in %d: start %llu", y, (int)zones[z], (unsigned long long)s);
        }
    }
}

/* ---- formatting --------------------------------------------------------- */

static void test_format_known(void **state)
{
    (void)state;
    expect_format(0, 0, "1970-01-01T00:00:00.000+00:00");
    expect_format(UINT64_C(1795831200000), TZ8, "2026-11-28T10:00:00.000+08:00");
    expect_format(UINT64_C(1795831205123), TZ8, "2026-11-28T10:00:05.123+08:00");
    expect_format(0, -330, "1969-12-31T18:30:00.000-05:30");
    expect_format(0, 345, "1970-01-01T05:45:00.000+05:45");
    expect_format(TIME_MS_MAX, 0, "9999-12-31T23:59:59.999+00:00");
    expect_format(TIME_MS_MAX, 840, "10000-01-01T13:59:59.999+14:00");
}

/* Public functions take any uint64 time and any int32 offset without
 * undefined behaviour (UBSan watches) or truncation. */
static void test_extremes_without_overflow(void **state)
{
    (void)state;
    expect_format(UINT64_MAX, 840, "584556019-04-04T04:25:51.615+14:00");
    expect_format(0, INT32_MIN, "-2114-12-08T21:52:00.000-35791394:08");
    expect_format(0, INT32_MAX, "6053-01-23T02:07:00.000+35791394:07");
    assert_int_equal(caltime_year(UINT64_MAX, 840), 584556019);
    assert_int_equal(caltime_year(UINT64_MAX, INT32_MAX), 584560102);
    assert_int_equal(caltime_year(0, INT32_MIN), -2114);
    assert_int_equal(caltime_year_start(INT_MAX, 0), UINT64_MAX);
    assert_int_equal(caltime_year_start(INT_MAX, INT32_MIN), UINT64_MAX);
    assert_int_equal(caltime_year_start(INT_MIN, INT32_MIN), 0);
    assert_int_equal(caltime_year_start(2026, INT32_MAX), 0);
}

/* format then parse gives the time back, in any zone. */
static void test_format_parse_round_trip_random(void **state)
{
    (void)state;
    uint64_t s = g_seed;
    char text[CALTIME_TEXT_BYTES];
    for (int i = 0; i < RANDOM_TIMES; i++) {
        uint64_t ms = tu_rng_next(&s) % (TIME_MS_MAX - MS_PER_DAY);
        int32_t tz = (int32_t)(tu_rng_next(&s) % (TZ_MIN_MAX - TZ_MIN_MIN + 1)) + TZ_MIN_MIN;
        if (i % 4 == 0) tz = tz / 60 * 60; /* whole hours are the common case */
        caltime_format(ms, tz, text);
        uint64_t back = SENTINEL;
        int rc = caltime_parse(text, -tz, true, &back); /* the text's zone wins */
        if (rc != CF_OK || back != ms)
            fail_msg("%llu in %d: \"%s\" parsed as %s %llu", (unsigned long long)ms, (int)tz,
                     text, cf_errname(rc), (unsigned long long)back);
    }
}

int main(void)
{
    g_seed = tu_seed("test_caltime");
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_civil_every_day_year_1_to_9999),
        cmocka_unit_test(test_civil_known_days),
        cmocka_unit_test(test_parse_known_timestamps),
        cmocka_unit_test(test_parse_date_only_start_or_end_of_day),
        cmocka_unit_test(test_parse_forms),
        cmocka_unit_test(test_parse_invalid_dates_and_times_refused),
        cmocka_unit_test(test_parse_malformed_refused),
        cmocka_unit_test(test_parse_offsets_and_years_out_of_range),
        cmocka_unit_test(test_parse_tz),
        cmocka_unit_test(test_year_around_new_year_in_plus_8),
        cmocka_unit_test(test_year_around_new_year_in_negative_offsets),
        cmocka_unit_test(test_year_start),
        cmocka_unit_test(test_format_known),
        cmocka_unit_test(test_extremes_without_overflow),
        cmocka_unit_test(test_format_parse_round_trip_random),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
