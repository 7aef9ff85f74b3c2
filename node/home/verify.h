/* verify.h — `cofund verify`: recompute and recheck everything a home holds.
 *
 * For every feed: every stored entry is re-hashed and its leaf compared with
 * the stored one; the roots at every stored checkpoint's size are recomputed
 * from the entries and compared with the checkpoint and with the stored
 * Merkle nodes; every checkpoint signature is verified; every applied
 * entry's envelope is decoded and must name this network, its feed's author
 * and its position (R-ENV). The first failure is reported with its feed and
 * index.
 */
#ifndef COFUND_VERIFY_H
#define COFUND_VERIFY_H

#include <stdint.h>

#include "home.h"
#include "ledger/diag.h"

typedef struct {
    uint64_t feeds, entries, checkpoints;
} verify_result;

/* progress (optional) is called now and then with entries checked so far. */
typedef void (*verify_progress_fn)(void *arg, uint64_t done, uint64_t total);

int verify_home(home *h, verify_result *res, verify_progress_fn progress, void *arg,
                diag *d);

#endif
