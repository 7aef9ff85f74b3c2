/* cf_i18n.h — the language cofund speaks to people (docs/i18n.md).
 *
 * Messages, help and table headings are GNU gettext message ids in English;
 * the catalogues live in po/ (zh_CN.po) and the build compiles them into
 * <prefix>/share/locale/LANG/LC_MESSAGES/cofund.mo. Every layer marks its
 * words with _() (translated where used) or N_() (a static initialiser,
 * translated where printed); diag_set and cli_failf translate their format
 * themselves, so a rule's message is marked by being a diag_set format.
 *
 * Only people's text depends on the language: JSON, CSV, stored bytes,
 * the wire and the logs' field names never do. Rule IDs (R-MATCH.4),
 * identifiers and machine formats are the same in every language.
 */
#ifndef COFUND_CF_I18N_H
#define COFUND_CF_I18N_H

#include <stdbool.h>
#include <stddef.h>

/* The gettext text domain: cofund.mo. */
#define CF_I18N_DOMAIN "cofund"

enum cf_lang { CF_LANG_EN = 0, CF_LANG_ZH = 1 };

/* The language a name gives: "zh", "zh_CN", "zh_CN.UTF-8", "zh-Hans" → ZH;
 * "en", "en_US.UTF-8", "C", "POSIX" → EN. CF_EINVAL for anything else
 * (*out untouched). */
int cf_lang_parse(const char *name, enum cf_lang *out);
/* The language the environment asks for, as gettext reads it: the first
 * set of LC_ALL, LC_MESSAGES, LANG names the locale; unless that is C or
 * POSIX, LANGUAGE (its first entry) comes before it. A language cofund does
 * not ship (fr_FR) is English. */
enum cf_lang cf_lang_from_env(void);

/* Speak `lang` from now on (call it before any message, then again to
 * switch: the dashboard answers each request in its own language). Sets
 * LC_CTYPE to the environment's UTF-8 locale or C.UTF-8 (display widths),
 * and binds the domain to localedir: NULL for $COFUND_LOCALEDIR, else
 * share/locale beside the running binary's bin/ (the build tree and an
 * installed tree alike), else the install prefix's. Never fails: a missing
 * catalogue leaves the English ids. */
void cf_i18n_init(enum cf_lang lang, const char *localedir);
enum cf_lang cf_i18n_lang(void);
/* "zh" or "en". */
const char *cf_lang_name(enum cf_lang lang);

/* Between these two, cf_tr and cf_i18n_lang answer in English whatever the
 * language (they nest): for work whose text is stored, sent or logged
 * rather than read by the person who ran the command — a replica's
 * verdicts on what others signed become evidence, the same bytes on every
 * node (node/home/replica.c). */
void cf_i18n_begin_english(void);
void cf_i18n_end_english(void);

/* msgid in the current language (msgid itself in English or when the
 * catalogue lacks it). Static storage: valid for the process's life. */
const char *cf_tr(const char *msgid) __attribute__((format_arg(1)));
/* The plural form for n. */
const char *cf_trn(const char *one, const char *many, unsigned long n)
    __attribute__((format_arg(1), format_arg(2)));

/* msgid as meant in `context` (a message id that reads differently in
 * two places: C_("loans", "OUTSTANDING") is 贷款余额, "OUTSTANDING" alone 在投余额). */
const char *cf_trp(const char *context, const char *msgid) __attribute__((format_arg(2)));

#define _(s) cf_tr(s)
#define C_(ctx, s) cf_trp(ctx, s)
#define N_(s) s

/* ---- text as people see it -------------------------------------------------- */

/* s[0..n) is well-formed UTF-8 (no overlong forms, surrogates or code
 * points past U+10FFFF). */
bool cf_utf8_valid(const char *s, size_t n);
/* The columns s takes on a terminal: a CJK character two, a combining mark
 * none, anything else one (an invalid byte counts one). */
size_t cf_text_width(const char *s);
/* How many bytes of s[0..n) make one line of at most `width` columns,
 * breaking where a line may break: at a space, or beside a wide (CJK)
 * character, which needs none. Never 0 for n > 0: a first word wider than
 * the line is taken whole. The caller skips the spaces after the break. */
size_t cf_text_break(const char *s, size_t n, size_t width);
/* Copy s to out (cap bytes) padded with spaces to `width` columns, on the
 * left when right-aligned; s wider than width is copied whole. */
void cf_text_pad(char *out, size_t cap, const char *s, size_t width, bool right);

#endif
