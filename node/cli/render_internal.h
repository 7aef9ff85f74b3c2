/* render_internal.h — what render.c and render_json.c share: an amount and
 * a time for people (their unit and language) or for machines (exact yuan,
 * ISO 8601). */
#ifndef COFUND_RENDER_INTERNAL_H
#define COFUND_RENDER_INTERNAL_H

#include <stdbool.h>
#include <stdint.h>

#include "table.h"

/* An amount as render__amount writes it: the figure and, for people, a unit. */
#define RENDER_AMT_BYTES (CLI_AMOUNT_BYTES + 32)

/* For machines exact yuan ("1,234.00"); for people in their unit, named
 * unless it is English and yuan. Returns out. */
const char *render__amount(bool people, int64_t fen, char out[RENDER_AMT_BYTES]);
/* For machines ISO 8601 to the millisecond; for people cli_time_text.
 * Returns out. */
const char *render__time(bool people, uint64_t ms, int32_t tz, char out[CLI_TIME_BYTES]);

#endif
