/* people_text.h — amounts and times as people read them: in the unit they
 * chose and their language, for the CLI's tables (node/cli/table.c) and the
 * audit's reports (node/audit/audit_text.c) alike (docs/i18n.md). Each of
 * those keeps its own unit setting and calls these.
 *
 * For people only: JSON and CSV keep exact decimal yuan and ISO 8601. */
#ifndef COFUND_LEDGER_PEOPLE_TEXT_H
#define COFUND_LEDGER_PEOPLE_TEXT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* "yuan" (*wan false) or "wan" (true); CF_EINVAL otherwise. */
int people_parse_unit(const char *s, bool *wan);

/* "-9,223,372,036,854.775807" in wan plus NUL, with room to spare. */
#define PEOPLE_AMOUNT_BYTES 40
/* fen in the unit, exactly: yuan "1,234,567.89"; wan "123.456789" (the
 * yuan figure divided by 10,000 with no rounding: six decimals at most,
 * trailing zeros past the second dropped: 300,000.00 yuan is "30.00"). */
void people_amount(int64_t fen, bool wan, char out[PEOPLE_AMOUNT_BYTES]);
/* The unit's name in the current language: "yuan" / "10k yuan", 元 / 万元. */
const char *people_unit_name(bool wan);
/* heading (already translated) naming the unit: "DEPLOYED (yuan)",
 * "已投资(万元)"; out, cap: where it is written; returns out. */
const char *people_heading(const char *heading, bool wan, char *out, size_t cap);

/* "2026-12-04 09:30 +08:00" in English, "2026年12月4日 09:30 +08:00" in
 * Chinese, in the zone tz_min (always the network's). */
#define PEOPLE_TIME_BYTES 64
void people_time(uint64_t ms, int32_t tz_min, char out[PEOPLE_TIME_BYTES]);
/* The date alone: "2026-12-04", "2026年12月4日". */
void people_date(uint64_t ms, int32_t tz_min, char out[PEOPLE_TIME_BYTES]);

#endif
