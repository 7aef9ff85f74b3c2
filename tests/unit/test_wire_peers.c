/* test_wire_peers.c — the peers message (peer exchange; node/net/wire.h,
 * docs/protocol.md §3 and §4 "Peer exchange"): round trips, each limit at
 * its value and one past it, and every rejection — an unsorted or repeated
 * key, a key of 31 bytes, a host that is not a numeric address or is over
 * 45 bytes, a port of 0 or past 65535, more than 32 entries, a wrong key set.
 *
 * Its fuzz seeds (tests/fuzz/corpus/wire, named *-peers*) are built here: valid-*
 * must decode, bad-* must not; COFUND_WRITE_CORPUS=1 (re)writes them.
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
#include "net/wire.h"
#include "testutil.h"

#define BUF_BYTES 8192

static uint8_t g_buf[BUF_BYTES], g_out[BUF_BYTES];
static uint8_t K[WIRE_PEERS_MAX + 1][32];

static int setup(void **state)
{
    (void)state;
    for (size_t i = 0; i <= WIRE_PEERS_MAX; i++) memset(K[i], (int)(0x10 + i), 32);
    return 0;
}

/* Decodes, and re-encodes to exactly the same bytes. */
static void roundtrip(const uint8_t *buf, size_t len, wire_msg *m)
{
    size_t out_len;
    const char *why = NULL;
    int rc = wire_decode(buf, len, m, &why);
    if (rc != CF_OK) fail_msg("decode: %s (%s)", cf_errname(rc), why ? why : "");
    assert_int_equal(wire_encode_msg(m, g_out, sizeof g_out, &out_len), CF_OK);
    assert_int_equal(out_len, len);
    assert_memory_equal(g_out, buf, len);
}

typedef struct {
    const uint8_t *key;
    const char *host;
    uint64_t port;
    size_t keylen;
} item;

/* A peers message written by hand (no checks), for the rejections. */
static size_t build(uint8_t *buf, const item *items, size_t n, const char *extra_key)
{
    cbor_enc e;
    size_t len = 0;
    cbor_enc_init(&e, buf, BUF_BYTES);
    cbor_put_map(&e, extra_key ? 3 : 2);
    cbor_put_cstr(&e, "t");
    cbor_put_cstr(&e, "peers");
    cbor_put_cstr(&e, "addrs");
    cbor_put_array(&e, n);
    for (size_t i = 0; i < n; i++) {
        cbor_put_array(&e, 3);
        cbor_put_bytes(&e, items[i].key, items[i].keylen ? items[i].keylen : 32);
        cbor_put_cstr(&e, items[i].host);
        cbor_put_uint(&e, items[i].port);
    }
    if (extra_key) {
        cbor_put_cstr(&e, extra_key);
        cbor_put_uint(&e, 1);
    }
    assert_int_equal(cbor_enc_finish(&e, &len), CF_OK);
    return len;
}

static void test_roundtrip(void **state)
{
    (void)state;
    wire_msg m;
    wire_iter it;
    wire_peer got;
    size_t len;
    wire_peer pe[3] = {
        {.key = K[0], .host = "", .host_len = 0, .port = 7001},
        {.key = K[1], .host = "127.0.0.2", .host_len = 9, .port = 1},
        {.key = K[2], .host = "fe80::1", .host_len = 7, .port = 65535},
    };
    assert_int_equal(wire_encode_peers(g_buf, BUF_BYTES, pe, 3, &len), CF_OK);
    assert_true(len <= WIRE_PEERS_BYTES_MAX);
    roundtrip(g_buf, len, &m);
    assert_int_equal(m.type, WIRE_PEERS);
    assert_string_equal(wire_type_name(WIRE_PEERS), "peers");
    assert_int_equal(m.addrs.count, 3);
    wire_iter_init(&it, &m.addrs);
    for (size_t i = 0; i < 3; i++) {
        assert_int_equal(wire_next_peer(&it, &got), CF_OK);
        assert_memory_equal(got.key, pe[i].key, 32);
        assert_int_equal(got.host_len, pe[i].host_len);
        assert_memory_equal(got.host, pe[i].host, pe[i].host_len);
        assert_int_equal(got.port, pe[i].port);
    }
    assert_int_equal(wire_next_peer(&it, &got), 1);
    /* None at all, and the most: 32 of the longest host. */
    assert_int_equal(wire_encode_peers(g_buf, BUF_BYTES, NULL, 0, &len), CF_OK);
    roundtrip(g_buf, len, &m);
    static const char host45[] = "ffff:ffff:ffff:ffff:ffff:ffff:255.255.255.255";
    assert_int_equal(strlen(host45), WIRE_PEER_HOST_BYTES_MAX);
    wire_peer most[WIRE_PEERS_MAX + 1];
    for (size_t i = 0; i <= WIRE_PEERS_MAX; i++)
        most[i] = (wire_peer){.key = K[i], .host = host45, .host_len = 45, .port = 65535};
    assert_int_equal(wire_encode_peers(g_buf, BUF_BYTES, most, WIRE_PEERS_MAX, &len), CF_OK);
    assert_true(len <= WIRE_PEERS_BYTES_MAX);
    roundtrip(g_buf, len, &m);
    /* The encoder refuses what the decoder would. */
    assert_int_equal(wire_encode_peers(g_buf, BUF_BYTES, most, WIRE_PEERS_MAX + 1, &len),
                     CF_EINVAL);
    wire_peer bad = pe[1];
    bad.port = 0;
    assert_int_equal(wire_encode_peers(g_buf, BUF_BYTES, &bad, 1, &len), CF_EINVAL);
    bad = pe[1], bad.host = "a.example", bad.host_len = 9;
    assert_int_equal(wire_encode_peers(g_buf, BUF_BYTES, &bad, 1, &len), CF_EINVAL);
    wire_peer rev[2] = {pe[1], pe[0]};
    assert_int_equal(wire_encode_peers(g_buf, BUF_BYTES, rev, 2, &len), CF_EINVAL);
    wire_peer twice[2] = {pe[1], pe[1]};
    assert_int_equal(wire_encode_peers(g_buf, BUF_BYTES, twice, 2, &len), CF_EINVAL);
    assert_int_equal(wire_encode_peers(g_buf, 20, pe, 3, &len), CF_ECBOR_BUFFER);
}

/* ---- seeds: valid ones decode, bad ones are refused with the error named ---- */

typedef struct {
    const char *name;
    int want; /* CF_OK or the error */
    uint8_t bytes[BUF_BYTES];
    size_t len;
} seed;

static seed g_seeds[12];
static size_t g_nseeds;

static void add(const char *name, int want, const item *items, size_t n, const char *extra)
{
    seed *s = &g_seeds[g_nseeds++];
    s->name = name;
    s->want = want;
    s->len = build(s->bytes, items, n, extra);
}

static void build_seeds(void)
{
    item many[WIRE_PEERS_MAX + 1];
    for (size_t i = 0; i <= WIRE_PEERS_MAX; i++) many[i] = (item){K[i], "10.0.0.1", 7001, 0};
    g_nseeds = 0;
    add("valid-peers", CF_OK,
        (item[]){{K[0], "", 7001, 0}, {K[1], "192.168.1.20", 7002, 0}, {K[2], "::1", 7003, 0}},
        3, NULL);
    add("valid-peers-32", CF_OK, many, WIRE_PEERS_MAX, NULL);
    add("bad-peers-33", CF_ECBOR_LIMIT, many, WIRE_PEERS_MAX + 1, NULL);
    add("bad-peers-unsorted", CF_EFORMAT,
        (item[]){{K[2], "10.0.0.1", 1, 0}, {K[1], "10.0.0.2", 2, 0}}, 2, NULL);
    add("bad-peers-repeated", CF_EFORMAT,
        (item[]){{K[1], "10.0.0.1", 1, 0}, {K[1], "10.0.0.2", 2, 0}}, 2, NULL);
    add("bad-peers-key-31", CF_ERANGE, (item[]){{K[1], "10.0.0.1", 1, 31}}, 1, NULL);
    add("bad-peers-host-name", CF_EFORMAT, (item[]){{K[1], "node.example", 1, 0}}, 1, NULL);
    add("bad-peers-host-46", CF_ECBOR_LIMIT,
        (item[]){{K[1], "ffff:ffff:ffff:ffff:ffff:ffff:255.255.255.2555", 1, 0}}, 1, NULL);
    add("bad-peers-port-0", CF_ERANGE, (item[]){{K[1], "10.0.0.1", 0, 0}}, 1, NULL);
    add("bad-peers-port-65536", CF_ERANGE, (item[]){{K[1], "10.0.0.1", 65536, 0}}, 1, NULL);
    add("bad-peers-extra-key", CF_EFORMAT, NULL, 0, "zzzzzz");
}

static void test_seeds(void **state)
{
    (void)state;
    char rel[128];
    wire_msg m;
    build_seeds();
    for (size_t i = 0; i < g_nseeds; i++) {
        const seed *s = &g_seeds[i];
        const char *why = NULL;
        int rc = wire_decode(s->bytes, s->len, &m, &why);
        if (rc != s->want)
            fail_msg("seed %s: decode gives %s (%s), not %s", s->name, cf_errname(rc),
                     why ? why : "", cf_errname(s->want));
        if (rc == CF_OK) roundtrip(s->bytes, s->len, &m);
        else assert_non_null(why);
        snprintf(rel, sizeof rel, "fuzz/corpus/wire/%s", s->name);
        tu_corpus_seed(rel, s->bytes, s->len);
    }
}

/* Every bit of a valid message flipped: refused, or a message that
 * re-encodes to exactly those bytes. */
static void test_mutations(void **state)
{
    (void)state;
    wire_msg m;
    build_seeds();
    const seed *s = &g_seeds[0];
    uint8_t b[BUF_BYTES];
    for (size_t i = 0; i < s->len * 8; i++) {
        memcpy(b, s->bytes, s->len);
        b[i / 8] ^= (uint8_t)(1u << (i % 8));
        if (wire_decode(b, s->len, &m, NULL) == CF_OK) roundtrip(b, s->len, &m);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_roundtrip),
        cmocka_unit_test(test_seeds),
        cmocka_unit_test(test_mutations),
    };
    return cmocka_run_group_tests(tests, setup, NULL);
}
