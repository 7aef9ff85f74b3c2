/* cmd_member.c — `member rekey` and `member retire`: the governance replaces
 * a member's key or retires the member (R-KEY, docs/rules.md). The member's
 * current key's feed is closed at an index: by default what this home has
 * applied of it, which the network holds, signed; a closing past that could
 * leave the member's new key waiting for entries nobody holds, so it is
 * refused here (a local check). */
#include <stdio.h>
#include <string.h>

#include "cli.h"
#include "crypto/cf_error.h"
#include "crypto/cf_util.h"
#include "ledger/entry.h"

struct closing {
    const char *name;
    state_member m;
    uint64_t held; /* what counts of its feed here: applied, up to a fork point */
};

static int read_closing(store_txn *txn, const ledger_kv *kv, void *arg)
{
    struct closing *c = arg;
    state_tip tip;
    (void)txn;
    int err = state_member_by_name(kv, c->name, strlen(c->name), &c->m);
    if (err) return err;
    if ((err = state_tip_get(kv, c->m.key, &tip)) != 0) return err;
    return state_feed_end(kv, c->m.key, tip.applied, &c->held);
}

static int run_close(cli_env *env, const cli_args *a, enum entry_type type)
{
    const char *name = a->pos[0], *close_arg = cli_get(a, "close");
    entry e = {.type = type};
    body_rekey *b = &e.body.rekey;
    struct closing c = {.name = name};
    uint64_t close = 0;
    if (type == ENTRY_REKEY) {
        const char *key = cli_get(a, "key");
        if (strlen(key) != 64 || cf_hex_decode(key, 64, b->key, 32) != CF_OK)
            return cli_usage_error(a, "--key: expected 64 hex digits (the new home's "
                                      "`cofund whoami` prints them)");
    }
    if (close_arg && cli_parse_u64(close_arg, &close) != CF_OK)
        return cli_usage_error(a, "--close %s: expected an entry index (0, 1, ...)", close_arg);
    home *h;
    int rc = cli_open_home(env, 0, &h);
    if (rc) return rc;
    int err = cli_read(h, read_closing, &c);
    if (err == CF_ENOTFOUND) {
        rc = cli_failf(CF_EREJECTED, "member %s is not registered (see `cofund members`)", name);
        goto out;
    }
    if (err) {
        rc = cli_failf(err, "reading member %s: %s", name, cf_strerror(err));
        goto out;
    }
    if (!close_arg) close = c.held;
    if (close > c.held) {
        rc = cli_failf(CF_EREJECTED,
                       "--close %llu: this home holds %llu entries of %s's feed that count; a "
                       "closing past them could leave the member waiting for entries nobody "
                       "holds (import them first, or close at %llu or below)",
                       (unsigned long long)close, (unsigned long long)c.held, name,
                       (unsigned long long)c.held);
        goto out;
    }
    b->name = entry_text_of(name, strlen(name));
    b->close = close;
    uint64_t index;
    if ((rc = cli_append(env, h, &e, 1, &index)) != CLI_OK) goto out;
    if (type == ENTRY_REKEY)
        printf(_("member %s rekeyed at governance entry %llu: its old key's entries 0..%llu "
                 "stand, its new key continues it\n"),
               name, (unsigned long long)index, (unsigned long long)close);
    else
        printf(_("member %s retired at governance entry %llu: its entries 0..%llu stand\n"), name,
               (unsigned long long)index, (unsigned long long)close);
out:
    cli_close_home(h);
    return rc;
}

static int run_rekey(cli_env *env, const cli_args *a) { return run_close(env, a, ENTRY_REKEY); }
static int run_retire(cli_env *env, const cli_args *a) { return run_close(env, a, ENTRY_RETIRE); }

#define OPT_CLOSE                                                                            \
    {"close", "INDEX", 0, 0,                                                                 \
     N_("its feed's entries below INDEX stand (default: all this home holds of it)")}

const cli_cmd cli_cmd_member_rekey = {
    .name = "member rekey",
    .args = "NAME",
    .min_args = 1,
    .max_args = 1,
    .opts = (const cli_opt[]){
        {"key", "HEX", CLI_REQUIRED, 0, N_("the member's new public key (its new home's whoami)")},
        OPT_CLOSE,
        CLI_OPT_DRY_RUN, CLI_OPT_YES, CLI_OPT_END},
    .summary = N_("governance: give a member a new key (after a fork, a lost or stolen key)"),
    .help = N_("The member's current key's feed is closed at --close: its entries below stand, "
            "none from there on counts. The new key continues the member: its positions, the "
            "programs it operates, what it may cite; nobody else does anything. The new key's "
            "entries wait until the old feed's entries that stand are held (R-KEY)."),
    .example = "member rekey investor-a --key 5be1…",
    .run = run_rekey,
};

const cli_cmd cli_cmd_member_retire = {
    .name = "member retire",
    .args = "NAME",
    .min_args = 1,
    .max_args = 1,
    .opts = (const cli_opt[]){OPT_CLOSE, CLI_OPT_DRY_RUN, CLI_OPT_YES, CLI_OPT_END},
    .summary = N_("governance: retire a member: it writes nothing more"),
    .help = N_("The member's feed is closed at --close: its entries below stand (what it holds "
            "stays on record), it writes nothing more."),
    .example = "member retire investor-b",
    .run = run_retire,
};
