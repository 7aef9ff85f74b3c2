/* diag.c — see diag.h. */
#include "diag.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "crypto/cf_error.h"
#include "crypto/cf_i18n.h"

void diag_clear(diag *d)
{
    if (d == NULL) return;
    d->code = CF_OK;
    d->rule[0] = '\0';
    d->text[0] = '\0';
}

int diag_set(diag *d, int code, const char *rule, const char *fmt, ...)
{
    if (d == NULL) return code;
    d->code = code;
    snprintf(d->rule, sizeof d->rule, "%s", rule ? rule : "");
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(d->text, sizeof d->text, cf_tr(fmt), ap);
    va_end(ap);
    return code;
}

void diag_prefix(diag *d, const char *fmt, ...)
{
    if (d == NULL) return;
    char prefix[DIAG_TEXT_BYTES], joined[2 * DIAG_TEXT_BYTES + 2];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(prefix, sizeof prefix, cf_tr(fmt), ap);
    va_end(ap);
    snprintf(joined, sizeof joined, "%s: %s", prefix,
             d->text[0] ? d->text : cf_strerror(d->code));
    /* Truncate to the diag's size; the prefix always survives. */
    size_t n = strlen(joined);
    if (n >= sizeof d->text) n = sizeof d->text - 1;
    memcpy(d->text, joined, n);
    d->text[n] = '\0';
}

void diag_format(const diag *d, char *out, size_t cap)
{
    const char *text = d->text[0] ? d->text : cf_strerror(d->code);
    if (d->rule[0])
        snprintf(out, cap, _("rejected by %s: %s"), d->rule, text);
    else
        snprintf(out, cap, "%s", text);
}
