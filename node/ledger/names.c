/* names.c — members and projects as people read them (names.h). */
#include "names.h"

#include <stdio.h>
#include <string.h>

#include "crypto/cf_error.h"
#include "crypto/cf_i18n.h"
#include "crypto/cf_util.h"

/* src (n bytes) into buf, cut at a UTF-8 character boundary to fit cap. */
static const char *copy_label(const char *src, size_t n, char *buf, size_t cap)
{
    if (cap == 0) return buf;
    if (n >= cap) {
        n = cap - 1;
        while (n > 0 && ((unsigned char)src[n] & 0xc0) == 0x80) n--;
    }
    memcpy(buf, src, n);
    buf[n] = '\0';
    return buf;
}

const char *names_member(const ledger_kv *kv, const uint8_t key[32], char *buf, size_t cap)
{
    state_member m;
    if (state_member_get(kv, key, &m) == CF_OK) {
        const char *s = m.display[0] ? m.display : m.name;
        return copy_label(s, strlen(s), buf, cap);
    }
    char hex[CF_HEX32_BYTES];
    cf_hex_encode(key, 32, hex, sizeof hex);
    return copy_label(hex, 16, buf, cap);
}

/* The project's display name, or NULL when it has none. */
static const char *display_of(const ledger_kv *kv, const char *id, size_t n, state_project *p)
{
    return state_project_get(kv, id, n, p) == CF_OK && p->name[0] ? p->name : NULL;
}

const char *names_project(const ledger_kv *kv, const char *id, size_t n, char *buf, size_t cap)
{
    state_project p;
    const char *name = display_of(kv, id, n, &p);
    return name ? copy_label(name, strlen(name), buf, cap) : copy_label(id, n, buf, cap);
}

const char *names_project_cell(const ledger_kv *kv, const char *id, size_t n, char *buf,
                               size_t cap)
{
    state_project p;
    const char *name = display_of(kv, id, n, &p);
    if (!name || (strlen(name) == n && memcmp(name, id, n) == 0))
        return copy_label(id, n, buf, cap);
    char x[NAMES_PROJECT_BYTES], ident[STATE_ID_CAP];
    copy_label(id, n, ident, sizeof ident);
    /* TRANSLATORS: a project's identifier (typed into commands) and its
     * display name: "robotics (Robotics Co.)"; Chinese brackets them
     * full-width: "robotics（机器人产线）". */
    snprintf(x, sizeof x, _("%1$s (%2$s)"), ident, name);
    return copy_label(x, strlen(x), buf, cap);
}
