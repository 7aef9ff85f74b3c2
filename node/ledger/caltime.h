/* caltime.h — entry times (ms since the Unix epoch, UTC) and the calendar.
 *
 * Pure arithmetic (no libc time zone database, no clock), so every node and
 * the offline audit compute the same calendar year for R-BUDGET. Time zones
 * are fixed offsets in minutes east of UTC, as the genesis entry records.
 */
#ifndef COFUND_CALTIME_H
#define COFUND_CALTIME_H

#include <stdbool.h>
#include <stdint.h>

/* "2026-11-28T10:00:00.000+08:00" plus NUL. */
#define CALTIME_TEXT_BYTES 48 /* room for any int64 year, so no truncation */

/* Days since 1970-01-01 of a proleptic Gregorian date, and back. */
int64_t caltime_days_from_civil(int64_t y, unsigned m, unsigned d);
void caltime_civil_from_days(int64_t days, int64_t *y, unsigned *m, unsigned *d);

/* Calendar year of time_ms in the zone tz_min. */
int caltime_year(uint64_t time_ms, int32_t tz_min);
/* First ms of January 1st of year in zone tz_min (may be before the epoch:
 * then 0). */
uint64_t caltime_year_start(int year, int32_t tz_min);

/* Parse ISO 8601: "YYYY-MM-DD", "YYYY-MM-DDTHH:MM", "...:SS", "...:SS.fff",
 * with 'T' or a space, and an optional "Z" or "±HH:MM" (else tz_min applies).
 * A bare date means its first ms, or its last ms when end_of_day is true (for
 * "as of" a date). CF_EFORMAT or CF_ERANGE (before 1970 or after 9999). */
int caltime_parse(const char *s, int32_t tz_min, bool end_of_day, uint64_t *ms);
/* Format in zone tz_min, e.g. "2026-11-28T10:00:00.000+08:00". */
void caltime_format(uint64_t ms, int32_t tz_min, char out[CALTIME_TEXT_BYTES]);
/* "+08:00" style offset; CF_EFORMAT / CF_ERANGE. */
int caltime_parse_tz(const char *s, int32_t *tz_min);

#endif
