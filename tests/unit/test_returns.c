/* test_returns.c — the returns arithmetic (node/ledger/returns.h) against
 * figures computed independently: Microsoft's documented XIRR example
 * (Excel's XIRR gives 0.373362535 for it), a one-year 10% and -50%, flows
 * out of order, and the undefined cases (no flow changes sign, nothing paid
 * in). Dates come from libc's timegm, not from cofund's calendar code.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <time.h>

#include <cmocka.h>

#include "crypto/cf_error.h"
#include "ledger/query.h"
#include "ledger/report.h"
#include "ledger/returns.h"

static uint64_t day(int y, int m, int d)
{
    struct tm t = {.tm_year = y - 1900, .tm_mon = m - 1, .tm_mday = d};
    return (uint64_t)timegm(&t) * 1000;
}

static void test_xirr_excel_example(void **state)
{
    (void)state;
    /* support.microsoft.com, "XIRR function": -10,000 on 2008-01-01, then
     * 2,750, 4,250, 3,250, 2,750: 0.373362535 (37.34%). */
    const returns_flow f[] = {{day(2008, 1, 1), -1000000}, {day(2008, 3, 1), 275000},
                              {day(2008, 10, 30), 425000}, {day(2009, 2, 15), 325000},
                              {day(2009, 4, 1), 275000}};
    double r;
    assert_int_equal(returns_xirr(f, 5, &r), CF_OK);
    assert_true(r > 0.373362535 - 1e-7 && r < 0.373362535 + 1e-7);
    /* The same flows in another order. */
    const returns_flow g[] = {f[3], f[0], f[4], f[2], f[1]};
    double s;
    assert_int_equal(returns_xirr(g, 5, &s), CF_OK);
    assert_true(s > r - 1e-9 && s < r + 1e-9);
}

static void test_xirr_one_year(void **state)
{
    (void)state;
    /* 2025 has 365 days: 1,100 back for 1,000 a year later is 10%, 500 is -50%. */
    const returns_flow up[] = {{day(2025, 1, 1), -100000}, {day(2026, 1, 1), 110000}};
    const returns_flow down[] = {{day(2025, 1, 1), -100000}, {day(2026, 1, 1), 50000}};
    double r;
    assert_int_equal(returns_xirr(up, 2, &r), CF_OK);
    assert_true(r > 0.1 - 1e-9 && r < 0.1 + 1e-9);
    assert_int_equal(returns_xirr(down, 2, &r), CF_OK);
    assert_true(r > -0.5 - 1e-9 && r < -0.5 + 1e-9);
}

static void test_xirr_undefined(void **state)
{
    (void)state;
    const returns_flow paid[] = {{day(2025, 1, 1), -100000}, {day(2025, 6, 1), -50000}};
    const returns_flow one[] = {{day(2025, 1, 1), 100000}};
    double r = 1.0;
    assert_int_equal(returns_xirr(paid, 2, &r), CF_ENOTFOUND); /* nothing came back */
    assert_int_equal(returns_xirr(one, 1, &r), CF_ENOTFOUND);
    assert_int_equal(returns_xirr(paid, 0, &r), CF_EINVAL);
    assert_true(r == 0.0);
    /* Flows within a day: no annual rate (before: -100%, the bracket's end,
     * for 300,000 paid in and valued at 300,000 a second later). */
    const uint64_t t = day(2025, 1, 1);
    const returns_flow second[] = {{t, -30000000}, {t + 1000, 30000000}};
    const returns_flow hours[] = {{t, -30000000}, {t + RETURNS_DAY_MS - 1, 31000000}};
    const returns_flow a_day[] = {{t, -30000000}, {t + RETURNS_DAY_MS, 30000000}};
    assert_int_equal(returns_xirr(second, 2, &r), CF_ENOTFOUND);
    assert_int_equal(returns_xirr(hours, 2, &r), CF_ENOTFOUND);
    assert_int_equal(returns_xirr(a_day, 2, &r), CF_OK);
    assert_true(r > -1e-9 && r < 1e-9); /* a day apart, the same amount: 0% */
}

static void test_moic(void **state)
{
    (void)state;
    double m;
    assert_int_equal(returns_moic(100000000, 60000000, 90000000, &m), CF_OK);
    assert_true(m > 1.5 - 1e-12 && m < 1.5 + 1e-12);
    assert_int_equal(returns_moic(0, 100, 0, &m), CF_ENOTFOUND);
}

/* A figure that rounds to zero prints without a sign, in JSON and tables. */
static void test_no_negative_zero(void **state)
{
    (void)state;
    query_return r = {0};
    char out[32];
    r.has_irr = true;
    r.irr = -1e-12;
    report_fmt_irr(&r, false, out, sizeof out);
    assert_string_equal(out, "0.000000");
    report_fmt_irr(&r, true, out, sizeof out);
    assert_string_equal(out, "0.00%");
    r.irr = -0.0123;
    report_fmt_irr(&r, false, out, sizeof out);
    assert_string_equal(out, "-0.012300");
    r.has_moic = true;
    r.moic = -0.0;
    report_fmt_moic(&r, false, out, sizeof out);
    assert_string_equal(out, "0.0000");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_xirr_excel_example),
        cmocka_unit_test(test_xirr_one_year),
        cmocka_unit_test(test_xirr_undefined),
        cmocka_unit_test(test_moic),
        cmocka_unit_test(test_no_negative_zero),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
