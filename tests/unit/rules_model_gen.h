/* rules_model_gen.h — the random sequences of test_rules_model.c: a
 * sequence's state (the generator's, the model's and the engine's store) and
 * the generator of its entries. The generator reads the model to aim at
 * boundaries (what is left of a cap, a citation's room, a window's last ms);
 * verdicts come from m_check alone.
 */
#ifndef COFUND_RULES_MODEL_GEN_H
#define COFUND_RULES_MODEL_GEN_H

#include <stdbool.h>
#include <stdint.h>

#include "ledger/state.h"
#include "rules_model.h"
#include "testutil.h"

typedef struct {
    uint64_t number, seed, rng;
    bool verbose;
    int year;          /* the sequence straddles the end of this year */
    uint64_t boundary; /* first ms of year + 1 in the network's zone */
    uint64_t now;      /* the clock the actors' times follow */
    bool present[ACTORS];
    prog_spec spec[NPROG];
    uint8_t net[32];
    bool has_pending[ACTORS];
    op pending[ACTORS]; /* each author's last pending entry, to resubmit */
    model m;
    ledger_kv kv;
} seq;

/* A number below n, and true pct times in a hundred, from s's stream. */
static inline uint64_t rnd(seq *s, uint64_t n) { return tu_rng_next(&s->rng) % n; }
static inline bool chance(seq *s, unsigned pct) { return rnd(s, 100) < pct; }

/* Resets s to sequence `number` drawn from seed: the zone, the year boundary
 * the clock starts before, the planned members and the program bodies. */
void seq_init(seq *s, uint64_t number, uint64_t seed, bool verbose);

/* Shared by the generator's files: an amount within 1..AMOUNT_FEN_MAX; an
 * amount aimed at the programs' limits and the boundaries; an applied entry
 * to cite — a contribution (of `program`, any: -2) or any entry — mostly a
 * recent one, with the number there were. */
int64_t clamp_amount(int64_t a);
int64_t pick_amount(seq *s);
int pick_entry(seq *s, bool contributions, int program, op_cite *c);
/* rules_model_gen_corrections.c: an amendment (governance), a reversal. */
void gen_amend(seq *s, op *o);
void gen_reversal(seq *s, op *o);

/* The next entry to submit, with its author's next index; s->now follows. */
void gen_op(seq *s, op *o);
/* rules_model_subsidy.c: a certify or revoke (governance), a subsidy. */
void gen_cert(seq *s, op *o);
void gen_subsidy(seq *s, op *o);
/* rules_model_returns.c: a valuation mark; an exit's proceeds (maybe). */
void gen_valuation(seq *s, op *o);
void gen_proceeds(seq *s, op *o);
/* `cofund returns` (query_returns) against m_returns as of as_of: false,
 * with what differs in why, when they disagree. */
bool check_returns(const seq *s, uint64_t as_of, char *why, size_t cap);
/* The generator's helpers they share (rules_model_gen.c). */
int pick_program(seq *s, int usual);
int pick_writer(seq *s, int program, uint32_t roles);
int64_t pick_amount(seq *s);

#endif
