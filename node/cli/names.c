/* names.c — members and projects by their display names (names.h). */
#include "names.h"

#include <stdio.h>
#include <string.h>

#include "crypto/cf_error.h"
#include "crypto/cbor.h"
#include "crypto/cf_i18n.h"
#include "crypto/cf_util.h"

/* src into buf, cut at a UTF-8 character boundary to fit cap. */
static const char *copy_label(const char *src, char *buf, size_t cap)
{
    if (cap == 0) return buf;
    size_t n = strlen(src);
    if (n >= cap) {
        n = cap - 1;
        while (n > 0 && ((unsigned char)src[n] & 0xc0) == 0x80) n--;
    }
    memcpy(buf, src, n);
    buf[n] = '\0';
    return buf;
}

const char *cli_member_label(const ledger_kv *kv, const uint8_t key[32], char *buf, size_t cap)
{
    state_member m;
    if (state_member_get(kv, key, &m) == CF_OK)
        return copy_label(m.display[0] ? m.display : m.name, buf, cap);
    char hex[CF_HEX32_BYTES];
    cf_hex_encode(key, 32, hex, sizeof hex);
    hex[16] = '\0';
    return copy_label(hex, buf, cap);
}

const char *cli_project_label(const ledger_kv *kv, const char *id, char *buf, size_t cap)
{
    state_project p;
    if (state_project_get(kv, id, strlen(id), &p) == CF_OK && p.name[0])
        return copy_label(p.name, buf, cap);
    return copy_label(id, buf, cap);
}

const char *cli_display_problem(const char *s, char *buf, size_t cap)
{
    size_t n = strlen(s);
    if (entry_name_valid(s, n)) return NULL;
    if (n == 0) {
        snprintf(buf, cap, "%s", _("it is empty"));
        return buf;
    }
    /* Character by character: the first that is not UTF-8 or is a control. */
    size_t at = 0;
    while (at < n) {
        size_t len = 1;
        while (len <= 4 && at + len <= n && !cbor_utf8_valid((const uint8_t *)s + at, len)) len++;
        if (len > 4 || at + len > n) {
            snprintf(buf, cap, _("it is not valid UTF-8 (byte %zu)"), at + 1);
            return buf;
        }
        unsigned char c = (unsigned char)s[at];
        if (c < 0x20 || c == 0x7f || (c == 0xc2 && (unsigned char)s[at + 1] <= 0x9f)) {
            snprintf(buf, cap, _("it holds a control character (byte %zu)"), at + 1);
            return buf;
        }
        at += len;
    }
    snprintf(buf, cap, _("it is %zu bytes long, more than %d"), n, ENTRY_NAME_BYTES_MAX);
    return buf;
}
