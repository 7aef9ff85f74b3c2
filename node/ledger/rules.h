/* rules.h — the co-investment rules, as pure functions of an entry and the
 * ledger state (state.h). The same code runs at the author's append, at every
 * replica's ingest and in the offline audit, so every honest node reaches the
 * same verdict. docs/rules.md states each rule with its arithmetic.
 *
 * A rule reads only: the entry, its own feed before it (through the feed's
 * tip and the totals only that feed changes), the governance feed up to the
 * entry's `gov` (records carry the governance index that created them), and
 * the entries it cites. No clock, no arrival order.
 *
 * Verdicts:
 *   CF_OK        the entry may be applied;
 *   CF_EREJECTED it breaks a rule: d->rule holds the ID ("R-MATCH.4") and
 *                d->text the entry and the numbers;
 *   CF_EPENDING  it needs entries not yet applied here (a later governance
 *                entry, a cited contribution); d->text says which;
 *   other < 0    the state could not be read (store error).
 */
#ifndef COFUND_RULES_H
#define COFUND_RULES_H

#include <stdbool.h>
#include <stdint.h>

#include "diag.h"
#include "entry.h"
#include "state.h"

/* Limits that bound every total a query sums (docs/rules.md, R-VOLUME and
 * R-MEMBERS): a feed's volume — the amounts its entries carry, summed — is
 * at most LEDGER_FEED_VOLUME_MAX, and a network has at most
 * LEDGER_MEMBERS_MAX members (as many as a home holds feeds). Every figure a
 * query reports sums amounts of at most every member's feed, so none can
 * leave int64. */
#define LEDGER_FEED_VOLUME_MAX INT64_C(2000000000000000)
/* The least sanity bound the governance may set (R-BOUND): 10,000.00 yuan. */
#define LEDGER_BOUND_MIN_FEN INT64_C(1000000)
#define LEDGER_MEMBERS_MAX 4096
_Static_assert(LEDGER_MEMBERS_MAX * LEDGER_FEED_VOLUME_MAX <= INT64_MAX,
               "every member's volume together fits an int64");
_Static_assert(LEDGER_FEED_VOLUME_MAX >= AMOUNT_FEN_MAX, "one entry of the largest amount fits");

/* What an entry adds to its feed's volume: the amount it carries (a lease's
 * price, a default's loss), 0 for governance entries; a reversal's is minus
 * the amount of the entry it reverses (R-REVERSE), whose totals it moved
 * back. */
int64_t ledger_entry_volume(const entry *e);

/* R-SUCCEED, the governance's successions, outside the rules: a home or an
 * audit about to apply entries from empty (a rebuild, a replay) notes every
 * succession it holds as a fact first (state_succession_note), so that the
 * old governance key's feed stops at its close before the drain reaches the
 * new key's feed; a home takes a non-member's feed when its first entry is a
 * succession the recovery keys signed.
 * ledger_network_of_genesis: the network record genesis g (its leaf hash
 * `leaf`) makes. ledger_succession_signed: e is a succession whose
 * signatures reach the quorum of net's recovery keys (R-SUCCEED.2).
 * ledger_succession_note: the same, then the fact noted (*noted: it stands
 * now). */
void ledger_network_of_genesis(const entry *g, const uint8_t leaf[32], state_network *out);
bool ledger_succession_signed(const state_network *net, const entry *e);
int ledger_succession_note(const ledger_kv *kv, const state_network *net, const entry *e,
                           bool *noted);

/* Is id a rule ID the engine gives in its verdicts ("R-MATCH.4")? */
bool ledger_rule_known(const char *id);

/* The compensation the pool owes now for the default (bank, index) it
 * guaranteed (R-POOL.3, R-POOL.9): CF_OK with *due (0 is a valid
 * compensation: it settles the default) and d->rule, d->text saying which
 * rule sets it and how; CF_EREJECTED with d saying why no
 * compensation can cite it (not a default under this pool, not guaranteed,
 * already compensated); a state error. */
int ledger_compensation_due(const ledger_kv *kv, const state_program *pool,
                            const uint8_t bank[32], uint64_t index, int64_t *due, diag *d);

/* Check e, to be applied as the next entry of its author's feed. leaf is the
 * entry's RFC 6962 leaf hash (the network id, for a genesis entry). */
int ledger_check(const ledger_kv *kv, const entry *e, const uint8_t leaf[32], diag *d);

/* Apply the state changes of an entry that ledger_check accepted. */
int ledger_apply(const ledger_kv *kv, const entry *e, const uint8_t leaf[32], diag *d);

/* Decode bytes as the entry at (author, index), check and apply it.
 * R-ENV covers decoding and the feed position. On any verdict other than
 * CF_OK nothing was written (a store error part-way through apply is the
 * caller's to roll back with its transaction). e (optional) receives the
 * decoded entry. */
int ledger_process(const ledger_kv *kv, const uint8_t author[32], uint64_t index,
                   const uint8_t *bytes, size_t len, entry *e, diag *d);

/* What consecutive ledger_process_entry calls over one state share: records
 * that change only through entries the cache sees applied — the network
 * (genesis) and feed tips (each feed's own entries) — or that are written
 * once and never changed — members and programs. A batch of entries reads
 * them once instead of once or more per entry. The caller promises that
 * nothing else writes the state while the cache is in use (start a new one
 * after, e.g., clearing the state). After an error that is not a verdict (a
 * store error) the cache resets itself: the caller aborts its transaction
 * anyway. A few records of each kind are kept, the least recently used
 * replaced first. Fields are private. */
#define LEDGER_CACHE_TIPS 8     /* the author, governance, a match's citations */
#define LEDGER_CACHE_MEMBERS 8
#define LEDGER_CACHE_PROGRAMS 4
typedef struct {
    bool have_net;
    state_network net;
    uint64_t clock; /* use stamps; a slot used at 0 is empty */
    struct {
        uint64_t used;
        uint8_t author[32];
        state_tip tip;
    } tips[LEDGER_CACHE_TIPS];
    struct {
        uint64_t used;
        state_member m;
    } members[LEDGER_CACHE_MEMBERS];
    struct {
        uint64_t used;
        state_program p;
    } programs[LEDGER_CACHE_PROGRAMS];
} ledger_cache;

void ledger_cache_init(ledger_cache *c);
/* The network record (CF_ENOTFOUND before genesis) and a feed's tip, read
 * through the cache (c may be NULL: read from kv). */
int ledger_cache_network(const ledger_kv *kv, ledger_cache *c, state_network *out);
int ledger_cache_tip(const ledger_kv *kv, ledger_cache *c, const uint8_t author[32],
                     state_tip *out);

/* ledger_process for an entry already decoded and hashed: e must be what
 * entry_decode accepted from the entry's exact bytes (and still points into
 * them), leaf SHA-256(0x00 || bytes) of the same bytes (merkle_leaf_hash).
 * The same checks follow: e's author and index must be (author, index),
 * then the rules. cache (optional) as above. append_entries decodes and hashes
 * once for the rules and the store alike; replica_drain takes the leaf the
 * store computed when it stored the entry. */
int ledger_process_entry(const ledger_kv *kv, ledger_cache *cache,
                         const uint8_t author[32], uint64_t index, const entry *e,
                         const uint8_t leaf[32], diag *d);

/* The read point the author of reversal e states (R-REVERSE.3): for a
 * contribution that names a program, every entry of the program operator's
 * open key's feed applied here (*has true); otherwise none. */
int ledger_reversal_read(const ledger_kv *kv, ledger_cache *cache, const entry *e, bool *has,
                         uint64_t *read);

/* Display name of a member for messages: its registered name, or the first
 * 16 hex digits of its key when unknown. */
void ledger_member_label(const ledger_kv *kv, const uint8_t key[32], char *out,
                         size_t cap);

#endif
