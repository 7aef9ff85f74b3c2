/* test_i18n.c — the language, display widths and the table format
 * (crypto/cf_i18n.h, node/cli/table.h): what people read, exactly.
 *
 * The message catalogue itself is checked by scripts/i18n (ctest
 * i18n_catalog); here the translation path is exercised with the build's
 * catalogue (COFUND_LOCALEDIR, set by the test's registration). The random
 * unit conversion prints its seed; COFUND_SEED=<n> replays it.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "cli/table.h"
#include "crypto/cf_error.h"
#include "crypto/cf_i18n.h"
#include "ledger/amount.h"
#include "ledger/entry.h"
#include "testutil.h"

#define RANDOM_AMOUNTS 200000

static void lang_is(const char *name, int want_rc, enum cf_lang want)
{
    enum cf_lang got = (enum cf_lang)77;
    int rc = cf_lang_parse(name, &got);
    if (rc != want_rc || (rc == CF_OK && got != want))
        fail_msg("cf_lang_parse(\"%s\"): rc %d lang %d, want rc %d lang %d", name, rc, got,
                 want_rc, want);
}

static void test_lang_names(void **state)
{
    (void)state;
    lang_is("zh", CF_OK, CF_LANG_ZH);
    lang_is("zh_CN", CF_OK, CF_LANG_ZH);
    lang_is("zh_CN.UTF-8", CF_OK, CF_LANG_ZH);
    lang_is("zh-Hans", CF_OK, CF_LANG_ZH);
    lang_is("en", CF_OK, CF_LANG_EN);
    lang_is("en_US.UTF-8", CF_OK, CF_LANG_EN);
    lang_is("C", CF_OK, CF_LANG_EN);
    lang_is("C.UTF-8", CF_OK, CF_LANG_EN);
    lang_is("POSIX", CF_OK, CF_LANG_EN);
    lang_is("fr_FR.UTF-8", CF_EINVAL, CF_LANG_EN);
    lang_is("zhx", CF_EINVAL, CF_LANG_EN);
    lang_is("", CF_EINVAL, CF_LANG_EN);
}

static void env(const char *lc_all, const char *lc_messages, const char *lang, const char *language)
{
    const char *names[] = {"LC_ALL", "LC_MESSAGES", "LANG", "LANGUAGE"};
    const char *vals[] = {lc_all, lc_messages, lang, language};
    for (int i = 0; i < 4; i++) {
        if (vals[i]) setenv(names[i], vals[i], 1);
        else unsetenv(names[i]);
    }
}

/* The environment's language, as gettext reads the same variables. */
static void test_lang_from_env(void **state)
{
    (void)state;
    env(NULL, NULL, NULL, NULL);
    assert_int_equal(cf_lang_from_env(), CF_LANG_EN);
    env(NULL, NULL, "zh_CN.UTF-8", NULL);
    assert_int_equal(cf_lang_from_env(), CF_LANG_ZH);
    env(NULL, "zh_CN.UTF-8", "en_US.UTF-8", NULL);
    assert_int_equal(cf_lang_from_env(), CF_LANG_ZH);
    env("en_US.UTF-8", "zh_CN.UTF-8", NULL, NULL); /* LC_ALL first */
    assert_int_equal(cf_lang_from_env(), CF_LANG_EN);
    env(NULL, NULL, "en_US.UTF-8", "zh_CN:en"); /* LANGUAGE before the locale */
    assert_int_equal(cf_lang_from_env(), CF_LANG_ZH);
    env(NULL, NULL, "C", "zh_CN"); /* ... but not under C, as in gettext */
    assert_int_equal(cf_lang_from_env(), CF_LANG_EN);
    env(NULL, NULL, "fr_FR.UTF-8", NULL); /* a language cofund does not ship */
    assert_int_equal(cf_lang_from_env(), CF_LANG_EN);
    env(NULL, NULL, NULL, NULL);
}

/* The catalogue the build wrote: a message comes back in Chinese, an id it
 * lacks comes back as itself, and English is always the id. */
static void test_translate(void **state)
{
    (void)state;
    const char *id = "10k yuan";
    cf_i18n_init(CF_LANG_ZH, NULL);
    assert_int_equal(cf_i18n_lang(), CF_LANG_ZH);
    const char *zh = cf_tr(id);
    if (strcmp(zh, id) == 0) fail_msg("no Chinese for \"%s\": is the catalogue built?", id);
    assert_string_equal(zh, "万元");
    cli_set_unit(CLI_UNIT_WAN);
    char head[64];
    assert_string_equal(cli_amount_heading("已投放", head, sizeof head), "已投放(万元)");
    cli_set_unit(CLI_UNIT_YUAN);
    assert_string_equal(cf_tr("no such message id, surely"), "no such message id, surely");
    /* one id, two meanings: the context tells them apart */
    assert_string_equal(cf_tr("OUTSTANDING"), "在投余额");
    assert_string_equal(cf_trp("loans", "OUTSTANDING"), "贷款余额");
    assert_string_equal(cf_trp("no such context", "OUTSTANDING"), "OUTSTANDING");
    cf_i18n_init(CF_LANG_EN, NULL);
    assert_string_equal(cf_tr(id), id);
    assert_string_equal(cf_trp("loans", "OUTSTANDING"), "OUTSTANDING");
    assert_string_equal(cf_trn("one entry", "%d entries", 1), "one entry");
    assert_string_equal(cf_trn("one entry", "%d entries", 2), "%d entries");
}

static void test_utf8(void **state)
{
    (void)state;
    const char *ok[] = {"", "abc", "机器人产线", "湘江资本 (A)", "\xF0\x9F\x98\x80", "é"};
    for (size_t i = 0; i < sizeof ok / sizeof ok[0]; i++)
        if (!cf_utf8_valid(ok[i], strlen(ok[i]))) fail_msg("\"%s\" refused", ok[i]);
    const char *bad[] = {"\xC0\xAF",         /* overlong "/" */
                         "\xE0\x80\xAF",     /* overlong */
                         "\xED\xA0\x80",     /* a surrogate */
                         "\xF4\x90\x80\x80", /* past U+10FFFF */
                         "\xE6\x9C",         /* cut short */
                         "\x80",             /* a continuation alone */
                         "\xFF"};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
        if (cf_utf8_valid(bad[i], strlen(bad[i]))) fail_msg("bad UTF-8 #%zu accepted", i);
}

static void test_width(void **state)
{
    (void)state;
    cf_i18n_init(CF_LANG_EN, NULL); /* a UTF-8 LC_CTYPE whatever the environment */
    assert_int_equal(cf_text_width(""), 0);
    assert_int_equal(cf_text_width("robot"), 5);
    assert_int_equal(cf_text_width("机器人产线"), 10);
    assert_int_equal(cf_text_width("A轮"), 3);
    assert_int_equal(cf_text_width("e\xCC\x81"), 1); /* e and a combining acute */
    assert_int_equal(cf_text_width("（全角）"), 8);   /* full-width brackets */
    assert_int_equal(cf_text_width("\xFF"), 1);       /* an invalid byte: one column */
    char out[64];
    cf_text_pad(out, sizeof out, "机器人", 8, false);
    assert_string_equal(out, "机器人  ");
    cf_text_pad(out, sizeof out, "机器人", 8, true);
    assert_string_equal(out, "  机器人");
    cf_text_pad(out, sizeof out, "机器人产线", 4, false); /* wider: whole */
    assert_string_equal(out, "机器人产线");
}

/* Lines break at spaces and beside wide characters, within the width. */
static void test_break(void **state)
{
    (void)state;
    cf_i18n_init(CF_LANG_EN, NULL);
    const char *s = "the quick brown fox";
    assert_int_equal(cf_text_break(s, strlen(s), 10), 9); /* "the quick" */
    assert_int_equal(cf_text_break(s, strlen(s), 80), strlen(s));
    const char *w = "abcdefghijkl mn";
    assert_int_equal(cf_text_break(w, strlen(w), 5), 12); /* a long word whole */
    const char *zh = "每个项目最多三十万元"; /* 10 characters, 20 columns */
    size_t take = cf_text_break(zh, strlen(zh), 9);
    assert_int_equal(take, 4 * 3); /* four characters: 8 columns */
    const char *mixed = "配比 1:1";
    assert_int_equal(cf_text_break(mixed, strlen(mixed), 5), 6); /* before the space */
    /* no line starts with closing punctuation, none ends with opening */
    const char *comma = "每个项目，最多三十万元";
    assert_int_equal(cf_text_break(comma, strlen(comma), 9), 3 * 3); /* 每个项 / 目，… */
    const char *paren = "一二三（四五";
    assert_int_equal(cf_text_break(paren, strlen(paren), 8), 3 * 3); /* 一二三 / （四五 */
}

/* --unit wan is the yuan figure divided by 10,000, exactly. */
static void test_wan_exact(void **state)
{
    (void)state;
    struct {
        int64_t fen;
        const char *wan;
    } cases[] = {
        {30000000, "30.00"},            {123456, "0.123456"},
        {1, "0.000001"},                {100, "0.0001"},
        {INT64_C(100000000000000), "100,000,000.00"}, {600000000, "600.00"},
        {-123456, "-0.123456"},         {0, "0.00"},
        {1234567, "1.234567"},          {1230000, "1.23"},
    };
    char out[CLI_AMOUNT_BYTES];
    cli_set_unit(CLI_UNIT_WAN);
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        cli_amount_text(cases[i].fen, out);
        if (strcmp(out, cases[i].wan) != 0)
            fail_msg("%lld fen: \"%s\", want \"%s\"", (long long)cases[i].fen, out, cases[i].wan);
    }
    uint64_t rng = tu_seed("test_wan_exact");
    for (int i = 0; i < RANDOM_AMOUNTS; i++) {
        int64_t fen = (int64_t)(tu_rng_next(&rng) % (uint64_t)AMOUNT_FEN_MAX) + 1;
        cli_amount_text(fen, out);
        /* digits of the wan text, its decimals padded to six: fen exactly */
        int64_t v = 0;
        int decimals = -1;
        for (const char *p = out; *p; p++) {
            if (*p == ',') continue;
            if (*p == '.') {
                decimals = 0;
                continue;
            }
            v = v * 10 + (*p - '0');
            if (decimals >= 0) decimals++;
        }
        assert_true(decimals >= 2 && decimals <= 6);
        while (decimals++ < 6) v *= 10;
        if (v != fen) fail_msg("%lld fen shown as %s wan", (long long)fen, out);
    }
    cli_set_unit(CLI_UNIT_YUAN);
    cli_amount_text(30000000, out);
    assert_string_equal(out, "300,000.00");
}

static void test_time_text(void **state)
{
    (void)state;
    /* 2026-12-04T09:30:00+08:00 */
    uint64_t ms = UINT64_C(1796347800000);
    char out[CLI_TIME_BYTES];
    cf_i18n_init(CF_LANG_EN, NULL);
    cli_time_text(ms, 480, out);
    assert_string_equal(out, "2026-12-04 09:30 +08:00");
    cli_date_text(ms, 480, out);
    assert_string_equal(out, "2026-12-04");
    cf_i18n_init(CF_LANG_ZH, NULL);
    cli_time_text(ms, 480, out);
    assert_string_equal(out, "2026年12月4日 09:30 +08:00");
    cli_date_text(ms, 0, out); /* 01:30 UTC: the same day */
    assert_string_equal(out, "2026年12月4日");
    cli_date_text(ms - UINT64_C(2) * 3600000, 0, out); /* 23:30 UTC the day before */
    assert_string_equal(out, "2026年12月3日");
    cf_i18n_init(CF_LANG_EN, NULL);
}

/* The display column where `cell` starts on `line` (the line'th of text),
 * and where it ends. */
static void cell_span(const char *text, int line, const char *cell, size_t *start, size_t *end)
{
    const char *p = text;
    for (int i = 0; i < line; i++) p = strchr(p, '\n') + 1;
    const char *at = strstr(p, cell), *nl = strchr(p, '\n');
    if (at == NULL || (nl && at > nl)) fail_msg("\"%s\" not on line %d:\n%s", cell, line, text);
    char before[256];
    snprintf(before, sizeof before, "%.*s", (int)(at - p), p);
    *start = cf_text_width(before);
    *end = *start + cf_text_width(cell);
}

/* cells[i] is on line i; all start (left) or end (right) in one column. */
static void aligned(const char *text, const char *const cells[], int n, bool right)
{
    size_t s0, e0, s, e;
    cell_span(text, 0, cells[0], &s0, &e0);
    for (int i = 1; i < n; i++) {
        cell_span(text, i, cells[i], &s, &e);
        if (right ? e != e0 : s != s0)
            fail_msg("\"%s\" is not aligned with \"%s\":\n%s", cells[i], cells[0], text);
    }
}

static void test_table(void **state)
{
    (void)state;
    cf_i18n_init(CF_LANG_EN, NULL);
    char *buf = NULL, head[64];
    size_t len = 0;
    FILE *f = open_memstream(&buf, &len);
    cli_table *t = cli_table_new();
    cli_table_column(t, "项目", CLI_LEFT);
    cli_table_column(t, "HOLDER", CLI_LEFT);
    cli_table_column(t, cli_amount_heading("已投放", head, sizeof head), CLI_RIGHT);
    cli_table_column(t, "NOTE", CLI_LEFT);
    cli_table_cell(t, "机器人产线");
    cli_table_cell(t, "inv");
    cli_table_amount(t, 30000000);
    cli_table_cell(t, "");
    cli_table_cell(t, "robot");
    cli_table_cell(t, "湘江资本");
    cli_table_amount(t, 150);
    cli_table_cell(t, "有争议");
    assert_int_equal(cli_table_rows(t), 2);
    cli_table_print(t, f, NULL);
    fclose(f);
    assert_non_null(strstr(buf, "已投放 (yuan)"));
    /* no line ends in a blank */
    for (char *p = buf; (p = strchr(p, '\n')); p++) assert_true(p == buf || p[-1] != ' ');
    aligned(buf, (const char *const[]){"项目", "机器人产线", "robot"}, 3, false);
    aligned(buf, (const char *const[]){"HOLDER", "inv", "湘江资本"}, 3, false);
    aligned(buf, (const char *const[]){"已投放 (yuan)", "300,000.00", "1.50"}, 3, true);
    size_t s0, e0, s2, e2;
    cell_span(buf, 0, "NOTE", &s0, &e0);
    cell_span(buf, 2, "有争议", &s2, &e2);
    assert_int_equal(s0, s2);
    free(buf);

    buf = NULL;
    f = open_memstream(&buf, &len);
    t = cli_table_new();
    cli_table_column(t, "PROJECT", CLI_LEFT);
    cli_table_print(t, f, "(none)");
    fclose(f);
    assert_string_equal(buf, "(none)\n");
    free(buf);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_lang_names), cmocka_unit_test(test_lang_from_env),
        cmocka_unit_test(test_translate),  cmocka_unit_test(test_utf8),
        cmocka_unit_test(test_width),      cmocka_unit_test(test_break),
        cmocka_unit_test(test_wan_exact),  cmocka_unit_test(test_time_text),
        cmocka_unit_test(test_table),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
