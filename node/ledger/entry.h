/* entry.h — cofund entries: the pinned envelope (DESIGN §3.1) and every body.
 *
 * An entry is one deterministic-CBOR map:
 *   v (uint 1) · net (bstr 32, absent in genesis only) · author (bstr 32) ·
 *   index (uint) · time (uint ms UTC) · gov (uint) · type (tstr) · body (map)
 * docs/format.md lists every body with its keys, types and limits.
 *
 * entry_decode() is the structural half of R-ENV: strict CBOR, known keys
 * only, right types, values within their limits. Whether net/author/index fit
 * the feed is checked by the rules (rules.h). Decoded strings point into the
 * entry bytes and live as long as they do; nothing is allocated.
 */
#ifndef COFUND_ENTRY_H
#define COFUND_ENTRY_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "diag.h"

/* Pinned by the design: replicas refuse larger entries before reading them. */
#define ENTRY_BYTES_MAX 16384
#define ENTRY_VERSION 1
/* Identifiers (member names, program and project ids, rounds) appear on
 * command lines and in keys: 1..64 bytes of [A-Za-z0-9._-]. */
#define ENTRY_ID_BYTES_MAX 64
/* Display names: 1..128 bytes of UTF-8 without control characters. */
#define ENTRY_NAME_BYTES_MAX 128
/* A citation encodes to ~95 bytes; 64 of them stay far below 16 KiB. */
#define ENTRY_CITES_MAX 64
/* Amounts are fen (0.01 yuan): 1 ..= 10^15 (DESIGN §3). */
#define AMOUNT_FEN_MAX INT64_C(1000000000000000)
/* Ratio terms stay small so that num * amount never overflows int64:
 * 1000 * 10^15 = 10^18 < 2^63. */
#define RATIO_TERM_MAX 1000
_Static_assert(RATIO_TERM_MAX * AMOUNT_FEN_MAX < INT64_MAX, "ratio products fit");
/* Pool programs (docs/rules.md, R-POOL): loans outstanding may reach
 * leverage × balance. Like ratio terms, at most 1000. */
#define LEVERAGE_MAX RATIO_TERM_MAX
/* A loan's term: up to fifty years. */
#define TERM_MONTHS_MAX 600
/* An award program's allowed amounts ("levels"): a short list. */
#define AWARD_LEVELS_MAX 8
/* A genesis names at most this many recovery keys (R-SUCCEED). */
#define RECOVERY_KEYS_MAX 8
/* Award years, as calendar years. */
#define AWARD_YEAR_MIN 1970
#define AWARD_YEAR_MAX 9999
/* Leasing bounds are whole percentages of the price: percent * price stays
 * below 100 * 10^15 < 2^63. */
#define PERCENT_MAX 100
_Static_assert(PERCENT_MAX * AMOUNT_FEN_MAX < INT64_MAX, "percent products fit");
/* A matching window of up to ten years. */
#define WINDOW_DAYS_MAX 3650
/* Time zone offsets UTC-12:00 ..= UTC+14:00, in minutes. */
#define TZ_MIN_MIN (-720)
#define TZ_MIN_MAX 840
/* Entry times up to the end of year TIME_YEAR_MAX (ms since the epoch). */
#define TIME_YEAR_MAX 9999
#define TIME_MS_MAX UINT64_C(253402300799999)
/* Leap years in 1..y (Gregorian); TIME_MS_MAX is the last ms of TIME_YEAR_MAX. */
#define ENTRY__LEAPS(y) ((y) / 4 - (y) / 100 + (y) / 400)
_Static_assert(((uint64_t)365 * (TIME_YEAR_MAX + 1 - 1970) + ENTRY__LEAPS(TIME_YEAR_MAX) -
                ENTRY__LEAPS(1969)) * 86400000 - 1 == TIME_MS_MAX,
               "TIME_MS_MAX ends TIME_YEAR_MAX");

enum entry_type {
    ENTRY_GENESIS = 1,
    ENTRY_MEMBER,
    ENTRY_PROGRAM,
    ENTRY_PROJECT,
    ENTRY_CONTRIBUTION,
    ENTRY_MATCH,
    ENTRY_EXIT,
    /* The policy's other instruments (docs/format.md): the loan risk
     * compensation pool, */
    ENTRY_DEPOSIT,
    ENTRY_WITHDRAW,
    ENTRY_LOAN,
    ENTRY_GUARANTEE,
    ENTRY_REPAY,
    ENTRY_DEFAULT,
    ENTRY_COMPENSATION,
    ENTRY_RELEASE,
    /* equipment leasing and demonstration awards. */
    ENTRY_LEASE,
    ENTRY_AWARD,
    /* a member's key replaced, or the member retired (R-KEY) */
    ENTRY_REKEY,
    ENTRY_RETIRE,
    /* an entry of the author's own feed reversed on the record (R-REVERSE) */
    ENTRY_REVERSAL,
    /* governance corrects and changes its own records (R-CLOSE, R-AMEND,
     * R-RENAME, R-BOUND): a program closed from a time, a program's terms
     * amended from a time forward, a project's or the network's display name
     * corrected, the network's sanity bound set */
    ENTRY_CLOSE,
    ENTRY_AMEND,
    ENTRY_RENAME,
    ENTRY_BOUND,
    /* a new governance key continues the governance, signed by a quorum of
     * the recovery keys the genesis names (R-SUCCEED) */
    ENTRY_SUCCESSION,
    /* certification by governance and the subsidies that rest on it
     * (R-CERT, R-SUBSIDY): a project certified (a demonstration project, a
     * first-set product's maker, a local equipment maker), a certification
     * withdrawn, a subsidy paid under a subsidy program */
    ENTRY_CERTIFY,
    ENTRY_REVOKE,
    ENTRY_SUBSIDY,
    /* a fund's valuation mark of a project it holds (R-MARK) */
    ENTRY_VALUATION,
    ENTRY__TYPES
};

enum member_role {
    ROLE_GOVERNANCE = 1,
    ROLE_FUND,
    ROLE_INVESTOR,
    ROLE_TEAM,
    ROLE_AUDITOR,
    ROLE_BANK,   /* lends under a pool program */
    ROLE_LESSOR, /* a leasing company: operates leasing programs */
    ROLE__COUNT
};
#define ROLE_BIT(r) (1u << (unsigned)(r))

/* A program's kind selects its body's fields (docs/format.md) and the rules
 * of the entries that name it (docs/rules.md). */
enum program_kind {
    PROGRAM_MATCH = 1, /* matched co-investment: R-MATCH, R-CAP, R-BUDGET */
    PROGRAM_POOL,      /* loan risk compensation pool: R-POOL */
    PROGRAM_LEASING,   /* equipment leasing, "three a bit": R-LEASE */
    PROGRAM_AWARD,     /* demonstration awards: R-AWARD */
    PROGRAM_SUBSIDY,   /* first-set and local purchase/lease subsidies: R-SUBSIDY */
    PROGRAM__KINDS
};

/* What a certification certifies (R-CERT): a demonstration project (for a
 * program year), a first-set product (its maker, the product, a certified
 * price), a local equipment maker. A subsidy program's basis is first-set or
 * local; an award program may require a demonstration certification. */
enum cert_kind { CERT_DEMONSTRATION = 1, CERT_FIRST_SET, CERT_LOCAL, CERT__KINDS };
/* Units of a product one subsidy pays for: a short count, so that
 * units × price stays below 1000 × 10^15 < 2^63 (RATIO_TERM_MAX). */
#define SUBSIDY_UNITS_MAX RATIO_TERM_MAX

/* The three parts of a lease, in this order everywhere. */
enum lease_part { LEASE_DOWN, LEASE_FINANCING, LEASE_ADVANCE, LEASE__PARTS };

typedef struct {
    const char *s; /* into the entry bytes; not NUL-terminated */
    size_t n;
} entry_text;

/* Ed25519 keys, strictly increasing bytewise (one list, one encoding). */
typedef struct {
    size_t n;
    uint8_t keys[RECOVERY_KEYS_MAX][32];
} entry_keys;

/* Signatures by keys, strictly increasing by key: each [key, sig]. */
typedef struct {
    size_t n;
    uint8_t keys[RECOVERY_KEYS_MAX][32];
    uint8_t sigs[RECOVERY_KEYS_MAX][64];
} entry_sigs;

typedef struct {
    entry_text name;   /* the network's display name */
    entry_text member; /* the governance member's name (an identifier) */
    int32_t tz_min;    /* calendar offset for budgets, minutes east of UTC */
    /* Optional, both or neither: the recovery keys, kept offline, a quorum
     * of which may sign a succession of the governance key (R-SUCCEED). */
    bool has_recovery, has_quorum;
    entry_keys recovery;
    uint32_t quorum; /* 1 ..= recovery.n */
} body_genesis;

typedef struct {
    uint8_t key[32];
    enum member_role role; /* never ROLE_GOVERNANCE */
    entry_text name;       /* identifier, unique in the network */
    bool has_display;      /* a display name (any language); R-RENAME corrects it */
    entry_text display;
} body_member;

/* A member's key replaced (rekey) or the member retired (retire): the
 * member's current key's feed closes at `close` (its entries below stand,
 * none from there on counts); a rekey's `key` continues the member. */
typedef struct {
    entry_text name; /* the member (an identifier) */
    uint8_t key[32]; /* rekey: the new key */
    uint64_t close;  /* the closed feed's entries below this index stand */
} body_rekey;

/* A leasing program's bounds on one part's share of the price, percent. */
typedef struct {
    uint32_t min_pct, max_pct; /* 0 <= min <= max <= 100 */
} pct_range;

/* A program: id, kind and operator, then the fields of its kind (only those
 * are encoded and decoded; the others stay zero). */
typedef struct {
    entry_text id;
    entry_text kind;          /* program_kind_name(): "match", "pool", ... */
    uint8_t operator_key[32]; /* a fund member (a lessor for leasing) */
    /* kind "match" */
    uint32_t counterpart_roles;    /* ROLE_BIT set of investor/team */
    uint32_t ratio_num, ratio_den; /* fund : counterpart */
    uint32_t window_days;
    bool has_cap;
    int64_t cap_fen; /* per project */
    bool has_budget;
    int64_t budget_fen; /* per calendar year; kind "award" too (per award year) */
    uint64_t start_ms;
    /* kind "pool" */
    uint32_t leverage;             /* loans outstanding <= leverage × balance */
    uint32_t share_num, share_den; /* the pool's share of a loss, num <= den */
    bool has_size;
    int64_t size_fen; /* the pool's balance never exceeds it */
    /* kind "leasing": each part's share of the price (absent: 0..100) */
    bool has_down, has_financing, has_advance;
    pct_range down, financing, advance;
    /* kind "award": the allowed amounts, strictly increasing */
    size_t nlevels;
    int64_t levels_fen[AWARD_LEVELS_MAX];
    /* kind "award", optional: only a project certified so for the award's
     * year may be awarded (R-AWARD.5; only CERT_DEMONSTRATION passes) */
    bool has_requires;
    enum cert_kind requires;
    /* kind "subsidy": the certification a subsidy rests on (first-set or
     * local), the share of the price paid (share_num : share_den, above),
     * optional caps per unit (cap_fen) and per recipient per calendar year,
     * and an optional annual budget (budget_fen) */
    enum cert_kind basis;
    bool has_recipient_cap;
    int64_t recipient_cap_fen;
} body_program;

typedef struct {
    entry_text id;
    entry_text name;
    bool has_kind;
    entry_text kind;
} body_project;

typedef struct {
    entry_text project;
    entry_text round;
    int64_t amount_fen;
    bool has_program;
    entry_text program;
} body_contribution;

typedef struct {
    uint8_t author[32];
    uint64_t index;
    uint8_t leaf[32];
    int64_t amount_fen;
    /* The read point (R-MATCH.6): how many entries of the cited feed the
     * author had applied when it wrote the match. Optional: a match written
     * before it existed has none, read as index + 1. */
    bool has_read;
    uint64_t read;
} entry_cite;

/* The last entry of the cited feed a citation says its author had read:
 * read - 1, or the cited index when it states no read point. Only for a
 * read point past the cited index (R-MATCH.6 refuses any other). */
static inline uint64_t entry_cite_last(const entry_cite *c)
{
    return c->has_read ? c->read - 1 : c->index;
}

typedef struct {
    entry_text program;
    entry_text project;
    entry_text round;
    int64_t amount_fen;
    size_t ncites;
    entry_cite cites[ENTRY_CITES_MAX];
} body_match;

/* An exit: amount_fen is what the holder takes out of its position, at
 * cost; proceeds (optional, 0 allowed) what it received for it (absent:
 * the amount, docs/rules.md "Returns"). */
typedef struct {
    entry_text project;
    int64_t amount_fen;
    bool has_proceeds;
    int64_t proceeds_fen;
} body_exit;

/* A reference to one entry of a feed: the single citation of a guarantee,
 * repay, default, compensation or release. */
typedef struct {
    uint8_t author[32];
    uint64_t index;
    uint8_t leaf[32];
} entry_ref;

/* Bodies that name a program put it first (rules.c reads it generically). */
typedef struct {
    entry_text program; /* a pool */
    int64_t amount_fen;
} body_pool_funds; /* deposit, withdraw */

typedef struct {
    entry_text program; /* the pool it asks to be guaranteed by */
    entry_text project;
    int64_t amount_fen;
    uint32_t term_months;
} body_loan;

typedef struct {
    entry_text program;
    entry_ref loan;     /* a bank's loan naming the program */
    int64_t amount_fen; /* the loan's amount */
} body_guarantee;

typedef struct {
    entry_ref loan; /* the author's own loan */
    int64_t amount_fen;
} body_repay;

typedef struct {
    entry_ref loan; /* the author's own loan */
    int64_t loss_fen;
} body_default;

typedef struct {
    entry_text program;
    entry_ref default_ref; /* the bank's default (key "default") */
    int64_t amount_fen; /* floor(share_num × loss / share_den) */
} body_compensation;

typedef struct {
    entry_text program;
    entry_ref repay;    /* a bank's repayment of a guaranteed loan */
    int64_t amount_fen; /* the repayment's amount */
} body_release;

typedef struct {
    entry_text program;
    entry_text project;   /* the enterprise */
    entry_text equipment; /* a display name */
    int64_t price_fen;
    /* The three parts: 0 decodes (R-LEASE.1 refuses it with its own ID). */
    int64_t down_fen;      /* the enterprise's down payment */
    int64_t financing_fen; /* the lessor's financing */
    int64_t advance_fen;   /* the supplier's advance */
} body_lease;

typedef struct {
    entry_text program;
    entry_text project;
    int64_t amount_fen;
    uint32_t year;
} body_award;

/* A reversal (R-REVERSE): the author reverses one of its own earlier
 * entries, restating its amount; nothing is deleted. `read` (optional): for
 * a contribution that names a program, how many entries of the program
 * operator's feed the author had applied (R-REVERSE.3). */
typedef struct {
    entry_ref entry;    /* an earlier entry of the author's own feed */
    int64_t amount_fen; /* the reversed entry's amount, restated (0 allowed) */
    bool has_read;
    uint64_t read;
    entry_text reason; /* a display name: why */
} body_reversal;

/* A certification (R-CERT), by governance; its id is its governance
 * index. The fields its kind needs (R-CERT.1): demonstration a year (and
 * optionally a batch); first-set a product and its certified price (per
 * unit); local neither. */
typedef struct {
    enum cert_kind kind;
    entry_text project; /* the certified project, the product's maker, the local maker */
    bool has_year, has_batch, has_product, has_price, has_until;
    uint32_t year;
    uint64_t batch;
    entry_text product; /* a display name */
    int64_t price_fen;  /* the certified price of one unit */
    uint64_t from;      /* in force from this time ... */
    uint64_t until;     /* ... to before this one (absent: no end) */
} body_certify;

/* A certification withdrawn from a time on (R-CERT.2). */
typedef struct {
    uint64_t certification; /* the certify entry's governance index */
    uint64_t at;
} body_revoke;

/* A subsidy paid by a subsidy program's operator (R-SUBSIDY): for a sale
 * (a reference unique in the program) or a lease (a cited lease entry),
 * of `units` of what `certification` certifies, to the buyer `project`. */
typedef struct {
    entry_text program;
    entry_text project;     /* the buyer */
    uint64_t certification; /* a certify entry's governance index */
    uint32_t units;         /* 1 ..= SUBSIDY_UNITS_MAX */
    int64_t price_fen;      /* the price paid, all units */
    int64_t amount_fen;     /* the subsidy */
    bool has_sale, has_lease; /* exactly one (R-SUBSIDY.1) */
    entry_text sale;
    entry_ref lease;
} body_subsidy;

/* A valuation mark (R-MARK): a fund's statement, dated by the entry's time,
 * of what every position recorded in the project is worth together (0: it
 * is written off). */
typedef struct {
    entry_text project;
    int64_t value_fen; /* 0 ..= AMOUNT_FEN_MAX */
} body_valuation;

/* A program closed (R-CLOSE): no entry naming it that opens new business
 * may be dated after `at` (at the closing millisecond itself is allowed). */
typedef struct {
    entry_text program; /* first, as every body naming a program */
    uint64_t at;
} body_close;

/* A program's terms amended from a time forward (R-AMEND). The amendment
 * reuses the program body's fields: terms.id is the program, terms.start_ms
 * the time the terms apply from; each term it states has its has_ flag (the
 * program body's own has_cap, has_budget, has_size, has_down, has_financing,
 * has_advance, and the flags below for terms a program always has). */
typedef struct {
    body_program terms;
    bool has_ratio, has_window, has_share, has_leverage, has_levels;
} body_amend;

/* A display name corrected (R-RENAME): a project's, a member's, or the
 * network's when neither is named (never both). A member's name is its
 * identifier and is not renamed: its display name is (docs/rules.md). */
typedef struct {
    entry_text name;
    bool has_member;
    entry_text member;
    bool has_project;
    entry_text project;
} body_rename;

/* The network's sanity bound (R-BOUND): above it, an author's command asks
 * for --yes (a local check of the command line; docs/cli.md). */
typedef struct {
    int64_t amount_fen;
} body_bound;

/* A succession (R-SUCCEED), the first entry of a new governance key's feed:
 * the governance key `prev` stops at `close` (its entries below stand) and
 * the author continues the governance, on the signatures of a quorum of
 * the genesis's recovery keys over entry_succession_statement(). */
typedef struct {
    uint8_t prev[32];
    uint64_t close; /* an index of prev's feed */
    entry_sigs sigs;
} body_succession;

/* The text a recovery key signs for a succession (docs/format.md):
 * "cofund succession v1\nnetwork <hex>\nprev <hex>\nkey <hex>\nclose <n>\n".
 * Returns its length (< ENTRY_SUCCESSION_STATEMENT_BYTES). */
#define ENTRY_SUCCESSION_STATEMENT_BYTES 256
size_t entry_succession_statement(const uint8_t net[32], const uint8_t prev[32],
                                  const uint8_t key[32], uint64_t close,
                                  char out[ENTRY_SUCCESSION_STATEMENT_BYTES]);

typedef struct {
    bool has_net;
    uint8_t net[32];
    uint8_t author[32];
    uint64_t index;
    uint64_t time_ms;
    uint64_t gov;
    enum entry_type type;
    union {
        body_genesis genesis;
        body_member member;
        body_program program;
        body_project project;
        body_contribution contribution;
        body_match match;
        body_exit exit;
        body_pool_funds deposit;
        body_pool_funds withdraw;
        body_loan loan;
        body_guarantee guarantee;
        body_repay repay;
        body_default loan_default;
        body_compensation compensation;
        body_release release;
        body_lease lease;
        body_award award;
        body_rekey rekey;
        body_rekey retire;
        body_reversal reversal;
        body_close close;
        body_amend amend;
        body_rename rename;
        body_bound bound;
        body_succession succession;
        body_certify certify;
        body_revoke revoke;
        body_subsidy subsidy;
        body_valuation valuation;
    } body;
} entry;

/* Decode and structurally validate (R-ENV). On error returns CF_EENTRY (or a
 * CBOR code) with d naming the field: "body.amount: 0 is not a positive
 * amount", and *out is unspecified. On success every field of the envelope
 * and of the entry's type's body is set (absent optional fields zero); the
 * rest of the body union is not touched. */
int entry_decode(const uint8_t *bytes, size_t len, entry *out, diag *d);

/* Encode e canonically into buf; CF_ETOOBIG when it would exceed cap or
 * ENTRY_BYTES_MAX. Values are validated as the decoder would: the output is
 * decoded with entry_decode before it is returned. */
int entry_encode(const entry *e, uint8_t *buf, size_t cap, size_t *len,
                 diag *d);
/* entry_encode without that final decode, for a caller that decodes the
 * bytes with entry_decode itself before using them (append_entries does, then
 * hands the decoded entry to the rules): entry_encode is exactly this
 * followed by entry_decode, with the same errors. */
int entry_encode_nocheck(const entry *e, uint8_t *buf, size_t cap, size_t *len,
                         diag *d);

const char *entry_type_name(enum entry_type t);
/* 0 when unknown. */
enum entry_type entry_type_from_name(const char *s, size_t n);
const char *role_name(enum member_role r);
/* "investor,team": the roles of a ROLE_BIT set joined by sep, in role order. */
void role_set_text(uint32_t set, const char *sep, char *out, size_t cap);
/* 0 when unknown. */
enum member_role role_from_name(const char *s, size_t n);
const char *program_kind_name(enum program_kind k);
const char *cert_kind_name(enum cert_kind k);
/* 0 when unknown. */
enum cert_kind cert_kind_from_name(const char *s, size_t n);
/* 0 when unknown. */
enum program_kind program_kind_from_name(const char *s, size_t n);
/* The kind a program body names (0 when unknown). */
enum program_kind entry_program_kind(const body_program *p);

/* The entries e cites, in the order it cites them: a match's contributions,
 * or the single reference of a guarantee, repay, default, compensation or
 * release. Fills out[0..min(n, cap)) and returns n. */
size_t entry_refs(const entry *e, entry_ref *out, size_t cap);

/* Validity of identifiers and display names as defined above. */
bool entry_id_valid(const char *s, size_t n);
bool entry_name_valid(const char *s, size_t n);
/* true when s equals the NUL-terminated c. */
bool entry_text_eq(entry_text t, const char *c);
static inline entry_text entry_text_of(const char *s, size_t n)
{
    entry_text t = {s, n};
    return t;
}

#endif
