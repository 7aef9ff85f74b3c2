/* rules_model.h — the rule engine (node/ledger/rules.h, DESIGN §5) restated
 * as a small, deliberately naive model for test_rules_model.c: plain arrays,
 * loops over every entry, every total recomputed from a log of effects,
 * calendar years counted day by day from 1970. It shares nothing with the
 * engine but the entry types.
 *
 * Check order: DESIGN §5 does not say which rule reports when an entry breaks
 * several, so the model checks in the engine's documented order (rules.c:
 * R-TIME, R-GOV, pending gov, R-ROLE, then the type's rules; rules_invest.c:
 * R-REF, the operator's R-ROLE, R-MATCH.5, .1, the sum of .4, pending
 * citations, then per citation .2, .3, .4, then R-CAP, R-BUDGET). R-SUM
 * (int64 overflow) cannot be reached by 61 entries of at most 10^15 fen, so
 * the model leaves it out.
 */
#ifndef COFUND_RULES_MODEL_H
#define COFUND_RULES_MODEL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "entry.h"

#define OPS_MIN 20
#define OPS_MAX 60             /* per sequence, after the genesis entry */
#define FEED_MAX (OPS_MAX + 1) /* entries one feed can hold */
#define CITES_MAX 3
#define EFFECTS_MAX (FEED_MAX * 7)
#define DAY_MS UINT64_C(86400000)
#define HOUR_MS UINT64_C(3600000)

/* ---- the cast --------------------------------------------------------------
 * Nine keys; a sequence plans 5 to 8 of them as members. The stranger is never
 * planned: it writes as a non-member, or joins under some name. */
enum { A_GOV, A_FUND_A, A_FUND_B, A_INV_A, A_INV_B, A_INV_C, A_TEAM_A, A_TEAM_B, A_STRANGER,
       ACTORS };
extern const char *const actor_name[ACTORS];
extern const enum member_role actor_role[ACTORS];
#define NPROG 3
#define NPROJ 3
#define NROUND 2
extern const char *const program_name[NPROG];
extern const char *const project_name[NPROJ];
extern const char *const round_name[NROUND];
#define SOCIAL (ROLE_BIT(ROLE_INVESTOR) | ROLE_BIT(ROLE_TEAM))
#define HOLDERS (ROLE_BIT(ROLE_FUND) | SOCIAL)

/* Actor a's key: 32 bytes of 0xA0 + a. */
void actor_key(int a, uint8_t key[32]);

typedef struct {
    int operator_actor;
    uint32_t roles, num, den, window_days;
    bool has_cap, has_budget;
    int64_t cap, budget;
    uint64_t start;
} prog_spec;

/* An entry to submit, in the model's terms (indices into the tables above). */
typedef struct {
    int actor;
    uint64_t index;
    uint8_t leaf[32];
    int64_t amount; /* allocation */
} op_cite;

typedef struct {
    enum entry_type type;
    int author;
    uint64_t index, time, gov;
    int key, name;               /* member: whose key, which name */
    enum member_role role;       /* member */
    int program, project, round; /* program -1: a contribution naming none */
    int64_t amount;
    size_t ncites;
    op_cite cites[CITES_MAX];
} op;

typedef struct {
    enum entry_type type;
    uint8_t leaf[32];
    uint64_t time;
    int project, round, program; /* contributions */
    int64_t amount, allocated;
} m_entry;

typedef struct {
    uint64_t n, last_time, last_gov;
    m_entry e[FEED_MAX];
} m_feed;

/* Members, programs and projects, with the governance index that added them. */
typedef struct { bool is; enum member_role role; int name; uint64_t added_at; } m_member;
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
};
typedef struct { uint64_t time; enum m_kind kind; int a, b; int64_t delta; } m_effect;

typedef struct {
    int32_t tz_min;
    const prog_spec *spec; /* program bodies, by program */
    m_feed feed[ACTORS];
    m_member member[ACTORS];
    m_reg program[NPROG], project[NPROJ];
    size_t neffects;
    m_effect effect[EFFECTS_MAX];
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
/* Some member (as of now) goes by name. */
bool m_name_taken(const model *m, int name);
/* The verdict on o given everything applied so far. */
verdict m_check(const model *m, const op *o);
/* Applies o, accepted, whose entry hashes to leaf. */
void m_apply(model *m, const op *o, const uint8_t leaf[32]);

#endif
