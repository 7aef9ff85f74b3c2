/* test_bundle_entry_at.c — reading entry records again by offset
 * (node/bundle/bundle.h: bundle_record.offset, bundle_entry_parse,
 * bundle_read_entry_at, bundle_record_bytes, bundle_reader_record_type),
 * what the offline audit's replay reads a bundle through: every E record of
 * a written bundle read back at its offset, and what is refused — another
 * record type, lengths 0 and ENTRY_BYTES_MAX + 1, a short buffer, an offset
 * past the end.
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

#include "bundle/bundle.h"
#include "bundle_fixture.h"
#include "crypto/cf_error.h"
#include "crypto/cf_util.h"
#include "ledger/entry.h"

static void test_every_entry_at_its_offset(void **state)
{
    (void)state;
    struct tbundle tb;
    char path[256];
    static uint8_t buf[ENTRY_BYTES_MAX];
    small_tbundle(&tb);
    dir_path(path, sizeof path, "entries.bundle");
    write_tbundle(path, &tb);
    size_t flen;
    uint8_t *file = slurp(path, &flen);
    FILE *f = fopen(path, "rb");
    assert_non_null(f);
    bundle_reader *r;
    bundle_record rec;
    diag d;
    assert_int_equal(bundle_reader_open_mem(file, flen, &r), CF_OK);
    uint64_t expect_off = BUNDLE_MAGIC_BYTES, entries = 0, feed_off = 0;
    int rc;
    while ((rc = bundle_next(r, &rec, &d)) == CF_OK) {
        assert_int_equal(rec.offset, expect_off);
        assert_int_equal(bundle_reader_record_type(r), rec.type);
        expect_off += bundle_record_bytes(rec.len);
        assert_int_equal(bundle_reader_offset(r), expect_off);
        if (rec.type == BUNDLE_FEED) feed_off = rec.offset;
        if (rec.type != BUNDLE_ENTRY) continue;
        entries++;
        size_t len, used;
        const uint8_t *payload;
        assert_int_equal(bundle_read_entry_at(f, rec.offset, buf, sizeof buf, &len), CF_OK);
        assert_int_equal(len, rec.len);
        assert_memory_equal(buf, rec.payload, len);
        assert_int_equal(bundle_entry_parse(file + rec.offset, flen - rec.offset, &payload, &len,
                                            &used), CF_OK);
        assert_ptr_equal(payload, rec.payload);
        assert_int_equal(used, bundle_record_bytes(rec.len));
        /* One byte short of the record: incomplete, whatever the cut. */
        for (size_t cut = 0; cut < used; cut++)
            assert_int_equal(bundle_entry_parse(file + rec.offset, cut, &payload, &len, &used),
                             CF_EINCOMPLETE);
    }
    assert_int_equal(rc, 1);
    assert_int_equal(entries, 2);
    /* Not an entry record: the feed record's offset. */
    size_t len;
    assert_true(feed_off > 0);
    assert_int_equal(bundle_read_entry_at(f, feed_off, buf, sizeof buf, &len), CF_EBUNDLE);
    /* Past the end, and a buffer too small for any entry. */
    assert_int_equal(bundle_read_entry_at(f, flen, buf, sizeof buf, &len), CF_EIO);
    assert_int_equal(bundle_read_entry_at(f, feed_off, buf, sizeof buf - 1, &len), CF_EINVAL);
    bundle_reader_close(r);
    fclose(f);
    free(file);
}

static void test_entry_lengths(void **state)
{
    (void)state;
    static uint8_t rec[BUNDLE_ENTRY_RECORD_BYTES_MAX + 1];
    const uint8_t *payload;
    size_t len, used;
    memset(rec, 0xa5, sizeof rec);
    rec[0] = BUNDLE_ENTRY;
    static const struct {
        uint32_t len;
        int want;
    } cases[] = {{0, CF_EBUNDLE}, {1, CF_OK}, {ENTRY_BYTES_MAX, CF_OK},
                 {ENTRY_BYTES_MAX + 1, CF_EBUNDLE}};
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        cf_put_be32(rec + 1, cases[i].len);
        assert_int_equal(bundle_entry_parse(rec, sizeof rec, &payload, &len, &used),
                         cases[i].want);
        if (cases[i].want == CF_OK) {
            assert_int_equal(len, cases[i].len);
            assert_int_equal(used, BUNDLE_RECORD_HEAD_BYTES + cases[i].len);
        }
    }
    rec[0] = BUNDLE_CHECKPOINT;
    cf_put_be32(rec + 1, 1);
    assert_int_equal(bundle_entry_parse(rec, sizeof rec, &payload, &len, &used), CF_EBUNDLE);
}

static void test_refused_record_type(void **state)
{
    (void)state;
    bundle_reader *r;
    bundle_record rec;
    diag d;
    mb_init(&g_mb);
    mb_record(&g_mb, 'Q', "x", 1);
    assert_int_equal(bundle_reader_open_mem(g_mb.buf, g_mb.len, &r), CF_OK);
    assert_int_equal(bundle_reader_record_type(r), 0);
    assert_int_equal(bundle_next(r, &rec, &d), CF_EBUNDLE);
    assert_int_equal(bundle_reader_record_type(r), 'Q');
    bundle_reader_close(r);
    assert_int_equal(bundle_reader_record_type(NULL), 0);
}

int main(void)
{
    if (cf_crypto_init() != CF_OK) return 1;
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_every_entry_at_its_offset),
        cmocka_unit_test(test_entry_lengths),
        cmocka_unit_test(test_refused_record_type),
    };
    return cmocka_run_group_tests(tests, dir_setup, dir_teardown);
}
