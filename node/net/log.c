/* log.c — see log.h. */
#include "log.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "crypto/cf_error.h"

static enum net_log_level g_level = NET_LOG_INFO;
static const char *const NAMES[] = {"debug", "info", "warn", "error"};

void net_log_set_level(enum net_log_level level)
{
    g_level = level;
}

int net_log_parse_level(const char *s, enum net_log_level *out)
{
    for (unsigned i = 0; i < sizeof NAMES / sizeof NAMES[0]; i++)
        if (strcmp(s, NAMES[i]) == 0) {
            *out = (enum net_log_level)i;
            return CF_OK;
        }
    return CF_EINVAL;
}

bool net_log_enabled(enum net_log_level level)
{
    return level >= g_level;
}

void net_log(enum net_log_level level, const char *fmt, ...)
{
    char line[NET_LOG_LINE_BYTES];
    struct timespec ts;
    struct tm tm;
    va_list ap;
    if (!net_log_enabled(level)) return;
    clock_gettime(CLOCK_REALTIME, &ts);
    gmtime_r(&ts.tv_sec, &tm);
    int n = snprintf(line, sizeof line, "%04d-%02d-%02dT%02d:%02d:%02d.%03ldZ %s ",
                     tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday, tm.tm_hour, tm.tm_min,
                     tm.tm_sec, ts.tv_nsec / 1000000, NAMES[level]);
    if (n < 0) return;
    va_start(ap, fmt);
    int m = vsnprintf(line + n, sizeof line - (size_t)n - 1, fmt, ap);
    va_end(ap);
    size_t len = (size_t)n + (m < 0 ? 0 : (size_t)m);
    if (len > sizeof line - 2) len = sizeof line - 2;
    /* One line, whatever the message held. */
    for (size_t i = (size_t)n; i < len; i++)
        if (line[i] == '\n' || line[i] == '\r') line[i] = ' ';
    line[len++] = '\n';
    for (size_t off = 0; off < len;) {
        ssize_t w = write(STDERR_FILENO, line + off, len - off);
        if (w <= 0) return;
        off += (size_t)w;
    }
}
