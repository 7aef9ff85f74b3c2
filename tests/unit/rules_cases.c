/* rules_cases.c — see rules_cases.h. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "crypto/cf_error.h"
#include "rules_cases.h"

static void cmocka_fail(const char *msg)
{
    fail_msg("%s", msg);
}

int fx_case_setup(void **state)
{
    fx_fail_hook = cmocka_fail;
    return (*state = fx_setup()) != NULL ? 0 : -1;
}

int fx_case_setup_instruments(void **state)
{
    fx_fail_hook = cmocka_fail;
    return (*state = fx_setup_instruments()) != NULL ? 0 : -1;
}

int fx_case_teardown(void **state)
{
    fx_free(*state);
    return 0;
}

void fx_expect_(fx *f, const entry *e, int code, const char *rule, const char *const *needles,
                int line)
{
    uint8_t before[32], after[32];
    size_t n0, n1;
    fx_digest(f, before, &n0);
    int rc = fx_push(f, e);
    if (rc != code || strcmp(f->d.rule, rule) != 0)
        fail_msg("line %d: want %s [%s], got %s [%s] \"%s\"", line, cf_errname(code), rule,
                 cf_errname(rc), f->d.rule, f->d.text);
    for (; *needles; needles++)
        if (strstr(f->d.text, *needles) == NULL)
            fail_msg("line %d: \"%s\" does not mention \"%s\"", line, f->d.text, *needles);
    if (code == CF_OK) return;
    fx_digest(f, after, &n1);
    if (n0 != n1 || memcmp(before, after, 32) != 0)
        fail_msg("line %d: the state changed after %s", line, cf_errname(rc));
}
