/* test_entry_reject.c — what the entry decoder (node/ledger/entry.h)
 * rejects under R-ENV, one defect at a time: each case edits one key of a
 * valid document (entry_doc.h, entry_golden.h) and checks the code, the rule
 * and that the message starts with the field's path. Covered here: envelope
 * and body keys (unknown, missing, misplaced, of the wrong type), the version,
 * type, times and envelope integers, and which keys a program's, a
 * reference's, a rekey's and a retire's body may hold. The values of fields
 * (identifiers, names, amounts, ratios, windows, zones, roles, the number of
 * citations) are in test_entry_reject_values.c.
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

/* ---- envelope rejections (R-ENV) ---------------------------------------- */

static bool m_has(const dmap *m, const char *key)
{
    for (size_t i = 0; i < m->n; i++)
        if (strcmp(m->f[i].key, key) == 0) return true;
    return false;
}

static void test_r_env_genesis_with_net_rejected(void **state)
{
    (void)state;
    doc_genesis(&g_doc);
    m_set(&g_doc.env, "net", V_bytes(&g_doc, 0x40, 32));
    doc_reject(&g_doc, CF_EENTRY, "net");
}

static void test_r_env_net_missing_rejected_for_every_other_type(void **state)
{
    (void)state;
    size_t checked = 0;
    for (size_t i = 0; i < NGOLDENS; i++) {
        goldens[i].doc(&g_doc);
        if (!m_has(&g_doc.env, "net")) continue;
        m_del(&g_doc.env, "net");
        doc_reject(&g_doc, CF_EENTRY, "net");
        checked++;
    }
    assert_int_equal(checked, NGOLDENS - 2); /* the two geneses */
}

static void test_r_env_unknown_envelope_key_rejected(void **state)
{
    (void)state;
    static const char *const keys[] = {"x", "sig", "zzzzzzzzzz"};
    for (size_t i = 0; i < 3; i++) {
        doc_genesis(&g_doc); /* seven keys: an eighth is within the count */
        m_set(&g_doc.env, keys[i], V_uint(&g_doc, 0));
        doc_reject(&g_doc, CF_EENTRY, "entry");
        assert_non_null(strstr(g_diag.text, keys[i]));
        doc_member(&g_doc); /* eight keys already: a ninth is named too */
        m_set(&g_doc.env, keys[i], V_uint(&g_doc, 0));
        doc_reject(&g_doc, CF_EENTRY, "entry");
        assert_non_null(strstr(g_diag.text, keys[i]));
    }
}

/* Rejections quote what a peer sent; it must not reach a terminal raw. */
static void test_r_env_quoted_input_is_printable(void **state)
{
    (void)state;
    doc_genesis(&g_doc);
    m_set(&g_doc.env, "\x1b[2J", V_uint(&g_doc, 0));
    doc_reject(&g_doc, CF_EENTRY, "entry");
    assert_null(strchr(g_diag.text, 0x1b));
    doc_member(&g_doc);
    m_set(&g_doc.env, "type", V_text(&g_doc, "\xc2\x9b[31mx\x7f"));
    doc_reject(&g_doc, CF_EENTRY, "type");
    for (const char *c = g_diag.text; *c; c++) assert_true(*c >= 0x20 && *c < 0x7f);
}

static void test_r_env_unknown_body_key_rejected(void **state)
{
    (void)state;
    doc_project_min(&g_doc); /* room for one more key */
    m_set(&g_doc.body, "note", V_text(&g_doc, "x"));
    doc_reject(&g_doc, CF_EENTRY, "body");
    assert_non_null(strstr(g_diag.text, "\"note\""));

    doc_member(&g_doc); /* every key present */
    m_set(&g_doc.body, "memo", V_text(&g_doc, "x"));
    doc_reject(&g_doc, CF_EENTRY, "body");
    assert_non_null(strstr(g_diag.text, "\"memo\""));

    /* a body of another type: its first key is unknown here */
    doc_member(&g_doc);
    m_set(&g_doc.env, "type", V_text(&g_doc, "exit"));
    doc_reject(&g_doc, CF_EENTRY, "body");
    assert_non_null(strstr(g_diag.text, "\"key\""));
}

static void test_r_env_unknown_cite_key_rejected(void **state)
{
    (void)state;
    doc_match(&g_doc);
    dmap c;
    cite_dmap(&g_doc, &c, 0x20, 1, 0x30, 5);
    m_set(&c, "note", V_text(&g_doc, "x"));
    val cites[1] = {V_map(&g_doc, &c)};
    m_set(&g_doc.body, "cites", V_array(&g_doc, 1, cites));
    doc_reject(&g_doc, CF_EENTRY, "body.cites[0]");
    assert_non_null(strstr(g_diag.text, "\"note\""));
}

static void test_r_env_missing_envelope_key_rejected(void **state)
{
    (void)state;
    static const char *const keys[] = {"v", "gov", "body", "time", "type", "index", "author"};
    for (size_t t = 0; t < 2; t++) {
        for (size_t i = 0; i < sizeof keys / sizeof keys[0]; i++) {
            if (t == 0) doc_genesis(&g_doc);
            else doc_member(&g_doc);
            if (strcmp(keys[i], "body") == 0) g_doc.body_raw = true; /* never added */
            else m_del(&g_doc.env, keys[i]);
            doc_reject(&g_doc, CF_EENTRY, keys[i]);
            assert_non_null(strstr(g_diag.text, "missing"));
        }
    }
}

static const struct {
    const char *golden;
    const char *keys[8];
} required_keys[] = {
    {"genesis", {"tz", "name", "member"}},
    {"member", {"key", "name", "role"}},
    {"program", {"id", "kind", "ratio", "start", "operator", "counterpart", "window_days"}},
    {"project", {"id", "name"}},
    {"contribution", {"round", "amount", "project"}},
    {"match", {"cites", "round", "amount", "program", "project"}},
    {"exit", {"amount", "project"}},
    {"program-pool", {"id", "kind", "share", "leverage", "operator"}},
    {"program-leasing", {"id", "kind", "operator"}},
    {"program-award", {"id", "kind", "levels", "operator"}},
    {"deposit", {"amount", "program"}},
    {"withdraw", {"amount", "program"}},
    {"loan", {"amount", "program", "project", "term_months"}},
    {"guarantee", {"loan", "amount", "program"}},
    {"repay", {"loan", "amount"}},
    {"default", {"loan", "loss"}},
    {"compensation", {"amount", "default", "program"}},
    {"release", {"repay", "amount", "program"}},
    {"lease", {"down", "price", "advance", "program", "project", "equipment", "financing"}},
    {"award", {"year", "amount", "program", "project"}},
    {"rekey", {"key", "name", "close"}},
    {"retire", {"name", "close"}},
    {"succession", {"prev", "sigs", "close"}},
    {"program-subsidy", {"id", "kind", "basis", "share", "operator"}},
    {"certify", {"from", "kind", "project"}},
    {"revoke", {"at", "certification"}},
    {"subsidy", {"price", "units", "amount", "program", "project", "certification"}},
    {"exit-proceeds", {"amount", "project"}},
    {"valuation", {"value", "project"}},
};

static void test_r_env_missing_body_key_rejected(void **state)
{
    (void)state;
    char field[64];
    for (size_t t = 0; t < sizeof required_keys / sizeof required_keys[0]; t++) {
        for (size_t i = 0; required_keys[t].keys[i]; i++) {
            doc_by_name(required_keys[t].golden);
            m_del(&g_doc.body, required_keys[t].keys[i]);
            snprintf(field, sizeof field, "body.%s", required_keys[t].keys[i]);
            doc_reject(&g_doc, CF_EENTRY, field);
            assert_non_null(strstr(g_diag.text, "missing"));
        }
    }
}

static void test_r_env_missing_cite_key_rejected(void **state)
{
    (void)state;
    static const char *const keys[] = {"leaf", "index", "amount", "author"};
    char field[64];
    for (size_t i = 0; i < 4; i++) {
        doc_match(&g_doc);
        dmap c1, c2;
        cite_dmap(&g_doc, &c1, 0x20, 1, 0x30, 5);
        cite_dmap(&g_doc, &c2, 0x21, 2, 0x31, 6);
        m_del(&c2, keys[i]);
        val cites[2] = {V_map(&g_doc, &c1), V_map(&g_doc, &c2)};
        m_set(&g_doc.body, "cites", V_array(&g_doc, 2, cites));
        snprintf(field, sizeof field, "body.cites[1].%s", keys[i]);
        doc_reject(&g_doc, CF_EENTRY, field);
    }
}

static void test_r_env_misplaced_or_duplicate_key_rejected(void **state)
{
    (void)state;
    doc_member(&g_doc); /* env keys were added v, net, author, ...: unsorted */
    g_doc.env.unsorted = true;
    doc_reject(&g_doc, CF_ECBOR_KEY_ORDER, "entry");
    doc_member(&g_doc); /* body: key, role, name */
    g_doc.body.unsorted = true;
    doc_reject(&g_doc, CF_ECBOR_KEY_ORDER, "entry");
    doc_exit(&g_doc);
    m_add(&g_doc.body, "amount", V_uint(&g_doc, 1));
    doc_reject(&g_doc, CF_ECBOR_KEY_ORDER, "entry");
}

#define H8 "0000000000000000"
#define BSTR31 "581f" H8 H8 H8 "00000000000000"
#define BSTR33 "5821" H8 H8 H8 H8 "00"

/* One value of the wrong type or shape per field kind. */
static const struct {
    const char *golden, *key; /* key: "body.x", "body.cites[0].x" or an envelope key */
    const char *hex;
    int code;
} wrong_values[] = {
    {"member", "v", "6131", CF_ECBOR_TYPE},
    {"member", "v", "20", CF_ECBOR_TYPE},
    {"member", "gov", "20", CF_ECBOR_TYPE},
    {"member", "gov", "6130", CF_ECBOR_TYPE},
    {"member", "net", "6161", CF_ECBOR_TYPE},
    {"member", "net", BSTR31, CF_ERANGE},
    {"member", "net", BSTR33, CF_ERANGE},
    {"member", "body", "80", CF_ECBOR_TYPE},
    {"member", "body", "01", CF_ECBOR_TYPE},
    {"member", "time", "6130", CF_ECBOR_TYPE},
    {"member", "time", "20", CF_ECBOR_TYPE},
    {"member", "type", "05", CF_ECBOR_TYPE},
    {"member", "type", "4465786974", CF_ECBOR_TYPE},
    {"member", "index", "40", CF_ECBOR_TYPE},
    {"member", "index", "20", CF_ECBOR_TYPE},
    {"member", "author", "a0", CF_ECBOR_TYPE},
    {"member", "author", BSTR31, CF_ERANGE},
    {"member", "body.name", "01", CF_ECBOR_TYPE},              /* F_ID */
    {"member", "body.name", "43616263", CF_ECBOR_TYPE},
    {"project", "body.name", "424141", CF_ECBOR_TYPE},         /* F_NAME */
    {"project", "body.kind", "80", CF_ECBOR_TYPE},
    {"member", "body.key", "6161", CF_ECBOR_TYPE},             /* F_KEY32 */
    {"member", "body.key", BSTR31, CF_ERANGE},
    {"member", "body.key", BSTR33, CF_ERANGE},
    {"member", "body.key", "40", CF_ERANGE},
    {"exit", "body.amount", "20", CF_ECBOR_TYPE},              /* F_AMOUNT */
    {"exit", "body.amount", "6131", CF_ECBOR_TYPE},
    {"program", "body.cap", "a0", CF_ECBOR_TYPE},
    {"program", "body.start", "6131", CF_ECBOR_TYPE},          /* F_TIME */
    {"program", "body.start", "20", CF_ECBOR_TYPE},
    {"member", "body.role", "03", CF_ECBOR_TYPE},              /* F_ROLE */
    {"member", "body.role", "8168696e766573746f72", CF_ECBOR_TYPE},
    {"program", "body.counterpart", "647465616d", CF_ECBOR_TYPE}, /* F_ROLES */
    {"program", "body.counterpart", "8103", CF_ECBOR_TYPE},
    {"program", "body.counterpart", "a0", CF_ECBOR_TYPE},
    {"program", "body.ratio", "01", CF_ECBOR_TYPE},            /* F_RATIO */
    {"program", "body.ratio", "80", CF_EENTRY},
    {"program", "body.ratio", "8101", CF_EENTRY},
    {"program", "body.ratio", "83010101", CF_ECBOR_LIMIT},
    {"program", "body.ratio", "8261316131", CF_ECBOR_TYPE},
    {"program", "body.ratio", "822001", CF_ECBOR_TYPE},
    {"program", "body.window_days", "6131", CF_ECBOR_TYPE},    /* F_DAYS */
    {"program", "body.window_days", "20", CF_ECBOR_TYPE},
    {"genesis", "body.tz", "6131", CF_ECBOR_TYPE},             /* F_TZ */
    {"genesis", "body.tz", "40", CF_ECBOR_TYPE},
    {"genesis", "body.tz", "3bffffffffffffffff", CF_ERANGE},
    {"match", "body.cites", "a0", CF_ECBOR_TYPE},              /* F_CITES */
    {"match", "body.cites", "01", CF_ECBOR_TYPE},
    {"match", "body.cites[0]", "8101", CF_ECBOR_TYPE},
    {"match", "body.cites[0].index", "6131", CF_ECBOR_TYPE},   /* F_UINT */
    {"match", "body.cites[0].index", "20", CF_ECBOR_TYPE},
    {"match", "body.cites[0].leaf", BSTR33, CF_ERANGE},
    {"guarantee", "body.loan", "01", CF_ECBOR_TYPE},           /* F_REF */
    {"guarantee", "body.loan", "80", CF_ECBOR_TYPE},
    {"lease", "body.down", "20", CF_ECBOR_TYPE},               /* F_FEN0 */
    {"lease", "body.down", "1b00038d7ea4c68001", CF_EENTRY},   /* 10^15 + 1 */
    {"lease", "body.price", "00", CF_EENTRY},                  /* the price is an amount */
    {"loan", "body.term_months", "6131", CF_ECBOR_TYPE},       /* F_MONTHS */
    {"loan", "body.term_months", "00", CF_EENTRY},
    {"loan", "body.term_months", "190259", CF_EENTRY},         /* 601 */
    {"award", "body.year", "1907b1", CF_EENTRY},               /* F_YEAR: 1969 */
    {"award", "body.year", "192710", CF_EENTRY},               /* 10000 */
    {"award", "body.year", "20", CF_ECBOR_TYPE},
    {"program-pool", "body.leverage", "00", CF_EENTRY},        /* F_MULT */
    {"program-pool", "body.leverage", "1903e9", CF_EENTRY},    /* 1001 */
    {"program-pool", "body.share", "820a07", CF_EENTRY},       /* F_SHARE: 10/7 */
    {"program-pool", "body.share", "82000a", CF_EENTRY},
    {"program-pool", "body.share", "8107", CF_EENTRY},
    {"program-pool", "body.share", "8219044c1903e9", CF_EENTRY}, /* 1100/1001 */
    {"program-leasing", "body.down", "8218280a", CF_EENTRY},   /* F_PCT: [40, 10] */
    {"program-leasing", "body.down", "82001865", CF_EENTRY},   /* [0, 101] */
    {"program-leasing", "body.financing", "6131", CF_ECBOR_TYPE},
    {"program-award", "body.levels", "80", CF_EENTRY},         /* F_LEVELS */
    {"program-award", "body.levels", "820505", CF_EENTRY},
    {"program-award", "body.levels", "820503", CF_EENTRY},
    {"program-award", "body.levels", "8100", CF_EENTRY},
    {"program-award", "body.levels", "89010203040506070809", CF_ECBOR_LIMIT},
    {"program-award", "body.levels", "05", CF_ECBOR_TYPE},
    {"rekey", "body.key", BSTR31, CF_ERANGE},                  /* R-KEY bodies */
    {"rekey", "body.key", BSTR33, CF_ERANGE},
    {"rekey", "body.key", "6161", CF_ECBOR_TYPE},
    {"rekey", "body.close", "20", CF_ECBOR_TYPE},
    {"rekey", "body.close", "6131", CF_ECBOR_TYPE},
    {"retire", "body.close", "20", CF_ECBOR_TYPE},
    {"retire", "body.name", "6a696e766573746f722061", CF_EENTRY}, /* "investor a": not an id */
    /* R-SUCCEED: the genesis's quorum and recovery keys, a succession's signatures */
    {"genesis-recovery", "body.quorum", "00", CF_EENTRY},
    {"genesis-recovery", "body.quorum", "04", CF_EENTRY}, /* above the 3 keys */
    {"genesis-recovery", "body.quorum", "09", CF_EENTRY}, /* above RECOVERY_KEYS_MAX */
    {"genesis-recovery", "body.recovery", "80", CF_EENTRY},
    {"genesis-recovery", "body.recovery", "825820404142434445464748494a4b4c4d4e4f505152535455565758595a5b5c5d5e5f5820202122232425262728292a2b2c2d2e2f303132333435363738393a3b3c3d3e3f", CF_EENTRY}, /* decreasing */
    {"genesis-recovery", "body.recovery", "825820202122232425262728292a2b2c2d2e2f303132333435363738393a3b3c3d3e3f5820202122232425262728292a2b2c2d2e2f303132333435363738393a3b3c3d3e3f", CF_EENTRY}, /* twice */
    {"genesis-recovery", "body.recovery", "81" BSTR31, CF_ERANGE},
    {"succession", "body.sigs", "80", CF_EENTRY},
    {"succession", "body.sigs", "815820202122232425262728292a2b2c2d2e2f303132333435363738393a3b3c3d3e3f", CF_ECBOR_TYPE},             /* not [key, sig] */
    {"succession", "body.sigs", "81835820202122232425262728292a2b2c2d2e2f303132333435363738393a3b3c3d3e3f58400000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000", CF_ECBOR_LIMIT},       /* three items */
    {"succession", "body.sigs", "81825820202122232425262728292a2b2c2d2e2f303132333435363738393a3b3c3d3e3f583f000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000", CF_ERANGE},         /* a 63-byte sig */
    {"succession", "body.sigs", "82" "825820202122232425262728292a2b2c2d2e2f303132333435363738393a3b3c3d3e3f584000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000" "825820202122232425262728292a2b2c2d2e2f303132333435363738393a3b3c3d3e3f584000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000", CF_EENTRY}, /* one key twice */
    {"succession", "body.prev", BSTR31, CF_ERANGE},
    {"succession", "body.close", "20", CF_ECBOR_TYPE},
};

static void test_r_env_wrong_type_per_field_kind_rejected(void **state)
{
    (void)state;
    for (size_t i = 0; i < sizeof wrong_values / sizeof wrong_values[0]; i++) {
        doc_by_name(wrong_values[i].golden);
        doc_put(wrong_values[i].key, wrong_values[i].hex);
        doc_reject(&g_doc, wrong_values[i].code, wrong_values[i].key);
    }
}

static void test_r_env_not_a_map_rejected(void **state)
{
    (void)state;
    static const uint8_t arr[] = {0x81, 0x01}, empty_map[] = {0xa0};
    expect_reject_bytes(arr, sizeof arr, CF_ECBOR_TYPE, "entry");
    expect_reject_bytes(empty_map, sizeof empty_map, CF_EENTRY, "v");
    expect_reject_bytes(arr, 0, CF_ECBOR_TRUNCATED, "entry");
}

static void test_r_env_version_other_than_1_rejected(void **state)
{
    (void)state;
    static const uint64_t bad_v[] = {0, 2, 24, UINT64_MAX};
    for (size_t i = 0; i < 4; i++) {
        doc_member(&g_doc);
        m_set(&g_doc.env, "v", V_uint(&g_doc, bad_v[i]));
        doc_reject(&g_doc, CF_EENTRY, "v");
    }
}

static void test_r_env_unknown_type_name_rejected(void **state)
{
    (void)state;
    static const char *const names[] = {"vote", "Member", "", "member ", "genesi"};
    for (size_t i = 0; i < 5; i++) {
        doc_member(&g_doc);
        m_set(&g_doc.env, "type", V_text(&g_doc, names[i]));
        doc_reject(&g_doc, CF_EENTRY, "type");
    }
}

static void test_r_env_time_beyond_year_9999_rejected(void **state)
{
    (void)state;
    entry e;
    doc_member(&g_doc);
    m_set(&g_doc.env, "time", V_uint(&g_doc, TIME_MS_MAX));
    doc_accept(&g_doc, &e);
    assert_int_equal(e.time_ms, TIME_MS_MAX);
    m_set(&g_doc.env, "time", V_uint(&g_doc, TIME_MS_MAX + 1));
    doc_reject(&g_doc, CF_EENTRY, "time");
    doc_program(&g_doc);
    m_set(&g_doc.body, "start", V_uint(&g_doc, TIME_MS_MAX));
    doc_accept(&g_doc, &e);
    m_set(&g_doc.body, "start", V_uint(&g_doc, TIME_MS_MAX + 1));
    doc_reject(&g_doc, CF_EENTRY, "body.start");
    m_set(&g_doc.body, "start", V_uint(&g_doc, UINT64_MAX));
    doc_reject(&g_doc, CF_EENTRY, "body.start");
}

static void test_r_env_envelope_integers_full_range_accepted(void **state)
{
    (void)state;
    entry e;
    doc_member(&g_doc);
    m_set(&g_doc.env, "index", V_uint(&g_doc, UINT64_MAX));
    m_set(&g_doc.env, "gov", V_uint(&g_doc, UINT64_MAX - 1));
    m_set(&g_doc.env, "time", V_uint(&g_doc, 0));
    doc_accept(&g_doc, &e);
    assert_int_equal(e.index, UINT64_MAX);
    assert_int_equal(e.gov, UINT64_MAX - 1);
    assert_int_equal(e.time_ms, 0);
}

/* ---- bodies by type and kind (R-ENV) ------------------------------------ */

/* A program's body is decoded with its kind's table: find "kind", then
 * walk the body with that table. */
static void test_r_env_program_body_follows_its_kind(void **state)
{
    (void)state;
    entry e;
    doc_program_pool(&g_doc); /* a matching program's key in a pool */
    m_set(&g_doc.body, "ratio", V_ratio(&g_doc, 1, 1));
    doc_reject(&g_doc, CF_EENTRY, "body");
    assert_non_null(strstr(g_diag.text, "\"ratio\""));
    doc_program(&g_doc); /* and a pool's key in a matching program */
    m_set(&g_doc.body, "leverage", V_uint(&g_doc, 10));
    doc_reject(&g_doc, CF_EENTRY, "body");
    assert_non_null(strstr(g_diag.text, "\"leverage\""));
    doc_program_pool(&g_doc); /* a pool body under another kind's name */
    m_set(&g_doc.body, "kind", V_text(&g_doc, "award"));
    doc_reject(&g_doc, CF_EENTRY, "body");
    static const char *const unknown[] = {"grant", "Pool", "", "matchx"};
    for (size_t i = 0; i < 4; i++) {
        doc_program(&g_doc);
        m_set(&g_doc.body, "kind", V_text(&g_doc, unknown[i]));
        doc_reject(&g_doc, CF_EENTRY, "body.kind");
        if (unknown[i][0]) assert_non_null(strstr(g_diag.text, "is unknown"));
    }
    doc_program_award(&g_doc);
    m_set(&g_doc.body, "kind", V_uint(&g_doc, 4));
    doc_reject(&g_doc, CF_ECBOR_TYPE, "body.kind");
    doc_program_leasing(&g_doc);
    m_del(&g_doc.body, "kind");
    doc_reject(&g_doc, CF_EENTRY, "body.kind");
    assert_non_null(strstr(g_diag.text, "missing"));
    /* optional fields of each kind */
    doc_program_pool(&g_doc);
    m_del(&g_doc.body, "size");
    doc_accept(&g_doc, &e);
    assert_false(e.body.program.has_size);
    assert_int_equal(entry_program_kind(&e.body.program), PROGRAM_POOL);
    doc_program_leasing(&g_doc);
    m_set(&g_doc.body, "advance", V_ratio(&g_doc, 0, 100));
    doc_accept(&g_doc, &e);
    assert_true(e.body.program.has_advance && e.body.program.has_down);
    assert_int_equal(e.body.program.advance.max_pct, 100);
    doc_program_award(&g_doc);
    m_del(&g_doc.body, "budget");
    val eight[8];
    for (size_t i = 0; i < 8; i++) eight[i] = V_uint(&g_doc, 100 * (i + 1));
    m_set(&g_doc.body, "levels", V_array(&g_doc, 8, eight));
    doc_accept(&g_doc, &e);
    assert_int_equal(e.body.program.nlevels, 8);
    assert_int_equal(e.body.program.levels_fen[7], 800);
}

/* A reference is exactly {leaf, index, author}; a lease's parts decode
 * from 0 (R-LEASE.1, a rule, refuses a zero part). */
static void test_r_env_refs_and_lease_parts(void **state)
{
    (void)state;
    static const char *const keys[] = {"leaf", "index", "author"};
    char field[64];
    entry e;
    for (size_t i = 0; i < 3; i++) {
        dmap r;
        doc_repay(&g_doc);
        ref_dmap(&g_doc, &r, 0xa0, 2, 0x30);
        m_del(&r, keys[i]);
        m_set(&g_doc.body, "loan", V_map(&g_doc, &r));
        snprintf(field, sizeof field, "body.loan.%s", keys[i]);
        doc_reject(&g_doc, CF_EENTRY, field);
    }
    dmap r;
    doc_compensation(&g_doc);
    ref_dmap(&g_doc, &r, 0x20, 4, 0x60);
    m_set(&r, "amount", V_uint(&g_doc, 5)); /* a citation's key: not a reference's */
    m_set(&g_doc.body, "default", V_map(&g_doc, &r));
    doc_reject(&g_doc, CF_EENTRY, "body.default");
    doc_release(&g_doc);
    ref_dmap(&g_doc, &r, 0x20, 3, 0x80);
    m_set(&r, "index", V_neg(&g_doc, 0));
    m_set(&g_doc.body, "repay", V_map(&g_doc, &r));
    doc_reject(&g_doc, CF_ECBOR_TYPE, "body.repay.index");
    doc_lease(&g_doc);
    m_set(&g_doc.body, "advance", V_uint(&g_doc, 0));
    doc_accept(&g_doc, &e);
    assert_int_equal(e.body.lease.advance_fen, 0);
    entry_ref refs[2];
    doc_guarantee(&g_doc);
    doc_accept(&g_doc, &e);
    assert_int_equal(entry_refs(&e, refs, 2), 1);
    assert_int_equal(refs[0].index, 2);
    assert_int_equal(refs[0].author[0], 0x20);
    doc_lease(&g_doc);
    doc_accept(&g_doc, &e);
    assert_int_equal(entry_refs(&e, refs, 2), 0);
}

/* A rekey's and a retire's bodies are exactly their fields: a retire
 * carrying a key, or either with a field of its own, is refused; close takes
 * the whole uint range (the rules, not the decoder, judge it). */
static void test_r_env_rekey_retire_bodies(void **state)
{
    (void)state;
    entry e;
    doc_rekey(&g_doc);
    m_set(&g_doc.body, "role", V_text(&g_doc, "investor"));
    doc_reject(&g_doc, CF_EENTRY, "body");
    assert_non_null(strstr(g_diag.text, "\"role\""));
    doc_rekey(&g_doc);
    m_set(&g_doc.body, "x", V_uint(&g_doc, 0));
    doc_reject(&g_doc, CF_EENTRY, "body");
    assert_non_null(strstr(g_diag.text, "\"x\""));
    doc_retire(&g_doc);
    m_set(&g_doc.body, "key", V_bytes(&g_doc, 0x70, 32));
    doc_reject(&g_doc, CF_EENTRY, "body");
    assert_non_null(strstr(g_diag.text, "\"key\""));
    doc_retire(&g_doc); /* a retire's body under the type rekey: no key */
    m_set(&g_doc.env, "type", V_text(&g_doc, "rekey"));
    doc_reject(&g_doc, CF_EENTRY, "body.key");
    assert_non_null(strstr(g_diag.text, "missing"));
    doc_rekey(&g_doc);
    doc_put("body.close", "1bffffffffffffffff");
    doc_accept(&g_doc, &e);
    assert_int_equal(e.body.rekey.close, UINT64_MAX);
    doc_retire(&g_doc);
    doc_put("body.close", "00");
    doc_accept(&g_doc, &e);
    assert_int_equal(e.type, ENTRY_RETIRE);
    assert_int_equal(e.body.retire.close, 0);
    assert_int_equal(e.body.retire.name.n, strlen("investor-a"));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_r_env_genesis_with_net_rejected),
        cmocka_unit_test(test_r_env_net_missing_rejected_for_every_other_type),
        cmocka_unit_test(test_r_env_unknown_envelope_key_rejected),
        cmocka_unit_test(test_r_env_quoted_input_is_printable),
        cmocka_unit_test(test_r_env_unknown_body_key_rejected),
        cmocka_unit_test(test_r_env_unknown_cite_key_rejected),
        cmocka_unit_test(test_r_env_missing_envelope_key_rejected),
        cmocka_unit_test(test_r_env_missing_body_key_rejected),
        cmocka_unit_test(test_r_env_missing_cite_key_rejected),
        cmocka_unit_test(test_r_env_misplaced_or_duplicate_key_rejected),
        cmocka_unit_test(test_r_env_wrong_type_per_field_kind_rejected),
        cmocka_unit_test(test_r_env_not_a_map_rejected),
        cmocka_unit_test(test_r_env_version_other_than_1_rejected),
        cmocka_unit_test(test_r_env_unknown_type_name_rejected),
        cmocka_unit_test_teardown(test_r_env_time_beyond_year_9999_rejected, release_held),
        cmocka_unit_test_teardown(test_r_env_envelope_integers_full_range_accepted, release_held),
        cmocka_unit_test_teardown(test_r_env_program_body_follows_its_kind, release_held),
        cmocka_unit_test_teardown(test_r_env_refs_and_lease_parts, release_held),
        cmocka_unit_test_teardown(test_r_env_rekey_retire_bodies, release_held),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
