/* rules_model.h — the rule engine (node/ledger/rules.h, DESIGN §5) restated
 * as a small, deliberately naive model for test_rules_model.c: plain arrays,
 * loops over every entry, every total recomputed from a log of effects,
 * calendar years counted day by day from 1970. It shares nothing with the
 * engine but the entry types.
 *
 * Check order: DESIGN §5 does not say which rule reports when an entry breaks
 * several, so the model checks in the engine's documented order (rules.c:
 * R-TIME, R-GOV, pending gov, R-ROLE, R-KEY.2, R-KEY.3, R-VOLUME, the
 * program's checks, a disputed citation, then the type's rules; rules_invest.c:
 * R-REF, the operator's R-ROLE, R-MATCH.5, .1 and .6's read point, the sum of .4, pending
 * citations, then per citation .2, .3, .4, then .6 per counterpart, then R-CAP, R-BUDGET; for the
 * types that name a program, rules.c's load_program first: R-REF (registered,
 * of the right kind), then the operator's R-ROLE; then rules_pool.c and
 * rules_lease.c and rules_subsidy.c in their documented orders). R-SUM (int64 overflow) cannot
 * be reached by 81 entries of at most 10^15 fen, so the model leaves it out.
 *
 * Keys (docs/rules.md R-KEY): a member record is per key; a rekey closes the
 * member's current key and gives a new key the member's name, role and
 * identity (its first key). Positions and the pool's figures per bank are the
 * identity's; a program's operator is a member, whichever of its keys
 * writes. A citation of a closed feed at or past its closing is disputed
 * (R-FORK.2): a match's disputed part is neither checked nor counterpart
 * capital; any other entry citing one is applied and changes nothing.
 */
#ifndef COFUND_RULES_MODEL_H
#define COFUND_RULES_MODEL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "ledger/entry.h"

#define OPS_MIN 20
#define OPS_MAX 80             /* per sequence, after the genesis entry */
#define FEED_MAX (OPS_MAX + 1) /* entries one feed can hold */
#define CITES_MAX 3
#define EFFECTS_MAX (FEED_MAX * 8)
#define DAY_MS UINT64_C(86400000)
#define HOUR_MS UINT64_C(3600000)

/* ---- the cast --------------------------------------------------------------
 * Eleven keys may be planned, the governance's among them; a sequence plans
 * 6 to 11 of them as members. The
 * stranger is never planned: it writes as a non-member, or joins under some
 * name. The spare keys are what rekeys give members (or, now and then, keys
 * that join as members of their own). */
enum { A_GOV, A_FUND_A, A_FUND_B, A_INV_A, A_INV_B, A_INV_C, A_TEAM_A, A_TEAM_B, A_BANK_A,
       A_BANK_B, A_LESSOR, A_STRANGER, A_KEY1, A_KEY2, A_KEY3, ACTORS };
extern const char *const actor_name[ACTORS];
extern const enum member_role actor_role[ACTORS];
/* Programs: inc, ind, pz (match), pl (pool), ls (leasing), aw (award), sb
 * (subsidy). */
enum { P_INC, P_IND, P_PZ, P_POOL, P_LEASE, P_AWARD, P_SUBSIDY, NPROG };
#define NPROJ 3
#define NROUND 2
extern const char *const program_name[NPROG];
extern const char *const project_name[NPROJ];
extern const char *const round_name[NROUND];
#define SOCIAL (ROLE_BIT(ROLE_INVESTOR) | ROLE_BIT(ROLE_TEAM))
#define HOLDERS (ROLE_BIT(ROLE_FUND) | SOCIAL)
#define LEVELS_MAX 3

/* Actor a's key: 32 bytes of 0xA0 + a. */
void actor_key(int a, uint8_t key[32]);

typedef struct {
    enum program_kind kind;
    int operator_actor;
    uint32_t roles, num, den, window_days; /* match; num, den: a pool's share too */
    bool has_cap, has_budget;              /* has_budget: awards too */
    int64_t cap, budget;
    uint64_t start;
    uint32_t leverage; /* pool */
    bool has_size;
    int64_t size;
    bool has_bound[3]; /* leasing: down, financing, advance */
    uint32_t bound_min[3], bound_max[3];
    size_t nlevels; /* award */
    int64_t levels[LEVELS_MAX];
    bool requires;  /* award: a demonstration certification (R-AWARD.5) */
    enum cert_kind basis; /* subsidy: num, den its share; cap per unit, budget */
    bool has_rcap;
    int64_t rcap;   /* per recipient per calendar year */
} prog_spec;

/* An entry to submit, in the model's terms (indices into the tables above). */
typedef struct {
    int actor;
    uint64_t index;
    uint8_t leaf[32];
    int64_t amount; /* allocation */
    bool has_read;  /* a match's read point of the cited feed (R-MATCH.6) */
    uint64_t read;
} op_cite;

typedef struct {
    enum entry_type type;
    int author;
    uint64_t index, time, gov;
    int key, name;               /* member, rekey: whose key, which name; retire: name */
    uint64_t close;              /* rekey, retire */
    enum member_role role;       /* member */
    int program, project, round; /* program -1: a contribution naming none */
    int64_t amount;              /* a lease's price, a default's loss */
    size_t ncites;
    op_cite cites[CITES_MAX];    /* the single reference of a pool entry: cites[0] */
    int64_t parts[3];            /* lease: down, financing, advance */
    uint32_t year, term;         /* award, certify; loan */
    uint64_t from;               /* amend: its terms from then on; certify: in force from;
                                  * revoke: at */
    bool has_cap, has_budget;    /* amend: the terms it states (0: removed) */
    int64_t cap, budget;
    /* certify: its kind, fields stated (R-CERT.1), until (0: none);
     * revoke: cert; subsidy: cert, units, price, the sale (-1: none; a
     * lease: cites[0], has_lease) */
    enum cert_kind cert_kind;
    bool c_year, c_product, c_price, has_lease;
    uint64_t cert, until;
    int64_t price;
    uint32_t units;
    int sale;
    bool has_proceeds; /* exit: its proceeds stated (docs/rules.md "Returns") */
    int64_t proceeds;
} op;

typedef struct {
    enum entry_type type;
    uint8_t leaf[32];
    uint64_t time;
    int project, round, program; /* contributions; loans, repayments, defaults */
    int64_t amount, allocated;   /* allocated: contributions */
    /* loans: the bank's side */
    int64_t repaid;
    bool defaulted;
    uint64_t loan; /* repayments, defaults: their loan's index ... */
    int loan_actor; /* ... in this key's feed (a loan of an earlier key of the bank: R-KEY) */
    /* loans: the pool operator's side */
    bool guaranteed, compensated;
    uint64_t guarantee_index, compensation_index;
    uint64_t guarantee_time; /* R-POOL.9 */
    int64_t released;
    /* repayments: released by the pool */
    bool released_once;
    uint64_t release_index;
    bool disputed; /* applied as disputed: it changed nothing, nothing may cite it */
    /* R-REVERSE (rules_model_corrections.c): reversed by this feed's entry at its time;
     * a reversal's target, the index it reverses */
    bool reversed;
    uint64_t reversed_time, target;
    int64_t proceeds; /* an exit's (its amount when it states none); a valuation's
                       * value is its amount */
} m_entry;

typedef struct {
    uint64_t n, last_time, last_gov;
    int64_t volume; /* R-VOLUME */
    m_entry e[FEED_MAX];
} m_feed;

/* Members (by key), programs and projects, with the governance index that
 * added them. A member key's identity is the member's first key; prev and
 * next (-1: none) the keys before and after it; a closed key's feed counts
 * below closed_at. */
typedef struct {
    bool is;
    enum member_role role;
    int name;
    uint64_t added_at;
    int identity, prev, next;
    bool closed;
    uint64_t closed_at;
} m_member;
typedef struct { bool is; uint64_t added_at; } m_reg;

/* Every total is a sum over this log, filtered by kind, keys and time. */
enum m_kind {
    K_POS,           /* (project, holder) */
    K_DEPLOYED,      /* (program) */
    K_COUNTER,       /* (program) */
    K_PROJ_DEPLOYED, /* (program, project) */
    K_PROJ_COUNTER,  /* (program, project) */
    K_YEAR_DEPLOYED, /* (program, year) */
    K_YEAR_COUNTER,  /* (program, year) */
    K_REQUESTED,     /* (program): contributions naming it */
    K_POOL_DEP,      /* (program): deposits */
    K_POOL_WD,       /* withdrawals */
    K_POOL_COMP,     /* compensation paid */
    K_POOL_GUAR,     /* guaranteed */
    K_POOL_REL,      /* released */
    K_BANK_LENT,     /* (program, bank actor) */
    K_BANK_REPAID,
    K_BANK_LOSS,
    K_BANK_DEFAULTS,
    K_BANK_GUAR,
    K_BANK_REL,
    K_BANK_COMP,
    K_AWARDED,       /* (program, award year) */
    K_DISPUTED,      /* (program): the part of matches citing past a closing */
};
typedef struct { uint64_t time; enum m_kind kind; int a, b; int64_t delta; } m_effect;

/* reversed: the reversal's time (0: it stands) */
typedef struct {
    int program, project, author;
    uint64_t time, index, reversed;
    int64_t price, parts[3];
} m_lease;
typedef struct {
    int program, project, author;
    uint32_t year;
    int64_t amount;
    uint64_t time, index, reversed;
} m_award;

/* An amendment (R-AMEND) of a program's cap or budget (0: removed), by the
 * governance entry at gov_index, in force for entries dated from `from` on
 * whose gov counts it. */
typedef struct {
    int program;
    uint64_t gov_index, from;
    bool has_cap, has_budget;
    int64_t cap, budget;
} m_amend;
/* A certification by governance index (R-CERT), a subsidy (R-SUBSIDY). */
typedef struct {
    bool is, has_until, revoked;
    enum cert_kind kind;
    int project;
    uint32_t year;
    int64_t price;
    uint64_t from, until, revoke_gov, revoke_at;
} m_cert;
typedef struct {
    int program, project, year, sale, lease_actor;
    uint64_t lease_index, time;
    int64_t amount;
} m_subsidy;

typedef struct {
    int32_t tz_min;
    const prog_spec *spec; /* program bodies, by program */
    size_t namends;
    m_amend amend[FEED_MAX];
    m_feed feed[ACTORS];
    m_member member[ACTORS];
    m_reg program[NPROG], project[NPROJ];
    size_t neffects;
    m_effect effect[EFFECTS_MAX];
    size_t nleases, nawards;
    m_lease lease[FEED_MAX];
    m_award award[FEED_MAX];
    m_cert cert[FEED_MAX]; /* by governance index */
    size_t nsubsidies;
    m_subsidy subsidy[FEED_MAX];
} model;

typedef struct {
    int code;         /* CF_OK, CF_EREJECTED or CF_EPENDING */
    const char *rule; /* for CF_EREJECTED */
} verdict;

/* First ms of January 1st of year in zone tz_min. */
uint64_t m_year_start(int year, int32_t tz_min);
/* Calendar year of t in zone tz_min. */
int m_year(uint64_t t, int32_t tz_min);
/* The sum of the effects of kind on (a, b) up to as_of. */
int64_t m_sum(const model *m, enum m_kind kind, int a, int b, uint64_t as_of);
/* A pool's balance and loans outstanding now. */
int64_t m_balance(const model *m, int program);
int64_t m_outstanding(const model *m, int program);
/* Some member (as of now) goes by name. */
bool m_name_taken(const model *m, int name);
/* The member key the name stands for now (its newest key), or -1. */
int m_current_key(const model *m, int name);
/* The identity of a member key (a key that is no member: itself). */
int m_identity(const model *m, int key);
/* Does o cite a closed feed at or past its closing (R-KEY, R-FORK.2)? */
bool m_cites_disputed(const model *m, const op *o);
/* The verdict on o given everything applied so far. */
verdict m_check(const model *m, const op *o);
/* Applies o, accepted, whose entry hashes to leaf. */
void m_apply(model *m, const op *o, const uint8_t leaf[32]);
/* Adds an effect to the log. */
void m_add(model *m, uint64_t time, enum m_kind kind, int a, int b, int64_t delta);
/* A listing's record that stands as of as_of. */
static inline bool m_stands(uint64_t time, uint64_t reversed, uint64_t as_of)
{
    return time <= as_of && (reversed == 0 || reversed > as_of);
}

/* rules_model_corrections.c: a program's terms in force for an entry dated
 * time whose gov is gov (R-AMEND: per term, the amendment with the latest
 * from <= time, the later governance entry on a tie, among those below gov;
 * else the program's own); R-AMEND.1 for an amendment. */
prog_spec m_terms(const model *m, int program, uint64_t time, uint64_t gov);
verdict m_check_amend(const model *m, const op *o);
/* R-REVERSE for the entries the generator reverses —
 * an exit, a deposit, a withdrawal, a lease, an award (their conditions read
 * the author's own feed only) — and R-REVERSE.1/.2 for any target. */
bool m_reversible(enum entry_type t);
verdict m_check_reversal(const model *m, const op *o);
void m_apply_reversal(model *m, const op *o, m_entry *me);

/* rules_model_subsidy.c: certification and subsidies (R-CERT, R-SUBSIDY,
 * R-AWARD.5), checked and applied as m_check and m_apply do. */
verdict m_check_certify(const model *m, const op *o);
verdict m_check_revoke(const model *m, const op *o);
verdict m_check_subsidy(const model *m, const op *o);
/* R-AWARD.5: project certified as a demonstration project for year, in
 * force at t as of gov. */
bool m_demo_certified(const model *m, int project, uint32_t year, uint64_t t, uint64_t gov);
void m_apply_subsidy(model *m, const op *o);
/* The program's subsidies (program; year or -1; project or -1) up to as_of. */
int64_t m_subsidized(const model *m, int program, int year, int project, uint64_t as_of,
                     int64_t *count);

/* rules_model_returns.c: valuation marks (R-MARK) and the returns report
 * (query_returns), restated naively: every entry of every feed walked for
 * every figure. Paid in, distributed and residual value of a holder (an
 * identity) or of a matching program (holder -1) as of as_of; *any: the
 * holder has a standing contribution, match or exit. */
verdict m_check_valuation(const model *m, const op *o);
typedef struct {
    bool any;
    int64_t paid, distributed, residual;
} m_return;
m_return m_returns(const model *m, int holder, int program, uint64_t as_of);

#endif
