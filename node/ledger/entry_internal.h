/* entry_internal.h — shared by the entry codec's files (entry.c decodes,
 * entry_encode.c encodes, entry_fields.c holds the field tables and names);
 * not an API. */
#ifndef COFUND_ENTRY_INTERNAL_H
#define COFUND_ENTRY_INTERNAL_H

#include <stddef.h>

#include "crypto/cf_i18n.h"
#include "diag.h"
#include "entry.h"

enum field_type {
    F_ID,     /* entry_text, identifier */
    F_NAME,   /* entry_text, display name */
    F_KEY32,  /* uint8_t[32] */
    F_UINT,   /* uint64_t */
    F_AMOUNT, /* int64_t, 1 ..= AMOUNT_FEN_MAX */
    F_TIME,   /* uint64_t, <= TIME_MS_MAX */
    F_ROLE,   /* enum member_role, not governance */
    F_ROLES,  /* uint32_t ROLE_BIT set, array of counterpart roles */
    F_RATIO,  /* uint32_t[2], [num, den] */
    F_DAYS,   /* uint32_t, <= WINDOW_DAYS_MAX */
    F_TZ,     /* int32_t minutes */
    F_CITES,  /* body_match cites + ncites */
    F_REF,    /* entry_ref, a map {leaf, index, author} */
    F_FEN0,   /* int64_t, 0 ..= AMOUNT_FEN_MAX (a lease's parts: R-LEASE.1) */
    F_MONTHS, /* uint32_t, 1 ..= TERM_MONTHS_MAX */
    F_YEAR,   /* uint32_t, AWARD_YEAR_MIN ..= AWARD_YEAR_MAX */
    F_MULT,   /* uint32_t, 1 ..= LEVERAGE_MAX */
    F_SHARE,  /* uint32_t[2], [num, den], 1 ..= 1000, num <= den */
    F_PCT,    /* pct_range, [min, max], 0 <= min <= max <= 100 */
    F_LEVELS, /* body_program levels_fen + nlevels: 1..8 amounts, increasing */
    F_KEYS,   /* entry_keys: 1..RECOVERY_KEYS_MAX keys, increasing */
    F_SIGS,   /* entry_sigs: 1..RECOVERY_KEYS_MAX [key, sig], increasing by key */
    F_QUORUM, /* uint32_t, 1 ..= RECOVERY_KEYS_MAX */
    F_CERT,   /* enum cert_kind, its name */
};

typedef struct {
    const char *key;
    size_t klen;    /* strlen(key): the key is compared with every input key */
    enum field_type type;
    size_t off;     /* offset of the value in the body struct */
    size_t has_off; /* offset of its `bool has_x`, or NO_HAS when required */
} field_spec;

#define NO_HAS ((size_t)-1)
/* A field_spec's key and its length, from a string literal. */
#define FIELD_KEY(k) k, sizeof(k) - 1

/* One map's table: its fields in canonical key order. */
typedef struct {
    const char *name;
    const field_spec *fields;
    size_t nfields;
    size_t bytes; /* the struct the table fills: what a decode zeroes first */
} body_spec;

/* Bodies by entry type (a program's is {name, NULL, 0}: its kind's table
 * applies), program bodies by kind, and the maps inside bodies. */
extern const body_spec entry__types[ENTRY__TYPES];
extern const body_spec entry__kinds[PROGRAM__KINDS];
extern const body_spec entry__cite;
extern const body_spec entry__ref;

/* Roles a program may accept as counterpart: the social capital. */
#define COUNTERPART_ROLES (ROLE_BIT(ROLE_INVESTOR) | ROLE_BIT(ROLE_TEAM))

/* "<where>.<key>: <what>" as an R-ENV diag (CF_EENTRY). */
/* "<where>.<key>: <what>" as an R-ENV rejection; fmt formats what. */
int entry__bad(diag *d, const char *where, const char *key, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));
/* A genesis's recovery keys and quorum: both or neither, quorum <= keys. */
int entry__recovery_check(const body_genesis *g, diag *d);
/* A rename names a project, a member, or neither (the network). */
int entry__rename_check(const body_rename *b, diag *d);
/* Text from the input quoted in a message: printable ASCII only. */
const char *entry__printable(const char *s, size_t n, char *out, size_t cap);

#endif
