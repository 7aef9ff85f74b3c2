/* cf_error.c — names and messages for the error list in cf_error.h. */
#include "cf_error.h"

#include "cf_i18n.h"

#include <stdio.h>
#include <stdlib.h>

#define CF__NAME(name, msg) "CF_E" #name,
static const char *const err_names[] = {CF_ERRORS(CF__NAME)};
#undef CF__NAME
#define CF__MSG(name, msg) msg,
static const char *const err_msgs[] = {CF_ERRORS(CF__MSG)};
#undef CF__MSG

_Static_assert(sizeof(err_names) / sizeof(err_names[0]) == CF__ERR_COUNT,
               "one name per error");

const char *cf_errname(int err)
{
    if (err == CF_OK) return "CF_OK";
    if (err < 0 && err >= -CF__ERR_COUNT) return err_names[-err - 1];
    return "CF_E?";
}

const char *cf_strerror_en(int err)
{
    if (err == CF_OK) return N_("ok"); /* N_: cf_strerror translates them */
    if (err < 0 && err >= -CF__ERR_COUNT) return err_msgs[-err - 1];
    return N_("unknown error");
}

const char *cf_strerror(int err) { return cf_tr(cf_strerror_en(err)); }

void cf_assert_fail(const char *file, int line, const char *func, const char *cond)
{
    fprintf(stderr, "%s:%d: %s: invariant failed: %s\n", file, line, func, cond);
    fflush(stderr);
    abort();
}
