/* http_i18n.c — /api/i18n (http.h): the pages' words in the reader's
 * language. The pages mark their words _("…") (the scripts in web/); the build lists
 * those message ids (web/msgids.cmake: xgettext, as scripts/i18n extracts
 * them, into http_msgids.c) and this file answers {msgid: translation}.
 *
 * The language is the process's (cf_i18n_init), and the node's log lines
 * must stay English whatever a reader asks. So no request ever switches it:
 * both answers are built once, in http_prepare, before the node's loop and
 * libmicrohttpd's thread start (the process has one thread then): the
 * Chinese one by switching to Chinese for the look-ups and back. Requests
 * only read the two finished bodies. */
#include <jansson.h>
#include <libintl.h>
#include <locale.h>
#include <stdlib.h>
#include <string.h>

#include "crypto/cf_error.h"
#include "crypto/cf_i18n.h"
#include "http.h"

/* Each page id translated by lookup(), as one JSON object. */
static char *catalogue(const char *(*lookup)(const char *), size_t *len)
{
    json_t *o = json_object();
    for (size_t i = 0; o && i < http_nmsgids; i++)
        json_object_set_new(o, http_msgids[i], json_string(lookup(http_msgids[i])));
    char *s = o ? json_dumps(o, JSON_INDENT(2) | JSON_SORT_KEYS) : NULL;
    json_decref(o);
    *len = s ? strlen(s) : 0;
    return s;
}

static const char *same(const char *msgid) { return msgid; }
static const char *chinese(const char *msgid) { return dgettext(CF_I18N_DOMAIN, msgid); }

static char *dup_or_null(const char *s) { return s ? strdup(s) : NULL; }

int http_i18n_prepare(http_i18n *t)
{
    memset(t, 0, sizeof *t);
    t->body[CF_LANG_EN] = catalogue(same, &t->len[CF_LANG_EN]);
    enum cf_lang was = cf_i18n_lang();
    t->node_lang = was;
    if (was == CF_LANG_ZH) {
        t->body[CF_LANG_ZH] = catalogue(chinese, &t->len[CF_LANG_ZH]);
    } else {
        /* Chinese for the look-ups, then English again exactly as it was:
         * cf_i18n_init(ZH) sets LC_MESSAGES and LANGUAGE, which English
         * (the ids themselves) never touches. */
        char *language = dup_or_null(getenv("LANGUAGE"));
        char *messages = dup_or_null(setlocale(LC_MESSAGES, NULL));
        char *dir = dup_or_null(bindtextdomain(CF_I18N_DOMAIN, NULL));
        cf_i18n_init(CF_LANG_ZH, dir);
        t->body[CF_LANG_ZH] = catalogue(chinese, &t->len[CF_LANG_ZH]);
        if (language) setenv("LANGUAGE", language, 1);
        else unsetenv("LANGUAGE");
        if (messages) setlocale(LC_MESSAGES, messages);
        cf_i18n_init(was, dir);
        free(language);
        free(messages);
        free(dir);
    }
    if (t->body[CF_LANG_EN] == NULL || t->body[CF_LANG_ZH] == NULL) {
        http_i18n_free(t);
        return CF_ENOMEM;
    }
    return CF_OK;
}

void http_i18n_free(http_i18n *t)
{
    free(t->body[CF_LANG_EN]);
    free(t->body[CF_LANG_ZH]);
    memset(t, 0, sizeof *t);
}

/* The language an Accept-Language header prefers among zh and en (the
 * highest q; the first of equals), or fallback. "zh-CN,zh;q=0.9,en;q=0.8" */
static enum cf_lang from_accept(const char *h, enum cf_lang fallback)
{
    enum cf_lang best = fallback, l;
    double best_q = 0;
    char tag[32];
    while (h && *h) {
        size_t n = strcspn(h, ",");
        const char *semi = memchr(h, ';', n);
        size_t tn = semi ? (size_t)(semi - h) : n;
        while (tn > 0 && (*h == ' ' || *h == '\t')) h++, tn--, n--;
        while (tn > 0 && (h[tn - 1] == ' ' || h[tn - 1] == '\t')) tn--;
        double q = 1;
        if (semi) {
            const char *qs = strstr(semi, "q=");
            if (qs && qs < h + n) q = strtod(qs + 2, NULL);
        }
        if (tn > 0 && tn < sizeof tag) {
            memcpy(tag, h, tn);
            tag[tn] = '\0';
            if (q > best_q && cf_lang_parse(tag, &l) == CF_OK && strcmp(tag, "C") != 0) {
                best = l;
                best_q = q;
            }
        }
        h += n;
        if (*h == ',') h++;
    }
    return best;
}

int http_i18n_answer(const http_i18n *t, const char *lang_arg, const char *accept,
                     const char **body, size_t *len, enum cf_lang *lang)
{
    enum cf_lang l;
    if (lang_arg) {
        if (strcmp(lang_arg, "zh") != 0 && strcmp(lang_arg, "en") != 0) return 400;
        cf_lang_parse(lang_arg, &l);
    } else {
        l = from_accept(accept, t->node_lang);
    }
    *lang = l;
    *body = t->body[l];
    *len = t->len[l];
    return 200;
}
