/* rules_fixture.h — a small ledger for rule tests: an in-memory state
 * (memkv), fixed member keys, and helpers that build entries, encode them
 * (entry_encode) and push them through ledger_process at their author's
 * feed position.
 *
 * No cmocka here, so the libFuzzer target can #include rules_fixture.c as
 * well: helpers that must succeed call fx_fail_hook (abort() by default;
 * cmocka tests point it at fail_msg). Times are explicit ms (no clock).
 *
 * The network (fx_setup): genesis by `gov` in +08:00, then the members
 * fund, inv-a, inv-b (investors), team and auditor, the programs `ind`
 * (industrial: counterpart investor, 1:1, 90-day window, no cap or budget)
 * and `inc` (incubation: counterpart team, 1:1, 300,000.00 per project,
 * 6,000,000.00 per calendar year), and the projects p1 and p2; all at
 * FX_T0, governance size FX_GOV_SIZE. Both programs start at FX_START.
 *
 * The instruments network (fx_setup_instruments) adds the members bank-a and
 * bank-b (banks) and lessor, the programs `pool` (a pool operated by fund:
 * leverage 10, share 7:10, size 100,000,000.00), `lease` (leasing operated
 * by lessor: down payment 10-40%, financing 30-80%, advance 0-30%) and
 * `award` (awards by fund: 100,000.00 or 500,000.00, 1,000,000.00 a year),
 * and the project p3; governance size FX_INST_GOV_SIZE.
 */
#ifndef COFUND_RULES_FIXTURE_H
#define COFUND_RULES_FIXTURE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "ledger/diag.h"
#include "ledger/entry.h"
#include "ledger/memkv.h"
#include "ledger/state.h"

/* Keys: members of the default network, then keys tests may add. */
enum fx_who {
    FX_GOV,
    FX_FUND,
    FX_INV_A,
    FX_INV_B,
    FX_TEAM,
    FX_AUDITOR,
    FX_FUND2,    /* not a member until a test adds it */
    FX_OUTSIDER, /* never a member */
    FX_BANK,     /* bank-a, bank-b, lessor: members of the instruments network */
    FX_BANK2,
    FX_LESSOR,
    FX_KEYS
};

#define FX_TZ_MIN 480                   /* +08:00 */
#define FX_YUAN(y) ((int64_t)(y) * 100) /* yuan -> fen */
#define FX_DAY_MS UINT64_C(86400000)
#define FX_IND_WINDOW_DAYS 90
#define FX_INC_CAP_FEN FX_YUAN(300000)
#define FX_INC_BUDGET_FEN FX_YUAN(6000000)
#define FX_GOV_SIZE 10 /* governance entries written by fx_setup */
#define FX_INST_GOV_SIZE 17 /* and by fx_setup_instruments */
#define FX_POOL_SIZE_FEN FX_YUAN(100000000)
#define FX_AWARD_BUDGET_FEN FX_YUAN(1000000)

typedef struct {
    int who;
    uint64_t index;
    uint8_t leaf[32];
} fx_ref;

typedef struct {
    const char *id;
    int operator_who;
    uint32_t roles; /* ROLE_BIT set */
    uint32_t num, den;
    uint32_t window_days;
    int64_t cap_fen;    /* 0: none */
    int64_t budget_fen; /* 0: none */
    uint64_t start_ms;
} fx_program_spec;

typedef struct {
    memkv *mem;
    ledger_kv kv;
    uint8_t keys[FX_KEYS][32];
    uint8_t net[32];
    diag d;                         /* the last verdict's diag */
    entry e;                        /* the last pushed entry, decoded */
    uint8_t bytes[ENTRY_BYTES_MAX]; /* and its bytes */
    size_t len;
    uint8_t leaf[32];
} fx;

/* A leasing program's bounds, percent; has false: none for that part. */
typedef struct {
    bool has;
    uint32_t min, max;
} fx_bounds;

/* Called when a helper that must succeed fails (message included). */
extern void (*fx_fail_hook)(const char *msg);

extern const char *const fx_names[FX_KEYS];
/* FX_T0 = 2025-06-01T00:00Z (the governance entries), FX_START =
 * 2025-07-01T00:00Z (the programs' start). */
extern const uint64_t FX_T0, FX_START;

/* ms since the epoch of a UTC date and time. */
uint64_t fx_utc(int y, unsigned mo, unsigned d, unsigned h, unsigned mi, unsigned s);

/* An empty ledger (fx_new) or the default network (fx_setup); NULL when out
 * of memory. fx_free(NULL) is a no-op. */
fx *fx_new(void);
fx *fx_setup(void);
fx *fx_setup_instruments(void);
void fx_free(fx *f);

/* Governance size applied so far (the gov a careful author would use). */
uint64_t fx_gov(const fx *f);
/* Entries of `who`'s feed applied so far. */
uint64_t fx_next_index(const fx *f, int who);

/* An envelope for who's next entry: net, author, index, gov filled from
 * the state; the body is zeroed. */
entry fx_entry(const fx *f, int who, enum entry_type type, uint64_t time_ms);
entry fx_genesis(const fx *f, int who, uint64_t time_ms);
entry fx_member(const fx *f, int author, int key_who, enum member_role role,
                const char *name, uint64_t time_ms);
entry fx_program(const fx *f, int author, const fx_program_spec *p, uint64_t time_ms);
entry fx_project(const fx *f, int author, const char *id, uint64_t time_ms);
/* program may be NULL (the contribution names none). */
entry fx_contribution(const fx *f, int who, const char *project, const char *round,
                      const char *program, int64_t amount_fen, uint64_t time_ms);
/* The amount is the sum of the cites' amounts (saturating). */
entry fx_match(const fx *f, int who, const char *program, const char *project,
               const char *round, uint64_t time_ms, size_t ncites, const entry_cite *cites);
entry fx_exit(const fx *f, int who, const char *project, int64_t amount_fen, uint64_t time_ms);

/* Programs of the other kinds (the policy's presets in the defaults above). */
entry fx_pool_program(const fx *f, const char *id, int operator_who, uint32_t leverage,
                      uint32_t num, uint32_t den, int64_t size_fen /* 0: none */,
                      uint64_t time_ms);
entry fx_leasing_program(const fx *f, const char *id, int operator_who,
                         const fx_bounds bounds[LEASE__PARTS], uint64_t time_ms);
entry fx_award_program(const fx *f, const char *id, int operator_who, size_t nlevels,
                       const int64_t *levels_fen, int64_t budget_fen /* 0: none */,
                       uint64_t time_ms);

/* The instruments' entries. A ref is built from an fx_ref (fx_ref_of). */
entry_ref fx_ref_of(const fx *f, const fx_ref *r);
entry fx_deposit(const fx *f, int who, const char *program, int64_t amount_fen,
                 uint64_t time_ms);
entry fx_withdraw(const fx *f, int who, const char *program, int64_t amount_fen,
                  uint64_t time_ms);
entry fx_loan(const fx *f, int who, const char *program, const char *project,
              int64_t amount_fen, uint32_t term_months, uint64_t time_ms);
entry fx_guarantee(const fx *f, int who, const char *program, const fx_ref *loan,
                   int64_t amount_fen, uint64_t time_ms);
entry fx_repay(const fx *f, int who, const fx_ref *loan, int64_t amount_fen, uint64_t time_ms);
entry fx_default(const fx *f, int who, const fx_ref *loan, int64_t loss_fen, uint64_t time_ms);
entry fx_compensation(const fx *f, int who, const char *program, const fx_ref *dflt,
                      int64_t amount_fen, uint64_t time_ms);
entry fx_release(const fx *f, int who, const char *program, const fx_ref *repay,
                 int64_t amount_fen, uint64_t time_ms);
entry fx_lease(const fx *f, int who, const char *program, const char *project,
               int64_t price_fen, int64_t down_fen, int64_t financing_fen, int64_t advance_fen,
               uint64_t time_ms);
entry fx_award(const fx *f, int who, const char *program, const char *project,
               int64_t amount_fen, uint32_t year, uint64_t time_ms);

/* Encode e into buf and compute its leaf hash; fails via the hook when e
 * does not encode. Returns the length. */
size_t fx_encode(const entry *e, uint8_t buf[ENTRY_BYTES_MAX], uint8_t leaf[32]);
/* Push bytes as entry `index` of feed `author`: the ledger_process verdict,
 * with f->d; f->e, f->bytes and f->leaf keep the entry. */
int fx_push_bytes(fx *f, const uint8_t author[32], uint64_t index, const uint8_t *bytes,
                  size_t len);
/* Encode e and push it at (e->author, e->index). */
int fx_push(fx *f, const entry *e);
/* Push and require CF_OK. */
void fx_ok(fx *f, const entry *e);

/* Preset programs (the defaults use FX_START and fund as operator). */
fx_program_spec fx_industrial(const char *id);
fx_program_spec fx_incubation(const char *id);
/* Governance helpers that must succeed (at FX_T0). */
void fx_add_member(fx *f, int who, enum member_role role);
void fx_add_program(fx *f, const fx_program_spec *p);
void fx_add_project(fx *f, const char *id);

/* A contribution that must be accepted, and a citation of it. */
fx_ref fx_contribute(fx *f, int who, const char *project, const char *round,
                     const char *program, int64_t amount_fen, uint64_t time_ms);
entry_cite fx_cite(const fx *f, const fx_ref *r, int64_t amount_fen);
/* Push e, which must be accepted, and return a reference to it. */
fx_ref fx_accept(fx *f, const entry *e);

/* A single-citation match that must be accepted. */
void fx_match1(fx *f, const char *program, const fx_ref *r, const char *project,
               const char *round, int64_t amount_fen, uint64_t time_ms);

/* SHA-256 over every (key, value) record of the state, in key order, with
 * lengths; *count (optional) receives the number of records. */
void fx_digest(const fx *f, uint8_t out[32], size_t *count);

/* The value of a series now (STATE_TIME_LATEST) or as of a time. */
int64_t fx_position(const fx *f, const char *project, int who, uint64_t as_of);

#endif
