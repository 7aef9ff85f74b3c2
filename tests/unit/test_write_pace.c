/* test_write_pace.c — how long a node waits between two writes of batches
 * and cosig merges (node/net/net_limits.h, net_write_gap_ms; docs/protocol.md
 * §4 "Applying together"): NET_WRITE_GAP_MS after a quick write, NET_WRITE_PACE
 * times the last write's wall time after a slow one (a node on a busy
 * machine writes at most a quarter of the time), never more than
 * NET_WRITE_GAP_MAX_MS. Each bound on both sides. net_limits.h is the
 * daemon's own header; the function is a pure one, tested here alone. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "net/net_limits.h"

/* The least gap: what a node on a quiet machine waits (a write takes ~10 ms
 * at 64 members on 2 cores). */
static void test_quick_writes(void **state)
{
    (void)state;
    assert_int_equal(net_write_gap_ms(0), NET_WRITE_GAP_MS);
    assert_int_equal(net_write_gap_ms(10), NET_WRITE_GAP_MS);
    /* The last write time that leaves the gap at its least, and the next. */
    uint64_t edge = NET_WRITE_GAP_MS / NET_WRITE_PACE;
    assert_int_equal(net_write_gap_ms(edge), NET_WRITE_GAP_MS);
    assert_true(net_write_gap_ms(edge + 1) > NET_WRITE_GAP_MS);
}

/* Slow writes: the gap follows them, NET_WRITE_PACE times as long (~260 ms
 * a write at 256 members on 2 cores). */
static void test_slow_writes(void **state)
{
    (void)state;
    uint64_t edge = NET_WRITE_GAP_MS / NET_WRITE_PACE;
    assert_int_equal(net_write_gap_ms(edge + 1), (edge + 1) * NET_WRITE_PACE);
    assert_int_equal(net_write_gap_ms(100), 100 * NET_WRITE_PACE);
    uint64_t top = NET_WRITE_GAP_MAX_MS / NET_WRITE_PACE;
    assert_int_equal(net_write_gap_ms(top - 1), (top - 1) * NET_WRITE_PACE);
    /* Monotonic over the whole range that moves it. */
    for (uint64_t ms = 1; ms <= top + 10; ms++)
        assert_true(net_write_gap_ms(ms) >= net_write_gap_ms(ms - 1));
}

/* The cap: a write that stalled for seconds (a disk busy elsewhere) delays
 * the next by at most NET_WRITE_GAP_MAX_MS, whatever the figure. */
static void test_cap(void **state)
{
    (void)state;
    uint64_t top = NET_WRITE_GAP_MAX_MS / NET_WRITE_PACE;
    assert_int_equal(net_write_gap_ms(top), NET_WRITE_GAP_MAX_MS);
    assert_int_equal(net_write_gap_ms(top + 1), NET_WRITE_GAP_MAX_MS);
    assert_int_equal(net_write_gap_ms(60000), NET_WRITE_GAP_MAX_MS);
    assert_int_equal(net_write_gap_ms(UINT64_MAX / 2), NET_WRITE_GAP_MAX_MS);
    assert_int_equal(net_write_gap_ms(UINT64_MAX), NET_WRITE_GAP_MAX_MS);
    assert_true(NET_WRITE_GAP_MAX_MS >= NET_WRITE_GAP_MS);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_quick_writes),
        cmocka_unit_test(test_slow_writes),
        cmocka_unit_test(test_cap),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
