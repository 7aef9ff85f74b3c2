/* test_audit_exit.c — the offline audit's exit status reflects every
 * failure it prints (node/audit/, docs/auditing.md "Exit codes"): when the
 * figures of the report cannot be computed, the last line says FAILED and
 * the status is AUDIT_EXIT_FAILED (issue 12 item 11: it was printed with
 * exit 0).
 *
 * The bundle is the smallest real network: one signed genesis entry. With
 * R-VOLUME and R-MEMBERS no bundle makes a query total overflow any more, so
 * the test damages the replayed state itself (a position no valid feed can
 * reach) before the report is printed.
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

#include "audit/audit.h"
#include "audit/audit_internal.h"
#include "bundle/bundle.h"
#include "bundle/ckpt.h"
#include "crypto/cf_error.h"
#include "crypto/cf_util.h"
#include "crypto/merkle.h"
#include "ledger/entry.h"
#include "ledger/state.h"
#include "testutil.h"

/* A one-entry network: the genesis by a key from a fixed seed. */
static void write_bundle(const char *path)
{
    uint8_t seed[CF_ED25519_SEED_BYTES], pk[32], sk[64], buf[ENTRY_BYTES_MAX], leaf[32];
    memset(seed, 7, sizeof seed);
    assert_int_equal(cf_ed25519_keypair_from_seed(seed, pk, sk), CF_OK);
    entry e;
    memset(&e, 0, sizeof e);
    e.type = ENTRY_GENESIS;
    memcpy(e.author, pk, 32);
    e.time_ms = UINT64_C(1748736000000);
    e.body.genesis.name = (entry_text){"Audit exit", 10};
    e.body.genesis.member = (entry_text){"city", 4};
    e.body.genesis.tz_min = 480;
    size_t len;
    assert_int_equal(entry_encode(&e, buf, sizeof buf, &len, NULL), CF_OK);
    merkle_leaf_hash(buf, len, leaf); /* the network id, and the tree's root */
    char ck[NOTE_BYTES_MAX];
    size_t cklen;
    assert_int_equal(ckpt_sign(leaf, pk, sk, 1, leaf, ck, sizeof ck, &cklen), CF_OK);
    bundle_writer *w;
    diag d;
    assert_int_equal(bundle_writer_open(path, &w), CF_OK);
    assert_int_equal(bundle_write_header(w, leaf), CF_OK);
    assert_int_equal(bundle_write_feed(w, pk, 0, 1, ck, cklen), CF_OK);
    assert_int_equal(bundle_write_entry(w, buf, len), CF_OK);
    assert_int_equal(bundle_writer_commit(w, &d), CF_OK);
}

static int run_report(const audit *a, enum audit_format fmt, char *out, size_t cap)
{
    FILE *f = tmpfile();
    assert_non_null(f);
    int rc = audit_print(a, f, fmt);
    rewind(f);
    size_t n = fread(out, 1, cap - 1, f);
    out[n] = '\0';
    fclose(f);
    return rc;
}

static void test_audit_exit_reflects_the_figures(void **state)
{
    (void)state;
    char dir[TU_PATH_BYTES], path[TU_PATH_BYTES];
    static char out[1 << 16];
    tu_tmpdir(dir, "audit-exit");
    tu_path_join(path, dir, "net.bundle");
    write_bundle(path);
    audit_opts o = {0};
    audit *a;
    diag d;
    assert_int_equal(audit_run(path, &o, &a, &d), CF_OK);
    assert_int_equal(audit_exit_code(a), AUDIT_EXIT_OK);
    assert_int_equal(run_report(a, AUDIT_TEXT, out, sizeof out), AUDIT_EXIT_OK);
    assert_non_null(strstr(out, "result: ok: every signature, root and rule holds"));

    /* Two positions in one project whose sum leaves int64. */
    state_project p = {.added_at = 0};
    snprintf(p.id, sizeof p.id, "p1");
    snprintf(p.name, sizeof p.name, "P1");
    assert_int_equal(state_project_put(&a->kv, &p), CF_OK);
    uint8_t h1[32], h2[32];
    memset(h1, 1, 32);
    memset(h2, 2, 32);
    state_series s;
    state_series_position(&s, "p1", h1);
    assert_int_equal(state_series_add(&a->kv, &s, 1, INT64_MAX), CF_OK);
    state_series_position(&s, "p1", h2);
    assert_int_equal(state_series_add(&a->kv, &s, 1, 1), CF_OK);

    assert_int_equal(audit_exit_code(a), AUDIT_EXIT_OK); /* the checks alone */
    assert_int_equal(run_report(a, AUDIT_TEXT, out, sizeof out), AUDIT_EXIT_FAILED);
    assert_non_null(strstr(out, "result: FAILED: the figures could not be computed"));
    assert_int_equal(run_report(a, AUDIT_JSON, out, sizeof out), AUDIT_EXIT_FAILED);
    assert_non_null(strstr(out, "\"ok\":false"));
    assert_non_null(strstr(out, "\"first_failure\":\"the figures could not be computed"));
    audit_free(a);
    tu_rm_rf(dir);
}

int main(void)
{
    assert_int_equal(cf_crypto_init(), CF_OK);
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_audit_exit_reflects_the_figures),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
