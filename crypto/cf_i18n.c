/* cf_i18n.c — see cf_i18n.h. GNU gettext (glibc's libintl) does the
 * translating; this file chooses the language and finds the catalogue.
 *
 * The language is cofund's choice, not the C library's: a Chinese user's
 * machine often has no zh_CN locale generated (a fresh Debian has only C and
 * C.UTF-8), yet must read Chinese. So LC_MESSAGES is set to the
 * environment's locale when it exists and to C.UTF-8 otherwise, and
 * LANGUAGE names the catalogue: gettext honours LANGUAGE whenever the
 * messages locale is not "C". English is the message ids themselves: no
 * catalogue is looked up. */
/* wcwidth */
#define _XOPEN_SOURCE 700
#include "cf_i18n.h"

#include <langinfo.h>
#include <libintl.h>
#include <limits.h>
#include <locale.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <wchar.h>

#include "cf_error.h"

#ifndef COFUND_LOCALEDIR
#define COFUND_LOCALEDIR "/usr/local/share/locale"
#endif

static enum cf_lang current = CF_LANG_EN;
static unsigned english_depth; /* cf_i18n_begin_english nesting */

int cf_lang_parse(const char *name, enum cf_lang *out)
{
    if (name == NULL) return CF_EINVAL;
    size_t n = strcspn(name, "_-.@");
    if ((n == 2 && strncmp(name, "zh", 2) == 0)) {
        *out = CF_LANG_ZH;
        return CF_OK;
    }
    if ((n == 2 && strncmp(name, "en", 2) == 0) || strcmp(name, "C") == 0 ||
        strcmp(name, "POSIX") == 0 || strncmp(name, "C.", 2) == 0) {
        *out = CF_LANG_EN;
        return CF_OK;
    }
    return CF_EINVAL;
}

static const char *env_set(const char *name)
{
    const char *v = getenv(name);
    return v && v[0] ? v : NULL;
}

enum cf_lang cf_lang_from_env(void)
{
    const char *locale = env_set("LC_ALL");
    if (!locale) locale = env_set("LC_MESSAGES");
    if (!locale) locale = env_set("LANG");
    enum cf_lang lang = CF_LANG_EN;
    bool c_locale = locale == NULL || strcmp(locale, "C") == 0 || strcmp(locale, "POSIX") == 0;
    const char *language = env_set("LANGUAGE");
    if (!c_locale && language) {
        char first[32];
        snprintf(first, sizeof first, "%.*s", (int)strcspn(language, ":"), language);
        if (cf_lang_parse(first, &lang) == CF_OK) return lang;
    }
    if (locale && cf_lang_parse(locale, &lang) == CF_OK) return lang;
    return CF_LANG_EN;
}

/* share/locale beside bin/ of the running binary, if it holds a catalogue. */
static bool beside_binary(char *out, size_t cap)
{
    char exe[PATH_MAX];
    ssize_t n = readlink("/proc/self/exe", exe, sizeof exe - 1);
    if (n <= 0) return false;
    exe[n] = '\0';
    char *slash = strrchr(exe, '/');
    if (slash == NULL) return false;
    *slash = '\0'; /* the binary's directory */
    int w = snprintf(out, cap, "%s/../share/locale", exe);
    if (w < 0 || (size_t)w >= cap) return false;
    char probe[PATH_MAX + 64];
    snprintf(probe, sizeof probe, "%s/zh_CN/LC_MESSAGES/" CF_I18N_DOMAIN ".mo", out);
    return access(probe, R_OK) == 0;
}

static void utf8_ctype(void)
{
    if (setlocale(LC_CTYPE, "") == NULL || strcmp(nl_langinfo(CODESET), "UTF-8") != 0)
        setlocale(LC_CTYPE, "C.UTF-8");
}

void cf_i18n_init(enum cf_lang lang, const char *localedir)
{
    static char dir[PATH_MAX];
    utf8_ctype();
    if (localedir == NULL) localedir = env_set("COFUND_LOCALEDIR");
    if (localedir == NULL) localedir = beside_binary(dir, sizeof dir) ? dir : COFUND_LOCALEDIR;
    bindtextdomain(CF_I18N_DOMAIN, localedir);
    bind_textdomain_codeset(CF_I18N_DOMAIN, "UTF-8");
    if (lang == CF_LANG_ZH) {
        const char *m = setlocale(LC_MESSAGES, "");
        if (m == NULL || strcmp(m, "C") == 0 || strcmp(m, "POSIX") == 0)
            setlocale(LC_MESSAGES, "C.UTF-8");
        setenv("LANGUAGE", "zh_CN", 1);
    }
    current = lang;
}

enum cf_lang cf_i18n_lang(void) { return english_depth ? CF_LANG_EN : current; }

void cf_i18n_begin_english(void) { english_depth++; }

void cf_i18n_end_english(void)
{
    CF_ASSERT(english_depth > 0);
    english_depth--;
}

const char *cf_lang_name(enum cf_lang lang) { return lang == CF_LANG_ZH ? "zh" : "en"; }

const char *cf_tr(const char *msgid)
{
    if (cf_i18n_lang() == CF_LANG_EN || msgid == NULL || msgid[0] == '\0') return msgid;
    return dgettext(CF_I18N_DOMAIN, msgid);
}

const char *cf_trp(const char *context, const char *msgid)
{
    if (cf_i18n_lang() == CF_LANG_EN) return msgid;
    char key[512];
    int n = snprintf(key, sizeof key, "%s\004%s", context, msgid);
    if (n < 0 || (size_t)n >= sizeof key) return msgid;
    const char *t = dgettext(CF_I18N_DOMAIN, key);
    return t == key ? msgid : t; /* not in the catalogue: the id, not our buffer */
}

const char *cf_trn(const char *one, const char *many, unsigned long n)
{
    if (cf_i18n_lang() == CF_LANG_EN) return n == 1 ? one : many;
    return dngettext(CF_I18N_DOMAIN, one, many, n);
}

/* ---- UTF-8 and display width ---------------------------------------------------- */

/* The code point at s (n bytes left) and its length; 0 when not well formed. */
static size_t utf8_next(const unsigned char *s, size_t n, uint32_t *cp)
{
    if (n == 0) return 0;
    unsigned char c = s[0];
    size_t len;
    uint32_t v, min;
    if (c < 0x80) {
        *cp = c;
        return 1;
    } else if ((c & 0xE0) == 0xC0) {
        len = 2, v = c & 0x1F, min = 0x80;
    } else if ((c & 0xF0) == 0xE0) {
        len = 3, v = c & 0x0F, min = 0x800;
    } else if ((c & 0xF8) == 0xF0) {
        len = 4, v = c & 0x07, min = 0x10000;
    } else {
        return 0;
    }
    if (n < len) return 0;
    for (size_t i = 1; i < len; i++) {
        if ((s[i] & 0xC0) != 0x80) return 0;
        v = (v << 6) | (s[i] & 0x3F);
    }
    if (v < min || v > 0x10FFFF || (v >= 0xD800 && v <= 0xDFFF)) return 0;
    *cp = v;
    return len;
}

bool cf_utf8_valid(const char *s, size_t n)
{
    const unsigned char *p = (const unsigned char *)s;
    uint32_t cp;
    while (n > 0) {
        size_t len = utf8_next(p, n, &cp);
        if (len == 0) return false;
        p += len, n -= len;
    }
    return true;
}

size_t cf_text_width(const char *s)
{
    const unsigned char *p = (const unsigned char *)s;
    size_t n = strlen(s), w = 0;
    uint32_t cp;
    while (n > 0) {
        size_t len = utf8_next(p, n, &cp);
        if (len == 0) {
            len = 1, w += 1;
        } else {
            int cw = cp < 0x80 ? 1 : wcwidth((wchar_t)cp);
            w += cw < 0 ? 1 : (size_t)cw;
        }
        p += len, n -= len;
    }
    return w;
}

/* Punctuation a line does not start with (，。）…), or end with (（“…): the
 * break goes before the character that precedes it, or after the one that
 * follows. */
static bool closing_punct(uint32_t cp)
{
    switch (cp) {
    case 0x3001: case 0x3002: case 0xFF0C: case 0xFF1B: case 0xFF1A: case 0xFF01:
    case 0xFF1F: case 0xFF09: case 0x300D: case 0x300F: case 0x3011: case 0x300B:
    case 0x201D: case 0x2019: case 0x2026:
        return true;
    default:
        return false;
    }
}

static bool opening_punct(uint32_t cp)
{
    return cp == 0xFF08 || cp == 0x300C || cp == 0x300E || cp == 0x3010 || cp == 0x300A ||
           cp == 0x201C || cp == 0x2018;
}

size_t cf_text_break(const char *s, size_t n, size_t width)
{
    const unsigned char *p = (const unsigned char *)s;
    size_t i = 0, cols = 0, best = 0;
    bool prev_wide = false;
    uint32_t cp, prev_cp = 0;
    while (i < n) {
        size_t len = utf8_next(p + i, n - i, &cp);
        int cw = 1;
        if (len == 0) {
            len = 1;
            cp = 0xFFFD; /* an invalid byte: one column */
        } else if (cp >= 0x80 && (cw = wcwidth((wchar_t)cp)) < 0) {
            cw = 1;
        }
        bool wide = cw == 2;
        if (cp == ' ') best = i; /* break before the space */
        else if ((wide || prev_wide) && i > 0 && !closing_punct(cp) && !opening_punct(prev_cp))
            best = i;
        if (cols + (size_t)cw > width) break;
        cols += (size_t)cw;
        i += len;
        prev_wide = wide;
        prev_cp = cp;
    }
    if (i >= n) return n;
    if (best > 0) return best;
    /* One word wider than the line: take it whole. */
    while (i < n && p[i] != ' ') i++;
    return i;
}

void cf_text_pad(char *out, size_t cap, const char *s, size_t width, bool right)
{
    size_t w = cf_text_width(s), pad = w < width ? width - w : 0;
    if (right) snprintf(out, cap, "%*s%s", (int)pad, "", s);
    else snprintf(out, cap, "%s%*s", s, (int)pad, "");
}
