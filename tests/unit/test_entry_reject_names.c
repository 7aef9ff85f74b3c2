/* test_entry_reject_names.c — what the entry decoder refuses (R-ENV) in a
 * member's display name and a rename of a member (docs/format.md member,
 * rename), one defect at a time, each from a golden document
 * (entry_golden_names.c). A member without a display name, and a rename of a
 * project or of the network, decode as they always did; whether the member
 * is registered is the rules' (R-REF, R-RENAME).
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

/* A display name is a *name*: 1..128 bytes of UTF-8 without controls. */
static void test_r_env_member_display(void **state)
{
    (void)state;
    entry e;
    static const char *const bad[] = {"", "a\nb", "del\x7f", "\x1b[31mred", "csi\xc2\x9b[31m"};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        doc_member_display(&g_doc);
        m_set(&g_doc.body, "display", V_text(&g_doc, bad[i]));
        doc_reject(&g_doc, CF_EENTRY, "body.display");
    }
    doc_member_display(&g_doc); /* not UTF-8: the CBOR layer refuses it first */
    m_set(&g_doc.body, "display", V_text(&g_doc, "\xe6\xb9"));
    doc_reject(&g_doc, CF_ECBOR_UTF8, "entry");
    doc_member_display(&g_doc);
    m_set(&g_doc.body, "display", V_text(&g_doc, "\xff"));
    doc_reject(&g_doc, CF_ECBOR_UTF8, "entry");
    doc_member_display(&g_doc);
    m_set(&g_doc.body, "display", V_bytes(&g_doc, 0x41, 4));
    doc_reject(&g_doc, CF_ECBOR_TYPE, "body.display");
    /* 128 bytes (42 CJK characters and two letters) decode; 129 do not. */
    char wide[ENTRY_NAME_BYTES_MAX + 1];
    for (size_t i = 0; i < 42; i++) memcpy(wide + 3 * i, "\xe6\xb9\x98", 3);
    memcpy(wide + 126, "ab", 3);
    doc_member_display(&g_doc);
    m_set(&g_doc.body, "display", V_text(&g_doc, wide));
    doc_accept(&g_doc, &e);
    assert_true(e.body.member.has_display);
    assert_int_equal(e.body.member.display.n, ENTRY_NAME_BYTES_MAX);
    m_set(&g_doc.body, "display", V_rep(&g_doc, 'x', ENTRY_NAME_BYTES_MAX + 1));
    doc_reject(&g_doc, CF_ECBOR_LIMIT, "body.display");
    /* Without it: the member body as it always was. */
    doc_member_display(&g_doc);
    m_del(&g_doc.body, "display");
    doc_accept(&g_doc, &e);
    assert_false(e.body.member.has_display);
    doc_member(&g_doc);
    doc_accept(&g_doc, &e);
    assert_false(e.body.member.has_display);
}

/* A rename names a member (an identifier), a project, or neither. */
static void test_r_env_rename_member(void **state)
{
    (void)state;
    entry e;
    doc_rename_member(&g_doc);
    doc_accept(&g_doc, &e);
    assert_true(e.body.rename.has_member);
    assert_false(e.body.rename.has_project);
    doc_rename_member(&g_doc);
    m_set(&g_doc.body, "member", V_text(&g_doc, "investor a"));
    doc_reject(&g_doc, CF_EENTRY, "body.member");
    doc_rename_member(&g_doc);
    m_set(&g_doc.body, "member", V_text(&g_doc, ""));
    doc_reject(&g_doc, CF_EENTRY, "body.member");
    doc_rename_member(&g_doc);
    m_set(&g_doc.body, "member", V_bytes(&g_doc, 0x10, 32));
    doc_reject(&g_doc, CF_ECBOR_TYPE, "body.member");
    doc_rename_member(&g_doc); /* both: which display name would it correct? */
    m_set(&g_doc.body, "project", V_text(&g_doc, "acme-robotics"));
    doc_reject(&g_doc, CF_EENTRY, "body.project");
    doc_rename_member(&g_doc);
    m_set(&g_doc.body, "name", V_text(&g_doc, "\xe6\xb9\x98\n"));
    doc_reject(&g_doc, CF_EENTRY, "body.name");
    /* A project's and the network's renames decode as they did. */
    doc_rename(&g_doc);
    doc_accept(&g_doc, &e);
    assert_false(e.body.rename.has_member);
    assert_true(e.body.rename.has_project);
    doc_rename_min(&g_doc);
    doc_accept(&g_doc, &e);
    assert_false(e.body.rename.has_member);
    assert_false(e.body.rename.has_project);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_teardown(test_r_env_member_display, release_held),
        cmocka_unit_test_teardown(test_r_env_rename_member, release_held),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
