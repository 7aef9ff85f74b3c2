/* http.h — the node's dashboard (docs/operations.md "The dashboard"): a
 * read-only JSON API, its pages, /metrics and /healthz, served by
 * libmicrohttpd beside the node's libuv loop.
 *
 *   http_server.c  the daemon: address, token, limits, headers, routes, pages
 *   http_api.c     the queries: a command of the CLI run on the node's loop,
 *                  its JSON (or text) what `--format json` prints
 *   http_metrics.c /metrics (Prometheus text) and /healthz from `node status`
 *                  and the node's replication figures (net_node_sync_stats)
 *   http_i18n.c    /api/i18n: the pages' words in Chinese or English
 *   http_assets.c  the pages and scripts, generated from web/ at build time
 *   http_msgids.c  the pages' message ids, generated from the scripts in web/ (xgettext)
 *
 * Threads: libmicrohttpd runs one thread of its own (it accepts, reads,
 * limits and answers connections); a query runs on the node's loop through
 * net_node_call (net.h), between two turns of replication work, because the
 * store handle and the state caches are the loop's alone. The process's
 * language never changes while they run (http_i18n.c). */
#ifndef COFUND_HTTP_H
#define COFUND_HTTP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "cli.h"
#include "crypto/cf_i18n.h"
#include "net/net.h"

/* The server's settings, checked before the node starts (http_prepare). */
typedef struct http_server http_server;

/* From cfg's http and http-token (the command line already merged in):
 * NULL in *out when no http address is set; otherwise a server to start
 * with the node. CF_EINVAL, with d saying why, for an address that is not
 * loopback without a token, a token too short, or an address that does not
 * resolve. */
int http_prepare(const net_config *cfg, http_server **out, diag *d);
/* The extension that starts and stops it with the node (net_node_run_ext). */
net_extension http_extension(http_server *s);
void http_free(http_server *s);

/* ---- http_api.c ----------------------------------------------------------- */
/* A query's answer: the command's exit code, its stdout and stderr. */
typedef struct {
    int rc;
    char *out, *err;
    size_t out_len, err_len;
} http_answer;
/* Run command c with argv[0..argc) (argv[0]: its last word) on the node's
 * loop, as `cofund --home HOME ...` would, its output captured. The caller
 * frees a's buffers (http_answer_free). */
void http_run(net_node *n, const cli_cmd *c, int argc, char **argv, http_answer *a);
void http_answer_free(http_answer *a);
/* The routes of /api/: the answer to url (below /api/) with query
 * arguments args[0..nargs) ("name", value or NULL for a flag): HTTP status,
 * body (malloc'd) and its type. */
typedef struct {
    const char *name, *value;
} http_arg;
int http_api(net_node *n, const char *url, const http_arg *args, size_t nargs, char **body,
             size_t *len, const char **type);

/* ---- http_metrics.c ------------------------------------------------------- */
/* /metrics and /healthz: status and body (malloc'd, text/plain). */
typedef struct {
    uint64_t requests, errors, slow; /* answered, not completed, over 50 ms */
    net_histogram latency;           /* time answering each */
} http_stats;
int http_metrics(net_node *n, const http_stats *st, char **body, size_t *len);
int http_healthz(net_node *n, char **body, size_t *len);

/* ---- http_i18n.c ---------------------------------------------------------- */
/* The answers of /api/i18n, {msgid: translation} of every page id, one per
 * language, built before the node starts (the process's language is
 * switched to Chinese and back for it: never while a request runs). */
typedef struct {
    char *body[2]; /* by enum cf_lang */
    size_t len[2];
    enum cf_lang node_lang; /* the node's language, the pages' default (the
                             * running node logs in English: cf_i18n_lang
                             * answers EN then) */
} http_i18n;
int http_i18n_prepare(http_i18n *t); /* CF_ENOMEM */
void http_i18n_free(http_i18n *t);
/* /api/i18n[?lang=zh|en]: the language the query names, else the one the
 * Accept-Language header (accept, may be NULL) prefers among zh and en, else
 * the node's (cf_i18n_lang: the config's lang). 400 for another lang. */
int http_i18n_answer(const http_i18n *t, const char *lang_arg, const char *accept,
                     const char **body, size_t *len, enum cf_lang *lang);

/* ---- http_msgids.c (generated) ------------------------------------------- */
extern const char *const http_msgids[];
extern const size_t http_nmsgids;

/* ---- http_assets.c (generated) -------------------------------------------- */
typedef struct {
    const char *path; /* "/static/app.js" */
    const char *type; /* "text/javascript; charset=utf-8" */
    const unsigned char *data;
    size_t len;
} http_asset;
extern const http_asset http_assets[];
extern const size_t http_nassets;

#endif
