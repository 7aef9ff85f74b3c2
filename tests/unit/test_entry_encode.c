/* test_entry_encode.c — the entry encoder (node/ledger/entry.h) refuses
 * under R-ENV what the decoder would reject: bad texts, roles and role sets,
 * numbers out of range, too many citations, a net where none belongs (or
 * none where one does), unknown types and buffers too small; and the largest
 * well-formed entry fits the limit with room to spare.
 */
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
#include "entry_doc.h"
#include "entry_golden.h"
#include "ledger/diag.h"
#include "ledger/entry.h"
#include "testutil.h"

/* ---- the encoder refuses what the decoder would reject (R-ENV) ---------- */

static void expect_encode_reject(const entry *e, int code, const char *field)
{
    uint8_t out[ENTRY_BYTES_MAX];
    size_t len = 0;
    diag_clear(&g_diag);
    int rc = entry_encode(e, out, sizeof out, &len, &g_diag);
    size_t fl = strlen(field);
    bool named = strncmp(g_diag.text, field, fl) == 0 && g_diag.text[fl] == ':';
    if (rc != code || strcmp(g_diag.rule, "R-ENV") != 0 || !named)
        fail_msg("encode: want %s at \"%s\", got %s [%s] \"%s\"", cf_errname(code), field,
                 cf_errname(rc), g_diag.rule, g_diag.text);
}

static void test_r_env_encode_refuses_bad_texts(void **state)
{
    (void)state;
    entry e;
    make_member(&e);
    e.body.member.name = TXT("a b");
    expect_encode_reject(&e, CF_EENTRY, "body.name");
    e.body.member.name = TXT("");
    expect_encode_reject(&e, CF_EENTRY, "body.name");
    e.body.member.name = TXT("0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef");
    expect_encode_reject(&e, CF_EENTRY, "body.name");
    make_project(&e);
    e.body.project.name = TXT("line\nbreak");
    expect_encode_reject(&e, CF_EENTRY, "body.name");
    e.body.project.name = TXT("\xff");
    expect_encode_reject(&e, CF_ECBOR_UTF8, "entry");
    make_project(&e);
    e.body.project.kind = TXT("\x1b[2J");
    expect_encode_reject(&e, CF_EENTRY, "body.kind");
}

static void test_r_env_encode_refuses_bad_roles(void **state)
{
    (void)state;
    entry e;
    static const int bad_roles[] = {ROLE_GOVERNANCE, 0, ROLE__COUNT, 99};
    for (size_t i = 0; i < 4; i++) {
        make_member(&e);
        e.body.member.role = (enum member_role)bad_roles[i];
        expect_encode_reject(&e, CF_EENTRY, "body.role");
    }
    static const uint32_t bad_sets[] = {
        0, ROLE_BIT(ROLE_FUND), ROLE_BIT(ROLE_AUDITOR) | ROLE_BIT(ROLE_TEAM),
        ROLE_BIT(ROLE_GOVERNANCE), 1u | ROLE_BIT(ROLE_INVESTOR), /* bit 0 is no role */
        (1u << 31) | ROLE_BIT(ROLE_TEAM), (1u << ROLE__COUNT) | ROLE_BIT(ROLE_TEAM)};
    for (size_t i = 0; i < sizeof bad_sets / sizeof bad_sets[0]; i++) {
        make_program(&e);
        e.body.program.counterpart_roles = bad_sets[i];
        expect_encode_reject(&e, CF_EENTRY, "body.counterpart");
    }
}

static void test_r_env_encode_refuses_bad_numbers(void **state)
{
    (void)state;
    entry e;
    static const int64_t bad_fen[] = {0, AMOUNT_FEN_MAX + 1, INT64_MAX};
    for (size_t i = 0; i < 3; i++) {
        make_contribution(&e);
        e.body.contribution.amount_fen = bad_fen[i];
        expect_encode_reject(&e, CF_EENTRY, "body.amount");
    }
    make_exit(&e);
    e.body.exit.amount_fen = -1;
    expect_encode_reject(&e, CF_ECBOR_TYPE, "body.amount");
    e.body.exit.amount_fen = INT64_MIN;
    expect_encode_reject(&e, CF_ECBOR_TYPE, "body.amount");
    make_program(&e);
    e.body.program.cap_fen = 0; /* present but zero */
    expect_encode_reject(&e, CF_EENTRY, "body.cap");
    make_program(&e);
    e.body.program.ratio_num = 0;
    expect_encode_reject(&e, CF_EENTRY, "body.ratio");
    e.body.program.ratio_num = 1001;
    expect_encode_reject(&e, CF_EENTRY, "body.ratio");
    make_program(&e);
    e.body.program.window_days = WINDOW_DAYS_MAX + 1;
    expect_encode_reject(&e, CF_EENTRY, "body.window_days");
    make_program(&e);
    e.body.program.start_ms = TIME_MS_MAX + 1;
    expect_encode_reject(&e, CF_EENTRY, "body.start");
    make_genesis(&e);
    e.body.genesis.tz_min = TZ_MIN_MAX + 1;
    expect_encode_reject(&e, CF_EENTRY, "body.tz");
    e.body.genesis.tz_min = INT32_MIN;
    expect_encode_reject(&e, CF_EENTRY, "body.tz");
    make_member(&e);
    e.time_ms = TIME_MS_MAX + 1;
    expect_encode_reject(&e, CF_EENTRY, "time");
    make_match(&e);
    e.body.match.cites[1].amount_fen = 0;
    expect_encode_reject(&e, CF_EENTRY, "body.cites[1].amount");
}

static void test_r_env_encode_refuses_too_many_cites(void **state)
{
    (void)state;
    entry e;
    make_match(&e);
    e.body.match.ncites = ENTRY_CITES_MAX + 1;
    expect_encode_reject(&e, CF_EENTRY, "body.cites");
    e.body.match.ncites = SIZE_MAX;
    expect_encode_reject(&e, CF_EENTRY, "body.cites");
}

static void test_r_env_encode_refuses_net_mismatch(void **state)
{
    (void)state;
    entry e;
    make_genesis(&e);
    e.has_net = true;
    expect_encode_reject(&e, CF_EENTRY, "net");
    make_member(&e);
    e.has_net = false;
    expect_encode_reject(&e, CF_EENTRY, "net");
}

static void test_encode_refuses_unknown_type(void **state)
{
    (void)state;
    entry e;
    uint8_t out[ENTRY_BYTES_MAX];
    size_t len;
    static const int bad_types[] = {0, ENTRY__TYPES, -1, 1000};
    for (size_t i = 0; i < 4; i++) {
        make_member(&e);
        e.type = (enum entry_type)bad_types[i];
        assert_int_equal(entry_encode(&e, out, sizeof out, &len, &g_diag), CF_EINVAL);
    }
}

/* Every buffer too small is CF_ETOOBIG, and nothing lands past cap. */
static void test_r_env_encode_too_big_for_buffer(void **state)
{
    (void)state;
    entry e;
    uint8_t out[ENTRY_BYTES_MAX + 64];
    size_t len = 0, want;
    make_match(&e);
    assert_int_equal(entry_encode(&e, out, sizeof out, &want, &g_diag), CF_OK);
    for (size_t cap = 0; cap < want; cap++) {
        memset(out, 0xee, sizeof out);
        diag_clear(&g_diag);
        assert_int_equal(entry_encode(&e, out, cap, &len, &g_diag), CF_ETOOBIG);
        assert_string_equal(g_diag.rule, "R-ENV");
        for (size_t k = cap; k < sizeof out; k++) assert_int_equal(out[k], 0xee);
    }
    assert_int_equal(entry_encode(&e, out, want, &len, &g_diag), CF_OK);
    assert_int_equal(len, want);
}

/* The largest well-formed entry stays under the limit, so nothing valid is
 * ever refused for size (and ENTRY_BYTES_MAX has room to spare). */
static void test_r_env_largest_entry_fits(void **state)
{
    (void)state;
    entry e;
    uint8_t out[ENTRY_BYTES_MAX];
    size_t len = 0;
    char id[ENTRY_ID_BYTES_MAX];
    memset(id, 'x', sizeof id);
    make_match(&e);
    e.index = e.gov = UINT64_MAX;
    e.time_ms = TIME_MS_MAX;
    e.body.match.program = e.body.match.project = e.body.match.round =
        entry_text_of(id, sizeof id);
    e.body.match.amount_fen = AMOUNT_FEN_MAX;
    e.body.match.ncites = ENTRY_CITES_MAX;
    for (size_t i = 0; i < ENTRY_CITES_MAX; i++)
        cite_make(&e.body.match.cites[i], (uint8_t)i, UINT64_MAX - i, 0x80, AMOUNT_FEN_MAX);
    assert_int_equal(entry_encode(&e, out, sizeof out, &len, &g_diag), CF_OK);
    print_message("largest match: %zu bytes\n", len);
    assert_true(len < ENTRY_BYTES_MAX / 2);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_r_env_encode_refuses_bad_texts),
        cmocka_unit_test(test_r_env_encode_refuses_bad_roles),
        cmocka_unit_test(test_r_env_encode_refuses_bad_numbers),
        cmocka_unit_test(test_r_env_encode_refuses_too_many_cites),
        cmocka_unit_test(test_r_env_encode_refuses_net_mismatch),
        cmocka_unit_test(test_encode_refuses_unknown_type),
        cmocka_unit_test(test_r_env_encode_too_big_for_buffer),
        cmocka_unit_test(test_r_env_largest_entry_fits),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
