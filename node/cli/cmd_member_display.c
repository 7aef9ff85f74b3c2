/* cmd_member_display.c — members' display names (R-RENAME): `member add
 * --display` (its option, read here) and `member rename`. A member's name
 * is its identifier and stays; its display name, which may be Chinese, is
 * what tables show (names.h). */
#include <stdio.h>
#include <string.h>

#include "cli.h"
#include "crypto/cf_error.h"
#include "ledger/entry.h"
#include "names.h"

/* --display's value: CLI_OK, or the usage error naming its problem. */
static int check_display(const cli_args *a, const char *display)
{
    char why[128];
    if (cli_display_problem(display, why, sizeof why) == NULL) return CLI_OK;
    return cli_usage_error(a, "--display: %s; a display name is 1 to %d bytes of UTF-8 text "
                              "without control characters",
                           why, ENTRY_NAME_BYTES_MAX);
}

int cli_member_display(const cli_args *a, body_member *b)
{
    const char *display = cli_get(a, "display");
    if (display == NULL) return CLI_OK;
    if (check_display(a, display) != CLI_OK) return CLI_USAGE;
    b->has_display = true;
    b->display = entry_text_of(display, strlen(display));
    return CLI_OK;
}

static int read_member(store_txn *txn, const ledger_kv *kv, void *arg)
{
    (void)txn;
    const char *name = arg;
    state_member m;
    return state_member_by_name(kv, name, strlen(name), &m);
}

static int run_member_rename(cli_env *env, const cli_args *a)
{
    const char *name = a->pos[0], *display = cli_get(a, "display");
    if (check_display(a, display) != CLI_OK) return CLI_USAGE;
    entry e = {.type = ENTRY_RENAME};
    e.body.rename.name = entry_text_of(display, strlen(display));
    e.body.rename.has_member = true;
    e.body.rename.member = entry_text_of(name, strlen(name));
    home *h;
    int rc = cli_open_home(env, 0, &h);
    if (rc) return rc;
    int err = cli_read(h, read_member, (void *)name);
    if (err == CF_ENOTFOUND)
        rc = cli_failf(CF_ENOTFOUND, "member %s is not registered (see `cofund members`)", name);
    else if (err)
        rc = cli_failf(err, "reading member %s: %s", name, cf_strerror(err));
    uint64_t index;
    if (rc == CLI_OK && (rc = cli_append(env, h, &e, 1, &index)) == CLI_OK)
        printf(_("member %s renamed \"%s\" at governance entry %llu\n"), name, display,
               (unsigned long long)index);
    cli_close_home(h);
    return rc;
}

const cli_cmd cli_cmd_member_rename = {
    .name = "member rename",
    .args = "NAME",
    .min_args = 1,
    .max_args = 1,
    .flags = CLI_ARG_ID,
    .opts = (const cli_opt[]){{"display", "TEXT", CLI_REQUIRED, 0,
                               N_("the member's corrected display name")},
                              CLI_OPT_DRY_RUN, CLI_OPT_YES, CLI_OPT_END},
    .summary = N_("governance: correct a member's display name"),
    .help = N_("The member's name stays (it is its identifier: entries, commands and logs name "
            "it); its display name, which tables show, is corrected from here on (R-RENAME), "
            "for every key the member has had. The old display name stays in the governance "
            "feed's log."),
    .example = "member rename investor-a --display \"湘江资本\"",
    .run = run_member_rename,
};
