/* test_bundle_read.c — what the bundle reader (node/bundle/bundle.h) refuses:
 * truncations, flipped bytes, unknown types, lengths over their limits,
 * records out of order, defective payloads, and the end record's counts and
 * hash. Every case runs through both the memory and the FILE* reader, and
 * the message must say what is wrong. The fixture is bundle_fixture.h.
 */
#include <errno.h>
#include <setjmp.h>
#include <signal.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cmocka.h>

#include "bundle/bundle.h"
#include "bundle_fixture.h"
#include "crypto/cbor.h"
#include "crypto/cf_error.h"
#include "crypto/cf_util.h"
#include "crypto/note.h"
#include "ledger/entry.h"

/* ---- tests: reading defects ----------------------------------------------- */

static void test_truncation_every_offset(void **state)
{
    (void)state;
    struct tbundle tb;
    small_tbundle(&tb);
    mb_tbundle(&g_mb, &tb);
    expect_good(g_mb.buf, g_mb.len);
    for (size_t cut = 0; cut < g_mb.len; cut++) expect_bad(g_mb.buf, cut, "truncated");
    /* The messages say where. */
    diag d;
    assert_int_equal(read_all(g_mb.buf, 7, false, &d, NULL), CF_EBUNDLE);
    assert_string_equal(d.text, "bundle: magic at byte 0: truncated: 7 of 16 magic bytes");
    assert_int_equal(read_all(g_mb.buf, g_mb.len - 1, true, &d, NULL), CF_EBUNDLE);
    assert_non_null(strstr(d.text, "(end) at byte"));
}

static void test_flip_every_byte(void **state)
{
    (void)state;
    struct tbundle tb;
    small_tbundle(&tb);
    mb_tbundle(&g_mb, &tb);
    size_t len = g_mb.len;
    uint8_t *copy = malloc(len);
    assert_non_null(copy);

    /* Where the entry payloads lie: flips there are caught by the hash. */
    bundle_reader *r;
    bundle_record rec;
    diag d;
    size_t ent_off[4], ent_len[4], nent = 0;
    assert_int_equal(bundle_reader_open_mem(g_mb.buf, len, &r), CF_OK);
    while (bundle_next(r, &rec, &d) == CF_OK) {
        if (rec.type == BUNDLE_ENTRY) {
            assert_true(nent < 4);
            ent_off[nent] = (size_t)bundle_reader_offset(r) - rec.len;
            ent_len[nent++] = rec.len;
        }
    }
    bundle_reader_close(r);
    assert_int_equal(nent, 2);

    static const uint8_t masks[] = {0x01, 0x80, 0xff};
    for (size_t i = 0; i < len; i++) {
        for (size_t m = 0; m < sizeof masks; m++) {
            memcpy(copy, g_mb.buf, len);
            copy[i] ^= masks[m];
            int rc = read_all(copy, len, false, &d, NULL);
            if (rc != CF_EBUNDLE) fail_msg("flip at %zu mask %#x accepted", i, masks[m]);
            for (size_t k = 0; k < nent; k++)
                if (i >= ent_off[k] && i < ent_off[k] + ent_len[k] &&
                    strstr(d.text, "hash mismatch") == NULL)
                    fail_msg("flip in entry at %zu: %s", i, d.text);
        }
    }
    free(copy);
}

static void test_bad_magic_and_types(void **state)
{
    (void)state;
    struct tbundle tb;
    small_tbundle(&tb);
    mb_tbundle(&g_mb, &tb);
    g_mb.buf[0] = 'C';
    expect_bad(g_mb.buf, g_mb.len, "wrong magic");
    expect_bad((const uint8_t *)"cofund-bundle/2\n", 16, "wrong magic");
    expect_bad(NULL, 0, "truncated");

    /* Unknown type, also lower-case variants of known ones. */
    static const uint8_t types[] = {0, 'h', 'e', 'k', 'A', 0xff};
    for (size_t i = 0; i < sizeof types; i++) {
        mb_init(&g_mb);
        mb_header_v(&g_mb, 1, tb.net);
        mb_record(&g_mb, types[i], "x", 1);
        mb_end(&g_mb, 0, 0);
        expect_bad(g_mb.buf, g_mb.len, "unknown record type");
    }
    diag d;
    assert_int_equal(read_all(g_mb.buf, g_mb.len, false, &d, NULL), CF_EBUNDLE);
    assert_string_equal(d.text, "bundle: record 2 (type 0xff) at byte 63: unknown record type");
}

static void test_oversize_lengths(void **state)
{
    (void)state;
    /* Only the head is present: the length must be refused before the
     * reader waits for (or allocates) the payload. */
    static const uint8_t types[] = {'H', 'F', 'E', 'K', 'X', 'Z'};
    static const uint32_t lens[] = {0xffffffffu, BUNDLE_PAYLOAD_BYTES_MAX + 1};
    uint8_t net[32] = {0};
    for (size_t t = 0; t < sizeof types; t++) {
        for (size_t l = 0; l < 2; l++) {
            mb_init(&g_mb);
            if (types[t] != 'H') mb_header_v(&g_mb, 1, net);
            mb_record_len(&g_mb, types[t], lens[l], NULL, 0);
            expect_bad(g_mb.buf, g_mb.len, "bad length");
        }
    }
    mb_init(&g_mb);
    mb_header_v(&g_mb, 1, net);
    mb_record_len(&g_mb, 'E', 0, NULL, 0);
    expect_bad(g_mb.buf, g_mb.len, "empty entry");
}

/* K records: checkpoints of the current feed, below its size, increasing,
 * after its entries and before the next feed, fork or end. */
static void test_checkpoint_defects(void **state)
{
    (void)state;
    struct tfeed f, g;
    make_feed(&f, 5, 0, 4);
    make_feed(&g, 6, 0, 2);
    uint8_t net[32] = {5};
    uint8_t fork[2] = {0x81, 0x00};

    /* Valid: sizes 1 and 3 of a feed of 4, then another feed with its own. */
    mb_init(&g_mb);
    mb_header_v(&g_mb, 1, net);
    mb_feed_upto(&g_mb, &f, 4);
    mb_ckpt(&g_mb, 5, 1);
    mb_ckpt(&g_mb, 5, 3);
    mb_feed_upto(&g_mb, &g, 2);
    mb_ckpt(&g_mb, 6, 1);
    mb_record(&g_mb, 'X', fork, sizeof fork);
    mb_end(&g_mb, 2, 6);
    expect_good(g_mb.buf, g_mb.len);

    /* The size: 0, the feed's own, above it; not increasing. */
    static const struct {
        uint64_t first, second;
        const char *want;
    } sizes[] = {
        {0, 0, "checkpoint of tree size 0"},
        {4, 0, "checkpoint size 4 is not below feed 1's size 4"},
        {9, 0, "checkpoint size 9 is not below feed 1's size 4"},
        {2, 2, "checkpoint sizes must increase: 2 after 2"},
        {3, 1, "checkpoint sizes must increase: 1 after 3"},
    };
    for (size_t i = 0; i < sizeof sizes / sizeof sizes[0]; i++) {
        mb_init(&g_mb);
        mb_header_v(&g_mb, 1, net);
        mb_feed_upto(&g_mb, &f, 4);
        mb_ckpt(&g_mb, 5, sizes[i].first);
        if (sizes[i].second) mb_ckpt(&g_mb, 5, sizes[i].second);
        mb_end(&g_mb, 1, 4);
        expect_bad(g_mb.buf, g_mb.len, sizes[i].want);
    }
    /* Sizes are the current feed's: 3 was fine for f, not for g (size 2). */
    mb_init(&g_mb);
    mb_header_v(&g_mb, 1, net);
    mb_feed_upto(&g_mb, &f, 4);
    mb_feed_upto(&g_mb, &g, 2);
    mb_ckpt(&g_mb, 6, 3);
    mb_end(&g_mb, 2, 6);
    expect_bad(g_mb.buf, g_mb.len, "checkpoint size 3 is not below feed 2's size 2");

    /* Outside a feed: before the header, before any feed, between entries,
     * after a fork. */
    mb_init(&g_mb);
    mb_ckpt(&g_mb, 5, 1);
    mb_end(&g_mb, 0, 0);
    expect_bad(g_mb.buf, g_mb.len, "the header record must come first");
    mb_init(&g_mb);
    mb_header_v(&g_mb, 1, net);
    mb_ckpt(&g_mb, 5, 1);
    mb_end(&g_mb, 0, 0);
    expect_bad(g_mb.buf, g_mb.len, "checkpoint record before any feed record");
    mb_init(&g_mb);
    mb_header_v(&g_mb, 1, net);
    mb_feed_upto(&g_mb, &f, 2);
    mb_ckpt(&g_mb, 5, 1);
    mb_end(&g_mb, 1, 2);
    expect_bad(g_mb.buf, g_mb.len, "feed 1 still expects 2 entries");
    mb_init(&g_mb);
    mb_header_v(&g_mb, 1, net);
    mb_feed_upto(&g_mb, &f, 4);
    mb_record(&g_mb, 'X', fork, sizeof fork);
    mb_ckpt(&g_mb, 5, 1);
    mb_end(&g_mb, 1, 4);
    expect_bad(g_mb.buf, g_mb.len, "checkpoint record after a fork record");

    /* Not a checkpoint of this feed's log; not a checkpoint at all. */
    char other[NOTE_BYTES_MAX];
    size_t other_len = make_ckpt_origin(5, "example.com/another-log", 1, other, sizeof other);
    mb_init(&g_mb);
    mb_header_v(&g_mb, 1, net);
    mb_feed_upto(&g_mb, &f, 4);
    mb_record(&g_mb, 'K', other, other_len);
    mb_end(&g_mb, 1, 4);
    expect_bad(g_mb.buf, g_mb.len, "checkpoint of another log");
    mb_init(&g_mb);
    mb_header_v(&g_mb, 1, net);
    mb_feed_upto(&g_mb, &f, 4);
    mb_record(&g_mb, 'K', "hello\n", 6);
    mb_end(&g_mb, 1, 4);
    expect_bad(g_mb.buf, g_mb.len, "checkpoint is not a signed note");

    /* Lengths: empty, and one byte over a note's limit (refused unread). */
    mb_init(&g_mb);
    mb_header_v(&g_mb, 1, net);
    mb_feed_upto(&g_mb, &f, 4);
    size_t at = g_mb.len;
    mb_record_len(&g_mb, 'K', 0, NULL, 0);
    expect_bad(g_mb.buf, g_mb.len, "empty checkpoint");
    g_mb.len = at;
    mb_record_len(&g_mb, 'K', NOTE_BYTES_MAX + 1, NULL, 0);
    expect_bad(g_mb.buf, g_mb.len, "bad length 8193 (checkpoints are at most 8192 bytes)");
}

static void test_header_defects(void **state)
{
    (void)state;
    uint8_t net[32] = {1};
    uint8_t p[64];
    size_t n;
    cbor_enc e;

    mb_init(&g_mb);
    mb_header_v(&g_mb, 2, net);
    mb_end(&g_mb, 0, 0);
    expect_bad(g_mb.buf, g_mb.len, "unsupported version 2");

    /* Missing "net"; an extra key; a 31-byte net; "v" not canonical. */
    cbor_enc_init(&e, p, sizeof p);
    cbor_put_map(&e, 1);
    cbor_put_cstr(&e, "v");
    cbor_put_uint(&e, 1);
    assert_int_equal(cbor_enc_finish(&e, &n), CF_OK);
    mb_init(&g_mb);
    mb_record(&g_mb, 'H', p, n);
    mb_end(&g_mb, 0, 0);
    expect_bad(g_mb.buf, g_mb.len, "want 2");

    cbor_enc_init(&e, p, sizeof p);
    cbor_put_map(&e, 2);
    cbor_put_cstr(&e, "v");
    cbor_put_uint(&e, 1);
    cbor_put_cstr(&e, "nex");
    cbor_put_bytes(&e, net, 32);
    assert_int_equal(cbor_enc_finish(&e, &n), CF_OK);
    mb_init(&g_mb);
    mb_record(&g_mb, 'H', p, n);
    mb_end(&g_mb, 0, 0);
    expect_bad(g_mb.buf, g_mb.len, "unknown or missing key");

    cbor_enc_init(&e, p, sizeof p);
    cbor_put_map(&e, 2);
    cbor_put_cstr(&e, "v");
    cbor_put_uint(&e, 1);
    cbor_put_cstr(&e, "net");
    cbor_put_bytes(&e, net, 31);
    assert_int_equal(cbor_enc_finish(&e, &n), CF_OK);
    mb_init(&g_mb);
    mb_record(&g_mb, 'H', p, n);
    mb_end(&g_mb, 0, 0);
    expect_bad(g_mb.buf, g_mb.len, "bad payload");

    static const uint8_t noncanon[] = {0xa2, 0x61, 'v', 0x18, 0x01, 0x63, 'n', 'e', 't', 0x58, 0x20};
    mb_init(&g_mb);
    uint8_t hp[sizeof noncanon + 32];
    memcpy(hp, noncanon, sizeof noncanon);
    memset(hp + sizeof noncanon, 0, 32);
    mb_record(&g_mb, 'H', hp, sizeof hp);
    mb_end(&g_mb, 0, 0);
    expect_bad(g_mb.buf, g_mb.len, "non-canonical");

    /* Trailing byte inside the payload. */
    mb_init(&g_mb);
    mb_header_v(&g_mb, 1, net);
    g_mb.buf[BUNDLE_MAGIC_BYTES + 4]++; /* declared length + 1 */
    uint8_t zero = 0;
    mb_raw(&g_mb, &zero, 1);
    mb_end(&g_mb, 0, 0);
    expect_bad(g_mb.buf, g_mb.len, "trailing");
}

static void test_feed_defects(void **state)
{
    (void)state;
    struct tfeed f;
    make_feed(&f, 2, 0, 2);
    uint8_t net[32] = {2};

    /* A checkpoint that is not a signed note, and a note whose text is not
     * a checkpoint. */
    mb_init(&g_mb);
    mb_header_v(&g_mb, 1, net);
    mb_feed_raw(&g_mb, 0, f.author, "hello\n", 6);
    mb_end(&g_mb, 1, 0);
    expect_bad(g_mb.buf, g_mb.len, "checkpoint is not a signed note");

    uint8_t seed[32] = {3}, pk[32], sk[64];
    char note_text[512];
    size_t note_len;
    assert_int_equal(cf_ed25519_keypair_from_seed(seed, pk, sk), CF_OK);
    assert_int_equal(note_sign("hello\nworld\n", 12, ORIGIN, sk, note_text,
                               sizeof note_text, &note_len), CF_OK);
    mb_init(&g_mb);
    mb_header_v(&g_mb, 1, net);
    mb_feed_raw(&g_mb, 0, f.author, note_text, note_len);
    mb_end(&g_mb, 1, 0);
    expect_bad(g_mb.buf, g_mb.len, "note text is not a checkpoint");

    /* from > size. */
    mb_init(&g_mb);
    mb_header_v(&g_mb, 1, net);
    mb_feed_raw(&g_mb, 3, f.author, f.ckpt, f.ckpt_len);
    mb_end(&g_mb, 1, 0);
    expect_bad(g_mb.buf, g_mb.len, "from 3 exceeds the checkpoint's tree size 2");

    /* Too few entries, then the end; too few, then another feed. */
    mb_init(&g_mb);
    mb_header_v(&g_mb, 1, net);
    mb_feed_upto(&g_mb, &f, 1);
    mb_end(&g_mb, 1, 1);
    expect_bad(g_mb.buf, g_mb.len, "feed 1 still expects 1 entries");
    mb_init(&g_mb);
    mb_header_v(&g_mb, 1, net);
    mb_feed_upto(&g_mb, &f, 1);
    mb_feed_upto(&g_mb, &f, 2);
    mb_end(&g_mb, 2, 3);
    expect_bad(g_mb.buf, g_mb.len, "still expects");

    /* Too many entries. */
    mb_init(&g_mb);
    mb_header_v(&g_mb, 1, net);
    mb_feed_upto(&g_mb, &f, 3);
    mb_end(&g_mb, 1, 3);
    expect_bad(g_mb.buf, g_mb.len, "more entries than feed 1 declares");

    /* An entry before any feed. */
    mb_init(&g_mb);
    mb_header_v(&g_mb, 1, net);
    mb_record(&g_mb, 'E', "x", 1);
    mb_end(&g_mb, 0, 1);
    expect_bad(g_mb.buf, g_mb.len, "entry before any feed");

    /* Wrong-length author, unknown key. */
    uint8_t p[NOTE_BYTES_MAX + 128];
    size_t n;
    cbor_enc e;
    cbor_enc_init(&e, p, sizeof p);
    cbor_put_map(&e, 3);
    cbor_put_cstr(&e, "from");
    cbor_put_uint(&e, 0);
    cbor_put_cstr(&e, "author");
    cbor_put_bytes(&e, f.author, 33);
    cbor_put_cstr(&e, "checkpoint");
    cbor_put_text(&e, f.ckpt, f.ckpt_len);
    assert_int_equal(cbor_enc_finish(&e, &n), CF_OK);
    mb_init(&g_mb);
    mb_header_v(&g_mb, 1, net);
    mb_record(&g_mb, 'F', p, n);
    mb_end(&g_mb, 1, 0);
    expect_bad(g_mb.buf, g_mb.len, "bad payload");

    cbor_enc_init(&e, p, sizeof p);
    cbor_put_map(&e, 3);
    cbor_put_cstr(&e, "from");
    cbor_put_uint(&e, 0);
    cbor_put_cstr(&e, "author");
    cbor_put_bytes(&e, f.author, 32);
    cbor_put_cstr(&e, "checkpoinx");
    cbor_put_text(&e, f.ckpt, f.ckpt_len);
    assert_int_equal(cbor_enc_finish(&e, &n), CF_OK);
    mb_init(&g_mb);
    mb_header_v(&g_mb, 1, net);
    mb_record(&g_mb, 'F', p, n);
    mb_end(&g_mb, 1, 0);
    expect_bad(g_mb.buf, g_mb.len, "unknown or missing key");
}

/* A feed listed twice (issue: one import accepted it, the audit failed it):
 * the reader refuses it, naming the feed's author, whether the second
 * record repeats the first or continues it; two different feeds pass. */
static void test_duplicate_feed(void **state)
{
    (void)state;
    struct tfeed f, g;
    make_feed(&f, 2, 0, 2);
    make_feed(&g, 3, 0, 1);
    uint8_t net[32] = {2};
    char hex[17];
    cf_hex_encode(f.author, 8, hex, sizeof hex);

    mb_init(&g_mb);
    mb_header_v(&g_mb, 1, net);
    mb_feed_upto(&g_mb, &f, 2);
    mb_feed_upto(&g_mb, &g, 1);
    mb_end(&g_mb, 2, 3);
    expect_good(g_mb.buf, g_mb.len);

    mb_init(&g_mb);
    mb_header_v(&g_mb, 1, net);
    mb_feed_upto(&g_mb, &f, 2);
    mb_feed_upto(&g_mb, &g, 1);
    mb_feed_upto(&g_mb, &f, 2);
    mb_end(&g_mb, 3, 5);
    expect_bad(g_mb.buf, g_mb.len, "listed twice");
    expect_bad(g_mb.buf, g_mb.len, hex);
    /* The first record of the repeat is the one refused. */
    diag d;
    size_t nrec;
    assert_int_equal(read_all(g_mb.buf, g_mb.len, false, &d, &nrec), CF_EBUNDLE);
    assert_int_equal(nrec, 1 + 3 + 2);

    /* A second record that takes the feed further (from its first's size). */
    struct tfeed f2;
    make_feed(&f2, 2, 2, 2);
    mb_init(&g_mb);
    mb_header_v(&g_mb, 1, net);
    mb_feed_upto(&g_mb, &f, 2);
    mb_feed_upto(&g_mb, &f2, 2);
    mb_end(&g_mb, 2, 2);
    expect_bad(g_mb.buf, g_mb.len, "listed twice");
}

static void test_order_defects(void **state)
{
    (void)state;
    struct tfeed f;
    make_feed(&f, 3, 0, 1);
    uint8_t net[32] = {3};
    uint8_t fork[2] = {0x81, 0x00}; /* [0] */

    /* X before F. */
    mb_init(&g_mb);
    mb_header_v(&g_mb, 1, net);
    mb_record(&g_mb, 'X', fork, sizeof fork);
    mb_feed_upto(&g_mb, &f, 1);
    mb_end(&g_mb, 1, 1);
    expect_bad(g_mb.buf, g_mb.len, "feed record after a fork record");

    /* Two headers; a feed before the header; the end before the header. */
    mb_init(&g_mb);
    mb_header_v(&g_mb, 1, net);
    mb_header_v(&g_mb, 1, net);
    mb_end(&g_mb, 0, 0);
    expect_bad(g_mb.buf, g_mb.len, "a second header record");
    mb_init(&g_mb);
    mb_feed_upto(&g_mb, &f, 1);
    mb_end(&g_mb, 1, 1);
    expect_bad(g_mb.buf, g_mb.len, "the header record must come first");
    mb_init(&g_mb);
    mb_end(&g_mb, 0, 0);
    expect_bad(g_mb.buf, g_mb.len, "the header record must come first");

    /* A fork that is not canonical CBOR. */
    mb_init(&g_mb);
    mb_header_v(&g_mb, 1, net);
    mb_record(&g_mb, 'X', "\x18\x01", 2);
    mb_end(&g_mb, 0, 0);
    expect_bad(g_mb.buf, g_mb.len, "fork proof is not canonical CBOR");

    /* No end record; data after the end record. */
    mb_init(&g_mb);
    mb_header_v(&g_mb, 1, net);
    mb_feed_upto(&g_mb, &f, 1);
    expect_bad(g_mb.buf, g_mb.len, "ends before the end record");
    mb_end(&g_mb, 1, 1);
    expect_good(g_mb.buf, g_mb.len);
    size_t good_len = g_mb.len;
    mb_raw(&g_mb, "\0", 1);
    expect_bad(g_mb.buf, g_mb.len, "bytes after the end record");
    g_mb.len = good_len;
    mb_end(&g_mb, 1, 1); /* a second end record */
    expect_bad(g_mb.buf, g_mb.len, "bytes after the end record");
}

static void test_end_defects(void **state)
{
    (void)state;
    struct tfeed f;
    make_feed(&f, 4, 0, 2);
    uint8_t net[32] = {4};

    mb_init(&g_mb);
    mb_header_v(&g_mb, 1, net);
    mb_feed_upto(&g_mb, &f, 2);
    size_t body = g_mb.len;
    mb_end(&g_mb, 2, 2);
    expect_bad(g_mb.buf, g_mb.len, "end record says 2 feeds, the bundle has 1");
    g_mb.len = body;
    mb_end(&g_mb, 1, 3);
    expect_bad(g_mb.buf, g_mb.len, "end record says 3 entries, the bundle has 2");
    g_mb.len = body;
    uint8_t h[32];
    cf_sha256(g_mb.buf, g_mb.len - 1, h); /* one byte short */
    mb_end_hash(&g_mb, 1, 2, h);
    expect_bad(g_mb.buf, g_mb.len, "hash mismatch");
    g_mb.len = body;
    mb_end(&g_mb, 1, 2);
    expect_good(g_mb.buf, g_mb.len);

    /* Keys out of the canonical order. */
    uint8_t p[128];
    size_t n;
    cf_sha256(g_mb.buf, body, h);
    p[0] = 0xa3;
    n = 1;
    memcpy(p + n, "\x67" "entries" "\x02", 9);
    n += 9;
    memcpy(p + n, "\x65" "feeds" "\x01", 7);
    n += 7;
    memcpy(p + n, "\x66" "sha256" "\x58\x20", 9);
    n += 9;
    memcpy(p + n, h, 32);
    n += 32;
    g_mb.len = body;
    mb_record(&g_mb, 'Z', p, n);
    expect_bad(g_mb.buf, g_mb.len, "bad payload");
}

static void test_reader_api(void **state)
{
    (void)state;
    bundle_reader *r;
    bundle_record rec;
    diag d;
    assert_int_equal(bundle_reader_open_mem(NULL, 1, &r), CF_EINVAL);
    assert_int_equal(bundle_reader_open_mem(NULL, 0, NULL), CF_EINVAL);
    assert_int_equal(bundle_reader_open_file(NULL, &r), CF_EINVAL);
    assert_int_equal(bundle_reader_open_file(stdin, NULL), CF_EINVAL);
    assert_int_equal(bundle_next(NULL, &rec, &d), CF_EINVAL);
    assert_int_equal(bundle_reader_offset(NULL), 0);
    bundle_reader_close(NULL);
    assert_int_equal(bundle_reader_open_mem(NULL, 0, &r), CF_OK);
    assert_int_equal(bundle_next(r, NULL, &d), CF_EINVAL);
    assert_int_equal(bundle_next(r, &rec, NULL), CF_EBUNDLE); /* d may be NULL */
    bundle_reader_close(r);

    /* A read error is CF_EIO: a stream opened for writing only. */
    char path[256];
    dir_path(path, sizeof path, "wo");
    FILE *f = fopen(path, "wb");
    assert_non_null(f);
    assert_int_equal(bundle_reader_open_file(f, &r), CF_OK);
    assert_int_equal(bundle_next(r, &rec, &d), CF_EIO);
    assert_non_null(strstr(d.text, "read error"));
    assert_int_equal(bundle_next(r, &rec, &d), CF_EIO);
    bundle_reader_close(r);
    fclose(f);
}

int main(void)
{
    if (cf_crypto_init() != CF_OK) return 1;
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_truncation_every_offset),
        cmocka_unit_test(test_flip_every_byte),
        cmocka_unit_test(test_bad_magic_and_types),
        cmocka_unit_test(test_oversize_lengths),
        cmocka_unit_test(test_header_defects),
        cmocka_unit_test(test_feed_defects),
        cmocka_unit_test(test_checkpoint_defects),
        cmocka_unit_test(test_duplicate_feed),
        cmocka_unit_test(test_order_defects),
        cmocka_unit_test(test_end_defects),
        cmocka_unit_test(test_reader_api),
    };
    return cmocka_run_group_tests(tests, dir_setup, dir_teardown);
}

