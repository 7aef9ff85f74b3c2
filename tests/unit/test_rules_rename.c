/* test_rules_rename.c — R-RENAME (docs/rules.md "Governance corrections",
 * node/ledger/rules_terms.c) on both sides: a display name corrected — a
 * project's, a member's, the network's — to a different name, by the
 * governance only, of a project or member registered as of the entry's gov
 * (R-REF); a member's display name as registered, carried by a rekey to the
 * new key and corrected on every key the member has had.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "crypto/cf_error.h"
#include "ledger/rules.h"
#include "ledger/state.h"
#include "rules_cases.h"
#include "rules_fixture.h"

#define XJ "\xe6\xb9\x98\xe6\xb1\x9f\xe8\xb5\x84\xe6\x9c\xac" /* 湘江资本 */
#define XJ2 XJ "\xe4\xba\x8c\xe6\x9c\x9f"                      /* 湘江资本二期 */

static entry_text txt(const char *s)
{
    return entry_text_of(s, strlen(s));
}

/* The governance renames: the member `member`, else the project `project`,
 * else the network. */
static entry rename_to(fx *f, int author, const char *member, const char *project,
                       const char *name)
{
    entry e = fx_entry(f, author, ENTRY_RENAME, FX_T0);
    e.body.rename.name = txt(name);
    if (member) {
        e.body.rename.has_member = true;
        e.body.rename.member = txt(member);
    }
    if (project) {
        e.body.rename.has_project = true;
        e.body.rename.project = txt(project);
    }
    return e;
}

static const char *display_of(fx *f, int who)
{
    static state_member m;
    assert_int_equal(state_member_get(&f->kv, f->keys[who], &m), CF_OK);
    return m.display;
}

/* A member registered with a display name keeps it; without one, none. */
static void test_member_display_registered(void **state)
{
    fx *f = *state;
    entry e = fx_member(f, FX_GOV, FX_FUND2, ROLE_INVESTOR, "fund2", FX_T0);
    e.body.member.has_display = true;
    e.body.member.display = txt(XJ);
    ACCEPT(f, &e);
    assert_string_equal(display_of(f, FX_FUND2), XJ);
    assert_string_equal(display_of(f, FX_INV_A), "");
    /* Its record holds more than an open key's always did; its identity is
     * still its key, and a rekey continues that identity with the name. */
    state_member m;
    assert_int_equal(state_member_get(&f->kv, f->keys[FX_FUND2], &m), CF_OK);
    assert_memory_equal(m.identity, f->keys[FX_FUND2], 32);
    e = fx_entry(f, FX_GOV, ENTRY_REKEY, FX_T0);
    e.body.rekey.name = txt("fund2");
    memcpy(e.body.rekey.key, f->keys[FX_OUTSIDER], 32);
    ACCEPT(f, &e);
    assert_int_equal(state_member_get(&f->kv, f->keys[FX_OUTSIDER], &m), CF_OK);
    assert_memory_equal(m.identity, f->keys[FX_FUND2], 32);
    assert_string_equal(m.display, XJ);
    e = rename_to(f, FX_GOV, "fund2", NULL, XJ2);
    ACCEPT(f, &e);
    assert_string_equal(display_of(f, FX_FUND2), XJ2);
    assert_string_equal(display_of(f, FX_OUTSIDER), XJ2);
}

/* R-RENAME: a member's display name corrected to a different one. */
static void test_r_rename_member(void **state)
{
    fx *f = *state;
    entry e = rename_to(f, FX_GOV, "inv-a", NULL, XJ);
    ACCEPT(f, &e);
    assert_string_equal(display_of(f, FX_INV_A), XJ);
    state_member m;
    assert_int_equal(state_member_by_name(&f->kv, "inv-a", 5, &m), CF_OK);
    assert_memory_equal(m.key, f->keys[FX_INV_A], 32); /* the name still finds its key */
    e = rename_to(f, FX_GOV, "inv-a", NULL, XJ);
    REJECT(f, &e, "R-RENAME", "member inv-a is already named \"" XJ "\"");
    e = rename_to(f, FX_GOV, "inv-a", NULL, XJ2);
    ACCEPT(f, &e);
    assert_string_equal(display_of(f, FX_INV_A), XJ2);
    assert_string_equal(display_of(f, FX_INV_B), ""); /* nobody else's */
    /* The governance member has a display name too, once given one. */
    e = rename_to(f, FX_GOV, "gov", NULL, "City fund");
    ACCEPT(f, &e);
    assert_string_equal(display_of(f, FX_GOV), "City fund");
}

/* R-REF: the member named is registered as of gov; R-ROLE: governance only. */
static void test_r_rename_member_registered_governance_only(void **state)
{
    fx *f = *state;
    entry e = rename_to(f, FX_GOV, "nobody", NULL, XJ);
    REJECT(f, &e, "R-REF", "member nobody is not registered");
    e = rename_to(f, FX_FUND, "inv-a", NULL, XJ);
    REJECT(f, &e, "R-ROLE", "rename");
}

/* A rekey carries the display name to the new key; a rename corrects every
 * key the member has had (its old key's entries are labelled alike); a
 * retired member's display name may still be corrected. */
static void test_r_rename_member_every_key(void **state)
{
    fx *f = *state;
    entry e = rename_to(f, FX_GOV, "inv-a", NULL, XJ);
    ACCEPT(f, &e);
    e = fx_entry(f, FX_GOV, ENTRY_REKEY, FX_T0);
    e.body.rekey.name = txt("inv-a");
    memcpy(e.body.rekey.key, f->keys[FX_OUTSIDER], 32);
    ACCEPT(f, &e);
    assert_string_equal(display_of(f, FX_OUTSIDER), XJ);
    e = rename_to(f, FX_GOV, "inv-a", NULL, XJ2);
    ACCEPT(f, &e);
    assert_string_equal(display_of(f, FX_OUTSIDER), XJ2);
    assert_string_equal(display_of(f, FX_INV_A), XJ2);
    state_member m;
    assert_int_equal(state_member_by_name(&f->kv, "inv-a", 5, &m), CF_OK);
    assert_memory_equal(m.key, f->keys[FX_OUTSIDER], 32); /* still the current key */
    assert_true(m.has_prev);
    e = fx_entry(f, FX_GOV, ENTRY_RETIRE, FX_T0);
    e.body.retire.name = txt("inv-a");
    ACCEPT(f, &e);
    e = rename_to(f, FX_GOV, "inv-a", NULL, XJ);
    ACCEPT(f, &e);
    assert_string_equal(display_of(f, FX_OUTSIDER), XJ);
    assert_string_equal(display_of(f, FX_INV_A), XJ);
}

/* As of gov: a member registered by an entry the rename does not read (its
 * gov does not count it) is not registered for it; a member whose rekey it
 * does not read is, under its first key (the key it has then). */
static void test_r_rename_member_as_of_gov(void **state)
{
    fx *f = *state;
    uint64_t before = fx_gov(f);
    entry e = fx_member(f, FX_GOV, FX_FUND2, ROLE_INVESTOR, "fund2", FX_T0);
    ACCEPT(f, &e);
    e = rename_to(f, FX_GOV, "fund2", NULL, XJ);
    e.gov = before;
    REJECT(f, &e, "R-REF", "member fund2 is not registered");
    e = fx_entry(f, FX_GOV, ENTRY_REKEY, FX_T0);
    e.body.rekey.name = txt("inv-b");
    memcpy(e.body.rekey.key, f->keys[FX_OUTSIDER], 32);
    ACCEPT(f, &e);
    e = rename_to(f, FX_GOV, "inv-b", NULL, XJ);
    e.gov = fx_gov(f) - 1; /* reads the rekey not yet: the member's first key only */
    ACCEPT(f, &e);
    assert_string_equal(display_of(f, FX_OUTSIDER), XJ);
}

/* The project's and the network's renames, as before. */
static void test_r_rename_project_and_network(void **state)
{
    fx *f = *state;
    entry e = rename_to(f, FX_GOV, NULL, "p1", XJ);
    ACCEPT(f, &e);
    state_project p;
    assert_int_equal(state_project_get(&f->kv, "p1", 2, &p), CF_OK);
    assert_string_equal(p.name, XJ);
    e = rename_to(f, FX_GOV, NULL, "p1", XJ);
    REJECT(f, &e, "R-RENAME", "project p1 is already named");
    e = rename_to(f, FX_GOV, NULL, "nowhere", XJ);
    REJECT(f, &e, "R-REF", "project nowhere is not registered");
    e = rename_to(f, FX_GOV, NULL, NULL, XJ);
    ACCEPT(f, &e);
    e = rename_to(f, FX_GOV, NULL, NULL, XJ);
    REJECT(f, &e, "R-RENAME", "the network is already named");
    assert_string_equal(display_of(f, FX_INV_A), ""); /* no member's */
}

#define T(name) cmocka_unit_test_setup_teardown(name, fx_case_setup, fx_case_teardown)

int main(void)
{
    const struct CMUnitTest tests[] = {
        T(test_member_display_registered),
        T(test_r_rename_member),
        T(test_r_rename_member_registered_governance_only),
        T(test_r_rename_member_every_key),
        T(test_r_rename_member_as_of_gov),
        T(test_r_rename_project_and_network),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
