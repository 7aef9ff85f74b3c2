/* fuzz_wire.c — libFuzzer target: the replication message decoder
 * (node/net/wire.h), which reads every frame a peer sends after the
 * handshake. Any input is refused or decodes into a message whose lists walk
 * to their end and that re-encodes to exactly the input (one message, one
 * encoding). Seeds: tests/fuzz/corpus/wire, written and checked by
 * tests/unit/test_wire.c. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "net/wire.h"

static void walk(const wire_seq *s, int kind)
{
    wire_iter it;
    wire_feed f;
    const uint8_t *p;
    size_t n, count = 0;
    int rc;
    wire_iter_init(&it, s);
    while ((rc = kind == 0 ? wire_next_feed(&it, &f)
                 : kind == 1 ? wire_next_author(&it, &p)
                             : wire_next_entry(&it, &p, &n)) == 0)
        count++;
    if (rc != 1 || count != s->count) abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *d, size_t n);
int LLVMFuzzerTestOneInput(const uint8_t *d, size_t n)
{
    static uint8_t out[2u << 20];
    wire_msg m;
    size_t len;
    if (wire_decode(d, n, &m, NULL) != 0) return 0;
    walk(&m.feeds, 0), walk(&m.forks, 1), walk(&m.entries, 2);
    if (n <= sizeof out &&
        (wire_encode_msg(&m, out, sizeof out, &len) != 0 || len != n || memcmp(out, d, n) != 0))
        abort();
    return 0;
}
