/* test_entry_reject_subsidy.c — what the entry decoder refuses (R-ENV) in
 * the bodies of certification and subsidies (docs/format.md certify,
 * revoke, subsidy; the subsidy program kind; an award program's
 * `requires`), one defect at a time, each from a golden document
 * (entry_golden_subsidy.c; their missing keys: test_entry_reject.c). What
 * only the rules judge (R-CERT.1's fields by
 * kind, R-SUBSIDY.1's sale or lease, a demonstration basis) decodes.
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

/* A certification kind is one of three names, as text. */
static void test_r_env_certification_kinds(void **state)
{
    (void)state;
    static const char *const bad[] = {"Local", "first_set", "", "demonstrations", "national"};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        doc_certify(&g_doc);
        m_set(&g_doc.body, "kind", V_text(&g_doc, bad[i]));
        doc_reject(&g_doc, CF_EENTRY, "body.kind");
        assert_non_null(strstr(g_diag.text, "must be demonstration, first-set or local"));
        doc_program_subsidy(&g_doc);
        m_set(&g_doc.body, "basis", V_text(&g_doc, bad[i]));
        doc_reject(&g_doc, CF_EENTRY, "body.basis");
        doc_program_award_certified(&g_doc);
        m_set(&g_doc.body, "requires", V_text(&g_doc, bad[i]));
        doc_reject(&g_doc, CF_EENTRY, "body.requires");
    }
    doc_certify(&g_doc);
    m_set(&g_doc.body, "kind", V_uint(&g_doc, 2));
    doc_reject(&g_doc, CF_ECBOR_TYPE, "body.kind");
    /* Kinds the rules refuse there still decode: a demonstration basis
     * (R-SUBSIDY.2), a local requirement (R-AWARD.5). */
    entry e;
    doc_program_subsidy(&g_doc);
    m_set(&g_doc.body, "basis", V_text(&g_doc, "demonstration"));
    doc_accept(&g_doc, &e);
    assert_int_equal(e.body.program.basis, CERT_DEMONSTRATION);
    doc_program_award_certified(&g_doc);
    m_set(&g_doc.body, "requires", V_text(&g_doc, "local"));
    doc_accept(&g_doc, &e);
    assert_int_equal(e.body.program.requires, CERT_LOCAL);
}

/* Each kind's keys only: a subsidy program has no levels, an award program no
 * basis; a certify entry's fields are all decoded, whatever its kind (R-CERT.1
 * judges them). */
static void test_r_env_bodies_follow_their_kind(void **state)
{
    (void)state;
    entry e;
    doc_program_subsidy(&g_doc);
    m_set(&g_doc.body, "leverage", V_uint(&g_doc, 10));
    doc_reject(&g_doc, CF_EENTRY, "body");
    assert_non_null(strstr(g_diag.text, "\"leverage\""));
    doc_program_award(&g_doc);
    m_set(&g_doc.body, "basis", V_text(&g_doc, "local"));
    doc_reject(&g_doc, CF_EENTRY, "body");
    doc_program_subsidy(&g_doc);
    m_del(&g_doc.body, "cap");
    m_del(&g_doc.body, "budget");
    m_del(&g_doc.body, "recipient_cap");
    doc_accept(&g_doc, &e);
    assert_false(e.body.program.has_cap || e.body.program.has_budget ||
                 e.body.program.has_recipient_cap);
    assert_int_equal(entry_program_kind(&e.body.program), PROGRAM_SUBSIDY);
    doc_certify(&g_doc); /* a first-set kind with a year: R-CERT.1's, not R-ENV's */
    m_set(&g_doc.body, "year", V_uint(&g_doc, 2026));
    doc_accept(&g_doc, &e);
    assert_true(e.body.certify.has_year);
    doc_certify(&g_doc);
    m_set(&g_doc.body, "year", V_uint(&g_doc, 1969));
    doc_reject(&g_doc, CF_EENTRY, "body.year");
    doc_certify(&g_doc);
    m_set(&g_doc.body, "price", V_uint(&g_doc, 0));
    doc_reject(&g_doc, CF_EENTRY, "body.price");
    doc_certify(&g_doc);
    m_set(&g_doc.body, "product", V_text(&g_doc, "a\nb"));
    doc_reject(&g_doc, CF_EENTRY, "body.product");
    doc_certify(&g_doc);
    m_set(&g_doc.body, "until", V_uint(&g_doc, TIME_MS_MAX + 1));
    doc_reject(&g_doc, CF_EENTRY, "body.until");
    doc_program_subsidy(&g_doc);
    m_set(&g_doc.body, "share", V_ratio(&g_doc, 11, 10));
    doc_reject(&g_doc, CF_EENTRY, "body.share");
}

/* A subsidy: units 1..1000; the amount and price positive; a sale is an
 * identifier; a lease a reference; neither or both decode (R-SUBSIDY.1
 * refuses them). */
static void test_r_env_subsidy_body(void **state)
{
    (void)state;
    entry e;
    entry_ref refs[2];
    doc_subsidy(&g_doc);
    m_set(&g_doc.body, "units", V_uint(&g_doc, 0));
    doc_reject(&g_doc, CF_EENTRY, "body.units");
    doc_subsidy(&g_doc);
    m_set(&g_doc.body, "units", V_uint(&g_doc, 1001));
    doc_reject(&g_doc, CF_EENTRY, "body.units");
    doc_subsidy(&g_doc);
    m_set(&g_doc.body, "units", V_uint(&g_doc, 1000));
    doc_accept(&g_doc, &e);
    assert_int_equal(e.body.subsidy.units, SUBSIDY_UNITS_MAX);
    doc_subsidy(&g_doc);
    m_set(&g_doc.body, "amount", V_uint(&g_doc, 0));
    doc_reject(&g_doc, CF_EENTRY, "body.amount");
    doc_subsidy(&g_doc);
    m_set(&g_doc.body, "price", V_uint(&g_doc, (uint64_t)AMOUNT_FEN_MAX + 1));
    doc_reject(&g_doc, CF_EENTRY, "body.price");
    doc_subsidy(&g_doc);
    m_set(&g_doc.body, "sale", V_text(&g_doc, "INV 1"));
    doc_reject(&g_doc, CF_EENTRY, "body.sale");
    doc_subsidy(&g_doc);
    m_set(&g_doc.body, "certification", V_neg(&g_doc, 0));
    doc_reject(&g_doc, CF_ECBOR_TYPE, "body.certification");
    dmap r;
    doc_subsidy_lease(&g_doc);
    ref_dmap(&g_doc, &r, 0x20, 5, 0x30);
    m_del(&r, "leaf");
    m_set(&g_doc.body, "lease", V_map(&g_doc, &r));
    doc_reject(&g_doc, CF_EENTRY, "body.lease.leaf");
    doc_subsidy(&g_doc);
    m_del(&g_doc.body, "sale");
    doc_accept(&g_doc, &e);
    assert_false(e.body.subsidy.has_sale || e.body.subsidy.has_lease);
    assert_int_equal(entry_refs(&e, refs, 2), 0);
    doc_subsidy_lease(&g_doc);
    m_set(&g_doc.body, "sale", V_text(&g_doc, "INV-1"));
    doc_accept(&g_doc, &e);
    assert_true(e.body.subsidy.has_sale && e.body.subsidy.has_lease);
    /* A subsidy of a lease cites it (R-FORK reads entry_refs). */
    doc_subsidy_lease(&g_doc);
    doc_accept(&g_doc, &e);
    assert_int_equal(entry_refs(&e, refs, 2), 1);
    assert_int_equal(refs[0].index, 5);
    assert_int_equal(refs[0].author[0], 0x20);
    doc_revoke(&g_doc);
    m_set(&g_doc.body, "reason", V_text(&g_doc, "fraud"));
    doc_reject(&g_doc, CF_EENTRY, "body");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_teardown(test_r_env_certification_kinds, release_held),
        cmocka_unit_test_teardown(test_r_env_bodies_follow_their_kind, release_held),
        cmocka_unit_test_teardown(test_r_env_subsidy_body, release_held),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
