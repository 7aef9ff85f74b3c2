/* log.h — the daemon's log: one line per event on stderr,
 *
 *   2026-11-28T20:00:00.123Z info peer 127.0.0.1:7002 connected: investor-a
 *
 * UTC time to the millisecond, the level, the message. Lines are written
 * with one write(2) each, so they never interleave. Levels below the chosen
 * one are dropped (info by default; debug adds every message sent and
 * received). With net_log_set_json(true), each line is one JSON object for
 * log collectors instead:
 *
 *   {"time":"2026-11-28T20:00:00.123Z","level":"info","msg":"peer ... connected: investor-a"}
 */
#ifndef COFUND_NET_LOG_H
#define COFUND_NET_LOG_H

#include <stdarg.h>
#include <stdbool.h>

enum net_log_level { NET_LOG_DEBUG, NET_LOG_INFO, NET_LOG_WARN, NET_LOG_ERROR };

/* The longest line written; longer messages are cut. */
#define NET_LOG_LINE_BYTES 1024

void net_log_set_level(enum net_log_level level);
void net_log_set_json(bool json);
/* "debug", "info", "warn", "error": CF_OK, else CF_EINVAL. */
int net_log_parse_level(const char *s, enum net_log_level *out);
bool net_log_enabled(enum net_log_level level);
void net_log(enum net_log_level level, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
void net_vlog(enum net_log_level level, const char *fmt, va_list ap)
    __attribute__((format(printf, 2, 0)));

/* Lines an outsider can cause (refusals, handshake failures, drops) go
 * through a limiter: per cause (a string with static storage, compared by
 * address; `member` keeps members' lines apart from strangers') at most
 * `burst` lines per interval are written, the rest only counted, and
 * net_log_limit_flush writes one summary line per cause and interval:
 *
 *   ... warn log: 4211 more lines like "peer … closed: handshake: …" in the last 60 s
 *
 * Causes past NET_LOG_CAUSES_MAX share one slot. */
#define NET_LOG_CAUSES_MAX 64
void net_log_limit_interval(unsigned long long ms);
void net_log_limited(const char *cause, bool member, unsigned burst, enum net_log_level level,
                     const char *fmt, ...) __attribute__((format(printf, 5, 6)));
/* Write the summaries of intervals that ended (call it once per tick). */
void net_log_limit_flush(void);

#define net_debug(...) net_log(NET_LOG_DEBUG, __VA_ARGS__)
#define net_info(...) net_log(NET_LOG_INFO, __VA_ARGS__)
#define net_warn(...) net_log(NET_LOG_WARN, __VA_ARGS__)
#define net_error(...) net_log(NET_LOG_ERROR, __VA_ARGS__)

#endif
