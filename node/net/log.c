/* log.c — see log.h. */
#include "log.h"

#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "crypto/cf_error.h"

static enum net_log_level g_level = NET_LOG_INFO;
static bool g_json;
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

void net_log_set_json(bool json)
{
    g_json = json;
}

/* The message in text[0..len) as a JSON string's contents into out (cap
 * bytes, room kept for the closing "}\n"); returns the bytes written. */
static size_t json_escape(const char *text, size_t len, char *out, size_t cap)
{
    size_t n = 0;
    for (size_t i = 0; i < len; i++) {
        unsigned char c = (unsigned char)text[i];
        char esc[8];
        size_t k;
        if (c == '"' || c == '\\') k = (size_t)snprintf(esc, sizeof esc, "\\%c", c);
        else if (c < 0x20) k = (size_t)snprintf(esc, sizeof esc, "\\u%04x", c);
        else k = (esc[0] = (char)c, 1);
        if (n + k > cap) break;
        memcpy(out + n, esc, k);
        n += k;
    }
    return n;
}

bool net_log_enabled(enum net_log_level level)
{
    return level >= g_level;
}

void net_log(enum net_log_level level, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    net_vlog(level, fmt, ap);
    va_end(ap);
}

void net_vlog(enum net_log_level level, const char *fmt, va_list ap)
{
    char line[NET_LOG_LINE_BYTES];
    struct timespec ts;
    struct tm tm;
    if (!net_log_enabled(level)) return;
    clock_gettime(CLOCK_REALTIME, &ts);
    gmtime_r(&ts.tv_sec, &tm);
    int n = snprintf(line, sizeof line, "%04d-%02d-%02dT%02d:%02d:%02d.%03ldZ %s ",
                     tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday, tm.tm_hour, tm.tm_min,
                     tm.tm_sec, ts.tv_nsec / 1000000, NAMES[level]);
    if (n < 0) return;
    int m = vsnprintf(line + n, sizeof line - (size_t)n - 1, fmt, ap);
    size_t len = (size_t)n + (m < 0 ? 0 : (size_t)m);
    if (len > sizeof line - 2) len = sizeof line - 2;
    if (g_json) {
        char obj[NET_LOG_LINE_BYTES * 2];
        int h = snprintf(obj, sizeof obj, "{\"time\":\"%.24s\",\"level\":\"%s\",\"msg\":\"",
                         line, NAMES[level]);
        if (h < 0) return;
        size_t o = (size_t)h + json_escape(line + n, len - (size_t)n, obj + h,
                                           sizeof obj - (size_t)h - 3);
        memcpy(obj + o, "\"}\n", 3);
        o += 3;
        for (size_t off = 0; off < o;) {
            ssize_t w = write(STDERR_FILENO, obj + off, o - off);
            if (w <= 0) return;
            off += (size_t)w;
        }
        return;
    }
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

/* ---- the limiter -------------------------------------------------------------- */

typedef struct {
    const char *cause; /* NULL: free */
    bool member;
    enum net_log_level level;
    uint64_t start_ms;
    unsigned shown;
    unsigned long long suppressed;
} cause_rec;

static cause_rec g_causes[NET_LOG_CAUSES_MAX];
static unsigned long long g_interval_ms = 60000;
static const char OTHER_CAUSES[] = "(other causes)";

static uint64_t mono_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (uint64_t)ts.tv_sec * 1000 + (uint64_t)ts.tv_nsec / 1000000;
}

void net_log_limit_interval(unsigned long long ms)
{
    g_interval_ms = ms ? ms : 1;
}

/* The cause's text with every printf conversion shown as "…". */
static void cause_text(const char *cause, char *out, size_t cap)
{
    size_t o = 0;
    for (const char *c = cause; *c && o + 4 < cap; c++) {
        if (*c != '%') {
            out[o++] = *c;
            continue;
        }
        if (c[1] == '%') {
            out[o++] = *++c;
            continue;
        }
        while (c[1] && strchr("0123456789.-+ #lhzjt", c[1])) c++;
        if (c[1]) c++;
        memcpy(out + o, "\xe2\x80\xa6", 3); /* … */
        o += 3;
    }
    out[o] = '\0';
}

static void summary(cause_rec *r, uint64_t now)
{
    char text[256];
    if (r->suppressed == 0) return;
    cause_text(r->cause, text, sizeof text);
    net_log(r->level, "log: %llu more lines like \"%s\" in the last %llu s", r->suppressed,
            text, (unsigned long long)((now - r->start_ms + 999) / 1000));
    r->suppressed = 0;
}

void net_log_limited(const char *cause, bool member, unsigned burst, enum net_log_level level,
                     const char *fmt, ...)
{
    va_list ap;
    cause_rec *r = NULL;
    uint64_t now = mono_ms();
    if (!net_log_enabled(level)) return;
    for (size_t i = 0; i < NET_LOG_CAUSES_MAX && r == NULL; i++)
        if (g_causes[i].cause == cause && g_causes[i].member == member) r = &g_causes[i];
    for (size_t i = 0; i < NET_LOG_CAUSES_MAX - 1 && r == NULL; i++)
        if (g_causes[i].cause == NULL) r = &g_causes[i];
    if (r == NULL) {
        r = &g_causes[NET_LOG_CAUSES_MAX - 1];
        cause = OTHER_CAUSES;
    }
    if (r->cause == NULL) *r = (cause_rec){.cause = cause, .member = member, .start_ms = now};
    if (now - r->start_ms >= g_interval_ms) {
        summary(r, now);
        r->start_ms = now;
        r->shown = 0;
    }
    if (level > r->level) r->level = level;
    if (r->shown >= burst) {
        r->suppressed++;
        return;
    }
    r->shown++;
    va_start(ap, fmt);
    net_vlog(level, fmt, ap);
    va_end(ap);
}

void net_log_limit_flush(void)
{
    uint64_t now = mono_ms();
    for (size_t i = 0; i < NET_LOG_CAUSES_MAX; i++) {
        cause_rec *r = &g_causes[i];
        if (r->cause == NULL || now - r->start_ms < g_interval_ms) continue;
        summary(r, now);
        r->start_ms = now;
        r->shown = 0;
    }
}
