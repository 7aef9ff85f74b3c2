/* rules_internal.h — shared between the rule engine's files; not an API. */
#ifndef COFUND_RULES_INTERNAL_H
#define COFUND_RULES_INTERNAL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "diag.h"
#include "entry.h"
#include "rules.h"
#include "state.h"

/* Series heads one entry's check and apply share: a contribution touches 2
 * series, a match 7, an exit 1. */
#define RULE_HEADS_MAX 8

typedef struct {
    state_series s;
    state_series_head h;
} rule_head;

/* What the envelope check learned, handed to the type's check and apply.
 * ledger_process_entry runs check and apply on one context, so apply reuses
 * what check read (series heads, cited contributions) instead of reading it
 * again; ledger_apply alone starts with none of it and reads what it needs. */
typedef struct {
    const ledger_kv *kv;
    ledger_cache *cache;  /* optional (rules.h) */
    const uint8_t *leaf;  /* the entry's leaf hash */
    state_tip tip;        /* the author's feed before this entry */
    bool have_net;
    state_network net;
    state_member author;  /* valid for every type but genesis */
    size_t nheads;        /* heads[0..nheads): current, kept so by apply */
    rule_head heads[RULE_HEADS_MAX];
    size_t ncites;        /* a match's citations read by its check, in order */
    state_contribution cites[ENTRY_CITES_MAX];
} rule_ctx;

typedef struct {
    uint32_t writers; /* ROLE_BIT set allowed to write the type (R-ROLE) */
    int (*check)(rule_ctx *c, const entry *e, diag *d);
    int (*apply)(rule_ctx *c, const entry *e, diag *d);
} rule_type;

int rules_state_error(diag *d, int err, const char *what);
/* Member and program records, through the batch cache when there is one. */
int rules_member_as_of(const rule_ctx *c, const uint8_t key[32], uint64_t gov,
                       state_member *m, diag *d);
int rules_program_get(const rule_ctx *c, const char *id, size_t n, state_program *out);
/* A series' head, read once per entry: the first call reads it, later calls
 * (the check's, then the apply's) reuse it. */
int rules_head_get(rule_ctx *c, const state_series *s, state_series_head *out);
/* state_series_add through the heads above. */
int rules_head_add(rule_ctx *c, const state_series *s, uint64_t time_ms, int64_t delta);

int rules_check_contribution(rule_ctx *c, const entry *e, diag *d);
int rules_apply_contribution(rule_ctx *c, const entry *e, diag *d);
int rules_check_match(rule_ctx *c, const entry *e, diag *d);
int rules_apply_match(rule_ctx *c, const entry *e, diag *d);
int rules_check_exit(rule_ctx *c, const entry *e, diag *d);
int rules_apply_exit(rule_ctx *c, const entry *e, diag *d);

#endif
