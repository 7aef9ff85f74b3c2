/* http_metrics.c — /metrics and /healthz (http.h), from what `node status
 * --format json` answers (the store's feeds, forks and violations, the
 * daemon's peers and counters) run on the node's loop like any query.
 *
 * /metrics: the Prometheus text format (version 0.0.4), every metric named
 * cofund_*; docs/operations.md lists them.
 * /healthz: 200 "ok" when the node is healthy, otherwise 503 and the reasons,
 * a line each. Healthy: the store reads (the status query ran), this home's
 * own feed is not forked (no fork proof against its key, its feed not marked
 * forked), and this home is not behind its own feed (no copy signed by its
 * key is larger than what it holds: own_feed.h). */
#include <jansson.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "crypto/cf_error.h"
#include "crypto/cf_util.h"
#include "home/own_feed.h"
#include "http.h"

/* `node status --format json`, parsed: NULL with *why set when it failed. */
static json_t *status(net_node *n, const char **why)
{
    char *argv[] = {(char *)"status", (char *)"--format", (char *)"json", NULL};
    http_answer a;
    http_run(n, &cli_cmd_node_status, 3, argv, &a);
    json_t *j = a.rc == CLI_OK ? json_loadb(a.out, a.out_len, 0, NULL) : NULL;
    http_answer_free(&a);
    *why = j ? NULL : "the store could not be read (node status failed)";
    return j;
}

/* ---- the text format ------------------------------------------------------------ */

typedef struct {
    FILE *f;
} prom;

static void help(prom *p, const char *name, const char *type, const char *text)
{
    fprintf(p->f, "# HELP %s %s\n# TYPE %s %s\n", name, text, name, type);
}

/* A label value, escaped as the format wants (\\, \", \n). */
static void label(prom *p, const char *name, const char *value, bool first)
{
    fprintf(p->f, "%s%s=\"", first ? "" : ",", name);
    for (const char *s = value ? value : ""; *s; s++) {
        if (*s == '\\') fputs("\\\\", p->f);
        else if (*s == '"') fputs("\\\"", p->f);
        else if (*s == '\n') fputs("\\n", p->f);
        else fputc(*s, p->f);
    }
    fputc('"', p->f);
}

static const char *jstr(const json_t *o, const char *k)
{
    const char *s = json_string_value(json_object_get(o, k));
    return s ? s : "";
}

static long long jint(const json_t *o, const char *k)
{
    return (long long)json_integer_value(json_object_get(o, k));
}

/* One gauge a feed: NAME{member="...",key="..."} FIELD */
static void per_feed(prom *p, const json_t *feeds, const char *name, const char *field,
                     const char *text)
{
    size_t i;
    json_t *o;
    help(p, name, "gauge", text);
    json_array_foreach(feeds, i, o) {
        fprintf(p->f, "%s{", name);
        label(p, "member", jstr(o, "member"), true);
        label(p, "key", jstr(o, "key"), false);
        if (field) fprintf(p->f, "} %lld\n", jint(o, field));
        else fprintf(p->f, "} %d\n", strcmp(jstr(o, "state"), "forked") == 0);
    }
}

static void one(prom *p, const char *name, const char *type, const char *text, double v)
{
    help(p, name, type, text);
    fprintf(p->f, "%s %.17g\n", name, v);
}

static void histogram(prom *p, const char *name, const char *text, const net_histogram *h)
{
    help(p, name, "histogram", text);
    for (size_t i = 0; i < NET_LATENCY_BUCKETS; i++)
        fprintf(p->f, "%s_bucket{le=\"%g\"} %llu\n", name, net_latency_bounds[i],
                (unsigned long long)h->le[i]);
    fprintf(p->f, "%s_bucket{le=\"+Inf\"} %llu\n%s_sum %.17g\n%s_count %llu\n", name,
            (unsigned long long)h->count, name, h->sum_s, name, (unsigned long long)h->count);
}

/* ---- replication: lag, appends, ingests (net_node_sync_stats) ---------------------- */

struct sync_job {
    net_node *n;
    int err;
    net_sync_stats s;
};

static void read_sync(void *arg)
{
    struct sync_job *j = arg;
    j->err = net_node_sync_stats(j->n, &j->s);
}

/* A feed's labels: its member as `node status` names it (feeds it lists). */
static void feed_labels(prom *p, const char *name, const json_t *feeds, const uint8_t author[32])
{
    char hex[CF_HEX32_BYTES];
    const char *member = "";
    size_t i;
    json_t *o;
    cf_hex_encode(author, 32, hex, sizeof hex);
    json_array_foreach(feeds, i, o) if (strcmp(jstr(o, "key"), hex) == 0) member = jstr(o, "member");
    fprintf(p->f, "%s{", name);
    label(p, "member", member, true);
    label(p, "key", hex, false);
    fputs("} ", p->f);
}

static void write_sync(prom *p, const json_t *feeds, const net_sync_stats *s)
{
    help(p, "cofund_feed_peer_entries", "gauge",
         "The largest size of the feed a peer announced since the node started.");
    for (size_t i = 0; i < s->nfeeds; i++) {
        feed_labels(p, "cofund_feed_peer_entries", feeds, s->feeds[i].author);
        fprintf(p->f, "%llu\n", (unsigned long long)s->feeds[i].seen);
    }
    help(p, "cofund_feed_lag_entries", "gauge",
         "Entries of the feed a peer announced that this home does not hold (sync lag).");
    for (size_t i = 0; i < s->nfeeds; i++) {
        const net_feed_sync *f = &s->feeds[i];
        feed_labels(p, "cofund_feed_lag_entries", feeds, f->author);
        fprintf(p->f, "%llu\n", (unsigned long long)(f->seen > f->held ? f->seen - f->held : 0));
    }
    help(p, "cofund_feed_last_growth_timestamp_seconds", "gauge",
         "When the feed last grew here (Unix time; feeds that grew since the node started).");
    for (size_t i = 0; i < s->nfeeds; i++)
        if (s->feeds[i].grew_wall_ms) {
            feed_labels(p, "cofund_feed_last_growth_timestamp_seconds", feeds, s->feeds[i].author);
            fprintf(p->f, "%.3f\n", (double)s->feeds[i].grew_wall_ms / 1000);
        }
    one(p, "cofund_own_appended_entries_total", "counter",
        "This home's own new entries the node noticed and announced.", (double)s->own_appended);
    one(p, "cofund_ingest_batches_total", "counter", "Peers' batches applied here.",
        (double)s->ingest_batches);
    one(p, "cofund_ingest_entries_total", "counter", "Entries those batches added here.",
        (double)s->ingest_entries);
    histogram(p, "cofund_ingest_seconds",
              "Time of a store transaction applying peers' batches (verify, rules, commit).",
              &s->ingest);
}

static void write_metrics(prom *p, const json_t *st, const http_stats *hs)
{
    const json_t *node = json_object_get(st, "node"), *feeds = json_object_get(st, "feeds");
    const json_t *counters = json_object_get(node, "counters"), *peers = json_object_get(node, "peers");
    size_t i, established = 0;
    json_t *o;
    help(p, "cofund_info", "gauge", "This home: its name and member key (value 1).");
    fputs("cofund_info{", p->f);
    label(p, "home", jstr(st, "name"), true);
    label(p, "key", jstr(st, "key"), false);
    label(p, "network", jstr(node, "network"), false);
    fputs("} 1\n", p->f);
    one(p, "cofund_feeds", "gauge", "Feeds held here.", (double)json_array_size(feeds));
    per_feed(p, feeds, "cofund_feed_entries", "size", "Entries of the feed held here.");
    per_feed(p, feeds, "cofund_feed_applied_entries", "applied",
             "Entries of the feed the rules applied.");
    per_feed(p, feeds, "cofund_feed_pending_entries", "pending",
             "Entries held but not yet applied (the feed's sync lag inside this home).");
    per_feed(p, feeds, "cofund_feed_witnesses", "witnesses",
             "Other members' cosignatures on the feed's latest checkpoint held.");
    per_feed(p, feeds, "cofund_feed_forked", NULL, "1 when the feed is forked (R-FORK).");
    one(p, "cofund_forks", "gauge", "Feeds with a fork proof held.",
        (double)json_array_size(json_object_get(st, "forks")));
    one(p, "cofund_violations", "gauge", "Entries refused by a rule, as recorded here.",
        (double)json_array_size(json_object_get(st, "violations")));
    json_array_foreach(peers, i, o) if (strcmp(jstr(o, "state"), "established") == 0)
        established++;
    one(p, "cofund_peers", "gauge", "Connections to peers (any state).",
        (double)json_array_size(peers));
    one(p, "cofund_peers_established", "gauge", "Connections past their handshake.",
        (double)established);
    help(p, "cofund_peer_received_bytes_total", "counter", "Bytes received from a peer.");
    json_array_foreach(peers, i, o) {
        fputs("cofund_peer_received_bytes_total{", p->f);
        label(p, "address", jstr(o, "address"), true);
        label(p, "member", jstr(o, "member"), false);
        fprintf(p->f, "} %lld\n", jint(o, "bytes_in"));
    }
    help(p, "cofund_messages_received_total", "counter",
         "Replication messages handled since the node started, by type.");
    const char *k;
    json_t *v;
    json_object_foreach((json_t *)counters, k, v) if (strncmp(k, "in_", 3) == 0) {
        fputs("cofund_messages_received_total{", p->f);
        label(p, "type", k + 3, true);
        fprintf(p->f, "} %lld\n", (long long)json_integer_value(v));
    }
    json_object_foreach((json_t *)counters, k, v) if (strncmp(k, "in_", 3) != 0) {
        char name[96], text[160];
        snprintf(name, sizeof name, "cofund_node_%s_total", k);
        snprintf(text, sizeof text, "`node status` counter %s since the node started.", k);
        one(p, name, "counter", text, (double)json_integer_value(v));
    }
    one(p, "cofund_http_requests_total", "counter", "Dashboard requests answered.",
        (double)hs->requests);
    histogram(p, "cofund_http_request_seconds",
              "Time answering a dashboard request (this one excluded).", &hs->latency);
    one(p, "cofund_http_slow_requests_total", "counter",
        "Dashboard requests answered in more than 50 ms.", (double)hs->slow);
    one(p, "cofund_http_failed_requests_total", "counter",
        "Dashboard requests that did not complete (client gone, timeout).", (double)hs->errors);
}

int http_metrics(net_node *n, const http_stats *st, char **body, size_t *len)
{
    const char *why;
    json_t *s = status(n, &why);
    prom p = {open_memstream(body, len)};
    if (p.f == NULL) {
        json_decref(s);
        *body = NULL;
        return 500;
    }
    one(&p, "cofund_up", "gauge", "1 when the store could be read.", s ? 1 : 0);
    if (s) {
        write_metrics(&p, s, st);
        struct sync_job j = {.n = n};
        if (net_node_call(n, read_sync, &j) == CF_OK && j.err == CF_OK)
            write_sync(&p, json_object_get(s, "feeds"), &j.s);
        net_sync_stats_free(&j.s);
    }
    fclose(p.f);
    json_decref(s);
    return 200;
}

/* ---- /healthz ------------------------------------------------------------------------ */

struct behind_job {
    net_node *n;
    int err;
    own_feed_mark mark;
    uint64_t held;
};

static void read_behind(void *arg)
{
    struct behind_job *j = arg;
    home *h = net_node_home(j->n);
    store_txn *txn;
    store_feed f;
    if ((j->err = store_read_begin(h->st, &txn)) != CF_OK) return;
    j->err = own_feed_behind_get(txn, &j->mark);
    j->held = store_feed_get(txn, h->self, &f) == CF_OK ? f.size : 0;
    store_read_end(txn);
}

int http_healthz(net_node *n, char **body, size_t *len)
{
    const char *why;
    json_t *s = status(n, &why), *o;
    FILE *f = open_memstream(body, len);
    size_t i;
    int bad = 0;
    if (f == NULL) {
        json_decref(s);
        *body = NULL;
        return 500;
    }
    if (s == NULL) {
        fprintf(f, "unhealthy: %s\n", why);
        bad++;
    } else {
        const char *self = jstr(s, "key");
        json_array_foreach(json_object_get(s, "forks"), i, o) if (strcmp(jstr(o, "key"), self) == 0)
        {
            fprintf(f, "unhealthy: a fork proof of this home's own feed is held (R-FORK)\n");
            bad++;
        }
        json_array_foreach(json_object_get(s, "feeds"), i, o)
            if (strcmp(jstr(o, "key"), self) == 0 && strcmp(jstr(o, "state"), "ok") != 0) {
                fprintf(f, "unhealthy: this home's own feed is %s\n", jstr(o, "state"));
                bad++;
            }
        struct behind_job j = {.n = n};
        if (net_node_call(n, read_behind, &j) != CF_OK) {
            fprintf(f, "unhealthy: the node is stopping\n");
            bad++;
        } else if (j.err == CF_OK && j.mark.size > j.held) {
            fprintf(f,
                    "unhealthy: behind its own feed: %s holds %llu entries signed by this "
                    "home's key, this home %llu (docs/operations.md)\n",
                    j.mark.who, (unsigned long long)j.mark.size, (unsigned long long)j.held);
            bad++;
        } else if (j.err != CF_OK && j.err != CF_ENOTFOUND) {
            fprintf(f, "unhealthy: the store could not be read: %s\n", cf_strerror(j.err));
            bad++;
        }
    }
    if (!bad) fputs("ok\n", f);
    fclose(f);
    json_decref(s);
    return bad ? 503 : 200;
}
