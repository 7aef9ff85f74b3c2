/* test_amount.c — money in fen and its text forms (node/ledger/amount.h).
 *
 * Amounts are int64 fen, 1 ..= 10^15 (entry.h); the CLI accepts "300000",
 * "300,000.00" and "30万"; JSON carries decimal strings. The random round
 * trip prints its seed; set COFUND_SEED=<n> to replay it.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "crypto/cf_error.h"
#include "ledger/amount.h"
#include "ledger/entry.h"
#include "testutil.h"

#define SENTINEL INT64_C(-777)
#define RANDOM_AMOUNTS 100000

static uint64_t g_seed;

static void expect_parse(const char *s, int64_t want)
{
    int64_t fen = SENTINEL;
    int rc = amount_parse(s, &fen);
    if (rc != CF_OK || fen != want)
        fail_msg("\"%s\": got %s %lld, want %lld", s, cf_errname(rc), (long long)fen,
                 (long long)want);
}

/* Refused with `code`, and *fen untouched. */
static void expect_refused(const char *s, int code)
{
    int64_t fen = SENTINEL;
    int rc = amount_parse(s, &fen);
    if (rc != code || fen != SENTINEL)
        fail_msg("\"%s\": got %s (fen %lld), want %s", s, cf_errname(rc), (long long)fen,
                 cf_errname(code));
}

static void expect_format(int64_t fen, const char *grouped, const char *plain)
{
    char out[AMOUNT_TEXT_BYTES];
    memset(out, 'x', sizeof out);
    amount_format(fen, out);
    assert_string_equal(out, grouped);
    memset(out, 'x', sizeof out);
    amount_format_plain(fen, out);
    assert_string_equal(out, plain);
}

/* ---- parsing ------------------------------------------------------------ */

static void test_parse_plain_and_grouped_yuan(void **state)
{
    (void)state;
    expect_parse("300000", INT64_C(30000000));
    expect_parse("300,000", INT64_C(30000000));
    expect_parse("300,000.00", INT64_C(30000000));
    expect_parse("1", 100);
    expect_parse("999", 99900);
    expect_parse("1,000", 100000);
    expect_parse("12,345,678.90", INT64_C(1234567890));
    expect_parse("6,000,000", INT64_C(600000000));
}

static void test_parse_fraction_down_to_one_fen(void **state)
{
    (void)state;
    expect_parse("300000.5", INT64_C(30000050));
    expect_parse("0.01", 1);
    expect_parse("0.1", 10);
    expect_parse("0.10", 10);
    expect_parse("12.34", 1234);
    expect_parse("1,234.5", 123450);
    expect_refused("1.234", CF_EFORMAT); /* below one fen */
    expect_refused("0.001", CF_EFORMAT);
    expect_refused("1.000", CF_EFORMAT); /* even when the extra digit is 0 */
}

/* 万 = 10,000 yuan = 10^6 fen, so a fraction may have up to six digits. */
static void test_parse_wan(void **state)
{
    (void)state;
    expect_parse("30\xe4\xb8\x87", INT64_C(30000000)); /* 30万 = 300,000 yuan */
    expect_parse("1.5\xe4\xb8\x87", INT64_C(1500000));
    expect_parse("1.234567\xe4\xb8\x87", INT64_C(1234567)); /* 12,345.67 yuan */
    expect_parse("0.000001\xe4\xb8\x87", 1);
    expect_parse("1,000\xe4\xb8\x87", INT64_C(1000000000));
    expect_parse("600\xe4\xb8\x87", INT64_C(600000000)); /* the incubation budget */
    expect_parse("1000000000\xe4\xb8\x87", AMOUNT_FEN_MAX);
    expect_refused("1.2345678\xe4\xb8\x87", CF_EFORMAT); /* sub-fen */
    expect_refused("1000000000.000001\xe4\xb8\x87", CF_ERANGE);
    expect_refused("1000000001\xe4\xb8\x87", CF_ERANGE);
    expect_refused("\xe4\xb8\x87", CF_EFORMAT);
    expect_refused("1\xe4\xb8\x87\xe4\xb8\x87", CF_EFORMAT);
    expect_refused("1 \xe4\xb8\x87", CF_EFORMAT);
    expect_refused("\xe4\xb8\x87" "1", CF_EFORMAT);
    expect_refused("1\xe4\xb8", CF_EFORMAT); /* a truncated 万 */
    expect_refused("1\xe5\x85\x83", CF_EFORMAT); /* 元 is not a unit here */
}

static void test_parse_limit_10e15_fen(void **state)
{
    (void)state;
    expect_parse("10,000,000,000,000.00", AMOUNT_FEN_MAX);
    expect_parse("10000000000000", AMOUNT_FEN_MAX);
    expect_refused("10,000,000,000,000.01", CF_ERANGE);
    expect_refused("10000000000000.1", CF_ERANGE);
    expect_refused("10000000000001", CF_ERANGE);
    expect_refused("92233720368547758.07", CF_ERANGE); /* INT64_MAX fen */
    expect_refused("184467440737095516.16", CF_ERANGE); /* 2^64 fen */
}

static void test_parse_zero_is_out_of_range(void **state)
{
    (void)state;
    expect_refused("0", CF_ERANGE);
    expect_refused("0.00", CF_ERANGE);
    expect_refused("0.0", CF_ERANGE);
    expect_refused("0\xe4\xb8\x87", CF_ERANGE);
    expect_refused("0,000", CF_ERANGE);
}

static void test_parse_malformed_refused(void **state)
{
    (void)state;
    static const char *const bad[] = {
        "", "-5", "+5", "-0.01", "1,0000", ",100", "100,", "1,00", "1.", ".5", "1.234",
        "1e5", "1E5", " 100", "100 ", "\xef\xbc\x91\xef\xbc\x90\xef\xbc\x90", /* １００ */
        "1,000.0.0", "1..0", "1,,000", "1234,567", "12,34,567", "0x10", "1_000", "12a",
        "NaN", "inf", "1.-5", "1,000,00", "1.5,000", "1 000", "1\t", "\n1", "100.00.",
        ".", ",", "1,", "1.,5", "\xd9\xa1", /* Arabic-Indic ١ */
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) expect_refused(bad[i], CF_EFORMAT);
}

/* Long digit strings stop at the limit: no overflow (UBSan watches), the
 * right error, nothing written. */
static void test_parse_huge_digit_strings(void **state)
{
    (void)state;
    char s[4096];
    memset(s, '9', sizeof s - 1);
    s[sizeof s - 1] = '\0';
    expect_refused(s, CF_ERANGE);
    s[0] = '1';
    memset(s + 1, '0', sizeof s - 2);
    expect_refused(s, CF_ERANGE);
    memcpy(s + sizeof s - 4, ".00", 4);
    expect_refused(s, CF_ERANGE);
    /* 184467440737095516.16 is 2^64 fen: the first wrap of a uint64. */
    expect_refused("18446744073709551616", CF_ERANGE);
    expect_refused("1844674407370955161600\xe4\xb8\x87", CF_ERANGE);
    /* Not an amount at all, however long: a format error, not a range one. */
    memset(s, '9', 40);
    strcpy(s + 40, "x");
    expect_refused(s, CF_EFORMAT);
    strcpy(s + 40, ".123");
    expect_refused(s, CF_EFORMAT);
    /* Leading zeros never grow the value. */
    memset(s, '0', 3000);
    strcpy(s + 3000, "1.5");
    expect_parse(s, 150);
}

/* ---- formatting --------------------------------------------------------- */

static void test_format_grouped_and_plain(void **state)
{
    (void)state;
    expect_format(0, "0.00", "0.00");
    expect_format(1, "0.01", "0.01");
    expect_format(10, "0.10", "0.10");
    expect_format(100, "1.00", "1.00");
    expect_format(99999, "999.99", "999.99");
    expect_format(100000, "1,000.00", "1000.00");
    expect_format(123456789, "1,234,567.89", "1234567.89");
    expect_format(INT64_C(30000000), "300,000.00", "300000.00");
    expect_format(AMOUNT_FEN_MAX, "10,000,000,000,000.00", "10000000000000.00");
}

static void test_format_negative_and_int64_edges(void **state)
{
    (void)state;
    expect_format(-1, "-0.01", "-0.01");
    expect_format(-100, "-1.00", "-1.00");
    expect_format(-123456789, "-1,234,567.89", "-1234567.89");
    expect_format(INT64_MAX, "92,233,720,368,547,758.07", "92233720368547758.07");
    expect_format(INT64_MIN, "-92,233,720,368,547,758.08", "-92233720368547758.08");
    expect_format(INT64_MIN + 1, "-92,233,720,368,547,758.07", "-92233720368547758.07");
    char out[AMOUNT_TEXT_BYTES];
    amount_format(INT64_MIN, out);
    assert_true(strlen(out) < AMOUNT_TEXT_BYTES);
}

/* format then parse gives the amount back, for both forms. */
static void test_format_parse_round_trip_random(void **state)
{
    (void)state;
    uint64_t s = g_seed;
    for (int i = 0; i < RANDOM_AMOUNTS; i++) {
        uint64_t r = tu_rng_next(&s);
        /* half uniform, half small (every digit count equally likely) */
        uint64_t mod = i % 2 ? (uint64_t)AMOUNT_FEN_MAX : UINT64_C(1) << (r % 50 + 1);
        int64_t fen = (int64_t)(tu_rng_next(&s) % mod) + 1;
        if (fen > AMOUNT_FEN_MAX) fen = AMOUNT_FEN_MAX;
        char text[AMOUNT_TEXT_BYTES];
        amount_format(fen, text);
        expect_parse(text, fen);
        amount_format_plain(fen, text);
        expect_parse(text, fen);
    }
}

/* ---- arithmetic --------------------------------------------------------- */

static void expect_add(int64_t a, int64_t b, bool ok, int64_t want)
{
    int64_t out = SENTINEL;
    bool got = amount_add(a, b, &out);
    if (got != ok || out != (ok ? want : SENTINEL))
        fail_msg("%lld + %lld: got %d %lld", (long long)a, (long long)b, got, (long long)out);
}

static void test_add_overflow_edges(void **state)
{
    (void)state;
    expect_add(1, 2, true, 3);
    expect_add(AMOUNT_FEN_MAX, AMOUNT_FEN_MAX, true, 2 * AMOUNT_FEN_MAX);
    expect_add(INT64_MAX, 0, true, INT64_MAX);
    expect_add(INT64_MAX - 1, 1, true, INT64_MAX);
    expect_add(INT64_MAX, 1, false, 0);
    expect_add(1, INT64_MAX, false, 0);
    expect_add(INT64_MAX, INT64_MAX, false, 0);
    expect_add(INT64_MIN, 0, true, INT64_MIN);
    expect_add(INT64_MIN, -1, false, 0);
    expect_add(-1, INT64_MIN, false, 0);
    expect_add(INT64_MIN, INT64_MIN, false, 0);
    expect_add(INT64_MAX, INT64_MIN, true, -1);
    expect_add(INT64_MIN + 1, -1, true, INT64_MIN);
    expect_add(1, -1, true, 0);
}

int main(void)
{
    g_seed = tu_seed("test_amount");
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_parse_plain_and_grouped_yuan),
        cmocka_unit_test(test_parse_fraction_down_to_one_fen),
        cmocka_unit_test(test_parse_wan),
        cmocka_unit_test(test_parse_limit_10e15_fen),
        cmocka_unit_test(test_parse_zero_is_out_of_range),
        cmocka_unit_test(test_parse_malformed_refused),
        cmocka_unit_test(test_parse_huge_digit_strings),
        cmocka_unit_test(test_format_grouped_and_plain),
        cmocka_unit_test(test_format_negative_and_int64_edges),
        cmocka_unit_test(test_format_parse_round_trip_random),
        cmocka_unit_test(test_add_overflow_edges),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
