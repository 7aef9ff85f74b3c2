/* test_entry_codec.c — the entry codec (node/ledger/entry.h): round trips of
 * the structural half of R-ENV (the pinned envelope and every body).
 *
 * - A representative entry of every type is pinned as a hex golden vector
 *   (entry_golden.c). The same entries are also written by a second encoder
 *   (entry_doc.c: hand-written CBOR heads, keys sorted by their encoded
 *   bytes, not taken from entry.c's field tables), so a wrong table cannot
 *   hide behind its own round trip.
 * - Whole inputs: the size limit, trailing bytes, every prefix, non-canonical
 *   items, and a mutation test that flips every bit of every golden entry.
 *
 * Rejections of single fields are in test_entry_reject.c and
 * test_entry_reject_values.c; what the encoder refuses is in
 * test_entry_encode.c.
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

#include "crypto/cbor.h"
#include "crypto/cf_error.h"
#include "entry_doc.h"
#include "entry_golden.h"
#include "ledger/diag.h"
#include "ledger/entry.h"
#include "testutil.h"

/* ---- round trips and golden vectors (R-ENV) ----------------------------- */

static void check_golden(const char *name)
{
    size_t i = 0;
    while (i < NGOLDENS && strcmp(goldens[i].name, name) != 0) i++;
    assert_true(i < NGOLDENS);
    const struct golden *g = &goldens[i];
    entry want, got;
    uint8_t enc[ENTRY_BYTES_MAX], gold[ENTRY_BYTES_MAX];
    size_t len = 0;

    g->make(&want);
    int rc = entry_encode(&want, enc, sizeof enc, &len, &g_diag);
    if (rc != CF_OK) fail_msg("%s: encode %s \"%s\"", name, cf_errname(rc), g_diag.text);
    size_t glen = golden_bytes(i, gold);
    if (glen != len || memcmp(gold, enc, len) != 0) {
        tu_print_hex(name, enc, len);
        fail_msg("%s: encoding differs from the golden vector", name);
    }
    /* The independent encoder agrees byte for byte. */
    g->doc(&g_doc);
    size_t dlen = doc_bytes(&g_doc);
    if (dlen != len || memcmp(g_buf, gold, len) != 0) {
        tu_print_hex("doc", g_buf, dlen);
        fail_msg("%s: the test's own encoder disagrees", name);
    }
    /* Decode: every field as made, texts pointing into the input. */
    expect_accept_bytes(gold, glen, &got);
    entry_equal(&want, &got);
    if (got.type == ENTRY_PROJECT) {
        const char *s = got.body.project.name.s;
        assert_true(s > (const char *)g_held && s < (const char *)g_held + glen);
    }
}

static void test_r_env_genesis_roundtrip_golden(void **state)
{
    (void)state;
    check_golden("genesis");
}

static void test_r_env_member_roundtrip_golden(void **state)
{
    (void)state;
    check_golden("member");
}

/* Display names (R-RENAME): a member registered with one, a member's corrected. */
static void test_r_env_member_display_roundtrip_golden(void **state)
{
    (void)state;
    check_golden("member-display");
    release_held(NULL);
    check_golden("rename-member");
}

static void test_r_env_program_roundtrip_golden(void **state)
{
    (void)state;
    check_golden("program");
    check_golden("program-min");
}

static void test_r_env_project_roundtrip_golden(void **state)
{
    (void)state;
    check_golden("project");
    check_golden("project-min");
}

static void test_r_env_contribution_roundtrip_golden(void **state)
{
    (void)state;
    check_golden("contribution");
    check_golden("contribution-min");
}

static void test_r_env_match_roundtrip_golden(void **state)
{
    (void)state;
    check_golden("match");
}

static void test_r_env_exit_roundtrip_golden(void **state)
{
    (void)state;
    check_golden("exit");
}

/* A member's key replaced, the member retired (R-KEY). */
static void test_r_env_recovery_succession_roundtrip_golden(void **state)
{
    (void)state;
    check_golden("genesis-recovery");
    check_golden("succession");
}

static void test_r_env_rekey_retire_roundtrip_golden(void **state)
{
    (void)state;
    check_golden("rekey");
    release_held(NULL);
    check_golden("retire");
}

/* The corrections (issue 13): reversal, close, amend, rename, bound. */
static void test_r_env_corrections_roundtrip_golden(void **state)
{
    (void)state;
    static const char *const names[] = {"reversal", "reversal-min", "close",      "amend",
                                        "amend-pool", "amend-none", "rename",     "rename-min",
                                        "bound"};
    for (size_t i = 0; i < sizeof names / sizeof names[0]; i++) {
        check_golden(names[i]);
        release_held(NULL);
    }
}

/* The test's encoder on its own: keys sorted by encoded bytes, shortest heads. */
/* The other instruments: programs of each kind and every new entry type. */
static void test_r_env_instrument_roundtrip_golden(void **state)
{
    (void)state;
    static const char *const names[] = {
        "program-pool", "program-leasing", "program-award", "deposit", "withdraw",
        "loan",         "guarantee",       "repay",         "default", "compensation",
        "release",      "lease",           "award"};
    for (size_t i = 0; i < sizeof names / sizeof names[0]; i++) {
        check_golden(names[i]);
        release_held(NULL);
    }
}

static void test_doc_encoder_sorts_like_rfc8949(void **state)
{
    (void)state;
    dmap m = {0};
    g_doc.used = 0;
    m_set(&m, "bb", V_uint(&g_doc, 1));
    m_set(&m, "a", V_uint(&g_doc, 24));
    m_set(&m, "ab", V_uint(&g_doc, 256));
    val v = V_map(&g_doc, &m);
    uint8_t want[32];
    size_t n = tu_unhex("a36161181862616219010062626201", want, sizeof want);
    assert_int_equal(v.len, n);
    assert_memory_equal(g_doc.pool + v.off, want, n);
}

/* ---- bytes: size, trailing, canonical form (R-ENV) ---------------------- */

static void test_r_env_entry_over_16kib_rejected_before_parsing(void **state)
{
    (void)state;
    uint8_t *zeros = calloc(ENTRY_BYTES_MAX + 1, 1);
    assert_non_null(zeros);
    expect_reject_bytes(zeros, ENTRY_BYTES_MAX + 1, CF_ETOOBIG, "entry");
    /* At the limit the size passes and the CBOR is what fails. */
    expect_reject_bytes(zeros, ENTRY_BYTES_MAX, CF_ECBOR_TRAILING, "entry");
    free(zeros);
    doc_genesis(&g_doc); /* otherwise well formed */
    m_set(&g_doc.body, "name", V_rep(&g_doc, 'x', ENTRY_BYTES_MAX));
    doc_reject(&g_doc, CF_ETOOBIG, "entry");
}

static void test_r_env_trailing_bytes_rejected(void **state)
{
    (void)state;
    uint8_t in[ENTRY_BYTES_MAX + 1];
    for (size_t i = 0; i < NGOLDENS; i++) {
        size_t n = golden_bytes(i, in);
        in[n] = 0x00;
        expect_reject_bytes(in, n + 1, CF_ECBOR_TRAILING, "entry");
        in[n] = 0xa0;
        expect_reject_bytes(in, n + 1, CF_ECBOR_TRAILING, "entry");
    }
}

static void test_r_env_truncated_rejected(void **state)
{
    (void)state;
    uint8_t in[ENTRY_BYTES_MAX];
    for (size_t i = 0; i < NGOLDENS; i++) {
        size_t n = golden_bytes(i, in);
        for (size_t k = 0; k < n; k++) {
            entry e;
            uint8_t *p = tu_dup_exact(in, k);
            diag_clear(&g_diag);
            int rc = entry_decode(p, k, &e, &g_diag);
            free(p);
            if (rc == CF_OK) fail_msg("%s: prefix of %zu bytes accepted", goldens[i].name, k);
            assert_string_equal(g_diag.rule, "R-ENV");
        }
    }
}

static void test_r_env_noncanonical_body_rejected(void **state)
{
    (void)state;
    static const struct {
        const char *golden, *path, *hex;
        int code;
    } cases[] = {
        {"exit", "body.amount", "1805", CF_ECBOR_NONCANONICAL},          /* 5 in two bytes */
        {"exit", "body.amount", "1a00000005", CF_ECBOR_NONCANONICAL},
        {"exit", "body.project", "780161", CF_ECBOR_NONCANONICAL},       /* "a", long length */
        {"exit", "body.project", "7f6161ff", CF_ECBOR_UNSUPPORTED},      /* indefinite */
        {"exit", "body.amount", "f93c00", CF_ECBOR_UNSUPPORTED},         /* half float 1.0 */
        {"exit", "body.amount", "fb3ff0000000000000", CF_ECBOR_UNSUPPORTED},
        {"exit", "body.amount", "c11a5f5e1000", CF_ECBOR_UNSUPPORTED},   /* tag 1 */
        {"exit", "body.amount", "f5", CF_ECBOR_UNSUPPORTED},             /* true */
        {"genesis", "body.tz", "3800", CF_ECBOR_NONCANONICAL},           /* -1 long */
        {"program", "body.ratio", "98020101", CF_ECBOR_NONCANONICAL},    /* array count */
        {"member", "body", "b803", CF_ECBOR_NONCANONICAL},               /* map head */
        {"member", "body", "bfff", CF_ECBOR_UNSUPPORTED},               /* indefinite map */
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        doc_by_name(cases[i].golden);
        doc_put(cases[i].path, cases[i].hex);
        doc_reject(&g_doc, cases[i].code, "entry");
        assert_non_null(strstr(g_diag.text, "at byte"));
    }
}

/* ---- what the decoded struct held before ----------------------------------- */

/* The body struct of e's type, from the union (restated here, not taken
 * from entry_fields.c's tables, which the decoder uses). */
static size_t body_bytes(const entry *e)
{
    switch (e->type) {
    case ENTRY_GENESIS: return sizeof e->body.genesis;
    case ENTRY_MEMBER: return sizeof e->body.member;
    case ENTRY_PROGRAM: return sizeof e->body.program;
    case ENTRY_PROJECT: return sizeof e->body.project;
    case ENTRY_CONTRIBUTION: return sizeof e->body.contribution;
    case ENTRY_MATCH: return sizeof e->body.match;
    case ENTRY_EXIT: return sizeof e->body.exit;
    case ENTRY_DEPOSIT: return sizeof e->body.deposit;
    case ENTRY_WITHDRAW: return sizeof e->body.withdraw;
    case ENTRY_LOAN: return sizeof e->body.loan;
    case ENTRY_GUARANTEE: return sizeof e->body.guarantee;
    case ENTRY_REPAY: return sizeof e->body.repay;
    case ENTRY_DEFAULT: return sizeof e->body.loan_default;
    case ENTRY_COMPENSATION: return sizeof e->body.compensation;
    case ENTRY_RELEASE: return sizeof e->body.release;
    case ENTRY_LEASE: return sizeof e->body.lease;
    case ENTRY_AWARD: return sizeof e->body.award;
    case ENTRY_REKEY: return sizeof e->body.rekey;
    case ENTRY_RETIRE: return sizeof e->body.retire;
    case ENTRY_REVERSAL: return sizeof e->body.reversal;
    case ENTRY_CLOSE: return sizeof e->body.close;
    case ENTRY_AMEND: return sizeof e->body.amend;
    case ENTRY_RENAME: return sizeof e->body.rename;
    case ENTRY_BOUND: return sizeof e->body.bound;
    case ENTRY_SUCCESSION: return sizeof e->body.succession;
    case ENTRY_CERTIFY: return sizeof e->body.certify;
    case ENTRY_REVOKE: return sizeof e->body.revoke;
    case ENTRY_SUBSIDY: return sizeof e->body.subsidy;
    case ENTRY_VALUATION: return sizeof e->body.valuation;
    default: fail_msg("type %d has no body here", (int)e->type);
    }
    return 0;
}

/* entry_decode zeroes only the envelope and the entry's own body struct (not
 * the whole union: a match's is 6 KiB). Decoded over a struct full of other
 * bytes, every golden reads exactly as over a zeroed one — the envelope and
 * the whole body struct, absent optional fields and padding included — and
 * writes back to its own bytes. */
static void test_r_env_decode_ignores_what_the_struct_held(void **state)
{
    (void)state;
    uint8_t in[ENTRY_BYTES_MAX], re[ENTRY_BYTES_MAX];
    entry *zeroed = calloc(1, sizeof *zeroed), *held = malloc(sizeof *held);
    assert_true(zeroed != NULL && held != NULL);
    for (size_t g = 0; g < NGOLDENS; g++) {
        size_t n = golden_bytes(g, in), len = 0;
        memset(zeroed, 0, sizeof *zeroed);
        memset(held, 0xa5, sizeof *held);
        if (entry_decode(in, n, zeroed, &g_diag) != CF_OK || entry_decode(in, n, held, &g_diag) != CF_OK)
            fail_msg("%s: %s", goldens[g].name, g_diag.text);
        assert_memory_equal(zeroed, held, offsetof(entry, body));
        if (memcmp(&zeroed->body, &held->body, body_bytes(zeroed)) != 0)
            fail_msg("%s: the body depends on what the struct held", goldens[g].name);
        assert_int_equal(entry_encode(held, re, sizeof re, &len, &g_diag), CF_OK);
        assert_int_equal(len, n);
        assert_memory_equal(re, in, n);
    }
    free(zeroed);
    free(held);
}

/* ---- mutation: every bit of every golden ---------------------------------- */

static void test_r_env_mutation_every_bit(void **state)
{
    (void)state;
    uint8_t in[ENTRY_BYTES_MAX], re[ENTRY_BYTES_MAX];
    size_t accepted = 0, total = 0;
    for (size_t g = 0; g < NGOLDENS; g++) {
        size_t n = golden_bytes(g, in);
        for (size_t bit = 0; bit < 8 * n; bit++) {
            in[bit / 8] ^= (uint8_t)(1u << (bit % 8));
            uint8_t *p = tu_dup_exact(in, n);
            entry e;
            size_t len = 0;
            if (entry_decode(p, n, &e, &g_diag) == CF_OK) {
                accepted++;
                /* The decoder reads in one pass: what it accepts must be
                 * one canonical item as a whole. */
                if (cbor_validate(p, n, NULL) != CF_OK)
                    fail_msg("%s bit %zu: accepted but not canonical CBOR", goldens[g].name, bit);
                int rc = entry_encode(&e, re, sizeof re, &len, &g_diag);
                if (rc != CF_OK || len != n || memcmp(re, p, n) != 0)
                    fail_msg("%s bit %zu: accepted but re-encodes differently (%s)",
                             goldens[g].name, bit, cf_errname(rc));
            }
            free(p);
            in[bit / 8] ^= (uint8_t)(1u << (bit % 8));
            total++;
        }
    }
    print_message("mutation: %zu of %zu flips still decode, all canonical\n", accepted, total);
}

/* ---- names of types and roles --------------------------------------------- */

static void test_type_and_role_names(void **state)
{
    (void)state;
    static const char *const types[] = {NULL,        "genesis",   "member",       "program",
                                        "project",   "contribution", "match",     "exit",
                                        "deposit",   "withdraw",  "loan",         "guarantee",
                                        "repay",     "default",   "compensation", "release",
                                        "lease",     "award",     "rekey",        "retire",
                                        "reversal",  "close",     "amend",        "rename",
                                        "bound",     "succession", "certify",
                                        "revoke",    "subsidy",   "valuation"};
    _Static_assert(sizeof types / sizeof types[0] == ENTRY__TYPES, "every type named");
    for (int t = 1; t < ENTRY__TYPES; t++) {
        assert_string_equal(entry_type_name((enum entry_type)t), types[t]);
        assert_int_equal(entry_type_from_name(types[t], strlen(types[t])), t);
        assert_int_equal(entry_type_from_name(types[t], strlen(types[t]) - 1), 0);
    }
    assert_string_equal(entry_type_name(0), "?");
    assert_string_equal(entry_type_name(ENTRY__TYPES), "?");
    assert_int_equal(entry_type_from_name("", 0), 0);
    static const char *const roles[] = {NULL,   "governance", "fund", "investor",
                                        "team", "auditor",    "bank", "lessor"};
    _Static_assert(sizeof roles / sizeof roles[0] == ROLE__COUNT, "every role named");
    for (int r = 1; r < ROLE__COUNT; r++) {
        assert_string_equal(role_name((enum member_role)r), roles[r]);
        assert_int_equal(role_from_name(roles[r], strlen(roles[r])), r);
    }
    assert_string_equal(role_name(0), "?");
    assert_string_equal(role_name(ROLE__COUNT), "?");
    assert_int_equal(role_from_name("teams", 5), 0);
    static const char *const kinds[] = {NULL, "match", "pool", "leasing", "award", "subsidy"};
    _Static_assert(sizeof kinds / sizeof kinds[0] == PROGRAM__KINDS, "every kind named");
    for (int k = 1; k < PROGRAM__KINDS; k++) {
        assert_string_equal(program_kind_name((enum program_kind)k), kinds[k]);
        assert_int_equal(program_kind_from_name(kinds[k], strlen(kinds[k])), k);
        assert_int_equal(program_kind_from_name(kinds[k], strlen(kinds[k]) - 1), 0);
    }
    assert_string_equal(program_kind_name(0), "?");
    assert_string_equal(program_kind_name(PROGRAM__KINDS), "?");
    static const char *const certs[] = {NULL, "demonstration", "first-set", "local"};
    _Static_assert(sizeof certs / sizeof certs[0] == CERT__KINDS, "every certification named");
    for (int k = 1; k < CERT__KINDS; k++) {
        assert_string_equal(cert_kind_name((enum cert_kind)k), certs[k]);
        assert_int_equal(cert_kind_from_name(certs[k], strlen(certs[k])), k);
        assert_int_equal(cert_kind_from_name(certs[k], strlen(certs[k]) - 1), 0);
    }
    assert_string_equal(cert_kind_name(CERT__KINDS), "?");
    assert_true(entry_text_eq(TXT("abc"), "abc"));
    assert_false(entry_text_eq(entry_text_of("abc", 2), "abc"));
    assert_false(entry_text_eq(TXT("abd"), "abc"));
    assert_true(entry_text_eq(entry_text_of(NULL, 0), ""));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_doc_encoder_sorts_like_rfc8949),
        cmocka_unit_test_teardown(test_r_env_genesis_roundtrip_golden, release_held),
        cmocka_unit_test_teardown(test_r_env_member_roundtrip_golden, release_held),
        cmocka_unit_test_teardown(test_r_env_member_display_roundtrip_golden, release_held),
        cmocka_unit_test_teardown(test_r_env_program_roundtrip_golden, release_held),
        cmocka_unit_test_teardown(test_r_env_project_roundtrip_golden, release_held),
        cmocka_unit_test_teardown(test_r_env_contribution_roundtrip_golden, release_held),
        cmocka_unit_test_teardown(test_r_env_match_roundtrip_golden, release_held),
        cmocka_unit_test_teardown(test_r_env_exit_roundtrip_golden, release_held),
        cmocka_unit_test_teardown(test_r_env_rekey_retire_roundtrip_golden, release_held),
        cmocka_unit_test_teardown(test_r_env_recovery_succession_roundtrip_golden, release_held),
        cmocka_unit_test_teardown(test_r_env_corrections_roundtrip_golden, release_held),
        cmocka_unit_test_teardown(test_r_env_instrument_roundtrip_golden, release_held),
        cmocka_unit_test(test_r_env_entry_over_16kib_rejected_before_parsing),
        cmocka_unit_test(test_r_env_trailing_bytes_rejected),
        cmocka_unit_test(test_r_env_truncated_rejected),
        cmocka_unit_test(test_r_env_noncanonical_body_rejected),
        cmocka_unit_test(test_r_env_decode_ignores_what_the_struct_held),
        cmocka_unit_test(test_r_env_mutation_every_bit),
        cmocka_unit_test(test_type_and_role_names),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
