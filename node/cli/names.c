/* names.c — members and projects by their display names (names.h). */
#include "names.h"

#include <stdio.h>
#include <string.h>

#include "crypto/cf_error.h"
#include "crypto/cbor.h"
#include "crypto/cf_i18n.h"
#include "crypto/cf_util.h"
#include "ledger/names.h"

const char *cli_member_label(const ledger_kv *kv, const uint8_t key[32], char *buf, size_t cap)
{
    return names_member(kv, key, buf, cap);
}

const char *cli_project_label(const ledger_kv *kv, const char *id, char *buf, size_t cap)
{
    return names_project(kv, id, strlen(id), buf, cap);
}

const char *cli_project_cell(const ledger_kv *kv, const char *id, char *buf, size_t cap)
{
    return names_project_cell(kv, id, strlen(id), buf, cap);
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
