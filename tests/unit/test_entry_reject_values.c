/* test_entry_reject_values.c — what the entry decoder (node/ledger/entry.h)
 * rejects under R-ENV in the values of fields, one defect at a time: each
 * case edits one key of a valid document (entry_doc.h, entry_golden.h) and
 * checks the code, the rule and that the message starts with the field's
 * path. Covered: identifiers and names, amounts, ratios, windows, zones and
 * the limits' messages, roles and the number of citations. Keys, types and
 * bodies are in test_entry_reject.c.
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

/* ---- identifiers and names (R-ENV) -------------------------------------- */

static void test_r_env_id_bad_characters_rejected(void **state)
{
    (void)state;
    static const char *const bad_ids[] = {"", "a b", "a/b", "a:b", "caf\xc3\xa9",
                                          "a\nb", "a+b", "\xe4\xb8\x87", "a@b", "~"};
    for (size_t i = 0; i < sizeof bad_ids / sizeof bad_ids[0]; i++) {
        doc_member(&g_doc);
        m_set(&g_doc.body, "name", V_text(&g_doc, bad_ids[i]));
        doc_reject(&g_doc, CF_EENTRY, "body.name");
        doc_contribution(&g_doc);
        m_set(&g_doc.body, "round", V_text(&g_doc, bad_ids[i]));
        doc_reject(&g_doc, CF_EENTRY, "body.round");
    }
    doc_member(&g_doc); /* an embedded NUL */
    m_set(&g_doc.body, "name", V_textn(&g_doc, "a\0b", 3));
    doc_reject(&g_doc, CF_EENTRY, "body.name");
}

static void test_r_env_id_64_bytes_accepted_65_rejected(void **state)
{
    (void)state;
    entry e;
    doc_program(&g_doc);
    m_set(&g_doc.body, "id", V_rep(&g_doc, 'x', ENTRY_ID_BYTES_MAX));
    doc_accept(&g_doc, &e);
    assert_int_equal(e.body.program.id.n, 64);
    m_set(&g_doc.body, "id", V_rep(&g_doc, 'x', ENTRY_ID_BYTES_MAX + 1));
    doc_reject(&g_doc, CF_ECBOR_LIMIT, "body.id");
    m_set(&g_doc.body, "id", V_text(&g_doc, "A-Z_a.z-09"));
    doc_accept(&g_doc, &e);
}

static void test_r_env_id_charset_exact(void **state)
{
    (void)state;
    for (unsigned c = 0; c < 256; c++) {
        char s[1] = {(char)c};
        bool want = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
                    (c >= '0' && c <= '9') || c == '.' || c == '_' || c == '-';
        assert_int_equal(entry_id_valid(s, 1), want);
    }
    assert_false(entry_id_valid("", 0));
}

static void test_r_env_name_control_chars_rejected(void **state)
{
    (void)state;
    static const char *const bad_names[] = {
        "", "a\nb", "tab\t", "del\x7f", "\x1b[31mred", "cr\r",
        "nel\xc2\x85", "csi\xc2\x9b[31m", /* C1 controls U+0085, U+009B */
    };
    for (size_t i = 0; i < sizeof bad_names / sizeof bad_names[0]; i++) {
        doc_project(&g_doc);
        m_set(&g_doc.body, "name", V_text(&g_doc, bad_names[i]));
        doc_reject(&g_doc, CF_EENTRY, "body.name");
        doc_genesis(&g_doc);
        m_set(&g_doc.body, "name", V_text(&g_doc, bad_names[i]));
        doc_reject(&g_doc, CF_EENTRY, "body.name");
    }
    doc_project(&g_doc);
    m_set(&g_doc.body, "kind", V_textn(&g_doc, "a\0b", 3));
    doc_reject(&g_doc, CF_EENTRY, "body.kind");
    doc_project(&g_doc); /* not UTF-8: the CBOR layer refuses it first */
    m_set(&g_doc.body, "name", V_text(&g_doc, "\xff"));
    doc_reject(&g_doc, CF_ECBOR_UTF8, "entry");
}

static void test_r_env_name_128_bytes_accepted_129_rejected(void **state)
{
    (void)state;
    entry e;
    char wide[ENTRY_NAME_BYTES_MAX + 1];
    for (size_t i = 0; i < 42; i++) memcpy(wide + 3 * i, "\xe6\x9c\xba", 3);
    memcpy(wide + 126, "ab", 3);
    doc_project(&g_doc);
    m_set(&g_doc.body, "name", V_text(&g_doc, wide));
    doc_accept(&g_doc, &e);
    assert_int_equal(e.body.project.name.n, 128);
    m_set(&g_doc.body, "name", V_rep(&g_doc, 'x', ENTRY_NAME_BYTES_MAX));
    doc_accept(&g_doc, &e);
    m_set(&g_doc.body, "name", V_rep(&g_doc, 'x', ENTRY_NAME_BYTES_MAX + 1));
    doc_reject(&g_doc, CF_ECBOR_LIMIT, "body.name");
}

static void test_r_env_member_name_like_a_key_rejected(void **state)
{
    (void)state;
    entry e;
    const char *hex64 = "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef";
    const char *HEX64 = "0123456789ABCDEF0123456789ABCDEF0123456789ABCDEF0123456789ABCDEF";
    doc_member(&g_doc);
    m_set(&g_doc.body, "name", V_text(&g_doc, hex64));
    doc_reject(&g_doc, CF_EENTRY, "body.name");
    m_set(&g_doc.body, "name", V_text(&g_doc, HEX64));
    doc_reject(&g_doc, CF_EENTRY, "body.name");
    m_set(&g_doc.body, "name", V_textn(&g_doc, hex64, 63));
    doc_accept(&g_doc, &e);
    m_set(&g_doc.body, "name", V_text(&g_doc,
          "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdeg"));
    doc_accept(&g_doc, &e);
    doc_genesis(&g_doc);
    m_set(&g_doc.body, "member", V_text(&g_doc, hex64));
    doc_reject(&g_doc, CF_EENTRY, "body.member");
}

/* ---- numbers and sets (R-ENV) ------------------------------------------- */

static void test_r_env_amount_limits(void **state)
{
    (void)state;
    static const struct {
        const char *golden, *path;
    } fields[] = {
        {"contribution", "body.amount"}, {"exit", "body.amount"},
        {"match", "body.amount"},        {"program", "body.cap"},
        {"program", "body.budget"},      {"match", "body.cites[0].amount"},
    };
    const uint64_t max = (uint64_t)AMOUNT_FEN_MAX;
    const struct {
        uint64_t fen;
        bool ok;
    } cases[] = {{0, false}, {1, true}, {max, true}, {max + 1, false}, {UINT64_MAX, false}};
    entry e;
    for (size_t f = 0; f < sizeof fields / sizeof fields[0]; f++) {
        for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
            doc_by_name(fields[f].golden);
            doc_put_val(fields[f].path, V_uint(&g_doc, cases[i].fen));
            if (cases[i].ok) doc_accept(&g_doc, &e);
            else doc_reject(&g_doc, CF_EENTRY, fields[f].path);
        }
    }
}

static void test_r_env_ratio_terms_1_to_1000(void **state)
{
    (void)state;
    static const uint64_t bad[][2] = {{0, 1}, {1, 0}, {0, 0}, {1001, 1}, {1, 1001}, {UINT64_MAX, 1}};
    static const uint64_t good[][2] = {{1, 1}, {1000, 1000}, {1, 1000}, {1000, 1}};
    entry e;
    for (size_t i = 0; i < 6; i++) {
        doc_program(&g_doc);
        m_set(&g_doc.body, "ratio", V_ratio(&g_doc, bad[i][0], bad[i][1]));
        doc_reject(&g_doc, CF_EENTRY, "body.ratio");
    }
    for (size_t i = 0; i < 4; i++) {
        doc_program(&g_doc);
        m_set(&g_doc.body, "ratio", V_ratio(&g_doc, good[i][0], good[i][1]));
        doc_accept(&g_doc, &e);
        assert_int_equal(e.body.program.ratio_num, good[i][0]);
        assert_int_equal(e.body.program.ratio_den, good[i][1]);
    }
}

static void test_r_env_window_up_to_3650_days(void **state)
{
    (void)state;
    entry e;
    doc_program(&g_doc);
    m_set(&g_doc.body, "window_days", V_uint(&g_doc, 0));
    doc_accept(&g_doc, &e);
    assert_int_equal(e.body.program.window_days, 0);
    m_set(&g_doc.body, "window_days", V_uint(&g_doc, WINDOW_DAYS_MAX));
    doc_accept(&g_doc, &e);
    assert_int_equal(e.body.program.window_days, 3650);
    m_set(&g_doc.body, "window_days", V_uint(&g_doc, WINDOW_DAYS_MAX + 1));
    doc_reject(&g_doc, CF_EENTRY, "body.window_days");
    m_set(&g_doc.body, "window_days", V_uint(&g_doc, UINT64_C(1) << 32));
    doc_reject(&g_doc, CF_EENTRY, "body.window_days");
}

static void test_r_env_tz_from_minus_720_to_840(void **state)
{
    (void)state;
    entry e;
    doc_genesis(&g_doc);
    m_set(&g_doc.body, "tz", V_neg(&g_doc, 719)); /* -720 */
    doc_accept(&g_doc, &e);
    assert_int_equal(e.body.genesis.tz_min, -720);
    m_set(&g_doc.body, "tz", V_uint(&g_doc, 840));
    doc_accept(&g_doc, &e);
    assert_int_equal(e.body.genesis.tz_min, 840);
    m_set(&g_doc.body, "tz", V_uint(&g_doc, 0));
    doc_accept(&g_doc, &e);
    assert_int_equal(e.body.genesis.tz_min, 0);
    m_set(&g_doc.body, "tz", V_neg(&g_doc, 720)); /* -721 */
    doc_reject(&g_doc, CF_EENTRY, "body.tz");
    m_set(&g_doc.body, "tz", V_uint(&g_doc, 841));
    doc_reject(&g_doc, CF_EENTRY, "body.tz");
    m_set(&g_doc.body, "tz", V_neg(&g_doc, (uint64_t)INT64_MAX)); /* INT64_MIN */
    doc_reject(&g_doc, CF_EENTRY, "body.tz");
    m_set(&g_doc.body, "tz", V_uint(&g_doc, UINT64_C(1) << 32));
    doc_reject(&g_doc, CF_EENTRY, "body.tz");
}

/* A limit's message states the limit the decoder applies: formatted from the
 * named constant, so the text cannot drift from the check. */
static void test_r_env_limit_messages_state_the_constants(void **state)
{
    (void)state;
    char want[96];
    doc_program(&g_doc);
    m_set(&g_doc.body, "ratio", V_ratio(&g_doc, RATIO_TERM_MAX + 1, 1));
    doc_reject(&g_doc, CF_EENTRY, "body.ratio");
    snprintf(want, sizeof want, "ratio terms must be 1 to %d", RATIO_TERM_MAX);
    assert_non_null(strstr(g_diag.text, want));

    doc_program(&g_doc);
    m_set(&g_doc.body, "window_days", V_uint(&g_doc, WINDOW_DAYS_MAX + 1));
    doc_reject(&g_doc, CF_EENTRY, "body.window_days");
    snprintf(want, sizeof want, "window over %d days", WINDOW_DAYS_MAX);
    assert_non_null(strstr(g_diag.text, want));

    doc_genesis(&g_doc);
    m_set(&g_doc.body, "tz", V_uint(&g_doc, TZ_MIN_MAX + 1));
    doc_reject(&g_doc, CF_EENTRY, "body.tz");
    snprintf(want, sizeof want, "must be %d to %d minutes", TZ_MIN_MIN, TZ_MIN_MAX);
    assert_non_null(strstr(g_diag.text, want));

    doc_program(&g_doc);
    m_set(&g_doc.body, "budget", V_uint(&g_doc, (uint64_t)AMOUNT_FEN_MAX + 1));
    doc_reject(&g_doc, CF_EENTRY, "body.budget");
    assert_non_null(strstr(g_diag.text, "must be 0.01 to 10,000,000,000,000.00"));
}

static void test_r_env_counterpart_roles(void **state)
{
    (void)state;
    static const struct {
        size_t n;
        const char *roles[3];
        uint32_t want; /* 0: rejected */
        int code;
    } cases[] = {
        {1, {"investor"}, ROLE_BIT(ROLE_INVESTOR), CF_OK},
        {1, {"team"}, ROLE_BIT(ROLE_TEAM), CF_OK},
        {2, {"investor", "team"}, ROLE_BIT(ROLE_INVESTOR) | ROLE_BIT(ROLE_TEAM), CF_OK},
        {2, {"team", "investor"}, 0, CF_EENTRY},
        {2, {"investor", "investor"}, 0, CF_EENTRY},
        {2, {"team", "team"}, 0, CF_EENTRY},
        {1, {"fund"}, 0, CF_EENTRY},
        {1, {"auditor"}, 0, CF_EENTRY},
        {1, {"governance"}, 0, CF_EENTRY},
        {1, {"Investor"}, 0, CF_EENTRY},
        {0, {NULL}, 0, CF_EENTRY},
        {3, {"investor", "team", "team"}, 0, CF_ECBOR_LIMIT},
    };
    entry e;
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        doc_program(&g_doc);
        m_set(&g_doc.body, "counterpart", V_texts(&g_doc, cases[i].n, cases[i].roles));
        if (cases[i].code == CF_OK) {
            doc_accept(&g_doc, &e);
            assert_int_equal(e.body.program.counterpart_roles, cases[i].want);
        } else {
            doc_reject(&g_doc, cases[i].code, "body.counterpart");
        }
    }
}

static void test_r_env_member_role(void **state)
{
    (void)state;
    static const char *const ok[] = {"fund", "investor", "team", "auditor", "bank", "lessor"};
    static const enum member_role ok_role[] = {ROLE_FUND,    ROLE_INVESTOR, ROLE_TEAM,
                                               ROLE_AUDITOR, ROLE_BANK,     ROLE_LESSOR};
    static const char *const bad[] = {"governance", "Investor", "", "bogus", "?"};
    entry e;
    for (size_t i = 0; i < 6; i++) {
        doc_member(&g_doc);
        m_set(&g_doc.body, "role", V_text(&g_doc, ok[i]));
        doc_accept(&g_doc, &e);
        assert_int_equal(e.body.member.role, ok_role[i]);
    }
    for (size_t i = 0; i < 5; i++) {
        doc_member(&g_doc);
        m_set(&g_doc.body, "role", V_text(&g_doc, bad[i]));
        doc_reject(&g_doc, CF_EENTRY, "body.role");
    }
    doc_member(&g_doc);
    m_set(&g_doc.body, "role", V_rep(&g_doc, 'a', 17));
    doc_reject(&g_doc, CF_ECBOR_LIMIT, "body.role");
}

static void doc_match_with_cites(size_t n)
{
    val cites[ENTRY_CITES_MAX + 1];
    assert_true(n <= ENTRY_CITES_MAX + 1);
    doc_match(&g_doc);
    for (size_t i = 0; i < n; i++) {
        dmap c;
        cite_dmap(&g_doc, &c, (uint8_t)i, i * 1000, (uint8_t)(0x80 + i), 1 + (int64_t)i);
        cites[i] = V_map(&g_doc, &c);
    }
    m_set(&g_doc.body, "cites", V_array(&g_doc, n, cites));
}

static void test_r_env_cites_64_accepted_65_rejected(void **state)
{
    (void)state;
    entry e;
    doc_match_with_cites(ENTRY_CITES_MAX);
    doc_accept(&g_doc, &e);
    assert_int_equal(e.body.match.ncites, 64);
    assert_int_equal(e.body.match.cites[63].index, 63000);
    assert_int_equal(e.body.match.cites[63].amount_fen, 64);
    assert_int_equal(e.body.match.cites[63].leaf[0], 0x80 + 63);
    doc_match_with_cites(ENTRY_CITES_MAX + 1);
    doc_reject(&g_doc, CF_ECBOR_LIMIT, "body.cites");
    /* None is well formed; R-MATCH.1 (a rule, not the codec) refuses it. */
    doc_match_with_cites(0);
    doc_accept(&g_doc, &e);
    assert_int_equal(e.body.match.ncites, 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_r_env_id_bad_characters_rejected),
        cmocka_unit_test_teardown(test_r_env_id_64_bytes_accepted_65_rejected, release_held),
        cmocka_unit_test(test_r_env_id_charset_exact),
        cmocka_unit_test(test_r_env_name_control_chars_rejected),
        cmocka_unit_test_teardown(test_r_env_name_128_bytes_accepted_129_rejected, release_held),
        cmocka_unit_test_teardown(test_r_env_member_name_like_a_key_rejected, release_held),
        cmocka_unit_test_teardown(test_r_env_amount_limits, release_held),
        cmocka_unit_test_teardown(test_r_env_ratio_terms_1_to_1000, release_held),
        cmocka_unit_test_teardown(test_r_env_window_up_to_3650_days, release_held),
        cmocka_unit_test_teardown(test_r_env_tz_from_minus_720_to_840, release_held),
        cmocka_unit_test_teardown(test_r_env_limit_messages_state_the_constants, release_held),
        cmocka_unit_test_teardown(test_r_env_counterpart_roles, release_held),
        cmocka_unit_test_teardown(test_r_env_member_role, release_held),
        cmocka_unit_test_teardown(test_r_env_cites_64_accepted_65_rejected, release_held),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
