/* cmd_node.c — `node run` (the replication daemon, node/net/) and
 * `node status` (the daemon's peers over its control socket, plus the
 * store's feeds, forks and violations read directly). docs/operations.md. */
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "http.h"
#include "crypto/cf_error.h"
#include "crypto/cf_util.h"
#include "home/evidence_db.h"
#include "home/ingest.h"
#include "ledger/caltime.h"
#include "ledger/rules.h"
#include "net/net.h"
#include "table.h"

static net_node *local_node;

void cli_set_local_node(struct net_node *n)
{
    local_node = n;
}

static int run_node_run(cli_env *env, const cli_args *args)
{
    const char *listen = cli_get(args, "listen"), *level = cli_get(args, "log-level");
    const char *http = cli_get(args, "http"), *token = cli_get(args, "http-token");
    http_server *server = NULL;
    const char *peers[NET_CONFIG_PEERS_MAX];
    size_t npeers = cli_get_all(args, "peer", peers, NET_CONFIG_PEERS_MAX);
    char path[HOME_PATH_MAX];
    net_config cfg;
    net_addr a;
    keyfile_keypair kp;
    home *h;
    diag d;
    int rc;

    if ((rc = cli_open_home(env, 0, &h)) != 0) return rc;
    if (home_path(h, "config", path, sizeof path) != CF_OK) {
        cli_close_home(h);
        return cli_failf(CF_ETOOBIG, "home path too long");
    }
    if (net_config_load(path, &cfg, &d) != CF_OK) {
        cli_close_home(h);
        return cli_fail(&d);
    }
    /* Flags override listen and log-level, and add peers. */
    rc = CLI_OK;
    if (listen) {
        if (net_addr_parse(listen, strlen(listen), true, &a, &d) != CF_OK) rc = CLI_USAGE;
        cfg.listen = a;
        cfg.has_listen = true;
    }
    for (size_t i = 0; i < npeers && rc == CLI_OK; i++)
        if (net_addr_parse(peers[i], strlen(peers[i]), false, &a, &d) != CF_OK ||
            net_config_add_peer(&cfg, &a, &d) != CF_OK)
            rc = CLI_USAGE;
    if (level && rc == CLI_OK && net_log_parse_level(level, &cfg.log_level) != CF_OK) {
        diag_set(&d, CF_EINVAL, NULL, "--log-level: debug, info, warn or error");
        rc = CLI_USAGE;
    }
    if (http && rc == CLI_OK) {
        if (net_addr_parse(http, strlen(http), true, &a, &d) != CF_OK) rc = CLI_USAGE;
        cfg.http = a;
        cfg.has_http = true;
    }
    if (token && rc == CLI_OK) {
        if (strlen(token) >= sizeof cfg.http_token) {
            diag_set(&d, CF_EINVAL, NULL, "--http-token: at most %zu characters",
                     sizeof cfg.http_token - 1);
            rc = CLI_USAGE;
        } else {
            strcpy(cfg.http_token, token);
        }
    }
    if (rc == CLI_OK && http_prepare(&cfg, &server, &d) != CF_OK) rc = CLI_USAGE;
    if (rc) {
        cli_close_home(h);
        return cli_usage_error(args, "%s", d.text);
    }
    net_log_set_level(cfg.log_level);
    const char *log_format = cli_get(args, "log-format");
    net_log_set_json(log_format && strcmp(log_format, "json") == 0);
    if ((rc = cli_load_key(env, h, &kp)) != 0) {
        http_free(server);
        cli_close_home(h);
        return rc;
    }
    fflush(stdout);
    net_extension ext = http_extension(server);
    if (net_node_run_ext(h, &kp, &cfg, server ? &ext : NULL, &d) != CF_OK) rc = cli_fail(&d);
    http_free(server);
    memset(cfg.http_token, 0, sizeof cfg.http_token);
    keyfile_wipe(&kp);
    cli_close_home(h);
    return rc;
}

/* ---- node status ------------------------------------------------------------ */

struct status_job {
    enum cli_format fmt;
    const uint8_t *self; /* the home's key: which feeds' lines it keeps */
    int32_t tz; /* the network's zone, for the times people read */
    json_t *feeds, *forks, *violations;
};

static int feed_row(void *arg, const store_feed *f)
{
    void **a = arg;
    struct status_job *j = a[0];
    store_txn *txn = a[1];
    const ledger_kv *kv = a[2];
    char who[ENTRY_ID_BYTES_MAX + 1], hex[CF_HEX32_BYTES], root[CF_HEX32_BYTES] = "";
    uint8_t r[32];
    state_tip tip;
    if (f->size == 0) return CF_OK;
    /* The rules' tip is what was applied (the feed record's count is
     * drain's bookkeeping and not kept for the home's own feed). */
    if (state_tip_get(kv, f->author, &tip) != CF_OK) tip.applied = 0;
    if (tip.applied > f->size) tip.applied = f->size;
    ledger_member_label(kv, f->author, who, sizeof who);
    cf_hex_encode(f->author, 32, hex, sizeof hex);
    if (store_root(txn, f->author, f->size, r) == CF_OK) cf_hex_encode(r, 32, root, sizeof root);
    const char *state = f->flags & STORE_FEED_FORKED ? "forked"
                        : f->flags & STORE_FEED_HELD ? "held"
                                                     : "ok";
    /* Witnesses: other members' cosignatures on the latest checkpoint held. */
    unsigned witnesses = 0;
    state_network net;
    const char *text;
    size_t len;
    uint64_t size;
    if (state_network_get(kv, &net) == CF_OK &&
        store_checkpoint_latest(txn, f->author, &size, &text, &len) == CF_OK)
        witnesses = ingest_witnesses(kv, net.net, f->author, text, len);
    /* A node keeps the lines of the feeds it is the author, a witness or
     * an auditor of (ingest_keeps_lines); of the others it holds few. */
    bool keeps = ingest_keeps_lines(kv, j->self, NULL, f->author);
    json_array_append_new(j->feeds,
                          json_pack("{s:s, s:s, s:I, s:I, s:I, s:s, s:s, s:I, s:b}", "member",
                                    who, "key", hex, "size", (json_int_t)f->size, "applied",
                                    (json_int_t)tip.applied, "pending",
                                    (json_int_t)(f->size - tip.applied), "root", root, "state",
                                    state, "witnesses", (json_int_t)witnesses, "keeps_lines",
                                    keeps));
    return CF_OK;
}

static int fork_row(void *arg, const uint8_t author[32], const uint8_t *proof, size_t len)
{
    void **a = arg;
    struct status_job *j = a[0];
    const ledger_kv *kv = a[2];
    char who[ENTRY_ID_BYTES_MAX + 1], hex[CF_HEX32_BYTES];
    (void)proof, (void)len;
    ledger_member_label(kv, author, who, sizeof who);
    cf_hex_encode(author, 32, hex, sizeof hex);
    json_array_append_new(j->forks, json_pack("{s:s, s:s}", "member", who, "key", hex));
    return CF_OK;
}

static int violation_row(void *arg, const evidence_violation *v)
{
    void **a = arg;
    struct status_job *j = a[0];
    const ledger_kv *kv = a[2];
    char who[ENTRY_ID_BYTES_MAX + 1];
    ledger_member_label(kv, v->author, who, sizeof who);
    json_array_append_new(j->violations,
                          json_pack("{s:s, s:I, s:s, s:s}", "member", who, "index",
                                    (json_int_t)v->index, "rule", v->rule, "text", v->text));
    return CF_OK;
}

static int status_read(store_txn *txn, const ledger_kv *kv, void *arg)
{
    void *a[3] = {arg, txn, (void *)kv};
    struct status_job *j = arg;
    state_network net;
    int err;
    if (state_network_get(kv, &net) == CF_OK) j->tz = net.tz_min;
    if ((err = store_feeds_each(txn, feed_row, a)) != 0 ||
        (err = evidence_forks_each(txn, fork_row, a)) != 0 ||
        (err = evidence_violations_each(txn, violation_row, a)) != 0)
        return cli_failf(err, "reading the store: %s", cf_strerror(err));
    return CLI_OK;
}

static const char *jstr(const json_t *o, const char *key)
{
    const char *s = json_string_value(json_object_get(o, key));
    return s ? s : "-";
}

static long long jint(const json_t *o, const char *key)
{
    return (long long)json_integer_value(json_object_get(o, key));
}

/* A time the node reported (ISO 8601) in the network's zone, as people
 * read it; "-" for none. */
static const char *when(const json_t *o, const char *key, int32_t tz, char out[CLI_TIME_BYTES])
{
    const char *s = json_string_value(json_object_get(o, key));
    uint64_t ms;
    if (s == NULL) return "-";
    if (caltime_parse(s, 0, false, &ms) != CF_OK) return s;
    cli_time_text(ms, tz, out);
    return out;
}

/* The words of the status JSON (a peer's direction and state, a feed's
 * state) as people read them; the JSON keeps them as they are. */
static const char *word(const char *s)
{
    static const char *const words[] = {
        /* TRANSLATORS: a peer's direction: it dialled us (in) or we dialled it (out). */
        N_("in"),         N_("out"),   N_("connecting"), N_("handshake"), N_("established"),
        N_("closing"),
        /* TRANSLATORS: a feed's state in `node status`. */
        N_("ok"),         N_("held"),  N_("forked")};
    for (size_t i = 0; i < sizeof words / sizeof *words; i++)
        if (strcmp(s, words[i]) == 0) return _(words[i]);
    return s;
}

/* A table indented by two spaces under its title: an empty first column. */
static cli_table *indented_table(const char *const headings[], const bool right[], size_t n)
{
    cli_table *t = cli_table_new();
    cli_table_column(t, "", CLI_LEFT);
    for (size_t i = 0; i < n; i++)
        cli_table_column(t, _(headings[i]), right[i] ? CLI_RIGHT : CLI_LEFT);
    return t;
}

static void print_peers(const json_t *node, int32_t tz)
{
    static const char *const head[] = {N_("MEMBER"), N_("ADDRESS"),  N_("DIRECTION"), N_("STATE"),
                                       N_("SINCE"),  N_("BYTES IN"), N_("BYTES OUT")};
    static const bool right[] = {false, false, false, false, false, true, true};
    char t[CLI_TIME_BYTES];
    size_t i;
    json_t *o, *peers = json_object_get(node, "peers");
    printf(_("peers: %zu\n"), json_array_size(peers));
    cli_table *tb = indented_table(head, right, 7);
    json_array_foreach(peers, i, o) {
        cli_table_cell(tb, "");
        cli_table_cell(tb, jstr(o, "member"));
        cli_table_cell(tb, jstr(o, "address"));
        cli_table_cell(tb, word(jstr(o, "direction")));
        cli_table_cell(tb, word(jstr(o, "state")));
        cli_table_cell(tb, when(o, "connected_since", tz, t));
        cli_table_cellf(tb, "%lld", jint(o, "bytes_in"));
        cli_table_cellf(tb, "%lld", jint(o, "bytes_out"));
    }
    cli_table_print(tb, stdout, NULL);
    json_array_foreach(json_object_get(node, "dialing"), i, o)
        if (!json_is_true(json_object_get(o, "connected")))
            printf(_("  (dialling %s: %lld failures, next attempt %s)\n"), jstr(o, "address"),
                   jint(o, "failures"), when(o, "next_attempt", tz, t));
}

static void print_table(const home *h, const json_t *node, const struct status_job *j)
{
    static const char *const head[] = {N_("MEMBER"),    N_("SIZE"), N_("APPLIED"), N_("PENDING"),
                                       N_("WITNESSES"), N_("ROOT"), N_("STATE")};
    static const bool right[] = {false, true, true, true, true, false, false};
    char t[CLI_TIME_BYTES];
    size_t i;
    json_t *o;
    printf(_("home: %s (%s)\n"), h->name, h->dir);
    if (!json_is_true(json_object_get(node, "running"))) {
        printf(_("node: not running\n"));
    } else {
        const char *listen = json_string_value(json_object_get(node, "listen"));
        if (listen)
            printf(_("node: running (pid %lld) since %s, listening on %s\n"), jint(node, "pid"),
                   when(node, "since", j->tz, t), listen);
        else
            printf(_("node: running (pid %lld) since %s, not listening\n"), jint(node, "pid"),
                   when(node, "since", j->tz, t));
        print_peers(node, j->tz);
    }
    printf(_("feeds:\n"));
    cli_table *tb = indented_table(head, right, 7);
    json_array_foreach(j->feeds, i, o) {
        cli_table_cell(tb, "");
        cli_table_cell(tb, jstr(o, "member"));
        cli_table_cellf(tb, "%lld", jint(o, "size"));
        cli_table_cellf(tb, "%lld", jint(o, "applied"));
        cli_table_cellf(tb, "%lld", jint(o, "pending"));
        if (json_is_true(json_object_get(o, "keeps_lines")))
            cli_table_cellf(tb, "%lld", jint(o, "witnesses"));
        else
            cli_table_cell(tb, "-"); /* not kept here */
        cli_table_cellf(tb, "%.16s", jstr(o, "root"));
        cli_table_cell(tb, word(jstr(o, "state")));
    }
    cli_table_print(tb, stdout, NULL);
    printf(_("forks: %zu\n"), json_array_size(j->forks));
    json_array_foreach(j->forks, i, o) printf("  %s (%s)\n", jstr(o, "member"), jstr(o, "key"));
    printf(_("violations: %zu\n"), json_array_size(j->violations));
    json_array_foreach(j->violations, i, o)
        printf(_("  %s#%lld rejected by %s: %s\n"), jstr(o, "member"), jint(o, "index"),
               jstr(o, "rule"), jstr(o, "text"));
}

static int run_node_status(cli_env *env, const cli_args *a)
{
    struct status_job j = {.fmt = cli_get_format(a)};
    char *reply = NULL, hex[CF_HEX32_BYTES];
    json_t *node = NULL;
    home *h;
    int rc;
    if ((rc = cli_open_home(env, HOME_RDONLY, &h)) != 0) return rc;

    int err = local_node ? ((reply = net_node_status_text(local_node)) ? CF_OK : CF_ENOMEM)
                         : net_ctl_status(h->dir, &reply);
    if (err == CF_OK) node = json_loads(reply, 0, NULL);
    free(reply);
    if (err != CF_OK && err != CF_ENOTFOUND)
        fprintf(stderr, _("%s: the node did not answer on %s/%s: %s\n"), cli_prog(), h->dir,
                NET_SOCK_FILE, cf_strerror(err));
    if (!json_is_object(node)) {
        json_decref(node);
        node = json_object();
        json_object_set_new(node, "running", json_false());
    } else {
        json_object_set_new(node, "running", json_true());
    }
    j.feeds = json_array();
    j.forks = json_array();
    j.violations = json_array();
    j.self = h->self;
    rc = cli_read(h, status_read, &j);
    if (rc == CLI_OK) {
        if (j.fmt == CLI_JSON) {
            json_t *root = json_object();
            cf_hex_encode(h->self, 32, hex, sizeof hex);
            json_object_set_new(root, "name", json_string(h->name));
            json_object_set_new(root, "key", json_string(hex));
            json_object_set_new(root, "node", json_incref(node));
            json_object_set_new(root, "feeds", json_incref(j.feeds));
            json_object_set_new(root, "forks", json_incref(j.forks));
            json_object_set_new(root, "violations", json_incref(j.violations));
            cli_print_json(root);
            json_decref(root);
        } else {
            print_table(h, node, &j);
        }
    }
    json_decref(node);
    json_decref(j.feeds);
    json_decref(j.forks);
    json_decref(j.violations);
    cli_close_home(h);
    return rc;
}

/* ---- the commands ------------------------------------------------------------ */

const cli_cmd cli_cmd_node_run = {
    .name = "node run",
    .opts = (const cli_opt[]){
        {"listen", "HOST:PORT", 0, 0, N_("accept peers there (also listen= in <home>/config)")},
        {"peer", "HOST:PORT", 0, NET_CONFIG_PEERS_MAX, N_("a peer to dial (with peer= lines of the config)")},
        {"log-level", "debug|info|warn|error", CLI_CHOICE, 0, N_("what to log on stderr")},
        {"log-format", "text|json", CLI_CHOICE, 0,
         N_("a log line as text (default) or as one JSON object, for log collectors")},
        {"http", "HOST:PORT", 0, 0,
         N_("serve the read-only dashboard, its JSON API, /metrics and /healthz there "
         "(also http= in <home>/config; loopback unless --http-token)")},
        {"http-token", "TOKEN", 0, 0,
         N_("the bearer token the dashboard asks for (16+ characters; needed off loopback)")},
        CLI_OPT_END},
    .summary = N_("run this home's node: replicate every feed with peers over TCP"),
    .help = N_("Runs this home's node until SIGTERM or SIGINT: it replicates every member's feed "
            "with its peers over TCP, witnesses what it holds and announces this home's appends. "
            "Peers and the listen address also come from <home>/config (docs/operations.md). "
            "With --http it also serves a read-only dashboard: pages, a JSON API answering "
            "what the queries' --format json prints, /metrics and /healthz."),
    .example = "node run --listen 0.0.0.0:7400 --peer fund.example.org:7400 --http 127.0.0.1:8080",
    .run = run_node_run,
};

const cli_cmd cli_cmd_node_status = {
    .name = "node status",
    .opts = (const cli_opt[]){CLI_OPT_FORMAT2, CLI_OPT_END},
    .summary = N_("the running node's peers and every feed's state here"),
    .help = N_("The running node's peers (address, member, since, bytes in and out) and every "
            "feed's size, applied entries, witnesses and state here; without a running node, "
            "the store's part."),
    .example = "node status --format json",
    .run = run_node_status,
};
