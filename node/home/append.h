/* append.h — the author's write path: the one way entries enter this home's
 * own feed.
 *
 * In one store write transaction: fill each entry's envelope (network,
 * author, index, time, gov), encode it, run the rules (ledger_process:
 * decode, check, apply state changes), append the bytes and Merkle nodes,
 * then sign and store the new checkpoint. Within a batch, a checkpoint is
 * also signed and stored whenever the entries since the previous one reach
 * a span limit (ckpt.h: CKPT_SPAN_ENTRIES_MAX, CKPT_SPAN_BYTES_MAX), so that
 * any feed can be replicated in frame-sized verifiable batches. Any failure
 * aborts the whole transaction: a rejected entry writes nothing.
 */
#ifndef COFUND_APPEND_H
#define COFUND_APPEND_H

#include <stddef.h>
#include <stdint.h>

#include "crypto/keyfile.h"
#include "home.h"
#include "ledger/diag.h"
#include "ledger/entry.h"

/* The author's own check (DESIGN §5): refuse times further ahead of this
 * machine's clock than this. Not a replicated rule. */
#define APPEND_FUTURE_MS_MAX (5 * 60 * 1000)
/* Entries one call may append in one transaction. */
#define APPEND_BATCH_MAX 100000

typedef struct {
    uint64_t first_index; /* index of the first appended entry */
    uint64_t size;        /* the feed's size afterwards (= checkpoint size) */
    uint8_t root[32];
    uint8_t last_leaf[32];
    uint64_t checkpoints; /* checkpoints signed: the span ones and the final one */
} append_result;

/* Append es[0..n) to h's own feed. Callers set each entry's type and body;
 * time_ms == 0 means "now" (now_ms, but never earlier than the feed's last
 * entry). The envelope fields are filled in es. On rejection returns
 * CF_EREJECTED with d naming the rule; an entry the rules would hold as
 * pending (it cites what this home does not hold) is refused with
 * CF_EPENDING. */
int append_entries(home *h, const keyfile_keypair *kp, entry *es, size_t n,
                uint64_t now_ms, append_result *res, diag *d);

/* append_entries with flags. APPEND_DRY_RUN: everything runs — envelope,
 * encoding, the rules, the tree — and the transaction is then aborted:
 * CF_OK means the rules accept the entries (es and res say what would have
 * been written), and nothing was written. */
#define APPEND_DRY_RUN 1u
int append_entries_opts(home *h, const keyfile_keypair *kp, entry *es, size_t n,
                        uint64_t now_ms, unsigned flags, append_result *res, diag *d);

#endif
