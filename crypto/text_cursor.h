/* text_cursor.h — the bounds-checked line cursor shared by the parsers of
 * untrusted text in crypto/ (signed notes, tlog-proofs). Internal: not part
 * of any module's API. Functions consume only on success. */
#ifndef COFUND_TEXT_CURSOR_H
#define COFUND_TEXT_CURSOR_H

#include <stdbool.h>
#include <stddef.h>
#include <string.h>

struct rd {
    const char *p;
    size_t len;
};

/* Next line without its '\n' into *line; false (nothing consumed) when no
 * '\n' remains. */
static inline bool rd_line(struct rd *rd, struct rd *line)
{
    const char *nl = rd->len > 0 ? memchr(rd->p, '\n', rd->len) : NULL;
    if (nl == NULL) return false;
    size_t n = (size_t)(nl - rd->p);
    line->p = rd->p;
    line->len = n;
    rd->p += n + 1;
    rd->len -= n + 1;
    return true;
}

/* Consume the literal lit[0..n) if rd starts with it. */
static inline bool rd_lit(struct rd *rd, const char *lit, size_t n)
{
    if (rd->len < n || memcmp(rd->p, lit, n) != 0) return false;
    rd->p += n;
    rd->len -= n;
    return true;
}

#endif
