/* test_cli_names.c — how tables name members and projects (node/cli/names.h):
 * a member's display name, else its registered name, else the key's hex
 * prefix, on any of its keys; a project's display name, else its id; a label
 * cut to its buffer on a character boundary; and why a text is not a
 * display name, each problem named. */
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "cli/names.h"
#include "crypto/cf_error.h"
#include "crypto/cf_util.h"
#include "ledger/rules.h"
#include "ledger/state.h"
#include "rules_cases.h"
#include "rules_fixture.h"

#define XJ "\xe6\xb9\x98\xe6\xb1\x9f\xe8\xb5\x84\xe6\x9c\xac" /* 湘江资本 */

static void test_member_label(void **state)
{
    fx *f = *state;
    char buf[CLI_LABEL_BYTES];
    assert_string_equal(cli_member_label(&f->kv, f->keys[FX_INV_A], buf, sizeof buf), "inv-a");
    entry e = fx_entry(f, FX_GOV, ENTRY_RENAME, FX_T0);
    e.body.rename.name = entry_text_of(XJ, strlen(XJ));
    e.body.rename.has_member = true;
    e.body.rename.member = entry_text_of("inv-a", 5);
    ACCEPT(f, &e);
    assert_string_equal(cli_member_label(&f->kv, f->keys[FX_INV_A], buf, sizeof buf), XJ);
    /* An old key of the member reads the same. */
    e = fx_entry(f, FX_GOV, ENTRY_REKEY, FX_T0);
    e.body.rekey.name = entry_text_of("inv-a", 5);
    memcpy(e.body.rekey.key, f->keys[FX_OUTSIDER], 32);
    ACCEPT(f, &e);
    assert_string_equal(cli_member_label(&f->kv, f->keys[FX_OUTSIDER], buf, sizeof buf), XJ);
    assert_string_equal(cli_member_label(&f->kv, f->keys[FX_INV_A], buf, sizeof buf), XJ);
    /* No member: the key's first 16 hex digits. */
    char hex[CF_HEX32_BYTES];
    cf_hex_encode(f->keys[FX_FUND2], 32, hex, sizeof hex);
    hex[16] = '\0';
    assert_string_equal(cli_member_label(&f->kv, f->keys[FX_FUND2], buf, sizeof buf), hex);
    /* Cut on a character boundary: 7 bytes hold two 3-byte characters. */
    char small[8];
    assert_string_equal(cli_member_label(&f->kv, f->keys[FX_INV_A], small, sizeof small),
                        "\xe6\xb9\x98\xe6\xb1\x9f");
}

static void test_project_label(void **state)
{
    fx *f = *state;
    char buf[CLI_LABEL_BYTES];
    state_project p;
    assert_int_equal(state_project_get(&f->kv, "p1", 2, &p), CF_OK);
    assert_string_equal(cli_project_label(&f->kv, "p1", buf, sizeof buf), p.name);
    assert_string_equal(cli_project_label(&f->kv, "nowhere", buf, sizeof buf), "nowhere");
}

static void test_display_problem(void **state)
{
    (void)state;
    char why[128];
    assert_null(cli_display_problem(XJ, why, sizeof why));
    assert_null(cli_display_problem("Investor A Ltd.", why, sizeof why));
    assert_string_equal(cli_display_problem("", why, sizeof why), "it is empty");
    assert_string_equal(cli_display_problem("ab\xff", why, sizeof why),
                        "it is not valid UTF-8 (byte 3)");
    assert_string_equal(cli_display_problem("\xe6\xb9", why, sizeof why),
                        "it is not valid UTF-8 (byte 1)");
    assert_string_equal(cli_display_problem("\xed\xa0\x80", why, sizeof why), /* a surrogate */
                        "it is not valid UTF-8 (byte 1)");
    assert_string_equal(cli_display_problem("a\tb", why, sizeof why),
                        "it holds a control character (byte 2)");
    assert_string_equal(cli_display_problem(XJ "\xc2\x9b", why, sizeof why),
                        "it holds a control character (byte 13)");
    char wide[ENTRY_NAME_BYTES_MAX + 2];
    memset(wide, 'x', sizeof wide - 1);
    wide[sizeof wide - 1] = '\0';
    assert_string_equal(cli_display_problem(wide, why, sizeof why),
                        "it is 129 bytes long, more than 128");
    wide[ENTRY_NAME_BYTES_MAX] = '\0';
    assert_null(cli_display_problem(wide, why, sizeof why));
}

#define T(name) cmocka_unit_test_setup_teardown(name, fx_case_setup, fx_case_teardown)

int main(void)
{
    const struct CMUnitTest tests[] = {
        T(test_member_label),
        T(test_project_label),
        cmocka_unit_test(test_display_problem),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
