/* rules_internal.h — shared between the rule engine's files; not an API. */
#ifndef COFUND_RULES_INTERNAL_H
#define COFUND_RULES_INTERNAL_H

#include <stdbool.h>
#include <stdint.h>

#include "diag.h"
#include "entry.h"
#include "state.h"

/* What the envelope check learned, handed to the type's check and apply. */
typedef struct {
    const ledger_kv *kv;
    const uint8_t *leaf;  /* the entry's leaf hash */
    state_tip tip;        /* the author's feed before this entry */
    bool have_net;
    state_network net;
    state_member author;  /* valid for every type but genesis */
} rule_ctx;

typedef struct {
    uint32_t writers; /* ROLE_BIT set allowed to write the type (R-ROLE) */
    int (*check)(const rule_ctx *c, const entry *e, diag *d);
    int (*apply)(const rule_ctx *c, const entry *e, diag *d);
} rule_type;

int rules_state_error(diag *d, int err, const char *what);
int rules_member_as_of(const rule_ctx *c, const uint8_t key[32], uint64_t gov,
                       state_member *m, diag *d);

int rules_check_contribution(const rule_ctx *c, const entry *e, diag *d);
int rules_apply_contribution(const rule_ctx *c, const entry *e, diag *d);
int rules_check_match(const rule_ctx *c, const entry *e, diag *d);
int rules_apply_match(const rule_ctx *c, const entry *e, diag *d);
int rules_check_exit(const rule_ctx *c, const entry *e, diag *d);
int rules_apply_exit(const rule_ctx *c, const entry *e, diag *d);

#endif
