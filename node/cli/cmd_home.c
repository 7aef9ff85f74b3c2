/* cmd_home.c — init, whoami, network create, join, member add, members,
 * import, restore. */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

#include "bundle/ckpt.h"
#include "cli.h"
#include "crypto/cf_error.h"
#include "crypto/cf_util.h"
#include "crypto/note.h"
#include "home/bundle_io.h"
#include "ledger/caltime.h"
#include "net/net.h"

static int run_init(cli_env *env, const cli_args *a)
{
    const char *name = cli_get(a, "name"), *passfile = cli_get(a, "passphrase-file");
    if (passfile == NULL) passfile = env->passphrase_file;
    char pass[KEYFILE_PASSPHRASE_MAX + 2];
    size_t pass_len = 0;
    if (passfile) {
        int err = keyfile_read_passphrase(passfile, pass, sizeof pass, &pass_len);
        if (err) return cli_fail_secret_file(err, N_("passphrase file"), passfile);
    }
    diag d;
    int err = home_init(env->home_dir, name, passfile ? pass : NULL, pass_len, &d);
    cf_wipe(pass, sizeof pass);
    if (err) return cli_fail(&d);
    /* A directory that existed keeps its mode through mkdir: make it the
     * 0700 a home is (docs/cli.md), saying so when it was not. */
    struct stat sb;
    if (stat(env->home_dir, &sb) == 0 && (sb.st_mode & 07777) != 0700) {
        if (chmod(env->home_dir, 0700) != 0)
            return cli_failf(CF_EIO, "cannot make %s private (chmod 700): %s", env->home_dir,
                             strerror(errno));
        fprintf(stderr, _("%s: %s had mode %04o: now 0700\n"), cli_prog(), env->home_dir,
                (unsigned)(sb.st_mode & 07777));
    }
    home *h;
    int rc = cli_open_home(env, HOME_RDONLY, &h);
    if (rc) return rc;
    char hex[CF_HEX32_BYTES];
    cf_hex_encode(h->self, 32, hex, sizeof hex);
    printf(_("created home %s for %s\nkey %s%s\n"), env->home_dir, name, hex,
           passfile ? _(" (passphrase-protected)") : "");
    cli_close_home(h);
    return CLI_OK;
}

/* One line of whoami: its label, translated, padded to 10 columns. */
static void whoami_line(const char *label, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
static void whoami_line(const char *label, const char *fmt, ...)
{
    char pad[64];
    va_list ap;
    cf_text_pad(pad, sizeof pad, _(label), 9, false);
    printf("%s ", pad);
    va_start(ap, fmt);
    vprintf(fmt, ap);
    va_end(ap);
    putchar('\n');
}

static int whoami_read(store_txn *txn, const ledger_kv *kv, void *arg)
{
    home *h = arg;
    state_network net;
    state_member m;
    char hex[CF_HEX32_BYTES], origin[CKPT_ORIGIN_BYTES], vkey[512];
    (void)txn;
    cf_hex_encode(h->self, 32, hex, sizeof hex);
    /* TRANSLATORS: whoami's labels: "name", "key", "network", "member", "verifier" */
    whoami_line(N_("name"), "%s", h->name);
    whoami_line(N_("key"), "%s", hex);
    int err = state_network_get(kv, &net);
    if (err == CF_ENOTFOUND) {
        whoami_line(N_("network"), "%s",
                    _("(none yet: cofund network create, or cofund join BUNDLE)"));
        return CLI_OK;
    }
    if (err) return cli_failf(err, "reading the network: %s", cf_strerror(err));
    cf_hex_encode(net.net, 32, hex, sizeof hex);
    whoami_line(N_("network"), "%s (%s)", hex, net.name);
    if (state_member_get(kv, h->self, &m) == CF_OK)
        whoami_line(N_("member"), "%s, %s", m.name, role_name(m.role));
    else
        whoami_line(N_("member"), "%s",
                    _("(not registered yet: the governance adds it with cofund member add)"));
    ckpt_origin(net.net, h->self, origin);
    if (note_vkey_format(origin, h->self, vkey, sizeof vkey) == CF_OK)
        whoami_line(N_("verifier"), "%s", vkey);
    return CLI_OK;
}

static int run_whoami(cli_env *env, const cli_args *a)
{
    home *h;
    (void)a;
    int rc = cli_open_home(env, HOME_RDONLY, &h);
    if (rc) return rc;
    rc = cli_read(h, whoami_read, h);
    cli_close_home(h);
    return rc;
}

static int run_network_create(cli_env *env, const cli_args *a)
{
    const char *name = cli_get(a, "name"), *tz_arg = cli_get(a, "tz");
    int32_t tz = 480;
    if (tz_arg && caltime_parse_tz(tz_arg, &tz) != CF_OK)
        return cli_usage_error(a, "--tz %s: expected an offset like +08:00", tz_arg);
    if (!entry_name_valid(name, strlen(name)))
        return cli_failf(CF_EINVAL, "network name: 1-128 bytes, no control characters");
    home *h;
    int rc = cli_open_home(env, 0, &h);
    if (rc) return rc;
    entry e = {.type = ENTRY_GENESIS};
    e.body.genesis.name = entry_text_of(name, strlen(name));
    e.body.genesis.member = entry_text_of(h->name, strlen(h->name));
    e.body.genesis.tz_min = tz;
    if ((rc = cli_recovery_keys(a, &e.body.genesis)) != CLI_OK) {
        cli_close_home(h);
        return rc;
    }
    rc = cli_append(env, h, &e, 1, NULL);
    if (rc == CLI_OK) {
        state_network net;
        diag d;
        if (home_network(h, &net, &d) != CF_OK) {
            rc = cli_fail(&d);
        } else {
            char hex[CF_HEX32_BYTES];
            cf_hex_encode(net.net, 32, hex, sizeof hex);
            printf(_("network %s created: \"%s\"\nyou (%s) are its governance\n"), hex, name,
                   h->name);
        }
    }
    cli_close_home(h);
    return rc;
}


void cli_print_import(const import_result *r);

void cli_print_import(const import_result *r)
{
    printf(_("read %llu feeds, %llu entries: %llu new, %llu applied"),
           (unsigned long long)r->feeds, (unsigned long long)r->entries,
           (unsigned long long)r->entries_new, (unsigned long long)r->applied);
    if (r->pending_feeds)
        printf(_("; %llu feeds wait for entries not held yet"),
               (unsigned long long)r->pending_feeds);
    putchar('\n');
    if (r->nonmembers)
        printf(_("skipped %llu feed(s) whose keys are not members of the network: not stored, "
                 "counted or witnessed\n"), (unsigned long long)r->nonmembers);
    /* What a partial bundle did not let this home check (bundle_io.h). */
    if (r->pending_entries) {
        printf(_("not checked: %llu entries wait"), (unsigned long long)r->pending_entries);
        if (r->wait_cite_no_feed)
            printf(_("; %llu match(es) cite feeds not held: not checked"),
                   (unsigned long long)r->wait_cite_no_feed);
        if (r->wait_cite_beyond)
            printf(_("; %llu match(es) cite entries not held: not checked"),
                   (unsigned long long)r->wait_cite_beyond);
        if (r->wait_gov)
            printf(_("; %llu entry(ies) need governance entries not held: not checked"),
                   (unsigned long long)r->wait_gov);
        putchar('\n');
    }
}

static int report_import(home *h, const import_result *r)
{
    cli_print_import(r);
    if (r->cosigs_merged || r->witnessed)
        printf(_("cosignatures: %llu new, %llu checkpoint(s) witnessed by this home\n"),
               (unsigned long long)r->cosigs_merged, (unsigned long long)r->witnessed);
    for (size_t i = 0; i < r->nforged; i++) {
        char feed[17], key[17];
        cf_hex_encode(r->forged[i].author, 8, feed, sizeof feed);
        cf_hex_encode(r->forged[i].key, 8, key, sizeof key);
        fprintf(stderr, _("%s: forged cosignature refused: the checkpoint of size %llu of "
                          "feed %s… carries a line named after member %s… that does not verify "
                          "under its key; the line was not stored\n"), cli_prog(),
                (unsigned long long)r->forged[i].size, feed, key);
    }
    for (size_t i = 0; i < r->nviolations; i++) {
        char msg[DIAG_TEXT_BYTES + DIAG_RULE_BYTES + 32], hex[17];
        cf_hex_encode(r->violations[i].author, 8, hex, sizeof hex);
        diag_format(&r->violations[i].verdict, msg, sizeof msg);
        fprintf(stderr, _("%s: violation held: feed %s… #%llu: %s\n"), cli_prog(), hex,
                (unsigned long long)r->violations[i].index, msg);
    }
    for (size_t i = 0; i < r->nforks; i++) {
        char hex[CF_HEX32_BYTES];
        cf_hex_encode(r->forks[i], 32, hex, sizeof hex);
        fprintf(stderr, _("%s: FORK: feed %s signed two inconsistent histories; "
                          "its proof is kept (cofund forks) and the feed is frozen\n"),
                cli_prog(), hex);
    }
    (void)h;
    int rc = CLI_OK;
    if (r->forks_new || r->violations_new) {
        fprintf(stderr, _("%s: import found %llu new fork(s) and %llu new violation(s)\n"),
                cli_prog(),
                (unsigned long long)r->forks_new, (unsigned long long)r->violations_new);
        rc = CLI_REJECTED;
    }
    /* A forged line is a false claim the bundle carried: verification
     * failed, as for a fork — though everything else was imported. */
    if (r->cosigs_forged) {
        fprintf(stderr, _("%s: import refused %llu forged cosignature(s); everything else "
                          "was imported\n"), cli_prog(), (unsigned long long)r->cosigs_forged);
        rc = CLI_REJECTED;
    }
    return rc;
}

/* This home's key for witnessing during an import, when it can be had
 * without asking: a key in the clear, or an encrypted one with a passphrase
 * file. *have tells whether kp was loaded. */
static int import_key(const cli_env *env, const home *h, keyfile_keypair *kp, bool *have)
{
    int enc = home_key_encrypted(h);
    *have = false;
    if (enc < 0) { /* importing never needed the key: say why nothing is cosigned */
        fprintf(stderr, _("%s: cannot read this home's key file (%s): importing without "
                          "cosigning\n"), cli_prog(), cf_strerror(enc));
        return CLI_OK;
    }
    if (enc == 1 && env->passphrase_file == NULL) {
        fprintf(stderr, _("%s: the key is passphrase-protected and no passphrase file was "
                          "given: importing without cosigning (this home witnesses nothing "
                          "now; give --passphrase-file to witness, or let its node do it)\n"),
                cli_prog());
        return CLI_OK;
    }
    int rc = cli_load_key(env, h, kp);
    *have = rc == CLI_OK;
    return rc;
}

/* A running node announces what an import brought to its peers at once. */
static void notify_node(const home *h, const import_result *r)
{
    if (r->entries_new || r->checkpoints_new || r->forks_new || r->cosigs_merged || r->witnessed)
        (void)net_ctl_notify(h->dir);
}

static int import_file(cli_env *env, const char *path, const uint8_t *expect_net)
{
    home *h;
    import_result r;
    keyfile_keypair kp;
    bool have_key;
    diag d;
    int rc = cli_open_home(env, 0, &h);
    if (rc) return rc;
    if ((rc = import_key(env, h, &kp, &have_key)) != 0) {
        cli_close_home(h);
        return rc;
    }
    ingest_cosigner me = {.kp = &kp, .time_s = (uint64_t)time(NULL)};
    int err = bundle_io_import_witness(h, path, expect_net, have_key ? &me : NULL, &r, &d);
    cli_progress_end();
    if (have_key) keyfile_wipe(&kp);
    if (err != CF_OK) {
        rc = cli_fail(&d);
    } else {
        notify_node(h, &r);
        if (r.joined) {
            state_network net;
            if (home_network(h, &net, &d) == CF_OK) {
                char hex[CF_HEX32_BYTES];
                cf_hex_encode(net.net, 32, hex, sizeof hex);
                printf(_("joined network %s (%s)\n"), hex, net.name);
            }
        }
        rc = report_import(h, &r);
    }
    cli_close_home(h);
    return rc;
}

static int run_join(cli_env *env, const cli_args *a)
{
    const char *hex = cli_get(a, "network");
    uint8_t net[32];
    if (hex && (strlen(hex) != 64 || cf_hex_decode(hex, 64, net, 32) != CF_OK))
        return cli_usage_error(a, "--network: expected the 64-hex network id");
    return import_file(env, a->pos[0], hex ? net : NULL);
}

static int run_import(cli_env *env, const cli_args *a)
{
    return import_file(env, a->pos[0], NULL);
}

/* `restore BUNDLE` (docs/operations.md "The backup rule"): an import that
 * takes back this home's own feed, refused whole when the bundle's history
 * of it is not this home's. */
static int run_restore(cli_env *env, const cli_args *a)
{
    home *h;
    restore_result r;
    keyfile_keypair kp;
    bool have_key;
    diag d;
    int rc = cli_open_home(env, 0, &h);
    if (rc) return rc;
    if ((rc = import_key(env, h, &kp, &have_key)) != 0) {
        cli_close_home(h);
        return rc;
    }
    ingest_cosigner me = {.kp = &kp, .time_s = (uint64_t)time(NULL)};
    int err = bundle_io_restore(h, a->pos[0], have_key ? &me : NULL, &r, &d);
    cli_progress_end();
    if (have_key) keyfile_wipe(&kp);
    if (err != CF_OK) {
        rc = cli_fail(&d);
        cli_close_home(h);
        return rc;
    }
    const import_result *ir = &r.imp;
    notify_node(h, ir);
    if (r.own_after > r.own_before)
        printf(_("restored: own feed %s from %llu to %llu entries (the bundle holds %llu)\n"),
               h->name, (unsigned long long)r.own_before, (unsigned long long)r.own_after,
               (unsigned long long)r.own_bundle);
    else
        printf(_("own feed %s: this home holds %llu entries, the bundle %llu: nothing to take "
                 "back\n"), h->name, (unsigned long long)r.own_after,
               (unsigned long long)r.own_bundle);
    if (r.behind_was && r.behind_cleared)
        printf(_("caught up: peer %s held %llu entries of it; appending is allowed again\n"),
               r.behind.who, (unsigned long long)r.behind.size);
    else if (r.behind_was)
        printf(_("still behind: peer %s holds %llu entries of it, this home %llu; appending "
                 "stays refused (restore a newer bundle, or let the node fetch them)\n"),
               r.behind.who,
               (unsigned long long)r.behind.size, (unsigned long long)r.own_after);
    rc = report_import(h, ir);
    if (rc == CLI_OK && r.behind_was && !r.behind_cleared) rc = CLI_BEHIND;
    cli_close_home(h);
    return rc;
}

static int run_member_add(cli_env *env, const cli_args *a)
{
    const char *key = cli_get(a, "key"), *role = cli_get(a, "role"), *name = cli_get(a, "name");
    entry e = {.type = ENTRY_MEMBER};
    body_member *b = &e.body.member;
    if (strlen(key) != 64 || cf_hex_decode(key, 64, b->key, 32) != CF_OK)
        return cli_usage_error(a, "--key: expected 64 hex digits (cofund whoami prints them)");
    b->role = role_from_name(role, strlen(role));
    if (b->role == 0 || b->role == ROLE_GOVERNANCE) /* the choices of --role exclude it */
        return cli_usage_error(a, "--role %s: not a member's role", role);
    b->name = entry_text_of(name, strlen(name));
    if (cli_member_display(a, b) != CLI_OK) return CLI_USAGE;
    home *h;
    int rc = cli_open_home(env, 0, &h);
    if (rc) return rc;
    uint64_t index;
    rc = cli_append(env, h, &e, 1, &index);
    if (rc == CLI_OK)
        printf(_("member %s (%s) added at governance entry %llu\n"), name, role,
               (unsigned long long)index);
    cli_close_home(h);
    return rc;
}

/* ---- the commands ------------------------------------------------------------ */

const cli_cmd cli_cmd_init = {
    .name = "init",
    .opts = (const cli_opt[]){
        {"name", "NAME", CLI_REQUIRED | CLI_ID, 0,
         N_("this participant's name: 1-64 of A-Z a-z 0-9 . _ -")},
        {"passphrase-file", "F", 0, 0, N_("protect the key with the passphrase in F")},
        CLI_OPT_END},
    .summary = N_("create this participant's home: its key and an empty store"),
    .help = N_("Creates the home (--home, $COFUND_HOME or ~/.cofund): the directory (0700), a new "
            "signing key (0600) and an empty store. Nothing is shared yet: create a network, or "
            "send the key that whoami prints to a network's governance and join its bundle."),
    .example = "init --name fund\n"
               "--home ~/bank init --name bank --passphrase-file ~/bank.passphrase",
    .run = run_init,
};

const cli_cmd cli_cmd_whoami = {
    .name = "whoami",
    .opts = (const cli_opt[]){CLI_OPT_END},
    .summary = N_("this home's name, key, network, role and verifier key"),
    .help = N_("Prints this home's name and public key (what the governance registers with member "
            "add), its network, its role there, and the note verifier key of its feed."),
    .example = "whoami",
    .run = run_whoami,
};

const cli_cmd cli_cmd_network_create = {
    .name = "network create",
    .opts = (const cli_opt[]){
        {"name", "NAME", CLI_REQUIRED, 0, N_("the network's name")},
        {"tz", "OFFSET", 0, 0, N_("the calendar's offset for budgets and bare dates (+08:00)")},
        {"recovery-key", "HEX", 0, RECOVERY_KEYS_MAX,
         "a recovery key, kept offline, that may sign a new governance key (R-SUCCEED)"},
        {"recovery-quorum", "K", 0, 0, N_("how many recovery keys' signatures a succession needs")},
        CLI_OPT_DRY_RUN, CLI_OPT_YES, CLI_OPT_END},
    .summary = N_("start a network: this home becomes its governance"),
    .help = N_("Writes the genesis entry of a new network; this home becomes its governance, the "
            "member that registers members, programs and projects."),
    .example = "network create --name \"Suzhou guidance funds\" --tz +08:00",
    .run = run_network_create,
};

const cli_cmd cli_cmd_join = {
    .name = "join",
    .args = "BUNDLE",
    .min_args = 1,
    .max_args = 1,
    .opts = (const cli_opt[]){
        {"network", "HEX", 0, 0, N_("refuse a bundle of any other network (its 64-hex id)")},
        CLI_OPT_END},
    .summary = N_("join the network of a bundle (its governance feed)"),
    .help = N_("A new home joins the network whose governance feed the bundle holds, and imports "
            "the rest of the bundle as import does."),
    .example = "join city.bundle --network 3f1c…",
    .run = run_join,
};

const cli_cmd cli_cmd_import = {
    .name = "import",
    .args = "FILE",
    .min_args = 1,
    .max_args = 1,
    .opts = (const cli_opt[]){CLI_OPT_END},
    .summary = N_("take in a bundle: check every signature and root, then the rules"),
    .help = N_("Ingests a bundle in one transaction: checkpoint signatures, recomputed roots, "
            "consistency with what is held, then the rules. A damaged or wrongly signed bundle "
            "is refused whole. Exits 1 when it revealed a new fork or violation (kept as "
            "evidence) or carried a forged cosignature. With the key at hand (in the clear, or "
            "--passphrase-file) the home witnesses what it holds."),
    .example = "import investor-a.bundle",
    .run = run_import,
};

const cli_cmd cli_cmd_member_add = {
    .name = "member add",
    .opts = (const cli_opt[]){
        {"key", "HEX", CLI_REQUIRED, 0, N_("the member's public key (its whoami prints it)")},
        {"role", "fund|investor|team|auditor|bank|lessor", CLI_REQUIRED | CLI_CHOICE, 0,
         N_("what it may do: a bank lends under pools, a lessor operates leasing programs")},
        {"name", "NAME", CLI_REQUIRED | CLI_ID, 0, N_("its name in the network (an identifier)")},
        {"display", "TEXT", 0, 0, N_("its display name, which tables show (any language)")},
        CLI_OPT_DRY_RUN, CLI_OPT_YES, CLI_OPT_END},
    .summary = N_("governance: register a member"),
    .help = N_("The governance registers a member: its key, role and name."),
    .example = "member add --key 9a3e… --role investor --name investor-a",
    .run = run_member_add,
};

const cli_cmd cli_cmd_restore = {
    .name = "restore",
    .args = "BUNDLE",
    .min_args = 1,
    .max_args = 1,
    .opts = (const cli_opt[]){CLI_OPT_END},
    .summary = N_("after restoring a backup: take this home's own feed back from a peer's export"),
    .help = N_("Imports BUNDLE (a peer's `export`) as import does, and takes back the entries of "
            "this home's own feed that the home lost with an old backup, verified under their "
            "checkpoint signed by this home's key. Refused whole, changing nothing, when the "
            "bundle holds nothing of the own feed or a history of it that is not this home's (a "
            "fork). Once the home holds what a peer showed it holds, appending is allowed again "
            "(exit 5 while still behind). Run it, or start the node, before appending after a "
            "restore (docs/operations.md, \"The backup rule\")."),
    .example = "restore fund.bundle",
    .run = run_restore,
};
