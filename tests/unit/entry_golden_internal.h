/* entry_golden_internal.h — what the entry_golden*.c files share: the
 * values of the representative entries and the envelope helpers. */
#ifndef COFUND_ENTRY_GOLDEN_INTERNAL_H
#define COFUND_ENTRY_GOLDEN_INTERNAL_H

#include <stdint.h>

#include "entry_doc.h"
#include "ledger/entry.h"

#define T0_MS UINT64_C(1767574800000) /* 2026-01-05T09:00:00+08:00 */
#define NET_NAME "City co-investment network \xe5\x90\x88\xe6\x8a\x95" /* 合投 */
#define GOV_MEMBER "city-fund"
#define INVESTOR "investor-a"
#define PROGRAM_ID "incubation-2026"
#define PROJECT_ID "acme-robotics"
#define PROJECT_NAME "Acme Robotics \xe6\x9c\xba\xe5\x99\xa8\xe4\xba\xba" /* 机器人 */
#define PROJECT_KIND "intelligent manufacturing"
#define ROUND "seed"
#define CAP_FEN INT64_C(30000000)       /* 300,000.00 */
#define BUDGET_FEN INT64_C(600000000)   /* 6,000,000.00 */
#define CONTRIB_FEN INT64_C(50000000)   /* 500,000.00 */
#define CITE1_FEN INT64_C(20000000)
#define CITE2_FEN INT64_C(10000000)
#define EXIT_FEN INT64_C(1000000000000) /* needs an 8-byte uint */

/* Envelope patterns: net 40.., author a0.., keys 10.. / 70.., cites 20.. 30.. 60.. 80.. */
/* out = first, first + 1, ..., first + 31. */
void golden_fill32(uint8_t out[32], uint8_t first);
/* An envelope of type t at index and gov, as an entry / as d's document. */
void golden_env_make(entry *e, enum entry_type t, uint64_t index, uint64_t gov);
void golden_env_doc(doc *d, enum entry_type t, uint64_t index, uint64_t gov);

#endif
