/* render.h — entries as text and JSON for the CLI. */
#ifndef COFUND_RENDER_H
#define COFUND_RENDER_H

#include <jansson.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "ledger/entry.h"
#include "ledger/state.h"

/* One line: "contribution 500,000.00 to p1 round A for program industrial". */
void render_summary(const ledger_kv *kv, const entry *e, char *out, size_t cap);
/* The whole entry; the caller owns the result. */
json_t *render_entry_json(const ledger_kv *kv, const entry *e, const uint8_t leaf[32],
                          int32_t tz_min);
/* The summary line, then "field: value" lines. */
void render_entry_text(FILE *f, const ledger_kv *kv, const entry *e, const uint8_t leaf[32],
                       int32_t tz_min);

#endif
