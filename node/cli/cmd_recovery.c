/* cmd_recovery.c — the governance's own key replaced (R-SUCCEED,
 * docs/rules.md "The governance's own key", docs/operations.md).
 *
 *   recovery sign    at a recovery key holder's home (offline): signs the
 *                    succession statement of a new governance key and
 *                    prints the signature as KEY:SIG
 *   network succeed  at the new governance home (joined, not a member):
 *                    writes the succession, its first entry, with a quorum
 *                    of those signatures
 *
 * `network create --recovery-key HEX … --recovery-quorum K` names the keys
 * (cmd_home.c, recovery_keys_parse below).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "crypto/cf_error.h"
#include "crypto/cf_util.h"
#include "ledger/entry.h"

static int cmp_key(const void *x, const void *y) { return memcmp(x, y, 32); }

int cli_recovery_keys(const cli_args *a, body_genesis *g)
{
    const char *keys[RECOVERY_KEYS_MAX + 1], *quorum = cli_get(a, "recovery-quorum");
    size_t n = cli_get_all(a, "recovery-key", keys, RECOVERY_KEYS_MAX + 1);
    uint64_t q;
    if (n == 0 && quorum == NULL) return CLI_OK;
    if (n == 0 || quorum == NULL)
        return cli_usage_error(a, "--recovery-key and --recovery-quorum go together");
    if (n > RECOVERY_KEYS_MAX)
        return cli_usage_error(a, "--recovery-key: at most %d keys", RECOVERY_KEYS_MAX);
    for (size_t i = 0; i < n; i++)
        if (strlen(keys[i]) != 64 || cf_hex_decode(keys[i], 64, g->recovery.keys[i], 32) != CF_OK)
            return cli_usage_error(a, "--recovery-key %s: expected 64 hex digits (the holder's "
                                      "`cofund whoami`)", keys[i]);
    qsort(g->recovery.keys, n, 32, cmp_key);
    for (size_t i = 1; i < n; i++)
        if (memcmp(g->recovery.keys[i], g->recovery.keys[i - 1], 32) == 0)
            return cli_usage_error(a, "--recovery-key: a key is named twice");
    if (cli_parse_u64(quorum, &q) != CF_OK || q == 0 || q > n)
        return cli_usage_error(a, "--recovery-quorum %s: expected 1 to %zu (the keys named)",
                               quorum, n);
    g->has_recovery = g->has_quorum = true;
    g->recovery.n = n;
    g->quorum = (uint32_t)q;
    return CLI_OK;
}

static int parse_key(const cli_args *a, const char *opt, const char *hex, uint8_t key[32])
{
    if (strlen(hex) != 64 || cf_hex_decode(hex, 64, key, 32) != CF_OK)
        return cli_usage_error(a, "--%s %s: expected 64 hex digits", opt, hex);
    return CLI_OK;
}

/* ---- recovery sign ------------------------------------------------------------ */

static int run_recovery_sign(cli_env *env, const cli_args *a)
{
    const char *net_arg = cli_get(a, "network"), *prev_arg = cli_get(a, "prev");
    uint8_t net[32], prev[32], key[32];
    uint64_t close;
    int rc;
    if ((rc = parse_key(a, "key", cli_get(a, "key"), key)) != CLI_OK) return rc;
    if (cli_parse_u64(cli_get(a, "close"), &close) != CF_OK || close == 0)
        return cli_usage_error(a, "--close %s: expected an entry index, 1 or more",
                               cli_get(a, "close"));
    if (net_arg && (rc = parse_key(a, "network", net_arg, net)) != CLI_OK) return rc;
    if (prev_arg && (rc = parse_key(a, "prev", prev_arg, prev)) != CLI_OK) return rc;
    home *h;
    if ((rc = cli_open_home(env, 0, &h)) != CLI_OK) return rc;
    if (!net_arg || !prev_arg) { /* from the network this home joined */
        state_network n;
        diag d;
        if (home_network(h, &n, &d) != CF_OK) {
            cli_close_home(h);
            return cli_failf(CF_ENO_NETWORK, "this home has not joined a network: give "
                                             "--network and --prev");
        }
        if (!net_arg) memcpy(net, n.net, 32);
        if (!prev_arg) memcpy(prev, n.gov_key, 32);
    }
    keyfile_keypair kp;
    if ((rc = cli_load_key(env, h, &kp)) != CLI_OK) {
        cli_close_home(h);
        return rc;
    }
    char msg[ENTRY_SUCCESSION_STATEMENT_BYTES], pk[CF_HEX32_BYTES], sig_hex[129];
    uint8_t sig[64];
    size_t len = entry_succession_statement(net, prev, key, close, msg);
    cf_ed25519_sign((const uint8_t *)msg, len, kp.sk, sig);
    cf_hex_encode(kp.pk, 32, pk, sizeof pk);
    cf_hex_encode(sig, 64, sig_hex, sizeof sig_hex);
    keyfile_wipe(&kp);
    cli_close_home(h);
    fprintf(stderr, _("signed, with recovery key %s:\n%s"), pk, msg);
    printf("%s:%s\n", pk, sig_hex);
    return CLI_OK;
}

const cli_cmd cli_cmd_recovery_sign = {
    .name = "recovery sign",
    .opts = (const cli_opt[]){
        {"key", "HEX", CLI_REQUIRED, 0, N_("the new governance key (its home's whoami)")},
        {"close", "INDEX", CLI_REQUIRED, 0,
         N_("the old governance key's entries below INDEX stand")},
        {"network", "HEX", 0, 0, N_("the network id (default: the network this home joined)")},
        {"prev", "HEX", 0, 0,
         N_("the governance key replaced (default: the governance's current key here)")},
        CLI_OPT_END},
    .summary = N_("a recovery key signs the succession of a new governance key"),
    .help = N_("Run at the home that holds a recovery key the genesis named (kept offline). "
            "Prints the statement signed on stderr and the signature, KEY:SIG, on stdout; "
            "give a quorum of them to `network succeed` at the new governance home "
            "(R-SUCCEED, docs/operations.md)."),
    .example = "recovery sign --key 5be1… --close 12",
    .run = run_recovery_sign,
};

/* ---- network succeed ----------------------------------------------------------- */

struct sig_arg {
    uint8_t key[32], sig[64];
};

static int run_network_succeed(cli_env *env, const cli_args *a)
{
    const char *sigs[RECOVERY_KEYS_MAX + 1];
    struct sig_arg parsed[RECOVERY_KEYS_MAX];
    size_t n = cli_get_all(a, "sig", sigs, RECOVERY_KEYS_MAX + 1);
    entry e = {.type = ENTRY_SUCCESSION};
    body_succession *b = &e.body.succession;
    if (n > RECOVERY_KEYS_MAX)
        return cli_usage_error(a, "--sig: at most %d signatures", RECOVERY_KEYS_MAX);
    if (cli_parse_u64(cli_get(a, "close"), &b->close) != CF_OK)
        return cli_usage_error(a, "--close %s: expected an entry index", cli_get(a, "close"));
    for (size_t i = 0; i < n; i++) {
        const char *colon = strchr(sigs[i], ':');
        if (colon == NULL || colon - sigs[i] != 64 || strlen(colon + 1) != 128 ||
            cf_hex_decode(sigs[i], 64, parsed[i].key, 32) != CF_OK ||
            cf_hex_decode(colon + 1, 128, parsed[i].sig, 64) != CF_OK)
            return cli_usage_error(a, "--sig %.20s…: expected KEY:SIG as `recovery sign` "
                                      "prints it", sigs[i]);
    }
    qsort(parsed, n, sizeof parsed[0], cmp_key); /* by key: its first field */
    for (size_t i = 0; i < n; i++) {
        if (i > 0 && memcmp(parsed[i].key, parsed[i - 1].key, 32) == 0)
            return cli_usage_error(a, "--sig: two signatures by one recovery key");
        memcpy(b->sigs.keys[i], parsed[i].key, 32);
        memcpy(b->sigs.sigs[i], parsed[i].sig, 64);
    }
    b->sigs.n = n;
    home *h;
    int rc = cli_open_home(env, 0, &h);
    if (rc) return rc;
    state_network net;
    diag d;
    if (home_network(h, &net, &d) != CF_OK) {
        rc = cli_fail(&d);
        goto out;
    }
    memcpy(b->prev, net.gov_key, 32);
    uint64_t gov = net.gov_base + b->close;
    if ((rc = cli_append(env, h, &e, 1, NULL)) != CLI_OK) goto out;
    printf(_("this home (%s) continues the governance from governance entry %llu: the old "
             "key's entries 0..%llu stand\n"),
           h->name, (unsigned long long)gov,
           (unsigned long long)(b->close ? b->close - 1 : 0));
out:
    cli_close_home(h);
    return rc;
}

const cli_cmd cli_cmd_network_succeed = {
    .name = "network succeed",
    .opts = (const cli_opt[]){
        {"close", "INDEX", CLI_REQUIRED, 0,
         N_("the old governance key's entries below INDEX stand (as the holders signed)")},
        {"sig", "KEY:SIG", CLI_REQUIRED, RECOVERY_KEYS_MAX,
         N_("a recovery key's signature, as `recovery sign` prints it")},
        CLI_OPT_DRY_RUN, CLI_OPT_YES, CLI_OPT_END},
    .summary = N_("this home's key continues the governance, on the recovery keys' quorum"),
    .help = N_("After the governance key is lost, stolen or forked: run at a new home that joined "
            "the network (its key not a member). Writes the succession, this home's first "
            "entry, with a quorum of the recovery keys' signatures (R-SUCCEED); every node "
            "that applies it closes the old key's feed at --close and takes this key as the "
            "governance, with its name. The old key's entries below --close stand."),
    .example = "network succeed --close 12 --sig 9a0c…:51fe… --sig 3d77…:0b2a…",
    .run = run_network_succeed,
};
