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

fx_ref fx_told(fx *w, fx_story *s, const entry *e)
{
    fx_ref r = fx_accept(w, e);
    assert_true(s->n < FX_STORY_MAX);
    fx_held *h = &s->e[s->n++];
    h->who = r.who;
    h->index = e->index;
    memcpy(h->bytes, w->bytes, w->len);
    h->len = w->len;
    return r;
}

static void deliver(fx *r, const fx_story *s, uint64_t seed)
{
    const int feeds[3] = {FX_FUND, FX_BANK, FX_BANK2};
    size_t next[3] = {0, 0, 0}, done = 0;
    uint64_t x = seed;
    for (int stuck = 0; done < s->n && stuck < 4000; stuck++) {
        x = x * UINT64_C(6364136223846793005) + 1442695040888963407u;
        int fi = (int)((x >> 33) % 3);
        /* the feed's next entry, if any */
        size_t k = 0, seen = 0;
        for (; k < s->n; k++)
            if (s->e[k].who == feeds[fi] && seen++ == next[fi]) break;
        if (k == s->n) continue;
        const fx_held *h = &s->e[k];
        int rc = fx_push_bytes(r, r->keys[h->who], h->index, h->bytes, h->len);
        if (rc == CF_EPENDING) continue;
        if (rc != CF_OK)
            fail_msg("seed %llu: %s#%llu: %s [%s] %s", (unsigned long long)seed,
                     fx_names[h->who], (unsigned long long)h->index, cf_errname(rc), r->d.rule,
                     r->d.text);
        next[fi]++;
        done++;
    }
    assert_int_equal(done, s->n);
}

void fx_story_orders(fx *w, const fx_story *s, uint64_t orders)
{
    uint8_t want[32], got[32];
    fx_digest(w, want, NULL);
    for (uint64_t seed = 1; seed <= orders; seed++) {
        fx *r = fx_setup_instruments();
        assert_non_null(r);
        deliver(r, s, seed);
        fx_digest(r, got, NULL);
        if (memcmp(want, got, 32) != 0) fail_msg("seed %llu: another state", (unsigned long long)seed);
        fx_free(r);
    }
}

query_pool fx_pool_now(fx *f)
{
    state_program pg;
    query_pool q;
    assert_int_equal(state_program_get(&f->kv, "pool", 4, &pg), CF_OK);
    assert_int_equal(query_pool_totals(&f->kv, &pg, STATE_TIME_LATEST, &q), CF_OK);
    return q;
}
