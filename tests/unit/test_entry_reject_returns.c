/* test_entry_reject_returns.c — what the entry decoder refuses (R-ENV) in
 * an exit's proceeds and a valuation mark (docs/format.md exit, valuation),
 * one defect at a time, each from a golden document
 * (entry_golden_returns.c; their missing keys: test_entry_reject.c). An exit
 * without proceeds decodes as it always did; whether the author may mark
 * the project is the rules' (R-MARK).
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

/* Proceeds: a uint 0 ..= 10^15, optional. */
static void test_r_env_exit_proceeds(void **state)
{
    (void)state;
    entry e;
    doc_exit_proceeds(&g_doc);
    m_set(&g_doc.body, "proceeds", V_uint(&g_doc, (uint64_t)AMOUNT_FEN_MAX + 1));
    doc_reject(&g_doc, CF_EENTRY, "body.proceeds");
    doc_exit_proceeds(&g_doc);
    m_set(&g_doc.body, "proceeds", V_neg(&g_doc, 0));
    doc_reject(&g_doc, CF_ECBOR_TYPE, "body.proceeds");
    doc_exit_proceeds(&g_doc);
    m_set(&g_doc.body, "proceeds", V_text(&g_doc, "700000"));
    doc_reject(&g_doc, CF_ECBOR_TYPE, "body.proceeds");
    doc_exit_proceeds(&g_doc);
    m_set(&g_doc.body, "proceeds", V_uint(&g_doc, (uint64_t)AMOUNT_FEN_MAX));
    doc_accept(&g_doc, &e);
    assert_true(e.body.exit.has_proceeds);
    assert_int_equal(e.body.exit.proceeds_fen, AMOUNT_FEN_MAX);
    doc_exit_proceeds_zero(&g_doc);
    doc_accept(&g_doc, &e);
    assert_true(e.body.exit.has_proceeds);
    assert_int_equal(e.body.exit.proceeds_fen, 0);
    /* Without proceeds: the exit as it always was. */
    doc_exit_proceeds(&g_doc);
    m_del(&g_doc.body, "proceeds");
    doc_accept(&g_doc, &e);
    assert_false(e.body.exit.has_proceeds);
    /* The amount stays an amount: 0 is refused, whatever the proceeds. */
    doc_exit_proceeds(&g_doc);
    m_set(&g_doc.body, "amount", V_uint(&g_doc, 0));
    doc_reject(&g_doc, CF_EENTRY, "body.amount");
}

/* A valuation: a project and a value 0 ..= 10^15; nothing else. */
static void test_r_env_valuation_body(void **state)
{
    (void)state;
    entry e;
    doc_valuation(&g_doc);
    m_set(&g_doc.body, "value", V_uint(&g_doc, (uint64_t)AMOUNT_FEN_MAX + 1));
    doc_reject(&g_doc, CF_EENTRY, "body.value");
    doc_valuation(&g_doc);
    m_set(&g_doc.body, "value", V_neg(&g_doc, 4));
    doc_reject(&g_doc, CF_ECBOR_TYPE, "body.value");
    doc_valuation(&g_doc);
    m_set(&g_doc.body, "project", V_text(&g_doc, "acme robotics"));
    doc_reject(&g_doc, CF_EENTRY, "body.project");
    doc_valuation(&g_doc);
    m_set(&g_doc.body, "program", V_text(&g_doc, "seed"));
    doc_reject(&g_doc, CF_EENTRY, "body");
    doc_valuation(&g_doc);
    m_set(&g_doc.body, "time", V_uint(&g_doc, 1));
    doc_reject(&g_doc, CF_EENTRY, "body");
    doc_valuation_zero(&g_doc);
    doc_accept(&g_doc, &e);
    assert_int_equal(e.type, ENTRY_VALUATION);
    assert_int_equal(e.body.valuation.value_fen, 0);
    assert_int_equal(entry_refs(&e, NULL, 0), 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_teardown(test_r_env_exit_proceeds, release_held),
        cmocka_unit_test_teardown(test_r_env_valuation_body, release_held),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
